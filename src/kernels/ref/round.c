/* ROUND: y = x rounded to the nearest integer, ties to even (TFLite's round.cc,
 * RoundToNearest: floor, then +1 when the remainder is above 1/2, or exactly 1/2 with an odd
 * floor). float32 only, as TFLite. */
#include "kernels/ref/extra_util.h"

static float round_half_even(float x) {
    const float f = floorf(x);
    const float diff = x - f;
    /* |x| >= 2^23 is already integral (diff 0); below that f fits an int64. */
    if (diff < 0.5f || (diff == 0.5f && ((int64_t)f % 2) == 0)) return f;
    return f + 1.0f;
}

XT_FLOAT_UNARY(round, round_half_even(x))
