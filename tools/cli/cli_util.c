/* CLI helpers: errors, file I/O, atomic writes. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/tflite_model.h"
#include "tflc/runtime.h"

int cli_fail(const char *file, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("tflc: error: ", stderr);
    if (file) fprintf(stderr, "%s: ", file);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_EXIT_BAD_INPUT;
}

int cli_usage(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("tflc: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'tflc %s --help')\n", cmd ? cmd : "help");
    va_end(ap);
    return CLI_EXIT_USAGE;
}

void *cli_read_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { cli_fail(path, "cannot open: %s", strerror(errno)); return NULL; }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        cli_fail(path, "not a regular file");
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > CLI_MAX_FILE_BYTES) {
        cli_fail(path, "file of %lld bytes exceeds the %zu-byte limit", (long long)st.st_size, CLI_MAX_FILE_BYTES);
        close(fd);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    void *buf = tflc_alloc_hosted(n); /* huge pages for big models; free() releases it */
    if (!buf) {
        cli_fail(path, "out of memory reading %zu bytes", n);
        close(fd);
        return NULL;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            cli_fail(path, "read failed: %s", r < 0 ? strerror(errno) : "file shrank");
            free(buf);
            close(fd);
            return NULL;
        }
        got += (size_t)r;
    }
    close(fd);
    *len = n;
    return buf;
}

/* mkstemp creates 0600; give the result the permissions a plain fopen would. */
static int fchmod_default(int fd) {
    mode_t um = umask(0);
    umask(um);
    return fchmod(fd, 0666 & ~um);
}

/* Temporary files not yet renamed into place, removed if a signal ends the process first
 * (SIGINT, SIGTERM, SIGHUP: Ctrl-C, `timeout`, a closed terminal). The handler only calls
 * unlink(), which is async-signal-safe. */
#define MAX_PENDING 64
static char *volatile pending[MAX_PENDING];

static void on_signal(int sig) {
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i]) unlink(pending[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void track(char *tmp) {
    static bool installed;
    if (!installed) {
        installed = true;
        static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_signal;
            sigemptyset(&sa.sa_mask);
            struct sigaction old;
            /* Leave an ignored signal ignored (nohup). */
            if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN) sigaction(sigs[i], &sa, NULL);
        }
    }
    for (int i = 0; i < MAX_PENDING; i++)
        if (!pending[i]) { pending[i] = tmp; return; }
}

static void untrack(const char *tmp) {
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] == tmp) pending[i] = NULL;
}

bool cli_stage(struct cli_staged *s, const char *path, const void *data, size_t len) {
    s->path = path;
    size_t pl = strlen(path);
    s->tmp = malloc(pl + 32);
    if (!s->tmp) { cli_fail(path, "out of memory"); return false; }
    snprintf(s->tmp, pl + 32, "%s.tmp-XXXXXX", path);
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old); /* created and tracked as one step */
    int fd = mkstemp(s->tmp);
    if (fd >= 0) track(s->tmp);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        cli_fail(path, "cannot create a temporary file next to it: %s", strerror(errno));
        free(s->tmp);
        s->tmp = NULL;
        return false;
    }
    size_t done = 0;
    bool ok = true;
    while (done < len) {
        ssize_t w = write(fd, (const char *)data + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { ok = false; break; }
        done += (size_t)w;
    }
    if (ok && fsync(fd) != 0) ok = false;
    int err = errno;
    if (ok) (void)fchmod_default(fd);
    if (close(fd) != 0 && ok) { ok = false; err = errno; }
    if (!ok) {
        cli_fail(path, "write failed: %s", strerror(err ? err : EIO));
        cli_discard(s, 1);
    }
    return ok;
}

bool cli_commit(struct cli_staged *s, int n) {
    for (int i = 0; i < n; i++) {
        struct stat st;
        /* rename() would replace a directory's entry only when it is empty; refuse up front. */
        if (stat(s[i].path, &st) == 0 && S_ISDIR(st.st_mode)) {
            cli_fail(s[i].path, "is a folder; nothing written");
            cli_discard(s, n);
            return false;
        }
    }
    for (int i = 0; i < n; i++) {
        if (rename(s[i].tmp, s[i].path) != 0) {
            cli_fail(s[i].path, "write failed: %s", strerror(errno));
            cli_discard(s + i, n - i);
            return false;
        }
        untrack(s[i].tmp);
        free(s[i].tmp);
        s[i].tmp = NULL;
    }
    return true;
}

void cli_discard(struct cli_staged *s, int n) {
    for (int i = 0; i < n; i++) {
        if (!s[i].tmp) continue;
        unlink(s[i].tmp);
        untrack(s[i].tmp);
        free(s[i].tmp);
        s[i].tmp = NULL;
    }
}

bool cli_write_atomic(const char *path, const void *data, size_t len) {
    struct cli_staged s;
    return cli_stage(&s, path, data, len) && cli_commit(&s, 1);
}

bool cli_same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0) return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool cli_verify_tflite(const char *path, const void *buf, size_t len) {
    size_t ss = TFLC_TFL_VERIFY_SCRATCH(len);
    void *scratch = malloc(ss);
    if (!scratch) { cli_fail(path, "out of memory"); return false; }
    struct tflc_diag d;
    enum tflc_status st = tflc_tfl_verify(buf, len, NULL, scratch, ss, &d);
    free(scratch);
    if (st != TFLC_STATUS_OK) { cli_fail(path, "%s", d.msg); return false; }
    return true;
}
