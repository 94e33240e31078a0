/* The AArch64 NEON microkernel table (TFLC_ISA_NEON; the NEON_DOT table starts from it). */
#include "kernels/arm_neon/ukernels_neon.h"
#include "kernels/ukernels_s8.h"

void tflc_ukernels_fill__neon(struct tflc_ukernels *uk) {
    /* ---- float32 (gemm_f32_6x8.c, igemm_f32_6x8.c, dwconv_f32_8.c, vadd_f32.c) ---- */
    uk->gemm_f32 = tflc_uk_gemm_f32_6x8__neon;
    uk->gemm_f32_mr = 6;
    uk->gemm_f32_nr = 8;
    uk->igemm_f32 = tflc_uk_igemm_f32_6x8__neon;
    uk->dwconv_f32 = tflc_uk_dwconv_f32_8__neon;
    uk->dwconv_f32_cb = 8;
    uk->vadd_f32 = tflc_uk_vadd_f32__neon;
    /* ---- int8 (gemm_s8_4x16.c, dwconv_s8_16c.c, requant_s8.c) ---- */
    uk->gemm_s8.mr = 4;
    uk->gemm_s8.nr = 16;
    uk->gemm_s8.packed_bytes = tflc_uk_gemm_s8_4x16_packed_bytes__neon;
    uk->gemm_s8.pack = tflc_uk_gemm_s8_4x16_pack__neon;
    uk->gemm_s8.run = tflc_uk_gemm_s8_4x16__neon;
    uk->dwconv_s8.packed_bytes = tflc_uk_dwconv_s8_16c_packed_bytes__neon;
    uk->dwconv_s8.pack = tflc_uk_dwconv_s8_16c_pack__neon;
    uk->dwconv_s8.run = tflc_uk_dwconv_s8_16c__neon;
    uk->requant_s8 = tflc_uk_requant_s8__neon;
}
