/* Float32 fast paths of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and ADD: portable op
 * logic around the gemm_f32 / igemm_f32 / dwconv_f32 / vadd_f32 microkernels
 * (kernels/ukernel.h). Each *_fast_prepare is called by the op's prepare after it validated
 * everything and chose the float32 path; it takes the node (packs the constant weights into
 * the arena, requests scratch, sets node->data and node->eval, *taken = true) when the
 * interpreter's table has the microkernel and the shape fits, and otherwise leaves the node
 * to the reference loop (*taken = false).
 * Work is split into tasks with tflc_op_parallel; tasks write disjoint outputs and use their
 * own slice of the scratch, so results do not depend on the thread count.
 * Packing layouts (what the microkernels read):
 *   gemm:   per block of NR output columns: NR biases, then K rows of NR weights (zero padded);
 *   dwconv: per block of CB channels: CB biases, then taps rows of CB weights (zero padded). */
#ifndef TFLC_KERNELS_REF_F32_FAST_H
#define TFLC_KERNELS_REF_F32_FAST_H

#include "kernels/ref/conv_util.h"
#include "kernels/ukernel.h"

/* CONV_2D float32 with groups == 1; g is the op's geometry, [lo, hi] the activation clamp. */
enum tflc_status tflc_conv2d_fast_prepare(struct tflc_op_ctx *c, const struct tflc_conv_geom *g, float lo, float hi,
                                          bool *taken);
/* DEPTHWISE_CONV_2D float32 with depth multiplier 1. */
enum tflc_status tflc_depthwise_conv2d_fast_prepare(struct tflc_op_ctx *c, const struct tflc_conv_geom *g, float lo,
                                                    float hi, bool *taken);
/* FULLY_CONNECTED float32: x read as [batches, depth], weights [units, depth]. */
enum tflc_status tflc_fully_connected_fast_prepare(struct tflc_op_ctx *c, int32_t batches, int32_t depth, int32_t units,
                                                   float lo, float hi, bool *taken);

/* ADD float32 whose inputs both have the output's shape (no broadcasting). */
enum tflc_status tflc_add_fast_prepare(struct tflc_op_ctx *c, float lo, float hi, bool *taken);

/* ADD int8 under XNNPACK's arithmetic (the node is delegated) without broadcasting, through the
 * vadd_s8 microkernel: y = clamp(asr(bias + a * a_mult + b * b_mult, shift) + zp, lo, hi). */
enum tflc_status tflc_add_fast_prepare_s8(struct tflc_op_ctx *c, int32_t bias, int32_t a_mult, int32_t b_mult,
                                          int shift, int32_t zp, int32_t lo, int32_t hi, bool *taken);

/* Floats of packed gemm weights for k x n (n columns in blocks of nr). */
static inline size_t tflc_f32_pack_gemm_size(size_t nr, size_t k, size_t n) { return (n + nr - 1) / nr * nr * (k + 1); }

/* Packs w_nk ([n][k] row-major: OHWI filters, FC weights) and bias (NULL: zeros). */
static inline void tflc_f32_pack_gemm(size_t nr, size_t k, size_t n, const float *w_nk, const float *bias, float *out) {
    for (size_t n0 = 0; n0 < n; n0 += nr) {
        for (size_t j = 0; j < nr; j++) out[j] = n0 + j < n && bias ? bias[n0 + j] : 0.0f;
        out += nr;
        for (size_t kk = 0; kk < k; kk++, out += nr)
            for (size_t j = 0; j < nr; j++) out[j] = n0 + j < n ? w_nk[(n0 + j) * k + kk] : 0.0f;
    }
}

/* Floats of packed dwconv weights for `taps` taps and `ch` channels (blocks of cb). */
static inline size_t tflc_f32_pack_dwconv_size(size_t cb, size_t taps, size_t ch) {
    return (ch + cb - 1) / cb * cb * (taps + 1);
}

/* Packs w_tc ([taps][ch]: TFLite's [1, kh, kw, C] depthwise filter) and bias (NULL: zeros). */
static inline void tflc_f32_pack_dwconv(size_t cb, size_t taps, size_t ch, const float *w_tc, const float *bias,
                                        float *out) {
    for (size_t c0 = 0; c0 < ch; c0 += cb) {
        for (size_t j = 0; j < cb; j++) out[j] = c0 + j < ch && bias ? bias[c0 + j] : 0.0f;
        out += cb;
        for (size_t t = 0; t < taps; t++, out += cb)
            for (size_t j = 0; j < cb; j++) out[j] = c0 + j < ch ? w_tc[t * ch + c0 + j] : 0.0f;
    }
}

/* A gemm y[m, n] = clamp(x[m, :] . W[:, n] + b[n]) cut into a grid of tm x tn tasks (row tiles
 * of MR x column blocks of NR). */
struct tflc_f32_gemm_plan {
    tflc_uk_gemm_f32_fn gemm;
    size_t mr, nr;          /* microkernel tile */
    size_t m, n, k;         /* rows, columns, depth */
    size_t mtiles, nblocks; /* ceil(m / mr), ceil(n / nr) */
    int tm, tn;             /* task grid: tm row ranges x tn column ranges */
    const float *w;         /* packed weights and biases (arena) */
    struct tflc_uk_f32_minmax mm;
};

/* Fills the plan's tile sizes and task grid: one task when single-threaded, else about four
 * per thread, rows first (columns too when there are few row tiles). */
static inline void tflc_f32_gemm_plan_init(struct tflc_f32_gemm_plan *p, const struct tflc_ukernels *uk, int threads,
                                           size_t m, size_t n, size_t k, float lo, float hi) {
    p->gemm = uk->gemm_f32;
    p->mr = uk->gemm_f32_mr;
    p->nr = uk->gemm_f32_nr;
    p->m = m;
    p->n = n;
    p->k = k;
    p->mtiles = (m + p->mr - 1) / p->mr;
    p->nblocks = (n + p->nr - 1) / p->nr;
    p->mm.min = lo;
    p->mm.max = hi;
    p->tm = p->tn = 1;
    if (threads > 1) {
        size_t want = (size_t)threads * 4;
        size_t tm = p->mtiles < want ? p->mtiles : want;
        size_t tn = (want + tm - 1) / tm;
        if (tn > p->nblocks) tn = p->nblocks;
        p->tm = (int)tm;
        p->tn = (int)tn;
    }
}

/* Task i's row tiles [*t0, *t1) and column blocks [*b0, *b1). */
static inline void tflc_f32_gemm_plan_task(const struct tflc_f32_gemm_plan *p, int i, size_t *t0, size_t *t1,
                                           size_t *b0, size_t *b1) {
    size_t im = (size_t)(i / p->tn), in = (size_t)(i % p->tn);
    *t0 = im * p->mtiles / (size_t)p->tm;
    *t1 = (im + 1) * p->mtiles / (size_t)p->tm;
    *b0 = in * p->nblocks / (size_t)p->tn;
    *b1 = (in + 1) * p->nblocks / (size_t)p->tn;
}

/* Rows [t0, t1) x blocks [b0, b1) of y = x W + b where x's rows are a_stride apart (no
 * gather): column chunks sized to keep their packed weights cache-resident, rows inside. */
static inline void tflc_f32_gemm_direct(const struct tflc_f32_gemm_plan *p, const float *x, size_t a_stride, float *y,
                                        size_t t0, size_t t1, size_t b0, size_t b1) {
    const size_t block_floats = p->nr * (p->k + 1);
    size_t chunk = (size_t)32768 / block_floats; /* ~128 KiB of weights per chunk */
    if (chunk < 1) chunk = 1;
    for (size_t c0 = b0; c0 < b1; c0 += chunk) {
        const size_t c1 = c0 + chunk < b1 ? c0 + chunk : b1;
        const size_t n0 = c0 * p->nr, n1 = c1 * p->nr < p->n ? c1 * p->nr : p->n;
        const float *w = p->w + c0 * block_floats;
        for (size_t t = t0; t < t1; t++) {
            const size_t m0 = t * p->mr, rows = p->m - m0 < p->mr ? p->m - m0 : p->mr;
            p->gemm(rows, n1 - n0, p->k, x + m0 * a_stride, a_stride, w, y + m0 * p->n + n0, p->n, &p->mm);
        }
    }
}

#endif
