/* Hand-checked cases for the data-movement ops (CONCATENATION, RESHAPE, SQUEEZE,
 * EXPAND_DIMS, TRANSPOSE, PAD, PADV2, SLICE, STRIDED_SLICE, SPLIT, PACK, UNPACK, GATHER,
 * RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR, SPACE_TO_DEPTH, DEPTH_TO_SPACE, SHAPE).
 * Expected values are written out by hand (small examples, several from TensorFlow's docs)
 * or computed here by a direct index formula, never by our kernels. Covers what Google's
 * 2022 WASM runtime cannot check: requantizing int8/int16 CONCATENATION, fused activations
 * on CONCATENATION, uint8 requantization the oracle's XNNPACK gets wrong, int64 paddings,
 * 6-D TRANSPOSE (v6), STRIDED_SLICE offset (v8), run-time shape inputs whose values are
 * wrong; and bad models (shape mismatches, wrong input counts, unsupported types, gather
 * indices out of range at run time, zero-sized tensors). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_build.h"
#include "format/tflite_schema.h"
#include "test.h"
#include "tflc/runtime.h"

/* These hand-checked cases pin TFLite's reference arithmetic (TFLC_ARITH_REFERENCE); what
 * Google's runtime computes instead (the default arithmetic) is checked in test_arith.c. */
static const struct tflc_interp_options ref_arith = {.num_threads = 1, .arithmetic = TFLC_ARITH_REFERENCE};

#define D(...) ((const int32_t[]){__VA_ARGS__})
#define F32 TFLC_DTYPE_FLOAT32
#define I8 TFLC_DTYPE_INT8
#define U8 TFLC_DTYPE_UINT8
#define I16 TFLC_DTYPE_INT16
#define I32 TFLC_DTYPE_INT32
#define I64 TFLC_DTYPE_INT64
#define BOOL TFLC_DTYPE_BOOL
#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x
#define OPT(x) TFLC_TFL_BUILTIN_OPTIONS_##x

/* ---- a tiny graph builder + interpreter run ---- */

struct g {
    struct tflc_tflb *b;
    int32_t in[8], out[8];
    int nin, nout;
    uint8_t *arena;
    struct tflc_interp *it;
    struct tflc_diag diag;
    enum tflc_status st;
};

static void g_begin(struct g *g) {
    memset(g, 0, sizeof *g);
    g->b = tflc_tflb_create();
}

static int g_tensor(struct g *g, const char *nm, enum tflc_dtype t, int rank, const int32_t *dims, const void *data, float scale,
                    int zp) {
    float s = scale;
    int64_t z = zp;
    struct tflc_tflb_quant q = {1, &s, &z, 0};
    size_t n = tflc_dtype_size(t);
    for (int i = 0; i < rank; i++) n *= (size_t)dims[i];
    int buf = data ? tflc_tflb_buffer(g->b, data, n) : 0;
    return tflc_tflb_tensor(g->b, nm, t, rank, dims, buf, scale > 0 ? &q : NULL);
}
static int g_input(struct g *g, const char *nm, enum tflc_dtype t, int rank, const int32_t *dims, float scale, int zp) {
    int k = g_tensor(g, nm, t, rank, dims, NULL, scale, zp);
    g->in[g->nin++] = k;
    return k;
}
static int g_output(struct g *g, const char *nm, enum tflc_dtype t, int rank, const int32_t *dims, float scale, int zp) {
    int k = g_tensor(g, nm, t, rank, dims, NULL, scale, zp);
    g->out[g->nout++] = k;
    return k;
}
static int g_i32(struct g *g, const char *nm, int rank, const int32_t *dims, const int32_t *v) {
    return g_tensor(g, nm, I32, rank, dims, v, 0, 0);
}
static struct tflc_fbb *g_fbb(struct g *g) { return tflc_tflb_fbb(g->b); }
static uint32_t g_empty_options(struct g *g) {
    tflc_fbb_table_start(g_fbb(g));
    return tflc_fbb_table_end(g_fbb(g));
}
static void g_op(struct g *g, int32_t code, int version, const int32_t *ins, int nin, const int32_t *outs, int nout, uint8_t type,
                 uint32_t opt) {
    tflc_tflb_op(g->b, code, version, NULL, ins, nin, outs, nout, type, opt);
}

/* Finishes the model and initializes an interpreter; g->st / g->diag tell how it went. */
static enum tflc_status g_init(struct g *g) {
    const uint8_t *m;
    size_t n, need;
    tflc_tflb_graph_io(g->b, g->in, g->nin, g->out, g->nout);
    if ((g->st = tflc_tflb_finish(g->b, NULL, &m, &n, &g->diag))) return g->st;
    if ((g->st = tflc_interp_arena_size_hosted(m, n, &ref_arith, &need, &g->diag))) return g->st;
    g->arena = aligned_alloc(64, (need + 63) / 64 * 64);
    return g->st = tflc_interp_init(&g->it, m, n, g->arena, need, &ref_arith, &g->diag);
}

/* Init (must succeed), copy the inputs (each the input tensor's bytes long), invoke. */
static enum tflc_status g_run(struct g *g, const void *const *inputs) {
    if (g_init(g) != TFLC_STATUS_OK) {
        TFLC_FAIL_("init failed: %s", g->diag.msg);
        return g->st;
    }
    for (int i = 0; i < g->nin; i++) {
        struct tflc_tensor *t = tflc_interp_input(g->it, i);
        if (t->bytes) memcpy(t->data, inputs[i], t->bytes);
    }
    return tflc_interp_invoke(g->it, &g->diag);
}

static const struct tflc_tensor *g_out(struct g *g, int i) { return tflc_interp_output(g->it, i); }

static void g_done(struct g *g) {
    tflc_interp_free(g->it);
    free(g->arena);
    tflc_tflb_destroy(g->b);
}

/* Output i has this shape. */
static void expect_shape(struct g *g, int i, int rank, const int32_t *dims) {
    const struct tflc_tensor *t = g_out(g, i);
    TFLC_EXPECT_EQ_INT(t->rank, rank);
    for (int d = 0; d < rank && d < t->rank; d++) TFLC_EXPECT_EQ_INT(t->dims[d], dims[d]);
}

#define EXPECT_ARRAY(T, got, want, n)                                                                      \
    do {                                                                                                   \
        const T *g_ = (const T *)(got);                                                                    \
        for (size_t i_ = 0; i_ < (size_t)(n); i_++)                                                        \
            if (g_[i_] != (want)[i_]) {                                                                    \
                TFLC_FAIL_("element %zu: got %g, want %g", i_, (double)g_[i_], (double)(want)[i_]);        \
                break;                                                                                     \
            }                                                                                              \
    } while (0)

/* Init must fail with `st` and a message holding `needle`. */
static void expect_refused(struct g *g, enum tflc_status st, const char *needle) {
    enum tflc_status got = g_init(g);
    TFLC_EXPECT_EQ_INT(got, st);
    TFLC_EXPECT_STR_CONTAINS(g->diag.msg, needle);
}

/* ---- CONCATENATION ---- */

static uint32_t concat_opts(struct g *g, int axis, int act) {
    struct tflc_fbb *f = g_fbb(g);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_CONCATENATION_OPTIONS_AXIS, axis, 0);
    tflc_fbb_add_i8(f, TFLC_TFL_CONCATENATION_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, 0);
    return tflc_fbb_table_end(f);
}

TFLC_TEST(concat_f32_axis1_by_hand) {
    struct g g;
    g_begin(&g);
    int a = g_input(&g, "a", F32, 2, D(2, 2), 0, 0), b = g_input(&g, "b", F32, 2, D(2, 1), 0, 0);
    int y = g_output(&g, "y", F32, 2, D(2, 3), 0, 0);
    g_op(&g, OP(CONCATENATION), 1, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, -1, 0));
    float av[] = {1, 2, 3, 4}, bv[] = {5, 6}, want[] = {1, 2, 5, 3, 4, 6};
    if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK) {
        expect_shape(&g, 0, 2, D(2, 3));
        EXPECT_ARRAY(float, g_out(&g, 0)->data, want, 6);
    }
    g_done(&g);
}

TFLC_TEST(concat_f32_relu6_fused) {
    /* TFLite refuses fused activations on CONCATENATION; tflc clamps like other ops. */
    struct g g;
    g_begin(&g);
    int a = g_input(&g, "a", F32, 1, D(3), 0, 0), b = g_input(&g, "b", F32, 1, D(2), 0, 0);
    int y = g_output(&g, "y", F32, 1, D(5), 0, 0);
    g_op(&g, OP(CONCATENATION), 1, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, 0, 3));
    float av[] = {-1, 2.5f, 7}, bv[] = {6, 0.25f}, want[] = {0, 2.5f, 6, 6, 0.25f};
    if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK) EXPECT_ARRAY(float, g_out(&g, 0)->data, want, 5);
    g_done(&g);
}

TFLC_TEST(concat_s8_requantize_different_scales) {
    /* real = s (q - zp). a: s 0.5 zp 0; b: s 1 zp 5; out: s 0.25 zp -10.
     * a = [-4, 2, 10] -> real [-2, 1, 5] -> q [-18, -6, 10]
     * b = [5, 7, -128, 40] -> real [0, 2, -133, 35] -> q [-10, -2, -542 -> -128, 130 -> 127] */
    struct g g;
    g_begin(&g);
    int a = g_input(&g, "a", I8, 1, D(3), 0.5f, 0), b = g_input(&g, "b", I8, 1, D(4), 1.0f, 5);
    int y = g_output(&g, "y", I8, 1, D(7), 0.25f, -10);
    g_op(&g, OP(CONCATENATION), 2, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, 0, 0));
    int8_t av[] = {-4, 2, 10}, bv[] = {5, 7, -128, 40};
    int8_t want[] = {-18, -6, 10, -10, -2, -128, 127};
    if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, want, 7);
    g_done(&g);
}

TFLC_TEST(concat_u8_requantize_three_inputs) {
    /* The oracle's XNNPACK copies these raw (no requantization); TFLite's builtin kernel and
     * tflc requantize. a: s 0.1 zp 0, b: s 0.2 zp 128, c: s 0.05 zp 10; out s 0.1 zp 50.
     * a [0, 7, 255] -> copy semantics in real terms: q = 10 real + 50 = [50, 57, 305 -> 255]
     * b [128, 130, 0] -> real [0, 0.4, -25.6] -> q [50, 54, -206 -> 0]
     * c [10, 30] -> real [0, 1] -> q [50, 60] */
    struct g g;
    g_begin(&g);
    int a = g_input(&g, "a", U8, 1, D(3), 0.1f, 0), b = g_input(&g, "b", U8, 1, D(3), 0.2f, 128);
    int c = g_input(&g, "c", U8, 1, D(2), 0.05f, 10);
    int y = g_output(&g, "y", U8, 1, D(8), 0.1f, 50);
    g_op(&g, OP(CONCATENATION), 1, (int32_t[]){a, b, c}, 3, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, 0, 0));
    uint8_t av[] = {0, 7, 255}, bv[] = {128, 130, 0}, cv[] = {10, 30};
    uint8_t want[] = {50, 57, 255, 50, 54, 0, 50, 60};
    if (g_run(&g, (const void *[]){av, bv, cv}) == TFLC_STATUS_OK) EXPECT_ARRAY(uint8_t, g_out(&g, 0)->data, want, 8);
    g_done(&g);
}

TFLC_TEST(concat_s16_requantize_and_relu) {
    /* a: s 0.001; b: s 0.004; out s 0.002 (zp 0, as int16 needs). RELU clamps below 0.
     * a [100, -300] -> real [0.1, -0.3] -> [50, -150 -> 0]; b [10, 32767] -> [20, 65534 -> 32767] */
    struct g g;
    g_begin(&g);
    int a = g_input(&g, "a", I16, 1, D(2), 0.001f, 0), b = g_input(&g, "b", I16, 1, D(2), 0.004f, 0);
    int y = g_output(&g, "y", I16, 1, D(4), 0.002f, 0);
    g_op(&g, OP(CONCATENATION), 3, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, 0, 1));
    int16_t av[] = {100, -300}, bv[] = {10, 32767}, want[] = {50, 0, 20, 32767};
    if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int16_t, g_out(&g, 0)->data, want, 4);
    g_done(&g);
}

TFLC_TEST(concat_s8_relu_quantized_clamp) {
    /* Same quantization (s 0.5, zp -20): RELU clamps at the zero point -20. */
    struct g g;
    g_begin(&g);
    int a = g_input(&g, "a", I8, 1, D(3), 0.5f, -20), b = g_input(&g, "b", I8, 1, D(1), 0.5f, -20);
    int y = g_output(&g, "y", I8, 1, D(4), 0.5f, -20);
    g_op(&g, OP(CONCATENATION), 2, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, 0, 1));
    int8_t av[] = {-128, -20, 5}, bv[] = {-21}, want[] = {-20, -20, 5, -20};
    if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, want, 4);
    g_done(&g);
}

TFLC_TEST(concat_empty_input) {
    struct g g;
    g_begin(&g);
    int a = g_input(&g, "a", F32, 2, D(2, 0), 0, 0), b = g_input(&g, "b", F32, 2, D(2, 2), 0, 0);
    int y = g_output(&g, "y", F32, 2, D(2, 2), 0, 0);
    g_op(&g, OP(CONCATENATION), 1, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, 1, 0));
    float bv[] = {1, 2, 3, 4};
    if (g_run(&g, (const void *[]){NULL, bv}) == TFLC_STATUS_OK) EXPECT_ARRAY(float, g_out(&g, 0)->data, bv, 4);
    g_done(&g);
}

TFLC_TEST(concat_bad_models) {
    struct g g;
    g_begin(&g); /* dims differ outside the axis */
    int a = g_input(&g, "a", F32, 2, D(2, 3), 0, 0), b = g_input(&g, "b", F32, 2, D(3, 3), 0, 0);
    int y = g_output(&g, "y", F32, 2, D(2, 6), 0, 0);
    g_op(&g, OP(CONCATENATION), 1, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, 1, 0));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "does not match input 0");
    g_done(&g);
    g_begin(&g); /* mixed dtypes */
    a = g_input(&g, "a", F32, 1, D(2), 0, 0);
    b = g_input(&g, "b", I32, 1, D(2), 0, 0);
    y = g_output(&g, "y", F32, 1, D(4), 0, 0);
    g_op(&g, OP(CONCATENATION), 1, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, 0, 0));
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "CONCATENATION v1): no kernel for these types (inputs FLOAT32,INT32");
    g_done(&g);
    g_begin(&g); /* axis out of range */
    a = g_input(&g, "a", F32, 1, D(2), 0, 0);
    y = g_output(&g, "y", F32, 1, D(2), 0, 0);
    g_op(&g, OP(CONCATENATION), 1, (int32_t[]){a}, 1, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, 1, 0));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "axis 1 is out of range");
    g_done(&g);
    g_begin(&g); /* v4 (uint32) is newer than implemented */
    a = g_input(&g, "a", F32, 1, D(2), 0, 0);
    y = g_output(&g, "y", F32, 1, D(2), 0, 0);
    g_op(&g, OP(CONCATENATION), 4, (int32_t[]){a}, 1, (int32_t[]){y}, 1, OPT(CONCATENATION_OPTIONS), concat_opts(&g, 0, 0));
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "CONCATENATION v4 is newer than the v3");
    g_done(&g);
}

/* ---- RESHAPE / SQUEEZE / EXPAND_DIMS / SHAPE ---- */

static uint32_t reshape_opts(struct g *g, int n, const int32_t *shape) {
    struct tflc_fbb *f = g_fbb(g);
    uint32_t v = n >= 0 ? tflc_fbb_vector(f, shape, (size_t)n, 4, 4) : 0;
    tflc_fbb_table_start(f);
    if (n >= 0) tflc_fbb_add_offset(f, TFLC_TFL_RESHAPE_OPTIONS_NEW_SHAPE, v);
    return tflc_fbb_table_end(f);
}

TFLC_TEST(reshape_minus1_and_copy) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I16, 3, D(2, 3, 2), 0, 0);
    int s = g_i32(&g, "shape", 1, D(2), D(-1, 4));
    int y = g_output(&g, "y", I16, 2, D(3, 4), 0, 0);
    g_op(&g, OP(RESHAPE), 1, (int32_t[]){x, s}, 2, (int32_t[]){y}, 1, OPT(RESHAPE_OPTIONS), reshape_opts(&g, -1, NULL));
    int16_t v[12] = {1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12};
    if (g_run(&g, (const void *[]){v}) == TFLC_STATUS_OK) {
        expect_shape(&g, 0, 2, D(3, 4));
        EXPECT_ARRAY(int16_t, g_out(&g, 0)->data, v, 12);
    }
    g_done(&g);
}

TFLC_TEST(reshape_bad_models) {
    struct g g;
    g_begin(&g); /* element count mismatch */
    int x = g_input(&g, "x", F32, 2, D(2, 3), 0, 0);
    int y = g_output(&g, "y", F32, 2, D(4, 2), 0, 0);
    g_op(&g, OP(RESHAPE), 1, (int32_t[]){x}, 1, (int32_t[]){y}, 1, OPT(RESHAPE_OPTIONS), reshape_opts(&g, 2, D(4, 2)));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "cannot reshape 'x' (6 elements) to [4,2]: element count differs");
    g_done(&g);
    g_begin(&g); /* two -1 */
    x = g_input(&g, "x", F32, 2, D(2, 3), 0, 0);
    y = g_output(&g, "y", F32, 2, D(2, 3), 0, 0);
    g_op(&g, OP(RESHAPE), 1, (int32_t[]){x}, 1, (int32_t[]){y}, 1, OPT(RESHAPE_OPTIONS), reshape_opts(&g, 2, D(-1, -1)));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "more than one -1");
    g_done(&g);
    g_begin(&g); /* -1 that cannot divide */
    x = g_input(&g, "x", F32, 1, D(7), 0, 0);
    y = g_output(&g, "y", F32, 2, D(2, 3), 0, 0);
    g_op(&g, OP(RESHAPE), 1, (int32_t[]){x}, 1, (int32_t[]){y}, 1, OPT(RESHAPE_OPTIONS), reshape_opts(&g, 2, D(2, -1)));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "element count differs");
    g_done(&g);
    g_begin(&g); /* three inputs */
    x = g_input(&g, "x", F32, 1, D(6), 0, 0);
    int s = g_i32(&g, "shape", 1, D(2), D(2, 3));
    y = g_output(&g, "y", F32, 2, D(2, 3), 0, 0);
    g_op(&g, OP(RESHAPE), 1, (int32_t[]){x, s, s}, 3, (int32_t[]){y}, 1, OPT(RESHAPE_OPTIONS), reshape_opts(&g, -1, NULL));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "has 3 inputs, expected 1..2");
    g_done(&g);
    g_begin(&g); /* a type with no kernel */
    x = g_input(&g, "x", TFLC_DTYPE_FLOAT16, 1, D(6), 0, 0);
    y = g_output(&g, "y", TFLC_DTYPE_FLOAT16, 2, D(2, 3), 0, 0);
    g_op(&g, OP(RESHAPE), 1, (int32_t[]){x}, 1, (int32_t[]){y}, 1, OPT(RESHAPE_OPTIONS), reshape_opts(&g, 2, D(2, 3)));
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "RESHAPE v1): no kernel for these types (inputs FLOAT16");
    g_done(&g);
}

TFLC_TEST(reshape_runtime_shape_wrong_values) {
    /* The shape is a graph input: planned with the declared [3,4]; values [4,3] at run time
     * are refused by eval, values [-1,4] accepted. */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 1, D(12), 0, 0);
    int s = g_input(&g, "shape", I32, 1, D(2), 0, 0);
    int y = g_output(&g, "y", F32, 2, D(3, 4), 0, 0);
    g_op(&g, OP(RESHAPE), 1, (int32_t[]){x, s}, 2, (int32_t[]){y}, 1, OPT(RESHAPE_OPTIONS), reshape_opts(&g, -1, NULL));
    float v[12] = {0};
    int32_t bad[2] = {4, 3}, good[2] = {-1, 4};
    enum tflc_status st = g_run(&g, (const void *[]){v, bad});
    TFLC_EXPECT_EQ_INT(st, TFLC_STATUS_INVALID_ARGUMENT);
    TFLC_EXPECT_STR_CONTAINS(g.diag.msg, "shape tensor 'shape' asks for [4,3], the planned output is [3,4]");
    if (g.it) {
        memcpy(tflc_interp_input(g.it, 1)->data, good, sizeof good);
        TFLC_EXPECT_EQ_INT(tflc_interp_invoke(g.it, &g.diag), TFLC_STATUS_OK);
    }
    g_done(&g);
}

TFLC_TEST(squeeze_and_expand_dims) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 4, D(1, 2, 1, 3), 0, 0);
    int m = g_tensor(&g, "m", F32, 2, D(2, 3), NULL, 0, 0);
    int a = g_i32(&g, "axis", 0, NULL, D(-2));
    int y = g_output(&g, "y", F32, 3, D(2, 1, 3), 0, 0);
    struct tflc_fbb *f = g_fbb(&g);
    uint32_t v = tflc_fbb_vector(f, D(0, -2), 2, 4, 4);
    tflc_fbb_table_start(f);
    tflc_fbb_add_offset(f, TFLC_TFL_SQUEEZE_OPTIONS_SQUEEZE_DIMS, v);
    uint32_t o = tflc_fbb_table_end(f);
    g_op(&g, OP(SQUEEZE), 1, (int32_t[]){x}, 1, (int32_t[]){m}, 1, OPT(SQUEEZE_OPTIONS), o);
    g_op(&g, OP(EXPAND_DIMS), 1, (int32_t[]){m, a}, 2, (int32_t[]){y}, 1, OPT(EXPAND_DIMS_OPTIONS), g_empty_options(&g));
    float xv[6] = {1, 2, 3, 4, 5, 6};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) {
        expect_shape(&g, 0, 3, D(2, 1, 3));
        EXPECT_ARRAY(float, g_out(&g, 0)->data, xv, 6);
    }
    g_done(&g);
}

TFLC_TEST(squeeze_expand_dims_bad_models) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 2, D(1, 3), 0, 0);
    int y = g_output(&g, "y", F32, 1, D(3), 0, 0);
    struct tflc_fbb *f = g_fbb(&g);
    uint32_t v = tflc_fbb_vector(f, D(1), 1, 4, 4);
    tflc_fbb_table_start(f);
    tflc_fbb_add_offset(f, TFLC_TFL_SQUEEZE_OPTIONS_SQUEEZE_DIMS, v);
    g_op(&g, OP(SQUEEZE), 1, (int32_t[]){x}, 1, (int32_t[]){y}, 1, OPT(SQUEEZE_OPTIONS), tflc_fbb_table_end(f));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "cannot squeeze dim 1 of 'x': its size is 3");
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", F32, 2, D(2, 3), 0, 0);
    int a = g_i32(&g, "axis", 1, D(1), D(4));
    y = g_output(&g, "y", F32, 3, D(2, 3, 1), 0, 0);
    g_op(&g, OP(EXPAND_DIMS), 1, (int32_t[]){x, a}, 2, (int32_t[]){y}, 1, OPT(EXPAND_DIMS_OPTIONS), g_empty_options(&g));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "axis 4 is out of range for input rank 2");
    g_done(&g);
}

TFLC_TEST(shape_values) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", U8, 3, D(4, 1, 7), 0, 0);
    int y = g_output(&g, "y", I64, 1, D(3), 0, 0);
    tflc_fbb_table_start(g_fbb(&g));
    tflc_fbb_add_i8(g_fbb(&g), TFLC_TFL_SHAPE_OPTIONS_OUT_TYPE, I64, 0);
    g_op(&g, OP(SHAPE), 1, (int32_t[]){x}, 1, (int32_t[]){y}, 1, OPT(SHAPE_OPTIONS), tflc_fbb_table_end(g_fbb(&g)));
    uint8_t xv[28] = {0};
    int64_t want[3] = {4, 1, 7};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int64_t, g_out(&g, 0)->data, want, 3);
    g_done(&g);
}

/* ---- TRANSPOSE ---- */

TFLC_TEST(transpose_6d_v6) {
    /* TFLite's v6 (rank 6) is newer than Google's 2022 runtime: check against the index
     * formula out[i0..i5] = in[j] with j_d = i at the position perm maps to d. */
    static const int32_t dims[6] = {2, 1, 3, 2, 2, 3}, perm[6] = {5, 3, 0, 4, 1, 2};
    int32_t od[6];
    for (int d = 0; d < 6; d++) od[d] = dims[perm[d]];
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I16, 6, dims, 0, 0);
    int p = g_i32(&g, "perm", 1, D(6), perm);
    int y = g_output(&g, "y", I16, 6, od, 0, 0);
    g_op(&g, OP(TRANSPOSE), 6, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, OPT(TRANSPOSE_OPTIONS), g_empty_options(&g));
    int16_t in[72], want[72];
    for (int i = 0; i < 72; i++) in[i] = (int16_t)(i * 7 - 500);
    int ist[6], n = 0;
    ist[5] = 1;
    for (int d = 4; d >= 0; d--) ist[d] = ist[d + 1] * dims[d + 1];
    int i[6];
    for (i[0] = 0; i[0] < od[0]; i[0]++)
        for (i[1] = 0; i[1] < od[1]; i[1]++)
            for (i[2] = 0; i[2] < od[2]; i[2]++)
                for (i[3] = 0; i[3] < od[3]; i[3]++)
                    for (i[4] = 0; i[4] < od[4]; i[4]++)
                        for (i[5] = 0; i[5] < od[5]; i[5]++) {
                            int off = 0;
                            for (int d = 0; d < 6; d++) off += i[d] * ist[perm[d]];
                            want[n++] = in[off];
                        }
    if (g_run(&g, (const void *[]){in}) == TFLC_STATUS_OK) {
        expect_shape(&g, 0, 6, od);
        EXPECT_ARRAY(int16_t, g_out(&g, 0)->data, want, 72);
        TFLC_EXPECT_EQ_INT(n, 72);
    }
    g_done(&g);
}

TFLC_TEST(transpose_bad_perm) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 3, D(2, 3, 4), 0, 0);
    int p = g_i32(&g, "perm", 1, D(3), D(0, 2, 2));
    int y = g_output(&g, "y", F32, 3, D(2, 4, 4), 0, 0);
    g_op(&g, OP(TRANSPOSE), 1, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, OPT(TRANSPOSE_OPTIONS), g_empty_options(&g));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "perm tensor 'perm': a permutation entry repeats");
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", F32, 3, D(2, 3, 4), 0, 0);
    p = g_i32(&g, "perm", 1, D(2), D(1, 0));
    y = g_output(&g, "y", F32, 3, D(2, 3, 4), 0, 0);
    g_op(&g, OP(TRANSPOSE), 1, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, OPT(TRANSPOSE_OPTIONS), g_empty_options(&g));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "must be 1-D with 3 entries");
    g_done(&g);
}

/* ---- PAD / PADV2 ---- */

TFLC_TEST(pad_int64_paddings_by_hand) {
    /* [[1,2],[3,4]] padded (1,0) rows, (0,2) cols with 0:
     * [[0,0,0,0],[1,2,0,0],[3,4,0,0]] */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 2, D(2, 2), 0, 0);
    int64_t pv[4] = {1, 0, 0, 2};
    int p = g_tensor(&g, "pads", I64, 2, D(2, 2), pv, 0, 0);
    int y = g_output(&g, "y", F32, 2, D(3, 4), 0, 0);
    g_op(&g, OP(PAD), 1, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, OPT(PAD_OPTIONS), g_empty_options(&g));
    float xv[4] = {1, 2, 3, 4}, want[12] = {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) {
        expect_shape(&g, 0, 2, D(3, 4));
        EXPECT_ARRAY(float, g_out(&g, 0)->data, want, 12);
    }
    g_done(&g);
}

TFLC_TEST(pad_s8_pads_with_zero_point_padv2_with_value) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I8, 1, D(2), 0.1f, -7);
    int p = g_i32(&g, "pads", 2, D(1, 2), D(2, 1));
    int y = g_output(&g, "y", I8, 1, D(5), 0.1f, -7);
    g_op(&g, OP(PAD), 2, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, OPT(PAD_OPTIONS), g_empty_options(&g));
    int8_t xv[2] = {100, -100}, want[5] = {-7, -7, 100, -100, -7};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, want, 5);
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", I8, 1, D(2), 0.1f, -7);
    p = g_i32(&g, "pads", 2, D(1, 2), D(1, 2));
    int8_t cvv = 42;
    int cv = g_tensor(&g, "cv", I8, 0, NULL, &cvv, 0.1f, -7);
    y = g_output(&g, "y", I8, 1, D(5), 0.1f, -7);
    g_op(&g, OP(PADV2), 2, (int32_t[]){x, p, cv}, 3, (int32_t[]){y}, 1, OPT(PAD_V2OPTIONS), g_empty_options(&g));
    int8_t want2[5] = {42, 100, -100, 42, 42};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, want2, 5);
    g_done(&g);
}

TFLC_TEST(pad_bad_models) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 2, D(2, 2), 0, 0);
    int p = g_i32(&g, "pads", 2, D(2, 2), D(0, -1, 0, 0));
    int y = g_output(&g, "y", F32, 2, D(1, 2), 0, 0);
    g_op(&g, OP(PAD), 1, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, OPT(PAD_OPTIONS), g_empty_options(&g));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "paddings must be >= 0");
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", F32, 2, D(2, 2), 0, 0);
    p = g_i32(&g, "pads", 2, D(3, 2), D(0, 0, 0, 0, 0, 0));
    y = g_output(&g, "y", F32, 2, D(2, 2), 0, 0);
    g_op(&g, OP(PAD), 1, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, OPT(PAD_OPTIONS), g_empty_options(&g));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "must have shape [2,2]");
    g_done(&g);
    g_begin(&g); /* PADV2 constant with another quantization */
    x = g_input(&g, "x", U8, 1, D(2), 0.1f, 3);
    p = g_i32(&g, "pads", 2, D(1, 2), D(1, 1));
    uint8_t cvv = 9;
    int cv = g_tensor(&g, "cv", U8, 0, NULL, &cvv, 0.2f, 3);
    y = g_output(&g, "y", U8, 1, D(4), 0.1f, 3);
    g_op(&g, OP(PADV2), 1, (int32_t[]){x, p, cv}, 3, (int32_t[]){y}, 1, OPT(PAD_V2OPTIONS), g_empty_options(&g));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "constant_values 'cv' must have the output's scale and zero point");
    g_done(&g);
}

TFLC_TEST(pad_runtime_paddings_wrong) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 1, D(3), 0, 0);
    int p = g_input(&g, "pads", I32, 2, D(1, 2), 0, 0);
    int y = g_output(&g, "y", F32, 1, D(5), 0, 0);
    g_op(&g, OP(PAD), 1, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, OPT(PAD_OPTIONS), g_empty_options(&g));
    float xv[3] = {1, 2, 3};
    int32_t bad[2] = {2, 1};
    TFLC_EXPECT_EQ_INT(g_run(&g, (const void *[]){xv, bad}), TFLC_STATUS_INVALID_ARGUMENT);
    TFLC_EXPECT_STR_CONTAINS(g.diag.msg, "gives shape [6], the planned output is [5]");
    g_done(&g);
}

/* ---- SLICE / STRIDED_SLICE ---- */

TFLC_TEST(slice_by_hand_and_bad) {
    /* TF docs: t = [[[1,1,1],[2,2,2]],[[3,3,3],[4,4,4]],[[5,5,5],[6,6,6]]];
     * slice(t, [1,0,0], [1,2,3]) = [[[3,3,3],[4,4,4]]] */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I32, 3, D(3, 2, 3), 0, 0);
    int b = g_i32(&g, "begin", 1, D(3), D(1, 0, 0)), s = g_i32(&g, "size", 1, D(3), D(1, 2, 3));
    int y = g_output(&g, "y", I32, 3, D(1, 2, 3), 0, 0);
    g_op(&g, OP(SLICE), 1, (int32_t[]){x, b, s}, 3, (int32_t[]){y}, 1, OPT(SLICE_OPTIONS), g_empty_options(&g));
    int32_t t[18] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6}, want[6] = {3, 3, 3, 4, 4, 4};
    if (g_run(&g, (const void *[]){t}) == TFLC_STATUS_OK) EXPECT_ARRAY(int32_t, g_out(&g, 0)->data, want, 6);
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", I32, 1, D(4), 0, 0);
    b = g_i32(&g, "begin", 1, D(1), D(2));
    s = g_i32(&g, "size", 1, D(1), D(3));
    y = g_output(&g, "y", I32, 1, D(3), 0, 0);
    g_op(&g, OP(SLICE), 1, (int32_t[]){x, b, s}, 3, (int32_t[]){y}, 1, OPT(SLICE_OPTIONS), g_empty_options(&g));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "begin + size exceeds the input dim");
    g_done(&g);
}

struct ssopt {
    int bm, em, elm, nam, sam;
    bool offset;
};
static uint32_t ss_opts(struct g *g, struct ssopt o) {
    struct tflc_fbb *f = g_fbb(g);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_BEGIN_MASK, o.bm, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_END_MASK, o.em, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_ELLIPSIS_MASK, o.elm, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_NEW_AXIS_MASK, o.nam, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_SHRINK_AXIS_MASK, o.sam, 0);
    tflc_fbb_add_bool(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_OFFSET, o.offset, false);
    return tflc_fbb_table_end(f);
}

/* STRIDED_SLICE of the TF-docs tensor t (shape [3,2,3]) with constant begin/end/strides. */
static void ss_docs(int n, const int32_t *b, const int32_t *e, const int32_t *s, struct ssopt o, int version, int ro,
                    const int32_t *dout, const int32_t *want, enum tflc_status want_st, const char *msg) {
    static const int32_t t[18] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6};
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I32, 3, D(3, 2, 3), 0, 0);
    int tb = g_i32(&g, "begin", 1, D(n), b), te = g_i32(&g, "end", 1, D(n), e), ts = g_i32(&g, "strides", 1, D(n), s);
    int y = g_output(&g, "y", I32, ro, dout, 0, 0);
    g_op(&g, OP(STRIDED_SLICE), version, (int32_t[]){x, tb, te, ts}, 4, (int32_t[]){y}, 1, OPT(STRIDED_SLICE_OPTIONS), ss_opts(&g, o));
    if (want_st != TFLC_STATUS_OK) {
        expect_refused(&g, want_st, msg);
    } else if (g_run(&g, (const void *[]){t}) == TFLC_STATUS_OK) {
        expect_shape(&g, 0, ro, dout);
        size_t n_out = 1;
        for (int i = 0; i < ro; i++) n_out *= (size_t)dout[i];
        EXPECT_ARRAY(int32_t, g_out(&g, 0)->data, want, n_out);
    }
    g_done(&g);
}

TFLC_TEST(strided_slice_tf_docs_examples) {
    /* tf.strided_slice(t, [1, 0, 0], [2, 1, 3], [1, 1, 1]) = [[[3, 3, 3]]] */
    ss_docs(3, D(1, 0, 0), D(2, 1, 3), D(1, 1, 1), (struct ssopt){0}, 1, 3, D(1, 1, 3), D(3, 3, 3), TFLC_STATUS_OK, NULL);
    /* tf.strided_slice(t, [1, 0, 0], [2, 2, 3], [1, 1, 1]) = [[[3, 3, 3], [4, 4, 4]]] */
    ss_docs(3, D(1, 0, 0), D(2, 2, 3), D(1, 1, 1), (struct ssopt){0}, 1, 3, D(1, 2, 3), D(3, 3, 3, 4, 4, 4), TFLC_STATUS_OK, NULL);
    /* tf.strided_slice(t, [1, -1, 0], [2, -3, 3], [1, -1, 1]) = [[[4, 4, 4], [3, 3, 3]]] */
    ss_docs(3, D(1, -1, 0), D(2, -3, 3), D(1, -1, 1), (struct ssopt){0}, 1, 3, D(1, 2, 3), D(4, 4, 4, 3, 3, 3), TFLC_STATUS_OK, NULL);
    /* t[-1, :, 1] (shrink 0 and 2, begin/end mask on 1) = [6, 6]... t[2] = [[5,5,5],[6,6,6]] -> [5, 6] */
    ss_docs(3, D(-1, 0, 1), D(0, 0, 2), D(1, 1, 1), (struct ssopt){.bm = 2, .em = 2, .sam = 5}, 1, 1, D(2), D(5, 6), TFLC_STATUS_OK,
            NULL);
    /* t[..., 2] with ellipsis: shape [3,2] = [[1,2],[3,4],[5,6]] */
    ss_docs(2, D(0, 2), D(0, 3), D(1, 1), (struct ssopt){.elm = 1, .sam = 2}, 6, 2, D(3, 2), D(1, 2, 3, 4, 5, 6), TFLC_STATUS_OK, NULL);
    /* t[newaxis, 0] -> [1,2,3] = [[[1,1,1],[2,2,2]]] */
    ss_docs(2, D(0, 0), D(1, 1), D(1, 1), (struct ssopt){.nam = 1, .sam = 2}, 6, 3, D(1, 2, 3), D(1, 1, 1, 2, 2, 2), TFLC_STATUS_OK,
            NULL);
    /* offset (v8): end is a size relative to begin: begin [1,1,0], sizes [2,1,2] -> t[1:3, 1:2, 0:2] */
    ss_docs(3, D(1, 1, 0), D(2, 1, 2), D(1, 1, 1), (struct ssopt){.offset = true}, 8, 3, D(2, 1, 2), D(4, 4, 6, 6), TFLC_STATUS_OK, NULL);
}

TFLC_TEST(strided_slice_bad_models) {
    ss_docs(3, D(0, 0, 0), D(1, 1, 1), D(1, 0, 1), (struct ssopt){0}, 1, 3, D(1, 1, 1), NULL, TFLC_STATUS_INVALID_MODEL, "stride is 0");
    ss_docs(3, D(5, 0, 0), D(6, 1, 1), D(1, 1, 1), (struct ssopt){.sam = 1}, 1, 2, D(1, 1), NULL, TFLC_STATUS_INVALID_MODEL,
            "a shrink axis takes no element");
    ss_docs(3, D(1, 0, 0), D(2, 1, 1), D(1, 1, 1), (struct ssopt){0}, 9, 3, D(1, 1, 1), NULL, TFLC_STATUS_UNSUPPORTED,
            "STRIDED_SLICE v9 is newer than the v8");
}

/* ---- SPLIT / PACK / UNPACK ---- */

TFLC_TEST(split_pack_unpack_by_hand) {
    /* x = [[1,2,3,4],[5,6,7,8]] split in 2 along axis 1: [[1,2],[5,6]], [[3,4],[7,8]];
     * packed along axis 0: [[[1,2],[5,6]],[[3,4],[7,8]]] = x' [2,2,2];
     * unpacked along axis 2: [[1,5],[3,7]], [[2,6],[4,8]] */
    struct g g;
    g_begin(&g);
    int a = g_i32(&g, "axis", 0, NULL, D(1));
    int x = g_input(&g, "x", I8, 2, D(2, 4), 0, 0);
    int s0 = g_tensor(&g, "s0", I8, 2, D(2, 2), NULL, 0, 0), s1 = g_tensor(&g, "s1", I8, 2, D(2, 2), NULL, 0, 0);
    int p = g_tensor(&g, "p", I8, 3, D(2, 2, 2), NULL, 0, 0);
    int u0 = g_output(&g, "u0", I8, 2, D(2, 2), 0, 0), u1 = g_output(&g, "u1", I8, 2, D(2, 2), 0, 0);
    struct tflc_fbb *f = g_fbb(&g);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_SPLIT_OPTIONS_NUM_SPLITS, 2, 0);
    g_op(&g, OP(SPLIT), 2, (int32_t[]){a, x}, 2, (int32_t[]){s0, s1}, 2, OPT(SPLIT_OPTIONS), tflc_fbb_table_end(f));
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_PACK_OPTIONS_VALUES_COUNT, 2, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_PACK_OPTIONS_AXIS, 0, 0);
    g_op(&g, OP(PACK), 2, (int32_t[]){s0, s1}, 2, (int32_t[]){p}, 1, OPT(PACK_OPTIONS), tflc_fbb_table_end(f));
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_UNPACK_OPTIONS_NUM, 2, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_UNPACK_OPTIONS_AXIS, -1, 0);
    g_op(&g, OP(UNPACK), 2, (int32_t[]){p}, 1, (int32_t[]){u0, u1}, 2, OPT(UNPACK_OPTIONS), tflc_fbb_table_end(f));
    int8_t xv[8] = {1, 2, 3, 4, 5, 6, 7, 8}, w0[4] = {1, 5, 3, 7}, w1[4] = {2, 6, 4, 8};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) {
        EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, w0, 4);
        EXPECT_ARRAY(int8_t, g_out(&g, 1)->data, w1, 4);
    }
    g_done(&g);
}

TFLC_TEST(split_pack_bad_models) {
    struct g g;
    g_begin(&g);
    int a = g_i32(&g, "axis", 0, NULL, D(0));
    int x = g_input(&g, "x", F32, 1, D(5), 0, 0);
    int y0 = g_output(&g, "y0", F32, 1, D(2), 0, 0), y1 = g_output(&g, "y1", F32, 1, D(2), 0, 0);
    tflc_fbb_table_start(g_fbb(&g));
    tflc_fbb_add_i32(g_fbb(&g), TFLC_TFL_SPLIT_OPTIONS_NUM_SPLITS, 2, 0);
    g_op(&g, OP(SPLIT), 1, (int32_t[]){a, x}, 2, (int32_t[]){y0, y1}, 2, OPT(SPLIT_OPTIONS), tflc_fbb_table_end(g_fbb(&g)));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "does not split evenly");
    g_done(&g);
    g_begin(&g);
    int p0 = g_input(&g, "p0", F32, 1, D(2), 0, 0), p1 = g_input(&g, "p1", F32, 1, D(3), 0, 0);
    int y = g_output(&g, "y", F32, 2, D(2, 2), 0, 0);
    tflc_fbb_table_start(g_fbb(&g));
    tflc_fbb_add_i32(g_fbb(&g), TFLC_TFL_PACK_OPTIONS_VALUES_COUNT, 2, 0);
    g_op(&g, OP(PACK), 1, (int32_t[]){p0, p1}, 2, (int32_t[]){y}, 1, OPT(PACK_OPTIONS), tflc_fbb_table_end(g_fbb(&g)));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "input 1 'p1' [3] differs from input 0 'p0' [2]");
    g_done(&g);
    g_begin(&g);
    p0 = g_input(&g, "p0", I8, 1, D(2), 0.5f, 0);
    p1 = g_input(&g, "p1", I8, 1, D(2), 0.25f, 0);
    y = g_output(&g, "y", I8, 2, D(2, 2), 0.5f, 0);
    tflc_fbb_table_start(g_fbb(&g));
    tflc_fbb_add_i32(g_fbb(&g), TFLC_TFL_PACK_OPTIONS_VALUES_COUNT, 2, 0);
    g_op(&g, OP(PACK), 2, (int32_t[]){p0, p1}, 2, (int32_t[]){y}, 1, OPT(PACK_OPTIONS), tflc_fbb_table_end(g_fbb(&g)));
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "input 1 'p1' is quantized differently");
    g_done(&g);
}

/* ---- GATHER ---- */

static uint32_t gather_opts(struct g *g, int axis, int bd) {
    tflc_fbb_table_start(g_fbb(g));
    tflc_fbb_add_i32(g_fbb(g), TFLC_TFL_GATHER_OPTIONS_AXIS, axis, 0);
    tflc_fbb_add_i32(g_fbb(g), TFLC_TFL_GATHER_OPTIONS_BATCH_DIMS, bd, 0);
    return tflc_fbb_table_end(g_fbb(g));
}

TFLC_TEST(gather_by_hand_and_batch_dims) {
    /* params [[1,2,3],[4,5,6]], axis 1, indices [2,0,2] -> [[3,1,3],[6,4,6]] */
    struct g g;
    g_begin(&g);
    int p = g_input(&g, "p", F32, 2, D(2, 3), 0, 0), ix = g_input(&g, "ix", I64, 1, D(3), 0, 0);
    int y = g_output(&g, "y", F32, 2, D(2, 3), 0, 0);
    g_op(&g, OP(GATHER), 1, (int32_t[]){p, ix}, 2, (int32_t[]){y}, 1, OPT(GATHER_OPTIONS), gather_opts(&g, 1, 0));
    float pv[6] = {1, 2, 3, 4, 5, 6}, want[6] = {3, 1, 3, 6, 4, 6};
    int64_t iv[3] = {2, 0, 2};
    if (g_run(&g, (const void *[]){pv, iv}) == TFLC_STATUS_OK) EXPECT_ARRAY(float, g_out(&g, 0)->data, want, 6);
    g_done(&g);
    /* batch_dims 1: params [2,3], indices [[1,1],[0,2]] per row -> [[2,2],[4,6]] */
    g_begin(&g);
    p = g_input(&g, "p", F32, 2, D(2, 3), 0, 0);
    ix = g_input(&g, "ix", I32, 2, D(2, 2), 0, 0);
    y = g_output(&g, "y", F32, 2, D(2, 2), 0, 0);
    g_op(&g, OP(GATHER), 5, (int32_t[]){p, ix}, 2, (int32_t[]){y}, 1, OPT(GATHER_OPTIONS), gather_opts(&g, 1, 1));
    int32_t iv2[4] = {1, 1, 0, 2};
    float want2[4] = {2, 2, 4, 6};
    if (g_run(&g, (const void *[]){pv, iv2}) == TFLC_STATUS_OK) EXPECT_ARRAY(float, g_out(&g, 0)->data, want2, 4);
    g_done(&g);
}

TFLC_TEST(gather_index_out_of_range_at_run_time) {
    struct g g;
    g_begin(&g);
    int p = g_input(&g, "p", I8, 2, D(4, 2), 0, 0), ix = g_input(&g, "ix", I32, 1, D(3), 0, 0);
    int y = g_output(&g, "y", I8, 2, D(3, 2), 0, 0);
    g_op(&g, OP(GATHER), 2, (int32_t[]){p, ix}, 2, (int32_t[]){y}, 1, OPT(GATHER_OPTIONS), gather_opts(&g, 0, 0));
    int8_t pv[8] = {0};
    int32_t bad[3] = {0, 4, 1}, neg[3] = {-1, 0, 0};
    TFLC_EXPECT_EQ_INT(g_run(&g, (const void *[]){pv, bad}), TFLC_STATUS_INVALID_ARGUMENT);
    TFLC_EXPECT_STR_CONTAINS(g.diag.msg, "GATHER v2): index 4 at position 1 of 'ix' is outside [0, 4)");
    if (g.it) {
        memcpy(tflc_interp_input(g.it, 1)->data, neg, sizeof neg);
        TFLC_EXPECT_EQ_INT(tflc_interp_invoke(g.it, &g.diag), TFLC_STATUS_INVALID_ARGUMENT);
        TFLC_EXPECT_STR_CONTAINS(g.diag.msg, "index -1 at position 0");
    }
    g_done(&g);
}

TFLC_TEST(gather_bad_models_and_empty) {
    struct g g;
    g_begin(&g);
    int p = g_input(&g, "p", F32, 2, D(2, 3), 0, 0), ix = g_input(&g, "ix", I32, 2, D(3, 2), 0, 0);
    int y = g_output(&g, "y", F32, 2, D(3, 2), 0, 0);
    g_op(&g, OP(GATHER), 5, (int32_t[]){p, ix}, 2, (int32_t[]){y}, 1, OPT(GATHER_OPTIONS), gather_opts(&g, 1, 1));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "batch dim 0 differs");
    g_done(&g);
    g_begin(&g);
    p = g_input(&g, "p", F32, 2, D(2, 3), 0, 0);
    ix = g_input(&g, "ix", TFLC_DTYPE_FLOAT32, 1, D(2), 0, 0);
    y = g_output(&g, "y", F32, 2, D(2, 3), 0, 0);
    g_op(&g, OP(GATHER), 1, (int32_t[]){p, ix}, 2, (int32_t[]){y}, 1, OPT(GATHER_OPTIONS), gather_opts(&g, 0, 0));
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "GATHER v1): no kernel for these types (inputs FLOAT32,FLOAT32");
    g_done(&g);
    g_begin(&g); /* empty indices: empty output, nothing read */
    p = g_input(&g, "p", F32, 2, D(2, 3), 0, 0);
    ix = g_input(&g, "ix", I32, 1, D(0), 0, 0);
    y = g_output(&g, "y", F32, 2, D(0, 3), 0, 0);
    g_op(&g, OP(GATHER), 1, (int32_t[]){p, ix}, 2, (int32_t[]){y}, 1, OPT(GATHER_OPTIONS), gather_opts(&g, 0, 0));
    float pv[6] = {0};
    if (g_run(&g, (const void *[]){pv, NULL}) == TFLC_STATUS_OK) expect_shape(&g, 0, 2, D(0, 3));
    g_done(&g);
}

/* ---- RESIZE ---- */

static uint32_t resize_opts(struct g *g, bool nn, bool ac, bool hp) {
    tflc_fbb_table_start(g_fbb(g));
    tflc_fbb_add_bool(g_fbb(g), nn ? TFLC_TFL_RESIZE_NEAREST_NEIGHBOR_OPTIONS_ALIGN_CORNERS : TFLC_TFL_RESIZE_BILINEAR_OPTIONS_ALIGN_CORNERS,
                      ac, false);
    tflc_fbb_add_bool(g_fbb(g),
                      nn ? TFLC_TFL_RESIZE_NEAREST_NEIGHBOR_OPTIONS_HALF_PIXEL_CENTERS : TFLC_TFL_RESIZE_BILINEAR_OPTIONS_HALF_PIXEL_CENTERS,
                      hp, false);
    return tflc_fbb_table_end(g_fbb(g));
}

/* 1x1xWx1 -> 1x1xOWx1 resize of `in` (dtype t). */
static void resize_row(int32_t code, enum tflc_dtype t, bool ac, bool hp, int w, const void *in, int ow, const void *want) {
    bool nn = code == OP(RESIZE_NEAREST_NEIGHBOR);
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", t, 4, D(1, 1, w, 1), t == F32 ? 0 : 0.5f, 0);
    int s = g_i32(&g, "size", 1, D(2), D(1, ow));
    int y = g_output(&g, "y", t, 4, D(1, 1, ow, 1), t == F32 ? 0 : 0.5f, 0);
    int v = t == I16 ? 4 : (ac || hp) ? 3 : t == I8 ? 2 : 1;
    g_op(&g, code, v, (int32_t[]){x, s}, 2, (int32_t[]){y}, 1, nn ? OPT(RESIZE_NEAREST_NEIGHBOR_OPTIONS) : OPT(RESIZE_BILINEAR_OPTIONS),
         resize_opts(&g, nn, ac, hp));
    if (g_run(&g, (const void *[]){in}) == TFLC_STATUS_OK) {
        if (t == F32) EXPECT_ARRAY(float, g_out(&g, 0)->data, (const float *)want, (size_t)ow);
        if (t == I8) EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, (const int8_t *)want, (size_t)ow);
        if (t == U8) EXPECT_ARRAY(uint8_t, g_out(&g, 0)->data, (const uint8_t *)want, (size_t)ow);
        if (t == I16) EXPECT_ARRAY(int16_t, g_out(&g, 0)->data, (const int16_t *)want, (size_t)ow);
    }
    g_done(&g);
}

TFLC_TEST(resize_nearest_by_hand) {
    /* width 3 -> 5. plain: floor(v * 0.6) = 0,0,1,1,2; align_corners: round(v * 0.5) =
     * 0,1,1,2,2 (halves away from zero); half_pixel: floor((v + .5) * 0.6) = 0,0,1,2,2 */
    int8_t in[3] = {10, 20, 30};
    resize_row(OP(RESIZE_NEAREST_NEIGHBOR), I8, false, false, 3, in, 5, (int8_t[]){10, 10, 20, 20, 30});
    resize_row(OP(RESIZE_NEAREST_NEIGHBOR), I8, true, false, 3, in, 5, (int8_t[]){10, 20, 20, 30, 30});
    resize_row(OP(RESIZE_NEAREST_NEIGHBOR), I8, false, true, 3, in, 5, (int8_t[]){10, 10, 20, 30, 30});
    float fin[3] = {1.5f, -2, 8};
    resize_row(OP(RESIZE_NEAREST_NEIGHBOR), F32, false, false, 3, fin, 2, (float[]){1.5f, -2});
}

TFLC_TEST(resize_bilinear_integer_path_by_hand) {
    /* int8 width 2 -> 4, 10-bit fixed point (TFLite's ResizeBilinearInteger):
     * scale_10 = (1024*2 + 2)/4 = 512. plain src_10 = 0, 512, 1024, 1536:
     *   [0, 100] -> 0, (100*512*1024)/2^20 = 50, 100, 100
     * half_pixel src_10 = 512 v - 256: -256 (clamped index 0), 256, 768, 1280:
     *   [0, 100] -> 0, 25, 75, 100
     * rounding half away from zero: [-100, 101] plain at v=1 is 0.5 -> 1; [-101, 100] -> -1 */
    resize_row(OP(RESIZE_BILINEAR), I8, false, false, 2, (int8_t[]){0, 100}, 4, (int8_t[]){0, 50, 100, 100});
    resize_row(OP(RESIZE_BILINEAR), I8, false, true, 2, (int8_t[]){0, 100}, 4, (int8_t[]){0, 25, 75, 100});
    resize_row(OP(RESIZE_BILINEAR), I8, false, false, 2, (int8_t[]){-100, 101}, 4, (int8_t[]){-100, 1, 101, 101});
    resize_row(OP(RESIZE_BILINEAR), I16, false, false, 2, (int16_t[]){-101, 100}, 4, (int16_t[]){-101, -1, 100, 100});
    /* align_corners: scale_10 = (1024 + 1)/3 = 341; src 0, 341, 682, 1023:
     *   [0, 300] (int16) -> 0, 300*341/1024 = 99.9 -> 100, 199.8 -> 200, 299.7 -> 300 */
    resize_row(OP(RESIZE_BILINEAR), I16, true, false, 2, (int16_t[]){0, 300}, 4, (int16_t[]){0, 100, 200, 300});
    /* uint8 goes through TFLite's float kernel: 0.5-offset then truncation. [0, 101] -> 0,
     * 50.5 + 0.5 -> 51, 101, 101 */
    resize_row(OP(RESIZE_BILINEAR), U8, false, false, 2, (uint8_t[]){0, 101}, 4, (uint8_t[]){0, 51, 101, 101});
    /* float align_corners [0, 3] -> 4 samples: 0, 1, 2, 3 */
    resize_row(OP(RESIZE_BILINEAR), F32, true, false, 2, (float[]){0, 3}, 4, (float[]){0, 1, 2, 3});
}

TFLC_TEST(resize_bad_models) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 4, D(1, 2, 2, 1), 0, 0);
    int s = g_i32(&g, "size", 1, D(2), D(4, 4));
    int y = g_output(&g, "y", F32, 4, D(1, 4, 4, 1), 0, 0);
    g_op(&g, OP(RESIZE_BILINEAR), 3, (int32_t[]){x, s}, 2, (int32_t[]){y}, 1, OPT(RESIZE_BILINEAR_OPTIONS),
         resize_opts(&g, false, true, true));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "half_pixel_centers and align_corners cannot both be set");
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", F32, 4, D(1, 0, 2, 1), 0, 0);
    s = g_i32(&g, "size", 1, D(2), D(4, 4));
    y = g_output(&g, "y", F32, 4, D(1, 4, 4, 1), 0, 0);
    g_op(&g, OP(RESIZE_NEAREST_NEIGHBOR), 1, (int32_t[]){x, s}, 2, (int32_t[]){y}, 1, OPT(RESIZE_NEAREST_NEIGHBOR_OPTIONS),
         resize_opts(&g, true, false, false));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "input 'x' has an empty height or width");
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", F32, 4, D(1, 2, 2, 1), 0, 0);
    s = g_i32(&g, "size", 1, D(2), D(0, 4));
    y = g_output(&g, "y", F32, 4, D(1, 0, 4, 1), 0, 0);
    g_op(&g, OP(RESIZE_NEAREST_NEIGHBOR), 1, (int32_t[]){x, s}, 2, (int32_t[]){y}, 1, OPT(RESIZE_NEAREST_NEIGHBOR_OPTIONS),
         resize_opts(&g, true, false, false));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "output height and width must be >= 1");
    g_done(&g);
}

/* ---- SPACE_TO_DEPTH / DEPTH_TO_SPACE ---- */

TFLC_TEST(space_depth_tf_docs_example) {
    /* TF docs: x [1,4,4,1] = [[1,2,5,6],[3,4,7,8],[9,10,13,14],[11,12,15,16]], block 2 ->
     * [1,2,2,4] = [[[1,2,3,4],[5,6,7,8]],[[9,10,11,12],[13,14,15,16]]]; depth_to_space
     * brings it back. */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", U8, 4, D(1, 4, 4, 1), 0, 0);
    int m = g_output(&g, "m", U8, 4, D(1, 2, 2, 4), 0, 0);
    int y = g_output(&g, "y", U8, 4, D(1, 4, 4, 1), 0, 0);
    tflc_fbb_table_start(g_fbb(&g));
    tflc_fbb_add_i32(g_fbb(&g), TFLC_TFL_SPACE_TO_DEPTH_OPTIONS_BLOCK_SIZE, 2, 0);
    g_op(&g, OP(SPACE_TO_DEPTH), 1, (int32_t[]){x}, 1, (int32_t[]){m}, 1, OPT(SPACE_TO_DEPTH_OPTIONS), tflc_fbb_table_end(g_fbb(&g)));
    tflc_fbb_table_start(g_fbb(&g));
    tflc_fbb_add_i32(g_fbb(&g), TFLC_TFL_DEPTH_TO_SPACE_OPTIONS_BLOCK_SIZE, 2, 0);
    g_op(&g, OP(DEPTH_TO_SPACE), 1, (int32_t[]){m}, 1, (int32_t[]){y}, 1, OPT(DEPTH_TO_SPACE_OPTIONS), tflc_fbb_table_end(g_fbb(&g)));
    uint8_t xv[16] = {1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16};
    uint8_t want[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) {
        EXPECT_ARRAY(uint8_t, g_out(&g, 0)->data, want, 16);
        EXPECT_ARRAY(uint8_t, g_out(&g, 1)->data, xv, 16);
    }
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", F32, 4, D(1, 3, 4, 1), 0, 0);
    y = g_output(&g, "y", F32, 4, D(1, 1, 2, 4), 0, 0);
    tflc_fbb_table_start(g_fbb(&g));
    tflc_fbb_add_i32(g_fbb(&g), TFLC_TFL_SPACE_TO_DEPTH_OPTIONS_BLOCK_SIZE, 2, 0);
    g_op(&g, OP(SPACE_TO_DEPTH), 1, (int32_t[]){x}, 1, (int32_t[]){y}, 1, OPT(SPACE_TO_DEPTH_OPTIONS), tflc_fbb_table_end(g_fbb(&g)));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "must be multiples of block_size 2");
    g_done(&g);
}

TFLC_TEST_MAIN()
