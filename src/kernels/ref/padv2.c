/* PADV2: PAD with input 2 = constant_values, the value padded with (same dtype as the
 * input; for quantized tensors it must have the output's scale and zero point). Without
 * input 2 it behaves as PAD. The kernel is pad.c's (tflc_shp_pad_prepare). */
#include "kernels/ref/shape_util.h"

enum tflc_status tflc_padv2_prepare(struct tflc_op_ctx *c) { return tflc_shp_pad_prepare(c, true); }
