/* SQUARE: y = x * x elementwise (TFLite's elementwise.cc). float32 only, as TFLite. */
#include "kernels/ref/extra_util.h"

XT_FLOAT_UNARY(square, x * x)
