/* Lowering Keras layers to IR nodes (what every src/frontend/klayer_*.c file sees).
 *
 * keras_graph.c walks the model config (Sequential, Functional, nested models), and for each
 * layer call looks up the class in klayers.def and calls its lowering function with the IR
 * tensors feeding the call. The function reads its config through kcfg_*, its weights through
 * kw_*, checks everything (a message names the layer, its class and the offending key or
 * weight), creates nodes/tensors with kir_*, and returns its output tensors. Shapes are
 * static with batch 1 (dim 0 of activations is the batch; kir_tensor marks it dynamic).
 * Activations are emitted as separate ops; ir/passes fuse them where TFLite can. */
#ifndef TFLC_FRONTEND_KERAS_LOWER_H
#define TFLC_FRONTEND_KERAS_LOWER_H

#include <stdbool.h>

#include "format/tflite_schema.h"
#include "frontend/keras.h"
#include "ir/graph.h"

#define KL_MAX_IO 64

/* The weights kw_get handed out during one layer call, wrapped layers included: the walker
 * refuses a file holding weights the layer never uses (Keras refuses a count mismatch too). */
#define KW_MAX_USED 64
struct kw_usage {
    const struct tflc_kweight *w[KW_MAX_USED];
    int n;
};

struct tflc_klower {
    struct tflc_ir_graph *g;
    const struct tflc_kmodel *m;
    struct tflc_diag *diag;
    const char *name;              /* layer name */
    const char *cls;               /* class_name */
    const cJSON *cfg;              /* the layer's "config" object */
    const struct tflc_kgroup *w;   /* its weight group, NULL when it has none */
    int keras_major;               /* 2 (Keras 2.x / tf.keras / tfjs) or 3 */
    int depth;                     /* nesting of models and wrappers */
    struct kw_usage *used;         /* set by the walker per layer call; NULL = not tracked */
    const struct tflc_keras_limits *lim;
};

typedef enum tflc_status (*tflc_klayer_fn)(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout);

/* Lowering functions, one per klayers.def line. */
#define KLAYER(cls, fn) enum tflc_status tflc_klayer_##fn(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout);
#include "frontend/klayers.def"
#undef KLAYER

/* Lowering function of a class name, NULL when unsupported. */
tflc_klayer_fn tflc_klayer_find(const char *cls);

/* Error naming the layer: "layer 'dense_1' (Dense): <message>". Returns st. */
enum tflc_status kfail(const struct tflc_klower *c, enum tflc_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- config access (missing keys give the default; wrong types are errors) ---- */
const cJSON *kcfg(const struct tflc_klower *c, const char *key);
enum tflc_status kcfg_int(const struct tflc_klower *c, const char *key, int64_t dflt, int64_t lo, int64_t hi, int64_t *v);
enum tflc_status kcfg_num(const struct tflc_klower *c, const char *key, double dflt, double *v);
enum tflc_status kcfg_bool(const struct tflc_klower *c, const char *key, bool dflt, bool *v);
/* String value (NULL when absent or null). */
const char *kcfg_str(const struct tflc_klower *c, const char *key);
/* An int or a list of n ints (kernel_size, strides...): a single int is repeated n times. */
enum tflc_status kcfg_ints(const struct tflc_klower *c, const char *key, int n, const int32_t *dflt, int32_t lo,
                           int32_t hi, int32_t *v);
/* The activation name of an "activation" value: "relu" for "relu", {"class_name": "ReLU"}...,
 * "linear" for null/absent. */
const char *kcfg_activation(const struct tflc_klower *c, const char *key);

/* ---- weights ---- */
/* Number of weights of the layer (its group flattened depth-first). */
int kw_count(const struct tflc_klower *c);
/* Weight i of the flattened list, checked: name (when the file has names) must equal `name`
 * (NULL = any), rank and dims must match (-1 = any). Error names layer and weight. */
enum tflc_status kw_get(const struct tflc_klower *c, int i, const char *name, int rank, const int32_t *dims,
                        const struct tflc_kweight **w);
/* A sub-lowering for a child layer (wrappers, nested models): same graph, the child's
 * config and weight group. */
struct tflc_klower kl_child(const struct tflc_klower *c, const char *name, const char *cls, const cJSON *cfg,
                            const struct tflc_kgroup *w);

/* ---- IR construction ---- */
/* Activation tensor named "<layer><suffix>" (dim 0 dynamic when rank > 0). */
int32_t kir_tensor(struct tflc_klower *c, const char *suffix, enum tflc_dtype t, int rank, const int32_t *dims);
int32_t kir_const_f32(struct tflc_klower *c, const char *suffix, int rank, const int32_t *dims, const float *v);
int32_t kir_const_i32(struct tflc_klower *c, const char *suffix, int n, const int32_t *v);
int32_t kir_node(struct tflc_klower *c, int32_t op, const int32_t *in, int nin, const int32_t *out, int nout);
/* The tensor `t` (shape shortcut). */
/* A JSON number as int32 for a config value that is range-checked next: values outside int32's
 * range (or NaN) become INT32_MIN, which every such check rejects (converting them directly is
 * undefined behaviour in C). */
static inline int32_t kjson_i32(const cJSON *j) {
    const double v = j->valuedouble;
    return v >= -2147483648.0 && v <= 2147483647.0 ? (int32_t)v : INT32_MIN;
}

static inline const struct tflc_ir_tensor *kir_t(const struct tflc_klower *c, int32_t t) { return &c->g->t[t]; }

/* True when tflc's runtime has a kernel for this TFLite builtin (src/base/ops.def). Lowerings
 * that have a shorter form needing an op the runtime lacks use the longer one until it has it. */
bool kir_runtime_has(int32_t builtin);

/* Applies a Keras activation by name to x: returns the output tensor (x itself for linear),
 * or -1 with an error for an unknown activation. */
int32_t kir_activation(struct tflc_klower *c, int32_t x, const char *act);
/* One-op helpers used across layer files (output shape = input shape unless stated). */
int32_t kir_unary(struct tflc_klower *c, int32_t op, int32_t x, const char *suffix);
int32_t kir_binary(struct tflc_klower *c, int32_t op, int32_t a, int32_t b, const char *suffix);
int32_t kir_reshape(struct tflc_klower *c, int32_t x, int rank, const int32_t *dims, const char *suffix);
int32_t kir_transpose(struct tflc_klower *c, int32_t x, const int32_t *perm, const char *suffix);
/* FULLY_CONNECTED x[..., K] by weights [N, K] (+ bias [N] or -1); keep_num_dims as asked. */
int32_t kir_fully_connected(struct tflc_klower *c, int32_t x, int32_t w, int32_t b, bool keep_num_dims, const char *suffix);

#endif
