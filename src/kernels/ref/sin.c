/* SIN: y = sin(x) elementwise, single-precision libm (TFLite's elementwise.cc). float32 only, as TFLite. */
#include "kernels/ref/extra_util.h"

XT_FLOAT_UNARY(sin, sinf(x))
