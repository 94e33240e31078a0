/* Test helper: writes a minimal, valid .tflite with our flatbuffer builder, described by a
 * plain struct so a test can break exactly one thing and expect exactly one diagnostic.
 *
 *   struct mini_spec s = mini_spec_default();
 *   s.tensors[1].type = 99;                      // unknown tensor type
 *   struct tflc_fbb b;
 *   mini_build(&s, &b);                          // b.data / b.size, free with tflc_fbb_free
 *
 * The default model (schema version 3, buffer 0 empty) is a quantized two-op graph:
 *   t0 'input'       INT8  [1,3]  scale 0.5 zp -1, shape_signature [-1,3]  (graph input)
 *   t1 'fc/weights'  INT8  [4,3]  buffer 1 (12 B), per-channel: 4 scales on axis 0
 *   t2 'fc/bias'     INT32 [4]    buffer 2 (16 B), 4 scales on axis 0
 *   t3 'fc/out'      INT8  [1,4]  scale 0.25 zp 3
 *   t4 'output'      INT8  [1,4]  scale 1/256 zp -128                      (graph output)
 *   op0 FULLY_CONNECTED(t0, t1, t2) -> t3, FullyConnectedOptions{RELU, keep_num_dims}
 *   op1 SOFTMAX(t3) -> t4, SoftmaxOptions{beta 1}
 * plus a description, signature def "serving_default" (x -> t0, y -> t4), metadata
 * "min_runtime_version" in buffer 3 and metadata_buffer [3].
 * Only test code includes this (every function is static inline). */
#ifndef TFLC_TESTS_MINI_MODEL_H
#define TFLC_TESTS_MINI_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "format/flatbuf_build.h"
#include "format/tflite_schema.h"

#define MINI_MAX_DIMS 12
#define MINI_MAX_Q 8
#define MINI_MAX_IO 8

struct mini_tensor {
    const char *name;
    int8_t type;
    int ndims;                      /* -1 = no shape vector */
    int32_t shape[MINI_MAX_DIMS];
    int nsig;                       /* -1 = no shape_signature */
    int32_t sig[MINI_MAX_DIMS];
    uint32_t buffer;
    bool has_quant;                 /* writes a QuantizationParameters table */
    int nscale;                     /* -1 = no scale vector */
    float scale[MINI_MAX_Q];
    int nzp;                        /* -1 = no zero_point vector */
    int64_t zp[MINI_MAX_Q];
    int32_t qdim;
    bool is_variable;
    bool sparse;                    /* writes an (empty) SparsityParameters table */
};

struct mini_op {
    uint32_t opcode;
    int nin, nout;
    int32_t in[MINI_MAX_IO], out[MINI_MAX_IO];
    int nint;                       /* intermediates; 0 = none */
    int32_t intermediates[MINI_MAX_IO];
    uint8_t opt_type;               /* BuiltinOptions member; 0 = none */
};

struct mini_opcode {
    int8_t deprecated_code;
    int32_t code;
    int32_t version;
    const char *custom;
};

struct mini_buffer {
    uint32_t len;                   /* inline data bytes (from `data`, or a pattern if NULL) */
    const uint8_t *data;
    bool present_empty;             /* write an empty data vector when len == 0 */
    uint64_t offset, size;          /* external data (schema 3c); offset 0 = none */
};

struct mini_spec {
    uint32_t version;
    const char *description;
    int nbuffers;
    struct mini_buffer buffers[8];
    int nopcodes;
    struct mini_opcode opcodes[4];
    int nsubgraphs;                 /* 0..8, each a copy of the one described below */
    int ntensors;
    struct mini_tensor tensors[10];
    int nops;
    struct mini_op ops[4];
    int ninputs, noutputs;
    int32_t inputs[MINI_MAX_IO], outputs[MINI_MAX_IO];
    bool signature;
    uint32_t sig_subgraph, sig_in_tensor, sig_out_tensor;
    bool metadata;
    uint32_t metadata_buf;
    int nmdbuf;
    int32_t mdbuf[2];
};

static const uint8_t mini_min_runtime[16] = "1.14.0";

static inline struct mini_tensor mini_qtensor(const char *name, int8_t type, int ndims, const int32_t *shape,
                                       uint32_t buffer, int nscale, const float *scale,
                                       const int64_t *zp, int32_t qdim) {
    struct mini_tensor t;
    memset(&t, 0, sizeof t);
    t.name = name;
    t.type = type;
    t.ndims = ndims;
    memcpy(t.shape, shape, sizeof(int32_t) * (size_t)ndims);
    t.nsig = -1;
    t.buffer = buffer;
    t.has_quant = nscale > 0;
    t.nscale = nscale > 0 ? nscale : -1;
    t.nzp = nscale > 0 ? nscale : -1;
    for (int i = 0; i < nscale; i++) {
        t.scale[i] = scale[i];
        t.zp[i] = zp[i];
    }
    t.qdim = qdim;
    return t;
}

static inline struct mini_spec mini_spec_default(void) {
    struct mini_spec s;
    memset(&s, 0, sizeof s);
    s.version = 3;
    s.description = "tflc mini model";
    s.nbuffers = 4;
    s.buffers[1].len = 12;
    s.buffers[2].len = 16;
    s.buffers[3].len = sizeof mini_min_runtime;
    s.buffers[3].data = mini_min_runtime;
    s.nopcodes = 2;
    s.opcodes[0] = (struct mini_opcode){TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED,
                                        TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED, 9, NULL};
    s.opcodes[1] = (struct mini_opcode){TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX, TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX, 2, NULL};
    s.nsubgraphs = 1;
    s.ntensors = 5;
    static const float s_in[] = {0.5f}, s_w[] = {0.01f, 0.02f, 0.03f, 0.04f},
                       s_b[] = {0.005f, 0.01f, 0.015f, 0.02f}, s_fc[] = {0.25f}, s_out[] = {1.0f / 256};
    static const int64_t z_in[] = {-1}, z_w[] = {0, 0, 0, 0}, z_fc[] = {3}, z_out[] = {-128};
    static const int32_t sh13[] = {1, 3}, sh43[] = {4, 3}, sh4[] = {4}, sh14[] = {1, 4};
    s.tensors[0] = mini_qtensor("input", TFLC_TFL_TENSOR_TYPE_INT8, 2, sh13, 0, 1, s_in, z_in, 0);
    s.tensors[0].nsig = 2;
    s.tensors[0].sig[0] = -1;
    s.tensors[0].sig[1] = 3;
    s.tensors[1] = mini_qtensor("fc/weights", TFLC_TFL_TENSOR_TYPE_INT8, 2, sh43, 1, 4, s_w, z_w, 0);
    s.tensors[2] = mini_qtensor("fc/bias", TFLC_TFL_TENSOR_TYPE_INT32, 1, sh4, 2, 4, s_b, z_w, 0);
    s.tensors[3] = mini_qtensor("fc/out", TFLC_TFL_TENSOR_TYPE_INT8, 2, sh14, 0, 1, s_fc, z_fc, 0);
    s.tensors[4] = mini_qtensor("output", TFLC_TFL_TENSOR_TYPE_INT8, 2, sh14, 0, 1, s_out, z_out, 0);
    s.nops = 2;
    s.ops[0] = (struct mini_op){.opcode = 0, .nin = 3, .nout = 1, .in = {0, 1, 2}, .out = {3},
                                .opt_type = TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS};
    s.ops[1] = (struct mini_op){.opcode = 1, .nin = 1, .nout = 1, .in = {3}, .out = {4},
                                .opt_type = TFLC_TFL_BUILTIN_OPTIONS_SOFTMAX_OPTIONS};
    s.ninputs = 1;
    s.inputs[0] = 0;
    s.noutputs = 1;
    s.outputs[0] = 4;
    s.signature = true;
    s.sig_subgraph = 0;
    s.sig_in_tensor = 0;
    s.sig_out_tensor = 4;
    s.metadata = true;
    s.metadata_buf = 3;
    s.nmdbuf = 1;
    s.mdbuf[0] = 3;
    return s;
}

static inline uint32_t mini_i32_vec(struct tflc_fbb *b, const int32_t *v, int n) {
    return tflc_fbb_vector(b, v, (size_t)n, 4, 0);
}

static inline uint32_t mini_options(struct tflc_fbb *b, uint8_t type) {
    tflc_fbb_table_start(b);
    switch (type) {
    case TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS:
        tflc_fbb_add_i8(b, TFLC_TFL_FULLY_CONNECTED_OPTIONS_FUSED_ACTIVATION_FUNCTION,
                        TFLC_TFL_ACTIVATION_FUNCTION_TYPE_RELU, 0);
        tflc_fbb_add_bool(b, TFLC_TFL_FULLY_CONNECTED_OPTIONS_KEEP_NUM_DIMS, true, false);
        break;
    case TFLC_TFL_BUILTIN_OPTIONS_SOFTMAX_OPTIONS:
        tflc_fbb_add_f32(b, TFLC_TFL_SOFTMAX_OPTIONS_BETA, 1.0f, 0.0f);
        break;
    default: /* any other member: an empty table is a valid instance */
        break;
    }
    return tflc_fbb_table_end(b);
}

static inline uint32_t mini_tensor_ref(struct tflc_fbb *b, const struct mini_tensor *t) {
    uint32_t shape = t->ndims >= 0 ? mini_i32_vec(b, t->shape, t->ndims) : 0;
    uint32_t sig = t->nsig >= 0 ? mini_i32_vec(b, t->sig, t->nsig) : 0;
    uint32_t name = t->name ? tflc_fbb_string(b, t->name, strlen(t->name)) : 0;
    uint32_t q = 0;
    if (t->has_quant) {
        uint32_t sc = t->nscale >= 0 ? tflc_fbb_vector(b, t->scale, (size_t)t->nscale, 4, 0) : 0;
        uint32_t zp = t->nzp >= 0 ? tflc_fbb_vector(b, t->zp, (size_t)t->nzp, 8, 0) : 0;
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, TFLC_TFL_QUANTIZATION_PARAMETERS_SCALE, sc);
        tflc_fbb_add_offset(b, TFLC_TFL_QUANTIZATION_PARAMETERS_ZERO_POINT, zp);
        tflc_fbb_add_i32(b, TFLC_TFL_QUANTIZATION_PARAMETERS_QUANTIZED_DIMENSION, t->qdim, 0);
        q = tflc_fbb_table_end(b);
    }
    uint32_t sp = 0;
    if (t->sparse) {
        tflc_fbb_table_start(b);
        sp = tflc_fbb_table_end(b);
    }
    tflc_fbb_table_start(b);
    tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_SPARSITY, sp);
    tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_SHAPE, shape);
    tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_SHAPE_SIGNATURE, sig);
    tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_NAME, name);
    tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_QUANTIZATION, q);
    tflc_fbb_add_u32(b, TFLC_TFL_TENSOR_BUFFER, t->buffer, 0);
    tflc_fbb_add_i8(b, TFLC_TFL_TENSOR_TYPE, t->type, 0);
    tflc_fbb_add_bool(b, TFLC_TFL_TENSOR_IS_VARIABLE, t->is_variable, false);
    return tflc_fbb_table_end(b);
}

static inline uint32_t mini_subgraph(struct tflc_fbb *b, const struct mini_spec *s) {
    uint32_t trefs[10], orefs[4];
    for (int i = 0; i < s->ntensors; i++) trefs[i] = mini_tensor_ref(b, &s->tensors[i]);
    uint32_t tensors = tflc_fbb_vector_refs(b, trefs, (size_t)s->ntensors);
    for (int i = 0; i < s->nops; i++) {
        const struct mini_op *o = &s->ops[i];
        uint32_t in = mini_i32_vec(b, o->in, o->nin);
        uint32_t out = mini_i32_vec(b, o->out, o->nout);
        uint32_t im = o->nint ? mini_i32_vec(b, o->intermediates, o->nint) : 0;
        uint32_t opt = o->opt_type ? mini_options(b, o->opt_type) : 0;
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, TFLC_TFL_OPERATOR_INPUTS, in);
        tflc_fbb_add_offset(b, TFLC_TFL_OPERATOR_OUTPUTS, out);
        tflc_fbb_add_offset(b, TFLC_TFL_OPERATOR_INTERMEDIATES, im);
        tflc_fbb_add_offset(b, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS, opt);
        tflc_fbb_add_u32(b, TFLC_TFL_OPERATOR_OPCODE_INDEX, o->opcode, 0);
        tflc_fbb_add_u8(b, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS_TYPE, o->opt_type, 0);
        orefs[i] = tflc_fbb_table_end(b);
    }
    uint32_t ops = tflc_fbb_vector_refs(b, orefs, (size_t)s->nops);
    uint32_t in = mini_i32_vec(b, s->inputs, s->ninputs);
    uint32_t out = mini_i32_vec(b, s->outputs, s->noutputs);
    uint32_t name = tflc_fbb_string(b, "main", 4);
    tflc_fbb_table_start(b);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_TENSORS, tensors);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_INPUTS, in);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_OUTPUTS, out);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_OPERATORS, ops);
    tflc_fbb_add_offset(b, TFLC_TFL_SUB_GRAPH_NAME, name);
    return tflc_fbb_table_end(b);
}

static inline uint32_t mini_tensor_map(struct tflc_fbb *b, const char *name, uint32_t index) {
    uint32_t n = tflc_fbb_string(b, name, strlen(name));
    tflc_fbb_table_start(b);
    tflc_fbb_add_offset(b, TFLC_TFL_TENSOR_MAP_NAME, n);
    tflc_fbb_add_u32(b, TFLC_TFL_TENSOR_MAP_TENSOR_INDEX, index, 0);
    return tflc_fbb_table_end(b);
}

/* Builds `s` into a fresh builder `b` (initialized here). Returns the builder's status. */
static inline enum tflc_status mini_build(const struct mini_spec *s, struct tflc_fbb *b) {
    tflc_fbb_init(b);
    uint32_t refs[8];
    /* Buffers first: their data is the bulk and gets 16-byte alignment. */
    for (int i = 0; i < s->nbuffers; i++) {
        const struct mini_buffer *mb = &s->buffers[i];
        uint32_t data = 0;
        if (mb->len || mb->present_empty) {
            uint8_t tmp[256];
            const uint8_t *d = mb->data;
            if (!d) {
                for (uint32_t k = 0; k < mb->len && k < sizeof tmp; k++) tmp[k] = (uint8_t)(k * 7 + 1);
                d = tmp;
            }
            data = tflc_fbb_vector(b, d, mb->len, 1, 16);
        }
        tflc_fbb_table_start(b);
        if (mb->offset) {
            tflc_fbb_add_scalar(b, TFLC_TFL_BUFFER_OFFSET, &mb->offset, 8);
            tflc_fbb_add_scalar(b, TFLC_TFL_BUFFER_SIZE, &mb->size, 8);
        }
        tflc_fbb_add_offset(b, TFLC_TFL_BUFFER_DATA, data);
        refs[i] = tflc_fbb_table_end(b);
    }
    uint32_t buffers = tflc_fbb_vector_refs(b, refs, (size_t)s->nbuffers);

    for (int i = 0; i < s->nopcodes; i++) {
        const struct mini_opcode *oc = &s->opcodes[i];
        uint32_t custom = oc->custom ? tflc_fbb_string(b, oc->custom, strlen(oc->custom)) : 0;
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, TFLC_TFL_OPERATOR_CODE_CUSTOM_CODE, custom);
        tflc_fbb_add_i32(b, TFLC_TFL_OPERATOR_CODE_BUILTIN_CODE, oc->code, 0);
        tflc_fbb_add_i32(b, TFLC_TFL_OPERATOR_CODE_VERSION, oc->version, 1);
        tflc_fbb_add_i8(b, TFLC_TFL_OPERATOR_CODE_DEPRECATED_BUILTIN_CODE, oc->deprecated_code, 0);
        refs[i] = tflc_fbb_table_end(b);
    }
    uint32_t opcodes = tflc_fbb_vector_refs(b, refs, (size_t)s->nopcodes);

    int nsg = s->nsubgraphs < 8 ? s->nsubgraphs : 8;
    for (int i = 0; i < nsg; i++) refs[i] = mini_subgraph(b, s);
    uint32_t subgraphs = tflc_fbb_vector_refs(b, refs, (size_t)nsg);

    uint32_t sigs = 0;
    if (s->signature) {
        uint32_t in = mini_tensor_map(b, "x", s->sig_in_tensor);
        uint32_t ins = tflc_fbb_vector_refs(b, &in, 1);
        uint32_t out = mini_tensor_map(b, "y", s->sig_out_tensor);
        uint32_t outs = tflc_fbb_vector_refs(b, &out, 1);
        uint32_t key = tflc_fbb_string(b, "serving_default", 15);
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, TFLC_TFL_SIGNATURE_DEF_INPUTS, ins);
        tflc_fbb_add_offset(b, TFLC_TFL_SIGNATURE_DEF_OUTPUTS, outs);
        tflc_fbb_add_offset(b, TFLC_TFL_SIGNATURE_DEF_SIGNATURE_KEY, key);
        tflc_fbb_add_u32(b, TFLC_TFL_SIGNATURE_DEF_SUBGRAPH_INDEX, s->sig_subgraph, 0);
        uint32_t sig = tflc_fbb_table_end(b);
        sigs = tflc_fbb_vector_refs(b, &sig, 1);
    }
    uint32_t md = 0;
    if (s->metadata) {
        uint32_t n = tflc_fbb_string(b, "min_runtime_version", 19);
        tflc_fbb_table_start(b);
        tflc_fbb_add_offset(b, TFLC_TFL_METADATA_NAME, n);
        tflc_fbb_add_u32(b, TFLC_TFL_METADATA_BUFFER, s->metadata_buf, 0);
        uint32_t m = tflc_fbb_table_end(b);
        md = tflc_fbb_vector_refs(b, &m, 1);
    }
    uint32_t mdbuf = s->nmdbuf ? mini_i32_vec(b, s->mdbuf, s->nmdbuf) : 0;
    uint32_t desc = s->description ? tflc_fbb_string(b, s->description, strlen(s->description)) : 0;

    tflc_fbb_table_start(b);
    tflc_fbb_add_u32(b, TFLC_TFL_MODEL_VERSION, s->version, 0);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_OPERATOR_CODES, opcodes);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_SUBGRAPHS, subgraphs);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_DESCRIPTION, desc);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_BUFFERS, buffers);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_METADATA_BUFFER, mdbuf);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_METADATA, md);
    tflc_fbb_add_offset(b, TFLC_TFL_MODEL_SIGNATURE_DEFS, sigs);
    uint32_t root = tflc_fbb_table_end(b);
    return tflc_fbb_finish(b, root, TFLC_TFL_FILE_IDENTIFIER, NULL);
}

#endif
