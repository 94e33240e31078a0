/* tflc/status.h - status codes and the caller-owned diagnostic.
 *
 * Every fallible tflc function returns enum tflc_status and takes an optional
 * `struct tflc_diag *` as its last parameter (NULL = don't care). The library never
 * prints, aborts or keeps a global "last error": the message goes into the diag.
 *
 *   struct tflc_diag d;
 *   if (tflc_model_verify(buf, len, &d) != TFLC_STATUS_OK)
 *       fprintf(stderr, "%s: %s\n", tflc_status_str(d.status), d.msg);
 */
#ifndef TFLC_STATUS_H
#define TFLC_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define TFLC_API
#else
#define TFLC_API __attribute__((visibility("default")))
#endif

/* X(name, string) */
#define TFLC_STATUS_LIST(X)                                    \
    X(OK, "ok")                                                \
    X(INVALID_ARGUMENT, "invalid argument")                    \
    X(INVALID_MODEL, "invalid model")                          \
    X(UNSUPPORTED, "unsupported")                              \
    X(OUT_OF_MEMORY, "out of memory")                          \
    X(ARENA_TOO_SMALL, "arena too small")                      \
    X(IO, "i/o error")                                         \
    X(INTERNAL, "internal error")

enum tflc_status {
#define TFLC_X_(n, s) TFLC_STATUS_##n,
    TFLC_STATUS_LIST(TFLC_X_)
#undef TFLC_X_
    TFLC_STATUS_COUNT
};

#define TFLC_DIAG_MSG_SIZE 256

/* Caller-owned diagnostic. `msg` is always NUL-terminated after a tflc call that set it. */
struct tflc_diag {
    enum tflc_status status;
    char msg[TFLC_DIAG_MSG_SIZE];
};

/* Static string for a status ("invalid model", ...). Never NULL. */
TFLC_API const char *tflc_status_str(enum tflc_status st);

/* Records `st` and a printf-style message in `diag` (if non-NULL) and returns `st`. */
TFLC_API enum tflc_status tflc_diag_set(struct tflc_diag *diag, enum tflc_status st,
                                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
