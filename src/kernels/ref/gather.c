/* GATHER: out = params.take(indices, axis) with batch_dims leading dims shared by params
 * and indices (TFLite's rules: axis and batch_dims may be negative; 0 <= batch_dims <= axis,
 * batch_dims < rank(params), batch_dims <= rank(indices), the batch dims must match).
 *   out shape = params[:axis] + indices[batch_dims:] + params[axis+1:]
 * Indices are int32 or int64; one outside [0, params.dims[axis]) stops eval with
 * INVALID_ARGUMENT naming it (never an out-of-bounds read). Types: every copyable dtype.
 * prepare computes the loop sizes. */
#include "kernels/ref/shape_util.h"

struct gather_data {
    size_t batch, outer, coords, inner_bytes;
    int32_t axis_size;
};

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct gather_data *d = c->node->data;
    const struct tflc_tensor *p = tflc_op_in(c, 0), *ix = tflc_op_in(c, 1);
    const uint8_t *src = p->data;
    uint8_t *dst = tflc_op_out(c, 0)->data;
    size_t slab = (size_t)d->axis_size * d->inner_bytes; /* bytes of params per outer index */
    for (size_t b = 0; b < d->batch; b++) {
        for (size_t o = 0; o < d->outer; o++) {
            const uint8_t *base = src + (b * d->outer + o) * slab;
            for (size_t i = 0; i < d->coords; i++) {
                size_t at = b * d->coords + i;
                int64_t k = shp_int_at(ix, at);
                if (k < 0 || k >= d->axis_size)
                    return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "index %lld at position %zu of '%s' is outside [0, %d)",
                                        (long long)k, at, ix->name, (int)d->axis_size);
                memcpy(dst, base + (size_t)k * d->inner_bytes, d->inner_bytes);
                dst += d->inner_bytes;
            }
        }
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_gather_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *p = tflc_op_in(c, 0), *ix = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!p || !ix) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (p->dtype != y->dtype || !shp_copyable(p->dtype) || !shp_is_index_type(ix->dtype)) return tflc_op_unsupported(c);
    int32_t raw_axis = tflc_tfl_gather_options_axis(c->node->options);
    int32_t bd = tflc_tfl_gather_options_batch_dims(c->node->options);
    int axis;
    if (!shp_axis(raw_axis, p->rank, &axis))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis %d is out of range for params rank %d", (int)raw_axis, (int)p->rank);
    if (bd < 0) bd += ix->rank;
    if (bd < 0 || bd > axis || bd >= p->rank || bd > ix->rank)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "batch_dims %d is out of range (axis %d, ranks %d and %d)",
                            (int)tflc_tfl_gather_options_batch_dims(c->node->options), axis, (int)p->rank, (int)ix->rank);
    for (int i = 0; i < bd; i++)
        if (p->dims[i] != ix->dims[i])
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "batch dim %d differs: params '%s' has %d, indices '%s' has %d", i,
                                p->name, (int)p->dims[i], ix->name, (int)ix->dims[i]);
    int rank = p->rank + ix->rank - 1 - bd;
    if (rank > TFLC_MAX_DIMS)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "output would have rank %d, at most %d is supported", rank, TFLC_MAX_DIMS);
    int32_t dims[TFLC_MAX_DIMS];
    int k = 0;
    for (int i = 0; i < axis; i++) dims[k++] = p->dims[i];
    for (int i = bd; i < ix->rank; i++) dims[k++] = ix->dims[i];
    for (int i = axis + 1; i < p->rank; i++) dims[k++] = p->dims[i];
    if ((st = tflc_op_set_shape(c, y, rank, dims))) return st;
    struct gather_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->batch = shp_prod(p->dims, 0, bd);
    d->outer = shp_prod(p->dims, bd, axis);
    d->coords = shp_prod(ix->dims, bd, ix->rank);
    d->axis_size = p->dims[axis];
    d->inner_bytes = shp_prod(p->dims, axis + 1, p->rank) * tflc_dtype_size(p->dtype);
    c->node->data = d;
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
