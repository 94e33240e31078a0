/* Keras HDF5 reader (Keras 2.x, tf.keras, Keras 3 "legacy h5"; also the model.weights.h5 of a
 * Keras 3 .keras zip). libhdf5 parses the file in a sandboxed child process (sandbox.h): a
 * malformed file that makes libhdf5 crash or spin becomes an error, not a crash. The child
 * streams records to the parent:
 *   'V' key value          string attribute (model_config, keras_version)
 *   'G' name  ... 'E'      enter / leave a weight group
 *   'W' name path dtype rank dims[] nbytes data
 *   'U' name               a layer's weights the model config does not ask for (not read)
 *   'Z'                    end
 * (strings as u32 length + bytes). The parent rebuilds the weight tree from the stream,
 * bounds-checking every field. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/checked_math.h"
#include "frontend/keras_internal.h"
#include "frontend/sandbox.h"

#define MAX_NAME 1024
#define MAX_STR_ATTR ((size_t)64 << 20)
#define MAX_GROUP_DEPTH 60     /* weight-group nesting the stream carries (parent stack: 64) */
#define MAX_EXPANSION 64       /* a compressed dataset may declare 64x its stored bytes (+ 1 MiB) */

struct h5job {
    const void *buf;
    size_t len;
    const struct tflc_keras_limits *lim;
    bool v3;             /* model.weights.h5 of a .keras zip */
    FILE *out;
    uint64_t budget;     /* weight bytes left */
    hid_t gapl, dapl;    /* group / dataset access: external links refused */
    cJSON *config;       /* legacy layout: the parsed model_config (layer names), or NULL */
    char err[256];
};

/* ---------------- child side ---------------- */

static void put_u32(FILE *f, uint32_t v) { fwrite(&v, 4, 1, f); }
static void put_str(FILE *f, const char *s, size_t n) { put_u32(f, (uint32_t)n); if (n) fwrite(s, 1, n, f); }

static int fail(struct h5job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct h5job *j, const char *fmt, ...) {
    if (!j->err[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(j->err, sizeof j->err, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* An external link would make libhdf5 open another file on this machine: never follow one. */
static herr_t refuse_external_link(const char *parent_file, const char *parent_group, const char *child_file,
                                   const char *child_object, unsigned *acc_flags, hid_t fapl, void *ud) {
    (void)parent_file, (void)parent_group, (void)child_file, (void)child_object, (void)acc_flags, (void)fapl, (void)ud;
    return -1;
}

/* A C string memory type with the file type's character set: HDF5 converts strings only
 * between equal character sets, and h5py writes Python str attributes as UTF-8 (Keras as
 * ASCII bytes). */
static hid_t str_mem_type(hid_t file_type) {
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5T_cset_t cs = H5Tget_cset(file_type);
    if (cs == H5T_CSET_UTF8) H5Tset_cset(mt, H5T_CSET_UTF8);
    return mt;
}

/* Reads a string (or the first of a string array) attribute; malloc'd, NULL when absent. */
static char *read_str_attr(hid_t obj, const char *name, size_t *len) {
    if (H5Aexists(obj, name) <= 0) return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0) return NULL;
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    char *res = NULL;
    hssize_t np = H5Sget_simple_extent_npoints(sp);
    if (t >= 0 && H5Tget_class(t) == H5T_STRING && np == 1) {
        if (H5Tis_variable_str(t) > 0) {
            hid_t mt = str_mem_type(t);
            H5Tset_size(mt, H5T_VARIABLE);
            char *p = NULL;
            if (H5Aread(a, mt, &p) >= 0 && p) {
                size_t n = strnlen(p, MAX_STR_ATTR);
                res = malloc(n + 1);
                if (res) { memcpy(res, p, n); res[n] = 0; *len = n; }
                H5free_memory(p);
            }
            H5Tclose(mt);
        } else {
            size_t sz = H5Tget_size(t);
            if (sz > 0 && sz <= MAX_STR_ATTR) {
                /* A NUL-terminated memory type needs one byte more than the file's string. */
                hid_t mt = str_mem_type(t);
                H5Tset_size(mt, sz + 1);
                res = calloc(sz + 2, 1);
                if (res && H5Aread(a, mt, res) >= 0) *len = strnlen(res, sz);
                else { free(res); res = NULL; }
                H5Tclose(mt);
            }
        }
    }
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Aclose(a);
    return res;
}

/* String-array attribute (layer_names, weight_names): *n strings packed NUL-separated. */
static char **read_str_array_attr(hid_t obj, const char *name, size_t *count) {
    *count = 0;
    if (H5Aexists(obj, name) <= 0) return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0) return NULL;
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    char **res = NULL;
    hssize_t np = H5Sget_simple_extent_npoints(sp);
    if (t >= 0 && H5Tget_class(t) == H5T_STRING && np >= 0 && np <= 100000) {
        size_t n = (size_t)np;
        res = calloc(n + 1, sizeof *res);
        if (res && H5Tis_variable_str(t) > 0) {
            hid_t mt = str_mem_type(t);
            H5Tset_size(mt, H5T_VARIABLE);
            char **tmp = calloc(n + 1, sizeof *tmp);
            if (tmp && H5Aread(a, mt, tmp) >= 0) {
                for (size_t i = 0; i < n; i++) res[i] = strndup(tmp[i] ? tmp[i] : "", MAX_NAME);
                *count = n;
                H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, tmp);
            }
            free(tmp);
            H5Tclose(mt);
        } else if (res) {
            size_t sz = H5Tget_size(t);
            char *flat = sz && sz <= MAX_NAME ? calloc(n ? n : 1, sz + 1) : NULL;
            hid_t mt = str_mem_type(t);
            H5Tset_size(mt, sz + 1);
            if (flat && H5Aread(a, mt, flat) >= 0) {
                for (size_t i = 0; i < n; i++) res[i] = strndup(flat + i * (sz + 1), sz);
                *count = n;
            }
            H5Tclose(mt);
            free(flat);
        }
    }
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Aclose(a);
    return res;
}

static void free_strs(char **v, size_t n) {
    for (size_t i = 0; v && i < n; i++) free(v[i]);
    free(v);
}

/* Writes one dataset as a 'W' record. */
static int emit_dataset(struct h5job *j, hid_t loc, const char *dpath, const char *wname) {
    if (H5Lexists(loc, dpath, j->gapl) <= 0) return fail(j, "weight '%s' is missing", dpath);
    hid_t d = H5Dopen2(loc, dpath, j->dapl);
    if (d < 0) return fail(j, "weight '%s' is not a dataset (or links outside the file)", dpath);
    int rc = -1;
    hid_t sp = H5Dget_space(d), t = H5Dget_type(d);
    int rank = H5Sget_simple_extent_ndims(sp);
    hsize_t dims[H5S_MAX_RANK];
    H5T_class_t cls = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    if (rank < 0 || rank > TFLC_MAX_DIMS || H5Sget_simple_extent_dims(sp, dims, NULL) < 0) {
        fail(j, "weight '%s' has an unsupported rank", dpath);
        goto out;
    }
    if (cls != H5T_FLOAT && cls != H5T_INTEGER) { fail(j, "weight '%s' is neither float nor integer", dpath); goto out; }
    uint64_t n = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] > 0x7fffffff || (dims[i] && n > UINT64_MAX / dims[i])) {
            fail(j, "weight '%s': a dimension of %llu elements is over the limit", dpath, (unsigned long long)dims[i]);
            goto out;
        }
        n *= dims[i];
    }
    if (n > j->lim->max_weight_elements) {
        fail(j, "weight '%s' has %llu elements, over the limit of %zu", dpath, (unsigned long long)n,
             j->lim->max_weight_elements);
        goto out;
    }
    uint64_t bytes = n * 4;
    if (bytes > j->budget) {
        fail(j, "weight '%s' (%llu bytes) takes the weights over the %zu-byte limit", dpath, (unsigned long long)bytes,
             j->lim->max_total_bytes);
        goto out;
    }
    /* Before reading: where the data lives and how much of it the file really holds. Data kept
     * in other files (external storage, virtual datasets) is refused; a dataset must store what
     * its shape says (unallocated chunks would read as fill values: a small file claiming
     * gigabytes), and a compressed one may expand 64x (+ 1 MiB for small all-zero arrays):
     * float weights hardly compress, while a megabyte of deflated zeros declares a gigabyte. */
    hid_t pl = H5Dget_create_plist(d);
    if (pl < 0) { fail(j, "weight '%s' has no readable layout", dpath); goto out; }
    H5D_layout_t layout = H5Pget_layout(pl);
    int nfilters = layout == H5D_CHUNKED ? H5Pget_nfilters(pl) : 0;
    int nexternal = H5Pget_external_count(pl);
    H5Pclose(pl);
    if (nexternal != 0 || layout == H5D_VIRTUAL || layout < 0) {
        fail(j, "weight '%s' keeps its data outside the file (external or virtual storage): refused", dpath);
        goto out;
    }
    uint64_t declared = n * (uint64_t)H5Tget_size(t), stored = H5Dget_storage_size(d);
    if (n && nfilters <= 0 && stored < declared) {
        fail(j, "weight '%s' declares %llu bytes but the file stores %llu", dpath, (unsigned long long)declared,
             (unsigned long long)stored);
        goto out;
    }
    const uint64_t slack = (uint64_t)1 << 20;
    if (n && nfilters > 0 && declared > slack && (declared - slack) / MAX_EXPANSION > stored) {
        fail(j,
             "weight '%s' declares %llu bytes from %llu compressed bytes (over %dx): refused as a decompression bomb",
             dpath, (unsigned long long)declared, (unsigned long long)stored, MAX_EXPANSION);
        goto out;
    }
    void *data = malloc(bytes ? bytes : 1);
    if (!data) {
        fail(j, "out of memory: weight '%s' asked for %llu bytes", dpath, (unsigned long long)bytes);
        goto out;
    }
    hid_t mt = cls == H5T_FLOAT ? H5T_NATIVE_FLOAT : H5T_NATIVE_INT32;
    if (n && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        free(data);
        fail(j, "weight '%s' cannot be read", dpath);
        goto out;
    }
    j->budget -= bytes;
    fputc('W', j->out);
    put_str(j->out, wname, strlen(wname));
    put_str(j->out, dpath, strlen(dpath));
    fputc(cls == H5T_FLOAT ? TFLC_DTYPE_FLOAT32 : TFLC_DTYPE_INT32, j->out);
    fputc(rank, j->out);
    for (int i = 0; i < rank; i++) put_u32(j->out, (uint32_t)dims[i]);
    fwrite(&bytes, 8, 1, j->out);
    fwrite(data, 1, (size_t)bytes, j->out);
    free(data);
    rc = 0;
out:
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    H5Dclose(d);
    return rc;
}

/* True when `name` is the name of a layer anywhere in the config (nested models included). */
static bool config_has_name(const cJSON *j, const char *name, int depth) {
    if (depth > 256) return false;
    const cJSON *c;
    cJSON_ArrayForEach(c, j) {
        if (c->string && !strcmp(c->string, "name") && cJSON_IsString(c) && !strcmp(c->valuestring, name)) return true;
        if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && config_has_name(c, name, depth + 1)) return true;
    }
    return false;
}

/* Legacy layout: weight path components relative to the layer group L. Components up to and
 * including the first one equal to L are dropped (Keras 2: "L/kernel:0"; Keras 3 legacy:
 * "model/L/kernel"); the rest become child groups and the weight name. */
static int emit_legacy_layer(struct h5job *j, hid_t mw, const char *layer) {
    if (j->config && !config_has_name(j->config, layer, 0)) {
        /* Not read (the config asks for none of it); the parent reports it once the config
         * itself has been checked. */
        fputc('U', j->out);
        put_str(j->out, layer, strlen(layer));
        return 0;
    }
    if (H5Lexists(mw, layer, j->gapl) <= 0) return fail(j, "layer group '%s' is missing", layer);
    hid_t g = H5Gopen2(mw, layer, j->gapl);
    if (g < 0) return fail(j, "layer '%s' is not a group (or links outside the file)", layer);
    size_t nw = 0;
    char **wn = read_str_array_attr(g, "weight_names", &nw);
    int rc = 0;
    fputc('G', j->out);
    put_str(j->out, layer, strlen(layer));
    for (size_t i = 0; i < nw && rc == 0; i++) {
        char comp[16][MAX_NAME];
        int nc = 0;
        const char *p = wn[i];
        while (*p && nc < 16) {
            const char *e = strchr(p, '/');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (l >= MAX_NAME) l = MAX_NAME - 1;
            memcpy(comp[nc], p, l);
            comp[nc][l] = 0;
            nc++;
            p = e ? e + 1 : p + strlen(p);
        }
        if (nc == 0) { rc = fail(j, "empty weight name in layer '%s'", layer); break; }
        char *colon = strrchr(comp[nc - 1], ':');
        if (colon) *colon = 0;
        int start = 0;
        for (int k = 0; k < nc - 1; k++)
            if (strcmp(comp[k], layer) == 0) { start = k + 1; break; }
        for (int k = start; k < nc - 1; k++) {
            fputc('G', j->out);
            put_str(j->out, comp[k], strlen(comp[k]));
        }
        rc = emit_dataset(j, g, wn[i], comp[nc - 1]);
        for (int k = start; k < nc - 1; k++) fputc('E', j->out);
    }
    fputc('E', j->out);
    free_strs(wn, nw);
    H5Gclose(g);
    return rc;
}

struct v3_iter {
    struct h5job *j;
    hid_t g;
    int depth;
    int rc;
};

static int emit_v3_group(struct h5job *j, hid_t g, int depth);

static herr_t v3_child(hid_t loc, const char *name, const H5L_info_t *info, void *ud) {
    (void)info;
    struct v3_iter *it = ud;
    if (it->rc) return 1;
    if (strcmp(name, "vars") == 0) return 0; /* handled by the caller */
    hid_t o = H5Oopen(loc, name, it->j->gapl);
    if (o < 0) return 0;
    bool is_group = H5Iget_type(o) == H5I_GROUP;
    H5Oclose(o);
    if (!is_group) return 0;
    hid_t c = H5Gopen2(loc, name, it->j->gapl);
    if (c < 0) return 0;
    if (strcmp(name, "layers") == 0) {
        /* Its children are layers: each a group of its own. */
        it->rc = emit_v3_group(it->j, c, it->depth + 1) ;
    } else {
        fputc('G', it->j->out);
        put_str(it->j->out, name, strlen(name));
        it->rc = emit_v3_group(it->j, c, it->depth + 1);
        fputc('E', it->j->out);
    }
    H5Gclose(c);
    return it->rc ? 1 : 0;
}

/* Keras 3 layout: <layer>/vars/<i> datasets in index order, sub-layers under <layer>/layers/<name>
 * and wrapped layers/cells under other subgroups. */
static int emit_v3_group(struct h5job *j, hid_t g, int depth) {
    if (depth > MAX_GROUP_DEPTH) return fail(j, "weight groups nested deeper than %d levels", MAX_GROUP_DEPTH);
    if (H5Lexists(g, "vars", j->gapl) > 0) {
        hid_t v = H5Gopen2(g, "vars", j->gapl);
        if (v >= 0) {
            H5G_info_t gi;
            if (H5Gget_info(v, &gi) >= 0) {
                if (gi.nlinks > 100000) {
                    H5Gclose(v);
                    return fail(j, "%llu variables in one layer, over the limit of 100000",
                                (unsigned long long)gi.nlinks);
                }
                for (hsize_t i = 0; i < gi.nlinks; i++) {
                    char nm[32];
                    snprintf(nm, sizeof nm, "%llu", (unsigned long long)i);
                    if (H5Lexists(v, nm, j->gapl) <= 0) break;
                    if (emit_dataset(j, v, nm, "")) { H5Gclose(v); return -1; }
                }
            }
            H5Gclose(v);
        }
    }
    struct v3_iter it = {j, g, depth, 0};
    hsize_t idx = 0;
    H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, v3_child, &it);
    return it.rc;
}

static int h5_child(void *ud, FILE *out) {
    struct h5job *j = ud;
    j->out = out;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    j->gapl = H5Pcreate(H5P_GROUP_ACCESS);
    j->dapl = H5Pcreate(H5P_DATASET_ACCESS);
    if (j->gapl < 0 || j->dapl < 0 || H5Pset_elink_cb(j->gapl, refuse_external_link, NULL) < 0 ||
        H5Pset_elink_cb(j->dapl, refuse_external_link, NULL) < 0) {
        fprintf(out, "\ncannot set up the HDF5 reader");
        return 1;
    }
    hid_t f = H5LTopen_file_image((void *)(uintptr_t)j->buf, j->len, H5LT_FILE_IMAGE_DONT_COPY | H5LT_FILE_IMAGE_DONT_RELEASE);
    if (f < 0) { fprintf(out, "\nnot a readable HDF5 file"); return 1; }
    int rc = 0;
    const char *keys[] = {"model_config", "keras_version", "backend"};
    for (int k = 0; k < 3; k++) {
        size_t n = 0;
        char *s = read_str_attr(f, keys[k], &n);
        if (s && k == 0 && !j->v3) {
            struct tflc_diag d;
            j->config = tflc_json_parse("model_config", s, n, j->lim, &d); /* NULL: the parent reports it */
        }
        if (s) {
            fputc('V', out);
            put_str(out, keys[k], strlen(keys[k]));
            put_str(out, s, n);
            free(s);
        }
    }
    if (j->v3) {
        if (H5Lexists(f, "layers", j->gapl) > 0) {
            hid_t g = H5Gopen2(f, "layers", j->gapl);
            if (g >= 0) {
                rc = emit_v3_group(j, g, 0);
                H5Gclose(g);
            }
        }
    } else {
        hid_t mw = H5Lexists(f, "model_weights", j->gapl) > 0 ? H5Gopen2(f, "model_weights", j->gapl)
                                                               : H5Gopen2(f, "/", j->gapl);
        if (mw >= 0) {
            size_t nl = 0;
            char **ln = read_str_array_attr(mw, "layer_names", &nl);
            for (size_t i = 0; i < nl && rc == 0; i++) rc = emit_legacy_layer(j, mw, ln[i]);
            free_strs(ln, nl);
            H5Gclose(mw);
        }
    }
    H5Fclose(f);
    if (j->config) cJSON_Delete(j->config);
    if (rc) {
        fprintf(out, "\n%s", j->err[0] ? j->err : "weights could not be read");
        return 1;
    }
    fputc('Z', out);
    return 0;
}

/* ---------------- parent side ---------------- */

struct rd {
    const unsigned char *p, *end;
};

static bool get_u32(struct rd *r, uint32_t *v) {
    if (r->end - r->p < 4) return false;
    memcpy(v, r->p, 4);
    r->p += 4;
    return true;
}

static bool get_str(struct rd *r, const char **s, size_t *n) {
    uint32_t l;
    if (!get_u32(r, &l) || (size_t)(r->end - r->p) < l) return false;
    *s = (const char *)r->p;
    *n = l;
    r->p += l;
    return true;
}

enum tflc_status tflc_keras_h5_parse_stream(struct tflc_kmodel *m, const unsigned char *buf, size_t len, bool v3,
                                            const struct tflc_keras_limits *lim, struct tflc_diag *diag);

enum tflc_status tflc_keras_h5_parse_stream(struct tflc_kmodel *m, const unsigned char *buf, size_t len, bool v3,
                                            const struct tflc_keras_limits *lim, struct tflc_diag *diag) {
    struct rd r = {buf, buf + len};
    struct tflc_kgroup *stack[64];
    int sp = 0;
    stack[0] = &m->root;
    const char *bad = "corrupt reader stream";
    while (r.p < r.end) {
        char tag = (char)*r.p++;
        const char *s1, *s2;
        size_t n1, n2;
        if (tag == 'Z') return TFLC_STATUS_OK;
        if (tag == 'V') {
            if (!get_str(&r, &s1, &n1) || !get_str(&r, &s2, &n2)) goto corrupt;
            if (n1 == 12 && memcmp(s1, "model_config", 12) == 0 && !v3) {
                if (m->config) goto corrupt; /* the child sends each key once */
                m->config = tflc_json_parse("model_config", s2, n2, lim, diag);
                if (!m->config) return diag ? diag->status : TFLC_STATUS_INVALID_MODEL;
            } else if (n1 == 13 && memcmp(s1, "keras_version", 13) == 0) {
                m->keras_version = tflc_arena_strndup(&m->arena, s2, n2);
            }
        } else if (tag == 'G') {
            if (!get_str(&r, &s1, &n1) || sp >= 63) goto corrupt;
            char name[MAX_NAME];
            if (n1 >= sizeof name) goto corrupt;
            memcpy(name, s1, n1);
            name[n1] = 0;
            struct tflc_kgroup *c = tflc_kgroup_child_add(m, stack[sp], name);
            if (!c) return diag ? diag->status : TFLC_STATUS_OUT_OF_MEMORY;
            stack[++sp] = c;
        } else if (tag == 'E') {
            if (sp == 0) goto corrupt;
            sp--;
        } else if (tag == 'U') {
            if (!get_str(&r, &s1, &n1)) goto corrupt;
            if (!m->stray_weights && !(m->stray_weights = tflc_arena_strndup(&m->arena, s1, n1)))
                return diag ? diag->status : TFLC_STATUS_OUT_OF_MEMORY;
        } else if (tag == 'W') {
            if (!get_str(&r, &s1, &n1) || !get_str(&r, &s2, &n2) || r.end - r.p < 2) goto corrupt;
            int dtype = *r.p++, rank = *r.p++;
            if ((dtype != TFLC_DTYPE_FLOAT32 && dtype != TFLC_DTYPE_INT32) || rank > TFLC_MAX_DIMS) goto corrupt;
            struct tflc_kweight *w = tflc_kgroup_weight_add(m, stack[sp]);
            if (!w) return diag ? diag->status : TFLC_STATUS_OUT_OF_MEMORY;
            w->name = n1 ? tflc_arena_strndup(&m->arena, s1, n1) : NULL;
            w->path = tflc_arena_strndup(&m->arena, s2, n2);
            w->dtype = (enum tflc_dtype)dtype;
            w->rank = rank;
            uint64_t n = 1;
            for (int i = 0; i < rank; i++) {
                uint32_t d;
                if (!get_u32(&r, &d) || d > 0x7fffffff) goto corrupt;
                w->dims[i] = (int32_t)d;
                n *= d;
                if (n > lim->max_weight_elements) goto corrupt;
            }
            uint64_t bytes;
            if (r.end - r.p < 8) goto corrupt;
            memcpy(&bytes, r.p, 8);
            r.p += 8;
            if (bytes != n * 4 || (uint64_t)(r.end - r.p) < bytes) goto corrupt;
            w->data = tflc_arena_memdup(&m->arena, r.p, (size_t)bytes, w->path);
            if (!w->data) return diag ? diag->status : TFLC_STATUS_OUT_OF_MEMORY;
            r.p += bytes;
        } else {
            goto corrupt;
        }
    }
    bad = "reader stream ended early";
corrupt:
    return tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "%s", bad);
}

static enum tflc_status read_h5(const char *path, const void *buf, size_t len, const struct tflc_keras_limits *lim,
                                struct tflc_kmodel *m, bool v3, struct tflc_diag *diag) {
    struct h5job j;
    memset(&j, 0, sizeof j);
    j.buf = buf;
    j.len = len;
    j.lim = lim;
    j.v3 = v3;
    j.budget = lim->max_total_bytes;
    void *stream;
    size_t slen;
    unsigned secs = 10 + (unsigned)(len >> 26);
    enum tflc_status st = tflc_sandbox_run(v3 ? "model.weights.h5" : "HDF5", h5_child, &j, lim->max_total_bytes, secs,
                                           &stream, &slen, diag);
    (void)path;
    if (st) return st;
    st = tflc_keras_h5_parse_stream(m, stream, slen, v3, lim, diag);
    free(stream);
    return st;
}

enum tflc_status tflc_keras_read_h5(const char *path, const void *buf, size_t len, const struct tflc_keras_limits *lim,
                                    struct tflc_kmodel *m, struct tflc_diag *diag) {
    return read_h5(path, buf, len, lim, m, false, diag);
}

/* Used by keras_v3.c for the zip's model.weights.h5. */
enum tflc_status tflc_keras_read_v3_weights(const void *buf, size_t len, const struct tflc_keras_limits *lim,
                                            struct tflc_kmodel *m, struct tflc_diag *diag);
enum tflc_status tflc_keras_read_v3_weights(const void *buf, size_t len, const struct tflc_keras_limits *lim,
                                            struct tflc_kmodel *m, struct tflc_diag *diag) {
    return read_h5(NULL, buf, len, lim, m, true, diag);
}
