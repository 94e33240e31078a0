/* gemm_f32 6x8, NEON: 6 rows x 8 columns of accumulators (12 q registers), per k step one
 * broadcast of a[m, k] per row and two weight vectors, one FMA per term in k order. Rows past
 * mr alias row mr - 1 (same values read and written). The last column block stores only its
 * nc % 8 valid columns. No alignment needed. */
#include "kernels/arm_neon/f32_neon.h"
#include "kernels/arm_neon/ukernels_neon.h"

#define MR 6
#define NR 8

void tflc_uk_gemm_f32_6x8__neon(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride, const float *w,
                                float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p) {
    const float *ar[MR];
    float *cr[MR];
    for (size_t i = 0; i < MR; i++) {
        size_t r = i < mr ? i : mr - 1;
        ar[i] = a + r * a_stride;
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
        for (size_t k = 0; k < kc; k++) {
            const float32x4_t w0 = vld1q_f32(w), w1 = vld1q_f32(w + 4);
            w += NR;
            for (size_t i = 0; i < MR; i++) {
                const float32x4_t av = vld1q_dup_f32(ar[i] + k);
                acc0[i] = vfmaq_f32(acc0[i], av, w0);
                acc1[i] = vfmaq_f32(acc1[i], av, w1);
            }
        }
        const size_t n = nc - n0;
        for (size_t i = 0; i < MR; i++)
            f32_store8(cr[i] + n0, f32_clamp(acc0[i], vmin, vmax), f32_clamp(acc1[i], vmin, vmax), n);
    }
}
