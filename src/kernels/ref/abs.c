/* ABS: y = |x|. float32: fabsf. int32 and plain (unquantized) int16: two's-complement abs
 * (the minimum value stays the minimum, as the C++ cast in TFLite).
 * int8 and quantized int16 (zero points 0): v = |q - in_zp|; with equal input/output scales
 * y = clamp(v + out_zp), otherwise y = clamp(MBQM(v, in_s/out_s) + out_zp) (quotient in float,
 * as TFLite). TFLite has no uint8 ABS kernel. prepare precomputes the multiplier. */
#include "kernels/ref/unary_util.h"

struct abs_data {
    int32_t in_zp, out_zp;
    bool rescale;   /* input and output scales differ */
    int32_t mult;
    int shift;
};

static float abs_f(float x) { return fabsf(x); }

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    unary_map_f32(c, abs_f);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s32(const struct tflc_op_ctx *c) {
    const int32_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int32_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = in[i] < 0 ? (int32_t)(0u - (uint32_t)in[i]) : in[i];
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s16_plain(const struct tflc_op_ctx *c) {
    const int16_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int16_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = (int16_t)fx_wrap(in[i] < 0 ? -(int32_t)in[i] : in[i], 16);
    return TFLC_STATUS_OK;
}

static inline int32_t abs_q(const struct abs_data *d, int32_t q, int32_t qmin, int32_t qmax) {
    int32_t v = q - d->in_zp;
    v = v < 0 ? -v : v;
    int32_t r = d->rescale ? tflc_mbqm(v, d->mult, d->shift) : v;
    return tflc_clamp_i32(tflc_add_sat32(r, d->out_zp), qmin, qmax);
}

static enum tflc_status eval_s8(const struct tflc_op_ctx *c) {
    const struct abs_data *d = c->node->data;
    const int8_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int8_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = (int8_t)abs_q(d, in[i], -128, 127);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s16(const struct tflc_op_ctx *c) {
    const struct abs_data *d = c->node->data;
    const int16_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int16_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = (int16_t)abs_q(d, in[i], -32768, 32767);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_abs_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32: c->node->eval = eval_s32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT16:
        if (x->quant.num_scales == 0) { /* plain int16 (op version 4) */
            c->node->eval = eval_s16_plain;
            return TFLC_STATUS_OK;
        }
        if ((st = unary_need_zp0(c, x)) || (st = unary_need_zp0(c, y))) return st;
        c->node->eval = eval_s16;
        break;
    case TFLC_DTYPE_INT8: c->node->eval = eval_s8; break;
    default: return tflc_op_unsupported(c);
    }
    if ((st = unary_need_quant(c, x)) || (st = unary_need_quant(c, y))) return st;
    struct abs_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->in_zp = x->quant.zero_point;
    d->out_zp = y->quant.zero_point;
    d->rescale = x->quant.scale != y->quant.scale;
    if (d->rescale) tflc_quantize_multiplier((double)(x->quant.scale / y->quant.scale), &d->mult, &d->shift);
    return TFLC_STATUS_OK;
}
