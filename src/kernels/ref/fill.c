/* FILL: y = a tensor of the shape held by input 0 (1-D int32/int64, every dim >= 0) with
 * every element equal to the scalar input 1 (TFLite's fill.cc). Types: float32, int32,
 * int64, bool (v1/v2), int8 and int16 (v3; the value is copied raw, so a quantized value and
 * output must share scale and zero point). Constant dims size the output at prepare;
 * computed dims must give the model's declared output shape (run-time check). */
#include "kernels/ref/extra_util.h"

struct fill_data {
    bool dynamic;
    size_t es;
};

static bool fill_dims(const struct tflc_tensor *s, int32_t *dims) {
    for (int i = 0; i < s->dims[0]; i++) {
        int64_t v = xt_int_at(s, (size_t)i);
        if (v < 0 || v > INT32_MAX) return false;
        dims[i] = (int32_t)v;
    }
    return true;
}

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct fill_data *d = c->node->data;
    const struct tflc_tensor *s = tflc_op_in(c, 0), *v = tflc_op_in(c, 1);
    const struct tflc_tensor *y = tflc_op_out(c, 0);
    if (d->dynamic) {
        int32_t dims[TFLC_MAX_DIMS] = {0};
        if (!fill_dims(s, dims) || !xt_has_shape(y, s->dims[0], dims)) return xt_runtime_shape_mismatch(c, y, s->dims[0], dims);
    }
    uint8_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) memcpy(out + i * d->es, v->data, d->es);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_fill_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *s = tflc_op_in(c, 0), *v = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!s || !v) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (v->dtype != y->dtype || !xt_copyable(v->dtype) || v->dtype == TFLC_DTYPE_UINT8) return tflc_op_unsupported(c);
    if (!xt_is_index(s->dtype) || s->rank != 1 || s->dims[0] > TFLC_MAX_DIMS)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "dims '%s' must be 1-D INT32/INT64 with at most %d entries", s->name,
                            TFLC_MAX_DIMS);
    if (v->rank != 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "value '%s' must be a scalar, has rank %d", v->name, (int)v->rank);
    if ((v->dtype == TFLC_DTYPE_INT8 || v->dtype == TFLC_DTYPE_INT16) && !xt_same_quant(v, y))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "value '%s' and output '%s' must share scale and zero point",
                            v->name, y->name);
    struct fill_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->es = tflc_dtype_size(v->dtype);
    c->node->data = d;
    c->node->eval = eval;
    int32_t dims[TFLC_MAX_DIMS];
    if (tflc_op_is_const(c, s) && s->data) {
        if (!fill_dims(s, dims))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "dims '%s' hold a negative or too large value", s->name);
        return tflc_op_set_shape(c, y, s->dims[0], dims);
    }
    d->dynamic = true;
    if (y->rank != s->dims[0])
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' must have rank %d", y->name, (int)s->dims[0]);
    return tflc_op_set_shape(c, y, y->rank, y->dims);
}
