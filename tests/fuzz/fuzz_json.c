/* Fuzz target: the JSON config reader. Any bytes go through tflc_json_parse (size and depth
 * limits before cJSON sees them); a document that parses is taken as a Keras model config
 * with no weights and lowered (Sequential / Functional / nested models, inbound-node
 * references, cycles, duplicate names, wrappers, weightless layers).
 * Seeds: corpus/json (model configs of the Keras models in the other corpora). */
#include <string.h>

#include "frontend/keras.h"
#include "frontend/keras_graph.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_quiet();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct tflc_keras_limits lim = tflc_keras_limits_default();
    struct tflc_diag d;
    cJSON *j = tflc_json_parse("config", (const char *)data, size, &lim, &d);
    if (!j) return 0;
    struct tflc_kmodel m;
    memset(&m, 0, sizeof m);
    tflc_arena_init(&m.arena, (size_t)1 << 30, &d);
    m.path = "config.json";
    m.format = "json";
    m.keras_version = (size & 1) ? "3.3.3" : "2.15.0";
    m.root.name = "";
    m.config = j;
    struct tflc_ir_graph g;
    tflc_ir_init(&g, (size_t)1 << 30, &d);
    tflc_keras_to_ir(&m, &lim, &g, &d);
    tflc_ir_free(&g);
    tflc_keras_free(&m);
    return 0;
}
