/* Fast int8 CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED over the microkernel table; see
 * conv_fast_s8.h for the method and why it equals the reference loops bit for bit. */
#include "kernels/ref/conv_fast_s8.h"

_Static_assert((int)TFLC_UK_RQ_TFLITE == (int)TFLC_CONV_RQ_TFLITE &&
                   (int)TFLC_UK_RQ_SINGLE == (int)TFLC_CONV_RQ_SINGLE &&
                   (int)TFLC_UK_RQ_FP32 == (int)TFLC_CONV_RQ_XNNPACK,
               "requantization modes must line up");

enum { KIND_DIRECT, KIND_IM2COL, KIND_DW };

#define MAX_MR 16 /* largest gemm_s8.mr of any table */

struct tflc_conv_fast_s8 {
    int kind;
    const struct tflc_ukernels *uk;
    struct tflc_conv_geom g; /* FC: n = batches, 1 x 1 pixels of in_c = depth, out_c = units */
    int32_t kc;              /* GEMM depth: kh * kw * in_c */
    int32_t taps;            /* DW: kh * kw */
    int32_t zp_x;
    void *packed; /* weights packed by the table's pack() (arena, 64-byte aligned) */
    struct tflc_uk_rq_s8 rq;
    const int8_t *zrow; /* DW: in_c bytes of zp_x */
    int32_t units;      /* work units: MR-pixel blocks (GEMM) or output rows (DW) */
    int32_t ntasks;     /* tasks (= scratch slots): tm row groups x tn column groups */
    int32_t tn;         /* GEMM: column groups (runs of NR-column blocks), 1 for DW */
    size_t block_bytes; /* GEMM with tn > 1: packed bytes of one NR-column block */
    size_t slot_bytes;
};

static size_t align64(size_t n) { return (n + 63) & ~(size_t)63; }

static struct tflc_uk_rq_s8 rq_of(const struct tflc_conv_rq *q) {
    struct tflc_uk_rq_s8 r;
    r.mode = q->mode;
    r.mult = q->mult;
    r.shift = q->shift;
    r.scale = q->scale;
    r.zp = q->zp;
    r.lo = q->lo;
    r.hi = q->hi;
    return r;
}

/* Common tail of the prepares: tasks, scratch slots. About 4 tasks per thread: row groups of
 * `units`, and, when there are too few of those to go round (a fully connected layer at batch 1,
 * the 7 x 7 layers of an ImageNet network), `col_blocks` split into column groups as well. */
static void plan_tasks(struct tflc_op_ctx *c, struct tflc_conv_fast_s8 *f, int64_t units, int64_t col_blocks,
                       size_t slot_bytes, double work) {
    const int threads = tflc_op_threads_for(c, work);
    const int64_t want = 4 * (int64_t)threads;
    int64_t tm = units < want ? units : want, tn = 1;
    if (tm < 1) tm = 1;
    if (threads > 1 && tm < want) {
        tn = (want + tm - 1) / tm;
        if (tn > col_blocks) tn = col_blocks;
        if (tn < 1) tn = 1;
    }
    f->units = (int32_t)units;
    f->tn = (int32_t)tn;
    f->ntasks = (int32_t)(tm * tn);
    f->slot_bytes = align64(slot_bytes);
    tflc_op_request_scratch(c, f->slot_bytes * (size_t)f->ntasks);
}

static bool usable(const struct tflc_op_ctx *c, const struct tflc_tensor *w, const struct tflc_tensor *bias) {
    const struct tflc_ukernels *uk = tflc_op_ukernels(c);
    return uk && uk->isa != TFLC_ISA_REF && uk->requant_s8 && tflc_op_is_const(c, w) && w->data &&
           (!bias || (tflc_op_is_const(c, bias) && bias->data));
}

static enum tflc_status prepare_gemm(struct tflc_op_ctx *c, const struct tflc_conv_geom *g, const int8_t *w,
                                     const int32_t *bias, int32_t zp_x, struct tflc_uk_rq_s8 rq,
                                     struct tflc_conv_fast_s8 **out) {
    const struct tflc_ukernels *uk = tflc_op_ukernels(c);
    if (!uk->gemm_s8.run || uk->gemm_s8.mr > MAX_MR) return TFLC_STATUS_OK;
    struct tflc_conv_fast_s8 *f = tflc_op_alloc(c, sizeof *f);
    if (!f) return TFLC_STATUS_ARENA_TOO_SMALL;
    f->uk = uk;
    f->g = *g;
    f->zp_x = zp_x;
    f->rq = rq;
    f->kc = g->k_h * g->k_w * g->in_c;
    f->kind = g->k_h == 1 && g->k_w == 1 && g->pad_h == 0 && g->pad_w == 0 ? KIND_DIRECT : KIND_IM2COL;
    f->packed = tflc_op_alloc(c, uk->gemm_s8.packed_bytes((size_t)g->out_c, (size_t)f->kc));
    if (!f->packed) return TFLC_STATUS_ARENA_TOO_SMALL;
    uk->gemm_s8.pack((size_t)g->out_c, (size_t)f->kc, w, bias, zp_x, f->packed);
    const size_t mr = uk->gemm_s8.mr, nr = uk->gemm_s8.nr;
    const int64_t pixels = (int64_t)g->n * g->out_h * g->out_w;
    size_t slot = align64(mr * (size_t)g->out_c * sizeof(int32_t));
    if (f->kind == KIND_IM2COL) slot += mr * (size_t)f->kc;
    const int64_t col_blocks = nr ? ((int64_t)g->out_c + (int64_t)nr - 1) / (int64_t)nr : 1;
    f->block_bytes = nr ? uk->gemm_s8.packed_bytes(nr, (size_t)f->kc) : 0;
    plan_tasks(c, f, (pixels + (int64_t)mr - 1) / (int64_t)mr, col_blocks, slot,
               (double)pixels * (double)g->out_c * (double)f->kc);
    *out = f;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_conv_fast_s8_prepare_conv2d(struct tflc_op_ctx *c, const struct tflc_conv_geom *g,
                                                  const struct tflc_tensor *w, const struct tflc_tensor *bias,
                                                  int32_t zp_x, const struct tflc_conv_rq *rq,
                                                  struct tflc_conv_fast_s8 **out) {
    *out = NULL;
    if (!usable(c, w, bias) || w->dims[3] != g->in_c) return TFLC_STATUS_OK;
    return prepare_gemm(c, g, w->data, bias ? bias->data : NULL, zp_x, rq_of(rq), out);
}

enum tflc_status tflc_conv_fast_s8_prepare_fc(struct tflc_op_ctx *c, int32_t batches, int32_t depth, int32_t units,
                                              const struct tflc_tensor *w, const struct tflc_tensor *bias, int32_t zp_x,
                                              const struct tflc_uk_rq_s8 *rq, struct tflc_conv_fast_s8 **out) {
    *out = NULL;
    if (!usable(c, w, bias)) return TFLC_STATUS_OK;
    struct tflc_conv_geom g;
    memset(&g, 0, sizeof g);
    g.n = batches;
    g.in_h = g.in_w = g.out_h = g.out_w = 1;
    g.in_c = depth;
    g.out_c = units;
    g.k_h = g.k_w = g.stride_h = g.stride_w = g.dil_h = g.dil_w = 1;
    return prepare_gemm(c, &g, w->data, bias ? bias->data : NULL, zp_x, *rq, out);
}

enum tflc_status tflc_conv_fast_s8_prepare_dw(struct tflc_op_ctx *c, const struct tflc_conv_geom *g,
                                              const struct tflc_tensor *w, const struct tflc_tensor *bias, int32_t zp_x,
                                              const struct tflc_conv_rq *rq, struct tflc_conv_fast_s8 **out) {
    *out = NULL;
    const struct tflc_ukernels *uk = tflc_op_ukernels(c);
    if (!usable(c, w, bias) || !uk->dwconv_s8.run || g->in_c != g->out_c) return TFLC_STATUS_OK;
    struct tflc_conv_fast_s8 *f = tflc_op_alloc(c, sizeof *f);
    if (!f) return TFLC_STATUS_ARENA_TOO_SMALL;
    f->kind = KIND_DW;
    f->uk = uk;
    f->g = *g;
    f->zp_x = zp_x;
    f->rq = rq_of(rq);
    f->taps = g->k_h * g->k_w;
    f->packed = tflc_op_alloc(c, uk->dwconv_s8.packed_bytes((size_t)g->out_c, (size_t)f->taps));
    int8_t *z = tflc_op_alloc(c, (size_t)g->in_c);
    if (!f->packed || !z) return TFLC_STATUS_ARENA_TOO_SMALL;
    memset(z, zp_x, (size_t)g->in_c);
    f->zrow = z;
    uk->dwconv_s8.pack((size_t)g->out_c, (size_t)f->taps, w->data, bias ? bias->data : NULL, zp_x, f->packed);
    plan_tasks(c, f, (int64_t)g->n * g->out_h, 1,
               align64((size_t)g->out_c * sizeof(int32_t)) +
                   (size_t)f->taps * (sizeof(const int8_t *) + sizeof(size_t)),
               4.0 * (double)g->n * (double)g->out_h * (double)g->out_w * (double)g->out_c * (double)f->taps);
    *out = f;
    return TFLC_STATUS_OK;
}

/* ---- eval ---- */

struct run {
    const struct tflc_conv_fast_s8 *f;
    const int8_t *x;
    int8_t *y;
    uint8_t *scratch;
};

/* Element offset of x[b, iy, ix, 0]. */
static inline size_t x_at(const struct tflc_conv_geom *g, int32_t b, int64_t iy, int64_t ix) {
    return (((size_t)b * (size_t)g->in_h + (size_t)iy) * (size_t)g->in_w + (size_t)ix) * (size_t)g->in_c;
}

/* memcpy of n bytes that stays inline for the short copies of a small-channel im2col (a first
 * layer's 3 x 3 window of 3-channel pixels is 3 copies of 9 bytes; a libc call per copy cost
 * more than the multiply-adds): two overlapping fixed-size moves cover 4..16 bytes. */
static inline void copy_small(int8_t *dst, const int8_t *src, size_t n) {
    if (n > 16) {
        memcpy(dst, src, n);
    } else if (n >= 8) {
        memcpy(dst, src, 8);
        memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4) {
        memcpy(dst, src, 4);
        memcpy(dst + n - 4, src + n - 4, 4);
    } else {
        for (size_t i = 0; i < n; i++) dst[i] = src[i];
    }
}

/* im2col row of output pixel (b, oy, ox): taps in (ky, kx, i) order, zp_x outside the input. */
static void im2col_row(const struct tflc_conv_fast_s8 *f, const int8_t *x, int32_t b, int32_t oy, int32_t ox,
                       int8_t *row) {
    const struct tflc_conv_geom *g = &f->g;
    const size_t cin = (size_t)g->in_c;
    const int64_t ix0 = (int64_t)ox * g->stride_w - g->pad_w;
    const bool inner_w = g->dil_w == 1 && ix0 >= 0 && ix0 + g->k_w <= g->in_w; /* the taps of a row are adjacent */
    for (int32_t ky = 0; ky < g->k_h; ky++) {
        const int64_t iy = (int64_t)oy * g->stride_h - g->pad_h + (int64_t)ky * g->dil_h;
        if (inner_w && iy >= 0 && iy < g->in_h) {
            copy_small(row, x + x_at(g, b, iy, ix0), cin * (size_t)g->k_w);
            row += cin * (size_t)g->k_w;
            continue;
        }
        for (int32_t kx = 0; kx < g->k_w; kx++, row += cin) {
            const int64_t ix = (int64_t)ox * g->stride_w - g->pad_w + (int64_t)kx * g->dil_w;
            if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w)
                memset(row, f->zp_x, cin);
            else
                copy_small(row, x + x_at(g, b, iy, ix), cin);
        }
    }
}

static void gemm_task(void *ud, int t) {
    const struct run *r = ud;
    const struct tflc_conv_fast_s8 *f = r->f;
    const struct tflc_conv_geom *g = &f->g;
    const size_t mr = f->uk->gemm_s8.mr, nc = (size_t)g->out_c;
    uint8_t *slot = r->scratch + (size_t)t * f->slot_bytes;
    int32_t *acc = (int32_t *)(void *)slot;
    int8_t *cols = (int8_t *)(slot + align64(mr * nc * sizeof(int32_t)));
    const int64_t pixels = (int64_t)g->n * g->out_h * g->out_w, hw = (int64_t)g->out_h * g->out_w;
    const int64_t tm = f->ntasks / f->tn, im = t / f->tn, in = t % f->tn;
    const int64_t u0 = (int64_t)f->units * im / tm, u1 = (int64_t)f->units * (im + 1) / tm;
    /* columns [n0, n1): this task's run of NR-column blocks, and its packed weights and rq */
    size_t n0 = 0, n1 = nc;
    const uint8_t *packed = f->packed;
    struct tflc_uk_rq_s8 rq = f->rq;
    if (f->tn > 1) {
        const size_t nr = f->uk->gemm_s8.nr, nb = (nc + nr - 1) / nr;
        const size_t b0 = nb * (size_t)in / (size_t)f->tn, b1 = nb * (size_t)(in + 1) / (size_t)f->tn;
        n0 = b0 * nr;
        n1 = b1 * nr < nc ? b1 * nr : nc;
        if (n0 >= n1) return;
        packed += b0 * f->block_bytes;
        if (rq.mult) rq.mult += n0;
        if (rq.shift) rq.shift += n0;
        if (rq.scale) rq.scale += n0;
    }
    const size_t ncols = n1 - n0;
    const bool same_grid = f->kind == KIND_DIRECT && g->stride_h == 1 && g->stride_w == 1;
    const int8_t *a[MAX_MR];
    for (int64_t u = u0; u < u1; u++) {
        const int64_t p0 = u * (int64_t)mr;
        const size_t m_n = (size_t)(pixels - p0 < (int64_t)mr ? pixels - p0 : (int64_t)mr);
        if (same_grid) { /* 1x1, stride 1: output pixel p reads input pixel p */
            for (size_t m = 0; m < m_n; m++) a[m] = r->x + (size_t)(p0 + (int64_t)m) * (size_t)f->kc;
        } else {
            const int64_t rem = p0 % hw;
            int32_t b = (int32_t)(p0 / hw), oy = (int32_t)(rem / g->out_w), ox = (int32_t)(rem % g->out_w);
            for (size_t m = 0; m < m_n; m++) {
                if (f->kind == KIND_DIRECT) {
                    a[m] = r->x + x_at(g, b, (int64_t)oy * g->stride_h, (int64_t)ox * g->stride_w);
                } else {
                    int8_t *row = cols + m * (size_t)f->kc;
                    im2col_row(f, r->x, b, oy, ox, row);
                    a[m] = row;
                }
                if (++ox == g->out_w) {
                    ox = 0;
                    if (++oy == g->out_h) oy = 0, b++;
                }
            }
        }
        for (size_t m = m_n; m < mr; m++) a[m] = a[0];
        int8_t *y = r->y + (size_t)p0 * nc + n0;
        if (f->uk->gemm_s8.run_rq) {
            f->uk->gemm_s8.run_rq(m_n, ncols, (size_t)f->kc, a, packed, acc + n0, nc, y, nc, &rq);
            continue;
        }
        f->uk->gemm_s8.run(m_n, ncols, (size_t)f->kc, a, packed, acc + n0, nc);
        for (size_t m = 0; m < m_n; m++) f->uk->requant_s8(ncols, acc + n0 + m * nc, y + m * nc, &rq);
    }
}

/* Tap pointers of output pixel (b, oy, ox): in[t] at the input pixel, or at the row of zp_x
 * bytes outside the input; with step, step[t] = the bytes from this pixel's tap t to the next
 * pixel's (0 for the zp_x row; only meaningful where the next pixel is inside in x too). */
static void dw_taps(const struct tflc_conv_fast_s8 *f, const int8_t *x, int32_t b, int32_t oy, int32_t ox,
                    const int8_t **in, size_t *step) {
    const struct tflc_conv_geom *g = &f->g;
    const size_t nc = (size_t)g->out_c, dx = (size_t)g->stride_w * nc;
    const int64_t ix0 = (int64_t)ox * g->stride_w - g->pad_w;
    size_t k = 0;
    for (int32_t ky = 0; ky < g->k_h; ky++) {
        const int64_t iy = (int64_t)oy * g->stride_h - g->pad_h + (int64_t)ky * g->dil_h;
        const bool row_in = iy >= 0 && iy < g->in_h;
        const int8_t *row = row_in ? x + x_at(g, b, iy, 0) : NULL;
        for (int32_t kx = 0; kx < g->k_w; kx++, k++) {
            const int64_t ix = ix0 + (int64_t)kx * g->dil_w;
            const bool in_ok = row_in && ix >= 0 && ix < g->in_w;
            in[k] = in_ok ? row + (size_t)ix * nc : f->zrow;
            if (step) step[k] = in_ok ? dx : 0;
        }
    }
}

/* Output pixel ox reads only inside the input along x. */
static bool dw_inner_x(const struct tflc_conv_geom *g, int32_t ox) {
    const int64_t ix0 = (int64_t)ox * g->stride_w - g->pad_w;
    return ix0 >= 0 && ix0 + (int64_t)(g->k_w - 1) * g->dil_w < g->in_w;
}

static void dw_task(void *ud, int t) {
    const struct run *r = ud;
    const struct tflc_conv_fast_s8 *f = r->f;
    const struct tflc_conv_geom *g = &f->g;
    const struct tflc_uk_dwconv_s8 *k = &f->uk->dwconv_s8;
    const size_t nc = (size_t)g->out_c, taps = (size_t)f->taps;
    /* 3 x 3 at stride 1 or 2 without dilation: the sliding-column kernel, a whole output row per call */
    const bool three = k->run_3x3_rq && g->k_h == 3 && g->k_w == 3 && g->dil_h == 1 && g->dil_w == 1 &&
                       (g->stride_w == 1 || g->stride_w == 2);
    uint8_t *slot = r->scratch + (size_t)t * f->slot_bytes;
    int32_t *acc = (int32_t *)(void *)slot;
    const int8_t **in = (const int8_t **)(void *)(slot + align64(nc * sizeof(int32_t)));
    size_t *step = (size_t *)(void *)(in + taps);
    const int64_t u0 = (int64_t)f->units * t / f->ntasks, u1 = (int64_t)f->units * (t + 1) / f->ntasks;
    for (int64_t u = u0; u < u1; u++) {
        const int32_t b = (int32_t)(u / g->out_h), oy = (int32_t)(u % g->out_h);
        int8_t *yrow = r->y + (size_t)u * (size_t)g->out_w * nc;
        if (three) { /* the whole row in one call: rows at input column 0, edges read the zp row */
            const int8_t *rows[3];
            size_t cstep[3];
            for (int32_t ky = 0; ky < 3; ky++) {
                const int64_t iy = (int64_t)oy * g->stride_h - g->pad_h + ky;
                const bool in_y = iy >= 0 && iy < g->in_h;
                rows[ky] = in_y ? r->x + x_at(g, b, iy, 0) : f->zrow;
                cstep[ky] = in_y ? nc : 0;
            }
            k->run_3x3_rq(nc, (size_t)g->out_w, (size_t)g->stride_w, rows, cstep, -(int64_t)g->pad_w, (size_t)g->in_w,
                          f->zrow, f->packed, yrow, &f->rq);
            continue;
        }
        for (int32_t ox = 0; ox < g->out_w;) {
            int8_t *y = yrow + (size_t)ox * nc;
            if (k->run_rows_rq && dw_inner_x(g, ox)) { /* the run of pixels inside the input along x */
                int32_t end = ox + 1;
                while (end < g->out_w && dw_inner_x(g, end)) end++;
                dw_taps(f, r->x, b, oy, ox, in, step);
                k->run_rows_rq(nc, taps, (size_t)(end - ox), in, step, f->packed, y, &f->rq);
                ox = end;
                continue;
            }
            dw_taps(f, r->x, b, oy, ox, in, NULL);
            if (k->run_rq)
                k->run_rq(nc, taps, in, f->packed, y, &f->rq);
            else {
                k->run(nc, taps, in, f->packed, acc);
                f->uk->requant_s8(nc, acc, y, &f->rq);
            }
            ox++;
        }
    }
}

enum tflc_status tflc_conv_fast_s8_eval(const struct tflc_op_ctx *c, const struct tflc_conv_fast_s8 *f) {
    struct run r;
    r.f = f;
    r.x = tflc_op_in(c, 0)->data;
    r.y = tflc_op_out(c, 0)->data;
    r.scratch = c->node->scratch;
    tflc_op_parallel(c, f->ntasks, f->kind == KIND_DW ? dw_task : gemm_task, &r);
    return TFLC_STATUS_OK;
}
