/* Interpreter core: exact arena sizing, no heap use in init/invoke, state reset, refusals. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_build.h"
#include "format/tflite_schema.h"
#include "test.h"
#include "tflc/runtime.h"

/* Every malloc/calloc/realloc from code linked into this test (the runtime included) goes
 * through these wrappers (-Wl,--wrap=...), so the test can count them. */
static int heap_calls;
#ifdef TFLC_TEST_WRAP_MALLOC
void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n) { heap_calls++; return __real_malloc(n); }
void *__wrap_calloc(size_t a, size_t b) { heap_calls++; return __real_calloc(a, b); }
void *__wrap_realloc(void *p, size_t n) { heap_calls++; return __real_realloc(p, n); }
#endif
/* Under sanitizers the allocator cannot be wrapped; check_no_heap.sh still proves the core
 * references no heap function. */

struct model { struct tflc_tflb *b; const uint8_t *data; size_t size; };

/* y = (a + b) + c, float32 [2,3]; with_custom adds a custom op consumer. */
static struct model add_chain(int builtin2, const char *custom) {
    struct model m;
    m.b = tflc_tflb_create();
    int32_t d[] = {2, 3};
    int a = tflc_tflb_tensor(m.b, "a", TFLC_DTYPE_FLOAT32, 2, d, 0, NULL);
    int bb = tflc_tflb_tensor(m.b, "b", TFLC_DTYPE_FLOAT32, 2, d, 0, NULL);
    float cv[6] = {1, 2, 3, 4, 5, 6};
    int c = tflc_tflb_tensor(m.b, "c", TFLC_DTYPE_FLOAT32, 2, d, tflc_tflb_buffer(m.b, cv, sizeof cv), NULL);
    int t = tflc_tflb_tensor(m.b, "t", TFLC_DTYPE_FLOAT32, 2, d, 0, NULL);
    int y = tflc_tflb_tensor(m.b, "y", TFLC_DTYPE_FLOAT32, 2, d, 0, NULL);
    tflc_tflb_op(m.b, TFLC_TFL_BUILTIN_OPERATOR_ADD, 1, NULL, (int32_t[]){a, bb}, 2, (int32_t[]){t}, 1, 0, 0);
    tflc_tflb_op(m.b, builtin2, 1, custom, (int32_t[]){t, c}, 2, (int32_t[]){y}, 1, 0, 0);
    tflc_tflb_graph_io(m.b, (int32_t[]){a, bb}, 2, (int32_t[]){y}, 1);
    struct tflc_diag dg;
    if (tflc_tflb_finish(m.b, "test", &m.data, &m.size, &dg)) m.data = NULL;
    return m;
}

TFLC_TEST(arena_size_is_exact_and_sufficient) {
    struct model m = add_chain(TFLC_TFL_BUILTIN_OPERATOR_ADD, NULL);
    TFLC_REQUIRE(m.data);
    size_t need = 0;
    struct tflc_diag d;
    TFLC_REQUIRE(tflc_interp_arena_size_hosted(m.data, m.size, NULL, &need, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT(need > 0 && need % 64 == 0);
    uint8_t *arena = aligned_alloc(64, need);
    struct tflc_interp *it;
    TFLC_EXPECT_EQ_INT(tflc_interp_init(&it, m.data, m.size, arena, need, NULL, &d), TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(tflc_interp_arena_used(it), need);
    tflc_interp_free(it);
    /* One alignment unit less must be refused, cleanly. */
    TFLC_EXPECT_EQ_INT(tflc_interp_init(&it, m.data, m.size, arena, need - 64, NULL, &d), TFLC_STATUS_ARENA_TOO_SMALL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "too small");
    free(arena);
    tflc_tflb_destroy(m.b);
}

TFLC_TEST(no_heap_in_init_or_invoke_and_correct_result) {
    struct model m = add_chain(TFLC_TFL_BUILTIN_OPERATOR_ADD, NULL);
    TFLC_REQUIRE(m.data);
    size_t need = 0;
    struct tflc_diag d;
    TFLC_REQUIRE(tflc_interp_arena_size_hosted(m.data, m.size, NULL, &need, &d) == TFLC_STATUS_OK);
    uint8_t *arena = aligned_alloc(64, need);
    struct tflc_interp *it;
    heap_calls = 0;
    TFLC_REQUIRE(tflc_interp_init(&it, m.data, m.size, arena, need, NULL, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(heap_calls, 0);
    struct tflc_tensor *a = tflc_interp_input(it, 0), *b = tflc_interp_input(it, 1);
    for (int i = 0; i < 6; i++) { ((float *)a->data)[i] = (float)i; ((float *)b->data)[i] = 10.0f * (float)i; }
    heap_calls = 0;
    TFLC_REQUIRE(tflc_interp_invoke(it, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(heap_calls, 0);
    const float *y = tflc_interp_output(it, 0)->data;
    for (int i = 0; i < 6; i++) TFLC_EXPECT_NEAR(y[i], 11.0f * (float)i + (float)(i + 1), 0);
    tflc_interp_free(it);
    free(arena);
    tflc_tflb_destroy(m.b);
}

TFLC_TEST(unsupported_op_is_named) {
    struct model m = add_chain(TFLC_TFL_BUILTIN_OPERATOR_HASHTABLE_LOOKUP, NULL);
    TFLC_REQUIRE(m.data);
    size_t need;
    struct tflc_diag d;
    TFLC_EXPECT_EQ_INT(tflc_interp_arena_size_hosted(m.data, m.size, NULL, &need, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "operator 1");
    TFLC_EXPECT_STR_CONTAINS(d.msg, "HASHTABLE_LOOKUP v1");
    tflc_tflb_destroy(m.b);
    m = add_chain(TFLC_TFL_BUILTIN_OPERATOR_CUSTOM, "MyOp");
    TFLC_EXPECT_EQ_INT(tflc_interp_arena_size_hosted(m.data, m.size, NULL, &need, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "custom op 'MyOp'");
    tflc_tflb_destroy(m.b);
}

TFLC_TEST(newer_op_version_is_refused) {
    struct model m;
    m.b = tflc_tflb_create();
    int32_t d1[] = {4};
    int a = tflc_tflb_tensor(m.b, "a", TFLC_DTYPE_FLOAT32, 1, d1, 0, NULL);
    int y = tflc_tflb_tensor(m.b, "y", TFLC_DTYPE_FLOAT32, 1, d1, 0, NULL);
    tflc_tflb_op(m.b, TFLC_TFL_BUILTIN_OPERATOR_ADD, 99, NULL, (int32_t[]){a, a}, 2, (int32_t[]){y}, 1, 0, 0);
    tflc_tflb_graph_io(m.b, (int32_t[]){a}, 1, (int32_t[]){y}, 1);
    struct tflc_diag d;
    TFLC_REQUIRE(tflc_tflb_finish(m.b, NULL, &m.data, &m.size, &d) == TFLC_STATUS_OK);
    size_t need;
    TFLC_EXPECT_EQ_INT(tflc_interp_arena_size_hosted(m.data, m.size, NULL, &need, &d), TFLC_STATUS_UNSUPPORTED);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "ADD v99");
    tflc_tflb_destroy(m.b);
}

TFLC_TEST(shape_mismatch_between_inputs_is_invalid_model) {
    struct model m;
    m.b = tflc_tflb_create();
    int32_t d1[] = {4}, d2[] = {3};
    int a = tflc_tflb_tensor(m.b, "a", TFLC_DTYPE_FLOAT32, 1, d1, 0, NULL);
    int b = tflc_tflb_tensor(m.b, "b", TFLC_DTYPE_FLOAT32, 1, d2, 0, NULL);
    int y = tflc_tflb_tensor(m.b, "y", TFLC_DTYPE_FLOAT32, 1, d1, 0, NULL);
    tflc_tflb_op(m.b, TFLC_TFL_BUILTIN_OPERATOR_ADD, 1, NULL, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1, 0, 0);
    tflc_tflb_graph_io(m.b, (int32_t[]){a, b}, 2, (int32_t[]){y}, 1);
    struct tflc_diag d;
    TFLC_REQUIRE(tflc_tflb_finish(m.b, NULL, &m.data, &m.size, &d) == TFLC_STATUS_OK);
    size_t need;
    TFLC_EXPECT_EQ_INT(tflc_interp_arena_size_hosted(m.data, m.size, NULL, &need, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "do not broadcast");
    tflc_tflb_destroy(m.b);
}

TFLC_TEST(planner_reuses_memory_of_dead_tensors) {
    /* A chain x -> t1 -> t2 -> t3 -> y of equal sizes needs 2 live buffers at a time, not 5. */
    struct model m;
    m.b = tflc_tflb_create();
    int32_t d[] = {1024};
    int t[5];
    for (int i = 0; i < 5; i++) {
        char n[8];
        snprintf(n, sizeof n, "t%d", i);
        t[i] = tflc_tflb_tensor(m.b, n, TFLC_DTYPE_FLOAT32, 1, d, 0, NULL);
    }
    for (int i = 0; i < 4; i++)
        tflc_tflb_op(m.b, TFLC_TFL_BUILTIN_OPERATOR_ADD, 1, NULL, (int32_t[]){t[i], t[i]}, 2, (int32_t[]){t[i + 1]}, 1, 0, 0);
    tflc_tflb_graph_io(m.b, (int32_t[]){t[0]}, 1, (int32_t[]){t[4]}, 1);
    struct tflc_diag dg;
    TFLC_REQUIRE(tflc_tflb_finish(m.b, NULL, &m.data, &m.size, &dg) == TFLC_STATUS_OK);
    size_t need;
    TFLC_REQUIRE(tflc_interp_arena_size_hosted(m.data, m.size, NULL, &need, &dg) == TFLC_STATUS_OK);
    /* 2 x 4 KiB of activations plus bookkeeping; 5 x 4 KiB would mean no reuse. */
    TFLC_EXPECT_MSG(need < 5 * 4096, "arena %zu bytes: activations were not reused", need);
    uint8_t *arena = aligned_alloc(64, need);
    struct tflc_interp *it;
    TFLC_REQUIRE(tflc_interp_init(&it, m.data, m.size, arena, need, NULL, &dg) == TFLC_STATUS_OK);
    float *x = tflc_interp_input(it, 0)->data;
    for (int i = 0; i < 1024; i++) x[i] = (float)i;
    TFLC_REQUIRE(tflc_interp_invoke(it, &dg) == TFLC_STATUS_OK);
    const float *y = tflc_interp_output(it, 0)->data;
    for (int i = 0; i < 1024; i++) TFLC_EXPECT_NEAR(y[i], 16.0f * (float)i, 0);
    free(arena);
    tflc_tflb_destroy(m.b);
}

/* The VmFlags line of /proc/self/smaps for the mapping holding p ("" when unreadable). */
static void vm_flags_of(const void *p, char *out, size_t n) {
    out[0] = 0;
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f) return;
    char line[512];
    bool in = false;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
        } else if (in && !strncmp(line, "VmFlags:", 8)) {
            snprintf(out, n, "%s", line);
            break;
        }
    }
    fclose(f);
}

TFLC_TEST(hosted_alloc_aligns_and_asks_for_huge_pages) {
    uint8_t *small = tflc_alloc_hosted(1000);
    TFLC_REQUIRE(small);
    TFLC_EXPECT((uintptr_t)small % TFLC_ARENA_ALIGN == 0);
    memset(small, 1, 1000);
    tflc_free_hosted(small);
    const size_t big = (size_t)9 << 20;
    uint8_t *p = tflc_alloc_hosted(big);
    TFLC_REQUIRE(p);
    TFLC_EXPECT((uintptr_t)p % ((size_t)2 << 20) == 0);
    memset(p, 1, big);
    TFLC_EXPECT(p[big - 1] == 1);
#if defined(__linux__)
    char flags[512];
    vm_flags_of(p + big / 2, flags, sizeof flags);
    if (flags[0]) TFLC_EXPECT_STR_CONTAINS(flags, " hg"); /* MADV_HUGEPAGE is set on the mapping */
#endif
    free(p); /* free() releases it too */
}

TFLC_TEST_MAIN()
