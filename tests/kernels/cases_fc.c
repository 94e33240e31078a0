/* FULLY_CONNECTED and BATCH_MATMUL cases, checked against Google's TFLite.
 * FULLY_CONNECTED: float32 (activations, no bias as 2 inputs and as -1, rank-4 input
 * flattened, keep_num_dims), int8 (per-tensor with and without a weights zero point,
 * per-channel, extreme zero points, clamping activations), uint8 (-> uint8 and -> int16),
 * int16 x int8 (int64 bias, no bias, int32 bias with quantized_bias_type), int16 x int16,
 * hybrid float x int8 (symmetric v3, asymmetric v9, per-channel v12, activations incl. TANH).
 * BATCH_MATMUL: float32 (adj_x/adj_y, batch broadcasting, rank 2 to 5), int8 -> int8,
 * int8 -> int32, int16, int16 x int8, hybrid.
 * Not here (Google's 2022 runtime refuses them or computes something else; hand-checked in
 * test_fc.c instead): FULLY_CONNECTED int16 x int16 (v7), int32 bias with
 * quantized_bias_type (v11), hybrid per-channel (v12), int8 weights with a nonzero zero point
 * (XNNPACK ignores it, TFLite's reference applies it: we follow the reference), and
 * BATCH_MATMUL int16 x int8 and per-channel hybrid (that runtime uses the first scale only).
 * Tolerances: quantized cases are exact. Google's runtime runs 8-bit FULLY_CONNECTED with
 * per-tensor weights through XNNPACK (fp32 requantization) and the others through TFLite's
 * builtin kernel (int8: ruy, single rounding; uint8 and int16: MultiplyByQuantizedMultiplier); tflc's default
 * arithmetic does the same (fully_connected.c). Hybrid cases are compared as floats:
 * TFLite's hybrid kernel is not delegated, so they match closely. */
#include "op_cases.h"

#include <stdlib.h>
#include <string.h>

enum { MAXU = 64 };

static uint32_t fc_opts(struct oc *c, int act, bool keep, bool asym, int qbias_type) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, 0);
    tflc_fbb_add_bool(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_KEEP_NUM_DIMS, keep, false);
    tflc_fbb_add_bool(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_ASYMMETRIC_QUANTIZE_INPUTS, asym, false);
    tflc_fbb_add_i8(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_QUANTIZED_BIAS_TYPE, (int8_t)qbias_type, 0);
    return tflc_fbb_table_end(f);
}

/* One FULLY_CONNECTED case. bias_mode: 0 = bias tensor, 1 = two inputs, 2 = input -1. */
struct fc_case {
    const char *name, *tol;
    int version;
    enum tflc_dtype xt, wt, yt, bt;
    int xrank;
    int32_t xdims[4];
    int32_t units, depth;
    int act;
    bool keep, asym, per_channel;
    int bias_mode;
    int qbias_type;
    float sx, sw, sy;
    int zx, zw, zy;
    double blo, bhi; /* bias value range */
    bool w_input;    /* weights are a graph input, not a constant */
    bool x_zero;     /* input all zeros */
};

static void fc_one(const struct fc_case *p) {
    struct oc *c = oc_begin(p->name, p->tol);
    if (!c) return;
    float sc[4], wsc[MAXU];
    int64_t zpv[4], wzp[MAXU];
    bool qx = p->xt != TFLC_DTYPE_FLOAT32;
    struct tflc_tflb_quant qxq = oc_q(&sc[0], &zpv[0], p->sx, p->zx);
    struct tflc_tflb_quant qyq = oc_q(&sc[2], &zpv[2], p->sy, p->zy);
    struct tflc_tflb_quant qbq = oc_q(&sc[3], &zpv[3], p->sx * p->sw, 0);
    struct tflc_tflb_quant qwq = oc_q(&sc[1], &zpv[1], p->sw, p->zw);
    if (p->per_channel) {
        for (int o = 0; o < p->units; o++) { wsc[o] = p->sw * (0.5f + 0.05f * (float)o); wzp[o] = 0; }
        qwq = (struct tflc_tflb_quant){p->units, wsc, wzp, 0};
    }
    int x = oc_input(c, "x", p->xt, p->xrank, p->xdims, qx ? &qxq : NULL);
    if (p->x_zero) oc_input_range(c, x, 0, 0);
    bool qw = p->wt != TFLC_DTYPE_FLOAT32;
    int w;
    if (p->w_input)
        w = oc_input(c, "w", p->wt, 2, (int32_t[]){p->units, p->depth}, qw ? &qwq : NULL);
    else if (p->wt == TFLC_DTYPE_INT8)
        w = oc_const_range(c, "w", p->wt, 2, (int32_t[]){p->units, p->depth}, -127, 127, &qwq);
    else
        w = oc_const(c, "w", p->wt, 2, (int32_t[]){p->units, p->depth}, NULL, qw ? &qwq : NULL);
    int b = -1;
    if (p->bias_mode == 0) {
        bool qb = p->bt == TFLC_DTYPE_INT32 || p->bt == TFLC_DTYPE_INT64;
        if (p->per_channel) qbq.count = 1; /* bias scale only matters per tensor */
        b = oc_const_range(c, "b", p->bt, 1, (int32_t[]){p->units}, p->blo, p->bhi, qb && !p->per_channel ? &qbq : NULL);
    }
    int32_t ydims[4], yrank;
    size_t nx = 1;
    for (int i = 0; i < p->xrank; i++) nx *= (size_t)p->xdims[i];
    if (p->keep) {
        yrank = p->xrank;
        memcpy(ydims, p->xdims, sizeof ydims);
        ydims[yrank - 1] = p->units;
    } else {
        yrank = 2;
        ydims[0] = (int32_t)(nx / (size_t)p->depth);
        ydims[1] = p->units;
    }
    int y = oc_output(c, "y", p->yt, yrank, ydims, qx ? &qyq : NULL);
    uint32_t opt = fc_opts(c, p->act, p->keep, p->asym, p->qbias_type);
    int nin = p->bias_mode == 1 ? 2 : 3;
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED, p->version, (int32_t[]){x, w, b}, nin, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS, opt);
    oc_end(c);
}

#define F32 TFLC_DTYPE_FLOAT32
#define S8 TFLC_DTYPE_INT8
#define U8 TFLC_DTYPE_UINT8
#define S16 TFLC_DTYPE_INT16
#define S32 TFLC_DTYPE_INT32
#define S64 TFLC_DTYPE_INT64

OC_GENERATOR(fully_connected) {
    char n[64];
    for (int act = 0; act <= 3; act++) {
        snprintf(n, sizeof n, "fc_f32_act%d", act);
        fc_one(&(struct fc_case){n, "float 1e-5", 1, F32, F32, F32, F32, 2, {3, 16}, 8, 16, act, .blo = -1, .bhi = 1});
        snprintf(n, sizeof n, "fc_s8_act%d", act);
        fc_one(&(struct fc_case){n, "int 0 1", 4, S8, S8, S8, S32, 2, {3, 16}, 8, 16, act, .sx = 0.05f, .sw = 0.02f,
                                 .sy = act == 2 ? 0.01f : 0.2f, .zx = -3, .zy = 5, .blo = -2000, .bhi = 2000});
    }
    fc_one(&(struct fc_case){"fc_f32_nobias_2in", "float 1e-5", 6, F32, F32, F32, F32, 2, {2, 10}, 7, 10, 1, .bias_mode = 1});
    fc_one(&(struct fc_case){"fc_f32_nobias_m1", "float 1e-5", 1, F32, F32, F32, F32, 2, {2, 10}, 7, 10, 0, .bias_mode = 2});
    fc_one(&(struct fc_case){"fc_f32_rank4", "float 1e-5", 1, F32, F32, F32, F32, 4, {2, 3, 2, 4}, 5, 8, 0, .blo = -1, .bhi = 1});
    fc_one(&(struct fc_case){"fc_f32_keepdims", "float 1e-5", 5, F32, F32, F32, F32, 3, {2, 3, 8}, 5, 8, 3, .keep = true,
                             .blo = -1, .bhi = 1});
    fc_one(&(struct fc_case){"fc_f32_w_input", "float 1e-5", 1, F32, F32, F32, F32, 2, {2, 12}, 5, 12, 0, .w_input = true,
                             .blo = -1, .bhi = 1});
    fc_one(&(struct fc_case){"fc_s8_w_input", "int 0 1", 4, S8, S8, S8, S32, 2, {2, 12}, 5, 12, 0, .w_input = true,
                             .sx = 0.05f, .sw = 0.02f, .sy = 0.1f, .zx = -3, .zy = 5, .blo = -2000, .bhi = 2000});
    fc_one(&(struct fc_case){"fc_s8_deep", "int 0 1", 4, S8, S8, S8, S32, 2, {2, 512}, 16, 512, 0, .sx = 0.05f,
                             .sw = 0.02f, .sy = 1.0f, .zx = 7, .zy = -7, .blo = -20000, .bhi = 20000});
    fc_one(&(struct fc_case){"fc_f32_wide", "float 1e-5", 1, F32, F32, F32, F32, 2, {4, 200}, 33, 200, 0, .blo = -1, .bhi = 1});

    fc_one(&(struct fc_case){"fc_s8_perchannel", "int 0 1", 4, S8, S8, S8, S32, 2, {3, 20}, 9, 20, 0, .per_channel = true,
                             .sx = 0.05f, .sw = 0.02f, .sy = 0.2f, .zx = -1, .zy = 3, .blo = -3000, .bhi = 3000});
    fc_one(&(struct fc_case){"fc_s8_perchannel_relu", "int 0 1", 4, S8, S8, S8, S32, 2, {3, 20}, 9, 20, 1,
                             .per_channel = true, .sx = 0.05f, .sw = 0.02f, .sy = 0.1f, .zx = 4, .zy = -128, .blo = -3000,
                             .bhi = 3000});
    fc_one(&(struct fc_case){"fc_s8_extreme_zp", "int 0 1", 4, S8, S8, S8, S32, 2, {2, 16}, 8, 16, 0, .sx = 0.02f,
                             .sw = 0.02f, .sy = 0.1f, .zx = -128, .zy = 127, .blo = -500, .bhi = 500});
    fc_one(&(struct fc_case){"fc_s8_extreme_zp2", "int 0 1", 4, S8, S8, S8, S32, 2, {2, 16}, 8, 16, 0, .sx = 0.02f,
                             .sw = 0.02f, .sy = 0.1f, .zx = 127, .zy = -128, .blo = -500, .bhi = 500});
    fc_one(&(struct fc_case){"fc_s8_nobias", "int 0 1", 6, S8, S8, S8, S32, 2, {2, 16}, 8, 16, 0, .bias_mode = 1,
                             .sx = 0.05f, .sw = 0.02f, .sy = 0.2f, .zx = -3, .zy = 5});
    fc_one(&(struct fc_case){"fc_s8_keepdims", "int 0 1", 5, S8, S8, S8, S32, 3, {2, 2, 12}, 4, 12, 0, .keep = true,
                             .sx = 0.05f, .sw = 0.02f, .sy = 0.2f, .zx = -3, .zy = 5, .blo = -2000, .bhi = 2000});
    fc_one(&(struct fc_case){"fc_s8_rank4", "int 0 1", 4, S8, S8, S8, S32, 4, {1, 2, 2, 6}, 5, 12, 0, .sx = 0.05f,
                             .sw = 0.02f, .sy = 0.2f, .zx = -3, .zy = 5, .blo = -2000, .bhi = 2000});
    fc_one(&(struct fc_case){"fc_s8_big_mult", "int 0 1", 4, S8, S8, S8, S32, 2, {2, 4}, 3, 4, 0, .sx = 0.5f, .sw = 0.5f,
                             .sy = 0.1f, .zx = 0, .zy = 0, .blo = -20, .bhi = 20});

    fc_one(&(struct fc_case){"fc_u8", "int 0 1", 1, U8, U8, U8, S32, 2, {3, 16}, 8, 16, 0, .sx = 0.05f, .sw = 0.02f,
                             .sy = 0.25f, .zx = 128, .zw = 120, .zy = 100, .blo = -2000, .bhi = 2000});
    fc_one(&(struct fc_case){"fc_u8_relu6", "int 0 1", 1, U8, U8, U8, S32, 2, {3, 16}, 8, 16, 3, .sx = 0.05f, .sw = 0.02f,
                             .sy = 0.05f, .zx = 128, .zw = 120, .zy = 10, .blo = -2000, .bhi = 2000});
    fc_one(&(struct fc_case){"fc_u8_s16", "int 0 1", 1, U8, U8, S16, S32, 2, {3, 16}, 8, 16, 0, .sx = 0.05f, .sw = 0.02f,
                             .sy = 0.002f, .zx = 128, .zw = 120, .zy = 0, .blo = -2000, .bhi = 2000});

    fc_one(&(struct fc_case){"fc_s16x8_b64", "int 0 1", 1, S16, S8, S16, S64, 2, {3, 16}, 8, 16, 0, .sx = 1.0f / 4096,
                             .sw = 0.01f, .sy = 0.0015f, .blo = -1000000, .bhi = 1000000});
    fc_one(&(struct fc_case){"fc_s16x8_nobias", "int 0 1", 6, S16, S8, S16, S64, 2, {3, 16}, 8, 16, 1, .bias_mode = 1,
                             .sx = 1.0f / 4096, .sw = 0.01f, .sy = 0.0015f});
    fc_one(&(struct fc_case){"fc_s16x8_perchannel", "int 0 1", 1, S16, S8, S16, S64, 2, {3, 16}, 8, 16, 0,
                             .per_channel = true, .sx = 1.0f / 4096, .sw = 0.01f, .sy = 0.0015f, .blo = -1000000,
                             .bhi = 1000000});

    for (int act = 0; act <= 4; act++) {
        snprintf(n, sizeof n, "fc_hybrid_act%d", act);
        fc_one(&(struct fc_case){n, "float 1e-5", 3, F32, S8, F32, F32, 2, {3, 24}, 10, 24, act, .sw = 0.01f, .blo = -0.5,
                                 .bhi = 0.5});
    }
    fc_one(&(struct fc_case){"fc_hybrid_asym", "float 1e-5", 9, F32, S8, F32, F32, 2, {4, 24}, 10, 24, 0, .asym = true,
                             .sw = 0.01f, .blo = -0.5, .bhi = 0.5});
    fc_one(&(struct fc_case){"fc_hybrid_asym_relu", "float 1e-5", 9, F32, S8, F32, F32, 3, {2, 2, 24}, 10, 24, 1,
                             .asym = true, .sw = 0.01f, .blo = -0.5, .bhi = 0.5});
    fc_one(&(struct fc_case){"fc_hybrid_zero_input", "float 1e-5", 3, F32, S8, F32, F32, 2, {2, 8}, 4, 8, 1, .x_zero = true,
                             .sw = 0.01f, .blo = -0.5, .bhi = 0.5});
    fc_one(&(struct fc_case){"fc_hybrid_deep", "float 1e-5", 3, F32, S8, F32, F32, 2, {2, 700}, 12, 700, 0, .sw = 0.003f,
                             .blo = -0.5, .bhi = 0.5});
    fc_one(&(struct fc_case){"fc_hybrid_asym_deep", "float 1e-5", 9, F32, S8, F32, F32, 2, {2, 700}, 12, 700, 0,
                             .asym = true, .sw = 0.003f, .blo = -0.5, .bhi = 0.5});
    fc_one(&(struct fc_case){"fc_hybrid_nobias", "float 1e-5", 6, F32, S8, F32, F32, 2, {2, 30}, 5, 30, 0, .bias_mode = 1,
                             .sw = 0.02f});
    fc_one(&(struct fc_case){"fc_hybrid_keepdims", "float 1e-5", 5, F32, S8, F32, F32, 3, {2, 3, 16}, 6, 16, 0,
                             .keep = true, .sw = 0.02f, .blo = -0.5, .bhi = 0.5});
}

/* ---- BATCH_MATMUL ---- */

static uint32_t bmm_opts(struct oc *c, bool adj_x, bool adj_y, bool asym) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_BATCH_MAT_MUL_OPTIONS_ADJ_X, adj_x, false);
    tflc_fbb_add_bool(f, TFLC_TFL_BATCH_MAT_MUL_OPTIONS_ADJ_Y, adj_y, false);
    tflc_fbb_add_bool(f, TFLC_TFL_BATCH_MAT_MUL_OPTIONS_ASYMMETRIC_QUANTIZE_INPUTS, asym, false);
    return tflc_fbb_table_end(f);
}

struct bmm_case {
    const char *name, *tol;
    int version;
    enum tflc_dtype xt, yt, ot;
    int xr;
    int32_t xd[5];
    int yr;
    int32_t yd[5];
    int orank;
    int32_t od[5];
    bool adj_x, adj_y, asym, y_const, per_channel;
    float sx, sy, so;
    int zx, zy, zo;
};

static void bmm_one(const struct bmm_case *p) {
    struct oc *c = oc_begin(p->name, p->tol);
    if (!c) return;
    float sc[3], ysc[MAXU];
    int64_t zp[3], yzp[MAXU];
    struct tflc_tflb_quant qx = oc_q(&sc[0], &zp[0], p->sx, p->zx), qy = oc_q(&sc[1], &zp[1], p->sy, p->zy);
    struct tflc_tflb_quant qo = oc_q(&sc[2], &zp[2], p->so, p->zo);
    if (p->per_channel) {
        int axis = p->adj_y ? p->yr - 2 : p->yr - 1;
        for (int j = 0; j < p->yd[axis]; j++) { ysc[j] = p->sy * (0.5f + 0.1f * (float)j); yzp[j] = 0; }
        qy = (struct tflc_tflb_quant){p->yd[axis], ysc, yzp, axis};
    }
    bool quant_x = p->xt != TFLC_DTYPE_FLOAT32, quant_y = p->yt != TFLC_DTYPE_FLOAT32;
    bool quant_o = p->ot == TFLC_DTYPE_INT8 || p->ot == TFLC_DTYPE_INT16;
    int x = oc_input(c, "x", p->xt, p->xr, p->xd, quant_x ? &qx : NULL);
    int y = p->y_const ? oc_const(c, "y", p->yt, p->yr, p->yd, NULL, quant_y ? &qy : NULL)
                       : oc_input(c, "y", p->yt, p->yr, p->yd, quant_y ? &qy : NULL);
    int o = oc_output(c, "out", p->ot, p->orank, p->od, quant_o ? &qo : NULL);
    uint32_t opt = bmm_opts(c, p->adj_x, p->adj_y, p->asym);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_BATCH_MATMUL, p->version, (int32_t[]){x, y}, 2, (int32_t[]){o}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_BATCH_MAT_MUL_OPTIONS, opt);
    oc_end(c);
}

OC_GENERATOR(batch_matmul) {
    const char *ft = "float 1e-5";
    bmm_one(&(struct bmm_case){"bmm_f32", ft, 1, F32, F32, F32, 3, {2, 3, 4}, 3, {2, 4, 5}, 3, {2, 3, 5}, .adj_x = false});
    bmm_one(&(struct bmm_case){"bmm_f32_adjx", ft, 1, F32, F32, F32, 3, {2, 4, 3}, 3, {2, 4, 5}, 3, {2, 3, 5}, .adj_x = true});
    bmm_one(&(struct bmm_case){"bmm_f32_adjy", ft, 1, F32, F32, F32, 3, {2, 3, 4}, 3, {2, 5, 4}, 3, {2, 3, 5}, .adj_y = true});
    bmm_one(&(struct bmm_case){"bmm_f32_adjxy", ft, 1, F32, F32, F32, 3, {2, 4, 3}, 3, {2, 5, 4}, 3, {2, 3, 5}, .adj_x = true,
                               .adj_y = true});
    bmm_one(&(struct bmm_case){"bmm_f32_rank2", ft, 1, F32, F32, F32, 2, {6, 7}, 2, {7, 3}, 2, {6, 3}, .adj_x = false});
    bmm_one(&(struct bmm_case){"bmm_f32_bcast", ft, 1, F32, F32, F32, 4, {2, 1, 3, 4}, 3, {3, 4, 5}, 4, {2, 3, 3, 5}, .adj_x = false});
    bmm_one(&(struct bmm_case){"bmm_f32_bcast_rhs_rank2", ft, 1, F32, F32, F32, 4, {2, 3, 3, 4}, 2, {4, 5}, 4, {2, 3, 3, 5},
                               .y_const = true});
    bmm_one(&(struct bmm_case){"bmm_f32_bcast_lhs1", ft, 1, F32, F32, F32, 3, {1, 3, 4}, 4, {2, 2, 4, 5}, 4, {2, 2, 3, 5},
                               .adj_y = false});
    bmm_one(&(struct bmm_case){"bmm_f32_rank5", ft, 1, F32, F32, F32, 5, {2, 1, 2, 3, 4}, 5, {1, 2, 2, 5, 4}, 5,
                               {2, 2, 2, 3, 5}, .adj_y = true});

    bmm_one(&(struct bmm_case){"bmm_s8", "int 0 1", 2, S8, S8, S8, 3, {2, 3, 8}, 3, {2, 8, 5}, 3, {2, 3, 5}, .sx = 0.05f,
                               .sy = 0.04f, .so = 0.25f, .zx = 2, .zy = -5, .zo = 3});
    bmm_one(&(struct bmm_case){"bmm_s8_adj_bcast", "int 0 1", 2, S8, S8, S8, 4, {2, 1, 8, 3}, 3, {2, 5, 8}, 4,
                               {2, 2, 3, 5}, .adj_x = true, .adj_y = true, .sx = 0.05f, .sy = 0.04f, .so = 0.25f,
                               .zx = -128, .zy = 0, .zo = 127});
    bmm_one(&(struct bmm_case){"bmm_s8_s32", "int 0 1", 2, S8, S8, S32, 3, {2, 3, 8}, 3, {2, 8, 5}, 3, {2, 3, 5}, .sx = 0.05f,
                               .sy = 0.04f, .so = 1.0f});
    bmm_one(&(struct bmm_case){"bmm_s16", "int 0 1", 3, S16, S16, S16, 3, {2, 3, 8}, 3, {2, 8, 5}, 3, {2, 3, 5},
                               .sx = 1.0f / 4096, .sy = 1.0f / 8192, .so = 0.02f});

    bmm_one(&(struct bmm_case){"bmm_hybrid", ft, 1, F32, S8, F32, 3, {2, 3, 16}, 2, {16, 5}, 3, {2, 3, 5}, .y_const = true,
                               .sy = 0.02f});
    bmm_one(&(struct bmm_case){"bmm_hybrid_adj", ft, 1, F32, S8, F32, 3, {2, 16, 3}, 3, {2, 5, 16}, 3, {2, 3, 5},
                               .adj_x = true, .adj_y = true, .y_const = true, .sy = 0.02f});
    bmm_one(&(struct bmm_case){"bmm_hybrid_asym", ft, 4, F32, S8, F32, 3, {2, 3, 16}, 2, {16, 5}, 3, {2, 3, 5},
                               .asym = true, .y_const = true, .sy = 0.02f});
}
