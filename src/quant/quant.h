/* Post-training quantization of an IR graph (converter side).
 *
 *   calib.c    runs the float model through tflc's runtime on calibration samples (several
 *              threads, one interpreter each) and records every float tensor's range
 *              (min/max, or a histogram for percentile / MSE clipping)
 *   choose.c   range -> scale / zero point as TFLite chooses them (zero exactly
 *              representable), symmetric per-channel weights, int32 / int64 biases
 *   rewrite.c  the graph rewrites of each mode (float16, dynamic, int8, int16x8)
 *   report.c   per-tensor ranges and per-layer SQNR / cosine between float and quantized
 *              runs, as JSON and as HTML with an SVG plot */
#ifndef TFLC_QUANT_QUANT_H
#define TFLC_QUANT_QUANT_H

#include "ir/graph.h"
#include "tflc/convert.h"

struct tflc_qrange {
    float min, max;   /* observed (or clipped) float range */
    bool seen;        /* false: never observed (dead tensor / constant) */
    int32_t nmean;    /* elements of mean[] (one sample of the tensor) */
    float *mean;      /* element-wise mean over the calibration samples (malloc'd; NULL if not seen) */
};

/* Frees the means of ranges[0..n) and the array. */
void tflc_quant_ranges_free(struct tflc_qrange *ranges, int32_t n);

/* Calibrates the float graph `g`: ranges[] gets one entry per IR tensor (g->nt). */
enum tflc_status tflc_quant_calibrate(const struct tflc_ir_graph *g, const struct tflc_convert_options *o,
                                      struct tflc_qrange *ranges, struct tflc_diag *diag);

/* ---- choosing parameters (choose.c) ---- */
/* Asymmetric activation params for [min, max] in [qmin, qmax] (zero exactly representable). */
void tflc_quant_choose_asym(float min, float max, int32_t qmin, int32_t qmax, float *scale, int32_t *zp);
/* Symmetric params: scale = max|x| / qmax, zero point 0. */
void tflc_quant_choose_sym(float min, float max, int32_t qmax, float *scale);
/* Quantizes a constant float tensor into int8 symmetric weights, per channel along `axis`
 * (axis < 0: per tensor). Writes data (numel int8) and scales (channels). */
void tflc_quant_weights_sym(const float *w, const int32_t *dims, int rank, int axis, int8_t *q, float *scales);

/* ---- rewrites (rewrite.c) ---- */
enum tflc_status tflc_quant_float16(struct tflc_ir_graph *g, struct tflc_diag *diag);
enum tflc_status tflc_quant_dynamic(struct tflc_ir_graph *g, const struct tflc_convert_options *o, struct tflc_diag *diag);
/* Full integer (int8 or int16x8 per o->quant). Ops without an integer kernel stay float between
 * DEQUANTIZE / QUANTIZE (named in fallback[], unless o->int8_only refuses them). */
enum tflc_status tflc_quant_full(struct tflc_ir_graph *g, const struct tflc_convert_options *o, const struct tflc_qrange *ranges,
                                 int *nfallback, char *fallback, size_t fallback_size, struct tflc_diag *diag);

/* ---- report (report.c) ---- */
/* Runs the float model (fdata, tensor map fmap) and the quantized one (qdata, qmap) on the
 * calibration samples, pairs every float tensor (IR id < nt_float) with its quantized
 * counterpart in `qg` (the rewrite keeps ids), and writes per-tensor ranges, parameters,
 * SQNR and cosine similarity as JSON and as HTML with an SVG plot. */
enum tflc_status tflc_quant_report(const struct tflc_ir_graph *qg, int32_t nt_float, const uint8_t *fdata, size_t fsize,
                                   const int32_t *fmap, const uint8_t *qdata, size_t qsize, const int32_t *qmap,
                                   const struct tflc_convert_options *o, const struct tflc_qrange *ranges,
                                   struct tflc_bytes *json, struct tflc_bytes *html, struct tflc_diag *diag);

/* Runs model bytes on samples, calling `visit` after every op output (float or quantized) and
 * for every graph input. Shared by calibration and the report. */
struct tflc_quant_run {
    const void *model;
    size_t len;
    const struct tflc_calib_input *inputs;
    int ninputs;
    size_t samples;
    int threads;
    void (*visit)(void *ud, int thread, size_t sample, int tensor_index, const struct tflc_tensor *t);
    void *ud;
    void (*progress)(void *ud, size_t done, size_t total);
    void *progress_ud;
};
enum tflc_status tflc_quant_run_model(const struct tflc_quant_run *r, struct tflc_diag *diag);

/* SQNR (dB) of the quantized model's dequantized outputs against the float model's, over at
 * most max_samples of the options' calibration samples (*sqnr = NAN when not measurable:
 * no samples, more than 16 outputs, or outputs that change shape). */
enum tflc_status tflc_quant_output_sqnr(const void *fmodel, size_t flen, const void *qmodel, size_t qlen,
                                        const struct tflc_convert_options *o, size_t max_samples, double *sqnr,
                                        struct tflc_diag *diag);

#endif
