/* SOFTMAX over the last dimension: out = exp(beta * (x - max)) / sum(exp(beta * (x - max))).
 * float32: as TFLite's reference (float exp, sum in order, divide).
 * int8/uint8 input -> int8/uint8 (scale 1/256, zero point -128/0) or int16 (1/65536, -32768)
 * output: TFLite's builtin kernel (the one Google's runtime runs, bit for bit; the
 * fixed-point reference_ops::Softmax is what TFLite Micro runs): a float table
 * table[255 - k] = expf(-s_in * beta * k), k = max - q, per row sum the table entries in
 * order, inv = 1 / (sum * s_out), out = round(table * inv) + zp_out (uint8: (int)(p + 0.5f),
 * as on non-arm64 builds), clamped.
 * int16 -> int16 (output scale 1/32768, zero point 0): TFLite's SoftmaxInt16: the difference
 * to the row max scaled so that [-65535, 0] covers [-10, 0], exp from a 513-entry int16 table
 * with linear interpolation, a Q16.15 sum, its reciprocal from a 1/(1+x) table, and a rounding
 * shift. prepare builds the tables and multipliers. Large tensors split their rows over the
 * interpreter's threads. */
#include "kernels/ref/pool_util.h"

struct softmax_data {
    size_t outer, depth; /* rows and row length (last dim) */
    float beta;
    float out_scale; /* 8-bit input: s_out */
    int32_t out_zp;
    float table[256]; /* 8-bit input: table[255 - k] = exp(-s_in * beta * k) */
    int32_t in_mult;  /* int16: s_in * beta / (10 / 65535) as Q31 + shift */
    int in_shift;
    int16_t exp_lut[513];   /* int16: exp(x), x in [-10, 0], Q0.15 */
    int16_t recip_lut[513]; /* int16: 1 / (1 + x), x in [0, 1], Q0.15 */
};

/* Rows [r0, r1) of one eval; every kernel below is one of these (rows are independent, so
 * splitting them over threads changes no result). */
typedef void (*rows_fn)(const struct softmax_data *d, const void *in, void *out, size_t r0, size_t r1);

struct softmax_run {
    const struct softmax_data *d;
    const void *in;
    void *out;
    rows_fn rows;
    size_t chunk; /* rows per task */
};

static void rows_task(void *ud, int t) {
    const struct softmax_run *r = ud;
    size_t r0 = (size_t)t * r->chunk, r1 = r0 + r->chunk < r->d->outer ? r0 + r->chunk : r->d->outer;
    if (r0 < r1) r->rows(r->d, r->in, r->out, r0, r1);
}

/* Elements below which softmax runs on the caller alone. */
#define SOFTMAX_PAR_MIN 16384

/* Runs `rows` over every row: on the caller, or in up to 4 slices of rows per thread when the
 * tensor is large and has several rows. */
static enum tflc_status run_rows(const struct tflc_op_ctx *c, rows_fn rows) {
    struct softmax_run r = {c->node->data, tflc_op_in(c, 0)->data, tflc_op_out(c, 0)->data, rows, 0};
    size_t outer = r.d->outer, tasks = (size_t)tflc_op_threads(c) * 4;
    if (tasks <= 4 || outer < 2 || outer * r.d->depth < SOFTMAX_PAR_MIN) {
        rows(r.d, r.in, r.out, 0, outer);
        return TFLC_STATUS_OK;
    }
    if (tasks > outer) tasks = outer;
    r.chunk = (outer + tasks - 1) / tasks;
    tflc_op_parallel(c, (int)((outer + r.chunk - 1) / r.chunk), rows_task, &r);
    return TFLC_STATUS_OK;
}

static void rows_f32(const struct softmax_data *d, const void *vin, void *vout, size_t r0, size_t r1) {
    const float *in = (const float *)vin + r0 * d->depth;
    float *out = (float *)vout + r0 * d->depth;
    for (size_t r = r0; r < r1; r++, in += d->depth, out += d->depth) {
        float max = -FLT_MAX;
        for (size_t j = 0; j < d->depth; j++)
            if (in[j] > max) max = in[j];
        float sum = 0.0f;
        for (size_t j = 0; j < d->depth; j++) {
            out[j] = expf((in[j] - max) * d->beta);
            sum += out[j];
        }
        for (size_t j = 0; j < d->depth; j++) out[j] /= sum;
    }
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return run_rows(c, rows_f32); }

/* 8-bit input, any output type: the float-table kernel. ROUND turns the rescaled
 * probability into an integer. */
#define EVAL_LUT(name, TI, TO, OMIN, OMAX, ROUND)                                                                      \
    static void rows_##name(const struct softmax_data *d, const void *vin, void *vout, size_t r0, size_t r1) {         \
        const TI *in = (const TI *)vin + r0 * d->depth;                                                                \
        TO *out = (TO *)vout + r0 * d->depth;                                                                          \
        for (size_t r = r0; r < r1; r++, in += d->depth, out += d->depth) {                                            \
            int32_t max = in[0];                                                                                       \
            for (size_t j = 1; j < d->depth; j++)                                                                      \
                if (in[j] > max) max = in[j];                                                                          \
            float sum = 0.0f;                                                                                          \
            for (size_t j = 0; j < d->depth; j++) sum += d->table[255 - (max - in[j])];                                \
            const float inv = 1.0f / (sum * d->out_scale);                                                             \
            for (size_t j = 0; j < d->depth; j++) {                                                                    \
                const float p = d->table[255 - (max - in[j])] * inv;                                                   \
                const float q = (ROUND); /* inf / NaN when a hostile scale is 1e-40 */                                 \
                const int32_t qi = !(q >= -1e9f) ? -1000000000 : q > 1e9f ? 1000000000 : (int32_t)q;                   \
                out[j] = (TO)tflc_clamp_i32(qi + d->out_zp, OMIN, OMAX);                                               \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    static enum tflc_status name(const struct tflc_op_ctx *c) { return run_rows(c, rows_##name); }

EVAL_LUT(eval_s8_s8, int8_t, int8_t, INT8_MIN, INT8_MAX, roundf(p))
EVAL_LUT(eval_u8_u8, uint8_t, uint8_t, 0, UINT8_MAX, p + 0.5f)
EVAL_LUT(eval_s8_s16, int8_t, int16_t, INT16_MIN, INT16_MAX, roundf(p))
EVAL_LUT(eval_u8_s16, uint8_t, int16_t, INT16_MIN, INT16_MAX, roundf(p))

/* Table lookup with interpolation, TFLite's LUTLookup for int16: the top 9 bits pick the
 * entry, the low 7 bits interpolate to the next one. */
static int16_t lut16(const int16_t *lut, int16_t v) {
    int idx = 256 + (v >> 7);
    int32_t off = v & 0x7f;
    int32_t base = lut[idx], slope = lut[idx + 1] - lut[idx];
    return (int16_t)(base + ((slope * off + 64) >> 7));
}

static int16_t sat16(int32_t v) { return (int16_t)tflc_clamp_i32(v, INT16_MIN, INT16_MAX); }

static void rows_s16(const struct softmax_data *d, const void *vin, void *vout, size_t r0, size_t r1) {
    const int16_t *in = (const int16_t *)vin + r0 * d->depth;
    int16_t *out = (int16_t *)vout + r0 * d->depth;
    for (size_t r = r0; r < r1; r++, in += d->depth, out += d->depth) {
        int32_t max = INT16_MIN;
        for (size_t j = 0; j < d->depth; j++)
            if (in[j] > max) max = in[j];
        /* exp(x - max) in Q0.15, kept in `out` until the sum is known; sum is Q16.15. */
        int32_t sum = 0;
        for (size_t j = 0; j < d->depth; j++) {
            int32_t scaled = tflc_mbqm(in[j] - max, d->in_mult, d->in_shift); /* [-65535, 0] ~ [-10, 0] */
            out[j] = lut16(d->exp_lut, sat16(scaled + 32767));
            sum += out[j];
        }
        /* 1 / sum: normalize sum to [1, 2) as x + 1, x in [0, 1) in Q0.15 recentred to int16. */
        int hr1 = fxp_clz32((uint32_t)sum);
        int32_t shifted = (int32_t)((((int64_t)sum << (hr1 - 1)) + (1 << 13)) >> 14);
        int16_t recip = lut16(d->recip_lut, sat16(shifted - ((1 << 15) + (1 << 16))));
        int rshift = 31 - hr1;
        int64_t round = (int64_t)1 << (rshift - 1);
        for (size_t j = 0; j < d->depth; j++) {
            int32_t v = (int32_t)(((int64_t)out[j] * recip + round) >> rshift);
            out[j] = (int16_t)tflc_clamp_i32(v, 0, INT16_MAX);
        }
    }
}

static enum tflc_status eval_s16(const struct tflc_op_ctx *c) { return run_rows(c, rows_s16); }

/* TFLite's gen_lut: 512 segments over [lo, hi] in Q0.15 (values * 32768, clamped to int16),
 * each sample nudged by half the error the linear interpolation makes at the segment's
 * midpoint; entry 512 is f(hi), used only for the last slope. */
static void gen_lut(double (*f)(double), double lo, double hi, int16_t *lut) {
    const double step = (hi - lo) / 512.0, half = step / 2.0;
    for (int i = 0; i < 512; i++) {
        double sample = round(f(lo + i * step) * 32768.0);
        double interp = round((f(lo + (i + 1) * step) * 32768.0 + round(f(lo + i * step) * 32768.0)) / 2.0);
        double mid = round(f(lo + i * step + half) * 32768.0);
        double bias = round((interp - mid) / 2.0);
        double v = sample - bias;
        lut[i] = (int16_t)(v < -32768.0 ? -32768.0 : v > 32767.0 ? 32767.0 : v);
    }
    double last = round(f(hi) * 32768.0);
    lut[512] = (int16_t)(last < -32768.0 ? -32768.0 : last > 32767.0 ? 32767.0 : last);
}

static double one_over_one_plus(double x) { return 1.0 / (1.0 + x); }

enum tflc_status tflc_softmax_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->rank < 1) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' must have rank >= 1", x->name);
    if (tflc_numel(x) == 0) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' is zero-sized", x->name);
    if ((st = tflc_op_set_shape(c, y, x->rank, x->dims))) return st;
    struct softmax_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->depth = (size_t)x->dims[x->rank - 1];
    d->outer = tflc_numel(x) / d->depth;
    d->beta = tflc_tfl_softmax_options_beta(c->node->options);
    if (x->dtype == TFLC_DTYPE_FLOAT32 && y->dtype == TFLC_DTYPE_FLOAT32) {
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    }
    bool in8 = x->dtype == TFLC_DTYPE_INT8 || x->dtype == TFLC_DTYPE_UINT8;
    bool ok = (in8 && (y->dtype == x->dtype || y->dtype == TFLC_DTYPE_INT16)) ||
              (x->dtype == TFLC_DTYPE_INT16 && y->dtype == TFLC_DTYPE_INT16);
    if (!ok) return tflc_op_unsupported(c);
    if ((st = pool_need_scale(c, x))) return st;
    if (y->dtype == TFLC_DTYPE_INT8)
        st = pool_need_out_q(c, y, 1.0 / 256, -128, "1/256");
    else if (y->dtype == TFLC_DTYPE_UINT8)
        st = pool_need_out_q(c, y, 1.0 / 256, 0, "1/256");
    else if (in8)
        st = pool_need_out_q(c, y, 1.0 / 65536, -32768, "1/65536");
    else
        st = pool_need_out_q(c, y, 1.0 / 32768, 0, "1/32768");
    if (st) return st;
    if (in8) {
        /* PopulateSoftmaxLookupTable: float math throughout. */
        const float scale = -x->quant.scale * d->beta;
        for (int k = 0; k <= 255; k++) d->table[255 - k] = expf(scale * (float)k);
        d->out_scale = y->quant.scale;
        d->out_zp = y->quant.zero_point;
        if (x->dtype == TFLC_DTYPE_INT8)
            c->node->eval = y->dtype == TFLC_DTYPE_INT8 ? eval_s8_s8 : eval_s8_s16;
        else
            c->node->eval = y->dtype == TFLC_DTYPE_UINT8 ? eval_u8_u8 : eval_u8_s16;
        return TFLC_STATUS_OK;
    }
    if (d->depth > 65536) /* the Q16.15 sum of up to 32767 per element must fit an int32 */
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "int16 rows longer than 65536 (%zu) overflow TFLite's sum",
                            d->depth);
    gen_lut(exp, -10.0, 0.0, d->exp_lut);
    gen_lut(one_over_one_plus, 0.0, 1.0, d->recip_lut);
    /* (float s_in * float beta) in float, then the division in double, as TFLite. */
    const double rescale = (double)(x->quant.scale * d->beta) / (10.0 / 65535.0);
    tflc_quantize_multiplier(rescale, &d->in_mult, &d->in_shift);
    c->node->eval = eval_s16;
    return TFLC_STATUS_OK;
}
