/* FULLY_CONNECTED float32 through the gemm_f32 microkernel (f32_fast.h): x is already the
 * [batches x depth] matrix and the [units x depth] weights are the transposed B. prepare
 * packs the constant weights and bias (NR-unit blocks, the bias first); weights or biases
 * computed at run time keep the reference loop. Tasks split batches and, for small batches
 * (the usual batch 1), the units. */
#include "kernels/ref/f32_fast.h"

struct fc_fast_run {
    const struct tflc_f32_gemm_plan *p;
    const float *x;
    float *y;
};

static void fc_task(void *ud, int i) {
    const struct fc_fast_run *r = ud;
    size_t t0, t1, b0, b1;
    tflc_f32_gemm_plan_task(r->p, i, &t0, &t1, &b0, &b1);
    tflc_f32_gemm_direct(r->p, r->x, r->p->k, r->y, t0, t1, b0, b1);
}

static enum tflc_status eval_fast(const struct tflc_op_ctx *c) {
    struct fc_fast_run r;
    r.p = c->node->data;
    r.x = tflc_op_in(c, 0)->data;
    r.y = tflc_op_out(c, 0)->data;
    tflc_op_parallel(c, r.p->tm * r.p->tn, fc_task, &r);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_fully_connected_fast_prepare(struct tflc_op_ctx *c, int32_t batches, int32_t depth, int32_t units,
                                                   float lo, float hi, bool *taken) {
    *taken = false;
    const struct tflc_ukernels *uk = tflc_op_ukernels(c);
    const struct tflc_tensor *w = tflc_op_in(c, 1), *bias = tflc_op_in(c, 2);
    if (!uk || !uk->gemm_f32 || !tflc_op_is_const(c, w) || (bias && !tflc_op_is_const(c, bias))) return TFLC_STATUS_OK;
    struct tflc_f32_gemm_plan *p = tflc_op_alloc(c, sizeof *p);
    if (!p) return TFLC_STATUS_ARENA_TOO_SMALL;
    const int threads = tflc_op_threads_for(c, 2.0 * (double)batches * (double)units * (double)depth);
    tflc_f32_gemm_plan_init(p, uk, threads, (size_t)batches, (size_t)units, (size_t)depth, lo, hi);
    float *packed = tflc_op_alloc(c, tflc_f32_pack_gemm_size(p->nr, (size_t)depth, (size_t)units) * sizeof(float));
    if (!packed) return TFLC_STATUS_ARENA_TOO_SMALL;
    tflc_f32_pack_gemm(p->nr, (size_t)depth, (size_t)units, w->data, bias ? bias->data : NULL, packed);
    p->w = packed;
    c->node->data = p;
    c->node->eval = eval_fast;
    *taken = true;
    return TFLC_STATUS_OK;
}
