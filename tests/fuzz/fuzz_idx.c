/* Fuzz target: the MNIST-style idx reader (raw or gzip), as calibration / evaluation data and
 * as labels. The last input byte picks the sample size the "model input" asks for.
 * Seeds: corpus/idx (small idx images and labels, raw and gzip, written by make_corpus.sh). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "calib_data.h"
#include "fuzz.h"

static char path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_quiet();
    snprintf(path, sizeof path, "%s/data.idx", fuzz_tmpdir());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_write_file(path, data, size);
    static const size_t sizes[4] = {1, 4, 784, 28};
    size_t elements = size ? sizes[data[size - 1] & 3] : 1;
    struct image_opts img;
    memset(&img, 0, sizeof img);
    img.scale = 1.0f / 255.0f;
    img.has_norm = true;
    img.mean[0] = 0.5f;
    img.std[0] = 0.25f;
    struct dataset ds;
    if (dataset_load(path, elements, 1000, &img, &ds)) dataset_free(&ds);
    memset(&ds, 0, sizeof ds);
    if (dataset_load_labels(path, 1000, &ds)) dataset_free(&ds);
    return 0;
}
