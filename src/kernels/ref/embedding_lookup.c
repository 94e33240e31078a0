/* EMBEDDING_LOOKUP: y[i] = value[ids[i]] (whole rows; TFLite's embedding_lookup.cc).
 * ids: 1-D int32; value: rank >= 2, rows along dim 0; y: [len(ids), value dims 1..].
 * float32 -> float32 and int8/uint8 -> same type copy rows raw. int8/uint8 -> float32
 * (hybrid, v2/v3) dequantizes as TFLite does: value bytes read as int8 (also for uint8),
 * times the value's scale (double), zero point ignored. An id outside [0, rows) is an error
 * at run time. Per-channel and int4 tables (v4) are not supported. */
#include "kernels/ref/extra_util.h"

struct embedding_data {
    size_t row_elems, es;
    double scale;
};

/* Checks every id before copying (an out-of-range id is INVALID_ARGUMENT). */
static enum tflc_status check_ids(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *ids = tflc_op_in(c, 0), *v = tflc_op_in(c, 1);
    const int32_t *id = ids->data;
    for (size_t i = 0; i < tflc_numel(ids); i++)
        if (id[i] < 0 || id[i] >= v->dims[0])
            return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "id %d (element %zu of '%s') is outside [0, %d)", (int)id[i], i,
                                ids->name, (int)v->dims[0]);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_copy(const struct tflc_op_ctx *c) {
    const struct embedding_data *d = c->node->data;
    enum tflc_status st = check_ids(c);
    if (st) return st;
    const struct tflc_tensor *ids = tflc_op_in(c, 0);
    const int32_t *id = ids->data;
    const uint8_t *v = tflc_op_in(c, 1)->data;
    uint8_t *out = tflc_op_out(c, 0)->data;
    size_t row = d->row_elems * d->es;
    for (size_t i = 0; i < tflc_numel(ids); i++) memcpy(out + i * row, v + (size_t)id[i] * row, row);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_hybrid(const struct tflc_op_ctx *c) {
    const struct embedding_data *d = c->node->data;
    enum tflc_status st = check_ids(c);
    if (st) return st;
    const struct tflc_tensor *ids = tflc_op_in(c, 0);
    const int32_t *id = ids->data;
    const int8_t *v = tflc_op_in(c, 1)->data;
    float *out = tflc_op_out(c, 0)->data;
    for (size_t i = 0; i < tflc_numel(ids); i++)
        for (size_t j = 0; j < d->row_elems; j++)
            out[i * d->row_elems + j] = (float)((double)v[(size_t)id[i] * d->row_elems + j] * d->scale);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_embedding_lookup_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *ids = tflc_op_in(c, 0), *v = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!ids || !v) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (ids->dtype != TFLC_DTYPE_INT32 || ids->rank != 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "ids '%s' must be 1-D INT32", ids->name);
    if (v->rank < 2) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "value '%s' must have rank >= 2", v->name);
    struct embedding_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->row_elems = 1;
    for (int i = 1; i < v->rank; i++) d->row_elems *= (size_t)v->dims[i];
    d->es = tflc_dtype_size(v->dtype);
    c->node->data = d;
    bool q8 = v->dtype == TFLC_DTYPE_INT8 || v->dtype == TFLC_DTYPE_UINT8;
    if (y->dtype == v->dtype && (q8 || v->dtype == TFLC_DTYPE_FLOAT32)) {
        c->node->eval = eval_copy;
    } else if (q8 && y->dtype == TFLC_DTYPE_FLOAT32) {
        if (v->quant.num_scales > 1)
            return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "per-channel value '%s' (EMBEDDING_LOOKUP v4) is not supported", v->name);
        d->scale = (double)v->quant.scale;
        c->node->eval = eval_hybrid;
    } else {
        return tflc_op_unsupported(c);
    }
    int32_t dims[TFLC_MAX_DIMS];
    dims[0] = ids->dims[0];
    for (int i = 1; i < v->rank; i++) dims[i] = v->dims[i];
    return tflc_op_set_shape(c, y, v->rank, dims);
}
