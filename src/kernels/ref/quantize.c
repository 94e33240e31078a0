/* QUANTIZE: float32 -> uint8/int8/int16, or requantize uint8/int8 -> uint8/int8,
 * int16 -> int8/int16/int32 and int32 -> int8/int16 (the combinations TFLite supports; the
 * int32 ones serve applications with int32 model inputs/outputs, e.g. tfmicro_keyword).
 * Quantize (TFLite's AffineQuantize): q = clamp(round(x / scale) + zp), float division, round
 * half away from zero; out-of-range values (and NaN, as the low end) saturate. A per-channel
 * output (op version 3) uses each channel's scale along quantized_dimension.
 * Requantize (TFLite's Requantize): q = clamp(MBQM(p - in_zp, in_s/out_s) + out_zp) with the
 * quotient in double (int32 inputs are offset with wrap-around, the int32 result saturates).
 * int16 -> int16 needs zero points 0.
 * Delegated to XNNPACK (Google's runtime, kernel.h), per-tensor 8-bit outputs only:
 *  - float32 -> int8/uint8: q = clamp(round_half_even(x * (1 / scale)) + zp), the reciprocal
 *    in float (xnn_f32_qs8_vcvt);
 *  - int8 -> int8, uint8 -> uint8: 8.8 fixed point, m = lrintf(256 * in_s / out_s),
 *    q = clamp(floor(((out_zp << 8) + 0x80 + (p - in_zp) * m) / 256)) (xnn_qs8_vcvt).
 * prepare precomputes the multiplier or the channel layout. */
#include "kernels/ref/unary_util.h"

struct quantize_data {
    int32_t in_zp, out_zp;
    int32_t mult; /* requantize: Q31 multiplier of in_s / out_s */
    int shift;
    int32_t qmin, qmax;
    const float *scales; /* quantize: per-channel scales (borrowed from the model), or NULL */
    float scale;         /* quantize: per-tensor scale */
    size_t inner;        /* elements after the channel axis */
    int32_t channels;
    float xnn_inv;       /* XNNPACK float -> 8-bit: 1 / scale */
    int32_t xnn_mult, xnn_bias; /* XNNPACK 8-bit -> 8-bit: 8.8 multiplier and bias */
};

static int32_t quantize_one(float x, float scale, int32_t zp, int32_t qmin, int32_t qmax) {
    float r = roundf(x / scale);
    /* Clamp in float before converting; NaN goes to qmin. */
    int32_t v = unary_clamp_f2i(r, INT32_MIN / 2, INT32_MAX / 2);
    return tflc_clamp_i32(v + zp, qmin, qmax);
}

#define QUANT_EVAL(name, T)                                                                   \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                               \
        const struct quantize_data *d = c->node->data;                                        \
        const float *in = tflc_op_in(c, 0)->data;                                             \
        struct tflc_tensor *y = tflc_op_out(c, 0);                                            \
        T *out = y->data;                                                                     \
        size_t n = tflc_numel(y);                                                             \
        if (!d->scales) {                                                                     \
            for (size_t i = 0; i < n; i++) out[i] = (T)quantize_one(in[i], d->scale, d->out_zp, d->qmin, d->qmax); \
        } else {                                                                              \
            for (size_t i = 0; i < n; i++) {                                                  \
                float s = d->scales[(i / d->inner) % (size_t)d->channels];                    \
                out[i] = (T)quantize_one(in[i], s, d->out_zp, d->qmin, d->qmax);              \
            }                                                                                 \
        }                                                                                     \
        return TFLC_STATUS_OK;                                                                \
    }
QUANT_EVAL(eval_f32_s8, int8_t)
QUANT_EVAL(eval_f32_u8, uint8_t)
QUANT_EVAL(eval_f32_s16, int16_t)

#define REQUANT_EVAL(name, TI, TO)                                                            \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                               \
        const struct quantize_data *d = c->node->data;                                        \
        const TI *in = tflc_op_in(c, 0)->data;                                                \
        struct tflc_tensor *y = tflc_op_out(c, 0);                                            \
        TO *out = y->data;                                                                    \
        size_t n = tflc_numel(y);                                                             \
        for (size_t i = 0; i < n; i++) {                                                      \
            int32_t v = (int32_t)(uint32_t)((int64_t)in[i] - d->in_zp); /* wraps like TFLite */ \
            int64_t q = (int64_t)tflc_mbqm(v, d->mult, d->shift) + d->out_zp;                 \
            out[i] = (TO)(q < d->qmin ? d->qmin : q > d->qmax ? d->qmax : q);                 \
        }                                                                                     \
        return TFLC_STATUS_OK;                                                                \
    }
#define XNN_EVAL(name, TI, TO, EXPR)                                                          \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                               \
        const struct quantize_data *d = c->node->data;                                        \
        const TI *in = tflc_op_in(c, 0)->data;                                                \
        struct tflc_tensor *y = tflc_op_out(c, 0);                                            \
        TO *out = y->data;                                                                    \
        size_t n = tflc_numel(y);                                                             \
        for (size_t i = 0; i < n; i++) out[i] = (TO)(EXPR);                                   \
        return TFLC_STATUS_OK;                                                                \
    }
/* float -> 8-bit: the product is clamped to the storage range (NaN to its low end) before
 * the rounding. */
static int32_t xnn_quantize_one(const struct quantize_data *d, float x) {
    float f = x * d->xnn_inv;
    const float lo = (float)(d->qmin - d->out_zp), hi = (float)(d->qmax - d->out_zp);
    f = !(f > lo) ? lo : f > hi ? hi : f;
    return (int32_t)tflc_round_even(f) + d->out_zp;
}
XNN_EVAL(eval_f32_s8_xnn, float, int8_t, xnn_quantize_one(d, in[i]))
XNN_EVAL(eval_f32_u8_xnn, float, uint8_t, xnn_quantize_one(d, in[i]))
XNN_EVAL(eval_s8_s8_xnn, int8_t, int8_t, tflc_clamp_i32(tflc_asr(d->xnn_bias + in[i] * d->xnn_mult, 8), d->qmin, d->qmax))
XNN_EVAL(eval_u8_u8_xnn, uint8_t, uint8_t, tflc_clamp_i32(tflc_asr(d->xnn_bias + in[i] * d->xnn_mult, 8), d->qmin, d->qmax))

REQUANT_EVAL(eval_s8_s8, int8_t, int8_t)
REQUANT_EVAL(eval_s8_u8, int8_t, uint8_t)
REQUANT_EVAL(eval_u8_s8, uint8_t, int8_t)
REQUANT_EVAL(eval_u8_u8, uint8_t, uint8_t)
REQUANT_EVAL(eval_s16_s8, int16_t, int8_t)
REQUANT_EVAL(eval_s16_s16, int16_t, int16_t)
REQUANT_EVAL(eval_s16_s32, int16_t, int32_t)
REQUANT_EVAL(eval_s32_s8, int32_t, int8_t)
REQUANT_EVAL(eval_s32_s16, int32_t, int16_t)

static tflc_eval_fn pick(enum tflc_dtype in, enum tflc_dtype out) {
    switch (in) {
    case TFLC_DTYPE_FLOAT32:
        return out == TFLC_DTYPE_INT8 ? eval_f32_s8 : out == TFLC_DTYPE_UINT8 ? eval_f32_u8
             : out == TFLC_DTYPE_INT16 ? eval_f32_s16 : NULL;
    case TFLC_DTYPE_INT8: return out == TFLC_DTYPE_INT8 ? eval_s8_s8 : out == TFLC_DTYPE_UINT8 ? eval_s8_u8 : NULL;
    case TFLC_DTYPE_UINT8: return out == TFLC_DTYPE_INT8 ? eval_u8_s8 : out == TFLC_DTYPE_UINT8 ? eval_u8_u8 : NULL;
    case TFLC_DTYPE_INT16:
        return out == TFLC_DTYPE_INT8 ? eval_s16_s8 : out == TFLC_DTYPE_INT16 ? eval_s16_s16
             : out == TFLC_DTYPE_INT32 ? eval_s16_s32 : NULL;
    case TFLC_DTYPE_INT32: return out == TFLC_DTYPE_INT8 ? eval_s32_s8 : out == TFLC_DTYPE_INT16 ? eval_s32_s16 : NULL;
    default: return NULL;
    }
}

enum tflc_status tflc_quantize_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    tflc_eval_fn fn = pick(x->dtype, y->dtype);
    if (!fn) return tflc_op_unsupported(c);
    if ((st = unary_need_quant(c, y))) return st;
    struct quantize_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    c->node->eval = fn;
    d->out_zp = y->quant.zero_point;
    tflc_qrange(y->dtype, &d->qmin, &d->qmax);
    if (tflc_op_uses_xnnpack(c)) { /* per-tensor 8-bit output; same-type 8-bit input (xnnpack_select.c) */
        if (x->dtype == TFLC_DTYPE_FLOAT32) {
            d->xnn_inv = 1.0f / y->quant.scale;
            c->node->eval = y->dtype == TFLC_DTYPE_INT8 ? eval_f32_s8_xnn : eval_f32_u8_xnn;
        } else {
            d->xnn_mult = tflc_q8_multiplier(x->quant.scale / y->quant.scale);
            d->xnn_bias = y->quant.zero_point * 256 - d->xnn_mult * x->quant.zero_point + 0x80;
            c->node->eval = y->dtype == TFLC_DTYPE_INT8 ? eval_s8_s8_xnn : eval_u8_u8_xnn;
        }
        return TFLC_STATUS_OK;
    }
    if (x->dtype == TFLC_DTYPE_FLOAT32) {
        d->scale = y->quant.scale;
        if (y->quant.num_scales > 1) {
            int axis = y->quant.axis;
            if (axis < 0 || axis >= y->rank || y->dims[axis] != y->quant.num_scales)
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' has %d scales for quantized dimension %d",
                                    y->name, (int)y->quant.num_scales, axis);
            for (int i = 0; i < y->quant.num_scales; i++)
                if (!(y->quant.scales[i] > 0.0f))
                    return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' scale %d is not positive", y->name, i);
            d->scales = y->quant.scales;
            d->channels = y->quant.num_scales;
            d->inner = 1;
            for (int i = axis + 1; i < y->rank; i++) d->inner *= (size_t)y->dims[i];
        }
        return TFLC_STATUS_OK;
    }
    if ((st = unary_need_quant(c, x))) return st;
    if (x->quant.num_scales > 1 || y->quant.num_scales > 1)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "per-channel requantization is not supported");
    if (x->dtype == TFLC_DTYPE_INT16 && y->dtype == TFLC_DTYPE_INT16 &&
        ((st = unary_need_zp0(c, x)) || (st = unary_need_zp0(c, y))))
        return st;
    d->in_zp = x->quant.zero_point;
    tflc_quantize_multiplier((double)x->quant.scale / (double)y->quant.scale, &d->mult, &d->shift);
    return TFLC_STATUS_OK;
}
