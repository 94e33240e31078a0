/* Semantic verification of a .tflite model, after the structural flatbuffer verifier.
 *
 * Checks: schema version 3; counts within limits; every tensor / buffer / opcode / subgraph
 * index in range; tensor types known; ranks <= TFLC_MAX_RANK and dims >= 0 (-1 only in
 * shape_signature); dense constant buffers exactly elements x dtype size; external buffer
 * ranges inside the file; quantization parameters consistent (as many zero points as scales,
 * 1 scale or one per channel of quantized_dimension, scales finite and > 0, zero points in the
 * dtype's range); builtin options of the type the op expects; every op input defined before
 * use (constant, graph input, variable or produced earlier); signature and metadata indices.
 * Messages name the object: "subgraphs[0].tensors[12] 'conv/w': ...". No heap use: the
 * def-before-use bitmap lives in caller-provided scratch. */
#include <math.h>
#include <string.h>

#include "base/checked_math.h"
#include "format/tflite_model.h"

#define INVALID TFLC_STATUS_INVALID_MODEL

static const char *tname(struct tflc_fb_table t) {
    struct tflc_fb_str s = tflc_tfl_tensor_name(t);
    return s.data ? s.data : "";
}

static bool zp_in_range(int type, int64_t zp) {
    switch (type) {
    case TFLC_TFL_TENSOR_TYPE_INT8: return zp >= -128 && zp <= 127;
    case TFLC_TFL_TENSOR_TYPE_UINT8: return zp >= 0 && zp <= 255;
    case TFLC_TFL_TENSOR_TYPE_INT16: return zp >= -32768 && zp <= 32767;
    case TFLC_TFL_TENSOR_TYPE_UINT16: return zp >= 0 && zp <= 65535;
    case TFLC_TFL_TENSOR_TYPE_INT4: return zp >= -8 && zp <= 7;
    case TFLC_TFL_TENSOR_TYPE_UINT4: return zp >= 0 && zp <= 15;
    case TFLC_TFL_TENSOR_TYPE_INT32: return zp >= INT32_MIN && zp <= INT32_MAX;
    default: return true;
    }
}

static enum tflc_status verify_tensor(const void *buf, size_t len, struct tflc_fb_table model,
                                      uint32_t sg, uint32_t ti, struct tflc_fb_table t,
                                      const struct tflc_tfl_limits *lim, struct tflc_diag *diag) {
    int type = tflc_tfl_tensor_type(t);
    const char *nm = tname(t);
    if (!tflc_tfl_dtype_name(type))
        return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': unknown tensor type %d", sg, ti, nm, type);
    struct tflc_fb_vec shape = tflc_tfl_tensor_shape(t);
    if (shape.len > TFLC_MAX_RANK)
        return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': rank %u exceeds %d", sg, ti, nm, shape.len, TFLC_MAX_RANK);
    uint64_t n = 1;
    for (uint32_t d = 0; d < shape.len; d++) {
        int32_t v = tflc_fb_vec_i32(shape, d);
        if (v < 0)
            return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': negative dimension %d", sg, ti, nm, v);
        n *= (uint64_t)v;
        if (n > lim->max_elements)
            return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': more than %llu elements", sg, ti, nm,
                                 (unsigned long long)lim->max_elements);
    }
    struct tflc_fb_vec sig = tflc_tfl_tensor_shape_signature(t);
    if (sig.data) {
        if (sig.len != shape.len)
            return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': shape_signature rank %u != shape rank %u", sg, ti, nm, sig.len, shape.len);
        for (uint32_t d = 0; d < sig.len; d++) {
            int32_t s = tflc_fb_vec_i32(sig, d);
            if (s != -1 && s != tflc_fb_vec_i32(shape, d))
                return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': shape_signature[%u] = %d disagrees with shape", sg, ti, nm, d, s);
        }
    }
    uint32_t nbuf = tflc_tfl_model_buffers(model).len;
    uint32_t bi = tflc_tfl_tensor_buffer(t);
    if (bi >= nbuf)
        return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': buffer %u out of range (%u buffers)", sg, ti, nm, bi, nbuf);
    const uint8_t *data;
    uint64_t size, want;
    tflc_tfl_buffer_bytes(buf, bi, &data, &size);
    (void)len;
    if (size && !tflc_tfl_tensor_sparsity(t).off && tflc_tfl_dense_bytes(type, n, &want) && want != size)
        return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': buffer %u holds %llu bytes, %llu %s elements need %llu",
                             sg, ti, nm, bi, (unsigned long long)size, (unsigned long long)n,
                             tflc_tfl_dtype_name(type), (unsigned long long)want);

    struct tflc_fb_table q = tflc_tfl_tensor_quantization(t);
    if (q.off) {
        struct tflc_fb_vec sc = tflc_tfl_quantization_parameters_scale(q);
        struct tflc_fb_vec zp = tflc_tfl_quantization_parameters_zero_point(q);
        int32_t qd = tflc_tfl_quantization_parameters_quantized_dimension(q);
        if (sc.len || zp.len) {
            if (zp.len && zp.len != sc.len)
                return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': %u scales but %u zero points", sg, ti, nm, sc.len, zp.len);
            if (sc.len > 1) {
                if (qd < 0 || (uint32_t)qd >= shape.len)
                    return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': quantized_dimension %d out of range for rank %u", sg, ti, nm, qd, shape.len);
                if ((uint32_t)tflc_fb_vec_i32(shape, (uint32_t)qd) != sc.len)
                    return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': %u scales for %d channels of dimension %d", sg, ti, nm, sc.len, tflc_fb_vec_i32(shape, (uint32_t)qd), qd);
            }
            for (uint32_t i = 0; i < sc.len; i++) {
                float s = tflc_fb_vec_f32(sc, i);
                if (!(isfinite(s) && s > 0.0f))
                    return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': scale[%u] = %g is not finite and > 0", sg, ti, nm, i, (double)s);
            }
            for (uint32_t i = 0; i < zp.len; i++) {
                int64_t z = tflc_fb_vec_i64(zp, i);
                if (!zp_in_range(type, z))
                    return tflc_diag_set(diag, INVALID, "subgraphs[%u].tensors[%u] '%s': zero_point[%u] = %lld out of range for %s", sg, ti, nm, i, (long long)z, tflc_tfl_dtype_name(type));
            }
        }
    }
    return TFLC_STATUS_OK;
}

static bool bit_get(const uint8_t *b, uint32_t i) { return (b[i >> 3] >> (i & 7)) & 1; }
static void bit_set(uint8_t *b, uint32_t i) { b[i >> 3] |= (uint8_t)(1u << (i & 7)); }

static enum tflc_status check_index_vec(struct tflc_fb_vec v, uint32_t ntensors, bool allow_neg,
                                        uint32_t sg, const char *what, int64_t op, uint32_t max,
                                        struct tflc_diag *diag) {
    if (v.len > max) {
        if (op >= 0)
            return tflc_diag_set(diag, INVALID, "subgraphs[%u].operators[%lld]: %u %s exceed the limit of %u", sg,
                                 (long long)op, v.len, what, max);
        return tflc_diag_set(diag, INVALID, "subgraphs[%u]: %u %s exceed the limit of %u", sg, v.len, what, max);
    }
    for (uint32_t i = 0; i < v.len; i++) {
        int32_t x = tflc_fb_vec_i32(v, i);
        if ((x < 0 && !(allow_neg && x == -1)) || (x >= 0 && (uint32_t)x >= ntensors)) {
            if (op >= 0)
                return tflc_diag_set(diag, INVALID, "subgraphs[%u].operators[%lld]: %s[%u] = %d out of range (%u tensors)", sg, (long long)op, what, i, x, ntensors);
            return tflc_diag_set(diag, INVALID, "subgraphs[%u]: %s[%u] = %d out of range (%u tensors)", sg, what, i, x, ntensors);
        }
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status verify_subgraph(const void *buf, size_t len, struct tflc_fb_table model, uint32_t sg,
                                        const struct tflc_tfl_limits *lim, uint8_t *bits, size_t bits_size,
                                        struct tflc_diag *diag) {
    struct tflc_fb_table g = tflc_fb_vec_table(tflc_tfl_model_subgraphs(model), sg);
    struct tflc_fb_vec tensors = tflc_tfl_sub_graph_tensors(g);
    struct tflc_fb_vec ops = tflc_tfl_sub_graph_operators(g);
    struct tflc_fb_vec opcodes = tflc_tfl_model_operator_codes(model);
    uint32_t nt = tensors.len;
    enum tflc_status st;
    if (nt > lim->max_tensors)
        return tflc_diag_set(diag, INVALID, "subgraphs[%u]: %u tensors exceed the limit of %u", sg, nt, lim->max_tensors);
    if (ops.len > lim->max_operators)
        return tflc_diag_set(diag, INVALID, "subgraphs[%u]: %u operators exceed the limit of %u", sg, ops.len, lim->max_operators);
    for (uint32_t i = 0; i < nt; i++)
        if ((st = verify_tensor(buf, len, model, sg, i, tflc_fb_vec_table(tensors, i), lim, diag))) return st;
    if ((st = check_index_vec(tflc_tfl_sub_graph_inputs(g), nt, false, sg, "inputs", -1, lim->max_tensors, diag))) return st;
    if ((st = check_index_vec(tflc_tfl_sub_graph_outputs(g), nt, false, sg, "outputs", -1, lim->max_tensors, diag))) return st;

    for (uint32_t oi = 0; oi < ops.len; oi++) {
        struct tflc_fb_table op = tflc_fb_vec_table(ops, oi);
        uint32_t oc = tflc_tfl_operator_opcode_index(op);
        if (oc >= opcodes.len)
            return tflc_diag_set(diag, INVALID, "subgraphs[%u].operators[%u]: opcode_index %u out of range (%u operator codes)", sg, oi, oc, opcodes.len);
        int32_t code = tflc_tfl_opcode_code(tflc_fb_vec_table(opcodes, oc));
        if ((st = check_index_vec(tflc_tfl_operator_inputs(op), nt, true, sg, "inputs", oi, lim->max_op_inputs, diag))) return st;
        if ((st = check_index_vec(tflc_tfl_operator_outputs(op), nt, true, sg, "outputs", oi, lim->max_op_inputs, diag))) return st;
        if ((st = check_index_vec(tflc_tfl_operator_intermediates(op), nt, true, sg, "intermediates", oi, lim->max_op_inputs, diag))) return st;
        uint8_t ot = tflc_tfl_operator_builtin_options_type(op);
        if (ot != 0 && code >= 0 && code < TFLC_TFL_BUILTIN_OPERATOR_COUNT) {
            uint8_t want = tflc_tfl_builtin_options_of_op[code];
            if (want != 255 && want != ot)
                return tflc_diag_set(diag, INVALID, "subgraphs[%u].operators[%u] (%s): builtin options are %s, expected %s", sg, oi,
                                     tflc_tfl_op_name(code) ? tflc_tfl_op_name(code) : "?",
                                     tflc_tfl_schema.tables[tflc_tfl_schema.unions[TFLC_TFL_U_BUILTIN_OPTIONS].member_table[ot]].name,
                                     tflc_tfl_schema.tables[tflc_tfl_schema.unions[TFLC_TFL_U_BUILTIN_OPTIONS].member_table[want]].name);
        }
    }

    /* Def-before-use: a tensor is available when it is a graph input, variable, constant
     * (buffer with data), has no elements, or was produced by an earlier operator. */
    size_t need = ((size_t)nt + 7) / 8;
    if (need > bits_size)
        return tflc_diag_set(diag, TFLC_STATUS_ARENA_TOO_SMALL, "subgraphs[%u]: verifier scratch of %zu bytes too small (%zu needed)", sg, bits_size, need);
    memset(bits, 0, need);
    struct tflc_fb_vec gin = tflc_tfl_sub_graph_inputs(g);
    for (uint32_t i = 0; i < gin.len; i++) bit_set(bits, (uint32_t)tflc_fb_vec_i32(gin, i));
    for (uint32_t i = 0; i < nt; i++) {
        struct tflc_fb_table t = tflc_fb_vec_table(tensors, i);
        const uint8_t *d;
        uint64_t size;
        tflc_tfl_buffer_bytes(buf, tflc_tfl_tensor_buffer(t), &d, &size);
        struct tflc_fb_vec shape = tflc_tfl_tensor_shape(t);
        bool zero = false;
        for (uint32_t k = 0; shape.data && k < shape.len; k++) zero = zero || tflc_fb_vec_i32(shape, k) == 0;
        if (size || tflc_tfl_tensor_is_variable(t) || zero) bit_set(bits, i);
    }
    for (uint32_t oi = 0; oi < ops.len; oi++) {
        struct tflc_fb_table op = tflc_fb_vec_table(ops, oi);
        struct tflc_fb_vec in = tflc_tfl_operator_inputs(op);
        for (uint32_t k = 0; k < in.len; k++) {
            int32_t x = tflc_fb_vec_i32(in, k);
            if (x >= 0 && !bit_get(bits, (uint32_t)x)) {
                struct tflc_fb_table t = tflc_fb_vec_table(tensors, (uint32_t)x);
                return tflc_diag_set(diag, INVALID, "subgraphs[%u].operators[%u]: input %u (tensor %d '%s') is used before any operator produces it", sg, oi, k, x, tname(t));
            }
        }
        struct tflc_fb_vec out = tflc_tfl_operator_outputs(op);
        for (uint32_t k = 0; k < out.len; k++) {
            int32_t x = tflc_fb_vec_i32(out, k);
            if (x >= 0) bit_set(bits, (uint32_t)x);
        }
    }
    struct tflc_fb_vec gout = tflc_tfl_sub_graph_outputs(g);
    for (uint32_t i = 0; i < gout.len; i++) {
        int32_t x = tflc_fb_vec_i32(gout, i);
        if (!bit_get(bits, (uint32_t)x))
            return tflc_diag_set(diag, INVALID, "subgraphs[%u]: output %u (tensor %d '%s') is never produced", sg, i, x,
                                 tname(tflc_fb_vec_table(tensors, (uint32_t)x)));
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_tfl_verify(const void *buf, size_t len, const struct tflc_tfl_limits *limits,
                                         void *scratch, size_t scratch_size, struct tflc_diag *diag) {
    struct tflc_tfl_limits lim = limits ? *limits : tflc_tfl_limits_default();
    if (len > lim.max_file_bytes)
        return tflc_diag_set(diag, INVALID, "file of %zu bytes exceeds the limit of %llu", len, (unsigned long long)lim.max_file_bytes);
    enum tflc_status st = tflc_fb_verify(buf, len, &tflc_tfl_schema, NULL, diag);
    if (st) return st;
    struct tflc_fb_table m = tflc_tfl_model(buf);
    uint32_t ver = tflc_tfl_model_version(m);
    if (ver != 3) return tflc_diag_set(diag, INVALID, "Model.version is %u, only schema version 3 is supported", ver);
    struct tflc_fb_vec sgs = tflc_tfl_model_subgraphs(m);
    struct tflc_fb_vec bufs = tflc_tfl_model_buffers(m);
    struct tflc_fb_vec ocs = tflc_tfl_model_operator_codes(m);
    if (sgs.len == 0) return tflc_diag_set(diag, INVALID, "Model has no subgraphs");
    if (sgs.len > lim.max_subgraphs)
        return tflc_diag_set(diag, INVALID, "Model has %u subgraphs, the limit is %u", sgs.len, lim.max_subgraphs);
    if (bufs.len > lim.max_buffers)
        return tflc_diag_set(diag, INVALID, "Model has %u buffers, the limit is %u", bufs.len, lim.max_buffers);
    for (uint32_t i = 0; i < ocs.len; i++) {
        struct tflc_fb_table oc = tflc_fb_vec_table(ocs, i);
        if (tflc_tfl_opcode_code(oc) < 0)
            return tflc_diag_set(diag, INVALID, "operator_codes[%u]: negative builtin code %d", i, tflc_tfl_opcode_code(oc));
        if (tflc_tfl_operator_code_version(oc) < 1)
            return tflc_diag_set(diag, INVALID, "operator_codes[%u]: version %d < 1", i, tflc_tfl_operator_code_version(oc));
    }
    for (uint32_t i = 0; i < bufs.len; i++) {
        struct tflc_fb_table b = tflc_fb_vec_table(bufs, i);
        uint64_t off = tflc_tfl_buffer_offset(b), size = tflc_tfl_buffer_size(b);
        if (off > 1 && (off > len || size > len - off))
            return tflc_diag_set(diag, INVALID, "buffers[%u]: external data [%llu, +%llu) lies outside the %zu-byte file", i,
                                 (unsigned long long)off, (unsigned long long)size, len);
        if (off > 1 && tflc_tfl_buffer_data(b).data)
            return tflc_diag_set(diag, INVALID, "buffers[%u]: has both inline data and an external offset", i);
    }
    for (uint32_t sg = 0; sg < sgs.len; sg++)
        if ((st = verify_subgraph(buf, len, m, sg, &lim, (uint8_t *)scratch, scratch_size, diag))) return st;
    struct tflc_fb_vec sigs = tflc_tfl_model_signature_defs(m);
    for (uint32_t i = 0; i < sigs.len; i++) {
        struct tflc_fb_table s = tflc_fb_vec_table(sigs, i);
        uint32_t si = tflc_tfl_signature_def_subgraph_index(s);
        if (si >= sgs.len)
            return tflc_diag_set(diag, INVALID, "signature_defs[%u]: subgraph_index %u out of range", i, si);
        uint32_t nt = tflc_tfl_sub_graph_tensors(tflc_fb_vec_table(sgs, si)).len;
        for (int io = 0; io < 2; io++) {
            struct tflc_fb_vec v = io ? tflc_tfl_signature_def_outputs(s) : tflc_tfl_signature_def_inputs(s);
            for (uint32_t k = 0; k < v.len; k++)
                if (tflc_tfl_tensor_map_tensor_index(tflc_fb_vec_table(v, k)) >= nt)
                    return tflc_diag_set(diag, INVALID, "signature_defs[%u].%s[%u]: tensor_index out of range", i, io ? "outputs" : "inputs", k);
        }
    }
    struct tflc_fb_vec md = tflc_tfl_model_metadata(m);
    for (uint32_t i = 0; i < md.len; i++)
        if (tflc_tfl_metadata_buffer(tflc_fb_vec_table(md, i)) >= bufs.len)
            return tflc_diag_set(diag, INVALID, "metadata[%u]: buffer out of range", i);
    struct tflc_fb_vec mdb = tflc_tfl_model_metadata_buffer(m);
    for (uint32_t i = 0; i < mdb.len; i++) {
        int32_t x = tflc_fb_vec_i32(mdb, i);
        if (x < 0 || (uint32_t)x >= bufs.len)
            return tflc_diag_set(diag, INVALID, "metadata_buffer[%u] = %d out of range", i, x);
    }
    return TFLC_STATUS_OK;
}
