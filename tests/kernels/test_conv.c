/* Hand-checked CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV cases: tiny single-op models run
 * through the interpreter, expected values worked out by hand (or by an independent direct
 * formula in the test), plus the refusals: bad shapes, wrong input counts, unsupported types,
 * options and versions. Paths Google's WASM runtime cannot check (grouped hybrid conv, a
 * missing CONV_2D bias) are covered here. */
#include <stdbool.h>

#include "format/tflite_build.h"
#include "kernels/ref/conv_util.h"
#include "format/tflite_schema.h"
#include "test.h"
#include "tflc/runtime.h"

/* These hand-checked cases pin TFLite's reference arithmetic (TFLC_ARITH_REFERENCE); what
 * Google's runtime computes instead (the default arithmetic) is checked in test_arith.c. */
static const struct tflc_interp_options ref_arith = {.num_threads = 1, .arithmetic = TFLC_ARITH_REFERENCE};

/* ---- a tiny single-op model builder ---- */

struct model {
    struct tflc_tflb *b;
    int32_t in[8], nin;      /* op inputs (-1 = absent) */
    int32_t gin[8], ngin;    /* graph inputs, in order */
    int32_t out;
};

static struct model model_new(void) {
    struct model m;
    memset(&m, 0, sizeof m);
    m.b = tflc_tflb_create();
    return m;
}

static struct tflc_tflb_quant q1(float *s, int64_t *z) { return (struct tflc_tflb_quant){1, s, z, 0}; }

/* Graph input (data fed at run time). */
static int add_input(struct model *m, const char *name, enum tflc_dtype t, int rank, const int32_t *dims,
                     const struct tflc_tflb_quant *q) {
    int i = tflc_tflb_tensor(m->b, name, t, rank, dims, 0, q);
    m->gin[m->ngin++] = i;
    m->in[m->nin++] = i;
    return i;
}

/* Constant op input. */
static int add_const(struct model *m, const char *name, enum tflc_dtype t, int rank, const int32_t *dims,
                     const void *data, const struct tflc_tflb_quant *q) {
    size_t n = 1;
    for (int k = 0; k < rank; k++) n *= (size_t)dims[k];
    int buf = tflc_tflb_buffer(m->b, data, n * tflc_dtype_size(t));
    int i = tflc_tflb_tensor(m->b, name, t, rank, dims, buf, q);
    m->in[m->nin++] = i;
    return i;
}

static void add_output(struct model *m, enum tflc_dtype t, int rank, const int32_t *dims, const struct tflc_tflb_quant *q) {
    m->out = tflc_tflb_tensor(m->b, "y", t, rank, dims, 0, q);
}

static uint32_t conv_opts(struct model *m, int pad, int sh, int sw, int dh, int dw, int act) {
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_CONV2D_OPTIONS_PADDING, (int8_t)pad, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_W, sw, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_H, sh, -1);
    tflc_fbb_add_i8(f, TFLC_TFL_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_DILATION_W_FACTOR, dw, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_DILATION_H_FACTOR, dh, -1);
    return tflc_fbb_table_end(f);
}

static uint32_t dw_opts(struct model *m, int pad, int sh, int sw, int mult, int act) {
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_PADDING, (int8_t)pad, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_W, sw, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_H, sh, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_DEPTH_MULTIPLIER, mult, -1);
    tflc_fbb_add_i8(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, -1);
    return tflc_fbb_table_end(f);
}

static uint32_t tconv_opts(struct model *m, int pad, int sh, int sw, int act) {
    struct tflc_fbb *f = tflc_tflb_fbb(m->b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_PADDING, (int8_t)pad, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_STRIDE_W, sw, -1);
    tflc_fbb_add_i32(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_STRIDE_H, sh, -1);
    tflc_fbb_add_i8(f, TFLC_TFL_TRANSPOSE_CONV_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, -1);
    return tflc_fbb_table_end(f);
}

/* Builds the model with one op, runs it on `inputs` (one per graph input, in order) and copies
 * the output to `out` (out_bytes). Returns init's or invoke's status; diag gets the message.
 * Destroys the builder. */
static enum tflc_status run(struct model *m, int32_t builtin, int version, uint8_t opt_type, uint32_t opt,
                            const void *const *inputs, void *out, size_t out_bytes, struct tflc_diag *diag) {
    tflc_tflb_op(m->b, builtin, version, NULL, m->in, m->nin, &m->out, 1, opt_type, opt);
    tflc_tflb_graph_io(m->b, m->gin, m->ngin, &m->out, 1);
    const uint8_t *data;
    size_t size, need = 0;
    memset(diag, 0, sizeof *diag);
    enum tflc_status st = tflc_tflb_finish(m->b, "test_conv", &data, &size, diag);
    void *arena = NULL;
    if (!st) st = tflc_interp_arena_size_hosted(data, size, &ref_arith, &need, diag);
    if (!st && posix_memalign(&arena, 64, need ? need : 64) != 0) st = TFLC_STATUS_OUT_OF_MEMORY;
    struct tflc_interp *it = NULL;
    if (!st) st = tflc_interp_init(&it, data, size, arena, need, &ref_arith, diag);
    if (!st) {
        for (int i = 0; i < m->ngin; i++) {
            struct tflc_tensor *t = tflc_interp_input(it, i);
            memcpy(t->data, inputs[i], t->bytes);
        }
        st = tflc_interp_invoke(it, diag);
    }
    if (!st) {
        const struct tflc_tensor *y = tflc_interp_output(it, 0);
        if (out_bytes == 0) {
            /* caller only wants the status */
        } else if (y->bytes != out_bytes) {
            fprintf(stderr, "output has %zu bytes, expected %zu\n", y->bytes, out_bytes);
            st = TFLC_STATUS_INTERNAL;
        } else {
            memcpy(out, y->data, out_bytes);
        }
    }
    tflc_interp_free(it);
    free(arena);
    tflc_tflb_destroy(m->b);
    return st;
}

#define S TFLC_TFL_PADDING_SAME
#define V TFLC_TFL_PADDING_VALID
#define OPT_CONV TFLC_TFL_BUILTIN_OPTIONS_CONV2D_OPTIONS
#define OPT_DW TFLC_TFL_BUILTIN_OPTIONS_DEPTHWISE_CONV2D_OPTIONS
#define OPT_TC TFLC_TFL_BUILTIN_OPTIONS_TRANSPOSE_CONV_OPTIONS
#define OP_CONV TFLC_TFL_BUILTIN_OPERATOR_CONV_2D
#define OP_DW TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D
#define OP_TC TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE_CONV

static const float arange9[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};

/* ---- CONV_2D float ---- */

TFLC_TEST(conv_f32_valid_2x2_ones) {
    /* x = [[1 2 3] [4 5 6] [7 8 9]], w = 2x2 ones, bias 0.5: windows sum 1+2+4+5 = 12, 16, 24, 28. */
    struct model m = model_new();
    const float w[4] = {1, 1, 1, 1}, b[1] = {0.5f};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 1}, NULL);
    add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, w, NULL);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){1}, b, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
    float y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 1, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, 0), (const void *[]){arange9}, y, sizeof y, &d) == 0);
    const float e[4] = {12.5f, 16.5f, 24.5f, 28.5f};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], e[i], 0);
}

TFLC_TEST(conv_f32_same_stride2_pads_after) {
    /* 4x4 input, 3x3 window, stride 2, SAME: out 2x2, total padding (2-1)*2+3-4 = 1, all of it
     * after (TFLite's offset), so output (0,0) covers rows/cols 0..2 and (1,1) rows/cols 2..4
     * where row/col 4 is padding. x[r][c] = 4r + c + 1, w = ones. */
    struct model m = model_new();
    float x[16], w[9];
    for (int i = 0; i < 16; i++) x[i] = (float)(i + 1);
    for (int i = 0; i < 9; i++) w[i] = 1;
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 4, 4, 1}, NULL);
    add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 1}, w, NULL);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){1}, (const float[]){0}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
    float y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 1, OPT_CONV, conv_opts(&m, S, 2, 2, 1, 1, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    /* (0,0): rows 0-2, cols 0-2: 1+2+3+5+6+7+9+10+11 = 54; (0,1): rows 0-2, cols 2-3:
     * 3+4+7+8+11+12 = 45; (1,0): rows 2-3, cols 0-2: 9+10+11+13+14+15 = 72; (1,1): 11+12+15+16 = 54. */
    const float e[4] = {54, 45, 72, 54};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], e[i], 0);
}

TFLC_TEST(conv_f32_kernel_larger_than_input_same) {
    /* 2x2 input, 3x3 window, SAME, stride 1: padding 1 before; each output sums the whole
     * input as seen through the filter. w = arange 1..9 (row-major), x = [[1 2] [3 4]].
     * y(0,0) = w(1,1)x00 + w(1,2)x01 + w(2,1)x10 + w(2,2)x11 = 5 + 12 + 24 + 36 = 77. */
    struct model m = model_new();
    const float x[4] = {1, 2, 3, 4};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
    add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 1}, arange9, NULL);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){1}, (const float[]){0}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
    float y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 1, OPT_CONV, conv_opts(&m, S, 1, 1, 1, 1, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    /* y(0,1) = w(1,0)x00 + w(1,1)x01 + w(2,0)x10 + w(2,1)x11 = 4 + 10 + 21 + 32 = 67
     * y(1,0) = w(0,1)x00 + w(0,2)x01 + w(1,1)x10 + w(1,2)x11 = 2 + 6 + 15 + 24 = 47
     * y(1,1) = w(0,0)x00 + w(0,1)x01 + w(1,0)x10 + w(1,1)x11 = 1 + 4 + 12 + 20 = 37 */
    const float e[4] = {77, 67, 47, 37};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], e[i], 0);
}

TFLC_TEST(conv_f32_dilation_and_relu6) {
    /* 5x5 arange input (1..25), 2x2 window of ones dilated by 2, VALID: out 3x3,
     * y(r,c) = x(r,c) + x(r,c+2) + x(r+2,c) + x(r+2,c+2) = 4*x(r,c) + 24, bias -40, RELU6. */
    struct model m = model_new();
    float x[25];
    for (int i = 0; i < 25; i++) x[i] = (float)(i + 1);
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 5, 5, 1}, NULL);
    add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, (const float[]){1, 1, 1, 1}, NULL);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){1}, (const float[]){-40}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 1}, NULL);
    float y[9];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 2, OPT_CONV, conv_opts(&m, V, 1, 1, 2, 2, TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6),
                     (const void *[]){x}, y, sizeof y, &d) == 0);
    for (int r = 0; r < 3; r++)
        for (int cc = 0; cc < 3; cc++) {
            float v = 4 * x[r * 5 + cc] + 24 - 40;
            TFLC_EXPECT_NEAR(y[r * 3 + cc], v < 0 ? 0 : v > 6 ? 6 : v, 0);
        }
}

TFLC_TEST(conv_f32_grouped_and_no_bias) {
    /* 4 input channels in 2 groups of 2; 2 output channels (one per group); 1x1 window; no
     * bias (TFLite requires one, tflc accepts its absence). y0 = x0 + 2 x1, y1 = 3 x2 - x3. */
    struct model m = model_new();
    const float x[8] = {1, 2, 3, 4, -1, 5, 0.5f, 2};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 4}, NULL);
    add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){2, 1, 1, 2}, (const float[]){1, 2, 3, -1}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 2}, NULL);
    float y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 6, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    const float e[4] = {5, 5, 9, -0.5f};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], e[i], 0);
}

TFLC_TEST(conv_f32_filter_is_graph_input) {
    /* Non-constant filter and bias (as after a DEQUANTIZE of fp16 weights): read at run time. */
    struct model m = model_new();
    const float w[4] = {0.5f, -1, 2, 0}, b[1] = {1};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 1}, NULL);
    add_input(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
    add_input(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){1}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
    float y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 1, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, 0), (const void *[]){arange9, w, b}, y,
                     sizeof y, &d) == 0);
    /* y(r,c) = 0.5 x(r,c) - x(r,c+1) + 2 x(r+1,c) + 1 */
    for (int r = 0; r < 2; r++)
        for (int cc = 0; cc < 2; cc++)
            TFLC_EXPECT_NEAR(y[r * 2 + cc], 0.5f * arange9[r * 3 + cc] - arange9[r * 3 + cc + 1] + 2 * arange9[r * 3 + 3 + cc] + 1,
                             1e-6);
}

/* ---- CONV_2D quantized ---- */

TFLC_TEST(conv_s8_rounding_and_activation) {
    /* 1x1 conv, one input channel, 2 output channels with per-channel scales chosen so the
     * multipliers are exact: s_x = 0.5, s_w = {0.25, 0.5}, s_y = 0.25 -> m = {0.5, 1}.
     * x - zp_x = x + 1; channel 0: acc = 3 (x+1) + bias 0, y = round(acc / 2) + zp_y (the Q31 multiply's ties go up);
     * channel 1: acc = -(x+1) + 4, y = acc + zp_y. zp_y = -3, RELU clamps at zp_y. */
    struct model m = model_new();
    float sx = 0.5f, sy = 0.25f, sw[2] = {0.25f, 0.5f}, sb[2] = {0.125f, 0.25f};
    int64_t zx = -1, zy = -3, zw[2] = {0, 0}, zb[2] = {0, 0};
    struct tflc_tflb_quant qx = q1(&sx, &zx), qy = q1(&sy, &zy), qw = {2, sw, zw, 0}, qb = {2, sb, zb, 0};
    const int8_t x[4] = {0, 1, -2, 40};      /* x + 1 = 1, 2, -1, 41 */
    add_input(&m, "x", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 2, 2, 1}, &qx);
    add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){2, 1, 1, 1}, (const int8_t[]){3, -1}, &qw);
    add_const(&m, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){2}, (const int32_t[]){0, 4}, &qb);
    add_output(&m, TFLC_DTYPE_INT8, 4, (int32_t[]){1, 2, 2, 2}, &qy);
    int8_t y[8];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 3, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU),
                     (const void *[]){x}, y, sizeof y, &d) == 0);
    /* ch0: acc 3, 6, -3, 123 -> /2, ties toward +inf: 2, 3, -1, 62 -> -1, 0, -4, 59 -> relu (>= -3): -1, 0, -3, 59
     * ch1: acc 3, 2, 5, -37 -> -> 0, -1, 2, -40 -> relu: 0, -1, 2, -3 */
    const int8_t e[8] = {-1, 0, 0, -1, -3, 2, 59, -3};
    for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(y[i], e[i]);
}

TFLC_TEST(conv_s8_saturates) {
    /* Large accumulators clamp to [-128, 127]: s_x = s_w = 1, s_y = 1, 2x2 window of 127s over 127s. */
    struct model m = model_new();
    float s1 = 1.0f;
    int64_t z0 = 0;
    struct tflc_tflb_quant q = q1(&s1, &z0);
    const int8_t x[4] = {127, 127, -128, -128};
    add_input(&m, "x", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 4}, &q);
    add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){2, 1, 1, 4}, (const int8_t[]){127, 127, 0, 0, 0, 0, 1, 0}, &q);
    add_const(&m, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){2}, (const int32_t[]){0, 0}, &q);
    add_output(&m, TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 2}, &q);
    int8_t y[2];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 3, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    TFLC_EXPECT_EQ_INT(y[0], 127);
    TFLC_EXPECT_EQ_INT(y[1], -128);
}

TFLC_TEST(conv_u8_filter_zero_point) {
    /* uint8: (x - 128) * (w - 100) with s_x = 0.5, s_w = 0.5, s_y = 1 (m = 0.25), zp_y = 10.
     * x = {130, 126}, w = {104, 98} -> 2*4 + (-2)(-2) = 12, + bias 8 = 20 -> 20 / 4 = 5 -> 15. */
    struct model m = model_new();
    float sx = 0.5f, sw = 0.5f, sy = 1.0f, sb = 0.25f;
    int64_t zx = 128, zw = 100, zy = 10, zb = 0;
    struct tflc_tflb_quant qx = q1(&sx, &zx), qw = q1(&sw, &zw), qy = q1(&sy, &zy), qb = q1(&sb, &zb);
    add_input(&m, "x", TFLC_DTYPE_UINT8, 4, (int32_t[]){1, 1, 1, 2}, &qx);
    add_const(&m, "w", TFLC_DTYPE_UINT8, 4, (int32_t[]){1, 1, 1, 2}, (const uint8_t[]){104, 98}, &qw);
    add_const(&m, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){1}, (const int32_t[]){8}, &qb);
    add_output(&m, TFLC_DTYPE_UINT8, 4, (int32_t[]){1, 1, 1, 1}, &qy);
    uint8_t y[1];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 1, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, 0), (const void *[]){(const uint8_t[]){130, 126}},
                     y, sizeof y, &d) == 0);
    TFLC_EXPECT_EQ_INT(y[0], 15);
}

TFLC_TEST(conv_s16_int64_and_int32_bias) {
    /* int16 x int8, zero points 0, s_x = 1/64, s_w = 1, s_y = 1/16: m = 0.25 (Q31 2^30, shift -1).
     * acc = 1000 * 3 + bias 1001 = 4001 = 1000.25 / 0.25.
     * int64 bias, 64-bit MultiplyByQuantizedMultiplier: (4001 * 0x4000 + 2^15) >> 16 = 1000.
     * int32 bias (v8), 32-bit double rounding: SaturatingRoundingDoublingHighMul(4001, 2^30)
     * = round(2000.5) = 2001, then RoundingDivideByPOT(2001, 1) = round(1000.5) = 1001. */
    for (int b32 = 0; b32 < 2; b32++) {
        struct model m = model_new();
        float sx = 1.0f / 64, sw = 1.0f, sy = 1.0f / 16, sb = 1.0f / 64;
        int64_t z = 0;
        struct tflc_tflb_quant qx = q1(&sx, &z), qw = q1(&sw, &z), qy = q1(&sy, &z), qb = q1(&sb, &z);
        add_input(&m, "x", TFLC_DTYPE_INT16, 4, (int32_t[]){1, 1, 1, 2}, &qx);
        add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 2}, (const int8_t[]){3, -2}, &qw);
        if (b32) add_const(&m, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){1}, (const int32_t[]){1001}, &qb);
        else add_const(&m, "b", TFLC_DTYPE_INT64, 1, (int32_t[]){1}, (const int64_t[]){1001}, &qb);
        add_output(&m, TFLC_DTYPE_INT16, 4, (int32_t[]){1, 1, 1, 1}, &qy);
        int16_t y[1];
        struct tflc_diag d;
        const int16_t x[2] = {1000, 0};
        TFLC_REQUIRE(run(&m, OP_CONV, b32 ? 8 : 4, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, 0), (const void *[]){x}, y,
                         sizeof y, &d) == 0);
        TFLC_EXPECT_EQ_INT(y[0], b32 ? 1001 : 1000);
    }
}

TFLC_TEST(conv_s16_large_accumulator_needs_int64) {
    /* 32 products of 32767 * 127 = 1.33e8 exceed int32 with the bias 2^31 - 1 - 1000: the int64
     * bias path keeps the exact sum. s_x = s_w = 1, s_y = 2^20: y = round(acc / 2^20). */
    struct model m = model_new();
    float s1 = 1.0f, sy = 1048576.0f;
    int64_t z = 0;
    struct tflc_tflb_quant q = q1(&s1, &z), qy = q1(&sy, &z);
    int16_t x[32];
    int8_t w[32];
    for (int i = 0; i < 32; i++) { x[i] = 32767; w[i] = 127; }
    add_input(&m, "x", TFLC_DTYPE_INT16, 4, (int32_t[]){1, 1, 1, 32}, &q);
    add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 32}, w, &q);
    add_const(&m, "b", TFLC_DTYPE_INT64, 1, (int32_t[]){1}, (const int64_t[]){2147483647LL - 1000}, &q);
    add_output(&m, TFLC_DTYPE_INT16, 4, (int32_t[]){1, 1, 1, 1}, &qy);
    int16_t y[1];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 4, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    double acc = 32.0 * 32767 * 127 + 2147483647.0 - 1000;
    TFLC_EXPECT_EQ_INT(y[0], (int)floor(acc / 1048576.0 + 0.5));
}

/* ---- hybrid ---- */

TFLC_TEST(conv_hybrid_per_tensor_symmetric) {
    /* x = {1, -0.5, 0.25, 0}: symmetric scale 1/127, q = round(x * 127) = {127, -64, 32, 0}
     * (-63.5 rounds away from zero). w = 2 (s_w = 0.1), bias 0.25: y = 2q * (1/127 * 0.1) + 0.25. */
    struct model m = model_new();
    float sw = 0.1f;
    int64_t z = 0;
    struct tflc_tflb_quant qw = q1(&sw, &z);
    const float x[4] = {1, -0.5f, 0.25f, 0};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
    add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 1}, (const int8_t[]){2}, &qw);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){1}, (const float[]){0.25f}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
    float y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 2, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    const int q[4] = {127, -64, 32, 0};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], 2.0 * q[i] * (0.1 / 127.0) + 0.25, 1e-6);
}

TFLC_TEST(conv_hybrid_grouped_per_channel_asymmetric) {
    /* Asymmetric input quantization: x in [0, 2.55] -> scale 0.01, zp -128 (from the min:
     * error 128 + 0 < 127 + 255), q = round(-128 + x / 0.01). Two groups of one channel,
     * w = {1, -1} with distinct scales {0.5, 0.25}: y_o = (q - zp) * w_o * s_w[o] * 0.01. */
    struct model m = model_new();
    float sw[2] = {0.5f, 0.25f};
    int64_t zw[2] = {0, 0};
    struct tflc_tflb_quant qw = {2, sw, zw, 0};
    const float x[4] = {0.0f, 2.55f, 1.0f, 0.5f};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 2}, NULL);
    add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){2, 1, 1, 1}, (const int8_t[]){1, -1}, &qw);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){2}, (const float[]){0, 0}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 2}, NULL);
    float y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 6, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    /* q - zp = x / 0.01 = {0, 255, 100, 50} */
    const double e[4] = {0 * 0.5 * 0.01, -255 * 0.25 * 0.01, 100 * 0.5 * 0.01, -50 * 0.25 * 0.01};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], e[i], 1e-6);
}

TFLC_TEST(conv_hybrid_grouped_per_tensor_is_asymmetric) {
    /* Grouped hybrid convs take TFLite's per-channel (asymmetric) path even with one filter
     * scale: x steps of exactly 0.01 survive (symmetric quantization, scale 2.55/127, would
     * turn 1.0 into 50 * 2.55/127 = 1.0039). */
    struct model m = model_new();
    float sw = 0.5f;
    int64_t z = 0;
    struct tflc_tflb_quant qw = q1(&sw, &z);
    const float x[4] = {0.0f, 2.55f, 1.0f, 0.5f};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 2}, NULL);
    add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){2, 1, 1, 1}, (const int8_t[]){2, -1}, &qw);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){2}, (const float[]){0, 0}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 2}, NULL);
    float y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 6, OPT_CONV, conv_opts(&m, V, 1, 1, 1, 1, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    const double e[4] = {0, -2.55 * 0.5, 2 * 1.0 * 0.5, -0.5 * 0.5};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], e[i], 1e-6);
}

/* ---- DEPTHWISE_CONV_2D ---- */

TFLC_TEST(dwconv_f32_multiplier2) {
    /* 2 input channels, multiplier 2 -> 4 outputs; output o reads input channel o / 2.
     * 1x2 input, 1x2 window VALID: y_o = w0[o] x(0, o/2) + w1[o] x(1, o/2) + b[o]. */
    struct model m = model_new();
    const float x[4] = {1, 10, 2, 20};      /* pixel 0: (1, 10), pixel 1: (2, 20) */
    const float w[8] = {1, 2, 3, 4, -1, 0.5f, 1, 0};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 2}, NULL);
    add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 4}, w, NULL);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){4}, (const float[]){0, 1, 0, -1}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 1, 4}, NULL);
    float y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_DW, 1, OPT_DW, dw_opts(&m, V, 1, 1, 2, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    const float e[4] = {1 * 1 - 1 * 2, 2 * 1 + 0.5f * 2 + 1, 3 * 10 + 1 * 20, 4 * 10 + 0 - 1};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], e[i], 0);
}

TFLC_TEST(dwconv_s8_per_channel) {
    /* s_x = 1, zp_x = 5; s_w = {1, 2}, s_y = 2 -> m = {0.5, 1}; zp_y = 0. 1x1 window.
     * ch0: (x0 - 5) * 3 / 2 rounded (ties up); ch1: (x1 - 5) * -1. x = (8, 1): 9/2 -> 5, 4. */
    struct model m = model_new();
    float sx = 1, sy = 2, sw[2] = {1, 2}, sb[2] = {1, 2};
    int64_t zx = 5, zy = 0, zw[2] = {0, 0}, zb[2] = {0, 0};
    struct tflc_tflb_quant qx = q1(&sx, &zx), qy = q1(&sy, &zy), qw = {2, sw, zw, 3}, qb = {2, sb, zb, 0};
    add_input(&m, "x", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 2}, &qx);
    add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 2}, (const int8_t[]){3, -1}, &qw);
    add_const(&m, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){2}, (const int32_t[]){0, 0}, &qb);
    add_output(&m, TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 2}, &qy);
    int8_t y[2];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_DW, 3, OPT_DW, dw_opts(&m, S, 1, 1, 1, 0), (const void *[]){(const int8_t[]){8, 1}}, y,
                     sizeof y, &d) == 0);
    TFLC_EXPECT_EQ_INT(y[0], 5);
    TFLC_EXPECT_EQ_INT(y[1], 4);
}

TFLC_TEST(dwconv_hybrid_per_channel) {
    /* Same asymmetric quantization as above (scale 0.01, zp -128) on 2 channels, M = 1. */
    struct model m = model_new();
    float sw[2] = {0.5f, 0.25f};
    int64_t zw[2] = {0, 0};
    struct tflc_tflb_quant qw = {2, sw, zw, 3};
    const float x[4] = {0.0f, 2.55f, 1.0f, 0.5f};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 2}, NULL);
    add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 2}, (const int8_t[]){2, -1}, &qw);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){2}, (const float[]){1, 0}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 2}, NULL);
    float y[4];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_DW, 6, OPT_DW, dw_opts(&m, V, 1, 1, 1, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    const double e[4] = {1 + 0, -255 * 0.25 * 0.01, 1 + 100 * 2 * 0.5 * 0.01, -50 * 0.25 * 0.01};
    for (int i = 0; i < 4; i++) TFLC_EXPECT_NEAR(y[i], e[i], 1e-6);
}

/* ---- TRANSPOSE_CONV ---- */

/* Direct scatter of a 1-channel transpose conv (independent of the kernel's gather). */
static void tconv_direct(const float *x, int ih, int iw, const float *w, int k, int s, int pad, float *y, int oh, int ow) {
    for (int i = 0; i < oh * ow; i++) y[i] = 0;
    for (int iy = 0; iy < ih; iy++)
        for (int ix = 0; ix < iw; ix++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    int oy = iy * s - pad + ky, ox = ix * s - pad + kx;
                    if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) y[oy * ow + ox] += x[iy * iw + ix] * w[ky * k + kx];
                }
}

TFLC_TEST(tconv_f32_same_and_valid) {
    /* 2x2 input, 3x3 arange filter, stride 2. SAME: out 4x4, padding of a conv from 4 to
     * ceil(4/2) = 2: (2-1)*2 + 3 - 4 = 1 -> 0 before. VALID: out (2-1)*2 + 3 = 5, no padding. */
    const float x[4] = {1, 2, 3, 4};
    for (int valid = 0; valid < 2; valid++) {
        int o = valid ? 5 : 4;
        struct model m = model_new();
        const int32_t os[4] = {1, o, o, 1};
        add_const(&m, "oshape", TFLC_DTYPE_INT32, 1, (int32_t[]){4}, os, NULL);
        add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 1}, arange9, NULL);
        add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
        add_output(&m, TFLC_DTYPE_FLOAT32, 4, os, NULL);
        float y[25], e[25];
        struct tflc_diag d;
        TFLC_REQUIRE(run(&m, OP_TC, 1, OPT_TC, tconv_opts(&m, valid ? V : S, 2, 2, 0), (const void *[]){x}, y,
                         sizeof(float) * (size_t)(o * o), &d) == 0);
        tconv_direct(x, 2, 2, arange9, 3, 2, 0, e, o, o);
        for (int i = 0; i < o * o; i++) TFLC_EXPECT_NEAR(y[i], e[i], 0);
    }
    /* Spot check by hand: SAME y(1,1) gets only x(0,0) * w(1,1) = 5; y(2,2) = x00 w22 + x01 w20
     * + x10 w02 + x11 w00 = 9 + 14 + 9 + 4 = 36. */
    float e[16];
    tconv_direct(x, 2, 2, arange9, 3, 2, 0, e, 4, 4);
    TFLC_EXPECT_NEAR(e[5], 5, 0);
    TFLC_EXPECT_NEAR(e[10], 36, 0);
}

TFLC_TEST(tconv_f32_same_pads_before) {
    /* 3x3 input, 4x4 filter of ones, stride 1, SAME: out 3x3, padding (3-1)+4-3 = 3 -> 1
     * before: y(oy,ox) sums x(iy,ix) with iy in [oy-2, oy+1]. Bias 1, RELU_N1_TO_1 clamps. */
    struct model m = model_new();
    float w[16];
    for (int i = 0; i < 16; i++) w[i] = 1;
    const int32_t os[4] = {1, 3, 3, 1};
    add_const(&m, "oshape", TFLC_DTYPE_INT32, 1, (int32_t[]){4}, os, NULL);
    add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 4, 4, 1}, w, NULL);
    const float x[9] = {0.1f, -0.2f, 0.05f, 0.3f, -0.4f, 0.02f, 0.1f, 0.1f, -0.1f};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 1}, NULL);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){1}, (const float[]){0.5f}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, os, NULL);
    float y[9];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_TC, 4, OPT_TC, tconv_opts(&m, S, 1, 1, TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1),
                     (const void *[]){x}, y, sizeof y, &d) == 0);
    float e[9];
    tconv_direct(x, 3, 3, w, 4, 1, 1, e, 3, 3);
    for (int i = 0; i < 9; i++) {
        float v = e[i] + 0.5f;
        TFLC_EXPECT_NEAR(y[i], v > 1 ? 1 : v < -1 ? -1 : v, 1e-6);
    }
}

TFLC_TEST(tconv_s8_per_channel) {
    /* 1x1 input (x - zp = 4), 2x2 filter, stride 2 VALID -> 2x2 output, 2 channels with
     * m = {0.5, 1}: y(k, o) = round(acc * m[o]) + zp_y (2), acc = 4 * w[o][k] + bias[o]. */
    struct model m = model_new();
    float sx = 1, sy = 1, sw[2] = {0.5f, 1}, sb[2] = {0.5f, 1};
    int64_t zx = -4, zy = 2, zw[2] = {0, 0}, zb[2] = {0, 0};
    struct tflc_tflb_quant qx = q1(&sx, &zx), qy = q1(&sy, &zy), qw = {2, sw, zw, 0}, qb = {2, sb, zb, 0};
    const int32_t os[4] = {1, 2, 2, 2};
    add_const(&m, "oshape", TFLC_DTYPE_INT32, 1, (int32_t[]){4}, os, NULL);
    add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){2, 2, 2, 1}, (const int8_t[]){1, -1, 3, -3, 10, 0, -7, 1}, &qw);
    add_input(&m, "x", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 1}, &qx);
    add_const(&m, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){2}, (const int32_t[]){1, 0}, &qb);
    add_output(&m, TFLC_DTYPE_INT8, 4, os, &qy);
    int8_t y[8];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_TC, 3, OPT_TC, tconv_opts(&m, V, 2, 2, 0), (const void *[]){(const int8_t[]){0}}, y, sizeof y,
                     &d) == 0);
    /* ch0: w = {1, -1, 3, -3}, acc = 4w + 1 = 5, -3, 13, -11; m = 0.5 is Q31 2^30 with shift 0,
     * so only SaturatingRoundingDoublingHighMul rounds, and its ties go up (toward +inf):
     * 2.5 -> 3, -1.5 -> -1, 6.5 -> 7, -5.5 -> -5; +2: 5, 1, 9, -3.
     * ch1: w = {10, 0, -7, 1}, m = 1: acc = 40, 0, -28, 4; +2: 42, 2, -26, 6.
     * Input 1x1, stride 2: tap (ky, kx) lands on output (ky, kx); layout [oy][ox][ch]. */
    const int8_t e[8] = {5, 42, 1, 2, 9, -26, -3, 6};
    for (int i = 0; i < 8; i++) TFLC_EXPECT_EQ_INT(y[i], e[i]);
}

/* ---- bad input ---- */

static enum tflc_status conv_model_status(int cin, int wdepth, enum tflc_dtype xt, enum tflc_dtype wt, int nin, int pad,
                                          int stride, int act, int version, struct tflc_diag *d) {
    struct model m = model_new();
    float s = 0.5f;
    int64_t z = 0;
    struct tflc_tflb_quant q = q1(&s, &z);
    const struct tflc_tflb_quant *qq = xt == TFLC_DTYPE_FLOAT32 ? NULL : &q;
    const struct tflc_tflb_quant *qw = wt == TFLC_DTYPE_FLOAT32 ? NULL : &q;
    add_input(&m, "x", xt, 4, (int32_t[]){1, 3, 3, cin}, qq);
    if (nin >= 2) {
        static const uint8_t zeros[2 * 5 * 5 * 8 * 4];
        add_const(&m, "w", wt, 4, (int32_t[]){2, 5, 5, wdepth}, zeros, qw);
    }
    if (nin >= 3) add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){2}, (const float[]){0, 0}, NULL);
    add_output(&m, xt, 4, (int32_t[]){1, 3, 3, 2}, qq);
    static const uint8_t xin[3 * 3 * 8 * 4];
    uint8_t y[1024];
    (void)y;
    return run(&m, OP_CONV, version, OPT_CONV, conv_opts(&m, pad, stride, stride, 1, 1, act), (const void *[]){xin}, y, 0, d);
}

TFLC_TEST(conv_bad_inputs) {
    struct tflc_diag d;
    const int F = TFLC_DTYPE_FLOAT32;
    /* input channels not a multiple of the filter depth */
    TFLC_EXPECT_EQ_INT(conv_model_status(4, 3, F, F, 3, S, 1, 0, 1, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "CONV_2D");
    TFLC_EXPECT_STR_CONTAINS(d.msg, "not a multiple");
    /* one input only */
    TFLC_EXPECT_EQ_INT(conv_model_status(2, 2, F, F, 1, S, 1, 0, 1, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "has 1 inputs, expected 2..3");
    /* int8 input with a float filter */
    TFLC_EXPECT_EQ_INT(conv_model_status(2, 2, TFLC_DTYPE_INT8, F, 3, S, 1, 0, 3, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "CONV_2D v3");
    TFLC_EXPECT_STR_CONTAINS(d.msg, "INT8,FLOAT32,FLOAT32");
    /* VALID with a 5x5 window on a 3x3 input: empty output */
    TFLC_EXPECT_EQ_INT(conv_model_status(2, 2, F, F, 3, V, 1, 0, 1, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "empty");
    /* stride 0 */
    TFLC_EXPECT_EQ_INT(conv_model_status(2, 2, F, F, 3, S, 0, 0, 1, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "stride");
    /* fused TANH */
    TFLC_EXPECT_EQ_INT(conv_model_status(2, 2, F, F, 3, S, 1, TFLC_TFL_ACTIVATION_FUNCTION_TYPE_TANH, 1, &d),
                       TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "fused activation 4");
    /* a version newer than tflc implements */
    TFLC_EXPECT_EQ_INT(conv_model_status(2, 2, F, F, 3, S, 1, 0, 9, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "CONV_2D v9");
    /* the same model at a supported version runs */
    TFLC_EXPECT_EQ_INT(conv_model_status(2, 2, F, F, 3, S, 1, 0, 1, &d), TFLC_STATUS_OK);
}

TFLC_TEST(conv_bad_quant_filter) {
    /* int8 filter with a non-zero zero point; per-channel scales along the wrong axis. */
    for (int which = 0; which < 2; which++) {
        struct model m = model_new();
        float s = 0.5f, sw[2] = {0.5f, 0.25f};
        int64_t z = 0, zw1 = 3, zw[2] = {0, 0};
        struct tflc_tflb_quant q = q1(&s, &z), qw = which ? (struct tflc_tflb_quant){2, sw, zw, 3} : q1(&s, &zw1);
        add_input(&m, "x", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 2, 2, 2}, &q);
        add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){2, 1, 1, 2}, (const int8_t[]){1, 2, 3, 4}, &qw);
        add_output(&m, TFLC_DTYPE_INT8, 4, (int32_t[]){1, 2, 2, 2}, &q);
        int8_t y[8];
        struct tflc_diag d;
        TFLC_EXPECT_EQ_INT(run(&m, OP_CONV, 3, OPT_CONV, conv_opts(&m, S, 1, 1, 1, 1, 0),
                               (const void *[]){(const int8_t[8]){0}}, y, sizeof y, &d),
                           TFLC_STATUS_UNSUPPORTED);
        TFLC_EXPECT_STR_CONTAINS(d.msg, which ? "along axis 3" : "zero point 3");
    }
}

TFLC_TEST(dwconv_bad_inputs) {
    /* filter dimension 0 must be 1; channels must be a multiple of the input's. */
    for (int which = 0; which < 3; which++) {
        struct model m = model_new();
        static const float zeros[64];
        add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 2}, NULL);
        if (which == 0) add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){2, 3, 3, 2}, zeros, NULL);
        else if (which == 1) add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 3}, zeros, NULL);
        else add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 4}, zeros, NULL);
        add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){3}, zeros, NULL);
        add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 4}, NULL);
        float y[36];
        struct tflc_diag d;
        enum tflc_status st = run(&m, OP_DW, 1, OPT_DW, dw_opts(&m, S, 1, 1, 2, 0), (const void *[]){zeros}, y, sizeof y, &d);
        TFLC_EXPECT_EQ_INT(st, TFLC_STATUS_INVALID_MODEL);
        TFLC_EXPECT_STR_CONTAINS(d.msg, "DEPTHWISE_CONV_2D");
        TFLC_EXPECT_STR_CONTAINS(d.msg, which == 0 ? "dimension 0" : which == 1 ? "not a multiple" : "bias");
    }
}

TFLC_TEST(tconv_bad_inputs) {
    /* 0: output shape computed at run time; 1: output channels != filter's; 2: int8 input,
     * float filter; 3: three dims in the output shape. */
    for (int which = 0; which < 4; which++) {
        struct model m = model_new();
        static const float zeros[64];
        float s = 0.5f;
        int64_t z = 0;
        struct tflc_tflb_quant q = q1(&s, &z);
        const int32_t os[4] = {1, 4, 4, which == 1 ? 3 : 2};
        if (which == 0) add_input(&m, "oshape", TFLC_DTYPE_INT32, 1, (int32_t[]){4}, NULL);
        else if (which == 3) add_const(&m, "oshape", TFLC_DTYPE_INT32, 1, (int32_t[]){3}, os, NULL);
        else add_const(&m, "oshape", TFLC_DTYPE_INT32, 1, (int32_t[]){4}, os, NULL);
        add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){2, 3, 3, 1}, zeros, NULL);
        if (which == 2) add_input(&m, "x", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 2, 2, 1}, &q);
        else add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
        add_output(&m, which == 2 ? TFLC_DTYPE_INT8 : TFLC_DTYPE_FLOAT32, 4, os, which == 2 ? &q : NULL);
        float y[64];
        struct tflc_diag d;
        enum tflc_status st = run(&m, OP_TC, 1, OPT_TC, tconv_opts(&m, S, 2, 2, 0),
                                  (const void *[]){(const int32_t[]){1, 4, 4, 2}, zeros}, y, sizeof y, &d);
        TFLC_EXPECT_EQ_INT(st, which == 0 || which == 2 ? TFLC_STATUS_UNSUPPORTED : TFLC_STATUS_INVALID_MODEL);
        TFLC_EXPECT_STR_CONTAINS(d.msg, "TRANSPOSE_CONV");
        TFLC_EXPECT_STR_CONTAINS(d.msg, which == 0   ? "computed at run time"
                                        : which == 1 ? "shapes do not match"
                                        : which == 2 ? "no kernel"
                                                     : "4 elements");
    }
}

/* ---- geometry corners Google's runtime cannot check (see cases_conv.c) ---- */

TFLC_TEST(conv_f32_same_stride_larger_than_window) {
    /* 1x6 input 1..6, 1x2 window of ones, stride 3, SAME: out 2, total padding
     * (2-1)*3 + 2 - 6 = -1 -> 0 (TFLite clamps it), so windows start at 0 and 3:
     * y = {1+2, 4+5}. (Google's 2022 XNNPACK build returns garbage here.) */
    struct model m = model_new();
    const float x[6] = {1, 2, 3, 4, 5, 6};
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 6, 1}, NULL);
    add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 1}, (const float[]){1, 1}, NULL);
    add_const(&m, "b", TFLC_DTYPE_FLOAT32, 1, (int32_t[]){1}, (const float[]){0}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 1, 2, 1}, NULL);
    float y[2];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_CONV, 1, OPT_CONV, conv_opts(&m, S, 3, 3, 3, 1, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    TFLC_EXPECT_NEAR(y[0], 3, 0);
    TFLC_EXPECT_NEAR(y[1], 9, 0);
}

TFLC_TEST(tconv_f32_inconsistent_output_size) {
    /* VALID, 2x2 input, 3x3 filter, stride 2 naturally gives 5x5; a 4x4 output keeps the
     * scatter's first 4 rows/cols (TFLite's reference kernel; its optimized one assumes
     * consistent sizes). */
    const float x[4] = {1, -2, 3, 0.5f};
    struct model m = model_new();
    const int32_t os[4] = {1, 4, 4, 1};
    add_const(&m, "oshape", TFLC_DTYPE_INT32, 1, (int32_t[]){4}, os, NULL);
    add_const(&m, "w", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 3, 3, 1}, arange9, NULL);
    add_input(&m, "x", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, NULL);
    add_output(&m, TFLC_DTYPE_FLOAT32, 4, os, NULL);
    float y[16], e[16];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_TC, 1, OPT_TC, tconv_opts(&m, V, 2, 2, 0), (const void *[]){x}, y, sizeof y, &d) == 0);
    tconv_direct(x, 2, 2, arange9, 3, 2, 0, e, 4, 4);
    for (int i = 0; i < 16; i++) TFLC_EXPECT_NEAR(y[i], e[i], 0);
}

TFLC_TEST(tconv_s16_int32_bias_and_s8_relu6) {
    /* int16 with an int32 bias (v5): int32 accumulator and the 32-bit double rounding, as in
     * conv_s16_int64_and_int32_bias: acc 4001 at m = 0.25 -> 1001 (the int64 bias gives 1000). */
    for (int b32 = 0; b32 < 2; b32++) {
        struct model m = model_new();
        float sx = 1.0f / 64, sw = 1.0f, sy = 1.0f / 16, sb = 1.0f / 64;
        int64_t z = 0;
        struct tflc_tflb_quant qx = q1(&sx, &z), qw = q1(&sw, &z), qy = q1(&sy, &z), qb = q1(&sb, &z);
        const int32_t os[4] = {1, 1, 1, 1};
        add_const(&m, "oshape", TFLC_DTYPE_INT32, 1, (int32_t[]){4}, os, NULL);
        add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 2}, (const int8_t[]){3, -2}, &qw);
        add_input(&m, "x", TFLC_DTYPE_INT16, 4, (int32_t[]){1, 1, 1, 2}, &qx);
        if (b32) add_const(&m, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){1}, (const int32_t[]){1001}, &qb);
        else add_const(&m, "b", TFLC_DTYPE_INT64, 1, (int32_t[]){1}, (const int64_t[]){1001}, &qb);
        add_output(&m, TFLC_DTYPE_INT16, 4, os, &qy);
        int16_t y[1];
        struct tflc_diag d;
        TFLC_REQUIRE(run(&m, OP_TC, b32 ? 5 : 3, OPT_TC, tconv_opts(&m, V, 1, 1, 0), (const void *[]){(const int16_t[]){1000, 0}},
                         y, sizeof y, &d) == 0);
        TFLC_EXPECT_EQ_INT(y[0], b32 ? 1001 : 1000);
    }
    /* int8 with a fused RELU6 (v4): s_y = 0.1, zp_y = -100 -> clamp to [-100, -100 + 60]. 1x1
     * input (x - zp_x = 10) through a 1x1 filter of {100, -100, 3}: acc 1000, -1000, 30 at
     * m = 1 -> 900 -> -40, -1100 -> -100, -70. */
    struct model m = model_new();
    float sx = 0.1f, sw = 1.0f, sy = 0.1f, sb = 0.1f;
    int64_t zx = -10, zy = -100, z0 = 0;
    struct tflc_tflb_quant qx = q1(&sx, &zx), qw = q1(&sw, &z0), qy = q1(&sy, &zy), qb = q1(&sb, &z0);
    const int32_t os[4] = {1, 1, 1, 3};
    add_const(&m, "oshape", TFLC_DTYPE_INT32, 1, (int32_t[]){4}, os, NULL);
    add_const(&m, "w", TFLC_DTYPE_INT8, 4, (int32_t[]){3, 1, 1, 1}, (const int8_t[]){100, -100, 3}, &qw);
    add_input(&m, "x", TFLC_DTYPE_INT8, 4, (int32_t[]){1, 1, 1, 1}, &qx);
    add_const(&m, "b", TFLC_DTYPE_INT32, 1, (int32_t[]){3}, (const int32_t[]){0, 0, 0}, &qb);
    add_output(&m, TFLC_DTYPE_INT8, 4, os, &qy);
    int8_t y[3];
    struct tflc_diag d;
    TFLC_REQUIRE(run(&m, OP_TC, 4, OPT_TC, tconv_opts(&m, V, 1, 1, TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6),
                     (const void *[]){(const int8_t[]){0}}, y, sizeof y, &d) == 0);
    TFLC_EXPECT_EQ_INT(y[0], -40);
    TFLC_EXPECT_EQ_INT(y[1], -100);
    TFLC_EXPECT_EQ_INT(y[2], -70);
}

/* ---- the requantization modes (conv_util.h), by hand ---- */

TFLC_TEST(requant_modes_by_hand) {
    /* m = 0.25 as Q31 2^30, shift -1; acc 4001 = 1000.25 / 0.25:
     * double rounding (TFLite reference): round(4001 / 2) = 2001, then round(2001 / 2) = 1001;
     * single rounding (ruy, TFLITE_SINGLE_ROUNDING): floor(1000.25 + 0.5) = 1000. */
    TFLC_EXPECT_EQ_INT(tflc_mbqm(4001, 1 << 30, -1), 1001);
    TFLC_EXPECT_EQ_INT(tflc_conv_mbqm_single(4001, 1 << 30, -1), 1000);
    /* Ties go up in both: 1.5 -> 2, -1.5 -> -1 (m = 0.5: Q31 2^30, shift 0). */
    TFLC_EXPECT_EQ_INT(tflc_conv_mbqm_single(3, 1 << 30, 0), 2);
    TFLC_EXPECT_EQ_INT(tflc_conv_mbqm_single(-3, 1 << 30, 0), -1);
    TFLC_EXPECT_EQ_INT(tflc_mbqm(-3, 1 << 30, 0), -1);
    /* XNNPACK fp32: ties to even: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2; clamp before rounding. */
    TFLC_EXPECT_EQ_INT(tflc_requant_fp32(5, 0.5f, 0, -128, 127), 2);
    TFLC_EXPECT_EQ_INT(tflc_requant_fp32(7, 0.5f, 0, -128, 127), 4);
    TFLC_EXPECT_EQ_INT(tflc_requant_fp32(-5, 0.5f, 0, -128, 127), -2);
    TFLC_EXPECT_EQ_INT(tflc_requant_fp32(1000, 0.5f, -3, -128, 127), 127);
    TFLC_EXPECT_EQ_INT(tflc_requant_fp32(-1000, 0.5f, 3, -128, 127), -128);
    /* A real near-tie (MobileNetV2's first conv, channel 7): acc 57907 with
     * s_x = 0.018631115555763245, s_w = 0.0025299084, s_y = 0.020332096144557:
     * the exact value is 25.49999997. XNNPACK's float product rounds to exactly 25.5 -> 26 (even);
     * the Q31 multiply gives 50.99999995 -> 51, then 51 / 2 = 25.5 -> 26 in TFLite's double
     * rounding; ruy's single rounding gives 25 (what Google's builtin CONV_2D returned). */
    const double m = 0.00044036126847647505;
    int32_t q;
    int sh;
    tflc_quantize_multiplier(m, &q, &sh);
    TFLC_EXPECT_EQ_INT(tflc_mbqm(57907, q, sh), 26);
    TFLC_EXPECT_EQ_INT(tflc_conv_mbqm_single(57907, q, sh), 25);
    TFLC_EXPECT_EQ_INT(tflc_requant_fp32(57907, (float)m, 0, -128, 127), 26);
    /* XNNPACK's activation bound: RELU6 at scale 0.04, zp -3: 6 / 0.04 - 3 = 147 -> 127;
     * at scale 0.08: 75 - 3 = 72. */
    TFLC_EXPECT_EQ_INT(tflc_quantize_even(6.0f, 0.04f, -3, -128, 127), 127);
    TFLC_EXPECT_EQ_INT(tflc_quantize_even(6.0f, 0.08f, -3, -128, 127), 72);
    TFLC_EXPECT_EQ_INT(tflc_quantize_even(-INFINITY, 0.08f, -3, -128, 127), -128);
}

TFLC_TEST(hybrid_input_quantization_by_hand) {
    /* Symmetric: max |x| = 2 -> scale 2/127, q = round(x * 63.5): 1 -> 64 (63.5 away from 0),
     * -2 -> -127, 0.5 -> 32 (31.75). */
    const float x[3] = {1.0f, -2.0f, 0.5f};
    int8_t q[3];
    float s;
    tflc_conv_quantize_sym(x, 3, q, &s);
    TFLC_EXPECT_NEAR(s, 2.0f / 127.0f, 1e-9);
    TFLC_EXPECT_EQ_INT(q[0], 64);
    TFLC_EXPECT_EQ_INT(q[1], -127);
    TFLC_EXPECT_EQ_INT(q[2], 32);
    /* Asymmetric: range [-1, 0.5] (0 included) -> scale 1.5/255 (1/scale = 170). The zero
     * point comes from the end with the smaller error: min 128 + 170 = 298, max 127 + 85 = 212,
     * so 127 - 0.5 * 170 = 42. q(-1) = round(42 - 170) = -128, q(0.5) = 127, q(0) = 42. */
    const float xa[3] = {-1.0f, 0.5f, 0.0f};
    int32_t zp;
    tflc_conv_quantize_asym(xa, 3, q, &s, &zp);
    TFLC_EXPECT_NEAR(s, 1.5 / 255.0, 1e-9);
    TFLC_EXPECT_EQ_INT(zp, 42);
    TFLC_EXPECT_EQ_INT(q[0], -128);
    TFLC_EXPECT_EQ_INT(q[1], 127);
    TFLC_EXPECT_EQ_INT(q[2], 42);
    /* All zeros: scale 1, zero point 0. */
    const float z[2] = {0, 0};
    tflc_conv_quantize_asym(z, 2, q, &s, &zp);
    TFLC_EXPECT_NEAR(s, 1.0f, 0);
    TFLC_EXPECT_EQ_INT(zp, 0);
}

TFLC_TEST_MAIN()
