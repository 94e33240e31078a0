/* Helpers private to the "extra" kernels (comparisons, SELECT/SELECT_V2, logical ops,
 * REVERSE_V2, TILE, BROADCAST_TO, FILL, ZEROS_LIKE, SPLIT_V, MIRROR_PAD, ARG_MAX/ARG_MIN,
 * REDUCE_MIN/REDUCE_PROD, FLOOR/CEIL/ROUND/SQUARE/SIN/COS, POW, FLOOR_DIV, FLOOR_MOD, CUMSUM,
 * SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, EMBEDDING_LOOKUP):
 *  - xt_bcast: numpy broadcasting of up to three operands into one output, walked element
 *    by element in the output's row-major order (an odometer keeps each operand's offset);
 *  - the six comparisons (TFLite's comparisons.cc) and the float/integer binary functions
 *    built on it;
 *  - reading int32/int64 index tensors, element-size copies, shape formatting.
 * Everything is static inline; nothing here keeps state. */
#ifndef TFLC_KERNELS_REF_EXTRA_UTIL_H
#define TFLC_KERNELS_REF_EXTRA_UTIL_H

#include <stdio.h>
#include <string.h>

#include "kernels/ref/common.h"

/* ---- small tensor helpers ---- */

/* Element types a pure copy handles (values moved, never interpreted). */
static inline bool xt_copyable(enum tflc_dtype t) {
    switch (t) {
    case TFLC_DTYPE_FLOAT32: case TFLC_DTYPE_INT8: case TFLC_DTYPE_UINT8: case TFLC_DTYPE_INT16:
    case TFLC_DTYPE_INT32: case TFLC_DTYPE_INT64: case TFLC_DTYPE_BOOL:
        return true;
    default:
        return false;
    }
}

static inline bool xt_is_index(enum tflc_dtype t) { return t == TFLC_DTYPE_INT32 || t == TFLC_DTYPE_INT64; }

/* Element i of an int32 or int64 tensor (the caller checked the dtype). */
static inline int64_t xt_int_at(const struct tflc_tensor *t, size_t i) {
    if (t->dtype == TFLC_DTYPE_INT64) return ((const int64_t *)t->data)[i];
    return ((const int32_t *)t->data)[i];
}

/* "[1,2,3]" into buf (for messages). */
static inline const char *xt_fmt(char *buf, size_t n, int rank, const int32_t *dims) {
    size_t k = 0;
    int w = snprintf(buf, n, "[");
    if (w > 0) k = (size_t)w;
    for (int i = 0; i < rank && k < n; i++) {
        w = snprintf(buf + k, n - k, "%s%d", i ? "," : "", (int)dims[i]);
        if (w > 0) k += (size_t)w;
    }
    if (k < n) snprintf(buf + k, n - k, "]");
    return buf;
}

/* True when t has exactly this shape. */
static inline bool xt_has_shape(const struct tflc_tensor *t, int rank, const int32_t *dims) {
    if (t->rank != rank) return false;
    for (int i = 0; i < rank; i++)
        if (t->dims[i] != dims[i]) return false;
    return true;
}

/* Same scale and zero point (both unquantized counts as the same). */
static inline bool xt_same_quant(const struct tflc_tensor *a, const struct tflc_tensor *b) {
    if ((a->quant.num_scales > 0) != (b->quant.num_scales > 0)) return false;
    return a->quant.num_scales == 0 || (a->quant.scale == b->quant.scale && a->quant.zero_point == b->quant.zero_point);
}

/* Output shape known only at run time (from a non-constant shape-like input): prepare plans
 * with the model's declared output shape, and eval checks the values give exactly that. */
static inline enum tflc_status xt_runtime_shape_mismatch(const struct tflc_op_ctx *c, const struct tflc_tensor *y, int rank,
                                                         const int32_t *dims) {
    char a[112], b[112];
    return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "run-time inputs ask for output shape %s, the planned output '%s' is %s",
                        xt_fmt(a, sizeof a, rank, dims), y->name, xt_fmt(b, sizeof b, y->rank, y->dims));
}

/* ---- broadcasting of up to three operands ---- */

#define XT_MAX_OPS 3

/* Numpy broadcast shape of n operands; false when incompatible. */
static inline bool xt_broadcast_shape(int n, const struct tflc_tensor *const *ops, int *rank, int32_t *out) {
    int r = 0;
    for (int k = 0; k < n; k++)
        if (ops[k]->rank > r) r = ops[k]->rank;
    for (int i = 0; i < r; i++) {
        int32_t d = 1;
        for (int k = 0; k < n; k++) {
            int j = i - (r - ops[k]->rank);
            int32_t dk = j >= 0 ? ops[k]->dims[j] : 1;
            if (dk == d || dk == 1) continue;
            if (d != 1) return false;
            d = dk;
        }
        out[i] = d;
    }
    *rank = r;
    return true;
}

struct xt_bcast {
    int rank;                                /* output rank, >= 1 (a scalar walks as [1]) */
    int nops;
    int32_t shape[TFLC_MAX_DIMS];
    size_t stride[XT_MAX_OPS][TFLC_MAX_DIMS]; /* element strides of each operand, 0 where broadcast */
    size_t count;                            /* output elements */
};

/* Position of the walk: the output multi-index and each operand's element offset. */
struct xt_pos {
    int32_t idx[TFLC_MAX_DIMS];
    size_t off[XT_MAX_OPS];
};

/* Plan for operands right-aligned against `rank`/`shape` (every operand broadcasts to it). */
static inline void xt_bcast_init(struct xt_bcast *b, int rank, const int32_t *shape, int n,
                                 const struct tflc_tensor *const *ops) {
    memset(b, 0, sizeof *b);
    b->nops = n;
    b->rank = rank > 0 ? rank : 1;
    b->count = 1;
    if (rank == 0) { b->shape[0] = 1; return; }
    for (int i = 0; i < rank; i++) { b->shape[i] = shape[i]; b->count *= (size_t)shape[i]; }
    for (int k = 0; k < n; k++) {
        size_t s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int j = i - (rank - ops[k]->rank);
            int32_t dk = j >= 0 ? ops[k]->dims[j] : 1;
            b->stride[k][i] = dk == 1 ? 0 : s;
            s *= (size_t)dk;
        }
    }
}

/* Steps p to the next output element (row-major). */
static inline void xt_bcast_next(const struct xt_bcast *b, struct xt_pos *p) {
    for (int d = b->rank - 1; d >= 0; d--) {
        for (int k = 0; k < b->nops; k++) p->off[k] += b->stride[k][d];
        if (++p->idx[d] < b->shape[d]) return;
        for (int k = 0; k < b->nops; k++) p->off[k] -= b->stride[k][d] * (size_t)b->shape[d];
        p->idx[d] = 0;
    }
}

/* Prepare of an elementwise op over inputs 0..n-1 with numpy broadcasting: checks the input
 * count, that the shapes broadcast (INVALID_MODEL naming them), sets output 0's shape and
 * fills *b. The caller checks dtypes. */
static inline enum tflc_status xt_bcast_prepare(struct tflc_op_ctx *c, int n, struct xt_bcast *b) {
    enum tflc_status st = tflc_op_check_io(c, n, n, 1);
    if (st) return st;
    const struct tflc_tensor *ops[XT_MAX_OPS];
    for (int k = 0; k < n; k++)
        if (!(ops[k] = tflc_op_in(c, k))) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input %d is missing", k);
    int rank;
    int32_t shape[TFLC_MAX_DIMS];
    if (!xt_broadcast_shape(n, ops, &rank, shape)) {
        char s[3][112];
        for (int k = 0; k < n; k++) xt_fmt(s[k], sizeof s[k], ops[k]->rank, ops[k]->dims);
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input shapes %s %s %s do not broadcast", s[0], s[1],
                            n > 2 ? s[2] : "");
    }
    if ((st = tflc_op_set_shape(c, tflc_op_out(c, 0), rank, shape))) return st;
    xt_bcast_init(b, rank, shape, n, ops);
    return TFLC_STATUS_OK;
}

/* Elementwise function of two broadcast operands: out[i] = EXPR with `a` and `b` the operand
 * values (types TA, TB), output TO; `d` is the op data (first member `struct xt_bcast bc`). */
#define XT_BINARY_EVAL(name, DATA, TA, TB, TO, EXPR)                                   \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                        \
        const DATA *d = c->node->data;                                                 \
        const TA *pa = tflc_op_in(c, 0)->data;                                         \
        const TB *pb = tflc_op_in(c, 1)->data;                                         \
        TO *y = tflc_op_out(c, 0)->data;                                               \
        struct xt_pos p;                                                               \
        memset(&p, 0, sizeof p);                                                       \
        for (size_t i = 0; i < d->bc.count; i++, xt_bcast_next(&d->bc, &p)) {          \
            const TA a = pa[p.off[0]];                                                 \
            const TB b = pb[p.off[1]];                                                 \
            (void)d;                                                                   \
            y[i] = (EXPR);                                                             \
        }                                                                              \
        return TFLC_STATUS_OK;                                                         \
    }

/* ---- comparisons (EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL) ----
 * Output BOOL, numpy broadcasting. float32, int16, int32, int64 (and bool for EQUAL and
 * NOT_EQUAL) compare the raw values. int8/uint8 compare in TFLite's rescaled domain
 * (ComparisonWithScaling): v = MultiplyByQuantizedMultiplierSmallerThanOneExp(
 * (q - zero_point) * 2^8, QuantizeMultiplier(scale)), so two inputs with different scales
 * compare their real values up to that rounding (and tiny scales can make different values
 * equal, as in TFLite). An int8 tensor without quantization has scale 0, which TFLite turns
 * into a zero multiplier: every value compares as 0 (kept). For scales >= 1 TFLite shifts
 * by a negative amount (undefined); tflc applies the left shift. */
struct xt_cmp_data {
    struct xt_bcast bc;
    int32_t off[2], mult[2];
    int shift[2];
};

static inline int32_t xt_cmp_scale(const struct xt_cmp_data *d, int k, int32_t q) {
    int32_t v = (q + d->off[k]) * (1 << 8);
    if (d->shift[k] > 0) return tflc_mbqm(v, d->mult[k], d->shift[k]);
    return tflc_rdbypot(tflc_srdhm(v, d->mult[k]), -d->shift[k]);
}

struct xt_cmp_evals {
    tflc_eval_fn f32, s8, u8, s16, s32, s64, b;
};

/* Defines the evals of one comparison operator OP (a C relational operator) as a static
 * `cmp_evals` table. */
#define XT_COMPARE_OP(OP)                                                                                  \
    XT_BINARY_EVAL(cmp_f32, struct xt_cmp_data, float, float, uint8_t, a OP b)                           \
    XT_BINARY_EVAL(cmp_s16, struct xt_cmp_data, int16_t, int16_t, uint8_t, a OP b)                       \
    XT_BINARY_EVAL(cmp_s32, struct xt_cmp_data, int32_t, int32_t, uint8_t, a OP b)                       \
    XT_BINARY_EVAL(cmp_s64, struct xt_cmp_data, int64_t, int64_t, uint8_t, a OP b)                       \
    XT_BINARY_EVAL(cmp_b, struct xt_cmp_data, uint8_t, uint8_t, uint8_t, (a != 0) OP (b != 0))           \
    XT_BINARY_EVAL(cmp_s8, struct xt_cmp_data, int8_t, int8_t, uint8_t,                                  \
                   xt_cmp_scale(d, 0, a) OP xt_cmp_scale(d, 1, b))                                       \
    XT_BINARY_EVAL(cmp_u8, struct xt_cmp_data, uint8_t, uint8_t, uint8_t,                                \
                   xt_cmp_scale(d, 0, a) OP xt_cmp_scale(d, 1, b))                                       \
    static const struct xt_cmp_evals cmp_evals = {cmp_f32, cmp_s8, cmp_u8, cmp_s16, cmp_s32, cmp_s64, cmp_b};

/* Shared prepare: two inputs of one dtype, output BOOL; bool inputs only when allow_bool. */
static inline enum tflc_status xt_compare_prepare(struct tflc_op_ctx *c, const struct xt_cmp_evals *e, bool allow_bool) {
    struct xt_cmp_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    enum tflc_status st = xt_bcast_prepare(c, 2, &d->bc);
    if (st) return st;
    const struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (a->dtype != b->dtype || y->dtype != TFLC_DTYPE_BOOL) return tflc_op_unsupported(c);
    c->node->data = d;
    switch (a->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = e->f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT16: c->node->eval = e->s16; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32: c->node->eval = e->s32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT64: c->node->eval = e->s64; return TFLC_STATUS_OK;
    case TFLC_DTYPE_BOOL:
        if (!allow_bool) return tflc_op_unsupported(c);
        c->node->eval = e->b;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8: c->node->eval = e->s8; break;
    case TFLC_DTYPE_UINT8: c->node->eval = e->u8; break;
    default: return tflc_op_unsupported(c);
    }
    /* TFLite: QuantizeMultiplier of each input's scale (float widened to double). */
    for (int k = 0; k < 2; k++) {
        const struct tflc_tensor *t = tflc_op_in(c, k);
        d->off[k] = -t->quant.zero_point;
        tflc_quantize_multiplier((double)t->quant.scale, &d->mult[k], &d->shift[k]);
    }
    return TFLC_STATUS_OK;
}

/* ---- float32-only unary ops (FLOOR, CEIL, ROUND, SQUARE, SIN, COS) ---- */

/* Defines `eval_f32` applying EXPR (of float x) and tflc_<stem>_prepare accepting float32
 * input and output of the same shape. */
#define XT_FLOAT_UNARY(stem, EXPR)                                                         \
    static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {                        \
        const float *in = tflc_op_in(c, 0)->data;                                          \
        struct tflc_tensor *yt = tflc_op_out(c, 0);                                        \
        float *out = yt->data;                                                             \
        size_t n = tflc_numel(yt);                                                         \
        for (size_t i = 0; i < n; i++) {                                                   \
            const float x = in[i];                                                         \
            out[i] = (EXPR);                                                               \
        }                                                                                  \
        return TFLC_STATUS_OK;                                                             \
    }                                                                                      \
    enum tflc_status tflc_##stem##_prepare(struct tflc_op_ctx *c) {                        \
        enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);                                \
        if (st) return st;                                                                 \
        struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);                  \
        if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");        \
        if (x->dtype != TFLC_DTYPE_FLOAT32 || y->dtype != TFLC_DTYPE_FLOAT32)              \
            return tflc_op_unsupported(c);                                                 \
        if ((st = tflc_op_set_shape(c, y, x->rank, x->dims))) return st;                   \
        c->node->eval = eval_f32;                                                          \
        return TFLC_STATUS_OK;                                                             \
    }

/* ---- axis helpers ---- */

/* Reads a scalar-or-one-element int32/int64 axis tensor (constant at prepare) into *axis,
 * wrapped into [0, rank). INVALID_MODEL when it is not one element or out of range. */
static inline enum tflc_status xt_const_axis(const struct tflc_op_ctx *c, const struct tflc_tensor *ax, int rank,
                                             int *axis) {
    if (!xt_is_index(ax->dtype))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis tensor '%s' must be INT32 or INT64, is %s", ax->name,
                            tflc_dtype_name(ax->dtype));
    if (tflc_numel(ax) != 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis tensor '%s' must hold one value, has %zu", ax->name,
                            tflc_numel(ax));
    if (!tflc_op_is_const(c, ax) || !ax->data)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "axis tensor '%s' must be a constant", ax->name);
    int64_t a = xt_int_at(ax, 0);
    if (a < -rank || a >= rank || rank == 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis %lld is out of range for rank %d", (long long)a, rank);
    *axis = (int)(a < 0 ? a + rank : a);
    return TFLC_STATUS_OK;
}

/* outer x axis x inner split of dims around `axis`. */
static inline void xt_split_dims(const struct tflc_tensor *t, int axis, size_t *outer, size_t *n, size_t *inner) {
    *outer = 1;
    *inner = 1;
    for (int i = 0; i < axis; i++) *outer *= (size_t)t->dims[i];
    for (int i = axis + 1; i < t->rank; i++) *inner *= (size_t)t->dims[i];
    *n = (size_t)t->dims[axis];
}

/* ---- SELECT / SELECT_V2 ----
 * y = condition ? x : y_in elementwise; condition BOOL, x and y_in of one copyable dtype
 * (values copied raw, as TFLite: quantized inputs are expected to share the output's
 * parameters). SELECT (v1): same shapes, or a scalar condition, or a rank-1 condition
 * matching x's first dimension (one flag per outer slice). SELECT_V2: numpy broadcasting of
 * all three. */
struct xt_select_data {
    struct xt_bcast bc;
    size_t es; /* element bytes */
};

static inline enum tflc_status xt_select_eval(const struct tflc_op_ctx *c) {
    const struct xt_select_data *d = c->node->data;
    const uint8_t *cond = tflc_op_in(c, 0)->data;
    const uint8_t *x = tflc_op_in(c, 1)->data, *yi = tflc_op_in(c, 2)->data;
    uint8_t *out = tflc_op_out(c, 0)->data;
    struct xt_pos p;
    memset(&p, 0, sizeof p);
    for (size_t i = 0; i < d->bc.count; i++, xt_bcast_next(&d->bc, &p)) {
        const uint8_t *src = cond[p.off[0]] ? x + p.off[1] * d->es : yi + p.off[2] * d->es;
        memcpy(out + i * d->es, src, d->es);
    }
    return TFLC_STATUS_OK;
}

static inline enum tflc_status xt_select_prepare(struct tflc_op_ctx *c, bool v2) {
    enum tflc_status st = tflc_op_check_io(c, 3, 3, 1);
    if (st) return st;
    const struct tflc_tensor *cd = tflc_op_in(c, 0), *x = tflc_op_in(c, 1), *yi = tflc_op_in(c, 2);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    if (!cd || !x || !yi) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (cd->dtype != TFLC_DTYPE_BOOL || x->dtype != yi->dtype || x->dtype != y->dtype || !xt_copyable(x->dtype))
        return tflc_op_unsupported(c);
    struct xt_select_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->es = tflc_dtype_size(x->dtype);
    c->node->data = d;
    c->node->eval = xt_select_eval;
    if (v2) return xt_bcast_prepare(c, 3, &d->bc);
    /* SELECT v1: x and y_in have one shape; the condition matches it, or is a scalar, or is
     * rank 1 with x's first dimension (then it is walked as [d0, 1, ..., 1]). */
    char a[112], b[112];
    if (!tflc_same_shape(x, yi))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "x %s and y %s must have the same shape",
                            xt_fmt(a, sizeof a, x->rank, x->dims), xt_fmt(b, sizeof b, yi->rank, yi->dims));
    struct tflc_tensor cview = *cd;
    if (!tflc_same_shape(cd, x)) {
        if (cd->rank == 1 && x->rank >= 1 && cd->dims[0] == x->dims[0]) {
            cview.rank = x->rank;
            for (int i = 1; i < x->rank; i++) cview.dims[i] = 1;
        } else if (cd->rank != 0) {
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                                "condition %s must match x %s, be a scalar, or be rank 1 of x's first dimension",
                                xt_fmt(a, sizeof a, cd->rank, cd->dims), xt_fmt(b, sizeof b, x->rank, x->dims));
        }
    }
    if ((st = tflc_op_set_shape(c, y, x->rank, x->dims))) return st;
    const struct tflc_tensor *ops[3] = {&cview, x, yi};
    xt_bcast_init(&d->bc, x->rank, x->dims, 3, ops);
    return TFLC_STATUS_OK;
}

/* ---- ARG_MAX / ARG_MIN ----
 * For every (outer, inner) position, the first index along the axis whose value beats all
 * earlier ones under OP (TFLite's ArgMinMax: start at index 0, replace on a strict win). */
struct xt_arg_data {
    size_t outer, n, inner;
};

#define XT_ARG_EVAL(name, T, TO, OP)                                                   \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                        \
        const struct xt_arg_data *d = c->node->data;                                   \
        const T *in = tflc_op_in(c, 0)->data;                                          \
        TO *out = tflc_op_out(c, 0)->data;                                             \
        for (size_t o = 0; o < d->outer; o++)                                          \
            for (size_t k = 0; k < d->inner; k++) {                                    \
                const T *p = in + o * d->n * d->inner + k;                             \
                T best = p[0];                                                         \
                size_t bi = 0;                                                         \
                for (size_t i = 1; i < d->n; i++)                                      \
                    if (p[i * d->inner] OP best) { best = p[i * d->inner]; bi = i; }   \
                out[o * d->inner + k] = (TO)bi;                                        \
            }                                                                          \
        return TFLC_STATUS_OK;                                                         \
    }

struct xt_arg_evals {
    tflc_eval_fn f[5][2]; /* [f32, s8, u8, s32, bool][int32 out, int64 out] */
};

#define XT_ARG_MINMAX(OP)                                                                           \
    XT_ARG_EVAL(arg_f32_32, float, int32_t, OP) XT_ARG_EVAL(arg_f32_64, float, int64_t, OP)        \
    XT_ARG_EVAL(arg_s8_32, int8_t, int32_t, OP) XT_ARG_EVAL(arg_s8_64, int8_t, int64_t, OP)        \
    XT_ARG_EVAL(arg_u8_32, uint8_t, int32_t, OP) XT_ARG_EVAL(arg_u8_64, uint8_t, int64_t, OP)      \
    XT_ARG_EVAL(arg_s32_32, int32_t, int32_t, OP) XT_ARG_EVAL(arg_s32_64, int32_t, int64_t, OP)    \
    XT_ARG_EVAL(arg_b_32, uint8_t, int32_t, OP) XT_ARG_EVAL(arg_b_64, uint8_t, int64_t, OP)        \
    static const struct xt_arg_evals arg_evals = {{{arg_f32_32, arg_f32_64}, {arg_s8_32, arg_s8_64},  \
                                                   {arg_u8_32, arg_u8_64}, {arg_s32_32, arg_s32_64}, \
                                                   {arg_b_32, arg_b_64}}};

static inline enum tflc_status xt_arg_prepare(struct tflc_op_ctx *c, const struct xt_arg_evals *e, int output_type) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *ax = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !ax) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    int ti;
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: ti = 0; break;
    case TFLC_DTYPE_INT8: ti = 1; break;
    case TFLC_DTYPE_UINT8: ti = 2; break;
    case TFLC_DTYPE_INT32: ti = 3; break;
    case TFLC_DTYPE_BOOL: ti = 4; break;
    default: return tflc_op_unsupported(c);
    }
    if ((y->dtype != TFLC_DTYPE_INT32 && y->dtype != TFLC_DTYPE_INT64)) return tflc_op_unsupported(c);
    if (c->node->options.off != 0 && output_type != (int)y->dtype)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output_type %s differs from output '%s' (%s)",
                            tflc_dtype_name((enum tflc_dtype)output_type), y->name, tflc_dtype_name(y->dtype));
    int axis = 0;
    if ((st = xt_const_axis(c, ax, x->rank, &axis))) return st;
    if (x->dims[axis] <= 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' has no elements along axis %d", x->name, axis);
    struct xt_arg_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    xt_split_dims(x, axis, &d->outer, &d->n, &d->inner);
    int32_t dims[TFLC_MAX_DIMS];
    int r = 0;
    for (int i = 0; i < x->rank; i++)
        if (i != axis) dims[r++] = x->dims[i];
    c->node->data = d;
    c->node->eval = e->f[ti][y->dtype == TFLC_DTYPE_INT64];
    return tflc_op_set_shape(c, y, r, dims);
}

/* ---- SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND ----
 * Both take x of rank 3 ([batch, spatial, depth], walked as [batch, spatial, 1, depth]) or
 * 4 ([batch, h, w, depth]), a constant 1-D int32 block_shape with one entry per spatial dim
 * (>= 1) and constant int32 [spatial, 2] paddings / crops (>= 0). */
struct xt_s2b_data {
    int32_t in_b, in_h, in_w, out_b, out_h, out_w, depth;
    int32_t block_h, block_w, before_h, before_w; /* paddings (S2B) or crops (B2S), leading side */
    size_t es;
    uint8_t pad[8];                                /* pad element (S2B: the output zero point) */
};

/* Reads block_shape and paddings/crops, fills the 4-D view of x; sets *after_h/w too. */
static inline enum tflc_status xt_s2b_common(struct tflc_op_ctx *c, struct xt_s2b_data *d, int32_t *after_h,
                                             int32_t *after_w) {
    enum tflc_status st = tflc_op_check_io(c, 3, 3, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *bs = tflc_op_in(c, 1), *pd = tflc_op_in(c, 2), *y = tflc_op_out(c, 0);
    if (!x || !bs || !pd) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !xt_copyable(x->dtype) || x->dtype == TFLC_DTYPE_BOOL) return tflc_op_unsupported(c);
    if (x->rank != 3 && x->rank != 4)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "input '%s' has rank %d (3 or 4 supported)", x->name, (int)x->rank);
    int sp = x->rank - 2;
    if (bs->dtype != TFLC_DTYPE_INT32 || bs->rank != 1 || bs->dims[0] != sp)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "block_shape '%s' must be 1-D INT32 with %d entries", bs->name, sp);
    if (pd->dtype != TFLC_DTYPE_INT32 || pd->rank != 2 || pd->dims[0] != sp || pd->dims[1] != 2)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "'%s' must be INT32 of shape [%d,2]", pd->name, sp);
    if (!tflc_op_is_const(c, bs) || !bs->data || !tflc_op_is_const(c, pd) || !pd->data)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "block_shape '%s' and '%s' must be constants", bs->name, pd->name);
    const int32_t *b = bs->data, *p = pd->data;
    for (int i = 0; i < sp; i++)
        if (b[i] < 1 || p[2 * i] < 0 || p[2 * i + 1] < 0)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "block %d must be >= 1 and its pads/crops >= 0 (%d; %d, %d)", i,
                                (int)b[i], (int)p[2 * i], (int)p[2 * i + 1]);
    d->in_b = x->dims[0];
    d->in_h = x->dims[1];
    d->in_w = sp == 2 ? x->dims[2] : 1;
    d->depth = x->dims[x->rank - 1];
    d->block_h = b[0];
    d->block_w = sp == 2 ? b[1] : 1;
    d->before_h = p[0];
    *after_h = p[1];
    d->before_w = sp == 2 ? p[2] : 0;
    *after_w = sp == 2 ? p[3] : 0;
    d->es = tflc_dtype_size(x->dtype);
    return TFLC_STATUS_OK;
}

/* Output shape from the 4-D view (rank 3 drops the width). */
static inline enum tflc_status xt_s2b_set_shape(struct tflc_op_ctx *c, const struct xt_s2b_data *d) {
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    int32_t dims[4] = {d->out_b, d->out_h, d->out_w, d->depth};
    if (x->rank == 3) dims[2] = d->depth;
    return tflc_op_set_shape(c, tflc_op_out(c, 0), x->rank, dims);
}

#endif
