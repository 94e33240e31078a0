/* Post-training quantization of an IR graph (converter side).
 *
 *   calib.c    runs the float model through tflc's runtime on calibration samples (several
 *              threads, one interpreter each) and records every float tensor's range
 *              (min/max, or a histogram for percentile / MSE clipping)
 *   choose.c   range -> scale / zero point as TFLite chooses them (zero exactly
 *              representable), symmetric per-channel weights, int32 / int64 biases
 *   rewrite.c  the graph rewrites of each mode (float16, dynamic, int8, int16x8)
 *   gptq.c     GPTQ weight rounding: column-by-column int8 rounding with Hessian-based
 *              error compensation, layer after layer against the float model's outputs
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

/* ---- GPTQ weight rounding (gptq.c) ---- */
/* One layer's GPTQ-rounded int8 weights, made for its per-channel axis. */
struct tflc_quant_gptq_layer {
    int32_t node;       /* IR node index of the layer */
    int32_t weight;     /* IR tensor id of its float weights */
    int axis;           /* per-channel axis q was made for (-1 per tensor) */
    int8_t *q;          /* the weights' layout (malloc'd) */
    float *scales;      /* one per output channel (all equal when per tensor) */
    double *bias_delta; /* per output channel: E[W x_f] - E[Q x_q] on the calibration data, added to the bias */
};
struct tflc_quant_gptq_plan {
    int n;
    struct tflc_quant_gptq_layer *l; /* malloc'd */
};
/* Rounds the int8 weights of every CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED of the float
 * graph `g` that has constant float weights and at most 8192 columns with GPTQ, stage by stage
 * against the float model on the options' calibration samples (gptq.c explains how). `g` is
 * left as it was (its constants are swapped in and out while exporting each stage). Layers
 * left out (too few patches, memory bounds) round to nearest in the rewrite. */
enum tflc_status tflc_quant_gptq_plan_make(struct tflc_ir_graph *g, const struct tflc_convert_options *o,
                                           struct tflc_quant_gptq_plan *plan, struct tflc_diag *diag);
void tflc_quant_gptq_plan_free(struct tflc_quant_gptq_plan *p); /* NULL ok */
/* The entry of node `node` reading weights `weight`, or NULL. */
const struct tflc_quant_gptq_layer *tflc_quant_gptq_plan_find(const struct tflc_quant_gptq_plan *p, int32_t node, int32_t weight);
/* Per-channel axis of a weighted op's int8 weights in full-integer mode (-1: per tensor). */
int tflc_quant_weight_axis(const struct tflc_ir_node *n, const struct tflc_convert_options *o);
/* GPTQ rounding of `rows` rows of kc weights (row-major w), row r with symmetric scale
 * scales[r], into q in [-127, 127], minimizing sum_r (q_r s_r - w_r)^T H (q_r s_r - w_r)
 * greedily column by column; H (kc x kc, symmetric) is damped by damp * its mean diagonal.
 * With H = identity this is round-to-nearest. False (q untouched) when H has a zero diagonal
 * or stays indefinite after damping, or memory runs out. */
bool tflc_quant_gptq(const float *w, int32_t rows, int32_t kc, const float *scales, const double *h, double damp, int8_t *q);

/* Geometry of a 2-D convolution (CONV_2D / DEPTHWISE_CONV_2D node n reading float tensor xf
 * with KH x KW taps over I input channels), batch 1; false when the shapes do not fit. */
struct tflc_quant_conv_geom {
    int32_t H, W, I, OH, OW, KH, KW;
    int64_t sh, sw, dh, dw, pt, pl; /* strides, dilations, top / left padding */
};
bool tflc_quant_conv_geom_of(const struct tflc_ir_graph *g, const struct tflc_ir_node *n, int32_t xf, int32_t KH, int32_t KW,
                             int32_t I, struct tflc_quant_conv_geom *cg);

/* ---- rewrites (rewrite.c) ---- */
enum tflc_status tflc_quant_float16(struct tflc_ir_graph *g, struct tflc_diag *diag);
enum tflc_status tflc_quant_dynamic(struct tflc_ir_graph *g, const struct tflc_convert_options *o, struct tflc_diag *diag);
/* Full integer (int8 or int16x8 per o->quant). Ops without an integer kernel stay float between
 * DEQUANTIZE / QUANTIZE (named in fallback[], unless o->int8_only refuses them). */
/* plan (may be NULL): GPTQ-rounded weights and bias shifts to use; *ngptq (may be NULL)
 * counts the layers that took them. */
enum tflc_status tflc_quant_full(struct tflc_ir_graph *g, const struct tflc_convert_options *o, const struct tflc_qrange *ranges,
                                 const struct tflc_quant_gptq_plan *plan, int *ngptq, int *nfallback, char *fallback, size_t fallback_size, struct tflc_diag *diag);

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
