/* Interpreter: init (verify, build tensors and nodes, prepare every op, plan memory) and
 * invoke. All memory comes from the caller's arena: persistent objects from its tail,
 * planned activations and scratch from its head. No malloc anywhere in this file. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/checked_math.h"
#include "kernels/ukernel.h"
#include "runtime/interp.h"

struct tflc_interp_options tflc_interp_options_default(void) {
    struct tflc_interp_options o;
    memset(&o, 0, sizeof o);
    o.num_threads = 1;
    return o;
}

void *tflc_interp_alloc_tail(struct tflc_interp *it, size_t bytes, size_t align) {
    size_t need;
    if (!tflc_add_size(it->tail, bytes, &need)) need = SIZE_MAX;
    need = need > SIZE_MAX - align ? SIZE_MAX : tflc_align_up(need, align);
    if (need > it->cap || it->cap - need < it->head_peak) {
        tflc_diag_set(it->diag, TFLC_STATUS_ARENA_TOO_SMALL,
                      "arena of %zu bytes is too small (persistent data alone needs more than %zu)", it->cap, need);
        return NULL;
    }
    it->tail = need;
    void *p = it->base + it->cap - need;
    memset(p, 0, bytes);
    return p;
}

/* ---- services for kernels (kernel.h) ---- */

enum tflc_arith tflc_op_arith(const struct tflc_op_ctx *c) { return c->it->opt.arithmetic; }

bool tflc_op_uses_xnnpack(const struct tflc_op_ctx *c) { return c->it->xnnpack && c->it->xnnpack[c->index]; }

const struct tflc_ukernels *tflc_op_ukernels(const struct tflc_op_ctx *c) { return c->it->uk; }

void tflc_op_parallel(const struct tflc_op_ctx *c, int n, void (*task)(void *ud, int i), void *ud) {
    const struct tflc_interp_options *o = &c->it->opt;
    if (n <= 0) return;
    if (n == 1 || !o->parallel_for || o->num_threads <= 1) {
        for (int i = 0; i < n; i++) task(ud, i);
        return;
    }
    o->parallel_for(o->pool, n, task, ud);
}

int tflc_op_threads(const struct tflc_op_ctx *c) {
    const struct tflc_interp_options *o = &c->it->opt;
    return o->parallel_for && o->num_threads > 1 ? o->num_threads : 1;
}

int tflc_op_threads_for(const struct tflc_op_ctx *c, double work) {
    return work < TFLC_PAR_MIN_WORK ? 1 : tflc_op_threads(c);
}

bool tflc_op_is_const(const struct tflc_op_ctx *c, const struct tflc_tensor *t) {
    return c->it->trt[t - c->tensors].kind == TK_CONST;
}

bool tflc_op_is_variable(const struct tflc_op_ctx *c, const struct tflc_tensor *t) {
    return c->it->trt[t - c->tensors].kind == TK_VARIABLE;
}

void *tflc_op_alloc(struct tflc_op_ctx *c, size_t bytes) {
    return tflc_interp_alloc_tail(c->it, bytes ? bytes : 1, bytes >= 64 ? 64 : 16);
}

void tflc_op_request_scratch(struct tflc_op_ctx *c, size_t bytes) {
    if (bytes > c->node->scratch_bytes) c->node->scratch_bytes = bytes;
}

static const char *op_label(const struct tflc_node *n) {
    const char *s = tflc_tfl_op_name(n->builtin);
    return s ? s : "?";
}

enum tflc_status tflc_op_fail(const struct tflc_op_ctx *c, enum tflc_status st, const char *fmt, ...) {
    if (!c->diag) return st;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tflc_diag_set(c->diag, st, "operator %d (%s v%d): %s", c->index, op_label(c->node), c->node->version, msg);
}

enum tflc_status tflc_op_unsupported(const struct tflc_op_ctx *c) {
    char types[160];
    size_t n = 0;
    types[0] = 0;
    for (int io = 0; io < 2; io++) {
        int cnt = io ? c->node->noutputs : c->node->ninputs;
        int w = snprintf(types + n, sizeof types - n, "%s", io ? " -> outputs " : "inputs ");
        if (w > 0 && (size_t)w < sizeof types - n) n += (size_t)w;
        for (int i = 0; i < cnt; i++) {
            const struct tflc_tensor *t = io ? tflc_op_out(c, i) : tflc_op_in(c, i);
            w = snprintf(types + n, sizeof types - n, "%s%s", i ? "," : "", t ? tflc_dtype_name(t->dtype) : "-");
            if (w > 0 && (size_t)w < sizeof types - n) n += (size_t)w;
        }
    }
    return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "no kernel for these types (%s)", types);
}

enum tflc_status tflc_op_check_io(const struct tflc_op_ctx *c, int min_in, int max_in, int nout) {
    if (c->node->ninputs < min_in || c->node->ninputs > max_in)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "has %d inputs, expected %d..%d", c->node->ninputs, min_in, max_in);
    if (c->node->noutputs != nout)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "has %d outputs, expected %d", c->node->noutputs, nout);
    for (int i = 0; i < nout; i++)
        if (!tflc_op_out(c, i)) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output %d is missing", i);
    return TFLC_STATUS_OK;
}

static enum tflc_status tensor_bytes(const struct tflc_tensor *t, size_t *out) {
    size_t es = tflc_dtype_size(t->dtype), n = 1;
    for (int i = 0; i < t->rank; i++)
        if (t->dims[i] < 0 || !tflc_mul_size(n, (size_t)t->dims[i], &n)) return TFLC_STATUS_INVALID_MODEL;
    if (!tflc_mul_size(n, es, out)) return TFLC_STATUS_INVALID_MODEL;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_op_set_shape(struct tflc_op_ctx *c, struct tflc_tensor *t, int rank, const int32_t *dims) {
    if (rank < 0 || rank > TFLC_MAX_DIMS)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' would have rank %d", t->name, rank);
    if (c->it->trt[t - c->tensors].kind != TK_ACT)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' is a constant or variable tensor", t->name);
    struct tflc_tensor tmp = *t;
    tmp.rank = rank;
    for (int i = 0; i < rank; i++) tmp.dims[i] = dims[i];
    size_t bytes;
    if (tensor_bytes(&tmp, &bytes) != TFLC_STATUS_OK)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output '%s' size overflows", t->name);
    *t = tmp;
    t->bytes = bytes;
    return TFLC_STATUS_OK;
}

/* ---- init ---- */

static enum tflc_status build_tensors(struct tflc_interp *it) {
    struct tflc_fb_vec ts = tflc_tfl_sub_graph_tensors(it->subgraph);
    struct tflc_diag *diag = it->diag;
    for (int32_t i = 0; i < it->ntensors; i++) {
        struct tflc_fb_table t = tflc_fb_vec_table(ts, (uint32_t)i);
        struct tflc_tensor *x = &it->tensors[i];
        struct tflc_tensor_rt *r = &it->trt[i];
        struct tflc_fb_str nm = tflc_tfl_tensor_name(t);
        x->name = nm.data ? nm.data : "";
        x->dtype = (enum tflc_dtype)tflc_tfl_tensor_type(t);
        struct tflc_fb_vec shape = tflc_tfl_tensor_shape(t);
        x->rank = (int32_t)shape.len;
        for (uint32_t d = 0; d < shape.len; d++) x->dims[d] = tflc_fb_vec_i32(shape, d);
        struct tflc_fb_table q = tflc_tfl_tensor_quantization(t);
        if (q.off) {
            struct tflc_fb_vec sc = tflc_tfl_quantization_parameters_scale(q);
            struct tflc_fb_vec zp = tflc_tfl_quantization_parameters_zero_point(q);
            if (sc.len) {
                x->quant.num_scales = (int32_t)sc.len;
                x->quant.scales = (const float *)(const void *)sc.data; /* 4-aligned: verified vector */
                x->quant.scale = tflc_fb_vec_f32(sc, 0);
                x->quant.zero_point = zp.len ? (int32_t)tflc_fb_vec_i64(zp, 0) : 0;
                x->quant.axis = tflc_tfl_quantization_parameters_quantized_dimension(q);
                for (uint32_t k = 1; k < zp.len; k++)
                    if (tflc_fb_vec_i64(zp, k) != tflc_fb_vec_i64(zp, 0))
                        return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED,
                                             "tensor %d '%s': per-channel zero points that differ are not supported", i, x->name);
            }
        }
        if (tflc_tfl_tensor_sparsity(t).off)
            return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "tensor %d '%s': sparse tensors are not supported", i, x->name);
        if (tensor_bytes(x, &x->bytes) != TFLC_STATUS_OK)
            return tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "tensor %d '%s': size overflows", i, x->name);
        const uint8_t *data;
        uint64_t size;
        tflc_tfl_buffer_bytes(it->model, tflc_tfl_tensor_buffer(t), &data, &size);
        r->first = INT32_MAX;
        r->last = -2;
        if (tflc_tfl_tensor_is_variable(t)) {
            r->kind = TK_VARIABLE;
            x->data = tflc_interp_alloc_tail(it, x->bytes, 16);
            if (!x->data) return TFLC_STATUS_ARENA_TOO_SMALL;
            (void)data; /* TFLite ignores a variable's buffer: state starts reset (see tflc_interp_reset) */
        } else if (size) {
            r->kind = TK_CONST;
            size_t es = tflc_dtype_size(x->dtype);
            if (size != x->bytes && es)
                return tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "tensor %d '%s': constant has %llu bytes, expected %zu", i,
                                     x->name, (unsigned long long)size, x->bytes);
            if (!es) x->bytes = (size_t)size;
            if (es > 1 && ((uintptr_t)data % es) != 0) {
                /* Writers align buffers; a file that does not gets a realigned copy. */
                void *cp = tflc_interp_alloc_tail(it, (size_t)size, 16);
                if (!cp) return TFLC_STATUS_ARENA_TOO_SMALL;
                memcpy(cp, data, (size_t)size);
                x->data = cp;
            } else {
                x->data = (void *)(uintptr_t)data; /* read-only by contract: kernels never write inputs */
            }
        } else {
            r->kind = TK_ACT;
        }
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status build_nodes(struct tflc_interp *it) {
    struct tflc_fb_table m = tflc_tfl_model(it->model);
    struct tflc_fb_vec ocs = tflc_tfl_model_operator_codes(m);
    struct tflc_fb_vec ops = tflc_tfl_sub_graph_operators(it->subgraph);
    for (int32_t i = 0; i < it->nops; i++) {
        struct tflc_fb_table op = tflc_fb_vec_table(ops, (uint32_t)i);
        struct tflc_fb_table oc = tflc_fb_vec_table(ocs, tflc_tfl_operator_opcode_index(op));
        struct tflc_node *n = &it->nodes[i];
        n->builtin = tflc_tfl_opcode_code(oc);
        n->version = tflc_tfl_operator_code_version(oc);
        struct tflc_fb_vec v = tflc_tfl_operator_inputs(op);
        n->ninputs = (int32_t)v.len;
        n->inputs = (const int32_t *)(const void *)v.data;
        v = tflc_tfl_operator_outputs(op);
        n->noutputs = (int32_t)v.len;
        n->outputs = (const int32_t *)(const void *)v.data;
        v = tflc_tfl_operator_intermediates(op);
        n->nintermediates = (int32_t)v.len;
        n->intermediates = (const int32_t *)(const void *)v.data;
        n->options = tflc_tfl_operator_builtin_options(op);
        v = tflc_tfl_operator_custom_options(op);
        n->custom_options = v.data;
        n->custom_options_len = v.len;
        n->op = -1;
        for (int k = 0; k < TFLC_OP_COUNT; k++)
            if (tflc_op_builtin[k] == n->builtin) { n->op = k; break; }
        const char *name = tflc_tfl_op_name(n->builtin);
        if (n->builtin == TFLC_TFL_BUILTIN_OPERATOR_CUSTOM) {
            struct tflc_fb_str cc = tflc_tfl_operator_code_custom_code(oc);
            return tflc_diag_set(it->diag, TFLC_STATUS_UNSUPPORTED, "operator %d: custom op '%s' is not supported", i,
                                 cc.data ? cc.data : "");
        }
        if (n->op < 0)
            return tflc_diag_set(it->diag, TFLC_STATUS_UNSUPPORTED, "operator %d: %s v%d is not supported by tflc's runtime", i,
                                 name ? name : "unknown op", n->version);
        if (n->version > tflc_op_max_version[n->op])
            return tflc_diag_set(it->diag, TFLC_STATUS_UNSUPPORTED,
                                 "operator %d: %s v%d is newer than the v%d tflc's runtime implements", i, name, n->version,
                                 tflc_op_max_version[n->op]);
    }
    return TFLC_STATUS_OK;
}

static void touch(struct tflc_tensor_rt *r, int32_t at) {
    if (at < r->first) r->first = at;
    if (at > r->last) r->last = at;
}

static void lifetimes(struct tflc_interp *it) {
    for (int32_t i = 0; i < it->ninputs; i++) touch(&it->trt[it->inputs[i]], -1);
    for (int32_t i = 0; i < it->noutputs; i++) touch(&it->trt[it->outputs[i]], it->nops);
    for (int32_t k = 0; k < it->nops; k++) {
        const struct tflc_node *n = &it->nodes[k];
        for (int32_t j = 0; j < n->ninputs; j++) if (n->inputs[j] >= 0) touch(&it->trt[n->inputs[j]], k);
        for (int32_t j = 0; j < n->noutputs; j++) if (n->outputs[j] >= 0) touch(&it->trt[n->outputs[j]], k);
        for (int32_t j = 0; j < n->nintermediates; j++)
            if (n->intermediates[j] >= 0) touch(&it->trt[n->intermediates[j]], k);
    }
    for (int32_t i = 0; i < it->ntensors; i++)
        if (it->trt[i].kind == TK_ACT && it->trt[i].last < -1) it->trt[i].kind = TK_UNUSED;
}

enum tflc_status tflc_interp_init(struct tflc_interp **out, const void *model, size_t len, void *arena,
                                  size_t arena_size, const struct tflc_interp_options *opt, struct tflc_diag *diag) {
    if (!out || !model || !arena)
        return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "tflc_interp_init: NULL argument");
    *out = NULL;
    uintptr_t a = (uintptr_t)arena, e = a + arena_size;
    if (e < a) return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "arena wraps around the address space");
    uintptr_t b = (a + TFLC_ARENA_ALIGN - 1) & ~(uintptr_t)(TFLC_ARENA_ALIGN - 1);
    if (b >= e) return tflc_diag_set(diag, TFLC_STATUS_ARENA_TOO_SMALL, "arena of %zu bytes is too small", arena_size);
    struct tflc_interp tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.base = (uint8_t *)b;
    tmp.cap = (size_t)(e - b) & ~(size_t)(TFLC_ARENA_ALIGN - 1);
    tmp.diag = diag;
    tmp.model = (const uint8_t *)model;
    tmp.model_len = len;
    tmp.opt = opt ? *opt : tflc_interp_options_default();
    if ((unsigned)tmp.opt.arithmetic >= TFLC_ARITH_COUNT)
        return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "unknown arithmetic %d", (int)tmp.opt.arithmetic);
    {
        enum tflc_isa isa = tmp.opt.use_reference ? TFLC_ISA_REF : tmp.opt.isa;
        if ((unsigned)isa >= TFLC_ISA_COUNT)
            return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "unknown ISA %d", (int)isa);
        if (isa == TFLC_ISA_AUTO) isa = tflc_isa_best();
        if (!tflc_isa_supported(isa))
            return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "ISA '%s' is not %s", tflc_isa_name(isa),
                                 tflc_ukernels_built(isa) ? "supported by this CPU" : "compiled into this build");
        tmp.uk = tflc_ukernels_get(isa);
        if (tmp.opt.num_threads < 1) tmp.opt.num_threads = 1;
    }

    /* Verification scratch sits in the head, before anything is planned there. */
    size_t vs = TFLC_TFL_VERIFY_SCRATCH(len);
    if (vs > tmp.cap) return tflc_diag_set(diag, TFLC_STATUS_ARENA_TOO_SMALL, "arena of %zu bytes is too small to verify a %zu-byte model", arena_size, len);
    tmp.head_peak = vs;
    enum tflc_status st = tflc_tfl_verify(model, len, NULL, tmp.base, vs, diag);
    if (st) return st;
    struct tflc_fb_table m = tflc_tfl_model(model);
    tmp.subgraph = tflc_fb_vec_table(tflc_tfl_model_subgraphs(m), 0);

    struct tflc_interp *it = tflc_interp_alloc_tail(&tmp, sizeof *it, 64);
    if (!it) return TFLC_STATUS_ARENA_TOO_SMALL;
    *it = tmp;
    it->magic = 0;
    it->ntensors = (int32_t)tflc_tfl_sub_graph_tensors(it->subgraph).len;
    it->nops = (int32_t)tflc_tfl_sub_graph_operators(it->subgraph).len;
    struct tflc_fb_vec gi = tflc_tfl_sub_graph_inputs(it->subgraph), go = tflc_tfl_sub_graph_outputs(it->subgraph);
    it->ninputs = (int32_t)gi.len;
    it->inputs = (const int32_t *)(const void *)gi.data;
    it->noutputs = (int32_t)go.len;
    it->outputs = (const int32_t *)(const void *)go.data;
    it->tensors = tflc_interp_alloc_tail(it, sizeof *it->tensors * (size_t)(it->ntensors ? it->ntensors : 1), 16);
    it->trt = it->tensors ? tflc_interp_alloc_tail(it, sizeof *it->trt * (size_t)(it->ntensors ? it->ntensors : 1), 16) : NULL;
    it->nodes = it->trt ? tflc_interp_alloc_tail(it, sizeof *it->nodes * (size_t)(it->nops ? it->nops : 1), 16) : NULL;
    if (!it->nodes) return TFLC_STATUS_ARENA_TOO_SMALL;
    if ((st = build_tensors(it))) return st;
    if ((st = build_nodes(it))) return st;
    for (int32_t i = 0; i < it->ninputs; i++)
        if (it->trt[it->inputs[i]].kind != TK_ACT)
            return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "graph input %d '%s' is a constant or variable tensor", i,
                                 it->tensors[it->inputs[i]].name);

    if (it->opt.arithmetic == TFLC_ARITH_XNNPACK) {
        it->xnnpack = tflc_interp_alloc_tail(it, (size_t)(it->nops ? it->nops : 1), 16);
        if (!it->xnnpack) return TFLC_STATUS_ARENA_TOO_SMALL;
        it->xnnpack_failure = tflc_xnnpack_select(it, it->xnnpack);
    }
    if (it->uk && it->uk->isa != TFLC_ISA_REF && (st = tflc_fuse_pads(it))) return st;
    for (int32_t k = 0; k < it->nops; k++) {
        struct tflc_op_ctx c = {it, &it->nodes[k], it->tensors, k, diag};
        if (c.node->fused_away) continue;
        for (int32_t j = 0; j < c.node->noutputs; j++) {
            int32_t t = c.node->outputs[j];
            if (t >= 0 && it->trt[t].kind == TK_CONST)
                return tflc_op_fail(&c, TFLC_STATUS_INVALID_MODEL, "writes constant tensor %d '%s'", t, it->tensors[t].name);
        }
        if ((st = tflc_op_prepare[c.node->op](&c))) return st;
        if (!c.node->eval) return tflc_op_fail(&c, TFLC_STATUS_INTERNAL, "prepare chose no kernel");
    }
    lifetimes(it);

    /* Scratch buffers are planned like tensors; the planner's work arrays live in the head. */
    if ((st = tflc_plan_memory(it))) return st;
    for (int32_t i = 0; i < it->ntensors; i++)
        if (it->trt[i].kind == TK_ACT) it->tensors[i].data = it->base + it->trt[i].offset;
    it->magic = TFLC_INTERP_MAGIC;
    tflc_interp_reset(it);
    *out = it;
    return TFLC_STATUS_OK;
}

size_t tflc_interp_arena_used(const struct tflc_interp *it) {
    if (!it) return 0;
    /* init works in whole TFLC_ARENA_ALIGN units (it rounds the usable size down to one). */
    size_t h = it->head > it->head_peak ? it->head : it->head_peak;
    return tflc_align_up(h + it->tail, TFLC_ARENA_ALIGN);
}

int tflc_interp_input_count(const struct tflc_interp *it) { return it ? it->ninputs : 0; }
int tflc_interp_output_count(const struct tflc_interp *it) { return it ? it->noutputs : 0; }

struct tflc_tensor *tflc_interp_input(struct tflc_interp *it, int index) {
    if (!it || index < 0 || index >= it->ninputs) return NULL;
    return &it->tensors[it->inputs[index]];
}

const struct tflc_tensor *tflc_interp_output(const struct tflc_interp *it, int index) {
    if (!it || index < 0 || index >= it->noutputs) return NULL;
    return &it->tensors[it->outputs[index]];
}

int tflc_interp_op_count(const struct tflc_interp *it) { return it ? it->nops : 0; }

bool tflc_interp_op_xnnpack(const struct tflc_interp *it, int op_index) {
    if (!it || !it->xnnpack || op_index < 0 || op_index >= it->nops) return false;
    return it->xnnpack[op_index] != 0;
}

enum tflc_isa tflc_interp_isa(const struct tflc_interp *it) { return it && it->uk ? it->uk->isa : TFLC_ISA_REF; }

const char *tflc_interp_xnnpack_failure(const struct tflc_interp *it) { return it ? it->xnnpack_failure : NULL; }

const char *tflc_interp_op_name(const struct tflc_interp *it, int op_index) {
    if (!it || op_index < 0 || op_index >= it->nops) return NULL;
    const char *s = tflc_tfl_op_name(it->nodes[op_index].builtin);
    return s ? s : "?";
}

enum tflc_status tflc_interp_invoke(struct tflc_interp *it, struct tflc_diag *diag) {
    if (!it || it->magic != TFLC_INTERP_MAGIC)
        return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "tflc_interp_invoke: not an initialized interpreter");
    for (int32_t k = 0; k < it->nops; k++) {
        struct tflc_op_ctx c = {it, &it->nodes[k], it->tensors, k, diag};
        if (it->opt.op_hook) it->opt.op_hook(it->opt.op_hook_ud, k, false);
        enum tflc_status st = c.node->eval(&c);
        if (it->opt.op_hook) it->opt.op_hook(it->opt.op_hook_ud, k, true);
        if (st) return st;
    }
    return TFLC_STATUS_OK;
}

int tflc_interp_op_output_count(const struct tflc_interp *it, int op) {
    if (!it || op < 0 || op >= it->nops) return 0;
    return it->nodes[op].noutputs;
}

int tflc_interp_op_output_index(const struct tflc_interp *it, int op, int i) {
    if (!it || op < 0 || op >= it->nops || i < 0 || i >= it->nodes[op].noutputs) return -1;
    return it->nodes[op].outputs[i];
}

const struct tflc_tensor *tflc_interp_op_output(const struct tflc_interp *it, int op, int i) {
    int t = tflc_interp_op_output_index(it, op, i);
    return t < 0 ? NULL : &it->tensors[t];
}

void tflc_interp_reset(struct tflc_interp *it) {
    if (!it || it->magic != TFLC_INTERP_MAGIC) return;
    for (int32_t i = 0; i < it->ntensors; i++) {
        if (it->trt[i].kind != TK_VARIABLE) continue;
        struct tflc_tensor *t = &it->tensors[i];
        int v = t->dtype == TFLC_DTYPE_INT8 ? t->quant.zero_point : 0;
        memset(t->data, v, t->bytes);
    }
}

void tflc_interp_free(struct tflc_interp *it) {
    if (it) it->magic = 0;
}
