/* SVDF: a fully connected layer factored into feature and time filters (TFLite svdf.cc).
 * Per invoke and batch row: the state [batch, num_filters x memory] shifts left by one step,
 * the newest column becomes weights_feature [num_filters, in] . x, then
 *   out[u] = act(sum_{r < rank} dot(weights_time[u*rank + r], state[u*rank + r]) + bias[u])
 * (num_units = num_filters / rank). The state (input 4) is a variable tensor.
 * Types: float32; hybrid (float input, int8 weights: x quantized per batch row at run time,
 * symmetric or asymmetric with asymmetric_quantize_inputs; weights_time dequantized once);
 * int8 (TFLite's EvalIntegerSVDF: int8 input/weights_feature, int16 weights_time and state,
 * int32 bias; newest column = mbqm(sum w (x - zp_x), s_x s_wf / s_state) clamped to int16;
 * output = mbqm(sum + bias, s_state s_wt / s_out) + zp_out clamped to int8). TFLite requires
 * RELU for int8 and, like it, applies only the int8 clamp.
 * prepare precomputes: the int8 multipliers (float products as TFLite), the dequantized time
 * weights and the feature-weight row sums for hybrid. */
#include "kernels/ref/lstm_util.h"

enum { IN_X, IN_WF, IN_WT, IN_BIAS, IN_STATE };
enum svdf_kind { K_F32, K_HYBRID, K_S8 };

struct svdf_data {
    enum svdf_kind kind;
    int batch, n_input, n_filter, n_unit, n_memory, rank, act;
    bool asymmetric;
    float wf_scale;                     /* hybrid */
    const float *wt_f32;                /* hybrid: dequantized weights_time (arena) */
    int32_t *row_sums;                  /* hybrid asymmetric: feature-weight row sums (arena) */
    int32_t mult1, mult2, x_zp, out_zp; /* int8 */
    int shift1, shift2;
    size_t off_q, off_sf, off_zp; /* hybrid scratch after the float accumulators */
};

/* Drops the oldest step of every (batch, filter) row: the whole buffer moves left by one
 * element, the last column is overwritten next. */
static void shift_state(void *state, size_t n, size_t es) {
    if (n > 1) memmove(state, (uint8_t *)state + es, (n - 1) * es);
}

/* out[b][u] = act(sum_r dot(wt[f], state[b][f]) + bias[u]) with f = u * rank + r (float). */
static void time_reduce_f32(const struct svdf_data *d, const float *wt, const float *state, const float *bias,
                            float *scratch, float *out) {
    const size_t nf = (size_t)d->n_filter, nm = (size_t)d->n_memory;
    for (size_t bf = 0; bf < (size_t)d->batch * nf; bf++) {
        const float *w = wt + (bf % nf) * nm, *s = state + bf * nm;
        float acc = 0.0f;
        for (size_t m = 0; m < nm; m++) acc += w[m] * s[m];
        scratch[bf] = acc;
    }
    for (int b = 0; b < d->batch; b++) {
        for (int u = 0; u < d->n_unit; u++) {
            const float *s = scratch + (size_t)b * nf + (size_t)u * (size_t)d->rank;
            float acc = 0.0f;
            for (int r = 0; r < d->rank; r++) acc += s[r];
            if (bias) acc += bias[u];
            out[(size_t)b * (size_t)d->n_unit + (size_t)u] = lstm_act_f32(d->act, acc);
        }
    }
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) {
    const struct svdf_data *d = c->node->data;
    const float *x = tflc_op_in(c, IN_X)->data, *wf = tflc_op_in(c, IN_WF)->data, *wt = tflc_op_in(c, IN_WT)->data;
    const struct tflc_tensor *bt = tflc_op_in(c, IN_BIAS);
    float *state = tflc_op_in(c, IN_STATE)->data, *out = tflc_op_out(c, 0)->data, *scratch = c->node->scratch;
    const size_t nf = (size_t)d->n_filter, nm = (size_t)d->n_memory, ni = (size_t)d->n_input;
    shift_state(state, (size_t)d->batch * nf * nm, sizeof(float));
    for (size_t b = 0; b < (size_t)d->batch; b++) {
        for (size_t f = 0; f < nf; f++) {
            float acc = 0.0f;
            for (size_t k = 0; k < ni; k++) acc += wf[f * ni + k] * x[b * ni + k];
            state[(b * nf + f) * nm + nm - 1] = acc;
        }
    }
    time_reduce_f32(d, wt, state, bt ? bt->data : NULL, scratch, out);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_hybrid(const struct tflc_op_ctx *c) {
    const struct svdf_data *d = c->node->data;
    const float *x = tflc_op_in(c, IN_X)->data;
    const int8_t *wf = tflc_op_in(c, IN_WF)->data;
    const struct tflc_tensor *bt = tflc_op_in(c, IN_BIAS);
    float *state = tflc_op_in(c, IN_STATE)->data, *out = tflc_op_out(c, 0)->data;
    uint8_t *scr = c->node->scratch;
    float *scratch = (float *)(void *)scr, *sf = (float *)(void *)(scr + d->off_sf);
    int8_t *q = (int8_t *)(scr + d->off_q);
    int32_t *zp = (int32_t *)(void *)(scr + d->off_zp);
    const size_t nf = (size_t)d->n_filter, nm = (size_t)d->n_memory, nb = (size_t)d->batch;
    shift_state(state, nb * nf * nm, sizeof(float));
    memset(scratch, 0, sizeof(float) * nb * nf);
    if (!lstm_all_zero(x, nb * (size_t)d->n_input)) {
        lstm_quantize_rows(x, d->batch, d->n_input, q, sf, zp, d->asymmetric);
        for (size_t b = 0; b < nb; b++) sf[b] *= d->wf_scale;
        lstm_hybrid_matvec(wf, d->n_filter, d->n_input, q, sf, d->asymmetric ? zp : NULL, d->row_sums, d->batch,
                           scratch);
    }
    for (size_t i = 0; i < nb * nf; i++) state[i * nm + nm - 1] = scratch[i];
    time_reduce_f32(d, d->wt_f32, state, bt ? bt->data : NULL, scratch, out);
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_s8(const struct tflc_op_ctx *c) {
    const struct svdf_data *d = c->node->data;
    const int8_t *x = tflc_op_in(c, IN_X)->data, *wf = tflc_op_in(c, IN_WF)->data;
    const int16_t *wt = tflc_op_in(c, IN_WT)->data;
    const struct tflc_tensor *bt = tflc_op_in(c, IN_BIAS);
    const int32_t *bias = bt ? bt->data : NULL;
    int16_t *state = tflc_op_in(c, IN_STATE)->data;
    int8_t *out = tflc_op_out(c, 0)->data;
    int32_t *scratch = c->node->scratch;
    const size_t nf = (size_t)d->n_filter, nm = (size_t)d->n_memory, ni = (size_t)d->n_input, nb = (size_t)d->batch;
    shift_state(state, nb * nf * nm, sizeof(int16_t));
    for (size_t b = 0; b < nb; b++) {
        for (size_t f = 0; f < nf; f++) {
            int32_t acc = 0;
            for (size_t k = 0; k < ni; k++) acc += (int32_t)wf[f * ni + k] * ((int32_t)x[b * ni + k] - d->x_zp);
            /* the state is symmetric (zero point 0), so the new column is just the product */
            state[(b * nf + f) * nm + nm - 1] = lstm_sat16(tflc_mbqm(acc, d->mult1, d->shift1));
        }
    }
    for (size_t bf = 0; bf < nb * nf; bf++) {
        const int16_t *w = wt + (bf % nf) * nm, *s = state + bf * nm;
        int64_t acc = 0;
        for (size_t m = 0; m < nm; m++) acc += (int32_t)w[m] * (int32_t)s[m];
        scratch[bf] = lstm_wrap32(acc); /* TFLite accumulates in int32 */
    }
    for (size_t b = 0; b < nb; b++) {
        for (size_t u = 0; u < (size_t)d->n_unit; u++) {
            int64_t acc = 0;
            for (size_t r = 0; r < (size_t)d->rank; r++) acc += scratch[b * nf + u * (size_t)d->rank + r];
            if (bias) acc += bias[u];
            int32_t v = tflc_add_sat32(tflc_mbqm(lstm_wrap32(acc), d->mult2, d->shift2), d->out_zp);
            out[b * (size_t)d->n_unit + u] = (int8_t)tflc_clamp_i32(v, -128, 127);
        }
    }
    return TFLC_STATUS_OK;
}

/* Arena memory in whole 64-byte blocks: keeps the arena tail 64-aligned, which
 * tflc_interp_arena_used() currently assumes (it does not round up). */
static void *alloc64(struct tflc_op_ctx *c, size_t bytes) { return tflc_op_alloc(c, (bytes + 63) & ~(size_t)63); }

static bool shape2(const struct tflc_tensor *t, int32_t d0, int32_t d1) {
    return t->rank == 2 && t->dims[0] == d0 && t->dims[1] == d1;
}

static enum tflc_status prepare_s8(struct tflc_op_ctx *c, struct svdf_data *d) {
    const struct tflc_tensor *x = tflc_op_in(c, IN_X), *wf = tflc_op_in(c, IN_WF), *wt = tflc_op_in(c, IN_WT);
    const struct tflc_tensor *bias = tflc_op_in(c, IN_BIAS), *state = tflc_op_in(c, IN_STATE), *y = tflc_op_out(c, 0);
    if (wf->dtype != TFLC_DTYPE_INT8 || wt->dtype != TFLC_DTYPE_INT16 || state->dtype != TFLC_DTYPE_INT16 ||
        y->dtype != TFLC_DTYPE_INT8 || (bias && bias->dtype != TFLC_DTYPE_INT32))
        return tflc_op_unsupported(c);
    if (!x->quant.num_scales || !wf->quant.num_scales || !wt->quant.num_scales || !state->quant.num_scales ||
        !y->quant.num_scales)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "int8 SVDF needs scales on input, both weights, state and output");
    if (wf->quant.num_scales > 1 || wt->quant.num_scales > 1)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "per-channel quantized SVDF weights are not supported");
    if (d->act != TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "int8 SVDF supports only the RELU activation (TFLite), got %d",
                            d->act);
    /* float products, as TFLite computes them before widening to double */
    float s1 = x->quant.scale * wf->quant.scale / state->quant.scale;
    float s2 = state->quant.scale * wt->quant.scale / y->quant.scale;
    tflc_quantize_multiplier((double)s1, &d->mult1, &d->shift1);
    tflc_quantize_multiplier((double)s2, &d->mult2, &d->shift2);
    d->x_zp = x->quant.zero_point;
    d->out_zp = y->quant.zero_point;
    const size_t nb = (size_t)d->batch;
    tflc_op_request_scratch(c, sizeof(int32_t) * nb * (size_t)d->n_filter);
    c->node->eval = eval_s8;
    return TFLC_STATUS_OK;
}

static enum tflc_status prepare_hybrid(struct tflc_op_ctx *c, struct svdf_data *d) {
    const struct tflc_tensor *wf = tflc_op_in(c, IN_WF), *wt = tflc_op_in(c, IN_WT);
    const struct tflc_tensor *bias = tflc_op_in(c, IN_BIAS), *state = tflc_op_in(c, IN_STATE), *y = tflc_op_out(c, 0);
    if (wt->dtype != TFLC_DTYPE_INT8 || state->dtype != TFLC_DTYPE_FLOAT32 || y->dtype != TFLC_DTYPE_FLOAT32 ||
        (bias && bias->dtype != TFLC_DTYPE_FLOAT32))
        return tflc_op_unsupported(c);
    if (!wf->quant.num_scales || !wt->quant.num_scales)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "hybrid SVDF weights need a scale");
    if (wf->quant.num_scales > 1 || wt->quant.num_scales > 1)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "per-channel quantized SVDF weights are not supported");
    if (!tflc_op_is_const(c, wf) || !tflc_op_is_const(c, wt))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "hybrid SVDF weights must be constant");
    d->wf_scale = wf->quant.scale;
    const size_t nwt = tflc_numel(wt);
    float *wt_f32 = alloc64(c, sizeof(float) * nwt);
    if (!wt_f32) return TFLC_STATUS_ARENA_TOO_SMALL;
    const int8_t *q = wt->data;
    for (size_t i = 0; i < nwt; i++) wt_f32[i] = (float)q[i] * wt->quant.scale;
    d->wt_f32 = wt_f32;
    if (d->asymmetric) {
        d->row_sums = alloc64(c, sizeof(int32_t) * (size_t)d->n_filter);
        if (!d->row_sums) return TFLC_STATUS_ARENA_TOO_SMALL;
        lstm_row_sums(wf->data, d->n_filter, d->n_input, d->row_sums);
    }
    const size_t nb = (size_t)d->batch;
    size_t t = (sizeof(float) * nb * (size_t)d->n_filter + 15) & ~(size_t)15;
    d->off_q = t;
    t += (nb * (size_t)d->n_input + 15) & ~(size_t)15;
    d->off_sf = t;
    t += (sizeof(float) * nb + 15) & ~(size_t)15;
    d->off_zp = t;
    t += sizeof(int32_t) * nb;
    tflc_op_request_scratch(c, t);
    c->node->eval = eval_hybrid;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_svdf_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 5, 5, 1);
    if (st) return st;
    const struct tflc_tensor *x = tflc_op_in(c, IN_X), *wf = tflc_op_in(c, IN_WF), *wt = tflc_op_in(c, IN_WT);
    const struct tflc_tensor *bias = tflc_op_in(c, IN_BIAS), *state = tflc_op_in(c, IN_STATE);
    if (!x || !wf || !wt || !state)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input (0, 1, 2 and 4 are required)");
    struct svdf_data *d = alloc64(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->rank = tflc_tfl_svdf_options_rank(c->node->options);
    d->act = tflc_tfl_svdf_options_fused_activation_function(c->node->options);
    d->asymmetric = tflc_tfl_svdf_options_asymmetric_quantize_inputs(c->node->options);
    if (x->rank != 2 || wf->rank != 2 || wt->rank != 2)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input, weights_feature and weights_time must be 2-D");
    d->batch = x->dims[0];
    d->n_input = x->dims[1];
    d->n_filter = wf->dims[0];
    d->n_memory = wt->dims[1];
    if (d->rank <= 0 || d->n_filter % d->rank != 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "rank %d must be > 0 and divide the %d filters", d->rank,
                            d->n_filter);
    d->n_unit = d->n_filter / d->rank;
    if (d->batch <= 0 || d->n_input <= 0 || d->n_filter <= 0 || d->n_memory <= 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "zero-sized SVDF (batch %d, input %d, filters %d, memory %d)",
                            d->batch, d->n_input, d->n_filter, d->n_memory);
    if (wf->dims[1] != d->n_input)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "weights_feature '%s' has %d columns, input has %d", wf->name,
                            (int)wf->dims[1], d->n_input);
    if (wt->dims[0] != d->n_filter)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "weights_time '%s' has %d rows, expected %d filters",
                            wt->name, (int)wt->dims[0], d->n_filter);
    if (bias && (bias->rank != 1 || bias->dims[0] != d->n_unit))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "bias '%s' must have shape [%d]", bias->name, d->n_unit);
    if (!tflc_op_is_variable(c, state))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "state (input 4) '%s' must be a variable tensor",
                            state->name);
    if (!shape2(state, d->batch, d->n_memory * d->n_filter))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "state '%s' must have shape [%d,%d]", state->name, d->batch,
                            d->n_memory * d->n_filter);
    int32_t shape[2] = {d->batch, d->n_unit};
    if ((st = tflc_op_set_shape(c, tflc_op_out(c, 0), 2, shape))) return st;
    if (x->dtype == TFLC_DTYPE_INT8) {
        d->kind = K_S8;
        return prepare_s8(c, d);
    }
    if (x->dtype != TFLC_DTYPE_FLOAT32) return tflc_op_unsupported(c);
    if (!lstm_act_supported(d->act))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "activation %d is not supported", d->act);
    if (wf->dtype == TFLC_DTYPE_INT8) {
        d->kind = K_HYBRID;
        return prepare_hybrid(c, d);
    }
    const struct tflc_tensor *y = tflc_op_out(c, 0);
    if (wf->dtype != TFLC_DTYPE_FLOAT32 || wt->dtype != TFLC_DTYPE_FLOAT32 || state->dtype != TFLC_DTYPE_FLOAT32 ||
        y->dtype != TFLC_DTYPE_FLOAT32 || (bias && bias->dtype != TFLC_DTYPE_FLOAT32))
        return tflc_op_unsupported(c);
    d->kind = K_F32;
    tflc_op_request_scratch(c, sizeof(float) * (size_t)d->batch * (size_t)d->n_filter);
    c->node->eval = eval_f32;
    return TFLC_STATUS_OK;
}
