/* Graph fusion before prepare: PAD -> CONV_2D / DEPTHWISE_CONV_2D (padding VALID) becomes the
 * conv alone, reading the PAD's input with the PAD's spatial padding as its own (TFLite's
 * XNNPACK delegate fuses the same pattern). Keras writes ZeroPadding2D + a VALID stride-2 conv
 * for every downsampling block of MobileNet v1/v2 and ResNet, and the PAD costs a full copy of
 * a large activation (6% of MobileNetV2's float time).
 *
 * Why the result is the same: a PAD writes the pad value, 0 for float and the output zero
 * point for quantized tensors (TFLite's rule when PAD has no constant_values), and a conv's
 * padding stands for exactly that value: the float kernels add nothing for taps outside the
 * input, the quantized ones subtract the input zero point. Fused only when the PAD changes
 * neither type nor quantization, pads only H and W of a rank-4 tensor with constant
 * non-negative amounts, and its output is read by that one conv input and is not a graph
 * output; anything else keeps both nodes. The PAD node stays in the op list (profiles and op
 * indices do not change) with no inputs, no outputs and an empty eval.
 *
 * PAD -> MAX_POOL_2D (padding VALID; ResNet's stem) fuses only when the result cannot change:
 * max pooling clips its windows to the input (padded cells never win), the PAD's cells hold the
 * pad value, so the two agree when no input is below the pad value, i.e. when the PAD's input
 * comes out of a fused RELU / RELU6 (>= 0, quantized >= the zero point, which is the pad value),
 * and when every window still touches the input (each pad smaller than the window). */
#include <string.h>

#include "runtime/interp.h"

static enum tflc_status eval_fused_away(const struct tflc_op_ctx *c) {
    (void)c;
    return TFLC_STATUS_OK;
}

static bool const_int(const struct tflc_interp *it, int32_t t, size_t i, int64_t *v) {
    const struct tflc_tensor *x = &it->tensors[t];
    if (it->trt[t].kind != TK_CONST || !x->data) return false;
    if (x->dtype == TFLC_DTYPE_INT32 && x->bytes >= (i + 1) * 4) {
        int32_t a;
        memcpy(&a, (const uint8_t *)x->data + i * 4, 4);
        *v = a;
        return true;
    }
    if (x->dtype == TFLC_DTYPE_INT64 && x->bytes >= (i + 1) * 8) {
        int64_t a;
        memcpy(&a, (const uint8_t *)x->data + i * 8, 8);
        *v = a;
        return true;
    }
    return false;
}

static bool same_quant(const struct tflc_quant *a, const struct tflc_quant *b) {
    return a->num_scales <= 1 && b->num_scales <= 1 && a->scale == b->scale && a->zero_point == b->zero_point;
}

/* The node writing tensor t, or -1. */
static int32_t producer(const struct tflc_interp *it, int32_t t) {
    for (int32_t k = 0; k < it->nops; k++)
        for (int32_t j = 0; j < it->nodes[k].noutputs; j++)
            if (it->nodes[k].outputs[j] == t) return k;
    return -1;
}

/* Tensor t is written by an op whose fused activation is RELU or RELU6 (values >= 0). */
static bool relu_output(const struct tflc_interp *it, int32_t t) {
    const int32_t k = producer(it, t);
    if (k < 0) return false;
    const struct tflc_node *n = &it->nodes[k];
    int act;
    switch (n->op) {
    case TFLC_OP_CONV_2D: act = tflc_tfl_conv2d_options_fused_activation_function(n->options); break;
    case TFLC_OP_DEPTHWISE_CONV_2D: act = tflc_tfl_depthwise_conv2d_options_fused_activation_function(n->options); break;
    case TFLC_OP_RELU:
    case TFLC_OP_RELU6: return true;
    default: return false;
    }
    return act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU || act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6;
}

/* The reader of tensor t: the only (node, input slot) that reads it, or false. */
static bool only_reader(const struct tflc_interp *it, int32_t t, int32_t *node, int32_t *slot) {
    for (int32_t i = 0; i < it->noutputs; i++)
        if (it->outputs[i] == t) return false;
    int n = 0;
    for (int32_t k = 0; k < it->nops; k++) {
        const struct tflc_node *nd = &it->nodes[k];
        for (int32_t j = 0; j < nd->ninputs; j++)
            if (nd->inputs[j] == t) n++, *node = k, *slot = j;
        for (int32_t j = 0; j < nd->nintermediates; j++)
            if (nd->intermediates[j] == t) return false;
    }
    return n == 1;
}

enum tflc_status tflc_fuse_pads(struct tflc_interp *it) {
    for (int32_t k = 0; k < it->nops; k++) {
        struct tflc_node *pad = &it->nodes[k];
        if (pad->op != TFLC_OP_PAD || pad->ninputs != 2 || pad->noutputs != 1) continue;
        const int32_t xi = pad->inputs[0], pi = pad->inputs[1], yi = pad->outputs[0];
        if (xi < 0 || pi < 0 || yi < 0 || it->trt[yi].kind != TK_ACT) continue;
        const struct tflc_tensor *x = &it->tensors[xi], *y = &it->tensors[yi], *p = &it->tensors[pi];
        if (x->rank != 4 || y->rank != 4 || p->rank != 2 || p->dims[0] != 4 || p->dims[1] != 2) continue;
        if (x->dtype != y->dtype || !same_quant(&x->quant, &y->quant)) continue;
        if (x->dtype != TFLC_DTYPE_FLOAT32 && x->dtype != TFLC_DTYPE_INT8 && x->dtype != TFLC_DTYPE_UINT8) continue;
        int64_t v[8];
        bool ok = true;
        for (size_t i = 0; i < 8 && ok; i++) ok = const_int(it, pi, i, &v[i]) && v[i] >= 0 && v[i] <= 65536;
        if (!ok || v[0] || v[1] || v[6] || v[7]) continue;
        int32_t ck = -1, slot = -1;
        if (!only_reader(it, yi, &ck, &slot) || slot != 0 || ck <= k) continue;
        struct tflc_node *conv = &it->nodes[ck];
        int padding;
        if (conv->op == TFLC_OP_CONV_2D) {
            padding = tflc_tfl_conv2d_options_padding(conv->options);
        } else if (conv->op == TFLC_OP_DEPTHWISE_CONV_2D) {
            padding = tflc_tfl_depthwise_conv2d_options_padding(conv->options);
        } else if (conv->op == TFLC_OP_MAX_POOL_2D) {
            padding = tflc_tfl_pool2d_options_padding(conv->options);
            const int64_t kh = tflc_tfl_pool2d_options_filter_height(conv->options);
            const int64_t kw = tflc_tfl_pool2d_options_filter_width(conv->options);
            if (v[2] >= kh || v[3] >= kh || v[4] >= kw || v[5] >= kw || !relu_output(it, xi)) continue;
        } else {
            continue;
        }
        if (padding != TFLC_TFL_PADDING_VALID || conv->has_fused_pad || conv->ninputs < 1) continue;
        int32_t *ins = tflc_interp_alloc_tail(it, sizeof *ins * (size_t)conv->ninputs, 4);
        if (!ins) return TFLC_STATUS_ARENA_TOO_SMALL;
        memcpy(ins, conv->inputs, sizeof *ins * (size_t)conv->ninputs);
        ins[0] = xi;
        conv->inputs = ins;
        conv->has_fused_pad = true;
        conv->fused_pad[0] = (int32_t)v[2];
        conv->fused_pad[1] = (int32_t)v[3];
        conv->fused_pad[2] = (int32_t)v[4];
        conv->fused_pad[3] = (int32_t)v[5];
        pad->ninputs = pad->noutputs = 0;
        pad->fused_away = true;
        pad->eval = eval_fused_away;
    }
    return TFLC_STATUS_OK;
}
