/* xnn_fallback.c - the ops of the benchmark models that Debian's XNNPACK (2022-02) has no
 * subgraph node for, run in plain C between XNNPACK partitions, as TFLite runs them in its
 * builtin kernels when the delegate does not take them: SOFTMAX (int8 / uint8, or beta != 1),
 * AVERAGE_POOL_2D (int8 / uint8), CONCATENATION, TANH, and LOGISTIC / RELU / RELU6 /
 * RELU_N1_TO_1 whose quantized input and output parameters differ.
 *
 * Single-threaded, simple loops: these ops are a negligible share of the models' time. The
 * int8 average pool is TFLite's reference arithmetic (integer sum, rounded division); the other
 * quantized ops compute in float (real = scale * (q - zero_point)) and requantize with round to
 * nearest, which is within 1 LSB of TFLite's LUT / fixed-point kernels. */
#include <math.h>
#include <string.h>

#include "format/tflite_model.h"
#include "xnn_model.h"

enum { T_F32 = TFLC_TFL_TENSOR_TYPE_FLOAT32, T_U8 = TFLC_TFL_TENSOR_TYPE_UINT8, T_I8 = TFLC_TFL_TENSOR_TYPE_INT8 };

static const void *src(const struct xm_tensor *t) { return t->data ? t->data : t->buf; }
static struct tflc_fb_table opts(const struct xm_op *op) {
    struct tflc_fb_table t = {op->opts_buf, op->opts_off};
    return t;
}
static bool q8(const struct xm_tensor *t) { return (t->type == T_I8 || t->type == T_U8) && t->nscales == 1; }

static float load(const struct xm_tensor *t, const void *p, size_t i) {
    if (t->type == T_F32) return ((const float *)p)[i];
    int v = t->type == T_I8 ? ((const int8_t *)p)[i] : ((const uint8_t *)p)[i];
    return t->scale * (float)(v - t->zero_point);
}
static void store(const struct xm_tensor *t, void *p, size_t i, float x) {
    if (t->type == T_F32) {
        ((float *)p)[i] = x;
        return;
    }
    float q = nearbyintf(x / t->scale) + (float)t->zero_point;
    float lo = t->type == T_I8 ? -128.0f : 0.0f, hi = t->type == T_I8 ? 127.0f : 255.0f;
    q = q < lo ? lo : q > hi ? hi : q;
    if (t->type == T_I8)
        ((int8_t *)p)[i] = (int8_t)q;
    else
        ((uint8_t *)p)[i] = (uint8_t)q;
}

static bool unary(int code) {
    return code == TFLC_TFL_BUILTIN_OPERATOR_TANH || code == TFLC_TFL_BUILTIN_OPERATOR_LOGISTIC ||
           code == TFLC_TFL_BUILTIN_OPERATOR_RELU || code == TFLC_TFL_BUILTIN_OPERATOR_RELU6 ||
           code == TFLC_TFL_BUILTIN_OPERATOR_RELU_N1_TO_1;
}

bool xm_fallback_supported(const struct xm_model *m, int k) {
    const struct xm_op *op = &m->ops[k];
    if (op->nin < 1 || op->nout != 1 || op->in[0] < 0) return false;
    const struct xm_tensor *x = &m->t[op->in[0]], *y = &m->t[op->out[0]];
    bool types = (x->type == T_F32 || q8(x)) && x->type == y->type && (y->type == T_F32 || q8(y));
    float lo, hi;
    switch (op->code) {
    case TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX:
        return types;
    case TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D:
        return types && x->rank == 4 &&
               xm_activation_range(tflc_tfl_pool2d_options_fused_activation_function(opts(op)), &lo, &hi) &&
               (x->type == T_F32 || (x->scale == y->scale && x->zero_point == y->zero_point));
    case TFLC_TFL_BUILTIN_OPERATOR_CONCATENATION:
        if (!types || tflc_tfl_concatenation_options_fused_activation_function(opts(op)) != 0) return false;
        for (int i = 0; i < op->nin; i++)
            if (m->t[op->in[i]].type != y->type || (y->type != T_F32 && !q8(&m->t[op->in[i]]))) return false;
        return true;
    default:
        return types && unary(op->code);
    }
}

static void softmax(const struct xm_tensor *x, struct xm_tensor *y, float beta) {
    size_t c = x->dims[x->rank - 1], rows = x->elems / c;
    const void *in = src(x);
    for (size_t r = 0; r < rows; r++) {
        float mx = -INFINITY, sum = 0.0f;
        for (size_t i = 0; i < c; i++) mx = fmaxf(mx, load(x, in, r * c + i));
        for (size_t i = 0; i < c; i++) sum += expf(beta * (load(x, in, r * c + i) - mx));
        for (size_t i = 0; i < c; i++) store(y, y->buf, r * c + i, expf(beta * (load(x, in, r * c + i) - mx)) / sum);
    }
}

/* TFLite's padding: SAME pads (out - 1) * stride + filter - in in total, the smaller half first. */
static int pad_before(int padding, int in, int out, int stride, int filter) {
    if (padding != TFLC_TFL_PADDING_SAME) return 0;
    int total = (out - 1) * stride + filter - in;
    return total > 0 ? total / 2 : 0;
}

static void avg_pool(const struct xm_op *op, const struct xm_tensor *x, struct xm_tensor *y) {
    struct tflc_fb_table o = opts(op);
    int fh = tflc_tfl_pool2d_options_filter_height(o), fw = tflc_tfl_pool2d_options_filter_width(o);
    int sh = tflc_tfl_pool2d_options_stride_h(o), sw = tflc_tfl_pool2d_options_stride_w(o);
    int ih = (int)x->dims[1], iw = (int)x->dims[2], oh = (int)y->dims[1], ow = (int)y->dims[2], c = (int)x->dims[3];
    int pt = pad_before(tflc_tfl_pool2d_options_padding(o), ih, oh, sh, fh);
    int pl = pad_before(tflc_tfl_pool2d_options_padding(o), iw, ow, sw, fw);
    float lo, hi;
    xm_activation_range(tflc_tfl_pool2d_options_fused_activation_function(o), &lo, &hi);
    const void *in = src(x);
    for (size_t b = 0; b < x->dims[0]; b++)
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++) {
                int y0 = oy * sh - pt, x0 = ox * sw - pl;
                int ys = y0 < 0 ? -y0 : 0, ye = ih - y0 < fh ? ih - y0 : fh;
                int xs = x0 < 0 ? -x0 : 0, xe = iw - x0 < fw ? iw - x0 : fw;
                int count = (ye - ys) * (xe - xs);
                for (int ch = 0; ch < c; ch++) {
                    size_t oi = (((b * (size_t)oh) + (size_t)oy) * (size_t)ow + (size_t)ox) * (size_t)c + (size_t)ch;
                    if (x->type == T_F32) {
                        float s = 0.0f;
                        for (int fy = ys; fy < ye; fy++)
                            for (int fx = xs; fx < xe; fx++)
                                s +=
                                    ((const float *)
                                         in)[(((b * (size_t)ih) + (size_t)(y0 + fy)) * (size_t)iw + (size_t)(x0 + fx)) *
                                                 (size_t)c +
                                             (size_t)ch];
                        ((float *)y->buf)[oi] = fminf(fmaxf(s / (float)count, lo), hi);
                        continue;
                    }
                    int32_t s = 0;
                    for (int fy = ys; fy < ye; fy++)
                        for (int fx = xs; fx < xe; fx++) {
                            size_t ii =
                                (((b * (size_t)ih) + (size_t)(y0 + fy)) * (size_t)iw + (size_t)(x0 + fx)) * (size_t)c +
                                (size_t)ch;
                            s += x->type == T_I8 ? ((const int8_t *)in)[ii] : ((const uint8_t *)in)[ii];
                        }
                    int32_t v = s > 0 ? (s + count / 2) / count : (s - count / 2) / count; /* TFLite's rounding */
                    float qlo = y->type == T_I8 ? -128.0f : 0.0f, qhi = y->type == T_I8 ? 127.0f : 255.0f;
                    float alo = fmaxf(qlo, (float)y->zero_point + nearbyintf(lo / y->scale));
                    float ahi = fminf(qhi, (float)y->zero_point + nearbyintf(hi / y->scale));
                    float fv = fminf(fmaxf((float)v, alo), ahi);
                    if (y->type == T_I8)
                        ((int8_t *)y->buf)[oi] = (int8_t)fv;
                    else
                        ((uint8_t *)y->buf)[oi] = (uint8_t)fv;
                }
            }
}

static void concat(const struct xm_model *m, const struct xm_op *op, struct xm_tensor *y) {
    int axis = tflc_tfl_concatenation_options_axis(opts(op));
    if (axis < 0) axis += y->rank;
    size_t outer = 1, inner = 1, es = y->type == T_F32 ? 4 : 1;
    for (int i = 0; i < axis; i++) outer *= y->dims[i];
    for (int i = axis + 1; i < y->rank; i++) inner *= y->dims[i];
    size_t row = y->dims[axis] * inner, at = 0;
    for (int j = 0; j < op->nin; j++) {
        const struct xm_tensor *x = &m->t[op->in[j]];
        size_t n = x->dims[axis] * inner;
        bool same = x->type == T_F32 || (x->scale == y->scale && x->zero_point == y->zero_point);
        for (size_t o = 0; o < outer; o++) {
            if (same) {
                memcpy((char *)y->buf + (o * row + at) * es, (const char *)src(x) + o * n * es, n * es);
            } else {
                for (size_t i = 0; i < n; i++) store(y, y->buf, o * row + at + i, load(x, src(x), o * n + i));
            }
        }
        at += n;
    }
}

static float apply_unary(int code, float v) {
    switch (code) {
    case TFLC_TFL_BUILTIN_OPERATOR_TANH:
        return tanhf(v);
    case TFLC_TFL_BUILTIN_OPERATOR_LOGISTIC:
        return 1.0f / (1.0f + expf(-v));
    case TFLC_TFL_BUILTIN_OPERATOR_RELU:
        return fmaxf(v, 0.0f);
    case TFLC_TFL_BUILTIN_OPERATOR_RELU6:
        return fminf(fmaxf(v, 0.0f), 6.0f);
    default:
        return fminf(fmaxf(v, -1.0f), 1.0f);
    }
}

void xm_fallback_run(struct xm_model *m, int k) {
    const struct xm_op *op = &m->ops[k];
    const struct xm_tensor *x = &m->t[op->in[0]];
    struct xm_tensor *y = &m->t[op->out[0]];
    switch (op->code) {
    case TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX: {
        struct tflc_fb_table o = opts(op);
        softmax(x, y, o.off ? tflc_tfl_softmax_options_beta(o) : 1.0f);
        break;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D:
        avg_pool(op, x, y);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_CONCATENATION:
        concat(m, op, y);
        break;
    default: {
        const void *in = src(x);
        for (size_t i = 0; i < y->elems; i++) store(y, y->buf, i, apply_unary(op->code, load(x, in, i)));
    }
    }
}
