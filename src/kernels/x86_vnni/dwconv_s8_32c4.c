/* tflc_uk_dwconv_s8_32c4__avx512vnni: depthwise multiply-accumulate with vpdpbusd, 32 channels
 * per block in ymm registers (AVX-512VL), four taps per int32 lane.
 *
 * Method. vpdpbusd multiplies 4 uint8 by 4 int8 and adds the 4 products to an int32 lane. For a
 * depthwise conv a lane holds one channel, and its 4 byte pairs are 4 taps: the inputs of taps
 * t..t+3 (each x ^ 0x80 = x + 128, uint8) are interleaved by vpunpck{l,h}bw then vpunpck{l,h}wd,
 * which work within 128-bit lanes. So accumulator a_j (j = 0..3) holds, in 128-bit lane L (0, 1)
 * element i, channel 16 L + 4 j + i of the block; the packing stores bias' and the weights in that
 * order. A last group of fewer than 4 taps has zero weights for the missing ones (their input
 * slots repeat a real tap). The + 128 offset folds into the bias: bias' = bias - (zp_x + 128) *
 * sum_t w[t][c] (wrapping int32, as the reference's accumulator; the sums are exact: |products|
 * <= 255 * 128, vpdpbusd does not saturate). Each output is the same int32 as the reference's.
 *
 * Output order: (a0 | a2) and (a1 | a3) as zmm hold channel chunks [0-3, 16-19, 8-11, 24-27] and
 * [4-7, 20-23, 12-15, 28-31]; vpackssdw of the two gives int16 chunks [0-7, 16-23, 8-15, 24-31],
 * vpmovswb bytes in that order, and vpermq 0, 2, 1, 3 the natural order. Requantization runs on
 * the two zmm (x86_avx512/requant_s8.h) with the per-channel parameters permuted the same way.
 *
 * run_rows_rq is the main entry: a run of output pixels of one row, with each block's weights,
 * bias and requantization parameters loaded once for all of them (a 3 x 3 kernel's 12 weight
 * registers stay in registers); in[t] + p * step[t] is tap t of pixel p (step NULL: one pixel).
 *
 * Packed per block of 32 channels: bias'[32] int32 (a_j order), then per group of 4 taps
 * 4 x 32 bytes (w_j: lane L, element i = the 4 taps' weights of channel 16 L + 4 j + i). */
#include <immintrin.h>
#include <string.h>

#include "kernels/ukernels_s8.h"
#include "kernels/x86_avx512/requant_s8.h"

#define CB 32

static size_t groups(size_t taps) { return (taps + 3) / 4; }

static size_t block_bytes(size_t taps) { return CB * sizeof(int32_t) + groups(taps) * 4 * CB; }

/* Channel (within the block) of accumulator j, 128-bit lane l, element i. */
static size_t chan(size_t j, size_t l, size_t i) { return 16 * l + 4 * j + i; }

/* 3 x 3 (taps == 9): a second layout follows the first, for run_3x3_rq: per block bias'[32]
 * (a_j order, as above), then per filter column kx 4 x 32 bytes (w_j: the column's 3 rows'
 * weights and a zero, for channel 16 L + 4 j + i). */
#define BLOCK3_BYTES (CB * sizeof(int32_t) + 3 * 4 * CB)

size_t tflc_uk_dwconv_s8_32c4_packed_bytes__avx512vnni(size_t channels, size_t taps) {
    const size_t blocks = (channels + CB - 1) / CB;
    return blocks * block_bytes(taps) + (taps == 9 ? blocks * BLOCK3_BYTES : 0);
}

void tflc_uk_dwconv_s8_32c4_pack__avx512vnni(size_t channels, size_t taps, const int8_t *w, const int32_t *bias,
                                             int32_t zp_x, void *packed) {
    uint8_t *p = packed;
    const uint32_t zx = (uint32_t)zp_x + 128u;
    for (size_t c0 = 0; c0 < channels; c0 += CB, p += block_bytes(taps)) {
        int32_t *b = (int32_t *)(void *)p;
        int8_t *q = (int8_t *)(p + CB * sizeof(int32_t));
        for (size_t j = 0; j < 4; j++)
            for (size_t l = 0; l < 2; l++)
                for (size_t i = 0; i < 4; i++) {
                    const size_t c = c0 + chan(j, l, i);
                    uint32_t s = 0;
                    if (c < channels)
                        for (size_t t = 0; t < taps; t++) s += (uint32_t)(int32_t)w[t * channels + c];
                    b[8 * j + 4 * l + i] = c < channels ? (int32_t)((uint32_t)(bias ? bias[c] : 0) - zx * s) : 0;
                }
        for (size_t g = 0; g < groups(taps); g++)
            for (size_t j = 0; j < 4; j++)
                for (size_t l = 0; l < 2; l++)
                    for (size_t i = 0; i < 4; i++)
                        for (size_t k = 0; k < 4; k++) {
                            const size_t c = c0 + chan(j, l, i), t = 4 * g + k;
                            *q++ = c < channels && t < taps ? w[t * channels + c] : 0;
                        }
    }
    if (taps != 9) return;
    for (size_t c0 = 0; c0 < channels; c0 += CB, p += BLOCK3_BYTES) {
        memcpy(p, (const uint8_t *)packed + c0 / CB * block_bytes(taps), CB * sizeof(int32_t)); /* the same bias' */
        int8_t *q = (int8_t *)(p + CB * sizeof(int32_t));
        for (size_t kx = 0; kx < 3; kx++)
            for (size_t j = 0; j < 4; j++)
                for (size_t l = 0; l < 2; l++)
                    for (size_t i = 0; i < 4; i++)
                        for (size_t ky = 0; ky < 4; ky++) {
                            const size_t c = c0 + chan(j, l, i);
                            *q++ = c < channels && ky < 3 ? w[(ky * 3 + kx) * channels + c] : 0;
                        }
    }
}

/* acc += x (uint8) . w (int8) per 4-byte group, in place (see gemm_s8_8x32c4.c for why asm). */
static inline __m256i dpbusd(__m256i acc, __m256i x, __m256i w) {
    __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(x), "v"(w));
    return acc;
}

/* The same with the weights straight from memory (a register fewer per use). */
static inline __m256i dpbusd_m(__m256i acc, __m256i x, const __m256i *w) {
    __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(x), "m"(*w));
    return acc;
}

/* Channels [c0, c0 + n) of the 32 of a block, n <= 32, as 16 x int32 of the zmm orders above:
 * lo = chunks [0-3, 16-19, 8-11, 24-27], hi = [4-7, 20-23, 12-15, 28-31] (the same two index
 * vectors turn the zmm accumulators back into natural order). */
static inline __m512i idx_lo(void) {
    return _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
}
static inline __m512i idx_hi(void) {
    return _mm512_setr_epi32(4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
}

static inline __mmask16 m16(size_t n) { return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1); }

/* A per-channel parameter array's 32 channels from c0 (n valid) in the lo / hi orders. */
static inline void perm_params_i(const int32_t *a, size_t n, __m512i *lo, __m512i *hi) {
    const __m512i v0 = _mm512_maskz_loadu_epi32(m16(n), a),
                  v1 = _mm512_maskz_loadu_epi32(m16(n > 16 ? n - 16 : 0), a + 16);
    *lo = _mm512_permutex2var_epi32(v0, idx_lo(), v1);
    *hi = _mm512_permutex2var_epi32(v0, idx_hi(), v1);
}

static inline void rq_params(const struct tflc_uk_rq_s8 *rq, size_t c0, size_t n, struct tflc_rq16_c *lo,
                             struct tflc_rq16_c *hi) {
    memset(lo, 0, sizeof *lo);
    memset(hi, 0, sizeof *hi);
    if (rq->mode == TFLC_UK_RQ_FP32) {
        __m512i a, b;
        perm_params_i((const int32_t *)(const void *)(rq->scale + c0), n, &a, &b);
        lo->s = _mm512_castsi512_ps(a);
        hi->s = _mm512_castsi512_ps(b);
    } else {
        perm_params_i(rq->mult + c0, n, &lo->m, &hi->m);
        perm_params_i(rq->shift + c0, n, &lo->sh, &hi->sh);
    }
}

static inline __m512i join(__m256i a, __m256i b) { return _mm512_inserti64x4(_mm512_castsi256_si512(a), b, 1); }

/* Requantizes the 4 accumulators of one pixel's block (a_j order) and stores its n int8 outputs
 * in natural channel order at dst (the order argument in the header comment). */
static inline __attribute__((always_inline)) void store_rq(__m256i a0, __m256i a1, __m256i a2, __m256i a3,
                                                           const struct tflc_rq16_c *qlo, const struct tflc_rq16_c *qhi,
                                                           const struct tflc_rq16_k *rk, int8_t *dst, bool full,
                                                           __mmask32 mk) {
    const __m512i v = _mm512_packs_epi32(tflc_rq16(join(a0, a2), qlo, rk), tflc_rq16(join(a1, a3), qhi, rk));
    const __m256i o = _mm256_permute4x64_epi64(_mm512_cvtsepi16_epi8(v), 0xD8); /* 0, 2, 1, 3 */
    if (full)
        _mm256_storeu_si256((__m256i *)(void *)dst, o);
    else
        _mm256_mask_storeu_epi8(dst, mk, o);
}

/* One block (channels c0 .. c0 + n - 1) for npix pixels; y (int8) or acc (int32) per pixel at
 * stride `channels`. taps and mode are compile-time constants where the caller specializes
 * (3 x 3, fp32 requantization). */
static inline __attribute__((always_inline)) void block(size_t channels, size_t c0, size_t n, size_t taps, size_t npix,
                                                        const int8_t *const *in, const size_t *step, const uint8_t *bp,
                                                        int8_t *y, int32_t *acc, const struct tflc_uk_rq_s8 *rq,
                                                        const struct tflc_rq16_k *rk0, int mode) {
    struct tflc_rq16_k rkv = *rk0;
    rkv.mode = mode; /* a constant where the caller specializes: no mode switch per pixel */
    const struct tflc_rq16_k *rk = &rkv;
    const __m256i flip = _mm256_set1_epi8((char)0x80);
    const __mmask32 mk = n >= 32 ? ~(__mmask32)0 : (((__mmask32)1 << n) - 1);
    const bool full = n == CB;
    struct tflc_rq16_c qlo, qhi;
    if (y) rq_params(rq, c0, n, &qlo, &qhi);
    const __m256i *wv = (const __m256i *)(const void *)(bp + CB * sizeof(int32_t));
    const __m256i b0 = _mm256_load_si256((const __m256i *)(const void *)bp);
    const __m256i b1 = _mm256_load_si256((const __m256i *)(const void *)(bp + 32));
    const __m256i b2 = _mm256_load_si256((const __m256i *)(const void *)(bp + 64));
    const __m256i b3 = _mm256_load_si256((const __m256i *)(const void *)(bp + 96));
    for (size_t p = 0; p < npix; p++) {
        __m256i a0 = b0, a1 = b1, a2 = b2, a3 = b3;
#define LOADX(t)                                                                                                       \
    _mm256_xor_si256(full ? _mm256_loadu_si256((const __m256i *)(const void *)(in[t] + (step ? p * step[t] : 0) + c0)) \
                          : _mm256_maskz_loadu_epi8(mk, in[t] + (step ? p * step[t] : 0) + c0),                        \
                     flip)
#define GROUP(g, x0, x1, x2, x3)                                                                                       \
    do {                                                                                                               \
        const __m256i l01 = _mm256_unpacklo_epi8(x0, x1), h01 = _mm256_unpackhi_epi8(x0, x1);                          \
        const __m256i l23 = _mm256_unpacklo_epi8(x2, x3), h23 = _mm256_unpackhi_epi8(x2, x3);                          \
        a0 = dpbusd(a0, _mm256_unpacklo_epi16(l01, l23), _mm256_load_si256(wv + 4 * (g)));                             \
        a1 = dpbusd(a1, _mm256_unpackhi_epi16(l01, l23), _mm256_load_si256(wv + 4 * (g) + 1));                         \
        a2 = dpbusd(a2, _mm256_unpacklo_epi16(h01, h23), _mm256_load_si256(wv + 4 * (g) + 2));                         \
        a3 = dpbusd(a3, _mm256_unpackhi_epi16(h01, h23), _mm256_load_si256(wv + 4 * (g) + 3));                         \
    } while (0)
        size_t g = 0;
#pragma GCC unroll 4
        for (; g < taps / 4; g++) {
            const __m256i x0 = LOADX(4 * g), x1 = LOADX(4 * g + 1), x2 = LOADX(4 * g + 2), x3 = LOADX(4 * g + 3);
            GROUP(g, x0, x1, x2, x3);
        }
        if (taps % 4) { /* the last taps % 4 taps; the missing ones have zero weights */
            const size_t r = taps % 4;
            const __m256i x0 = LOADX(4 * g), x1 = r > 1 ? LOADX(4 * g + 1) : x0, x2 = r > 2 ? LOADX(4 * g + 2) : x1;
            GROUP(g, x0, x1, x2, x2);
        }
#undef GROUP
#undef LOADX
        if (y) {
            store_rq(a0, a1, a2, a3, &qlo, &qhi, rk, y + p * channels + c0, full, mk);
        } else {
            const __m512i lo = join(a0, a2), hi = join(a1, a3);
            int32_t *dst = acc + p * channels + c0;
            _mm512_mask_storeu_epi32(dst, m16(n), _mm512_permutex2var_epi32(lo, idx_lo(), hi));
            _mm512_mask_storeu_epi32(dst + 16, m16(n > 16 ? n - 16 : 0), _mm512_permutex2var_epi32(lo, idx_hi(), hi));
        }
    }
}

static inline __attribute__((always_inline)) void rows(size_t channels, size_t taps, size_t npix,
                                                       const int8_t *const *in, const size_t *step, const void *packed,
                                                       int8_t *y, int32_t *acc, const struct tflc_uk_rq_s8 *rq) {
    struct tflc_rq16_k rk;
    memset(&rk, 0, sizeof rk);
    if (y) rk = tflc_rq16_k_init(rq);
    const uint8_t *bp = packed;
    const size_t bb = block_bytes(taps);
    const int mode = y ? rq->mode : -1;
    for (size_t c0 = 0; c0 < channels; c0 += CB, bp += bb) {
        const size_t n = channels - c0 < CB ? channels - c0 : CB;
        if (taps == 9 && mode == TFLC_UK_RQ_FP32)
            block(channels, c0, n, 9, npix, in, step, bp, y, acc, rq, &rk, TFLC_UK_RQ_FP32);
        else if (taps == 9)
            block(channels, c0, n, 9, npix, in, step, bp, y, acc, rq, &rk, mode);
        else
            block(channels, c0, n, taps, npix, in, step, bp, y, acc, rq, &rk, mode);
    }
}

/* Single pixels (step NULL: no pixel but 0). */
void tflc_uk_dwconv_s8_32c4__avx512vnni(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                        int32_t *acc) {
    rows(channels, taps, 1, in, NULL, packed, NULL, acc, NULL);
}

void tflc_uk_dwconv_s8_32c4_rq__avx512vnni(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                           int8_t *y, const struct tflc_uk_rq_s8 *rq) {
    rows(channels, taps, 1, in, NULL, packed, y, NULL, rq);
}

void tflc_uk_dwconv_s8_32c4_rows_rq__avx512vnni(size_t channels, size_t taps, size_t npix, const int8_t *const *in,
                                                const size_t *step, const void *packed, int8_t *y,
                                                const struct tflc_uk_rq_s8 *rq) {
    rows(channels, taps, npix, in, step, packed, y, NULL, rq);
}

/* ---- 3 x 3, dilation 1, strides 1 and 2: sliding columns ----
 * A lane's 4 bytes are the 3 rows of one input column (and a zero weight), so the interleaved
 * column is the same for every output pixel whose window covers it: stride 1 builds one new
 * column per pixel (8 unpacks and 3 loads instead of 24 and 9), stride 2 two, and each pixel
 * takes 3 columns x 4 vpdpbusd against the column-major weights of the second layout. Columns
 * outside [0, in_w) read the zp_x row, so a call covers a whole output row, edges included. */

struct col {
    __m256i q0, q1, q2, q3;
};

static inline __attribute__((always_inline)) struct col column(const int8_t *const *rows, const size_t *cstep,
                                                               int64_t col, size_t in_w, const int8_t *zrow, size_t c0,
                                                               bool full, __mmask32 mk) {
    const __m256i flip = _mm256_set1_epi8((char)0x80);
    const bool inside = col >= 0 && (uint64_t)col < in_w; /* else a padding column: zp_x in every row */
    __m256i x[3];
    for (int r = 0; r < 3; r++) {
        const int8_t *src = (inside ? rows[r] + (size_t)col * cstep[r] : zrow) + c0;
        x[r] = _mm256_xor_si256(
            full ? _mm256_loadu_si256((const __m256i *)(const void *)src) : _mm256_maskz_loadu_epi8(mk, src), flip);
    }
    const __m256i l01 = _mm256_unpacklo_epi8(x[0], x[1]), h01 = _mm256_unpackhi_epi8(x[0], x[1]);
    const __m256i l22 = _mm256_unpacklo_epi8(x[2], x[2]), h22 = _mm256_unpackhi_epi8(x[2], x[2]);
    struct col c;
    c.q0 = _mm256_unpacklo_epi16(l01, l22);
    c.q1 = _mm256_unpackhi_epi16(l01, l22);
    c.q2 = _mm256_unpacklo_epi16(h01, h22);
    c.q3 = _mm256_unpackhi_epi16(h01, h22);
    return c;
}

static inline __attribute__((always_inline)) void block3(size_t channels, size_t c0, size_t n, size_t npix,
                                                         size_t stride, const int8_t *const *rows, const size_t *cstep,
                                                         int64_t x0, size_t in_w, const int8_t *zrow, const uint8_t *bp,
                                                         int8_t *y, const struct tflc_uk_rq_s8 *rq,
                                                         const struct tflc_rq16_k *rk0, int mode) {
    struct tflc_rq16_k rkv = *rk0;
    rkv.mode = mode;
    const struct tflc_rq16_k *rk = &rkv;
    const __mmask32 mk = n >= 32 ? ~(__mmask32)0 : (((__mmask32)1 << n) - 1);
    const bool full = n == CB;
    struct tflc_rq16_c qlo, qhi;
    rq_params(rq, c0, n, &qlo, &qhi);
    const __m256i *b = (const __m256i *)(const void *)bp, *wv = b + 4;
#define COL(i) column(rows, cstep, x0 + (int64_t)(i), in_w, zrow, c0, full, mk)
    struct col ca = COL(0), cb;
    if (stride == 1) cb = COL(1);
    for (size_t p = 0; p < npix; p++) {
        struct col cc;
        if (stride == 1) {
            cc = COL(p + 2);
        } else {
            cb = COL(2 * p + 1);
            cc = COL(2 * p + 2);
        }
        __m256i a0 = _mm256_load_si256(b), a1 = _mm256_load_si256(b + 1);
        __m256i a2 = _mm256_load_si256(b + 2), a3 = _mm256_load_si256(b + 3);
        a0 = dpbusd_m(a0, ca.q0, wv), a1 = dpbusd_m(a1, ca.q1, wv + 1);
        a2 = dpbusd_m(a2, ca.q2, wv + 2), a3 = dpbusd_m(a3, ca.q3, wv + 3);
        a0 = dpbusd_m(a0, cb.q0, wv + 4), a1 = dpbusd_m(a1, cb.q1, wv + 5);
        a2 = dpbusd_m(a2, cb.q2, wv + 6), a3 = dpbusd_m(a3, cb.q3, wv + 7);
        a0 = dpbusd_m(a0, cc.q0, wv + 8), a1 = dpbusd_m(a1, cc.q1, wv + 9);
        a2 = dpbusd_m(a2, cc.q2, wv + 10), a3 = dpbusd_m(a3, cc.q3, wv + 11);
        store_rq(a0, a1, a2, a3, &qlo, &qhi, rk, y + p * channels + c0, full, mk);
        if (stride == 1) {
            ca = cb;
            cb = cc;
        } else {
            ca = cc;
        }
    }
#undef COL
}

void tflc_uk_dwconv_s8_32c4_3x3_rq__avx512vnni(size_t channels, size_t npix, size_t stride, const int8_t *const *rows,
                                               const size_t *col_step, int64_t x0, size_t in_w, const int8_t *zrow,
                                               const void *packed, int8_t *y, const struct tflc_uk_rq_s8 *rq) {
    struct tflc_rq16_k rk = tflc_rq16_k_init(rq);
    const size_t blocks = (channels + CB - 1) / CB;
    const uint8_t *bp = (const uint8_t *)packed + blocks * block_bytes(9);
    for (size_t c0 = 0; c0 < channels; c0 += CB, bp += BLOCK3_BYTES) {
        const size_t n = channels - c0 < CB ? channels - c0 : CB;
        if (rq->mode == TFLC_UK_RQ_FP32) {
            if (stride == 1)
                block3(channels, c0, n, npix, 1, rows, col_step, x0, in_w, zrow, bp, y, rq, &rk, TFLC_UK_RQ_FP32);
            else
                block3(channels, c0, n, npix, 2, rows, col_step, x0, in_w, zrow, bp, y, rq, &rk, TFLC_UK_RQ_FP32);
        } else {
            block3(channels, c0, n, npix, stride, rows, col_step, x0, in_w, zrow, bp, y, rq, &rk, rq->mode);
        }
    }
}
