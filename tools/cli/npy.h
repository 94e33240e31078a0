/* NumPy .npy files (format 1.0-3.0): our own reader and writer. Little-endian, C order. */
#ifndef TFLC_CLI_NPY_H
#define TFLC_CLI_NPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tflc/tensor.h"

#define NPY_MAX_DIMS 16

struct npy {
    enum tflc_dtype dtype;
    int rank;
    int64_t dims[NPY_MAX_DIMS];
    size_t count;       /* elements */
    size_t bytes;       /* count x element size */
    void *file;         /* whole file, malloc'd */
    const void *data;   /* inside file */
};

/* Parses an .npy held in memory (takes ownership of `file`, freed by npy_free). On error
 * returns false with a message in err (the file is freed). */
bool npy_parse(void *file, size_t len, struct npy *out, char *err, size_t errlen);
/* Reads and parses; prints "tflc: error: PATH: ..." on failure. */
bool npy_load(const char *path, struct npy *out);
void npy_free(struct npy *n);

/* Serializes to a malloc'd buffer (format 1.0). */
void *npy_encode(enum tflc_dtype dtype, int rank, const int64_t *dims, const void *data, size_t *len);

/* numpy descr for a dtype ("<f4"), NULL when it has none. */
const char *npy_descr(enum tflc_dtype t);

#endif
