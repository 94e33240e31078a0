/* Removes identities, rewiring their consumers to the input, when the result is not a graph
 * output: RESHAPE to the same shape (a RESHAPE of a RESHAPE first reads the inner one's
 * input); ADD / SUB of an all-zero constant and MUL by an all-one constant without a fused
 * activation, when broadcasting does not grow the result (an unrolled RNN's zero initial state
 * leaves such ops after constant folding). */
#include <string.h>

#include "format/tflite_schema.h"
#include "ir/pass.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x

static void rewire(struct tflc_ir_graph *g, int32_t from, int32_t to) {
    for (int32_t k = 0; k < g->nn; k++) {
        if (g->n[k].dead) continue;
        for (int i = 0; i < g->n[k].nin; i++)
            if (g->n[k].in[i] == from) g->n[k].in[i] = to;
    }
}

/* Constant float tensor whose every value is v. */
static bool all_equal(const struct tflc_ir_graph *g, int32_t t, float v) {
    if (t < 0 || !g->t[t].data || g->t[t].dtype != TFLC_DTYPE_FLOAT32) return false;
    const float *d = g->t[t].data;
    for (size_t i = 0, n = tflc_ir_numel(&g->t[t]); i < n; i++)
        if (d[i] != v) return false;
    return true;
}

static bool same_shape(const struct tflc_ir_tensor *a, const struct tflc_ir_tensor *b) {
    return a->rank == b->rank && memcmp(a->dims, b->dims, sizeof a->dims[0] * (size_t)a->rank) == 0;
}

/* The input that node n passes through unchanged, or -1. */
static int32_t identity_input(const struct tflc_ir_graph *g, const struct tflc_ir_node *n) {
    if (n->nout != 1 || n->nin < 1) return -1;
    if (n->op == OP(RESHAPE)) return n->in[0];
    if (n->nin != 2 || (n->op != OP(ADD) && n->op != OP(SUB) && n->op != OP(MUL))) return -1;
    const struct tflc_ir_opt *fa = tflc_ir_opt_get(n, "fused_activation_function");
    if (fa && fa->i) return -1;
    float unit = n->op == OP(MUL) ? 1.0f : 0.0f;
    if (all_equal(g, n->in[1], unit)) return n->in[0];
    if (n->op != OP(SUB) && all_equal(g, n->in[0], unit)) return n->in[1];
    return -1;
}

int tflc_pass_noop(struct tflc_ir_graph *g) {
    int changed = 0;
    for (int32_t k = 0; k < g->nn; k++) {
        struct tflc_ir_node *n = &g->n[k];
        if (n->dead) continue;
        if (n->op == OP(RESHAPE) && n->nin >= 1 && n->in[0] >= 0) {
            int32_t p = g->t[n->in[0]].producer;
            if (p >= 0 && !g->n[p].dead && g->n[p].op == OP(RESHAPE) && g->n[p].nin >= 1 && g->n[p].in[0] >= 0) {
                n->in[0] = g->n[p].in[0];
                changed++;
            }
        }
        int32_t x = identity_input(g, n), y = n->out[0];
        if (x < 0 || y < 0 || tflc_ir_is_output(g, y)) continue;
        if (g->t[x].dtype != g->t[y].dtype || !same_shape(&g->t[x], &g->t[y])) continue;
        rewire(g, y, x);
        n->dead = true;
        changed++;
    }
    return changed;
}
