/* ELU: y = x < 0 ? exp(x) - 1 : x (alpha 1; TFLite's ELU has no options).
 * float32: expm1f. int8: a 256-entry table built like TFLite's LUTPopulate (dequantize,
 * float ELU, round half away from zero, requantize); TFLite has no uint8/int16 ELU. Delegated
 * to XNNPACK (kernel.h): XNNPACK's table, ties to even (unary_lut8_fill_xnn). */
#include "kernels/ref/unary_util.h"

static float elu_f(float x) { return x < 0.0f ? expm1f(x) : x; }

static float elu_lut(float x, const void *p) {
    (void)p;
    return elu_f(x);
}

/* XNNPACK's ELU transform (alpha 1): by the sign bit. */
static float elu_xnn(float x, const void *p) {
    (void)p;
    return signbit(x) ? expm1f(x) : x;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    unary_map_f32(c, elu_f);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_elu_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8:
        if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
        if (tflc_op_uses_xnnpack(c)) return unary_prepare_lut8_xnn(c, x, y, elu_xnn);
        return unary_prepare_lut8(c, x, y, elu_lut, NULL);
    default: return tflc_op_unsupported(c);
    }
}
