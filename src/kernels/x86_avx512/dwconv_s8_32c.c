/* tflc_uk_dwconv_s8_32c__avx512: depthwise multiply-accumulate, 32 channels per step (AVX-512BW),
 * taps in pairs as the AVX2 kernel: both taps' int8 inputs sign-extended to int16, interleaved
 * within 128-bit lanes (vpunpck{l,h}wd), vpmaddwd with the packed weight pairs (|x|, |w| <= 128:
 * no overflow; the int32 sums wrap as the reference's). Accumulator A holds channels
 * {0-3, 8-11, 16-19, 24-27}, B {4-7, 12-15, 20-23, 28-31}; the packing stores bias' and weights
 * in that order and vpermt2q puts the result back in order. An odd last tap pairs with zero
 * weights. Full blocks load with vpmovsxbw from memory; the last partial one with masked loads
 * (exactly `channels` bytes of each tap are read). The loop is shared with the VNNI variant
 * through dwconv_s8_32c.h.
 * Packed per block of 32 channels: bias'[32] int32, then per tap pair 2 x 16 (w[t], w[t+1])
 * int16; bias' = bias - zp_x * sum_t w[t][c]. The _rq variant requantizes in registers
 * (requant_s8.h) and stores int8. */
#include <immintrin.h>

#include "kernels/ukernels_s8.h"
#define DW_MADD(acc, x, w) _mm512_add_epi32((acc), _mm512_madd_epi16((x), (w)))
#include "kernels/x86_avx512/dwconv_s8_32c.h"

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
