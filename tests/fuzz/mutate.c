/* Seeded mutations of model files (see mutate.h). */
#include "mutate.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rnd(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

void fuzz_mutate(const uint8_t *src, size_t n, uint64_t *state, uint8_t **outp, size_t *outn) {
    size_t cap = n + 64;
    uint8_t *b = malloc(cap);
    if (!b) abort();
    memcpy(b, src, n);
    size_t len = n;
    int kind = (int)(rnd(state) % 7);
    if (len == 0) kind = 6;
    switch (kind) {
    case 0: /* bit flips */
        for (int k = 1 + (int)(rnd(state) % 8); k > 0; k--) b[rnd(state) % len] ^= (uint8_t)(1u << (rnd(state) % 8));
        break;
    case 1: { /* a byte run set to 0, 0xff or random */
        size_t p = rnd(state) % len, l = 1 + rnd(state) % 64;
        int v = (int)(rnd(state) % 3);
        for (size_t k = p; k < len && k < p + l; k++) b[k] = v == 0 ? 0 : v == 1 ? 0xff : (uint8_t)rnd(state);
        break;
    }
    case 2: /* truncation */
        len = (size_t)(rnd(state) % len);
        break;
    case 3: { /* aligned 32-bit fields set to extreme values */
        static const uint32_t vals[] = {0xffffffffu, 0x7fffffffu, 0x80000000u, 0x10000000u, 0, 1, 0xfffffffeu};
        for (int k = 1 + (int)(rnd(state) % 4); k > 0 && len >= 4; k--) {
            size_t p = (rnd(state) % (len - 3)) & ~(size_t)3;
            uint32_t v = vals[rnd(state) % (sizeof vals / sizeof vals[0])];
            if (rnd(state) % 4 == 0) v = (uint32_t)n - (uint32_t)(rnd(state) % 64);
            memcpy(b + p, &v, 4);
        }
        break;
    }
    case 4: /* one byte of the first 4 KiB inverted (headers, root tables) */
        b[rnd(state) % (len < 4096 ? len : 4096)] ^= 0xff;
        break;
    case 5: { /* a chunk deleted, or duplicated over a later spot */
        size_t p = rnd(state) % len, l = 1 + rnd(state) % 32;
        if (p + l > len) l = len - p;
        if (rnd(state) & 1) {
            memmove(b + p, b + p + l, len - p - l);
            len -= l;
        } else {
            size_t q = rnd(state) % len;
            if (q + l > len) l = len - q;
            memmove(b + q, src + p, l);
        }
        break;
    }
    default: /* a few random bytes appended */
        for (int k = 0; k < 16; k++) b[len++] = (uint8_t)rnd(state);
        break;
    }
    *outp = b;
    *outn = len;
}

