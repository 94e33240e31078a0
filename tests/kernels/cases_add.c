/* ADD cases: float32 / int32 / int8 / uint8 / int16, broadcasting, fused activations. All
 * exact: int8/uint8 ADD runs in XNNPACK in Google's runtime and in tflc's default
 * arithmetic (binary_util.h), int16 in TFLite's builtin kernel on both sides. */
#include "op_cases.h"

static uint32_t add_opts(struct oc *c, int act) {
    struct tflc_fbb *f = oc_fbb(c);
    if (!f) return 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, 0);
    tflc_fbb_add_bool(f, TFLC_TFL_ADD_OPTIONS_POT_SCALE_INT16, false, true);
    return tflc_fbb_table_end(f);
}

static void one(const char *name, enum tflc_dtype t, int ra, const int32_t *da, int rb, const int32_t *db, int ro,
                const int32_t *dout, int act, float sa, int za, float sb, int zb, float so, int zo, const char *tol,
                int version) {
    struct oc *c = oc_begin(name, tol);
    if (!c) return;
    float s[3];
    int64_t z[3];
    struct tflc_tflb_quant qa = oc_q(&s[0], &z[0], sa, za), qb = oc_q(&s[1], &z[1], sb, zb), qo = oc_q(&s[2], &z[2], so, zo);
    bool q = t == TFLC_DTYPE_INT8 || t == TFLC_DTYPE_UINT8 || t == TFLC_DTYPE_INT16;
    int a = oc_input(c, "a", t, ra, da, q ? &qa : NULL);
    int b = oc_input(c, "b", t, rb, db, q ? &qb : NULL);
    int y = oc_output(c, "y", t, ro, dout, q ? &qo : NULL);
    uint32_t opt = add_opts(c, act);
    oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_ADD, version, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1,
          TFLC_TFL_BUILTIN_OPTIONS_ADD_OPTIONS, opt);
    oc_end(c);
}

OC_GENERATOR(add) {
    static const int32_t s4[] = {1, 5, 7, 3}, s4b[] = {1, 1, 7, 1}, s1[] = {3}, s2[] = {2, 3};
    static const int32_t s23[] = {4, 2, 3};
    for (int act = 0; act <= 3; act++) {
        char n[64];
        snprintf(n, sizeof n, "add_f32_act%d", act);
        one(n, TFLC_DTYPE_FLOAT32, 4, s4, 4, s4, 4, s4, act, 0, 0, 0, 0, 0, 0, "float 1e-6", 1);
        snprintf(n, sizeof n, "add_s8_act%d", act);
        one(n, TFLC_DTYPE_INT8, 4, s4, 4, s4, 4, s4, act, 0.05f, -3, 0.03f, 10, 0.07f, -5, "int 0 1", 2);
    }
    one("add_f32_bcast_inner", TFLC_DTYPE_FLOAT32, 4, s4, 1, s1, 4, s4, 0, 0, 0, 0, 0, 0, 0, "float 1e-6", 1);
    one("add_f32_bcast_mid", TFLC_DTYPE_FLOAT32, 4, s4, 4, s4b, 4, s4, 0, 0, 0, 0, 0, 0, 0, "float 1e-6", 1);
    one("add_f32_bcast_both", TFLC_DTYPE_FLOAT32, 3, s23, 2, s2, 3, s23, 1, 0, 0, 0, 0, 0, 0, "float 1e-6", 1);
    one("add_s8_bcast", TFLC_DTYPE_INT8, 4, s4, 4, s4b, 4, s4, 0, 0.1f, 0, 0.02f, -128, 0.1f, 3, "int 0 1", 2);
    one("add_s8_extreme_zp", TFLC_DTYPE_INT8, 4, s4, 4, s4, 4, s4, 0, 0.5f, 127, 0.25f, -128, 1.0f, -128, "int 0 1", 2);
    one("add_u8", TFLC_DTYPE_UINT8, 4, s4, 4, s4, 4, s4, 1, 0.05f, 128, 0.03f, 100, 0.07f, 0, "int 0 1", 2);
    one("add_s16", TFLC_DTYPE_INT16, 4, s4, 4, s4, 4, s4, 0, 0.001f, 0, 0.0007f, 0, 0.002f, 0, "int 0 1", 3);
    one("add_s32", TFLC_DTYPE_INT32, 4, s4, 4, s4b, 4, s4, 0, 0, 0, 0, 0, 0, 0, "int 0 1", 1);
}
