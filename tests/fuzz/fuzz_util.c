/* Helpers shared by the fuzz targets (see fuzz.h). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "format/tflite_model.h"
#include "fuzz.h"
#include "tflc/convert.h"
#include "tflc/runtime.h"

/* Sanitizer runtime hook (weak: absent in plain builds). */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static pid_t main_pid;

void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out, size_t out_size) __attribute__((weak));

/* True when the code the sanitizer caught is libhdf5's own (a third-party bug the sandbox is
 * there to contain): the first frame of the report's stack outside the sanitizer runtime and
 * this file lies in libhdf5. Frames are told apart by module and source file (needs -g). */
static bool caught_in_libhdf5(void) {
    if (!__sanitizer_symbolize_pc) return false;
    void *pcs[64];
    int n = backtrace(pcs, 64);
    for (int i = 0; i < n; i++) {
        char where[512];
        /* module | source file (frames of code without debug info have none) */
        __sanitizer_symbolize_pc((char *)pcs[i] - 1, "%m|%s", where, sizeof where);
        if (getenv("TFLC_FUZZ_DEBUG")) dprintf(2, "frame %d: %s\n", i, where);
        if (strstr(where, "libhdf5")) return true;
        /* The sanitizer runtime, libc and this file; other code of this executable without
         * source information is the runtime's too (tflc is built with -g here). */
        if (strstr(where, "sanitizer") || strstr(where, "compiler-rt") || strstr(where, "fuzz_util.c") ||
            strstr(where, "libasan") || strstr(where, "libubsan") || strstr(where, "libc.so") || strstr(where, "|<null>"))
            continue;
        return false;
    }
    return false;
}

/* A sanitizer report in a forked reader child (src/frontend/sandbox.c) would otherwise only
 * turn into "the file could not be read" in the parent: take the parent down with it, unless
 * the error is inside libhdf5 (then the child dies, and tflc reports a clean error, as it does
 * without sanitizers). Under libFuzzer its own callback replaces this one and saves the input
 * from the child; run_fuzzers.sh replays such inputs through this callback. */
static void child_death(void) {
    if (getpid() != main_pid && !caught_in_libhdf5()) kill(getppid(), SIGABRT);
}

static bool quiet;
int fuzz_replaying;

void fuzz_bug(const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dprintf(2, "fuzz: property violated: %s\n", msg);
    abort();
}

void fuzz_quiet(void) {
    if (!main_pid) {
        main_pid = getpid();
        if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(child_death);
    }
    /* Under libFuzzer, -close_fd_mask=3 does this (and keeps libFuzzer's own output). */
    if (!fuzz_replaying || quiet || getenv("TFLC_FUZZ_VERBOSE")) return;
    fuzz_silence_stdio();
    quiet = true;
}

void fuzz_silence_stdio(void) {
    /* The streams, not file descriptors 1 and 2: sanitizers (GCC's UBSan library included)
     * write their reports straight to descriptor 2, which stays the real stderr. */
    fflush(NULL);
    FILE *nul = fopen("/dev/null", "w");
    if (!nul) return;
    stdout = nul;
    stderr = nul;
}

static char tmpdir[256];

void fuzz_clean_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[600];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            fuzz_clean_dir(p);
            rmdir(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
}

static pid_t owner;

static void remove_tmpdir(void) {
    if (tmpdir[0] && getpid() == owner) {
        fuzz_clean_dir(tmpdir);
        rmdir(tmpdir);
    }
}

const char *fuzz_tmpdir(void) {
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/tflc-fuzz-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmpdir)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        owner = getpid();
        atexit(remove_tmpdir);
    }
    return tmpdir;
}

void fuzz_write_file(const char *path, const void *data, size_t size) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror(path);
        abort();
    }
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, (const char *)data + done, size - done);
        if (w <= 0) {
            perror(path);
            abort();
        }
        done += (size_t)w;
    }
    close(fd);
}

void fuzz_convert_and_check(const char *path) {
    struct tflc_bytes out;
    struct tflc_diag d;
    if (tflc_convert_file(path, NULL, &out, NULL, &d) == TFLC_STATUS_OK) {
        size_t ss = TFLC_TFL_VERIFY_SCRATCH(out.size);
        void *scratch = malloc(ss);
        if (tflc_tfl_verify(out.data, out.size, NULL, scratch, ss, &d) != TFLC_STATUS_OK)
            fuzz_bug("convert accepted %s but its output does not verify: %s", path, d.msg);
        free(scratch);
        size_t need;
        enum tflc_status st = tflc_interp_arena_size_hosted(out.data, out.size, NULL, &need, &d);
        if (st == TFLC_STATUS_INVALID_MODEL) fuzz_bug("convert wrote a model the runtime calls invalid: %s", d.msg);
        tflc_bytes_free(&out);
    }
    char *av[] = {"inspect", (char *)path, NULL};
    cmd_inspect(2, av);
}
