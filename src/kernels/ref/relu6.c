/* RELU6: y = min(max(x, 0), 6). float32; uint8/int8/int16 as RELU (TFLite's ReluX: requantize,
 * then clamp to [quantize(0), quantize(6)] within the storage range). prepare precomputes the
 * multiplier and the clamp (unary_util.h). */
#include "kernels/ref/unary_util.h"

enum tflc_status tflc_relu6_prepare(struct tflc_op_ctx *c) { return unary_relu_prepare(c, 0.0f, 6.0f, true); }
