/* The run loop of the 32-channel depthwise kernels (x86_avx512/dwconv_s8_32c.c, and the VNNI
 * variant), shared as a template: the includer defines DW_MADD(acc, x, w) (acc += pairwise
 * x . w, int16 pairs -> int32) before including. Layout and method: dwconv_s8_32c.c. */
#ifndef TFLC_KERNELS_X86_AVX512_DWCONV_S8_32C_H
#define TFLC_KERNELS_X86_AVX512_DWCONV_S8_32C_H

#include <immintrin.h>

#include "kernels/x86_avx512/requant_s8.h"

#define DW_CR 32

static inline size_t dw_block_bytes(size_t taps) {
    return DW_CR * sizeof(int32_t) + (taps + 1) / 2 * DW_CR * 2 * sizeof(int16_t);
}

/* Sign-extended int16 of 32 channels of tap p from c0: one vpmovsxbw from memory when the block
 * is full, a masked load (nothing read past the channels) otherwise. */
static inline __m512i dw_load(const int8_t *p, size_t c0, bool full, __mmask32 mk) {
    return _mm512_cvtepi8_epi16(full ? _mm256_loadu_si256((const __m256i *)(const void *)(p + c0))
                                     : _mm256_maskz_loadu_epi8(mk, p + c0));
}

static inline __attribute__((always_inline)) void dw(size_t channels, size_t taps, const int8_t *const *in,
                                                     const void *packed, int32_t *acc, int8_t *y,
                                                     const struct tflc_uk_rq_s8 *rq) {
    const uint8_t *p = packed;
    const size_t bb = dw_block_bytes(taps);
    const __m512i lo_idx = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11);
    const __m512i hi_idx = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
    struct tflc_rq16_k rk;
    if (y) rk = tflc_rq16_k_init(rq);
    for (size_t c0 = 0; c0 < channels; c0 += DW_CR, p += bb) {
        const size_t n = channels - c0 < DW_CR ? channels - c0 : DW_CR;
        const bool full = n == DW_CR;
        const __mmask32 mk = full ? ~(__mmask32)0 : (((__mmask32)1 << n) - 1);
        __m512i A = _mm512_load_si512(p), B = _mm512_load_si512(p + 64);
        const uint8_t *wp = p + DW_CR * sizeof(int32_t);
        for (size_t t = 0; t < taps; t += 2, wp += 128) {
            const __m512i x0 = dw_load(in[t], c0, full, mk);
            const __m512i x1 = t + 1 < taps ? dw_load(in[t + 1], c0, full, mk) : x0;
            A = DW_MADD(A, _mm512_unpacklo_epi16(x0, x1), _mm512_load_si512(wp));
            B = DW_MADD(B, _mm512_unpackhi_epi16(x0, x1), _mm512_load_si512(wp + 64));
        }
        const __m512i v0 = _mm512_permutex2var_epi64(A, lo_idx, B), v1 = _mm512_permutex2var_epi64(A, hi_idx, B);
        if (y) {
            const struct tflc_rq16_c q0 = tflc_rq16_c_load(rq, c0, n);
            tflc_rq16_store(y + c0, tflc_rq16(v0, &q0, &rk), n);
            if (n > 16) {
                const struct tflc_rq16_c q1 = tflc_rq16_c_load(rq, c0 + 16, n - 16);
                tflc_rq16_store(y + c0 + 16, tflc_rq16(v1, &q1, &rk), n - 16);
            }
        } else {
            _mm512_mask_storeu_epi32(acc + c0, (__mmask16)mk, v0);
            _mm512_mask_storeu_epi32(acc + c0 + 16, (__mmask16)(mk >> 16), v1);
        }
    }
}

#endif
