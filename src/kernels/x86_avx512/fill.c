/* The AVX-512 (F/BW/DQ/VL) microkernel table entries; the table starts from AVX2's (select.c). */
#include "kernels/ukernels_s8.h"

void tflc_ukernels_fill__avx512(struct tflc_ukernels *uk) {
    /* ---- int8 (AVX2's gemm_s8 stays) ---- */
    uk->requant_s8 = tflc_uk_requant_s8__avx512;
    uk->dwconv_s8.packed_bytes = tflc_uk_dwconv_s8_32c_packed_bytes__avx512;
    uk->dwconv_s8.pack = tflc_uk_dwconv_s8_32c_pack__avx512;
    uk->dwconv_s8.run = tflc_uk_dwconv_s8_32c__avx512;
    uk->dwconv_s8.run_rq = tflc_uk_dwconv_s8_32c_rq__avx512;
    /* ---- end int8 ---- */
}
