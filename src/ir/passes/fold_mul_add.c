/* Batch-norm folding: y = conv(x) * s + t with constant per-output-channel s, t (how
 * BatchNormalization lowers) becomes one conv with weights scaled by s and bias s*b + t.
 * Applies to CONV_2D (weights OHWI, channel = dim 0), DEPTHWISE_CONV_2D ([1,H,W,C], channel =
 * last dim) and FULLY_CONNECTED ([N,K], channel = dim 0) with constant float weights and no
 * fused activation, when the op's output feeds only that MUL / ADD, directly or through one
 * RESHAPE that keeps the channels as the last dimension (Conv1D's squeeze). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_schema.h"
#include "ir/pass.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x

/* Constant per-channel vector of the other operand, broadcast over the last axis of length C:
 * shape [], [1], [C] or [1,...,1,C]. Returns the value for channel c through *v. */
static const float *channel_vector(const struct tflc_ir_graph *g, int32_t t, int32_t C, bool *scalar) {
    if (t < 0 || !g->t[t].data || g->t[t].dtype != TFLC_DTYPE_FLOAT32) return NULL;
    const struct tflc_ir_tensor *k = &g->t[t];
    size_t n = tflc_ir_numel(k);
    for (int i = 0; i + 1 < k->rank; i++)
        if (k->dims[i] != 1) return NULL;
    if (n == 1) { *scalar = true; return k->data; }
    if (k->rank >= 1 && (int32_t)n == C && k->dims[k->rank - 1] == C) { *scalar = false; return k->data; }
    return NULL;
}

static int32_t out_channels(const struct tflc_ir_graph *g, const struct tflc_ir_node *p) {
    const struct tflc_ir_tensor *w = &g->t[p->in[1]];
    return p->op == OP(DEPTHWISE_CONV_2D) ? w->dims[w->rank - 1] : w->dims[0];
}

/* Makes a private copy of the weights (and a bias, created when absent) so folding never
 * alters a constant another op shares. */
static bool own_weights(struct tflc_ir_graph *g, int32_t k) {
    struct tflc_ir_node *p = &g->n[k];
    int32_t w = p->in[1];
    int32_t nw = tflc_ir_const(g, g->t[w].name, TFLC_DTYPE_FLOAT32, g->t[w].rank, g->t[w].dims, g->t[w].data);
    if (nw < 0) return false;
    p = &g->n[k];
    p->in[1] = nw;
    int32_t C = out_channels(g, p);
    if (p->nin >= 3 && p->in[2] >= 0) {
        int32_t b = p->in[2];
        int32_t nb = tflc_ir_const(g, g->t[b].name, TFLC_DTYPE_FLOAT32, 1, &C, g->t[b].data);
        if (nb < 0) return false;
        g->n[k].in[2] = nb;
    } else {
        float *z = calloc((size_t)C, sizeof *z);
        if (!z) return false;
        char nm[256];
        snprintf(nm, sizeof nm, "%s/bias", p->name);
        int32_t nb = tflc_ir_const(g, nm, TFLC_DTYPE_FLOAT32, 1, &C, z);
        free(z);
        if (nb < 0) return false;
        int32_t *in = tflc_arena_array(&g->arena, 3, sizeof *in, "operator inputs");
        if (!in) return false;
        in[0] = g->n[k].in[0];
        in[1] = g->n[k].in[1];
        in[2] = nb;
        g->n[k].in = in;
        g->n[k].nin = 3;
    }
    return true;
}

/* Producer of x when x is its only use and not a graph output, else -1. */
static int32_t sole_producer(const struct tflc_ir_graph *g, int32_t x) {
    if (x < 0 || g->t[x].producer < 0 || tflc_ir_is_output(g, x) || tflc_ir_use_count(g, x) != 1) return -1;
    return g->n[g->t[x].producer].dead ? -1 : g->t[x].producer;
}

int tflc_pass_fold_mul_add(struct tflc_ir_graph *g) {
    int folded = 0;
    tflc_ir_refresh(g);
    for (int32_t m = 0; m < g->nn; m++) {
        struct tflc_ir_node *mn = &g->n[m];
        if (mn->dead || (mn->op != OP(MUL) && mn->op != OP(ADD)) || mn->nin != 2 || mn->nout != 1) continue;
        if (tflc_ir_opt_get(mn, "fused_activation_function") && tflc_ir_opt_get(mn, "fused_activation_function")->i) continue;
        for (int side = 0; side < 2; side++) {
            int32_t x = mn->in[side], kt = mn->in[1 - side];
            int32_t pk = sole_producer(g, x), rk = -1;
            if (pk >= 0 && g->n[pk].op == OP(RESHAPE) && g->n[pk].nout == 1) {
                /* Through a reshape that keeps the channels last (Conv1D's squeeze). */
                int32_t y = g->n[pk].in[0];
                if (y < 0 || g->t[y].rank < 1 || g->t[x].rank < 1 ||
                    g->t[y].dims[g->t[y].rank - 1] != g->t[x].dims[g->t[x].rank - 1])
                    continue;
                rk = pk;
                pk = sole_producer(g, y);
            }
            if (pk < 0) continue;
            struct tflc_ir_node *p = &g->n[pk];
            if (p->op != OP(CONV_2D) && p->op != OP(DEPTHWISE_CONV_2D) && p->op != OP(FULLY_CONNECTED)) continue;
            if (p->nout != 1 || p->nin < 2 || p->in[1] < 0 || !g->t[p->in[1]].data || g->t[p->in[1]].dtype != TFLC_DTYPE_FLOAT32) continue;
            if (p->nin >= 3 && p->in[2] >= 0 && (!g->t[p->in[2]].data || g->t[p->in[2]].dtype != TFLC_DTYPE_FLOAT32)) continue;
            const struct tflc_ir_opt *fa = tflc_ir_opt_get(p, "fused_activation_function");
            if (fa && fa->i) continue;
            if (g->t[x].dims[g->t[x].rank - 1] != out_channels(g, p)) continue;
            int32_t C = out_channels(g, p);
            bool scalar;
            const float *v = channel_vector(g, kt, C, &scalar);
            if (!v) continue;
            /* The fold must not change the result's shape (broadcasting could have grown it). */
            const struct tflc_ir_tensor *yt = &g->t[mn->out[0]], *xt = &g->t[x];
            if (yt->rank != xt->rank) continue;
            bool same = true;
            for (int i = 0; i < xt->rank; i++) same = same && yt->dims[i] == xt->dims[i];
            if (!same || !own_weights(g, pk)) continue;
            p = &g->n[pk];
            float *w = g->t[p->in[1]].data, *b = g->t[p->in[2]].data;
            size_t nw = tflc_ir_numel(&g->t[p->in[1]]);
            if (mn->op == OP(MUL)) {
                for (size_t i = 0; i < nw; i++) {
                    int32_t ch = p->op == OP(DEPTHWISE_CONV_2D) ? (int32_t)(i % (size_t)C) : (int32_t)(i / (nw / (size_t)C));
                    w[i] *= v[scalar ? 0 : ch];
                }
                for (int32_t ch = 0; ch < C; ch++) b[ch] *= v[scalar ? 0 : ch];
            } else {
                for (int32_t ch = 0; ch < C; ch++) b[ch] += v[scalar ? 0 : ch];
            }
            int32_t wk = rk >= 0 ? rk : pk; /* now writes the MUL / ADD's result */
            g->n[wk].out[0] = mn->out[0];
            g->t[mn->out[0]].producer = wk;
            mn->dead = true;
            folded++;
            break;
        }
    }
    return folded;
}
