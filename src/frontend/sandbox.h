/* Runs a parser of untrusted bytes in a forked child with CPU-time and memory limits, so
 * that a crash or hang inside a third-party library (libhdf5 has known crashes on malformed
 * files) becomes a clean error instead of taking tflc down. The child writes a byte stream
 * to the parent through a pipe; the parent gets it whole once the child exits cleanly. */
#ifndef TFLC_FRONTEND_SANDBOX_H
#define TFLC_FRONTEND_SANDBOX_H

#include <stddef.h>
#include <stdio.h>

#include "tflc/status.h"

/* The child's work: write the result to `out` and return 0, or write '\n' + a one-line error
 * message (no trailing newline) to `out` and return 1. */
typedef int (*tflc_sandbox_fn)(void *ud, FILE *out);

/* Runs fn in a child. On success *data (malloc'd, caller frees) / *len hold what it wrote.
 * A child failure's message, a signal or a timeout become INVALID_MODEL with a message naming
 * `what`. `max_bytes` caps the result; `seconds` the child's CPU and wall time. */
enum tflc_status tflc_sandbox_run(const char *what, tflc_sandbox_fn fn, void *ud, size_t max_bytes, unsigned seconds,
                                  void **data, size_t *len, struct tflc_diag *diag);

#endif
