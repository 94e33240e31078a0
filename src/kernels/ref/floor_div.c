/* FLOOR_DIV: y = floor(a / b) elementwise with numpy broadcasting (TFLite's floor_div.cc:
 * the quotient is computed in double and floored, then converted back).
 * float32 (v2); int32 (v1); int8, int16 (v3, plain integers: values are divided as stored,
 * no requantization); int64. Any zero in the divisor is an error at run time, as TFLite
 * ("Division by 0", checked for every type). Integer results out of range (INT_MIN / -1)
 * saturate. prepare builds the walk. */
#include "kernels/ref/extra_util.h"

struct floor_div_data {
    struct xt_bcast bc;
};

static inline double fdiv(double a, double b) { return floor(a / b); }
static inline int64_t sat(double v, int64_t lo, int64_t hi) {
    if (!(v > (double)lo)) return lo;
    if (v >= (double)hi) return hi;
    return (int64_t)v;
}

XT_BINARY_EVAL(eval_f32_v, struct floor_div_data, float, float, float, (float)fdiv(a, b))
XT_BINARY_EVAL(eval_s8_v, struct floor_div_data, int8_t, int8_t, int8_t, (int8_t)sat(fdiv(a, b), INT8_MIN, INT8_MAX))
XT_BINARY_EVAL(eval_s16_v, struct floor_div_data, int16_t, int16_t, int16_t, (int16_t)sat(fdiv(a, b), INT16_MIN, INT16_MAX))
XT_BINARY_EVAL(eval_s32_v, struct floor_div_data, int32_t, int32_t, int32_t, (int32_t)sat(fdiv(a, b), INT32_MIN, INT32_MAX))
/* int64: exact integer floor division (a double quotient would round large values). */
static inline int64_t fdiv64(int64_t a, int64_t b) {
    if (a == INT64_MIN && b == -1) return INT64_MAX;
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
XT_BINARY_EVAL(eval_s64_v, struct floor_div_data, int64_t, int64_t, int64_t, fdiv64(a, b))

/* The divisor has no zero (TFLite checks every element before dividing). */
static enum tflc_status check_divisor(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *b = tflc_op_in(c, 1);
    size_t n = tflc_numel(b);
    for (size_t i = 0; i < n; i++) {
        bool zero = false;
        switch (b->dtype) {
        case TFLC_DTYPE_FLOAT32: zero = ((const float *)b->data)[i] == 0.0f; break;
        case TFLC_DTYPE_INT8: zero = ((const int8_t *)b->data)[i] == 0; break;
        case TFLC_DTYPE_INT16: zero = ((const int16_t *)b->data)[i] == 0; break;
        case TFLC_DTYPE_INT32: zero = ((const int32_t *)b->data)[i] == 0; break;
        default: zero = ((const int64_t *)b->data)[i] == 0; break;
        }
        if (zero) return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "division by 0 (element %zu of '%s')", i, b->name);
    }
    return TFLC_STATUS_OK;
}

#define CHECKED(name, inner)                                            \
    static enum tflc_status name(const struct tflc_op_ctx *c) {         \
        enum tflc_status st = check_divisor(c);                         \
        return st ? st : inner(c);                                      \
    }
CHECKED(eval_f32, eval_f32_v)
CHECKED(eval_s8, eval_s8_v)
CHECKED(eval_s16, eval_s16_v)
CHECKED(eval_s32, eval_s32_v)
CHECKED(eval_s64, eval_s64_v)

enum tflc_status tflc_floor_div_prepare(struct tflc_op_ctx *c) {
    struct floor_div_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    enum tflc_status st = xt_bcast_prepare(c, 2, &d->bc);
    if (st) return st;
    const struct tflc_tensor *a = tflc_op_in(c, 0), *b = tflc_op_in(c, 1), *y = tflc_op_out(c, 0);
    if (a->dtype != b->dtype || a->dtype != y->dtype) return tflc_op_unsupported(c);
    c->node->data = d;
    switch (a->dtype) {
    case TFLC_DTYPE_FLOAT32: c->node->eval = eval_f32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT8: c->node->eval = eval_s8; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT16: c->node->eval = eval_s16; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT32: c->node->eval = eval_s32; return TFLC_STATUS_OK;
    case TFLC_DTYPE_INT64: c->node->eval = eval_s64; return TFLC_STATUS_OK;
    default: return tflc_op_unsupported(c);
    }
}
