/* AArch64 NEON microkernels (this directory, compiled only for AArch64; select.c puts them in
 * the TFLC_ISA_NEON table through tflc_ukernels_fill__neon). Contracts: kernels/ukernel.h. The
 * int8 ones are declared with every ISA's in kernels/ukernels_s8.h. */
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

#endif
