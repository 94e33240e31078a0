/* Shared by the Keras readers (not a public interface). */
#ifndef TFLC_FRONTEND_KERAS_INTERNAL_H
#define TFLC_FRONTEND_KERAS_INTERNAL_H

#include "frontend/keras.h"

/* Whole file into malloc'd memory (NUL-terminated), size-capped. */
void *tflc_kio_read(const char *path, size_t max, size_t *len, struct tflc_diag *diag);

/* Finds or appends child `name` of `g`; NULL on allocation failure (diag set by the arena). */
struct tflc_kgroup *tflc_kgroup_child_add(struct tflc_kmodel *m, struct tflc_kgroup *g, const char *name);
/* Appends an empty weight record to `g`. */
struct tflc_kweight *tflc_kgroup_weight_add(struct tflc_kmodel *m, struct tflc_kgroup *g);

#endif
