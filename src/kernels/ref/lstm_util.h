/* Math shared by the recurrent kernels (UNIDIRECTIONAL_SEQUENCE_LSTM, SVDF): TFLite's
 * tensor_utils semantics written from the documented math.
 *  - gemmlowp 16-bit fixed point: Qm.n values in int16 with gemmlowp's rounding and its
 *    wrap-around int16 adds (only the final add of exp() saturates); logistic on Q3.12 and
 *    tanh on Q<k>.(15-k) give Q0.15, as TFLite's integer LSTM uses them;
 *  - the Newton-Raphson 1/sqrt multiplier of TFLite's integer layer norm;
 *  - hybrid helpers: per-row symmetric / asymmetric int8 quantization of float vectors and
 *    the int8 x int8 -> float matrix-vector accumulate (with the row-sum zero-point fix);
 *  - float activations of the float/hybrid LSTM (TFLite ApplyActivationToVector).
 * Everything here is pure and allocation-free. */
#ifndef TFLC_KERNELS_REF_LSTM_UTIL_H
#define TFLC_KERNELS_REF_LSTM_UTIL_H

#include "kernels/ref/common.h"

/* ---- int16 helpers: gemmlowp computes in int and narrows with wrap-around ---- */

static inline int16_t lstm_wrap16(int32_t v) {
    uint32_t u = (uint32_t)v & 0xFFFFu;
    return (int16_t)(u >= 0x8000u ? (int32_t)u - 0x10000 : (int32_t)u);
}

static inline int32_t lstm_wrap32(int64_t v) {
    uint64_t u = (uint64_t)v & 0xFFFFFFFFull;
    return (int32_t)(u >= 0x80000000ull ? (int64_t)u - 0x100000000ll : (int64_t)u);
}

static inline int16_t lstm_sat16(int32_t v) { return (int16_t)(v < -32768 ? -32768 : v > 32767 ? 32767 : v); }

/* SaturatingRoundingDoublingHighMul on int16 (Q0.15 product). */
static inline int16_t lstm_srdhm16(int16_t a, int16_t b) {
    if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
    int32_t ab = (int32_t)a * (int32_t)b;
    int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (int16_t)((ab + nudge) / (1 << 15));
}

/* RoundingDivideByPOT: round to nearest, ties away from zero. Valid for any int32 x. */
static inline int32_t lstm_rdpot(int32_t x, int e) { return tflc_rdbypot(x, e); }

/* SaturatingRoundingMultiplyByPOT<e> for int16 (e > 0: saturating left shift). */
static inline int16_t lstm_srmpot16(int16_t x, int e) {
    if (e <= 0) return (int16_t)lstm_rdpot(x, -e);
    int32_t thr = (1 << (15 - e)) - 1;
    if (x > thr) return INT16_MAX;
    if (x < -thr) return INT16_MIN;
    return (int16_t)(x * (1 << e));
}

/* Same for int32. */
static inline int32_t lstm_srmpot32(int32_t x, int e) {
    if (e <= 0) return lstm_rdpot(x, -e);
    int32_t thr = (int32_t)((1u << (31 - e)) - 1u);
    if (x > thr) return INT32_MAX;
    if (x < -thr) return INT32_MIN;
    return (int32_t)((int64_t)x * ((int64_t)1 << e));
}

/* A 32-bit gemmlowp constant narrowed to int16 (RescaleConstantInitializer). */
static inline int16_t lstm_c16(int32_t v) { return (int16_t)lstm_rdpot(v, 16); }

/* exp(a) for a in [-1/4, 0), a and the result Q0.15. */
static inline int16_t lstm_exp_quarter16(int16_t a) {
    const int16_t c_term = lstm_c16(1895147668), c_third = lstm_c16(715827883);
    int16_t x = lstm_wrap16(a + (1 << 12)); /* a + 1/8 */
    int16_t x2 = lstm_srdhm16(x, x), x3 = lstm_srdhm16(x2, x), x4 = lstm_srdhm16(x2, x2);
    int16_t x4_4 = (int16_t)lstm_rdpot(x4, 2);
    int16_t t = lstm_srdhm16(lstm_wrap16(x4_4 + x3), c_third);
    t = (int16_t)lstm_rdpot(lstm_wrap16(t + x2), 1);
    return lstm_sat16(c_term + lstm_srdhm16(c_term, lstm_wrap16(x + t)));
}

/* exp(a) for a <= 0 given as Q<ib>.(15-ib), result Q0.15 (gemmlowp exp_on_negative_values). */
static inline int16_t lstm_exp_neg16(int16_t a, int ib) {
    static const int32_t mult[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int frac = 15 - ib;
    const int16_t quarter = (int16_t)(1 << (frac - 2));
    int16_t a_mod = lstm_wrap16((a & (quarter - 1)) - quarter);
    int16_t result = lstm_exp_quarter16(lstm_srmpot16(a_mod, ib));
    int16_t rem = lstm_wrap16(a_mod - a);
    for (int k = 0; k < 7; k++) {
        int e = k - 2; /* the barrel shifter handles bits 2^-2 .. 2^4 of -a */
        if (ib > e && (rem & (1 << (frac + e)))) result = lstm_srdhm16(result, lstm_c16(mult[k]));
    }
    if (ib > 5 && a < lstm_c16(-(1 << (36 - ib)))) result = 0; /* below -32: exp underflows */
    if (a == 0) result = INT16_MAX;
    return result;
}

/* Newton-Raphson reciprocal steps shared by logistic and tanh; x0 = 48/17 - 32/17 d. */
static inline int16_t lstm_nr_recip16(int16_t half_denominator) {
    int16_t x = lstm_wrap16(lstm_c16(1515870810) + lstm_srdhm16(half_denominator, lstm_c16(-1010580540)));
    for (int i = 0; i < 3; i++) {
        int16_t hdx = lstm_srdhm16(half_denominator, x); /* Q2.13 */
        int16_t one_minus = lstm_wrap16((1 << 13) - hdx);
        x = lstm_wrap16(x + lstm_srmpot16(lstm_srdhm16(x, one_minus), 2)); /* Q4.11 -> Q2.13 */
    }
    return x; /* ~ 1 / half_denominator, Q2.13 */
}

static inline int16_t lstm_half_sum_one16(int16_t a) { /* RoundingHalfSum(a, 1.0) */
    int32_t sum = (int32_t)a + INT16_MAX;
    return (int16_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* gemmlowp::logistic on a Q<ib>.(15-ib) int16, result Q0.15. */
static inline int16_t lstm_logistic16(int16_t a, int ib) {
    if (a == 0) return lstm_c16(1 << 30);
    int16_t abs_a = a > 0 ? a : lstm_wrap16(-a);
    int16_t e = lstm_exp_neg16(lstm_wrap16(-abs_a), ib);
    int16_t x = lstm_nr_recip16(lstm_half_sum_one16(e));
    int16_t pos = lstm_srmpot16(x, 1); /* ExactMulByPot<-1> then Rescale<0> from Q1.14 */
    return a > 0 ? pos : lstm_wrap16(INT16_MAX - pos);
}

/* gemmlowp::tanh on a Q<ib>.(15-ib) int16 (ib <= 6), result Q0.15. */
static inline int16_t lstm_tanh16(int16_t a, int ib) {
    if (a == 0) return 0;
    int16_t n = a < 0 ? a : lstm_wrap16(-a);
    int16_t e = lstm_exp_neg16(n, ib + 1); /* exp(-2|a|) */
    int16_t x = lstm_nr_recip16(lstm_half_sum_one16(e));
    int16_t t = lstm_srmpot16(lstm_wrap16(x - (1 << 13)), 2);
    return a < 0 ? lstm_wrap16(-t) : t;
}

/* ---- int32: 1/sqrt multiplier of TFLite's integer layer norm ---- */

static inline int lstm_clz32(uint32_t v) {
    int n = 0;
    if (!v) return 32;
    while (!(v & 0x80000000u)) {
        v <<= 1;
        n++;
    }
    return n;
}

/* GetInvSqrtQuantizedMultiplierExp: (mult, shift) with mult * 2^shift ~ 1/sqrt(input). */
static inline void lstm_inv_sqrt_multiplier(int32_t input, int reverse_shift, int32_t *out_mult, int *out_shift) {
    if (input <= 1) {
        *out_mult = INT32_MAX;
        *out_shift = 0;
        return;
    }
    int shift = 11;
    while (input >= (1 << 29)) {
        input /= 4;
        shift++;
    }
    int pairs = (lstm_clz32((uint32_t)input) - 1) / 2 - 1;
    shift -= pairs;
    input <<= 2 * pairs;
    const int32_t half_input = lstm_srmpot32(input >> 1, -1); /* Q3.28 */
    const int32_t half_three = (1 << 28) + (1 << 27);
    int32_t x = 1 << 28;
    for (int i = 0; i < 5; i++) {
        int32_t x3 = lstm_srmpot32(tflc_srdhm(tflc_srdhm(x, x), x), 6);
        x = lstm_srmpot32(lstm_wrap32((int64_t)tflc_srdhm(half_three, x) - tflc_srdhm(half_input, x3)), 3);
    }
    x = tflc_srdhm(x, 1518500250); /* * sqrt(2)/2 */
    if (shift < 0) {
        x = lstm_wrap32((int64_t)x * ((int64_t)1 << -shift));
        shift = 0;
    }
    *out_mult = x;
    *out_shift = shift * reverse_shift;
}

/* ---- hybrid (float activations, int8 weights) ---- */

/* SymmetricQuantizeFloats: q = round(v * 127 / max|v|) in [-127, 127]; scale = max|v| / 127
 * (1 when all zero). */
static inline float lstm_quantize_sym(const float *v, int n, int8_t *q) {
    float lo = v[0], hi = v[0];
    for (int i = 1; i < n; i++) {
        if (v[i] < lo) lo = v[i];
        if (v[i] > hi) hi = v[i];
    }
    float range = fabsf(lo) > fabsf(hi) ? fabsf(lo) : fabsf(hi);
    if (range == 0.0f) {
        memset(q, 0, (size_t)n);
        return 1.0f;
    }
    float inv = 127.0f / range;
    for (int i = 0; i < n; i++) {
        q[i] = (int8_t)tflc_sat_f2i(roundf(v[i] * inv), -127, 127);
    }
    return range / 127.0f;
}

/* AsymmetricQuantizeFloats: the range [min(0,lo), max(0,hi)] onto [-128, 127] with the
 * zero point picked and nudged as TFLite does (double math for scale and zero point). */
static inline float lstm_quantize_asym(const float *v, int n, int8_t *q, int32_t *zp) {
    float lo = v[0], hi = v[0];
    for (int i = 1; i < n; i++) {
        if (v[i] < lo) lo = v[i];
        if (v[i] > hi) hi = v[i];
    }
    const double rmin = fmin(0.0, (double)lo), rmax = fmax(0.0, (double)hi);
    if (rmin == rmax) {
        memset(q, 0, (size_t)n);
        *zp = 0;
        return 1.0f;
    }
    const double scale = (rmax - rmin) / 255.0;
    const double zp_min = -128.0 - rmin / scale, zp_max = 127.0 - rmax / scale;
    const double err_min = 128.0 + fabs(rmin / scale), err_max = 127.0 + fabs(rmax / scale);
    const double zpd = err_min < err_max ? zp_min : zp_max;
    int32_t z = tflc_sat_f2i((float)round(zpd), -128, 127); /* NaN (inf inputs) gives -128 */
    const float sf = (float)scale;
    const float inv = (float)(1.0 / sf);
    for (int i = 0; i < n; i++) {
        q[i] = (int8_t)tflc_sat_f2i(roundf((float)z + v[i] * inv), -128, 127);
    }
    *zp = z;
    return sf;
}

/* Quantizes each of n_batch rows of n values; zp may be NULL (symmetric). */
static inline void lstm_quantize_rows(const float *v, int n_batch, int n, int8_t *q, float *sf, int32_t *zp,
                                      bool asymmetric) {
    for (int b = 0; b < n_batch; b++) {
        if (asymmetric)
            sf[b] = lstm_quantize_asym(v + (size_t)b * (size_t)n, n, q + (size_t)b * (size_t)n, &zp[b]);
        else
            sf[b] = lstm_quantize_sym(v + (size_t)b * (size_t)n, n, q + (size_t)b * (size_t)n);
    }
}

/* result[b][r] += float(dot(w[r], q[b]) - row_sum[r] * zp[b]) * scale[b]: TFLite's hybrid
 * MatrixBatchVectorMultiplyAccumulate (zp, row_sums NULL for symmetric inputs). The zero-point
 * correction is done in float and truncated back to int, as TFLite does. */
static inline void lstm_hybrid_matvec(const int8_t *w, int rows, int cols, const int8_t *q, const float *scale,
                                      const int32_t *zp, const int32_t *row_sums, int n_batch, float *result) {
    for (int b = 0; b < n_batch; b++) {
        const int8_t *qb = q + (size_t)b * (size_t)cols;
        for (int r = 0; r < rows; r++) {
            const int8_t *wr = w + (size_t)r * (size_t)cols;
            int32_t dot = 0;
            for (int k = 0; k < cols; k++) dot += (int32_t)wr[k] * (int32_t)qb[k];
            if (zp) dot = (int32_t)((float)dot - (float)row_sums[r] * (float)zp[b]);
            result[(size_t)b * (size_t)rows + (size_t)r] += (float)dot * scale[b];
        }
    }
}

/* Sum of each row of an int8 matrix. */
static inline void lstm_row_sums(const int8_t *w, int rows, int cols, int32_t *out) {
    for (int r = 0; r < rows; r++) {
        int32_t s = 0;
        for (int k = 0; k < cols; k++) s += w[(size_t)r * (size_t)cols + (size_t)k];
        out[r] = s;
    }
}

static inline bool lstm_all_zero(const float *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (v[i] != 0.0f) return false;
    return true;
}

/* ---- float activations (TFLite ApplyActivationToVector; the caller refuses others) ---- */

static inline bool lstm_act_supported(int act) {
    return act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE || act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU ||
           act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1 || act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6 ||
           act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_TANH || act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_SIGN_BIT;
}

static inline float lstm_act_f32(int act, float x) {
    switch (act) {
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU: return x < 0.0f ? 0.0f : x;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1: return x < -1.0f ? -1.0f : x > 1.0f ? 1.0f : x;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6: return x < 0.0f ? 0.0f : x > 6.0f ? 6.0f : x;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_TANH: return tanhf(x);
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_SIGN_BIT: return signbit(x) ? 1.0f : 0.0f;
    default: return x;
    }
}

static inline float lstm_sigmoid_f32(float x) { return 1.0f / (1.0f + expf(-x)); }

#endif
