/* GPTQ weight rounding (Frantar et al. 2022, "Optimal Brain Quantization" applied column by
 * column): int8 weights are rounded one input column at a time, and each column's rounding
 * error is pushed onto the columns not yet rounded through the inverse of the layer input's
 * second-moment matrix H = sum x x^T, so the layer's output error on the calibration data,
 * ||(W_q - W) X||^2, is what gets minimized instead of each weight's own error.
 *
 *   collection  one extra run of the float model over the calibration samples accumulates H
 *               per layer from sub-sampled im2col patches (CONV_2D: KH*KW*I per output
 *               position; DEPTHWISE_CONV_2D: one KH*KW matrix per input channel;
 *               FULLY_CONNECTED: the input rows). Each thread sums its own samples (sample s
 *               goes to thread s % threads), so the result is deterministic for a given
 *               thread count.
 *   rounding    tflc_quant_gptq: per output row, scale fixed (max-abs / 127), H damped by 1%
 *               of its mean diagonal, U = upper Cholesky factor of H^-1. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export/lower_tflite.h"
#include "format/tflite_schema.h"
#include "quant/quant.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x

/* Bounds: columns per H, H bytes over all layers and threads, and multiply-adds per layer
 * (patches are sub-sampled to stay under it, but never below GPTQ_MIN_PATCHES). */
#define GPTQ_MAX_KC 8192
#define GPTQ_MAX_BYTES ((size_t)1 << 30)
#define GPTQ_LAYER_MACS 5.0e8
#define GPTQ_MIN_PATCHES 4096.0

static int64_t opt_or(const struct tflc_ir_node *n, const char *field, int64_t dflt) {
    const struct tflc_ir_opt *o = tflc_ir_opt_get(n, field);
    return o && o->i > 0 ? o->i : dflt;
}

bool tflc_quant_conv_geom_of(const struct tflc_ir_graph *g, const struct tflc_ir_node *n, int32_t xf, int32_t KH, int32_t KW,
                             int32_t I, struct tflc_quant_conv_geom *cg) {
    const struct tflc_ir_tensor *x = &g->t[xf], *y = n->nout > 0 && n->out[0] >= 0 ? &g->t[n->out[0]] : NULL;
    if (!y || x->rank != 4 || y->rank != 4 || x->dims[0] != 1 || x->dims[3] != I) return false;
    struct tflc_quant_conv_geom c;
    c.H = x->dims[1];
    c.W = x->dims[2];
    c.I = I;
    c.OH = y->dims[1];
    c.OW = y->dims[2];
    c.KH = KH;
    c.KW = KW;
    c.sh = opt_or(n, "stride_h", 1);
    c.sw = opt_or(n, "stride_w", 1);
    c.dh = opt_or(n, "dilation_h_factor", 1);
    c.dw = opt_or(n, "dilation_w_factor", 1);
    c.pt = c.pl = 0;
    const struct tflc_ir_opt *pad = tflc_ir_opt_get(n, "padding");
    if (!pad || pad->i == 0) { /* SAME */
        int64_t th = (c.OH - 1) * c.sh + (KH - 1) * c.dh + 1 - c.H, tw = (c.OW - 1) * c.sw + (KW - 1) * c.dw + 1 - c.W;
        c.pt = th > 0 ? th / 2 : 0;
        c.pl = tw > 0 ? tw / 2 : 0;
    }
    if (c.OH < 1 || c.OW < 1 || c.H < 1 || c.W < 1 || KH < 1 || KW < 1 || I < 1) return false;
    *cg = c;
    return true;
}

/* ---- the rounding ---- */

/* In-place lower Cholesky factor of the n x n symmetric matrix a (row-major, lower triangle
 * read). False when a is not positive definite. */
static bool cholesky(double *a, int32_t n) {
    for (int32_t j = 0; j < n; j++) {
        double *aj = a + (size_t)j * (size_t)n;
        double d = aj[j];
        for (int32_t k = 0; k < j; k++) d -= aj[k] * aj[k];
        if (!(d > 0) || !isfinite(d)) return false;
        d = sqrt(d);
        aj[j] = d;
        for (int32_t i = j + 1; i < n; i++) {
            double *ai = a + (size_t)i * (size_t)n;
            double s = ai[j];
            for (int32_t k = 0; k < j; k++) s -= ai[k] * aj[k];
            ai[j] = s / d;
        }
    }
    return true;
}

/* u = the upper triangular factor of (h + lambda I)^-1 = u^T u, lambda = damp * mean(diag h).
 * With P the order reversal, P (h + lambda I) P = L L^T gives (h + lambda I)^-1 = U^T U for
 * U = P L^-1 P: one Cholesky factorization and one triangular inverse. */
static bool inverse_factor(const double *h, int32_t n, double damp, double *u, double *l) {
    double mean = 0;
    for (int32_t i = 0; i < n; i++) mean += h[(size_t)i * (size_t)n + (size_t)i];
    mean /= n;
    if (!(mean > 0) || !isfinite(mean)) return false;
    for (int attempt = 0; attempt < 4; attempt++, damp *= 10) {
        for (int32_t i = 0; i < n; i++)
            for (int32_t j = 0; j <= i; j++)
                l[(size_t)i * (size_t)n + (size_t)j] = h[(size_t)(n - 1 - i) * (size_t)n + (size_t)(n - 1 - j)];
        for (int32_t i = 0; i < n; i++) l[(size_t)i * (size_t)n + (size_t)i] += damp * mean;
        if (cholesky(l, n)) break;
        if (attempt == 3) return false;
    }
    /* Lower triangular inverse of l, column by column, into u (reversed on the fly). */
    memset(u, 0, sizeof *u * (size_t)n * (size_t)n);
    for (int32_t j = 0; j < n; j++) {
        /* Solve l z = e_j: z_i = 0 for i < j. */
        for (int32_t i = j; i < n; i++) {
            const double *li = l + (size_t)i * (size_t)n;
            double s = i == j ? 1.0 : 0.0;
            for (int32_t k = j; k < i; k++) s -= li[k] * u[(size_t)(n - 1 - k) * (size_t)n + (size_t)(n - 1 - j)];
            u[(size_t)(n - 1 - i) * (size_t)n + (size_t)(n - 1 - j)] = s / li[i];
        }
    }
    return true;
}

static int8_t round_s8(double v, float scale) {
    float r = roundf((float)v / scale);
    return (int8_t)(r > 127 ? 127 : r < -127 ? -127 : r);
}

bool tflc_quant_gptq(const float *w, int32_t rows, int32_t kc, const float *scales, const double *h, double damp, int8_t *q) {
    if (rows < 1 || kc < 1) return true;
    size_t nn = (size_t)kc * (size_t)kc;
    double *u = malloc(sizeof *u * nn), *l = malloc(sizeof *l * nn), *x = malloc(sizeof *x * (size_t)kc);
    bool ok = u && l && x && inverse_factor(h, kc, damp, u, l);
    free(l);
    for (int32_t r = 0; ok && r < rows; r++) {
        const float *wr = w + (size_t)r * (size_t)kc;
        int8_t *qr = q + (size_t)r * (size_t)kc;
        float s = scales[r];
        for (int32_t i = 0; i < kc; i++) x[i] = wr[i];
        for (int32_t i = 0; i < kc; i++) {
            const double *ui = u + (size_t)i * (size_t)kc;
            int8_t qi = round_s8(x[i], s);
            qr[i] = qi;
            double e = (x[i] - (double)qi * s) / ui[i];
            if (e == 0) continue;
            for (int32_t j = i + 1; j < kc; j++) x[j] -= e * ui[j];
        }
    }
    free(u);
    free(x);
    return ok;
}

/* ---- collecting H ---- */

struct layer {
    int32_t node, weight, xf;
    int key;                /* exported tensor index of the input, or -1 - i for graph input i */
    int32_t op;
    int32_t kc, groups;
    int32_t kc_rows;        /* FULLY_CONNECTED: input rows per sample */
    struct tflc_quant_conv_geom cg;
    size_t positions;       /* patches per sample available */
    size_t take;            /* patches per sample used (strided sub-sample) */
    size_t hoff;            /* offset of its H in a thread's block */
};

struct hstate {
    struct layer *l;
    int nl;
    size_t per_thread;      /* doubles per thread */
    double *h;              /* [threads][per_thread] */
    double *count;          /* [threads][nl] patches summed */
    float **scratch;        /* per thread: patch block + float H */
    size_t scratch_floats;
    int threads;
};

#define BLOCK 16

/* hf (n x n, lower triangle) += sum over the m patches of p p^T (patches back to back). */
static void syrk_lower(float *hf, const float *p, size_t m, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        float *row = hf + (size_t)i * (size_t)n;
        for (size_t b = 0; b < m; b++) {
            const float *pb = p + b * (size_t)n;
            float a = pb[i];
            if (a == 0) continue;
            for (int32_t j = 0; j <= i; j++) row[j] += a * pb[j];
        }
    }
}

static void add_lower(double *h, const float *hf, int32_t n) {
    for (int32_t i = 0; i < n; i++)
        for (int32_t j = 0; j <= i; j++) h[(size_t)i * (size_t)n + (size_t)j] += hf[(size_t)i * (size_t)n + (size_t)j];
}

static void accumulate(struct hstate *s, const struct layer *L, int thread, size_t sample, const float *x) {
    double *h = s->h + (size_t)thread * s->per_thread + L->hoff;
    float *buf = s->scratch[thread];
    int32_t n = L->kc;
    float *hf = buf + (size_t)BLOCK * (size_t)n;
    size_t step = L->positions / L->take, start = step > 1 ? sample % step : 0;
    size_t used = 0;
    const struct tflc_quant_conv_geom *c = &L->cg;
    for (int32_t grp = 0; grp < L->groups; grp++) {
        memset(hf, 0, sizeof *hf * (size_t)n * (size_t)n);
        size_t m = 0;
        for (size_t k = 0, pos = start; k < L->take && pos < L->positions; k++, pos += step) {
            float *p = buf + m * (size_t)n;
            if (L->op == OP(FULLY_CONNECTED)) {
                memcpy(p, x + pos * (size_t)n, sizeof *p * (size_t)n);
            } else {
                int64_t oh = (int64_t)(pos / (size_t)c->OW), ow = (int64_t)(pos % (size_t)c->OW);
                for (int32_t kh = 0; kh < c->KH; kh++)
                    for (int32_t kw = 0; kw < c->KW; kw++) {
                        int64_t ih = oh * c->sh + kh * c->dh - c->pt, iw = ow * c->sw + kw * c->dw - c->pl;
                        bool in = ih >= 0 && ih < c->H && iw >= 0 && iw < c->W;
                        const float *src = in ? x + ((size_t)ih * (size_t)c->W + (size_t)iw) * (size_t)c->I : NULL;
                        if (L->op == OP(CONV_2D)) {
                            float *d = p + ((size_t)kh * (size_t)c->KW + (size_t)kw) * (size_t)c->I;
                            if (in) memcpy(d, src, sizeof *d * (size_t)c->I);
                            else memset(d, 0, sizeof *d * (size_t)c->I);
                        } else { /* depthwise: group grp is input channel grp */
                            p[kh * c->KW + kw] = in ? src[grp] : 0.0f;
                        }
                    }
            }
            if (++m == BLOCK) { syrk_lower(hf, buf, m, n); m = 0; }
            if (grp == 0) used++;
        }
        if (m) syrk_lower(hf, buf, m, n);
        add_lower(h + (size_t)grp * (size_t)n * (size_t)n, hf, n);
    }
    s->count[(size_t)thread * (size_t)s->nl + (size_t)(L - s->l)] += (double)used;
}

static void visit(void *ud, int thread, size_t sample, int ti, const struct tflc_tensor *t) {
    struct hstate *s = ud;
    if (t->dtype != TFLC_DTYPE_FLOAT32) return;
    for (int i = 0; i < s->nl; i++) {
        const struct layer *L = &s->l[i];
        if (L->key != ti) continue;
        size_t need = L->op == OP(FULLY_CONNECTED) ? L->positions * (size_t)L->kc
                                                   : (size_t)L->cg.H * (size_t)L->cg.W * (size_t)L->cg.I;
        if (tflc_tensor_elements(t) != need) continue;
        accumulate(s, L, thread, sample, t->data);
    }
}

/* The layers GPTQ can round: constant float weights and a float input whose shape fits. */
static bool describe(const struct tflc_ir_graph *g, int32_t k, struct layer *L) {
    const struct tflc_ir_node *n = &g->n[k];
    if (n->dead || n->nin < 2 || n->in[0] < 0 || n->in[1] < 0) return false;
    if (n->op != OP(CONV_2D) && n->op != OP(DEPTHWISE_CONV_2D) && n->op != OP(FULLY_CONNECTED)) return false;
    int32_t xf = n->in[0], w = n->in[1];
    const struct tflc_ir_tensor *wt = &g->t[w], *x = &g->t[xf];
    if (!wt->data || wt->dtype != TFLC_DTYPE_FLOAT32 || x->data || x->dtype != TFLC_DTYPE_FLOAT32) return false;
    memset(L, 0, sizeof *L);
    L->node = k;
    L->weight = w;
    L->xf = xf;
    L->op = n->op;
    L->groups = 1;
    if (n->op == OP(FULLY_CONNECTED)) {
        if (wt->rank != 2 || wt->dims[1] < 1) return false;
        size_t e = tflc_ir_numel(x);
        L->kc = wt->dims[1];
        if (e == 0 || e % (size_t)L->kc) return false;
        L->positions = e / (size_t)L->kc;
    } else if (n->op == OP(CONV_2D)) {
        if (wt->rank != 4) return false;
        if (!tflc_quant_conv_geom_of(g, n, xf, wt->dims[1], wt->dims[2], wt->dims[3], &L->cg)) return false;
        L->kc = wt->dims[1] * wt->dims[2] * wt->dims[3];
        L->positions = (size_t)L->cg.OH * (size_t)L->cg.OW;
    } else {
        if (wt->rank != 4 || x->rank != 4) return false;
        int32_t I = x->dims[3], O = wt->dims[3];
        if (I < 1 || O % I) return false;
        if (!tflc_quant_conv_geom_of(g, n, xf, wt->dims[1], wt->dims[2], I, &L->cg)) return false;
        L->kc = wt->dims[1] * wt->dims[2];
        L->groups = I;
        L->positions = (size_t)L->cg.OH * (size_t)L->cg.OW;
    }
    return L->kc >= 1 && L->kc <= GPTQ_MAX_KC && L->positions > 0;
}

void tflc_quant_hessians_free(struct tflc_quant_hessians *hs) {
    if (!hs) return;
    for (int i = 0; i < hs->n; i++) free(hs->l[i].h);
    free(hs->l);
    hs->l = NULL;
    hs->n = 0;
}

const struct tflc_quant_hessian *tflc_quant_hessian_find(const struct tflc_quant_hessians *hs, int32_t node, int32_t weight) {
    for (int i = 0; hs && i < hs->n; i++)
        if (hs->l[i].node == node && hs->l[i].weight == weight) return &hs->l[i];
    return NULL;
}

enum tflc_status tflc_quant_collect_hessians(const struct tflc_ir_graph *g, const struct tflc_convert_options *o,
                                             struct tflc_quant_hessians *hs, struct tflc_diag *diag) {
    memset(hs, 0, sizeof *hs);
    size_t samples = o->calib_samples ? o->calib_samples : 100;
    for (int i = 0; i < o->ncalib; i++)
        if (o->calib[i].samples < samples) samples = o->calib[i].samples;
    if (!samples || o->ncalib != g->ninputs) return TFLC_STATUS_OK;
    struct hstate s;
    memset(&s, 0, sizeof s);
    s.threads = o->threads > 0 ? o->threads : 2;
    if (s.threads > 64) s.threads = 64;
    if ((size_t)s.threads > samples) s.threads = (int)samples;
    s.l = calloc((size_t)(g->nn > 0 ? g->nn : 1), sizeof *s.l);
    if (!s.l) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    size_t max_scratch = 0;
    for (int32_t k = 0; k < g->nn; k++) {
        struct layer L;
        if (!describe(g, k, &L)) continue;
        size_t hbytes = (size_t)L.groups * (size_t)L.kc * (size_t)L.kc * sizeof(double);
        if (hbytes * (size_t)s.threads > GPTQ_MAX_BYTES - s.per_thread * sizeof(double) * (size_t)s.threads) continue;
        /* Patches per sample: all of them, unless the multiply-adds of H would pass the
         * budget (then a strided subset, never fewer than GPTQ_MIN_PATCHES in all). */
        double macs = (double)L.kc * (double)L.kc / 2 * (double)L.groups;
        double total = fmax(GPTQ_LAYER_MACS / macs, GPTQ_MIN_PATCHES);
        double per = ceil(total / (double)samples);
        L.take = per >= (double)L.positions ? L.positions : (size_t)per;
        if (L.take < 1) L.take = 1;
        if ((double)L.take * (double)samples < 2.0 * L.kc) continue; /* rounds to nearest (rewrite.c: gptq_round) */
        L.hoff = s.per_thread;
        s.per_thread += (size_t)L.groups * (size_t)L.kc * (size_t)L.kc;
        size_t sc = (size_t)BLOCK * (size_t)L.kc + (size_t)L.kc * (size_t)L.kc;
        if (sc > max_scratch) max_scratch = sc;
        s.l[s.nl++] = L;
    }
    enum tflc_status st = TFLC_STATUS_OK;
    struct tflc_tflb *b = NULL;
    int32_t *map = NULL;
    if (!s.nl) goto done;
    const uint8_t *data;
    size_t size;
    if ((st = tflc_export_tflite(g, "gptq", &b, &data, &size, NULL, &map, diag))) goto done;
    for (int i = 0; i < s.nl; i++) {
        struct layer *L = &s.l[i];
        L->key = map[L->xf];
        for (int j = 0; j < g->ninputs; j++)
            if (g->inputs[j] == L->xf) L->key = -1 - j;
    }
    s.h = calloc((size_t)s.threads * s.per_thread, sizeof *s.h);
    s.count = calloc((size_t)s.threads * (size_t)s.nl, sizeof *s.count);
    s.scratch = calloc((size_t)s.threads, sizeof *s.scratch);
    if (!s.h || !s.count || !s.scratch) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory for GPTQ"); goto done; }
    for (int t = 0; t < s.threads; t++)
        if (!(s.scratch[t] = malloc(sizeof(float) * max_scratch))) {
            st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory for GPTQ");
            goto done;
        }
    struct tflc_quant_run r = {data, size, o->calib, o->ncalib, samples, s.threads, visit, &s, NULL, NULL};
    if ((st = tflc_quant_run_model(&r, diag))) goto done;
    hs->l = calloc((size_t)s.nl, sizeof *hs->l);
    if (!hs->l) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory for GPTQ"); goto done; }
    for (int i = 0; i < s.nl; i++) {
        const struct layer *L = &s.l[i];
        size_t n = (size_t)L->kc, cells = (size_t)L->groups * n * n;
        double cnt = 0;
        for (int t = 0; t < s.threads; t++) cnt += s.count[(size_t)t * (size_t)s.nl + (size_t)i];
        if (!(cnt > 0)) continue;
        double *h = malloc(sizeof *h * cells);
        if (!h) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory for GPTQ"); goto done; }
        memcpy(h, s.h + L->hoff, sizeof *h * cells);
        for (int t = 1; t < s.threads; t++)
            for (size_t c = 0; c < cells; c++) h[c] += s.h[(size_t)t * s.per_thread + L->hoff + c];
        /* Mirror the lower triangle. */
        for (int32_t grp = 0; grp < L->groups; grp++) {
            double *hg = h + (size_t)grp * n * n;
            for (size_t a = 0; a < n; a++)
                for (size_t c = 0; c < a; c++) hg[c * n + a] = hg[a * n + c];
        }
        hs->l[hs->n++] = (struct tflc_quant_hessian){L->node, L->weight, L->kc, L->groups, h, cnt};
    }
done:
    if (st) tflc_quant_hessians_free(hs);
    for (int t = 0; s.scratch && t < s.threads; t++) free(s.scratch[t]);
    free(s.scratch);
    free(s.h);
    free(s.count);
    free(s.l);
    free(map);
    tflc_tflb_destroy(b);
    return st;
}
