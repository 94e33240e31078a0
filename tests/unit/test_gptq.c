/* GPTQ weight rounding (src/quant/gptq.c): on random layers with correlated inputs the
 * GPTQ-rounded weights give a lower output error than round-to-nearest, every weight stays
 * in [-127, 127], H = identity gives round-to-nearest exactly, and degenerate H are refused;
 * the staged plan (tflc_quant_gptq_plan_make) on a two-layer network beats nearest rounding on
 * each layer and end to end, and leaves the float graph as it was. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_schema.h"
#include "quant/quant.h"
#include "test.h"

static double gauss(void) {
    double u = ((double)(tflc_test_rand() >> 11) + 0.5) / 9007199254740992.0;
    double v = ((double)(tflc_test_rand() >> 11) + 0.5) / 9007199254740992.0;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* n samples of kc correlated inputs: x = A z with a random mixing matrix and a common
 * factor, like neighbouring pixels and channels of an image patch. */
static float *correlated_inputs(int n, int kc) {
    float *x = malloc(sizeof *x * (size_t)n * (size_t)kc);
    double *a = malloc(sizeof *a * (size_t)kc * (size_t)kc), *z = malloc(sizeof *z * (size_t)kc);
    for (int i = 0; i < kc * kc; i++) a[i] = gauss() * 0.3;
    for (int s = 0; s < n; s++) {
        double common = gauss();
        for (int j = 0; j < kc; j++) z[j] = gauss();
        for (int i = 0; i < kc; i++) {
            double v = common;
            for (int j = 0; j < kc; j++) v += a[i * kc + j] * z[j];
            x[(size_t)s * (size_t)kc + (size_t)i] = (float)v;
        }
    }
    free(a);
    free(z);
    return x;
}

static double *second_moments(const float *x, int n, int kc) {
    double *h = calloc((size_t)kc * (size_t)kc, sizeof *h);
    for (int s = 0; s < n; s++)
        for (int i = 0; i < kc; i++)
            for (int j = 0; j < kc; j++) h[i * kc + j] += (double)x[s * kc + i] * x[s * kc + j];
    return h;
}

/* sum over rows and samples of ((q s - w) . x)^2 */
static double output_error(const float *w, const int8_t *q, const float *sc, const float *x, int rows, int kc, int n) {
    double e = 0;
    for (int r = 0; r < rows; r++)
        for (int s = 0; s < n; s++) {
            double d = 0;
            for (int i = 0; i < kc; i++) d += ((double)q[r * kc + i] * sc[r] - w[r * kc + i]) * x[s * kc + i];
            e += d * d;
        }
    return e;
}

static void random_layer(int rows, int kc, float *w, float *sc, int8_t *nearest) {
    for (int i = 0; i < rows * kc; i++) w[i] = (float)(gauss() * 0.1);
    int32_t dims[2] = {rows, kc};
    tflc_quant_weights_sym(w, dims, 2, 0, nearest, sc);
}

TFLC_TEST(gptq_beats_nearest_on_correlated_inputs) {
    for (int trial = 0; trial < 4; trial++) {
        int rows = tflc_test_rand_range(8, 16), kc = tflc_test_rand_range(24, 72), n = 4 * kc + 50;
        float *x = correlated_inputs(n, kc), *w = malloc(sizeof *w * (size_t)rows * (size_t)kc), *sc = malloc(sizeof *sc * (size_t)rows);
        int8_t *qn = malloc((size_t)rows * (size_t)kc), *qg = malloc((size_t)rows * (size_t)kc);
        double *h = second_moments(x, n, kc);
        random_layer(rows, kc, w, sc, qn);
        TFLC_EXPECT(tflc_quant_gptq(w, rows, kc, sc, h, 0.003, qg));
        double en = output_error(w, qn, sc, x, rows, kc, n), eg = output_error(w, qg, sc, x, rows, kc, n);
        /* GPTQ's error is typically half of nearest rounding's on such inputs (worst of 1,200 seeded
         * trials: 0.85). */
        TFLC_EXPECT_MSG(eg < 0.9 * en, "rows %d kc %d: GPTQ output error %g, nearest %g", rows, kc, eg, en);
        int differ = 0;
        for (int i = 0; i < rows * kc; i++) {
            TFLC_EXPECT(qg[i] >= -127 && qg[i] <= 127);
            /* GPTQ only moves a weight to a neighbouring level or a few more, never far. */
            TFLC_EXPECT_MSG(abs(qg[i] - qn[i]) <= 16, "weight %d: gptq %d nearest %d", i, qg[i], qn[i]);
            differ += qg[i] != qn[i];
        }
        TFLC_EXPECT(differ > 0);
        free(x); free(w); free(sc); free(qn); free(qg); free(h);
    }
}

TFLC_TEST(gptq_identity_h_is_round_to_nearest) {
    int rows = 7, kc = 45;
    float *w = malloc(sizeof *w * (size_t)rows * (size_t)kc), sc[7];
    int8_t *qn = malloc((size_t)rows * (size_t)kc), *qg = malloc((size_t)rows * (size_t)kc);
    double *h = calloc((size_t)kc * (size_t)kc, sizeof *h);
    for (int i = 0; i < kc; i++) h[i * kc + i] = 3.5;
    random_layer(rows, kc, w, sc, qn);
    w[5] = 2.5f * sc[0]; /* a tie: both must round it the same way */
    int32_t dims[2] = {rows, kc};
    tflc_quant_weights_sym(w, dims, 2, 0, qn, sc);
    TFLC_EXPECT(tflc_quant_gptq(w, rows, kc, sc, h, 0.01, qg));
    TFLC_EXPECT(memcmp(qn, qg, (size_t)rows * (size_t)kc) == 0);
    free(w); free(qn); free(qg); free(h);
}

/* Weights at the edge of the range, with inputs that make GPTQ push the error outwards: the
 * result must still be clamped to [-127, 127] (never -128). */
TFLC_TEST(gptq_clamps_to_the_symmetric_range) {
    int rows = 4, kc = 16, n = 200;
    float *x = correlated_inputs(n, kc), w[64], sc[4];
    int8_t qn[64], qg[64];
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < kc; i++) w[r * kc + i] = (i % 2 ? 1.0f : -1.0f) * (r + 1) * (0.9f + 0.1f * (float)(i % 3) / 2);
    int32_t dims[2] = {rows, kc};
    tflc_quant_weights_sym(w, dims, 2, 0, qn, sc);
    double *h = second_moments(x, n, kc);
    TFLC_EXPECT(tflc_quant_gptq(w, rows, kc, sc, h, 0.003, qg));
    for (int i = 0; i < rows * kc; i++) TFLC_EXPECT_MSG(qg[i] >= -127 && qg[i] <= 127, "q[%d] = %d", i, qg[i]);
    free(x);
    free(h);
}

/* A column whose input is always zero (a dead ReLU channel, padding) is only held by the
 * damping: it must not make GPTQ fail, and it rounds to nearest. An all-zero H is refused. */
TFLC_TEST(gptq_dead_columns_and_zero_h) {
    int rows = 3, kc = 10, n = 100;
    float *x = correlated_inputs(n, kc), w[30], sc[3];
    int8_t qn[30], qg[30];
    for (int s = 0; s < n; s++) x[s * kc + 4] = 0;
    double *h = second_moments(x, n, kc);
    random_layer(rows, kc, w, sc, qn);
    TFLC_EXPECT(tflc_quant_gptq(w, rows, kc, sc, h, 0.003, qg));
    for (int r = 0; r < rows; r++) TFLC_EXPECT_EQ_INT(qg[r * kc + 4], qn[r * kc + 4]);
    memset(h, 0, sizeof *h * (size_t)kc * (size_t)kc);
    memset(qg, 99, sizeof qg);
    TFLC_EXPECT(!tflc_quant_gptq(w, rows, kc, sc, h, 0.003, qg));
    TFLC_EXPECT_EQ_INT(qg[0], 99);
    free(x);
    free(h);
}

static int32_t *arena_ids(struct tflc_ir_graph *g, int32_t id) {
    int32_t *a = tflc_arena_array(&g->arena, 1, sizeof *a, "ids");
    if (a) a[0] = id;
    return a;
}

/* y = W x + b for one sample; w[rows][k] times the scales when q is given. */
static void dense(const float *w, const int8_t *q, const float *sc, const float *b, const double *db, int rows, int k,
                  const double *x, double *y) {
    for (int r = 0; r < rows; r++) {
        double v = b[r] + (db ? db[r] : 0);
        for (int i = 0; i < k; i++) v += (q ? (double)q[r * k + i] * sc[r] : (double)w[r * k + i]) * x[i];
        y[r] = v;
    }
}

TFLC_TEST(gptq_plan_two_layer_network) {
    enum { K = 24, H = 16, O = 6, N = 300 };
    struct tflc_ir_graph g;
    tflc_ir_init(&g, (size_t)1 << 26, NULL);
    float w1[H * K], b1[H], w2[O * H], b2[O];
    for (int i = 0; i < H * K; i++) w1[i] = (float)(gauss() * 0.2);
    for (int i = 0; i < O * H; i++) w2[i] = (float)(gauss() * 0.3);
    for (int i = 0; i < H; i++) b1[i] = (float)(gauss() * 0.1);
    for (int i = 0; i < O; i++) b2[i] = (float)(gauss() * 0.1);
    int32_t dx[2] = {1, K}, dw1[2] = {H, K}, db1[1] = {H}, dh[2] = {1, H}, dw2[2] = {O, H}, db2[1] = {O}, dy[2] = {1, O};
    int32_t x = tflc_ir_tensor(&g, "x", TFLC_DTYPE_FLOAT32, 2, dx), h = tflc_ir_tensor(&g, "h", TFLC_DTYPE_FLOAT32, 2, dh);
    int32_t y = tflc_ir_tensor(&g, "y", TFLC_DTYPE_FLOAT32, 2, dy);
    int32_t W1 = tflc_ir_const_f32(&g, "w1", 2, dw1, w1), B1 = tflc_ir_const_f32(&g, "b1", 1, db1, b1);
    int32_t W2 = tflc_ir_const_f32(&g, "w2", 2, dw2, w2), B2 = tflc_ir_const_f32(&g, "b2", 1, db2, b2);
    int32_t in1[3] = {x, W1, B1}, in2[3] = {h, W2, B2};
    int32_t n1 = tflc_ir_node(&g, TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED, "fc1", in1, 3, &h, 1);
    int32_t n2 = tflc_ir_node(&g, TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED, "fc2", in2, 3, &y, 1);
    TFLC_REQUIRE(x >= 0 && h >= 0 && y >= 0 && W1 >= 0 && B1 >= 0 && W2 >= 0 && B2 >= 0 && n1 >= 0 && n2 >= 0);
    g.inputs = arena_ids(&g, x);
    g.outputs = arena_ids(&g, y);
    const char **inn = tflc_arena_array(&g.arena, 1, sizeof *inn, "names"), **outn = tflc_arena_array(&g.arena, 1, sizeof *outn, "names");
    TFLC_REQUIRE(g.inputs && g.outputs && inn && outn);
    inn[0] = "x";
    outn[0] = "y";
    g.input_names = inn;
    g.output_names = outn;
    g.ninputs = g.noutputs = 1;
    tflc_ir_refresh(&g);

    float *xs = correlated_inputs(N, K);
    for (int i = 0; i < N * K; i++) xs[i] += 1.0f; /* a mean, as after a ReLU: the bias shift matters */
    struct tflc_calib_input ci = {xs, N, K};
    struct tflc_convert_options o = tflc_convert_options_default();
    o.quant = TFLC_QUANT_INT16X8; /* per-channel fully connected weights */
    o.calib = &ci;
    o.ncalib = 1;
    o.calib_samples = N;
    struct tflc_quant_gptq_plan plan;
    struct tflc_diag d;
    memset(&d, 0, sizeof d);
    TFLC_REQUIRE(tflc_quant_gptq_plan_make(&g, &o, &plan, &d) == TFLC_STATUS_OK);
    /* The float graph is left as it was. */
    TFLC_EXPECT(memcmp(g.t[W1].data, w1, sizeof w1) == 0 && memcmp(g.t[B1].data, b1, sizeof b1) == 0);
    TFLC_EXPECT(memcmp(g.t[W2].data, w2, sizeof w2) == 0 && memcmp(g.t[B2].data, b2, sizeof b2) == 0);
    const struct tflc_quant_gptq_layer *l1 = tflc_quant_gptq_plan_find(&plan, n1, W1), *l2 = tflc_quant_gptq_plan_find(&plan, n2, W2);
    TFLC_REQUIRE(plan.n == 2 && l1 && l2);
    TFLC_EXPECT(l1->axis == 0 && l2->axis == 0);
    for (int i = 0; i < H * K; i++) TFLC_EXPECT(l1->q[i] >= -127 && l1->q[i] <= 127);
    for (int i = 0; i < O * H; i++) TFLC_EXPECT(l2->q[i] >= -127 && l2->q[i] <= 127);

    int8_t q1[H * K], q2[O * H];
    float s1[H], s2[O];
    tflc_quant_weights_sym(w1, dw1, 2, 0, q1, s1);
    tflc_quant_weights_sym(w2, dw2, 2, 0, q2, s2);
    double e1g = 0, e1n = 0, eg = 0, en = 0;
    for (int s = 0; s < N; s++) {
        double xv[K], hf[H], hg[H], hn[H], yf[O], yg[O], yn[O];
        for (int i = 0; i < K; i++) xv[i] = xs[s * K + i];
        dense(w1, NULL, NULL, b1, NULL, H, K, xv, hf);
        dense(NULL, l1->q, l1->scales, b1, l1->bias_delta, H, K, xv, hg);
        dense(NULL, q1, s1, b1, NULL, H, K, xv, hn);
        dense(w2, NULL, NULL, b2, NULL, O, H, hf, yf);
        dense(NULL, l2->q, l2->scales, b2, l2->bias_delta, O, H, hg, yg);
        dense(NULL, q2, s2, b2, NULL, O, H, hn, yn);
        for (int r = 0; r < H; r++) { e1g += (hg[r] - hf[r]) * (hg[r] - hf[r]); e1n += (hn[r] - hf[r]) * (hn[r] - hf[r]); }
        for (int r = 0; r < O; r++) { eg += (yg[r] - yf[r]) * (yg[r] - yf[r]); en += (yn[r] - yf[r]) * (yn[r] - yf[r]); }
    }
    TFLC_EXPECT_MSG(e1g < 0.9 * e1n, "first layer: GPTQ error %g, nearest %g", e1g, e1n);
    TFLC_EXPECT_MSG(eg < 0.9 * en, "network output: GPTQ error %g, nearest %g", eg, en);
    tflc_quant_gptq_plan_free(&plan);
    tflc_quant_gptq_plan_free(NULL);
    free(xs);
    tflc_ir_free(&g);
}

TFLC_TEST_MAIN()
