/* The AVX2 + FMA microkernel table (the AVX-512 tables start from it, select.c). */
#include "kernels/ukernel.h"
#include "kernels/ukernels_s8.h"

void tflc_ukernels_fill__avx2(struct tflc_ukernels *uk) {
    /* ---- float32 (gemm_f32_6x16.c, igemm_f32_6x16.c, dwconv_f32_16.c, vadd_f32.c) ---- */
    uk->gemm_f32 = tflc_uk_gemm_f32_6x16__avx2;
    uk->gemm_f32_mr = 6;
    uk->gemm_f32_nr = 16;
    uk->igemm_f32 = tflc_uk_igemm_f32_6x16__avx2;
    uk->dwconv_f32 = tflc_uk_dwconv_f32_16__avx2;
    uk->dwconv_f32_cb = 16;
    uk->vadd_f32 = tflc_uk_vadd_f32__avx2;
    uk->vadd_s8 = tflc_uk_vadd_s8__avx2; /* vadd_s8.c */
    /* ---- int8 (gemm_s8, dwconv_s8, requant_s8) ---- */
    uk->gemm_s8.mr = 4;
    uk->gemm_s8.nr = 16;
    uk->gemm_s8.packed_bytes = tflc_uk_gemm_s8_4x16c2_packed_bytes__avx2;
    uk->gemm_s8.pack = tflc_uk_gemm_s8_4x16c2_pack__avx2;
    uk->gemm_s8.run = tflc_uk_gemm_s8_4x16c2__avx2;
    uk->dwconv_s8.packed_bytes = tflc_uk_dwconv_s8_16c_packed_bytes__avx2;
    uk->dwconv_s8.pack = tflc_uk_dwconv_s8_16c_pack__avx2;
    uk->dwconv_s8.run = tflc_uk_dwconv_s8_16c__avx2;
    uk->requant_s8 = tflc_uk_requant_s8__avx2;
    /* ---- end int8 ---- */
}
