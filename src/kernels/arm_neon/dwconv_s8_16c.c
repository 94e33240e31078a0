/* tflc_uk_dwconv_s8_16c__neon: depthwise multiply-accumulate, 16 channels per step: per tap,
 * vmull_s8 / vmull_high_s8 give the 16 int16 products (|x|, |w| <= 128: |x * w| <= 16384, exact)
 * and vaddw_s16 / vaddw_high_s16 add them to four int32x4 accumulators (wrapping as the
 * reference's int32 sums). Products are widened every tap: two of them can reach 32768.
 * Packed per block of 16 channels: bias'[16] int32, then per tap 16 int8 weights.
 * bias' = bias - zp_x * sum_t w[t][c]. Channels past `channels` have zero weights; the last
 * partial block reads its inputs through a stack copy (exactly `channels` bytes per tap). */
#include <arm_neon.h>
#include <string.h>

#include "kernels/pack_s8.h"
#include "kernels/ukernels_s8.h"

#define CR 16

static size_t block_bytes(size_t taps) { return CR * sizeof(int32_t) + taps * CR; }

size_t tflc_uk_dwconv_s8_16c_packed_bytes__neon(size_t channels, size_t taps) {
    return (channels + CR - 1) / CR * block_bytes(taps);
}

void tflc_uk_dwconv_s8_16c_pack__neon(size_t channels, size_t taps, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                      void *packed) {
    uint8_t *p = packed;
    for (size_t c0 = 0; c0 < channels; c0 += CR) {
        int32_t *b = (int32_t *)(void *)p;
        for (size_t i = 0; i < CR; i++) {
            const size_t c = c0 + i;
            uint32_t s = 0;
            if (c < channels)
                for (size_t t = 0; t < taps; t++) s += (uint32_t)(int32_t)w[t * channels + c];
            b[i] = c < channels ? (int32_t)((uint32_t)(bias ? bias[c] : 0) - (uint32_t)zp_x * s) : 0;
        }
        int8_t *q = (int8_t *)(void *)(p + CR * sizeof(int32_t));
        for (size_t t = 0; t < taps; t++)
            for (size_t i = 0; i < CR; i++) *q++ = c0 + i < channels ? w[t * channels + c0 + i] : 0;
        p += block_bytes(taps);
    }
}

void tflc_uk_dwconv_s8_16c__neon(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                 int32_t *acc) {
    const uint8_t *p = packed;
    const size_t bb = block_bytes(taps);
    for (size_t c0 = 0; c0 < channels; c0 += CR, p += bb) {
        const size_t n = channels - c0 < CR ? channels - c0 : CR;
        const int32_t *b = (const int32_t *)(const void *)p;
        int32x4_t a0 = vld1q_s32(b), a1 = vld1q_s32(b + 4), a2 = vld1q_s32(b + 8), a3 = vld1q_s32(b + 12);
        const int8_t *wp = (const int8_t *)(const void *)(p + CR * sizeof(int32_t));
        for (size_t t = 0; t < taps; t++, wp += CR) {
            int8x16_t x;
            if (n == CR) {
                x = vld1q_s8(in[t] + c0);
            } else {
                int8_t buf[CR] = {0};
                memcpy(buf, in[t] + c0, n);
                x = vld1q_s8(buf);
            }
            const int8x16_t w = vld1q_s8(wp);
            const int16x8_t lo = vmull_s8(vget_low_s8(x), vget_low_s8(w)), hi = vmull_high_s8(x, w);
            a0 = vaddw_s16(a0, vget_low_s16(lo)), a1 = vaddw_high_s16(a1, lo);
            a2 = vaddw_s16(a2, vget_low_s16(hi)), a3 = vaddw_high_s16(a3, hi);
        }
        if (n == CR) {
            vst1q_s32(acc + c0, a0), vst1q_s32(acc + c0 + 4, a1), vst1q_s32(acc + c0 + 8, a2);
            vst1q_s32(acc + c0 + 12, a3);
        } else {
            int32_t buf[CR];
            vst1q_s32(buf, a0), vst1q_s32(buf + 4, a1), vst1q_s32(buf + 8, a2), vst1q_s32(buf + 12, a3);
            memcpy(acc + c0, buf, n * sizeof *buf);
        }
    }
}
