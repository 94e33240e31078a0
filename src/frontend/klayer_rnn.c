/* Recurrent layers and wrappers: LSTM (-> UNIDIRECTIONAL_SEQUENCE_LSTM when its gates are
 * TFLite's: sigmoid recurrent activation; otherwise unrolled), GRU (reset_after true and
 * false) and SimpleRNN unrolled into builtin ops (never WHILE), Bidirectional, TimeDistributed.
 * Keras gate order: LSTM i, f, c, o; GRU z, r, h. Inputs are batch-major [batch, time, feat];
 * stateful RNNs and masking are refused. Input projections for all time steps are one
 * FULLY_CONNECTED; each step then costs a recurrent FULLY_CONNECTED plus the gate math. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/keras_graph.h"
#include "frontend/keras_lower.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x
#define MAX_STEPS 4096

static enum tflc_status finish(struct tflc_klower *c, int32_t y, int32_t *out, int *nout) {
    if (y < 0) return c->diag && c->diag->status ? c->diag->status : TFLC_STATUS_INTERNAL;
    out[0] = y;
    *nout = 1;
    return TFLC_STATUS_OK;
}

/* Columns [col0, col0 + n) of a row-major [rows, cols] matrix, transposed to [n, rows]. */
static float *cols_t(const float *m, int32_t rows, int32_t cols, int32_t col0, int32_t n) {
    float *t = malloc(sizeof *t * (size_t)n * (size_t)rows + 1);
    if (!t) return NULL;
    for (int32_t r = 0; r < rows; r++)
        for (int32_t q = 0; q < n; q++) t[(size_t)q * (size_t)rows + (size_t)r] = m[(size_t)r * (size_t)cols + (size_t)(col0 + q)];
    return t;
}

static int32_t weight_t(struct tflc_klower *c, const char *suffix, const float *m, int32_t rows, int32_t cols, int32_t col0, int32_t n) {
    float *t = cols_t(m, rows, cols, col0, n);
    if (!t) { kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); return -1; }
    int32_t id = kir_const_f32(c, suffix, 2, (int32_t[]){n, rows}, t);
    free(t);
    return id;
}

struct rnn_cfg {
    int64_t units;
    bool return_sequences, go_backwards, use_bias, reset_after;
    const char *act, *rec_act;
};

static enum tflc_status rnn_config(struct tflc_klower *c, struct rnn_cfg *r) {
    enum tflc_status st;
    bool stateful, return_state, unroll;
    if ((st = kcfg_int(c, "units", -1, 1, 1 << 20, &r->units)) || (st = kcfg_bool(c, "return_sequences", false, &r->return_sequences)) ||
        (st = kcfg_bool(c, "go_backwards", false, &r->go_backwards)) || (st = kcfg_bool(c, "use_bias", true, &r->use_bias)) ||
        (st = kcfg_bool(c, "reset_after", c->keras_major >= 3, &r->reset_after)) || (st = kcfg_bool(c, "stateful", false, &stateful)) ||
        (st = kcfg_bool(c, "return_state", false, &return_state)) || (st = kcfg_bool(c, "unroll", false, &unroll)))
        return st;
    if (r->units < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'units' is missing");
    if (stateful) return kfail(c, TFLC_STATUS_UNSUPPORTED, "stateful RNNs");
    if (return_state) return kfail(c, TFLC_STATUS_UNSUPPORTED, "return_state");
    const cJSON *tm = kcfg(c, "time_major");
    if (cJSON_IsTrue(tm)) return kfail(c, TFLC_STATUS_UNSUPPORTED, "time_major");
    r->act = kcfg_activation(c, "activation");
    r->rec_act = kcfg_activation(c, "recurrent_activation");
    if (!kcfg(c, "activation")) r->act = "tanh";
    if (!kcfg(c, "recurrent_activation")) r->rec_act = c->keras_major >= 3 || !strcmp(c->cls, "SimpleRNN") ? "sigmoid" : "sigmoid";
    return TFLC_STATUS_OK;
}

/* x reversed along time (axis 1), for go_backwards: REVERSE_V2 as Google's converter emits it,
 * or, while tflc's runtime lacks it, a GATHER of the reversed indices (also one op). */
static int32_t reverse_time(struct tflc_klower *c, int32_t x, const char *suffix) {
    const struct tflc_ir_tensor *t = kir_t(c, x);
    int32_t T = t->dims[1], rank = t->rank, dims[TFLC_MAX_DIMS];
    enum tflc_dtype dt = t->dtype;
    memcpy(dims, t->dims, sizeof dims);
    int32_t op = kir_runtime_has(OP(REVERSE_V2)) ? OP(REVERSE_V2) : OP(GATHER);
    int32_t ik;
    if (op == OP(REVERSE_V2)) {
        int32_t axis = 1;
        ik = kir_const_i32(c, "/reverse_axis", 1, &axis);
    } else {
        int32_t *idx = malloc(sizeof *idx * (size_t)T);
        if (!idx) return -1;
        for (int32_t i = 0; i < T; i++) idx[i] = T - 1 - i;
        ik = kir_const_i32(c, "/reverse_indices", T, idx);
        free(idx);
    }
    int32_t y = kir_tensor(c, suffix, dt, rank, dims);
    int32_t in[2] = {x, ik};
    int32_t k = ik >= 0 && y >= 0 ? kir_node(c, op, in, 2, &y, 1) : -1;
    if (k < 0) return -1;
    if (op == OP(GATHER)) tflc_ir_opt_int(c->g, k, "axis", 1);
    return y;
}

/* Last time step: [b, T, u] -> [b, u] (STRIDED_SLICE with shrink, as Google's converter). */
static int32_t last_step(struct tflc_klower *c, int32_t seq) {
    const struct tflc_ir_tensor *t = kir_t(c, seq);
    int32_t b = t->dims[0], T = t->dims[1], u = t->dims[2];
    int32_t begin[3] = {0, T - 1, 0}, end[3] = {b, T, u}, strides[3] = {1, 1, 1};
    int32_t bk = kir_const_i32(c, "/strided_slice/begin", 3, begin), ek = kir_const_i32(c, "/strided_slice/end", 3, end);
    int32_t sk = kir_const_i32(c, "/strided_slice/strides", 3, strides);
    int32_t y = kir_tensor(c, "/strided_slice", t->dtype, 2, (int32_t[]){b, u});
    int32_t in[4] = {seq, bk, ek, sk};
    int32_t k = bk >= 0 && ek >= 0 && sk >= 0 && y >= 0 ? kir_node(c, OP(STRIDED_SLICE), in, 4, &y, 1) : -1;
    if (k < 0) return -1;
    tflc_ir_opt_int(c->g, k, "shrink_axis_mask", 2);
    return y;
}

/* UNPACK a [b, T, n] tensor into T tensors [b, n]. */
static enum tflc_status unpack_time(struct tflc_klower *c, int32_t x, int32_t *steps, const char *suffix) {
    const struct tflc_ir_tensor *t = kir_t(c, x);
    int32_t T = t->dims[1], d[2] = {t->dims[0], t->dims[2]};
    enum tflc_dtype dt = t->dtype;
    for (int32_t i = 0; i < T; i++) {
        char nm[64];
        snprintf(nm, sizeof nm, "%s%d", suffix, i);
        steps[i] = kir_tensor(c, nm, dt, 2, d);
        if (steps[i] < 0) return TFLC_STATUS_OUT_OF_MEMORY;
    }
    int32_t k = kir_node(c, OP(UNPACK), &x, 1, steps, T);
    if (k < 0) return TFLC_STATUS_OUT_OF_MEMORY;
    tflc_ir_opt_int(c->g, k, "num", T);
    tflc_ir_opt_int(c->g, k, "axis", 1);
    return TFLC_STATUS_OK;
}

/* PACK T tensors [b, u] into [b, T, u]. */
static int32_t pack_time(struct tflc_klower *c, const int32_t *steps, int32_t T) {
    const struct tflc_ir_tensor *t = kir_t(c, steps[0]);
    int32_t y = kir_tensor(c, "/sequence", t->dtype, 3, (int32_t[]){t->dims[0], T, t->dims[1]});
    int32_t k = y >= 0 ? kir_node(c, OP(PACK), steps, T, &y, 1) : -1;
    if (k < 0) return -1;
    tflc_ir_opt_int(c->g, k, "values_count", T);
    tflc_ir_opt_int(c->g, k, "axis", 1);
    return y;
}

/* SPLIT x [b, n*parts] along the last axis into `parts` tensors. */
static enum tflc_status split_last(struct tflc_klower *c, int32_t x, int parts, int32_t *outs, const char *suffix) {
    const struct tflc_ir_tensor *t = kir_t(c, x);
    int32_t axis = t->rank - 1, n = t->dims[axis] / parts;
    int32_t d[TFLC_MAX_DIMS];
    memcpy(d, t->dims, sizeof d);
    d[axis] = n;
    int r = t->rank;
    enum tflc_dtype dt = t->dtype;
    int32_t ak = kir_const_i32(c, "/split_dim", 1, &axis);
    for (int i = 0; i < parts; i++) {
        char nm[64];
        snprintf(nm, sizeof nm, "%s%d", suffix, i);
        outs[i] = kir_tensor(c, nm, dt, r, d);
        if (outs[i] < 0) return TFLC_STATUS_OUT_OF_MEMORY;
    }
    int32_t in[2] = {ak, x};
    int32_t k = ak >= 0 ? kir_node(c, OP(SPLIT), in, 2, outs, parts) : -1;
    if (k < 0) return TFLC_STATUS_OUT_OF_MEMORY;
    tflc_ir_opt_int(c->g, k, "num_splits", parts);
    return TFLC_STATUS_OK;
}

/* ---- the fused LSTM ---- */

static enum tflc_status lstm_fused(struct tflc_klower *c, int32_t x, const struct rnn_cfg *r, const float *kern, const float *rec,
                                   const float *bias, int32_t *y) {
    const struct tflc_ir_tensor *xt = kir_t(c, x);
    int32_t b = xt->dims[0], T = xt->dims[1], in = xt->dims[2], u = (int32_t)r->units;
    int32_t ins[24];
    for (int i = 0; i < 24; i++) ins[i] = -1;
    ins[0] = r->go_backwards ? reverse_time(c, x, "/reversed") : x;
    static const char *gates[4] = {"input", "forget", "cell", "output"};
    for (int g = 0; g < 4; g++) {
        char nm[64];
        snprintf(nm, sizeof nm, "/%s_kernel", gates[g]);
        ins[1 + g] = weight_t(c, nm, kern, in, 4 * u, g * u, u);
        snprintf(nm, sizeof nm, "/%s_recurrent_kernel", gates[g]);
        ins[5 + g] = weight_t(c, nm, rec, u, 4 * u, g * u, u);
        snprintf(nm, sizeof nm, "/%s_bias", gates[g]);
        float *bz = calloc((size_t)u, sizeof *bz);
        if (!bz) return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
        if (bias) memcpy(bz, bias + g * u, sizeof *bz * (size_t)u);
        ins[12 + g] = kir_const_f32(c, nm, 1, &u, bz);
        free(bz);
    }
    for (int i = 0; i < 16; i++)
        if ((i == 0 || (i >= 1 && i <= 8) || (i >= 12 && i <= 15)) && ins[i] < 0) return c->diag->status;
    ins[18] = kir_tensor(c, "/output_state", TFLC_DTYPE_FLOAT32, 2, (int32_t[]){b, u});
    ins[19] = kir_tensor(c, "/cell_state", TFLC_DTYPE_FLOAT32, 2, (int32_t[]){b, u});
    if (ins[18] < 0 || ins[19] < 0) return TFLC_STATUS_OUT_OF_MEMORY;
    c->g->t[ins[18]].is_variable = true;
    c->g->t[ins[19]].is_variable = true;
    int32_t seq = kir_tensor(c, "/lstm", TFLC_DTYPE_FLOAT32, 3, (int32_t[]){b, T, u});
    int32_t k = seq >= 0 ? kir_node(c, OP(UNIDIRECTIONAL_SEQUENCE_LSTM), ins, 24, &seq, 1) : -1;
    if (k < 0) return TFLC_STATUS_OUT_OF_MEMORY;
    int act = !strcmp(r->act, "tanh") ? TFLC_TFL_ACTIVATION_FUNCTION_TYPE_TANH
              : !strcmp(r->act, "relu") ? TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU : -1;
    tflc_ir_opt_int(c->g, k, "fused_activation_function", act);
    tflc_ir_opt_bool(c->g, k, "time_major", false);
    *y = seq;
    return TFLC_STATUS_OK;
}

/* ---- unrolled cells ---- */

struct cell {
    struct tflc_klower *c;
    int32_t zero;              /* zeros [b, u] */
};

static int32_t act(struct tflc_klower *c, int32_t x, const char *a) { return kir_activation(c, x, a); }

enum cell_kind { CELL_LSTM, CELL_GRU, CELL_SIMPLE };

/* Runs an unrolled RNN over x [b, T, in]; the sequence of hidden states goes to *seq (or the
 * last state to *last). */
static enum tflc_status unrolled(struct tflc_klower *c, enum cell_kind kind, int32_t x, const struct rnn_cfg *r, const float *kern,
                                 const float *rec, const float *bias, int32_t *y) {
    const struct tflc_ir_tensor *xt = kir_t(c, x);
    int32_t b = xt->dims[0], T = xt->dims[1], in = xt->dims[2], u = (int32_t)r->units;
    int gates = kind == CELL_LSTM ? 4 : kind == CELL_GRU ? 3 : 1;
    int32_t G = gates * u;
    if (T > MAX_STEPS) return kfail(c, TFLC_STATUS_UNSUPPORTED, "%d time steps (the unrolled limit is %d)", T, MAX_STEPS);
    /* Input projection of every step at once, input bias included. */
    int32_t wx = weight_t(c, "/kernel", kern, in, G, 0, G);
    float *bz = calloc((size_t)G, sizeof *bz);
    if (!bz) return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    if (bias) memcpy(bz, bias, sizeof *bz * (size_t)G); /* GRU reset_after: row 0 is the input bias */
    int32_t bx = kir_const_f32(c, "/bias", 1, &G, bz);
    free(bz);
    if (wx < 0 || bx < 0) return c->diag->status;
    int32_t xp = kir_fully_connected(c, x, wx, bx, true, "/input_projection");
    if (xp < 0) return c->diag->status;
    int32_t *xs = malloc(sizeof *xs * (size_t)T * 2);
    if (!xs) return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    int32_t *hs = xs + T;
    enum tflc_status st = unpack_time(c, xp, xs, "/step_input_");
    if (st) { free(xs); return st; }
    /* Recurrent weights per gate group. */
    int32_t wh = -1, bh = -1, whz = -1, whh = -1;
    if (kind == CELL_GRU && !r->reset_after) {
        whz = weight_t(c, "/recurrent_kernel_zr", rec, u, G, 0, 2 * u);
        whh = weight_t(c, "/recurrent_kernel_h", rec, u, G, 2 * u, u);
        if (whz < 0 || whh < 0) { free(xs); return c->diag->status; }
    } else {
        wh = weight_t(c, "/recurrent_kernel", rec, u, G, 0, G);
        if (wh < 0) { free(xs); return c->diag->status; }
        if (kind == CELL_GRU && bias) { /* reset_after: row 1 is the recurrent bias */
            bh = kir_const_f32(c, "/recurrent_bias", 1, &G, bias + G);
            if (bh < 0) { free(xs); return c->diag->status; }
        }
    }
    float *zeros = calloc((size_t)b * (size_t)u, sizeof *zeros);
    if (!zeros) { free(xs); return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); }
    int32_t h = kir_const_f32(c, "/initial_state", 2, (int32_t[]){b, u}, zeros);
    int32_t cst = h;
    free(zeros);
    float one = 1.0f;
    int32_t onek = kir_const_f32(c, "/one", 0, NULL, &one);
    if (h < 0 || onek < 0) { free(xs); return c->diag->status; }
    for (int32_t s = 0; s < T && st == TFLC_STATUS_OK; s++) {
        int32_t t = r->go_backwards ? T - 1 - s : s;
        int32_t xg = xs[t];
        if (kind == CELL_SIMPLE) {
            int32_t hp = kir_fully_connected(c, h, wh, -1, false, "/recurrent");
            int32_t z = hp < 0 ? -1 : kir_binary(c, OP(ADD), xg, hp, "/preact");
            h = z < 0 ? -1 : act(c, z, r->act);
        } else if (kind == CELL_LSTM) {
            int32_t hp = kir_fully_connected(c, h, wh, -1, false, "/recurrent");
            int32_t z = hp < 0 ? -1 : kir_binary(c, OP(ADD), xg, hp, "/gates");
            int32_t g4[4];
            if (z < 0 || split_last(c, z, 4, g4, "/gate")) { st = c->diag->status; break; }
            int32_t ig = act(c, g4[0], r->rec_act), fg = act(c, g4[1], r->rec_act);
            int32_t cg = act(c, g4[2], r->act), og = act(c, g4[3], r->rec_act);
            if (ig < 0 || fg < 0 || cg < 0 || og < 0) { st = c->diag->status; break; }
            int32_t fc = kir_binary(c, OP(MUL), fg, cst, "/f_c");
            int32_t icg = kir_binary(c, OP(MUL), ig, cg, "/i_g");
            cst = fc < 0 || icg < 0 ? -1 : kir_binary(c, OP(ADD), fc, icg, "/c");
            int32_t ct = cst < 0 ? -1 : act(c, cst, r->act);
            h = ct < 0 ? -1 : kir_binary(c, OP(MUL), og, ct, "/h");
        } else { /* GRU */
            int32_t xzr[3];
            if (split_last(c, xg, 3, xzr, "/x_gate")) { st = c->diag->status; break; }
            int32_t zg, rg, hh;
            if (r->reset_after) {
                int32_t hp = kir_fully_connected(c, h, wh, bh, false, "/recurrent");
                int32_t hzr[3];
                if (hp < 0 || split_last(c, hp, 3, hzr, "/h_gate")) { st = c->diag->status; break; }
                int32_t za = kir_binary(c, OP(ADD), xzr[0], hzr[0], "/z_pre");
                int32_t ra = kir_binary(c, OP(ADD), xzr[1], hzr[1], "/r_pre");
                zg = za < 0 ? -1 : act(c, za, r->rec_act);
                rg = ra < 0 ? -1 : act(c, ra, r->rec_act);
                int32_t rh = rg < 0 ? -1 : kir_binary(c, OP(MUL), rg, hzr[2], "/r_h");
                int32_t ha = rh < 0 ? -1 : kir_binary(c, OP(ADD), xzr[2], rh, "/h_pre");
                hh = ha < 0 ? -1 : act(c, ha, r->act);
            } else {
                int32_t hp = kir_fully_connected(c, h, whz, -1, false, "/recurrent_zr");
                int32_t hzr[2];
                if (hp < 0 || split_last(c, hp, 2, hzr, "/h_gate")) { st = c->diag->status; break; }
                int32_t za = kir_binary(c, OP(ADD), xzr[0], hzr[0], "/z_pre");
                int32_t ra = kir_binary(c, OP(ADD), xzr[1], hzr[1], "/r_pre");
                zg = za < 0 ? -1 : act(c, za, r->rec_act);
                rg = ra < 0 ? -1 : act(c, ra, r->rec_act);
                int32_t rh = rg < 0 ? -1 : kir_binary(c, OP(MUL), rg, h, "/r_h");
                int32_t hp2 = rh < 0 ? -1 : kir_fully_connected(c, rh, whh, -1, false, "/recurrent_h");
                int32_t ha = hp2 < 0 ? -1 : kir_binary(c, OP(ADD), xzr[2], hp2, "/h_pre");
                hh = ha < 0 ? -1 : act(c, ha, r->act);
            }
            /* h = z * h_prev + (1 - z) * hh = hh + z * (h_prev - hh) */
            int32_t d = zg < 0 || hh < 0 ? -1 : kir_binary(c, OP(SUB), h, hh, "/h_diff");
            int32_t zd = d < 0 ? -1 : kir_binary(c, OP(MUL), zg, d, "/z_diff");
            h = zd < 0 ? -1 : kir_binary(c, OP(ADD), hh, zd, "/h");
        }
        if (h < 0) { st = c->diag->status ? c->diag->status : TFLC_STATUS_INTERNAL; break; }
        hs[s] = h;
    }
    if (st == TFLC_STATUS_OK) *y = r->return_sequences ? pack_time(c, hs, T) : h;
    free(xs);
    if (st == TFLC_STATUS_OK && *y < 0) st = c->diag->status;
    return st;
}

/* Weights of one RNN (kernel, recurrent_kernel, bias) checked against the config. */
static enum tflc_status rnn_weights(struct tflc_klower *c, enum cell_kind kind, const struct rnn_cfg *r, int32_t in,
                                    const float **kern, const float **rec, const float **bias) {
    int gates = kind == CELL_LSTM ? 4 : kind == CELL_GRU ? 3 : 1;
    int32_t u = (int32_t)r->units, G = gates * u;
    const struct tflc_kweight *kw, *rw, *bw = NULL;
    enum tflc_status st;
    if ((st = kw_get(c, 0, "kernel", 2, (int32_t[]){in, G}, &kw)) || (st = kw_get(c, 1, "recurrent_kernel", 2, (int32_t[]){u, G}, &rw)))
        return st;
    if (r->use_bias) {
        if (kind == CELL_GRU && r->reset_after) st = kw_get(c, 2, "bias", 2, (int32_t[]){2, G}, &bw);
        else st = kw_get(c, 2, "bias", 1, &G, &bw);
        if (st) return st;
    }
    *kern = kw->data;
    *rec = rw->data;
    *bias = bw ? bw->data : NULL;
    return TFLC_STATUS_OK;
}

static enum tflc_status rnn(struct tflc_klower *c, enum cell_kind kind, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "called on no inputs");
    if (nin > 1) return kfail(c, TFLC_STATUS_UNSUPPORTED, "initial states / masks as extra inputs");
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    if (xt->rank != 3) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must be [batch, time, features]");
    struct rnn_cfg r;
    enum tflc_status st = rnn_config(c, &r);
    if (st) return st;
    const float *kern, *rec, *bias;
    if ((st = rnn_weights(c, kind, &r, xt->dims[2], &kern, &rec, &bias))) return st;
    int32_t y = -1;
    if (kind == CELL_LSTM && !strcmp(r.rec_act, "sigmoid") && (!strcmp(r.act, "tanh") || !strcmp(r.act, "relu"))) {
        if ((st = lstm_fused(c, in[0], &r, kern, rec, bias, &y))) return st;
        /* Like Keras, a go_backwards sequence stays in processing (reversed) order. */
        if (!r.return_sequences && y >= 0) y = last_step(c, y);
    } else {
        if ((st = unrolled(c, kind, in[0], &r, kern, rec, bias, &y))) return st;
    }
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_lstm(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return rnn(c, CELL_LSTM, in, nin, out, nout);
}
enum tflc_status tflc_klayer_gru(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return rnn(c, CELL_GRU, in, nin, out, nout);
}
enum tflc_status tflc_klayer_simple_rnn(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return rnn(c, CELL_SIMPLE, in, nin, out, nout);
}

/* ---- wrappers ---- */

static const cJSON *inner_layer(const struct tflc_klower *c, const char *key) {
    const cJSON *l = kcfg(c, key);
    return cJSON_IsObject(l) ? l : NULL;
}

static const char *jstr(const cJSON *o, const char *k) {
    const cJSON *j = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

/* Weight group of a wrapped layer: the child whose name contains `hint` ("forward",
 * "backward"), else the child at `index`, else (one level deep) the wrapper's own group. */
static const struct tflc_kgroup *wrapped_group(const struct tflc_kgroup *w, const char *hint, int index) {
    if (!w) return NULL;
    for (int32_t i = 0; hint && i < w->nchildren; i++)
        if (strstr(w->children[i].name, hint)) return &w->children[i];
    if (index < w->nchildren && (w->nchildren > 1 || !hint)) return &w->children[index];
    return w;
}

enum tflc_status tflc_klayer_bidirectional(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    const cJSON *fl = inner_layer(c, "layer");
    if (!fl) return kfail(c, TFLC_STATUS_INVALID_MODEL, "no wrapped 'layer'");
    const cJSON *bl = inner_layer(c, "backward_layer");
    const char *cls = jstr(fl, "class_name");
    tflc_klayer_fn fn = tflc_klayer_find(cls);
    if (!fn || (strcmp(cls, "LSTM") && strcmp(cls, "GRU") && strcmp(cls, "SimpleRNN")))
        return kfail(c, TFLC_STATUS_UNSUPPORTED, "wraps a '%s' (LSTM, GRU or SimpleRNN expected)", cls ? cls : "?");
    const char *merge = kcfg_str(c, "merge_mode");
    const cJSON *mj = kcfg(c, "merge_mode");
    if (mj && cJSON_IsNull(mj)) merge = "none"; /* two outputs: forward, backward */
    else if (!merge) merge = "concat";
    /* Forward: the layer's config as is. Backward: the same config with go_backwards flipped. */
    cJSON *fcfg = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(fl, "config"), true);
    cJSON *bcfg = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(bl ? bl : fl, "config"), true);
    if (!fcfg || !bcfg) { cJSON_Delete(fcfg); cJSON_Delete(bcfg); return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); }
    if (!bl) {
        const cJSON *gb = cJSON_GetObjectItemCaseSensitive(fcfg, "go_backwards");
        cJSON_DeleteItemFromObjectCaseSensitive(bcfg, "go_backwards");
        cJSON_AddBoolToObject(bcfg, "go_backwards", !cJSON_IsTrue(gb));
    }
    char fname[256], bname[256];
    snprintf(fname, sizeof fname, "%s/forward", c->name);
    snprintf(bname, sizeof bname, "%s/backward", c->name);
    struct tflc_klower fc = kl_child(c, fname, cls, fcfg, wrapped_group(c->w, "forward", 0));
    struct tflc_klower bc = kl_child(c, bname, cls, bcfg, wrapped_group(c->w, "backward", 1));
    int32_t fo[KL_MAX_IO], bo[KL_MAX_IO];
    int nf = 0, nb = 0;
    enum tflc_status st = fn(&fc, in, nin, fo, &nf);
    if (!st) st = fn(&bc, in, nin, bo, &nb);
    bool seqs = false;
    if (!st) {
        const cJSON *rs = cJSON_GetObjectItemCaseSensitive(fcfg, "return_sequences");
        seqs = cJSON_IsTrue(rs);
    }
    cJSON_Delete(fcfg);
    cJSON_Delete(bcfg);
    if (st) return st;
    int32_t b = bo[0];
    /* A backward sequence comes out in reversed time: Keras flips it back before merging. */
    if (seqs) b = reverse_time(c, b, "/backward_aligned");
    if (b < 0) return finish(c, -1, out, nout);
    const struct tflc_ir_tensor *ft = kir_t(c, fo[0]), *bt = kir_t(c, b);
    if (nf != 1 || nb != 1 || ft->rank != bt->rank || memcmp(ft->dims, bt->dims, sizeof ft->dims[0] * (size_t)ft->rank))
        return kfail(c, TFLC_STATUS_INVALID_MODEL, "the forward and backward layers give different shapes");
    int32_t y;
    if (!strcmp(merge, "none")) {
        out[0] = fo[0];
        out[1] = b;
        *nout = 2;
        return TFLC_STATUS_OK;
    } else if (!strcmp(merge, "concat")) {
        const struct tflc_ir_tensor *a = kir_t(c, fo[0]);
        int32_t d[TFLC_MAX_DIMS];
        memcpy(d, a->dims, sizeof d);
        d[a->rank - 1] *= 2;
        y = kir_tensor(c, "/concat", a->dtype, a->rank, d);
        int32_t cin[2] = {fo[0], b};
        int32_t k = y >= 0 ? kir_node(c, OP(CONCATENATION), cin, 2, &y, 1) : -1;
        if (k < 0) return finish(c, -1, out, nout);
        tflc_ir_opt_int(c->g, k, "axis", a->rank - 1);
    } else if (!strcmp(merge, "sum")) {
        y = kir_binary(c, OP(ADD), fo[0], b, "/sum");
    } else if (!strcmp(merge, "mul")) {
        y = kir_binary(c, OP(MUL), fo[0], b, "/mul");
    } else if (!strcmp(merge, "ave")) {
        float h = 0.5f;
        int32_t hk = kir_const_f32(c, "/half", 0, NULL, &h);
        int32_t s = kir_binary(c, OP(ADD), fo[0], b, "/sum");
        y = s < 0 || hk < 0 ? -1 : kir_binary(c, OP(MUL), s, hk, "/ave");
    } else {
        return kfail(c, TFLC_STATUS_UNSUPPORTED, "merge_mode '%s'", merge);
    }
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_time_distributed(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    const cJSON *l = inner_layer(c, "layer");
    const char *cls = jstr(l, "class_name");
    const cJSON *cfg = l ? cJSON_GetObjectItemCaseSensitive(l, "config") : NULL;
    const char *iname = jstr(cfg, "name");
    if (!cls) return kfail(c, TFLC_STATUS_INVALID_MODEL, "no wrapped 'layer'");
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    if (xt->rank < 3) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must be [batch, time, ...]");
    char name[256];
    snprintf(name, sizeof name, "%s/%s", c->name, iname ? iname : "layer");
    const struct tflc_kgroup *w = c->w ? (c->w->nchildren == 1 && !c->w->nweights ? &c->w->children[0] : c->w) : NULL;
    struct tflc_klower ic = kl_child(c, name, cls, cfg, w);
    /* Layers that work on the last axis or elementwise take [b, T, ...] as it is (Dense keeps
     * the leading dims): no reshapes around them. */
    static const char *const direct[] = {"Dense", "Activation", "ReLU", "LeakyReLU", "ELU", "Dropout", "GaussianNoise",
                                         "GaussianDropout", "AlphaDropout", "ActivityRegularization"};
    for (size_t i = 0; i < sizeof direct / sizeof direct[0]; i++)
        if (!strcmp(cls, direct[i])) return tflc_klayer_find(cls)(&ic, in, 1, out, nout);
    /* [b, T, ...] -> [b*T, ...] -> layer -> [b, T, ...] */
    int32_t b = xt->dims[0], T = xt->dims[1], d[TFLC_MAX_DIMS];
    d[0] = b * T;
    for (int i = 2; i < xt->rank; i++) d[i - 1] = xt->dims[i];
    int32_t x = kir_reshape(c, in[0], xt->rank - 1, d, "/flatten_time");
    if (x < 0) return finish(c, -1, out, nout);
    int32_t o[KL_MAX_IO];
    int no = 0;
    enum tflc_status st;
    if (!strcmp(cls, "Sequential") || !strcmp(cls, "Functional") || !strcmp(cls, "Model"))
        st = tflc_keras_lower_model(&ic, l, w, &x, 1, o, &no);
    else {
        tflc_klayer_fn fn = tflc_klayer_find(cls);
        if (!fn) return kfail(c, TFLC_STATUS_UNSUPPORTED, "wraps an unsupported '%s'", cls);
        st = fn(&ic, &x, 1, o, &no);
    }
    if (st) return st;
    const struct tflc_ir_tensor *yt = kir_t(c, o[0]);
    int32_t od[TFLC_MAX_DIMS];
    od[0] = b;
    od[1] = T;
    for (int i = 1; i < yt->rank; i++) od[i + 1] = yt->dims[i];
    if (yt->rank + 1 > TFLC_MAX_DIMS || yt->dims[0] != b * T) return kfail(c, TFLC_STATUS_UNSUPPORTED, "the wrapped layer changed the batch");
    return finish(c, kir_reshape(c, o[0], yt->rank + 1, od, "/unflatten_time"), out, nout);
}

/* tf.math.l2_normalize over the last axis: L2_NORMALIZATION (x / max(|x|, 1e-6), Keras's
 * x * rsqrt(max(sum x^2, 1e-12))). */
static int32_t l2_normalize(struct tflc_klower *c, int32_t x, const char *suffix) {
    const struct tflc_ir_tensor *t = kir_t(c, x);
    int32_t dims[TFLC_MAX_DIMS], rank = t->rank;
    memcpy(dims, t->dims, sizeof dims);
    int32_t y = kir_tensor(c, suffix, TFLC_DTYPE_FLOAT32, rank, dims);
    if (y < 0 || kir_node(c, OP(L2_NORMALIZATION), &x, 1, &y, 1) < 0) return -1;
    return y;
}

/* Dot: batched dot products over one axis of each input (rank 2: MUL + SUM; rank 3:
 * BATCH_MATMUL with adj_x / adj_y). normalize=True L2-normalizes both inputs over their axes
 * first (an axis that is not last is transposed there). */
enum tflc_status tflc_klayer_dot(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 2 inputs, called on %d", nin);
    bool normalize;
    enum tflc_status st = kcfg_bool(c, "normalize", false, &normalize);
    if (st) return st;
    struct tflc_ir_tensor a = *kir_t(c, in[0]), b = *kir_t(c, in[1]);
    int32_t ax[2];
    const cJSON *aj = kcfg(c, "axes");
    if (cJSON_IsNumber(aj)) ax[0] = ax[1] = kjson_i32(aj);
    else if (cJSON_IsArray(aj) && cJSON_GetArraySize(aj) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(aj, 0)) &&
             cJSON_IsNumber(cJSON_GetArrayItem(aj, 1))) {
        ax[0] = kjson_i32(cJSON_GetArrayItem(aj, 0));
        ax[1] = kjson_i32(cJSON_GetArrayItem(aj, 1));
    } else return kfail(c, TFLC_STATUS_INVALID_MODEL, "bad 'axes'");
    if (ax[0] < 0) ax[0] += a.rank;
    if (ax[1] < 0) ax[1] += b.rank;
    if (a.rank != b.rank || a.rank < 2 || a.rank > 3 || ax[0] < 1 || ax[1] < 1 || ax[0] >= a.rank || ax[1] >= b.rank ||
        a.dims[ax[0]] != b.dims[ax[1]] || a.dims[0] != b.dims[0] || (a.rank == 2 && a.dims[1] != b.dims[1]))
        return kfail(c, TFLC_STATUS_UNSUPPORTED, "Dot over these shapes/axes");
    int32_t x = in[0], yb = in[1];
    if (normalize) {
        static const int32_t swap[3] = {0, 2, 1};
        if (ax[0] != a.rank - 1) { x = kir_transpose(c, x, swap, "/a_transposed"); ax[0] = 2; }
        if (ax[1] != b.rank - 1) { yb = x < 0 ? -1 : kir_transpose(c, yb, swap, "/b_transposed"); ax[1] = 2; }
        x = x < 0 || yb < 0 ? -1 : l2_normalize(c, x, "/l2_normalize_a");
        yb = x < 0 ? -1 : l2_normalize(c, yb, "/l2_normalize_b");
        if (yb < 0) return finish(c, -1, out, nout);
        a = *kir_t(c, x);
        b = *kir_t(c, yb);
    }
    if (a.rank == 2) { /* [b, n] . [b, n] -> [b, 1] */
        int32_t p = kir_binary(c, OP(MUL), x, yb, "/mul");
        int32_t one = 1;
        int32_t axk = kir_const_i32(c, "/axis", 1, &one);
        int32_t r = kir_tensor(c, "/Sum", TFLC_DTYPE_FLOAT32, 2, (int32_t[]){a.dims[0], 1});
        int32_t sin[2] = {p, axk};
        int32_t k = p < 0 || axk < 0 || r < 0 ? -1 : kir_node(c, OP(SUM), sin, 2, &r, 1);
        if (k < 0) return finish(c, -1, out, nout);
        tflc_ir_opt_bool(c->g, k, "keep_dims", true);
        return finish(c, r, out, nout);
    }
    bool adj_x = ax[0] == 1, adj_y = ax[1] == 2;
    int32_t m = adj_x ? a.dims[2] : a.dims[1], n = adj_y ? b.dims[1] : b.dims[2];
    int32_t r = kir_tensor(c, "/MatMul", TFLC_DTYPE_FLOAT32, 3, (int32_t[]){a.dims[0], m, n});
    int32_t bin[2] = {x, yb};
    int32_t k = r >= 0 ? kir_node(c, OP(BATCH_MATMUL), bin, 2, &r, 1) : -1;
    if (k < 0) return finish(c, -1, out, nout);
    if (adj_x) tflc_ir_opt_bool(c->g, k, "adj_x", true);
    if (adj_y) tflc_ir_opt_bool(c->g, k, "adj_y", true);
    return finish(c, r, out, nout);
}
