/* igemm_f32 6x8, NEON: gemm_f32_6x8 (same tile, packing, remainder handling and aliasing of
 * rows past mr) with each row of A given as ks segments of kseg floats through pointers. */
#include "kernels/arm_neon/f32_neon.h"
#include "kernels/arm_neon/ukernels_neon.h"

#define MR 6
#define NR 8

void tflc_uk_igemm_f32_6x8__neon(size_t mr, size_t nc, size_t ks, size_t kseg, const float *const *a, const float *w,
                                 float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p) {
    const float *const *arow[MR];
    float *cr[MR];
    for (size_t i = 0; i < MR; i++) {
        size_t r = i < mr ? i : mr - 1;
        arow[i] = a + r * ks;
        cr[i] = c + r * c_stride;
    }
    const float32x4_t vmin = vdupq_n_f32(p->min), vmax = vdupq_n_f32(p->max);
    for (size_t n0 = 0; n0 < nc; n0 += NR) {
        float32x4_t acc0[MR], acc1[MR];
        const float32x4_t b0 = vld1q_f32(w), b1 = vld1q_f32(w + 4);
        for (size_t i = 0; i < MR; i++) {
            acc0[i] = b0;
            acc1[i] = b1;
        }
        w += NR;
        for (size_t s = 0; s < ks; s++) {
            const float *ar[MR];
            for (size_t i = 0; i < MR; i++) ar[i] = arow[i][s];
            for (size_t k = 0; k < kseg; k++) {
                const float32x4_t w0 = vld1q_f32(w), w1 = vld1q_f32(w + 4);
                w += NR;
                for (size_t i = 0; i < MR; i++) {
                    const float32x4_t av = vld1q_dup_f32(ar[i] + k);
                    acc0[i] = vfmaq_f32(acc0[i], av, w0);
                    acc1[i] = vfmaq_f32(acc1[i], av, w1);
                }
            }
        }
        const size_t n = nc - n0;
        for (size_t i = 0; i < MR; i++)
            f32_store8(cr[i] + n0, f32_clamp(acc0[i], vmin, vmax), f32_clamp(acc1[i], vmin, vmax), n);
    }
}
