/* tflc/convert.h - Keras (.h5, .keras, TensorFlow.js model.json) -> .tflite.
 *
 *   struct tflc_convert_options o = tflc_convert_options_default();
 *   struct tflc_bytes out;
 *   struct tflc_convert_report rep;
 *   if (tflc_convert_file("model.h5", &o, &out, &rep, &diag) == TFLC_STATUS_OK) {
 *       fwrite(out.data, 1, out.size, f);
 *       tflc_bytes_free(&out);
 *   }
 *
 * The converter allocates (per-stage arenas) and never writes files itself. Calls share no
 * state, so separate calls may run on separate threads (libhdf5 runs in a child process).
 */
#ifndef TFLC_CONVERT_H
#define TFLC_CONVERT_H

#include <stddef.h>
#include <stdint.h>

#include "tflc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tflc_bytes {
    void *data;  /* owned by the struct; free with tflc_bytes_free */
    size_t size;
};

TFLC_API void tflc_bytes_free(struct tflc_bytes *b);

struct tflc_convert_options {
    int reserved;  /* quantization options arrive with the quantize issue */
};

TFLC_API struct tflc_convert_options tflc_convert_options_default(void);

struct tflc_convert_report {
    char format[16];          /* "h5", "keras", "tfjs", "tflite" */
    char keras_version[32];
    int layers;               /* Keras layer calls lowered */
    int ops;                  /* operators written */
    int tensors;
    size_t constant_bytes;
    size_t output_bytes;
    char min_runtime[16];
};

/* Converts the Keras model at `path`. On success out->data holds the .tflite bytes.
 * Errors: UNSUPPORTED (lists every unsupported layer with name and class), INVALID_MODEL
 * (names the file object, layer or weight at fault), IO, OUT_OF_MEMORY. */
TFLC_API enum tflc_status tflc_convert_file(const char *path, const struct tflc_convert_options *opt,
                                            struct tflc_bytes *out, struct tflc_convert_report *report,
                                            struct tflc_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
