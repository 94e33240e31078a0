/* MIRROR_PAD: pads x by reflecting it at its borders (TFLite's mirror_pad.cc). paddings:
 * [rank, 2] int32 or int64 (before, after) per dim. Mode REFLECT mirrors without repeating
 * the border element (pads < dim), SYMMETRIC repeats it (pads <= dim); larger or negative
 * pads are refused (TFLite reads outside the input then). Output index o of a dim of size n
 * with left pad L maps to input i = o - L, mirrored as -i - 1 + off (left) or
 * 2n - 1 - off - i (right), off = 1 for REFLECT and 0 for SYMMETRIC.
 * Types: every copyable dtype (float32, int8, uint8, int16, int32, int64, bool); quantized
 * values are moved raw. Constant paddings size the output at prepare; computed ones must
 * give the model's declared output shape (run-time check). */
#include "kernels/ref/extra_util.h"

struct mirror_pad_data {
    int off;                       /* 1 REFLECT, 0 SYMMETRIC */
    int32_t left[TFLC_MAX_DIMS];   /* from constant paddings */
    bool dynamic;
    size_t es;
};

/* Left pads and output dims from the paddings; false (with *why) when a pad is invalid. */
static bool read_pads(const struct tflc_tensor *x, const struct tflc_tensor *p, int off, int32_t *left, int32_t *dims,
                      const char **why) {
    for (int d = 0; d < x->rank; d++) {
        int64_t a = xt_int_at(p, (size_t)d * 2), b = xt_int_at(p, (size_t)d * 2 + 1);
        if (a < 0 || b < 0 || a > x->dims[d] - off || b > x->dims[d] - off) {
            *why = off ? "REFLECT pads must be in [0, dim)" : "SYMMETRIC pads must be in [0, dim]";
            return false;
        }
        left[d] = (int32_t)a;
        dims[d] = (int32_t)(x->dims[d] + a + b);
    }
    return true;
}

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct mirror_pad_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    int32_t left[TFLC_MAX_DIMS];
    memcpy(left, d->left, sizeof left);
    if (d->dynamic) {
        int32_t dims[TFLC_MAX_DIMS] = {0};
        const char *why = "";
        if (!read_pads(x, tflc_op_in(c, 1), d->off, left, dims, &why)) return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "%s", why);
        if (!xt_has_shape(y, x->rank, dims)) return xt_runtime_shape_mismatch(c, y, x->rank, dims);
    }
    const uint8_t *in = x->data;
    uint8_t *out = y->data;
    size_t n = tflc_numel(y), stride[TFLC_MAX_DIMS];
    int32_t idx[TFLC_MAX_DIMS] = {0};
    size_t s = 1;
    for (int k = x->rank - 1; k >= 0; k--) { stride[k] = s; s *= (size_t)x->dims[k]; }
    for (size_t i = 0; i < n; i++) {
        size_t o = 0;
        for (int k = 0; k < x->rank; k++) {
            int32_t v = idx[k] - left[k], dim = x->dims[k];
            if (v < 0) v = -v - 1 + d->off;
            else if (v >= dim) v = 2 * dim - 1 - d->off - v;
            o += (size_t)v * stride[k];
        }
        memcpy(out + i * d->es, in + o * d->es, d->es);
        for (int k = y->rank - 1; k >= 0; k--) {
            if (++idx[k] < y->dims[k]) break;
            idx[k] = 0;
        }
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_mirror_pad_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *p = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !p) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !xt_copyable(x->dtype)) return tflc_op_unsupported(c);
    if (!xt_is_index(p->dtype) || p->rank != 2 || p->dims[0] != x->rank || p->dims[1] != 2)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "paddings '%s' must be INT32/INT64 of shape [%d,2]", p->name,
                            (int)x->rank);
    int mode = tflc_tfl_mirror_pad_options_mode(c->node->options);
    if (mode != TFLC_TFL_MIRROR_PAD_MODE_REFLECT && mode != TFLC_TFL_MIRROR_PAD_MODE_SYMMETRIC)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "unknown mirror pad mode %d", mode);
    struct mirror_pad_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->off = mode == TFLC_TFL_MIRROR_PAD_MODE_REFLECT ? 1 : 0;
    d->es = tflc_dtype_size(x->dtype);
    c->node->data = d;
    c->node->eval = eval;
    if (tflc_op_is_const(c, p) && p->data) {
        int32_t dims[TFLC_MAX_DIMS];
        const char *why = "";
        if (!read_pads(x, p, d->off, d->left, dims, &why))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "paddings '%s': %s", p->name, why);
        return tflc_op_set_shape(c, y, x->rank, dims);
    }
    d->dynamic = true;
    if (y->rank != x->rank)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' must have rank %d", y->name, (int)x->rank);
    return tflc_op_set_shape(c, y, y->rank, y->dims);
}
