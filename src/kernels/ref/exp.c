/* EXP: y = exp(x). float32: expf. int8: a 256-entry table built like TFLite's LUTPopulate
 * (dequantize, expf, round half away from zero, requantize; values past the output range
 * saturate). int16 (zero points 0): TFLite's interpolated 513-entry int16 table. */
#include "kernels/ref/unary_util.h"

static float exp_f(float x) { return expf(x); }

static float exp_lut(float x, const void *p) {
    (void)p;
    return expf(x);
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    unary_map_f32(c, exp_f);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_exp_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8:
        if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
        return unary_prepare_lut8(c, x, y, exp_lut, NULL);
    case TFLC_DTYPE_INT16:
        if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
        if ((st = unary_need_zp0(c, x)) || (st = unary_need_zp0(c, y))) return st;
        return unary_prepare_lut16(c, x, y, exp_lut, NULL);
    default: return tflc_op_unsupported(c);
    }
}
