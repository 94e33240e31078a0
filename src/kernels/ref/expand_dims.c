/* EXPAND_DIMS: inserts a size-1 dim at `axis` (input 1: one int32/int64 value in
 * [-rank-1, rank], negative counting from the end of the output). A byte copy.
 * A non-constant axis: the output keeps the model's declared shape and eval checks that
 * the axis value gives exactly it. Types: every copyable dtype. */
#include "kernels/ref/shape_util.h"

/* Output shape for `axis`; false when the axis is out of range. */
static bool expanded(const struct tflc_tensor *x, int64_t axis, int32_t *dims) {
    if (axis < 0) axis += x->rank + 1;
    if (axis < 0 || axis > x->rank) return false;
    int n = 0;
    for (int d = 0; d <= x->rank; d++) {
        if (d == axis) dims[n++] = 1;
        if (d < x->rank) dims[n++] = x->dims[d];
    }
    return true;
}

static enum tflc_status eval_copy(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    memcpy(tflc_op_out(c, 0)->data, x->data, x->bytes);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_check(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0), *a = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    int64_t axis = shp_int_at(a, 0);
    int32_t dims[TFLC_MAX_DIMS] = {0};
    if (!expanded(x, axis, dims) || !shp_has_shape(y, x->rank + 1, dims)) {
        char b[96];
        return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "axis %lld does not give the planned output shape %s",
                            (long long)axis, shp_fmt(b, sizeof b, y->rank, y->dims));
    }
    return eval_copy(c);
}

enum tflc_status tflc_expand_dims_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *a = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !a) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !shp_copyable(x->dtype) || !shp_is_index_type(a->dtype)) return tflc_op_unsupported(c);
    if (tflc_numel(a) != 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis tensor '%s' must hold one value, it has %zu", a->name, tflc_numel(a));
    if (x->rank + 1 > TFLC_MAX_DIMS)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "output would have rank %d, at most %d is supported", (int)x->rank + 1,
                            TFLC_MAX_DIMS);
    if (!tflc_op_is_const(c, a)) {
        if (y->rank != x->rank + 1 || tflc_numel(y) != tflc_numel(x))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' must have rank %d and as many elements as the input",
                                y->name, (int)x->rank + 1);
        if ((st = tflc_op_set_shape(c, y, y->rank, y->dims))) return st;
        c->node->eval = eval_check;
        return TFLC_STATUS_OK;
    }
    int64_t axis = shp_int_at(a, 0);
    int32_t dims[TFLC_MAX_DIMS];
    if (!expanded(x, axis, dims))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis %lld is out of range for input rank %d", (long long)axis, (int)x->rank);
    if ((st = tflc_op_set_shape(c, y, x->rank + 1, dims))) return st;
    c->node->eval = eval_copy;
    return TFLC_STATUS_OK;
}
