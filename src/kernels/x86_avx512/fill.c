/* The AVX-512 (F/BW/DQ/VL) microkernel table: select.c fills the AVX2 table first, so only
 * the entries with an AVX-512 version are overridden here. */
#include "kernels/ukernel.h"
#include "kernels/ukernels_s8.h"

void tflc_ukernels_fill__avx512(struct tflc_ukernels *uk) {
    /* ---- float32 (gemm_f32_7x32.c, igemm_f32_7x32.c, dwconv_f32_32.c, vadd_f32.c) ---- */
    uk->gemm_f32 = tflc_uk_gemm_f32_7x32__avx512;
    uk->gemm_f32_mr = 7;
    uk->gemm_f32_nr = 32;
    uk->igemm_f32 = tflc_uk_igemm_f32_7x32__avx512;
    uk->dwconv_f32 = tflc_uk_dwconv_f32_32__avx512;
    uk->dwconv_f32_cb = 32;
    uk->vadd_f32 = tflc_uk_vadd_f32__avx512;
    /* ---- int8 (AVX2's gemm_s8 stays) ---- */
    uk->requant_s8 = tflc_uk_requant_s8__avx512;
    uk->dwconv_s8.packed_bytes = tflc_uk_dwconv_s8_32c_packed_bytes__avx512;
    uk->dwconv_s8.pack = tflc_uk_dwconv_s8_32c_pack__avx512;
    uk->dwconv_s8.run = tflc_uk_dwconv_s8_32c__avx512;
    uk->dwconv_s8.run_rq = tflc_uk_dwconv_s8_32c_rq__avx512;
    /* ---- end int8 ---- */
}
