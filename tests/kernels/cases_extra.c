/* "Extra" ops checked against Google's TFLite: comparisons, SELECT/SELECT_V2, logical ops,
 * REVERSE_V2, TILE, BROADCAST_TO, FILL, ZEROS_LIKE, SPLIT_V, MIRROR_PAD, ARG_MAX/ARG_MIN,
 * REDUCE_MIN/REDUCE_PROD, FLOOR/CEIL/ROUND/SQUARE/SIN/COS, POW, FLOOR_DIV, FLOOR_MOD, CUMSUM,
 * SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, EMBEDDING_LOOKUP.
 * Copies, comparisons and integer arithmetic must be exact; float arithmetic uses 1e-6
 * (libm differences between the WASM build and glibc: sin, cos, pow). Float comparisons get
 * ties by comparing FLOOR(x) with small integers (a two-op model). Cases Google's 2022 WASM
 * runtime refuses are checked by hand in test_extra.c instead: int16 comparisons (EQUAL v4,
 * GREATER_EQUAL/LESS v3; the others have no int16 in TFLite), SELECT v3 (5-D), REVERSE_V2
 * with several axes (the 2022 kernel reverses only the first one), int16 TILE, MIRROR_PAD
 * v3, SPACE_TO_BATCH_ND/BATCH_TO_SPACE_ND v4, FLOOR_DIV v3 / FLOOR_MOD v2 (int8, int16).
 * REDUCE_PROD int16 shows TFLite's int32 wrap of running products (kept, see reduce_prod.c). */
#include <string.h>

#include "op_cases.h"

#define T_F32 TFLC_DTYPE_FLOAT32
#define T_I8 TFLC_DTYPE_INT8
#define T_U8 TFLC_DTYPE_UINT8
#define T_I16 TFLC_DTYPE_INT16
#define T_I32 TFLC_DTYPE_INT32
#define T_I64 TFLC_DTYPE_INT64
#define T_BOOL TFLC_DTYPE_BOOL
#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x
#define OPT(x) TFLC_TFL_BUILTIN_OPTIONS_##x
#define D(...) ((const int32_t[]){__VA_ARGS__})
#define SCALAR ((const int32_t[]){1})

#define EXACT "int 0 1"
#define FEXACT "float 0"

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
static int op1(struct oc *c, int32_t code, int v, const int32_t *in, int nin, int out, uint8_t ot, uint32_t oref) {
    return oc_op(c, code, v, in, nin, (int32_t[]){out}, 1, ot, oref);
}

/* ---- comparisons ---- */

static const struct { int32_t code; const char *name; bool has_bool; } CMP[] = {
    {OP(EQUAL), "equal", true},     {OP(NOT_EQUAL), "not_equal", true}, {OP(GREATER), "greater", false},
    {OP(GREATER_EQUAL), "greater_equal", false}, {OP(LESS), "less", false}, {OP(LESS_EQUAL), "less_equal", false},
};

/* TFLite's op_version for a comparison input type. */
static int cmp_version(int32_t code, enum tflc_dtype t) {
    if (t == T_I8) return 2;
    if (t == T_I16) return (code == OP(EQUAL) || code == OP(NOT_EQUAL)) ? 4 : 3;
    return 1;
}

/* a (rank ra) vs b (rank rb), both inputs; quantized with the given params. */
static void cmp_case(int k, enum tflc_dtype t, const char *tag, int ra, const int32_t *da, int rb, const int32_t *db,
                     int ro, const int32_t *dout, float sa, int za, float sb, int zb) {
    char n[96];
    snprintf(n, sizeof n, "%s_%s_%s", CMP[k].name, tname(t), tag);
    struct oc *c = oc_begin(n, EXACT);
    if (!c) return;
    struct qp pa, pb;
    int a = oc_input(c, "a", t, ra, da, qfor(&pa, t, sa, za));
    int b = oc_input(c, "b", t, rb, db, qfor(&pb, t, sb, zb));
    int y = oc_output(c, "y", T_BOOL, ro, dout, NULL);
    op1(c, CMP[k].code, cmp_version(CMP[k].code, t), (int32_t[]){a, b}, 2, y, 0, 0);
    oc_end(c);
}

/* float with ties: FLOOR(x) (x in [-3, 3)) against a constant of small integers. */
static void cmp_float_ties(int k) {
    char n[96];
    snprintf(n, sizeof n, "%s_f32_ties_bcast", CMP[k].name);
    struct oc *c = oc_begin(n, EXACT);
    if (!c) return;
    int x = oc_input(c, "x", T_F32, 3, D(2, 3, 4), NULL);
    oc_input_range(c, x, -3, 3);
    int f = oc_tensor(c, "fx", T_F32, 3, D(2, 3, 4), NULL);
    float kv[4] = {-1, 0, 1, 2};
    int b = oc_const(c, "k", T_F32, 1, D(4), kv, NULL);
    int y = oc_output(c, "y", T_BOOL, 3, D(2, 3, 4), NULL);
    op1(c, OP(FLOOR), 1, (int32_t[]){x}, 1, f, 0, 0);
    op1(c, CMP[k].code, 1, (int32_t[]){f, b}, 2, y, 0, 0);
    oc_end(c);
}

OC_GENERATOR(extra_compare) {
    for (int k = 0; k < 6; k++) {
        cmp_float_ties(k);
        cmp_case(k, T_F32, "same", 2, D(3, 5), 2, D(3, 5), 2, D(3, 5), 0, 0, 0, 0);
        cmp_case(k, T_F32, "bcast", 4, D(2, 1, 3, 1), 3, D(4, 1, 5), 4, D(2, 4, 3, 5), 0, 0, 0, 0);
        cmp_case(k, T_I32, "bcast", 2, D(4, 5), 1, D(5), 2, D(4, 5), 0, 0, 0, 0);
        cmp_case(k, T_I64, "same", 2, D(4, 5), 2, D(4, 5), 2, D(4, 5), 0, 0, 0, 0);
        /* int8/uint8: same params (raw order), different scales/zero points (rescaled). */
        cmp_case(k, T_I8, "sameq", 2, D(8, 9), 2, D(8, 9), 2, D(8, 9), 0.05f, -3, 0.05f, -3);
        cmp_case(k, T_I8, "diffq", 2, D(8, 9), 2, D(8, 9), 2, D(8, 9), 0.05f, -3, 0.11f, 20);
        cmp_case(k, T_I8, "diffq_bcast", 3, D(2, 8, 9), 1, D(9), 3, D(2, 8, 9), 0.02f, 127, 0.07f, -128);
        cmp_case(k, T_U8, "diffq", 2, D(8, 9), 2, D(8, 9), 2, D(8, 9), 0.03f, 128, 0.5f, 250);
        cmp_case(k, T_I8, "tinyscale", 2, D(8, 9), 2, D(8, 9), 2, D(8, 9), 0.0005f, 0, 0.0006f, 1);
        if (CMP[k].has_bool) cmp_case(k, T_BOOL, "bcast", 2, D(4, 5), 2, D(1, 5), 2, D(4, 5), 0, 0, 0, 0);
    }
}

/* ---- SELECT / SELECT_V2 / logical ---- */

static void select_case(const char *name, int32_t code, int v, enum tflc_dtype t, int rc, const int32_t *dc, int rx,
                        const int32_t *dx, int ry, const int32_t *dy, int ro, const int32_t *dout) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int cd = oc_input(c, "cond", T_BOOL, rc, dc, NULL);
    int x = in_q(c, "x", t, rx, dx), yi = in_q(c, "y_in", t, ry, dy);
    int y = out_q(c, "y", t, ro, dout);
    op1(c, code, v, (int32_t[]){cd, x, yi}, 3, y, 0, 0);
    oc_end(c);
}

static void logical_case(const char *name, int32_t code, int ra, const int32_t *da, int rb, const int32_t *db, int ro,
                         const int32_t *dout) {
    struct oc *c = oc_begin(name, EXACT);
    if (!c) return;
    int a = oc_input(c, "a", T_BOOL, ra, da, NULL);
    int32_t ins[2] = {a, 0};
    int nin = 1;
    if (db) ins[nin++] = oc_input(c, "b", T_BOOL, rb, db, NULL);
    int y = oc_output(c, "y", T_BOOL, ro, dout, NULL);
    op1(c, code, 1, ins, nin, y, 0, 0);
    oc_end(c);
}

OC_GENERATOR(extra_select) {
    static const enum tflc_dtype ts[] = {T_F32, T_I8, T_U8, T_I16, T_I32, T_I64, T_BOOL};
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        char n[64];
        int v1 = ts[i] == T_I8 ? 2 : 1;
        snprintf(n, sizeof n, "select_%s_same", tname(ts[i]));
        select_case(n, OP(SELECT), v1, ts[i], 3, D(2, 3, 4), 3, D(2, 3, 4), 3, D(2, 3, 4), 3, D(2, 3, 4));
        snprintf(n, sizeof n, "select_v2_%s_bcast", tname(ts[i]));
        select_case(n, OP(SELECT_V2), 1, ts[i], 2, D(3, 1), 3, D(2, 1, 4), 1, D(4), 3, D(2, 3, 4));
    }
    select_case("select_f32_scalar_cond", OP(SELECT), 1, T_F32, 0, SCALAR, 2, D(3, 4), 2, D(3, 4), 2, D(3, 4));
    select_case("select_f32_rank1_cond", OP(SELECT), 1, T_F32, 1, D(3), 3, D(3, 2, 2), 3, D(3, 2, 2), 3, D(3, 2, 2));
    select_case("select_s8_rank1_cond", OP(SELECT), 2, T_I8, 1, D(4), 2, D(4, 5), 2, D(4, 5), 2, D(4, 5));
    select_case("select_v2_f32_scalar_xy", OP(SELECT_V2), 1, T_F32, 2, D(3, 4), 0, SCALAR, 2, D(3, 4), 2, D(3, 4));
    logical_case("logical_and_bcast", OP(LOGICAL_AND), 3, D(2, 3, 4), 2, D(3, 1), 3, D(2, 3, 4));
    logical_case("logical_or_bcast", OP(LOGICAL_OR), 2, D(1, 5), 2, D(4, 1), 2, D(4, 5));
    logical_case("logical_and_same", OP(LOGICAL_AND), 1, D(17), 1, D(17), 1, D(17));
    logical_case("logical_not", OP(LOGICAL_NOT), 3, D(2, 3, 4), 0, NULL, 3, D(2, 3, 4));
}

/* ---- REVERSE_V2, TILE, BROADCAST_TO, FILL, ZEROS_LIKE ---- */

static void reverse_case(const char *name, enum tflc_dtype t, int v, int rank, const int32_t *dims, int nax,
                         const int32_t *axes) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int x = in_q(c, "x", t, rank, dims);
    int ax = ci32(c, "axis", 1, D(nax), axes);
    int y = out_q(c, "y", t, rank, dims);
    op1(c, OP(REVERSE_V2), v, (int32_t[]){x, ax}, 2, y, 0, 0);
    oc_end(c);
}

static void tile_case(const char *name, enum tflc_dtype t, int v, int rank, const int32_t *dims, const int32_t *m,
                      bool m64) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int x = in_q(c, "x", t, rank, dims);
    int mt;
    if (m64) {
        int64_t mv[TFLC_MAX_DIMS];
        for (int i = 0; i < rank; i++) mv[i] = m[i];
        mt = oc_const(c, "m", T_I64, 1, D(rank), mv, NULL);
    } else {
        mt = ci32(c, "m", 1, D(rank), m);
    }
    int32_t od[TFLC_MAX_DIMS];
    for (int i = 0; i < rank; i++) od[i] = dims[i] * m[i];
    int y = out_q(c, "y", t, rank, od);
    op1(c, OP(TILE), v, (int32_t[]){x, mt}, 2, y, 0, 0);
    oc_end(c);
}

static void bcast_to_case(const char *name, enum tflc_dtype t, int v, int rank, const int32_t *dims, int orank,
                          const int32_t *od) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int x = in_q(c, "x", t, rank, dims);
    int s = ci32(c, "shape", 1, D(orank), od);
    int y = out_q(c, "y", t, orank, od);
    op1(c, OP(BROADCAST_TO), v, (int32_t[]){x, s}, 2, y, 0, 0);
    oc_end(c);
}

static void fill_case(const char *name, enum tflc_dtype t, int v, int rank, const int32_t *od) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int s = ci32(c, "dims", 1, D(rank), od);
    int val = in_q(c, "value", t, 0, SCALAR);
    int y = out_q(c, "y", t, rank, od);
    op1(c, OP(FILL), v, (int32_t[]){s, val}, 2, y, 0, 0);
    oc_end(c);
}

static void zeros_like_case(const char *name, enum tflc_dtype t) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int x = in_q(c, "x", t, 3, D(2, 3, 4));
    int y = out_q(c, "y", t, 3, D(2, 3, 4));
    op1(c, OP(ZEROS_LIKE), 1, (int32_t[]){x}, 1, y, 0, 0);
    oc_end(c);
}

OC_GENERATOR(extra_movement) {
    reverse_case("reverse_v2_f32_axis1", T_F32, 1, 4, D(2, 3, 4, 5), 1, D(1));
    reverse_case("reverse_v2_f32_axis0", T_F32, 1, 2, D(6, 3), 1, D(0));
    reverse_case("reverse_v2_f32_last", T_F32, 1, 3, D(2, 3, 7), 1, D(2));
    reverse_case("reverse_v2_f32_neg", T_F32, 1, 3, D(2, 3, 7), 1, D(-1));
    reverse_case("reverse_v2_s32", T_I32, 1, 2, D(4, 5), 1, D(1));
    reverse_case("reverse_v2_u8", T_U8, 1, 3, D(2, 5, 3), 1, D(1));
    reverse_case("reverse_v2_s16", T_I16, 1, 3, D(2, 5, 3), 1, D(1));
    reverse_case("reverse_v2_s64", T_I64, 1, 2, D(3, 5), 1, D(0));
    reverse_case("reverse_v2_bool", T_BOOL, 2, 2, D(3, 5), 1, D(1));
    reverse_case("reverse_v2_s8", T_I8, 3, 3, D(2, 5, 3), 1, D(1));
    tile_case("tile_f32", T_F32, 1, 3, D(2, 3, 4), D(2, 1, 3), false);
    tile_case("tile_f32_m64", T_F32, 1, 2, D(2, 3), D(3, 2), true);
    tile_case("tile_u8", T_U8, 1, 2, D(2, 3), D(2, 2), false);
    tile_case("tile_s32", T_I32, 1, 1, D(5), D(3), false);
    tile_case("tile_s64", T_I64, 1, 2, D(2, 3), D(1, 4), false);
    tile_case("tile_bool", T_BOOL, 1, 2, D(2, 3), D(2, 2), false);
    tile_case("tile_s8", T_I8, 3, 4, D(1, 2, 2, 3), D(2, 1, 3, 1), false);
    bcast_to_case("broadcast_to_f32", T_F32, 2, 2, D(1, 4), 3, D(2, 3, 4));
    bcast_to_case("broadcast_to_f32_mid", T_F32, 2, 3, D(2, 1, 4), 3, D(2, 3, 4));
    bcast_to_case("broadcast_to_s32", T_I32, 2, 1, D(3), 2, D(4, 3));
    bcast_to_case("broadcast_to_bool", T_BOOL, 2, 2, D(3, 1), 2, D(3, 5));
    bcast_to_case("broadcast_to_s8", T_I8, 3, 2, D(3, 1), 4, D(2, 2, 3, 5));
    bcast_to_case("broadcast_to_s16", T_I16, 3, 2, D(3, 1), 3, D(2, 3, 5));
    fill_case("fill_f32", T_F32, 1, 3, D(2, 3, 4));
    fill_case("fill_s32", T_I32, 1, 2, D(5, 2));
    fill_case("fill_s64", T_I64, 1, 1, D(7));
    fill_case("fill_bool", T_BOOL, 2, 2, D(3, 3));
    fill_case("fill_s8", T_I8, 3, 2, D(3, 3));
    fill_case("fill_s16", T_I16, 3, 2, D(3, 3));
    zeros_like_case("zeros_like_f32", T_F32);
    zeros_like_case("zeros_like_s32", T_I32);
    zeros_like_case("zeros_like_s64", T_I64);
}

/* ---- SPLIT_V, MIRROR_PAD ---- */

static void split_v_case(const char *name, enum tflc_dtype t, int v, int rank, const int32_t *dims, int axis, int n,
                         const int32_t *sizes) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int x = in_q(c, "x", t, rank, dims);
    int sz = ci32(c, "sizes", 1, D(n), sizes);
    int ax = ci32(c, "axis", 0, SCALAR, (int32_t[]){axis});
    int a = axis < 0 ? axis + rank : axis, known = 0, unk = -1;
    for (int k = 0; k < n; k++) {
        if (sizes[k] < 0) unk = k;
        else known += sizes[k];
    }
    int32_t outs[8];
    for (int k = 0; k < n; k++) {
        int32_t od[TFLC_MAX_DIMS];
        for (int i = 0; i < rank; i++) od[i] = dims[i];
        od[a] = k == unk ? dims[a] - known : sizes[k];
        char on[16];
        snprintf(on, sizeof on, "y%d", k);
        outs[k] = out_q(c, on, t, rank, od);
    }
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i32(f, TFLC_TFL_SPLIT_V_OPTIONS_NUM_SPLITS, n, 0);
    uint32_t o = tflc_fbb_table_end(f);
    oc_op(c, OP(SPLIT_V), v, (int32_t[]){x, sz, ax}, 3, outs, n, OPT(SPLIT_V_OPTIONS), o);
    oc_end(c);
}

static void mirror_case(const char *name, enum tflc_dtype t, int v, int mode, int rank, const int32_t *dims,
                        const int32_t *pads, bool p64) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int x = in_q(c, "x", t, rank, dims);
    int p;
    if (p64) {
        int64_t pv[2 * TFLC_MAX_DIMS];
        for (int i = 0; i < 2 * rank; i++) pv[i] = pads[i];
        p = oc_const(c, "pads", T_I64, 2, D(rank, 2), pv, NULL);
    } else {
        p = ci32(c, "pads", 2, D(rank, 2), pads);
    }
    int32_t od[TFLC_MAX_DIMS];
    for (int i = 0; i < rank; i++) od[i] = dims[i] + pads[2 * i] + pads[2 * i + 1];
    int y = out_q(c, "y", t, rank, od);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_MIRROR_PAD_OPTIONS_MODE, (int8_t)mode, 0);
    uint32_t o = tflc_fbb_table_end(f);
    op1(c, OP(MIRROR_PAD), v, (int32_t[]){x, p}, 2, y, OPT(MIRROR_PAD_OPTIONS), o);
    oc_end(c);
}

OC_GENERATOR(extra_split_pad) {
    split_v_case("split_v_f32", T_F32, 1, 3, D(2, 9, 3), 1, 3, D(2, 3, 4));
    split_v_case("split_v_f32_unknown", T_F32, 1, 3, D(2, 9, 3), 1, 3, D(2, -1, 4));
    split_v_case("split_v_f32_neg_axis", T_F32, 1, 3, D(2, 3, 8), -1, 2, D(5, 3));
    split_v_case("split_v_f32_axis0", T_F32, 1, 2, D(7, 3), 0, 4, D(1, 2, 0, 4));
    split_v_case("split_v_s8", T_I8, 2, 2, D(4, 6), 1, 2, D(1, 5));
    split_v_case("split_v_u8", T_U8, 1, 2, D(4, 6), 0, 2, D(3, 1));
    split_v_case("split_v_s16", T_I16, 1, 2, D(4, 6), 1, 3, D(2, 2, 2));
    split_v_case("split_v_s32", T_I32, 1, 2, D(4, 6), 1, 2, D(4, 2));
    split_v_case("split_v_s64", T_I64, 1, 2, D(4, 6), 1, 2, D(4, 2));
    static const int32_t p2[] = {1, 2, 2, 1}, p4[] = {0, 0, 1, 2, 2, 1, 0, 0}, p3s[] = {2, 3, 0, 0, 3, 3};
    for (int mode = 0; mode < 2; mode++) {
        char n[64];
        const char *m = mode ? "symmetric" : "reflect";
        snprintf(n, sizeof n, "mirror_pad_f32_%s", m);
        mirror_case(n, T_F32, 1, mode, 2, D(4, 3), p2, false);
        snprintf(n, sizeof n, "mirror_pad_f32_4d_%s", m);
        mirror_case(n, T_F32, 1, mode, 4, D(1, 4, 5, 2), p4, false);
        snprintf(n, sizeof n, "mirror_pad_s8_%s", m);
        mirror_case(n, T_I8, 2, mode, 4, D(1, 4, 5, 2), p4, false);
        snprintf(n, sizeof n, "mirror_pad_u8_%s", m);
        mirror_case(n, T_U8, 1, mode, 2, D(4, 3), p2, false);
        snprintf(n, sizeof n, "mirror_pad_s32_p64_%s", m);
        mirror_case(n, T_I32, 1, mode, 2, D(4, 3), p2, true);
    }
    mirror_case("mirror_pad_f32_3d_max_symmetric", T_F32, 1, 1, 3, D(3, 2, 3), p3s, false);
}

/* ---- ARG_MAX / ARG_MIN, REDUCE_MIN / REDUCE_PROD ---- */

static void arg_case(const char *name, int32_t code, enum tflc_dtype t, int v, int rank, const int32_t *dims, int axis,
                     enum tflc_dtype ot, bool ax64) {
    struct oc *c = oc_begin(name, EXACT);
    if (!c) return;
    int x = in_q(c, "x", t, rank, dims);
    int ax = ax64 ? oc_const(c, "axis", T_I64, 1, D(1), (int64_t[]){axis}, NULL) : ci32(c, "axis", 1, D(1), (int32_t[]){axis});
    if (t == T_F32) oc_input_range(c, x, -4, 4);
    int32_t od[TFLC_MAX_DIMS];
    int r = 0, a = axis < 0 ? axis + rank : axis;
    for (int i = 0; i < rank; i++)
        if (i != a) od[r++] = dims[i];
    int y = oc_output(c, "y", ot, r, od, NULL);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_ARG_MAX_OPTIONS_OUTPUT_TYPE, (int8_t)ot, 0);
    uint32_t o = tflc_fbb_table_end(f);
    op1(c, code, v, (int32_t[]){x, ax}, 2, y, code == OP(ARG_MAX) ? OPT(ARG_MAX_OPTIONS) : OPT(ARG_MIN_OPTIONS), o);
    oc_end(c);
}

static void reduce_case(const char *name, int32_t code, enum tflc_dtype t, int v, int rank, const int32_t *dims, int nax,
                        const int32_t *axes, bool keep, float so, int zo, double lo, double hi) {
    struct oc *c = oc_begin(name, t == T_F32 ? "float 1e-6" : EXACT);
    if (!c) return;
    struct qp pi, po;
    int x = oc_input(c, "x", t, rank, dims, qfor(&pi, t, dscale(t), dzp(t)));
    if (hi > lo) oc_input_range(c, x, lo, hi);
    int ax = ci32(c, "axes", 1, D(nax), axes);
    bool red[TFLC_MAX_DIMS] = {false};
    for (int i = 0; i < nax; i++) red[axes[i] < 0 ? axes[i] + rank : axes[i]] = true;
    int32_t od[TFLC_MAX_DIMS];
    int r = 0;
    for (int i = 0; i < rank; i++) {
        if (!red[i]) od[r++] = dims[i];
        else if (keep) od[r++] = 1;
    }
    int y = oc_output(c, "y", t, r, od, qfor(&po, t, so > 0 ? so : dscale(t), so > 0 ? zo : dzp(t)));
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_REDUCER_OPTIONS_KEEP_DIMS, keep, false);
    uint32_t o = tflc_fbb_table_end(f);
    op1(c, code, v, (int32_t[]){x, ax}, 2, y, OPT(REDUCER_OPTIONS), o);
    oc_end(c);
}

OC_GENERATOR(extra_reduce) {
    static const int32_t code[2] = {OP(ARG_MAX), OP(ARG_MIN)};
    static const char *nm[2] = {"arg_max", "arg_min"};
    for (int k = 0; k < 2; k++) {
        char n[64];
        snprintf(n, sizeof n, "%s_f32_axis1_i32", nm[k]);
        arg_case(n, code[k], T_F32, 1, 3, D(2, 7, 3), 1, T_I32, false);
        snprintf(n, sizeof n, "%s_f32_last_i64", nm[k]);
        arg_case(n, code[k], T_F32, 1, 2, D(4, 9), -1, T_I64, false);
        snprintf(n, sizeof n, "%s_f32_axis0_ax64", nm[k]);
        arg_case(n, code[k], T_F32, 1, 2, D(5, 3), 0, T_I32, true);
        snprintf(n, sizeof n, "%s_s8_ties", nm[k]);
        arg_case(n, code[k], T_I8, 2, 3, D(2, 40, 3), 1, T_I32, false);
        snprintf(n, sizeof n, "%s_u8", nm[k]);
        arg_case(n, code[k], T_U8, 1, 2, D(3, 50), 1, T_I64, false);
        snprintf(n, sizeof n, "%s_s32_ties", nm[k]);
        arg_case(n, code[k], T_I32, 1, 2, D(6, 8), 1, T_I32, false);
        snprintf(n, sizeof n, "%s_bool", nm[k]);
        arg_case(n, code[k], T_BOOL, 3, 2, D(6, 5), 1, T_I32, false);
    }
    reduce_case("reduce_min_f32_axis1", OP(REDUCE_MIN), T_F32, 1, 3, D(2, 5, 3), 1, D(1), false, 0, 0, 0, 0);
    reduce_case("reduce_min_f32_keep_multi", OP(REDUCE_MIN), T_F32, 1, 4, D(2, 3, 4, 5), 2, D(1, -1), true, 0, 0, 0, 0);
    reduce_case("reduce_min_f32_all", OP(REDUCE_MIN), T_F32, 1, 2, D(4, 5), 2, D(0, 1), false, 0, 0, 0, 0);
    reduce_case("reduce_min_s8", OP(REDUCE_MIN), T_I8, 2, 3, D(2, 5, 3), 1, D(1), false, 0, 0, 0, 0);
    reduce_case("reduce_min_s8_keep", OP(REDUCE_MIN), T_I8, 2, 4, D(1, 4, 4, 3), 2, D(1, 2), true, 0, 0, 0, 0);
    reduce_case("reduce_min_u8", OP(REDUCE_MIN), T_U8, 1, 2, D(4, 5), 1, D(0), false, 0, 0, 0, 0);
    reduce_case("reduce_min_s16", OP(REDUCE_MIN), T_I16, 3, 2, D(4, 5), 1, D(1), false, 0, 0, 0, 0);
    reduce_case("reduce_min_s32", OP(REDUCE_MIN), T_I32, 1, 2, D(4, 5), 1, D(1), false, 0, 0, 0, 0);
    reduce_case("reduce_min_s64", OP(REDUCE_MIN), T_I64, 1, 2, D(4, 5), 1, D(1), false, 0, 0, 0, 0);
    reduce_case("reduce_prod_f32", OP(REDUCE_PROD), T_F32, 1, 3, D(2, 5, 3), 1, D(1), false, 0, 0, 0.5, 1.5);
    reduce_case("reduce_prod_f32_keep_multi", OP(REDUCE_PROD), T_F32, 1, 3, D(2, 4, 3), 2, D(0, 2), true, 0, 0, -1.2, 1.2);
    reduce_case("reduce_prod_s32", OP(REDUCE_PROD), T_I32, 1, 2, D(4, 5), 1, D(1), false, 0, 0, -3, 3);
    reduce_case("reduce_prod_s64", OP(REDUCE_PROD), T_I64, 1, 2, D(4, 5), 1, D(0), false, 0, 0, -5, 5);
    /* int8 quantized: inputs about [-2.4, 2.4] (s 0.02 zp 0 over [-120, 120]), products of 3. */
    reduce_case("reduce_prod_s8", OP(REDUCE_PROD), T_I8, 2, 3, D(2, 3, 4), 1, D(1), false, 0.1f, 5, 0, 0);
    reduce_case("reduce_prod_s8_keep", OP(REDUCE_PROD), T_I8, 2, 3, D(2, 3, 4), 2, D(0, 2), true, 0.5f, -10, 0, 0);
    reduce_case("reduce_prod_s16", OP(REDUCE_PROD), T_I16, 2, 2, D(3, 4), 1, D(1), false, 0.002f, 0, 0, 0);
}

/* ---- elementwise float ops, POW, FLOOR_DIV, FLOOR_MOD ---- */

static void unary_case(const char *name, int32_t code, double lo, double hi, const char *tol) {
    struct oc *c = oc_begin(name, tol);
    if (!c) return;
    int x = oc_input(c, "x", T_F32, 3, D(2, 7, 5), NULL);
    oc_input_range(c, x, lo, hi);
    int y = oc_output(c, "y", T_F32, 3, D(2, 7, 5), NULL);
    op1(c, code, 1, (int32_t[]){x}, 1, y, 0, 0);
    oc_end(c);
}

static uint32_t mul_opts(struct oc *c) {
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_MUL_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0, 0);
    return tflc_fbb_table_end(f);
}

/* ROUND of exact halves: ROUND(FLOOR(x * 2) * 0.5), x in [-6, 6). */
static void round_halves_case(void) {
    struct oc *c = oc_begin("round_f32_halves", FEXACT);
    if (!c) return;
    int x = oc_input(c, "x", T_F32, 2, D(8, 9), NULL);
    oc_input_range(c, x, -6, 6);
    int two = oc_const(c, "two", T_F32, 0, SCALAR, (float[]){2.0f}, NULL);
    int half = oc_const(c, "half", T_F32, 0, SCALAR, (float[]){0.5f}, NULL);
    int t1 = oc_tensor(c, "t1", T_F32, 2, D(8, 9), NULL), t2 = oc_tensor(c, "t2", T_F32, 2, D(8, 9), NULL);
    int t3 = oc_tensor(c, "t3", T_F32, 2, D(8, 9), NULL);
    int y = oc_output(c, "y", T_F32, 2, D(8, 9), NULL);
    op1(c, OP(MUL), 1, (int32_t[]){x, two}, 2, t1, OPT(MUL_OPTIONS), mul_opts(c));
    op1(c, OP(FLOOR), 1, (int32_t[]){t1}, 1, t2, 0, 0);
    op1(c, OP(MUL), 1, (int32_t[]){t2, half}, 2, t3, OPT(MUL_OPTIONS), mul_opts(c));
    op1(c, OP(ROUND), 1, (int32_t[]){t3}, 1, y, 0, 0);
    oc_end(c);
}

static void binary_case(const char *name, int32_t code, int v, enum tflc_dtype t, int ra, const int32_t *da, int rb,
                        const int32_t *db, int ro, const int32_t *dout, double alo, double ahi, double blo, double bhi,
                        const char *tol) {
    struct oc *c = oc_begin(name, tol);
    if (!c) return;
    int a = oc_input(c, "a", t, ra, da, NULL);
    int b = oc_input(c, "b", t, rb, db, NULL);
    oc_input_range(c, a, alo, ahi);
    oc_input_range(c, b, blo, bhi);
    int y = oc_output(c, "y", t, ro, dout, NULL);
    op1(c, code, v, (int32_t[]){a, b}, 2, y, 0, 0);
    oc_end(c);
}

OC_GENERATOR(extra_elementwise) {
    unary_case("floor_f32", OP(FLOOR), -5, 5, FEXACT);
    unary_case("ceil_f32", OP(CEIL), -5, 5, FEXACT);
    unary_case("round_f32", OP(ROUND), -5, 5, FEXACT);
    round_halves_case();
    unary_case("square_f32", OP(SQUARE), -5, 5, FEXACT);
    unary_case("sin_f32", OP(SIN), -7, 7, "float 1e-6");
    unary_case("cos_f32", OP(COS), -7, 7, "float 1e-6");
    binary_case("pow_f32", OP(POW), 1, T_F32, 2, D(4, 5), 2, D(4, 5), 2, D(4, 5), 0.1, 3, -2, 2, "float 1e-6");
    binary_case("pow_f32_bcast", OP(POW), 1, T_F32, 3, D(2, 3, 4), 1, D(4), 3, D(2, 3, 4), 0.1, 3, -2, 2, "float 1e-6");
    binary_case("pow_s32", OP(POW), 1, T_I32, 2, D(4, 5), 2, D(4, 5), 2, D(4, 5), -9, 9, 0, 7, EXACT);
    binary_case("pow_s32_bcast", OP(POW), 1, T_I32, 2, D(4, 5), 0, SCALAR, 2, D(4, 5), -30, 30, 3, 3, EXACT);
    binary_case("floor_div_f32", OP(FLOOR_DIV), 2, T_F32, 2, D(4, 5), 2, D(4, 5), 2, D(4, 5), -10, 10, 0.3, 4, FEXACT);
    binary_case("floor_div_f32_neg_bcast", OP(FLOOR_DIV), 2, T_F32, 3, D(2, 4, 5), 1, D(5), 3, D(2, 4, 5), -10, 10, -4, -0.3,
                FEXACT);
    binary_case("floor_div_s32", OP(FLOOR_DIV), 1, T_I32, 2, D(6, 5), 2, D(6, 5), 2, D(6, 5), -50, 50, 1, 9, EXACT);
    binary_case("floor_div_s32_neg", OP(FLOOR_DIV), 1, T_I32, 2, D(6, 5), 1, D(5), 2, D(6, 5), -50, 50, -9, -1, EXACT);
    binary_case("floor_mod_f32", OP(FLOOR_MOD), 1, T_F32, 2, D(4, 5), 2, D(4, 5), 2, D(4, 5), -10, 10, 0.3, 4, FEXACT);
    binary_case("floor_mod_f32_neg_bcast", OP(FLOOR_MOD), 1, T_F32, 3, D(2, 4, 5), 1, D(5), 3, D(2, 4, 5), -10, 10, -4, -0.3,
                FEXACT);
    binary_case("floor_mod_s32", OP(FLOOR_MOD), 1, T_I32, 2, D(6, 5), 2, D(6, 5), 2, D(6, 5), -50, 50, 1, 9, EXACT);
    binary_case("floor_mod_s32_neg", OP(FLOOR_MOD), 1, T_I32, 2, D(6, 5), 1, D(5), 2, D(6, 5), -50, 50, -9, -1, EXACT);
    binary_case("floor_mod_s64", OP(FLOOR_MOD), 1, T_I64, 2, D(6, 5), 2, D(6, 5), 2, D(6, 5), -50, 50, -9, -1, EXACT);
}

/* ---- CUMSUM, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, EMBEDDING_LOOKUP ---- */

static void cumsum_case(const char *name, enum tflc_dtype t, int rank, const int32_t *dims, int axis, bool excl, bool rev) {
    struct oc *c = oc_begin(name, t == T_F32 ? "float 1e-6" : EXACT);
    if (!c) return;
    int x = oc_input(c, "x", t, rank, dims, NULL);
    if (t != T_F32) oc_input_range(c, x, -100, 100);
    int ax = ci32(c, "axis", 0, SCALAR, (int32_t[]){axis});
    int y = oc_output(c, "y", t, rank, dims, NULL);
    struct tflc_fbb *f = oc_fbb(c);
    tflc_fbb_table_start(f);
    tflc_fbb_add_bool(f, TFLC_TFL_CUMSUM_OPTIONS_EXCLUSIVE, excl, false);
    tflc_fbb_add_bool(f, TFLC_TFL_CUMSUM_OPTIONS_REVERSE, rev, false);
    uint32_t o = tflc_fbb_table_end(f);
    op1(c, OP(CUMSUM), 1, (int32_t[]){x, ax}, 2, y, OPT(CUMSUM_OPTIONS), o);
    oc_end(c);
}

static void s2b_case(const char *name, bool to_batch, enum tflc_dtype t, int v, int rank, const int32_t *dims,
                     const int32_t *block, const int32_t *pads, const int32_t *od) {
    struct oc *c = oc_begin(name, tol_for(t));
    if (!c) return;
    int sp = rank - 2;
    int x = in_q(c, "x", t, rank, dims);
    int b = ci32(c, "block", 1, D(sp), block);
    int p = ci32(c, "pads", 2, D(sp, 2), pads);
    int y = out_q(c, "y", t, rank, od);
    op1(c, to_batch ? OP(SPACE_TO_BATCH_ND) : OP(BATCH_TO_SPACE_ND), v, (int32_t[]){x, b, p}, 3, y, 0, 0);
    oc_end(c);
}

static void embedding_case(const char *name, enum tflc_dtype vt, enum tflc_dtype ot, int v) {
    struct oc *c = oc_begin(name, ot == T_F32 ? FEXACT : EXACT);
    if (!c) return;
    int ids = oc_input(c, "ids", T_I32, 1, D(6), NULL); /* random in [0, 9] */
    struct qp p;
    int val = oc_const(c, "table", vt, 3, D(10, 2, 3), NULL, qfor(&p, vt, 0.037f, vt == T_U8 ? 120 : 4));
    int y = oc_output(c, "y", ot, 3, D(6, 2, 3), NULL);
    op1(c, OP(EMBEDDING_LOOKUP), v, (int32_t[]){ids, val}, 2, y, 0, 0);
    oc_end(c);
}

OC_GENERATOR(extra_misc) {
    cumsum_case("cumsum_f32_axis1", T_F32, 3, D(2, 6, 3), 1, false, false);
    cumsum_case("cumsum_f32_exclusive", T_F32, 3, D(2, 6, 3), 1, true, false);
    cumsum_case("cumsum_f32_reverse", T_F32, 3, D(2, 6, 3), -1, false, true);
    cumsum_case("cumsum_f32_excl_rev", T_F32, 2, D(5, 7), 0, true, true);
    cumsum_case("cumsum_s32", T_I32, 2, D(4, 9), 1, false, false);
    cumsum_case("cumsum_s32_excl_rev", T_I32, 2, D(4, 9), 1, true, true);
    cumsum_case("cumsum_s64_axis0", T_I64, 2, D(4, 9), 0, false, true);
    /* SPACE_TO_BATCH_ND: [1,4,6,2] pads h(1,1) w(0,2) -> [1,6,8,2] / block (2,4) -> [8,3,2,2] */
    s2b_case("space_to_batch_nd_f32", true, T_F32, 1, 4, D(1, 4, 6, 2), D(2, 4), D(1, 1, 0, 2), D(8, 3, 2, 2));
    s2b_case("space_to_batch_nd_f32_nopad", true, T_F32, 1, 4, D(2, 4, 4, 3), D(2, 2), D(0, 0, 0, 0), D(8, 2, 2, 3));
    s2b_case("space_to_batch_nd_s8_pad_zp", true, T_I8, 2, 4, D(2, 3, 3, 2), D(2, 2), D(1, 0, 0, 1), D(8, 2, 2, 2));
    s2b_case("space_to_batch_nd_u8_pad_zp", true, T_U8, 1, 4, D(1, 3, 3, 1), D(2, 2), D(1, 0, 0, 1), D(4, 2, 2, 1));
    s2b_case("space_to_batch_nd_f32_3d", true, T_F32, 3, 3, D(2, 5, 3), D(2), D(1, 0), D(4, 3, 3));
    s2b_case("space_to_batch_nd_s32", true, T_I32, 1, 4, D(1, 4, 4, 1), D(2, 2), D(0, 0, 2, 2), D(4, 2, 4, 1));
    /* BATCH_TO_SPACE_ND: [8,3,2,2] block (2,4) crops h(1,1) w(0,2) -> [1,4,6,2] */
    s2b_case("batch_to_space_nd_f32", false, T_F32, 1, 4, D(8, 3, 2, 2), D(2, 4), D(1, 1, 0, 2), D(1, 4, 6, 2));
    s2b_case("batch_to_space_nd_f32_nocrop", false, T_F32, 1, 4, D(8, 2, 2, 3), D(2, 2), D(0, 0, 0, 0), D(2, 4, 4, 3));
    s2b_case("batch_to_space_nd_s8", false, T_I8, 2, 4, D(8, 2, 2, 2), D(2, 2), D(1, 0, 0, 1), D(2, 3, 3, 2));
    s2b_case("batch_to_space_nd_u8", false, T_U8, 1, 4, D(4, 2, 2, 1), D(2, 2), D(1, 0, 0, 1), D(1, 3, 3, 1));
    s2b_case("batch_to_space_nd_f32_3d", false, T_F32, 3, 3, D(4, 3, 3), D(2), D(1, 0), D(2, 5, 3));
    embedding_case("embedding_lookup_f32", T_F32, T_F32, 1);
    embedding_case("embedding_lookup_s8_hybrid", T_I8, T_F32, 3);
    embedding_case("embedding_lookup_u8_hybrid", T_U8, T_F32, 2);
    embedding_case("embedding_lookup_s8_copy", T_I8, T_I8, 3);
}
