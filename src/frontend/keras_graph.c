/* Keras config walker (see keras_graph.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/keras_graph.h"
#include "frontend/keras_lower.h"

static bool is_model_class(const char *cls) {
    return cls && (!strcmp(cls, "Sequential") || !strcmp(cls, "Functional") || !strcmp(cls, "Model"));
}

static const char *jstr(const cJSON *o, const char *k) {
    const cJSON *j = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
    return cJSON_IsString(j) ? j->valuestring : NULL;
}
static const cJSON *jget(const cJSON *o, const char *k) { return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL; }

/* Layer name: "name" at the layer level (Functional) or inside its config. */
static const char *layer_name(const cJSON *layer) {
    const char *n = jstr(layer, "name");
    return n ? n : jstr(jget(layer, "config"), "name");
}

/* Layers list of a model config: {"layers": [...]} or (Keras 2.0 Sequential) the list itself. */
static const cJSON *model_layers(const cJSON *model) {
    const cJSON *cfg = jget(model, "config");
    if (cJSON_IsArray(cfg)) return cfg;
    const cJSON *l = jget(cfg, "layers");
    return cJSON_IsArray(l) ? l : NULL;
}

/* ---- unsupported-layer scan ---- */

struct scan {
    char msg[200];
    size_t len;
    int count;
    int depth_err;
};

static void scan_layer(struct scan *s, const cJSON *layer, int depth, int max_depth);

static void scan_model(struct scan *s, const cJSON *model, int depth, int max_depth) {
    if (depth > max_depth) { s->depth_err = 1; return; }
    const cJSON *ls = model_layers(model), *l;
    cJSON_ArrayForEach(l, ls) scan_layer(s, l, depth + 1, max_depth);
}

static void scan_layer(struct scan *s, const cJSON *layer, int depth, int max_depth) {
    const char *cls = jstr(layer, "class_name");
    const char *name = layer_name(layer);
    if (is_model_class(cls)) { scan_model(s, layer, depth, max_depth); return; }
    if (cls && tflc_klayer_find(cls)) {
        const cJSON *inner = jget(jget(layer, "config"), "layer"); /* wrappers */
        if (inner && depth <= max_depth) scan_layer(s, inner, depth + 1, max_depth);
        return;
    }
    s->count++;
    if (s->len < sizeof s->msg - 1) {
        int w = snprintf(s->msg + s->len, sizeof s->msg - s->len, "%s%s (%s)", s->count > 1 ? ", " : "", name ? name : "?",
                         cls ? cls : "no class_name");
        if (w > 0) s->len += (size_t)w;
        if (s->len >= sizeof s->msg) s->len = sizeof s->msg - 1;
    }
}

/* ---- inputs ---- */

static enum tflc_status make_input(struct tflc_klower *c, const cJSON *lcfg, int32_t *out) {
    const cJSON *shape = jget(lcfg, "batch_shape");
    if (!shape) shape = jget(lcfg, "batch_input_shape");
    if (!cJSON_IsArray(shape)) return kfail(c, TFLC_STATUS_INVALID_MODEL, "no batch_shape / batch_input_shape");
    int rank = cJSON_GetArraySize(shape);
    if (rank < 1 || rank > TFLC_MAX_DIMS) return kfail(c, TFLC_STATUS_UNSUPPORTED, "input rank %d is not supported", rank);
    int32_t dims[TFLC_MAX_DIMS];
    for (int i = 0; i < rank; i++) {
        const cJSON *d = cJSON_GetArrayItem(shape, i);
        if (i == 0) { dims[0] = 1; continue; }
        if (!cJSON_IsNumber(d) || d->valuedouble < 1 || d->valuedouble > (1 << 24))
            return kfail(c, TFLC_STATUS_UNSUPPORTED, "input dimension %d is %s; only the batch may be dynamic", i,
                         cJSON_IsNull(d) ? "dynamic (None)" : "invalid");
        dims[i] = (int32_t)d->valuedouble;
    }
    const char *dt = jstr(lcfg, "dtype");
    const cJSON *dto = jget(lcfg, "dtype");
    if (!dt && cJSON_IsObject(dto)) dt = jstr(jget(dto, "config"), "name");
    enum tflc_dtype t = TFLC_DTYPE_FLOAT32;
    if (dt && (!strcmp(dt, "int32") || !strcmp(dt, "int64"))) t = TFLC_DTYPE_INT32;
    else if (dt && strcmp(dt, "float32") && strcmp(dt, "float16") && strcmp(dt, "float64"))
        return kfail(c, TFLC_STATUS_UNSUPPORTED, "input dtype '%s' is not supported", dt);
    *out = tflc_ir_tensor(c->g, c->name, t, rank, dims);
    if (*out < 0) return c->diag ? c->diag->status : TFLC_STATUS_INTERNAL;
    c->g->t[*out].dynamic_batch = true;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_klayer_input(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin == 1) { out[0] = in[0]; *nout = 1; return TFLC_STATUS_OK; }
    if (nin != 0) return kfail(c, TFLC_STATUS_INVALID_MODEL, "InputLayer called on %d tensors", nin);
    *nout = 1;
    return make_input(c, c->cfg, &out[0]);
}

/* Adds a graph input (top-level models only). */
static enum tflc_status add_graph_input(struct tflc_klower *c, int32_t t, const char *name) {
    struct tflc_ir_graph *g = c->g;
    int32_t *ni = tflc_arena_array(&g->arena, (size_t)g->ninputs + 1, sizeof *ni, "inputs");
    const char **nn = tflc_arena_array(&g->arena, (size_t)g->ninputs + 1, sizeof *nn, "input names");
    if (!ni || !nn) return TFLC_STATUS_OUT_OF_MEMORY;
    if (g->ninputs) { memcpy(ni, g->inputs, sizeof *ni * (size_t)g->ninputs); memcpy(nn, g->input_names, sizeof *nn * (size_t)g->ninputs); }
    ni[g->ninputs] = t;
    nn[g->ninputs] = tflc_arena_strdup(&g->arena, name);
    g->inputs = ni;
    g->input_names = nn;
    g->ninputs++;
    return TFLC_STATUS_OK;
}

/* ---- one layer call ---- */

static const struct tflc_kgroup *weights_of(const struct tflc_kgroup *w, const char *name) {
    return w && name ? tflc_kgroup_child(w, name) : NULL;
}

/* Non-scalar weights of group g (and below) that `used` does not hold: how many, and the first
 * (*first must start NULL). */
static int unused_weights(const struct tflc_kgroup *g, const struct kw_usage *used, int depth,
                          const struct tflc_kweight **first) {
    if (!g || depth > 64) return 0;
    int n = 0;
    for (int32_t i = 0; i < g->nweights; i++) {
        const struct tflc_kweight *w = &g->weights[i];
        if (w->rank == 0) continue; /* counters and seeds (Normalization's count...) */
        int u = 0;
        while (u < used->n && used->w[u] != w) u++;
        if (u == used->n) {
            n++;
            if (!*first) *first = w;
        }
    }
    for (int32_t i = 0; i < g->nchildren; i++) n += unused_weights(&g->children[i], used, depth + 1, first);
    return n;
}

/* A layer that took weights must take all the file holds for it: an extra one means config and
 * weights disagree (e.g. use_bias false over a kernel and a bias), as Keras' loader says too. */
static enum tflc_status check_weight_count(const struct tflc_klower *c, const struct kw_usage *used) {
    const struct tflc_kweight *first = NULL;
    int n = unused_weights(c->w, used, 0, &first);
    if (!n || used->n >= KW_MAX_USED) return TFLC_STATUS_OK;
    return kfail(c, TFLC_STATUS_INVALID_MODEL,
                 "the file holds %d weights for this layer, its config uses %d (unused: '%s')",
                 used->n + n, used->n, first && first->path ? first->path : "?");
}

static enum tflc_status call_layer(struct tflc_klower *parent, const cJSON *layer, const struct tflc_kgroup *mw,
                                   const int32_t *in, int nin, int32_t *out, int *nout) {
    const char *cls = jstr(layer, "class_name");
    const char *name = layer_name(layer);
    const cJSON *cfg = jget(layer, "config");
    if (!cls || !name) return tflc_diag_set(parent->diag, TFLC_STATUS_INVALID_MODEL, "a layer has no class_name or name");
    if (parent->depth > parent->lim->max_nesting)
        return tflc_diag_set(parent->diag, TFLC_STATUS_INVALID_MODEL, "layer '%s': models nested deeper than %d", name,
                             parent->lim->max_nesting);
    struct tflc_klower c = kl_child(parent, name, cls, cfg, weights_of(mw, name));
    /* A nested model's weights are a group named after it (h5, .keras), or, in TensorFlow.js
     * files, sit flat beside the outer layers' under their own (unique) layer names. */
    if (is_model_class(cls)) return tflc_keras_lower_model(&c, layer, c.w ? c.w : mw, in, nin, out, nout);
    tflc_klayer_fn fn = tflc_klayer_find(cls);
    if (!fn) return kfail(&c, TFLC_STATUS_UNSUPPORTED, "layer class is not supported");
    *nout = 0;
    struct kw_usage used;
    used.n = 0;
    c.used = &used;
    enum tflc_status st = fn(&c, in, nin, out, nout);
    if (st == TFLC_STATUS_OK && *nout < 1) st = kfail(&c, TFLC_STATUS_INTERNAL, "produced no output");
    for (int i = 0; st == TFLC_STATUS_OK && i < *nout; i++)
        if (out[i] < 0) st = kfail(&c, c.diag && c.diag->status ? c.diag->status : TFLC_STATUS_INTERNAL, "lowering failed");
    if (st == TFLC_STATUS_OK && used.n > 0) st = check_weight_count(&c, &used);
    return st;
}

static enum tflc_status check_unique_names(struct tflc_klower *c, const cJSON *ls) {
    int n = cJSON_GetArraySize(ls);
    const char **names = calloc((size_t)(n ? n : 1), sizeof *names);
    if (!names) return tflc_diag_set(c->diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    int i = 0;
    const cJSON *l;
    enum tflc_status st = TFLC_STATUS_OK;
    cJSON_ArrayForEach(l, ls) {
        const char *nm = layer_name(l);
        for (int k = 0; nm && k < i && st == TFLC_STATUS_OK; k++)
            if (names[k] && !strcmp(names[k], nm))
                st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "model '%s': two layers are named '%s'", c->name ? c->name : "",
                                   nm);
        names[i++] = nm;
    }
    free(names);
    return st;
}

/* ---- Sequential ---- */

static enum tflc_status lower_sequential(struct tflc_klower *c, const cJSON *model, const struct tflc_kgroup *w,
                                         const int32_t *in, int nin, int32_t *out, int *nout) {
    const cJSON *ls = model_layers(model);
    if (!ls || cJSON_GetArraySize(ls) == 0) return tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "Sequential model '%s' has no layers", c->name ? c->name : "");
    enum tflc_status st = check_unique_names(c, ls);
    if (st) return st;
    int32_t x = -1;
    if (nin == 1) x = in[0];
    else if (nin > 1) return tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "Sequential model '%s' called on %d inputs", c->name, nin);
    const cJSON *l;
    int idx = 0;
    cJSON_ArrayForEach(l, ls) {
        const char *cls = jstr(l, "class_name");
        const cJSON *lcfg = jget(l, "config");
        if (x < 0) {
            /* The model's input: an InputLayer, or batch_input_shape on the first layer. */
            struct tflc_klower ic = kl_child(c, layer_name(l), cls, lcfg, NULL);
            char nm[256];
            if (cls && !strcmp(cls, "InputLayer")) {
                if ((st = make_input(&ic, lcfg, &x))) return st;
                if ((st = add_graph_input(c, x, layer_name(l) ? layer_name(l) : "input"))) return st;
                idx++;
                continue;
            }
            snprintf(nm, sizeof nm, "%s_input", layer_name(l) ? layer_name(l) : "input");
            ic.name = nm;
            const cJSON *src = lcfg;
            if (is_model_class(cls)) { /* nested model first: its own first layer holds the shape */
                const cJSON *il = cJSON_GetArrayItem(model_layers(l), 0);
                src = jget(il, "config");
            }
            if ((st = make_input(&ic, src, &x))) return st;
            if ((st = add_graph_input(c, x, nm))) return st;
        } else if (cls && !strcmp(cls, "InputLayer")) {
            idx++;
            continue; /* an InputLayer after the input passes the tensor through */
        }
        int32_t o[KL_MAX_IO];
        int no = 0;
        if ((st = call_layer(c, l, w, &x, 1, o, &no))) return st;
        if (no != 1) return tflc_diag_set(c->diag, TFLC_STATUS_UNSUPPORTED, "layer '%s' in a Sequential model has %d outputs", layer_name(l), no);
        x = o[0];
        idx++;
    }
    if (x < 0) return tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "Sequential model '%s' has no input", c->name ? c->name : "");
    out[0] = x;
    *nout = 1;
    return TFLC_STATUS_OK;
}

/* ---- Functional ---- */

struct fnode {
    const cJSON *layer;
    int call;        /* node index of this call, as references name it */
    int entry;       /* its entry in the layer's inbound_nodes */
    int32_t out[KL_MAX_IO];
    int nout;
    bool done;
};

/* A reference [name, node, tensor] (Keras 2 / tfjs) or a __keras_tensor__ (Keras 3):
 * 1 = a reference, 0 = not one, -1 = a reference whose indices are out of range. */
static int parse_ref(const cJSON *r, const char **name, int *node, int *tensor) {
    if (cJSON_IsArray(r) && cJSON_GetArraySize(r) >= 3 && cJSON_IsString(cJSON_GetArrayItem(r, 0))) {
        const cJSON *nd = cJSON_GetArrayItem(r, 1), *ti = cJSON_GetArrayItem(r, 2);
        if (!cJSON_IsNumber(nd) || !cJSON_IsNumber(ti)) return 0;
        /* Range-checked before the conversion: a double outside int's range is undefined. */
        if (!(fabs(nd->valuedouble) <= 1e6) || !(fabs(ti->valuedouble) <= 1e6)) return -1;
        *name = cJSON_GetArrayItem(r, 0)->valuestring;
        *node = (int)nd->valuedouble;
        *tensor = (int)ti->valuedouble;
        return 1;
    }
    const char *cn = jstr(r, "class_name");
    if (cn && !strcmp(cn, "__keras_tensor__")) {
        const cJSON *h = jget(jget(r, "config"), "keras_history");
        return parse_ref(h, name, node, tensor);
    }
    return 0;
}

/* Collects the tensor references of one inbound node, in order. */
static int collect_refs(const cJSON *j, const char **names, int *nodes, int *tensors, int n, int max, int depth) {
    if (depth > 16 || n < 0) return -1;
    const char *nm;
    int nd, t, r = parse_ref(j, &nm, &nd, &t);
    if (r < 0) return -1;
    if (r > 0) {
        if (n >= max) return -1;
        names[n] = nm;
        nodes[n] = nd;
        tensors[n] = t;
        return n + 1;
    }
    if (cJSON_IsArray(j)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, j) {
            n = collect_refs(e, names, nodes, tensors, n, max, depth + 1);
            if (n < 0) return -1;
        }
    }
    return n;
}

static int inbound_refs(const cJSON *node, const char **names, int *nodes, int *tensors, int max) {
    if (cJSON_IsObject(node)) return collect_refs(jget(node, "args"), names, nodes, tensors, 0, max, 0);
    return collect_refs(node, names, nodes, tensors, 0, max, 0);
}

/* input_layers / output_layers: [[name, node, tensor], ...] or a single [name, node, tensor]. */
static int io_refs(const cJSON *j, const char **names, int *nodes, int *tensors, int max) {
    const char *nm;
    int nd, t, r = parse_ref(j, &nm, &nd, &t);
    if (r < 0) return -1;
    if (r > 0) {
        names[0] = nm;
        nodes[0] = nd;
        tensors[0] = t;
        return 1;
    }
    return collect_refs(j, names, nodes, tensors, 0, max, 0);
}

static struct fnode *find_node(struct fnode *fn, int n, const char *name, int call) {
    for (int i = 0; i < n; i++) {
        const char *ln = layer_name(fn[i].layer); /* NULL for a nameless layer: never referenced */
        if (fn[i].call == call && ln && !strcmp(ln, name)) return &fn[i];
    }
    return NULL;
}

static enum tflc_status lower_functional(struct tflc_klower *c, const cJSON *model, const struct tflc_kgroup *w,
                                         const int32_t *in, int nin, int32_t *out, int *nout) {
    const cJSON *cfg = jget(model, "config");
    const cJSON *ls = model_layers(model);
    if (!ls) return tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "model '%s' has no layers", c->name ? c->name : "");
    enum tflc_status st = check_unique_names(c, ls);
    if (st) return st;
    /* One fnode per (layer, call). */
    int total = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, ls) {
        int k = cJSON_GetArraySize(jget(l, "inbound_nodes"));
        total += k > 0 ? k : 1;
        if (total > 1000000) return tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "too many layer calls");
    }
    struct fnode *fn = calloc((size_t)total, sizeof *fn);
    if (!fn) return tflc_diag_set(c->diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    int nf = 0;
    const char *rn[KL_MAX_IO];
    int rnode[KL_MAX_IO], rt[KL_MAX_IO];
    cJSON_ArrayForEach(l, ls) {
        int k = cJSON_GetArraySize(jget(l, "inbound_nodes"));
        /* A nested model built on its own Input has a node 0 of its own that the config leaves
         * out, while references keep counting it (Keras 2, TensorFlow.js; Keras 3 for Functional
         * only): its calls are then named 1..k. Seen as a reference to node k. */
        int skip = 0;
        const char *nm = layer_name(l);
        if (is_model_class(jstr(l, "class_name")) && nm && k > 0) {
            const cJSON *o;
            cJSON_ArrayForEach(o, ls) {
                const cJSON *node;
                cJSON_ArrayForEach(node, jget(o, "inbound_nodes")) {
                    int n = inbound_refs(node, rn, rnode, rt, KL_MAX_IO);
                    for (int r = 0; r < n; r++)
                        if (!strcmp(rn[r], nm) && rnode[r] == k) skip = 1;
                }
            }
            int n = io_refs(jget(cfg, "output_layers"), rn, rnode, rt, KL_MAX_IO);
            for (int r = 0; r < n; r++)
                if (!strcmp(rn[r], nm) && rnode[r] == k) skip = 1;
        }
        for (int i = 0; i < (k > 0 ? k : 1); i++) { fn[nf].layer = l; fn[nf].call = i + skip; fn[nf].entry = i; nf++; }
    }
    /* Inputs. */
    int ni = io_refs(jget(cfg, "input_layers"), rn, rnode, rt, KL_MAX_IO);
    if (ni <= 0) { st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "model '%s' has no input_layers", c->name); goto out; }
    if (nin && nin != ni) { st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "model '%s' takes %d inputs, called on %d", c->name, ni, nin); goto out; }
    for (int i = 0; i < ni; i++) {
        struct fnode *f = find_node(fn, nf, rn[i], 0);
        if (!f) { st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "input layer '%s' does not exist", rn[i]); goto out; }
        if (f->done) continue;
        if (nin) {
            f->out[0] = in[i];
        } else {
            struct tflc_klower ic = kl_child(c, layer_name(f->layer), "InputLayer", jget(f->layer, "config"), NULL);
            if ((st = make_input(&ic, jget(f->layer, "config"), &f->out[0]))) goto out;
            if ((st = add_graph_input(c, f->out[0], layer_name(f->layer)))) goto out;
        }
        f->nout = 1;
        f->done = true;
    }
    /* Repeatedly lower every call whose inputs are ready. */
    for (bool progress = true; progress;) {
        progress = false;
        for (int i = 0; i < nf; i++) {
            struct fnode *f = &fn[i];
            if (f->done) continue;
            const cJSON *nodes = jget(f->layer, "inbound_nodes");
            const cJSON *node = cJSON_GetArrayItem(nodes, f->entry);
            if (!node) continue; /* an InputLayer not listed in input_layers stays unresolved */
            int n = inbound_refs(node, rn, rnode, rt, KL_MAX_IO);
            if (n < 0) { st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "layer '%s': malformed inbound_nodes", layer_name(f->layer)); goto out; }
            int32_t xin[KL_MAX_IO];
            bool ready = true;
            for (int k = 0; k < n && ready; k++) {
                struct fnode *src = find_node(fn, nf, rn[k], rnode[k]);
                if (!src) {
                    st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "layer '%s' reads from '%s' node %d, which does not exist",
                                       layer_name(f->layer), rn[k], rnode[k]);
                    goto out;
                }
                if (!src->done) { ready = false; break; }
                if (rt[k] < 0 || rt[k] >= src->nout) {
                    st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "layer '%s' reads output %d of '%s', which has %d",
                                       layer_name(f->layer), rt[k], rn[k], src->nout);
                    goto out;
                }
                xin[k] = src->out[rt[k]];
            }
            if (!ready) continue;
            if ((st = call_layer(c, f->layer, w, xin, n, f->out, &f->nout))) goto out;
            f->done = true;
            progress = true;
        }
    }
    int no = io_refs(jget(cfg, "output_layers"), rn, rnode, rt, KL_MAX_IO);
    if (no <= 0) { st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "model '%s' has no output_layers", c->name); goto out; }
    for (int i = 0; i < no; i++) {
        struct fnode *f = find_node(fn, nf, rn[i], rnode[i]);
        if (!f) {
            st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "output layer '%s' (node %d) does not exist", rn[i],
                               rnode[i]);
            goto out;
        }
        if (!f->done) {
            /* Every reference resolved, yet nothing is ready: the layers left wait on each other
             * (a cycle) or on an input that is not among input_layers. Name them. */
            char stuck[160] = "";
            size_t len = 0;
            int nstuck = 0;
            for (int k = 0; k < nf; k++) {
                if (fn[k].done || !cJSON_GetArrayItem(jget(fn[k].layer, "inbound_nodes"), fn[k].entry)) continue;
                const char *ln = layer_name(fn[k].layer);
                if (nstuck++ < 4 && len < sizeof stuck) {
                    int wr = snprintf(stuck + len, sizeof stuck - len, "%s'%s'", len ? ", " : "", ln ? ln : "?");
                    if (wr > 0) len += (size_t)wr;
                }
            }
            st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL,
                               "output '%s' cannot be computed: layer%s %s%s wait%s on each other (a cycle) or on a "
                               "missing input",
                               rn[i], nstuck == 1 ? "" : "s", stuck, nstuck > 4 ? " ..." : "", nstuck == 1 ? "s" : "");
            goto out;
        }
        if (rt[i] < 0 || rt[i] >= f->nout) { st = tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "output '%s' has no tensor %d", rn[i], rt[i]); goto out; }
        out[i] = f->out[rt[i]];
    }
    *nout = no;
out:
    free(fn);
    return st;
}

enum tflc_status tflc_keras_lower_model(struct tflc_klower *c, const cJSON *model, const struct tflc_kgroup *w,
                                        const int32_t *in, int nin, int32_t *out, int *nout) {
    const char *cls = jstr(model, "class_name");
    if (c->depth > c->lim->max_nesting)
        return tflc_diag_set(c->diag, TFLC_STATUS_INVALID_MODEL, "models nested deeper than %d", c->lim->max_nesting);
    if (cls && !strcmp(cls, "Sequential")) return lower_sequential(c, model, w, in, nin, out, nout);
    return lower_functional(c, model, w, in, nin, out, nout);
}

enum tflc_status tflc_keras_to_ir(const struct tflc_kmodel *m, const struct tflc_keras_limits *lim, struct tflc_ir_graph *g,
                                  struct tflc_diag *diag) {
    const cJSON *root = m->config;
    const char *cls = jstr(root, "class_name");
    if (!is_model_class(cls))
        return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "the model is a '%s', expected a Sequential or Functional model",
                             cls ? cls : "?");
    struct scan s;
    memset(&s, 0, sizeof s);
    scan_model(&s, root, 0, lim->max_nesting);
    if (s.depth_err) return tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "models nested deeper than %d", lim->max_nesting);
    if (s.count)
        return tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "%d unsupported layer%s: %s", s.count, s.count == 1 ? "" : "s", s.msg);
    struct tflc_klower c;
    memset(&c, 0, sizeof c);
    c.g = g;
    c.m = m;
    c.diag = diag;
    c.lim = lim;
    c.keras_major = m->keras_version && m->keras_version[0] == '3' ? 3 : 2;
    c.name = layer_name(root);
    c.cls = cls;
    c.cfg = jget(root, "config");
    int32_t out[KL_MAX_IO];
    int nout = 0;
    enum tflc_status st = tflc_keras_lower_model(&c, root, &m->root, NULL, 0, out, &nout);
    if (st) return st;
    if (m->stray_weights)
        return tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL,
                             "the weights hold layer '%s', which the model config does not have", m->stray_weights);
    g->outputs = tflc_arena_memdup(&g->arena, out, sizeof *out * (size_t)nout, "outputs");
    g->output_names = tflc_arena_array(&g->arena, (size_t)nout, sizeof *g->output_names, "output names");
    if (!g->outputs || !g->output_names) return TFLC_STATUS_OUT_OF_MEMORY;
    g->noutputs = nout;
    for (int i = 0; i < nout; i++) {
        /* Signature names: the producing layer's name (output tensors are named after layers). */
        int32_t p = g->t[out[i]].producer;
        g->output_names[i] = p >= 0 ? g->n[p].name : g->t[out[i]].name;
    }
    return TFLC_STATUS_OK;
}
