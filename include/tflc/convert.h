/* tflc/convert.h - Keras (.h5, .keras, TensorFlow.js model.json) or float .tflite -> .tflite,
 * with optional post-training quantization (what TFLiteConverter's `optimizations`,
 * `representative_dataset`, `target_spec.supported_types` and `inference_input_type` /
 * `inference_output_type` do).
 *
 *   struct tflc_convert_options o = tflc_convert_options_default();
 *   o.quant = TFLC_QUANT_INT8;
 *   o.calib = &calib; o.ncalib = 1;           // float32 samples per model input
 *   o.input_type = TFLC_DTYPE_UINT8;
 *   struct tflc_bytes out;
 *   if (tflc_convert_file("model.h5", &o, &out, &rep, &diag) == TFLC_STATUS_OK) { ... tflc_bytes_free(&out); }
 *
 * The converter allocates (per-stage arenas) and never writes files itself. Calls share no
 * state, so separate calls may run on separate threads (libhdf5 runs in a child process).
 */
#ifndef TFLC_CONVERT_H
#define TFLC_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tflc/status.h"
#include "tflc/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tflc_bytes {
    void *data;  /* owned by the struct; free with tflc_bytes_free */
    size_t size;
};

TFLC_API void tflc_bytes_free(struct tflc_bytes *b);

enum tflc_quant_mode {
    TFLC_QUANT_NONE,      /* float32 */
    TFLC_QUANT_FLOAT16,   /* float16 constant weights, each feeding a DEQUANTIZE */
    TFLC_QUANT_DYNAMIC,   /* int8 weights, float activations, hybrid kernels */
    TFLC_QUANT_INT8,      /* full integer (calibrated) */
    TFLC_QUANT_INT16X8,   /* int16 activations, int8 weights */
    TFLC_QUANT_COUNT
};

/* How full-integer conversions round int8 weights (symmetric, scale max|w| / 127 per channel
 * either way). GPTQ rounds each layer's weights column by column and pushes each rounding
 * error onto the columns not yet rounded, weighted by the layer input's second moments on the
 * calibration data (one more float run over the samples), so the layer's output error is what
 * gets minimized; see docs/quantization.md. AUTO: GPTQ for int16x8, nearest for int8 (where
 * the int8 activations' error dominates and GPTQ measured no better). */
enum tflc_weight_rounding {
    TFLC_WEIGHT_ROUNDING_AUTO,
    TFLC_WEIGHT_ROUNDING_NEAREST,
    TFLC_WEIGHT_ROUNDING_GPTQ,
    TFLC_WEIGHT_ROUNDING_COUNT
};

enum tflc_calib_method { TFLC_CALIB_MINMAX, TFLC_CALIB_PERCENTILE, TFLC_CALIB_MSE, TFLC_CALIB_COUNT };

/* Calibration data for one model input: `samples` float32 samples, each holding the input's
 * element count (batch 1), back to back. Borrowed for the call. */
struct tflc_calib_input {
    const float *data;
    size_t samples;
    size_t elements; /* per sample; must equal the model input's element count */
};

struct tflc_convert_options {
    enum tflc_quant_mode quant;
    bool per_channel_fc;              /* dynamic, int8: per-channel fully-connected weights */
    bool per_tensor_fc;               /* int16x8: per-tensor fully-connected weights (default per-channel; for
                                         runtimes without it, e.g. TFLite Micro before 2024, NNAPI) */
    bool asymmetric_inputs;           /* dynamic: asymmetric run-time input quantization */
    bool int8_only;                   /* int8: refuse ops without an int8 kernel (TFLITE_BUILTINS_INT8) */
    bool bias_int32;                  /* int16x8: int32 instead of int64 bias */
    bool no_auto_float;               /* int8 / int16x8: never keep layers in float on its own (see
                                         tflc_convert_report.auto_float) */
    bool no_bias_correction;          /* int8 / int16x8: keep the float biases as they are (Google's output)
                                         instead of subtracting the rounded weights' mean error */
    enum tflc_weight_rounding weight_rounding; /* int8 / int16x8 (default AUTO); dynamic and float16 always
                                                  round to nearest */
    enum tflc_dtype input_type;       /* FLOAT32 (default), INT8, UINT8 (int8 mode), INT16 (int16x8) */
    enum tflc_dtype output_type;
    const struct tflc_calib_input *calib; /* one per model input, in order */
    int ncalib;
    size_t calib_samples;             /* use at most this many samples (default 100) */
    enum tflc_calib_method calib_method;
    double percentile;                /* for TFLC_CALIB_PERCENTILE (default 99.99) */
    const char *const *float_layers;  /* layer names kept in float */
    int nfloat_layers;
    int threads;                      /* calibration threads (default 2) */
    bool want_report;                 /* fill report_json / report_html */
    /* Calibration progress (called from the converter thread; may be NULL). */
    void (*progress)(void *ud, size_t done, size_t total);
    void *progress_ud;
};

TFLC_API struct tflc_convert_options tflc_convert_options_default(void);

struct tflc_convert_report {
    char format[16];          /* "h5", "keras", "tfjs", "tflite" */
    char keras_version[32];
    int layers;               /* Keras layer calls lowered */
    int ops;                  /* operators written */
    int tensors;
    size_t constant_bytes;
    size_t output_bytes;
    char min_runtime[16];
    int float_fallback_ops;   /* ops kept in float by a quantized conversion */
    char float_fallback[256]; /* their names, comma separated (truncated) */
    /* Full-integer quantization whose output SQNR on the calibration samples fell under 12 dB
     * (int8) / 40 dB (int16x8) keeps the model's tail in float (every layer from one of its last
     * 3 weighted layers to the output) when that helps by 3 dB or more (not with int8_only /
     * no_auto_float): those layers' names, and the SQNR before and after (NAN: not measured). */
    char auto_float[256];
    double auto_float_sqnr_before, auto_float_sqnr_after;
    int gptq_layers;          /* weighted layers whose int8 weights GPTQ rounded (the rest: nearest) */
    double gptq_ms;           /* time spent collecting H and rounding with it */
    struct tflc_bytes report_json; /* quantization report (want_report); free with tflc_bytes_free */
    struct tflc_bytes report_html;
};

/* Converts the model at `path` (Keras file or .tflite). On success out->data holds the
 * .tflite bytes. Errors: UNSUPPORTED (lists every unsupported layer with name and class, or
 * the op that --int8-only cannot quantize), INVALID_MODEL / INVALID_ARGUMENT (names the file
 * object, layer, weight or option at fault), IO, OUT_OF_MEMORY. */
TFLC_API enum tflc_status tflc_convert_file(const char *path, const struct tflc_convert_options *opt,
                                            struct tflc_bytes *out, struct tflc_convert_report *report,
                                            struct tflc_diag *diag);

/* The inputs of the model at `path` (Keras or .tflite) as the converted model has them:
 * up to `max` entries of rank, dims (batch 1) and dtype. */
TFLC_API enum tflc_status tflc_convert_inputs(const char *path, int max, int *n, int *ranks, int32_t (*dims)[TFLC_MAX_DIMS],
                                              enum tflc_dtype *dtypes, struct tflc_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
