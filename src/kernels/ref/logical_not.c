/* LOGICAL_NOT: y = !x elementwise over a BOOL tensor (TFLite's elementwise.cc). */
#include "kernels/ref/extra_util.h"

static enum tflc_status eval_bool(const struct tflc_op_ctx *c) {
    const uint8_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    uint8_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = (uint8_t)(in[i] == 0);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_logical_not_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != TFLC_DTYPE_BOOL || y->dtype != TFLC_DTYPE_BOOL) return tflc_op_unsupported(c);
    if ((st = tflc_op_set_shape(c, y, x->rank, x->dims))) return st;
    c->node->eval = eval_bool;
    return TFLC_STATUS_OK;
}
