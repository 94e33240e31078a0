/* Keras models as the converter sees them, whatever file they came from.
 *
 * Readers (keras_h5.c: Keras 2 / tf.keras / Keras 3 legacy .h5 through libhdf5; keras_v3.c:
 * Keras 3 .keras zip through libzip + the inner model.weights.h5; tfjs.c: TensorFlow.js
 * model.json + weight shards) produce the same thing: the model config as a cJSON tree, the
 * Keras version, and the weights as a tree of groups mirroring the layer nesting.
 *
 * Weight groups. The root's children are the top-level layers that own weights, in file
 * order, each named after its layer. A group's `weights` are its own variables in Keras
 * order (e.g. Dense: kernel, bias; BatchNormalization: gamma, beta, moving_mean,
 * moving_variance; LSTM: kernel, recurrent_kernel, bias); its `children` are sub-layers
 * (layers of a nested model, the forward/backward layers of Bidirectional, the wrapped layer
 * of TimeDistributed, an RNN's cell...). Weight names are the last path component without
 * ":0" ("kernel") when the file has names (h5, tfjs) and NULL when it has only positions
 * (Keras 3 `vars/<i>`). All data is converted to float32 (or int32 for integer variables)
 * and owned by the model's arena.
 *
 * Every reader checks sizes against limits before reading (file size, JSON depth, zip
 * entries and uncompressed sizes, dataset element counts) and reports errors naming the file
 * and object. */
#ifndef TFLC_FRONTEND_KERAS_H
#define TFLC_FRONTEND_KERAS_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "tflc/tensor.h"

struct tflc_kweight {
    const char *name;          /* "kernel", "bias", ... or NULL (positional formats) */
    const char *path;          /* full name in the file, for messages */
    enum tflc_dtype dtype;     /* FLOAT32 or INT32 */
    int32_t rank;
    int32_t dims[TFLC_MAX_DIMS];
    void *data;                /* rank/dims elements, arena-owned */
};

struct tflc_kgroup {
    const char *name;          /* layer name (root: "") */
    struct tflc_kweight *weights;
    int32_t nweights;
    struct tflc_kgroup *children;
    int32_t nchildren;
};

struct tflc_kmodel {
    struct tflc_arena arena;   /* owns everything below except `config` */
    const char *path;          /* file the model came from */
    const char *format;        /* "h5", "keras", "tfjs" */
    const char *keras_version; /* "2.4.0", "3.3.3", ... or "" */
    cJSON *config;             /* {"class_name": ..., "config": {...}} (model_config) */
    struct tflc_kgroup root;
    const char *stray_weights; /* a weight group no layer of the config has (legacy .h5; not
                                  read), or NULL; the converter refuses the model with it */
};

/* Limits for untrusted Keras files. */
struct tflc_keras_limits {
    size_t max_file_bytes;          /* 2 GiB */
    size_t max_json_bytes;          /* 64 MiB of config text */
    int max_json_depth;             /* 200 */
    size_t max_zip_entries;         /* 10,000 */
    size_t max_zip_entry_bytes;     /* 2 GiB uncompressed per entry */
    size_t max_weight_elements;     /* 2^28 per variable (1 GiB of float32) */
    size_t max_total_bytes;         /* 2 GiB of weights + metadata (arena cap; a .tflite cannot be larger) */
    int max_nesting;                /* nested models / wrappers: 32 */
};
struct tflc_keras_limits tflc_keras_limits_default(void);

/* Reads any supported Keras file (by content: HDF5 signature, zip, or JSON text for tfjs;
 * a tfjs model.json's shards are read from its folder). On failure returns INVALID_MODEL /
 * UNSUPPORTED / IO with "what is wrong (which object)" in diag; *m is then already freed. */
enum tflc_status tflc_keras_load(const char *path, const struct tflc_keras_limits *lim, struct tflc_kmodel *m,
                                 struct tflc_diag *diag);
void tflc_keras_free(struct tflc_kmodel *m);

/* The per-format readers tflc_keras_load dispatches to (same contract). The h5 reader also
 * serves keras_v3 (model.weights.h5 in memory). */
enum tflc_status tflc_keras_read_h5(const char *path, const void *buf, size_t len, const struct tflc_keras_limits *lim,
                                    struct tflc_kmodel *m, struct tflc_diag *diag);
enum tflc_status tflc_keras_read_v3(const char *path, const void *buf, size_t len, const struct tflc_keras_limits *lim,
                                    struct tflc_kmodel *m, struct tflc_diag *diag);
enum tflc_status tflc_keras_read_tfjs(const char *path, const void *buf, size_t len, const struct tflc_keras_limits *lim,
                                      struct tflc_kmodel *m, struct tflc_diag *diag);

/* Parses JSON text with a depth limit (checked before cJSON sees it). NULL + diag on error. */
cJSON *tflc_json_parse(const char *what, const char *text, size_t len, const struct tflc_keras_limits *lim,
                       struct tflc_diag *diag);

/* Child group by name, NULL when absent. */
const struct tflc_kgroup *tflc_kgroup_child(const struct tflc_kgroup *g, const char *name);

#endif
