/* tflc_uk_requant_s8__neon: int32 accumulators -> int8, 8 channels per step (two int32x4), in
 * each mode of enum tflc_uk_rq_mode, bit-exact with the scalar recipes (base/fixedpoint.h,
 * kernels/ref/conv_util.h):
 *  - TFLITE: vqshl by max(shift, 0) (TFLite's saturating left shift), vqrdmulh (SRDHM: equal to
 *    gemmlowp's nudge-and-truncate; it saturates only for INT32_MIN * INT32_MIN, and mult >= 0),
 *    then the rounding right shift by r = max(-shift, 0). vrshl rounds halves up and
 *    RoundingDivideByPOT away from zero, so negative lanes are first lowered by one when r > 0
 *    (saturating; the sign bit of x & -r), as gemmlowp's NEON path does;
 *  - SINGLE: vmull to 64 bits, vrshl by -(31 - shift) (the rounding add is done without
 *    overflow), vqmovn saturates to int32;
 *  - FP32: float multiply, clamp to [lo - zp, hi - zp], vcvtn (round half to even).
 * The clamp [lo - zp, hi - zp] before adding zp equals clamp(v + zp, lo, hi).
 * The tail (n % 8) goes through a zero-padded stack copy. */
#include <arm_neon.h>
#include <string.h>

#include "kernels/ukernels_s8.h"

static inline int32x4_t rq_tflite(int32x4_t x, int32x4_t m, int32x4_t sh) {
    const int32x4_t zero = vdupq_n_s32(0);
    const int32x4_t xl = vqshlq_s32(x, vmaxq_s32(sh, zero));
    const int32x4_t right = vminq_s32(sh, zero); /* -r */
    const int32x4_t h = vqrdmulhq_s32(xl, m);
    const int32x4_t fix = vshrq_n_s32(vandq_s32(h, right), 31);
    return vrshlq_s32(vqaddq_s32(h, fix), right);
}

static inline int32x4_t rq_single(int32x4_t x, int32x4_t m, int32x4_t sh) {
    /* -(31 - shift) as 64-bit shift counts (vrshl reads the low byte of each lane). */
    const int32x4_t t = vsubq_s32(sh, vdupq_n_s32(31));
    const int64x2_t lo = vrshlq_s64(vmull_s32(vget_low_s32(x), vget_low_s32(m)), vmovl_s32(vget_low_s32(t)));
    const int64x2_t hi = vrshlq_s64(vmull_high_s32(x, m), vmovl_high_s32(t));
    return vcombine_s32(vqmovn_s64(lo), vqmovn_s64(hi));
}

/* The per-call constants, hoisted out of the loops (int8 stores may alias *p). */
struct consts {
    int mode;
    int32x4_t lo, hi;
    int16x8_t zp;
    float32x4_t flo, fhi;
};

static inline int32x4_t rq4(const int32_t *acc, const int32_t *mult, const int32_t *shift, const float *scale,
                            const struct consts *k) {
    const int32x4_t x = vld1q_s32(acc);
    if (k->mode == TFLC_UK_RQ_FP32) {
        const float32x4_t f = vmulq_f32(vcvtq_f32_s32(x), vld1q_f32(scale));
        return vcvtnq_s32_f32(vminq_f32(vmaxq_f32(f, k->flo), k->fhi));
    }
    const int32x4_t v = k->mode == TFLC_UK_RQ_SINGLE ? rq_single(x, vld1q_s32(mult), vld1q_s32(shift))
                                                     : rq_tflite(x, vld1q_s32(mult), vld1q_s32(shift));
    return vminq_s32(vmaxq_s32(v, k->lo), k->hi);
}

static inline void requant8(const int32_t *acc, int8_t *y, const int32_t *mult, const int32_t *shift,
                            const float *scale, const struct consts *k) {
    const int32x4_t a = rq4(acc, mult, shift, scale, k);
    const int32x4_t b = rq4(acc + 4, mult ? mult + 4 : NULL, shift ? shift + 4 : NULL, scale ? scale + 4 : NULL, k);
    /* Lanes are within [lo - zp, hi - zp] (|v| <= 255): exact in int16, and v + zp in [-128, 127]. */
    const int16x8_t v = vaddq_s16(vcombine_s16(vmovn_s32(a), vmovn_s32(b)), k->zp);
    vst1_s8(y, vmovn_s16(v));
}

void tflc_uk_requant_s8__neon(size_t n, const int32_t *acc, int8_t *y, const struct tflc_uk_rq_s8 *p) {
    struct consts k;
    k.mode = p->mode;
    k.zp = vdupq_n_s16((int16_t)p->zp);
    k.lo = vdupq_n_s32(p->lo - p->zp);
    k.hi = vdupq_n_s32(p->hi - p->zp);
    k.flo = vcvtq_f32_s32(k.lo);
    k.fhi = vcvtq_f32_s32(k.hi);
    const int32_t *mult = p->mult, *shift = p->shift;
    const float *scale = p->scale;
    size_t i = 0;
    if (k.mode == TFLC_UK_RQ_FP32) {
        for (; i + 8 <= n; i += 8) requant8(acc + i, y + i, NULL, NULL, scale + i, &k);
    } else {
        for (; i + 8 <= n; i += 8) requant8(acc + i, y + i, mult + i, shift + i, NULL, &k);
    }
    if (i < n) {
        const size_t r = n - i;
        int32_t a[8] = {0}, m[8] = {0}, s[8] = {0};
        float f[8] = {0};
        int8_t out[8];
        memcpy(a, acc + i, r * sizeof *a);
        if (mult) memcpy(m, mult + i, r * sizeof *m);
        if (shift) memcpy(s, shift + i, r * sizeof *s);
        if (scale) memcpy(f, scale + i, r * sizeof *f);
        requant8(a, out, m, s, f, &k);
        memcpy(y + i, out, r);
    }
}
