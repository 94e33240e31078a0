/* Internal error helpers (see house style section 5). */
#ifndef TFLC_BASE_DIAG_H
#define TFLC_BASE_DIAG_H

#include "tflc/status.h"

#define TFLC_TRY(expr)                                        \
    do {                                                      \
        enum tflc_status s_ = (expr);                         \
        if (s_ != TFLC_STATUS_OK) return s_;                  \
    } while (0)

#define TFLC_CHECK(cond, st, diag, ...)                                  \
    do {                                                                 \
        if (!(cond)) return tflc_diag_set((diag), (st), __VA_ARGS__);    \
    } while (0)

#endif
