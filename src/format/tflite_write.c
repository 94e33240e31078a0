/* Canonical .tflite rewrite (see tflite_write.h). */
#include "format/tflite_write.h"

#include "format/flatbuf_copy.h"
#include "format/tflite_model.h"

struct rw {
    const uint8_t *file;
};

/* Buffers stored past the flatbuffer (offset/size) become inline, 16-byte aligned data. */
static bool copy_buffer(void *ud, struct tflc_fbb *b, int table_idx, struct tflc_fb_table src, uint32_t *out) {
    struct rw *r = (struct rw *)ud;
    if (table_idx != TFLC_TFL_T_BUFFER || tflc_tfl_buffer_offset(src) <= 1) return false;
    uint64_t size = tflc_tfl_buffer_size(src);
    uint32_t data = tflc_fbb_vector(b, r->file + tflc_tfl_buffer_offset(src), (size_t)size, 1, 16);
    tflc_fbb_table_start(b);
    tflc_fbb_add_offset(b, TFLC_TFL_BUFFER_DATA, data);
    *out = tflc_fbb_table_end(b);
    return true;
}

enum tflc_status tflc_tfl_rewrite(const void *buf, size_t len, struct tflc_fbb *b, struct tflc_diag *diag) {
    (void)len;
    struct rw r = {(const uint8_t *)buf};
    struct tflc_fb_copy_hook hook = {copy_buffer, &r};
    uint32_t root = tflc_fb_copy_table(b, &tflc_tfl_schema, TFLC_TFL_T_MODEL, tflc_tfl_model(buf), &hook);
    return tflc_fbb_finish(b, root, TFLC_TFL_FILE_IDENTIFIER, diag);
}
