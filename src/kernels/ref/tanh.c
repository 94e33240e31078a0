/* TANH: y = tanh(x).
 * float32: tanhf.
 * uint8/int8: a 256-entry table built like TFLite's LUTPopulate (dequantize, float tanh, round
 * half away from zero, requantize to the output's scale and zero point).
 * int16: symmetric, output scale 2^-15; input scale 2^-12 or 2^-11 runs gemmlowp's fixed-point
 * tanh on F3 -> F0 (2^-11 first doubles the input, saturating), as TFLite does. Other int16
 * input scales use a tuned sigmoid table in TFLite that we do not have: refused.
 * prepare builds the table or records the input shift. */
#include "kernels/ref/unary_util.h"

struct tanh_data {
    int left_shift; /* int16: 0 or 1 */
};

static float tanh_lut(float x, const void *p) {
    (void)p;
    return tanhf(x);
}

static float tanh_f(float x) { return tanhf(x); }

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    unary_map_f32(c, tanh_f);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s16(const struct tflc_op_ctx *c) {
    const struct tanh_data *d = c->node->data;
    const int16_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int16_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) {
        int32_t v = d->left_shift ? fx_mul_pot(in[i], 1, 16) : in[i];
        out[i] = (int16_t)fx_tanh(v, 3, 16);
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_tanh_prepare(struct tflc_op_ctx *c) {
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
    if (x->dtype != TFLC_DTYPE_INT16) return unary_prepare_lut8(c, x, y, tanh_lut, NULL);
    if ((st = unary_need_zp0(c, x)) || (st = unary_need_zp0(c, y))) return st;
    int l2;
    if (!unary_checked_log2(y->quant.scale, &l2) || l2 != -15)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 output scale must be 2^-15, is %g", (double)y->quant.scale);
    bool pot = unary_checked_log2(x->quant.scale, &l2);
    int shift = 12 + l2;
    if (!pot || (shift != 0 && shift != 1))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                            "int16 input scale %g is not 2^-12 or 2^-11 (TFLite's table-based int16 kernel for other scales is not implemented)",
                            (double)x->quant.scale);
    struct tanh_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->left_shift = shift;
    c->node->data = d;
    c->node->eval = eval_s16;
    return TFLC_STATUS_OK;
}
