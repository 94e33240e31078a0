/* Calibration (see quant.h): the float graph is exported, run on the calibration samples in
 * tflc's own runtime, and every float tensor's range recorded. minmax keeps the global
 * min / max (what Google's calibrator does); percentile and mse make a second pass that fills
 * a histogram per tensor over [-absmax, absmax] and clip from it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export/lower_tflite.h"
#include "quant/quant.h"

#define BINS 512

struct cstate {
    int ntensors;        /* tensors in the exported model */
    int ninputs;
    int threads;
    float *mn, *mx;      /* [threads][ntensors + ninputs] */
    uint32_t *hist;      /* [threads][ntensors + ninputs][BINS], pass 2 */
    const float *absmax; /* [ntensors + ninputs], pass 2 */
    const int32_t *chans; /* [ntensors + ninputs]: elements per sample tracked (0 = none) */
    const size_t *choff;  /* [ntensors + ninputs]: offset of the tensor's sums */
    size_t chtotal;       /* sums per thread */
    double *chsum;        /* [threads][chtotal]: per-element sums over the samples */
    double *chcount;      /* [threads][ntensors + ninputs]: samples summed */
};

static int slot(const struct cstate *s, int tensor_index) {
    return tensor_index >= 0 ? tensor_index : s->ntensors + (-1 - tensor_index);
}

static void visit_minmax(void *ud, int thread, size_t sample, int ti, const struct tflc_tensor *t) {
    (void)sample;
    struct cstate *s = ud;
    if (t->dtype != TFLC_DTYPE_FLOAT32) return;
    int k = slot(s, ti);
    size_t n = tflc_tensor_elements(t), off = (size_t)thread * (size_t)(s->ntensors + s->ninputs) + (size_t)k;
    const float *v = t->data;
    float mn = s->mn[off], mx = s->mx[off];
    for (size_t i = 0; i < n; i++) {
        if (v[i] < mn) mn = v[i];
        if (v[i] > mx) mx = v[i];
    }
    s->mn[off] = mn;
    s->mx[off] = mx;
    if (s->chans[k] > 0 && n == (size_t)s->chans[k]) {
        double *cs = s->chsum + (size_t)thread * s->chtotal + s->choff[k];
        for (size_t i = 0; i < n; i++) cs[i] += v[i];
        s->chcount[off] += 1;
    }
}

static void visit_hist(void *ud, int thread, size_t sample, int ti, const struct tflc_tensor *t) {
    (void)sample;
    struct cstate *s = ud;
    if (t->dtype != TFLC_DTYPE_FLOAT32) return;
    int k = slot(s, ti);
    float a = s->absmax[k];
    if (!(a > 0)) return;
    uint32_t *h = s->hist + ((size_t)thread * (size_t)(s->ntensors + s->ninputs) + (size_t)k) * BINS;
    size_t n = tflc_tensor_elements(t);
    const float *v = t->data;
    for (size_t i = 0; i < n; i++) {
        int b = (int)((v[i] + a) / (2 * a) * BINS);
        if (b < 0) b = 0;
        if (b >= BINS) b = BINS - 1;
        h[b]++;
    }
}

/* Clip [mn, mx] by percentile p (of all values, each tail (100 - p) / 2 percent). */
static void clip_percentile(const uint64_t *h, float a, double p, float *mn, float *mx) {
    uint64_t total = 0;
    for (int b = 0; b < BINS; b++) total += h[b];
    if (!total) return;
    double tail = (100.0 - p) / 200.0 * (double)total;
    uint64_t acc = 0;
    int lo = 0, hi = BINS - 1;
    for (; lo < BINS; lo++) { acc += h[lo]; if ((double)acc > tail) break; }
    acc = 0;
    for (; hi >= 0; hi--) { acc += h[hi]; if ((double)acc > tail) break; }
    float flo = -a + 2 * a * (float)lo / BINS, fhi = -a + 2 * a * (float)(hi + 1) / BINS;
    if (flo > *mn) *mn = flo;
    if (fhi < *mx) *mx = fhi;
}

/* Pick the symmetric clip T minimizing histogram-estimated clipping + rounding error. */
static void clip_mse(const uint64_t *h, float a, float *mn, float *mx) {
    double best = INFINITY;
    float bestT = a;
    for (int k = 8; k <= 256; k++) {
        float T = a * (float)k / 256.0f;
        double step = 2.0 * T / 255.0, err = 0;
        for (int b = 0; b < BINS; b++) {
            if (!h[b]) continue;
            double x = fabs(-a + 2 * a * (b + 0.5) / BINS);
            err += (double)h[b] * (x > T ? (x - T) * (x - T) : step * step / 12.0);
        }
        if (err < best) { best = err; bestT = T; }
    }
    if (-bestT > *mn) *mn = -bestT;
    if (bestT < *mx) *mx = bestT;
}

static enum tflc_status set_mean(struct tflc_qrange *r, const struct cstate *s, size_t k, struct tflc_diag *diag) {
    int32_t C = s->chans[k];
    if (C <= 0 || !(s->chcount[k] > 0)) return TFLC_STATUS_OK;
    r->mean = malloc(sizeof *r->mean * (size_t)C);
    if (!r->mean) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    r->nmean = C;
    for (int32_t c = 0; c < C; c++) r->mean[c] = (float)(s->chsum[s->choff[k] + (size_t)c] / s->chcount[k]);
    return TFLC_STATUS_OK;
}

void tflc_quant_ranges_free(struct tflc_qrange *ranges, int32_t n) {
    if (!ranges) return;
    for (int32_t i = 0; i < n; i++) free(ranges[i].mean);
    free(ranges);
}

enum tflc_status tflc_quant_calibrate(const struct tflc_ir_graph *g, const struct tflc_convert_options *o,
                                      struct tflc_qrange *ranges, struct tflc_diag *diag) {
    for (int32_t i = 0; i < g->nt; i++) ranges[i] = (struct tflc_qrange){0, 0, false, 0, NULL};
    if (o->ncalib != g->ninputs)
        return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "the model has %d inputs: give --calibration once per input (%d given)",
                             g->ninputs, o->ncalib);
    size_t samples = o->calib_samples ? o->calib_samples : 100;
    for (int i = 0; i < o->ncalib; i++)
        if (o->calib[i].samples < samples) samples = o->calib[i].samples;
    if (samples == 0) return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "no calibration samples");
    struct tflc_tflb *b = NULL;
    const uint8_t *data;
    size_t size;
    int32_t *map = NULL;
    enum tflc_status st = tflc_export_tflite(g, "calibration", &b, &data, &size, NULL, &map, diag);
    if (st) return st;
    struct cstate s;
    memset(&s, 0, sizeof s);
    s.ntensors = 0;
    for (int32_t i = 0; i < g->nt; i++)
        if (map[i] + 1 > s.ntensors) s.ntensors = map[i] + 1;
    s.ninputs = g->ninputs;
    s.threads = o->threads > 0 ? o->threads : 2;
    if (s.threads > 64) s.threads = 64;
    size_t per = (size_t)(s.ntensors + s.ninputs), cells = (size_t)s.threads * per;
    s.mn = malloc(sizeof *s.mn * cells);
    s.mx = malloc(sizeof *s.mx * cells);
    float *absmax = NULL;
    uint64_t *merged = NULL;
    int32_t *chans = calloc(per, sizeof *chans);
    size_t *choff = calloc(per, sizeof *choff);
    if (!s.mn || !s.mx || !chans || !choff) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); goto done; }
    /* Element-wise means over the samples of every float activation (one sample's worth
     * each), for bias correction. */
    for (int32_t i = 0; i < g->nt; i++) {
        const struct tflc_ir_tensor *t = &g->t[i];
        size_t e = tflc_ir_numel(t);
        if (map[i] < 0 || t->data || t->dtype != TFLC_DTYPE_FLOAT32 || e < 1 || e > (1u << 24)) continue;
        chans[map[i]] = (int32_t)e;
    }
    for (int i = 0; i < g->ninputs; i++) {
        size_t e = tflc_ir_numel(&g->t[g->inputs[i]]);
        if (e >= 1 && e <= (1u << 24)) chans[s.ntensors + i] = (int32_t)e;
    }
    for (size_t k = 0; k < per; k++) { choff[k] = s.chtotal; s.chtotal += (size_t)chans[k]; }
    s.chans = chans;
    s.choff = choff;
    s.chsum = calloc((size_t)s.threads * s.chtotal + 1, sizeof *s.chsum);
    s.chcount = calloc(cells, sizeof *s.chcount);
    if (!s.chsum || !s.chcount) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); goto done; }
    for (size_t i = 0; i < cells; i++) { s.mn[i] = INFINITY; s.mx[i] = -INFINITY; }
    struct tflc_quant_run r = {data, size, o->calib, o->ncalib, samples, s.threads, visit_minmax, &s, o->progress, o->progress_ud};
    if ((st = tflc_quant_run_model(&r, diag))) goto done;
    for (int t = 1; t < s.threads; t++)
        for (size_t k = 0; k < per; k++) {
            if (s.mn[(size_t)t * per + k] < s.mn[k]) s.mn[k] = s.mn[(size_t)t * per + k];
            if (s.mx[(size_t)t * per + k] > s.mx[k]) s.mx[k] = s.mx[(size_t)t * per + k];
            s.chcount[k] += s.chcount[(size_t)t * per + k];
        }
    for (int t = 1; t < s.threads; t++)
        for (size_t c = 0; c < s.chtotal; c++) s.chsum[c] += s.chsum[(size_t)t * s.chtotal + c];
    if (o->calib_method != TFLC_CALIB_MINMAX) {
        absmax = calloc(per, sizeof *absmax);
        s.hist = calloc(cells * BINS, sizeof *s.hist);
        merged = calloc(BINS, sizeof *merged);
        if (!absmax || !s.hist || !merged) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory for calibration histograms"); goto done; }
        for (size_t k = 0; k < per; k++) absmax[k] = s.mn[k] <= s.mx[k] ? fmaxf(fabsf(s.mn[k]), fabsf(s.mx[k])) : 0;
        s.absmax = absmax;
        r.visit = visit_hist;
        r.progress = NULL;
        if ((st = tflc_quant_run_model(&r, diag))) goto done;
        for (size_t k = 0; k < per; k++) {
            if (!(absmax[k] > 0)) continue;
            memset(merged, 0, sizeof *merged * BINS);
            for (int t = 0; t < s.threads; t++)
                for (int bi = 0; bi < BINS; bi++) merged[bi] += s.hist[((size_t)t * per + k) * BINS + (size_t)bi];
            if (o->calib_method == TFLC_CALIB_PERCENTILE) clip_percentile(merged, absmax[k], o->percentile > 0 ? o->percentile : 99.99, &s.mn[k], &s.mx[k]);
            else clip_mse(merged, absmax[k], &s.mn[k], &s.mx[k]);
        }
    }
    for (int32_t i = 0; i < g->nt; i++) {
        int k = map[i];
        if (k < 0 || !(s.mn[k] <= s.mx[k])) continue;
        ranges[i] = (struct tflc_qrange){s.mn[k], s.mx[k], true, 0, NULL};
        if ((st = set_mean(&ranges[i], &s, (size_t)k, diag))) goto done;
    }
    /* Graph inputs were recorded from the samples themselves. */
    for (int i = 0; i < g->ninputs; i++) {
        size_t k = (size_t)s.ntensors + (size_t)i;
        struct tflc_qrange *in = &ranges[g->inputs[i]];
        if (!(s.mn[k] <= s.mx[k])) continue;
        free(in->mean);
        *in = (struct tflc_qrange){s.mn[k], s.mx[k], true, 0, NULL};
        if ((st = set_mean(in, &s, k, diag))) goto done;
    }
done:
    free(chans);
    free(choff);
    free(s.chsum);
    free(s.chcount);
    free(s.mn);
    free(s.mx);
    free(s.hist);
    free(absmax);
    free(merged);
    free(map);
    tflc_tflb_destroy(b);
    return st;
}
