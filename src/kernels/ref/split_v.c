/* SPLIT_V: splits x along `axis` into num_splits outputs of the given sizes (TFLite's
 * split_v.cc). Inputs: x, size_splits (1-D int32 or int64, one entry may be -1 = the rest),
 * axis (one-element int32, negative counts from the end); both must be constants here
 * (TFLite also allows computed ones, which make the outputs dynamic: refused). Sizes must be
 * >= 0 and sum to the axis dim. Types: every copyable dtype, values moved raw. */
#include "kernels/ref/extra_util.h"

struct split_v_data {
    int axis, nout;
    size_t outer, inner, es;
};

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct split_v_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    const uint8_t *in = x->data;
    size_t axis_n = (size_t)x->dims[d->axis], row = axis_n * d->inner * d->es;
    size_t start = 0;
    for (int k = 0; k < d->nout; k++) {
        const struct tflc_tensor *y = tflc_op_out(c, k);
        size_t chunk = (size_t)y->dims[d->axis] * d->inner * d->es;
        uint8_t *out = y->data;
        for (size_t o = 0; o < d->outer && chunk; o++) memcpy(out + o * chunk, in + o * row + start, chunk);
        start += chunk;
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_split_v_prepare(struct tflc_op_ctx *c) {
    int nout = c->node->noutputs;
    enum tflc_status st = tflc_op_check_io(c, 3, 3, nout);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *sz = tflc_op_in(c, 1), *ax = tflc_op_in(c, 2);
    if (!x || !sz || !ax) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    int num_splits = tflc_tfl_split_v_options_num_splits(c->node->options);
    if (nout < 1 || num_splits != nout)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "num_splits is %d but the op has %d outputs", num_splits, nout);
    for (int k = 0; k < nout; k++)
        if (tflc_op_out(c, k)->dtype != x->dtype) return tflc_op_unsupported(c);
    if (!xt_copyable(x->dtype)) return tflc_op_unsupported(c);
    int axis = 0;
    if ((st = xt_const_axis(c, ax, x->rank, &axis))) return st;
    if (!xt_is_index(sz->dtype) || sz->rank != 1 || sz->dims[0] != nout)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "size_splits '%s' must be 1-D INT32/INT64 with %d entries", sz->name,
                            nout);
    if (!tflc_op_is_const(c, sz) || !sz->data)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "size_splits '%s' must be a constant", sz->name);
    int64_t sizes[256], total = 0;
    int unknown = -1;
    if (nout > 256) return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "%d outputs (at most 256)", nout);
    for (int k = 0; k < nout; k++) {
        sizes[k] = xt_int_at(sz, (size_t)k);
        if (sizes[k] == -1 && unknown < 0) { unknown = k; continue; }
        if (sizes[k] < 0)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "size_splits[%d] is %lld", k, (long long)sizes[k]);
        total += sizes[k];
    }
    if (unknown >= 0) sizes[unknown] = x->dims[axis] - total;
    if ((unknown >= 0 && sizes[unknown] < 0) || (unknown < 0 && total != x->dims[axis]))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "size_splits of '%s' do not add up to dim %d (%d)", sz->name, axis,
                            (int)x->dims[axis]);
    struct split_v_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    size_t n;
    xt_split_dims(x, axis, &d->outer, &n, &d->inner);
    d->axis = axis;
    d->nout = nout;
    d->es = tflc_dtype_size(x->dtype);
    for (int k = 0; k < nout; k++) {
        int32_t dims[TFLC_MAX_DIMS];
        for (int i = 0; i < x->rank; i++) dims[i] = x->dims[i];
        dims[axis] = (int32_t)sizes[k];
        if ((st = tflc_op_set_shape(c, tflc_op_out(c, k), x->rank, dims))) return st;
    }
    c->node->data = d;
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
