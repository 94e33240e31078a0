/* RESHAPE: out = in with a new shape (a byte copy; aliasing is a later optimization).
 * The shape comes from input 1 when it is a 1-D int32 tensor, else from
 * options.new_shape (TFLite's rule; a legacy new_shape of [0] means a scalar). One entry
 * may be -1 and is inferred; the element count must match (INVALID_MODEL otherwise).
 * A non-constant shape input: the output keeps the model's declared shape (its element
 * count checked at prepare) and eval checks the shape values resolve to exactly it.
 * Types: every copyable dtype (float32, int8, uint8, int16, int32, int64, bool). */
#include "kernels/ref/shape_util.h"

/* Resolves `n` shape entries (one may be -1) against input `x` as TFLite does: the -1
 * becomes (product of x's non-zero dims) / (product of the other non-zero entries), or 0
 * when x is empty and the other entries are not. Returns false (with *why set) when the
 * result does not hold exactly x's element count. */
static bool resolve(const int64_t *want, int n, const struct tflc_tensor *x, int32_t *dims, const char **why) {
    size_t count = tflc_numel(x), in_nonzero = 1, known = 1, known_nonzero = 1;
    int stretch = -1;
    for (int i = 0; i < x->rank; i++)
        if (x->dims[i]) in_nonzero *= (size_t)x->dims[i];
    for (int i = 0; i < n; i++) {
        if (want[i] == -1) {
            if (stretch >= 0) { *why = "more than one -1 in the new shape"; return false; }
            stretch = i;
            dims[i] = -1;
            continue;
        }
        if (want[i] < 0 || want[i] > INT32_MAX) { *why = "bad entry in the new shape"; return false; }
        dims[i] = (int32_t)want[i];
        if (want[i] && known_nonzero > ((size_t)1 << 48) / (size_t)want[i]) { *why = "new shape too large"; return false; }
        if (want[i]) known_nonzero *= (size_t)want[i];
        known *= (size_t)want[i];
    }
    if (stretch >= 0) {
        size_t v = count == 0 && known != 0 ? 0 : in_nonzero / known_nonzero;
        if (v > INT32_MAX) { *why = "inferred dimension too large"; return false; }
        dims[stretch] = (int32_t)v;
        known *= v;
    }
    if (known != count) { *why = "element count differs from the input's"; return false; }
    return true;
}

/* True when the new shape is input 1's data (a 1-D int32 tensor), as in TFLite. */
static bool shape_from_tensor(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *s = tflc_op_in(c, 1);
    return c->node->ninputs == 2 && s && s->rank == 1 && s->dtype == TFLC_DTYPE_INT32;
}

static enum tflc_status eval_copy(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    memcpy(tflc_op_out(c, 0)->data, x->data, x->bytes);
    return TFLC_STATUS_OK;
}

/* Non-constant shape tensor: the values must resolve to the planned output shape. */
static enum tflc_status eval_check(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0), *s = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    int64_t want[TFLC_MAX_DIMS] = {0};
    int32_t dims[TFLC_MAX_DIMS] = {0};
    const char *why = "";
    for (int i = 0; i < y->rank; i++) want[i] = shp_int_at(s, (size_t)i);
    if (!resolve(want, y->rank, x, dims, &why) || !shp_has_shape(y, y->rank, dims)) {
        char a[96], b[96];
        return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "shape tensor '%s' asks for %s, the planned output is %s",
                            s->name, shp_fmt(a, sizeof a, y->rank, dims), shp_fmt(b, sizeof b, y->rank, y->dims));
    }
    return eval_copy(c);
}

enum tflc_status tflc_reshape_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !shp_copyable(x->dtype)) return tflc_op_unsupported(c);
    int64_t want[TFLC_MAX_DIMS] = {0};
    int n;
    if (shape_from_tensor(c)) {
        const struct tflc_tensor *s = tflc_op_in(c, 1);
        n = s->dims[0];
        if (n > TFLC_MAX_DIMS)
            return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "new shape has %d dims, at most %d are supported", n, TFLC_MAX_DIMS);
        if (!tflc_op_is_const(c, s)) {
            /* Shape known only at run time: plan with the declared output shape. */
            if (y->rank != n)
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "shape tensor '%s' has %d entries but output '%s' has rank %d",
                                    s->name, n, y->name, (int)y->rank);
            if (tflc_numel(y) != tflc_numel(x))
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' has %zu elements, input '%s' has %zu", y->name,
                                    tflc_numel(y), x->name, tflc_numel(x));
            if ((st = tflc_op_set_shape(c, y, y->rank, y->dims))) return st;
            c->node->eval = eval_check;
            return TFLC_STATUS_OK;
        }
        for (int i = 0; i < n; i++) want[i] = shp_int_at(s, (size_t)i);
    } else {
        struct tflc_fb_vec v = tflc_tfl_reshape_options_new_shape(c->node->options);
        n = (int)v.len;
        if (n > TFLC_MAX_DIMS)
            return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "new shape has %d dims, at most %d are supported", n, TFLC_MAX_DIMS);
        for (int i = 0; i < n; i++) want[i] = tflc_fb_vec_i32(v, (uint32_t)i);
        if (n == 1 && want[0] == 0) n = 0; /* legacy scalar spelling */
    }
    int32_t dims[TFLC_MAX_DIMS] = {0};
    const char *why = "";
    if (!resolve(want, n, x, dims, &why)) {
        char a[96];
        for (int i = 0; i < n; i++) dims[i] = (int32_t)(want[i] < INT32_MIN ? INT32_MIN : want[i] > INT32_MAX ? INT32_MAX : want[i]);
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "cannot reshape '%s' (%zu elements) to %s: %s", x->name,
                            tflc_numel(x), shp_fmt(a, sizeof a, n, dims), why);
    }
    if ((st = tflc_op_set_shape(c, y, n, dims))) return st;
    c->node->eval = eval_copy;
    return TFLC_STATUS_OK;
}
