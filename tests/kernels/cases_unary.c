/* Unary op cases (LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1, LEAKY_RELU, PRELU, ELU, HARD_SWISH, GELU, EXP, LOG,
 * SQRT, RSQRT, ABS, NEG, QUANTIZE, DEQUANTIZE, CAST), checked against Google's TFLite.
 *
 * Tolerances. Float cases use "float 1e-5" for transcendental functions (Google's runtime
 * runs LOGISTIC/ELU/GELU... through XNNPACK or Eigen approximations, a few ULP away from
 * libm) and "float 1e-6" for exact ones. Quantized cases must be exact ("int 0 1"): where
 * Google's runtime uses XNNPACK (LOGISTIC and ELU tables built with lrintf, LEAKY_RELU and
 * QUANTIZE in 8.8 fixed point, float -> int8 with a reciprocal and ties to even) tflc's
 * default arithmetic does too; the other kernels are TFLite's builtin ones on both sides.
 * (A table entry could still differ where the real value sits on a rounding boundary and
 * emscripten's expf differs from glibc's; none of these cases hits one.)
 *
 * Where Google's runtime differs from TFLite's reference kernels (which we implement), the
 * case says so; every differing element was checked against an independent model of
 * TFLite's reference arithmetic (MultiplyByQuantizedMultiplier, double rounding).
 *
 * Not here because this (~2023) build of Google's runtime refuses them: ABS int32 (v5),
 * CAST from/to float16, EXP/LOG int8 and int16, RSQRT int16, SQRT int8/int16. Those are
 * covered by hand-checked tests in test_unary.c. */
#include <math.h>
#include <string.h>

#include "base/fp16.h"
#include "op_cases.h"

/* One tensor's type and quantization (scale 0 = not quantized). */
struct uq {
    enum tflc_dtype t;
    float scale;
    int64_t zp;
};

#define F32 ((struct uq){TFLC_DTYPE_FLOAT32, 0, 0})
#define Q(t, s, z) ((struct uq){TFLC_DTYPE_##t, (s), (z)})
#define PLAIN(t) ((struct uq){TFLC_DTYPE_##t, 0, 0})

static const int32_t D4[] = {2, 3, 5, 7};  /* 210 elements */
static const int32_t D2[] = {16, 16};      /* 256 elements */
static const int32_t D256[] = {256, 256};  /* 65536 elements */

typedef uint32_t (*opt_fn)(struct oc *c, const void *arg);

/* A single-op model y = op(x). lo/hi: input range; lo > hi (written 1, 0) keeps the dtype's
 * default (full range for 8/16-bit integers). */
static void unary_case(const char *name, int32_t builtin, int version, struct uq in, struct uq out, int rank,
                       const int32_t *dims, double lo, double hi, const char *tol, uint8_t opt_type, opt_fn opt,
                       const void *arg) {
    struct oc *c = oc_begin(name, tol);
    if (!c) return;
    float s[2];
    int64_t z[2];
    struct tflc_tflb_quant qi = oc_q(&s[0], &z[0], in.scale, in.zp), qo = oc_q(&s[1], &z[1], out.scale, out.zp);
    int x = oc_input(c, "x", in.t, rank, dims, in.scale > 0 ? &qi : NULL);
    if (lo <= hi) oc_input_range(c, x, lo, hi);
    int y = oc_output(c, "y", out.t, rank, dims, out.scale > 0 ? &qo : NULL);
    uint32_t o = opt ? opt(c, arg) : 0;
    oc_op(c, builtin, version, (int32_t[]){x}, 1, (int32_t[]){y}, 1, opt ? opt_type : 0, o);
    oc_end(c);
}

#define U(name, op, v, in, out, lo, hi, tol) \
    unary_case(name, TFLC_TFL_BUILTIN_OPERATOR_##op, v, in, out, 4, D4, lo, hi, tol, 0, NULL, NULL)
/* 256 elements (a [16, 16] input): most values of an 8-bit type occur. */
#define U8ALL(name, op, v, in, out, lo, hi, tol) \
    unary_case(name, TFLC_TFL_BUILTIN_OPERATOR_##op, v, in, out, 2, D2, lo, hi, tol, 0, NULL, NULL)

static uint32_t leaky_opts(struct oc *c, const void *arg) {
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_f32(f, TFLC_TFL_LEAKY_RELU_OPTIONS_ALPHA, *(const float *)arg, 0.0f);
    return tflc_fbb_table_end(f);
}

static uint32_t gelu_opts(struct oc *c, const void *arg) {
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_GELU_OPTIONS_APPROXIMATE, *(const bool *)arg, false);
    return tflc_fbb_table_end(f);
}

static void leaky(const char *name, int v, struct uq in, struct uq out, float alpha, double lo, double hi, const char *tol) {
    unary_case(name, TFLC_TFL_BUILTIN_OPERATOR_LEAKY_RELU, v, in, out, 4, D4, lo, hi, tol,
               TFLC_TFL_BUILTIN_OPTIONS_LEAKY_RELU_OPTIONS, leaky_opts, &alpha);
}

static void gelu(const char *name, int v, struct uq in, struct uq out, bool approximate, double lo, double hi,
                 const char *tol) {
    unary_case(name, TFLC_TFL_BUILTIN_OPERATOR_GELU, v, in, out, 2, D2, lo, hi, tol,
               TFLC_TFL_BUILTIN_OPTIONS_GELU_OPTIONS, gelu_opts, &approximate);
}

OC_GENERATOR(unary_logistic_tanh) {
    U("logistic_f32", LOGISTIC, 1, F32, F32, -12, 20, "float 1e-5");
    U8ALL("logistic_u8", LOGISTIC, 1, Q(UINT8, 0.06f, 128), Q(UINT8, 1.0f / 256, 0), 1, 0, "int 0 1");
    U8ALL("logistic_s8", LOGISTIC, 2, Q(INT8, 0.08f, -5), Q(INT8, 1.0f / 256, -128), 1, 0, "int 0 1");
    U8ALL("logistic_s8_zp_max", LOGISTIC, 2, Q(INT8, 0.02f, 127), Q(INT8, 1.0f / 256, -128), 1, 0, "int 0 1");
    U8ALL("logistic_s8_wide", LOGISTIC, 2, Q(INT8, 0.5f, 0), Q(INT8, 1.0f / 256, -128), 1, 0, "int 0 1");
    U("logistic_s16", LOGISTIC, 3, Q(INT16, 1.0f / 4096, 0), Q(INT16, 1.0f / 32768, 0), 1, 0, "int 0 1");

    /* 65536 random int16 inputs: most of the domain, bit-exact (gemmlowp fixed point) */
    unary_case("logistic_s16_dense", TFLC_TFL_BUILTIN_OPERATOR_LOGISTIC, 3, Q(INT16, 1.0f / 4096, 0),
               Q(INT16, 1.0f / 32768, 0), 2, D256, 1, 0, "int 0 1", 0, NULL, NULL);

    U("tanh_f32", TANH, 1, F32, F32, -6, 6, "float 1e-5");
    U8ALL("tanh_u8", TANH, 1, Q(UINT8, 0.03f, 120), Q(UINT8, 1.0f / 128, 128), 1, 0, "int 0 1");
    U8ALL("tanh_s8", TANH, 2, Q(INT8, 0.025f, 3), Q(INT8, 1.0f / 128, 0), 1, 0, "int 0 1");
    U8ALL("tanh_s8_odd_out", TANH, 2, Q(INT8, 0.05f, -128), Q(INT8, 0.01f, 5), 1, 0, "int 0 1");
    U("tanh_s16", TANH, 3, Q(INT16, 1.0f / 4096, 0), Q(INT16, 1.0f / 32768, 0), 1, 0, "int 0 1");
    unary_case("tanh_s16_dense", TFLC_TFL_BUILTIN_OPERATOR_TANH, 3, Q(INT16, 1.0f / 4096, 0), Q(INT16, 1.0f / 32768, 0),
               2, D256, 1, 0, "int 0 1", 0, NULL, NULL);
    U("tanh_s16_shift1", TANH, 3, Q(INT16, 1.0f / 2048, 0), Q(INT16, 1.0f / 32768, 0), 1, 0, "int 0 1");
}

OC_GENERATOR(unary_relu) {
    U("relu_f32", RELU, 1, F32, F32, -3, 3, "float 1e-6");
    U8ALL("relu_s8_same", RELU, 2, Q(INT8, 0.05f, -20), Q(INT8, 0.05f, -20), 1, 0, "int 0 1");
    U8ALL("relu_s8_rescale", RELU, 2, Q(INT8, 0.05f, -20), Q(INT8, 0.03f, -128), 1, 0, "int 0 1");
    U8ALL("relu_s8_zp_max", RELU, 2, Q(INT8, 0.05f, 127), Q(INT8, 0.02f, -128), 1, 0, "int 0 1");
    U8ALL("relu_u8", RELU, 2, Q(UINT8, 0.1f, 100), Q(UINT8, 0.07f, 3), 1, 0, "int 0 1");
    U8ALL("relu_u8_zp_ends", RELU, 2, Q(UINT8, 0.02f, 255), Q(UINT8, 0.01f, 0), 1, 0, "int 0 1");
    U("relu_s16", RELU, 3, Q(INT16, 0.001f, 0), Q(INT16, 0.0007f, 0), 1, 0, "int 0 1");

    U("relu6_f32", RELU6, 1, F32, F32, -3, 9, "float 1e-6");
    U8ALL("relu6_s8", RELU6, 2, Q(INT8, 0.06f, -10), Q(INT8, 6.0f / 255, -128), 1, 0, "int 0 1");
    U8ALL("relu6_s8_same", RELU6, 2, Q(INT8, 0.05f, 0), Q(INT8, 0.05f, 0), 1, 0, "int 0 1");
    U8ALL("relu6_u8", RELU6, 1, Q(UINT8, 0.05f, 128), Q(UINT8, 0.03f, 0), 1, 0, "int 0 1");
    U("relu6_s16", RELU6, 3, Q(INT16, 0.0005f, 0), Q(INT16, 0.0003f, 0), 1, 0, "int 0 1");

    U("relu_0_to_1_f32", RELU_0_TO_1, 1, F32, F32, -2, 2, "float 1e-6");
    U8ALL("relu_0_to_1_s8", RELU_0_TO_1, 1, Q(INT8, 0.02f, 4), Q(INT8, 1.0f / 255, -128), 1, 0, "int 0 1");
    U8ALL("relu_0_to_1_u8", RELU_0_TO_1, 1, Q(UINT8, 0.015f, 128), Q(UINT8, 1.0f / 255, 0), 1, 0, "int 0 1");
    U("relu_n1_to_1_f32", RELU_N1_TO_1, 1, F32, F32, -2, 2, "float 1e-6");
    U8ALL("relu_n1_to_1_s8", RELU_N1_TO_1, 1, Q(INT8, 0.02f, 4), Q(INT8, 0.01f, 0), 1, 0, "int 0 1");
    U8ALL("relu_n1_to_1_u8", RELU_N1_TO_1, 1, Q(UINT8, 0.015f, 128), Q(UINT8, 2.0f / 255, 128), 1, 0, "int 0 1");
}

/* Google's runtime runs int8/uint8 LEAKY_RELU in XNNPACK (8.8 fixed-point multipliers), as
 * tflc's default arithmetic does; TFLite's reference (MultiplyByQuantizedMultiplier) is 1 LSB
 * away on 13-22% of these inputs (test_unary.c checks both). */
OC_GENERATOR(unary_leaky_relu) {
    leaky("leaky_relu_f32", 1, F32, F32, 0.2f, -3, 3, "float 1e-6");
    leaky("leaky_relu_f32_neg_alpha", 1, F32, F32, -1.5f, -3, 3, "float 1e-6");
    leaky("leaky_relu_s8", 1, Q(INT8, 0.05f, -3), Q(INT8, 0.04f, -30), 0.1f, 1, 0, "int 0 1");
    leaky("leaky_relu_s8_alpha_gt1", 1, Q(INT8, 0.02f, 10), Q(INT8, 0.05f, 0), 1.7f, 1, 0, "int 0 1");
    /* alpha < 0: TFLite negates the product of |alpha|'s multiplier (as we do). */
    leaky("leaky_relu_s8_neg_alpha", 1, Q(INT8, 0.04f, 0), Q(INT8, 0.04f, 0), -0.5f, 1, 0, "int 0 1");
    leaky("leaky_relu_u8", 1, Q(UINT8, 0.05f, 128), Q(UINT8, 0.04f, 100), 0.3f, 1, 0, "int 0 1");
    leaky("leaky_relu_s16", 2, Q(INT16, 0.001f, 0), Q(INT16, 0.0008f, 0), 0.25f, 1, 0, "int 0 1");
}

/* PRELU: x [2,3,5,7] with alpha broadcast from `arank`/`adims`. */
static void prelu(const char *name, struct uq in, struct uq alpha, struct uq out, int arank, const int32_t *adims,
                  const char *tol) {
    struct oc *c = oc_begin(name, tol);
    if (!c) return;
    float s[3];
    int64_t z[3];
    struct tflc_tflb_quant qi = oc_q(&s[0], &z[0], in.scale, in.zp), qa = oc_q(&s[1], &z[1], alpha.scale, alpha.zp),
                           qo = oc_q(&s[2], &z[2], out.scale, out.zp);
    bool q = in.scale > 0;
    int x = oc_input(c, "x", in.t, 4, D4, q ? &qi : NULL);
    if (!q) oc_input_range(c, x, -2, 2);
    int a = q ? oc_const(c, "alpha", alpha.t, arank, adims, NULL, &qa)
              : oc_const_range(c, "alpha", alpha.t, arank, adims, -0.5, 1.5, NULL);
    int y = oc_output(c, "y", out.t, 4, D4, q ? &qo : NULL);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_PRELU, 1, (int32_t[]){x, a}, 2, (int32_t[]){y}, 1, 0, 0);
    oc_end(c);
}

OC_GENERATOR(unary_prelu) {
    static const int32_t a_c[] = {7}, a_hc[] = {1, 5, 7}, a_full[] = {2, 3, 5, 7}, a_h1[] = {3, 1, 1};
    prelu("prelu_f32_channel", F32, F32, F32, 1, a_c, "float 1e-6");
    prelu("prelu_f32_hw", F32, F32, F32, 3, a_hc, "float 1e-6");
    prelu("prelu_f32_full", F32, F32, F32, 4, a_full, "float 1e-6");
    prelu("prelu_f32_mid", F32, F32, F32, 3, a_h1, "float 1e-6");
    prelu("prelu_s8_channel", Q(INT8, 0.05f, -5), Q(INT8, 0.01f, 0), Q(INT8, 0.04f, 10), 1, a_c, "int 0 1");
    prelu("prelu_s8_full", Q(INT8, 0.05f, 127), Q(INT8, 0.005f, -20), Q(INT8, 0.03f, -128), 4, a_full, "int 0 1");
    prelu("prelu_u8_hw", Q(UINT8, 0.05f, 128), Q(UINT8, 0.01f, 50), Q(UINT8, 0.04f, 120), 3, a_hc, "int 0 1");
}

OC_GENERATOR(unary_elu_hswish_gelu) {
    U("elu_f32", ELU, 1, F32, F32, -6, 3, "float 1e-5");
    /* XNNPACK builds this table with lrintf (ties to even); TFLite's LUTPopulate (and we) round
     * ties away from zero: the ~5% of inputs whose output lands exactly on .5 differ by 1. */
    U8ALL("elu_s8", ELU, 1, Q(INT8, 0.05f, 20), Q(INT8, 0.04f, -100), 1, 0, "int 0 1");

    U("hard_swish_f32", HARD_SWISH, 1, F32, F32, -5, 5, "float 1e-6");
    U8ALL("hard_swish_s8", HARD_SWISH, 1, Q(INT8, 0.05f, -10), Q(INT8, 0.03f, -100), 1, 0, "int 0 1");
    U8ALL("hard_swish_s8_wide", HARD_SWISH, 1, Q(INT8, 0.2f, 30), Q(INT8, 0.15f, -110), 1, 0, "int 0 1");
    U8ALL("hard_swish_s8_narrow", HARD_SWISH, 1, Q(INT8, 0.01f, 0), Q(INT8, 0.008f, -30), 1, 0, "int 0 1");
    U8ALL("hard_swish_u8", HARD_SWISH, 1, Q(UINT8, 0.04f, 128), Q(UINT8, 0.03f, 20), 1, 0, "int 0 1");

    gelu("gelu_f32", 1, F32, F32, false, -5, 5, "float 1e-5");
    gelu("gelu_f32_approx", 1, F32, F32, true, -5, 5, "float 1e-5");
    gelu("gelu_s8", 2, Q(INT8, 0.04f, 0), Q(INT8, 0.03f, -100), false, 1, 0, "int 0 1");
    gelu("gelu_s8_approx", 2, Q(INT8, 0.04f, 0), Q(INT8, 0.03f, -100), true, 1, 0, "int 0 1");
    gelu("gelu_u8", 2, Q(UINT8, 0.03f, 128), Q(UINT8, 0.025f, 30), false, 1, 0, "int 0 1");
}

OC_GENERATOR(unary_math) {
    U("exp_f32", EXP, 1, F32, F32, -5, 5, "float 1e-5");
    U("log_f32", LOG, 1, F32, F32, 0.01, 50, "float 1e-5");
    U("sqrt_f32", SQRT, 1, F32, F32, 0, 100, "float 1e-6");
    U("rsqrt_f32", RSQRT, 1, F32, F32, 0.01, 100, "float 1e-6");
    U8ALL("rsqrt_s8", RSQRT, 2, Q(INT8, 0.05f, -128), Q(INT8, 0.02f, -128), 1, 0, "int 0 1");
    U8ALL("rsqrt_s8_zp", RSQRT, 2, Q(INT8, 0.02f, -10), Q(INT8, 0.1f, -100), -10, 127, "int 0 1");
    U("abs_f32", ABS, 1, F32, F32, -3, 3, "float 1e-6");
    U8ALL("abs_s8_same", ABS, 2, Q(INT8, 0.05f, 7), Q(INT8, 0.05f, -128), 1, 0, "int 0 1");
    U8ALL("abs_s8_rescale", ABS, 2, Q(INT8, 0.05f, 7), Q(INT8, 0.03f, -128), 1, 0, "int 0 1");
    U("abs_s16", ABS, 3, Q(INT16, 0.001f, 0), Q(INT16, 0.0015f, 0), 1, 0, "int 0 1");
    U("abs_s16_plain", ABS, 4, PLAIN(INT16), PLAIN(INT16), 1, 0, "int 0 1");
    U("neg_f32", NEG, 1, F32, F32, -3, 3, "float 1e-6");
    U("neg_s32", NEG, 1, PLAIN(INT32), PLAIN(INT32), -1000000, 1000000, "int 0 1");
    U("neg_s64", NEG, 1, PLAIN(INT64), PLAIN(INT64), -1000000, 1000000, "int 0 1");
}

/* QUANTIZE with a per-channel output (axis 3 of [2,3,5,7]). */
static void quantize_per_channel(void) {
    struct oc *c = oc_begin("quantize_f32_s8_per_channel", "int 0 1");
    if (!c) return;
    float s[7];
    int64_t z[7] = {0};
    for (int i = 0; i < 7; i++) s[i] = 0.005f * (float)(i + 1);
    struct tflc_tflb_quant qo = {7, s, z, 3};
    int x = oc_input(c, "x", TFLC_DTYPE_FLOAT32, 4, D4, NULL);
    oc_input_range(c, x, -1, 1);
    int y = oc_output(c, "y", TFLC_DTYPE_INT8, 4, D4, &qo);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_QUANTIZE, 3, (int32_t[]){x}, 1, (int32_t[]){y}, 1, 0, 0);
    oc_end(c);
}

OC_GENERATOR(unary_quantize) {
    U("quantize_f32_s8", QUANTIZE, 1, F32, Q(INT8, 0.02f, -5), -3, 3, "int 0 1");
    U("quantize_f32_u8", QUANTIZE, 1, F32, Q(UINT8, 0.015f, 128), -3, 3, "int 0 1");
    U("quantize_f32_s16", QUANTIZE, 2, F32, Q(INT16, 0.0001f, 0), -4, 4, "int 0 1");
    U8ALL("quantize_s8_s8", QUANTIZE, 1, Q(INT8, 0.05f, 3), Q(INT8, 0.03f, -7), 1, 0, "int 0 1");
    U8ALL("quantize_s8_u8", QUANTIZE, 1, Q(INT8, 0.05f, 3), Q(UINT8, 0.05f, 131), 1, 0, "int 0 1");
    U8ALL("quantize_s8_u8_rescale", QUANTIZE, 1, Q(INT8, 0.05f, 3), Q(UINT8, 0.07f, 120), 1, 0, "int 0 1");
    U8ALL("quantize_u8_s8", QUANTIZE, 1, Q(UINT8, 0.05f, 128), Q(INT8, 0.05f, 0), 1, 0, "int 0 1");
    /* uint8 -> uint8 runs in XNNPACK in Google's runtime (8.8 fixed point), as in tflc's default
     * arithmetic; TFLite's Requantize rounds twice (MultiplyByQuantizedMultiplier): 1 LSB away on
     * ~23% of inputs (test_unary.c checks both). */
    U8ALL("quantize_u8_u8", QUANTIZE, 1, Q(UINT8, 0.05f, 128), Q(UINT8, 0.11f, 10), 1, 0, "int 0 1");
    U("quantize_s16_s8", QUANTIZE, 2, Q(INT16, 0.0005f, 0), Q(INT8, 0.1f, 4), 1, 0, "int 0 1");
    U("quantize_s16_s16", QUANTIZE, 2, Q(INT16, 0.0005f, 0), Q(INT16, 0.0009f, 0), 1, 0, "int 0 1");
    U("quantize_s16_s32", QUANTIZE, 1, Q(INT16, 0.0005f, 0), Q(INT32, 0.00003f, 5), 1, 0, "int 0 1");
    U("quantize_s32_s8", QUANTIZE, 1, Q(INT32, 0.001f, 3), Q(INT8, 0.05f, -2), -100000, 100000, "int 0 1");
    U("quantize_s32_s16", QUANTIZE, 1, Q(INT32, 0.001f, 0), Q(INT16, 0.003f, 0), -100000, 100000, "int 0 1");
    quantize_per_channel();
}

/* DEQUANTIZE of a constant, added to a float input so the graph has an input: y = x + deq(w). */
static void dequantize_const(const char *name, int version, enum tflc_dtype t, const struct tflc_tflb_quant *q) {
    struct oc *c = oc_begin(name, "float 1e-6");
    if (!c) return;
    int x = oc_input(c, "x", TFLC_DTYPE_FLOAT32, 4, D4, NULL);
    int w = t == TFLC_DTYPE_FLOAT16 ? oc_const_range(c, "w", t, 4, D4, -4, 4, NULL) : oc_const(c, "w", t, 4, D4, NULL, q);
    int d = oc_tensor(c, "w_f32", TFLC_DTYPE_FLOAT32, 4, D4, NULL);
    int y = oc_output(c, "y", TFLC_DTYPE_FLOAT32, 4, D4, NULL);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_DEQUANTIZE, version, (int32_t[]){w}, 1, (int32_t[]){d}, 1, 0, 0);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    uint32_t opt = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_ADD, 1, (int32_t[]){x, d}, 2, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_ADD_OPTIONS,
          opt);
    oc_end(c);
}

OC_GENERATOR(unary_dequantize) {
    U8ALL("dequantize_s8", DEQUANTIZE, 2, Q(INT8, 0.05f, -3), F32, 1, 0, "float 1e-6");
    U8ALL("dequantize_u8", DEQUANTIZE, 1, Q(UINT8, 0.02f, 128), F32, 1, 0, "float 1e-6");
    U("dequantize_s16", DEQUANTIZE, 3, Q(INT16, 0.0003f, 0), F32, 1, 0, "float 1e-6");
    U("dequantize_f16", DEQUANTIZE, 3, PLAIN(FLOAT16), F32, -100, 100, "float 1e-6");
    dequantize_const("dequantize_f16_const", 3, TFLC_DTYPE_FLOAT16, NULL);
    float s[7];
    int64_t z[7] = {0};
    for (int i = 0; i < 7; i++) s[i] = 0.01f * (float)(i + 1);
    struct tflc_tflb_quant qc = {7, s, z, 3};
    dequantize_const("dequantize_s8_per_channel_const", 5, TFLC_DTYPE_INT8, &qc);
    float s1 = 0.03f;
    int64_t z1 = -7;
    struct tflc_tflb_quant qt = {1, &s1, &z1, 0};
    dequantize_const("dequantize_s8_const", 2, TFLC_DTYPE_INT8, &qt);
}

OC_GENERATOR(unary_cast) {
    U("cast_f32_s32", CAST, 1, F32, PLAIN(INT32), -1000, 1000, "int 0 1");
    U("cast_s32_f32", CAST, 1, PLAIN(INT32), F32, -20000000, 20000000, "float 1e-6");
    U("cast_s32_s64", CAST, 1, PLAIN(INT32), PLAIN(INT64), -1000000, 1000000, "int 0 1");
    U("cast_s64_s32", CAST, 1, PLAIN(INT64), PLAIN(INT32), -1000000, 1000000, "int 0 1");
    U("cast_s64_f32", CAST, 1, PLAIN(INT64), F32, -20000000, 20000000, "float 1e-6");
    U("cast_f32_s64", CAST, 1, F32, PLAIN(INT64), -100000, 100000, "int 0 1");
    U("cast_f32_u8", CAST, 1, F32, PLAIN(UINT8), 0, 255, "int 0 1");
    U("cast_u8_f32", CAST, 1, PLAIN(UINT8), F32, 1, 0, "float 1e-6");
    U("cast_u8_s32", CAST, 1, PLAIN(UINT8), PLAIN(INT32), 1, 0, "int 0 1");
    U("cast_s32_u8", CAST, 1, PLAIN(INT32), PLAIN(UINT8), -1000, 1000, "int 0 1");
    U("cast_s8_f32", CAST, 3, PLAIN(INT8), F32, 1, 0, "float 1e-6");
    U("cast_f32_s8", CAST, 3, F32, PLAIN(INT8), -128, 127, "int 0 1");
    U("cast_s8_s32", CAST, 3, PLAIN(INT8), PLAIN(INT32), 1, 0, "int 0 1");
    U("cast_s16_f32", CAST, 1, PLAIN(INT16), F32, 1, 0, "float 1e-6");
    U("cast_f32_s16", CAST, 1, F32, PLAIN(INT16), -30000, 30000, "int 0 1");
    U("cast_s16_s32", CAST, 1, PLAIN(INT16), PLAIN(INT32), 1, 0, "int 0 1");
    U("cast_bool_f32", CAST, 1, PLAIN(BOOL), F32, 1, 0, "float 1e-6");
    U("cast_bool_s32", CAST, 1, PLAIN(BOOL), PLAIN(INT32), 1, 0, "int 0 1");
    U("cast_f32_bool", CAST, 1, F32, PLAIN(BOOL), -2, 2, "int 0 1");
    U("cast_s32_bool", CAST, 1, PLAIN(INT32), PLAIN(BOOL), -2, 2, "int 0 1");
}
