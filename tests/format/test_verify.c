/* Semantic .tflite verifier (src/format/tflite_verify.c): one test per check, each tripping it
 * on a minimal model written by tests/format/mini_model.h; every prefix of small models; and
 * thousands of seeded mutations of real models, each of which must verify or be rejected
 * cleanly. Accepted files are walked through every accessor and rewritten, and the rewrite must
 * verify (run under ASan/UBSan in CI, so any out-of-bounds read is a failure). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format/flatbuf_build.h"
#include "format/mini_model.h"
#include "format/tflite_model.h"
#include "format/tflite_write.h"
#include "test.h"

/* ---- helpers ---- */

static enum tflc_status verify_lim(const void *buf, size_t len, const struct tflc_tfl_limits *lim,
                                   struct tflc_diag *d) {
    size_t ss = TFLC_TFL_VERIFY_SCRATCH(len);
    void *scratch = malloc(ss);
    memset(d, 0, sizeof *d);
    enum tflc_status st = tflc_tfl_verify(buf, len, lim, scratch, ss, d);
    free(scratch);
    return st;
}

/* Builds `s`, verifies it with `lim` (NULL = defaults) and expects INVALID_MODEL with a
 * message containing every one of the NULL-terminated substrings. */
#define EXPECT_INVALID(s, lim, ...) expect_invalid_(__FILE__, __LINE__, (s), (lim), __VA_ARGS__, (const char *)NULL)
static void expect_invalid_(const char *file, int line, const struct mini_spec *s,
                            const struct tflc_tfl_limits *lim, ...) {
    struct tflc_fbb b;
    struct tflc_diag d;
    if (mini_build(s, &b) != TFLC_STATUS_OK) {
        fprintf(stderr, "%s:%d: mini_build failed\n", file, line);
        tflc_cur_failed_ = 1;
        tflc_fbb_free(&b);
        return;
    }
    enum tflc_status st = verify_lim(b.data, b.size, lim, &d);
    if (st != TFLC_STATUS_INVALID_MODEL) {
        fprintf(stderr, "%s:%d: status %s (msg '%s'), expected invalid model\n", file, line,
                tflc_status_str(st), st ? d.msg : "");
        tflc_cur_failed_ = 1;
    } else {
        va_list ap;
        va_start(ap, lim);
        for (const char *sub; (sub = va_arg(ap, const char *)) != NULL;) {
            if (!strstr(d.msg, sub)) {
                fprintf(stderr, "%s:%d: message '%s' lacks '%s'\n", file, line, d.msg, sub);
                tflc_cur_failed_ = 1;
            }
        }
        va_end(ap);
    }
    tflc_fbb_free(&b);
}

#define EXPECT_VALID(s, lim) expect_valid_(__FILE__, __LINE__, (s), (lim))
static void expect_valid_(const char *file, int line, const struct mini_spec *s, const struct tflc_tfl_limits *lim) {
    struct tflc_fbb b;
    struct tflc_diag d;
    enum tflc_status st = mini_build(s, &b);
    if (st == TFLC_STATUS_OK) st = verify_lim(b.data, b.size, lim, &d);
    if (st != TFLC_STATUS_OK) {
        fprintf(stderr, "%s:%d: expected a valid model: %s: %s\n", file, line, tflc_status_str(st), d.msg);
        tflc_cur_failed_ = 1;
    }
    tflc_fbb_free(&b);
}

/* Reads every field of every table reachable from `t` through the generic accessors (and so
 * every byte of every vector and string); returns a checksum so nothing is optimized away. */
static uint64_t walk_table(struct tflc_fb_table t, int table_idx, int depth) {
    const struct tflc_fb_table_desc *td = &tflc_tfl_schema.tables[table_idx];
    uint64_t h = (uint64_t)table_idx;
    if (depth > 64) return h;
    for (uint16_t i = 0; i < td->nfields; i++) {
        const struct tflc_fb_field *f = &td->fields[i];
        if (f->deprecated || !tflc_fb_has(t, f->id)) continue;
        if (f->is_vector) {
            struct tflc_fb_vec v = tflc_fb_get_vec(t, f->id);
            h += v.len;
            for (uint32_t k = 0; k < v.len; k++) {
                if (f->kind == TFLC_FB_STRING) {
                    struct tflc_fb_str s = tflc_fb_vec_str(v, k);
                    h += s.len + (uint8_t)s.data[s.len] + (s.len ? (uint8_t)s.data[0] : 0);
                } else if (f->kind == TFLC_FB_TABLE) {
                    h += walk_table(tflc_fb_vec_table(v, k), f->ref, depth + 1);
                }
            }
            if (f->kind != TFLC_FB_STRING && f->kind != TFLC_FB_TABLE) {
                size_t n = (size_t)v.len * tflc_fb_kind_size((enum tflc_fb_kind)f->kind);
                for (size_t k = 0; k < n; k++) h += v.data[k];
            }
            continue;
        }
        switch ((enum tflc_fb_kind)f->kind) {
        case TFLC_FB_STRING: {
            struct tflc_fb_str s = tflc_fb_get_str(t, f->id);
            h += s.len + (uint8_t)s.data[s.len];
            break;
        }
        case TFLC_FB_TABLE:
            h += walk_table(tflc_fb_get_table(t, f->id), f->ref, depth + 1);
            break;
        case TFLC_FB_UNION: {
            uint8_t type = tflc_fb_get_u8(t, f->id - 1u, 0);
            int member = tflc_tfl_schema.unions[f->ref].member_table[type];
            if (member >= 0) h += walk_table(tflc_fb_get_table(t, f->id), member, depth + 1);
            break;
        }
        default:
            h += tflc_fb_get_u8(t, f->id, 0);
            if (tflc_fb_kind_size((enum tflc_fb_kind)f->kind) == 8) h += tflc_fb_get_u64(t, f->id, 0);
            else if (tflc_fb_kind_size((enum tflc_fb_kind)f->kind) == 4) h += tflc_fb_get_u32(t, f->id, 0);
            else if (tflc_fb_kind_size((enum tflc_fb_kind)f->kind) == 2) h += tflc_fb_get_u16(t, f->id, 0);
        }
    }
    return h;
}

/* The TFLite-level walk a runtime would do on a verified model: every tensor's shape, type,
 * quantization and data (inline or external), every op's code, name and tensors. */
static uint64_t walk_model(const void *buf) {
    struct tflc_fb_table m = tflc_tfl_model(buf);
    uint64_t h = walk_table(m, TFLC_TFL_T_MODEL, 0);
    uint32_t nbuf = tflc_tfl_model_buffers(m).len;
    for (uint32_t i = 0; i < nbuf; i++) {
        const uint8_t *d;
        uint64_t size;
        tflc_tfl_buffer_bytes(buf, i, &d, &size);
        for (uint64_t k = 0; k < size; k++) h += d[k];
    }
    struct tflc_fb_vec ocs = tflc_tfl_model_operator_codes(m);
    struct tflc_fb_vec sgs = tflc_tfl_model_subgraphs(m);
    for (uint32_t s = 0; s < sgs.len; s++) {
        struct tflc_fb_table g = tflc_fb_vec_table(sgs, s);
        struct tflc_fb_vec ts = tflc_tfl_sub_graph_tensors(g);
        for (uint32_t i = 0; i < ts.len; i++) {
            struct tflc_fb_table t = tflc_fb_vec_table(ts, i);
            int type = tflc_tfl_tensor_type(t);
            const char *nm = tflc_tfl_dtype_name(type);
            h += nm ? strlen(nm) : 0;
            h += tflc_tfl_dtype_size(type);
            struct tflc_fb_vec shape = tflc_tfl_tensor_shape(t);
            uint64_t n = 1, bytes = 0;
            for (uint32_t k = 0; k < shape.len; k++) n *= (uint64_t)tflc_fb_vec_i32(shape, k);
            if (tflc_tfl_dense_bytes(type, n, &bytes)) h += bytes;
            const uint8_t *d;
            uint64_t size;
            tflc_tfl_buffer_bytes(buf, tflc_tfl_tensor_buffer(t), &d, &size);
            if (size) h += d[0] + d[size - 1];
            struct tflc_fb_table q = tflc_tfl_tensor_quantization(t);
            if (q.off) {
                struct tflc_fb_vec sc = tflc_tfl_quantization_parameters_scale(q);
                struct tflc_fb_vec zp = tflc_tfl_quantization_parameters_zero_point(q);
                for (uint32_t k = 0; k < sc.len; k++) {
                    float f = tflc_fb_vec_f32(sc, k);
                    uint32_t bits;
                    memcpy(&bits, &f, 4);
                    h += bits + (f > 0.0f);
                }
                for (uint32_t k = 0; k < zp.len; k++) h += (uint64_t)tflc_fb_vec_i64(zp, k);
                int32_t qd = tflc_tfl_quantization_parameters_quantized_dimension(q);
                if (sc.len > 1) h += (uint64_t)tflc_fb_vec_i32(shape, (uint32_t)qd); /* verified in range */
            }
        }
        struct tflc_fb_vec ops = tflc_tfl_sub_graph_operators(g);
        for (uint32_t i = 0; i < ops.len; i++) {
            struct tflc_fb_table op = tflc_fb_vec_table(ops, i);
            struct tflc_fb_table oc = tflc_fb_vec_table(ocs, tflc_tfl_operator_opcode_index(op));
            int32_t code = tflc_tfl_opcode_code(oc);
            const char *nm = tflc_tfl_op_name(code);
            h += (uint64_t)code + (nm ? strlen(nm) : 0);
            struct tflc_fb_vec in = tflc_tfl_operator_inputs(op);
            for (uint32_t k = 0; k < in.len; k++) {
                int32_t x = tflc_fb_vec_i32(in, k);
                if (x >= 0) h += tflc_tfl_tensor_buffer(tflc_fb_vec_table(ts, (uint32_t)x));
            }
            struct tflc_fb_vec out = tflc_tfl_operator_outputs(op);
            for (uint32_t k = 0; k < out.len; k++) {
                int32_t x = tflc_fb_vec_i32(out, k);
                if (x >= 0) h += tflc_tfl_tensor_type(tflc_fb_vec_table(ts, (uint32_t)x));
            }
            uint8_t ot = tflc_tfl_operator_builtin_options_type(op);
            struct tflc_fb_table o = tflc_tfl_operator_builtin_options(op);
            if (ot && o.off) h += walk_table(o, tflc_tfl_schema.unions[TFLC_TFL_U_BUILTIN_OPTIONS].member_table[ot], 0);
        }
    }
    return h;
}

static volatile uint64_t walk_sink;

/* Rewrites a verified model and checks the result verifies, has 16-byte aligned buffer data,
 * an empty buffer 0 when the input had one, and is a fixed point of the rewrite. */
static bool check_rewrite(const void *buf, size_t len, const char *what) {
    struct tflc_fbb b, b2;
    struct tflc_diag d;
    bool ok = true;
    tflc_fbb_init(&b);
    tflc_fbb_init(&b2);
    enum tflc_status st = tflc_tfl_rewrite(buf, len, &b, &d);
    if (st != TFLC_STATUS_OK) {
        TFLC_FAIL_("%s: rewrite failed: %s", what, d.msg);
        ok = false;
        goto done;
    }
    st = verify_lim(b.data, b.size, NULL, &d);
    if (st != TFLC_STATUS_OK) {
        TFLC_FAIL_("%s: the rewrite does not verify: %s", what, d.msg);
        ok = false;
        goto done;
    }
    struct tflc_fb_vec bufs = tflc_tfl_model_buffers(tflc_tfl_model(b.data));
    for (uint32_t i = 0; i < bufs.len; i++) {
        struct tflc_fb_vec v = tflc_tfl_buffer_data(tflc_fb_vec_table(bufs, i));
        if (v.data && ((size_t)(v.data - b.data) % 16) != 0) {
            TFLC_FAIL_("%s: rewritten buffers[%u] data at offset %zu is not 16-byte aligned", what, i,
                       (size_t)(v.data - b.data));
            ok = false;
        }
    }
    /* Canonical form: rewriting the rewrite changes nothing. */
    if (tflc_tfl_rewrite(b.data, b.size, &b2, &d) != TFLC_STATUS_OK || b2.size != b.size ||
        memcmp(b2.data, b.data, b.size) != 0) {
        TFLC_FAIL_("%s: rewrite is not idempotent (%zu vs %zu bytes)", what, b.size, b2.size);
        ok = false;
    }
done:
    tflc_fbb_free(&b);
    tflc_fbb_free(&b2);
    return ok;
}

/* ---- the mini model itself ---- */

TFLC_TEST(mini_model_verifies_and_reads_back) {
    struct mini_spec s = mini_spec_default();
    struct tflc_fbb b;
    struct tflc_diag d;
    TFLC_REQUIRE(mini_build(&s, &b) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(verify_lim(b.data, b.size, NULL, &d), TFLC_STATUS_OK);
    if (tflc_cur_failed_) fprintf(stderr, "  %s\n", d.msg);
    struct tflc_fb_table m = tflc_tfl_model(b.data);
    TFLC_EXPECT_EQ_INT(tflc_tfl_model_version(m), 3);
    TFLC_EXPECT_STR_CONTAINS(tflc_tfl_model_description(m).data, "tflc mini model");
    struct tflc_fb_vec bufs = tflc_tfl_model_buffers(m);
    TFLC_EXPECT_EQ_INT(bufs.len, 4);
    const uint8_t *data;
    uint64_t size;
    tflc_tfl_buffer_bytes(b.data, 0, &data, &size);
    TFLC_EXPECT(data == NULL && size == 0);
    tflc_tfl_buffer_bytes(b.data, 1, &data, &size);
    TFLC_EXPECT_EQ_INT(size, 12);
    TFLC_EXPECT(data && (size_t)(data - b.data) % 16 == 0);
    TFLC_EXPECT_EQ_INT(data[1], 8);
    struct tflc_fb_table g = tflc_fb_vec_table(tflc_tfl_model_subgraphs(m), 0);
    struct tflc_fb_vec ts = tflc_tfl_sub_graph_tensors(g);
    TFLC_EXPECT_EQ_INT(ts.len, 5);
    struct tflc_fb_table w = tflc_fb_vec_table(ts, 1);
    TFLC_EXPECT_STR_CONTAINS(tflc_tfl_tensor_name(w).data, "fc/weights");
    TFLC_EXPECT_EQ_INT(tflc_tfl_tensor_type(w), TFLC_TFL_TENSOR_TYPE_INT8);
    struct tflc_fb_table q = tflc_tfl_tensor_quantization(w);
    TFLC_EXPECT_EQ_INT(tflc_tfl_quantization_parameters_scale(q).len, 4);
    TFLC_EXPECT_NEAR(tflc_fb_vec_f32(tflc_tfl_quantization_parameters_scale(q), 3), 0.04, 1e-7);
    struct tflc_fb_vec sig = tflc_tfl_tensor_shape_signature(tflc_fb_vec_table(ts, 0));
    TFLC_EXPECT(sig.len == 2 && tflc_fb_vec_i32(sig, 0) == -1);
    struct tflc_fb_vec ops = tflc_tfl_sub_graph_operators(g);
    TFLC_EXPECT_EQ_INT(ops.len, 2);
    struct tflc_fb_table op0 = tflc_fb_vec_table(ops, 0);
    TFLC_EXPECT_EQ_INT(tflc_tfl_operator_builtin_options_type(op0), TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS);
    struct tflc_fb_table fo = tflc_tfl_operator_builtin_options(op0);
    TFLC_EXPECT_EQ_INT(tflc_fb_get_i8(fo, TFLC_TFL_FULLY_CONNECTED_OPTIONS_FUSED_ACTIVATION_FUNCTION, 0),
                       TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU);
    struct tflc_fb_table oc = tflc_fb_vec_table(tflc_tfl_model_operator_codes(m), 1);
    TFLC_EXPECT_EQ_INT(tflc_tfl_opcode_code(oc), TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX);
    TFLC_EXPECT_STR_CONTAINS(tflc_tfl_op_name(tflc_tfl_opcode_code(oc)), "SOFTMAX");
    TFLC_EXPECT_EQ_INT(tflc_tfl_model_signature_defs(m).len, 1);
    TFLC_EXPECT_EQ_INT(tflc_tfl_model_metadata(m).len, 1);
    walk_sink = walk_model(b.data);
    check_rewrite(b.data, b.size, "mini model");
    tflc_fbb_free(&b);
}

TFLC_TEST(valid_variations_verify) {
    struct mini_spec s = mini_spec_default();
    s.ops[0].in[2] = -1; /* optional input (no bias) */
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* variable tensors count as defined */
    s.tensors[3].is_variable = true;
    s.nops = 1;
    s.ops[0] = s.ops[1];
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* zero-element tensors count as defined */
    s.tensors[3].shape[0] = 0;
    s.nops = 1;
    s.ops[0] = s.ops[1];
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* optional op output, intermediates in range */
    s.ops[1].nout = 2;
    s.ops[1].out[1] = -1;
    s.ops[1].nint = 1;
    s.ops[1].intermediates[0] = 3;
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* several subgraphs, signature on the last */
    s.nsubgraphs = 3;
    s.sig_subgraph = 2;
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* no quantization, no shape, no options, no name */
    for (int i = 0; i < s.ntensors; i++) s.tensors[i].has_quant = false;
    s.tensors[3].ndims = -1;
    s.tensors[3].name = NULL;
    s.ops[0].opt_type = 0;
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* one scale with a quantized_dimension (legal for per-tensor) */
    s.tensors[3].qdim = 1;
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* scales without zero points */
    s.tensors[1].nzp = -1;
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* quantization table without scales */
    s.tensors[3].nscale = -1;
    s.tensors[3].nzp = -1;
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* an empty data vector is an empty buffer, not a size mismatch */
    s.buffers[0].present_empty = true;
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* deprecated_builtin_code 127 with a large builtin_code */
    s.opcodes[1].deprecated_code = TFLC_TFL_BUILTIN_OPERATOR_PLACEHOLDER_FOR_GREATER_OP_CODES;
    s.opcodes[1].code = 150;
    s.ops[1].opt_type = 0;
    EXPECT_VALID(&s, NULL);

    s = mini_spec_default(); /* options on an op the table does not constrain (CUSTOM) */
    s.opcodes[1] = (struct mini_opcode){TFLC_TFL_BUILTIN_OPERATOR_CUSTOM, TFLC_TFL_BUILTIN_OPERATOR_CUSTOM, 1, "MyOp"};
    EXPECT_VALID(&s, NULL);
}

/* ---- one test per semantic check ---- */

TFLC_TEST(file_size_limit) {
    struct mini_spec s = mini_spec_default();
    struct tflc_tfl_limits lim = tflc_tfl_limits_default();
    lim.max_file_bytes = 100;
    EXPECT_INVALID(&s, &lim, "bytes exceeds the limit of 100");
}

TFLC_TEST(structural_errors_pass_through) {
    struct mini_spec s = mini_spec_default();
    struct tflc_fbb b;
    struct tflc_diag d;
    TFLC_REQUIRE(mini_build(&s, &b) == TFLC_STATUS_OK);
    uint8_t *copy = malloc(b.size);
    memcpy(copy, b.data, b.size);
    memcpy(copy + 4, "TFL2", 4);
    TFLC_EXPECT_EQ_INT(verify_lim(copy, b.size, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "file identifier");
    TFLC_EXPECT_EQ_INT(verify_lim(copy, 3, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "too small");
    TFLC_EXPECT_EQ_INT(verify_lim(NULL, 0, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    free(copy);
    tflc_fbb_free(&b);
}

TFLC_TEST(schema_version) {
    struct mini_spec s = mini_spec_default();
    s.version = 2;
    EXPECT_INVALID(&s, NULL, "Model.version is 2");
    s.version = 0; /* absent field: default 0 */
    EXPECT_INVALID(&s, NULL, "Model.version is 0");
    s.version = 4;
    EXPECT_INVALID(&s, NULL, "Model.version is 4", "version 3");
}

TFLC_TEST(subgraph_count) {
    struct mini_spec s = mini_spec_default();
    s.nsubgraphs = 0;
    EXPECT_INVALID(&s, NULL, "Model has no subgraphs");
    s = mini_spec_default();
    s.nsubgraphs = 2;
    struct tflc_tfl_limits lim = tflc_tfl_limits_default();
    lim.max_subgraphs = 1;
    EXPECT_INVALID(&s, &lim, "Model has 2 subgraphs, the limit is 1");
}

TFLC_TEST(buffer_count_limit) {
    struct mini_spec s = mini_spec_default();
    struct tflc_tfl_limits lim = tflc_tfl_limits_default();
    lim.max_buffers = 3;
    EXPECT_INVALID(&s, &lim, "Model has 4 buffers, the limit is 3");
}

TFLC_TEST(opcode_negative_builtin_code) {
    struct mini_spec s = mini_spec_default();
    s.opcodes[1].deprecated_code = -3;
    s.opcodes[1].code = -7;
    EXPECT_INVALID(&s, NULL, "operator_codes[1]: negative builtin code -3");
}

TFLC_TEST(opcode_version) {
    struct mini_spec s = mini_spec_default();
    s.opcodes[0].version = 0;
    EXPECT_INVALID(&s, NULL, "operator_codes[0]: version 0 < 1");
    s.opcodes[0].version = -5;
    EXPECT_INVALID(&s, NULL, "operator_codes[0]: version -5 < 1");
}

TFLC_TEST(external_buffer_outside_file) {
    struct mini_spec s = mini_spec_default();
    s.buffers[2].len = 0;
    s.buffers[2].offset = 1u << 20;
    s.buffers[2].size = 16;
    EXPECT_INVALID(&s, NULL, "buffers[2]: external data [1048576, +16) lies outside");
    /* offset inside, offset + size wrapping around 2^64 */
    s.buffers[2].offset = 64;
    s.buffers[2].size = UINT64_MAX - 32;
    EXPECT_INVALID(&s, NULL, "buffers[2]: external data", "lies outside");
}

TFLC_TEST(external_buffer_and_inline_data) {
    struct mini_spec s = mini_spec_default();
    s.buffers[2].offset = 8;
    s.buffers[2].size = 16;
    EXPECT_INVALID(&s, NULL, "buffers[2]: has both inline data and an external offset");
}

/* A valid schema-3c model: buffer 2's bytes live after the flatbuffer. The verifier accepts
 * it, the accessors find the bytes and the rewrite moves them inline. */
TFLC_TEST(external_buffer_valid_and_rewritten_inline) {
    struct mini_spec s = mini_spec_default();
    s.buffers[2].len = 0;
    s.buffers[2].offset = 2; /* placeholder: same layout as the final build */
    s.buffers[2].size = 16;
    struct tflc_fbb b;
    TFLC_REQUIRE(mini_build(&s, &b) == TFLC_STATUS_OK);
    size_t fb = (b.size + 15) & ~(size_t)15;
    tflc_fbb_free(&b);
    s.buffers[2].offset = fb;
    TFLC_REQUIRE(mini_build(&s, &b) == TFLC_STATUS_OK);
    TFLC_REQUIRE(b.size <= fb);
    size_t len = fb + 16;
    uint8_t *file = calloc(1, len);
    memcpy(file, b.data, b.size);
    for (int i = 0; i < 16; i++) file[fb + (size_t)i] = (uint8_t)(0xA0 + i);
    tflc_fbb_free(&b);

    struct tflc_diag d;
    TFLC_EXPECT_EQ_INT(verify_lim(file, len, NULL, &d), TFLC_STATUS_OK);
    const uint8_t *data;
    uint64_t size;
    tflc_tfl_buffer_bytes(file, 2, &data, &size);
    TFLC_EXPECT(size == 16 && data == file + fb);
    /* one byte short: the external range leaves the file */
    TFLC_EXPECT_EQ_INT(verify_lim(file, len - 1, NULL, &d), TFLC_STATUS_INVALID_MODEL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "buffers[2]: external data");

    struct tflc_fbb r;
    tflc_fbb_init(&r);
    TFLC_REQUIRE(tflc_tfl_rewrite(file, len, &r, &d) == TFLC_STATUS_OK);
    TFLC_EXPECT_EQ_INT(verify_lim(r.data, r.size, NULL, &d), TFLC_STATUS_OK);
    struct tflc_fb_table rb = tflc_fb_vec_table(tflc_tfl_model_buffers(tflc_tfl_model(r.data)), 2);
    TFLC_EXPECT_EQ_INT(tflc_tfl_buffer_offset(rb), 0);
    struct tflc_fb_vec v = tflc_tfl_buffer_data(rb);
    TFLC_EXPECT(v.len == 16 && v.data && memcmp(v.data, file + fb, 16) == 0);
    TFLC_EXPECT((size_t)(v.data - r.data) % 16 == 0);
    tflc_fbb_free(&r);
    check_rewrite(file, len, "external-buffer model");
    free(file);
}

TFLC_TEST(tensor_and_operator_count_limits) {
    struct mini_spec s = mini_spec_default();
    struct tflc_tfl_limits lim = tflc_tfl_limits_default();
    lim.max_tensors = 4;
    EXPECT_INVALID(&s, &lim, "subgraphs[0]: 5 tensors exceed the limit of 4");
    lim = tflc_tfl_limits_default();
    lim.max_operators = 1;
    EXPECT_INVALID(&s, &lim, "subgraphs[0]: 2 operators exceed the limit of 1");
}

TFLC_TEST(tensor_unknown_type) {
    struct mini_spec s = mini_spec_default();
    s.tensors[3].type = 99;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[3] 'fc/out': unknown tensor type 99");
    s.tensors[3].type = -1;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[3] 'fc/out': unknown tensor type -1");
    s.tensors[3].type = TFLC_TFL_TENSOR_TYPE_COUNT;
    EXPECT_INVALID(&s, NULL, "unknown tensor type 23");
    s.tensors[3].name = NULL; /* unnamed tensors are named '' */
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[3] '': unknown tensor type 23");
}

TFLC_TEST(tensor_rank) {
    struct mini_spec s = mini_spec_default();
    s.tensors[3].ndims = TFLC_MAX_RANK + 1;
    for (int i = 0; i < s.tensors[3].ndims; i++) s.tensors[3].shape[i] = 1;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[3] 'fc/out': rank 9 exceeds 8");
    s.tensors[3].ndims = TFLC_MAX_RANK; /* the maximum itself is fine */
    EXPECT_VALID(&s, NULL);
}

TFLC_TEST(tensor_negative_dimension) {
    struct mini_spec s = mini_spec_default();
    s.tensors[3].shape[1] = -4;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[3] 'fc/out': negative dimension -4");
    s.tensors[3].shape[1] = -1; /* -1 is only allowed in shape_signature */
    EXPECT_INVALID(&s, NULL, "negative dimension -1");
}

TFLC_TEST(tensor_element_count) {
    struct mini_spec s = mini_spec_default();
    s.tensors[3].shape[0] = 65536;
    s.tensors[3].shape[1] = 65536; /* 2^32 > the default 2^31 */
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[3] 'fc/out': more than 2147483648 elements");
    /* eight dimensions of INT32_MAX must not overflow the running product */
    s.tensors[3].ndims = 8;
    for (int i = 0; i < 8; i++) s.tensors[3].shape[i] = INT32_MAX;
    EXPECT_INVALID(&s, NULL, "more than 2147483648 elements");
    s = mini_spec_default();
    struct tflc_tfl_limits lim = tflc_tfl_limits_default();
    lim.max_elements = 11;
    EXPECT_INVALID(&s, &lim, "subgraphs[0].tensors[1] 'fc/weights': more than 11 elements");
}

TFLC_TEST(tensor_shape_signature_rank) {
    struct mini_spec s = mini_spec_default();
    s.tensors[0].nsig = 3;
    s.tensors[0].sig[2] = 1;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[0] 'input': shape_signature rank 3 != shape rank 2");
}

TFLC_TEST(tensor_shape_signature_value) {
    struct mini_spec s = mini_spec_default();
    s.tensors[0].sig[1] = 5;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[0] 'input': shape_signature[1] = 5 disagrees with shape");
    s.tensors[0].sig[1] = -2;
    EXPECT_INVALID(&s, NULL, "shape_signature[1] = -2 disagrees");
}

TFLC_TEST(tensor_buffer_index) {
    struct mini_spec s = mini_spec_default();
    s.tensors[3].buffer = 9;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[3] 'fc/out': buffer 9 out of range (4 buffers)");
    s.tensors[3].buffer = 4;
    EXPECT_INVALID(&s, NULL, "buffer 4 out of range (4 buffers)");
}

TFLC_TEST(tensor_buffer_size) {
    struct mini_spec s = mini_spec_default();
    s.buffers[1].len = 11;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[1] 'fc/weights': buffer 1 holds 11 bytes, 12 INT8 elements need 12");
    s = mini_spec_default();
    s.buffers[2].len = 17;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[2] 'fc/bias': buffer 2 holds 17 bytes, 4 INT32 elements need 16");
    s = mini_spec_default(); /* same buffer, wrong dtype size */
    s.tensors[1].type = TFLC_TFL_TENSOR_TYPE_INT16;
    s.tensors[1].has_quant = false;
    EXPECT_INVALID(&s, NULL, "buffer 1 holds 12 bytes, 12 INT16 elements need 24");
    s = mini_spec_default(); /* INT4 packs two per byte: 12 elements need 6 */
    s.tensors[1].type = TFLC_TFL_TENSOR_TYPE_INT4;
    s.tensors[1].has_quant = false;
    EXPECT_INVALID(&s, NULL, "12 INT4 elements need 6");
    s.buffers[1].len = 6;
    EXPECT_VALID(&s, NULL);
    s = mini_spec_default(); /* sparse tensors hold fewer bytes than dense ones: not checked */
    s.buffers[1].len = 7;
    s.tensors[1].sparse = true;
    EXPECT_VALID(&s, NULL);
}

TFLC_TEST(quant_scale_and_zero_point_counts) {
    struct mini_spec s = mini_spec_default();
    s.tensors[3].nzp = 2;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[3] 'fc/out': 1 scales but 2 zero points");
    s = mini_spec_default();
    s.tensors[3].nscale = 0; /* zero points without scales */
    EXPECT_INVALID(&s, NULL, "0 scales but 1 zero points");
}

TFLC_TEST(quant_dimension_range) {
    struct mini_spec s = mini_spec_default();
    s.tensors[1].qdim = 2;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[1] 'fc/weights': quantized_dimension 2 out of range for rank 2");
    s.tensors[1].qdim = -1;
    EXPECT_INVALID(&s, NULL, "quantized_dimension -1 out of range for rank 2");
}

TFLC_TEST(quant_scale_count_vs_channels) {
    struct mini_spec s = mini_spec_default();
    s.tensors[1].qdim = 1; /* shape [4,3]: 3 channels on axis 1, 4 scales */
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[1] 'fc/weights': 4 scales for 3 channels of dimension 1");
    s = mini_spec_default();
    s.tensors[2].nscale = 3;
    s.tensors[2].nzp = 3;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[2] 'fc/bias': 3 scales for 4 channels of dimension 0");
}

TFLC_TEST(quant_scale_values) {
    static const float bad[] = {0.0f, -0.0f, -1.0f, INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct mini_spec s = mini_spec_default();
        s.tensors[1].scale[2] = bad[i];
        EXPECT_INVALID(&s, NULL, "subgraphs[0].tensors[1] 'fc/weights': scale[2] = ", "is not finite and > 0");
    }
    struct mini_spec s = mini_spec_default();
    s.tensors[3].scale[0] = 1e-45f; /* smallest subnormal: finite and > 0 */
    EXPECT_VALID(&s, NULL);
    s.tensors[3].scale[0] = 3.0e38f;
    EXPECT_VALID(&s, NULL);
}

TFLC_TEST(quant_zero_point_range) {
    static const struct { int8_t type; int64_t zp; bool ok; } cases[] = {
        {TFLC_TFL_TENSOR_TYPE_INT8, -128, true},         {TFLC_TFL_TENSOR_TYPE_INT8, 127, true},
        {TFLC_TFL_TENSOR_TYPE_INT8, 128, false},         {TFLC_TFL_TENSOR_TYPE_INT8, -129, false},
        {TFLC_TFL_TENSOR_TYPE_UINT8, 0, true},           {TFLC_TFL_TENSOR_TYPE_UINT8, 255, true},
        {TFLC_TFL_TENSOR_TYPE_UINT8, 256, false},        {TFLC_TFL_TENSOR_TYPE_UINT8, -1, false},
        {TFLC_TFL_TENSOR_TYPE_INT16, -32768, true},      {TFLC_TFL_TENSOR_TYPE_INT16, 32768, false},
        {TFLC_TFL_TENSOR_TYPE_INT16, -32769, false},     {TFLC_TFL_TENSOR_TYPE_UINT16, 65535, true},
        {TFLC_TFL_TENSOR_TYPE_UINT16, 65536, false},     {TFLC_TFL_TENSOR_TYPE_UINT16, -1, false},
        {TFLC_TFL_TENSOR_TYPE_INT4, -8, true},           {TFLC_TFL_TENSOR_TYPE_INT4, 7, true},
        {TFLC_TFL_TENSOR_TYPE_INT4, 8, false},           {TFLC_TFL_TENSOR_TYPE_INT4, -9, false},
        {TFLC_TFL_TENSOR_TYPE_UINT4, 15, true},          {TFLC_TFL_TENSOR_TYPE_UINT4, 16, false},
        {TFLC_TFL_TENSOR_TYPE_INT32, INT32_MIN, true},   {TFLC_TFL_TENSOR_TYPE_INT32, INT32_MAX, true},
        {TFLC_TFL_TENSOR_TYPE_INT32, (int64_t)INT32_MAX + 1, false},
        {TFLC_TFL_TENSOR_TYPE_INT32, INT64_MIN, false},
        {TFLC_TFL_TENSOR_TYPE_FLOAT32, INT64_MAX, true}, /* no integer range to check */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mini_spec s = mini_spec_default();
        s.tensors[3].type = cases[i].type;
        s.tensors[3].zp[0] = cases[i].zp;
        if (cases[i].ok) {
            EXPECT_VALID(&s, NULL);
        } else {
            char want[160];
            snprintf(want, sizeof want, "subgraphs[0].tensors[3] 'fc/out': zero_point[0] = %lld out of range for %s",
                     (long long)cases[i].zp, tflc_tfl_dtype_name(cases[i].type));
            EXPECT_INVALID(&s, NULL, want);
        }
    }
}

TFLC_TEST(subgraph_io_index_range) {
    struct mini_spec s = mini_spec_default();
    s.inputs[0] = 5;
    EXPECT_INVALID(&s, NULL, "subgraphs[0]: inputs[0] = 5 out of range (5 tensors)");
    s.inputs[0] = -1; /* optional only for op inputs, never for the graph */
    EXPECT_INVALID(&s, NULL, "subgraphs[0]: inputs[0] = -1 out of range");
    s = mini_spec_default();
    s.noutputs = 2;
    s.outputs[1] = 1000;
    EXPECT_INVALID(&s, NULL, "subgraphs[0]: outputs[1] = 1000 out of range (5 tensors)");
}

TFLC_TEST(subgraph_io_count_limit) {
    struct mini_spec s = mini_spec_default();
    struct tflc_tfl_limits lim = tflc_tfl_limits_default();
    lim.max_tensors = 5;
    s.ninputs = 6;
    for (int i = 0; i < 6; i++) s.inputs[i] = 0;
    EXPECT_INVALID(&s, &lim, "subgraphs[0]: 6 inputs exceed the limit of 5");
    s = mini_spec_default();
    s.noutputs = 6;
    for (int i = 0; i < 6; i++) s.outputs[i] = 4;
    EXPECT_INVALID(&s, &lim, "subgraphs[0]: 6 outputs exceed the limit of 5");
}

TFLC_TEST(op_opcode_index_range) {
    struct mini_spec s = mini_spec_default();
    s.ops[1].opcode = 2;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].operators[1]: opcode_index 2 out of range (2 operator codes)");
    s.ops[1].opcode = UINT32_MAX;
    EXPECT_INVALID(&s, NULL, "opcode_index 4294967295 out of range");
}

TFLC_TEST(op_tensor_index_range) {
    struct mini_spec s = mini_spec_default();
    s.ops[0].in[1] = 7;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].operators[0]: inputs[1] = 7 out of range (5 tensors)");
    s.ops[0].in[1] = -2; /* only -1 means "optional" */
    EXPECT_INVALID(&s, NULL, "subgraphs[0].operators[0]: inputs[1] = -2 out of range");
    s = mini_spec_default();
    s.ops[1].out[0] = 5;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].operators[1]: outputs[0] = 5 out of range (5 tensors)");
    s = mini_spec_default();
    s.ops[1].nint = 2;
    s.ops[1].intermediates[0] = 1;
    s.ops[1].intermediates[1] = INT32_MIN;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].operators[1]: intermediates[1] = -2147483648 out of range");
}

TFLC_TEST(op_tensor_count_limit) {
    struct mini_spec s = mini_spec_default();
    struct tflc_tfl_limits lim = tflc_tfl_limits_default();
    lim.max_op_inputs = 2;
    EXPECT_INVALID(&s, &lim, "subgraphs[0].operators[0]: 3 inputs exceed the limit of 2");
    lim.max_op_inputs = 3;
    s.ops[1].nout = 4;
    s.ops[1].out[1] = s.ops[1].out[2] = s.ops[1].out[3] = -1;
    EXPECT_INVALID(&s, &lim, "subgraphs[0].operators[1]: 4 outputs exceed the limit of 3");
    s = mini_spec_default();
    s.ops[1].nint = 4;
    EXPECT_INVALID(&s, &lim, "subgraphs[0].operators[1]: 4 intermediates exceed the limit of 3");
}

TFLC_TEST(op_builtin_options_type) {
    struct mini_spec s = mini_spec_default();
    s.ops[1].opt_type = TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].operators[1] (SOFTMAX): builtin options are FullyConnectedOptions, expected SoftmaxOptions");
    s = mini_spec_default();
    s.ops[0].opt_type = TFLC_TFL_BUILTIN_OPTIONS_RESHAPE_OPTIONS;
    EXPECT_INVALID(&s, NULL, "operators[0] (FULLY_CONNECTED): builtin options are ReshapeOptions, expected FullyConnectedOptions");
}

TFLC_TEST(scratch_too_small) {
    struct mini_spec s = mini_spec_default();
    struct tflc_fbb b;
    struct tflc_diag d;
    TFLC_REQUIRE(mini_build(&s, &b) == TFLC_STATUS_OK);
    uint8_t scratch[1];
    TFLC_EXPECT_EQ_INT(tflc_tfl_verify(b.data, b.size, NULL, scratch, 0, &d), TFLC_STATUS_ARENA_TOO_SMALL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "subgraphs[0]: verifier scratch of 0 bytes too small (1 needed)");
    TFLC_EXPECT_EQ_INT(tflc_tfl_verify(b.data, b.size, NULL, scratch, 1, &d), TFLC_STATUS_OK);
    tflc_fbb_free(&b);
}

TFLC_TEST(op_input_used_before_defined) {
    struct mini_spec s = mini_spec_default();
    struct mini_op tmp = s.ops[0]; /* SOFTMAX before the FULLY_CONNECTED that feeds it */
    s.ops[0] = s.ops[1];
    s.ops[1] = tmp;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].operators[0]: input 0 (tensor 3 'fc/out') is used before any operator produces it");
    s = mini_spec_default(); /* a one-op cycle: FC reads its own output */
    s.ops[0].in[0] = 3;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].operators[0]: input 0 (tensor 3 'fc/out') is used before");
    s = mini_spec_default(); /* the graph input is no longer declared */
    s.inputs[0] = 1;
    EXPECT_INVALID(&s, NULL, "subgraphs[0].operators[0]: input 0 (tensor 0 'input') is used before");
}

TFLC_TEST(graph_output_never_produced) {
    struct mini_spec s = mini_spec_default();
    s.nops = 1;
    EXPECT_INVALID(&s, NULL, "subgraphs[0]: output 0 (tensor 4 'output') is never produced");
}

TFLC_TEST(signature_def_indices) {
    struct mini_spec s = mini_spec_default();
    s.sig_subgraph = 1;
    EXPECT_INVALID(&s, NULL, "signature_defs[0]: subgraph_index 1 out of range");
    s = mini_spec_default();
    s.sig_in_tensor = 5;
    EXPECT_INVALID(&s, NULL, "signature_defs[0].inputs[0]: tensor_index out of range");
    s = mini_spec_default();
    s.sig_out_tensor = 77;
    EXPECT_INVALID(&s, NULL, "signature_defs[0].outputs[0]: tensor_index out of range");
}

TFLC_TEST(metadata_buffer_indices) {
    struct mini_spec s = mini_spec_default();
    s.metadata_buf = 4;
    EXPECT_INVALID(&s, NULL, "metadata[0]: buffer out of range");
    s = mini_spec_default();
    s.nmdbuf = 2;
    s.mdbuf[1] = 4;
    EXPECT_INVALID(&s, NULL, "metadata_buffer[1] = 4 out of range");
    s.mdbuf[1] = -1;
    EXPECT_INVALID(&s, NULL, "metadata_buffer[1] = -1 out of range");
}

/* ---- hostile sharing: one table referenced many times ---- */

enum dag_kind { DAG_TENSOR_SCALES, DAG_OP_INPUTS, DAG_BUFFER_DATA };

/* A model whose subgraph lists `m` references to one tensor with `n` per-channel scales, or
 * `m` references to one op with `n` inputs, or whose buffers list `m` references to one
 * `n`-byte buffer. A tree walk does m x n work on an O(m + n)-byte file. */
static void build_dag(struct tflc_fbb *b, enum dag_kind kind, uint32_t n, uint32_t m) {
    tflc_fbb_init(b);
    uint32_t *refs = malloc(sizeof *refs * m);
    uint8_t *zeros = calloc(n, 8);
    uint32_t empty, buffers;
    tflc_fbb_table_start(b);
    empty = tflc_fbb_table_end(b);
    if (kind == DAG_BUFFER_DATA) {
        uint32_t data = tflc_fbb_vector(b, zeros, n, 1, 16);
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, TFLC_TFL_BUFFER_DATA, data);
        uint32_t full = tflc_fbb_table_end(b);
        refs[0] = empty;
        for (uint32_t i = 1; i < m; i++) refs[i] = full;
        buffers = tflc_fbb_vector_refs(b, refs, m);
    } else {
        buffers = tflc_fbb_vector_refs(b, &empty, 1);
    }
    tflc_fbb_table_start(b);
    tflc_fbb_add_i32(b, TFLC_TFL_OPERATOR_CODE_BUILTIN_CODE, TFLC_TFL_BUILTIN_OPERATOR_ADD_N, 0);
    uint32_t oc = tflc_fbb_table_end(b);
    uint32_t ocs = tflc_fbb_vector_refs(b, &oc, 1);
    int32_t one = (int32_t)(kind == DAG_TENSOR_SCALES ? n : 1);
    uint32_t shape = tflc_fbb_vector(b, &one, 1, 4, 0), q = 0;
    if (kind == DAG_TENSOR_SCALES) {
        float *sc = malloc(sizeof *sc * n);
        for (uint32_t i = 0; i < n; i++) sc[i] = 1.0f;
        uint32_t scv = tflc_fbb_vector(b, sc, n, 4, 0);
        free(sc);
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, TFLC_TFL_QUANTIZATION_PARAMETERS_SCALE, scv);
        q = tflc_fbb_table_end(b);
    }
    tflc_fbb_table_start(b);
    tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_SHAPE, shape);
    tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_QUANTIZATION, q);
    uint32_t t = tflc_fbb_table_end(b);
    uint32_t tensors, ops = 0;
    if (kind == DAG_TENSOR_SCALES) {
        for (uint32_t i = 0; i < m; i++) refs[i] = t;
        tensors = tflc_fbb_vector_refs(b, refs, m);
    } else {
        tensors = tflc_fbb_vector_refs(b, &t, 1);
    }
    if (kind == DAG_OP_INPUTS) {
        uint32_t in = tflc_fbb_vector(b, zeros, n, 4, 0);
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, TFLC_TFL_OPERATOR_INPUTS, in);
        tflc_fbb_add_offset(b, TFLC_TFL_OPERATOR_OUTPUTS, in);
        uint32_t op = tflc_fbb_table_end(b);
        for (uint32_t i = 0; i < m; i++) refs[i] = op;
        ops = tflc_fbb_vector_refs(b, refs, m);
    }
    int32_t zero = 0;
    uint32_t gin = tflc_fbb_vector(b, &zero, 1, 4, 0);
    tflc_fbb_table_start(b);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_TENSORS, tensors);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_INPUTS, gin);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_OPERATORS, ops);
    uint32_t g = tflc_fbb_table_end(b);
    uint32_t sgs = tflc_fbb_vector_refs(b, &g, 1);
    tflc_fbb_table_start(b);
    tflc_fbb_add_u32(b, TFLC_TFL_MODEL_VERSION, 3, 0);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_OPERATOR_CODES, ocs);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_SUBGRAPHS, sgs);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_BUFFERS, buffers);
    uint32_t root = tflc_fbb_table_end(b);
    (void)tflc_fbb_finish(b, root, TFLC_TFL_FILE_IDENTIFIER, NULL);
    free(refs);
    free(zeros);
}

TFLC_TEST(hostile_sharing_is_rejected_quickly) {
    static const struct { enum dag_kind kind; uint32_t n, m; const char *where; } cases[] = {
        {DAG_TENSOR_SCALES, 100000, 100000, "quantization.scale: too many vector elements"},
        {DAG_OP_INPUTS, 4096, 200000, "operators["},
        {DAG_BUFFER_DATA, 1u << 20, 5000, "Model.buffers["}, /* a rewrite would write 5 GB */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tflc_fbb b;
        struct tflc_diag d;
        build_dag(&b, cases[i].kind, cases[i].n, cases[i].m);
        clock_t t0 = clock();
        enum tflc_status st = verify_lim(b.data, b.size, NULL, &d);
        double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
        TFLC_EXPECT_EQ_INT(st, TFLC_STATUS_INVALID_MODEL);
        TFLC_EXPECT_STR_CONTAINS(d.msg, cases[i].where);
        TFLC_EXPECT_STR_CONTAINS(d.msg, "shared too often");
        TFLC_EXPECT_MSG(s < 2.0, "case %zu: %.2f s to verify a %zu-byte file", i, s, b.size);
        tflc_fbb_free(&b);
    }
    /* moderate sharing stays legal */
    struct tflc_fbb b;
    struct tflc_diag d;
    build_dag(&b, DAG_TENSOR_SCALES, 16, 64);
    TFLC_EXPECT_EQ_INT(verify_lim(b.data, b.size, NULL, &d), TFLC_STATUS_OK);
    check_rewrite(b.data, b.size, "shared-tensor model");
    tflc_fbb_free(&b);
}

/* ---- properties: prefixes and mutations ---- */

/* Verifies a private, exactly-sized copy (so ASan sees any read past the end). Returns the
 * status; on OK walks the model and checks its rewrite. */
static enum tflc_status check_bytes(const uint8_t *src, size_t len, const char *what) {
    uint8_t *p = malloc(len ? len : 1);
    if (len) memcpy(p, src, len);
    struct tflc_diag d;
    enum tflc_status st = verify_lim(p, len, NULL, &d);
    if (st == TFLC_STATUS_OK) {
        walk_sink = walk_model(p);
        check_rewrite(p, len, what);
    } else if (st != TFLC_STATUS_INVALID_MODEL) {
        TFLC_FAIL_("%s: status %s, expected ok or invalid model (%s)", what, tflc_status_str(st), d.msg);
    } else if (!d.msg[0]) {
        TFLC_FAIL_("%s: rejected without a message", what);
    }
    free(p);
    return st;
}

static void check_prefixes(const uint8_t *buf, size_t len, const char *name) {
    size_t accepted = 0;
    char what[128];
    for (size_t n = 0; n <= len && !tflc_cur_failed_; n++) {
        snprintf(what, sizeof what, "%s prefix %zu", name, n);
        if (check_bytes(buf, n, what) == TFLC_STATUS_OK) accepted++;
    }
    /* The full file verifies; prefixes can only verify if they drop nothing but padding. */
    TFLC_EXPECT(accepted >= 1);
    TFLC_EXPECT(accepted <= 16);
}

TFLC_TEST(every_prefix_of_mini_model) {
    struct mini_spec s = mini_spec_default();
    struct tflc_fbb b;
    TFLC_REQUIRE(mini_build(&s, &b) == TFLC_STATUS_OK);
    check_prefixes(b.data, b.size, "mini");
    tflc_fbb_free(&b);
}

TFLC_TEST(every_prefix_of_hello_world) {
    const char *sh = tflc_test_shared();
    if (!sh) return;
    char path[1024];
    snprintf(path, sizeof path, "%s/models/tflite/tfmicro_hello_world_int8.tflite", sh);
    size_t len;
    uint8_t *buf = tflc_test_read(path, &len);
    TFLC_REQUIRE(buf != NULL);
    check_prefixes(buf, len, "hello_world_int8");
    free(buf);
}

/* Byte ranges of buffer data in a verified model: mutations mostly avoid them so they hit
 * the structure (offsets, vtables, vectors) rather than weights. */
struct ranges { size_t n; size_t lo[4096], hi[4096]; };

static void data_ranges(const uint8_t *buf, struct ranges *r) {
    r->n = 0;
    uint32_t nb = tflc_tfl_model_buffers(tflc_tfl_model(buf)).len;
    for (uint32_t i = 0; i < nb && r->n < 4096; i++) {
        const uint8_t *d;
        uint64_t size;
        tflc_tfl_buffer_bytes(buf, i, &d, &size);
        if (size < 64) continue;
        r->lo[r->n] = (size_t)(d - buf);
        r->hi[r->n] = (size_t)(d - buf) + (size_t)size;
        r->n++;
    }
}

static size_t pick_pos(const struct ranges *r, size_t len) {
    for (int tries = 0;; tries++) {
        size_t p = (size_t)(tflc_test_rand() % len);
        bool in_data = false;
        for (size_t i = 0; i < r->n && !in_data; i++) in_data = p >= r->lo[i] && p < r->hi[i];
        if (!in_data || tries >= 8) return p;
    }
}

static void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* One seeded mutation of `src` into `dst` (same capacity); returns the new length. */
static size_t mutate(uint8_t *dst, const uint8_t *src, size_t len, const struct ranges *r, int *kind) {
    memcpy(dst, src, len);
    *kind = (int)(tflc_test_rand() % 8);
    size_t p = pick_pos(r, len);
    switch (*kind) {
    case 0: /* a few bit flips */
        for (int i = 0, n = tflc_test_rand_range(1, 4); i < n; i++) {
            size_t q = i ? pick_pos(r, len) : p;
            dst[q] ^= (uint8_t)(1u << (tflc_test_rand() % 8));
        }
        return len;
    case 1: { /* a run of bytes */
        size_t n = (size_t)tflc_test_rand_range(1, 24);
        uint8_t v = (uint8_t)(tflc_test_rand() % 3 == 0 ? 0 : tflc_test_rand() % 2 ? 0xff : tflc_test_rand());
        for (size_t i = 0; i < n && p + i < len; i++) dst[p + i] = tflc_test_rand() % 4 ? v : (uint8_t)tflc_test_rand();
        return len;
    }
    case 2:
    case 3: { /* an aligned 32-bit field (offset, length, soffset, index) set to a hostile value */
        p &= ~(size_t)3;
        if (p + 4 > len) return len;
        const uint32_t vals[] = {0xffffffffu, 0x7fffffffu, 0x80000000u, (uint32_t)len, (uint32_t)len - 4,
                                 (uint32_t)len + 4, 0, 1, 2, 0xfffffffcu, 0x40000001u, 0x20000001u,
                                 (uint32_t)(len - p), (uint32_t)(len - p - 4), (uint32_t)-(int32_t)p};
        put_u32(dst + p, vals[tflc_test_rand() % (sizeof vals / sizeof vals[0])]);
        return len;
    }
    case 4: { /* an aligned 16-bit field (vtable entries) */
        p &= ~(size_t)1;
        if (p + 2 > len) return len;
        const uint16_t vals[] = {0xffff, 0, 1, 2, 3, 4, 5, 0x7fff, 0x8000, 0xfffe};
        uint16_t v = vals[tflc_test_rand() % (sizeof vals / sizeof vals[0])];
        memcpy(dst + p, &v, 2);
        return len;
    }
    case 5: { /* an offset nudged by a small amount */
        p &= ~(size_t)3;
        if (p + 4 > len) return len;
        static const int32_t d[] = {-8, -4, -2, -1, 1, 2, 4, 8, 16, -16};
        put_u32(dst + p, get_u32(dst + p) + (uint32_t)d[tflc_test_rand() % 10]);
        return len;
    }
    case 6: { /* a word copied from elsewhere (pointers into the wrong object) */
        p &= ~(size_t)3;
        size_t q = pick_pos(r, len) & ~(size_t)3;
        if (p + 4 > len || q + 4 > len) return len;
        memcpy(dst + p, src + q, 4);
        return len;
    }
    default: /* truncation */
        return (size_t)(tflc_test_rand() % len);
    }
}

static void mutate_model(const char *file, int count, size_t *accepted, size_t *total) {
    const char *sh = tflc_test_shared();
    if (!sh) return;
    char path[1024];
    snprintf(path, sizeof path, "%s/models/tflite/%s", sh, file);
    size_t len;
    uint8_t *src = tflc_test_read(path, &len);
    TFLC_REQUIRE(src != NULL);
    struct tflc_diag d;
    TFLC_REQUIRE(verify_lim(src, len, NULL, &d) == TFLC_STATUS_OK);
    check_rewrite(src, len, file);
    struct ranges *r = malloc(sizeof *r);
    data_ranges(src, r);
    uint8_t *dst = malloc(len);
    char what[256];
    for (int i = 0; i < count && !tflc_cur_failed_; i++) {
        int kind;
        size_t n = mutate(dst, src, len, r, &kind);
        snprintf(what, sizeof what, "%s mutation %d (kind %d, %zu bytes)", file, i, kind, n);
        if (check_bytes(dst, n, what) == TFLC_STATUS_OK) (*accepted)++;
        (*total)++;
    }
    free(dst);
    free(r);
    free(src);
}

TFLC_TEST(seeded_mutations_of_real_models) {
    static const struct { const char *file; int count; } models[] = {
        {"tfmicro_hello_world_int8.tflite", 1500},
        {"tfmicro_mnist_lstm_int8.tflite", 1500},
        {"tfmicro_micro_speech_quantized.tflite", 1500},
        {"mlctiny_kws_dscnn_int8.tflite", 1500},
        {"mediapipe_face_detection_short_range_fp16.tflite", 800},
    };
    /* TFLC_TEST_MUTATIONS=N scales every model's count to N (soak runs); pair with
     * TFLC_TEST_SEED to explore other mutations. */
    const char *env = getenv("TFLC_TEST_MUTATIONS");
    int override = env ? atoi(env) : 0;
    size_t accepted = 0, total = 0;
    clock_t t0 = clock();
    for (size_t i = 0; i < sizeof models / sizeof models[0] && !tflc_cur_failed_; i++)
        mutate_model(models[i].file, override > 0 ? override : models[i].count, &accepted, &total);
    if (total)
        printf("  %zu mutations, %zu accepted (walked + rewritten), %zu rejected, %.1f s\n", total, accepted,
               total - accepted, (double)(clock() - t0) / CLOCKS_PER_SEC);
    if (total && override <= 0) TFLC_EXPECT(total >= 3000);
}

TFLC_TEST_MAIN()
