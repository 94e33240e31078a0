/* The AVX-512 VNNI microkernel table entries; the table starts from AVX-512's (select.c). */
#include "kernels/ukernels_s8.h"

void tflc_ukernels_fill__avx512vnni(struct tflc_ukernels *uk) {
    /* ---- int8 ---- */
    uk->gemm_s8.mr = 8;
    uk->gemm_s8.nr = 32;
    uk->gemm_s8.packed_bytes = tflc_uk_gemm_s8_8x32c4_packed_bytes__avx512vnni;
    uk->gemm_s8.pack = tflc_uk_gemm_s8_8x32c4_pack__avx512vnni;
    uk->gemm_s8.run = tflc_uk_gemm_s8_8x32c4__avx512vnni;
    uk->gemm_s8.run_rq = tflc_uk_gemm_s8_8x32c4_rq__avx512vnni;
    /* dwconv_s8: AVX-512's 32c packing with vpdpwssd. (A 64-channel vpdpbusd variant, 4 taps per
     * lane, measured no faster on MobileNetV2: its 96/144-channel layers waste a quarter of the
     * 64-wide blocks.) */
    uk->dwconv_s8.run = tflc_uk_dwconv_s8_32c__avx512vnni;
    uk->dwconv_s8.run_rq = tflc_uk_dwconv_s8_32c_rq__avx512vnni;
    /* ---- end int8 ---- */
}
