/* Hand-checked cases for the "extra" ops (comparisons, SELECT/SELECT_V2, logical ops,
 * REVERSE_V2, TILE, BROADCAST_TO, FILL, ZEROS_LIKE, SPLIT_V, MIRROR_PAD, ARG_MAX/ARG_MIN,
 * REDUCE_MIN/REDUCE_PROD, FLOOR/CEIL/ROUND/SQUARE/SIN/COS, POW, FLOOR_DIV, FLOOR_MOD, CUMSUM,
 * SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, EMBEDDING_LOOKUP). Expected values are written out by
 * hand (small examples, several from TensorFlow's docs) or computed here by a direct formula,
 * never by our kernels. Covers what Google's 2022 WASM runtime refuses or gets differently
 * (int16 comparisons, 5-D SELECT, REVERSE_V2 over several axes, int16 TILE / MIRROR_PAD /
 * SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND, int8/int16 FLOOR_DIV and FLOOR_MOD), TFLite's
 * quantized-comparison rounding, run-time shape/axis inputs, and bad models (shape
 * mismatches, wrong input counts, unsupported types, out-of-range ids and zero divisors at
 * run time). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_build.h"
#include "format/tflite_schema.h"
#include "test.h"
#include "tflc/runtime.h"

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
    if ((g->st = tflc_interp_arena_size_hosted(m, n, NULL, &need, &g->diag))) return g->st;
    g->arena = aligned_alloc(64, (need + 63) / 64 * 64);
    return g->st = tflc_interp_init(&g->it, m, n, g->arena, need, NULL, &g->diag);
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


/* One op with the given inputs (tensor ids) and one output; no options. */
static void op1(struct g *g, int32_t code, int version, const int32_t *ins, int nin, int out) {
    g_op(g, code, version, ins, nin, (int32_t[]){out}, 1, 0, 0);
}

/* ---- comparisons ---- */

static const struct { int32_t code; const char *name; } CMP[6] = {
    {OP(EQUAL), "EQUAL"}, {OP(NOT_EQUAL), "NOT_EQUAL"}, {OP(GREATER), "GREATER"},
    {OP(GREATER_EQUAL), "GREATER_EQUAL"}, {OP(LESS), "LESS"}, {OP(LESS_EQUAL), "LESS_EQUAL"},
};
static bool cmp_ref(int k, long long a, long long b) {
    switch (k) {
    case 0: return a == b;
    case 1: return a != b;
    case 2: return a > b;
    case 3: return a >= b;
    case 4: return a < b;
    default: return a <= b;
    }
}

TFLC_TEST(compare_s16_raw_values) {
    /* int16 compares raw values (TFLite: EQUAL v4, GREATER_EQUAL/LESS v3; tflc accepts int16
     * for all six). Includes the extremes and ties; b broadcasts as [1, 5]. */
    int16_t av[] = {-5, 0, 7, 7, -32768, 32767, 1, 2, 3, 4}, bv[] = {-5, 1, 3, 8, 32767};
    for (int k = 0; k < 6; k++) {
        struct g g;
        g_begin(&g);
        int a = g_input(&g, "a", I16, 2, D(2, 5), 0.001f, 0), b = g_input(&g, "b", I16, 2, D(1, 5), 0.001f, 0);
        int y = g_output(&g, "y", BOOL, 2, D(2, 5), 0, 0);
        /* TFLite's int16 versions (EQUAL/NOT_EQUAL v4, GREATER_EQUAL/LESS v3); GREATER and
         * LESS_EQUAL have no int16 version there (v2 is their latest). */
        int v = k < 2 ? 4 : (k == 3 || k == 4) ? 3 : 2;
        op1(&g, CMP[k].code, v, (int32_t[]){a, b}, 2, y);
        if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK) {
            const uint8_t *got = g_out(&g, 0)->data;
            for (int i = 0; i < 10; i++)
                TFLC_EXPECT_MSG(got[i] == cmp_ref(k, av[i], bv[i % 5]), "%s element %d: got %d", CMP[k].name, i, got[i]);
        }
        g_done(&g);
    }
}

TFLC_TEST(compare_s8_different_scales) {
    /* a: s 0.5 zp 0, b: s 0.25 zp 0. TFLite scales (q - zp) * 256 by each scale:
     * a [2, 3, -4, 0] -> real [1, 1.5, -2, 0]; b [4, 5, -8, 1] -> real [1, 1.25, -2, 0.25]. */
    int8_t av[] = {2, 3, -4, 0}, bv[] = {4, 5, -8, 1};
    const double ar[] = {1, 1.5, -2, 0}, br[] = {1, 1.25, -2, 0.25};
    for (int k = 0; k < 6; k++) {
        struct g g;
        g_begin(&g);
        int a = g_input(&g, "a", I8, 1, D(4), 0.5f, 0), b = g_input(&g, "b", I8, 1, D(4), 0.25f, 0);
        int y = g_output(&g, "y", BOOL, 1, D(4), 0, 0);
        op1(&g, CMP[k].code, 2, (int32_t[]){a, b}, 2, y);
        if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK) {
            const uint8_t *got = g_out(&g, 0)->data;
            for (int i = 0; i < 4; i++) {
                long long x = (long long)(ar[i] * 4), z = (long long)(br[i] * 4); /* exact quarters */
                TFLC_EXPECT_MSG(got[i] == cmp_ref(k, x, z), "%s element %d: got %d", CMP[k].name, i, got[i]);
            }
        }
        g_done(&g);
    }
}

TFLC_TEST(compare_s8_tiny_scale_rounds_together) {
    /* TFLite's rescaling rounds: scale 0.001 = 0.512 * 2^-9; (q * 256) * 0.512 rounded, then
     * / 512 rounded: q = 1 -> 131 -> 0; q = 2 -> 262 -> 1; q = 0 -> 0. So EQUAL(1, 0) is
     * true while EQUAL(2, 0) is false, exactly as in TFLite. */
    struct g g;
    g_begin(&g);
    int a = g_input(&g, "a", I8, 1, D(3), 0.001f, 0), b = g_input(&g, "b", I8, 1, D(3), 0.001f, 0);
    int y = g_output(&g, "y", BOOL, 1, D(3), 0, 0);
    op1(&g, OP(EQUAL), 2, (int32_t[]){a, b}, 2, y);
    int8_t av[] = {1, 2, -1}, bv[] = {0, 0, 0};
    uint8_t want[] = {1, 0, 1};
    if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK) EXPECT_ARRAY(uint8_t, g_out(&g, 0)->data, want, 3);
    g_done(&g);
}

TFLC_TEST(compare_u8_zero_points) {
    /* a: s 0.1 zp 128, b: s 0.2 zp 0. a [128, 148, 108, 255] -> real [0, 2, -2, 12.7];
     * b [0, 10, 0, 64] -> real [0, 2, 0, 12.8]. GREATER: [0, 0, 0, 0]; GREATER_EQUAL [1,1,0,0]. */
    uint8_t av[] = {128, 148, 108, 255}, bv[] = {0, 10, 0, 64};
    uint8_t want_gt[] = {0, 0, 0, 0}, want_ge[] = {1, 1, 0, 0};
    for (int k = 2; k < 4; k++) {
        struct g g;
        g_begin(&g);
        int a = g_input(&g, "a", U8, 1, D(4), 0.1f, 128), b = g_input(&g, "b", U8, 1, D(4), 0.2f, 0);
        int y = g_output(&g, "y", BOOL, 1, D(4), 0, 0);
        op1(&g, CMP[k].code, 1, (int32_t[]){a, b}, 2, y);
        if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK)
            EXPECT_ARRAY(uint8_t, g_out(&g, 0)->data, k == 2 ? want_gt : want_ge, 4);
        g_done(&g);
    }
}

TFLC_TEST(compare_bad_models) {
    struct g g;
    g_begin(&g); /* shapes do not broadcast */
    int a = g_input(&g, "a", F32, 1, D(3), 0, 0), b = g_input(&g, "b", F32, 1, D(4), 0, 0);
    int y = g_output(&g, "y", BOOL, 1, D(4), 0, 0);
    op1(&g, OP(LESS), 1, (int32_t[]){a, b}, 2, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "input shapes [3] [4]  do not broadcast");
    g_done(&g);
    g_begin(&g); /* bool is only for EQUAL / NOT_EQUAL */
    a = g_input(&g, "a", BOOL, 1, D(3), 0, 0);
    b = g_input(&g, "b", BOOL, 1, D(3), 0, 0);
    y = g_output(&g, "y", BOOL, 1, D(3), 0, 0);
    op1(&g, OP(GREATER), 1, (int32_t[]){a, b}, 2, y);
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "GREATER v1): no kernel for these types (inputs BOOL,BOOL -> outputs BOOL)");
    g_done(&g);
    g_begin(&g); /* mixed input types */
    a = g_input(&g, "a", F32, 1, D(3), 0, 0);
    b = g_input(&g, "b", I32, 1, D(3), 0, 0);
    y = g_output(&g, "y", BOOL, 1, D(3), 0, 0);
    op1(&g, OP(EQUAL), 1, (int32_t[]){a, b}, 2, y);
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "EQUAL v1): no kernel for these types (inputs FLOAT32,INT32");
    g_done(&g);
    g_begin(&g); /* one input */
    a = g_input(&g, "a", F32, 1, D(3), 0, 0);
    y = g_output(&g, "y", BOOL, 1, D(3), 0, 0);
    op1(&g, OP(NOT_EQUAL), 1, (int32_t[]){a}, 1, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "has 1 inputs, expected 2..2");
    g_done(&g);
    g_begin(&g); /* output not BOOL */
    a = g_input(&g, "a", F32, 1, D(3), 0, 0);
    b = g_input(&g, "b", F32, 1, D(3), 0, 0);
    y = g_output(&g, "y", F32, 1, D(3), 0, 0);
    op1(&g, OP(LESS_EQUAL), 1, (int32_t[]){a, b}, 2, y);
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "LESS_EQUAL v1): no kernel");
    g_done(&g);
}

/* ---- SELECT / SELECT_V2 / logical ---- */

TFLC_TEST(select_5d_v3) {
    /* SELECT v3 (5-D; refused by the 2022 oracle): y = c ? x : -x, by formula. */
    enum { N = 2 * 1 * 2 * 3 * 2 };
    uint8_t cv[N];
    float xv[N], yv[N], want[N];
    for (int i = 0; i < N; i++) {
        cv[i] = (uint8_t)(i % 3 == 0);
        xv[i] = (float)i;
        yv[i] = -(float)i - 0.5f;
        want[i] = cv[i] ? xv[i] : yv[i];
    }
    struct g g;
    g_begin(&g);
    int c = g_input(&g, "c", BOOL, 5, D(2, 1, 2, 3, 2), 0, 0);
    int x = g_input(&g, "x", F32, 5, D(2, 1, 2, 3, 2), 0, 0), yi = g_input(&g, "yi", F32, 5, D(2, 1, 2, 3, 2), 0, 0);
    int y = g_output(&g, "y", F32, 5, D(2, 1, 2, 3, 2), 0, 0);
    op1(&g, OP(SELECT), 3, (int32_t[]){c, x, yi}, 3, y);
    if (g_run(&g, (const void *[]){cv, xv, yv}) == TFLC_STATUS_OK) EXPECT_ARRAY(float, g_out(&g, 0)->data, want, N);
    g_done(&g);
}

TFLC_TEST(select_v2_three_way_broadcast) {
    /* cond [2,1] = [1,0]; x [1,3] = [1,2,3]; y scalar 9 -> [[1,2,3],[9,9,9]] */
    struct g g;
    g_begin(&g);
    int c = g_input(&g, "c", BOOL, 2, D(2, 1), 0, 0);
    int x = g_input(&g, "x", I32, 2, D(1, 3), 0, 0), yi = g_input(&g, "yi", I32, 0, D(1), 0, 0);
    int y = g_output(&g, "y", I32, 2, D(2, 3), 0, 0);
    op1(&g, OP(SELECT_V2), 1, (int32_t[]){c, x, yi}, 3, y);
    uint8_t cv[] = {1, 0};
    int32_t xv[] = {1, 2, 3}, yv[] = {9}, want[] = {1, 2, 3, 9, 9, 9};
    if (g_run(&g, (const void *[]){cv, xv, yv}) == TFLC_STATUS_OK) {
        expect_shape(&g, 0, 2, D(2, 3));
        EXPECT_ARRAY(int32_t, g_out(&g, 0)->data, want, 6);
    }
    g_done(&g);
}

TFLC_TEST(select_rank1_condition_picks_rows) {
    /* SELECT v1: condition [3] over x [3,2]: rows 0 and 2 from x, row 1 from y. */
    struct g g;
    g_begin(&g);
    int c = g_input(&g, "c", BOOL, 1, D(3), 0, 0);
    int x = g_input(&g, "x", I8, 2, D(3, 2), 0.1f, 0), yi = g_input(&g, "yi", I8, 2, D(3, 2), 0.1f, 0);
    int y = g_output(&g, "y", I8, 2, D(3, 2), 0.1f, 0);
    op1(&g, OP(SELECT), 2, (int32_t[]){c, x, yi}, 3, y);
    uint8_t cv[] = {1, 0, 1};
    int8_t xv[] = {1, 2, 3, 4, 5, 6}, yv[] = {-1, -2, -3, -4, -5, -6}, want[] = {1, 2, -3, -4, 5, 6};
    if (g_run(&g, (const void *[]){cv, xv, yv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, want, 6);
    g_done(&g);
}

TFLC_TEST(select_bad_models) {
    struct g g;
    g_begin(&g); /* SELECT v1 does not broadcast x against y */
    int c = g_input(&g, "c", BOOL, 1, D(3), 0, 0);
    int x = g_input(&g, "x", F32, 2, D(3, 2), 0, 0), yi = g_input(&g, "yi", F32, 2, D(1, 2), 0, 0);
    int y = g_output(&g, "y", F32, 2, D(3, 2), 0, 0);
    op1(&g, OP(SELECT), 1, (int32_t[]){c, x, yi}, 3, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "x [3,2] and y [1,2] must have the same shape");
    g_done(&g);
    g_begin(&g); /* condition of the wrong length */
    c = g_input(&g, "c", BOOL, 1, D(2), 0, 0);
    x = g_input(&g, "x", F32, 2, D(3, 2), 0, 0);
    yi = g_input(&g, "yi", F32, 2, D(3, 2), 0, 0);
    y = g_output(&g, "y", F32, 2, D(3, 2), 0, 0);
    op1(&g, OP(SELECT), 1, (int32_t[]){c, x, yi}, 3, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "condition [2] must match x [3,2]");
    g_done(&g);
    g_begin(&g); /* condition not BOOL */
    c = g_input(&g, "c", F32, 2, D(3, 2), 0, 0);
    x = g_input(&g, "x", F32, 2, D(3, 2), 0, 0);
    yi = g_input(&g, "yi", F32, 2, D(3, 2), 0, 0);
    y = g_output(&g, "y", F32, 2, D(3, 2), 0, 0);
    op1(&g, OP(SELECT_V2), 1, (int32_t[]){c, x, yi}, 3, y);
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "SELECT_V2 v1): no kernel for these types (inputs FLOAT32,FLOAT32,FLOAT32");
    g_done(&g);
    g_begin(&g); /* LOGICAL_AND of floats */
    x = g_input(&g, "x", F32, 1, D(2), 0, 0);
    yi = g_input(&g, "yi", F32, 1, D(2), 0, 0);
    y = g_output(&g, "y", BOOL, 1, D(2), 0, 0);
    op1(&g, OP(LOGICAL_AND), 1, (int32_t[]){x, yi}, 2, y);
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "LOGICAL_AND v1): no kernel for these types");
    g_done(&g);
}

TFLC_TEST(logical_truth_tables) {
    uint8_t av[] = {0, 0, 1, 1}, bv[] = {0, 1, 0, 1}, want_and[] = {0, 0, 0, 1}, want_or[] = {0, 1, 1, 1}, want_not[] = {1, 1, 0, 0};
    for (int k = 0; k < 3; k++) {
        struct g g;
        g_begin(&g);
        int a = g_input(&g, "a", BOOL, 1, D(4), 0, 0);
        int b = k < 2 ? g_input(&g, "b", BOOL, 1, D(4), 0, 0) : -1;
        int y = g_output(&g, "y", BOOL, 1, D(4), 0, 0);
        op1(&g, k == 0 ? OP(LOGICAL_AND) : k == 1 ? OP(LOGICAL_OR) : OP(LOGICAL_NOT), 1, (int32_t[]){a, b}, k < 2 ? 2 : 1, y);
        if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK)
            EXPECT_ARRAY(uint8_t, g_out(&g, 0)->data, k == 0 ? want_and : k == 1 ? want_or : want_not, 4);
        g_done(&g);
    }
}

/* ---- REVERSE_V2 ---- */

TFLC_TEST(reverse_v2_several_axes) {
    /* x [2,2,3] = 0..11; axes {0, 2} (not contiguous; TFLite refuses, the 2022 runtime
     * reverses axis 0 only): y[i,j,k] = x[1-i, j, 2-k]. Also {1,-1} (contiguous) and {2,0}. */
    float xv[12];
    for (int i = 0; i < 12; i++) xv[i] = (float)i;
    static const int32_t sets[3][2] = {{0, 2}, {1, -1}, {2, 0}};
    for (int s = 0; s < 3; s++) {
        bool flip[3] = {false, false, false};
        for (int j = 0; j < 2; j++) flip[sets[s][j] < 0 ? sets[s][j] + 3 : sets[s][j]] = true;
        float want[12];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 3; k++)
                    want[(i * 2 + j) * 3 + k] =
                        xv[((flip[0] ? 1 - i : i) * 2 + (flip[1] ? 1 - j : j)) * 3 + (flip[2] ? 2 - k : k)];
        struct g g;
        g_begin(&g);
        int x = g_input(&g, "x", F32, 3, D(2, 2, 3), 0, 0);
        int ax = g_i32(&g, "axes", 1, D(2), sets[s]);
        int y = g_output(&g, "y", F32, 3, D(2, 2, 3), 0, 0);
        op1(&g, OP(REVERSE_V2), 1, (int32_t[]){x, ax}, 2, y);
        if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(float, g_out(&g, 0)->data, want, 12);
        g_done(&g);
    }
}

TFLC_TEST(reverse_v2_runtime_axis) {
    /* Axis from a graph input: [1] reverses rows of [2,3]; [5] fails at run time. */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I32, 2, D(2, 3), 0, 0);
    int ax = g_input(&g, "axis", I32, 1, D(1), 0, 0);
    int y = g_output(&g, "y", I32, 2, D(2, 3), 0, 0);
    op1(&g, OP(REVERSE_V2), 1, (int32_t[]){x, ax}, 2, y);
    int32_t xv[] = {1, 2, 3, 4, 5, 6}, a1[] = {1}, want[] = {3, 2, 1, 6, 5, 4};
    if (g_run(&g, (const void *[]){xv, a1}) == TFLC_STATUS_OK) {
        EXPECT_ARRAY(int32_t, g_out(&g, 0)->data, want, 6);
        ((int32_t *)tflc_interp_input(g.it, 1)->data)[0] = 5;
        TFLC_EXPECT_EQ_INT(tflc_interp_invoke(g.it, &g.diag), TFLC_STATUS_INVALID_ARGUMENT);
        TFLC_EXPECT_STR_CONTAINS(g.diag.msg, "axis 5 is out of range for rank 2");
    }
    g_done(&g);
}

TFLC_TEST(reverse_v2_bad_axes) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 2, D(2, 3), 0, 0);
    int ax = g_i32(&g, "axes", 1, D(2), (int32_t[]){1, -1});
    int y = g_output(&g, "y", F32, 2, D(2, 3), 0, 0);
    op1(&g, OP(REVERSE_V2), 1, (int32_t[]){x, ax}, 2, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "axis 1 is given twice");
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", F32, 2, D(2, 3), 0, 0);
    ax = g_i32(&g, "axes", 1, D(1), (int32_t[]){-3});
    y = g_output(&g, "y", F32, 2, D(2, 3), 0, 0);
    op1(&g, OP(REVERSE_V2), 1, (int32_t[]){x, ax}, 2, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "axis -3 is out of range for rank 2");
    g_done(&g);
}

/* ---- TILE, BROADCAST_TO, FILL, ZEROS_LIKE ---- */

TFLC_TEST(tile_s16_and_runtime_multiples) {
    /* int16 (no TFLite kernel; a raw copy here): [[1,2],[3,4]] x [2,1] -> 4 rows. Then
     * multiples from a graph input must give the declared [4,2] output. */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I16, 2, D(2, 2), 0, 0);
    int m = g_input(&g, "m", I32, 1, D(2), 0, 0);
    int y = g_output(&g, "y", I16, 2, D(4, 2), 0, 0);
    op1(&g, OP(TILE), 1, (int32_t[]){x, m}, 2, y);
    int16_t xv[] = {1, 2, 3, 4}, want[] = {1, 2, 3, 4, 1, 2, 3, 4};
    int32_t mv[] = {2, 1};
    if (g_run(&g, (const void *[]){xv, mv}) == TFLC_STATUS_OK) {
        EXPECT_ARRAY(int16_t, g_out(&g, 0)->data, want, 8);
        ((int32_t *)tflc_interp_input(g.it, 1)->data)[0] = 3;
        TFLC_EXPECT_EQ_INT(tflc_interp_invoke(g.it, &g.diag), TFLC_STATUS_INVALID_ARGUMENT);
        TFLC_EXPECT_STR_CONTAINS(g.diag.msg, "run-time inputs ask for output shape [6,2], the planned output 'y' is [4,2]");
    }
    g_done(&g);
}

TFLC_TEST(tile_bad_multiples) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 2, D(2, 2), 0, 0);
    int m = g_i32(&g, "m", 1, D(3), (int32_t[]){1, 2, 3});
    int y = g_output(&g, "y", F32, 2, D(2, 2), 0, 0);
    op1(&g, OP(TILE), 1, (int32_t[]){x, m}, 2, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "with 2 entries (one per input dim)");
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", F32, 2, D(2, 2), 0, 0);
    m = g_i32(&g, "m", 1, D(2), (int32_t[]){1, -2});
    y = g_output(&g, "y", F32, 2, D(2, 2), 0, 0);
    op1(&g, OP(TILE), 1, (int32_t[]){x, m}, 2, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "hold a negative or too large value");
    g_done(&g);
}

TFLC_TEST(broadcast_to_by_hand_and_refusals) {
    /* [3,1] = [1,2,3] -> [2,3,2]: every row pair repeats */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I32, 2, D(3, 1), 0, 0);
    int s = g_i32(&g, "s", 1, D(3), (int32_t[]){2, 3, 2});
    int y = g_output(&g, "y", I32, 3, D(2, 3, 2), 0, 0);
    op1(&g, OP(BROADCAST_TO), 2, (int32_t[]){x, s}, 2, y);
    int32_t xv[] = {1, 2, 3}, want[] = {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int32_t, g_out(&g, 0)->data, want, 12);
    g_done(&g);
    g_begin(&g); /* v1 does not exist any more in TFLite */
    x = g_input(&g, "x", I32, 2, D(3, 1), 0, 0);
    s = g_i32(&g, "s", 1, D(2), (int32_t[]){3, 2});
    y = g_output(&g, "y", I32, 2, D(3, 2), 0, 0);
    op1(&g, OP(BROADCAST_TO), 1, (int32_t[]){x, s}, 2, y);
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "BROADCAST_TO v1 is not supported");
    g_done(&g);
    g_begin(&g); /* not broadcastable */
    x = g_input(&g, "x", I32, 2, D(3, 2), 0, 0);
    s = g_i32(&g, "s", 1, D(2), (int32_t[]){3, 4});
    y = g_output(&g, "y", I32, 2, D(3, 4), 0, 0);
    op1(&g, OP(BROADCAST_TO), 2, (int32_t[]){x, s}, 2, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "cannot broadcast 'x' [3,2] to [3,4]");
    g_done(&g);
}

TFLC_TEST(fill_runtime_dims_and_quantized) {
    /* dims from a graph input (declared output [2,3]); int8 value copied raw. */
    struct g g;
    g_begin(&g);
    int d = g_input(&g, "dims", I64, 1, D(2), 0, 0);
    int v = g_input(&g, "v", I8, 0, D(1), 0.5f, 3);
    int y = g_output(&g, "y", I8, 2, D(2, 3), 0.5f, 3);
    op1(&g, OP(FILL), 3, (int32_t[]){d, v}, 2, y);
    int64_t dv[] = {2, 3};
    int8_t vv[] = {-7}, want[] = {-7, -7, -7, -7, -7, -7};
    if (g_run(&g, (const void *[]){dv, vv}) == TFLC_STATUS_OK) {
        EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, want, 6);
        ((int64_t *)tflc_interp_input(g.it, 0)->data)[1] = -1;
        TFLC_EXPECT_EQ_INT(tflc_interp_invoke(g.it, &g.diag), TFLC_STATUS_INVALID_ARGUMENT);
    }
    g_done(&g);
    g_begin(&g); /* value and output quantized differently */
    d = g_i32(&g, "dims", 1, D(1), (int32_t[]){4});
    v = g_input(&g, "v", I8, 0, D(1), 0.5f, 3);
    y = g_output(&g, "y", I8, 1, D(4), 0.25f, 3);
    op1(&g, OP(FILL), 3, (int32_t[]){d, v}, 2, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "must share scale and zero point");
    g_done(&g);
    g_begin(&g); /* value not a scalar */
    d = g_i32(&g, "dims", 1, D(1), (int32_t[]){4});
    v = g_input(&g, "v", F32, 1, D(1), 0, 0);
    y = g_output(&g, "y", F32, 1, D(4), 0, 0);
    op1(&g, OP(FILL), 1, (int32_t[]){d, v}, 2, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "value 'v' must be a scalar");
    g_done(&g);
}

TFLC_TEST(zeros_like_int8_is_raw_zero) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I8, 1, D(3), 0.5f, 10);
    int y = g_output(&g, "y", I8, 1, D(3), 0.5f, 10);
    op1(&g, OP(ZEROS_LIKE), 1, (int32_t[]){x}, 1, y);
    int8_t xv[] = {1, 2, 3}, want[] = {0, 0, 0};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, want, 3);
    g_done(&g);
}

/* ---- SPLIT_V, MIRROR_PAD ---- */

static uint32_t split_v_opts(struct g *g, int n) {
    struct tflc_fbb *f = g_fbb(g);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_SPLIT_V_OPTIONS_NUM_SPLITS, n, 0);
    return tflc_fbb_table_end(f);
}

TFLC_TEST(split_v_by_hand_and_bad_sizes) {
    /* [1,2,3,4,5] sizes [2,-1] -> [1,2] and [3,4,5] */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 1, D(5), 0, 0);
    int sz = g_i32(&g, "sz", 1, D(2), (int32_t[]){2, -1}), ax = g_i32(&g, "ax", 0, D(1), (int32_t[]){0});
    int y0 = g_output(&g, "y0", F32, 1, D(2), 0, 0), y1 = g_output(&g, "y1", F32, 1, D(3), 0, 0);
    g_op(&g, OP(SPLIT_V), 1, (int32_t[]){x, sz, ax}, 3, (int32_t[]){y0, y1}, 2, OPT(SPLIT_V_OPTIONS), split_v_opts(&g, 2));
    float xv[] = {1, 2, 3, 4, 5}, w0[] = {1, 2}, w1[] = {3, 4, 5};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) {
        EXPECT_ARRAY(float, g_out(&g, 0)->data, w0, 2);
        EXPECT_ARRAY(float, g_out(&g, 1)->data, w1, 3);
    }
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", F32, 1, D(5), 0, 0);
    sz = g_i32(&g, "sz", 1, D(2), (int32_t[]){2, 2});
    ax = g_i32(&g, "ax", 0, D(1), (int32_t[]){0});
    y0 = g_output(&g, "y0", F32, 1, D(2), 0, 0);
    y1 = g_output(&g, "y1", F32, 1, D(2), 0, 0);
    g_op(&g, OP(SPLIT_V), 1, (int32_t[]){x, sz, ax}, 3, (int32_t[]){y0, y1}, 2, OPT(SPLIT_V_OPTIONS), split_v_opts(&g, 2));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "size_splits of 'sz' do not add up to dim 0 (5)");
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", F32, 1, D(5), 0, 0);
    sz = g_i32(&g, "sz", 1, D(2), (int32_t[]){2, 3});
    ax = g_i32(&g, "ax", 0, D(1), (int32_t[]){0});
    y0 = g_output(&g, "y0", F32, 1, D(2), 0, 0);
    y1 = g_output(&g, "y1", F32, 1, D(3), 0, 0);
    g_op(&g, OP(SPLIT_V), 1, (int32_t[]){x, sz, ax}, 3, (int32_t[]){y0, y1}, 2, OPT(SPLIT_V_OPTIONS), split_v_opts(&g, 3));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "num_splits is 3 but the op has 2 outputs");
    g_done(&g);
}

static uint32_t mirror_opts(struct g *g, int mode) {
    struct tflc_fbb *f = g_fbb(g);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_MIRROR_PAD_OPTIONS_MODE, (int8_t)mode, 0);
    return tflc_fbb_table_end(f);
}

TFLC_TEST(mirror_pad_s16_tf_doc_example) {
    /* TensorFlow's doc: [[1,2,3],[4,5,6]], paddings [[1,1],[2,2]].
     * REFLECT:   [[6,5,4,5,6,5,4],[3,2,1,2,3,2,1],[6,5,4,5,6,5,4],[3,2,1,2,3,2,1]]
     * SYMMETRIC: [[2,1,1,2,3,3,2],[2,1,1,2,3,3,2],[5,4,4,5,6,6,5],[5,4,4,5,6,6,5]] */
    static const int16_t want[2][28] = {
        {6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1},
        {2, 1, 1, 2, 3, 3, 2, 2, 1, 1, 2, 3, 3, 2, 5, 4, 4, 5, 6, 6, 5, 5, 4, 4, 5, 6, 6, 5}};
    int16_t xv[] = {1, 2, 3, 4, 5, 6};
    for (int mode = 0; mode < 2; mode++) {
        struct g g;
        g_begin(&g);
        int x = g_input(&g, "x", I16, 2, D(2, 3), 0.01f, 0);
        int p = g_i32(&g, "p", 2, D(2, 2), (int32_t[]){1, 1, 2, 2});
        int y = g_output(&g, "y", I16, 2, D(4, 7), 0.01f, 0);
        g_op(&g, OP(MIRROR_PAD), 3, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, OPT(MIRROR_PAD_OPTIONS), mirror_opts(&g, mode));
        if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int16_t, g_out(&g, 0)->data, want[mode], 28);
        g_done(&g);
    }
}

TFLC_TEST(mirror_pad_too_large) {
    /* REFLECT needs pads < dim (here 3 on a dim of 3). */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", F32, 1, D(3), 0, 0);
    int p = g_i32(&g, "p", 2, D(1, 2), (int32_t[]){3, 0});
    int y = g_output(&g, "y", F32, 1, D(6), 0, 0);
    g_op(&g, OP(MIRROR_PAD), 1, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, OPT(MIRROR_PAD_OPTIONS), mirror_opts(&g, 0));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "REFLECT pads must be in [0, dim)");
    g_done(&g);
}

/* ---- ARG_MAX / ARG_MIN, REDUCE_MIN / REDUCE_PROD ---- */

static uint32_t arg_opts(struct g *g, enum tflc_dtype t) {
    struct tflc_fbb *f = g_fbb(g);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_ARG_MAX_OPTIONS_OUTPUT_TYPE, (int8_t)t, 0);
    return tflc_fbb_table_end(f);
}

TFLC_TEST(arg_max_min_ties_and_nan) {
    /* rows: [1,3,3,2] -> max 1 (first), min 0; [2,1,1,3] -> max 3, min 1 (first);
     * [nan,1,2,0] -> max 0 and min 0 (nothing compares greater or smaller than NaN). */
    float xv[] = {1, 3, 3, 2, 2, 1, 1, 3, NAN, 1, 2, 0};
    int32_t want_max[] = {1, 3, 0}, want_min[] = {0, 1, 0};
    for (int k = 0; k < 2; k++) {
        struct g g;
        g_begin(&g);
        int x = g_input(&g, "x", F32, 2, D(3, 4), 0, 0);
        int ax = g_i32(&g, "ax", 0, D(1), (int32_t[]){-1});
        int y = g_output(&g, "y", I32, 1, D(3), 0, 0);
        g_op(&g, k ? OP(ARG_MIN) : OP(ARG_MAX), 1, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1,
             k ? OPT(ARG_MIN_OPTIONS) : OPT(ARG_MAX_OPTIONS), arg_opts(&g, I32));
        if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK)
            EXPECT_ARRAY(int32_t, g_out(&g, 0)->data, k ? want_min : want_max, 3);
        g_done(&g);
    }
}

TFLC_TEST(arg_max_bad_models) {
    struct g g;
    g_begin(&g); /* output_type disagrees with the output tensor */
    int x = g_input(&g, "x", F32, 2, D(3, 4), 0, 0);
    int ax = g_i32(&g, "ax", 0, D(1), (int32_t[]){1});
    int y = g_output(&g, "y", I32, 1, D(3), 0, 0);
    g_op(&g, OP(ARG_MAX), 1, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1, OPT(ARG_MAX_OPTIONS), arg_opts(&g, I64));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "output_type INT64 differs from output 'y' (INT32)");
    g_done(&g);
    g_begin(&g); /* int16 has no TFLite kernel */
    x = g_input(&g, "x", I16, 2, D(3, 4), 0, 0);
    ax = g_i32(&g, "ax", 0, D(1), (int32_t[]){1});
    y = g_output(&g, "y", I32, 1, D(3), 0, 0);
    g_op(&g, OP(ARG_MAX), 1, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1, OPT(ARG_MAX_OPTIONS), arg_opts(&g, I32));
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "ARG_MAX v1): no kernel for these types (inputs INT16,INT32");
    g_done(&g);
    g_begin(&g); /* axis out of range */
    x = g_input(&g, "x", F32, 2, D(3, 4), 0, 0);
    ax = g_i32(&g, "ax", 0, D(1), (int32_t[]){2});
    y = g_output(&g, "y", I32, 1, D(3), 0, 0);
    g_op(&g, OP(ARG_MAX), 1, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1, OPT(ARG_MAX_OPTIONS), arg_opts(&g, I32));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "axis 2 is out of range for rank 2");
    g_done(&g);
}

static uint32_t reducer_opts(struct g *g, bool keep) {
    struct tflc_fbb *f = g_fbb(g);
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_REDUCER_OPTIONS_KEEP_DIMS, keep, false);
    return tflc_fbb_table_end(f);
}

TFLC_TEST(reduce_prod_s8_by_hand) {
    /* in s 0.5 zp 0: q [2,4,6] = real [1,2,3]; out s 0.25 zp 0; n = 3.
     * s = 0.5 / 0.25^(1/3) = 0.7937; running product: 2; round(2*4*s) = round(6.35) = 6;
     * round(6*6*s) = round(28.57) = 29; output round(29*s) = round(23.02) = 23 (real 5.75,
     * the exact product being 6: TFLite's per-step rescaling loses that much). */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I8, 2, D(1, 3), 0.5f, 0);
    int ax = g_i32(&g, "ax", 1, D(1), (int32_t[]){1});
    int y = g_output(&g, "y", I8, 1, D(1), 0.25f, 0);
    g_op(&g, OP(REDUCE_PROD), 2, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1, OPT(REDUCER_OPTIONS), reducer_opts(&g, false));
    int8_t xv[] = {2, 4, 6}, want[] = {23};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, want, 1);
    g_done(&g);
}

TFLC_TEST(reduce_min_s16_and_mismatched_params) {
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I16, 2, D(2, 3), 0.01f, 0);
    int ax = g_i32(&g, "ax", 1, D(1), (int32_t[]){1});
    int y = g_output(&g, "y", I16, 2, D(2, 1), 0.01f, 0);
    g_op(&g, OP(REDUCE_MIN), 3, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1, OPT(REDUCER_OPTIONS), reducer_opts(&g, true));
    int16_t xv[] = {5, -32768, 7, 300, 200, 32767}, want[] = {-32768, 200};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int16_t, g_out(&g, 0)->data, want, 2);
    g_done(&g);
    g_begin(&g);
    x = g_input(&g, "x", I8, 2, D(2, 3), 0.01f, 0);
    ax = g_i32(&g, "ax", 1, D(1), (int32_t[]){1});
    y = g_output(&g, "y", I8, 1, D(2), 0.02f, 0);
    g_op(&g, OP(REDUCE_MIN), 2, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1, OPT(REDUCER_OPTIONS), reducer_opts(&g, false));
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "must have the same scale and zero point");
    g_done(&g);
}

/* ---- elementwise ---- */

TFLC_TEST(round_ties_to_even_floor_ceil) {
    float xv[] = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 2.4f, -2.6f, 8388609.0f, -0.0f};
    float want_round[] = {0, 2, 2, -0.0f, -2, -2, 2, -3, 8388609.0f, -0.0f};
    float want_floor[] = {0, 1, 2, -1, -2, -3, 2, -3, 8388609.0f, -0.0f};
    float want_ceil[] = {1, 2, 3, -0.0f, -1, -2, 3, -2, 8388609.0f, -0.0f};
    const int32_t codes[3] = {OP(ROUND), OP(FLOOR), OP(CEIL)};
    const float *wants[3] = {want_round, want_floor, want_ceil};
    for (int k = 0; k < 3; k++) {
        struct g g;
        g_begin(&g);
        int x = g_input(&g, "x", F32, 1, D(10), 0, 0);
        int y = g_output(&g, "y", F32, 1, D(10), 0, 0);
        op1(&g, codes[k], 1, (int32_t[]){x}, 1, y);
        if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(float, g_out(&g, 0)->data, wants[k], 10);
        g_done(&g);
    }
}

TFLC_TEST(square_sin_cos_by_formula) {
    float xv[] = {-3, -0.5f, 0, 0.25f, 1, 2.5f};
    const int32_t codes[3] = {OP(SQUARE), OP(SIN), OP(COS)};
    for (int k = 0; k < 3; k++) {
        struct g g;
        g_begin(&g);
        int x = g_input(&g, "x", F32, 1, D(6), 0, 0);
        int y = g_output(&g, "y", F32, 1, D(6), 0, 0);
        op1(&g, codes[k], 1, (int32_t[]){x}, 1, y);
        if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) {
            const float *got = g_out(&g, 0)->data;
            for (int i = 0; i < 6; i++) {
                double w = k == 0 ? (double)xv[i] * xv[i] : k == 1 ? sin(xv[i]) : cos(xv[i]);
                TFLC_EXPECT_NEAR(got[i], w, 1e-6);
            }
        }
        g_done(&g);
    }
    struct g g; /* float only, as TFLite */
    g_begin(&g);
    int x = g_input(&g, "x", I32, 1, D(6), 0, 0);
    int y = g_output(&g, "y", I32, 1, D(6), 0, 0);
    op1(&g, OP(SQUARE), 1, (int32_t[]){x}, 1, y);
    expect_refused(&g, TFLC_STATUS_UNSUPPORTED, "SQUARE v1): no kernel for these types (inputs INT32");
    g_done(&g);
}

TFLC_TEST(pow_int_and_negative_exponent) {
    struct g g;
    g_begin(&g);
    int a = g_input(&g, "a", I32, 1, D(4), 0, 0), b = g_input(&g, "b", I32, 1, D(4), 0, 0);
    int y = g_output(&g, "y", I32, 1, D(4), 0, 0);
    op1(&g, OP(POW), 1, (int32_t[]){a, b}, 2, y);
    int32_t av[] = {2, -3, 0, 7}, bv[] = {10, 3, 0, 1}, want[] = {1024, -27, 1, 7};
    if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK) {
        EXPECT_ARRAY(int32_t, g_out(&g, 0)->data, want, 4);
        ((int32_t *)tflc_interp_input(g.it, 1)->data)[2] = -1;
        TFLC_EXPECT_EQ_INT(tflc_interp_invoke(g.it, &g.diag), TFLC_STATUS_INVALID_ARGUMENT);
        TFLC_EXPECT_STR_CONTAINS(g.diag.msg, "integer power with negative exponent -1");
    }
    g_done(&g);
}

TFLC_TEST(floor_div_mod_int8_int16) {
    /* FLOOR_DIV v3 / FLOOR_MOD v2 (plain integers; the 2022 oracle has neither):
     * a [7,-7,7,-7,-128,0], b [2,2,-2,-2,-1,5] -> div [3,-4,-4,3,128 (saturates to 127),0],
     * mod [1,1,-1,-1,0,0]. */
    int8_t av8[] = {7, -7, 7, -7, -128, 0}, bv8[] = {2, 2, -2, -2, -1, 5};
    int8_t wd8[] = {3, -4, -4, 3, 127, 0}, wm8[] = {1, 1, -1, -1, 0, 0};
    int16_t av16[] = {7, -7, 7, -7, -32768, 0}, bv16[] = {2, 2, -2, -2, 3, 5};
    int16_t wd16[] = {3, -4, -4, 3, -10923, 0}, wm16[] = {1, 1, -1, -1, 1, 0};
    for (int k = 0; k < 4; k++) {
        bool mod = k & 1, wide = k >= 2;
        struct g g;
        g_begin(&g);
        enum tflc_dtype t = wide ? I16 : I8;
        int a = g_input(&g, "a", t, 1, D(6), 0, 0), b = g_input(&g, "b", t, 1, D(6), 0, 0);
        int y = g_output(&g, "y", t, 1, D(6), 0, 0);
        op1(&g, mod ? OP(FLOOR_MOD) : OP(FLOOR_DIV), mod ? 2 : 3, (int32_t[]){a, b}, 2, y);
        const void *in[2] = {wide ? (const void *)av16 : (const void *)av8, wide ? (const void *)bv16 : (const void *)bv8};
        if (g_run(&g, in) == TFLC_STATUS_OK) {
            if (wide) EXPECT_ARRAY(int16_t, g_out(&g, 0)->data, mod ? wm16 : wd16, 6);
            else EXPECT_ARRAY(int8_t, g_out(&g, 0)->data, mod ? wm8 : wd8, 6);
            /* a zero divisor fails at run time */
            if (wide) ((int16_t *)tflc_interp_input(g.it, 1)->data)[3] = 0;
            else ((int8_t *)tflc_interp_input(g.it, 1)->data)[3] = 0;
            TFLC_EXPECT_EQ_INT(tflc_interp_invoke(g.it, &g.diag), TFLC_STATUS_INVALID_ARGUMENT);
            TFLC_EXPECT_STR_CONTAINS(g.diag.msg, "division by 0 (element 3 of 'b')");
        }
        g_done(&g);
    }
}

TFLC_TEST(floor_mod_float_signs) {
    /* fmod then the divisor's sign: [5.5,-5.5,5.5,-5.5] mod [2,2,-2,-2] = [1.5,0.5,-0.5,-1.5];
     * floor_div: [2,-3,-3,2]. */
    float av[] = {5.5f, -5.5f, 5.5f, -5.5f}, bv[] = {2, 2, -2, -2}, wm[] = {1.5f, 0.5f, -0.5f, -1.5f}, wd[] = {2, -3, -3, 2};
    for (int k = 0; k < 2; k++) {
        struct g g;
        g_begin(&g);
        int a = g_input(&g, "a", F32, 1, D(4), 0, 0), b = g_input(&g, "b", F32, 1, D(4), 0, 0);
        int y = g_output(&g, "y", F32, 1, D(4), 0, 0);
        op1(&g, k ? OP(FLOOR_DIV) : OP(FLOOR_MOD), k ? 2 : 1, (int32_t[]){a, b}, 2, y);
        if (g_run(&g, (const void *[]){av, bv}) == TFLC_STATUS_OK) EXPECT_ARRAY(float, g_out(&g, 0)->data, k ? wd : wm, 4);
        g_done(&g);
    }
}

/* ---- CUMSUM, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, EMBEDDING_LOOKUP ---- */

static uint32_t cumsum_opts(struct g *g, bool excl, bool rev) {
    struct tflc_fbb *f = g_fbb(g);
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_CUMSUM_OPTIONS_EXCLUSIVE, excl, false);
    tflc_fbb_add_bool(f, TFLC_TFL_CUMSUM_OPTIONS_REVERSE, rev, false);
    return tflc_fbb_table_end(f);
}

TFLC_TEST(cumsum_tf_doc_examples) {
    /* tf.math.cumsum([1,2,3,4]): plain [1,3,6,10]; exclusive [0,1,3,6]; reverse [10,9,7,4];
     * exclusive reverse [9,7,4,0]. */
    int32_t xv[] = {1, 2, 3, 4};
    static const int32_t want[4][4] = {{1, 3, 6, 10}, {0, 1, 3, 6}, {10, 9, 7, 4}, {9, 7, 4, 0}};
    for (int k = 0; k < 4; k++) {
        struct g g;
        g_begin(&g);
        int x = g_input(&g, "x", I32, 1, D(4), 0, 0);
        int ax = g_i32(&g, "ax", 0, D(1), (int32_t[]){0});
        int y = g_output(&g, "y", I32, 1, D(4), 0, 0);
        g_op(&g, OP(CUMSUM), 1, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1, OPT(CUMSUM_OPTIONS), cumsum_opts(&g, k & 1, k >= 2));
        if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(int32_t, g_out(&g, 0)->data, want[k], 4);
        g_done(&g);
    }
}

TFLC_TEST(space_batch_nd_s16_tf_doc_example) {
    /* tf.space_to_batch_nd doc: x [1,4,4,1] = 1..16, block [2,2] -> [4,2,2,1]:
     * [[1,3],[9,11]], [[2,4],[10,12]], [[5,7],[13,15]], [[6,8],[14,16]]; BATCH_TO_SPACE_ND
     * brings it back. int16 (v4; the 2022 oracle stops at v3). */
    int16_t xv[16], want[16] = {1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16};
    for (int i = 0; i < 16; i++) xv[i] = (int16_t)(i + 1);
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", I16, 4, D(1, 4, 4, 1), 0.01f, 0);
    int bs = g_i32(&g, "block", 1, D(2), (int32_t[]){2, 2}), pd = g_i32(&g, "pads", 2, D(2, 2), (int32_t[]){0, 0, 0, 0});
    int t = g_output(&g, "t", I16, 4, D(4, 2, 2, 1), 0.01f, 0);
    int y = g_output(&g, "y", I16, 4, D(1, 4, 4, 1), 0.01f, 0);
    op1(&g, OP(SPACE_TO_BATCH_ND), 4, (int32_t[]){x, bs, pd}, 3, t);
    op1(&g, OP(BATCH_TO_SPACE_ND), 4, (int32_t[]){t, bs, pd}, 3, y);
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) {
        EXPECT_ARRAY(int16_t, g_out(&g, 0)->data, want, 16);
        EXPECT_ARRAY(int16_t, g_out(&g, 1)->data, xv, 16);
    }
    g_done(&g);
}

TFLC_TEST(space_to_batch_nd_pads_with_zero_point) {
    /* x [1,2,2,1] uint8 zp 7, pads h (0,0) w (1,1) -> padded 2x4, block [1,2] -> [2,2,2,1]:
     * padded rows [7,a,b,7],[7,c,d,7]; batch 0 takes even columns [7,b],[7,d], batch 1 odd
     * [a,7],[c,7]. */
    struct g g;
    g_begin(&g);
    int x = g_input(&g, "x", U8, 4, D(1, 2, 2, 1), 0.1f, 7);
    int bs = g_i32(&g, "block", 1, D(2), (int32_t[]){1, 2}), pd = g_i32(&g, "pads", 2, D(2, 2), (int32_t[]){0, 0, 1, 1});
    int y = g_output(&g, "y", U8, 4, D(2, 2, 2, 1), 0.1f, 7);
    op1(&g, OP(SPACE_TO_BATCH_ND), 2, (int32_t[]){x, bs, pd}, 3, y);
    uint8_t xv[] = {10, 20, 30, 40}, want[] = {7, 20, 7, 40, 10, 7, 30, 7};
    if (g_run(&g, (const void *[]){xv}) == TFLC_STATUS_OK) EXPECT_ARRAY(uint8_t, g_out(&g, 0)->data, want, 8);
    g_done(&g);
}

TFLC_TEST(space_batch_nd_bad_models) {
    struct g g;
    g_begin(&g); /* padded width 3 does not divide by 2 */
    int x = g_input(&g, "x", F32, 4, D(1, 2, 3, 1), 0, 0);
    int bs = g_i32(&g, "block", 1, D(2), (int32_t[]){2, 2}), pd = g_i32(&g, "pads", 2, D(2, 2), (int32_t[]){0, 0, 0, 0});
    int y = g_output(&g, "y", F32, 4, D(4, 1, 1, 1), 0, 0);
    op1(&g, OP(SPACE_TO_BATCH_ND), 1, (int32_t[]){x, bs, pd}, 3, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "padded spatial dims 2 x 3 do not divide by the block 2 x 2");
    g_done(&g);
    g_begin(&g); /* batch 3 does not divide by 4 */
    x = g_input(&g, "x", F32, 4, D(3, 2, 2, 1), 0, 0);
    bs = g_i32(&g, "block", 1, D(2), (int32_t[]){2, 2});
    pd = g_i32(&g, "crops", 2, D(2, 2), (int32_t[]){0, 0, 0, 0});
    y = g_output(&g, "y", F32, 4, D(1, 4, 4, 1), 0, 0);
    op1(&g, OP(BATCH_TO_SPACE_ND), 1, (int32_t[]){x, bs, pd}, 3, y);
    expect_refused(&g, TFLC_STATUS_INVALID_MODEL, "batch 3 does not divide by the block 2 x 2");
    g_done(&g);
}

TFLC_TEST(embedding_lookup_hybrid_and_bad_ids) {
    /* uint8 table, float output: TFLite reads the bytes as int8 and ignores the zero point:
     * row 1 = [200, 5] -> [-56 * 0.5, 5 * 0.5] = [-28, 2.5]. */
    struct g g;
    g_begin(&g);
    int ids = g_input(&g, "ids", I32, 1, D(2), 0, 0);
    float s = 0.5f;
    int64_t z = 100;
    struct tflc_tflb_quant q = {1, &s, &z, 0};
    uint8_t tv[] = {1, 2, 200, 5, 7, 9};
    int tb = tflc_tflb_tensor(g.b, "table", U8, 2, D(3, 2), tflc_tflb_buffer(g.b, tv, sizeof tv), &q);
    int y = g_output(&g, "y", F32, 2, D(2, 2), 0, 0);
    op1(&g, OP(EMBEDDING_LOOKUP), 2, (int32_t[]){ids, tb}, 2, y);
    int32_t iv[] = {1, 0};
    float want[] = {-28.0f, 2.5f, 0.5f, 1.0f};
    if (g_run(&g, (const void *[]){iv}) == TFLC_STATUS_OK) {
        EXPECT_ARRAY(float, g_out(&g, 0)->data, want, 4);
        ((int32_t *)tflc_interp_input(g.it, 0)->data)[1] = 3;
        TFLC_EXPECT_EQ_INT(tflc_interp_invoke(g.it, &g.diag), TFLC_STATUS_INVALID_ARGUMENT);
        TFLC_EXPECT_STR_CONTAINS(g.diag.msg, "id 3 (element 1 of 'ids') is outside [0, 3)");
    }
    g_done(&g);
}

TFLC_TEST(zero_sized_tensors) {
    /* Empty tensors run and produce empty outputs: LESS of [0,3] and [3], TILE by 0, REVERSE_V2
     * of [0,2], SELECT_V2 with an empty condition. */
    struct g g;
    g_begin(&g);
    int a = g_input(&g, "a", F32, 2, D(0, 3), 0, 0), b = g_input(&g, "b", F32, 1, D(3), 0, 0);
    int x = g_input(&g, "x", I32, 2, D(2, 2), 0, 0);
    int m = g_i32(&g, "m", 1, D(2), (int32_t[]){0, 1});
    int e = g_input(&g, "e", I8, 2, D(0, 2), 0.5f, 0);
    int ax = g_i32(&g, "ax", 1, D(1), (int32_t[]){0});
    int c = g_input(&g, "c", BOOL, 2, D(0, 1), 0, 0);
    int y0 = g_output(&g, "y0", BOOL, 2, D(0, 3), 0, 0), y1 = g_output(&g, "y1", I32, 2, D(0, 2), 0, 0);
    int y2 = g_output(&g, "y2", I8, 2, D(0, 2), 0.5f, 0), y3 = g_output(&g, "y3", I8, 2, D(0, 2), 0.5f, 0);
    op1(&g, OP(LESS), 1, (int32_t[]){a, b}, 2, y0);
    op1(&g, OP(TILE), 1, (int32_t[]){x, m}, 2, y1);
    op1(&g, OP(REVERSE_V2), 3, (int32_t[]){e, ax}, 2, y2);
    op1(&g, OP(SELECT_V2), 1, (int32_t[]){c, e, e}, 3, y3);
    float bv[] = {1, 2, 3};
    int32_t xv[] = {1, 2, 3, 4};
    if (g_run(&g, (const void *[]){NULL, bv, xv, NULL, NULL}) == TFLC_STATUS_OK) {
        expect_shape(&g, 0, 2, D(0, 3));
        expect_shape(&g, 1, 2, D(0, 2));
        expect_shape(&g, 2, 2, D(0, 2));
        expect_shape(&g, 3, 2, D(0, 2));
    }
    g_done(&g);
}

TFLC_TEST_MAIN()
