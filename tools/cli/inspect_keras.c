/* tflc inspect on a Keras model (.h5, .keras, tfjs model.json): its layers, their classes,
 * inputs and weights, and whether tflc can convert it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "frontend/keras.h"
#include "frontend/keras_lower.h"
#include "json_out.h"

static const char *jstr(const cJSON *o, const char *k) {
    const cJSON *j = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

static const cJSON *layers_of(const cJSON *model) {
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(model, "config");
    if (cJSON_IsArray(cfg)) return cfg;
    const cJSON *l = cJSON_IsObject(cfg) ? cJSON_GetObjectItemCaseSensitive(cfg, "layers") : NULL;
    return cJSON_IsArray(l) ? l : NULL;
}

static bool is_model(const char *cls) {
    return cls && (!strcmp(cls, "Sequential") || !strcmp(cls, "Functional") || !strcmp(cls, "Model"));
}

static void count_weights(const struct tflc_kgroup *g, int *n, long long *params) {
    if (!g) return;
    for (int32_t i = 0; i < g->nweights; i++) {
        long long p = 1;
        for (int d = 0; d < g->weights[i].rank; d++) p *= g->weights[i].dims[d];
        *params += p;
        (*n)++;
    }
    for (int32_t i = 0; i < g->nchildren; i++) count_weights(&g->children[i], n, params);
}

static void inbound(const cJSON *layer, char *buf, size_t n) {
    buf[0] = 0;
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(layer, "inbound_nodes");
    const cJSON *node = cJSON_GetArrayItem(nodes, 0);
    if (!node) return;
    size_t k = 0;
    /* Keras 2 / tfjs: [[name, node, tensor, {}], ...]; Keras 3: {"args": [tensors...]} */
    const cJSON *args = cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, "args") : node;
    const cJSON *stack[8];
    int sp = 0;
    stack[sp++] = args;
    while (sp > 0 && k + 2 < n) {
        const cJSON *j = stack[--sp];
        const char *nm = NULL;
        if (cJSON_IsArray(j) && cJSON_IsString(cJSON_GetArrayItem(j, 0))) nm = cJSON_GetArrayItem(j, 0)->valuestring;
        const cJSON *hist = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "config"), "keras_history");
        if (!nm && cJSON_IsArray(hist) && cJSON_IsString(cJSON_GetArrayItem(hist, 0))) nm = cJSON_GetArrayItem(hist, 0)->valuestring;
        if (nm) {
            int w = snprintf(buf + k, n - k, "%s%s", k ? "," : "", nm);
            if (w > 0) k += (size_t)w;
            if (k >= n) { buf[n - 1] = 0; return; }
        } else if (cJSON_IsArray(j)) {
            for (int i = cJSON_GetArraySize(j) - 1; i >= 0 && sp < 8; i--) stack[sp++] = cJSON_GetArrayItem(j, i);
        }
    }
}

static void walk(const cJSON *model, const struct tflc_kgroup *w, int depth, struct json_out *j, int *unsupported) {
    const cJSON *ls = layers_of(model), *l;
    cJSON_ArrayForEach(l, ls) {
        const char *cls = jstr(l, "class_name");
        const char *name = jstr(l, "name");
        if (!name) name = jstr(cJSON_GetObjectItemCaseSensitive(l, "config"), "name");
        const struct tflc_kgroup *g = name && w ? tflc_kgroup_child(w, name) : NULL;
        int nw = 0;
        long long params = 0;
        count_weights(g, &nw, &params);
        bool ok = is_model(cls) || (cls && tflc_klayer_find(cls));
        if (!ok) (*unsupported)++;
        char in[200];
        inbound(l, in, sizeof in);
        if (j) {
            json_obj_begin(j);
            json_key(j, "name"); json_str(j, name);
            json_key(j, "class"); json_str(j, cls);
            json_key(j, "depth"); json_int(j, depth);
            json_key(j, "inbound"); json_str(j, in);
            json_key(j, "weights"); json_int(j, nw);
            json_key(j, "params"); json_int(j, params);
            json_key(j, "supported"); json_bool(j, ok);
            json_obj_end(j);
        } else {
            printf("  %*s%-28s %-24s %8lld params  %s%s%s\n", depth * 2, "", name ? name : "?", cls ? cls : "?", params,
                   in[0] ? "<- " : "", in, ok ? "" : "   [not supported]");
        }
        if (is_model(cls)) walk(l, g, depth + 1, j, unsupported);
    }
}

int cli_inspect_keras(const char *path, bool json) {
    struct tflc_kmodel m;
    struct tflc_diag d;
    if (tflc_keras_load(path, NULL, &m, &d) != TFLC_STATUS_OK) return cli_fail(path, "%s", d.msg);
    int unsupported = 0;
    const char *root_cls = jstr(m.config, "class_name");
    if (json) {
        struct json_out jo;
        json_init(&jo, stdout);
        json_obj_begin(&jo);
        json_key(&jo, "file"); json_str(&jo, path);
        json_key(&jo, "format"); json_str(&jo, m.format);
        json_key(&jo, "keras_version"); json_str(&jo, m.keras_version);
        json_key(&jo, "model_class"); json_str(&jo, root_cls);
        json_key(&jo, "layers");
        json_arr_begin(&jo);
        walk(m.config, &m.root, 0, &jo, &unsupported);
        json_arr_end(&jo);
        json_key(&jo, "unsupported_layers"); json_int(&jo, unsupported);
        json_obj_end(&jo);
        putchar('\n');
    } else {
        printf("%s: Keras model (%s file, Keras %s), %s\n", path, m.format, m.keras_version[0] ? m.keras_version : "?",
               root_cls ? root_cls : "?");
        printf("layers:\n");
        walk(m.config, &m.root, 0, NULL, &unsupported);
        if (unsupported) printf("%d layer%s tflc cannot convert\n", unsupported, unsupported == 1 ? "" : "s");
        else printf("every layer is supported by tflc convert\n");
    }
    tflc_keras_free(&m);
    return 0;
}
