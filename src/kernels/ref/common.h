/* Helpers shared by the reference kernels: activation ranges, quantized-multiplier setup,
 * numpy-style broadcasting. Semantics follow TFLite's kernel_util / reference ops. */
#ifndef TFLC_KERNELS_REF_COMMON_H
#define TFLC_KERNELS_REF_COMMON_H

#include <float.h>
#include <math.h>
#include <string.h>

#include "base/fixedpoint.h"
#include "runtime/kernel.h"

/* Float clamp range of a fused activation (TFLite ActivationFunctionType). Returns false for
 * activations tflc does not fuse (TANH, SIGN_BIT). */
static inline bool tflc_act_range_f32(int act, float *lo, float *hi) {
    switch (act) {
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE: *lo = -FLT_MAX; *hi = FLT_MAX; return true;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU: *lo = 0.0f; *hi = FLT_MAX; return true;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1: *lo = -1.0f; *hi = 1.0f; return true;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6: *lo = 0.0f; *hi = 6.0f; return true;
    default: return false;
    }
}

/* TFLite's CalculateActivationRangeQuantized: the quantized clamp range for an output with
 * (scale, zero_point) and storage range [qmin, qmax]. */
static inline bool tflc_act_range_q(int act, float scale, int32_t zp, int32_t qmin, int32_t qmax, int32_t *lo,
                                    int32_t *hi) {
    float flo, fhi;
    if (!tflc_act_range_f32(act, &flo, &fhi)) return false;
    *lo = qmin;
    *hi = qmax;
    if (act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE) return true;
    /* Quantize(x) = zp + round(x / scale), round half away from zero. */
    int32_t qlo = zp + (int32_t)roundf(flo / scale);
    if (qlo > *lo) *lo = qlo;
    if (act != TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU) {
        int32_t qhi = zp + (int32_t)roundf(fhi / scale);
        if (qhi < *hi) *hi = qhi;
    }
    return true;
}

/* The same clamp range as XNNPACK computes it for a delegated node (xnn_qs8_quantize of the
 * activation's float bounds, none = +-infinity): round half to even instead of away from
 * zero. */
static inline bool tflc_act_range_xnn(int act, float scale, int32_t zp, int32_t qmin, int32_t qmax, int32_t *lo,
                                      int32_t *hi) {
    float flo, fhi;
    if (!tflc_act_range_f32(act, &flo, &fhi)) return false;
    if (act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE) flo = -INFINITY;
    if (act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE || act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU) fhi = INFINITY;
    *lo = tflc_quantize_even(flo, scale, zp, qmin, qmax);
    *hi = tflc_quantize_even(fhi, scale, zp, qmin, qmax);
    return true;
}

/* Storage range of a quantized dtype. */
static inline void tflc_qrange(enum tflc_dtype t, int32_t *qmin, int32_t *qmax) {
    switch (t) {
    case TFLC_DTYPE_INT8: *qmin = -128; *qmax = 127; break;
    case TFLC_DTYPE_UINT8: *qmin = 0; *qmax = 255; break;
    case TFLC_DTYPE_INT16: *qmin = -32768; *qmax = 32767; break;
    default: *qmin = INT32_MIN; *qmax = INT32_MAX; break;
    }
}

/* Numpy broadcasting of two shapes into `out`; false when incompatible. Result rank is the
 * larger rank; shapes are right-aligned. */
static inline bool tflc_broadcast_shape(const struct tflc_tensor *a, const struct tflc_tensor *b, int *rank,
                                        int32_t *out) {
    int r = a->rank > b->rank ? a->rank : b->rank;
    for (int i = 0; i < r; i++) {
        int ia = i - (r - a->rank), ib = i - (r - b->rank);
        int32_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
        if (da != db && da != 1 && db != 1) return false;
        out[i] = da == 1 ? db : da;
    }
    *rank = r;
    return true;
}

/* Broadcast iteration plan: the output is walked as `outer` rows of `inner` elements; for
 * each row, the element offsets of a and b, and their strides along the row (0 or 1). */
struct tflc_bcast {
    int rank;                    /* collapsed rank, >= 1 */
    int32_t shape[TFLC_MAX_DIMS];
    size_t sa[TFLC_MAX_DIMS];    /* element strides of a (0 where broadcast) */
    size_t sb[TFLC_MAX_DIMS];
};

static inline void tflc_bcast_init(struct tflc_bcast *p, const struct tflc_tensor *a, const struct tflc_tensor *b,
                                   const struct tflc_tensor *out) {
    int r = out->rank;
    size_t sa = 1, sb = 1;
    p->rank = r > 0 ? r : 1;
    if (r == 0) { p->shape[0] = 1; p->sa[0] = 0; p->sb[0] = 0; return; }
    for (int i = r - 1; i >= 0; i--) {
        int ia = i - (r - a->rank), ib = i - (r - b->rank);
        int32_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
        p->shape[i] = out->dims[i];
        p->sa[i] = da == 1 ? 0 : sa;
        p->sb[i] = db == 1 ? 0 : sb;
        sa *= (size_t)da;
        sb *= (size_t)db;
    }
}

/* Calls row(ud, out_offset, a_offset, b_offset, n, a_step, b_step) for every innermost row. */
typedef void (*tflc_bcast_row_fn)(void *ud, size_t o, size_t ia, size_t ib, size_t n, size_t da, size_t db);
static inline void tflc_bcast_run(const struct tflc_bcast *p, tflc_bcast_row_fn row, void *ud) {
    int r = p->rank;
    size_t n = (size_t)p->shape[r - 1];
    size_t idx[TFLC_MAX_DIMS] = {0};
    size_t rows = 1;
    for (int i = 0; i < r - 1; i++) rows *= (size_t)p->shape[i];
    if (n == 0) return;
    for (size_t k = 0; k < rows; k++) {
        size_t ia = 0, ib = 0;
        for (int i = 0; i < r - 1; i++) { ia += idx[i] * p->sa[i]; ib += idx[i] * p->sb[i]; }
        row(ud, k * n, ia, ib, n, p->sa[r - 1], p->sb[r - 1]);
        for (int i = r - 2; i >= 0; i--) {
            if (++idx[i] < (size_t)p->shape[i]) break;
            idx[i] = 0;
        }
    }
}

/* Fused activation field of options tables that have one (at the given field id). */
static inline int tflc_fused_act(const struct tflc_op_ctx *c, unsigned field_id) {
    return tflc_fb_get_i8(c->node->options, field_id, 0);
}

#endif
