/* AArch64 microkernels using the dot-product extension (this directory, compiled with
 * -march=armv8.2-a+dotprod; select.c puts them in the TFLC_ISA_NEON_DOT table, which starts
 * from the NEON one, through tflc_ukernels_fill__neondot). Contracts: kernels/ukernel.h. */
#ifndef TFLC_KERNELS_ARM_DOTPROD_UKERNELS_NEONDOT_H
#define TFLC_KERNELS_ARM_DOTPROD_UKERNELS_NEONDOT_H

#include "kernels/ukernel.h"

size_t tflc_uk_gemm_s8_4x16c4_packed_bytes__neondot(size_t nc, size_t kc);
void tflc_uk_gemm_s8_4x16c4_pack__neondot(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zp_x,
                                          void *packed);
void tflc_uk_gemm_s8_4x16c4__neondot(size_t mr, size_t nc, size_t kc, const int8_t *const *a, const void *packed,
                                     int32_t *acc, size_t acc_stride);

#endif
