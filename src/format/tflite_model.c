/* TFLite model helpers: names, dtype sizes, buffer locations. */
#include "format/tflite_model.h"

struct tflc_tfl_limits tflc_tfl_limits_default(void) {
    struct tflc_tfl_limits l;
    l.max_file_bytes = 1ull << 32;
    l.max_subgraphs = 1000;
    l.max_tensors = 1u << 20;
    l.max_operators = 1u << 20;
    l.max_op_inputs = 4096;
    l.max_buffers = 1u << 20;
    l.max_elements = 1ull << 31;
    return l;
}

const char *tflc_tfl_op_name(int32_t code) {
    return tflc_tfl_enum_name(TFLC_TFL_E_BUILTIN_OPERATOR, code);
}

const char *tflc_tfl_dtype_name(int type) {
    return tflc_tfl_enum_name(TFLC_TFL_E_TENSOR_TYPE, type);
}

size_t tflc_tfl_dtype_size(int type) {
    switch (type) {
    case TFLC_TFL_TENSOR_TYPE_FLOAT32: case TFLC_TFL_TENSOR_TYPE_INT32:
    case TFLC_TFL_TENSOR_TYPE_UINT32: return 4;
    case TFLC_TFL_TENSOR_TYPE_FLOAT16: case TFLC_TFL_TENSOR_TYPE_INT16:
    case TFLC_TFL_TENSOR_TYPE_UINT16: case TFLC_TFL_TENSOR_TYPE_BFLOAT16: return 2;
    case TFLC_TFL_TENSOR_TYPE_UINT8: case TFLC_TFL_TENSOR_TYPE_INT8: case TFLC_TFL_TENSOR_TYPE_BOOL:
    case TFLC_TFL_TENSOR_TYPE_FLOAT8_E4M3FN: case TFLC_TFL_TENSOR_TYPE_FLOAT8_E5M2: return 1;
    case TFLC_TFL_TENSOR_TYPE_INT64: case TFLC_TFL_TENSOR_TYPE_UINT64: case TFLC_TFL_TENSOR_TYPE_FLOAT64:
    case TFLC_TFL_TENSOR_TYPE_COMPLEX64: return 8;
    case TFLC_TFL_TENSOR_TYPE_COMPLEX128: return 16;
    default: return 0;
    }
}

bool tflc_tfl_dense_bytes(int type, uint64_t n, uint64_t *bytes) {
    size_t es = tflc_tfl_dtype_size(type);
    if (es) {
        if (n > UINT64_MAX / es) return false;
        *bytes = n * es;
        return true;
    }
    switch (type) {
    case TFLC_TFL_TENSOR_TYPE_INT4: case TFLC_TFL_TENSOR_TYPE_UINT4: *bytes = (n + 1) / 2; return true;
    case TFLC_TFL_TENSOR_TYPE_INT2: *bytes = (n + 3) / 4; return true;
    default: return false;
    }
}

void tflc_tfl_buffer_bytes(const void *buf, uint32_t index, const uint8_t **data, uint64_t *size) {
    struct tflc_fb_table m = tflc_tfl_model(buf);
    struct tflc_fb_table b = tflc_fb_vec_table(tflc_tfl_model_buffers(m), index);
    uint64_t off = tflc_tfl_buffer_offset(b);
    *data = NULL;
    *size = 0;
    if (off > 1) {
        *size = tflc_tfl_buffer_size(b);
        if (*size) *data = (const uint8_t *)buf + off;
        return;
    }
    struct tflc_fb_vec v = tflc_tfl_buffer_data(b);
    if (v.data && v.len) {
        *data = v.data;
        *size = v.len;
    }
}
