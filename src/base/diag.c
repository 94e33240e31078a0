/* Status strings and the caller-owned diagnostic (see include/tflc/status.h). */
#include "tflc/status.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const status_names[] = {
#define TFLC_X_(n, s) s,
    TFLC_STATUS_LIST(TFLC_X_)
#undef TFLC_X_
};
_Static_assert(sizeof status_names / sizeof status_names[0] == TFLC_STATUS_COUNT,
               "status_names must cover every status");

const char *tflc_status_str(enum tflc_status st) {
    if ((unsigned)st >= TFLC_STATUS_COUNT) return "unknown status";
    return status_names[st];
}

enum tflc_status tflc_diag_set(struct tflc_diag *diag, enum tflc_status st, const char *fmt, ...) {
    if (diag) {
        va_list ap;
        va_start(ap, fmt);
        diag->status = st;
        vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
        va_end(ap);
    }
    return st;
}
