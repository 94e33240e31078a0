/* Activation fusion: RELU, RELU6 and RELU_N1_TO_1 reading the only use of an op that has a
 * fused_activation_function option TFLite's kernels honour (conv, depthwise, fully connected,
 * add, sub, mul, div, pools) become that option; the op then writes the activation's output.
 * CONCATENATION has the option too, but TFLite's kernel refuses anything but NONE.
 * An activation may also sit after a RESHAPE of such an op's only use (Conv1D's squeeze, a
 * Flatten): being elementwise, it moves before the reshape and fuses there. */
#include "format/tflite_schema.h"
#include "ir/pass.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x

static bool can_fuse_into(int32_t op) {
    switch (op) {
    case OP(CONV_2D): case OP(DEPTHWISE_CONV_2D): case OP(FULLY_CONNECTED): case OP(ADD): case OP(SUB):
    case OP(MUL): case OP(DIV): case OP(AVERAGE_POOL_2D): case OP(MAX_POOL_2D):
        return true;
    default:
        return false;
    }
}

static int act_code(int32_t op) {
    switch (op) {
    case OP(RELU): return TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU;
    case OP(RELU6): return TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6;
    case OP(RELU_N1_TO_1): return TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1;
    default: return -1;
    }
}

/* Producer of x when x is its only use and not a graph output, else -1. */
static int32_t sole_producer(const struct tflc_ir_graph *g, int32_t x) {
    if (x < 0 || g->t[x].producer < 0 || tflc_ir_is_output(g, x) || tflc_ir_use_count(g, x) != 1) return -1;
    return g->n[g->t[x].producer].dead ? -1 : g->t[x].producer;
}

int tflc_pass_fuse_act(struct tflc_ir_graph *g) {
    int fused = 0;
    tflc_ir_refresh(g);
    for (int32_t k = 0; k < g->nn; k++) {
        struct tflc_ir_node *a = &g->n[k];
        int code = act_code(a->op);
        if (a->dead || code < 0 || a->nin != 1 || a->nout != 1) continue;
        int32_t x = a->in[0];
        int32_t pk = sole_producer(g, x), rk = -1;
        if (pk >= 0 && g->n[pk].op == OP(RESHAPE) && g->n[pk].nout == 1) { /* look through one reshape */
            rk = pk;
            pk = sole_producer(g, g->n[rk].in[0]);
        }
        if (pk < 0) continue;
        struct tflc_ir_node *p = &g->n[pk];
        if (!can_fuse_into(p->op) || p->nout != 1) continue;
        const struct tflc_ir_opt *cur = tflc_ir_opt_get(p, "fused_activation_function");
        if (cur && cur->i != 0) continue;
        if (g->t[x].dtype != TFLC_DTYPE_FLOAT32) continue;
        tflc_ir_opt_int(g, pk, "fused_activation_function", code);
        /* The activation's output is now written by the op, or by the reshape after it. */
        int32_t w = rk >= 0 ? rk : pk;
        g->n[w].out[0] = a->out[0];
        g->t[a->out[0]].producer = w;
        a->dead = true;
        fused++;
    }
    return fused;
}
