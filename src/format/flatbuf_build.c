/* Flatbuffer builder (see flatbuf_build.h). Layout rules follow the flatbuffers spec: objects
 * are written back to front so children precede parents; scalars are aligned to their size;
 * uoffsets point forward; a table starts with an soffset to its vtable. */
#include "format/flatbuf_build.h"

#include <stdlib.h>
#include <string.h>

#define MAX_BUFFER ((size_t)0x7FFFFFF0u) /* uoffsets are 32-bit; stay below 2 GiB */

void tflc_fbb_init(struct tflc_fbb *b) {
    memset(b, 0, sizeof *b);
    b->minalign = 4;
}

void tflc_fbb_free(struct tflc_fbb *b) {
    if (!b) return;
    free(b->buf);
    free(b->vtables);
    memset(b, 0, sizeof *b);
}

static bool grow(struct tflc_fbb *b, size_t extra) {
    if (b->failed) return false;
    if (extra > MAX_BUFFER || b->used > MAX_BUFFER - extra) { b->failed = true; return false; }
    if (b->used + extra <= b->cap) return true;
    size_t ncap = b->cap ? b->cap : 1024;
    while (ncap < b->used + extra) ncap *= 2;
    uint8_t *nb = malloc(ncap);
    if (!nb) { b->failed = true; return false; }
    if (b->used) memcpy(nb + ncap - b->used, b->buf + b->cap - b->used, b->used);
    free(b->buf);
    b->buf = nb;
    b->cap = ncap;
    return true;
}

static uint8_t *top(struct tflc_fbb *b) { return b->buf + b->cap - b->used; }

static void pad(struct tflc_fbb *b, size_t n) {
    if (!n || !grow(b, n)) return; /* n == 0: nothing to do (and buf may still be NULL) */
    b->used += n;
    memset(top(b), 0, n);
}

/* Pads so that after writing `additional` more bytes, `used` is a multiple of `align`. */
static void prep(struct tflc_fbb *b, size_t align, size_t additional) {
    if (align > b->minalign) b->minalign = align;
    size_t p = (~(b->used + additional) + 1) & (align - 1);
    pad(b, p);
}

static void push(struct tflc_fbb *b, const void *p, size_t n) {
    if (!grow(b, n)) return;
    b->used += n;
    memcpy(top(b), p, n);
}

static void push_u32(struct tflc_fbb *b, uint32_t v) { push(b, &v, 4); }

static uint32_t refer(struct tflc_fbb *b, uint32_t ref) {
    /* Called after prep(4, 0): the uoffset will sit at distance used + 4 from the end. */
    return (uint32_t)(b->used + 4 - ref);
}

uint32_t tflc_fbb_vector(struct tflc_fbb *b, const void *data, size_t n, size_t elem_size, size_t align) {
    size_t bytes;
    if (elem_size && n > MAX_BUFFER / elem_size) { b->failed = true; return 0; }
    bytes = n * elem_size;
    size_t a = elem_size > 4 ? elem_size : 4;
    if (align > a) a = align;
    prep(b, 4, bytes);
    prep(b, a, bytes);
    if (bytes) push(b, data, bytes);
    push_u32(b, (uint32_t)n);
    return (uint32_t)b->used;
}

uint32_t tflc_fbb_vector_refs(struct tflc_fbb *b, const uint32_t *refs, size_t n) {
    if (n > MAX_BUFFER / 4) { b->failed = true; return 0; }
    prep(b, 4, n * 4);
    for (size_t i = n; i-- > 0;) {
        uint32_t v = refer(b, refs[i]);
        push_u32(b, v);
    }
    push_u32(b, (uint32_t)n);
    return (uint32_t)b->used;
}

uint32_t tflc_fbb_string(struct tflc_fbb *b, const char *s, size_t len) {
    prep(b, 4, len + 1);
    pad(b, 1);
    if (len) push(b, s, len);
    push_u32(b, (uint32_t)len);
    return (uint32_t)b->used;
}

void tflc_fbb_table_start(struct tflc_fbb *b) {
    b->in_table = true;
    b->nfields = 0;
    b->table_start = b->used;
}

void tflc_fbb_add_scalar(struct tflc_fbb *b, unsigned id, const void *val, size_t size) {
    if (b->nfields >= TFLC_FBB_MAX_FIELDS || id > 0xFFFF) { b->failed = true; return; }
    prep(b, size, size);
    push(b, val, size);
    b->fields[b->nfields].id = (uint16_t)id;
    b->fields[b->nfields].ref = (uint32_t)b->used;
    b->nfields++;
}

void tflc_fbb_add_offset(struct tflc_fbb *b, unsigned id, uint32_t ref) {
    if (!ref) return;
    prep(b, 4, 0);
    uint32_t v = refer(b, ref);
    tflc_fbb_add_scalar(b, id, &v, 4);
}

uint32_t tflc_fbb_table_end(struct tflc_fbb *b) {
    prep(b, 4, 0);
    int32_t zero = 0;
    push(b, &zero, 4);
    uint32_t table_ref = (uint32_t)b->used;
    if (b->failed) return 0;
    unsigned max_id = 0;
    for (unsigned i = 0; i < b->nfields; i++)
        if (b->fields[i].id + 1u > max_id) max_id = b->fields[i].id + 1u;
    size_t vt_size = 4 + 2 * (size_t)max_id;
    uint16_t vt[4 + 2 * TFLC_FBB_MAX_FIELDS];
    uint16_t *v16 = vt;
    memset(vt, 0, vt_size);
    size_t tbl_size = table_ref - b->table_start;
    if (tbl_size > 0xFFFF || vt_size > 0xFFFF) { b->failed = true; return 0; }
    v16[0] = (uint16_t)vt_size;
    v16[1] = (uint16_t)tbl_size;
    for (unsigned i = 0; i < b->nfields; i++) v16[2 + b->fields[i].id] = (uint16_t)(table_ref - b->fields[i].ref);

    /* Share an identical vtable written before. */
    uint32_t vt_ref = 0;
    for (size_t i = 0; i < b->nvtables; i++) {
        const uint8_t *old = b->buf + b->cap - b->vtables[i];
        uint16_t osz;
        memcpy(&osz, old, 2);
        if (osz == vt_size && memcmp(old, vt, vt_size) == 0) { vt_ref = b->vtables[i]; break; }
    }
    if (!vt_ref) {
        push(b, vt, vt_size);
        vt_ref = (uint32_t)b->used;
        if (b->nvtables == b->capvtables) {
            size_t nc = b->capvtables ? b->capvtables * 2 : 64;
            uint32_t *nv = realloc(b->vtables, nc * sizeof *nv);
            if (!nv) { b->failed = true; return 0; }
            b->vtables = nv;
            b->capvtables = nc;
        }
        b->vtables[b->nvtables++] = vt_ref;
    }
    if (b->failed) return 0;
    /* soffset: table position minus vtable position (positions grow toward the front). */
    int32_t so = (int32_t)((int64_t)vt_ref - (int64_t)table_ref);
    memcpy(b->buf + b->cap - table_ref, &so, 4);
    b->in_table = false;
    return table_ref;
}

#define TYPED_ADD(name, type)                                                          \
    void tflc_fbb_add_##name(struct tflc_fbb *b, unsigned id, type v, type dflt) {     \
        if (v != dflt) tflc_fbb_add_scalar(b, id, &v, sizeof v);                       \
    }
TYPED_ADD(i8, int8_t)
TYPED_ADD(u8, uint8_t)
TYPED_ADD(i32, int32_t)
TYPED_ADD(u32, uint32_t)
TYPED_ADD(f32, float)
#undef TYPED_ADD

void tflc_fbb_add_bool(struct tflc_fbb *b, unsigned id, bool v, bool dflt) {
    uint8_t x = v ? 1 : 0;
    if (v != dflt) tflc_fbb_add_scalar(b, id, &x, 1);
}

enum tflc_status tflc_fbb_finish(struct tflc_fbb *b, uint32_t root, const char *identifier,
                                 struct tflc_diag *diag) {
    prep(b, b->minalign, 4 + (identifier ? 4 : 0));
    if (identifier) push(b, identifier, 4);
    prep(b, 4, 0);
    uint32_t v = refer(b, root);
    push_u32(b, v);
    if (b->failed)
        return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "flatbuffer builder: out of memory or over 2 GiB");
    b->data = top(b);
    b->size = b->used;
    return TFLC_STATUS_OK;
}
