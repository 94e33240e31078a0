/* Bump arena over malloc'd chunks (converter side; the runtime uses the caller's arena).
 * One arena per converter stage, freed with one call; no per-object frees. A total cap turns
 * hostile inputs' huge requests into a clean error naming what asked for too much. */
#ifndef TFLC_BASE_ARENA_H
#define TFLC_BASE_ARENA_H

#include <stddef.h>
#include <stdint.h>

#include "tflc/status.h"

struct tflc_arena_chunk;

struct tflc_arena {
    struct tflc_arena_chunk *head;
    size_t used;      /* bytes handed out (incl. alignment) */
    size_t limit;     /* cap on `used`; 0 = default (4 GiB) */
    struct tflc_diag *diag; /* where a refusal is recorded (may be NULL) */
    int failed;
};

void tflc_arena_init(struct tflc_arena *a, size_t limit, struct tflc_diag *diag);
void tflc_arena_free(struct tflc_arena *a);

/* Zeroed, 16-byte aligned (64 for n >= 4096) memory, or NULL with diag set to
 * "out of memory: <what> asked for N bytes". */
void *tflc_arena_alloc(struct tflc_arena *a, size_t n, const char *what);
/* n elements of `size` bytes, overflow-checked. */
void *tflc_arena_array(struct tflc_arena *a, size_t n, size_t size, const char *what);
char *tflc_arena_strdup(struct tflc_arena *a, const char *s);
char *tflc_arena_strndup(struct tflc_arena *a, const char *s, size_t n);
void *tflc_arena_memdup(struct tflc_arena *a, const void *p, size_t n, const char *what);

#endif
