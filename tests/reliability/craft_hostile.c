/* craft_hostile OUT_DIR: writes one hostile model per limit and per error that
 * tests/reliability/hostile.sh checks (and one good model of each format as a control).
 *
 * Every Keras file is built from scratch here (libhdf5, libzip): a Sequential model
 *   input [None, 4] -> Dense 'dense' (3, relu) -> Dense 'out' (2, softmax)
 * written as a Keras 2 .h5 (model_config attribute, model_weights/<layer>/<layer>/kernel:0),
 * a Keras 3 .keras (config.json, metadata.json, model.weights.h5 with layers/<layer>/vars/<i>)
 * or a TensorFlow.js model.json + shard, with exactly one thing broken per file. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <hdf5.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

static const char *out_dir;

static void die(const char *what, const char *arg) {
    fprintf(stderr, "craft_hostile: %s: %s\n", what, arg);
    exit(1);
}

static char *path_of(const char *name) {
    static char p[8][4200];
    static int k;
    char *r = p[k++ & 7];
    snprintf(r, sizeof p[0], "%s/%s", out_dir, name);
    return r;
}

static void write_bytes(const char *name, const void *d, size_t n) {
    FILE *f = fopen(path_of(name), "wb");
    if (!f || (n && fwrite(d, 1, n, f) != n) || fclose(f)) die("cannot write", name);
}

static void *read_bytes(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot read", path);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *b = malloc((size_t)sz + 1);
    if (!b || fread(b, 1, (size_t)sz, f) != (size_t)sz) die("cannot read", path);
    fclose(f);
    *n = (size_t)sz;
    return b;
}

/* ---- the model ---- */

#define INPUT "{\"class_name\":\"InputLayer\",\"config\":{\"batch_input_shape\":[null,4],\"dtype\":\"float32\",\"name\":\"input\"}}"
#define DENSE(name, units, act, bias)                                                                                    \
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"" name "\",\"units\":" units ",\"activation\":\"" act "\",\"use_bias\":" bias \
    "}}"
#define SEQ(layers) "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"seq\",\"layers\":[" layers "]}}"

static const char *good_config = SEQ(INPUT "," DENSE("dense", "3", "relu", "true") "," DENSE("out", "2", "softmax", "true"));

struct weight {
    const char *layer, *name; /* "dense", "kernel" */
    int rank;
    hsize_t dims[2];
};
static const struct weight good_weights[4] = {
    {"dense", "kernel", 2, {4, 3}}, {"dense", "bias", 1, {3}}, {"out", "kernel", 2, {3, 2}}, {"out", "bias", 1, {2}}};

/* How one dataset is stored. */
enum store { PLAIN, CHUNKED_EMPTY, DEFLATED_ZEROS, EXTERNAL, STRING, MISSING };

static void str_attr(hid_t loc, const char *name, const char *value) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(value) ? strlen(value) : 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, value);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
}

static void str_array_attr(hid_t loc, const char *name, const char *const *v, int n) {
    size_t len = 1;
    for (int i = 0; i < n; i++) if (strlen(v[i]) > len) len = strlen(v[i]);
    char *buf = calloc(n > 0 ? (size_t)n : 1, len);
    for (int i = 0; i < n; i++) memcpy(buf + (size_t)i * len, v[i], strlen(v[i]));
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, len);
    hsize_t d = (hsize_t)n;
    hid_t sp = H5Screate_simple(1, &d, NULL);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, buf);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    free(buf);
}

static void dataset(hid_t loc, const char *path, int rank, const hsize_t *dims, enum store how) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t type = H5T_IEEE_F32LE;
    hsize_t n = 1;
    for (int i = 0; i < rank; i++) n *= dims[i];
    if (how == CHUNKED_EMPTY || how == DEFLATED_ZEROS) {
        hsize_t chunk[2] = {dims[0] > 1024 ? 1024 : dims[0], rank > 1 ? (dims[1] > 1024 ? 1024 : dims[1]) : 1};
        H5Pset_chunk(dcpl, rank, chunk);
        if (how == DEFLATED_ZEROS) H5Pset_deflate(dcpl, 9);
        H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_INCR);
    }
    if (how == EXTERNAL) {
        write_bytes("outside.bin", "secret data kept outside the model file, 48 bytes", 48);
        H5Pset_external(dcpl, "outside.bin", 0, (hsize_t)(n * 4));
    }
    if (how == STRING) {
        type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, 8);
    }
    hid_t ds = H5Dcreate2(loc, path, type, sp, lcpl, dcpl, H5P_DEFAULT);
    if (ds < 0) die("cannot create dataset", path);
    if (how == PLAIN) {
        float *v = malloc(sizeof *v * n);
        for (hsize_t i = 0; i < n; i++) v[i] = (float)((int)(i % 7) - 3) * 0.1f;
        H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
        free(v);
    } else if (how == DEFLATED_ZEROS) {
        float *z = calloc(n, sizeof *z);
        H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, z);
        free(z);
    }
    H5Dclose(ds);
    if (how == STRING) H5Tclose(type);
    H5Sclose(sp);
    H5Pclose(dcpl);
    H5Pclose(lcpl);
}

/* A Keras 2 .h5. `layers` are the model_weights groups (layer_names), `w` the datasets;
 * `override` (may be NULL) changes how weight `which` (index into w) is stored. */
struct h5spec {
    const char *config;         /* NULL = no model_config attribute */
    const char *layers[4];
    int nlayers;
    struct weight w[4];
    int nw;
    int which;                  /* -1 = none */
    enum store how;
    const char *external_link;  /* layer group replaced by a link into another file */
};

static struct h5spec h5_default(void) {
    struct h5spec s;
    memset(&s, 0, sizeof s);
    s.config = good_config;
    s.layers[0] = "input";
    s.layers[1] = "dense";
    s.layers[2] = "out";
    s.nlayers = 3;
    memcpy(s.w, good_weights, sizeof good_weights);
    s.nw = 4;
    s.which = -1;
    return s;
}

static void write_h5(const char *name, const struct h5spec *s) {
    hid_t f = H5Fcreate(path_of(name), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) die("cannot create", name);
    if (s->config) str_attr(f, "model_config", s->config);
    str_attr(f, "keras_version", "2.15.0");
    str_attr(f, "backend", "tensorflow");
    hid_t mw = H5Gcreate2(f, "model_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    str_array_attr(mw, "layer_names", s->layers, s->nlayers);
    for (int l = 0; l < s->nlayers; l++) {
        if (s->external_link && !strcmp(s->external_link, s->layers[l])) {
            H5Lcreate_external("other.h5", "/x", mw, s->layers[l], H5P_DEFAULT, H5P_DEFAULT);
            continue;
        }
        hid_t g = H5Gcreate2(mw, s->layers[l], H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        const char *names[4];
        char buf[4][128];
        int n = 0;
        for (int i = 0; i < s->nw; i++) {
            if (strcmp(s->w[i].layer, s->layers[l])) continue;
            snprintf(buf[n], sizeof buf[n], "%s/%s:0", s->w[i].layer, s->w[i].name);
            names[n] = buf[n];
            enum store how = i == s->which ? s->how : PLAIN;
            if (how != MISSING) dataset(g, buf[n], s->w[i].rank, s->w[i].dims, how);
            n++;
        }
        str_array_attr(g, "weight_names", names, n);
        H5Gclose(g);
    }
    H5Gclose(mw);
    H5Fclose(f);
}

static void h5_cases(void) {
    struct h5spec s = h5_default();
    write_h5("ok.h5", &s);

    s = h5_default();
    s.config = NULL;
    write_h5("no_config.h5", &s);

    s = h5_default();
    s.config = "{\"class_name\": \"Sequential\", \"config\": {garbage";
    write_h5("bad_json.h5", &s);

    s = h5_default();
    s.config = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": 7}]}}";
    write_h5("class_not_string.h5", &s);

    static char deep[700];
    memset(deep, '[', 300);
    memset(deep + 300, ']', 300);
    s = h5_default();
    s.config = deep;
    write_h5("json_too_deep.h5", &s);

    s = h5_default();
    s.config = SEQ(INPUT "," DENSE("dense", "3", "relu", "true") "," DENSE("out", "2000000000", "softmax", "true"));
    write_h5("huge_units.h5", &s);

    s = h5_default();
    s.w[0].rank = 1;
    s.w[0].dims[0] = 6;
    write_h5("wrong_shape.h5", &s);

    s = h5_default();
    s.which = 1;
    s.how = MISSING;
    write_h5("missing_weight.h5", &s);

    s = h5_default();
    s.config = SEQ(INPUT "," DENSE("dense", "3", "relu", "false") "," DENSE("out", "2", "softmax", "true"));
    write_h5("extra_weight.h5", &s);

    s = h5_default();
    s.config = SEQ(INPUT "," DENSE("dense", "3", "relu", "true") "," DENSE("out", "2", "softmax", "true") ","
                         DENSE("last", "2", "linear", "true"));
    write_h5("weights_missing_layer.h5", &s);

    s = h5_default();
    s.layers[3] = "ghost";
    s.nlayers = 4;
    write_h5("weights_of_unknown_layer.h5", &s);

    s = h5_default();
    s.config = SEQ(INPUT "," DENSE("dense", "3", "relu", "true") "," DENSE("dense", "2", "softmax", "true"));
    write_h5("duplicate_names.h5", &s);

    /* 40 Sequential models, each the only layer of the one around it. */
    static char nested[8192];
    size_t k = 0;
    for (int i = 0; i < 40; i++)
        k += (size_t)snprintf(nested + k, sizeof nested - k, "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"m%d\",\"layers\":[%s", i,
                              i == 0 ? INPUT "," : "");
    k += (size_t)snprintf(nested + k, sizeof nested - k, "%s", DENSE("dense", "3", "relu", "true"));
    for (int i = 0; i < 40; i++) k += (size_t)snprintf(nested + k, sizeof nested - k, "]}}");
    s = h5_default();
    s.config = nested;
    write_h5("nested_too_deep.h5", &s);

    s = h5_default();
    s.w[0].dims[0] = 65536;
    s.w[0].dims[1] = 65536;
    s.which = 0;
    s.how = CHUNKED_EMPTY;
    write_h5("weight_too_many_elements.h5", &s);

    s = h5_default();
    s.w[0].dims[0] = 8192;
    s.w[0].dims[1] = 8192;
    s.which = 0;
    s.how = CHUNKED_EMPTY;
    write_h5("weight_not_stored.h5", &s);

    s = h5_default();
    s.w[0].dims[0] = 4096;
    s.w[0].dims[1] = 4096;
    s.which = 0;
    s.how = DEFLATED_ZEROS;
    write_h5("weight_deflate_bomb.h5", &s);

    s = h5_default();
    s.which = 0;
    s.how = EXTERNAL;
    write_h5("weight_external_storage.h5", &s);

    s = h5_default();
    s.external_link = "out";
    write_h5("layer_external_link.h5", &s);

    s = h5_default();
    s.which = 0;
    s.how = STRING;
    write_h5("weight_not_numeric.h5", &s);

    /* An HDF5 signature followed by a hole: 2 GiB + 1 bytes on disk, nothing allocated. */
    int fd = open(path_of("file_too_big.h5"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "\x89HDF\r\n\x1a\n", 8) != 8 || ftruncate(fd, ((off_t)2 << 30) + 1) != 0) die("cannot write", "file_too_big.h5");
    close(fd);
}

/* ---- .keras ---- */

/* model.weights.h5 of the good model, Keras 3 layout. */
static void *v3_weights(size_t *n) {
    char *tmp = path_of("v3-weights.tmp.h5");
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    for (int i = 0; i < 4; i++) {
        char p[128];
        snprintf(p, sizeof p, "layers/%s/vars/%d", good_weights[i].layer, i % 2);
        dataset(f, p, good_weights[i].rank, good_weights[i].dims, PLAIN);
    }
    H5Fclose(f);
    void *b = read_bytes(tmp, n);
    unlink(tmp);
    return b;
}

struct entry {
    const char *name;
    const void *data;
    size_t len;
};

static void write_zip(const char *name, const struct entry *e, int n) {
    int err;
    zip_t *z = zip_open(path_of(name), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) die("cannot create", name);
    for (int i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, e[i].data, e[i].len, 0);
        if (!src || zip_file_add(z, e[i].name, src, ZIP_FL_OVERWRITE) < 0) die("cannot add to zip", e[i].name);
    }
    if (zip_close(z) != 0) die("cannot write", name);
}

/* Sets the uncompressed size of entry `entry` in both zip headers to `size` (a lie). */
static void zip_lie(const char *name, const char *entry, uint32_t size) {
    size_t n;
    unsigned char *b = read_bytes(path_of(name), &n);
    size_t el = strlen(entry);
    for (size_t i = 0; i + 46 + el <= n; i++) {
        if (!memcmp(b + i, "PK\x01\x02", 4) && b[i + 28] == el && !memcmp(b + i + 46, entry, el)) {
            memcpy(b + i + 24, &size, 4); /* central directory */
            uint32_t lo;
            memcpy(&lo, b + i + 42, 4);
            if (lo + 30 <= n) memcpy(b + lo + 22, &size, 4); /* local header */
        }
    }
    write_bytes(name, b, n);
    free(b);
}

static void keras_cases(void) {
    size_t wn;
    void *w = v3_weights(&wn);
    const char *meta = "{\"keras_version\": \"3.3.3\", \"date_saved\": \"2026-01-01@00:00:00\"}";
    struct entry good[3] = {{"metadata.json", meta, strlen(meta)}, {"config.json", good_config, strlen(good_config)}, {"model.weights.h5", w, wn}};
    write_zip("ok.keras", good, 3);

    struct entry e[3];
    memcpy(e, good, sizeof e);
    size_t big = (size_t)80 << 20;
    char *spaces = malloc(big + 2);
    memset(spaces, ' ', big + 2);
    spaces[0] = '{';
    spaces[big + 1] = '}';
    e[1].data = spaces;
    e[1].len = big + 2;
    write_zip("config_bomb.keras", e, 3);
    free(spaces);

    size_t dn = 400000;
    char *deep = malloc(dn);
    memset(deep, '[', dn / 2);
    memset(deep + dn / 2, ']', dn / 2);
    memcpy(e, good, sizeof e);
    e[1].data = deep;
    e[1].len = dn;
    write_zip("config_too_deep.keras", e, 3);
    free(deep);

    memcpy(e, good, sizeof e);
    e[1].data = "\xff\xfe\x00garbage{";
    e[1].len = 11;
    write_zip("config_not_json.keras", e, 3);

    write_zip("no_weights.keras", good, 2);
    struct entry nc[2] = {good[0], good[2]};
    write_zip("no_config.keras", nc, 2);

    int many = 10001;
    struct entry *m = calloc((size_t)many, sizeof *m);
    char (*names)[32] = calloc((size_t)many, sizeof *names);
    for (int i = 0; i < 3; i++) m[i] = good[i];
    for (int i = 3; i < many; i++) {
        snprintf(names[i], sizeof names[i], "filler/%d.txt", i);
        m[i] = (struct entry){names[i], "x", 1};
    }
    write_zip("too_many_entries.keras", m, many);
    free(m);
    free(names);

    write_zip("weights_size_lie.keras", good, 3);
    zip_lie("weights_size_lie.keras", "model.weights.h5", 3u << 30);
    write_zip("config_size_short.keras", good, 3);
    zip_lie("config_size_short.keras", "config.json", 10);
    free(w);
}

/* ---- TensorFlow.js ---- */

static const char *manifest =
    "\"weightsManifest\":[{\"paths\":[\"%s\"],\"weights\":[{\"name\":\"dense/kernel\",\"shape\":[4,3],\"dtype\":\"float32\"},"
    "{\"name\":\"dense/bias\",\"shape\":[3],\"dtype\":\"float32\"},{\"name\":\"out/kernel\",\"shape\":[3,2],\"dtype\":\"float32\"},"
    "{\"name\":\"out/bias\",\"shape\":[%s],\"dtype\":\"float32\"}]}]";

static void tfjs(const char *name, const char *topology, const char *shard, const char *last_bias) {
    char m[4096], man[1024];
    snprintf(man, sizeof man, manifest, shard, last_bias);
    snprintf(m, sizeof m, "{\"modelTopology\":%s,\"format\":\"layers-model\",%s}", topology, man);
    write_bytes(name, m, strlen(m));
}

#define FN_LAYER(cls, name, cfg, inbound) \
    "{\"class_name\":\"" cls "\",\"name\":\"" name "\",\"config\":{\"name\":\"" name "\"" cfg "},\"inbound_nodes\":" inbound "}"
#define FUNCTIONAL(layers, out) \
    "{\"class_name\":\"Functional\",\"config\":{\"name\":\"f\",\"layers\":[" layers "],\"input_layers\":[[\"input\",0,0]],\"output_layers\":[[\"" out "\",0,0]]}}"
#define FN_INPUT FN_LAYER("InputLayer", "input", ",\"batch_input_shape\":[null,4]", "[]")

static void tfjs_cases(void) {
    float w[4 * 3 + 3 + 3 * 2 + 2];
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) w[i] = (float)i * 0.01f;
    write_bytes("w.bin", w, sizeof w);
    tfjs("ok.json", good_config, "w.bin", "2");
    tfjs("cycle.json",
         FUNCTIONAL(FN_INPUT "," FN_LAYER("Dense", "dense", ",\"units\":3", "[[[\"out\",0,0,{}]]]") ","
                             FN_LAYER("Dense", "out", ",\"units\":2", "[[[\"dense\",0,0,{}]]]"), "out"),
         "w.bin", "2");
    tfjs("dangling.json",
         FUNCTIONAL(FN_INPUT "," FN_LAYER("Dense", "dense", ",\"units\":3", "[[[\"input\",0,0,{}]]]") ","
                             FN_LAYER("Dense", "out", ",\"units\":2", "[[[\"ghost\",0,0,{}]]]"), "out"),
         "w.bin", "2");
    tfjs("node_index_huge.json",
         FUNCTIONAL(FN_INPUT "," FN_LAYER("Dense", "dense", ",\"units\":3", "[[[\"input\",0,0,{}]]]") ","
                             FN_LAYER("Dense", "out", ",\"units\":2", "[[[\"dense\",1e86,0,{}]]]"), "out"),
         "w.bin", "2");
    /* Two outputs (for `run --output-dir` when only one output can be written). */
    tfjs("two_outputs.json",
         "{\"class_name\":\"Functional\",\"config\":{\"name\":\"f\",\"layers\":[" FN_INPUT ","
         FN_LAYER("Dense", "dense", ",\"units\":3", "[[[\"input\",0,0,{}]]]") ","
         FN_LAYER("Dense", "out", ",\"units\":2", "[[[\"dense\",0,0,{}]]]")
         "],\"input_layers\":[[\"input\",0,0]],\"output_layers\":[[\"dense\",0,0],[\"out\",0,0]]}}",
         "w.bin", "2");
    /* An input of 2^30 floats (converts: activations take no memory until run). */
    const char *huge = SEQ("{\"class_name\":\"InputLayer\",\"config\":{\"batch_input_shape\":[null,32768,32768],\"name\":\"input\"}},"
                           "{\"class_name\":\"ReLU\",\"config\":{\"name\":\"relu\"}}");
    char m[1024];
    snprintf(m, sizeof m, "{\"modelTopology\":%s,\"format\":\"layers-model\",\"weightsManifest\":[]}", huge);
    write_bytes("huge_input.json", m, strlen(m));
    tfjs("shard_path_traversal.json", good_config, "../w.bin", "2");
    tfjs("shard_path_absolute.json", good_config, "/etc/passwd", "2");
    tfjs("shard_missing.json", good_config, "nope.bin", "2");
    tfjs("shards_too_short.json", good_config, "w.bin", "2000");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: craft_hostile OUT_DIR\n");
        return 2;
    }
    out_dir = argv[1];
    mkdir(out_dir, 0755);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    h5_cases();
    keras_cases();
    tfjs_cases();
    return 0;
}
