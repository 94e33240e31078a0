/* vadd_f32, AVX-512F: y = clamp(a + b) 64 floats per iteration (4 independent zmm), then 16 at
 * a time, the last < 16 with masked loads and stores. Bit-exact with the scalar sum and clamp
 * (one IEEE add per element). No alignment needed; y may alias a or b exactly. */
#include <immintrin.h>

#include "kernels/ukernel.h"

static inline __m512 clamp(__m512 v, __m512 lo, __m512 hi) { return _mm512_min_ps(hi, _mm512_max_ps(lo, v)); }

void tflc_uk_vadd_f32__avx512(size_t n, const float *a, const float *b, float *y, const struct tflc_uk_f32_minmax *p) {
    const __m512 vmin = _mm512_set1_ps(p->min), vmax = _mm512_set1_ps(p->max);
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m512 s0 = _mm512_add_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        const __m512 s1 = _mm512_add_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
        const __m512 s2 = _mm512_add_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32));
        const __m512 s3 = _mm512_add_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48));
        _mm512_storeu_ps(y + i, clamp(s0, vmin, vmax));
        _mm512_storeu_ps(y + i + 16, clamp(s1, vmin, vmax));
        _mm512_storeu_ps(y + i + 32, clamp(s2, vmin, vmax));
        _mm512_storeu_ps(y + i + 48, clamp(s3, vmin, vmax));
    }
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i, clamp(_mm512_add_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i)), vmin, vmax));
    if (i < n) {
        const __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        const __m512 s = _mm512_add_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
        _mm512_mask_storeu_ps(y + i, m, clamp(s, vmin, vmax));
    }
}
