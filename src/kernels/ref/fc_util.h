/* Private helpers of the "fc" kernels (FULLY_CONNECTED, its hybrid path, BATCH_MATMUL).
 *
 * Dynamic-range ("hybrid") quantization as TFLite's portable tensor_utils does it: a float
 * row is quantized to int8 at run time, either symmetrically (scale = max|x| / 127, zero
 * point 0, values clamped to [-127, 127]) or asymmetrically (scale = (max(0,max) -
 * min(0,min)) / 255 and a nudged zero point in [-128, 127]); the int32 dot products with
 * int8 weights are then scaled back to float. A row of zeros gets scale 1, zero point 0. */
#ifndef TFLC_KERNELS_REF_FC_UTIL_H
#define TFLC_KERNELS_REF_FC_UTIL_H

#include "kernels/ref/common.h"

/* FULLY_CONNECTED with float input/output and int8 weights (fully_connected_hybrid.c).
 * Called by tflc_fully_connected_prepare after it checked the I/O count, the weights rank,
 * the bias size and the types (input, output and bias float32; weights int8), and set the
 * output shape. x is read as [batches, depth]; weights are [units, depth]. */
enum tflc_status tflc_fully_connected_hybrid_prepare(struct tflc_op_ctx *c, int32_t batches,
                                                     int32_t depth, int32_t units);

/* SymmetricQuantizeFloats: q = round(x * 127 / r) clamped to +-127 with r = max|x|; *scale = r /
 * 127. */
static inline void tflc_hybrid_quantize_sym(const float *x, size_t n, int8_t *q, float *scale) {
    float lo = n ? x[0] : 0.0f, hi = lo;
    for (size_t i = 1; i < n; i++) {
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    float range = fabsf(lo) > fabsf(hi) ? fabsf(lo) : fabsf(hi);
    if (range == 0.0f) {
        memset(q, 0, n);
        *scale = 1.0f;
        return;
    }
    *scale = range / 127.0f;
    const float inv = 127.0f / range;
    for (size_t i = 0; i < n; i++) {
        float r = roundf(x[i] * inv);
        q[i] = (int8_t)(r > 127.0f ? 127 : !(r >= -127.0f) ? -127 : (int32_t)r); /* NaN -> -127 */
    }
}

/* AsymmetricQuantizeFloats: the range [min(0,min), max(0,max)] maps onto [-128, 127]; the
 * scale and zero point are computed in double as TFLite does, then q = round(zp + x / scale)
 * in float. */
static inline void tflc_hybrid_quantize_asym(const float *x, size_t n, int8_t *q, float *scale,
                                             int32_t *zp) {
    float lo = n ? x[0] : 0.0f, hi = lo;
    for (size_t i = 1; i < n; i++) {
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    const double rmin = lo < 0.0f ? (double)lo : 0.0, rmax = hi > 0.0f ? (double)hi : 0.0;
    if (rmin == rmax) {
        memset(q, 0, n);
        *scale = 1.0f;
        *zp = 0;
        return;
    }
    const double s = (rmax - rmin) / 255.0;
    const double zp_from_min = -128.0 - rmin / s, zp_from_max = 127.0 - rmax / s;
    const double err_min = 128.0 + fabs(rmin / s), err_max = 127.0 + fabs(rmax / s);
    const double zpd = err_min < err_max ? zp_from_min : zp_from_max;
    int32_t z = tflc_sat_f2i((float)round(zpd), -128, 127); /* NaN (inf inputs) gives -128 */
    *scale = (float)s;
    *zp = z;
    const float inv = 1.0f / *scale;
    for (size_t i = 0; i < n; i++) {
        float r = roundf((float)z + x[i] * inv);
        q[i] = (int8_t)(r > 127.0f ? 127 : !(r >= -128.0f) ? -128 : (int32_t)r); /* NaN -> -128 */
    }
}

/* Fused activations the hybrid kernels apply to their float output (TFLite's
 * ApplyActivationToVector: the clamps, plus TANH and SIGN_BIT). */
static inline bool tflc_hybrid_act_supported(int act) {
    return act >= TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE &&
           act <= TFLC_TFL_ACTIVATION_FUNCTION_TYPE_SIGN_BIT;
}

static inline void tflc_hybrid_act_apply(int act, float *y, size_t n) {
    float lo, hi;
    if (act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE) return;
    if (act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_TANH) {
        for (size_t i = 0; i < n; i++) y[i] = tanhf(y[i]);
    } else if (act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_SIGN_BIT) {
        for (size_t i = 0; i < n; i++) y[i] = signbit(y[i]) ? 1.0f : 0.0f;
    } else if (tflc_act_range_f32(act, &lo, &hi)) {
        for (size_t i = 0; i < n; i++) y[i] = y[i] < lo ? lo : y[i] > hi ? hi : y[i];
    }
}

/* Sums of each of `rows` int8 rows of `cols` values (the weights' row sums the asymmetric
 * path subtracts, times the input zero point). */
static inline void tflc_hybrid_row_sums(const int8_t *w, size_t rows, size_t cols, int32_t *sums) {
    for (size_t r = 0; r < rows; r++) {
        int32_t s = 0;
        for (size_t k = 0; k < cols; k++) s += w[r * cols + k];
        sums[r] = s;
    }
}

/* Bytes rounded up so the next scratch region stays 16-byte aligned. */
static inline size_t tflc_fc_align16(size_t n) { return (n + 15) & ~(size_t)15; }

#endif
