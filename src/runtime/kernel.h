/* What a kernel sees: the node it runs, its tensors, and the prepare-time services
 * (persistent memory, scratch requests, output shapes, errors). Kernels include only this.
 *
 * Life cycle (TFLM's split): prepare(ctx) runs once at init, in op order, after the inputs'
 * shapes are known. It validates types/shapes/params (refusing with UNSUPPORTED or
 * INVALID_MODEL and a message), sets every output's shape, precomputes what eval needs into
 * memory from tflc_op_alloc(), requests scratch, and picks node->eval for the types it met.
 * eval(ctx) runs on every invoke and re-checks nothing. During prepare only constant and
 * variable tensors have data; activations get their data pointers after planning. */
#ifndef TFLC_RUNTIME_KERNEL_H
#define TFLC_RUNTIME_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/tflite_model.h"
#include "tflc/runtime.h"
#include "tflc/tensor.h"

enum tflc_op {
#define TFLC_OP(name, stem, maxv) TFLC_OP_##name,
#include "base/ops.def"
#undef TFLC_OP
    TFLC_OP_COUNT
};

struct tflc_op_ctx;
struct tflc_ukernels;
typedef enum tflc_status (*tflc_prepare_fn)(struct tflc_op_ctx *ctx);
typedef enum tflc_status (*tflc_eval_fn)(const struct tflc_op_ctx *ctx);

struct tflc_node {
    int32_t op;                       /* enum tflc_op */
    int32_t builtin;                  /* TFLite builtin code */
    int32_t version;                  /* op version from the model */
    int32_t ninputs, noutputs, nintermediates;
    const int32_t *inputs;            /* tensor indices (-1 = absent), borrowed from the model */
    const int32_t *outputs;
    const int32_t *intermediates;
    struct tflc_fb_table options;     /* builtin options; .off == 0 when absent (accessors give defaults) */
    const uint8_t *custom_options;    /* borrowed, may be NULL */
    uint32_t custom_options_len;
    int32_t fused_pad[4];             /* PAD fused into this conv (fuse.c): before/after H, before/after W */
    bool has_fused_pad;               /* then input 0 is the PAD's input and the conv's padding is VALID */
    bool fused_away;                  /* a PAD fused into its reader: no inputs, no outputs, not prepared */
    tflc_eval_fn eval;                /* set by prepare */
    void *data;                       /* op state from prepare (arena), may be NULL */
    size_t scratch_bytes;             /* requested by prepare; placed by the planner */
    void *scratch;                    /* valid in eval */
};

struct tflc_op_ctx {
    struct tflc_interp *it;
    struct tflc_node *node;
    struct tflc_tensor *tensors;      /* all tensors of the subgraph */
    int index;                        /* operator index in the subgraph */
    struct tflc_diag *diag;           /* prepare: where errors go; eval: may be NULL */
};

/* Input/output i of the node, NULL when absent (-1 or past the end). */
static inline struct tflc_tensor *tflc_op_in(const struct tflc_op_ctx *c, int i) {
    if (i < 0 || i >= c->node->ninputs || c->node->inputs[i] < 0) return NULL;
    return &c->tensors[c->node->inputs[i]];
}
static inline struct tflc_tensor *tflc_op_out(const struct tflc_op_ctx *c, int i) {
    if (i < 0 || i >= c->node->noutputs || c->node->outputs[i] < 0) return NULL;
    return &c->tensors[c->node->outputs[i]];
}
static inline struct tflc_tensor *tflc_op_intermediate(const struct tflc_op_ctx *c, int i) {
    if (i < 0 || i >= c->node->nintermediates || c->node->intermediates[i] < 0) return NULL;
    return &c->tensors[c->node->intermediates[i]];
}

/* The quantized arithmetic this interpreter matches (see enum tflc_arith). */
enum tflc_arith tflc_op_arith(const struct tflc_op_ctx *c);

/* How this node's 8-bit arithmetic should go (valid from prepare on):
 *   tflc_op_uses_xnnpack(c)                  XNNPACK's (Google's delegate takes the node);
 *   else tflc_op_arith(c) == XNNPACK         TFLite's builtin (optimized) kernel's;
 *   else                                     TFLite's reference kernel's.
 * True only under TFLC_ARITH_XNNPACK, for nodes runtime/xnnpack_select.c picks. */
bool tflc_op_uses_xnnpack(const struct tflc_op_ctx *c);

/* The microkernel table this interpreter runs (kernels/ukernel.h); its isa is TFLC_ISA_REF
 * when the options ask for reference kernels, and then ops keep their reference loops. */
const struct tflc_ukernels *tflc_op_ukernels(const struct tflc_op_ctx *c);

/* Eval only: runs task(ud, i) for i in [0, n), split over the interpreter's threads (the
 * options' parallel_for), or in order on the caller without one. Tasks must write disjoint
 * memory; n should be a small multiple of tflc_op_threads() with tasks of similar cost. */
void tflc_op_parallel(const struct tflc_op_ctx *c, int n, void (*task)(void *ud, int i), void *ud);
/* Threads the work may be split over (>= 1). */
int tflc_op_threads(const struct tflc_op_ctx *c);
/* Threads worth splitting `work` over: 1 below TFLC_PAR_MIN_WORK, where waking the other
 * threads and waiting for them costs more than the split saves (~1.5 us per op on x86), else
 * tflc_op_threads(). `work` counts int8 GEMM multiply-adds; callers weight slower work
 * (float GEMM 2, int8 depthwise 4, float depthwise 8 per multiply-add). */
#define TFLC_PAR_MIN_WORK 524288.0
int tflc_op_threads_for(const struct tflc_op_ctx *c, double work);

/* True when tensor `t` has constant data from the model. */
bool tflc_op_is_const(const struct tflc_op_ctx *c, const struct tflc_tensor *t);
/* True when `t` is a variable tensor (state kept across invokes, e.g. LSTM state). */
bool tflc_op_is_variable(const struct tflc_op_ctx *c, const struct tflc_tensor *t);

/* Prepare only: zeroed persistent memory, 16-byte aligned (64 when bytes >= 64). NULL means
 * the arena is exhausted; the diag is already set, return TFLC_STATUS_ARENA_TOO_SMALL. */
void *tflc_op_alloc(struct tflc_op_ctx *c, size_t bytes);

/* Prepare only: request `bytes` of scratch valid during this op's eval (node->scratch). */
void tflc_op_request_scratch(struct tflc_op_ctx *c, size_t bytes);

/* Prepare only: sets an output's shape (and bytes, overflow-checked). Fails with
 * INVALID_MODEL when the size overflows or the tensor is a constant. */
enum tflc_status tflc_op_set_shape(struct tflc_op_ctx *c, struct tflc_tensor *t, int rank, const int32_t *dims);

/* Error with the op named: "operator 12 (CONV_2D v3): <message>". Returns `st`. */
enum tflc_status tflc_op_fail(const struct tflc_op_ctx *c, enum tflc_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Standard refusal for a type combination: names op, version and every tensor's dtype. */
enum tflc_status tflc_op_unsupported(const struct tflc_op_ctx *c);

/* Checks input count in [min,max] and output count == nout (INVALID_MODEL otherwise). */
enum tflc_status tflc_op_check_io(const struct tflc_op_ctx *c, int min_in, int max_in, int nout);

/* Elements of a tensor (product of dims). */
static inline size_t tflc_numel(const struct tflc_tensor *t) {
    size_t n = 1;
    for (int i = 0; i < t->rank; i++) n *= (size_t)t->dims[i];
    return n;
}

/* Shapes equal (rank and dims). */
static inline bool tflc_same_shape(const struct tflc_tensor *a, const struct tflc_tensor *b) {
    if (a->rank != b->rank) return false;
    for (int i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i]) return false;
    return true;
}

/* Kernel prepare functions, one per ops.def line. */
#define TFLC_OP(name, stem, maxv) enum tflc_status tflc_##stem##_prepare(struct tflc_op_ctx *ctx);
#include "base/ops.def"
#undef TFLC_OP

#endif
