/* tflc convert IN -o OUT.tflite
 * IN.tflite: canonical rewrite through our flatbuffer builder (Keras input: later issues). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "format/tflite_model.h"
#include "format/tflite_write.h"

static bool ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

int cmd_convert(int argc, char **argv) {
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (++i >= argc) return cli_usage("convert", "%s needs a file name", argv[i - 1]);
            out = argv[i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: tflc convert MODEL.tflite -o OUT.tflite\n"
                   "  Rewrites a .tflite canonically through tflc's own flatbuffer writer.\n");
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
    (void)ends_with;

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
