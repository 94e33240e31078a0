/* PRELU: y = x >= 0 ? x : alpha * x, alpha a tensor broadcast (numpy rules) to x's shape; the
 * output has x's shape. float32; uint8/int8 with TFLite's two-multiplier recipe:
 * d = q - in_zp; y = out_zp + (d >= 0 ? MBQM(d, in_s/out_s) : MBQM(d * (a - a_zp), in_s*a_s/out_s)),
 * clamped to the storage range (quotients in float, as TFLite's prepare). Alpha must be
 * quantized per tensor. prepare precomputes the multipliers and the broadcast plan. */
#include "kernels/ref/unary_util.h"

struct prelu_data {
    int32_t in_zp, alpha_zp, out_zp;
    int32_t mult1, mult2; /* Q31 multipliers of in_s/out_s and in_s*alpha_s/out_s */
    int shift1, shift2;
    struct tflc_bcast bc;
};

struct prelu_run { /* eval-time view: read-only op data plus this invoke's pointers */
    const struct prelu_data *d;
    const void *x, *alpha;
    void *y;
};

static void row_f32(void *ud, size_t o, size_t ix, size_t ia, size_t n, size_t dx, size_t da) {
    const struct prelu_run *r = ud;
    const float *x = (const float *)r->x + ix, *a = (const float *)r->alpha + ia;
    float *y = (float *)r->y + o;
    for (size_t i = 0; i < n; i++, x += dx, a += da) y[i] = *x >= 0.0f ? *x : *x * *a;
}

static inline int32_t prelu_q(const struct prelu_data *d, int32_t x, int32_t a, int32_t qmin, int32_t qmax) {
    int32_t v = x - d->in_zp, r;
    if (v >= 0)
        r = tflc_mbqm(v, d->mult1, d->shift1);
    else
        r = tflc_mbqm(v * (a - d->alpha_zp), d->mult2, d->shift2);
    return tflc_clamp_i32(tflc_add_sat32(r, d->out_zp), qmin, qmax);
}

#define ROW_Q(name, T, QMIN, QMAX)                                                                  \
    static void name(void *ud, size_t o, size_t ix, size_t ia, size_t n, size_t dx, size_t da) {   \
        const struct prelu_run *r = ud;                                                             \
        const T *x = (const T *)r->x + ix, *a = (const T *)r->alpha + ia;                           \
        T *y = (T *)r->y + o;                                                                       \
        for (size_t i = 0; i < n; i++, x += dx, a += da) y[i] = (T)prelu_q(r->d, *x, *a, QMIN, QMAX); \
    }
ROW_Q(row_s8, int8_t, -128, 127)
ROW_Q(row_u8, uint8_t, 0, 255)

static enum tflc_status run(const struct tflc_op_ctx *c, tflc_bcast_row_fn row) {
    struct prelu_run r = {c->node->data, tflc_op_in(c, 0)->data, tflc_op_in(c, 1)->data, tflc_op_out(c, 0)->data};
    tflc_bcast_run(&r.d->bc, row, &r);
    return TFLC_STATUS_OK;
}
static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return run(c, row_f32); }
static enum tflc_status eval_s8(const struct tflc_op_ctx *c) { return run(c, row_s8); }
static enum tflc_status eval_u8(const struct tflc_op_ctx *c) { return run(c, row_u8); }

enum tflc_status tflc_prelu_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *a = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !a) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != a->dtype || x->dtype != y->dtype) return tflc_op_unsupported(c);
    int rank;
    int32_t shape[TFLC_MAX_DIMS];
    if (!tflc_broadcast_shape(x, a, &rank, shape))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "alpha '%s' does not broadcast to input '%s'", a->name, x->name);
    bool same = rank == x->rank;
    for (int i = 0; same && i < rank; i++) same = shape[i] == x->dims[i];
    if (!same)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "alpha '%s' broadcasts input '%s' to a larger shape", a->name, x->name);
    if ((st = tflc_op_set_shape(c, y, x->rank, x->dims))) return st;
    struct prelu_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    tflc_bcast_init(&d->bc, x, a, y);
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8: c->node->eval = eval_s8; break;
    case TFLC_DTYPE_UINT8: c->node->eval = eval_u8; break;
    default: return tflc_op_unsupported(c);
    }
    if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, a)) || (st = unary_need_quant(c, y))) return st;
    if (a->quant.num_scales > 1)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "per-channel quantized alpha '%s' is not supported", a->name);
    d->in_zp = x->quant.zero_point;
    d->alpha_zp = a->quant.zero_point;
    d->out_zp = y->quant.zero_point;
    tflc_quantize_multiplier((double)(x->quant.scale / y->quant.scale), &d->mult1, &d->shift1);
    tflc_quantize_multiplier((double)(x->quant.scale * a->quant.scale / y->quant.scale), &d->mult2, &d->shift2);
    return TFLC_STATUS_OK;
}
