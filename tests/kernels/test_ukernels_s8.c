/* int8 microkernels (gemm_s8, dwconv_s8, requant_s8) of every ISA table this CPU runs, against
 * scalar references written from the reference kernels' formulas, bit-exact: the GEMM and
 * depthwise int32 accumulators equal wrap32(bias + sum w * (x - zp_x)) (conv2d.c's arithmetic),
 * and the requantization equals tflc_conv_rq_apply (conv_util.h) in all three modes. Edge
 * shapes (K = 1, N and channels not multiples of the tile, M < MR, channels 1..33, K across
 * the staging blocks), zero points -128..127, accumulator extremes, then random shapes. Every
 * row and tap is its own exact-size allocation (reads past it are caught under ASan), and
 * outputs carry guard values after the last element. Unsupported ISAs are skipped and said so. */
#include <math.h>
#include <stdbool.h>

#include "kernels/ref/conv_util.h"
#include "kernels/ukernels_s8.h"
#include "test.h"

static const enum tflc_isa isas[] = {TFLC_ISA_AVX2, TFLC_ISA_AVX512, TFLC_ISA_AVX512VNNI, TFLC_ISA_NEON,
                                     TFLC_ISA_NEON_DOT};

/* The tables to check: supported by this CPU and built. */
static int tables(const struct tflc_ukernels **out) {
    int n = 0;
    for (size_t i = 0; i < sizeof isas / sizeof isas[0]; i++) {
        if (!tflc_isa_supported(isas[i])) {
            if (tflc_ukernels_built(isas[i])) printf("  skip %s: not supported by this CPU\n", tflc_isa_name(isas[i]));
            continue;
        }
        const struct tflc_ukernels *uk = tflc_ukernels_get(isas[i]);
        if (uk) out[n++] = uk;
    }
    return n;
}

static int8_t rand_s8(void) { return (int8_t)tflc_test_rand_range(-128, 127); }

/* Full-range int8 with the extremes over-represented. */
static int8_t rand_s8_edgy(void) {
    int r = tflc_test_rand_range(0, 9);
    return r == 0 ? -128 : r == 1 ? 127 : rand_s8();
}

static int32_t rand_bias(void) {
    switch (tflc_test_rand_range(0, 5)) {
    case 0:
        return INT32_MAX - tflc_test_rand_range(0, 1000);
    case 1:
        return INT32_MIN + tflc_test_rand_range(0, 1000);
    case 2:
        return 0;
    default:
        return (int32_t)(uint32_t)tflc_test_rand();
    }
}

static void *aligned64(size_t n) { return aligned_alloc(64, (n + 63) & ~(size_t)63); }

/* ---- requant_s8 ---- */

static int32_t rand_acc(void) {
    switch (tflc_test_rand_range(0, 7)) {
    case 0:
        return INT32_MIN + tflc_test_rand_range(0, 3);
    case 1:
        return INT32_MAX - tflc_test_rand_range(0, 3);
    case 2:
        return tflc_test_rand_range(-300, 300);
    case 3: { /* near ties of small shifts */
        int s = tflc_test_rand_range(1, 20);
        return (int32_t)((tflc_test_rand_range(-1000, 1000) * 2 + 1) * (1 << (s - 1))) + tflc_test_rand_range(-1, 1);
    }
    default:
        return (int32_t)(uint32_t)tflc_test_rand();
    }
}

/* Random requantization parameters for n channels (arrays of n), output zero point and clamp. */
static void rand_rq(size_t n, int32_t *mult, int32_t *shift, float *scale, int32_t *zp, int32_t *lo, int32_t *hi) {
    *zp = tflc_test_rand_range(0, 3) == 0 ? (tflc_test_rand_range(0, 1) ? -128 : 127) : rand_s8();
    *lo = tflc_test_rand_range(-128, 127), *hi = tflc_test_rand_range(-128, 127);
    if (tflc_test_rand_range(0, 2) == 0) *lo = -128, *hi = 127;
    if (*lo > *hi) {
        int32_t t = *lo;
        *lo = *hi;
        *hi = t;
    }
    /* multipliers of real scales, tiny and huge ones included (shift -31..30), or, as in real
     * models, all below 1 (shift <= 0: the kernels skip the saturating left shift) */
    const int max_exp = tflc_test_rand_range(0, 1) ? 30 : 0;
    for (size_t i = 0; i < n; i++) {
        double m = ldexp(0.5 + 0.5 * (double)tflc_test_rand_f32(0.0f, 1.0f), tflc_test_rand_range(-31, max_exp));
        int s;
        tflc_quantize_multiplier(m, &mult[i], &s);
        shift[i] = s;
        if (tflc_test_rand_range(0, 20) == 0) mult[i] = 0, shift[i] = 0;
        scale[i] = (float)ldexp(1.0 + (double)tflc_test_rand_f32(0.0f, 1.0f), tflc_test_rand_range(-40, 20));
        /* powers of two put small accumulators on exact ties (FP32 rounds them half to even) */
        if (tflc_test_rand_range(0, 3) == 0) scale[i] = (float)ldexp(1.0, -tflc_test_rand_range(1, 6));
    }
}

static void check_requant(const struct tflc_ukernels *uk, int mode, size_t n) {
    int32_t *acc = malloc(n * sizeof *acc), *mult = malloc(n * sizeof *mult), *shift = malloc(n * sizeof *shift);
    float *scale = malloc(n * sizeof *scale);
    int8_t *y = malloc(n + 16);
    int32_t zp, lo, hi;
    rand_rq(n, mult, shift, scale, &zp, &lo, &hi);
    for (size_t i = 0; i < n; i++) acc[i] = rand_acc();
    memset(y, 0x5A, n + 16);
    struct tflc_uk_rq_s8 p = {mode, mult, shift, scale, zp, lo, hi};
    uk->requant_s8(n, acc, y, &p);
    struct tflc_conv_rq q = {mode, mult, shift, scale, zp, lo, hi};
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t want = tflc_conv_rq_apply(&q, (int32_t)i, acc[i]);
        if (y[i] != want && bad++ < 3)
            TFLC_FAIL_("requant %s mode %d n %zu [%zu]: acc %d mult %d shift %d scale %g zp %d [%d,%d]: got %d want %d",
                       tflc_isa_name(uk->isa), mode, n, i, acc[i], mult[i], shift[i], (double)scale[i], zp, lo, hi,
                       y[i], want);
    }
    for (size_t i = n; i < n + 16; i++)
        if (y[i] != 0x5A) TFLC_FAIL_("requant %s wrote past n = %zu", tflc_isa_name(uk->isa), n);
    free(acc), free(mult), free(shift), free(scale), free(y);
}

TFLC_TEST(requant_s8_all_modes) {
    const struct tflc_ukernels *t[8];
    int nt = tables(t);
    for (int i = 0; i < nt; i++) {
        if (!t[i]->requant_s8) continue;
        for (int mode = 0; mode < TFLC_UK_RQ_COUNT; mode++) {
            for (size_t n = 1; n <= 40; n++) check_requant(t[i], mode, n);
            for (int r = 0; r < 200; r++) check_requant(t[i], mode, (size_t)tflc_test_rand_range(1, 300));
        }
    }
}

/* ---- gemm_s8 ---- */

static bool check_gemm(const struct tflc_ukernels *uk, size_t mr, size_t nc, size_t kc, int32_t zp) {
    const struct tflc_uk_gemm_s8 *g = &uk->gemm_s8;
    const size_t MR = g->mr, stride = nc + 3;
    int8_t *w = malloc(nc * kc);
    int32_t *bias = malloc(nc * sizeof *bias);
    const bool no_bias = tflc_test_rand_range(0, 9) == 0;
    for (size_t i = 0; i < nc * kc; i++) w[i] = rand_s8_edgy();
    for (size_t i = 0; i < nc; i++) bias[i] = rand_bias();
    void *packed = aligned64(g->packed_bytes(nc, kc));
    g->pack(nc, kc, w, no_bias ? NULL : bias, zp, packed);
    const int8_t *a[32];
    int8_t *rows[32];
    for (size_t m = 0; m < mr; m++) {
        rows[m] = malloc(kc);
        const int mostly = tflc_test_rand_range(0, 3); /* rows of one extreme (accumulator extremes) */
        for (size_t k = 0; k < kc; k++) rows[m][k] = mostly == 0 ? -128 : mostly == 1 ? 127 : rand_s8_edgy();
        a[m] = rows[m];
    }
    for (size_t m = mr; m < MR; m++) a[m] = a[0];
    int32_t *acc = malloc((MR * stride + 8) * sizeof *acc);
    for (size_t i = 0; i < MR * stride + 8; i++) acc[i] = 0x12345678;
    g->run(mr, nc, kc, a, packed, acc, stride);
    bool ok = true;
    for (size_t m = 0; m < MR && ok; m++)
        for (size_t j = 0; j < stride; j++) {
            int32_t got = acc[m * stride + j], want = 0x12345678;
            if (m < mr && j < nc) {
                uint32_t s = no_bias ? 0 : (uint32_t)bias[j];
                for (size_t k = 0; k < kc; k++) s += (uint32_t)((int32_t)w[j * kc + k] * ((int32_t)a[m][k] - zp));
                want = (int32_t)s;
            }
            if (got != want) {
                TFLC_FAIL_("gemm %s mr %zu nc %zu kc %zu zp %d: acc[%zu][%zu] = %d, want %d", tflc_isa_name(uk->isa),
                           mr, nc, kc, zp, m, j, got, want);
                ok = false;
                break;
            }
        }
    for (size_t i = MR * stride; i < MR * stride + 8; i++)
        if (acc[i] != 0x12345678) {
            TFLC_FAIL_("gemm %s wrote past the accumulators", tflc_isa_name(uk->isa));
            ok = false;
        }
    if (g->run_rq && ok) { /* fused requantization: each mode against tflc_conv_rq_apply of the exact acc */
        int32_t *mult = malloc(nc * sizeof *mult), *shift = malloc(nc * sizeof *shift),
                *ref = malloc(mr * nc * sizeof *ref);
        float *scale = malloc(nc * sizeof *scale);
        const size_t ys = nc + 5;
        int8_t *y = malloc(MR * ys);
        for (size_t m = 0; m < mr; m++) memcpy(ref + m * nc, acc + m * stride, nc * sizeof *ref);
        for (int mode = 0; mode < TFLC_UK_RQ_COUNT && ok; mode++) {
            int32_t zq, lo, hi;
            rand_rq(nc, mult, shift, scale, &zq, &lo, &hi);
            struct tflc_uk_rq_s8 p = {mode, mult, shift, scale, zq, lo, hi};
            struct tflc_conv_rq q = {mode, mult, shift, scale, zq, lo, hi};
            memset(y, 0x5A, MR * ys);
            g->run_rq(mr, nc, kc, a, packed, acc, stride, y, ys, &p);
            for (size_t m = 0; m < MR && ok; m++)
                for (size_t j = 0; j < ys; j++) {
                    int want = m < mr && j < nc ? tflc_conv_rq_apply(&q, (int32_t)j, ref[m * nc + j]) : 0x5A;
                    if (y[m * ys + j] != want) {
                        TFLC_FAIL_("gemm run_rq %s mode %d mr %zu nc %zu kc %zu: y[%zu][%zu] = %d, want %d",
                                   tflc_isa_name(uk->isa), mode, mr, nc, kc, m, j, y[m * ys + j], want);
                        ok = false;
                        break;
                    }
                }
        }
        free(mult), free(shift), free(ref), free(scale), free(y);
    }
    for (size_t m = 0; m < mr; m++) free(rows[m]);
    free(w), free(bias), free(packed), free(acc);
    return ok;
}

static int32_t rand_zp(void) {
    int r = tflc_test_rand_range(0, 4);
    return r == 0 ? -128 : r == 1 ? 127 : rand_s8();
}

TFLC_TEST(gemm_s8_edges_and_random) {
    const struct tflc_ukernels *t[8];
    int nt = tables(t);
    static const size_t ks[] = {1,  2,  3,  4,  5,   7,   8,   15,  16,  17,  31,  32,
                                33, 63, 64, 65, 255, 256, 257, 511, 512, 513, 1100};
    for (int i = 0; i < nt; i++) {
        const struct tflc_uk_gemm_s8 *g = &t[i]->gemm_s8;
        if (!g->run) continue;
        TFLC_REQUIRE(g->mr >= 1 && g->mr <= 32);
        const size_t MR = g->mr;
        const size_t ns[] = {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 65, 97, 131};
        for (size_t a = 0; a < sizeof ks / sizeof ks[0]; a++)
            for (size_t b = 0; b < sizeof ns / sizeof ns[0]; b++) {
                /* the column-block contract conv_fast_s8.c's column split relies on */
                TFLC_REQUIRE(g->nr == 0 || g->packed_bytes(ns[b], ks[a]) ==
                                               (ns[b] + g->nr - 1) / g->nr * g->packed_bytes(g->nr, ks[a]));
                const size_t mrs[] = {1, MR - 1 ? MR - 1 : 1, MR};
                for (size_t c = 0; c < 3; c++)
                    if (!check_gemm(t[i], mrs[c], ns[b], ks[a], rand_zp())) return;
            }
        for (int r = 0; r < 300; r++)
            if (!check_gemm(t[i], (size_t)tflc_test_rand_range(1, (int)MR), (size_t)tflc_test_rand_range(1, 200),
                            (size_t)tflc_test_rand_range(1, 1500), rand_zp()))
                return;
    }
}

/* ---- dwconv_s8 ---- */

static bool check_dw(const struct tflc_ukernels *uk, size_t ch, size_t taps, int32_t zp) {
    const struct tflc_uk_dwconv_s8 *d = &uk->dwconv_s8;
    int8_t *w = malloc(ch * taps);
    int32_t *bias = malloc(ch * sizeof *bias);
    const bool no_bias = tflc_test_rand_range(0, 9) == 0;
    for (size_t i = 0; i < ch * taps; i++) w[i] = rand_s8_edgy();
    for (size_t i = 0; i < ch; i++) bias[i] = rand_bias();
    void *packed = aligned64(d->packed_bytes(ch, taps));
    d->pack(ch, taps, w, no_bias ? NULL : bias, zp, packed);
    int8_t *zrow = malloc(ch);
    memset(zrow, zp, ch);
    const int8_t **in = malloc(taps * sizeof *in);
    int8_t **own = malloc(taps * sizeof *own);
    for (size_t t = 0; t < taps; t++) {
        own[t] = NULL;
        if (tflc_test_rand_range(0, 4) == 0) { /* a padding tap */
            in[t] = zrow;
            continue;
        }
        own[t] = malloc(ch);
        const int mostly = tflc_test_rand_range(0, 3);
        for (size_t c = 0; c < ch; c++) own[t][c] = mostly == 0 ? -128 : mostly == 1 ? 127 : rand_s8_edgy();
        in[t] = own[t];
    }
    int32_t *acc = malloc((ch + 8) * sizeof *acc);
    for (size_t i = 0; i < ch + 8; i++) acc[i] = 0x12345678;
    d->run(ch, taps, in, packed, acc);
    bool ok = true;
    for (size_t c = 0; c < ch; c++) {
        uint32_t s = no_bias ? 0 : (uint32_t)bias[c];
        for (size_t t = 0; t < taps; t++)
            if (in[t] != zrow) s += (uint32_t)((int32_t)w[t * ch + c] * ((int32_t)in[t][c] - zp)); /* omitted tap */
        if (acc[c] != (int32_t)s) {
            TFLC_FAIL_("dwconv %s ch %zu taps %zu zp %d: acc[%zu] = %d, want %d", tflc_isa_name(uk->isa), ch, taps, zp,
                       c, acc[c], (int32_t)s);
            ok = false;
            break;
        }
    }
    for (size_t i = ch; i < ch + 8; i++)
        if (acc[i] != 0x12345678) {
            TFLC_FAIL_("dwconv %s wrote past the channels", tflc_isa_name(uk->isa));
            ok = false;
        }
    if (d->run_rq && ok) { /* fused requantization: each mode against tflc_conv_rq_apply of the exact acc */
        int32_t *mult = malloc(ch * sizeof *mult), *shift = malloc(ch * sizeof *shift);
        float *scale = malloc(ch * sizeof *scale);
        int8_t *y = malloc(ch + 16);
        for (int mode = 0; mode < TFLC_UK_RQ_COUNT && ok; mode++) {
            int32_t zq, lo, hi;
            rand_rq(ch, mult, shift, scale, &zq, &lo, &hi);
            struct tflc_uk_rq_s8 p = {mode, mult, shift, scale, zq, lo, hi};
            struct tflc_conv_rq q = {mode, mult, shift, scale, zq, lo, hi};
            memset(y, 0x5A, ch + 16);
            d->run_rq(ch, taps, in, packed, y, &p);
            for (size_t c = 0; c < ch + 16; c++) {
                int want = c < ch ? tflc_conv_rq_apply(&q, (int32_t)c, acc[c]) : 0x5A;
                if (y[c] != want) {
                    TFLC_FAIL_("dwconv run_rq %s mode %d ch %zu taps %zu: y[%zu] = %d, want %d", tflc_isa_name(uk->isa),
                               mode, ch, taps, c, y[c], want);
                    ok = false;
                    break;
                }
            }
        }
        free(mult), free(shift), free(scale), free(y);
    }
    for (size_t t = 0; t < taps; t++) free(own[t]);
    free(own), free(in), free(zrow), free(w), free(bias), free(packed), free(acc);
    return ok;
}

/* The batched depthwise entries (run_rows_rq, run_3x3_rq) against run_rq pixel by pixel: a
 * fixture with random weights, bias and a zp row; `batched` runs the entry under test over npix
 * pixels into y, `taps_of` gives pixel px's tap pointers for run_rq. Every requantization mode;
 * nothing may be written past the npix pixels. */
struct dw_fix {
    const struct tflc_ukernels *uk;
    size_t ch, taps, npix;
    void *packed;
    int8_t *zrow;
    const void *ctx;
    void (*batched)(const struct dw_fix *f, int8_t *y, const struct tflc_uk_rq_s8 *rq);
    void (*taps_of)(const struct dw_fix *f, size_t px, const int8_t **one);
    const char *what;
};

static bool dw_fix_check(struct dw_fix *f, int32_t zp) {
    const size_t ch = f->ch, taps = f->taps, npix = f->npix;
    const struct tflc_uk_dwconv_s8 *d = &f->uk->dwconv_s8;
    int8_t *w = malloc(ch * taps);
    int32_t *bias = malloc(ch * sizeof *bias);
    for (size_t i = 0; i < ch * taps; i++) w[i] = rand_s8_edgy();
    for (size_t i = 0; i < ch; i++) bias[i] = rand_bias();
    d->pack(ch, taps, w, bias, zp, f->packed);
    int32_t *mult = malloc(ch * sizeof *mult), *shift = malloc(ch * sizeof *shift);
    float *scale = malloc(ch * sizeof *scale);
    int8_t *y = malloc(npix * ch + 16), *want = malloc(ch + 16);
    const int8_t **one = malloc(taps * sizeof *one);
    bool ok = true;
    for (int mode = 0; mode < TFLC_UK_RQ_COUNT && ok; mode++) {
        int32_t zq, lo, hi;
        rand_rq(ch, mult, shift, scale, &zq, &lo, &hi);
        struct tflc_uk_rq_s8 p = {mode, mult, shift, scale, zq, lo, hi};
        memset(y, 0x5A, npix * ch + 16);
        f->batched(f, y, &p);
        for (size_t px = 0; px < npix && ok; px++) {
            f->taps_of(f, px, one);
            d->run_rq(ch, taps, one, f->packed, want, &p);
            for (size_t c = 0; c < ch; c++)
                if (y[px * ch + c] != want[c]) {
                    TFLC_FAIL_("dwconv %s %s mode %d ch %zu taps %zu npix %zu: pixel %zu y[%zu] = %d, want %d", f->what,
                               tflc_isa_name(f->uk->isa), mode, ch, taps, npix, px, c, y[px * ch + c], want[c]);
                    ok = false;
                    break;
                }
        }
        for (size_t i = npix * ch; i < npix * ch + 16 && ok; i++)
            if (y[i] != 0x5A) {
                TFLC_FAIL_("dwconv %s %s wrote past the pixels", f->what, tflc_isa_name(f->uk->isa));
                ok = false;
            }
    }
    free(mult), free(shift), free(scale), free(y), free(want), free(one), free(w), free(bias);
    return ok;
}

/* run_rows_rq: pixel p's tap t at in[t] + p * step[t], some taps on the zp row with step 0,
 * strides of 1 or 2 pixels. */
struct rows_ctx {
    const int8_t **in;
    size_t *step;
};

static void rows_batched(const struct dw_fix *f, int8_t *y, const struct tflc_uk_rq_s8 *rq) {
    const struct rows_ctx *r = f->ctx;
    f->uk->dwconv_s8.run_rows_rq(f->ch, f->taps, f->npix, r->in, r->step, f->packed, y, rq);
}

static void rows_taps(const struct dw_fix *f, size_t px, const int8_t **one) {
    const struct rows_ctx *r = f->ctx;
    for (size_t t = 0; t < f->taps; t++) one[t] = r->in[t] + px * r->step[t];
}

static bool check_dw_rows(const struct tflc_ukernels *uk, size_t ch, size_t taps, size_t npix, int32_t zp) {
    struct dw_fix f = {uk,         ch,   taps,         npix,      aligned64(uk->dwconv_s8.packed_bytes(ch, taps)),
                       malloc(ch), NULL, rows_batched, rows_taps, "run_rows_rq"};
    memset(f.zrow, zp, ch);
    const size_t stride = ch * (size_t)tflc_test_rand_range(1, 2);
    const size_t span = stride * npix + ch;
    int8_t *x = malloc(span * taps);
    for (size_t i = 0; i < span * taps; i++) x[i] = rand_s8_edgy();
    struct rows_ctx r = {malloc(taps * sizeof *r.in), malloc(taps * sizeof *r.step)};
    for (size_t t = 0; t < taps; t++) {
        const bool pad = tflc_test_rand_range(0, 4) == 0;
        r.in[t] = pad ? f.zrow : x + t * span;
        r.step[t] = pad ? 0 : stride;
    }
    f.ctx = &r;
    const bool ok = dw_fix_check(&f, zp);
    free(r.in), free(r.step), free(x), free(f.zrow), free(f.packed);
    return ok;
}

/* run_3x3_rq: a 3-row strip of in_w columns (some rows replaced by the zp row with column step
 * 0), windows starting at x0 (negative: left padding; past in_w: right padding, both zp),
 * strides 1 and 2. */
struct three_ctx {
    const int8_t *rows[3];
    size_t cstep[3];
    int64_t x0;
    size_t in_w, stride;
};

static void three_batched(const struct dw_fix *f, int8_t *y, const struct tflc_uk_rq_s8 *rq) {
    const struct three_ctx *r = f->ctx;
    f->uk->dwconv_s8.run_3x3_rq(f->ch, f->npix, r->stride, r->rows, r->cstep, r->x0, r->in_w, f->zrow, f->packed, y,
                                rq);
}

static void three_taps(const struct dw_fix *f, size_t px, const int8_t **one) {
    const struct three_ctx *r = f->ctx;
    for (int t = 0; t < 9; t++) {
        const int64_t col = r->x0 + (int64_t)(px * r->stride) + t % 3;
        one[t] = col < 0 || col >= (int64_t)r->in_w ? f->zrow : r->rows[t / 3] + (size_t)col * r->cstep[t / 3];
    }
}

static bool check_dw_3x3(const struct tflc_ukernels *uk, size_t ch, size_t npix, size_t stride, int32_t zp) {
    struct dw_fix f = {
        uk,         ch,          9, npix, aligned64(uk->dwconv_s8.packed_bytes(ch, 9)), malloc(ch), NULL, three_batched,
        three_taps, "run_3x3_rq"};
    memset(f.zrow, zp, ch);
    struct three_ctx r;
    r.stride = stride;
    r.x0 = -(int64_t)tflc_test_rand_range(0, 2);
    const int64_t span = (int64_t)((npix - 1) * stride + 3), cut = tflc_test_rand_range(0, 2);
    r.in_w = (size_t)(span + r.x0 - cut > 1 ? span + r.x0 - cut : 1);
    int8_t *x = malloc(3 * r.in_w * ch);
    for (size_t i = 0; i < 3 * r.in_w * ch; i++) x[i] = rand_s8_edgy();
    for (int k = 0; k < 3; k++) {
        const bool pad = tflc_test_rand_range(0, 3) == 0;
        r.rows[k] = pad ? f.zrow : x + (size_t)k * r.in_w * ch;
        r.cstep[k] = pad ? 0 : ch;
    }
    f.ctx = &r;
    const bool ok = dw_fix_check(&f, zp);
    free(x), free(f.zrow), free(f.packed);
    return ok;
}

TFLC_TEST(dwconv_s8_3x3) {
    const struct tflc_ukernels *t[8];
    int nt = tables(t);
    for (int i = 0; i < nt; i++) {
        if (!t[i]->dwconv_s8.run_3x3_rq) continue;
        TFLC_REQUIRE(t[i]->dwconv_s8.run_rq != NULL);
        static const size_t chs[] = {1, 15, 16, 17, 31, 32, 33, 64, 96, 144};
        for (size_t b = 0; b < sizeof chs / sizeof chs[0]; b++)
            for (size_t s = 1; s <= 2; s++)
                if (!check_dw_3x3(t[i], chs[b], (size_t)tflc_test_rand_range(1, 9), s, rand_zp())) return;
        for (int r = 0; r < 100; r++)
            if (!check_dw_3x3(t[i], (size_t)tflc_test_rand_range(1, 200), (size_t)tflc_test_rand_range(1, 20),
                              (size_t)tflc_test_rand_range(1, 2), rand_zp()))
                return;
    }
}

TFLC_TEST(dwconv_s8_rows) {
    const struct tflc_ukernels *t[8];
    int nt = tables(t);
    for (int i = 0; i < nt; i++) {
        if (!t[i]->dwconv_s8.run_rows_rq) continue;
        TFLC_REQUIRE(t[i]->dwconv_s8.run_rq != NULL);
        static const size_t taps[] = {1, 3, 4, 5, 9, 25};
        static const size_t chs[] = {1, 15, 16, 17, 31, 32, 33, 64, 96, 144};
        for (size_t a = 0; a < sizeof taps / sizeof taps[0]; a++)
            for (size_t b = 0; b < sizeof chs / sizeof chs[0]; b++)
                if (!check_dw_rows(t[i], chs[b], taps[a], (size_t)tflc_test_rand_range(1, 9), rand_zp())) return;
        for (int r = 0; r < 100; r++)
            if (!check_dw_rows(t[i], (size_t)tflc_test_rand_range(1, 200), (size_t)tflc_test_rand_range(1, 30),
                               (size_t)tflc_test_rand_range(1, 20), rand_zp()))
                return;
    }
}

TFLC_TEST(dwconv_s8_edges_and_random) {
    const struct tflc_ukernels *t[8];
    int nt = tables(t);
    for (int i = 0; i < nt; i++) {
        if (!t[i]->dwconv_s8.run) continue;
        static const size_t taps[] = {1, 2, 3, 4, 9, 10, 25, 49};
        for (size_t a = 0; a < sizeof taps / sizeof taps[0]; a++) {
            for (size_t ch = 1; ch <= 33; ch++)
                if (!check_dw(t[i], ch, taps[a], rand_zp())) return;
            static const size_t more[] = {47, 48, 63, 64, 65, 96, 144, 193, 960};
            for (size_t b = 0; b < sizeof more / sizeof more[0]; b++)
                if (!check_dw(t[i], more[b], taps[a], rand_zp())) return;
        }
        for (int r = 0; r < 300; r++)
            if (!check_dw(t[i], (size_t)tflc_test_rand_range(1, 400), (size_t)tflc_test_rand_range(1, 30), rand_zp()))
                return;
    }
}

/* vadd_s8 (XNNPACK's int8 ADD) against tflc_addsub_q_eval's formula, with parameters made the
 * way tflc_addsub_xnn_init makes them from random scales, every length 1..70 plus random
 * lengths, and in-place use (y == a). */
static int32_t vadd_ref(const struct tflc_uk_vadd_s8_params *p, int32_t a, int32_t b) {
    int32_t r = tflc_asr(p->bias + a * p->a_mult + b * p->b_mult, p->shift) + p->zp;
    return r < p->lo ? p->lo : r > p->hi ? p->hi : r;
}

static void rand_vadd_params(struct tflc_uk_vadd_s8_params *p) {
    /* scale ratios 2^-10 .. 2^3 keep the shift in [17, 30] (1 << (shift - 1) stays an int) */
    const float sa = ldexpf(1.0f + (float)tflc_test_rand_range(0, 1000) / 1000.0f, (int)tflc_test_rand_range(-10, 2));
    const float sb = ldexpf(1.0f + (float)tflc_test_rand_range(0, 1000) / 1000.0f, (int)tflc_test_rand_range(-10, 2));
    const int sign = tflc_test_rand_range(0, 3) == 0 ? -1 : 1;
    const float as = sa, bs = (float)sign * sb, m = fabsf(as) > fabsf(bs) ? fabsf(as) : fabsf(bs);
    int e;
    frexpf(m, &e);
    p->shift = 20 - (e - 1);
    p->a_mult = (int32_t)tflc_round_even(ldexpf(as, p->shift));
    p->b_mult = (int32_t)tflc_round_even(ldexpf(bs, p->shift));
    const int32_t za = (int32_t)tflc_test_rand_range(-128, 127), zb = (int32_t)tflc_test_rand_range(-128, 127);
    p->bias = (1 << (p->shift - 1)) - p->a_mult * za - p->b_mult * zb;
    p->zp = (int32_t)tflc_test_rand_range(-128, 127);
    p->lo = (int32_t)tflc_test_rand_range(-128, 0);
    p->hi = (int32_t)tflc_test_rand_range(p->lo, 127);
    if (tflc_test_rand_range(0, 2) == 0) p->lo = -128, p->hi = 127;
}

TFLC_TEST(vadd_s8_matches_reference) {
    const struct tflc_ukernels *t[8];
    int nt = tables(t), checked = 0;
    for (int ti = 0; ti < nt; ti++) {
        if (!t[ti]->vadd_s8) continue;
        checked++;
        for (int round = 0; round < 400; round++) {
            size_t n = round < 70 ? (size_t)round + 1 : (size_t)tflc_test_rand_range(1, 5000);
            struct tflc_uk_vadd_s8_params p;
            rand_vadd_params(&p);
            if (p.shift < 1 || p.shift > 31) continue;
            int8_t *a = malloc(n), *b = malloc(n), *y = malloc(n + 16), *a2 = malloc(n);
            for (size_t i = 0; i < n; i++) a[i] = rand_s8_edgy(), b[i] = rand_s8_edgy();
            memset(y + n, 0x5a, 16);
            memcpy(a2, a, n);
            t[ti]->vadd_s8(n, a, b, y, &p);
            t[ti]->vadd_s8(n, a2, b, a2, &p); /* in place */
            size_t bad = n;
            for (size_t i = 0; i < n && bad == n; i++)
                if (y[i] != (int8_t)vadd_ref(&p, a[i], b[i]) || a2[i] != y[i]) bad = i;
            for (size_t i = 0; i < 16; i++) TFLC_EXPECT(y[n + i] == 0x5a);
            TFLC_EXPECT_MSG(bad == n, "%s vadd_s8 n=%zu: element %zu is %d, expected %d (a %d b %d)",
                            tflc_isa_name(t[ti]->isa), n, bad, bad < n ? y[bad] : 0,
                            bad < n ? vadd_ref(&p, a[bad], b[bad]) : 0, bad < n ? a[bad] : 0, bad < n ? b[bad] : 0);
            free(a), free(b), free(y), free(a2);
        }
    }
    printf("  vadd_s8 checked on %d table(s)\n", checked);
}

TFLC_TEST(tables_have_int8_families) {
    const struct tflc_ukernels *t[8];
    int nt = tables(t);
    for (int i = 0; i < nt; i++) {
        TFLC_EXPECT_MSG(t[i]->gemm_s8.run && t[i]->dwconv_s8.run && t[i]->requant_s8, "%s lacks an int8 family",
                        tflc_isa_name(t[i]->isa));
    }
    const struct tflc_ukernels *ref = tflc_ukernels_get(TFLC_ISA_REF);
    TFLC_EXPECT(ref && !ref->gemm_s8.run && !ref->requant_s8);
    printf("  %d ISA table(s) checked\n", nt);
}

TFLC_TEST_MAIN()
