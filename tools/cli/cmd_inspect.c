/* tflc inspect MODEL.tflite [--json]: what is inside a .tflite (see README "inspect"). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format/tflite_model.h"
#include "json_out.h"

static const char *op_label(const void *buf, struct tflc_fb_table oc, char *tmp, size_t n) {
    int32_t code = tflc_tfl_opcode_code(oc);
    if (code == TFLC_TFL_BUILTIN_OPERATOR_CUSTOM) {
        struct tflc_fb_str s = tflc_tfl_operator_code_custom_code(oc);
        snprintf(tmp, n, "CUSTOM:%s", s.data ? s.data : "");
        return tmp;
    }
    (void)buf;
    const char *nm = tflc_tfl_op_name(code);
    if (nm) return nm;
    snprintf(tmp, n, "BUILTIN_%d", code);
    return tmp;
}

/* min_runtime_version lives in a metadata buffer as a NUL-padded string. */
static void min_runtime(const void *buf, char *out, size_t n) {
    struct tflc_fb_table m = tflc_tfl_model(buf);
    struct tflc_fb_vec md = tflc_tfl_model_metadata(m);
    out[0] = 0;
    for (uint32_t i = 0; i < md.len; i++) {
        struct tflc_fb_table e = tflc_fb_vec_table(md, i);
        struct tflc_fb_str nm = tflc_tfl_metadata_name(e);
        if (!nm.data || strcmp(nm.data, "min_runtime_version") != 0) continue;
        const uint8_t *d;
        uint64_t size;
        tflc_tfl_buffer_bytes(buf, tflc_tfl_metadata_buffer(e), &d, &size);
        size_t k = 0;
        while (k < size && k + 1 < n && d[k] && d[k] >= 0x20 && d[k] < 0x7f) { out[k] = (char)d[k]; k++; }
        out[k] = 0;
        return;
    }
}

static void json_scalar_field(struct json_out *j, struct tflc_fb_table t, const struct tflc_fb_field *f) {
    uint32_t o = tflc_fb_field_off(t, f->id);
    const uint8_t *p = o ? t.buf + o : NULL;
    int64_t iv = 0;
    double dv = f->dflt;
    bool is_float = false;
    switch ((enum tflc_fb_kind)f->kind) {
    case TFLC_FB_BOOL: json_bool(j, p ? p[0] != 0 : f->dflt != 0); return;
    case TFLC_FB_I8: iv = p ? tflc_fb_ld_i8(p) : (int64_t)f->dflt; break;
    case TFLC_FB_U8: case TFLC_FB_UNION_TYPE: iv = p ? tflc_fb_ld_u8(p) : (int64_t)f->dflt; break;
    case TFLC_FB_I16: iv = p ? tflc_fb_ld_i16(p) : (int64_t)f->dflt; break;
    case TFLC_FB_U16: iv = p ? tflc_fb_ld_u16(p) : (int64_t)f->dflt; break;
    case TFLC_FB_I32: iv = p ? tflc_fb_ld_i32(p) : (int64_t)f->dflt; break;
    case TFLC_FB_U32: iv = p ? tflc_fb_ld_u32(p) : (int64_t)f->dflt; break;
    case TFLC_FB_I64: iv = p ? tflc_fb_ld_i64(p) : (int64_t)f->dflt; break;
    case TFLC_FB_U64: iv = p ? (int64_t)tflc_fb_ld_u64(p) : (int64_t)f->dflt; break;
    case TFLC_FB_F32: dv = p ? tflc_fb_ld_f32(p) : f->dflt; is_float = true; break;
    case TFLC_FB_F64: dv = p ? tflc_fb_ld_f64(p) : f->dflt; is_float = true; break;
    default: json_null(j); return;
    }
    if (is_float) { json_num(j, dv); return; }
    if (f->ref >= 0 && f->kind != TFLC_FB_UNION_TYPE) {
        const char *nm = tflc_tfl_enum_name((enum tflc_tfl_enum_id)f->ref, iv);
        if (nm) { json_str(j, nm); return; }
    }
    json_int(j, iv);
}

/* Generic table -> JSON through the schema reflection. */
static void json_table(struct json_out *j, struct tflc_fb_table t, int table_idx, int depth) {
    const struct tflc_fb_table_desc *td = &tflc_tfl_schema.tables[table_idx];
    json_obj_begin(j);
    for (uint16_t i = 0; i < td->nfields; i++) {
        const struct tflc_fb_field *f = &td->fields[i];
        if (f->deprecated || f->kind == TFLC_FB_UNION_TYPE) continue;
        bool present = tflc_fb_has(t, f->id);
        if (f->is_vector) {
            json_key(j, f->name);
            if (!present) { json_null(j); continue; }
            struct tflc_fb_vec v = tflc_fb_get_vec(t, f->id);
            json_arr_begin(j);
            uint32_t show = v.len > 4096 ? 4096 : v.len;
            for (uint32_t k = 0; k < show; k++) {
                if (f->kind == TFLC_FB_STRING) {
                    struct tflc_fb_str s = tflc_fb_vec_str(v, k);
                    json_strn(j, s.data, s.len);
                } else if (f->kind == TFLC_FB_TABLE) {
                    if (depth < 8) json_table(j, tflc_fb_vec_table(v, k), f->ref, depth + 1);
                    else json_null(j);
                } else {
                    unsigned es = tflc_fb_kind_size((enum tflc_fb_kind)f->kind);
                    /* A one-element view makes the scalar printer reusable for vector items. */
                    const uint8_t *p = v.data + (size_t)es * k;
                    switch ((enum tflc_fb_kind)f->kind) {
                    case TFLC_FB_F32: json_num(j, tflc_fb_ld_f32(p)); break;
                    case TFLC_FB_F64: json_num(j, tflc_fb_ld_f64(p)); break;
                    case TFLC_FB_I8: json_int(j, tflc_fb_ld_i8(p)); break;
                    case TFLC_FB_BOOL: case TFLC_FB_U8: json_int(j, tflc_fb_ld_u8(p)); break;
                    case TFLC_FB_I16: json_int(j, tflc_fb_ld_i16(p)); break;
                    case TFLC_FB_U16: json_int(j, tflc_fb_ld_u16(p)); break;
                    case TFLC_FB_I32: json_int(j, tflc_fb_ld_i32(p)); break;
                    case TFLC_FB_U32: json_int(j, tflc_fb_ld_u32(p)); break;
                    case TFLC_FB_I64: json_int(j, tflc_fb_ld_i64(p)); break;
                    case TFLC_FB_U64: json_uint(j, tflc_fb_ld_u64(p)); break;
                    default: json_null(j);
                    }
                }
            }
            json_arr_end(j);
            continue;
        }
        switch ((enum tflc_fb_kind)f->kind) {
        case TFLC_FB_STRING: {
            json_key(j, f->name);
            struct tflc_fb_str s = tflc_fb_get_str(t, f->id);
            if (s.data) json_strn(j, s.data, s.len); else json_null(j);
            break;
        }
        case TFLC_FB_TABLE:
            json_key(j, f->name);
            if (present && depth < 8) json_table(j, tflc_fb_get_table(t, f->id), f->ref, depth + 1);
            else json_null(j);
            break;
        case TFLC_FB_UNION: {
            json_key(j, f->name);
            uint8_t type = tflc_fb_get_u8(t, f->id - 1u, 0);
            int member = type ? tflc_tfl_schema.unions[f->ref].member_table[type] : -1;
            if (present && member >= 0 && depth < 8) json_table(j, tflc_fb_get_table(t, f->id), member, depth + 1);
            else json_null(j);
            break;
        }
        default:
            json_key(j, f->name);
            json_scalar_field(j, t, f);
        }
    }
    json_obj_end(j);
}

static void json_int_vec(struct json_out *j, struct tflc_fb_vec v) {
    json_arr_begin(j);
    for (uint32_t i = 0; i < v.len; i++) json_int(j, tflc_fb_vec_i32(v, i));
    json_arr_end(j);
}

/* Options table of an operator (builtin_options), NULL-table when none. */
static struct tflc_fb_table op_options(struct tflc_fb_table op, int *member) {
    uint8_t type = tflc_tfl_operator_builtin_options_type(op);
    *member = type ? tflc_tfl_schema.unions[TFLC_TFL_U_BUILTIN_OPTIONS].member_table[type] : -1;
    return tflc_tfl_operator_builtin_options(op);
}

/* Fused activation of an op's options, NULL when the options have none. */
static const char *fused_act(struct tflc_fb_table op) {
    int member;
    struct tflc_fb_table o = op_options(op, &member);
    if (member < 0 || !o.off) return NULL;
    const struct tflc_fb_table_desc *td = &tflc_tfl_schema.tables[member];
    for (uint16_t i = 0; i < td->nfields; i++) {
        if (strcmp(td->fields[i].name, "fused_activation_function") == 0)
            return tflc_tfl_enum_name(TFLC_TFL_E_ACTIVATION_FUNCTION_TYPE, tflc_fb_get_i8(o, td->fields[i].id, 0));
    }
    return NULL;
}

struct tensor_info {
    const char *name;
    int type;
    uint64_t bytes; /* constant data bytes */
};

static uint64_t tensor_bytes(const void *buf, struct tflc_fb_table t) {
    const uint8_t *d;
    uint64_t size;
    tflc_tfl_buffer_bytes(buf, tflc_tfl_tensor_buffer(t), &d, &size);
    return size;
}

static void json_tensor(struct json_out *j, const void *buf, struct tflc_fb_table t) {
    json_obj_begin(j);
    struct tflc_fb_str nm = tflc_tfl_tensor_name(t);
    json_key(j, "name");
    if (nm.data) json_strn(j, nm.data, nm.len); else json_str(j, "");
    json_key(j, "dtype");
    json_str(j, tflc_tfl_dtype_name(tflc_tfl_tensor_type(t)));
    json_key(j, "shape");
    json_int_vec(j, tflc_tfl_tensor_shape(t));
    json_key(j, "shape_signature");
    struct tflc_fb_vec sig = tflc_tfl_tensor_shape_signature(t);
    if (sig.data) json_int_vec(j, sig); else json_null(j);
    json_key(j, "buffer");
    json_uint(j, tflc_tfl_tensor_buffer(t));
    json_key(j, "buffer_bytes");
    json_uint(j, tensor_bytes(buf, t));
    json_key(j, "is_variable");
    json_bool(j, tflc_tfl_tensor_is_variable(t));
    json_key(j, "quantization");
    struct tflc_fb_table q = tflc_tfl_tensor_quantization(t);
    struct tflc_fb_vec sc = q.off ? tflc_tfl_quantization_parameters_scale(q) : (struct tflc_fb_vec){0};
    if (!q.off || !sc.len) {
        json_null(j);
    } else {
        struct tflc_fb_vec zp = tflc_tfl_quantization_parameters_zero_point(q);
        json_obj_begin(j);
        json_key(j, "scale");
        json_arr_begin(j);
        for (uint32_t i = 0; i < sc.len; i++) json_num(j, tflc_fb_vec_f32(sc, i));
        json_arr_end(j);
        json_key(j, "zero_point");
        json_arr_begin(j);
        for (uint32_t i = 0; i < zp.len; i++) json_int(j, tflc_fb_vec_i64(zp, i));
        json_arr_end(j);
        json_key(j, "quantized_dimension");
        json_int(j, tflc_tfl_quantization_parameters_quantized_dimension(q));
        json_obj_end(j);
    }
    json_obj_end(j);
}

static int inspect_json(const char *path, const void *buf, size_t len) {
    struct json_out jo, *j = &jo;
    json_init(j, stdout);
    struct tflc_fb_table m = tflc_tfl_model(buf);
    char tmp[300], mrv[64];
    json_obj_begin(j);
    json_key(j, "file"); json_str(j, path);
    json_key(j, "size"); json_uint(j, len);
    json_key(j, "version"); json_uint(j, tflc_tfl_model_version(m));
    json_key(j, "description");
    struct tflc_fb_str desc = tflc_tfl_model_description(m);
    if (desc.data) json_strn(j, desc.data, desc.len); else json_null(j);
    min_runtime(buf, mrv, sizeof mrv);
    json_key(j, "min_runtime_version");
    if (mrv[0]) json_str(j, mrv); else json_null(j);
    json_key(j, "signature_defs");
    json_arr_begin(j);
    struct tflc_fb_vec sigs = tflc_tfl_model_signature_defs(m);
    for (uint32_t i = 0; i < sigs.len; i++) json_table(j, tflc_fb_vec_table(sigs, i), TFLC_TFL_T_SIGNATURE_DEF, 0);
    json_arr_end(j);
    json_key(j, "metadata");
    json_arr_begin(j);
    struct tflc_fb_vec md = tflc_tfl_model_metadata(m);
    for (uint32_t i = 0; i < md.len; i++) json_table(j, tflc_fb_vec_table(md, i), TFLC_TFL_T_METADATA, 0);
    json_arr_end(j);
    json_key(j, "buffers"); json_uint(j, tflc_tfl_model_buffers(m).len);

    struct tflc_fb_vec ocs = tflc_tfl_model_operator_codes(m);
    json_key(j, "operator_codes");
    json_arr_begin(j);
    for (uint32_t i = 0; i < ocs.len; i++) {
        struct tflc_fb_table oc = tflc_fb_vec_table(ocs, i);
        json_obj_begin(j);
        json_key(j, "op"); json_str(j, op_label(buf, oc, tmp, sizeof tmp));
        json_key(j, "builtin_code"); json_int(j, tflc_tfl_opcode_code(oc));
        json_key(j, "version"); json_int(j, tflc_tfl_operator_code_version(oc));
        json_obj_end(j);
    }
    json_arr_end(j);

    json_key(j, "subgraphs");
    json_arr_begin(j);
    struct tflc_fb_vec sgs = tflc_tfl_model_subgraphs(m);
    for (uint32_t s = 0; s < sgs.len; s++) {
        struct tflc_fb_table g = tflc_fb_vec_table(sgs, s);
        json_obj_begin(j);
        struct tflc_fb_str gn = tflc_tfl_sub_graph_name(g);
        json_key(j, "name");
        if (gn.data) json_strn(j, gn.data, gn.len); else json_null(j);
        json_key(j, "inputs"); json_int_vec(j, tflc_tfl_sub_graph_inputs(g));
        json_key(j, "outputs"); json_int_vec(j, tflc_tfl_sub_graph_outputs(g));
        struct tflc_fb_vec ts = tflc_tfl_sub_graph_tensors(g);
        json_key(j, "tensors");
        json_arr_begin(j);
        for (uint32_t i = 0; i < ts.len; i++) json_tensor(j, buf, tflc_fb_vec_table(ts, i));
        json_arr_end(j);
        struct tflc_fb_vec ops = tflc_tfl_sub_graph_operators(g);
        json_key(j, "operators");
        json_arr_begin(j);
        for (uint32_t i = 0; i < ops.len; i++) {
            struct tflc_fb_table op = tflc_fb_vec_table(ops, i);
            struct tflc_fb_table oc = tflc_fb_vec_table(ocs, tflc_tfl_operator_opcode_index(op));
            json_obj_begin(j);
            json_key(j, "index"); json_uint(j, i);
            json_key(j, "op"); json_str(j, op_label(buf, oc, tmp, sizeof tmp));
            json_key(j, "version"); json_int(j, tflc_tfl_operator_code_version(oc));
            json_key(j, "inputs"); json_int_vec(j, tflc_tfl_operator_inputs(op));
            json_key(j, "outputs"); json_int_vec(j, tflc_tfl_operator_outputs(op));
            struct tflc_fb_vec im = tflc_tfl_operator_intermediates(op);
            if (im.len) { json_key(j, "intermediates"); json_int_vec(j, im); }
            int member;
            struct tflc_fb_table o = op_options(op, &member);
            json_key(j, "options_type");
            json_str(j, member >= 0 ? tflc_tfl_schema.tables[member].name : NULL);
            json_key(j, "options");
            if (member >= 0 && o.off) json_table(j, o, member, 0); else json_null(j);
            struct tflc_fb_vec co = tflc_tfl_operator_custom_options(op);
            if (co.data) { json_key(j, "custom_options_bytes"); json_uint(j, co.len); }
            json_obj_end(j);
        }
        json_arr_end(j);
        json_obj_end(j);
    }
    json_arr_end(j);
    json_obj_end(j);
    fputc('\n', stdout);
    return 0;
}

static void print_shape(struct tflc_fb_vec v, struct tflc_fb_vec sig) {
    putchar('[');
    for (uint32_t i = 0; i < v.len; i++) {
        int32_t d = sig.data && tflc_fb_vec_i32(sig, i) < 0 ? -1 : tflc_fb_vec_i32(v, i);
        printf(i ? ",%d" : "%d", d);
    }
    putchar(']');
}

static void print_tensor_line(const void *buf, uint32_t idx, struct tflc_fb_table t) {
    struct tflc_fb_str nm = tflc_tfl_tensor_name(t);
    printf("    [%u] %-32s %-8s ", idx, nm.data ? nm.data : "", tflc_tfl_dtype_name(tflc_tfl_tensor_type(t)));
    print_shape(tflc_tfl_tensor_shape(t), tflc_tfl_tensor_shape_signature(t));
    struct tflc_fb_table q = tflc_tfl_tensor_quantization(t);
    if (q.off) {
        struct tflc_fb_vec sc = tflc_tfl_quantization_parameters_scale(q);
        struct tflc_fb_vec zp = tflc_tfl_quantization_parameters_zero_point(q);
        if (sc.len == 1)
            printf("  scale=%.6g zero_point=%lld", (double)tflc_fb_vec_f32(sc, 0),
                   zp.len ? (long long)tflc_fb_vec_i64(zp, 0) : 0LL);
        else if (sc.len > 1)
            printf("  per-channel: %u scales on axis %d", sc.len, tflc_tfl_quantization_parameters_quantized_dimension(q));
    }
    (void)buf;
    putchar('\n');
}

static void print_idx_vec(struct tflc_fb_vec v) {
    putchar('[');
    for (uint32_t i = 0; i < v.len; i++) printf(i ? ",%d" : "%d", tflc_fb_vec_i32(v, i));
    putchar(']');
}

static int inspect_text(const char *path, const void *buf, size_t len) {
    struct tflc_fb_table m = tflc_tfl_model(buf);
    char tmp[300], mrv[64];
    printf("%s: %zu bytes, TFLite schema version %u\n", path, len, tflc_tfl_model_version(m));
    struct tflc_fb_str desc = tflc_tfl_model_description(m);
    printf("description: %s\n", desc.data ? desc.data : "(none)");
    min_runtime(buf, mrv, sizeof mrv);
    printf("min_runtime_version: %s\n", mrv[0] ? mrv : "(none)");
    struct tflc_fb_vec sgs = tflc_tfl_model_subgraphs(m);
    struct tflc_fb_vec sigs = tflc_tfl_model_signature_defs(m);
    for (uint32_t i = 0; i < sigs.len; i++) {
        struct tflc_fb_table s = tflc_fb_vec_table(sigs, i);
        struct tflc_fb_str key = tflc_tfl_signature_def_signature_key(s);
        printf("signature '%s' (subgraph %u):", key.data ? key.data : "", tflc_tfl_signature_def_subgraph_index(s));
        for (int io = 0; io < 2; io++) {
            struct tflc_fb_vec v = io ? tflc_tfl_signature_def_outputs(s) : tflc_tfl_signature_def_inputs(s);
            printf(io ? " -> outputs" : " inputs");
            for (uint32_t k = 0; k < v.len; k++) {
                struct tflc_fb_table tm = tflc_fb_vec_table(v, k);
                struct tflc_fb_str n = tflc_tfl_tensor_map_name(tm);
                printf(" %s=%u", n.data ? n.data : "", tflc_tfl_tensor_map_tensor_index(tm));
            }
        }
        putchar('\n');
    }
    if (!sigs.len) printf("signatures: (none)\n");

    struct tflc_fb_vec ocs = tflc_tfl_model_operator_codes(m);
    uint64_t wbytes[TFLC_TFL_TENSOR_TYPE_COUNT] = {0};
    for (uint32_t s = 0; s < sgs.len; s++) {
        struct tflc_fb_table g = tflc_fb_vec_table(sgs, s);
        struct tflc_fb_vec ts = tflc_tfl_sub_graph_tensors(g);
        struct tflc_fb_vec ops = tflc_tfl_sub_graph_operators(g);
        struct tflc_fb_str gn = tflc_tfl_sub_graph_name(g);
        printf("\nsubgraph %u '%s': %u tensors, %u operators\n", s, gn.data ? gn.data : "", ts.len, ops.len);
        struct tflc_fb_vec in = tflc_tfl_sub_graph_inputs(g), out = tflc_tfl_sub_graph_outputs(g);
        printf("  inputs:\n");
        for (uint32_t i = 0; i < in.len; i++) {
            uint32_t ti = (uint32_t)tflc_fb_vec_i32(in, i);
            print_tensor_line(buf, ti, tflc_fb_vec_table(ts, ti));
        }
        printf("  outputs:\n");
        for (uint32_t i = 0; i < out.len; i++) {
            uint32_t ti = (uint32_t)tflc_fb_vec_i32(out, i);
            print_tensor_line(buf, ti, tflc_fb_vec_table(ts, ti));
        }
        printf("  operators:\n    %-4s %-28s %-3s %s\n", "#", "op", "ver", "inputs -> outputs  activation");
        /* histogram over operator codes */
        uint32_t *hist = calloc(ocs.len ? ocs.len : 1, sizeof *hist);
        for (uint32_t i = 0; i < ops.len; i++) {
            struct tflc_fb_table op = tflc_fb_vec_table(ops, i);
            uint32_t oci = tflc_tfl_operator_opcode_index(op);
            struct tflc_fb_table oc = tflc_fb_vec_table(ocs, oci);
            if (hist) hist[oci]++;
            printf("    %-4u %-28s %-3d ", i, op_label(buf, oc, tmp, sizeof tmp), tflc_tfl_operator_code_version(oc));
            print_idx_vec(tflc_tfl_operator_inputs(op));
            printf(" -> ");
            print_idx_vec(tflc_tfl_operator_outputs(op));
            const char *act = fused_act(op);
            if (act && strcmp(act, "NONE") != 0) printf("  %s", act);
            putchar('\n');
        }
        printf("  op histogram:");
        for (uint32_t i = 0; hist && i < ocs.len; i++)
            if (hist[i]) printf(" %s x%u", op_label(buf, tflc_fb_vec_table(ocs, i), tmp, sizeof tmp), hist[i]);
        putchar('\n');
        free(hist);
        for (uint32_t i = 0; i < ts.len; i++) {
            struct tflc_fb_table t = tflc_fb_vec_table(ts, i);
            int ty = tflc_tfl_tensor_type(t);
            if (ty >= 0 && ty < TFLC_TFL_TENSOR_TYPE_COUNT) wbytes[ty] += tensor_bytes(buf, t);
        }
    }
    printf("\nconstant data by dtype:");
    uint64_t total = 0;
    for (int i = 0; i < TFLC_TFL_TENSOR_TYPE_COUNT; i++)
        if (wbytes[i]) { printf(" %s %llu B;", tflc_tfl_dtype_name(i), (unsigned long long)wbytes[i]); total += wbytes[i]; }
    printf(" total %llu B\n", (unsigned long long)total);
    return 0;
}

int cmd_inspect(int argc, char **argv) {
    const char *path = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json = true;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: tflc inspect MODEL [--json]\n  MODEL: a .tflite, or a Keras .h5 / .keras / model.json (lists its layers)\n");
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) return cli_usage("inspect", "unknown option '%s'", argv[i]);
        else if (path) return cli_usage("inspect", "more than one model given");
        else path = argv[i];
    }
    if (!path) return cli_usage("inspect", "no model given");
    size_t len;
    void *buf = cli_read_file(path, &len);
    if (!buf) return CLI_EXIT_BAD_INPUT;
    int rc;
    if (len >= 8 && memcmp((const char *)buf + 4, "TFL3", 4) != 0 &&
        (!memcmp(buf, "\x89HDF", 4) || !memcmp(buf, "PK\x03\x04", 4) || ((const char *)buf)[0] == '{')) {
        free(buf);
        return cli_inspect_keras(path, json); /* a Keras model: list its layers */
    }
    if (!cli_verify_tflite(path, buf, len)) rc = CLI_EXIT_BAD_INPUT;
    else rc = json ? inspect_json(path, buf, len) : inspect_text(path, buf, len);
    free(buf);
    return rc;
}
