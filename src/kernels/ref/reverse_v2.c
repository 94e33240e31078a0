/* REVERSE_V2: y = x with the order of elements reversed along the given axes (TFLite's
 * reverse.cc). Input 1 is a 1-D int32 tensor of axes; negative axes count from the end.
 * TFLite accepts only a contiguous run of distinct axes; tflc reverses any set of distinct
 * axes (a superset) and refuses repeated ones. Types: every copyable dtype (float32, int8,
 * uint8, int16, int32, int64, bool), values moved raw. Constant axes are checked at prepare;
 * computed axes at run time (INVALID_ARGUMENT). */
#include "kernels/ref/extra_util.h"

struct reverse_data {
    bool flip[TFLC_MAX_DIMS]; /* from constant axes */
    bool dynamic;             /* axes read at run time */
    size_t es;
};

/* Marks the axes of `ax` in flip[]; false with *why set when one is out of range or
 * repeated. */
static bool read_axes(const struct tflc_tensor *ax, int rank, bool *flip, char *why, size_t n) {
    size_t count = tflc_numel(ax);
    for (int d = 0; d < TFLC_MAX_DIMS; d++) flip[d] = false;
    for (size_t i = 0; i < count; i++) {
        int64_t a = ((const int32_t *)ax->data)[i];
        if (a < -rank || a >= rank) {
            snprintf(why, n, "axis %lld is out of range for rank %d", (long long)a, rank);
            return false;
        }
        int k = (int)(a < 0 ? a + rank : a);
        if (flip[k]) {
            snprintf(why, n, "axis %d is given twice", k);
            return false;
        }
        flip[k] = true;
    }
    return true;
}

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct reverse_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    bool flip[TFLC_MAX_DIMS];
    memcpy(flip, d->flip, sizeof flip);
    if (d->dynamic) {
        char why[96];
        if (!read_axes(tflc_op_in(c, 1), x->rank, flip, why, sizeof why))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "%s", why);
    }
    const uint8_t *in = x->data;
    uint8_t *out = tflc_op_out(c, 0)->data;
    size_t n = tflc_numel(x), stride[TFLC_MAX_DIMS];
    int32_t idx[TFLC_MAX_DIMS] = {0};
    size_t s = 1;
    for (int k = x->rank - 1; k >= 0; k--) { stride[k] = s; s *= (size_t)x->dims[k]; }
    for (size_t i = 0; i < n; i++) {
        size_t o = 0;
        for (int k = 0; k < x->rank; k++) o += (size_t)(flip[k] ? x->dims[k] - 1 - idx[k] : idx[k]) * stride[k];
        memcpy(out + o * d->es, in + i * d->es, d->es);
        for (int k = x->rank - 1; k >= 0; k--) {
            if (++idx[k] < x->dims[k]) break;
            idx[k] = 0;
        }
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_reverse_v2_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *ax = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !ax) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !xt_copyable(x->dtype)) return tflc_op_unsupported(c);
    if (ax->dtype != TFLC_DTYPE_INT32 || ax->rank != 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis tensor '%s' must be 1-D INT32, is %s of rank %d", ax->name,
                            tflc_dtype_name(ax->dtype), (int)ax->rank);
    if ((size_t)ax->dims[0] > (size_t)x->rank)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "%d axes for input '%s' of rank %d", (int)ax->dims[0], x->name,
                            (int)x->rank);
    struct reverse_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->es = tflc_dtype_size(x->dtype);
    if (tflc_op_is_const(c, ax) && ax->data) {
        char why[96];
        if (!read_axes(ax, x->rank, d->flip, why, sizeof why)) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "%s", why);
    } else {
        d->dynamic = true;
    }
    c->node->data = d;
    c->node->eval = eval;
    return tflc_op_set_shape(c, y, x->rank, x->dims);
}
