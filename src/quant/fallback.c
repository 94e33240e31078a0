/* Output fidelity of a quantized model: SQNR of its (dequantized) outputs against the float
 * model's on calibration samples. The converter uses it to keep, automatically, the last
 * weighted layers of a model in float when full-integer quantization wrecks its output
 * (tflc_convert_file; docs/quantization.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_model.h"
#include "quant/quant.h"

#define SQNR_MAX_OUTPUTS 16

struct ostate {
    int nout;
    int32_t out_ti[SQNR_MAX_OUTPUTS];   /* tensor index of each graph output */
    size_t count[SQNR_MAX_OUTPUTS];     /* elements per sample */
    float *fval[SQNR_MAX_OUTPUTS];      /* [samples * count] float outputs */
    double *sig, *noise;                /* [samples] per-sample sums (threads write disjoint samples) */
    bool capture;
    bool oom, mismatch;
};

static int slot_of(const struct ostate *s, int ti) {
    for (int i = 0; i < s->nout; i++)
        if (s->out_ti[i] == ti) return i;
    return -1;
}

static double deq(const struct tflc_tensor *t, size_t i) {
    const double sc = t->quant.scale, z = t->quant.zero_point;
    switch (t->dtype) {
    case TFLC_DTYPE_FLOAT32: return ((const float *)t->data)[i];
    case TFLC_DTYPE_INT8: return sc * (((const int8_t *)t->data)[i] - z);
    case TFLC_DTYPE_UINT8: return sc * (((const uint8_t *)t->data)[i] - z);
    case TFLC_DTYPE_INT16: return sc * (((const int16_t *)t->data)[i] - z);
    default: return NAN;
    }
}

static void visit(void *ud, int thread, size_t sample, int ti, const struct tflc_tensor *t) {
    (void)thread;
    struct ostate *s = ud;
    int k = ti < 0 ? -1 : slot_of(s, ti);
    if (k < 0) return;
    size_t n = tflc_tensor_elements(t);
    if (s->capture) {
        if (t->dtype != TFLC_DTYPE_FLOAT32) { s->mismatch = true; return; }
        if (!s->count[k]) s->count[k] = n; /* same shape every sample (batch 1 models) */
        if (s->count[k] != n || !s->fval[k]) { s->mismatch = true; return; }
        memcpy(s->fval[k] + sample * n, t->data, n * sizeof(float));
        return;
    }
    if (s->count[k] != n) { s->mismatch = true; return; }
    const float *f = s->fval[k] + sample * n;
    for (size_t i = 0; i < n; i++) {
        double q = deq(t, i), d = (double)f[i] - q;
        s->sig[sample] += (double)f[i] * f[i];
        s->noise[sample] += isfinite(d) ? d * d : 1e30;
    }
}

static bool outputs_of(const void *model, struct ostate *s) {
    struct tflc_fb_table sg = tflc_fb_vec_table(tflc_tfl_model_subgraphs(tflc_tfl_model(model)), 0);
    struct tflc_fb_vec o = tflc_tfl_sub_graph_outputs(sg);
    if (o.len == 0 || o.len > SQNR_MAX_OUTPUTS) return false;
    s->nout = (int)o.len;
    for (uint32_t i = 0; i < o.len; i++) s->out_ti[i] = tflc_fb_vec_i32(o, i);
    return true;
}

enum tflc_status tflc_quant_output_sqnr(const void *fmodel, size_t flen, const void *qmodel, size_t qlen,
                                        const struct tflc_convert_options *o, size_t max_samples, double *sqnr,
                                        struct tflc_diag *diag) {
    *sqnr = NAN;
    size_t samples = o->calib_samples ? o->calib_samples : 100;
    if (o->ncalib > 0 && o->calib[0].samples < samples) samples = o->calib[0].samples;
    for (int i = 1; i < o->ncalib; i++)
        if (o->calib[i].samples < samples) samples = o->calib[i].samples;
    if (samples > max_samples) samples = max_samples;
    if (!samples) return TFLC_STATUS_OK;
    struct ostate s;
    memset(&s, 0, sizeof s);
    struct ostate sq;
    memset(&sq, 0, sizeof sq);
    if (!outputs_of(fmodel, &s) || !outputs_of(qmodel, &sq) || s.nout != sq.nout) return TFLC_STATUS_OK;
    enum tflc_status st = TFLC_STATUS_OK;
    s.sig = calloc(samples, sizeof *s.sig);
    s.noise = calloc(samples, sizeof *s.noise);
    /* Output sizes are known only from a run: a first run of one sample learns them (its
     * capture finds no buffer, which only marks a mismatch that is reset below). */
    struct tflc_quant_run r = {fmodel, flen, o->calib, o->ncalib, 1, 1, visit, &s, NULL, NULL};
    s.capture = true;
    st = tflc_quant_run_model(&r, diag);
    s.mismatch = false;
    if (!st && s.sig && s.noise) {
        for (int k = 0; k < s.nout && !s.oom; k++) {
            s.fval[k] = s.count[k] ? malloc(samples * s.count[k] * sizeof(float)) : NULL;
            if (!s.fval[k]) s.oom = true;
        }
        if (!s.oom) {
            r.samples = samples;
            r.threads = o->threads > 0 ? o->threads : 1;
            r.ud = &s;
            s.capture = true;
            st = tflc_quant_run_model(&r, diag);
            if (!st) {
                memcpy(s.out_ti, sq.out_ti, sizeof s.out_ti); /* the quantized model's output tensors */
                s.capture = false;
                r.model = qmodel;
                r.len = qlen;
                st = tflc_quant_run_model(&r, diag);
            }
            if (!st && !s.mismatch) {
                double sig = 0, noise = 0;
                for (size_t i = 0; i < samples; i++) sig += s.sig[i], noise += s.noise[i];
                *sqnr = noise > 0 ? 10.0 * log10(sig / noise) : 99.0;
            }
        }
    }
    if (!st && (!s.sig || !s.noise || s.oom)) st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    for (int k = 0; k < s.nout; k++) free(s.fval[k]);
    free(s.sig);
    free(s.noise);
    return st;
}
