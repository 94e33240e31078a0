/* IR -> .tflite: tensors, deduplicated constant buffers, options tables built through the
 * schema reflection from the nodes' (field, value) options, op versions per TFLite's rules,
 * min_runtime_version metadata and a serving_default signature. */
#ifndef TFLC_EXPORT_LOWER_TFLITE_H
#define TFLC_EXPORT_LOWER_TFLITE_H

#include "format/tflite_build.h"
#include "ir/graph.h"

struct tflc_export_stats {
    int ops;                 /* operators written */
    int tensors;
    int buffers;             /* distinct constant buffers */
    size_t constant_bytes;
    char min_runtime[16];
};

/* Writes the live part of `g`. The bytes stay owned by *builder (tflc_tflb_destroy).
 * tensor_map (optional): receives a malloc'd array of g->nt entries giving each IR tensor's
 * index in the written model (-1 when not written); the caller frees it. */
enum tflc_status tflc_export_tflite(const struct tflc_ir_graph *g, const char *description,
                                    struct tflc_tflb **builder, const uint8_t **data, size_t *size,
                                    struct tflc_export_stats *stats, int32_t **tensor_map,
                                    struct tflc_diag *diag);

#endif
