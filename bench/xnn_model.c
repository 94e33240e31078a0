/* xnn_model.c - reads a .tflite, partitions it as TFLite's XNNPACK delegate does and builds one
 * XNNPACK subgraph + runtime per partition (see xnn_model.h).
 *
 * The op mapping follows the delegate (tensorflow/lite/delegates/xnnpack/xnnpack_delegate.cc):
 * a fused activation becomes the node's output range, SAME padding the TENSORFLOW_SAME_PADDING
 * flag, a per-channel int8 filter a qcint8 value with a qcint32 bias (XNNPACK's "qc8"), MEAN over
 * H and W a global average pooling, a FULLY_CONNECTED without keep_num_dims the
 * TENSORFLOW_RESHAPE_2D flag, a 1x1 stride-1 pooling a clamp, RELU / RELU6 a clamp. Written
 * against the subgraph API of Debian's libxnnpack-dev 0.0~git20220216 (XNNPACK ae108ef), whose
 * limits decide what falls back to C: no concatenate, tanh or qs8 softmax / average pooling
 * nodes, and no per-channel fully connected (qc8 exists for convolutions only). */
#include "xnn_model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthreadpool.h>
#include <xnnpack.h>

#include "format/tflite_model.h"
#include "tflc/runtime.h"

enum {
    T_F32 = TFLC_TFL_TENSOR_TYPE_FLOAT32,
    T_I32 = TFLC_TFL_TENSOR_TYPE_INT32,
    T_U8 = TFLC_TFL_TENSOR_TYPE_UINT8,
    T_I8 = TFLC_TFL_TENSOR_TYPE_INT8,
};

static bool fail(char *err, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return false;
}

static struct tflc_fb_table op_opts(const struct xm_op *op) {
    struct tflc_fb_table t = {op->opts_buf, op->opts_off};
    return t;
}

bool xm_activation_range(int act, float *lo, float *hi) {
    switch (act) {
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE:
        *lo = -INFINITY;
        *hi = INFINITY;
        return true;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU:
        *lo = 0.0f;
        *hi = INFINITY;
        return true;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1:
        *lo = -1.0f;
        *hi = 1.0f;
        return true;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6:
        *lo = 0.0f;
        *hi = 6.0f;
        return true;
    default:
        return false;
    }
}

/* ---- reading the model ---- */

static bool read_tensor(struct xm_model *m, struct tflc_fb_table tt, struct xm_tensor *t, char *err, size_t n) {
    t->type = tflc_tfl_tensor_type(tt);
    struct tflc_fb_vec shape = tflc_tfl_tensor_shape(tt);
    if (shape.len > XM_MAX_RANK) return fail(err, n, "tensor rank %u > %d", shape.len, XM_MAX_RANK);
    t->rank = (int)shape.len;
    t->elems = 1;
    for (uint32_t i = 0; i < shape.len; i++) {
        int32_t d = tflc_fb_vec_i32(shape, i);
        t->dims[i] = d < 0 ? 1 : (size_t)d; /* a dynamic batch runs as 1, as the converter writes it */
        t->elems *= t->dims[i];
    }
    size_t es = tflc_tfl_dtype_size(t->type);
    t->bytes = t->elems * (es ? es : 1);
    struct tflc_fb_str nm = tflc_tfl_tensor_name(tt);
    t->name = nm.data ? nm.data : "";
    const uint8_t *d;
    uint64_t size;
    tflc_tfl_buffer_bytes(m->file, tflc_tfl_tensor_buffer(tt), &d, &size);
    t->data = size ? d : NULL;
    t->producer = -1;
    t->part = -1;
    struct tflc_fb_table q = tflc_tfl_tensor_quantization(tt);
    if (q.off) {
        struct tflc_fb_vec sc = tflc_tfl_quantization_parameters_scale(q);
        struct tflc_fb_vec zp = tflc_tfl_quantization_parameters_zero_point(q);
        if (sc.len) {
            t->nscales = (int)sc.len;
            t->scales = malloc(sizeof(float) * sc.len);
            if (!t->scales) return fail(err, n, "out of memory");
            for (uint32_t i = 0; i < sc.len; i++) t->scales[i] = tflc_fb_vec_f32(sc, i);
            t->scale = t->scales[0];
            t->zero_point = zp.len ? (int32_t)tflc_fb_vec_i64(zp, 0) : 0;
            t->qdim = tflc_tfl_quantization_parameters_quantized_dimension(q);
        }
    }
    return true;
}

static bool read_model(struct xm_model *m, char *err, size_t n) {
    struct tflc_fb_table model = tflc_tfl_model(m->file);
    struct tflc_fb_vec sgs = tflc_tfl_model_subgraphs(model);
    if (sgs.len < 1) return fail(err, n, "no subgraph");
    struct tflc_fb_table sg = tflc_fb_vec_table(sgs, 0);
    struct tflc_fb_vec ts = tflc_tfl_sub_graph_tensors(sg), os = tflc_tfl_sub_graph_operators(sg);
    struct tflc_fb_vec codes = tflc_tfl_model_operator_codes(model);
    m->nt = (int)ts.len;
    m->nops = (int)os.len;
    m->t = calloc(ts.len ? ts.len : 1, sizeof *m->t);
    m->ops = calloc(os.len ? os.len : 1, sizeof *m->ops);
    m->parts = calloc(os.len ? os.len : 1, sizeof *m->parts);
    if (!m->t || !m->ops || !m->parts) return fail(err, n, "out of memory");
    for (int i = 0; i < m->nt; i++)
        if (!read_tensor(m, tflc_fb_vec_table(ts, (uint32_t)i), &m->t[i], err, n)) return false;
    /* int32 vectors inside a verified flatbuffer are 4-byte aligned */
    struct tflc_fb_vec gi = tflc_tfl_sub_graph_inputs(sg), go = tflc_tfl_sub_graph_outputs(sg);
    m->ninputs = (int)gi.len;
    m->noutputs = (int)go.len;
    m->inputs = (const int32_t *)(const void *)gi.data;
    m->outputs = (const int32_t *)(const void *)go.data;
    for (int k = 0; k < m->nops; k++) {
        struct tflc_fb_table o = tflc_fb_vec_table(os, (uint32_t)k);
        struct xm_op *op = &m->ops[k];
        struct tflc_fb_table oc = tflc_fb_vec_table(codes, tflc_tfl_operator_opcode_index(o));
        op->code = tflc_tfl_opcode_code(oc);
        op->name = tflc_tfl_op_name(op->code);
        if (!op->name) op->name = "CUSTOM";
        struct tflc_fb_vec in = tflc_tfl_operator_inputs(o), out = tflc_tfl_operator_outputs(o);
        op->nin = (int)in.len;
        op->nout = (int)out.len;
        op->in = (const int32_t *)(const void *)in.data;
        op->out = (const int32_t *)(const void *)out.data;
        struct tflc_fb_table opt = tflc_tfl_operator_builtin_options(o);
        op->opts_buf = opt.buf;
        op->opts_off = opt.off;
        for (int j = 0; j < op->nout; j++) m->t[op->out[j]].producer = k;
    }
    return true;
}

/* ---- which ops XNNPACK takes (the delegate's checks, for this XNNPACK version) ---- */

static bool is_f32(const struct xm_tensor *t) { return t->type == T_F32; }
static bool is_q8(const struct xm_tensor *t) { return (t->type == T_I8 || t->type == T_U8) && t->nscales == 1; }
static bool same_q(const struct xm_tensor *a, const struct xm_tensor *b) {
    return a->type == b->type && a->scale == b->scale && a->zero_point == b->zero_point;
}
/* float32 everywhere, or 8-bit per-tensor quantized of one type everywhere */
static bool act_types_ok(const struct xm_model *m, const struct xm_op *op, int nin) {
    const struct xm_tensor *o = &m->t[op->out[0]];
    if (!is_f32(o) && !is_q8(o)) return false;
    for (int i = 0; i < nin; i++) {
        const struct xm_tensor *t = &m->t[op->in[i]];
        if (t->type != o->type || (is_q8(o) && !is_q8(t))) return false;
    }
    return true;
}
static bool static_filter_ok(const struct xm_tensor *in, const struct xm_tensor *w, int channel_dim, bool allow_qc8) {
    if (!w->data) return false;
    if (is_f32(in)) return is_f32(w);
    if (w->type != in->type) return false;
    if (w->nscales == 1) return true;
    return allow_qc8 && in->type == T_I8 && w->qdim == channel_dim && w->nscales == (int)w->dims[channel_dim];
}

static int fused_act(const struct xm_op *op) {
    struct tflc_fb_table o = op_opts(op);
    if (!o.off) return 0;
    switch (op->code) {
    case TFLC_TFL_BUILTIN_OPERATOR_CONV_2D:
        return tflc_tfl_conv2d_options_fused_activation_function(o);
    case TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D:
        return tflc_tfl_depthwise_conv2d_options_fused_activation_function(o);
    case TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED:
        return tflc_tfl_fully_connected_options_fused_activation_function(o);
    case TFLC_TFL_BUILTIN_OPERATOR_ADD:
        return tflc_tfl_add_options_fused_activation_function(o);
    case TFLC_TFL_BUILTIN_OPERATOR_MUL:
        return tflc_tfl_mul_options_fused_activation_function(o);
    case TFLC_TFL_BUILTIN_OPERATOR_SUB:
        return tflc_fb_get_i8(o, 0, 0); /* SubOptions.fused_activation_function */
    case TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D:
    case TFLC_TFL_BUILTIN_OPERATOR_MAX_POOL_2D:
        return tflc_tfl_pool2d_options_fused_activation_function(o);
    case TFLC_TFL_BUILTIN_OPERATOR_CONCATENATION:
        return tflc_tfl_concatenation_options_fused_activation_function(o);
    default:
        return 0;
    }
}

static bool mean_over_hw(const struct xm_model *m, const struct xm_op *op) {
    const struct xm_tensor *x = &m->t[op->in[0]], *ax = &m->t[op->in[1]];
    if (x->rank != 4 || !ax->data || ax->type != T_I32 || ax->elems != 2) return false;
    const int32_t *a = ax->data;
    return (a[0] == 1 && a[1] == 2) || (a[0] == 2 && a[1] == 1);
}

static bool xnn_supported(const struct xm_model *m, const struct xm_op *op) {
    float lo, hi;
    if (!xm_activation_range(fused_act(op), &lo, &hi)) return false;
    const struct xm_tensor *x = op->nin > 0 && op->in[0] >= 0 ? &m->t[op->in[0]] : NULL;
    const struct xm_tensor *y = op->nout > 0 ? &m->t[op->out[0]] : NULL;
    if (!x || !y) return false;
    switch (op->code) {
    case TFLC_TFL_BUILTIN_OPERATOR_CONV_2D:
    case TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D: {
        bool dw = op->code == TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D;
        if (op->nin < 2 || x->rank != 4 || !act_types_ok(m, op, 1)) return false;
        const struct xm_tensor *w = &m->t[op->in[1]];
        if (w->rank != 4 || !static_filter_ok(x, w, dw ? 3 : 0, true)) return false;
        return op->nin < 3 || op->in[2] < 0 || m->t[op->in[2]].data != NULL;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED: {
        if (op->nin < 2 || !act_types_ok(m, op, 1)) return false;
        const struct xm_tensor *w = &m->t[op->in[1]];
        struct tflc_fb_table o = op_opts(op);
        if (o.off && tflc_tfl_fully_connected_options_weights_format(o) != 0) return false;
        if (w->rank != 2 || !static_filter_ok(x, w, 0, false)) return false;
        return op->nin < 3 || op->in[2] < 0 || m->t[op->in[2]].data != NULL;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_ADD:
    case TFLC_TFL_BUILTIN_OPERATOR_MUL:
    case TFLC_TFL_BUILTIN_OPERATOR_SUB:
        return op->nin == 2 && act_types_ok(m, op, 2) && m->t[op->in[0]].rank <= 4 && m->t[op->in[1]].rank <= 4;
    case TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D:
        return x->rank == 4 && is_f32(x) && is_f32(y); /* XNNPACK 2022-02: fp32 average pooling only */
    case TFLC_TFL_BUILTIN_OPERATOR_MAX_POOL_2D:
        return x->rank == 4 && act_types_ok(m, op, 1) && (is_f32(x) || same_q(x, y));
    case TFLC_TFL_BUILTIN_OPERATOR_MEAN:
        return op->nin == 2 && act_types_ok(m, op, 1) && mean_over_hw(m, op);
    case TFLC_TFL_BUILTIN_OPERATOR_PAD: {
        if (op->nin != 2 || !act_types_ok(m, op, 1)) return false;
        const struct xm_tensor *p = &m->t[op->in[1]];
        if (!p->data || p->type != T_I32 || p->elems != 2u * (size_t)x->rank) return false;
        for (size_t i = 0; i < p->elems; i++)
            if (((const int32_t *)p->data)[i] < 0) return false;
        return true;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_RESHAPE:
        return act_types_ok(m, op, 1) && (is_f32(x) || same_q(x, y));
    case TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX: {
        struct tflc_fb_table o = op_opts(op);
        return is_f32(x) && is_f32(y) && (!o.off || tflc_tfl_softmax_options_beta(o) == 1.0f); /* no qs8 softmax node */
    }
    case TFLC_TFL_BUILTIN_OPERATOR_LOGISTIC:
        return act_types_ok(m, op, 1);
    case TFLC_TFL_BUILTIN_OPERATOR_RELU:
    case TFLC_TFL_BUILTIN_OPERATOR_RELU6:
    case TFLC_TFL_BUILTIN_OPERATOR_RELU_N1_TO_1:
        /* XNNPACK's quantized clamp does not requantize */
        return act_types_ok(m, op, 1) && (is_f32(x) || same_q(x, y));
    case TFLC_TFL_BUILTIN_OPERATOR_QUANTIZE:
        return is_f32(x) && y->type == T_I8 && is_q8(y);
    case TFLC_TFL_BUILTIN_OPERATOR_DEQUANTIZE:
        return x->type == T_I8 && is_q8(x) && !x->data && is_f32(y);
    default:
        return false; /* CONCATENATION and TANH: no such node in this XNNPACK */
    }
}

/* ---- building a partition's subgraph ---- */

struct build {
    struct xm_model *m;
    xnn_subgraph_t sg;
    int part;
    uint32_t *ids; /* per tensor, XNN_INVALID_VALUE_ID = not defined in this subgraph */
    float **owned; /* scale arrays made here (qc8 bias scales), freed at the end */
    int nowned;
};

static bool define_value(struct build *b, int ti, int rank, const size_t *dims, uint32_t *id) {
    if (b->ids[ti] != XNN_INVALID_VALUE_ID) {
        *id = b->ids[ti];
        return true;
    }
    struct xm_tensor *t = &b->m->t[ti];
    if (!dims) {
        rank = t->rank;
        dims = t->dims;
    }
    uint32_t ext = XNN_INVALID_VALUE_ID, flags = 0;
    if (t->external && !t->data) {
        ext = (uint32_t)ti;
        flags = t->part == b->part ? XNN_VALUE_FLAG_EXTERNAL_OUTPUT : XNN_VALUE_FLAG_EXTERNAL_INPUT;
    }
    enum xnn_status st;
    switch (t->type) {
    case T_F32:
        st = xnn_define_tensor_value(b->sg, xnn_datatype_fp32, (size_t)rank, dims, t->data, ext, flags, id);
        break;
    case T_I8:
    case T_U8:
        if (t->nscales > 1)
            st = xnn_define_channelwise_quantized_tensor_value(b->sg, xnn_datatype_qcint8, t->scales, (size_t)rank,
                                                               (size_t)t->qdim, dims, t->data, ext, flags, id);
        else
            st =
                xnn_define_quantized_tensor_value(b->sg, t->type == T_I8 ? xnn_datatype_qint8 : xnn_datatype_quint8,
                                                  t->zero_point, t->scale, (size_t)rank, dims, t->data, ext, flags, id);
        break;
    default:
        return false;
    }
    if (st != xnn_status_success) return false;
    b->ids[ti] = *id;
    return true;
}

/* Bias of a convolution / fully connected: qint32 for a per-tensor filter, qcint32 with scales
 * input_scale * filter_scale[c] for a per-channel one (what XNNPACK's qc8 operators take). */
static bool define_bias(struct build *b, int bi, const struct xm_tensor *x, const struct xm_tensor *w, int wdim,
                        uint32_t *id) {
    if (bi < 0) {
        *id = XNN_INVALID_VALUE_ID;
        return true;
    }
    const struct xm_tensor *bt = &b->m->t[bi];
    if (bt->type == T_F32) return define_value(b, bi, 0, NULL, id);
    if (bt->type != T_I32 || !bt->data) return false;
    if (b->ids[bi] != XNN_INVALID_VALUE_ID) {
        *id = b->ids[bi];
        return true;
    }
    size_t dims[1] = {bt->elems};
    enum xnn_status st;
    if (w->nscales > 1) {
        float *sc = malloc(sizeof(float) * bt->elems);
        if (!sc) return false;
        b->owned[b->nowned++] = sc;
        for (size_t c = 0; c < bt->elems; c++) sc[c] = x->scale * w->scales[c < (size_t)w->nscales ? c : 0];
        (void)wdim;
        st = xnn_define_channelwise_quantized_tensor_value(b->sg, xnn_datatype_qcint32, sc, 1, 0, dims, bt->data,
                                                           XNN_INVALID_VALUE_ID, 0, id);
    } else {
        st = xnn_define_quantized_tensor_value(b->sg, xnn_datatype_qint32, 0, x->scale * w->scale, 1, dims, bt->data,
                                               XNN_INVALID_VALUE_ID, 0, id);
    }
    if (st != xnn_status_success) return false;
    b->ids[bi] = *id;
    return true;
}

static bool define_node(struct build *b, int k, char *err, size_t n) {
    struct xm_model *m = b->m;
    const struct xm_op *op = &m->ops[k];
    struct tflc_fb_table o = op_opts(op);
    const struct xm_tensor *x = &m->t[op->in[0]], *y = &m->t[op->out[0]];
    float lo = -INFINITY, hi = INFINITY;
    xm_activation_range(fused_act(op), &lo, &hi);
    uint32_t in, out, w, bias, in2;
    enum xnn_status st = xnn_status_invalid_parameter;
    if (!define_value(b, op->in[0], 0, NULL, &in)) return fail(err, n, "op %d %s: cannot define input", k, op->name);
    if (op->code == TFLC_TFL_BUILTIN_OPERATOR_MEAN && y->rank != 4) {
        /* XNNPACK's global average pooling writes [N, 1, 1, C]: same bytes as TFLite's [N, C] */
        size_t d4[4] = {x->dims[0], 1, 1, x->dims[3]};
        if (!define_value(b, op->out[0], 4, d4, &out)) return fail(err, n, "op %d: cannot define output", k);
    } else if (!define_value(b, op->out[0], 0, NULL, &out)) {
        return fail(err, n, "op %d %s: cannot define output", k, op->name);
    }
    switch (op->code) {
    case TFLC_TFL_BUILTIN_OPERATOR_CONV_2D: {
        const struct xm_tensor *wt = &m->t[op->in[1]];
        if (!define_value(b, op->in[1], 0, NULL, &w) || !define_bias(b, op->nin > 2 ? op->in[2] : -1, x, wt, 0, &bias))
            return fail(err, n, "op %d %s: cannot define weights", k, op->name);
        bool same = tflc_tfl_conv2d_options_padding(o) == TFLC_TFL_PADDING_SAME;
        size_t gic = wt->dims[3], groups = x->dims[3] / gic, goc = wt->dims[0] / groups;
        st = xnn_define_convolution_2d(b->sg, 0, 0, 0, 0, (uint32_t)wt->dims[1], (uint32_t)wt->dims[2],
                                       (uint32_t)tflc_tfl_conv2d_options_stride_h(o),
                                       (uint32_t)tflc_tfl_conv2d_options_stride_w(o),
                                       (uint32_t)tflc_tfl_conv2d_options_dilation_h_factor(o),
                                       (uint32_t)tflc_tfl_conv2d_options_dilation_w_factor(o), (uint32_t)groups, gic,
                                       goc, lo, hi, in, w, bias, out, same ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0);
        break;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D: {
        const struct xm_tensor *wt = &m->t[op->in[1]];
        if (!define_value(b, op->in[1], 0, NULL, &w) || !define_bias(b, op->nin > 2 ? op->in[2] : -1, x, wt, 3, &bias))
            return fail(err, n, "op %d %s: cannot define weights", k, op->name);
        bool same = tflc_tfl_depthwise_conv2d_options_padding(o) == TFLC_TFL_PADDING_SAME;
        size_t cin = x->dims[3], mult = wt->dims[3] / cin;
        st = xnn_define_depthwise_convolution_2d(b->sg, 0, 0, 0, 0, (uint32_t)wt->dims[1], (uint32_t)wt->dims[2],
                                                 (uint32_t)tflc_tfl_depthwise_conv2d_options_stride_h(o),
                                                 (uint32_t)tflc_tfl_depthwise_conv2d_options_stride_w(o),
                                                 (uint32_t)tflc_tfl_depthwise_conv2d_options_dilation_h_factor(o),
                                                 (uint32_t)tflc_tfl_depthwise_conv2d_options_dilation_w_factor(o),
                                                 (uint32_t)mult, cin, lo, hi, in, w, bias, out,
                                                 same ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0);
        break;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED: {
        const struct xm_tensor *wt = &m->t[op->in[1]];
        if (!define_value(b, op->in[1], 0, NULL, &w) || !define_bias(b, op->nin > 2 ? op->in[2] : -1, x, wt, 0, &bias))
            return fail(err, n, "op %d %s: cannot define weights", k, op->name);
        bool keep = o.off && tflc_tfl_fully_connected_options_keep_num_dims(o);
        st = xnn_define_fully_connected(b->sg, lo, hi, in, w, bias, out, keep ? 0 : XNN_FLAG_TENSORFLOW_RESHAPE_2D);
        break;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_ADD:
    case TFLC_TFL_BUILTIN_OPERATOR_MUL:
    case TFLC_TFL_BUILTIN_OPERATOR_SUB:
        if (!define_value(b, op->in[1], 0, NULL, &in2))
            return fail(err, n, "op %d %s: cannot define input 2", k, op->name);
        st = op->code == TFLC_TFL_BUILTIN_OPERATOR_ADD   ? xnn_define_add2(b->sg, lo, hi, in, in2, out, 0)
             : op->code == TFLC_TFL_BUILTIN_OPERATOR_MUL ? xnn_define_multiply2(b->sg, lo, hi, in, in2, out, 0)
                                                         : xnn_define_subtract(b->sg, lo, hi, in, in2, out, 0);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D:
    case TFLC_TFL_BUILTIN_OPERATOR_MAX_POOL_2D: {
        uint32_t fh = (uint32_t)tflc_tfl_pool2d_options_filter_height(o),
                 fw = (uint32_t)tflc_tfl_pool2d_options_filter_width(o);
        uint32_t sh = (uint32_t)tflc_tfl_pool2d_options_stride_h(o), sw = (uint32_t)tflc_tfl_pool2d_options_stride_w(o);
        uint32_t fl =
            tflc_tfl_pool2d_options_padding(o) == TFLC_TFL_PADDING_SAME ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0;
        if (fh == 1 && fw == 1 && sh == 1 && sw == 1)
            st = xnn_define_clamp(b->sg, lo, hi, in, out, 0); /* as the delegate: a 1x1 pool is a copy */
        else if (op->code == TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D)
            st = xnn_define_average_pooling_2d(b->sg, 0, 0, 0, 0, fh, fw, sh, sw, lo, hi, in, out, fl);
        else
            st = xnn_define_max_pooling_2d(b->sg, 0, 0, 0, 0, fh, fw, sh, sw, 1, 1, lo, hi, in, out, fl);
        break;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_MEAN:
        st = xnn_define_global_average_pooling_2d(b->sg, -INFINITY, INFINITY, in, out, 0);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_PAD: {
        const int32_t *p = m->t[op->in[1]].data;
        size_t pre[XNN_MAX_TENSOR_DIMS] = {0}, post[XNN_MAX_TENSOR_DIMS] = {0};
        for (int i = 0; i < x->rank && i < XNN_MAX_TENSOR_DIMS; i++) {
            pre[i] = (size_t)p[2 * i];
            post[i] = (size_t)p[2 * i + 1];
        }
        st = xnn_define_static_constant_pad(b->sg, pre, post, 0.0f, in, out, 0); /* real 0 = zero point */
        break;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_RESHAPE:
        st = xnn_define_static_reshape(b->sg, (size_t)y->rank, y->dims, in, out, 0);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX:
        st = xnn_define_softmax(b->sg, in, out, 0);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_LOGISTIC:
        st = xnn_define_sigmoid(b->sg, in, out, 0);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_RELU:
        st = xnn_define_clamp(b->sg, 0.0f, INFINITY, in, out, 0);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_RELU6:
        st = xnn_define_clamp(b->sg, 0.0f, 6.0f, in, out, 0);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_RELU_N1_TO_1:
        st = xnn_define_clamp(b->sg, -1.0f, 1.0f, in, out, 0);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_QUANTIZE:
    case TFLC_TFL_BUILTIN_OPERATOR_DEQUANTIZE:
        st = xnn_define_convert(b->sg, in, out, 0);
        break;
    default:
        break;
    }
    if (st != xnn_status_success)
        return fail(err, n, "op %d %s: XNNPACK refused the node (status %d)", k, op->name, st);
    return true;
}

static bool build_part(struct xm_model *m, int p, char *err, size_t n) {
    struct xm_part *pt = &m->parts[p];
    struct build b = {m, NULL, p, malloc(sizeof(uint32_t) * (size_t)m->nt), NULL, 0};
    b.owned = calloc((size_t)(pt->last - pt->first + 1), sizeof *b.owned);
    bool ok = b.ids && b.owned;
    if (!ok) fail(err, n, "out of memory");
    for (int i = 0; ok && i < m->nt; i++) b.ids[i] = XNN_INVALID_VALUE_ID;
    if (ok && xnn_create_subgraph((uint32_t)m->nt, 0, &b.sg) != xnn_status_success)
        ok = fail(err, n, "xnn_create_subgraph failed");
    for (int k = pt->first; ok && k <= pt->last; k++) ok = define_node(&b, k, err, n);
    xnn_runtime_t rt = NULL;
    if (ok && xnn_create_runtime_v2(b.sg, m->pool, 0, &rt) != xnn_status_success)
        ok = fail(err, n, "xnn_create_runtime_v2 failed for ops %d..%d", pt->first, pt->last);
    if (ok) {
        pt->runtime = rt;
        struct xnn_external_value *ev = calloc((size_t)m->nt, sizeof *ev);
        size_t nev = 0;
        if (!ev) ok = fail(err, n, "out of memory");
        for (int i = 0; ok && i < m->nt; i++)
            if (b.ids[i] != XNN_INVALID_VALUE_ID && m->t[i].external && !m->t[i].data)
                ev[nev++] = (struct xnn_external_value){(uint32_t)i, m->t[i].buf};
        if (ok && xnn_setup_runtime(rt, nev, ev) != xnn_status_success)
            ok = fail(err, n, "xnn_setup_runtime failed for ops %d..%d", pt->first, pt->last);
        free(ev);
    }
    if (b.sg) xnn_delete_subgraph(b.sg);
    for (int i = 0; i < b.nowned; i++) free(b.owned[i]);
    free(b.owned);
    free(b.ids);
    return ok;
}

/* ---- load / invoke / free ---- */

static void note_fallback(struct xm_model *m, const char *name) {
    if (strstr(m->fallback_list, name)) return;
    size_t len = strlen(m->fallback_list);
    snprintf(m->fallback_list + len, sizeof m->fallback_list - len, "%s%s", len ? "," : "", name);
}

bool xm_load(struct xm_model *m, const void *file, size_t len, int threads, bool *na, char *err, size_t n) {
    memset(m, 0, sizeof *m);
    *na = false;
    m->file = file;
    m->threads = threads;
    struct tflc_diag d;
    if (tflc_model_verify_hosted(file, len, &d) != TFLC_STATUS_OK) return fail(err, n, "%s", d.msg);
    if (!read_model(m, err, n)) return false;
    /* XNNB_STOP_AFTER=K (bench diagnostics): the model ends after op K, whose outputs become the
     * model's outputs; timing prefixes gives each op's cost in context. */
    const char *stop = getenv("XNNB_STOP_AFTER");
    if (stop && *stop) {
        int k = atoi(stop);
        if (k < 0 || k >= m->nops) return fail(err, n, "XNNB_STOP_AFTER=%s is not an op index", stop);
        m->nops = k + 1;
        m->outputs = m->ops[k].out;
        m->noutputs = m->ops[k].nout;
    }
    static bool initialized;
    if (!initialized) {
        if (xnn_initialize(NULL) != xnn_status_success) return fail(err, n, "xnn_initialize failed");
        initialized = true;
    }
    /* Partition: consecutive XNNPACK ops share a partition; each fallback op is its own. */
    for (int k = 0; k < m->nops; k++) {
        struct xm_op *op = &m->ops[k];
        op->xnn = xnn_supported(m, op);
        if (!op->xnn && !xm_fallback_supported(m, k)) {
            *na = true;
            return fail(err, n,
                        "op %d %s is not taken by TFLite's XNNPACK delegate (XNNPACK 2022-02), and this runner "
                        "has no fallback kernel for it",
                        k, op->name);
        }
        if (op->xnn)
            m->xnn_ops++;
        else {
            m->fallback_ops++;
            note_fallback(m, op->name);
        }
        if (!(k > 0 && op->xnn && m->ops[k - 1].xnn)) {
            m->parts[m->nparts].xnn = op->xnn;
            m->parts[m->nparts].first = k;
            m->nparts++;
        }
        op->part = m->nparts - 1;
        m->parts[op->part].last = k;
    }
    for (int i = 0; i < m->nt; i++)
        if (m->t[i].producer >= 0) m->t[i].part = m->ops[m->t[i].producer].part;
    for (int i = 0; i < m->ninputs; i++) m->t[m->inputs[i]].external = true;
    for (int i = 0; i < m->noutputs; i++) m->t[m->outputs[i]].external = true;
    for (int k = 0; k < m->nops; k++) {
        const struct xm_op *op = &m->ops[k];
        for (int j = 0; j < op->nin; j++)
            if (op->in[j] >= 0 && m->t[op->in[j]].part != op->part) m->t[op->in[j]].external = true;
        if (!op->xnn)
            for (int j = 0; j < op->nout; j++) m->t[op->out[j]].external = true;
    }
    for (int i = 0; i < m->nt; i++) {
        struct xm_tensor *t = &m->t[i];
        if (!t->external || t->data) continue;
        size_t sz = (t->bytes + 64 + 63) / 64 * 64; /* XNNPACK may read XNN_EXTRA_BYTES past the end */
        t->buf = aligned_alloc(64, sz);
        if (!t->buf) return fail(err, n, "out of memory");
        memset(t->buf, 0, sz);
    }
    if (threads > 1) {
        m->pool = pthreadpool_create((size_t)threads);
        if (!m->pool) return fail(err, n, "pthreadpool_create(%d) failed", threads);
    }
    for (int p = 0; p < m->nparts; p++)
        if (m->parts[p].xnn && !build_part(m, p, err, n)) return false;
    return true;
}

bool xm_invoke(struct xm_model *m, char *err, size_t n) {
    for (int p = 0; p < m->nparts; p++) {
        struct xm_part *pt = &m->parts[p];
        if (!pt->xnn) {
            for (int k = pt->first; k <= pt->last; k++) xm_fallback_run(m, k);
        } else if (xnn_invoke_runtime(pt->runtime) != xnn_status_success) {
            return fail(err, n, "xnn_invoke_runtime failed for ops %d..%d", pt->first, pt->last);
        }
    }
    return true;
}

void xm_free(struct xm_model *m) {
    for (int p = 0; p < m->nparts; p++)
        if (m->parts[p].runtime) xnn_delete_runtime(m->parts[p].runtime);
    if (m->pool) pthreadpool_destroy(m->pool);
    for (int i = 0; i < m->nt; i++) {
        free(m->t[i].scales);
        free(m->t[i].buf);
    }
    free(m->t);
    free(m->ops);
    free(m->parts);
    memset(m, 0, sizeof *m);
}
