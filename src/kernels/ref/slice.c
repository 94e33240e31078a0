/* SLICE: out = in[begin[d] : begin[d] + size[d]] in every dim d; begin and size are 1-D
 * int32/int64 tensors (same dtype) of length rank; size -1 means "to the end". Needs
 * 0 <= begin <= dim and begin + size <= dim (TFLite's checks; INVALID_MODEL otherwise).
 * Types: every copyable dtype. prepare builds the strided-read plan when begin and size are
 * constant; otherwise eval reads them and they must give the model's declared output shape. */
#include "kernels/ref/shape_util.h"

/* Plan and output dims from begin/size; NULL or what is wrong. */
static const char *make_plan(const struct tflc_tensor *x, const struct tflc_tensor *begin, const struct tflc_tensor *size,
                             struct shp_plan *p, int32_t *dims) {
    ptrdiff_t in_stride[TFLC_MAX_DIMS];
    shp_strides(x->rank, x->dims, in_stride);
    p->rank = x->rank;
    p->offset = 0;
    for (int d = 0; d < x->rank; d++) {
        int64_t b = shp_int_at(begin, (size_t)d), s = shp_int_at(size, (size_t)d);
        if (b < 0 || b > x->dims[d]) return "begin is out of range";
        if (s == -1) s = x->dims[d] - b;
        if (s < 0) return "size must be >= 0 or -1";
        if (b + s > x->dims[d]) return "begin + size exceeds the input dim";
        dims[d] = p->dims[d] = (int32_t)s;
        p->stride[d] = in_stride[d];
        p->offset += (ptrdiff_t)b * in_stride[d];
    }
    if (x->rank == 0) { p->rank = 1; p->dims[0] = 1; p->stride[0] = 1; }
    shp_plan_finish(p);
    return NULL;
}

static enum tflc_status eval_planned(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    shp_plan_run(c->node->data, x->data, tflc_op_out(c, 0)->data, tflc_dtype_size(x->dtype));
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_dynamic(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *s = tflc_op_in(c, 2);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    struct shp_plan p;
    int32_t dims[TFLC_MAX_DIMS] = {0};
    const char *why = make_plan(x, b, s, &p, dims);
    if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "begin '%s' / size '%s': %s", b->name, s->name, why);
    if (!shp_has_shape(y, x->rank, dims)) {
        char a1[96], a2[96];
        return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "begin/size give shape %s, the planned output is %s",
                            shp_fmt(a1, sizeof a1, x->rank, dims), shp_fmt(a2, sizeof a2, y->rank, y->dims));
    }
    shp_plan_run(&p, x->data, y->data, tflc_dtype_size(x->dtype));
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_slice_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 3, 3, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *s = tflc_op_in(c, 2), *y = tflc_op_out(c, 0);
    if (!x || !b || !s) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !shp_copyable(x->dtype) || !shp_is_index_type(b->dtype) || b->dtype != s->dtype)
        return tflc_op_unsupported(c);
    if (b->rank != 1 || s->rank != 1 || b->dims[0] != x->rank || s->dims[0] != x->rank)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "begin '%s' and size '%s' must be 1-D with %d entries (the input's rank)",
                            b->name, s->name, (int)x->rank);
    if (!tflc_op_is_const(c, b) || !tflc_op_is_const(c, s)) {
        if (y->rank != x->rank)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' must have the input's rank %d", y->name, (int)x->rank);
        if ((st = tflc_op_set_shape(c, y, y->rank, y->dims))) return st;
        c->node->eval = eval_dynamic;
        return TFLC_STATUS_OK;
    }
    struct shp_plan *p = tflc_op_alloc(c, sizeof *p);
    if (!p) return TFLC_STATUS_ARENA_TOO_SMALL;
    int32_t dims[TFLC_MAX_DIMS];
    const char *why = make_plan(x, b, s, p, dims);
    if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "begin '%s' / size '%s': %s", b->name, s->name, why);
    if ((st = tflc_op_set_shape(c, y, x->rank, dims))) return st;
    c->node->data = p;
    c->node->eval = eval_planned;
    return TFLC_STATUS_OK;
}
