/* Hand-checked cases for UNIDIRECTIONAL_SEQUENCE_LSTM and SVDF, beyond the cases compared
 * with Google's TFLite (tests/kernels/cases_seq.c):
 *  - float LSTM against an independent double-precision LSTM written here from the
 *    equations (plain, CIFG + peephole + projection + clips, layer norm, time-major);
 *  - state across invokes: carried without reset, back to zero after tflc_interp_reset;
 *  - an int8 LSTM whose gates are picked by hand (zero weights, bias = exactly 1.0 in Q3.12),
 *    checked against the real-number recurrence to within 1 LSB;
 *  - the gemmlowp 16-bit logistic/tanh and the 1/sqrt multiplier against libm;
 *  - SVDF float and int8 over several invokes with values worked out by hand;
 *  - bad models refused at load with a message naming what is wrong. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_build.h"
#include "format/tflite_schema.h"
#include "kernels/ref/lstm_util.h"
#include "test.h"
#include "tflc/runtime.h"

enum { LSTM = TFLC_TFL_BUILTIN_OPERATOR_UNIDIRECTIONAL_SEQUENCE_LSTM, SVDF = TFLC_TFL_BUILTIN_OPERATOR_SVDF };
enum { TANH = TFLC_TFL_ACTIVATION_FUNCTION_TYPE_TANH, RELU = TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU };

struct model {
    struct tflc_tflb *b;
    void *arena;
    struct tflc_interp *it;
    struct tflc_diag diag;
    enum tflc_status st; /* of init */
};

/* Lays out the model and initializes an interpreter (r->st, r->diag on failure). */
static void model_init(struct model *m) {
    const uint8_t *data;
    size_t n, need;
    if ((m->st = tflc_tflb_finish(m->b, NULL, &data, &n, &m->diag))) return;
    if ((m->st = tflc_interp_arena_size_hosted(data, n, NULL, &need, &m->diag))) return;
    need = (need + 63) & ~(size_t)63;
    if (posix_memalign(&m->arena, 64, need)) {
        m->st = TFLC_STATUS_OUT_OF_MEMORY;
        return;
    }
    m->st = tflc_interp_init(&m->it, data, n, m->arena, need, NULL, &m->diag);
}

static void model_done(struct model *m) {
    tflc_interp_free(m->it);
    free(m->arena);
    tflc_tflb_destroy(m->b);
}

static bool invoke(struct model *m, const void *x) {
    struct tflc_tensor *t = tflc_interp_input(m->it, 0);
    memcpy(t->data, x, t->bytes);
    if (tflc_interp_invoke(m->it, &m->diag) != TFLC_STATUS_OK) {
        TFLC_FAIL_("invoke: %s", m->diag.msg);
        return false;
    }
    return true;
}

static int cst(struct tflc_tflb *b, const char *name, enum tflc_dtype t, int rank, const int32_t *dims,
               const void *data, size_t n, const struct tflc_tflb_quant *q) {
    return tflc_tflb_tensor(b, name, t, rank, dims, tflc_tflb_buffer(b, data, n), q);
}

/* ----------------------------------------------------------- float LSTM ---- */

enum { MAXC = 8, MAXI = 8 };

struct flstm { /* a float LSTM cell with its weights */
    int ni, nc, no;
    bool cifg, peephole, proj, proj_bias, ln;
    float cell_clip, proj_clip;
    float w[4][MAXC * MAXI], r[4][MAXC * MAXC], b[4][MAXC], p[4][MAXC], lnc[4][MAXC], pw[MAXC * MAXC], pb[MAXC];
};

static void flstm_random(struct flstm *L) {
    for (int g = 0; g < 4; g++) {
        for (int k = 0; k < MAXC * MAXI; k++) L->w[g][k] = tflc_test_rand_f32(-0.7f, 0.7f);
        for (int k = 0; k < MAXC * MAXC; k++) L->r[g][k] = tflc_test_rand_f32(-0.6f, 0.6f);
        for (int k = 0; k < MAXC; k++) {
            L->b[g][k] = tflc_test_rand_f32(-0.3f, 0.3f);
            L->p[g][k] = tflc_test_rand_f32(-0.5f, 0.5f);
            L->lnc[g][k] = tflc_test_rand_f32(0.5f, 1.5f);
        }
    }
    for (int k = 0; k < MAXC * MAXC; k++) L->pw[k] = tflc_test_rand_f32(-0.6f, 0.6f);
    for (int k = 0; k < MAXC; k++) L->pb[k] = tflc_test_rand_f32(-0.2f, 0.2f);
}

static double sigm(double v) { return 1.0 / (1.0 + exp(-v)); }
static double clipd(double v, double c) { return c > 0 ? (v > c ? c : v < -c ? -c : v) : v; }

/* The LSTM equations in double for one batch row: x [T][ni] -> y [T][no]; h, c in/out. */
static void ref_lstm(const struct flstm *L, int T, const float *x, float *y, double *h, double *c) {
    const int ni = L->ni, nc = L->nc, no = L->no;
    for (int t = 0; t < T; t++) {
        double pre[4][MAXC], gate[4][MAXC], hid[MAXC];
        for (int g = 0; g < 4; g++) {
            if (g == 0 && L->cifg) continue;
            for (int i = 0; i < nc; i++) {
                double a = L->ln ? 0.0 : L->b[g][i];
                for (int k = 0; k < ni; k++) a += (double)L->w[g][i * ni + k] * x[t * ni + k];
                for (int k = 0; k < no; k++) a += (double)L->r[g][i * no + k] * h[k];
                if (L->peephole && (g == 0 || g == 1)) a += (double)L->p[g][i] * c[i];
                pre[g][i] = a;
            }
            if (g == 3) continue; /* the output gate sees the new cell state: below */
        }
        for (int g = 0; g < 3; g++) {
            if (g == 0 && L->cifg) continue;
            if (L->ln) {
                double mean = 0, var = 0;
                for (int i = 0; i < nc; i++) mean += pre[g][i] / nc;
                for (int i = 0; i < nc; i++) var += (pre[g][i] - mean) * (pre[g][i] - mean) / nc;
                for (int i = 0; i < nc; i++)
                    pre[g][i] = (pre[g][i] - mean) / sqrt(var + 1e-8) * L->lnc[g][i] + L->b[g][i];
            }
            for (int i = 0; i < nc; i++) gate[g][i] = g == 2 ? tanh(pre[g][i]) : sigm(pre[g][i]);
        }
        for (int i = 0; i < nc; i++) {
            double ig = L->cifg ? 1.0 - gate[1][i] : gate[0][i];
            c[i] = clipd(gate[1][i] * c[i] + ig * gate[2][i], L->cell_clip);
        }
        if (L->peephole)
            for (int i = 0; i < nc; i++) pre[3][i] += (double)L->p[3][i] * c[i];
        if (L->ln) {
            double mean = 0, var = 0;
            for (int i = 0; i < nc; i++) mean += pre[3][i] / nc;
            for (int i = 0; i < nc; i++) var += (pre[3][i] - mean) * (pre[3][i] - mean) / nc;
            for (int i = 0; i < nc; i++) pre[3][i] = (pre[3][i] - mean) / sqrt(var + 1e-8) * L->lnc[3][i] + L->b[3][i];
        }
        for (int i = 0; i < nc; i++) hid[i] = sigm(pre[3][i]) * tanh(c[i]);
        for (int k = 0; k < no; k++) {
            if (L->proj) {
                double a = L->proj_bias ? L->pb[k] : 0.0;
                for (int i = 0; i < nc; i++) a += (double)L->pw[k * nc + i] * hid[i];
                h[k] = clipd(a, L->proj_clip);
            } else {
                h[k] = hid[k];
            }
            y[t * no + k] = (float)h[k];
        }
    }
}

static uint32_t lstm_options(struct tflc_tflb *b, int act, float cell_clip, float proj_clip, bool time_major) {
    struct tflc_fbb *f = tflc_tflb_fbb(b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, 0);
    tflc_fbb_add_f32(f, TFLC_TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_CELL_CLIP, cell_clip, 0.0f);
    tflc_fbb_add_f32(f, TFLC_TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_PROJ_CLIP, proj_clip, 0.0f);
    tflc_fbb_add_bool(f, TFLC_TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_TIME_MAJOR, time_major, false);
    return tflc_fbb_table_end(f);
}

/* Breakages for the bad-model tests. */
struct breakage {
    int nin;             /* input count (0 = 24) */
    bool state_constant; /* output state is a plain (non-variable) tensor */
    bool bad_recurrent;  /* recurrent-to-forget weights with the wrong shape */
    int version;         /* 0 = 1 */
};

/* A float LSTM model over x [batch, T, ni] ([T, batch, ni] time-major). */
static void build_flstm(struct model *m, const struct flstm *L, int batch, int T, bool time_major,
                        const struct breakage *brk) {
    memset(m, 0, sizeof *m);
    struct tflc_tflb *b = m->b = tflc_tflb_create();
    const enum tflc_dtype F = TFLC_DTYPE_FLOAT32;
    const int ni = L->ni, nc = L->nc, no = L->no;
    int32_t xd[3] = {time_major ? T : batch, time_major ? batch : T, ni}, yd[3] = {xd[0], xd[1], no};
    int in[24];
    for (int i = 0; i < 24; i++) in[i] = -1;
    in[0] = tflc_tflb_tensor(b, "x", F, 3, xd, 0, NULL);
    for (int g = 0; g < 4; g++) {
        if (g == 0 && L->cifg) continue;
        int32_t rd[2] = {nc, brk && brk->bad_recurrent && g == 1 ? no + 1 : no};
        in[1 + g] = cst(b, "w", F, 2, (int32_t[]){nc, ni}, L->w[g], sizeof(float) * (size_t)(nc * ni), NULL);
        in[5 + g] = cst(b, "r", F, 2, rd, L->r[g], sizeof(float) * (size_t)(rd[0] * rd[1]), NULL);
        in[12 + g] = cst(b, "b", F, 1, (int32_t[]){nc}, L->b[g], sizeof(float) * (size_t)nc, NULL);
        if (L->peephole && g != 2)
            in[g == 3 ? 11 : 9 + g] = cst(b, "p", F, 1, (int32_t[]){nc}, L->p[g], sizeof(float) * (size_t)nc, NULL);
        if (L->ln) in[20 + g] = cst(b, "ln", F, 1, (int32_t[]){nc}, L->lnc[g], sizeof(float) * (size_t)nc, NULL);
    }
    if (L->proj) {
        in[16] = cst(b, "pw", F, 2, (int32_t[]){no, nc}, L->pw, sizeof(float) * (size_t)(no * nc), NULL);
        if (L->proj_bias) in[17] = cst(b, "pb", F, 1, (int32_t[]){no}, L->pb, sizeof(float) * (size_t)no, NULL);
    }
    in[18] = tflc_tflb_tensor(b, "h", F, 2, (int32_t[]){batch, no}, 0, NULL);
    in[19] = tflc_tflb_tensor(b, "c", F, 2, (int32_t[]){batch, nc}, 0, NULL);
    if (!brk || !brk->state_constant) tflc_tflb_tensor_variable(b, in[18]);
    tflc_tflb_tensor_variable(b, in[19]);
    int y = tflc_tflb_tensor(b, "y", F, 3, yd, 0, NULL);
    uint32_t opt = lstm_options(b, TANH, L->cell_clip, L->proj_clip, time_major);
    int nin = brk && brk->nin ? brk->nin : 24;
    tflc_tflb_op(b, LSTM, brk && brk->version ? brk->version : 1, NULL, in, nin, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS, opt);
    tflc_tflb_graph_io(b, (int32_t[]){in[0]}, 1, (int32_t[]){y}, 1);
    model_init(m);
}

/* Runs a random float LSTM over a random sequence and compares with ref_lstm. */
static void check_flstm(struct flstm *L, int batch, int T, bool time_major) {
    enum { MAXT = 6, MAXB = 3 };
    flstm_random(L);
    float x[MAXB * MAXT * MAXI], xb[MAXB][MAXT * MAXI], want[MAXB][MAXT * MAXC];
    for (int i = 0; i < batch * T * L->ni; i++) x[i] = tflc_test_rand_f32(-1.0f, 1.0f);
    for (int bb = 0; bb < batch; bb++) {
        for (int t = 0; t < T; t++)
            for (int k = 0; k < L->ni; k++)
                xb[bb][t * L->ni + k] = x[(time_major ? t * batch + bb : bb * T + t) * L->ni + k];
        double h[MAXC] = {0}, c[MAXC] = {0};
        ref_lstm(L, T, xb[bb], want[bb], h, c);
    }
    struct model m;
    build_flstm(&m, L, batch, T, time_major, NULL);
    TFLC_EXPECT_MSG(m.st == TFLC_STATUS_OK, "init: %s", m.diag.msg);
    if (m.st == TFLC_STATUS_OK && invoke(&m, x)) {
        const float *y = tflc_interp_output(m.it, 0)->data;
        for (int bb = 0; bb < batch; bb++)
            for (int t = 0; t < T; t++)
                for (int k = 0; k < L->no; k++)
                    TFLC_EXPECT_NEAR(y[(time_major ? t * batch + bb : bb * T + t) * L->no + k], want[bb][t * L->no + k],
                                     2e-6);
    }
    model_done(&m);
}

TFLC_TEST(lstm_f32_matches_equations) {
    struct flstm L = {.ni = 3, .nc = 4, .no = 4};
    check_flstm(&L, 2, 4, false);
}

TFLC_TEST(lstm_f32_time_major_matches_equations) {
    struct flstm L = {.ni = 2, .nc = 3, .no = 3};
    check_flstm(&L, 3, 5, true);
}

TFLC_TEST(lstm_f32_cifg_peephole_projection_clips) {
    struct flstm L = {.ni = 4,
                      .nc = 5,
                      .no = 3,
                      .cifg = true,
                      .peephole = true,
                      .proj = true,
                      .proj_bias = true,
                      .cell_clip = 0.4f,
                      .proj_clip = 0.25f};
    check_flstm(&L, 2, 6, false);
}

TFLC_TEST(lstm_f32_peephole_layer_norm) {
    struct flstm L = {.ni = 3, .nc = 6, .no = 6, .peephole = true, .ln = true};
    check_flstm(&L, 1, 5, false);
}

TFLC_TEST(lstm_f32_state_carries_over_and_resets) {
    struct flstm L = {.ni = 2, .nc = 3, .no = 3};
    flstm_random(&L);
    const float x1[2] = {0.5f, -1.0f}, x2[2] = {-0.25f, 0.75f}, seq[4] = {0.5f, -1.0f, -0.25f, 0.75f};
    float two[6], one[3];
    double h[MAXC] = {0}, c[MAXC] = {0};
    ref_lstm(&L, 2, seq, two, h, c);
    double h0[MAXC] = {0}, c0[MAXC] = {0};
    ref_lstm(&L, 1, x2, one, h0, c0);
    struct model m;
    build_flstm(&m, &L, 1, 1, false, NULL);
    TFLC_REQUIRE(m.st == TFLC_STATUS_OK);
    const float *y = tflc_interp_output(m.it, 0)->data;
    if (invoke(&m, x1) && invoke(&m, x2)) /* the second step sees the first one's state */
        for (int k = 0; k < 3; k++) TFLC_EXPECT_NEAR(y[k], two[3 + k], 2e-6);
    tflc_interp_reset(m.it);
    if (invoke(&m, x2))
        for (int k = 0; k < 3; k++) TFLC_EXPECT_NEAR(y[k], one[k], 2e-6);
    model_done(&m);
}

/* ------------------------------------------------------------ int8 LSTM ---- */

/* int8 LSTM, 1 input, 1 cell, zero weights: every gate is its bias. x and the weights use
 * scale 1/64, so bias (scale 1/4096) maps 1:1 onto the Q3.12 gate accumulator. */
struct s8spec {
    int32_t bias[4];
    float cell_scale;   /* 2^-11 unless testing a bad one */
    int nintermediates; /* 5 unless testing a bad one */
    enum tflc_dtype cell_dtype;
};

static void build_s8lstm(struct model *m, const struct s8spec *s, int T) {
    memset(m, 0, sizeof *m);
    struct tflc_tflb *b = m->b = tflc_tflb_create();
    float sc[6] = {1.0f / 64, 1.0f / 64, 1.0f / 4096, 1.0f / 128, s->cell_scale, 1.0f / 128};
    int64_t zp[6] = {0};
    struct tflc_tflb_quant q[6];
    for (int i = 0; i < 6; i++) q[i] = (struct tflc_tflb_quant){1, &sc[i], &zp[i], 0};
    int in[24];
    for (int i = 0; i < 24; i++) in[i] = -1;
    in[0] = tflc_tflb_tensor(b, "x", TFLC_DTYPE_INT8, 3, (int32_t[]){1, T, 1}, 0, &q[0]);
    const int8_t zero = 0;
    for (int g = 0; g < 4; g++) {
        in[1 + g] = cst(b, "w", TFLC_DTYPE_INT8, 2, (int32_t[]){1, 1}, &zero, 1, &q[1]);
        in[5 + g] = cst(b, "r", TFLC_DTYPE_INT8, 2, (int32_t[]){1, 1}, &zero, 1, &q[1]);
        in[12 + g] = cst(b, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){1}, &s->bias[g], 4, &q[2]);
    }
    in[18] = tflc_tflb_tensor(b, "h", TFLC_DTYPE_INT8, 2, (int32_t[]){1, 1}, 0, &q[3]);
    in[19] = tflc_tflb_tensor(b, "c", s->cell_dtype ? s->cell_dtype : TFLC_DTYPE_INT16, 2, (int32_t[]){1, 1}, 0, &q[4]);
    tflc_tflb_tensor_variable(b, in[18]);
    tflc_tflb_tensor_variable(b, in[19]);
    int y = tflc_tflb_tensor(b, "y", TFLC_DTYPE_INT8, 3, (int32_t[]){1, T, 1}, 0, &q[3]);
    uint32_t opt = lstm_options(b, TANH, 0.0f, 0.0f, false);
    tflc_tflb_op(b, LSTM, 1, NULL, in, 24, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS, opt);
    int inter[5];
    for (int i = 0; i < 4; i++)
        inter[i] = tflc_tflb_tensor(b, "gate_inter", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){0}, 0, NULL);
    inter[4] = tflc_tflb_tensor(b, "hidden", TFLC_DTYPE_INT8, 1, (int32_t[]){0}, 0, &q[5]);
    tflc_tflb_op_intermediates(b, inter, s->nintermediates);
    tflc_tflb_graph_io(b, (int32_t[]){in[0]}, 1, (int32_t[]){y}, 1);
    model_init(m);
}

TFLC_TEST(lstm_s8_gates_from_biases_by_hand) {
    /* gates: i = f = o = sigmoid(0) = 1/2, g = tanh(1) (cell bias 4096 = 1.0 in Q3.12). Then
     * c1 = g/2, h1 = tanh(c1)/2, c2 = c1/2 + g/2, h2 = tanh(c2)/2, h3 likewise; h in steps
     * of 1/128: h1 = 0.18173 -> 23, h2 = 0.25816 -> 33, h3 = 0.29169 -> 37. */
    struct s8spec s = {.bias = {0, 0, 4096, 0}, .cell_scale = 1.0f / 2048, .nintermediates = 5};
    struct model m;
    build_s8lstm(&m, &s, 3);
    TFLC_REQUIRE(m.st == TFLC_STATUS_OK);
    double g = tanh(1.0), c = 0, want[3];
    for (int t = 0; t < 3; t++) {
        c = 0.5 * c + 0.5 * g;
        want[t] = 0.5 * tanh(c) * 128.0;
    }
    TFLC_EXPECT_EQ_INT(lround(want[0]), 23);
    TFLC_EXPECT_EQ_INT(lround(want[1]), 33);
    const int8_t x[3] = {5, -7, 100}; /* zero weights: the input does not matter */
    const int8_t *y = tflc_interp_output(m.it, 0)->data;
    if (invoke(&m, x))
        for (int t = 0; t < 3; t++) TFLC_EXPECT_NEAR(y[t], want[t], 1.0);
    tflc_interp_reset(m.it); /* back to c = 0, h = 0: the same sequence again */
    if (invoke(&m, x))
        for (int t = 0; t < 3; t++) TFLC_EXPECT_NEAR(y[t], want[t], 1.0);
    model_done(&m);
}

TFLC_TEST(lstm_s8_saturated_forget_keeps_cell) {
    /* forget bias +8 (saturates Q3.12 at 32767 ~ 7.9998: f ~ 0.99966), input bias -8 (i ~
     * 0.00034), cell bias 1.0: the cell barely moves, h stays ~ 0 for a few steps. */
    struct s8spec s = {.bias = {-32768, 32767, 4096, 0}, .cell_scale = 1.0f / 2048, .nintermediates = 5};
    struct model m;
    build_s8lstm(&m, &s, 4);
    TFLC_REQUIRE(m.st == TFLC_STATUS_OK);
    const int8_t x[4] = {0, 0, 0, 0};
    const int8_t *y = tflc_interp_output(m.it, 0)->data;
    if (invoke(&m, x))
        for (int t = 0; t < 4; t++) TFLC_EXPECT_NEAR(y[t], 0.0, 1.0);
    model_done(&m);
}

/* -------------------------------------------- gemmlowp fixed-point math ---- */

TFLC_TEST(fixedpoint_logistic_q3_12_close_to_libm) {
    int worst = 0;
    for (int v = -32768; v <= 32767; v++) {
        double want = 32768.0 / (1.0 + exp(-v / 4096.0));
        if (want > 32767) want = 32767;
        int got = lstm_logistic16((int16_t)v, 3);
        int d = abs(got - (int)lround(want));
        if (d > worst) worst = d;
    }
    /* gemmlowp's 1/(1+x) works in Q2.13 and halves it into Q0.15, so results are even and
     * carry a few LSB of Newton-Raphson error (TFLite's integer LSTM lives with that) */
    TFLC_EXPECT_MSG(worst <= 8, "logistic Q3.12 -> Q0.15 off by %d LSB", worst);
    TFLC_EXPECT_EQ_INT(lstm_logistic16(0, 3), 16384);
    TFLC_EXPECT_EQ_INT(lstm_logistic16(4096, 3) % 2, 0);
    for (int v = 1; v < 32768; v += 97) /* logistic(-x) = 1 - logistic(x), exactly by construction */
        TFLC_EXPECT_EQ_INT(lstm_logistic16((int16_t)-v, 3), 32767 - lstm_logistic16((int16_t)v, 3));
}

TFLC_TEST(fixedpoint_tanh_all_integer_bits_close_to_libm) {
    for (int ib = 0; ib <= 6; ib++) {
        int worst = 0;
        for (int v = -32768; v <= 32767; v++) {
            double want = 32768.0 * tanh(ldexp((double)v, ib - 15));
            if (want > 32767) want = 32767;
            int d = abs(lstm_tanh16((int16_t)v, ib) - (int)lround(want));
            if (d > worst) worst = d;
        }
        /* (1-x)/(1+x) comes out of Q2.13 scaled by 4: steps of 4 LSB, error up to ~3 steps */
        TFLC_EXPECT_MSG(worst <= 16, "tanh Q%d.%d -> Q0.15 off by %d LSB", ib, 15 - ib, worst);
        TFLC_EXPECT_EQ_INT(lstm_tanh16(0, ib), 0);
    }
}

TFLC_TEST(fixedpoint_inv_sqrt_multiplier) {
    /* mult * 2^(shift - 31) ~ 1 / sqrt(v) (5 Newton-Raphson steps in Q3.28) */
    const int32_t vs[] = {2, 3, 17, 1000, 65536, 1 << 20, 123456789, INT32_MAX};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        int32_t mult;
        int shift;
        lstm_inv_sqrt_multiplier(vs[i], -1, &mult, &shift);
        double got = (double)mult * ldexp(1.0, shift - 31), want = 1.0 / sqrt((double)vs[i]);
        TFLC_EXPECT_MSG(fabs(got / want - 1.0) < 1e-5, "1/sqrt(%d): %.9g vs %.9g", (int)vs[i], got, want);
    }
    int32_t mult;
    int shift;
    lstm_inv_sqrt_multiplier(1, -1, &mult, &shift);
    TFLC_EXPECT_EQ_INT(mult, INT32_MAX);
    TFLC_EXPECT_EQ_INT(shift, 0);
}

TFLC_TEST(hybrid_quantization_rows) {
    const float v[4] = {-2.0f, 0.5f, 1.0f, 0.0f};
    int8_t q[4];
    float sf = lstm_quantize_sym(v, 4, q);
    TFLC_EXPECT_NEAR(sf, 2.0 / 127, 1e-9);
    TFLC_EXPECT_EQ_INT(q[0], -127);
    TFLC_EXPECT_EQ_INT(q[1], 32); /* 0.5 * 63.5 = 31.75 */
    TFLC_EXPECT_EQ_INT(q[2], 64); /* 63.5 rounds away from zero */
    TFLC_EXPECT_EQ_INT(q[3], 0);
    int32_t zp;
    const float u[3] = {0.0f, 1.0f, 2.55f}; /* range [0, 2.55]: scale 0.01, zero point -128 */
    sf = lstm_quantize_asym(u, 3, q, &zp);
    TFLC_EXPECT_NEAR(sf, 0.01, 1e-7);
    TFLC_EXPECT_EQ_INT(zp, -128);
    TFLC_EXPECT_EQ_INT(q[0], -128);
    TFLC_EXPECT_EQ_INT(q[1], -28);
    TFLC_EXPECT_EQ_INT(q[2], 127);
    const float z[2] = {0.0f, 0.0f};
    TFLC_EXPECT_NEAR(lstm_quantize_asym(z, 2, q, &zp), 1.0, 0);
    TFLC_EXPECT_EQ_INT(zp, 0);
}

/* ------------------------------------------------------------------ SVDF ---- */

struct svdf_spec {
    enum tflc_dtype xt, wft, wtt, bt, st, yt;
    int batch, ni, nf, nm, rank, act;
    const void *wf, *wt, *bias;
    float sx, swf, swt, sb, ss, sy;
    int zx, zy;
    bool state_constant;
    int32_t state_cols; /* 0 = nf * nm */
};

static void build_svdf(struct model *m, const struct svdf_spec *s) {
    memset(m, 0, sizeof *m);
    struct tflc_tflb *b = m->b = tflc_tflb_create();
    float sc[6] = {s->sx, s->swf, s->swt, s->sb, s->ss, s->sy};
    int64_t zp[6] = {s->zx, 0, 0, 0, 0, s->zy};
    struct tflc_tflb_quant q[6];
    bool quant = s->xt == TFLC_DTYPE_INT8;
    for (int i = 0; i < 6; i++) q[i] = (struct tflc_tflb_quant){1, &sc[i], &zp[i], 0};
    int x = tflc_tflb_tensor(b, "x", s->xt, 2, (int32_t[]){s->batch, s->ni}, 0, quant ? &q[0] : NULL);
    size_t es_wf = tflc_dtype_size(s->wft), es_wt = tflc_dtype_size(s->wtt);
    int wf = cst(b, "wf", s->wft, 2, (int32_t[]){s->nf, s->ni}, s->wf, es_wf * (size_t)(s->nf * s->ni),
                 quant ? &q[1] : NULL);
    int wt = cst(b, "wt", s->wtt, 2, (int32_t[]){s->nf, s->nm}, s->wt, es_wt * (size_t)(s->nf * s->nm),
                 quant ? &q[2] : NULL);
    int bias = s->bias ? cst(b, "b", s->bt, 1, (int32_t[]){s->nf / s->rank}, s->bias, 4 * (size_t)(s->nf / s->rank),
                             quant ? &q[3] : NULL)
                       : -1;
    int st =
        tflc_tflb_tensor(b, "state", s->st, 2, (int32_t[]){s->batch, s->state_cols ? s->state_cols : s->nf * s->nm}, 0,
                         quant ? &q[4] : NULL);
    if (!s->state_constant) tflc_tflb_tensor_variable(b, st);
    int y = tflc_tflb_tensor(b, "y", s->yt, 2, (int32_t[]){s->batch, s->rank ? s->nf / s->rank : 1}, 0,
                             quant ? &q[5] : NULL);
    struct tflc_fbb *f = tflc_tflb_fbb(b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_SVDF_OPTIONS_RANK, s->rank, 0);
    tflc_fbb_add_i8(f, TFLC_TFL_SVDF_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)s->act, 0);
    uint32_t opt = tflc_fbb_table_end(f);
    tflc_tflb_op(b, SVDF, quant ? 3 : 1, NULL, (int32_t[]){x, wf, wt, bias, st}, 5, (int32_t[]){y}, 1,
                 TFLC_TFL_BUILTIN_OPTIONS_SVDF_OPTIONS, opt);
    tflc_tflb_graph_io(b, (int32_t[]){x}, 1, (int32_t[]){y}, 1);
    model_init(m);
}

static const float svdf_wf[2] = {1.0f, -2.0f}, svdf_wt[2] = {0.5f, 2.0f}, svdf_b[1] = {0.5f};

static struct svdf_spec svdf_f32_spec(void) {
    const enum tflc_dtype F = TFLC_DTYPE_FLOAT32;
    return (struct svdf_spec){F,       F,      F, F, F, F, 1, 2, 1, 2, 1,     RELU, svdf_wf,
                              svdf_wt, svdf_b, 0, 0, 0, 0, 0, 0, 0, 0, false, 0};
}

TFLC_TEST(svdf_f32_memory_by_hand) {
    /* a_t = wf . x_t; out_t = relu(0.5 a_{t-1} + 2 a_t + 0.5):
     * x1 = (1,1): a = -1, out = relu(-1.5) = 0; x2 = (3,1): a = 1, out = -0.5 + 2 + 0.5 = 2;
     * x3 = (0,0): a = 0, out = 0.5 + 0 + 0.5 = 1; after reset, x2: out = 0 + 2 + 0.5 = 2.5. */
    struct svdf_spec s = svdf_f32_spec();
    struct model m;
    build_svdf(&m, &s);
    TFLC_REQUIRE(m.st == TFLC_STATUS_OK);
    const float x1[2] = {1, 1}, x2[2] = {3, 1}, x3[2] = {0, 0};
    const float *y = tflc_interp_output(m.it, 0)->data;
    if (invoke(&m, x1)) TFLC_EXPECT_NEAR(y[0], 0.0, 0);
    if (invoke(&m, x2)) TFLC_EXPECT_NEAR(y[0], 2.0, 0);
    if (invoke(&m, x3)) TFLC_EXPECT_NEAR(y[0], 1.0, 0);
    tflc_interp_reset(m.it);
    if (invoke(&m, x2)) TFLC_EXPECT_NEAR(y[0], 2.5, 0);
    model_done(&m);
}

TFLC_TEST(svdf_s8_two_steps_by_hand) {
    /* x: scale 1/2, zp 1; wf = [2, -3] (scale 1/2); state scale 1/4: the feature multiplier is
     * exactly 1, so the new column is wf_q * (x_q - 1). wt (int16, scale 1/8) rows [1, 4] and
     * [3, 2] (oldest first); bias 16 at 1/32; output scale 1/8, zp -3: multiplier 1/4.
     * step 1, x_q = 5: columns [0, 8], [0, -12] -> 32 - 24 + 16 = 24 -> 6 -> out 3;
     * step 2, x_q = 3: columns [8, 4], [-12, -6] -> 24 - 48 + 16 = -8 -> -2 -> out -5. */
    const int8_t wf[2] = {2, -3};
    const int16_t wt[4] = {1, 4, 3, 2};
    const int32_t bias[1] = {16};
    struct svdf_spec s = {TFLC_DTYPE_INT8,
                          TFLC_DTYPE_INT8,
                          TFLC_DTYPE_INT16,
                          TFLC_DTYPE_INT32,
                          TFLC_DTYPE_INT16,
                          TFLC_DTYPE_INT8,
                          1,
                          1,
                          2,
                          2,
                          2,
                          RELU,
                          wf,
                          wt,
                          bias,
                          0.5f,
                          0.5f,
                          0.125f,
                          1.0f / 32,
                          0.25f,
                          0.125f,
                          1,
                          -3,
                          false,
                          0};
    struct model m;
    build_svdf(&m, &s);
    TFLC_REQUIRE(m.st == TFLC_STATUS_OK);
    const int8_t x1 = 5, x2 = 3;
    const int8_t *y = tflc_interp_output(m.it, 0)->data;
    if (invoke(&m, &x1)) TFLC_EXPECT_EQ_INT(y[0], 3);
    if (invoke(&m, &x2)) TFLC_EXPECT_EQ_INT(y[0], -5); /* below the zero point: no RELU clamp, as TFLite */
    tflc_interp_reset(m.it);
    if (invoke(&m, &x2)) TFLC_EXPECT_EQ_INT(y[0], 2); /* [0,4], [0,-6]: 16 - 12 + 16 = 20 -> 5 -> 5 - 3 */
    model_done(&m);
}

/* ------------------------------------------------------------ bad models ---- */

static void expect_refused(struct model *m, enum tflc_status st, const char *a, const char *b) {
    TFLC_EXPECT_EQ_INT(m->st, st);
    TFLC_EXPECT_STR_CONTAINS(m->diag.msg, a);
    if (b) TFLC_EXPECT_STR_CONTAINS(m->diag.msg, b);
    model_done(m);
}

TFLC_TEST(lstm_bad_models_refused) {
    struct flstm L = {.ni = 2, .nc = 3, .no = 3};
    flstm_random(&L);
    struct model m;
    struct breakage brk = {.nin = 19};
    build_flstm(&m, &L, 1, 2, false, &brk);
    expect_refused(&m, TFLC_STATUS_INVALID_MODEL, "UNIDIRECTIONAL_SEQUENCE_LSTM", "expected 20 or 24");
    brk = (struct breakage){.bad_recurrent = true};
    build_flstm(&m, &L, 1, 2, false, &brk);
    expect_refused(&m, TFLC_STATUS_INVALID_MODEL, "recurrent-to-forget weights", "[3,3]");
    brk = (struct breakage){.state_constant = true}; /* the verifier sees a use before definition */
    build_flstm(&m, &L, 1, 2, false, &brk);
    expect_refused(&m, TFLC_STATUS_INVALID_MODEL, "input 18 (tensor 13 'h')", "used before");
    brk = (struct breakage){.version = 4};
    build_flstm(&m, &L, 1, 2, false, &brk);
    expect_refused(&m, TFLC_STATUS_UNSUPPORTED, "UNIDIRECTIONAL_SEQUENCE_LSTM v4", NULL);
    build_flstm(&m, &L, 1, 0, false, NULL); /* zero time steps */
    expect_refused(&m, TFLC_STATUS_INVALID_MODEL, "zero-sized", NULL);
    struct flstm P = {.ni = 2, .nc = 3, .no = 2}; /* n_output != n_cell needs a projection */
    flstm_random(&P);
    build_flstm(&m, &P, 1, 2, false, NULL);
    expect_refused(&m, TFLC_STATUS_INVALID_MODEL, "without projection", NULL);
}

TFLC_TEST(lstm_s8_bad_models_refused) {
    struct model m;
    struct s8spec s = {.bias = {0}, .cell_scale = 1.0f / 3000, .nintermediates = 5};
    build_s8lstm(&m, &s, 2);
    expect_refused(&m, TFLC_STATUS_UNSUPPORTED, "cell state scale", "power of two");
    s = (struct s8spec){.cell_scale = 1.0f / 256, .nintermediates = 5}; /* 2^-8: tanh would need 7 integer bits */
    build_s8lstm(&m, &s, 2);
    expect_refused(&m, TFLC_STATUS_UNSUPPORTED, "2^-8", NULL);
    s = (struct s8spec){.cell_scale = 1.0f / 2048, .nintermediates = 4};
    build_s8lstm(&m, &s, 2);
    expect_refused(&m, TFLC_STATUS_INVALID_MODEL, "5 intermediate", NULL);
    s = (struct s8spec){.cell_scale = 1.0f / 2048, .nintermediates = 5, .cell_dtype = TFLC_DTYPE_INT8};
    build_s8lstm(&m, &s, 2);
    expect_refused(&m, TFLC_STATUS_UNSUPPORTED, "UNIDIRECTIONAL_SEQUENCE_LSTM", "no kernel for these types");
}

TFLC_TEST(svdf_bad_models_refused) {
    struct model m;
    struct svdf_spec s = svdf_f32_spec();
    s.rank = 2; /* 1 filter cannot be split into rank 2 */
    build_svdf(&m, &s);
    expect_refused(&m, TFLC_STATUS_INVALID_MODEL, "SVDF", "rank 2");
    s = svdf_f32_spec();
    s.state_cols = 3;
    build_svdf(&m, &s);
    expect_refused(&m, TFLC_STATUS_INVALID_MODEL, "state 'state' must have shape [1,2]", NULL);
    s = svdf_f32_spec();
    s.state_constant = true;
    build_svdf(&m, &s);
    expect_refused(&m, TFLC_STATUS_INVALID_MODEL, "'state'", "used before");
    s = svdf_f32_spec();
    s.xt = s.yt = TFLC_DTYPE_INT16; /* no int16 SVDF in TFLite */
    build_svdf(&m, &s);
    expect_refused(&m, TFLC_STATUS_UNSUPPORTED, "SVDF", "no kernel for these types");
    const int8_t wf[2] = {1, 1};
    const int16_t wt[2] = {1, 1};
    const int32_t bias[1] = {0};
    s = (struct svdf_spec){TFLC_DTYPE_INT8,
                           TFLC_DTYPE_INT8,
                           TFLC_DTYPE_INT16,
                           TFLC_DTYPE_INT32,
                           TFLC_DTYPE_INT16,
                           TFLC_DTYPE_INT8,
                           1,
                           2,
                           1,
                           2,
                           1,
                           TANH,
                           wf,
                           wt,
                           bias,
                           0.5f,
                           0.5f,
                           0.125f,
                           1.0f / 32,
                           0.25f,
                           0.125f,
                           0,
                           0,
                           false,
                           0};
    build_svdf(&m, &s);
    expect_refused(&m, TFLC_STATUS_UNSUPPORTED, "SVDF", "only the RELU");
}

TFLC_TEST_MAIN()
