/* LOGISTIC: y = 1 / (1 + exp(-x)).
 * float32: TFLite's reference formula (exp(x) below -9, 1 above 16.619..., else 1/(1+exp(-x))).
 * uint8/int8: a 256-entry table built like TFLite's LUTPopulate (dequantize, float sigmoid,
 * round half away from zero, requantize); TFLite requires output scale 1/256. Delegated to
 * XNNPACK (kernel.h): its table (ties to even, 1 - 1/(1+exp(x)) for x >= 0).
 * int16: symmetric, output scale 2^-15; input scale 2^-12 runs gemmlowp's fixed-point
 * logistic on F3 -> F0 (TFLite's kernel for that case). Other int16 input scales use a
 * tuned 256-entry sigmoid table in TFLite that we do not have: refused. */
#include "kernels/ref/unary_util.h"

static float logistic_f(float x) {
    if (x > 16.619047164916992188f) return 1.0f;
    if (x < -9.0f) return expf(x);
    return 1.0f / (1.0f + expf(-x));
}

static float logistic_lut(float x, const void *p) {
    (void)p;
    return 1.0f / (1.0f + expf(-x)); /* TFLite's table transform has no cutoffs */
}

/* XNNPACK's sigmoid transform: the formula by the sign bit. */
static float logistic_xnn(float x, const void *p) {
    (void)p;
    return signbit(x) ? 1.0f / (1.0f + expf(-x)) : 1.0f - 1.0f / (1.0f + expf(x));
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    unary_map_f32(c, logistic_f);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s16(const struct tflc_op_ctx *c) {
    const int16_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int16_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = (int16_t)fx_logistic(in[i], 3, 16);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_logistic_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    if (x->dtype == TFLC_DTYPE_FLOAT32) {
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    }
    if (!unary_is_q(x->dtype)) return tflc_op_unsupported(c);
    if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
    if (x->dtype != TFLC_DTYPE_INT16) {
        if ((double)y->quant.scale != 1.0 / 256)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output scale must be 1/256, is %g", (double)y->quant.scale);
        if (tflc_op_uses_xnnpack(c)) return unary_prepare_lut8_xnn(c, x, y, logistic_xnn);
        return unary_prepare_lut8(c, x, y, logistic_lut, NULL);
    }
    if ((st = unary_need_zp0(c, x)) || (st = unary_need_zp0(c, y))) return st;
    if ((double)y->quant.scale != 1.0 / 32768)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 output scale must be 2^-15, is %g", (double)y->quant.scale);
    int l2;
    if (!unary_checked_log2(x->quant.scale, &l2) || l2 != -12)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                            "int16 input scale %g is not 2^-12 (TFLite's table-based int16 kernel for other scales is not implemented)",
                            (double)x->quant.scale);
    c->node->eval = eval_s16;
    return TFLC_STATUS_OK;
}
