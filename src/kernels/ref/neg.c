/* NEG: y = -x. float32, int32 and int64 (the kernels TFLite has; integer negation wraps, so
 * the minimum value maps to itself). */
#include "kernels/ref/unary_util.h"

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    const float *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    float *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = -in[i];
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s32(const struct tflc_op_ctx *c) {
    const int32_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int32_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = (int32_t)(0u - (uint32_t)in[i]);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s64(const struct tflc_op_ctx *c) {
    const int64_t *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    int64_t *out = y->data;
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) out[i] = (int64_t)(0u - (uint64_t)in[i]);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_neg_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32: c->node->eval = eval_s32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT64: c->node->eval = eval_s64; return TFLC_STATUS_OK;
    default: return tflc_op_unsupported(c);
    }
}
