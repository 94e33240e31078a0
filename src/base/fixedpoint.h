/* TFLite-compatible fixed-point requantization (gemmlowp semantics, TFLite's default
 * "double rounding" build, which the oracle runtime uses):
 *   real_multiplier = q * 2^shift, q in [0.5, 1) as Q31 `mult`
 *   y = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x << max(shift,0), mult), max(-shift,0))
 */
#ifndef TFLC_BASE_FIXEDPOINT_H
#define TFLC_BASE_FIXEDPOINT_H

#include <math.h>
#include <stdint.h>

/* QuantizeMultiplier: double -> (Q31 multiplier, shift). 0 for m == 0; shifts below -31
 * flush to 0 like TFLite. */
static inline void tflc_quantize_multiplier(double m, int32_t *mult, int *shift) {
    if (m == 0.0) { *mult = 0; *shift = 0; return; }
    int e;
    double q = frexp(m, &e);
    int64_t qf = (int64_t)llround(q * (double)(1ll << 31));
    if (qf == (1ll << 31)) { qf /= 2; e++; }
    if (e < -31) { e = 0; qf = 0; }
    if (e > 30) { e = 30; qf = (1ll << 31) - 1; } /* TFLite asserts; we saturate */
    *mult = (int32_t)qf;
    *shift = e;
}

static inline int32_t tflc_srdhm(int32_t a, int32_t b) {
    if (a == b && a == INT32_MIN) return INT32_MAX;
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? (1ll << 30) : (1 - (1ll << 30));
    int64_t r = (ab + nudge) / (1ll << 31);
    return (int32_t)r;
}

static inline int32_t tflc_rdbypot(int32_t x, int exponent) {
    if (exponent <= 0) return x;
    if (exponent > 31) return 0; /* |x| < 2^31: rounds to 0 (TFLite asserts exponent <= 31) */
    int32_t mask = (int32_t)((1ll << exponent) - 1);
    int32_t rem = x & mask;
    int32_t thr = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (rem > thr ? 1 : 0);
}

/* MultiplyByQuantizedMultiplier(int32 x, mult, shift). */
static inline int32_t tflc_mbqm(int32_t x, int32_t mult, int shift) {
    int left = shift > 0 ? shift : 0;
    int right = shift > 0 ? 0 : -shift;
    int64_t xl = (int64_t)x * (int64_t)(1ll << left);
    if (xl > INT32_MAX) xl = INT32_MAX; /* TFLite's int32 shift would overflow; saturate */
    if (xl < INT32_MIN) xl = INT32_MIN;
    return tflc_rdbypot(tflc_srdhm((int32_t)xl, mult), right);
}

/* MultiplyByQuantizedMultiplier for int64 accumulators (TFLite's 16x8 kernels):
 * rounds (x * mult) >> (31 - shift) to nearest, ties away from zero... as TFLite's int64
 * overload does: reduce mult to Q15, then one rounding shift. */
static inline int32_t tflc_mbqm64(int64_t x, int32_t mult, int shift) {
    /* Q31 -> Q15 with rounding; TFLite caps it at 0x7FFF (a multiplier within 2^-16 of 1). */
    int32_t reduced = mult < 0x7FFF0000 ? (mult + (1 << 15)) >> 16 : 0x7FFF;
    int total = 15 - shift;
    if (total <= 0) total = 1; /* not reachable for sane scales */
    int64_t round = (int64_t)1 << (total - 1);
    /* In two's complement, as TFLite's int64 arithmetic behaves on real hardware: a hostile
     * bias can push x * reduced past int64, which must wrap, not be undefined. */
    int64_t r = (int64_t)((uint64_t)x * (uint64_t)(int64_t)reduced + (uint64_t)round) >> total;
    if (r > INT32_MAX) r = INT32_MAX;
    if (r < INT32_MIN) r = INT32_MIN;
    return (int32_t)r;
}

/* a + b in two's complement (int64 accumulators plus a model's int64 bias can overflow on
 * hostile files; TFLite's adds wrap on real hardware). */
static inline int64_t tflc_wrap_add64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }

/* a + b saturated to int32: adding a zero point to a requantized value that hostile scales
 * pushed to the int32 limits must not overflow (the clamp that follows gives the same result
 * TFLite's would wherever its int32 add is defined). */
static inline int32_t tflc_add_sat32(int32_t a, int32_t b) {
    int64_t r = (int64_t)a + b;
    return r > INT32_MAX ? INT32_MAX : r < INT32_MIN ? INT32_MIN : (int32_t)r;
}

static inline int32_t tflc_clamp_i32(int32_t v, int32_t lo, int32_t hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

/* ---- XNNPACK's 8-bit arithmetic (what Google's default CPU runtime computes for the nodes
 * its XNNPACK delegate takes; see runtime/xnnpack_select.c). ---- */

/* Round half to even whatever the FPU rounding mode: XNNPACK rounds with lrintf or by adding
 * the magic bias 1.5 * 2^23, both ties-to-even for the values they see (|x| < 2^22). */
static inline float tflc_round_even(float x) {
    float r = roundf(x);
    if (fabsf(x - truncf(x)) == 0.5f) r = 2.0f * roundf(x * 0.5f);
    return r;
}

/* "fp32" requantization (XNNPACK's GEMM, DWCONV, VMUL and GAVGPOOL micro-kernels):
 * clamp((float)acc * scale, lo - zp, hi - zp), rounded half to even, + zp. */
static inline int32_t tflc_requant_fp32(int32_t acc, float scale, int32_t zp, int32_t lo, int32_t hi) {
    float f = (float)acc * scale;
    const float flo = (float)(lo - zp), fhi = (float)(hi - zp);
    f = f < flo ? flo : f > fhi ? fhi : f;
    return (int32_t)tflc_round_even(f) + zp;
}

/* float -> int32 clamped to [lo, hi] in float first (NaN gives lo): the conversion of an
 * out-of-range or NaN float to int is undefined in C, and hostile models can produce both. */
static inline int32_t tflc_sat_f2i(float v, int32_t lo, int32_t hi) {
    if (!(v >= (float)lo)) return lo;
    if (v >= (float)hi) return hi;
    return (int32_t)v;
}

/* xnn_qs8_quantize / xnn_qu8_quantize: a float (an activation bound; +-INFINITY for none)
 * as round_half_even(clamp(v / scale + zp, qmin, qmax)). */
static inline int32_t tflc_quantize_even(float v, float scale, int32_t zp, int32_t qmin, int32_t qmax) {
    float f = v / scale + (float)zp;
    if (!(f > (float)qmin)) return qmin;
    if (f >= (float)qmax) return qmax;
    return (int32_t)tflc_round_even(f);
}

/* XNNPACK's 8.8 fixed-point rescale (CONVERT and LEAKY_RELU micro-kernels): a multiplier
 * m = lrintf(256 * scale) applied as floor((bias + x * m) / 256), bias holding the zero
 * points and the rounding 0x80. */
static inline int32_t tflc_q8_multiplier(float scale) { return (int32_t)tflc_round_even(256.0f * scale); }

/* Arithmetic shift right (floor(v / 2^s)), defined for negative v too. */
static inline int32_t tflc_asr(int32_t v, int s) { return v >= 0 ? v >> s : ~(~v >> s); }

#endif
