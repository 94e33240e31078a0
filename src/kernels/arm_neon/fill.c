/* The AArch64 NEON microkernel table (TFLC_ISA_NEON; the NEON_DOT table starts from it). */
#include "kernels/arm_neon/ukernels_neon.h"

void tflc_ukernels_fill__neon(struct tflc_ukernels *uk) {
    /* ---- float32 (gemm_f32_6x8.c, igemm_f32_6x8.c, dwconv_f32_8.c, vadd_f32.c) ---- */
    uk->gemm_f32 = tflc_uk_gemm_f32_6x8__neon;
    uk->gemm_f32_mr = 6;
    uk->gemm_f32_nr = 8;
    uk->igemm_f32 = tflc_uk_igemm_f32_6x8__neon;
    uk->dwconv_f32 = tflc_uk_dwconv_f32_8__neon;
    uk->dwconv_f32_cb = 8;
    uk->vadd_f32 = tflc_uk_vadd_f32__neon;
}
