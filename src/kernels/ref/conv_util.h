/* Private helpers of the "conv" kernels (CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV).
 *
 *  - Window geometry as TFLite computes it (kernels/padding.h): output size
 *    SAME = ceil(in / stride), VALID = ceil((in - eff_k + 1) / stride) with
 *    eff_k = (k - 1) * dilation + 1; padding before = max(0, (out - 1) * stride + eff_k - in) / 2
 *    (the odd remainder, TFLite's "offset", goes after and never matters to these kernels).
 *  - Requantization (PopulateConvolutionQuantizationParams): per output channel,
 *    m = (double)s_in * (double)s_w[c] / (double)s_out as a Q31 multiplier and shift; uint8
 *    keeps TFLite's legacy per-tensor multiplier (double)(float)(s_in * s_w) / (double)s_out.
 *    Also the arithmetic of Google's default runtime (XNNPACK fp32, ruy single rounding), for
 *    when the interpreter gets a numerics option (see enum tflc_conv_rq_mode).
 *  - Run-time input quantization of the dynamic-range ("hybrid") kernels, as TFLite's
 *    portable tensor_utils: Symmetric/AsymmetricQuantizeFloats per batch.
 * Everything here is computed once in prepare, except the hybrid input quantization. */
#ifndef TFLC_KERNELS_REF_CONV_UTIL_H
#define TFLC_KERNELS_REF_CONV_UTIL_H

#include "kernels/ref/common.h"

/* Spatial geometry of a 2-D window op on NHWC tensors. */
struct tflc_conv_geom {
    int32_t n, in_h, in_w, in_c;      /* input [n, in_h, in_w, in_c] */
    int32_t out_h, out_w, out_c;      /* output [n, out_h, out_w, out_c] */
    int32_t k_h, k_w;                 /* filter window */
    int32_t stride_h, stride_w;       /* >= 1 */
    int32_t dil_h, dil_w;             /* >= 1 */
    int32_t pad_h, pad_w;             /* padding before (top, left), >= 0 */
};

/* TFLite's ComputeOutSize (int64 math). False when a parameter is invalid or the size is
 * not in [1, INT32_MAX] (VALID with a window larger than the input, a zero-sized input). */
static inline bool tflc_conv_out_size(int padding, int32_t in, int32_t k, int32_t stride, int32_t dil, int32_t *out) {
    if (in <= 0 || k <= 0 || stride <= 0 || dil <= 0) return false;
    int64_t eff = ((int64_t)k - 1) * dil + 1, v;
    if (padding == TFLC_TFL_PADDING_SAME) v = ((int64_t)in + stride - 1) / stride;
    else if (padding == TFLC_TFL_PADDING_VALID) v = ((int64_t)in + stride - eff) / stride;
    else return false;
    if (v <= 0 || v > INT32_MAX) return false;
    *out = (int32_t)v;
    return true;
}

/* TFLite's ComputePaddingWithOffset: padding before the first element; the total padding's
 * odd remainder (*offset) goes after. False when the padding does not fit an int32. */
static inline bool tflc_conv_pad(int32_t stride, int32_t dil, int32_t in, int32_t k, int32_t out, int32_t *pad,
                                 int32_t *offset) {
    int64_t eff = ((int64_t)k - 1) * dil + 1;
    int64_t total = ((int64_t)out - 1) * stride + eff - in;
    if (total < 0) total = 0;
    if (total / 2 > INT32_MAX) return false;
    *pad = (int32_t)(total / 2);
    if (offset) *offset = (int32_t)(total % 2);
    return true;
}

/* Output size and padding of one spatial axis; fails with INVALID_MODEL naming the axis. */
static inline enum tflc_status tflc_conv_axis(const struct tflc_op_ctx *c, const char *axis, int padding, int32_t in,
                                              int32_t k, int32_t stride, int32_t dil, int32_t *out, int32_t *pad) {
    if (padding != TFLC_TFL_PADDING_SAME && padding != TFLC_TFL_PADDING_VALID)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "unknown padding %d", padding);
    if (stride <= 0 || dil <= 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "%s stride %d and dilation %d must be >= 1", axis, stride,
                            dil);
    if (!tflc_conv_out_size(padding, in, k, stride, dil, out))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "%s: input %d, filter %d, stride %d, dilation %d give an empty or oversized output", axis, in,
                            k, stride, dil);
    if (!tflc_conv_pad(stride, dil, in, k, *out, pad, NULL))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "%s padding overflows", axis);
    return TFLC_STATUS_OK;
}

/* Output size and padding of both spatial axes of a conv (g's input, filter, stride and
 * dilation set). With a PAD fused into the node (runtime/fuse.c) the padding is VALID over the
 * padded input, and the PAD's leading amounts are the conv's own padding before. */
static inline enum tflc_status tflc_conv_axes(const struct tflc_op_ctx *c, int padding, struct tflc_conv_geom *g) {
    enum tflc_status st;
    const struct tflc_node *n = c->node;
    const int32_t *fp = n->fused_pad;
    const int32_t in_h = n->has_fused_pad ? g->in_h + fp[0] + fp[1] : g->in_h;
    const int32_t in_w = n->has_fused_pad ? g->in_w + fp[2] + fp[3] : g->in_w;
    if ((st = tflc_conv_axis(c, "height", padding, in_h, g->k_h, g->stride_h, g->dil_h, &g->out_h, &g->pad_h))) return st;
    if ((st = tflc_conv_axis(c, "width", padding, in_w, g->k_w, g->stride_w, g->dil_w, &g->out_w, &g->pad_w))) return st;
    if (n->has_fused_pad) {
        g->pad_h = fp[0];
        g->pad_w = fp[2];
    }
    return TFLC_STATUS_OK;
}

/* Filter taps [*t0, *t1) along one axis whose input coordinate origin + t * dil lies in
 * [0, in): the same points TFLite's reference kernels keep ("zero padding by omitting"). */
static inline void tflc_conv_taps(int64_t origin, int32_t dil, int32_t in, int32_t k, int32_t *t0, int32_t *t1) {
    int64_t a = origin < 0 ? (-origin + dil - 1) / dil : 0;
    int64_t b = (int64_t)in - origin <= 0 ? 0 : ((int64_t)in - origin + dil - 1) / dil;
    if (b > k) b = k;
    if (a > b) a = b;
    *t0 = (int32_t)a;
    *t1 = (int32_t)b;
}

/* Refusal of a fused activation these kernels do not apply (TANH, SIGN_BIT, unknown). */
static inline enum tflc_status tflc_conv_act_unsupported(const struct tflc_op_ctx *c, int act) {
    return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "fused activation %d is not supported (NONE, RELU, RELU_N1_TO_1, RELU6 are)",
                        act);
}

/* Fused-activation clamp in float (NaN passes through, as std::min/max do in TFLite). */
static inline float tflc_conv_clampf(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Checks the quantization of a quantized (int8/uint8/int16) filter whose output channels lie
 * along `axis` (`nch` of them): one scale, or one per channel along that axis; int8 filters
 * must be symmetric (TFLite's int8/int16 kernels ignore the filter zero point). */
static inline enum tflc_status tflc_conv_check_filter_q(const struct tflc_op_ctx *c, const struct tflc_tensor *w,
                                                        int32_t nch, int32_t axis) {
    if (w->quant.num_scales < 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "filter '%s' has no quantization scale", w->name);
    if (w->quant.num_scales > 1 && (w->quant.num_scales != nch || w->quant.axis != axis))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                            "filter '%s' has %d scales along axis %d; expected 1 or %d along axis %d", w->name,
                            w->quant.num_scales, w->quant.axis, nch, axis);
    if (w->dtype == TFLC_DTYPE_INT8 && w->quant.zero_point != 0)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "int8 filter '%s' has zero point %d; only symmetric (0) is supported",
                            w->name, w->quant.zero_point);
    for (int32_t i = 0; i < w->quant.num_scales; i++)
        if (!(w->quant.scales[i] > 0.0f) || !isfinite(w->quant.scales[i]))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "filter '%s' scale %d is not a positive number", w->name, i);
    return TFLC_STATUS_OK;
}

/* Scale of filter channel ch (a per-tensor scale applies to every channel). */
static inline float tflc_conv_w_scale(const struct tflc_tensor *w, int32_t ch) {
    return w->quant.num_scales > 1 ? w->quant.scales[ch] : w->quant.scale;
}

/* How 8-bit results are requantized (kernel.h: which arithmetic a node follows):
 *  - reference (TFLITE): TFLite's reference kernels, the Q31 multiplier and
 *    MultiplyByQuantizedMultiplier (double rounding);
 *  - XNNPACK: the nodes Google's runtime delegates: fp32 requantization,
 *    (float)acc * (s_x * s_w[c] / s_y) rounded half to even (tflc_requant_fp32), clamped to
 *    bounds quantized the same way (xnn_qs8_quantize);
 *  - builtin: the nodes it leaves to TFLite's builtin kernels: int8 CONV_2D goes through ruy,
 *    which applies the Q31 multiplier with a single rounding (SINGLE); uint8 CONV_2D (gemmlowp),
 *    DEPTHWISE_CONV_2D and TRANSPOSE_CONV keep MultiplyByQuantizedMultiplier (TFLITE).
 * The modes differ by 1 LSB on near-ties, which compounds through deep int8 networks. */
enum tflc_conv_rq_mode {
    TFLC_CONV_RQ_TFLITE,     /* Q31 multiplier + shift, MultiplyByQuantizedMultiplier (double rounding) */
    TFLC_CONV_RQ_SINGLE,     /* Q31 multiplier + shift, one rounding: (acc * m + 2^(30-s)) >> (31 - s) */
    TFLC_CONV_RQ_XNNPACK,    /* float scale, round half to even (XNNPACK's "fp32") */
};

/* Per-output-channel requantization of an op with nch output channels. */
struct tflc_conv_rq {
    int mode;                /* enum tflc_conv_rq_mode */
    int32_t *mult, *shift;   /* [nch] Q31 multiplier and shift (TFLITE, SINGLE; also int16 paths) */
    float *scale;            /* [nch] float scale (XNNPACK) */
    int32_t zp;              /* output zero point */
    int32_t lo, hi;          /* clamp: fused activation within the storage range */
};

/* The requantization mode for an op (see enum tflc_conv_rq_mode). */
static inline enum tflc_conv_rq_mode tflc_conv_rq_mode(const struct tflc_op_ctx *c) {
    if (tflc_op_uses_xnnpack(c)) return TFLC_CONV_RQ_XNNPACK;
    if (tflc_op_arith(c) == TFLC_ARITH_REFERENCE) return TFLC_CONV_RQ_TFLITE;
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    return c->node->op == TFLC_OP_CONV_2D && x && x->dtype == TFLC_DTYPE_INT8 ? TFLC_CONV_RQ_SINGLE : TFLC_CONV_RQ_TFLITE;
}

/* Single-rounding MultiplyByQuantizedMultiplier: floor((x * mult + 2^(total-1)) / 2^total) with
 * total = 31 - shift, saturated to int32 (ties round up). */
static inline int32_t tflc_conv_mbqm_single(int32_t x, int32_t mult, int shift) {
    const int total = 31 - shift;
    const int64_t p = (int64_t)x * mult + ((int64_t)1 << (total - 1));
    const int64_t r = p >= 0 ? p / ((int64_t)1 << total) : -((-p + ((int64_t)1 << total) - 1) / ((int64_t)1 << total));
    return r > INT32_MAX ? INT32_MAX : r < INT32_MIN ? INT32_MIN : (int32_t)r;
}

/* Requantizes channel ch's int32 accumulator (bias included) to the output's storage range. */
static inline int32_t tflc_conv_rq_apply(const struct tflc_conv_rq *q, int32_t ch, int32_t acc) {
    if (q->mode == TFLC_CONV_RQ_XNNPACK) return tflc_requant_fp32(acc, q->scale[ch], q->zp, q->lo, q->hi);
    int32_t v = q->mode == TFLC_CONV_RQ_SINGLE ? tflc_conv_mbqm_single(acc, q->mult[ch], q->shift[ch])
                                               : tflc_mbqm(acc, q->mult[ch], q->shift[ch]);
    const int64_t t = (int64_t)v + q->zp;
    return t < q->lo ? q->lo : t > q->hi ? q->hi : (int32_t)t;
}

/* Sets up the requantization of a quantized conv-like op with `nch` output channels (filter
 * quantization already checked; arrays from tflc_op_alloc). TFLITE: per channel
 * m = (double)s_x * (double)s_w[c] / (double)s_y (int8/int16); uint8 keeps TFLite's legacy
 * per-tensor m = (double)(float)(s_x * s_w) / (double)s_y and its check that the bias scale is
 * within 2% of an output step of s_x * s_w; the clamp is CalculateActivationRangeQuantized.
 * XNNPACK: per channel float s_x * s_w[c] / s_y; bounds rounded half to even. */
static inline enum tflc_status tflc_conv_rq_init(struct tflc_op_ctx *c, const struct tflc_tensor *x,
                                                 const struct tflc_tensor *w, const struct tflc_tensor *bias,
                                                 const struct tflc_tensor *y, int act, int32_t nch,
                                                 struct tflc_conv_rq *q) {
    if (x->quant.num_scales < 1 || y->quant.num_scales < 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "quantized input '%s' and output '%s' need scales", x->name,
                            y->name);
    if (!(x->quant.scale > 0.0f) || !(y->quant.scale > 0.0f) || !isfinite(x->quant.scale) || !isfinite(y->quant.scale))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input and output scales must be positive");
    float flo, fhi;
    if (!tflc_act_range_f32(act, &flo, &fhi)) return tflc_conv_act_unsupported(c, act);
    q->mode = tflc_conv_rq_mode(c);
    if (x->dtype == TFLC_DTYPE_INT16) q->mode = TFLC_CONV_RQ_TFLITE; /* XNNPACK has no int16 convolutions */
    q->zp = y->quant.zero_point;
    q->mult = tflc_op_alloc(c, sizeof(int32_t) * (size_t)nch);
    q->shift = q->mult ? tflc_op_alloc(c, sizeof(int32_t) * (size_t)nch) : NULL;
    q->scale = q->shift ? tflc_op_alloc(c, sizeof(float) * (size_t)nch) : NULL;
    if (!q->scale) return TFLC_STATUS_ARENA_TOO_SMALL;
    if (x->dtype == TFLC_DTYPE_UINT8) {
        double prod = (double)(x->quant.scale * w->quant.scale);
        if (bias) {
            double diff = fabs(prod - (double)bias->quant.scale);
            if (!(diff / (double)y->quant.scale <= 0.02))
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                                    "bias scale %g does not match input scale x filter scale %g", (double)bias->quant.scale,
                                    prod);
        }
        int32_t m;
        int s;
        tflc_quantize_multiplier(prod / (double)y->quant.scale, &m, &s);
        for (int32_t i = 0; i < nch; i++) { q->mult[i] = m; q->shift[i] = s; }
    } else {
        for (int32_t i = 0; i < nch; i++) {
            double m = (double)x->quant.scale * (double)tflc_conv_w_scale(w, i) / (double)y->quant.scale;
            int s;
            tflc_quantize_multiplier(m, &q->mult[i], &s);
            q->shift[i] = s;
        }
    }
    for (int32_t i = 0; i < nch; i++) q->scale[i] = x->quant.scale * tflc_conv_w_scale(w, i) / y->quant.scale;
    int32_t qmin, qmax;
    tflc_qrange(y->dtype, &qmin, &qmax);
    if (q->mode == TFLC_CONV_RQ_XNNPACK) {
        q->lo = act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE ? qmin : tflc_quantize_even(flo, y->quant.scale, q->zp, qmin, qmax);
        q->hi = act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE || act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU
                    ? qmax
                    : tflc_quantize_even(fhi, y->quant.scale, q->zp, qmin, qmax);
    } else {
        tflc_act_range_q(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &q->lo, &q->hi);
    }
    return TFLC_STATUS_OK;
}

/* float -> int32 for an already rounded value, clamped to [lo, hi]; NaN gives lo. */
static inline int32_t tflc_conv_qclamp(float r, int32_t lo, int32_t hi) {
    if (r >= (float)hi) return hi;
    if (!(r >= (float)lo)) return lo;
    return (int32_t)r;
}

/* SymmetricQuantizeFloats: range r = max(|min|, |max|); q = round(x * (127 / r)) clamped to
 * [-127, 127]; *scale = r / 127 (1 with all-zero q when r == 0). */
static inline void tflc_conv_quantize_sym(const float *x, size_t n, int8_t *q, float *scale) {
    float lo = n ? x[0] : 0.0f, hi = lo;
    for (size_t i = 1; i < n; i++) {
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    float range = fabsf(lo) > fabsf(hi) ? fabsf(lo) : fabsf(hi);
    if (range == 0.0f) {
        memset(q, 0, n);
        *scale = 1.0f;
        return;
    }
    *scale = range / 127.0f;
    const float inv = 127.0f / range;
    for (size_t i = 0; i < n; i++) q[i] = (int8_t)tflc_conv_qclamp(roundf(x[i] * inv), -127, 127);
}

/* AsymmetricQuantizeFloats: [min(0, min), max(0, max)] maps onto [-128, 127]; scale and the
 * nudged zero point are computed in double (the zero point from whichever end has the smaller
 * error), then q = round(zp + x * (1 / scale)) in float. All-zero input: scale 1, zp 0. */
static inline void tflc_conv_quantize_asym(const float *x, size_t n, int8_t *q, float *scale, int32_t *zp) {
    float lo = n ? x[0] : 0.0f, hi = lo;
    for (size_t i = 1; i < n; i++) {
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    const double rmin = lo < 0.0f ? (double)lo : 0.0, rmax = hi > 0.0f ? (double)hi : 0.0;
    if (rmin == rmax) {
        memset(q, 0, n);
        *scale = 1.0f;
        *zp = 0;
        return;
    }
    const double s = (rmax - rmin) / 255.0;
    const double zp_min = -128.0 - rmin / s, zp_max = 127.0 - rmax / s;
    const double err_min = 128.0 + fabs(rmin / s), err_max = 127.0 + fabs(rmax / s);
    const double zd = err_min < err_max ? zp_min : zp_max;
    const int32_t z = tflc_sat_f2i((float)round(zd), -128, 127); /* NaN (inf inputs) gives -128 */
    *scale = (float)s;
    *zp = z;
    const float inv = 1.0f / *scale;
    for (size_t i = 0; i < n; i++) q[i] = (int8_t)tflc_conv_qclamp(roundf((float)z + x[i] * inv), -128, 127);
}

/* Scratch of the hybrid kernels: the quantized input, then per batch its scale and zero point. */
struct tflc_conv_hybrid_scratch {
    int8_t *q;         /* numel(input) */
    float *scale;      /* [batches] */
    int32_t *zp;       /* [batches] */
};

static inline size_t tflc_conv_hybrid_scratch_bytes(size_t numel, int32_t batches) {
    return ((numel + 15) & ~(size_t)15) + (size_t)batches * (sizeof(float) + sizeof(int32_t));
}

static inline struct tflc_conv_hybrid_scratch tflc_conv_hybrid_scratch_at(void *p, size_t numel, int32_t batches) {
    struct tflc_conv_hybrid_scratch s;
    s.q = p;
    s.scale = (float *)(void *)((uint8_t *)p + ((numel + 15) & ~(size_t)15));
    s.zp = (int32_t *)(void *)(s.scale + batches);
    return s;
}

#endif
