/* The ops that split their work over the interpreter's threads give the same bytes as a serial
 * run: single-op models large enough to take the parallel path (ADD / MUL with and without
 * broadcasting, float32 and int8; AVERAGE_POOL_2D and MAX_POOL_2D; PAD; SOFTMAX float32, int8,
 * int16), random inputs, run
 * with one thread and with pools of 2 and 3 threads (the hosted tflc_threadpool), in both
 * arithmetic modes, compared byte for byte. */
#include <stdlib.h>
#include <string.h>

#include "format/flatbuf_build.h"
#include "format/tflite_build.h"
#include "format/tflite_schema.h"
#include "test.h"
#include "tflc/runtime.h"

enum kind { BIN, POOL, PAD, SOFTMAX };

struct model_case {
    const char *name;
    enum kind kind;
    int32_t code;
    enum tflc_dtype dt;
    int ra, rb, ry;
    int32_t da[4], db[4], dy[4];
    int k, stride, padding;  /* POOL */
    int32_t pads[8];         /* PAD: [rank, 2] */
    int act;
};

static const struct model_case cases[] = {
    {"add_f32_bcast", BIN, TFLC_TFL_BUILTIN_OPERATOR_ADD, TFLC_DTYPE_FLOAT32, 4, 4, 4, {1, 64, 64, 16}, {1, 1, 64, 16},
     {1, 64, 64, 16}, 0, 0, 0, {0}, 1},
    {"add_s8_same", BIN, TFLC_TFL_BUILTIN_OPERATOR_ADD, TFLC_DTYPE_INT8, 4, 4, 4, {1, 56, 56, 24}, {1, 56, 56, 24},
     {1, 56, 56, 24}, 0, 0, 0, {0}, 0},
    {"mul_f32_rank", BIN, TFLC_TFL_BUILTIN_OPERATOR_MUL, TFLC_DTYPE_FLOAT32, 2, 1, 2, {8, 4099}, {4099}, {8, 4099}, 0,
     0, 0, {0}, 0},
    {"mul_s8_scalar", BIN, TFLC_TFL_BUILTIN_OPERATOR_MUL, TFLC_DTYPE_INT8, 3, 1, 3, {3, 131, 97}, {1}, {3, 131, 97}, 0,
     0, 0, {0}, 0},
    {"maxpool_f32_same", POOL, TFLC_TFL_BUILTIN_OPERATOR_MAX_POOL_2D, TFLC_DTYPE_FLOAT32, 4, 0, 4, {1, 65, 65, 8}, {0},
     {1, 33, 33, 8}, 3, 2, TFLC_TFL_PADDING_SAME, {0}, 0},
    {"avgpool_s8_valid", POOL, TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D, TFLC_DTYPE_INT8, 4, 0, 4, {2, 33, 33, 16},
     {0}, {2, 31, 31, 16}, 3, 1, TFLC_TFL_PADDING_VALID, {0}, 0},
    {"avgpool_f32_same", POOL, TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D, TFLC_DTYPE_FLOAT32, 4, 0, 4,
     {1, 80, 81, 12}, {0}, {1, 40, 41, 12}, 3, 2, TFLC_TFL_PADDING_SAME, {0}, 0},
    {"pad_s8", PAD, TFLC_TFL_BUILTIN_OPERATOR_PAD, TFLC_DTYPE_INT8, 4, 0, 4, {1, 56, 56, 24}, {0}, {1, 58, 58, 24}, 0,
     0, 0, {0, 0, 1, 1, 1, 1, 0, 0}, 0},
    {"pad_f32_odd", PAD, TFLC_TFL_BUILTIN_OPERATOR_PAD, TFLC_DTYPE_FLOAT32, 4, 0, 4, {3, 17, 19, 5}, {0},
     {6, 20, 21, 7}, 0, 0, 0, {1, 2, 0, 3, 2, 0, 1, 1}, 0},
    {"softmax_f32", SOFTMAX, TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX, TFLC_DTYPE_FLOAT32, 2, 0, 2, {64, 1001}, {0},
     {64, 1001}, 0, 0, 0, {0}, 0},
    {"softmax_s8", SOFTMAX, TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX, TFLC_DTYPE_INT8, 3, 0, 3, {7, 13, 300}, {0},
     {7, 13, 300}, 0, 0, 0, {0}, 0},
    {"softmax_s16", SOFTMAX, TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX, TFLC_DTYPE_INT16, 2, 0, 2, {50, 401}, {0}, {50, 401},
     0, 0, 0, {0}, 0},
};

struct built {
    struct tflc_tflb *b;
    const uint8_t *model;
    size_t len;
};

static bool build(const struct model_case *m, struct built *out) {
    struct tflc_tflb *b = tflc_tflb_create();
    out->b = b;
    float sa = 0.05f, sb = 0.07f, sy = 0.09f;
    int64_t za = -3, zb = 5, zy = -1;
    if (m->kind != BIN) sy = sa, zy = za; /* pooling and pad keep the input's quantization */
    if (m->kind == SOFTMAX) /* TFLite's fixed output quantization */
        sy = m->dt == TFLC_DTYPE_INT8 ? 1.0f / 256 : 1.0f / 32768, zy = m->dt == TFLC_DTYPE_INT8 ? -128 : 0;
    if (m->dt == TFLC_DTYPE_INT16) za = zy = 0;
    struct tflc_tflb_quant qa = {1, &sa, &za, 0}, qb = {1, &sb, &zb, 0}, qy = {1, &sy, &zy, 0};
    bool q = m->dt == TFLC_DTYPE_INT8 || m->dt == TFLC_DTYPE_INT16;
    int a = tflc_tflb_tensor(b, "a", m->dt, m->ra, m->da, 0, q ? &qa : NULL);
    int y = tflc_tflb_tensor(b, "y", m->dt, m->ry, m->dy, 0, q ? &qy : NULL);
    struct tflc_fbb *f = tflc_tflb_fbb(b);
    uint8_t type = 0;
    uint32_t opt = 0;
    if (m->kind == BIN) {
        int in2 = tflc_tflb_tensor(b, "b", m->dt, m->rb, m->db, 0, q ? &qb : NULL);
        tflc_fbb_table_start(f);
        if (m->code == TFLC_TFL_BUILTIN_OPERATOR_ADD) {
            type = TFLC_TFL_BUILTIN_OPTIONS_ADD_OPTIONS;
            tflc_fbb_add_i8(f, TFLC_TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)m->act, 0);
        } else {
            type = TFLC_TFL_BUILTIN_OPTIONS_MUL_OPTIONS;
            tflc_fbb_add_i8(f, TFLC_TFL_MUL_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)m->act, 0);
        }
        opt = tflc_fbb_table_end(f);
        tflc_tflb_op(b, m->code, 1, NULL, (int32_t[]){a, in2}, 2, (int32_t[]){y}, 1, type, opt);
        tflc_tflb_graph_io(b, (int32_t[]){a, in2}, 2, (int32_t[]){y}, 1);
    } else if (m->kind == POOL) {
        tflc_fbb_table_start(f);
        tflc_fbb_add_i8(f, TFLC_TFL_POOL2D_OPTIONS_PADDING, (int8_t)m->padding, 0);
        tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_STRIDE_W, m->stride, 0);
        tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_STRIDE_H, m->stride, 0);
        tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_FILTER_WIDTH, m->k, 0);
        tflc_fbb_add_i32(f, TFLC_TFL_POOL2D_OPTIONS_FILTER_HEIGHT, m->k, 0);
        opt = tflc_fbb_table_end(f);
        tflc_tflb_op(b, m->code, 2, NULL, (int32_t[]){a}, 1, (int32_t[]){y}, 1, TFLC_TFL_BUILTIN_OPTIONS_POOL2D_OPTIONS,
                     opt);
        tflc_tflb_graph_io(b, (int32_t[]){a}, 1, (int32_t[]){y}, 1);
    } else if (m->kind == SOFTMAX) {
        tflc_fbb_table_start(f);
        tflc_fbb_add_f32(f, TFLC_TFL_SOFTMAX_OPTIONS_BETA, 1.0f, 0.0f);
        opt = tflc_fbb_table_end(f);
        tflc_tflb_op(b, m->code, m->dt == TFLC_DTYPE_INT16 ? 3 : 2, NULL, (int32_t[]){a}, 1, (int32_t[]){y}, 1,
                     TFLC_TFL_BUILTIN_OPTIONS_SOFTMAX_OPTIONS, opt);
        tflc_tflb_graph_io(b, (int32_t[]){a}, 1, (int32_t[]){y}, 1);
    } else {
        int buf = tflc_tflb_buffer(b, m->pads, sizeof(int32_t) * 2 * (size_t)m->ra);
        int p = tflc_tflb_tensor(b, "paddings", TFLC_DTYPE_INT32, 2, (int32_t[]){m->ra, 2}, buf, NULL);
        tflc_tflb_op(b, m->code, 2, NULL, (int32_t[]){a, p}, 2, (int32_t[]){y}, 1, 0, 0);
        tflc_tflb_graph_io(b, (int32_t[]){a}, 1, (int32_t[]){y}, 1);
    }
    struct tflc_diag d;
    if (tflc_tflb_finish(b, NULL, &out->model, &out->len, &d)) {
        TFLC_FAIL_("%s: build: %s", m->name, d.msg);
        return false;
    }
    return true;
}

/* Runs the model with `threads` threads on inputs from `seed`; returns a malloc'd copy of
 * output 0 (*bytes long), NULL on failure (reported). */
static uint8_t *run(const struct model_case *m, const struct built *bm, int threads, enum tflc_arith ar, uint64_t seed,
                    size_t *bytes) {
    struct tflc_interp_options opt = tflc_interp_options_default();
    opt.arithmetic = ar;
    struct tflc_threadpool *pool = NULL;
    struct tflc_diag d;
    uint8_t *res = NULL, *arena = NULL;
    size_t need;
    struct tflc_interp *it = NULL;
    if (tflc_interp_options_set_threads(&opt, threads, &pool, &d) || opt.num_threads != threads) {
        TFLC_FAIL_("%s: no pool of %d threads", m->name, threads);
        goto out;
    }
    if (tflc_interp_arena_size_hosted(bm->model, bm->len, &opt, &need, &d) ||
        !(arena = aligned_alloc(64, (need + 63) / 64 * 64))) {
        TFLC_FAIL_("%s: sizing: %s", m->name, d.msg);
        goto out;
    }
    memset(arena, 0x5a ^ threads, need); /* no output bytes left over from an earlier run */
    if (tflc_interp_init(&it, bm->model, bm->len, arena, need, &opt, &d)) {
        TFLC_FAIL_("%s: init: %s", m->name, d.msg);
        goto out;
    }
    uint64_t s = seed;
    for (int i = 0; i < tflc_interp_input_count(it); i++) {
        struct tflc_tensor *t = tflc_interp_input(it, i);
        uint8_t *p = t->data;
        for (size_t k = 0; k < t->bytes; k++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            p[k] = (uint8_t)(s >> 56);
        }
        if (t->dtype == TFLC_DTYPE_FLOAT32) /* finite values in [-8, 8) */
            for (size_t k = 0; k < t->bytes / 4; k++) ((float *)t->data)[k] = (float)(int8_t)p[4 * k] / 16.0f;
    }
    if (tflc_interp_invoke(it, &d)) {
        TFLC_FAIL_("%s: invoke: %s", m->name, d.msg);
        goto out;
    }
    const struct tflc_tensor *y = tflc_interp_output(it, 0);
    *bytes = y->bytes;
    res = malloc(y->bytes);
    if (res) memcpy(res, y->data, y->bytes);
out:
    tflc_interp_free(it);
    free(arena);
    tflc_threadpool_destroy(pool);
    return res;
}

TFLC_TEST(threads_equal_serial) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct model_case *m = &cases[i];
        struct built bm;
        if (!build(m, &bm)) { tflc_tflb_destroy(bm.b); continue; }
        for (int ar = 0; ar < TFLC_ARITH_COUNT; ar++) {
            for (uint64_t seed = 1; seed <= 3; seed++) {
                size_t n1 = 0, n2 = 0, n3 = 0;
                uint8_t *y1 = run(m, &bm, 1, (enum tflc_arith)ar, seed, &n1);
                uint8_t *y2 = run(m, &bm, 2, (enum tflc_arith)ar, seed, &n2);
                uint8_t *y3 = run(m, &bm, 3, (enum tflc_arith)ar, seed, &n3);
                if (y1 && y2 && y3) {
                    TFLC_EXPECT_MSG(n1 == n2 && n1 == n3 && n1 > 0, "%s: output sizes %zu %zu %zu", m->name, n1, n2,
                                    n3);
                    TFLC_EXPECT_MSG(n1 == n2 && !memcmp(y1, y2, n1), "%s (arith %d, seed %d): 2 threads differ",
                                    m->name, ar, (int)seed);
                    TFLC_EXPECT_MSG(n1 == n3 && !memcmp(y1, y3, n1), "%s (arith %d, seed %d): 3 threads differ",
                                    m->name, ar, (int)seed);
                    /* not trivially equal: the output is not constant */
                    size_t diff = 0;
                    for (size_t k = 1; k < n1; k++) diff += y1[k] != y1[0];
                    TFLC_EXPECT_MSG(diff > n1 / 32, "%s: output nearly constant", m->name);
                }
                free(y1);
                free(y2);
                free(y3);
            }
        }
        tflc_tflb_destroy(bm.b);
    }
}

TFLC_TEST_MAIN()
