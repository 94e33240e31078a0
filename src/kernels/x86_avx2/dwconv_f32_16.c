/* dwconv_f32 with 16-channel blocks, AVX2 + FMA: per output pixel and block, two ymm
 * accumulators start from the bias and take one FMA per tap; a last block of < 16 channels
 * uses masked loads and stores (input rows are never read past `channels`). 3x3 (9 taps)
 * runs 8 channels at a time with the weights in registers and the pixels inside; 5x5 (25
 * taps) gets the tap loop unrolled; other sizes run the same code with a variable count. No alignment needed. */
#include <immintrin.h>

#include "kernels/ukernel.h"

#define CB 16

static const int32_t mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

static inline __m256i lanes(size_t n) {
    return _mm256_loadu_si256((const __m256i *)(const void *)(mask_table + 8 - n));
}

static inline __m256 clamp(__m256 v, __m256 lo, __m256 hi) { return _mm256_min_ps(hi, _mm256_max_ps(lo, v)); }

static inline __attribute__((always_inline)) void pixel(size_t channels, size_t taps, const float *const *in,
                                                        const float *w, float *y, __m256 vmin, __m256 vmax) {
    size_t ch = 0;
    for (; ch + CB <= channels; ch += CB) {
        __m256 acc0 = _mm256_loadu_ps(w), acc1 = _mm256_loadu_ps(w + 8);
        const float *wt = w + CB;
        for (size_t t = 0; t < taps; t++) {
            const float *ip = in[t] + ch;
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(ip), _mm256_loadu_ps(wt), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(ip + 8), _mm256_loadu_ps(wt + 8), acc1);
            wt += CB;
        }
        _mm256_storeu_ps(y + ch, clamp(acc0, vmin, vmax));
        _mm256_storeu_ps(y + ch + 8, clamp(acc1, vmin, vmax));
        w = wt;
    }
    if (ch < channels) {
        const size_t r = channels - ch;
        const __m256i m0 = lanes(r < 8 ? r : 8), m1 = lanes(r > 8 ? r - 8 : 0);
        __m256 acc0 = _mm256_loadu_ps(w), acc1 = _mm256_loadu_ps(w + 8);
        const float *wt = w + CB;
        for (size_t t = 0; t < taps; t++) {
            const float *ip = in[t] + ch;
            acc0 = _mm256_fmadd_ps(_mm256_maskload_ps(ip, m0), _mm256_loadu_ps(wt), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_maskload_ps(ip + 8, m1), _mm256_loadu_ps(wt + 8), acc1);
            wt += CB;
        }
        _mm256_maskstore_ps(y + ch, m0, clamp(acc0, vmin, vmax));
        _mm256_maskstore_ps(y + ch + 8, m1, clamp(acc1, vmin, vmax));
    }
}

/* 3x3: per 8-channel half of a block the 9 weight rows and the bias stay in registers
 * (10 ymm) while the pixels stream by, so each FMA needs one load. */
static void taps9(size_t channels, size_t pixels, const float *const *in, const float *w, float *y, size_t y_stride,
                  __m256 vmin, __m256 vmax) {
    for (size_t ch = 0; ch < channels; ch += 8) {
        const float *wb = w + (ch / CB) * CB * 10 + ch % CB; /* this half's column in its block */
        const size_t r = channels - ch;
        const __m256 b = _mm256_loadu_ps(wb);
        __m256 wt[9];
#pragma GCC unroll 9
        for (size_t t = 0; t < 9; t++) wt[t] = _mm256_loadu_ps(wb + CB * (t + 1));
        const float *const *ip = in;
        float *yp = y + ch;
        if (r >= 8) {
            for (size_t px = 0; px < pixels; px++, ip += 9, yp += y_stride) {
                __m256 acc = b;
#pragma GCC unroll 9
                for (size_t t = 0; t < 9; t++) acc = _mm256_fmadd_ps(_mm256_loadu_ps(ip[t] + ch), wt[t], acc);
                _mm256_storeu_ps(yp, clamp(acc, vmin, vmax));
            }
        } else {
            const __m256i m = lanes(r);
            for (size_t px = 0; px < pixels; px++, ip += 9, yp += y_stride) {
                __m256 acc = b;
#pragma GCC unroll 9
                for (size_t t = 0; t < 9; t++) acc = _mm256_fmadd_ps(_mm256_maskload_ps(ip[t] + ch, m), wt[t], acc);
                _mm256_maskstore_ps(yp, m, clamp(acc, vmin, vmax));
            }
        }
    }
}

void tflc_uk_dwconv_f32_16__avx2(size_t channels, size_t pixels, size_t taps, const float *const *in, const float *w,
                                 float *y, size_t y_stride, const struct tflc_uk_f32_minmax *p) {
    const __m256 vmin = _mm256_set1_ps(p->min), vmax = _mm256_set1_ps(p->max);
    if (taps == 9) {
        taps9(channels, pixels, in, w, y, y_stride, vmin, vmax);
    } else if (taps == 25) {
        for (size_t px = 0; px < pixels; px++, in += 25, y += y_stride) pixel(channels, 25, in, w, y, vmin, vmax);
    } else {
        for (size_t px = 0; px < pixels; px++, in += taps, y += y_stride) pixel(channels, taps, in, w, y, vmin, vmax);
    }
}
