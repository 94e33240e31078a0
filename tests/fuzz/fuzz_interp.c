/* Fuzz target: load + prepare + invoke on any model that passes the verifier.
 * The runtime's promise: a verified model either fails init with a message, or runs; eval
 * never reads or writes outside its tensors whatever the inputs hold. Inputs are filled from
 * a hash of the model bytes (reproducible); the reference kernels and the selected kernels
 * both run (the low bit of the hash picks which runs first), and a second invoke must work
 * after tflc_interp_reset. Arenas over 64 MiB are refused by the hosted sizing (its limit):
 * bigger ones (a 576-byte PAD model asked for 230 MB) add no coverage and take ~20 s each
 * under ASan, near the fuzzers' 25 s timeout.
 * Seeds: corpus/interp (single-op models from tests/kernels/op_cases, converted models). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tflc/runtime.h"

#define MAX_ARENA ((size_t)64 << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_quiet();
    return 0;
}

static uint64_t mix(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static void fill(struct tflc_tensor *t, uint64_t *s) {
    uint8_t *p = t->data;
    /* Mostly small values of the right type, sometimes raw random bytes (NaN, Inf, extremes). */
    bool raw = (mix(s) & 7) == 0;
    for (size_t i = 0; i < t->bytes; i++) p[i] = (uint8_t)mix(s);
    if (raw || t->dtype != TFLC_DTYPE_FLOAT32) return;
    float *f = t->data;
    for (size_t i = 0; i < t->bytes / 4; i++) f[i] = (float)((int64_t)(mix(s) % 2001) - 1000) / 100.0f;
}

static void run(const uint8_t *model, size_t size, bool reference, uint64_t seed) {
    struct tflc_interp_options o = tflc_interp_options_default();
    o.use_reference = reference;
    o.max_arena_bytes = MAX_ARENA;
    struct tflc_diag d;
    size_t need;
    if (tflc_interp_arena_size_hosted(model, size, &o, &need, &d) != TFLC_STATUS_OK) return;
    void *arena = NULL;
    if (posix_memalign(&arena, TFLC_ARENA_ALIGN, need) != 0) return;
    struct tflc_interp *it;
    if (tflc_interp_init(&it, model, size, arena, need, &o, &d) != TFLC_STATUS_OK)
        fuzz_bug("init failed with the arena size the hosted sizing reported: %s", d.msg);
    uint64_t s = seed | 1;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < tflc_interp_input_count(it); i++) fill(tflc_interp_input(it, i), &s);
        if (tflc_interp_invoke(it, &d) != TFLC_STATUS_OK) break;
        tflc_interp_reset(it);
    }
    tflc_interp_free(it);
    free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    void *buf = NULL;
    if (posix_memalign(&buf, 64, size ? size : 1) != 0) return 0;
    if (size) memcpy(buf, data, size);
    struct tflc_diag d;
    if (tflc_model_verify_hosted(buf, size, &d) == TFLC_STATUS_OK) {
        uint64_t h = 1469598103934665603ull;
        for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 1099511628211ull;
        run(buf, size, (h & 1) != 0, h);
        run(buf, size, (h & 1) == 0, h);
    }
    free(buf);
    return 0;
}
