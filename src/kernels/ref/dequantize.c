/* DEQUANTIZE: uint8/int8/int16 -> float32, x = scale * (q - zero_point) (per tensor, or per
 * channel along quantized_dimension for uint8/int8), rounded once to float as TFLite's
 * double-precision reference; float16 -> float32 (how fp16-weight models store constant
 * weights; the conversion is exact). The input may be a constant: it is converted on every
 * invoke (the output is an ordinary planned activation). prepare records the channel layout. */
#include "base/fp16.h"
#include "kernels/ref/unary_util.h"

struct dequantize_data {
    int32_t zp;
    float scale;
    const float *scales; /* per-channel scales (borrowed from the model), or NULL */
    size_t inner;        /* elements after the channel axis */
    int32_t channels;
};

static inline float deq(const struct dequantize_data *d, int32_t q, size_t i) {
    float s = d->scales ? d->scales[(i / d->inner) % (size_t)d->channels] : d->scale;
    return (float)((double)s * (double)(q - d->zp));
}

#define DEQ_EVAL(name, T)                                                   \
    static enum tflc_status name(const struct tflc_op_ctx *c) {             \
        const struct dequantize_data *d = c->node->data;                    \
        const T *in = tflc_op_in(c, 0)->data;                               \
        struct tflc_tensor *y = tflc_op_out(c, 0);                          \
        float *out = y->data;                                               \
        size_t n = tflc_numel(y);                                           \
        for (size_t i = 0; i < n; i++) out[i] = deq(d, in[i], i);           \
        return TFLC_STATUS_OK;                                              \
    }
DEQ_EVAL(eval_s8, int8_t)
DEQ_EVAL(eval_u8, uint8_t)
DEQ_EVAL(eval_s16, int16_t)

static enum tflc_status eval_f16(const struct tflc_op_ctx *c) {
    const uint16_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    float *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = tflc_f16_to_f32(in[i]);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_dequantize_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (y->dtype != TFLC_DTYPE_FLOAT32) return tflc_op_unsupported(c);
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT16: c->node->eval = eval_f16; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8: c->node->eval = eval_s8; break;
    case TFLC_DTYPE_UINT8: c->node->eval = eval_u8; break;
    case TFLC_DTYPE_INT16: c->node->eval = eval_s16; break;
    default: return tflc_op_unsupported(c);
    }
    if ((st = unary_need_quant(c, x))) return st;
    struct dequantize_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->zp = x->quant.zero_point;
    d->scale = x->quant.scale;
    if (x->quant.num_scales > 1) {
        int axis = x->quant.axis;
        if (x->dtype == TFLC_DTYPE_INT16)
            return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "per-channel int16 input '%s' is not supported", x->name);
        if (axis < 0 || axis >= x->rank || x->dims[axis] != x->quant.num_scales)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' has %d scales for quantized dimension %d", x->name,
                                (int)x->quant.num_scales, axis);
        d->scales = x->quant.scales;
        d->channels = x->quant.num_scales;
        d->inner = 1;
        for (int i = axis + 1; i < x->rank; i++) d->inner *= (size_t)x->dims[i];
    }
    return TFLC_STATUS_OK;
}
