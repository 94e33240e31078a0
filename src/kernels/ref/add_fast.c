/* ADD without broadcasting (both inputs have the output's shape) through the vadd_f32
 * microkernel (f32_fast.h): y = clamp(a + b), bit-exact with the reference loop. Tasks take
 * 64-float-aligned chunks of the flat arrays. int8 ADD under XNNPACK's arithmetic goes through
 * vadd_s8 the same way (64-byte chunks). */
#include "kernels/ref/f32_fast.h"

struct add_fast {
    tflc_uk_vadd_f32_fn vadd;
    struct tflc_uk_f32_minmax mm;
    size_t n;
    int tasks;
};

struct add_fast_run {
    const struct add_fast *d;
    const float *a, *b;
    float *y;
};

/* Task i's part [*i0, *i1) of n elements cut into `tasks` runs of whole 64-element chunks. */
static void chunk_range(size_t n, int tasks, int i, size_t *i0, size_t *i1) {
    const size_t chunks = (n + 63) / 64;
    const size_t e = (size_t)(i + 1) * chunks / (size_t)tasks * 64;
    *i0 = (size_t)i * chunks / (size_t)tasks * 64;
    *i1 = e < n ? e : n;
}

static void add_task(void *ud, int i) {
    const struct add_fast_run *r = ud;
    const struct add_fast *d = r->d;
    size_t i0, i1;
    chunk_range(d->n, d->tasks, i, &i0, &i1);
    if (i1 > i0) d->vadd(i1 - i0, r->a + i0, r->b + i0, r->y + i0, &d->mm);
}

static enum tflc_status eval_fast(const struct tflc_op_ctx *c) {
    struct add_fast_run r;
    r.d = c->node->data;
    r.a = tflc_op_in(c, 0)->data;
    r.b = tflc_op_in(c, 1)->data;
    r.y = tflc_op_out(c, 0)->data;
    tflc_op_parallel(c, r.d->tasks, add_task, &r);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_add_fast_prepare(struct tflc_op_ctx *c, float lo, float hi, bool *taken) {
    *taken = false;
    const struct tflc_ukernels *uk = tflc_op_ukernels(c);
    const struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!uk || !uk->vadd_f32 || !tflc_same_shape(a, y) || !tflc_same_shape(b, y) || tflc_numel(y) == 0)
        return TFLC_STATUS_OK;
    struct add_fast *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->vadd = uk->vadd_f32;
    d->mm.min = lo;
    d->mm.max = hi;
    d->n = tflc_numel(y);
    const size_t chunks = (d->n + 63) / 64, want = (size_t)tflc_op_threads(c) * 2;
    d->tasks = tflc_op_threads(c) > 1 && chunks > 1 ? (int)(chunks < want ? chunks : want) : 1;
    c->node->data = d;
    c->node->eval = eval_fast;
    *taken = true;
    return TFLC_STATUS_OK;
}

/* ---- int8 (XNNPACK arithmetic) ---- */

struct add_fast_s8 {
    tflc_uk_vadd_s8_fn vadd;
    struct tflc_uk_vadd_s8_params p;
    size_t n;
    int tasks;
};

struct add_fast_s8_run {
    const struct add_fast_s8 *d;
    const int8_t *a, *b;
    int8_t *y;
};

static void add_task_s8(void *ud, int i) {
    const struct add_fast_s8_run *r = ud;
    const struct add_fast_s8 *d = r->d;
    size_t i0, i1;
    chunk_range(d->n, d->tasks, i, &i0, &i1);
    if (i1 > i0) d->vadd(i1 - i0, r->a + i0, r->b + i0, r->y + i0, &d->p);
}

static enum tflc_status eval_fast_s8(const struct tflc_op_ctx *c) {
    struct add_fast_s8_run r;
    r.d = c->node->data;
    r.a = tflc_op_in(c, 0)->data;
    r.b = tflc_op_in(c, 1)->data;
    r.y = tflc_op_out(c, 0)->data;
    tflc_op_parallel(c, r.d->tasks, add_task_s8, &r);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_add_fast_prepare_s8(struct tflc_op_ctx *c, int32_t bias, int32_t a_mult, int32_t b_mult,
                                          int shift, int32_t zp, int32_t lo, int32_t hi, bool *taken) {
    *taken = false;
    const struct tflc_ukernels *uk = tflc_op_ukernels(c);
    const struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!uk || !uk->vadd_s8 || !tflc_same_shape(a, y) || !tflc_same_shape(b, y) || tflc_numel(y) == 0 || shift < 1 ||
        shift > 31 || lo < -128 || hi > 127 || lo > hi)
        return TFLC_STATUS_OK;
    struct add_fast_s8 *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->vadd = uk->vadd_s8;
    d->p = (struct tflc_uk_vadd_s8_params){bias, a_mult, b_mult, shift, zp, lo, hi};
    d->n = tflc_numel(y);
    /* Threads only pay off past ~16 KiB (the dispatch costs about as much as adding that). */
    const size_t chunks = (d->n + 63) / 64, want = (size_t)tflc_op_threads(c) * 2;
    d->tasks = tflc_op_threads(c) > 1 && d->n >= 16384 ? (int)(chunks < want ? chunks : want) : 1;
    c->node->data = d;
    c->node->eval = eval_fast_s8;
    *taken = true;
    return TFLC_STATUS_OK;
}
