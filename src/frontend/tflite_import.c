/* .tflite -> IR (see tflite_import.h). */
#include "frontend/tflite_import.h"

#include <stdio.h>
#include <string.h>

#include "format/tflite_model.h"

static enum tflc_status import_options(struct tflc_ir_graph *g, int32_t node, struct tflc_fb_table op, struct tflc_diag *diag) {
    uint8_t type = tflc_tfl_operator_builtin_options_type(op);
    if (!type) return TFLC_STATUS_OK;
    int table = tflc_tfl_schema.unions[TFLC_TFL_U_BUILTIN_OPTIONS].member_table[type];
    struct tflc_fb_table o = tflc_tfl_operator_builtin_options(op);
    const struct tflc_fb_table_desc *td = &tflc_tfl_schema.tables[table];
    for (uint16_t i = 0; i < td->nfields; i++) {
        const struct tflc_fb_field *f = &td->fields[i];
        if (f->deprecated || !tflc_fb_has(o, f->id)) continue;
        if (g->n[node].nopts >= TFLC_IR_MAX_OPTS)
            return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "operator %d: too many options", node);
        if (f->is_vector) {
            if (f->kind != TFLC_FB_I32) continue;
            struct tflc_fb_vec v = tflc_fb_get_vec(o, f->id);
            int32_t tmp[64];
            uint32_t n = v.len < 64 ? v.len : 64;
            for (uint32_t k = 0; k < n; k++) tmp[k] = tflc_fb_vec_i32(v, k);
            tflc_ir_opt_ints(g, node, f->name, tmp, (int)n);
            continue;
        }
        uint32_t off = tflc_fb_field_off(o, f->id);
        const uint8_t *p = o.buf + off;
        switch ((enum tflc_fb_kind)f->kind) {
        case TFLC_FB_BOOL: tflc_ir_opt_bool(g, node, f->name, p[0] != 0); break;
        case TFLC_FB_I8: tflc_ir_opt_int(g, node, f->name, tflc_fb_ld_i8(p)); break;
        case TFLC_FB_U8: tflc_ir_opt_int(g, node, f->name, tflc_fb_ld_u8(p)); break;
        case TFLC_FB_I16: tflc_ir_opt_int(g, node, f->name, tflc_fb_ld_i16(p)); break;
        case TFLC_FB_U16: tflc_ir_opt_int(g, node, f->name, tflc_fb_ld_u16(p)); break;
        case TFLC_FB_I32: tflc_ir_opt_int(g, node, f->name, tflc_fb_ld_i32(p)); break;
        case TFLC_FB_U32: tflc_ir_opt_int(g, node, f->name, tflc_fb_ld_u32(p)); break;
        case TFLC_FB_I64: tflc_ir_opt_int(g, node, f->name, tflc_fb_ld_i64(p)); break;
        case TFLC_FB_U64: tflc_ir_opt_int(g, node, f->name, (int64_t)tflc_fb_ld_u64(p)); break;
        case TFLC_FB_F32: tflc_ir_opt_float(g, node, f->name, tflc_fb_ld_f32(p)); break;
        case TFLC_FB_F64: tflc_ir_opt_float(g, node, f->name, tflc_fb_ld_f64(p)); break;
        default: break; /* nested tables (e.g. StableHLO) are not imported */
        }
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_tflite_import(const void *buf, size_t len, struct tflc_ir_graph *g, struct tflc_diag *diag) {
    (void)len;
    struct tflc_fb_table m = tflc_tfl_model(buf);
    struct tflc_fb_vec sgs = tflc_tfl_model_subgraphs(m);
    if (sgs.len != 1) return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "models with %u subgraphs (control flow) are not supported", sgs.len);
    struct tflc_fb_table sg = tflc_fb_vec_table(sgs, 0);
    struct tflc_fb_vec ts = tflc_tfl_sub_graph_tensors(sg);
    for (uint32_t i = 0; i < ts.len; i++) {
        struct tflc_fb_table t = tflc_fb_vec_table(ts, i);
        struct tflc_fb_vec shape = tflc_tfl_tensor_shape(t);
        int32_t dims[TFLC_MAX_RANK];
        for (uint32_t d = 0; d < shape.len; d++) dims[d] = tflc_fb_vec_i32(shape, d);
        struct tflc_fb_str nm = tflc_tfl_tensor_name(t);
        enum tflc_dtype dt = (enum tflc_dtype)tflc_tfl_tensor_type(t);
        const uint8_t *data;
        uint64_t size;
        tflc_tfl_buffer_bytes(buf, tflc_tfl_tensor_buffer(t), &data, &size);
        int32_t id;
        if (size) {
            if (!tflc_dtype_size(dt)) return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "tensor %u: constant of type %s", i, tflc_dtype_name(dt));
            id = tflc_ir_const(g, nm.data ? nm.data : "", dt, (int)shape.len, dims, data);
        } else {
            id = tflc_ir_tensor(g, nm.data ? nm.data : "", dt, (int)shape.len, dims);
        }
        if (id < 0) return diag && diag->status ? diag->status : TFLC_STATUS_OUT_OF_MEMORY;
        struct tflc_ir_tensor *it = &g->t[id];
        it->is_variable = tflc_tfl_tensor_is_variable(t);
        struct tflc_fb_vec sig = tflc_tfl_tensor_shape_signature(t);
        it->dynamic_batch = sig.len > 0 && tflc_fb_vec_i32(sig, 0) == -1;
        struct tflc_fb_table q = tflc_tfl_tensor_quantization(t);
        struct tflc_fb_vec sc = q.off ? tflc_tfl_quantization_parameters_scale(q) : (struct tflc_fb_vec){0};
        if (sc.len) {
            struct tflc_fb_vec zp = tflc_tfl_quantization_parameters_zero_point(q);
            it->q.count = (int32_t)sc.len;
            it->q.scale = tflc_arena_array(&g->arena, sc.len, sizeof(float), "scales");
            it->q.zero_point = tflc_arena_array(&g->arena, sc.len, sizeof(int64_t), "zero points");
            if (!it->q.scale || !it->q.zero_point) return TFLC_STATUS_OUT_OF_MEMORY;
            for (uint32_t k = 0; k < sc.len; k++) {
                it->q.scale[k] = tflc_fb_vec_f32(sc, k);
                it->q.zero_point[k] = k < zp.len ? tflc_fb_vec_i64(zp, k) : 0;
            }
            it->q.axis = tflc_tfl_quantization_parameters_quantized_dimension(q);
        }
    }
    struct tflc_fb_vec ocs = tflc_tfl_model_operator_codes(m);
    struct tflc_fb_vec ops = tflc_tfl_sub_graph_operators(sg);
    for (uint32_t k = 0; k < ops.len; k++) {
        struct tflc_fb_table op = tflc_fb_vec_table(ops, k);
        struct tflc_fb_table oc = tflc_fb_vec_table(ocs, tflc_tfl_operator_opcode_index(op));
        int32_t code = tflc_tfl_opcode_code(oc);
        if (code == TFLC_TFL_BUILTIN_OPERATOR_CUSTOM)
            return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "operator %u: custom ops cannot be re-exported", k);
        struct tflc_fb_vec in = tflc_tfl_operator_inputs(op), out = tflc_tfl_operator_outputs(op);
        int32_t iv[4096], ov[4096];
        if (in.len > 4096 || out.len > 4096) return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "operator %u: too many inputs", k);
        for (uint32_t i = 0; i < in.len; i++) iv[i] = tflc_fb_vec_i32(in, i);
        for (uint32_t i = 0; i < out.len; i++) ov[i] = tflc_fb_vec_i32(out, i);
        char name[32];
        snprintf(name, sizeof name, "op%u", k);
        int32_t node = tflc_ir_node(g, code, name, iv, (int)in.len, ov, (int)out.len);
        if (node < 0) return diag && diag->status ? diag->status : TFLC_STATUS_OUT_OF_MEMORY;
        struct tflc_fb_vec inter = tflc_tfl_operator_intermediates(op);
        if (inter.len) {
            g->n[node].inter = tflc_arena_array(&g->arena, inter.len, sizeof(int32_t), "intermediates");
            if (!g->n[node].inter) return TFLC_STATUS_OUT_OF_MEMORY;
            for (uint32_t i = 0; i < inter.len; i++) g->n[node].inter[i] = tflc_fb_vec_i32(inter, i);
            g->n[node].ninter = (int32_t)inter.len;
        }
        enum tflc_status st = import_options(g, node, op, diag);
        if (st) return st;
    }
    struct tflc_fb_vec gi = tflc_tfl_sub_graph_inputs(sg), go = tflc_tfl_sub_graph_outputs(sg);
    g->ninputs = (int32_t)gi.len;
    g->noutputs = (int32_t)go.len;
    g->inputs = tflc_arena_array(&g->arena, gi.len ? gi.len : 1, sizeof(int32_t), "inputs");
    g->outputs = tflc_arena_array(&g->arena, go.len ? go.len : 1, sizeof(int32_t), "outputs");
    g->input_names = tflc_arena_array(&g->arena, gi.len ? gi.len : 1, sizeof(char *), "input names");
    g->output_names = tflc_arena_array(&g->arena, go.len ? go.len : 1, sizeof(char *), "output names");
    if (!g->inputs || !g->outputs || !g->input_names || !g->output_names) return TFLC_STATUS_OUT_OF_MEMORY;
    for (uint32_t i = 0; i < gi.len; i++) { g->inputs[i] = tflc_fb_vec_i32(gi, i); g->input_names[i] = g->t[g->inputs[i]].name; }
    for (uint32_t i = 0; i < go.len; i++) { g->outputs[i] = tflc_fb_vec_i32(go, i); g->output_names[i] = g->t[g->outputs[i]].name; }
    /* Signature names, when the model has a serving_default signature. */
    struct tflc_fb_vec sigs = tflc_tfl_model_signature_defs(m);
    if (sigs.len) {
        struct tflc_fb_table s = tflc_fb_vec_table(sigs, 0);
        for (int io = 0; io < 2; io++) {
            struct tflc_fb_vec v = io ? tflc_tfl_signature_def_outputs(s) : tflc_tfl_signature_def_inputs(s);
            for (uint32_t k = 0; k < v.len; k++) {
                struct tflc_fb_table tm = tflc_fb_vec_table(v, k);
                struct tflc_fb_str n = tflc_tfl_tensor_map_name(tm);
                uint32_t ti = tflc_tfl_tensor_map_tensor_index(tm);
                int32_t cnt = io ? g->noutputs : g->ninputs;
                const int32_t *ids = io ? g->outputs : g->inputs;
                const char **names = io ? g->output_names : g->input_names;
                for (int32_t j = 0; j < cnt && n.data; j++)
                    if ((uint32_t)ids[j] == ti) names[j] = tflc_arena_strdup(&g->arena, n.data);
            }
        }
    }
    return TFLC_STATUS_OK;
}
