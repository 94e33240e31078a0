/* Helpers shared by the NEON float32 microkernels (private to arm_neon/). */
#ifndef TFLC_KERNELS_ARM_NEON_F32_NEON_H
#define TFLC_KERNELS_ARM_NEON_F32_NEON_H

#include <arm_neon.h>
#include <string.h>

/* The reference clamp, lane by lane: v < lo ? lo : v > hi ? hi : v. Compares and selects
 * rather than FMAX/FMIN, which would turn -0 into +0 against a 0 bound and quiet NaNs
 * differently; this keeps the microkernels' clamp identical to the scalar one. */
static inline float32x4_t f32_clamp(float32x4_t v, float32x4_t lo, float32x4_t hi) {
    v = vbslq_f32(vcltq_f32(v, lo), lo, v);
    return vbslq_f32(vcgtq_f32(v, hi), hi, v);
}

static inline float f32_clamp1(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }

/* The first n (< 4) floats at p, the other lanes 0 (reads exactly n floats). */
static inline float32x4_t f32_load_part(const float *p, size_t n) {
    float t[4] = {0, 0, 0, 0};
    memcpy(t, p, n * sizeof(float));
    return vld1q_f32(t);
}

/* Stores the first n (< 4) lanes of v at p (writes exactly n floats). */
static inline void f32_store_part(float *p, float32x4_t v, size_t n) {
    float t[4];
    vst1q_f32(t, v);
    memcpy(p, t, n * sizeof(float));
}

/* Stores the first n (<= 8) of the 8 floats in v0, v1 at p. */
static inline void f32_store8(float *p, float32x4_t v0, float32x4_t v1, size_t n) {
    if (n >= 8) {
        vst1q_f32(p, v0);
        vst1q_f32(p + 4, v1);
    } else if (n >= 4) {
        vst1q_f32(p, v0);
        f32_store_part(p + 4, v1, n - 4);
    } else {
        f32_store_part(p, v0, n);
    }
}

#endif
