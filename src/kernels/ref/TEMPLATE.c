/* OPNAME: one-line semantics (what it computes, layouts: NHWC, weights OHWI, ...).
 * Types: float32; int8 (real = scale * (q - zero_point); requantization as TFLite's
 * reference kernel: ...). prepare precomputes: ...
 *
 * To add an op (copy this file to src/kernels/ref/<stem>.c, not compiled as TEMPLATE.c):
 *  1. one line in src/base/ops.def: TFLC_OP(OPNAME, stem, max_version)
 *  2. this file, defining tflc_<stem>_prepare; list it in src/runtime_sources.txt
 *  3. cases in tests/kernels/cases_<stem or group>.c (checked against Google's TFLite)
 * Prepare validates everything and picks an eval; eval re-checks nothing. */
#include "kernels/ref/common.h"

struct stem_data {
    int32_t mult;   /* Q31 output multiplier */
    int shift;      /* its power-of-two exponent */
};

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    const float *in = x->data;
    float *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = in[i];
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_stem_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if ((st = tflc_op_set_shape(c, y, x->rank, x->dims))) return st;
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32:
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    default:
        return tflc_op_unsupported(c);
    }
}
