/* The converter's IR: a dataflow graph of TFLite builtin ops over typed tensors.
 *
 * Frontends lower Keras layers into nodes whose `op` is a TFLite BuiltinOperator code and
 * whose options are (schema field name, value) pairs of that op's options table; passes
 * rewrite the graph (batch-norm folding, activation fusion, constant folding, dead code);
 * export/ writes it with src/format/tflite_build.c, building options tables through the
 * schema reflection. Everything lives in the graph's arena (freed in one call).
 * Shapes are static (batch 1); `dynamic_batch` marks tensors whose dim 0 is the batch, which
 * export writes as -1 in shape_signature, like Google's converter. */
#ifndef TFLC_IR_GRAPH_H
#define TFLC_IR_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "tflc/tensor.h"

#define TFLC_IR_MAX_OPTS 16

struct tflc_ir_quant {
    int32_t count;         /* 0 = none, 1 per tensor, >1 per channel */
    float *scale;
    int64_t *zero_point;
    int32_t axis;
    float min, max;        /* calibrated float range (quantizer) */
};

struct tflc_ir_tensor {
    const char *name;
    enum tflc_dtype dtype;
    int32_t rank;
    int32_t dims[TFLC_MAX_DIMS];
    bool dynamic_batch;    /* dim 0 is the batch dimension (shape_signature -1) */
    void *data;            /* constant data (arena), NULL for activations */
    size_t bytes;          /* data bytes when constant */
    bool is_variable;      /* recurrent state */
    struct tflc_ir_quant q;
    int32_t producer;      /* node index, -1 for graph inputs / constants */
};

enum tflc_ir_opt_kind { TFLC_IR_OPT_INT, TFLC_IR_OPT_FLOAT, TFLC_IR_OPT_BOOL, TFLC_IR_OPT_INTS };

struct tflc_ir_opt {
    const char *field;     /* schema field name of the op's options table, e.g. "stride_w" */
    enum tflc_ir_opt_kind kind;
    int64_t i;             /* INT, BOOL; enums as their numeric value */
    double f;
    const int32_t *ints;   /* INTS (arena) */
    int32_t n;
};

struct tflc_ir_node {
    int32_t op;            /* TFLite BuiltinOperator code */
    const char *name;      /* originating Keras layer (diagnostics) */
    int32_t nin, nout, ninter;
    int32_t *in;           /* tensor ids, -1 = absent optional input */
    int32_t *out;
    int32_t *inter;        /* intermediates (quantized LSTM) */
    int32_t nopts;
    struct tflc_ir_opt opts[TFLC_IR_MAX_OPTS];
    bool dead;             /* removed by a pass */
};

struct tflc_ir_graph {
    struct tflc_arena arena;
    struct tflc_ir_tensor *t;
    int32_t nt, ct;
    struct tflc_ir_node *n;
    int32_t nn, cn;
    int32_t *inputs, *outputs;
    int32_t ninputs, noutputs;
    const char **input_names, **output_names; /* signature names (Keras layer names) */
    struct tflc_diag *diag;
};

void tflc_ir_init(struct tflc_ir_graph *g, size_t arena_limit, struct tflc_diag *diag);
void tflc_ir_free(struct tflc_ir_graph *g);

/* New activation tensor; returns its id or -1 (diag set). */
int32_t tflc_ir_tensor(struct tflc_ir_graph *g, const char *name, enum tflc_dtype dtype, int rank, const int32_t *dims);
/* New constant tensor holding a copy of `data` (elements x dtype size bytes). */
int32_t tflc_ir_const(struct tflc_ir_graph *g, const char *name, enum tflc_dtype dtype, int rank, const int32_t *dims,
                      const void *data);
/* Constant int32 vector (shapes, axes, paddings...). */
int32_t tflc_ir_const_i32(struct tflc_ir_graph *g, const char *name, int n, const int32_t *v);
/* Constant float32 scalar-or-vector. */
int32_t tflc_ir_const_f32(struct tflc_ir_graph *g, const char *name, int rank, const int32_t *dims, const float *v);

/* New node; copies in/out. Returns the node index or -1. */
int32_t tflc_ir_node(struct tflc_ir_graph *g, int32_t op, const char *name, const int32_t *in, int nin,
                     const int32_t *out, int nout);
void tflc_ir_opt_int(struct tflc_ir_graph *g, int32_t node, const char *field, int64_t v);
void tflc_ir_opt_float(struct tflc_ir_graph *g, int32_t node, const char *field, double v);
void tflc_ir_opt_bool(struct tflc_ir_graph *g, int32_t node, const char *field, bool v);
void tflc_ir_opt_ints(struct tflc_ir_graph *g, int32_t node, const char *field, const int32_t *v, int n);
/* The option's record, NULL when not set. */
const struct tflc_ir_opt *tflc_ir_opt_get(const struct tflc_ir_node *n, const char *field);

/* Elements of a tensor and its byte size for its dtype. */
size_t tflc_ir_numel(const struct tflc_ir_tensor *t);

/* Consumers of tensor `t` among live nodes (count only). */
int tflc_ir_use_count(const struct tflc_ir_graph *g, int32_t t);
/* True when `t` is a graph output. */
bool tflc_ir_is_output(const struct tflc_ir_graph *g, int32_t t);

/* Recomputes producers and drops dead nodes and unreferenced tensors' producers (ids stay). */
void tflc_ir_refresh(struct tflc_ir_graph *g);

#endif
