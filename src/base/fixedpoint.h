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
    int64_t r = (x * (int64_t)reduced + round) >> total;
    if (r > INT32_MAX) r = INT32_MAX;
    if (r < INT32_MIN) r = INT32_MIN;
    return (int32_t)r;
}

static inline int32_t tflc_clamp_i32(int32_t v, int32_t lo, int32_t hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

#endif
