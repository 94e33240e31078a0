/* Lowering helpers shared by every layer file (see keras_lower.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frontend/keras_lower.h"

static const struct { const char *cls; tflc_klayer_fn fn; } table[] = {
#define KLAYER(cls, fn) {#cls, tflc_klayer_##fn},
#include "frontend/klayers.def"
#undef KLAYER
};

tflc_klayer_fn tflc_klayer_find(const char *cls) {
    for (size_t i = 0; cls && i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].cls, cls) == 0) return table[i].fn;
    return NULL;
}

enum tflc_status kfail(const struct tflc_klower *c, enum tflc_status st, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tflc_diag_set(c->diag, st, "layer '%s' (%s): %s", c->name ? c->name : "?", c->cls ? c->cls : "?", msg);
}

const cJSON *kcfg(const struct tflc_klower *c, const char *key) {
    return cJSON_IsObject(c->cfg) ? cJSON_GetObjectItemCaseSensitive(c->cfg, key) : NULL;
}

enum tflc_status kcfg_int(const struct tflc_klower *c, const char *key, int64_t dflt, int64_t lo, int64_t hi, int64_t *v) {
    const cJSON *j = kcfg(c, key);
    if (!j || cJSON_IsNull(j)) { *v = dflt; return TFLC_STATUS_OK; }
    /* Some Keras versions write 1-element lists for scalars. */
    if (cJSON_IsArray(j) && cJSON_GetArraySize(j) == 1) j = cJSON_GetArrayItem(j, 0);
    if (!cJSON_IsNumber(j) || j->valuedouble != floor(j->valuedouble) || j->valuedouble < (double)lo || j->valuedouble > (double)hi)
        return kfail(c, TFLC_STATUS_INVALID_MODEL, "'%s' must be an integer in [%lld, %lld]", key, (long long)lo, (long long)hi);
    *v = (int64_t)j->valuedouble;
    return TFLC_STATUS_OK;
}

enum tflc_status kcfg_num(const struct tflc_klower *c, const char *key, double dflt, double *v) {
    const cJSON *j = kcfg(c, key);
    if (!j || cJSON_IsNull(j)) { *v = dflt; return TFLC_STATUS_OK; }
    if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble)) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'%s' must be a number", key);
    *v = j->valuedouble;
    return TFLC_STATUS_OK;
}

enum tflc_status kcfg_bool(const struct tflc_klower *c, const char *key, bool dflt, bool *v) {
    const cJSON *j = kcfg(c, key);
    if (!j || cJSON_IsNull(j)) { *v = dflt; return TFLC_STATUS_OK; }
    if (cJSON_IsNumber(j) && (j->valuedouble == 0 || j->valuedouble == 1)) { /* Python truthiness: 0 / 1 */
        *v = j->valuedouble != 0;
        return TFLC_STATUS_OK;
    }
    if (!cJSON_IsBool(j)) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'%s' must be true or false", key);
    *v = cJSON_IsTrue(j);
    return TFLC_STATUS_OK;
}

const char *kcfg_str(const struct tflc_klower *c, const char *key) {
    const cJSON *j = kcfg(c, key);
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

enum tflc_status kcfg_ints(const struct tflc_klower *c, const char *key, int n, const int32_t *dflt, int32_t lo, int32_t hi,
                           int32_t *v) {
    const cJSON *j = kcfg(c, key);
    if (!j || cJSON_IsNull(j)) {
        if (!dflt) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'%s' is missing", key);
        memcpy(v, dflt, sizeof *v * (size_t)n);
        return TFLC_STATUS_OK;
    }
    if (cJSON_IsNumber(j)) {
        for (int i = 0; i < n; i++) v[i] = kjson_i32(j);
    } else if (cJSON_IsArray(j) && cJSON_GetArraySize(j) == n) {
        for (int i = 0; i < n; i++) {
            const cJSON *e = cJSON_GetArrayItem(j, i);
            if (!cJSON_IsNumber(e)) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'%s' must hold integers", key);
            v[i] = e->valuedouble >= (double)lo && e->valuedouble <= (double)hi ? kjson_i32(e) : lo - 1;
        }
    } else {
        return kfail(c, TFLC_STATUS_INVALID_MODEL, "'%s' must be an integer or a list of %d integers", key, n);
    }
    for (int i = 0; i < n; i++)
        if (v[i] < lo || v[i] > hi)
            return kfail(c, TFLC_STATUS_INVALID_MODEL, "'%s' values must be in [%d, %d]", key, lo, hi);
    return TFLC_STATUS_OK;
}

const char *kcfg_activation(const struct tflc_klower *c, const char *key) {
    const cJSON *j = kcfg(c, key);
    if (!j || cJSON_IsNull(j)) return "linear";
    if (cJSON_IsString(j)) return j->valuestring;
    if (cJSON_IsObject(j)) {
        /* Keras 3 may serialize {"module": "keras.activations", "class_name": "function",
         * "config": "relu"} or a layer-like {"class_name": "ReLU"}. */
        const cJSON *cfgs = cJSON_GetObjectItemCaseSensitive(j, "config");
        if (cJSON_IsString(cfgs)) return cfgs->valuestring;
        const cJSON *cn = cJSON_GetObjectItemCaseSensitive(j, "class_name");
        if (cJSON_IsString(cn)) return cn->valuestring;
    }
    return "?";
}

/* ---- weights ---- */

static int count_group(const struct tflc_kgroup *g) {
    if (!g) return 0;
    int n = g->nweights;
    for (int32_t i = 0; i < g->nchildren; i++) n += count_group(&g->children[i]);
    return n;
}

static const struct tflc_kweight *nth(const struct tflc_kgroup *g, int *i) {
    if (!g) return NULL;
    if (*i < g->nweights) return &g->weights[*i];
    *i -= g->nweights;
    for (int32_t k = 0; k < g->nchildren; k++) {
        const struct tflc_kweight *w = nth(&g->children[k], i);
        if (w) return w;
    }
    return NULL;
}

int kw_count(const struct tflc_klower *c) { return count_group(c->w); }

enum tflc_status kw_get(const struct tflc_klower *c, int i, const char *name, int rank, const int32_t *dims,
                        const struct tflc_kweight **out) {
    int k = i;
    const struct tflc_kweight *w = nth(c->w, &k);
    if (!w)
        return kfail(c, TFLC_STATUS_INVALID_MODEL, "weight %d (%s) is missing: the file holds %d weights for this layer", i,
                     name ? name : "?", kw_count(c));
    if (name && w->name && strcmp(w->name, name) != 0)
        return kfail(c, TFLC_STATUS_INVALID_MODEL, "weight %d is '%s', expected '%s'", i, w->path, name);
    bool ok = w->rank == rank;
    for (int d = 0; ok && d < rank; d++) ok = dims[d] < 0 || dims[d] == w->dims[d];
    if (!ok) {
        char want[96], got[96];
        size_t a = 0, b = 0;
        for (int d = 0; d < rank && a < sizeof want - 12; d++) a += (size_t)snprintf(want + a, sizeof want - a, d ? ",%d" : "%d", dims[d]);
        for (int d = 0; d < w->rank && b < sizeof got - 12; d++) b += (size_t)snprintf(got + b, sizeof got - b, d ? ",%d" : "%d", w->dims[d]);
        want[a] = got[b] = 0;
        return kfail(c, TFLC_STATUS_INVALID_MODEL, "weight '%s' has shape [%s], the config implies [%s]", w->path, got, want);
    }
    if (w->dtype != TFLC_DTYPE_FLOAT32)
        return kfail(c, TFLC_STATUS_INVALID_MODEL, "weight '%s' is not float", w->path);
    if (c->used) {
        int u = 0;
        while (u < c->used->n && c->used->w[u] != w) u++;
        if (u == c->used->n && u < KW_MAX_USED) c->used->w[c->used->n++] = w;
    }
    *out = w;
    return TFLC_STATUS_OK;
}

struct tflc_klower kl_child(const struct tflc_klower *c, const char *name, const char *cls, const cJSON *cfg,
                            const struct tflc_kgroup *w) {
    struct tflc_klower k = *c;
    k.name = name;
    k.cls = cls;
    k.cfg = cfg;
    k.w = w;
    k.depth = c->depth + 1;
    return k;
}

/* ---- IR construction ---- */

int32_t kir_tensor(struct tflc_klower *c, const char *suffix, enum tflc_dtype t, int rank, const int32_t *dims) {
    char nm[256];
    snprintf(nm, sizeof nm, "%s%s", c->name ? c->name : "", suffix ? suffix : "");
    int32_t id = tflc_ir_tensor(c->g, nm, t, rank, dims);
    if (id >= 0 && rank > 0) c->g->t[id].dynamic_batch = true;
    return id;
}

int32_t kir_const_f32(struct tflc_klower *c, const char *suffix, int rank, const int32_t *dims, const float *v) {
    char nm[256];
    snprintf(nm, sizeof nm, "%s%s", c->name ? c->name : "", suffix ? suffix : "");
    return tflc_ir_const_f32(c->g, nm, rank, dims, v);
}

int32_t kir_const_i32(struct tflc_klower *c, const char *suffix, int n, const int32_t *v) {
    char nm[256];
    snprintf(nm, sizeof nm, "%s%s", c->name ? c->name : "", suffix ? suffix : "");
    return tflc_ir_const_i32(c->g, nm, n, v);
}

int32_t kir_node(struct tflc_klower *c, int32_t op, const int32_t *in, int nin, const int32_t *out, int nout) {
    return tflc_ir_node(c->g, op, c->name ? c->name : "", in, nin, out, nout);
}

int32_t kir_unary(struct tflc_klower *c, int32_t op, int32_t x, const char *suffix) {
    const struct tflc_ir_tensor *t = kir_t(c, x);
    int32_t y = kir_tensor(c, suffix, t->dtype, t->rank, t->dims);
    if (y < 0 || kir_node(c, op, &x, 1, &y, 1) < 0) return -1;
    return y;
}

int32_t kir_binary(struct tflc_klower *c, int32_t op, int32_t a, int32_t b, const char *suffix) {
    const struct tflc_ir_tensor *ta = kir_t(c, a), *tb = kir_t(c, b);
    int r = ta->rank > tb->rank ? ta->rank : tb->rank;
    int32_t d[TFLC_MAX_DIMS];
    for (int i = 0; i < r; i++) {
        int ia = i - (r - ta->rank), ib = i - (r - tb->rank);
        int32_t da = ia >= 0 ? ta->dims[ia] : 1, db = ib >= 0 ? tb->dims[ib] : 1;
        if (da != db && da != 1 && db != 1) {
            kfail(c, TFLC_STATUS_INVALID_MODEL, "input shapes do not broadcast (dim %d: %d vs %d)", i, da, db);
            return -1;
        }
        d[i] = da == 1 ? db : da;
    }
    int32_t y = kir_tensor(c, suffix, ta->dtype, r, d);
    int32_t in[2] = {a, b};
    if (y < 0 || kir_node(c, op, in, 2, &y, 1) < 0) return -1;
    return y;
}

int32_t kir_reshape(struct tflc_klower *c, int32_t x, int rank, const int32_t *dims, const char *suffix) {
    size_t n = 1, m = tflc_ir_numel(kir_t(c, x));
    for (int i = 0; i < rank; i++) n *= (size_t)dims[i];
    if (n != m) {
        kfail(c, TFLC_STATUS_INVALID_MODEL, "cannot reshape %zu elements into %zu", m, n);
        return -1;
    }
    int32_t shape = kir_const_i32(c, "/shape", rank, dims);
    int32_t y = kir_tensor(c, suffix, kir_t(c, x)->dtype, rank, dims);
    int32_t in[2] = {x, shape};
    int32_t k = y >= 0 && shape >= 0 ? kir_node(c, TFLC_TFL_BUILTIN_OPERATOR_RESHAPE, in, 2, &y, 1) : -1;
    if (k < 0) return -1;
    tflc_ir_opt_ints(c->g, k, "new_shape", dims, rank);
    return y;
}

int32_t kir_transpose(struct tflc_klower *c, int32_t x, const int32_t *perm, const char *suffix) {
    const struct tflc_ir_tensor *t = kir_t(c, x);
    int32_t d[TFLC_MAX_DIMS];
    for (int i = 0; i < t->rank; i++) d[i] = t->dims[perm[i]];
    int32_t p = kir_const_i32(c, "/perm", t->rank, perm);
    int32_t y = kir_tensor(c, suffix, t->dtype, t->rank, d);
    int32_t in[2] = {x, p};
    if (y < 0 || p < 0 || kir_node(c, TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE, in, 2, &y, 1) < 0) return -1;
    return y;
}

int32_t kir_fully_connected(struct tflc_klower *c, int32_t x, int32_t w, int32_t b, bool keep_num_dims, const char *suffix) {
    const struct tflc_ir_tensor *tx = kir_t(c, x), *tw = kir_t(c, w);
    int32_t units = tw->dims[0], k = tw->dims[1];
    if (tx->rank < 1 || tx->dims[tx->rank - 1] != k) {
        kfail(c, TFLC_STATUS_INVALID_MODEL, "input's last dimension %d does not match the kernel's %d",
              tx->rank ? tx->dims[tx->rank - 1] : 0, k);
        return -1;
    }
    int32_t d[TFLC_MAX_DIMS];
    int r;
    if (keep_num_dims) {
        r = tx->rank;
        memcpy(d, tx->dims, sizeof d);
        d[r - 1] = units;
    } else {
        r = 2;
        d[0] = (int32_t)(tflc_ir_numel(tx) / (size_t)k);
        d[1] = units;
    }
    int32_t y = kir_tensor(c, suffix, TFLC_DTYPE_FLOAT32, r, d);
    int32_t in[3] = {x, w, b};
    int32_t node = y >= 0 ? kir_node(c, TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED, in, 3, &y, 1) : -1;
    if (node < 0) return -1;
    if (keep_num_dims) tflc_ir_opt_bool(c->g, node, "keep_num_dims", true);
    return y;
}

bool kir_runtime_has(int32_t builtin) {
    static const int32_t ops[] = {
#define TFLC_OP(name, stem, version) TFLC_TFL_BUILTIN_OPERATOR_##name,
#include "base/ops.def"
#undef TFLC_OP
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ops[i] == builtin) return true;
    return false;
}

/* Keras activations as TFLite ops (Google's converter lowers them the same way). */
int32_t kir_activation(struct tflc_klower *c, int32_t x, const char *act) {
    const char *a = act ? act : "linear";
    if (!strcmp(a, "linear") || !strcmp(a, "Linear")) return x;
    if (!strcmp(a, "relu") || !strcmp(a, "ReLU")) return kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_RELU, x, "/relu");
    if (!strcmp(a, "relu6")) return kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_RELU6, x, "/relu6");
    if (!strcmp(a, "sigmoid")) return kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_LOGISTIC, x, "/sigmoid");
    if (!strcmp(a, "tanh")) return kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_TANH, x, "/tanh");
    if (!strcmp(a, "elu")) return kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_ELU, x, "/elu");
    if (!strcmp(a, "exponential")) return kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_EXP, x, "/exp");
    if (!strcmp(a, "hard_swish") || !strcmp(a, "hard_silu")) return kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_HARD_SWISH, x, "/hard_swish");
    if (!strcmp(a, "softmax")) {
        const struct tflc_ir_tensor *t = kir_t(c, x);
        int32_t y = kir_tensor(c, "/softmax", t->dtype, t->rank, t->dims);
        int32_t k = y >= 0 ? kir_node(c, TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX, &x, 1, &y, 1) : -1;
        if (k < 0) return -1;
        tflc_ir_opt_float(c->g, k, "beta", 1.0);
        return y;
    }
    if (!strcmp(a, "gelu")) {
        int32_t y = kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_GELU, x, "/gelu");
        /* Keras' gelu activation defaults to approximate=False. */
        return y;
    }
    if (!strcmp(a, "swish") || !strcmp(a, "silu")) {
        int32_t s = kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_LOGISTIC, x, "/sigmoid");
        return s < 0 ? -1 : kir_binary(c, TFLC_TFL_BUILTIN_OPERATOR_MUL, x, s, "/swish");
    }
    if (!strcmp(a, "selu")) {
        /* scale * x above 0, scale * alpha * (exp(x) - 1) below (TensorFlow's constants). As
         * alpha > 1, that is min(scale * elu(x), scale * alpha * elu(x)). */
        const float scale = 1.0507009873554804934193349852946f, scale_alpha = 1.7580993408473768599402175208123f;
        int32_t e = kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_ELU, x, "/elu");
        int32_t sk = kir_const_f32(c, "/scale", 0, NULL, &scale);
        int32_t ak = kir_const_f32(c, "/scale_alpha", 0, NULL, &scale_alpha);
        int32_t p = e < 0 || sk < 0 ? -1 : kir_binary(c, TFLC_TFL_BUILTIN_OPERATOR_MUL, e, sk, "/scaled");
        int32_t q = p < 0 || ak < 0 ? -1 : kir_binary(c, TFLC_TFL_BUILTIN_OPERATOR_MUL, e, ak, "/scaled_alpha");
        return q < 0 ? -1 : kir_binary(c, TFLC_TFL_BUILTIN_OPERATOR_MINIMUM, p, q, "/selu");
    }
    if (!strcmp(a, "hard_sigmoid")) {
        /* Keras 2: clip(0.2x + 0.5, 0, 1); Keras 3: clip(x/6 + 0.5, 0, 1).
         * Both are 0.5 * clip(2 slope x, -1, 1) + 0.5: a MUL with RELU_N1_TO_1 fused, then MUL, ADD. */
        const float k2 = c->keras_major >= 3 ? (float)(1.0 / 3.0) : 0.4f, half = 0.5f;
        int32_t kk = kir_const_f32(c, "/slope", 0, NULL, &k2), hk = kir_const_f32(c, "/half", 0, NULL, &half);
        int32_t m = kk < 0 ? -1 : kir_binary(c, TFLC_TFL_BUILTIN_OPERATOR_MUL, x, kk, "/scaled");
        int32_t r = m < 0 ? -1 : kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_RELU_N1_TO_1, m, "/clip");
        int32_t h = r < 0 || hk < 0 ? -1 : kir_binary(c, TFLC_TFL_BUILTIN_OPERATOR_MUL, r, hk, "/half");
        return h < 0 ? -1 : kir_binary(c, TFLC_TFL_BUILTIN_OPERATOR_ADD, h, hk, "/hard_sigmoid");
    }
    if (!strcmp(a, "softplus")) {
        const float one = 1.0f;
        int32_t e = kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_EXP, x, "/exp");
        int32_t ok = kir_const_f32(c, "/one", 0, NULL, &one);
        int32_t s1 = e < 0 || ok < 0 ? -1 : kir_binary(c, TFLC_TFL_BUILTIN_OPERATOR_ADD, e, ok, "/exp_plus_1");
        return s1 < 0 ? -1 : kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_LOG, s1, "/softplus");
    }
    if (!strcmp(a, "softsign")) {
        const float one = 1.0f;
        int32_t ab = kir_unary(c, TFLC_TFL_BUILTIN_OPERATOR_ABS, x, "/abs");
        int32_t ok = kir_const_f32(c, "/one", 0, NULL, &one);
        int32_t d = ab < 0 || ok < 0 ? -1 : kir_binary(c, TFLC_TFL_BUILTIN_OPERATOR_ADD, ab, ok, "/abs_plus_1");
        return d < 0 ? -1 : kir_binary(c, TFLC_TFL_BUILTIN_OPERATOR_DIV, x, d, "/softsign");
    }
    kfail(c, TFLC_STATUS_UNSUPPORTED, "activation '%s' is not supported", a);
    return -1;
}
