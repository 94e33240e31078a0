/* Schema-driven deep copy (see flatbuf_copy.h). Children are built first (back-to-front
 * builder), then the table's scalars and offsets are added. Works on verified input only. */
#include "format/flatbuf_copy.h"

#include <stdlib.h>

static uint32_t copy_vector(struct tflc_fbb *b, const struct tflc_fb_schema *s, const struct tflc_fb_field *f,
                            struct tflc_fb_vec v, const struct tflc_fb_copy_hook *hook) {
    if (f->kind == TFLC_FB_TABLE || f->kind == TFLC_FB_STRING) {
        uint32_t *refs = malloc((v.len ? v.len : 1) * sizeof *refs);
        if (!refs) { b->failed = true; return 0; }
        for (uint32_t i = 0; i < v.len; i++) {
            if (f->kind == TFLC_FB_STRING) {
                struct tflc_fb_str str = tflc_fb_vec_str(v, i);
                refs[i] = tflc_fbb_string(b, str.data, str.len);
            } else {
                refs[i] = tflc_fb_copy_table(b, s, f->ref, tflc_fb_vec_table(v, i), hook);
            }
        }
        uint32_t r = tflc_fbb_vector_refs(b, refs, v.len);
        free(refs);
        return r;
    }
    unsigned es = tflc_fb_kind_size((enum tflc_fb_kind)f->kind);
    return tflc_fbb_vector(b, v.data, v.len, es, f->align);
}

static bool is_default(const uint8_t *p, const struct tflc_fb_field *f) {
    double v;
    switch ((enum tflc_fb_kind)f->kind) {
    case TFLC_FB_BOOL: case TFLC_FB_U8: case TFLC_FB_UNION_TYPE: v = tflc_fb_ld_u8(p); break;
    case TFLC_FB_I8: v = tflc_fb_ld_i8(p); break;
    case TFLC_FB_I16: v = tflc_fb_ld_i16(p); break;
    case TFLC_FB_U16: v = tflc_fb_ld_u16(p); break;
    case TFLC_FB_I32: v = tflc_fb_ld_i32(p); break;
    case TFLC_FB_U32: v = tflc_fb_ld_u32(p); break;
    case TFLC_FB_I64: {
        int64_t x = tflc_fb_ld_i64(p);
        return (double)x == f->dflt && (int64_t)f->dflt == x;
    }
    case TFLC_FB_U64: {
        uint64_t x = tflc_fb_ld_u64(p);
        return (double)x == f->dflt && (uint64_t)f->dflt == x;
    }
    case TFLC_FB_F32: {
        float x = tflc_fb_ld_f32(p);
        return memcmp(&x, &(float){(float)f->dflt}, 4) == 0; /* bitwise: keeps -0.0 and NaN */
    }
    case TFLC_FB_F64: {
        double x = tflc_fb_ld_f64(p);
        return memcmp(&x, &f->dflt, 8) == 0;
    }
    default: return false;
    }
    return v == f->dflt;
}

uint32_t tflc_fb_copy_table(struct tflc_fbb *b, const struct tflc_fb_schema *s, int table_idx,
                            struct tflc_fb_table src, const struct tflc_fb_copy_hook *hook) {
    uint32_t out;
    if (hook && hook->copy && hook->copy(hook->ud, b, table_idx, src, &out)) return out;
    const struct tflc_fb_table_desc *td = &s->tables[table_idx];
    uint32_t refs[TFLC_FBB_MAX_FIELDS];
    if (td->nfields > TFLC_FBB_MAX_FIELDS) { b->failed = true; return 0; }
    /* Pass 1: build every child object. */
    for (uint16_t i = 0; i < td->nfields; i++) {
        const struct tflc_fb_field *f = &td->fields[i];
        refs[i] = 0;
        if (f->deprecated || !tflc_fb_has(src, f->id)) continue;
        if (f->is_vector) {
            refs[i] = copy_vector(b, s, f, tflc_fb_get_vec(src, f->id), hook);
        } else if (f->kind == TFLC_FB_STRING) {
            struct tflc_fb_str str = tflc_fb_get_str(src, f->id);
            refs[i] = tflc_fbb_string(b, str.data, str.len);
        } else if (f->kind == TFLC_FB_TABLE) {
            refs[i] = tflc_fb_copy_table(b, s, f->ref, tflc_fb_get_table(src, f->id), hook);
        } else if (f->kind == TFLC_FB_UNION) {
            uint8_t type = tflc_fb_get_u8(src, f->id - 1u, 0);
            int member = s->unions[f->ref].member_table[type];
            refs[i] = tflc_fb_copy_table(b, s, member, tflc_fb_get_table(src, f->id), hook);
        }
    }
    /* Pass 2: the table itself; largest scalars first keeps padding small. */
    tflc_fbb_table_start(b);
    static const unsigned sizes[] = {8, 4, 2, 1};
    for (unsigned k = 0; k < 4; k++) {
        for (uint16_t i = 0; i < td->nfields; i++) {
            const struct tflc_fb_field *f = &td->fields[i];
            if (f->deprecated) continue;
            bool is_off = f->is_vector || f->kind == TFLC_FB_STRING || f->kind == TFLC_FB_TABLE || f->kind == TFLC_FB_UNION;
            unsigned size = is_off ? 4u : tflc_fb_kind_size((enum tflc_fb_kind)f->kind);
            if (size != sizes[k]) continue;
            if (is_off) {
                if (refs[i]) tflc_fbb_add_offset(b, f->id, refs[i]);
                continue;
            }
            uint32_t o = tflc_fb_field_off(src, f->id);
            if (!o || is_default(src.buf + o, f)) continue;
            tflc_fbb_add_scalar(b, f->id, src.buf + o, size);
        }
    }
    return tflc_fbb_table_end(b);
}
