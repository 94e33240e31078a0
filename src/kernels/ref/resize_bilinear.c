/* RESIZE_BILINEAR: NHWC input, size = int32 [out_h, out_w], align_corners or
 * half_pixel_centers (not both: INVALID_MODEL). TFLite's reference kernels exactly:
 * float32 and uint8 interpolate in float (uint8: + 0.5, truncated; see interp_f), int8 and
 * int16 in 10-bit fixed point (ResizeBilinearInteger; see interp_i), rounding the 2^20-scaled
 * sum half away from zero (the double-rounding build). No requantization (input and output
 * share it, as in TFLite). A non-constant size is read in eval and must give the declared
 * output shape. Delegated to XNNPACK (kernel.h; 8-bit, constant size): XNNPACK's 11-bit
 * fixed-point interpolation (xnn_index, XNN_KERNEL). */
#include "kernels/ref/shape_util.h"

struct rb_data {
    bool align_corners, half_pixel_centers, dynamic;
    bool xnn; /* delegated to XNNPACK (8-bit, constant size): xnn_index / XNN_KERNEL */
};

/* XNNPACK's source position (xnn_indirection_init_resize_bilinear2d_hwc_q11): scale =
 * (float)(in - a) / (float)(out - a), a = 1 with align_corners and out > 1; src = v * scale
 * (align_corners or TFLite's legacy mode), or v * scale + (0.5 scale - 0.5) clamped to
 * [0, in - 1] with half_pixel_centers; lo = (int)src, hi = min(lo + 1, in - 1); the fraction
 * as 11 bits, lrintf(2048 (src - lo)). */
static void xnn_index(int32_t v, int32_t in, int32_t out, const struct rb_data *d, int32_t *lo, int32_t *hi,
                      int32_t *w11) {
    const int32_t adj = d->align_corners && out != 1;
    const float scale = (float)(in - adj) / (float)(out - adj);
    float src = (float)v * scale;
    if (!d->align_corners && d->half_pixel_centers) {
        src += 0.5f * scale - 0.5f;
        src = src < 0.0f ? 0.0f : src > (float)(in - 1) ? (float)(in - 1) : src;
    }
    *lo = (int32_t)src;
    *hi = *lo + 1 < in - 1 ? *lo + 1 : in - 1;
    *w11 = (int32_t)tflc_round_even((src - (float)*lo) * 2048.0f);
}

/* XNNPACK's 8-bit bilinear micro-kernel: interpolate along x, then y, in 11-bit fixed point;
 * out = (acc + 2^21) >> 22 (floor). */
#define XNN_KERNEL(T)                                                                                         \
    do {                                                                                                      \
        const T *in = x->data;                                                                                \
        T *out = y->data;                                                                                     \
        for (int32_t b = 0; b < batches; b++)                                                                 \
            for (int32_t oy = 0; oy < out_h; oy++) {                                                          \
                int32_t y0, y1, av;                                                                           \
                xnn_index(oy, in_h, out_h, d, &y0, &y1, &av);                                                 \
                for (int32_t ox = 0; ox < out_w; ox++) {                                                      \
                    int32_t x0, x1, ah;                                                                       \
                    xnn_index(ox, in_w, out_w, d, &x0, &x1, &ah);                                             \
                    for (int32_t ch = 0; ch < depth; ch++) {                                                  \
                        const int32_t tl = in[AT(b, y0, x0, ch)], tr = in[AT(b, y0, x1, ch)];                 \
                        const int32_t bl = in[AT(b, y1, x0, ch)], br = in[AT(b, y1, x1, ch)];                 \
                        const int32_t t = tl * 2048 + (tr - tl) * ah, bt = bl * 2048 + (br - bl) * ah;        \
                        *out++ = (T)tflc_asr(t * 2048 + (bt - t) * av + (1 << 21), 22);                       \
                    }                                                                                         \
                }                                                                                             \
            }                                                                                                 \
    } while (0)

/* Float source position: scale = in / (float)out (align_corners and out > 1:
 * (in - 1) / (float)(out - 1)); src = v * scale, or (v + 0.5) * scale - 0.5 with
 * half_pixel_centers; neighbours lo = max(floor(src), 0), hi = min(ceil(src), in - 1), and
 * the weights (1 - dy)(1 - dx), dy (1 - dx), (1 - dy) dx, dy dx summed in that order. */
static void interp_f(int32_t v, float scale, bool hp, int32_t in, float *src, int32_t *lo, int32_t *hi) {
    *src = hp ? ((float)v + 0.5f) * scale - 0.5f : (float)v * scale;
    int32_t f = (int32_t)floorf(*src), c = (int32_t)ceilf(*src);
    *lo = f > 0 ? f : 0;
    *hi = c < in - 1 ? c : in - 1;
}

/* Fixed point: scale_10 = (1024 in + out/2) / out (align_corners: (1024 (in - 1) +
 * (out - 1)/2) / (out - 1)); src_10 = v scale_10, or v scale_10 + scale_10/2 - 512 with
 * half_pixel_centers; lo = max(src_10 / 1024, 0), hi = min((src_10 + 1023) / 1024, in - 1). */
static void interp_i(int32_t v, int64_t scale_10, bool hp, int32_t in, int64_t *src, int32_t *lo, int32_t *hi) {
    *src = hp ? v * scale_10 + scale_10 / 2 - (1 << 9) : v * scale_10;
    int64_t l = *src / (1 << 10), h = (*src + (1 << 10) - 1) / (1 << 10);
    *lo = (int32_t)(l > 0 ? l : 0);
    *hi = (int32_t)(h < in - 1 ? h : in - 1);
}

#define AT(b, yy, xx, ch) ((((size_t)(b) * (size_t)in_h + (size_t)(yy)) * (size_t)in_w + (size_t)(xx)) * (size_t)depth + (size_t)(ch))

/* Float-domain kernel for T = float (offset 0) or uint8 (offset 0.5, truncation). */
#define FLOAT_KERNEL(T, OFFSET, STORE)                                                                        \
    do {                                                                                                      \
        const T *in = x->data;                                                                                \
        T *out = y->data;                                                                                     \
        float hs = (float)in_h / (float)out_h, ws = (float)in_w / (float)out_w;                               \
        if (d->align_corners && out_h > 1) hs = (float)(in_h - 1) / (float)(out_h - 1);                       \
        if (d->align_corners && out_w > 1) ws = (float)(in_w - 1) / (float)(out_w - 1);                       \
        for (int32_t b = 0; b < batches; b++)                                                                 \
            for (int32_t oy = 0; oy < out_h; oy++) {                                                          \
                float iy;                                                                                     \
                int32_t y0, y1;                                                                               \
                interp_f(oy, hs, d->half_pixel_centers, in_h, &iy, &y0, &y1);                                 \
                for (int32_t ox = 0; ox < out_w; ox++) {                                                      \
                    float ix;                                                                                 \
                    int32_t x0, x1;                                                                           \
                    interp_f(ox, ws, d->half_pixel_centers, in_w, &ix, &x0, &x1);                             \
                    float dy = iy - (float)y0, dx = ix - (float)x0;                                           \
                    for (int32_t ch = 0; ch < depth; ch++) {                                                  \
                        float v = (float)in[AT(b, y0, x0, ch)] * (1 - dy) * (1 - dx) +                        \
                                  (float)in[AT(b, y1, x0, ch)] * dy * (1 - dx) +                              \
                                  (float)in[AT(b, y0, x1, ch)] * (1 - dy) * dx +                              \
                                  (float)in[AT(b, y1, x1, ch)] * dy * dx + (OFFSET);                          \
                        *out++ = STORE(v);                                                                    \
                    }                                                                                         \
                }                                                                                             \
            }                                                                                                 \
    } while (0)

#define STORE_F32(v) (v)
#define STORE_U8(v) ((uint8_t)((v) < 0.0f ? 0.0f : (v) > 255.0f ? 255.0f : (v))) /* clamp: keeps the cast defined */

/* Fixed-point kernel for int8 / int16. */
#define INT_KERNEL(T, QMIN, QMAX)                                                                             \
    do {                                                                                                      \
        const T *in = x->data;                                                                                \
        T *out = y->data;                                                                                     \
        int64_t hs = ((1 << 10) * (int64_t)in_h + out_h / 2) / out_h;                                         \
        int64_t ws = ((1 << 10) * (int64_t)in_w + out_w / 2) / out_w;                                         \
        if (d->align_corners && out_h > 1) hs = ((1 << 10) * (int64_t)(in_h - 1) + (out_h - 1) / 2) / (out_h - 1); \
        if (d->align_corners && out_w > 1) ws = ((1 << 10) * (int64_t)(in_w - 1) + (out_w - 1) / 2) / (out_w - 1); \
        for (int32_t b = 0; b < batches; b++)                                                                 \
            for (int32_t oy = 0; oy < out_h; oy++) {                                                          \
                int64_t iy;                                                                                   \
                int32_t y0, y1;                                                                               \
                interp_i(oy, hs, d->half_pixel_centers, in_h, &iy, &y0, &y1);                                 \
                for (int32_t ox = 0; ox < out_w; ox++) {                                                      \
                    int64_t ix;                                                                               \
                    int32_t x0, x1;                                                                           \
                    interp_i(ox, ws, d->half_pixel_centers, in_w, &ix, &x0, &x1);                             \
                    int64_t fy = iy - (1 << 10) * (int64_t)y0, fx = ix - (1 << 10) * (int64_t)x0;             \
                    for (int32_t ch = 0; ch < depth; ch++) {                                                  \
                        int64_t acc = (int64_t)in[AT(b, y0, x0, ch)] * ((1 << 10) - fy) * ((1 << 10) - fx) +  \
                                      (int64_t)in[AT(b, y1, x0, ch)] * fy * ((1 << 10) - fx) +                \
                                      (int64_t)in[AT(b, y0, x1, ch)] * ((1 << 10) - fy) * fx +                \
                                      (int64_t)in[AT(b, y1, x1, ch)] * fy * fx;                               \
                        int64_t r = (acc + (acc > 0 ? (1 << 19) : -(1 << 19))) / (1 << 20);                   \
                        *out++ = (T)(r < (QMIN) ? (QMIN) : r > (QMAX) ? (QMAX) : r);                          \
                    }                                                                                         \
                }                                                                                             \
            }                                                                                                 \
    } while (0)

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct rb_data *d = c->node->data;
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
    int32_t batches = x->dims[0], in_h = x->dims[1], in_w = x->dims[2], depth = x->dims[3];
    int32_t out_h = y->dims[1], out_w = y->dims[2];
    if (d->xnn) {
        if (x->dtype == TFLC_DTYPE_INT8) XNN_KERNEL(int8_t);
        else XNN_KERNEL(uint8_t);
        return TFLC_STATUS_OK;
    }
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: FLOAT_KERNEL(float, 0.0f, STORE_F32); break;
    case TFLC_DTYPE_UINT8: FLOAT_KERNEL(uint8_t, 0.5f, STORE_U8); break;
    case TFLC_DTYPE_INT8: INT_KERNEL(int8_t, -128, 127); break;
    case TFLC_DTYPE_INT16: INT_KERNEL(int16_t, -32768, 32767); break;
    default: break; /* prepare admits no other dtype */
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_resize_bilinear_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *size = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !size) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    bool type_ok = x->dtype == TFLC_DTYPE_FLOAT32 || x->dtype == TFLC_DTYPE_UINT8 || x->dtype == TFLC_DTYPE_INT8 ||
                   x->dtype == TFLC_DTYPE_INT16;
    if (x->dtype != y->dtype || !type_ok || !shp_is_index_type(size->dtype)) return tflc_op_unsupported(c);
    if (x->rank != 4) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' must be 4-D (NHWC), it has rank %d", x->name, (int)x->rank);
    if (size->rank != 1 || size->dims[0] != 2)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "size tensor '%s' must be 1-D with 2 entries", size->name);
    if (x->dims[1] < 1 || x->dims[2] < 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' has an empty height or width", x->name);
    if (x->dims[1] > (1 << 20) || x->dims[2] > (1 << 20))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "input '%s' is too large for the 10-bit fixed-point index math", x->name);
    struct rb_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    d->align_corners = tflc_tfl_resize_bilinear_options_align_corners(c->node->options);
    d->half_pixel_centers = tflc_tfl_resize_bilinear_options_half_pixel_centers(c->node->options);
    if (d->align_corners && d->half_pixel_centers)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "half_pixel_centers and align_corners cannot both be set");
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
    d->xnn = tflc_op_uses_xnnpack(c) && (x->dtype == TFLC_DTYPE_INT8 || x->dtype == TFLC_DTYPE_UINT8);
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
