/* tflc_uk_gemm_s8_4x16c2__avx2: 4 rows x 16 output channels per step (two ymm of int32 per row).
 * The rows' int8 values are sign-extended to int16 into a stack buffer, KB k at a time, and each
 * pair (a[k], a[k+1]) is broadcast to every lane; vpmaddwd with the packed weight pairs
 * (int16, 16 channels x 2 k per 64 bytes) adds a[k]w[k] + a[k+1]w[k+1] to each channel. No
 * product pair can overflow (|a|, |w| <= 128), and the int32 sums wrap like the reference's.
 * Packing (kernels/pack_s8.h): NR = 16, KR = 2, int16 elements; bias' = bias - zp_x * sum w.
 * kc is padded to 2 with zero weights; rows are read for exactly kc bytes. */
#include <immintrin.h>
#include <string.h>

#include "kernels/pack_s8.h"
#include "kernels/ukernels_s8.h"

#define MR 4
#define NR 16
#define KB 256 /* k staged per pass (multiple of 16) */

size_t tflc_uk_gemm_s8_4x16c2_packed_bytes__avx2(size_t nc, size_t kc) {
    return tflc_pack_s8_gemm_bytes(nc, kc, NR, 2, sizeof(int16_t));
}

void tflc_uk_gemm_s8_4x16c2_pack__avx2(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                       void *packed) {
    tflc_pack_s8_gemm(nc, kc, w, bias, zp_x, NR, 2, sizeof(int16_t), packed);
}

/* Store the first n (<= 8) lanes of v at p. */
static inline void store_n(int32_t *p, __m256i v, size_t n) {
    if (n >= 8) {
        _mm256_storeu_si256((__m256i *)(void *)p, v);
    } else if (n > 0) {
        const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        _mm256_maskstore_epi32(p, _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), idx), v);
    }
}

static inline __m256i load_n(const int32_t *p, size_t n) {
    if (n >= 8) return _mm256_loadu_si256((const __m256i *)(const void *)p);
    if (n == 0) return _mm256_setzero_si256();
    const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_maskload_epi32(p, _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), idx));
}

void tflc_uk_gemm_s8_4x16c2__avx2(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                  int32_t *acc, size_t acc_stride) {
    _Alignas(32) int16_t t[MR][KB];
    const size_t kp = (kc + 1) & ~(size_t)1, block = NR * sizeof(int32_t) + kp * NR * sizeof(int16_t);
    for (size_t k0 = 0; k0 < kc; k0 += KB) {
        const size_t kb = kc - k0 < KB ? kc - k0 : KB, kbp = (kb + 1) & ~(size_t)1;
        for (size_t m = 0; m < MR; m++) {
            const int8_t *src = a[m < mr ? m : 0] + k0;
            size_t k = 0;
            for (; k + 16 <= kb; k += 16)
                _mm256_store_si256((__m256i *)(void *)&t[m][k],
                                   _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(src + k))));
            for (; k < kb; k++) t[m][k] = src[k];
            if (kb & 1) t[m][kb] = 0;
        }
        for (size_t n0 = 0; n0 < nc; n0 += NR) {
            const size_t nn = nc - n0 < NR ? nc - n0 : NR;
            const uint8_t *wp = (const uint8_t *)packed + (n0 / NR) * block;
            __m256i c[MR][2];
            if (k0 == 0) {
                const __m256i b0 = _mm256_load_si256((const __m256i *)(const void *)wp);
                const __m256i b1 = _mm256_load_si256((const __m256i *)(const void *)(wp + 32));
                for (size_t m = 0; m < MR; m++) c[m][0] = b0, c[m][1] = b1;
            } else {
                for (size_t m = 0; m < MR; m++) {
                    const int32_t *row = acc + (m < mr ? m : 0) * acc_stride + n0;
                    c[m][0] = load_n(row, nn);
                    c[m][1] = load_n(row + 8, nn > 8 ? nn - 8 : 0);
                }
            }
            wp += NR * sizeof(int32_t) + k0 * NR * sizeof(int16_t);
            /* Named accumulators: with c[][] in the loop gcc 12 copies and spills them every step. */
            __m256i c00 = c[0][0], c01 = c[0][1], c10 = c[1][0], c11 = c[1][1];
            __m256i c20 = c[2][0], c21 = c[2][1], c30 = c[3][0], c31 = c[3][1];
            for (size_t k = 0; k < kbp; k += 2, wp += 64) {
                const __m256i w0 = _mm256_load_si256((const __m256i *)(const void *)wp);
                const __m256i w1 = _mm256_load_si256((const __m256i *)(const void *)(wp + 32));
#define STEP(m, lo, hi)                                                                                                \
    do {                                                                                                               \
        int32_t pair;                                                                                                  \
        memcpy(&pair, &t[m][k], sizeof pair);                                                                          \
        const __m256i x = _mm256_set1_epi32(pair);                                                                     \
        lo = _mm256_add_epi32(lo, _mm256_madd_epi16(x, w0));                                                           \
        hi = _mm256_add_epi32(hi, _mm256_madd_epi16(x, w1));                                                           \
    } while (0)
                STEP(0, c00, c01);
                STEP(1, c10, c11);
                STEP(2, c20, c21);
                STEP(3, c30, c31);
#undef STEP
            }
            c[0][0] = c00, c[0][1] = c01, c[1][0] = c10, c[1][1] = c11;
            c[2][0] = c20, c[2][1] = c21, c[3][0] = c30, c[3][1] = c31;
            for (size_t m = 0; m < mr && m < MR; m++) {
                int32_t *row = acc + m * acc_stride + n0;
                store_n(row, c[m][0], nn);
                store_n(row + 8, c[m][1], nn > 8 ? nn - 8 : 0);
            }
        }
    }
}
