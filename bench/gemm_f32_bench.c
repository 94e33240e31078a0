/* gemm_f32_bench: GFLOP/s of the float32 GEMM microkernel this CPU gets (the table
 * tflc_isa_best() picks, or TFLC_ISA=...), on given K x N x M shapes, with its operands hot in
 * cache and cold (a 64 MiB buffer is walked before every repetition, so the weights and the
 * activations come from DRAM as they do inside a large model). Tiles are visited as
 * tflc_f32_gemm_direct visits them for one chunk: column blocks outside, row tiles inside.
 *
 *   gemm_f32_bench [K N M ...]      default: MobileNetV2's float 1x1 shapes listed below
 *
 * Prints one line per shape and state. A benchmark, not a test: it checks nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels/ukernel.h"
#include "tflc/runtime.h"

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double run(const struct tflc_ukernels *uk, size_t k, size_t n, size_t m, bool cold) {
    const size_t mr = uk->gemm_f32_mr, nr = uk->gemm_f32_nr, nb = (n + nr - 1) / nr;
    float *a = aligned_alloc(64, (m * k * sizeof(float) + 63) / 64 * 64);
    float *w = aligned_alloc(64, (nb * nr * (k + 1) * sizeof(float) + 63) / 64 * 64);
    float *c = aligned_alloc(64, (m * n * sizeof(float) + 63) / 64 * 64);
    const size_t flush_bytes = (size_t)64 << 20;
    unsigned char *flush = cold ? malloc(flush_bytes) : NULL;
    if (!a || !w || !c || (cold && !flush)) {
        fprintf(stderr, "gemm_f32_bench: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < m * k; i++) a[i] = (float)(i % 7) * 0.125f;
    for (size_t i = 0; i < nb * nr * (k + 1); i++) w[i] = (float)(i % 5) * 0.0625f;
    if (flush) memset(flush, 0, flush_bytes);
    const struct tflc_uk_f32_minmax mm = {0.0f, 6.0f};
    double best = 1e30;
    for (int rep = 0; rep < 40; rep++) {
        if (flush)
            for (size_t i = 0; i < flush_bytes; i += 64) flush[i]++;
        const double t0 = now_s();
        for (size_t b = 0; b < nb; b++) {
            const size_t n0 = b * nr, nc = n - n0 < nr ? n - n0 : nr;
            for (size_t m0 = 0; m0 < m; m0 += mr)
                uk->gemm_f32(m - m0 < mr ? m - m0 : mr, nc, k, a + m0 * k, k, w + b * nr * (k + 1), c + m0 * n + n0, n,
                             &mm);
        }
        const double t = now_s() - t0;
        if (t < best) best = t;
    }
    free(a);
    free(w);
    free(c);
    free(flush);
    return 2.0 * (double)m * (double)n * (double)k / best * 1e-9;
}

int main(int argc, char **argv) {
    /* K N M of MobileNetV2-224's float 1x1 layers: expand at 112x112, a 24-channel projection,
     * 14x14 expand and projection, the 7x7 expand and the last 1x1; one long-K shape for the
     * kernel's peak */
    static const size_t dflt[][3] = {{16, 96, 12544}, {144, 24, 3136}, {96, 576, 196},
                                     {576, 96, 196},  {160, 960, 49},  {320, 1280, 49}, {256, 64, 70}};
    enum tflc_isa isa = tflc_isa_best();
    const char *e = getenv("TFLC_ISA");
    if (e && *e && !tflc_isa_parse(e, &isa)) {
        fprintf(stderr, "gemm_f32_bench: unknown TFLC_ISA '%s'\n", e);
        return 2;
    }
    const struct tflc_ukernels *uk = tflc_ukernels_get(isa);
    if (!uk || !uk->gemm_f32 || !tflc_isa_supported(isa)) {
        fprintf(stderr, "gemm_f32_bench: no float32 GEMM microkernel for ISA %s here\n", tflc_isa_name(isa));
        return 2;
    }
    if (argc > 1 && (argc - 1) % 3) {
        fprintf(stderr, "usage: gemm_f32_bench [K N M ...]\n");
        return 2;
    }
    printf("isa %s, tile %ux%u; GFLOP/s = 2*M*N*K / fastest of 40 repetitions\n", tflc_isa_name(isa),
           uk->gemm_f32_mr, uk->gemm_f32_nr);
    const size_t nshapes = argc > 1 ? (size_t)(argc - 1) / 3 : sizeof dflt / sizeof dflt[0];
    for (size_t s = 0; s < nshapes; s++) {
        size_t k, n, m;
        if (argc > 1) {
            k = strtoul(argv[1 + 3 * s], NULL, 10);
            n = strtoul(argv[2 + 3 * s], NULL, 10);
            m = strtoul(argv[3 + 3 * s], NULL, 10);
        } else {
            k = dflt[s][0];
            n = dflt[s][1];
            m = dflt[s][2];
        }
        if (!k || !n || !m || k > 65536 || n > 65536 || m > (1u << 24)) {
            fprintf(stderr, "gemm_f32_bench: bad shape %zu %zu %zu\n", k, n, m);
            return 2;
        }
        printf("K %5zu N %5zu M %6zu: hot %6.1f GFLOP/s, cold %6.1f GFLOP/s\n", k, n, m, run(uk, k, n, m, false),
               run(uk, k, n, m, true));
    }
    return 0;
}
