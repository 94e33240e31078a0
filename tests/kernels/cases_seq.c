/* UNIDIRECTIONAL_SEQUENCE_LSTM and SVDF cases, checked against Google's TFLite.
 * LSTM: float32 (batch- and time-major, CIFG, peephole, projection with/without bias,
 * cell/proj clip, layer norm, the legacy 20-input form, activations incl. NONE, whose TFLite
 * quirk h = o .* g is reproduced), hybrid int8 weights (symmetric v2, asymmetric v3, with
 * peephole/projection/layer norm), full integer int8/int16-cell (plain like the mnist
 * model, CIFG + peephole + projection, layer norm, clips, time-major, nonzero zero points).
 * SVDF: float32 (rank 1/2, activations, no bias, memory 1), hybrid (v2 symmetric, v4
 * asymmetric), int8 with int16 state (v3, RELU; the output zero point is not at -128 so the
 * missing RELU clamp of TFLite's integer kernel is visible).
 * Google's runtime starts every variable tensor reset, as `tflc run` does, so one invoke
 * covers one sequence (LSTM) or one step (SVDF); state carried across invokes is tested in
 * test_seq.c. Integer cases are expected bit-exact: these kernels are not delegated to
 * XNNPACK, and tflc implements TFLite's reference integer LSTM/SVDF arithmetic. */
#include "op_cases.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

enum { KF32, KHYB, KS8 };

struct lstm_case {
    const char *name, *tol;
    int kind, version;
    int batch, time, n_in, n_cell, n_out;
    bool time_major, cifg, peephole, proj, proj_bias, ln, asym, legacy20;
    int act;
    float cell_clip, proj_clip;
    int x_zp, h_zp, hidden_zp; /* int8 */
    int cell_log2;             /* int8: cell state scale 2^cell_log2 */
    float wmul;                /* scales the weight ranges (0 = 1) */
    bool zero_x;               /* all-zero input (TFLite's skip paths) */
};

static uint32_t lstm_opts(struct oc *c, const struct lstm_case *p) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)p->act, 0);
    tflc_fbb_add_f32(f, TFLC_TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_CELL_CLIP, p->cell_clip, 0.0f);
    tflc_fbb_add_f32(f, TFLC_TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_PROJ_CLIP, p->proj_clip, 0.0f);
    tflc_fbb_add_bool(f, TFLC_TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_TIME_MAJOR, p->time_major, false);
    tflc_fbb_add_bool(f, TFLC_TFL_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS_ASYMMETRIC_QUANTIZE_INPUTS, p->asym, false);
    return tflc_fbb_table_end(f);
}

/* Quantization parameter storage that outlives the tensor calls of one case. */
struct qstore {
    float s[64];
    int64_t z[64];
    int n;
};
static struct tflc_tflb_quant qs(struct qstore *st, float scale, int64_t zp) {
    int i = st->n++;
    return oc_q(&st->s[i], &st->z[i], scale, zp);
}

static void lstm_one(const struct lstm_case *p) {
    struct oc *c = oc_begin(p->name, p->tol);
    if (!c) return;
    struct qstore st = {.n = 0};
    const int nc = p->n_cell, ni = p->n_in, no = p->n_out, nb = p->batch;
    const bool q8 = p->kind == KS8, hyb = p->kind == KHYB;
    const float wm = p->wmul > 0 ? p->wmul : 1.0f;
    const float sx = 1.0f / 128, sw = wm * 0.6f / 127, sr = wm * 0.5f / 127, sh = 1.0f / 128;
    const float scell = (float)ldexp(1.0, p->cell_log2 ? p->cell_log2 : -11);
    struct tflc_tflb_quant qx = qs(&st, sx, p->x_zp), qh = qs(&st, sh, p->h_zp), qc = qs(&st, scell, 0);
    int32_t xd[3] = {p->time_major ? p->time : nb, p->time_major ? nb : p->time, ni};
    int32_t yd[3] = {xd[0], xd[1], no};
    int ins[24];
    for (int i = 0; i < 24; i++) ins[i] = -1;
    ins[0] = oc_input(c, "x", q8 ? TFLC_DTYPE_INT8 : TFLC_DTYPE_FLOAT32, 3, xd, q8 ? &qx : NULL);
    if (!q8) oc_input_range(c, ins[0], p->zero_x ? 0.0 : -1.0, p->zero_x ? 0.0 : 1.0);
    if (q8 && p->zero_x) oc_input_range(c, ins[0], p->x_zp, p->x_zp);
    static const char *const wn[4] = {"w_i", "w_f", "w_c", "w_o"}, *const rn[4] = {"r_i", "r_f", "r_c", "r_o"};
    static const char *const bn[4] = {"b_i", "b_f", "b_c", "b_o"}, *const pn[3] = {"p_i", "p_f", "p_o"};
    static const char *const ln[4] = {"ln_i", "ln_f", "ln_c", "ln_o"};
    for (int g = 0; g < 4; g++) {
        if (g == 0 && p->cifg) continue;
        if (q8 || hyb) {
            struct tflc_tflb_quant qw = qs(&st, sw, 0), qr = qs(&st, sr, 0);
            ins[1 + g] = oc_const_range(c, wn[g], TFLC_DTYPE_INT8, 2, (int32_t[]){nc, ni}, -127, 127, &qw);
            ins[5 + g] = oc_const_range(c, rn[g], TFLC_DTYPE_INT8, 2, (int32_t[]){nc, no}, -127, 127, &qr);
        } else {
            ins[1 + g] =
                oc_const_range(c, wn[g], TFLC_DTYPE_FLOAT32, 2, (int32_t[]){nc, ni}, -0.6 * wm, 0.6 * wm, NULL);
            ins[5 + g] =
                oc_const_range(c, rn[g], TFLC_DTYPE_FLOAT32, 2, (int32_t[]){nc, no}, -0.5 * wm, 0.5 * wm, NULL);
        }
        if (q8) {
            struct tflc_tflb_quant qb = qs(&st, sx * sw, 0);
            ins[12 + g] = oc_const_range(c, bn[g], TFLC_DTYPE_INT32, 1, (int32_t[]){nc}, -3000, 3000, &qb);
        } else {
            ins[12 + g] = oc_const_range(c, bn[g], TFLC_DTYPE_FLOAT32, 1, (int32_t[]){nc}, -0.3, 0.3, NULL);
        }
        if (p->ln) {
            if (q8) {
                struct tflc_tflb_quant ql = qs(&st, 1.0f / 16384, 0);
                ins[20 + g] = oc_const_range(c, ln[g], TFLC_DTYPE_INT16, 1, (int32_t[]){nc}, 8000, 24000, &ql);
            } else {
                ins[20 + g] = oc_const_range(c, ln[g], TFLC_DTYPE_FLOAT32, 1, (int32_t[]){nc}, 0.5, 1.5, NULL);
            }
        }
    }
    if (p->peephole) {
        for (int k = 0; k < 3; k++) {
            if (k == 0 && p->cifg) continue;
            int idx = 9 + k;
            if (q8) {
                struct tflc_tflb_quant qp = qs(&st, 0.5f / 32767, 0);
                ins[idx] = oc_const_range(c, pn[k], TFLC_DTYPE_INT16, 1, (int32_t[]){nc}, -32767, 32767, &qp);
            } else if (hyb) {
                struct tflc_tflb_quant qp = qs(&st, 0.5f / 127, 0);
                ins[idx] = oc_const_range(c, pn[k], TFLC_DTYPE_INT8, 1, (int32_t[]){nc}, -127, 127, &qp);
            } else {
                ins[idx] = oc_const_range(c, pn[k], TFLC_DTYPE_FLOAT32, 1, (int32_t[]){nc}, -0.5, 0.5, NULL);
            }
        }
    }
    if (p->proj) {
        const float sp = 0.5f / 127;
        if (q8 || hyb) {
            struct tflc_tflb_quant qp = qs(&st, sp, 0);
            ins[16] = oc_const_range(c, "proj_w", TFLC_DTYPE_INT8, 2, (int32_t[]){no, nc}, -127, 127, &qp);
        } else {
            ins[16] = oc_const_range(c, "proj_w", TFLC_DTYPE_FLOAT32, 2, (int32_t[]){no, nc}, -0.5, 0.5, NULL);
        }
        if (p->proj_bias) {
            if (q8) {
                struct tflc_tflb_quant qb = qs(&st, sh * sp, 0);
                ins[17] = oc_const_range(c, "proj_b", TFLC_DTYPE_INT32, 1, (int32_t[]){no}, -2000, 2000, &qb);
            } else {
                ins[17] = oc_const_range(c, "proj_b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){no}, -0.2, 0.2, NULL);
            }
        }
    }
    ins[18] =
        oc_tensor(c, "h_state", q8 ? TFLC_DTYPE_INT8 : TFLC_DTYPE_FLOAT32, 2, (int32_t[]){nb, no}, q8 ? &qh : NULL);
    ins[19] =
        oc_tensor(c, "c_state", q8 ? TFLC_DTYPE_INT16 : TFLC_DTYPE_FLOAT32, 2, (int32_t[]){nb, nc}, q8 ? &qc : NULL);
    tflc_tflb_tensor_variable(oc_builder(c), ins[18]);
    tflc_tflb_tensor_variable(oc_builder(c), ins[19]);
    int y = oc_output(c, "y", q8 ? TFLC_DTYPE_INT8 : TFLC_DTYPE_FLOAT32, 3, yd, q8 ? &qh : NULL);
    uint32_t opt = lstm_opts(c, p);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_UNIDIRECTIONAL_SEQUENCE_LSTM, p->version, ins, p->legacy20 ? 20 : 24,
          (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_UNIDIRECTIONAL_SEQUENCE_LSTM_OPTIONS, opt);
    if (q8) {
        /* intermediates 0..3: the gate scales (used with layer norm), 4: the hidden state */
        int inter[5];
        static const char *const in_names[5] = {"i_inter", "f_inter", "c_inter", "o_inter", "hidden_inter"};
        for (int i = 0; i < 4; i++) {
            struct tflc_tflb_quant qi = qs(&st, (float)ldexp(1.0, -10 - i % 2), 0);
            inter[i] = p->ln ? oc_tensor(c, in_names[i], TFLC_DTYPE_INT16, 1, (int32_t[]){0}, &qi)
                             : oc_tensor(c, in_names[i], TFLC_DTYPE_FLOAT32, 1, (int32_t[]){0}, NULL);
        }
        struct tflc_tflb_quant qhid = qs(&st, p->proj ? 1.0f / 100 : sh, p->hidden_zp);
        inter[4] = oc_tensor(c, in_names[4], TFLC_DTYPE_INT8, 1, (int32_t[]){0}, &qhid);
        tflc_tflb_op_intermediates(oc_builder(c), inter, 5);
    }
    oc_end(c);
}

OC_GENERATOR(lstm) {
    const int TANH = TFLC_TFL_ACTIVATION_FUNCTION_TYPE_TANH, RELU = TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU;
    const int NONE = TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE, RELU6 = TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6;
    const char *ft = "float 1e-5", *it = "int 0 1";
    static struct lstm_case cases[48];
    int n = 0;
#define L(...) cases[n++] = (struct lstm_case){__VA_ARGS__}
    /* float32 */
    L(.name = "lstm_f32_basic", .tol = ft, .kind = KF32, .version = 1, .batch = 2, .time = 3, .n_in = 4, .n_cell = 5,
      .n_out = 5, .act = TANH);
    L(.name = "lstm_f32_time_major", .tol = ft, .kind = KF32, .version = 1, .batch = 3, .time = 4, .n_in = 3,
      .n_cell = 4, .n_out = 4, .time_major = true, .act = TANH);
    L(.name = "lstm_f32_cifg_peephole_proj", .tol = ft, .kind = KF32, .version = 1, .batch = 2, .time = 3, .n_in = 4,
      .n_cell = 6, .n_out = 3, .cifg = true, .peephole = true, .proj = true, .proj_bias = true, .act = TANH,
      .cell_clip = 0.8f, .proj_clip = 0.3f);
    L(.name = "lstm_f32_peephole_proj_nobias", .tol = ft, .kind = KF32, .version = 1, .batch = 1, .time = 5, .n_in = 3,
      .n_cell = 4, .n_out = 6, .peephole = true, .proj = true, .act = TANH);
    L(.name = "lstm_f32_layer_norm", .tol = ft, .kind = KF32, .version = 1, .batch = 2, .time = 3, .n_in = 5,
      .n_cell = 4, .n_out = 4, .ln = true, .act = TANH);
    L(.name = "lstm_f32_layer_norm_cifg_tm", .tol = ft, .kind = KF32, .version = 1, .batch = 2, .time = 3, .n_in = 5,
      .n_cell = 4, .n_out = 4, .ln = true, .cifg = true, .time_major = true, .act = TANH);
    L(.name = "lstm_f32_legacy20", .tol = ft, .kind = KF32, .version = 1, .batch = 2, .time = 2, .n_in = 3, .n_cell = 3,
      .n_out = 3, .legacy20 = true, .act = TANH);
    L(.name = "lstm_f32_relu", .tol = ft, .kind = KF32, .version = 1, .batch = 2, .time = 3, .n_in = 4, .n_cell = 5,
      .n_out = 5, .act = RELU);
    L(.name = "lstm_f32_relu6_clip", .tol = ft, .kind = KF32, .version = 1, .batch = 2, .time = 3, .n_in = 4,
      .n_cell = 5, .n_out = 5, .act = RELU6, .cell_clip = 0.5f);
    L(.name = "lstm_f32_act_none", .tol = ft, .kind = KF32, .version = 1, .batch = 2, .time = 3, .n_in = 4, .n_cell = 5,
      .n_out = 5, .act = NONE);
    /* hybrid: float activations, int8 weights */
    L(.name = "lstm_hybrid_sym", .tol = ft, .kind = KHYB, .version = 2, .batch = 2, .time = 3, .n_in = 6, .n_cell = 5,
      .n_out = 5, .act = TANH);
    L(.name = "lstm_hybrid_asym", .tol = ft, .kind = KHYB, .version = 3, .batch = 2, .time = 3, .n_in = 6, .n_cell = 5,
      .n_out = 5, .asym = true, .act = TANH);
    L(.name = "lstm_hybrid_peephole_proj", .tol = ft, .kind = KHYB, .version = 2, .batch = 2, .time = 3, .n_in = 4,
      .n_cell = 6, .n_out = 3, .peephole = true, .proj = true, .proj_bias = true, .act = TANH, .cell_clip = 1.0f,
      .proj_clip = 0.4f);
    L(.name = "lstm_hybrid_asym_cifg_proj_tm", .tol = ft, .kind = KHYB, .version = 3, .batch = 3, .time = 2, .n_in = 4,
      .n_cell = 5, .n_out = 7, .cifg = true, .peephole = true, .proj = true, .asym = true, .time_major = true,
      .act = TANH);
    L(.name = "lstm_hybrid_layer_norm", .tol = ft, .kind = KHYB, .version = 2, .batch = 2, .time = 3, .n_in = 4,
      .n_cell = 4, .n_out = 4, .ln = true, .act = TANH);
    /* full integer: int8 activations and weights, int16 cell */
    L(.name = "lstm_s8_basic", .tol = it, .kind = KS8, .version = 1, .batch = 1, .time = 6, .n_in = 8, .n_cell = 6,
      .n_out = 6, .act = TANH, .x_zp = -128);
    L(.name = "lstm_s8_batch_zp", .tol = it, .kind = KS8, .version = 1, .batch = 3, .time = 4, .n_in = 5, .n_cell = 4,
      .n_out = 4, .act = TANH, .x_zp = 17, .h_zp = -5, .hidden_zp = -5);
    L(.name = "lstm_s8_time_major_clip", .tol = it, .kind = KS8, .version = 1, .batch = 2, .time = 4, .n_in = 5,
      .n_cell = 4, .n_out = 4, .act = TANH, .time_major = true, .cell_clip = 0.5f, .cell_log2 = -12);
    L(.name = "lstm_s8_cifg_peephole_proj", .tol = it, .kind = KS8, .version = 1, .batch = 2, .time = 3, .n_in = 5,
      .n_cell = 6, .n_out = 6, .cifg = true, .peephole = true, .proj = true, .proj_bias = true, .act = TANH,
      .proj_clip = 0.5f, .h_zp = 3, .hidden_zp = 7);
    L(.name = "lstm_s8_proj_narrow", .tol = it, .kind = KS8, .version = 1, .batch = 2, .time = 3, .n_in = 4,
      .n_cell = 6, .n_out = 3, .proj = true, .act = TANH, .hidden_zp = -9, .x_zp = 5);
    L(.name = "lstm_s8_layer_norm", .tol = it, .kind = KS8, .version = 1, .batch = 2, .time = 3, .n_in = 5, .n_cell = 4,
      .n_out = 4, .ln = true, .act = TANH);
    L(.name = "lstm_s8_layer_norm_cifg_peephole", .tol = it, .kind = KS8, .version = 1, .batch = 2, .time = 3,
      .n_in = 5, .n_cell = 8, .n_out = 8, .ln = true, .cifg = true, .peephole = true, .act = TANH, .cell_log2 = -10);
    L(.name = "lstm_s8_mnist_like", .tol = it, .kind = KS8, .version = 1, .batch = 1, .time = 28, .n_in = 28,
      .n_cell = 20, .n_out = 20, .act = TANH, .x_zp = -128, .cell_clip = 10.0f, .cell_log2 = -12);
    L(.name = "lstm_s8_clips_active", .tol = it, .kind = KS8, .version = 1, .batch = 2, .time = 5, .n_in = 6,
      .n_cell = 5, .n_out = 4, .proj = true, .proj_bias = true, .act = TANH, .cell_clip = 0.05f, .proj_clip = 0.06f,
      .cell_log2 = -15, .wmul = 3.0f);
    L(.name = "lstm_s8_cell_scale_m9_saturating", .tol = it, .kind = KS8, .version = 1, .batch = 2, .time = 5,
      .n_in = 12, .n_cell = 5, .n_out = 5, .act = TANH, .cell_log2 = -9, .wmul = 8.0f, .x_zp = 127, .h_zp = -128,
      .hidden_zp = -128);
    L(.name = "lstm_s8_zero_input_peephole", .tol = it, .kind = KS8, .version = 1, .batch = 2, .time = 3, .n_in = 3,
      .n_cell = 4, .n_out = 4, .peephole = true, .act = TANH, .x_zp = -20, .zero_x = true);
    L(.name = "lstm_f32_act_none_zero_input", .tol = ft, .kind = KF32, .version = 1, .batch = 2, .time = 3, .n_in = 4,
      .n_cell = 5, .n_out = 5, .act = NONE, .zero_x = true);
    L(.name = "lstm_f32_sign_bit", .tol = ft, .kind = KF32, .version = 1, .batch = 1, .time = 3, .n_in = 4, .n_cell = 3,
      .n_out = 3, .act = TFLC_TFL_ACTIVATION_FUNCTION_TYPE_SIGN_BIT);
    L(.name = "lstm_f32_relu_n1_large_weights", .tol = ft, .kind = KF32, .version = 1, .batch = 2, .time = 6, .n_in = 7,
      .n_cell = 9, .n_out = 9, .act = TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1, .wmul = 4.0f);
    L(.name = "lstm_hybrid_zero_input_proj", .tol = ft, .kind = KHYB, .version = 2, .batch = 2, .time = 3, .n_in = 4,
      .n_cell = 5, .n_out = 3, .proj = true, .proj_bias = true, .act = TANH, .zero_x = true);
    L(.name = "lstm_hybrid_asym_layer_norm_large", .tol = ft, .kind = KHYB, .version = 3, .batch = 3, .time = 10,
      .n_in = 16, .n_cell = 12, .n_out = 12, .ln = true, .asym = true, .act = TANH, .wmul = 2.0f);
    /* TFLite's int8 peephole walks n_output (< n_cell here) elements per batch row */
    L(.name = "lstm_s8_peephole_proj_narrow_tm", .tol = it, .kind = KS8, .version = 1, .batch = 2, .time = 3, .n_in = 4,
      .n_cell = 6, .n_out = 3, .peephole = true, .proj = true, .time_major = true, .act = TANH, .x_zp = 3);
#undef L
    for (int i = 0; i < n; i++) lstm_one(&cases[i]);
}

/* ------------------------------------------------------------------ SVDF ---- */

struct svdf_case {
    const char *name, *tol;
    int kind, version;
    int batch, n_in, n_filter, n_memory, rank, act;
    bool bias, asym;
    float s_out;
    int x_zp, out_zp;
    bool zero_x;
};

static void svdf_one(const struct svdf_case *p) {
    struct oc *c = oc_begin(p->name, p->tol);
    if (!c) return;
    struct qstore st = {.n = 0};
    const bool q8 = p->kind == KS8, hyb = p->kind == KHYB;
    const int nu = p->n_filter / p->rank;
    const float sx = 1.0f / 64, swf = 0.5f / 127, swt = 0.5f / 32767, sstate = 1.0f / 1024;
    struct tflc_tflb_quant qx = qs(&st, sx, p->x_zp), qwf = qs(&st, swf, 0), qs_ = qs(&st, sstate, 0);
    struct tflc_tflb_quant qwt = qs(&st, q8 ? swt : 0.5f / 127, 0), qy = qs(&st, p->s_out, p->out_zp);
    struct tflc_tflb_quant qb = qs(&st, sstate * swt, 0);
    int x =
        oc_input(c, "x", q8 ? TFLC_DTYPE_INT8 : TFLC_DTYPE_FLOAT32, 2, (int32_t[]){p->batch, p->n_in}, q8 ? &qx : NULL);
    if (!q8) oc_input_range(c, x, p->zero_x ? 0.0 : -1.0, p->zero_x ? 0.0 : 1.0);
    int wf, wt, b = -1;
    if (q8 || hyb)
        wf = oc_const_range(c, "wf", TFLC_DTYPE_INT8, 2, (int32_t[]){p->n_filter, p->n_in}, -127, 127, &qwf);
    else
        wf = oc_const_range(c, "wf", TFLC_DTYPE_FLOAT32, 2, (int32_t[]){p->n_filter, p->n_in}, -0.5, 0.5, NULL);
    if (q8)
        wt = oc_const_range(c, "wt", TFLC_DTYPE_INT16, 2, (int32_t[]){p->n_filter, p->n_memory}, -32767, 32767, &qwt);
    else if (hyb)
        wt = oc_const_range(c, "wt", TFLC_DTYPE_INT8, 2, (int32_t[]){p->n_filter, p->n_memory}, -127, 127, &qwt);
    else
        wt = oc_const_range(c, "wt", TFLC_DTYPE_FLOAT32, 2, (int32_t[]){p->n_filter, p->n_memory}, -0.5, 0.5, NULL);
    if (p->bias) {
        if (q8)
            b = oc_const_range(c, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){nu}, -20000, 20000, &qb);
        else
            b = oc_const_range(c, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){nu}, -0.3, 0.3, NULL);
    }
    int s = oc_tensor(c, "state", q8 ? TFLC_DTYPE_INT16 : TFLC_DTYPE_FLOAT32, 2,
                      (int32_t[]){p->batch, p->n_filter * p->n_memory}, q8 ? &qs_ : NULL);
    tflc_tflb_tensor_variable(oc_builder(c), s);
    int y = oc_output(c, "y", q8 ? TFLC_DTYPE_INT8 : TFLC_DTYPE_FLOAT32, 2, (int32_t[]){p->batch, nu}, q8 ? &qy : NULL);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_SVDF_OPTIONS_RANK, p->rank, 0);
    tflc_fbb_add_i8(f, TFLC_TFL_SVDF_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)p->act, 0);
    tflc_fbb_add_bool(f, TFLC_TFL_SVDF_OPTIONS_ASYMMETRIC_QUANTIZE_INPUTS, p->asym, false);
    uint32_t opt = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_SVDF, p->version, (int32_t[]){x, wf, wt, b, s}, 5, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_SVDF_OPTIONS, opt);
    oc_end(c);
}

OC_GENERATOR(svdf) {
    /* activations: 0 NONE, 1 RELU, 4 TANH */
    static const struct svdf_case cases[] = {
        {"svdf_f32_rank1_relu", "float 1e-5", KF32, 1, 2, 5, 4, 3, 1, 1, true, false, 0, 0, 0, false},
        {"svdf_f32_rank2_none", "float 1e-5", KF32, 1, 3, 4, 6, 5, 2, 0, true, false, 0, 0, 0, false},
        {"svdf_f32_nobias_tanh_mem1", "float 1e-5", KF32, 1, 1, 7, 4, 1, 2, 4, false, false, 0, 0, 0, false},
        {"svdf_hybrid_sym", "float 1e-5", KHYB, 2, 2, 6, 4, 3, 1, 1, true, false, 0, 0, 0, false},
        {"svdf_hybrid_asym_rank2", "float 1e-5", KHYB, 4, 2, 6, 6, 4, 2, 0, true, true, 0, 0, 0, false},
        {"svdf_s8_relu", "int 0 1", KS8, 3, 2, 8, 6, 4, 1, 1, true, false, 1.0f / 256, -3, 0, false},
        {"svdf_s8_rank2_zp", "int 0 1", KS8, 3, 3, 5, 8, 3, 2, 1, true, false, 1.0f / 512, 20, -128, false},
        {"svdf_s8_nobias", "int 0 1", KS8, 3, 1, 10, 4, 2, 1, 1, false, false, 1.0f / 300, -100, 10, false},
        {"svdf_s8_saturating_state", "int 0 1", KS8, 3, 2, 40, 6, 5, 3, 1, true, false, 1.0f / 16, 127, -60, false},
        {"svdf_hybrid_zero_input", "float 1e-5", KHYB, 2, 2, 5, 4, 3, 2, 4, true, false, 0, 0, 0, true},
        {"svdf_f32_batch_rank3_relu6", "float 1e-5", KF32, 1, 4, 6, 9, 6, 3, 3, true, false, 0, 0, 0, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) svdf_one(&cases[i]);
}
