/* tflc bench MODEL.tflite [--threads N] [--runs R] [--warmup W] [--json] [--reference]
 * Latency over R invokes on seeded random input (min / median / p90 / max / mean), arena
 * bytes, peak RSS, and a per-op-type profile from separate instrumented runs (so the timer
 * calls do not bias the latency figures), like TFLite's benchmark_model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "json_out.h"
#include "run_util.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

struct prof {
    int nops;
    double *op_ms;  /* accumulated per op index */
    double t0;
};

static void hook(void *ud, int op, bool after) {
    struct prof *p = ud;
    if (!after) { p->t0 = now_ms(); return; }
    p->op_ms[op] += now_ms() - p->t0;
}

static double pct(const double *sorted, int n, double q) {
    int i = (int)(q * (n - 1) + 0.5);
    return sorted[i < 0 ? 0 : i >= n ? n - 1 : i];
}

int cmd_bench(int argc, char **argv) {
    const char *path = NULL;
    int threads = 1, runs = 50, warmup = 5;
    bool json = false, reference = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: tflc bench MODEL.tflite [--threads N] [--runs R] [--warmup W] [--json] [--reference]\n");
            return 0;
        }
        if (!strcmp(a, "--threads") || !strcmp(a, "--runs") || !strcmp(a, "--warmup")) {
            if (i + 1 >= argc) return cli_usage("bench", "%s needs a value", a);
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < (strcmp(a, "--warmup") ? 1 : 0) || v > 1000000) return cli_usage("bench", "bad value for %s", a);
            if (!strcmp(a, "--threads")) threads = (int)v;
            else if (!strcmp(a, "--runs")) runs = (int)v;
            else warmup = (int)v;
        } else if (!strcmp(a, "--json")) json = true;
        else if (!strcmp(a, "--reference")) reference = true;
        else if (a[0] == '-' && a[1]) return cli_usage("bench", "unknown option '%s'", a);
        else if (path) return cli_usage("bench", "more than one model given");
        else path = a;
    }
    if (!path) return cli_usage("bench", "no model given");
    struct tflc_interp_options opt = tflc_interp_options_default();
    opt.num_threads = threads;
    opt.use_reference = reference || run_env_reference();
    if (!run_env_arith(&opt)) return CLI_EXIT_USAGE;
    struct run_model rm;
    double tl0 = now_ms();
    if (!run_model_load(&rm, path, &opt)) return CLI_EXIT_BAD_INPUT;
    double load_ms = now_ms() - tl0;
    uint64_t rng = 0x1234567ull;
    for (int i = 0; i < tflc_interp_input_count(rm.it); i++) run_fill_random(tflc_interp_input(rm.it, i), &rng);
    int rc = 0;
    double *t = malloc(sizeof *t * (size_t)runs);
    struct prof p = {tflc_interp_op_count(rm.it), NULL, 0};
    p.op_ms = calloc((size_t)(p.nops ? p.nops : 1), sizeof *p.op_ms);
    if (!t || !p.op_ms) { rc = cli_fail(path, "out of memory"); goto done; }
    struct tflc_diag d;
    for (int i = 0; i < warmup + runs; i++) {
        double s = now_ms();
        if (tflc_interp_invoke(rm.it, &d)) { rc = cli_fail(path, "%s", d.msg); goto done; }
        if (i >= warmup) t[i - warmup] = now_ms() - s;
    }
    double mean = 0;
    for (int i = 0; i < runs; i++) mean += t[i];
    mean /= runs;
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    /* Instrumented runs for the per-op profile: a second interpreter with the hook. */
    int prof_runs = runs < 10 ? runs : 10;
    {
        struct run_model rp;
        struct tflc_interp_options po = opt;
        po.op_hook = hook;
        po.op_hook_ud = &p;
        if (!run_model_load(&rp, path, &po)) { rc = CLI_EXIT_BAD_INPUT; goto done; }
        for (int i = 0; i < tflc_interp_input_count(rp.it); i++) run_fill_random(tflc_interp_input(rp.it, i), &rng);
        for (int i = 0; i < prof_runs; i++) tflc_interp_invoke(rp.it, &d);
        run_model_free(&rp);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    /* Aggregate by op type. */
    const char *names[512];
    double tot[512];
    int cnt[512], ntypes = 0;
    double all = 0;
    for (int k = 0; k < p.nops; k++) {
        const char *nm = tflc_interp_op_name(rm.it, k);
        int j = 0;
        while (j < ntypes && strcmp(names[j], nm) != 0) j++;
        if (j == ntypes && ntypes < 512) { names[ntypes] = nm; tot[ntypes] = 0; cnt[ntypes] = 0; ntypes++; }
        if (j < 512) { tot[j] += p.op_ms[k] / prof_runs; cnt[j]++; }
        all += p.op_ms[k] / prof_runs;
    }
    if (json) {
        struct json_out jo;
        json_init(&jo, stdout);
        json_obj_begin(&jo);
        json_key(&jo, "model"); json_str(&jo, path);
        json_key(&jo, "threads"); json_int(&jo, threads);
        json_key(&jo, "runs"); json_int(&jo, runs);
        json_key(&jo, "warmup"); json_int(&jo, warmup);
        json_key(&jo, "min_ms"); json_num(&jo, t[0]);
        json_key(&jo, "median_ms"); json_num(&jo, pct(t, runs, 0.5));
        json_key(&jo, "p90_ms"); json_num(&jo, pct(t, runs, 0.9));
        json_key(&jo, "max_ms"); json_num(&jo, t[runs - 1]);
        json_key(&jo, "mean_ms"); json_num(&jo, mean);
        json_key(&jo, "init_ms"); json_num(&jo, load_ms);
        json_key(&jo, "arena_bytes"); json_uint(&jo, rm.arena_bytes);
        json_key(&jo, "peak_rss_bytes"); json_uint(&jo, (uint64_t)ru.ru_maxrss * 1024u);
        json_key(&jo, "ops");
        json_arr_begin(&jo);
        for (int j = 0; j < ntypes; j++) {
            json_obj_begin(&jo);
            json_key(&jo, "op"); json_str(&jo, names[j]);
            json_key(&jo, "count"); json_int(&jo, cnt[j]);
            json_key(&jo, "ms"); json_num(&jo, tot[j]);
            json_obj_end(&jo);
        }
        json_arr_end(&jo);
        json_obj_end(&jo);
        putchar('\n');
    } else {
        printf("%s: %d runs (+%d warmup), %d thread%s\n", path, runs, warmup, threads, threads == 1 ? "" : "s");
        printf("latency ms: min %.3f  median %.3f  p90 %.3f  max %.3f  mean %.3f\n", t[0], pct(t, runs, 0.5),
               pct(t, runs, 0.9), t[runs - 1], mean);
        printf("init %.1f ms, arena %zu bytes, peak RSS %ld KiB\n", load_ms, rm.arena_bytes, ru.ru_maxrss);
        printf("per op type (mean of %d instrumented runs):\n", prof_runs);
        for (int j = 0; j < ntypes; j++)
            printf("  %-28s x%-4d %9.3f ms  %5.1f%%\n", names[j], cnt[j], tot[j], all > 0 ? 100.0 * tot[j] / all : 0.0);
    }
done:
    free(t);
    free(p.op_ms);
    run_model_free(&rm);
    return rc;
}
