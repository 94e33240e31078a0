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
    /* dwconv_s8: vpdpbusd on 4 taps per lane, 32 channels per ymm block, rows of pixels per call
     * (dwconv_s8_32c4.c; MobileNetV2 int8 depthwise layers 1.09 -> 0.78 ms, 1 thread, against the
     * per-pixel AVX-512 32c vpdpwssd kernel); 3 x 3 at stride 1 / 2 slides interleaved input
     * columns along a whole output row, edges included (run_3x3_rq: 0.80 -> 0.53 ms more). */
    uk->dwconv_s8.packed_bytes = tflc_uk_dwconv_s8_32c4_packed_bytes__avx512vnni;
    uk->dwconv_s8.pack = tflc_uk_dwconv_s8_32c4_pack__avx512vnni;
    uk->dwconv_s8.run = tflc_uk_dwconv_s8_32c4__avx512vnni;
    uk->dwconv_s8.run_rq = tflc_uk_dwconv_s8_32c4_rq__avx512vnni;
    uk->dwconv_s8.run_rows_rq = tflc_uk_dwconv_s8_32c4_rows_rq__avx512vnni;
    uk->dwconv_s8.run_3x3_rq = tflc_uk_dwconv_s8_32c4_3x3_rq__avx512vnni;
    /* ---- end int8 ---- */
}
