/* Hand-checked cases for FULLY_CONNECTED (float32, int8 per-tensor and per-channel, uint8,
 * int16 x int8 / int16, hybrid) and BATCH_MATMUL (float32, int8, int16, hybrid), plus bad
 * models that must be refused with a message naming the op.
 *
 * Expected values are worked out by hand in the comments. Where the point is TFLite's own
 * rounding, the comment says which rounding: the int32 MultiplyByQuantizedMultiplier of
 * TFLite's default build rounds twice (0.375 -> 1, -1.5 -> -2), its int64 overload (int16
 * activations) rounds once, half up (-1.5 -> -1). Hybrid results are recomputed here with
 * the float operations TFLite's kernel performs, in the same order, and compared exactly.
 * This file also covers what Google's 2022 runtime (the op-case oracle) cannot: FC int16 x
 * int16 (v7), int32 bias with quantized_bias_type (v11), hybrid per-channel (v12), int8
 * weights with a nonzero zero point (XNNPACK ignores it; TFLite's reference kernel, which we
 * follow, applies it), BATCH_MATMUL int16 x int8 and per-channel hybrid. */
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

#define F32 TFLC_DTYPE_FLOAT32
#define S8 TFLC_DTYPE_INT8
#define U8 TFLC_DTYPE_UINT8
#define S16 TFLC_DTYPE_INT16
#define S32 TFLC_DTYPE_INT32
#define S64 TFLC_DTYPE_INT64
#define FC TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED
#define BMM TFLC_TFL_BUILTIN_OPERATOR_BATCH_MATMUL

/* ---- a tiny single-op model harness ---- */

struct m {
    struct tflc_tflb *b;
    int32_t gin[4];
    int ngin;
    int out;
    uint8_t *arena;
    struct tflc_interp *it;
    struct tflc_diag diag;
    enum tflc_status st; /* of finish/init */
};

static void m_begin(struct m *m) {
    memset(m, 0, sizeof *m);
    m->b = tflc_tflb_create();
}

/* Per-tensor quantization (the builder copies the values). */
static struct tflc_tflb_quant q1(const float *s, const int64_t *z) { return (struct tflc_tflb_quant){1, s, z, 0}; }

static size_t numel(int rank, const int32_t *dims) {
    size_t n = 1;
    for (int i = 0; i < rank; i++) n *= (size_t)dims[i];
    return n;
}

/* Graph input (data == NULL) or constant. */
static int m_tensor(struct m *m, const char *name, enum tflc_dtype t, int rank, const int32_t *dims, const void *data,
                    const struct tflc_tflb_quant *q) {
    int buf = data ? tflc_tflb_buffer(m->b, data, numel(rank, dims) * tflc_dtype_size(t)) : 0;
    int ti = tflc_tflb_tensor(m->b, name, t, rank, dims, buf, q);
    if (!data) m->gin[m->ngin++] = ti;
    return ti;
}

static int m_output(struct m *m, enum tflc_dtype t, int rank, const int32_t *dims, const struct tflc_tflb_quant *q) {
    m->out = tflc_tflb_tensor(m->b, "y", t, rank, dims, 0, q);
    return m->out;
}

static uint32_t fc_opts(struct m *m, int act, bool keep, bool asym, int qbt, int weights_format) {
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, 0);
    tflc_fbb_add_i8(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_WEIGHTS_FORMAT, (int8_t)weights_format, 0);
    tflc_fbb_add_bool(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_KEEP_NUM_DIMS, keep, false);
    tflc_fbb_add_bool(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_ASYMMETRIC_QUANTIZE_INPUTS, asym, false);
    tflc_fbb_add_i8(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_QUANTIZED_BIAS_TYPE, (int8_t)qbt, 0);
    return tflc_fbb_table_end(f);
}

static uint32_t bmm_opts(struct m *m, bool adj_x, bool adj_y, bool asym) {
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_BATCH_MAT_MUL_OPTIONS_ADJ_X, adj_x, false);
    tflc_fbb_add_bool(f, TFLC_TFL_BATCH_MAT_MUL_OPTIONS_ADJ_Y, adj_y, false);
    tflc_fbb_add_bool(f, TFLC_TFL_BATCH_MAT_MUL_OPTIONS_ASYMMETRIC_QUANTIZE_INPUTS, asym, false);
    return tflc_fbb_table_end(f);
}

/* Adds the op, lays out the model and initializes an interpreter; m->st / m->diag say how. */
static enum tflc_status m_init(struct m *m, int32_t code, int version, const int32_t *ins, int nin, uint32_t opt) {
    uint8_t type = code == FC ? TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS : TFLC_TFL_BUILTIN_OPTIONS_BATCH_MAT_MUL_OPTIONS;
    tflc_tflb_op(m->b, code, version, NULL, ins, nin, (int32_t[]){m->out}, 1, type, opt);
    tflc_tflb_graph_io(m->b, m->gin, m->ngin, (int32_t[]){m->out}, 1);
    const uint8_t *data;
    size_t len, need;
    if ((m->st = tflc_tflb_finish(m->b, NULL, &data, &len, &m->diag))) return m->st;
    if ((m->st = tflc_interp_arena_size_hosted(data, len, &ref_arith, &need, &m->diag))) return m->st;
    m->arena = aligned_alloc(64, (need + 63) & ~(size_t)63);
    m->st = tflc_interp_init(&m->it, data, len, m->arena, need, &ref_arith, &m->diag);
    return m->st;
}

/* Copies the inputs in graph-input order, invokes, returns the output tensor (NULL on failure). */
static const struct tflc_tensor *m_run(struct m *m, const void *in0, const void *in1) {
    if (m->st != TFLC_STATUS_OK) {
        TFLC_FAIL_("init: %s", m->diag.msg);
        return NULL;
    }
    const void *ins[2] = {in0, in1};
    for (int i = 0; i < m->ngin && i < 2; i++) memcpy(tflc_interp_input(m->it, i)->data, ins[i], tflc_interp_input(m->it, i)->bytes);
    if (tflc_interp_invoke(m->it, &m->diag) != TFLC_STATUS_OK) {
        TFLC_FAIL_("invoke: %s", m->diag.msg);
        return NULL;
    }
    return tflc_interp_output(m->it, 0);
}

static void m_end(struct m *m) {
    tflc_interp_free(m->it);
    free(m->arena);
    tflc_tflb_destroy(m->b);
}

static void expect_shape(const struct tflc_tensor *t, int rank, const int32_t *dims) {
    TFLC_EXPECT_EQ_INT(t->rank, rank);
    for (int i = 0; i < rank && i < t->rank; i++) TFLC_EXPECT_EQ_INT(t->dims[i], dims[i]);
}

/* ---------------- FULLY_CONNECTED float32 ---------------- */

/* x = [[1,2,3],[4,5,6]], w = [[1,0,-1],[2,1,0.5]], b = [0.5,-1]:
 * y = [[1-3+0.5, 2+2+1.5-1], [4-6+0.5, 8+5+3-1]] = [[-1.5, 4.5], [-1.5, 15]]. */
static const float fx[6] = {1, 2, 3, 4, 5, 6}, fw[6] = {1, 0, -1, 2, 1, 0.5f}, fb[2] = {0.5f, -1};

static void fc_f32(int act, int xrank, const int32_t *xdims, bool keep, int bias_mode, int yrank, const int32_t *ydims,
                   const float *want) {
    struct m m;
    m_begin(&m);
    int x = m_tensor(&m, "x", F32, xrank, xdims, NULL, NULL);
    int w = m_tensor(&m, "w", F32, 2, (int32_t[]){2, 3}, fw, NULL);
    int b = bias_mode == 0 ? m_tensor(&m, "b", F32, 1, (int32_t[]){2}, fb, NULL) : -1;
    m_output(&m, F32, yrank, ydims, NULL);
    m_init(&m, FC, keep ? 5 : 1, (int32_t[]){x, w, b}, bias_mode == 1 ? 2 : 3, fc_opts(&m, act, keep, false, 0, 0));
    const struct tflc_tensor *y = m_run(&m, fx, NULL);
    if (y) {
        expect_shape(y, yrank, ydims);
        for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(((const float *)y->data)[i], want[i], 0);
    }
    m_end(&m);
}

TFLC_TEST(fc_f32_basic) {
    fc_f32(0, 2, (int32_t[]){2, 3}, false, 0, 2, (int32_t[]){2, 2}, (float[]){-1.5f, 4.5f, -1.5f, 15});
}

TFLC_TEST(fc_f32_activations) {
    fc_f32(1, 2, (int32_t[]){2, 3}, false, 0, 2, (int32_t[]){2, 2}, (float[]){0, 4.5f, 0, 15});      /* RELU */
    fc_f32(2, 2, (int32_t[]){2, 3}, false, 0, 2, (int32_t[]){2, 2}, (float[]){-1, 1, -1, 1});        /* RELU_N1_TO_1 */
    fc_f32(3, 2, (int32_t[]){2, 3}, false, 0, 2, (int32_t[]){2, 2}, (float[]){0, 4.5f, 0, 6});       /* RELU6 */
}

TFLC_TEST(fc_f32_rank4_input_is_flattened) {
    /* [1,2,1,3] holds 6 elements = 2 rows of depth 3 -> [2, 2]. */
    fc_f32(0, 4, (int32_t[]){1, 2, 1, 3}, false, 0, 2, (int32_t[]){2, 2}, (float[]){-1.5f, 4.5f, -1.5f, 15});
}

TFLC_TEST(fc_f32_keep_num_dims) {
    fc_f32(0, 3, (int32_t[]){2, 1, 3}, true, 0, 3, (int32_t[]){2, 1, 2}, (float[]){-1.5f, 4.5f, -1.5f, 15});
}

TFLC_TEST(fc_f32_without_bias) {
    /* Two inputs (v6) and bias index -1 give the same: [[-2, 5.5], [-2, 16]]. */
    fc_f32(0, 2, (int32_t[]){2, 3}, false, 1, 2, (int32_t[]){2, 2}, (float[]){-2, 5.5f, -2, 16});
    fc_f32(0, 2, (int32_t[]){2, 3}, false, 2, 2, (int32_t[]){2, 2}, (float[]){-2, 5.5f, -2, 16});
}

/* ---------------- FULLY_CONNECTED int8 / uint8 ---------------- */

/* s_x = 0.5 (zp 1), s_w = 0.25, s_y = 1 (zp -2): multiplier 0.125 = 2^30 * 2^-31 * 2^-2.
 * x = [3, 5, -2] -> x - zp = [2, 4, -3].
 * unit 0: w = [1,1,1], bias 0: acc = 3, 3 * 0.125 = 0.375; TFLite's double rounding gives
 *   SRDHM(3, 2^30) = round(1.5) = 2, then RoundingDivideByPOT(2, 2) = round(0.5) = 1, so
 *   y = 1 - 2 = -1 (a single rounding would give 0 -> -2).
 * unit 1: w = [4,-4,8], bias 8 (scale 0.125): acc = 8 - 16 - 24 + 8 = -24 -> -3 -> y = -5. */
TFLC_TEST(fc_s8_double_rounding) {
    struct m m;
    m_begin(&m);
    float sx = 0.5f, sw = 0.25f, sb = 0.125f, sy = 1.0f;
    int64_t zx = 1, zw = 0, zy = -2;
    struct tflc_tflb_quant qx = q1(&sx, &zx), qw = q1(&sw, &zw), qb = q1(&sb, &zw), qy = q1(&sy, &zy);
    int8_t w[6] = {1, 1, 1, 4, -4, 8};
    int32_t b[2] = {0, 8};
    int xi = m_tensor(&m, "x", S8, 2, (int32_t[]){1, 3}, NULL, &qx);
    int wi = m_tensor(&m, "w", S8, 2, (int32_t[]){2, 3}, w, &qw);
    int bi = m_tensor(&m, "b", S32, 1, (int32_t[]){2}, b, &qb);
    m_output(&m, S8, 2, (int32_t[]){1, 2}, &qy);
    m_init(&m, FC, 4, (int32_t[]){xi, wi, bi}, 3, fc_opts(&m, 0, false, false, 0, 0));
    const struct tflc_tensor *y = m_run(&m, (int8_t[]){3, 5, -2}, NULL);
    if (y) {
        TFLC_EXPECT_EQ_INT(((const int8_t *)y->data)[0], -1);
        TFLC_EXPECT_EQ_INT(((const int8_t *)y->data)[1], -5);
    }
    m_end(&m);
}

/* A real case of the 1-LSB difference from Google's runtime: layer dense_1 of MLPerf Tiny's
 * ad01 int8 (s_x 0.0494591, s_w 0.0150283, s_y 0.0354057, zp -128) on its golden input has
 * acc = 309 for unit 39: the exact result is 6.487. TFLite's reference MBQM rounds twice,
 * SRDHM to 208 (= 6.5 * 32), then 208 / 32 = 6.5 -> 7, so y = -121; XNNPACK (Google's
 * runtime) rounds once to 6, y = -122. We implement the reference (double rounding, the
 * default TFLite build); ad01's golden output therefore matches within 1 LSB, not exactly. */
TFLC_TEST(fc_s8_double_rounding_ad01_dense_1_unit_39) {
    struct m m;
    m_begin(&m);
    float sx = 0.04945912957191467f, sw = 0.015028326772153378f, sy = 0.035405684262514114f;
    int64_t zx = -128, zw = 0, zy = -128;
    struct tflc_tflb_quant qx = q1(&sx, &zx), qw = q1(&sw, &zw), qy = q1(&sy, &zy);
    int8_t w[2] = {1, 1};
    int xi = m_tensor(&m, "x", S8, 2, (int32_t[]){1, 2}, NULL, &qx);
    int wi = m_tensor(&m, "w", S8, 2, (int32_t[]){1, 2}, w, &qw);
    m_output(&m, S8, 2, (int32_t[]){1, 1}, &qy);
    m_init(&m, FC, 6, (int32_t[]){xi, wi}, 2, fc_opts(&m, 1, false, false, 0, 0));
    const struct tflc_tensor *y = m_run(&m, (int8_t[]){27, 26}, NULL); /* 155 + 154 = 309 */
    if (y) TFLC_EXPECT_EQ_INT(((const int8_t *)y->data)[0], -121);
    m_end(&m);
}

/* Same reals with the weights stored with zero point 2 (w_q = w + 2). TFLite's reference
 * kernel subtracts it: y = [-1, -5] again. (XNNPACK, which Google's runtime uses, ignores a
 * per-tensor int8 weight zero point and would give [-1, -4]; such weights are outside
 * TFLite's int8 spec, which wants them symmetric.) */
TFLC_TEST(fc_s8_weights_zero_point_is_applied) {
    struct m m;
    m_begin(&m);
    float sx = 0.5f, sw = 0.25f, sb = 0.125f, sy = 1.0f;
    int64_t zx = 1, zw = 2, zb = 0, zy = -2;
    struct tflc_tflb_quant qx = q1(&sx, &zx), qw = q1(&sw, &zw), qb = q1(&sb, &zb), qy = q1(&sy, &zy);
    int8_t w[6] = {3, 3, 3, 6, -2, 10};
    int32_t b[2] = {0, 8};
    int xi = m_tensor(&m, "x", S8, 2, (int32_t[]){1, 3}, NULL, &qx);
    int wi = m_tensor(&m, "w", S8, 2, (int32_t[]){2, 3}, w, &qw);
    int bi = m_tensor(&m, "b", S32, 1, (int32_t[]){2}, b, &qb);
    m_output(&m, S8, 2, (int32_t[]){1, 2}, &qy);
    m_init(&m, FC, 4, (int32_t[]){xi, wi, bi}, 3, fc_opts(&m, 0, false, false, 0, 0));
    const struct tflc_tensor *y = m_run(&m, (int8_t[]){3, 5, -2}, NULL);
    if (y) {
        TFLC_EXPECT_EQ_INT(((const int8_t *)y->data)[0], -1);
        TFLC_EXPECT_EQ_INT(((const int8_t *)y->data)[1], -5);
    }
    m_end(&m);
}

/* Per-channel weight scales [0.25, 0.5]: multipliers 0.125 and 0.25. Unit 0 as above (-1);
 * unit 1: acc = -32 + bias 4 (bias scale 0.25) = -28 -> -7 -> y = -9. */
TFLC_TEST(fc_s8_per_channel) {
    struct m m;
    m_begin(&m);
    float sx = 0.5f, sy = 1.0f, sw[2] = {0.25f, 0.5f};
    int64_t zx = 1, zy = -2, zw[2] = {0, 0};
    struct tflc_tflb_quant qx = q1(&sx, &zx), qy = q1(&sy, &zy), qw = {2, sw, zw, 0};
    int8_t w[6] = {1, 1, 1, 4, -4, 8};
    int32_t b[2] = {0, 4};
    int xi = m_tensor(&m, "x", S8, 2, (int32_t[]){1, 3}, NULL, &qx);
    int wi = m_tensor(&m, "w", S8, 2, (int32_t[]){2, 3}, w, &qw);
    int bi = m_tensor(&m, "b", S32, 1, (int32_t[]){2}, b, NULL);
    m_output(&m, S8, 2, (int32_t[]){1, 2}, &qy);
    m_init(&m, FC, 4, (int32_t[]){xi, wi, bi}, 3, fc_opts(&m, 0, false, false, 0, 0));
    const struct tflc_tensor *y = m_run(&m, (int8_t[]){3, 5, -2}, NULL);
    if (y) {
        TFLC_EXPECT_EQ_INT(((const int8_t *)y->data)[0], -1);
        TFLC_EXPECT_EQ_INT(((const int8_t *)y->data)[1], -9);
    }
    m_end(&m);
}

/* s_x = s_w = 0.5, s_y = 0.25 with zp -128: multiplier 1, y = acc - 128.
 * x = [4, 2]; w = [[1,1], [-1,0], [10,10]]: acc = [6, -4, 60].
 * NONE: [-122, -132 -> saturates to -128, -68]. RELU6: range [-128, -128 + 6/0.25 = -104]:
 * [-122, -128, -104]. */
static void fc_s8_clamp(int act, const int8_t *want) {
    struct m m;
    m_begin(&m);
    float sx = 0.5f, sw = 0.5f, sy = 0.25f;
    int64_t z0 = 0, zy = -128;
    struct tflc_tflb_quant qx = q1(&sx, &z0), qw = q1(&sw, &z0), qy = q1(&sy, &zy);
    int8_t w[6] = {1, 1, -1, 0, 10, 10};
    int xi = m_tensor(&m, "x", S8, 2, (int32_t[]){1, 2}, NULL, &qx);
    int wi = m_tensor(&m, "w", S8, 2, (int32_t[]){3, 2}, w, &qw);
    m_output(&m, S8, 2, (int32_t[]){1, 3}, &qy);
    m_init(&m, FC, 6, (int32_t[]){xi, wi}, 2, fc_opts(&m, act, false, false, 0, 0));
    const struct tflc_tensor *y = m_run(&m, (int8_t[]){4, 2}, NULL);
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_EQ_INT(((const int8_t *)y->data)[i], want[i]);
    m_end(&m);
}

TFLC_TEST(fc_s8_saturation_and_relu6) {
    fc_s8_clamp(0, (int8_t[]){-122, -128, -68});
    fc_s8_clamp(3, (int8_t[]){-122, -128, -104});
}

/* uint8: s_x = 0.5 (zp 128), s_w = 0.5 (zp 100), s_y = 1 (zp 10): multiplier 0.25.
 * x = [130, 124] -> [2, -4]; w = [[101,102], [99,100]] -> [[1,2], [-1,0]]; acc = [-6, -2].
 * -6 * 0.25 = -1.5: SRDHM(-6, 2^30) = -3, RoundingDivideByPOT(-3, 1) = -2 (away from 0);
 * -2 * 0.25 = -0.5: SRDHM = -1, RoundingDivideByPOT(-1, 1) = -1. y = [8, 9]; as int16
 * output (zp 0): [-2, -1]. */
static void fc_u8(enum tflc_dtype yt, int64_t zy, const int32_t *want) {
    struct m m;
    m_begin(&m);
    float sx = 0.5f, sw = 0.5f, sy = 1.0f;
    int64_t zx = 128, zw = 100;
    struct tflc_tflb_quant qx = q1(&sx, &zx), qw = q1(&sw, &zw), qy = q1(&sy, &zy);
    uint8_t w[4] = {101, 102, 99, 100};
    int xi = m_tensor(&m, "x", U8, 2, (int32_t[]){1, 2}, NULL, &qx);
    int wi = m_tensor(&m, "w", U8, 2, (int32_t[]){2, 2}, w, &qw);
    m_output(&m, yt, 2, (int32_t[]){1, 2}, &qy);
    m_init(&m, FC, 6, (int32_t[]){xi, wi}, 2, fc_opts(&m, 0, false, false, 0, 0));
    const struct tflc_tensor *y = m_run(&m, (uint8_t[]){130, 124}, NULL);
    if (y)
        for (int i = 0; i < 2; i++)
            TFLC_EXPECT_EQ_INT(yt == U8 ? ((const uint8_t *)y->data)[i] : ((const int16_t *)y->data)[i], want[i]);
    m_end(&m);
}

TFLC_TEST(fc_u8_to_u8_and_s16) {
    fc_u8(U8, 10, (int32_t[]){8, 9});
    fc_u8(S16, 0, (int32_t[]){-2, -1});
}

/* ---------------- FULLY_CONNECTED int16 activations ---------------- */

/* s_x = 0.5, s_w = 0.5, s_y = 1: multiplier 0.25. x = [2, -4]; w = [[1,2], [-1,-2]]:
 * acc = [-6, 6] -> [-1.5, 1.5].
 * int64 bias or none: TFLite's int64 MBQM, (acc * 2^14 + 2^15) >> 16: [-1, 2].
 * int32 bias (quantized_bias_type INT32, v11): the int32 MBQM rounds away from 0: [-2, 2].
 * A large int64 bias saturates the int16 output. */
static void fc_s16(enum tflc_dtype wt, enum tflc_dtype bt, int qbt, const int64_t *bias, const int16_t *want) {
    struct m m;
    m_begin(&m);
    float sx = 0.5f, sw = 0.5f, sy = 1.0f;
    int64_t z0 = 0;
    struct tflc_tflb_quant qx = q1(&sx, &z0), qw = q1(&sw, &z0), qy = q1(&sy, &z0);
    int8_t w8[4] = {1, 2, -1, -2};
    int16_t w16[4] = {1, 2, -1, -2};
    int32_t b32[2] = {bias ? (int32_t)bias[0] : 0, bias ? (int32_t)bias[1] : 0};
    int xi = m_tensor(&m, "x", S16, 2, (int32_t[]){1, 2}, NULL, &qx);
    int wi = m_tensor(&m, "w", wt, 2, (int32_t[]){2, 2}, wt == S8 ? (const void *)w8 : (const void *)w16, &qw);
    int bi = bias ? m_tensor(&m, "b", bt, 1, (int32_t[]){2}, bt == S64 ? (const void *)bias : (const void *)b32, NULL) : -1;
    m_output(&m, S16, 2, (int32_t[]){1, 2}, &qy);
    m_init(&m, FC, qbt ? 11 : wt == S16 ? 7 : 1, (int32_t[]){xi, wi, bi}, 3, fc_opts(&m, 0, false, false, qbt, 0));
    const struct tflc_tensor *y = m_run(&m, (int16_t[]){2, -4}, NULL);
    if (y)
        for (int i = 0; i < 2; i++) TFLC_EXPECT_EQ_INT(((const int16_t *)y->data)[i], want[i]);
    m_end(&m);
}

TFLC_TEST(fc_s16x8_int64_accumulator_rounds_half_up) {
    fc_s16(S8, S64, 0, (int64_t[]){0, 0}, (int16_t[]){-1, 2});
    fc_s16(S8, S64, 0, NULL, (int16_t[]){-1, 2});
    fc_s16(S8, S64, 0, (int64_t[]){4000000000ll, -4000000000ll}, (int16_t[]){32767, -32768});
}

TFLC_TEST(fc_s16x8_int32_bias_uses_int32_rounding) {
    fc_s16(S8, S32, TFLC_DTYPE_INT32, (int64_t[]){0, 0}, (int16_t[]){-2, 2});
}

TFLC_TEST(fc_s16x16) {
    fc_s16(S16, S64, 0, NULL, (int16_t[]){-1, 2});
    fc_s16(S16, S64, 0, (int64_t[]){-2, 2}, (int16_t[]){-2, 2}); /* acc [-8, 8] -> [-2, 2] */
}

/* ---------------- FULLY_CONNECTED hybrid ---------------- */

/* x = [1, -0.5, 0.25, 0]: symmetric quantization with range 1 gives q = round(127 x) =
 * [127, -64, 32, 0] (-63.5 rounds away from 0) and row scale 1/127.
 * w = [[1,2,3,4], [-1,0,1,0]]: dot = [127 - 128 + 96, -127 + 32] = [95, -95].
 * y[o] = bias[o] + dot[o] * (row scale * weight scale), float. */
static const float hx[4] = {1.0f, -0.5f, 0.25f, 0.0f};
static const int8_t hw[8] = {1, 2, 3, 4, -1, 0, 1, 0};
static const float hb[2] = {0.25f, 0.0f};

static void fc_hybrid_tol(int nscales, const float *sw, int act, bool asym, const float *x, const float *want, int version,
                          double tol) {
    struct m m;
    m_begin(&m);
    int64_t zw[2] = {0, 0};
    struct tflc_tflb_quant qw = {nscales, sw, zw, 0};
    int xi = m_tensor(&m, "x", F32, 2, (int32_t[]){1, 4}, NULL, NULL);
    int wi = m_tensor(&m, "w", S8, 2, (int32_t[]){2, 4}, hw, &qw);
    int bi = m_tensor(&m, "b", F32, 1, (int32_t[]){2}, hb, NULL);
    m_output(&m, F32, 2, (int32_t[]){1, 2}, NULL);
    m_init(&m, FC, version, (int32_t[]){xi, wi, bi}, 3, fc_opts(&m, act, false, asym, 0, 0));
    const struct tflc_tensor *y = m_run(&m, x, NULL);
    if (y)
        for (int i = 0; i < 2; i++) TFLC_EXPECT_NEAR(((const float *)y->data)[i], want[i], tol);
    m_end(&m);
}

static void fc_hybrid(int nscales, const float *sw, int act, bool asym, const float *x, const float *want, int version) {
    fc_hybrid_tol(nscales, sw, act, asym, x, want, version, 0);
}

TFLC_TEST(fc_hybrid_symmetric_per_tensor) {
    float s = (1.0f / 127.0f) * 0.5f;
    fc_hybrid(1, (float[]){0.5f}, 0, false, hx, (float[]){0.25f + 95.0f * s, 0.0f + -95.0f * s}, 3);
    TFLC_EXPECT_NEAR(0.25f + 95.0f * s, 0.624016, 1e-6); /* the exact real result, for the record */
}

TFLC_TEST(fc_hybrid_symmetric_per_channel_v12) {
    float r = 1.0f / 127.0f;
    fc_hybrid(2, (float[]){0.5f, 0.25f}, 0, false, hx, (float[]){0.25f + 95.0f * (r * 0.5f), 0.0f + -95.0f * (r * 0.25f)}, 12);
}

TFLC_TEST(fc_hybrid_activations) {
    float s = (1.0f / 127.0f) * 0.5f;
    float y0 = 0.25f + 95.0f * s, y1 = -95.0f * s;
    fc_hybrid(1, (float[]){0.5f}, 1, false, hx, (float[]){y0, 0.0f}, 3);                /* RELU */
    /* TANH: libm's tanhf here may be folded at compile time (correctly rounded), and TFLite
     * itself uses Eigen's approximation: allow a few ulps. */
    fc_hybrid_tol(1, (float[]){0.5f}, 4, false, hx, (float[]){tanhf(y0), tanhf(y1)}, 3, 1e-6);
    fc_hybrid(1, (float[]){0.5f}, 5, false, hx, (float[]){0.0f, 1.0f}, 3);              /* SIGN_BIT */
    /* All-zero input: TFLite skips the product, y = act(bias). */
    fc_hybrid(1, (float[]){0.5f}, 1, false, (float[]){0, 0, 0, 0}, (float[]){0.25f, 0.0f}, 3);
}

/* Asymmetric input quantization, rederived here from TFLite's definition: the range
 * [min(0,min), max(0,max)] maps onto [-128, 127] with a double scale, the zero point is
 * taken from the end with the smaller error and nudged into range, then q = round(zp + x/s). */
static void asym_quantize(const float *x, int n, int8_t *q, float *scale, int32_t *zp) {
    float lo = 0, hi = 0;
    for (int i = 0; i < n; i++) { lo = x[i] < lo ? x[i] : lo; hi = x[i] > hi ? x[i] : hi; }
    double s = ((double)hi - (double)lo) / 255.0;
    double from_min = -128.0 - (double)lo / s, from_max = 127.0 - (double)hi / s;
    double z = 128.0 + fabs((double)lo / s) < 127.0 + fabs((double)hi / s) ? from_min : from_max;
    *zp = z <= -128 ? -128 : z >= 127 ? 127 : (int32_t)round(z);
    *scale = (float)s;
    for (int i = 0; i < n; i++) {
        float v = roundf((float)*zp + x[i] * (1.0f / *scale));
        q[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
    }
}

TFLC_TEST(fc_hybrid_asymmetric_per_tensor_and_per_channel) {
    const float x[4] = {0.7f, -0.3f, 1.9f, 0.05f};
    int8_t q[4];
    float s;
    int32_t zp;
    asym_quantize(x, 4, q, &s, &zp);
    TFLC_EXPECT(zp > -128 && zp < 127); /* a zero point inside the range: both ends matter */
    float want_t[2], want_c[2], sc[2] = {0.5f, 0.25f};
    for (int o = 0; o < 2; o++) {
        int32_t dot = 0, rowsum = 0;
        for (int k = 0; k < 4; k++) { dot += hw[o * 4 + k] * q[k]; rowsum += hw[o * 4 + k]; }
        dot -= rowsum * zp;
        want_t[o] = hb[o] + (float)dot * (s * 0.5f);
        want_c[o] = hb[o] + (float)dot * (s * sc[o]);
    }
    fc_hybrid(1, (float[]){0.5f}, 0, true, x, want_t, 9);
    fc_hybrid(2, sc, 0, true, x, want_c, 12);
}

/* ---------------- BATCH_MATMUL ---------------- */

/* X = [[1,2,3],[4,5,6]], Y = [[1,0],[0,1],[1,1]]: X Y = [[4,5],[10,11]]. The transposed
 * storage of either operand with adj_x / adj_y gives the same product. */
TFLC_TEST(bmm_f32_adjoints) {
    const float x[6] = {1, 2, 3, 4, 5, 6}, xt[6] = {1, 4, 2, 5, 3, 6};
    const float y[6] = {1, 0, 0, 1, 1, 1}, yt[6] = {1, 0, 1, 0, 1, 1};
    const float want[4] = {4, 5, 10, 11};
    for (int adj = 0; adj < 4; adj++) {
        bool ax = adj & 1, ay = adj & 2;
        struct m m;
        m_begin(&m);
        int xi = m_tensor(&m, "x", F32, 3, ax ? (int32_t[]){1, 3, 2} : (int32_t[]){1, 2, 3}, NULL, NULL);
        int yi = m_tensor(&m, "y", F32, 3, ay ? (int32_t[]){1, 2, 3} : (int32_t[]){1, 3, 2}, NULL, NULL);
        m_output(&m, F32, 3, (int32_t[]){1, 2, 2}, NULL);
        m_init(&m, BMM, 1, (int32_t[]){xi, yi}, 2, bmm_opts(&m, ax, ay, false));
        const struct tflc_tensor *o = m_run(&m, ax ? xt : x, ay ? yt : y);
        if (o) {
            expect_shape(o, 3, (int32_t[]){1, 2, 2});
            for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(((const float *)o->data)[i], want[i], 0);
        }
        m_end(&m);
    }
}

/* X [2,1,2,3] = (X, 2X); Y [3,3,2] = (Y, 2Y, -Y): out [2,3,2,2], out[a][b] = (a+1) c_b X Y
 * with c = (1, 2, -1). */
TFLC_TEST(bmm_f32_broadcast) {
    float x[12], y[18];
    const float x0[6] = {1, 2, 3, 4, 5, 6}, y0[6] = {1, 0, 0, 1, 1, 1}, xy[4] = {4, 5, 10, 11}, cb[3] = {1, 2, -1};
    for (int i = 0; i < 6; i++) { x[i] = x0[i]; x[6 + i] = 2 * x0[i]; }
    for (int b = 0; b < 3; b++)
        for (int i = 0; i < 6; i++) y[b * 6 + i] = cb[b] * y0[i];
    struct m m;
    m_begin(&m);
    int xi = m_tensor(&m, "x", F32, 4, (int32_t[]){2, 1, 2, 3}, NULL, NULL);
    int yi = m_tensor(&m, "y", F32, 3, (int32_t[]){3, 3, 2}, NULL, NULL);
    m_output(&m, F32, 4, (int32_t[]){2, 3, 2, 2}, NULL);
    m_init(&m, BMM, 1, (int32_t[]){xi, yi}, 2, bmm_opts(&m, false, false, false));
    const struct tflc_tensor *o = m_run(&m, x, y);
    if (o) {
        expect_shape(o, 4, (int32_t[]){2, 3, 2, 2});
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 3; b++)
                for (int i = 0; i < 4; i++)
                    TFLC_EXPECT_NEAR(((const float *)o->data)[(a * 3 + b) * 4 + i], (float)(a + 1) * cb[b] * xy[i], 0);
    }
    m_end(&m);
}

/* int8: X = [3, -1] (s 0.5, zp 1 -> reals [1, -1]), Y = [1, 3] (s 0.5, zp -1 -> [1, 2]),
 * out s 0.25: acc = 2*2 + (-2)*4 = -4, multiplier 1 -> -4 (real -1).
 * int8 -> int32: TFLite's raw sum without zero points, 3*1 + (-1)*3 = 0. */
TFLC_TEST(bmm_s8_and_s8_to_s32) {
    for (int wide = 0; wide < 2; wide++) {
        struct m m;
        m_begin(&m);
        float sx = 0.5f, sy = 0.5f, so = 0.25f;
        int64_t zx = 1, zy = -1, zo = 0;
        struct tflc_tflb_quant qx = q1(&sx, &zx), qy = q1(&sy, &zy), qo = q1(&so, &zo);
        int xi = m_tensor(&m, "x", S8, 3, (int32_t[]){1, 1, 2}, NULL, &qx);
        int yi = m_tensor(&m, "y", S8, 3, (int32_t[]){1, 2, 1}, NULL, &qy);
        m_output(&m, wide ? S32 : S8, 3, (int32_t[]){1, 1, 1}, wide ? NULL : &qo);
        m_init(&m, BMM, 2, (int32_t[]){xi, yi}, 2, bmm_opts(&m, false, false, false));
        const struct tflc_tensor *o = m_run(&m, (int8_t[]){3, -1}, (int8_t[]){1, 3});
        if (o) TFLC_EXPECT_EQ_INT(wide ? ((const int32_t *)o->data)[0] : ((const int8_t *)o->data)[0], wide ? 0 : -4);
        m_end(&m);
    }
}

/* int16 x int16 and int16 x int8 (zero points 0), s 0.5 and 0.5, out s 1: multiplier 0.25;
 * X = [2, -4], Y = [1, 2]: acc = -6 -> -1.5 -> the int64 MBQM gives -1. */
TFLC_TEST(bmm_s16_and_s16_s8) {
    for (int w8 = 0; w8 < 2; w8++) {
        struct m m;
        m_begin(&m);
        float s = 0.5f, so = 1.0f;
        int64_t z = 0;
        struct tflc_tflb_quant q = q1(&s, &z), qo = q1(&so, &z);
        int xi = m_tensor(&m, "x", S16, 2, (int32_t[]){1, 2}, NULL, &q);
        int yi = m_tensor(&m, "y", w8 ? S8 : S16, 2, (int32_t[]){2, 1}, NULL, &q);
        m_output(&m, S16, 2, (int32_t[]){1, 1}, &qo);
        m_init(&m, BMM, 3, (int32_t[]){xi, yi}, 2, bmm_opts(&m, false, false, false));
        const struct tflc_tensor *o = m_run(&m, (int16_t[]){2, -4}, w8 ? (const void *)(int8_t[]){1, 2} : (const void *)(int16_t[]){1, 2});
        if (o) TFLC_EXPECT_EQ_INT(((const int16_t *)o->data)[0], -1);
        m_end(&m);
    }
}

/* Hybrid: X = [1, -0.5, 0.25, 0] quantized as in the FC case (dot [95, -95] against the
 * columns of Y = [[1,-1],[2,0],[3,1],[4,0]]), Y per-channel scales [0.5, 0.25] along its
 * last (N) axis, or one scale 0.5. */
TFLC_TEST(bmm_hybrid_per_tensor_and_per_channel) {
    const int8_t y[8] = {1, -1, 2, 0, 3, 1, 4, 0};
    const float r = 1.0f / 127.0f;
    for (int pc = 0; pc < 2; pc++) {
        struct m m;
        m_begin(&m);
        float sc[2] = {0.5f, 0.25f};
        int64_t zw[2] = {0, 0};
        struct tflc_tflb_quant qy = {pc ? 2 : 1, sc, zw, 1};
        int xi = m_tensor(&m, "x", F32, 3, (int32_t[]){1, 1, 4}, NULL, NULL);
        int yi = m_tensor(&m, "y", S8, 2, (int32_t[]){4, 2}, y, &qy);
        m_output(&m, F32, 3, (int32_t[]){1, 1, 2}, NULL);
        m_init(&m, BMM, 1, (int32_t[]){xi, yi}, 2, bmm_opts(&m, false, false, false));
        const struct tflc_tensor *o = m_run(&m, hx, NULL);
        float want[2] = {0.0f + (r * 0.5f) * 95.0f, 0.0f + (r * (pc ? 0.25f : 0.5f)) * -95.0f};
        if (o)
            for (int i = 0; i < 2; i++) TFLC_EXPECT_NEAR(((const float *)o->data)[i], want[i], 0);
        m_end(&m);
    }
}

/* ---------------- bad models ---------------- */

struct bad {
    enum tflc_dtype xt, wt, yt;
    int xrank, wrank, brank, yrank;
    int32_t xd[4], wd[4], bd[2], yd[4];
    int nin, act, wf, version;
    bool keep, zero_zp16, no_bias_tensor;
    int nscales;
};

/* Builds a FULLY_CONNECTED model from `p`; init must fail with `st` and a message naming the
 * op and containing `needle`. */
static void fc_bad(const struct bad *p, enum tflc_status st, const char *needle) {
    struct m m;
    m_begin(&m);
    float s[8] = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
    int64_t z[8] = {0}, z16 = 3;
    struct tflc_tflb_quant q = q1(&s[0], p->zero_zp16 ? &z16 : &z[0]);
    struct tflc_tflb_quant qw = {p->nscales ? p->nscales : 1, s, z, p->nscales ? 1 : 0}; /* valid for the verifier */
    bool qx = p->xt != F32, qwt = p->wt != F32;
    static const uint8_t zeros[4096];
    int xi = m_tensor(&m, "x", p->xt, p->xrank, p->xd, NULL, qx ? &q : NULL);
    int wi = m_tensor(&m, "w", p->wt, p->wrank, p->wd, zeros, qwt ? &qw : NULL);
    enum tflc_dtype bt = p->xt == F32 ? F32 : S32;
    int bi = p->no_bias_tensor ? -1 : m_tensor(&m, "b", bt, p->brank, p->bd, zeros, NULL);
    m_output(&m, p->yt, p->yrank, p->yd, qx ? &q : NULL);
    m_init(&m, FC, p->version ? p->version : 1, (int32_t[]){xi, wi, bi}, p->nin ? p->nin : 3,
           fc_opts(&m, p->act, p->keep, false, 0, p->wf));
    TFLC_EXPECT_EQ_INT(m.st, st);
    TFLC_EXPECT_STR_CONTAINS(m.diag.msg, "FULLY_CONNECTED");
    TFLC_EXPECT_STR_CONTAINS(m.diag.msg, needle);
    m_end(&m);
}

/* A valid float model (x [2,3], w [4,3], b [4], y [2,4]) that each case then breaks. */
static struct bad good(void) {
    return (struct bad){.xt = F32, .wt = F32, .yt = F32, .xrank = 2, .wrank = 2, .brank = 1, .yrank = 2, .xd = {2, 3},
                        .wd = {4, 3}, .bd = {4}, .yd = {2, 4}};
}

TFLC_TEST(fc_bad_models) {
    struct bad p;
    p = good(), p.wrank = 3, p.wd[2] = 1;
    fc_bad(&p, TFLC_STATUS_INVALID_MODEL, "rank 3");
    p = good(), p.xd[1] = 4;
    fc_bad(&p, TFLC_STATUS_INVALID_MODEL, "not a multiple");
    p = good(), p.bd[0] = 5;
    fc_bad(&p, TFLC_STATUS_INVALID_MODEL, "bias 'b' has 5 elements");
    p = good(), p.nin = 1, p.no_bias_tensor = true;
    fc_bad(&p, TFLC_STATUS_INVALID_MODEL, "has 1 inputs");
    p = good(), p.xd[0] = 0, p.yd[0] = 0;
    fc_bad(&p, TFLC_STATUS_INVALID_MODEL, "zero-sized");
    p = good(), p.keep = true, p.xrank = 3, p.xd[0] = 1, p.xd[1] = 6, p.xd[2] = 1, p.version = 5;
    fc_bad(&p, TFLC_STATUS_INVALID_MODEL, "keep_num_dims");
    p = good(), p.wf = 1, p.version = 2;
    fc_bad(&p, TFLC_STATUS_UNSUPPORTED, "shuffled");
    p = good(), p.act = 4;
    fc_bad(&p, TFLC_STATUS_UNSUPPORTED, "fused activation 4");
    /* int8 input with float weights has no kernel: the standard message lists the types. */
    p = good(), p.xt = S8, p.yt = S8;
    fc_bad(&p, TFLC_STATUS_UNSUPPORTED, "INT8,FLOAT32");
    p = good(), p.xt = S8, p.wt = S8, p.yt = S8, p.nscales = 3, p.version = 4;
    fc_bad(&p, TFLC_STATUS_INVALID_MODEL, "3 scales along axis 1");
    p = good(), p.xt = S16, p.wt = S8, p.yt = S16, p.zero_zp16 = true;
    fc_bad(&p, TFLC_STATUS_INVALID_MODEL, "zero points of 0");
    p = good(), p.xt = S8, p.wt = S8, p.yt = S8, p.act = 4, p.version = 4;
    fc_bad(&p, TFLC_STATUS_UNSUPPORTED, "fused activation 4");
    p = good(), p.version = 14;
    fc_bad(&p, TFLC_STATUS_UNSUPPORTED, "v14");
}

static void bmm_bad(int xr, const int32_t *xd, int yr, const int32_t *yd, enum tflc_dtype xt, enum tflc_dtype yt,
                    enum tflc_status st, const char *needle) {
    struct m m;
    m_begin(&m);
    float s = 0.5f;
    int64_t z = 0;
    struct tflc_tflb_quant q = q1(&s, &z);
    int xi = m_tensor(&m, "x", xt, xr, xd, NULL, xt == F32 ? NULL : &q);
    int yi = m_tensor(&m, "y", yt, yr, yd, NULL, yt == F32 ? NULL : &q);
    m_output(&m, xt, 2, (int32_t[]){2, 2}, xt == F32 ? NULL : &q);
    m_init(&m, BMM, 1, (int32_t[]){xi, yi}, 2, bmm_opts(&m, false, false, false));
    TFLC_EXPECT_EQ_INT(m.st, st);
    TFLC_EXPECT_STR_CONTAINS(m.diag.msg, "BATCH_MATMUL");
    TFLC_EXPECT_STR_CONTAINS(m.diag.msg, needle);
    m_end(&m);
}

TFLC_TEST(bmm_bad_models) {
    bmm_bad(2, (int32_t[]){2, 3}, 2, (int32_t[]){4, 2}, F32, F32, TFLC_STATUS_INVALID_MODEL, "inner dims differ");
    bmm_bad(3, (int32_t[]){2, 2, 3}, 3, (int32_t[]){3, 3, 2}, F32, F32, TFLC_STATUS_INVALID_MODEL, "do not broadcast");
    bmm_bad(1, (int32_t[]){3}, 2, (int32_t[]){3, 2}, F32, F32, TFLC_STATUS_INVALID_MODEL, "rank >= 2");
    bmm_bad(2, (int32_t[]){2, 3}, 2, (int32_t[]){3, 2}, S8, F32, TFLC_STATUS_UNSUPPORTED, "INT8,FLOAT32");
}

TFLC_TEST_MAIN()
