/* CEIL: y = ceil(x) elementwise (TFLite's ceil.cc). float32 only, as TFLite. */
#include "kernels/ref/extra_util.h"

XT_FLOAT_UNARY(ceil, ceilf(x))
