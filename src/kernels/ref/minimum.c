/* MINIMUM: out = a < b ? a : b, elementwise with numpy broadcasting.
 * float32 (TFLite's comparison: when either side is NaN the result is b), int8, uint8,
 * int16, int32, int64. Quantized tensors are compared on their raw values, as TFLite does:
 * the converter gives both inputs and the output the same scale and zero point, and the
 * kernel does not requantize. No options, no activation; prepare only sets the shape. */
#include "kernels/ref/binary_util.h"

struct minimum_data {
    struct tflc_binary_io io;
};

#define MIN_ROW(name, T) TFLC_BINARY_ROW(name, struct minimum_data, T, T, *a < *b ? *a : *b)
MIN_ROW(row_f32, float)
MIN_ROW(row_s8, int8_t)
MIN_ROW(row_u8, uint8_t)
MIN_ROW(row_s16, int16_t)
MIN_ROW(row_s32, int32_t)
MIN_ROW(row_s64, int64_t)

static enum tflc_status eval(const struct tflc_op_ctx *c, tflc_bcast_row_fn row) {
    struct minimum_data d = *(const struct minimum_data *)c->node->data;
    tflc_binary_run(c, &d.io, row);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return eval(c, row_f32); }
static enum tflc_status eval_s8(const struct tflc_op_ctx *c) { return eval(c, row_s8); }
static enum tflc_status eval_u8(const struct tflc_op_ctx *c) { return eval(c, row_u8); }
static enum tflc_status eval_s16(const struct tflc_op_ctx *c) { return eval(c, row_s16); }
static enum tflc_status eval_s32(const struct tflc_op_ctx *c) { return eval(c, row_s32); }
static enum tflc_status eval_s64(const struct tflc_op_ctx *c) { return eval(c, row_s64); }

enum tflc_status tflc_minimum_prepare(struct tflc_op_ctx *c) {
    struct minimum_data *d = NULL;
    enum tflc_status st = tflc_binary_prepare(c, sizeof *d, (void **)&d);
    if (st) return st;
    switch (tflc_op_out(c, 0)->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; break;
    case TFLC_DTYPE_INT8: c->node->eval = eval_s8; break;
    case TFLC_DTYPE_UINT8: c->node->eval = eval_u8; break;
    case TFLC_DTYPE_INT16: c->node->eval = eval_s16; break;
    case TFLC_DTYPE_INT32: c->node->eval = eval_s32; break;
    case TFLC_DTYPE_INT64: c->node->eval = eval_s64; break;
    default: return tflc_op_unsupported(c);
    }
    return TFLC_STATUS_OK;
}
