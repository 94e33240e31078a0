/* run_models: runs .tflite files with the runtime alone (no converter, no CLI), for builds
 * that have no `tflc` (the AArch64 cross build), and compares two such runs.
 *
 *   run_models DUMP MODEL.tflite [SEED]   seeded random inputs (floats in [-1, 1), integers
 *                                         over their range), one invoke; DUMP gets every
 *                                         output: int32 dtype, uint64 bytes, the bytes
 *   run_models --compare A B [MODEL]      integer outputs must be equal bit for bit; float32
 *                                         within |a - b| <= 1e-4 * max(1, |a|) (different
 *                                         microkernels sum in a different order)
 * TFLC_ISA in the environment picks the microkernels (default: the best this CPU has). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tflc/runtime.h"

static void *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    void *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n > 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) &&
            fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = n > 0 ? (size_t)n : 0;
    }
    fclose(f);
    return buf;
}

static uint64_t next(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static void fill(struct tflc_tensor *t, uint64_t *s) {
    size_t n = tflc_tensor_elements(t);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next(s);
        switch (t->dtype) {
        case TFLC_DTYPE_FLOAT32:
            ((float *)t->data)[i] = (float)((r >> 40) * (1.0 / 16777216.0)) * 2.0f - 1.0f;
            break;
        case TFLC_DTYPE_INT8:
            ((int8_t *)t->data)[i] = (int8_t)(r >> 56);
            break;
        case TFLC_DTYPE_UINT8:
            ((uint8_t *)t->data)[i] = (uint8_t)(r >> 56);
            break;
        case TFLC_DTYPE_INT16:
            ((int16_t *)t->data)[i] = (int16_t)(r >> 48);
            break;
        case TFLC_DTYPE_INT32:
            ((int32_t *)t->data)[i] = (int32_t)(r >> 63);
            break;
        default:
            memset(t->data, 0, t->bytes);
            return;
        }
    }
}

static int run(const char *dump, const char *path, uint64_t seed) {
    size_t len = 0, need = 0;
    void *model = read_file(path, &len), *arena = NULL;
    struct tflc_interp_options opt = tflc_interp_options_default();
    const char *isa = getenv("TFLC_ISA");
    if (isa && *isa && !tflc_isa_parse(isa, &opt.isa)) {
        fprintf(stderr, "run_models: unknown TFLC_ISA '%s'\n", isa);
        return 2;
    }
    struct tflc_diag d = {0};
    struct tflc_interp *it = NULL;
    int rc = 1;
    FILE *f = NULL;
    if (!model) {
        fprintf(stderr, "%s: cannot read\n", path);
        goto out;
    }
    if (tflc_interp_arena_size_hosted(model, len, &opt, &need, &d) || posix_memalign(&arena, TFLC_ARENA_ALIGN, need) ||
        tflc_interp_init(&it, model, len, arena, need, &opt, &d)) {
        fprintf(stderr, "%s: %s\n", path, d.msg);
        goto out;
    }
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    for (int i = 0; i < tflc_interp_input_count(it); i++) fill(tflc_interp_input(it, i), &s);
    if (tflc_interp_invoke(it, &d)) {
        fprintf(stderr, "%s: %s\n", path, d.msg);
        goto out;
    }
    if (!(f = fopen(dump, "wb"))) {
        fprintf(stderr, "%s: cannot write\n", dump);
        goto out;
    }
    for (int o = 0; o < tflc_interp_output_count(it); o++) {
        const struct tflc_tensor *t = tflc_interp_output(it, o);
        int32_t dt = (int32_t)t->dtype;
        uint64_t n = t->bytes;
        if (fwrite(&dt, sizeof dt, 1, f) != 1 || fwrite(&n, sizeof n, 1, f) != 1 ||
            fwrite(t->data, 1, t->bytes, f) != t->bytes)
            goto out;
    }
    printf("%s: %d output(s), isa %s\n", path, tflc_interp_output_count(it), tflc_isa_name(tflc_interp_isa(it)));
    rc = 0;
out:
    if (f && fclose(f)) rc = 1;
    tflc_interp_free(it);
    free(arena);
    free(model);
    return rc;
}

static int compare(const char *pa, const char *pb, const char *label) {
    size_t la = 0, lb = 0;
    uint8_t *a = read_file(pa, &la), *b = read_file(pb, &lb);
    int rc = 1;
    if (!a || !b || la != lb) {
        fprintf(stderr, "%s: dumps missing or of different sizes (%zu, %zu bytes)\n", label, la, lb);
        goto out;
    }
    size_t at = 0;
    int o = 0;
    rc = 0;
    while (at + 12 <= la) {
        int32_t dt;
        uint64_t n;
        memcpy(&dt, a + at, 4);
        memcpy(&n, a + at + 4, 8);
        if (memcmp(a + at, b + at, 12) || n > la - at - 12) {
            fprintf(stderr, "%s: output %d: dtype or size differs\n", label, o);
            rc = 1;
            break;
        }
        const uint8_t *x = a + at + 12, *y = b + at + 12;
        if (dt == TFLC_DTYPE_FLOAT32) {
            double worst = 0;
            size_t bad = 0;
            for (size_t i = 0; i < n / 4; i++) {
                float u, v;
                memcpy(&u, x + 4 * i, 4);
                memcpy(&v, y + 4 * i, 4);
                double diff = u > v ? (double)u - v : (double)v - u,
                       tol = 1e-4 * (u > 1 || u < -1 ? (u < 0 ? -u : u) : 1);
                if (!(diff <= tol)) bad++;
                if (diff > worst) worst = diff;
            }
            printf("%s: output %d float32: max |diff| %.3g%s\n", label, o, worst, bad ? " FAIL" : "");
            if (bad) rc = 1;
        } else {
            size_t bad = 0;
            for (size_t i = 0; i < n; i++) bad += x[i] != y[i];
            printf("%s: output %d %s: %s\n", label, o, tflc_dtype_name((enum tflc_dtype)dt),
                   bad ? "DIFFERS" : "bit-exact");
            if (bad) rc = 1;
        }
        at += 12 + n;
        o++;
    }
out:
    free(a);
    free(b);
    return rc;
}

int main(int argc, char **argv) {
    if (argc >= 4 && !strcmp(argv[1], "--compare")) return compare(argv[2], argv[3], argc > 4 ? argv[4] : argv[2]);
    if (argc == 3 || argc == 4) return run(argv[1], argv[2], argc == 4 ? strtoull(argv[3], NULL, 10) : 1);
    fprintf(stderr, "usage: run_models DUMP MODEL.tflite [SEED] | run_models --compare A B [LABEL]\n");
    return 2;
}
