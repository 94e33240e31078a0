/* tflc run MODEL.tflite (--input a.npy ... | --random-input [--seed S]) [--output-dir DIR]
 * Binds .npy files to the model's inputs in order; an .npy holding N samples runs the model
 * N times (state reset between samples) and stacks each output along a new leading axis. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "npy.h"
#include "run_util.h"
#include "tflc/runtime.h"

#define MAX_IO 64

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int usage_help(void) {
    printf("usage: tflc run MODEL.tflite [--input a.npy ...] [--random-input [--seed S]] [--output-dir DIR]\n"
           "                [--threads N] [--reference] [--arithmetic xnnpack|reference] [--show-arithmetic]\n"
           "  Inputs bind to the model's inputs in order and must have their dtype; an .npy with N\n"
           "  samples (N x the input's elements) runs the model N times. Writes DIR/out0.npy ...\n"
           "  --arithmetic: quantized integer arithmetic to match: xnnpack (TFLite's default CPU\n"
           "  interpreter and Google's WebAssembly runtime; the default) or reference (TFLite's\n"
           "  reference kernels, TFLite Micro). Also TFLC_ARITH=... in the environment.\n"
           "  --show-arithmetic: print each operator's arithmetic (xnnpack: Google's runtime runs it in\n"
           "  XNNPACK; builtin: in TFLite's builtin kernels; reference).\n");
    return 0;
}

static bool mkdir_p(const char *dir) {
    char tmp[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof tmp) return false;
    memcpy(tmp, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] == '/' || tmp[i] == 0) {
            char c = tmp[i];
            tmp[i] = 0;
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return false;
            tmp[i] = c;
        }
    }
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

int cmd_run(int argc, char **argv) {
    const char *model_path = NULL, *outdir = NULL;
    const char *inputs[MAX_IO];
    int ninputs = 0, threads = 1;
    bool random_input = false, reference = false, arith_set = false, show_arith = false;
    enum tflc_arith arith = TFLC_ARITH_XNNPACK;
    unsigned long long seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage_help();
        if (!strcmp(a, "--input") || !strcmp(a, "-i") || !strcmp(a, "--output-dir") || !strcmp(a, "-o") ||
            !strcmp(a, "--seed") || !strcmp(a, "--threads") || !strcmp(a, "--arithmetic")) {
            if (i + 1 >= argc) return cli_usage("run", "%s needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "--input") || !strcmp(a, "-i")) {
                if (ninputs >= MAX_IO) return cli_usage("run", "too many inputs");
                inputs[ninputs++] = v;
            } else if (!strcmp(a, "--output-dir") || !strcmp(a, "-o")) {
                outdir = v;
            } else if (!strcmp(a, "--arithmetic")) {
                if (!run_parse_arith(v, &arith)) return cli_usage("run", "--arithmetic must be xnnpack or reference");
                arith_set = true;
            } else if (!strcmp(a, "--seed")) {
                char *end;
                seed = strtoull(v, &end, 10);
                if (*end || !*v) return cli_usage("run", "--seed needs a number");
            } else {
                char *end;
                long t = strtol(v, &end, 10);
                if (*end || t < 1 || t > 256) return cli_usage("run", "--threads needs a number from 1 to 256");
                threads = (int)t;
            }
        } else if (!strcmp(a, "--random-input")) {
            random_input = true;
        } else if (!strcmp(a, "--reference")) {
            reference = true;
        } else if (!strcmp(a, "--show-arithmetic")) {
            show_arith = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("run", "unknown option '%s'", a);
        } else if (model_path) {
            return cli_usage("run", "more than one model given");
        } else {
            model_path = a;
        }
    }
    if (!model_path) return cli_usage("run", "no model given");
    if (!ninputs && !random_input) return cli_usage("run", "give --input FILE.npy for each model input, or --random-input");
    if (ninputs && random_input) return cli_usage("run", "--input and --random-input exclude each other");

    struct run_model rm;
    struct tflc_interp_options opt = tflc_interp_options_default();
    opt.num_threads = threads;
    opt.use_reference = reference;
    if (!run_env_isa(&opt)) return CLI_EXIT_USAGE;
    if (!run_env_arith(&opt)) return CLI_EXIT_USAGE;
    if (arith_set) opt.arithmetic = arith;
    if (!run_model_load(&rm, model_path, &opt)) return CLI_EXIT_BAD_INPUT;
    int rc = 0;
    int nin = tflc_interp_input_count(rm.it), nout = tflc_interp_output_count(rm.it);
    if (show_arith) {
        const char *why = tflc_interp_xnnpack_failure(rm.it);
        if (why) printf("xnnpack: Google's runtime would run no node in XNNPACK (%s)\n", why);
        for (int k = 0; k < tflc_interp_op_count(rm.it); k++)
            printf("op %d %s: %s\n", k, tflc_interp_op_name(rm.it, k),
                   opt.arithmetic == TFLC_ARITH_REFERENCE ? "reference"
                   : tflc_interp_op_xnnpack(rm.it, k)     ? "xnnpack"
                                                          : "builtin");
    }
    struct npy npys[MAX_IO];
    memset(npys, 0, sizeof npys);
    void *outbufs[MAX_IO] = {0};
    size_t samples = 1;
    if (nin > MAX_IO || nout > MAX_IO) { rc = cli_fail(model_path, "more than %d inputs or outputs", MAX_IO); goto done; }
    if (!random_input && ninputs != nin) {
        rc = cli_fail(model_path, "the model has %d input%s, %d .npy file%s given", nin, nin == 1 ? "" : "s", ninputs,
                      ninputs == 1 ? "" : "s");
        goto done;
    }
    for (int i = 0; !random_input && i < nin; i++) {
        const struct tflc_tensor *t = tflc_interp_input(rm.it, i);
        if (!npy_load(inputs[i], &npys[i])) { rc = CLI_EXIT_BAD_INPUT; goto done; }
        size_t el = tflc_tensor_elements(t);
        if (npys[i].dtype != t->dtype) {
            rc = cli_fail(inputs[i], "holds %s, but model input %d '%s' is %s", tflc_dtype_name(npys[i].dtype), i, t->name,
                          tflc_dtype_name(t->dtype));
            goto done;
        }
        if (el == 0 || npys[i].count == 0 || npys[i].count % el != 0) {
            rc = cli_fail(inputs[i], "holds %zu elements, model input %d '%s' needs a multiple of %zu", npys[i].count, i,
                          t->name, el);
            goto done;
        }
        size_t n = npys[i].count / el;
        if (i > 0 && n != samples) {
            rc = cli_fail(inputs[i], "holds %zu samples but %s holds %zu", n, inputs[0], samples);
            goto done;
        }
        samples = n;
    }
    for (int o = 0; o < nout; o++) {
        const struct tflc_tensor *t = tflc_interp_output(rm.it, o);
        size_t total = t->bytes * samples;
        if (samples && total / samples != t->bytes) { rc = cli_fail(model_path, "outputs too large"); goto done; }
        outbufs[o] = malloc(total ? total : 1);
        if (!outbufs[o]) { rc = cli_fail(model_path, "out of memory for %zu output bytes", total); goto done; }
    }
    uint64_t rng = seed * 0x9E3779B97F4A7C15ull + 1;
    double t0 = now_ms();
    for (size_t s = 0; s < samples; s++) {
        tflc_interp_reset(rm.it);
        for (int i = 0; i < nin; i++) {
            struct tflc_tensor *t = tflc_interp_input(rm.it, i);
            if (random_input) run_fill_random(t, &rng);
            else memcpy(t->data, (const char *)npys[i].data + s * t->bytes, t->bytes);
        }
        struct tflc_diag d;
        if (tflc_interp_invoke(rm.it, &d) != TFLC_STATUS_OK) {
            rc = cli_fail(model_path, "%s", d.msg);
            goto done;
        }
        for (int o = 0; o < nout; o++) {
            const struct tflc_tensor *t = tflc_interp_output(rm.it, o);
            memcpy((char *)outbufs[o] + s * t->bytes, t->data, t->bytes);
        }
    }
    double ms = now_ms() - t0;
    printf("%s: arena %zu bytes, %zu run%s in %.3f ms (%.3f ms per run)\n", model_path, rm.arena_bytes, samples,
           samples == 1 ? "" : "s", ms, ms / (double)samples);
    if (outdir) {
        /* Every output is encoded first, then all are written to temporary files and renamed
         * into place together: a failure leaves no .npy of this run behind. */
        void *enc[MAX_IO] = {0};
        size_t enclen[MAX_IO];
        char (*paths)[4200] = calloc(MAX_IO, sizeof *paths);
        struct cli_staged st[MAX_IO];
        int staged = 0;
        if (!paths) rc = cli_fail(model_path, "out of memory");
        for (int o = 0; o < nout && !rc; o++) {
            const struct tflc_tensor *t = tflc_interp_output(rm.it, o);
            int64_t dims[NPY_MAX_DIMS];
            int r = 0;
            if (samples > 1) {
                dims[r++] = (int64_t)samples;
                for (int k = (t->rank > 0 && t->dims[0] == 1) ? 1 : 0; k < t->rank; k++) dims[r++] = t->dims[k];
            } else {
                for (int k = 0; k < t->rank; k++) dims[r++] = t->dims[k];
            }
            if (!npy_descr(t->dtype))
                rc = cli_fail(model_path, "output %d has dtype %s, which .npy cannot hold", o,
                              tflc_dtype_name(t->dtype));
            else if (!(enc[o] = npy_encode(t->dtype, r, dims, outbufs[o], &enclen[o])))
                rc = cli_fail(model_path, "out of memory encoding output %d", o);
            snprintf(paths[o], sizeof paths[o], "%s/out%d.npy", outdir, o);
        }
        if (!rc && !mkdir_p(outdir)) rc = cli_fail(outdir, "cannot create the output folder");
        for (int o = 0; o < nout && !rc; o++) {
            if (cli_stage(&st[o], paths[o], enc[o], enclen[o])) staged++;
            else rc = CLI_EXIT_BAD_INPUT;
        }
        if (rc) cli_discard(st, staged);
        else if (!cli_commit(st, staged)) rc = CLI_EXIT_BAD_INPUT;
        for (int o = 0; o < nout; o++) free(enc[o]);
        free(paths);
    }
done:
    for (int i = 0; i < MAX_IO; i++) { npy_free(&npys[i]); free(outbufs[i]); }
    run_model_free(&rm);
    return rc;
}
