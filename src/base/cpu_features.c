/* CPU feature probe: cpuid through the compiler's builtins on x86-64 (they also check that
 * the OS saves the AVX / AVX-512 registers), getauxval(AT_HWCAP) on AArch64 Linux. */
#include "base/cpu_features.h"

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1UL << 20)
#endif
#endif

bool tflc_cpu_has(enum tflc_isa isa) {
    switch (isa) {
    case TFLC_ISA_AUTO:
    case TFLC_ISA_REF: return true;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    case TFLC_ISA_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case TFLC_ISA_AVX512:
        return tflc_cpu_has(TFLC_ISA_AVX2) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    case TFLC_ISA_AVX512VNNI: return tflc_cpu_has(TFLC_ISA_AVX512) && __builtin_cpu_supports("avx512vnni");
#endif
#if defined(__aarch64__)
    case TFLC_ISA_NEON: return true; /* Advanced SIMD is part of the AArch64 base */
#if defined(__linux__)
    case TFLC_ISA_NEON_DOT: return (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
#endif
#endif
    default: return false;
    }
}

enum tflc_isa tflc_cpu_best(const bool built[TFLC_ISA_COUNT]) {
    static const enum tflc_isa order[] = {TFLC_ISA_AVX512VNNI, TFLC_ISA_AVX512, TFLC_ISA_AVX2, TFLC_ISA_NEON_DOT,
                                          TFLC_ISA_NEON};
    for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++)
        if (built[order[i]] && tflc_cpu_has(order[i])) return order[i];
    return TFLC_ISA_REF;
}
