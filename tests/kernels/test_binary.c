/* Hand-checked cases for SUB, MUL, DIV, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE (and the ADD
 * paths that moved to binary_util.h). Expected values are written out by hand or computed
 * here from the real-number definition (real = scale * (q - zero_point)) with values chosen
 * so that the exact result is an integer number of output steps, which any correct
 * requantization must hit. Where TFLite's reference rounding is itself the point (ties),
 * the comment says so. Also: TFLite-only types Google's 2022 runtime refuses (plain int16
 * ADD v5 / MUL v7), run-time division by zero, and bad models refused at load. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_build.h"
#include "format/tflite_schema.h"
#include "test.h"
#include "tflc/runtime.h"

/* These hand-checked cases pin TFLite's reference arithmetic (TFLC_ARITH_REFERENCE); what
 * Google's runtime computes instead (the default arithmetic) is checked in test_arith.c. */
static const struct tflc_interp_options ref_arith = {.num_threads = 1, .arithmetic = TFLC_ARITH_REFERENCE};

enum {
    ADD = TFLC_TFL_BUILTIN_OPERATOR_ADD,
    SUB = TFLC_TFL_BUILTIN_OPERATOR_SUB,
    MUL = TFLC_TFL_BUILTIN_OPERATOR_MUL,
    DIV = TFLC_TFL_BUILTIN_OPERATOR_DIV,
    MAX = TFLC_TFL_BUILTIN_OPERATOR_MAXIMUM,
    MIN = TFLC_TFL_BUILTIN_OPERATOR_MINIMUM,
    SQD = TFLC_TFL_BUILTIN_OPERATOR_SQUARED_DIFFERENCE,
};

/* One single-op model: inputs a, b (graph inputs, or a third input when nin == 3), output y. */
struct op {
    int32_t code;
    int version;
    enum tflc_dtype ta, tb, ty;
    int ra, rb, ry;
    int32_t da[TFLC_MAX_DIMS], db[TFLC_MAX_DIMS], dy[TFLC_MAX_DIMS];
    int act;
    bool pot;          /* pot_scale_int16 */
    bool no_options;   /* write no options table */
    bool quant;        /* a, b, y carry the scales/zero points below */
    float sa, sb, sy;
    int za, zb, zy;
    int nin;           /* 2 unless testing a bad input count */
};

struct run {
    struct tflc_tflb *b;
    uint8_t *arena;
    struct tflc_interp *it;
    struct tflc_diag diag;
    enum tflc_status st;  /* of init */
};

static uint32_t options(struct tflc_tflb *b, const struct op *o, uint8_t *type) {
    struct tflc_fbb *f = tflc_tflb_fbb(b);
    *type = 0;
    if (o->no_options) return 0;
    tflc_fbb_table_start(f);
    switch (o->code) {
    case ADD:
        *type = TFLC_TFL_BUILTIN_OPTIONS_ADD_OPTIONS;
        tflc_fbb_add_i8(f, TFLC_TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)o->act, 0);
        tflc_fbb_add_bool(f, TFLC_TFL_ADD_OPTIONS_POT_SCALE_INT16, o->pot, true);
        break;
    case SUB:
        *type = TFLC_TFL_BUILTIN_OPTIONS_SUB_OPTIONS;
        tflc_fbb_add_i8(f, TFLC_TFL_SUB_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)o->act, 0);
        tflc_fbb_add_bool(f, TFLC_TFL_SUB_OPTIONS_POT_SCALE_INT16, o->pot, true);
        break;
    case MUL:
        *type = TFLC_TFL_BUILTIN_OPTIONS_MUL_OPTIONS;
        tflc_fbb_add_i8(f, TFLC_TFL_MUL_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)o->act, 0);
        break;
    case DIV:
        *type = TFLC_TFL_BUILTIN_OPTIONS_DIV_OPTIONS;
        tflc_fbb_add_i8(f, TFLC_TFL_DIV_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)o->act, 0);
        break;
    case SQD: *type = TFLC_TFL_BUILTIN_OPTIONS_SQUARED_DIFFERENCE_OPTIONS; break;
    default: *type = TFLC_TFL_BUILTIN_OPTIONS_MAXIMUM_MINIMUM_OPTIONS; break;
    }
    return tflc_fbb_table_end(f);
}

/* Builds and initializes the model; r->st is init's status (r->diag its message). */
static void build(struct run *r, const struct op *o) {
    memset(r, 0, sizeof *r);
    r->b = tflc_tflb_create();
    float s[3] = {o->sa, o->sb, o->sy};
    int64_t z[3] = {o->za, o->zb, o->zy};
    struct tflc_tflb_quant q[3];
    for (int i = 0; i < 3; i++) q[i] = (struct tflc_tflb_quant){1, &s[i], &z[i], 0};
    const struct tflc_tflb_quant *qa = o->quant ? &q[0] : NULL, *qb = o->quant ? &q[1] : NULL;
    const struct tflc_tflb_quant *qy = o->quant ? &q[2] : NULL;
    int a = tflc_tflb_tensor(r->b, "a", o->ta, o->ra, o->da, 0, qa);
    int b = tflc_tflb_tensor(r->b, "b", o->tb, o->rb, o->db, 0, qb);
    int y = tflc_tflb_tensor(r->b, "y", o->ty, o->ry, o->dy, 0, qy);
    uint8_t type;
    uint32_t opt = options(r->b, o, &type);
    int nin = o->nin ? o->nin : 2;
    int32_t ins[3] = {a, b, b};
    tflc_tflb_op(r->b, o->code, o->version ? o->version : 1, NULL, ins, nin, (int32_t[]){y}, 1, type, opt);
    tflc_tflb_graph_io(r->b, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1);
    const uint8_t *m;
    size_t n, need;
    if ((r->st = tflc_tflb_finish(r->b, NULL, &m, &n, &r->diag))) return;
    if ((r->st = tflc_interp_arena_size_hosted(m, n, &ref_arith, &need, &r->diag))) return;
    r->arena = aligned_alloc(64, need);
    r->st = tflc_interp_init(&r->it, m, n, r->arena, need, &ref_arith, &r->diag);
}

static void done(struct run *r) {
    tflc_interp_free(r->it);
    free(r->arena);
    tflc_tflb_destroy(r->b);
}

/* Builds, fills the inputs, invokes; returns the output data (NULL on any failure, which is
 * reported). */
static const void *eval(struct run *r, const struct op *o, const void *a, const void *b) {
    build(r, o);
    if (r->st != TFLC_STATUS_OK) {
        TFLC_FAIL_("init: %s", r->diag.msg);
        return NULL;
    }
    memcpy(tflc_interp_input(r->it, 0)->data, a, tflc_interp_input(r->it, 0)->bytes);
    memcpy(tflc_interp_input(r->it, 1)->data, b, tflc_interp_input(r->it, 1)->bytes);
    if (tflc_interp_invoke(r->it, &r->diag) != TFLC_STATUS_OK) {
        TFLC_FAIL_("invoke: %s", r->diag.msg);
        return NULL;
    }
    return tflc_interp_output(r->it, 0)->data;
}

#define ROW(...) {__VA_ARGS__}
/* Same dtype everywhere, shapes a, b, y. */
#define OP(code_, t, ra_, da_, rb_, db_, ry_, dy_) \
    .code = (code_), .ta = (t), .tb = (t), .ty = (t), .ra = (ra_), .da = da_, .rb = (rb_), .db = db_,  \
    .ry = (ry_), .dy = dy_

/* Quantizes a real value that is an exact multiple of the scale (hand-picked inputs). */
static int q_of(double real, float scale, int zp) { return (int)lround(real / scale) + zp; }

/* ---------------- SUB ---------------- */

TFLC_TEST(sub_f32_broadcast_relu) {
    struct op o = {OP(SUB, TFLC_DTYPE_FLOAT32, 2, ROW(2, 3), 1, ROW(3), 2, ROW(2, 3)), .act = 1};
    float a[6] = {1, 2, 3, 4, 5, 6}, b[3] = {2, 0.5f, 7};
    float want[6] = {0, 1.5f, 0, 2, 4.5f, 0};
    struct run r;
    const float *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 6; i++) TFLC_EXPECT_NEAR(y[i], want[i], 0);
    done(&r);
}

TFLC_TEST(sub_f32_scalar_minus_tensor_relu_n1) {
    struct op o = {OP(SUB, TFLC_DTYPE_FLOAT32, 0, ROW(0), 1, ROW(4), 1, ROW(4)), .act = 2};
    float a[1] = {0.5f}, b[4] = {-2, 0, 0.25f, 3};
    float want[4] = {1, 0.5f, 0.25f, -1};
    struct run r;
    const float *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], want[i], 0);
    done(&r);
}

TFLC_TEST(sub_s8_exact_steps_and_saturation) {
    /* s = 0.5 everywhere: y = a - b exactly in real terms; zero points shift it. */
    struct op o = {OP(SUB, TFLC_DTYPE_INT8, 1, ROW(6), 1, ROW(6), 1, ROW(6)), .quant = true, .sa = 0.5f, .za = -10,
                   .sb = 0.5f, .zb = 20, .sy = 0.5f, .zy = 5};
    int8_t a[6] = {-10, 0, 100, 127, -128, 40}, b[6] = {20, 20, -100, -128, 127, 30};
    int8_t want[6];
    for (int i = 0; i < 6; i++) {
        int v = (a[i] + 10) - (b[i] - 20) + 5;
        want[i] = (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);
    }
    TFLC_EXPECT_EQ_INT(want[3], 127);  /* saturates high */
    TFLC_EXPECT_EQ_INT(want[4], -128); /* saturates low */
    struct run r;
    const int8_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 6; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

TFLC_TEST(sub_s8_mixed_scales_relu6_extreme_zero_points) {
    /* a in steps of 0.25 (zp -128: reals [0, 63.75]), b in steps of 0.125 (zp 127: reals
     * [-31.875, 0]), y in steps of 0.25 (zp -128); RELU6 clamps to [-128, -128 + 6/0.25]. */
    struct op o = {OP(SUB, TFLC_DTYPE_INT8, 1, ROW(5), 1, ROW(5), 1, ROW(5)), .act = 3, .quant = true, .sa = 0.25f,
                   .za = -128, .sb = 0.125f, .zb = 127, .sy = 0.25f, .zy = -128};
    double ra[5] = {3.0, 1.0, 0.0, 31.75, 20.0}, rb[5] = {-1.0, -0.5, 0.0, -0.125, -3.0};
    int8_t a[5], b[5], want[5];
    for (int i = 0; i < 5; i++) {
        a[i] = (int8_t)q_of(ra[i], 0.25f, -128);
        b[i] = (int8_t)q_of(rb[i], 0.125f, 127);
        double d = ra[i] - rb[i];
        d = d < 0 ? 0 : d > 6 ? 6 : d;
        want[i] = (int8_t)q_of(d, 0.25f, -128);
    }
    TFLC_EXPECT_EQ_INT(want[1], -122);
    TFLC_EXPECT_EQ_INT(want[3], -104); /* RELU6 */
    struct run r;
    const int8_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

TFLC_TEST(sub_u8_broadcast) {
    struct op o = {OP(SUB, TFLC_DTYPE_UINT8, 2, ROW(2, 2), 1, ROW(2), 2, ROW(2, 2)), .quant = true, .sa = 0.1f,
                   .za = 128, .sb = 0.2f, .zb = 10, .sy = 0.1f, .zy = 100};
    uint8_t a[4] = {128, 138, 0, 255}, b[2] = {10, 15};
    /* reals: a = {0, 1, -12.8, 12.7}, b = {0, 1}; y = a - b (per column) in steps of 0.1 + 100 */
    uint8_t want[4] = {100, 100, 0, 217};
    struct run r;
    const uint8_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

TFLC_TEST(sub_s16_general_scales) {
    struct op o = {OP(SUB, TFLC_DTYPE_INT16, 1, ROW(4), 1, ROW(4), 1, ROW(4)), .version = 5, .quant = true,
                   .sa = 0.001f, .sb = 0.0005f, .sy = 0.002f};
    int16_t a[4] = {1000, -32768, 32767, 0}, b[4] = {400, 32767, -32766, -2000};
    /* In output steps y = a/2 - b/4 (the float scales are exact ratios 1/2 and 1/4):
     * 500 - 100, -16384 - 8191.75 (rounds to -24576), 16383.5 + 8191.5, 0 + 500. */
    int16_t want[4] = {400, -24576, 24575, 500};
    struct run r;
    const int16_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

TFLC_TEST(sub_s16_power_of_two_path) {
    /* pot_scale_int16 with 2^-10, 2^-12, 2^-10: b is rounding-shifted right by 2 (ties away
     * from zero, gemmlowp RoundingDivideByPOT), a is already at the output scale. */
    struct op o = {OP(SUB, TFLC_DTYPE_INT16, 1, ROW(5), 1, ROW(5), 1, ROW(5)), .pot = true, .quant = true,
                   .sa = 1.0f / 1024, .sb = 1.0f / 4096, .sy = 1.0f / 1024};
    int16_t a[5] = {100, 100, 100, -32768, 32767}, b[5] = {6, -6, 5, 4, -8};
    int16_t want[5] = {98, 102, 99, -32768, 32767};
    struct run r;
    const int16_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

TFLC_TEST(sub_s16_power_of_two_both_shifted_is_refused) {
    struct op o = {OP(SUB, TFLC_DTYPE_INT16, 1, ROW(2), 1, ROW(2), 1, ROW(2)), .pot = true, .quant = true,
                   .sa = 1.0f / 4096, .sb = 1.0f / 2048, .sy = 1.0f / 1024};
    struct run r;
    build(&r, &o);
    TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "SUB v1");
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "power-of-two");
    done(&r);
}

TFLC_TEST(sub_s32_wraps_like_tflite_and_clamps) {
    struct op o = {OP(SUB, TFLC_DTYPE_INT32, 1, ROW(3), 1, ROW(3), 1, ROW(3))};
    int32_t a[3] = {INT32_MIN, 5, 100}, b[3] = {1, 9, -100};
    int32_t want[3] = {INT32_MAX, -4, 200}; /* int32 arithmetic wraps (TFLite's C++ int math) */
    struct run r;
    const int32_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
    o.act = 3; /* RELU6 in the integer domain */
    int32_t want6[3] = {6, 0, 6};
    y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_EQ_INT(y[i], want6[i]);
    done(&r);
}

TFLC_TEST(sub_s64) {
    struct op o = {OP(SUB, TFLC_DTYPE_INT64, 1, ROW(2), 0, ROW(0), 1, ROW(2)), .version = 4, .act = 1};
    int64_t a[2] = {5000000000ll, -7}, b[1] = {3};
    struct run r;
    const int64_t *y = eval(&r, &o, a, b);
    if (y) {
        TFLC_EXPECT(y[0] == 4999999997ll);
        TFLC_EXPECT_EQ_INT(y[1], 0);
    }
    done(&r);
}

/* ---------------- MUL ---------------- */

TFLC_TEST(mul_f32_broadcast_relu6) {
    struct op o = {OP(MUL, TFLC_DTYPE_FLOAT32, 2, ROW(2, 2), 2, ROW(2, 1), 2, ROW(2, 2)), .act = 3};
    float a[4] = {1, -2, 3, 4}, b[2] = {1.5f, 2};
    float want[4] = {1.5f, 0, 6, 6};
    struct run r;
    const float *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], want[i], 0);
    done(&r);
}

TFLC_TEST(mul_s8_exact_steps) {
    struct op o = {OP(MUL, TFLC_DTYPE_INT8, 1, ROW(5), 1, ROW(5), 1, ROW(5)), .version = 2, .quant = true,
                   .sa = 0.5f, .za = 3, .sb = 0.25f, .zb = -2, .sy = 0.125f, .zy = -1};
    double ra[5] = {2, -1.5, 0, 10, -20}, rb[5] = {1.5, 2, 7, 1, 1};
    int8_t a[5], b[5], want[5];
    for (int i = 0; i < 5; i++) {
        a[i] = (int8_t)q_of(ra[i], 0.5f, 3);
        b[i] = (int8_t)q_of(rb[i], 0.25f, -2);
        int v = q_of(ra[i] * rb[i], 0.125f, -1);
        want[i] = (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);
    }
    TFLC_EXPECT_EQ_INT(want[3], 79);
    TFLC_EXPECT_EQ_INT(want[4], -128); /* -160 steps saturates */
    struct run r;
    const int8_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

TFLC_TEST(mul_s8_rescale_above_one_rounds_ties_up) {
    /* s_a s_b / s_y = 2.5 (MUL v3). Odd products land on .5: TFLite's reference rounding
     * (SaturatingRoundingDoublingHighMul then RoundingDivideByPOT) sends them toward +inf:
     * -1*3*2.5 = -7.5 -> -7, -1*-5*2.5 = 12.5 -> 13. (XNNPACK, in Google's runtime, rounds
     * ties to even: -8, 12.) Even products are exact. */
    struct op o = {OP(MUL, TFLC_DTYPE_INT8, 1, ROW(5), 1, ROW(5), 1, ROW(5)), .version = 3, .quant = true,
                   .sa = 0.5f, .sb = 0.25f, .sy = 0.05f};
    int8_t a[5] = {-1, -1, 3, 2, 100}, b[5] = {3, -5, -5, 4, 100};
    int8_t want[5] = {-7, 13, -37, 20, 127};
    struct run r;
    const int8_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

TFLC_TEST(mul_u8_relu) {
    struct op o = {OP(MUL, TFLC_DTYPE_UINT8, 1, ROW(4), 1, ROW(4), 1, ROW(4)), .act = 1, .quant = true, .sa = 0.5f,
                   .za = 128, .sb = 0.5f, .zb = 128, .sy = 0.25f, .zy = 10};
    uint8_t a[4] = {130, 126, 138, 255}, b[4] = {132, 132, 148, 255};
    /* reals a = {1, -1, 5, 63.5}, b = {2, 2, 10, 63.5}: products {2, -2 -> 0 (RELU), 50, big} */
    uint8_t want[4] = {18, 10, 210, 255};
    struct run r;
    const uint8_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

TFLC_TEST(mul_s16_quantized) {
    struct op o = {OP(MUL, TFLC_DTYPE_INT16, 1, ROW(3), 1, ROW(3), 1, ROW(3)), .version = 4, .quant = true,
                   .sa = 1.0f / 256, .sb = 1.0f / 128, .sy = 1.0f / 64};
    int16_t a[3] = {512, -32768, 300}, b[3] = {384, -32768, -128};
    /* reals 2 * 3 = 6 -> 384; 128 * 256 = 32768 -> saturates; 1.171875 * -1 -> -75 */
    int16_t want[3] = {384, 32767, -75};
    struct run r;
    const int16_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

TFLC_TEST(mul_s16_plain_v7_saturates) {
    /* int16 without quantization (MUL v7; Google's 2022 runtime predates it): the product is
     * clamped to the activation range, int16's for NONE. */
    struct op o = {OP(MUL, TFLC_DTYPE_INT16, 1, ROW(4), 1, ROW(1), 1, ROW(4)), .version = 7};
    int16_t a[4] = {300, -300, 7, -1}, b[1] = {200};
    int16_t want[4] = {32767, -32768, 1400, -200};
    struct run r;
    const int16_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
    o.act = 1;
    int16_t want_relu[4] = {32767, 0, 1400, 0};
    y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y[i], want_relu[i]);
    done(&r);
}

TFLC_TEST(mul_s32_and_s64_wrap) {
    struct op o = {OP(MUL, TFLC_DTYPE_INT32, 1, ROW(3), 1, ROW(3), 1, ROW(3))};
    int32_t a[3] = {65536, -7, 46341}, b[3] = {65536, 6, 46341};
    int32_t want[3] = {0, -42, (int32_t)(46341u * 46341u)}; /* 2^32 wraps to 0 */
    struct run r;
    const int32_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
    struct op o64 = {OP(MUL, TFLC_DTYPE_INT64, 1, ROW(2), 1, ROW(2), 1, ROW(2)), .version = 5, .act = 2};
    int64_t a64[2] = {3000000000ll, -1}, b64[2] = {-3, 1};
    y = eval(&r, &o64, a64, b64); /* RELU_N1_TO_1 */
    if (y) {
        TFLC_EXPECT_EQ_INT(((const int64_t *)y)[0], -1);
        TFLC_EXPECT_EQ_INT(((const int64_t *)y)[1], -1);
    }
    done(&r);
}

TFLC_TEST(mul_s16_nonzero_zero_point_is_refused) {
    struct op o = {OP(MUL, TFLC_DTYPE_INT16, 1, ROW(2), 1, ROW(2), 1, ROW(2)), .version = 4, .quant = true,
                   .sa = 0.01f, .za = 3, .sb = 0.01f, .sy = 0.01f};
    struct run r;
    build(&r, &o);
    TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "MUL v4");
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "zero points");
    done(&r);
}

/* ---------------- DIV ---------------- */

TFLC_TEST(div_f32_broadcast_and_division_by_zero) {
    /* TFLite's reference clamps to the activation range, so x/0 gives +-FLT_MAX with no
     * activation (its own comment says so); 0/0 stays NaN. (XNNPACK returns inf here.) */
    struct op o = {OP(DIV, TFLC_DTYPE_FLOAT32, 2, ROW(2, 2), 1, ROW(2), 2, ROW(2, 2))};
    float a[4] = {1, -3, 0, 7}, b[2] = {0, 2};
    struct run r;
    const float *y = eval(&r, &o, a, b);
    if (y) {
        TFLC_EXPECT(y[0] == FLT_MAX);
        TFLC_EXPECT_NEAR(y[1], -1.5f, 0);
        TFLC_EXPECT(isnan(y[2]));
        TFLC_EXPECT_NEAR(y[3], 3.5f, 0);
    }
    done(&r);
    o.act = 1;
    float a2[4] = {-1, -3, 5, 7};
    y = eval(&r, &o, a2, b);
    if (y) {
        TFLC_EXPECT_NEAR(y[0], 0, 0); /* -inf clamped by RELU */
        TFLC_EXPECT_NEAR(y[1], 0, 0);
        TFLC_EXPECT(y[2] == FLT_MAX);
        TFLC_EXPECT_NEAR(y[3], 3.5f, 0);
    }
    done(&r);
}

TFLC_TEST(div_s32_truncates_and_reports_zero) {
    struct op o = {OP(DIV, TFLC_DTYPE_INT32, 1, ROW(5), 1, ROW(5), 1, ROW(5))};
    int32_t a[5] = {7, -7, 7, INT32_MIN, 0}, b[5] = {2, 2, -2, -1, 5};
    int32_t want[5] = {3, -3, -3, INT32_MAX, 0}; /* INT32_MIN / -1 saturates (TFLite traps) */
    struct run r;
    const int32_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    /* Same interpreter, a zero divisor: a clean run-time error naming the op. */
    int32_t bz[5] = {1, 2, 0, 4, 5};
    memcpy(tflc_interp_input(r.it, 1)->data, bz, sizeof bz);
    TFLC_EXPECT_EQ_INT(tflc_interp_invoke(r.it, &r.diag), TFLC_STATUS_INVALID_ARGUMENT);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "DIV v1");
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "division by zero");
    done(&r);
}

TFLC_TEST(div_u8_exact_steps_and_sign_flip) {
    /* a: steps 0.5 (zp 0); b: steps 0.25 (zp 128, below it negative); y: steps 0.5 (zp 128). */
    struct op o = {OP(DIV, TFLC_DTYPE_UINT8, 1, ROW(6), 1, ROW(6), 1, ROW(6)), .quant = true, .sa = 0.5f, .za = 0,
                   .sb = 0.25f, .zb = 128, .sy = 0.5f, .zy = 128};
    double ra[6] = {4, 4.5, 10, 0, 127.5, 3}, rb[6] = {2, 1, -2.5, 3, 0.25, -0.5};
    uint8_t a[6], b[6], want[6];
    for (int i = 0; i < 6; i++) {
        a[i] = (uint8_t)q_of(ra[i], 0.5f, 0);
        b[i] = (uint8_t)q_of(rb[i], 0.25f, 128);
        int v = q_of(ra[i] / rb[i], 0.5f, 128);
        want[i] = (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v);
    }
    TFLC_EXPECT_EQ_INT(want[4], 255); /* 510 saturates */
    struct run r;
    const uint8_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 6; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    /* A divisor equal to its zero point is a real 0: reported, not computed. */
    b[2] = 128;
    memcpy(tflc_interp_input(r.it, 1)->data, b, sizeof b);
    TFLC_EXPECT_EQ_INT(tflc_interp_invoke(r.it, &r.diag), TFLC_STATUS_INVALID_ARGUMENT);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "element 2 of divisor 'b'");
    done(&r);
}

TFLC_TEST(div_u8_quotient_below_one_step_rounds_to_zero) {
    /* Output multiplier s_a / (s_b s_out) = 3.33 (shift 2). A dividend of 0 or +-1 step over a
     * large divisor is far below one output step; TFLite then shifts an int32 by 32+ bits
     * (undefined; Google's WebAssembly runtime gives 101, 255 and 0 here). We return the
     * rounded quotient, i.e. the output zero point. */
    struct op o = {OP(DIV, TFLC_DTYPE_UINT8, 1, ROW(4), 1, ROW(4), 1, ROW(4)), .quant = true, .sa = 0.05f, .za = 128,
                   .sb = 0.03f, .zb = 0, .sy = 0.5f, .zy = 100};
    uint8_t a[4] = {128, 129, 127, 129}, b[4] = {242, 202, 55, 11};
    /* reals: 0, 0.05/6.06 = 0.008, -0.05/1.65 = -0.03, 0.05/0.33 = 0.15: all round to 0 steps */
    uint8_t want[4] = {100, 100, 100, 100};
    struct run r;
    const uint8_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 4; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

/* ---------------- MAXIMUM / MINIMUM ---------------- */

TFLC_TEST(maximum_minimum_f32_nan_follows_tflite) {
    /* TFLite: max = a > b ? a : b, min = a < b ? a : b, so a NaN on the left yields b and a
     * NaN on the right yields NaN. */
    float a[4] = {NAN, 1, -0.5f, 3}, b[4] = {1, NAN, 2, -3};
    struct op o = {OP(MAX, TFLC_DTYPE_FLOAT32, 1, ROW(4), 1, ROW(4), 1, ROW(4))};
    struct run r;
    const float *y = eval(&r, &o, a, b);
    if (y) {
        TFLC_EXPECT_NEAR(y[0], 1, 0);
        TFLC_EXPECT(isnan(y[1]));
        TFLC_EXPECT_NEAR(y[2], 2, 0);
        TFLC_EXPECT_NEAR(y[3], 3, 0);
    }
    done(&r);
    o.code = MIN;
    y = eval(&r, &o, a, b);
    if (y) {
        TFLC_EXPECT_NEAR(y[0], 1, 0);
        TFLC_EXPECT(isnan(y[1]));
        TFLC_EXPECT_NEAR(y[2], -0.5f, 0);
        TFLC_EXPECT_NEAR(y[3], -3, 0);
    }
    done(&r);
}

TFLC_TEST(maximum_minimum_integer_types_broadcast) {
    struct op o = {OP(MAX, TFLC_DTYPE_INT8, 2, ROW(2, 3), 1, ROW(3), 2, ROW(2, 3)), .version = 2, .quant = true,
                   .sa = 0.1f, .za = -128, .sb = 0.1f, .zb = -128, .sy = 0.1f, .zy = -128};
    int8_t a[6] = {-128, 0, 127, 5, -5, 100}, b[3] = {-1, 1, 126};
    int8_t wmax[6] = {-1, 1, 127, 5, 1, 126}, wmin[6] = {-128, 0, 126, -1, -5, 100};
    struct run r;
    const int8_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 6; i++) TFLC_EXPECT_EQ_INT(y[i], wmax[i]);
    done(&r);
    o.code = MIN;
    y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 6; i++) TFLC_EXPECT_EQ_INT(y[i], wmin[i]);
    done(&r);
    struct op o64 = {OP(MIN, TFLC_DTYPE_INT64, 1, ROW(2), 1, ROW(2), 1, ROW(2))};
    int64_t a64[2] = {INT64_MIN, 5000000000ll}, b64[2] = {0, 4999999999ll};
    y = eval(&r, &o64, a64, b64);
    if (y) {
        TFLC_EXPECT(((const int64_t *)y)[0] == INT64_MIN);
        TFLC_EXPECT(((const int64_t *)y)[1] == 4999999999ll);
    }
    done(&r);
    struct op o16 = {OP(MAX, TFLC_DTYPE_INT16, 1, ROW(2), 1, ROW(2), 1, ROW(2)), .version = 4};
    int16_t a16[2] = {-32768, 32767}, b16[2] = {-32767, 0};
    y = eval(&r, &o16, a16, b16);
    if (y) {
        TFLC_EXPECT_EQ_INT(((const int16_t *)y)[0], -32767);
        TFLC_EXPECT_EQ_INT(((const int16_t *)y)[1], 32767);
    }
    done(&r);
}

/* ---------------- SQUARED_DIFFERENCE ---------------- */

TFLC_TEST(squared_difference_f32_s32) {
    struct op o = {OP(SQD, TFLC_DTYPE_FLOAT32, 1, ROW(3), 0, ROW(0), 1, ROW(3))};
    float a[3] = {1, -2, 0.5f}, b[1] = {2};
    float want[3] = {1, 16, 2.25f};
    struct run r;
    const float *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_NEAR(y[i], want[i], 0);
    done(&r);
    struct op o32 = {OP(SQD, TFLC_DTYPE_INT32, 1, ROW(3), 1, ROW(3), 1, ROW(3))};
    int32_t a32[3] = {7, 65536, -46340}, b32[3] = {-3, 0, 0};
    int32_t w32[3] = {100, 0, 2147395600}; /* 2^32 wraps to 0 */
    y = eval(&r, &o32, a32, b32);
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_EQ_INT(((const int32_t *)y)[i], w32[i]);
    done(&r);
}

TFLC_TEST(squared_difference_s8_exact_steps) {
    struct op o = {OP(SQD, TFLC_DTYPE_INT8, 1, ROW(5), 1, ROW(5), 1, ROW(5)), .version = 2, .quant = true,
                   .sa = 0.5f, .za = 10, .sb = 0.25f, .zb = -20, .sy = 0.25f, .zy = -128};
    double ra[5] = {3, -1, 0, 2.5, 20}, rb[5] = {1, 0.5, 0, -1, -10};
    int8_t a[5], b[5], want[5];
    for (int i = 0; i < 5; i++) {
        a[i] = (int8_t)q_of(ra[i], 0.5f, 10);
        b[i] = (int8_t)q_of(rb[i], 0.25f, -20);
        double d = ra[i] - rb[i];
        int v = q_of(d * d, 0.25f, -128);
        want[i] = (int8_t)(v > 127 ? 127 : v);
    }
    TFLC_EXPECT_EQ_INT(want[4], 127); /* 900 / 0.25 saturates */
    struct run r;
    const int8_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 5; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

/* ---------------- ADD paths from binary_util.h ---------------- */

TFLC_TEST(add_s16_plain_v5_and_power_of_two) {
    struct op o = {OP(ADD, TFLC_DTYPE_INT16, 1, ROW(3), 1, ROW(3), 1, ROW(3)), .version = 5};
    int16_t a[3] = {30000, -30000, 5}, b[3] = {30000, -30000, -7};
    int16_t want[3] = {32767, -32768, -2};
    struct run r;
    const int16_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
    struct op p = {OP(ADD, TFLC_DTYPE_INT16, 1, ROW(3), 1, ROW(3), 1, ROW(3)), .pot = true, .quant = true,
                   .sa = 1.0f / 2048, .sb = 1.0f / 1024, .sy = 1.0f / 1024};
    int16_t pa[3] = {3, -3, 32767}, pb[3] = {10, 10, 32767};
    int16_t pwant[3] = {12, 8, 32767}; /* a >> 1 rounding half away from zero: 2, -2 */
    y = eval(&r, &p, pa, pb);
    if (y)
        for (int i = 0; i < 3; i++) TFLC_EXPECT_EQ_INT(y[i], pwant[i]);
    done(&r);
}

/* ---------------- shapes ---------------- */

TFLC_TEST(empty_tensor_broadcast_runs) {
    struct op o = {OP(SUB, TFLC_DTYPE_FLOAT32, 2, ROW(0, 3), 1, ROW(3), 2, ROW(0, 3))};
    float b[3] = {1, 2, 3};
    struct run r;
    build(&r, &o);
    TFLC_REQUIRE(r.st == TFLC_STATUS_OK);
    memcpy(tflc_interp_input(r.it, 1)->data, b, sizeof b);
    TFLC_EXPECT_EQ_INT(tflc_interp_invoke(r.it, &r.diag), TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(tflc_interp_output(r.it, 0)->bytes, 0);
    done(&r);
}

TFLC_TEST(eight_dim_broadcast) {
    struct op o = {OP(MUL, TFLC_DTYPE_INT32, 8, ROW(2, 1, 1, 1, 1, 1, 1, 2), 8, ROW(1, 1, 1, 1, 1, 1, 2, 1), 8,
                      ROW(2, 1, 1, 1, 1, 1, 2, 2))};
    int32_t a[4] = {1, 2, 3, 4}, b[2] = {10, 100};
    int32_t want[8] = {10, 20, 100, 200, 30, 40, 300, 400}; /* y[i,..,j,k] = a[i,k] * b[j] */
    struct run r;
    const int32_t *y = eval(&r, &o, a, b);
    if (y)
        for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(y[i], want[i]);
    done(&r);
}

/* ---------------- bad models ---------------- */

TFLC_TEST(bad_models_are_refused_with_the_op_named) {
    struct run r;
    /* shapes that do not broadcast */
    struct op o = {OP(SUB, TFLC_DTYPE_FLOAT32, 1, ROW(4), 1, ROW(3), 1, ROW(4))};
    build(&r, &o);
    TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "SUB v1");
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "do not broadcast");
    done(&r);
    /* three inputs */
    o = (struct op){OP(MUL, TFLC_DTYPE_FLOAT32, 1, ROW(4), 1, ROW(4), 1, ROW(4)), .nin = 3};
    build(&r, &o);
    TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "MUL v1");
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "has 3 inputs");
    done(&r);
    /* mixed input types */
    o = (struct op){.code = DIV, .ta = TFLC_DTYPE_FLOAT32, .tb = TFLC_DTYPE_INT32, .ty = TFLC_DTYPE_FLOAT32, .ra = 1,
                    .da = {4}, .rb = 1, .db = {4}, .ry = 1, .dy = {4}};
    build(&r, &o);
    TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "DIV v1");
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "FLOAT32,INT32");
    done(&r);
    /* types TFLite has no kernel for: int8 DIV, int16 SQUARED_DIFFERENCE, bool MAXIMUM */
    int32_t codes[3] = {DIV, SQD, MAX};
    enum tflc_dtype types[3] = {TFLC_DTYPE_INT8, TFLC_DTYPE_INT16, TFLC_DTYPE_BOOL};
    const char *names[3] = {"DIV v1", "SQUARED_DIFFERENCE v1", "MAXIMUM v1"};
    for (int i = 0; i < 3; i++) {
        o = (struct op){OP(codes[i], types[i], 1, ROW(4), 1, ROW(4), 1, ROW(4)), .quant = i < 2, .sa = 0.1f,
                        .sb = 0.1f, .sy = 0.1f};
        build(&r, &o);
        TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_UNSUPPORTED);
        TFLC_EXPECT_STR_CONTAINS(r.diag.msg, names[i]);
        TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "no kernel for these types");
        done(&r);
    }
    /* a fused activation tflc does not fuse (TANH) */
    o = (struct op){OP(SUB, TFLC_DTYPE_FLOAT32, 1, ROW(4), 1, ROW(4), 1, ROW(4)), .act = 4};
    build(&r, &o);
    TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "SUB v1");
    done(&r);
    /* quantized type without scales */
    o = (struct op){OP(MUL, TFLC_DTYPE_INT8, 1, ROW(4), 1, ROW(4), 1, ROW(4)), .version = 2};
    build(&r, &o);
    TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "needs scales");
    done(&r);
    /* a version newer than we implement */
    o = (struct op){OP(MUL, TFLC_DTYPE_FLOAT32, 1, ROW(4), 1, ROW(4), 1, ROW(4)), .version = 8};
    build(&r, &o);
    TFLC_EXPECT_EQ_INT(r.st, TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(r.diag.msg, "MUL v8");
    done(&r);
}

TFLC_TEST_MAIN()
