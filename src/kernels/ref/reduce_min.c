/* REDUCE_MIN: minimum over the given axes (reduce_util.h: constant int32 axes, negative
 * axes, duplicates, keep_dims). float32, int32, int64, int8, uint8, int16 (v3). Quantized
 * inputs compare raw values, so input and output must share scale and zero point (as
 * TFLite's REDUCE_MAX/REDUCE_MIN, which requantize nothing; int16 also needs zero point 0).
 * Outputs start at the type's largest value. */
#include "kernels/ref/reduce_util.h"

#define EVAL(name, T, HIGHEST)                                             \
    static enum tflc_status name(const struct tflc_op_ctx *c) {            \
        const struct reduce_plan *p = c->node->data;                       \
        const T *in = tflc_op_in(c, 0)->data;                              \
        T *out = tflc_op_out(c, 0)->data;                                  \
        for (size_t i = 0; i < p->out_count; i++) out[i] = HIGHEST;        \
        struct reduce_iter it;                                             \
        memset(&it, 0, sizeof it);                                         \
        for (size_t i = 0; i < p->in_count; i++, reduce_iter_next(p, &it)) \
            if (in[i] < out[it.o]) out[it.o] = in[i];                      \
        return TFLC_STATUS_OK;                                             \
    }

EVAL(eval_f32, float, FLT_MAX)
EVAL(eval_s32, int32_t, INT32_MAX)
EVAL(eval_s64, int64_t, INT64_MAX)
EVAL(eval_s8, int8_t, INT8_MAX)
EVAL(eval_u8, uint8_t, UINT8_MAX)
EVAL(eval_s16, int16_t, INT16_MAX)

enum tflc_status tflc_reduce_min_prepare(struct tflc_op_ctx *c) {
    struct reduce_plan p;
    enum tflc_status st = reduce_prepare(c, &p);
    if (st) return st;
    const struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    struct reduce_plan *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    *d = p;
    c->node->data = d;
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32: c->node->eval = eval_s32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT64: c->node->eval = eval_s64; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8: c->node->eval = eval_s8; break;
    case TFLC_DTYPE_UINT8: c->node->eval = eval_u8; break;
    case TFLC_DTYPE_INT16: c->node->eval = eval_s16; break;
    default: return tflc_op_unsupported(c);
    }
    if (x->quant.scale != y->quant.scale || x->quant.zero_point != y->quant.zero_point)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "input '%s' and output '%s' must have the same scale and zero point (%g,%d vs %g,%d)",
                            x->name, y->name, (double)x->quant.scale, (int)x->quant.zero_point, (double)y->quant.scale,
                            (int)y->quant.zero_point);
    if (x->dtype == TFLC_DTYPE_INT16 && x->quant.zero_point)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 REDUCE_MIN needs zero point 0");
    return TFLC_STATUS_OK;
}
