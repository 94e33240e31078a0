/* ARG_MAX: index of the largest value along one axis (TFLite's arg_min_max.cc); the axis
 * dim is removed from the output. The first index wins ties (a later value must be
 * strictly greater); NaN never wins. Inputs: x, axis (one-element int32/int64 constant,
 * negative counts from the end). Output INT32 or INT64 (options.output_type, which must
 * match the output tensor). x: float32, int8, uint8 (raw values: the order does not depend
 * on quantization), int32, bool (v3), as TFLite. */
#include "kernels/ref/extra_util.h"

XT_ARG_MINMAX(>)

enum tflc_status tflc_arg_max_prepare(struct tflc_op_ctx *c) {
    return xt_arg_prepare(c, &arg_evals, tflc_tfl_arg_max_options_output_type(c->node->options));
}
