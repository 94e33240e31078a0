/* Fuzz target: the .tflite flatbuffer verifier and the model loaders.
 * Any bytes go through tflc_tfl_verify (structural + semantic). A model that passes is then
 * loaded every way tflc loads one: imported into the converter's IR, rewritten canonically
 * (the rewrite must verify again: a property), and printed by `tflc inspect` (text and JSON).
 * Seeds: corpus/tflite (models tflc wrote: single-op cases and converted Keras models). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format/tflite_model.h"
#include "format/tflite_write.h"
#include "frontend/tflite_import.h"
#include "fuzz.h"

static char path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_quiet();
    snprintf(path, sizeof path, "%s/model.tflite", fuzz_tmpdir());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* Models are read into 64-byte aligned memory by every tflc loader; do the same. */
    void *buf = NULL;
    if (posix_memalign(&buf, 64, size ? size : 1) != 0) return 0;
    if (size) memcpy(buf, data, size);
    size_t ss = TFLC_TFL_VERIFY_SCRATCH(size);
    void *scratch = malloc(ss);
    struct tflc_diag d;
    enum tflc_status st = tflc_tfl_verify(buf, size, NULL, scratch, ss, &d);
    if (st == TFLC_STATUS_OK) {
        struct tflc_ir_graph g;
        tflc_ir_init(&g, (size_t)1 << 30, &d);
        tflc_tflite_import(buf, size, &g, &d);
        tflc_ir_free(&g);

        struct tflc_fbb b;
        tflc_fbb_init(&b);
        if (tflc_tfl_rewrite(buf, size, &b, &d) == TFLC_STATUS_OK) {
            size_t s2 = TFLC_TFL_VERIFY_SCRATCH(b.size);
            void *sc2 = malloc(s2);
            struct tflc_diag d2;
            if (tflc_tfl_verify(b.data, b.size, NULL, sc2, s2, &d2) != TFLC_STATUS_OK)
                fuzz_bug("a verified model's canonical rewrite does not verify: %s", d2.msg);
            free(sc2);
        }
        tflc_fbb_free(&b);

        fuzz_write_file(path, data, size);
        char *av[] = {"inspect", path, NULL};
        char *avj[] = {"inspect", path, "--json", NULL};
        if (cmd_inspect(2, av) != 0) fuzz_bug("inspect refused a model that verifies");
        if (cmd_inspect(3, avj) != 0) fuzz_bug("inspect --json refused a model that verifies");
    }
    free(scratch);
    free(buf);
    return 0;
}
