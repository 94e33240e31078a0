/* Public tensor helpers (tflc/tensor.h). */
#include "tflc/tensor.h"

#include "format/tflite_model.h"

_Static_assert((int)TFLC_DTYPE_INT8 == (int)TFLC_TFL_TENSOR_TYPE_INT8 && (int)TFLC_DTYPE_BFLOAT16 == (int)TFLC_TFL_TENSOR_TYPE_BFLOAT16,
               "tflc_dtype mirrors TFLite's TensorType");
_Static_assert(TFLC_MAX_DIMS == TFLC_MAX_RANK, "one rank limit");

const char *tflc_dtype_name(enum tflc_dtype t) {
    const char *n = tflc_tfl_dtype_name((int)t);
    return n ? n : "UNKNOWN";
}

size_t tflc_dtype_size(enum tflc_dtype t) { return tflc_tfl_dtype_size((int)t); }

size_t tflc_tensor_elements(const struct tflc_tensor *t) {
    size_t n = 1;
    for (int i = 0; i < t->rank; i++) n *= (size_t)t->dims[i];
    return n;
}
