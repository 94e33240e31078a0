/* Which operators Google's default CPU runtime hands to its XNNPACK delegate.
 *
 * TFLC_ARITH_XNNPACK reproduces TFLite's CPU interpreter of the 2.11 era as Google ships it
 * (tf.lite.Interpreter, the WebAssembly build in npm @tensorflow/tfjs-tflite 0.0.1-alpha.10
 * that tflc's tests compare with): the XNNPACK delegate (QS8 and QU8 enabled) takes every
 * node it supports, TFLite's builtin kernels run the rest. Whether a node goes to XNNPACK
 * changes its 8-bit arithmetic, so kernels ask (tflc_op_uses_xnnpack) at prepare.
 *
 * The decision has the delegate's two stages (tensorflow/lite/delegates/xnnpack/
 * xnnpack_delegate.cc):
 *  1. selection, node by node (Delegate::PrepareOpsToDelegate -> Subgraph::VisitNode with no
 *     subgraph): op type, tensor types (float32, or 8-bit with one scale and quantized
 *     dimension 0; per-channel int8 filters where the op allows them), static weights,
 *     ranks, options, and the scale-ratio checks the delegate makes itself;
 *  2. creation of the XNNPACK runtime for the selected nodes (Subgraph::Create: every tensor
 *     those nodes touch must be a definable XNNPACK value, then xnn_create_runtime creates
 *     one operator per node, which validates parameters the delegate did not check, e.g. a
 *     convolution's requantization scale must be below 256). If any of that fails, TFLite
 *     reports "failed to create XNNPACK runtime", restores the original execution plan and the
 *     whole model runs on the builtin kernels: no node gets XNNPACK arithmetic.
 * Float-only visitors matter only through stage 2 (the tensors they touch); their float
 * arithmetic is not modelled. All of this reads declared shapes and constants, as the
 * delegate does before the builtin kernels' Prepare. */
#include <math.h>
#include <string.h>

#include "runtime/interp.h"

enum { XNN_MAX_DIMS = 6 }; /* XNN_MAX_TENSOR_DIMS */

struct sel {
    const struct tflc_interp *it;
    const struct tflc_node *n;
};

static const struct tflc_tensor *tin(const struct sel *s, int i) {
    if (i < 0 || i >= s->n->ninputs || s->n->inputs[i] < 0) return NULL;
    return &s->it->tensors[s->n->inputs[i]];
}
static const struct tflc_tensor *tout(const struct sel *s, int i) {
    if (i < 0 || i >= s->n->noutputs || s->n->outputs[i] < 0) return NULL;
    return &s->it->tensors[s->n->outputs[i]];
}
static bool is_static(const struct sel *s, const struct tflc_tensor *t) {
    return t && s->it->trt[t - s->it->tensors].kind == TK_CONST;
}

/* One scale with quantized dimension 0: how the delegate's CheckTensor*Type helpers define
 * a per-tensor quantized tensor. */
static bool per_tensor(const struct tflc_tensor *t) { return t->quant.num_scales == 1 && t->quant.axis == 0; }
static bool is_f32(const struct tflc_tensor *t) { return t && t->dtype == TFLC_DTYPE_FLOAT32; }
static bool is_q8(const struct tflc_tensor *t) {
    return t && (t->dtype == TFLC_DTYPE_INT8 || t->dtype == TFLC_DTYPE_UINT8) && per_tensor(t);
}
/* CheckTensorFloat32OrQUInt8Type (float32, int8 or uint8 per tensor). */
static bool f32_q8(const struct tflc_tensor *t) { return is_f32(t) || is_q8(t); }
/* CheckTensorFloat32OrQInt8Type (no uint8). */
static bool f32_s8(const struct tflc_tensor *t) {
    return is_f32(t) || (t && t->dtype == TFLC_DTYPE_INT8 && per_tensor(t));
}
/* CheckTensorFloat32OrQCInt8Type: int8 per tensor or per channel along `axis`. */
static bool f32_qc8(const struct tflc_tensor *t, int32_t axis) {
    if (is_f32(t)) return true;
    if (!t) return false;
    if (t->dtype == TFLC_DTYPE_INT8) return t->quant.num_scales == 1 || (t->quant.num_scales > 1 && t->quant.axis == axis);
    return t->dtype == TFLC_DTYPE_UINT8 && per_tensor(t);
}
/* CheckTensorFloat32OrQInt32Type / CheckTensorFloat32OrQCInt32Type (biases). */
static bool f32_qi32(const struct tflc_tensor *t) {
    return is_f32(t) || (t && t->dtype == TFLC_DTYPE_INT32 && per_tensor(t));
}
static bool f32_qci32(const struct tflc_tensor *t) {
    return is_f32(t) || (t && t->dtype == TFLC_DTYPE_INT32 && t->quant.num_scales >= 1 && t->quant.axis == 0);
}
static bool rank_is(const struct tflc_tensor *t, int r) {
    if (!t || t->rank != r) return false;
    for (int i = 0; i < r; i++)
        if (t->dims[i] <= 0) return false;
    return true;
}
/* ConvertActivationToOutputRange accepts these. */
static bool act_ok(int act) {
    return act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE || act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU ||
           act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1 || act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6;
}
static bool io(const struct sel *s, int nin_min, int nin_max, int nout) {
    return s->n->ninputs >= nin_min && s->n->ninputs <= nin_max && s->n->noutputs == nout;
}
/* CheckTensorsInputOutputScale: only when both are the same 8-bit type. */
static bool ratio_ok(const struct tflc_tensor *x, const struct tflc_tensor *y, float lo, float hi) {
    if (x->dtype != y->dtype || (x->dtype != TFLC_DTYPE_INT8 && x->dtype != TFLC_DTYPE_UINT8)) return true;
    const float r = x->quant.scale / y->quant.scale;
    return !(r < lo || r >= hi);
}

/* ---- stage 1: Subgraph::VisitNode without a subgraph ---- */

static bool visit_binary(const struct sel *s, int act, bool mul) {
    const struct tflc_tensor *a = tin(s, 0), *b = tin(s, 1), *y = tout(s, 0);
    if (!io(s, 2, 2, 1) || !f32_q8(a) || !f32_q8(b) || !f32_q8(y)) return false;
    if (mul) {
        if (a->dtype == b->dtype && a->dtype == y->dtype && (a->dtype == TFLC_DTYPE_INT8 || a->dtype == TFLC_DTYPE_UINT8)) {
            const float r = a->quant.scale * b->quant.scale / y->quant.scale;
            if (r < 0x1.0p-16f || r >= 256.0f) return false;
        }
    } else if (!ratio_ok(a, y, 1.0f / 1024.0f, 256.0f) || !ratio_ok(b, y, 1.0f / 1024.0f, 256.0f)) {
        return false;
    }
    return act_ok(act);
}

static bool visit_conv(const struct sel *s) {
    struct tflc_fb_table o = s->n->options;
    if (tflc_tfl_conv2d_options_stride_w(o) <= 0 || tflc_tfl_conv2d_options_stride_h(o) <= 0 ||
        tflc_tfl_conv2d_options_dilation_w_factor(o) <= 0 || tflc_tfl_conv2d_options_dilation_h_factor(o) <= 0)
        return false;
    const struct tflc_tensor *x = tin(s, 0), *w = tin(s, 1), *b = tin(s, 2), *y = tout(s, 0);
    if (!io(s, 3, 3, 1) || !f32_q8(x) || !rank_is(x, 4) || !f32_qc8(w, 0) || !rank_is(w, 4) || !is_static(s, w))
        return false;
    if (!b || !f32_qci32(b) || !rank_is(b, 1) || !is_static(s, b)) return false; /* "without bias" is refused */
    if (!f32_q8(y) || !rank_is(y, 4) || x->dtype != y->dtype || x->dtype != w->dtype) return false;
    const int pad = tflc_tfl_conv2d_options_padding(o);
    return (pad == TFLC_TFL_PADDING_SAME || pad == TFLC_TFL_PADDING_VALID) &&
           act_ok(tflc_tfl_conv2d_options_fused_activation_function(o));
}

static bool visit_dwconv(const struct sel *s) {
    struct tflc_fb_table o = s->n->options;
    const struct tflc_tensor *x = tin(s, 0), *w = tin(s, 1), *b = tin(s, 2), *y = tout(s, 0);
    if (!io(s, 3, 3, 1) || !f32_q8(x) || !rank_is(x, 4) || !f32_qc8(w, 3) || !rank_is(w, 4) || !is_static(s, w))
        return false;
    if (!b || !f32_qci32(b) || !rank_is(b, 1) || !is_static(s, b)) return false;
    if (!f32_q8(y) || !rank_is(y, 4) || x->dtype != y->dtype || x->dtype != w->dtype) return false;
    const int32_t dm = tflc_tfl_depthwise_conv2d_options_depth_multiplier(o);
    if (tflc_tfl_depthwise_conv2d_options_stride_w(o) <= 0 || tflc_tfl_depthwise_conv2d_options_stride_h(o) <= 0 ||
        dm <= 0 || w->dims[3] % dm != 0 || tflc_tfl_depthwise_conv2d_options_dilation_w_factor(o) <= 0 ||
        tflc_tfl_depthwise_conv2d_options_dilation_h_factor(o) <= 0)
        return false;
    const int pad = tflc_tfl_depthwise_conv2d_options_padding(o);
    return (pad == TFLC_TFL_PADDING_SAME || pad == TFLC_TFL_PADDING_VALID) &&
           act_ok(tflc_tfl_depthwise_conv2d_options_fused_activation_function(o));
}

static bool visit_fc(const struct sel *s) {
    struct tflc_fb_table o = s->n->options;
    if (s->n->version == 8) return false; /* sparse weights */
    if (tflc_tfl_fully_connected_options_weights_format(o) != 0) return false;
    const struct tflc_tensor *x = tin(s, 0), *w = tin(s, 1), *y = tout(s, 0);
    if (!io(s, 2, 3, 1) || !f32_q8(x) || !f32_q8(w) || !rank_is(w, 2) || !is_static(s, w)) return false;
    const struct tflc_tensor *b = tin(s, 2);
    if (b && (!f32_qi32(b) || !rank_is(b, 1) || !is_static(s, b))) return false;
    if (!f32_q8(y) || x->dtype != y->dtype || x->dtype != w->dtype || x->rank == 0) return false;
    int64_t n = 1;
    for (int i = 0; i < x->rank; i++) {
        if (x->dims[i] <= 0) return false;
        n *= x->dims[i];
    }
    const int32_t units = w->dims[0], depth = w->dims[1];
    if (tflc_tfl_fully_connected_options_keep_num_dims(o)) {
        if (!rank_is(y, x->rank)) return false;
        for (int i = 0; i < x->rank - 1; i++)
            if (x->dims[i] != y->dims[i]) return false;
    } else {
        if (n % depth != 0 || !rank_is(y, 2) || y->dims[0] != n / depth) return false;
    }
    return y->dims[y->rank - 1] == units && act_ok(tflc_tfl_fully_connected_options_fused_activation_function(o));
}

static bool visit_tconv(const struct sel *s) {
    struct tflc_fb_table o = s->n->options;
    const struct tflc_tensor *shape = tin(s, 0), *w = tin(s, 1), *x = tin(s, 2), *y = tout(s, 0);
    if (!io(s, 3, 4, 1) || !shape || shape->dtype != TFLC_DTYPE_INT32 || shape->rank != 1 || !is_static(s, shape) ||
        shape->dims[0] != 4)
        return false;
    if (!f32_q8(w) || !rank_is(w, 4) || !is_static(s, w) || !f32_q8(x) || !rank_is(x, 4)) return false;
    const struct tflc_tensor *b = tin(s, 3);
    if (b && (!f32_qi32(b) || !rank_is(b, 1) || !is_static(s, b))) return false;
    if (!f32_q8(y) || !rank_is(y, 4)) return false;
    const int32_t *os = shape->data;
    const int32_t oh = os[1], ow = os[2], kh = w->dims[1], kw = w->dims[2];
    const int32_t sh = tflc_tfl_transpose_conv_options_stride_h(o), sw = tflc_tfl_transpose_conv_options_stride_w(o);
    if (w->dims[0] != os[3] || w->dims[3] != x->dims[3] || sh <= 0 || sw <= 0) return false;
    const int pad = tflc_tfl_transpose_conv_options_padding(o);
    if (pad == TFLC_TFL_PADDING_VALID) return kh <= oh && kw <= ow;
    if (pad != TFLC_TFL_PADDING_SAME) return false;
    /* SAME: the input must be what a CONV_2D from the output gives, and kernel >= stride. */
    if ((oh + sh - 1) / sh != x->dims[1] || (ow + sw - 1) / sw != x->dims[2]) return false;
    return kh >= sh && kw >= sw;
}

static bool visit_mean(const struct sel *s) {
    const struct tflc_tensor *x = tin(s, 0), *ax = tin(s, 1), *y = tout(s, 0);
    if (!io(s, 2, 2, 1) || !f32_q8(x) || !rank_is(x, 4)) return false;
    if (!ax || ax->dtype != TFLC_DTYPE_INT32 || ax->rank > 1 || !is_static(s, ax)) return false;
    const int32_t *a = ax->data;
    const size_t na = tflc_numel(ax);
    if (na == 1) {
        if (a[0] != 2) return false;
    } else if (na == 2) {
        const int32_t lo = a[0] < a[1] ? a[0] : a[1], hi = a[0] < a[1] ? a[1] : a[0];
        if (lo != 1 || hi != 2) return false;
    } else {
        return false;
    }
    const int expect = tflc_tfl_reducer_options_keep_dims(s->n->options) ? 4 : 4 - (int)na;
    return f32_q8(y) && rank_is(y, expect);
}

static bool visit_pool(const struct sel *s, bool quantized_ok) {
    struct tflc_fb_table o = s->n->options;
    const struct tflc_tensor *x = tin(s, 0), *y = tout(s, 0);
    if (!io(s, 1, 1, 1) || !(quantized_ok ? f32_q8(x) && f32_q8(y) : is_f32(x) && is_f32(y))) return false;
    const int32_t sw = tflc_tfl_pool2d_options_stride_w(o), sh = tflc_tfl_pool2d_options_stride_h(o);
    const int32_t fw = tflc_tfl_pool2d_options_filter_width(o), fh = tflc_tfl_pool2d_options_filter_height(o);
    if (sw <= 0 || sh <= 0 || fw <= 0 || fh <= 0 || sw > fw || sh > fh) return false;
    if (fw == 1 && fh == 1 && (sw > 1 || sh > 1)) return false;
    const int pad = tflc_tfl_pool2d_options_padding(o);
    return (pad == TFLC_TFL_PADDING_SAME || pad == TFLC_TFL_PADDING_VALID) &&
           act_ok(tflc_tfl_pool2d_options_fused_activation_function(o));
}

static bool visit_concat(const struct sel *s) {
    const struct tflc_tensor *y = tout(s, 0);
    if (!io(s, 2, 4, 1) || !f32_q8(y) || y->rank < 1) return false;
    int32_t axis = tflc_tfl_concatenation_options_axis(s->n->options);
    if (axis < 0) axis += y->rank;
    if (axis < 0 || axis >= y->rank) return false;
    int64_t sum = 0;
    for (int i = 0; i < s->n->ninputs; i++) {
        const struct tflc_tensor *x = tin(s, i);
        if (!f32_q8(x) || x->rank != y->rank) return false;
        for (int d = 0; d < y->rank; d++)
            if (d != axis && x->dims[d] != y->dims[d]) return false;
        sum += x->dims[axis];
    }
    return y->dims[axis] == sum;
}

static bool visit_split(const struct sel *s) {
    const struct tflc_tensor *dim = tin(s, 0), *x = tin(s, 1);
    const int nout = s->n->noutputs;
    if (tflc_tfl_split_options_num_splits(s->n->options) != nout || s->n->ninputs != 2 || nout < 2 || nout > 4)
        return false;
    if (!dim || dim->dtype != TFLC_DTYPE_INT32 || !is_static(s, dim) || !f32_q8(x) || x->rank < 1) return false;
    int32_t d = ((const int32_t *)dim->data)[0];
    if (d < 0) d += x->rank;
    if (d < 0 || d >= x->rank || x->dims[d] % nout != 0) return false;
    for (int i = 0; i < nout; i++) {
        const struct tflc_tensor *y = tout(s, i);
        if (!f32_q8(y) || y->rank != x->rank) return false;
        for (int k = 0; k < x->rank; k++)
            if (y->dims[k] != (k == d ? x->dims[d] / nout : x->dims[k])) return false;
    }
    return true;
}

static bool visit_pad(const struct sel *s) {
    const struct tflc_tensor *x = tin(s, 0), *p = tin(s, 1), *y = tout(s, 0);
    if (!io(s, 2, 2, 1) || !f32_q8(x) || x->rank < 1 || x->rank > XNN_MAX_DIMS) return false;
    if (!p || p->dtype != TFLC_DTYPE_INT32 || p->rank != 2 || p->dims[0] != x->rank || p->dims[1] != 2 ||
        !is_static(s, p))
        return false;
    if (!f32_q8(y) || y->rank < 1 || y->rank > XNN_MAX_DIMS) return false;
    const int32_t *pd = p->data;
    for (int i = 0; i < 2 * x->rank; i++)
        if (pd[i] < 0) return false;
    return true;
}

static bool visit_resize(const struct sel *s) {
    const struct tflc_tensor *x = tin(s, 0), *sz = tin(s, 1), *y = tout(s, 0);
    if (!io(s, 2, 2, 1) || !f32_q8(x) || !rank_is(x, 4)) return false;
    if (!sz || sz->dtype != TFLC_DTYPE_INT32 || sz->rank != 1 || !is_static(s, sz) || sz->dims[0] != 2) return false;
    if (!f32_q8(y) || !rank_is(y, 4)) return false;
    const int32_t *d = sz->data;
    return d[0] > 0 && d[1] > 0;
}

/* QUANTIZE: float32 -> int8/uint8, or int8 -> int8 / uint8 -> uint8 with an input-to-output
 * scale ratio XNNPACK's convert handles ([2^-8, 2^7]). */
static bool visit_quantize(const struct sel *s) {
    const struct tflc_tensor *x = tin(s, 0), *y = tout(s, 0);
    if (!io(s, 1, 1, 1) || !is_q8(y) || !x) return false;
    if (is_f32(x)) return true;
    if (!is_q8(x) || x->dtype != y->dtype) return false;
    const float r = x->quant.scale / y->quant.scale;
    return r >= 0x1.0p-8f && r <= 0x1.0p+7f;
}

static bool visit_leaky_relu(const struct sel *s) {
    const struct tflc_tensor *x = tin(s, 0), *y = tout(s, 0);
    if (!io(s, 1, 1, 1) || !f32_q8(x) || !f32_q8(y)) return false;
    const float alpha = tflc_tfl_leaky_relu_options_alpha(s->n->options);
    if (!isfinite(alpha)) return false;
    if (is_f32(x) || x->dtype != y->dtype) return is_f32(x) && is_f32(y);
    const float pos = x->quant.scale / y->quant.scale, neg = pos * alpha;
    if (pos < 0x1.0p-8f || pos > 0x1.0p+7f) return false;
    return !(neg < -0x1.FFFC00p+6f || neg > 0x1.0p+7f || fabsf(neg) < 0x1.0p-8f);
}

static bool unary(const struct sel *s, bool (*ok)(const struct tflc_tensor *)) {
    return io(s, 1, 1, 1) && ok(tin(s, 0)) && ok(tout(s, 0));
}

static bool visit(const struct sel *s) {
    switch (s->n->builtin) {
    case TFLC_TFL_BUILTIN_OPERATOR_ADD:
        return visit_binary(s, tflc_tfl_add_options_fused_activation_function(s->n->options), false);
    case TFLC_TFL_BUILTIN_OPERATOR_SUB:
        return visit_binary(s, tflc_tfl_sub_options_fused_activation_function(s->n->options), false);
    case TFLC_TFL_BUILTIN_OPERATOR_MUL:
        return visit_binary(s, tflc_tfl_mul_options_fused_activation_function(s->n->options), true);
    case TFLC_TFL_BUILTIN_OPERATOR_CONV_2D: return visit_conv(s);
    case TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D: return visit_dwconv(s);
    case TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED: return visit_fc(s);
    case TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE_CONV: return visit_tconv(s);
    case TFLC_TFL_BUILTIN_OPERATOR_MEAN: return visit_mean(s);
    case TFLC_TFL_BUILTIN_OPERATOR_MAX_POOL_2D: return visit_pool(s, true);
    case TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D: return visit_pool(s, false);
    case TFLC_TFL_BUILTIN_OPERATOR_CONCATENATION: return visit_concat(s);
    case TFLC_TFL_BUILTIN_OPERATOR_SPLIT: return visit_split(s);
    case TFLC_TFL_BUILTIN_OPERATOR_PAD: return visit_pad(s);
    case TFLC_TFL_BUILTIN_OPERATOR_RESIZE_BILINEAR: return visit_resize(s);
    case TFLC_TFL_BUILTIN_OPERATOR_QUANTIZE: return visit_quantize(s);
    case TFLC_TFL_BUILTIN_OPERATOR_DEQUANTIZE:
        /* A constant input is unpacked by the delegate itself (same values as the builtin
         * kernel); only activations matter here. */
        return io(s, 1, 1, 1) && is_q8(tin(s, 0)) && !is_static(s, tin(s, 0)) && is_f32(tout(s, 0));
    case TFLC_TFL_BUILTIN_OPERATOR_LEAKY_RELU: return visit_leaky_relu(s);
    case TFLC_TFL_BUILTIN_OPERATOR_ELU: return unary(s, f32_s8);
    case TFLC_TFL_BUILTIN_OPERATOR_LOGISTIC: return unary(s, f32_q8);
    case TFLC_TFL_BUILTIN_OPERATOR_DEPTH_TO_SPACE:
        return unary(s, f32_q8) && tflc_tfl_depth_to_space_options_block_size(s->n->options) > 1;
    case TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE: {
        /* No type checks at selection: the tensors' XNNPACK definitions decide (stage 2). */
        const struct tflc_tensor *perm = tin(s, 1);
        return io(s, 2, 2, 1) && perm && is_static(s, perm);
    }
    case TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX:
        return unary(s, is_f32) && tflc_tfl_softmax_options_beta(s->n->options) == 1.0f;
    case TFLC_TFL_BUILTIN_OPERATOR_RESHAPE: {
        const struct tflc_tensor *shape = tin(s, 1);
        if (s->n->ninputs < 1 || s->n->ninputs > 2 || s->n->noutputs != 1) return false;
        if (shape && (shape->dtype != TFLC_DTYPE_INT32 || shape->rank != 1 || !is_static(s, shape))) return false;
        return is_f32(tin(s, 0)) && is_f32(tout(s, 0)) && tin(s, 0)->rank <= XNN_MAX_DIMS &&
               tout(s, 0)->rank <= XNN_MAX_DIMS;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_ABS:
    case TFLC_TFL_BUILTIN_OPERATOR_NEG:
    case TFLC_TFL_BUILTIN_OPERATOR_SQRT:
    case TFLC_TFL_BUILTIN_OPERATOR_HARD_SWISH:
    case TFLC_TFL_BUILTIN_OPERATOR_RELU:
    case TFLC_TFL_BUILTIN_OPERATOR_RELU6:
    case TFLC_TFL_BUILTIN_OPERATOR_RELU_N1_TO_1: return unary(s, is_f32);
    case TFLC_TFL_BUILTIN_OPERATOR_DIV:
    case TFLC_TFL_BUILTIN_OPERATOR_MAXIMUM:
    case TFLC_TFL_BUILTIN_OPERATOR_MINIMUM:
    case TFLC_TFL_BUILTIN_OPERATOR_SQUARED_DIFFERENCE:
        return io(s, 2, 2, 1) && is_f32(tin(s, 0)) && is_f32(tin(s, 1)) && is_f32(tout(s, 0));
    case TFLC_TFL_BUILTIN_OPERATOR_PRELU: {
        const struct tflc_tensor *slope = tin(s, 1);
        if (!io(s, 2, 2, 1) || !is_f32(tin(s, 0)) || !is_f32(slope) || !is_f32(tout(s, 0)) || slope->rank < 1 ||
            !is_static(s, slope))
            return false;
        for (int i = 0; i < slope->rank - 1; i++)
            if (slope->dims[i] != 1) return false;
        return true;
    }
    default: return false;
    }
}

/* ---- stage 2: Subgraph::Create ---- */

/* Inputs the delegate represents as operator parameters, not as XNNPACK values. */
static bool param_input(int32_t builtin, int i) {
    switch (builtin) {
    case TFLC_TFL_BUILTIN_OPERATOR_MEAN:
    case TFLC_TFL_BUILTIN_OPERATOR_PAD:
    case TFLC_TFL_BUILTIN_OPERATOR_RESHAPE:
    case TFLC_TFL_BUILTIN_OPERATOR_RESIZE_BILINEAR:
    case TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE: return i != 0;
    case TFLC_TFL_BUILTIN_OPERATOR_SPLIT: return i != 1;
    case TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE_CONV: return i == 0;
    default: return false;
    }
}

/* A tensor the runtime's values can hold: float32; int8 per tensor (zero point in range), or
 * per channel along a dimension of that size with zero points 0; uint8 per tensor; int32 with
 * quantization (biases), quantized dimension 0, zero points 0. Rank at most 6. */
static bool definable(const struct tflc_tensor *t) {
    if (t->rank > XNN_MAX_DIMS) return false;
    switch (t->dtype) {
    case TFLC_DTYPE_FLOAT32: return true;
    case TFLC_DTYPE_INT8:
        if (t->quant.num_scales == 1) return t->quant.zero_point >= -128 && t->quant.zero_point <= 127;
        if (t->quant.num_scales < 1 || t->rank < 1 || t->quant.axis < 0 || t->quant.axis >= t->rank ||
            t->quant.num_scales != t->dims[t->quant.axis] || t->quant.zero_point != 0)
            return false;
        /* XNNPACK checks the first dims[0] channel scales (sic). */
        for (int32_t c = 0; c < t->dims[0] && c < t->quant.num_scales; c++)
            if (!(t->quant.scales[c] > 0.0f) || !isnormal(t->quant.scales[c])) return false;
        return true;
    case TFLC_DTYPE_UINT8:
        return t->quant.num_scales == 1 && t->quant.zero_point >= 0 && t->quant.zero_point <= 255;
    case TFLC_DTYPE_INT32:
        if (t->quant.num_scales < 1 || t->quant.axis != 0 || t->quant.zero_point != 0) return false;
        if (t->quant.num_scales > 1) {
            if (t->rank < 1 || t->quant.num_scales != t->dims[0]) return false;
            for (int32_t c = 0; c < t->dims[0]; c++)
                if (!(t->quant.scales[c] > 0.0f) || !isnormal(t->quant.scales[c])) return false;
        }
        return true;
    default: return false;
    }
}

static bool scale_ok(float s) { return s > 0.0f && isnormal(s); }

/* XNNPACK's xnn_qs8_quantize / xnn_qu8_quantize of an activation bound. */
static int32_t q8_bound(float v, const struct tflc_tensor *y) {
    const float lo = y->dtype == TFLC_DTYPE_INT8 ? -128.0f : 0.0f, hi = y->dtype == TFLC_DTYPE_INT8 ? 127.0f : 255.0f;
    float f = v / y->quant.scale + (float)y->quant.zero_point;
    f = f < lo ? lo : f > hi ? hi : f;
    return (int32_t)lrintf(f);
}

/* The fused activation of an 8-bit output leaves a non-empty range (operator creation
 * refuses min >= max). */
static bool act_range_ok(int act, const struct tflc_tensor *y) {
    if (y->dtype != TFLC_DTYPE_INT8 && y->dtype != TFLC_DTYPE_UINT8) return true;
    float lo = -INFINITY, hi = INFINITY;
    if (act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU) lo = 0.0f;
    else if (act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1) { lo = -1.0f; hi = 1.0f; }
    else if (act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6) { lo = 0.0f; hi = 6.0f; }
    return q8_bound(lo, y) < q8_bound(hi, y);
}

/* A per-channel int8 filter needs a per-channel bias and a per-tensor one a per-tensor bias
 * (the convolution's compute type, qc8 or qs8); any other pairing is not definable. */
static bool bias_pairs(const struct tflc_tensor *w, const struct tflc_tensor *b) {
    return w->dtype != TFLC_DTYPE_INT8 || !b || (w->quant.num_scales > 1) == (b->quant.num_scales > 1);
}

/* Convolution-like requantization: input * filter[c] / output below 256 for every channel. */
static bool conv_scales_ok(const struct tflc_tensor *x, const struct tflc_tensor *w, const struct tflc_tensor *y) {
    if (!scale_ok(x->quant.scale) || !scale_ok(y->quant.scale)) return false;
    for (int32_t c = 0; c < w->quant.num_scales; c++) {
        const float ws = w->quant.scales[c];
        if (!scale_ok(ws) || x->quant.scale * ws / y->quant.scale >= 256.0f) return false;
    }
    return true;
}

/* xnn_create_runtime: operator creation for a selected node with 8-bit tensors. */
static bool creatable(const struct sel *s) {
    const struct tflc_tensor *x = tin(s, 0), *y = tout(s, 0);
    struct tflc_fb_table o = s->n->options;
    switch (s->n->builtin) {
    case TFLC_TFL_BUILTIN_OPERATOR_CONV_2D:
        if (is_f32(x)) return true;
        return bias_pairs(tin(s, 1), tin(s, 2)) && conv_scales_ok(x, tin(s, 1), y) &&
               act_range_ok(tflc_tfl_conv2d_options_fused_activation_function(o), y);
    case TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D:
        if (is_f32(x)) return true;
        return bias_pairs(tin(s, 1), tin(s, 2)) && conv_scales_ok(x, tin(s, 1), y) &&
               act_range_ok(tflc_tfl_depthwise_conv2d_options_fused_activation_function(o), y);
    case TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED:
        if (is_f32(x)) return true;
        return conv_scales_ok(x, tin(s, 1), y) &&
               act_range_ok(tflc_tfl_fully_connected_options_fused_activation_function(o), y);
    case TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE_CONV:
        x = tin(s, 2);
        return is_f32(x) || conv_scales_ok(x, tin(s, 1), y);
    case TFLC_TFL_BUILTIN_OPERATOR_ADD:
    case TFLC_TFL_BUILTIN_OPERATOR_SUB:
    case TFLC_TFL_BUILTIN_OPERATOR_MUL: {
        const struct tflc_tensor *b = tin(s, 1);
        if (is_f32(y)) return true;
        if (x->dtype != y->dtype || b->dtype != y->dtype) return false; /* mixed types: no operator */
        if (!scale_ok(x->quant.scale) || !scale_ok(b->quant.scale) || !scale_ok(y->quant.scale)) return false;
        int act = s->n->builtin == TFLC_TFL_BUILTIN_OPERATOR_ADD   ? tflc_tfl_add_options_fused_activation_function(o)
                  : s->n->builtin == TFLC_TFL_BUILTIN_OPERATOR_SUB ? tflc_tfl_sub_options_fused_activation_function(o)
                                                                   : tflc_tfl_mul_options_fused_activation_function(o);
        return act_range_ok(act, y);
    }
    case TFLC_TFL_BUILTIN_OPERATOR_MEAN: {
        if (is_f32(x)) return true;
        if (x->dtype != y->dtype || !scale_ok(x->quant.scale) || !scale_ok(y->quant.scale)) return false;
        const float r = x->quant.scale / y->quant.scale; /* global average pooling: [2^-8, 2^8) */
        return r >= 0x1.0p-8f && r < 0x1.0p+8f;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_LOGISTIC:
        if (is_f32(x)) return true;
        /* XNNPACK's 8-bit sigmoid only produces scale 1/256 (zero point -128 / 0). */
        return x->dtype == y->dtype && scale_ok(x->quant.scale) && y->quant.scale == 0x1.0p-8f &&
               y->quant.zero_point == (y->dtype == TFLC_DTYPE_INT8 ? -128 : 0);
    case TFLC_TFL_BUILTIN_OPERATOR_ELU:
    case TFLC_TFL_BUILTIN_OPERATOR_LEAKY_RELU:
        return is_f32(x) || (scale_ok(x->quant.scale) && scale_ok(y->quant.scale));
    case TFLC_TFL_BUILTIN_OPERATOR_QUANTIZE: return scale_ok(y->quant.scale);
    case TFLC_TFL_BUILTIN_OPERATOR_DEQUANTIZE: return scale_ok(x->quant.scale);
    case TFLC_TFL_BUILTIN_OPERATOR_MAX_POOL_2D:
        return is_f32(x) || act_range_ok(tflc_tfl_pool2d_options_fused_activation_function(o), y);
    default: return true;
    }
}

const char *tflc_xnnpack_select(struct tflc_interp *it, uint8_t *take) {
    memset(take, 0, (size_t)(it->nops ? it->nops : 1));
    int32_t count = 0;
    for (int32_t k = 0; k < it->nops; k++) {
        struct sel s = {it, &it->nodes[k]};
        take[k] = visit(&s);
        count += take[k];
    }
    if (!count) return NULL;
    for (int32_t k = 0; k < it->nops; k++) {
        if (!take[k]) continue;
        const struct tflc_node *n = &it->nodes[k];
        for (int pass = 0; pass < 2; pass++) {
            const int cnt = pass ? n->noutputs : n->ninputs;
            const int32_t *ids = pass ? n->outputs : n->inputs;
            for (int i = 0; i < cnt; i++)
                if (ids[i] >= 0 && (pass || !param_input(n->builtin, i)) && !definable(&it->tensors[ids[i]])) {
                    memset(take, 0, (size_t)it->nops);
                    return "a tensor of a delegated node has no XNNPACK type";
                }
        }
        struct sel s = {it, n};
        if (!creatable(&s)) {
            memset(take, 0, (size_t)it->nops);
            return "an XNNPACK operator cannot be created with these parameters";
        }
    }
    return NULL;
}
