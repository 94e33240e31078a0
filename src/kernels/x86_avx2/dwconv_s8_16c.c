/* tflc_uk_dwconv_s8_16c__avx2: depthwise multiply-accumulate, 16 channels per step, taps taken
 * in pairs: the two taps' int8 inputs are sign-extended to int16 and interleaved
 * (vpunpck{l,h}wd), and vpmaddwd with the packed weight pairs adds x0*w0 + x1*w1 per channel
 * (|x|, |w| <= 128: no overflow; int32 sums wrap as the reference's). An odd last tap pairs
 * with zero weights. The interleave works within 128-bit lanes, so accumulator A holds channels
 * 0-3 and 8-11, B 4-7 and 12-15; the packing stores bias' and weights in that order and the
 * result is put back in order at the store.
 * Packed per block of 16 channels: bias'[16] int32, then per tap pair 2 x 8 (w[t], w[t+1]) int16.
 * bias' = bias - zp_x * sum_t w[t][c]. Channels past `channels` have zero weights; the last
 * partial block reads its inputs through a stack copy (exactly `channels` bytes per tap). */
#include <immintrin.h>
#include <string.h>

#include "kernels/pack_s8.h"
#include "kernels/ukernels_s8.h"

#define CR 16

static size_t block_bytes(size_t taps) { return CR * sizeof(int32_t) + (taps + 1) / 2 * CR * 2 * sizeof(int16_t); }

size_t tflc_uk_dwconv_s8_16c_packed_bytes__avx2(size_t channels, size_t taps) {
    return (channels + CR - 1) / CR * block_bytes(taps);
}

/* Channel held by position p (0..15) of the accumulator pair (A: 0-7, B: 8-15). */
static size_t lane_channel(size_t p) {
    static const uint8_t ch[CR] = {0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15};
    return ch[p];
}

void tflc_uk_dwconv_s8_16c_pack__avx2(size_t channels, size_t taps, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                      void *packed) {
    uint8_t *p = packed;
    for (size_t c0 = 0; c0 < channels; c0 += CR) {
        int32_t *b = (int32_t *)(void *)p;
        for (size_t i = 0; i < CR; i++) {
            const size_t c = c0 + lane_channel(i);
            uint32_t s = 0;
            if (c < channels)
                for (size_t t = 0; t < taps; t++) s += (uint32_t)(int32_t)w[t * channels + c];
            b[i] = c < channels ? (int32_t)((uint32_t)(bias ? bias[c] : 0) - (uint32_t)zp_x * s) : 0;
        }
        int16_t *q = (int16_t *)(void *)(p + CR * sizeof(int32_t));
        for (size_t t = 0; t < taps; t += 2)
            for (size_t i = 0; i < CR; i++) {
                const size_t c = c0 + lane_channel(i);
                *q++ = c < channels ? w[t * channels + c] : 0;
                *q++ = c < channels && t + 1 < taps ? w[(t + 1) * channels + c] : 0;
            }
        p += block_bytes(taps);
    }
}

static inline __m256i load16(const int8_t *p, size_t c0, size_t n) {
    if (n >= CR) return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(p + c0)));
    int8_t buf[CR] = {0};
    memcpy(buf, p + c0, n);
    return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)buf));
}

void tflc_uk_dwconv_s8_16c__avx2(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                 int32_t *acc) {
    const uint8_t *p = packed;
    const size_t bb = block_bytes(taps);
    for (size_t c0 = 0; c0 < channels; c0 += CR, p += bb) {
        const size_t n = channels - c0 < CR ? channels - c0 : CR;
        __m256i A = _mm256_load_si256((const __m256i *)(const void *)p);
        __m256i B = _mm256_load_si256((const __m256i *)(const void *)(p + 32));
        const uint8_t *wp = p + CR * sizeof(int32_t);
        for (size_t t = 0; t < taps; t += 2, wp += 64) {
            const __m256i x0 = load16(in[t], c0, n);
            const __m256i x1 = t + 1 < taps ? load16(in[t + 1], c0, n) : x0;
            A = _mm256_add_epi32(A, _mm256_madd_epi16(_mm256_unpacklo_epi16(x0, x1),
                                                      _mm256_load_si256((const __m256i *)(const void *)wp)));
            B = _mm256_add_epi32(B, _mm256_madd_epi16(_mm256_unpackhi_epi16(x0, x1),
                                                      _mm256_load_si256((const __m256i *)(const void *)(wp + 32))));
        }
        const __m256i lo = _mm256_permute2x128_si256(A, B, 0x20), hi = _mm256_permute2x128_si256(A, B, 0x31);
        if (n == CR) {
            _mm256_storeu_si256((__m256i *)(void *)(acc + c0), lo);
            _mm256_storeu_si256((__m256i *)(void *)(acc + c0 + 8), hi);
        } else {
            int32_t buf[CR];
            _mm256_storeu_si256((__m256i *)(void *)buf, lo);
            _mm256_storeu_si256((__m256i *)(void *)(buf + 8), hi);
            memcpy(acc + c0, buf, n * sizeof *buf);
        }
    }
}
