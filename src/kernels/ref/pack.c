/* PACK: stacks values_count inputs of one shape along a new dim `axis` (in [-rank-1, rank],
 * negative counting from the end of the output). Quantized inputs must share the output's
 * scale and zero point (TFLite's rule; there is no requantization).
 * Types: every copyable dtype. prepare computes the outer row count and row bytes. */
#include "kernels/ref/shape_util.h"

struct pack_data {
    size_t outer, row;     /* rows before the axis; bytes of one input per row */
};

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct pack_data *d = c->node->data;
    uint8_t *dst = tflc_op_out(c, 0)->data;
    int n = c->node->ninputs;
    for (size_t o = 0; o < d->outer; o++)
        for (int i = 0; i < n; i++, dst += d->row) memcpy(dst, (const uint8_t *)tflc_op_in(c, i)->data + o * d->row, d->row);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_pack_prepare(struct tflc_op_ctx *c) {
    int n = tflc_tfl_pack_options_values_count(c->node->options);
    if (n < 1 || n != c->node->ninputs)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "values_count %d does not match the %d inputs", n, (int)c->node->ninputs);
    enum tflc_status st = tflc_op_check_io(c, n, n, 1);
    if (st) return st;
    struct tflc_tensor *x0 = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    for (int i = 0; i < n; i++) {
        const struct tflc_tensor *x = tflc_op_in(c, i);
        if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input %d is missing", i);
        if (x->dtype != y->dtype) return tflc_op_unsupported(c);
        if (!tflc_same_shape(x, x0)) {
            char a[96], b[96];
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input %d '%s' %s differs from input 0 '%s' %s", i, x->name,
                                shp_fmt(a, sizeof a, x->rank, x->dims), x0->name, shp_fmt(b, sizeof b, x0->rank, x0->dims));
        }
        if (x->quant.scale != y->quant.scale || x->quant.zero_point != y->quant.zero_point)
            return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "input %d '%s' is quantized differently from the output '%s'", i, x->name,
                                y->name);
    }
    if (!shp_copyable(y->dtype)) return tflc_op_unsupported(c);
    if (x0->rank + 1 > TFLC_MAX_DIMS)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "output would have rank %d, at most %d is supported", (int)x0->rank + 1,
                            TFLC_MAX_DIMS);
    int32_t raw = tflc_tfl_pack_options_axis(c->node->options);
    int axis;
    if (!shp_axis(raw, x0->rank + 1, &axis))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis %d is out of range for output rank %d", (int)raw, (int)x0->rank + 1);
    int32_t dims[TFLC_MAX_DIMS];
    for (int d = 0, k = 0; d <= x0->rank; d++) dims[d] = d == axis ? n : x0->dims[k++];
    if ((st = tflc_op_set_shape(c, y, x0->rank + 1, dims))) return st;
    struct pack_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->outer = shp_prod(x0->dims, 0, axis);
    d->row = shp_prod(x0->dims, axis, x0->rank) * tflc_dtype_size(y->dtype);
    c->node->data = d;
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
