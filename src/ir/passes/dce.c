/* Dead code elimination: a node none of whose outputs is read (by a live node or as a graph
 * output) is removed; repeated until stable by tflc_ir_optimize. */
#include "ir/pass.h"

int tflc_pass_dce(struct tflc_ir_graph *g) {
    int removed = 0;
    for (int32_t k = g->nn - 1; k >= 0; k--) {
        struct tflc_ir_node *n = &g->n[k];
        if (n->dead) continue;
        bool used = false;
        for (int i = 0; i < n->nout && !used; i++) {
            int32_t t = n->out[i];
            if (t < 0) continue;
            if (tflc_ir_is_output(g, t) || g->t[t].is_variable || tflc_ir_use_count(g, t) > 0) used = true;
        }
        if (!used) {
            n->dead = true;
            removed++;
        }
    }
    return removed;
}
