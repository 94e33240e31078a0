/* The one-time CPU feature probe (the runtime's only global state: pure and idempotent).
 * Tells which microkernel ISAs (enum tflc_isa) this CPU and OS can run. On targets without
 * a probe (microcontrollers, unknown compilers) only TFLC_ISA_REF is reported. */
#ifndef TFLC_BASE_CPU_FEATURES_H
#define TFLC_BASE_CPU_FEATURES_H

#include <stdbool.h>

#include "tflc/runtime.h"

/* True when the CPU can run `isa` (AUTO and REF: always). Independent of what the build
 * compiled in; see tflc_isa_supported() for both. */
bool tflc_cpu_has(enum tflc_isa isa);

/* The best ISA this CPU has among those the build compiled (`built[isa]` true). */
enum tflc_isa tflc_cpu_best(const bool built[TFLC_ISA_COUNT]);

#endif
