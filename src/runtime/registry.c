/* Op tables, all derived from base/ops.def (the one op list). */
#include "runtime/interp.h"

const int32_t tflc_op_builtin[TFLC_OP_COUNT] = {
#define TFLC_OP(name, stem, maxv) TFLC_TFL_BUILTIN_OPERATOR_##name,
#include "base/ops.def"
#undef TFLC_OP
};

const int32_t tflc_op_max_version[TFLC_OP_COUNT] = {
#define TFLC_OP(name, stem, maxv) maxv,
#include "base/ops.def"
#undef TFLC_OP
};

const tflc_prepare_fn tflc_op_prepare[TFLC_OP_COUNT] = {
#define TFLC_OP(name, stem, maxv) tflc_##stem##_prepare,
#include "base/ops.def"
#undef TFLC_OP
};

_Static_assert(sizeof tflc_op_builtin / sizeof tflc_op_builtin[0] == TFLC_OP_COUNT, "ops.def table");
_Static_assert(sizeof tflc_op_prepare / sizeof tflc_op_prepare[0] == TFLC_OP_COUNT, "ops.def table");
