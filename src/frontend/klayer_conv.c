/* Convolution and pooling layers: Conv1D/2D (dilation, groups, causal padding for 1D),
 * DepthwiseConv2D, SeparableConv1D/2D, Conv2DTranspose, Max/AveragePooling1D/2D,
 * GlobalAverage/MaxPooling1D/2D. Kernels are re-laid-out for TFLite: CONV_2D OHWI,
 * DEPTHWISE_CONV_2D [1, H, W, C*M], TRANSPOSE_CONV OHWI. 1-D layers run as 2-D ops on
 * [batch, 1, time, channels] between EXPAND_DIMS / RESHAPE, as Google's converter does. */
#include <stdlib.h>
#include <string.h>

#include "frontend/keras_lower.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x

static enum tflc_status finish(struct tflc_klower *c, int32_t y, int32_t *out, int *nout) {
    if (y < 0) return c->diag && c->diag->status ? c->diag->status : TFLC_STATUS_INTERNAL;
    out[0] = y;
    *nout = 1;
    return TFLC_STATUS_OK;
}

static enum tflc_status channels_last(struct tflc_klower *c) {
    const char *df = kcfg_str(c, "data_format");
    if (df && strcmp(df, "channels_last") != 0) return kfail(c, TFLC_STATUS_UNSUPPORTED, "data_format '%s' (only channels_last)", df);
    return TFLC_STATUS_OK;
}

/* "same" / "valid" (and "causal" for 1-D, handled by the caller) -> TFLite Padding. */
static enum tflc_status padding(struct tflc_klower *c, int *pad, bool allow_causal, bool *causal) {
    const char *p = kcfg_str(c, "padding");
    if (causal) *causal = false;
    if (!p || !strcmp(p, "valid")) *pad = TFLC_TFL_PADDING_VALID;
    else if (!strcmp(p, "same")) *pad = TFLC_TFL_PADDING_SAME;
    else if (allow_causal && !strcmp(p, "causal")) { *pad = TFLC_TFL_PADDING_VALID; *causal = true; }
    else return kfail(c, TFLC_STATUS_UNSUPPORTED, "padding '%s'", p);
    return TFLC_STATUS_OK;
}

static int32_t out_size(int32_t in, int32_t k, int32_t s, int32_t d, int pad) {
    int32_t ek = (k - 1) * d + 1;
    if (pad == TFLC_TFL_PADDING_SAME) return (in + s - 1) / s;
    return in >= ek ? (in - ek) / s + 1 : 0;
}

/* [b, t, c] -> [b, 1, t, c] */
static int32_t to_2d(struct tflc_klower *c, int32_t x) {
    const struct tflc_ir_tensor *t = kir_t(c, x);
    int32_t d[4] = {t->dims[0], 1, t->dims[1], t->dims[2]};
    int32_t axis = 1;
    int32_t ax = kir_const_i32(c, "/ExpandDims/dim", 1, &axis);
    int32_t y = kir_tensor(c, "/ExpandDims", t->dtype, 4, d);
    int32_t in[2] = {x, ax};
    if (ax < 0 || y < 0 || kir_node(c, OP(EXPAND_DIMS), in, 2, &y, 1) < 0) return -1;
    return y;
}

/* [b, 1, t, c] -> [b, t, c] */
static int32_t from_2d(struct tflc_klower *c, int32_t x) {
    const struct tflc_ir_tensor *t = kir_t(c, x);
    int32_t d[3] = {t->dims[0], t->dims[2], t->dims[3]};
    return kir_reshape(c, x, 3, d, "/Squeeze");
}

/* PAD x [b, h, w, c] with (top, bottom, left, right). */
static int32_t pad2d(struct tflc_klower *c, int32_t x, int32_t t, int32_t b, int32_t l, int32_t r, const char *suffix) {
    const struct tflc_ir_tensor *xt = kir_t(c, x);
    int32_t pv[8] = {0, 0, t, b, l, r, 0, 0};
    int32_t pk = tflc_ir_const(c->g, suffix, TFLC_DTYPE_INT32, 2, (int32_t[]){4, 2}, pv);
    int32_t d[4] = {xt->dims[0], xt->dims[1] + t + b, xt->dims[2] + l + r, xt->dims[3]};
    int32_t y = kir_tensor(c, suffix, xt->dtype, 4, d);
    int32_t in[2] = {x, pk};
    if (pk < 0 || y < 0 || kir_node(c, OP(PAD), in, 2, &y, 1) < 0) return -1;
    return y;
}

/* TFLite runtimes before 2.x require a bias on CONV_2D / DEPTHWISE_CONV_2D (Google's
 * converter always writes one), so a layer without bias gets zeros. */
static int32_t zero_bias(struct tflc_klower *c, int32_t n) {
    float *z = calloc((size_t)n, sizeof *z);
    if (!z) return -1;
    int32_t t = kir_const_f32(c, "/bias", 1, &n, z);
    free(z);
    return t;
}

/* Core 2-D convolution on NHWC x with a Keras kernel [kh, kw, cin/groups, cout]. */
static int32_t conv2d_core(struct tflc_klower *c, int32_t x, const int32_t *k, const int32_t *s, const int32_t *d, int pad,
                           int64_t filters, int64_t groups, bool use_bias, int wbase, const char *suffix) {
    const struct tflc_ir_tensor *xt = kir_t(c, x);
    int32_t cin = xt->dims[3];
    if (groups < 1 || cin % groups || filters % groups) {
        kfail(c, TFLC_STATUS_INVALID_MODEL, "%d input channels and %lld filters do not split into %lld groups", cin,
              (long long)filters, (long long)groups);
        return -1;
    }
    int32_t cg = cin / (int32_t)groups;
    const struct tflc_kweight *kw, *bw = NULL;
    if (kw_get(c, wbase, "kernel", 4, (int32_t[]){k[0], k[1], cg, (int32_t)filters}, &kw)) return -1;
    if (use_bias && kw_get(c, wbase + 1, "bias", 1, (int32_t[]){(int32_t)filters}, &bw)) return -1;
    int32_t O = (int32_t)filters;
    float *w = malloc(sizeof *w * (size_t)O * (size_t)k[0] * (size_t)k[1] * (size_t)cg + 1);
    if (!w) { kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); return -1; }
    const float *src = kw->data;
    for (int32_t h = 0; h < k[0]; h++)
        for (int32_t q = 0; q < k[1]; q++)
            for (int32_t i = 0; i < cg; i++)
                for (int32_t o = 0; o < O; o++)
                    w[(((size_t)o * (size_t)k[0] + (size_t)h) * (size_t)k[1] + (size_t)q) * (size_t)cg + (size_t)i] =
                        src[(((size_t)h * (size_t)k[1] + (size_t)q) * (size_t)cg + (size_t)i) * (size_t)O + (size_t)o];
    int32_t wt = kir_const_f32(c, "/kernel", 4, (int32_t[]){O, k[0], k[1], cg}, w);
    free(w);
    int32_t bt = bw ? kir_const_f32(c, "/bias", 1, &O, bw->data) : zero_bias(c, O);
    int32_t od[4] = {xt->dims[0], out_size(xt->dims[1], k[0], s[0], d[0], pad), out_size(xt->dims[2], k[1], s[1], d[1], pad), O};
    if (od[1] < 1 || od[2] < 1) { kfail(c, TFLC_STATUS_INVALID_MODEL, "the kernel is larger than the input"); return -1; }
    int32_t y = kir_tensor(c, suffix, TFLC_DTYPE_FLOAT32, 4, od);
    int32_t in[3] = {x, wt, bt};
    int32_t node = wt >= 0 && y >= 0 ? kir_node(c, OP(CONV_2D), in, 3, &y, 1) : -1;
    if (node < 0) return -1;
    tflc_ir_opt_int(c->g, node, "padding", pad);
    tflc_ir_opt_int(c->g, node, "stride_h", s[0]);
    tflc_ir_opt_int(c->g, node, "stride_w", s[1]);
    tflc_ir_opt_int(c->g, node, "dilation_h_factor", d[0]);
    tflc_ir_opt_int(c->g, node, "dilation_w_factor", d[1]);
    return y;
}

static enum tflc_status conv_common(struct tflc_klower *c, const int32_t *in, int nin, int rank, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    enum tflc_status st = channels_last(c);
    if (st) return st;
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    if (xt->rank != rank + 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank %d", rank + 2);
    int64_t filters, groups;
    bool use_bias, causal;
    int pad = TFLC_TFL_PADDING_VALID;
    int32_t k[2] = {1, 1}, s[2] = {1, 1}, d[2] = {1, 1}, one[2] = {1, 1};
    if ((st = kcfg_int(c, "filters", -1, 1, 1 << 20, &filters)) || (st = kcfg_int(c, "groups", 1, 1, 1 << 20, &groups)) ||
        (st = kcfg_bool(c, "use_bias", true, &use_bias)) || (st = padding(c, &pad, rank == 1, &causal)))
        return st;
    if (filters < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'filters' is missing");
    if ((st = kcfg_ints(c, "kernel_size", rank, NULL, 1, 1 << 16, rank == 1 ? k + 1 : k)) ||
        (st = kcfg_ints(c, "strides", rank, one, 1, 1 << 16, rank == 1 ? s + 1 : s)) ||
        (st = kcfg_ints(c, "dilation_rate", rank, one, 1, 1 << 16, rank == 1 ? d + 1 : d)))
        return st;
    if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1))
        return kfail(c, TFLC_STATUS_UNSUPPORTED, "strides and dilation together");
    int32_t x = in[0];
    if (rank == 1) {
        if (causal) {
            const struct tflc_ir_tensor *t = kir_t(c, x);
            int32_t pv[6] = {0, 0, (k[1] - 1) * d[1], 0, 0, 0};
            int32_t pk = tflc_ir_const(c->g, "causal_pad", TFLC_DTYPE_INT32, 2, (int32_t[]){3, 2}, pv);
            int32_t pd[3] = {t->dims[0], t->dims[1] + pv[2], t->dims[2]};
            int32_t y = kir_tensor(c, "/causal_pad", t->dtype, 3, pd);
            int32_t pin[2] = {x, pk};
            if (pk < 0 || y < 0 || kir_node(c, OP(PAD), pin, 2, &y, 1) < 0) return TFLC_STATUS_OUT_OF_MEMORY;
            x = y;
        }
        x = to_2d(c, x);
        if (x < 0) return c->diag->status;
        /* The Keras 1-D kernel [k, cin, cout] is the 2-D kernel [1, k, cin, cout]. */
    }
    int32_t y;
    if (rank == 1) {
        /* kw_get checks rank 4; wrap the 3-D kernel by viewing it through a child lowering is not
         * possible, so check it here and let conv2d_core read it as [1, k, cin, cout]. */
        const struct tflc_kweight *kw;
        int32_t cg = kir_t(c, x)->dims[3] / (int32_t)(groups > 0 ? groups : 1);
        if ((st = kw_get(c, 0, "kernel", 3, (int32_t[]){k[1], cg, (int32_t)filters}, &kw))) return st;
        struct tflc_kweight fake = *kw;
        fake.rank = 4;
        fake.dims[0] = 1;
        fake.dims[1] = k[1];
        fake.dims[2] = cg;
        fake.dims[3] = (int32_t)filters;
        struct tflc_kweight ws[2];
        ws[0] = fake;
        int nw = 1;
        if (use_bias) {
            const struct tflc_kweight *bw;
            if ((st = kw_get(c, 1, "bias", 1, (int32_t[]){(int32_t)filters}, &bw))) return st;
            ws[1] = *bw;
            nw = 2;
        }
        struct tflc_kgroup g1 = {c->w ? c->w->name : c->name, ws, nw, NULL, 0};
        struct tflc_klower c2 = *c;
        c2.w = &g1;
        y = conv2d_core(&c2, x, k, s, d, pad, filters, groups, use_bias, 0, "/Conv2D");
        if (y >= 0) {
            y = kir_activation(c, y, kcfg_activation(c, "activation"));
            if (y >= 0) y = from_2d(c, y);
        }
    } else {
        y = conv2d_core(c, x, k, s, d, pad, filters, groups, use_bias, 0, "/Conv2D");
        if (y >= 0) y = kir_activation(c, y, kcfg_activation(c, "activation"));
    }
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_conv1d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return conv_common(c, in, nin, 1, out, nout);
}
enum tflc_status tflc_klayer_conv2d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return conv_common(c, in, nin, 2, out, nout);
}

/* Depthwise on NHWC x; Keras depthwise_kernel [kh, kw, cin, mult] is TFLite's [1, kh, kw, cin*mult]. */
static int32_t depthwise_core(struct tflc_klower *c, int32_t x, const int32_t *k, const int32_t *s, const int32_t *d, int pad,
                              int64_t mult, bool use_bias, int wbase, const char *suffix) {
    const struct tflc_ir_tensor *xt = kir_t(c, x);
    int32_t cin = xt->dims[3], C = cin * (int32_t)mult;
    const struct tflc_kweight *kw, *bw = NULL;
    if (kw_get(c, wbase, "depthwise_kernel", 4, (int32_t[]){k[0], k[1], cin, (int32_t)mult}, &kw)) return -1;
    if (use_bias && kw_get(c, wbase + 1, "bias", 1, &C, &bw)) return -1;
    int32_t wt = kir_const_f32(c, "/depthwise_kernel", 4, (int32_t[]){1, k[0], k[1], C}, kw->data);
    int32_t bt = bw ? kir_const_f32(c, "/bias", 1, &C, bw->data) : zero_bias(c, C);
    int32_t od[4] = {xt->dims[0], out_size(xt->dims[1], k[0], s[0], d[0], pad), out_size(xt->dims[2], k[1], s[1], d[1], pad), C};
    if (od[1] < 1 || od[2] < 1) { kfail(c, TFLC_STATUS_INVALID_MODEL, "the kernel is larger than the input"); return -1; }
    int32_t y = kir_tensor(c, suffix, TFLC_DTYPE_FLOAT32, 4, od);
    int32_t in[3] = {x, wt, bt};
    int32_t node = wt >= 0 && y >= 0 ? kir_node(c, OP(DEPTHWISE_CONV_2D), in, 3, &y, 1) : -1;
    if (node < 0) return -1;
    tflc_ir_opt_int(c->g, node, "padding", pad);
    tflc_ir_opt_int(c->g, node, "stride_h", s[0]);
    tflc_ir_opt_int(c->g, node, "stride_w", s[1]);
    tflc_ir_opt_int(c->g, node, "depth_multiplier", mult);
    tflc_ir_opt_int(c->g, node, "dilation_h_factor", d[0]);
    tflc_ir_opt_int(c->g, node, "dilation_w_factor", d[1]);
    return y;
}

enum tflc_status tflc_klayer_depthwise_conv2d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    enum tflc_status st = channels_last(c);
    if (st) return st;
    if (kir_t(c, in[0])->rank != 4) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank 4");
    int64_t mult;
    bool use_bias;
    int pad = TFLC_TFL_PADDING_VALID;
    int32_t k[2], s[2], d[2], one[2] = {1, 1};
    if ((st = kcfg_int(c, "depth_multiplier", 1, 1, 1 << 16, &mult)) || (st = kcfg_bool(c, "use_bias", true, &use_bias)) ||
        (st = padding(c, &pad, false, NULL)) || (st = kcfg_ints(c, "kernel_size", 2, NULL, 1, 1 << 16, k)) ||
        (st = kcfg_ints(c, "strides", 2, one, 1, 1 << 16, s)) || (st = kcfg_ints(c, "dilation_rate", 2, one, 1, 1 << 16, d)))
        return st;
    int32_t y = depthwise_core(c, in[0], k, s, d, pad, mult, use_bias, 0, "/depthwise");
    if (y >= 0) y = kir_activation(c, y, kcfg_activation(c, "activation"));
    return finish(c, y, out, nout);
}

static enum tflc_status separable(struct tflc_klower *c, const int32_t *in, int nin, int rank, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    enum tflc_status st = channels_last(c);
    if (st) return st;
    if (kir_t(c, in[0])->rank != rank + 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank %d", rank + 2);
    int64_t mult, filters;
    bool use_bias;
    int pad = TFLC_TFL_PADDING_VALID;
    int32_t k[2] = {1, 1}, s[2] = {1, 1}, d[2] = {1, 1}, one[2] = {1, 1};
    if ((st = kcfg_int(c, "depth_multiplier", 1, 1, 1 << 16, &mult)) || (st = kcfg_int(c, "filters", -1, 1, 1 << 20, &filters)) ||
        (st = kcfg_bool(c, "use_bias", true, &use_bias)) || (st = padding(c, &pad, false, NULL)) ||
        (st = kcfg_ints(c, "kernel_size", rank, NULL, 1, 1 << 16, rank == 1 ? k + 1 : k)) ||
        (st = kcfg_ints(c, "strides", rank, one, 1, 1 << 16, rank == 1 ? s + 1 : s)) ||
        (st = kcfg_ints(c, "dilation_rate", rank, one, 1, 1 << 16, rank == 1 ? d + 1 : d)))
        return st;
    if (filters < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'filters' is missing");
    int32_t x = rank == 1 ? to_2d(c, in[0]) : in[0];
    if (x < 0) return c->diag->status;
    int32_t cin = kir_t(c, x)->dims[3];
    /* Weights: depthwise_kernel, pointwise_kernel, bias. 1-D kernels get a leading 1.
     * TensorFlow.js leaves depth_multiplier out of its config: the kernel then tells it. */
    const cJSON *mj = kcfg(c, "depth_multiplier");
    int32_t m = mj && !cJSON_IsNull(mj) ? (int32_t)mult : -1;
    const struct tflc_kweight *dw, *pw, *bw = NULL;
    int kr = rank + 2;
    int32_t dwd[4], pwd[4];
    if (rank == 1) memcpy(dwd, (int32_t[]){k[1], cin, m, 0}, sizeof dwd);
    else memcpy(dwd, (int32_t[]){k[0], k[1], cin, m}, sizeof dwd);
    if ((st = kw_get(c, 0, "depthwise_kernel", kr, dwd, &dw))) return st;
    mult = dw->dims[kr - 1];
    if (mult < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "depthwise_kernel has a zero depth multiplier");
    int32_t C = cin * (int32_t)mult;
    if (rank == 1) memcpy(pwd, (int32_t[]){1, C, (int32_t)filters, 0}, sizeof pwd);
    else memcpy(pwd, (int32_t[]){1, 1, C, (int32_t)filters}, sizeof pwd);
    if ((st = kw_get(c, 1, "pointwise_kernel", kr, pwd, &pw))) return st;
    if (use_bias && (st = kw_get(c, 2, "bias", 1, (int32_t[]){(int32_t)filters}, &bw))) return st;
    struct tflc_kweight ws[3] = {*dw, *pw};
    ws[0].rank = 4; memcpy(ws[0].dims, (int32_t[]){k[0], k[1], cin, (int32_t)mult}, 16);
    ws[1].rank = 4; memcpy(ws[1].dims, (int32_t[]){1, 1, C, (int32_t)filters}, 16);
    ws[0].name = "depthwise_kernel";
    ws[1].name = "kernel";
    if (bw) ws[2] = *bw;
    struct tflc_kgroup g1 = {c->name, ws, bw ? 3 : 2, NULL, 0};
    struct tflc_klower c2 = *c;
    c2.w = &g1;
    /* pointwise conv reads weights 1 (kernel) and 2 (bias) */
    int32_t y = depthwise_core(&c2, x, k, s, d, pad, mult, false, 0, "/depthwise");
    int32_t k1[2] = {1, 1};
    if (y >= 0) y = conv2d_core(&c2, y, k1, one, one, TFLC_TFL_PADDING_VALID, filters, 1, use_bias, 1, "/pointwise");
    if (y >= 0) y = kir_activation(c, y, kcfg_activation(c, "activation"));
    if (y >= 0 && rank == 1) y = from_2d(c, y);
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_separable_conv1d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return separable(c, in, nin, 1, out, nout);
}
enum tflc_status tflc_klayer_separable_conv2d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return separable(c, in, nin, 2, out, nout);
}

enum tflc_status tflc_klayer_conv2d_transpose(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    enum tflc_status st = channels_last(c);
    if (st) return st;
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    if (xt->rank != 4) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank 4");
    int64_t filters;
    bool use_bias;
    int pad = TFLC_TFL_PADDING_VALID;
    int32_t k[2], s[2], d[2], one[2] = {1, 1};
    if ((st = kcfg_int(c, "filters", -1, 1, 1 << 20, &filters)) || (st = kcfg_bool(c, "use_bias", true, &use_bias)) ||
        (st = padding(c, &pad, false, NULL)) || (st = kcfg_ints(c, "kernel_size", 2, NULL, 1, 1 << 16, k)) ||
        (st = kcfg_ints(c, "strides", 2, one, 1, 1 << 16, s)) || (st = kcfg_ints(c, "dilation_rate", 2, one, 1, 1 << 16, d)))
        return st;
    if (filters < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'filters' is missing");
    if (d[0] != 1 || d[1] != 1) return kfail(c, TFLC_STATUS_UNSUPPORTED, "dilated transposed convolution");
    const cJSON *opj = kcfg(c, "output_padding");
    bool has_op = opj && !cJSON_IsNull(opj);
    int32_t opad[2] = {0, 0};
    if (has_op && (st = kcfg_ints(c, "output_padding", 2, NULL, 0, 1 << 16, opad))) return st;
    if (has_op && (opad[0] >= s[0] || opad[1] >= s[1]))
        return kfail(c, TFLC_STATUS_INVALID_MODEL, "output_padding must be smaller than the strides");
    int32_t cin = xt->dims[3], O = (int32_t)filters;
    const struct tflc_kweight *kw, *bw = NULL;
    if ((st = kw_get(c, 0, "kernel", 4, (int32_t[]){k[0], k[1], O, cin}, &kw))) return st;
    if (use_bias && (st = kw_get(c, 1, "bias", 1, &O, &bw))) return st;
    float *w = malloc(sizeof *w * (size_t)O * (size_t)k[0] * (size_t)k[1] * (size_t)cin + 1);
    if (!w) return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    const float *src = kw->data;
    /* [kh, kw, O, I] -> [O, kh, kw, I] */
    for (int32_t h = 0; h < k[0]; h++)
        for (int32_t q = 0; q < k[1]; q++)
            for (int32_t o = 0; o < O; o++)
                for (int32_t i = 0; i < cin; i++)
                    w[(((size_t)o * (size_t)k[0] + (size_t)h) * (size_t)k[1] + (size_t)q) * (size_t)cin + (size_t)i] =
                        src[(((size_t)h * (size_t)k[1] + (size_t)q) * (size_t)O + (size_t)o) * (size_t)cin + (size_t)i];
    int32_t wt = kir_const_f32(c, "/kernel", 4, (int32_t[]){O, k[0], k[1], cin}, w);
    free(w);
    int32_t bt = bw ? kir_const_f32(c, "/bias", 1, &O, bw->data) : -1;
    /* Keras's deconv_output_length; TRANSPOSE_CONV then pads like TensorFlow's
     * conv2d_transpose for that output size (SAME: half the excess before, VALID: none). */
    int32_t od[2];
    for (int i = 0; i < 2; i++) {
        int32_t n = xt->dims[1 + i];
        if (has_op) od[i] = (n - 1) * s[i] + k[i] - 2 * (pad == TFLC_TFL_PADDING_SAME ? k[i] / 2 : 0) + opad[i];
        else od[i] = pad == TFLC_TFL_PADDING_SAME ? n * s[i] : n * s[i] + (k[i] > s[i] ? k[i] - s[i] : 0);
        if (od[i] < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "the output would be empty");
    }
    int32_t oh = od[0], ow = od[1];
    int32_t os[4] = {xt->dims[0], oh, ow, O};
    int32_t shape = kir_const_i32(c, "/output_shape", 4, os);
    int32_t y = kir_tensor(c, "/conv2d_transpose", TFLC_DTYPE_FLOAT32, 4, os);
    int32_t tin[4] = {shape, wt, in[0], bt};
    int32_t node = shape >= 0 && wt >= 0 && y >= 0 ? kir_node(c, OP(TRANSPOSE_CONV), tin, bt >= 0 ? 4 : 3, &y, 1) : -1;
    if (node < 0) return finish(c, -1, out, nout);
    tflc_ir_opt_int(c->g, node, "padding", pad);
    tflc_ir_opt_int(c->g, node, "stride_h", s[0]);
    tflc_ir_opt_int(c->g, node, "stride_w", s[1]);
    return finish(c, kir_activation(c, y, kcfg_activation(c, "activation")), out, nout);
}

/* ---- pooling ---- */

static enum tflc_status pool(struct tflc_klower *c, const int32_t *in, int nin, int rank, int32_t op, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    enum tflc_status st = channels_last(c);
    if (st) return st;
    if (kir_t(c, in[0])->rank != rank + 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank %d", rank + 2);
    int pad = TFLC_TFL_PADDING_VALID;
    int32_t k[2] = {1, 1}, s[2] = {1, 1}, two[2] = {2, 2};
    if ((st = padding(c, &pad, false, NULL))) return st;
    const char *pk = kcfg(c, "pool_size") ? "pool_size" : "pool_length";
    if ((st = kcfg_ints(c, pk, rank, two, 1, 1 << 16, rank == 1 ? k + 1 : k))) return st;
    const cJSON *sj = kcfg(c, "strides");
    if (!sj || cJSON_IsNull(sj)) memcpy(s, k, sizeof s);
    else if ((st = kcfg_ints(c, "strides", rank, NULL, 1, 1 << 16, rank == 1 ? s + 1 : s))) return st;
    int32_t x = rank == 1 ? to_2d(c, in[0]) : in[0];
    if (x < 0) return c->diag->status;
    const struct tflc_ir_tensor *xt = kir_t(c, x);
    int32_t od[4] = {xt->dims[0], out_size(xt->dims[1], k[0], s[0], 1, pad), out_size(xt->dims[2], k[1], s[1], 1, pad), xt->dims[3]};
    if (od[1] < 1 || od[2] < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "the pool is larger than the input");
    int32_t y = kir_tensor(c, op == OP(MAX_POOL_2D) ? "/MaxPool" : "/AvgPool", xt->dtype, 4, od);
    int32_t node = y >= 0 ? kir_node(c, op, &x, 1, &y, 1) : -1;
    if (node < 0) return finish(c, -1, out, nout);
    tflc_ir_opt_int(c->g, node, "padding", pad);
    tflc_ir_opt_int(c->g, node, "stride_h", s[0]);
    tflc_ir_opt_int(c->g, node, "stride_w", s[1]);
    tflc_ir_opt_int(c->g, node, "filter_height", k[0]);
    tflc_ir_opt_int(c->g, node, "filter_width", k[1]);
    if (rank == 1) y = from_2d(c, y);
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_max_pool1d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return pool(c, in, nin, 1, OP(MAX_POOL_2D), out, nout);
}
enum tflc_status tflc_klayer_max_pool2d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return pool(c, in, nin, 2, OP(MAX_POOL_2D), out, nout);
}
enum tflc_status tflc_klayer_avg_pool1d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return pool(c, in, nin, 1, OP(AVERAGE_POOL_2D), out, nout);
}
enum tflc_status tflc_klayer_avg_pool2d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return pool(c, in, nin, 2, OP(AVERAGE_POOL_2D), out, nout);
}

static enum tflc_status global_pool(struct tflc_klower *c, const int32_t *in, int nin, int rank, int32_t op, int32_t *out,
                                    int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    enum tflc_status st = channels_last(c);
    if (st) return st;
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    if (xt->rank != rank + 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank %d", rank + 2);
    bool keep;
    if ((st = kcfg_bool(c, kcfg(c, "keepdims") ? "keepdims" : "keep_dims", false, &keep))) return st;
    int32_t axes[2] = {1, 2};
    int32_t ax = kir_const_i32(c, "/reduction_indices", rank, axes);
    int32_t d[TFLC_MAX_DIMS];
    int r = 0;
    d[r++] = xt->dims[0];
    if (keep) for (int i = 0; i < rank; i++) d[r++] = 1;
    d[r++] = xt->dims[xt->rank - 1];
    int32_t y = kir_tensor(c, op == OP(MEAN) ? "/Mean" : "/Max", xt->dtype, r, d);
    int32_t rin[2] = {in[0], ax};
    int32_t node = ax >= 0 && y >= 0 ? kir_node(c, op, rin, 2, &y, 1) : -1;
    if (node < 0) return finish(c, -1, out, nout);
    if (keep) tflc_ir_opt_bool(c->g, node, "keep_dims", true);
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_global_avg_pool1d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return global_pool(c, in, nin, 1, OP(MEAN), out, nout);
}
enum tflc_status tflc_klayer_global_avg_pool2d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return global_pool(c, in, nin, 2, OP(MEAN), out, nout);
}
enum tflc_status tflc_klayer_global_max_pool1d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return global_pool(c, in, nin, 1, OP(REDUCE_MAX), out, nout);
}
enum tflc_status tflc_klayer_global_max_pool2d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return global_pool(c, in, nin, 2, OP(REDUCE_MAX), out, nout);
}

/* ZeroPadding1D/2D: padding int, (a, b) or ((t, b), (l, r)). */
static enum tflc_status zero_pad(struct tflc_klower *c, const int32_t *in, int nin, int rank, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    enum tflc_status st = channels_last(c);
    if (st) return st;
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    if (xt->rank != rank + 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank %d", rank + 2);
    int32_t p[4] = {1, 1, 1, 1};
    const cJSON *j = kcfg(c, "padding");
    if (cJSON_IsNumber(j)) {
        for (int i = 0; i < 4; i++) p[i] = kjson_i32(j);
    } else if (cJSON_IsArray(j) && cJSON_GetArraySize(j) == rank && rank == 2 && cJSON_IsNumber(cJSON_GetArrayItem(j, 0))) {
        p[0] = p[1] = kjson_i32(cJSON_GetArrayItem(j, 0));
        p[2] = p[3] = kjson_i32(cJSON_GetArrayItem(j, 1));
    } else if (cJSON_IsArray(j) && rank == 1 && cJSON_GetArraySize(j) == 2) {
        p[2] = kjson_i32(cJSON_GetArrayItem(j, 0));
        p[3] = kjson_i32(cJSON_GetArrayItem(j, 1));
        p[0] = p[1] = 0;
    } else if (cJSON_IsArray(j) && rank == 2 && cJSON_GetArraySize(j) == 2) {
        for (int a = 0; a < 2; a++) {
            const cJSON *e = cJSON_GetArrayItem(j, a);
            if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "bad 'padding'");
            p[2 * a] = kjson_i32(cJSON_GetArrayItem(e, 0));
            p[2 * a + 1] = kjson_i32(cJSON_GetArrayItem(e, 1));
        }
    } else if (j && !cJSON_IsNull(j)) {
        return kfail(c, TFLC_STATUS_INVALID_MODEL, "bad 'padding'");
    }
    if (rank == 1 && cJSON_IsNumber(j)) p[0] = p[1] = 0;
    for (int i = 0; i < 4; i++)
        if (p[i] < 0 || p[i] > (1 << 20)) return kfail(c, TFLC_STATUS_INVALID_MODEL, "padding out of range");
    int32_t y;
    if (rank == 2) {
        y = pad2d(c, in[0], p[0], p[1], p[2], p[3], "/Pad");
    } else {
        int32_t pv[6] = {0, 0, p[2], p[3], 0, 0};
        int32_t pk = tflc_ir_const(c->g, "zero_pad1d", TFLC_DTYPE_INT32, 2, (int32_t[]){3, 2}, pv);
        int32_t d[3] = {xt->dims[0], xt->dims[1] + p[2] + p[3], xt->dims[2]};
        y = kir_tensor(c, "/Pad", xt->dtype, 3, d);
        int32_t pin[2] = {in[0], pk};
        if (pk < 0 || y < 0 || kir_node(c, OP(PAD), pin, 2, &y, 1) < 0) y = -1;
    }
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_zero_pad1d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return zero_pad(c, in, nin, 1, out, nout);
}
enum tflc_status tflc_klayer_zero_pad2d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return zero_pad(c, in, nin, 2, out, nout);
}
