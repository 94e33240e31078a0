/* op_cases OUTDIR [FILTER]: writes every registered single-op case (see op_cases.h). */
#include "op_cases.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fp16.h"
#include "npy.h"

#define MAX_GENS 256
#define MAX_T 256

static struct { const char *name; oc_gen_fn fn; } gens[MAX_GENS];
static int ngens;
static const char *outdir, *filter;
static int ncases;
static uint64_t rng = 0x853c49e6748fea9bull;

void oc_register(const char *name, oc_gen_fn fn) {
    if (ngens < MAX_GENS) { gens[ngens].name = name; gens[ngens].fn = fn; ngens++; }
}

uint32_t oc_rand(void) {
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}
int oc_rand_int(int lo, int hi) { return lo + (int)(oc_rand() % (uint32_t)(hi - lo + 1)); }
float oc_rand_float(float lo, float hi) { return lo + (hi - lo) * (float)(oc_rand() / 4294967296.0); }

struct tflc_tflb_quant oc_q(float *s, int64_t *z, float scale, int64_t zp) {
    *s = scale;
    *z = zp;
    struct tflc_tflb_quant q = {1, s, z, 0};
    return q;
}

struct oc_in {
    int tensor;
    enum tflc_dtype dtype;
    int rank;
    int32_t dims[TFLC_MAX_DIMS];
    double lo, hi;
    bool ranged;
};

struct oc {
    char name[128];
    char tol[64];
    struct tflc_tflb *b;
    struct oc_in in[MAX_T];
    int nin;
    int32_t out[MAX_T];
    int nout;
};

struct oc *oc_begin(const char *case_name, const char *tol) {
    if (filter && !strstr(case_name, filter)) return NULL;
    /* Each case's data depends only on its name, not on which other cases exist. */
    uint64_t h = 1469598103934665603ull;
    for (const char *p = case_name; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    rng = h ? h : 1;
    struct oc *c = calloc(1, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", case_name);
    snprintf(c->tol, sizeof c->tol, "%s", tol);
    c->b = tflc_tflb_create();
    return c;
}

struct tflc_tflb *oc_builder(struct oc *c) { return c ? c->b : NULL; }
struct tflc_fbb *oc_fbb(struct oc *c) { return c ? tflc_tflb_fbb(c->b) : NULL; }

static size_t numel(int rank, const int32_t *dims) {
    size_t n = 1;
    for (int i = 0; i < rank; i++) n *= (size_t)dims[i];
    return n;
}

static void fill(enum tflc_dtype t, void *p, size_t n, bool ranged, double lo, double hi) {
    for (size_t i = 0; i < n; i++) {
        switch (t) {
        case TFLC_DTYPE_FLOAT32: ((float *)p)[i] = ranged ? oc_rand_float((float)lo, (float)hi) : oc_rand_float(-1, 1); break;
        case TFLC_DTYPE_FLOAT16:
            ((uint16_t *)p)[i] = tflc_f32_to_f16(ranged ? oc_rand_float((float)lo, (float)hi) : oc_rand_float(-1, 1));
            break;
        case TFLC_DTYPE_INT8: ((int8_t *)p)[i] = (int8_t)(ranged ? oc_rand_int((int)lo, (int)hi) : oc_rand_int(-128, 127)); break;
        case TFLC_DTYPE_UINT8: ((uint8_t *)p)[i] = (uint8_t)(ranged ? oc_rand_int((int)lo, (int)hi) : oc_rand_int(0, 255)); break;
        case TFLC_DTYPE_INT16: ((int16_t *)p)[i] = (int16_t)(ranged ? oc_rand_int((int)lo, (int)hi) : oc_rand_int(-32768, 32767)); break;
        case TFLC_DTYPE_INT32: ((int32_t *)p)[i] = ranged ? oc_rand_int((int)lo, (int)hi) : oc_rand_int(0, 9); break;
        case TFLC_DTYPE_INT64: ((int64_t *)p)[i] = ranged ? oc_rand_int((int)lo, (int)hi) : oc_rand_int(0, 9); break;
        case TFLC_DTYPE_BOOL: ((uint8_t *)p)[i] = (uint8_t)oc_rand_int(0, 1); break;
        default: memset(p, 0, n * tflc_dtype_size(t)); return;
        }
    }
}

int oc_input(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims,
             const struct tflc_tflb_quant *q) {
    if (!c) return -1;
    int ti = tflc_tflb_tensor(c->b, name, t, rank, dims, 0, q);
    struct oc_in *in = &c->in[c->nin++];
    memset(in, 0, sizeof *in);
    in->tensor = ti;
    in->dtype = t;
    in->rank = rank;
    if (rank) memcpy(in->dims, dims, sizeof *dims * (size_t)rank);
    return ti;
}

void oc_input_range(struct oc *c, int tensor, double lo, double hi) {
    if (!c) return;
    for (int i = 0; i < c->nin; i++)
        if (c->in[i].tensor == tensor) { c->in[i].lo = lo; c->in[i].hi = hi; c->in[i].ranged = true; }
}

static int make_const(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims, const void *data,
                      bool ranged, double lo, double hi, const struct tflc_tflb_quant *q) {
    size_t bytes = numel(rank, dims) * tflc_dtype_size(t);
    void *tmp = NULL;
    if (!data) {
        tmp = malloc(bytes ? bytes : 1);
        fill(t, tmp, numel(rank, dims), ranged, lo, hi);
        data = tmp;
    }
    int buf = tflc_tflb_buffer(c->b, data, bytes);
    free(tmp);
    return tflc_tflb_tensor(c->b, name, t, rank, dims, buf, q);
}

int oc_const(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims, const void *data,
             const struct tflc_tflb_quant *q) {
    if (!c) return -1;
    return make_const(c, name, t, rank, dims, data, false, 0, 0, q);
}

int oc_const_range(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims, double lo,
                   double hi, const struct tflc_tflb_quant *q) {
    if (!c) return -1;
    return make_const(c, name, t, rank, dims, NULL, true, lo, hi, q);
}

int oc_tensor(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims,
              const struct tflc_tflb_quant *q) {
    if (!c) return -1;
    return tflc_tflb_tensor(c->b, name, t, rank, dims, 0, q);
}

int oc_output(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims,
              const struct tflc_tflb_quant *q) {
    if (!c) return -1;
    int ti = tflc_tflb_tensor(c->b, name, t, rank, dims, 0, q);
    c->out[c->nout++] = ti;
    return ti;
}

int oc_op(struct oc *c, int32_t builtin, int version, const int32_t *in, int nin, const int32_t *out, int nout,
          uint8_t opt_type, uint32_t opt_ref) {
    if (!c) return -1;
    return tflc_tflb_op(c->b, builtin, version, NULL, in, nin, out, nout, opt_type, opt_ref);
}

static void write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n) { fprintf(stderr, "op_cases: cannot write %s\n", path); exit(1); }
    fclose(f);
}

void oc_end(struct oc *c) {
    if (!c) return;
    int32_t gin[MAX_T];
    for (int i = 0; i < c->nin; i++) gin[i] = c->in[i].tensor;
    tflc_tflb_graph_io(c->b, gin, c->nin, c->out, c->nout);
    const uint8_t *data;
    size_t size;
    struct tflc_diag d;
    if (tflc_tflb_finish(c->b, "tflc op case", &data, &size, &d)) { fprintf(stderr, "op_cases: %s: %s\n", c->name, d.msg); exit(1); }
    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s/%s", outdir, c->name);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) { fprintf(stderr, "op_cases: mkdir %s failed\n", dir); exit(1); }
    snprintf(path, sizeof path, "%s/model.tflite", dir);
    write_file(path, data, size);
    for (int i = 0; i < c->nin; i++) {
        struct oc_in *in = &c->in[i];
        size_t n = numel(in->rank, in->dims);
        void *buf = malloc(n * tflc_dtype_size(in->dtype) + 1);
        fill(in->dtype, buf, n, in->ranged, in->lo, in->hi);
        int64_t dims[TFLC_MAX_DIMS];
        for (int k = 0; k < in->rank; k++) dims[k] = in->dims[k];
        size_t len;
        void *enc = npy_encode(in->dtype, in->rank, dims, buf, &len);
        snprintf(path, sizeof path, "%s/in%d.npy", dir, i);
        write_file(path, enc, len);
        free(enc);
        free(buf);
    }
    snprintf(path, sizeof path, "%s/tol.txt", dir);
    write_file(path, c->tol, strlen(c->tol));
    tflc_tflb_destroy(c->b);
    free(c);
    ncases++;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: op_cases OUTDIR [FILTER]\n"); return 2; }
    outdir = argv[1];
    filter = argc > 2 ? argv[2] : NULL;
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) { fprintf(stderr, "op_cases: cannot create %s\n", outdir); return 1; }
    for (int i = 0; i < ngens; i++) gens[i].fn();
    printf("op_cases: wrote %d cases to %s\n", ncases, outdir);
    return 0;
}
