/* AVERAGE_POOL_2D: out[n,y,x,c] = act(mean of in[n, window(y,x), c]), NHWC. The window is
 * clipped to the input (padded cells are not counted), so the divisor is the clipped size.
 * float32: sum / count, clamped. int8/uint8/int16 (TFLite's AveragePool, integer only):
 * acc = sum of the raw values (int32), out = round(acc / count) with ties away from zero
 * ((acc +- count/2) / count, C division), clamped to the activation range in the quantized
 * domain. Input and output must share scale and zero point (TFLite assumes it).
 * prepare precomputes the geometry and clamp range. */
#include "kernels/ref/pool_util.h"

struct avgpool_data {
    struct pool_geom g;
    int32_t act_lo, act_hi; /* quantized clamp range */
    float f_lo, f_hi;       /* float clamp range */
};

/* One eval's operands, read by the row functions. */
struct pool_run {
    const struct avgpool_data *d;
    const void *in;
    void *out;
};

/* Output row (b, oy) of float32. The window's input pixels are added into the output one pixel
 * at a time with the channel loop innermost (vectorized); each channel's sum still starts at 0
 * and takes the window in (y, x) order, so the float result is the per-channel loop's. */
static void row_f32(const void *ud, int32_t b, int32_t oy) {
    const struct pool_run *r = ud;
    const struct avgpool_data *d = r->d;
    const struct pool_geom *g = &d->g;
    const float *in = r->in;
    float *out = r->out;
    const size_t nch = (size_t)g->ch;
    for (int32_t ox = 0; ox < g->out_w; ox++) {
        int32_t y0, y1, x0, x1;
        pool_window(g, oy, ox, &y0, &y1, &x0, &x1);
        float count = (float)((y1 - y0) * (x1 - x0));
        float *o = out + pool_off(b, oy, ox, g->out_h, g->out_w, g->ch);
        for (size_t ch = 0; ch < nch; ch++) o[ch] = 0.0f;
        for (int32_t y = y0; y < y1; y++)
            for (int32_t x = x0; x < x1; x++) {
                const float *v = in + pool_off(b, y, x, g->in_h, g->in_w, g->ch);
                for (size_t ch = 0; ch < nch; ch++) o[ch] += v[ch];
            }
        for (size_t ch = 0; ch < nch; ch++) {
            float v = o[ch] / count;
            o[ch] = v < d->f_lo ? d->f_lo : v > d->f_hi ? d->f_hi : v;
        }
    }
}

/* The quantized kernels differ only in the element type; int32 sums of up to QCHUNK channels at
 * a time on the stack, filled as the float row above (integer sums: the order is free anyway). */
#define QCHUNK 256
#define ROW_Q(name, T)                                                                                                 \
    static void name(const void *ud, int32_t b, int32_t oy) {                                                          \
        const struct pool_run *r = ud;                                                                                 \
        const struct avgpool_data *d = r->d;                                                                           \
        const struct pool_geom *g = &d->g;                                                                             \
        const T *in = r->in;                                                                                           \
        T *out = r->out;                                                                                               \
        uint32_t acc[QCHUNK]; /* wraps like TFLite's int32 sum, without C's signed overflow */                         \
        for (int32_t ox = 0; ox < g->out_w; ox++) {                                                                    \
            int32_t y0, y1, x0, x1;                                                                                    \
            pool_window(g, oy, ox, &y0, &y1, &x0, &x1);                                                                \
            const int32_t count = (y1 - y0) * (x1 - x0);                                                               \
            T *o = out + pool_off(b, oy, ox, g->out_h, g->out_w, g->ch);                                               \
            for (size_t c0 = 0; c0 < (size_t)g->ch; c0 += QCHUNK) {                                                    \
                const size_t n = (size_t)g->ch - c0 < QCHUNK ? (size_t)g->ch - c0 : QCHUNK;                            \
                for (size_t ch = 0; ch < n; ch++) acc[ch] = 0;                                                         \
                for (int32_t y = y0; y < y1; y++)                                                                      \
                    for (int32_t x = x0; x < x1; x++) {                                                                \
                        const T *v = in + pool_off(b, y, x, g->in_h, g->in_w, g->ch) + c0;                             \
                        for (size_t ch = 0; ch < n; ch++) acc[ch] += (uint32_t)(int32_t)v[ch];                         \
                    }                                                                                                  \
                for (size_t ch = 0; ch < n; ch++) {                                                                    \
                    const int32_t a = (int32_t)acc[ch];                                                                \
                    const int32_t q = a > 0 ? (a + count / 2) / count : (a - count / 2) / count;                       \
                    o[c0 + ch] = (T)tflc_clamp_i32(q, d->act_lo, d->act_hi);                                           \
                }                                                                                                      \
            }                                                                                                          \
        }                                                                                                              \
    }

ROW_Q(row_s8, int8_t)
ROW_Q(row_u8, uint8_t)
ROW_Q(row_s16, int16_t)

/* Output rows go to the interpreter's threads when the op is large (pool_run_rows). */
#define EVAL(name, row)                                                                                                \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                                                        \
        struct pool_run r = {c->node->data, tflc_op_in(c, 0)->data, tflc_op_out(c, 0)->data};                          \
        pool_run_rows(c, &r.d->g, row, &r);                                                                            \
        return TFLC_STATUS_OK;                                                                                         \
    }

EVAL(eval_f32, row_f32)
EVAL(eval_s8, row_s8)
EVAL(eval_u8, row_u8)
EVAL(eval_s16, row_s16)

enum tflc_status tflc_average_pool2d_prepare(struct tflc_op_ctx *c) {
    struct pool_geom g = {0};
    int act = 0;
    enum tflc_status st = pool_prepare_geom(c, &g, &act);
    if (st) return st;
    const struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    struct avgpool_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->g = g;
    c->node->data = d;
    if (x->dtype == TFLC_DTYPE_FLOAT32) {
        if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi))
            return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "fused activation %d is not supported", act);
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    }
    if (!pool_is_q(x->dtype)) return tflc_op_unsupported(c);
    if ((st = pool_need_scale(c, x)) || (st = pool_need_scale(c, y))) return st;
    /* TFLite averages the raw values, which is only right when both sides share quantization. */
    if (fabsf(x->quant.scale - y->quant.scale) > 1e-6f || x->quant.zero_point != y->quant.zero_point)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "input '%s' and output '%s' must have the same scale and zero point (%g,%d vs %g,%d)",
                            x->name, y->name, (double)x->quant.scale, (int)x->quant.zero_point, (double)y->quant.scale,
                            (int)y->quant.zero_point);
    int32_t qmin, qmax;
    tflc_qrange(y->dtype, &qmin, &qmax);
    if (!tflc_act_range_q(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &d->act_lo, &d->act_hi))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "fused activation %d is not supported", act);
    c->node->eval = y->dtype == TFLC_DTYPE_INT8 ? eval_s8 : y->dtype == TFLC_DTYPE_UINT8 ? eval_u8 : eval_s16;
    return TFLC_STATUS_OK;
}
