/* Private helpers of the "pool" group (AVERAGE_POOL_2D, MAX_POOL_2D, SOFTMAX, LOG_SOFTMAX,
 * L2_NORMALIZATION):
 *  - pooling window geometry as TFLite computes it (kernels/padding.h): output size
 *    SAME = ceil(in / stride), VALID = (in - k + stride) / stride; padding before
 *    = max(0, (out - 1) * stride + k - in) / 2; windows are clipped to the input, so padded
 *    cells never take part (the average divides by the clipped window's size);
 *  - the quantized-tensor checks these kernels share;
 *  - gemmlowp fixed-point math on int32 raw values (FixedPoint<int32_t, IntegerBits>):
 *    exp on negative values, 1/(1+x), log(x >= 1) and TFLite's inverse square root, used by
 *    int8 LOG_SOFTMAX and quantized L2_NORMALIZATION. Additions wrap like gemmlowp's (done
 *    in unsigned arithmetic so they are defined in C); products are
 *    SaturatingRoundingDoublingHighMul.
 * Everything is static inline and stateless. */
#ifndef TFLC_KERNELS_REF_POOL_UTIL_H
#define TFLC_KERNELS_REF_POOL_UTIL_H

#include "kernels/ref/common.h"

/* ---- quantized tensor checks ---- */

static inline bool pool_is_q(enum tflc_dtype t) {
    return t == TFLC_DTYPE_INT8 || t == TFLC_DTYPE_UINT8 || t == TFLC_DTYPE_INT16;
}

/* A quantized tensor must carry a positive per-tensor scale. */
static inline enum tflc_status pool_need_scale(const struct tflc_op_ctx *c, const struct tflc_tensor *t) {
    if (t->quant.num_scales < 1 || !(t->quant.scale > 0.0f))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "quantized tensor '%s' (%s) has no scale", t->name,
                            tflc_dtype_name(t->dtype));
    return TFLC_STATUS_OK;
}

/* TFLite's fixed output quantization of softmax-like ops: scale within 0.1% of `scale`
 * (TFLite Micro's tolerance) and exactly this zero point. */
static inline enum tflc_status pool_need_out_q(const struct tflc_op_ctx *c, const struct tflc_tensor *y, double scale,
                                               int32_t zp, const char *scale_txt) {
    enum tflc_status st = pool_need_scale(c, y);
    if (st) return st;
    if (fabs((double)y->quant.scale - scale) > 0.001 * scale || y->quant.zero_point != zp)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                            "%s output '%s' must have scale %s and zero point %d as TFLite requires (has %g, %d)",
                            tflc_dtype_name(y->dtype), y->name, scale_txt, (int)zp, (double)y->quant.scale,
                            (int)y->quant.zero_point);
    return TFLC_STATUS_OK;
}

/* ---- pooling geometry ---- */

struct pool_geom {
    int32_t n, in_h, in_w, ch;  /* input [n, in_h, in_w, ch] (NHWC) */
    int32_t out_h, out_w;       /* output [n, out_h, out_w, ch] */
    int32_t k_h, k_w;           /* window, >= 1 */
    int32_t stride_h, stride_w; /* >= 1 */
    int32_t pad_h, pad_w;       /* padding before (top, left), >= 0 */
};

/* One spatial axis: TFLite's ComputeOutSize + ComputePaddingWithOffset (dilation 1). */
static inline enum tflc_status pool_axis(const struct tflc_op_ctx *c, const char *axis, int padding, int32_t in,
                                         int32_t k, int32_t stride, int32_t *out, int32_t *pad) {
    if (stride <= 0 || k <= 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "%s stride %d and filter size %d must be >= 1", axis,
                            (int)stride, (int)k);
    int64_t o =
        padding == TFLC_TFL_PADDING_SAME ? ((int64_t)in + stride - 1) / stride : ((int64_t)in + stride - k) / stride;
    if (o <= 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "%s filter size %d is larger than the input (%d) with VALID padding", axis, (int)k,
                            (int)in);
    int64_t total = (o - 1) * stride + k - in;
    *out = (int32_t)o;
    *pad = total > 0 ? (int32_t)(total / 2) : 0;
    return TFLC_STATUS_OK;
}

/* Validates a pooling op (1 input, 1 output, rank-4 input, same dtype in and out, Pool2D
 * options), fills the geometry and sets the output shape [n, out_h, out_w, ch]. */
static inline enum tflc_status pool_prepare_geom(struct tflc_op_ctx *c, struct pool_geom *g, int *act) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->rank != 4)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' must be 4-D NHWC, has rank %d", x->name,
                            (int)x->rank);
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    for (int i = 0; i < 4; i++)
        if (x->dims[i] <= 0)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' is zero-sized (dim %d is %d)", x->name, i,
                                (int)x->dims[i]);
    struct tflc_fb_table o = c->node->options;
    int padding = tflc_tfl_pool2d_options_padding(o);
    if (padding != TFLC_TFL_PADDING_SAME && padding != TFLC_TFL_PADDING_VALID)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "unknown padding %d", padding);
    g->n = x->dims[0];
    g->in_h = x->dims[1];
    g->in_w = x->dims[2];
    g->ch = x->dims[3];
    g->k_h = tflc_tfl_pool2d_options_filter_height(o);
    g->k_w = tflc_tfl_pool2d_options_filter_width(o);
    g->stride_h = tflc_tfl_pool2d_options_stride_h(o);
    g->stride_w = tflc_tfl_pool2d_options_stride_w(o);
    /* A PAD fused into a MAX_POOL_2D (runtime/fuse.c: VALID over the padded input, each pad
     * smaller than the window, inputs >= the pad value) is this op's own padding before. */
    const struct tflc_node *nd = c->node;
    const int32_t *fp = nd->fused_pad;
    const int32_t in_h = nd->has_fused_pad ? g->in_h + fp[0] + fp[1] : g->in_h;
    const int32_t in_w = nd->has_fused_pad ? g->in_w + fp[2] + fp[3] : g->in_w;
    if ((st = pool_axis(c, "height", padding, in_h, g->k_h, g->stride_h, &g->out_h, &g->pad_h))) return st;
    if ((st = pool_axis(c, "width", padding, in_w, g->k_w, g->stride_w, &g->out_w, &g->pad_w))) return st;
    if (nd->has_fused_pad) {
        g->pad_h = fp[0];
        g->pad_w = fp[2];
    }
    *act = tflc_tfl_pool2d_options_fused_activation_function(o);
    int32_t shape[4] = {g->n, g->out_h, g->out_w, g->ch};
    return tflc_op_set_shape(c, y, 4, shape);
}

/* Element offset of pixel (b, y, x), channel 0, in an NHWC tensor of height h, width w. */
static inline size_t pool_off(int32_t b, int32_t y, int32_t x, int32_t h, int32_t w, int32_t ch) {
    return (((size_t)b * (size_t)h + (size_t)y) * (size_t)w + (size_t)x) * (size_t)ch;
}

/* Input window of output cell (oy, ox), clipped to the input: rows [*y0, *y1), cols [*x0, *x1).
 * Never empty: VALID has no padding and (out - 1) * stride + k <= in; SAME pads less than
 * k / 2 before and (out - 1) * stride < in, so the first and last windows reach the input. */
static inline void pool_window(const struct pool_geom *g, int32_t oy, int32_t ox, int32_t *y0, int32_t *y1, int32_t *x0,
                               int32_t *x1) {
    int32_t iy = oy * g->stride_h - g->pad_h, ix = ox * g->stride_w - g->pad_w;
    *y0 = iy > 0 ? iy : 0;
    *y1 = iy + g->k_h < g->in_h ? iy + g->k_h : g->in_h;
    *x0 = ix > 0 ? ix : 0;
    *x1 = ix + g->k_w < g->in_w ? ix + g->k_w : g->in_w;
}

/* ---- work split over output rows ---- */

/* Computes output row (batch b, output row oy) of a pooling op: every ox and channel. */
typedef void (*pool_row_fn)(const void *ud, int32_t b, int32_t oy);

struct pool_par {
    pool_row_fn row;
    const void *ud;
    int32_t out_h, rows, chunk; /* rows = n * out_h; task t takes rows [t * chunk, ...) */
};

static inline void pool_par_task(void *ud, int t) {
    const struct pool_par *p = ud;
    int32_t r1 = (t + 1) * p->chunk < p->rows ? (t + 1) * p->chunk : p->rows;
    for (int32_t r = t * p->chunk; r < r1; r++) p->row(p->ud, r / p->out_h, r % p->out_h);
}

/* Window steps (output elements x window size) below which a pooling op stays on the caller. */
#define POOL_PAR_MIN_WORK 65536

/* Runs row() for every output row: on the caller in order, or (large outputs, several
 * threads) in up to 4 slices of whole rows per thread. Rows write disjoint outputs and each
 * is computed by the same code either way, so results do not depend on the thread count. */
static inline void pool_run_rows(const struct tflc_op_ctx *c, const struct pool_geom *g, pool_row_fn row,
                                 const void *ud) {
    struct pool_par p = {row, ud, g->out_h, g->n * g->out_h, 0};
    int threads = tflc_op_threads(c);
    double work = (double)p.rows * g->out_w * g->ch * g->k_h * g->k_w;
    if (threads <= 1 || p.rows < 2 || work < POOL_PAR_MIN_WORK) {
        p.chunk = p.rows;
        pool_par_task(&p, 0);
        return;
    }
    int tasks = threads * 4 < p.rows ? threads * 4 : p.rows;
    p.chunk = (p.rows + tasks - 1) / tasks;
    tflc_op_parallel(c, (p.rows + p.chunk - 1) / p.chunk, pool_par_task, &p);
}

/* ---- gemmlowp fixed point (int32 raw values) ---- */

static inline int32_t fxp_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t fxp_sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
static inline int32_t fxp_mul(int32_t a, int32_t b) { return tflc_srdhm(a, b); }

/* SaturatingRoundingMultiplyByPOT: x * 2^e, saturating for e > 0, rounding for e < 0. */
static inline int32_t fxp_mul_pot(int32_t x, int e) {
    if (e == 0) return x;
    if (e < 0) return tflc_rdbypot(x, -e);
    int32_t thr = (int32_t)((1u << (31 - e)) - 1u);
    if (x > thr) return INT32_MAX;
    if (x < -thr) return INT32_MIN;
    return (int32_t)((uint32_t)x << e);
}

/* Rescale<dst_bits>(FixedPoint<int32, src_bits>). */
static inline int32_t fxp_rescale(int32_t x, int src_bits, int dst_bits) { return fxp_mul_pot(x, src_bits - dst_bits); }

/* RoundingHalfSum: (a + b) / 2 rounded to nearest, ties away from zero. */
static inline int32_t fxp_half_sum(int32_t a, int32_t b) {
    int64_t s = (int64_t)a + b;
    return (int32_t)((s + (s >= 0 ? 1 : -1)) / 2);
}

static inline int32_t fxp_sat_add(int32_t a, int32_t b) {
    int64_t s = (int64_t)a + b;
    return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t)s;
}
static inline int32_t fxp_sat_sub(int32_t a, int32_t b) {
    int64_t s = (int64_t)a - b;
    return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t)s;
}

static inline int fxp_clz32(uint32_t x) {
    int n = 0;
    if (!x) return 32;
    while (!(x & 0x80000000u)) {
        x <<= 1;
        n++;
    }
    return n;
}

/* exp(a) for a in [-1/4, 0), Q0.31 in and out (a 4th-order Taylor expansion around -1/8). */
static inline int32_t fxp_exp_quarter(int32_t a) {
    const int32_t exp_m1_8 = 1895147668; /* exp(-1/8) */
    const int32_t one_third = 715827883; /* 1/3 */
    int32_t x = fxp_add(a, 1 << 28);     /* a + 1/8 */
    int32_t x2 = fxp_mul(x, x), x3 = fxp_mul(x2, x), x4 = fxp_mul(x2, x2);
    int32_t x4_4 = fxp_mul_pot(x4, -2);
    int32_t poly = fxp_mul_pot(fxp_add(fxp_mul(fxp_add(x4_4, x3), one_third), x2), -1);
    return fxp_add(exp_m1_8, fxp_mul(exp_m1_8, fxp_add(x, poly)));
}

/* exp_on_negative_values: exp(a) for a <= 0 given with `bits` integer bits; result Q0.31. */
static inline int32_t fxp_exp_neg(int32_t a, int bits) {
    static const int32_t mult[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int frac = 31 - bits;
    const int32_t quarter = (int32_t)1 << (frac - 2);
    int32_t a_mod = fxp_sub(a & (quarter - 1), quarter); /* in [-1/4, 0) */
    int32_t r = fxp_exp_quarter(fxp_rescale(a_mod, bits, 0));
    int32_t rem = fxp_sub(a_mod, a); /* the multiple of 1/4 still to apply */
    for (int e = -2; e <= 4; e++)    /* times exp(-2^e) for each set bit */
        if (bits > e && (rem & ((int32_t)1 << (frac + e)))) r = fxp_mul(r, mult[e + 2]);
    if (bits > 5 && a < -((int32_t)1 << (36 - bits))) r = 0; /* exp(< -32) */
    if (a == 0) r = INT32_MAX;
    return r;
}

/* one_over_one_plus_x_for_x_in_0_1: 1 / (1 + a), Q0.31 in and out (Newton-Raphson). */
static inline int32_t fxp_one_over_one_plus_x(int32_t a) {
    int32_t half_den = fxp_half_sum(a, INT32_MAX);
    const int32_t c48_17 = 1515870810, cm32_17 = -1010580540; /* Q2.29 */
    int32_t x = fxp_add(c48_17, fxp_mul(half_den, cm32_17));
    for (int i = 0; i < 3; i++) {
        int32_t hdx = fxp_mul(half_den, x);
        int32_t one_minus = fxp_sub((int32_t)1 << 29, hdx);
        x = fxp_add(x, fxp_rescale(fxp_mul(x, one_minus), 4, 2));
    }
    return fxp_rescale(x, 1, 0); /* x / 2 read as Q1.30, then to Q0.31 */
}

/* SaturatingRoundingMultiplyByPOTParam for exponents >= 0. */
static inline int32_t fxp_shl_sat(int32_t x, int e) { return fxp_mul_pot(x, e); }

/* TFLite's log_x_for_x_greater_than_or_equal_to_1<out_bits>(FixedPoint<int32, in_bits>). */
static inline int32_t fxp_log_x_ge_1(int32_t in, int in_bits, int out_bits) {
    const int acc_bits = out_bits + 1;
    const int32_t log_2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250;
    const int32_t one_quarter = 536870912;
    const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769, alpha_f = 638450708;
    const int32_t shifted_quarter = fxp_rescale(one_quarter, 0, acc_bits);
    int32_t z_a = in;
    int z_a_hr1 = fxp_clz32((uint32_t)z_a);
    int32_t r_a_tmp = fxp_shl_sat(z_a, z_a_hr1 - 1);
    int32_t r_a = fxp_shl_sat(fxp_mul(r_a_tmp, sqrt_half), 1);
    int32_t z_a_pow2 = fxp_sat_add(fxp_shl_sat(in_bits - z_a_hr1, 31 - acc_bits), shifted_quarter);
    int32_t z_b = fxp_mul(z_a, sqrt_half);
    int z_b_hr = fxp_clz32((uint32_t)z_b) - 1;
    int32_t r_b = fxp_shl_sat(z_a, z_b_hr);
    int32_t z_b_pow2 = fxp_sat_sub(fxp_shl_sat(in_bits - z_b_hr, 31 - acc_bits), shifted_quarter);
    int32_t r = r_a < r_b ? r_a : r_b;
    int32_t z_pow2 = z_a_pow2 > z_b_pow2 ? z_a_pow2 : z_b_pow2;
    int32_t p = fxp_half_sum(r, sqrt_sqrt_half);
    int32_t q = fxp_sub(r, sqrt_sqrt_half);
    q = fxp_add(q, q);
    int32_t sq = fxp_mul(q, q);
    int32_t num = fxp_add(fxp_mul(q, r), fxp_mul(fxp_mul(q, sq), alpha_n));
    int32_t den_m1 = fxp_add(fxp_mul(p, fxp_add(fxp_add(alpha_i, q), fxp_mul(alpha_d, sq))), fxp_mul(alpha_f, q));
    int32_t recip = fxp_one_over_one_plus_x(den_m1);
    int32_t num_scaled = fxp_rescale(num, 0, acc_bits);
    int32_t res = fxp_add(fxp_mul(z_pow2, log_2), fxp_mul(num_scaled, recip));
    return fxp_rescale(res, acc_bits, out_bits);
}

/* TFLite's GetInvSqrtQuantizedMultiplierExp: 1/sqrt(x) as a Q31 multiplier and a shift, by
 * Newton-Raphson in Q3.28. reverse_shift -1 turns the right shift into a left shift. */
static inline void fxp_inv_sqrt(int32_t x, int reverse_shift, int32_t *mult, int *shift) {
    if (x <= 1) {
        *mult = INT32_MAX;
        *shift = 0;
        return;
    }
    int s = 11;
    while (x >= (1 << 29)) {
        x /= 4;
        s++;
    }
    int max_pairs = (fxp_clz32((uint32_t)x) - 1) / 2;
    int pairs = max_pairs - 1;
    s -= pairs;
    x <<= 2 * pairs;
    const int32_t half_in = tflc_rdbypot(x >> 1, 1);
    const int32_t half_three = (1 << 28) + (1 << 27);
    int32_t v = 1 << 28; /* 1.0 in Q3.28 */
    for (int i = 0; i < 5; i++) {
        int32_t v3 = fxp_rescale(fxp_mul(fxp_mul(v, v), v), 9, 3);
        v = fxp_rescale(fxp_sub(fxp_mul(half_three, v), fxp_mul(half_in, v3)), 6, 3);
    }
    v = fxp_mul(v, 1518500250); /* * sqrt(2)/2 */
    if (s < 0) {
        v = (int32_t)((uint32_t)v << -s);
        s = 0;
    }
    *mult = v;
    *shift = s * reverse_shift;
}

#endif
