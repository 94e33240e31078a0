/* Data-movement ops checked against Google's TFLite: CONCATENATION, RESHAPE, SQUEEZE,
 * EXPAND_DIMS, TRANSPOSE, PAD, PADV2, SLICE, STRIDED_SLICE, SPLIT, PACK, UNPACK, GATHER,
 * RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR, SPACE_TO_DEPTH, DEPTH_TO_SPACE, SHAPE.
 * Everything must be exact ("int 0 1", "float 0"; float bilinear "float 1e-5"), the
 * arithmetic cases (uint8 concatenation requantization, bilinear interpolation) included:
 * tflc's default arithmetic follows Google's runtime (XNNPACK where its delegate takes the
 * node, TFLite's builtin kernels elsewhere).
 * Cases Google's 2022 WASM runtime refuses (int8 concatenation with differing scales,
 * fused activations on CONCATENATION, newer op versions) are in test_shape.c instead. */
#include <string.h>

#include "op_cases.h"

#define T_F32 TFLC_DTYPE_FLOAT32
#define T_I8 TFLC_DTYPE_INT8
#define T_U8 TFLC_DTYPE_UINT8
#define T_I16 TFLC_DTYPE_INT16
#define T_I32 TFLC_DTYPE_INT32
#define T_I64 TFLC_DTYPE_INT64
#define T_BOOL TFLC_DTYPE_BOOL

#define EXACT "int 0 1"
#define FEXACT "float 0"
/* dims for rank-0 tensors (never read; non-NULL keeps memcpy(dst, NULL, 0) out of the harness) */
#define SCALAR ((const int32_t[]){1})

/* Quantization for a dtype: int8/uint8/int16 get (scale, zp), others none. */
struct qp {
    float s;
    int64_t z;
    struct tflc_tflb_quant q;
};
static const struct tflc_tflb_quant *qfor(struct qp *p, enum tflc_dtype t, float s, int64_t z) {
    if (t != T_I8 && t != T_U8 && t != T_I16) return NULL;
    p->q = oc_q(&p->s, &p->z, s, z);
    return &p->q;
}

/* Default quantization per dtype (used when a case does not care). */
static float dscale(enum tflc_dtype t) { return t == T_I16 ? 0.001f : 0.05f; }
static int64_t dzp(enum tflc_dtype t) { return t == T_U8 ? 128 : t == T_I8 ? -3 : 0; }

static int in_q(struct oc *c, const char *nm, enum tflc_dtype t, int rank, const int32_t *dims) {
    struct qp p;
    return oc_input(c, nm, t, rank, dims, qfor(&p, t, dscale(t), dzp(t)));
}
static int out_q(struct oc *c, const char *nm, enum tflc_dtype t, int rank, const int32_t *dims) {
    struct qp p;
    return oc_output(c, nm, t, rank, dims, qfor(&p, t, dscale(t), dzp(t)));
}
static int ci32(struct oc *c, const char *nm, int rank, const int32_t *dims, const int32_t *v) {
    return oc_const(c, nm, T_I32, rank, dims, v, NULL);
}
static int ci64(struct oc *c, const char *nm, int rank, const int32_t *dims, const int64_t *v) {
    return oc_const(c, nm, T_I64, rank, dims, v, NULL);
}
static const char *tname(enum tflc_dtype t) {
    switch (t) {
    case T_F32: return "f32";
    case T_I8: return "s8";
    case T_U8: return "u8";
    case T_I16: return "s16";
    case T_I32: return "s32";
    case T_I64: return "s64";
    case T_BOOL: return "bool";
    default: return "x";
    }
}
static const char *tol_for(enum tflc_dtype t) { return t == T_F32 ? FEXACT : EXACT; }

/* ---- CONCATENATION ---- */

static uint32_t concat_opts(struct oc *c, int axis, int act) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_CONCATENATION_OPTIONS_AXIS, axis, 0);
    tflc_fbb_add_i8(f, TFLC_TFL_CONCATENATION_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, 0);
    return tflc_fbb_table_end(f);
}

/* n inputs of rank 4, input i has size sz[i] along axis. */
static void concat_case(const char *name, enum tflc_dtype t, int axis, int n, const int32_t *sz, int version,
                        const float *scales, const int64_t *zps, float so, int64_t zo, const char *tol) {
    struct oc *c = oc_begin(name, tol);
    if (!c) return;
    static const int32_t base[4] = {2, 3, 4, 5};
    int r = 4, ax = axis < 0 ? axis + r : axis;
    int32_t ins[8], od[4];
    memcpy(od, base, sizeof od);
    od[ax] = 0;
    for (int i = 0; i < n; i++) {
        int32_t d[4];
        memcpy(d, base, sizeof d);
        d[ax] = sz[i];
        od[ax] += sz[i];
        char nm[16];
        snprintf(nm, sizeof nm, "x%d", i);
        struct qp p;
        ins[i] = oc_input(c, nm, t, r, d, qfor(&p, t, scales ? scales[i] : dscale(t), zps ? zps[i] : dzp(t)));
    }
    struct qp p;
    int y = oc_output(c, "y", t, r, od, qfor(&p, t, scales ? so : dscale(t), zps ? zo : dzp(t)));
    uint32_t o = concat_opts(c, axis, 0);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_CONCATENATION, version, ins, n, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_CONCATENATION_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_concat) {
    static const int32_t s3[] = {1, 3, 2}, s1[] = {2};
    char n[64];
    for (int axis = -4; axis < 4; axis++) {
        snprintf(n, sizeof n, "concat_f32_axis%d", axis);
        concat_case(n, T_F32, axis, 3, s3, 1, NULL, NULL, 0, 0, FEXACT);
    }
    concat_case("concat_f32_single", T_F32, 1, 1, s1, 1, NULL, NULL, 0, 0, FEXACT);
    concat_case("concat_s8_same_q", T_I8, 3, 3, s3, 2, NULL, NULL, 0, 0, EXACT);
    concat_case("concat_u8_same_q", T_U8, 1, 3, s3, 1, NULL, NULL, 0, 0, EXACT);
    concat_case("concat_s16", T_I16, 2, 3, s3, 3, NULL, NULL, 0, 0, EXACT);
    concat_case("concat_s32", T_I32, 0, 3, s3, 1, NULL, NULL, 0, 0, EXACT);
    concat_case("concat_s64", T_I64, -1, 3, s3, 1, NULL, NULL, 0, 0, EXACT);
    concat_case("concat_bool", T_BOOL, 2, 3, s3, 1, NULL, NULL, 0, 0, EXACT);
    /* uint8 with different scales / zero points: TFLite's builtin kernel requantizes in float
     * (ConcatenationWithScaling); we use the same formula, so exact. Five inputs keep the node
     * off XNNPACK. With 2-4 inputs Google's XNNPACK delegate takes the node and copies the raw
     * values (no requantization); tflc's default arithmetic does too (concat_u8_raw3), the
     * reference arithmetic requantizes (test_shape.c). */
    static const float sc[] = {0.1f, 0.03f, 0.5f, 0.07f, 0.011f};
    static const int64_t zp[] = {0, 255, 128, 100, 7};
    static const int32_t s5[] = {1, 3, 2, 1, 2};
    concat_case("concat_u8_requant5", T_U8, 3, 5, s5, 1, sc, zp, 0.07f, 100, EXACT);
    concat_case("concat_u8_requant5_axis1", T_U8, 1, 5, s5, 1, sc, zp, 0.2f, 3, EXACT);
    concat_case("concat_u8_raw3", T_U8, 3, 3, s5, 1, sc, zp, 0.07f, 100, EXACT);
    /* One constant input (weights-like) joined with a graph input. */
    struct oc *c = oc_begin("concat_f32_const_input", FEXACT);
    if (c) {
        int a = oc_input(c, "a", T_F32, 2, (int32_t[]){3, 4}, NULL);
        int b = oc_const(c, "b", T_F32, 2, (int32_t[]){3, 2}, NULL, NULL);
        int y = oc_output(c, "y", T_F32, 2, (int32_t[]){3, 6}, NULL);
        uint32_t o = concat_opts(c, 1, 0);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_CONCATENATION, 1, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1,
              TFLC_TFL_BUILTIN_OPTIONS_CONCATENATION_OPTIONS, o);
        oc_end(c);
    }
}

/* ---- RESHAPE / SQUEEZE / EXPAND_DIMS / SHAPE ---- */

static uint32_t reshape_opts(struct oc *c, int n, const int32_t *shape) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    uint32_t v = n >= 0 ? tflc_fbb_vector(f, shape, (size_t)n, 4, 4) : 0;
    tflc_fbb_table_start(f);
    if (n >= 0) tflc_fbb_add_offset(f, TFLC_TFL_RESHAPE_OPTIONS_NEW_SHAPE, v);
    return tflc_fbb_table_end(f);
}

/* RESHAPE x[in] -> out; shape from options (opt_n >= 0), and/or a const int32 tensor. */
static void reshape_case(const char *name, enum tflc_dtype t, int ri, const int32_t *di, int ro, const int32_t *dout,
                         int opt_n, const int32_t *opt, int tensor_n, const int32_t *tensor) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int x = in_q(c, "x", t, ri, di);
    int ins[2] = {x, -1}, nin = 1;
    if (tensor_n >= 0) ins[nin++] = ci32(c, "shape", 1, (int32_t[]){tensor_n}, tensor);
    int y = out_q(c, "y", t, ro, dout);
    uint32_t o = reshape_opts(c, opt_n, opt);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_RESHAPE, 1, ins, nin, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_RESHAPE_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_reshape) {
    static const int32_t d234[] = {2, 3, 4}, d64[] = {6, 4}, d24[] = {2, 12}, m1[] = {-1, 4}, m2[] = {2, -1}, d1[] = {1};
    reshape_case("reshape_f32_tensor", T_F32, 3, d234, 2, d64, -1, NULL, 2, d64);
    reshape_case("reshape_f32_tensor_minus1", T_F32, 3, d234, 2, d64, -1, NULL, 2, m1);
    reshape_case("reshape_f32_options", T_F32, 3, d234, 2, d24, 2, m2, -1, NULL);
    reshape_case("reshape_s8_options", T_I8, 3, d234, 2, d64, 2, d64, -1, NULL);
    reshape_case("reshape_u8_tensor_wins", T_U8, 3, d234, 2, d64, 2, d24, 2, d64);
    reshape_case("reshape_s16", T_I16, 3, d234, 2, d24, -1, NULL, 2, m2);
    reshape_case("reshape_s32", T_I32, 3, d234, 1, (int32_t[]){24}, -1, NULL, 1, (int32_t[]){-1});
    reshape_case("reshape_s64", T_I64, 3, d234, 4, (int32_t[]){1, 2, 3, 4}, 4, (int32_t[]){1, 2, 3, 4}, -1, NULL);
    reshape_case("reshape_bool", T_BOOL, 3, d234, 2, d64, -1, NULL, 2, d64);
    reshape_case("reshape_f32_to_scalar", T_F32, 1, d1, 0, SCALAR, 0, SCALAR, -1, NULL);
    reshape_case("reshape_f32_to_scalar_legacy", T_F32, 2, (int32_t[]){1, 1}, 0, SCALAR, 1, (int32_t[]){0}, -1, NULL);
    /* Shape computed at run time: SHAPE(z) feeds RESHAPE(x, shape). */
    struct oc *c = oc_begin("reshape_f32_runtime_shape", FEXACT);
    if (c) {
        int x = oc_input(c, "x", T_F32, 2, (int32_t[]){4, 6}, NULL);
        int z = oc_input(c, "z", T_F32, 3, (int32_t[]){2, 3, 4}, NULL);
        int s = oc_tensor(c, "s", T_I32, 1, (int32_t[]){3}, NULL);
        int y = oc_output(c, "y", T_F32, 3, (int32_t[]){2, 3, 4}, NULL);
        uint32_t so = 0;
        struct tflc_fbb *f = oc_fbb(c);
        tflc_fbb_table_start(f);
        tflc_fbb_add_i8(f, TFLC_TFL_SHAPE_OPTIONS_OUT_TYPE, TFLC_DTYPE_INT32, 0);
        so = tflc_fbb_table_end(f);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_SHAPE, 1, (int32_t[]){z}, 1, (int32_t[]){s}, 1, TFLC_TFL_BUILTIN_OPTIONS_SHAPE_OPTIONS, so);
        uint32_t o = reshape_opts(c, -1, NULL);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_RESHAPE, 1, (int32_t[]){x, s}, 2, (int32_t[]){y}, 1,
              TFLC_TFL_BUILTIN_OPTIONS_RESHAPE_OPTIONS, o);
        oc_end(c);
    }
}

static void squeeze_case(const char *name, enum tflc_dtype t, int ri, const int32_t *di, int ro, const int32_t *dout, int n,
                         const int32_t *sq) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int x = in_q(c, "x", t, ri, di);
    int y = out_q(c, "y", t, ro, dout);
    struct tflc_fbb *f = oc_fbb(c);
    uint32_t v = tflc_fbb_vector(f, sq, (size_t)n, 4, 4);
    tflc_fbb_table_start(f);
    tflc_fbb_add_offset(f, TFLC_TFL_SQUEEZE_OPTIONS_SQUEEZE_DIMS, v);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_SQUEEZE, 1, (int32_t[]){x}, 1, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_SQUEEZE_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_squeeze) {
    static const int32_t di[] = {1, 3, 1, 4, 1};
    squeeze_case("squeeze_f32_all", T_F32, 5, di, 2, (int32_t[]){3, 4}, 0, NULL);
    squeeze_case("squeeze_f32_some", T_F32, 5, di, 4, (int32_t[]){3, 1, 4, 1}, 1, (int32_t[]){0});
    squeeze_case("squeeze_s8_negative", T_I8, 5, di, 3, (int32_t[]){1, 3, 4}, 2, (int32_t[]){-1, 2});
    squeeze_case("squeeze_u8", T_U8, 5, di, 2, (int32_t[]){3, 4}, 3, (int32_t[]){0, 2, 4});
    squeeze_case("squeeze_s16", T_I16, 5, di, 2, (int32_t[]){3, 4}, 0, NULL);
    squeeze_case("squeeze_s64", T_I64, 5, di, 2, (int32_t[]){3, 4}, 0, NULL);
    squeeze_case("squeeze_bool", T_BOOL, 5, di, 2, (int32_t[]){3, 4}, 0, NULL);
}

/* EXPAND_DIMS with a constant int32/int64 axis, or a graph-input axis fixed to `axis`. */
static void expand_case(const char *name, enum tflc_dtype t, enum tflc_dtype at, int axis, bool runtime, int ri,
                        const int32_t *di, const int32_t *dout) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int x = in_q(c, "x", t, ri, di);
    int a;
    if (runtime) {
        a = oc_input(c, "axis", at, 1, (int32_t[]){1}, NULL);
        oc_input_range(c, a, axis, axis);
    } else if (at == T_I64) {
        a = ci64(c, "axis", 1, (int32_t[]){1}, (int64_t[]){axis});
    } else {
        a = ci32(c, "axis", 0, SCALAR, (int32_t[]){axis});
    }
    int y = out_q(c, "y", t, ri + 1, dout);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_EXPAND_DIMS, 1, (int32_t[]){x, a}, 2, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_EXPAND_DIMS_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_expand_dims) {
    static const int32_t di[] = {2, 3, 4};
    expand_case("expand_dims_f32_axis0", T_F32, T_I32, 0, false, 3, di, (int32_t[]){1, 2, 3, 4});
    expand_case("expand_dims_f32_axis3", T_F32, T_I32, 3, false, 3, di, (int32_t[]){2, 3, 4, 1});
    expand_case("expand_dims_f32_axis_neg1", T_F32, T_I32, -1, false, 3, di, (int32_t[]){2, 3, 4, 1});
    expand_case("expand_dims_s8_axis_neg3", T_I8, T_I32, -3, false, 3, di, (int32_t[]){2, 1, 3, 4});
    expand_case("expand_dims_u8_i64axis", T_U8, T_I64, 1, false, 3, di, (int32_t[]){2, 1, 3, 4});
    expand_case("expand_dims_bool", T_BOOL, T_I32, 2, false, 3, di, (int32_t[]){2, 3, 1, 4});
    expand_case("expand_dims_s16_runtime_axis", T_I16, T_I32, 2, true, 3, di, (int32_t[]){2, 3, 1, 4});
    expand_case("expand_dims_s64_runtime_axis", T_I64, T_I64, -4, true, 3, di, (int32_t[]){1, 2, 3, 4});
}

OC_GENERATOR(shape_shape) {
    for (int k = 0; k < 2; k++) {
        struct oc *c = oc_begin(k ? "shape_out_s64" : "shape_out_s32", EXACT);
        if (!c) continue;
        enum tflc_dtype ot = k ? T_I64 : T_I32;
        int x = oc_input(c, "x", k ? T_I8 : T_F32, 4, (int32_t[]){2, 5, 1, 3}, NULL);
        int y = oc_output(c, "y", ot, 1, (int32_t[]){4}, NULL);
        struct tflc_fbb *f = oc_fbb(c);
        tflc_fbb_table_start(f);
        tflc_fbb_add_i8(f, TFLC_TFL_SHAPE_OPTIONS_OUT_TYPE, (int8_t)ot, 0);
        uint32_t o = tflc_fbb_table_end(f);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_SHAPE, 1, (int32_t[]){x}, 1, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_SHAPE_OPTIONS, o);
        oc_end(c);
    }
}

/* ---- TRANSPOSE ---- */

static void transpose_case(const char *name, enum tflc_dtype t, int r, const int32_t *di, const int32_t *perm, int version) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int32_t dout[8];
    for (int i = 0; i < r; i++) dout[i] = di[perm[i]];
    int x = in_q(c, "x", t, r, di);
    int p = ci32(c, "perm", 1, (int32_t[]){r}, perm);
    int y = out_q(c, "y", t, r, dout);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE, version, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_TRANSPOSE_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_transpose) {
    transpose_case("transpose_f32_2d", T_F32, 2, (int32_t[]){5, 7}, (int32_t[]){1, 0}, 1);
    transpose_case("transpose_f32_3d", T_F32, 3, (int32_t[]){2, 3, 4}, (int32_t[]){2, 0, 1}, 1);
    transpose_case("transpose_f32_identity", T_F32, 3, (int32_t[]){2, 3, 4}, (int32_t[]){0, 1, 2}, 1);
    transpose_case("transpose_s8_nchw_to_nhwc", T_I8, 4, (int32_t[]){1, 3, 8, 6}, (int32_t[]){0, 2, 3, 1}, 2);
    transpose_case("transpose_u8_4d", T_U8, 4, (int32_t[]){2, 3, 4, 5}, (int32_t[]){3, 1, 0, 2}, 1);
    transpose_case("transpose_bool", T_BOOL, 3, (int32_t[]){2, 3, 4}, (int32_t[]){1, 2, 0}, 3);
    transpose_case("transpose_f32_5d", T_F32, 5, (int32_t[]){2, 3, 1, 4, 2}, (int32_t[]){4, 2, 0, 3, 1}, 4);
    transpose_case("transpose_s16", T_I16, 4, (int32_t[]){2, 3, 4, 5}, (int32_t[]){0, 3, 2, 1}, 5);
    transpose_case("transpose_s32", T_I32, 3, (int32_t[]){4, 1, 6}, (int32_t[]){2, 1, 0}, 1);
    transpose_case("transpose_s64", T_I64, 2, (int32_t[]){3, 8}, (int32_t[]){1, 0}, 1);
}

/* ---- PAD / PADV2 ---- */

static void pad_case(const char *name, enum tflc_dtype t, int r, const int32_t *di, const int32_t *pads, bool pads64, int version,
                     bool v2, bool cv_const) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int32_t dout[8];
    for (int i = 0; i < r; i++) dout[i] = di[i] + pads[2 * i] + pads[2 * i + 1];
    int x = in_q(c, "x", t, r, di);
    int p;
    if (pads64) {
        int64_t p64[16];
        for (int i = 0; i < 2 * r; i++) p64[i] = pads[i];
        p = ci64(c, "pads", 2, (int32_t[]){r, 2}, p64);
    } else {
        p = ci32(c, "pads", 2, (int32_t[]){r, 2}, pads);
    }
    int ins[3] = {x, p, -1}, nin = 2;
    if (v2) {
        struct qp q;
        const struct tflc_tflb_quant *qq = qfor(&q, t, dscale(t), dzp(t));
        if (cv_const) {
            uint8_t val[8] = {0};
            float fv = 2.5f;
            int8_t s8 = 77;
            int16_t s16 = -1234;
            uint8_t u8 = 201;
            int32_t s32 = 9;
            if (t == T_F32) memcpy(val, &fv, 4);
            if (t == T_I8) memcpy(val, &s8, 1);
            if (t == T_U8) memcpy(val, &u8, 1);
            if (t == T_I16) memcpy(val, &s16, 2);
            if (t == T_I32) memcpy(val, &s32, 4);
            ins[nin++] = oc_const(c, "cv", t, 0, SCALAR, val, qq);
        } else {
            ins[nin++] = oc_input(c, "cv", t, 0, SCALAR, qq);
        }
    }
    int y = out_q(c, "y", t, r, dout);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, v2 ? TFLC_TFL_BUILTIN_OPERATOR_PADV2 : TFLC_TFL_BUILTIN_OPERATOR_PAD, version, ins, nin, (int32_t[]){y}, 1,
          v2 ? TFLC_TFL_BUILTIN_OPTIONS_PAD_V2OPTIONS : TFLC_TFL_BUILTIN_OPTIONS_PAD_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_pad) {
    static const int32_t d4[] = {1, 4, 5, 3}, img[] = {0, 0, 1, 2, 2, 1, 0, 0}, all4[] = {1, 0, 0, 2, 3, 1, 1, 1};
    pad_case("pad_f32_image", T_F32, 4, d4, img, false, 1, false, false);
    pad_case("pad_f32_all_dims", T_F32, 4, d4, all4, false, 1, false, false);
    /* int64 paddings: Google's 2022 runtime reads them as int32 pairs (wrong output shape);
     * newer TFLite handles them, so test_shape.c checks them by hand. */
    pad_case("pad_s8_zero_point", T_I8, 4, d4, img, false, 2, false, false);
    pad_case("pad_u8_zero_point", T_U8, 4, d4, all4, false, 1, false, false);
    pad_case("pad_s16", T_I16, 4, d4, img, false, 3, false, false);
    pad_case("pad_s32_1d", T_I32, 1, (int32_t[]){7}, (int32_t[]){3, 0}, false, 1, false, false);
    pad_case("pad_s64_2d", T_I64, 2, (int32_t[]){3, 2}, (int32_t[]){0, 1, 2, 0}, false, 1, false, false);
    pad_case("pad_f32_5d", T_F32, 5, (int32_t[]){2, 1, 3, 2, 2}, (int32_t[]){1, 0, 0, 1, 1, 1, 0, 0, 2, 1}, false, 4, false, false);
    pad_case("padv2_f32_const", T_F32, 4, d4, all4, false, 1, true, true);
    pad_case("padv2_f32_input_value", T_F32, 4, d4, img, false, 1, true, false);
    pad_case("padv2_s8_const", T_I8, 4, d4, all4, false, 2, true, true);
    pad_case("padv2_u8_const", T_U8, 4, d4, img, false, 1, true, true);
    pad_case("padv2_s16_const", T_I16, 4, d4, img, false, 3, true, true);
    pad_case("padv2_s32_const", T_I32, 2, (int32_t[]){3, 2}, (int32_t[]){1, 1, 2, 0}, false, 1, true, true);
}

/* ---- SLICE / STRIDED_SLICE ---- */

static void slice_case(const char *name, enum tflc_dtype t, int r, const int32_t *di, const int32_t *b, const int32_t *s, bool i64,
                       int version) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int32_t dout[8];
    for (int i = 0; i < r; i++) dout[i] = s[i] == -1 ? di[i] - b[i] : s[i];
    int x = in_q(c, "x", t, r, di);
    int tb, ts;
    if (i64) {
        int64_t b64[8], s64[8];
        for (int i = 0; i < r; i++) { b64[i] = b[i]; s64[i] = s[i]; }
        tb = ci64(c, "begin", 1, (int32_t[]){r}, b64);
        ts = ci64(c, "size", 1, (int32_t[]){r}, s64);
    } else {
        tb = ci32(c, "begin", 1, (int32_t[]){r}, b);
        ts = ci32(c, "size", 1, (int32_t[]){r}, s);
    }
    int y = out_q(c, "y", t, r, dout);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_SLICE, version, (int32_t[]){x, tb, ts}, 3, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_SLICE_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_slice) {
    static const int32_t d4[] = {2, 5, 6, 3};
    slice_case("slice_f32", T_F32, 4, d4, (int32_t[]){0, 1, 2, 0}, (int32_t[]){2, 3, 4, 3}, false, 1);
    slice_case("slice_f32_size_minus1", T_F32, 4, d4, (int32_t[]){1, 2, 0, 1}, (int32_t[]){-1, 2, -1, -1}, false, 1);
    slice_case("slice_f32_i64", T_F32, 4, d4, (int32_t[]){1, 0, 3, 2}, (int32_t[]){1, 5, 2, 1}, true, 1);
    slice_case("slice_s8", T_I8, 4, d4, (int32_t[]){0, 4, 5, 0}, (int32_t[]){2, 1, 1, -1}, false, 2);
    slice_case("slice_u8_empty", T_U8, 2, (int32_t[]){4, 5}, (int32_t[]){2, 5}, (int32_t[]){2, 0}, false, 1);
    slice_case("slice_s16", T_I16, 3, (int32_t[]){4, 5, 6}, (int32_t[]){1, 1, 1}, (int32_t[]){2, 3, 4}, false, 4);
    slice_case("slice_s32", T_I32, 1, (int32_t[]){10}, (int32_t[]){3}, (int32_t[]){5}, false, 1);
    slice_case("slice_s64", T_I64, 2, (int32_t[]){3, 4}, (int32_t[]){1, 1}, (int32_t[]){2, -1}, false, 1);
    slice_case("slice_bool", T_BOOL, 2, (int32_t[]){3, 4}, (int32_t[]){0, 2}, (int32_t[]){3, 2}, false, 1);
    slice_case("slice_f32_5d", T_F32, 5, (int32_t[]){2, 3, 4, 2, 3}, (int32_t[]){1, 0, 1, 1, 0}, (int32_t[]){1, 2, 2, 1, -1}, false, 5);
}

struct ss {
    const char *name;
    enum tflc_dtype t;
    int r;
    int32_t di[6];
    int n;
    int32_t b[6], e[6], s[6];
    int bm, em, elm, nam, sam;
    bool offset;
    int ro;
    int32_t dout[6];
    int version;
};

static void ss_case(const struct ss *k) {
    struct oc *c = oc_begin(k->name, tol_for(k->t));
    if (!c) return;
    int x = in_q(c, "x", k->t, k->r, k->di);
    int tb = ci32(c, "begin", 1, (int32_t[]){k->n}, k->b);
    int te = ci32(c, "end", 1, (int32_t[]){k->n}, k->e);
    int ts = ci32(c, "strides", 1, (int32_t[]){k->n}, k->s);
    int y = out_q(c, "y", k->t, k->ro, k->dout);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_BEGIN_MASK, k->bm, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_END_MASK, k->em, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_ELLIPSIS_MASK, k->elm, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_NEW_AXIS_MASK, k->nam, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_SHRINK_AXIS_MASK, k->sam, 0);
    tflc_fbb_add_bool(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_OFFSET, k->offset, false);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_STRIDED_SLICE, k->version, (int32_t[]){x, tb, te, ts}, 4, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_STRIDED_SLICE_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_strided_slice) {
    /* Output shapes worked out by hand with numpy's slicing rules. */
    static const struct ss cases[] = {
        /* x[1:3, 0:5:2] on [4,6] -> [2,3] */
        {"strided_slice_f32_basic", T_F32, 2, {4, 6}, 2, {1, 0}, {3, 5}, {1, 2}, 0, 0, 0, 0, 0, false, 2, {2, 3}, 1},
        /* x[::-1, 4:0:-2] on [4,6] -> [4,2] */
        {"strided_slice_f32_negative_strides", T_F32, 2, {4, 6}, 2, {0, 4}, {0, 0}, {-1, -2}, 1, 1, 0, 0, 0, false, 2, {4, 2}, 1},
        /* x[-3:-1, -100:100] on [4,6]: negative indices and clamping -> [2,6] */
        {"strided_slice_f32_clamp", T_F32, 2, {4, 6}, 2, {-3, -100}, {-1, 100}, {1, 1}, 0, 0, 0, 0, 0, false, 2, {2, 6}, 1},
        /* x[5:-100:-3] on [7]: reverse with clamping -> [2] */
        {"strided_slice_f32_reverse_clamp", T_F32, 1, {7}, 1, {5}, {-100}, {-3}, 0, 0, 0, 0, 0, false, 1, {2}, 1},
        /* x[1, :, 2] on [3,4,5] (shrink 0 and 2) -> [4] */
        {"strided_slice_s8_shrink", T_I8, 3, {3, 4, 5}, 3, {1, 0, 2}, {2, 4, 3}, {1, 1, 1}, 0, 0, 0, 0, 5, false, 1, {4}, 2},
        /* x[-1] on [3,4] (shrink with a negative index) -> [4] */
        {"strided_slice_u8_shrink_negative", T_U8, 2, {3, 4}, 1, {-1}, {0}, {1}, 0, 0, 0, 0, 1, false, 1, {4}, 1},
        /* x[:, 1:] on [2,3,4] with a short spec: remaining dims full -> [2,2,4] */
        {"strided_slice_f32_short_spec", T_F32, 3, {2, 3, 4}, 2, {0, 1}, {0, 3}, {1, 1}, 1, 1, 0, 0, 0, false, 3, {2, 2, 4}, 1},
        {"strided_slice_bool", T_BOOL, 2, {4, 6}, 2, {3, 1}, {0, 6}, {-1, 2}, 0, 0, 0, 0, 0, false, 2, {3, 3}, 3},
        {"strided_slice_s32", T_I32, 2, {4, 6}, 2, {0, 5}, {4, 0}, {2, -1}, 0, 0, 0, 0, 0, false, 2, {2, 5}, 1},
        {"strided_slice_s64", T_I64, 2, {4, 6}, 2, {1, 0}, {3, 6}, {1, 3}, 0, 0, 0, 0, 0, false, 2, {2, 2}, 1},
        /* x[1:, ::2, :, 1:3, ::-1] on 5-D -> [1,2,2,2,3] */
        {"strided_slice_f32_5d", T_F32, 5, {2, 3, 2, 4, 3}, 5, {1, 0, 0, 1, 0}, {2, 3, 2, 3, 0}, {1, 2, 1, 1, -1}, 0, 16, 0, 0, 0,
         false, 5, {1, 2, 2, 2, 3}, 4},
        /* x[..., 1:3] on [2,3,4] (ellipsis) -> [2,3,2] */
        {"strided_slice_f32_ellipsis", T_F32, 3, {2, 3, 4}, 2, {0, 1}, {0, 3}, {1, 1}, 0, 0, 1, 0, 0, false, 3, {2, 3, 2}, 6},
        /* x[1, ..., ::2] on [2,3,4] -> [3,2] */
        {"strided_slice_s8_ellipsis_mid", T_I8, 3, {2, 3, 4}, 3, {1, 0, 0}, {2, 0, 4}, {1, 1, 2}, 0, 0, 2, 0, 1, false, 2, {3, 2}, 6},
        /* x[:, newaxis, 1:] on [3,4] -> [3,1,3] */
        {"strided_slice_f32_new_axis", T_F32, 2, {3, 4}, 3, {0, 0, 1}, {3, 0, 4}, {1, 1, 1}, 1, 0, 0, 2, 0, false, 3, {3, 1, 3}, 6},
        {"strided_slice_s16", T_I16, 3, {3, 4, 5}, 3, {2, 0, 1}, {0, 4, 5}, {-1, 1, 2}, 0, 0, 0, 0, 0, false, 3, {2, 4, 2}, 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) ss_case(&cases[i]);
}

/* ---- SPLIT / PACK / UNPACK ---- */

static void split_case(const char *name, enum tflc_dtype t, int r, const int32_t *di, int axis, int n, int version) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int ax = axis < 0 ? axis + r : axis;
    int32_t dout[8];
    memcpy(dout, di, sizeof *di * (size_t)r);
    dout[ax] /= n;
    int a = ci32(c, "axis", 0, SCALAR, (int32_t[]){axis});
    int x = in_q(c, "x", t, r, di);
    int32_t outs[8];
    for (int i = 0; i < n; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "y%d", i);
        outs[i] = out_q(c, nm, t, r, dout);
    }
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_SPLIT_OPTIONS_NUM_SPLITS, n, 0);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_SPLIT, version, (int32_t[]){a, x}, 2, outs, n, TFLC_TFL_BUILTIN_OPTIONS_SPLIT_OPTIONS, o);
    oc_end(c);
}

static void pack_case(const char *name, enum tflc_dtype t, int r, const int32_t *di, int axis, int n, int version) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int ax = axis < 0 ? axis + r + 1 : axis;
    int32_t dout[8], ins[8];
    for (int d = 0, k = 0; d <= r; d++) dout[d] = d == ax ? n : di[k++];
    for (int i = 0; i < n; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "x%d", i);
        ins[i] = in_q(c, nm, t, r, di);
    }
    int y = out_q(c, "y", t, r + 1, dout);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_PACK_OPTIONS_VALUES_COUNT, n, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_PACK_OPTIONS_AXIS, axis, 0);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_PACK, version, ins, n, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_PACK_OPTIONS, o);
    oc_end(c);
}

static void unpack_case(const char *name, enum tflc_dtype t, int r, const int32_t *di, int axis, int version) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int ax = axis < 0 ? axis + r : axis, n = di[ax];
    int32_t dout[8], outs[8];
    for (int d = 0, k = 0; d < r; d++)
        if (d != ax) dout[k++] = di[d];
    int x = in_q(c, "x", t, r, di);
    for (int i = 0; i < n; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "y%d", i);
        outs[i] = out_q(c, nm, t, r - 1, dout);
    }
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_UNPACK_OPTIONS_NUM, n, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_UNPACK_OPTIONS_AXIS, axis, 0);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_UNPACK, version, (int32_t[]){x}, 1, outs, n, TFLC_TFL_BUILTIN_OPTIONS_UNPACK_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_split_pack) {
    static const int32_t d[] = {2, 6, 4};
    split_case("split_f32_axis1", T_F32, 3, d, 1, 3, 1);
    split_case("split_f32_axis_neg1", T_F32, 3, d, -1, 2, 1);
    split_case("split_f32_axis0_one", T_F32, 3, d, 0, 1, 1);
    split_case("split_s8", T_I8, 3, d, 2, 4, 2);
    split_case("split_s32", T_I32, 3, d, 0, 2, 3);
    split_case("split_s16", T_I16, 3, d, 1, 2, 4);
    split_case("split_u8", T_U8, 3, d, 1, 6, 1);
    static const int32_t p[] = {3, 4};
    pack_case("pack_f32_axis0", T_F32, 2, p, 0, 3, 1);
    pack_case("pack_f32_axis1", T_F32, 2, p, 1, 2, 1);
    pack_case("pack_f32_axis_neg1", T_F32, 2, p, -1, 4, 1);
    pack_case("pack_s8", T_I8, 2, p, 1, 3, 2);
    pack_case("pack_s16", T_I16, 2, p, 2, 2, 3);
    pack_case("pack_s32", T_I32, 2, p, 0, 2, 1);
    pack_case("pack_s64", T_I64, 2, p, 1, 2, 1);
    pack_case("pack_u8", T_U8, 2, p, -3, 2, 1);
    static const int32_t u[] = {3, 2, 4};
    unpack_case("unpack_f32_axis0", T_F32, 3, u, 0, 1);
    unpack_case("unpack_f32_axis1", T_F32, 3, u, 1, 1);
    unpack_case("unpack_f32_axis_neg1", T_F32, 3, u, -1, 1);
    unpack_case("unpack_s8", T_I8, 3, u, 2, 2);
    unpack_case("unpack_u8", T_U8, 3, u, 0, 2);
    unpack_case("unpack_bool", T_BOOL, 3, u, 1, 3);
    unpack_case("unpack_s16", T_I16, 3, u, 0, 4);
    unpack_case("unpack_s32_1d", T_I32, 1, (int32_t[]){5}, 0, 1);
}

/* ---- GATHER ---- */

static void gather_case(const char *name, enum tflc_dtype t, int rp, const int32_t *dp, int ri, const int32_t *dix, enum tflc_dtype it,
                        int axis, int bd, bool runtime_indices, int version) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int ax = axis < 0 ? axis + rp : axis, b = bd < 0 ? bd + ri : bd;
    int32_t dout[8];
    int k = 0;
    for (int i = 0; i < ax; i++) dout[k++] = dp[i];
    for (int i = b; i < ri; i++) dout[k++] = dix[i];
    for (int i = ax + 1; i < rp; i++) dout[k++] = dp[i];
    int x = in_q(c, "params", t, rp, dp);
    int ix;
    if (runtime_indices) {
        ix = oc_input(c, "indices", it, ri, dix, NULL);
        oc_input_range(c, ix, 0, dp[ax] - 1);
    } else {
        ix = oc_const_range(c, "indices", it, ri, dix, 0, dp[ax] - 1, NULL);
    }
    int y = out_q(c, "y", t, k, dout);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_GATHER_OPTIONS_AXIS, axis, 0);
    tflc_fbb_add_i32(f, TFLC_TFL_GATHER_OPTIONS_BATCH_DIMS, bd, 0);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_GATHER, version, (int32_t[]){x, ix}, 2, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_GATHER_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_gather) {
    static const int32_t p[] = {5, 4, 3}, i1[] = {7}, i2[] = {2, 3};
    gather_case("gather_f32_axis0", T_F32, 3, p, 1, i1, T_I32, 0, 0, false, 1);
    gather_case("gather_f32_axis1_2d_indices", T_F32, 3, p, 2, i2, T_I32, 1, 0, false, 1);
    gather_case("gather_f32_axis_neg1", T_F32, 3, p, 1, i1, T_I32, -1, 0, false, 1);
    gather_case("gather_f32_i64_indices", T_F32, 3, p, 2, i2, T_I64, 0, 0, false, 1);
    gather_case("gather_f32_runtime_indices", T_F32, 3, p, 2, i2, T_I32, 2, 0, true, 1);
    gather_case("gather_s8", T_I8, 3, p, 1, i1, T_I32, 1, 0, false, 2);
    gather_case("gather_u8", T_U8, 3, p, 1, i1, T_I32, 0, 0, false, 1);
    gather_case("gather_bool", T_BOOL, 3, p, 1, i1, T_I32, 2, 0, false, 3);
    gather_case("gather_s16", T_I16, 3, p, 2, i2, T_I32, 0, 0, false, 4);
    gather_case("gather_s32", T_I32, 2, (int32_t[]){6, 2}, 1, i1, T_I64, 0, 0, true, 1);
    gather_case("gather_s64", T_I64, 1, (int32_t[]){9}, 2, i2, T_I32, 0, 0, false, 1);
    /* batch_dims: params [2,5,3], indices [2,4] gathered along axis 1 per batch -> [2,4,3] */
    gather_case("gather_f32_batch_dims", T_F32, 3, (int32_t[]){2, 5, 3}, 2, (int32_t[]){2, 4}, T_I32, 1, 1, false, 5);
    gather_case("gather_f32_batch_dims_neg", T_F32, 3, (int32_t[]){2, 5, 3}, 2, (int32_t[]){2, 4}, T_I32, 2, -1, true, 5);
}

/* ---- RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR ---- */

static bool resize_runtime_size; /* size as a graph input (keeps the node off XNNPACK) */

static void resize_case(const char *name, int32_t op, enum tflc_dtype t, const int32_t *di, int oh, int ow, bool ac, bool hp,
                        int version, const char *tol) {
    struct oc *c = oc_begin(name, tol ? tol : tol_for(t));
    if (!c) return;
    int x = in_q(c, "x", t, 4, di);
    int s;
    if (resize_runtime_size && oh == ow) {
        s = oc_input(c, "size", T_I32, 1, (int32_t[]){2}, NULL);
        oc_input_range(c, s, oh, oh);
    } else {
        s = ci32(c, "size", 1, (int32_t[]){2}, (int32_t[]){oh, ow});
    }
    int y = out_q(c, "y", t, 4, (int32_t[]){di[0], oh, ow, di[3]});
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    bool nn = op == TFLC_TFL_BUILTIN_OPERATOR_RESIZE_NEAREST_NEIGHBOR;
    tflc_fbb_add_bool(f, nn ? TFLC_TFL_RESIZE_NEAREST_NEIGHBOR_OPTIONS_ALIGN_CORNERS : TFLC_TFL_RESIZE_BILINEAR_OPTIONS_ALIGN_CORNERS,
                      ac, false);
    tflc_fbb_add_bool(f,
                      nn ? TFLC_TFL_RESIZE_NEAREST_NEIGHBOR_OPTIONS_HALF_PIXEL_CENTERS
                         : TFLC_TFL_RESIZE_BILINEAR_OPTIONS_HALF_PIXEL_CENTERS,
                      hp, false);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, op, version, (int32_t[]){x, s}, 2, (int32_t[]){y}, 1,
          nn ? TFLC_TFL_BUILTIN_OPTIONS_RESIZE_NEAREST_NEIGHBOR_OPTIONS : TFLC_TFL_BUILTIN_OPTIONS_RESIZE_BILINEAR_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_resize) {
    static const int32_t d[] = {2, 5, 7, 3}, d2[] = {1, 4, 4, 2};
    const int32_t NN = TFLC_TFL_BUILTIN_OPERATOR_RESIZE_NEAREST_NEIGHBOR, BL = TFLC_TFL_BUILTIN_OPERATOR_RESIZE_BILINEAR;
    static const enum tflc_dtype ts[] = {T_F32, T_I8, T_U8, T_I16};
    static const int vs[] = {1, 2, 1, 4};
    for (int k = 0; k < 4; k++) {
        enum tflc_dtype t = ts[k];
        char n[80];
        for (int mode = 0; mode < 3; mode++) {
            bool ac = mode == 1, hp = mode == 2;
            int v = t == T_I16 ? 4 : mode ? 3 : vs[k];
            const char *mn = mode == 0 ? "plain" : mode == 1 ? "align" : "halfpx";
            snprintf(n, sizeof n, "resize_nn_%s_%s_up", tname(t), mn);
            resize_case(n, NN, t, d, 11, 16, ac, hp, v, NULL);
            snprintf(n, sizeof n, "resize_nn_%s_%s_down", tname(t), mn);
            resize_case(n, NN, t, d, 3, 4, ac, hp, v, NULL);
            snprintf(n, sizeof n, "resize_nn_%s_%s_2x", tname(t), mn);
            resize_case(n, NN, t, d2, 8, 8, ac, hp, v, NULL);
            if (ac && t != T_F32) continue;
            /* Bilinear with a constant size runs int8/uint8 on Google's XNNPACK delegate (11-bit
             * fixed-point interpolation), as in tflc's default arithmetic; TFLite's reference
             * kernels (ResizeBilinearInteger for int8, the float ResizeBilinear<uint8_t>) are up
             * to 1 LSB away on ~15% of int8 and ~1% of uint8 elements (test_shape.c). The
             * *_runtime_size cases below keep the node on TFLite's builtin kernel; int16 never
             * goes to XNNPACK. All exact. */
            const char *tol = t == T_F32 ? "float 1e-5" : EXACT;
            snprintf(n, sizeof n, "resize_bilinear_%s_%s_up", tname(t), mn);
            resize_case(n, BL, t, d, 11, 16, ac, hp, v, tol);
            snprintf(n, sizeof n, "resize_bilinear_%s_%s_down", tname(t), mn);
            resize_case(n, BL, t, d, 3, 4, ac, hp, v, tol);
            snprintf(n, sizeof n, "resize_bilinear_%s_%s_2x", tname(t), mn);
            resize_case(n, BL, t, d2, 8, 8, ac, hp, v, tol);
        }
    }
    resize_case("resize_bilinear_f32_align_1px", BL, T_F32, d, 1, 1, true, false, 1, "float 1e-5");
    resize_runtime_size = true;
    for (int k = 0; k < 4; k++) {
        char n[80];
        snprintf(n, sizeof n, "resize_bilinear_%s_runtime_size", tname(ts[k]));
        resize_case(n, BL, ts[k], d, 9, 9, false, false, vs[k], EXACT);
        snprintf(n, sizeof n, "resize_bilinear_%s_runtime_size_halfpx", tname(ts[k]));
        resize_case(n, BL, ts[k], d, 9, 9, false, true, ts[k] == T_I16 ? 4 : 3, EXACT);
        snprintf(n, sizeof n, "resize_nn_%s_runtime_size", tname(ts[k]));
        resize_case(n, NN, ts[k], d, 9, 9, false, false, vs[k], EXACT);
    }
    resize_runtime_size = false;
}

/* ---- SPACE_TO_DEPTH / DEPTH_TO_SPACE ---- */

static void s2d_case(const char *name, bool d2s, enum tflc_dtype t, const int32_t *di, int b, int version) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int32_t dout[4];
    if (d2s) {
        dout[0] = di[0]; dout[1] = di[1] * b; dout[2] = di[2] * b; dout[3] = di[3] / (b * b);
    } else {
        dout[0] = di[0]; dout[1] = di[1] / b; dout[2] = di[2] / b; dout[3] = di[3] * b * b;
    }
    int x = in_q(c, "x", t, 4, di);
    int y = out_q(c, "y", t, 4, dout);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, d2s ? TFLC_TFL_DEPTH_TO_SPACE_OPTIONS_BLOCK_SIZE : TFLC_TFL_SPACE_TO_DEPTH_OPTIONS_BLOCK_SIZE, b, 0);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, d2s ? TFLC_TFL_BUILTIN_OPERATOR_DEPTH_TO_SPACE : TFLC_TFL_BUILTIN_OPERATOR_SPACE_TO_DEPTH, version, (int32_t[]){x}, 1,
          (int32_t[]){y}, 1, d2s ? TFLC_TFL_BUILTIN_OPTIONS_DEPTH_TO_SPACE_OPTIONS : TFLC_TFL_BUILTIN_OPTIONS_SPACE_TO_DEPTH_OPTIONS, o);
    oc_end(c);
}

OC_GENERATOR(shape_space_depth) {
    s2d_case("space_to_depth_f32_b2", false, T_F32, (int32_t[]){2, 4, 6, 3}, 2, 1);
    s2d_case("space_to_depth_s8_b3", false, T_I8, (int32_t[]){1, 6, 3, 2}, 3, 2);
    s2d_case("space_to_depth_u8_b2", false, T_U8, (int32_t[]){1, 2, 4, 5}, 2, 1);
    s2d_case("space_to_depth_s32_b1", false, T_I32, (int32_t[]){1, 2, 3, 4}, 1, 1);
    s2d_case("depth_to_space_f32_b2", true, T_F32, (int32_t[]){2, 3, 2, 12}, 2, 1);
    s2d_case("depth_to_space_s8_b3", true, T_I8, (int32_t[]){1, 2, 1, 18}, 3, 2);
    s2d_case("depth_to_space_u8_b2", true, T_U8, (int32_t[]){1, 2, 3, 4}, 2, 1);
    s2d_case("depth_to_space_s64_b2", true, T_I64, (int32_t[]){1, 1, 2, 8}, 2, 1);
}

/* ---- run-time (non-constant) shape inputs: graph inputs fixed to one value ---- */

OC_GENERATOR(shape_runtime_inputs) {
    struct oc *c;
    /* PAD with paddings all 1 from a graph input. */
    if ((c = oc_begin("pad_f32_runtime_paddings", FEXACT))) {
        int x = oc_input(c, "x", T_F32, 3, (int32_t[]){2, 3, 4}, NULL);
        int p = oc_input(c, "pads", T_I32, 2, (int32_t[]){3, 2}, NULL);
        oc_input_range(c, p, 1, 1);
        int y = oc_output(c, "y", T_F32, 3, (int32_t[]){4, 5, 6}, NULL);
        struct tflc_fbb *f = oc_fbb(c);
        tflc_fbb_table_start(f);
        uint32_t o = tflc_fbb_table_end(f);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_PAD, 1, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_PAD_OPTIONS, o);
        oc_end(c);
    }
    /* SLICE with begin all 1 and a constant size. */
    if ((c = oc_begin("slice_s8_runtime_begin", EXACT))) {
        int x = in_q(c, "x", T_I8, 3, (int32_t[]){3, 4, 5});
        int b = oc_input(c, "begin", T_I32, 1, (int32_t[]){3}, NULL);
        oc_input_range(c, b, 1, 1);
        int s = ci32(c, "size", 1, (int32_t[]){3}, (int32_t[]){2, -1, 3});
        int y = out_q(c, "y", T_I8, 3, (int32_t[]){2, 3, 3});
        struct tflc_fbb *f = oc_fbb(c);
        tflc_fbb_table_start(f);
        uint32_t o = tflc_fbb_table_end(f);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_SLICE, 2, (int32_t[]){x, b, s}, 3, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_SLICE_OPTIONS, o);
        oc_end(c);
    }
    /* STRIDED_SLICE with begin all 1 at run time: x[1:4:2, 1:, 1:3] on [5,4,6] -> [2,3,2]. */
    if ((c = oc_begin("strided_slice_f32_runtime_begin", FEXACT))) {
        int x = oc_input(c, "x", T_F32, 3, (int32_t[]){5, 4, 6}, NULL);
        int b = oc_input(c, "begin", T_I32, 1, (int32_t[]){3}, NULL);
        oc_input_range(c, b, 1, 1);
        int e = ci32(c, "end", 1, (int32_t[]){3}, (int32_t[]){4, 0, 3});
        int s = ci32(c, "strides", 1, (int32_t[]){3}, (int32_t[]){2, 1, 1});
        int y = oc_output(c, "y", T_F32, 3, (int32_t[]){2, 3, 2}, NULL);
        struct tflc_fbb *f = oc_fbb(c);
        tflc_fbb_table_start(f);
        tflc_fbb_add_i32(f, TFLC_TFL_STRIDED_SLICE_OPTIONS_END_MASK, 2, 0);
        uint32_t o = tflc_fbb_table_end(f);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_STRIDED_SLICE, 1, (int32_t[]){x, b, e, s}, 4, (int32_t[]){y}, 1,
              TFLC_TFL_BUILTIN_OPTIONS_STRIDED_SLICE_OPTIONS, o);
        oc_end(c);
    }
    /* SPLIT along a run-time axis (-1). */
    if ((c = oc_begin("split_f32_runtime_axis", FEXACT))) {
        int a = oc_input(c, "axis", T_I32, 0, SCALAR, NULL);
        oc_input_range(c, a, -1, -1);
        int x = oc_input(c, "x", T_F32, 2, (int32_t[]){3, 4}, NULL);
        int y0 = oc_output(c, "y0", T_F32, 2, (int32_t[]){3, 2}, NULL);
        int y1 = oc_output(c, "y1", T_F32, 2, (int32_t[]){3, 2}, NULL);
        struct tflc_fbb *f = oc_fbb(c);
        tflc_fbb_table_start(f);
        tflc_fbb_add_i32(f, TFLC_TFL_SPLIT_OPTIONS_NUM_SPLITS, 2, 0);
        uint32_t o = tflc_fbb_table_end(f);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_SPLIT, 1, (int32_t[]){a, x}, 2, (int32_t[]){y0, y1}, 2, TFLC_TFL_BUILTIN_OPTIONS_SPLIT_OPTIONS, o);
        oc_end(c);
    }
    /* TRANSPOSE with a run-time perm: SHAPE(z) of an empty z with dims [2,0,1] gives the
     * perm [2,0,1] (SHAPE never reads z's data). */
    if ((c = oc_begin("transpose_f32_runtime_perm", FEXACT))) {
        int x = oc_input(c, "x", T_F32, 3, (int32_t[]){2, 3, 4}, NULL);
        int z = oc_const(c, "z", T_F32, 3, (int32_t[]){2, 0, 1}, NULL, NULL);
        int p = oc_tensor(c, "perm", T_I32, 1, (int32_t[]){3}, NULL);
        int y = oc_output(c, "y", T_F32, 3, (int32_t[]){4, 2, 3}, NULL);
        struct tflc_fbb *f = oc_fbb(c);
        tflc_fbb_table_start(f);
        tflc_fbb_add_i8(f, TFLC_TFL_SHAPE_OPTIONS_OUT_TYPE, TFLC_DTYPE_INT32, 0);
        uint32_t so = tflc_fbb_table_end(f);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_SHAPE, 1, (int32_t[]){z}, 1, (int32_t[]){p}, 1, TFLC_TFL_BUILTIN_OPTIONS_SHAPE_OPTIONS, so);
        tflc_fbb_table_start(f);
        uint32_t o = tflc_fbb_table_end(f);
        oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE, 1, (int32_t[]){x, p}, 2, (int32_t[]){y}, 1,
              TFLC_TFL_BUILTIN_OPTIONS_TRANSPOSE_OPTIONS, o);
        oc_end(c);
    }
}

/* The head of tfmicro_mobilenet_v2_quantized: NCHW int8 input -> TRANSPOSE to NHWC -> PAD
 * by 1 in H and W with the zero point (-14), the same quantization everywhere. */
OC_GENERATOR(shape_mobilenet_head) {
    struct oc *c = oc_begin("transpose_pad_s8_mobilenet_head", EXACT);
    if (!c) return;
    struct qp q1, q2, q3;
    int x = oc_input(c, "x", T_I8, 4, (int32_t[]){1, 3, 40, 36}, qfor(&q1, T_I8, 0.018631f, -14));
    int perm = ci32(c, "perm", 1, (int32_t[]){4}, (int32_t[]){0, 2, 3, 1});
    int t = oc_tensor(c, "t", T_I8, 4, (int32_t[]){1, 40, 36, 3}, qfor(&q2, T_I8, 0.018631f, -14));
    int pads = ci32(c, "pads", 2, (int32_t[]){4, 2}, (int32_t[]){0, 0, 1, 1, 1, 1, 0, 0});
    int y = oc_output(c, "y", T_I8, 4, (int32_t[]){1, 42, 38, 3}, qfor(&q3, T_I8, 0.018631f, -14));
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    uint32_t o1 = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE, 2, (int32_t[]){x, perm}, 2, (int32_t[]){t}, 1, TFLC_TFL_BUILTIN_OPTIONS_TRANSPOSE_OPTIONS, o1);
    tflc_fbb_table_start(f);
    uint32_t o2 = tflc_fbb_table_end(f);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_PAD, 2, (int32_t[]){t, pads}, 2, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_PAD_OPTIONS, o2);
    oc_end(c);
}
