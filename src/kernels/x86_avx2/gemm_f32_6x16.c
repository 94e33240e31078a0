/* gemm_f32 6x16, AVX2 + FMA: 6 rows x 16 columns of accumulators (12 ymm), one broadcast of
 * a[m, k] and two weight vectors per k step. Rows past mr alias row mr - 1 (read and written
 * with identical values, so callers see only rows < mr). Columns past nc in the last block
 * are computed from the zero padding and not stored (masked stores). No alignment needed. A
 * single row (mr == 1) runs a separate 1 x 16 loop (gemv). */
#include <immintrin.h>

#include "kernels/ukernel.h"

#define MR 6
#define NR 16

static const int32_t mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

/* Mask of the first n (0..8) lanes. */
static inline __m256i lanes(size_t n) {
    return _mm256_loadu_si256((const __m256i *)(const void *)(mask_table + 8 - n));
}

/* One row (a fully connected layer at batch 1) runs alone instead of as 6 aliased rows: even
 * and odd k in separate accumulators (four FMA chains per 16 columns). */
static void gemv(size_t nc, size_t kc, const float *a, const float *w, float *c, const struct tflc_uk_f32_minmax *p) {
    const __m256 vmin = _mm256_set1_ps(p->min), vmax = _mm256_set1_ps(p->max);
    for (size_t n0 = 0; n0 < nc; n0 += NR) {
        __m256 e0 = _mm256_loadu_ps(w), e1 = _mm256_loadu_ps(w + 8);
        __m256 o0 = _mm256_setzero_ps(), o1 = _mm256_setzero_ps();
        const float *wk = w + NR;
        size_t k = 0;
        for (; k + 2 <= kc; k += 2, wk += 2 * NR) {
            const __m256 x0 = _mm256_broadcast_ss(a + k), x1 = _mm256_broadcast_ss(a + k + 1);
            e0 = _mm256_fmadd_ps(x0, _mm256_loadu_ps(wk), e0);
            e1 = _mm256_fmadd_ps(x0, _mm256_loadu_ps(wk + 8), e1);
            o0 = _mm256_fmadd_ps(x1, _mm256_loadu_ps(wk + NR), o0);
            o1 = _mm256_fmadd_ps(x1, _mm256_loadu_ps(wk + NR + 8), o1);
        }
        if (k < kc) {
            const __m256 x0 = _mm256_broadcast_ss(a + k);
            e0 = _mm256_fmadd_ps(x0, _mm256_loadu_ps(wk), e0);
            e1 = _mm256_fmadd_ps(x0, _mm256_loadu_ps(wk + 8), e1);
            wk += NR;
        }
        w = wk;
        const size_t n = nc - n0;
        const __m256 v0 = _mm256_min_ps(vmax, _mm256_max_ps(vmin, _mm256_add_ps(e0, o0)));
        const __m256 v1 = _mm256_min_ps(vmax, _mm256_max_ps(vmin, _mm256_add_ps(e1, o1)));
        _mm256_maskstore_ps(c + n0, lanes(n < 8 ? n : 8), v0);
        _mm256_maskstore_ps(c + n0 + 8, lanes(n > 16 ? 8 : n > 8 ? n - 8 : 0), v1);
    }
}

void tflc_uk_gemm_f32_6x16__avx2(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride, const float *w,
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
    const __m256 vmin = _mm256_set1_ps(p->min), vmax = _mm256_set1_ps(p->max);
    for (size_t n0 = 0; n0 < nc; n0 += NR) {
        __m256 acc0[MR], acc1[MR];
        const __m256 b0 = _mm256_loadu_ps(w), b1 = _mm256_loadu_ps(w + 8);
#pragma GCC unroll 6
        for (size_t i = 0; i < MR; i++) {
            acc0[i] = b0;
            acc1[i] = b1;
        }
        w += NR;
        for (size_t k = 0; k < kc; k++) {
            const __m256 w0 = _mm256_loadu_ps(w), w1 = _mm256_loadu_ps(w + 8);
            w += NR;
#pragma GCC unroll 6
            for (size_t i = 0; i < MR; i++) {
                const __m256 av = _mm256_broadcast_ss(ar[i] + k);
                acc0[i] = _mm256_fmadd_ps(av, w0, acc0[i]);
                acc1[i] = _mm256_fmadd_ps(av, w1, acc1[i]);
            }
        }
        const size_t n = nc - n0;
        if (n >= NR) {
#pragma GCC unroll 6
            for (size_t i = 0; i < MR; i++) {
                _mm256_storeu_ps(cr[i] + n0, _mm256_min_ps(vmax, _mm256_max_ps(vmin, acc0[i])));
                _mm256_storeu_ps(cr[i] + n0 + 8, _mm256_min_ps(vmax, _mm256_max_ps(vmin, acc1[i])));
            }
        } else {
            const __m256i m0 = lanes(n < 8 ? n : 8), m1 = lanes(n > 8 ? n - 8 : 0);
#pragma GCC unroll 6
            for (size_t i = 0; i < MR; i++) {
                _mm256_maskstore_ps(cr[i] + n0, m0, _mm256_min_ps(vmax, _mm256_max_ps(vmin, acc0[i])));
                _mm256_maskstore_ps(cr[i] + n0 + 8, m1, _mm256_min_ps(vmax, _mm256_max_ps(vmin, acc1[i])));
            }
        }
    }
}
