/* FULLY_CONNECTED: y[b, o] = act(sum_k x[b, k] * w[o, k] + bias[o]), weights [units, depth].
 * The input of any rank is read as [batches, depth] with depth = w.dims[1] and batches =
 * elements / depth; y is [batches, units], or with keep_num_dims x's shape with its last dim
 * replaced by units. The bias (input 2) is optional (absent or -1).
 * Types: float32; hybrid float32 x with int8 weights (fully_connected_hybrid.c); quantized
 * (real = scale * (q - zero_point)), TFLite's reference recipe:
 *   acc = sum_k (w + w_off) (x + x_off) + bias,  y = clamp(MBQM(acc, m_o) + y_zp, act range)
 * with x_off = -x_zp, w_off = -w_zp (0 for per-channel weights, which are symmetric) and
 * m_o = s_x s_w[o] / s_y: int8 -> int8 (per-tensor or per-channel weights), uint8 -> uint8 or
 * int16, int16 x with int8 or int16 weights -> int16 (zero points 0, int32 or int64 bias; the
 * int64 paths use TFLite's 64-bit MultiplyByQuantizedMultiplier). Shuffled weights are refused.
 * Google's runtime (TFLC_ARITH_XNNPACK; kernel.h): 8-bit nodes its XNNPACK delegate takes (per-
 * tensor weights) requantize in float, (float)acc * (s_x * s_w / s_y) rounded half to even;
 * the other int8 nodes run TFLite's builtin kernel, which applies the same Q31 multiplier
 * through ruy with one rounding (see requantize()); its uint8 kernel (gemmlowp) rounds like
 * the reference.
 * prepare precomputes one (multiplier, shift) per output unit and the clamp range; float32 with
 * constant weights runs the gemm_f32 microkernel when the table has one (fully_connected_fast.c). */
#include "kernels/ref/f32_fast.h"
#include "kernels/ref/fc_util.h"

struct fc_data {
    int32_t batches, depth, units;
    int32_t x_off, w_off, y_off; /* -x_zp, -w_zp (0 per-channel), y_zp */
    int32_t lo, hi;              /* quantized clamp range (activation and dtype) */
    float f_lo, f_hi;            /* float clamp range */
    bool wide;                   /* requantize the int64 accumulator (TFLite's int64 MBQM) */
    int rq;                      /* 8-bit requantization: RQ_REFERENCE, RQ_SINGLE or RQ_XNNPACK */
    float xnn_scale;             /* RQ_XNNPACK: s_x * s_w / s_y (float) */
    const int32_t *mult;         /* [units] Q31 multipliers (all equal when per-tensor) */
    const int *shift;            /* [units] their exponents */
};

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    const struct fc_data *d = c->node->data;
    const float *x = tflc_op_in(c, 0)->data, *w = tflc_op_in(c, 1)->data;
    const struct tflc_tensor *bt = tflc_op_in(c, 2);
    const float *bias = bt ? bt->data : NULL;
    float *y = tflc_op_out(c, 0)->data;
    const size_t depth = (size_t)d->depth, units = (size_t)d->units;
    for (size_t b = 0; b < (size_t)d->batches; b++) {
        const float *xb = x + b * depth;
        for (size_t o = 0; o < units; o++) {
            const float *wo = w + o * depth;
            float acc = 0.0f;
            for (size_t k = 0; k < depth; k++) acc += xb[k] * wo[k];
            acc += bias ? bias[o] : 0.0f;
            y[b * units + o] = acc < d->f_lo ? d->f_lo : acc > d->f_hi ? d->f_hi : acc;
        }
    }
    return TFLC_STATUS_OK;
}

static inline int64_t bias_at(const struct tflc_tensor *bt, size_t o) {
    if (!bt) return 0;
    return bt->dtype == TFLC_DTYPE_INT64 ? ((const int64_t *)bt->data)[o]
                                         : ((const int32_t *)bt->data)[o];
}

/* How 8-bit results are requantized (kernel.h: the arithmetic a node follows):
 * RQ_REFERENCE: TFLite's reference kernels, MultiplyByQuantizedMultiplier (double rounding);
 * RQ_SINGLE: TFLite's builtin int8 kernel (through ruy): the same Q31 multiplier, one rounding;
 * RQ_XNNPACK: XNNPACK's fully-connected operator: (float)acc * (s_x * s_w / s_y), rounded half
 * to even (tflc_requant_fp32), bounds from the activation quantized the same way. */
enum { RQ_REFERENCE, RQ_SINGLE, RQ_XNNPACK };

/* MultiplyByQuantizedMultiplier with one rounding: round((x * mult) / 2^(31 - shift)), ties up. */
static inline int32_t mbqm_single(int32_t x, int32_t mult, int shift) {
    const int total = 31 - shift;
    const int64_t r = ((int64_t)x * mult + ((int64_t)1 << (total - 1))) >> total;
    return r > INT32_MAX ? INT32_MAX : r < INT32_MIN ? INT32_MIN : (int32_t)r;
}

/* Scales the accumulator of output unit o and clamps. The 32-bit path is TFLite's int32
 * MultiplyByQuantizedMultiplier; its accumulator fits int32 for any model TFLite runs. */
static inline int32_t requantize(const struct fc_data *d, int64_t acc, size_t o) {
    int32_t v;
    if (d->rq == RQ_XNNPACK) return tflc_requant_fp32((int32_t)acc, d->xnn_scale, d->y_off, d->lo, d->hi);
    if (d->rq == RQ_SINGLE) {
        int32_t a = acc > INT32_MAX ? INT32_MAX : acc < INT32_MIN ? INT32_MIN : (int32_t)acc;
        v = mbqm_single(a, d->mult[o], d->shift[o]);
    } else if (d->wide) {
        v = tflc_mbqm64(acc, d->mult[o], d->shift[o]);
    } else {
        int32_t a = acc > INT32_MAX ? INT32_MAX : acc < INT32_MIN ? INT32_MIN : (int32_t)acc;
        v = tflc_mbqm(a, d->mult[o], d->shift[o]);
    }
    int64_t r = (int64_t)v + d->y_off;
    return r < d->lo ? d->lo : r > d->hi ? d->hi : (int32_t)r;
}

#define FC_EVAL_Q(name, TX, TW, TY)                                                                \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                                    \
        const struct fc_data *d = c->node->data;                                                   \
        const TX *x = tflc_op_in(c, 0)->data;                                                      \
        const TW *w = tflc_op_in(c, 1)->data;                                                      \
        const struct tflc_tensor *bt = tflc_op_in(c, 2);                                           \
        TY *y = tflc_op_out(c, 0)->data;                                                           \
        const size_t depth = (size_t)d->depth, units = (size_t)d->units;                           \
        for (size_t b = 0; b < (size_t)d->batches; b++) {                                          \
            const TX *xb = x + b * depth;                                                          \
            for (size_t o = 0; o < units; o++) {                                                   \
                const TW *wo = w + o * depth;                                                      \
                int64_t acc = 0;                                                                   \
                for (size_t k = 0; k < depth; k++)                                                 \
                    acc += (int64_t)((int32_t)wo[k] + d->w_off) * ((int32_t)xb[k] + d->x_off);     \
                acc += bias_at(bt, o);                                                             \
                y[b * units + o] = (TY)requantize(d, acc, o);                                      \
            }                                                                                      \
        }                                                                                          \
        return TFLC_STATUS_OK;                                                                     \
    }

FC_EVAL_Q(eval_s8, int8_t, int8_t, int8_t)
FC_EVAL_Q(eval_u8, uint8_t, uint8_t, uint8_t)
FC_EVAL_Q(eval_u8_s16, uint8_t, uint8_t, int16_t)
FC_EVAL_Q(eval_s16_s8, int16_t, int8_t, int16_t)
FC_EVAL_Q(eval_s16_s16, int16_t, int16_t, int16_t)

static bool has_scale(const struct tflc_tensor *t) {
    return t->quant.num_scales > 0 && t->quant.scale > 0.0f;
}

/* The quantized type combinations with a kernel, as TFLite's CheckTypes and Eval accept them. */
static tflc_eval_fn pick_quantized(enum tflc_dtype xt, enum tflc_dtype wt, enum tflc_dtype yt) {
    if (xt == TFLC_DTYPE_INT8 && wt == TFLC_DTYPE_INT8 && yt == TFLC_DTYPE_INT8) return eval_s8;
    if (xt == TFLC_DTYPE_UINT8 && wt == TFLC_DTYPE_UINT8 && yt == TFLC_DTYPE_UINT8) return eval_u8;
    if (xt == TFLC_DTYPE_UINT8 && wt == TFLC_DTYPE_UINT8 && yt == TFLC_DTYPE_INT16)
        return eval_u8_s16;
    if (xt == TFLC_DTYPE_INT16 && wt == TFLC_DTYPE_INT8 && yt == TFLC_DTYPE_INT16)
        return eval_s16_s8;
    if (xt == TFLC_DTYPE_INT16 && wt == TFLC_DTYPE_INT16 && yt == TFLC_DTYPE_INT16)
        return eval_s16_s16;
    return NULL;
}

static enum tflc_status prepare_quantized(struct tflc_op_ctx *c, struct fc_data *d,
                                          tflc_eval_fn fn) {
    const struct tflc_tensor *x = tflc_op_in(c, 0), *w = tflc_op_in(c, 1), *bias = tflc_op_in(c, 2);
    const struct tflc_tensor *y = tflc_op_out(c, 0);
    if (bias && bias->dtype != TFLC_DTYPE_INT32 &&
        !(bias->dtype == TFLC_DTYPE_INT64 && x->dtype == TFLC_DTYPE_INT16))
        return tflc_op_unsupported(c);
    if (!has_scale(x) || !has_scale(w) || !has_scale(y))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "quantized FULLY_CONNECTED needs scales on input, weights and output");
    const bool per_channel = w->quant.num_scales > 1;
    if (per_channel) {
        if (x->dtype != TFLC_DTYPE_INT8 && x->dtype != TFLC_DTYPE_INT16)
            return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                                "per-channel weights need an int8 or int16 input (got %s)",
                                tflc_dtype_name(x->dtype));
        if (w->quant.num_scales != d->units || w->quant.axis != 0)
            return tflc_op_fail(
                c, TFLC_STATUS_INVALID_MODEL,
                "weights '%s' have %d scales along axis %d, expected %d along axis 0", w->name,
                (int)w->quant.num_scales, (int)w->quant.axis, (int)d->units);
    }
    if (y->dtype == TFLC_DTYPE_INT16 &&
        (y->quant.zero_point != 0 || (x->dtype == TFLC_DTYPE_INT16 && x->quant.zero_point != 0)))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "int16 input and output need zero points of 0");
    d->x_off = -x->quant.zero_point;
    /* Per-channel weights are symmetric by spec; TFLite ignores their zero point. */
    d->w_off = per_channel ? 0 : -w->quant.zero_point;
    d->y_off = y->quant.zero_point;

    /* int16 activations: TFLite accumulates in int64 and uses its 64-bit MBQM, except with an
     * int32 bias (quantized_bias_type INT32, FC v11), where the accumulator is int32. */
    if (x->dtype == TFLC_DTYPE_INT16) {
        int qbt = tflc_tfl_fully_connected_options_quantized_bias_type(c->node->options);
        if (qbt != TFLC_DTYPE_FLOAT32 && qbt != TFLC_DTYPE_INT32 && qbt != TFLC_DTYPE_INT64)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                                "quantized_bias_type %s is not INT32 or INT64",
                                tflc_dtype_name((enum tflc_dtype)qbt));
        if (bias && qbt != TFLC_DTYPE_FLOAT32 && (int)bias->dtype != qbt)
            return tflc_op_fail(
                c, TFLC_STATUS_INVALID_MODEL, "bias '%s' is %s but quantized_bias_type says %s",
                bias->name, tflc_dtype_name(bias->dtype), tflc_dtype_name((enum tflc_dtype)qbt));
        bool acc32 = bias ? bias->dtype == TFLC_DTYPE_INT32 : qbt == TFLC_DTYPE_INT32;
        d->wide = w->dtype == TFLC_DTYPE_INT16 || !acc32;
    }

    int32_t *mult = tflc_op_alloc(c, sizeof *mult * (size_t)d->units);
    int *shift = tflc_op_alloc(c, sizeof *shift * (size_t)d->units);
    if (!mult || !shift) return TFLC_STATUS_ARENA_TOO_SMALL;
    if (per_channel) {
        /* TFLite's per-channel recipe: the product of scales in double. */
        for (int32_t o = 0; o < d->units; o++)
            tflc_quantize_multiplier((double)x->quant.scale * (double)w->quant.scales[o] /
                                         (double)y->quant.scale,
                                     &mult[o], &shift[o]);
    } else {
        /* GetQuantizedConvolutionMultipler: the bias scale must be close to s_x * s_w (checked
         * in double); the multiplier uses the float product s_x * s_w, widened to double. */
        if (bias && has_scale(bias)) {
            double ips = (double)x->quant.scale * (double)w->quant.scale;
            if (fabs(ips - (double)bias->quant.scale) / (double)y->quant.scale > 0.02)
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                                    "bias '%s' scale %g does not match input*weights scale %g",
                                    bias->name, (double)bias->quant.scale, ips);
        }
        float product = x->quant.scale * w->quant.scale;
        int32_t m;
        int s;
        tflc_quantize_multiplier((double)product / (double)y->quant.scale, &m, &s);
        for (int32_t o = 0; o < d->units; o++) {
            mult[o] = m;
            shift[o] = s;
        }
    }
    d->mult = mult;
    d->shift = shift;
    int32_t qmin, qmax;
    tflc_qrange(y->dtype, &qmin, &qmax);
    int act = tflc_tfl_fully_connected_options_fused_activation_function(c->node->options);
    if (!tflc_act_range_q(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &d->lo, &d->hi))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                            "fused activation %d is not supported on quantized FULLY_CONNECTED",
                            act);
    if (tflc_op_uses_xnnpack(c)) { /* 8-bit, per-tensor weights (xnnpack_select.c) */
        tflc_act_range_xnn(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &d->lo, &d->hi);
        d->xnn_scale = x->quant.scale * w->quant.scale / y->quant.scale;
        d->rq = RQ_XNNPACK;
    } else if (tflc_op_arith(c) == TFLC_ARITH_XNNPACK && x->dtype == TFLC_DTYPE_INT8 && y->dtype == TFLC_DTYPE_INT8) {
        d->rq = RQ_SINGLE; /* TFLite's builtin int8 kernel goes through ruy (uint8 through gemmlowp: MBQM) */
    }
    c->node->eval = fn;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_fully_connected_prepare(struct tflc_op_ctx *c) {
    struct tflc_fb_table opt = c->node->options;
    if (tflc_tfl_fully_connected_options_weights_format(opt) !=
        TFLC_TFL_FULLY_CONNECTED_OPTIONS_WEIGHTS_FORMAT_DEFAULT)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                            "weights_format %d (shuffled weights) is not supported",
                            (int)tflc_tfl_fully_connected_options_weights_format(opt));
    enum tflc_status st = tflc_op_check_io(c, 2, 3, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *w = tflc_op_in(c, 1), *bias = tflc_op_in(c, 2),
                       *y = tflc_op_out(c, 0);
    if (!x || !w) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input or weights");
    if (w->rank != 2)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "weights '%s' have rank %d, expected 2",
                            w->name, (int)w->rank);
    const int32_t units = w->dims[0], depth = w->dims[1];
    const size_t nx = tflc_numel(x);
    if (units <= 0 || depth <= 0 || nx == 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "zero-sized input '%s' or weights '%s'",
                            x->name, w->name);
    if (nx % (size_t)depth != 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "input '%s' has %zu elements, not a multiple of the weights' depth %d",
                            x->name, nx, (int)depth);
    if (nx / (size_t)depth > (size_t)INT32_MAX)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' is too large", x->name);
    const int32_t batches = (int32_t)(nx / (size_t)depth);
    if (bias && tflc_numel(bias) != (size_t)units)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "bias '%s' has %zu elements, expected %d",
                            bias->name, tflc_numel(bias), (int)units);

    int32_t shape[TFLC_MAX_DIMS];
    int rank;
    if (tflc_tfl_fully_connected_options_keep_num_dims(opt)) {
        if (x->rank < 1 || x->dims[x->rank - 1] != depth)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                                "keep_num_dims needs the input's last dim to be %d", (int)depth);
        rank = x->rank;
        for (int i = 0; i < rank; i++) shape[i] = x->dims[i];
        shape[rank - 1] = units;
    } else {
        rank = 2;
        shape[0] = batches;
        shape[1] = units;
    }
    if ((st = tflc_op_set_shape(c, y, rank, shape))) return st;

    const bool float_io = x->dtype == TFLC_DTYPE_FLOAT32 && y->dtype == TFLC_DTYPE_FLOAT32 &&
                          (!bias || bias->dtype == TFLC_DTYPE_FLOAT32);
    if (float_io && w->dtype == TFLC_DTYPE_INT8)
        return tflc_fully_connected_hybrid_prepare(c, batches, depth, units);
    tflc_eval_fn quantized = pick_quantized(x->dtype, w->dtype, y->dtype);
    if (!quantized && !(float_io && w->dtype == TFLC_DTYPE_FLOAT32)) return tflc_op_unsupported(c);

    struct fc_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->batches = batches;
    d->depth = depth;
    d->units = units;
    if (quantized) return prepare_quantized(c, d, quantized);
    int act = tflc_tfl_fully_connected_options_fused_activation_function(opt);
    if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                            "fused activation %d is not supported on float FULLY_CONNECTED", act);
    bool fast = false;
    if ((st = tflc_fully_connected_fast_prepare(c, batches, depth, units, d->f_lo, d->f_hi, &fast)) || fast) return st;
    c->node->eval = eval_f32;
    return TFLC_STATUS_OK;
}
