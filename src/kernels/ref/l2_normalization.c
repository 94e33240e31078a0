/* L2_NORMALIZATION over the last dimension: out = x / max(sqrt(sum(x^2)), 1e-6). Input rank
 * <= 4, no fused activation (TFLite supports none).
 * float32: TFLite's reference (float sum of squares in order, sqrtf, divide).
 * int8 (output scale 1/128, zero point 0) and uint8 (1/128, 128), TFLite's integer kernels:
 * sum of (q - zp_in)^2 in int32, its inverse square root as a Q31 multiplier and shift
 * (GetInvSqrtQuantizedMultiplierExp, Newton-Raphson in fixed point), then
 *   int8:  out = clamp(MBQM(q - zp_in, inv, shift + 7))
 *   uint8: out = clamp(128 + MBQM(128 * (q - zp_in), inv, shift)).
 * The input scale cancels out, so nothing is precomputed beyond the row layout. */
#include "kernels/ref/pool_util.h"

struct l2norm_data {
    size_t outer, depth; /* rows and row length (last dim) */
    int32_t in_zp;
};

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    const struct l2norm_data *d = c->node->data;
    const float *in = tflc_op_in(c, 0)->data;
    float *out = tflc_op_out(c, 0)->data;
    for (size_t r = 0; r < d->outer; r++, in += d->depth, out += d->depth) {
        float sq = 0.0f;
        for (size_t j = 0; j < d->depth; j++) sq += in[j] * in[j];
        float norm = sqrtf(sq);
        if (norm < 1e-6f) norm = 1e-6f;
        for (size_t j = 0; j < d->depth; j++) out[j] = in[j] / norm;
    }
    return TFLC_STATUS_OK;
}

/* Sum of squares of (q - zp) over one row, and its inverse square root. */
#define ROW_INV_SQRT(in, d, inv, shift)              \
    do {                                             \
        int32_t sq_ = 0;                             \
        for (size_t j_ = 0; j_ < (d)->depth; j_++) { \
            int32_t v_ = (in)[j_] - (d)->in_zp;      \
            sq_ += v_ * v_;                          \
        }                                            \
        fxp_inv_sqrt(sq_, -1, &(inv), &(shift));     \
    } while (0)

static enum tflc_status eval_s8(const struct tflc_op_ctx *c) {
    const struct l2norm_data *d = c->node->data;
    const int8_t *in = tflc_op_in(c, 0)->data;
    int8_t *out = tflc_op_out(c, 0)->data;
    for (size_t r = 0; r < d->outer; r++, in += d->depth, out += d->depth) {
        int32_t inv;
        int shift;
        ROW_INV_SQRT(in, d, inv, shift);
        for (size_t j = 0; j < d->depth; j++) {
            int32_t v = tflc_mbqm(in[j] - d->in_zp, inv, shift + 7); /* output is Q0.7 */
            out[j] = (int8_t)tflc_clamp_i32(v, INT8_MIN, INT8_MAX);
        }
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_u8(const struct tflc_op_ctx *c) {
    const struct l2norm_data *d = c->node->data;
    const uint8_t *in = tflc_op_in(c, 0)->data;
    uint8_t *out = tflc_op_out(c, 0)->data;
    for (size_t r = 0; r < d->outer; r++, in += d->depth, out += d->depth) {
        int32_t inv;
        int shift;
        ROW_INV_SQRT(in, d, inv, shift);
        for (size_t j = 0; j < d->depth; j++) {
            int32_t v = 128 + tflc_mbqm(128 * (in[j] - d->in_zp), inv, shift);
            out[j] = (uint8_t)tflc_clamp_i32(v, 0, UINT8_MAX);
        }
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_l2_normalization_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->rank < 1 || x->rank > 4)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' must have rank 1 to 4, has %d", x->name,
                            (int)x->rank);
    if (tflc_numel(x) == 0) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' is zero-sized", x->name);
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    int act = tflc_tfl_l2norm_options_fused_activation_function(c->node->options);
    if (act != TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "fused activation %d is not supported (TFLite supports none)",
                            act);
    if ((st = tflc_op_set_shape(c, y, x->rank, x->dims))) return st;
    struct l2norm_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->depth = (size_t)x->dims[x->rank - 1];
    d->outer = tflc_numel(x) / d->depth;
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8:
    case TFLC_DTYPE_UINT8: break;
    default: return tflc_op_unsupported(c);
    }
    if ((st = pool_need_scale(c, x))) return st;
    if ((st = pool_need_out_q(c, y, 1.0 / 128, x->dtype == TFLC_DTYPE_INT8 ? 0 : 128, "1/128"))) return st;
    /* The int32 sum of squares must not overflow (TFLite's accumulator too). */
    if (d->depth > (size_t)INT32_MAX / (255u * 255u))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "last dimension %zu is too long for the int32 sum of squares",
                            d->depth);
    d->in_zp = x->quant.zero_point;
    c->node->eval = x->dtype == TFLC_DTYPE_INT8 ? eval_s8 : eval_u8;
    return TFLC_STATUS_OK;
}
