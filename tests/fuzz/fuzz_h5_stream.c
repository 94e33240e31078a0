/* Fuzz target: the parent side of the sandboxed HDF5 reader. The child (libhdf5) sends the
 * parent a record stream (V key value / G name / E / W weight / Z, see keras_h5.c); the parent
 * must survive any stream, as if the child had been taken over by a malicious file. The first
 * input byte picks the layout flag (legacy h5 or Keras 3 weights).
 * Seeds: corpus/h5_stream (streams the child wrote for the corpus/h5 and corpus/keras models). */
#include <stdbool.h>
#include <string.h>

#include "frontend/keras.h"
#include "fuzz.h"

enum tflc_status tflc_keras_h5_parse_stream(struct tflc_kmodel *m, const unsigned char *buf, size_t len, bool v3,
                                            const struct tflc_keras_limits *lim, struct tflc_diag *diag);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_quiet();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    struct tflc_keras_limits lim = tflc_keras_limits_default();
    struct tflc_diag d;
    struct tflc_kmodel m;
    memset(&m, 0, sizeof m);
    tflc_arena_init(&m.arena, (size_t)1 << 30, &d);
    m.root.name = "";
    m.keras_version = "";
    tflc_keras_h5_parse_stream(&m, data + 1, size - 1, (data[0] & 1) != 0, &lim, &d);
    tflc_keras_free(&m);
    return 0;
}
