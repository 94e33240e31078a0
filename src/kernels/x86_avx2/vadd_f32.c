/* vadd_f32, AVX2: y = clamp(a + b) 32 floats per iteration (4 independent ymm), then 8 at a
 * time, the last < 8 with masked loads and stores. Bit-exact with the scalar sum and clamp
 * (one IEEE add per element). No alignment needed; y may alias a or b exactly. */
#include <immintrin.h>

#include "kernels/ukernel.h"

static const int32_t mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

static inline __m256 clamp(__m256 v, __m256 lo, __m256 hi) { return _mm256_min_ps(hi, _mm256_max_ps(lo, v)); }

void tflc_uk_vadd_f32__avx2(size_t n, const float *a, const float *b, float *y, const struct tflc_uk_f32_minmax *p) {
    const __m256 vmin = _mm256_set1_ps(p->min), vmax = _mm256_set1_ps(p->max);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256 s0 = _mm256_add_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        const __m256 s1 = _mm256_add_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
        const __m256 s2 = _mm256_add_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16));
        const __m256 s3 = _mm256_add_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24));
        _mm256_storeu_ps(y + i, clamp(s0, vmin, vmax));
        _mm256_storeu_ps(y + i + 8, clamp(s1, vmin, vmax));
        _mm256_storeu_ps(y + i + 16, clamp(s2, vmin, vmax));
        _mm256_storeu_ps(y + i + 24, clamp(s3, vmin, vmax));
    }
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, clamp(_mm256_add_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)), vmin, vmax));
    if (i < n) {
        const __m256i m = _mm256_loadu_si256((const __m256i *)(const void *)(mask_table + 8 - (n - i)));
        const __m256 s = _mm256_add_ps(_mm256_maskload_ps(a + i, m), _mm256_maskload_ps(b + i, m));
        _mm256_maskstore_ps(y + i, m, clamp(s, vmin, vmax));
    }
}
