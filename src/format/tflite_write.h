/* Writing .tflite files (converter side). */
#ifndef TFLC_FORMAT_TFLITE_WRITE_H
#define TFLC_FORMAT_TFLITE_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "format/flatbuf_build.h"
#include "tflc/status.h"

/* Canonical rewrite of a verified model through our builder: every known field kept,
 * external (schema 3c) buffers moved inline, buffer data 16-byte aligned. The result is in
 * b->data / b->size (owned by `b`, freed by tflc_fbb_free). */
enum tflc_status tflc_tfl_rewrite(const void *buf, size_t len, struct tflc_fbb *b, struct tflc_diag *diag);

#endif
