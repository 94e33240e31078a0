/* cli_mutants: hostile variants of real models through `tflc inspect`, `tflc run` and
 * `tflc convert`, in process (the CLI's own cmd_* functions), so a sanitizer build checks
 * every byte the CLI touches.
 *
 *   cli_mutants [--prefixes] [--mutations N] [--seed S] [--seconds T] MODEL[@N] ...
 *
 * For every model: the model itself, every prefix (--prefixes: each length up to 4 KiB or
 * --prefix-bytes, then 61 evenly spaced cuts) and N seeded mutants (tests/fuzz/mutate.c; MODEL@N overrides N for
 * one model) are written next to copies
 * of the model's companion files (a model.json's weight shards) and run through
 *   inspect FILE                                     (every model)
 *   run FILE --random-input --output-dir OUT         (.tflite)
 *   convert FILE -o OUT/model.tflite                 (every model)
 * Each command must: return 0 or 1 (never a usage error, crash, abort or sanitizer report);
 * on 1, print `tflc: error: ...` lines naming a file and leave OUT empty (no output, no
 * temporary file); on 0, leave only complete results (convert: a .tflite that verifies; run:
 * out0.npy ... that parse as .npy). Violations are printed with the mutant saved for replay;
 * the exit status is 1 when there were any. A --seconds budget stops starting new inputs. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "format/tflite_model.h"
#include "fuzz.h"
#include "mutate.h"
#include "npy.h"

static char work[300], out_dir[400], err_path[400], keep_dir[400];
static int real_err = 2;
static size_t inputs, commands, violations;
static double deadline;

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vdprintf(real_err, fmt, ap);
    va_end(ap);
}

static void write_file(const char *path, const void *d, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(d, 1, n, f) != n) || fclose(f) != 0) {
        say("cli_mutants: cannot write %s\n", path);
        exit(2);
    }
}

static void *read_file(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (sz < 0) { fclose(f); return NULL; }
    char *b = malloc((size_t)sz + 1);
    if (b && fread(b, 1, (size_t)sz, f) != (size_t)sz) { free(b); b = NULL; }
    fclose(f);
    if (b) { b[sz] = 0; *n = (size_t)sz; }
    return b;
}

static void clean_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[700];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) { clean_dir(p); rmdir(p); }
        else unlink(p);
    }
    closedir(d);
}

/* Names in `dir` (sorted, '\n'-separated) into buf; count returned. */
static int list_dir(const char *dir, char *buf, size_t cap) {
    DIR *d = opendir(dir);
    buf[0] = 0;
    if (!d) return 0;
    int n = 0;
    size_t used = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        int w = snprintf(buf + used, cap - used, "%s%s", n ? " " : "", e->d_name);
        if (w > 0 && (size_t)w < cap - used) used += (size_t)w;
        n++;
    }
    closedir(d);
    return n;
}

static const char *what_now;  /* description of the current input, for reports */
static const uint8_t *cur_data;
static size_t cur_len;
static const char *cur_ext;

static void violation(const char *cmd, const char *fmt, ...) {
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char keep[600];
    snprintf(keep, sizeof keep, "%s/violation-%zu%s", keep_dir, violations, cur_ext);
    write_file(keep, cur_data, cur_len);
    say("VIOLATION: tflc %s on %s: %s (input saved as %s)\n", cmd, what_now, msg, keep);
    violations++;
}

/* Runs one CLI command in process with the stdout stream to /dev/null and the stderr stream
 * to err_path. The streams, not descriptors 1 and 2: sanitizer reports go to descriptor 2. */
static int run_cmd(int (*fn)(int, char **), int argc, char **argv, char *err, size_t errcap) {
    fflush(NULL);
    FILE *ef = fopen(err_path, "w"), *nul = fopen("/dev/null", "w");
    if (!ef || !nul) { say("cli_mutants: cannot open %s\n", err_path); exit(2); }
    FILE *so = stdout, *se = stderr;
    stdout = nul;
    stderr = ef;
    int rc = fn(argc, argv);
    stdout = so;
    stderr = se;
    fclose(ef);
    fclose(nul);
    size_t n = 0;
    char *e = read_file(err_path, &n);
    snprintf(err, errcap, "%s", e ? e : "");
    free(e);
    commands++;
    return rc;
}

/* Every line of a refusal is "tflc: error: FILE: message" for one of the command's files. */
static bool error_style_ok(const char *err, const char *in, const char *out) {
    if (!*err) return false;
    const char *p = err;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > 0 && p[0] != '\r') {
            /* Calibration progress and the like never appear here (no tty); every line is an error. */
            if (strncmp(p, "tflc: error: ", 13) != 0) return false;
            const char *f = p + 13;
            size_t li = strlen(in), lo = out ? strlen(out) : 0;
            bool named = (len - 13 > li && !strncmp(f, in, li) && f[li] == ':') ||
                         (out && len - 13 > lo && !strncmp(f, out, lo) && f[lo] == ':');
            if (!named) return false;
        }
        if (!nl) break;
        p = nl + 1;
    }
    return true;
}

static void check_inspect(const char *path) {
    char err[4096];
    char *av[] = {"inspect", (char *)path, NULL};
    int rc = run_cmd(cmd_inspect, 2, av, err, sizeof err);
    if (rc != 0 && rc != 1) violation("inspect", "exit status %d", rc);
    else if (rc == 1 && !error_style_ok(err, path, NULL)) violation("inspect", "refusal without a proper message: '%.200s'", err);
}

static void check_run(const char *path) {
    char err[4096], names[2048];
    clean_dir(out_dir);
    char *av[] = {"run", (char *)path, "--random-input", "--output-dir", out_dir, NULL};
    int rc = run_cmd(cmd_run, 5, av, err, sizeof err);
    int n = list_dir(out_dir, names, sizeof names);
    if (rc != 0 && rc != 1) { violation("run", "exit status %d", rc); return; }
    if (rc == 1) {
        if (!error_style_ok(err, path, out_dir)) violation("run", "refusal without a proper message: '%.200s'", err);
        if (n) violation("run", "refused but left files in the output folder: %s", names);
        return;
    }
    for (int i = 0; i < n; i++) {
        char p[700];
        snprintf(p, sizeof p, "%s/out%d.npy", out_dir, i);
        size_t len;
        void *b = read_file(p, &len);
        struct npy np;
        char e[160];
        if (!b) { violation("run", "output folder holds %s, not out0..out%d.npy", names, n - 1); return; }
        if (!npy_parse(b, len, &np, e, sizeof e)) { violation("run", "%s is not a complete .npy: %s", p, e); return; }
        npy_free(&np);
    }
}

static void check_convert(const char *path) {
    char err[4096], names[2048], out[600];
    clean_dir(out_dir);
    snprintf(out, sizeof out, "%s/model.tflite", out_dir);
    char *av[] = {"convert", (char *)path, "-o", out, NULL};
    int rc = run_cmd(cmd_convert, 4, av, err, sizeof err);
    int n = list_dir(out_dir, names, sizeof names);
    if (rc != 0 && rc != 1) { violation("convert", "exit status %d", rc); return; }
    if (rc == 1) {
        if (!error_style_ok(err, path, out)) violation("convert", "refusal without a proper message: '%.200s'", err);
        if (n) violation("convert", "refused but left files behind: %s", names);
        return;
    }
    size_t len;
    void *b = read_file(out, &len);
    if (!b || n != 1) { violation("convert", "succeeded but the output folder holds: %s", names); free(b); return; }
    size_t ss = TFLC_TFL_VERIFY_SCRATCH(len);
    void *scratch = malloc(ss);
    struct tflc_diag d;
    if (tflc_tfl_verify(b, len, NULL, scratch, ss, &d) != TFLC_STATUS_OK) violation("convert", "wrote a model that does not verify: %s", d.msg);
    free(scratch);
    free(b);
}

static bool ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static void run_input(const char *in_path, const uint8_t *d, size_t n, bool tflite) {
    cur_data = d;
    cur_len = n;
    write_file(in_path, d, n);
    /* Whatever kills the process (a sanitizer report), the input it ran is kept here. */
    char keep[600];
    snprintf(keep, sizeof keep, "%s/cli_mutants-current%s", keep_dir, cur_ext);
    write_file(keep, d, n);
    snprintf(keep, sizeof keep, "%s/cli_mutants-current.txt", keep_dir);
    write_file(keep, what_now, strlen(what_now));
    check_inspect(in_path);
    if (tflite) check_run(in_path);
    check_convert(in_path);
    inputs++;
}

static bool out_of_time(void) { return deadline > 0 && now_s() > deadline; }

/* Copies the files next to a model.json (its weight shards) into the work folder. */
static void copy_companions(const char *model, const char *dst_dir) {
    char dir[600];
    snprintf(dir, sizeof dir, "%s", model);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    else snprintf(dir, sizeof dir, ".");
    DIR *dd = opendir(dir);
    if (!dd) return;
    struct dirent *e;
    while ((e = readdir(dd))) {
        if (!ends_with(e->d_name, ".bin")) continue;
        char s[900], t[900];
        snprintf(s, sizeof s, "%s/%s", dir, e->d_name);
        snprintf(t, sizeof t, "%s/%s", dst_dir, e->d_name);
        size_t len;
        void *b = read_file(s, &len);
        if (b) write_file(t, b, len);
        free(b);
    }
    closedir(dd);
}

static size_t prefix_bytes = 4096;

static void run_model(const char *model, bool prefixes, long mutations, uint64_t *rng) {
    size_t n;
    uint8_t *d = read_file(model, &n);
    if (!d) { say("cli_mutants: cannot read %s\n", model); exit(2); }
    bool tflite = n >= 8 && !memcmp(d + 4, "TFL3", 4);
    cur_ext = ends_with(model, ".h5") ? ".h5" : ends_with(model, ".keras") ? ".keras" : ends_with(model, ".json") ? ".json" : ".tflite";
    char in_dir[400], in_path[500];
    snprintf(in_dir, sizeof in_dir, "%s/in", work);
    clean_dir(in_dir);
    mkdir(in_dir, 0700);
    if (!strcmp(cur_ext, ".json")) copy_companions(model, in_dir);
    snprintf(in_path, sizeof in_path, "%s/model%s", in_dir, cur_ext);
    char what[700];
    what_now = what;
    size_t before = inputs;
    snprintf(what, sizeof what, "%s", model);
    run_input(in_path, d, n, tflite);
    if (prefixes) {
        for (size_t k = 0; k < n && k <= prefix_bytes && !out_of_time(); k++) {
            snprintf(what, sizeof what, "%s cut to %zu bytes", model, k);
            run_input(in_path, d, k, tflite);
        }
        for (int s = 1; s < 62 && n > prefix_bytes && !out_of_time(); s++) {
            size_t k = prefix_bytes + (n - prefix_bytes) * (size_t)s / 62;
            snprintf(what, sizeof what, "%s cut to %zu bytes", model, k);
            run_input(in_path, d, k, tflite);
        }
    }
    for (long i = 0; i < mutations && !out_of_time(); i++) {
        uint8_t *m;
        size_t mn;
        fuzz_mutate(d, n, rng, &m, &mn);
        snprintf(what, sizeof what, "%s mutant %ld", model, i);
        run_input(in_path, m, mn, tflite);
        free(m);
    }
    say("cli_mutants: %s: %zu inputs\n", model, inputs - before);
    free(d);
}

int main(int argc, char **argv) {
    bool prefixes = false;
    long mutations = 0;
    uint64_t rng = 1;
    double seconds = 0;
    int i = 1;
    for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
        if (!strcmp(argv[i], "--prefixes")) prefixes = true;
        else if (!strcmp(argv[i], "--mutations") && i + 1 < argc) mutations = atol(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) rng = strtoull(argv[++i], NULL, 10) * 0x9E3779B97F4A7C15ull + 1;
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--prefix-bytes") && i + 1 < argc) prefix_bytes = (size_t)atol(argv[++i]);
        else {
            fprintf(stderr, "usage: cli_mutants [--prefixes] [--prefix-bytes N] [--mutations N] [--seed S] [--seconds T] MODEL[@N] ...\n");
            return 2;
        }
    }
    real_err = 2;
    const char *tmp = getenv("TMPDIR");
    snprintf(work, sizeof work, "%s/tflc-mutants-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(work)) { perror("mkdtemp"); return 2; }
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", work);
    snprintf(keep_dir, sizeof keep_dir, "%s", getenv("TFLC_MUTANTS_KEEP") ? getenv("TFLC_MUTANTS_KEEP") : ".");
    mkdir(out_dir, 0700);
    double t0 = now_s();
    if (seconds > 0) deadline = t0 + seconds;
    for (; i < argc && !out_of_time(); i++) {
        /* MODEL@N: N mutants of this model instead of --mutations */
        long n = mutations;
        char *at = strrchr(argv[i], '@');
        if (at && at[1] && strspn(at + 1, "0123456789") == strlen(at + 1)) {
            n = atol(at + 1);
            *at = 0;
        }
        run_model(argv[i], prefixes, n, &rng);
    }
    clean_dir(work);
    rmdir(work);
    say("cli_mutants: %zu inputs, %zu commands in %.1f s%s; %zu violations\n", inputs, commands, now_s() - t0,
        out_of_time() ? " (time budget reached)" : "", violations);
    return violations ? 1 : 0;
}
