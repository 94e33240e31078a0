/* SPACE_TO_DEPTH: NHWC [N,H,W,C] -> [N, H/b, W/b, b*b*C] with block_size b:
 *   out[n, oy, ox, (by*b + bx)*C + c] = in[n, oy*b + by, ox*b + bx, c]
 * H and W must be multiples of b (INVALID_MODEL otherwise). A byte shuffle, planned at
 * prepare as a 6-D strided read (shape_util.h). Types: every copyable dtype. */
#include "kernels/ref/shape_util.h"

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    shp_plan_run(c->node->data, x->data, tflc_op_out(c, 0)->data, tflc_dtype_size(x->dtype));
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_space_to_depth_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !shp_copyable(x->dtype)) return tflc_op_unsupported(c);
    if (x->rank != 4) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' must be 4-D (NHWC), it has rank %d", x->name, (int)x->rank);
    int32_t b = tflc_tfl_space_to_depth_options_block_size(c->node->options);
    int32_t n = x->dims[0], h = x->dims[1], w = x->dims[2], ch = x->dims[3];
    if (b < 1) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "block_size %d must be >= 1", (int)b);
    if (h % b || w % b)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "height %d and width %d of '%s' must be multiples of block_size %d", (int)h,
                            (int)w, x->name, (int)b);
    if ((int64_t)ch * b * b > INT32_MAX) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output depth is too large");
    int32_t dims[4] = {n, h / b, w / b, ch * b * b};
    if ((st = tflc_op_set_shape(c, y, 4, dims))) return st;
    struct shp_plan *p = tflc_op_alloc(c, sizeof *p);
    if (!p) return TFLC_STATUS_ARENA_TOO_SMALL;
    /* Output order (n, oy, ox, by, bx, c), read from the input's (n, oy*b+by, ox*b+bx, c). */
    ptrdiff_t sw = ch, sh = (ptrdiff_t)w * ch, sn = (ptrdiff_t)h * w * ch;
    *p = (struct shp_plan){6, {n, h / b, w / b, b, b, ch}, {sn, sh * b, sw * b, sh, sw, 1}, 0};
    shp_plan_finish(p);
    c->node->data = p;
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
