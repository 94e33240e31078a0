/* CAST: element type conversion between float32, float16, float64, bool, int8, uint8, int16,
 * uint16, int32, uint32 and int64 (no quantization involved).
 * Rules (C++ static_cast as in TFLite, made total): integer -> integer wraps modulo 2^bits;
 * float -> integer truncates toward zero and saturates at the target's range (TFLite's
 * current kernel saturates float -> int32/int16/uint8; out-of-range values are undefined in
 * C++ for the other targets, so we saturate them too; NaN gives 0, and INT32_MAX for int32 as
 * TFLite's saturating int32 path); anything -> bool is
 * "!= 0"; bool -> number is 0/1; integer -> float32 rounds once to nearest; float64 -> float16
 * goes through float32, as TFLite. */
#include "base/fp16.h"
#include "kernels/ref/unary_util.h"

/* One element in flight: integers (and bool) as int64, floating values as double (every
 * float16/float32 value is exact in double). */
struct cast_val {
    bool is_float;
    int64_t i;
    double f;
};

typedef struct cast_val (*cast_read_fn)(const void *p, size_t i);
typedef void (*cast_write_fn)(void *p, size_t i, struct cast_val v);

struct cast_data {
    cast_read_fn read;
    cast_write_fn write;
};

#define READ_INT(name, T)                                                      \
    static struct cast_val name(const void *p, size_t i) {                     \
        struct cast_val v = {false, (int64_t)((const T *)p)[i], 0.0};          \
        return v;                                                              \
    }
READ_INT(read_s8, int8_t)
READ_INT(read_u8, uint8_t)
READ_INT(read_s16, int16_t)
READ_INT(read_u16, uint16_t)
READ_INT(read_s32, int32_t)
READ_INT(read_u32, uint32_t)
READ_INT(read_s64, int64_t)

static struct cast_val read_bool(const void *p, size_t i) {
    struct cast_val v = {false, ((const uint8_t *)p)[i] != 0, 0.0};
    return v;
}
static struct cast_val read_f32(const void *p, size_t i) {
    struct cast_val v = {true, 0, ((const float *)p)[i]};
    return v;
}
static struct cast_val read_f64(const void *p, size_t i) {
    struct cast_val v = {true, 0, ((const double *)p)[i]};
    return v;
}
static struct cast_val read_f16(const void *p, size_t i) {
    struct cast_val v = {true, 0, tflc_f16_to_f32(((const uint16_t *)p)[i])};
    return v;
}

/* Floating value -> integer in [lo, hi]: truncate, saturate, NaN -> nan_value. */
static int64_t f_to_int(double f, double lo, double hi, int64_t nan_value) {
    if (f != f) return nan_value;
    if (f <= lo) return (int64_t)lo;
    if (f >= hi) return (int64_t)hi;
    return (int64_t)f;
}

/* Integer targets: wrap integers (via uint64 so the conversion is defined), saturate floats. */
#define WRITE_INT(name, T, UT, LO, HI, NAN_VALUE)                                              \
    static void name(void *p, size_t i, struct cast_val v) {                                   \
        ((T *)p)[i] = v.is_float ? (T)f_to_int(v.f, LO, HI, NAN_VALUE) : (T)(UT)(uint64_t)v.i; \
    }
WRITE_INT(write_s8, int8_t, uint8_t, -128.0, 127.0, 0)
WRITE_INT(write_u8, uint8_t, uint8_t, 0.0, 255.0, 0)
WRITE_INT(write_s16, int16_t, uint16_t, -32768.0, 32767.0, 0)
WRITE_INT(write_u16, uint16_t, uint16_t, 0.0, 65535.0, 0)
WRITE_INT(write_s32, int32_t, uint32_t, -2147483648.0, 2147483647.0, INT32_MAX) /* TFLite: NaN fails a <= max */
WRITE_INT(write_u32, uint32_t, uint32_t, 0.0, 4294967295.0, 0)

static void write_s64(void *p, size_t i, struct cast_val v) {
    /* 2^63 is the first double past the int64 range. */
    int64_t r;
    if (!v.is_float) r = v.i;
    else if (v.f != v.f) r = 0;
    else if (v.f >= 9223372036854775808.0) r = INT64_MAX;
    else if (v.f <= -9223372036854775808.0) r = INT64_MIN;
    else r = (int64_t)v.f;
    ((int64_t *)p)[i] = r;
}
static void write_bool(void *p, size_t i, struct cast_val v) {
    ((uint8_t *)p)[i] = v.is_float ? v.f != 0.0 : v.i != 0;
}
static void write_f32(void *p, size_t i, struct cast_val v) {
    ((float *)p)[i] = v.is_float ? (float)v.f : (float)v.i; /* int64 -> float: one rounding */
}
static void write_f64(void *p, size_t i, struct cast_val v) {
    ((double *)p)[i] = v.is_float ? v.f : (double)v.i;
}
static void write_f16(void *p, size_t i, struct cast_val v) {
    ((uint16_t *)p)[i] = tflc_f32_to_f16(v.is_float ? (float)v.f : (float)v.i);
}

static cast_read_fn reader(enum tflc_dtype t) {
    switch (t) {
    case TFLC_DTYPE_INT8: return read_s8;
    case TFLC_DTYPE_UINT8: return read_u8;
    case TFLC_DTYPE_INT16: return read_s16;
    case TFLC_DTYPE_UINT16: return read_u16;
    case TFLC_DTYPE_INT32: return read_s32;
    case TFLC_DTYPE_UINT32: return read_u32;
    case TFLC_DTYPE_INT64: return read_s64;
    case TFLC_DTYPE_BOOL: return read_bool;
    case TFLC_DTYPE_FLOAT32: return read_f32;
    case TFLC_DTYPE_FLOAT64: return read_f64;
    case TFLC_DTYPE_FLOAT16: return read_f16;
    default: return NULL;
    }
}

static cast_write_fn writer(enum tflc_dtype t) {
    switch (t) {
    case TFLC_DTYPE_INT8: return write_s8;
    case TFLC_DTYPE_UINT8: return write_u8;
    case TFLC_DTYPE_INT16: return write_s16;
    case TFLC_DTYPE_UINT16: return write_u16;
    case TFLC_DTYPE_INT32: return write_s32;
    case TFLC_DTYPE_UINT32: return write_u32;
    case TFLC_DTYPE_INT64: return write_s64;
    case TFLC_DTYPE_BOOL: return write_bool;
    case TFLC_DTYPE_FLOAT32: return write_f32;
    case TFLC_DTYPE_FLOAT64: return write_f64;
    case TFLC_DTYPE_FLOAT16: return write_f16;
    default: return NULL;
    }
}

static enum tflc_status eval(const struct tflc_op_ctx *c) {
    const struct cast_data *d = c->node->data;
    const void *in = tflc_op_in(c, 0)->data;
    struct tflc_tensor *y = tflc_op_out(c, 0);
    size_t n = tflc_numel(y);
    for (size_t i = 0; i < n; i++) d->write(y->data, i, d->read(in, i));
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_cast_prepare(struct tflc_op_ctx *c) {
    struct tflc_tensor *x, *y;
    enum tflc_status st = unary_prepare_same(c, &x, &y);
    if (st) return st;
    cast_read_fn r = reader(x->dtype);
    cast_write_fn w = writer(y->dtype);
    if (!r || !w) return tflc_op_unsupported(c);
    struct cast_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    d->read = r;
    d->write = w;
    c->node->data = d;
    c->node->eval = eval;
    return TFLC_STATUS_OK;
}
