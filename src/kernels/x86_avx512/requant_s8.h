/* AVX-512 requantization of 16 int32 accumulators to int8 in each mode of enum tflc_uk_rq_mode
 * (static inline: included by the AVX-512 and VNNI microkernels, compiled with their flags).
 * The same recipes as x86_avx2/requant_s8.c, with AVX-512's 64-bit arithmetic shift and
 * min/max: TFLITE = saturating x << left (skipped when no lane shifts left), floor((x * m + 2^30) /
 * 2^31), rounding right shift;
 * SINGLE = floor((x * m + 2^(t-1)) / 2^t), t = 31 - shift, clamped in 64 bits; FP32 =
 * cvtps_epi32(clamp((float)x * scale)) (round half to even). Bit-exact with conv_util.h. */
#ifndef TFLC_KERNELS_X86_AVX512_REQUANT_S8_H
#define TFLC_KERNELS_X86_AVX512_REQUANT_S8_H

#include <immintrin.h>

#include "kernels/ukernel.h"

/* Per-call constants. */
struct tflc_rq16_k {
    int mode;
    __m512i zp, lo, hi, lo64, hi64;
    __m512 flo, fhi;
};

/* Per-channel parameters of 16 channels. */
struct tflc_rq16_c {
    __m512i m, sh;
    __m512 s;
};

static inline struct tflc_rq16_k tflc_rq16_k_init(const struct tflc_uk_rq_s8 *p) {
    struct tflc_rq16_k k;
    k.mode = p->mode;
    k.zp = _mm512_set1_epi32(p->zp);
    k.lo = _mm512_set1_epi32(p->lo - p->zp);
    k.hi = _mm512_set1_epi32(p->hi - p->zp);
    k.lo64 = _mm512_set1_epi64(p->lo - p->zp);
    k.hi64 = _mm512_set1_epi64(p->hi - p->zp);
    k.flo = _mm512_cvtepi32_ps(k.lo);
    k.fhi = _mm512_cvtepi32_ps(k.hi);
    return k;
}

/* Parameters of channels [c0, c0 + n), n <= 16 (masked loads: nothing read past n). */
static inline struct tflc_rq16_c tflc_rq16_c_load(const struct tflc_uk_rq_s8 *p, size_t c0, size_t n) {
    const __mmask16 mk = n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
    struct tflc_rq16_c c;
    if (p->mode == TFLC_UK_RQ_FP32) {
        c.s = _mm512_maskz_loadu_ps(mk, p->scale + c0);
        c.m = c.sh = _mm512_setzero_si512();
    } else {
        c.m = _mm512_maskz_loadu_epi32(mk, p->mult + c0);
        c.sh = _mm512_maskz_loadu_epi32(mk, p->shift + c0);
        c.s = _mm512_setzero_ps();
    }
    return c;
}

static inline __m512i tflc_rq16(__m512i x, const struct tflc_rq16_c *c, const struct tflc_rq16_k *k) {
    __m512i v;
    if (k->mode == TFLC_UK_RQ_FP32) {
        const __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(x), c->s);
        v = _mm512_cvtps_epi32(_mm512_min_ps(_mm512_max_ps(f, k->flo), k->fhi));
    } else if (k->mode == TFLC_UK_RQ_SINGLE) {
        const __m512i t = _mm512_sub_epi32(_mm512_set1_epi32(31), c->sh);
        const __m512i one = _mm512_set1_epi64(1), lo32 = _mm512_set1_epi64(0xFFFFFFFF);
        const __m512i te = _mm512_and_si512(t, lo32), to = _mm512_srli_epi64(t, 32);
        __m512i pe = _mm512_mul_epi32(x, c->m);
        __m512i po = _mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(c->m, 32));
        pe = _mm512_srav_epi64(_mm512_add_epi64(pe, _mm512_sllv_epi64(one, _mm512_sub_epi64(te, one))), te);
        po = _mm512_srav_epi64(_mm512_add_epi64(po, _mm512_sllv_epi64(one, _mm512_sub_epi64(to, one))), to);
        pe = _mm512_min_epi64(_mm512_max_epi64(pe, k->lo64), k->hi64);
        po = _mm512_min_epi64(_mm512_max_epi64(po, k->lo64), k->hi64);
        v = _mm512_mask_blend_epi32((__mmask16)0xAAAA, pe, _mm512_slli_epi64(po, 32));
    } else {
        const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi32(1);
        const __m512i right = _mm512_max_epi32(_mm512_sub_epi32(zero, c->sh), zero);
        __m512i xl = x;
        if (_mm512_cmpgt_epi32_mask(c->sh, zero)) { /* multipliers >= 1 (rare): saturating x << left */
            const __m512i left = _mm512_max_epi32(c->sh, zero);
            xl = _mm512_sllv_epi32(x, left);
            const __mmask16 ovf = _mm512_cmpneq_epi32_mask(_mm512_srav_epi32(xl, left), x);
            xl = _mm512_mask_mov_epi32(xl, ovf,
                                       _mm512_xor_si512(_mm512_srai_epi32(x, 31), _mm512_set1_epi32(INT32_MAX)));
        }
        const __m512i half = _mm512_set1_epi64((int64_t)1 << 30);
        const __m512i pe = _mm512_add_epi64(_mm512_mul_epi32(xl, c->m), half);
        const __m512i po =
            _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(xl, 32), _mm512_srli_epi64(c->m, 32)), half);
        const __m512i h =
            _mm512_mask_blend_epi32((__mmask16)0xAAAA, _mm512_srli_epi64(pe, 31), _mm512_slli_epi64(po, 1));
        const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, right), one);
        const __m512i rem = _mm512_and_si512(h, mask);
        const __m512i thr = _mm512_add_epi32(_mm512_srli_epi32(mask, 1), _mm512_srli_epi32(h, 31));
        const __m512i sra = _mm512_srav_epi32(h, right);
        v = _mm512_mask_add_epi32(sra, _mm512_cmpgt_epi32_mask(rem, thr), sra, one);
        v = _mm512_min_epi32(_mm512_max_epi32(v, k->lo), k->hi);
    }
    return _mm512_add_epi32(v, k->zp);
}

/* Stores the 16 requantized lanes (each in [-128, 127]) as int8, the first n (<= 16). */
static inline void tflc_rq16_store(int8_t *y, __m512i v, size_t n) {
    const __m128i b = _mm512_cvtsepi32_epi8(v);
    if (n >= 16)
        _mm_storeu_si128((__m128i *)(void *)y, b);
    else
        _mm_mask_storeu_epi8(y, (__mmask16)((1u << n) - 1), b);
}

#endif
