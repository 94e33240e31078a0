/* TFLite's op versioning rules (see op_version.h), restated for the IR. */
#include "export/op_version.h"

#include <stdlib.h>
#include <string.h>

#include "format/tflite_schema.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x
#define T(x) TFLC_DTYPE_##x

static enum tflc_dtype in_type(const struct tflc_ir_graph *g, const struct tflc_ir_node *n, int i) {
    if (i >= n->nin || n->in[i] < 0) return TFLC_DTYPE_COUNT; /* "no type" */
    return g->t[n->in[i]].dtype;
}
static enum tflc_dtype out_type(const struct tflc_ir_graph *g, const struct tflc_ir_node *n, int i) {
    if (i >= n->nout || n->out[i] < 0) return TFLC_DTYPE_COUNT;
    return g->t[n->out[i]].dtype;
}
static int in_rank(const struct tflc_ir_graph *g, const struct tflc_ir_node *n, int i) {
    if (i >= n->nin || n->in[i] < 0) return 0;
    return g->t[n->in[i]].rank;
}
static int64_t opt_i(const struct tflc_ir_node *n, const char *f) {
    const struct tflc_ir_opt *o = tflc_ir_opt_get(n, f);
    return o ? o->i : 0;
}
static bool per_channel(const struct tflc_ir_graph *g, const struct tflc_ir_node *n, int i) {
    return i < n->nin && n->in[i] >= 0 && g->t[n->in[i]].q.count > 1;
}
static bool needs_broadcast(const struct tflc_ir_graph *g, const struct tflc_ir_node *n) {
    if (n->nin < 2 || n->in[0] < 0 || n->in[1] < 0) return false;
    const struct tflc_ir_tensor *a = &g->t[n->in[0]], *b = &g->t[n->in[1]];
    if (a->rank != b->rank) return true;
    for (int i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i]) return true;
    return false;
}
static int max_in_rank(const struct tflc_ir_graph *g, const struct tflc_ir_node *n) {
    int r = 0;
    for (int i = 0; i < n->nin; i++)
        if (in_rank(g, n, i) > r) r = in_rank(g, n, i);
    return r;
}
static bool quantized(const struct tflc_ir_graph *g, int32_t t) { return t >= 0 && g->t[t].q.count > 0; }

/* Versions that depend only on the first input being int8 (v2) / int16 (v3). */
static int by_s8_s16(enum tflc_dtype a) { return a == T(INT16) ? 3 : a == T(INT8) ? 2 : 1; }

int tflc_op_version(const struct tflc_ir_graph *g, int32_t k) {
    const struct tflc_ir_node *n = &g->n[k];
    enum tflc_dtype a = in_type(g, n, 0), w = in_type(g, n, 1), y = out_type(g, n, 0);
    switch (n->op) {
    case OP(CONV_2D): {
        bool grouped = n->nin > 1 && n->in[1] >= 0 && n->in[0] >= 0 &&
                       g->t[n->in[0]].dims[3] != g->t[n->in[1]].dims[3];
        if (a == T(INT16) && w == T(INT8) && y == T(INT16) && opt_i(n, "quantized_bias_type")) return 8;
        if (grouped) return 6;
        if (a == T(INT16) && w == T(INT16) && y == T(INT16)) return 4;
        if (a == T(INT8) && w == T(INT8) && y == T(INT8)) return 3;
        if (a == T(INT8) && w == T(INT4) && y == T(INT8)) return 7;
        if (a == T(FLOAT32) && w == T(INT8) && y == T(FLOAT32)) return per_channel(g, n, 1) ? 5 : 2;
        return 1;
    }
    case OP(DEPTHWISE_CONV_2D):
        if (a == T(INT16) && w == T(INT16) && y == T(INT16)) return 5;
        if (a == T(FLOAT32) && w == T(INT8) && y == T(FLOAT32)) return per_channel(g, n, 1) ? 6 : 4;
        if (a == T(INT8) && w == T(INT8) && y == T(INT8)) return 3;
        if (a == T(INT8) && w == T(INT4) && y == T(INT8)) return 7;
        if (opt_i(n, "dilation_w_factor") > 1 || opt_i(n, "dilation_h_factor") > 1) return 2;
        return 1;
    case OP(FULLY_CONNECTED):
        if (a == T(FLOAT32) && w == T(INT8) && y == T(FLOAT32) && per_channel(g, n, 1)) return 12;
        if (a == T(INT16) && w == T(INT8) && y == T(INT16) && opt_i(n, "quantized_bias_type")) return 11;
        if (a == T(INT16) && w == T(INT16) && y == T(INT16)) return 7;
        if (n->nin == 2 || (n->nin == 3 && n->in[2] < 0)) return 6;
        if (opt_i(n, "keep_num_dims")) return 5;
        if (a == T(INT8) && w == T(INT8) && y == T(INT8)) return 4;
        if (a == T(INT8) && w == T(INT4) && y == T(INT8)) return 10;
        if (a == T(FLOAT32) && w == T(INT8) && y == T(FLOAT32)) return opt_i(n, "asymmetric_quantize_inputs") ? 9 : 3;
        if (opt_i(n, "weights_format")) return 2;
        return 1;
    case OP(GATHER):
        if (a == T(INT4)) return 7;
        if (w == T(INT16)) return 6;
        if (opt_i(n, "batch_dims")) return 5;
        if (a == T(INT16)) return 4;
        if (a == T(BOOL)) return 3;
        if (a == T(INT8)) return 2;
        return 1;
    case OP(SVDF):
        if (a == T(INT8)) return 3;
        if (a == T(FLOAT32) && w == T(INT8) && y == T(FLOAT32)) return opt_i(n, "asymmetric_quantize_inputs") ? 4 : 2;
        return 1;
    case OP(MUL): {
        if ((a == T(INT16) && !quantized(g, n->in[0])) || a == T(UINT32)) return 7;
        if (a == T(COMPLEX64)) return 6;
        if (a == T(INT64)) return 5;
        if (a == T(INT16)) return 4;
        if (quantized(g, n->in[0]) && quantized(g, n->in[1]) && quantized(g, n->out[0])) {
            double s = (double)g->t[n->in[0]].q.scale[0] * g->t[n->in[1]].q.scale[0] / g->t[n->out[0]].q.scale[0];
            if (s >= 1.0) return 3;
        }
        return a == T(INT8) ? 2 : 1;
    }
    case OP(MAX_POOL_2D):
    case OP(AVERAGE_POOL_2D):
        if (a == T(INT16) && y == T(INT16)) return 3;
        return a == T(INT8) ? 2 : 1;
    case OP(TRANSPOSE):
        if (in_rank(g, n, 0) > 5) return 6;
        if (a == T(INT16)) return 5;
        if (in_rank(g, n, 0) > 4) return 4;
        if (a == T(BOOL)) return 3;
        return a == T(INT8) ? 2 : 1;
    case OP(TRANSPOSE_CONV): {
        enum tflc_dtype x = in_type(g, n, 2); /* the data input */
        if (x == T(INT16) && w == T(INT8) && y == T(INT16) && opt_i(n, "quantized_bias_type")) return 5;
        if (opt_i(n, "fused_activation_function")) return 4;
        if (n->nin == 4 && n->in[3] >= 0) return 3;
        return w == T(INT8) ? 2 : 1;
    }
    case OP(UNIDIRECTIONAL_SEQUENCE_LSTM): {
        enum tflc_dtype w2 = in_type(g, n, 2);
        if (a == T(INT16) && w2 == T(INT8) && y == T(INT16)) return 5;
        if (opt_i(n, "diagonal_recurrent_tensors")) return 4;
        if (a == T(FLOAT32) && w2 == T(INT8) && y == T(FLOAT32)) return opt_i(n, "asymmetric_quantize_inputs") ? 3 : 2;
        return 1;
    }
    case OP(SPLIT):
        if (w == T(INT16)) return 4;
        if (w == T(INT32)) return 3;
        return w == T(INT8) ? 2 : 1;
    case OP(SLICE):
        if (a == T(UINT32)) return 6;
        if (in_rank(g, n, 0) > 4) return 5;
        if (a == T(INT16)) return 4;
        if (a == T(STRING)) return 3;
        return a == T(INT8) ? 2 : 1;
    case OP(UNPACK):
        if (a == T(INT8) || a == T(UINT8)) return 2;
        if (a == T(BOOL)) return 3;
        if (a == T(INT16) && y == T(INT16)) return 4;
        return 1;
    case OP(DEQUANTIZE):
        if (a == T(INT4)) return 6;
        if (a == T(INT16) || a == T(FLOAT16)) return 3;
        if (a == T(INT8)) return per_channel(g, n, 0) ? 5 : 2;
        return 1;
    case OP(QUANTIZE):
        if (a == T(INT4) || y == T(INT4)) return 4;
        if (n->nout && quantized(g, n->out[0]) && g->t[n->out[0]].q.count > 1) return 3;
        return y == T(INT16) ? 2 : 1;
    case OP(L2_NORMALIZATION):
        return y == T(INT8) ? 2 : 1;
    case OP(ABS):
        if (a == T(INT32)) return 5;
        if (a == T(INT16)) return quantized(g, n->in[0]) ? 3 : 4;
        return a == T(INT8) || a == T(UINT8) ? 2 : 1;
    case OP(RELU):
        if (a == T(INT16)) return 3;
        return a == T(INT8) || a == T(UINT8) ? 2 : 1;
    case OP(STRIDED_SLICE):
        if (opt_i(n, "offset")) return 8;
        if (a == T(UINT32)) return 7;
        if (opt_i(n, "ellipsis_mask") || opt_i(n, "new_axis_mask")) return 6;
        if (a == T(STRING)) return 5;
        if (in_rank(g, n, 0) > 4) return 4;
        if (a == T(BOOL)) return 3;
        return a == T(INT8) ? 2 : 1;
    case OP(RESIZE_BILINEAR):
        if (a == T(INT16)) return 4;
        if (opt_i(n, "half_pixel_centers")) return 3;
        return a == T(INT8) ? 2 : 1;
    case OP(RESIZE_NEAREST_NEIGHBOR):
        if (a == T(INT16)) return 4;
        if (opt_i(n, "half_pixel_centers") || opt_i(n, "align_corners")) return 3;
        return a == T(INT8) ? 2 : 1;
    case OP(MAXIMUM):
    case OP(MINIMUM):
        if (a == T(INT16) && y == T(INT16)) return 4;
        if (needs_broadcast(g, n) && max_in_rank(g, n) > 4) return 3;
        return a == T(INT8) ? 2 : 1;
    case OP(PACK):
        if (a == T(INT8)) return 2;
        if (a == T(INT16) && y == T(INT16)) return 3;
        if (a == T(UINT32)) return 4;
        return 1;
    case OP(SQUEEZE):
        return a == T(STRING) ? 2 : 1;
    case OP(ADD):
        if (a == T(INT16) && !quantized(g, n->in[0])) return 5;
        if (a == T(INT64)) return 4;
        if (a == T(INT16) && y == T(INT16)) {
            const struct tflc_ir_opt *o = tflc_ir_opt_get(n, "pot_scale_int16");
            if (o && !o->i) return 3;
        }
        return a == T(INT8) ? 2 : 1;
    case OP(SUB):
        if (a == T(INT16) && y == T(INT16)) {
            const struct tflc_ir_opt *o = tflc_ir_opt_get(n, "pot_scale_int16");
            if (o && !o->i) return 5;
        }
        if (a == T(INT64)) return 4;
        if (needs_broadcast(g, n) && max_in_rank(g, n) > 4) return 3;
        return a == T(INT8) ? 2 : 1;
    case OP(DIV):
        return needs_broadcast(g, n) && max_in_rank(g, n) > 4 ? 2 : 1;
    case OP(TANH):
    case OP(LOGISTIC):
        if (a == T(INT16) && y == T(INT16)) return 3;
        return a == T(INT8) ? 2 : 1;
    case OP(LEAKY_RELU):
        return a == T(INT16) ? 2 : 1;
    case OP(BATCH_MATMUL):
        if (a == T(INT16)) return 3;
        if (a == T(INT8)) return 2;
        if (a == T(FLOAT32) && w == T(INT8) && y == T(FLOAT32) && opt_i(n, "asymmetric_quantize_inputs")) return 4;
        return 1;
    case OP(PAD):
    case OP(PADV2):
        if (in_rank(g, n, 0) > 4) return 4;
        return by_s8_s16(a);
    case OP(CONCATENATION):
        if (a == T(UINT32)) return 4;
        return by_s8_s16(a);
    case OP(SOFTMAX):
    case OP(MEAN):
    case OP(MIRROR_PAD):
    case OP(REDUCE_MAX):
    case OP(REDUCE_MIN):
    case OP(RELU6):
    case OP(RSQRT):
        return by_s8_s16(a);
    case OP(SPACE_TO_DEPTH):
    case OP(SPLIT_V):
    case OP(SUM):
    case OP(LOG_SOFTMAX):
    case OP(GREATER):
    case OP(LESS_EQUAL):
    case OP(SQUARED_DIFFERENCE):
    case OP(DEPTH_TO_SPACE):
        return a == T(INT8) ? 2 : 1;
    case OP(EXP):
    case OP(LOG):
    case OP(REDUCE_PROD):
        return a == T(INT8) || a == T(INT16) ? 2 : 1;
    case OP(CAST):
        if (a == T(BFLOAT16) || y == T(BFLOAT16)) return 7;
        if (a == T(INT4) && y == T(FLOAT32)) return 6;
        if (a == T(FLOAT64) || y == T(FLOAT64) || a == T(FLOAT16) || y == T(FLOAT16)) return 5;
        if (a == T(UINT16) || y == T(UINT16)) return 4;
        if (a == T(INT8) || y == T(INT8)) return 3;
        if (a == T(UINT32) || y == T(UINT32)) return 2;
        return 1;
    case OP(GELU):
        return a == T(INT8) || a == T(UINT8) ? 2 : 1;
    default:
        return 1;
    }
}

/* Minimum runtime per (op, version): TFLite's release history, as data. */
static const struct { int32_t op; int8_t v; const char *rt; } runtimes[] = {
#define R(o, v, s) {OP(o), v, s},
    R(AVERAGE_POOL_2D, 1, "1.5.0") R(AVERAGE_POOL_2D, 2, "1.14.0") R(AVERAGE_POOL_2D, 3, "2.3.0")
    R(BATCH_MATMUL, 1, "2.3.0") R(BATCH_MATMUL, 2, "2.3.0") R(BATCH_MATMUL, 3, "2.4.0") R(BATCH_MATMUL, 4, "2.5.0")
    R(CONV_2D, 1, "1.5.0") R(CONV_2D, 2, "1.14.0") R(CONV_2D, 3, "1.14.0") R(CONV_2D, 4, "2.3.0")
    R(CONV_2D, 5, "2.4.0") R(CONV_2D, 6, "2.9.0") R(CONV_2D, 7, "2.11.0") R(CONV_2D, 8, "2.15.0")
    R(DEPTHWISE_CONV_2D, 1, "1.5.0") R(DEPTHWISE_CONV_2D, 2, "1.12.0") R(DEPTHWISE_CONV_2D, 3, "1.14.0")
    R(DEPTHWISE_CONV_2D, 4, "2.2.0") R(DEPTHWISE_CONV_2D, 5, "2.3.0") R(DEPTHWISE_CONV_2D, 6, "2.3.0")
    R(DEPTHWISE_CONV_2D, 7, "2.11.0")
    R(ADD, 1, "1.5.0") R(ADD, 2, "1.14.0") R(ADD, 3, "2.4.0") R(ADD, 4, "2.6.0") R(ADD, 5, "2.13.0")
    R(SUB, 1, "1.6.0") R(SUB, 2, "1.14.0") R(SUB, 3, "2.3.0") R(SUB, 4, "2.4.0") R(SUB, 5, "2.4.0")
    R(DIV, 1, "1.6.0") R(DIV, 2, "2.3.0")
    R(CAST, 1, "1.5.0") R(CAST, 2, "2.7.0") R(CAST, 3, "2.8.0") R(CAST, 4, "2.9.0") R(CAST, 5, "2.12.0")
    R(CAST, 6, "2.15.0") R(CAST, 7, "2.17.0")
    R(CONCATENATION, 1, "1.5.0") R(CONCATENATION, 2, "1.14.0") R(CONCATENATION, 3, "2.3.0") R(CONCATENATION, 4, "2.14.0")
    R(DEPTH_TO_SPACE, 1, "2.1.0") R(DEPTH_TO_SPACE, 2, "2.5.0")
    R(EMBEDDING_LOOKUP, 1, "1.13.0") R(EMBEDDING_LOOKUP, 2, "1.14.0") R(EMBEDDING_LOOKUP, 3, "1.14.0")
    R(FULLY_CONNECTED, 1, "1.5.0") R(FULLY_CONNECTED, 2, "1.10.0") R(FULLY_CONNECTED, 3, "1.14.0")
    R(FULLY_CONNECTED, 4, "1.14.0") R(FULLY_CONNECTED, 5, "2.0.0") R(FULLY_CONNECTED, 6, "2.1.0")
    R(FULLY_CONNECTED, 7, "2.3.0") R(FULLY_CONNECTED, 8, "2.3.0") R(FULLY_CONNECTED, 9, "2.3.0")
    R(FULLY_CONNECTED, 10, "2.11.0") R(FULLY_CONNECTED, 11, "2.15.0") R(FULLY_CONNECTED, 12, "2.17.0")
    R(GATHER, 1, "1.6.0") R(GATHER, 2, "1.14.0") R(GATHER, 3, "1.15.0") R(GATHER, 4, "2.4.0")
    R(GATHER, 5, "2.5.0") R(GATHER, 6, "2.13.0") R(GATHER, 7, "2.15.0")
    R(SVDF, 1, "1.5.0") R(SVDF, 2, "1.14.0") R(SVDF, 3, "2.2.0") R(SVDF, 4, "2.3.0")
    R(L2_NORMALIZATION, 1, "1.5.0") R(L2_NORMALIZATION, 2, "1.14.0")
    R(MAX_POOL_2D, 1, "1.5.0") R(MAX_POOL_2D, 2, "1.14.0") R(MAX_POOL_2D, 3, "2.3.0")
    R(MAXIMUM, 1, "1.14.0") R(MAXIMUM, 2, "1.14.0") R(MAXIMUM, 3, "2.3.0") R(MAXIMUM, 4, "2.3.0")
    R(MINIMUM, 1, "1.14.0") R(MINIMUM, 2, "1.14.0") R(MINIMUM, 3, "2.3.0") R(MINIMUM, 4, "2.3.0")
    R(MUL, 1, "1.5.0") R(MUL, 2, "1.14.0") R(MUL, 3, "1.15.0") R(MUL, 4, "2.3.0") R(MUL, 5, "2.6.0")
    R(MUL, 6, "2.11.0") R(MUL, 7, "2.13.0")
    R(PAD, 1, "1.5.0") R(PAD, 2, "1.14.0") R(PAD, 3, "2.4.0") R(PAD, 4, "2.6.0")
    R(PADV2, 1, "1.9.0") R(PADV2, 2, "1.14.0") R(PADV2, 3, "2.4.0") R(PADV2, 4, "2.6.0")
    R(TILE, 1, "1.10.1") R(TILE, 2, "2.2.0") R(TILE, 3, "2.8.0")
    R(RESHAPE, 1, "1.5.0")
    R(SOFTMAX, 1, "1.5.0") R(SOFTMAX, 2, "1.14.0") R(SOFTMAX, 3, "2.3.0")
    R(SPACE_TO_DEPTH, 1, "1.5.0") R(SPACE_TO_DEPTH, 2, "1.14.0")
    R(TRANSPOSE, 1, "1.6.0") R(TRANSPOSE, 2, "1.14.0") R(TRANSPOSE, 3, "1.15.0") R(TRANSPOSE, 4, "2.3.0")
    R(TRANSPOSE, 5, "2.4.0") R(TRANSPOSE, 6, "2.12.0")
    R(UNIDIRECTIONAL_SEQUENCE_LSTM, 1, "1.13.1") R(UNIDIRECTIONAL_SEQUENCE_LSTM, 2, "1.14.0")
    R(UNIDIRECTIONAL_SEQUENCE_LSTM, 3, "2.3.0") R(UNIDIRECTIONAL_SEQUENCE_LSTM, 4, "2.12.0")
    R(MEAN, 1, "1.6.0") R(MEAN, 2, "1.14.0") R(MEAN, 3, "2.4.0")
    R(SUM, 1, "1.10.0") R(SUM, 2, "1.15.0")
    R(REDUCE_MAX, 1, "1.11.0") R(REDUCE_MAX, 2, "1.14.0") R(REDUCE_MAX, 3, "2.5.0")
    R(REDUCE_MIN, 1, "1.11.0") R(REDUCE_MIN, 2, "1.14.0") R(REDUCE_MIN, 3, "2.5.0")
    R(RELU6, 1, "1.5.0") R(RELU6, 2, "1.14.0") R(RELU6, 3, "2.5.0")
    R(RESIZE_BILINEAR, 1, "1.7.0") R(RESIZE_BILINEAR, 2, "1.14.0") R(RESIZE_BILINEAR, 3, "2.2.0") R(RESIZE_BILINEAR, 4, "2.5.0")
    R(RESIZE_NEAREST_NEIGHBOR, 1, "1.13.1") R(RESIZE_NEAREST_NEIGHBOR, 2, "1.14.0")
    R(RESIZE_NEAREST_NEIGHBOR, 3, "2.3.0") R(RESIZE_NEAREST_NEIGHBOR, 4, "2.4.0")
    R(SQUEEZE, 1, "1.6.0") R(SQUEEZE, 2, "2.5.0")
    R(SPLIT, 1, "1.5.0") R(SPLIT, 2, "1.14.0") R(SPLIT, 3, "1.14.0") R(SPLIT, 4, "2.3.0")
    R(SPLIT_V, 1, "1.13.1") R(SPLIT_V, 2, "2.3.0")
    R(STRIDED_SLICE, 1, "1.6.0") R(STRIDED_SLICE, 2, "1.14.0") R(STRIDED_SLICE, 3, "2.1.0") R(STRIDED_SLICE, 4, "2.2.0")
    R(STRIDED_SLICE, 5, "2.5.0") R(STRIDED_SLICE, 6, "2.6.0") R(STRIDED_SLICE, 7, "2.14.0") R(STRIDED_SLICE, 8, "2.14.0")
    R(TRANSPOSE_CONV, 1, "1.9.0") R(TRANSPOSE_CONV, 2, "2.2.0") R(TRANSPOSE_CONV, 3, "2.3.0")
    R(TRANSPOSE_CONV, 4, "2.13.0") R(TRANSPOSE_CONV, 5, "2.15.0")
    R(EXPAND_DIMS, 1, "1.10.0")
    R(PACK, 1, "1.11.0") R(PACK, 2, "1.14.0") R(PACK, 3, "2.3.0") R(PACK, 4, "2.13.0")
    R(SHAPE, 1, "1.10.0")
    R(SLICE, 1, "1.14.0") R(SLICE, 2, "1.14.0") R(SLICE, 3, "1.14.0") R(SLICE, 4, "2.4.0") R(SLICE, 5, "2.5.0") R(SLICE, 6, "2.14.0")
    R(TANH, 1, "1.14.0") R(TANH, 2, "1.14.0") R(TANH, 3, "2.3.0")
    R(UNPACK, 1, "1.11.0") R(UNPACK, 2, "1.14.0") R(UNPACK, 3, "2.2.0") R(UNPACK, 4, "2.3.0")
    R(LEAKY_RELU, 1, "1.13.1") R(LEAKY_RELU, 2, "2.3.0")
    R(LOGISTIC, 1, "1.14.0") R(LOGISTIC, 2, "1.14.0") R(LOGISTIC, 3, "2.3.0")
    R(LOG_SOFTMAX, 1, "1.14.0") R(LOG_SOFTMAX, 2, "1.14.0")
    R(SQUARED_DIFFERENCE, 1, "1.13.1") R(SQUARED_DIFFERENCE, 2, "2.5.0")
    R(MIRROR_PAD, 1, "1.13.1") R(MIRROR_PAD, 2, "2.3.0") R(MIRROR_PAD, 3, "2.12.0")
    R(DEQUANTIZE, 1, "1.13.1") R(DEQUANTIZE, 2, "1.14.0") R(DEQUANTIZE, 3, "1.15.0") R(DEQUANTIZE, 4, "2.2.0")
    R(DEQUANTIZE, 5, "2.7.0") R(DEQUANTIZE, 6, "2.18.0")
    R(QUANTIZE, 1, "1.14.0") R(QUANTIZE, 2, "1.15.0") R(QUANTIZE, 3, "2.7.0")
    R(RELU, 1, "1.5.0") R(RELU, 2, "2.1.0") R(RELU, 3, "2.5.0")
    R(RELU_N1_TO_1, 1, "1.5.0") R(PRELU, 1, "1.8.0") R(ELU, 1, "1.14.0") R(HARD_SWISH, 1, "1.15.0")
    R(EXP, 1, "1.7.0") R(EXP, 2, "2.12.0") R(NEG, 1, "1.9.0") R(LOG, 1, "1.14.0") R(LOG, 2, "2.15.0")
    R(SQRT, 1, "1.10.0") R(RSQRT, 1, "1.10.0") R(RSQRT, 2, "2.5.0") R(RSQRT, 3, "2.15.0") R(SQUARE, 1, "1.12.0")
    R(ABS, 1, "1.13.0") R(ABS, 2, "2.4.0") R(ABS, 3, "2.5.0") R(ABS, 4, "2.6.0") R(ABS, 5, "2.12.0")
    R(GELU, 1, "2.9.0") R(GELU, 2, "2.9.0") R(POW, 1, "1.10.0") R(FILL, 1, "1.13.0") R(TILE, 1, "1.10.1")
    R(ARG_MAX, 1, "1.9.0") R(ARG_MAX, 2, "1.14.0") R(ARG_MAX, 3, "2.9.0")
#undef R
};

const char *tflc_op_min_runtime(int32_t builtin, int version) {
    for (size_t i = 0; i < sizeof runtimes / sizeof runtimes[0]; i++)
        if (runtimes[i].op == builtin && runtimes[i].v == version) return runtimes[i].rt;
    return NULL;
}

int tflc_runtime_version_cmp(const char *a, const char *b) {
    while (*a || *b) {
        long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
        if (x != y) return x < y ? -1 : 1;
        if (*a == '.') a++;
        if (*b == '.') b++;
        if (!*a && *b) return -1;
        if (*a && !*b) return 1;
    }
    return 0;
}
