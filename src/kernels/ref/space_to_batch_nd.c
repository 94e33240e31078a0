/* SPACE_TO_BATCH_ND: zero-pads the spatial dims of x, then moves block_h x block_w tiles of
 * them into the batch (TFLite's space_to_batch_nd.cc / reference SpaceToBatchND):
 *   out[b', h', w', c] = x[b' % B, h' * bh + sh - pad_top, w' * bw + sw - pad_left, c]
 * with sh = (b' / B) / bw, sw = (b' / B) % bw, and the pad value outside x: 0, or the output
 * zero point for quantized types. Padded spatial dims must divide by the block.
 * Types: float32, int8, uint8 (v2), int16 (v4), int32, int64; rank 3 or 4 (v3). */
#include "kernels/ref/extra_util.h"

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct xt_s2b_data *d = c->node->data;
    const uint8_t *in = tflc_op_in(c, 0)->data;
    uint8_t *out = tflc_op_out(c, 0)->data;
    size_t es = d->es, row = (size_t)d->depth * es;
    for (int32_t ob = 0; ob < d->out_b; ob++) {
        int32_t ib = ob % d->in_b, sh = (ob / d->in_b) / d->block_w, sw = (ob / d->in_b) % d->block_w;
        for (int32_t oh = 0; oh < d->out_h; oh++)
            for (int32_t ow = 0; ow < d->out_w; ow++) {
                int32_t ih = oh * d->block_h + sh - d->before_h, iw = ow * d->block_w + sw - d->before_w;
                uint8_t *o = out + ((((size_t)ob * d->out_h + oh) * d->out_w + ow) * row);
                if (ih < 0 || ih >= d->in_h || iw < 0 || iw >= d->in_w) {
                    for (int32_t k = 0; k < d->depth; k++) memcpy(o + (size_t)k * es, d->pad, es);
                } else {
                    memcpy(o, in + (((size_t)ib * d->in_h + ih) * d->in_w + iw) * row, row);
                }
            }
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_space_to_batch_nd_prepare(struct tflc_op_ctx *c) {
    struct xt_s2b_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    int32_t after_h = 0, after_w = 0;
    enum tflc_status st = xt_s2b_common(c, d, &after_h, &after_w);
    if (st) return st;
    int64_t ph = (int64_t)d->in_h + d->before_h + after_h, pw = (int64_t)d->in_w + d->before_w + after_w;
    if (ph % d->block_h || pw % d->block_w)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "padded spatial dims %lld x %lld do not divide by the block %d x %d",
                            (long long)ph, (long long)pw, (int)d->block_h, (int)d->block_w);
    int64_t ob = (int64_t)d->in_b * d->block_h * d->block_w;
    if (ob > INT32_MAX || ph / d->block_h > INT32_MAX)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output too large");
    d->out_b = (int32_t)ob;
    d->out_h = (int32_t)(ph / d->block_h);
    d->out_w = (int32_t)(pw / d->block_w);
    const struct tflc_tensor *y = tflc_op_out(c, 0);
    int32_t zp = y->quant.num_scales > 0 ? y->quant.zero_point : 0;
    switch (y->dtype) {
    case TFLC_DTYPE_INT8: { int8_t v = (int8_t)zp; memcpy(d->pad, &v, 1); break; }
    case TFLC_DTYPE_UINT8: { uint8_t v = (uint8_t)zp; memcpy(d->pad, &v, 1); break; }
    case TFLC_DTYPE_INT16: { int16_t v = (int16_t)zp; memcpy(d->pad, &v, 2); break; }
    default: break; /* 0.0f, 0 */
    }
    c->node->data = d;
    c->node->eval = eval;
    return xt_s2b_set_shape(c, d);
}
