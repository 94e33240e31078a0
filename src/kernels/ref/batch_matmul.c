/* BATCH_MATMUL: out[..., i, j] = sum_k X'[..., i, k] Y'[..., k, j], where X' is X with its
 * last two dims swapped when adj_x (Y' likewise with adj_y); the leading (batch) dims are
 * broadcast numpy-style. Ranks 2..8 (TFLite: 2..5); out is [batch dims..., M, N].
 * Types, as TFLite's batch_matmul.cc (no fused activation):
 *   float32;
 *   int8 -> int8: acc = sum (x - x_zp)(y - y_zp), out = clamp(MBQM(acc, s_x s_y / s_out) + out_zp)
 *     (the multiplier from the float product s_x s_y, widened to double);
 *   int8 -> int32: the raw sum of products (TFLite ignores the zero points there);
 *   int16 x int16 or int8 -> int16: zero points 0, int64 accumulator, TFLite's 64-bit MBQM;
 *   hybrid float32 X x int8 Y -> float32: every row of X' quantized at run time (symmetric,
 *     or asymmetric when asymmetric_quantize_inputs), out = s * (dot - rowsum(Y'_j) z) with
 *     s = s_row s_y (per-tensor) or s_row s_y[j] (per-channel along Y's N axis).
 * prepare precomputes the broadcast strides, the multiplier and (hybrid, constant Y) the
 * row sums of Y'; the hybrid scratch holds the quantized rows, their scales and zero points. */
#include "kernels/ref/fc_util.h"

struct bmm_data {
    int32_t m, n, k;               /* out matrices are m x n; k = accumulation depth */
    int nb;                        /* batch dims of the output (rank - 2) */
    int32_t bshape[TFLC_MAX_DIMS]; /* output batch dims */
    size_t bx[TFLC_MAX_DIMS];      /* element stride of X per batch dim, 0 where broadcast */
    size_t by[TFLC_MAX_DIMS];
    size_t nbatch;                 /* product of bshape */
    size_t xi, xk, yk, yj;         /* element strides of X'[i][k] and Y'[k][j] in a matrix */
    int32_t x_off, y_off, out_off; /* -x_zp, -y_zp, out_zp */
    int32_t mult;                  /* Q31 output multiplier */
    int shift;
    int32_t lo, hi; /* output dtype range */
    bool wide;      /* int64 accumulator and MBQM (int16) */
    /* hybrid */
    bool asymmetric;
    float y_scale;                     /* per-tensor scale of Y */
    const float *y_scales;             /* [n] per-channel scales (borrowed) or NULL */
    const int32_t *row_sums;           /* [y matrices * n] for constant Y, or NULL */
    size_t x_mats, y_mats;             /* matrices in X and Y */
    size_t q_bytes, f_bytes, rs_bytes; /* scratch: q | scales | zero points | row sums | row */
};

/* Element offsets of the X and Y matrices used by output matrix t. */
static void batch_offsets(const struct bmm_data *d, size_t t, size_t *xo, size_t *yo) {
    size_t ox = 0, oy = 0;
    for (int i = d->nb - 1; i >= 0; i--) {
        size_t idx = t % (size_t)d->bshape[i];
        t /= (size_t)d->bshape[i];
        ox += idx * d->bx[i];
        oy += idx * d->by[i];
    }
    *xo = ox;
    *yo = oy;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    const struct bmm_data *d = c->node->data;
    const float *x = tflc_op_in(c, 0)->data, *y = tflc_op_in(c, 1)->data;
    float *out = tflc_op_out(c, 0)->data;
    const size_t m = (size_t)d->m, n = (size_t)d->n, k = (size_t)d->k;
    for (size_t t = 0; t < d->nbatch; t++) {
        size_t xo, yo;
        batch_offsets(d, t, &xo, &yo);
        const float *xm = x + xo, *ym = y + yo;
        float *om = out + t * m * n;
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++) {
                float acc = 0.0f;
                for (size_t p = 0; p < k; p++)
                    acc += xm[i * d->xi + p * d->xk] * ym[p * d->yk + j * d->yj];
                om[i * n + j] = acc;
            }
    }
    return TFLC_STATUS_OK;
}

/* TFLite's int32 MultiplyByQuantizedMultiplier (int8), or its int64 overload (int16). */
static inline int32_t requantize(const struct bmm_data *d, int64_t acc) {
    int32_t v;
    if (d->wide) {
        v = tflc_mbqm64(acc, d->mult, d->shift);
    } else {
        int32_t a = acc > INT32_MAX ? INT32_MAX : acc < INT32_MIN ? INT32_MIN : (int32_t)acc;
        v = tflc_mbqm(a, d->mult, d->shift);
    }
    int64_t r = (int64_t)v + d->out_off;
    return r < d->lo ? d->lo : r > d->hi ? d->hi : (int32_t)r;
}

#define BMM_EVAL_Q(name, TX, TY, TO)                                                               \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                                    \
        const struct bmm_data *d = c->node->data;                                                  \
        const TX *x = tflc_op_in(c, 0)->data;                                                      \
        const TY *y = tflc_op_in(c, 1)->data;                                                      \
        TO *out = tflc_op_out(c, 0)->data;                                                         \
        const size_t m = (size_t)d->m, n = (size_t)d->n, k = (size_t)d->k;                         \
        for (size_t t = 0; t < d->nbatch; t++) {                                                   \
            size_t xo, yo;                                                                         \
            batch_offsets(d, t, &xo, &yo);                                                         \
            const TX *xm = x + xo;                                                                 \
            const TY *ym = y + yo;                                                                 \
            TO *om = out + t * m * n;                                                              \
            for (size_t i = 0; i < m; i++)                                                         \
                for (size_t j = 0; j < n; j++) {                                                   \
                    int64_t acc = 0;                                                               \
                    for (size_t p = 0; p < k; p++) {                                               \
                        int32_t xv = (int32_t)xm[i * d->xi + p * d->xk] + d->x_off;                \
                        int32_t yv = (int32_t)ym[p * d->yk + j * d->yj] + d->y_off;                \
                        acc += (int64_t)xv * yv;                                                   \
                    }                                                                              \
                    om[i * n + j] = (TO)requantize(d, acc);                                        \
                }                                                                                  \
        }                                                                                          \
        return TFLC_STATUS_OK;                                                                     \
    }

BMM_EVAL_Q(eval_s8, int8_t, int8_t, int8_t)
BMM_EVAL_Q(eval_s16, int16_t, int16_t, int16_t)
BMM_EVAL_Q(eval_s16_s8, int16_t, int8_t, int16_t)

/* int8 x int8 -> int32: TFLite's plain BatchMatMul<int8, int8, int32>, zero points unused. */
static enum tflc_status eval_s8_s32(const struct tflc_op_ctx *c) {
    const struct bmm_data *d = c->node->data;
    const int8_t *x = tflc_op_in(c, 0)->data, *y = tflc_op_in(c, 1)->data;
    int32_t *out = tflc_op_out(c, 0)->data;
    const size_t m = (size_t)d->m, n = (size_t)d->n, k = (size_t)d->k;
    for (size_t t = 0; t < d->nbatch; t++) {
        size_t xo, yo;
        batch_offsets(d, t, &xo, &yo);
        const int8_t *xm = x + xo, *ym = y + yo;
        int32_t *om = out + t * m * n;
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++) {
                int32_t acc = 0;
                for (size_t p = 0; p < k; p++)
                    acc += (int32_t)xm[i * d->xi + p * d->xk] * ym[p * d->yk + j * d->yj];
                om[i * n + j] = acc;
            }
    }
    return TFLC_STATUS_OK;
}

/* Row sums over k of each column j of every Y' matrix: sums[ym * n + j]. */
static void y_row_sums(const struct bmm_data *d, const int8_t *y, int32_t *sums) {
    const size_t n = (size_t)d->n, k = (size_t)d->k;
    for (size_t t = 0; t < d->y_mats; t++)
        for (size_t j = 0; j < n; j++) {
            int32_t s = 0;
            for (size_t p = 0; p < k; p++) s += y[t * k * n + p * d->yk + j * d->yj];
            sums[t * n + j] = s;
        }
}

static enum tflc_status eval_hybrid(const struct tflc_op_ctx *c) {
    const struct bmm_data *d = c->node->data;
    const float *x = tflc_op_in(c, 0)->data;
    const int8_t *y = tflc_op_in(c, 1)->data;
    float *out = tflc_op_out(c, 0)->data;
    const size_t m = (size_t)d->m, n = (size_t)d->n, k = (size_t)d->k;
    uint8_t *scratch = c->node->scratch;
    int8_t *q = (int8_t *)scratch;
    float *scale = (float *)(void *)(scratch + d->q_bytes);
    int32_t *zp = (int32_t *)(void *)(scratch + d->q_bytes + d->f_bytes);
    float *row = (float *)(void *)(scratch + d->q_bytes + 2 * d->f_bytes + d->rs_bytes);
    const int32_t *row_sums = d->row_sums;
    if (d->asymmetric && !row_sums) {
        int32_t *rs = (int32_t *)(void *)(scratch + d->q_bytes + 2 * d->f_bytes);
        y_row_sums(d, y, rs);
        row_sums = rs;
    }
    /* Quantize every row of X' (each X matrix once, not once per broadcast use). */
    for (size_t r = 0; r < d->x_mats * m; r++) {
        const float *xm = x + (r / m) * m * k;
        size_t i = r % m;
        for (size_t p = 0; p < k; p++) row[p] = xm[i * d->xi + p * d->xk];
        if (d->asymmetric) {
            tflc_hybrid_quantize_asym(row, k, q + r * k, &scale[r], &zp[r]);
        } else {
            tflc_hybrid_quantize_sym(row, k, q + r * k, &scale[r]);
            zp[r] = 0;
        }
        if (!d->y_scales) scale[r] *= d->y_scale;
    }
    /* TFLite's reference indexes the row scales as (b0 + b1 + b2) * m over its 3 batch dims,
     * right only when at most one batch dim of X exceeds 1 (always so for rank <= 3); we use
     * each output matrix's own X rows, the definition. */
    for (size_t t = 0; t < d->nbatch; t++) {
        size_t xo, yo;
        batch_offsets(d, t, &xo, &yo);
        const size_t xrow0 = xo / k, ymat = yo / (k * n); /* xo is a multiple of m * k */
        const int8_t *ym = y + yo;
        float *om = out + t * m * n;
        for (size_t i = 0; i < m; i++) {
            const int8_t *qr = q + (xrow0 + i) * k;
            const float s_row = scale[xrow0 + i];
            const float z = (float)zp[xrow0 + i];
            for (size_t j = 0; j < n; j++) {
                int32_t dot = 0;
                for (size_t p = 0; p < k; p++) dot += (int32_t)qr[p] * ym[p * d->yk + j * d->yj];
                /* TFLite subtracts rowsum * zero point in float and truncates back to int32. */
                float rs = d->asymmetric ? (float)row_sums[ymat * n + j] : 0.0f;
                float v = (float)dot - rs * z;
                dot = v >= 2147483520.0f ? INT32_MAX : v <= -2147483648.0f ? INT32_MIN : (int32_t)v;
                float s = d->y_scales ? s_row * d->y_scales[j] : s_row;
                om[i * n + j] = 0.0f + s * (float)dot;
            }
        }
    }
    return TFLC_STATUS_OK;
}

static bool has_scale(const struct tflc_tensor *t) {
    return t->quant.num_scales > 0 && t->quant.scale > 0.0f;
}

static enum tflc_status prepare_hybrid(struct tflc_op_ctx *c, struct bmm_data *d, bool adj_y) {
    const struct tflc_tensor *yt = tflc_op_in(c, 1);
    if (!has_scale(yt))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "hybrid weights '%s' have no scale",
                            yt->name);
    d->asymmetric = tflc_tfl_batch_mat_mul_options_asymmetric_quantize_inputs(c->node->options);
    d->y_scale = yt->quant.scale;
    if (yt->quant.num_scales > 1) {
        int n_axis = adj_y ? yt->rank - 2 : yt->rank - 1;
        if (yt->quant.num_scales != d->n || yt->quant.axis != n_axis)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                                "'%s' has %d scales along axis %d, expected %d along axis %d",
                                yt->name, (int)yt->quant.num_scales, (int)yt->quant.axis, (int)d->n,
                                n_axis);
        d->y_scales = yt->quant.scales;
    }
    const size_t m = (size_t)d->m, n = (size_t)d->n, k = (size_t)d->k;
    d->x_mats = tflc_numel(tflc_op_in(c, 0)) / (m * k);
    d->y_mats = tflc_numel(yt) / (k * n);
    if (d->asymmetric && tflc_op_is_const(c, yt)) {
        int32_t *rs = tflc_op_alloc(c, sizeof *rs * d->y_mats * n);
        if (!rs) return TFLC_STATUS_ARENA_TOO_SMALL;
        y_row_sums(d, yt->data, rs);
        d->row_sums = rs;
    } else if (d->asymmetric) {
        d->rs_bytes = tflc_fc_align16(sizeof(int32_t) * d->y_mats * n);
    }
    d->q_bytes = tflc_fc_align16(d->x_mats * m * k);
    d->f_bytes = tflc_fc_align16(sizeof(float) * d->x_mats * m);
    tflc_op_request_scratch(c, d->q_bytes + 2 * d->f_bytes + d->rs_bytes + sizeof(float) * k);
    c->node->eval = eval_hybrid;
    return TFLC_STATUS_OK;
}

static enum tflc_status prepare_quantized(struct tflc_op_ctx *c, struct bmm_data *d,
                                          tflc_eval_fn fn) {
    const struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_in(c, 1), *out = tflc_op_out(c, 0);
    if (!has_scale(x) || !has_scale(y) || !has_scale(out))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "quantized BATCH_MATMUL needs scales on both inputs and the output");
    if (x->quant.num_scales > 1 || y->quant.num_scales > 1)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                            "per-channel quantized inputs are not supported");
    if (x->dtype == TFLC_DTYPE_INT16 &&
        (x->quant.zero_point || y->quant.zero_point || out->quant.zero_point))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "int16 BATCH_MATMUL needs zero points of 0");
    d->x_off = -x->quant.zero_point;
    d->y_off = -y->quant.zero_point;
    d->out_off = out->quant.zero_point;
    float product = x->quant.scale * y->quant.scale;
    tflc_quantize_multiplier((double)product / (double)out->quant.scale, &d->mult, &d->shift);
    tflc_qrange(out->dtype, &d->lo, &d->hi);
    d->wide = x->dtype == TFLC_DTYPE_INT16;
    c->node->eval = fn;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_batch_matmul_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_in(c, 1), *out = tflc_op_out(c, 0);
    if (!x || !y) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->rank < 2 || y->rank < 2)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "inputs need rank >= 2 (got %d and %d)",
                            (int)x->rank, (int)y->rank);
    if (tflc_numel(x) == 0 || tflc_numel(y) == 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "zero-sized input '%s' or '%s'", x->name,
                            y->name);
    const bool adj_x = tflc_tfl_batch_mat_mul_options_adj_x(c->node->options);
    const bool adj_y = tflc_tfl_batch_mat_mul_options_adj_y(c->node->options);
    const int32_t xr = x->dims[x->rank - 2], xc = x->dims[x->rank - 1];
    const int32_t yr = y->dims[y->rank - 2], yc = y->dims[y->rank - 1];
    const int32_t m = adj_x ? xc : xr, kx = adj_x ? xr : xc;
    const int32_t ky = adj_y ? yc : yr, n = adj_y ? yr : yc;
    if (kx != ky)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "inner dims differ: '%s' gives %d, '%s' gives %d", x->name, (int)kx,
                            y->name, (int)ky);

    struct bmm_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->m = m;
    d->n = n;
    d->k = kx;
    d->xi = adj_x ? 1 : (size_t)xc;
    d->xk = adj_x ? (size_t)xc : 1;
    d->yk = adj_y ? 1 : (size_t)yc;
    d->yj = adj_y ? (size_t)yc : 1;

    /* Batch dims, right-aligned; a matrix stride of 0 repeats a size-1 dim. */
    const int rank = x->rank > y->rank ? x->rank : y->rank;
    d->nb = rank - 2;
    int32_t shape[TFLC_MAX_DIMS];
    size_t sx = (size_t)xr * (size_t)xc, sy = (size_t)yr * (size_t)yc;
    d->nbatch = 1;
    for (int i = d->nb - 1; i >= 0; i--) {
        int ix = i - (rank - x->rank), iy = i - (rank - y->rank);
        int32_t dx = ix >= 0 ? x->dims[ix] : 1, dy = iy >= 0 ? y->dims[iy] : 1;
        if (dx != dy && dx != 1 && dy != 1)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                                "batch dims of '%s' and '%s' do not broadcast (%d vs %d)", x->name,
                                y->name, (int)dx, (int)dy);
        d->bshape[i] = shape[i] = dx == 1 ? dy : dx;
        d->bx[i] = dx == 1 ? 0 : sx;
        d->by[i] = dy == 1 ? 0 : sy;
        sx *= (size_t)dx;
        sy *= (size_t)dy;
        d->nbatch *= (size_t)shape[i];
    }
    shape[rank - 2] = m;
    shape[rank - 1] = n;
    if ((st = tflc_op_set_shape(c, out, rank, shape))) return st;

    const enum tflc_dtype xt = x->dtype, yt = y->dtype, ot = out->dtype;
    if (xt == TFLC_DTYPE_FLOAT32 && yt == TFLC_DTYPE_FLOAT32 && ot == TFLC_DTYPE_FLOAT32) {
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    }
    if (xt == TFLC_DTYPE_FLOAT32 && yt == TFLC_DTYPE_INT8 && ot == TFLC_DTYPE_FLOAT32)
        return prepare_hybrid(c, d, adj_y);
    if (xt == TFLC_DTYPE_INT8 && yt == TFLC_DTYPE_INT8 && ot == TFLC_DTYPE_INT32) {
        c->node->eval = eval_s8_s32;
        return TFLC_STATUS_OK;
    }
    if (xt == TFLC_DTYPE_INT8 && yt == TFLC_DTYPE_INT8 && ot == TFLC_DTYPE_INT8)
        return prepare_quantized(c, d, eval_s8);
    if (xt == TFLC_DTYPE_INT16 && yt == TFLC_DTYPE_INT16 && ot == TFLC_DTYPE_INT16)
        return prepare_quantized(c, d, eval_s16);
    if (xt == TFLC_DTYPE_INT16 && yt == TFLC_DTYPE_INT8 && ot == TFLC_DTYPE_INT16)
        return prepare_quantized(c, d, eval_s16_s8);
    return tflc_op_unsupported(c);
}
