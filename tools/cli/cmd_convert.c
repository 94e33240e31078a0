/* tflc convert IN -o OUT.tflite
 * IN.tflite: canonical rewrite through our flatbuffer builder (Keras input: later issues). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "format/tflite_model.h"
#include "format/tflite_write.h"
#include "tflc/convert.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* True when the file starts like a .tflite (identifier "TFL3" at byte 4). */
static bool is_tflite(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    unsigned char h[8];
    bool r = fread(h, 1, 8, f) == 8 && memcmp(h + 4, "TFL3", 4) == 0;
    fclose(f);
    return r;
}

static int convert_keras(const char *in, const char *out) {
    double t0 = now_ms();
    struct tflc_convert_options o = tflc_convert_options_default();
    struct tflc_bytes bytes;
    struct tflc_convert_report rep;
    struct tflc_diag d;
    if (tflc_convert_file(in, &o, &bytes, &rep, &d) != TFLC_STATUS_OK) return cli_fail(in, "%s", d.msg);
    int rc = 0;
    if (!cli_verify_tflite(out, bytes.data, bytes.size))
        rc = cli_fail(out, "internal error: the converted model does not verify; nothing written");
    else if (!cli_write_atomic(out, bytes.data, bytes.size))
        rc = CLI_EXIT_BAD_INPUT;
    else
        printf("%s (%s, Keras %s): %d layers -> %d ops, %zu bytes (%zu of constants), min runtime %s, %.0f ms -> %s\n", in,
               rep.format, rep.keras_version[0] ? rep.keras_version : "?", rep.layers, rep.ops, rep.output_bytes,
               rep.constant_bytes, rep.min_runtime, now_ms() - t0, out);
    tflc_bytes_free(&bytes);
    return rc;
}

int cmd_convert(int argc, char **argv) {
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (++i >= argc) return cli_usage("convert", "%s needs a file name", argv[i - 1]);
            out = argv[i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: tflc convert MODEL -o OUT.tflite\n"
                   "  MODEL: a Keras .h5 (Keras 2 / tf.keras / Keras 3 legacy), a Keras 3 .keras, a TensorFlow.js\n"
                   "  model.json, or a .tflite (rewritten canonically through tflc's own flatbuffer writer).\n");
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("convert", "unknown option '%s'", argv[i]);
        } else if (in) {
            return cli_usage("convert", "more than one input model given");
        } else {
            in = argv[i];
        }
    }
    if (!in) return cli_usage("convert", "no input model given");
    if (!out) return cli_usage("convert", "no output given (-o OUT.tflite)");
    if (strcmp(in, out) == 0 || cli_same_file(in, out))
        return cli_fail(out, "refusing to overwrite the input model");
    if (!is_tflite(in)) return convert_keras(in, out);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t len;
    void *buf = cli_read_file(in, &len);
    if (!buf) return CLI_EXIT_BAD_INPUT;
    if (!cli_verify_tflite(in, buf, len)) { free(buf); return CLI_EXIT_BAD_INPUT; }
    struct tflc_fbb b;
    tflc_fbb_init(&b);
    struct tflc_diag d;
    int rc = 0;
    if (tflc_tfl_rewrite(buf, len, &b, &d) != TFLC_STATUS_OK) {
        rc = cli_fail(in, "%s", d.msg);
    } else if (!cli_verify_tflite(out, b.data, b.size)) {
        rc = cli_fail(out, "internal error: the rewritten model does not verify; nothing written");
    } else if (!cli_write_atomic(out, b.data, b.size)) {
        rc = CLI_EXIT_BAD_INPUT;
    } else {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        printf("%s -> %s: %zu -> %zu bytes (%.1f ms)\n", in, out, len, b.size, ms);
    }
    tflc_fbb_free(&b);
    free(buf);
    return rc;
}
