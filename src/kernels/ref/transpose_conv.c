/* TRANSPOSE_CONV: the gradient of CONV_2D: every input pixel scatters x[b,iy,ix,i] * w[o,ky,kx,i]
 * onto y[b, iy*sh - ph + ky, ix*sw - pw + kx, o] (points outside the output are dropped), then
 * y = act(y + bias[o]). Inputs: 0 output shape (constant int32 [4]), 1 filter OHWI
 * [Cout, kh, kw, Cin], 2 input NHWC, 3 optional bias. The padding is TFLite's: that of a
 * CONV_2D from an input of the output's size (SAME: ceil(out / stride) positions, VALID: 0).
 * Computed here as a gather: each output element sums its contributions in the order TFLite's
 * reference scatter adds them (iy, ix, i ascending), so floats round the same way.
 * Types (TFLite's reference kernels; real = scale * (q - zero_point)):
 *  - float32; int8 in/out with int8 filter per channel or per tensor and int32 bias (int32
 *    accumulator, per-channel MultiplyByQuantizedMultiplier, + zp_y, clamp); uint8 per tensor
 *    (filter zero point honoured, legacy multiplier); int16 in/out (zero points 0) x int8 filter
 *    with int64 bias (64-bit accumulator and requantization) or with an int32 bias (v5) or none
 *    (int32 accumulator and 32-bit double-rounding requantization, as TFLite).
 * The fused activation (v4) clamps in float or in the output's quantized domain.
 * 8-bit requantization follows tflc_conv_rq_mode() (conv_util.h): TFLite's reference arithmetic. */
#include "kernels/ref/conv_util.h"

struct tconv_data {
    struct tflc_conv_geom g;    /* in_* = the data input, out_* = the output; dilation 1 */
    float f_lo, f_hi;           /* float activation clamp */
    int32_t x_off, w_off;       /* -zp_x, -zp_w (uint8 only, else 0) */
    struct tflc_conv_rq rq;     /* [Cout] requantization, output zero point and clamp (quantized types) */
    bool acc32;                 /* int16: int32 accumulator (int32 or no bias) instead of int64 */
};

struct tconv_run {
    const struct tconv_data *d;
    const void *x, *w, *bias;
    void *y;
};

/* Input positions [*i0, *i1) along one axis that reach output position `o`: those with
 * tap k = o + pad - i * stride in [0, k). */
static inline void sources(int32_t o, int32_t pad, int32_t stride, int32_t k, int32_t in, int32_t *i0, int32_t *i1) {
    int64_t top = (int64_t)o + pad;          /* >= 0 */
    int64_t lo = top - k + 1;
    int64_t a = lo <= 0 ? 0 : (lo + stride - 1) / stride;
    int64_t b = top / stride + 1;
    if (b > in) b = in;
    if (a > b) a = b;
    *i0 = (int32_t)a;
    *i1 = (int32_t)b;
}

struct tconv_win {
    int32_t b, oy, ox;
    int32_t iy0, iy1, ix0, ix1; /* contributing input rows / columns */
    size_t y_at;                /* element offset of y[b, oy, ox, 0] */
};

typedef void (*tconv_pixel_fn)(const struct tconv_run *r, const struct tconv_win *p);

static void for_each_pixel(const struct tconv_run *r, tconv_pixel_fn fn) {
    const struct tflc_conv_geom *g = &r->d->g;
    struct tconv_win p;
    p.y_at = 0;
    for (p.b = 0; p.b < g->n; p.b++)
        for (p.oy = 0; p.oy < g->out_h; p.oy++) {
            sources(p.oy, g->pad_h, g->stride_h, g->k_h, g->in_h, &p.iy0, &p.iy1);
            for (p.ox = 0; p.ox < g->out_w; p.ox++) {
                sources(p.ox, g->pad_w, g->stride_w, g->k_w, g->in_w, &p.ix0, &p.ix1);
                fn(r, &p);
                p.y_at += (size_t)g->out_c;
            }
        }
}

/* Element offsets of x[b, iy, ix, 0] and w[o, ky, kx, 0]. */
static inline size_t x_at(const struct tflc_conv_geom *g, int32_t b, int32_t iy, int32_t ix) {
    return (((size_t)b * (size_t)g->in_h + (size_t)iy) * (size_t)g->in_w + (size_t)ix) * (size_t)g->in_c;
}
static inline size_t w_at(const struct tflc_conv_geom *g, int32_t o, int64_t ky, int64_t kx) {
    return (((size_t)o * (size_t)g->k_h + (size_t)ky) * (size_t)g->k_w + (size_t)kx) * (size_t)g->in_c;
}

static float dot_f32(const struct tconv_run *r, const struct tconv_win *p, int32_t o) {
    const struct tflc_conv_geom *g = &r->d->g;
    float acc = 0.0f;
    for (int32_t iy = p->iy0; iy < p->iy1; iy++) {
        int64_t ky = (int64_t)p->oy + g->pad_h - (int64_t)iy * g->stride_h;
        for (int32_t ix = p->ix0; ix < p->ix1; ix++) {
            int64_t kx = (int64_t)p->ox + g->pad_w - (int64_t)ix * g->stride_w;
            const float *xp = (const float *)r->x + x_at(g, p->b, iy, ix);
            const float *wp = (const float *)r->w + w_at(g, o, ky, kx);
            for (int32_t i = 0; i < g->in_c; i++) acc += xp[i] * wp[i];
        }
    }
    return acc;
}

#define DEFINE_DOT(name, XT, WT)                                                                   \
    static int64_t name(const struct tconv_run *r, const struct tconv_win *p, int32_t o, int32_t xo, int32_t wo) { \
        const struct tflc_conv_geom *g = &r->d->g;                                                 \
        int64_t acc = 0;                                                                           \
        for (int32_t iy = p->iy0; iy < p->iy1; iy++) {                                             \
            int64_t ky = (int64_t)p->oy + g->pad_h - (int64_t)iy * g->stride_h;                    \
            for (int32_t ix = p->ix0; ix < p->ix1; ix++) {                                         \
                int64_t kx = (int64_t)p->ox + g->pad_w - (int64_t)ix * g->stride_w;                \
                const XT *xp = (const XT *)r->x + x_at(g, p->b, iy, ix);                           \
                const WT *wp = (const WT *)r->w + w_at(g, o, ky, kx);                              \
                for (int32_t i = 0; i < g->in_c; i++) acc += (int64_t)(xp[i] + xo) * (wp[i] + wo); \
            }                                                                                      \
        }                                                                                          \
        return acc;                                                                                \
    }

DEFINE_DOT(dot_u8, uint8_t, uint8_t)
DEFINE_DOT(dot_s8, int8_t, int8_t)
DEFINE_DOT(dot_s16, int16_t, int8_t)

/* int32 arithmetic of TFLite's 32-bit accumulators (wraps instead of overflowing). */
static inline int32_t wrap32(int64_t v) { return (int32_t)(uint32_t)(uint64_t)v; }

static void px_f32(const struct tconv_run *r, const struct tconv_win *p) {
    const struct tconv_data *d = r->d;
    const float *bias = r->bias;
    float *y = (float *)r->y + p->y_at;
    for (int32_t o = 0; o < d->g.out_c; o++) {
        float acc = dot_f32(r, p, o);
        if (bias) acc += bias[o];
        y[o] = tflc_conv_clampf(acc, d->f_lo, d->f_hi);
    }
}

#define DEFINE_PX_Q8(name, T, DOT)                                                                 \
    static void name(const struct tconv_run *r, const struct tconv_win *p) {                      \
        const struct tconv_data *d = r->d;                                                         \
        const int32_t *bias = r->bias;                                                             \
        T *y = (T *)r->y + p->y_at;                                                                \
        for (int32_t o = 0; o < d->g.out_c; o++) {                                                 \
            int32_t acc = wrap32(DOT(r, p, o, d->x_off, d->w_off) + (bias ? bias[o] : 0));         \
            y[o] = (T)tflc_conv_rq_apply(&d->rq, o, acc);                                          \
        }                                                                                          \
    }

DEFINE_PX_Q8(px_u8, uint8_t, dot_u8)
DEFINE_PX_Q8(px_s8, int8_t, dot_s8)

static void px_s16_acc64(const struct tconv_run *r, const struct tconv_win *p) {
    const struct tconv_data *d = r->d;
    const int64_t *bias = r->bias;
    int16_t *y = (int16_t *)r->y + p->y_at;
    for (int32_t o = 0; o < d->g.out_c; o++) {
        int64_t acc = tflc_wrap_add64(dot_s16(r, p, o, 0, 0), bias ? bias[o] : 0);
        y[o] = (int16_t)tflc_clamp_i32(tflc_mbqm64(acc, d->rq.mult[o], d->rq.shift[o]), d->rq.lo, d->rq.hi);
    }
}

static void px_s16_acc32(const struct tconv_run *r, const struct tconv_win *p) {
    const struct tconv_data *d = r->d;
    const int32_t *bias = r->bias;
    int16_t *y = (int16_t *)r->y + p->y_at;
    for (int32_t o = 0; o < d->g.out_c; o++) {
        int32_t acc = wrap32(dot_s16(r, p, o, 0, 0) + (bias ? bias[o] : 0));
        y[o] = (int16_t)tflc_clamp_i32(tflc_mbqm(acc, d->rq.mult[o], d->rq.shift[o]), d->rq.lo, d->rq.hi);
    }
}

static enum tflc_status eval_with(const struct tflc_op_ctx *c, tconv_pixel_fn fn) {
    struct tconv_run r;
    r.d = c->node->data;
    r.w = tflc_op_in(c, 1)->data;
    r.x = tflc_op_in(c, 2)->data;
    const struct tflc_tensor *b = tflc_op_in(c, 3);
    r.bias = b ? b->data : NULL;
    r.y = tflc_op_out(c, 0)->data;
    for_each_pixel(&r, fn);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return eval_with(c, px_f32); }
static enum tflc_status eval_u8(const struct tflc_op_ctx *c) { return eval_with(c, px_u8); }
static enum tflc_status eval_s8(const struct tflc_op_ctx *c) { return eval_with(c, px_s8); }
static enum tflc_status eval_s16(const struct tflc_op_ctx *c) {
    const struct tconv_data *d = c->node->data;
    return eval_with(c, d->acc32 ? px_s16_acc32 : px_s16_acc64);
}

/* TFLite's transpose-conv padding along one axis: a CONV_2D's padding for an input of the
 * output's size. VALID pads nothing. */
static enum tflc_status axis_pad(const struct tflc_op_ctx *c, int padding, int32_t out, int32_t k, int32_t stride,
                                 int32_t *pad) {
    *pad = 0;
    if (padding == TFLC_TFL_PADDING_VALID) return TFLC_STATUS_OK;
    int32_t conv_out;
    if (!tflc_conv_out_size(padding, out, k, stride, 1, &conv_out) || !tflc_conv_pad(stride, 1, out, k, conv_out, pad, NULL))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "padding of output size %d, filter %d, stride %d overflows", out, k,
                            stride);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_transpose_conv_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 3, 4, 1);
    if (st) return st;
    struct tflc_tensor *shp = tflc_op_in(c, 0), *w = tflc_op_in(c, 1), *x = tflc_op_in(c, 2), *bias = tflc_op_in(c, 3);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    if (!shp || !w || !x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output shape, filter or input is missing");
    if (shp->dtype != TFLC_DTYPE_INT32 || tflc_numel(shp) != 4 || shp->rank != 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output shape '%s' must be an int32 vector of 4 elements", shp->name);
    if (!tflc_op_is_const(c, shp))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "output shape '%s' is computed at run time; only a constant is supported",
                            shp->name);
    if (x->rank != 4 || w->rank != 4)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' (rank %d) and filter '%s' (rank %d) must be 4-D",
                            x->name, x->rank, w->name, w->rank);
    const int32_t *os = shp->data;
    for (int i = 0; i < 4; i++)
        if (x->dims[i] <= 0 || w->dims[i] <= 0 || os[i] <= 0)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s', filter '%s' or output shape '%s' is empty or negative",
                                x->name, w->name, shp->name);
    if (os[0] != x->dims[0] || os[3] != w->dims[0] || w->dims[3] != x->dims[3])
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "shapes do not match: output [%d,%d,%d,%d], filter [%d,%d,%d,%d], input [%d,%d,%d,%d]", os[0],
                            os[1], os[2], os[3], w->dims[0], w->dims[1], w->dims[2], w->dims[3], x->dims[0], x->dims[1],
                            x->dims[2], x->dims[3]);
    struct tconv_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    struct tflc_conv_geom *g = &d->g;
    g->n = x->dims[0];
    g->in_h = x->dims[1];
    g->in_w = x->dims[2];
    g->in_c = x->dims[3];
    g->out_h = os[1];
    g->out_w = os[2];
    g->out_c = os[3];
    g->k_h = w->dims[1];
    g->k_w = w->dims[2];
    g->dil_h = g->dil_w = 1;
    struct tflc_fb_table o = c->node->options;
    const int padding = tflc_tfl_transpose_conv_options_padding(o);
    const int act = tflc_tfl_transpose_conv_options_fused_activation_function(o);
    g->stride_h = tflc_tfl_transpose_conv_options_stride_h(o);
    g->stride_w = tflc_tfl_transpose_conv_options_stride_w(o);
    if (padding != TFLC_TFL_PADDING_SAME && padding != TFLC_TFL_PADDING_VALID)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "unknown padding %d", padding);
    if (g->stride_h <= 0 || g->stride_w <= 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "strides %dx%d must be >= 1", g->stride_h, g->stride_w);
    if ((st = axis_pad(c, padding, g->out_h, g->k_h, g->stride_h, &g->pad_h))) return st;
    if ((st = axis_pad(c, padding, g->out_w, g->k_w, g->stride_w, &g->pad_w))) return st;
    if ((st = tflc_op_set_shape(c, y, 4, os))) return st;
    if (bias && tflc_numel(bias) != (size_t)g->out_c)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "bias '%s' has %zu elements, expected %d", bias->name,
                            tflc_numel(bias), g->out_c);

    const enum tflc_dtype bt = bias ? bias->dtype : TFLC_DTYPE_COUNT;
    if (y->dtype != x->dtype) return tflc_op_unsupported(c);
    if (x->dtype == TFLC_DTYPE_FLOAT32 && w->dtype == TFLC_DTYPE_FLOAT32 && (!bias || bt == TFLC_DTYPE_FLOAT32)) {
        if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi)) return tflc_conv_act_unsupported(c, act);
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    }
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
    if ((st = tflc_conv_check_filter_q(c, w, g->out_c, 0))) return st;
    if (x->dtype == TFLC_DTYPE_UINT8 && w->quant.num_scales > 1)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "uint8 filter '%s' with per-channel scales is not supported", w->name);
    if (bias && x->dtype != TFLC_DTYPE_UINT8 && bias->quant.zero_point != 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "bias '%s' has zero point %d, expected 0", bias->name,
                            bias->quant.zero_point);
    if (x->dtype == TFLC_DTYPE_INT16 && (x->quant.zero_point != 0 || y->quant.zero_point != 0))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 input '%s' and output '%s' need zero points of 0", x->name,
                            y->name);
    if ((st = tflc_conv_rq_init(c, x, w, bias, y, act, g->out_c, &d->rq))) return st;
    d->x_off = -x->quant.zero_point;
    d->w_off = x->dtype == TFLC_DTYPE_UINT8 ? -w->quant.zero_point : 0;
    return TFLC_STATUS_OK;
}
