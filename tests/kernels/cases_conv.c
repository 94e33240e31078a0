/* CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV cases, checked against Google's TFLite.
 *
 * Hand-picked edge cases (1x1 filters, a filter larger than the input with SAME padding, a
 * window exactly the input with VALID, odd sizes, zero points at the extremes, saturating
 * output scales, every fused activation) plus seeded random shapes, strides, dilations,
 * paddings, groups, depth multipliers and channel counts for every type: float32 (also with the
 * filter and bias fed as graph inputs, i.e. not constant), int8 per-channel and per-tensor,
 * uint8, int16x8 and the dynamic-range hybrid (float input, int8 filter).
 *
 * Tolerances: float 1e-5 relative; quantized cases must be exact ("int 0 1"). Google's
 * runtime runs most 8-bit convs through XNNPACK (fp32 requantization, (float)acc * scale
 * rounded half to even) and the rest through its builtin kernels (ruy's single rounding for
 * int8 CONV_2D, MultiplyByQuantizedMultiplier for uint8 CONV_2D, DEPTHWISE_CONV_2D and
 * TRANSPOSE_CONV); tflc's
 * default arithmetic picks the same one per node (conv_util.h, runtime/xnnpack_select.c).
 * TFLite's reference arithmetic is hand-checked in test_conv.c. int16 runs TFLite's
 * reference kernels on both sides. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "op_cases.h"

/* Case-parameter PRNG, separate from op_cases' data PRNG (oc_begin reseeds that one per case),
 * so the parameters of later cases do not depend on which cases a filter selects. */
static uint64_t pick_state = 0x2545f4914f6cdd1dull;
static uint32_t pick_u32(void) {
    pick_state ^= pick_state >> 12;
    pick_state ^= pick_state << 25;
    pick_state ^= pick_state >> 27;
    return (uint32_t)((pick_state * 2685821657736338717ull) >> 32);
}
static int pick(int lo, int hi) { return lo + (int)(pick_u32() % (uint32_t)(hi - lo + 1)); }
static float pickf(float lo, float hi) { return lo + (hi - lo) * (float)(pick_u32() / 4294967296.0); }

enum kind {
    K_F32,       /* float, constant filter and bias */
    K_F32_DYN,   /* float, filter and bias are graph inputs */
    K_U8,        /* uint8, per-tensor filter with a zero point */
    K_S8,        /* int8, per-channel filter */
    K_S8_PT,     /* int8, per-tensor filter */
    K_S16,       /* int16 x int8, int64 bias */
    K_HYB,       /* float input, int8 per-tensor filter */
    K_HYB_PC,    /* float input, int8 per-channel filter */
};

static const char *kind_name[] = {"f32", "f32dyn", "u8", "s8", "s8pt", "s16", "hyb", "hybpc"};

/* One case: NHWC input, filter window, strides, dilations, padding, activation, and the op's
 * channel parameter (CONV_2D: output channels and groups; DEPTHWISE: depth multiplier). */
struct cp {
    enum kind k;
    int n, h, w, cin;
    int cout, groups, mult;
    int kh, kw, sh, sw, dh, dw;
    int pad, act;
    bool bias;
    int zx, zy, zw;        /* zero points (input, output, uint8 filter) */
    float sat;             /* output scale factor: < 1 saturates more */
    int prepad[4];         /* nonzero: a PAD (top, bottom, left, right) feeds the op (tflc fuses it) */
};

static int out_size(int pad, int in, int k, int s, int d) {
    int eff = (k - 1) * d + 1;
    return pad == TFLC_TFL_PADDING_SAME ? (in + s - 1) / s : (in + s - eff) / s;
}

static bool is_quant(enum kind k) { return k == K_U8 || k == K_S8 || k == K_S8_PT || k == K_S16; }
static bool is_hybrid(enum kind k) { return k == K_HYB || k == K_HYB_PC; }

static enum tflc_dtype act_type(enum kind k) {
    switch (k) {
    case K_U8: return TFLC_DTYPE_UINT8;
    case K_S8: case K_S8_PT: return TFLC_DTYPE_INT8;
    case K_S16: return TFLC_DTYPE_INT16;
    default: return TFLC_DTYPE_FLOAT32;
    }
}

/* Quantization of the activations, filter and bias of a case with `nch` output channels
 * along filter axis `axis` and `depth` products per output (for the output scale). */
struct qset {
    float sx, sy, sw[512], sb[512];
    int64_t zx, zy, zw[512], zb[512];
    struct tflc_tflb_quant qx, qy, qw, qb;
};

static void make_q(struct qset *q, const struct cp *p, int nch, int axis, int depth) {
    memset(q, 0, sizeof *q);
    enum kind k = p->k;
    bool per_channel = k == K_S8 || k == K_S16 || k == K_HYB_PC;
    float wsum = 0.0f;
    for (int i = 0; i < nch; i++) {
        q->sw[i] = per_channel || i == 0 ? pickf(0.002f, 0.02f) : q->sw[0];
        q->zw[i] = k == K_U8 ? p->zw : 0;
        wsum += q->sw[i];
    }
    q->qw = (struct tflc_tflb_quant){per_channel ? nch : 1, q->sw, q->zw, axis};
    if (!is_quant(k)) return;
    q->sx = k == K_S16 ? pickf(0.0001f, 0.001f) : pickf(0.005f, 0.05f);
    q->zx = k == K_S16 ? 0 : p->zx;
    q->zy = k == K_S16 ? 0 : p->zy;
    /* Typical |acc| ~ sqrt(depth) * std(x) * std(w); aim the output's spread at a good part of
     * its range (times `sat`). */
    float spread = k == K_S16 ? 172.0f : 108.0f;
    if (k == K_U8) spread = 108.0f * 0.6f;
    q->sy = q->sx * (wsum / (float)nch) * spread * sqrtf((float)depth) * p->sat;
    for (int i = 0; i < nch; i++) { q->sb[i] = q->sx * q->sw[i]; q->zb[i] = 0; }
    q->qx = (struct tflc_tflb_quant){1, &q->sx, &q->zx, 0};
    q->qy = (struct tflc_tflb_quant){1, &q->sy, &q->zy, 0};
    q->qb = (struct tflc_tflb_quant){per_channel ? nch : 1, q->sb, q->zb, 0};
}

/* Filter constant (or graph input for K_F32_DYN). */
static int make_filter(struct oc *c, const struct cp *p, const int32_t *dims, struct qset *q) {
    switch (p->k) {
    case K_F32: return oc_const_range(c, "w", TFLC_DTYPE_FLOAT32, 4, dims, -1, 1, NULL);
    case K_F32_DYN: return oc_input(c, "w", TFLC_DTYPE_FLOAT32, 4, dims, NULL);
    case K_U8: return oc_const_range(c, "w", TFLC_DTYPE_UINT8, 4, dims, 0, 255, &q->qw);
    default: return oc_const_range(c, "w", TFLC_DTYPE_INT8, 4, dims, -127, 127, &q->qw);
    }
}

/* Bias sized like a typical accumulator (`mag`), or -1 when the case has none. */
static int make_bias(struct oc *c, const struct cp *p, int nch, struct qset *q, double mag) {
    if (!p->bias) return -1;
    const int32_t dims[1] = {nch};
    switch (p->k) {
    case K_F32: case K_HYB: case K_HYB_PC: return oc_const_range(c, "b", TFLC_DTYPE_FLOAT32, 1, dims, -1, 1, NULL);
    case K_F32_DYN: return oc_input(c, "b", TFLC_DTYPE_FLOAT32, 1, dims, NULL);
    case K_S16: return oc_const_range(c, "b", TFLC_DTYPE_INT64, 1, dims, -mag, mag, &q->qb);
    default: return oc_const_range(c, "b", TFLC_DTYPE_INT32, 1, dims, -mag, mag, &q->qb);
    }
}

static int make_input(struct oc *c, const struct cp *p, struct qset *q) {
    const int32_t dims[4] = {p->n, p->h, p->w, p->cin};
    return oc_input(c, "x", act_type(p->k), 4, dims, is_quant(p->k) ? &q->qx : NULL);
}

/* With p->prepad: x -> PAD -> the returned tensor, and *h, *w the padded size; else x. Keras
 * writes ZeroPadding2D + a VALID conv this way, and tflc folds the PAD into the conv
 * (runtime/fuse.c), so these cases check the fused conv against Google's two ops. */
static int prepad_input(struct oc *c, const struct cp *p, struct qset *q, int x, int *h, int *w) {
    *h = p->h;
    *w = p->w;
    if (!(p->prepad[0] | p->prepad[1] | p->prepad[2] | p->prepad[3])) return x;
    const int32_t pads[8] = {0, 0, p->prepad[0], p->prepad[1], p->prepad[2], p->prepad[3], 0, 0};
    int pt = oc_const(c, "paddings", TFLC_DTYPE_INT32, 2, (int32_t[]){4, 2}, pads, NULL);
    *h += p->prepad[0] + p->prepad[1];
    *w += p->prepad[2] + p->prepad[3];
    const int32_t dims[4] = {p->n, *h, *w, p->cin};
    int xp = oc_tensor(c, "x_padded", act_type(p->k), 4, dims, is_quant(p->k) ? &q->qx : NULL);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_PAD, p->k == K_S16 ? 4 : is_quant(p->k) ? 2 : 1, (int32_t[]){x, pt}, 2,
          (int32_t[]){xp}, 1, TFLC_TFL_BUILTIN_OPTIONS_NONE, 0);
    return xp;
}

static double acc_mag(const struct cp *p, int depth) {
    double sx = p->k == K_S16 ? 18918.0 : 74.0;
    double m = sqrt((double)depth) * sx * 73.0;
    return m > 2e9 ? 2e9 : m;
}

static const char *tol_of(enum kind k) {
    return is_quant(k) || k == K_S16 ? "int 0 1" : "float 1e-5";
}

/* ---- CONV_2D ---- */

static uint32_t conv_opts(struct oc *c, const struct cp *p) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_CONV2D_OPTIONS_PADDING, (int8_t)p->pad, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_W, p->sw, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_H, p->sh, 0);
    tflc_fbb_add_i8(f, TFLC_TFL_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)p->act, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_DILATION_W_FACTOR, p->dw, 1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_DILATION_H_FACTOR, p->dh, 1);
    return tflc_fbb_table_end(f);
}

static int conv_version(const struct cp *p) {
    if (p->groups > 1) return 6;
    switch (p->k) {
    case K_S8: case K_S8_PT: return 3;
    case K_S16: return 4;
    case K_HYB: return 2;
    case K_HYB_PC: return 5;
    default: return 1;
    }
}

static void conv_case(const char *name, const struct cp *p) {
    const int cg = p->cin / p->groups;
    struct qset *q = calloc(1, sizeof *q);
    make_q(q, p, p->cout, 0, p->kh * p->kw * cg); /* before oc_begin: picks must not depend on the filter */
    struct oc *c = oc_begin(name, tol_of(p->k));
    if (!c) { free(q); return; }
    const int32_t wd[4] = {p->cout, p->kh, p->kw, cg};
    int h, w_;
    int x0 = make_input(c, p, q);
    int x = prepad_input(c, p, q, x0, &h, &w_);
    int w = make_filter(c, p, wd, q);
    int b = make_bias(c, p, p->cout, q, acc_mag(p, p->kh * p->kw * cg));
    const int32_t yd[4] = {p->n, out_size(p->pad, h, p->kh, p->sh, p->dh), out_size(p->pad, w_, p->kw, p->sw, p->dw),
                           p->cout};
    int y = oc_output(c, "y", act_type(p->k), 4, yd, is_quant(p->k) ? &q->qy : NULL);
    if (is_quant(p->k)) {
        oc_input_range(c, x0, p->k == K_U8 ? 0 : p->k == K_S16 ? -32768 : -128,
                       p->k == K_U8 ? 255 : p->k == K_S16 ? 32767 : 127);
    }
    uint32_t opt = conv_opts(c, p);
    int32_t ins[3] = {x, w, b};
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_CONV_2D, conv_version(p), ins, p->bias ? 3 : 2, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_CONV2D_OPTIONS, opt);
    oc_end(c);
    free(q);
}

/* Random CONV_2D parameters of a kind; small enough to keep each case quick. */
static struct cp conv_random(enum kind k) {
    struct cp p;
    memset(&p, 0, sizeof p);
    p.k = k;
    p.n = pick(1, 3) == 3 ? 2 : 1;
    p.h = pick(1, 12);
    p.w = pick(1, 12);
    p.kh = pick(1, 5);
    p.kw = pick(1, 5);
    p.sh = pick(1, 3);
    p.sw = pick(1, 3);
    p.dh = pick(1, 4) == 4 ? pick(2, 3) : 1;
    p.dw = pick(1, 4) == 4 ? pick(2, 3) : 1;
    p.pad = pick(0, 1);
    /* VALID needs the dilated window to fit. */
    if (p.pad == TFLC_TFL_PADDING_VALID) {
        while ((p.kh - 1) * p.dh + 1 > p.h) p.h++;
        while ((p.kw - 1) * p.dw + 1 > p.w) p.w++;
    }
    /* Google's XNNPACK build (2022) is wrong for SAME padding when the stride exceeds the
     * dilated window so that TFLite's total padding (out-1)*stride + eff - in is negative (it
     * returns garbage, e.g. only the bias); TFLite clamps that padding to 0 and so does tflc.
     * Such shapes are checked against a direct formula in test_conv.c instead. */
    if (p.pad == TFLC_TFL_PADDING_SAME) {
        while (p.sh > 1 && (out_size(p.pad, p.h, p.kh, p.sh, p.dh) - 1) * p.sh + (p.kh - 1) * p.dh + 1 - p.h < 0) p.sh--;
        while (p.sw > 1 && (out_size(p.pad, p.w, p.kw, p.sw, p.dw) - 1) * p.sw + (p.kw - 1) * p.dw + 1 - p.w < 0) p.sw--;
    }
    p.groups = (k == K_HYB || k == K_HYB_PC) ? 1 : (pick(1, 4) == 4 ? pick(2, 3) : 1);
    p.cin = p.groups * pick(1, 7);
    p.cout = p.groups * pick(1, 6);
    p.act = pick(0, 3);
    p.bias = true; /* Google's CONV_2D requires one; DEPTHWISE / TRANSPOSE_CONV cases drop some */
    p.zx = k == K_U8 ? pick(0, 255) : pick(-128, 127);
    p.zy = k == K_U8 ? pick(0, 255) : pick(-128, 127);
    p.zw = pick(90, 160);
    p.sat = pickf(0.5f, 2.0f);
    return p;
}

static struct cp conv_fixed(enum kind k, int n, int h, int w, int cin, int cout, int kh, int kw, int sh, int sw, int dh,
                            int dw, int pad, int act, int groups) {
    struct cp p;
    memset(&p, 0, sizeof p);
    p.k = k;
    p.n = n; p.h = h; p.w = w; p.cin = cin; p.cout = cout; p.kh = kh; p.kw = kw;
    p.sh = sh; p.sw = sw; p.dh = dh; p.dw = dw; p.pad = pad; p.act = act; p.groups = groups;
    p.bias = true;
    p.zx = k == K_U8 ? 128 : -5;
    p.zy = k == K_U8 ? 120 : 3;
    p.zw = 128;
    p.sat = 1.0f;
    return p;
}

OC_GENERATOR(conv2d) {
    /* int16 with an int32 bias (CONV_2D v8) is newer than Google's WASM runtime: test_conv.c. */
    static const enum kind kinds[] = {K_F32, K_F32_DYN, K_U8, K_S8, K_S8_PT, K_S16, K_HYB, K_HYB_PC};
    char name[96];
    const int S = TFLC_TFL_PADDING_SAME, V = TFLC_TFL_PADDING_VALID;
    for (size_t ki = 0; ki < sizeof kinds / sizeof kinds[0]; ki++) {
        enum kind k = kinds[ki];
        struct cp e[8];
        const char *en[8] = {"1x1", "k_gt_in_same", "k_eq_in_valid", "odd_s2", "dil2", "s3_valid", "group3", "batch3"};
        e[0] = conv_fixed(k, 1, 5, 7, 6, 5, 1, 1, 1, 1, 1, 1, S, 0, 1);
        e[1] = conv_fixed(k, 1, 3, 2, 3, 4, 5, 4, 1, 1, 1, 1, S, 1, 1);
        e[2] = conv_fixed(k, 1, 4, 3, 2, 3, 4, 3, 1, 1, 1, 1, V, 3, 1);
        e[3] = conv_fixed(k, 1, 9, 7, 3, 4, 3, 3, 2, 2, 1, 1, S, 2, 1);
        e[4] = conv_fixed(k, 1, 9, 8, 4, 3, 3, 2, 1, 2, 2, 3, S, 0, 1);
        e[5] = conv_fixed(k, 1, 11, 10, 2, 3, 2, 4, 3, 3, 1, 1, V, 0, 1);
        e[6] = conv_fixed(k, 1, 6, 5, 6, 9, 3, 3, 1, 1, 1, 1, S, 1, 3);
        e[7] = conv_fixed(k, 3, 5, 4, 3, 2, 3, 3, 2, 1, 1, 1, S, 0, 1);
        for (int i = 0; i < 8; i++) {
            if (is_hybrid(k) && e[i].groups > 1) continue; /* Google's hybrid kernel refuses groups: test_conv.c */
            snprintf(name, sizeof name, "conv2d_%s_%s", kind_name[k], en[i]);
            conv_case(name, &e[i]);
        }
        for (int i = 0; i < 14; i++) {
            struct cp p = conv_random(k);
            snprintf(name, sizeof name, "conv2d_%s_r%02d", kind_name[k], i);
            conv_case(name, &p);
        }
    }
    /* Zero points at the extremes and a saturating output scale. */
    struct cp p = conv_fixed(K_S8, 1, 6, 6, 4, 5, 3, 3, 1, 1, 1, 1, S, 0, 1);
    p.zx = -128; p.zy = 127; p.sat = 0.1f;
    conv_case("conv2d_s8_zp_extreme_saturate", &p);
    p.zx = 127; p.zy = -128; p.act = 3;
    conv_case("conv2d_s8_zp_extreme_relu6", &p);
    p = conv_fixed(K_U8, 1, 6, 6, 4, 5, 3, 3, 1, 1, 1, 1, S, 1, 1);
    p.zx = 0; p.zy = 255; p.zw = 0; p.sat = 0.1f;
    conv_case("conv2d_u8_zp_extreme", &p);
    p = conv_fixed(K_S16, 1, 6, 6, 4, 5, 3, 3, 1, 1, 1, 1, S, 1, 1);
    p.sat = 0.05f;
    conv_case("conv2d_s16_saturate_relu", &p);
    /* PAD + VALID conv (fused by tflc): Keras' stride-2 (0, 1, 0, 1), symmetric, and uneven pads
     * wider than the window. */
    static const enum kind pk[] = {K_F32, K_U8, K_S8, K_S8_PT, K_S16};
    static const int pads[3][4] = {{0, 1, 0, 1}, {1, 1, 1, 1}, {3, 0, 2, 4}};
    for (size_t ki = 0; ki < sizeof pk / sizeof pk[0]; ki++)
        for (int i = 0; i < 3; i++) {
            p = conv_fixed(pk[ki], 1, 8, 7, 5, 6, 3, 3, i == 0 ? 2 : 1, i == 0 ? 2 : 1, 1, 1, V, i, 1);
            memcpy(p.prepad, pads[i], sizeof p.prepad);
            snprintf(name, sizeof name, "conv2d_%s_prepad%d", kind_name[pk[ki]], i);
            conv_case(name, &p);
        }
}

/* ---- DEPTHWISE_CONV_2D ---- */

static uint32_t dw_opts(struct oc *c, const struct cp *p) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_PADDING, (int8_t)p->pad, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_W, p->sw, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_H, p->sh, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_DEPTH_MULTIPLIER, p->mult, 0);
    tflc_fbb_add_i8(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)p->act, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_DILATION_W_FACTOR, p->dw, 1);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_DILATION_H_FACTOR, p->dh, 1);
    return tflc_fbb_table_end(f);
}

static int dw_version(const struct cp *p) {
    switch (p->k) {
    case K_S8: case K_S8_PT: return 3;
    case K_S16: return 5;
    case K_HYB: return 4;
    case K_HYB_PC: return 6;
    default: return p->dh > 1 || p->dw > 1 ? 2 : 1;
    }
}

static void dw_case(const char *name, const struct cp *p) {
    const int cout = p->cin * p->mult;
    struct qset *q = calloc(1, sizeof *q);
    make_q(q, p, cout, 3, p->kh * p->kw);
    struct oc *c = oc_begin(name, tol_of(p->k));
    if (!c) { free(q); return; }
    const int32_t wd[4] = {1, p->kh, p->kw, cout};
    int h, w_;
    int x0 = make_input(c, p, q);
    int x = prepad_input(c, p, q, x0, &h, &w_);
    int w = make_filter(c, p, wd, q);
    int b = make_bias(c, p, cout, q, acc_mag(p, p->kh * p->kw));
    const int32_t yd[4] = {p->n, out_size(p->pad, h, p->kh, p->sh, p->dh), out_size(p->pad, w_, p->kw, p->sw, p->dw),
                           cout};
    int y = oc_output(c, "y", act_type(p->k), 4, yd, is_quant(p->k) ? &q->qy : NULL);
    uint32_t opt = dw_opts(c, p);
    int32_t ins[3] = {x, w, b};
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D, dw_version(p), ins, p->bias ? 3 : 2, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_DEPTHWISE_CONV2D_OPTIONS, opt);
    oc_end(c);
    free(q);
}

OC_GENERATOR(depthwise_conv2d) {
    static const enum kind kinds[] = {K_F32, K_F32_DYN, K_U8, K_S8, K_S8_PT, K_S16, K_HYB_PC};
    char name[96];
    const int S = TFLC_TFL_PADDING_SAME, V = TFLC_TFL_PADDING_VALID;
    for (size_t ki = 0; ki < sizeof kinds / sizeof kinds[0]; ki++) {
        enum kind k = kinds[ki];
        struct cp e[7];
        const char *en[7] = {"1x1_m2", "k_gt_in_same", "k_eq_in_valid", "odd_s2_m3", "dil2", "s3_valid", "batch2"};
        e[0] = conv_fixed(k, 1, 5, 7, 6, 0, 1, 1, 1, 1, 1, 1, S, 0, 1); e[0].mult = 2;
        e[1] = conv_fixed(k, 1, 3, 2, 3, 0, 5, 4, 1, 1, 1, 1, S, 1, 1); e[1].mult = 1;
        e[2] = conv_fixed(k, 1, 4, 3, 5, 0, 4, 3, 1, 1, 1, 1, V, 3, 1); e[2].mult = 1;
        e[3] = conv_fixed(k, 1, 9, 7, 3, 0, 3, 3, 2, 2, 1, 1, S, 2, 1); e[3].mult = 3;
        e[4] = conv_fixed(k, 1, 9, 8, 4, 0, 3, 2, 1, 2, 2, 3, S, 0, 1); e[4].mult = 1;
        e[5] = conv_fixed(k, 1, 11, 10, 2, 0, 2, 4, 3, 3, 1, 1, V, 1, 1); e[5].mult = 2;
        e[6] = conv_fixed(k, 2, 5, 4, 8, 0, 3, 3, 2, 1, 1, 1, S, 0, 1); e[6].mult = 1;
        for (int i = 0; i < 7; i++) {
            snprintf(name, sizeof name, "dwconv_%s_%s", kind_name[k], en[i]);
            dw_case(name, &e[i]);
        }
        for (int i = 0; i < 14; i++) {
            struct cp p = conv_random(k);
            p.groups = 1;
            p.cin = pick(1, 12);
            p.mult = pick(1, 4) == 4 ? pick(2, 3) : 1;
            p.bias = pick(0, 4) != 0;
            snprintf(name, sizeof name, "dwconv_%s_r%02d", kind_name[k], i);
            dw_case(name, &p);
        }
    }
    struct cp p = conv_fixed(K_S8, 1, 6, 6, 4, 0, 3, 3, 1, 1, 1, 1, S, 0, 1);
    p.mult = 2; p.zx = -128; p.zy = 127; p.sat = 0.1f;
    dw_case("dwconv_s8_zp_extreme_saturate", &p);
    p.zx = 127; p.zy = -128; p.act = 1;
    dw_case("dwconv_s8_zp_extreme_relu", &p);
    p = conv_fixed(K_U8, 1, 6, 6, 4, 0, 3, 3, 1, 1, 1, 1, S, 3, 1);
    p.mult = 1; p.zx = 255; p.zy = 0; p.zw = 255; p.sat = 0.2f;
    dw_case("dwconv_u8_zp_extreme_relu6", &p);
    p = conv_fixed(K_F32, 1, 7, 7, 3, 0, 3, 3, 2, 2, 1, 1, S, 0, 1);
    p.mult = 2; p.bias = false;
    dw_case("dwconv_f32_nobias", &p);
    p.k = K_S16;
    dw_case("dwconv_s16_nobias", &p);     /* int64 accumulator without a bias */
    p.k = K_S8;
    dw_case("dwconv_s8_nobias", &p);
    /* PAD + VALID depthwise (fused by tflc), as conv2d's prepad cases; 40 channels cover a full
     * and a partial channel block of the vector kernels. */
    static const enum kind pk[] = {K_F32, K_U8, K_S8, K_S8_PT, K_S16};
    static const int pads[3][4] = {{0, 1, 0, 1}, {1, 1, 1, 1}, {3, 0, 2, 4}};
    for (size_t ki = 0; ki < sizeof pk / sizeof pk[0]; ki++)
        for (int i = 0; i < 3; i++) {
            p = conv_fixed(pk[ki], 1, 9, 8, 40, 0, 3, 3, i == 0 ? 2 : 1, i == 0 ? 2 : 1, 1, 1, V, i, 1);
            p.mult = 1;
            memcpy(p.prepad, pads[i], sizeof p.prepad);
            snprintf(name, sizeof name, "dwconv_%s_prepad%d", kind_name[pk[ki]], i);
            dw_case(name, &p);
        }
}

/* ---- TRANSPOSE_CONV ---- */

struct tp {
    struct cp p;
    int oh, ow;            /* output size */
};

static uint32_t tconv_opts(struct oc *c, const struct cp *p) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_PADDING, (int8_t)p->pad, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_STRIDE_W, p->sw, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_STRIDE_H, p->sh, 0);
    tflc_fbb_add_i8(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)p->act, 0);
    return tflc_fbb_table_end(f);
}

static int tconv_version(const struct cp *p) {
    if (p->act) return 4;
    if (p->bias) return 3;
    return p->k == K_F32 || p->k == K_F32_DYN ? 1 : 2;
}

static void tconv_case(const char *name, const struct tp *t) {
    const struct cp *p = &t->p;
    struct qset *q = calloc(1, sizeof *q);
    /* Each output gathers about (kh/sh) * (kw/sw) input pixels. */
    int depth = p->cin * ((p->kh + p->sh - 1) / p->sh) * ((p->kw + p->sw - 1) / p->sw);
    make_q(q, p, p->cout, 0, depth);
    struct oc *c = oc_begin(name, tol_of(p->k));
    if (!c) { free(q); return; }
    const int32_t os[4] = {p->n, t->oh, t->ow, p->cout};
    const int32_t four[1] = {4};
    int shp = oc_const(c, "oshape", TFLC_DTYPE_INT32, 1, four, os, NULL);
    const int32_t wd[4] = {p->cout, p->kh, p->kw, p->cin};
    int w = make_filter(c, p, wd, q);
    int x = make_input(c, p, q);
    int b = make_bias(c, p, p->cout, q, acc_mag(p, depth));
    int y = oc_output(c, "y", act_type(p->k), 4, os, is_quant(p->k) ? &q->qy : NULL);
    uint32_t opt = tconv_opts(c, p);
    int32_t ins[4] = {shp, w, x, b};
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE_CONV, tconv_version(p), ins, p->bias ? 4 : 3, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_TRANSPOSE_CONV_OPTIONS, opt);
    oc_end(c);
    free(q);
}

static struct tp tconv_make(enum kind k, int n, int h, int w, int cin, int cout, int kh, int kw, int sh, int sw, int pad,
                            int act, bool bias, int dh_extra, int dw_extra) {
    struct tp t;
    t.p = conv_fixed(k, n, h, w, cin, cout, kh, kw, sh, sw, 1, 1, pad, act, 1);
    t.p.bias = bias;
    /* The natural output size, optionally off by a few (TFLite accepts any size). */
    t.oh = (pad == TFLC_TFL_PADDING_SAME ? h * sh : (h - 1) * sh + kh) + dh_extra;
    t.ow = (pad == TFLC_TFL_PADDING_SAME ? w * sw : (w - 1) * sw + kw) + dw_extra;
    if (t.oh < 1) t.oh = 1;
    if (t.ow < 1) t.ow = 1;
    return t;
}

OC_GENERATOR(transpose_conv) {
    /* int16 with an int32 bias (v5) and fused activations (v4) are newer than Google's WASM runtime: covered
     * in test_conv.c. Output sizes are consistent with the input (a CONV_2D with the same
     * parameters maps the output back to the input size): TFLite's optimized kernel (and
     * XNNPACK) assume it, while its reference kernel, which tflc follows, accepts any size;
     * inconsistent sizes are checked against a direct formula in test_conv.c. */
    static const enum kind kinds[] = {K_F32, K_F32_DYN, K_U8, K_S8, K_S8_PT, K_S16};
    char name[96];
    const int S = TFLC_TFL_PADDING_SAME, V = TFLC_TFL_PADDING_VALID;
    for (size_t ki = 0; ki < sizeof kinds / sizeof kinds[0]; ki++) {
        enum kind k = kinds[ki];
        const bool bias = true;
        struct tp e[6];
        const char *en[6] = {"1x1", "s2_k3_same", "s2_k4_valid", "s3_k2_same", "odd_out", "batch2_nobias"};
        e[0] = tconv_make(k, 1, 4, 5, 3, 4, 1, 1, 1, 1, S, 0, bias, 0, 0);
        e[1] = tconv_make(k, 1, 4, 3, 3, 2, 3, 3, 2, 2, S, 0, bias, 0, 0);
        e[2] = tconv_make(k, 1, 3, 4, 2, 3, 4, 4, 2, 2, V, 0, bias, 0, 0);
        e[3] = tconv_make(k, 1, 3, 3, 4, 3, 2, 2, 3, 3, S, 0, bias, 0, 0);
        e[4] = tconv_make(k, 1, 5, 4, 3, 2, 3, 3, 2, 2, S, 0, bias, -1, -1);
        e[5] = tconv_make(k, 2, 3, 3, 2, 3, 3, 2, 2, 1, S, 0, false, 0, 0);
        for (int i = 0; i < 6; i++) {
            snprintf(name, sizeof name, "tconv_%s_%s", kind_name[k], en[i]);
            tconv_case(name, &e[i]);
        }
        for (int i = 0; i < 10; i++) {
            struct cp r = conv_random(k);
            int pad = pick(0, 1), sh = pick(1, 3), sw = pick(1, 3);
            /* consistent extra rows/cols: SAME out in ((in-1)*s, in*s], VALID [(in-1)*s+k, +s-1] */
            int xh = pad == S ? -pick(0, sh - 1) : pick(0, sh - 1), xw = pad == S ? -pick(0, sw - 1) : pick(0, sw - 1);
            struct tp t = tconv_make(k, r.n, pick(1, 6), pick(1, 6), pick(1, 6), pick(1, 5), pick(1, 5), pick(1, 5), sh, sw,
                                     pad, 0, pick(0, 4) != 0, xh, xw);
            t.p.zx = r.zx;
            t.p.zy = r.zy;
            t.p.sat = r.sat;
            snprintf(name, sizeof name, "tconv_%s_r%02d", kind_name[k], i);
            tconv_case(name, &t);
        }
    }
    struct tp t = tconv_make(K_S8, 1, 4, 4, 3, 2, 3, 3, 2, 2, S, 0, true, 0, 0);
    t.p.zx = -128; t.p.zy = 127; t.p.sat = 0.1f;
    tconv_case("tconv_s8_zp_extreme_saturate", &t);
}
