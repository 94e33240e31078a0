/* CUMSUM: running sum along one axis (TFLite's cumsum.cc). Inputs: x (rank >= 1) and a
 * one-element int32 axis (negative counts from the end; read at run time as TFLite, and
 * checked at prepare when constant). Options: exclusive (each output leaves out its own
 * element, the first is 0) and reverse (sum from the end). Sums accumulate sequentially
 * along the axis in that order. float32, int32, int64 (integers wrap). */
#include "kernels/ref/extra_util.h"

struct cumsum_data {
    bool exclusive, reverse;
};

#define EVAL(name, T, ACC)                                                                          \
    static enum tflc_status name(const struct tflc_op_ctx *c) {                                     \
        const struct cumsum_data *d = c->node->data;                                                \
        const struct tflc_tensor *x = tflc_op_in(c, 0);                                             \
        int32_t a = *(const int32_t *)tflc_op_in(c, 1)->data;                                       \
        if (a < -x->rank || a >= x->rank)                                                           \
            return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "axis %d is out of range for rank %d", \
                                (int)a, (int)x->rank);                                              \
        size_t outer, n, inner;                                                                     \
        xt_split_dims(x, a < 0 ? a + x->rank : a, &outer, &n, &inner);                              \
        const T *in = x->data;                                                                      \
        T *out = tflc_op_out(c, 0)->data;                                                           \
        for (size_t o = 0; o < outer; o++)                                                          \
            for (size_t k = 0; k < inner; k++) {                                                    \
                ACC acc = 0;                                                                        \
                for (size_t j = 0; j < n; j++) {                                                    \
                    size_t i = (o * n + (d->reverse ? n - 1 - j : j)) * inner + k;                  \
                    if (d->exclusive) {                                                             \
                        out[i] = (T)acc;                                                            \
                        acc = (ACC)(acc + (ACC)in[i]);                                              \
                    } else {                                                                        \
                        acc = (ACC)(acc + (ACC)in[i]);                                              \
                        out[i] = (T)acc;                                                            \
                    }                                                                               \
                }                                                                                   \
            }                                                                                       \
        return TFLC_STATUS_OK;                                                                      \
    }

EVAL(eval_f32, float, float)
EVAL(eval_s32, int32_t, uint32_t)
EVAL(eval_s64, int64_t, uint64_t)

enum tflc_status tflc_cumsum_prepare(struct tflc_op_ctx *c) {
    enum tflc_status st = tflc_op_check_io(c, 2, 2, 1);
    if (st) return st;
    struct tflc_tensor *x = tflc_op_in(c, 0), *ax = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (!x || !ax) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "missing input");
    if (x->dtype != y->dtype) return tflc_op_unsupported(c);
    if (ax->dtype != TFLC_DTYPE_INT32 || tflc_numel(ax) != 1)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "axis '%s' must be one INT32 value", ax->name);
    if (x->rank < 1) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' must have rank >= 1", x->name);
    if (tflc_op_is_const(c, ax) && ax->data) {
        int axis = 0;
        if ((st = xt_const_axis(c, ax, x->rank, &axis))) return st;
    }
    struct cumsum_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->exclusive = tflc_tfl_cumsum_options_exclusive(c->node->options);
    d->reverse = tflc_tfl_cumsum_options_reverse(c->node->options);
    c->node->data = d;
    switch (x->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; break;
    case TFLC_DTYPE_INT32: c->node->eval = eval_s32; break;
    case TFLC_DTYPE_INT64: c->node->eval = eval_s64; break;
    default: return tflc_op_unsupported(c);
    }
    return tflc_op_set_shape(c, y, x->rank, x->dims);
}
