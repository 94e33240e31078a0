/* The int8 microkernels of every ISA (families documented in ukernel.h), declared once for the
 * fill functions, the tests (tests/kernels/test_ukernels_s8.c) and the benches. */
#ifndef TFLC_KERNELS_UKERNELS_S8_H
#define TFLC_KERNELS_UKERNELS_S8_H

#include "kernels/ukernel.h"

/* x86 AVX2 (+FMA): vpmaddwd on sign-extended int16. */
void tflc_uk_requant_s8__avx2(size_t n, const int32_t *acc, int8_t *y, const struct tflc_uk_rq_s8 *p);
size_t tflc_uk_gemm_s8_4x16c2_packed_bytes__avx2(size_t nc, size_t kc);
void tflc_uk_gemm_s8_4x16c2_pack__avx2(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                       void *packed);
void tflc_uk_gemm_s8_4x16c2__avx2(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                  int32_t *acc, size_t acc_stride);
size_t tflc_uk_dwconv_s8_16c_packed_bytes__avx2(size_t channels, size_t taps);
void tflc_uk_dwconv_s8_16c_pack__avx2(size_t channels, size_t taps, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                      void *packed);
void tflc_uk_dwconv_s8_16c__avx2(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                 int32_t *acc);

/* x86 AVX-512 (F/BW/DQ/VL). */
void tflc_uk_requant_s8__avx512(size_t n, const int32_t *acc, int8_t *y, const struct tflc_uk_rq_s8 *p);
size_t tflc_uk_dwconv_s8_32c_packed_bytes__avx512(size_t channels, size_t taps);
void tflc_uk_dwconv_s8_32c_pack__avx512(size_t channels, size_t taps, const int8_t *w, const int32_t *bias,
                                        int32_t zp_x, void *packed);
void tflc_uk_dwconv_s8_32c__avx512(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                   int32_t *acc);
void tflc_uk_dwconv_s8_32c_rq__avx512(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                      int8_t *y, const struct tflc_uk_rq_s8 *rq);

/* x86 AVX-512 VNNI: vpdpbusd on x + 128 (uint8) x int8 weights. */
size_t tflc_uk_gemm_s8_8x32c4_packed_bytes__avx512vnni(size_t nc, size_t kc);
void tflc_uk_gemm_s8_8x32c4_pack__avx512vnni(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                             void *packed);
void tflc_uk_gemm_s8_8x32c4__avx512vnni(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                        int32_t *acc, size_t acc_stride);
void tflc_uk_gemm_s8_8x32c4_rq__avx512vnni(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                           int32_t *acc, size_t acc_stride, int8_t *y, size_t y_stride,
                                           const struct tflc_uk_rq_s8 *rq);
size_t tflc_uk_dwconv_s8_32c4_packed_bytes__avx512vnni(size_t channels, size_t taps);
void tflc_uk_dwconv_s8_32c4_pack__avx512vnni(size_t channels, size_t taps, const int8_t *w, const int32_t *bias,
                                             int32_t zp_x, void *packed);
void tflc_uk_dwconv_s8_32c4__avx512vnni(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                        int32_t *acc);
void tflc_uk_dwconv_s8_32c4_rq__avx512vnni(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                           int8_t *y, const struct tflc_uk_rq_s8 *rq);
void tflc_uk_dwconv_s8_32c4_3x3_rq__avx512vnni(size_t channels, size_t npix, size_t stride, const int8_t *const *rows,
                                               const size_t *col_step, int64_t x0, size_t in_w, const int8_t *zrow,
                                               const void *packed, int8_t *y, const struct tflc_uk_rq_s8 *rq);
void tflc_uk_dwconv_s8_32c4_rows_rq__avx512vnni(size_t channels, size_t taps, size_t npix, const int8_t *const *in,
                                                const size_t *step, const void *packed, int8_t *y,
                                                const struct tflc_uk_rq_s8 *rq);

/* AArch64 NEON: vmlal_laneq_s16 (gemm), vmull_s8 + vaddw (dwconv); src/kernels/arm_neon/. */
void tflc_uk_requant_s8__neon(size_t n, const int32_t *acc, int8_t *y, const struct tflc_uk_rq_s8 *p);
size_t tflc_uk_gemm_s8_4x16_packed_bytes__neon(size_t nc, size_t kc);
void tflc_uk_gemm_s8_4x16_pack__neon(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                     void *packed);
void tflc_uk_gemm_s8_4x16__neon(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                int32_t *acc, size_t acc_stride);
size_t tflc_uk_dwconv_s8_16c_packed_bytes__neon(size_t channels, size_t taps);
void tflc_uk_dwconv_s8_16c_pack__neon(size_t channels, size_t taps, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                      void *packed);
void tflc_uk_dwconv_s8_16c__neon(size_t channels, size_t taps, const int8_t *const *in, const void *packed,
                                 int32_t *acc);

/* AArch64 dot-product extension: SDOT on int8 x int8 (src/kernels/arm_dotprod/). */
size_t tflc_uk_gemm_s8_4x16c4_packed_bytes__neondot(size_t nc, size_t kc);
void tflc_uk_gemm_s8_4x16c4_pack__neondot(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                          void *packed);
void tflc_uk_gemm_s8_4x16c4__neondot(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                     int32_t *acc, size_t acc_stride);

#endif
