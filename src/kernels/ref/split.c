/* SPLIT: input 0 = axis (one int32/int64 value, negative counts from the end), input 1 =
 * the tensor, cut into num_splits equal parts along axis (outputs 0..num_splits-1). The
 * axis dim must divide evenly (INVALID_MODEL otherwise). Types: every copyable dtype.
 * A non-constant axis is read in eval and must give the model's declared output shapes. */
#include "kernels/ref/shape_util.h"

struct split_data {
    size_t outer, chunk;   /* outer rows; bytes per output per row */
};

/* Output dims for `axis`; NULL or what is wrong. */
static const char *split_shape(const struct tflc_tensor *x, int64_t raw_axis, int n, int *axis, int32_t *dims) {
    if (!shp_axis(raw_axis, x->rank, axis)) return "axis is out of range";
    if (x->dims[*axis] % n != 0) return "the axis dim does not split evenly";
    for (int d = 0; d < x->rank; d++) dims[d] = x->dims[d];
    dims[*axis] = x->dims[*axis] / n;
    return NULL;
}

static void plan(const struct tflc_tensor *x, int axis, const int32_t *dims, struct split_data *d) {
    d->outer = shp_prod(x->dims, 0, axis);
    d->chunk = shp_prod(dims, axis, x->rank) * tflc_dtype_size(x->dtype);
}

static void run(const struct tflc_op_ctx *c, const struct split_data *d) {
    const uint8_t *src = tflc_op_in(c, 1)->data;
    int n = c->node->noutputs;
    for (size_t o = 0; o < d->outer; o++)
        for (int i = 0; i < n; i++, src += d->chunk) memcpy((uint8_t *)tflc_op_out(c, i)->data + o * d->chunk, src, d->chunk);
}

static enum tflc_status eval_planned(const struct tflc_op_ctx *c) {
    run(c, c->node->data);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_dynamic(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *a = tflc_op_in(c, 0), *x = tflc_op_in(c, 1);
    int axis, n = c->node->noutputs;
    int32_t dims[TFLC_MAX_DIMS] = {0};
    const char *why = split_shape(x, shp_int_at(a, 0), n, &axis, dims);
    if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "axis tensor '%s': %s", a->name, why);
    for (int i = 0; i < n; i++)
        if (!shp_has_shape(tflc_op_out(c, i), x->rank, dims))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "axis %d does not give output %d's planned shape", axis, i);
    struct split_data d;
    plan(x, axis, dims, &d);
    run(c, &d);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_split_prepare(struct tflc_op_ctx *c) {
    int n = tflc_tfl_split_options_num_splits(c->node->options);
    if (n < 1 || n != c->node->noutputs)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "num_splits %d does not match the %d outputs", n, (int)c->node->noutputs);
    enum tflc_status st = tflc_op_check_io(c, 2, 2, n);
    if (st) return st;
    struct tflc_tensor *a = tflc_op_in(c, 0), *x = tflc_op_in(c, 1);
    if (!a || !x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (!shp_copyable(x->dtype) || !shp_is_index_type(a->dtype)) return tflc_op_unsupported(c);
    for (int i = 0; i < n; i++)
        if (tflc_op_out(c, i)->dtype != x->dtype) return tflc_op_unsupported(c);
    if (tflc_numel(a) != 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis tensor '%s' must hold one value, it has %zu", a->name, tflc_numel(a));
    if (!tflc_op_is_const(c, a)) {
        for (int i = 0; i < n; i++) {
            struct tflc_tensor *y = tflc_op_out(c, i);
            if (y->rank != x->rank || tflc_numel(y) * (size_t)n != tflc_numel(x))
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output %d '%s' must have the input's rank and 1/%d of its elements",
                                    i, y->name, n);
            if ((st = tflc_op_set_shape(c, y, y->rank, y->dims))) return st;
        }
        c->node->eval = eval_dynamic;
        return TFLC_STATUS_OK;
    }
    int axis;
    int32_t dims[TFLC_MAX_DIMS];
    int64_t raw = shp_int_at(a, 0);
    const char *why = split_shape(x, raw, n, &axis, dims);
    if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "splitting '%s' in %d along axis %lld: %s", x->name, n, (long long)raw, why);
    for (int i = 0; i < n; i++)
        if ((st = tflc_op_set_shape(c, tflc_op_out(c, i), x->rank, dims))) return st;
    struct split_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    plan(x, axis, dims, d);
    c->node->data = d;
    c->node->eval = eval_planned;
    return TFLC_STATUS_OK;
}
