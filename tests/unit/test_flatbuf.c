/* Flatbuffer builder round trips, vtable sharing, 16-byte aligned data, the schema-driven copy,
 * and one test per structural verifier check (src/format/flatbuf_verify.c), each tripping it
 * with a corruption at a byte position computed from the builder's refs
 * (a ref counts bytes from the end: absolute position = size - ref). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/flatbuf.h"
#include "format/flatbuf_build.h"
#include "format/flatbuf_copy.h"
#include "format/tflite_schema.h"
#include "test.h"

/* ---- a small test schema with every field kind ---- */

enum { T_ALL, T_LEAF, T_COUNT_ };
enum {
    F_B, F_I8, F_U8, F_I16, F_U16, F_I32, F_U32, F_I64, F_U64, F_F32, F_F64,
    F_STR, F_INTS, F_ALIGNED, F_LEAVES, F_LEAF, F_U_TYPE, F_U, F_STRS, F_LONGS
};
static const struct tflc_fb_field all_fields[] = {
    {"b", F_B, TFLC_FB_BOOL, 0, 0, 0, -1, 0},
    {"i8", F_I8, TFLC_FB_I8, 0, 0, 0, -1, -3},
    {"u8", F_U8, TFLC_FB_U8, 0, 0, 0, -1, 7},
    {"i16", F_I16, TFLC_FB_I16, 0, 0, 0, -1, 0},
    {"u16", F_U16, TFLC_FB_U16, 0, 0, 0, -1, 0},
    {"i32", F_I32, TFLC_FB_I32, 0, 0, 0, -1, 0},
    {"u32", F_U32, TFLC_FB_U32, 0, 0, 0, -1, 0},
    {"i64", F_I64, TFLC_FB_I64, 0, 0, 0, -1, 0},
    {"u64", F_U64, TFLC_FB_U64, 0, 0, 0, -1, 0},
    {"f32", F_F32, TFLC_FB_F32, 0, 0, 0, -1, 1.5},
    {"f64", F_F64, TFLC_FB_F64, 0, 0, 0, -1, 0},
    {"str", F_STR, TFLC_FB_STRING, 0, 0, 0, -1, 0},
    {"ints", F_INTS, TFLC_FB_I32, 1, 0, 0, -1, 0},
    {"aligned", F_ALIGNED, TFLC_FB_U8, 1, 0, 16, -1, 0},
    {"leaves", F_LEAVES, TFLC_FB_TABLE, 1, 0, 0, T_LEAF, 0},
    {"leaf", F_LEAF, TFLC_FB_TABLE, 0, 0, 0, T_LEAF, 0},
    {"u_type", F_U_TYPE, TFLC_FB_UNION_TYPE, 0, 0, 0, 0, 0},
    {"u", F_U, TFLC_FB_UNION, 0, 0, 0, 0, 0},
    {"strs", F_STRS, TFLC_FB_STRING, 1, 0, 0, -1, 0},
    {"longs", F_LONGS, TFLC_FB_I64, 1, 0, 0, -1, 0},
};
static const struct tflc_fb_field leaf_fields[] = {
    {"x", 0, TFLC_FB_I32, 0, 0, 0, -1, 0},
    {"name", 1, TFLC_FB_STRING, 0, 0, 0, -1, 0},
};
static const struct tflc_fb_table_desc test_tables[] = {
    {"All", sizeof all_fields / sizeof all_fields[0], all_fields},
    {"Leaf", 2, leaf_fields},
};
/* union U { Leaf, All }: All can hold an All, so nesting depth is unbounded by the schema. */
static const int16_t u_members[] = {-1, T_LEAF, T_ALL};
static const struct tflc_fb_union_desc test_unions[] = {{"U", 3, u_members}};
static const struct tflc_fb_schema test_schema = {"TEST", T_ALL, T_COUNT_, 1, 0, test_tables, test_unions, NULL};

/* ---- byte-level helpers on finished buffers (independent of the library's readers) ---- */

static uint32_t rd_u32(const uint8_t *b, size_t p) { uint32_t v; memcpy(&v, b + p, 4); return v; }
static int32_t rd_i32(const uint8_t *b, size_t p) { int32_t v; memcpy(&v, b + p, 4); return v; }
static uint16_t rd_u16(const uint8_t *b, size_t p) { uint16_t v; memcpy(&v, b + p, 2); return v; }
static void wr_u32(uint8_t *b, size_t p, uint32_t v) { memcpy(b + p, &v, 4); }
static void wr_u16(uint8_t *b, size_t p, uint16_t v) { memcpy(b + p, &v, 2); }

static size_t pos_of(const struct tflc_fbb *b, uint32_t ref) { return b->size - ref; }
static size_t vtable_of(const uint8_t *buf, size_t table) { return (size_t)((int64_t)table - rd_i32(buf, table)); }
/* Absolute position of vtable slot `id` / of the field itself (0 when absent). */
static size_t slot_of(const uint8_t *buf, size_t table, unsigned id) { return vtable_of(buf, table) + 4 + 2 * id; }
static size_t field_of(const uint8_t *buf, size_t table, unsigned id) {
    uint16_t fo = rd_u16(buf, slot_of(buf, table, id));
    return fo ? table + fo : 0;
}

static enum tflc_status verify_copy(const uint8_t *src, size_t len, const struct tflc_fb_schema *s,
                                    const struct tflc_fb_limits *lim, struct tflc_diag *d) {
    /* exactly-sized private copy, so ASan catches any read past the end */
    uint8_t *p = malloc(len ? len : 1);
    if (len) memcpy(p, src, len);
    memset(d, 0, sizeof *d);
    enum tflc_status st = tflc_fb_verify(p, len, s, lim, d);
    free(p);
    return st;
}

/* ---- builder round trips ---- */

struct all_refs { uint32_t root, str, ints, aligned, leaves, leaf, u, strs, longs; };

static void build_all(struct tflc_fbb *b, struct all_refs *r, bool with_union) {
    tflc_fbb_init(b);
    static const int32_t ints[] = {1, -2, 3, INT32_MIN, INT32_MAX};
    static const int64_t longs[] = {INT64_MIN, -1, INT64_MAX};
    uint8_t bytes[37];
    for (int i = 0; i < 37; i++) bytes[i] = (uint8_t)(i * 3);
    r->str = tflc_fbb_string(b, "hello, world", 12);
    r->ints = tflc_fbb_vector(b, ints, 5, 4, 0);
    r->aligned = tflc_fbb_vector(b, bytes, 37, 1, 16);
    r->longs = tflc_fbb_vector(b, longs, 3, 8, 0);
    uint32_t leaf_refs[3];
    for (int i = 0; i < 3; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "leaf%d", i);
        uint32_t n = tflc_fbb_string(b, nm, strlen(nm));
        tflc_fbb_table_start(b);
        tflc_fbb_add_i32(b, 0, 100 + i, 0);
        tflc_fbb_add_offset(b, 1, n);
        leaf_refs[i] = tflc_fbb_table_end(b);
    }
    r->leaves = tflc_fbb_vector_refs(b, leaf_refs, 3);
    tflc_fbb_table_start(b);
    tflc_fbb_add_i32(b, 0, -42, 0);
    r->leaf = tflc_fbb_table_end(b);
    uint32_t s[2] = {tflc_fbb_string(b, "", 0), tflc_fbb_string(b, "abc", 3)};
    r->strs = tflc_fbb_vector_refs(b, s, 2);
    r->u = 0;
    if (with_union) {
        uint32_t inner_str = tflc_fbb_string(b, "inner", 5);
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, F_STR, inner_str);
        tflc_fbb_add_i32(b, F_I32, 77, 0);
        r->u = tflc_fbb_table_end(b); /* an All inside the union */
    }

    tflc_fbb_table_start(b);
    tflc_fbb_add_bool(b, F_B, true, false);
    tflc_fbb_add_i8(b, F_I8, -100, -3);
    tflc_fbb_add_u8(b, F_U8, 200, 7);
    int16_t i16 = -12345;
    uint16_t u16 = 54321;
    int64_t i64 = -1234567890123456789ll;
    uint64_t u64 = 18000000000000000000ull;
    double f64 = -2.718281828459045;
    tflc_fbb_add_scalar(b, F_I16, &i16, 2);
    tflc_fbb_add_scalar(b, F_U16, &u16, 2);
    tflc_fbb_add_i32(b, F_I32, -2000000000, 0);
    tflc_fbb_add_u32(b, F_U32, 4000000000u, 0);
    tflc_fbb_add_scalar(b, F_I64, &i64, 8);
    tflc_fbb_add_scalar(b, F_U64, &u64, 8);
    tflc_fbb_add_f32(b, F_F32, 3.25f, 1.5f);
    tflc_fbb_add_scalar(b, F_F64, &f64, 8);
    tflc_fbb_add_offset(b, F_STR, r->str);
    tflc_fbb_add_offset(b, F_INTS, r->ints);
    tflc_fbb_add_offset(b, F_ALIGNED, r->aligned);
    tflc_fbb_add_offset(b, F_LEAVES, r->leaves);
    tflc_fbb_add_offset(b, F_LEAF, r->leaf);
    if (with_union) {
        tflc_fbb_add_u8(b, F_U_TYPE, 2, 0);
        tflc_fbb_add_offset(b, F_U, r->u);
    }
    tflc_fbb_add_offset(b, F_STRS, r->strs);
    tflc_fbb_add_offset(b, F_LONGS, r->longs);
    r->root = tflc_fbb_table_end(b);
}

static void check_all(const uint8_t *buf) {
    struct tflc_fb_table t = tflc_fb_root(buf);
    TFLC_EXPECT(tflc_fb_get_bool(t, F_B, false) == true);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_i8(t, F_I8, 0), -100);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_u8(t, F_U8, 0), 200);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_i16(t, F_I16, 0), -12345);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_u16(t, F_U16, 0), 54321);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_i32(t, F_I32, 0), -2000000000);
    TFLC_EXPECT(tflc_fb_get_u32(t, F_U32, 0) == 4000000000u);
    TFLC_EXPECT(tflc_fb_get_i64(t, F_I64, 0) == -1234567890123456789ll);
    TFLC_EXPECT(tflc_fb_get_u64(t, F_U64, 0) == 18000000000000000000ull);
    TFLC_EXPECT(tflc_fb_get_f32(t, F_F32, 0) == 3.25f);
    TFLC_EXPECT(tflc_fb_get_f64(t, F_F64, 0) == -2.718281828459045);
    /* every scalar is aligned to its size in the finished buffer */
    static const unsigned sz[] = {1, 1, 1, 2, 2, 4, 4, 8, 8, 4, 8};
    for (unsigned id = 0; id <= F_F64; id++) {
        uint32_t o = tflc_fb_field_off(t, id);
        TFLC_EXPECT_MSG(o && o % sz[id] == 0, "field %u at %u not aligned to %u", id, o, sz[id]);
    }
    struct tflc_fb_str s = tflc_fb_get_str(t, F_STR);
    TFLC_EXPECT(s.len == 12 && strcmp(s.data, "hello, world") == 0);
    struct tflc_fb_vec v = tflc_fb_get_vec(t, F_INTS);
    TFLC_EXPECT_EQ_INT(v.len, 5);
    TFLC_EXPECT(tflc_fb_vec_i32(v, 1) == -2 && tflc_fb_vec_i32(v, 3) == INT32_MIN && tflc_fb_vec_i32(v, 4) == INT32_MAX);
    v = tflc_fb_get_vec(t, F_LONGS);
    TFLC_EXPECT(v.len == 3 && tflc_fb_vec_i64(v, 0) == INT64_MIN && tflc_fb_vec_i64(v, 2) == INT64_MAX);
    TFLC_EXPECT((size_t)(v.data - buf) % 8 == 0);
    v = tflc_fb_get_vec(t, F_ALIGNED);
    TFLC_EXPECT_EQ_INT(v.len, 37);
    TFLC_EXPECT_EQ_INT((size_t)(v.data - buf) % 16, 0);
    TFLC_EXPECT(v.data[36] == 108);
    v = tflc_fb_get_vec(t, F_LEAVES);
    TFLC_EXPECT_EQ_INT(v.len, 3);
    for (uint32_t i = 0; i < v.len; i++) {
        struct tflc_fb_table l = tflc_fb_vec_table(v, i);
        TFLC_EXPECT_EQ_INT(tflc_fb_get_i32(l, 0, 0), 100 + (int)i);
        char nm[16];
        snprintf(nm, sizeof nm, "leaf%u", i);
        TFLC_EXPECT_STR_CONTAINS(tflc_fb_get_str(l, 1).data, nm);
    }
    struct tflc_fb_table leaf = tflc_fb_get_table(t, F_LEAF);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_i32(leaf, 0, 0), -42);
    TFLC_EXPECT(!tflc_fb_has(leaf, 1) && tflc_fb_get_str(leaf, 1).data == NULL);
    v = tflc_fb_get_vec(t, F_STRS);
    TFLC_EXPECT(v.len == 2 && tflc_fb_vec_str(v, 0).len == 0 && tflc_fb_vec_str(v, 0).data[0] == 0);
    TFLC_EXPECT(strcmp(tflc_fb_vec_str(v, 1).data, "abc") == 0);
}

TFLC_TEST(builder_round_trip_every_kind) {
    struct tflc_fbb b;
    struct all_refs r;
    struct tflc_diag d;
    build_all(&b, &r, true);
    TFLC_REQUIRE(tflc_fbb_finish(&b, r.root, "TEST", &d) == TFLC_STATUS_OK);
    TFLC_EXPECT(memcmp(b.data + 4, "TEST", 4) == 0);
    TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &test_schema, NULL, &d), TFLC_STATUS_OK);
    if (tflc_cur_failed_) fprintf(stderr, "  %s\n", d.msg);
    check_all(b.data);
    struct tflc_fb_table t = tflc_fb_root(b.data);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_u8(t, F_U_TYPE, 0), 2);
    struct tflc_fb_table inner = tflc_fb_get_table(t, F_U);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_i32(inner, F_I32, 0), 77);
    TFLC_EXPECT_STR_CONTAINS(tflc_fb_get_str(inner, F_STR).data, "inner");
    TFLC_EXPECT_EQ_INT(tflc_fb_get_u8(inner, F_U8, 7), 7); /* absent: default */
    /* the finished size is a multiple of the largest alignment used (16) */
    TFLC_EXPECT_EQ_INT(b.size % 16, 0);
    tflc_fbb_free(&b);
}

TFLC_TEST(builder_omits_defaults) {
    struct tflc_fbb b;
    struct tflc_diag d;
    tflc_fbb_init(&b);
    tflc_fbb_table_start(&b);
    tflc_fbb_add_bool(&b, F_B, false, false);
    tflc_fbb_add_i8(&b, F_I8, -3, -3);
    tflc_fbb_add_u8(&b, F_U8, 7, 7);
    tflc_fbb_add_i32(&b, F_I32, 0, 0);
    tflc_fbb_add_u32(&b, F_U32, 5, 5);
    tflc_fbb_add_f32(&b, F_F32, 1.5f, 1.5f);
    tflc_fbb_add_offset(&b, F_STR, 0); /* ref 0 = absent */
    double f64 = 9.5;
    tflc_fbb_add_scalar(&b, F_F64, &f64, 8); /* the one present field */
    uint32_t root = tflc_fbb_table_end(&b);
    TFLC_REQUIRE(tflc_fbb_finish(&b, root, "TEST", &d) == TFLC_STATUS_OK);
    struct tflc_fb_table t = tflc_fb_root(b.data);
    for (unsigned id = F_B; id <= F_F32; id++) TFLC_EXPECT_MSG(!tflc_fb_has(t, id), "field %u present", id);
    TFLC_EXPECT(!tflc_fb_has(t, F_STR));
    TFLC_EXPECT(tflc_fb_get_f64(t, F_F64, 0) == 9.5);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_i8(t, F_I8, -3), -3);
    TFLC_EXPECT(tflc_fb_get_f32(t, F_F32, 1.5f) == 1.5f);
    /* the vtable is trimmed after the last present field: 4 + 2 * (10 + 1) bytes */
    size_t tp = rd_u32(b.data, 0);
    TFLC_EXPECT_EQ_INT(rd_u16(b.data, vtable_of(b.data, tp)), 4 + 2 * 11);
    tflc_fbb_free(&b);

    /* an empty table: vtable of 4 bytes, table of 4 bytes (the soffset) */
    tflc_fbb_init(&b);
    tflc_fbb_table_start(&b);
    root = tflc_fbb_table_end(&b);
    TFLC_REQUIRE(tflc_fbb_finish(&b, root, NULL, &d) == TFLC_STATUS_OK);
    tp = rd_u32(b.data, 0);
    TFLC_EXPECT_EQ_INT(rd_u16(b.data, vtable_of(b.data, tp)), 4);
    TFLC_EXPECT_EQ_INT(rd_u16(b.data, vtable_of(b.data, tp) + 2), 4);
    struct tflc_fb_schema noid = test_schema;
    noid.identifier = NULL; /* finished without an identifier */
    TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &noid, NULL, &d), TFLC_STATUS_OK);
    tflc_fbb_free(&b);
}

TFLC_TEST(builder_empty_vectors_and_strings) {
    struct tflc_fbb b;
    struct tflc_diag d;
    tflc_fbb_init(&b);
    uint32_t s = tflc_fbb_string(&b, "", 0);
    uint32_t v = tflc_fbb_vector(&b, NULL, 0, 4, 0);
    uint32_t a = tflc_fbb_vector(&b, NULL, 0, 1, 16);
    uint32_t tv = tflc_fbb_vector_refs(&b, NULL, 0);
    tflc_fbb_table_start(&b);
    tflc_fbb_add_offset(&b, F_STR, s);
    tflc_fbb_add_offset(&b, F_INTS, v);
    tflc_fbb_add_offset(&b, F_ALIGNED, a);
    tflc_fbb_add_offset(&b, F_LEAVES, tv);
    uint32_t root = tflc_fbb_table_end(&b);
    TFLC_REQUIRE(tflc_fbb_finish(&b, root, "TEST", &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &test_schema, NULL, &d), TFLC_STATUS_OK);
    struct tflc_fb_table t = tflc_fb_root(b.data);
    struct tflc_fb_str str = tflc_fb_get_str(t, F_STR);
    TFLC_EXPECT(str.data && str.len == 0 && str.data[0] == 0);
    TFLC_EXPECT(tflc_fb_get_vec(t, F_INTS).data && tflc_fb_get_vec(t, F_INTS).len == 0);
    TFLC_EXPECT(tflc_fb_get_vec(t, F_LEAVES).len == 0);
    TFLC_EXPECT(tflc_fb_get_vec(t, F_ALIGNED).len == 0);
    TFLC_EXPECT_EQ_INT((size_t)(tflc_fb_get_vec(t, F_ALIGNED).data - b.data) % 16, 0);
    tflc_fbb_free(&b);
}

/* Force-aligned vector data lands on a 16-byte boundary of the finished buffer whatever was
 * written before it and whatever its length. */
TFLC_TEST(builder_aligned_vector_data_is_16_byte_aligned) {
    uint8_t data[64];
    for (int i = 0; i < 64; i++) data[i] = (uint8_t)i;
    for (size_t pre = 0; pre < 24; pre++) {
        for (size_t n = 0; n < 40; n += 3) {
            struct tflc_fbb b;
            struct tflc_diag d;
            tflc_fbb_init(&b);
            char s[32];
            memset(s, 'x', sizeof s);
            uint32_t sref = tflc_fbb_string(&b, s, pre);
            uint32_t v = tflc_fbb_vector(&b, data, n, 1, 16);
            uint32_t w = tflc_fbb_vector(&b, data, n / 2 + 1, 1, 16); /* a second one after it */
            uint8_t one = 1;
            tflc_fbb_table_start(&b);
            tflc_fbb_add_scalar(&b, F_U8, &one, 1);
            tflc_fbb_add_offset(&b, F_STR, sref);
            tflc_fbb_add_offset(&b, F_ALIGNED, v);
            uint32_t root = tflc_fbb_table_end(&b);
            tflc_fbb_table_start(&b);
            tflc_fbb_add_offset(&b, F_ALIGNED, w);
            tflc_fbb_add_offset(&b, F_U, root);
            tflc_fbb_add_u8(&b, F_U_TYPE, 2, 0);
            uint32_t outer = tflc_fbb_table_end(&b);
            TFLC_REQUIRE(tflc_fbb_finish(&b, outer, pre % 2 ? "TEST" : NULL, &d) == TFLC_STATUS_OK);
            size_t vdata = pos_of(&b, v) + 4, wdata = pos_of(&b, w) + 4;
            TFLC_EXPECT_MSG(vdata % 16 == 0 && wdata % 16 == 0, "pre %zu n %zu: data at %zu / %zu", pre, n, vdata, wdata);
            TFLC_EXPECT_MSG(b.size % 16 == 0, "pre %zu n %zu: size %zu", pre, n, b.size);
            TFLC_EXPECT(rd_u32(b.data, pos_of(&b, v)) == n);
            TFLC_EXPECT(n == 0 || memcmp(b.data + vdata, data, n) == 0);
            struct tflc_fb_schema noid = test_schema;
            noid.identifier = pre % 2 ? "TEST" : NULL;
            TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &noid, NULL, &d), TFLC_STATUS_OK);
            tflc_fbb_free(&b);
            if (tflc_cur_failed_) return;
        }
    }
}

TFLC_TEST(builder_shares_identical_vtables) {
    struct tflc_fbb b;
    struct tflc_diag d;
    tflc_fbb_init(&b);
    uint32_t t[4];
    /* Same fields, different values: one vtable. (The vtable also holds the table's size,
     * which counts alignment padding, so the shapes are chosen to need none.) */
    for (int i = 0; i < 3; i++) {
        char nm[16];
        int n = snprintf(nm, sizeof nm, "leaf_%d", i * 1000);
        uint32_t s = tflc_fbb_string(&b, nm, (size_t)n);
        tflc_fbb_table_start(&b);
        tflc_fbb_add_i32(&b, 0, 10 + i, 0);
        tflc_fbb_add_offset(&b, 1, s);
        t[i] = tflc_fbb_table_end(&b);
    }
    tflc_fbb_table_start(&b); /* a different shape: its own vtable */
    tflc_fbb_add_i32(&b, 0, 1, 0);
    t[3] = tflc_fbb_table_end(&b);
    TFLC_EXPECT_EQ_INT(b.nvtables, 2);
    uint32_t vec = tflc_fbb_vector_refs(&b, t, 4);
    tflc_fbb_table_start(&b);
    tflc_fbb_add_offset(&b, F_LEAVES, vec);
    uint32_t root = tflc_fbb_table_end(&b);
    TFLC_REQUIRE(tflc_fbb_finish(&b, root, "TEST", &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &test_schema, NULL, &d), TFLC_STATUS_OK);
    size_t p[4], vt[4];
    for (int i = 0; i < 4; i++) {
        p[i] = pos_of(&b, t[i]);
        vt[i] = vtable_of(b.data, p[i]);
    }
    TFLC_EXPECT(vt[0] == vt[1] && vt[1] == vt[2]);
    TFLC_EXPECT(vt[3] != vt[0]);
    /* the first table's vtable was written right before it (positive soffset); later tables
     * point back to it (negative soffset) */
    TFLC_EXPECT(rd_i32(b.data, p[0]) > 0);
    TFLC_EXPECT(rd_i32(b.data, p[1]) < 0 && rd_i32(b.data, p[2]) < 0);
    struct tflc_fb_vec v = tflc_fb_get_vec(tflc_fb_root(b.data), F_LEAVES);
    for (uint32_t i = 0; i < 3; i++) TFLC_EXPECT_EQ_INT(tflc_fb_get_i32(tflc_fb_vec_table(v, i), 0, 0), 10 + (int)i);
    tflc_fbb_free(&b);
}

TFLC_TEST(builder_failure_is_sticky) {
    struct tflc_fbb b;
    struct tflc_diag d;
    tflc_fbb_init(&b);
    tflc_fbb_table_start(&b);
    uint32_t x = 1;
    tflc_fbb_add_scalar(&b, 0x10000, &x, 4); /* field id beyond a vtable's reach */
    uint32_t root = tflc_fbb_table_end(&b);
    TFLC_EXPECT(b.failed);
    TFLC_EXPECT_EQ_INT(tflc_fbb_finish(&b, root, "TEST", &d), TFLC_STATUS_OUT_OF_MEMORY);
    tflc_fbb_free(&b);

    tflc_fbb_init(&b); /* more than TFLC_FBB_MAX_FIELDS fields */
    tflc_fbb_table_start(&b);
    for (unsigned i = 0; i <= TFLC_FBB_MAX_FIELDS; i++) tflc_fbb_add_scalar(&b, i, &x, 4);
    root = tflc_fbb_table_end(&b);
    TFLC_EXPECT_EQ_INT(tflc_fbb_finish(&b, root, NULL, &d), TFLC_STATUS_OUT_OF_MEMORY);
    tflc_fbb_free(&b);

    tflc_fbb_init(&b); /* a vector whose byte size overflows */
    (void)tflc_fbb_vector(&b, &x, SIZE_MAX / 2, 4, 0);
    TFLC_EXPECT(b.failed);
    tflc_fbb_free(&b);
    tflc_fbb_free(NULL);
}

/* The schema-driven copy reproduces every value and is a fixed point: copying a copy gives
 * the same bytes. */
TFLC_TEST(copy_round_trip_and_fixed_point) {
    struct tflc_fbb b, c1, c2;
    struct all_refs r;
    struct tflc_diag d;
    build_all(&b, &r, true);
    TFLC_REQUIRE(tflc_fbb_finish(&b, r.root, "TEST", &d) == TFLC_STATUS_OK);
    tflc_fbb_init(&c1);
    uint32_t root = tflc_fb_copy_table(&c1, &test_schema, T_ALL, tflc_fb_root(b.data), NULL);
    TFLC_REQUIRE(tflc_fbb_finish(&c1, root, "TEST", &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(verify_copy(c1.data, c1.size, &test_schema, NULL, &d), TFLC_STATUS_OK);
    check_all(c1.data);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_i32(tflc_fb_get_table(tflc_fb_root(c1.data), F_U), F_I32, 0), 77);
    tflc_fbb_init(&c2);
    root = tflc_fb_copy_table(&c2, &test_schema, T_ALL, tflc_fb_root(c1.data), NULL);
    TFLC_REQUIRE(tflc_fbb_finish(&c2, root, "TEST", &d) == TFLC_STATUS_OK);
    TFLC_EXPECT(c1.size == c2.size && memcmp(c1.data, c2.data, c1.size) == 0);
    tflc_fbb_free(&b);
    tflc_fbb_free(&c1);
    tflc_fbb_free(&c2);
}

/* ---- a small TFLite-shaped buffer to corrupt ---- */

struct tfl {
    struct tflc_fbb b;
    uint32_t model, subgraphs, subgraph, tensors, t0, t1, shape0, name0, quant0, scale0, zp0;
    uint32_t op, opts, buffers, data1, desc, sig, sig_tag;
};

static void build_tfl(struct tfl *m) {
    struct tflc_fbb *b = &m->b;
    tflc_fbb_init(b);
    static const uint8_t bytes[5] = {1, 2, 3, 4, 5};
    m->data1 = tflc_fbb_vector(b, bytes, 5, 1, 16);
    uint32_t bufs[2];
    tflc_fbb_table_start(b);
    bufs[0] = tflc_fbb_table_end(b);
    tflc_fbb_table_start(b);
    tflc_fbb_add_offset(b, TFLC_TFL_BUFFER_DATA, m->data1);
    bufs[1] = tflc_fbb_table_end(b);
    m->buffers = tflc_fbb_vector_refs(b, bufs, 2);

    tflc_fbb_table_start(b);
    tflc_fbb_add_i32(b, TFLC_TFL_OPERATOR_CODE_BUILTIN_CODE, TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED, 0);
    tflc_fbb_add_i32(b, TFLC_TFL_OPERATOR_CODE_VERSION, 2, 1);
    tflc_fbb_add_i8(b, TFLC_TFL_OPERATOR_CODE_DEPRECATED_BUILTIN_CODE, TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED, 0);
    uint32_t oc = tflc_fbb_table_end(b);
    uint32_t ocs = tflc_fbb_vector_refs(b, &oc, 1);

    static const int32_t shape[2] = {1, 5};
    static const float scale[1] = {0.5f};
    static const int64_t zp[1] = {-3};
    uint32_t t[2];
    for (int i = 0; i < 2; i++) {
        uint32_t sh = tflc_fbb_vector(b, shape, 2, 4, 0);
        uint32_t nm = tflc_fbb_string(b, i ? "tensor_1" : "tensor_0", 8);
        uint32_t sc = tflc_fbb_vector(b, scale, 1, 4, 0);
        uint32_t z = tflc_fbb_vector(b, zp, 1, 8, 0);
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, TFLC_TFL_QUANTIZATION_PARAMETERS_SCALE, sc);
        tflc_fbb_add_offset(b, TFLC_TFL_QUANTIZATION_PARAMETERS_ZERO_POINT, z);
        uint32_t q = tflc_fbb_table_end(b);
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_SHAPE, sh);
        tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_NAME, nm);
        tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_QUANTIZATION, q);
        tflc_fbb_add_u32(b, TFLC_TFL_TENSOR_BUFFER, 1, 0);
        tflc_fbb_add_i8(b, TFLC_TFL_TENSOR_TYPE, TFLC_TFL_TENSOR_TYPE_INT8, 0);
        t[i] = tflc_fbb_table_end(b);
        if (i == 0) {
            m->shape0 = sh;
            m->name0 = nm;
            m->quant0 = q;
            m->scale0 = sc;
            m->zp0 = z;
        }
    }
    m->t0 = t[0];
    m->t1 = t[1];
    m->tensors = tflc_fbb_vector_refs(b, t, 2);

    static const int32_t in[1] = {0}, out[1] = {1};
    uint32_t oin = tflc_fbb_vector(b, in, 1, 4, 0), oout = tflc_fbb_vector(b, out, 1, 4, 0);
    tflc_fbb_table_start(b);
    tflc_fbb_add_i8(b, TFLC_TFL_FULLY_CONNECTED_OPTIONS_FUSED_ACTIVATION_FUNCTION, TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU, 0);
    m->opts = tflc_fbb_table_end(b);
    tflc_fbb_table_start(b);
    tflc_fbb_add_offset(b, TFLC_TFL_OPERATOR_INPUTS, oin);
    tflc_fbb_add_offset(b, TFLC_TFL_OPERATOR_OUTPUTS, oout);
    tflc_fbb_add_offset(b, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS, m->opts);
    tflc_fbb_add_u8(b, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS_TYPE, TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS, 0);
    m->op = tflc_fbb_table_end(b);
    uint32_t ops = tflc_fbb_vector_refs(b, &m->op, 1);
    uint32_t gin = tflc_fbb_vector(b, in, 1, 4, 0), gout = tflc_fbb_vector(b, out, 1, 4, 0);
    uint32_t gname = tflc_fbb_string(b, "main", 4);
    tflc_fbb_table_start(b);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_TENSORS, m->tensors);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_INPUTS, gin);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_OUTPUTS, gout);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_OPERATORS, ops);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_NAME, gname);
    m->subgraph = tflc_fbb_table_end(b);
    m->subgraphs = tflc_fbb_vector_refs(b, &m->subgraph, 1);

    /* a signature def with the deprecated `deprecated_tag` string (field 3) */
    uint32_t key = tflc_fbb_string(b, "serving_default", 15);
    m->sig_tag = tflc_fbb_string(b, "tag", 3);
    uint32_t no_inputs = tflc_fbb_vector_refs(b, NULL, 0);
    tflc_fbb_table_start(b); /* inputs + key + tag: a vtable no other table has */
    tflc_fbb_add_offset(b, TFLC_TFL_SIGNATURE_DEF_INPUTS, no_inputs);
    tflc_fbb_add_offset(b, TFLC_TFL_SIGNATURE_DEF_SIGNATURE_KEY, key);
    tflc_fbb_add_offset(b, TFLC_TFL_SIGNATURE_DEF_DEPRECATED_TAG, m->sig_tag);
    m->sig = tflc_fbb_table_end(b);
    uint32_t sigs = tflc_fbb_vector_refs(b, &m->sig, 1);

    m->desc = tflc_fbb_string(b, "structural test model", 21);
    tflc_fbb_table_start(b);
    tflc_fbb_add_u32(b, TFLC_TFL_MODEL_VERSION, 3, 0);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_OPERATOR_CODES, ocs);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_SUBGRAPHS, m->subgraphs);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_DESCRIPTION, m->desc);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_BUFFERS, m->buffers);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_SIGNATURE_DEFS, sigs);
    m->model = tflc_fbb_table_end(b);
    (void)tflc_fbb_finish(b, m->model, TFLC_TFL_FILE_IDENTIFIER, NULL);
}

/* A writable copy of the TFLite-shaped buffer plus absolute positions of its objects. */
struct work {
    struct tfl m;
    uint8_t *buf;
    size_t len;
    size_t model, subgraph, t0, t1, shape0, name0, quant0, zp0, op, opts, desc, sig;
};

static void work_init(struct work *w) {
    build_tfl(&w->m);
    w->len = w->m.b.size;
    w->buf = malloc(w->len);
    memcpy(w->buf, w->m.b.data, w->len);
    struct tflc_fbb *b = &w->m.b;
    w->model = pos_of(b, w->m.model);
    w->subgraph = pos_of(b, w->m.subgraph);
    w->t0 = pos_of(b, w->m.t0);
    w->t1 = pos_of(b, w->m.t1);
    w->shape0 = pos_of(b, w->m.shape0);
    w->name0 = pos_of(b, w->m.name0);
    w->quant0 = pos_of(b, w->m.quant0);
    w->zp0 = pos_of(b, w->m.zp0);
    w->op = pos_of(b, w->m.op);
    w->opts = pos_of(b, w->m.opts);
    w->desc = pos_of(b, w->m.desc);
    w->sig = pos_of(b, w->m.sig);
}

static void work_free(struct work *w) {
    free(w->buf);
    tflc_fbb_free(&w->m.b);
}

/* Verifies the (possibly corrupted) work buffer and checks status and message. */
#define EXPECT_BAD(w, lim, msg) expect_bad_(__FILE__, __LINE__, (w), (lim), (msg))
static void expect_bad_(const char *file, int line, const struct work *w, const struct tflc_fb_limits *lim,
                        const char *msg) {
    struct tflc_diag d;
    enum tflc_status st = verify_copy(w->buf, w->len, &tflc_tfl_schema, lim, &d);
    if (st != TFLC_STATUS_INVALID_MODEL) {
        fprintf(stderr, "%s:%d: status %s, expected invalid model ('%s')\n", file, line, tflc_status_str(st), msg);
        tflc_cur_failed_ = 1;
    } else if (strcmp(d.msg, msg) != 0) {
        fprintf(stderr, "%s:%d: message '%s', expected '%s'\n", file, line, d.msg, msg);
        tflc_cur_failed_ = 1;
    }
}

static void expect_ok(const struct work *w, const struct tflc_fb_limits *lim) {
    struct tflc_diag d;
    enum tflc_status st = verify_copy(w->buf, w->len, &tflc_tfl_schema, lim, &d);
    TFLC_EXPECT_MSG(st == TFLC_STATUS_OK, "expected ok: %s", d.msg);
}

static void reset(struct work *w) { memcpy(w->buf, w->m.b.data, w->len); }

TFLC_TEST(tflite_shaped_buffer_verifies) {
    struct work w;
    work_init(&w);
    expect_ok(&w, NULL);
    struct tflc_fb_table m = tflc_fb_root(w.buf);
    TFLC_EXPECT_EQ_INT(m.off, w.model);
    TFLC_EXPECT_EQ_INT(tflc_tfl_model_version(m), 3);
    struct tflc_fb_vec bufs = tflc_tfl_model_buffers(m);
    TFLC_EXPECT_EQ_INT(bufs.len, 2);
    TFLC_EXPECT(tflc_tfl_buffer_data(tflc_fb_vec_table(bufs, 0)).data == NULL); /* buffer 0 empty */
    struct tflc_fb_vec d1 = tflc_tfl_buffer_data(tflc_fb_vec_table(bufs, 1));
    TFLC_EXPECT(d1.len == 5 && (size_t)(d1.data - w.buf) % 16 == 0);
    TFLC_EXPECT_EQ_INT(w.len % 16, 0);
    struct tflc_fb_table t0 = tflc_fb_vec_table(tflc_tfl_sub_graph_tensors(tflc_fb_vec_table(tflc_tfl_model_subgraphs(m), 0)), 0);
    TFLC_EXPECT_EQ_INT(t0.off, w.t0);
    TFLC_EXPECT_EQ_INT(tflc_fb_vec_i64(tflc_tfl_quantization_parameters_zero_point(tflc_tfl_tensor_quantization(t0)), 0), -3);
    /* the two tensors have the same fields: one shared vtable */
    TFLC_EXPECT_EQ_INT(vtable_of(w.buf, w.t0), vtable_of(w.buf, w.t1));
    work_free(&w);
}

/* ---- one test per structural check ---- */

TFLC_TEST(verify_file_too_small) {
    struct work w;
    work_init(&w);
    for (size_t n = 0; n < 8; n++) {
        size_t keep = w.len;
        w.len = n;
        EXPECT_BAD(&w, NULL, "Model: file too small to be a flatbuffer");
        w.len = keep;
    }
    struct tflc_diag d;
    TFLC_EXPECT_EQ_INT(tflc_fb_verify(NULL, 100, &tflc_tfl_schema, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "too small");
    work_free(&w);
}

TFLC_TEST(verify_wrong_identifier) {
    struct work w;
    work_init(&w);
    memcpy(w.buf + 4, "TFL2", 4);
    EXPECT_BAD(&w, NULL, "Model: wrong file identifier (not a TFLite model)");
    reset(&w);
    memset(w.buf + 4, 0, 4);
    EXPECT_BAD(&w, NULL, "Model: wrong file identifier (not a TFLite model)");
    work_free(&w);
}

TFLC_TEST(verify_root_offset) {
    struct work w;
    work_init(&w);
    wr_u32(w.buf, 0, (uint32_t)w.len);
    EXPECT_BAD(&w, NULL, "Model: offset points past the end of the buffer");
    wr_u32(w.buf, 0, 0xFFFFFFFCu);
    EXPECT_BAD(&w, NULL, "Model: offset points past the end of the buffer");
    wr_u32(w.buf, 0, 0);
    EXPECT_BAD(&w, NULL, "Model: zero offset");
    wr_u32(w.buf, 0, (uint32_t)w.model + 2);
    EXPECT_BAD(&w, NULL, "Model: table out of bounds or misaligned");
    wr_u32(w.buf, 0, (uint32_t)w.len - 2); /* aligned to 2, in bounds, but no room for a table */
    EXPECT_BAD(&w, NULL, "Model: table out of bounds or misaligned");
    work_free(&w);
}

TFLC_TEST(verify_misaligned_table) {
    struct work w;
    work_init(&w);
    size_t vec = pos_of(&w.m.b, w.m.subgraphs);
    wr_u32(w.buf, vec + 4, rd_u32(w.buf, vec + 4) + 2);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0]: table out of bounds or misaligned");
    reset(&w);
    size_t tv = pos_of(&w.m.b, w.m.tensors); /* element 1 of the tensors vector */
    wr_u32(w.buf, tv + 8, rd_u32(w.buf, tv + 8) + 1);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[1]: table out of bounds or misaligned");
    work_free(&w);
}

TFLC_TEST(verify_vtable_bounds_and_alignment) {
    struct work w;
    work_init(&w);
    wr_u32(w.buf, w.t0, (uint32_t)(int32_t)((int64_t)w.t0 - (int64_t)w.len)); /* vtable at len */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0]: vtable out of bounds or misaligned");
    wr_u32(w.buf, w.t0, (uint32_t)(int32_t)((int64_t)w.t0 - (int64_t)w.len + 2)); /* 2 bytes left */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0]: vtable out of bounds or misaligned");
    wr_u32(w.buf, w.t0, (uint32_t)w.t0 + 4); /* vtable before the start */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0]: vtable out of bounds or misaligned");
    wr_u32(w.buf, w.t0, 0x80000000u); /* INT32_MIN: far past the end */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0]: vtable out of bounds or misaligned");
    reset(&w);
    wr_u32(w.buf, w.t0, rd_u32(w.buf, w.t0) + 1); /* odd vtable position */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0]: vtable out of bounds or misaligned");
    work_free(&w);
}

TFLC_TEST(verify_bad_vtable_size) {
    struct work w;
    work_init(&w);
    size_t vt = vtable_of(w.buf, w.t0);
    wr_u16(w.buf, vt, 2);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0]: bad vtable size");
    wr_u16(w.buf, vt, (uint16_t)(rd_u16(w.m.b.data, vt) + 1)); /* odd */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0]: bad vtable size");
    wr_u16(w.buf, vt, (uint16_t)(w.len - vt + 2)); /* runs past the end */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0]: bad vtable size");
    wr_u16(w.buf, vt, 0xFFFE);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0]: bad vtable size");
    wr_u16(w.buf, vt, 4); /* a vtable with no slots is fine: every field absent */
    expect_ok(&w, NULL);
    work_free(&w);
}

TFLC_TEST(verify_table_size) {
    struct work w;
    work_init(&w);
    size_t vt = vtable_of(w.buf, w.op);
    wr_u16(w.buf, vt + 2, 0xFFFF);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].operators[0]: table size out of bounds");
    wr_u16(w.buf, vt + 2, (uint16_t)(w.len - w.op + 1));
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].operators[0]: table size out of bounds");
    wr_u16(w.buf, vt + 2, 3); /* smaller than the soffset itself */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].operators[0]: table size out of bounds");
    work_free(&w);
}

TFLC_TEST(verify_field_outside_table) {
    struct work w;
    work_init(&w);
    size_t vt = vtable_of(w.buf, w.t0);
    uint16_t tbl = rd_u16(w.buf, vt + 2);
    wr_u16(w.buf, slot_of(w.buf, w.t0, TFLC_TFL_TENSOR_BUFFER), (uint16_t)(tbl - 2)); /* u32 straddles the end */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].buffer: field outside its table");
    reset(&w);
    wr_u16(w.buf, slot_of(w.buf, w.t0, TFLC_TFL_TENSOR_TYPE), tbl); /* u8 just past the end */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].type: field outside its table");
    reset(&w);
    wr_u16(w.buf, slot_of(w.buf, w.t0, TFLC_TFL_TENSOR_NAME), 0xFFF0); /* an offset field */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].name: field outside its table");
    reset(&w); /* a vtable entry for the root's description */
    wr_u16(w.buf, slot_of(w.buf, w.model, TFLC_TFL_MODEL_DESCRIPTION), rd_u16(w.buf, vtable_of(w.buf, w.model) + 2));
    EXPECT_BAD(&w, NULL, "Model.description: field outside its table");
    work_free(&w);
}

TFLC_TEST(verify_misaligned_field) {
    struct work w;
    work_init(&w);
    size_t slot = slot_of(w.buf, w.t0, TFLC_TFL_TENSOR_BUFFER);
    wr_u16(w.buf, slot, 5);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].buffer: misaligned field");
    reset(&w);
    wr_u16(w.buf, slot_of(w.buf, w.t0, TFLC_TFL_TENSOR_SHAPE), 6); /* an offset field on a 2-byte boundary */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].shape: misaligned field");
    work_free(&w);

    /* an 8-byte scalar on a 4-byte boundary (test schema) */
    struct tflc_fbb b;
    struct all_refs r;
    struct tflc_diag d;
    build_all(&b, &r, false);
    TFLC_REQUIRE(tflc_fbb_finish(&b, r.root, "TEST", &d) == TFLC_STATUS_OK);
    uint8_t *buf = malloc(b.size);
    memcpy(buf, b.data, b.size);
    size_t root = rd_u32(buf, 0), s = slot_of(buf, root, F_I64);
    uint16_t fo = rd_u16(buf, s);
    wr_u16(buf, s, (uint16_t)(fo >= 8 ? fo - 4 : fo + 4)); /* root + fo is 8-aligned */
    TFLC_EXPECT_EQ_INT(verify_copy(buf, b.size, &test_schema, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "All.i64: misaligned field");
    free(buf);
    tflc_fbb_free(&b);
}

TFLC_TEST(verify_zero_offset) {
    struct work w;
    work_init(&w);
    wr_u32(w.buf, field_of(w.buf, w.t0, TFLC_TFL_TENSOR_NAME), 0);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].name: zero offset");
    reset(&w);
    size_t tv = pos_of(&w.m.b, w.m.tensors);
    wr_u32(w.buf, tv + 8, 0); /* an element of a vector of tables */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[1]: zero offset");
    reset(&w);
    wr_u32(w.buf, field_of(w.buf, w.op, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS), 0);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].operators[0].builtin_options: zero offset");
    work_free(&w);
}

TFLC_TEST(verify_offset_past_end) {
    struct work w;
    work_init(&w);
    size_t at = field_of(w.buf, w.t0, TFLC_TFL_TENSOR_NAME);
    wr_u32(w.buf, at, (uint32_t)(w.len - at)); /* exactly the end */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].name: offset points past the end of the buffer");
    wr_u32(w.buf, at, 0xFFFFFFFFu);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].name: offset points past the end of the buffer");
    reset(&w);
    at = field_of(w.buf, w.t0, TFLC_TFL_TENSOR_QUANTIZATION);
    wr_u32(w.buf, at, 0x7FFFFFFFu);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].quantization: offset points past the end of the buffer");
    work_free(&w);
}

TFLC_TEST(verify_vector_bounds) {
    struct work w;
    work_init(&w);
    wr_u32(w.buf, w.shape0, 1000);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].shape: vector out of bounds");
    wr_u32(w.buf, w.shape0, (uint32_t)((w.len - w.shape0 - 4) / 4) + 1); /* one element too many */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].shape: vector out of bounds");
    wr_u32(w.buf, w.shape0, (uint32_t)((w.len - w.shape0 - 4) / 4)); /* exactly to the end: structurally fine */
    expect_ok(&w, NULL);
    reset(&w);
    size_t at = field_of(w.buf, w.t0, TFLC_TFL_TENSOR_SHAPE); /* vector start misaligned */
    wr_u32(w.buf, at, rd_u32(w.buf, at) + 2);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].shape: vector out of bounds or misaligned");
    reset(&w);
    at = field_of(w.buf, w.t0, TFLC_TFL_TENSOR_SHAPE); /* the length word itself past the end */
    wr_u32(w.buf, at, (uint32_t)(w.len - at - 2));
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].shape: vector out of bounds or misaligned");
    reset(&w);
    size_t sv = pos_of(&w.m.b, w.m.subgraphs); /* vector of tables */
    wr_u32(w.buf, sv, 0x10000);
    EXPECT_BAD(&w, NULL, "Model.subgraphs: vector out of bounds");
    reset(&w);
    size_t dv = pos_of(&w.m.b, w.m.data1); /* a ubyte vector: data ends past the buffer */
    wr_u32(w.buf, dv, (uint32_t)(w.len - dv - 4 + 1));
    EXPECT_BAD(&w, NULL, "Model.buffers[1].data: vector out of bounds");
    work_free(&w);
}

/* count * elem_size that wraps in 32 bits must still be caught */
TFLC_TEST(verify_vector_length_overflow) {
    struct work w;
    work_init(&w);
    wr_u32(w.buf, w.shape0, 0x40000001u); /* x4 = 4 (mod 2^32) */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].shape: vector out of bounds");
    wr_u32(w.buf, w.shape0, 0xFFFFFFFFu);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].shape: vector out of bounds");
    reset(&w);
    wr_u32(w.buf, w.zp0, 0x20000001u); /* x8 = 8 (mod 2^32) */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].quantization.zero_point: vector out of bounds");
    reset(&w);
    size_t tv = pos_of(&w.m.b, w.m.tensors); /* vector of offsets */
    wr_u32(w.buf, tv, 0x40000002u);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors: vector out of bounds");
    work_free(&w);
}

TFLC_TEST(verify_string_bounds) {
    struct work w;
    work_init(&w);
    wr_u32(w.buf, w.name0, 0xFFFFFFFFu);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].name: string out of bounds");
    wr_u32(w.buf, w.name0, (uint32_t)(w.len - w.name0 - 4)); /* bytes fit, the NUL does not */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].name: string out of bounds");
    reset(&w);
    wr_u32(w.buf, w.desc, (uint32_t)(w.len - w.desc - 4 + 1));
    EXPECT_BAD(&w, NULL, "Model.description: string out of bounds");
    reset(&w);
    size_t at = field_of(w.buf, w.t0, TFLC_TFL_TENSOR_NAME); /* misaligned string start */
    wr_u32(w.buf, at, rd_u32(w.buf, at) + 1);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].name: vector out of bounds or misaligned");
    work_free(&w);
}

TFLC_TEST(verify_string_not_nul_terminated) {
    struct work w;
    work_init(&w);
    w.buf[w.name0 + 4 + 8] = 'x';
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].name: string not NUL-terminated");
    reset(&w);
    w.buf[w.desc + 4 + 21] = 0xff;
    EXPECT_BAD(&w, NULL, "Model.description: string not NUL-terminated");
    reset(&w);
    wr_u32(w.buf, w.name0, 3); /* shorter length: byte 3 is 's', not NUL */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].tensors[0].name: string not NUL-terminated");
    work_free(&w);
}

TFLC_TEST(verify_unknown_union_type) {
    struct work w;
    work_init(&w);
    size_t at = field_of(w.buf, w.op, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS_TYPE);
    w.buf[at] = 200;
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].operators[0].builtin_options_type: unknown union type");
    w.buf[at] = TFLC_TFL_BUILTIN_OPTIONS_COUNT; /* one past the last member */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].operators[0].builtin_options_type: unknown union type");
    w.buf[at] = TFLC_TFL_BUILTIN_OPTIONS_COUNT - 1; /* the last member: the value is verified as that table */
    expect_ok(&w, NULL);
    work_free(&w);

    /* test schema: the type alone is checked against the union's member count */
    struct tflc_fbb b;
    struct all_refs r;
    struct tflc_diag d;
    build_all(&b, &r, true);
    TFLC_REQUIRE(tflc_fbb_finish(&b, r.root, "TEST", &d) == TFLC_STATUS_OK);
    uint8_t *buf = malloc(b.size);
    memcpy(buf, b.data, b.size);
    buf[field_of(buf, rd_u32(buf, 0), F_U_TYPE)] = 3;
    TFLC_EXPECT_EQ_INT(verify_copy(buf, b.size, &test_schema, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "All.u_type: unknown union type");
    free(buf);
    tflc_fbb_free(&b);
}

TFLC_TEST(verify_union_value_without_type) {
    struct work w;
    work_init(&w);
    wr_u16(w.buf, slot_of(w.buf, w.op, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS_TYPE), 0); /* type absent */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].operators[0].builtin_options: union value without a type");
    reset(&w);
    w.buf[field_of(w.buf, w.op, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS_TYPE)] = 0; /* type NONE */
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].operators[0].builtin_options: union value without a type");
    reset(&w); /* a type without a value is fine (the union is simply absent) */
    wr_u16(w.buf, slot_of(w.buf, w.op, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS), 0);
    expect_ok(&w, NULL);
    work_free(&w);
}

TFLC_TEST(verify_union_value_is_verified_as_its_member) {
    struct work w;
    work_init(&w);
    /* FullyConnectedOptions' vtable claims a field past its table */
    size_t vt = vtable_of(w.buf, w.opts);
    wr_u16(w.buf, vt + 4, 0x100);
    EXPECT_BAD(&w, NULL, "Model.subgraphs[0].operators[0].builtin_options.fused_activation_function: field outside its table");
    work_free(&w);
}

TFLC_TEST(verify_deprecated_field_not_followed) {
    struct work w;
    work_init(&w);
    size_t at = field_of(w.buf, w.sig, TFLC_TFL_SIGNATURE_DEF_DEPRECATED_TAG);
    TFLC_REQUIRE(at != 0);
    wr_u32(w.buf, at, 0xFFFFFFF0u); /* never read: the field is deprecated */
    expect_ok(&w, NULL);
    wr_u16(w.buf, slot_of(w.buf, w.sig, TFLC_TFL_SIGNATURE_DEF_DEPRECATED_TAG), 0xFFF0); /* but still bounds-checked */
    EXPECT_BAD(&w, NULL, "Model.signature_defs[0].deprecated_tag: field outside its table");
    work_free(&w);
}

TFLC_TEST(verify_nesting_too_deep) {
    struct work w;
    work_init(&w);
    struct tflc_fb_limits lim = {.max_depth = 3};
    EXPECT_BAD(&w, &lim, "Model.subgraphs[0].tensors[0]: tables nested too deeply");
    lim.max_depth = 5; /* Model > subgraphs > tensors > quantization fits in 4 */
    expect_ok(&w, &lim);
    work_free(&w);

    /* A self-nesting union chain 100 levels deep hits the default limit (64), cleanly. */
    struct tflc_fbb b;
    struct tflc_diag d;
    tflc_fbb_init(&b);
    uint32_t inner = 0;
    for (int i = 0; i < 100; i++) {
        tflc_fbb_table_start(&b);
        tflc_fbb_add_i32(&b, F_I32, i, 0);
        if (inner) {
            tflc_fbb_add_offset(&b, F_U, inner);
            tflc_fbb_add_u8(&b, F_U_TYPE, 2, 0);
        }
        inner = tflc_fbb_table_end(&b);
    }
    TFLC_REQUIRE(tflc_fbb_finish(&b, inner, "TEST", &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &test_schema, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "tables nested too deeply");
    TFLC_EXPECT_STR_CONTAINS(d.msg, "All.u.u.u.u");
    struct tflc_fb_limits deep = {.max_depth = 200};
    TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &test_schema, &deep, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "tables nested too deeply"); /* the verifier's own path cap */
    tflc_fbb_free(&b);
}

TFLC_TEST(verify_too_many_tables) {
    struct work w;
    work_init(&w);
    struct tflc_fb_limits lim = {.max_tables = 4}; /* Model, operator_codes[0], subgraphs[0], tensors[0] */
    EXPECT_BAD(&w, &lim, "Model.subgraphs[0].tensors[0].quantization: too many tables");
    work_free(&w);

    /* A DAG: one leaf referenced 100000 times. Fine by default, refused under a small cap. */
    struct tflc_fbb b;
    struct tflc_diag d;
    tflc_fbb_init(&b);
    tflc_fbb_table_start(&b);
    tflc_fbb_add_i32(&b, 0, 5, 0);
    uint32_t leaf = tflc_fbb_table_end(&b);
    uint32_t *refs = malloc(100000 * sizeof *refs);
    for (int i = 0; i < 100000; i++) refs[i] = leaf;
    uint32_t v = tflc_fbb_vector_refs(&b, refs, 100000);
    free(refs);
    tflc_fbb_table_start(&b);
    tflc_fbb_add_offset(&b, F_LEAVES, v);
    uint32_t root = tflc_fbb_table_end(&b);
    TFLC_REQUIRE(tflc_fbb_finish(&b, root, "TEST", &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &test_schema, NULL, &d), TFLC_STATUS_OK);
    struct tflc_fb_limits small = {.max_tables = 5000};
    TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &test_schema, &small, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "All.leaves[4999]: too many tables");
    tflc_fbb_free(&b);
}

/* Vector elements and string bytes are budgeted per visit, so sharing one vector or string
 * many times (a DAG) cannot multiply the work of later tree walkers. */
TFLC_TEST(verify_too_many_vector_elements) {
    struct work w;
    work_init(&w);
    struct tflc_fb_limits lim = {.max_elements = 3}; /* operator_codes: 1, subgraphs: 1, tensors: 2 */
    EXPECT_BAD(&w, &lim, "Model.subgraphs[0].tensors: too many vector elements (tables shared too often)");
    lim.max_elements = 1000;
    expect_ok(&w, &lim);
    work_free(&w);

    /* one 1000-byte string referenced 50000 times: 50 MB of string visits from a 200 kB file */
    struct tflc_fbb b;
    struct tflc_diag d;
    tflc_fbb_init(&b);
    char text[1000];
    memset(text, 'a', sizeof text);
    uint32_t str = tflc_fbb_string(&b, text, sizeof text);
    uint32_t *refs = malloc(50000 * sizeof *refs);
    for (int i = 0; i < 50000; i++) refs[i] = str;
    uint32_t v = tflc_fbb_vector_refs(&b, refs, 50000);
    free(refs);
    tflc_fbb_table_start(&b);
    tflc_fbb_add_offset(&b, F_STRS, v);
    uint32_t root = tflc_fbb_table_end(&b);
    TFLC_REQUIRE(tflc_fbb_finish(&b, root, "TEST", &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &test_schema, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "All.strs[");
    TFLC_EXPECT_STR_CONTAINS(d.msg, "too many vector elements");
    struct tflc_fb_limits big = {.max_elements = 100000000}; /* allowed when asked for */
    TFLC_EXPECT_EQ_INT(verify_copy(b.data, b.size, &test_schema, &big, &d), TFLC_STATUS_OK);
    tflc_fbb_free(&b);
}

/* Strings inside vectors of strings are checked one by one, with the element in the path. */
TFLC_TEST(verify_vector_of_strings) {
    struct tflc_fbb b;
    struct all_refs r;
    struct tflc_diag d;
    build_all(&b, &r, false);
    TFLC_REQUIRE(tflc_fbb_finish(&b, r.root, "TEST", &d) == TFLC_STATUS_OK);
    uint8_t *buf = malloc(b.size);
    memcpy(buf, b.data, b.size);
    size_t sv = pos_of(&b, r.strs);
    size_t s1 = sv + 8 + rd_u32(buf, sv + 8);
    buf[s1 + 4 + 3] = '!';
    TFLC_EXPECT_EQ_INT(verify_copy(buf, b.size, &test_schema, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "All.strs[1]: string not NUL-terminated");
    memcpy(buf, b.data, b.size);
    wr_u32(buf, sv + 4, 0);
    TFLC_EXPECT_EQ_INT(verify_copy(buf, b.size, &test_schema, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "All.strs[0]: zero offset");
    free(buf);
    tflc_fbb_free(&b);
}

/* Exhaustive single-byte corruption of the small TFLite buffer: every byte set to a few
 * values must verify or be rejected with a message (ASan checks the reads). */
TFLC_TEST(verify_every_byte_corrupted) {
    struct work w;
    work_init(&w);
    static const uint8_t vals[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff};
    for (size_t p = 0; p < w.len; p++) {
        for (size_t k = 0; k < sizeof vals; k++) {
            reset(&w);
            w.buf[p] = (uint8_t)(k == 0 ? w.buf[p] ^ 0x10 : vals[k]);
            struct tflc_diag d;
            enum tflc_status st = verify_copy(w.buf, w.len, &tflc_tfl_schema, NULL, &d);
            TFLC_EXPECT_MSG(st == TFLC_STATUS_OK || (st == TFLC_STATUS_INVALID_MODEL && d.msg[0]),
                            "byte %zu = %u: status %d", p, w.buf[p], (int)st);
        }
    }
    work_free(&w);
}

TFLC_TEST_MAIN()
