/* dwconv_f32 with 8-channel blocks, NEON: per output pixel and block, two q accumulators start
 * from the bias and take one FMA per tap in tap order. A last block of < 8 channels loads and
 * stores only the valid channels (input rows are never read past `channels`). No alignment
 * needed. */
#include "kernels/arm_neon/f32_neon.h"
#include "kernels/arm_neon/ukernels_neon.h"

#define CB 8

void tflc_uk_dwconv_f32_8__neon(size_t channels, size_t pixels, size_t taps, const float *const *in, const float *w,
                                float *y, size_t y_stride, const struct tflc_uk_f32_minmax *p) {
    const float32x4_t vmin = vdupq_n_f32(p->min), vmax = vdupq_n_f32(p->max);
    for (size_t px = 0; px < pixels; px++, in += taps, y += y_stride) {
        const float *wb = w;
        size_t ch = 0;
        for (; ch + CB <= channels; ch += CB) {
            float32x4_t acc0 = vld1q_f32(wb), acc1 = vld1q_f32(wb + 4);
            const float *wt = wb + CB;
            for (size_t t = 0; t < taps; t++, wt += CB) {
                const float *ip = in[t] + ch;
                acc0 = vfmaq_f32(acc0, vld1q_f32(ip), vld1q_f32(wt));
                acc1 = vfmaq_f32(acc1, vld1q_f32(ip + 4), vld1q_f32(wt + 4));
            }
            vst1q_f32(y + ch, f32_clamp(acc0, vmin, vmax));
            vst1q_f32(y + ch + 4, f32_clamp(acc1, vmin, vmax));
            wb = wt;
        }
        if (ch < channels) {
            const size_t r = channels - ch;
            float32x4_t acc0 = vld1q_f32(wb), acc1 = vld1q_f32(wb + 4);
            const float *wt = wb + CB;
            for (size_t t = 0; t < taps; t++, wt += CB) {
                const float *ip = in[t] + ch;
                if (r >= 4) {
                    acc0 = vfmaq_f32(acc0, vld1q_f32(ip), vld1q_f32(wt));
                    if (r > 4) acc1 = vfmaq_f32(acc1, f32_load_part(ip + 4, r - 4), vld1q_f32(wt + 4));
                } else {
                    acc0 = vfmaq_f32(acc0, f32_load_part(ip, r), vld1q_f32(wt));
                }
            }
            f32_store8(y + ch, f32_clamp(acc0, vmin, vmax), f32_clamp(acc1, vmin, vmax), r);
        }
    }
}
