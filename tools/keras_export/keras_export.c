/* keras_export MODEL OUT_BASE: writes a Keras model (any format tflc reads; the example's
 * TensorFlow.js model.json) as OUT_BASE.h5 (the tf.keras 2.x HDF5 layout) and OUT_BASE.keras
 * (the Keras 3 zip layout), so the demo can show every input format tflc converts.
 *
 * .h5 layout (as Keras 2.x writes it): root attributes keras_version, backend, model_config
 * (JSON); group model_weights with attributes layer_names (every layer, fixed-length strings),
 * keras_version, backend; one group per layer with attribute weight_names ("<layer>/<var>:0")
 * and the datasets at those paths.
 * .keras layout (as Keras 3 writes it): zip of metadata.json, config.json (module /
 * class_name / config / registered_name / build_config per layer) and model.weights.h5 with
 * layers/<layer>/vars/<i>.
 * Sequential models only (the example is one). Uses libhdf5, libzip and libcjson. */
#define _POSIX_C_SOURCE 200809L
#include <cJSON.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "frontend/keras.h"

#define KERAS2_VERSION "2.15.0"
#define KERAS3_VERSION "3.3.3"

static int die(const char *msg, const char *arg) {
    fprintf(stderr, "keras_export: error: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    return 1;
}

static const cJSON *layers_of(const cJSON *model) {
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(model, "config");
    return cJSON_IsArray(c) ? c : cJSON_GetObjectItemCaseSensitive(c, "layers");
}

static const char *lname(const cJSON *l) {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(l, "config"), "name");
    return cJSON_IsString(n) ? n->valuestring : NULL;
}

/* Keras variable names of a layer's weights, in order. */
static const char *var_name(const struct tflc_kweight *w, int i) {
    static const char *fallback[] = {"kernel", "bias", "moving_mean", "moving_variance"};
    if (w->name) return w->name;
    return i < 4 ? fallback[i] : "var";
}

static void flatten(const struct tflc_kgroup *g, const struct tflc_kweight **out, int *n, int max) {
    for (int32_t i = 0; g && i < g->nweights && *n < max; i++) out[(*n)++] = &g->weights[i];
    for (int32_t i = 0; g && i < g->nchildren; i++) flatten(&g->children[i], out, n, max);
}

static herr_t str_attr(hid_t loc, const char *name, const char *value) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(value) ? strlen(value) : 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t r = H5Awrite(a, t, value);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return r;
}

/* Array of fixed-length strings (how h5py stores Keras' layer_names / weight_names). */
static herr_t str_array_attr(hid_t loc, const char *name, const char *const *v, int n) {
    size_t len = 1;
    for (int i = 0; i < n; i++) if (strlen(v[i]) > len) len = strlen(v[i]);
    char *buf = calloc((size_t)(n ? n : 1), len);
    for (int i = 0; i < n; i++) memcpy(buf + (size_t)i * len, v[i], strlen(v[i]));
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, len);
    H5Tset_strpad(t, H5T_STR_NULLPAD);
    hsize_t d = (hsize_t)n;
    hid_t sp = H5Screate_simple(1, &d, NULL);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t r = H5Awrite(a, t, buf);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    free(buf);
    return r;
}

static herr_t dataset(hid_t loc, const char *path, const struct tflc_kweight *w) {
    hsize_t d[TFLC_MAX_DIMS];
    for (int i = 0; i < w->rank; i++) d[i] = (hsize_t)w->dims[i];
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t sp = w->rank ? H5Screate_simple(w->rank, d, NULL) : H5Screate(H5S_SCALAR);
    hid_t t = w->dtype == TFLC_DTYPE_INT32 ? H5T_STD_I32LE : H5T_IEEE_F32LE;
    hid_t ds = H5Dcreate2(loc, path, t, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    herr_t r = ds < 0 ? -1 : H5Dwrite(ds, w->dtype == TFLC_DTYPE_INT32 ? H5T_NATIVE_INT32 : H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, w->data);
    if (ds >= 0) H5Dclose(ds);
    H5Sclose(sp);
    H5Pclose(lcpl);
    return r;
}

/* Keras 2 Sequential config: an explicit InputLayer first (as tf.keras 2.x saves). */
static cJSON *keras2_config(const cJSON *model) {
    cJSON *c = cJSON_Duplicate(model, true);
    cJSON *ls = (cJSON *)layers_of(c);
    const cJSON *first = cJSON_GetArrayItem(ls, 0);
    const cJSON *fc = cJSON_GetObjectItemCaseSensitive(first, "config");
    const cJSON *bis = cJSON_GetObjectItemCaseSensitive(fc, "batch_input_shape");
    const char *fcls = cJSON_GetObjectItemCaseSensitive(first, "class_name")->valuestring;
    if (bis && strcmp(fcls, "InputLayer") != 0) {
        cJSON *in = cJSON_CreateObject(), *ic = cJSON_CreateObject();
        char nm[256];
        snprintf(nm, sizeof nm, "%s_input", lname(first));
        cJSON_AddStringToObject(in, "class_name", "InputLayer");
        cJSON_AddItemToObject(ic, "batch_input_shape", cJSON_Duplicate(bis, true));
        cJSON_AddStringToObject(ic, "dtype", "float32");
        cJSON_AddBoolToObject(ic, "sparse", false);
        cJSON_AddBoolToObject(ic, "ragged", false);
        cJSON_AddStringToObject(ic, "name", nm);
        cJSON_AddItemToObject(in, "config", ic);
        cJSON_InsertItemInArray(ls, 0, in);
    }
    return c;
}

static int write_h5(const struct tflc_kmodel *m, const char *path) {
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) return die("cannot create", path);
    cJSON *cfg = keras2_config(m->config);
    char *text = cJSON_PrintUnformatted(cfg);
    str_attr(f, "keras_version", KERAS2_VERSION);
    str_attr(f, "backend", "tensorflow");
    str_attr(f, "model_config", text);
    hid_t mw = H5Gcreate2(f, "model_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const cJSON *ls = layers_of(cfg), *l;
    const char *names[1024];
    int nl = 0;
    cJSON_ArrayForEach(l, ls) if (nl < 1024) names[nl++] = lname(l);
    str_array_attr(mw, "layer_names", names, nl);
    str_attr(mw, "keras_version", KERAS2_VERSION);
    str_attr(mw, "backend", "tensorflow");
    int rc = 0;
    for (int i = 0; i < nl; i++) {
        hid_t g = H5Gcreate2(mw, names[i], H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        const struct tflc_kweight *ws[64];
        int nw = 0;
        flatten(tflc_kgroup_child(&m->root, names[i]), ws, &nw, 64);
        const char *wn[64];
        char buf[64][300];
        for (int k = 0; k < nw; k++) {
            snprintf(buf[k], sizeof buf[k], "%s/%s:0", names[i], var_name(ws[k], k));
            wn[k] = buf[k];
            if (dataset(g, buf[k], ws[k]) < 0) rc = die("cannot write weight", buf[k]);
        }
        str_array_attr(g, "weight_names", wn, nw);
        H5Gclose(g);
    }
    H5Gclose(mw);
    H5Fclose(f);
    free(text);
    cJSON_Delete(cfg);
    return rc;
}

/* Keras 3 layer entry: {"module", "class_name", "config", "registered_name", "build_config"}. */
static cJSON *keras3_config(const cJSON *model, const struct tflc_kmodel *m) {
    (void)m;
    cJSON *root = cJSON_CreateObject(), *cfg = cJSON_CreateObject(), *ls = cJSON_CreateArray();
    const cJSON *src = layers_of(model), *l;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(model, "config"), "name");
    cJSON *shape = NULL;
    int idx = 0;
    cJSON_ArrayForEach(l, src) {
        const char *cls = cJSON_GetObjectItemCaseSensitive(l, "class_name")->valuestring;
        cJSON *lc = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(l, "config"), true);
        cJSON *bis = cJSON_DetachItemFromObjectCaseSensitive(lc, "batch_input_shape");
        if (idx == 0 && bis) {
            cJSON *in = cJSON_CreateObject(), *ic = cJSON_CreateObject();
            cJSON_AddStringToObject(in, "module", "keras.layers");
            cJSON_AddStringToObject(in, "class_name", "InputLayer");
            cJSON_AddItemToObject(ic, "batch_shape", cJSON_Duplicate(bis, true));
            cJSON_AddStringToObject(ic, "dtype", "float32");
            cJSON_AddBoolToObject(ic, "sparse", false);
            cJSON_AddStringToObject(ic, "name", "input_layer");
            cJSON_AddItemToObject(in, "config", ic);
            cJSON_AddNullToObject(in, "registered_name");
            cJSON_AddItemToArray(ls, in);
            shape = cJSON_Duplicate(bis, true);
        }
        if (bis) cJSON_Delete(bis);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "module", "keras.layers");
        cJSON_AddStringToObject(e, "class_name", cls);
        cJSON_AddItemToObject(e, "config", lc);
        cJSON_AddNullToObject(e, "registered_name");
        cJSON_AddItemToArray(ls, e);
        idx++;
    }
    cJSON_AddStringToObject(root, "module", "keras");
    cJSON_AddStringToObject(root, "class_name", "Sequential");
    cJSON_AddStringToObject(cfg, "name", cJSON_IsString(name) ? name->valuestring : "sequential");
    cJSON_AddBoolToObject(cfg, "trainable", true);
    cJSON_AddItemToObject(cfg, "layers", ls);
    cJSON_AddItemToObject(root, "config", cfg);
    cJSON_AddNullToObject(root, "registered_name");
    if (shape) {
        cJSON *bc = cJSON_CreateObject();
        cJSON_AddItemToObject(bc, "input_shape", shape);
        cJSON_AddItemToObject(root, "build_config", bc);
    }
    return root;
}

static int write_keras(const struct tflc_kmodel *m, const char *path, const char *tmp_h5) {
    /* model.weights.h5 first, in a temporary file. */
    hid_t f = H5Fcreate(tmp_h5, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) return die("cannot create", tmp_h5);
    const cJSON *ls = layers_of(m->config), *l;
    hid_t layers = H5Gcreate2(f, "layers", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = 0;
    cJSON_ArrayForEach(l, ls) {
        const char *nm = lname(l);
        hid_t g = H5Gcreate2(layers, nm, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        hid_t v = H5Gcreate2(g, "vars", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        const struct tflc_kweight *ws[64];
        int nw = 0;
        flatten(tflc_kgroup_child(&m->root, nm), ws, &nw, 64);
        for (int k = 0; k < nw; k++) {
            char p[32];
            snprintf(p, sizeof p, "%d", k);
            if (dataset(v, p, ws[k]) < 0) rc = die("cannot write weight of", nm);
        }
        H5Gclose(v);
        H5Gclose(g);
    }
    H5Gclose(layers);
    hid_t top = H5Gcreate2(f, "vars", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(top);
    H5Fclose(f);
    if (rc) return rc;
    cJSON *cfg = keras3_config(m->config, m);
    char *text = cJSON_PrintUnformatted(cfg);
    char meta[200];
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    snprintf(meta, sizeof meta, "{\"keras_version\": \"%s\", \"date_saved\": \"%04d-%02d-%02d@%02d:%02d:%02d\"}", KERAS3_VERSION,
             tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday, tmv.tm_hour, tmv.tm_min, tmv.tm_sec);
    int err;
    remove(path);
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_EXCL, &err);
    if (!z) { free(text); cJSON_Delete(cfg); return die("cannot create", path); }
    zip_source_t *s1 = zip_source_buffer(z, meta, strlen(meta), 0);
    zip_source_t *s2 = zip_source_buffer(z, text, strlen(text), 0);
    zip_source_t *s3 = zip_source_file(z, tmp_h5, 0, -1);
    if (zip_file_add(z, "metadata.json", s1, 0) < 0 || zip_file_add(z, "config.json", s2, 0) < 0 ||
        zip_file_add(z, "model.weights.h5", s3, 0) < 0)
        rc = die("cannot add entries to", path);
    if (zip_close(z) < 0) rc = die("cannot write", path);
    remove(tmp_h5);
    free(text);
    cJSON_Delete(cfg);
    return rc;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: keras_export MODEL OUT_BASE   (writes OUT_BASE.h5 and OUT_BASE.keras)\n");
        return 2;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    struct tflc_kmodel m;
    struct tflc_diag d;
    if (tflc_keras_load(argv[1], NULL, &m, &d) != TFLC_STATUS_OK) return die(d.msg, argv[1]);
    const cJSON *cls = cJSON_GetObjectItemCaseSensitive(m.config, "class_name");
    if (!cJSON_IsString(cls) || strcmp(cls->valuestring, "Sequential") != 0) {
        tflc_keras_free(&m);
        return die("only Sequential models are exported", argv[1]);
    }
    char h5[4096], keras[4096], tmp[4200];
    snprintf(h5, sizeof h5, "%s.h5", argv[2]);
    snprintf(keras, sizeof keras, "%s.keras", argv[2]);
    snprintf(tmp, sizeof tmp, "%s.weights-tmp.h5", argv[2]);
    int rc = write_h5(&m, h5);
    if (!rc) rc = write_keras(&m, keras, tmp);
    tflc_keras_free(&m);
    if (!rc) printf("wrote %s and %s\n", h5, keras);
    return rc;
}
