/* tflc convert MODEL -o OUT.tflite [--quantize MODE ...]
 * MODEL: a Keras .h5 / .keras / TensorFlow.js model.json, or a .tflite. Without --quantize a
 * .tflite is rewritten canonically through tflc's own flatbuffer writer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calib_data.h"
#include "cli.h"
#include "format/tflite_model.h"
#include "format/tflite_write.h"
#include "tflc/convert.h"

#define MAX_INPUTS 16
#define MAX_FLOAT_LAYERS 256

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static bool is_tflite(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    unsigned char h[8];
    bool r = fread(h, 1, 8, f) == 8 && memcmp(h + 4, "TFL3", 4) == 0;
    fclose(f);
    return r;
}

static int usage_help(void) {
    printf("usage: tflc convert MODEL -o OUT.tflite [options]\n"
           "  MODEL: Keras .h5 (Keras 2 / tf.keras / Keras 3 legacy), Keras 3 .keras, TensorFlow.js model.json,\n"
           "         or a .tflite (rewritten canonically; or quantized with --quantize)\n"
           "  --quantize float16|dynamic|int8|int16x8\n"
           "  --calibration DATA         per model input, in order: .npy (N x input shape), a folder of PNG/JPEG\n"
           "                             images, or an MNIST-style idx file (int8 / int16x8)\n"
           "  --calibration-samples N    (default 100)\n"
           "  --calibration-method minmax|percentile[:P]|mse   (default minmax, as Google's converter)\n"
           "  --image-size H,W  --scale S  --mean M[,M,M]  --std S[,S,S]   image / idx preprocessing\n"
           "  --input-type / --output-type float32|int8|uint8|int16\n"
           "  --int8-only                refuse ops without an int8 kernel instead of keeping them float\n"
           "  --per-channel              dynamic, int8: per-channel fully-connected weights (int16x8: default)\n"
           "  --per-tensor-dense         int16x8: per-tensor fully-connected weights\n"
           "  --asymmetric-inputs        dynamic: asymmetric run-time input quantization\n"
           "  --bias-int32               int16x8: int32 instead of int64 biases\n"
           "  --no-bias-correction       int8 / int16x8: biases as in the float model (Google's converter's\n"
           "                             output) instead of corrected for the rounded weights' mean error\n"
           "  --weight-rounding auto|gptq|nearest   int8 / int16x8: round the int8 weights with GPTQ (each layer's\n"
           "                             output error on the calibration data minimized column by column) or\n"
           "                             to nearest (Google's converter's weights); auto (default): GPTQ for\n"
           "                             int16x8, nearest for int8\n"
           "  --float-layers A,B,...     keep these layers in float\n"
           "  --no-auto-float            int8 / int16x8: never keep the last layers in float on its own (done\n"
           "                             when the output SQNR on the calibration data is under 12 / 40 dB)\n"
           "  --report FILE.html         per-tensor ranges and per-layer SQNR / cosine (also FILE.json)\n"
           "  --threads N                calibration threads (default 2)\n");
    return 0;
}

static bool parse_dtype(const char *s, enum tflc_dtype *t) {
    if (!strcmp(s, "float32")) *t = TFLC_DTYPE_FLOAT32;
    else if (!strcmp(s, "int8")) *t = TFLC_DTYPE_INT8;
    else if (!strcmp(s, "uint8")) *t = TFLC_DTYPE_UINT8;
    else if (!strcmp(s, "int16")) *t = TFLC_DTYPE_INT16;
    else return false;
    return true;
}

static int parse_floats(const char *s, float *v, int max) {
    int n = 0;
    while (*s && n < max) {
        char *end;
        v[n++] = strtof(s, &end);
        if (end == s) return -1;
        s = end;
        if (*s == ',') s++;
        else if (*s) return -1;
    }
    return n;
}

static void progress(void *ud, size_t done, size_t total) {
    (void)ud;
    int w = 30, k = total ? (int)(done * (size_t)w / total) : w;
    fprintf(stderr, "\rcalibrating [%.*s%*s] %zu/%zu", k, "##############################", w - k, "", done, total);
    if (done >= total) fputc('\n', stderr);
    fflush(stderr);
}

/* The report's JSON twin of FILE.html (FILE.json), or "" when `path` is the JSON itself. */
static void report_json_path(const char *path, char *other, size_t cap) {
    size_t n = strlen(path);
    other[0] = 0;
    if (n >= 5 && !strcmp(path + n - 5, ".json")) return;
    const char *dot = strrchr(path, '.');
    size_t base = dot && dot > strrchr(path, '/') ? (size_t)(dot - path) : n;
    if (base > cap - 6) return;
    memcpy(other, path, base);
    memcpy(other + base, ".json", 6);
}

/* The model and its report appear together or not at all. */
static bool write_outputs(const char *out, const struct tflc_bytes *model, const char *report,
                          const struct tflc_convert_report *rep) {
    struct cli_staged st[3];
    int n = 0;
    char other[4096];
    bool ok = cli_stage(&st[n], out, model->data, model->size);
    if (ok) n++;
    if (ok && report) {
        report_json_path(report, other, sizeof other);
        if (!other[0]) ok = cli_stage(&st[n], report, rep->report_json.data, rep->report_json.size);
        else if ((ok = cli_stage(&st[n], report, rep->report_html.data, rep->report_html.size)))
            ok = cli_stage(&st[++n], other, rep->report_json.data, rep->report_json.size);
        if (ok) n++;
    }
    if (!ok) { cli_discard(st, n); return false; }
    return cli_commit(st, n);
}

/* True when `a` and `b` name the same file (the same string, or the same existing file). */
static bool same(const char *a, const char *b) { return !strcmp(a, b) || cli_same_file(a, b); }

static int rewrite_tflite(const char *in, const char *out) {
    double t0 = now_ms();
    size_t len;
    void *buf = cli_read_file(in, &len);
    if (!buf) return CLI_EXIT_BAD_INPUT;
    if (!cli_verify_tflite(in, buf, len)) { free(buf); return CLI_EXIT_BAD_INPUT; }
    struct tflc_fbb b;
    tflc_fbb_init(&b);
    struct tflc_diag d;
    int rc = 0;
    if (tflc_tfl_rewrite(buf, len, &b, &d) != TFLC_STATUS_OK) rc = cli_fail(in, "%s", d.msg);
    else if (!cli_verify_tflite(out, b.data, b.size)) rc = cli_fail(out, "internal error: the rewritten model does not verify; nothing written");
    else if (!cli_write_atomic(out, b.data, b.size)) rc = CLI_EXIT_BAD_INPUT;
    else printf("%s -> %s: %zu -> %zu bytes (%.1f ms)\n", in, out, len, b.size, now_ms() - t0);
    tflc_fbb_free(&b);
    free(buf);
    return rc;
}

int cmd_convert(int argc, char **argv) {
    const char *in = NULL, *out = NULL, *report = NULL;
    const char *calib_paths[MAX_INPUTS];
    const char *float_layers[MAX_FLOAT_LAYERS];
    char *float_buf = NULL;
    int ncalib = 0, nfloat = 0;
    struct tflc_convert_options o = tflc_convert_options_default();
    struct image_opts img;
    memset(&img, 0, sizeof img);
    img.scale = 1.0f;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage_help();
        bool takes = !strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--quantize") || !strcmp(a, "--calibration") ||
                     !strcmp(a, "--calibration-samples") || !strcmp(a, "--calibration-method") || !strcmp(a, "--input-type") ||
                     !strcmp(a, "--output-type") || !strcmp(a, "--float-layers") || !strcmp(a, "--report") ||
                     !strcmp(a, "--threads") || !strcmp(a, "--image-size") || !strcmp(a, "--scale") || !strcmp(a, "--mean") ||
                     !strcmp(a, "--std") || !strcmp(a, "--weight-rounding");
        if (takes && i + 1 >= argc) return cli_usage("convert", "%s needs a value", a);
        const char *v = takes ? argv[++i] : NULL;
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) out = v;
        else if (!strcmp(a, "--quantize")) {
            if (!strcmp(v, "float16")) o.quant = TFLC_QUANT_FLOAT16;
            else if (!strcmp(v, "dynamic")) o.quant = TFLC_QUANT_DYNAMIC;
            else if (!strcmp(v, "int8")) o.quant = TFLC_QUANT_INT8;
            else if (!strcmp(v, "int16x8")) o.quant = TFLC_QUANT_INT16X8;
            else return cli_usage("convert", "unknown --quantize mode '%s' (float16, dynamic, int8, int16x8)", v);
        } else if (!strcmp(a, "--calibration")) {
            if (ncalib >= MAX_INPUTS) return cli_usage("convert", "too many --calibration files");
            calib_paths[ncalib++] = v;
        } else if (!strcmp(a, "--calibration-samples")) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 10000000) return cli_usage("convert", "--calibration-samples needs a positive number");
            o.calib_samples = (size_t)n;
        } else if (!strcmp(a, "--calibration-method")) {
            if (!strcmp(v, "minmax")) o.calib_method = TFLC_CALIB_MINMAX;
            else if (!strcmp(v, "mse")) o.calib_method = TFLC_CALIB_MSE;
            else if (!strncmp(v, "percentile", 10)) {
                o.calib_method = TFLC_CALIB_PERCENTILE;
                if (v[10] == ':') {
                    char *end;
                    o.percentile = strtod(v + 11, &end);
                    if (*end || !(o.percentile > 50 && o.percentile <= 100)) return cli_usage("convert", "percentile must be in (50, 100]");
                } else if (v[10]) return cli_usage("convert", "unknown calibration method '%s'", v);
            } else return cli_usage("convert", "unknown calibration method '%s' (minmax, percentile[:P], mse)", v);
        } else if (!strcmp(a, "--input-type") || !strcmp(a, "--output-type")) {
            enum tflc_dtype t;
            if (!parse_dtype(v, &t)) return cli_usage("convert", "%s must be float32, int8, uint8 or int16", a);
            if (!strcmp(a, "--input-type")) o.input_type = t; else o.output_type = t;
        } else if (!strcmp(a, "--float-layers")) {
            free(float_buf);
            float_buf = strdup(v);
            nfloat = 0;
            for (char *p = strtok(float_buf, ","); p && nfloat < MAX_FLOAT_LAYERS; p = strtok(NULL, ",")) float_layers[nfloat++] = p;
        } else if (!strcmp(a, "--report")) report = v;
        else if (!strcmp(a, "--threads")) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 64) return cli_usage("convert", "--threads needs a number from 1 to 64");
            o.threads = (int)n;
        } else if (!strcmp(a, "--image-size")) {
            if (sscanf(v, "%d,%d", &img.height, &img.width) != 2 || img.height < 1 || img.width < 1 || img.height > 16384 || img.width > 16384)
                return cli_usage("convert", "--image-size needs H,W");
        } else if (!strcmp(a, "--scale")) {
            char *end;
            img.scale = strtof(v, &end);
            if (*end || !(img.scale > 0)) return cli_usage("convert", "--scale needs a positive number");
        } else if (!strcmp(a, "--mean") || !strcmp(a, "--std")) {
            float t[3];
            int k = parse_floats(v, t, 3);
            if (k != 1 && k != 3) return cli_usage("convert", "%s needs 1 or 3 numbers", a);
            float *dst = !strcmp(a, "--mean") ? img.mean : img.std;
            for (int c = 0; c < 3; c++) dst[c] = t[k == 1 ? 0 : c];
            img.has_norm = true;
            if (!strcmp(a, "--mean") && img.std[0] == 0) img.std[0] = img.std[1] = img.std[2] = 1;
        } else if (!strcmp(a, "--int8-only")) o.int8_only = true;
        else if (!strcmp(a, "--per-channel")) o.per_channel_fc = true;
        else if (!strcmp(a, "--per-tensor-dense")) o.per_tensor_fc = true;
        else if (!strcmp(a, "--asymmetric-inputs")) o.asymmetric_inputs = true;
        else if (!strcmp(a, "--bias-int32")) o.bias_int32 = true;
        else if (!strcmp(a, "--no-bias-correction")) o.no_bias_correction = true;
        else if (!strcmp(a, "--no-auto-float")) o.no_auto_float = true;
        else if (!strcmp(a, "--weight-rounding")) {
            if (!strcmp(v, "auto")) o.weight_rounding = TFLC_WEIGHT_ROUNDING_AUTO;
            else if (!strcmp(v, "gptq")) o.weight_rounding = TFLC_WEIGHT_ROUNDING_GPTQ;
            else if (!strcmp(v, "nearest")) o.weight_rounding = TFLC_WEIGHT_ROUNDING_NEAREST;
            else return cli_usage("convert", "unknown --weight-rounding '%s' (auto, gptq, nearest)", v);
        }
        else if (a[0] == '-' && a[1]) { free(float_buf); return cli_usage("convert", "unknown option '%s'", a); }
        else if (in) { free(float_buf); return cli_usage("convert", "more than one input model given"); }
        else in = a;
    }
    if (!in) { free(float_buf); return cli_usage("convert", "no input model given"); }
    if (!out) { free(float_buf); return cli_usage("convert", "no output given (-o OUT.tflite)"); }
    /* Nothing tflc reads may be what it writes. */
    const char *clash = NULL, *what = NULL;
    if (same(in, out)) clash = out, what = "refusing to overwrite the input model";
    for (int i = 0; !clash && i < ncalib; i++)
        if (same(calib_paths[i], out)) clash = out, what = "refusing to overwrite calibration data";
    char other[4096] = "";
    if (report) report_json_path(report, other, sizeof other);
    const char *rp[2] = {report, other};
    for (int k = 0; report && !clash && k < 2; k++) {
        if (!rp[k][0]) continue;
        if (same(rp[k], in)) clash = rp[k], what = "the report would overwrite the input model";
        else if (same(rp[k], out)) clash = rp[k], what = "the report would overwrite the output model";
        for (int i = 0; !clash && i < ncalib; i++)
            if (same(rp[k], calib_paths[i])) clash = rp[k], what = "the report would overwrite calibration data";
    }
    if (clash) { free(float_buf); return cli_fail(clash, "%s", what); }
    if (o.quant == TFLC_QUANT_NONE && is_tflite(in)) { free(float_buf); return rewrite_tflite(in, out); }

    double t0 = now_ms();
    int rc = 0;
    struct dataset ds[MAX_INPUTS];
    struct tflc_calib_input ci[MAX_INPUTS];
    memset(ds, 0, sizeof ds);
    if (ncalib) {
        int n = 0, ranks[MAX_INPUTS];
        int32_t dims[MAX_INPUTS][TFLC_MAX_DIMS];
        enum tflc_dtype dts[MAX_INPUTS];
        struct tflc_diag d;
        if (tflc_convert_inputs(in, MAX_INPUTS, &n, ranks, dims, dts, &d) != TFLC_STATUS_OK) { rc = cli_fail(in, "%s", d.msg); goto done; }
        if (n != ncalib) {
            rc = cli_fail(in, "the model has %d input%s: give --calibration once per input (%d given)", n, n == 1 ? "" : "s", ncalib);
            goto done;
        }
        for (int i = 0; i < ncalib; i++) {
            size_t el = 1;
            for (int k = 0; k < ranks[i]; k++) el *= (size_t)dims[i][k];
            struct image_opts io = img;
            io.channels = ranks[i] == 4 ? (int)dims[i][3] : 0;
            if (!io.height && ranks[i] == 4) { io.height = dims[i][1]; io.width = dims[i][2]; }
            if (!dataset_load(calib_paths[i], el, o.calib_samples, &io, &ds[i])) { rc = CLI_EXIT_BAD_INPUT; goto done; }
            ci[i].data = ds[i].data;
            ci[i].samples = ds[i].samples;
            ci[i].elements = ds[i].elements;
        }
        o.calib = ci;
        o.ncalib = ncalib;
        if (isatty(2)) { o.progress = progress; o.progress_ud = NULL; }
    }
    o.float_layers = float_layers;
    o.nfloat_layers = nfloat;
    o.want_report = report != NULL;
    if (report && o.quant != TFLC_QUANT_INT8 && o.quant != TFLC_QUANT_INT16X8) {
        rc = cli_usage("convert", "--report needs --quantize int8 or int16x8");
        goto done;
    }
    struct tflc_bytes bytes;
    struct tflc_convert_report rep;
    struct tflc_diag d;
    if (tflc_convert_file(in, &o, &bytes, &rep, &d) != TFLC_STATUS_OK) { rc = cli_fail(in, "%s", d.msg); goto done; }
    if (!cli_verify_tflite(out, bytes.data, bytes.size))
        rc = cli_fail(out, "internal error: the converted model does not verify; nothing written");
    else if (!write_outputs(out, &bytes, report, &rep))
        rc = CLI_EXIT_BAD_INPUT;
    else {
        static const char *modes[] = {"float32", "float16", "dynamic-range int8", "int8", "int16x8"};
        printf("%s (%s%s%s): ", in, rep.format, rep.keras_version[0] ? ", Keras " : "", rep.keras_version);
        if (rep.layers) printf("%d layers -> ", rep.layers);
        printf("%d ops, %s, %zu bytes (%zu of constants), min runtime %s, %.0f ms -> %s\n", rep.ops, modes[o.quant],
               rep.output_bytes, rep.constant_bytes, rep.min_runtime, now_ms() - t0, out);
        if (rep.float_fallback_ops)
            printf("  %d op%s kept in float: %s\n", rep.float_fallback_ops, rep.float_fallback_ops == 1 ? "" : "s",
                   rep.float_fallback);
        if (rep.gptq_layers)
            printf("  GPTQ weight rounding: %d layer%s (%.0f ms)\n", rep.gptq_layers, rep.gptq_layers == 1 ? "" : "s",
                   rep.gptq_ms);
        if (rep.auto_float[0])
            printf("  kept in float for accuracy: %s (output SQNR on the calibration data %.1f -> %.1f dB; "
                   "--no-auto-float turns this off)\n", rep.auto_float, rep.auto_float_sqnr_before,
                   rep.auto_float_sqnr_after);
        else if (isfinite(rep.auto_float_sqnr_before))
            printf("  output SQNR on the calibration data %.1f dB; keeping the last layers in float did not help\n",
                   rep.auto_float_sqnr_before);
        if (report) printf("  report: %s\n", report);
    }
    tflc_bytes_free(&bytes);
    tflc_bytes_free(&rep.report_json);
    tflc_bytes_free(&rep.report_html);
done:
    for (int i = 0; i < MAX_INPUTS; i++) dataset_free(&ds[i]);
    free(float_buf);
    return rc;
}
