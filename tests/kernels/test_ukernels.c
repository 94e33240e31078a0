/* Microkernels against the reference (kernels/ukernel.h), for every ISA this build has and
 * this CPU runs (the others are skipped, and the test says so):
 *  - gemm_f32, igemm_f32 and dwconv_f32 on edge shapes (1, tile - 1, tile, tile + 1,
 *    2 tile + 1 and a prime > 4 tile in each tiled dimension; K = 1; rows < MR; 1..9 igemm
 *    segments; channels 1..33 plus the block edges; 1, 4, 9, 25 and odd tap counts; padding
 *    taps) and seeded random shapes, with
 *    random clamps. Reference: the same sums in double. Tolerance (float, per element):
 *    |got - ref| <= 2 (terms + 1) FLT_EPSILON (|bias| + sum |products|) + 1e-30, the bound
 *    of a float sum evaluated in any order with or without FMA. Output buffers have guard
 *    values around every written region; inputs are heap blocks of the exact size (overreads
 *    show under ASan).
 *  - vadd_f32: bit-exact against the scalar sum and clamp (NaN, inf), lengths 1..200 and
 *    random, output aliasing either input.
 *  - op level: single-op CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED / ADD float models (strides
 *    1-2, dilation, SAME/VALID padding, activations, no bias, batch 2) run with TFLC_ISA_REF
 *    and with each ISA, single-threaded and with a scheduler that runs tasks in reverse order
 *    (3 "threads", exercising the task split); and the float models in ../shared, ref vs best
 *    ISA. Op-level tolerance: max|d| <= 1e-5 (1 + max|ref|), as the golden tests use. */
#include <float.h>
#include <stdbool.h>

#include "format/tflite_build.h"
#include "format/tflite_schema.h"
#include "kernels/ref/f32_fast.h"
#include "kernels/ukernel.h"
#include "test.h"
#include "tflc/runtime.h"

static const enum tflc_isa isas[] = {TFLC_ISA_AVX2, TFLC_ISA_AVX512, TFLC_ISA_AVX512VNNI, TFLC_ISA_NEON,
                                     TFLC_ISA_NEON_DOT};
#define NISAS (int)(sizeof isas / sizeof isas[0])

static const struct tflc_ukernels *table_of(enum tflc_isa isa) {
    if (!tflc_isa_supported(isa)) {
        printf("  skip %s: %s\n", tflc_isa_name(isa),
               tflc_ukernels_built(isa) ? "not supported by this CPU" : "not compiled in");
        return NULL;
    }
    return tflc_ukernels_get(isa);
}

static float rnd(void) { return tflc_test_rand_f32(-1.0f, 1.0f); }

static const float GUARD = 12345.0f;

/* A random clamp: none, RELU6-like, or a narrow random range. */
static struct tflc_uk_f32_minmax rnd_minmax(void) {
    struct tflc_uk_f32_minmax mm = {-INFINITY, INFINITY};
    int r = tflc_test_rand_range(0, 3);
    if (r == 1) mm.min = 0.0f, mm.max = 6.0f;
    if (r == 2) mm.min = -0.5f, mm.max = 0.25f;
    if (r == 3) mm.min = -FLT_MAX, mm.max = FLT_MAX;
    return mm;
}

static bool close_to(float got, double ref, double mag, size_t terms) {
    double tol = 2.0 * (double)(terms + 1) * FLT_EPSILON * mag + 1e-30;
    return fabs((double)got - ref) <= tol;
}

static double clampd(double v, const struct tflc_uk_f32_minmax *mm) {
    return v < mm->min ? mm->min : v > mm->max ? mm->max : v;
}

/* ---- gemm_f32 ---- */

/* One call of uk->gemm_f32 on mr x kc by kc x nc; returns false (and reports) on a mismatch. */
static bool check_gemm(const struct tflc_ukernels *uk, size_t mr, size_t nc, size_t kc, bool no_bias) {
    const size_t nr = uk->gemm_f32_nr, a_stride = kc + (size_t)tflc_test_rand_range(0, 3);
    const size_t c_stride = nc + (size_t)tflc_test_rand_range(0, 5);
    float *a = malloc(sizeof(float) * ((mr - 1) * a_stride + kc));
    float *w = malloc(sizeof(float) * nc * kc), *bias = malloc(sizeof(float) * nc);
    float *packed = malloc(sizeof(float) * tflc_f32_pack_gemm_size(nr, kc, nc));
    const size_t csize = mr * c_stride + 16;
    float *c = malloc(sizeof(float) * csize);
    for (size_t i = 0; i < (mr - 1) * a_stride + kc; i++) a[i] = rnd();
    for (size_t i = 0; i < nc * kc; i++) w[i] = rnd();
    for (size_t i = 0; i < nc; i++) bias[i] = rnd();
    for (size_t i = 0; i < csize; i++) c[i] = GUARD;
    tflc_f32_pack_gemm(nr, kc, nc, w, no_bias ? NULL : bias, packed);
    const struct tflc_uk_f32_minmax mm = rnd_minmax();
    uk->gemm_f32(mr, nc, kc, a, a_stride, packed, c, c_stride, &mm);
    bool ok = true;
    for (size_t m = 0; m < mr && ok; m++)
        for (size_t n = 0; n < c_stride && ok; n++) {
            const float got = c[m * c_stride + n];
            if (n >= nc) {
                ok = got == GUARD;
                if (!ok)
                    TFLC_FAIL_("gemm_f32 %s mr %zu nc %zu kc %zu: wrote c[%zu][%zu] past nc", tflc_isa_name(uk->isa),
                               mr, nc, kc, m, n);
                continue;
            }
            double acc = no_bias ? 0.0 : bias[n], mag = fabs(acc);
            for (size_t k = 0; k < kc; k++) {
                double p = (double)a[m * a_stride + k] * (double)w[n * kc + k];
                acc += p;
                mag += fabs(p);
            }
            const double ref = clampd(acc, &mm);
            ok = close_to(got, ref, mag, kc);
            if (!ok)
                TFLC_FAIL_("gemm_f32 %s mr %zu nc %zu kc %zu: c[%zu][%zu] = %.9g, expected %.9g",
                           tflc_isa_name(uk->isa), mr, nc, kc, m, n, (double)got, ref);
        }
    for (size_t i = mr * c_stride; i < csize && ok; i++)
        if (c[i] != GUARD) {
            ok = false;
            TFLC_FAIL_("gemm_f32 %s mr %zu nc %zu kc %zu: wrote past the last row", tflc_isa_name(uk->isa), mr, nc, kc);
        }
    free(a), free(w), free(bias), free(packed), free(c);
    return ok;
}

TFLC_TEST(gemm_f32_edges_and_random) {
    for (int t = 0; t < NISAS; t++) {
        const struct tflc_ukernels *uk = table_of(isas[t]);
        if (!uk || !uk->gemm_f32) continue;
        const size_t mr = uk->gemm_f32_mr, nr = uk->gemm_f32_nr;
        TFLC_REQUIRE(mr >= 1 && mr <= 16 && nr >= 8 && nr <= 64 && nr % 8 == 0);
        const size_t ns[] = {1, nr - 1, nr, nr + 1, 2 * nr + 1, 4 * nr + 3, nr / 2, nr / 2 + 1,
                             3 * nr / 4, 3 * nr / 4 + 1, nr + 3 * nr / 4}; /* 3/4: the 24-column block */
        const size_t ks[] = {1, 2, 3, 8, 17, 64};
        bool ok = true;
        for (size_t m = 1; m <= mr && ok; m++)
            for (size_t i = 0; i < sizeof ns / sizeof ns[0] && ok; i++)
                for (size_t j = 0; j < sizeof ks / sizeof ks[0] && ok; j++)
                    ok = check_gemm(uk, m, ns[i], ks[j], j == 2);
        for (int r = 0; r < 300 && ok; r++)
            ok = check_gemm(uk, (size_t)tflc_test_rand_range(1, (int)mr), (size_t)tflc_test_rand_range(1, 200),
                            (size_t)tflc_test_rand_range(1, 300), tflc_test_rand_range(0, 4) == 0);
        printf("  %s gemm_f32 %zux%zu: %s\n", tflc_isa_name(uk->isa), mr, nr, ok ? "ok" : "FAIL");
    }
}

/* ---- igemm_f32 ---- */

/* One call of uk->igemm_f32: mr rows of ks segments (each its own heap block of exactly kseg
 * floats, some shared between rows) by (ks * kseg) x nc. */
static bool check_igemm(const struct tflc_ukernels *uk, size_t mr, size_t nc, size_t ks, size_t kseg) {
    const size_t nr = uk->gemm_f32_nr, kc = ks * kseg, c_stride = nc + (size_t)tflc_test_rand_range(0, 5);
    const size_t nseg = mr * ks;
    float **blocks = malloc(sizeof(float *) * nseg);
    const float **a = malloc(sizeof(float *) * nseg);
    float *w = malloc(sizeof(float) * nc * kc), *bias = malloc(sizeof(float) * nc);
    float *packed = malloc(sizeof(float) * tflc_f32_pack_gemm_size(nr, kc, nc));
    const size_t csize = mr * c_stride + 16;
    float *c = malloc(sizeof(float) * csize);
    for (size_t i = 0; i < nseg; i++) {
        blocks[i] = malloc(sizeof(float) * kseg);
        for (size_t k = 0; k < kseg; k++) blocks[i][k] = rnd();
        a[i] = i >= ks && tflc_test_rand_range(0, 3) == 0 ? a[i - ks] : blocks[i]; /* rows may share segments */
    }
    for (size_t i = 0; i < nc * kc; i++) w[i] = rnd();
    for (size_t i = 0; i < nc; i++) bias[i] = rnd();
    for (size_t i = 0; i < csize; i++) c[i] = GUARD;
    tflc_f32_pack_gemm(nr, kc, nc, w, bias, packed);
    const struct tflc_uk_f32_minmax mm = rnd_minmax();
    uk->igemm_f32(mr, nc, ks, kseg, a, packed, c, c_stride, &mm);
    bool ok = true;
    for (size_t m = 0; m < mr && ok; m++)
        for (size_t n = 0; n < c_stride && ok; n++) {
            const float got = c[m * c_stride + n];
            if (n >= nc) {
                ok = got == GUARD;
                if (!ok) TFLC_FAIL_("igemm_f32 %s: wrote c[%zu][%zu] past nc %zu", tflc_isa_name(uk->isa), m, n, nc);
                continue;
            }
            double acc = bias[n], mag = fabs(acc);
            for (size_t sg = 0; sg < ks; sg++)
                for (size_t k = 0; k < kseg; k++) {
                    double pr = (double)a[m * ks + sg][k] * (double)w[n * kc + sg * kseg + k];
                    acc += pr;
                    mag += fabs(pr);
                }
            const double ref = clampd(acc, &mm);
            ok = close_to(got, ref, mag, kc);
            if (!ok)
                TFLC_FAIL_("igemm_f32 %s mr %zu nc %zu ks %zu kseg %zu: c[%zu][%zu] = %.9g, expected %.9g",
                           tflc_isa_name(uk->isa), mr, nc, ks, kseg, m, n, (double)got, ref);
        }
    for (size_t i = mr * c_stride; i < csize && ok; i++)
        if (c[i] != GUARD) {
            ok = false;
            TFLC_FAIL_("igemm_f32 %s: wrote past the last row", tflc_isa_name(uk->isa));
        }
    for (size_t i = 0; i < nseg; i++) free(blocks[i]);
    free(blocks), free(a), free(w), free(bias), free(packed), free(c);
    return ok;
}

TFLC_TEST(igemm_f32_edges_and_random) {
    for (int t = 0; t < NISAS; t++) {
        const struct tflc_ukernels *uk = table_of(isas[t]);
        if (!uk || !uk->igemm_f32) continue;
        TFLC_REQUIRE(uk->gemm_f32); /* same tile and packing */
        const size_t mr = uk->gemm_f32_mr, nr = uk->gemm_f32_nr;
        const size_t ns[] = {1, nr - 1, nr, nr + 1, 2 * nr + 1, 4 * nr + 3, nr / 2};
        const size_t segs[][2] = {{1, 1}, {3, 9}, {9, 3}, {3, 1}, {2, 17}, {5, 64}};
        bool ok = true;
        for (size_t m = 1; m <= mr && ok; m++)
            for (size_t i = 0; i < sizeof ns / sizeof ns[0] && ok; i++)
                for (size_t j = 0; j < sizeof segs / sizeof segs[0] && ok; j++)
                    ok = check_igemm(uk, m, ns[i], segs[j][0], segs[j][1]);
        for (int r = 0; r < 200 && ok; r++)
            ok = check_igemm(uk, (size_t)tflc_test_rand_range(1, (int)mr), (size_t)tflc_test_rand_range(1, 200),
                             (size_t)tflc_test_rand_range(1, 9), (size_t)tflc_test_rand_range(1, 80));
        printf("  %s igemm_f32 %zux%zu: %s\n", tflc_isa_name(uk->isa), mr, nr, ok ? "ok" : "FAIL");
    }
}

/* ---- dwconv_f32 ---- */

static bool check_dwconv(const struct tflc_ukernels *uk, size_t ch, size_t pixels, size_t taps) {
    const size_t cb = uk->dwconv_f32_cb, y_stride = ch + (size_t)tflc_test_rand_range(0, 5);
    const size_t nrows = pixels * taps;
    float **rows = malloc(sizeof(float *) * nrows);
    const float **in = malloc(sizeof(float *) * nrows);
    float *zero = calloc(ch, sizeof(float));
    float *w = malloc(sizeof(float) * taps * ch), *bias = malloc(sizeof(float) * ch);
    float *packed = malloc(sizeof(float) * tflc_f32_pack_dwconv_size(cb, taps, ch));
    const size_t ysize = pixels * y_stride + 16;
    float *y = malloc(sizeof(float) * ysize);
    for (size_t i = 0; i < nrows; i++) {
        rows[i] = malloc(sizeof(float) * ch); /* exactly ch floats: overreads show under ASan */
        for (size_t c = 0; c < ch; c++) rows[i][c] = rnd();
        in[i] = tflc_test_rand_range(0, 5) == 0 ? zero : rows[i];
    }
    for (size_t i = 0; i < taps * ch; i++) w[i] = rnd();
    for (size_t i = 0; i < ch; i++) bias[i] = rnd();
    for (size_t i = 0; i < ysize; i++) y[i] = GUARD;
    tflc_f32_pack_dwconv(cb, taps, ch, w, bias, packed);
    const struct tflc_uk_f32_minmax mm = rnd_minmax();
    uk->dwconv_f32(ch, pixels, taps, in, packed, y, y_stride, &mm);
    bool ok = true;
    for (size_t p = 0; p < pixels && ok; p++)
        for (size_t c = 0; c < y_stride && ok; c++) {
            const float got = y[p * y_stride + c];
            if (c >= ch) {
                ok = got == GUARD;
                if (!ok)
                    TFLC_FAIL_("dwconv_f32 %s ch %zu px %zu taps %zu: wrote past channels", tflc_isa_name(uk->isa), ch,
                               pixels, taps);
                continue;
            }
            double acc = bias[c], mag = fabs(acc);
            for (size_t t = 0; t < taps; t++) {
                double pr = (double)in[p * taps + t][c] * (double)w[t * ch + c];
                acc += pr;
                mag += fabs(pr);
            }
            const double ref = clampd(acc, &mm);
            ok = close_to(got, ref, mag, taps);
            if (!ok)
                TFLC_FAIL_("dwconv_f32 %s ch %zu px %zu taps %zu: y[%zu][%zu] = %.9g, expected %.9g",
                           tflc_isa_name(uk->isa), ch, pixels, taps, p, c, (double)got, ref);
        }
    for (size_t i = pixels * y_stride; i < ysize && ok; i++)
        if (y[i] != GUARD) {
            ok = false;
            TFLC_FAIL_("dwconv_f32 %s: wrote past the last pixel", tflc_isa_name(uk->isa));
        }
    for (size_t i = 0; i < nrows; i++) free(rows[i]);
    free(rows), free(in), free(zero), free(w), free(bias), free(packed), free(y);
    return ok;
}

TFLC_TEST(dwconv_f32_edges_and_random) {
    for (int t = 0; t < NISAS; t++) {
        const struct tflc_ukernels *uk = table_of(isas[t]);
        if (!uk || !uk->dwconv_f32) continue;
        const size_t cb = uk->dwconv_f32_cb;
        TFLC_REQUIRE(cb >= 8 && cb <= 64 && cb % 8 == 0);
        const size_t taps[] = {1, 4, 9, 25, 7, 2};
        bool ok = true;
        for (size_t ch = 1; ch <= 33 && ok; ch++)
            for (size_t i = 0; i < sizeof taps / sizeof taps[0] && ok; i++)
                ok = check_dwconv(uk, ch, 1 + ch % 3, taps[i]);
        const size_t chs[] = {cb - 1, cb, cb + 1, 2 * cb + 1, 4 * cb + 5, 8 * cb};
        for (size_t j = 0; j < sizeof chs / sizeof chs[0] && ok; j++)
            for (size_t i = 0; i < sizeof taps / sizeof taps[0] && ok; i++) ok = check_dwconv(uk, chs[j], 3, taps[i]);
        for (int r = 0; r < 200 && ok; r++)
            ok = check_dwconv(uk, (size_t)tflc_test_rand_range(1, 300), (size_t)tflc_test_rand_range(1, 9),
                              (size_t)tflc_test_rand_range(1, 30));
        printf("  %s dwconv_f32 %zu: %s\n", tflc_isa_name(uk->isa), cb, ok ? "ok" : "FAIL");
    }
}

/* ---- vadd_f32 (bit-exact) ---- */

static bool check_vadd(const struct tflc_ukernels *uk, size_t n, int alias) {
    float *a = malloc(sizeof(float) * n), *b = malloc(sizeof(float) * n), *y = malloc(sizeof(float) * (n + 16));
    float *want = malloc(sizeof(float) * n);
    for (size_t i = 0; i < n; i++) a[i] = rnd() * 8.0f, b[i] = rnd() * 8.0f;
    if (n > 2) a[1] = NAN, b[2] = INFINITY; /* NaN passes the clamp, inf is clamped */
    for (size_t i = 0; i < n + 16; i++) y[i] = GUARD;
    const struct tflc_uk_f32_minmax mm = rnd_minmax();
    for (size_t i = 0; i < n; i++) {
        float v = a[i] + b[i];
        want[i] = v < mm.min ? mm.min : v > mm.max ? mm.max : v;
    }
    float *out = alias == 1 ? a : alias == 2 ? b : y;
    uk->vadd_f32(n, a, b, out, &mm);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        ok = memcmp(&out[i], &want[i], sizeof(float)) == 0;
        if (!ok)
            TFLC_FAIL_("vadd_f32 %s n %zu alias %d: y[%zu] = %.9g, expected %.9g", tflc_isa_name(uk->isa), n, alias, i,
                       (double)out[i], (double)want[i]);
    }
    for (size_t i = alias ? 0 : n; i < n + 16 && ok; i++)
        if (y[i] != GUARD) {
            ok = false;
            TFLC_FAIL_("vadd_f32 %s n %zu: wrote past the end", tflc_isa_name(uk->isa), n);
        }
    free(a), free(b), free(y), free(want);
    return ok;
}

TFLC_TEST(vadd_f32_lengths_and_aliasing) {
    for (int t = 0; t < NISAS; t++) {
        const struct tflc_ukernels *uk = table_of(isas[t]);
        if (!uk || !uk->vadd_f32) continue;
        bool ok = true;
        for (size_t n = 1; n <= 200 && ok; n++) ok = check_vadd(uk, n, (int)(n % 3));
        for (int r = 0; r < 50 && ok; r++) ok = check_vadd(uk, (size_t)tflc_test_rand_range(1, 5000), r % 3);
        printf("  %s vadd_f32: %s\n", tflc_isa_name(uk->isa), ok ? "ok" : "FAIL");
    }
}

/* ---- op level: ref tables vs each ISA ---- */

/* Runs tasks in reverse order, as a multi-threaded pool may; results must not change. */
static void reverse_for(void *pool, int n, void (*task)(void *ud, int i), void *ud) {
    (void)pool;
    for (int i = n - 1; i >= 0; i--) task(ud, i);
}

/* Runs a model with one input on `isa` (threads > 1: the reverse scheduler); output 0 copied
 * to a malloc'd buffer (*n floats), NULL on error. */
static float *run_model(const uint8_t *data, size_t size, const float *x, size_t nx, enum tflc_isa isa, int threads,
                        size_t *n) {
    struct tflc_interp_options o = tflc_interp_options_default();
    o.isa = isa;
    o.num_threads = threads;
    o.parallel_for = threads > 1 ? reverse_for : NULL;
    struct tflc_diag diag;
    memset(&diag, 0, sizeof diag);
    size_t need = 0;
    void *arena = NULL;
    struct tflc_interp *it = NULL;
    float *out = NULL;
    enum tflc_status st = tflc_interp_arena_size_hosted(data, size, &o, &need, &diag);
    if (!st && posix_memalign(&arena, 64, need ? need : 64) != 0) st = TFLC_STATUS_OUT_OF_MEMORY;
    if (!st) st = tflc_interp_init(&it, data, size, arena, need, &o, &diag);
    if (!st) {
        struct tflc_tensor *t = tflc_interp_input(it, 0);
        if (t->dtype == TFLC_DTYPE_FLOAT32 && t->bytes <= nx * sizeof(float))
            memcpy(t->data, x, t->bytes);
        else
            st = TFLC_STATUS_UNSUPPORTED;
        st = tflc_interp_invoke(it, &diag);
    }
    if (!st) {
        const struct tflc_tensor *y = tflc_interp_output(it, 0);
        if (y->dtype == TFLC_DTYPE_FLOAT32) {
            *n = y->bytes / sizeof(float);
            out = malloc(y->bytes + 1);
            memcpy(out, y->data, y->bytes);
        } else {
            st = TFLC_STATUS_UNSUPPORTED;
        }
    }
    if (st) fprintf(stderr, "run on %s: %s\n", tflc_isa_name(isa), diag.msg);
    tflc_interp_free(it);
    free(arena);
    return out;
}

/* Compares the model's output on every supported ISA (1 and 3 threads) with TFLC_ISA_REF. */
static void compare_isas(const char *what, const uint8_t *data, size_t size, const float *x, size_t nx) {
    size_t nref = 0;
    float *ref = run_model(data, size, x, nx, TFLC_ISA_REF, 1, &nref);
    TFLC_REQUIRE(ref);
    double mref = 0.0;
    for (size_t i = 0; i < nref; i++) mref = fmax(mref, fabs((double)ref[i]));
    for (int t = 0; t < NISAS; t++) {
        if (!tflc_isa_supported(isas[t])) continue;
        for (int threads = 1; threads <= 3; threads += 2) {
            size_t n = 0;
            float *got = run_model(data, size, x, nx, isas[t], threads, &n);
            TFLC_EXPECT_MSG(got && n == nref, "%s: %s run failed", what, tflc_isa_name(isas[t]));
            if (!got || n != nref) {
                free(got);
                continue;
            }
            double md = 0.0;
            for (size_t i = 0; i < n; i++) {
                double d = fabs((double)got[i] - (double)ref[i]);
                if (!(d <= md)) md = d; /* NaN counts as a difference */
            }
            TFLC_EXPECT_MSG(md <= 1e-5 * (1.0 + mref), "%s: %s (%d threads) maxdiff %g vs ref (max|ref| %g)", what,
                            tflc_isa_name(isas[t]), threads, md, mref);
            free(got);
        }
    }
    free(ref);
}

struct op_model {
    struct tflc_tflb *b;
    int32_t in[3], nin, x, y;
};

static void add_const_f32(struct op_model *m, const char *name, int rank, const int32_t *dims) {
    size_t n = 1;
    for (int k = 0; k < rank; k++) n *= (size_t)dims[k];
    float *v = malloc(sizeof(float) * n);
    for (size_t i = 0; i < n; i++) v[i] = rnd();
    int buf = tflc_tflb_buffer(m->b, v, n * sizeof(float));
    m->in[m->nin++] = tflc_tflb_tensor(m->b, name, TFLC_DTYPE_FLOAT32, rank, dims, buf, NULL);
    free(v);
}

/* Finishes a single-op model and compares the ISAs on a random input of nx floats. */
static void finish_and_compare(struct op_model *m, const char *what, int32_t builtin, uint8_t opt_type, uint32_t opt,
                               size_t nx) {
    tflc_tflb_op(m->b, builtin, 1, NULL, m->in, m->nin, &m->y, 1, opt_type, opt);
    tflc_tflb_graph_io(m->b, &m->x, 1, &m->y, 1);
    const uint8_t *data;
    size_t size;
    struct tflc_diag diag;
    memset(&diag, 0, sizeof diag);
    enum tflc_status st = tflc_tflb_finish(m->b, "test_ukernels", &data, &size, &diag);
    TFLC_EXPECT_MSG(!st, "%s: build failed: %s", what, diag.msg);
    if (!st) {
        float *x = malloc(sizeof(float) * nx);
        for (size_t i = 0; i < nx; i++) x[i] = rnd();
        compare_isas(what, data, size, x, nx);
        free(x);
    }
    tflc_tflb_destroy(m->b);
}

static void conv_case(int n, int h, int w, int cin, int cout, int kh, int kw, int s, int d, int pad, int act, bool bias,
                      bool depthwise) {
    struct op_model m;
    memset(&m, 0, sizeof m);
    m.b = tflc_tflb_create();
    const int32_t xd[4] = {n, h, w, cin};
    m.x = m.in[m.nin++] = tflc_tflb_tensor(m.b, "x", TFLC_DTYPE_FLOAT32, 4, xd, 0, NULL);
    const int32_t wd[4] = {depthwise ? 1 : cout, kh, kw, depthwise ? cout : cin}, bd[1] = {cout};
    add_const_f32(&m, "w", 4, wd);
    if (bias)
        add_const_f32(&m, "b", 1, bd);
    else
        m.in[m.nin++] = -1;
    const int32_t yd[4] = {1, 1, 1, 1};
    m.y = tflc_tflb_tensor(m.b, "y", TFLC_DTYPE_FLOAT32, 4, yd, 0, NULL);
    struct tflc_fbb *f = tflc_tflb_fbb(m.b);
    tflc_fbb_table_start(f);
    uint32_t opt;
    char what[160];
    snprintf(what, sizeof what, "%s n%d %dx%dx%d -> %d k%dx%d s%d d%d %s act%d%s", depthwise ? "dwconv" : "conv", n, h,
             w, cin, cout, kh, kw, s, d, pad == TFLC_TFL_PADDING_SAME ? "same" : "valid", act, bias ? "" : " nobias");
    if (depthwise) {
        tflc_fbb_add_i8(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_PADDING, (int8_t)pad, -1);
        tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_W, s, -1);
        tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_STRIDE_H, s, -1);
        tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_DEPTH_MULTIPLIER, cout / cin, -1);
        tflc_fbb_add_i8(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, -1);
        tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_DILATION_W_FACTOR, d, -1);
        tflc_fbb_add_i32(f, TFLC_TFL_DEPTHWISE_CONV2D_OPTIONS_DILATION_H_FACTOR, d, -1);
        opt = tflc_fbb_table_end(f);
        finish_and_compare(&m, what, TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D,
                           TFLC_TFL_BUILTIN_OPTIONS_DEPTHWISE_CONV2D_OPTIONS, opt, (size_t)(n * h * w * cin));
    } else {
        tflc_fbb_add_i8(f, TFLC_TFL_CONV2D_OPTIONS_PADDING, (int8_t)pad, -1);
        tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_W, s, -1);
        tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_STRIDE_H, s, -1);
        tflc_fbb_add_i8(f, TFLC_TFL_CONV2D_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, -1);
        tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_DILATION_W_FACTOR, d, -1);
        tflc_fbb_add_i32(f, TFLC_TFL_CONV2D_OPTIONS_DILATION_H_FACTOR, d, -1);
        opt = tflc_fbb_table_end(f);
        finish_and_compare(&m, what, TFLC_TFL_BUILTIN_OPERATOR_CONV_2D, TFLC_TFL_BUILTIN_OPTIONS_CONV2D_OPTIONS, opt,
                           (size_t)(n * h * w * cin));
    }
}

#define SAME  TFLC_TFL_PADDING_SAME
#define VALID TFLC_TFL_PADDING_VALID

TFLC_TEST(op_conv_f32_ref_vs_isa) {
    /* n, h, w, cin, cout, kh, kw, stride, dilation, padding, activation, bias */
    conv_case(1, 8, 8, 16, 24, 1, 1, 1, 1, SAME, 0, true, false);  /* 1x1 direct */
    conv_case(2, 7, 5, 3, 33, 1, 1, 1, 1, VALID, 3, true, false);  /* batch 2, N past a block */
    conv_case(1, 9, 9, 3, 32, 3, 3, 2, 1, SAME, 3, true, false);   /* MobileNet stem, padding */
    conv_case(1, 10, 7, 5, 17, 3, 3, 1, 1, SAME, 1, false, false); /* no bias, RELU */
    conv_case(1, 11, 11, 4, 9, 3, 3, 1, 2, SAME, 0, true, false);  /* dilation */
    conv_case(1, 6, 9, 7, 40, 5, 3, 2, 1, VALID, 2, true, false);  /* 5x3 window, RELU_N1_TO_1 */
    conv_case(1, 5, 5, 8, 8, 1, 1, 2, 1, VALID, 0, true, false);   /* 1x1 stride 2: gather */
    conv_case(1, 2, 3, 2, 1, 4, 4, 1, 1, SAME, 0, true, false);    /* window larger than the input */
    conv_case(3, 5, 3, 4, 10, 3, 3, 1, 1, SAME, 0, true, false);   /* gather tiles across images */
    conv_case(2, 9, 8, 3, 16, 3, 3, 2, 1, VALID, 3, true, false);  /* gather, stride 2, batch 2 */
    for (int r = 0; r < 12; r++) {
        int k = tflc_test_rand_range(1, 5);
        conv_case(tflc_test_rand_range(1, 2), tflc_test_rand_range(2 * k, 14), tflc_test_rand_range(2 * k, 14),
                  tflc_test_rand_range(1, 20), tflc_test_rand_range(1, 70), k, tflc_test_rand_range(1, k),
                  tflc_test_rand_range(1, 2), tflc_test_rand_range(1, 2), tflc_test_rand_range(0, 1) ? SAME : VALID,
                  tflc_test_rand_range(0, 3), tflc_test_rand_range(0, 3) != 0, false);
    }
}

TFLC_TEST(op_dwconv_f32_ref_vs_isa) {
    conv_case(1, 8, 8, 32, 32, 3, 3, 1, 1, SAME, 3, true, true);
    conv_case(1, 9, 9, 17, 17, 3, 3, 2, 1, SAME, 3, true, true);   /* odd channels, stride 2 */
    conv_case(2, 6, 7, 5, 5, 3, 3, 2, 1, VALID, 0, false, true);   /* batch 2, no bias */
    conv_case(1, 10, 10, 40, 40, 5, 5, 1, 1, SAME, 1, true, true); /* 5x5 */
    conv_case(1, 9, 9, 33, 33, 3, 3, 1, 2, SAME, 2, true, true);   /* dilation */
    conv_case(1, 4, 5, 3, 6, 3, 3, 1, 1, SAME, 0, true, true);     /* multiplier 2: reference path */
    conv_case(1, 2, 2, 9, 9, 3, 3, 1, 1, SAME, 0, true, true);     /* window larger than the input */
    conv_case(1, 260, 258, 3, 3, 3, 3, 1, 1, SAME, 3, true, true); /* indirection too big to cache: per row */
    for (int r = 0; r < 12; r++) {
        int k = tflc_test_rand_range(1, 5), c = tflc_test_rand_range(1, 70);
        conv_case(tflc_test_rand_range(1, 2), tflc_test_rand_range(2 * k, 14), tflc_test_rand_range(2 * k, 14), c, c, k,
                  tflc_test_rand_range(1, k), tflc_test_rand_range(1, 2), tflc_test_rand_range(1, 2),
                  tflc_test_rand_range(0, 1) ? SAME : VALID, tflc_test_rand_range(0, 3),
                  tflc_test_rand_range(0, 3) != 0, true);
    }
}

static void fc_case(int batches, int depth, int units, int act, bool bias) {
    struct op_model m;
    memset(&m, 0, sizeof m);
    m.b = tflc_tflb_create();
    const int32_t xd[2] = {batches, depth}, wd[2] = {units, depth}, bd[1] = {units}, yd[2] = {batches, units};
    m.x = m.in[m.nin++] = tflc_tflb_tensor(m.b, "x", TFLC_DTYPE_FLOAT32, 2, xd, 0, NULL);
    add_const_f32(&m, "w", 2, wd);
    if (bias)
        add_const_f32(&m, "b", 1, bd);
    else
        m.in[m.nin++] = -1;
    m.y = tflc_tflb_tensor(m.b, "y", TFLC_DTYPE_FLOAT32, 2, yd, 0, NULL);
    struct tflc_fbb *f = tflc_tflb_fbb(m.b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_FULLY_CONNECTED_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, -1);
    uint32_t opt = tflc_fbb_table_end(f);
    char what[96];
    snprintf(what, sizeof what, "fc %dx%d -> %d act%d%s", batches, depth, units, act, bias ? "" : " nobias");
    finish_and_compare(&m, what, TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED,
                       TFLC_TFL_BUILTIN_OPTIONS_FULLY_CONNECTED_OPTIONS, opt, (size_t)(batches * depth));
}

TFLC_TEST(op_fc_f32_ref_vs_isa) {
    fc_case(1, 1, 1, 0, true);
    fc_case(1, 1280, 1000, 0, true);
    fc_case(3, 17, 33, 1, false);
    fc_case(9, 64, 10, 3, true);
    for (int r = 0; r < 10; r++)
        fc_case(tflc_test_rand_range(1, 20), tflc_test_rand_range(1, 300), tflc_test_rand_range(1, 150),
                tflc_test_rand_range(0, 3), tflc_test_rand_range(0, 3) != 0);
}

static void add_case(int rank, const int32_t *ad, const int32_t *bd, int act) {
    struct op_model m;
    memset(&m, 0, sizeof m);
    m.b = tflc_tflb_create();
    m.x = m.in[m.nin++] = tflc_tflb_tensor(m.b, "x", TFLC_DTYPE_FLOAT32, rank, ad, 0, NULL);
    add_const_f32(&m, "c", rank, bd);
    m.y = tflc_tflb_tensor(m.b, "y", TFLC_DTYPE_FLOAT32, rank, ad, 0, NULL);
    struct tflc_fbb *f = tflc_tflb_fbb(m.b);
    tflc_fbb_table_start(f);
    tflc_fbb_add_i8(f, TFLC_TFL_ADD_OPTIONS_FUSED_ACTIVATION_FUNCTION, (int8_t)act, -1);
    uint32_t opt = tflc_fbb_table_end(f);
    size_t n = 1;
    for (int i = 0; i < rank; i++) n *= (size_t)ad[i];
    char what[64];
    snprintf(what, sizeof what, "add rank %d n %zu act %d", rank, n, act);
    finish_and_compare(&m, what, TFLC_TFL_BUILTIN_OPERATOR_ADD, TFLC_TFL_BUILTIN_OPTIONS_ADD_OPTIONS, opt, n);
}

TFLC_TEST(op_add_f32_ref_vs_isa) {
    const int32_t a1[4] = {1, 7, 7, 160}, a2[2] = {3, 37}, a3[1] = {1}, b3[4] = {1, 1, 1, 160};
    add_case(4, a1, a1, 0);
    add_case(2, a2, a2, 3);
    add_case(1, a3, a3, 1);
    add_case(4, a1, b3, 1); /* broadcast: reference loop */
}

/* The float models in ../shared: TFLC_ISA_REF vs every ISA on a seeded random input. */
TFLC_TEST(shared_float_models_ref_vs_isa) {
    const char *shared = tflc_test_shared();
    if (!shared) return;
    static const char *const models[] = {"mlctiny_ad01_fp32", "mlctiny_resnet8_fp32", "tfmicro_hello_world_float",
                                         "tfmicro_mnist_lstm_float", "mediapipe_face_detection_short_range_fp16"};
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/models/tflite/%s.tflite", shared, models[i]);
        size_t len = 0;
        uint8_t *data = tflc_test_read(path, &len);
        TFLC_EXPECT_MSG(data, "cannot read %s", path);
        if (!data) continue;
        const size_t nx = 1 << 20;
        float *x = malloc(sizeof(float) * nx);
        for (size_t j = 0; j < nx; j++) x[j] = rnd();
        compare_isas(models[i], data, len, x, nx);
        free(x);
        free(data);
    }
}

TFLC_TEST_MAIN()
