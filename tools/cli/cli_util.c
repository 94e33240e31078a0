/* CLI helpers: errors, file I/O, atomic writes. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/tflite_model.h"

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
    void *buf = NULL;
    if (posix_memalign(&buf, 64, n ? n : 1) != 0) {
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
static int fchmod_default(const char *p) {
    mode_t um = umask(0);
    umask(um);
    return chmod(p, 0666 & ~um);
}

bool cli_write_atomic(const char *path, const void *data, size_t len) {
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 32);
    if (!tmp) { cli_fail(path, "out of memory"); return false; }
    snprintf(tmp, pl + 32, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        cli_fail(path, "cannot create a temporary file next to it: %s", strerror(errno));
        free(tmp);
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
    if (close(fd) != 0) ok = false;
    if (ok) (void)fchmod_default(tmp);
    if (ok && rename(tmp, path) != 0) { ok = false; err = errno; }
    if (!ok) {
        unlink(tmp);
        cli_fail(path, "write failed: %s", strerror(err));
    }
    free(tmp);
    return ok;
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
