/* Quantization report (see quant.h): for every tensor the float model computes, its
 * calibrated range, chosen scale / zero point, and the error the quantized model makes on it
 * (SQNR in dB and cosine similarity, over the report samples). The HTML page plots SQNR along
 * the graph, so the layer where error enters stands out. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_schema.h"
#include "quant/quant.h"

#define REPORT_SAMPLES 32

struct acc {
    double sig, noise, dot, fq, qq; /* sum f^2, sum (f - q)^2, sum f q, sum q^2 */
    bool have;
};

struct rstate {
    int32_t nf;            /* exported float tensors */
    float **fval;          /* per float-model tensor index: values of the current sample */
    size_t *fcount;
    int32_t *q2f;          /* quantized-model tensor index -> float-model tensor index (-1) */
    struct acc *acc;       /* per float-model tensor index */
    bool capture;          /* float pass: store; quantized pass: compare */
    int oom;
};

static float dequant(const struct tflc_tensor *t, size_t i) {
    float s = t->quant.scale;
    int32_t z = t->quant.zero_point;
    switch (t->dtype) {
    case TFLC_DTYPE_FLOAT32: return ((const float *)t->data)[i];
    case TFLC_DTYPE_INT8: return s * (float)(((const int8_t *)t->data)[i] - z);
    case TFLC_DTYPE_UINT8: return s * (float)(((const uint8_t *)t->data)[i] - z);
    case TFLC_DTYPE_INT16: return s * (float)(((const int16_t *)t->data)[i] - z);
    default: return NAN;
    }
}

static void visit(void *ud, int thread, size_t sample, int ti, const struct tflc_tensor *t) {
    (void)thread;
    (void)sample;
    struct rstate *s = ud;
    if (ti < 0) return;
    size_t n = tflc_tensor_elements(t);
    if (s->capture) {
        if (ti >= s->nf || t->dtype != TFLC_DTYPE_FLOAT32) return;
        if (!s->fval[ti]) {
            s->fval[ti] = malloc(sizeof(float) * (n ? n : 1));
            if (!s->fval[ti]) { s->oom = 1; return; }
        }
        memcpy(s->fval[ti], t->data, sizeof(float) * n);
        s->fcount[ti] = n;
        return;
    }
    int32_t fi = s->q2f[ti];
    if (fi < 0 || !s->fval[fi] || s->fcount[fi] != n) return;
    if (t->dtype != TFLC_DTYPE_FLOAT32 && !t->quant.num_scales) return;
    struct acc *a = &s->acc[fi];
    const float *f = s->fval[fi];
    for (size_t i = 0; i < n; i++) {
        double x = f[i], q = dequant(t, i);
        a->sig += x * x;
        a->noise += (x - q) * (x - q);
        a->dot += x * q;
        a->fq += x * x;
        a->qq += q * q;
    }
    a->have = true;
}

struct sb { char *p; size_t n, cap; int oom; };
static void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sb *b, const char *fmt, ...) {
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int w = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (w < 0) { b->oom = 1; return; }
        if (b->p && b->n + (size_t)w < b->cap) { b->n += (size_t)w; return; }
        size_t nc = (b->cap ? b->cap * 2 : 4096) + (size_t)w;
        char *np = realloc(b->p, nc);
        if (!np) { b->oom = 1; return; }
        b->p = np;
        b->cap = nc;
    }
}

static void sb_escape(struct sb *b, const char *s, bool html) {
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (html && (c == '<' || c == '>' || c == '&')) sb_printf(b, "&#%d;", c);
        else if (!html && (c == '"' || c == '\\')) sb_printf(b, "\\%c", c);
        else if (c < 0x20) sb_printf(b, html ? " " : "\\u%04x", c);
        else sb_printf(b, "%c", c);
    }
}

struct row {
    int32_t t;           /* IR id */
    const char *layer, *op;
    double sqnr, cos;
    bool have;
};

enum tflc_status tflc_quant_report(const struct tflc_ir_graph *qg, int32_t nt_float, const uint8_t *fdata, size_t fsize,
                                   const int32_t *fmap, const uint8_t *qdata, size_t qsize, const int32_t *qmap,
                                   const struct tflc_convert_options *o, const struct tflc_qrange *ranges,
                                   struct tflc_bytes *json, struct tflc_bytes *html, struct tflc_diag *diag) {
    struct rstate s;
    memset(&s, 0, sizeof s);
    int32_t nq = 0;
    for (int32_t i = 0; i < nt_float; i++) if (fmap[i] + 1 > s.nf) s.nf = fmap[i] + 1;
    for (int32_t i = 0; i < qg->nt; i++) if (qmap[i] + 1 > nq) nq = qmap[i] + 1;
    s.fval = calloc((size_t)(s.nf ? s.nf : 1), sizeof *s.fval);
    s.fcount = calloc((size_t)(s.nf ? s.nf : 1), sizeof *s.fcount);
    s.acc = calloc((size_t)(s.nf ? s.nf : 1), sizeof *s.acc);
    s.q2f = malloc(sizeof *s.q2f * (size_t)(nq ? nq : 1));
    struct row *rows = calloc((size_t)(nt_float ? nt_float : 1), sizeof *rows);
    enum tflc_status st = TFLC_STATUS_OK;
    if (!s.fval || !s.fcount || !s.acc || !s.q2f || !rows) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); goto out; }
    for (int32_t i = 0; i < nq; i++) s.q2f[i] = -1;
    for (int32_t i = 0; i < nt_float && i < qg->nt; i++)
        if (qmap[i] >= 0 && fmap[i] >= 0) s.q2f[qmap[i]] = fmap[i];
    size_t samples = o->calib_samples ? o->calib_samples : 100;
    for (int i = 0; i < o->ncalib; i++) if (o->calib[i].samples < samples) samples = o->calib[i].samples;
    if (samples > REPORT_SAMPLES) samples = REPORT_SAMPLES;
    struct tflc_calib_input one[64];
    if (o->ncalib > 64) { st = tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "too many inputs"); goto out; }
    for (size_t smp = 0; smp < samples && !st; smp++) {
        for (int i = 0; i < o->ncalib; i++) {
            one[i] = o->calib[i];
            one[i].data = o->calib[i].data + smp * o->calib[i].elements;
            one[i].samples = 1;
        }
        struct tflc_quant_run r = {fdata, fsize, one, o->ncalib, 1, 1, visit, &s, NULL, NULL};
        s.capture = true;
        if ((st = tflc_quant_run_model(&r, diag))) break;
        r.model = qdata;
        r.len = qsize;
        s.capture = false;
        if ((st = tflc_quant_run_model(&r, diag))) break;
        if (s.oom) st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    }
    if (st) goto out;
    /* Rows in graph order: tensors as their producing nodes appear. */
    int32_t nr = 0;
    for (int32_t k = 0; k < qg->nn; k++) {
        const struct tflc_ir_node *n = &qg->n[k];
        if (n->dead) continue;
        for (int i = 0; i < n->nout; i++) {
            int32_t t = n->out[i];
            if (t < 0 || t >= nt_float || fmap[t] < 0) continue;
            const struct acc *a = &s.acc[fmap[t]];
            struct row *rw = &rows[nr++];
            rw->t = t;
            rw->layer = n->name;
            rw->op = tflc_tfl_enum_name(TFLC_TFL_E_BUILTIN_OPERATOR, n->op);
            rw->have = a->have;
            rw->sqnr = a->noise > 0 ? 10 * log10(a->sig / a->noise) : 99.0;
            if (a->sig == 0 && a->noise > 0) rw->sqnr = -99.0;
            rw->cos = a->fq > 0 && a->qq > 0 ? a->dot / sqrt(a->fq * a->qq) : (a->fq == a->qq ? 1.0 : 0.0);
        }
    }
    /* The culprit: the row whose SQNR drops most below the best SQNR of the rows before it. */
    int32_t culprit = -1;
    double best = 99, worst_drop = 0;
    for (int32_t i = 0; i < nr; i++) {
        if (!rows[i].have) continue;
        double drop = best - rows[i].sqnr;
        if (drop > worst_drop) { worst_drop = drop; culprit = i; }
        if (rows[i].sqnr > best || i == 0) best = rows[i].sqnr < 99 ? rows[i].sqnr : best;
    }
    struct sb j = {0}, h = {0};
    const char *mode = o->quant == TFLC_QUANT_INT16X8 ? "int16x8" : "int8";
    const bool gptq = o->weight_rounding == TFLC_WEIGHT_ROUNDING_GPTQ ||
                      (o->weight_rounding == TFLC_WEIGHT_ROUNDING_AUTO && o->quant == TFLC_QUANT_INT16X8);
    sb_printf(&j, "{\"mode\":\"%s\",\"weight_rounding\":\"%s\",\"report_samples\":%zu,\"culprit\":%d,\"tensors\":[", mode,
              gptq ? "gptq" : "nearest", samples, culprit);
    for (int32_t i = 0; i < nr; i++) {
        const struct row *rw = &rows[i];
        const struct tflc_ir_tensor *t = &qg->t[rw->t];
        sb_printf(&j, "%s{\"name\":\"", i ? "," : "");
        sb_escape(&j, t->name, false);
        sb_printf(&j, "\",\"layer\":\"");
        sb_escape(&j, rw->layer, false);
        sb_printf(&j, "\",\"op\":\"%s\",\"dtype\":\"%s\",\"float_min\":%.9g,\"float_max\":%.9g", rw->op ? rw->op : "?",
                  tflc_dtype_name(t->dtype), ranges[rw->t].seen ? ranges[rw->t].min : 0.0, ranges[rw->t].seen ? ranges[rw->t].max : 0.0);
        if (t->q.count) sb_printf(&j, ",\"scale\":%.9g,\"zero_point\":%lld", t->q.scale[0], (long long)t->q.zero_point[0]);
        if (rw->have) sb_printf(&j, ",\"sqnr_db\":%.3f,\"cosine\":%.6f", rw->sqnr, rw->cos);
        sb_printf(&j, "}");
    }
    sb_printf(&j, "]}\n");

    sb_printf(&h, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>tflc quantization report</title>"
                  "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;"
                  "border-bottom:1px solid #ddd;text-align:right}td.l{text-align:left}tr.bad{background:#fdd}</style></head><body>");
    sb_printf(&h, "<h1>Quantization report (%s)</h1><p>SQNR (signal-to-quantization-noise ratio, dB; higher is better) and "
                  "cosine similarity of each tensor of the quantized model against the float model, over %zu calibration "
                  "samples. Weights rounded %s.", mode, samples, gptq ? "with GPTQ" : "to nearest");
    if (culprit >= 0) {
        sb_printf(&h, " Largest drop: <b>");
        sb_escape(&h, rows[culprit].layer, true);
        sb_printf(&h, "</b> (%s, %.1f dB below the best before it).", rows[culprit].op ? rows[culprit].op : "?", worst_drop);
    }
    sb_printf(&h, "</p>");
    /* SVG: SQNR per tensor in graph order. */
    int W = 900, H = 260, pad = 40;
    double lo = 0, hi = 60;
    for (int32_t i = 0; i < nr; i++)
        if (rows[i].have && rows[i].sqnr < 99) { if (rows[i].sqnr < lo) lo = rows[i].sqnr; if (rows[i].sqnr > hi) hi = rows[i].sqnr; }
    sb_printf(&h, "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>", W, H);
    for (int v = (int)lo; v <= (int)hi; v += 10) {
        double y = H - pad - (v - lo) / (hi - lo) * (H - 2 * pad);
        sb_printf(&h, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"4\" y=\"%.1f\" font-size=\"10\">%d dB</text>", pad, y, W - 10, y, y + 3, v);
    }
    double px = -1, py = -1;
    for (int32_t i = 0; i < nr; i++) {
        if (!rows[i].have) continue;
        double v = rows[i].sqnr >= 99 ? hi : rows[i].sqnr;
        double x = pad + (nr > 1 ? (double)i / (nr - 1) : 0.5) * (W - pad - 10);
        double y = H - pad - (v - lo) / (hi - lo) * (H - 2 * pad);
        if (px >= 0) sb_printf(&h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#36c\"/>", px, py, x, y);
        sb_printf(&h, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"><title>", x, y, i == culprit ? 5 : 2, i == culprit ? "#c00" : "#36c");
        sb_escape(&h, rows[i].layer, true);
        sb_printf(&h, ": %.1f dB</title></circle>", rows[i].sqnr);
        px = x;
        py = y;
    }
    sb_printf(&h, "<text x=\"%d\" y=\"%d\" font-size=\"11\">graph order &#8594;</text></svg>", W / 2, H - 8);
    sb_printf(&h, "<table><tr><th class=\"l\">layer</th><th class=\"l\">op</th><th class=\"l\">tensor</th><th>float min</th>"
                  "<th>float max</th><th>scale</th><th>zero point</th><th>SQNR dB</th><th>cosine</th></tr>");
    for (int32_t i = 0; i < nr; i++) {
        const struct row *rw = &rows[i];
        const struct tflc_ir_tensor *t = &qg->t[rw->t];
        sb_printf(&h, "<tr%s><td class=\"l\">", i == culprit ? " class=\"bad\"" : "");
        sb_escape(&h, rw->layer, true);
        sb_printf(&h, "</td><td class=\"l\">%s</td><td class=\"l\">", rw->op ? rw->op : "?");
        sb_escape(&h, t->name, true);
        sb_printf(&h, "</td><td>%.4g</td><td>%.4g</td>", ranges[rw->t].min, ranges[rw->t].max);
        if (t->q.count) sb_printf(&h, "<td>%.4g</td><td>%lld</td>", t->q.scale[0], (long long)t->q.zero_point[0]);
        else sb_printf(&h, "<td>float</td><td></td>");
        if (rw->have) sb_printf(&h, "<td>%.1f</td><td>%.5f</td></tr>", rw->sqnr, rw->cos);
        else sb_printf(&h, "<td></td><td></td></tr>");
    }
    sb_printf(&h, "</table></body></html>\n");
    if (j.oom || h.oom) { free(j.p); free(h.p); st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); goto out; }
    json->data = j.p;
    json->size = j.n;
    html->data = h.p;
    html->size = h.n;
out:
    for (int32_t i = 0; s.fval && i < s.nf; i++) free(s.fval[i]);
    free(s.fval);
    free(s.fcount);
    free(s.acc);
    free(s.q2f);
    free(rows);
    return st;
}
