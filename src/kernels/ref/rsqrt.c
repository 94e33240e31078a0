/* RSQRT: y = 1 / sqrt(x).
 * float32: 1.0f / sqrtf(x).
 * int8: TFLite's integer recipe. For d = q - in_zp (an input below the zero point is an
 * error at eval): d == 0 gives 127; otherwise gemmlowp's Newton-Raphson inverse square root
 * (GetInvSqrtQuantizedMultiplierExp) gives 2^20/sqrt(d) as an integer, which is requantized by
 * 1/(sqrt(in_s) out_s) (multiplier shift - 20) and offset by out_zp. Only 256 inputs exist, so
 * prepare tabulates the whole function.
 * int16 (zero points 0): TFLite's interpolated 513-entry table of 1/sqrt(x), x <= 0 mapping to
 * the largest output; a negative input is an error at eval. */
#include "kernels/ref/unary_util.h"

struct rsqrt_data {
    int32_t in_zp;     /* inputs below it are rejected */
    uint8_t table[256]; /* int8 results indexed by the raw input byte */
};

struct rsqrt_s16_data {
    int16_t lut[UNARY_LUT16_SIZE];
};

static float rsqrt_f(float x) { return 1.0f / sqrtf(x); }

static float rsqrt_lut16(float x, const void *p) {
    return x <= 0.0f ? 32767.0f * *(const float *)p : 1.0f / sqrtf(x);
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    unary_map_f32(c, rsqrt_f);
    return TFLC_STATUS_OK;
}

static int clz32(uint32_t v) {
    int n = 0;
    while (n < 32 && !(v & 0x80000000u)) { v <<= 1; n++; }
    return n;
}

/* gemmlowp/TFLite GetInvSqrtQuantizedMultiplierExp(input, reverse_shift = -1): 1/sqrt(input)
 * as a Q31 multiplier and a (left) shift. */
static void inv_sqrt_multiplier(int32_t input, int32_t *mult, int *shift) {
    if (input <= 1) {
        *mult = INT32_MAX;
        *shift = 0;
        return;
    }
    int s = 11;
    while (input >= (1 << 29)) {
        input /= 4;
        s++;
    }
    int pairs = (clz32((uint32_t)input) - 1) / 2 - 1;
    s -= pairs;
    input <<= 2 * pairs; /* now in [2^27, 2^29) */
    const int32_t fin = input >> 1;                  /* F3 */
    const int32_t half_in = fx_mul_pot(fin, -1, 32);
    const int32_t three_halves = (1 << 28) + (1 << 27);
    int32_t x = 1 << 28; /* F3 one */
    for (int i = 0; i < 5; i++) {
        int32_t x3 = fx_rescale(fx_mul(fx_mul(x, x, 32), x, 32), 9, 3, 32);
        x = fx_rescale(fx_sub(fx_mul(three_halves, x, 32), fx_mul(half_in, x3, 32), 32), 6, 3, 32);
    }
    x = fx_mul(x, 1518500250, 32); /* * sqrt(2)/2 */
    if (s < 0) {
        x = (int32_t)((uint32_t)x << -s);
        s = 0;
    }
    *mult = x;
    *shift = -s;
}

static enum tflc_status eval_s8(const struct tflc_op_ctx *c) {
    const struct rsqrt_data *d = c->node->data;
    const int8_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int8_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) {
        if (in[i] < d->in_zp)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT,
                                "input element %zu (%d) is below the zero point %d; rsqrt is only defined for x > 0", i,
                                (int)in[i], (int)d->in_zp);
        out[i] = (int8_t)d->table[(uint8_t)in[i]];
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s16(const struct tflc_op_ctx *c) {
    const struct rsqrt_s16_data *d = c->node->data;
    const int16_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int16_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) {
        if (in[i] < 0)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT,
                                "input element %zu (%d) is negative; rsqrt is only defined for x > 0", i, (int)in[i]);
        out[i] = unary_lut16_lookup(d->lut, in[i]);
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status prepare_s8(struct tflc_op_ctx *c, const struct tflc_tensor *x, const struct tflc_tensor *y) {
    struct rsqrt_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->in_zp = x->quant.zero_point;
    const int32_t out_zp = y->quant.zero_point;
    /* 1 / (sqrt(in_s) * out_s): the product in float, the quotient in double, as TFLite. */
    const float denom = sqrtf(x->quant.scale) * y->quant.scale;
    int32_t mult;
    int shift;
    tflc_quantize_multiplier(1.0 / (double)denom, &mult, &shift);
    const int k_shift = 20; /* keeps 1/sqrt(d) an integer */
    if (shift - k_shift < -31 || shift - k_shift > 30)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "input/output scales %g/%g are out of the int8 kernel's range",
                            (double)x->quant.scale, (double)y->quant.scale);
    for (int32_t q = -128; q <= 127; q++) {
        int32_t v = q - d->in_zp, r;
        if (v < 0) {
            r = 0; /* rejected at eval */
        } else if (v == 0) {
            r = 127;
        } else {
            int32_t im;
            int is;
            inv_sqrt_multiplier(v, &im, &is);
            int32_t data = tflc_mbqm(1, im, is + k_shift);
            r = tflc_clamp_i32(tflc_add_sat32(tflc_mbqm(data, mult, shift - k_shift), out_zp), -128, 127);
        }
        d->table[(uint8_t)q] = (uint8_t)(int8_t)r;
    }
    c->node->eval = eval_s8;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_rsqrt_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8:
        if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
        return prepare_s8(c, x, y);
    case TFLC_DTYPE_INT16: {
        if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
        if ((st = unary_need_zp0(c, x)) || (st = unary_need_zp0(c, y))) return st;
        struct rsqrt_s16_data *d = tflc_op_alloc(c, sizeof *d);
        if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
        const float out_scale = y->quant.scale;
        unary_lut16_fill(d->lut, x->quant.scale, 0, out_scale, 0, rsqrt_lut16, &out_scale);
        c->node->data = d;
        c->node->eval = eval_s16;
        return TFLC_STATUS_OK;
    }
    default: return tflc_op_unsupported(c);
    }
}
