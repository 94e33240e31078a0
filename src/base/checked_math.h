/* Overflow-checked size arithmetic. Every count, length or offset that comes from a file goes
 * through these before it is used. Each returns true on success and writes the result. */
#ifndef TFLC_CHECKED_MATH_H
#define TFLC_CHECKED_MATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool tflc_mul_size(size_t a, size_t b, size_t *out) {
    if (a != 0 && b > SIZE_MAX / a) return false;
    *out = a * b;
    return true;
}

static inline bool tflc_add_size(size_t a, size_t b, size_t *out) {
    if (b > SIZE_MAX - a) return false;
    *out = a + b;
    return true;
}

/* Product of dims (each must be >= 0); false on negative dim or overflow past `limit`. */
static inline bool tflc_dims_product(const int32_t *dims, int rank, size_t limit, size_t *out) {
    size_t n = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] < 0) return false;
        if (!tflc_mul_size(n, (size_t)dims[i], &n) || n > limit) return false;
    }
    *out = n;
    return true;
}

static inline size_t tflc_align_up(size_t v, size_t a) { return (v + (a - 1)) & ~(a - 1); }

#endif
