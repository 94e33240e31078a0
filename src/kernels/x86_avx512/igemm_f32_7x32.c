/* igemm_f32 7x32, AVX-512F: gemm_f32_7x32 (same tile, packing, remainder handling and
 * aliasing of rows past mr) with each row of A given as ks segments of kseg floats through
 * pointers (the rows of a convolution window, read in place from the input). */
#include <immintrin.h>

#include "kernels/ukernel.h"

#define MR 7
#define NR 32

static inline __m512 clamp(__m512 v, __m512 lo, __m512 hi) { return _mm512_min_ps(hi, _mm512_max_ps(lo, v)); }

static inline __mmask16 lanes(size_t n) { return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u); }

void tflc_uk_igemm_f32_7x32__avx512(size_t mr, size_t nc, size_t ks, size_t kseg, const float *const *a, const float *w,
                                    float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p) {
    const float *const *arow[MR];
    float *cr[MR];
    for (size_t i = 0; i < MR; i++) {
        size_t r = i < mr ? i : mr - 1;
        arow[i] = a + r * ks;
        cr[i] = c + r * c_stride;
    }
    const __m512 vmin = _mm512_set1_ps(p->min), vmax = _mm512_set1_ps(p->max);
    size_t n0 = 0;
    for (; n0 + 16 < nc; n0 += NR) {
        __m512 acc0[MR], acc1[MR];
        const __m512 b0 = _mm512_loadu_ps(w), b1 = _mm512_loadu_ps(w + 16);
#pragma GCC unroll 7
        for (size_t i = 0; i < MR; i++) {
            acc0[i] = b0;
            acc1[i] = b1;
        }
        const float *wk = w + NR;
        for (size_t s = 0; s < ks; s++) {
            const float *ar[MR];
#pragma GCC unroll 7
            for (size_t i = 0; i < MR; i++) ar[i] = arow[i][s];
            for (size_t k = 0; k < kseg; k++) {
                const __m512 w0 = _mm512_loadu_ps(wk), w1 = _mm512_loadu_ps(wk + 16);
                wk += NR;
#pragma GCC unroll 7
                for (size_t i = 0; i < MR; i++) {
                    const __m512 av = _mm512_set1_ps(ar[i][k]);
                    acc0[i] = _mm512_fmadd_ps(av, w0, acc0[i]);
                    acc1[i] = _mm512_fmadd_ps(av, w1, acc1[i]);
                }
            }
        }
        w = wk;
        const __mmask16 m1 = lanes(nc - n0 - 16);
#pragma GCC unroll 7
        for (size_t i = 0; i < MR; i++) {
            _mm512_storeu_ps(cr[i] + n0, clamp(acc0[i], vmin, vmax));
            _mm512_mask_storeu_ps(cr[i] + n0 + 16, m1, clamp(acc1[i], vmin, vmax));
        }
    }
    if (n0 < nc) { /* last block: <= 16 columns left */
        __m512 acc0[MR];
        const __m512 b0 = _mm512_loadu_ps(w);
#pragma GCC unroll 7
        for (size_t i = 0; i < MR; i++) acc0[i] = b0;
        const float *wk = w + NR;
        for (size_t s = 0; s < ks; s++) {
            const float *ar[MR];
#pragma GCC unroll 7
            for (size_t i = 0; i < MR; i++) ar[i] = arow[i][s];
            for (size_t k = 0; k < kseg; k++) {
                const __m512 w0 = _mm512_loadu_ps(wk);
                wk += NR;
#pragma GCC unroll 7
                for (size_t i = 0; i < MR; i++) acc0[i] = _mm512_fmadd_ps(_mm512_set1_ps(ar[i][k]), w0, acc0[i]);
            }
        }
        const __mmask16 m0 = lanes(nc - n0);
#pragma GCC unroll 7
        for (size_t i = 0; i < MR; i++) _mm512_mask_storeu_ps(cr[i] + n0, m0, clamp(acc0[i], vmin, vmax));
    }
}
