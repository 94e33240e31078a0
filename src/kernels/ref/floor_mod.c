/* FLOOR_MOD: y = a - floor(a / b) * b elementwise with numpy broadcasting (TFLite's
 * floor_mod.cc / reference FloorMod: the truncated remainder, fmodf for float, plus b when
 * it is non-zero and its sign differs from b's). float32; int32, int64 (v1); int8, int16
 * (v2, plain integers, no requantization). A zero integer divisor is an error at run time
 * (TFLite checks integer divisors only; float x mod 0 is NaN). prepare builds the walk. */
#include "kernels/ref/extra_util.h"

struct floor_mod_data {
    struct xt_bcast bc;
};

static inline float fmod_f32(float a, float b) {
    const float r = fmodf(a, b);
    return (r != 0.0f && ((b < 0.0f) != (r < 0.0f))) ? r + b : r;
}
static inline int64_t fmod_int(int64_t a, int64_t b) {
    if (b == -1) return 0; /* also covers INT64_MIN % -1 */
    const int64_t r = a % b;
    return (r != 0 && ((b < 0) != (r < 0))) ? r + b : r;
}

XT_BINARY_EVAL(eval_f32, struct floor_mod_data, float, float, float, fmod_f32(a, b))
XT_BINARY_EVAL(eval_s8_v, struct floor_mod_data, int8_t, int8_t, int8_t, (int8_t)fmod_int(a, b))
XT_BINARY_EVAL(eval_s16_v, struct floor_mod_data, int16_t, int16_t, int16_t, (int16_t)fmod_int(a, b))
XT_BINARY_EVAL(eval_s32_v, struct floor_mod_data, int32_t, int32_t, int32_t, (int32_t)fmod_int(a, b))
XT_BINARY_EVAL(eval_s64_v, struct floor_mod_data, int64_t, int64_t, int64_t, fmod_int(a, b))

static enum tflc_status check_divisor(const struct tflc_op_ctx *c) {
    const struct tflc_tensor *b = tflc_op_in(c, 1);
    size_t n = tflc_numel(b);
    for (size_t i = 0; i < n; i++) {
        int64_t v;
        switch (b->dtype) {
        case TFLC_DTYPE_INT8: v = ((const int8_t *)b->data)[i]; break;
        case TFLC_DTYPE_INT16: v = ((const int16_t *)b->data)[i]; break;
        case TFLC_DTYPE_INT32: v = ((const int32_t *)b->data)[i]; break;
        default: v = ((const int64_t *)b->data)[i]; break;
        }
        if (v == 0) return tflc_op_fail(c, TFLC_STATUS_INVALID_ARGUMENT, "division by 0 (element %zu of '%s')", i, b->name);
    }
    return TFLC_STATUS_OK;
}

#define CHECKED(name, inner)                                            \
    static enum tflc_status name(const struct tflc_op_ctx *c) {         \
        enum tflc_status st = check_divisor(c);                         \
        return st ? st : inner(c);                                      \
    }
CHECKED(eval_s8, eval_s8_v)
CHECKED(eval_s16, eval_s16_v)
CHECKED(eval_s32, eval_s32_v)
CHECKED(eval_s64, eval_s64_v)

enum tflc_status tflc_floor_mod_prepare(struct tflc_op_ctx *c) {
    struct floor_mod_data *d = tflc_op_alloc(c, sizeof *d);
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
