/* Loading a .tflite into a ready interpreter, shared by run, bench and eval. */
#ifndef TFLC_CLI_RUN_UTIL_H
#define TFLC_CLI_RUN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tflc/runtime.h"

struct run_model {
    void *file;
    size_t len;
    void *arena;
    size_t arena_bytes;
    struct tflc_interp *it;
    struct tflc_threadpool *pool; /* when opt->num_threads > 1 and opt has no parallel_for */
};

/* Reads, verifies, sizes the arena exactly and inits; prints the error on failure. With
 * opt->num_threads > 1 and no opt->parallel_for, the model gets its own thread pool of that
 * many threads (the hosted one), freed by run_model_free. */
bool run_model_load(struct run_model *rm, const char *path, const struct tflc_interp_options *opt);
void run_model_free(struct run_model *rm);

/* Seeded random input: floats uniform in [-1, 1), integers over their full range (int32/int64
 * indices in [0, 2)), bools 0/1. */
void run_fill_random(struct tflc_tensor *t, uint64_t *state);

/* Applies TFLC_ISA=auto|ref|avx2|avx512|avx512vnni|neon|neondot from the environment to opt
 * (the microkernels to run); false (with an error printed) for another value. */
bool run_env_isa(struct tflc_interp_options *opt);

/* Applies TFLC_ARITH=xnnpack|reference from the environment to opt; false (with an error
 * printed) for another value. */
bool run_env_arith(struct tflc_interp_options *opt);
/* Parses --arithmetic's value. */
bool run_parse_arith(const char *s, enum tflc_arith *a);

#endif
