/* tflc_uk_gemm_s8_8x32c4__avx512vnni: 8 rows x 32 output channels per step (two zmm of int32 per
 * row). vpdpbusd multiplies uint8 by int8, so the rows are staged as x ^ 0x80 = x + 128 (uint8),
 * KB k at a time (masked loads read exactly kc bytes), and the packed bias folds the offset in:
 * bias' = bias - (zp_x + 128) * sum w. vpdpbusd (not the saturating vpdpbusds) wraps like the
 * reference's int32 accumulator. Packing (kernels/pack_s8.h): NR = 32, KR = 4, int8 elements;
 * kc is padded to 4 with zero weights. The _rq variant requantizes the last pass's accumulators
 * in registers (x86_avx512/requant_s8.h) and stores int8; earlier passes (kc > KB) keep int32
 * partial sums in acc. */
#include <immintrin.h>
#include <string.h>

#include "kernels/pack_s8.h"
#include "kernels/ukernels_s8.h"
#include "kernels/x86_avx512/requant_s8.h"

#define MR 8
#define NR 32
#define KB 512 /* k staged per pass (multiple of 64) */

size_t tflc_uk_gemm_s8_8x32c4_packed_bytes__avx512vnni(size_t nc, size_t kc) {
    return tflc_pack_s8_gemm_bytes(nc, kc, NR, 4, 1);
}

void tflc_uk_gemm_s8_8x32c4_pack__avx512vnni(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                             void *packed) {
    tflc_pack_s8_gemm(nc, kc, w, bias, zp_x + 128, NR, 4, 1, packed);
}

/* acc += x (uint8) . w (int8) per 4-byte group. In place through asm: with the intrinsic, gcc 12
 * copies every accumulator each step (and spills), halving the kernel's speed. */
static inline __m512i dpbusd(__m512i acc, __m512i x, __m512i w) {
    __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(x), "v"(w));
    return acc;
}

static inline __mmask16 lanes(size_t n) { return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1); }

/* The k loop of one 8 x 32 tile: c[m][0..1] += staged row m . weights, k in [0, kbp). Out of line
 * with its own named accumulators: inlined next to the requantization, gcc 12 ran out of
 * registers and moved / spilled accumulators every step. */
static __attribute__((noinline)) void kloop(const uint8_t (*t)[KB], size_t kbp, const uint8_t *wp, __m512i (*c)[2],
                                            const uint8_t *bias) {
    __m512i c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
    if (bias) { /* first pass: start from the packed bias' (no round trip through c) */
        c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = _mm512_load_si512(bias);
        c01 = c11 = c21 = c31 = c41 = c51 = c61 = c71 = _mm512_load_si512(bias + 64);
    } else {
        c00 = c[0][0], c01 = c[0][1], c10 = c[1][0], c11 = c[1][1], c20 = c[2][0], c21 = c[2][1];
        c30 = c[3][0], c31 = c[3][1], c40 = c[4][0], c41 = c[4][1], c50 = c[5][0], c51 = c[5][1];
        c60 = c[6][0], c61 = c[6][1], c70 = c[7][0], c71 = c[7][1];
    }
    for (size_t k = 0; k < kbp; k += 4, wp += 128) {
        const __m512i w0 = _mm512_load_si512(wp), w1 = _mm512_load_si512(wp + 64);
#define STEP(m, lo, hi)                                                                                                \
    do {                                                                                                               \
        int32_t quad;                                                                                                  \
        memcpy(&quad, &t[m][k], sizeof quad);                                                                          \
        const __m512i x = _mm512_set1_epi32(quad);                                                                     \
        lo = dpbusd(lo, x, w0);                                                                                        \
        hi = dpbusd(hi, x, w1);                                                                                        \
    } while (0)
        STEP(0, c00, c01);
        STEP(1, c10, c11);
        STEP(2, c20, c21);
        STEP(3, c30, c31);
        STEP(4, c40, c41);
        STEP(5, c50, c51);
        STEP(6, c60, c61);
        STEP(7, c70, c71);
#undef STEP
    }
    c[0][0] = c00, c[0][1] = c01, c[1][0] = c10, c[1][1] = c11, c[2][0] = c20, c[2][1] = c21;
    c[3][0] = c30, c[3][1] = c31, c[4][0] = c40, c[4][1] = c41, c[5][0] = c50, c[5][1] = c51;
    c[6][0] = c60, c[6][1] = c61, c[7][0] = c70, c[7][1] = c71;
}

/* The k loop of a 1 x 32 tile (a fully connected layer at batch 1, the last pixel of a layer):
 * as kloop for row 0 only, with even and odd k groups in separate accumulators so that two
 * dependency chains per output zmm hide vpdpbusd's latency. */
static __attribute__((noinline)) void kloop1(const uint8_t *t, size_t kbp, const uint8_t *wp, __m512i *c,
                                             const uint8_t *bias) {
    __m512i a0 = bias ? _mm512_load_si512(bias) : c[0], a1 = bias ? _mm512_load_si512(bias + 64) : c[1];
    __m512i b0 = _mm512_setzero_si512(), b1 = _mm512_setzero_si512();
    size_t k = 0;
    for (; k + 8 <= kbp; k += 8, wp += 256) {
        int32_t q0, q1;
        memcpy(&q0, t + k, sizeof q0);
        memcpy(&q1, t + k + 4, sizeof q1);
        const __m512i x0 = _mm512_set1_epi32(q0), x1 = _mm512_set1_epi32(q1);
        a0 = dpbusd(a0, x0, _mm512_load_si512(wp));
        a1 = dpbusd(a1, x0, _mm512_load_si512(wp + 64));
        b0 = dpbusd(b0, x1, _mm512_load_si512(wp + 128));
        b1 = dpbusd(b1, x1, _mm512_load_si512(wp + 192));
    }
    if (k < kbp) {
        int32_t q0;
        memcpy(&q0, t + k, sizeof q0);
        const __m512i x0 = _mm512_set1_epi32(q0);
        a0 = dpbusd(a0, x0, _mm512_load_si512(wp));
        a1 = dpbusd(a1, x0, _mm512_load_si512(wp + 64));
    }
    c[0] = _mm512_add_epi32(a0, b0);
    c[1] = _mm512_add_epi32(a1, b1);
}

static inline __attribute__((always_inline)) void gemm(size_t mr, size_t nc, size_t kc, const int8_t *const *a,
                                                       const void *packed, int32_t *acc, size_t acc_stride, int8_t *y,
                                                       size_t y_stride, const struct tflc_uk_rq_s8 *rq) {
    _Alignas(64) uint8_t t[MR][KB];
    const size_t kp = (kc + 3) & ~(size_t)3, block = NR * sizeof(int32_t) + kp * NR;
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    struct tflc_rq16_k rk;
    if (y) rk = tflc_rq16_k_init(rq);
    for (size_t k0 = 0; k0 < kc; k0 += KB) {
        const size_t kb = kc - k0 < KB ? kc - k0 : KB, kbp = (kb + 3) & ~(size_t)3;
        for (size_t m = 0; m < (mr == 1 ? 1 : MR); m++) {
            const int8_t *src = a[m < mr ? m : 0] + k0;
            for (size_t k = 0; k < kbp; k += 64) {
                const size_t left = kb - k;
                const __mmask64 mk = left >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << left) - 1);
                _mm512_store_si512(&t[m][k], _mm512_xor_si512(_mm512_maskz_loadu_epi8(mk, src + k), flip));
            }
        }
        for (size_t n0 = 0; n0 < nc; n0 += NR) {
            const size_t nn = nc - n0 < NR ? nc - n0 : NR;
            const __mmask16 m0 = lanes(nn), m1 = lanes(nn > 16 ? nn - 16 : 0);
            const uint8_t *wp = (const uint8_t *)packed + (n0 / NR) * block;
            __m512i c[MR][2];
            if (k0 != 0) {
                for (size_t m = 0; m < (mr == 1 ? 1 : MR); m++) {
                    const int32_t *row = acc + (m < mr ? m : 0) * acc_stride + n0;
                    c[m][0] = _mm512_maskz_loadu_epi32(m0, row);
                    c[m][1] = _mm512_maskz_loadu_epi32(m1, row + 16);
                }
            }
            if (mr == 1)
                kloop1(t[0], kbp, wp + NR * sizeof(int32_t) + k0 * NR, c[0], k0 == 0 ? wp : NULL);
            else
                kloop(t, kbp, wp + NR * sizeof(int32_t) + k0 * NR, c, k0 == 0 ? wp : NULL);
            if (y && k0 + KB >= kc) {
                const struct tflc_rq16_c q0 = tflc_rq16_c_load(rq, n0, nn);
                const struct tflc_rq16_c q1 = tflc_rq16_c_load(rq, n0 + 16, nn > 16 ? nn - 16 : 0);
                for (size_t m = 0; m < mr && m < MR; m++) {
                    int8_t *row = y + m * y_stride + n0;
                    tflc_rq16_store(row, tflc_rq16(c[m][0], &q0, &rk), nn);
                    if (nn > 16) tflc_rq16_store(row + 16, tflc_rq16(c[m][1], &q1, &rk), nn - 16);
                }
                continue;
            }
            for (size_t m = 0; m < mr && m < MR; m++) {
                int32_t *row = acc + m * acc_stride + n0;
                _mm512_mask_storeu_epi32(row, m0, c[m][0]);
                _mm512_mask_storeu_epi32(row + 16, m1, c[m][1]);
            }
        }
    }
}

void tflc_uk_gemm_s8_8x32c4__avx512vnni(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                        int32_t *acc, size_t acc_stride) {
    gemm(mr, nc, kc, a, packed, acc, acc_stride, NULL, 0, NULL);
}

void tflc_uk_gemm_s8_8x32c4_rq__avx512vnni(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                           int32_t *acc, size_t acc_stride, int8_t *y, size_t y_stride,
                                           const struct tflc_uk_rq_s8 *rq) {
    gemm(mr, nc, kc, a, packed, acc, acc_stride, y, y_stride, rq);
}
