/* igemm_f32 6x16, AVX2 + FMA: gemm_f32_6x16 (same tile, packing, remainder handling and
 * aliasing of rows past mr) with each row of A given as ks segments of kseg floats through
 * pointers (the rows of a convolution window, read in place from the input). */
#include <immintrin.h>

#include "kernels/ukernel.h"

#define MR 6
#define NR 16

static const int32_t mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

static inline __m256i lanes(size_t n) {
    return _mm256_loadu_si256((const __m256i *)(const void *)(mask_table + 8 - n));
}

void tflc_uk_igemm_f32_6x16__avx2(size_t mr, size_t nc, size_t ks, size_t kseg, const float *const *a, const float *w,
                                  float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p) {
    const float *const *arow[MR];
    float *cr[MR];
    for (size_t i = 0; i < MR; i++) {
        size_t r = i < mr ? i : mr - 1;
        arow[i] = a + r * ks;
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
        for (size_t s = 0; s < ks; s++) {
            const float *ar[MR];
#pragma GCC unroll 6
            for (size_t i = 0; i < MR; i++) ar[i] = arow[i][s];
            for (size_t k = 0; k < kseg; k++) {
                const __m256 w0 = _mm256_loadu_ps(w), w1 = _mm256_loadu_ps(w + 8);
                w += NR;
#pragma GCC unroll 6
                for (size_t i = 0; i < MR; i++) {
                    const __m256 av = _mm256_broadcast_ss(ar[i] + k);
                    acc0[i] = _mm256_fmadd_ps(av, w0, acc0[i]);
                    acc1[i] = _mm256_fmadd_ps(av, w1, acc1[i]);
                }
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
