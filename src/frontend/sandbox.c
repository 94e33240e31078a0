/* Forked parser sandbox (see sandbox.h). POSIX only. */
#define _POSIX_C_SOURCE 200809L
#include "frontend/sandbox.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* AddressSanitizer's shadow memory already reserves terabytes of address space. */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

/* Caps the child's address space at what it has now plus the result budget and 512 MiB, so a
 * reader that asks for terabytes fails its allocation instead of swapping the machine. */
static void limit_memory(size_t max_bytes) {
#ifdef SANDBOX_ASAN
    (void)max_bytes;
#else
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (!f) return;
    int ok = fscanf(f, "%lu", &pages) == 1;
    fclose(f);
    long psz = sysconf(_SC_PAGESIZE);
    if (!ok || psz <= 0) return;
    uint64_t cap = (uint64_t)pages * (uint64_t)psz + (uint64_t)max_bytes + ((uint64_t)512 << 20);
    struct rlimit cur;
    if (getrlimit(RLIMIT_AS, &cur) != 0 || (cur.rlim_cur != RLIM_INFINITY && cur.rlim_cur <= cap)) return;
    struct rlimit as = {(rlim_t)cap, cur.rlim_max};
    setrlimit(RLIMIT_AS, &as);
#endif
}

enum tflc_status tflc_sandbox_run(const char *what, tflc_sandbox_fn fn, void *ud, size_t max_bytes, unsigned seconds,
                                  void **data, size_t *len, struct tflc_diag *diag) {
    *data = NULL;
    *len = 0;
    int fds[2];
    if (pipe(fds) != 0) return tflc_diag_set(diag, TFLC_STATUS_IO, "%s: cannot create a pipe", what);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return tflc_diag_set(diag, TFLC_STATUS_IO, "%s: cannot fork the reader", what);
    }
    if (pid == 0) {
        close(fds[0]);
        /* Die by the signal, not by whatever handler the parent installed (a CLI cleanup
         * handler, a fuzzer's crash reporter): the parent turns it into an error. */
        static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGALRM,
                                   SIGXCPU, SIGINT, SIGTERM, SIGHUP, SIGPIPE};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) signal(sigs[i], SIG_DFL);
        struct rlimit cpu = {seconds, seconds + 1};
        setrlimit(RLIMIT_CPU, &cpu);
        limit_memory(max_bytes);
        alarm(seconds * 2 + 1);
        FILE *out = fdopen(fds[1], "wb");
        int rc = out ? fn(ud, out) : 1;
        if (out && fflush(out) != 0) rc = 1;
        _exit(rc);
    }
    close(fds[1]);
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    bool too_big = false, oom = !buf;
    for (;;) {
        if (!oom && !too_big && n == cap) {
            size_t nc = cap * 2;
            if (nc > max_bytes + 1) nc = max_bytes + 1;
            unsigned char *nb = nc > cap ? realloc(buf, nc) : NULL;
            if (!nb) { if (nc > cap) oom = true; else too_big = true; }
            else { buf = nb; cap = nc; }
        }
        unsigned char sink[4096];
        unsigned char *dst = (!oom && !too_big && n < cap) ? buf + n : sink;
        size_t room = dst == sink ? sizeof sink : cap - n;
        ssize_t r = read(fds[0], dst, room);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        if (dst != sink) n += (size_t)r;
        if (n > max_bytes) too_big = true;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    enum tflc_status st = TFLC_STATUS_OK;
    if (oom) st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "%s: out of memory", what);
    else if (too_big) st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "%s: more than %zu bytes of weights and config", what, max_bytes);
    else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "%s: the reader %s (signal %d); the file is corrupt", what,
                           sig == SIGXCPU || sig == SIGALRM ? "timed out" : "crashed", sig);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* The child wrote its error message as the last line. */
        char msg[200] = "the file could not be read";
        if (buf && n) {
            size_t s = n > 199 ? n - 199 : 0;
            size_t k = 0;
            for (size_t i = s; i < n && k < sizeof msg - 1; i++) msg[k++] = buf[i] >= 0x20 && buf[i] < 0x7f ? (char)buf[i] : ' ';
            msg[k] = 0;
            /* msg held printable bytes only; the message is what follows the child's last '\n'. */
            size_t last = n;
            while (last > s && buf[last - 1] != '\n') last--;
            k = 0;
            for (size_t i = last; i < n && k < sizeof msg - 1; i++) msg[k++] = buf[i] >= 0x20 && buf[i] < 0x7f ? (char)buf[i] : ' ';
            msg[k] = 0;
            if (!k) snprintf(msg, sizeof msg, "the file could not be read");
        }
        st = tflc_diag_set(diag, TFLC_STATUS_INVALID_MODEL, "%s", msg);
    }
    if (st != TFLC_STATUS_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    *len = n;
    return TFLC_STATUS_OK;
}
