/* HARD_SWISH: y = x * relu6(x + 3) / 6.
 * float32: TFLite's reference expression (x * min(6, max(0, x + 3))) / 6.
 * uint8/int8: TFLite's reference fixed-point recipe (reference_ops::HardSwish), all in 16 bits:
 * the centred input is shifted left 7 bits ("hires", scale in_s/128); it is multiplied by the
 * Q15 output multiplier (hires scale / out_s, exponent <= 0) and, separately, rescaled by the
 * Q15 "reluish" multiplier (hires scale / (3/32768), saturating left shifts) into [-1, 1],
 * mapped to [0, 1]; the two are multiplied with a truncating doubling high multiply, shifted
 * right by the output exponent and offset by the output zero point.
 * prepare precomputes both Q15 multipliers and exponents. */
#include "kernels/ref/unary_util.h"

struct hard_swish_data {
    int32_t in_zp, out_zp;
    int32_t out_mult16, reluish_mult16; /* Q15 */
    int out_exp, reluish_exp;
};

static float hard_swish_f(float x) {
    float r = x + 3.0f;
    r = r > 0.0f ? r : 0.0f;
    r = r < 6.0f ? r : 6.0f;
    return x * r / 6.0f;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    unary_map_f32(c, hard_swish_f);
    return TFLC_STATUS_OK;
}

/* TFLite's SaturatingLeftShift on int16. */
static int32_t sat_shl16(int32_t v, int amount) {
    int64_t r = (int64_t)v * ((int64_t)1 << amount);
    return r > INT16_MAX ? INT16_MAX : r < INT16_MIN ? INT16_MIN : (int32_t)r;
}

/* SaturatingDoublingHighMul on int16: like gemmlowp's but truncating instead of rounding. */
static int32_t sat_dhm16(int32_t a, int32_t b) {
    if (a == b && a == INT16_MIN) return INT16_MAX;
    return (a * b) / (1 << 15);
}

static int32_t hard_swish_q(const struct hard_swish_data *d, int32_t q, int32_t qmin, int32_t qmax) {
    int32_t v = fx_wrap(q - d->in_zp, 16);
    int32_t hires = fx_wrap(v * 128, 16);
    int32_t pre_out = fx_mul(hires, d->out_mult16, 16);
    int32_t reluish = hires;
    if (d->reluish_exp > 0) reluish = sat_shl16(reluish, d->reluish_exp - 1);
    reluish = fx_mul(reluish, d->reluish_mult16, 16);
    if (d->reluish_exp > 0) reluish = sat_shl16(reluish, 1);
    if (d->reluish_exp < 0) reluish = fx_rdiv_pot(reluish, -d->reluish_exp);
    reluish = (reluish + (1 << 15)) >> 1; /* [-1, 1] -> [0, 1] */
    int32_t out = sat_dhm16(reluish, pre_out);
    out = fx_rdiv_pot(out, -d->out_exp);
    out = fx_wrap(out + d->out_zp, 16); /* TFLite adds the zero point in int16 */
    return tflc_clamp_i32(out, qmin, qmax);
}

static enum tflc_status eval_s8(const struct tflc_op_ctx *c) {
    const struct hard_swish_data *d = c->node->data;
    const int8_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int8_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = (int8_t)hard_swish_q(d, in[i], -128, 127);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_u8(const struct tflc_op_ctx *c) {
    const struct hard_swish_data *d = c->node->data;
    const uint8_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    uint8_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = (uint8_t)hard_swish_q(d, in[i], 0, 255);
    return TFLC_STATUS_OK;
}

/* TFLite's DownScaleInt32ToInt16Multiplier: Q31 -> Q15, rounding, saturating. */
static int32_t q31_to_q15(int32_t m) {
    if (m >= INT32_MAX - (1 << 15)) return INT16_MAX;
    return (m + (1 << 15)) >> 16;
}

enum tflc_status tflc_hard_swish_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    if (x->dtype == TFLC_DTYPE_FLOAT32) {
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    }
    if (x->dtype != TFLC_DTYPE_INT8 && x->dtype != TFLC_DTYPE_UINT8) return tflc_op_unsupported(c);
    if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
    struct hard_swish_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->in_zp = x->quant.zero_point;
    d->out_zp = y->quant.zero_point;
    const float hires_scale = (1.0f / 128.0f) * x->quant.scale;
    const float reluish_scale = 3.0f / 32768.0f;
    int32_t m;
    tflc_quantize_multiplier((double)(hires_scale / y->quant.scale), &m, &d->out_exp);
    d->out_mult16 = q31_to_q15(m);
    if (d->out_exp > 0)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "input/output scales give an output multiplier >= 1 (in %g, out %g)",
                            (double)x->quant.scale, (double)y->quant.scale);
    tflc_quantize_multiplier((double)(hires_scale / reluish_scale), &m, &d->reluish_exp);
    d->reluish_mult16 = q31_to_q15(m);
    c->node->eval = x->dtype == TFLC_DTYPE_INT8 ? eval_s8 : eval_u8;
    return TFLC_STATUS_OK;
}
