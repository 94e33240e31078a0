/* AArch64 NEON microkernels (this directory, compiled only for AArch64; select.c puts them in
 * the TFLC_ISA_NEON table through tflc_ukernels_fill__neon). Contracts: kernels/ukernel.h. */
#ifndef TFLC_KERNELS_ARM_NEON_UKERNELS_NEON_H
#define TFLC_KERNELS_ARM_NEON_UKERNELS_NEON_H

#include "kernels/ukernel.h"

void tflc_uk_gemm_f32_6x8__neon(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride, const float *w,
                                float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_igemm_f32_6x8__neon(size_t mr, size_t nc, size_t ks, size_t kseg, const float *const *a, const float *w,
                                 float *c, size_t c_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_dwconv_f32_8__neon(size_t channels, size_t pixels, size_t taps, const float *const *in, const float *w,
                                float *y, size_t y_stride, const struct tflc_uk_f32_minmax *p);
void tflc_uk_vadd_f32__neon(size_t n, const float *a, const float *b, float *y, const struct tflc_uk_f32_minmax *p);

/* int8: requant_s8.c, gemm_s8_4x16.c (vmlal_laneq_s16), dwconv_s8_16c.c (vmull_s8 + vaddw). */
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

#endif
