/* The AVX-512 (F/BW/DQ/VL) microkernel table entries; the table starts from AVX2's (select.c). */
#include "kernels/ukernel.h"

void tflc_ukernels_fill__avx512(struct tflc_ukernels *uk) {
    /* ---- int8: AVX2's gemm_s8 / dwconv_s8 / requant_s8 stay (no AVX-512-only variants yet) ---- */
    (void)uk;
    /* ---- end int8 ---- */
}
