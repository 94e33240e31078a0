/* UNPACK: splits the input along `axis` (negative counts from the end) into its dim-size
 * outputs, each with that dim removed; options.num must equal the dim (0 = take it from the
 * input) and the output count. Types: every copyable dtype. */
#include "kernels/ref/shape_util.h"

struct unpack_data {
    size_t outer, row;     /* rows before the axis; bytes of one output per row */
};

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct unpack_data *d = c->node->data;
    const uint8_t *src = tflc_op_in(c, 0)->data;
    int n = c->node->noutputs;
    for (size_t o = 0; o < d->outer; o++)
        for (int i = 0; i < n; i++, src += d->row) memcpy((uint8_t *)tflc_op_out(c, i)->data + o * d->row, src, d->row);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_unpack_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, c->node->noutputs);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (!shp_copyable(x->dtype)) return tflc_op_unsupported(c);
    int32_t raw = tflc_tfl_unpack_options_axis(c->node->options);
    int axis;
    if (!shp_axis(raw, x->rank, &axis))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis %d is out of range for rank %d", (int)raw, (int)x->rank);
    int num = tflc_tfl_unpack_options_num(c->node->options);
    if (num == 0) num = x->dims[axis];
    if (num != x->dims[axis] || num != c->node->noutputs)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "num %d, dim %d of '%s' (size %d) and the %d outputs must agree", num, axis,
                            x->name, (int)x->dims[axis], (int)c->node->noutputs);
    int32_t dims[TFLC_MAX_DIMS];
    for (int d = 0, k = 0; d < x->rank; d++)
        if (d != axis) dims[k++] = x->dims[d];
    for (int i = 0; i < num; i++) {
        struct tflc_tensor *y = tflc_op_out(c, i);
        if (y->dtype != x->dtype) return tflc_op_unsupported(c);
        if ((st = tflc_op_set_shape(c, y, x->rank - 1, dims))) return st;
    }
    struct unpack_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->outer = shp_prod(x->dims, 0, axis);
    d->row = shp_prod(x->dims, axis + 1, x->rank) * tflc_dtype_size(x->dtype);
    c->node->data = d;
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
