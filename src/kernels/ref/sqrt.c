/* SQRT: y = sqrt(x). float32: sqrtf (negative x gives NaN, as TFLite).
 * int8 and int16 (int16: zero points 0), as TFLite's quantized kernel: dequantize in float,
 * sqrt, divide by the output scale, truncate toward zero, add the output zero point, clamp.
 * A negative dequantized input is an error at eval, as in TFLite. */
#include "kernels/ref/unary_util.h"

struct sqrt_data {
    float in_scale, out_scale;
    int32_t in_zp, out_zp;
};

static float sqrt_f(float x) { return sqrtf(x); }

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    unary_map_f32(c, sqrt_f);
    return TFLC_STATUS_OK;
}

static bool sqrt_q(const struct sqrt_data *d, int32_t q, int32_t qmin, int32_t qmax, int32_t *out) {
    float v = d->in_scale * (float)(q - d->in_zp);
    if (!(v >= 0.0f)) return false;
    float r = sqrtf(v) / d->out_scale;
    *out = tflc_clamp_i32(unary_clamp_f2i(r, INT32_MIN / 2, INT32_MAX / 2) + d->out_zp, qmin, qmax); /* truncates */
    return true;
}

#define EVAL_Q(name, T, QMIN, QMAX)                                                                        \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                                            \
        const struct sqrt_data *d = c->node->data;                                                         \
        const T *in = tflc_op_in(c, 0)->data;                                                              \
        struct tflc_tensor *y = tflc_op_out(c, 0);                                                         \
        T *out = y->data;                                                                                  \
        size_t n = tflc_numel(y);                                                                          \
        for (size_t i = 0; i < n; i++) {                                                                   \
            int32_t r;                                                                                     \
            if (!sqrt_q(d, in[i], QMIN, QMAX, &r))                                                         \
                return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT,                                       \
                                    "input element %zu is negative (%d); sqrt is only defined for x >= 0", i, \
                                    (int)in[i]);                                                           \
            out[i] = (T)r;                                                                                 \
        }                                                                                                  \
        return TFLC_STATUS_OK;                                                                             \
    }
EVAL_Q(eval_s8, int8_t, -128, 127)
EVAL_Q(eval_s16, int16_t, -32768, 32767)

enum tflc_status tflc_sqrt_prepare(struct tflc_op_ctx *c) {
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
    if (x->dtype == TFLC_DTYPE_INT16 && ((st = unary_need_zp0(c, x)) || (st = unary_need_zp0(c, y)))) return st;
    struct sqrt_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    *d = (struct sqrt_data){x->quant.scale, y->quant.scale, x->quant.zero_point, y->quant.zero_point};
    c->node->data = d;
    c->node->eval = x->dtype == TFLC_DTYPE_INT8 ? eval_s8 : eval_s16;
    return TFLC_STATUS_OK;
}
