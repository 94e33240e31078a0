/* Calibration / evaluation data for the CLI: .npy arrays, MNIST-style idx files (raw or
 * .gz) and folders of PNG / JPEG images, all turned into float32 samples of the model
 * input's element count. */
#ifndef TFLC_CLI_CALIB_DATA_H
#define TFLC_CLI_CALIB_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct image_opts {
    int height, width;       /* --image-size H,W (0 = keep) */
    int channels;            /* 1 or 3 (from the model input), 0 = as stored */
    float scale;             /* multiply raw 0..255 values (default 1) */
    float mean[3], std[3];   /* then (x - mean) / std per channel (std 0 = not given) */
    bool has_norm;
};

struct dataset {
    float *data;             /* samples x elements */
    size_t samples, elements;
    int32_t *labels;         /* idx label files, NULL otherwise */
};

/* Loads DATA (a file or a folder). `elements` = the model input's element count (samples are
 * carved out of the data by it). max_samples 0 = all. Prints "tflc: error: DATA: ..." on failure. */
bool dataset_load(const char *path, size_t elements, size_t max_samples, const struct image_opts *img, struct dataset *out);
/* Labels from an idx1 file or an integer .npy. */
bool dataset_load_labels(const char *path, size_t max_samples, struct dataset *out);
void dataset_free(struct dataset *d);

#endif
