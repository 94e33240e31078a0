/* Helpers private to the data-movement kernels (concatenation, reshape, transpose, pad,
 * slices, gather, resize, space/depth, ...): which dtypes they copy, reading int32/int64
 * index tensors, and one N-d strided copy that transpose, slice, strided slice, split,
 * unpack, space_to_depth and depth_to_space are all expressed with. */
#ifndef TFLC_KERNELS_REF_SHAPE_UTIL_H
#define TFLC_KERNELS_REF_SHAPE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernels/ref/common.h"

/* Element types a pure copy handles (values are moved, never interpreted). */
static inline bool shp_copyable(enum tflc_dtype t) {
    switch (t) {
    case TFLC_DTYPE_FLOAT32: case TFLC_DTYPE_INT8: case TFLC_DTYPE_UINT8: case TFLC_DTYPE_INT16:
    case TFLC_DTYPE_INT32: case TFLC_DTYPE_INT64: case TFLC_DTYPE_BOOL:
        return true;
    default:
        return false;
    }
}

static inline bool shp_is_index_type(enum tflc_dtype t) { return t == TFLC_DTYPE_INT32 || t == TFLC_DTYPE_INT64; }

/* Element i of an int32 or int64 tensor (the caller checked the dtype). */
static inline int64_t shp_int_at(const struct tflc_tensor *t, size_t i) {
    if (t->dtype == TFLC_DTYPE_INT64) return ((const int64_t *)t->data)[i];
    return ((const int32_t *)t->data)[i];
}

/* Product of dims[from..to). */
static inline size_t shp_prod(const int32_t *dims, int from, int to) {
    size_t n = 1;
    for (int i = from; i < to; i++) n *= (size_t)dims[i];
    return n;
}

/* True when `t` has exactly this shape. */
static inline bool shp_has_shape(const struct tflc_tensor *t, int rank, const int32_t *dims) {
    if (t->rank != rank) return false;
    for (int i = 0; i < rank; i++)
        if (t->dims[i] != dims[i]) return false;
    return true;
}

/* Formats a shape as "[1,2,3]" into buf (for messages). */
static inline const char *shp_fmt(char *buf, size_t n, int rank, const int32_t *dims) {
    size_t k = 0;
    int w = snprintf(buf, n, "[");
    if (w > 0) k = (size_t)w;
    for (int i = 0; i < rank && k < n; i++) {
        w = snprintf(buf + k, n - k, "%s%d", i ? "," : "", (int)dims[i]);
        if (w > 0) k += (size_t)w;
    }
    if (k < n) snprintf(buf + k, n - k, "]");
    return buf;
}

/* A strided read of the source laid out in output (row-major) order:
 *   out[i0,...,ik] = src[offset + sum_d i_d * stride[d]]        (strides in elements, signed)
 * Transpose, slices and the space/depth shuffles are all such plans. */
struct shp_plan {
    int rank;                          /* >= 1 after shp_plan_finish */
    int32_t dims[TFLC_MAX_DIMS];
    ptrdiff_t stride[TFLC_MAX_DIMS];
    ptrdiff_t offset;
};

/* Merges neighbouring dims that are contiguous in the source (so inner runs get longer)
 * and drops size-1 dims; keeps at least one dim. */
static inline void shp_plan_finish(struct shp_plan *p) {
    struct shp_plan q = *p;
    int r = 0;
    for (int d = 0; d < p->rank; d++) {
        if (p->dims[d] == 0) { /* empty output: nothing to copy */
            q.rank = 1;
            q.dims[0] = 0;
            q.stride[0] = 1;
            *p = q;
            return;
        }
    }
    for (int d = 0; d < p->rank; d++) {
        if (p->dims[d] == 1) continue;
        if (r > 0 && q.stride[r - 1] == p->stride[d] * (ptrdiff_t)p->dims[d]) {
            q.dims[r - 1] *= p->dims[d];
            q.stride[r - 1] = p->stride[d];
            continue;
        }
        q.dims[r] = p->dims[d];
        q.stride[r] = p->stride[d];
        r++;
    }
    if (r == 0) { q.dims[0] = 1; q.stride[0] = 1; r = 1; }
    q.rank = r;
    *p = q;
}

#define SHP_ROW(T)                                                                     \
    do {                                                                               \
        const T *s_ = (const T *)src + off;                                            \
        T *o_ = (T *)out;                                                              \
        for (int32_t k_ = 0; k_ < n; k_++) o_[k_] = s_[(ptrdiff_t)k_ * st];            \
    } while (0)

/* Runs a plan: writes every output element in order into dst (es bytes each). */
static inline void shp_plan_run(const struct shp_plan *p, const void *src, void *dst, size_t es) {
    int r = p->rank, last = r - 1;
    size_t rows = shp_prod(p->dims, 0, last);
    int32_t n = p->dims[last];
    ptrdiff_t st = p->stride[last];
    int32_t idx[TFLC_MAX_DIMS] = {0};
    uint8_t *out = dst;
    if (n == 0) return;
    for (size_t row = 0; row < rows; row++) {
        ptrdiff_t off = p->offset;
        for (int d = 0; d < last; d++) off += (ptrdiff_t)idx[d] * p->stride[d];
        if (st == 1) {
            memcpy(out, (const uint8_t *)src + off * (ptrdiff_t)es, (size_t)n * es);
        } else {
            switch (es) {
            case 1: SHP_ROW(uint8_t); break;
            case 2: SHP_ROW(uint16_t); break;
            case 4: SHP_ROW(uint32_t); break;
            default: SHP_ROW(uint64_t); break;
            }
        }
        out += (size_t)n * es;
        for (int d = last - 1; d >= 0; d--) {
            if (++idx[d] < p->dims[d]) break;
            idx[d] = 0;
        }
    }
}
#undef SHP_ROW

/* Row-major element strides of a shape. */
static inline void shp_strides(int rank, const int32_t *dims, ptrdiff_t *stride) {
    ptrdiff_t s = 1;
    for (int d = rank - 1; d >= 0; d--) {
        stride[d] = s;
        s *= dims[d];
    }
}

/* Normalizes an axis in [-n, n) to [0, n); false when out of range. */
static inline bool shp_axis(int64_t axis, int n, int *out) {
    if (axis < 0) axis += n;
    if (axis < 0 || axis >= n) return false;
    *out = (int)axis;
    return true;
}

/* Fills n elements of es bytes each with the value at `val`. */
static inline void shp_fill(void *dst, size_t n, const void *val, size_t es) {
    uint8_t *o = dst;
    const uint8_t *v = val;
    bool same = true; /* every byte equal (zeros, the usual pad value): one memset */
    for (size_t i = 1; i < es; i++) same = same && v[i] == v[0];
    if (same) { memset(o, v[0], n * es); return; }
    if (n == 0) return;
    memcpy(o, v, es); /* then double the filled prefix: log2(n) copies, not n */
    for (size_t done = 1; done < n;) {
        size_t k = done < n - done ? done : n - done;
        memcpy(o + done * es, o, k * es);
        done += k;
    }
}

/* RESIZE_*: output dims [N, size[0], size[1], C] from the 2-entry size tensor; NULL or
 * what is wrong (sizes must be >= 1). */
static inline const char *shp_resize_dims(const struct tflc_tensor *x, const struct tflc_tensor *size, int32_t *dims) {
    int64_t h = shp_int_at(size, 0), w = shp_int_at(size, 1);
    if (h < 1 || w < 1 || h > INT32_MAX || w > INT32_MAX) return "output height and width must be >= 1";
    dims[0] = x->dims[0];
    dims[1] = (int32_t)h;
    dims[2] = (int32_t)w;
    dims[3] = x->dims[3];
    return NULL;
}

/* PAD and PADV2 share one prepare (pad.c); padv2 says whether input 2 (constant_values)
 * may be present. */
enum tflc_status tflc_shp_pad_prepare(struct tflc_op_ctx *c, bool padv2);

#endif
