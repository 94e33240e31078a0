/* Generic flatbuffer reading over a verified (buf, len).
 *
 * Every accessor here assumes the buffer passed tflc_fb_verify() with the schema the table
 * belongs to: offsets are then known to be in bounds, so reads do no checking (house style:
 * verify once at the boundary, then trust). Reads go through memcpy, so unaligned data and
 * strict aliasing are never an issue; the format is little-endian and so are our targets.
 *
 * A table reference is (buf, off) with off = 0 meaning "absent" (offset 0 holds the root
 * offset, so no table can live there).
 */
#ifndef TFLC_FORMAT_FLATBUF_H
#define TFLC_FORMAT_FLATBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tflc/status.h"

struct tflc_fb_table {
    const uint8_t *buf; /* start of the whole flatbuffer */
    uint32_t off;       /* table start; 0 = absent */
};

struct tflc_fb_vec {
    const uint8_t *data; /* first element; NULL when the vector is absent */
    uint32_t len;        /* element count */
    const uint8_t *buf;  /* whole buffer (for vectors of tables / strings) */
};

struct tflc_fb_str {
    const char *data; /* NUL-terminated (the verifier checks the terminator); NULL if absent */
    uint32_t len;
};

static inline uint8_t tflc_fb_ld_u8(const uint8_t *p) { return p[0]; }
static inline uint16_t tflc_fb_ld_u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t tflc_fb_ld_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t tflc_fb_ld_u64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline int8_t tflc_fb_ld_i8(const uint8_t *p) { return (int8_t)p[0]; }
static inline int16_t tflc_fb_ld_i16(const uint8_t *p) { int16_t v; memcpy(&v, p, 2); return v; }
static inline int32_t tflc_fb_ld_i32(const uint8_t *p) { int32_t v; memcpy(&v, p, 4); return v; }
static inline int64_t tflc_fb_ld_i64(const uint8_t *p) { int64_t v; memcpy(&v, p, 8); return v; }
static inline float tflc_fb_ld_f32(const uint8_t *p) { float v; memcpy(&v, p, 4); return v; }
static inline double tflc_fb_ld_f64(const uint8_t *p) { double v; memcpy(&v, p, 8); return v; }

/* Offset of field `id` inside the table, 0 when absent. */
static inline uint32_t tflc_fb_field_off(struct tflc_fb_table t, unsigned id) {
    if (!t.off) return 0;
    uint32_t vt = (uint32_t)((int64_t)t.off - (int64_t)tflc_fb_ld_i32(t.buf + t.off));
    uint16_t vt_size = tflc_fb_ld_u16(t.buf + vt);
    unsigned slot = 4u + 2u * id;
    if (slot + 2u > vt_size) return 0;
    uint16_t fo = tflc_fb_ld_u16(t.buf + vt + slot);
    return fo ? t.off + fo : 0;
}

static inline bool tflc_fb_has(struct tflc_fb_table t, unsigned id) {
    return tflc_fb_field_off(t, id) != 0;
}

#define TFLC_FB_SCALAR_GETTER(name, type, ld)                                          \
    static inline type tflc_fb_get_##name(struct tflc_fb_table t, unsigned id, type dflt) { \
        uint32_t o = tflc_fb_field_off(t, id);                                         \
        return o ? ld(t.buf + o) : dflt;                                               \
    }
TFLC_FB_SCALAR_GETTER(u8, uint8_t, tflc_fb_ld_u8)
TFLC_FB_SCALAR_GETTER(i8, int8_t, tflc_fb_ld_i8)
TFLC_FB_SCALAR_GETTER(u16, uint16_t, tflc_fb_ld_u16)
TFLC_FB_SCALAR_GETTER(i16, int16_t, tflc_fb_ld_i16)
TFLC_FB_SCALAR_GETTER(u32, uint32_t, tflc_fb_ld_u32)
TFLC_FB_SCALAR_GETTER(i32, int32_t, tflc_fb_ld_i32)
TFLC_FB_SCALAR_GETTER(u64, uint64_t, tflc_fb_ld_u64)
TFLC_FB_SCALAR_GETTER(i64, int64_t, tflc_fb_ld_i64)
TFLC_FB_SCALAR_GETTER(f32, float, tflc_fb_ld_f32)
TFLC_FB_SCALAR_GETTER(f64, double, tflc_fb_ld_f64)
#undef TFLC_FB_SCALAR_GETTER

static inline bool tflc_fb_get_bool(struct tflc_fb_table t, unsigned id, bool dflt) {
    uint32_t o = tflc_fb_field_off(t, id);
    return o ? t.buf[o] != 0 : dflt;
}

/* Target of the uoffset stored at absolute position `at`. */
static inline uint32_t tflc_fb_deref(const uint8_t *buf, uint32_t at) {
    return at + tflc_fb_ld_u32(buf + at);
}

static inline struct tflc_fb_table tflc_fb_get_table(struct tflc_fb_table t, unsigned id) {
    struct tflc_fb_table r = {t.buf, 0};
    uint32_t o = tflc_fb_field_off(t, id);
    if (o) r.off = tflc_fb_deref(t.buf, o);
    return r;
}

static inline struct tflc_fb_vec tflc_fb_get_vec(struct tflc_fb_table t, unsigned id) {
    struct tflc_fb_vec v = {NULL, 0, t.buf};
    uint32_t o = tflc_fb_field_off(t, id);
    if (o) {
        uint32_t at = tflc_fb_deref(t.buf, o);
        v.len = tflc_fb_ld_u32(t.buf + at);
        v.data = t.buf + at + 4;
    }
    return v;
}

static inline struct tflc_fb_str tflc_fb_get_str(struct tflc_fb_table t, unsigned id) {
    struct tflc_fb_str s = {NULL, 0};
    uint32_t o = tflc_fb_field_off(t, id);
    if (o) {
        uint32_t at = tflc_fb_deref(t.buf, o);
        s.len = tflc_fb_ld_u32(t.buf + at);
        s.data = (const char *)(t.buf + at + 4);
    }
    return s;
}

/* Element i of a vector of tables / strings. */
static inline struct tflc_fb_table tflc_fb_vec_table(struct tflc_fb_vec v, uint32_t i) {
    uint32_t at = (uint32_t)(v.data - v.buf) + 4u * i;
    struct tflc_fb_table r = {v.buf, tflc_fb_deref(v.buf, at)};
    return r;
}
static inline struct tflc_fb_str tflc_fb_vec_str(struct tflc_fb_vec v, uint32_t i) {
    uint32_t at = tflc_fb_deref(v.buf, (uint32_t)(v.data - v.buf) + 4u * i);
    struct tflc_fb_str s = {(const char *)(v.buf + at + 4), tflc_fb_ld_u32(v.buf + at)};
    return s;
}
static inline int32_t tflc_fb_vec_i32(struct tflc_fb_vec v, uint32_t i) { return tflc_fb_ld_i32(v.data + 4u * i); }
static inline int64_t tflc_fb_vec_i64(struct tflc_fb_vec v, uint32_t i) { return tflc_fb_ld_i64(v.data + 8u * i); }
static inline float tflc_fb_vec_f32(struct tflc_fb_vec v, uint32_t i) { return tflc_fb_ld_f32(v.data + 4u * i); }

/* Root table of a verified buffer. */
static inline struct tflc_fb_table tflc_fb_root(const void *buf) {
    struct tflc_fb_table r = {(const uint8_t *)buf, tflc_fb_ld_u32((const uint8_t *)buf)};
    return r;
}

/* ---- Schema reflection (filled by generated code, e.g. tflite_schema.c) ---- */

enum tflc_fb_kind {
    TFLC_FB_BOOL,
    TFLC_FB_I8,
    TFLC_FB_U8,
    TFLC_FB_I16,
    TFLC_FB_U16,
    TFLC_FB_I32,
    TFLC_FB_U32,
    TFLC_FB_I64,
    TFLC_FB_U64,
    TFLC_FB_F32,
    TFLC_FB_F64,
    TFLC_FB_STRING,
    TFLC_FB_TABLE,      /* ref = table index */
    TFLC_FB_UNION_TYPE, /* u8 discriminator; ref = union index */
    TFLC_FB_UNION,      /* offset to a table; its type is field (id - 1); ref = union index */
    TFLC_FB_KIND_COUNT
};

struct tflc_fb_field {
    const char *name;
    uint16_t id;         /* vtable slot */
    uint8_t kind;        /* enum tflc_fb_kind (of the element for vectors) */
    uint8_t is_vector;   /* 1 = [kind] */
    uint8_t deprecated;  /* slot kept, never read or written */
    uint8_t align;       /* force_align of a vector's data, 0 = natural */
    int16_t ref;         /* table / union / enum index, -1 = none */
    double dflt;         /* default of a scalar field */
};

struct tflc_fb_table_desc {
    const char *name;
    uint16_t nfields;
    const struct tflc_fb_field *fields;
};

struct tflc_fb_union_desc {
    const char *name;
    uint16_t nmembers;            /* including NONE at 0 */
    const int16_t *member_table;  /* table index per discriminator, -1 for NONE */
};

struct tflc_fb_enum_desc {
    const char *name;
    uint16_t nvalues;
    const int64_t *values;
    const char *const *names;
};

struct tflc_fb_schema {
    const char *identifier; /* 4 chars */
    int root_table;
    uint16_t ntables, nunions, nenums;
    const struct tflc_fb_table_desc *tables;
    const struct tflc_fb_union_desc *unions;
    const struct tflc_fb_enum_desc *enums;
};

/* Size in bytes of a scalar kind (1 for bool/u8, 4 for offsets). */
static inline unsigned tflc_fb_kind_size(enum tflc_fb_kind k) {
    static const unsigned char sz[TFLC_FB_KIND_COUNT] = {1, 1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 4, 4, 1, 4};
    return sz[k];
}

/* Limits the structural verifier enforces. */
struct tflc_fb_limits {
    unsigned max_depth;     /* table nesting */
    uint64_t max_tables;    /* total table visits (bounds work on DAG-shaped hostile files) */
    uint64_t max_elements;  /* total vector elements + string bytes visited, 0 = 2 x len + 2^20
                             * (a tree-shaped buffer visits each at most once: <= len) */
};

/* Verifies `buf` against `schema`: root offset, identifier, every offset, vtable, vector,
 * string and union (recursively) in bounds, aligned and overflow-checked. Allocates nothing,
 * never reads outside [buf, buf+len). On failure returns TFLC_STATUS_INVALID_MODEL with the
 * path of the offending object in diag (e.g. "Model.subgraphs[0].tensors[12].shape"). */
enum tflc_status tflc_fb_verify(const void *buf, size_t len, const struct tflc_fb_schema *schema,
                                const struct tflc_fb_limits *limits, struct tflc_diag *diag);

#endif
