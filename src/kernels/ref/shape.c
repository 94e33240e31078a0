/* SHAPE: out = the input's dims as a 1-D int32 or int64 tensor (the output's dtype; a
 * ShapeOptions.out_type of INT32/INT64 must agree with it). The input's data is not read,
 * so any input dtype works. prepare stores the dims; eval writes them. */
#include "kernels/ref/shape_util.h"

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    for (int d = 0; d < x->rank; d++) {
        if (y->dtype == TFLC_DTYPE_INT64) ((int64_t *)y->data)[d] = x->dims[d];
        else ((int32_t *)y->data)[d] = x->dims[d];
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_shape_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (!shp_is_index_type(y->dtype)) return tflc_op_unsupported(c);
    int out_type = tflc_tfl_shape_options_out_type(c->node->options);
    if ((out_type == TFLC_DTYPE_INT32 || out_type == TFLC_DTYPE_INT64) && out_type != (int)y->dtype)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "out_type %s does not match output '%s' of type %s",
                            tflc_dtype_name((enum tflc_dtype)out_type), y->name, tflc_dtype_name(y->dtype));
    int32_t n = x->rank;
    if ((st = tflc_op_set_shape(c, y, 1, &n))) return st;
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
