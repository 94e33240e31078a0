/* The two quantized arithmetics (include/tflc/runtime.h enum tflc_arith), by hand.
 *
 * TFLC_ARITH_XNNPACK (the default) computes what Google's runtime computes: XNNPACK's recipes
 * for the nodes its delegate takes (runtime/xnnpack_select.c), TFLite's builtin kernels for
 * the rest, and the builtin kernels for every node when the delegate would fail for the model.
 * TFLC_ARITH_REFERENCE computes TFLite's reference kernels. The values below sit on rounding
 * ties (scales are powers of two), where the recipes differ; each expectation is derived in
 * the comment next to it:
 *   - XNNPACK fp32 requantization: (float)acc * scale rounded half to even;
 *   - ruy (TFLite's builtin CONV_2D / FULLY_CONNECTED): floor(acc * m + 1/2), one rounding;
 *   - MultiplyByQuantizedMultiplier (reference, builtin DEPTHWISE): a rounding doubling
 *     high multiply (nudge 2^30, or 1 - 2^30 for negative products, then C division: -2.5 ->
 *     -2) followed by a rounding shift with ties away from zero; with m = 1/4 (Q31 2^30, shift
 *     -1) that rounds acc / 4 twice: 5/4 -> 5/2 -> 3 -> 3/2 -> 2.
 * Also: which nodes the selection gives XNNPACK, and the model-level fallback. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_build.h"
#include "format/tflite_schema.h"
#include "test.h"
#include "tflc/runtime.h"

#define S8 TFLC_DTYPE_INT8
#define U8 TFLC_DTYPE_UINT8
#define S32 TFLC_DTYPE_INT32
#define F32 TFLC_DTYPE_FLOAT32
#define XNN TFLC_ARITH_XNNPACK
#define REF TFLC_ARITH_REFERENCE

struct model {
    struct tflc_tflb *b;
    int32_t gin[4], ngin;
    int32_t gout[2], ngout;
    float scales[32];
    int64_t zps[32];
    int nq;
};

static struct model model_new(void) {
    struct model m;
    memset(&m, 0, sizeof m);
    m.b = tflc_tflb_create();
    return m;
}

static const struct tflc_tflb_quant *q(struct model *m, float s, int64_t z) {
    static struct tflc_tflb_quant qs[32];
    int i = m->nq++;
    m->scales[i] = s;
    m->zps[i] = z;
    qs[i] = (struct tflc_tflb_quant){1, &m->scales[i], &m->zps[i], 0};
    return &qs[i];
}

static int input(struct model *m, enum tflc_dtype t, int rank, const int32_t *dims, const struct tflc_tflb_quant *qp) {
    int i = tflc_tflb_tensor(m->b, "x", t, rank, dims, 0, qp);
    m->gin[m->ngin++] = i;
    return i;
}

static int constant(struct model *m, enum tflc_dtype t, int rank, const int32_t *dims, const void *data,
                    const struct tflc_tflb_quant *qp) {
    size_t n = 1;
    for (int k = 0; k < rank; k++) n *= (size_t)dims[k];
    return tflc_tflb_tensor(m->b, "c", t, rank, dims, tflc_tflb_buffer(m->b, data, n * tflc_dtype_size(t)), qp);
}

static int output(struct model *m, enum tflc_dtype t, int rank, const int32_t *dims, const struct tflc_tflb_quant *qp) {
    int i = tflc_tflb_tensor(m->b, "y", t, rank, dims, 0, qp);
    m->gout[m->ngout++] = i;
    return i;
}

static uint32_t opts_start(struct model *m) {
    tflc_fbb_table_start(tflc_tflb_fbb(m->b));
    return 0;
}
static uint32_t opts_end(struct model *m) { return tflc_fbb_table_end(tflc_tflb_fbb(m->b)); }

/* TRANSPOSE of a constant unquantized int32 tensor (a second model output): Google's XNNPACK
 * delegate selects it but cannot define the tensor, its runtime fails, and TFLite runs the
 * whole model on the builtin kernels. */
static void poison(struct model *m) {
    static const int32_t v[6] = {1, 2, 3, 4, 5, 6}, perm[2] = {1, 0};
    int x = constant(m, S32, 2, (int32_t[]){2, 3}, v, NULL);
    int p = constant(m, S32, 1, (int32_t[]){2}, perm, NULL);
    int y = output(m, S32, 2, (int32_t[]){3, 2}, NULL);
    opts_start(m);
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE, 1, NULL, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_TRANSPOSE_OPTIONS, opts_end(m));
}

struct result {
    enum tflc_status st;
    char msg[256];
    uint8_t out[256];
    bool xnn[8];            /* tflc_interp_op_xnnpack per op */
    bool failure;           /* tflc_interp_xnnpack_failure != NULL */
};

/* Finishes the model, runs it once under `arith` with the given inputs; keeps the builder. */
static struct result run(struct model *m, enum tflc_arith arith, const void *const *in) {
    struct result r;
    memset(&r, 0, sizeof r);
    struct tflc_diag d;
    memset(&d, 0, sizeof d);
    tflc_tflb_graph_io(m->b, m->gin, m->ngin, m->gout, m->ngout);
    const uint8_t *data;
    size_t size, need = 0;
    struct tflc_interp_options o = tflc_interp_options_default();
    o.arithmetic = arith;
    void *arena = NULL;
    struct tflc_interp *it = NULL;
    r.st = tflc_tflb_finish(m->b, "test_arith", &data, &size, &d);
    if (!r.st) r.st = tflc_interp_arena_size_hosted(data, size, &o, &need, &d);
    if (!r.st && posix_memalign(&arena, 64, need) != 0) r.st = TFLC_STATUS_OUT_OF_MEMORY;
    if (!r.st) r.st = tflc_interp_init(&it, data, size, arena, need, &o, &d);
    if (!r.st) {
        for (int i = 0; i < m->ngin; i++) memcpy(tflc_interp_input(it, i)->data, in[i], tflc_interp_input(it, i)->bytes);
        r.st = tflc_interp_invoke(it, &d);
    }
    if (!r.st) {
        const struct tflc_tensor *y = tflc_interp_output(it, 0);
        memcpy(r.out, y->data, y->bytes < sizeof r.out ? y->bytes : sizeof r.out);
        for (int k = 0; k < tflc_interp_op_count(it) && k < 8; k++) r.xnn[k] = tflc_interp_op_xnnpack(it, k);
        r.failure = tflc_interp_xnnpack_failure(it) != NULL;
    }
    snprintf(r.msg, sizeof r.msg, "%s", d.msg);
    tflc_interp_free(it);
    free(arena);
    return r;
}

/* Builds the model twice (a builder can be finished once) via `make` and checks both
 * arithmetics against the expected int8 outputs. */
typedef void (*make_fn)(struct model *m, bool poisoned);
static void check(make_fn make, bool poisoned, const void *const *in, int n, const int8_t *want_xnn, const int8_t *want_ref,
                  bool expect_xnn_node, const char *what) {
    for (int pass = 0; pass < 2; pass++) {
        struct model m = model_new();
        make(&m, poisoned);
        struct result r = run(&m, pass ? REF : XNN, in);
        tflc_tflb_destroy(m.b);
        TFLC_EXPECT_MSG(r.st == TFLC_STATUS_OK, "%s: %s", what, r.msg);
        if (r.st) return;
        const int8_t *want = pass ? want_ref : want_xnn;
        for (int i = 0; i < n; i++)
            TFLC_EXPECT_MSG((int8_t)r.out[i] == want[i], "%s (%s): element %d is %d, expected %d", what,
                            pass ? "reference" : "xnnpack", i, (int8_t)r.out[i], want[i]);
        TFLC_EXPECT_MSG(r.xnn[0] == (!pass && expect_xnn_node), "%s (%s): op 0 %s XNNPACK", what,
                        pass ? "reference" : "xnnpack", r.xnn[0] ? "uses" : "does not use");
        if (poisoned && !pass) TFLC_EXPECT_MSG(r.failure, "%s: the model-level fallback was not detected", what);
    }
}

/* ---- convolutions: acc = x (1x1 filter of weight 1, no bias), s_x = s_w = 1/2, s_y = 1, so
 * the requantization scale is 1/4 and the inputs {5, -6, 6, -5, 2, -2} give 1.25, -1.5, 1.5,
 * -1.25, 0.5, -0.5:
 *   XNNPACK (half to even):        1, -2, 2, -1, 0, 0
 *   ruy (floor(v + 1/2)):          1, -1, 2, -1, 1, 0
 *   MultiplyByQuantizedMultiplier: 2, -2, 2, -1, 1, -1  (1.25 -> 2.5 -> 3 -> 1.5 -> 2;
 *     -1.5: -6 * 2^30 -> trunc(-3.4999) = -3 -> -3 >> 1 = -2 (the remainder 1 does not exceed
 *     the negative threshold 1); 0.5: 1 -> 1/2 -> 1; -0.5: -1 -> -1 >> 1 = -1). ---- */
static const int8_t conv_in[6] = {5, -6, 6, -5, 2, -2};
static const int8_t conv_xnn[6] = {1, -2, 2, -1, 0, 0}, conv_ruy[6] = {1, -1, 2, -1, 1, 0},
                    conv_mbqm[6] = {2, -2, 2, -1, 1, -1};

static void make_conv(struct model *m, bool poisoned) {
    int x = input(m, S8, 4, (int32_t[]){1, 1, 6, 1}, q(m, 0.5f, 0));
    int w = constant(m, S8, 4, (int32_t[]){1, 1, 1, 1}, (const int8_t[]){1}, q(m, 0.5f, 0));
    int b = constant(m, S32, 1, (int32_t[]){1}, (const int32_t[]){0}, q(m, 0.25f, 0));
    int y = output(m, S8, 4, (int32_t[]){1, 1, 6, 1}, q(m, 1.0f, 0));
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    opts_start(m);
    tflc_fbb_add_i8(f, TFLC_TFL_CONV2D_OPTIONS_PADDING, TFLC_TFL_PADDING_VALID, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_W, 1, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_H, 1, -1);
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_CONV_2D, 3, NULL, (int32_t[]){x, w, b}, 3, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_CONV2D_OPTIONS, opts_end(m));
    if (poisoned) poison(m);
}

TFLC_TEST(conv2d_xnnpack_builtin_reference) {
    const void *in[1] = {conv_in};
    check(make_conv, false, in, 6, conv_xnn, conv_mbqm, true, "CONV_2D delegated");
    check(make_conv, true, in, 6, conv_ruy, conv_mbqm, false, "CONV_2D in a model the delegate fails on");
}

static void make_dwconv(struct model *m, bool poisoned) {
    int x = input(m, S8, 4, (int32_t[]){1, 1, 6, 1}, q(m, 0.5f, 0));
    int w = constant(m, S8, 4, (int32_t[]){1, 1, 1, 1}, (const int8_t[]){1}, q(m, 0.5f, 0));
    int b = constant(m, S32, 1, (int32_t[]){1}, (const int32_t[]){0}, q(m, 0.25f, 0));
    int y = output(m, S8, 4, (int32_t[]){1, 1, 6, 1}, q(m, 1.0f, 0));
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    opts_start(m);
    tflc_fbb_add_i8(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_PADDING, TFLC_TFL_PADDING_VALID, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_W, 1, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_H, 1, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_DEPTH_MULTIPLIER, 1, -1);
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D, 3, NULL, (int32_t[]){x, w, b}, 3, (int32_t[]){y},
                 1, TFLC_TFL_BUILTIN_OPTIONS_DEPTHWISE_CONV2D_OPTIONS, opts_end(m));
    if (poisoned) poison(m);
}

TFLC_TEST(dwconv_xnnpack_builtin_reference) {
    const void *in[1] = {conv_in};
    check(make_dwconv, false, in, 6, conv_xnn, conv_mbqm, true, "DEPTHWISE_CONV_2D delegated");
    /* TFLite's builtin depthwise kernel uses MultiplyByQuantizedMultiplier like the reference. */
    check(make_dwconv, true, in, 6, conv_mbqm, conv_mbqm, false, "DEPTHWISE_CONV_2D, delegate failing");
}

static void make_fc(struct model *m, bool poisoned) {
    int x = input(m, S8, 2, (int32_t[]){6, 1}, q(m, 0.5f, 0));
    int w = constant(m, S8, 2, (int32_t[]){1, 1}, (const int8_t[]){1}, q(m, 0.5f, 0));
    int b = constant(m, S32, 1, (int32_t[]){1}, (const int32_t[]){0}, q(m, 0.25f, 0));
    int y = output(m, S8, 2, (int32_t[]){6, 1}, q(m, 1.0f, 0));
    opts_start(m);
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED, 4, NULL, (int32_t[]){x, w, b}, 3, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS, opts_end(m));
    if (poisoned) poison(m);
}

TFLC_TEST(fully_connected_xnnpack_builtin_reference) {
    const void *in[1] = {conv_in};
    check(make_fc, false, in, 6, conv_xnn, conv_mbqm, true, "FULLY_CONNECTED delegated");
    check(make_fc, true, in, 6, conv_ruy, conv_mbqm, false, "FULLY_CONNECTED, delegate failing");
}

/* ---- ADD / SUB: s_a = s_b = 1, s_y = 2: y = (a +- b) / 2 on ties.
 * XNNPACK: multipliers 2^20 for both (shift 21), bias 2^20: floor((a + b + 1) / 2), ties up.
 * Reference: both inputs scaled to (a + b) * 2^19 exactly, then MultiplyByQuantizedMultiplier
 * by 2^-19 rounds the tie away from zero.
 * a = {1, -1, 2, -2}, b = {2, -2, 3, -3}: sums 3, -3, 5, -5 -> XNNPACK 2, -1, 3, -2;
 * reference 2, -2, 3, -3. SUB with b = {-2, 2, -3, 3} gives the same differences. ---- */
static int32_t bin_op;
static void make_binary(struct model *m, bool poisoned) {
    int a = input(m, S8, 1, (int32_t[]){4}, q(m, 1.0f, 0));
    int b = input(m, S8, 1, (int32_t[]){4}, q(m, 1.0f, 0));
    int y = output(m, S8, 1, (int32_t[]){4}, q(m, 2.0f, 0));
    opts_start(m);
    uint8_t type = bin_op == TFLC_TFL_BUILTIN_OPERATOR_ADD   ? TFLC_TFL_BUILTIN_OPTIONS_ADD_OPTIONS
                   : bin_op == TFLC_TFL_BUILTIN_OPERATOR_SUB ? TFLC_TFL_BUILTIN_OPTIONS_SUB_OPTIONS
                                                             : TFLC_TFL_BUILTIN_OPTIONS_MUL_OPTIONS;
    tflc_tflb_op(m->b, bin_op, bin_op == TFLC_TFL_BUILTIN_OPERATOR_MUL ? 1 : 2, NULL, (int32_t[]){a, b}, 2,
                 (int32_t[]){y}, 1, type, opts_end(m));
    if (poisoned) poison(m);
}

TFLC_TEST(add_sub_xnnpack_and_reference) {
    const int8_t a[4] = {1, -1, 2, -2}, b[4] = {2, -2, 3, -3}, nb[4] = {-2, 2, -3, 3};
    const int8_t xnn[4] = {2, -1, 3, -2}, ref[4] = {2, -2, 3, -3};
    bin_op = TFLC_TFL_BUILTIN_OPERATOR_ADD;
    check(make_binary, false, (const void *[]){a, b}, 4, xnn, ref, true, "ADD");
    /* The builtin ADD kernel is the reference recipe. */
    check(make_binary, true, (const void *[]){a, b}, 4, ref, ref, false, "ADD, delegate failing");
    bin_op = TFLC_TFL_BUILTIN_OPERATOR_SUB;
    check(make_binary, false, (const void *[]){a, nb}, 4, xnn, ref, true, "SUB");
}

/* ---- MUL: s_a = s_b = 1, s_y = 2: products {5, -5, 3, -3} / 2 = 2.5, -2.5, 1.5, -1.5.
 * XNNPACK (half to even): 2, -2, 2, -2. Reference (multiplier 2^30, shift 0: one rounding
 * doubling high multiply): 3, -2, 2, -1 (negative ties go toward zero, see the header). ---- */
TFLC_TEST(mul_xnnpack_and_reference) {
    const int8_t a[4] = {5, -5, 3, -3}, b[4] = {1, 1, 1, 1};
    bin_op = TFLC_TFL_BUILTIN_OPERATOR_MUL;
    check(make_binary, false, (const void *[]){a, b}, 4, (const int8_t[]){2, -2, 2, -2}, (const int8_t[]){3, -2, 2, -1},
          true, "MUL");
}

/* ---- MEAN over H,W of [1,2,2,4] (keep_dims), same scale and zero point 0: the channel sums
 * {6, -6, 10, -10} / 4 = 1.5, -1.5, 2.5, -2.5.
 * XNNPACK (global average pooling, fp32, half to even): 2, -2, 2, -2.
 * Reference (integer Mean: sum * 1, then (acc +- 2) / 4, ties away from zero): 2, -2, 3, -3.
 * Builtin (TFLite 2.11's optimized int8 Mean: MultiplyByQuantizedMultiplier(sum, 1/4)):
 * 6 -> 3 -> 2; -6 -> -3 -> -2; 10 -> 5 -> 3; -10 -> -5 -> -3: here equal to the reference. ---- */
static void make_mean(struct model *m, bool poisoned) {
    int x = input(m, S8, 4, (int32_t[]){1, 2, 2, 4}, q(m, 1.0f, 0));
    int ax = constant(m, S32, 1, (int32_t[]){2}, (const int32_t[]){1, 2}, NULL);
    int y = output(m, S8, 4, (int32_t[]){1, 1, 1, 4}, q(m, 1.0f, 0));
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    opts_start(m);
    tflc_fbb_add_bool(f, TFLC_TFL_REDUCER_OPTIONS_KEEP_DIMS, true, false);
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_MEAN, 2, NULL, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS, opts_end(m));
    if (poisoned) poison(m);
}

TFLC_TEST(mean_xnnpack_builtin_reference) {
    /* NHWC: pixel p holds channels 0..3; each channel sums its 4 pixels. */
    const int8_t x[16] = {1, -1, 2, -2, 1, -1, 2, -2, 2, -2, 3, -3, 2, -2, 3, -3};
    const int8_t ref[4] = {2, -2, 3, -3};
    check(make_mean, false, (const void *[]){x}, 4, (const int8_t[]){2, -2, 2, -2}, ref, true, "MEAN over H,W");
    check(make_mean, true, (const void *[]){x}, 4, ref, ref, false, "MEAN over H,W, delegate failing");
}

/* ---- QUANTIZE int8 -> int8, s_in 1, s_out 4 (ratio 1/4): x = {5, -6, 6, 2, -2}.
 * XNNPACK (8.8 fixed point: multiplier 64, bias 0x80: floor(x / 4 + 1/2)): 1, -1, 2, 1, 0.
 * Reference (MultiplyByQuantizedMultiplier by 1/4, as for the convolutions): 2, -2, 2, 1, -1. */
static void make_requant(struct model *m, bool poisoned) {
    int x = input(m, S8, 1, (int32_t[]){5}, q(m, 1.0f, 0));
    int y = output(m, S8, 1, (int32_t[]){5}, q(m, 4.0f, 0));
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_QUANTIZE, 2, NULL, (int32_t[]){x}, 1, (int32_t[]){y}, 1, 0, 0);
    if (poisoned) poison(m);
}

/* QUANTIZE float32 -> int8, scale 1/2: x = {1.25, -1.25, 1.75, 0.25} -> 2.5, -2.5, 3.5, 0.5.
 * XNNPACK (x * 2, half to even): 2, -2, 4, 0. Reference (x / 0.5, half away from zero):
 * 3, -3, 4, 1. */
static void make_quantize(struct model *m, bool poisoned) {
    int x = input(m, F32, 1, (int32_t[]){4}, NULL);
    int y = output(m, S8, 1, (int32_t[]){4}, q(m, 0.5f, 0));
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_QUANTIZE, 1, NULL, (int32_t[]){x}, 1, (int32_t[]){y}, 1, 0, 0);
    if (poisoned) poison(m);
}

TFLC_TEST(quantize_xnnpack_and_reference) {
    check(make_requant, false, (const void *[]){(const int8_t[]){5, -6, 6, 2, -2}}, 5, (const int8_t[]){1, -1, 2, 1, 0},
          (const int8_t[]){2, -2, 2, 1, -1}, true, "QUANTIZE int8 -> int8");
    check(make_quantize, false, (const void *[]){(const float[]){1.25f, -1.25f, 1.75f, 0.25f}}, 4,
          (const int8_t[]){2, -2, 4, 0}, (const int8_t[]){3, -3, 4, 1}, true, "QUANTIZE float -> int8");
}

/* ---- LEAKY_RELU int8, s_in 1, s_out 4, alpha 1/2: x = {6, 5, -6, -5, -2}.
 * XNNPACK: multipliers lrintf(256 / 4) = 64 and lrintf(256 / 8) = 32, floor((0x80 + x m) / 256):
 * 6 -> 2, 5 -> 1 (1.75), -6 -> -1 (-0.25), -5 -> -1 (-0.125), -2 -> 0 (0.25).
 * Reference: MultiplyByQuantizedMultiplier by 1/4 and 1/8: 6 -> 2, 5 -> 2 (rounded twice),
 * -6 -> -1, -5 -> -1, -2 -> 0. ---- */
static void make_leaky(struct model *m, bool poisoned) {
    int x = input(m, S8, 1, (int32_t[]){5}, q(m, 1.0f, 0));
    int y = output(m, S8, 1, (int32_t[]){5}, q(m, 4.0f, 0));
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    opts_start(m);
    tflc_fbb_add_f32(f, TFLC_TFL_LEAKY_RELU_OPTIONS_ALPHA, 0.5f, 0.0f);
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_LEAKY_RELU, 1, NULL, (int32_t[]){x}, 1, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_LEAKY_RELU_OPTIONS, opts_end(m));
    if (poisoned) poison(m);
}

TFLC_TEST(leaky_relu_xnnpack_and_reference) {
    check(make_leaky, false, (const void *[]){(const int8_t[]){6, 5, -6, -5, -2}}, 5, (const int8_t[]){2, 1, -1, -1, 0},
          (const int8_t[]){2, 2, -1, -1, 0}, true, "LEAKY_RELU");
}

/* ---- ELU int8, s_in 1, s_out 2, positive inputs (the identity half): x = {1, 3, 5, 7} give
 * 0.5, 1.5, 2.5, 3.5 output steps: XNNPACK's table (lrintf) 0, 2, 2, 4; TFLite's table
 * (round half away from zero) 1, 2, 3, 4. ---- */
static void make_elu(struct model *m, bool poisoned) {
    int x = input(m, S8, 1, (int32_t[]){4}, q(m, 1.0f, 0));
    int y = output(m, S8, 1, (int32_t[]){4}, q(m, 2.0f, 0));
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_ELU, 1, NULL, (int32_t[]){x}, 1, (int32_t[]){y}, 1, 0, 0);
    if (poisoned) poison(m);
}

TFLC_TEST(elu_xnnpack_and_reference) {
    check(make_elu, false, (const void *[]){(const int8_t[]){1, 3, 5, 7}}, 4, (const int8_t[]){0, 2, 2, 4},
          (const int8_t[]){1, 2, 3, 4}, true, "ELU");
}

/* ---- RESIZE_BILINEAR int8 [1,1,2,1] -> [1,1,4,1], half_pixel_centers, input {0, -2}: the
 * source x of outputs 1 and 2 is 0.25 and 0.75, so the values are -0.5 and -1.5.
 * XNNPACK (11-bit weights, floor(v + 1/2)): 0, 0, -1, -2.
 * Reference (ResizeBilinearInteger, ties away from zero): 0, -1, -2, -2. ---- */
static void make_resize(struct model *m, bool poisoned) {
    int x = input(m, S8, 4, (int32_t[]){1, 1, 2, 1}, q(m, 0.1f, 0));
    int sz = constant(m, S32, 1, (int32_t[]){2}, (const int32_t[]){1, 4}, NULL);
    int y = output(m, S8, 4, (int32_t[]){1, 1, 4, 1}, q(m, 0.1f, 0));
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    opts_start(m);
    tflc_fbb_add_bool(f, TFLC_TFL_RESIZE_BILINEAR_OPTIONS_HALF_PIXEL_CENTERS, true, false);
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_RESIZE_BILINEAR, 3, NULL, (int32_t[]){x, sz}, 2, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_RESIZE_BILINEAR_OPTIONS, opts_end(m));
    if (poisoned) poison(m);
}

TFLC_TEST(resize_bilinear_xnnpack_and_reference) {
    check(make_resize, false, (const void *[]){(const int8_t[]){0, -2}}, 4, (const int8_t[]){0, 0, -1, -2},
          (const int8_t[]){0, -1, -2, -2}, true, "RESIZE_BILINEAR");
}

/* ---- CONCATENATION uint8 of two inputs with scales 1 and 2 (zero points 0) into scale 1:
 * XNNPACK copies the bytes: {10, 20}; the reference requantizes the second input: {10, 40}.
 * (uint8, so the check reads the bytes.) ---- */
static void make_concat(struct model *m, bool poisoned) {
    int a = input(m, U8, 1, (int32_t[]){1}, q(m, 1.0f, 0));
    int b = input(m, U8, 1, (int32_t[]){1}, q(m, 2.0f, 0));
    int y = output(m, U8, 1, (int32_t[]){2}, q(m, 1.0f, 0));
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    opts_start(m);
    tflc_fbb_add_i32(f, TFLC_TFL_CONCATENATION_OPTIONS_AXIS, 0, 0);
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_CONCATENATION, 1, NULL, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_CONCATENATION_OPTIONS, opts_end(m));
    if (poisoned) poison(m);
}

TFLC_TEST(concatenation_u8_xnnpack_and_reference) {
    check(make_concat, false, (const void *[]){(const uint8_t[]){10}, (const uint8_t[]){20}}, 2, (const int8_t[]){10, 20},
          (const int8_t[]){10, 40}, true, "CONCATENATION uint8");
}

/* ---- SUM int8 over 4 values of 10 (s_in 1) into s_out 1/4: the real sum 40 is 160 steps.
 * TFLite 2.11's builtin kernel (Google's runtime; SUM is never delegated) computes it in float
 * and casts without clamping: 160 wraps to -96. The reference saturates at 127. ---- */
static void make_sum(struct model *m, bool poisoned) {
    int x = input(m, S8, 2, (int32_t[]){1, 4}, q(m, 1.0f, 0));
    int ax = constant(m, S32, 1, (int32_t[]){1}, (const int32_t[]){1}, NULL);
    int y = output(m, S8, 1, (int32_t[]){1}, q(m, 0.25f, 0));
    opts_start(m);
    tflc_tflb_op(m->b, TFLC_TFL_BUILTIN_OPERATOR_SUM, 1, NULL, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS, opts_end(m));
    if (poisoned) poison(m);
}

TFLC_TEST(sum_builtin_wraps_reference_saturates) {
    check(make_sum, false, (const void *[]){(const int8_t[]){10, 10, 10, 10}}, 1, (const int8_t[]){-96},
          (const int8_t[]){127}, false, "SUM");
}

/* ---- Selection: types the delegate refuses never get XNNPACK arithmetic. ---- */
TFLC_TEST(selection_refuses_hybrid_and_int16) {
    /* Hybrid CONV_2D (float input, int8 filter): mixed types. */
    struct model m = model_new();
    int x = input(&m, F32, 4, (int32_t[]){1, 1, 2, 1}, NULL);
    int w = constant(&m, S8, 4, (int32_t[]){1, 1, 1, 1}, (const int8_t[]){3}, q(&m, 0.5f, 0));
    int b = constant(&m, F32, 1, (int32_t[]){1}, (const float[]){0}, NULL);
    int y = output(&m, F32, 4, (int32_t[]){1, 1, 2, 1}, NULL);
    struct tflc_fbb *f = tflc_tflb_fbb(m.b);
    opts_start(&m);
    tflc_fbb_add_i8(f, TFLC_TFL_CONV2D_OPTIONS_PADDING, TFLC_TFL_PADDING_VALID, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_W, 1, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_H, 1, -1);
    tflc_tflb_op(m.b, TFLC_TFL_BUILTIN_OPERATOR_CONV_2D, 2, NULL, (int32_t[]){x, w, b}, 3, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_CONV2D_OPTIONS, opts_end(&m));
    struct result r = run(&m, XNN, (const void *[]){(const float[]){1, 2}});
    tflc_tflb_destroy(m.b);
    TFLC_EXPECT_MSG(r.st == TFLC_STATUS_OK, "%s", r.msg);
    TFLC_EXPECT(!r.xnn[0]);
    /* int16 ADD: no XNNPACK type. */
    m = model_new();
    int a = input(&m, TFLC_DTYPE_INT16, 1, (int32_t[]){2}, q(&m, 0.001f, 0));
    int c = input(&m, TFLC_DTYPE_INT16, 1, (int32_t[]){2}, q(&m, 0.001f, 0));
    y = output(&m, TFLC_DTYPE_INT16, 1, (int32_t[]){2}, q(&m, 0.002f, 0));
    opts_start(&m);
    tflc_tflb_op(m.b, TFLC_TFL_BUILTIN_OPERATOR_ADD, 3, NULL, (int32_t[]){a, c}, 2, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_ADD_OPTIONS, opts_end(&m));
    r = run(&m, XNN, (const void *[]){(const int16_t[]){1, 2}, (const int16_t[]){3, 4}});
    tflc_tflb_destroy(m.b);
    TFLC_EXPECT_MSG(r.st == TFLC_STATUS_OK, "%s", r.msg);
    TFLC_EXPECT(!r.xnn[0]);
    TFLC_EXPECT(!r.failure);
}

TFLC_TEST_MAIN()
