/* GELU: y = x * Phi(x). GeluOptions.approximate selects the tanh form
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))); otherwise the exact 0.5 x erfc(-x/sqrt(2))
 * (TFLite's erfc form, stable for large negative x).
 * float32 evaluates the formula; uint8/int8 use a 256-entry table built like TFLite's
 * LUTPopulate (dequantize, float GELU, round half away from zero, requantize). */
#include "kernels/ref/unary_util.h"

#define GELU_SQRT1_2 0.70710678118654752440f
#define GELU_SQRT_2_OVER_PI 0.79788456080286535588f

static float gelu_exact(float x) { return 0.5f * x * erfcf(x * -GELU_SQRT1_2); }

static float gelu_tanh(float x) {
    return 0.5f * x * (1.0f + tanhf(GELU_SQRT_2_OVER_PI * (x + 0.044715f * x * x * x)));
}

static float gelu_lut(float x, const void *p) { return *(const bool *)p ? gelu_tanh(x) : gelu_exact(x); }

static enum tflc_status eval_exact(const struct tflc_op_ctx *c) {
    unary_map_f32(c, gelu_exact);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_approx(const struct tflc_op_ctx *c) {
    unary_map_f32(c, gelu_tanh);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_gelu_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    bool approximate = tflc_tfl_gelu_options_approximate(c->node->options);
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = approximate ? eval_approx : eval_exact; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8:
    case TFLC_DTYPE_UINT8:
        if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
        return unary_prepare_lut8(c, x, y, gelu_lut, &approximate);
    default: return tflc_op_unsupported(c);
    }
}
