/* REDUCE_PROD: product over the given axes (reduce_util.h: constant int32 axes, negative
 * axes, duplicates, keep_dims). Elements multiply in the input's row-major order, as
 * TFLite's reference Reduce.
 * float32, int32, int64 (plain products, integers wrapping); int8 / int16 quantized (v2,
 * TFLite's QuantizedReduceProd): with n = input elements per output element and
 * s = s_in / s_out^(1/n) (double, GetQuantProdScaling) as a Q31 multiplier, the product
 * starts at (q0 - zp_in) and each next element multiplies in (q - zp_in) through the int64
 * MultiplyByQuantizedMultiplier by s; the result is scaled once more by s, offset by zp_out
 * and clamped. Running products beyond int32 wrap, as in TFLite. int16 needs zero points 0. */
#include "kernels/ref/reduce_util.h"

/* TFLite's int64 MultiplyByQuantizedMultiplier as it runs in release builds: the multiplier
 * reduced to Q15 (rounded, capped at 0x7FFF), one rounding shift by 15 - shift, and the
 * result narrowed to int32 by truncation (TFLite only DCHECKs the range; int16 products
 * overflow it and wrap, which Google's runtime shows). */
static int32_t mbqm64_wrap(int64_t x, int32_t mult, int shift) {
    const int64_t reduced = mult < 0x7FFF0000 ? (mult + (1 << 15)) >> 16 : 0x7FFF;
    const int total = shift < 15 ? 15 - shift : 1; /* shift >= 15 needs absurd scales */
    const int64_t r = (x * reduced + ((int64_t)1 << (total - 1))) >> total;
    return (int32_t)(uint32_t)(uint64_t)r;
}

struct prod_data {
    struct reduce_plan p;
    int32_t in_zp, out_zp, mult;
    int shift;
};

#define EVAL_PLAIN(name, T, ACC)                                                \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                 \
        const struct prod_data *d = c->node->data;                              \
        const T *in = tflc_op_in(c, 0)->data;                                   \
        T *out = tflc_op_out(c, 0)->data;                                       \
        for (size_t i = 0; i < d->p.out_count; i++) out[i] = (T)1;              \
        struct reduce_iter it;                                                  \
        memset(&it, 0, sizeof it);                                              \
        for (size_t i = 0; i < d->p.in_count; i++, reduce_iter_next(&d->p, &it)) \
            out[it.o] = (T)((ACC)out[it.o] * (ACC)in[i]);                       \
        return TFLC_STATUS_OK;                                                  \
    }

EVAL_PLAIN(eval_f32, float, float)
EVAL_PLAIN(eval_s32, int32_t, uint32_t)
EVAL_PLAIN(eval_s64, int64_t, uint64_t)

/* Quantized: `acc` (scratch, one int32 per output) holds the running rescaled product; an
 * output element's first input is the one whose reduced indices are all 0. */
#define EVAL_Q(name, T, QMIN, QMAX)                                                        \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                            \
        const struct prod_data *d = c->node->data;                                         \
        const T *in = tflc_op_in(c, 0)->data;                                              \
        T *out = tflc_op_out(c, 0)->data;                                                  \
        int32_t *acc = c->node->scratch;                                                   \
        bool *started = (bool *)(acc + d->p.out_count);                                    \
        memset(started, 0, d->p.out_count);                                                \
        struct reduce_iter it;                                                             \
        memset(&it, 0, sizeof it);                                                         \
        for (size_t i = 0; i < d->p.in_count; i++, reduce_iter_next(&d->p, &it)) {         \
            int32_t v = (int32_t)in[i] - d->in_zp;                                         \
            if (!started[it.o]) {                                                          \
                acc[it.o] = v;                                                             \
                started[it.o] = true;                                                      \
            } else {                                                                       \
                acc[it.o] = mbqm64_wrap((int64_t)acc[it.o] * v, d->mult, d->shift);        \
            }                                                                              \
        }                                                                                  \
        for (size_t i = 0; i < d->p.out_count; i++) {                                      \
            int32_t r = mbqm64_wrap((int64_t)acc[i], d->mult, d->shift) + d->out_zp;       \
            out[i] = (T)tflc_clamp_i32(r, QMIN, QMAX);                                     \
        }                                                                                  \
        return TFLC_STATUS_OK;                                                             \
    }

EVAL_Q(eval_s8, int8_t, INT8_MIN, INT8_MAX)
EVAL_Q(eval_s16, int16_t, INT16_MIN, INT16_MAX)

enum tflc_status tflc_reduce_prod_prepare(struct tflc_op_ctx *c) {
    struct reduce_plan p;
    enum tflc_status st = reduce_prepare(c, &p);
    if (st) return st;
    const struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    struct prod_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->p = p;
    c->node->data = d;
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32: c->node->eval = eval_s32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT64: c->node->eval = eval_s64; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8: c->node->eval = eval_s8; break;
    case TFLC_DTYPE_INT16: c->node->eval = eval_s16; break;
    default: return tflc_op_unsupported(c);
    }
    if (x->quant.num_scales < 1 || y->quant.num_scales < 1 || !(x->quant.scale > 0) || !(y->quant.scale > 0))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "%s REDUCE_PROD needs quantized input and output (plain %s is not supported)",
                            tflc_dtype_name(x->dtype), tflc_dtype_name(x->dtype));
    if (x->dtype == TFLC_DTYPE_INT16 && (x->quant.zero_point || y->quant.zero_point))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 REDUCE_PROD needs zero points 0");
    d->in_zp = x->quant.zero_point;
    d->out_zp = y->quant.zero_point;
    /* GetQuantProdScaling: s_in / s_out^(1/n), in double. */
    double scaling = (double)x->quant.scale / pow((double)y->quant.scale, 1.0 / (double)p.n);
    tflc_quantize_multiplier(scaling, &d->mult, &d->shift);
    tflc_op_request_scratch(c, p.out_count * (sizeof(int32_t) + 1));
    return TFLC_STATUS_OK;
}
