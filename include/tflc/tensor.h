/* tflc/tensor.h - the public tensor view: dtype, shape, quantization, data.
 *
 * Tensors are owned by the interpreter (views into its arena or into the model buffer);
 * a `struct tflc_tensor *` from tflc_interp_input()/output() is borrowed and valid until
 * tflc_interp_free(). Layout is row-major (C order); images are NHWC as in TFLite.
 * Quantized values follow TFLite: real = scale * (q - zero_point), per tensor or per channel
 * along `quant.axis`.
 */
#ifndef TFLC_TENSOR_H
#define TFLC_TENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "tflc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TFLC_MAX_DIMS 8

/* Element types; the values equal TFLite's TensorType. */
enum tflc_dtype {
    TFLC_DTYPE_FLOAT32 = 0,
    TFLC_DTYPE_FLOAT16 = 1,
    TFLC_DTYPE_INT32 = 2,
    TFLC_DTYPE_UINT8 = 3,
    TFLC_DTYPE_INT64 = 4,
    TFLC_DTYPE_STRING = 5,
    TFLC_DTYPE_BOOL = 6,
    TFLC_DTYPE_INT16 = 7,
    TFLC_DTYPE_COMPLEX64 = 8,
    TFLC_DTYPE_INT8 = 9,
    TFLC_DTYPE_FLOAT64 = 10,
    TFLC_DTYPE_COMPLEX128 = 11,
    TFLC_DTYPE_UINT64 = 12,
    TFLC_DTYPE_RESOURCE = 13,
    TFLC_DTYPE_VARIANT = 14,
    TFLC_DTYPE_UINT32 = 15,
    TFLC_DTYPE_UINT16 = 16,
    TFLC_DTYPE_INT4 = 17,
    TFLC_DTYPE_BFLOAT16 = 18,
    TFLC_DTYPE_COUNT
};

struct tflc_quant {
    float scale;              /* first (or only) scale; 0 = not quantized */
    int32_t zero_point;       /* first (or only) zero point */
    int32_t num_scales;       /* 0 = not quantized, 1 = per tensor, >1 = per channel */
    int32_t axis;             /* quantized dimension when num_scales > 1 */
    const float *scales;      /* num_scales entries, borrowed from the model */
};

struct tflc_tensor {
    enum tflc_dtype dtype;
    int32_t rank;
    int32_t dims[TFLC_MAX_DIMS];
    void *data;               /* NULL until the interpreter placed it; constants point into the model */
    size_t bytes;             /* elements x element size */
    const char *name;         /* borrowed from the model, never NULL */
    struct tflc_quant quant;
};

/* "FLOAT32", "INT8", ... (TFLite's spelling); "UNKNOWN" for other values. */
TFLC_API const char *tflc_dtype_name(enum tflc_dtype t);
/* Bytes per element, 0 for types without a fixed size (STRING, RESOURCE, ...). */
TFLC_API size_t tflc_dtype_size(enum tflc_dtype t);
/* Number of elements (product of dims; 1 for rank 0). */
TFLC_API size_t tflc_tensor_elements(const struct tflc_tensor *t);

#ifdef __cplusplus
}
#endif
#endif
