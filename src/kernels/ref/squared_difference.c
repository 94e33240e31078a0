/* SQUARED_DIFFERENCE: out = (a - b)^2, numpy broadcasting, no activation.
 * float32; int32 (wrapping, as TFLite's int32 arithmetic); int8 quantized with TFLite's own
 * recipe (real = scale * (q - zero_point)): both inputs offset by -zero_point, shifted left
 * 7 bits, scaled by s_in / (2 max(s_a, s_b)) to a common scale; the difference is squared
 * (< 2^31 by construction) and scaled by (2 max)^2 / (2^14 s_out), offset by the output
 * zero point and clamped to int8. prepare precomputes the three multipliers/shifts. */
#include "kernels/ref/binary_util.h"

struct squared_difference_data {
    struct tflc_binary_io io;
    int32_t a_off, b_off, out_off;    /* -zp_a, -zp_b, +zp_out */
    int32_t a_mult, b_mult, out_mult; /* Q31 multipliers */
    int a_shift, b_shift, out_shift;  /* their exponents (<= 0) */
};

enum { LEFT_SHIFT = 7 };

static inline int8_t sqdiff_q(const struct squared_difference_data *d, int32_t a, int32_t b) {
    int32_t sa = tflc_mbqm((a + d->a_off) * (1 << LEFT_SHIFT), d->a_mult, d->a_shift);
    int32_t sb = tflc_mbqm((b + d->b_off) * (1 << LEFT_SHIFT), d->b_mult, d->b_shift);
    int32_t diff = sa - sb;
    int32_t r = tflc_add_sat32(tflc_mbqm(diff * diff, d->out_mult, d->out_shift), d->out_off);
    return (int8_t)tflc_clamp_i32(r, -128, 127);
}

static inline int32_t sqdiff_s32(int32_t a, int32_t b) {
    uint32_t diff = (uint32_t)a - (uint32_t)b;
    return (int32_t)(diff * diff);
}

static inline float sqdiff_f32(float a, float b) {
    float diff = a - b;
    return diff * diff;
}

TFLC_BINARY_ROW(row_f32, struct squared_difference_data, float, float, sqdiff_f32(*a, *b))
TFLC_BINARY_ROW(row_s32, struct squared_difference_data, int32_t, int32_t, sqdiff_s32(*a, *b))
TFLC_BINARY_ROW(row_s8, struct squared_difference_data, int8_t, int8_t, sqdiff_q(d, *a, *b))

static enum tflc_status eval(const struct tflc_op_ctx *c, tflc_bcast_row_fn row) {
    struct squared_difference_data d = *(const struct squared_difference_data *)c->node->data;
    tflc_binary_run(c, &d.io, row);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return eval(c, row_f32); }
static enum tflc_status eval_s32(const struct tflc_op_ctx *c) { return eval(c, row_s32); }
static enum tflc_status eval_s8(const struct tflc_op_ctx *c) { return eval(c, row_s8); }

enum tflc_status tflc_squared_difference_prepare(struct tflc_op_ctx *c) {
    struct squared_difference_data *d = NULL;
    enum tflc_status st = tflc_binary_prepare(c, sizeof *d, (void **)&d);
    if (st) return st;
    const struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    switch (y->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32: c->node->eval = eval_s32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8: break;
    default: return tflc_op_unsupported(c);
    }
    if (!tflc_binary_quantized(c))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "quantized SQUARED_DIFFERENCE needs scales on every tensor");
    d->a_off = -a->quant.zero_point;
    d->b_off = -b->quant.zero_point;
    d->out_off = y->quant.zero_point;
    /* Same float/double mix as TFLite: 2 max(s_a, s_b) in float, the rest in double except
     * 2^14 * s_out, which is float. */
    float twice_max = 2.0f * (a->quant.scale > b->quant.scale ? a->quant.scale : b->quant.scale);
    double tm = twice_max;
    tflc_quantize_multiplier(a->quant.scale / tm, &d->a_mult, &d->a_shift);
    tflc_quantize_multiplier(b->quant.scale / tm, &d->b_mult, &d->b_shift);
    float denom = (float)(1 << (2 * LEFT_SHIFT)) * y->quant.scale;
    tflc_quantize_multiplier(tm * tm / denom, &d->out_mult, &d->out_shift);
    c->node->eval = eval_s8;
    return TFLC_STATUS_OK;
}
