/* Schema-driven deep copy of a verified flatbuffer table into a builder (canonical rewrite:
 * every known, non-deprecated field is kept; scalars equal to their default are dropped; the
 * layout is rebuilt by our builder). A hook may take over the copy of chosen tables. */
#ifndef TFLC_FORMAT_FLATBUF_COPY_H
#define TFLC_FORMAT_FLATBUF_COPY_H

#include "format/flatbuf.h"
#include "format/flatbuf_build.h"

struct tflc_fb_copy_hook {
    /* Returns true when it built `src` itself (ref in *out); false = generic copy. */
    bool (*copy)(void *ud, struct tflc_fbb *b, int table_idx, struct tflc_fb_table src, uint32_t *out);
    void *ud;
};

uint32_t tflc_fb_copy_table(struct tflc_fbb *b, const struct tflc_fb_schema *schema, int table_idx,
                            struct tflc_fb_table src, const struct tflc_fb_copy_hook *hook);

#endif
