/* Structural flatbuffer verifier, driven by the schema reflection tables.
 *
 * Checks (flatcc / flatbuffers-style): buffer size and root offset, file identifier, and for
 * every table reachable from the root: 4-byte aligned start, vtable in bounds and 2-aligned,
 * every present field inside the table and aligned to its size, every offset non-zero and in
 * bounds, vectors (4-aligned length, count x size overflow-checked, data in bounds), strings
 * (NUL terminator in bounds), unions (known discriminator, value verified as its table).
 * Depth, total table visits and total vector elements visited are capped so hostile
 * DAG-shaped files (one table or vector referenced many times) cannot make us or later
 * tree walkers spin or allocate without bound.
 * On error the message names the path to the offending object,
 * e.g. "Model.subgraphs[0].tensors[12].shape: vector out of bounds". */
#include "format/flatbuf.h"

#include <stdio.h>

#define MAX_PATH 80

struct path_seg {
    const char *name; /* field name (segment 0: root table name) */
    int64_t index;    /* vector element, -1 = none */
};

struct vctx {
    const uint8_t *buf;
    uint64_t len;
    const struct tflc_fb_schema *schema;
    struct tflc_fb_limits lim;
    uint64_t visits;
    uint64_t elements; /* vector elements + string bytes seen, shared ones once per visit */
    unsigned depth; /* segments in path */
    struct path_seg path[MAX_PATH];
    struct tflc_diag *diag;
};

static enum tflc_status fail(struct vctx *c, const char *what) {
    char p[192];
    size_t n = 0;
    p[0] = 0;
    for (unsigned i = 0; i < c->depth && n + 1 < sizeof p; i++) {
        const struct path_seg *s = &c->path[i];
        int w = snprintf(p + n, sizeof p - n, i ? ".%s" : "%s", s->name);
        if (w < 0) break;
        n += (size_t)w;
        if (n + 1 < sizeof p && s->index >= 0) {
            w = snprintf(p + n, sizeof p - n, "[%lld]", (long long)s->index);
            if (w < 0) break;
            n += (size_t)w;
        }
    }
    return tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "%s: %s", p[0] ? p : "flatbuffer", what);
}

static bool in_bounds(const struct vctx *c, uint64_t off, uint64_t n) {
    return off <= c->len && n <= c->len - off;
}

static enum tflc_status verify_table(struct vctx *c, uint64_t off, int table_idx);

/* Follows the uoffset stored at `at` into *target. */
static enum tflc_status deref(struct vctx *c, uint64_t at, uint64_t *target) {
    if ((at & 3) || !in_bounds(c, at, 4)) return fail(c, "offset out of bounds or misaligned");
    uint32_t u = tflc_fb_ld_u32(c->buf + at);
    if (u == 0) return fail(c, "zero offset");
    *target = at + u;
    if (*target >= c->len) return fail(c, "offset points past the end of the buffer");
    return TFLC_STATUS_OK;
}

static enum tflc_status verify_vector(struct vctx *c, uint64_t vo, unsigned elem_size, bool is_str,
                                      uint32_t *count) {
    if ((vo & 3) || !in_bounds(c, vo, 4)) return fail(c, "vector out of bounds or misaligned");
    uint32_t n = tflc_fb_ld_u32(c->buf + vo);
    uint64_t bytes = (uint64_t)n * elem_size + (is_str ? 1u : 0u);
    if (!in_bounds(c, vo + 4, bytes)) return fail(c, is_str ? "string out of bounds" : "vector out of bounds");
    /* Shared (DAG) vectors are counted at every visit, so readers that walk the tree (semantic
     * checks, copies) stay linear in the file size even when a hostile file shares heavily. */
    c->elements += n;
    if (c->elements > c->lim.max_elements) return fail(c, "too many vector elements (tables shared too often)");
    if (is_str && c->buf[vo + 4 + n] != 0) return fail(c, "string not NUL-terminated");
    *count = n;
    return TFLC_STATUS_OK;
}

static enum tflc_status verify_string_at(struct vctx *c, uint64_t at) {
    uint64_t so = 0;
    uint32_t n;
    enum tflc_status st = deref(c, at, &so);
    if (st) return st;
    return verify_vector(c, so, 1, true, &n);
}

static enum tflc_status verify_field_value(struct vctx *c, uint64_t off, uint32_t tbl_size,
                                           uint64_t vt, uint16_t vt_size,
                                           const struct tflc_fb_field *f, uint64_t at) {
    enum tflc_status st;
    struct path_seg *seg = &c->path[c->depth - 1];
    if (f->is_vector) {
        uint64_t vo = 0;
        uint32_t n;
        if ((st = deref(c, at, &vo))) return st;
        bool is_off = f->kind == TFLC_FB_TABLE || f->kind == TFLC_FB_STRING;
        unsigned esz = is_off ? 4u : tflc_fb_kind_size((enum tflc_fb_kind)f->kind);
        if ((st = verify_vector(c, vo, esz, false, &n))) return st;
        if (!is_off) return TFLC_STATUS_OK;
        for (uint32_t i = 0; i < n; i++) {
            uint64_t eat = vo + 4 + 4ull * i;
            seg->index = i;
            if (f->kind == TFLC_FB_STRING) {
                if ((st = verify_string_at(c, eat))) return st;
            } else {
                uint64_t to = 0;
                if ((st = deref(c, eat, &to))) return st;
                if ((st = verify_table(c, to, f->ref))) return st;
            }
        }
        seg->index = -1;
        return TFLC_STATUS_OK;
    }
    switch ((enum tflc_fb_kind)f->kind) {
    case TFLC_FB_STRING:
        return verify_string_at(c, at);
    case TFLC_FB_TABLE: {
        uint64_t to = 0;
        if ((st = deref(c, at, &to))) return st;
        return verify_table(c, to, f->ref);
    }
    case TFLC_FB_UNION_TYPE:
        if (c->buf[at] >= c->schema->unions[f->ref].nmembers) return fail(c, "unknown union type");
        return TFLC_STATUS_OK;
    case TFLC_FB_UNION: {
        /* The discriminator lives in the previous slot (flatbuffers' layout for unions). */
        const struct tflc_fb_union_desc *u = &c->schema->unions[f->ref];
        unsigned tslot = 4u + 2u * (f->id - 1u);
        uint8_t type = 0;
        if (f->id > 0 && tslot + 2u <= vt_size) {
            uint16_t tfo = tflc_fb_ld_u16(c->buf + vt + tslot);
            if (tfo) {
                if ((uint32_t)tfo + 1u > tbl_size) return fail(c, "union type outside its table");
                type = c->buf[off + tfo];
            }
        }
        if (type == 0) return fail(c, "union value without a type");
        if (type >= u->nmembers || u->member_table[type] < 0) return fail(c, "unknown union type");
        uint64_t to = 0;
        if ((st = deref(c, at, &to))) return st;
        return verify_table(c, to, u->member_table[type]);
    }
    default:
        return TFLC_STATUS_OK; /* scalar: bounds and alignment were checked by the caller */
    }
}

static enum tflc_status verify_table(struct vctx *c, uint64_t off, int table_idx) {
    const struct tflc_fb_table_desc *td = &c->schema->tables[table_idx];
    if (c->depth >= c->lim.max_depth || c->depth >= MAX_PATH) return fail(c, "tables nested too deeply");
    if (++c->visits > c->lim.max_tables) return fail(c, "too many tables");
    if ((off & 3) || !in_bounds(c, off, 4)) return fail(c, "table out of bounds or misaligned");
    int64_t vt = (int64_t)off - (int64_t)tflc_fb_ld_i32(c->buf + off);
    if (vt < 0 || (vt & 1) || !in_bounds(c, (uint64_t)vt, 4)) return fail(c, "vtable out of bounds or misaligned");
    uint16_t vt_size = tflc_fb_ld_u16(c->buf + vt);
    uint16_t tbl_size = tflc_fb_ld_u16(c->buf + vt + 2);
    if (vt_size < 4 || (vt_size & 1) || !in_bounds(c, (uint64_t)vt, vt_size)) return fail(c, "bad vtable size");
    if (tbl_size < 4 || !in_bounds(c, off, tbl_size)) return fail(c, "table size out of bounds");

    for (uint16_t i = 0; i < td->nfields; i++) {
        const struct tflc_fb_field *f = &td->fields[i];
        unsigned slot = 4u + 2u * f->id;
        if (slot + 2u > vt_size) continue;
        uint16_t fo = tflc_fb_ld_u16(c->buf + vt + slot);
        if (fo == 0) continue;
        c->path[c->depth].name = f->name;
        c->path[c->depth].index = -1;
        c->depth++;
        enum tflc_status st = TFLC_STATUS_OK;
        unsigned size = f->is_vector ? 4u : tflc_fb_kind_size((enum tflc_fb_kind)f->kind);
        uint64_t at = off + fo;
        if ((uint32_t)fo + size > tbl_size)
            st = fail(c, "field outside its table");
        else if (at % size)
            st = fail(c, "misaligned field");
        else if (!f->deprecated)
            st = verify_field_value(c, off, tbl_size, (uint64_t)vt, vt_size, f, at);
        c->depth--;
        if (st) return st;
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_fb_verify(const void *buf, size_t len, const struct tflc_fb_schema *schema,
                                const struct tflc_fb_limits *limits, struct tflc_diag *diag) {
    struct vctx c;
    memset(&c, 0, sizeof c);
    c.buf = (const uint8_t *)buf;
    c.len = len;
    c.schema = schema;
    c.diag = diag;
    c.lim.max_depth = limits && limits->max_depth ? limits->max_depth : 64;
    c.lim.max_tables = limits && limits->max_tables ? limits->max_tables : 1000000;
    c.lim.max_elements = limits && limits->max_elements ? limits->max_elements : 2 * (uint64_t)len + (1u << 20);
    c.path[0].name = schema->tables[schema->root_table].name;
    c.path[0].index = -1;
    c.depth = 1;
    if (!buf || len < 8) return fail(&c, "file too small to be a flatbuffer");
    if (len > 0xFFFFFFFFull && 0) return fail(&c, "too large");
    if (schema->identifier && memcmp(c.buf + 4, schema->identifier, 4) != 0)
        return fail(&c, "wrong file identifier (not a TFLite model)");
    uint64_t root = 0;
    enum tflc_status st = deref(&c, 0, &root);
    if (st) return st;
    return verify_table(&c, root, schema->root_table);
}
