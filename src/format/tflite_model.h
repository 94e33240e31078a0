/* TFLite model helpers over a verified buffer (see tflite_verify.c for what "verified" means).
 * Naming follows the schema: a "model" is the root Model table of a .tflite file. */
#ifndef TFLC_FORMAT_TFLITE_MODEL_H
#define TFLC_FORMAT_TFLITE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/tflite_schema.h"
#include "tflc/status.h"

#define TFLC_MAX_RANK 8

/* Caps applied to untrusted models, each with its own error message. */
struct tflc_tfl_limits {
    uint64_t max_file_bytes;  /* whole file */
    uint32_t max_subgraphs;
    uint32_t max_tensors;     /* per subgraph */
    uint32_t max_operators;   /* per subgraph */
    uint32_t max_op_inputs;   /* per operator (inputs, outputs, intermediates each) */
    uint32_t max_buffers;
    uint64_t max_elements;    /* per tensor */
};

/* The defaults: 4 GiB file, 1,000 subgraphs, 1M tensors/operators, 4,096 op inputs,
 * 1M buffers, 2^31 elements per tensor. */
struct tflc_tfl_limits tflc_tfl_limits_default(void);

/* Scratch bytes tflc_tfl_verify() needs for a `len`-byte file (a bit per tensor; every tensor
 * costs at least 4 bytes of file, so len / 32 always suffices). */
#define TFLC_TFL_VERIFY_SCRATCH(len) ((size_t)(len) / 32u + 8u)

/* Structural + semantic verification of a .tflite in memory. Safe on arbitrary bytes and
 * allocates nothing: `scratch` (borrowed, TFLC_TFL_VERIFY_SCRATCH(len) bytes) holds the
 * def-before-use bitmap. On failure: TFLC_STATUS_INVALID_MODEL and a message naming the
 * object. `limits` NULL = defaults. */
enum tflc_status tflc_tfl_verify(const void *buf, size_t len, const struct tflc_tfl_limits *limits,
                                 void *scratch, size_t scratch_size, struct tflc_diag *diag);

/* Root of a verified model. */
static inline struct tflc_fb_table tflc_tfl_model(const void *buf) { return tflc_fb_root(buf); }

/* Builtin code of an OperatorCode: max(builtin_code, deprecated_builtin_code). */
static inline int32_t tflc_tfl_opcode_code(struct tflc_fb_table oc) {
    int32_t a = tflc_tfl_operator_code_builtin_code(oc);
    int32_t b = tflc_tfl_operator_code_deprecated_builtin_code(oc);
    return a > b ? a : b;
}

/* "CONV_2D" for a builtin code, NULL when unknown. */
const char *tflc_tfl_op_name(int32_t code);

/* "FLOAT32" for a TensorType, NULL when unknown. */
const char *tflc_tfl_dtype_name(int type);

/* Bytes per element of a TensorType; 0 for types without a fixed size (STRING, RESOURCE,
 * VARIANT, sub-byte types) and unknown ones. */
size_t tflc_tfl_dtype_size(int type);

/* Expected byte size of a dense tensor with `n` elements, false when not computable. */
bool tflc_tfl_dense_bytes(int type, uint64_t n, uint64_t *bytes);

/* Location of buffer `index`'s bytes: the inline `data` vector, or (offset, size) past the
 * flatbuffer (schema 3c). *data = NULL, *size = 0 for an empty buffer. Verified models only. */
void tflc_tfl_buffer_bytes(const void *buf, uint32_t index, const uint8_t **data, uint64_t *size);

#endif
