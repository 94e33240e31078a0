/* SQUEEZE: drops size-1 dims (those listed in options.squeeze_dims, negative counting from
 * the end; all size-1 dims when the list is empty). A byte copy. Listing a dim whose size
 * is not 1 or that is out of range is INVALID_MODEL (TFLite's checks).
 * Types: every copyable dtype. */
#include "kernels/ref/shape_util.h"

static enum tflc_status eval_copy(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    memcpy(tflc_op_out(c, 0)->data, x->data, x->bytes);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_squeeze_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !shp_copyable(x->dtype)) return tflc_op_unsupported(c);
    bool drop[TFLC_MAX_DIMS] = {false};
    struct tflc_fb_vec v = tflc_tfl_squeeze_options_squeeze_dims(c->node->options);
    if (v.len == 0) {
        for (int d = 0; d < x->rank; d++) drop[d] = x->dims[d] == 1;
    } else {
        for (uint32_t i = 0; i < v.len; i++) {
            int32_t want = tflc_fb_vec_i32(v, i);
            int d;
            if (!shp_axis(want, x->rank, &d))
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "squeeze dim %d is out of range for rank %d", (int)want, (int)x->rank);
            if (x->dims[d] != 1)
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "cannot squeeze dim %d of '%s': its size is %d, not 1", d, x->name,
                                    (int)x->dims[d]);
            drop[d] = true;
        }
    }
    int32_t dims[TFLC_MAX_DIMS];
    int n = 0;
    for (int d = 0; d < x->rank; d++)
        if (!drop[d]) dims[n++] = x->dims[d];
    if ((st = tflc_op_set_shape(c, y, n, dims))) return st;
    c->node->eval = eval_copy;
    return TFLC_STATUS_OK;
}
