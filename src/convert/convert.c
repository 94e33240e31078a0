/* Converter driver: read (frontend) -> lower to IR -> optimize (ir/passes) -> export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/lower_tflite.h"
#include "frontend/keras.h"
#include "frontend/keras_graph.h"
#include "ir/pass.h"
#include "tflc/convert.h"
#include "tflc/tflc.h"

void tflc_bytes_free(struct tflc_bytes *b) {
    if (!b) return;
    free(b->data);
    b->data = NULL;
    b->size = 0;
}

struct tflc_convert_options tflc_convert_options_default(void) {
    struct tflc_convert_options o;
    memset(&o, 0, sizeof o);
    return o;
}

enum tflc_status tflc_convert_file(const char *path, const struct tflc_convert_options *opt, struct tflc_bytes *out,
                                   struct tflc_convert_report *report, struct tflc_diag *diag) {
    (void)opt;
    memset(out, 0, sizeof *out);
    struct tflc_convert_report rep;
    memset(&rep, 0, sizeof rep);
    struct tflc_keras_limits lim = tflc_keras_limits_default();
    struct tflc_kmodel m;
    enum tflc_status st = tflc_keras_load(path, &lim, &m, diag);
    if (st) return st;
    snprintf(rep.format, sizeof rep.format, "%s", m.format ? m.format : "");
    snprintf(rep.keras_version, sizeof rep.keras_version, "%s", m.keras_version ? m.keras_version : "");
    struct tflc_ir_graph g;
    tflc_ir_init(&g, lim.max_total_bytes, diag);
    st = tflc_keras_to_ir(&m, &lim, &g, diag);
    if (!st) st = tflc_ir_optimize(&g);
    struct tflc_tflb *b = NULL;
    if (!st) {
        const uint8_t *data;
        size_t size;
        struct tflc_export_stats es;
        char desc[64];
        snprintf(desc, sizeof desc, "tflc %s converted", TFLC_VERSION_STRING);
        st = tflc_export_tflite(&g, desc, &b, &data, &size, &es, diag);
        if (!st) {
            out->data = malloc(size);
            if (!out->data) st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
            else {
                memcpy(out->data, data, size);
                out->size = size;
                rep.ops = es.ops;
                rep.tensors = es.tensors;
                rep.constant_bytes = es.constant_bytes;
                rep.output_bytes = size;
                snprintf(rep.min_runtime, sizeof rep.min_runtime, "%s", es.min_runtime);
            }
        }
    }
    /* Distinct layer names among the lowered nodes = layers that produced ops. */
    if (!st) {
        for (int32_t k = 0; k < g.nn; k++) {
            bool seen = false;
            for (int32_t j = 0; j < k && !seen; j++) seen = !strcmp(g.n[j].name, g.n[k].name);
            if (!seen) rep.layers++;
        }
    }
    tflc_tflb_destroy(b);
    tflc_ir_free(&g);
    tflc_keras_free(&m);
    if (report) *report = rep;
    return st;
}
