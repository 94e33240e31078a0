/* The AVX-512 (F/BW/DQ/VL) microkernel table entries; the table starts from AVX2's (select.c). */
#include "kernels/ukernels_s8.h"

void tflc_ukernels_fill__avx512(struct tflc_ukernels *uk) {
    /* ---- int8 (AVX2's gemm_s8 and dwconv_s8 stay) ---- */
    uk->requant_s8 = tflc_uk_requant_s8__avx512;
    /* ---- end int8 ---- */
}
