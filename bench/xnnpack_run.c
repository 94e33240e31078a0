/* xnnpack_run - the XNNPACK baseline of tflc's benchmark suite (bench/README.md).
 *
 *   xnnpack_run MODEL.tflite [--input X.npy] [--save-input F.npy] [--save-output F.npy]
 *               [--compare REF.npy] [--threads N] [--runs R] [--warmup W] [--json]
 *
 * Runs a .tflite the way TFLite's CPU interpreter does with its default XNNPACK delegate
 * (xnn_model.h): XNNPACK subgraphs for the ops the delegate takes, plain C for the few it does
 * not. Times W warm-up invokes then R timed ones (median, min, mean) on N threads (pthreadpool).
 * --input binds a float32 .npy to input 0 (quantized with the input's scale and zero point when
 * the model takes int8 / uint8) or an .npy of the input's own type; without it the input is
 * seeded uniform noise. --compare checks output 0 against another runtime's (tflc run's
 * out0.npy on the same --save-input): max abs difference in real units, in LSBs for quantized
 * outputs, how many elements differ, and whether the arg-max agrees (up to a 1-LSB tie for
 * quantized outputs), so a wrong graph cannot pass for a fast one.
 * Exit status: 0 ok, 1 error, 2 usage, 3 the model has an op XNNPACK's delegate does not take
 * ("n/a"; the message names it).
 *
 * Benchmark tool only: links Debian's libXNNPACK and tflc's runtime library (for the verified
 * flatbuffer reader), never the other way round. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xnn_model.h"

enum { T_F32 = 0, T_U8 = 3, T_I8 = 9 };

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    void *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = aligned_alloc(64, ((size_t)n + 64) / 64 * 64)) != NULL) {
            if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                buf = NULL;
            }
            *len = (size_t)n;
        }
    }
    fclose(f);
    return buf;
}

/* ---- minimal .npy (format 1.x / 2.x, little-endian, C order): f4, i1, u1 ---- */

struct npy {
    int type; /* TFLite TensorType */
    size_t count;
    const void *data;
    void *file;
};

static bool npy_read(const char *path, struct npy *o) {
    size_t len;
    uint8_t *f = read_file(path, &len);
    if (!f) return false;
    o->file = f;
    if (len < 12 || memcmp(f, "\x93NUMPY", 6) != 0) return false;
    size_t hl = f[6] == 1 ? (size_t)(f[8] | f[9] << 8) : (size_t)(f[8] | f[9] << 8 | f[10] << 16 | (size_t)f[11] << 24);
    size_t off = f[6] == 1 ? 10 : 12;
    if (off + hl > len) return false;
    char h[1024];
    size_t n = hl < sizeof h - 1 ? hl : sizeof h - 1;
    memcpy(h, f + off, n);
    h[n] = 0;
    const char *d = strstr(h, "'descr'");
    if (!d || strstr(h, "'fortran_order': True")) return false;
    o->type = strstr(d, "'<f4'") ? T_F32 : strstr(d, "'|i1'") ? T_I8 : strstr(d, "'|u1'") ? T_U8 : -1;
    if (o->type < 0) return false;
    const char *s = strstr(h, "'shape'");
    if (!s || !(s = strchr(s, '('))) return false;
    o->count = 1;
    for (s++; *s && *s != ')';) {
        char *e;
        unsigned long long v = strtoull(s, &e, 10);
        if (e == s) {
            s++;
            continue;
        }
        o->count *= (size_t)v;
        s = e;
    }
    size_t es = o->type == T_F32 ? 4 : 1;
    if (off + hl + o->count * es > len) return false;
    o->data = f + off + hl;
    return true;
}

static bool npy_write(const char *path, int type, const struct xm_tensor *t, const void *data) {
    char shape[256] = "";
    size_t at = 0;
    for (int i = 0; i < t->rank; i++)
        at += (size_t)snprintf(shape + at, sizeof shape - at, "%zu%s", t->dims[i],
                               t->rank == 1 || i + 1 < t->rank ? ", " : "");
    char h[512];
    int n = snprintf(h, sizeof h, "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                     type == T_F32  ? "<f4"
                     : type == T_I8 ? "|i1"
                                    : "|u1",
                     shape);
    int pad = (64 - (10 + n + 1) % 64) % 64;
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    uint16_t hl = (uint16_t)(n + pad + 1);
    fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    fputc(hl & 0xff, f);
    fputc(hl >> 8, f);
    fwrite(h, 1, (size_t)n, f);
    for (int i = 0; i < pad; i++) fputc(' ', f);
    fputc('\n', f);
    fwrite(data, 1, t->bytes, f);
    return fclose(f) == 0;
}

static float real_at(const struct xm_tensor *t, const void *p, size_t i) {
    if (t->type == T_F32) return ((const float *)p)[i];
    int v = t->type == T_I8 ? ((const int8_t *)p)[i] : ((const uint8_t *)p)[i];
    return t->scale * (float)(v - t->zero_point);
}

static int usage(const char *msg) {
    fprintf(stderr,
            "xnnpack_run: %s\nusage: xnnpack_run MODEL.tflite [--input X.npy] [--save-input F.npy] "
            "[--save-output F.npy] [--compare REF.npy] [--threads N] [--runs R] [--warmup W] [--json]\n",
            msg);
    return 2;
}

int main(int argc, char **argv) {
    const char *path = NULL, *input = NULL, *save_in = NULL, *save_out = NULL, *compare = NULL;
    int threads = 1, runs = 20, warmup = 3;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json"))
            json = true;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage("runs a .tflite with XNNPACK");
            return 0;
        } else if (a[0] == '-' && a[1]) {
            if (i + 1 >= argc) return usage("option needs a value");
            const char *v = argv[++i];
            if (!strcmp(a, "--input"))
                input = v;
            else if (!strcmp(a, "--save-input"))
                save_in = v;
            else if (!strcmp(a, "--save-output"))
                save_out = v;
            else if (!strcmp(a, "--compare"))
                compare = v;
            else if (!strcmp(a, "--threads"))
                threads = atoi(v);
            else if (!strcmp(a, "--runs"))
                runs = atoi(v);
            else if (!strcmp(a, "--warmup"))
                warmup = atoi(v);
            else
                return usage("unknown option");
        } else if (path)
            return usage("more than one model");
        else
            path = a;
    }
    if (!path || threads < 1 || runs < 1 || warmup < 0) return usage("bad arguments");
    size_t len;
    void *file = read_file(path, &len);
    if (!file) {
        fprintf(stderr, "xnnpack_run: error: %s: cannot read\n", path);
        return 1;
    }
    struct xm_model m;
    char err[512];
    bool na;
    double t0 = now_ms();
    if (!xm_load(&m, file, len, threads, &na, err, sizeof err)) {
        if (json) printf("{\"model\": \"%s\", \"threads\": %d, \"na\": \"%s\"}\n", path, threads, err);
        fprintf(stderr, "xnnpack_run: %s: %s: %s\n", na ? "n/a" : "error", path, err);
        xm_free(&m);
        free(file);
        return na ? 3 : 1;
    }
    double init_ms = now_ms() - t0;
    struct xm_tensor *x = &m.t[m.inputs[0]];
    const struct xm_tensor *y = &m.t[m.outputs[0]];
    int rc = 0;
    if (input) {
        struct npy in = {0};
        if (!npy_read(input, &in) || in.count != x->elems || (in.type != T_F32 && in.type != x->type)) {
            fprintf(stderr, "xnnpack_run: error: %s: not a float32 or %s .npy of %zu elements\n", input,
                    x->type == T_I8 ? "int8" : "matching", x->elems);
            free(in.file);
            rc = 1;
            goto done;
        }
        for (size_t i = 0; i < x->elems; i++) {
            if (in.type == x->type) {
                memcpy(x->buf, in.data, x->bytes);
                break;
            }
            float v = ((const float *)in.data)[i];
            if (x->type == T_F32) {
                ((float *)x->buf)[i] = v;
                continue;
            }
            float q = nearbyintf(v / x->scale) + (float)x->zero_point;
            float lo = x->type == T_I8 ? -128.0f : 0.0f, hi = x->type == T_I8 ? 127.0f : 255.0f;
            q = q < lo ? lo : q > hi ? hi : q;
            if (x->type == T_I8)
                ((int8_t *)x->buf)[i] = (int8_t)q;
            else
                ((uint8_t *)x->buf)[i] = (uint8_t)q;
        }
        free(in.file);
    } else {
        uint64_t s = 0x1234567ull;
        for (size_t i = 0; i < x->elems; i++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            uint32_t r = (uint32_t)(s >> 33);
            if (x->type == T_F32)
                ((float *)x->buf)[i] = (float)r / 2147483648.0f * 2.0f - 1.0f;
            else
                ((uint8_t *)x->buf)[i] = (uint8_t)r;
        }
    }
    if (save_in && !npy_write(save_in, x->type, x, x->buf)) {
        fprintf(stderr, "xnnpack_run: error: %s: cannot write\n", save_in);
        rc = 1;
        goto done;
    }
    if (!xm_invoke(&m, err, sizeof err)) {
        fprintf(stderr, "xnnpack_run: error: %s: %s\n", path, err);
        rc = 1;
        goto done;
    }
    if (save_out && !npy_write(save_out, y->type, y, y->buf)) {
        fprintf(stderr, "xnnpack_run: error: %s: cannot write\n", save_out);
        rc = 1;
        goto done;
    }
    double max_abs = -1, max_lsb = -1;
    size_t mismatches = 0;
    int top1 = -1;
    if (compare) {
        struct npy ref = {0};
        if (!npy_read(compare, &ref) || ref.count != y->elems || ref.type != y->type) {
            fprintf(stderr, "xnnpack_run: error: %s: not an .npy of output 0's type and %zu elements\n", compare,
                    y->elems);
            free(ref.file);
            rc = 1;
            goto done;
        }
        size_t am = 0, bm = 0;
        max_abs = 0;
        max_lsb = y->type == T_F32 ? -1 : 0;
        for (size_t i = 0; i < y->elems; i++) {
            float a = real_at(y, y->buf, i), b = real_at(y, ref.data, i);
            double d = isnan(a) != isnan(b) ? INFINITY : fabs((double)a - b);
            if (d > max_abs) max_abs = d;
            if (d > 0) mismatches++;
            if (y->type != T_F32 && d / y->scale > max_lsb) max_lsb = nearbyint(d / y->scale);
            if (a > real_at(y, y->buf, am)) am = i;
            if (b > real_at(y, ref.data, bm)) bm = i;
        }
        /* Top-1 agrees when the arg-maxes are equal or tie within one LSB in both outputs (an int8
         * softmax has many near-equal classes, and 1-LSB rounding differences are expected). */
        double tol = y->type == T_F32 ? 0.0 : 1.01 * y->scale;
        top1 = am == bm || (real_at(y, y->buf, bm) >= real_at(y, y->buf, am) - tol &&
                            real_at(y, ref.data, am) >= real_at(y, ref.data, bm) - tol);
        free(ref.file);
    }
    double *t = malloc(sizeof *t * (size_t)runs), mean = 0;
    if (!t) {
        rc = 1;
        goto done;
    }
    for (int i = 0; i < warmup + runs; i++) {
        double s = now_ms();
        if (!xm_invoke(&m, err, sizeof err)) {
            fprintf(stderr, "xnnpack_run: error: %s\n", err);
            rc = 1;
            break;
        }
        if (i >= warmup) t[i - warmup] = now_ms() - s;
    }
    if (rc == 0) {
        for (int i = 0; i < runs; i++) mean += t[i] / runs;
        qsort(t, (size_t)runs, sizeof *t, cmp_double);
        double median = runs % 2 ? t[runs / 2] : 0.5 * (t[runs / 2 - 1] + t[runs / 2]);
        if (json) {
            printf("{\"model\": \"%s\", \"threads\": %d, \"runs\": %d, \"warmup\": %d, \"median_ms\": %.4f, "
                   "\"min_ms\": %.4f, \"mean_ms\": %.4f, \"init_ms\": %.2f, \"partitions\": %d, \"xnn_ops\": %d, "
                   "\"fallback_ops\": %d, \"fallback\": \"%s\"",
                   path, threads, runs, warmup, median, t[0], mean, init_ms, m.nparts, m.xnn_ops, m.fallback_ops,
                   m.fallback_list);
            if (compare) {
                printf(", \"max_abs_diff\": %.6g, \"elements_differing\": %zu, \"elements\": %zu, \"top1_match\": %s",
                       max_abs, mismatches, y->elems, top1 ? "true" : "false");
                if (max_lsb >= 0) printf(", \"max_lsb_diff\": %.0f", max_lsb);
            }
            printf("}\n");
        } else {
            printf("%s: XNNPACK, %d thread%s, %d runs (+%d warm-up)\n", path, threads, threads == 1 ? "" : "s", runs,
                   warmup);
            printf("latency ms: median %.3f  min %.3f  mean %.3f   (init %.1f ms)\n", median, t[0], mean, init_ms);
            printf("%d ops: %d in %d XNNPACK partition(s), %d in C fallback%s%s\n", m.nops, m.xnn_ops,
                   m.nparts - m.fallback_ops, m.fallback_ops, m.fallback_ops ? ": " : "", m.fallback_list);
            if (compare) {
                printf("vs %s: max abs diff %.6g", compare, max_abs);
                if (max_lsb >= 0) printf(" (%.0f LSB)", max_lsb);
                printf(", %zu of %zu elements differ", mismatches, y->elems);
                printf(", top-1 %s\n", top1 ? "agrees" : "DIFFERS");
            }
        }
    }
    free(t);
done:
    xm_free(&m);
    free(file);
    return rc;
}
