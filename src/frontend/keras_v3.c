/* Keras 3 .keras zip reader: config.json (the model config), metadata.json (keras_version)
 * and model.weights.h5 (read by keras_h5.c in its Keras 3 layout). libzip reads from memory;
 * entry count and every entry's uncompressed size are capped before and while reading
 * (decompression bombs stop at the cap). Entry names are only compared, never used as paths. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "frontend/keras_internal.h"

enum tflc_status tflc_keras_read_v3_weights(const void *buf, size_t len, const struct tflc_keras_limits *lim,
                                            struct tflc_kmodel *m, struct tflc_diag *diag);

/* Reads entry `name` whole (at most `max` bytes); NULL when absent (*missing = true) or on
 * error (diag set). */
static char *read_entry(zip_t *z, const char *name, size_t max, size_t *len, bool *missing, struct tflc_diag *diag) {
    *missing = false;
    zip_int64_t idx = zip_name_locate(z, name, 0);
    if (idx < 0) { *missing = true; return NULL; }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
        tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "zip entry '%s' is unreadable", name);
        return NULL;
    }
    if (st.size > max) {
        tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "zip entry '%s' unpacks to %llu bytes, over the %zu-byte limit", name,
                      (unsigned long long)st.size, max);
        return NULL;
    }
    zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
    if (!f) {
        tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "zip entry '%s' cannot be opened (%s)", name, zip_strerror(z));
        return NULL;
    }
    size_t cap = (size_t)st.size;
    char *buf = malloc(cap + 1);
    if (!buf) {
        zip_fclose(f);
        tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory unpacking '%s' (%zu bytes)", name, cap);
        return NULL;
    }
    size_t n = 0;
    for (;;) {
        char extra;
        zip_int64_t r = n < cap ? zip_fread(f, buf + n, cap - n) : zip_fread(f, &extra, 1);
        if (r < 0) {
            free(buf);
            zip_fclose(f);
            tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "zip entry '%s' is corrupt", name);
            return NULL;
        }
        if (r == 0) break;
        if (n >= cap) { /* more data than the header said: refuse */
            free(buf);
            zip_fclose(f);
            tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "zip entry '%s' holds more than its declared size", name);
            return NULL;
        }
        n += (size_t)r;
    }
    zip_fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

enum tflc_status tflc_keras_read_v3(const char *path, const void *buf, size_t len, const struct tflc_keras_limits *lim,
                                    struct tflc_kmodel *m, struct tflc_diag *diag) {
    (void)path;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
    if (!src) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "cannot read the zip");
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!z) {
        zip_source_free(src);
        enum tflc_status st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "not a valid .keras zip (%s)", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return st;
    }
    enum tflc_status st = TFLC_STATUS_OK;
    zip_int64_t ne = zip_get_num_entries(z, 0);
    bool missing;
    size_t n;
    char *text = NULL, *w = NULL;
    if (ne < 0 || (size_t)ne > lim->max_zip_entries) {
        st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "zip has %lld entries, the limit is %zu", (long long)ne, lim->max_zip_entries);
        goto out;
    }
    text = read_entry(z, "metadata.json", lim->max_json_bytes, &n, &missing, diag);
    if (text) {
        cJSON *md = tflc_json_parse("metadata.json", text, n, lim, diag);
        if (md) {
            cJSON *kv = cJSON_GetObjectItemCaseSensitive(md, "keras_version");
            if (cJSON_IsString(kv)) m->keras_version = tflc_arena_strdup(&m->arena, kv->valuestring);
            cJSON_Delete(md);
        }
        free(text);
        text = NULL;
    }
    text = read_entry(z, "config.json", lim->max_json_bytes, &n, &missing, diag);
    if (!text) {
        st = missing ? tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "the .keras zip has no config.json")
                     : (diag ? diag->status : TFLC_STATUS_INVALID_MODEL);
        goto out;
    }
    m->config = tflc_json_parse("config.json", text, n, lim, diag);
    if (!m->config) { st = diag ? diag->status : TFLC_STATUS_INVALID_MODEL; goto out; }
    w = read_entry(z, "model.weights.h5", lim->max_zip_entry_bytes, &n, &missing, diag);
    if (!w) {
        if (missing) st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "the .keras zip has no model.weights.h5");
        else st = diag ? diag->status : TFLC_STATUS_INVALID_MODEL;
        goto out;
    }
    st = tflc_keras_read_v3_weights(w, n, lim, m, diag);
out:
    free(text);
    free(w);
    zip_close(z);
    zip_error_fini(&ze);
    return st;
}
