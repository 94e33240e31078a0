/* ZEROS_LIKE: y = zeros of x's shape and dtype (TFLite's zeros_like.cc: int64, int32,
 * float32; tflc also accepts the other copyable dtypes, filled with raw zeros). */
#include "kernels/ref/extra_util.h"

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    struct tflc_tensor *y = tflc_op_out(c, 0);
    if (y->bytes) memset(y->data, 0, y->bytes);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_zeros_like_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !xt_copyable(x->dtype)) return tflc_op_unsupported(c);
    c->node->eval = eval;
    return tflc_op_set_shape(c, y, x->rank, x->dims);
}
