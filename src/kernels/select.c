/* Fills the microkernel table of each ISA (the only ISA-aware dispatch code). The build
 * defines TFLC_UK_<ISA> for each ISA directory it compiled (CMakeLists.txt). Tables are
 * filled on first use; filling is idempotent and writes the same values, so concurrent first
 * calls are harmless. */
#include "base/cpu_features.h"
#include "kernels/ukernel.h"

#ifndef TFLC_UK_AVX2
#define TFLC_UK_AVX2 0
#endif
#ifndef TFLC_UK_AVX512
#define TFLC_UK_AVX512 0
#endif
#ifndef TFLC_UK_AVX512VNNI
#define TFLC_UK_AVX512VNNI 0
#endif
#ifndef TFLC_UK_NEON
#define TFLC_UK_NEON 0
#endif
#ifndef TFLC_UK_NEON_DOT
#define TFLC_UK_NEON_DOT 0
#endif

static const bool built[TFLC_ISA_COUNT] = {
    [TFLC_ISA_AUTO] = true,
    [TFLC_ISA_REF] = true,
    [TFLC_ISA_AVX2] = TFLC_UK_AVX2,
    [TFLC_ISA_AVX512] = TFLC_UK_AVX512 && TFLC_UK_AVX2,
    [TFLC_ISA_AVX512VNNI] = TFLC_UK_AVX512VNNI && TFLC_UK_AVX512 && TFLC_UK_AVX2,
    [TFLC_ISA_NEON] = TFLC_UK_NEON,
    [TFLC_ISA_NEON_DOT] = TFLC_UK_NEON_DOT && TFLC_UK_NEON,
};

bool tflc_ukernels_built(enum tflc_isa isa) { return (unsigned)isa < TFLC_ISA_COUNT && built[isa]; }

static void fill(enum tflc_isa isa, struct tflc_ukernels *uk) {
    tflc_ukernels_fill__ref(uk);
#if TFLC_UK_AVX2
    if (isa == TFLC_ISA_AVX2 || isa == TFLC_ISA_AVX512 || isa == TFLC_ISA_AVX512VNNI) tflc_ukernels_fill__avx2(uk);
#endif
#if TFLC_UK_AVX512
    if (isa == TFLC_ISA_AVX512 || isa == TFLC_ISA_AVX512VNNI) tflc_ukernels_fill__avx512(uk);
#endif
#if TFLC_UK_AVX512VNNI
    if (isa == TFLC_ISA_AVX512VNNI) tflc_ukernels_fill__avx512vnni(uk);
#endif
#if TFLC_UK_NEON
    if (isa == TFLC_ISA_NEON || isa == TFLC_ISA_NEON_DOT) tflc_ukernels_fill__neon(uk);
#endif
#if TFLC_UK_NEON_DOT
    if (isa == TFLC_ISA_NEON_DOT) tflc_ukernels_fill__neondot(uk);
#endif
    uk->isa = isa;
}

const struct tflc_ukernels *tflc_ukernels_get(enum tflc_isa isa) {
    static struct tflc_ukernels tables[TFLC_ISA_COUNT];
    static bool ready[TFLC_ISA_COUNT];
    if (isa == TFLC_ISA_AUTO) isa = TFLC_ISA_REF;
    if (!tflc_ukernels_built(isa)) return NULL;
    if (!ready[isa]) {
        fill(isa, &tables[isa]);
        ready[isa] = true;
    }
    return &tables[isa];
}

/* ---- public ISA helpers (runtime.h) ---- */

static const char *const names[TFLC_ISA_COUNT] = {"auto", "ref", "avx2", "avx512", "avx512vnni", "neon", "neondot"};

const char *tflc_isa_name(enum tflc_isa isa) { return (unsigned)isa < TFLC_ISA_COUNT ? names[isa] : "?"; }

bool tflc_isa_parse(const char *name, enum tflc_isa *isa) {
    for (int i = 0; i < TFLC_ISA_COUNT; i++) {
        const char *a = name, *b = names[i];
        while (*a && *a == *b) a++, b++;
        if (!*a && !*b) {
            *isa = (enum tflc_isa)i;
            return true;
        }
    }
    return false;
}

bool tflc_isa_supported(enum tflc_isa isa) { return tflc_ukernels_built(isa) && tflc_cpu_has(isa); }

enum tflc_isa tflc_isa_best(void) { return tflc_cpu_best(built); }
