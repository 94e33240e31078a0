/* DEPTHWISE_CONV_2D: y[b,oy,ox,o] = act(bias[o] + sum_{ky,kx} x[b, oy*sh - ph + ky*dh, ox*sw - pw + kx*dw, o / M]
 *                                                 * w[0, ky, kx, o])
 * NHWC input/output, filter [1, kh, kw, Cin * M]; the depth multiplier M is Cout / Cin (TFLite
 * computes it from the shapes; the option is redundant). Points outside the input contribute
 * nothing. Types as TFLite's reference kernels (real = scale * (q - zero_point)):
 *  - float32 (filter and bias may be computed tensors);
 *  - int8 in/out, int8 filter per channel (axis 3) or per tensor, int32 bias: int32 accumulator
 *    of w * (x - zp_x), + bias, per-channel MultiplyByQuantizedMultiplier, + zp_y, clamp;
 *  - uint8 (per-tensor filter with its zero point, legacy multiplier), int32 bias;
 *  - int16 in/out (zero points 0) x int8 filter, int64 bias: 64-bit accumulator and requantization;
 *  - hybrid float in/out with int8 filter: input quantized per batch asymmetrically at run time,
 *    y = float(acc) * s_x[b] * s_w[o] + bias (the order of TFLite's optimized hybrid kernel).
 * prepare computes the geometry, padding, per-channel multipliers and clamp ranges; float32 with
 * constant weights and M = 1 runs the dwconv_f32 microkernel when the table has one
 * (depthwise_conv2d_fast.c).
 * 8-bit requantization follows tflc_conv_rq_mode() (conv_util.h): TFLite's reference arithmetic. */
#include "kernels/ref/conv_fast_s8.h"
#include "kernels/ref/conv_util.h"
#include "kernels/ref/f32_fast.h"

struct dw_data {
    struct tflc_conv_geom g;
    int32_t mult_depth;         /* depth multiplier M = Cout / Cin */
    float f_lo, f_hi;           /* float activation clamp */
    int32_t x_off, w_off;       /* -zp_x, -zp_w (uint8 only, else 0) */
    struct tflc_conv_rq rq;     /* [Cout] requantization, output zero point and clamp (quantized types) */
    const float *w_scales;      /* hybrid: filter scales (1 or Cout), borrowed from the model */
    int32_t w_nscales;
    struct tflc_conv_fast_s8 *fast; /* int8 microkernel path (conv_fast_s8.h), NULL: reference loop */
};

struct dw_run {
    const struct dw_data *d;
    const void *x, *w, *bias;
    void *y;
    struct tflc_conv_hybrid_scratch hs;  /* hybrid only */
};

struct dw_win {
    int32_t b;
    int64_t iy0, ix0;           /* input coordinate of tap (0, 0) */
    int32_t ky0, ky1, kx0, kx1; /* taps inside the input */
    size_t y_at;                /* element offset of y[b, oy, ox, 0] */
};

typedef void (*dw_pixel_fn)(const struct dw_run *r, const struct dw_win *p);

static void dw_for_each_pixel(const struct dw_run *r, dw_pixel_fn fn) {
    const struct tflc_conv_geom *g = &r->d->g;
    struct dw_win p;
    p.y_at = 0;
    for (p.b = 0; p.b < g->n; p.b++)
        for (int32_t oy = 0; oy < g->out_h; oy++) {
            p.iy0 = (int64_t)oy * g->stride_h - g->pad_h;
            tflc_conv_taps(p.iy0, g->dil_h, g->in_h, g->k_h, &p.ky0, &p.ky1);
            for (int32_t ox = 0; ox < g->out_w; ox++) {
                p.ix0 = (int64_t)ox * g->stride_w - g->pad_w;
                tflc_conv_taps(p.ix0, g->dil_w, g->in_w, g->k_w, &p.kx0, &p.kx1);
                fn(r, &p);
                p.y_at += (size_t)g->out_c;
            }
        }
}

/* Element offsets of x[b, iy, ix, 0] and w[0, ky, kx, 0]. */
static inline size_t x_at(const struct tflc_conv_geom *g, int32_t b, int64_t iy, int64_t ix) {
    return (((size_t)b * (size_t)g->in_h + (size_t)iy) * (size_t)g->in_w + (size_t)ix) * (size_t)g->in_c;
}
static inline size_t w_at(const struct tflc_conv_geom *g, int32_t ky, int32_t kx) {
    return ((size_t)ky * (size_t)g->k_w + (size_t)kx) * (size_t)g->out_c;
}

/* Sum over the in-bounds taps (ky, kx order) of x[.., o / M] * w[.., o]; integer types add
 * the offsets first: (x + xo) * (w + wo). */
static float dot_f32(const struct dw_run *r, const struct dw_win *p, int32_t o) {
    const struct tflc_conv_geom *g = &r->d->g;
    const int32_t ic = o / r->d->mult_depth;
    float acc = 0.0f;
    for (int32_t ky = p->ky0; ky < p->ky1; ky++)
        for (int32_t kx = p->kx0; kx < p->kx1; kx++) {
            float xv = ((const float *)r->x)[x_at(g, p->b, p->iy0 + (int64_t)ky * g->dil_h, p->ix0 + (int64_t)kx * g->dil_w) + (size_t)ic];
            acc += xv * ((const float *)r->w)[w_at(g, ky, kx) + (size_t)o];
        }
    return acc;
}

#define DEFINE_DOT(name, XT, WT)                                                                   \
    static int64_t name(const struct dw_run *r, const struct dw_win *p, int32_t o, int32_t xo, int32_t wo) { \
        const struct tflc_conv_geom *g = &r->d->g;                                                 \
        const int32_t ic = o / r->d->mult_depth;                                                   \
        int64_t acc = 0;                                                                           \
        for (int32_t ky = p->ky0; ky < p->ky1; ky++)                                               \
            for (int32_t kx = p->kx0; kx < p->kx1; kx++) {                                         \
                int32_t xv = ((const XT *)r->x)[x_at(g, p->b, p->iy0 + (int64_t)ky * g->dil_h,     \
                                                     p->ix0 + (int64_t)kx * g->dil_w) + (size_t)ic]; \
                int32_t wv = ((const WT *)r->w)[w_at(g, ky, kx) + (size_t)o];                      \
                acc += (int64_t)(xv + xo) * (wv + wo);                                             \
            }                                                                                      \
        return acc;                                                                                \
    }

DEFINE_DOT(dot_u8, uint8_t, uint8_t)
DEFINE_DOT(dot_s8, int8_t, int8_t)
DEFINE_DOT(dot_s16, int16_t, int8_t)

/* int32 arithmetic of TFLite's 32-bit accumulators (wraps instead of overflowing). */
static inline int32_t wrap32(int64_t v) { return (int32_t)(uint32_t)(uint64_t)v; }

static void px_f32(const struct dw_run *r, const struct dw_win *p) {
    const struct dw_data *d = r->d;
    const float *bias = r->bias;
    float *y = (float *)r->y + p->y_at;
    for (int32_t o = 0; o < d->g.out_c; o++)
        y[o] = tflc_conv_clampf(dot_f32(r, p, o) + (bias ? bias[o] : 0.0f), d->f_lo, d->f_hi);
}

#define DEFINE_PX_Q8(name, T, DOT)                                                                 \
    static void name(const struct dw_run *r, const struct dw_win *p) {                            \
        const struct dw_data *d = r->d;                                                            \
        const int32_t *bias = r->bias;                                                             \
        T *y = (T *)r->y + p->y_at;                                                                \
        for (int32_t o = 0; o < d->g.out_c; o++) {                                                 \
            int32_t acc = wrap32(DOT(r, p, o, d->x_off, d->w_off) + (bias ? bias[o] : 0));         \
            y[o] = (T)tflc_conv_rq_apply(&d->rq, o, acc);                                          \
        }                                                                                          \
    }

DEFINE_PX_Q8(px_u8, uint8_t, dot_u8)
DEFINE_PX_Q8(px_s8, int8_t, dot_s8)

static void px_s16(const struct dw_run *r, const struct dw_win *p) {
    const struct dw_data *d = r->d;
    const int64_t *bias = r->bias;
    int16_t *y = (int16_t *)r->y + p->y_at;
    for (int32_t o = 0; o < d->g.out_c; o++) {
        int64_t acc = tflc_wrap_add64(dot_s16(r, p, o, 0, 0), bias ? bias[o] : 0);
        y[o] = (int16_t)tflc_clamp_i32(tflc_mbqm64(acc, d->rq.mult[o], d->rq.shift[o]), d->rq.lo, d->rq.hi);
    }
}

static void px_hybrid(const struct dw_run *r, const struct dw_win *p) {
    const struct dw_data *d = r->d;
    const float *bias = r->bias;
    float *y = (float *)r->y + p->y_at;
    struct dw_run q = *r;
    q.x = r->hs.q;
    const float sx = r->hs.scale[p->b];
    const int32_t zx = r->hs.zp[p->b];
    for (int32_t o = 0; o < d->g.out_c; o++) {
        int32_t acc = wrap32(dot_s8(&q, p, o, -zx, 0));
        float sw = d->w_nscales > 1 ? d->w_scales[o] : d->w_scales[0];
        y[o] = tflc_conv_clampf((float)acc * sx * sw + (bias ? bias[o] : 0.0f), d->f_lo, d->f_hi);
    }
}

static struct dw_run run_of(const struct tflc_op_ctx *c) {
    struct dw_run r;
    r.d = c->node->data;
    r.x = tflc_op_in(c, 0)->data;
    r.w = tflc_op_in(c, 1)->data;
    const struct tflc_tensor *b = tflc_op_in(c, 2);
    r.bias = b ? b->data : NULL;
    r.y = tflc_op_out(c, 0)->data;
    memset(&r.hs, 0, sizeof r.hs);
    return r;
}

static enum tflc_status eval_with(const struct tflc_op_ctx *c, dw_pixel_fn fn) {
    struct dw_run r = run_of(c);
    dw_for_each_pixel(&r, fn);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return eval_with(c, px_f32); }
static enum tflc_status eval_u8(const struct tflc_op_ctx *c) { return eval_with(c, px_u8); }
static enum tflc_status eval_s8(const struct tflc_op_ctx *c) { return eval_with(c, px_s8); }
static enum tflc_status eval_s8_fast(const struct tflc_op_ctx *c) {
    const struct dw_data *d = c->node->data;
    return tflc_conv_fast_s8_eval(c, d->fast);
}
static enum tflc_status eval_s16(const struct tflc_op_ctx *c) { return eval_with(c, px_s16); }

static enum tflc_status eval_hybrid(const struct tflc_op_ctx *c) {
    struct dw_run r = run_of(c);
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    const size_t n = tflc_numel(x), per_batch = n / (size_t)r.d->g.n;
    const float *xf = x->data;
    r.hs = tflc_conv_hybrid_scratch_at(c->node->scratch, n, r.d->g.n);
    for (int32_t i = 0; i < r.d->g.n; i++) {
        size_t at = (size_t)i * per_batch;
        tflc_conv_quantize_asym(xf + at, per_batch, r.hs.q + at, &r.hs.scale[i], &r.hs.zp[i]);
    }
    dw_for_each_pixel(&r, px_hybrid);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_depthwise_conv2d_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 3, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *w = tflc_op_in(c, 1), *bias = tflc_op_in(c, 2), *y = tflc_op_out(c, 0);
    if (!x || !w) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input or filter is missing");
    if (x->rank != 4 || w->rank != 4)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' (rank %d) and filter '%s' (rank %d) must be 4-D",
                            x->name, x->rank, w->name, w->rank);
    for (int i = 0; i < 4; i++)
        if (x->dims[i] <= 0 || w->dims[i] <= 0)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' or filter '%s' is empty", x->name, w->name);
    if (w->dims[0] != 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "filter '%s' must be [1, h, w, channels], has %d in dimension 0",
                            w->name, w->dims[0]);
    struct dw_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    struct tflc_conv_geom *g = &d->g;
    g->n = x->dims[0];
    g->in_h = x->dims[1];
    g->in_w = x->dims[2];
    g->in_c = x->dims[3];
    g->k_h = w->dims[1];
    g->k_w = w->dims[2];
    g->out_c = w->dims[3];
    if (g->out_c % g->in_c != 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "filter '%s' has %d channels, not a multiple of the input's %d",
                            w->name, g->out_c, g->in_c);
    d->mult_depth = g->out_c / g->in_c;
    struct tflc_fb_table o = c->node->options;
    const int padding = tflc_tfl_depthwise_conv2d_options_padding(o);
    const int act = tflc_tfl_depthwise_conv2d_options_fused_activation_function(o);
    g->stride_h = tflc_tfl_depthwise_conv2d_options_stride_h(o);
    g->stride_w = tflc_tfl_depthwise_conv2d_options_stride_w(o);
    g->dil_h = tflc_tfl_depthwise_conv2d_options_dilation_h_factor(o);
    g->dil_w = tflc_tfl_depthwise_conv2d_options_dilation_w_factor(o);
    if ((st = tflc_conv_axes(c, padding, g))) return st;
    const int32_t shape[4] = {g->n, g->out_h, g->out_w, g->out_c};
    if ((st = tflc_op_set_shape(c, y, 4, shape))) return st;
    if (bias && tflc_numel(bias) != (size_t)g->out_c)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "bias '%s' has %zu elements, expected %d", bias->name,
                            tflc_numel(bias), g->out_c);

    const enum tflc_dtype bt = bias ? bias->dtype : TFLC_DTYPE_COUNT;
    if (x->dtype == TFLC_DTYPE_FLOAT32 && y->dtype == TFLC_DTYPE_FLOAT32 && (!bias || bt == TFLC_DTYPE_FLOAT32)) {
        if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi)) return tflc_conv_act_unsupported(c, act);
        if (w->dtype == TFLC_DTYPE_FLOAT32) {
            bool fast = false;
            if ((st = tflc_depthwise_conv2d_fast_prepare(c, g, d->f_lo, d->f_hi, &fast)) || fast) return st;
            c->node->eval = eval_f32;
            return TFLC_STATUS_OK;
        }
        if (w->dtype != TFLC_DTYPE_INT8) return tflc_op_unsupported(c);
        if ((st = tflc_conv_check_filter_q(c, w, g->out_c, 3))) return st;
        d->w_scales = w->quant.scales;
        d->w_nscales = w->quant.num_scales;
        tflc_op_request_scratch(c, tflc_conv_hybrid_scratch_bytes(tflc_numel(x), g->n));
        c->node->eval = eval_hybrid;
        return TFLC_STATUS_OK;
    }
    if (y->dtype != x->dtype) return tflc_op_unsupported(c);
    if (x->dtype == TFLC_DTYPE_UINT8 && w->dtype == TFLC_DTYPE_UINT8 && (!bias || bt == TFLC_DTYPE_INT32))
        c->node->eval = eval_u8;
    else if (x->dtype == TFLC_DTYPE_INT8 && w->dtype == TFLC_DTYPE_INT8 && (!bias || bt == TFLC_DTYPE_INT32))
        c->node->eval = eval_s8;
    else if (x->dtype == TFLC_DTYPE_INT16 && w->dtype == TFLC_DTYPE_INT8 && (!bias || bt == TFLC_DTYPE_INT64))
        c->node->eval = eval_s16;
    else
        return tflc_op_unsupported(c);

    if ((st = tflc_conv_check_filter_q(c, w, g->out_c, 3))) return st;
    if (x->dtype == TFLC_DTYPE_UINT8 && w->quant.num_scales > 1)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "uint8 filter '%s' with per-channel scales is not supported", w->name);
    if (bias && bias->quant.zero_point != 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "bias '%s' has zero point %d, expected 0", bias->name,
                            bias->quant.zero_point);
    if (x->dtype == TFLC_DTYPE_INT16 && (x->quant.zero_point != 0 || y->quant.zero_point != 0))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 input '%s' and output '%s' need zero points of 0", x->name,
                            y->name);
    if ((st = tflc_conv_rq_init(c, x, w, bias, y, act, g->out_c, &d->rq))) return st;
    d->x_off = -x->quant.zero_point;
    d->w_off = x->dtype == TFLC_DTYPE_UINT8 ? -w->quant.zero_point : 0;
    if (x->dtype == TFLC_DTYPE_INT8 && d->mult_depth == 1) {
        if ((st = tflc_conv_fast_s8_prepare_dw(c, g, w, bias, x->quant.zero_point, &d->rq, &d->fast))) return st;
        if (d->fast) c->node->eval = eval_s8_fast;
    }
    return TFLC_STATUS_OK;
}
