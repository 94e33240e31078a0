/* POW: y = a ^ b elementwise with numpy broadcasting (TFLite's pow.cc).
 * float32: powf. int32: std::pow on doubles converted back to int32, as TFLite's
 * reference Pow (exact for representable results; values beyond int32 saturate here, where
 * TFLite's conversion is undefined). A negative int32 exponent is an error at run time
 * (TFLite: "Integer power cannot have negative exponent"). prepare builds the walk. */
#include "kernels/ref/extra_util.h"

struct pow_data {
    struct xt_bcast bc;
};

static int32_t pow_s32(int32_t a, int32_t b) {
    double r = pow((double)a, (double)b);
    if (!(r > (double)INT32_MIN)) return INT32_MIN;
    if (r >= (double)INT32_MAX) return INT32_MAX;
    return (int32_t)r;
}

XT_BINARY_EVAL(eval_f32, struct pow_data, float, float, float, powf(a, b))
XT_BINARY_EVAL(eval_s32_values, struct pow_data, int32_t, int32_t, int32_t, pow_s32(a, b))

static enum tflc_status eval_s32(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *e = tflc_op_in(c, 1);
    const int32_t *ev = e->data;
    size_t n = tflc_numel(e);
    for (size_t i = 0; i < n; i++)
        if (ev[i] < 0)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "integer power with negative exponent %d (element %zu of '%s')",
                                (int)ev[i], i, e->name);
    return eval_s32_values(c);
}

enum tflc_status tflc_pow_prepare(struct tflc_op_ctx *c) {
    struct pow_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    enum tflc_status st = xt_bcast_prepare(c, 2, &d->bc);
    if (st) return st;
    const struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (a->dtype != b->dtype || a->dtype != y->dtype) return tflc_op_unsupported(c);
    c->node->data = d;
    switch (a->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32: c->node->eval = eval_s32; return TFLC_STATUS_OK;
    default: return tflc_op_unsupported(c);
    }
}
