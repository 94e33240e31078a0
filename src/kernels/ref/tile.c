/* TILE: y = x repeated multiples[d] times along each dim d (TFLite's tile.cc):
 * y[i0..ik] = x[i0 % n0, ..., ik % nk], out dims = in dims * multiples.
 * Multiples: 1-D int32 or int64 tensor with one entry per input dim, each >= 0. Types:
 * every copyable dtype (float32, int8, uint8, int16, int32, int64, bool), values moved raw.
 * Constant multiples size the output at prepare; computed ones must give the model's
 * declared output shape (checked at run time). */
#include "kernels/ref/extra_util.h"

struct tile_data {
    bool dynamic;
    size_t es;
};

/* Output dims from the multiples; false when one is negative or the result is too big. */
static bool tiled_dims(const struct tflc_tensor *x, const struct tflc_tensor *m, int32_t *dims) {
    for (int d = 0; d < x->rank; d++) {
        int64_t k = xt_int_at(m, (size_t)d);
        if (k < 0 || (int64_t)x->dims[d] * k > INT32_MAX) return false;
        dims[d] = (int32_t)((int64_t)x->dims[d] * k);
    }
    return true;
}

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct tile_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    const struct tflc_tensor *y = tflc_op_out(c, 0);
    if (d->dynamic) {
        int32_t dims[TFLC_MAX_DIMS] = {0};
        if (!tiled_dims(x, tflc_op_in(c, 1), dims) || !xt_has_shape(y, x->rank, dims))
            return xt_runtime_shape_mismatch(c, y, x->rank, dims);
    }
    const uint8_t *in = x->data;
    uint8_t *out = y->data;
    size_t n = tflc_numel(y), stride[TFLC_MAX_DIMS];
    int32_t idx[TFLC_MAX_DIMS] = {0};
    size_t s = 1;
    for (int k = x->rank - 1; k >= 0; k--) { stride[k] = s; s *= (size_t)x->dims[k]; }
    for (size_t i = 0; i < n; i++) {
        size_t o = 0;
        for (int k = 0; k < x->rank; k++) o += (size_t)(idx[k] % x->dims[k]) * stride[k];
        memcpy(out + i * d->es, in + o * d->es, d->es);
        for (int k = y->rank - 1; k >= 0; k--) {
            if (++idx[k] < y->dims[k]) break;
            idx[k] = 0;
        }
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_tile_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *m = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !m) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !xt_copyable(x->dtype)) return tflc_op_unsupported(c);
    if (!xt_is_index(m->dtype) || m->rank != 1 || m->dims[0] != x->rank)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "multiples '%s' must be 1-D INT32/INT64 with %d entries (one per input dim)", m->name,
                            (int)x->rank);
    struct tile_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->es = tflc_dtype_size(x->dtype);
    c->node->data = d;
    c->node->eval = eval;
    int32_t dims[TFLC_MAX_DIMS];
    if (tflc_op_is_const(c, m) && m->data) {
        if (!tiled_dims(x, m, dims))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "multiples '%s' hold a negative or too large value", m->name);
        return tflc_op_set_shape(c, y, x->rank, dims);
    }
    d->dynamic = true;
    if (y->rank != x->rank)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' has rank %d, input '%s' rank %d", y->name, (int)y->rank,
                            x->name, (int)x->rank);
    for (int k = 0; k < x->rank; k++)
        if (x->dims[k] == 0 ? y->dims[k] != 0 : y->dims[k] % x->dims[k] != 0)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' dim %d (%d) is not a multiple of input dim %d",
                                y->name, k, (int)y->dims[k], (int)x->dims[k]);
    return tflc_op_set_shape(c, y, y->rank, y->dims);
}
