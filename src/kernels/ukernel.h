/* Microkernels: the optimized inner loops the ops call (XNNPACK's operator / microkernel
 * split). Ops (src/kernels/ref/<op>.c) own everything else: validation, geometry, weight
 * packing at prepare, requantization parameters, and cutting the work into tasks.
 *
 * One table, struct tflc_ukernels, holds a function pointer per microkernel family. The
 * table for an ISA starts as the portable reference versions (ref_ukernels.c, or NULL where
 * an op keeps its own reference loop) and each ISA directory overwrites the entries it
 * implements:
 *   src/kernels/x86_avx2/       compiled with -mavx2 -mfma            (TFLC_ISA_AVX2)
 *   src/kernels/x86_avx512/     + -mavx512f -mavx512bw -mavx512dq -mavx512vl (TFLC_ISA_AVX512)
 *   src/kernels/x86_vnni/       + -mavx512vnni                         (TFLC_ISA_AVX512VNNI)
 *   src/kernels/arm_neon/       AArch64 base                           (TFLC_ISA_NEON)
 *   src/kernels/arm_dotprod/    -march=armv8.2-a+dotprod               (TFLC_ISA_NEON_DOT)
 * An ISA implies the ones before it in its family, so the AVX-512 table starts from the
 * AVX2 one. select.c is the only ISA-aware dispatch code; nothing else has ISA #ifdefs.
 *
 * Names: tflc_uk_<family>_<dtype>_<tile>__<isa> (everything after "__" is "how").
 * Every entry is tested against the reference (tests/kernels/test_ukernels.c): int8
 * bit-exact, float within the tolerance stated there. */
#ifndef TFLC_KERNELS_UKERNEL_H
#define TFLC_KERNELS_UKERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tflc/runtime.h"

struct tflc_ukernels {
    enum tflc_isa isa;
    /* Families are added here, each with its contract documented next to it. */
};

/* The table for `isa` (built once, then read-only; REF and AUTO give the reference table).
 * NULL when the build lacks that ISA. */
const struct tflc_ukernels *tflc_ukernels_get(enum tflc_isa isa);

/* The best ISA this CPU runs among those compiled in (TFLC_ISA_REF when none). */
enum tflc_isa tflc_isa_best(void);

/* True when this build compiled the microkernels of `isa` (REF: always). */
bool tflc_ukernels_built(enum tflc_isa isa);

/* Per-ISA fillers (each defined in its directory; called by select.c only). */
void tflc_ukernels_fill__ref(struct tflc_ukernels *uk);
void tflc_ukernels_fill__avx2(struct tflc_ukernels *uk);
void tflc_ukernels_fill__avx512(struct tflc_ukernels *uk);
void tflc_ukernels_fill__avx512vnni(struct tflc_ukernels *uk);
void tflc_ukernels_fill__neon(struct tflc_ukernels *uk);
void tflc_ukernels_fill__neondot(struct tflc_ukernels *uk);

#endif
