/* AVERAGE_POOL_2D / MAX_POOL_2D / MEAN / SUM / REDUCE_MAX / SOFTMAX / LOG_SOFTMAX /
 * L2_NORMALIZATION cases, checked against Google's TFLite (WASM build, XNNPACK on).
 *
 * What runs where in Google's runtime, and what we expect:
 *  - float pooling, float MEAN over H,W and float SOFTMAX with beta 1 run in XNNPACK (other
 *    summation order / reciprocal multiply): "float 1e-5";
 *  - int8/uint8/int16 AVERAGE_POOL_2D, SOFTMAX, LOG_SOFTMAX, L2_NORMALIZATION, REDUCE_MAX run
 *    TFLite's builtin kernels, which we implement bit for bit: "int 0 1";
 *  - int8/uint8 MAX_POOL_2D runs in XNNPACK but a max is a max: "int 0 1";
 *  - quantized MEAN over H,W (or W) of 8-bit 4-D inputs runs in XNNPACK (global average
 *    pooling, fp32 requantization, ties to even); the other MEANs run TFLite 2.11's builtin
 *    kernel (optimized int8 Mean over H,W, same-quantization truncation, float
 *    QuantizedMeanOrSum); quantized SUM runs 2.11's float recipe, which wraps instead of
 *    clamping. tflc's default arithmetic (TFLC_ARITH_XNNPACK) implements each of them, so
 *    every case must be exact ("int 0 1"); the reference arithmetic is hand-checked in
 *    test_pool.c. */
#include <math.h>
#include <string.h>

#include "op_cases.h"

#define F32 TFLC_DTYPE_FLOAT32
#define S8 TFLC_DTYPE_INT8
#define U8 TFLC_DTYPE_UINT8
#define S16 TFLC_DTYPE_INT16
#define S32 TFLC_DTYPE_INT32

static bool is_q(enum tflc_dtype t) { return t == S8 || t == U8 || t == S16; }

/* ---- pooling ---- */

struct pspec {
    const char *name;
    int32_t op; /* AVERAGE_POOL_2D or MAX_POOL_2D */
    enum tflc_dtype t;
    int32_t in[4];
    int fh, fw, sh, sw;
    int padding; /* TFLC_TFL_PADDING_* */
    int act;
    float scale;
    int zp;
    const char *tol;
};

static int32_t out_size(int padding, int32_t in, int k, int s) {
    return padding == TFLC_TFL_PADDING_SAME ? (in + s - 1) / s : (in - k + s) / s;
}

static void pool_case(const struct pspec *s) {
    struct oc *c = oc_begin(s->name, s->tol);
    if (!c) return;
    float sc;
    int64_t z;
    struct tflc_tflb_quant q = oc_q(&sc, &z, s->scale, s->zp);
    const struct tflc_tflb_quant *qp = is_q(s->t) ? &q : NULL;
    int32_t od[4] = {s->in[0], out_size(s->padding, s->in[1], s->fh, s->sh),
                     out_size(s->padding, s->in[2], s->fw, s->sw), s->in[3]};
    int x = oc_input(c, "x", s->t, 4, s->in, qp);
    if (s->t == F32) oc_input_range(c, x, -4, 4);
    int y = oc_output(c, "y", s->t, 4, od, qp);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_POOL2D_OPTIONS_PADDING, (int8_t)s->padding, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_STRIDE_W, s->sw, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_STRIDE_H, s->sh, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_FILTER_WIDTH, s->fw, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_FILTER_HEIGHT, s->fh, 0);
    tflc_fbb_add_i8(f, TFLC_TFL_POOL2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)s->act, 0);
    uint32_t opt = tflc_fbb_table_end(f);
    int version = s->t == S8 ? 2 : s->t == S16 ? 3 : 1;
    oc_op(c, s->op, version, (int32_t[]){x}, 1, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_POOL2D_OPTIONS, opt);
    oc_end(c);
}

OC_GENERATOR(pool) {
    enum { SAME = TFLC_TFL_PADDING_SAME, VALID = TFLC_TFL_PADDING_VALID };
    static const struct {
        const char *tag;
        int32_t in[4];
        int fh, fw, sh, sw, pad;
    } geo[] = {
        {"2x2s2_same", {1, 7, 9, 5}, 2, 2, 2, 2, SAME},          {"3x3s1_same", {2, 6, 5, 3}, 3, 3, 1, 1, SAME},
        {"3x3s2_valid", {1, 9, 8, 4}, 3, 3, 2, 2, VALID},        {"3x2s2x1_same", {1, 5, 7, 6}, 3, 2, 2, 1, SAME},
        {"5x1s3x1_same", {1, 11, 4, 2}, 5, 1, 3, 1, SAME},       {"global8_valid", {1, 8, 8, 16}, 8, 8, 8, 8, VALID},
        {"4x4s4_valid_kws", {1, 25, 5, 8}, 25, 5, 25, 5, VALID}, {"big20_valid", {1, 20, 20, 3}, 20, 20, 1, 1, VALID},
        {"7x7s2_same_edges", {1, 6, 6, 2}, 7, 7, 2, 2, SAME},
    };
    static const struct {
        const char *tag;
        enum tflc_dtype t;
        float scale;
        int zp;
    } types[] = {
        {"f32", F32, 0, 0},     {"s8", S8, 0.05f, -3},  {"s8zpmin", S8, 0.1f, -128}, {"s8zpmax", S8, 0.02f, 127},
        {"u8", U8, 0.03f, 128}, {"u8zp0", U8, 0.5f, 0}, {"s16", S16, 0.001f, 0},
    };
    char n[96];
    for (int op = 0; op < 2; op++) {
        int32_t code = op ? TFLC_TFL_BUILTIN_OPERATOR_MAX_POOL_2D : TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D;
        const char *on = op ? "maxpool" : "avgpool";
        for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
            for (size_t g = 0; g < sizeof geo / sizeof geo[0]; g++) {
                snprintf(n, sizeof n, "%s_%s_%s", on, types[t].tag, geo[g].tag);
                struct pspec s = {n,
                                  code,
                                  types[t].t,
                                  {0},
                                  geo[g].fh,
                                  geo[g].fw,
                                  geo[g].sh,
                                  geo[g].sw,
                                  geo[g].pad,
                                  0,
                                  types[t].scale,
                                  types[t].zp,
                                  types[t].t == F32 ? "float 1e-5" : "int 0 1"};
                memcpy(s.in, geo[g].in, sizeof s.in);
                pool_case(&s);
            }
        /* Fused activations (clamped in the quantized domain). */
        for (int act = 1; act <= 3; act++) {
            static const char *an[] = {"", "relu", "relu_n1_1", "relu6"};
            for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
                snprintf(n, sizeof n, "%s_%s_%s", on, types[t].tag, an[act]);
                struct pspec s = {n,
                                  code,
                                  types[t].t,
                                  {1, 6, 6, 4},
                                  2,
                                  2,
                                  2,
                                  2,
                                  SAME,
                                  act,
                                  types[t].scale,
                                  types[t].zp,
                                  types[t].t == F32 ? "float 1e-5" : "int 0 1"};
                pool_case(&s);
            }
        }
    }
}

/* ---- reductions ---- */

struct rspec {
    const char *name;
    int32_t op; /* MEAN, SUM or REDUCE_MAX */
    enum tflc_dtype t;
    int rank;
    int32_t in[5];
    int naxes;
    int32_t axes[4];
    bool keep;
    float si, so;
    int zi, zo;
    const char *tol;
    double lo, hi; /* input range, when hi > lo */
};

static void reduce_case(const struct rspec *s) {
    struct oc *c = oc_begin(s->name, s->tol);
    if (!c) return;
    float sc[2];
    int64_t z[2];
    struct tflc_tflb_quant qi = oc_q(&sc[0], &z[0], s->si, s->zi), qo = oc_q(&sc[1], &z[1], s->so, s->zo);
    bool q = is_q(s->t);
    bool red[5] = {0};
    for (int i = 0; i < s->naxes; i++) red[s->axes[i] < 0 ? s->axes[i] + s->rank : s->axes[i]] = true;
    int32_t od[5];
    int orank = 0;
    for (int d = 0; d < s->rank; d++) {
        if (!red[d])
            od[orank++] = s->in[d];
        else if (s->keep)
            od[orank++] = 1;
    }
    int x = oc_input(c, "x", s->t, s->rank, s->in, q ? &qi : NULL);
    if (s->hi > s->lo)
        oc_input_range(c, x, s->lo, s->hi);
    else if (s->t == S32)
        oc_input_range(c, x, -1000, 1000);
    int ax = oc_const(c, "axes", S32, 1, (int32_t[]){s->naxes}, s->axes, NULL);
    int y = oc_output(c, "y", s->t, orank, od, q ? &qo : NULL);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_REDUCER_OPTIONS_KEEP_DIMS, s->keep, false);
    uint32_t opt = tflc_fbb_table_end(f);
    int version = s->t == S8 ? 2 : s->t == S16 && s->op != TFLC_TFL_BUILTIN_OPERATOR_SUM ? 3 : 1;
    oc_op(c, s->op, version, (int32_t[]){x, ax}, 2, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_REDUCER_OPTIONS, opt);
    oc_end(c);
}

OC_GENERATOR(reduce) {
    const int32_t MEAN = TFLC_TFL_BUILTIN_OPERATOR_MEAN, SUM = TFLC_TFL_BUILTIN_OPERATOR_SUM,
                  MAX = TFLC_TFL_BUILTIN_OPERATOR_REDUCE_MAX;
    /* Axis sets exercised for every op and type: H,W (the 4-D special case), last axis,
     * negative axes, duplicates, all axes, keep_dims false, empty axis list. */
    static const struct {
        const char *tag;
        int rank;
        int32_t in[5];
        int naxes;
        int32_t axes[4];
        bool keep;
    } ax[] = {
        {"hw_keep", 4, {2, 5, 6, 7}, 2, {1, 2}, true},
        {"wh_keep", 4, {1, 7, 7, 12}, 2, {2, 1}, true},
        {"hw_nokeep", 4, {2, 5, 6, 7}, 2, {1, 2}, false},
        {"last", 3, {3, 4, 10}, 1, {2}, false},
        {"neg", 4, {2, 3, 4, 5}, 2, {-1, -3}, true},
        {"dup", 3, {4, 6, 5}, 3, {1, 1, -2}, false},
        {"all", 3, {3, 4, 5}, 3, {0, 1, 2}, false},
        {"first", 2, {8, 6}, 1, {0}, true},
        {"empty", 2, {3, 4}, 0, {0}, false},
        {"rank5", 5, {2, 3, 2, 3, 4}, 2, {1, 3}, false},
    };
    char n[96];
    for (size_t a = 0; a < sizeof ax / sizeof ax[0]; a++) {
        struct rspec s = {n, 0, F32, ax[a].rank, {0}, ax[a].naxes, {0}, ax[a].keep, 0, 0, 0, 0, "float 1e-5", 0, 0};
        memcpy(s.in, ax[a].in, sizeof s.in);
        memcpy(s.axes, ax[a].axes, sizeof s.axes);
        static const struct {
            const char *tag;
            int32_t op;
        } ops[] = {{"mean", 0}, {"sum", 1}, {"reducemax", 2}};
        for (int o = 0; o < 3; o++) {
            s.op = o == 0 ? MEAN : o == 1 ? SUM : MAX;
            /* float */
            snprintf(n, sizeof n, "%s_f32_%s", ops[o].tag, ax[a].tag);
            s.t = F32;
            s.si = s.so = 0;
            s.zi = s.zo = 0;
            s.tol = "float 1e-5";
            s.lo = s.hi = 0;
            reduce_case(&s);
            /* int32 */
            snprintf(n, sizeof n, "%s_s32_%s", ops[o].tag, ax[a].tag);
            s.t = S32;
            s.tol = "int 0 1";
            reduce_case(&s);
            /* int8 / uint8 / int16, same quantization in and out */
            static const struct {
                const char *tag;
                enum tflc_dtype t;
                float s;
                int z;
            } qt[] = {{"s8", S8, 0.07f, -9}, {"u8", U8, 0.02f, 130}, {"s16", S16, 0.0005f, 0}};
            for (int k = 0; k < 3; k++) {
                snprintf(n, sizeof n, "%s_%s_%s", ops[o].tag, qt[k].tag, ax[a].tag);
                s.t = qt[k].t;
                s.si = s.so = qt[k].s;
                s.zi = s.zo = qt[k].z;
                /* Sums stay in range: inputs near the zero point (TFLite 2.11 wraps SUM). */
                if (o == 1) {
                    s.lo = qt[k].z - 6;
                    s.hi = qt[k].z + 6;
                    /* TFLite 2.11 sums int16 as plain integers and needs equal scales. */
                    if (qt[k].t != S16) s.so = qt[k].s * 8;
                } else {
                    s.lo = s.hi = 0;
                }
                /* Exact in every case (TFLC_ARITH_XNNPACK, the default): MEAN over H,W of 8-bit
                 * 4-D inputs runs in XNNPACK in Google's runtime (global average pooling, fp32
                 * requantization), the other MEANs and SUMs in TFLite 2.11's builtin kernel
                 * (optimized int8 Mean, same-quantization truncation, float QuantizedMeanOrSum);
                 * mean.c and sum.c implement all of them. */
                s.tol = "int 0 1";
                reduce_case(&s);
            }
        }
    }
    /* Quantized MEAN/SUM with different input and output quantization (requantization). */
    static const struct rspec rq[] = {
        {"mean_s8_hw_rescale", MEAN, S8, 4, {1, 7, 7, 32}, 2, {1, 2}, true, 0.07f, 0.05f, -9, 3, "int 0 1", 0, 0},
        {"mean_s8_hw_rescale_up",
         MEAN,
         S8,
         4,
         {2, 4, 6, 8},
         2,
         {2, 1},
         true,
         0.02f,
         0.09f,
         100,
         -128,
         "int 0 1",
         0,
         0},
        {"mean_s8_last_rescale", MEAN, S8, 3, {4, 5, 12}, 1, {-1}, false, 0.03f, 0.011f, 10, -20, "int 0 1", 0, 0},
        {"mean_s8_zp_extremes", MEAN, S8, 3, {4, 5, 12}, 1, {1}, true, 0.05f, 0.05f, -128, 127, "int 0 1", 0, 0},
        {"mean_u8_hw_rescale", MEAN, U8, 4, {1, 5, 5, 16}, 2, {1, 2}, true, 0.04f, 0.03f, 120, 100, "int 0 1", 0, 0},
        {"mean_u8_last_rescale", MEAN, U8, 2, {6, 33}, 1, {1}, false, 0.02f, 0.015f, 0, 255, "int 0 1", 0, 0},
        {"mean_s16_hw_rescale", MEAN, S16, 4, {1, 4, 4, 8}, 2, {1, 2}, true, 0.001f, 0.0007f, 0, 0, "int 0 1", 0, 0},
        {"mean_s16_last_rescale", MEAN, S16, 2, {5, 9}, 1, {1}, false, 0.001f, 0.003f, 0, 0, "int 0 1", 0, 0},
        {"sum_s8_rescale", SUM, S8, 3, {3, 4, 5}, 1, {1}, false, 0.01f, 0.05f, 2, -3, "int 0 1", -20, 20},
        {"sum_u8_rescale", SUM, U8, 3, {3, 4, 5}, 2, {0, 2}, true, 0.01f, 0.2f, 128, 120, "int 0 1", 100, 156},
    };
    for (size_t i = 0; i < sizeof rq / sizeof rq[0]; i++) reduce_case(&rq[i]);
    /* The real models' shapes: mobilenet_v2's global average (int8, same quantization) and
     * conv1d_seq's float MEAN over time. */
    static const struct rspec real[] = {
        {"mean_s8_mobilenet",
         MEAN,
         S8,
         4,
         {1, 7, 7, 1280},
         2,
         {1, 2},
         true,
         0.0705479f,
         0.0705479f,
         -9,
         -9,
         "int 0 1",
         0,
         0},
        {"mean_f32_conv1d_seq", MEAN, F32, 3, {1, 56, 32}, 1, {1}, false, 0, 0, 0, 0, "float 1e-5", 0, 0},
    };
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) reduce_case(&real[i]);
}

/* ---- softmax family ---- */

struct sspec {
    const char *name;
    int32_t op; /* SOFTMAX, LOG_SOFTMAX, L2_NORMALIZATION */
    enum tflc_dtype ti, to;
    int rank;
    int32_t in[4];
    float beta;
    float si, so;
    int zi, zo;
    const char *tol;
    double lo, hi;
};

static void softmax_case(const struct sspec *s) {
    struct oc *c = oc_begin(s->name, s->tol);
    if (!c) return;
    float sc[2];
    int64_t z[2];
    struct tflc_tflb_quant qi = oc_q(&sc[0], &z[0], s->si, s->zi), qo = oc_q(&sc[1], &z[1], s->so, s->zo);
    int x = oc_input(c, "x", s->ti, s->rank, s->in, is_q(s->ti) ? &qi : NULL);
    if (s->hi > s->lo) oc_input_range(c, x, s->lo, s->hi);
    int y = oc_output(c, "y", s->to, s->rank, s->in, is_q(s->to) ? &qo : NULL);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    uint8_t type;
    if (s->op == TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX) {
        tflc_fbb_add_f32(f, TFLC_TFL_SOFTMAX_OPTIONS_BETA, s->beta, 0.0f);
        type = TFLC_TFL_BUILTIN_OPTIONS_SOFTMAX_OPTIONS;
    } else if (s->op == TFLC_TFL_BUILTIN_OPERATOR_LOG_SOFTMAX) {
        type = TFLC_TFL_BUILTIN_OPTIONS_LOG_SOFTMAX_OPTIONS;
    } else {
        tflc_fbb_add_i8(f, TFLC_TFL_L2NORM_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, 0);
        type = TFLC_TFL_BUILTIN_OPTIONS_L2NORM_OPTIONS;
    }
    uint32_t opt = tflc_fbb_table_end(f);
    int version = s->ti == S8 ? 2 : s->ti == S16 ? 3 : 1;
    oc_op(c, s->op, version, (int32_t[]){x}, 1, (int32_t[]){y}, 1, type, opt);
    oc_end(c);
}

OC_GENERATOR(softmax) {
    const int32_t SM = TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX, LSM = TFLC_TFL_BUILTIN_OPERATOR_LOG_SOFTMAX,
                  L2 = TFLC_TFL_BUILTIN_OPERATOR_L2_NORMALIZATION;
    const float s256 = 1.0f / 256, s65536 = 1.0f / 65536, s32768 = 1.0f / 32768, s16_256 = 16.0f / 256,
                s128 = 1.0f / 128;
    static struct sspec v[64];
    int k = 0;
#define S(...) v[k++] = (struct sspec){__VA_ARGS__}
    /* SOFTMAX float: beta 1 (XNNPACK), other betas (TFLite), ranks 1..4, wide rows. */
    S("softmax_f32_beta1", SM, F32, F32, 2, {3, 10}, 1.0f, 0, 0, 0, 0, "float 1e-5", -5, 5);
    S("softmax_f32_beta0_5", SM, F32, F32, 4, {1, 2, 3, 7}, 0.5f, 0, 0, 0, 0, "float 1e-5", -5, 5);
    S("softmax_f32_beta2_rank1", SM, F32, F32, 1, {17}, 2.0f, 0, 0, 0, 0, "float 1e-5", -5, 5);
    S("softmax_f32_wide", SM, F32, F32, 2, {2, 1000}, 1.0f, 0, 0, 0, 0, "float 1e-5", -20, 20);
    /* SOFTMAX quantized: the real models' quantization and the edges. */
    S("softmax_s8_kws", SM, S8, S8, 2, {1, 12}, 1.0f, 0.144693f, s256, 14, -128, "int 0 1", 0, 0);
    S("softmax_s8_resnet8", SM, S8, S8, 2, {4, 10}, 1.0f, 0.171854f, s256, 24, -128, "int 0 1", 0, 0);
    S("softmax_s8_beta0_7", SM, S8, S8, 3, {2, 3, 9}, 0.7f, 0.1f, s256, 0, -128, "int 0 1", 0, 0);
    S("softmax_s8_tiny_scale", SM, S8, S8, 2, {3, 40}, 1.0f, 0.001f, s256, -128, -128, "int 0 1", 0, 0);
    S("softmax_s8_huge_scale", SM, S8, S8, 2, {3, 40}, 1.0f, 2.0f, s256, 127, -128, "int 0 1", 0, 0);
    S("softmax_s8_wide", SM, S8, S8, 2, {2, 300}, 1.0f, 0.05f, s256, 3, -128, "int 0 1", 0, 0);
    S("softmax_s8_s16_keyword", SM, S8, S16, 2, {1, 2}, 1.0f, 0.0699627f, s65536, 2, -32768, "int 0 1", 0, 0);
    S("softmax_s8_s16_wide", SM, S8, S16, 2, {3, 50}, 1.0f, 0.09f, s65536, -5, -32768, "int 0 1", 0, 0);
    S("softmax_u8", SM, U8, U8, 2, {4, 10}, 1.0f, 0.1f, s256, 128, 0, "int 0 1", 0, 0);
    S("softmax_u8_beta0_3", SM, U8, U8, 4, {1, 2, 2, 13}, 0.3f, 0.2f, s256, 0, 0, "int 0 1", 0, 0);
    S("softmax_u8_s16", SM, U8, S16, 2, {2, 21}, 1.0f, 0.08f, s65536, 100, -32768, "int 0 1", 0, 0);
    S("softmax_s16", SM, S16, S16, 2, {3, 10}, 1.0f, 0.0003f, s32768, 0, 0, "int 0 1", 0, 0);
    S("softmax_s16_beta2", SM, S16, S16, 3, {2, 2, 33}, 2.0f, 0.0001f, s32768, 0, 0, "int 0 1", 0, 0);
    S("softmax_s16_narrow", SM, S16, S16, 2, {4, 8}, 1.0f, 0.001f, s32768, 0, 0, "int 0 1", -3000, 3000);
    /* LOG_SOFTMAX */
    S("logsoftmax_f32", LSM, F32, F32, 2, {3, 10}, 0, 0, 0, 0, 0, "float 1e-5", -5, 5);
    S("logsoftmax_f32_rank4", LSM, F32, F32, 4, {1, 2, 3, 9}, 0, 0, 0, 0, 0, "float 1e-5", -20, 20);
    S("logsoftmax_s8", LSM, S8, S8, 2, {4, 10}, 0, 0.1f, s16_256, 0, 127, "int 0 1", 0, 0);
    S("logsoftmax_s8_small_scale", LSM, S8, S8, 2, {3, 33}, 0, 0.01f, s16_256, -100, 127, "int 0 1", 0, 0);
    S("logsoftmax_s8_big_scale", LSM, S8, S8, 3, {2, 2, 17}, 0, 0.5f, s16_256, 20, 127, "int 0 1", 0, 0);
    S("logsoftmax_s8_wide", LSM, S8, S8, 2, {2, 500}, 0, 0.05f, s16_256, 5, 127, "int 0 1", 0, 0);
    S("logsoftmax_u8", LSM, U8, U8, 2, {4, 10}, 0, 0.1f, s16_256, 128, 255, "int 0 1", 0, 0);
    S("logsoftmax_u8_big_scale", LSM, U8, U8, 2, {3, 20}, 0, 0.4f, s16_256, 0, 255, "int 0 1", 0, 0);
    /* L2_NORMALIZATION */
    S("l2norm_f32", L2, F32, F32, 2, {3, 10}, 0, 0, 0, 0, 0, "float 1e-5", -5, 5);
    S("l2norm_f32_rank4", L2, F32, F32, 4, {1, 2, 3, 16}, 0, 0, 0, 0, 0, "float 1e-5", -1, 1);
    S("l2norm_f32_rank1", L2, F32, F32, 1, {7}, 0, 0, 0, 0, 0, "float 1e-5", -3, 3);
    S("l2norm_s8", L2, S8, S8, 2, {4, 10}, 0, 0.05f, s128, 0, 0, "int 0 1", 0, 0);
    S("l2norm_s8_zp", L2, S8, S8, 3, {2, 3, 24}, 0, 0.02f, s128, -30, 0, "int 0 1", 0, 0);
    S("l2norm_s8_small", L2, S8, S8, 2, {5, 6}, 0, 0.05f, s128, 3, 0, "int 0 1", 1, 5);
    S("l2norm_s8_wide", L2, S8, S8, 2, {2, 700}, 0, 0.05f, s128, -128, 0, "int 0 1", 0, 0);
    S("l2norm_u8", L2, U8, U8, 2, {4, 10}, 0, 0.05f, s128, 128, 128, "int 0 1", 0, 0);
    S("l2norm_u8_zp0", L2, U8, U8, 4, {1, 1, 3, 12}, 0, 0.05f, s128, 0, 128, "int 0 1", 0, 0);
#undef S
    for (int i = 0; i < k; i++) softmax_case(&v[i]);
}

/* RELU -> PAD -> MAX_POOL_2D (VALID), ResNet's stem: tflc fuses the PAD into the pool when its
 * input comes out of a RELU (runtime/fuse.c); without the RELU it must not (a negative input
 * loses to the PAD's zeros), and both are checked against Google's three / two ops. */
static void prepad_pool_case(const char *name, enum tflc_dtype t, float scale, int zp, bool relu, const int *pads) {
    struct oc *c = oc_begin(name, t == F32 ? "float 1e-5" : "int 0 1");
    if (!c) return;
    float sc;
    int64_t z;
    struct tflc_tflb_quant q = oc_q(&sc, &z, scale, zp);
    const struct tflc_tflb_quant *qp = is_q(t) ? &q : NULL;
    const int32_t in[4] = {1, 9, 8, 6};
    int x = oc_input(c, "x", t, 4, in, qp);
    if (t == F32) oc_input_range(c, x, -4, 4);
    int r = x;
    if (relu) {
        r = oc_tensor(c, "relu", t, 4, in, qp);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_RELU, t == S8 ? 2 : 1, (int32_t[]){x}, 1, (int32_t[]){r}, 1,
              TFLC_TFL_BUILTIN_OPTIONS_NONE, 0);
    }
    const int32_t pv[8] = {0, 0, pads[0], pads[1], pads[2], pads[3], 0, 0};
    int pt = oc_const(c, "paddings", S32, 2, (int32_t[]){4, 2}, pv, NULL);
    const int32_t pd[4] = {1, 9 + pads[0] + pads[1], 8 + pads[2] + pads[3], 6};
    int p = oc_tensor(c, "padded", t, 4, pd, qp);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_PAD, t == F32 ? 1 : 2, (int32_t[]){r, pt}, 2, (int32_t[]){p}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_NONE, 0);
    const int32_t od[4] = {1, out_size(TFLC_TFL_PADDING_VALID, pd[1], 3, 2), out_size(TFLC_TFL_PADDING_VALID, pd[2], 3, 2),
                           6};
    int y = oc_output(c, "y", t, 4, od, qp);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_POOL2D_OPTIONS_PADDING, (int8_t)TFLC_TFL_PADDING_VALID, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_STRIDE_W, 2, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_STRIDE_H, 2, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_FILTER_WIDTH, 3, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_FILTER_HEIGHT, 3, 0);
    uint32_t opt = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_MAX_POOL_2D, t == S8 ? 2 : 1, (int32_t[]){p}, 1, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_POOL2D_OPTIONS, opt);
    oc_end(c);
}

OC_GENERATOR(pool_prepad) {
    static const int pads[3][4] = {{1, 1, 1, 1}, {0, 1, 0, 1}, {2, 0, 1, 2}};
    static const struct {
        const char *tag;
        enum tflc_dtype t;
        float scale;
        int zp;
    } types[] = {{"f32", F32, 0, 0}, {"s8", S8, 0.05f, -3}, {"u8", U8, 0.03f, 128}};
    char n[96];
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
        for (int i = 0; i < 3; i++)
            for (int relu = 0; relu < 2; relu++) {
                snprintf(n, sizeof n, "maxpool_prepad%d_%s%s", i, types[t].tag, relu ? "_relu" : "");
                prepad_pool_case(n, types[t].t, types[t].scale, types[t].zp, relu, pads[i]);
            }
}
