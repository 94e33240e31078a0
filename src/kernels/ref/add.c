/* ADD: out = act(a + b), numpy broadcasting.
 * float32; int32/int64 (activation clamps in the integer domain); int8/uint8/int16 with
 * TFLite's integer recipe: each input is offset by -zero_point, shifted left (20 bits for
 * 8-bit, 15 for int16), scaled by s_in / (2 max(s_a, s_b)) as a Q31 multiplier, summed, then
 * scaled by 2 max(s_a, s_b) / (2^shift s_out), offset by the output zero point and clamped.
 * prepare precomputes the three multipliers/shifts and the clamp range. */
#include "kernels/ref/common.h"

struct add_data {
    int32_t a_off, b_off, out_off;
    int32_t a_mult, b_mult, out_mult;
    int a_shift, b_shift, out_shift, left_shift;
    int32_t act_lo, act_hi;
    float f_lo, f_hi;
    struct tflc_bcast bc;
    const void *a, *b;
    void *out;
};

#define ROW_FN(name, T, EXPR)                                                                  \
    static void name(void *ud, size_t o, size_t ia, size_t ib, size_t n, size_t da, size_t db) { \
        const struct add_data *d = ud;                                                         \
        const T *a = (const T *)d->a + ia, *b = (const T *)d->b + ib;                          \
        T *y = (T *)d->out + o;                                                                \
        for (size_t i = 0; i < n; i++, a += da, b += db) y[i] = (EXPR);                        \
    }

static inline float clampf(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline int64_t clampl(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

static inline int32_t add_q(const struct add_data *d, int32_t a, int32_t b) {
    int32_t sa = tflc_mbqm((a + d->a_off) * (1 << d->left_shift), d->a_mult, d->a_shift);
    int32_t sb = tflc_mbqm((b + d->b_off) * (1 << d->left_shift), d->b_mult, d->b_shift);
    int32_t r = tflc_mbqm(sa + sb, d->out_mult, d->out_shift) + d->out_off;
    return tflc_clamp_i32(r, d->act_lo, d->act_hi);
}

ROW_FN(row_f32, float, clampf(*a + *b, d->f_lo, d->f_hi))
ROW_FN(row_s32, int32_t, (int32_t)clampl((int64_t)*a + *b, d->act_lo, d->act_hi))
ROW_FN(row_s64, int64_t, *a + *b)
ROW_FN(row_s8, int8_t, (int8_t)add_q(d, *a, *b))
ROW_FN(row_u8, uint8_t, (uint8_t)add_q(d, *a, *b))
ROW_FN(row_s16, int16_t, (int16_t)add_q(d, *a, *b))

static enum tflc_status eval(const struct tflc_op_ctx *c, tflc_bcast_row_fn row) {
    struct add_data d = *(const struct add_data *)c->node->data; /* node data stays read-only */
    d.a = tflc_op_in(c, 0)->data;
    d.b = tflc_op_in(c, 1)->data;
    d.out = tflc_op_out(c, 0)->data;
    tflc_bcast_run(&d.bc, row, &d);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return eval(c, row_f32); }
static enum tflc_status eval_s32(const struct tflc_op_ctx *c) { return eval(c, row_s32); }
static enum tflc_status eval_s64(const struct tflc_op_ctx *c) { return eval(c, row_s64); }
static enum tflc_status eval_s8(const struct tflc_op_ctx *c) { return eval(c, row_s8); }
static enum tflc_status eval_u8(const struct tflc_op_ctx *c) { return eval(c, row_u8); }
static enum tflc_status eval_s16(const struct tflc_op_ctx *c) { return eval(c, row_s16); }

enum tflc_status tflc_add_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!a || !b) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (a->dtype != b->dtype || a->dtype != y->dtype) return tflc_op_unsupported(c);
    int rank;
    int32_t shape[TFLC_MAX_DIMS];
    if (!tflc_broadcast_shape(a, b, &rank, shape))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input shapes of '%s' and '%s' do not broadcast", a->name, b->name);
    if ((st = tflc_op_set_shape(c, y, rank, shape))) return st;
    struct add_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    tflc_bcast_init(&d->bc, a, b, y);
    int act = tflc_fused_act(c, TFLC_TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION);
    switch (y->dtype) {
    case TFLC_DTYPE_FLOAT32:
        if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi)) return tflc_op_unsupported(c);
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32: {
        float lo, hi;
        if (!tflc_act_range_f32(act, &lo, &hi)) return tflc_op_unsupported(c);
        d->act_lo = act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE ? INT32_MIN : (int32_t)lo;
        d->act_hi = act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE || act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU ? INT32_MAX : (int32_t)hi;
        c->node->eval = eval_s32;
        return TFLC_STATUS_OK;
    }
    case TFLC_DTYPE_INT64:
        c->node->eval = eval_s64;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8:
    case TFLC_DTYPE_UINT8:
    case TFLC_DTYPE_INT16:
        break;
    default:
        return tflc_op_unsupported(c);
    }
    if (!a->quant.num_scales || !b->quant.num_scales || !y->quant.num_scales)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "quantized ADD needs scales on every tensor");
    if (y->dtype == TFLC_DTYPE_INT16) {
        bool pot = tflc_tfl_add_options_pot_scale_int16(c->node->options);
        if (pot) return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "int16 ADD with power-of-two scaling (pot_scale_int16) is not supported");
        if (a->quant.zero_point || b->quant.zero_point || y->quant.zero_point)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int16 ADD needs zero points of 0");
    }
    d->a_off = -a->quant.zero_point;
    d->b_off = -b->quant.zero_point;
    d->out_off = y->quant.zero_point;
    d->left_shift = y->dtype == TFLC_DTYPE_INT16 ? 15 : 20;
    /* Same float/double mix as TFLite's add.cc, so the multipliers match bit for bit. */
    float twice_max = 2.0f * (a->quant.scale > b->quant.scale ? a->quant.scale : b->quant.scale);
    double tm = twice_max;
    tflc_quantize_multiplier(a->quant.scale / tm, &d->a_mult, &d->a_shift);
    tflc_quantize_multiplier(b->quant.scale / tm, &d->b_mult, &d->b_shift);
    float denom = (float)(1 << d->left_shift) * y->quant.scale;
    tflc_quantize_multiplier(tm / denom, &d->out_mult, &d->out_shift);
    int32_t qmin, qmax;
    tflc_qrange(y->dtype, &qmin, &qmax);
    if (!tflc_act_range_q(act, y->quant.scale, y->quant.zero_point, qmin, qmax, &d->act_lo, &d->act_hi))
        return tflc_op_unsupported(c);
    c->node->eval = y->dtype == TFLC_DTYPE_INT8 ? eval_s8 : y->dtype == TFLC_DTYPE_UINT8 ? eval_u8 : eval_s16;
    return TFLC_STATUS_OK;
}
