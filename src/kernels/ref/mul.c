/* MUL: out = act(a * b), numpy broadcasting.
 * float32; int32/int64 (wrapping product) and plain int16 (v7, product clamped), as TFLite;
 * int8/uint8/int16 quantized (real = scale * (q - zero_point); int16 with zero points 0):
 *   out = zp_out + MBQM((a - zp_a)(b - zp_b), M, shift),  M 2^shift = s_a s_b / s_out (float)
 * where the multiplier may exceed 1 (v3), clamped to the activation's quantized range.
 * Delegated to XNNPACK (kernel.h; 8-bit): out = round_half_even(clamp((float)((a - zp_a)(b - zp_b))
 * * (s_a * s_b / s_out))) + zp_out, the activation bounds quantized the same way.
 * prepare precomputes the multiplier, its shift and the clamp ranges. */
#include "kernels/ref/binary_util.h"

struct mul_data {
    struct tflc_binary_io io;
    int32_t a_off, b_off, out_off; /* -zp_a, -zp_b, +zp_out */
    int32_t mult;                  /* Q31 output multiplier */
    int shift;                     /* its exponent (may be > 0) */
    int32_t act_lo, act_hi;        /* quantized clamp range */
    float xnn_scale;               /* delegated to XNNPACK: s_a * s_b / s_out (float), else 0 */
    int64_t lo, hi;                /* plain integer activation range */
    float f_lo, f_hi;              /* float activation range */
};

static inline int32_t mul_q(const struct mul_data *d, int32_t a, int32_t b) {
    if (d->xnn_scale != 0.0f)
        return tflc_requant_fp32((a + d->a_off) * (b + d->b_off), d->xnn_scale, d->out_off, d->act_lo, d->act_hi);
    int32_t r = tflc_add_sat32(tflc_mbqm((a + d->a_off) * (b + d->b_off), d->mult, d->shift), d->out_off);
    return tflc_clamp_i32(r, d->act_lo, d->act_hi);
}

TFLC_BINARY_ROW(row_f32, struct mul_data, float, float, tflc_binary_clampf(*a * *b, d->f_lo, d->f_hi))
TFLC_BINARY_ROW(row_s32, struct mul_data, int32_t, int32_t,
                (int32_t)tflc_binary_clamp_i64((int32_t)((uint32_t)*a * (uint32_t)*b), d->lo, d->hi))
TFLC_BINARY_ROW(row_s64, struct mul_data, int64_t, int64_t,
                tflc_binary_clamp_i64((int64_t)((uint64_t)*a * (uint64_t)*b), d->lo, d->hi))
TFLC_BINARY_ROW(row_s16_plain, struct mul_data, int16_t, int16_t,
                (int16_t)tflc_binary_clamp_i64((int32_t)*a * (int32_t)*b, d->lo, d->hi))
TFLC_BINARY_ROW(row_s8, struct mul_data, int8_t, int8_t, (int8_t)mul_q(d, *a, *b))
TFLC_BINARY_ROW(row_u8, struct mul_data, uint8_t, uint8_t, (uint8_t)mul_q(d, *a, *b))
TFLC_BINARY_ROW(row_s16, struct mul_data, int16_t, int16_t, (int16_t)mul_q(d, *a, *b))

static enum tflc_status eval(const struct tflc_op_ctx *c, tflc_bcast_row_fn row) {
    struct mul_data d = *(const struct mul_data *)c->node->data;
    tflc_binary_run(c, &d.io, row);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return eval(c, row_f32); }
static enum tflc_status eval_s32(const struct tflc_op_ctx *c) { return eval(c, row_s32); }
static enum tflc_status eval_s64(const struct tflc_op_ctx *c) { return eval(c, row_s64); }
static enum tflc_status eval_s16_plain(const struct tflc_op_ctx *c) { return eval(c, row_s16_plain); }
static enum tflc_status eval_s8(const struct tflc_op_ctx *c) { return eval(c, row_s8); }
static enum tflc_status eval_u8(const struct tflc_op_ctx *c) { return eval(c, row_u8); }
static enum tflc_status eval_s16(const struct tflc_op_ctx *c) { return eval(c, row_s16); }

enum tflc_status tflc_mul_prepare(struct tflc_op_ctx *c) {
    struct mul_data *d = NULL;
    enum tflc_status st = tflc_binary_prepare(c, sizeof *d, (void **)&d);
    if (st) return st;
    const struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    int act = tflc_tfl_mul_options_fused_activation_function(c->node->options);
    switch (y->dtype) {
    case TFLC_DTYPE_FLOAT32:
        if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi)) return tflc_op_unsupported(c);
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32:
        if (!tflc_binary_act_range_int(act, INT32_MIN, INT32_MAX, &d->lo, &d->hi)) return tflc_op_unsupported(c);
        c->node->eval = eval_s32;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT64:
        if (!tflc_binary_act_range_int(act, INT64_MIN, INT64_MAX, &d->lo, &d->hi)) return tflc_op_unsupported(c);
        c->node->eval = eval_s64;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT16:
        if (y->quant.num_scales == 0) { /* v7: plain int16 (TFLite keys on the output) */
            if (!tflc_binary_act_range_int(act, INT16_MIN, INT16_MAX, &d->lo, &d->hi)) return tflc_op_unsupported(c);
            c->node->eval = eval_s16_plain;
            return TFLC_STATUS_OK;
        }
        if (a->quant.zero_point || b->quant.zero_point || y->quant.zero_point)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 MUL needs zero points of 0");
        c->node->eval = eval_s16;
        break;
    case TFLC_DTYPE_INT8: c->node->eval = eval_s8; break;
    case TFLC_DTYPE_UINT8: c->node->eval = eval_u8; break;
    default: return tflc_op_unsupported(c);
    }
    if (!tflc_binary_quantized(c))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "quantized MUL needs scales on every tensor");
    d->a_off = -a->quant.zero_point;
    d->b_off = -b->quant.zero_point;
    d->out_off = y->quant.zero_point;
    /* TFLite: double real_multiplier = s_a * s_b / s_out, evaluated in float. */
    float real = a->quant.scale * b->quant.scale / y->quant.scale;
    tflc_quantize_multiplier((double)real, &d->mult, &d->shift);
    int32_t qmin, qmax;
    tflc_qrange(y->dtype, &qmin, &qmax);
    if (!tflc_act_range_q(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &d->act_lo, &d->act_hi))
        return tflc_op_unsupported(c);
    if (tflc_op_uses_xnnpack(c)) { /* XNNPACK's VMUL: fp32 requantization, ties to even */
        tflc_act_range_xnn(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &d->act_lo, &d->act_hi);
        d->xnn_scale = a->quant.scale * b->quant.scale / y->quant.scale;
    }
    return TFLC_STATUS_OK;
}
