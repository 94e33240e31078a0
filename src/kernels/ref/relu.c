/* RELU: y = max(x, 0). float32; uint8/int8/int16 (TFLite's ReluX: requantize input -> output
 * scale with MultiplyByQuantizedMultiplier, then clamp to [quantize(0), storage max]; int16
 * needs zero points 0). prepare precomputes the multiplier and the clamp (unary_util.h). */
#include "kernels/ref/unary_util.h"

enum tflc_status tflc_relu_prepare(struct tflc_op_ctx *c) { return unary_relu_prepare(c, 0.0f, INFINITY, true); }
