/* GPTQ weight rounding (Frantar et al. 2022, "Optimal Brain Quantization" applied column by
 * column): int8 weights are rounded one input column at a time, and each column's rounding
 * error is pushed onto the columns not yet rounded through the inverse of the layer input's
 * second-moment matrix H = sum x x^T, so the layer's output error on the calibration data,
 * ||(W_q - W) X||^2, is what gets minimized instead of each weight's own error.
 *
 *   plan      layers are rounded in stages (a layer's stage: 1 + the deepest weighted layer
 *             upstream of its input). Before stage 0, a float run stores each layer's float
 *             input patches x_f (sub-sampled im2col patches: CONV_2D KH*KW*I per output
 *             position, DEPTHWISE_CONV_2D the same with one KH*KW problem per input channel,
 *             FULLY_CONNECTED the input rows). Each stage then runs the float model whose
 *             earlier layers carry their rounded weights and corrected biases, and collects,
 *             at the same patches, the inputs x_q those layers really get: H = sum x_q x_q^T
 *             and C = sum x_f x_q^T. The layer's target becomes W' = (W C + l W)(H + l I)^-1,
 *             the weights that best map x_q to the float layer's outputs W x_f (ridge toward
 *             W, l = 10% of H's mean diagonal), which takes out the error of the layers before
 *             it; W' is rounded by GPTQ with H, and the bias absorbs the mean output shift
 *             E[W x_f] - E[Q x_q]. Each thread sums its own samples (sample s goes to thread
 *             s % threads), so the result is deterministic for a given thread count.
 *   rounding  tflc_quant_gptq: per output row, scale fixed (max-abs of W' / 127), H damped by
 *             0.3% of its mean diagonal, U = upper Cholesky factor of H^-1. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export/lower_tflite.h"
#include "format/tflite_schema.h"
#include "quant/quant.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x

/* Bounds: columns per layer; accumulator bytes of one stage (all threads); stored float
 * patches; multiply-adds per layer (patches are sub-sampled to stay under it, but never
 * below max(4 kc, GPTQ_MIN_PATCHES) in all, nor above GPTQ_MAX_PATCHES). A layer with fewer than 2 kc patches
 * rounds to nearest: its H is far from full rank, and GPTQ would push the error into
 * directions the calibration data never excites but other inputs do. */
#define GPTQ_MAX_KC 8192
#define GPTQ_MAX_STAGE_BYTES ((size_t)1 << 30)
#define GPTQ_MAX_XF_BYTES ((size_t)256 << 20)
#define GPTQ_LAYER_MACS 5.0e8
#define GPTQ_MIN_PATCHES 4096.0
#define GPTQ_MAX_PATCHES 16384.0
#define GPTQ_DAMP 0.003
#define GPTQ_RIDGE 0.1

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

/* ---- the plan ---- */

struct layer {
    int32_t node, weight, bias, in; /* IR ids: node, weights, bias (-1: none or shared), float input */
    int key;                /* exported tensor index of the input, or -1 - i for graph input i */
    int32_t op;
    int32_t kc, groups;     /* columns per problem; problems (depthwise: input channels) */
    int32_t rows;           /* output channels */
    int32_t plen;           /* floats per patch: KH*KW*I (conv, depthwise) or I (fully connected) */
    int axis;               /* per-channel axis of its int8 weights, -1 per tensor */
    int stage;
    struct tflc_quant_conv_geom cg;
    size_t positions;       /* patches per sample available */
    size_t take;            /* patches per sample used (strided sub-sample) */
    float *xf;              /* [samples][take][plen] float-model patches */
    size_t off;             /* offset of its accumulators in a thread's block (current stage) */
    float *deq, *bias_c;    /* rounded weights (q * s) and corrected bias, once rounded */
};

struct pstate {
    struct layer *l;
    int nl;
    int stage;              /* -1: the float pass storing xf */
    size_t per_thread;      /* doubles per thread: per layer H[groups kc kc], C[same], sum_f[plen], sum_q[plen], n */
    double *acc;            /* [threads][per_thread] */
    float **scratch;        /* per thread */
};

static size_t acc_doubles(const struct layer *L) {
    return 2 * (size_t)L->groups * (size_t)L->kc * (size_t)L->kc + 2 * (size_t)L->plen + 1;
}

/* Patch of position pos (0 in the padding). */
static void extract(const struct layer *L, const float *x, size_t pos, float *p) {
    const struct tflc_quant_conv_geom *c = &L->cg;
    if (L->op == OP(FULLY_CONNECTED)) {
        memcpy(p, x + pos * (size_t)L->kc, sizeof *p * (size_t)L->kc);
        return;
    }
    int64_t oh = (int64_t)(pos / (size_t)c->OW), ow = (int64_t)(pos % (size_t)c->OW);
    for (int32_t kh = 0; kh < c->KH; kh++)
        for (int32_t kw = 0; kw < c->KW; kw++) {
            int64_t ih = oh * c->sh + kh * c->dh - c->pt, iw = ow * c->sw + kw * c->dw - c->pl;
            float *d = p + ((size_t)kh * (size_t)c->KW + (size_t)kw) * (size_t)c->I;
            if (ih >= 0 && ih < c->H && iw >= 0 && iw < c->W)
                memcpy(d, x + ((size_t)ih * (size_t)c->W + (size_t)iw) * (size_t)c->I, sizeof *d * (size_t)c->I);
            else
                memset(d, 0, sizeof *d * (size_t)c->I);
        }
}

#define BLOCK 16

/* hf (lower triangle) += sum_b a_b a_b^T and cf += sum_b f_b a_b^T over m patches of n
 * values (a: the rounded model's inputs, f: the float model's). */
static void accumulate_block(float *hf, float *cf, const float *a, const float *f, size_t m, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        float *hr = hf + (size_t)i * (size_t)n, *cr = cf + (size_t)i * (size_t)n;
        for (size_t b = 0; b < m; b++) {
            const float *ab = a + b * (size_t)n;
            float ai = ab[i], fi = f[b * (size_t)n + (size_t)i];
            if (ai != 0)
                for (int32_t j = 0; j <= i; j++) hr[j] += ai * ab[j];
            if (fi != 0)
                for (int32_t j = 0; j < n; j++) cr[j] += fi * ab[j];
        }
    }
}

/* Per thread scratch: the sample's patches, two blocks, and float H, C of one problem. */
static size_t scratch_floats(const struct layer *L) {
    return L->take * (size_t)L->plen + 2 * (size_t)BLOCK * (size_t)L->kc + 2 * (size_t)L->kc * (size_t)L->kc;
}

static void collect(struct pstate *s, struct layer *L, int thread, size_t sample, const float *x) {
    size_t step = L->positions / L->take, start = step > 1 ? sample % step : 0;
    size_t np = 0;
    for (size_t pos = start; np < L->take && pos < L->positions; pos += step) np++;
    if (s->stage < 0) {
        for (size_t k = 0; k < np; k++) extract(L, x, start + k * step, L->xf + (sample * L->take + k) * (size_t)L->plen);
        return;
    }
    int32_t n = L->kc, I = L->groups;
    size_t cells = (size_t)n * (size_t)n;
    float *xq = s->scratch[thread], *ba = xq + L->take * (size_t)L->plen, *bf = ba + (size_t)BLOCK * (size_t)n;
    float *hf = bf + (size_t)BLOCK * (size_t)n, *cf = hf + cells;
    const float *xf = L->xf + sample * L->take * (size_t)L->plen;
    for (size_t k = 0; k < np; k++) extract(L, x, start + k * step, xq + k * (size_t)L->plen);
    double *acc = s->acc + (size_t)thread * s->per_thread + L->off;
    double *h = acc, *c = h + (size_t)I * cells, *sf = c + (size_t)I * cells, *sq = sf + L->plen;
    for (size_t k = 0; k < np; k++)
        for (int32_t e = 0; e < L->plen; e++) {
            sf[e] += xf[k * (size_t)L->plen + (size_t)e];
            sq[e] += xq[k * (size_t)L->plen + (size_t)e];
        }
    sq[L->plen] += (double)np;
    for (int32_t g = 0; g < I; g++) {
        memset(hf, 0, sizeof *hf * 2 * cells);
        for (size_t k0 = 0; k0 < np; k0 += BLOCK) {
            size_t m = np - k0 < BLOCK ? np - k0 : BLOCK;
            /* problem g's values: all of a conv / FC patch, or tap t of channel g (depthwise) */
            for (size_t b = 0; b < m; b++)
                for (int32_t j = 0; j < n; j++) {
                    size_t e = (k0 + b) * (size_t)L->plen + (I == 1 ? (size_t)j : (size_t)j * (size_t)I + (size_t)g);
                    ba[b * (size_t)n + (size_t)j] = xq[e];
                    bf[b * (size_t)n + (size_t)j] = xf[e];
                }
            accumulate_block(hf, cf, ba, bf, m, n);
        }
        double *hg = h + (size_t)g * cells, *cg = c + (size_t)g * cells;
        for (size_t e = 0; e < cells; e++) { hg[e] += hf[e]; cg[e] += cf[e]; }
    }
}

static void visit(void *ud, int thread, size_t sample, int ti, const struct tflc_tensor *t) {
    struct pstate *s = ud;
    if (t->dtype != TFLC_DTYPE_FLOAT32) return;
    for (int i = 0; i < s->nl; i++) {
        struct layer *L = &s->l[i];
        if (L->key != ti || (s->stage >= 0 && L->stage != s->stage)) continue;
        size_t need = L->op == OP(FULLY_CONNECTED) ? L->positions * (size_t)L->kc
                                                   : (size_t)L->cg.H * (size_t)L->cg.W * (size_t)L->cg.I;
        if (tflc_tensor_elements(t) == need) collect(s, L, thread, sample, t->data);
    }
}

/* The layers GPTQ can round: constant float weights read by this layer only, a float input
 * whose shape fits. */
static bool describe(const struct tflc_ir_graph *g, const struct tflc_convert_options *o, int32_t k, struct layer *L) {
    const struct tflc_ir_node *n = &g->n[k];
    if (n->dead || n->nin < 2 || n->in[0] < 0 || n->in[1] < 0) return false;
    if (n->op != OP(CONV_2D) && n->op != OP(DEPTHWISE_CONV_2D) && n->op != OP(FULLY_CONNECTED)) return false;
    int32_t xf = n->in[0], w = n->in[1];
    const struct tflc_ir_tensor *wt = &g->t[w], *x = &g->t[xf];
    if (!wt->data || wt->dtype != TFLC_DTYPE_FLOAT32 || x->data || x->dtype != TFLC_DTYPE_FLOAT32) return false;
    if (tflc_ir_use_count(g, w) != 1) return false;
    memset(L, 0, sizeof *L);
    L->node = k;
    L->weight = w;
    L->in = xf;
    L->op = n->op;
    L->groups = 1;
    L->axis = tflc_quant_weight_axis(n, o);
    L->bias = -1;
    if (n->nin > 2 && n->in[2] >= 0 && g->t[n->in[2]].data && g->t[n->in[2]].dtype == TFLC_DTYPE_FLOAT32 &&
        tflc_ir_use_count(g, n->in[2]) == 1)
        L->bias = n->in[2];
    if (n->op == OP(FULLY_CONNECTED)) {
        if (wt->rank != 2 || wt->dims[1] < 1) return false;
        size_t e = tflc_ir_numel(x);
        L->kc = L->plen = wt->dims[1];
        L->rows = wt->dims[0];
        if (e == 0 || e % (size_t)L->kc) return false;
        L->positions = e / (size_t)L->kc;
    } else if (n->op == OP(CONV_2D)) {
        if (wt->rank != 4) return false;
        if (!tflc_quant_conv_geom_of(g, n, xf, wt->dims[1], wt->dims[2], wt->dims[3], &L->cg)) return false;
        L->kc = L->plen = wt->dims[1] * wt->dims[2] * wt->dims[3];
        L->rows = wt->dims[0];
        L->positions = (size_t)L->cg.OH * (size_t)L->cg.OW;
    } else {
        if (wt->rank != 4 || x->rank != 4) return false;
        int32_t I = x->dims[3], O = wt->dims[3];
        if (I < 1 || O % I) return false;
        if (!tflc_quant_conv_geom_of(g, n, xf, wt->dims[1], wt->dims[2], I, &L->cg)) return false;
        L->kc = wt->dims[1] * wt->dims[2];
        L->plen = L->kc * I;
        L->groups = I;
        L->rows = O;
        L->positions = (size_t)L->cg.OH * (size_t)L->cg.OW;
    }
    return L->kc >= 1 && L->kc <= GPTQ_MAX_KC && L->positions > 0 && L->rows > 0;
}

/* (l l^T) x = x in place, l lower triangular. */
static void solve_chol(const double *l, int32_t n, double *x) {
    for (int32_t i = 0; i < n; i++) {
        double v = x[i];
        for (int32_t k = 0; k < i; k++) v -= l[(size_t)i * (size_t)n + (size_t)k] * x[k];
        x[i] = v / l[(size_t)i * (size_t)n + (size_t)i];
    }
    for (int32_t i = n - 1; i >= 0; i--) {
        double v = x[i];
        for (int32_t k = i + 1; k < n; k++) v -= l[(size_t)k * (size_t)n + (size_t)i] * x[k];
        x[i] = v / l[(size_t)i * (size_t)n + (size_t)i];
    }
}

/* Index of weight (row o, column j) in the weights' layout. */
static size_t widx(const struct layer *L, int32_t o, int32_t j) {
    return L->op == OP(DEPTHWISE_CONV_2D) ? (size_t)j * (size_t)L->rows + (size_t)o : (size_t)o * (size_t)L->kc + (size_t)j;
}

/* Rounds layer L from its merged accumulators (see the top of the file) into res, and fills
 * L->deq and L->bias_c for the stages after it. */
static bool round_layer(const struct tflc_ir_graph *g, struct layer *L, double *acc, struct tflc_quant_gptq_layer *res) {
    const float *w = g->t[L->weight].data;
    int32_t n = L->kc, I = L->groups, O = L->rows, m = O / I;
    size_t cells = (size_t)n * (size_t)n, cnt = (size_t)O * (size_t)n;
    double *h = acc, *c = h + (size_t)I * cells, *sf = c + (size_t)I * cells, *sq = sf + L->plen, np = sq[L->plen];
    if (!(np > 0)) return false;
    float *wp = malloc(sizeof *wp * cnt), *wg = malloc(sizeof *wg * (size_t)m * (size_t)n);
    double *l = malloc(sizeof *l * cells), *x = malloc(sizeof *x * (size_t)n);
    int8_t *qg = malloc((size_t)m * (size_t)n);
    res->q = malloc(cnt);
    res->scales = malloc(sizeof *res->scales * (size_t)O);
    res->bias_delta = calloc((size_t)O, sizeof *res->bias_delta);
    L->deq = malloc(sizeof *L->deq * cnt);
    bool ok = wp && wg && l && x && qg && res->q && res->scales && res->bias_delta && L->deq;
    for (int32_t gi = 0; ok && gi < I; gi++) {
        double *hg = h + (size_t)gi * cells;
        const double *cg = c + (size_t)gi * cells;
        for (int32_t i = 0; i < n; i++) /* H was summed in its lower triangle */
            for (int32_t j = 0; j < i; j++) hg[(size_t)j * (size_t)n + (size_t)i] = hg[(size_t)i * (size_t)n + (size_t)j];
        double mean = 0;
        for (int32_t i = 0; i < n; i++) mean += hg[(size_t)i * (size_t)n + (size_t)i];
        mean /= n;
        double ridge = GPTQ_RIDGE * mean;
        memcpy(l, hg, sizeof *l * cells);
        for (int32_t i = 0; i < n; i++) l[(size_t)i * (size_t)n + (size_t)i] += ridge;
        bool chol = mean > 0 && isfinite(mean) && cholesky(l, n);
        for (int32_t r = 0; r < m; r++) {
            int32_t o = gi * m + r;
            if (!chol) {
                for (int32_t j = 0; j < n; j++) wp[widx(L, o, j)] = w[widx(L, o, j)];
                continue;
            }
            /* x = C^T w + ridge w, solved against H + ridge I */
            for (int32_t j = 0; j < n; j++) x[j] = ridge * w[widx(L, o, j)];
            for (int32_t a = 0; a < n; a++) {
                double wa = w[widx(L, o, a)];
                const double *ca = cg + (size_t)a * (size_t)n;
                for (int32_t j = 0; j < n; j++) x[j] += wa * ca[j];
            }
            solve_chol(l, n, x);
            for (int32_t j = 0; j < n; j++) wp[widx(L, o, j)] = (float)x[j];
        }
    }
    /* Scales: max-abs of W' per channel (or over the tensor). */
    float all = 0;
    for (int32_t o = 0; ok && o < O; o++) {
        float a = 0;
        for (int32_t j = 0; j < n; j++) a = fmaxf(a, fabsf(wp[widx(L, o, j)]));
        res->scales[o] = a > 0 ? a / 127.0f : 1.0f;
        all = fmaxf(all, a);
    }
    for (int32_t o = 0; ok && L->axis < 0 && o < O; o++) res->scales[o] = all > 0 ? all / 127.0f : 1.0f;
    for (int32_t gi = 0; ok && gi < I; gi++) {
        for (int32_t r = 0; r < m; r++)
            for (int32_t j = 0; j < n; j++) wg[(size_t)r * (size_t)n + (size_t)j] = wp[widx(L, gi * m + r, j)];
        if (!tflc_quant_gptq(wg, m, n, res->scales + gi * m, h + (size_t)gi * cells, GPTQ_DAMP, qg))
            for (size_t e = 0; e < (size_t)m * (size_t)n; e++) qg[e] = round_s8(wg[e], res->scales[gi * m + (int32_t)(e / (size_t)n)]);
        for (int32_t r = 0; r < m; r++)
            for (int32_t j = 0; j < n; j++) res->q[widx(L, gi * m + r, j)] = qg[(size_t)r * (size_t)n + (size_t)j];
    }
    /* Mean output shift, and the layer as the next stages see it. */
    for (int32_t o = 0; ok && o < O; o++) {
        double d = 0;
        for (int32_t j = 0; j < n; j++) {
            size_t e = I == 1 ? (size_t)j : (size_t)j * (size_t)I + (size_t)(o / m);
            double qv = (double)res->q[widx(L, o, j)] * res->scales[o];
            d += ((double)w[widx(L, o, j)] * sf[e] - qv * sq[e]) / np;
            L->deq[widx(L, o, j)] = (float)qv;
        }
        res->bias_delta[o] = d;
    }
    if (ok && L->bias >= 0 && (size_t)tflc_ir_numel(&g->t[L->bias]) == (size_t)O && (L->bias_c = malloc(sizeof *L->bias_c * (size_t)O))) {
        const float *bv = g->t[L->bias].data;
        for (int32_t o = 0; o < O; o++) L->bias_c[o] = (float)(bv[o] + res->bias_delta[o]);
    }
    res->node = L->node;
    res->weight = L->weight;
    res->axis = L->axis;
    free(wp);
    free(wg);
    free(l);
    free(x);
    free(qg);
    return ok;
}

void tflc_quant_gptq_plan_free(struct tflc_quant_gptq_plan *p) {
    if (!p) return;
    for (int i = 0; i < p->n; i++) {
        free(p->l[i].q);
        free(p->l[i].scales);
        free(p->l[i].bias_delta);
    }
    free(p->l);
    p->l = NULL;
    p->n = 0;
}

const struct tflc_quant_gptq_layer *tflc_quant_gptq_plan_find(const struct tflc_quant_gptq_plan *p, int32_t node, int32_t weight) {
    for (int i = 0; p && i < p->n; i++)
        if (p->l[i].node == node && p->l[i].weight == weight) return &p->l[i];
    return NULL;
}

/* Exports g with the rounded weights and corrected biases of the layers done so far. */
static enum tflc_status export_stage(struct tflc_ir_graph *g, struct pstate *s, struct tflc_tflb **b, const uint8_t **data,
                                     size_t *size, int32_t **map, struct tflc_diag *diag) {
    void **saved = calloc(2 * (size_t)s->nl + 1, sizeof *saved);
    if (!saved) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < s->nl; i++) {
        struct layer *L = &s->l[i];
        if (L->deq) { saved[2 * i] = g->t[L->weight].data; g->t[L->weight].data = L->deq; }
        if (L->bias_c) { saved[2 * i + 1] = g->t[L->bias].data; g->t[L->bias].data = L->bias_c; }
    }
    enum tflc_status st = tflc_export_tflite(g, "gptq", b, data, size, NULL, map, diag);
    for (int i = 0; i < s->nl; i++) {
        struct layer *L = &s->l[i];
        if (L->deq) g->t[L->weight].data = saved[2 * i];
        if (L->bias_c) g->t[L->bias].data = saved[2 * i + 1];
    }
    free(saved);
    return st;
}

enum tflc_status tflc_quant_gptq_plan_make(struct tflc_ir_graph *g, const struct tflc_convert_options *o,
                                           struct tflc_quant_gptq_plan *plan, struct tflc_diag *diag) {
    memset(plan, 0, sizeof *plan);
    size_t samples = o->calib_samples ? o->calib_samples : 100;
    for (int i = 0; i < o->ncalib; i++)
        if (o->calib[i].samples < samples) samples = o->calib[i].samples;
    if (!samples || o->ncalib != g->ninputs) return TFLC_STATUS_OK;
    int threads = o->threads > 0 ? o->threads : 2;
    if (threads > 64) threads = 64;
    if ((size_t)threads > samples) threads = (int)samples;
    struct pstate s;
    memset(&s, 0, sizeof s);
    enum tflc_status st = TFLC_STATUS_OK;
    struct tflc_tflb *b = NULL;
    int32_t *map = NULL;
    s.l = calloc((size_t)(g->nn > 0 ? g->nn : 1), sizeof *s.l);
    int32_t *dep = malloc(sizeof *dep * (size_t)(g->nt > 0 ? g->nt : 1));
    s.scratch = calloc((size_t)threads, sizeof *s.scratch);
    if (!s.l || !dep || !s.scratch) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); goto done; }
    /* Layers and their stages (nodes are in topological order). */
    for (int32_t i = 0; i < g->nt; i++) dep[i] = -1;
    int nstages = 0;
    double xf_bytes = 0;
    for (int32_t k = 0; k < g->nn; k++) {
        const struct tflc_ir_node *n = &g->n[k];
        if (n->dead) continue;
        int d = -1;
        for (int i = 0; i < n->nin; i++)
            if (n->in[i] >= 0 && dep[n->in[i]] > d) d = dep[n->in[i]];
        struct layer *L = &s.l[s.nl];
        bool is_layer = describe(g, o, k, L);
        if (is_layer) {
            double macs = 2.0 * (double)L->kc * (double)L->kc * (double)L->groups;
            double total = fmin(fmax(GPTQ_LAYER_MACS / macs, fmax(4.0 * L->kc, GPTQ_MIN_PATCHES)), GPTQ_MAX_PATCHES);
            double per = ceil(total / (double)samples);
            L->take = per >= (double)L->positions ? L->positions : (size_t)per;
            L->stage = d + 1;
            xf_bytes += (double)samples * (double)L->take * (double)L->plen * sizeof(float);
            s.nl++;
        }
        for (int i = 0; i < n->nout; i++)
            if (n->out[i] >= 0) dep[n->out[i]] = is_layer ? d + 1 : d;
    }
    /* Fewer patches everywhere when the stored float patches would pass their budget. */
    double shrink = xf_bytes > (double)GPTQ_MAX_XF_BYTES ? (double)GPTQ_MAX_XF_BYTES / xf_bytes : 1.0;
    int kept = 0;
    for (int i = 0; i < s.nl; i++) {
        struct layer L = s.l[i];
        L.take = (size_t)floor((double)L.take * shrink);
        if ((double)L.take * (double)samples < 2.0 * L.kc) continue; /* rounds to nearest */
        if (!(L.xf = malloc(sizeof *L.xf * samples * L.take * (size_t)L.plen))) {
            st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory for GPTQ");
            goto done;
        }
        if (L.stage + 1 > nstages) nstages = L.stage + 1;
        s.l[kept++] = L;
    }
    s.nl = kept;
    if (!s.nl) goto done;
    if (!(plan->l = calloc((size_t)s.nl, sizeof *plan->l))) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); goto done; }
    for (int stage = -1; stage < nstages; stage++) {
        /* This stage's accumulators, within the budget (layers past it round to nearest). */
        size_t per = 0, scr = 0;
        for (int i = 0; stage >= 0 && i < s.nl; i++) {
            struct layer *L = &s.l[i];
            if (L->stage != stage) continue;
            size_t add = acc_doubles(L), sf = scratch_floats(L);
            size_t bytes = ((per + add) * sizeof(double) + (sf > scr ? sf : scr) * sizeof(float)) * (size_t)threads;
            if (bytes > GPTQ_MAX_STAGE_BYTES) { L->stage = -2; continue; }
            L->off = per;
            per += add;
            if (sf > scr) scr = sf;
        }
        s.per_thread = per;
        free(s.acc);
        s.acc = per ? calloc((size_t)threads * per, sizeof *s.acc) : NULL;
        bool oom = per && !s.acc;
        for (int t = 0; t < threads; t++) {
            free(s.scratch[t]);
            s.scratch[t] = scr ? malloc(sizeof(float) * scr) : NULL;
            oom = oom || (scr && !s.scratch[t]);
        }
        if (oom) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory for GPTQ"); goto done; }
        const uint8_t *data;
        size_t size;
        free(map);
        map = NULL;
        tflc_tflb_destroy(b);
        b = NULL;
        if ((st = export_stage(g, &s, &b, &data, &size, &map, diag))) goto done;
        for (int i = 0; i < s.nl; i++) {
            struct layer *L = &s.l[i];
            L->key = map[L->in];
            for (int j = 0; j < g->ninputs; j++)
                if (g->inputs[j] == L->in) L->key = -1 - j;
        }
        s.stage = stage;
        struct tflc_quant_run r = {data, size, o->calib, o->ncalib, samples, threads, visit, &s, NULL, NULL};
        if ((st = tflc_quant_run_model(&r, diag))) goto done;
        if (stage < 0) continue;
        for (int t = 1; t < threads; t++)
            for (size_t c = 0; c < per; c++) s.acc[c] += s.acc[(size_t)t * per + c];
        for (int i = 0; i < s.nl; i++) {
            struct layer *L = &s.l[i];
            if (L->stage != stage) continue;
            struct tflc_quant_gptq_layer *res = &plan->l[plan->n];
            memset(res, 0, sizeof *res);
            if (round_layer(g, L, s.acc + L->off, res)) {
                plan->n++;
            } else {
                free(res->q);
                free(res->scales);
                free(res->bias_delta);
                free(L->deq);
                free(L->bias_c);
                L->deq = L->bias_c = NULL;
            }
            free(L->xf);
            L->xf = NULL;
        }
    }
done:
    if (st) tflc_quant_gptq_plan_free(plan);
    for (int i = 0; s.l && i < s.nl; i++) {
        free(s.l[i].xf);
        free(s.l[i].deq);
        free(s.l[i].bias_c);
    }
    for (int t = 0; s.scratch && t < threads; t++) free(s.scratch[t]);
    free(s.scratch);
    free(s.acc);
    free(s.l);
    free(dep);
    free(map);
    tflc_tflb_destroy(b);
    return st;
}
