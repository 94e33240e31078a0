/* LOG_SOFTMAX over the last dimension: out = x - max - log(sum(exp(x - max))).
 * float32: as TFLite's reference (float exp and log).
 * int8 (output scale 16/256, zero point 127, as TFLite requires): TFLite's integer kernel:
 * differences to the row max are scaled to Q5.26 by a multiplier from s_in (beta 1,
 * PreprocessLogSoftmaxScalingExp), exp in fixed point (gemmlowp exp_on_negative_values),
 * summed in Q12.19, log in Q5.26, then out = RoundingDivideByPOT(diff - log_sum, 22) + 127;
 * differences below diff_min (the input radius) or below the reverse-scaled log_sum give -128.
 * uint8 (output scale 16/256, zero point 255): TFLite's float-table kernel:
 * table[255 - k] = expf(-s_in * k), log_sum = logf(sum of the row's table entries),
 * out = rint(s_in/s_out * q - (s_in * max + log_sum) / s_out) + 255, clamped.
 * prepare precomputes multipliers / the table. */
#include "kernels/ref/pool_util.h"

struct log_softmax_data {
    size_t outer, depth; /* rows and row length (last dim) */
    int32_t in_mult;     /* int8: input multiplier (Q31) and left shift */
    int in_shift;
    int32_t rev_mult; /* int8: reverse scaling multiplier and (right) shift */
    int rev_shift;
    int32_t diff_min;          /* int8: smallest difference that contributes */
    float in_scale, out_scale; /* uint8 */
    float table[256];          /* uint8: table[255 - k] = exp(-s_in * k) */
};

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    const struct log_softmax_data *d = c->node->data;
    const float *in = tflc_op_in(c, 0)->data;
    float *out = tflc_op_out(c, 0)->data;
    for (size_t r = 0; r < d->outer; r++, in += d->depth, out += d->depth) {
        float max = -FLT_MAX;
        for (size_t j = 0; j < d->depth; j++)
            if (in[j] > max) max = in[j];
        float sum = 0.0f;
        for (size_t j = 0; j < d->depth; j++) sum += expf(in[j] - max);
        const float log_sum = logf(sum);
        for (size_t j = 0; j < d->depth; j++) out[j] = in[j] - max - log_sum;
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s8(const struct tflc_op_ctx *c) {
    const struct log_softmax_data *d = c->node->data;
    const int8_t *in = tflc_op_in(c, 0)->data;
    int8_t *out = tflc_op_out(c, 0)->data;
    enum { IN_BITS = 5, ACC_BITS = 12, OUT_BITS = 4 };
    for (size_t r = 0; r < d->outer; r++, in += d->depth, out += d->depth) {
        int32_t max = INT8_MIN;
        for (size_t j = 0; j < d->depth; j++)
            if (in[j] > max) max = in[j];
        int32_t sum_q12 = 0; /* sum of exp(diff), Q12.19 */
        for (size_t j = 0; j < d->depth; j++) {
            int32_t diff = in[j] - max;
            if (diff < d->diff_min) continue;
            int32_t diff_q5 = tflc_mbqm(diff, d->in_mult, d->in_shift);
            sum_q12 = fxp_add(sum_q12, fxp_rescale(fxp_exp_neg(diff_q5, IN_BITS), 0, ACC_BITS));
        }
        const int32_t log_sum_q5 = fxp_log_x_ge_1(sum_q12, ACC_BITS, IN_BITS);
        /* Differences whose output would fall below the representable range give -128. */
        const int32_t shifted_log_sum = fxp_add(log_sum_q5, INT32_MIN);
        int32_t adj_min = tflc_mbqm(shifted_log_sum, d->rev_mult, -d->rev_shift);
        if (d->diff_min - 1 > adj_min) adj_min = d->diff_min - 1;
        for (size_t j = 0; j < d->depth; j++) {
            int32_t diff = in[j] - max;
            if (diff > adj_min) {
                int32_t diff_q5 = tflc_mbqm(diff, d->in_mult, d->in_shift);
                int32_t v = tflc_rdbypot(fxp_sub(diff_q5, log_sum_q5), 31 - IN_BITS - OUT_BITS) + 127;
                out[j] = (int8_t)tflc_clamp_i32(v, INT8_MIN, INT8_MAX);
            } else {
                out[j] = INT8_MIN;
            }
        }
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_u8(const struct tflc_op_ctx *c) {
    const struct log_softmax_data *d = c->node->data;
    const uint8_t *in = tflc_op_in(c, 0)->data;
    uint8_t *out = tflc_op_out(c, 0)->data;
    for (size_t r = 0; r < d->outer; r++, in += d->depth, out += d->depth) {
        int32_t max = 0;
        for (size_t j = 0; j < d->depth; j++)
            if (in[j] > max) max = in[j];
        float sum = 0.0f;
        for (size_t j = 0; j < d->depth; j++) sum += d->table[255 - (max - in[j])];
        const float log_sum = logf(sum);
        const float scale = d->in_scale / d->out_scale;
        const float pre = (d->in_scale * (float)max + log_sum) / d->out_scale;
        for (size_t j = 0; j < d->depth; j++) {
            const float lp = scale * (float)in[j] - pre;
            out[j] = (uint8_t)tflc_clamp_i32((int32_t)rintf(lp) + 255, 0, UINT8_MAX);
        }
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_log_softmax_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->rank < 1) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' must have rank >= 1", x->name);
    if (tflc_numel(x) == 0) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' is zero-sized", x->name);
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    if ((st = tflc_op_set_shape(c, y, x->rank, x->dims))) return st;
    struct log_softmax_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->depth = (size_t)x->dims[x->rank - 1];
    d->outer = tflc_numel(x) / d->depth;
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8:
    case TFLC_DTYPE_UINT8: break;
    default: return tflc_op_unsupported(c);
    }
    if ((st = pool_need_scale(c, x))) return st;
    if ((st = pool_need_out_q(c, y, 16.0 / 256, x->dtype == TFLC_DTYPE_INT8 ? 127 : 255, "16/256"))) return st;
    if (x->dtype == TFLC_DTYPE_UINT8) {
        const float scale = -x->quant.scale; /* beta is 1 */
        for (int k = 0; k <= 255; k++) d->table[255 - k] = expf(scale * (float)k);
        d->in_scale = x->quant.scale;
        d->out_scale = y->quant.scale;
        c->node->eval = eval_u8;
        return TFLC_STATUS_OK;
    }
    if (d->depth > 4095) /* the Q12.19 sum of exps (each <= 1.0 = 2^19) must stay below 2^31 */
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "int8 rows longer than 4095 (%zu) overflow TFLite's sum",
                            d->depth);
    /* PreprocessLogSoftmaxScalingExp(beta 1, s_in, 5 integer bits). */
    const int in_bits = 5;
    double real = (double)x->quant.scale * (double)(1 << (31 - in_bits));
    if (real > 2147483647.0) real = 2147483647.0;
    if (!(real > 1.0)) /* TFLite's QuantizeMultiplierGreaterThanOne requires it */
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "input scale %g is too small for the int8 kernel",
                            (double)x->quant.scale);
    tflc_quantize_multiplier(real, &d->in_mult, &d->in_shift);
    double rev = (double)(1 << (31 - d->in_shift)) / (double)d->in_mult;
    int rev_shift;
    tflc_quantize_multiplier(rev, &d->rev_mult, &rev_shift);
    d->rev_shift = -rev_shift; /* kept as a right shift, as TFLite stores it */
    /* CalculateInputRadius(5, in_shift): floor((2^5 - 1) * 2^26 / 2^in_shift). */
    double radius = floor(31.0 * (double)(1ll << (31 - in_bits)) / (double)(1ll << d->in_shift));
    d->diff_min = -(int32_t)radius;
    c->node->eval = eval_s8;
    return TFLC_STATUS_OK;
}
