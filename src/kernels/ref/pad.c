/* PAD (and PADV2, which adds input 2 = constant_values): out = in surrounded by
 * paddings[d] = (before, after) elements per dim; paddings is an int32/int64 [rank, 2]
 * tensor, every entry >= 0. The pad value, as TFLite: PADV2's constant_values (same dtype;
 * for quantized tensors it must have the output's scale and zero point), else for uint8 and
 * quantized int8/int16 the output zero point, else 0.
 * Types: every copyable dtype. prepare keeps the paddings when constant; a non-constant
 * paddings tensor is read in eval and must give the model's declared output shape.
 * eval writes each output row once: pad values around the input row (the trailing dims without
 * padding merge into one row). */
#include "kernels/ref/shape_util.h"

struct pad_data {
    int rank;
    int32_t before[TFLC_MAX_DIMS];
    bool dynamic;          /* paddings read in eval */
    bool zp_pad;           /* pad with the output zero point (no constant_values) */
};

/* Reads the paddings into before[] and computes the output dims; NULL or what is wrong. */
static const char *read_paddings(const struct tflc_tensor *x, const struct tflc_tensor *pads, int32_t *before, int32_t *dims) {
    for (int d = 0; d < x->rank; d++) {
        int64_t b = shp_int_at(pads, (size_t)d * 2), a = shp_int_at(pads, (size_t)d * 2 + 1);
        if (b < 0 || a < 0) return "paddings must be >= 0";
        int64_t n = (int64_t)x->dims[d] + b + a;
        if (n > INT32_MAX) return "padded size is too large";
        before[d] = (int32_t)b;
        dims[d] = (int32_t)n;
    }
    return NULL;
}

/* The pad value's bytes. */
static void pad_value(const struct tflc_op_ctx *c, const struct pad_data *d, uint8_t *val) {
    const struct tflc_tensor *y = tflc_op_out(c, 0), *cv = tflc_op_in(c, 2);
    size_t es = tflc_dtype_size(y->dtype);
    memset(val, 0, 8);
    if (cv) {
        memcpy(val, cv->data, es);
    } else if (d->zp_pad) {
        int32_t zp = y->quant.zero_point;
        if (y->dtype == TFLC_DTYPE_INT8) { int8_t v = (int8_t)zp; memcpy(val, &v, 1); }
        else if (y->dtype == TFLC_DTYPE_UINT8) { uint8_t v = (uint8_t)zp; memcpy(val, &v, 1); }
        else { int16_t v = (int16_t)zp; memcpy(val, &v, 2); }
    }
}

/* One eval's row loop, cut into tasks of consecutive output rows. */
struct pad_run {
    const struct tflc_tensor *x;
    struct tflc_tensor *y;
    const int32_t *before;
    int cd;
    size_t orow, irow, head, tail, rows, es;
    uint8_t val[8];
    int tasks;
};

static void pad_rows(void *ud, int task) {
    const struct pad_run *r = ud;
    const struct tflc_tensor *x = r->x, *y = r->y;
    const size_t k0 = r->rows * (size_t)task / (size_t)r->tasks, k1 = r->rows * (size_t)(task + 1) / (size_t)r->tasks;
    const size_t es = r->es, orow = r->orow, irow = r->irow, head = r->head, tail = r->tail;
    int32_t idx[TFLC_MAX_DIMS] = {0}; /* output index over dims [0, cd) of row k0 */
    size_t rem = k0;
    for (int dd = r->cd - 1; dd >= 0; dd--) {
        idx[dd] = (int32_t)(rem % (size_t)y->dims[dd]);
        rem /= (size_t)y->dims[dd];
    }
    const uint8_t *src = x->data;
    uint8_t *dst = (uint8_t *)y->data + k0 * orow * es;
    for (size_t k = k0; k < k1; k++, dst += orow * es) {
        bool inside = true;
        size_t srow = 0;
        for (int dd = 0; dd < r->cd && inside; dd++) {
            int64_t i = (int64_t)idx[dd] - r->before[dd];
            inside = i >= 0 && i < x->dims[dd];
            srow = srow * (size_t)x->dims[dd] + (size_t)(inside ? i : 0);
        }
        if (!inside) {
            shp_fill(dst, orow, r->val, es);
        } else {
            shp_fill(dst, head, r->val, es);
            memcpy(dst + head * es, src + srow * irow * es, irow * es);
            shp_fill(dst + (head + irow) * es, tail, r->val, es);
        }
        for (int dd = r->cd - 1; dd >= 0; dd--) {
            if (++idx[dd] < y->dims[dd]) break;
            idx[dd] = 0;
        }
    }
}

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct pad_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int32_t before[TFLC_MAX_DIMS] = {0};
    memcpy(before, d->before, sizeof before);
    if (d->dynamic) {
        const struct tflc_tensor *pads = tflc_op_in(c, 1);
        int32_t dims[TFLC_MAX_DIMS] = {0};
        const char *why = read_paddings(x, pads, before, dims);
        if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "paddings tensor '%s': %s", pads->name, why);
        if (!shp_has_shape(y, x->rank, dims)) {
            char a[96], b[96];
            return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "paddings tensor '%s' gives shape %s, the planned output is %s",
                                pads->name, shp_fmt(a, sizeof a, x->rank, dims), shp_fmt(b, sizeof b, y->rank, y->dims));
        }
    }
    size_t es = tflc_dtype_size(y->dtype);
    uint8_t val[8];
    pad_value(c, d, val);
    size_t total = tflc_numel(x);
    if (total == 0 || x->rank == 0) {
        shp_fill(y->data, tflc_numel(y), val, es);
        if (total) memcpy(y->data, x->data, es);
        return TFLC_STATUS_OK;
    }
    /* Every output element is written once. The trailing dims without padding merge into
     * the row: NHWC padded in H and W copies whole W x C rows. Dim `cd` is the innermost
     * padded one; an output row along it is `before` pad values, an input row, then the rest. */
    int cd = x->rank - 1;
    while (cd > 0 && x->dims[cd] == y->dims[cd]) cd--;
    size_t inner = 1;
    for (int dd = cd + 1; dd < x->rank; dd++) inner *= (size_t)x->dims[dd];
    const size_t orow = (size_t)y->dims[cd] * inner, irow = (size_t)x->dims[cd] * inner;
    const size_t head = (size_t)before[cd] * inner, tail = orow - head - irow;
    size_t rows = 1;
    for (int dd = 0; dd < cd; dd++) rows *= (size_t)y->dims[dd];
    struct pad_run r = {x, y, before, cd, orow, irow, head, tail, rows, es, {0}, 0};
    memcpy(r.val, val, sizeof val);
    /* Rows split over the threads when there is enough to copy (dispatch costs ~1 us). */
    const int threads = tflc_op_threads(c);
    const size_t want = (size_t)threads * 2;
    r.tasks = threads > 1 && rows >= 2 && rows * orow * es >= 65536 ? (int)(rows < want ? rows : want) : 1;
    tflc_op_parallel(c, r.tasks, pad_rows, &r);
    return TFLC_STATUS_OK;
}

static bool quantized(const struct tflc_tensor *t) { return t->quant.num_scales > 0; }

enum tflc_status tflc_shp_pad_prepare(struct tflc_op_ctx *c, bool padv2) {
    enum tflc_status st = tflc_op_check_io(c, 2, padv2 ? 3 : 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *pads = tflc_op_in(c, 1), *cv = tflc_op_in(c, 2), *y = tflc_op_out(c, 0);
    if (!x || !pads) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !shp_copyable(x->dtype) || !shp_is_index_type(pads->dtype)) return tflc_op_unsupported(c);
    if (cv && cv->dtype != x->dtype) return tflc_op_unsupported(c);
    if (pads->rank != 2 || pads->dims[0] != x->rank || pads->dims[1] != 2)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "paddings tensor '%s' must have shape [%d,2]", pads->name, (int)x->rank);
    struct pad_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->rank = x->rank;
    bool q8 = x->dtype == TFLC_DTYPE_UINT8 || ((x->dtype == TFLC_DTYPE_INT8 || x->dtype == TFLC_DTYPE_INT16) && quantized(x));
    if (cv) {
        if (tflc_numel(cv) != 1)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "constant_values '%s' must hold one value, it has %zu", cv->name,
                                tflc_numel(cv));
        if (q8 && (cv->quant.scale != y->quant.scale || cv->quant.zero_point != y->quant.zero_point))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                                "constant_values '%s' must have the output's scale and zero point (%g, %d), it has (%g, %d)",
                                cv->name, (double)y->quant.scale, (int)y->quant.zero_point, (double)cv->quant.scale,
                                (int)cv->quant.zero_point);
    } else {
        d->zp_pad = q8;
    }
    if (!tflc_op_is_const(c, pads)) {
        if (y->rank != x->rank)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' must have the input's rank %d", y->name, (int)x->rank);
        if ((st = tflc_op_set_shape(c, y, y->rank, y->dims))) return st;
        d->dynamic = true;
        c->node->eval = eval;
        return TFLC_STATUS_OK;
    }
    int32_t dims[TFLC_MAX_DIMS];
    const char *why = read_paddings(x, pads, d->before, dims);
    if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "paddings tensor '%s': %s", pads->name, why);
    if ((st = tflc_op_set_shape(c, y, x->rank, dims))) return st;
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_pad_prepare(struct tflc_op_ctx *c) { return tflc_shp_pad_prepare(c, false); }
