/* MEAN: average over the given axes (reduce_util.h: constant int32 axes, negative axes,
 * duplicates, keep_dims). float32: float sum in input order / count. int32: int64 sum / count
 * (C division, toward zero). Quantized (real = scale * (q - zero_point)), as TFLite's
 * reference kernels:
 *  - int8/int16 over H,W of a 4-D input with keep_dims (axes given as {1,2} or {2,1}):
 *    TFLite's integer Mean: acc = sum(q - zp_in); acc = MBQM(acc, s_in/s_out);
 *    acc = round(acc / count) ties away from zero; + zp_out, clamped;
 *  - uint8, same case: TFLite's uint8 Mean: bias = zp_out - round_away(zp_in * s_in / s_out)
 *    (float), out = MBQM(sum(q), s_in / (count * s_out) (float)) + bias, clamped;
 *  - otherwise QuantizedMeanOrSum: the count is folded into the s_in/s_out multiplier
 *    (mult' = (mult << k) / count, shift' = shift - k, k = min(floor(log2 count), 32,
 *    31 + shift)), out = MBQM(sum(q) - zp_in * count, mult', shift') + zp_out, clamped.
 *  - when input and output share scale and zero point (and the H,W case above does not
 *    apply): TFLite's generic Mean, sum(q) / count in integers (C division, toward zero).
 * Google's runtime (TFLC_ARITH_XNNPACK; kernel.h says which of the two a node gets):
 *  - delegated to XNNPACK (over H,W or W of a 4-D input): global average pooling with fp32
 *    requantization, out = round_half_even((float)(sum(q) - count * zp_in) *
 *    (s_in / (s_out * (float)count))) + zp_out, clamped;
 *  - TFLite 2.11's builtin kernel otherwise: int8 and uint8 over H,W with keep_dims use the
 *    uint8 recipe above (the optimized int8 Mean); then input/output sharing quantization
 *    divide in integers as above (int16 over H,W too); the rest is the float
 *    QuantizedMeanOrSum of that release: mean = (float)sum(q) / count,
 *    out = clamp(round_away(mean * (s_in / s_out) - zp_in * (s_in / s_out)) + zp_out).
 * int16 needs zero points of 0 (as TFLite). prepare precomputes the plan and multipliers;
 * eval accumulates into scratch (one accumulator per output element). */
#include "kernels/ref/pool_util.h"
#include "kernels/ref/reduce_util.h"

enum mean_kind { MEAN_F32, MEAN_I32, MEAN_Q_HW, MEAN_Q_HW_U8, MEAN_Q, MEAN_Q_TRUNC, MEAN_Q_XNN, MEAN_Q_FLOAT };

struct mean_data {
    struct reduce_plan p;
    enum mean_kind kind;
    int32_t mult; /* Q31 multiplier (meaning depends on kind, see header) */
    int shift;
    int32_t in_zp, out_zp;
    int32_t bias;          /* MEAN_Q_HW_U8 only */
    float xnn_scale;       /* MEAN_Q_XNN: s_in / (s_out * count) */
    float f_scale, f_bias; /* MEAN_Q_FLOAT: s_in / s_out and -zp_in * that */
    int32_t qmin, qmax;    /* output storage range */
};

/* When the reduced dims are one block followed by kept dims (H, W of an NHWC tensor), the
 * row-major walk is [outer][reduced][inner]: the same additions in the same order, as
 * vectorizable rows instead of a per-element iterator. False otherwise. */
static bool blocked(const struct reduce_plan *p, size_t *outer, size_t *red, size_t *inner) {
    int d0 = 0;
    while (d0 < p->rank && !p->reduced[d0]) d0++;
    int d1 = d0;
    while (d1 < p->rank && p->reduced[d1]) d1++;
    if (d1 == d0 || d1 == p->rank) return false;
    *outer = *red = *inner = 1;
    for (int k = 0; k < p->rank; k++) {
        if (k >= d1 && p->reduced[k]) return false;
        *(k < d0 ? outer : k < d1 ? red : inner) *= (size_t)p->dims[k];
    }
    return true;
}

static bool sum_blocked(const struct reduce_plan *p, const float *in, float *acc) {
    size_t outer, red, inner;
    if (!blocked(p, &outer, &red, &inner)) return false;
    for (size_t o = 0; o < outer; o++) {
        float *a = acc + o * inner;
        for (size_t r = 0; r < red; r++) {
            const float *src = in + (o * red + r) * inner;
            for (size_t i = 0; i < inner; i++) a[i] += src[i];
        }
    }
    return true;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    const struct mean_data *d = c->node->data;
    const float *in = tflc_op_in(c, 0)->data;
    float *out = tflc_op_out(c, 0)->data;
    float *acc = c->node->scratch;
    for (size_t i = 0; i < d->p.out_count; i++) acc[i] = 0.0f;
    struct reduce_iter it = {{0}, 0};
    if (!sum_blocked(&d->p, in, acc))
        for (size_t i = 0; i < d->p.in_count; i++, reduce_iter_next(&d->p, &it)) acc[it.o] += in[i];
    for (size_t i = 0; i < d->p.out_count; i++) out[i] = acc[i] / (float)d->p.n;
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s32(const struct tflc_op_ctx *c) {
    const struct mean_data *d = c->node->data;
    const int32_t *in = tflc_op_in(c, 0)->data;
    int32_t *out = tflc_op_out(c, 0)->data;
    int64_t *acc = c->node->scratch;
    for (size_t i = 0; i < d->p.out_count; i++) acc[i] = 0;
    struct reduce_iter it = {{0}, 0};
    for (size_t i = 0; i < d->p.in_count; i++, reduce_iter_next(&d->p, &it)) acc[it.o] += in[i];
    for (size_t i = 0; i < d->p.out_count; i++) out[i] = (int32_t)(acc[i] / d->p.n);
    return TFLC_STATUS_OK;
}

/* One quantized output element from the int32 sum of its raw inputs. */
static int32_t mean_q(const struct mean_data *d, int32_t sum) {
    int32_t v;
    switch (d->kind) {
    case MEAN_Q_HW: {
        int32_t n = (int32_t)d->p.n;
        int32_t acc = (int32_t)((uint32_t)sum - (uint32_t)d->in_zp * (uint32_t)n); /* sum(q - zp) */
        acc = tflc_mbqm(acc, d->mult, d->shift);
        acc = acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
        v = acc + d->out_zp;
        break;
    }
    case MEAN_Q_HW_U8:
        v = tflc_add_sat32(tflc_mbqm(sum, d->mult, d->shift), d->bias);
        break;
    case MEAN_Q_TRUNC:
        v = (int32_t)(sum / d->p.n);
        break;
    case MEAN_Q_FLOAT: {
        const float r = roundf((float)sum / (float)d->p.n * d->f_scale + d->f_bias) + (float)d->out_zp;
        return r < (float)d->qmin ? d->qmin : r > (float)d->qmax ? d->qmax : (int32_t)r;
    }
    case MEAN_Q_XNN:
        return tflc_requant_fp32((int32_t)((int64_t)sum - (int64_t)d->in_zp * d->p.n), d->xnn_scale, d->out_zp, d->qmin,
                                 d->qmax);
    default: /* MEAN_Q */
        v = tflc_add_sat32(tflc_mbqm((int32_t)((int64_t)sum - (int64_t)d->in_zp * d->p.n), d->mult, d->shift), d->out_zp);
        break;
    }
    return tflc_clamp_i32(v, d->qmin, d->qmax);
}

/* Quantized sums wrap in uint32 (the int32 sum cannot overflow for the counts prepare allows,
 * and integer addition does not depend on the order, so the blocked walk gives the same sums). */
#define EVAL_Q(name, T)                                                                                                \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                                                        \
        const struct mean_data *d = c->node->data;                                                                     \
        const T *in = tflc_op_in(c, 0)->data;                                                                          \
        T *out = tflc_op_out(c, 0)->data;                                                                              \
        int32_t *acc = c->node->scratch;                                                                               \
        for (size_t i = 0; i < d->p.out_count; i++) acc[i] = 0;                                                        \
        size_t outer, red, inner;                                                                                      \
        if (blocked(&d->p, &outer, &red, &inner)) {                                                                    \
            for (size_t o = 0; o < outer; o++) {                                                                       \
                int32_t *a = acc + o * inner;                                                                          \
                for (size_t r = 0; r < red; r++) {                                                                     \
                    const T *src = in + (o * red + r) * inner;                                                         \
                    for (size_t i = 0; i < inner; i++) a[i] = (int32_t)((uint32_t)a[i] + (uint32_t)(int32_t)src[i]);   \
                }                                                                                                      \
            }                                                                                                          \
        } else {                                                                                                       \
            struct reduce_iter it = {{0}, 0};                                                                          \
            for (size_t i = 0; i < d->p.in_count; i++, reduce_iter_next(&d->p, &it))                                   \
                acc[it.o] = (int32_t)((uint32_t)acc[it.o] + (uint32_t)(int32_t)in[i]);                                 \
        }                                                                                                              \
        for (size_t i = 0; i < d->p.out_count; i++) out[i] = (T)mean_q(d, acc[i]);                                     \
        return TFLC_STATUS_OK;                                                                                         \
    }

EVAL_Q(eval_s8, int8_t)
EVAL_Q(eval_u8, uint8_t)
EVAL_Q(eval_s16, int16_t)

/* QuantizedMeanOrSum's folding of 1/count into the multiplier. */
static void fold_count(int32_t *mult, int *shift, int64_t n) {
    int k = 0;
    while (k < 63 && ((uint64_t)n >> (k + 1))) k++; /* floor(log2 n) */
    if (k > 32) k = 32;
    if (k > 31 + *shift) k = 31 + *shift;
    if (k < 0) k = 0;
    *mult = (int32_t)(((int64_t)*mult << k) / n);
    *shift -= k;
}

enum tflc_status tflc_mean_prepare(struct tflc_op_ctx *c) {
    struct reduce_plan p;
    enum tflc_status st = reduce_prepare(c, &p);
    if (st) return st;
    const struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    struct mean_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->p = p;
    c->node->data = d;
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32:
        d->kind = MEAN_F32;
        tflc_op_request_scratch(c, p.out_count * sizeof(float));
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32:
        d->kind = MEAN_I32;
        tflc_op_request_scratch(c, p.out_count * sizeof(int64_t));
        c->node->eval = eval_s32;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8:
    case TFLC_DTYPE_UINT8:
    case TFLC_DTYPE_INT16:
        break;
    default:
        return tflc_op_unsupported(c);
    }
    if ((st = pool_need_scale(c, x)) || (st = pool_need_scale(c, y))) return st;
    if (x->dtype == TFLC_DTYPE_INT16 && (x->quant.zero_point || y->quant.zero_point))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 MEAN needs zero points of 0");
    /* The int32 sum (TFLite's accumulator too) must not overflow. */
    if (p.n > INT32_MAX / (x->dtype == TFLC_DTYPE_INT16 ? 65536 : 512))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "reducing %lld %s elements into one overflows the int32 sum",
                            (long long)p.n, tflc_dtype_name(x->dtype));
    d->in_zp = x->quant.zero_point;
    d->out_zp = y->quant.zero_point;
    tflc_qrange(y->dtype, &d->qmin, &d->qmax);
    const bool hw = reduce_is_hw_mean(&p), builtin = tflc_op_arith(c) == TFLC_ARITH_XNNPACK;
    const bool same_q = x->quant.scale == y->quant.scale && d->in_zp == d->out_zp;
    if (tflc_op_uses_xnnpack(c)) {
        d->xnn_scale = x->quant.scale / (y->quant.scale * (float)p.n);
        d->kind = MEAN_Q_XNN;
    } else if (hw && (x->dtype == TFLC_DTYPE_UINT8 || (builtin && x->dtype == TFLC_DTYPE_INT8))) {
        /* Float math exactly as TFLite's uint8 Mean (float products, then to double). */
        float cnt = (float)p.n;
        float t = (float)d->in_zp * x->quant.scale / y->quant.scale;
        t = t > 0 ? t + 0.5f : t - 0.5f;
        d->bias = d->out_zp - (int32_t)t;
        tflc_quantize_multiplier((double)(x->quant.scale / (cnt * y->quant.scale)), &d->mult, &d->shift);
        d->kind = MEAN_Q_HW_U8;
    } else if (same_q && (builtin || !hw)) {
        d->kind = MEAN_Q_TRUNC;
    } else if (hw) {
        tflc_quantize_multiplier((double)x->quant.scale / (double)y->quant.scale, &d->mult, &d->shift);
        d->kind = MEAN_Q_HW;
    } else if (builtin) {
        d->f_scale = x->quant.scale / y->quant.scale;
        d->f_bias = (float)-d->in_zp * d->f_scale;
        d->kind = MEAN_Q_FLOAT;
    } else {
        tflc_quantize_multiplier((double)x->quant.scale / (double)y->quant.scale, &d->mult, &d->shift);
        d->kind = MEAN_Q;
        fold_count(&d->mult, &d->shift, p.n);
    }
    tflc_op_request_scratch(c, p.out_count * sizeof(int32_t));
    c->node->eval = x->dtype == TFLC_DTYPE_INT8 ? eval_s8 : x->dtype == TFLC_DTYPE_UINT8 ? eval_u8 : eval_s16;
    return TFLC_STATUS_OK;
}
