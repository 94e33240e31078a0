/* BATCH_TO_SPACE_ND: the inverse of SPACE_TO_BATCH_ND (TFLite's batch_to_space_nd.cc /
 * reference BatchToSpaceND): batch b of x holds tile (oh, ow) = ((b / B') / bw, (b / B') % bw)
 * of output batch b % B', B' = batch / (bh * bw):
 *   out[b % B', h * bh + oh - crop_top, w * bw + ow - crop_left, c] = x[b, h, w, c]
 * for the positions inside the cropped output. The batch must divide by bh * bw and the
 * crops must leave a non-negative size. Types: float32, int8, uint8 (v2), int16 (v4),
 * int32, int64 (raw copies); rank 3 or 4 (v3). */
#include "kernels/ref/extra_util.h"

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct xt_s2b_data *d = c->node->data;
    const uint8_t *in = tflc_op_in(c, 0)->data;
    uint8_t *out = tflc_op_out(c, 0)->data;
    size_t row = (size_t)d->depth * d->es;
    for (int32_t ib = 0; ib < d->in_b; ib++) {
        int32_t ob = ib % d->out_b, off = ib / d->out_b, oh0 = off / d->block_w, ow0 = off % d->block_w;
        for (int32_t ih = 0; ih < d->in_h; ih++) {
            int32_t oh = ih * d->block_h + oh0 - d->before_h;
            if (oh < 0 || oh >= d->out_h) continue;
            for (int32_t iw = 0; iw < d->in_w; iw++) {
                int32_t ow = iw * d->block_w + ow0 - d->before_w;
                if (ow < 0 || ow >= d->out_w) continue;
                memcpy(out + (((size_t)ob * d->out_h + oh) * d->out_w + ow) * row,
                       in + (((size_t)ib * d->in_h + ih) * d->in_w + iw) * row, row);
            }
        }
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_batch_to_space_nd_prepare(struct tflc_op_ctx *c) {
    struct xt_s2b_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    int32_t after_h = 0, after_w = 0;
    enum tflc_status st = xt_s2b_common(c, d, &after_h, &after_w);
    if (st) return st;
    int64_t blocks = (int64_t)d->block_h * d->block_w;
    if (d->in_b % blocks)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "batch %d does not divide by the block %d x %d", (int)d->in_b,
                            (int)d->block_h, (int)d->block_w);
    int64_t oh = (int64_t)d->in_h * d->block_h - d->before_h - after_h;
    int64_t ow = (int64_t)d->in_w * d->block_w - d->before_w - after_w;
    if (oh < 0 || ow < 0 || oh > INT32_MAX || ow > INT32_MAX)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "crops leave an output of %lld x %lld", (long long)oh, (long long)ow);
    d->out_b = (int32_t)(d->in_b / blocks);
    d->out_h = (int32_t)oh;
    d->out_w = (int32_t)ow;
    c->node->data = d;
    c->node->eval = eval;
    return xt_s2b_set_shape(c, d);
}
