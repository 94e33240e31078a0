/* Private helpers of the reductions (MEAN, SUM, REDUCE_MAX): TFLite's ReducerOptions and axis
 * handling, and a walk over the input that gives each element's output position.
 *
 *  - Inputs: data, then the axes as a constant int32 tensor (scalar or 1-D; TFLite also
 *    allows computed axes, which make the output shape dynamic: refused here).
 *  - Axes in [-rank, rank) (negative counts from the end); duplicates count once; an empty
 *    axis list reduces nothing (the output equals the input, up to requantization).
 *  - keep_dims: reduced dims stay as 1; otherwise they are dropped (all dropped = a scalar).
 *  - A rank-0 input gives a rank-0 output whatever the axes (TFLite ignores them then).
 * Elements are visited in the input's row-major order, which is the order TFLite's
 * reference kernels accumulate in (it matters for float sums). */
#ifndef TFLC_KERNELS_REF_REDUCE_UTIL_H
#define TFLC_KERNELS_REF_REDUCE_UTIL_H

#include "kernels/ref/common.h"

struct reduce_plan {
    int rank;                         /* input rank, >= 0 */
    int32_t dims[TFLC_MAX_DIMS];      /* input dims, all >= 1 */
    bool reduced[TFLC_MAX_DIMS];      /* dim d is reduced */
    size_t out_stride[TFLC_MAX_DIMS]; /* output step when input index d grows by 1 (0 when reduced) */
    size_t in_count, out_count;       /* elements of input and output */
    int64_t n;                        /* input elements folded into each output element */
    int naxes_raw;                    /* axis values as given (before resolving) */
    int32_t axes_raw[TFLC_MAX_DIMS];  /* the first TFLC_MAX_DIMS of them */
    bool keep_dims;
};

/* Checks inputs/outputs and the axes, fills *p and sets the output shape. The caller checks
 * dtypes and quantization. */
static inline enum tflc_status reduce_prepare(struct tflc_op_ctx *c, struct reduce_plan *p) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *ax = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !ax) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (ax->dtype != TFLC_DTYPE_INT32)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis tensor '%s' must be INT32, is %s", ax->name,
                            tflc_dtype_name(ax->dtype));
    if (tflc_numel(ax) > 0 && (!tflc_op_is_const(c, ax) || !ax->data))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                            "axis tensor '%s' must be a constant (computed axes are not supported)", ax->name);
    if (ax->rank > 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis tensor '%s' must be a scalar or 1-D, has rank %d",
                            ax->name, (int)ax->rank);
    memset(p, 0, sizeof *p);
    p->rank = x->rank;
    p->keep_dims = tflc_tfl_reducer_options_keep_dims(c->node->options);
    p->in_count = 1;
    for (int d = 0; d < x->rank; d++) {
        if (x->dims[d] <= 0)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' is zero-sized (dim %d is %d)", x->name, d,
                                (int)x->dims[d]);
        p->dims[d] = x->dims[d];
        p->in_count *= (size_t)x->dims[d];
    }
    size_t naxes = tflc_numel(ax);
    const int32_t *axes = ax->data;
    p->naxes_raw = naxes > TFLC_MAX_DIMS ? TFLC_MAX_DIMS + 1 : (int)naxes;
    for (size_t i = 0; i < naxes; i++) {
        if (i < TFLC_MAX_DIMS) p->axes_raw[i] = axes[i];
        if (x->rank == 0) continue; /* TFLite ignores the axes of a scalar */
        int32_t a = axes[i];
        if (a < -x->rank || a >= x->rank)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis %d is out of range for input '%s' of rank %d",
                                (int)a, x->name, (int)x->rank);
        p->reduced[a < 0 ? a + x->rank : a] = true;
    }
    int32_t shape[TFLC_MAX_DIMS];
    int orank = 0;
    p->n = 1;
    for (int d = 0; d < x->rank; d++) {
        if (p->reduced[d]) {
            p->n *= x->dims[d];
            if (p->keep_dims) shape[orank++] = 1;
        } else {
            shape[orank++] = x->dims[d];
        }
    }
    /* Output strides per input dim: reduced dims contribute nothing. */
    size_t stride = 1;
    for (int d = x->rank - 1; d >= 0; d--) {
        p->out_stride[d] = p->reduced[d] ? 0 : stride;
        if (!p->reduced[d]) stride *= (size_t)x->dims[d];
    }
    p->out_count = stride;
    return tflc_op_set_shape(c, y, orank, shape);
}

/* Position in the walk: the input's multi-index and the matching output offset. */
struct reduce_iter {
    int32_t idx[TFLC_MAX_DIMS];
    size_t o;
};

/* Steps to the next input element (row-major). */
static inline void reduce_iter_next(const struct reduce_plan *p, struct reduce_iter *it) {
    for (int d = p->rank - 1; d >= 0; d--) {
        it->o += p->out_stride[d];
        if (++it->idx[d] < p->dims[d]) return;
        it->o -= p->out_stride[d] * (size_t)p->dims[d];
        it->idx[d] = 0;
    }
}

/* True when the axes were given exactly as {1, 2} or {2, 1} on a 4-D input with keep_dims:
 * the case TFLite sends to its dedicated 4-D "mean over height and width" kernels. */
static inline bool reduce_is_hw_mean(const struct reduce_plan *p) {
    if (p->rank != 4 || !p->keep_dims || p->naxes_raw != 2) return false;
    return (p->axes_raw[0] == 1 && p->axes_raw[1] == 2) || (p->axes_raw[0] == 2 && p->axes_raw[1] == 1);
}

#endif
