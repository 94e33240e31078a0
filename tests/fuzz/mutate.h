/* Seeded mutations of model files, shared by the fuzz replay main and the reliability tests:
 * bit flips, byte runs set to 0x00 / 0xff / random, truncation, aligned 32-bit fields set to
 * extreme values (or near the file size), a byte inverted in the first 4 KiB, a chunk deleted
 * or copied elsewhere, random bytes appended. Same state, same mutant. */
#ifndef TFLC_TESTS_FUZZ_MUTATE_H
#define TFLC_TESTS_FUZZ_MUTATE_H

#include <stddef.h>
#include <stdint.h>

/* One mutant of src[0..n) in *out (malloc'd, caller frees), its length in *outn. `state` is
 * any nonzero seed, advanced by the call. */
void fuzz_mutate(const uint8_t *src, size_t n, uint64_t *state, uint8_t **out, size_t *outn);

#endif
