/* gemm_f32 7x32, AVX-512F: 7 rows x 32 columns of accumulators (14 zmm), one broadcast of
 * a[m, k] and two weight vectors per k step; a last block of <= 16 columns runs with one
 * vector (7 accumulators). Rows past mr alias row mr - 1 (read and written with identical
 * values). Columns past nc are computed from the zero padding and not stored (masked stores);
 * a last block of 17..24 columns keeps its upper 8 in ymm registers.
 * No alignment needed. A single row (mr == 1) runs a separate 1 x 32 loop (gemv). MR = 7 divides every spatial size of MobileNet-style networks
 * (7x7, 14x14, ... 112x112 outputs), so most tiles are full. */
#include <immintrin.h>

#include "kernels/ukernel.h"

#define MR 7
#define NR 32

static inline __m512 clamp(__m512 v, __m512 lo, __m512 hi) { return _mm512_min_ps(hi, _mm512_max_ps(lo, v)); }

static inline __mmask16 lanes(size_t n) { return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u); }

/* One row (a fully connected layer at batch 1): 7 aliased rows would do 7x the FMAs for one
 * result, so the row runs alone, even and odd k in separate accumulators (four FMA chains per
 * 32 columns; the weight stream is the limit). */
static void gemv(size_t nc, size_t kc, const float *a, const float *w, float *c, const struct tflc_uk_f32_minmax *p) {
    const __m512 vmin = _mm512_set1_ps(p->min), vmax = _mm512_set1_ps(p->max);
    for (size_t n0 = 0; n0 < nc; n0 += NR) {
        __m512 e0 = _mm512_loadu_ps(w), e1 = _mm512_loadu_ps(w + 16);
        __m512 o0 = _mm512_setzero_ps(), o1 = _mm512_setzero_ps();
        const float *wk = w + NR;
        size_t k = 0;
        for (; k + 2 <= kc; k += 2, wk += 2 * NR) {
            const __m512 x0 = _mm512_set1_ps(a[k]), x1 = _mm512_set1_ps(a[k + 1]);
            e0 = _mm512_fmadd_ps(x0, _mm512_loadu_ps(wk), e0);
            e1 = _mm512_fmadd_ps(x0, _mm512_loadu_ps(wk + 16), e1);
            o0 = _mm512_fmadd_ps(x1, _mm512_loadu_ps(wk + NR), o0);
            o1 = _mm512_fmadd_ps(x1, _mm512_loadu_ps(wk + NR + 16), o1);
        }
        if (k < kc) {
            const __m512 x0 = _mm512_set1_ps(a[k]);
            e0 = _mm512_fmadd_ps(x0, _mm512_loadu_ps(wk), e0);
            e1 = _mm512_fmadd_ps(x0, _mm512_loadu_ps(wk + 16), e1);
            wk += NR;
        }
        w = wk;
        const size_t left = nc - n0;
        _mm512_mask_storeu_ps(c + n0, lanes(left), clamp(_mm512_add_ps(e0, o0), vmin, vmax));
        if (left > 16) _mm512_mask_storeu_ps(c + n0 + 16, lanes(left - 16), clamp(_mm512_add_ps(e1, o1), vmin, vmax));
    }
}

void tflc_uk_gemm_f32_7x32__avx512(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride, const float *w,
                                   float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p) {
    if (mr == 1) {
        gemv(nc, kc, a, w, c, p);
        return;
    }
    const float *ar[MR];
    float *cr[MR];
    for (size_t i = 0; i < MR; i++) {
        size_t r = i < mr ? i : mr - 1;
        ar[i] = a + r * a_stride;
        cr[i] = c + r * c_stride;
    }
    const __m512 vmin = _mm512_set1_ps(p->min), vmax = _mm512_set1_ps(p->max);
    size_t n0 = 0;
    for (; n0 + 24 < nc; n0 += NR) {
        __m512 acc0[MR], acc1[MR];
        const __m512 b0 = _mm512_loadu_ps(w), b1 = _mm512_loadu_ps(w + 16);
#pragma GCC unroll 7
        for (size_t i = 0; i < MR; i++) {
            acc0[i] = b0;
            acc1[i] = b1;
        }
        const float *wk = w + NR;
        for (size_t k = 0; k < kc; k++) {
            const __m512 w0 = _mm512_loadu_ps(wk), w1 = _mm512_loadu_ps(wk + 16);
            wk += NR;
#pragma GCC unroll 7
            for (size_t i = 0; i < MR; i++) {
                const __m512 av = _mm512_set1_ps(ar[i][k]);
                acc0[i] = _mm512_fmadd_ps(av, w0, acc0[i]);
                acc1[i] = _mm512_fmadd_ps(av, w1, acc1[i]);
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
    if (n0 + 16 < nc) { /* last block of 17..24 columns: columns 16..23 in ymm halves (half a zmm FMA's cost
                           * on cores that split zmm into two 256-bit halves, e.g. Zen 4) */
        __m512 acc0[MR];
        __m256 acc1[MR];
        const __m512 b0 = _mm512_loadu_ps(w);
        const __m256 b1 = _mm256_loadu_ps(w + 16);
#pragma GCC unroll 7
        for (size_t i = 0; i < MR; i++) {
            acc0[i] = b0;
            acc1[i] = b1;
        }
        const float *wk = w + NR;
        for (size_t k = 0; k < kc; k++) {
            const __m512 w0 = _mm512_loadu_ps(wk);
            const __m256 w1 = _mm256_loadu_ps(wk + 16);
            wk += NR;
#pragma GCC unroll 7
            for (size_t i = 0; i < MR; i++) {
                acc0[i] = _mm512_fmadd_ps(_mm512_set1_ps(ar[i][k]), w0, acc0[i]);
                acc1[i] = _mm256_fmadd_ps(_mm256_set1_ps(ar[i][k]), w1, acc1[i]);
            }
        }
        const __mmask8 m1 = (__mmask8)((1u << (nc - n0 - 16)) - 1u);
        const __m256 vmin8 = _mm256_set1_ps(p->min), vmax8 = _mm256_set1_ps(p->max);
#pragma GCC unroll 7
        for (size_t i = 0; i < MR; i++) {
            _mm512_storeu_ps(cr[i] + n0, clamp(acc0[i], vmin, vmax));
            _mm256_mask_storeu_ps(cr[i] + n0 + 16, m1, _mm256_min_ps(vmax8, _mm256_max_ps(vmin8, acc1[i])));
        }
    } else if (n0 < nc) { /* last block: <= 16 columns left */
        __m512 acc0[MR];
        const __m512 b0 = _mm512_loadu_ps(w);
#pragma GCC unroll 7
        for (size_t i = 0; i < MR; i++) acc0[i] = b0;
        const float *wk = w + NR;
        for (size_t k = 0; k < kc; k++) {
            const __m512 w0 = _mm512_loadu_ps(wk);
            wk += NR;
#pragma GCC unroll 7
            for (size_t i = 0; i < MR; i++) acc0[i] = _mm512_fmadd_ps(_mm512_set1_ps(ar[i][k]), w0, acc0[i]);
        }
        const __mmask16 m0 = lanes(nc - n0);
#pragma GCC unroll 7
        for (size_t i = 0; i < MR; i++) _mm512_mask_storeu_ps(cr[i] + n0, m0, clamp(acc0[i], vmin, vmax));
    }
}
