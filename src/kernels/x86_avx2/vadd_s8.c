/* vadd_s8, AVX2: XNNPACK's int8 ADD/SUB recipe, 16 elements per iteration (two groups of 8
 * widened to int32: vpmulld by the multipliers, add, vpsrad, add the zero point, clamp, pack
 * with signed saturation — exact, the values are already clamped into int8), the last < 16
 * through a small stack buffer. Bit-exact with tflc_addsub_q_eval's XNNPACK branch. */
#include <immintrin.h>
#include <string.h>

#include "kernels/ukernel.h"

static inline __m256i eval8(__m128i a8, __m128i b8, __m256i bias, __m256i am, __m256i bm, __m128i sh, __m256i zp,
                            __m256i lo, __m256i hi) {
    __m256i acc = _mm256_add_epi32(bias, _mm256_mullo_epi32(_mm256_cvtepi8_epi32(a8), am));
    acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(_mm256_cvtepi8_epi32(b8), bm));
    acc = _mm256_add_epi32(_mm256_sra_epi32(acc, sh), zp);
    return _mm256_min_epi32(hi, _mm256_max_epi32(lo, acc));
}

static inline __m128i pack16(__m256i v0, __m256i v1) {
    /* v0 = y[0..7], v1 = y[8..15] as int32 -> 16 int8 in order */
    const __m256i p16 = _mm256_packs_epi32(v0, v1); /* per lane: v0[0..3] v1[0..3] | v0[4..7] v1[4..7] */
    const __m256i o16 = _mm256_permute4x64_epi64(p16, 0xD8); /* v0[0..3] v0[4..7] | v1[0..3] v1[4..7] */
    const __m128i lo = _mm256_castsi256_si128(o16), hi = _mm256_extracti128_si256(o16, 1);
    return _mm_packs_epi16(lo, hi);
}

void tflc_uk_vadd_s8__avx2(size_t n, const int8_t *a, const int8_t *b, int8_t *y,
                           const struct tflc_uk_vadd_s8_params *p) {
    const __m256i bias = _mm256_set1_epi32(p->bias), am = _mm256_set1_epi32(p->a_mult),
                  bm = _mm256_set1_epi32(p->b_mult), zp = _mm256_set1_epi32(p->zp), lo = _mm256_set1_epi32(p->lo),
                  hi = _mm256_set1_epi32(p->hi);
    const __m128i sh = _mm_cvtsi32_si128(p->shift);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m128i va = _mm_loadu_si128((const __m128i *)(const void *)(a + i));
        const __m128i vb = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        const __m256i y0 = eval8(va, vb, bias, am, bm, sh, zp, lo, hi);
        const __m256i y1 = eval8(_mm_srli_si128(va, 8), _mm_srli_si128(vb, 8), bias, am, bm, sh, zp, lo, hi);
        _mm_storeu_si128((__m128i *)(void *)(y + i), pack16(y0, y1));
    }
    if (i < n) {
        int8_t ta[16] = {0}, tb[16] = {0}, ty[16];
        memcpy(ta, a + i, n - i);
        memcpy(tb, b + i, n - i);
        const __m128i va = _mm_loadu_si128((const __m128i *)(const void *)ta);
        const __m128i vb = _mm_loadu_si128((const __m128i *)(const void *)tb);
        const __m256i y0 = eval8(va, vb, bias, am, bm, sh, zp, lo, hi);
        const __m256i y1 = eval8(_mm_srli_si128(va, 8), _mm_srli_si128(vb, 8), bias, am, bm, sh, zp, lo, hi);
        _mm_storeu_si128((__m128i *)(void *)ty, pack16(y0, y1));
        memcpy(y + i, ty, n - i);
    }
}
