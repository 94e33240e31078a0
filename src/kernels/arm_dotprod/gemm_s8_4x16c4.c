/* tflc_uk_gemm_s8_4x16c4__neondot: 4 rows x 16 output channels per step (four int32x4 per row)
 * with SDOT: vdotq_laneq_s32 adds, to each channel's lane, the dot product of 4 consecutive k of
 * its weights with the same 4 k of the row (one 32-bit lane of the row's 16-byte load). Exact
 * int32 arithmetic, wrapping like the reference's sums. Rows are read 16 k at a time; the last
 * kc % 16 go through a zero-padded stack copy (rows are read for exactly kc bytes).
 * Packing (kernels/pack_s8.h): NR = 16, KR = 4, int8 elements: per group of 4 k, 16 channels x
 * 4 k (64 bytes, channels 4i..4i+3 in vector i); kc padded to 4 with zero weights; bias' = bias -
 * zp_x * sum w. Channels past nc are zeros and are not stored. */
#include <arm_neon.h>
#include <string.h>

#include "kernels/pack_s8.h"
#include "kernels/ukernels_s8.h"

#define MR 4
#define NR 16
#define KR 4

size_t tflc_uk_gemm_s8_4x16c4_packed_bytes__neondot(size_t nc, size_t kc) {
    return tflc_pack_s8_gemm_bytes(nc, kc, NR, KR, sizeof(int8_t));
}

void tflc_uk_gemm_s8_4x16c4_pack__neondot(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                          void *packed) {
    tflc_pack_s8_gemm(nc, kc, w, bias, zp_x, NR, KR, sizeof(int8_t), packed);
}

/* Stores the first n (<= 16) channels of the row's four accumulators. */
static inline void store_row(int32_t *p, int32x4_t c0, int32x4_t c1, int32x4_t c2, int32x4_t c3, size_t n) {
    if (n == NR) {
        vst1q_s32(p, c0), vst1q_s32(p + 4, c1), vst1q_s32(p + 8, c2), vst1q_s32(p + 12, c3);
    } else {
        int32_t buf[NR];
        vst1q_s32(buf, c0), vst1q_s32(buf + 4, c1), vst1q_s32(buf + 8, c2), vst1q_s32(buf + 12, c3);
        memcpy(p, buf, n * sizeof *buf);
    }
}

void tflc_uk_gemm_s8_4x16c4__neondot(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                     int32_t *acc, size_t acc_stride) {
    const int8_t *a0 = a[0], *a1 = a[mr > 1 ? 1 : 0], *a2 = a[mr > 2 ? 2 : 0], *a3 = a[mr > 3 ? 3 : 0];
    const size_t kp = (kc + KR - 1) / KR * KR, block = NR * sizeof(int32_t) + kp * NR;
    for (size_t n0 = 0; n0 < nc; n0 += NR) {
        const int8_t *wp = (const int8_t *)packed + (n0 / NR) * block;
        const int32x4_t b0 = vld1q_s32((const int32_t *)(const void *)wp);
        const int32x4_t b1 = vld1q_s32((const int32_t *)(const void *)wp + 4);
        const int32x4_t b2 = vld1q_s32((const int32_t *)(const void *)wp + 8);
        const int32x4_t b3 = vld1q_s32((const int32_t *)(const void *)wp + 12);
        wp += NR * sizeof(int32_t);
        int32x4_t c00 = b0, c01 = b1, c02 = b2, c03 = b3, c10 = b0, c11 = b1, c12 = b2, c13 = b3;
        int32x4_t c20 = b0, c21 = b1, c22 = b2, c23 = b3, c30 = b0, c31 = b1, c32 = b2, c33 = b3;
        int8x16_t x0, x1, x2, x3;
        /* One group of 4 k (lane l of the rows' 16-byte loads). */
#define GROUP(l)                                                                                                       \
    do {                                                                                                               \
        const int8x16_t w0 = vld1q_s8(wp), w1 = vld1q_s8(wp + 16), w2 = vld1q_s8(wp + 32), w3 = vld1q_s8(wp + 48);     \
        c00 = vdotq_laneq_s32(c00, w0, x0, l), c01 = vdotq_laneq_s32(c01, w1, x0, l);                                  \
        c02 = vdotq_laneq_s32(c02, w2, x0, l), c03 = vdotq_laneq_s32(c03, w3, x0, l);                                  \
        c10 = vdotq_laneq_s32(c10, w0, x1, l), c11 = vdotq_laneq_s32(c11, w1, x1, l);                                  \
        c12 = vdotq_laneq_s32(c12, w2, x1, l), c13 = vdotq_laneq_s32(c13, w3, x1, l);                                  \
        c20 = vdotq_laneq_s32(c20, w0, x2, l), c21 = vdotq_laneq_s32(c21, w1, x2, l);                                  \
        c22 = vdotq_laneq_s32(c22, w2, x2, l), c23 = vdotq_laneq_s32(c23, w3, x2, l);                                  \
        c30 = vdotq_laneq_s32(c30, w0, x3, l), c31 = vdotq_laneq_s32(c31, w1, x3, l);                                  \
        c32 = vdotq_laneq_s32(c32, w2, x3, l), c33 = vdotq_laneq_s32(c33, w3, x3, l);                                  \
        wp += 4 * NR;                                                                                                  \
    } while (0)
        size_t k = 0;
        for (; k + 16 <= kc; k += 16) {
            x0 = vld1q_s8(a0 + k), x1 = vld1q_s8(a1 + k), x2 = vld1q_s8(a2 + k), x3 = vld1q_s8(a3 + k);
            GROUP(0);
            GROUP(1);
            GROUP(2);
            GROUP(3);
        }
        if (k < kc) {
            const size_t r = kc - k;
            int8_t t[4][16] = {{0}};
            memcpy(t[0], a0 + k, r), memcpy(t[1], a1 + k, r), memcpy(t[2], a2 + k, r), memcpy(t[3], a3 + k, r);
            x0 = vld1q_s8(t[0]), x1 = vld1q_s8(t[1]), x2 = vld1q_s8(t[2]), x3 = vld1q_s8(t[3]);
            GROUP(0);
            if (r > 4) GROUP(1);
            if (r > 8) GROUP(2);
            if (r > 12) GROUP(3);
        }
#undef GROUP
        const size_t nn = nc - n0 < NR ? nc - n0 : NR;
        store_row(acc + n0, c00, c01, c02, c03, nn);
        if (mr > 1) store_row(acc + acc_stride + n0, c10, c11, c12, c13, nn);
        if (mr > 2) store_row(acc + 2 * acc_stride + n0, c20, c21, c22, c23, nn);
        if (mr > 3) store_row(acc + 3 * acc_stride + n0, c30, c31, c32, c33, nn);
    }
}
