/* tflc_uk_requant_s8__avx512: 16 channels per step with the recipes of requant_s8.h; the tail
 * uses masked loads and stores (nothing read or written past n). */
#include "kernels/x86_avx512/requant_s8.h"
#include "kernels/ukernels_s8.h"

void tflc_uk_requant_s8__avx512(size_t n, const int32_t *acc, int8_t *y, const struct tflc_uk_rq_s8 *p) {
    const struct tflc_rq16_k k = tflc_rq16_k_init(p);
    for (size_t i = 0; i < n; i += 16) {
        const size_t r = n - i < 16 ? n - i : 16;
        const __mmask16 mk = r >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << r) - 1);
        const struct tflc_rq16_c c = tflc_rq16_c_load(p, i, r);
        tflc_rq16_store(y + i, tflc_rq16(_mm512_maskz_loadu_epi32(mk, acc + i), &c, &k), r);
    }
}
