/* Weight packing shared by the int8 microkernels (portable, no intrinsics; included by the ISA
 * directories). Layouts:
 *  - gemm: blocks of NR output channels, each bias'[NR] (int32) then, for every group of KR
 *    consecutive k (kc padded up to KR with zero weights), NR x KR weights (channel-major within
 *    the group), stored as int8 or sign-extended int16 (`wide`). Channels past nc are zeros.
 *  - bias' folds the input zero point: bias[j] - zx * sum_k w[j][k], in wrapping int32
 *    arithmetic (the reference's int32 accumulator wraps the same way), zx = zp_x plus the
 *    kernel's input offset (VNNI reads x + 128 as uint8). */
#ifndef TFLC_KERNELS_PACK_S8_H
#define TFLC_KERNELS_PACK_S8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline size_t tflc_pack_s8_gemm_bytes(size_t nc, size_t kc, size_t nr, size_t kr, size_t elem) {
    const size_t blocks = (nc + nr - 1) / nr, kp = (kc + kr - 1) / kr * kr;
    return blocks * nr * (sizeof(int32_t) + kp * elem);
}

static inline uint32_t tflc_pack_s8_bias(const int32_t *bias, size_t j, const int8_t *wj, size_t kc, int32_t zx) {
    uint32_t s = 0;
    for (size_t k = 0; k < kc; k++) s += (uint32_t)(int32_t)wj[k];
    return (uint32_t)(bias ? bias[j] : 0) - (uint32_t)zx * s;
}

static inline void tflc_pack_s8_gemm(size_t nc, size_t kc, const int8_t *w, const int32_t *bias, int32_t zx, size_t nr,
                                     size_t kr, size_t elem, void *packed) {
    const size_t kp = (kc + kr - 1) / kr * kr;
    uint8_t *p = packed;
    for (size_t n0 = 0; n0 < nc; n0 += nr) {
        int32_t *b = (int32_t *)(void *)p;
        for (size_t j = 0; j < nr; j++)
            b[j] = n0 + j < nc ? (int32_t)tflc_pack_s8_bias(bias, n0 + j, w + (n0 + j) * kc, kc, zx) : 0;
        p += nr * sizeof(int32_t);
        for (size_t k0 = 0; k0 < kp; k0 += kr)
            for (size_t j = 0; j < nr; j++)
                for (size_t r = 0; r < kr; r++) {
                    const size_t n = n0 + j, k = k0 + r;
                    const int8_t v = n < nc && k < kc ? w[n * kc + k] : 0;
                    if (elem == 1)
                        *(int8_t *)(void *)p = v;
                    else
                        *(int16_t *)(void *)p = v;
                    p += elem;
                }
    }
}

#endif
