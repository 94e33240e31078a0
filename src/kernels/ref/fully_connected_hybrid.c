/* FULLY_CONNECTED, dynamic-range ("hybrid"): float32 input and output, int8 weights with a
 * per-tensor scale (v3, v9) or per-channel scales (v12), optional float32 bias. TFLite's
 * EvalHybridDense, exactly: each input row b is quantized at run time (symmetric, or
 * asymmetric when options.asymmetric_quantize_inputs) to q_b with scale s_b and zero point
 * z_b; then y[b, o] = bias[o] + float(sum_k w[o, k] q_b[k] - z_b rowsum(w_o)) * s, with
 * s = s_b * s_w computed once per row (per-tensor) or s_b * s_w[o] (per-channel), in float.
 * Any fused activation (clamps, TANH, SIGN_BIT) is applied to the float result. An input of
 * all zeros skips the product (y = bias). prepare precomputes the weights' row sums when the
 * weights are constant; scratch holds the quantized rows, their scales and zero points. */
#include "kernels/ref/fc_util.h"

struct fc_hybrid_data {
    int32_t batches, depth, units;
    int act;
    bool asymmetric;
    float w_scale;           /* per-tensor weight scale */
    const float *w_scales;   /* [units] per-channel scales (borrowed), or NULL */
    const int32_t *row_sums; /* [units] precomputed for constant weights, or NULL */
    size_t q_bytes, f_bytes; /* scratch layout: q | scales | zero points | row sums */
};

static enum tflc_status eval_hybrid(const struct tflc_op_ctx *c) {
    const struct fc_hybrid_data *d = c->node->data;
    const float *x = tflc_op_in(c, 0)->data;
    const int8_t *w = tflc_op_in(c, 1)->data;
    const struct tflc_tensor *bt = tflc_op_in(c, 2);
    const float *bias = bt ? bt->data : NULL;
    float *y = tflc_op_out(c, 0)->data;
    const size_t batches = (size_t)d->batches, depth = (size_t)d->depth, units = (size_t)d->units;

    for (size_t b = 0; b < batches; b++)
        for (size_t o = 0; o < units; o++) y[b * units + o] = bias ? bias[o] : 0.0f;
    bool all_zero = true;
    for (size_t i = 0; i < batches * depth && all_zero; i++) all_zero = x[i] == 0.0f;
    if (all_zero) {
        tflc_hybrid_act_apply(d->act, y, batches * units);
        return TFLC_STATUS_OK;
    }

    uint8_t *scratch = c->node->scratch;
    int8_t *q = (int8_t *)scratch;
    float *scale = (float *)(void *)(scratch + d->q_bytes);
    int32_t *zp = (int32_t *)(void *)(scratch + d->q_bytes + d->f_bytes);
    const int32_t *row_sums = d->row_sums;
    if (d->asymmetric && !row_sums) {
        int32_t *rs = (int32_t *)(void *)(scratch + d->q_bytes + 2 * d->f_bytes);
        tflc_hybrid_row_sums(w, units, depth, rs);
        row_sums = rs;
    }
    for (size_t b = 0; b < batches; b++) {
        if (d->asymmetric) {
            tflc_hybrid_quantize_asym(x + b * depth, depth, q + b * depth, &scale[b], &zp[b]);
        } else {
            tflc_hybrid_quantize_sym(x + b * depth, depth, q + b * depth, &scale[b]);
            zp[b] = 0;
        }
        if (!d->w_scales) scale[b] *= d->w_scale;
    }
    for (size_t b = 0; b < batches; b++) {
        const int8_t *qb = q + b * depth;
        for (size_t o = 0; o < units; o++) {
            const int8_t *wo = w + o * depth;
            int32_t dot = 0;
            for (size_t k = 0; k < depth; k++) dot += (int32_t)wo[k] * qb[k];
            if (d->asymmetric) dot -= row_sums[o] * zp[b];
            float s = d->w_scales ? scale[b] * d->w_scales[o] : scale[b];
            y[b * units + o] += (float)dot * s;
        }
    }
    tflc_hybrid_act_apply(d->act, y, batches * units);
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_fully_connected_hybrid_prepare(struct tflc_op_ctx *c, int32_t batches,
                                                     int32_t depth, int32_t units) {
    const struct tflc_tensor *w = tflc_op_in(c, 1);
    struct tflc_fb_table opt = c->node->options;
    if (w->quant.num_scales < 1 || !(w->quant.scale > 0.0f))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "hybrid weights '%s' have no scale",
                            w->name);
    int act = tflc_tfl_fully_connected_options_fused_activation_function(opt);
    if (!tflc_hybrid_act_supported(act))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "fused activation %d is not supported",
                            act);
    struct fc_hybrid_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->batches = batches;
    d->depth = depth;
    d->units = units;
    d->act = act;
    d->asymmetric = tflc_tfl_fully_connected_options_asymmetric_quantize_inputs(opt);
    d->w_scale = w->quant.scale;
    if (w->quant.num_scales > 1) {
        if (w->quant.num_scales != units || w->quant.axis != 0)
            return tflc_op_fail(
                c, TFLC_STATUS_INVALID_MODEL,
                "weights '%s' have %d scales along axis %d, expected %d along axis 0", w->name,
                (int)w->quant.num_scales, (int)w->quant.axis, (int)units);
        d->w_scales = w->quant.scales;
    }
    /* The weights' zero point never enters TFLite's hybrid math (weights are symmetric). */
    bool const_w = tflc_op_is_const(c, w);
    if (d->asymmetric && const_w) {
        int32_t *rs = tflc_op_alloc(c, sizeof *rs * (size_t)units);
        if (!rs) return TFLC_STATUS_ARENA_TOO_SMALL;
        tflc_hybrid_row_sums(w->data, (size_t)units, (size_t)depth, rs);
        d->row_sums = rs;
    }
    d->q_bytes = tflc_fc_align16((size_t)batches * (size_t)depth);
    d->f_bytes = tflc_fc_align16(sizeof(float) * (size_t)batches);
    size_t rs_bytes = d->asymmetric && !const_w ? sizeof(int32_t) * (size_t)units : 0;
    tflc_op_request_scratch(c, d->q_bytes + 2 * d->f_bytes + rs_bytes);
    c->node->eval = eval_hybrid;
    return TFLC_STATUS_OK;
}
