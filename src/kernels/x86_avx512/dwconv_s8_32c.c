/* tflc_uk_dwconv_s8_32c__avx512: depthwise multiply-accumulate, 32 channels per step (AVX-512BW),
 * taps in pairs as the AVX2 kernel: both taps' int8 inputs sign-extended to int16, interleaved
 * within 128-bit lanes (vpunpck{l,h}wd), vpmaddwd with the packed weight pairs (|x|, |w| <= 128:
 * no overflow; the int32 sums wrap as the reference's). Accumulator A holds channels
 * {0-3, 8-11, 16-19, 24-27}, B {4-7, 12-15, 20-23, 28-31}; the packing stores bias' and weights
 * in that order and vpermt2q puts the result back in order. An odd last tap pairs with zero
 * weights. Full blocks load with vpmovsxbw from memory; the last partial one with masked loads
 * (exactly `channels` bytes of each tap are read).
 * Packed per block of 32 channels: bias'[32] int32, then per tap pair 2 x 16 (w[t], w[t+1])
 * int16; bias' = bias - zp_x * sum_t w[t][c]. The _rq variant requantizes in registers
 * (requant_s8.h) and stores int8. */
#include <immintrin.h>

#include "kernels/ukernels_s8.h"
#define DW_MADD(acc, x, w) _mm512_add_epi32((acc), _mm512_madd_epi16((x), (w)))
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

size_t tflc_uk_dwconv_s8_32c_packed_bytes__avx512(size_t channels, size_t taps) {
    return (channels + DW_CR - 1) / DW_CR * dw_block_bytes(taps);
}

/* Channel (within the block) of position p: A = 0..15, B = 16..31. */
static size_t lane_channel(size_t p) {
    const size_t b = p >= 16, q = p & 15;
    return 8 * (q / 4) + 4 * b + (q % 4);
}

void tflc_uk_dwconv_s8_32c_pack__avx512(size_t channels, size_t taps, const int8_t *w, const int32_t *bias,
                                        int32_t zp_x, void *packed) {
    uint8_t *p = packed;
    for (size_t c0 = 0; c0 < channels; c0 += DW_CR) {
        int32_t *b = (int32_t *)(void *)p;
        for (size_t i = 0; i < DW_CR; i++) {
            const size_t c = c0 + lane_channel(i);
            uint32_t s = 0;
            if (c < channels)
                for (size_t t = 0; t < taps; t++) s += (uint32_t)(int32_t)w[t * channels + c];
            b[i] = c < channels ? (int32_t)((uint32_t)(bias ? bias[c] : 0) - (uint32_t)zp_x * s) : 0;
        }
        int16_t *q = (int16_t *)(void *)(p + DW_CR * sizeof(int32_t));
        for (size_t t = 0; t < taps; t += 2)
            for (size_t i = 0; i < DW_CR; i++) {
                const size_t c = c0 + lane_channel(i);
                *q++ = c < channels ? w[t * channels + c] : 0;
                *q++ = c < channels && t + 1 < taps ? w[(t + 1) * channels + c] : 0;
            }
        p += dw_block_bytes(taps);
    }
}

void tflc_uk_dwconv_s8_32c__avx512(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                   int32_t *acc) {
    dw(channels, taps, in, packed, acc, NULL, NULL);
}

void tflc_uk_dwconv_s8_32c_rq__avx512(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                      int8_t *y, const struct tflc_uk_rq_s8 *rq) {
    dw(channels, taps, in, packed, NULL, y, rq);
}
