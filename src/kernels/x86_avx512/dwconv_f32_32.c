/* dwconv_f32 with 32-channel blocks, AVX-512F: per output pixel and block, two zmm
 * accumulators start from the bias and take one FMA per tap; a last block of < 32 channels
 * uses masked loads and stores (input rows are never read past `channels`). 3x3 (9 taps)
 * runs block by block with the weights in registers and the pixels inside; 5x5 (25 taps)
 * gets the tap loop unrolled; other sizes run the same code with a variable count. No alignment needed. */
#include <immintrin.h>

#include "kernels/ukernel.h"

#define CB 32

static inline __mmask16 lanes(size_t n) { return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u); }

static inline __m512 clamp(__m512 v, __m512 lo, __m512 hi) { return _mm512_min_ps(hi, _mm512_max_ps(lo, v)); }

static inline __attribute__((always_inline)) void pixel(size_t channels, size_t taps, const float *const *in,
                                                        const float *w, float *y, __m512 vmin, __m512 vmax) {
    size_t ch = 0;
    for (; ch + CB <= channels; ch += CB) {
        __m512 acc0 = _mm512_loadu_ps(w), acc1 = _mm512_loadu_ps(w + 16);
        const float *wt = w + CB;
        for (size_t t = 0; t < taps; t++) {
            const float *ip = in[t] + ch;
            acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(ip), _mm512_loadu_ps(wt), acc0);
            acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(ip + 16), _mm512_loadu_ps(wt + 16), acc1);
            wt += CB;
        }
        _mm512_storeu_ps(y + ch, clamp(acc0, vmin, vmax));
        _mm512_storeu_ps(y + ch + 16, clamp(acc1, vmin, vmax));
        w = wt;
    }
    if (ch < channels) {
        const size_t r = channels - ch;
        const __mmask16 m0 = lanes(r), m1 = lanes(r > 16 ? r - 16 : 0);
        __m512 acc0 = _mm512_loadu_ps(w), acc1 = _mm512_loadu_ps(w + 16);
        const float *wt = w + CB;
        for (size_t t = 0; t < taps; t++) {
            const float *ip = in[t] + ch;
            acc0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m0, ip), _mm512_loadu_ps(wt), acc0);
            acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m1, ip + 16), _mm512_loadu_ps(wt + 16), acc1);
            wt += CB;
        }
        _mm512_mask_storeu_ps(y + ch, m0, clamp(acc0, vmin, vmax));
        _mm512_mask_storeu_ps(y + ch + 16, m1, clamp(acc1, vmin, vmax));
    }
}

/* 3x3: per 32-channel block the 9 weight rows and the bias stay in registers (20 zmm) while
 * the pixels stream by, so each FMA needs one load. */
static void taps9(size_t channels, size_t pixels, const float *const *in, const float *w, float *y, size_t y_stride,
                  __m512 vmin, __m512 vmax) {
    for (size_t ch = 0; ch < channels; ch += CB, w += CB * 10) {
        const size_t r = channels - ch;
        const __mmask16 m0 = lanes(r), m1 = lanes(r > 16 ? r - 16 : 0);
        const __m512 b0 = _mm512_loadu_ps(w), b1 = _mm512_loadu_ps(w + 16);
        __m512 w0[9], w1[9];
#pragma GCC unroll 9
        for (size_t t = 0; t < 9; t++) {
            w0[t] = _mm512_loadu_ps(w + CB * (t + 1));
            w1[t] = _mm512_loadu_ps(w + CB * (t + 1) + 16);
        }
        const float *const *ip = in;
        float *yp = y + ch;
        if (r >= CB) {
            for (size_t px = 0; px < pixels; px++, ip += 9, yp += y_stride) {
                __m512 acc0 = b0, acc1 = b1;
#pragma GCC unroll 9
                for (size_t t = 0; t < 9; t++) {
                    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(ip[t] + ch), w0[t], acc0);
                    acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(ip[t] + ch + 16), w1[t], acc1);
                }
                _mm512_storeu_ps(yp, clamp(acc0, vmin, vmax));
                _mm512_storeu_ps(yp + 16, clamp(acc1, vmin, vmax));
            }
        } else {
            for (size_t px = 0; px < pixels; px++, ip += 9, yp += y_stride) {
                __m512 acc0 = b0, acc1 = b1;
#pragma GCC unroll 9
                for (size_t t = 0; t < 9; t++) {
                    acc0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m0, ip[t] + ch), w0[t], acc0);
                    acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m1, ip[t] + ch + 16), w1[t], acc1);
                }
                _mm512_mask_storeu_ps(yp, m0, clamp(acc0, vmin, vmax));
                _mm512_mask_storeu_ps(yp + 16, m1, clamp(acc1, vmin, vmax));
            }
        }
    }
}

void tflc_uk_dwconv_f32_32__avx512(size_t channels, size_t pixels, size_t taps, const float *const *in, const float *w,
                                   float *y, size_t y_stride, const struct tflc_uk_f32_minmax *p) {
    const __m512 vmin = _mm512_set1_ps(p->min), vmax = _mm512_set1_ps(p->max);
    if (taps == 9) {
        taps9(channels, pixels, in, w, y, y_stride, vmin, vmax);
    } else if (taps == 25) {
        for (size_t px = 0; px < pixels; px++, in += 25, y += y_stride) pixel(channels, 25, in, w, y, vmin, vmax);
    } else {
        for (size_t px = 0; px < pixels; px++, in += taps, y += y_stride) pixel(channels, taps, in, w, y, vmin, vmax);
    }
}
