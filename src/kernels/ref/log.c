/* LOG: y = ln(x). float32: logf (x <= 0 gives -inf / NaN, as TFLite). int8 and int16 (zero
 * points 0): TFLite's tables (256 entries for int8, interpolated 513 for int16) of ln(x), where
 * x <= 0 maps to the lowest representable output. */
#include "kernels/ref/unary_util.h"

static float log_f(float x) { return logf(x); }

static float log_lut(float x, const void *p) { return x <= 0.0f ? *(const float *)p : logf(x); }

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    unary_map_f32(c, log_f);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_log_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    if (x->dtype == TFLC_DTYPE_FLOAT32) {
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    }
    if (x->dtype != TFLC_DTYPE_INT8 && x->dtype != TFLC_DTYPE_INT16) return tflc_op_unsupported(c);
    if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
    int32_t qmin, qmax;
    tflc_qrange(y->dtype, &qmin, &qmax);
    /* The output's lowest real value stands in for ln(0) (float math, as TFLite). */
    const float out_min = (float)(qmin - y->quant.zero_point) * y->quant.scale;
    if (x->dtype == TFLC_DTYPE_INT8) return unary_prepare_lut8(c, x, y, log_lut, &out_min);
    if ((st = unary_need_zp0(c, x)) || (st = unary_need_zp0(c, y))) return st;
    return unary_prepare_lut16(c, x, y, log_lut, &out_min);
}
