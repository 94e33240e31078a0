/* xnn_model.h - a .tflite run the way TFLite's CPU interpreter runs it with the XNNPACK delegate
 * (benchmark baseline only; never linked into tflc).
 *
 * The model's ops are split into partitions as the delegate does: maximal runs of consecutive
 * ops that XNNPACK takes become one XNNPACK subgraph and runtime each; the ops it does not take
 * (CONCATENATION, TANH, int8 SOFTMAX, int8 AVERAGE_POOL_2D in the Debian XNNPACK of 2022-02)
 * run in simple C kernels in between, as TFLite would run them in its builtin kernels. A model
 * with an op that neither can run (UNIDIRECTIONAL_SEQUENCE_LSTM, STRIDED_SLICE, ...) is refused
 * with the op named: the caller reports "n/a".
 *
 *   struct xm_model m;
 *   if (!xm_load(&m, file, len, threads, err, sizeof err)) ...;   // err says why
 *   memcpy(m.t[m.inputs[0]].buf, x, m.t[m.inputs[0]].bytes);
 *   xm_invoke(&m);                       // output in m.t[m.outputs[0]].buf
 *   xm_free(&m);
 */
#ifndef TFLC_BENCH_XNN_MODEL_H
#define TFLC_BENCH_XNN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XM_MAX_RANK 8

struct xm_tensor {
    int type; /* TFLite TensorType (0 float32, 9 int8, 3 uint8, 2 int32, ...) */
    int rank;
    size_t dims[XM_MAX_RANK];
    size_t elems, bytes;
    const char *name; /* borrowed from the model */
    const void *data; /* constant data inside the model, NULL for activations */
    float scale;      /* per-tensor scale (first scale when per channel); 0 = none */
    int32_t zero_point;
    int nscales; /* 0 none, 1 per tensor, >1 per channel along qdim */
    int qdim;
    float *scales; /* nscales entries (malloc'd copy: XNNPACK wants float *) */
    int producer;  /* op index, -1 for graph inputs and constants */
    int part;      /* partition of the producer (-1: graph input / constant) */
    bool external; /* crosses a partition boundary or is a graph input / output */
    void *buf;     /* external tensors: 64-byte aligned buffer (+64 slack bytes) */
};

struct xm_op {
    int code;         /* TFLite BuiltinOperator */
    const char *name; /* "CONV_2D" */
    int nin, nout;
    const int32_t *in, *out; /* tensor indices, -1 = optional input absent */
    const void *opts_buf;    /* builtin options table (buffer, offset) */
    uint32_t opts_off;
    bool xnn; /* true: runs in an XNNPACK partition; false: C fallback */
    int part;
};

struct xm_part {
    bool xnn;
    int first, last; /* op range [first, last] */
    void *runtime;   /* xnn_runtime_t */
};

struct xm_model {
    const void *file; /* borrowed, must outlive the model (constants point into it) */
    int nt, nops, nparts;
    struct xm_tensor *t;
    struct xm_op *ops;
    struct xm_part *parts;
    int ninputs, noutputs;
    const int32_t *inputs, *outputs;
    int threads;
    void *pool; /* pthreadpool_t, NULL for 1 thread */
    int xnn_ops, fallback_ops;
    char fallback_list[256]; /* op names run by the C fallback, comma separated */
};

/* Verifies and reads subgraph 0 of a .tflite (borrowed, must outlive m), partitions it and
 * creates the XNNPACK runtimes on `threads` threads. false with a message in err on failure;
 * *na is set when the failure is an op XNNPACK's delegate does not take (the model is "n/a"). */
bool xm_load(struct xm_model *m, const void *file, size_t len, int threads, bool *na, char *err, size_t errlen);
/* Runs the partitions in order. false (with a message) if XNNPACK fails. */
bool xm_invoke(struct xm_model *m, char *err, size_t errlen);
void xm_free(struct xm_model *m);

/* Fallback kernels (xnn_fallback.c): true if op k can run there; run it. */
bool xm_fallback_supported(const struct xm_model *m, int k);
void xm_fallback_run(struct xm_model *m, int k);

/* Fused activation (TFLite ActivationFunctionType) -> output range; false for TANH / SIGN_BIT. */
bool xm_activation_range(int act, float *lo, float *hi);

#endif
