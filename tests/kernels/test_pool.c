/* Hand-checked AVERAGE_POOL_2D / MAX_POOL_2D / MEAN / SUM / REDUCE_MAX / SOFTMAX /
 * LOG_SOFTMAX / L2_NORMALIZATION cases: tiny single-op models run through the interpreter,
 * expected values worked out by hand (the arithmetic is in the comments) or by an
 * independent double-precision formula, plus the refusals (bad shapes, wrong input counts,
 * unsupported types and quantization) with their messages. Paths Google's WASM runtime
 * cannot check are covered here: int16 SUM with rescaling (TFLite 2.11 refuses it) and
 * saturating quantized SUM (TFLite 2.11 wraps; the current reference, which we follow,
 * clamps). */
#include <stdbool.h>

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

/* ---- a tiny single-op model builder ---- */

struct model {
    struct tflc_tflb *b;
    int32_t in[4], nin;   /* op inputs */
    int32_t gin[4], ngin; /* graph inputs */
    int32_t out;
    float sc[8]; /* quantization storage (copied by the builder anyway) */
    int64_t zp[8];
    int nq;
};

static struct model model_new(void) {
    struct model m;
    memset(&m, 0, sizeof m);
    m.b = tflc_tflb_create();
    return m;
}

/* Per-tensor quantization; scale 0 = none. */
static const struct tflc_tflb_quant *quant(struct model *m, struct tflc_tflb_quant *q, float scale, int zp) {
    if (scale == 0.0f) return NULL;
    m->sc[m->nq] = scale;
    m->zp[m->nq] = zp;
    *q = (struct tflc_tflb_quant){1, &m->sc[m->nq], &m->zp[m->nq], 0};
    m->nq++;
    return q;
}

static void add_input(struct model *m, enum tflc_dtype t, int rank, const int32_t *dims, float scale, int zp) {
    struct tflc_tflb_quant q;
    int i = tflc_tflb_tensor(m->b, "x", t, rank, dims, 0, quant(m, &q, scale, zp));
    m->gin[m->ngin++] = i;
    m->in[m->nin++] = i;
}

static void add_const(struct model *m, enum tflc_dtype t, int rank, const int32_t *dims, const void *data) {
    size_t n = 1;
    for (int k = 0; k < rank; k++) n *= (size_t)dims[k];
    int buf = tflc_tflb_buffer(m->b, data, n * tflc_dtype_size(t));
    m->in[m->nin++] = tflc_tflb_tensor(m->b, "axes", t, rank, dims, buf, NULL);
}

static void add_output(struct model *m, enum tflc_dtype t, int rank, const int32_t *dims, float scale, int zp) {
    struct tflc_tflb_quant q;
    m->out = tflc_tflb_tensor(m->b, "y", t, rank, dims, 0, quant(m, &q, scale, zp));
}

static uint32_t pool_opts(struct model *m, int pad, int fh, int fw, int sh, int sw, int act) {
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_POOL2D_OPTIONS_PADDING, (int8_t)pad, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_STRIDE_W, sw, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_STRIDE_H, sh, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_FILTER_WIDTH, fw, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_FILTER_HEIGHT, fh, -1);
    tflc_fbb_add_i8(f, TFLC_TFL_POOL2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, -1);
    return tflc_fbb_table_end(f);
}

static uint32_t reducer_opts(struct model *m, bool keep) {
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_REDUCER_OPTIONS_KEEP_DIMS, keep, !keep);
    return tflc_fbb_table_end(f);
}

static uint32_t softmax_opts(struct model *m, float beta) {
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_f32(f, TFLC_TFL_SOFTMAX_OPTIONS_BETA, beta, -1.0f);
    return tflc_fbb_table_end(f);
}

static uint32_t empty_opts(struct model *m) {
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    tflc_fbb_table_start(f);
    return tflc_fbb_table_end(f);
}

static uint32_t l2_opts(struct model *m, int act) {
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_L2NORM_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, -1);
    return tflc_fbb_table_end(f);
}

/* Builds the model, runs it on `input` (the one graph input) and copies the output into
 * `out` (out_bytes; 0 = status only). Returns init's or invoke's status; diag gets the
 * message. Destroys the builder. */
static enum tflc_status run(struct model *m, int32_t builtin, int version, uint8_t opt_type, uint32_t opt,
                            const void *input, void *out, size_t out_bytes, struct tflc_diag *diag) {
    tflc_tflb_op(m->b, builtin, version, NULL, m->in, m->nin, &m->out, 1, opt_type, opt);
    tflc_tflb_graph_io(m->b, m->gin, m->ngin, &m->out, 1);
    const uint8_t *data;
    size_t size, need = 0;
    memset(diag, 0, sizeof *diag);
    enum tflc_status st = tflc_tflb_finish(m->b, "test_pool", &data, &size, diag);
    void *arena = NULL;
    if (!st) st = tflc_interp_arena_size_hosted(data, size, &ref_arith, &need, diag);
    if (!st && posix_memalign(&arena, 64, need ? need : 64) != 0) st = TFLC_STATUS_OUT_OF_MEMORY;
    struct tflc_interp *it = NULL;
    if (!st) st = tflc_interp_init(&it, data, size, arena, need, &ref_arith, diag);
    if (!st) {
        struct tflc_tensor *t = tflc_interp_input(it, 0);
        memcpy(t->data, input, t->bytes);
        st = tflc_interp_invoke(it, diag);
    }
    if (!st && out_bytes) {
        const struct tflc_tensor *y = tflc_interp_output(it, 0);
        if (y->bytes != out_bytes) {
            fprintf(stderr, "output has %zu bytes, expected %zu\n", y->bytes, out_bytes);
            st = TFLC_STATUS_INTERNAL;
        } else {
            memcpy(out, y->data, out_bytes);
        }
    }
    tflc_interp_free(it);
    free(arena);
    tflc_tflb_destroy(m->b);
    return st;
}

/* Output shape of the last successful run, for rank checks. */
static int last_rank(struct model *m, int32_t builtin, int version, uint8_t opt_type, uint32_t opt, const void *input,
                     struct tflc_diag *diag, int32_t *dims) {
    tflc_tflb_op(m->b, builtin, version, NULL, m->in, m->nin, &m->out, 1, opt_type, opt);
    tflc_tflb_graph_io(m->b, m->gin, m->ngin, &m->out, 1);
    const uint8_t *data;
    size_t size, need = 0;
    int rank = -1;
    memset(diag, 0, sizeof *diag);
    enum tflc_status st = tflc_tflb_finish(m->b, "test_pool", &data, &size, diag);
    void *arena = NULL;
    if (!st) st = tflc_interp_arena_size_hosted(data, size, &ref_arith, &need, diag);
    if (!st && posix_memalign(&arena, 64, need ? need : 64) != 0) st = TFLC_STATUS_OUT_OF_MEMORY;
    struct tflc_interp *it = NULL;
    if (!st) st = tflc_interp_init(&it, data, size, arena, need, &ref_arith, diag);
    if (!st) {
        memcpy(tflc_interp_input(it, 0)->data, input, tflc_interp_input(it, 0)->bytes);
        st = tflc_interp_invoke(it, diag);
    }
    if (!st) {
        const struct tflc_tensor *y = tflc_interp_output(it, 0);
        rank = y->rank;
        memcpy(dims, y->dims, sizeof y->dims);
    }
    tflc_interp_free(it);
    free(arena);
    tflc_tflb_destroy(m->b);
    return rank;
}

enum { SAME = TFLC_TFL_PADDING_SAME, VALID = TFLC_TFL_PADDING_VALID };
#define OP_AVG TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D
#define OP_MAX TFLC_TFL_BUILTIN_OPERATOR_MAX_POOL_2D
#define OP_MEAN TFLC_TFL_BUILTIN_OPERATOR_MEAN
#define OP_SUM TFLC_TFL_BUILTIN_OPERATOR_SUM
#define OP_RMAX TFLC_TFL_BUILTIN_OPERATOR_REDUCE_MAX
#define OP_SM TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX
#define OP_LSM TFLC_TFL_BUILTIN_OPERATOR_LOG_SOFTMAX
#define OP_L2 TFLC_TFL_BUILTIN_OPERATOR_L2_NORMALIZATION
#define T_POOL TFLC_TFL_BUILTIN_OPTIONS_POOL2D_OPTIONS
#define T_RED TFLC_TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS
#define T_SM TFLC_TFL_BUILTIN_OPTIONS_SOFTMAX_OPTIONS
#define T_LSM TFLC_TFL_BUILTIN_OPTIONS_LOG_SOFTMAX_OPTIONS
#define T_L2 TFLC_TFL_BUILTIN_OPTIONS_L2NORM_OPTIONS

/* ---- pooling ---- */

/* 3x3 input 1..9, 2x2 window, stride 2, SAME: out 2x2, total padding 1 goes after, so the
 * right/bottom windows are clipped and divide by the clipped size:
 *   (1+2+4+5)/4 = 3, (3+6)/2 = 4.5, (7+8)/2 = 7.5, 9/1 = 9. */
TFLC_TEST(avgpool_f32_same_clipped_windows) {
    struct model m = model_new();
    add_input(&m, F32, 4, (int32_t[]){1, 3, 3, 1}, 0, 0);
    add_output(&m, F32, 4, (int32_t[]){1, 2, 2, 1}, 0, 0);
    float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_AVG, 1, T_POOL, pool_opts(&m, SAME, 2, 2, 2, 2, 0), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_NEAR(y[0], 3.0, 0);
    TFLC_EXPECT_NEAR(y[1], 4.5, 0);
    TFLC_EXPECT_NEAR(y[2], 7.5, 0);
    TFLC_EXPECT_NEAR(y[3], 9.0, 0);
}

/* int8 averages round half away from zero ((acc +- count/2) / count, C division):
 * pairs {1,2} -> 1.5 -> 2, {-1,-2} -> -1.5 -> -2, {-1,0} -> -0.5 -> -1, {0,1} -> 0.5 -> 1,
 * {5,6} -> 5.5 -> 6, {-7,-7} -> -7. Window 1x2, stride 2, VALID. */
TFLC_TEST(avgpool_s8_rounding_half_away) {
    struct model m = model_new();
    add_input(&m, S8, 4, (int32_t[]){1, 1, 12, 1}, 0.5f, 0);
    add_output(&m, S8, 4, (int32_t[]){1, 1, 6, 1}, 0.5f, 0);
    int8_t x[12] = {1, 2, -1, -2, -1, 0, 0, 1, 5, 6, -7, -7}, y[6];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_AVG, 2, T_POOL, pool_opts(&m, VALID, 1, 2, 1, 2, 0), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    const int8_t want[6] = {2, -2, -1, 1, 6, -7};
    for (int i = 0; i < 6; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
}

/* RELU6 on int8 with scale 0.5, zero point -3: the clamp range is
 * [-3 + round(0 / 0.5), -3 + round(6 / 0.5)] = [-3, 9]. Pair averages: -9 -> -3, 21 -> 9,
 * 4 -> 4, -128 -> -3. */
TFLC_TEST(avgpool_s8_relu6_clamps_in_quantized_domain) {
    struct model m = model_new();
    add_input(&m, S8, 4, (int32_t[]){1, 1, 8, 1}, 0.5f, -3);
    add_output(&m, S8, 4, (int32_t[]){1, 1, 4, 1}, 0.5f, -3);
    int8_t x[8] = {-10, -8, 20, 22, 3, 5, -128, -128}, y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_AVG, 2, T_POOL, pool_opts(&m, VALID, 1, 2, 1, 2, TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6),
                     x, y, sizeof y, &d) == TFLC_STATUS_OK);
    const int8_t want[4] = {-3, 9, 4, -3};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
}

/* int16 average with a 3x3 window, stride 1, SAME on a 3x3 input: the centre sees all nine
 * values (sum 45, 45/9 = 5), the corner (0,0) sees 4 (1+2+4+5 = 12, 12/4 = 3), the edge
 * (0,1) sees 6 (1+2+3+4+5+6 = 21, 21/6 = 3.5 -> 4). Values scaled by 1000. */
TFLC_TEST(avgpool_s16_counts_only_real_cells) {
    struct model m = model_new();
    add_input(&m, S16, 4, (int32_t[]){1, 3, 3, 1}, 0.001f, 0);
    add_output(&m, S16, 4, (int32_t[]){1, 3, 3, 1}, 0.001f, 0);
    int16_t x[9] = {1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000}, y[9];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_AVG, 3, T_POOL, pool_opts(&m, SAME, 3, 3, 1, 1, 0), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(y[4], 5000);
    TFLC_EXPECT_EQ_INT(y[0], 3000);
    TFLC_EXPECT_EQ_INT(y[1], 3500);
}

/* Max pooling never lets padding win: an all-negative 3x3 input with a 3x3 SAME window gives
 * the largest real neighbour, not 0. Input -1..-9 row-major: (0,0) sees -1,-2,-4,-5 -> -1;
 * (2,2) sees -5,-6,-8,-9 -> -5; centre -> -1. */
TFLC_TEST(maxpool_f32_padding_never_wins) {
    struct model m = model_new();
    add_input(&m, F32, 4, (int32_t[]){1, 3, 3, 1}, 0, 0);
    add_output(&m, F32, 4, (int32_t[]){1, 3, 3, 1}, 0, 0);
    float x[9] = {-1, -2, -3, -4, -5, -6, -7, -8, -9}, y[9];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_MAX, 1, T_POOL, pool_opts(&m, SAME, 3, 3, 1, 1, 0), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_NEAR(y[0], -1, 0);
    TFLC_EXPECT_NEAR(y[8], -5, 0);
    TFLC_EXPECT_NEAR(y[4], -1, 0);
    TFLC_EXPECT_NEAR(y[2], -2, 0); /* sees -2,-3,-5,-6 */
}

/* uint8 max pool with RELU and zero point 100 (scale 1): values below 100 mean negative
 * reals and clamp to 100. Pairs: max(90, 95) = 95 -> 100; max(101, 7) = 101; max(255, 0) = 255. */
TFLC_TEST(maxpool_u8_relu_zero_point) {
    struct model m = model_new();
    add_input(&m, U8, 4, (int32_t[]){1, 1, 6, 1}, 1.0f, 100);
    add_output(&m, U8, 4, (int32_t[]){1, 1, 3, 1}, 1.0f, 100);
    uint8_t x[6] = {90, 95, 101, 7, 255, 0}, y[3];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_MAX, 1, T_POOL, pool_opts(&m, VALID, 1, 2, 1, 2, TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU), x,
                     y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(y[0], 100);
    TFLC_EXPECT_EQ_INT(y[1], 101);
    TFLC_EXPECT_EQ_INT(y[2], 255);
}

TFLC_TEST(pool_refusals) {
    struct tflc_diag d;
    float x[64] = {0};
    /* rank 3 input */
    struct model m = model_new();
    add_input(&m, F32, 3, (int32_t[]){1, 4, 4}, 0, 0);
    add_output(&m, F32, 3, (int32_t[]){1, 4, 4}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_AVG, 1, T_POOL, pool_opts(&m, SAME, 2, 2, 1, 1, 0), x, NULL, 0, &d),
                       TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "AVERAGE_POOL_2D");
    TFLC_EXPECT_STR_CONTAINS(d.msg, "must be 4-D");
    /* VALID window larger than the input */
    m = model_new();
    add_input(&m, F32, 4, (int32_t[]){1, 2, 2, 1}, 0, 0);
    add_output(&m, F32, 4, (int32_t[]){1, 1, 1, 1}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_MAX, 1, T_POOL, pool_opts(&m, VALID, 3, 3, 1, 1, 0), x, NULL, 0, &d),
                       TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "larger than the input");
    /* stride 0 */
    m = model_new();
    add_input(&m, F32, 4, (int32_t[]){1, 4, 4, 1}, 0, 0);
    add_output(&m, F32, 4, (int32_t[]){1, 2, 2, 1}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_MAX, 1, T_POOL, pool_opts(&m, SAME, 2, 2, 0, 2, 0), x, NULL, 0, &d),
                       TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "stride");
    /* input and output quantization differ */
    m = model_new();
    add_input(&m, S8, 4, (int32_t[]){1, 4, 4, 1}, 0.5f, 0);
    add_output(&m, S8, 4, (int32_t[]){1, 2, 2, 1}, 0.25f, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_AVG, 2, T_POOL, pool_opts(&m, VALID, 2, 2, 2, 2, 0), x, NULL, 0, &d),
                       TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "same scale and zero point");
    /* int32 pooling: no kernel; the message names the op, version and types */
    m = model_new();
    add_input(&m, S32, 4, (int32_t[]){1, 4, 4, 1}, 0, 0);
    add_output(&m, S32, 4, (int32_t[]){1, 2, 2, 1}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_MAX, 1, T_POOL, pool_opts(&m, VALID, 2, 2, 2, 2, 0), x, NULL, 0, &d),
                       TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "MAX_POOL_2D v1");
    TFLC_EXPECT_STR_CONTAINS(d.msg, "INT32");
    /* two inputs */
    m = model_new();
    add_input(&m, F32, 4, (int32_t[]){1, 4, 4, 1}, 0, 0);
    add_const(&m, F32, 1, (int32_t[]){1}, x);
    add_output(&m, F32, 4, (int32_t[]){1, 2, 2, 1}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_AVG, 1, T_POOL, pool_opts(&m, VALID, 2, 2, 2, 2, 0), x, NULL, 0, &d),
                       TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "inputs");
    /* a zero-sized input */
    m = model_new();
    add_input(&m, F32, 4, (int32_t[]){1, 0, 4, 1}, 0, 0);
    add_output(&m, F32, 4, (int32_t[]){1, 0, 2, 1}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_AVG, 1, T_POOL, pool_opts(&m, SAME, 2, 2, 2, 2, 0), x, NULL, 0, &d),
                       TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "zero-sized");
    /* a version newer than TFLite's */
    m = model_new();
    add_input(&m, F32, 4, (int32_t[]){1, 4, 4, 1}, 0, 0);
    add_output(&m, F32, 4, (int32_t[]){1, 2, 2, 1}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_AVG, 4, T_POOL, pool_opts(&m, VALID, 2, 2, 2, 2, 0), x, NULL, 0, &d),
                       TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "AVERAGE_POOL_2D v4");
}

/* ---- reductions ---- */

/* MEAN of [[1,2,3],[4,5,9]] over axis 1: [2, 6]; the same with axes [-1, 1] (negative and
 * duplicate name one axis). */
TFLC_TEST(mean_f32_axes_negative_and_duplicate) {
    float x[6] = {1, 2, 3, 4, 5, 9}, y[2];
    struct tflc_diag d;
    for (int variant = 0; variant < 2; variant++) {
        struct model m = model_new();
        add_input(&m, F32, 2, (int32_t[]){2, 3}, 0, 0);
        int32_t ax1[1] = {1}, ax2[2] = {-1, 1};
        if (variant == 0)
            add_const(&m, S32, 1, (int32_t[]){1}, ax1);
        else
            add_const(&m, S32, 1, (int32_t[]){2}, ax2);
        add_output(&m, F32, 1, (int32_t[]){2}, 0, 0);
        TFLC_REQUIRE(run(&m, OP_MEAN, 1, T_RED, reducer_opts(&m, false), x, y, sizeof y, &d) == TFLC_STATUS_OK);
        TFLC_EXPECT_NEAR(y[0], 2.0, 1e-7);
        TFLC_EXPECT_NEAR(y[1], 6.0, 1e-7);
    }
}

/* Output shapes: keep_dims keeps reduced dims as 1; without it all-axes gives a scalar; an
 * empty axis list reduces nothing. */
TFLC_TEST(reduce_output_shapes) {
    float x[24];
    for (int i = 0; i < 24; i++) x[i] = (float)i;
    struct tflc_diag d;
    int32_t dims[TFLC_MAX_DIMS];
    struct model m = model_new();
    add_input(&m, F32, 3, (int32_t[]){2, 3, 4}, 0, 0);
    add_const(&m, S32, 1, (int32_t[]){2}, (int32_t[]){0, 2});
    add_output(&m, F32, 3, (int32_t[]){1, 3, 1}, 0, 0);
    TFLC_EXPECT_EQ_INT(last_rank(&m, OP_SUM, 1, T_RED, reducer_opts(&m, true), x, &d, dims), 3);
    TFLC_EXPECT(dims[0] == 1 && dims[1] == 3 && dims[2] == 1);
    m = model_new();
    add_input(&m, F32, 3, (int32_t[]){2, 3, 4}, 0, 0);
    add_const(&m, S32, 1, (int32_t[]){3}, (int32_t[]){0, 1, 2});
    add_output(&m, F32, 0, NULL, 0, 0);
    TFLC_EXPECT_EQ_INT(last_rank(&m, OP_SUM, 1, T_RED, reducer_opts(&m, false), x, &d, dims), 0);
    m = model_new();
    add_input(&m, F32, 3, (int32_t[]){2, 3, 4}, 0, 0);
    add_const(&m, S32, 1, (int32_t[]){0}, NULL);
    add_output(&m, F32, 3, (int32_t[]){2, 3, 4}, 0, 0);
    TFLC_EXPECT_EQ_INT(last_rank(&m, OP_RMAX, 1, T_RED, reducer_opts(&m, false), x, &d, dims), 3);
    TFLC_EXPECT(dims[0] == 2 && dims[1] == 3 && dims[2] == 4);
}

/* SUM over everything of 0..23 = 276; REDUCE_MAX over axis 0 of a [2,2,2] int8 tensor is the
 * elementwise max of its two halves. */
TFLC_TEST(sum_f32_all_and_reduce_max_s8) {
    float x[24], y;
    for (int i = 0; i < 24; i++) x[i] = (float)i;
    struct tflc_diag d;
    struct model m = model_new();
    add_input(&m, F32, 3, (int32_t[]){2, 3, 4}, 0, 0);
    add_const(&m, S32, 1, (int32_t[]){3}, (int32_t[]){2, 0, 1});
    add_output(&m, F32, 0, NULL, 0, 0);
    TFLC_REQUIRE(run(&m, OP_SUM, 1, T_RED, reducer_opts(&m, false), x, &y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_NEAR(y, 276.0, 0);
    int8_t q[8] = {-128, 5, 127, -1, -127, 4, 0, -2}, qy[4];
    m = model_new();
    add_input(&m, S8, 3, (int32_t[]){2, 2, 2}, 0.1f, 3);
    add_const(&m, S32, 0, NULL, (int32_t[]){0});
    add_output(&m, S8, 2, (int32_t[]){2, 2}, 0.1f, 3);
    TFLC_REQUIRE(run(&m, OP_RMAX, 2, T_RED, reducer_opts(&m, false), q, qy, sizeof qy, &d) == TFLC_STATUS_OK);
    const int8_t want[4] = {-127, 5, 127, -1};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(qy[i], want[i]);
}

/* Quantized MEAN, same scale and zero point in and out (TFLite's reference kernel):
 *  - not over H,W: the same-quantization branch divides the integer sum, truncating:
 *    sum 3 -> 1.5 -> 1, sum -3 -> -1.5 -> -1 (TFLite 2.11's builtin kernel too);
 *  - over H,W of a 4-D tensor with keep_dims: the integer Mean divides with ties away from
 *    zero: 3 -> 2, -3 -> -2 (XNNPACK, in Google's runtime, rounds ties to even: 2 and -2). */
TFLC_TEST(mean_s8_rounding_paths) {
    struct tflc_diag d;
    int8_t x[4] = {1, 2, -1, -2}, y[2];
    struct model m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 2}, 0.5f, 0);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){1});
    add_output(&m, S8, 1, (int32_t[]){2}, 0.5f, 0);
    TFLC_REQUIRE(run(&m, OP_MEAN, 2, T_RED, reducer_opts(&m, false), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(y[0], 1);
    TFLC_EXPECT_EQ_INT(y[1], -1);
    /* NHWC [1,1,2,2]: pixels (1,-1) and (2,-2), so channel 0 = {1, 2} -> 1.5 -> 2 and
     * channel 1 = {-1, -2} -> -1.5 -> -2. */
    int8_t x4[4] = {1, -1, 2, -2};
    m = model_new();
    add_input(&m, S8, 4, (int32_t[]){1, 1, 2, 2}, 0.5f, 0);
    add_const(&m, S32, 1, (int32_t[]){2}, (int32_t[]){1, 2});
    add_output(&m, S8, 4, (int32_t[]){1, 1, 1, 2}, 0.5f, 0);
    TFLC_REQUIRE(run(&m, OP_MEAN, 2, T_RED, reducer_opts(&m, true), x4, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(y[0], 2);
    TFLC_EXPECT_EQ_INT(y[1], -2);
}

/* MEAN with rescaling, int8 zero points at the extremes: in (s 0.5, zp -128), out (s 0.25,
 * zp 127). Values -128, -126 are reals 0 and 1: mean 0.5 real = 2 output steps -> 127 + 2
 * saturates at 127. Values -128, -128 -> real 0 -> 127. */
TFLC_TEST(mean_s8_rescale_saturates) {
    struct tflc_diag d;
    int8_t x[4] = {-128, -126, -128, -128}, y[2];
    struct model m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 2}, 0.5f, -128);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){-1});
    add_output(&m, S8, 1, (int32_t[]){2}, 0.25f, 127);
    TFLC_REQUIRE(run(&m, OP_MEAN, 2, T_RED, reducer_opts(&m, false), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(y[0], 127);
    TFLC_EXPECT_EQ_INT(y[1], 127);
    /* out (s 0.25, zp -128): 0.5 real -> -128 + 2 = -126; 0 -> -128 */
    m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 2}, 0.5f, -128);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){-1});
    add_output(&m, S8, 1, (int32_t[]){2}, 0.25f, -128);
    TFLC_REQUIRE(run(&m, OP_MEAN, 2, T_RED, reducer_opts(&m, false), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(y[0], -126);
    TFLC_EXPECT_EQ_INT(y[1], -128);
}

/* Quantized SUM saturates (current TFLite reference; TFLite 2.11 wraps 200 to -56):
 * 100 + 100 = 200 -> 127, -100 + -100 -> -128. */
TFLC_TEST(sum_s8_saturates) {
    struct tflc_diag d;
    int8_t x[4] = {100, 100, -100, -100}, y[2];
    struct model m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 2}, 1.0f, 0);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){1});
    add_output(&m, S8, 1, (int32_t[]){2}, 1.0f, 0);
    TFLC_REQUIRE(run(&m, OP_SUM, 2, T_RED, reducer_opts(&m, false), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(y[0], 127);
    TFLC_EXPECT_EQ_INT(y[1], -128);
}

/* int16 SUM with rescaling (TFLite 2.11 refuses it; the reference handles it): s_in 0.001,
 * s_out 0.004, multiplier 0.25 = 2^30 * 2^-1. {1000, 1000, 1000} -> 3000 * 0.25 = 750;
 * {1, 1, 0} -> 2 * 0.25 = 0.5 -> SRDHM(2, 2^30) = 1, then a rounding shift by 1: 0.5 -> 1. */
TFLC_TEST(sum_s16_rescale) {
    struct tflc_diag d;
    int16_t x[6] = {1000, 1000, 1000, 1, 1, 0}, y[2];
    struct model m = model_new();
    add_input(&m, S16, 2, (int32_t[]){2, 3}, 0.001f, 0);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){1});
    add_output(&m, S16, 1, (int32_t[]){2}, 0.004f, 0);
    TFLC_REQUIRE(run(&m, OP_SUM, 1, T_RED, reducer_opts(&m, false), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(y[0], 750);
    TFLC_EXPECT_EQ_INT(y[1], 1);
}

/* A scalar input: TFLite ignores the axes and returns the value. */
TFLC_TEST(mean_scalar_input) {
    struct tflc_diag d;
    float x = 5.5f, y = 0;
    struct model m = model_new();
    add_input(&m, F32, 0, NULL, 0, 0);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){0});
    add_output(&m, F32, 0, NULL, 0, 0);
    TFLC_REQUIRE(run(&m, OP_MEAN, 1, T_RED, reducer_opts(&m, false), &x, &y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_NEAR(y, 5.5, 0);
}

TFLC_TEST(reduce_refusals) {
    struct tflc_diag d;
    float x[8] = {0};
    /* axis out of range */
    struct model m = model_new();
    add_input(&m, F32, 2, (int32_t[]){2, 4}, 0, 0);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){2});
    add_output(&m, F32, 1, (int32_t[]){2}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_MEAN, 1, T_RED, reducer_opts(&m, false), x, NULL, 0, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "MEAN");
    TFLC_EXPECT_STR_CONTAINS(d.msg, "axis 2 is out of range");
    m = model_new();
    add_input(&m, F32, 2, (int32_t[]){2, 4}, 0, 0);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){-3});
    add_output(&m, F32, 1, (int32_t[]){2}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_SUM, 1, T_RED, reducer_opts(&m, false), x, NULL, 0, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "axis -3 is out of range");
    /* axes as int64 */
    m = model_new();
    add_input(&m, F32, 2, (int32_t[]){2, 4}, 0, 0);
    add_const(&m, TFLC_DTYPE_INT64, 1, (int32_t[]){1}, (int64_t[]){1});
    add_output(&m, F32, 1, (int32_t[]){2}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_SUM, 1, T_RED, reducer_opts(&m, false), x, NULL, 0, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "must be INT32");
    /* only one input */
    m = model_new();
    add_input(&m, F32, 2, (int32_t[]){2, 4}, 0, 0);
    add_output(&m, F32, 1, (int32_t[]){2}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_RMAX, 1, T_RED, reducer_opts(&m, false), x, NULL, 0, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "has 1 inputs");
    /* REDUCE_MAX with different input/output quantization */
    m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 4}, 0.5f, 1);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){1});
    add_output(&m, S8, 1, (int32_t[]){2}, 0.5f, 2);
    TFLC_EXPECT_EQ_INT(run(&m, OP_RMAX, 2, T_RED, reducer_opts(&m, false), x, NULL, 0, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "same scale and zero point");
    /* int16 MEAN with a zero point */
    m = model_new();
    add_input(&m, S16, 2, (int32_t[]){2, 4}, 0.5f, 3);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){1});
    add_output(&m, S16, 1, (int32_t[]){2}, 0.5f, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_MEAN, 3, T_RED, reducer_opts(&m, false), x, NULL, 0, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "zero points of 0");
    /* input float, output int8 */
    m = model_new();
    add_input(&m, F32, 2, (int32_t[]){2, 4}, 0, 0);
    add_const(&m, S32, 1, (int32_t[]){1}, (int32_t[]){1});
    add_output(&m, S8, 1, (int32_t[]){2}, 0.5f, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_MEAN, 1, T_RED, reducer_opts(&m, false), x, NULL, 0, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "FLOAT32,INT32 -> outputs INT8");
    /* axes computed at run time (a graph input) */
    m = model_new();
    add_input(&m, S32, 1, (int32_t[]){1}, 0, 0);
    m.in[m.nin++] = tflc_tflb_tensor(m.b, "data", F32, 2, (int32_t[]){2, 4}, tflc_tflb_buffer(m.b, x, sizeof x), NULL);
    m.in[0] = m.in[1];
    m.in[1] = m.gin[0];
    add_output(&m, F32, 1, (int32_t[]){2}, 0, 0);
    int32_t axis = 1;
    TFLC_EXPECT_EQ_INT(run(&m, OP_SUM, 1, T_RED, reducer_opts(&m, false), &axis, NULL, 0, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "must be a constant");
}

/* ---- softmax family ---- */

/* float softmax against the formula in double; beta scales the logits; beta 0 is uniform. */
TFLC_TEST(softmax_f32_formula_and_beta) {
    const float x[4] = {1.0f, 2.0f, 3.0f, -1.0f};
    const float betas[3] = {1.0f, 0.5f, 0.0f};
    for (int b = 0; b < 3; b++) {
        struct tflc_diag d;
        float y[4];
        struct model m = model_new();
        add_input(&m, F32, 2, (int32_t[]){1, 4}, 0, 0);
        add_output(&m, F32, 2, (int32_t[]){1, 4}, 0, 0);
        TFLC_REQUIRE(run(&m, OP_SM, 1, T_SM, softmax_opts(&m, betas[b]), x, y, sizeof y, &d) == TFLC_STATUS_OK);
        double s = 0;
        for (int i = 0; i < 4; i++) s += exp((double)betas[b] * (x[i] - 3.0));
        for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], exp((double)betas[b] * (x[i] - 3.0)) / s, 1e-6);
    }
}

/* int8 softmax (output 1/256, zero point -128): two equal logits -> 0.5 each = 128 steps
 * -> 0; logits 255 steps apart with scale 1 -> exp(-255) ~ 0: p = 256 -> clamps to 127, the
 * other -> -128. */
TFLC_TEST(softmax_s8_hand_values) {
    struct tflc_diag d;
    int8_t x[4] = {7, 7, 127, -128}, y[4];
    struct model m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 2}, 1.0f, 0);
    add_output(&m, S8, 2, (int32_t[]){2, 2}, 1.0f / 256, -128);
    TFLC_REQUIRE(run(&m, OP_SM, 2, T_SM, softmax_opts(&m, 1.0f), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(y[0], 0);
    TFLC_EXPECT_EQ_INT(y[1], 0);
    TFLC_EXPECT_EQ_INT(y[2], 127);
    TFLC_EXPECT_EQ_INT(y[3], -128);
}

/* Quantized softmax probabilities stay within one step of the exact value. Rows of random
 * int8 logits (scale 0.1): |y - (round(256 p) - 128)| <= 1 with p computed in double. */
TFLC_TEST(softmax_s8_close_to_formula) {
    struct tflc_diag d;
    int8_t x[5 * 16], y[5 * 16];
    for (int i = 0; i < 80; i++) x[i] = (int8_t)tflc_test_rand_range(-128, 127);
    struct model m = model_new();
    add_input(&m, S8, 2, (int32_t[]){5, 16}, 0.1f, 0);
    add_output(&m, S8, 2, (int32_t[]){5, 16}, 1.0f / 256, -128);
    TFLC_REQUIRE(run(&m, OP_SM, 2, T_SM, softmax_opts(&m, 1.0f), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    for (int r = 0; r < 5; r++) {
        double mx = -1e9, s = 0;
        for (int j = 0; j < 16; j++) mx = fmax(mx, x[r * 16 + j]);
        for (int j = 0; j < 16; j++) s += exp(0.1 * (x[r * 16 + j] - mx));
        for (int j = 0; j < 16; j++) {
            double want = fmin(127, round(256 * exp(0.1 * (x[r * 16 + j] - mx)) / s) - 128);
            TFLC_EXPECT_NEAR(y[r * 16 + j], want, 1);
        }
    }
}

/* int16 softmax (output 1/32768, zero point 0): two equal logits give ~0.5 = 16384 (the
 * table-based exp and reciprocal are accurate to a few steps). */
TFLC_TEST(softmax_s16_equal_logits) {
    struct tflc_diag d;
    int16_t x[2] = {1234, 1234}, y[2];
    struct model m = model_new();
    add_input(&m, S16, 2, (int32_t[]){1, 2}, 0.001f, 0);
    add_output(&m, S16, 2, (int32_t[]){1, 2}, 1.0f / 32768, 0);
    TFLC_REQUIRE(run(&m, OP_SM, 3, T_SM, softmax_opts(&m, 1.0f), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_NEAR(y[0], 16384, 4);
    TFLC_EXPECT_EQ_INT(y[0], y[1]);
}

TFLC_TEST(softmax_refusals) {
    struct tflc_diag d;
    int8_t x[8] = {0};
    /* int8 output with the wrong scale */
    struct model m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 4}, 0.1f, 0);
    add_output(&m, S8, 2, (int32_t[]){2, 4}, 1.0f / 128, -128);
    TFLC_EXPECT_EQ_INT(run(&m, OP_SM, 2, T_SM, softmax_opts(&m, 1.0f), x, NULL, 0, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "SOFTMAX v2");
    TFLC_EXPECT_STR_CONTAINS(d.msg, "scale 1/256 and zero point -128");
    /* uint8 output with zero point -128 is impossible; zero point 5 is refused */
    m = model_new();
    add_input(&m, U8, 2, (int32_t[]){2, 4}, 0.1f, 0);
    add_output(&m, U8, 2, (int32_t[]){2, 4}, 1.0f / 256, 5);
    TFLC_EXPECT_EQ_INT(run(&m, OP_SM, 1, T_SM, softmax_opts(&m, 1.0f), x, NULL, 0, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "zero point 0");
    /* int8 -> uint8 */
    m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 4}, 0.1f, 0);
    add_output(&m, U8, 2, (int32_t[]){2, 4}, 1.0f / 256, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_SM, 2, T_SM, softmax_opts(&m, 1.0f), x, NULL, 0, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "INT8 -> outputs UINT8");
    /* rank 0 */
    m = model_new();
    add_input(&m, F32, 0, NULL, 0, 0);
    add_output(&m, F32, 0, NULL, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_SM, 1, T_SM, softmax_opts(&m, 1.0f), x, NULL, 0, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "rank >= 1");
}

/* float log softmax against the formula: x - max - log(sum exp(x - max)). */
TFLC_TEST(log_softmax_f32_formula) {
    struct tflc_diag d;
    const float x[3] = {1.0f, 2.0f, 3.0f};
    float y[3];
    struct model m = model_new();
    add_input(&m, F32, 1, (int32_t[]){3}, 0, 0);
    add_output(&m, F32, 1, (int32_t[]){3}, 0, 0);
    TFLC_REQUIRE(run(&m, OP_LSM, 1, T_LSM, empty_opts(&m), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    double ls = log(exp(-2.0) + exp(-1.0) + 1.0);
    for (int i = 0; i < 3; i++) TFLC_EXPECT_NEAR(y[i], x[i] - 3.0 - ls, 1e-6);
}

/* int8 log softmax (output 16/256, zero point 127): two equal logits -> log(1/2) =
 * -0.6931 = -11.09 steps -> 127 - 11 = 116; a logit far below the max -> -128. */
TFLC_TEST(log_softmax_s8_hand_values) {
    struct tflc_diag d;
    int8_t x[4] = {10, 10, 127, -128}, y[4];
    struct model m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 2}, 0.1f, 0);
    add_output(&m, S8, 2, (int32_t[]){2, 2}, 16.0f / 256, 127);
    TFLC_REQUIRE(run(&m, OP_LSM, 2, T_LSM, empty_opts(&m), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(y[0], 116);
    TFLC_EXPECT_EQ_INT(y[1], 116);
    TFLC_EXPECT_EQ_INT(y[2], 127);  /* log(1 / (1 + exp(-25.5))) ~ 0 */
    TFLC_EXPECT_EQ_INT(y[3], -128); /* -25.5 real = -408 steps */
    /* wrong output zero point */
    m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 2}, 0.1f, 0);
    add_output(&m, S8, 2, (int32_t[]){2, 2}, 16.0f / 256, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_LSM, 2, T_LSM, empty_opts(&m), x, NULL, 0, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "scale 16/256 and zero point 127");
}

/* L2 normalization: [3, 4] -> [0.6, 0.8]; an all-zero row stays 0 (epsilon / inverse sqrt
 * of 0 treated as 1). int8 output is Q0.7: 0.6 * 128 = 76.8 -> 77, 0.8 * 128 = 102.4 -> 102. */
TFLC_TEST(l2norm_hand_values) {
    struct tflc_diag d;
    float x[4] = {3, 4, 0, 0}, y[4];
    struct model m = model_new();
    add_input(&m, F32, 2, (int32_t[]){2, 2}, 0, 0);
    add_output(&m, F32, 2, (int32_t[]){2, 2}, 0, 0);
    TFLC_REQUIRE(run(&m, OP_L2, 1, T_L2, l2_opts(&m, 0), x, y, sizeof y, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_NEAR(y[0], 0.6, 1e-7);
    TFLC_EXPECT_NEAR(y[1], 0.8, 1e-7);
    TFLC_EXPECT_NEAR(y[2], 0, 0);
    TFLC_EXPECT_NEAR(y[3], 0, 0);
    int8_t q[4] = {3 - 20, 4 - 20, -20, -20}, qy[4];
    m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 2}, 0.5f, -20);
    add_output(&m, S8, 2, (int32_t[]){2, 2}, 1.0f / 128, 0);
    TFLC_REQUIRE(run(&m, OP_L2, 2, T_L2, l2_opts(&m, 0), q, qy, sizeof qy, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(qy[0], 77);
    TFLC_EXPECT_EQ_INT(qy[1], 102);
    TFLC_EXPECT_EQ_INT(qy[2], 0);
    TFLC_EXPECT_EQ_INT(qy[3], 0);
    /* uint8: 128 + 76.8 -> 205, 128 + 102.4 -> 230 */
    uint8_t u[2] = {131, 132}, uy[2];
    m = model_new();
    add_input(&m, U8, 2, (int32_t[]){1, 2}, 0.5f, 128);
    add_output(&m, U8, 2, (int32_t[]){1, 2}, 1.0f / 128, 128);
    TFLC_REQUIRE(run(&m, OP_L2, 1, T_L2, l2_opts(&m, 0), u, uy, sizeof uy, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(uy[0], 205);
    TFLC_EXPECT_EQ_INT(uy[1], 230);
}

TFLC_TEST(l2norm_refusals) {
    struct tflc_diag d;
    float x[32] = {0};
    struct model m = model_new();
    add_input(&m, F32, 2, (int32_t[]){2, 2}, 0, 0);
    add_output(&m, F32, 2, (int32_t[]){2, 2}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_L2, 1, T_L2, l2_opts(&m, TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU), x, NULL, 0, &d),
                       TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "L2_NORMALIZATION");
    TFLC_EXPECT_STR_CONTAINS(d.msg, "fused activation");
    m = model_new();
    add_input(&m, F32, 5, (int32_t[]){1, 1, 2, 2, 2}, 0, 0);
    add_output(&m, F32, 5, (int32_t[]){1, 1, 2, 2, 2}, 0, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_L2, 1, T_L2, l2_opts(&m, 0), x, NULL, 0, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "rank 1 to 4");
    m = model_new();
    add_input(&m, S8, 2, (int32_t[]){2, 2}, 0.5f, 0);
    add_output(&m, S8, 2, (int32_t[]){2, 2}, 1.0f / 256, 0);
    TFLC_EXPECT_EQ_INT(run(&m, OP_L2, 2, T_L2, l2_opts(&m, 0), x, NULL, 0, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "scale 1/128");
}

TFLC_TEST_MAIN()
