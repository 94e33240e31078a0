/* ADD: out = act(a + b), numpy broadcasting.
 * float32; int32 (clamped exact sum); int64 and plain int16 (v4/v5, sum clamped to the
 * activation range as TFLite); int8/uint8/int16 quantized (real = scale * (q - zero_point))
 * with TFLite's integer recipe, shared with SUB in binary_util.h: inputs rescaled to a common
 * 2^20 (2^15 for int16) scaled domain, summed, rescaled to the output, clamped; int16 also
 * has the power-of-two path. prepare precomputes multipliers, shifts and clamp ranges. */
#include "kernels/ref/binary_util.h"
#include "kernels/ref/f32_fast.h"

struct add_data {
    struct tflc_binary_io io;
    struct tflc_addsub_q q;
    int64_t lo, hi;          /* integer activation range */
    float f_lo, f_hi;        /* float activation range */
};

TFLC_BINARY_ROW(row_f32, struct add_data, float, float, tflc_binary_clampf(*a + *b, d->f_lo, d->f_hi))
TFLC_BINARY_ROW(row_s32, struct add_data, int32_t, int32_t,
                (int32_t)tflc_binary_clamp_i64((int64_t)*a + *b, d->lo, d->hi))
TFLC_BINARY_ROW(row_s64, struct add_data, int64_t, int64_t,
                tflc_binary_clamp_i64((int64_t)((uint64_t)*a + (uint64_t)*b), d->lo, d->hi))
TFLC_BINARY_ROW(row_s16_plain, struct add_data, int16_t, int16_t,
                (int16_t)tflc_binary_clamp_i64((int32_t)*a + *b, d->lo, d->hi))
TFLC_BINARY_ROW(row_s8, struct add_data, int8_t, int8_t, (int8_t)tflc_addsub_q_eval(&d->q, *a, *b, 1))
TFLC_BINARY_ROW(row_u8, struct add_data, uint8_t, uint8_t, (uint8_t)tflc_addsub_q_eval(&d->q, *a, *b, 1))
TFLC_BINARY_ROW(row_s16, struct add_data, int16_t, int16_t, (int16_t)tflc_addsub_q_eval(&d->q, *a, *b, 1))

static enum tflc_status eval(const struct tflc_op_ctx *c, tflc_bcast_row_fn row) {
    struct add_data d = *(const struct add_data *)c->node->data; /* node data stays read-only */
    tflc_binary_run(c, &d.io, row);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return eval(c, row_f32); }
static enum tflc_status eval_s32(const struct tflc_op_ctx *c) { return eval(c, row_s32); }
static enum tflc_status eval_s64(const struct tflc_op_ctx *c) { return eval(c, row_s64); }
static enum tflc_status eval_s16_plain(const struct tflc_op_ctx *c) { return eval(c, row_s16_plain); }
static enum tflc_status eval_s8(const struct tflc_op_ctx *c) { return eval(c, row_s8); }
static enum tflc_status eval_u8(const struct tflc_op_ctx *c) { return eval(c, row_u8); }
static enum tflc_status eval_s16(const struct tflc_op_ctx *c) { return eval(c, row_s16); }

enum tflc_status tflc_add_prepare(struct tflc_op_ctx *c) {
    struct add_data *d = NULL;
    enum tflc_status st = tflc_binary_prepare(c, sizeof *d, (void **)&d);
    if (st) return st;
    int act = tflc_fused_act(c, TFLC_TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION);
    bool pot = c->node->options.off != 0 && tflc_tfl_add_options_pot_scale_int16(c->node->options);
    switch (tflc_op_out(c, 0)->dtype) {
    case TFLC_DTYPE_FLOAT32:
        if (!tflc_act_range_f32(act, &d->f_lo, &d->f_hi)) return tflc_op_unsupported(c);
        bool fast = false; /* same shapes: vadd_f32 microkernel (add_fast.c) */
        if ((st = tflc_add_fast_prepare(c, d->f_lo, d->f_hi, &fast)) || fast) return st;
        c->node->eval = eval_f32;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32:
        if (!tflc_binary_act_range_int(act, INT32_MIN, INT32_MAX, &d->lo, &d->hi)) return tflc_op_unsupported(c);
        c->node->eval = eval_s32;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT64:
        if (!tflc_binary_act_range_int(act, INT64_MIN, INT64_MAX, &d->lo, &d->hi)) return tflc_op_unsupported(c);
        c->node->eval = eval_s64;
        return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT16:
        if (tflc_op_out(c, 0)->quant.num_scales == 0) { /* v5: plain int16 */
            if (!tflc_binary_act_range_int(act, INT16_MIN, INT16_MAX, &d->lo, &d->hi)) return tflc_op_unsupported(c);
            c->node->eval = eval_s16_plain;
            return TFLC_STATUS_OK;
        }
        c->node->eval = eval_s16;
        break;
    case TFLC_DTYPE_INT8: c->node->eval = eval_s8; break;
    case TFLC_DTYPE_UINT8: c->node->eval = eval_u8; break;
    default: return tflc_op_unsupported(c);
    }
    if ((st = tflc_addsub_q_prepare(c, act, pot, &d->q))) return st;
    if (tflc_op_out(c, 0)->dtype == TFLC_DTYPE_INT8 && d->q.xnn) { /* vadd_s8 microkernel when the table has one */
        bool fast = false;
        st = tflc_add_fast_prepare_s8(c, d->q.x_bias, d->q.x_am, d->q.x_bm, d->q.x_shift, d->q.out_off, d->q.act_lo,
                                      d->q.act_hi, &fast);
    }
    return st;
}
