/* Building a .tflite model from scratch (converter side; also used by tests to make
 * single-op models). Tensors and operators are collected, then tflc_tflb_finish() lays out
 * the flatbuffer: version 3, buffer 0 empty, 16-byte aligned buffer data, operator codes
 * deduplicated (builtin_code and deprecated_builtin_code both written, as TFLite expects).
 *
 *   struct tflc_tflb *b = tflc_tflb_create();
 *   int w = tflc_tflb_tensor(b, "w", TFLC_DTYPE_FLOAT32, 2, dims, tflc_tflb_buffer(b, data, n), NULL);
 *   ...
 *   struct tflc_fbb *f = tflc_tflb_fbb(b);      // build an options table with the raw builder
 *   tflc_fbb_table_start(f); tflc_fbb_add_i8(f, TFLC_TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION, 1, 0);
 *   uint32_t opt = tflc_fbb_table_end(f);
 *   tflc_tflb_op(b, TFLC_TFL_BUILTIN_OPERATOR_ADD, 1, ins, 2, outs, 1, TFLC_TFL_BUILTIN_OPTIONS_ADD_OPTIONS, opt);
 *   tflc_tflb_graph_io(b, gin, 2, gout, 1);
 *   tflc_tflb_finish(b, "desc", &data, &size, &diag);   // data owned by b
 *   ... tflc_tflb_destroy(b);
 */
#ifndef TFLC_FORMAT_TFLITE_BUILD_H
#define TFLC_FORMAT_TFLITE_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/flatbuf_build.h"
#include "tflc/tensor.h"

struct tflc_tflb;

struct tflc_tflb_quant {
    int32_t count;         /* 1 = per tensor, >1 = per channel */
    const float *scale;    /* count entries, copied */
    const int64_t *zero_point; /* count entries, copied; NULL = zeros */
    int32_t axis;
};

struct tflc_tflb *tflc_tflb_create(void);
void tflc_tflb_destroy(struct tflc_tflb *b);

/* The raw builder, for options tables (build them before adding the op that uses them). */
struct tflc_fbb *tflc_tflb_fbb(struct tflc_tflb *b);

/* New buffer holding a copy of `data` (n bytes); returns its index (>= 1). n == 0 gives 0,
 * the shared empty buffer. */
int tflc_tflb_buffer(struct tflc_tflb *b, const void *data, size_t n);

/* New tensor; returns its index. `buffer` from tflc_tflb_buffer (0 = no data). */
int tflc_tflb_tensor(struct tflc_tflb *b, const char *name, enum tflc_dtype dtype, int rank, const int32_t *dims,
                     int buffer, const struct tflc_tflb_quant *q);
/* Marks a tensor as variable (recurrent state). */
void tflc_tflb_tensor_variable(struct tflc_tflb *b, int tensor);
/* Gives a tensor a shape_signature (copied; -1 for dynamic dims). */
void tflc_tflb_tensor_signature(struct tflc_tflb *b, int tensor, const int32_t *sig);

/* New operator. `custom_code` NULL for builtins. options_type/options_ref 0 for none.
 * Inputs may contain -1 (absent optional input). Returns the op index. */
int tflc_tflb_op(struct tflc_tflb *b, int32_t builtin, int version, const char *custom_code, const int32_t *in,
                 int nin, const int32_t *out, int nout, uint8_t options_type, uint32_t options_ref);
/* Intermediate tensors of the last-added op (LSTM). */
void tflc_tflb_op_intermediates(struct tflc_tflb *b, const int32_t *t, int n);

void tflc_tflb_graph_io(struct tflc_tflb *b, const int32_t *in, int nin, const int32_t *out, int nout);

/* Adds a "serving_default" signature mapping names to the graph inputs / outputs. */
void tflc_tflb_signature(struct tflc_tflb *b, const char *const *in_names, const char *const *out_names);

/* Adds "min_runtime_version" metadata (e.g. "1.14.0"). */
void tflc_tflb_min_runtime(struct tflc_tflb *b, const char *version);

/* Lays out the model. *data / *size stay owned by `b` (valid until destroy). */
enum tflc_status tflc_tflb_finish(struct tflc_tflb *b, const char *description, const uint8_t **data, size_t *size,
                                  struct tflc_diag *diag);

#endif
