/* vadd_f32, NEON: y = clamp(a + b), 16 floats per iteration (4 independent q registers), then 4
 * at a time, then one by one. Bit-exact with the scalar sum and clamp (one IEEE add per element,
 * the clamp by compare and select). No alignment needed; y may alias a or b exactly. */
#include "kernels/arm_neon/f32_neon.h"
#include "kernels/arm_neon/ukernels_neon.h"

void tflc_uk_vadd_f32__neon(size_t n, const float *a, const float *b, float *y, const struct tflc_uk_f32_minmax *p) {
    const float32x4_t vmin = vdupq_n_f32(p->min), vmax = vdupq_n_f32(p->max);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const float32x4_t s0 = vaddq_f32(vld1q_f32(a + i), vld1q_f32(b + i));
        const float32x4_t s1 = vaddq_f32(vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
        const float32x4_t s2 = vaddq_f32(vld1q_f32(a + i + 8), vld1q_f32(b + i + 8));
        const float32x4_t s3 = vaddq_f32(vld1q_f32(a + i + 12), vld1q_f32(b + i + 12));
        vst1q_f32(y + i, f32_clamp(s0, vmin, vmax));
        vst1q_f32(y + i + 4, f32_clamp(s1, vmin, vmax));
        vst1q_f32(y + i + 8, f32_clamp(s2, vmin, vmax));
        vst1q_f32(y + i + 12, f32_clamp(s3, vmin, vmax));
    }
    for (; i + 4 <= n; i += 4) vst1q_f32(y + i, f32_clamp(vaddq_f32(vld1q_f32(a + i), vld1q_f32(b + i)), vmin, vmax));
    for (; i < n; i++) y[i] = f32_clamp1(a[i] + b[i], p->min, p->max);
}
