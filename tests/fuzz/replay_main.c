/* Plain main for the fuzz targets (no libFuzzer): runs every file given, or every file in
 * the folders given, through LLVMFuzzerTestOneInput. ctest uses it to replay the committed
 * corpora under ASan + UBSan.
 *
 *   fuzz_X_replay [--prefixes] [--mutations N] [--seed S] [--seconds T] FILE|DIR ...
 *
 * --prefixes     also runs every prefix of each file (cut at every byte up to 4 KiB, then
 *                at 97 evenly spaced points)
 * --mutations N  also runs N seeded mutants of each file (bit flips, byte runs set to
 *                0x00 / 0xff / random, 32-bit fields set to extreme values, truncation,
 *                duplicated or deleted chunks)
 * --seconds T    stops starting new inputs after T seconds (the count run is printed)
 * A crash, sanitizer report or violated property aborts; exit 0 otherwise. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "mutate.h"

static uint64_t rng_state = 1;
static double deadline;
static size_t runs;

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int out_of_time(void) { return deadline > 0 && now_s() > deadline; }

static void run_one(const uint8_t *d, size_t n) {
    /* A fresh heap copy, exactly n bytes, so ASan sees any over-read. */
    if (n > ((size_t)1 << 30)) abort();
    uint8_t *c = malloc(n ? n : 1);
    if (!c) abort();
    if (n) memcpy(c, d, n);
    LLVMFuzzerTestOneInput(c, n);
    free(c);
    runs++;
}

static void run_file(const char *path, int prefixes, long mutations) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (sz < 0 || sz > (1L << 30)) { fprintf(stderr, "%s: unreadable or over 1 GiB\n", path); exit(1); }
    size_t n = (size_t)sz;
    uint8_t *d = malloc(n ? n : 1);
    if (!d || (n && fread(d, 1, n, f) != n)) { perror(path); exit(1); }
    fclose(f);
    run_one(d, n);
    if (prefixes) {
        for (size_t k = 0; k < n && k <= 4096 && !out_of_time(); k++) run_one(d, k);
        for (int s = 1; s < 98 && n > 4096 && !out_of_time(); s++) run_one(d, 4096 + (n - 4096) * (size_t)s / 98);
    }
    for (long i = 0; i < mutations && !out_of_time(); i++) {
        uint8_t *m;
        size_t mn;
        fuzz_mutate(d, n, &rng_state, &m, &mn);
        run_one(m, mn);
        free(m);
    }
    free(d);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void run_path(const char *path, int prefixes, long mutations) {
    struct stat st;
    if (stat(path, &st) != 0) { perror(path); exit(1); }
    if (!S_ISDIR(st.st_mode)) { run_file(path, prefixes, mutations); return; }
    DIR *dir = opendir(path);
    if (!dir) { perror(path); exit(1); }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.') continue;
        names = realloc(names, sizeof *names * (n + 1));
        size_t l = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(l);
        snprintf(names[n], l, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp); /* same order every run */
    for (size_t i = 0; i < n; i++) {
        if (!out_of_time()) run_path(names[i], prefixes, mutations);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv) {
    int prefixes = 0;
    long mutations = 0;
    double seconds = 0;
    int out = dup(1); /* targets may send stdout to /dev/null */
    fuzz_replaying = 1;
    LLVMFuzzerInitialize(&argc, &argv);
    int first = 1;
    for (; first < argc && argv[first][0] == '-' && argv[first][1] == '-'; first++) {
        const char *a = argv[first];
        if (!strcmp(a, "--prefixes")) prefixes = 1;
        else if (!strcmp(a, "--mutations") && first + 1 < argc) mutations = atol(argv[++first]);
        else if (!strcmp(a, "--seed") && first + 1 < argc) rng_state = strtoull(argv[++first], NULL, 10) * 0x9E3779B97F4A7C15ull + 1;
        else if (!strcmp(a, "--seconds") && first + 1 < argc) seconds = atof(argv[++first]);
        else { fprintf(stderr, "usage: %s [--prefixes] [--mutations N] [--seed S] [--seconds T] FILE|DIR ...\n", argv[0]); return 2; }
    }
    if (first >= argc) { fprintf(stderr, "%s: no corpus given\n", argv[0]); return 2; }
    double t0 = now_s();
    if (seconds > 0) deadline = t0 + seconds;
    for (int i = first; i < argc; i++) run_path(argv[i], prefixes, mutations);
    dprintf(out >= 0 ? out : 1, "%s: %zu inputs in %.1f s%s\n", argv[0], runs, now_s() - t0,
            out_of_time() ? " (time budget reached)" : "");
    return 0;
}
