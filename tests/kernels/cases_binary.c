/* SUB / MUL / DIV / MAXIMUM / MINIMUM / SQUARED_DIFFERENCE cases, checked against Google's
 * TFLite: every type each op has, fused activations, broadcasting (inner, middle, both
 * sides, rank 0, 5-D), zero points at the extremes, MUL rescale >= 1, int16 paths.
 * Every case must be exact ("int 0 1"): Google's runtime runs int8/uint8 SUB and MUL through
 * XNNPACK (SUB: integer multipliers with a common shift; MUL: fp32 requantization, ties to
 * even) and the rest through TFLite's builtin kernels; tflc's default arithmetic
 * (TFLC_ARITH_XNNPACK) follows the same split (binary_util.h, mul.c). TFLite's reference
 * arithmetic is hand-checked in test_binary.c. */
#include <math.h>
#include <string.h>

#include "op_cases.h"

struct bspec {
    const char *name;
    int32_t op;
    int version;
    enum tflc_dtype t;
    int ra, rb;
    int32_t da[6], db[6];
    int act;
    bool pot;                     /* SubOptions.pot_scale_int16 */
    bool quant;                   /* tensors carry scales/zero points */
    float sa, sb, so;
    int za, zb, zo;
    bool ranged_a, ranged_b;      /* input value ranges (else op_cases defaults) */
    double alo, ahi, blo, bhi;
    const char *tol;
};

static uint32_t options(struct oc *c, const struct bspec *s, uint8_t *type) {
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    switch (s->op) {
    case TFLC_TFL_BUILTIN_OPERATOR_SUB:
        *type = TFLC_TFL_BUILTIN_OPTIONS_SUB_OPTIONS;
        tflc_fbb_add_i8(f, TFLC_TFL_SUB_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)s->act, 0);
        tflc_fbb_add_bool(f, TFLC_TFL_SUB_OPTIONS_POT_SCALE_INT16, s->pot, true);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_ADD:
        *type = TFLC_TFL_BUILTIN_OPTIONS_ADD_OPTIONS;
        tflc_fbb_add_i8(f, TFLC_TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)s->act, 0);
        tflc_fbb_add_bool(f, TFLC_TFL_ADD_OPTIONS_POT_SCALE_INT16, s->pot, true);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_MUL:
        *type = TFLC_TFL_BUILTIN_OPTIONS_MUL_OPTIONS;
        tflc_fbb_add_i8(f, TFLC_TFL_MUL_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)s->act, 0);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_DIV:
        *type = TFLC_TFL_BUILTIN_OPTIONS_DIV_OPTIONS;
        tflc_fbb_add_i8(f, TFLC_TFL_DIV_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)s->act, 0);
        break;
    case TFLC_TFL_BUILTIN_OPERATOR_SQUARED_DIFFERENCE:
        *type = TFLC_TFL_BUILTIN_OPTIONS_SQUARED_DIFFERENCE_OPTIONS;
        break;
    default: *type = TFLC_TFL_BUILTIN_OPTIONS_MAXIMUM_MINIMUM_OPTIONS; break;
    }
    return tflc_fbb_table_end(f);
}

static void run(const struct bspec *s) {
    struct oc *c = oc_begin(s->name, s->tol);
    if (!c) return;
    int ro = s->ra > s->rb ? s->ra : s->rb;
    int32_t dout[6];
    for (int i = 0; i < ro; i++) {
        int ia = i - (ro - s->ra), ib = i - (ro - s->rb);
        int32_t x = ia >= 0 ? s->da[ia] : 1, y = ib >= 0 ? s->db[ib] : 1;
        dout[i] = x == 1 ? y : x;
    }
    float sc[3];
    int64_t zp[3];
    struct tflc_tflb_quant qa = oc_q(&sc[0], &zp[0], s->sa, s->za), qb = oc_q(&sc[1], &zp[1], s->sb, s->zb),
                           qo = oc_q(&sc[2], &zp[2], s->so, s->zo);
    int a = oc_input(c, "a", s->t, s->ra, s->da, s->quant ? &qa : NULL);
    int b = oc_input(c, "b", s->t, s->rb, s->db, s->quant ? &qb : NULL);
    if (s->ranged_a) oc_input_range(c, a, s->alo, s->ahi);
    if (s->ranged_b) oc_input_range(c, b, s->blo, s->bhi);
    int y = oc_output(c, "y", s->t, ro, dout, s->quant ? &qo : NULL);
    uint8_t type;
    uint32_t opt = options(c, s, &type);
    oc_op(c, s->op, s->version, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1, type, opt);
    oc_end(c);
}

enum {
    SUB = TFLC_TFL_BUILTIN_OPERATOR_SUB,
    MUL = TFLC_TFL_BUILTIN_OPERATOR_MUL,
    DIV = TFLC_TFL_BUILTIN_OPERATOR_DIV,
    MAX = TFLC_TFL_BUILTIN_OPERATOR_MAXIMUM,
    MIN = TFLC_TFL_BUILTIN_OPERATOR_MINIMUM,
    SQD = TFLC_TFL_BUILTIN_OPERATOR_SQUARED_DIFFERENCE,
};

#define F32 TFLC_DTYPE_FLOAT32
#define S8 TFLC_DTYPE_INT8
#define U8 TFLC_DTYPE_UINT8
#define S16 TFLC_DTYPE_INT16
#define S32 TFLC_DTYPE_INT32
#define S64 TFLC_DTYPE_INT64
#define SHAPE4 4, 4, {1, 5, 7, 3}, {1, 5, 7, 3}
#define BC_INNER 4, 1, {1, 5, 7, 3}, {3}
#define BC_MID 4, 4, {1, 5, 7, 3}, {1, 1, 7, 1}
#define BC_BOTH 3, 2, {4, 1, 3}, {2, 1}
#define BC_SCALAR 3, 0, {2, 3, 4}, {0}
#define BC_5D 5, 5, {2, 1, 3, 1, 4}, {1, 3, 1, 2, 4}
#define EXACT "int 0 1"
#define FTOL "float 1e-6"

static const char *nm(char *buf, size_t n, const char *op, const char *t, const char *what, int k) {
    snprintf(buf, n, "%s_%s_%s%d", op, t, what, k);
    return buf;
}

/* Activations 0..3 over one spec. */
static void acts(struct bspec s, const char *op, const char *t) {
    char buf[64];
    for (int act = 0; act <= 3; act++) {
        s.name = nm(buf, sizeof buf, op, t, "act", act);
        s.act = act;
        run(&s);
    }
}

OC_GENERATOR(sub) {
    acts((struct bspec){.op = SUB, .version = 1, .t = F32, SHAPE4, .tol = FTOL}, "sub", "f32");
    acts((struct bspec){.op = SUB, .version = 2, .t = S8, SHAPE4, .quant = true, .sa = 0.05f, .za = -3, .sb = 0.03f,
                        .zb = 10, .so = 0.07f, .zo = -5, .tol = EXACT},
         "sub", "s8");
    run(&(struct bspec){"sub_f32_bcast_inner", SUB, 1, F32, BC_INNER, .tol = FTOL});
    run(&(struct bspec){"sub_f32_bcast_mid", SUB, 1, F32, BC_MID, .act = 1, .tol = FTOL});
    run(&(struct bspec){"sub_f32_bcast_both", SUB, 1, F32, BC_BOTH, .tol = FTOL});
    run(&(struct bspec){"sub_f32_bcast_scalar", SUB, 1, F32, BC_SCALAR, .tol = FTOL});
    run(&(struct bspec){"sub_f32_bcast_5d", SUB, 3, F32, BC_5D, .tol = FTOL});
    run(&(struct bspec){"sub_s8_bcast", SUB, 2, S8, BC_MID, .quant = true, .sa = 0.1f, .za = 0, .sb = 0.02f, .zb = -128,
                        .so = 0.1f, .zo = 3, .tol = EXACT});
    run(&(struct bspec){"sub_s8_bcast_5d", SUB, 3, S8, BC_5D, .quant = true, .sa = 0.1f, .za = 5, .sb = 0.2f, .zb = -7,
                        .so = 0.25f, .zo = 0, .tol = EXACT});
    run(&(struct bspec){"sub_s8_extreme_zp", SUB, 2, S8, SHAPE4, .quant = true, .sa = 0.5f, .za = 127, .sb = 0.25f,
                        .zb = -128, .so = 1.0f, .zo = -128, .tol = EXACT});
    run(&(struct bspec){"sub_s8_same_scale", SUB, 2, S8, SHAPE4, .act = 1, .quant = true, .sa = 0.02f, .za = -128,
                        .sb = 0.02f, .zb = -128, .so = 0.04f, .zo = 0, .tol = EXACT});
    run(&(struct bspec){"sub_u8", SUB, 1, U8, SHAPE4, .act = 1, .quant = true, .sa = 0.05f, .za = 128, .sb = 0.03f,
                        .zb = 100, .so = 0.07f, .zo = 0, .tol = EXACT});
    run(&(struct bspec){"sub_u8_bcast", SUB, 1, U8, BC_BOTH, .quant = true, .sa = 0.05f, .za = 0, .sb = 0.03f,
                        .zb = 255, .so = 0.07f, .zo = 128, .tol = EXACT});
    run(&(struct bspec){"sub_s16_general", SUB, 5, S16, SHAPE4, .quant = true, .sa = 0.001f, .sb = 0.0007f,
                        .so = 0.002f, .tol = EXACT});
    run(&(struct bspec){"sub_s16_general_bcast_relu", SUB, 5, S16, BC_MID, .act = 1, .quant = true, .sa = 0.001f,
                        .sb = 0.0007f, .so = 0.0015f, .tol = EXACT});
    /* pot_scale_int16 with power-of-two scales: TFLite's LSTM-era int16 path (v1). */
    run(&(struct bspec){"sub_s16_pot", SUB, 1, S16, SHAPE4, .pot = true, .quant = true, .sa = 1.0f / 1024,
                        .sb = 1.0f / 4096, .so = 1.0f / 1024, .tol = EXACT});
    run(&(struct bspec){"sub_s16_pot_bcast", SUB, 1, S16, BC_MID, .pot = true, .quant = true, .sa = 1.0f / 8192,
                        .sb = 1.0f / 2048, .so = 1.0f / 2048, .tol = EXACT});
    /* pot_scale_int16 set but scales are not powers of two: TFLite takes the general path. */
    run(&(struct bspec){"sub_s16_pot_flag_general", SUB, 1, S16, SHAPE4, .pot = true, .quant = true, .sa = 0.001f,
                        .sb = 0.0007f, .so = 0.002f, .tol = EXACT});
    run(&(struct bspec){"sub_s32", SUB, 1, S32, BC_MID, .ranged_a = true, .alo = -1000, .ahi = 1000, .ranged_b = true,
                        .blo = -1000, .bhi = 1000, .tol = EXACT});
    run(&(struct bspec){"sub_s32_relu6", SUB, 1, S32, SHAPE4, .act = 3, .ranged_a = true, .alo = -10, .ahi = 10,
                        .ranged_b = true, .blo = -10, .bhi = 10, .tol = EXACT});
    run(&(struct bspec){"sub_s64", SUB, 4, S64, BC_INNER, .ranged_a = true, .alo = -100000, .ahi = 100000,
                        .ranged_b = true, .blo = -100000, .bhi = 100000, .tol = EXACT});
}

OC_GENERATOR(mul) {
    acts((struct bspec){.op = MUL, .version = 1, .t = F32, SHAPE4, .ranged_a = true, .alo = -3, .ahi = 3,
                        .ranged_b = true, .blo = -3, .bhi = 3, .tol = FTOL},
         "mul", "f32");
    acts((struct bspec){.op = MUL, .version = 2, .t = S8, SHAPE4, .quant = true, .sa = 0.05f, .za = -3, .sb = 0.03f,
                        .zb = 10, .so = 0.07f, .zo = -5, .tol = EXACT},
         "mul", "s8");
    run(&(struct bspec){"mul_f32_bcast_inner", MUL, 1, F32, BC_INNER, .tol = FTOL});
    run(&(struct bspec){"mul_f32_bcast_both", MUL, 1, F32, BC_BOTH, .tol = FTOL});
    run(&(struct bspec){"mul_f32_bcast_scalar", MUL, 1, F32, BC_SCALAR, .tol = FTOL});
    run(&(struct bspec){"mul_f32_bcast_5d", MUL, 1, F32, BC_5D, .tol = FTOL});
    run(&(struct bspec){"mul_s8_bcast", MUL, 2, S8, BC_MID, .quant = true, .sa = 0.1f, .za = 0, .sb = 0.02f, .zb = -128,
                        .so = 0.1f, .zo = 3, .tol = EXACT});
    run(&(struct bspec){"mul_s8_extreme_zp", MUL, 2, S8, SHAPE4, .quant = true, .sa = 0.5f, .za = 127, .sb = 0.25f,
                        .zb = -128, .so = 64.0f, .zo = -128, .tol = EXACT});
    /* s_a s_b / s_out = 2.5 >= 1: version 3, a positive shift. Every odd product lands on
     * an exact .5: TFLite's reference (gemmlowp rounding) rounds those toward +inf (-7.5 -> -7,
     * 12.5 -> 13); Google's runtime runs XNNPACK here and rounds them to even (-8, 12), as
     * tflc's default arithmetic does (the reference's result is checked in test_binary.c). */
    run(&(struct bspec){"mul_s8_rescale_gt1", MUL, 3, S8, SHAPE4, .quant = true, .sa = 0.5f, .za = 0, .sb = 0.25f,
                        .zb = 0, .so = 0.05f, .zo = 0, .ranged_a = true, .alo = -4, .ahi = 4, .ranged_b = true,
                        .blo = -6, .bhi = 6, .tol = "int 0 1"});
    run(&(struct bspec){"mul_s8_bcast_5d_relu6", MUL, 2, S8, BC_5D, .act = 3, .quant = true, .sa = 0.1f, .za = 5,
                        .sb = 0.2f, .zb = -7, .so = 0.05f, .zo = -100, .tol = EXACT});
    run(&(struct bspec){"mul_u8", MUL, 1, U8, SHAPE4, .act = 1, .quant = true, .sa = 0.05f, .za = 128, .sb = 0.03f,
                        .zb = 100, .so = 0.07f, .zo = 0, .tol = EXACT});
    run(&(struct bspec){"mul_u8_bcast", MUL, 1, U8, BC_BOTH, .quant = true, .sa = 0.05f, .za = 0, .sb = 0.03f,
                        .zb = 255, .so = 0.2f, .zo = 128, .tol = EXACT});
    run(&(struct bspec){"mul_s16", MUL, 4, S16, SHAPE4, .quant = true, .sa = 0.001f, .sb = 0.0007f, .so = 0.05f,
                        .tol = EXACT});
    run(&(struct bspec){"mul_s16_bcast_relu", MUL, 4, S16, BC_MID, .act = 1, .quant = true, .sa = 0.001f,
                        .sb = 0.0007f, .so = 0.05f, .tol = EXACT});
    run(&(struct bspec){"mul_s32", MUL, 1, S32, BC_MID, .ranged_a = true, .alo = -1000, .ahi = 1000, .ranged_b = true,
                        .blo = -1000, .bhi = 1000, .tol = EXACT});
    run(&(struct bspec){"mul_s32_relu", MUL, 1, S32, SHAPE4, .act = 1, .ranged_a = true, .alo = -50, .ahi = 50,
                        .ranged_b = true, .blo = -50, .bhi = 50, .tol = EXACT});
    run(&(struct bspec){"mul_s64", MUL, 5, S64, BC_INNER, .ranged_a = true, .alo = -1000000, .ahi = 1000000,
                        .ranged_b = true, .blo = -1000000, .bhi = 1000000, .tol = EXACT});
}

OC_GENERATOR(div) {
    acts((struct bspec){.op = DIV, .version = 1, .t = F32, SHAPE4, .ranged_b = true, .blo = 0.25, .bhi = 2,
                        .tol = FTOL},
         "div", "f32");
    run(&(struct bspec){"div_f32_bcast_inner", DIV, 1, F32, BC_INNER, .ranged_b = true, .blo = -2, .bhi = -0.25,
                        .tol = FTOL});
    run(&(struct bspec){"div_f32_bcast_both", DIV, 1, F32, BC_BOTH, .ranged_b = true, .blo = 0.5, .bhi = 3,
                        .tol = FTOL});
    run(&(struct bspec){"div_f32_bcast_scalar", DIV, 1, F32, BC_SCALAR, .ranged_a = true, .alo = -100, .ahi = 100,
                        .ranged_b = true, .blo = 0.1, .bhi = 1, .tol = FTOL});
    run(&(struct bspec){"div_f32_bcast_5d", DIV, 2, F32, BC_5D, .ranged_b = true, .blo = 1, .bhi = 2, .tol = FTOL});
    run(&(struct bspec){"div_s32", DIV, 1, S32, BC_MID, .ranged_a = true, .alo = -1000, .ahi = 1000, .ranged_b = true,
                        .blo = 1, .bhi = 40, .tol = EXACT});
    run(&(struct bspec){"div_s32_neg_relu6", DIV, 1, S32, SHAPE4, .act = 3, .ranged_a = true, .alo = -100, .ahi = 100,
                        .ranged_b = true, .blo = -7, .bhi = -1, .tol = EXACT});
    /* uint8 cases keep the output multiplier s_a / (s_b s_out) >= 64 (shift >= 7): below that,
     * quotients under about one output step make TFLite shift an int32 by more than 31 bits
     * (undefined behaviour; Google's runtime then returns e.g. 255 for 129/202), where we return
     * the rounded value; test_binary.c pins that regime. Dividends stay near their zero point
     * so most quotients land inside the output range. */
    run(&(struct bspec){"div_u8", DIV, 1, U8, SHAPE4, .quant = true, .sa = 0.05f, .za = 128, .sb = 0.05f, .zb = 0,
                        .so = 0.01f, .zo = 128, .ranged_a = true, .alo = 108, .ahi = 148, .ranged_b = true, .blo = 20,
                        .bhi = 255, .tol = EXACT});
    /* Every divisor below its zero point (negative reals): the sign-flip path. */
    run(&(struct bspec){"div_u8_neg_divisor", DIV, 1, U8, SHAPE4, .quant = true, .sa = 0.02f, .za = 60, .sb = 0.02f,
                        .zb = 230, .so = 0.01f, .zo = 128, .ranged_a = true, .alo = 30, .ahi = 90, .ranged_b = true,
                        .blo = 0, .bhi = 200, .tol = EXACT});
    run(&(struct bspec){"div_u8_bcast_relu", DIV, 1, U8, BC_MID, .act = 1, .quant = true, .sa = 0.1f, .za = 0,
                        .sb = 0.1f, .zb = 10, .so = 0.0125f, .zo = 50, .ranged_a = true, .alo = 0, .ahi = 60,
                        .ranged_b = true, .blo = 70, .bhi = 255, .tol = EXACT});
    run(&(struct bspec){"div_u8_relu_n1", DIV, 1, U8, BC_INNER, .act = 2, .quant = true, .sa = 0.01f, .za = 128,
                        .sb = 0.01f, .zb = 128, .so = 0.015625f, .zo = 128, .ranged_a = true, .alo = 98, .ahi = 158,
                        .ranged_b = true, .blo = 160, .bhi = 255, .tol = EXACT});
}

static void maxmin(int op, const char *opn) {
    char buf[64];
#define MM(what, ...)                                                  \
    do {                                                               \
        snprintf(buf, sizeof buf, "%s_%s", opn, what);                 \
        run(&(struct bspec){buf, op, __VA_ARGS__, .tol = EXACT});      \
    } while (0)
    MM("f32", 1, F32, SHAPE4);
    MM("f32_bcast_inner", 1, F32, BC_INNER);
    MM("f32_bcast_both", 1, F32, BC_BOTH);
    MM("f32_bcast_scalar", 1, F32, BC_SCALAR);
    MM("f32_bcast_5d", 3, F32, BC_5D);
    MM("s8", 2, S8, SHAPE4, .quant = true, .sa = 0.05f, .za = -3, .sb = 0.05f, .zb = -3, .so = 0.05f, .zo = -3);
    MM("s8_bcast", 2, S8, BC_MID, .quant = true, .sa = 0.1f, .za = 127, .sb = 0.1f, .zb = 127, .so = 0.1f, .zo = 127);
    MM("u8", 1, U8, BC_BOTH, .quant = true, .sa = 0.1f, .za = 128, .sb = 0.1f, .zb = 128, .so = 0.1f, .zo = 128);
    MM("s16", 4, S16, SHAPE4, .quant = true, .sa = 0.001f, .sb = 0.001f, .so = 0.001f);
    MM("s32", 1, S32, BC_MID, .ranged_a = true, .alo = -1000, .ahi = 1000, .ranged_b = true, .blo = -1000, .bhi = 1000);
    MM("s64", 1, S64, BC_INNER, .ranged_a = true, .alo = -1000, .ahi = 1000, .ranged_b = true, .blo = -1000,
       .bhi = 1000);
#undef MM
}

OC_GENERATOR(maximum) { maxmin(MAX, "maximum"); }
OC_GENERATOR(minimum) { maxmin(MIN, "minimum"); }

OC_GENERATOR(squared_difference) {
    run(&(struct bspec){"sqdiff_f32", SQD, 1, F32, SHAPE4, .tol = FTOL});
    run(&(struct bspec){"sqdiff_f32_bcast_mid", SQD, 1, F32, BC_MID, .tol = FTOL});
    run(&(struct bspec){"sqdiff_f32_bcast_both", SQD, 1, F32, BC_BOTH, .tol = FTOL});
    run(&(struct bspec){"sqdiff_f32_bcast_scalar", SQD, 1, F32, BC_SCALAR, .tol = FTOL});
    run(&(struct bspec){"sqdiff_s32", SQD, 1, S32, BC_INNER, .ranged_a = true, .alo = -1000, .ahi = 1000,
                        .ranged_b = true, .blo = -1000, .bhi = 1000, .tol = EXACT});
    run(&(struct bspec){"sqdiff_s8", SQD, 2, S8, SHAPE4, .quant = true, .sa = 0.05f, .za = -3, .sb = 0.03f, .zb = 10,
                        .so = 0.5f, .zo = -128, .tol = EXACT});
    run(&(struct bspec){"sqdiff_s8_bcast", SQD, 2, S8, BC_MID, .quant = true, .sa = 0.02f, .za = 127, .sb = 0.02f,
                        .zb = -128, .so = 0.1f, .zo = -128, .tol = EXACT});
    run(&(struct bspec){"sqdiff_s8_bcast_both", SQD, 2, S8, BC_BOTH, .quant = true, .sa = 0.1f, .za = 0, .sb = 0.05f,
                        .zb = 0, .so = 0.02f, .zo = -100, .tol = EXACT});
}

/* ADD paths that came with binary_util.h (the rest of ADD is in cases_add.c). Plain int16
 * ADD (v5) and MUL (v7) are refused by Google's (2022) runtime: test_binary.c covers them. */
OC_GENERATOR(add_more) {
    struct bspec s = {"add_s16_pot", TFLC_TFL_BUILTIN_OPERATOR_ADD, 1, S16, SHAPE4, .pot = true, .quant = true,
                      .sa = 1.0f / 4096, .sb = 1.0f / 1024, .so = 1.0f / 1024, .tol = EXACT};
    run(&s);
    s = (struct bspec){"add_s16_pot_flag_general", TFLC_TFL_BUILTIN_OPERATOR_ADD, 1, S16, BC_MID, .pot = true,
                       .quant = true, .sa = 0.001f, .sb = 0.0007f, .so = 0.002f, .tol = EXACT};
    run(&s);
    s = (struct bspec){"add_s64_relu6", TFLC_TFL_BUILTIN_OPERATOR_ADD, 4, S64, BC_INNER, .act = 3, .ranged_a = true,
                       .alo = -10, .ahi = 10, .ranged_b = true, .blo = -10, .bhi = 10, .tol = EXACT};
    run(&s);
}
