/* Interpreter internals shared by interp.c, plan.c and the hosted layer. */
#ifndef TFLC_RUNTIME_INTERP_H
#define TFLC_RUNTIME_INTERP_H

#include "runtime/kernel.h"

enum tensor_kind {
    TK_ACT = 0,    /* activation: planned in the arena head */
    TK_CONST,      /* data in the model (or a realigned copy in the tail) */
    TK_VARIABLE,   /* state kept across invokes, in the tail */
    TK_UNUSED      /* never read or written: no memory */
};

struct tflc_tensor_rt {
    uint8_t kind;      /* enum tensor_kind */
    int32_t first;     /* first op touching it (-1 = before op 0, i.e. graph input) */
    int32_t last;      /* last op touching it (nops = graph output) */
    size_t offset;     /* planned offset in the head (TK_ACT) */
};

struct tflc_interp {
    uint32_t magic;
    const uint8_t *model;
    size_t model_len;
    struct tflc_fb_table subgraph;
    int32_t ntensors, nops, ninputs, noutputs;
    const int32_t *inputs, *outputs;        /* borrowed from the model */
    struct tflc_tensor *tensors;
    struct tflc_tensor_rt *trt;
    struct tflc_node *nodes;
    uint8_t *base;                           /* 64-aligned arena start */
    size_t cap;                              /* usable bytes from base */
    size_t tail;                             /* persistent bytes taken from the end */
    size_t head;                             /* bytes of the planned region */
    size_t head_peak;                        /* max head use during init (verify/plan scratch too) */
    struct tflc_interp_options opt;
    struct tflc_diag *diag;                  /* init-time diag */
    uint8_t *xnnpack;                        /* [nops] 1 = XNNPACK arithmetic (TFLC_ARITH_XNNPACK only) */
    const char *xnnpack_failure;             /* why Google's runtime would run no node in XNNPACK, or NULL */
    const struct tflc_ukernels *uk;          /* microkernels of the chosen ISA */
};

#define TFLC_INTERP_MAGIC 0x74666c63u

/* Persistent allocation from the arena tail (zeroed, aligned). NULL + diag when exhausted. */
void *tflc_interp_alloc_tail(struct tflc_interp *it, size_t bytes, size_t align);

/* Plans every activation and scratch buffer into the head (greedy by size over lifetimes);
 * sets it->head, trt[i].offset and every node->scratch. */
enum tflc_status tflc_plan_memory(struct tflc_interp *it);

/* Decides, before prepare, which nodes Google's XNNPACK delegate would take (xnnpack_select.c):
 * fills take[nops]; returns NULL, or why the delegate would fail for the whole model (then
 * take[] is all 0). */
const char *tflc_xnnpack_select(struct tflc_interp *it, uint8_t *take);

/* Fuses each PAD whose only reader is a VALID CONV_2D / DEPTHWISE_CONV_2D (or, on RELU outputs,
 * MAX_POOL_2D) into it (fuse.c):
 * before prepare, on the fast (non-reference) kernels only. The conv then reads the PAD's input
 * with the padding as its own (the same values: the pad value is what the conv's padding
 * stands for), and the PAD becomes an empty node. */
enum tflc_status tflc_fuse_pads(struct tflc_interp *it);

/* Builtin code of each enum tflc_op and its max version (from ops.def). */
extern const int32_t tflc_op_builtin[TFLC_OP_COUNT];
extern const int32_t tflc_op_max_version[TFLC_OP_COUNT];
extern const tflc_prepare_fn tflc_op_prepare[TFLC_OP_COUNT];

#endif
