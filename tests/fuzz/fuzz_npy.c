/* Fuzz target: the .npy reader (tflc run inputs, calibration data, labels). Any bytes go
 * through npy_parse; then the file is loaded as calibration data (converted to float32 and
 * cut into samples) and as labels, and a parsed array is re-encoded and must parse back to
 * the same dtype, shape and bytes (property).
 * Seeds: corpus/npy (arrays tflc wrote: op-case inputs and run outputs of every dtype). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib_data.h"
#include "fuzz.h"
#include "npy.h"

static char path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_quiet();
    snprintf(path, sizeof path, "%s/data.npy", fuzz_tmpdir());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    void *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    if (size) memcpy(copy, data, size);
    struct npy n;
    char err[160];
    if (npy_parse(copy, size, &n, err, sizeof err)) {
        size_t len;
        void *enc = npy_encode(n.dtype, n.rank, n.dims, n.data, &len);
        if (enc) {
            struct npy back;
            if (!npy_parse(enc, len, &back, err, sizeof err)) fuzz_bug("npy_encode output does not parse: %s", err);
            if (back.dtype != n.dtype || back.rank != n.rank || back.bytes != n.bytes ||
                memcmp(back.dims, n.dims, sizeof n.dims[0] * (size_t)n.rank) || memcmp(back.data, n.data, n.bytes))
                fuzz_bug("npy round trip changed the array");
            npy_free(&back);
        }
        npy_free(&n);
    }
    fuzz_write_file(path, data, size);
    struct image_opts img;
    memset(&img, 0, sizeof img);
    img.scale = 1.0f;
    struct dataset ds;
    size_t elements = size ? (size_t)data[size - 1] % 17 + 1 : 1;
    if (dataset_load(path, elements, 64, &img, &ds)) dataset_free(&ds);
    memset(&ds, 0, sizeof ds);
    if (dataset_load_labels(path, 64, &ds)) dataset_free(&ds);
    return 0;
}
