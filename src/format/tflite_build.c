/* .tflite model builder (see tflite_build.h). */
#include "format/tflite_build.h"

#include <stdlib.h>
#include <string.h>

#include "format/tflite_schema.h"

struct tb_tensor {
    char *name;
    int8_t dtype;
    int rank;
    int32_t dims[TFLC_MAX_DIMS];
    bool has_sig;
    int32_t sig[TFLC_MAX_DIMS];
    int buffer;
    bool variable;
    uint32_t quant_ref; /* built immediately */
};

struct tb_op {
    int opcode;
    int32_t *in, *out, *inter;
    int nin, nout, ninter;
    uint8_t opt_type;
    uint32_t opt_ref;
};

struct tb_opcode {
    int32_t builtin;
    int version;
    char *custom;
};

struct tflc_tflb {
    struct tflc_fbb fbb;
    struct tb_tensor *t;
    size_t nt, ct;
    struct tb_op *ops;
    size_t nops, cops;
    struct tb_opcode *oc;
    size_t noc, coc;
    uint32_t *bufs; /* data vector refs; index 0 = empty */
    size_t nbufs, cbufs;
    int32_t *gin, *gout;
    int ngin, ngout;
    char **sig_in, **sig_out;
    bool has_sig;
    char min_rt[32];
    bool oom;
};

static bool grow(void **p, size_t *cap, size_t n, size_t elem) {
    if (n < *cap) return true;
    size_t nc = *cap ? *cap * 2 : 16;
    void *np = realloc(*p, nc * elem);
    if (!np) return false;
    *p = np;
    *cap = nc;
    return true;
}

static char *dupstr(const char *s) {
    size_t n = strlen(s ? s : "");
    char *d = malloc(n + 1);
    if (d) memcpy(d, s ? s : "", n + 1);
    return d;
}

static int32_t *dupints(const int32_t *v, int n) {
    int32_t *d = malloc(sizeof *d * (size_t)(n > 0 ? n : 1));
    if (d && n > 0) memcpy(d, v, sizeof *d * (size_t)n);
    return d;
}

struct tflc_tflb *tflc_tflb_create(void) {
    struct tflc_tflb *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    tflc_fbb_init(&b->fbb);
    if (!grow((void **)&b->bufs, &b->cbufs, 0, sizeof *b->bufs)) { free(b); return NULL; }
    b->bufs[0] = 0;
    b->nbufs = 1;
    return b;
}

void tflc_tflb_destroy(struct tflc_tflb *b) {
    if (!b) return;
    for (size_t i = 0; i < b->nt; i++) free(b->t[i].name);
    for (size_t i = 0; i < b->nops; i++) { free(b->ops[i].in); free(b->ops[i].out); free(b->ops[i].inter); }
    for (size_t i = 0; i < b->noc; i++) free(b->oc[i].custom);
    for (int i = 0; b->sig_in && i < b->ngin; i++) free(b->sig_in[i]);
    for (int i = 0; b->sig_out && i < b->ngout; i++) free(b->sig_out[i]);
    free(b->sig_in);
    free(b->sig_out);
    free(b->t);
    free(b->ops);
    free(b->oc);
    free(b->bufs);
    free(b->gin);
    free(b->gout);
    tflc_fbb_free(&b->fbb);
    free(b);
}

struct tflc_fbb *tflc_tflb_fbb(struct tflc_tflb *b) { return &b->fbb; }

int tflc_tflb_buffer(struct tflc_tflb *b, const void *data, size_t n) {
    if (n == 0) return 0;
    if (!grow((void **)&b->bufs, &b->cbufs, b->nbufs, sizeof *b->bufs)) { b->oom = true; return 0; }
    b->bufs[b->nbufs] = tflc_fbb_vector(&b->fbb, data, n, 1, 16);
    return (int)b->nbufs++;
}

int tflc_tflb_tensor(struct tflc_tflb *b, const char *name, enum tflc_dtype dtype, int rank, const int32_t *dims,
                     int buffer, const struct tflc_tflb_quant *q) {
    if (!grow((void **)&b->t, &b->ct, b->nt, sizeof *b->t) || rank < 0 || rank > TFLC_MAX_DIMS) { b->oom = true; return 0; }
    struct tb_tensor *t = &b->t[b->nt];
    memset(t, 0, sizeof *t);
    t->name = dupstr(name);
    if (!t->name) b->oom = true;
    t->dtype = (int8_t)dtype;
    t->rank = rank;
    if (rank) memcpy(t->dims, dims, sizeof *dims * (size_t)rank);
    t->buffer = buffer;
    if (q && q->count > 0) {
        struct tflc_fbb *f = &b->fbb;
        uint32_t sc = tflc_fbb_vector(f, q->scale, (size_t)q->count, 4, 0);
        int64_t *zp = calloc((size_t)q->count, sizeof *zp);
        if (!zp) { b->oom = true; return 0; }
        if (q->zero_point) memcpy(zp, q->zero_point, sizeof *zp * (size_t)q->count);
        uint32_t zr = tflc_fbb_vector(f, zp, (size_t)q->count, 8, 0);
        free(zp);
        tflc_fbb_table_start(f);
        tflc_fbb_add_offset(f, TFLC_TFL_QUANTIZATION_PARAMETERS_SCALE, sc);
        tflc_fbb_add_offset(f, TFLC_TFL_QUANTIZATION_PARAMETERS_ZERO_POINT, zr);
        tflc_fbb_add_i32(f, TFLC_TFL_QUANTIZATION_PARAMETERS_QUANTIZED_DIMENSION, q->axis, 0);
        t->quant_ref = tflc_fbb_table_end(f);
    }
    return (int)b->nt++;
}

void tflc_tflb_tensor_variable(struct tflc_tflb *b, int tensor) { b->t[tensor].variable = true; }

void tflc_tflb_tensor_signature(struct tflc_tflb *b, int tensor, const int32_t *sig) {
    struct tb_tensor *t = &b->t[tensor];
    t->has_sig = true;
    if (t->rank) memcpy(t->sig, sig, sizeof *sig * (size_t)t->rank);
}

static int opcode_index(struct tflc_tflb *b, int32_t builtin, int version, const char *custom) {
    for (size_t i = 0; i < b->noc; i++) {
        if (b->oc[i].builtin != builtin || b->oc[i].version != version) continue;
        if ((b->oc[i].custom == NULL) != (custom == NULL)) continue;
        if (custom && strcmp(custom, b->oc[i].custom) != 0) continue;
        return (int)i;
    }
    if (!grow((void **)&b->oc, &b->coc, b->noc, sizeof *b->oc)) { b->oom = true; return 0; }
    b->oc[b->noc].builtin = builtin;
    b->oc[b->noc].version = version;
    b->oc[b->noc].custom = custom ? dupstr(custom) : NULL;
    return (int)b->noc++;
}

int tflc_tflb_op(struct tflc_tflb *b, int32_t builtin, int version, const char *custom_code, const int32_t *in,
                 int nin, const int32_t *out, int nout, uint8_t options_type, uint32_t options_ref) {
    if (!grow((void **)&b->ops, &b->cops, b->nops, sizeof *b->ops)) { b->oom = true; return 0; }
    struct tb_op *o = &b->ops[b->nops];
    memset(o, 0, sizeof *o);
    o->opcode = opcode_index(b, builtin, version, custom_code);
    o->in = dupints(in, nin);
    o->out = dupints(out, nout);
    if (!o->in || !o->out) b->oom = true;
    o->nin = nin;
    o->nout = nout;
    o->opt_type = options_type;
    o->opt_ref = options_ref;
    return (int)b->nops++;
}

void tflc_tflb_op_intermediates(struct tflc_tflb *b, const int32_t *t, int n) {
    if (!b->nops) return;
    struct tb_op *o = &b->ops[b->nops - 1];
    free(o->inter);
    o->inter = dupints(t, n);
    o->ninter = n;
}

void tflc_tflb_graph_io(struct tflc_tflb *b, const int32_t *in, int nin, const int32_t *out, int nout) {
    free(b->gin);
    free(b->gout);
    b->gin = dupints(in, nin);
    b->gout = dupints(out, nout);
    b->ngin = nin;
    b->ngout = nout;
}

void tflc_tflb_signature(struct tflc_tflb *b, const char *const *in_names, const char *const *out_names) {
    b->sig_in = calloc((size_t)(b->ngin ? b->ngin : 1), sizeof(char *));
    b->sig_out = calloc((size_t)(b->ngout ? b->ngout : 1), sizeof(char *));
    if (!b->sig_in || !b->sig_out) { b->oom = true; return; }
    for (int i = 0; i < b->ngin; i++) b->sig_in[i] = dupstr(in_names[i]);
    for (int i = 0; i < b->ngout; i++) b->sig_out[i] = dupstr(out_names[i]);
    b->has_sig = true;
}

void tflc_tflb_min_runtime(struct tflc_tflb *b, const char *version) {
    size_t n = strlen(version);
    if (n >= sizeof b->min_rt) n = sizeof b->min_rt - 1;
    memcpy(b->min_rt, version, n);
    b->min_rt[n] = 0;
}

static uint32_t ivec(struct tflc_fbb *f, const int32_t *v, int n) { return tflc_fbb_vector(f, v, (size_t)n, 4, 0); }

static uint32_t tensor_map(struct tflc_fbb *f, char **names, const int32_t *idx, int n) {
    uint32_t *refs = malloc(sizeof *refs * (size_t)(n ? n : 1));
    if (!refs) { f->failed = true; return 0; }
    for (int i = 0; i < n; i++) {
        uint32_t nm = tflc_fbb_string(f, names[i], strlen(names[i]));
        tflc_fbb_table_start(f);
        tflc_fbb_add_offset(f, TFLC_TFL_TENSOR_MAP_NAME, nm);
        tflc_fbb_add_u32(f, TFLC_TFL_TENSOR_MAP_TENSOR_INDEX, (uint32_t)idx[i], 0);
        refs[i] = tflc_fbb_table_end(f);
    }
    uint32_t r = tflc_fbb_vector_refs(f, refs, (size_t)n);
    free(refs);
    return r;
}

enum tflc_status tflc_tflb_finish(struct tflc_tflb *b, const char *description, const uint8_t **data, size_t *size,
                                  struct tflc_diag *diag) {
    struct tflc_fbb *f = &b->fbb;
    if (b->oom) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "model builder: out of memory");
    uint32_t metadata_buf = 0;
    if (b->min_rt[0]) {
        char padded[16] = {0};
        memcpy(padded, b->min_rt, strlen(b->min_rt) < 15 ? strlen(b->min_rt) : 15);
        metadata_buf = (uint32_t)tflc_tflb_buffer(b, padded, sizeof padded);
    }
    size_t nref = b->nt > b->nops ? b->nt : b->nops;
    if (b->noc > nref) nref = b->noc;
    if (b->nbufs > nref) nref = b->nbufs;
    uint32_t *refs = malloc(sizeof *refs * (nref ? nref : 1));
    if (!refs) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "model builder: out of memory");

    for (size_t i = 0; i < b->nt; i++) {
        struct tb_tensor *t = &b->t[i];
        uint32_t shape = ivec(f, t->dims, t->rank);
        uint32_t sig = t->has_sig ? ivec(f, t->sig, t->rank) : 0;
        uint32_t name = tflc_fbb_string(f, t->name, strlen(t->name));
        tflc_fbb_table_start(f);
        tflc_fbb_add_offset(f, TFLC_TFL_TENSOR_SHAPE, shape);
        tflc_fbb_add_u32(f, TFLC_TFL_TENSOR_BUFFER, (uint32_t)t->buffer, 0);
        tflc_fbb_add_offset(f, TFLC_TFL_TENSOR_NAME, name);
        tflc_fbb_add_offset(f, TFLC_TFL_TENSOR_QUANTIZATION, t->quant_ref);
        tflc_fbb_add_offset(f, TFLC_TFL_TENSOR_SHAPE_SIGNATURE, sig);
        tflc_fbb_add_i8(f, TFLC_TFL_TENSOR_TYPE, t->dtype, 0);
        tflc_fbb_add_bool(f, TFLC_TFL_TENSOR_IS_VARIABLE, t->variable, false);
        refs[i] = tflc_fbb_table_end(f);
    }
    uint32_t tensors = tflc_fbb_vector_refs(f, refs, b->nt);
    for (size_t i = 0; i < b->nops; i++) {
        struct tb_op *o = &b->ops[i];
        uint32_t in = ivec(f, o->in, o->nin), out = ivec(f, o->out, o->nout);
        uint32_t inter = o->ninter ? ivec(f, o->inter, o->ninter) : 0;
        tflc_fbb_table_start(f);
        tflc_fbb_add_u32(f, TFLC_TFL_OPERATOR_OPCODE_INDEX, (uint32_t)o->opcode, 0);
        tflc_fbb_add_offset(f, TFLC_TFL_OPERATOR_INPUTS, in);
        tflc_fbb_add_offset(f, TFLC_TFL_OPERATOR_OUTPUTS, out);
        tflc_fbb_add_offset(f, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS, o->opt_ref);
        tflc_fbb_add_offset(f, TFLC_TFL_OPERATOR_INTERMEDIATES, inter);
        if (o->opt_ref) tflc_fbb_add_u8(f, TFLC_TFL_OPERATOR_BUILTIN_OPTIONS_TYPE, o->opt_type, 0);
        refs[i] = tflc_fbb_table_end(f);
    }
    uint32_t ops = tflc_fbb_vector_refs(f, refs, b->nops);
    uint32_t gin = ivec(f, b->gin, b->ngin), gout = ivec(f, b->gout, b->ngout);
    uint32_t sgname = tflc_fbb_string(f, "main", 4);
    tflc_fbb_table_start(f);
    tflc_fbb_add_offset(f, TFLC_TFL_SUB_GRAPH_TENSORS, tensors);
    tflc_fbb_add_offset(f, TFLC_TFL_SUB_GRAPH_INPUTS, gin);
    tflc_fbb_add_offset(f, TFLC_TFL_SUB_GRAPH_OUTPUTS, gout);
    tflc_fbb_add_offset(f, TFLC_TFL_SUB_GRAPH_OPERATORS, ops);
    tflc_fbb_add_offset(f, TFLC_TFL_SUB_GRAPH_NAME, sgname);
    uint32_t sg = tflc_fbb_table_end(f);
    uint32_t subgraphs = tflc_fbb_vector_refs(f, &sg, 1);

    for (size_t i = 0; i < b->noc; i++) {
        uint32_t cc = b->oc[i].custom ? tflc_fbb_string(f, b->oc[i].custom, strlen(b->oc[i].custom)) : 0;
        int32_t code = b->oc[i].builtin;
        tflc_fbb_table_start(f);
        tflc_fbb_add_i32(f, TFLC_TFL_OPERATOR_CODE_BUILTIN_CODE, code, 0);
        tflc_fbb_add_offset(f, TFLC_TFL_OPERATOR_CODE_CUSTOM_CODE, cc);
        tflc_fbb_add_i32(f, TFLC_TFL_OPERATOR_CODE_VERSION, b->oc[i].version, 1);
        /* Old runtimes read the byte field; codes above 127 put the placeholder there. */
        tflc_fbb_add_i8(f, TFLC_TFL_OPERATOR_CODE_DEPRECATED_BUILTIN_CODE,
                        (int8_t)(code < 127 ? code : TFLC_TFL_BUILTIN_OPERATOR_PLACEHOLDER_FOR_GREATER_OP_CODES), 0);
        refs[i] = tflc_fbb_table_end(f);
    }
    uint32_t opcodes = tflc_fbb_vector_refs(f, refs, b->noc);

    for (size_t i = 0; i < b->nbufs; i++) {
        tflc_fbb_table_start(f);
        tflc_fbb_add_offset(f, TFLC_TFL_BUFFER_DATA, b->bufs[i]);
        refs[i] = tflc_fbb_table_end(f);
    }
    uint32_t buffers = tflc_fbb_vector_refs(f, refs, b->nbufs);
    free(refs);

    uint32_t sigs = 0;
    if (b->has_sig) {
        uint32_t in = tensor_map(f, b->sig_in, b->gin, b->ngin);
        uint32_t out = tensor_map(f, b->sig_out, b->gout, b->ngout);
        uint32_t key = tflc_fbb_string(f, "serving_default", 15);
        tflc_fbb_table_start(f);
        tflc_fbb_add_offset(f, TFLC_TFL_SIGNATURE_DEF_INPUTS, in);
        tflc_fbb_add_offset(f, TFLC_TFL_SIGNATURE_DEF_OUTPUTS, out);
        tflc_fbb_add_offset(f, TFLC_TFL_SIGNATURE_DEF_SIGNATURE_KEY, key);
        uint32_t s = tflc_fbb_table_end(f);
        sigs = tflc_fbb_vector_refs(f, &s, 1);
    }
    uint32_t metadata = 0;
    if (metadata_buf) {
        uint32_t nm = tflc_fbb_string(f, "min_runtime_version", 19);
        tflc_fbb_table_start(f);
        tflc_fbb_add_offset(f, TFLC_TFL_METADATA_NAME, nm);
        tflc_fbb_add_u32(f, TFLC_TFL_METADATA_BUFFER, metadata_buf, 0);
        uint32_t m = tflc_fbb_table_end(f);
        metadata = tflc_fbb_vector_refs(f, &m, 1);
    }
    uint32_t desc = description ? tflc_fbb_string(f, description, strlen(description)) : 0;
    tflc_fbb_table_start(f);
    tflc_fbb_add_u32(f, TFLC_TFL_MODEL_VERSION, 3, 0);
    tflc_fbb_add_offset(f, TFLC_TFL_MODEL_OPERATOR_CODES, opcodes);
    tflc_fbb_add_offset(f, TFLC_TFL_MODEL_SUBGRAPHS, subgraphs);
    tflc_fbb_add_offset(f, TFLC_TFL_MODEL_DESCRIPTION, desc);
    tflc_fbb_add_offset(f, TFLC_TFL_MODEL_BUFFERS, buffers);
    tflc_fbb_add_offset(f, TFLC_TFL_MODEL_METADATA, metadata);
    tflc_fbb_add_offset(f, TFLC_TFL_MODEL_SIGNATURE_DEFS, sigs);
    uint32_t root = tflc_fbb_table_end(f);
    enum tflc_status st = tflc_fbb_finish(f, root, TFLC_TFL_FILE_IDENTIFIER, diag);
    if (st) return st;
    *data = f->data;
    *size = f->size;
    return TFLC_STATUS_OK;
}
