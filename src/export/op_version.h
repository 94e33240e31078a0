/* Op versions and minimum runtime versions, following TFLite's versioning rules
 * (tensorflow/lite/tools/versioning): each op gets the lowest version its types and options
 * need, and the model's min_runtime_version is the newest runtime any of its ops needs. */
#ifndef TFLC_EXPORT_OP_VERSION_H
#define TFLC_EXPORT_OP_VERSION_H

#include "ir/graph.h"

/* Lowest version of node `k` (>= 1). */
int tflc_op_version(const struct tflc_ir_graph *g, int32_t k);

/* Minimum TFLite runtime for (builtin, version), e.g. "1.14.0"; NULL when not recorded. */
const char *tflc_op_min_runtime(int32_t builtin, int version);

/* Compares "a.b.c" version strings numerically (<0, 0, >0). */
int tflc_runtime_version_cmp(const char *a, const char *b);

#endif
