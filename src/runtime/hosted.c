/* Hosted convenience layer: functions that allocate (not part of MCU builds). */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE, hidden by _POSIX_C_SOURCE alone */
#endif
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "base/checked_math.h"
#include "runtime/interp.h"

enum tflc_status tflc_model_verify_hosted(const void *model, size_t len, struct tflc_diag *diag) {
    size_t ss = TFLC_TFL_VERIFY_SCRATCH(len);
    void *scratch = malloc(ss);
    if (!scratch) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory verifying a %zu-byte model", len);
    enum tflc_status st = tflc_tfl_verify(model, len, NULL, scratch, ss, diag);
    free(scratch);
    return st;
}

void *tflc_alloc_hosted(size_t bytes) {
    /* Arenas of 2 MiB and more start on a 2 MiB boundary and ask Linux for transparent huge
     * pages (when THP is "madvise", the common default, nothing else gets them): an inference
     * streams through tens of MiB of activations and packed weights, and with 4 KiB pages the
     * TLB misses on that cost more than some layers' arithmetic. */
    const size_t huge = (size_t)2 << 20;
    size_t align = bytes >= huge ? huge : TFLC_ARENA_ALIGN;
    void *p = NULL;
    if (posix_memalign(&p, align, bytes ? bytes : 1) != 0) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (align == huge) (void)madvise(p, (bytes + huge - 1) / huge * huge, MADV_HUGEPAGE);
#endif
    return p;
}

void tflc_free_hosted(void *arena) { free(arena); }

/* The first tensor of the (verified) model's first subgraph that needs arena memory (no
 * constant data) and more than `limit` bytes on its own, or -1. */
static int64_t tensor_over(const void *model, size_t limit, uint64_t *bytes) {
    struct tflc_fb_table sg = tflc_fb_vec_table(tflc_tfl_model_subgraphs(tflc_tfl_model(model)), 0);
    struct tflc_fb_vec ts = tflc_tfl_sub_graph_tensors(sg);
    for (uint32_t i = 0; i < ts.len; i++) {
        struct tflc_fb_table t = tflc_fb_vec_table(ts, i);
        const uint8_t *data;
        uint64_t size, n = 1;
        tflc_tfl_buffer_bytes(model, tflc_tfl_tensor_buffer(t), &data, &size);
        if (size && !tflc_tfl_tensor_is_variable(t)) continue;
        struct tflc_fb_vec shape = tflc_tfl_tensor_shape(t);
        for (uint32_t d = 0; d < shape.len && n <= limit; d++) {
            uint64_t v = (uint64_t)tflc_fb_vec_i32(shape, d); /* >= 0: verified */
            n = v && n > UINT64_MAX / v ? UINT64_MAX : n * v;
        }
        if (n > limit || (tflc_tfl_dense_bytes(tflc_tfl_tensor_type(t), n, bytes) && *bytes > limit)) {
            if (n > limit) *bytes = n;
            return i;
        }
    }
    return -1;
}

enum tflc_status tflc_interp_arena_size_hosted(const void *model, size_t len, const struct tflc_interp_options *opt,
                                               size_t *bytes, struct tflc_diag *diag) {
    size_t limit = opt && opt->max_arena_bytes ? opt->max_arena_bytes : TFLC_HOSTED_MAX_ARENA;
    enum tflc_status st = tflc_model_verify_hosted(model, len, diag);
    if (st) return st;
    uint64_t big;
    int64_t ti = tensor_over(model, limit, &big);
    if (ti >= 0) {
        struct tflc_fb_table sg = tflc_fb_vec_table(tflc_tfl_model_subgraphs(tflc_tfl_model(model)), 0);
        struct tflc_fb_str nm = tflc_tfl_tensor_name(tflc_fb_vec_table(tflc_tfl_sub_graph_tensors(sg), (uint32_t)ti));
        return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY,
                             "tensor %lld '%s' alone needs more than %zu bytes, the arena limit (at least %llu)",
                             (long long)ti, nm.data ? nm.data : "", limit, (unsigned long long)big);
    }
    /* Runs the real init in growing heap arenas; the size it reports is what init used. */
    size_t size = 64 * 1024 + len / 4;
    if (size > limit) size = limit;
    for (;;) {
        void *arena = NULL;
        if (posix_memalign(&arena, TFLC_ARENA_ALIGN, size) != 0)
            return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "cannot allocate a %zu-byte arena", size);
        struct tflc_interp *it;
        st = tflc_interp_init(&it, model, len, arena, size, opt, diag);
        if (st == TFLC_STATUS_OK) {
            *bytes = tflc_interp_arena_used(it);
            tflc_interp_free(it);
            free(arena);
            return TFLC_STATUS_OK;
        }
        free(arena);
        if (st != TFLC_STATUS_ARENA_TOO_SMALL) return st;
        if (size >= limit) break;
        size = size > limit / 2 ? limit : size * 2;
    }
    return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "the model needs an arena of more than %zu bytes (the limit)",
                         limit);
}

enum tflc_status tflc_interp_options_set_threads(struct tflc_interp_options *opt, int num_threads,
                                                 struct tflc_threadpool **pool, struct tflc_diag *diag) {
    *pool = NULL;
    opt->num_threads = 1;
    opt->parallel_for = NULL;
    opt->pool = NULL;
    if (num_threads < 0)
        return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "%d threads asked for (0 = one per CPU)", num_threads);
    if (num_threads == 1) return TFLC_STATUS_OK;
    struct tflc_threadpool *p = tflc_threadpool_create(num_threads);
    if (!p) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "cannot start a pool of %d threads", num_threads);
    opt->num_threads = tflc_threadpool_threads(p);
    if (opt->num_threads > 1) {
        opt->parallel_for = tflc_threadpool_parallel_for;
        opt->pool = p;
    }
    *pool = p;
    return TFLC_STATUS_OK;
}
