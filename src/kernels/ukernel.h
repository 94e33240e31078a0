/* Microkernels: the optimized inner loops the ops call (XNNPACK's operator / microkernel
 * split). Ops (src/kernels/ref/<op>.c) own everything else: validation, geometry, weight
 * packing at prepare, requantization parameters, and cutting the work into tasks.
 *
 * One table, struct tflc_ukernels, holds a function pointer per microkernel family. The
 * table for an ISA starts as the portable reference versions (ref_ukernels.c, or NULL where
 * an op keeps its own reference loop) and each ISA directory overwrites the entries it
 * implements:
 *   src/kernels/x86_avx2/       compiled with -mavx2 -mfma            (TFLC_ISA_AVX2)
 *   src/kernels/x86_avx512/     + -mavx512f -mavx512bw -mavx512dq -mavx512vl (TFLC_ISA_AVX512)
 *   src/kernels/x86_vnni/       + -mavx512vnni                         (TFLC_ISA_AVX512VNNI)
 *   src/kernels/arm_neon/       AArch64 base                           (TFLC_ISA_NEON)
 *   src/kernels/arm_dotprod/    -march=armv8.2-a+dotprod               (TFLC_ISA_NEON_DOT)
 * An ISA implies the ones before it in its family, so the AVX-512 table starts from the
 * AVX2 one. select.c is the only ISA-aware dispatch code; nothing else has ISA #ifdefs.
 *
 * Names: tflc_uk_<family>_<dtype>_<tile>__<isa> (everything after "__" is "how").
 * Every entry is tested against the reference (tests/kernels/test_ukernels.c): int8
 * bit-exact, float within the tolerance stated there. */
#ifndef TFLC_KERNELS_UKERNEL_H
#define TFLC_KERNELS_UKERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tflc/runtime.h"

/* ---- float32 families (gemm_f32, dwconv_f32) ---- */

/* Output clamp of the float microkernels (the fused activation; +-inf for none). */
struct tflc_uk_f32_minmax {
    float min, max;
};

/* gemm_f32 (MR x NR register tile): for m < mr (1..MR) and n < nc (any count >= 1),
 *   c[m * c_stride + n] = clamp(w_bias[n] + sum_{k < kc} a[m * a_stride + k] * W[k, n], min, max)
 * with the sum in k order (one FMA per term). Strides are in elements; kc >= 1.
 * `w` is packed by tflc_f32_pack_gemm (kernels/ref/f32_fast.h): per block of NR columns,
 * NR biases then kc rows of NR weights, the last block zero-padded to NR. The kernel reads
 * only valid rows of `a` (rows past mr are never touched) and writes only c[m, n < nc]. */
typedef void (*tflc_uk_gemm_f32_fn)(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride, const float *w,
                                    float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p);

/* igemm_f32 (indirect gemm, same tile and packing as gemm_f32): row m of A is the
 * concatenation of ks segments of kseg floats at a[m * ks + s] (s < ks), kc = ks * kseg:
 *   c[m * c_stride + n] = clamp(w_bias[n] + sum_{s, k} a[m * ks + s][k] * W[s * kseg + k, n], min, max)
 * Convolutions point the segments at the window rows inside the input (no im2col copy). */
typedef void (*tflc_uk_igemm_f32_fn)(size_t mr, size_t nc, size_t ks, size_t kseg, const float *const *a,
                                     const float *w, float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p);

/* dwconv_f32 (channel block CB): depthwise convolution of `pixels` output pixels with `taps`
 * filter taps each (taps >= 1):
 *   y[p * y_stride + ch] = clamp(w_bias[ch] + sum_{t < taps} in[p * taps + t][ch] * W[t, ch], min, max)
 * for ch < channels, sum in tap order. `in` is an indirection buffer: each entry points at the
 * channel 0 of an input pixel, or at a zero row of >= channels floats for padding taps.
 * `w` is packed by tflc_f32_pack_dwconv: per block of CB channels, CB biases then taps rows
 * of CB weights, the last block zero-padded to CB. Reads in[..][ch] only for ch < channels. */
typedef void (*tflc_uk_dwconv_f32_fn)(size_t channels, size_t pixels, size_t taps, const float *const *in,
                                      const float *w, float *y, size_t y_stride, const struct tflc_uk_f32_minmax *p);

/* vadd_f32: y[i] = clamp(a[i] + b[i], min, max) for i < n (n >= 1); bit-exact with the
 * scalar float sum and clamp. y may be a or b (exact aliasing), not a partial overlap. */
typedef void (*tflc_uk_vadd_f32_fn)(size_t n, const float *a, const float *b, float *y,
                                    const struct tflc_uk_f32_minmax *p);

/* vadd_s8, XNNPACK's int8 ADD/SUB recipe (binary_util.h, tflc_addsub_xnn_init): for i < n (n >= 1)
 *   y[i] = clamp(asr(bias + a[i] * a_mult + b[i] * b_mult, shift) + zp, lo, hi)
 * in int32 (the parameters keep every term within int32), asr = arithmetic shift right
 * (floor). Bit-exact with the reference; y may alias a or b exactly. */
struct tflc_uk_vadd_s8_params {
    int32_t bias, a_mult, b_mult;
    int32_t shift;      /* 1..31 */
    int32_t zp, lo, hi; /* -128 <= lo <= hi <= 127 */
};
typedef void (*tflc_uk_vadd_s8_fn)(size_t n, const int8_t *a, const int8_t *b, int8_t *y,
                                   const struct tflc_uk_vadd_s8_params *p);
/* ---- int8 (s8) families: CONV_2D and FULLY_CONNECTED (gemm_s8), DEPTHWISE_CONV_2D (dwconv_s8),
 * and the requantization of their int32 accumulators (requant_s8). Integer accumulation is exact
 * (int32, wrapping as the reference kernels' wrap32), so results are bit-identical to the
 * reference kernels whatever the tiling. ---- */

/* Requantization modes; the values equal enum tflc_conv_rq_mode's (kernels/ref/conv_util.h). */
enum tflc_uk_rq_mode {
    TFLC_UK_RQ_TFLITE, /* MultiplyByQuantizedMultiplier: saturating left shift, SRDHM, rounding right shift */
    TFLC_UK_RQ_SINGLE, /* floor((acc * mult + 2^(30 - shift)) / 2^(31 - shift)), saturated (ruy) */
    TFLC_UK_RQ_FP32,   /* round_half_even(clamp((float)acc * scale, lo - zp, hi - zp)) (XNNPACK) */
    TFLC_UK_RQ_COUNT
};

/* Per-channel requantization of int32 accumulators to int8: y[i] = clamp(rq(acc[i]) + zp, lo, hi)
 * with channel i's parameters (all arrays borrowed, indexed from the row's channel 0). */
struct tflc_uk_rq_s8 {
    int mode;             /* enum tflc_uk_rq_mode */
    const int32_t *mult;  /* [n] Q31 multipliers in [0, 2^31) (TFLITE, SINGLE) */
    const int32_t *shift; /* [n] exponents in [-31, 30] (TFLITE, SINGLE) */
    const float *scale;   /* [n] float scales, finite and > 0 (FP32) */
    int32_t zp;           /* output zero point in [-128, 127] */
    int32_t lo, hi;       /* clamp, -128 <= lo <= hi <= 127 */
};

/* y[i] = requantized acc[i] for i < n (no alignment needed; reads and writes exactly n). */
typedef void (*tflc_uk_requant_s8_fn)(size_t n, const int32_t *acc, int8_t *y, const struct tflc_uk_rq_s8 *p);

/* GEMM over weights packed at prepare: acc[m * acc_stride + j] = bias'[j] + sum_k a[m][k] * w[j][k]
 * for m < mr <= MR, j < nc, where bias'[j] = bias[j] - zp_x * sum_k w[j][k] (int32, wrapping) so
 * acc equals the reference's bias[j] + sum_k w[j][k] * (a[m][k] - zp_x). `a` holds MR row
 * pointers (rows past mr may repeat a valid row; their results are not stored); each row is read
 * for exactly kc bytes. 1x1 convolutions pass input pixels as rows, k x k ones im2col rows. */
struct tflc_uk_gemm_s8 {
    size_t mr; /* rows per call (MR) */
    /* Packed column block (NR): the packed weights are ceil(nc / nr) blocks of packed_bytes(nr, kc)
     * bytes, so columns [n0, n0 + k * nr) are a run of the blocks from n0 / nr (0: no splitting). */
    size_t nr;
    size_t (*packed_bytes)(size_t nc, size_t kc); /* size of the packed weights */
    /* Packs w [nc][kc] (row stride kc) and bias [nc] (NULL: zeros) for input zero point zp_x. */
    void (*pack)(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zp_x, void *packed);
    void (*run)(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed, int32_t *acc,
                size_t acc_stride);
    /* Optional (NULL: run + requant_s8): run with the requantization fused, writing
     * y[m * y_stride + j] = requant_s8(acc[m][j]) for m < mr, j < nc; acc (MR x acc_stride) is
     * scratch for kernels that need several passes over kc. */
    void (*run_rq)(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed, int32_t *acc,
                   size_t acc_stride, int8_t *y, size_t y_stride, const struct tflc_uk_rq_s8 *rq);
};

/* Depthwise multiply-accumulate over packed per-channel taps: acc[c] = bias'[c] + sum_t in[t][c] * w[t][c]
 * for c < channels, with bias'[c] = bias[c] - zp_x * sum_t w[t][c]: taps outside the input must
 * point at a row of zp_x bytes (then they contribute nothing, as the reference's omitted taps).
 * in[t] points at a pixel's channel 0; exactly `channels` bytes are read from each. */
struct tflc_uk_dwconv_s8 {
    size_t (*packed_bytes)(size_t channels, size_t taps);
    /* Packs w [taps][channels] (TFLite's [1, kh, kw, C]) and bias [channels] (NULL: zeros). */
    void (*pack)(size_t channels, size_t taps, const int8_t *w, const int32_t *bias, int32_t zp_x, void *packed);
    void (*run)(size_t channels, size_t taps, const int8_t *const *in, const void *packed, int32_t *acc);
    /* Optional (NULL: run + requant_s8): y[c] = requant_s8(acc[c]) with the requantization fused. */
    void (*run_rq)(size_t channels, size_t taps, const int8_t *const *in, const void *packed, int8_t *y,
                   const struct tflc_uk_rq_s8 *rq);
    /* Optional (NULL: run_rq per pixel): npix pixels of a row, pixel p's tap t at in[t] + p * step[t]
     * (step 0 for a tap on the row of zp_x bytes), y[p * channels + c] = run_rq's y[c] of pixel p.
     * Kernels load each channel block's weights and requantization parameters once per call. */
    void (*run_rows_rq)(size_t channels, size_t taps, size_t npix, const int8_t *const *in, const size_t *step,
                        const void *packed, int8_t *y, const struct tflc_uk_rq_s8 *rq);
    /* Optional (NULL: the above): a 3 x 3 window (taps == 9, dilation 1) at stride 1 or 2 over npix
     * pixels of a row: output pixel p's tap (ky, kx) reads input column c = x0 + p * stride + kx
     * at rows[ky] + c * col_step[ky] (col_step = channels, or 0 with rows[ky] the row of zp_x
     * bytes), or zrow (channels bytes of zp_x) when c is outside [0, in_w); y as run_rows_rq.
     * packed from pack(channels, 9, ...). */
    void (*run_3x3_rq)(size_t channels, size_t npix, size_t stride, const int8_t *const *rows, const size_t *col_step,
                       int64_t x0, size_t in_w, const int8_t *zrow, const void *packed, int8_t *y,
                       const struct tflc_uk_rq_s8 *rq);
};

struct tflc_ukernels {
    enum tflc_isa isa;
    /* Families are added here, each with its contract documented next to it. */

    /* float32 (NULL: the ops keep their reference loops). */
    tflc_uk_gemm_f32_fn gemm_f32;     /* tile gemm_f32_mr x gemm_f32_nr */
    uint8_t gemm_f32_mr, gemm_f32_nr; /* rows per call (<= 16), packed column block (multiple of 8, <= 64) */
    tflc_uk_igemm_f32_fn igemm_f32;   /* same tile as gemm_f32 (set together with it) */
    tflc_uk_dwconv_f32_fn dwconv_f32; /* channel block dwconv_f32_cb */
    uint8_t dwconv_f32_cb;            /* packed channel block (multiple of 8, <= 64) */
    tflc_uk_vadd_f32_fn vadd_f32;
    tflc_uk_vadd_s8_fn vadd_s8;         /* NULL: int8 ADD/SUB keep their reference loops */
    struct tflc_uk_gemm_s8 gemm_s8;     /* run NULL: ops keep their reference loops */
    struct tflc_uk_dwconv_s8 dwconv_s8; /* run NULL: reference loop */
    tflc_uk_requant_s8_fn requant_s8;   /* NULL: the int8 families above are not used */
};

/* The table for `isa` (built once, then read-only; REF and AUTO give the reference table).
 * NULL when the build lacks that ISA. */
const struct tflc_ukernels *tflc_ukernels_get(enum tflc_isa isa);

/* The best ISA this CPU runs among those compiled in (TFLC_ISA_REF when none). */
enum tflc_isa tflc_isa_best(void);

/* True when this build compiled the microkernels of `isa` (REF: always). */
bool tflc_ukernels_built(enum tflc_isa isa);

/* float32 microkernels of each ISA directory (entries of the tables above). */
void tflc_uk_gemm_f32_6x16__avx2(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride, const float *w,
                                 float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_igemm_f32_6x16__avx2(size_t mr, size_t nc, size_t ks, size_t kseg, const float *const *a, const float *w,
                                  float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_dwconv_f32_16__avx2(size_t channels, size_t pixels, size_t taps, const float *const *in, const float *w,
                                 float *y, size_t y_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_gemm_f32_7x32__avx512(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride, const float *w,
                                   float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_igemm_f32_7x32__avx512(size_t mr, size_t nc, size_t ks, size_t kseg, const float *const *a, const float *w,
                                    float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_dwconv_f32_32__avx512(size_t channels, size_t pixels, size_t taps, const float *const *in, const float *w,
                                   float *y, size_t y_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_vadd_f32__avx2(size_t n, const float *a, const float *b, float *y, const struct tflc_uk_f32_minmax *p);
void tflc_uk_vadd_s8__avx2(size_t n, const int8_t *a, const int8_t *b, int8_t *y,
                           const struct tflc_uk_vadd_s8_params *p);
void tflc_uk_vadd_f32__avx512(size_t n, const float *a, const float *b, float *y, const struct tflc_uk_f32_minmax *p);

/* Per-ISA fillers (each defined in its directory; called by select.c only). */
void tflc_ukernels_fill__ref(struct tflc_ukernels *uk);
void tflc_ukernels_fill__avx2(struct tflc_ukernels *uk);
void tflc_ukernels_fill__avx512(struct tflc_ukernels *uk);
void tflc_ukernels_fill__avx512vnni(struct tflc_ukernels *uk);
void tflc_ukernels_fill__neon(struct tflc_ukernels *uk);
void tflc_ukernels_fill__neondot(struct tflc_ukernels *uk);

#endif
