/* Removes identities: RESHAPE whose output shape equals its input's, when the output is not a
 * graph output (consumers are rewired to the input). */
#include <string.h>

#include "format/tflite_schema.h"
#include "ir/pass.h"

static void rewire(struct tflc_ir_graph *g, int32_t from, int32_t to) {
    for (int32_t k = 0; k < g->nn; k++) {
        if (g->n[k].dead) continue;
        for (int i = 0; i < g->n[k].nin; i++)
            if (g->n[k].in[i] == from) g->n[k].in[i] = to;
    }
}

int tflc_pass_noop(struct tflc_ir_graph *g) {
    int changed = 0;
    for (int32_t k = 0; k < g->nn; k++) {
        struct tflc_ir_node *n = &g->n[k];
        if (n->dead || n->op != TFLC_TFL_BUILTIN_OPERATOR_RESHAPE || n->nin < 1 || n->nout != 1) continue;
        int32_t x = n->in[0], y = n->out[0];
        if (x < 0 || y < 0 || tflc_ir_is_output(g, y)) continue;
        const struct tflc_ir_tensor *a = &g->t[x], *b = &g->t[y];
        if (a->rank != b->rank || memcmp(a->dims, b->dims, sizeof a->dims[0] * (size_t)a->rank) != 0) continue;
        rewire(g, y, x);
        n->dead = true;
        changed++;
    }
    return changed;
}
