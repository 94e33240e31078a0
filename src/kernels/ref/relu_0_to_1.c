/* RELU_0_TO_1: y = min(max(x, 0), 1). float32; uint8/int8 as RELU (TFLite's ReluX: requantize,
 * then clamp to [quantize(0), quantize(1)]); TFLite has no int16 kernel for it. prepare
 * precomputes the multiplier and the clamp (unary_util.h). */
#include "kernels/ref/unary_util.h"

enum tflc_status tflc_relu_0_to_1_prepare(struct tflc_op_ctx *c) { return unary_relu_prepare(c, 0.0f, 1.0f, false); }
