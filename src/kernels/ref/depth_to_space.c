/* DEPTH_TO_SPACE: NHWC [N,H,W,C] -> [N, H*b, W*b, C/(b*b)] with block_size b:
 *   out[n, y*b + by, x*b + bx, c] = in[n, y, x, (by*b + bx)*C' + c],   C' = C/(b*b)
 * C must be a multiple of b*b (INVALID_MODEL otherwise). A byte shuffle, planned at prepare
 * as a 6-D strided read (shape_util.h). Types: every copyable dtype. */
#include "kernels/ref/shape_util.h"

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *x = tflc_op_in(c, 0);
    shp_plan_run(c->node->data, x->data, tflc_op_out(c, 0)->data, tflc_dtype_size(x->dtype));
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_depth_to_space_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 1, 1, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *y = tflc_op_out(c, 0);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype || !shp_copyable(x->dtype)) return tflc_op_unsupported(c);
    if (x->rank != 4) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' must be 4-D (NHWC), it has rank %d", x->name, (int)x->rank);
    int32_t b = tflc_tfl_depth_to_space_options_block_size(c->node->options);
    int32_t n = x->dims[0], h = x->dims[1], w = x->dims[2], ch = x->dims[3];
    if (b < 1 || b > 65535) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "block_size %d is out of range", (int)b);
    if (ch % (b * b))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "depth %d of '%s' must be a multiple of block_size^2 = %d", (int)ch, x->name,
                            (int)(b * b));
    if ((int64_t)h * b > INT32_MAX || (int64_t)w * b > INT32_MAX)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output is too large");
    int32_t co = ch / (b * b);
    int32_t dims[4] = {n, h * b, w * b, co};
    if ((st = tflc_op_set_shape(c, y, 4, dims))) return st;
    struct shp_plan *p = tflc_op_alloc(c, sizeof *p);
    if (!p) return TFLC_STATUS_ARENA_TOO_SMALL;
    /* Output order (n, y, by, x, bx, c), read from the input's (n, y, x, (by*b + bx)*C' + c). */
    ptrdiff_t sx = ch, sy = (ptrdiff_t)w * ch, sn = (ptrdiff_t)h * w * ch;
    *p = (struct shp_plan){6, {n, h, b, w, b, co}, {sn, sy, (ptrdiff_t)b * co, sx, co, 1}, 0};
    shp_plan_finish(p);
    c->node->data = p;
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
