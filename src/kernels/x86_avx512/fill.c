/* The AVX-512 (F/BW/DQ/VL) microkernel table: select.c fills the AVX2 table first, so only
 * the entries with an AVX-512 version are overridden here. */
#include "kernels/ukernel.h"

void tflc_ukernels_fill__avx512(struct tflc_ukernels *uk) {
    /* ---- float32 (gemm_f32_7x32.c, igemm_f32_7x32.c, dwconv_f32_32.c, vadd_f32.c) ---- */
    uk->gemm_f32 = tflc_uk_gemm_f32_7x32__avx512;
    uk->gemm_f32_mr = 7;
    uk->gemm_f32_nr = 32;
    uk->igemm_f32 = tflc_uk_igemm_f32_7x32__avx512;
    uk->dwconv_f32 = tflc_uk_dwconv_f32_32__avx512;
    uk->dwconv_f32_cb = 32;
    uk->vadd_f32 = tflc_uk_vadd_f32__avx512;
}
