/* A .tflite (made by any converter, e.g. Google's) as an IR graph, so the quantizer can take
 * float TFLite models as well as Keras ones. Options tables are read back into IR options
 * through the schema reflection; constants are copied into the graph's arena. Only the first
 * subgraph is imported; models with control flow or custom ops are refused. */
#ifndef TFLC_FRONTEND_TFLITE_IMPORT_H
#define TFLC_FRONTEND_TFLITE_IMPORT_H

#include "ir/graph.h"

/* `buf` must already have passed tflc_tfl_verify(). */
enum tflc_status tflc_tflite_import(const void *buf, size_t len, struct tflc_ir_graph *g, struct tflc_diag *diag);

#endif
