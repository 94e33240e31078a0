/* LEAKY_RELU: y = x > 0 ? x : alpha * x (alpha from LeakyReluOptions, any sign or size).
 * float32. uint8/int8/int16 (int16: zero points 0), TFLite's recipe with two multipliers:
 * d = q - in_zp; y = out_zp + (d >= 0 ? MBQM(d, in_s/out_s) : MBQM(d, in_s*alpha/out_s)),
 * clamped to the storage range; both quotients are float math, as in TFLite's prepare. A
 * negative alpha uses the multiplier of |alpha| and negates the product, as TFLite's current
 * reference kernel does (older TFLite passed a negative multiplier, which can differ by 1 LSB
 * on exact ties). Delegated to XNNPACK (kernel.h; 8-bit): 8.8 fixed point,
 * y = clamp(floor(((out_zp << 8) + 0x80 + d * m) / 256)) with m = lrintf(256 * in_s / out_s)
 * for d >= 0 and lrintf(256 * (in_s / out_s) * alpha) below. prepare precomputes the multipliers. */
#include "kernels/ref/unary_util.h"

struct leaky_relu_data {
    float alpha;
    int32_t in_zp, out_zp;
    int32_t id_mult, alpha_mult; /* Q31 multipliers of in_s/out_s and |in_s*alpha/out_s| */
    int id_shift, alpha_shift;
    bool alpha_negative;
    bool xnn;                    /* delegated to XNNPACK: 8.8 fixed-point multipliers below */
    int32_t xnn_pos, xnn_neg;    /* lrintf(256 * in_s / out_s), lrintf(256 * that * alpha) */
};

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    const struct leaky_relu_data *d = c->node->data;
    const float *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    float *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = in[i] > 0.0f ? in[i] : in[i] * d->alpha;
    return TFLC_STATUS_OK;
}

static inline int32_t leaky_q(const struct leaky_relu_data *d, int32_t q, int32_t qmin, int32_t qmax) {
    int32_t v = q - d->in_zp;
    int32_t r;
    if (d->xnn) return tflc_clamp_i32(tflc_asr(d->out_zp * 256 + 0x80 + v * (v < 0 ? d->xnn_neg : d->xnn_pos), 8), qmin, qmax);
    if (v >= 0) {
        r = tflc_mbqm(v, d->id_mult, d->id_shift);
    } else {
        r = tflc_mbqm(v, d->alpha_mult, d->alpha_shift);
        if (d->alpha_negative) r = -r;
    }
    return tflc_clamp_i32(tflc_add_sat32(d->out_zp, r), qmin, qmax);
}

#define EVAL_Q(name, T, QMIN, QMAX)                                        \
    static enum tflc_status name(const struct tflc_op_ctx *c) {            \
        const struct leaky_relu_data *d = c->node->data;                   \
        const T *in = tflc_op_in(c, 0)->data;                              \
        struct tflc_tensor *y = tflc_op_out(c, 0);                         \
        T *out = y->data;                                                  \
        size_t n = tflc_numel(y);                                          \
        for (size_t i = 0; i < n; i++) out[i] = (T)leaky_q(d, in[i], QMIN, QMAX); \
        return TFLC_STATUS_OK;                                             \
    }
EVAL_Q(eval_s8, int8_t, -128, 127)
EVAL_Q(eval_u8, uint8_t, 0, 255)
EVAL_Q(eval_s16, int16_t, -32768, 32767)

enum tflc_status tflc_leaky_relu_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    struct leaky_relu_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->alpha = tflc_tfl_leaky_relu_options_alpha(c->node->options);
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8: c->node->eval = eval_s8; break;
    case TFLC_DTYPE_UINT8: c->node->eval = eval_u8; break;
    case TFLC_DTYPE_INT16: c->node->eval = eval_s16; break;
    default: return tflc_op_unsupported(c);
    }
    if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
    if (x->dtype == TFLC_DTYPE_INT16 && ((st = unary_need_zp0(c, x)) || (st = unary_need_zp0(c, y)))) return st;
    d->in_zp = x->quant.zero_point;
    d->out_zp = y->quant.zero_point;
    float am = x->quant.scale * d->alpha / y->quant.scale;
    d->alpha_negative = am < 0.0f;
    tflc_quantize_multiplier((double)(d->alpha_negative ? -am : am), &d->alpha_mult, &d->alpha_shift);
    tflc_quantize_multiplier((double)(x->quant.scale / y->quant.scale), &d->id_mult, &d->id_shift);
    if (tflc_op_uses_xnnpack(c)) { /* 8-bit, scale ratios XNNPACK accepts (xnnpack_select.c) */
        const float pos = x->quant.scale / y->quant.scale;
        d->xnn = true;
        d->xnn_pos = tflc_q8_multiplier(pos);
        d->xnn_neg = tflc_q8_multiplier(pos * d->alpha);
    }
    return TFLC_STATUS_OK;
}
