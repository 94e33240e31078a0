/* NOT_EQUAL: y = a != b elementwise with numpy broadcasting, output BOOL.
 * Types (TFLite's comparisons.cc): float32, int16, int32, int64, bool compare raw values;
 * int8/uint8 compare after TFLite's rescaling of each input by its own scale (see
 * xt_compare_prepare in extra_util.h). prepare precomputes the broadcast walk and the two
 * Q31 multipliers. */
#include "kernels/ref/extra_util.h"

XT_COMPARE_OP(!=)

enum tflc_status tflc_not_equal_prepare(struct tflc_op_ctx *c) { return xt_compare_prepare(c, &cmp_evals, true); }
