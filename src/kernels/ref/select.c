/* SELECT: y = condition ? x : y_in elementwise (TFLite's select.cc, kVersionOne).
 * The condition (BOOL) has x's shape, or is a scalar, or is rank 1 with x's first dimension
 * (selects whole outer slices); x and y_in share one shape. Values of every copyable dtype
 * (float32, int8, uint8, int16, int32, int64, bool) are copied raw. prepare builds the walk
 * over the three operands. */
#include "kernels/ref/extra_util.h"

enum tflc_status tflc_select_prepare(struct tflc_op_ctx *c) { return xt_select_prepare(c, false); }
