/* Activation fusion: RELU, RELU6 and RELU_N1_TO_1 reading the only use of an op that has a
 * fused_activation_function option (conv, depthwise, fully connected, add, sub, mul, div,
 * concatenation, pools) become that option; the op then writes the activation's output. */
#include "format/tflite_schema.h"
#include "ir/pass.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x

static bool can_fuse_into(int32_t op) {
    switch (op) {
    case OP(CONV_2D): case OP(DEPTHWISE_CONV_2D): case OP(FULLY_CONNECTED): case OP(ADD): case OP(SUB):
    case OP(MUL): case OP(DIV): case OP(CONCATENATION): case OP(AVERAGE_POOL_2D): case OP(MAX_POOL_2D):
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

int tflc_pass_fuse_act(struct tflc_ir_graph *g) {
    int fused = 0;
    tflc_ir_refresh(g);
    for (int32_t k = 0; k < g->nn; k++) {
        struct tflc_ir_node *a = &g->n[k];
        int code = act_code(a->op);
        if (a->dead || code < 0 || a->nin != 1 || a->nout != 1) continue;
        int32_t x = a->in[0];
        if (x < 0 || g->t[x].producer < 0 || tflc_ir_is_output(g, x) || tflc_ir_use_count(g, x) != 1) continue;
        struct tflc_ir_node *p = &g->n[g->t[x].producer];
        if (p->dead || !can_fuse_into(p->op) || p->nout != 1) continue;
        const struct tflc_ir_opt *cur = tflc_ir_opt_get(p, "fused_activation_function");
        if (cur && cur->i != 0) continue;
        if (g->t[x].dtype != TFLC_DTYPE_FLOAT32) continue;
        tflc_ir_opt_int(g, g->t[x].producer, "fused_activation_function", code);
        p->out[0] = a->out[0];
        g->t[a->out[0]].producer = g->t[x].producer;
        a->dead = true;
        fused++;
    }
    return fused;
}
