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
typedef void (*tflc_uk_gemm_f32_fn)(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride,
                                    const float *w, float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p);

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
void tflc_uk_igemm_f32_7x32__avx512(size_t mr, size_t nc, size_t ks, size_t kseg, const float *const *a,
                                    const float *w, float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_dwconv_f32_32__avx512(size_t channels, size_t pixels, size_t taps, const float *const *in,
                                   const float *w, float *y, size_t y_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_vadd_f32__avx2(size_t n, const float *a, const float *b, float *y, const struct tflc_uk_f32_minmax *p);
void tflc_uk_vadd_f32__avx512(size_t n, const float *a, const float *b, float *y, const struct tflc_uk_f32_minmax *p);

/* Per-ISA fillers (each defined in its directory; called by select.c only). */
void tflc_ukernels_fill__ref(struct tflc_ukernels *uk);
void tflc_ukernels_fill__avx2(struct tflc_ukernels *uk);
void tflc_ukernels_fill__avx512(struct tflc_ukernels *uk);
void tflc_ukernels_fill__avx512vnni(struct tflc_ukernels *uk);
void tflc_ukernels_fill__neon(struct tflc_ukernels *uk);
void tflc_ukernels_fill__neondot(struct tflc_ukernels *uk);

#endif
