/* IR graph storage (see graph.h). */
#include "ir/graph.h"

#include <string.h>

#include "base/checked_math.h"

void tflc_ir_init(struct tflc_ir_graph *g, size_t arena_limit, struct tflc_diag *diag) {
    memset(g, 0, sizeof *g);
    tflc_arena_init(&g->arena, arena_limit, diag);
    g->diag = diag;
}

void tflc_ir_free(struct tflc_ir_graph *g) {
    if (!g) return;
    tflc_arena_free(&g->arena);
    memset(g, 0, sizeof *g);
}

static bool grow(struct tflc_ir_graph *g, void **arr, int32_t *cap, int32_t n, size_t elem, const char *what) {
    if (n < *cap) return true;
    int32_t nc = *cap ? *cap * 2 : 64;
    if (nc > (1 << 24)) {
        tflc_diag_set(g->diag, TFLC_STATUS_INVALID_MODEL, "too many %s (limit %d)", what, 1 << 24);
        return false;
    }
    void *p = tflc_arena_array(&g->arena, (size_t)nc, elem, what);
    if (!p) return false;
    if (n) memcpy(p, *arr, (size_t)n * elem);
    *arr = p;
    *cap = nc;
    return true;
}

size_t tflc_ir_numel(const struct tflc_ir_tensor *t) {
    size_t n = 1;
    for (int i = 0; i < t->rank; i++) n *= (size_t)t->dims[i];
    return n;
}

static int32_t new_tensor(struct tflc_ir_graph *g, const char *name, enum tflc_dtype dtype, int rank, const int32_t *dims) {
    if (rank < 0 || rank > TFLC_MAX_DIMS) {
        tflc_diag_set(g->diag, TFLC_STATUS_UNSUPPORTED, "tensor '%s' would have rank %d (max %d)", name ? name : "", rank, TFLC_MAX_DIMS);
        return -1;
    }
    size_t n = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] < 0 || !tflc_mul_size(n, (size_t)dims[i], &n) || n > ((size_t)1 << 31)) {
            tflc_diag_set(g->diag, TFLC_STATUS_INVALID_MODEL, "tensor '%s' has an invalid or too large shape", name ? name : "");
            return -1;
        }
    }
    if (!grow(g, (void **)&g->t, &g->ct, g->nt, sizeof *g->t, "tensors")) return -1;
    struct tflc_ir_tensor *t = &g->t[g->nt];
    memset(t, 0, sizeof *t);
    t->name = tflc_arena_strdup(&g->arena, name);
    if (!t->name) return -1;
    t->dtype = dtype;
    t->rank = rank;
    if (rank) memcpy(t->dims, dims, sizeof *dims * (size_t)rank);
    t->producer = -1;
    return g->nt++;
}

int32_t tflc_ir_tensor(struct tflc_ir_graph *g, const char *name, enum tflc_dtype dtype, int rank, const int32_t *dims) {
    return new_tensor(g, name, dtype, rank, dims);
}

int32_t tflc_ir_const(struct tflc_ir_graph *g, const char *name, enum tflc_dtype dtype, int rank, const int32_t *dims,
                      const void *data) {
    int32_t id = new_tensor(g, name, dtype, rank, dims);
    if (id < 0) return -1;
    struct tflc_ir_tensor *t = &g->t[id];
    size_t bytes;
    if (!tflc_mul_size(tflc_ir_numel(t), tflc_dtype_size(dtype), &bytes)) return -1;
    t->data = tflc_arena_memdup(&g->arena, data, bytes, name);
    if (!t->data) return -1;
    t->bytes = bytes;
    return id;
}

int32_t tflc_ir_const_i32(struct tflc_ir_graph *g, const char *name, int n, const int32_t *v) {
    int32_t d[1] = {n};
    return tflc_ir_const(g, name, TFLC_DTYPE_INT32, 1, d, v);
}

int32_t tflc_ir_const_f32(struct tflc_ir_graph *g, const char *name, int rank, const int32_t *dims, const float *v) {
    return tflc_ir_const(g, name, TFLC_DTYPE_FLOAT32, rank, dims, v);
}

int32_t tflc_ir_node(struct tflc_ir_graph *g, int32_t op, const char *name, const int32_t *in, int nin,
                     const int32_t *out, int nout) {
    if (!grow(g, (void **)&g->n, &g->cn, g->nn, sizeof *g->n, "operators")) return -1;
    struct tflc_ir_node *n = &g->n[g->nn];
    memset(n, 0, sizeof *n);
    n->op = op;
    n->name = tflc_arena_strdup(&g->arena, name);
    n->in = tflc_arena_memdup(&g->arena, in, sizeof *in * (size_t)nin, "operator inputs");
    n->out = tflc_arena_memdup(&g->arena, out, sizeof *out * (size_t)nout, "operator outputs");
    if (!n->name || !n->in || !n->out) return -1;
    n->nin = nin;
    n->nout = nout;
    for (int i = 0; i < nout; i++)
        if (out[i] >= 0) g->t[out[i]].producer = g->nn;
    return g->nn++;
}

static struct tflc_ir_opt *opt_slot(struct tflc_ir_graph *g, int32_t node, const char *field) {
    struct tflc_ir_node *n = &g->n[node];
    for (int i = 0; i < n->nopts; i++)
        if (strcmp(n->opts[i].field, field) == 0) return &n->opts[i];
    if (n->nopts >= TFLC_IR_MAX_OPTS) return NULL;
    struct tflc_ir_opt *o = &n->opts[n->nopts++];
    memset(o, 0, sizeof *o);
    o->field = field;
    return o;
}

void tflc_ir_opt_int(struct tflc_ir_graph *g, int32_t node, const char *field, int64_t v) {
    struct tflc_ir_opt *o = node >= 0 ? opt_slot(g, node, field) : NULL;
    if (o) { o->kind = TFLC_IR_OPT_INT; o->i = v; }
}

void tflc_ir_opt_float(struct tflc_ir_graph *g, int32_t node, const char *field, double v) {
    struct tflc_ir_opt *o = node >= 0 ? opt_slot(g, node, field) : NULL;
    if (o) { o->kind = TFLC_IR_OPT_FLOAT; o->f = v; }
}

void tflc_ir_opt_bool(struct tflc_ir_graph *g, int32_t node, const char *field, bool v) {
    struct tflc_ir_opt *o = node >= 0 ? opt_slot(g, node, field) : NULL;
    if (o) { o->kind = TFLC_IR_OPT_BOOL; o->i = v; }
}

void tflc_ir_opt_ints(struct tflc_ir_graph *g, int32_t node, const char *field, const int32_t *v, int n) {
    struct tflc_ir_opt *o = node >= 0 ? opt_slot(g, node, field) : NULL;
    if (!o) return;
    o->kind = TFLC_IR_OPT_INTS;
    o->ints = tflc_arena_memdup(&g->arena, v, sizeof *v * (size_t)n, "option vector");
    o->n = n;
}

const struct tflc_ir_opt *tflc_ir_opt_get(const struct tflc_ir_node *n, const char *field) {
    for (int i = 0; i < n->nopts; i++)
        if (strcmp(n->opts[i].field, field) == 0) return &n->opts[i];
    return NULL;
}

int tflc_ir_use_count(const struct tflc_ir_graph *g, int32_t t) {
    int c = 0;
    for (int32_t k = 0; k < g->nn; k++) {
        if (g->n[k].dead) continue;
        for (int i = 0; i < g->n[k].nin; i++) c += g->n[k].in[i] == t;
    }
    return c;
}

bool tflc_ir_is_output(const struct tflc_ir_graph *g, int32_t t) {
    for (int i = 0; i < g->noutputs; i++)
        if (g->outputs[i] == t) return true;
    return false;
}

void tflc_ir_refresh(struct tflc_ir_graph *g) {
    for (int32_t i = 0; i < g->nt; i++) g->t[i].producer = -1;
    for (int32_t k = 0; k < g->nn; k++) {
        if (g->n[k].dead) continue;
        for (int i = 0; i < g->n[k].nout; i++)
            if (g->n[k].out[i] >= 0) g->t[g->n[k].out[i]].producer = k;
    }
}
