/* TRANSPOSE: out[i_0..i_{r-1}] = in[...] with out dim d = in dim perm[d]; perm is a 1-D
 * int32 (or int64) tensor of length rank holding each of 0..rank-1 once. Up to
 * TFLC_MAX_DIMS dims (TFLite: 6). A byte shuffle: prepare builds a strided-read plan
 * (shape_util.h) when perm is constant; a non-constant perm is checked and planned in eval
 * against the model's declared output shape. Types: every copyable dtype. */
#include "kernels/ref/shape_util.h"

/* Plan and output shape for `perm`; NULL on success, else what is wrong. */
static const char *make_plan(const struct tflc_tensor *x, const struct tflc_tensor *perm, struct shp_plan *p, int32_t *dims) {
    ptrdiff_t in_stride[TFLC_MAX_DIMS];
    bool seen[TFLC_MAX_DIMS] = {false};
    shp_strides(x->rank, x->dims, in_stride);
    p->rank = x->rank;
    p->offset = 0;
    for (int d = 0; d < x->rank; d++) {
        int64_t v = shp_int_at(perm, (size_t)d);
        if (v < 0 || v >= x->rank) return "a permutation entry is out of range";
        if (seen[v]) return "a permutation entry repeats";
        seen[v] = true;
        dims[d] = p->dims[d] = x->dims[v];
        p->stride[d] = in_stride[v];
    }
    if (x->rank == 0) { p->rank = 1; p->dims[0] = 1; p->stride[0] = 1; }
    shp_plan_finish(p);
    return NULL;
}

static enum tflc_status eval_planned(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    shp_plan_run(c->node->data, x->data, y->data, tflc_dtype_size(x->dtype));
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_dynamic(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0), *perm = tflc_op_in(c, 1);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    struct shp_plan p;
    int32_t dims[TFLC_MAX_DIMS] = {0};
    const char *why = make_plan(x, perm, &p, dims);
    if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "perm tensor '%s': %s", perm->name, why);
    if (!shp_has_shape(y, x->rank, dims)) {
        char a[96], b[96];
        return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "perm tensor '%s' gives shape %s, the planned output is %s", perm->name,
                            shp_fmt(a, sizeof a, x->rank, dims), shp_fmt(b, sizeof b, y->rank, y->dims));
    }
    shp_plan_run(&p, x->data, y->data, tflc_dtype_size(x->dtype));
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_transpose_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *perm = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !perm) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !shp_copyable(x->dtype) || !shp_is_index_type(perm->dtype)) return tflc_op_unsupported(c);
    if (perm->rank != 1 || perm->dims[0] != x->rank)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "perm tensor '%s' must be 1-D with %d entries (the input's rank)",
                            perm->name, (int)x->rank);
    if (!tflc_op_is_const(c, perm)) {
        if (y->rank != x->rank || tflc_numel(y) != tflc_numel(x))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' must have the input's rank and element count", y->name);
        if ((st = tflc_op_set_shape(c, y, y->rank, y->dims))) return st;
        c->node->eval = eval_dynamic;
        return TFLC_STATUS_OK;
    }
    struct shp_plan *p = tflc_op_alloc(c, sizeof *p);
    if (!p) return TFLC_STATUS_ARENA_TOO_SMALL;
    int32_t dims[TFLC_MAX_DIMS];
    const char *why = make_plan(x, perm, p, dims);
    if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "perm tensor '%s': %s", perm->name, why);
    if ((st = tflc_op_set_shape(c, y, x->rank, dims))) return st;
    c->node->data = p;
    c->node->eval = eval_planned;
    return TFLC_STATUS_OK;
}
