/* Fuzz target: the Keras 3 .keras zip reader (libzip, config.json, metadata.json and the inner
 * model.weights.h5 through the sandboxed HDF5 reader). The input
 * is written as model.keras and converted (libhdf5 runs in the sandboxed child, our stream
 * parser and the layer lowering in this process), then listed by `tflc inspect`.
 * Seeds: corpus/keras (Keras 3 models written by tools/keras_export). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include "fuzz.h"

static char path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_quiet();
    snprintf(path, sizeof path, "%s/model.keras", fuzz_tmpdir());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_write_file(path, data, size);
    fuzz_convert_and_check(path);
    return 0;
}
