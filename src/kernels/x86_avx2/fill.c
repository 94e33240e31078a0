/* The AVX2 + FMA microkernel table (the AVX-512 tables start from it, select.c). */
#include "kernels/ukernel.h"

void tflc_ukernels_fill__avx2(struct tflc_ukernels *uk) {
    /* ---- float32 (gemm_f32_6x16.c, igemm_f32_6x16.c, dwconv_f32_16.c, vadd_f32.c) ---- */
    uk->gemm_f32 = tflc_uk_gemm_f32_6x16__avx2;
    uk->gemm_f32_mr = 6;
    uk->gemm_f32_nr = 16;
    uk->igemm_f32 = tflc_uk_igemm_f32_6x16__avx2;
    uk->dwconv_f32 = tflc_uk_dwconv_f32_16__avx2;
    uk->dwconv_f32_cb = 16;
    uk->vadd_f32 = tflc_uk_vadd_f32__avx2;
}
