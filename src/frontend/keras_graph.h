/* Keras model config -> IR graph (Sequential, Functional, nested models, shared layers). */
#ifndef TFLC_FRONTEND_KERAS_GRAPH_H
#define TFLC_FRONTEND_KERAS_GRAPH_H

#include "frontend/keras.h"
#include "ir/graph.h"

/* Lowers the whole model into `g` (inputs, outputs and their signature names set). Refuses
 * with one error listing every unsupported layer (name and class) before lowering anything. */
enum tflc_status tflc_keras_to_ir(const struct tflc_kmodel *m, const struct tflc_keras_limits *lim,
                                  struct tflc_ir_graph *g, struct tflc_diag *diag);

/* Lowers a nested model config ({"class_name": "Sequential"|"Functional"|"Model", "config"})
 * applied to `in` (its inputs), with its weight group `w`. Used by the graph walker and by
 * wrappers. */
struct tflc_klower;
enum tflc_status tflc_keras_lower_model(struct tflc_klower *c, const cJSON *model, const struct tflc_kgroup *w,
                                        const int32_t *in, int nin, int32_t *out, int *nout);

#endif
