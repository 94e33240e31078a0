/* DEPTHWISE_CONV_2D float32 (depth multiplier 1) through the dwconv_f32 microkernel
 * (f32_fast.h). The indirection buffer (per output pixel, kh*kw pointers to the input pixels
 * under the taps, or to a zero row where a tap is in the padding) lives in the arena and is
 * rebuilt only when the input's data pointer changes (normally once: activations keep their
 * planned place); when it would pass IND_CACHE_MAX bytes (large images), each task instead
 * builds one output row's pointers at a time in its scratch slice. Each task runs the
 * microkernel on a range of output rows.
 * prepare packs the constant filter and bias (CB-channel blocks, the bias first) and keeps
 * the zero row; computed filters or biases keep the reference loop. */
#include "kernels/ref/f32_fast.h"

/* Largest cached indirection buffer (MobileNetV2 at 224 needs 0.9 MB for its largest). */
#define IND_CACHE_MAX ((size_t)4 << 20)

struct dw_fast {
    struct tflc_conv_geom g;
    tflc_uk_dwconv_f32_fn dwconv;
    struct tflc_uk_f32_minmax mm;
    const float *w;    /* packed filter and bias (arena) */
    const float *zero; /* in_c zeros (arena) */
    size_t taps;       /* k_h * k_w */
    size_t rows;       /* n * out_h */
    int tasks;
    const float **ind;  /* [rows][out_w][taps] pointers (arena), NULL: built per row in scratch */
    const float *ind_x; /* input data the indirection was built for (NULL: none yet) */
};

struct dw_fast_run {
    const struct dw_fast *d;
    const float *x;
    float *y;
    const float **scratch; /* uncached: out_w * taps pointers per task */
};

/* Indirection of output row `row` (out_w * taps pointers at ind). */
static void build_row(const struct dw_fast *d, const float *x, const float **ind, size_t row) {
    const struct tflc_conv_geom *g = &d->g;
    const size_t b = row / (size_t)g->out_h, oy = row % (size_t)g->out_h, c = (size_t)g->in_c;
    const float *xb = x + b * (size_t)g->in_h * (size_t)g->in_w * c;
    const int64_t iy0 = (int64_t)oy * g->stride_h - g->pad_h;
    const float **p = ind;
    for (int32_t ox = 0; ox < g->out_w; ox++) {
        const int64_t ix0 = (int64_t)ox * g->stride_w - g->pad_w;
        for (int32_t ky = 0; ky < g->k_h; ky++) {
            const int64_t iy = iy0 + (int64_t)ky * g->dil_h;
            const bool row_in = iy >= 0 && iy < g->in_h;
            const float *xr = row_in ? xb + (size_t)iy * (size_t)g->in_w * c : NULL;
            for (int32_t kx = 0; kx < g->k_w; kx++) {
                const int64_t ix = ix0 + (int64_t)kx * g->dil_w;
                *p++ = row_in && ix >= 0 && ix < g->in_w ? xr + (size_t)ix * c : d->zero;
            }
        }
    }
}

static void dw_task(void *ud, int i) {
    const struct dw_fast_run *r = ud;
    const struct dw_fast *d = r->d;
    const size_t r0 = (size_t)i * d->rows / (size_t)d->tasks, r1 = (size_t)(i + 1) * d->rows / (size_t)d->tasks;
    const size_t ow = (size_t)d->g.out_w, c = (size_t)d->g.in_c;
    /* One output row per call: the microkernel may walk channel blocks outside pixels, and a
     * row's input window (kh input rows) stays cache-resident across the blocks. */
    const float **own = d->ind ? NULL : r->scratch + (size_t)i * ow * d->taps; /* no scratch with a cache */
    for (size_t row = r0; row < r1; row++) {
        const float **ind = d->ind ? d->ind + row * ow * d->taps : own;
        if (!d->ind) build_row(d, r->x, own, row);
        d->dwconv(c, ow, d->taps, ind, d->w, r->y + row * ow * c, c, &d->mm);
    }
}

static enum tflc_status eval_fast(const struct tflc_op_ctx *c) {
    struct dw_fast *d = c->node->data;
    const float *x = tflc_op_in(c, 0)->data;
    if (d->ind && d->ind_x != x) { /* serial, before the tasks read it */
        for (size_t row = 0; row < d->rows; row++) build_row(d, x, d->ind + row * (size_t)d->g.out_w * d->taps, row);
        d->ind_x = x;
    }
    struct dw_fast_run r;
    r.d = d;
    r.x = x;
    r.y = tflc_op_out(c, 0)->data;
    r.scratch = c->node->scratch;
    tflc_op_parallel(c, d->tasks, dw_task, &r);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_depthwise_conv2d_fast_prepare(struct tflc_op_ctx *c, const struct tflc_conv_geom *g, float lo,
                                                    float hi, bool *taken) {
    *taken = false;
    const struct tflc_ukernels *uk = tflc_op_ukernels(c);
    const struct tflc_tensor *w = tflc_op_in(c, 1), *bias = tflc_op_in(c, 2);
    if (!uk || !uk->dwconv_f32 || g->out_c != g->in_c || !tflc_op_is_const(c, w) ||
        (bias && !tflc_op_is_const(c, bias)))
        return TFLC_STATUS_OK;
    struct dw_fast *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->g = *g;
    d->dwconv = uk->dwconv_f32;
    d->mm.min = lo;
    d->mm.max = hi;
    d->taps = (size_t)g->k_h * (size_t)g->k_w;
    d->rows = (size_t)g->n * (size_t)g->out_h;
    const int threads = tflc_op_threads_for(c, 8.0 * (double)d->rows * (double)g->out_w * (double)g->out_c * (double)d->taps);
    d->tasks = threads > 1 ? (d->rows < (size_t)threads * 4 ? (int)d->rows : threads * 4) : 1;
    const size_t cb = uk->dwconv_f32_cb, ch = (size_t)g->in_c;
    float *packed = tflc_op_alloc(c, tflc_f32_pack_dwconv_size(cb, d->taps, ch) * sizeof(float));
    float *zero = packed ? tflc_op_alloc(c, ch * sizeof(float)) : NULL;
    if (!zero) return TFLC_STATUS_ARENA_TOO_SMALL;
    const size_t ind_bytes = d->rows * (size_t)g->out_w * d->taps * sizeof(const float *);
    if (ind_bytes <= IND_CACHE_MAX) {
        if (!(d->ind = tflc_op_alloc(c, ind_bytes))) return TFLC_STATUS_ARENA_TOO_SMALL;
    } else {
        tflc_op_request_scratch(c, (size_t)d->tasks * (size_t)g->out_w * d->taps * sizeof(const float *));
    }
    tflc_f32_pack_dwconv(cb, d->taps, ch, w->data, bias ? bias->data : NULL, packed);
    d->w = packed;
    d->zero = zero;
    c->node->data = d;
    c->node->eval = eval_fast;
    *taken = true;
    return TFLC_STATUS_OK;
}
