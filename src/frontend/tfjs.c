/* TensorFlow.js layers-model reader: model.json (modelTopology = the Keras model config, or
 * {"model_config": ...} as tensorflowjs_converter writes it; weightsManifest = groups of
 * shard files and the weights laid out in them in order) + the .bin shards next to it.
 * Shard names must be plain file names (no '/', no ".."); each weight's byte range is checked
 * against its group's total size. float32 and int32 weights are taken as they are; uint8 /
 * uint16 quantized weights (min + scale) and float16 are dequantized to float32. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/checked_math.h"
#include "base/fp16.h"
#include "frontend/keras_internal.h"

static enum tflc_status add_weight(struct tflc_kmodel *m, const char *name, enum tflc_dtype dt, int rank,
                                   const int32_t *dims, void *data, struct tflc_diag *diag) {
    char comp[16][256];
    int nc = 0;
    const char *p = name;
    while (*p && nc < 16) {
        const char *e = strchr(p, '/');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l >= 256) l = 255;
        memcpy(comp[nc], p, l);
        comp[nc][l] = 0;
        nc++;
        p = e ? e + 1 : p + strlen(p);
    }
    if (!nc) return tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "weightsManifest: empty weight name");
    char *colon = strrchr(comp[nc - 1], ':');
    if (colon) *colon = 0;
    struct tflc_kgroup *g = &m->root;
    for (int k = 0; k < nc - 1; k++) {
        g = tflc_kgroup_child_add(m, g, comp[k]);
        if (!g) return diag ? diag->status : TFLC_STATUS_OUT_OF_MEMORY;
    }
    struct tflc_kweight *w = tflc_kgroup_weight_add(m, g);
    if (!w) return diag ? diag->status : TFLC_STATUS_OUT_OF_MEMORY;
    w->name = tflc_arena_strdup(&m->arena, comp[nc - 1]);
    w->path = tflc_arena_strdup(&m->arena, name);
    w->dtype = dt;
    w->rank = rank;
    memcpy(w->dims, dims, sizeof *dims * (size_t)rank);
    w->data = data;
    return TFLC_STATUS_OK;
}

static bool plain_name(const char *s) {
    if (!*s || strstr(s, "..") || strchr(s, '/') || strchr(s, '\\')) return false;
    return true;
}

enum tflc_status tflc_keras_read_tfjs(const char *path, const void *buf, size_t len, const struct tflc_keras_limits *lim,
                                      struct tflc_kmodel *m, struct tflc_diag *diag) {
    cJSON *root = tflc_json_parse("model.json", buf, len, lim, diag);
    if (!root) return diag ? diag->status : TFLC_STATUS_INVALID_MODEL;
    enum tflc_status st = TFLC_STATUS_OK;
    char dir[4096];
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path + 1) : 0;
    if (dl >= sizeof dir - 300) { cJSON_Delete(root); return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "path too long"); }
    memcpy(dir, path, dl);
    dir[dl] = 0;

    cJSON *topo = cJSON_GetObjectItemCaseSensitive(root, "modelTopology");
    if (!cJSON_IsObject(topo)) { st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "model.json has no modelTopology"); goto out; }
    cJSON *kv = cJSON_GetObjectItemCaseSensitive(topo, "keras_version");
    if (cJSON_IsString(kv)) m->keras_version = tflc_arena_strdup(&m->arena, kv->valuestring);
    cJSON *mc = cJSON_GetObjectItemCaseSensitive(topo, "model_config");
    cJSON *cfg = cJSON_IsObject(mc) ? mc : topo;
    m->config = cJSON_Duplicate(cfg, true);
    if (!m->config) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory copying the model config"); goto out; }

    cJSON *man = cJSON_GetObjectItemCaseSensitive(root, "weightsManifest");
    if (man && !cJSON_IsArray(man)) { st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "weightsManifest is not a list"); goto out; }
    int gi = 0;
    cJSON *grp;
    cJSON_ArrayForEach(grp, man) {
        cJSON *paths = cJSON_GetObjectItemCaseSensitive(grp, "paths");
        cJSON *ws = cJSON_GetObjectItemCaseSensitive(grp, "weights");
        if (!cJSON_IsArray(paths) || !cJSON_IsArray(ws)) {
            st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "weightsManifest[%d]: needs 'paths' and 'weights' lists", gi);
            goto out;
        }
        /* Concatenate the group's shards. */
        size_t total = 0, cap = 0;
        unsigned char *data = NULL;
        cJSON *pth;
        cJSON_ArrayForEach(pth, paths) {
            if (!cJSON_IsString(pth) || !plain_name(pth->valuestring)) {
                free(data);
                st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "weightsManifest[%d]: shard path must be a plain file name", gi);
                goto out;
            }
            char full[4400];
            snprintf(full, sizeof full, "%s%s", dir, pth->valuestring);
            size_t n;
            struct tflc_diag d2;
            unsigned char *s = tflc_kio_read(full, lim->max_file_bytes, &n, &d2);
            if (!s) {
                free(data);
                st = tflc_diag_set(diag, TFLC_STATUS_IO, "weight shard '%s': %s", pth->valuestring, d2.msg);
                goto out;
            }
            if (total + n > lim->max_total_bytes) {
                free(s);
                free(data);
                st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "weight shards exceed the %zu-byte limit", lim->max_total_bytes);
                goto out;
            }
            if (total + n > cap) {
                cap = (total + n) * 2;
                unsigned char *nd = realloc(data, cap);
                if (!nd) { free(s); free(data); st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); goto out; }
                data = nd;
            }
            if (n) memcpy(data + total, s, n); /* an empty shard (no weights) leaves data NULL */
            total += n;
            free(s);
        }
        size_t off = 0;
        int wi = 0;
        cJSON *w;
        cJSON_ArrayForEach(w, ws) {
            cJSON *nm = cJSON_GetObjectItemCaseSensitive(w, "name");
            cJSON *shape = cJSON_GetObjectItemCaseSensitive(w, "shape");
            cJSON *dt = cJSON_GetObjectItemCaseSensitive(w, "dtype");
            cJSON *q = cJSON_GetObjectItemCaseSensitive(w, "quantization");
            if (!cJSON_IsString(nm) || !cJSON_IsArray(shape) || !cJSON_IsString(dt)) {
                free(data);
                st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "weightsManifest[%d].weights[%d]: needs name, shape and dtype", gi, wi);
                goto out;
            }
            int32_t dims[TFLC_MAX_DIMS];
            int rank = 0;
            size_t n = 1;
            cJSON *d;
            bool ok = true;
            cJSON_ArrayForEach(d, shape) {
                if (rank >= TFLC_MAX_DIMS || !cJSON_IsNumber(d) || d->valuedouble < 0 || d->valuedouble > 2147483647.0 ||
                    d->valuedouble != floor(d->valuedouble) || !tflc_mul_size(n, (size_t)d->valuedouble, &n) ||
                    n > lim->max_weight_elements) { ok = false; break; }
                dims[rank++] = (int32_t)d->valuedouble;
            }
            const char *qdt = NULL;
            double qmin = 0, qscale = 1;
            if (ok && cJSON_IsObject(q)) {
                cJSON *qd = cJSON_GetObjectItemCaseSensitive(q, "dtype");
                cJSON *qm = cJSON_GetObjectItemCaseSensitive(q, "min");
                cJSON *qs = cJSON_GetObjectItemCaseSensitive(q, "scale");
                qdt = cJSON_IsString(qd) ? qd->valuestring : "";
                if (cJSON_IsNumber(qm)) qmin = qm->valuedouble;
                if (cJSON_IsNumber(qs)) qscale = qs->valuedouble;
            }
            size_t esz = qdt ? (!strcmp(qdt, "uint8") ? 1 : (!strcmp(qdt, "uint16") || !strcmp(qdt, "float16")) ? 2 : 0) : 4;
            bool is_int = !qdt && !strcmp(dt->valuestring, "int32");
            if (ok && !qdt && strcmp(dt->valuestring, "float32") && !is_int) ok = false;
            if (!ok || !esz || off > total || n > (total - off) / esz) {
                free(data);
                st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL,
                                   "weightsManifest[%d].weights[%d] '%s': bad shape/dtype or the shards are too short", gi, wi,
                                   nm->valuestring);
                goto out;
            }
            float *v = tflc_arena_array(&m->arena, n ? n : 1, 4, nm->valuestring);
            if (!v) { free(data); st = diag ? diag->status : TFLC_STATUS_OUT_OF_MEMORY; goto out; }
            const unsigned char *src = data + off;
            for (size_t i = 0; i < n; i++) {
                if (!qdt) memcpy(&v[i], src + 4 * i, 4);
                else if (!strcmp(qdt, "uint8")) v[i] = (float)(qmin + qscale * src[i]);
                else if (!strcmp(qdt, "uint16")) { uint16_t h; memcpy(&h, src + 2 * i, 2); v[i] = (float)(qmin + qscale * h); }
                else { uint16_t h; memcpy(&h, src + 2 * i, 2); v[i] = tflc_f16_to_f32(h); }
            }
            off += n * esz;
            st = add_weight(m, nm->valuestring, is_int ? TFLC_DTYPE_INT32 : TFLC_DTYPE_FLOAT32, rank, dims, v, diag);
            if (st) { free(data); goto out; }
            wi++;
        }
        free(data);
        gi++;
    }
out:
    cJSON_Delete(root);
    return st;
}
