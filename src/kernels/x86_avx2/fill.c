/* The AVX2 (+FMA) microkernel table entries (select.c calls this after the reference fill). */
#include "kernels/ukernels_s8.h"

void tflc_ukernels_fill__avx2(struct tflc_ukernels *uk) {
    /* ---- int8 (gemm_s8, dwconv_s8, requant_s8) ---- */
    uk->gemm_s8.mr = 4;
    uk->gemm_s8.packed_bytes = tflc_uk_gemm_s8_4x16c2_packed_bytes__avx2;
    uk->gemm_s8.pack = tflc_uk_gemm_s8_4x16c2_pack__avx2;
    uk->gemm_s8.run = tflc_uk_gemm_s8_4x16c2__avx2;
    uk->dwconv_s8.packed_bytes = tflc_uk_dwconv_s8_16c_packed_bytes__avx2;
    uk->dwconv_s8.pack = tflc_uk_dwconv_s8_16c_pack__avx2;
    uk->dwconv_s8.run = tflc_uk_dwconv_s8_16c__avx2;
    uk->requant_s8 = tflc_uk_requant_s8__avx2;
    /* ---- end int8 ---- */
}
