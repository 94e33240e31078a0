/* tflc eval MODEL.tflite [MORE.tflite ...] --data X [--labels Y] [--samples N]
 * The table users make by hand after converting: per model, file size, top-1 accuracy on
 * labelled data (or agreement with the first model's top-1 when there are no labels), and
 * mean / median latency per sample. Float data is quantized to int8 / uint8 / int16 model
 * inputs with the input's scale and zero point; quantized outputs are dequantized. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calib_data.h"
#include "cli.h"
#include "run_util.h"

#define MAX_MODELS 16

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void fill_input(struct tflc_tensor *t, const float *x) {
    size_t n = tflc_tensor_elements(t);
    float s = t->quant.scale > 0 ? t->quant.scale : 1.0f;
    int32_t z = t->quant.zero_point;
    for (size_t i = 0; i < n; i++) {
        float q = roundf(x[i] / s) + (float)z;
        switch (t->dtype) {
        case TFLC_DTYPE_FLOAT32: ((float *)t->data)[i] = x[i]; break;
        case TFLC_DTYPE_INT8: ((int8_t *)t->data)[i] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q); break;
        case TFLC_DTYPE_UINT8: ((uint8_t *)t->data)[i] = (uint8_t)(q < 0 ? 0 : q > 255 ? 255 : q); break;
        case TFLC_DTYPE_INT16: ((int16_t *)t->data)[i] = (int16_t)(q < -32768 ? -32768 : q > 32767 ? 32767 : q); break;
        case TFLC_DTYPE_INT32: ((int32_t *)t->data)[i] = (int32_t)x[i]; break;
        default: break;
        }
    }
}

static int argmax(const struct tflc_tensor *t) {
    size_t n = tflc_tensor_elements(t);
    int best = 0;
    double bv = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double v;
        switch (t->dtype) {
        case TFLC_DTYPE_FLOAT32: v = ((const float *)t->data)[i]; break;
        case TFLC_DTYPE_INT8: v = ((const int8_t *)t->data)[i]; break;
        case TFLC_DTYPE_UINT8: v = ((const uint8_t *)t->data)[i]; break;
        case TFLC_DTYPE_INT16: v = ((const int16_t *)t->data)[i]; break;
        default: v = 0;
        }
        if (v > bv) { bv = v; best = (int)i; }
    }
    return best;
}

int cmd_eval(int argc, char **argv) {
    const char *models[MAX_MODELS], *data = NULL, *labels = NULL;
    int nm = 0, threads = 1;
    size_t max_samples = 0;
    struct image_opts img;
    memset(&img, 0, sizeof img);
    img.scale = 1.0f;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: tflc eval MODEL.tflite [MORE.tflite ...] --data X [--labels Y] [--samples N] [--scale S]\n"
                   "  X: .npy (N x input shape, float), idx images (raw 0..255 unless --scale) or an image folder;\n"
                   "  Y: idx labels or an integer .npy. Without labels the first model is the reference.\n");
            return 0;
        }
        bool takes = !strcmp(a, "--data") || !strcmp(a, "--labels") || !strcmp(a, "--samples") || !strcmp(a, "--scale") ||
                     !strcmp(a, "--threads");
        if (takes && i + 1 >= argc) return cli_usage("eval", "%s needs a value", a);
        const char *v = takes ? argv[++i] : NULL;
        if (!strcmp(a, "--data")) data = v;
        else if (!strcmp(a, "--labels")) labels = v;
        else if (!strcmp(a, "--samples")) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1) return cli_usage("eval", "--samples needs a positive number");
            max_samples = (size_t)n;
        } else if (!strcmp(a, "--scale")) {
            char *end;
            img.scale = strtof(v, &end);
            if (*end || !(img.scale > 0)) return cli_usage("eval", "--scale needs a positive number");
        } else if (!strcmp(a, "--threads")) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 256) return cli_usage("eval", "--threads needs 1..256");
            threads = (int)n;
        } else if (a[0] == '-' && a[1]) return cli_usage("eval", "unknown option '%s'", a);
        else if (nm < MAX_MODELS) models[nm++] = a;
        else return cli_usage("eval", "at most %d models", MAX_MODELS);
    }
    if (!nm) return cli_usage("eval", "no model given");
    if (!data) return cli_usage("eval", "no --data given");
    int rc = 0;
    struct dataset lab;
    memset(&lab, 0, sizeof lab);
    if (labels && !dataset_load_labels(labels, max_samples, &lab)) return CLI_EXIT_BAD_INPUT;
    int *ref_top = NULL;
    printf("%-44s %12s %10s %10s %10s\n", "model", "size (B)", labels ? "top-1" : "agreement", "mean ms", "median ms");
    for (int m = 0; m < nm; m++) {
        struct tflc_interp_options opt = tflc_interp_options_default();
        opt.num_threads = threads;
        if (!run_env_isa(&opt)) { rc = CLI_EXIT_USAGE; break; }
        if (!run_env_arith(&opt)) { rc = CLI_EXIT_USAGE; break; }
        struct run_model rm;
        if (!run_model_load(&rm, models[m], &opt)) { rc = CLI_EXIT_BAD_INPUT; break; }
        if (tflc_interp_input_count(rm.it) != 1) { rc = cli_fail(models[m], "eval takes single-input models"); run_model_free(&rm); break; }
        struct tflc_tensor *in = tflc_interp_input(rm.it, 0);
        struct image_opts io = img;
        if (in->rank == 4) { io.height = in->dims[1]; io.width = in->dims[2]; io.channels = in->dims[3]; }
        struct dataset ds;
        if (!dataset_load(data, tflc_tensor_elements(in), max_samples, &io, &ds)) { rc = CLI_EXIT_BAD_INPUT; run_model_free(&rm); break; }
        size_t n = ds.samples;
        if (labels && lab.samples < n) n = lab.samples;
        if (!ref_top) ref_top = calloc(n ? n : 1, sizeof *ref_top);
        double *lat = malloc(sizeof *lat * (n ? n : 1));
        size_t correct = 0;
        struct tflc_diag d;
        for (size_t s = 0; s < n && lat; s++) {
            tflc_interp_reset(rm.it);
            fill_input(in, ds.data + s * ds.elements);
            double t0 = now_ms();
            if (tflc_interp_invoke(rm.it, &d) != TFLC_STATUS_OK) { rc = cli_fail(models[m], "%s", d.msg); break; }
            lat[s] = now_ms() - t0;
            int top = argmax(tflc_interp_output(rm.it, 0));
            if (m == 0 && ref_top) ref_top[s] = top;
            if (labels) correct += top == lab.labels[s];
            else correct += ref_top && top == ref_top[s];
        }
        if (!rc && lat && n) {
            double mean = 0;
            for (size_t s = 0; s < n; s++) mean += lat[s];
            mean /= (double)n;
            qsort(lat, n, sizeof *lat, cmp_d);
            struct stat st;
            stat(models[m], &st);
            printf("%-44s %12lld %9.2f%% %10.3f %10.3f\n", models[m], (long long)st.st_size, 100.0 * (double)correct / (double)n, mean,
                   lat[n / 2]);
        }
        free(lat);
        dataset_free(&ds);
        run_model_free(&rm);
        if (rc) break;
    }
    free(ref_top);
    dataset_free(&lab);
    return rc;
}
