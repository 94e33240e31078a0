/* CONCATENATION: joins N inputs along `axis` (negative counts from the end); all other
 * dims must match. Types: float32, int8, uint8, int16, int32, int64, bool.
 * Quantized inputs whose (scale, zero_point) equal the output's are copied; others are
 * requantized as TFLite's ConcatenationWithScaling does (uint8 there; we apply the same
 * formula to int8/int16, which TFLite refuses or copies unscaled):
 *   q_out = clamp(round(q_in * s + b) + zp_out),  s = s_in * (1 / s_out),  b = -zp_in * s,
 * in float, round half away from zero. Fused activation (TFLite refuses anything but NONE;
 * we honour it): float clamp, or the quantized clamp range of the output.
 * Delegated to XNNPACK (kernel.h: 2 to 4 8-bit inputs): every input is copied as it is, even
 * when its quantization differs from the output's (XNNPACK of that era did not check it).
 * prepare precomputes per-input s, b and the copy flag, and the clamp range. */
#include "kernels/ref/shape_util.h"

struct concat_input {
    size_t chunk;    /* elements per outer row: dims[axis] * inner */
    bool copy;       /* same quantization as the output (or not quantized): plain copy */
    float scale, bias;
};

struct concat_data {
    int n;
    size_t outer, es;
    int32_t lo, hi;      /* quantized clamp range (activation within storage range) */
    bool clamp;          /* lo/hi narrower than the storage range */
    float f_lo, f_hi;
    bool f_clamp;
    struct concat_input in[]; /* n entries */
};

static inline int32_t requant(const struct concat_input *p, int32_t q, int32_t zp_out) {
    float r = roundf((float)q * p->scale + p->bias);
    if (r > 1e9f) r = 1e9f; /* absurd scales: keep the conversion defined; the clamp follows */
    if (r < -1e9f) r = -1e9f;
    return (int32_t)r + zp_out;
}

/* One input's slice of one outer row: copy, or requantize, then clamp. */
#define QROW(T)                                                                                  \
    do {                                                                                         \
        const T *s_ = (const T *)src;                                                            \
        T *o_ = (T *)dst;                                                                        \
        for (size_t j = 0; j < n; j++) {                                                         \
            int32_t v = p->copy ? (int32_t)s_[j] : requant(p, s_[j], zp);                        \
            o_[j] = (T)tflc_clamp_i32(v, d->lo, d->hi);                                          \
        }                                                                                        \
    } while (0)

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct concat_data *d = c->node->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    uint8_t *dst = y->data;
    int32_t zp = y->quant.zero_point;
    for (size_t k = 0; k < d->outer; k++) {
        for (int i = 0; i < d->n; i++) {
            const struct tflc_tensor *x = tflc_op_in(c, i);
            const struct concat_input *p = &d->in[i];
            size_t n = p->chunk;
            const uint8_t *src = (const uint8_t *)x->data + k * n * d->es;
            if (n == 0) continue;
            if (p->copy && !d->clamp && !d->f_clamp) {
                memcpy(dst, src, n * d->es);
            } else {
                switch (y->dtype) {
                case TFLC_DTYPE_FLOAT32: {
                    const float *s = (const float *)src;
                    float *o = (float *)dst;
                    for (size_t j = 0; j < n; j++) o[j] = s[j] < d->f_lo ? d->f_lo : s[j] > d->f_hi ? d->f_hi : s[j];
                    break;
                }
                case TFLC_DTYPE_INT8: QROW(int8_t); break;
                case TFLC_DTYPE_UINT8: QROW(uint8_t); break;
                case TFLC_DTYPE_INT16: QROW(int16_t); break;
                default: break; /* prepare allows no other dtype here */
                }
            }
            dst += n * d->es;
        }
    }
    return TFLC_STATUS_OK;
}

static bool is_quantized_type(enum tflc_dtype t) {
    return t == TFLC_DTYPE_INT8 || t == TFLC_DTYPE_UINT8 || t == TFLC_DTYPE_INT16;
}

enum tflc_status tflc_concatenation_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, INT32_MAX, 1);
    if (st) return st;
    int n = c->node->ninputs;
    struct tflc_tensor *x0 = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    for (int i = 0; i < n; i++)
        if (!tflc_op_in(c, i)) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input %d is missing", i);
    for (int i = 0; i < n; i++)
        if (tflc_op_in(c, i)->dtype != y->dtype) return tflc_op_unsupported(c);
    if (!shp_copyable(y->dtype)) return tflc_op_unsupported(c);
    int32_t raw_axis = tflc_tfl_concatenation_options_axis(c->node->options);
    int axis;
    if (!shp_axis(raw_axis, x0->rank, &axis))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis %d is out of range for rank %d", (int)raw_axis, (int)x0->rank);
    int32_t dims[TFLC_MAX_DIMS];
    for (int d = 0; d < x0->rank; d++) dims[d] = x0->dims[d];
    int64_t sum = x0->dims[axis];
    for (int i = 1; i < n; i++) {
        const struct tflc_tensor *x = tflc_op_in(c, i);
        bool ok = x->rank == x0->rank;
        for (int d = 0; ok && d < x0->rank; d++)
            if (d != axis && x->dims[d] != x0->dims[d]) ok = false;
        if (!ok) {
            char a[96], b[96];
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input %d '%s' %s does not match input 0 '%s' %s outside axis %d", i,
                                x->name, shp_fmt(a, sizeof a, x->rank, x->dims), x0->name,
                                shp_fmt(b, sizeof b, x0->rank, x0->dims), axis);
        }
        sum += x->dims[axis];
    }
    if (sum > INT32_MAX) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "concatenated axis is too large");
    dims[axis] = (int32_t)sum;
    if ((st = tflc_op_set_shape(c, y, x0->rank, dims))) return st;

    struct concat_data *d = tflc_op_alloc(c, sizeof *d + sizeof d->in[0] * (size_t)n);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->n = n;
    d->outer = shp_prod(dims, 0, axis);
    size_t inner = shp_prod(dims, axis + 1, x0->rank);
    for (int i = 0; i < n; i++) d->in[i].chunk = (size_t)tflc_op_in(c, i)->dims[axis] * inner;
    d->es = tflc_dtype_size(y->dtype);
    int act = tflc_fused_act(c, TFLC_TFL_CONCATENATION_OPTIONS_FUSED_ACTIVATION_FUNCTION);
    for (int i = 0; i < n; i++) d->in[i].copy = true;
    if (y->dtype == TFLC_DTYPE_FLOAT32) {
        if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi))
            return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "fused activation %d is not supported", act);
        d->f_clamp = act != TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE;
    } else if (!is_quantized_type(y->dtype)) {
        if (act != TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE)
            return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "fused activation on %s inputs is not supported",
                                tflc_dtype_name(y->dtype));
    } else {
        int32_t qmin, qmax;
        tflc_qrange(y->dtype, &qmin, &qmax);
        d->lo = qmin;
        d->hi = qmax;
        if (act != TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE) {
            if (!y->quant.num_scales)
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "fused activation needs a quantized output");
            if (!tflc_act_range_q(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &d->lo, &d->hi))
                return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "fused activation %d is not supported", act);
            d->clamp = d->lo > qmin || d->hi < qmax;
        }
        float inv_out = y->quant.num_scales ? 1.0f / y->quant.scale : 0.0f;
        /* XNNPACK (2-4 8-bit inputs, delegated) copies the bytes whatever their quantization. */
        for (int i = 0; i < n && !tflc_op_uses_xnnpack(c); i++) {
            const struct tflc_tensor *x = tflc_op_in(c, i);
            if (x->quant.scale == y->quant.scale && x->quant.zero_point == y->quant.zero_point) continue;
            if (!x->quant.num_scales || !y->quant.num_scales)
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                                    "input %d '%s' and output '%s' differ in quantization and one of them has none", i, x->name,
                                    y->name);
            d->in[i].copy = false;
            d->in[i].scale = x->quant.scale * inv_out;
            d->in[i].bias = (float)-x->quant.zero_point * d->in[i].scale;
        }
    }
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
