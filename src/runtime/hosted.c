/* Hosted convenience layer: functions that allocate (not part of MCU builds). */
#include <stdlib.h>

#include "runtime/interp.h"

enum tflc_status tflc_model_verify_hosted(const void *model, size_t len, struct tflc_diag *diag) {
    size_t ss = TFLC_TFL_VERIFY_SCRATCH(len);
    void *scratch = malloc(ss);
    if (!scratch) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory verifying a %zu-byte model", len);
    enum tflc_status st = tflc_tfl_verify(model, len, NULL, scratch, ss, diag);
    free(scratch);
    return st;
}

enum tflc_status tflc_interp_arena_size_hosted(const void *model, size_t len, const struct tflc_interp_options *opt,
                                               size_t *bytes, struct tflc_diag *diag) {
    /* Runs the real init in growing heap arenas; the size it reports is what init used. */
    size_t size = 64 * 1024 + len / 4;
    for (int attempt = 0; attempt < 40; attempt++) {
        void *arena = NULL;
        if (posix_memalign(&arena, TFLC_ARENA_ALIGN, size) != 0)
            return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "cannot allocate a %zu-byte arena", size);
        struct tflc_interp *it;
        enum tflc_status st = tflc_interp_init(&it, model, len, arena, size, opt, diag);
        if (st == TFLC_STATUS_OK) {
            *bytes = tflc_interp_arena_used(it);
            tflc_interp_free(it);
            free(arena);
            return TFLC_STATUS_OK;
        }
        free(arena);
        if (st != TFLC_STATUS_ARENA_TOO_SMALL) return st;
        if (size > ((size_t)1 << 40)) break;
        size *= 2;
    }
    return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "model needs an arena larger than this machine allows");
}
