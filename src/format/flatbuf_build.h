/* Flatbuffer builder: writes back to front, shares identical vtables, aligns vector data on
 * request (TFLite wants 16-byte aligned buffer data). Converter side only (allocates).
 *
 *   struct tflc_fbb b; tflc_fbb_init(&b);
 *   uint32_t name = tflc_fbb_string(&b, "x", 1);
 *   tflc_fbb_table_start(&b);
 *   tflc_fbb_add_offset(&b, 3, name);
 *   tflc_fbb_add_i32(&b, 0, 7, 0);
 *   uint32_t t = tflc_fbb_table_end(&b);
 *   tflc_fbb_finish(&b, t, "TFL3");   // then b.data / b.size
 *   tflc_fbb_free(&b);
 *
 * Offsets ("refs") returned here count bytes from the end of the buffer. Any allocation
 * failure makes the builder sticky-failed: later calls do nothing and finish reports it. */
#ifndef TFLC_FORMAT_FLATBUF_BUILD_H
#define TFLC_FORMAT_FLATBUF_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tflc/status.h"

#define TFLC_FBB_MAX_FIELDS 256

struct tflc_fbb {
    uint8_t *buf;      /* owned; data lives in buf[cap - used, cap) */
    size_t cap;
    size_t used;
    size_t minalign;
    bool failed;       /* allocation failure or size overflow */
    bool in_table;
    size_t table_start;
    unsigned nfields;
    struct { uint16_t id; uint32_t ref; } fields[TFLC_FBB_MAX_FIELDS];
    uint32_t *vtables; /* refs of written vtables, for sharing */
    size_t nvtables, capvtables;
    const uint8_t *data; /* after finish: start of the finished buffer (inside buf) */
    size_t size;
};

void tflc_fbb_init(struct tflc_fbb *b);
void tflc_fbb_free(struct tflc_fbb *b);

/* Vector of `n` elements of `elem_size` bytes (little-endian already), data aligned to
 * max(elem_size, align, 4)... relative to the buffer end (the finished buffer is aligned to the
 * largest alignment used). Returns the vector's ref. */
uint32_t tflc_fbb_vector(struct tflc_fbb *b, const void *data, size_t n, size_t elem_size, size_t align);
/* Vector of offsets to already-built objects. */
uint32_t tflc_fbb_vector_refs(struct tflc_fbb *b, const uint32_t *refs, size_t n);
uint32_t tflc_fbb_string(struct tflc_fbb *b, const char *s, size_t len);

void tflc_fbb_table_start(struct tflc_fbb *b);
/* Scalar field of `size` bytes (1, 2, 4, 8) from `val` (little-endian). */
void tflc_fbb_add_scalar(struct tflc_fbb *b, unsigned id, const void *val, size_t size);
void tflc_fbb_add_offset(struct tflc_fbb *b, unsigned id, uint32_t ref);
uint32_t tflc_fbb_table_end(struct tflc_fbb *b);

/* Typed helpers: skip the field when it equals its default (flatbuffers' convention). */
void tflc_fbb_add_i8(struct tflc_fbb *b, unsigned id, int8_t v, int8_t dflt);
void tflc_fbb_add_u8(struct tflc_fbb *b, unsigned id, uint8_t v, uint8_t dflt);
void tflc_fbb_add_i32(struct tflc_fbb *b, unsigned id, int32_t v, int32_t dflt);
void tflc_fbb_add_u32(struct tflc_fbb *b, unsigned id, uint32_t v, uint32_t dflt);
void tflc_fbb_add_f32(struct tflc_fbb *b, unsigned id, float v, float dflt);
void tflc_fbb_add_bool(struct tflc_fbb *b, unsigned id, bool v, bool dflt);

/* Writes the root offset and 4-char identifier (may be NULL). */
enum tflc_status tflc_fbb_finish(struct tflc_fbb *b, uint32_t root, const char *identifier,
                                 struct tflc_diag *diag);

#endif
