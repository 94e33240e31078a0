/* tflc_uk_gemm_s8_4x16__neon: 4 rows x 16 output channels per step (four int32x4 per row).
 * Per k, the 16 packed int8 weights are sign-extended to int16 and multiplied by a[m][k] with
 * vmlal_laneq_s16 (int16 x int16 -> int32 accumulate; |a|, |w| <= 128, and the int32 sums wrap
 * like the reference's). The rows are read 8 k at a time (widened once, one lane per k); the
 * last kc % 8 k take a broadcast of one int8 each, so rows are read for exactly kc bytes.
 * Packing (kernels/pack_s8.h): NR = 16, KR = 1, int8 elements (k-major within the block);
 * bias' = bias - zp_x * sum w. Channels past nc are zeros and are not stored. */
#include <arm_neon.h>
#include <string.h>

#include "kernels/pack_s8.h"
#include "kernels/ukernels_s8.h"

#define MR 4
#define NR 16

size_t tflc_uk_gemm_s8_4x16_packed_bytes__neon(size_t nc, size_t kc) {
    return tflc_pack_s8_gemm_bytes(nc, kc, NR, 1, sizeof(int8_t));
}

void tflc_uk_gemm_s8_4x16_pack__neon(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                     void *packed) {
    tflc_pack_s8_gemm(nc, kc, w, bias, zp_x, NR, 1, sizeof(int8_t), packed);
}

/* Stores the first n (<= 16) channels of the row's four accumulators. */
static inline void store_row(int32_t *p, const int32x4_t c[4], size_t n) {
    if (n == NR) {
        vst1q_s32(p, c[0]), vst1q_s32(p + 4, c[1]), vst1q_s32(p + 8, c[2]), vst1q_s32(p + 12, c[3]);
    } else {
        int32_t buf[NR];
        vst1q_s32(buf, c[0]), vst1q_s32(buf + 4, c[1]), vst1q_s32(buf + 8, c[2]), vst1q_s32(buf + 12, c[3]);
        memcpy(p, buf, n * sizeof *buf);
    }
}

void tflc_uk_gemm_s8_4x16__neon(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                int32_t *acc, size_t acc_stride) {
    const int8_t *a0 = a[0], *a1 = a[mr > 1 ? 1 : 0], *a2 = a[mr > 2 ? 2 : 0], *a3 = a[mr > 3 ? 3 : 0];
    const size_t block = NR * sizeof(int32_t) + kc * NR;
    for (size_t n0 = 0; n0 < nc; n0 += NR) {
        const int8_t *wp = (const int8_t *)packed + (n0 / NR) * block;
        const int32x4_t b0 = vld1q_s32((const int32_t *)(const void *)wp);
        const int32x4_t b1 = vld1q_s32((const int32_t *)(const void *)wp + 4);
        const int32x4_t b2 = vld1q_s32((const int32_t *)(const void *)wp + 8);
        const int32x4_t b3 = vld1q_s32((const int32_t *)(const void *)wp + 12);
        wp += NR * sizeof(int32_t);
        int32x4_t c00 = b0, c01 = b1, c02 = b2, c03 = b3, c10 = b0, c11 = b1, c12 = b2, c13 = b3;
        int32x4_t c20 = b0, c21 = b1, c22 = b2, c23 = b3, c30 = b0, c31 = b1, c32 = b2, c33 = b3;
        size_t k = 0;
        for (; k + 8 <= kc; k += 8) {
            const int16x8_t x0 = vmovl_s8(vld1_s8(a0 + k)), x1 = vmovl_s8(vld1_s8(a1 + k));
            const int16x8_t x2 = vmovl_s8(vld1_s8(a2 + k)), x3 = vmovl_s8(vld1_s8(a3 + k));
#define STEP(l)                                                                                                        \
    do {                                                                                                               \
        const int8x16_t wv = vld1q_s8(wp + (l)*NR);                                                                    \
        const int16x8_t wl = vmovl_s8(vget_low_s8(wv)), wh = vmovl_high_s8(wv);                                        \
        c00 = vmlal_laneq_s16(c00, vget_low_s16(wl), x0, l), c01 = vmlal_high_laneq_s16(c01, wl, x0, l);               \
        c02 = vmlal_laneq_s16(c02, vget_low_s16(wh), x0, l), c03 = vmlal_high_laneq_s16(c03, wh, x0, l);               \
        c10 = vmlal_laneq_s16(c10, vget_low_s16(wl), x1, l), c11 = vmlal_high_laneq_s16(c11, wl, x1, l);               \
        c12 = vmlal_laneq_s16(c12, vget_low_s16(wh), x1, l), c13 = vmlal_high_laneq_s16(c13, wh, x1, l);               \
        c20 = vmlal_laneq_s16(c20, vget_low_s16(wl), x2, l), c21 = vmlal_high_laneq_s16(c21, wl, x2, l);               \
        c22 = vmlal_laneq_s16(c22, vget_low_s16(wh), x2, l), c23 = vmlal_high_laneq_s16(c23, wh, x2, l);               \
        c30 = vmlal_laneq_s16(c30, vget_low_s16(wl), x3, l), c31 = vmlal_high_laneq_s16(c31, wl, x3, l);               \
        c32 = vmlal_laneq_s16(c32, vget_low_s16(wh), x3, l), c33 = vmlal_high_laneq_s16(c33, wh, x3, l);               \
    } while (0)
            STEP(0);
            STEP(1);
            STEP(2);
            STEP(3);
            STEP(4);
            STEP(5);
            STEP(6);
            STEP(7);
#undef STEP
            wp += 8 * NR;
        }
        for (; k < kc; k++, wp += NR) {
            const int8x16_t wv = vld1q_s8(wp);
            const int16x8_t wl = vmovl_s8(vget_low_s8(wv)), wh = vmovl_high_s8(wv);
            const int16x4_t x0 = vdup_n_s16(a0[k]), x1 = vdup_n_s16(a1[k]);
            const int16x4_t x2 = vdup_n_s16(a2[k]), x3 = vdup_n_s16(a3[k]);
            c00 = vmlal_s16(c00, vget_low_s16(wl), x0), c01 = vmlal_s16(c01, vget_high_s16(wl), x0);
            c02 = vmlal_s16(c02, vget_low_s16(wh), x0), c03 = vmlal_s16(c03, vget_high_s16(wh), x0);
            c10 = vmlal_s16(c10, vget_low_s16(wl), x1), c11 = vmlal_s16(c11, vget_high_s16(wl), x1);
            c12 = vmlal_s16(c12, vget_low_s16(wh), x1), c13 = vmlal_s16(c13, vget_high_s16(wh), x1);
            c20 = vmlal_s16(c20, vget_low_s16(wl), x2), c21 = vmlal_s16(c21, vget_high_s16(wl), x2);
            c22 = vmlal_s16(c22, vget_low_s16(wh), x2), c23 = vmlal_s16(c23, vget_high_s16(wh), x2);
            c30 = vmlal_s16(c30, vget_low_s16(wl), x3), c31 = vmlal_s16(c31, vget_high_s16(wl), x3);
            c32 = vmlal_s16(c32, vget_low_s16(wh), x3), c33 = vmlal_s16(c33, vget_high_s16(wh), x3);
        }
        const size_t nn = nc - n0 < NR ? nc - n0 : NR;
        const int32x4_t r0[4] = {c00, c01, c02, c03}, r1[4] = {c10, c11, c12, c13};
        const int32x4_t r2[4] = {c20, c21, c22, c23}, r3[4] = {c30, c31, c32, c33};
        store_row(acc + n0, r0, nn);
        if (mr > 1) store_row(acc + acc_stride + n0, r1, nn);
        if (mr > 2) store_row(acc + 2 * acc_stride + n0, r2, nn);
        if (mr > 3) store_row(acc + 3 * acc_stride + n0, r3, nn);
    }
}
