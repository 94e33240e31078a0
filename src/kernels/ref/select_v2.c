/* SELECT_V2: y = condition ? x : y_in with numpy broadcasting of all three inputs (TFLite's
 * select.cc, kVersionTwo). condition BOOL; values of every copyable dtype (float32, int8,
 * uint8, int16, int32, int64, bool) copied raw. prepare builds the broadcast walk. */
#include "kernels/ref/extra_util.h"

enum tflc_status tflc_select_v2_prepare(struct tflc_op_ctx *c) { return xt_select_prepare(c, true); }
