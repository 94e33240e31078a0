/* RESIZE_NEAREST_NEIGHBOR: NHWC input, size = int32 [out_h, out_w]; out[b,y,x,c] =
 * in[b, src(y), src(x), c] with TFLite's reference index math in float:
 *   scale = (align_corners && out > 1) ? (in - 1) / (float)(out - 1) : in / (float)out
 *   src(v) = min(align_corners ? round((v + o) * scale) : floor((v + o) * scale), in - 1),
 *   o = 0.5 with half_pixel_centers (then also max(., 0)), else 0.
 * A pure copy, so every copyable dtype works (TFLite: float32, uint8, int8, int16).
 * A non-constant size is read in eval and must give the model's declared output shape. */
#include "kernels/ref/shape_util.h"

struct rnn_data {
    bool align_corners, half_pixel_centers, dynamic;
};

static int32_t nearest(int32_t v, int32_t in, int32_t out, bool ac, bool hp) {
    float scale = (ac && out > 1) ? (float)(in - 1) / (float)(out - 1) : (float)in / (float)out;
    float pos = ((float)v + (hp ? 0.5f : 0.0f)) * scale;
    int32_t r = ac ? (int32_t)roundf(pos) : (int32_t)floorf(pos);
    if (r > in - 1) r = in - 1;
    if (hp && r < 0) r = 0;
    return r;
}

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct rnn_data *d = c->node->data;
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    struct tflc_tensor *y = tflc_op_out(c, 0);
    if (d->dynamic) {
        const struct tflc_tensor *size = tflc_op_in(c, 1);
        int32_t dims[4] = {0};
        const char *why = shp_resize_dims(x, size, dims);
        if (why || !shp_has_shape(y, 4, dims))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "size tensor '%s' [%lld,%lld] does not give the planned output %dx%d",
                                size->name, (long long)shp_int_at(size, 0), (long long)shp_int_at(size, 1), (int)y->dims[1],
                                (int)y->dims[2]);
    }
    int32_t batches = x->dims[0], in_h = x->dims[1], in_w = x->dims[2], out_h = y->dims[1], out_w = y->dims[2];
    size_t pixel = (size_t)x->dims[3] * tflc_dtype_size(x->dtype);
    const uint8_t *src = x->data;
    uint8_t *dst = y->data;
    for (int32_t b = 0; b < batches; b++) {
        const uint8_t *img = src + (size_t)b * (size_t)in_h * (size_t)in_w * pixel;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const uint8_t *row = img + (size_t)nearest(oy, in_h, out_h, d->align_corners, d->half_pixel_centers) * (size_t)in_w * pixel;
            for (int32_t ox = 0; ox < out_w; ox++, dst += pixel)
                memcpy(dst, row + (size_t)nearest(ox, in_w, out_w, d->align_corners, d->half_pixel_centers) * pixel, pixel);
        }
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_resize_nearest_neighbor_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *size = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !size) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !shp_copyable(x->dtype) || !shp_is_index_type(size->dtype)) return tflc_op_unsupported(c);
    if (x->rank != 4) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' must be 4-D (NHWC), it has rank %d", x->name, (int)x->rank);
    if (size->rank != 1 || size->dims[0] != 2)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "size tensor '%s' must be 1-D with 2 entries", size->name);
    if (x->dims[1] < 1 || x->dims[2] < 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' has an empty height or width", x->name);
    struct rnn_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->align_corners = tflc_tfl_resize_nearest_neighbor_options_align_corners(c->node->options);
    d->half_pixel_centers = tflc_tfl_resize_nearest_neighbor_options_half_pixel_centers(c->node->options);
    int32_t dims[4];
    if (!tflc_op_is_const(c, size)) {
        if (y->rank != 4 || y->dims[0] != x->dims[0] || y->dims[3] != x->dims[3] || y->dims[1] < 1 || y->dims[2] < 1)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' must be 4-D with the input's batch and channels", y->name);
        d->dynamic = true;
        for (int i = 0; i < 4; i++) dims[i] = y->dims[i];
    } else {
        const char *why = shp_resize_dims(x, size, dims);
        if (why) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "size tensor '%s': %s", size->name, why);
    }
    if ((st = tflc_op_set_shape(c, y, 4, dims))) return st;
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
