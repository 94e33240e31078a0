/* Which arithmetic Google's runtime uses, checked against Google's TFLite: cases built so that
 * XNNPACK's and TFLite's builtin/reference requantizations give different results on many
 * elements (large accumulations, near-ties), placed on either side of the XNNPACK delegate's
 * decisions (runtime/xnnpack_select.c):
 *  - nodes the delegate refuses (CONV_2D whose weights are a graph input, per-channel
 *    FULLY_CONNECTED) run TFLite's builtin kernels (int8: ruy, single rounding; uint8:
 *    gemmlowp, MultiplyByQuantizedMultiplier);
 *  - models where building the XNNPACK runtime fails (a TRANSPOSE of an unquantized int32
 *    tensor, a MEAN whose scale ratio global average pooling cannot take, an empty fused
 *    activation range) run every node on the builtin kernels, also the ones the delegate
 *    selected;
 *  - delegated nodes with less common parameters (TRANSPOSE_CONV with per-tensor int8
 *    weights, MEAN over W only, bilinear resize with align_corners).
 * All must be exact in tflc's default arithmetic (TFLC_ARITH_XNNPACK). */
#include <string.h>

#include "op_cases.h"

#define EXACT "int 0 1"

static uint32_t conv_opts(struct oc *c, int pad, int stride, int act) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_CONV2D_OPTIONS_PADDING, (int8_t)pad, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_W, stride, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_H, stride, 0);
    tflc_fbb_add_i8(f, TFLC_TFL_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, 0);
    return tflc_fbb_table_end(f);
}

static uint32_t empty_opts(struct oc *c) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    return tflc_fbb_table_end(f);
}

/* Adds TRANSPOSE(constant unquantized int32 [2,3]) -> output: XNNPACK's delegate selects it
 * (TRANSPOSE has no type checks) but cannot define an unquantized int32 tensor, so creating
 * its runtime fails and TFLite runs the whole model on its builtin kernels. */
static void add_poison(struct oc *c) {
    static const int32_t v[6] = {1, 2, 3, 4, 5, 6}, perm[2] = {1, 0};
    int x = oc_const(c, "poison_in", TFLC_DTYPE_INT32, 2, (int32_t[]){2, 3}, v, NULL);
    int p = oc_const(c, "poison_perm", TFLC_DTYPE_INT32, 1, (int32_t[]){2}, perm, NULL);
    int y = oc_output(c, "poison_out", TFLC_DTYPE_INT32, 2, (int32_t[]){3, 2}, NULL);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE, 1, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_TRANSPOSE_OPTIONS, empty_opts(c));
}

/* Scales are powers of two, so many accumulators land exactly on a rounding tie (x.5):
 * XNNPACK rounds those to even, ruy's single rounding up, MultiplyByQuantizedMultiplier away
 * from zero, and the three arithmetics disagree on a large share of the outputs. */

/* int8 CONV_2D 3x3 SAME over [1,12,12,24] -> 16 channels; requantization scale 2^-3 (2^-4 on
 * odd channels with per-channel weights). */
static void conv_s8(const char *name, bool w_input, bool poison, bool pc_bias_mismatch) {
    struct oc *c = oc_begin(name, EXACT);
    if (!c) return;
    enum { CIN = 24, COUT = 16 };
    float sx = 0x1p-4f, sy = 0x1p-6f, sw[COUT], sb[COUT];
    int64_t zx = -3, zy = 7, zw[COUT] = {0}, zb[COUT] = {0};
    for (int o = 0; o < COUT; o++) {
        sw[o] = pc_bias_mismatch || o % 2 == 0 ? 0x1p-5f : 0x1p-6f;
        sb[o] = sx * sw[o];
    }
    struct tflc_tflb_quant qx = {1, &sx, &zx, 0}, qy = {1, &sy, &zy, 0};
    /* pc_bias_mismatch: per-tensor weights with a per-channel bias (valid for TFLite, not
     * definable for XNNPACK: the whole model falls back). */
    struct tflc_tflb_quant qw = {pc_bias_mismatch ? 1 : COUT, sw, zw, 0}, qb = {COUT, sb, zb, 0};
    int x = oc_input(c, "x", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 12, 12, CIN}, &qx);
    oc_input_range(c, x, -9, 3);
    int w = w_input ? oc_input(c, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){COUT, 3, 3, CIN}, &qw)
                    : oc_const_range(c, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){COUT, 3, 3, CIN}, -4, 4, &qw);
    if (w_input) oc_input_range(c, w, -4, 4);
    int b = oc_const_range(c, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){COUT}, -64, 64, &qb);
    int y = oc_output(c, "y", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 12, 12, COUT}, &qy);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_CONV_2D, 3, (int32_t[]){x, w, b}, 3, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_CONV2D_OPTIONS, conv_opts(c, TFLC_TFL_PADDING_SAME, 1, 0));
    if (poison) add_poison(c);
    oc_end(c);
}

/* uint8 CONV_2D (per-tensor weights with a zero point), requantization scale 2^-3. */
static void conv_u8(const char *name, bool poison_model) {
    struct oc *c = oc_begin(name, EXACT);
    if (!c) return;
    enum { CIN = 16, COUT = 8 };
    float sx = 0x1p-4f, sw = 0x1p-5f, sy = 0x1p-6f, sb = 0x1p-9f;
    int64_t zx = 128, zw = 120, zy = 100, zb = 0;
    struct tflc_tflb_quant qx = {1, &sx, &zx, 0}, qw = {1, &sw, &zw, 0}, qy = {1, &sy, &zy, 0}, qb = {1, &sb, &zb, 0};
    int x = oc_input(c, "x", TFLC_DTYPE_UINT8, 4, (int32_t[]){1, 10, 10, CIN}, &qx);
    oc_input_range(c, x, 122, 134);
    int w = oc_const_range(c, "w", TFLC_DTYPE_UINT8, 4, (int32_t[]){COUT, 3, 3, CIN}, 116, 124, &qw);
    int b = oc_const_range(c, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){COUT}, -64, 64, &qb);
    int y = oc_output(c, "y", TFLC_DTYPE_UINT8, 4, (int32_t[]){1, 10, 10, COUT}, &qy);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_CONV_2D, 1, (int32_t[]){x, w, b}, 3, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_CONV2D_OPTIONS, conv_opts(c, TFLC_TFL_PADDING_SAME, 1, 0));
    if (poison_model) add_poison(c);
    oc_end(c);
}

static uint32_t fc_opts(struct oc *c) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, 0);
    return tflc_fbb_table_end(f);
}

/* int8 FULLY_CONNECTED [16, 64] x [48, 64], requantization scale 2^-3 (2^-4 on odd units with
 * per-channel weights, which the delegate refuses), or per-tensor in a model that falls back. */
static void fc_s8(const char *name, bool per_channel, bool poison) {
    struct oc *c = oc_begin(name, EXACT);
    if (!c) return;
    enum { B = 16, D = 64, U = 48 };
    float sx = 0x1p-4f, sy = 0x1p-6f, sw[U], sb[U];
    int64_t zx = 5, zy = -9, zw[U] = {0}, zb[U] = {0};
    for (int o = 0; o < U; o++) {
        sw[o] = per_channel && o % 2 ? 0x1p-6f : 0x1p-5f;
        sb[o] = sx * sw[o];
    }
    struct tflc_tflb_quant qx = {1, &sx, &zx, 0}, qy = {1, &sy, &zy, 0};
    struct tflc_tflb_quant qw = {per_channel ? U : 1, sw, zw, 0}, qb = {per_channel ? U : 1, sb, zb, 0};
    int x = oc_input(c, "x", TFLC_DTYPE_INT8, 2, (int32_t[]){B, D}, &qx);
    oc_input_range(c, x, -1, 11);
    int w = oc_const_range(c, "w", TFLC_DTYPE_INT8, 2, (int32_t[]){U, D}, -5, 5, &qw);
    int b = oc_const_range(c, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){U}, -64, 64, &qb);
    int y = oc_output(c, "y", TFLC_DTYPE_INT8, 2, (int32_t[]){B, U}, &qy);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED, per_channel ? 5 : 4, (int32_t[]){x, w, b}, 3, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS, fc_opts(c));
    if (poison) add_poison(c);
    oc_end(c);
}

/* uint8 FULLY_CONNECTED [16, 64] x [32, 64] with a weights zero point, scale 2^-3. */
static void fc_u8(const char *name, bool poison_model) {
    struct oc *c = oc_begin(name, EXACT);
    if (!c) return;
    enum { B = 16, D = 64, U = 32 };
    float sx = 0x1p-4f, sw = 0x1p-5f, sy = 0x1p-6f, sb = 0x1p-9f;
    int64_t zx = 128, zw = 130, zy = 120, zb = 0;
    struct tflc_tflb_quant qx = {1, &sx, &zx, 0}, qw = {1, &sw, &zw, 0}, qy = {1, &sy, &zy, 0}, qb = {1, &sb, &zb, 0};
    int x = oc_input(c, "x", TFLC_DTYPE_UINT8, 2, (int32_t[]){B, D}, &qx);
    oc_input_range(c, x, 124, 136);
    int w = oc_const_range(c, "w", TFLC_DTYPE_UINT8, 2, (int32_t[]){U, D}, 125, 135, &qw);
    int b = oc_const_range(c, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){U}, -64, 64, &qb);
    int y = oc_output(c, "y", TFLC_DTYPE_UINT8, 2, (int32_t[]){B, U}, &qy);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED, 1, (int32_t[]){x, w, b}, 3, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS, fc_opts(c));
    if (poison_model) add_poison(c);
    oc_end(c);
}

static uint32_t reducer_opts(struct oc *c, bool keep) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_REDUCER_OPTIONS_KEEP_DIMS, keep, false);
    return tflc_fbb_table_end(f);
}

/* int8 MEAN of [2,4,8,16] over `axes` with keep_dims (32 or 8 elements per mean, so with
 * power-of-two scales many means are exact ties). */
static void mean_s8(const char *name, int naxes, const int32_t *axes, float sx, float sy) {
    struct oc *c = oc_begin(name, EXACT);
    if (!c) return;
    int64_t zx = 11, zy = -20;
    struct tflc_tflb_quant qx = {1, &sx, &zx, 0}, qy = {1, &sy, &zy, 0};
    int32_t od[4] = {2, 4, 8, 16};
    for (int i = 0; i < naxes; i++) od[axes[i]] = 1;
    int x = oc_input(c, "x", TFLC_DTYPE_INT8, 4, (int32_t[]){2, 4, 8, 16}, &qx);
    int a = oc_const(c, "axes", TFLC_DTYPE_INT32, 1, (int32_t[]){naxes}, axes, NULL);
    int y = oc_output(c, "y", TFLC_DTYPE_INT8, 4, od, &qy);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_MEAN, 2, (int32_t[]){x, a}, 2, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS, reducer_opts(c, true));
    oc_end(c);
}

static uint32_t add_opts(struct oc *c, int act) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, 0);
    return tflc_fbb_table_end(f);
}

/* int8 ADD; with RELU and an output zero point of 127 the quantized activation range is one
 * value, which XNNPACK's operator refuses: the model falls back to the builtin kernel. */
static void add_s8(const char *name, int act, int64_t zy) {
    struct oc *c = oc_begin(name, EXACT);
    if (!c) return;
    float sa = 0x1p-5f, sb = 0x1p-6f, sy = 0x1p-4f;
    int64_t za = -4, zb = 9;
    struct tflc_tflb_quant qa = {1, &sa, &za, 0}, qb = {1, &sb, &zb, 0}, qy = {1, &sy, &zy, 0};
    int a = oc_input(c, "a", TFLC_DTYPE_INT8, 2, (int32_t[]){8, 40}, &qa);
    int b = oc_input(c, "b", TFLC_DTYPE_INT8, 2, (int32_t[]){8, 40}, &qb);
    int y = oc_output(c, "y", TFLC_DTYPE_INT8, 2, (int32_t[]){8, 40}, &qy);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_ADD, 1, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_ADD_OPTIONS, add_opts(c, act));
    oc_end(c);
}

static uint32_t tconv_opts(struct oc *c, int pad, int stride) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_PADDING, (int8_t)pad, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_STRIDE_W, stride, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_STRIDE_H, stride, 0);
    return tflc_fbb_table_end(f);
}

/* int8 TRANSPOSE_CONV with per-tensor weights (XNNPACK's deconvolution takes it), or
 * per-channel ones (TFLite's builtin kernel, MultiplyByQuantizedMultiplier). */
static void tconv_s8(const char *name, int pad, bool per_channel) {
    struct oc *c = oc_begin(name, EXACT);
    if (!c) return;
    enum { CIN = 20, COUT = 12 };
    float sx = 0x1p-4f, sw[COUT], sy = 0x1p-6f, sb[COUT];
    int64_t zx = 2, zw[COUT] = {0}, zy = -5, zb[COUT] = {0};
    for (int o = 0; o < COUT; o++) {
        sw[o] = per_channel && o % 2 ? 0x1p-6f : 0x1p-5f;
        sb[o] = sx * sw[o];
    }
    struct tflc_tflb_quant qx = {1, &sx, &zx, 0}, qy = {1, &sy, &zy, 0};
    struct tflc_tflb_quant qw = {per_channel ? COUT : 1, sw, zw, 0}, qb = {per_channel ? COUT : 1, sb, zb, 0};
    const int32_t oh = pad == TFLC_TFL_PADDING_VALID ? 15 : 14, os[4] = {1, oh, oh, COUT};
    int shp = oc_const(c, "oshape", TFLC_DTYPE_INT32, 1, (int32_t[]){4}, os, NULL);
    int w = oc_const_range(c, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){COUT, 3, 3, CIN}, -5, 5, &qw);
    int x = oc_input(c, "x", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 7, 7, CIN}, &qx);
    oc_input_range(c, x, -6, 10);
    int b = oc_const_range(c, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){COUT}, -64, 64, &qb);
    int y = oc_output(c, "y", TFLC_DTYPE_INT8, 4, os, &qy);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE_CONV, 3, (int32_t[]){shp, w, x, b}, 4, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_TRANSPOSE_CONV_OPTIONS, tconv_opts(c, pad, 2));
    oc_end(c);
}

static uint32_t resize_opts(struct oc *c, bool align, bool half) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_RESIZE_BILINEAR_OPTIONS_ALIGN_CORNERS, align, false);
    tflc_fbb_add_bool(f, TFLC_TFL_RESIZE_BILINEAR_OPTIONS_HALF_PIXEL_CENTERS, half, false);
    return tflc_fbb_table_end(f);
}

static void resize_q8(const char *name, enum tflc_dtype t, int32_t oh, int32_t ow) {
    struct oc *c = oc_begin(name, EXACT);
    if (!c) return;
    float s = 0.05f;
    int64_t z = t == TFLC_DTYPE_INT8 ? -3 : 128;
    struct tflc_tflb_quant q = {1, &s, &z, 0};
    const int32_t size[2] = {oh, ow};
    int x = oc_input(c, "x", t, 4, (int32_t[]){1, 5, 7, 6}, &q);
    int sz = oc_const(c, "size", TFLC_DTYPE_INT32, 1, (int32_t[]){2}, size, NULL);
    int y = oc_output(c, "y", t, 4, (int32_t[]){1, oh, ow, 6}, &q);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_RESIZE_BILINEAR, 1, (int32_t[]){x, sz}, 2, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_RESIZE_BILINEAR_OPTIONS, resize_opts(c, true, false));
    oc_end(c);
}

OC_GENERATOR(arith) {
    /* Builtin kernels by node. */
    conv_s8("arith_conv_s8_w_input_builtin", true, false, false);
    fc_s8("arith_fc_s8_perchannel_builtin", true, false);
    /* The same nodes delegated, and in models where the delegate fails. */
    conv_s8("arith_conv_s8_xnnpack", false, false, false);
    conv_s8("arith_conv_s8_fallback", false, true, false);
    conv_s8("arith_conv_s8_bias_pairing_fallback", false, false, true);
    conv_u8("arith_conv_u8_xnnpack", false);
    conv_u8("arith_conv_u8_fallback", true);
    fc_s8("arith_fc_s8_xnnpack", false, false);
    fc_s8("arith_fc_s8_fallback", false, true);
    fc_u8("arith_fc_u8_xnnpack", false);
    fc_u8("arith_fc_u8_fallback", true);
    /* MEAN: global average pooling over H,W and over W; a scale ratio of 2^8 (not < 2^8) makes
     * its creation fail (the builtin optimized int8 Mean runs). */
    mean_s8("arith_mean_s8_hw_xnnpack", 2, (int32_t[]){1, 2}, 0x1p-5f, 0x1p-5f);
    mean_s8("arith_mean_s8_w_xnnpack", 1, (int32_t[]){2}, 0x1p-5f, 0x1p-6f);
    mean_s8("arith_mean_s8_hw_ratio_fallback", 2, (int32_t[]){1, 2}, 0x1p+1f, 0x1p-7f);
    add_s8("arith_add_s8_xnnpack", 0, -2);
    add_s8("arith_add_s8_empty_relu_fallback", 1, 127);
    tconv_s8("arith_tconv_s8_pertensor_valid", TFLC_TFL_PADDING_VALID, false);
    tconv_s8("arith_tconv_s8_pertensor_same", TFLC_TFL_PADDING_SAME, false);
    tconv_s8("arith_tconv_s8_perchannel_builtin", TFLC_TFL_PADDING_SAME, true);
    resize_q8("arith_resize_s8_align_up", TFLC_DTYPE_INT8, 9, 13);
    resize_q8("arith_resize_u8_align_down", TFLC_DTYPE_UINT8, 3, 4);
}
