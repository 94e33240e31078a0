/* Helpers private to the unary reference kernels (logistic.c, tanh.c, relu*.c, elu.c, ...):
 *  - unary_prepare_same(): the common "one input, one output of the same shape" checks;
 *  - 8-bit and 16-bit lookup tables built the way TFLite's LUTPopulate builds them
 *    (float math, round half away from zero), and their lookups;
 *  - gemmlowp-style fixed-point math (FixedPoint<int16/int32, IntegerBits>) used by TFLite's
 *    int16 LOGISTIC/TANH and int8 RSQRT: raw values are held in int32_t, `bits` says whether
 *    they are 16- or 32-bit quantities, so one implementation serves both widths.
 * Everything is static inline; nothing here keeps state. */
#ifndef TFLC_KERNELS_REF_UNARY_UTIL_H
#define TFLC_KERNELS_REF_UNARY_UTIL_H

#include "kernels/ref/common.h"

/* ---- prepare helpers ---- */

/* One input, one output; output takes the input's shape. *x / *y are set on success. */
static inline enum tflc_status unary_prepare_same(struct tflc_op_ctx *c, struct tflc_tensor **x, struct tflc_tensor **y) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    *x = tflc_op_in(c, 0);
    *y = tflc_op_out(c, 0);
    if (!*x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    return tflc_op_set_shape(c, *y, (*x)->rank, (*x)->dims);
}

static inline bool unary_is_q(enum tflc_dtype t) {
    return t == TFLC_DTYPE_INT8 || t == TFLC_DTYPE_UINT8 || t == TFLC_DTYPE_INT16;
}

/* Quantized tensors must carry (per-tensor) scale and zero point. */
static inline enum tflc_status unary_need_quant(const struct tflc_op_ctx *c, const struct tflc_tensor *t) {
    if (t->quant.num_scales < 1 || !(t->quant.scale > 0.0f))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "quantized tensor '%s' (%s) has no scale", t->name,
                            tflc_dtype_name(t->dtype));
    return TFLC_STATUS_OK;
}

/* int16 kernels of TFLite are symmetric: zero point 0. */
static inline enum tflc_status unary_need_zp0(const struct tflc_op_ctx *c, const struct tflc_tensor *t) {
    if (t->quant.zero_point != 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 tensor '%s' needs zero point 0, has %d", t->name,
                            (int)t->quant.zero_point);
    return TFLC_STATUS_OK;
}

/* ---- rounding / saturation ---- */

/* Float -> int32 after clamping to [lo, hi] in float (NaN gives lo); avoids the undefined
 * conversion of out-of-range values. */
static inline int32_t unary_clamp_f2i(float v, int32_t lo, int32_t hi) {
    if (!(v >= (float)lo)) return lo;
    if (v >= (float)hi) return hi;
    return (int32_t)v;
}

/* ---- 8-bit lookup tables (TFLite LUTPopulate<int8/uint8>) ----
 * table[(uint8_t)q_in] = clamp(round(f(in_scale * (q_in - in_zp)) * (1 / out_scale)) + out_zp),
 * all in float. The table is indexed by the raw byte, so int8 and uint8 share the lookup. */
typedef float (*unary_fn)(float x, const void *params);

static inline void unary_lut8_fill(uint8_t table[256], enum tflc_dtype t, float in_scale, int32_t in_zp, float out_scale,
                                   int32_t out_zp, unary_fn fn, const void *params) {
    int32_t lo = t == TFLC_DTYPE_INT8 ? -128 : 0, hi = t == TFLC_DTYPE_INT8 ? 127 : 255;
    const float inv = 1.0f / out_scale;
    for (int32_t v = lo; v <= hi; v++) {
        float x = in_scale * (float)(v - in_zp);
        float r = roundf(fn(x, params) * inv);
        int32_t q = unary_clamp_f2i(r + (float)out_zp, lo, hi);
        table[(uint8_t)v] = (uint8_t)q;
    }
}

/* The same table as XNNPACK builds it for a delegated node (create_lut_elementwise_nc):
 * x = (float)(v - in_zp) * in_scale, q = lrintf(fn(x) * (1 / out_scale)) + out_zp (ties to
 * even), clamped to the storage range. */
static inline void unary_lut8_fill_xnn(uint8_t table[256], enum tflc_dtype t, float in_scale, int32_t in_zp,
                                       float out_scale, int32_t out_zp, unary_fn fn, const void *params) {
    int32_t lo = t == TFLC_DTYPE_INT8 ? -128 : 0, hi = t == TFLC_DTYPE_INT8 ? 127 : 255;
    const float inv = 1.0f / out_scale;
    for (int32_t v = lo; v <= hi; v++) {
        float r = tflc_round_even(fn((float)(v - in_zp) * in_scale, params) * inv);
        int32_t q = unary_clamp_f2i(r, lo - out_zp, hi - out_zp) + out_zp;
        table[(uint8_t)v] = (uint8_t)q;
    }
}

static inline void unary_lut8_apply(const uint8_t table[256], const uint8_t *in, uint8_t *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = table[in[i]];
}

/* ---- int16 lookup tables (TFLite LUTPopulate<int16_t>: 512 segments + end point, linear
 * interpolation with 7 fraction bits; each entry is biased by half the midpoint error) ---- */
#define UNARY_LUT16_SIZE 513

static inline float unary_lut16_clampf(float v) { return v < -32768.0f ? -32768.0f : v > 32767.0f ? 32767.0f : v; }

static inline void unary_lut16_fill(int16_t lut[UNARY_LUT16_SIZE], float in_scale, int32_t in_zp, float out_scale,
                                    int32_t out_zp, unary_fn fn, const void *params) {
    const float in_min = in_scale * (float)(-32768 - in_zp);
    const float in_max = in_scale * (float)(32767 - in_zp);
    const float out_min = out_scale * (float)(-32768 - out_zp);
    const float out_max = out_scale * (float)(32767 - out_zp);
    const int steps = 512;
    const float step = (in_max - in_min) / (float)steps;
    const float half_step = step / 2.0f;
    const float out_inv = 65536.0f / (out_max - out_min);
    for (int i = 0; i < steps; i++) {
        float v = fn(in_min + (float)i * step, params);
        float v_mid = fn(in_min + (float)i * step + half_step, params);
        float v_next = fn(in_min + (float)(i + 1) * step, params);
        float sample = roundf(v * out_inv);
        float mid_interp = roundf((v_next * out_inv + roundf(v * out_inv)) / 2.0f);
        float mid_true = roundf(v_mid * out_inv);
        float bias = roundf((mid_interp - mid_true) / 2.0f);
        lut[i] = (int16_t)unary_lut16_clampf(sample - bias);
    }
    lut[steps] = (int16_t)unary_lut16_clampf(roundf(fn(in_max, params) * out_inv));
}

static inline int16_t unary_lut16_lookup(const int16_t lut[UNARY_LUT16_SIZE], int16_t v) {
    int index = 256 + (v >> 7); /* arithmetic shift: 0..511 */
    int offset = v & 0x7f;
    int base = lut[index];
    int slope = lut[index + 1] - lut[index];
    int delta = (slope * offset + 64) >> 7;
    return (int16_t)(base + delta);
}

/* ---- gemmlowp fixed point on 16- or 32-bit raw values ----
 * A FixedPoint<raw, I> value r means r / 2^(bits-1-I). Arithmetic follows gemmlowp exactly:
 * + and - wrap (two's complement), * is the saturating rounding doubling high multiply,
 * shifts round half away from zero. */
static inline int32_t fx_min(int bits) { return bits == 16 ? INT16_MIN : INT32_MIN; }
static inline int32_t fx_max(int bits) { return bits == 16 ? INT16_MAX : INT32_MAX; }
static inline int32_t fx_wrap(int64_t v, int bits) {
    uint64_t m = bits == 16 ? 0xFFFFu : 0xFFFFFFFFu;
    uint64_t u = (uint64_t)v & m;
    uint64_t sign = (uint64_t)1 << (bits - 1);
    return (int32_t)((int64_t)(u ^ sign) - (int64_t)sign);
}
static inline int32_t fx_add(int32_t a, int32_t b, int bits) { return fx_wrap((int64_t)a + b, bits); }
static inline int32_t fx_sub(int32_t a, int32_t b, int bits) { return fx_wrap((int64_t)a - b, bits); }
static inline int32_t fx_neg(int32_t a, int bits) { return fx_wrap(-(int64_t)a, bits); }
static inline int32_t fx_sat_add(int32_t a, int32_t b, int bits) {
    int64_t s = (int64_t)a + b;
    return s < fx_min(bits) ? fx_min(bits) : s > fx_max(bits) ? fx_max(bits) : (int32_t)s;
}
/* gemmlowp's AddSaturatingIf16Bit. */
static inline int32_t fx_add16sat(int32_t a, int32_t b, int bits) {
    return bits == 16 ? fx_sat_add(a, b, bits) : fx_add(a, b, bits);
}
/* SaturatingRoundingDoublingHighMul. */
static inline int32_t fx_mul(int32_t a, int32_t b, int bits) {
    if (a == b && a == fx_min(bits)) return fx_max(bits);
    int64_t ab = (int64_t)a * b;
    int64_t half = (int64_t)1 << (bits - 2);
    int64_t nudge = ab >= 0 ? half : 1 - half;
    return (int32_t)((ab + nudge) / ((int64_t)1 << (bits - 1)));
}
/* RoundingDivideByPOT (round half away from zero). */
static inline int32_t fx_rdiv_pot(int32_t x, int e) {
    if (e <= 0) return x;
    int32_t mask = (int32_t)(((int64_t)1 << e) - 1);
    int32_t rem = x & mask;
    int32_t thr = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> e) + (rem > thr ? 1 : 0);
}
/* SaturatingRoundingMultiplyByPOT<e>. */
static inline int32_t fx_mul_pot(int32_t x, int e, int bits) {
    if (e == 0) return x;
    if (e < 0) return fx_rdiv_pot(x, -e);
    int32_t thr = (int32_t)(((int64_t)1 << (bits - 1 - e)) - 1);
    if (x > thr) return fx_max(bits);
    if (x < -thr) return fx_min(bits);
    return (int32_t)((int64_t)x * ((int64_t)1 << e));
}
/* Rescale<dst_ibits>(x with src_ibits). */
static inline int32_t fx_rescale(int32_t x, int src_ibits, int dst_ibits, int bits) {
    return fx_mul_pot(x, src_ibits - dst_ibits, bits);
}
/* A 32-bit gemmlowp constant brought to `bits` (RescaleConstantInitializer). */
static inline int32_t fx_const(int32_t c32, int bits) { return bits == 16 ? fx_rdiv_pot(c32, 16) : c32; }
/* One() of FixedPoint<raw, ibits>. */
static inline int32_t fx_one(int ibits, int bits) { return ibits == 0 ? fx_max(bits) : (int32_t)1 << (bits - 1 - ibits); }
/* RoundingHalfSum. */
static inline int32_t fx_half_sum(int32_t a, int32_t b) {
    int64_t s = (int64_t)a + b;
    return (int32_t)((s + (s >= 0 ? 1 : -1)) / 2);
}

/* exp(a) for a in [-1/4, 0), F0 -> F0. */
static inline int32_t fx_exp_quarter(int32_t a, int bits) {
    const int32_t k = fx_const(1895147668, bits);      /* exp(-1/8) */
    const int32_t third = fx_const(715827883, bits);   /* 1/3 */
    int32_t x = fx_add(a, (int32_t)1 << (bits - 1 - 3), bits); /* a + 1/8 */
    int32_t x2 = fx_mul(x, x, bits), x3 = fx_mul(x2, x, bits), x4 = fx_mul(x2, x2, bits);
    int32_t x4_4 = fx_mul_pot(x4, -2, bits);
    int32_t poly = fx_mul_pot(fx_add(fx_mul(fx_add(x4_4, x3, bits), third, bits), x2, bits), -1, bits);
    return fx_add16sat(k, fx_mul(k, fx_add(x, poly, bits), bits), bits);
}

/* exp(a) for a <= 0 with `ibits` integer bits; result F0. */
static inline int32_t fx_exp_neg(int32_t a, int ibits, int bits) {
    static const int32_t mults[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int frac = bits - 1 - ibits;
    const int32_t quarter = (int32_t)1 << (frac - 2);
    int32_t a_mod = fx_sub(a & (quarter - 1), quarter, bits);
    int32_t result = fx_exp_quarter(fx_rescale(a_mod, ibits, 0, bits), bits);
    int32_t rem = fx_sub(a_mod, a, bits);
    for (int k = 0; k < 7; k++) {
        int e = k - 2; /* exp(-2^e) */
        if (ibits > e && (rem & ((int32_t)1 << (frac + e)))) result = fx_mul(result, fx_const(mults[k], bits), bits);
    }
    if (ibits > 5) {
        int32_t clamp = fx_const(-((int32_t)1 << (36 - ibits)), bits); /* -32 */
        if (a < clamp) result = 0;
    }
    return a == 0 ? fx_one(0, bits) : result;
}

/* Newton-Raphson core shared by 1/(1+a) and (1-a)/(1+a), a in [0,1] (F0): returns x ~ 2/(1+a)
 * as F2, starting from 48/17 - 32/17 * (1+a)/2 (gemmlowp's initial guess), three steps. */
static inline int32_t fx_nr_recip(int32_t a, int bits, int32_t *half_den) {
    int32_t hd = fx_half_sum(a, fx_one(0, bits));
    const int32_t c48_17 = fx_const(1515870810, bits), cm32_17 = fx_const(-1010580540, bits);
    int32_t x = fx_add(c48_17, fx_mul(hd, cm32_17, bits), bits);
    for (int i = 0; i < 3; i++) {
        int32_t hdx = fx_mul(hd, x, bits);
        int32_t one_minus = fx_sub(fx_one(2, bits), hdx, bits);
        x = fx_add(x, fx_rescale(fx_mul(x, one_minus, bits), 4, 2, bits), bits);
    }
    *half_den = hd;
    return x;
}
/* 1 / (1 + a), a in [0, 1], F0 -> F0. */
static inline int32_t fx_one_over_one_plus(int32_t a, int bits) {
    int32_t hd;
    int32_t x = fx_nr_recip(a, bits, &hd);
    return fx_rescale(x, 1, 0, bits); /* ExactMulByPot<-1>: F2 raw read as F1 */
}
/* (1 - a) / (1 + a), a in [0, 1], F0 -> F0. */
static inline int32_t fx_one_minus_over_one_plus(int32_t a, int bits) {
    int32_t hd;
    int32_t x = fx_nr_recip(a, bits, &hd);
    return fx_rescale(fx_sub(x, fx_one(2, bits), bits), 2, 0, bits);
}

/* gemmlowp::logistic: FixedPoint<ibits> -> F0. */
static inline int32_t fx_logistic(int32_t a, int ibits, int bits) {
    if (a == 0) return fx_const(1 << 30, bits);
    int32_t abs_a = a > 0 ? a : fx_neg(a, bits);
    int32_t pos = fx_one_over_one_plus(fx_exp_neg(fx_neg(abs_a, bits), ibits, bits), bits);
    return a > 0 ? pos : fx_sub(fx_one(0, bits), pos, bits);
}

/* gemmlowp::tanh: FixedPoint<ibits> -> F0. */
static inline int32_t fx_tanh(int32_t a, int ibits, int bits) {
    if (a == 0) return 0;
    int32_t n = a < 0 ? a : fx_neg(a, bits);
    /* ExactMulByPot<1>: same raw, one more integer bit. */
    int32_t t = fx_one_minus_over_one_plus(fx_exp_neg(n, ibits + 1, bits), bits);
    return a < 0 ? fx_neg(t, bits) : t;
}

/* ---- eval helpers ---- */

/* Per-op state of kernels that are one byte table (int8/uint8 LUT kernels). */
struct unary_lut8_data {
    uint8_t table[256];
};

static inline enum tflc_status unary_eval_lut8(const struct tflc_op_ctx *c) {
    const struct unary_lut8_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    unary_lut8_apply(d->table, x->data, y->data, tflc_numel(y));
    return TFLC_STATUS_OK;
}

/* Prepare of a LUT kernel: allocates the table and fills it from fn. */
static inline enum tflc_status unary_prepare_lut8(struct tflc_op_ctx *c, const struct tflc_tensor *x,
                                                  const struct tflc_tensor *y, unary_fn fn, const void *params) {
    struct unary_lut8_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    unary_lut8_fill(d->table, x->dtype, x->quant.scale, x->quant.zero_point, y->quant.scale, y->quant.zero_point, fn,
                    params);
    c->node->data = d;
    c->node->eval = unary_eval_lut8;
    return TFLC_STATUS_OK;
}

/* unary_prepare_lut8 for a node delegated to XNNPACK (tflc_op_uses_xnnpack): its table
 * (unary_lut8_fill_xnn) from XNNPACK's own transform `xnn_fn`. */
static inline enum tflc_status unary_prepare_lut8_xnn(struct tflc_op_ctx *c, const struct tflc_tensor *x,
                                                      const struct tflc_tensor *y, unary_fn xnn_fn) {
    struct unary_lut8_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    unary_lut8_fill_xnn(d->table, x->dtype, x->quant.scale, x->quant.zero_point, y->quant.scale, y->quant.zero_point,
                        xnn_fn, NULL);
    c->node->data = d;
    c->node->eval = unary_eval_lut8;
    return TFLC_STATUS_OK;
}

/* Per-op state of int16 LUT kernels. */
struct unary_lut16_data {
    int16_t lut[UNARY_LUT16_SIZE];
};

static inline enum tflc_status unary_eval_lut16(const struct tflc_op_ctx *c) {
    const struct unary_lut16_data *d = c->node->data;
    const int16_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int16_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = unary_lut16_lookup(d->lut, in[i]);
    return TFLC_STATUS_OK;
}

static inline enum tflc_status unary_prepare_lut16(struct tflc_op_ctx *c, const struct tflc_tensor *x,
                                                   const struct tflc_tensor *y, unary_fn fn, const void *params) {
    struct unary_lut16_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    unary_lut16_fill(d->lut, x->quant.scale, x->quant.zero_point, y->quant.scale, y->quant.zero_point, fn, params);
    c->node->data = d;
    c->node->eval = unary_eval_lut16;
    return TFLC_STATUS_OK;
}

/* out[i] = f(in[i]) over float32 tensors. */
static inline void unary_map_f32(const struct tflc_op_ctx *c, float (*f)(float)) {
    const float *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    float *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = f(in[i]);
}

/* ---- RELU / RELU6 / RELU_N1_TO_1 (TFLite's ReluX) ----
 * float: clamp(x, lo, hi). Quantized: y = clamp(out_zp + MBQM(q - in_zp, in_s/out_s), qlo, qhi),
 * where the multiplier is QuantizeMultiplier of the float quotient in_s / out_s and
 * [qlo, qhi] = [out_zp + round(lo/out_s), out_zp + round(hi/out_s)] within the storage range
 * (hi = +inf keeps the storage max). */
struct unary_relu_data {
    float lo, hi;            /* float clamp */
    int32_t in_zp, out_zp;
    int32_t mult;            /* Q31 multiplier of in_s / out_s */
    int shift;
    int32_t qlo, qhi;        /* quantized clamp */
};

#define UNARY_RELU_EVAL(name, T)                                                              \
    static inline enum tflc_status name(const struct tflc_op_ctx *c) {                        \
        const struct unary_relu_data *d = c->node->data;                                      \
        const T *in = tflc_op_in(c, 0)->data;                                                 \
        struct tflc_tensor *y = tflc_op_out(c, 0);                                            \
        T *out = y->data;                                                                     \
        size_t n = tflc_numel(y);                                                             \
        for (size_t i = 0; i < n; i++) {                                                      \
            int32_t v = tflc_mbqm((int32_t)in[i] - d->in_zp, d->mult, d->shift);              \
            v = tflc_add_sat32(v, d->out_zp); /* saturating: hostile scales cannot overflow */ \
            v = v < d->qlo ? d->qlo : v; /* max then min, as TFLite (qlo > qhi gives qhi) */   \
            out[i] = (T)(v > d->qhi ? d->qhi : v);                                            \
        }                                                                                     \
        return TFLC_STATUS_OK;                                                                \
    }
UNARY_RELU_EVAL(unary_relu_eval_s8, int8_t)
UNARY_RELU_EVAL(unary_relu_eval_u8, uint8_t)
UNARY_RELU_EVAL(unary_relu_eval_s16, int16_t)
#undef UNARY_RELU_EVAL

static inline enum tflc_status unary_relu_eval_f32(const struct tflc_op_ctx *c) {
    const struct unary_relu_data *d = c->node->data;
    const float *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    float *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = in[i] < d->lo ? d->lo : in[i] > d->hi ? d->hi : in[i];
    return TFLC_STATUS_OK;
}

/* Shared prepare: float32, uint8, int8, and int16 when allow_s16 (zero points 0). */
static inline enum tflc_status unary_relu_prepare(struct tflc_op_ctx *c, float lo, float hi, bool allow_s16) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    struct unary_relu_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->lo = lo;
    d->hi = hi;
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = unary_relu_eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8: c->node->eval = unary_relu_eval_s8; break;
    case TFLC_DTYPE_UINT8: c->node->eval = unary_relu_eval_u8; break;
    case TFLC_DTYPE_INT16:
        if (!allow_s16) return tflc_op_unsupported(c);
        c->node->eval = unary_relu_eval_s16;
        break;
    default: return tflc_op_unsupported(c);
    }
    if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
    if (x->dtype == TFLC_DTYPE_INT16 && ((st = unary_need_zp0(c, x)) || (st = unary_need_zp0(c, y)))) return st;
    d->in_zp = x->quant.zero_point;
    d->out_zp = y->quant.zero_point;
    tflc_quantize_multiplier((double)(x->quant.scale / y->quant.scale), &d->mult, &d->shift);
    int32_t qmin, qmax;
    tflc_qrange(y->dtype, &qmin, &qmax);
    const float os = y->quant.scale;
    d->qlo = d->out_zp + unary_clamp_f2i(roundf(lo / os), INT32_MIN / 2, INT32_MAX / 2);
    if (d->qlo < qmin) d->qlo = qmin;
    d->qhi = qmax;
    if (hi != INFINITY) {
        int32_t q = d->out_zp + unary_clamp_f2i(roundf(hi / os), INT32_MIN / 2, INT32_MAX / 2);
        if (q < d->qhi) d->qhi = q;
    }
    return TFLC_STATUS_OK;
}

/* TFLite's CheckedLog2: log2(x) rounded to an integer, true when x is within 1e-3 (in log2)
 * of that power of two. Float math, as TFLite. */
static inline bool unary_checked_log2(float x, int *log2_out) {
    float l = logf(x) * (1.0f / logf(2.0f));
    float r = roundf(l);
    *log2_out = (int)r;
    return fabsf(l - r) < 1e-3f;
}

#endif
