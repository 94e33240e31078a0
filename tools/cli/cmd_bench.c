/* tflc bench MODEL.tflite [--threads N] [--runs R] [--warmup W] [--min-secs S] [--warmup-min-secs S]
 *                         [--json] [--reference] [--peak F32,INT8] [--per-node]
 * Latency over at least R invokes and at least --min-secs seconds (default 1, after at least W
 * warm-up invokes and --warmup-min-secs, default 0.5: TFLite's benchmark_model's num_runs /
 * min_secs and warmup_runs / warmup_min_secs, so a fast model's median is taken over many runs
 * and both cores are busy before timing starts; at most 150 s / 1,000,000 runs) on seeded random
 * input (min / median / p90 / max / mean), arena
 * bytes, peak RSS, and a per-op-type profile from separate instrumented runs (so the timer
 * calls do not bias the latency figures), like TFLite's benchmark_model. The profile is keyed
 * by op and activation type (CONV_2D int8) and gives each type's FLOPs (2 x MACs for conv /
 * depthwise / fully connected / transpose conv / batch matmul / LSTM; one per output element
 * for elementwise ops, one per window element for pooling, one per input element for
 * reductions), GFLOP/s and its share of the machine's peak (--peak: GFLOP/s per core for
 * float32 and GOP/s for 8-bit, times min(threads, cores); default 117,465, an AVX-512 VNNI
 * x86-64 core). --per-node also lists every node (index, op, dtype, ms, GFLOP/s) in model order,
 * like benchmark_model's operator-wise profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "format/tflite_model.h"
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

/* ---- FLOPs per op, from the (verified) model's static shapes ---- */

struct model_view {
    const void *buf;
    struct tflc_fb_vec tensors, ops, codes;
};

static struct tflc_fb_table mv_tensor(const struct model_view *v, int32_t ti) {
    return tflc_fb_vec_table(v->tensors, (uint32_t)ti);
}

/* Element count and dim d (negative: from the end) of tensor ti; -1 dims count as 1. */
static double mv_elems(const struct model_view *v, int32_t ti) {
    if (ti < 0) return 0;
    struct tflc_fb_vec sh = tflc_tfl_tensor_shape(mv_tensor(v, ti));
    double n = 1;
    for (uint32_t i = 0; i < sh.len; i++) {
        int32_t d = tflc_fb_vec_i32(sh, i);
        n *= d > 0 ? d : 1;
    }
    return n;
}

static double mv_dim(const struct model_view *v, int32_t ti, int d) {
    if (ti < 0) return 0;
    struct tflc_fb_vec sh = tflc_tfl_tensor_shape(mv_tensor(v, ti));
    int i = d < 0 ? (int)sh.len + d : d;
    if (i < 0 || i >= (int)sh.len) return 0;
    int32_t x = tflc_fb_vec_i32(sh, (uint32_t)i);
    return x > 0 ? x : 1;
}

/* FLOPs of op k and its activation dtype (the type of its first input). */
static double op_flops(const struct model_view *v, int k, int *dtype) {
    struct tflc_fb_table op = tflc_fb_vec_table(v->ops, (uint32_t)k);
    int32_t code = tflc_tfl_opcode_code(tflc_fb_vec_table(v->codes, tflc_tfl_operator_opcode_index(op)));
    struct tflc_fb_vec iv = tflc_tfl_operator_inputs(op), ov = tflc_tfl_operator_outputs(op);
    int32_t in0 = iv.len > 0 ? tflc_fb_vec_i32(iv, 0) : -1, in1 = iv.len > 1 ? tflc_fb_vec_i32(iv, 1) : -1;
    int32_t out0 = ov.len > 0 ? tflc_fb_vec_i32(ov, 0) : -1;
    *dtype = in0 >= 0 ? tflc_tfl_tensor_type(mv_tensor(v, in0)) : -1;
    double out = mv_elems(v, out0);
    struct tflc_fb_table o = tflc_tfl_operator_builtin_options(op);
    switch (code) {
    case TFLC_TFL_BUILTIN_OPERATOR_CONV_2D: /* filter [OC, KH, KW, IC / groups] */
        return 2 * out * mv_dim(v, in1, 1) * mv_dim(v, in1, 2) * mv_dim(v, in1, 3);
    case TFLC_TFL_BUILTIN_OPERATOR_DEPTHWISE_CONV_2D: /* filter [1, KH, KW, C * M] */
        return 2 * out * mv_dim(v, in1, 1) * mv_dim(v, in1, 2);
    case TFLC_TFL_BUILTIN_OPERATOR_FULLY_CONNECTED: /* filter [O, K] */
        return 2 * out * mv_dim(v, in1, 1);
    case TFLC_TFL_BUILTIN_OPERATOR_TRANSPOSE_CONV: { /* inputs: output shape, filter [OC, KH, KW, IC], input */
        int32_t x = iv.len > 2 ? tflc_fb_vec_i32(iv, 2) : -1;
        *dtype = x >= 0 ? tflc_tfl_tensor_type(mv_tensor(v, x)) : -1;
        return 2 * mv_elems(v, x) * mv_dim(v, in1, 0) * mv_dim(v, in1, 1) * mv_dim(v, in1, 2);
    }
    case TFLC_TFL_BUILTIN_OPERATOR_BATCH_MATMUL: {
        bool adj_x = o.off && tflc_fb_get_bool(o, 0, false);  /* BatchMatMulOptions.adj_x */
        return 2 * out * mv_dim(v, in0, adj_x ? -2 : -1);
    }
    case TFLC_TFL_BUILTIN_OPERATOR_UNIDIRECTIONAL_SEQUENCE_LSTM: {
        /* per step and batch row: 4 gates x n_cell x (n_input + n_output) (3 with CIFG), plus
         * the projection n_output x n_cell when present */
        double steps = mv_dim(v, in0, 0) * mv_dim(v, in0, 1), macs = 0;
        for (uint32_t g = 1; g <= 8 && g < iv.len; g++) {
            int32_t w = tflc_fb_vec_i32(iv, g);
            if (w >= 0) macs += mv_elems(v, w);
        }
        if (iv.len > 16 && tflc_fb_vec_i32(iv, 16) >= 0) macs += mv_elems(v, tflc_fb_vec_i32(iv, 16));
        return 2 * steps * macs;
    }
    case TFLC_TFL_BUILTIN_OPERATOR_AVERAGE_POOL_2D:
    case TFLC_TFL_BUILTIN_OPERATOR_MAX_POOL_2D:
    case TFLC_TFL_BUILTIN_OPERATOR_L2_POOL_2D:
        return o.off ? out * tflc_tfl_pool2d_options_filter_height(o) * tflc_tfl_pool2d_options_filter_width(o) : out;
    case TFLC_TFL_BUILTIN_OPERATOR_MEAN:
    case TFLC_TFL_BUILTIN_OPERATOR_SUM:
    case TFLC_TFL_BUILTIN_OPERATOR_REDUCE_MAX:
        return mv_elems(v, in0);
    case TFLC_TFL_BUILTIN_OPERATOR_ADD:
    case TFLC_TFL_BUILTIN_OPERATOR_SUB:
    case TFLC_TFL_BUILTIN_OPERATOR_MUL:
    case TFLC_TFL_BUILTIN_OPERATOR_DIV:
    case TFLC_TFL_BUILTIN_OPERATOR_SOFTMAX:
    case TFLC_TFL_BUILTIN_OPERATOR_LOGISTIC:
    case TFLC_TFL_BUILTIN_OPERATOR_TANH:
    case TFLC_TFL_BUILTIN_OPERATOR_RELU:
    case TFLC_TFL_BUILTIN_OPERATOR_RELU6:
    case TFLC_TFL_BUILTIN_OPERATOR_HARD_SWISH:
    case TFLC_TFL_BUILTIN_OPERATOR_LEAKY_RELU:
        return out;
    default: /* data movement (PAD, RESHAPE, CONCATENATION, ...) and the rest: no arithmetic counted */
        return 0;
    }
}

static bool is_8bit(int dtype) { return dtype == TFLC_TFL_TENSOR_TYPE_INT8 || dtype == TFLC_TFL_TENSOR_TYPE_UINT8; }

static const char *dtype_label(int dtype) {
    const char *n = dtype >= 0 ? tflc_tfl_dtype_name(dtype) : NULL;
    if (!n) return "-";
    if (dtype == TFLC_TFL_TENSOR_TYPE_FLOAT32) return "fp32";
    if (dtype == TFLC_TFL_TENSOR_TYPE_INT8) return "int8";
    return dtype == TFLC_TFL_TENSOR_TYPE_UINT8 ? "uint8" : n;
}

int cmd_bench(int argc, char **argv) {
    const char *path = NULL;
    int threads = 1, runs = 50, warmup = 5;
    double min_secs = 1.0, warmup_min_secs = 0.5;
    bool json = false, reference = false, per_node = false;
    double peak_f32 = 117.0, peak_i8 = 465.0; /* per core: GFLOP/s float32, GOP/s 8-bit */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: tflc bench MODEL.tflite [--threads N] [--runs R] [--warmup W] [--json] [--reference]\n"
                   "                  [--min-secs S]      time at least R runs and S seconds (default 50, 1)\n"
                   "                  [--warmup-min-secs S] warm up at least W runs and S seconds (default 5, 0.5)\n"
                   "                  [--peak F32,INT8]   per-core peak GFLOP/s (float32) and GOP/s (8-bit) for the\n"
                   "                                      per-op-type profile's %% of peak (default 117,465)\n"
                   "                  [--per-node]        also list each node's time in model order\n");
            return 0;
        }
        if (!strcmp(a, "--peak")) {
            if (i + 1 >= argc) return cli_usage("bench", "--peak needs a value");
            char *end;
            peak_f32 = strtod(argv[++i], &end);
            if (*end != ',' || !(peak_f32 > 0)) return cli_usage("bench", "bad value for --peak (F32,INT8)");
            peak_i8 = strtod(end + 1, &end);
            if (*end || !(peak_i8 > 0)) return cli_usage("bench", "bad value for --peak (F32,INT8)");
            continue;
        }
        if (!strcmp(a, "--min-secs") || !strcmp(a, "--warmup-min-secs")) {
            if (i + 1 >= argc) return cli_usage("bench", "%s needs a value", a);
            char *end;
            double v = strtod(argv[++i], &end);
            if (*end || !(v >= 0 && v <= 150)) return cli_usage("bench", "bad value for %s (0 to 150 s)", a);
            *(!strcmp(a, "--min-secs") ? &min_secs : &warmup_min_secs) = v;
            continue;
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
        else if (!strcmp(a, "--per-node")) per_node = true;
        else if (a[0] == '-' && a[1]) return cli_usage("bench", "unknown option '%s'", a);
        else if (path) return cli_usage("bench", "more than one model given");
        else path = a;
    }
    if (!path) return cli_usage("bench", "no model given");
    struct tflc_interp_options opt = tflc_interp_options_default();
    opt.num_threads = threads;
    opt.use_reference = reference;
    if (!run_env_isa(&opt)) return CLI_EXIT_USAGE;
    if (!run_env_arith(&opt)) return CLI_EXIT_USAGE;
    struct run_model rm;
    double tl0 = now_ms();
    if (!run_model_load(&rm, path, &opt)) return CLI_EXIT_BAD_INPUT;
    double load_ms = now_ms() - tl0;
    uint64_t rng = 0x1234567ull;
    for (int i = 0; i < tflc_interp_input_count(rm.it); i++) run_fill_random(tflc_interp_input(rm.it, i), &rng);
    int rc = 0;
    size_t cap = (size_t)runs;
    double *t = malloc(sizeof *t * cap);
    struct prof p = {tflc_interp_op_count(rm.it), NULL, 0};
    p.op_ms = calloc((size_t)(p.nops ? p.nops : 1), sizeof *p.op_ms);
    if (!t || !p.op_ms) { rc = cli_fail(path, "out of memory"); goto done; }
    struct tflc_diag d;
    const double w0 = now_ms();
    int nw = 0;
    for (; nw < warmup || (now_ms() - w0 < warmup_min_secs * 1e3 && nw < 1000000); nw++)
        if (tflc_interp_invoke(rm.it, &d)) { rc = cli_fail(path, "%s", d.msg); goto done; }
    warmup = nw; /* reported: the warm-up invokes actually run */
    {
        const double t0 = now_ms();
        size_t n = 0;
        while (n < (size_t)runs || (now_ms() - t0 < min_secs * 1e3 && n < 1000000)) {
            if (n == cap) {
                double *g = realloc(t, sizeof *t * cap * 2);
                if (!g) { rc = cli_fail(path, "out of memory"); goto done; }
                t = g;
                cap *= 2;
            }
            double s = now_ms();
            if (tflc_interp_invoke(rm.it, &d)) { rc = cli_fail(path, "%s", d.msg); goto done; }
            t[n++] = now_ms() - s;
        }
        runs = (int)n;
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
    /* Aggregate by op type and activation dtype, with FLOPs from the model's shapes. */
    struct model_view mv = {rm.file, {0}, {0}, {0}};
    {
        struct tflc_fb_table model = tflc_tfl_model(rm.file);
        struct tflc_fb_table sg = tflc_fb_vec_table(tflc_tfl_model_subgraphs(model), 0);
        mv.tensors = tflc_tfl_sub_graph_tensors(sg);
        mv.ops = tflc_tfl_sub_graph_operators(sg);
        mv.codes = tflc_tfl_model_operator_codes(model);
    }
    bool have_flops = (int)mv.ops.len == p.nops;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    double cores = threads < ncpu || ncpu < 1 ? threads : (double)ncpu;
    const char *names[512];
    int dtypes[512];
    double tot[512], flops[512];
    int cnt[512], ntypes = 0;
    double all = 0, all_flops = 0;
    for (int k = 0; k < p.nops; k++) {
        const char *nm = tflc_interp_op_name(rm.it, k);
        int dt = -1;
        double f = have_flops ? op_flops(&mv, k, &dt) : 0;
        int j = 0;
        while (j < ntypes && (strcmp(names[j], nm) != 0 || dtypes[j] != dt)) j++;
        if (j == ntypes && ntypes < 512) {
            names[ntypes] = nm; dtypes[ntypes] = dt; tot[ntypes] = 0; flops[ntypes] = 0; cnt[ntypes] = 0; ntypes++;
        }
        if (j < 512) { tot[j] += p.op_ms[k] / prof_runs; flops[j] += f; cnt[j]++; }
        all += p.op_ms[k] / prof_runs;
        all_flops += f;
    }
    /* GFLOP/s of a type and its share of the peak of its arithmetic on `cores` cores */
    double gfs[512], pk[512];
    for (int j = 0; j < ntypes; j++) {
        gfs[j] = tot[j] > 0 ? flops[j] / (tot[j] * 1e6) : 0;
        double peak = (dtypes[j] == TFLC_TFL_TENSOR_TYPE_FLOAT32 ? peak_f32 : is_8bit(dtypes[j]) ? peak_i8 : 0) * cores;
        pk[j] = peak > 0 && flops[j] > 0 ? 100.0 * gfs[j] / peak : -1;
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
        json_key(&jo, "flops"); json_num(&jo, all_flops);
        json_key(&jo, "peak_gflops_per_core_fp32"); json_num(&jo, peak_f32);
        json_key(&jo, "peak_gops_per_core_int8"); json_num(&jo, peak_i8);
        json_key(&jo, "peak_cores"); json_num(&jo, cores);
        json_key(&jo, "ops");
        json_arr_begin(&jo);
        for (int j = 0; j < ntypes; j++) {
            json_obj_begin(&jo);
            json_key(&jo, "op"); json_str(&jo, names[j]);
            json_key(&jo, "dtype"); json_str(&jo, dtype_label(dtypes[j]));
            json_key(&jo, "count"); json_int(&jo, cnt[j]);
            json_key(&jo, "ms"); json_num(&jo, tot[j]);
            json_key(&jo, "flops"); json_num(&jo, flops[j]);
            json_key(&jo, "gflops_per_s"); json_num(&jo, gfs[j]);
            json_key(&jo, "peak_pct");
            if (pk[j] >= 0) json_num(&jo, pk[j]);
            else json_null(&jo);
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
        printf("per op type (mean of %d instrumented runs); %% of peak = GFLOP/s / (%g fp32 | %g int8 per core x %g)\n",
               prof_runs, peak_f32, peak_i8, cores);
        printf("  %-28s %-6s %5s %11s %7s %10s %9s %7s\n", "op", "dtype", "count", "ms", "time", "GFLOP", "GFLOP/s",
               "% peak");
        for (int j = 0; j < ntypes; j++) {
            char pkc[16] = "-";
            if (pk[j] >= 0) snprintf(pkc, sizeof pkc, "%.2f%%", pk[j]);
            printf("  %-28s %-6s x%-4d %11.3f %6.1f%% %10.4f %9.2f %7s\n", names[j], dtype_label(dtypes[j]), cnt[j],
                   tot[j], all > 0 ? 100.0 * tot[j] / all : 0.0, flops[j] / 1e9, gfs[j], pkc);
        }
        printf("  total %.4f GFLOP in %.3f ms: %.2f GFLOP/s\n", all_flops / 1e9, all,
               all > 0 ? all_flops / (all * 1e6) : 0.0);
        if (per_node) {
            printf("per node (mean of %d instrumented runs)\n  %5s %-28s %-6s %9s %9s\n", prof_runs, "node", "op",
                   "dtype", "ms", "GFLOP/s");
            for (int k = 0; k < p.nops; k++) {
                int dt = -1;
                double f = have_flops ? op_flops(&mv, k, &dt) : 0, ms = p.op_ms[k] / prof_runs;
                printf("  %5d %-28s %-6s %9.4f %9.2f\n", k, tflc_interp_op_name(rm.it, k), dtype_label(dt), ms,
                       ms > 0 ? f / (ms * 1e6) : 0.0);
            }
        }
    }
done:
    free(t);
    free(p.op_ms);
    run_model_free(&rm);
    return rc;
}
