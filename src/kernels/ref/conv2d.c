/* CONV_2D: y[b,oy,ox,o] = act(bias[o] + sum_{ky,kx,i} x[b, oy*sh - ph + ky*dh, ox*sw - pw + kx*dw, g*Cg + i]
 *                                          * w[o, ky, kx, i]),   g = o / (Cout / groups)
 * NHWC input/output, OHWI filter [Cout, kh, kw, Cg], groups = Cin / Cg (grouped convolution, v6).
 * Points outside the input contribute nothing (TFLite's "zero padding by omitting").
 * Types (TFLite's reference kernels; real = scale * (q - zero_point)):
 *  - float32 (filter and bias may be computed tensors, e.g. DEQUANTIZE of fp16 weights);
 *  - int8 in/out, int8 filter per channel or per tensor (zero point 0), int32 bias: int32
 *    accumulator of w * (x - zp_x), + bias, MultiplyByQuantizedMultiplier per channel,
 *    + zp_y, clamp to the fused activation's quantized range;
 *  - uint8 in/out/filter (per tensor, filter zero point honoured), int32 bias, legacy multiplier;
 *  - int16 in/out (zero points 0) x int8 filter: with an int64 bias, int64 accumulator and the
 *    64-bit MultiplyByQuantizedMultiplier; with an int32 bias (v8) or none, TFLite's int32
 *    accumulator and 32-bit (double-rounding) requantization;
 *  - hybrid float in/out with int8 filter: the input is quantized per batch at run time;
 *    per-tensor (or all-equal) filter scales use symmetric quantization and
 *    y = float(acc) * (s_x[b] * s_w) + bias; distinct per-channel scales, or groups, use
 *    asymmetric quantization and y = float(sum w * (q - zp_x[b])) * (s_w[o] * s_x[b]) + bias.
 * prepare computes the geometry, padding, per-channel multipliers and clamp ranges; float32 with
 * constant weights runs the gemm_f32 microkernel when the table has one (conv2d_fast.c).
 * 8-bit requantization follows tflc_conv_rq_mode() (conv_util.h): TFLite's reference arithmetic. */
#include "kernels/ref/conv_fast_s8.h"
#include "kernels/ref/conv_util.h"
#include "kernels/ref/f32_fast.h"

struct conv2d_data {
    struct tflc_conv_geom g;
    int32_t cin_g, cout_g;      /* input channels per group (filter depth), output channels per group */
    float f_lo, f_hi;           /* float activation clamp */
    int32_t x_off, w_off;       /* -zp_x, -zp_w (uint8 only, else 0) */
    struct tflc_conv_rq rq;     /* [Cout] requantization, output zero point and clamp (quantized types) */
    bool acc32;                 /* int16: int32 accumulator (int32 or no bias) instead of int64 */
    bool per_channel;           /* hybrid: TFLite's per-channel path (asymmetric input) */
    float w_scale;              /* hybrid per-tensor filter scale */
    const float *w_scales;      /* hybrid filter scales (1 or Cout), borrowed from the model */
    int32_t w_nscales;
    struct tflc_conv_fast_s8 *fast; /* int8 microkernel path (conv_fast_s8.h), NULL: reference loop */
};

/* One eval call: tensors' data and where the current output pixel is. */
struct conv_run {
    const struct conv2d_data *d;
    const void *x, *w, *bias;
    void *y;
    struct tflc_conv_hybrid_scratch hs;  /* hybrid only */
};

struct conv_win {
    int32_t b;                  /* batch */
    int64_t iy0, ix0;           /* input coordinate of filter tap (0, 0) */
    int32_t ky0, ky1, kx0, kx1; /* taps inside the input */
    size_t y_at;                /* element offset of y[b, oy, ox, 0] */
};

typedef void (*conv_pixel_fn)(const struct conv_run *r, const struct conv_win *p);

/* Visits every output pixel with its window of in-bounds taps. */
static void conv_for_each_pixel(const struct conv_run *r, conv_pixel_fn fn) {
    const struct tflc_conv_geom *g = &r->d->g;
    struct conv_win p;
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

/* Element offset of x[b, iy, ix, c]. */
static inline size_t x_at(const struct tflc_conv_geom *g, int32_t b, int64_t iy, int64_t ix, int32_t ch) {
    return (((size_t)b * (size_t)g->in_h + (size_t)iy) * (size_t)g->in_w + (size_t)ix) * (size_t)g->in_c + (size_t)ch;
}

/* Dot product of output channel o's filter with its window over the in-bounds taps and the
 * group's input channels, in TFLite's order (ky, kx, i); integer types add offsets first:
 * sum (x + xo) * (w + wo). */
static float dot_f32(const struct conv_run *r, const struct conv_win *p, int32_t o) {
    const struct conv2d_data *d = r->d;
    const struct tflc_conv_geom *g = &d->g;
    const int32_t cg = d->cin_g, c0 = (o / d->cout_g) * cg;
    const float *w_row = (const float *)r->w + (size_t)o * (size_t)g->k_h * (size_t)g->k_w * (size_t)cg;
    float acc = 0.0f;
    for (int32_t ky = p->ky0; ky < p->ky1; ky++) {
        int64_t iy = p->iy0 + (int64_t)ky * g->dil_h;
        for (int32_t kx = p->kx0; kx < p->kx1; kx++) {
            const float *xp = (const float *)r->x + x_at(g, p->b, iy, p->ix0 + (int64_t)kx * g->dil_w, c0);
            const float *wp = w_row + ((size_t)ky * (size_t)g->k_w + (size_t)kx) * (size_t)cg;
            for (int32_t i = 0; i < cg; i++) acc += xp[i] * wp[i];
        }
    }
    return acc;
}

#define DEFINE_DOT(name, XT, WT)                                                                   \
    static int64_t name(const struct conv_run *r, const struct conv_win *p, int32_t o, int32_t xo, int32_t wo) { \
        const struct conv2d_data *d = r->d;                                                        \
        const struct tflc_conv_geom *g = &d->g;                                                    \
        const int32_t cg = d->cin_g, c0 = (o / d->cout_g) * cg;                                    \
        const WT *w_row = (const WT *)r->w + (size_t)o * (size_t)g->k_h * (size_t)g->k_w * (size_t)cg; \
        int64_t acc = 0;                                                                           \
        for (int32_t ky = p->ky0; ky < p->ky1; ky++) {                                             \
            int64_t iy = p->iy0 + (int64_t)ky * g->dil_h;                                          \
            for (int32_t kx = p->kx0; kx < p->kx1; kx++) {                                         \
                const XT *xp = (const XT *)r->x + x_at(g, p->b, iy, p->ix0 + (int64_t)kx * g->dil_w, c0); \
                const WT *wp = w_row + ((size_t)ky * (size_t)g->k_w + (size_t)kx) * (size_t)cg;     \
                for (int32_t i = 0; i < cg; i++) acc += (int64_t)(xp[i] + xo) * (wp[i] + wo);      \
            }                                                                                      \
        }                                                                                          \
        return acc;                                                                                \
    }

DEFINE_DOT(dot_u8, uint8_t, uint8_t)
DEFINE_DOT(dot_s8, int8_t, int8_t)
DEFINE_DOT(dot_s16, int16_t, int8_t)

/* int32 arithmetic of TFLite's 32-bit accumulators (wraps instead of overflowing). */
static inline int32_t wrap32(int64_t v) { return (int32_t)(uint32_t)(uint64_t)v; }

static void px_f32(const struct conv_run *r, const struct conv_win *p) {
    const struct conv2d_data *d = r->d;
    const float *bias = r->bias;
    float *y = (float *)r->y + p->y_at;
    for (int32_t o = 0; o < d->g.out_c; o++) {
        float acc = dot_f32(r, p, o);
        y[o] = tflc_conv_clampf(acc + (bias ? bias[o] : 0.0f), d->f_lo, d->f_hi);
    }
}

/* 8-bit: int32 accumulator, per-channel requantization, output offset, clamp. */
#define DEFINE_PX_Q8(name, T, DOT)                                                                 \
    static void name(const struct conv_run *r, const struct conv_win *p) {                        \
        const struct conv2d_data *d = r->d;                                                        \
        const int32_t *bias = r->bias;                                                             \
        T *y = (T *)r->y + p->y_at;                                                                \
        for (int32_t o = 0; o < d->g.out_c; o++) {                                                 \
            int32_t acc = wrap32(DOT(r, p, o, d->x_off, d->w_off) + (bias ? bias[o] : 0));         \
            y[o] = (T)tflc_conv_rq_apply(&d->rq, o, acc);                                          \
        }                                                                                          \
    }

DEFINE_PX_Q8(px_u8, uint8_t, dot_u8)
DEFINE_PX_Q8(px_s8, int8_t, dot_s8)

/* 16x8 with int64 bias: 64-bit accumulator and requantization (zero points are 0). */
static void px_s16_acc64(const struct conv_run *r, const struct conv_win *p) {
    const struct conv2d_data *d = r->d;
    const int64_t *bias = r->bias;
    int16_t *y = (int16_t *)r->y + p->y_at;
    for (int32_t o = 0; o < d->g.out_c; o++) {
        int64_t acc = tflc_wrap_add64(dot_s16(r, p, o, 0, 0), bias ? bias[o] : 0);
        y[o] = (int16_t)tflc_clamp_i32(tflc_mbqm64(acc, d->rq.mult[o], d->rq.shift[o]), d->rq.lo, d->rq.hi);
    }
}

/* 16x8 with int32 bias (v8): TFLite accumulates in int32 and uses the 32-bit requantization. */
static void px_s16_acc32(const struct conv_run *r, const struct conv_win *p) {
    const struct conv2d_data *d = r->d;
    const int32_t *bias = r->bias;
    int16_t *y = (int16_t *)r->y + p->y_at;
    for (int32_t o = 0; o < d->g.out_c; o++) {
        int32_t acc = wrap32(dot_s16(r, p, o, 0, 0) + (bias ? bias[o] : 0));
        y[o] = (int16_t)tflc_clamp_i32(tflc_mbqm(acc, d->rq.mult[o], d->rq.shift[o]), d->rq.lo, d->rq.hi);
    }
}

/* Hybrid: dot products of the int8 quantized input (zero point zp_x[b]) with the int8 filter,
 * rescaled in float as TFLite's optimized hybrid kernels do (the builtin kernels Google's
 * runtime runs): per channel float(acc) * (s_w[o] * s_x[b]), per tensor float(acc) * (s_x[b] * s_w). */
static void px_hybrid(const struct conv_run *r, const struct conv_win *p) {
    const struct conv2d_data *d = r->d;
    const float *bias = r->bias;
    float *y = (float *)r->y + p->y_at;
    struct conv_run q = *r;
    q.x = r->hs.q;
    const float sx = r->hs.scale[p->b];
    const int32_t zx = r->hs.zp[p->b];
    for (int32_t o = 0; o < d->g.out_c; o++) {
        int32_t acc = wrap32(dot_s8(&q, p, o, -zx, 0));
        float s = d->per_channel ? d->w_scales[d->w_nscales > 1 ? o : 0] * sx : sx * d->w_scale;
        y[o] = tflc_conv_clampf((float)acc * s + (bias ? bias[o] : 0.0f), d->f_lo, d->f_hi);
    }
}

static enum tflc_status eval_with(const struct tflc_op_ctx *c, conv_pixel_fn fn) {
    struct conv_run r;
    r.d = c->node->data;
    r.x = tflc_op_in(c, 0)->data;
    r.w = tflc_op_in(c, 1)->data;
    const struct tflc_tensor *b = tflc_op_in(c, 2);
    r.bias = b ? b->data : NULL;
    r.y = tflc_op_out(c, 0)->data;
    conv_for_each_pixel(&r, fn);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return eval_with(c, px_f32); }
static enum tflc_status eval_u8(const struct tflc_op_ctx *c) { return eval_with(c, px_u8); }
static enum tflc_status eval_s8(const struct tflc_op_ctx *c) { return eval_with(c, px_s8); }
static enum tflc_status eval_s8_fast(const struct tflc_op_ctx *c) {
    const struct conv2d_data *d = c->node->data;
    return tflc_conv_fast_s8_eval(c, d->fast);
}
static enum tflc_status eval_s16(const struct tflc_op_ctx *c) {
    const struct conv2d_data *d = c->node->data;
    return eval_with(c, d->acc32 ? px_s16_acc32 : px_s16_acc64);
}

static enum tflc_status eval_hybrid(const struct tflc_op_ctx *c) {
    const struct conv2d_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    const size_t n = tflc_numel(x), per_batch = n / (size_t)d->g.n;
    const float *xf = x->data;
    struct conv_run r;
    r.d = d;
    r.x = NULL;
    r.w = tflc_op_in(c, 1)->data;
    const struct tflc_tensor *b = tflc_op_in(c, 2);
    r.bias = b ? b->data : NULL;
    r.y = tflc_op_out(c, 0)->data;
    r.hs = tflc_conv_hybrid_scratch_at(c->node->scratch, n, d->g.n);
    for (int32_t i = 0; i < d->g.n; i++) {
        size_t at = (size_t)i * per_batch;
        if (d->per_channel) {
            tflc_conv_quantize_asym(xf + at, per_batch, r.hs.q + at, &r.hs.scale[i], &r.hs.zp[i]);
        } else {
            tflc_conv_quantize_sym(xf + at, per_batch, r.hs.q + at, &r.hs.scale[i]);
            r.hs.zp[i] = 0;
        }
    }
    conv_for_each_pixel(&r, px_hybrid);
    return TFLC_STATUS_OK;
}

/* Types of the hybrid path: float input/output/bias, int8 filter with per-tensor or
 * per-output-channel scales. */
static enum tflc_status prepare_hybrid(struct tflc_op_ctx *c, struct conv2d_data *d, const struct tflc_tensor *x,
                                       const struct tflc_tensor *w, int act) {
    enum tflc_status st = tflc_conv_check_filter_q(c, w, d->g.out_c, 0);
    if (st) return st;
    if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi)) return tflc_conv_act_unsupported(c, act);
    d->w_scale = w->quant.scale;
    d->w_scales = w->quant.scales;
    d->w_nscales = w->quant.num_scales;
    /* TFLite takes the per-channel path when the scales actually differ, and for grouped
     * convolutions (its per-tensor hybrid kernel has no groups). */
    for (int32_t i = 1; i < w->quant.num_scales; i++)
        if (w->quant.scales[i] != w->quant.scales[0]) d->per_channel = true;
    if (d->cin_g != d->g.in_c) d->per_channel = true;
    tflc_op_request_scratch(c, tflc_conv_hybrid_scratch_bytes(tflc_numel(x), d->g.n));
    c->node->eval = eval_hybrid;
    return TFLC_STATUS_OK;
}

/* Types of the quantized paths; the bias type was checked by the caller. */
static enum tflc_status prepare_quant(struct tflc_op_ctx *c, struct conv2d_data *d, const struct tflc_tensor *x,
                                      const struct tflc_tensor *w, const struct tflc_tensor *bias,
                                      const struct tflc_tensor *y, int act) {
    enum tflc_status st = tflc_conv_check_filter_q(c, w, d->g.out_c, 0);
    if (st) return st;
    if (x->dtype == TFLC_DTYPE_UINT8 && w->quant.num_scales > 1)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "uint8 filter '%s' with per-channel scales is not supported", w->name);
    if (bias && bias->quant.zero_point != 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "bias '%s' has zero point %d, expected 0", bias->name,
                            bias->quant.zero_point);
    if (x->dtype == TFLC_DTYPE_INT16 && (x->quant.zero_point != 0 || y->quant.zero_point != 0))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 input '%s' and output '%s' need zero points of 0", x->name,
                            y->name);
    if ((st = tflc_conv_rq_init(c, x, w, bias, y, act, d->g.out_c, &d->rq))) return st;
    d->x_off = -x->quant.zero_point;
    d->w_off = x->dtype == TFLC_DTYPE_UINT8 ? -w->quant.zero_point : 0;
    if (x->dtype == TFLC_DTYPE_INT8 && d->cin_g == d->g.in_c) {
        st = tflc_conv_fast_s8_prepare_conv2d(c, &d->g, w, bias, x->quant.zero_point, &d->rq, &d->fast);
        if (st) return st;
        if (d->fast) c->node->eval = eval_s8_fast;
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_conv2d_prepare(struct tflc_op_ctx *c) {
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
    struct conv2d_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    struct tflc_conv_geom *g = &d->g;
    g->n = x->dims[0];
    g->in_h = x->dims[1];
    g->in_w = x->dims[2];
    g->in_c = x->dims[3];
    g->out_c = w->dims[0];
    g->k_h = w->dims[1];
    g->k_w = w->dims[2];
    d->cin_g = w->dims[3];
    if (g->in_c % d->cin_g != 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' has %d channels, not a multiple of filter '%s' depth %d",
                            x->name, g->in_c, w->name, d->cin_g);
    const int32_t groups = g->in_c / d->cin_g;
    if (g->out_c % groups != 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "%d output channels do not split into %d groups", g->out_c, groups);
    d->cout_g = g->out_c / groups;
    struct tflc_fb_table o = c->node->options;
    const int padding = tflc_tfl_conv2d_options_padding(o);
    const int act = tflc_tfl_conv2d_options_fused_activation_function(o);
    g->stride_h = tflc_tfl_conv2d_options_stride_h(o);
    g->stride_w = tflc_tfl_conv2d_options_stride_w(o);
    g->dil_h = tflc_tfl_conv2d_options_dilation_h_factor(o);
    g->dil_w = tflc_tfl_conv2d_options_dilation_w_factor(o);
    if ((st = tflc_conv_axes(c, padding, g))) return st;
    const int32_t shape[4] = {g->n, g->out_h, g->out_w, g->out_c};
    if ((st = tflc_op_set_shape(c, y, 4, shape))) return st;
    if (bias && tflc_numel(bias) != (size_t)g->out_c)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "bias '%s' has %zu elements, expected %d", bias->name,
                            tflc_numel(bias), g->out_c);

    const enum tflc_dtype bt = bias ? bias->dtype : TFLC_DTYPE_COUNT;
    if (x->dtype == TFLC_DTYPE_FLOAT32 && y->dtype == TFLC_DTYPE_FLOAT32 && (!bias || bt == TFLC_DTYPE_FLOAT32)) {
        if (w->dtype == TFLC_DTYPE_INT8) return prepare_hybrid(c, d, x, w, act);
        if (w->dtype != TFLC_DTYPE_FLOAT32) return tflc_op_unsupported(c);
        if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi)) return tflc_conv_act_unsupported(c, act);
        bool fast = false;
        if ((st = tflc_conv2d_fast_prepare(c, g, d->f_lo, d->f_hi, &fast)) || fast) return st;
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    }
    if (y->dtype != x->dtype) return tflc_op_unsupported(c);
    if (x->dtype == TFLC_DTYPE_UINT8 && w->dtype == TFLC_DTYPE_UINT8 && (!bias || bt == TFLC_DTYPE_INT32)) {
        c->node->eval = eval_u8;
    } else if (x->dtype == TFLC_DTYPE_INT8 && w->dtype == TFLC_DTYPE_INT8 && (!bias || bt == TFLC_DTYPE_INT32)) {
        c->node->eval = eval_s8;
    } else if (x->dtype == TFLC_DTYPE_INT16 && w->dtype == TFLC_DTYPE_INT8 &&
               (!bias || bt == TFLC_DTYPE_INT64 || bt == TFLC_DTYPE_INT32)) {
        /* As TFLite: the 64-bit path only with an int64 bias; an int32 bias (or none) runs
         * the int32 accumulator with the 32-bit double-rounding requantization. */
        d->acc32 = !(bias && bt == TFLC_DTYPE_INT64);
        c->node->eval = eval_s16;
    } else {
        return tflc_op_unsupported(c);
    }
    return prepare_quant(c, d, x, w, bias, y, act);
}
