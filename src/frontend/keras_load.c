/* Keras file dispatch, JSON parsing with limits, weight-tree building (see keras.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/keras.h"
#include "frontend/keras_internal.h"

struct tflc_keras_limits tflc_keras_limits_default(void) {
    struct tflc_keras_limits l;
    l.max_file_bytes = (size_t)2 << 30;
    l.max_json_bytes = (size_t)64 << 20;
    l.max_json_depth = 200;
    l.max_zip_entries = 10000;
    l.max_zip_entry_bytes = (size_t)2 << 30;
    l.max_weight_elements = (size_t)1 << 28;
    l.max_total_bytes = (size_t)2 << 30;
    l.max_nesting = 32;
    return l;
}

void *tflc_kio_read(const char *path, size_t max, size_t *len, struct tflc_diag *diag) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { tflc_diag_set(diag, TFLC_STATUS_IO, "cannot open: %s", strerror(errno)); return NULL; }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        tflc_diag_set(diag, TFLC_STATUS_IO, "not a regular file");
        return NULL;
    }
    if ((uint64_t)st.st_size > max) {
        close(fd);
        tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "file of %lld bytes exceeds the %zu-byte limit", (long long)st.st_size, max);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    char *buf = malloc(n + 1);
    if (!buf) { close(fd); tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory reading %zu bytes", n); return NULL; }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) { free(buf); close(fd); tflc_diag_set(diag, TFLC_STATUS_IO, "read failed"); return NULL; }
        got += (size_t)r;
    }
    close(fd);
    buf[n] = 0;
    *len = n;
    return buf;
}

cJSON *tflc_json_parse(const char *what, const char *text, size_t len, const struct tflc_keras_limits *lim,
                       struct tflc_diag *diag) {
    if (len > lim->max_json_bytes) {
        tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "%s: %zu bytes of JSON exceed the %zu-byte limit", what, len,
                      lim->max_json_bytes);
        return NULL;
    }
    /* Depth check before cJSON recurses (strings skipped, escapes honoured). */
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = false;
            continue;
        }
        if (c == '"') in_str = true;
        else if (c == '{' || c == '[') {
            if (++depth > lim->max_json_depth) {
                tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "%s: JSON nested deeper than %d levels", what, lim->max_json_depth);
                return NULL;
            }
        } else if (c == '}' || c == ']') depth--;
    }
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!j) {
        size_t at = end && end >= text ? (size_t)(end - text) : 0;
        tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "%s: not valid JSON (at byte %zu)", what, at);
        return NULL;
    }
    return j;
}

const struct tflc_kgroup *tflc_kgroup_child(const struct tflc_kgroup *g, const char *name) {
    for (int32_t i = 0; g && i < g->nchildren; i++)
        if (g->children[i].name && strcmp(g->children[i].name, name) == 0) return &g->children[i];
    return NULL;
}

/* ---- weight tree building (growable arrays in the model arena) ---- */

struct tflc_kgroup *tflc_kgroup_child_add(struct tflc_kmodel *m, struct tflc_kgroup *g, const char *name) {
    for (int32_t i = 0; i < g->nchildren; i++)
        if (strcmp(g->children[i].name, name) == 0) return &g->children[i];
    /* Children arrays grow by doubling; the old block stays in the arena (it is small). */
    if ((g->nchildren & (g->nchildren - 1)) == 0) {
        int32_t cap = g->nchildren ? g->nchildren * 2 : 4;
        struct tflc_kgroup *c = tflc_arena_array(&m->arena, (size_t)cap, sizeof *c, "weight groups");
        if (!c) return NULL;
        if (g->nchildren) memcpy(c, g->children, sizeof *c * (size_t)g->nchildren);
        g->children = c;
    }
    struct tflc_kgroup *c = &g->children[g->nchildren++];
    memset(c, 0, sizeof *c);
    c->name = tflc_arena_strdup(&m->arena, name);
    return c->name ? c : NULL;
}

struct tflc_kweight *tflc_kgroup_weight_add(struct tflc_kmodel *m, struct tflc_kgroup *g) {
    if ((g->nweights & (g->nweights - 1)) == 0) {
        int32_t cap = g->nweights ? g->nweights * 2 : 4;
        struct tflc_kweight *w = tflc_arena_array(&m->arena, (size_t)cap, sizeof *w, "weights");
        if (!w) return NULL;
        if (g->nweights) memcpy(w, g->weights, sizeof *w * (size_t)g->nweights);
        g->weights = w;
    }
    struct tflc_kweight *w = &g->weights[g->nweights++];
    memset(w, 0, sizeof *w);
    return w;
}

static bool starts_with(const unsigned char *b, size_t len, const char *magic, size_t n) {
    return len >= n && memcmp(b, magic, n) == 0;
}

enum tflc_status tflc_keras_load(const char *path, const struct tflc_keras_limits *limits, struct tflc_kmodel *m,
                                 struct tflc_diag *diag) {
    struct tflc_keras_limits lim = limits ? *limits : tflc_keras_limits_default();
    memset(m, 0, sizeof *m);
    tflc_arena_init(&m->arena, lim.max_total_bytes, diag);
    m->path = tflc_arena_strdup(&m->arena, path);
    m->keras_version = "";
    m->root.name = "";
    size_t len;
    unsigned char *buf = tflc_kio_read(path, lim.max_file_bytes, &len, diag);
    if (!buf) { tflc_keras_free(m); return diag ? diag->status : TFLC_STATUS_IO; }
    enum tflc_status st;
    if (starts_with(buf, len, "\x89HDF\r\n\x1a\n", 8)) {
        m->format = "h5";
        st = tflc_keras_read_h5(path, buf, len, &lim, m, diag);
    } else if (starts_with(buf, len, "PK\x03\x04", 4)) {
        m->format = "keras";
        st = tflc_keras_read_v3(path, buf, len, &lim, m, diag);
    } else {
        size_t i = 0;
        while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')) i++;
        if (i < len && buf[i] == '{') {
            m->format = "tfjs";
            st = tflc_keras_read_tfjs(path, buf, len, &lim, m, diag);
        } else {
            st = tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED,
                               "not a Keras model (expected an HDF5 .h5, a .keras zip or a TensorFlow.js model.json)");
        }
    }
    free(buf);
    if (st == TFLC_STATUS_OK && !m->config) st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "the file has no model config");
    if (st != TFLC_STATUS_OK) tflc_keras_free(m);
    return st;
}

void tflc_keras_free(struct tflc_kmodel *m) {
    if (!m) return;
    if (m->config) cJSON_Delete(m->config);
    m->config = NULL;
    tflc_arena_free(&m->arena);
}
