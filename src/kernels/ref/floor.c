/* FLOOR: y = floor(x) elementwise (TFLite's floor.cc). float32 only, as TFLite. */
#include "kernels/ref/extra_util.h"

XT_FLOAT_UNARY(floor, floorf(x))
