/* IR -> .tflite (see lower_tflite.h). */
#include "export/lower_tflite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/op_version.h"
#include "format/tflite_schema.h"

#define TFLC_EXPORT_MAX_IO 4096

/* FNV-1a over constant bytes, for duplicate-buffer sharing. */
static uint64_t hash_bytes(const void *p, size_t n) {
    const unsigned char *b = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static const struct tflc_fb_field *find_field(int table, const char *name) {
    const struct tflc_fb_table_desc *td = &tflc_tfl_schema.tables[table];
    for (uint16_t i = 0; i < td->nfields; i++)
        if (!td->fields[i].deprecated && strcmp(td->fields[i].name, name) == 0) return &td->fields[i];
    return NULL;
}

/* Builds the options table of node n; *type = its BuiltinOptions discriminator (0 = none). */
static enum tflc_status build_options(struct tflc_fbb *f, const struct tflc_ir_node *n, uint8_t *type, uint32_t *ref,
                                      struct tflc_diag *diag) {
    *type = 0;
    *ref = 0;
    uint8_t ot = n->op >= 0 && n->op < TFLC_TFL_BUILTIN_OPERATOR_COUNT ? tflc_tfl_builtin_options_of_op[n->op] : 255;
    if (ot == 255) {
        if (n->nopts)
            return tflc_diag_set(diag, TFLC_STATUS_INTERNAL, "layer '%s': op %s takes no options", n->name,
                                 tflc_tfl_enum_name(TFLC_TFL_E_BUILTIN_OPERATOR, n->op));
        return TFLC_STATUS_OK;
    }
    int table = tflc_tfl_schema.unions[TFLC_TFL_U_BUILTIN_OPTIONS].member_table[ot];
    uint32_t vec_refs[TFLC_IR_MAX_OPTS] = {0};
    const struct tflc_fb_field *fields[TFLC_IR_MAX_OPTS];
    for (int i = 0; i < n->nopts; i++) {
        fields[i] = find_field(table, n->opts[i].field);
        if (!fields[i])
            return tflc_diag_set(diag, TFLC_STATUS_INTERNAL, "layer '%s': %s has no option '%s'", n->name,
                                 tflc_tfl_schema.tables[table].name, n->opts[i].field);
        if (n->opts[i].kind == TFLC_IR_OPT_INTS) vec_refs[i] = tflc_fbb_vector(f, n->opts[i].ints, (size_t)n->opts[i].n, 4, 0);
    }
    tflc_fbb_table_start(f);
    for (int i = 0; i < n->nopts; i++) {
        const struct tflc_ir_opt *o = &n->opts[i];
        const struct tflc_fb_field *fd = fields[i];
        if (o->kind == TFLC_IR_OPT_INTS) {
            tflc_fbb_add_offset(f, fd->id, vec_refs[i]);
            continue;
        }
        double v = o->kind == TFLC_IR_OPT_FLOAT ? o->f : (double)o->i;
        if (v == fd->dflt && fd->kind != TFLC_FB_F32) continue; /* flatbuffers omits defaults */
        union { int8_t i8; uint8_t u8; int16_t i16; int32_t i32; uint32_t u32; int64_t i64; float f32; double f64; } u;
        size_t sz = tflc_fb_kind_size((enum tflc_fb_kind)fd->kind);
        switch ((enum tflc_fb_kind)fd->kind) {
        case TFLC_FB_BOOL: case TFLC_FB_U8: u.u8 = (uint8_t)o->i; break;
        case TFLC_FB_I8: u.i8 = (int8_t)o->i; break;
        case TFLC_FB_I16: u.i16 = (int16_t)o->i; break;
        case TFLC_FB_I32: u.i32 = (int32_t)o->i; break;
        case TFLC_FB_U32: u.u32 = (uint32_t)o->i; break;
        case TFLC_FB_I64: case TFLC_FB_U64: u.i64 = o->i; break;
        case TFLC_FB_F32:
            u.f32 = (float)v;
            if (u.f32 == (float)fd->dflt) continue;
            break;
        case TFLC_FB_F64: u.f64 = v; break;
        default:
            return tflc_diag_set(diag, TFLC_STATUS_INTERNAL, "option '%s' has an unsupported kind", o->field);
        }
        tflc_fbb_add_scalar(f, fd->id, &u, sz);
    }
    *ref = tflc_fbb_table_end(f);
    *type = ot;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_export_tflite(const struct tflc_ir_graph *g, const char *description, struct tflc_tflb **builder,
                                    const uint8_t **data, size_t *size, struct tflc_export_stats *stats,
                                    int32_t **tensor_map, struct tflc_diag *diag) {
    struct tflc_export_stats st;
    memset(&st, 0, sizeof st);
    struct tflc_tflb *b = tflc_tflb_create();
    int32_t *map = calloc((size_t)(g->nt ? g->nt : 1), sizeof *map);
    bool *used = calloc((size_t)(g->nt ? g->nt : 1), sizeof *used);
    uint64_t *hashes = calloc((size_t)(g->nt ? g->nt : 1), sizeof *hashes);
    int32_t *buf_of = calloc((size_t)(g->nt ? g->nt : 1), sizeof *buf_of);
    enum tflc_status rc = TFLC_STATUS_OK;
    if (!b || !map || !used || !hashes || !buf_of) {
        rc = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory writing the model");
        goto done;
    }
    for (int32_t i = 0; i < g->ninputs; i++) used[g->inputs[i]] = true;
    for (int32_t i = 0; i < g->noutputs; i++) used[g->outputs[i]] = true;
    for (int32_t k = 0; k < g->nn; k++) {
        if (g->n[k].dead) continue;
        for (int i = 0; i < g->n[k].nin; i++) if (g->n[k].in[i] >= 0) used[g->n[k].in[i]] = true;
        for (int i = 0; i < g->n[k].nout; i++) if (g->n[k].out[i] >= 0) used[g->n[k].out[i]] = true;
        for (int i = 0; i < g->n[k].ninter; i++) if (g->n[k].inter[i] >= 0) used[g->n[k].inter[i]] = true;
    }
    /* Tensors in id order; identical constant bytes share one buffer. */
    for (int32_t i = 0; i < g->nt; i++) {
        map[i] = -1;
        if (!used[i]) continue;
        const struct tflc_ir_tensor *t = &g->t[i];
        int buf = 0;
        if (t->data && t->bytes) {
            hashes[i] = hash_bytes(t->data, t->bytes);
            for (int32_t j = 0; j < i && !buf; j++)
                if (used[j] && g->t[j].data && hashes[j] == hashes[i] && g->t[j].bytes == t->bytes &&
                    memcmp(g->t[j].data, t->data, t->bytes) == 0)
                    buf = buf_of[j];
            if (!buf) {
                buf = tflc_tflb_buffer(b, t->data, t->bytes);
                st.buffers++;
                st.constant_bytes += t->bytes;
            }
            buf_of[i] = buf;
        }
        struct tflc_tflb_quant q = {t->q.count, t->q.scale, t->q.zero_point, t->q.axis};
        map[i] = tflc_tflb_tensor(b, t->name, t->dtype, t->rank, t->dims, buf, t->q.count ? &q : NULL);
        if (t->dynamic_batch && t->rank > 0) {
            int32_t sig[TFLC_MAX_DIMS];
            memcpy(sig, t->dims, sizeof sig);
            sig[0] = -1;
            tflc_tflb_tensor_signature(b, map[i], sig);
        }
        if (t->is_variable) tflc_tflb_tensor_variable(b, map[i]);
        st.tensors++;
    }
    const char *min_rt = "1.5.0";
    for (int32_t k = 0; k < g->nn; k++) {
        const struct tflc_ir_node *n = &g->n[k];
        if (n->dead) continue;
        int32_t in[TFLC_EXPORT_MAX_IO], out[TFLC_EXPORT_MAX_IO], inter[64];
        if (n->nin > TFLC_EXPORT_MAX_IO || n->nout > TFLC_EXPORT_MAX_IO || n->ninter > 64) {
            rc = tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "layer '%s': an operator with more than %d inputs or outputs",
                               n->name, TFLC_EXPORT_MAX_IO);
            goto done;
        }
        for (int i = 0; i < n->nin; i++) in[i] = n->in[i] >= 0 ? map[n->in[i]] : -1;
        for (int i = 0; i < n->nout; i++) out[i] = n->out[i] >= 0 ? map[n->out[i]] : -1;
        for (int i = 0; i < n->ninter; i++) inter[i] = map[n->inter[i]];
        uint8_t ot;
        uint32_t oref;
        if ((rc = build_options(tflc_tflb_fbb(b), n, &ot, &oref, diag))) goto done;
        int version = tflc_op_version(g, k);
        tflc_tflb_op(b, n->op, version, NULL, in, n->nin, out, n->nout, ot, oref);
        if (n->ninter) tflc_tflb_op_intermediates(b, inter, n->ninter);
        const char *rt = tflc_op_min_runtime(n->op, version);
        if (rt && tflc_runtime_version_cmp(rt, min_rt) > 0) min_rt = rt;
        st.ops++;
    }
    int32_t gin[256], gout[256];
    if (g->ninputs > 256 || g->noutputs > 256) {
        rc = tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "more than 256 model inputs or outputs");
        goto done;
    }
    for (int i = 0; i < g->ninputs; i++) gin[i] = map[g->inputs[i]];
    for (int i = 0; i < g->noutputs; i++) gout[i] = map[g->outputs[i]];
    tflc_tflb_graph_io(b, gin, g->ninputs, gout, g->noutputs);
    if (g->input_names && g->output_names) tflc_tflb_signature(b, g->input_names, g->output_names);
    tflc_tflb_min_runtime(b, min_rt);
    snprintf(st.min_runtime, sizeof st.min_runtime, "%s", min_rt);
    rc = tflc_tflb_finish(b, description, data, size, diag);
done:
    if (tensor_map && rc == TFLC_STATUS_OK) {
        *tensor_map = map;
        map = NULL;
    } else if (tensor_map) {
        *tensor_map = NULL;
    }
    free(map);
    free(used);
    free(hashes);
    free(buf_of);
    if (rc) {
        tflc_tflb_destroy(b);
        b = NULL;
    }
    *builder = b;
    if (stats) *stats = st;
    return rc;
}
