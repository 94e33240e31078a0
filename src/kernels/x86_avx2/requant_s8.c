/* tflc_uk_requant_s8__avx2: int32 accumulators -> int8, 8 channels per step, in each mode of
 * enum tflc_uk_rq_mode, bit-exact with the scalar recipes (base/fixedpoint.h, conv_util.h):
 *  - TFLITE: x << left saturated (lanes whose shift back differs saturate; skipped when no
 *    lane has a positive shift, as in real models), SRDHM as
 *    floor((x * m + 2^30) / 2^31) (equal to gemmlowp's nudge-and-truncate for m >= 0), then the
 *    rounding right shift (x >> r) + (x & mask > (mask >> 1) + (x < 0));
 *  - SINGLE: floor((x * m + 2^(t-1)) / 2^t), t = 31 - shift in [1, 62], with the 64-bit floor
 *    shift done as ((p ^ 2^63) >>logical t) - (2^63 >> t), clamped in 64 bits;
 *  - FP32: cvtepi32_ps * scale, clamped, cvtps_epi32 (round half to even, MXCSR default).
 * The clamp [lo - zp, hi - zp] before adding zp equals clamp(v + zp, lo, hi).
 * The tail (n % 8) goes through a zero-padded stack copy. */
#include <immintrin.h>
#include <string.h>

#include "kernels/ukernels_s8.h"

static inline __m256i rq_tflite(__m256i x, __m256i m, __m256i sh) {
    const __m256i zero = _mm256_setzero_si256();
    const __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, sh), zero);
    __m256i xl = x;
    if (!_mm256_testz_si256(_mm256_cmpgt_epi32(sh, zero), _mm256_set1_epi32(-1))) { /* a multiplier >= 1 (rare) */
        const __m256i left = _mm256_max_epi32(sh, zero);
        xl = _mm256_sllv_epi32(x, left);
        const __m256i ovf =
            _mm256_xor_si256(_mm256_cmpeq_epi32(_mm256_srav_epi32(xl, left), x), _mm256_set1_epi32(-1));
        const __m256i sat = _mm256_xor_si256(_mm256_srai_epi32(x, 31), _mm256_set1_epi32(INT32_MAX));
        xl = _mm256_blendv_epi8(xl, sat, ovf);
    }
    const __m256i half = _mm256_set1_epi64x((int64_t)1 << 30);
    const __m256i pe = _mm256_add_epi64(_mm256_mul_epi32(xl, m), half);
    const __m256i po = _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(xl, 32), _mm256_srli_epi64(m, 32)), half);
    const __m256i h = _mm256_blend_epi32(_mm256_srli_epi64(pe, 31), _mm256_slli_epi64(po, 1), 0xAA);
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(_mm256_set1_epi32(1), right), _mm256_set1_epi32(1));
    const __m256i rem = _mm256_and_si256(h, mask);
    const __m256i thr = _mm256_add_epi32(_mm256_srli_epi32(mask, 1), _mm256_srli_epi32(h, 31));
    return _mm256_sub_epi32(_mm256_srav_epi32(h, right), _mm256_cmpgt_epi32(rem, thr));
}

/* floor((p + 2^(t-1)) / 2^t) of the 64-bit lanes, clamped to [lo, hi] (64-bit lanes). */
static inline __m256i floor_shift_clamp(__m256i p, __m256i t, __m256i lo, __m256i hi) {
    const __m256i one = _mm256_set1_epi64x(1), top = _mm256_set1_epi64x(INT64_MIN);
    p = _mm256_add_epi64(p, _mm256_sllv_epi64(one, _mm256_sub_epi64(t, one)));
    __m256i r = _mm256_sub_epi64(_mm256_srlv_epi64(_mm256_xor_si256(p, top), t), _mm256_srlv_epi64(top, t));
    r = _mm256_blendv_epi8(r, lo, _mm256_cmpgt_epi64(lo, r));
    return _mm256_blendv_epi8(r, hi, _mm256_cmpgt_epi64(r, hi));
}

static inline __m256i rq_single(__m256i x, __m256i m, __m256i sh, __m256i lo, __m256i hi) {
    const __m256i t = _mm256_sub_epi32(_mm256_set1_epi32(31), sh);
    const __m256i lo64 = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(lo));
    const __m256i hi64 = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(hi));
    const __m256i te = _mm256_and_si256(t, _mm256_set1_epi64x(0xFFFFFFFF)), to = _mm256_srli_epi64(t, 32);
    const __m256i re = floor_shift_clamp(_mm256_mul_epi32(x, m), te, lo64, hi64);
    const __m256i ro =
        floor_shift_clamp(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(m, 32)), to, lo64, hi64);
    return _mm256_blend_epi32(re, _mm256_slli_epi64(ro, 32), 0xAA);
}

/* 8 int32 (already within [-128, 127]) -> 8 int8 stored at y. */
static inline void store8(int8_t *y, __m256i v) {
    const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    _mm_storel_epi64((__m128i *)(void *)y, _mm_packs_epi16(w, w));
}

/* The per-call constants, hoisted out of the loops (int8 stores may alias *p, so the compiler
 * would reload p's fields after every store otherwise). */
struct consts {
    int mode;
    __m256i zp, lo, hi;
    __m256 flo, fhi;
};

static inline void requant8(const int32_t *acc, int8_t *y, const int32_t *mult, const int32_t *shift,
                            const float *scale, const struct consts *k) {
    const __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)acc);
    __m256i v;
    if (k->mode == TFLC_UK_RQ_FP32) {
        __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(x), _mm256_loadu_ps(scale));
        v = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(f, k->flo), k->fhi));
    } else {
        const __m256i m = _mm256_loadu_si256((const __m256i *)(const void *)mult);
        const __m256i sh = _mm256_loadu_si256((const __m256i *)(const void *)shift);
        if (k->mode == TFLC_UK_RQ_SINGLE)
            v = rq_single(x, m, sh, k->lo, k->hi);
        else
            v = _mm256_min_epi32(_mm256_max_epi32(rq_tflite(x, m, sh), k->lo), k->hi);
    }
    store8(y, _mm256_add_epi32(v, k->zp));
}

void tflc_uk_requant_s8__avx2(size_t n, const int32_t *acc, int8_t *y, const struct tflc_uk_rq_s8 *p) {
    struct consts k;
    k.mode = p->mode;
    k.zp = _mm256_set1_epi32(p->zp);
    k.lo = _mm256_set1_epi32(p->lo - p->zp);
    k.hi = _mm256_set1_epi32(p->hi - p->zp);
    k.flo = _mm256_cvtepi32_ps(k.lo);
    k.fhi = _mm256_cvtepi32_ps(k.hi);
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
