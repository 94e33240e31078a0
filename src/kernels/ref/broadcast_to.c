/* BROADCAST_TO: y = x broadcast (numpy rules, right-aligned) to the shape held by input 1
 * (TFLite's broadcast_to.cc). The shape is a 1-D int32 or int64 tensor of at least x's rank
 * (at most 8); each x dim is 1 or equals the target dim. Types: every copyable dtype,
 * values moved raw. Version 1 was withdrawn in TFLite (its builtin code was reused); only
 * versions 2 and 3 are accepted, as TFLite's resolver. Constant shapes size the output at
 * prepare; computed ones must equal the model's declared output shape (run-time check). */
#include "kernels/ref/extra_util.h"

struct broadcast_to_data {
    struct xt_bcast bc;
    bool dynamic;
    size_t es;
};

/* Target shape from input 1; false (with *why) when x does not broadcast to it. */
static bool target_shape(const struct tflc_tensor *x, const struct tflc_tensor *s, int32_t *dims, const char **why) {
    int r = s->dims[0];
    for (int i = 0; i < r; i++) {
        int64_t v = xt_int_at(s, (size_t)i);
        if (v < 0 || v > INT32_MAX) { *why = "a target dim is negative or too large"; return false; }
        dims[i] = (int32_t)v;
    }
    for (int i = 0; i < x->rank; i++) {
        int32_t dx = x->dims[i], dt = dims[r - x->rank + i];
        if (dx != 1 && dx != dt) { *why = "the input does not broadcast to the target shape"; return false; }
    }
    return true;
}

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct broadcast_to_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0), *s = tflc_op_in(c, 1);
    const struct tflc_tensor *y = tflc_op_out(c, 0);
    if (d->dynamic) {
        int32_t dims[TFLC_MAX_DIMS] = {0};
        const char *why = "";
        if (!target_shape(x, s, dims, &why) || !xt_has_shape(y, s->dims[0], dims))
            return xt_runtime_shape_mismatch(c, y, s->dims[0], dims);
    }
    const uint8_t *in = x->data;
    uint8_t *out = y->data;
    struct xt_pos p;
    memset(&p, 0, sizeof p);
    for (size_t i = 0; i < d->bc.count; i++, xt_bcast_next(&d->bc, &p)) memcpy(out + i * d->es, in + p.off[0] * d->es, d->es);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_broadcast_to_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *s = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !s) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (c->node->version < 2)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "BROADCAST_TO v1 is not supported (TFLite accepts v2 and v3)");
    if (x->dtype != y->dtype || !xt_copyable(x->dtype)) return tflc_op_unsupported(c);
    if (!xt_is_index(s->dtype) || s->rank != 1 || s->dims[0] < x->rank || s->dims[0] > TFLC_MAX_DIMS)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "shape '%s' must be 1-D INT32/INT64 with %d..%d entries", s->name,
                            (int)x->rank, TFLC_MAX_DIMS);
    struct broadcast_to_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->es = tflc_dtype_size(x->dtype);
    c->node->data = d;
    c->node->eval = eval;
    int32_t dims[TFLC_MAX_DIMS];
    int r = s->dims[0];
    if (tflc_op_is_const(c, s) && s->data) {
        const char *why = "";
        if (!target_shape(x, s, dims, &why)) {
            char a[112], b[112];
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "cannot broadcast '%s' %s to %s: %s", x->name,
                                xt_fmt(a, sizeof a, x->rank, x->dims), xt_fmt(b, sizeof b, r, dims), why);
        }
    } else {
        d->dynamic = true;
        if (y->rank != r) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' must have rank %d", y->name, r);
        for (int i = 0; i < r; i++) dims[i] = y->dims[i];
        for (int i = 0; i < x->rank; i++)
            if (x->dims[i] != 1 && x->dims[i] != dims[r - x->rank + i])
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' does not broadcast to output '%s'", x->name,
                                    y->name);
    }
    if ((st = tflc_op_set_shape(c, y, r, dims))) return st;
    const struct tflc_tensor *ops[1] = {x};
    xt_bcast_init(&d->bc, r, dims, 1, ops);
    return TFLC_STATUS_OK;
}
