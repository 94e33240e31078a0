/* Hand-checked cases for the unary kernels (LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1,
 * LEAKY_RELU, PRELU, ELU, HARD_SWISH, GELU, EXP, LOG, SQRT, RSQRT, ABS, NEG, QUANTIZE,
 * DEQUANTIZE, CAST). Expected values are written out by hand, or computed here in double
 * precision from the real-number definition (real = scale * (q - zero_point)); table-based
 * kernels are checked over every 8-bit input, exactly except where the real result sits
 * within 1e-3 of a rounding boundary (there float vs double may legitimately pick either
 * side). Where TFLite's own rounding is the point (MultiplyByQuantizedMultiplier ties, round
 * half away from zero), the comment says so. Also covers what the ~2023 Google runtime used
 * by op_cases refuses (ABS int32, CAST float16, EXP/LOG int8+int16, RSQRT int16, SQRT
 * int8/int16), run-time errors (negative SQRT/RSQRT inputs) and bad models refused at load. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/fp16.h"
#include "format/tflite_build.h"
#include "format/tflite_schema.h"
#include "test.h"
#include "tflc/runtime.h"

/* These hand-checked cases pin TFLite's reference arithmetic (TFLC_ARITH_REFERENCE); what
 * Google's runtime computes instead (the default arithmetic) is checked in test_arith.c. */
static const struct tflc_interp_options ref_arith = {.num_threads = 1, .arithmetic = TFLC_ARITH_REFERENCE};

#define OP(name) TFLC_TFL_BUILTIN_OPERATOR_##name
#define DT(name) TFLC_DTYPE_##name

/* Quantization of one tensor: n = 0 none, 1 per tensor, > 1 per channel along axis. */
struct tq {
    int n;
    float s[8];
    int64_t z;
    int axis;
};
#define NOQ ((struct tq){0, {0}, 0, 0})
#define QT(scale, zp) ((struct tq){1, {(scale)}, (zp), 0})

/* One single-op model y = op(x [, alpha]). */
struct ut {
    int32_t code;
    int version;                    /* 0 = 1 */
    enum tflc_dtype tx, ty;
    int rank;
    int32_t dims[TFLC_MAX_DIMS];
    struct tq qx, qy;
    const void *x_const;            /* x is a constant with this data (graph has no input) */
    float alpha;                    /* LEAKY_RELU */
    bool approximate;               /* GELU */
    /* PRELU's alpha (constant) */
    enum tflc_dtype ta;
    int arank;
    int32_t adims[TFLC_MAX_DIMS];
    struct tq qa;
    const void *adata;
    int nin;                        /* override the input count (bad-model tests) */
};

struct run {
    struct tflc_tflb *b;
    uint8_t *arena;
    struct tflc_interp *it;
    struct tflc_diag diag;
    enum tflc_status st;            /* init's status */
    enum tflc_status invoke_st;
};

static struct tflc_tflb_quant tq_build(const struct tq *q, int64_t *zs) {
    for (int i = 0; i < q->n; i++) zs[i] = q->z;
    return (struct tflc_tflb_quant){q->n, q->s, zs, q->axis};
}

static size_t numel(int rank, const int32_t *dims) {
    size_t n = 1;
    for (int i = 0; i < rank; i++) n *= (size_t)dims[i];
    return n;
}

static void build(struct run *r, const struct ut *u) {
    memset(r, 0, sizeof *r);
    r->b = tflc_tflb_create();
    int64_t zx[8], zy[8], za[8];
    struct tflc_tflb_quant qx = tq_build(&u->qx, zx), qy = tq_build(&u->qy, zy), qa = tq_build(&u->qa, za);
    int buf = 0;
    if (u->x_const) buf = tflc_tflb_buffer(r->b, u->x_const, numel(u->rank, u->dims) * tflc_dtype_size(u->tx));
    int x = tflc_tflb_tensor(r->b, "x", u->tx, u->rank, u->dims, buf, u->qx.n ? &qx : NULL);
    int y = tflc_tflb_tensor(r->b, "y", u->ty, u->rank, u->dims, 0, u->qy.n ? &qy : NULL);
    int32_t ins[3] = {x, x, x};
    int nin = 1;
    if (u->code == OP(PRELU)) {
        int ab = tflc_tflb_buffer(r->b, u->adata, numel(u->arank, u->adims) * tflc_dtype_size(u->ta));
        ins[1] = tflc_tflb_tensor(r->b, "alpha", u->ta, u->arank, u->adims, ab, u->qa.n ? &qa : NULL);
        nin = 2;
    }
    if (u->nin) nin = u->nin;
    struct tflc_fbb *f = tflc_tflb_fbb(r->b);
    uint8_t type = 0;
    uint32_t opt = 0;
    if (u->code == OP(LEAKY_RELU)) {
        tflc_fbb_table_start(f);
        tflc_fbb_add_f32(f, TFLC_TFL_LEAKY_RELU_OPTIONS_ALPHA, u->alpha, 0.0f);
        opt = tflc_fbb_table_end(f);
        type = TFLC_TFL_BUILTIN_OPTIONS_LEAKY_RELU_OPTIONS;
    } else if (u->code == OP(GELU)) {
        tflc_fbb_table_start(f);
        tflc_fbb_add_bool(f, TFLC_TFL_GELU_OPTIONS_APPROXIMATE, u->approximate, false);
        opt = tflc_fbb_table_end(f);
        type = TFLC_TFL_BUILTIN_OPTIONS_GELU_OPTIONS;
    }
    tflc_tflb_op(r->b, u->code, u->version ? u->version : 1, NULL, ins, nin, (int32_t[]){y}, 1, type, opt);
    tflc_tflb_graph_io(r->b, (int32_t[]){x}, u->x_const ? 0 : 1, (int32_t[]){y}, 1);
    const uint8_t *m;
    size_t n, need;
    if ((r->st = tflc_tflb_finish(r->b, NULL, &m, &n, &r->diag))) return;
    if ((r->st = tflc_interp_arena_size_hosted(m, n, &ref_arith, &need, &r->diag))) return;
    r->arena = aligned_alloc(64, (need + 63) / 64 * 64);
    r->st = tflc_interp_init(&r->it, m, n, r->arena, need, &ref_arith, &r->diag);
}

static void done(struct run *r) {
    tflc_interp_free(r->it);
    free(r->arena);
    tflc_tflb_destroy(r->b);
}

/* Builds, fills x, invokes. Returns the output data, or NULL when init failed (reported) or
 * invoke failed (r->invoke_st says so; reported unless allow_invoke_error). */
static const void *run_x(struct run *r, const struct ut *u, const void *x, bool allow_invoke_error) {
    build(r, u);
    if (r->st != TFLC_STATUS_OK) {
        TFLC_FAIL_("init: %s", r->diag.msg);
        return NULL;
    }
    if (!u->x_const) {
        struct tflc_tensor *in = tflc_interp_input(r->it, 0);
        memcpy(in->data, x, in->bytes);
    }
    r->invoke_st = tflc_interp_invoke(r->it, &r->diag);
    if (r->invoke_st != TFLC_STATUS_OK) {
        if (!allow_invoke_error) TFLC_FAIL_("invoke: %s", r->diag.msg);
        return NULL;
    }
    return tflc_interp_output(r->it, 0)->data;
}

/* Expects init to fail with `st` and a message containing `needle`. */
static void expect_refused(const struct ut *u, enum tflc_status st, const char *needle) {
    struct run r;
    build(&r, u);
    TFLC_EXPECT_EQ_INT(r.st, st);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, needle);
    done(&r);
}

static struct ut unary(int32_t code, int version, enum tflc_dtype tx, struct tq qx, enum tflc_dtype ty, struct tq qy,
                       int32_t n) {
    struct ut u;
    memset(&u, 0, sizeof u);
    u.code = code;
    u.version = version;
    u.tx = tx;
    u.ty = ty;
    u.qx = qx;
    u.qy = qy;
    u.rank = 1;
    u.dims[0] = n;
    return u;
}

/* ---- float checks ---- */

static void check_f32(struct ut u, const float *x, const float *want, int n, double tol) {
    u.rank = 1;
    u.dims[0] = n;
    struct run r;
    const float *y = run_x(&r, &u, x, false);
    if (y)
        for (int i = 0; i < n; i++)
            TFLC_EXPECT_MSG(fabs((double)y[i] - want[i]) <= tol * (1 + fabs(want[i])) || (isnan(y[i]) && isnan(want[i])),
                            "op %d x=%g: got %.9g want %.9g", (int)u.code, (double)x[i], (double)y[i], (double)want[i]);
    done(&r);
}

/* Float op over a sweep of inputs against a double-precision reference function. */
static void sweep_f32(int32_t code, double (*ref)(double), double lo, double hi, double tol) {
    enum { N = 101 };
    float x[N], want[N];
    for (int i = 0; i < N; i++) {
        x[i] = (float)(lo + (hi - lo) * i / (N - 1));
        want[i] = (float)ref(x[i]);
    }
    check_f32(unary(code, 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, N), x, want, N, tol);
}

/* ---- 8-bit table checks: every input value ---- */

static double round_away(double v) { return v < 0 ? -floor(-v + 0.5) : floor(v + 0.5); }

static int32_t q_of(double real, float scale, int64_t zp, int32_t qmin, int32_t qmax, bool *ambiguous) {
    double v = real / scale;
    double frac = v - floor(v);
    *ambiguous = fabs(frac - 0.5) < 1e-3 || isinf(v);
    double q = round_away(v) + (double)zp;
    return q < qmin ? qmin : q > qmax ? qmax : (int32_t)q;
}

/* Runs u over all 256 values of its 8-bit input and compares with f applied to the real
 * input, requantized with round half away from zero. Returns the number of mismatches. */
static int sweep_q8(struct ut u, double (*f)(double, const void *), const void *p, int tol_lsb) {
    bool s8 = u.tx == DT(INT8);
    int32_t qmin = s8 ? -128 : 0, qmax = s8 ? 127 : 255;
    uint8_t x[256];
    for (int i = 0; i < 256; i++) x[i] = (uint8_t)(qmin + i);
    u.rank = 1;
    u.dims[0] = 256;
    struct run r;
    const uint8_t *y = run_x(&r, &u, x, false);
    int bad = 0;
    if (y) {
        for (int i = 0; i < 256; i++) {
            int32_t q = qmin + i;
            double real = (double)u.qx.s[0] * (double)(q - u.qx.z);
            bool amb;
            int32_t want = q_of(f(real, p), u.qy.s[0], u.qy.z, qmin, qmax, &amb);
            int32_t got = s8 ? (int8_t)y[i] : y[i];
            int lim = amb ? (tol_lsb > 1 ? tol_lsb : 1) : tol_lsb;
            if (abs(got - want) > lim) {
                if (bad++ < 5) TFLC_FAIL_("op %d q=%d (real %g): got %d want %d", (int)u.code, q, real, got, want);
            }
        }
    }
    done(&r);
    return bad;
}

/* int16 sweep: 512 inputs across the whole range against f on the real value, within
 * tol_lsb; `from` skips inputs below it (steep regions of interpolated tables). */
static int sweep_q16(struct ut u, double (*f)(double, const void *), const void *p, double tol_lsb, int32_t from) {
    enum { N = 512 };
    int16_t x[N];
    for (int i = 0; i < N; i++) x[i] = (int16_t)(-32768 + i * 128 + (i * 37) % 128);
    u.rank = 1;
    u.dims[0] = N;
    struct run r;
    const int16_t *y = run_x(&r, &u, x, false);
    int bad = 0;
    if (y) {
        for (int i = 0; i < N; i++) {
            if (x[i] < from) continue;
            double real = (double)u.qx.s[0] * (double)(x[i] - u.qx.z);
            bool amb;
            int32_t want = q_of(f(real, p), u.qy.s[0], u.qy.z, -32768, 32767, &amb);
            if (abs(y[i] - want) > tol_lsb) {
                if (bad++ < 5) TFLC_FAIL_("op %d q=%d (real %g): got %d want %d", (int)u.code, x[i], real, y[i], want);
            }
        }
    }
    done(&r);
    return bad;
}

static double sigmoid_d(double x, const void *p) { (void)p; return 1.0 / (1.0 + exp(-x)); }
static double sigmoid1(double x) { return sigmoid_d(x, NULL); }
static double tanh_d(double x, const void *p) { (void)p; return tanh(x); }
static double elu_d(double x, const void *p) { (void)p; return x < 0 ? expm1(x) : x; }
static double elu1(double x) { return elu_d(x, NULL); }
static double exp_d(double x, const void *p) { (void)p; return exp(x); }
static double gelu_d(double x, const void *p) {
    if (*(const bool *)p) return 0.5 * x * (1 + tanh(sqrt(2 / 3.14159265358979323846) * (x + 0.044715 * x * x * x)));
    return 0.5 * x * erfc(-x / sqrt(2.0));
}
static double gelu_exact1(double x) { bool a = false; return gelu_d(x, &a); }
static double gelu_tanh1(double x) { bool a = true; return gelu_d(x, &a); }
static double log_d(double x, const void *p) { return x <= 0 ? *(const double *)p : log(x); }
static double rsqrt_d(double x, const void *p) { return x <= 0 ? *(const double *)p : 1 / sqrt(x); }
static double hswish_d(double x, const void *p) {
    (void)p;
    double r = x + 3 < 0 ? 0 : x + 3 > 6 ? 6 : x + 3;
    return x * r / 6;
}
static double hswish1(double x) { return hswish_d(x, NULL); }

/* ===================================================================================== */

TFLC_TEST(logistic_f32) {
    float x[] = {-20, -9.5f, -1, 0, 0.5f, 3, 16, 17, 100};
    float want[9];
    for (int i = 0; i < 9; i++) want[i] = (float)sigmoid1(x[i]);
    check_f32(unary(OP(LOGISTIC), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 9), x, want, 9, 1e-6);
    sweep_f32(OP(LOGISTIC), sigmoid1, -12, 12, 1e-6);
}

TFLC_TEST(logistic_q8_tables) {
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(LOGISTIC), 2, DT(INT8), QT(1.0f / 16, 0), DT(INT8), QT(1.0f / 256, -128), 0),
                                sigmoid_d, NULL, 0), 0);
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(LOGISTIC), 2, DT(INT8), QT(0.1f, 127), DT(INT8), QT(1.0f / 256, -128), 0),
                                sigmoid_d, NULL, 0), 0);
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(LOGISTIC), 1, DT(UINT8), QT(0.05f, 128), DT(UINT8), QT(1.0f / 256, 0), 0),
                                sigmoid_d, NULL, 0), 0);
    /* Hand values: x = 0 -> 0.5 = 128/256 -> q = 0 with zero point -128; x = 2 (q = 32 at
     * 1/16) -> 0.8808 * 256 = 225.48 -> 225 - 128 = 97. */
    int8_t x[] = {0, 32, -32, 127};
    struct run r;
    struct ut u = unary(OP(LOGISTIC), 2, DT(INT8), QT(1.0f / 16, 0), DT(INT8), QT(1.0f / 256, -128), 4);
    const int8_t *y = run_x(&r, &u, x, false);
    if (y) {
        TFLC_EXPECT_EQ_INT(y[0], 0);
        TFLC_EXPECT_EQ_INT(y[1], 97);
        TFLC_EXPECT_EQ_INT(y[2], 31 - 128); /* 0.1192 * 256 = 30.51 -> 31 */
        TFLC_EXPECT_EQ_INT(y[3], 127);      /* 0.9997 * 256 = 255.9 -> 256 saturates */
    }
    done(&r);
}

/* int16 LOGISTIC/TANH run gemmlowp's 16-bit fixed-point functions (F3 -> F0), whose 16-bit
 * constants make them up to ~6 (logistic) / ~12 (tanh) LSB away from the real value. The exact
 * values below were confirmed against Google's runtime (all 1890 inputs of a sweep matched
 * bit for bit; op_cases checks random inputs the same way). */
TFLC_TEST(logistic_s16_fixed_point) {
    struct ut u = unary(OP(LOGISTIC), 3, DT(INT16), QT(1.0f / 4096, 0), DT(INT16), QT(1.0f / 32768, 0), 0);
    TFLC_EXPECT_EQ_INT(sweep_q16(u, sigmoid_d, NULL, 7, -32768), 0);
    int16_t x[] = {0, 4096, -4096, 32767, -32768, 2048, 12288};
    int16_t w[] = {16384, 23952, 8815, 32756, 11, 20400, 31216}; /* ~ 32768 sigmoid(x / 4096) */
    struct run r;
    u.dims[0] = 7;
    const int16_t *y = run_x(&r, &u, x, false);
    if (y)
        for (int i = 0; i < 7; i++) TFLC_EXPECT_EQ_INT(y[i], w[i]);
    done(&r);
}

TFLC_TEST(logistic_refusals) {
    expect_refused(&(struct ut){.code = OP(LOGISTIC), .version = 2, .tx = DT(INT8), .ty = DT(INT8), .rank = 1, .dims = {4},
                                .qx = QT(0.1f, 0), .qy = QT(1.0f / 128, 0)},
                   TFLC_STATUS_INVALID_MODEL, "output scale must be 1/256");
    expect_refused(&(struct ut){.code = OP(LOGISTIC), .version = 3, .tx = DT(INT16), .ty = DT(INT16), .rank = 1, .dims = {4},
                                .qx = QT(0.001f, 0), .qy = QT(1.0f / 32768, 0)},
                   TFLC_STATUS_UNSUPPORTED, "not 2^-12");
    expect_refused(&(struct ut){.code = OP(LOGISTIC), .version = 3, .tx = DT(INT16), .ty = DT(INT16), .rank = 1, .dims = {4},
                                .qx = QT(1.0f / 4096, 3), .qy = QT(1.0f / 32768, 0)},
                   TFLC_STATUS_INVALID_MODEL, "zero point 0");
    expect_refused(&(struct ut){.code = OP(LOGISTIC), .version = 4, .tx = DT(FLOAT32), .ty = DT(FLOAT32), .rank = 1, .dims = {4}},
                   TFLC_STATUS_UNSUPPORTED, "LOGISTIC v4");
    expect_refused(&(struct ut){.code = OP(LOGISTIC), .tx = DT(INT32), .ty = DT(INT32), .rank = 1, .dims = {4}},
                   TFLC_STATUS_UNSUPPORTED, "LOGISTIC");
    /* int8 without quantization parameters */
    expect_refused(&(struct ut){.code = OP(LOGISTIC), .version = 2, .tx = DT(INT8), .ty = DT(INT8), .rank = 1, .dims = {4}},
                   TFLC_STATUS_INVALID_MODEL, "has no scale");
}

TFLC_TEST(tanh_all) {
    sweep_f32(OP(TANH), tanh, -6, 6, 1e-6);
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(TANH), 2, DT(INT8), QT(0.03f, -7), DT(INT8), QT(1.0f / 128, 0), 0), tanh_d, NULL, 0), 0);
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(TANH), 1, DT(UINT8), QT(0.02f, 100), DT(UINT8), QT(0.01f, 130), 0), tanh_d, NULL, 0), 0);
    struct ut u = unary(OP(TANH), 3, DT(INT16), QT(1.0f / 4096, 0), DT(INT16), QT(1.0f / 32768, 0), 0);
    TFLC_EXPECT_EQ_INT(sweep_q16(u, tanh_d, NULL, 12, -32768), 0);
    int16_t x[] = {0, 4096, -4096, 32767, -32768, 1, 12288};
    int16_t w[] = {0, 24964, -24964, 32767, -32767, 8, 32612}; /* gemmlowp, confirmed vs Google */
    struct run r;
    u.dims[0] = 7;
    const int16_t *y = run_x(&r, &u, x, false);
    if (y)
        for (int i = 0; i < 7; i++) TFLC_EXPECT_EQ_INT(y[i], w[i]);
    done(&r);
    u.qx = QT(1.0f / 2048, 0); /* input doubled (saturating) first */
    y = run_x(&r, &u, x, false);
    int16_t w1[] = {0, 31596, -31596, 32767, -32767, 24, 32767};
    if (y)
        for (int i = 0; i < 7; i++) TFLC_EXPECT_EQ_INT(y[i], w1[i]);
    done(&r);
    TFLC_EXPECT_EQ_INT(sweep_q16(u, tanh_d, NULL, 12, -32768), 0);
    expect_refused(&(struct ut){.code = OP(TANH), .version = 3, .tx = DT(INT16), .ty = DT(INT16), .rank = 1, .dims = {4},
                                .qx = QT(1.0f / 1024, 0), .qy = QT(1.0f / 32768, 0)},
                   TFLC_STATUS_UNSUPPORTED, "TANH");
}

/* RELU family with in_s = 2 out_s: every step is exact, y = out_zp + 2 (q - in_zp), clamped. */
static void relu_q(int32_t code, int version, enum tflc_dtype t, float lo, float hi) {
    const bool s8 = t == DT(INT8);
    const int32_t in_zp = s8 ? -10 : 120, out_zp = s8 ? 5 : 60, qmin = s8 ? -128 : 0, qmax = s8 ? 127 : 255;
    struct ut u = unary(code, version, t, QT(0.5f, in_zp), t, QT(0.25f, out_zp), 256);
    uint8_t x[256];
    for (int i = 0; i < 256; i++) x[i] = (uint8_t)(qmin + i);
    struct run r;
    const uint8_t *y = run_x(&r, &u, x, false);
    int32_t qlo = out_zp + (int32_t)(lo / 0.25f), qhi = hi > 1e30f ? qmax : out_zp + (int32_t)(hi / 0.25f);
    if (qlo < qmin) qlo = qmin;
    if (qhi > qmax) qhi = qmax;
    if (y)
        for (int i = 0; i < 256; i++) {
            int32_t q = qmin + i, want = out_zp + 2 * (q - in_zp);
            want = want < qlo ? qlo : want > qhi ? qhi : want;
            int32_t got = s8 ? (int8_t)y[i] : y[i];
            TFLC_EXPECT_MSG(got == want, "op %d q=%d: got %d want %d", (int)code, q, got, want);
        }
    done(&r);
}

TFLC_TEST(relu_family) {
    float x[] = {-3, -1.5f, -0.5f, 0, 0.5f, 1, 5.5f, 6, 7};
    float w_relu[] = {0, 0, 0, 0, 0.5f, 1, 5.5f, 6, 7}, w_relu6[] = {0, 0, 0, 0, 0.5f, 1, 5.5f, 6, 6};
    float w_n1[] = {-1, -1, -0.5f, 0, 0.5f, 1, 1, 1, 1};
    check_f32(unary(OP(RELU), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 9), x, w_relu, 9, 0);
    check_f32(unary(OP(RELU6), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 9), x, w_relu6, 9, 0);
    check_f32(unary(OP(RELU_N1_TO_1), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 9), x, w_n1, 9, 0);
    relu_q(OP(RELU), 2, DT(INT8), 0, INFINITY);
    relu_q(OP(RELU), 2, DT(UINT8), 0, INFINITY);
    relu_q(OP(RELU6), 2, DT(INT8), 0, 6);
    relu_q(OP(RELU6), 1, DT(UINT8), 0, 6);
    relu_q(OP(RELU_N1_TO_1), 1, DT(INT8), -1, 1);
    relu_q(OP(RELU_N1_TO_1), 1, DT(UINT8), -1, 1);
    relu_q(OP(RELU_0_TO_1), 1, DT(INT8), 0, 1);
    relu_q(OP(RELU_0_TO_1), 1, DT(UINT8), 0, 1);
    /* int16: scale ratio 2, zero points 0; RELU6 top = round(6 / 0.001) = 6000. */
    int16_t xs[] = {-32768, -1, 0, 1, 2999, 3000, 3001, 32767};
    struct run r;
    struct ut u = unary(OP(RELU6), 3, DT(INT16), QT(0.002f, 0), DT(INT16), QT(0.001f, 0), 8);
    const int16_t *y = run_x(&r, &u, xs, false);
    int16_t w6[] = {0, 0, 0, 2, 5998, 6000, 6000, 6000};
    if (y)
        for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(y[i], w6[i]);
    done(&r);
    u.code = OP(RELU);
    y = run_x(&r, &u, xs, false);
    int16_t w[] = {0, 0, 0, 2, 5998, 6000, 6002, 32767};
    if (y)
        for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(y[i], w[i]);
    done(&r);
    expect_refused(&(struct ut){.code = OP(RELU_N1_TO_1), .tx = DT(INT16), .ty = DT(INT16), .rank = 1, .dims = {4},
                                .qx = QT(0.001f, 0), .qy = QT(0.001f, 0)},
                   TFLC_STATUS_UNSUPPORTED, "RELU_N1_TO_1");
    expect_refused(&(struct ut){.code = OP(RELU), .version = 3, .tx = DT(INT16), .ty = DT(INT16), .rank = 1, .dims = {4},
                                .qx = QT(0.001f, 2), .qy = QT(0.001f, 0)},
                   TFLC_STATUS_INVALID_MODEL, "zero point 0");
    expect_refused(&(struct ut){.code = OP(RELU), .tx = DT(FLOAT32), .ty = DT(INT8), .rank = 1, .dims = {4},
                                .qy = QT(0.1f, 0)},
                   TFLC_STATUS_UNSUPPORTED, "RELU v1): no kernel for these types (inputs FLOAT32 -> outputs INT8)");
    expect_refused(&(struct ut){.code = OP(RELU), .tx = DT(FLOAT32), .ty = DT(FLOAT32), .rank = 1, .dims = {4}, .nin = 2},
                   TFLC_STATUS_INVALID_MODEL, "has 2 inputs");
}

TFLC_TEST(leaky_relu) {
    float x[] = {-4, -1, 0, 0.5f, 3};
    float w[] = {-0.8f, -0.2f, 0, 0.5f, 3}, wn[] = {6, 1.5f, 0, 0.5f, 3};
    struct ut u = unary(OP(LEAKY_RELU), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 5);
    u.alpha = 0.2f;
    check_f32(u, x, w, 5, 1e-7);
    u.alpha = -1.5f;
    check_f32(u, x, wn, 5, 1e-7);
    /* int8, in_s = out_s = 0.5, zero points 3 and -2, alpha 0.25:
     * q - 3 = d >= 0 -> -2 + d; d < 0 -> -2 + MBQM(d, 0.25). MBQM rounds ties of the
     * product away from zero on the right shift: d = -2 -> -0.5 -> -1; d = -6 -> -1.5 -> -2;
     * d = -4 -> -1 exactly. */
    int8_t xq[] = {3, 10, 1, -3, -1, -128, 127};
    struct run r;
    u = unary(OP(LEAKY_RELU), 1, DT(INT8), QT(0.5f, 3), DT(INT8), QT(0.5f, -2), 7);
    u.alpha = 0.25f;
    const int8_t *y = run_x(&r, &u, xq, false);
    int8_t wq[] = {-2, 5, -3, -4, -3, -2 - 33 /* -131 * 0.25 = -32.75 -> -33 */, 122};
    if (y)
        for (int i = 0; i < 7; i++) TFLC_EXPECT_EQ_INT(y[i], wq[i]);
    done(&r);
    /* Negative alpha -0.5: the product of |alpha|'s multiplier is negated (TFLite's current
     * reference). d = -3: MBQM(-3, 0.5) = -1 (its doubling high multiply rounds the tie -1.5
     * up), negated +1. (Older TFLite passed a negative multiplier and got +2 here.) */
    u.alpha = -0.5f;
    int8_t xn[] = {0, -1, 7};
    u.dims[0] = 3;
    y = run_x(&r, &u, xn, false);
    if (y) {
        TFLC_EXPECT_EQ_INT(y[0], -2 + 1); /* d = -3 */
        TFLC_EXPECT_EQ_INT(y[1], -2 + 2); /* d = -4 -> 2 */
        TFLC_EXPECT_EQ_INT(y[2], -2 + 4); /* d = 4 */
    }
    done(&r);
    /* int16 (v2), zero points 0, in_s = out_s, alpha 0.5 */
    int16_t xs[] = {-32768, -3, 100, 32767};
    u = unary(OP(LEAKY_RELU), 2, DT(INT16), QT(0.001f, 0), DT(INT16), QT(0.001f, 0), 4);
    u.alpha = 0.5f;
    const int16_t *ys = run_x(&r, &u, xs, false);
    if (ys) {
        TFLC_EXPECT_EQ_INT(ys[0], -16384);
        TFLC_EXPECT_EQ_INT(ys[1], -1); /* -1.5: the tie rounds up (no right shift follows) */
        TFLC_EXPECT_EQ_INT(ys[2], 100);
        TFLC_EXPECT_EQ_INT(ys[3], 32767);
    }
    done(&r);
    expect_refused(&(struct ut){.code = OP(LEAKY_RELU), .version = 2, .tx = DT(INT16), .ty = DT(INT16), .rank = 1,
                                .dims = {4}, .qx = QT(0.001f, 1), .qy = QT(0.001f, 0)},
                   TFLC_STATUS_INVALID_MODEL, "zero point 0");
}

TFLC_TEST(prelu) {
    /* x [2, 3] with alpha [3] along the last axis. */
    float x[] = {-1, -2, 3, 4, -5, -6};
    float a[] = {0.5f, -1, 2};
    struct ut u = {.code = OP(PRELU), .tx = DT(FLOAT32), .ty = DT(FLOAT32), .rank = 2, .dims = {2, 3}, .ta = DT(FLOAT32),
                   .arank = 1, .adims = {3}, .adata = a};
    struct run r;
    const float *y = run_x(&r, &u, x, false);
    float w[] = {-0.5f, 2, 3, 4, 5, -12};
    if (y)
        for (int i = 0; i < 6; i++) TFLC_EXPECT_NEAR(y[i], w[i], 0);
    done(&r);
    /* alpha [2, 1] along the first axis */
    float a2[] = {0.1f, 3};
    u.arank = 2;
    u.adims[0] = 2;
    u.adims[1] = 1;
    u.adata = a2;
    y = run_x(&r, &u, x, false);
    float w2[] = {-0.1f, -0.2f, 3, 4, -15, -18};
    if (y)
        for (int i = 0; i < 6; i++) TFLC_EXPECT_NEAR(y[i], w2[i], 1e-7);
    done(&r);
    /* int8: in_s 0.5 zp 1, alpha_s 0.25 zp 0 (alpha q 2 = 0.5), out_s 0.25 zp -3.
     * d >= 0: -3 + 2 d; d < 0: -3 + d * 2 * (0.5 * 0.25 / 0.25) = -3 + d. */
    int8_t xq[] = {1, 5, 0, -9, 127, -128};
    int8_t aq[] = {2};
    u = (struct ut){.code = OP(PRELU), .tx = DT(INT8), .ty = DT(INT8), .rank = 2, .dims = {2, 3}, .qx = QT(0.5f, 1),
                    .qy = QT(0.25f, -3), .ta = DT(INT8), .arank = 1, .adims = {1}, .qa = QT(0.25f, 0), .adata = aq};
    const int8_t *yq = run_x(&r, &u, xq, false);
    int8_t wq[] = {-3, 5, -4, -13, 127, -128 /* -3 - 129 */};
    if (yq)
        for (int i = 0; i < 6; i++) TFLC_EXPECT_EQ_INT(yq[i], wq[i]);
    done(&r);
    /* Bad shapes: alpha [4] does not broadcast to [2, 3]; alpha [2, 2, 3] would grow the output. */
    float a4[12] = {0};
    u = (struct ut){.code = OP(PRELU), .tx = DT(FLOAT32), .ty = DT(FLOAT32), .rank = 2, .dims = {2, 3}, .ta = DT(FLOAT32),
                    .arank = 1, .adims = {4}, .adata = a4};
    expect_refused(&u, TFLC_STATUS_INVALID_MODEL, "does not broadcast");
    u.arank = 3;
    u.adims[0] = 2;
    u.adims[1] = 2;
    u.adims[2] = 3;
    expect_refused(&u, TFLC_STATUS_INVALID_MODEL, "larger shape");
    u.arank = 1;
    u.adims[0] = 3;
    u.ta = DT(INT8);
    expect_refused(&u, TFLC_STATUS_UNSUPPORTED, "PRELU");
}

TFLC_TEST(elu_gelu_hard_swish_float) {
    sweep_f32(OP(ELU), elu1, -8, 4, 1e-6);
    sweep_f32(OP(HARD_SWISH), hswish1, -5, 5, 1e-6);
    float x[] = {-3, 0, 3};
    float w[] = {0, 0, 3};
    check_f32(unary(OP(HARD_SWISH), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 3), x, w, 3, 0);
    enum { N = 81 };
    float xs[N], we[N], wa[N];
    for (int i = 0; i < N; i++) {
        xs[i] = -10 + 0.25f * (float)i;
        we[i] = (float)gelu_exact1(xs[i]);
        wa[i] = (float)gelu_tanh1(xs[i]);
    }
    struct ut u = unary(OP(GELU), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, N);
    check_f32(u, xs, we, N, 1e-6);
    u.approximate = true;
    check_f32(u, xs, wa, N, 1e-6);
}

TFLC_TEST(elu_gelu_q8_tables) {
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(ELU), 1, DT(INT8), QT(0.05f, 20), DT(INT8), QT(0.04f, -100), 0), elu_d, NULL, 0), 0);
    bool approx = false;
    struct ut u = unary(OP(GELU), 2, DT(INT8), QT(0.04f, 0), DT(INT8), QT(0.03f, -100), 0);
    TFLC_EXPECT_EQ_INT(sweep_q8(u, gelu_d, &approx, 0), 0);
    approx = true;
    u.approximate = true;
    TFLC_EXPECT_EQ_INT(sweep_q8(u, gelu_d, &approx, 0), 0);
    u = unary(OP(GELU), 2, DT(UINT8), QT(0.03f, 128), DT(UINT8), QT(0.025f, 30), 0);
    approx = false;
    TFLC_EXPECT_EQ_INT(sweep_q8(u, gelu_d, &approx, 0), 0);
    expect_refused(&(struct ut){.code = OP(ELU), .tx = DT(UINT8), .ty = DT(UINT8), .rank = 1, .dims = {4},
                                .qx = QT(0.1f, 0), .qy = QT(0.1f, 0)},
                   TFLC_STATUS_UNSUPPORTED, "ELU");
}

TFLC_TEST(hard_swish_q8) {
    /* TFLite's fixed-point recipe approximates x * relu6(x + 3) / 6 to within 1 LSB. */
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(HARD_SWISH), 1, DT(INT8), QT(0.05f, -10), DT(INT8), QT(0.03f, -100), 0),
                                hswish_d, NULL, 1), 0);
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(HARD_SWISH), 1, DT(INT8), QT(0.2f, 30), DT(INT8), QT(0.15f, -110), 0),
                                hswish_d, NULL, 1), 0);
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(HARD_SWISH), 1, DT(UINT8), QT(0.04f, 128), DT(UINT8), QT(0.03f, 20), 0),
                                hswish_d, NULL, 1), 0);
    /* Exact points: x = 0 -> the output zero point; x = -3 and below -> 0 real. */
    int8_t x[] = {-10, -70, -128};
    struct run r;
    struct ut u = unary(OP(HARD_SWISH), 1, DT(INT8), QT(0.05f, -10), DT(INT8), QT(0.03f, -100), 3);
    const int8_t *y = run_x(&r, &u, x, false);
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_EQ_INT(y[i], -100);
    done(&r);
    /* in_s / 128 / out_s >= 1 would need a left shift TFLite's kernel refuses. */
    expect_refused(&(struct ut){.code = OP(HARD_SWISH), .tx = DT(INT8), .ty = DT(INT8), .rank = 1, .dims = {4},
                                .qx = QT(10.0f, 0), .qy = QT(0.01f, 0)},
                   TFLC_STATUS_UNSUPPORTED, "HARD_SWISH");
    expect_refused(&(struct ut){.code = OP(HARD_SWISH), .tx = DT(INT16), .ty = DT(INT16), .rank = 1, .dims = {4},
                                .qx = QT(0.01f, 0), .qy = QT(0.01f, 0)},
                   TFLC_STATUS_UNSUPPORTED, "HARD_SWISH");
}

TFLC_TEST(exp_log) {
    sweep_f32(OP(EXP), exp, -10, 10, 1e-6);
    float xl[] = {0.001f, 0.5f, 1, 2.718281828f, 1000};
    float wl[5];
    for (int i = 0; i < 5; i++) wl[i] = (float)log(xl[i]);
    check_f32(unary(OP(LOG), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 5), xl, wl, 5, 1e-6);
    /* int8 tables (v2; Google's 2023 runtime refuses them). EXP saturates above the range. */
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(EXP), 2, DT(INT8), QT(0.02f, 0), DT(INT8), QT(0.05f, -128), 0), exp_d, NULL, 0), 0);
    /* LOG: x <= 0 maps to the lowest output, (-128 - 30) * 0.04 = -6.32 real. */
    double low = (-128 - 30) * (double)0.04f;
    TFLC_EXPECT_EQ_INT(sweep_q8(unary(OP(LOG), 2, DT(INT8), QT(0.05f, -100), DT(INT8), QT(0.04f, 30), 0), log_d, &low, 0), 0);
    /* int16: TFLite's interpolated 513-entry tables (512 linear pieces over the input range).
     * TFLite's own tests accept (input range + output range) / 512 of error; these stay within
     * a few LSB where the function is smooth: EXP everywhere (5 LSB), LOG from x = 0.5 up
     * (15 LSB; the piece that contains 0 mixes "x <= 0" with ln). Our table generator was also
     * compared with an independent float32 transcription of LUTPopulate<int16_t> on all 65536
     * inputs of these three tables (EXP, LOG, RSQRT): identical. */
    struct ut ue = unary(OP(EXP), 2, DT(INT16), QT(1.0f / 8192, 0), DT(INT16), QT(60.0f / 32768, 0), 0);
    TFLC_EXPECT_EQ_INT(sweep_q16(ue, exp_d, NULL, 6, -32768), 0);
    struct ut ul = unary(OP(LOG), 2, DT(INT16), QT(0.001f, 0), DT(INT16), QT(0.0003f, 0), 0);
    double low16 = -32768 * (double)0.0003f;
    TFLC_EXPECT_EQ_INT(sweep_q16(ul, log_d, &low16, 16, 500), 0);
    int16_t x0[] = {-32768, -1000, 1000};
    struct run r;
    ul.dims[0] = 3;
    const int16_t *y = run_x(&r, &ul, x0, false);
    if (y) {
        TFLC_EXPECT_EQ_INT(y[0], -32768); /* x <= 0: the lowest output */
        TFLC_EXPECT_EQ_INT(y[1], -32768);
        TFLC_EXPECT_NEAR(y[2], 0, 4); /* ln(1) */
    }
    done(&r);
    expect_refused(&(struct ut){.code = OP(LOG), .version = 2, .tx = DT(INT16), .ty = DT(INT16), .rank = 1, .dims = {4},
                                .qx = QT(0.001f, 5), .qy = QT(0.001f, 0)},
                   TFLC_STATUS_INVALID_MODEL, "zero point 0");
    expect_refused(&(struct ut){.code = OP(EXP), .version = 2, .tx = DT(UINT8), .ty = DT(UINT8), .rank = 1, .dims = {4},
                                .qx = QT(0.001f, 5), .qy = QT(0.001f, 0)},
                   TFLC_STATUS_UNSUPPORTED, "EXP");
}

TFLC_TEST(sqrt_all) {
    float x[] = {0, 0.25f, 2, 100, -1};
    float w[] = {0, 0.5f, 1.41421356f, 10, NAN};
    check_f32(unary(OP(SQRT), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 5), x, w, 5, 1e-7);
    /* int8: sqrt(in_s (q - zp)) / out_s truncated toward zero (not rounded), + out zp.
     * in 0.04 zp -128, out 0.1 zp -128: q = -128 + 25 -> sqrt(1) / 0.1 = 10 -> -118;
     * q = -128 + 100 -> 2 / 0.1 = 20 -> -108; q = -128 + 24 -> 0.9798 / 0.1 = 9.8 -> 9 -> -119. */
    int8_t xq[] = {-128, -103, -28, -104, 127};
    struct run r;
    struct ut u = unary(OP(SQRT), 1, DT(INT8), QT(0.04f, -128), DT(INT8), QT(0.1f, -128), 5);
    const int8_t *y = run_x(&r, &u, xq, false);
    int8_t wq[] = {-128, -118, -108, -119, -128 + 31 /* sqrt(10.2) = 3.19 */};
    if (y)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y[i], wq[i]);
    done(&r);
    /* A negative real input is a run-time error (the input's zero point is 0 here). */
    u = unary(OP(SQRT), 1, DT(INT8), QT(0.04f, 0), DT(INT8), QT(0.1f, 0), 3);
    int8_t xn[] = {4, -1, 9};
    y = run_x(&r, &u, xn, true);
    TFLC_EXPECT(y == NULL);
    TFLC_EXPECT_EQ_INT(r.invoke_st, TFLC_STATUS_INVALID_ARGUMENT);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "SQRT");
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "element 1");
    done(&r);
    /* int16 */
    int16_t xs[] = {0, 10000, 32767};
    u = unary(OP(SQRT), 1, DT(INT16), QT(0.0001f, 0), DT(INT16), QT(0.0001f, 0), 3);
    const int16_t *ys = run_x(&r, &u, xs, false);
    if (ys) {
        TFLC_EXPECT_EQ_INT(ys[0], 0);
        TFLC_EXPECT_EQ_INT(ys[1], 10000); /* sqrt(1) */
        TFLC_EXPECT_EQ_INT(ys[2], 18101); /* sqrt(3.2767) = 1.81016 */
    }
    done(&r);
}

TFLC_TEST(rsqrt_all) {
    float x[] = {0.25f, 1, 4, 100};
    float w[] = {2, 1, 0.5f, 0.1f};
    check_f32(unary(OP(RSQRT), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 4), x, w, 4, 1e-7);
    /* int8: Newton-Raphson inverse sqrt, within 1 LSB of the real value; the zero point maps to
     * 127 (TFLite treats 0 as "largest"). */
    double big = 1e9;
    struct ut u = unary(OP(RSQRT), 2, DT(INT8), QT(0.05f, -128), DT(INT8), QT(0.02f, -128), 0);
    TFLC_EXPECT_EQ_INT(sweep_q8(u, rsqrt_d, &big, 1), 0);
    /* Hand: d = 4 * 0.25 = 1 -> 1 / 0.02 = 50 -> -78; d = 16 * 0.25 = 4 -> 0.5/0.02 = 25 -> -103. */
    int8_t xq[] = {-124, -112, -128};
    struct run r;
    u = unary(OP(RSQRT), 2, DT(INT8), QT(0.25f, -128), DT(INT8), QT(0.02f, -128), 3);
    const int8_t *y = run_x(&r, &u, xq, false);
    if (y) {
        TFLC_EXPECT_EQ_INT(y[0], -78);
        TFLC_EXPECT_EQ_INT(y[1], -103);
        TFLC_EXPECT_EQ_INT(y[2], 127);
    }
    done(&r);
    /* below the zero point: run-time error */
    u = unary(OP(RSQRT), 2, DT(INT8), QT(0.25f, 0), DT(INT8), QT(0.02f, -128), 2);
    int8_t xn[] = {4, -4};
    y = run_x(&r, &u, xn, true);
    TFLC_EXPECT(y == NULL);
    TFLC_EXPECT_EQ_INT(r.invoke_st, TFLC_STATUS_INVALID_ARGUMENT);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "RSQRT");
    done(&r);
    /* int16 table (v3): within 2 LSB from x = 1 up (the pieces next to the singularity at 0 are
     * far off, as in TFLite); negative -> error. */
    double top = 32767 * (double)0.001f;
    u = unary(OP(RSQRT), 3, DT(INT16), QT(0.001f, 0), DT(INT16), QT(0.001f, 0), 0);
    int16_t xs[512];
    for (int i = 0; i < 512; i++) xs[i] = (int16_t)(1000 + i * 61);
    u.dims[0] = 512;
    const int16_t *ys = run_x(&r, &u, xs, false);
    if (ys)
        for (int i = 0; i < 512; i++) {
            double want = rsqrt_d(xs[i] * (double)0.001f, &top) / (double)0.001f;
            TFLC_EXPECT_MSG(fabs(ys[i] - want) <= 2.5, "rsqrt16 q=%d got %d want %.2f", xs[i], ys[i], want);
        }
    done(&r);
    int16_t xz[] = {0, -1};
    u.dims[0] = 2;
    ys = run_x(&r, &u, xz, true);
    TFLC_EXPECT(ys == NULL);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "negative");
    done(&r);
}

TFLC_TEST(abs_all) {
    float x[] = {-2.5f, -0.0f, 3};
    float w[] = {2.5f, 0, 3};
    check_f32(unary(OP(ABS), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 3), x, w, 3, 0);
    /* int8 same scale: |q - 7| - 128; rescaled: in 0.05 -> out 0.1 halves (MBQM rounds
     * ties away from zero: 3 -> 1.5 -> 2). */
    int8_t xq[] = {7, 10, 4, -128, 127};
    struct run r;
    struct ut u = unary(OP(ABS), 2, DT(INT8), QT(0.05f, 7), DT(INT8), QT(0.05f, -128), 5);
    const int8_t *y = run_x(&r, &u, xq, false);
    int8_t w1[] = {-128, -125, -125, 7 /* 135 - 128 */, -8 /* 120 - 128 */};
    if (y)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y[i], w1[i]);
    done(&r);
    u.qy = QT(0.1f, -128);
    y = run_x(&r, &u, xq, false);
    int8_t w2[] = {-128, -126, -126, -128 + 68 /* 135 / 2 = 67.5 -> 68 */, -128 + 60};
    if (y)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y[i], w2[i]);
    done(&r);
    /* int16 quantized (v3), plain (v4), int32 (v5): the minimum stays the minimum when unquantized. */
    int16_t xs[] = {-32768, -5, 5};
    u = unary(OP(ABS), 3, DT(INT16), QT(0.001f, 0), DT(INT16), QT(0.001f, 0), 3);
    const int16_t *ys = run_x(&r, &u, xs, false);
    if (ys) {
        TFLC_EXPECT_EQ_INT(ys[0], 32767); /* clamped */
        TFLC_EXPECT_EQ_INT(ys[1], 5);
        TFLC_EXPECT_EQ_INT(ys[2], 5);
    }
    done(&r);
    u = unary(OP(ABS), 4, DT(INT16), NOQ, DT(INT16), NOQ, 3);
    ys = run_x(&r, &u, xs, false);
    if (ys) {
        TFLC_EXPECT_EQ_INT(ys[0], -32768);
        TFLC_EXPECT_EQ_INT(ys[1], 5);
    }
    done(&r);
    int32_t xi[] = {INT32_MIN, -7, 0, 9};
    u = unary(OP(ABS), 5, DT(INT32), NOQ, DT(INT32), NOQ, 4);
    const int32_t *yi = run_x(&r, &u, xi, false);
    if (yi) {
        TFLC_EXPECT_EQ_INT(yi[0], INT32_MIN);
        TFLC_EXPECT_EQ_INT(yi[1], 7);
        TFLC_EXPECT_EQ_INT(yi[2], 0);
        TFLC_EXPECT_EQ_INT(yi[3], 9);
    }
    done(&r);
    expect_refused(&(struct ut){.code = OP(ABS), .version = 2, .tx = DT(UINT8), .ty = DT(UINT8), .rank = 1, .dims = {4},
                                .qx = QT(0.1f, 0), .qy = QT(0.1f, 0)},
                   TFLC_STATUS_UNSUPPORTED, "ABS v2): no kernel");
}

TFLC_TEST(neg_all) {
    float x[] = {-2.5f, 0, 3};
    float w[] = {2.5f, -0.0f, -3};
    check_f32(unary(OP(NEG), 1, DT(FLOAT32), NOQ, DT(FLOAT32), NOQ, 3), x, w, 3, 0);
    int32_t xi[] = {INT32_MIN, -7, 9};
    struct run r;
    struct ut u = unary(OP(NEG), 1, DT(INT32), NOQ, DT(INT32), NOQ, 3);
    const int32_t *yi = run_x(&r, &u, xi, false);
    if (yi) {
        TFLC_EXPECT_EQ_INT(yi[0], INT32_MIN); /* wraps */
        TFLC_EXPECT_EQ_INT(yi[1], 7);
        TFLC_EXPECT_EQ_INT(yi[2], -9);
    }
    done(&r);
    int64_t xl[] = {INT64_MIN, 5000000000ll};
    u = unary(OP(NEG), 1, DT(INT64), NOQ, DT(INT64), NOQ, 2);
    const int64_t *yl = run_x(&r, &u, xl, false);
    if (yl) {
        TFLC_EXPECT(yl[0] == INT64_MIN);
        TFLC_EXPECT(yl[1] == -5000000000ll);
    }
    done(&r);
    expect_refused(&(struct ut){.code = OP(NEG), .tx = DT(INT8), .ty = DT(INT8), .rank = 1, .dims = {4},
                                .qx = QT(0.1f, 0), .qy = QT(0.1f, 0)},
                   TFLC_STATUS_UNSUPPORTED, "NEG");
}

TFLC_TEST(quantize_float) {
    /* scale 0.5, zp 1: round half away from zero of x / 0.5, + 1, saturating; NaN -> min. */
    float x[] = {0.25f, -0.25f, 0.75f, -0.75f, 1000, -1000, NAN, 3};
    struct run r;
    struct ut u = unary(OP(QUANTIZE), 1, DT(FLOAT32), NOQ, DT(INT8), QT(0.5f, 1), 8);
    const int8_t *y = run_x(&r, &u, x, false);
    int8_t w[] = {2, 0, 3, -1, 127, -128, -128, 7};
    if (y)
        for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(y[i], w[i]);
    done(&r);
    u = unary(OP(QUANTIZE), 1, DT(FLOAT32), NOQ, DT(UINT8), QT(0.5f, 128), 8);
    const uint8_t *yu = run_x(&r, &u, x, false);
    uint8_t wu[] = {129, 127, 130, 126, 255, 0, 0, 134};
    if (yu)
        for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(yu[i], wu[i]);
    done(&r);
    u = unary(OP(QUANTIZE), 2, DT(FLOAT32), NOQ, DT(INT16), QT(0.001f, 0), 8);
    const int16_t *ys = run_x(&r, &u, x, false);
    int16_t ws[] = {250, -250, 750, -750, 32767, -32768, -32768, 3000};
    if (ys)
        for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(ys[i], ws[i]);
    done(&r);
    /* per-channel (v3): [2, 3] along axis 1 with scales 0.1, 0.2, 0.4 */
    float xc[] = {1, 1, 1, -0.3f, -0.3f, -0.3f};
    u = (struct ut){.code = OP(QUANTIZE), .version = 3, .tx = DT(FLOAT32), .ty = DT(INT8), .rank = 2, .dims = {2, 3},
                    .qy = {3, {0.1f, 0.2f, 0.4f}, 0, 1}};
    y = run_x(&r, &u, xc, false);
    int8_t wc[] = {10, 5, 3 /* 2.5 -> 3 */, -3, -2 /* -1.5 -> -2 */, -1 /* -0.75 */};
    if (y)
        for (int i = 0; i < 6; i++) TFLC_EXPECT_EQ_INT(y[i], wc[i]);
    done(&r);
    expect_refused(&(struct ut){.code = OP(QUANTIZE), .version = 2, .tx = DT(INT16), .ty = DT(INT16), .rank = 1, .dims = {4},
                                .qx = QT(0.001f, 0), .qy = QT(0.001f, 3)},
                   TFLC_STATUS_INVALID_MODEL, "zero point 0");
    expect_refused(&(struct ut){.code = OP(QUANTIZE), .tx = DT(FLOAT32), .ty = DT(FLOAT32), .rank = 1, .dims = {4}},
                   TFLC_STATUS_UNSUPPORTED, "QUANTIZE");
    expect_refused(&(struct ut){.code = OP(QUANTIZE), .tx = DT(FLOAT32), .ty = DT(INT8), .rank = 1, .dims = {4}},
                   TFLC_STATUS_INVALID_MODEL, "has no scale");
}

TFLC_TEST(quantize_requantize) {
    /* int8 -> uint8 with equal scales and zero points 128 apart: q + 128 (TFLite's xor path). */
    int8_t x[] = {-128, -1, 0, 127};
    struct run r;
    struct ut u = unary(OP(QUANTIZE), 1, DT(INT8), QT(0.05f, 3), DT(UINT8), QT(0.05f, 131), 4);
    const uint8_t *yu = run_x(&r, &u, x, false);
    if (yu)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(yu[i], x[i] + 128);
    done(&r);
    /* int8 -> int8, in_s = 2 out_s: 2 (q - 3) + 5 saturating */
    u = unary(OP(QUANTIZE), 1, DT(INT8), QT(0.1f, 3), DT(INT8), QT(0.05f, 5), 4);
    const int8_t *y = run_x(&r, &u, x, false);
    int8_t w[] = {-128, -3, -1, 127};
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y[i], w[i]);
    done(&r);
    /* int8 -> int8, out_s = 2 in_s: (q - 3) / 2 with MultiplyByQuantizedMultiplier's rounding
     * (multiplier 2^30, shift 0: a single doubling high multiply, ties toward +inf):
     * -1 -> -0.5 -> 0, 1 -> 0.5 -> 1, 3 -> 1.5 -> 2. */
    int8_t xh[] = {2, 4, 3, 6};
    u = unary(OP(QUANTIZE), 1, DT(INT8), QT(0.05f, 3), DT(INT8), QT(0.1f, 0), 4);
    y = run_x(&r, &u, xh, false);
    int8_t wh[] = {0, 1, 0, 2};
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y[i], wh[i]);
    done(&r);
    /* int16 -> int8 and int16 -> int16 */
    int16_t xs[] = {-32768, -1000, 0, 1000, 32767};
    u = unary(OP(QUANTIZE), 2, DT(INT16), QT(0.001f, 0), DT(INT8), QT(0.1f, -5), 5);
    y = run_x(&r, &u, xs, false);
    int8_t ws8[] = {-128, -15, -5, 5, 127};
    if (y)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y[i], ws8[i]);
    done(&r);
    u = unary(OP(QUANTIZE), 2, DT(INT16), QT(0.001f, 0), DT(INT16), QT(0.004f, 0), 5);
    const int16_t *ys = run_x(&r, &u, xs, false);
    int16_t ws16[] = {-8192, -250, 0, 250, 8192 /* 8191.75 */};
    if (ys)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(ys[i], ws16[i]);
    done(&r);
    /* int16 -> int32 (tfmicro_keyword's output) and int32 -> int8: in_s = 2 out_s, and the
     * int32 input offset by its zero point. */
    u = unary(OP(QUANTIZE), 1, DT(INT16), QT(0.002f, 0), DT(INT32), QT(0.001f, 7), 5);
    const int32_t *y32 = run_x(&r, &u, xs, false);
    int32_t w32[] = {-65536 + 7, -2000 + 7, 7, 2007, 65534 + 7};
    if (y32)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y32[i], w32[i]);
    done(&r);
    int32_t xi[] = {INT32_MIN, -1000, 10, 1000000};
    u = unary(OP(QUANTIZE), 1, DT(INT32), QT(0.01f, 10), DT(INT8), QT(0.1f, -3), 4);
    y = run_x(&r, &u, xi, false);
    /* INT32_MIN - 10 wraps to 2^31 - 11 (TFLite's int32 subtraction), which saturates high */
    int8_t wi[] = {127, -104 /* -101 - 3 */, -3, 127};
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y[i], wi[i]);
    done(&r);
    expect_refused(&(struct ut){.code = OP(QUANTIZE), .tx = DT(INT16), .ty = DT(UINT8), .rank = 1, .dims = {4},
                                .qx = QT(0.1f, 0), .qy = QT(0.1f, 0)},
                   TFLC_STATUS_UNSUPPORTED, "no kernel for these types (inputs INT16 -> outputs UINT8)");
}

TFLC_TEST(dequantize_all) {
    int8_t x[] = {-128, -3, 0, 127};
    struct run r;
    struct ut u = unary(OP(DEQUANTIZE), 2, DT(INT8), QT(0.5f, -3), DT(FLOAT32), NOQ, 4);
    const float *y = run_x(&r, &u, x, false);
    float w[] = {-62.5f, 0, 1.5f, 65};
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], w[i], 0);
    done(&r);
    uint8_t xu[] = {0, 128, 255};
    u = unary(OP(DEQUANTIZE), 1, DT(UINT8), QT(0.25f, 128), DT(FLOAT32), NOQ, 3);
    y = run_x(&r, &u, xu, false);
    float wu[] = {-32, 0, 31.75f};
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_NEAR(y[i], wu[i], 0);
    done(&r);
    int16_t xs[] = {-32768, 1, 32767};
    u = unary(OP(DEQUANTIZE), 3, DT(INT16), QT(0.125f, 0), DT(FLOAT32), NOQ, 3);
    y = run_x(&r, &u, xs, false);
    float ws[] = {-4096, 0.125f, 4095.875f};
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_NEAR(y[i], ws[i], 0);
    done(&r);
    /* per-channel int8 constant (v5), [3, 2] along axis 0 (like conv weights), zp 0 */
    int8_t wc[] = {1, -1, 2, -2, 100, -100};
    u = (struct ut){.code = OP(DEQUANTIZE), .version = 5, .tx = DT(INT8), .ty = DT(FLOAT32), .rank = 2, .dims = {3, 2},
                    .qx = {3, {0.5f, 0.25f, 0.01f}, 0, 0}, .x_const = wc};
    y = run_x(&r, &u, NULL, false);
    float wcw[] = {0.5f, -0.5f, 0.5f, -0.5f, 1, -1};
    if (y)
        for (int i = 0; i < 6; i++) TFLC_EXPECT_NEAR(y[i], wcw[i], 1e-7);
    done(&r);
    /* float16 constant weights (how fp16 models store them): exact conversion, including
     * subnormals, infinities and the largest half. */
    uint16_t h[] = {0x3C00, 0xC000, 0x3555, 0x0001, 0x7BFF, 0xFC00, 0x8000};
    float hw[] = {1, -2, 0.333251953125f, 5.9604644775390625e-8f, 65504, -INFINITY, -0.0f};
    u = (struct ut){.code = OP(DEQUANTIZE), .version = 3, .tx = DT(FLOAT16), .ty = DT(FLOAT32), .rank = 1, .dims = {7},
                    .x_const = h};
    y = run_x(&r, &u, NULL, false);
    if (y) {
        for (int i = 0; i < 7; i++) TFLC_EXPECT(y[i] == hw[i] && signbit(y[i]) == signbit(hw[i]));
        /* constant input: converted again on every invoke */
        if (tflc_interp_invoke(r.it, &r.diag) != TFLC_STATUS_OK) TFLC_FAIL_("second invoke: %s", r.diag.msg);
        TFLC_EXPECT(y[4] == 65504);
    }
    done(&r);
    /* float16 as a graph input works too */
    u.x_const = NULL;
    y = run_x(&r, &u, h, false);
    if (y)
        for (int i = 0; i < 7; i++) TFLC_EXPECT(y[i] == hw[i]);
    done(&r);
    expect_refused(&(struct ut){.code = OP(DEQUANTIZE), .version = 2, .tx = DT(INT8), .ty = DT(INT32), .rank = 1, .dims = {4},
                                .qx = QT(0.1f, 0)},
                   TFLC_STATUS_UNSUPPORTED, "DEQUANTIZE");
    expect_refused(&(struct ut){.code = OP(DEQUANTIZE), .tx = DT(FLOAT32), .ty = DT(FLOAT32), .rank = 1, .dims = {4}},
                   TFLC_STATUS_UNSUPPORTED, "DEQUANTIZE");
}

TFLC_TEST(cast_float_to_int) {
    /* truncation toward zero, saturation, NaN (int32: INT32_MAX like TFLite's saturating
     * path; narrower types: 0) */
    float x[] = {-1.7f, 2.9f, 3e9f, -3e9f, NAN, 255.5f, -0.5f, 300};
    struct run r;
    struct ut u = unary(OP(CAST), 1, DT(FLOAT32), NOQ, DT(INT32), NOQ, 8);
    const int32_t *yi = run_x(&r, &u, x, false);
    int32_t wi[] = {-1, 2, INT32_MAX, INT32_MIN, INT32_MAX, 255, 0, 300};
    if (yi)
        for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(yi[i], wi[i]);
    done(&r);
    u = unary(OP(CAST), 1, DT(FLOAT32), NOQ, DT(UINT8), NOQ, 8);
    const uint8_t *yu = run_x(&r, &u, x, false);
    uint8_t wu[] = {0, 2, 255, 0, 0, 255, 0, 255};
    if (yu)
        for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(yu[i], wu[i]);
    done(&r);
    u = unary(OP(CAST), 3, DT(FLOAT32), NOQ, DT(INT8), NOQ, 8);
    const int8_t *y8 = run_x(&r, &u, x, false);
    int8_t w8[] = {-1, 2, 127, -128, 0, 127, 0, 127};
    if (y8)
        for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(y8[i], w8[i]);
    done(&r);
    u = unary(OP(CAST), 1, DT(FLOAT32), NOQ, DT(INT64), NOQ, 8);
    const int64_t *y64 = run_x(&r, &u, x, false);
    if (y64) {
        TFLC_EXPECT(y64[2] == 3000000000ll);
        TFLC_EXPECT(y64[3] == -3000000000ll);
        TFLC_EXPECT(y64[0] == -1);
    }
    done(&r);
    u = unary(OP(CAST), 1, DT(FLOAT32), NOQ, DT(BOOL), NOQ, 8);
    const uint8_t *yb = run_x(&r, &u, x, false);
    uint8_t wb[] = {1, 1, 1, 1, 1, 1, 1, 1};
    if (yb)
        for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(yb[i], wb[i]);
    done(&r);
}

TFLC_TEST(cast_int_and_half) {
    /* integer -> integer wraps modulo 2^bits */
    int32_t xi[] = {200, -129, 65536 + 7, -1};
    struct run r;
    struct ut u = unary(OP(CAST), 3, DT(INT32), NOQ, DT(INT8), NOQ, 4);
    const int8_t *y8 = run_x(&r, &u, xi, false);
    int8_t w8[] = {-56, 127, 7, -1};
    if (y8)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y8[i], w8[i]);
    done(&r);
    u = unary(OP(CAST), 1, DT(INT32), NOQ, DT(UINT8), NOQ, 4);
    const uint8_t *yu = run_x(&r, &u, xi, false);
    uint8_t wu[] = {200, 127, 7, 255};
    if (yu)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(yu[i], wu[i]);
    done(&r);
    int64_t xl[] = {4294967296ll + 5, -4294967296ll - 1, 16777217};
    u = unary(OP(CAST), 1, DT(INT64), NOQ, DT(INT32), NOQ, 3);
    const int32_t *y32 = run_x(&r, &u, xl, false);
    if (y32) {
        TFLC_EXPECT_EQ_INT(y32[0], 5);
        TFLC_EXPECT_EQ_INT(y32[1], -1);
    }
    done(&r);
    /* int64 -> float32 rounds once: 2^24 + 1 -> 2^24 */
    u = unary(OP(CAST), 1, DT(INT64), NOQ, DT(FLOAT32), NOQ, 3);
    const float *yf = run_x(&r, &u, xl, false);
    if (yf) TFLC_EXPECT(yf[2] == 16777216.0f);
    done(&r);
    /* uint32 (v2), uint16 (v4), bool */
    uint32_t xu32[] = {4294967295u, 7};
    u = unary(OP(CAST), 2, DT(UINT32), NOQ, DT(INT64), NOQ, 2);
    const int64_t *y64 = run_x(&r, &u, xu32, false);
    if (y64) TFLC_EXPECT(y64[0] == 4294967295ll && y64[1] == 7);
    done(&r);
    int32_t xneg[] = {-1, 70000};
    u = unary(OP(CAST), 4, DT(INT32), NOQ, DT(UINT16), NOQ, 2);
    const uint16_t *y16 = run_x(&r, &u, xneg, false);
    if (y16) TFLC_EXPECT(y16[0] == 65535 && y16[1] == 70000 - 65536);
    done(&r);
    uint8_t xb[] = {0, 1};
    u = unary(OP(CAST), 1, DT(BOOL), NOQ, DT(FLOAT32), NOQ, 2);
    yf = run_x(&r, &u, xb, false);
    if (yf) TFLC_EXPECT(yf[0] == 0 && yf[1] == 1);
    done(&r);
    /* float16 both ways (v5; Google's 2023 runtime refuses these): half <-> float exact
     * where representable, round to nearest even otherwise; ints go through float. */
    uint16_t h[] = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00};
    u = unary(OP(CAST), 5, DT(FLOAT16), NOQ, DT(FLOAT32), NOQ, 5);
    yf = run_x(&r, &u, h, false);
    if (yf) {
        TFLC_EXPECT(yf[0] == 1 && yf[1] == -2 && yf[2] == 65504);
        TFLC_EXPECT(yf[3] == 5.9604644775390625e-8f && isinf(yf[4]));
    }
    done(&r);
    u = unary(OP(CAST), 5, DT(FLOAT16), NOQ, DT(INT32), NOQ, 5);
    const int32_t *yi = run_x(&r, &u, h, false);
    if (yi) TFLC_EXPECT(yi[0] == 1 && yi[1] == -2 && yi[2] == 65504 && yi[3] == 0 && yi[4] == INT32_MAX);
    done(&r);
    float xf[] = {1.0f / 3, 65520, -1e-8f, 2049};
    u = unary(OP(CAST), 5, DT(FLOAT32), NOQ, DT(FLOAT16), NOQ, 4);
    const uint16_t *yh = run_x(&r, &u, xf, false);
    if (yh) {
        TFLC_EXPECT_EQ_INT(yh[0], 0x3555);
        TFLC_EXPECT_EQ_INT(yh[1], 0x7C00); /* rounds to infinity */
        TFLC_EXPECT_EQ_INT(yh[2], 0x8000); /* underflows to -0 */
        TFLC_EXPECT_EQ_INT(yh[3], 0x6800); /* 2049 -> 2048 (ties to even) */
    }
    done(&r);
    int32_t xi2[] = {2049, -3};
    u = unary(OP(CAST), 5, DT(INT32), NOQ, DT(FLOAT16), NOQ, 2);
    yh = run_x(&r, &u, xi2, false);
    if (yh) TFLC_EXPECT(yh[0] == 0x6800 && yh[1] == 0xC200);
    done(&r);
    double xd[] = {0.1, -1e300};
    u = unary(OP(CAST), 5, DT(FLOAT64), NOQ, DT(FLOAT32), NOQ, 2);
    yf = run_x(&r, &u, xd, false);
    if (yf) TFLC_EXPECT(yf[0] == 0.1f && isinf(yf[1]) && yf[1] < 0);
    done(&r);
    expect_refused(&(struct ut){.code = OP(CAST), .tx = DT(COMPLEX64), .ty = DT(FLOAT32), .rank = 1, .dims = {4}},
                   TFLC_STATUS_UNSUPPORTED, "CAST");
}

TFLC_TEST(zero_sized_and_shapes) {
    /* A zero-sized tensor runs and produces nothing (no crash, no access). */
    struct ut u = {.code = OP(LOGISTIC), .tx = DT(FLOAT32), .ty = DT(FLOAT32), .rank = 2, .dims = {0, 3}};
    struct run r;
    build(&r, &u);
    TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_OK);
    if (r.st == TFLC_STATUS_OK) {
        TFLC_EXPECT_EQ_INT(tflc_interp_invoke(r.it, &r.diag), TFLC_STATUS_OK);
        TFLC_EXPECT_EQ_INT(tflc_interp_output(r.it, 0)->bytes, 0);
    }
    done(&r);
    u = (struct ut){.code = OP(DEQUANTIZE), .version = 5, .tx = DT(INT8), .ty = DT(FLOAT32), .rank = 2, .dims = {0, 3},
                    .qx = {3, {0.1f, 0.2f, 0.3f}, 0, 1}};
    build(&r, &u);
    TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_OK);
    if (r.st == TFLC_STATUS_OK) TFLC_EXPECT_EQ_INT(tflc_interp_invoke(r.it, &r.diag), TFLC_STATUS_OK);
    done(&r);
    /* The output takes the input's shape (whatever the model declared). */
    float x[6] = {-1, 0, 1, 2, 3, 4};
    u = (struct ut){.code = OP(RELU6), .tx = DT(FLOAT32), .ty = DT(FLOAT32), .rank = 3, .dims = {1, 2, 3}};
    const float *y = run_x(&r, &u, x, false);
    if (y) {
        const struct tflc_tensor *t = tflc_interp_output(r.it, 0);
        TFLC_EXPECT_EQ_INT(t->rank, 3);
        TFLC_EXPECT_EQ_INT(t->dims[2], 3);
        TFLC_EXPECT_EQ_INT(y[5], 4);
    }
    done(&r);
    /* TANH with two inputs */
    u = (struct ut){.code = OP(TANH), .tx = DT(FLOAT32), .ty = DT(FLOAT32), .rank = 1, .dims = {4}, .nin = 2};
    expect_refused(&u, TFLC_STATUS_INVALID_MODEL, "TANH v1): has 2 inputs, expected 1..1");
}

TFLC_TEST_MAIN()
