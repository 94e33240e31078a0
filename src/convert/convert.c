/* Converter driver: read (Keras frontend or .tflite import) -> IR -> optimize (ir/passes)
 * -> quantize (quant/, optional) -> export. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/fp16.h"
#include "export/lower_tflite.h"
#include "format/tflite_model.h"
#include "frontend/keras.h"
#include "frontend/keras_graph.h"
#include "frontend/keras_internal.h"
#include "frontend/tflite_import.h"
#include "ir/pass.h"
#include "quant/quant.h"
#include "tflc/convert.h"
#include "tflc/tflc.h"

void tflc_bytes_free(struct tflc_bytes *b) {
    if (!b) return;
    free(b->data);
    b->data = NULL;
    b->size = 0;
}

struct tflc_convert_options tflc_convert_options_default(void) {
    struct tflc_convert_options o;
    memset(&o, 0, sizeof o);
    o.quant = TFLC_QUANT_NONE;
    o.input_type = TFLC_DTYPE_FLOAT32;
    o.output_type = TFLC_DTYPE_FLOAT32;
    o.calib_samples = 100;
    o.calib_method = TFLC_CALIB_MINMAX;
    o.percentile = 99.99;
    o.threads = 2;
    o.weight_rounding = TFLC_WEIGHT_ROUNDING_AUTO;
    return o;
}

static enum tflc_status check_options(const struct tflc_convert_options *o, struct tflc_diag *diag) {
    if ((unsigned)o->quant >= TFLC_QUANT_COUNT) return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "unknown quantization mode");
    if ((unsigned)o->weight_rounding >= TFLC_WEIGHT_ROUNDING_COUNT)
        return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "unknown weight rounding");
    bool full = o->quant == TFLC_QUANT_INT8 || o->quant == TFLC_QUANT_INT16X8;
    const enum tflc_dtype io[2] = {o->input_type, o->output_type};
    for (int i = 0; i < 2; i++) {
        enum tflc_dtype t = io[i];
        if (t == TFLC_DTYPE_FLOAT32) continue;
        if (o->quant == TFLC_QUANT_INT8 && (t == TFLC_DTYPE_INT8 || t == TFLC_DTYPE_UINT8)) continue;
        if (o->quant == TFLC_QUANT_INT16X8 && t == TFLC_DTYPE_INT16) continue;
        return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "%s type %s needs %s", i ? "output" : "input", tflc_dtype_name(t),
                             t == TFLC_DTYPE_INT16 ? "--quantize int16x8" : "--quantize int8");
    }
    if (full && (!o->calib || o->ncalib < 1))
        return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "full-integer quantization needs calibration data (--calibration)");
    if (!full && o->ncalib) return tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "calibration data is only used by int8 / int16x8");
    return TFLC_STATUS_OK;
}

/* Loads the model (Keras or .tflite) as an optimized float IR graph. */
static enum tflc_status load_ir(const char *path, struct tflc_ir_graph *g, struct tflc_kmodel *m, bool *have_m,
                                struct tflc_convert_report *rep, struct tflc_diag *diag) {
    struct tflc_keras_limits lim = tflc_keras_limits_default();
    *have_m = false;
    size_t len;
    void *buf = tflc_kio_read(path, lim.max_file_bytes, &len, diag);
    if (!buf) return diag ? diag->status : TFLC_STATUS_IO;
    enum tflc_status st;
    if (len >= 8 && memcmp((const char *)buf + 4, "TFL3", 4) == 0) {
        snprintf(rep->format, sizeof rep->format, "tflite");
        size_t ss = TFLC_TFL_VERIFY_SCRATCH(len);
        void *scratch = malloc(ss);
        st = scratch ? tflc_tfl_verify(buf, len, NULL, scratch, ss, diag) : tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
        free(scratch);
        if (!st) st = tflc_tflite_import(buf, len, g, diag);
        free(buf);
        if (!st) {
            for (int32_t i = 0; i < g->nt; i++)
                if (g->t[i].q.count && g->t[i].dtype != TFLC_DTYPE_FLOAT32) {
                    /* already quantized: only re-export as is */
                    break;
                }
        }
        return st;
    }
    free(buf);
    st = tflc_keras_load(path, &lim, m, diag);
    if (st) return st;
    *have_m = true;
    snprintf(rep->format, sizeof rep->format, "%s", m->format ? m->format : "");
    snprintf(rep->keras_version, sizeof rep->keras_version, "%s", m->keras_version ? m->keras_version : "");
    st = tflc_keras_to_ir(m, &lim, g, diag);
    if (!st) {
        for (int32_t k = 0; k < g->nn; k++) {
            bool seen = false;
            for (int32_t j = 0; j < k && !seen; j++) seen = !strcmp(g->n[j].name, g->n[k].name);
            if (!seen) rep->layers++;
        }
    }
    return st;
}

/* A float16 constant feeding DEQUANTIZE (how fp16-weight models store weights) becomes a
 * float32 constant again, so an imported float16 model quantizes like a float one. */
static void fold_fp16_dequantize(struct tflc_ir_graph *g);

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool has_quantized_tensors(const struct tflc_ir_graph *g) {
    for (int32_t i = 0; i < g->nt; i++)
        if ((g->t[i].dtype == TFLC_DTYPE_INT8 || g->t[i].dtype == TFLC_DTYPE_UINT8 || g->t[i].dtype == TFLC_DTYPE_INT16) &&
            g->t[i].q.count && !g->t[i].data)
            return true;
    return false;
}

/* The graph exported to malloc'd bytes. */
static enum tflc_status export_bytes(struct tflc_ir_graph *g, void **data, size_t *size, struct tflc_diag *diag) {
    struct tflc_tflb *b = NULL;
    const uint8_t *d;
    size_t n;
    *data = NULL;
    enum tflc_status st = tflc_export_tflite(g, "probe", &b, &d, &n, NULL, NULL, diag);
    if (!st && !(*data = malloc(n))) st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    if (!st) {
        memcpy(*data, d, n);
        *size = n;
    }
    tflc_tflb_destroy(b);
    return st;
}

static bool is_weighted(int32_t op) {
    return op == TFLC_TFL_BUILTIN_OPERATOR_CONV_2D || op == TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D ||
           op == TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED || op == TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE_CONV;
}

#define AUTO_FLOAT_MAX 3
#define AUTO_FLOAT_NAMES 64

/* Automatic float fallback (tflc_convert_report.auto_float): when the quantized graph `g`'s
 * output SQNR against the float model (fdata) on the calibration samples is under the target,
 * re-quantize the model with its tail kept in float — every layer from the last, 2nd last or
 * 3rd last weighted layer to the output — and keep the best result if it gains 3 dB or more. Each attempt reloads the float graph from `path` (same
 * tensor ids, so the calibrated ranges apply). Attempts that fail leave `g` as it is. */
static enum tflc_status keep_float_where_it_helps(const char *path, struct tflc_ir_graph *g, struct tflc_kmodel *extra_m,
                                                 bool *have_extra_m, const struct tflc_convert_options *o,
                                                 const struct tflc_qrange *ranges, int32_t nt_ranges,
                                                 const struct tflc_quant_gptq_plan *plan,
                                                 const uint8_t *fdata, size_t fsize, struct tflc_convert_report *rep,
                                                 struct tflc_diag *diag) {
    void *q;
    size_t qn;
    double base;
    enum tflc_status st = export_bytes(g, &q, &qn, diag);
    if (!st) st = tflc_quant_output_sqnr(fdata, fsize, q, qn, o, 32, &base, diag);
    free(q);
    const double target = o->quant == TFLC_QUANT_INT8 ? 12.0 : 40.0;
    if (st || !isfinite(base) || base >= target) return st;
    rep->auto_float_sqnr_before = base;
    /* Where the tails start: the last weighted ops (not already float), from the output back.
     * Attempt k keeps every layer from the k-th of them to the output in float, so the
     * activations feeding those layers stay float too. */
    int32_t start[AUTO_FLOAT_MAX];
    int nc = 0;
    for (int32_t k = g->nn - 1; k >= 0 && nc < AUTO_FLOAT_MAX; k--) {
        const struct tflc_ir_node *n = &g->n[k];
        if (n->dead || !is_weighted(n->op) || !n->name) continue;
        if (n->nin > 0 && n->in[0] >= 0 && g->t[n->in[0]].dtype == TFLC_DTYPE_FLOAT32) continue;
        if (nc && !strcmp(g->n[start[nc - 1]].name, n->name)) continue;
        start[nc++] = k;
    }
    struct tflc_ir_graph best;
    struct tflc_kmodel best_m;
    bool have_best = false, have_best_m = false;
    double best_sq = base;
    int best_fops = 0, best_names = 0, best_gptq = 0;
    char best_list[sizeof rep->auto_float];
    size_t best_at = 0;
    char best_fb[sizeof rep->float_fallback] = "";
    for (int k = 1; k <= nc && best_sq < target; k++) {
        struct tflc_diag d2;
        memset(&d2, 0, sizeof d2);
        const char *names[AUTO_FLOAT_NAMES];
        int nn = 0, nuser = 0;
        for (int i = 0; i < o->nfloat_layers && nn < AUTO_FLOAT_NAMES; i++) names[nn++] = o->float_layers[i];
        nuser = nn;
        for (int32_t j = start[k - 1]; j < g->nn && nn < AUTO_FLOAT_NAMES; j++) {
            const char *nm = g->n[j].name;
            bool seen = g->n[j].dead || !nm;
            for (int i = 0; i < nn && !seen; i++) seen = !strcmp(names[i], nm);
            if (!seen) names[nn++] = nm;
        }
        struct tflc_convert_options o2 = *o;
        o2.float_layers = names;
        o2.nfloat_layers = nn;
        struct tflc_keras_limits lim = tflc_keras_limits_default();
        struct tflc_ir_graph g2;
        tflc_ir_init(&g2, lim.max_total_bytes, &d2);
        struct tflc_kmodel m2;
        bool have_m2 = false;
        struct tflc_convert_report r2;
        memset(&r2, 0, sizeof r2);
        int fops = 0, gptq = 0;
        char fb[sizeof rep->float_fallback] = "";
        double sq = NAN;
        enum tflc_status s2 = load_ir(path, &g2, &m2, &have_m2, &r2, &d2);
        if (!s2) {
            fold_fp16_dequantize(&g2);
            s2 = tflc_ir_optimize(&g2);
        }
        if (!s2 && g2.nt != nt_ranges) s2 = TFLC_STATUS_INTERNAL;
        if (!s2) s2 = tflc_quant_full(&g2, &o2, ranges, plan, &gptq, &fops, fb, sizeof fb, &d2);
        if (!s2) s2 = export_bytes(&g2, &q, &qn, &d2);
        if (!s2) {
            s2 = tflc_quant_output_sqnr(fdata, fsize, q, qn, o, 32, &sq, &d2);
            free(q);
        }
        if (!s2 && isfinite(sq) && sq > best_sq + 0.5) {
            best_names = 0;
            best_at = 0;
            best_list[0] = 0;
            for (int i = nuser; i < nn; i++)
                best_at += (size_t)snprintf(best_list + best_at, best_at < sizeof best_list ? sizeof best_list - best_at : 0,
                                            "%s%s", best_names++ ? "," : "", names[i]);
            if (have_best) tflc_ir_free(&best);
            if (have_best_m) tflc_keras_free(&best_m);
            best = g2;
            best_m = m2;
            have_best = true;
            have_best_m = have_m2;
            best_sq = sq;
            best_fops = fops;
            best_gptq = gptq;
            snprintf(best_fb, sizeof best_fb, "%s", fb);
        } else {
            tflc_ir_free(&g2);
            if (have_m2) tflc_keras_free(&m2);
        }
    }
    if (have_best && best_sq >= base + 3.0) {
        tflc_ir_free(g);
        *g = best;
        g->arena.diag = diag;
        g->diag = diag;
        *extra_m = best_m;
        *have_extra_m = have_best_m;
        rep->auto_float_sqnr_after = best_sq;
        rep->float_fallback_ops = best_fops;
        rep->gptq_layers = best_gptq;
        snprintf(rep->float_fallback, sizeof rep->float_fallback, "%s", best_fb);
        snprintf(rep->auto_float, sizeof rep->auto_float, "%s", best_list);
    } else {
        if (have_best) tflc_ir_free(&best);
        if (have_best_m) tflc_keras_free(&best_m);
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_convert_file(const char *path, const struct tflc_convert_options *opt, struct tflc_bytes *out,
                                   struct tflc_convert_report *report, struct tflc_diag *diag) {
    struct tflc_convert_options o = opt ? *opt : tflc_convert_options_default();
    memset(out, 0, sizeof *out);
    struct tflc_convert_report rep;
    memset(&rep, 0, sizeof rep);
    enum tflc_status st = check_options(&o, diag);
    if (st) return st;
    struct tflc_keras_limits lim = tflc_keras_limits_default();
    struct tflc_kmodel m;
    bool have_m = false;
    struct tflc_ir_graph g;
    tflc_ir_init(&g, lim.max_total_bytes, diag);
    struct tflc_qrange *ranges = NULL;
    int32_t nt_ranges = 0;
    struct tflc_quant_gptq_plan plan = {0, NULL};
    struct tflc_kmodel extra_m; /* the Keras model behind a graph swapped in by keep_float_where_it_helps */
    bool have_extra_m = false;
    rep.auto_float_sqnr_before = rep.auto_float_sqnr_after = NAN;
    struct tflc_tflb *b = NULL, *fb = NULL;
    st = load_ir(path, &g, &m, &have_m, &rep, diag);
    if (!st) {
        fold_fp16_dequantize(&g);
        st = tflc_ir_optimize(&g);
    }
    if (!st && o.quant != TFLC_QUANT_NONE && has_quantized_tensors(&g))
        st = tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "the model is already quantized; give a float model to --quantize");
    if (!st) {
        switch (o.quant) {
        case TFLC_QUANT_FLOAT16: st = tflc_quant_float16(&g, diag); break;
        case TFLC_QUANT_DYNAMIC: st = tflc_quant_dynamic(&g, &o, diag); break;
        case TFLC_QUANT_INT8:
        case TFLC_QUANT_INT16X8: {
            ranges = calloc((size_t)(g.nt ? g.nt : 1), sizeof *ranges);
            nt_ranges = g.nt;
            if (!ranges) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); break; }
            st = tflc_quant_calibrate(&g, &o, ranges, diag);
            struct tflc_ir_graph *fg = NULL;
            if (!st && o.want_report) {
                /* Keep the float graph for the report: export it now, before the rewrite. */
                fg = &g; /* report re-exports from a copy below */
            }
            (void)fg;
            int32_t nt_float = g.nt;
            const uint8_t *fdata = NULL;
            size_t fsize = 0;
            int32_t *fmap = NULL;
            const bool auto_float = !o.int8_only && !o.no_auto_float;
            if (!st && (o.want_report || auto_float))
                st = tflc_export_tflite(&g, "float", &fb, &fdata, &fsize, NULL, &fmap, diag);
            const bool gptq = o.weight_rounding == TFLC_WEIGHT_ROUNDING_GPTQ ||
                              (o.weight_rounding == TFLC_WEIGHT_ROUNDING_AUTO && o.quant == TFLC_QUANT_INT16X8);
            if (!st && gptq) {
                double t0 = now_ms();
                st = tflc_quant_gptq_plan_make(&g, &o, &plan, diag);
                rep.gptq_ms = now_ms() - t0;
            }
            if (!st) {
                double t0 = now_ms();
                st = tflc_quant_full(&g, &o, ranges, &plan, &rep.gptq_layers, &rep.float_fallback_ops, rep.float_fallback,
                                     sizeof rep.float_fallback, diag);
                if (plan.n) rep.gptq_ms += now_ms() - t0;
            }
            if (!st && auto_float)
                st = keep_float_where_it_helps(path, &g, &extra_m, &have_extra_m, &o, ranges, nt_ranges, &plan, fdata, fsize,
                                               &rep, diag);
            if (!st && o.want_report) {
                const uint8_t *qdata;
                size_t qsize;
                int32_t *qmap = NULL;
                struct tflc_tflb *qb = NULL;
                st = tflc_export_tflite(&g, "quantized", &qb, &qdata, &qsize, NULL, &qmap, diag);
                if (!st) st = tflc_quant_report(&g, nt_float, fdata, fsize, fmap, qdata, qsize, qmap, &o, ranges,
                                                &rep.report_json, &rep.report_html, diag);
                free(qmap);
                tflc_tflb_destroy(qb);
            }
            free(fmap);
            break;
        }
        default: break;
        }
    }
    if (!st) {
        const uint8_t *data;
        size_t size;
        struct tflc_export_stats es;
        char desc[64];
        snprintf(desc, sizeof desc, "tflc %s converted", TFLC_VERSION_STRING);
        st = tflc_export_tflite(&g, desc, &b, &data, &size, &es, NULL, diag);
        if (!st) {
            out->data = malloc(size);
            if (!out->data) st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
            else {
                memcpy(out->data, data, size);
                out->size = size;
                rep.ops = es.ops;
                rep.tensors = es.tensors;
                rep.constant_bytes = es.constant_bytes;
                rep.output_bytes = size;
                snprintf(rep.min_runtime, sizeof rep.min_runtime, "%s", es.min_runtime);
            }
        }
    }
    tflc_quant_ranges_free(ranges, nt_ranges);
    tflc_quant_gptq_plan_free(&plan);
    tflc_tflb_destroy(b);
    tflc_tflb_destroy(fb);
    tflc_ir_free(&g);
    if (have_m) tflc_keras_free(&m);
    if (have_extra_m) tflc_keras_free(&extra_m);
    if (st) { tflc_bytes_free(&rep.report_json); tflc_bytes_free(&rep.report_html); }
    if (report) *report = rep;
    else { tflc_bytes_free(&rep.report_json); tflc_bytes_free(&rep.report_html); }
    return st;
}

static void fold_fp16_dequantize(struct tflc_ir_graph *g) {
    for (int32_t k = 0; k < g->nn; k++) {
        struct tflc_ir_node *n = &g->n[k];
        if (n->dead || n->op != TFLC_TFL_BUILTIN_OPERATOR_DEQUANTIZE || n->nin != 1 || n->nout != 1) continue;
        int32_t x = n->in[0], y = n->out[0];
        if (x < 0 || y < 0 || !g->t[x].data || g->t[x].dtype != TFLC_DTYPE_FLOAT16 || tflc_ir_is_output(g, y)) continue;
        size_t cnt = tflc_ir_numel(&g->t[x]);
        float *f = tflc_arena_array(&g->arena, cnt ? cnt : 1, sizeof *f, "dequantized weights");
        if (!f) return;
        const uint16_t *h = g->t[x].data;
        for (size_t i = 0; i < cnt; i++) f[i] = tflc_f16_to_f32(h[i]);
        g->t[y].data = f;
        g->t[y].bytes = cnt * sizeof *f;
        g->t[y].dynamic_batch = false;
        n->dead = true;
    }
    tflc_ir_refresh(g);
}

enum tflc_status tflc_convert_inputs(const char *path, int max, int *n, int *ranks, int32_t (*dims)[TFLC_MAX_DIMS],
                                     enum tflc_dtype *dtypes, struct tflc_diag *diag) {
    struct tflc_keras_limits lim = tflc_keras_limits_default();
    struct tflc_kmodel m;
    bool have_m = false;
    struct tflc_ir_graph g;
    struct tflc_convert_report rep;
    memset(&rep, 0, sizeof rep);
    tflc_ir_init(&g, lim.max_total_bytes, diag);
    enum tflc_status st = load_ir(path, &g, &m, &have_m, &rep, diag);
    if (!st) {
        *n = g.ninputs;
        for (int i = 0; i < g.ninputs && i < max; i++) {
            const struct tflc_ir_tensor *t = &g.t[g.inputs[i]];
            ranks[i] = t->rank;
            memcpy(dims[i], t->dims, sizeof dims[i]);
            dtypes[i] = t->dtype;
        }
    }
    tflc_ir_free(&g);
    if (have_m) tflc_keras_free(&m);
    return st;
}
