/* Shared structure of the two-input elementwise kernels (ADD, SUB, MUL, DIV, MAXIMUM,
 * MINIMUM, SQUARED_DIFFERENCE). Private to src/kernels/ref.
 *
 *  - tflc_binary_prepare: two inputs and one output of one dtype, numpy broadcasting, the
 *    output shape, and op data whose first member is a struct tflc_binary_io;
 *  - TFLC_BINARY_ROW + tflc_binary_run: the elementwise loop over the broadcast output;
 *  - tflc_binary_act_range_int: TFLite's CalculateActivationRange<T> for plain integer types;
 *  - tflc_addsub_q_*: the 8/16-bit ADD/SUB requantization recipe (TFLite's add.cc/sub.cc),
 *    which SUB shares with ADD up to the sign of the second term. */
#ifndef TFLC_KERNELS_REF_BINARY_UTIL_H
#define TFLC_KERNELS_REF_BINARY_UTIL_H

#include "kernels/ref/common.h"

/* Operand pointers and broadcast plan of one eval; every binary op's data struct starts
 * with it (member name `io`). */
struct tflc_binary_io {
    struct tflc_bcast bc;
    const void *a, *b;  /* set per eval, in a stack copy of the op data */
    void *out;
};

/* Common prepare: exactly two inputs and one output, all of one dtype (otherwise
 * UNSUPPORTED naming the types); shapes must broadcast (INVALID_MODEL); sets the output
 * shape; allocates `bytes` of zeroed op data into node->data and *data, with the broadcast
 * plan in its leading struct tflc_binary_io. */
static inline enum tflc_status tflc_binary_prepare(struct tflc_op_ctx *c, size_t bytes, void **data) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!a || !b) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (a->dtype != b->dtype || a->dtype != y->dtype) return tflc_op_unsupported(c);
    int rank;
    int32_t shape[TFLC_MAX_DIMS];
    if (!tflc_broadcast_shape(a, b, &rank, shape))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input shapes of '%s' and '%s' do not broadcast", a->name,
                            b->name);
    if ((st = tflc_op_set_shape(c, y, rank, shape))) return st;
    struct tflc_binary_io *io = tflc_op_alloc(c, bytes);
    if (!io) return TFLC_STATUS_ARENA_TOO_SMALL;
    tflc_bcast_init(&io->bc, a, b, y);
    c->node->data = io;
    *data = io;
    return TFLC_STATUS_OK;
}

/* True when every tensor of the node carries (per-tensor) quantization parameters. */
static inline bool tflc_binary_quantized(const struct tflc_op_ctx *c) {
    return tflc_op_in(c, 0)->quant.num_scales > 0 && tflc_op_in(c, 1)->quant.num_scales > 0 &&
           tflc_op_out(c, 0)->quant.num_scales > 0;
}

/* Row function over the broadcast output for op data type DATA (with member `io`), input
 * element type T, output element type TO; EXPR reads *a, *b and the op data `d`. */
#define TFLC_BINARY_ROW(name, DATA, T, TO, EXPR)                                                  \
    static void name(void *ud, size_t o, size_t ia, size_t ib, size_t n, size_t da, size_t db) { \
        const DATA *d = ud;                                                                       \
        (void)d;                                                                                  \
        const T *a = (const T *)d->io.a + ia, *b = (const T *)d->io.b + ib;                       \
        TO *y = (TO *)d->io.out + o;                                                              \
        for (size_t i = 0; i < n; i++, a += da, b += db) y[i] = (EXPR);                           \
    }

/* Runs `row` over output elements [begin, end) of the broadcast plan: the rows that range
 * covers, the first and last possibly in part (rows are elementwise, so any cut gives the
 * same values). */
static inline void tflc_binary_run_range(const struct tflc_bcast *p, tflc_bcast_row_fn row, void *ud, size_t begin,
                                         size_t end) {
    int r = p->rank;
    size_t n = (size_t)p->shape[r - 1], da = p->sa[r - 1], db = p->sb[r - 1];
    size_t k = begin / n, lo = begin % n;
    size_t idx[TFLC_MAX_DIMS] = {0};
    for (size_t q = k, i = (size_t)r - 1; i-- > 0; q /= (size_t)p->shape[i]) idx[i] = q % (size_t)p->shape[i];
    for (size_t o = begin; o < end; k++, lo = 0) {
        size_t ia = 0, ib = 0, len = n - lo < end - o ? n - lo : end - o;
        for (int i = 0; i < r - 1; i++) { ia += idx[i] * p->sa[i]; ib += idx[i] * p->sb[i]; }
        row(ud, o, ia + lo * da, ib + lo * db, len, da, db);
        o += len;
        for (int i = r - 2; i >= 0; i--) {
            if (++idx[i] < (size_t)p->shape[i]) break;
            idx[i] = 0;
        }
    }
}

/* Work split of tflc_binary_run: task t covers elements [t * chunk, min(total, (t+1) * chunk)). */
struct tflc_binary_par {
    const struct tflc_bcast *bc;
    tflc_bcast_row_fn row;
    void *ud;
    size_t total, chunk;
};

static inline void tflc_binary_task(void *ud, int t) {
    const struct tflc_binary_par *p = ud;
    size_t b = (size_t)t * p->chunk, e = b + p->chunk < p->total ? b + p->chunk : p->total;
    if (b < e) tflc_binary_run_range(p->bc, p->row, p->ud, b, e);
}

/* Output elements below which an op runs on the caller alone (a dispatch costs about as much
 * as a few thousand elementwise steps). */
#define TFLC_BINARY_PAR_MIN 16384

/* Binds this eval's tensors into `io` (the leading member of a stack copy of node->data,
 * since eval never writes node->data) and runs `row` over the output. `ud` is that copy.
 * Large outputs are cut into up to 4 chunks per thread (multiples of 64 elements, so two
 * threads never write one cache line); every element is computed as in the serial loop. */
static inline void tflc_binary_run(const struct tflc_op_ctx *c, struct tflc_binary_io *io, tflc_bcast_row_fn row) {
    io->a = tflc_op_in(c, 0)->data;
    io->b = tflc_op_in(c, 1)->data;
    io->out = tflc_op_out(c, 0)->data;
    int threads = tflc_op_threads(c);
    size_t total = 1;
    for (int i = 0; i < io->bc.rank; i++) total *= (size_t)io->bc.shape[i];
    if (threads <= 1 || total < TFLC_BINARY_PAR_MIN) {
        tflc_bcast_run(&io->bc, row, io);
        return;
    }
    size_t tasks = (size_t)threads * 4, chunk = (total + tasks - 1) / tasks;
    chunk = (chunk + 63) / 64 * 64;
    struct tflc_binary_par p = {&io->bc, row, io, total, chunk};
    tflc_op_parallel(c, (int)((total + chunk - 1) / chunk), tflc_binary_task, &p);
}

/* TFLite's CalculateActivationRange<T> for a plain (not quantized) integer type with
 * storage range [tmin, tmax]: NONE [tmin,tmax], RELU [0,tmax], RELU6 [0,6],
 * RELU_N1_TO_1 [-1,1]. False for activations tflc does not fuse. */
static inline bool tflc_binary_act_range_int(int act, int64_t tmin, int64_t tmax, int64_t *lo, int64_t *hi) {
    switch (act) {
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE: *lo = tmin; *hi = tmax; return true;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU: *lo = 0; *hi = tmax; return true;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU_N1_TO_1: *lo = -1; *hi = 1; return true;
    case TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU6: *lo = 0; *hi = 6; return true;
    default: return false;
    }
}

static inline float tflc_binary_clampf(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline int64_t tflc_binary_clamp_i64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* TFLite's CheckedLog2: log2(x) rounded, and whether x is a power of two within 1e-3 in
 * the exponent (float math, as TFLite computes it). */
static inline bool tflc_binary_checked_log2(float x, int *log2_rounded) {
    float l = logf(x) * (1.0f / logf(2.0f));
    float r = roundf(l);
    *log2_rounded = (int)r;
    return fabsf(l - r) < 1e-3f;
}

/* ---- ADD / SUB, 8-bit and 16-bit quantized ----
 * General path: each input is offset by -zero_point, shifted left (20 bits for 8-bit, 15
 * for int16), scaled by s_in / (2 max(s_a, s_b)); the two are added (ADD) or subtracted
 * (SUB), then scaled by 2 max(s_a, s_b) / (2^left_shift s_out), offset and clamped.
 * int16 power-of-two path (pot_scale_int16 set and every scale a power of two, TFLite's
 * LSTM-era kernel): one input is rounding-shifted right to the output scale, the other
 * must already have it; their sum/difference is clamped. */
struct tflc_addsub_q {
    int32_t a_off, b_off, out_off;    /* -zp_a, -zp_b, +zp_out */
    int32_t a_mult, b_mult, out_mult; /* Q31 multipliers */
    int a_shift, b_shift, out_shift;  /* their exponents (<= 0); POT path: input shifts */
    int left_shift;                   /* 20 (8-bit) or 15 (int16) */
    bool pot;                         /* int16 power-of-two path */
    int32_t act_lo, act_hi;           /* clamp range in the output's quantized domain */
    /* XNNPACK (the node is delegated): out = ((bias + a * am + b * bm) >> shift) + zp_out */
    bool xnn;
    int32_t x_bias, x_am, x_bm;
    int x_shift;
};

/* XNNPACK's 8-bit ADD/SUB (xnn_init_q[su]8_add_minmax_scalar_params): the input-to-output
 * scales s_a / s_y and +-s_b / s_y (float; SUB negates the second) become integer multipliers
 * with 20 significant bits for the larger one, a common shift and a bias that holds both zero
 * points and the rounding (ties go up: an arithmetic shift of acc + 2^(shift-1)). */
static inline void tflc_addsub_xnn_init(struct tflc_addsub_q *q, const struct tflc_tensor *a,
                                        const struct tflc_tensor *b, const struct tflc_tensor *y, int sign) {
    const float as = a->quant.scale / y->quant.scale, bs = (float)sign * (b->quant.scale / y->quant.scale);
    const float m = fabsf(as) > fabsf(bs) ? fabsf(as) : fabsf(bs);
    int e;
    frexpf(m, &e); /* m = f * 2^e, f in [0.5, 1): XNNPACK's exponent is e - 1 */
    q->x_shift = 20 - (e - 1);
    /* xnnpack_select.c delegates only scale ratios in [2^-10, 2^8), so x_shift is in [13, 30]
     * (XNNPACK asserts the same); the clamp keeps the shifts below defined for any other caller. */
    if (q->x_shift < 13) q->x_shift = 13;
    if (q->x_shift > 30) q->x_shift = 30;
    q->x_am = (int32_t)tflc_round_even(ldexpf(as, q->x_shift));
    q->x_bm = (int32_t)tflc_round_even(ldexpf(bs, q->x_shift));
    q->x_bias = (int32_t)(((int64_t)1 << (q->x_shift - 1)) - (int64_t)q->x_am * a->quant.zero_point -
                          (int64_t)q->x_bm * b->quant.zero_point);
    q->xnn = true;
}

/* Prepare for quantized ADD/SUB of int8/uint8/int16 (inputs already checked to share the
 * output's dtype). `pot_scale_int16` is the options flag (false when the options table is
 * absent, as TFLite parses it). */
static inline enum tflc_status tflc_addsub_q_prepare(struct tflc_op_ctx *c, int act, bool pot_scale_int16,
                                                     struct tflc_addsub_q *q) {
    const struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!tflc_binary_quantized(c))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "quantized %s needs scales on every tensor",
                            tflc_dtype_name(y->dtype));
    int32_t qmin, qmax;
    tflc_qrange(y->dtype, &qmin, &qmax);
    if (!tflc_act_range_q(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &q->act_lo, &q->act_hi))
        return tflc_op_unsupported(c);
    if (tflc_op_uses_xnnpack(c)) {
        tflc_act_range_xnn(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &q->act_lo, &q->act_hi);
        q->out_off = y->quant.zero_point;
        tflc_addsub_xnn_init(q, a, b, y, c->node->op == TFLC_OP_SUB ? -1 : 1);
        return TFLC_STATUS_OK;
    }
    if (y->dtype == TFLC_DTYPE_INT16) {
        if (a->quant.zero_point || b->quant.zero_point || y->quant.zero_point)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 inputs and output need zero points of 0");
        int la, lb, ly;
        if (pot_scale_int16 && tflc_binary_checked_log2(a->quant.scale, &la) &&
            tflc_binary_checked_log2(b->quant.scale, &lb) && tflc_binary_checked_log2(y->quant.scale, &ly)) {
            q->pot = true;
            q->a_shift = la - ly;
            q->b_shift = lb - ly;
            /* TFLite's requirements, plus shifts below 16 bits (larger ones shift every int16
             * value out, where TFLite's int16 RoundingDivideByPOT returns +-1). */
            if ((q->a_shift != 0 && q->b_shift != 0) || q->a_shift > 0 || q->b_shift > 0 || q->a_shift < -15 ||
                q->b_shift < -15)
                return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                                    "int16 power-of-two scaling needs one input at the output scale and the other "
                                    "at a smaller one (input shifts %d, %d)", q->a_shift, q->b_shift);
            return TFLC_STATUS_OK;
        }
    }
    q->a_off = -a->quant.zero_point;
    q->b_off = -b->quant.zero_point;
    q->out_off = y->quant.zero_point;
    q->left_shift = y->dtype == TFLC_DTYPE_INT16 ? 15 : 20;
    /* Same float/double mix as TFLite, so the multipliers match bit for bit: the max and
     * the doubling are float, the divisions double, 2^left_shift * s_out float. */
    float twice_max = 2.0f * (a->quant.scale > b->quant.scale ? a->quant.scale : b->quant.scale);
    double tm = twice_max;
    tflc_quantize_multiplier(a->quant.scale / tm, &q->a_mult, &q->a_shift);
    tflc_quantize_multiplier(b->quant.scale / tm, &q->b_mult, &q->b_shift);
    float denom = (float)(1 << q->left_shift) * y->quant.scale;
    tflc_quantize_multiplier(tm / denom, &q->out_mult, &q->out_shift);
    return TFLC_STATUS_OK;
}

/* One quantized ADD (sign = +1) or SUB (sign = -1) element. */
static inline int32_t tflc_addsub_q_eval(const struct tflc_addsub_q *q, int32_t a, int32_t b, int sign) {
    int32_t r;
    if (q->xnn) {
        r = tflc_asr(q->x_bias + a * q->x_am + b * q->x_bm, q->x_shift) + q->out_off;
    } else if (q->pot) {
        r = tflc_rdbypot(a, -q->a_shift) + sign * tflc_rdbypot(b, -q->b_shift);
    } else {
        int32_t sa = tflc_mbqm((a + q->a_off) * (1 << q->left_shift), q->a_mult, q->a_shift);
        int32_t sb = tflc_mbqm((b + q->b_off) * (1 << q->left_shift), q->b_mult, q->b_shift);
        r = tflc_add_sat32(tflc_mbqm(tflc_add_sat32(sa, sign * sb), q->out_mult, q->out_shift), q->out_off);
    }
    return tflc_clamp_i32(r, q->act_lo, q->act_hi);
}

#endif
