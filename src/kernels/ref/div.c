/* DIV: out = act(a / b), numpy broadcasting.
 * float32 (IEEE, x/0 -> inf clamped to the activation range); int32 (truncating; INT32_MIN/-1
 * saturates); uint8 quantized (real = scale * (q - zero_point)) by TFLite's fixed-point recipe:
 * reciprocal of the divisor (Newton-Raphson), dividend normalized by its headroom, one output
 * multiplier s_a / (s_b s_out) (float), quantized activation clamp. A zero divisor is a
 * run-time INVALID_ARGUMENT error. prepare precomputes multiplier, shift and clamp ranges. */
#include "kernels/ref/binary_util.h"

struct div_data {
    struct tflc_binary_io io;
    int32_t a_off, b_off, out_off; /* -zp_a, -zp_b, +zp_out */
    int32_t mult;                  /* Q31 output multiplier */
    int shift;                     /* its exponent */
    int32_t act_lo, act_hi;        /* quantized clamp range */
    int64_t lo, hi;                /* int32 activation range */
    float f_lo, f_hi;              /* float activation range */
};

static int32_t sat_shl(int32_t x, int e) { /* SaturatingRoundingMultiplyByPOT<e>, 0 < e < 32 */
    int32_t thr = (int32_t)((1ll << (31 - e)) - 1);
    if (x > thr) return INT32_MAX;
    if (x < -thr) return INT32_MIN;
    return (int32_t)((int64_t)x * (1ll << e));
}

/* gemmlowp's one_over_one_plus_x_for_x_in_0_1 on raw Q0.31 values: 1/(1+x) for x in
 * [0,1), by three Newton-Raphson steps in Q2.29, returned in Q0.31. */
static int32_t one_over_one_plus_x(int32_t x) {
    int64_t sum = (int64_t)x + INT32_MAX; /* F0::One() is the largest raw value */
    int32_t half_den = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2); /* RoundingHalfSum */
    const int32_t c48_17 = 1515870810, cm32_17 = -1010580540, one_q2 = 1 << 29;
    int32_t r = c48_17 + tflc_srdhm(half_den, cm32_17);
    for (int i = 0; i < 3; i++) {
        int32_t one_minus = one_q2 - tflc_srdhm(half_den, r);
        r = r + sat_shl(tflc_srdhm(r, one_minus), 2);
    }
    return sat_shl(r, 1); /* Q2.29 / 2 as Q1.30, rescaled to Q0.31 */
}

static int clz32(uint32_t x) {
    int n = 0;
    if (!x) return 32;
    while (!(x & 0x80000000u)) { x <<= 1; n++; }
    return n;
}

/* Leading redundant sign bits (TFLite's CountLeadingSignBits; 31 for 0). */
static int clrsb32(int32_t x) {
    uint32_t u = x < 0 ? ~(uint32_t)x : (uint32_t)x;
    return clz32(u) - 1;
}

/* x / 2^e rounded to nearest, ties away from zero (gemmlowp's RoundingDivideByPOT), for any
 * e; e < 0 is a saturating left shift. TFLite reaches e > 31 whenever the quotient is below
 * about one output step (a small dividend over a large divisor with a small output
 * multiplier); its int32 shift is then undefined behaviour (x86 and WebAssembly shift by
 * e mod 32, e.g. 129/202 -> 255 instead of ~0.008), so there we return the rounded value,
 * which is 0 (or -1 for INT32_MIN / 2^32). */
static int32_t rdbypot_any(int32_t x, int e) {
    if (e < 0) return sat_shl(x, -e > 31 ? 31 : -e);
    if (e <= 31) return tflc_rdbypot(x, e);
    return e == 32 && x == INT32_MIN ? -1 : 0;
}

static inline int32_t div_q(const struct div_data *d, int32_t a, int32_t b) {
    int32_t num = a + d->a_off, den = b + d->b_off; /* den != 0: checked before the run */
    if (den < 0) { num = -num; den = -den; }
    /* GetReciprocal(den, 31): den = 2^k (1 + x) with x in [0,1); 1/(1+x) in Q0.31. */
    int lz = clz32((uint32_t)den);
    int recip_shift = 31 - lz;
    int32_t recip = one_over_one_plus_x((int32_t)(((uint32_t)den << lz) - 0x80000000u));
    int headroom = clrsb32(num);
    int32_t unscaled = tflc_srdhm((int32_t)((int64_t)num * (1ll << headroom)), recip);
    int total_shift = d->shift - recip_shift - headroom;
    /* In 64 bits: a saturated quotient plus the zero point must not overflow (hostile scales). */
    int64_t r = (int64_t)rdbypot_any(tflc_srdhm(unscaled, d->mult), -total_shift) + d->out_off;
    return r < d->act_lo ? d->act_lo : r > d->act_hi ? d->act_hi : (int32_t)r;
}

static inline int32_t div_s32(const struct div_data *d, int32_t a, int32_t b) {
    return (int32_t)tflc_binary_clamp_i64((int64_t)a / b, d->lo, d->hi); /* INT32_MIN / -1 saturates */
}

TFLC_BINARY_ROW(row_f32, struct div_data, float, float, tflc_binary_clampf(*a / *b, d->f_lo, d->f_hi))
TFLC_BINARY_ROW(row_s32, struct div_data, int32_t, int32_t, div_s32(d, *a, *b))
TFLC_BINARY_ROW(row_u8, struct div_data, uint8_t, uint8_t, (uint8_t)div_q(d, *a, *b))

static enum tflc_status eval(const struct tflc_op_ctx *c, tflc_bcast_row_fn row) {
    struct div_data d = *(const struct div_data *)c->node->data;
    tflc_binary_run(c, &d.io, row);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return eval(c, row_f32); }

/* Integer divisors are checked before any division (TFLite's CheckNonZero), so a zero is
 * reported instead of trapping. `zero` is the raw value that means 0. */
static enum tflc_status check_divisor(const struct tflc_op_ctx *c, int32_t zero) {
    const struct tflc_tensor *b = tflc_op_in(c, 1);
    if (tflc_numel(tflc_op_out(c, 0)) == 0) return TFLC_STATUS_OK;
    size_t n = tflc_numel(b);
    for (size_t i = 0; i < n; i++) {
        int32_t v = b->dtype == TFLC_DTYPE_INT32 ? ((const int32_t *)b->data)[i] : ((const uint8_t *)b->data)[i];
        if (v == zero)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "division by zero: element %zu of divisor '%s'", i,
                                b->name);
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s32(const struct tflc_op_ctx *c) {
    enum tflc_status st = check_divisor(c, 0);
    return st ? st : eval(c, row_s32);
}

static enum tflc_status eval_u8(const struct tflc_op_ctx *c) {
    enum tflc_status st = check_divisor(c, tflc_op_in(c, 1)->quant.zero_point);
    return st ? st : eval(c, row_u8);
}

enum tflc_status tflc_div_prepare(struct tflc_op_ctx *c) {
    struct div_data *d = NULL;
    enum tflc_status st = tflc_binary_prepare(c, sizeof *d, (void **)&d);
    if (st) return st;
    const struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    int act = tflc_tfl_div_options_fused_activation_function(c->node->options);
    switch (y->dtype) {
    case TFLC_DTYPE_FLOAT32:
        if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi)) return tflc_op_unsupported(c);
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32:
        if (!tflc_binary_act_range_int(act, INT32_MIN, INT32_MAX, &d->lo, &d->hi)) return tflc_op_unsupported(c);
        c->node->eval = eval_s32;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_UINT8: break;
    default: return tflc_op_unsupported(c);
    }
    if (!tflc_binary_quantized(c))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "quantized DIV needs scales on every tensor");
    d->a_off = -a->quant.zero_point;
    d->b_off = -b->quant.zero_point;
    d->out_off = y->quant.zero_point;
    /* TFLite: double real_multiplier = s_a / (s_b * s_out), evaluated in float. */
    float real = a->quant.scale / (b->quant.scale * y->quant.scale);
    tflc_quantize_multiplier((double)real, &d->mult, &d->shift);
    int32_t qmin, qmax;
    tflc_qrange(y->dtype, &qmin, &qmax);
    if (!tflc_act_range_q(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &d->act_lo, &d->act_hi))
        return tflc_op_unsupported(c);
    c->node->eval = eval_u8;
    return TFLC_STATUS_OK;
}
