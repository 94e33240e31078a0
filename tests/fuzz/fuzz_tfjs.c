/* Fuzz target: the TensorFlow.js reader and the Keras config walker behind it. The input is
 * a model.json (modelTopology = Keras config, weightsManifest); it is written next to a fixed
 * 4 MiB shard "group1-shard1of1.bin" of small pseudo-random floats that every manifest in the
 * corpus points at, converted, and listed by `tflc inspect`. Fuzzing the JSON therefore
 * reaches the layer lowering with weights of whatever shapes the manifest claims.
 * Seeds: corpus/tfjs (Keras models rewritten as model.json by tests/fuzz/tfjs_export). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

#define SHARD_FLOATS (1u << 20)

static char path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_quiet();
    const char *dir = fuzz_tmpdir();
    char shard[300];
    snprintf(shard, sizeof shard, "%s/group1-shard1of1.bin", dir);
    float *w = malloc(sizeof *w * SHARD_FLOATS);
    if (!w) abort();
    uint32_t s = 12345;
    for (uint32_t i = 0; i < SHARD_FLOATS; i++) {
        s = s * 1664525u + 1013904223u;
        w[i] = (float)((int32_t)(s >> 8) % 1000) / 2000.0f; /* [-0.5, 0.5] */
    }
    fuzz_write_file(shard, w, sizeof *w * SHARD_FLOATS);
    free(w);
    snprintf(path, sizeof path, "%s/model.json", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_write_file(path, data, size);
    fuzz_convert_and_check(path);
    return 0;
}
