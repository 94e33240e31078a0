/* The NEON dot-product table (TFLC_ISA_NEON_DOT): the NEON table (select.c fills it first)
 * with the SDOT GEMM; depthwise and requantization stay NEON's. */
#include "kernels/ukernels_s8.h"

void tflc_ukernels_fill__neondot(struct tflc_ukernels *uk) {
    /* ---- int8 (gemm_s8_4x16c4.c) ---- */
    uk->gemm_s8.mr = 4;
    uk->gemm_s8.nr = 16;
    uk->gemm_s8.packed_bytes = tflc_uk_gemm_s8_4x16c4_packed_bytes__neondot;
    uk->gemm_s8.pack = tflc_uk_gemm_s8_4x16c4_pack__neondot;
    uk->gemm_s8.run = tflc_uk_gemm_s8_4x16c4__neondot;
    uk->gemm_s8.run_rq = NULL;
}
