/* CONV_2D float32 through the gemm_f32 / igemm_f32 microkernels (f32_fast.h): y = x (*) w as
 * a GEMM of [pixels x K] by [K x Cout], K = kh * kw * Cin in the filter's (ky, kx, ci) order.
 *  - 1x1, stride 1, no padding: the NHWC input already is the [pixels x Cin] matrix (gemm);
 *  - otherwise igemm: each pixel's A row is ks segments read in place from the input (one per
 *    window row of kw * Cin floats, or per tap when the width is dilated); windows that leave
 *    the input are gathered (im2col with zeros) into the task's scratch slice and the
 *    segments point there. Without igemm every tile is gathered and run through gemm.
 * prepare packs the constant filter and bias (NR-column blocks, the bias first); filters or
 * biases computed at run time keep the reference loop, and so do grouped convolutions. */
#include "kernels/ref/f32_fast.h"

struct conv_fast {
    struct tflc_conv_geom g;
    struct tflc_f32_gemm_plan plan;
    bool direct;                /* 1x1 / stride 1 / no padding: no gather */
    tflc_uk_igemm_f32_fn igemm; /* NULL: gather every tile and use plan.gemm */
    size_t ks, kseg;            /* igemm segments per A row and their length (ks * kseg == k) */
    size_t task_bytes;          /* scratch per task: mr x k floats (gathered rows), then mr x ks pointers */
};

struct conv_fast_run {
    const struct conv_fast *d;
    const float *x;
    float *y;
    uint8_t *scratch; /* per task: task_bytes */
};

/* memset / memcpy of n floats, skipping the library call when n == 0 (the common case at
 * the window edges: a 3x3 window in the interior needs 3 copies and no fills). */
static inline void zero_floats(float *dst, size_t n) {
    if (n) memset(dst, 0, n * sizeof(float));
}
static inline void copy_floats(float *dst, const float *src, size_t n) {
    if (n) memcpy(dst, src, n * sizeof(float));
}

/* Taps [*t0, *t1) of one axis inside the input; the division-free answer for windows fully
 * inside (most of them), tflc_conv_taps otherwise. */
static inline void taps(int64_t origin, int32_t dil, int32_t in, int32_t k, int32_t *t0, int32_t *t1) {
    if (origin >= 0 && origin + (int64_t)(k - 1) * dil < in) {
        *t0 = 0;
        *t1 = k;
    } else {
        tflc_conv_taps(origin, dil, in, k, t0, t1);
    }
}

/* Output pixel coordinates, stepped along a row tile without divisions. */
struct pix {
    size_t b;
    int32_t oy, ox;
};

static inline void pix_next(const struct tflc_conv_geom *g, struct pix *p) {
    if (++p->ox < g->out_w) return;
    p->ox = 0;
    if (++p->oy < g->out_h) return;
    p->oy = 0;
    p->b++;
}

/* Writes the K = kh * kw * cin window values of output pixel p (zeros outside the input). */
static void gather_row(const struct tflc_conv_geom *g, const float *x, const struct pix *p, float *dst) {
    const size_t b = p->b;
    const int64_t iy0 = (int64_t)p->oy * g->stride_h - g->pad_h;
    const int64_t ix0 = (int64_t)p->ox * g->stride_w - g->pad_w;
    const size_t cin = (size_t)g->in_c, row = (size_t)g->k_w * cin;
    int32_t ky0, ky1, kx0, kx1;
    taps(iy0, g->dil_h, g->in_h, g->k_h, &ky0, &ky1);
    taps(ix0, g->dil_w, g->in_w, g->k_w, &kx0, &kx1);
    const float *xb = x + b * (size_t)g->in_h * (size_t)g->in_w * cin;
    for (int32_t ky = 0; ky < g->k_h; ky++, dst += row) {
        if (ky < ky0 || ky >= ky1 || kx0 >= kx1) {
            zero_floats(dst, row);
            continue;
        }
        const size_t iy = (size_t)(iy0 + (int64_t)ky * g->dil_h);
        zero_floats(dst, (size_t)kx0 * cin);
        if (g->dil_w == 1) {
            const size_t ix = (size_t)(ix0 + kx0);
            copy_floats(dst + (size_t)kx0 * cin, xb + (iy * (size_t)g->in_w + ix) * cin, (size_t)(kx1 - kx0) * cin);
        } else {
            for (int32_t kx = kx0; kx < kx1; kx++) {
                const size_t ix = (size_t)(ix0 + (int64_t)kx * g->dil_w);
                copy_floats(dst + (size_t)kx * cin, xb + (iy * (size_t)g->in_w + ix) * cin, cin);
            }
        }
        zero_floats(dst + (size_t)kx1 * cin, (size_t)(g->k_w - kx1) * cin);
    }
}

static void conv_task(void *ud, int i) {
    const struct conv_fast_run *r = ud;
    const struct tflc_f32_gemm_plan *p = &r->d->plan;
    size_t t0, t1, b0, b1;
    tflc_f32_gemm_plan_task(p, i, &t0, &t1, &b0, &b1);
    if (r->d->direct) {
        tflc_f32_gemm_direct(p, r->x, p->k, r->y, t0, t1, b0, b1);
        return;
    }
    const struct conv_fast *d = r->d;
    float *a = (float *)(void *)(r->scratch + (size_t)i * d->task_bytes);
    const float **seg = (const float **)(void *)(a + (p->mr * p->k + 1) / 2 * 2);
    const size_t n0 = b0 * p->nr, n1 = b1 * p->nr < p->n ? b1 * p->nr : p->n;
    const float *w = p->w + b0 * p->nr * (p->k + 1);
    const struct tflc_conv_geom *g = &d->g;
    const size_t hw = (size_t)g->out_h * (size_t)g->out_w, m_first = t0 * p->mr, cin = (size_t)g->in_c;
    const int64_t span_h = (int64_t)(g->k_h - 1) * g->dil_h, span_w = (int64_t)(g->k_w - 1) * g->dil_w;
    struct pix px = {m_first / hw, (int32_t)(m_first % hw / (size_t)g->out_w), (int32_t)(m_first % (size_t)g->out_w)};
    for (size_t t = t0; t < t1; t++) {
        const size_t m0 = t * p->mr, rows = p->m - m0 < p->mr ? p->m - m0 : p->mr;
        float *y = r->y + m0 * p->n + n0;
        if (!d->igemm) {
            for (size_t j = 0; j < rows; j++, pix_next(g, &px)) gather_row(g, r->x, &px, a + j * p->k);
            p->gemm(rows, n1 - n0, p->k, a, p->k, w, y, p->n, &p->mm);
            continue;
        }
        for (size_t j = 0; j < rows; j++, pix_next(g, &px)) {
            const float **sj = seg + j * d->ks;
            const int64_t iy0 = (int64_t)px.oy * g->stride_h - g->pad_h;
            const int64_t ix0 = (int64_t)px.ox * g->stride_w - g->pad_w;
            if (iy0 < 0 || iy0 + span_h >= g->in_h || ix0 < 0 || ix0 + span_w >= g->in_w) {
                float *row = a + j * p->k;
                gather_row(g, r->x, &px, row);
                for (size_t s2 = 0; s2 < d->ks; s2++) sj[s2] = row + s2 * d->kseg;
                continue;
            }
            const float *xb = r->x + (px.b * (size_t)g->in_h * (size_t)g->in_w) * cin;
            size_t s2 = 0;
            for (int32_t ky = 0; ky < g->k_h; ky++) {
                const float *xr = xb + (size_t)(iy0 + (int64_t)ky * g->dil_h) * (size_t)g->in_w * cin;
                if (g->dil_w == 1) {
                    sj[s2++] = xr + (size_t)ix0 * cin;
                } else {
                    for (int32_t kx = 0; kx < g->k_w; kx++)
                        sj[s2++] = xr + (size_t)(ix0 + (int64_t)kx * g->dil_w) * cin;
                }
            }
        }
        d->igemm(rows, n1 - n0, d->ks, d->kseg, seg, w, y, p->n, &p->mm);
    }
}

static enum tflc_status eval_fast(const struct tflc_op_ctx *c) {
    struct conv_fast_run r;
    r.d = c->node->data;
    r.x = tflc_op_in(c, 0)->data;
    r.y = tflc_op_out(c, 0)->data;
    r.scratch = c->node->scratch;
    tflc_op_parallel(c, r.d->plan.tm * r.d->plan.tn, conv_task, &r);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_conv2d_fast_prepare(struct tflc_op_ctx *c, const struct tflc_conv_geom *g, float lo, float hi,
                                          bool *taken) {
    *taken = false;
    const struct tflc_ukernels *uk = tflc_op_ukernels(c);
    const struct tflc_tensor *w = tflc_op_in(c, 1), *bias = tflc_op_in(c, 2);
    if (!uk || !uk->gemm_f32 || w->dims[3] != g->in_c || !tflc_op_is_const(c, w) ||
        (bias && !tflc_op_is_const(c, bias)))
        return TFLC_STATUS_OK;
    struct conv_fast *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->g = *g;
    const size_t k = (size_t)g->k_h * (size_t)g->k_w * (size_t)g->in_c;
    const size_t m = (size_t)g->n * (size_t)g->out_h * (size_t)g->out_w;
    tflc_f32_gemm_plan_init(&d->plan, uk, tflc_op_threads_for(c, 2.0 * (double)m * (double)g->out_c * (double)k), m,
                            (size_t)g->out_c, k, lo, hi);
    float *packed = tflc_op_alloc(c, tflc_f32_pack_gemm_size(d->plan.nr, k, (size_t)g->out_c) * sizeof(float));
    if (!packed) return TFLC_STATUS_ARENA_TOO_SMALL;
    tflc_f32_pack_gemm(d->plan.nr, k, (size_t)g->out_c, w->data, bias ? bias->data : NULL, packed);
    d->plan.w = packed;
    d->direct = g->k_h == 1 && g->k_w == 1 && g->stride_h == 1 && g->stride_w == 1 && g->pad_h == 0 && g->pad_w == 0;
    d->igemm = uk->igemm_f32;
    d->ks = g->dil_w == 1 ? (size_t)g->k_h : (size_t)g->k_h * (size_t)g->k_w;
    d->kseg = k / d->ks;
    d->task_bytes =
        ((d->plan.mr * k + 1) / 2 * 2 * sizeof(float) + d->plan.mr * d->ks * sizeof(float *) + 63) / 64 * 64;
    if (!d->direct) tflc_op_request_scratch(c, (size_t)(d->plan.tm * d->plan.tn) * d->task_bytes);
    c->node->data = d;
    c->node->eval = eval_fast;
    *taken = true;
    return TFLC_STATUS_OK;
}
