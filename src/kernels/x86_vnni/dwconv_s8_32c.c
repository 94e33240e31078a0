/* tflc_uk_dwconv_s8_32c__avx512vnni: the AVX-512 32-channel depthwise kernel
 * (x86_avx512/dwconv_s8_32c.c: same packing, so the table keeps AVX-512's pack) with each
 * vpmaddwd + vpaddd fused into one vpdpwssd (non-saturating: wraps like the reference's
 * int32 sums; each int16 product pair fits as before). */
#include <immintrin.h>

#include "kernels/ukernels_s8.h"

/* acc += x . w (int16 pairs), in place through asm (the intrinsic makes gcc 12 copy accumulators). */
static inline __m512i dpwssd(__m512i acc, __m512i x, __m512i w) {
    __asm__("vpdpwssd %2, %1, %0" : "+v"(acc) : "v"(x), "v"(w));
    return acc;
}

#define DW_MADD(acc, x, w) dpwssd((acc), (x), (w))
#include "kernels/x86_avx512/dwconv_s8_32c.h"

void tflc_uk_dwconv_s8_32c__avx512vnni(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                       int32_t *acc) {
    dw(channels, taps, in, packed, acc, NULL, NULL);
}

void tflc_uk_dwconv_s8_32c_rq__avx512vnni(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                          int8_t *y, const struct tflc_uk_rq_s8 *rq) {
    dw(channels, taps, in, packed, NULL, y, rq);
}
