/* SUM: sum over the given axes (reduce_util.h: constant int32 axes, negative axes,
 * duplicates, keep_dims). float32: float sum in input order. int32: wrapping int32 sum (as
 * TFLite's int arithmetic). int8/uint8/int16 (real = scale * (q - zero_point)), TFLite's
 * reference QuantizedMeanOrSum with compute_sum:
 *   out = clamp(MBQM(sum(q) - zp_in * count, s_in / s_out) + zp_out)
 * with the multiplier from (double)s_in / (double)s_out; int16 needs zero points of 0.
 * Google's runtime (TFLC_ARITH_XNNPACK; SUM always runs in TFLite's builtin kernel) uses the
 * float QuantizedMeanOrSum of TFLite 2.11 instead: with s = s_in / s_out (float),
 *   out = wrap(round_away((float)sum(q) * s + (-zp_in * s) * count) + zp_out),
 * not clamped: the int32 value is truncated to the output type (it wraps around).
 * prepare precomputes the plan and multiplier; eval accumulates into scratch. */
#include "kernels/ref/pool_util.h"
#include "kernels/ref/reduce_util.h"

struct sum_data {
    struct reduce_plan p;
    int32_t mult; /* Q31 multiplier of s_in / s_out */
    int shift;
    int32_t in_zp, out_zp;
    int32_t qmin, qmax; /* output storage range */
    bool builtin;       /* TFLite 2.11's float recipe (see the header) */
    float f_scale, f_bias;
};

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    const struct sum_data *d = c->node->data;
    const float *in = tflc_op_in(c, 0)->data;
    float *out = tflc_op_out(c, 0)->data;
    for (size_t i = 0; i < d->p.out_count; i++) out[i] = 0.0f;
    struct reduce_iter it = {{0}, 0};
    for (size_t i = 0; i < d->p.in_count; i++, reduce_iter_next(&d->p, &it)) out[it.o] += in[i];
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s32(const struct tflc_op_ctx *c) {
    const struct sum_data *d = c->node->data;
    const int32_t *in = tflc_op_in(c, 0)->data;
    int32_t *out = tflc_op_out(c, 0)->data;
    for (size_t i = 0; i < d->p.out_count; i++) out[i] = 0;
    struct reduce_iter it = {{0}, 0};
    for (size_t i = 0; i < d->p.in_count; i++, reduce_iter_next(&d->p, &it))
        out[it.o] = (int32_t)((uint32_t)out[it.o] + (uint32_t)in[i]);
    return TFLC_STATUS_OK;
}

#define EVAL_Q(name, T)                                                                              \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                                      \
        const struct sum_data *d = c->node->data;                                                    \
        const T *in = tflc_op_in(c, 0)->data;                                                        \
        T *out = tflc_op_out(c, 0)->data;                                                            \
        int32_t *acc = c->node->scratch;                                                             \
        for (size_t i = 0; i < d->p.out_count; i++) acc[i] = 0;                                      \
        struct reduce_iter it = {{0}, 0};                                                            \
        for (size_t i = 0; i < d->p.in_count; i++, reduce_iter_next(&d->p, &it)) acc[it.o] += in[i]; \
        for (size_t i = 0; i < d->p.out_count; i++) {                                                \
            if (d->builtin) {                                                                        \
                float r = roundf((float)acc[i] * d->f_scale + d->f_bias);                            \
                r = r < -1e9f ? -1e9f : r > 1e9f ? 1e9f : r; /* keeps the cast defined */            \
                out[i] = (T)(uint32_t)((int32_t)r + d->out_zp); /* wraps, as TFLite's cast */        \
                continue;                                                                            \
            }                                                                                        \
            int32_t v = (int32_t)((int64_t)acc[i] - (int64_t)d->in_zp * d->p.n);                     \
            v = tflc_add_sat32(tflc_mbqm(v, d->mult, d->shift), d->out_zp);                                         \
            out[i] = (T)tflc_clamp_i32(v, d->qmin, d->qmax);                                         \
        }                                                                                            \
        return TFLC_STATUS_OK;                                                                       \
    }

EVAL_Q(eval_s8, int8_t)
EVAL_Q(eval_u8, uint8_t)
EVAL_Q(eval_s16, int16_t)

enum tflc_status tflc_sum_prepare(struct tflc_op_ctx *c) {
    struct reduce_plan p;
    enum tflc_status st = reduce_prepare(c, &p);
    if (st) return st;
    const struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    struct sum_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->p = p;
    c->node->data = d;
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32: c->node->eval = eval_s32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8:
    case TFLC_DTYPE_UINT8:
    case TFLC_DTYPE_INT16: break;
    default: return tflc_op_unsupported(c);
    }
    if ((st = pool_need_scale(c, x)) || (st = pool_need_scale(c, y))) return st;
    if (x->dtype == TFLC_DTYPE_INT16 && (x->quant.zero_point || y->quant.zero_point))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 SUM needs zero points of 0");
    if (p.n > INT32_MAX / (x->dtype == TFLC_DTYPE_INT16 ? 65536 : 512))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "summing %lld %s elements into one overflows the int32 sum",
                            (long long)p.n, tflc_dtype_name(x->dtype));
    d->in_zp = x->quant.zero_point;
    d->out_zp = y->quant.zero_point;
    tflc_qrange(y->dtype, &d->qmin, &d->qmax);
    tflc_quantize_multiplier((double)x->quant.scale / (double)y->quant.scale, &d->mult, &d->shift);
    if (tflc_op_arith(c) == TFLC_ARITH_XNNPACK) {
        d->builtin = true;
        d->f_scale = x->quant.scale / y->quant.scale;
        d->f_bias = (float)-d->in_zp * d->f_scale * (float)p.n;
    }
    tflc_op_request_scratch(c, p.out_count * sizeof(int32_t));
    c->node->eval = x->dtype == TFLC_DTYPE_INT8 ? eval_s8 : x->dtype == TFLC_DTYPE_UINT8 ? eval_u8 : eval_s16;
    return TFLC_STATUS_OK;
}
