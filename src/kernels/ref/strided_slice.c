/* STRIDED_SLICE: numpy-style x[b0:e0:s0, ...] with TFLite's semantics (begin/end/strides
 * 1-D int32/int64; begin/end masks, one ellipsis, new axes, shrink axes, offset (v8): end
 * relative to begin). Per dim, start/end clamp as StridedSliceStartForAxis/EndForAxis
 * (see start_for/end_for); out dim = max(0, ceil((end - start) / stride)). Stricter than
 * TFLite where it would write garbage: stride 0, a shrink axis taking no element, more spec
 * entries than dims are errors. Types: every copyable dtype. prepare plans a strided read
 * when begin/end/strides are constant; else eval plans and checks the declared shape. */
#include "kernels/ref/shape_util.h"

struct ss_params {
    int32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask;
    bool offset;
};

/* One effective dim after ellipsis / new-axis expansion. */
struct ss_axis {
    int64_t start, stop, stride;
    bool begin_full, end_full, shrink;
    int32_t size;          /* dim size of the effective input (1 for a new axis) */
    ptrdiff_t in_stride;   /* element stride in the input (0 for a new axis) */
};

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* TFLite's StridedSliceStartForAxis: a negative index adds the dim size, then clamp to
 * [0, size] (stride > 0) or [-1, size - 1] (stride < 0); begin_mask takes the first
 * element in iteration order. */
static int64_t start_for(const struct ss_axis *a) {
    int64_t s = a->start;
    if (s < 0) s += a->size;
    s = a->stride > 0 ? clamp64(s, 0, a->size) : clamp64(s, -1, (int64_t)a->size - 1);
    if (a->begin_full) s = a->stride > 0 ? 0 : (int64_t)a->size - 1;
    return s;
}

/* TFLite's StridedSliceEndForAxis: a shrink axis ends one past start; otherwise as start
 * (offset adds start first) with end_mask taking one past the last element. */
static int64_t end_for(const struct ss_axis *a, int64_t start, bool offset) {
    if (a->shrink) return start >= a->size ? start : start + 1;
    int64_t e = a->stop;
    if (offset) e += start;
    if (e < 0) e += a->size;
    e = a->stride > 0 ? clamp64(e, 0, a->size) : clamp64(e, -1, (int64_t)a->size - 1);
    if (a->end_full) e = a->stride > 0 ? a->size : -1;
    return e;
}

/* Iterations of `for (i = start; stride > 0 ? i < end : i > end; i += stride)`. */
static int64_t count_for(int64_t start, int64_t end, int64_t stride) {
    if (stride > 0) return end > start ? (end - start + stride - 1) / stride : 0;
    return start > end ? (start - end + (-stride) - 1) / (-stride) : 0;
}

/* Builds the read plan and output shape; NULL or what is wrong. */
static const char *make_plan(const struct tflc_tensor *x, const struct tflc_tensor *tb, const struct tflc_tensor *te,
                             const struct tflc_tensor *ts, const struct ss_params *prm, struct shp_plan *p, int *out_rank,
                             int32_t *out_dims) {
    int n = tb->dims[0], in_dims = x->rank;
    int num_add_axis = 0;
    for (int i = 0; i < n; i++)
        if (!((prm->ellipsis_mask >> i) & 1) && ((prm->new_axis_mask >> i) & 1)) num_add_axis++;
    int eff = in_dims + num_add_axis;
    if (eff > TFLC_MAX_DIMS) return "too many dims after adding new axes";
    if (n > eff) return "more slice entries than dims";
    /* Which effective dims the ellipsis covers and which are new axes (TFLite's walk). */
    int eff_ellipsis = 0, eff_new_axis = 0, ellipsis_start = eff, expanded = 0;
    for (int i = 0; i < eff;) {
        if ((prm->ellipsis_mask >> i) & 1) {
            ellipsis_start = i;
            int end_idx = i + 1 + num_add_axis + in_dims - n;
            if (end_idx > eff) end_idx = eff;
            if (end_idx < i + 1) end_idx = i + 1;
            expanded = end_idx - ellipsis_start - 1;
            for (; i < end_idx; i++) eff_ellipsis |= 1 << i;
            continue;
        }
        if (i - expanded >= 0 && ((prm->new_axis_mask >> (i - expanded)) & 1)) eff_new_axis |= 1 << i;
        i++;
    }
    ptrdiff_t in_stride[TFLC_MAX_DIMS];
    shp_strides(in_dims, x->dims, in_stride);
    struct ss_axis ax[TFLC_MAX_DIMS];
    int added_ellipsis = 0, added_axes = 0;
    for (int i = 0; i < eff; i++) {
        struct ss_axis *a = &ax[i];
        memset(a, 0, sizeof *a);
        a->stride = 1;
        int src = i - added_axes; /* input dim this effective dim reads */
        if ((eff_ellipsis >> i) & 1) {
            added_ellipsis = i - ellipsis_start > 0 ? i - ellipsis_start : 0;
            a->begin_full = a->end_full = true;
        } else if ((eff_new_axis >> i) & 1) {
            a->stop = 1;
            a->size = 1;
            added_axes++;
            continue;
        } else if (i >= n + expanded) {
            a->begin_full = a->end_full = true;
        } else {
            int orig = i - added_ellipsis;
            if (orig < 0 || orig >= n) return "bad ellipsis / new axis masks";
            a->start = shp_int_at(tb, (size_t)orig);
            a->stop = shp_int_at(te, (size_t)orig);
            a->stride = shp_int_at(ts, (size_t)orig);
            a->begin_full = (prm->begin_mask >> orig) & 1;
            a->end_full = (prm->end_mask >> orig) & 1;
            a->shrink = (prm->shrink_axis_mask >> orig) & 1;
            if (a->stride == 0) return "stride is 0";
        }
        if (src < 0 || src >= in_dims) return "bad ellipsis / new axis masks";
        a->size = x->dims[src];
        a->in_stride = in_stride[src];
    }
    p->rank = eff;
    p->offset = 0;
    *out_rank = 0;
    for (int i = 0; i < eff; i++) {
        const struct ss_axis *a = &ax[i];
        int64_t s = start_for(a), e = end_for(a, s, prm->offset), k = count_for(s, e, a->stride);
        if (a->shrink && k != 1) return "a shrink axis takes no element (index out of range or negative stride)";
        if (k > INT32_MAX) return "slice too large";
        p->dims[i] = (int32_t)k;
        p->stride[i] = (ptrdiff_t)a->stride * a->in_stride;
        if (k > 0) p->offset += (ptrdiff_t)s * a->in_stride;
        if (!a->shrink) out_dims[(*out_rank)++] = (int32_t)k;
    }
    if (eff == 0) { p->rank = 1; p->dims[0] = 1; p->stride[0] = 1; }
    shp_plan_finish(p);
    return NULL;
}

struct ss_data {
    struct ss_params prm;
    struct shp_plan plan;
};

static enum tflc_status eval_planned(const struct tflc_op_ctx *c) {
    const struct ss_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    shp_plan_run(&d->plan, x->data, tflc_op_out(c, 0)->data, tflc_dtype_size(x->dtype));
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_dynamic(const struct tflc_op_ctx *c) {
    const struct ss_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    struct shp_plan p;
    int rank = 0;
    int32_t dims[TFLC_MAX_DIMS] = {0};
    const char *why = make_plan(x, tflc_op_in(c, 1), tflc_op_in(c, 2), tflc_op_in(c, 3), &d->prm, &p, &rank, dims);
    if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "begin/end/strides: %s", why);
    if (!shp_has_shape(y, rank, dims)) {
        char a[96], b[96];
        return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "begin/end/strides give shape %s, the planned output is %s",
                            shp_fmt(a, sizeof a, rank, dims), shp_fmt(b, sizeof b, y->rank, y->dims));
    }
    shp_plan_run(&p, x->data, y->data, tflc_dtype_size(x->dtype));
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_strided_slice_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 4, 4, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *e = tflc_op_in(c, 2), *s = tflc_op_in(c, 3);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    if (!x || !b || !e || !s) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !shp_copyable(x->dtype) || !shp_is_index_type(b->dtype) || e->dtype != b->dtype ||
        s->dtype != b->dtype)
        return tflc_op_unsupported(c);
    if (b->rank != 1 || e->rank != 1 || s->rank != 1 || e->dims[0] != b->dims[0] || s->dims[0] != b->dims[0])
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "begin '%s', end '%s' and strides '%s' must be 1-D of one length", b->name,
                            e->name, s->name);
    struct ss_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    struct tflc_fb_table o = c->node->options;
    d->prm.begin_mask = tflc_tfl_strided_slice_options_begin_mask(o);
    d->prm.end_mask = tflc_tfl_strided_slice_options_end_mask(o);
    d->prm.ellipsis_mask = tflc_tfl_strided_slice_options_ellipsis_mask(o);
    d->prm.new_axis_mask = tflc_tfl_strided_slice_options_new_axis_mask(o);
    d->prm.shrink_axis_mask = tflc_tfl_strided_slice_options_shrink_axis_mask(o);
    d->prm.offset = tflc_tfl_strided_slice_options_offset(o);
    if (b->dims[0] > TFLC_MAX_DIMS)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "begin '%s' has %d entries, more than the %d dims supported", b->name,
                            (int)b->dims[0], TFLC_MAX_DIMS);
    if (!tflc_op_is_const(c, b) || !tflc_op_is_const(c, e) || !tflc_op_is_const(c, s)) {
        if ((st = tflc_op_set_shape(c, y, y->rank, y->dims))) return st;
        c->node->eval = eval_dynamic;
        return TFLC_STATUS_OK;
    }
    int rank = 0;
    int32_t dims[TFLC_MAX_DIMS];
    const char *why = make_plan(x, b, e, s, &d->prm, &d->plan, &rank, dims);
    if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "begin/end/strides: %s", why);
    if ((st = tflc_op_set_shape(c, y, rank, dims))) return st;
    c->node->eval = eval_planned;
    return TFLC_STATUS_OK;
}
