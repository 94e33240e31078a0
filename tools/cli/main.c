/* tflc: Keras -> TFLite converter, quantizer and runtime. Subcommand table. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tflc/tflc.h"

static const struct cli_cmd cmds[] = {
    {"inspect", cmd_inspect, "show what a .tflite holds (--json for machines)"},
    {"run", cmd_run, "run a .tflite on .npy inputs with tflc's runtime"},
    {"bench", cmd_bench, "latency, memory and per-op profile of a .tflite"},
    {"eval", cmd_eval, "accuracy, size and latency of .tflite models on a data set"},
    {"convert", cmd_convert, "write a .tflite (from a .tflite: canonical rewrite)"},
};

static int help(FILE *f) {
    fprintf(f, "tflc %s: TensorFlow Lite models without TensorFlow\n\nusage: tflc COMMAND [ARGS]\n\n", TFLC_VERSION_STRING);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
    fprintf(f, "\n'tflc COMMAND --help' for a command's options.\n");
    return f == stdout ? 0 : CLI_EXIT_USAGE;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "tflc: error: no command given\n");
        return help(stderr);
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) return help(stdout);
    if (strcmp(argv[1], "--version") == 0) { printf("tflc %s\n", TFLC_VERSION_STRING); return 0; }
    /* A closed pipe on stdout (`tflc inspect M | head`) is a write error, not a signal. */
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(argv[1], cmds[i].name) != 0) continue;
        int rc = cmds[i].run(argc - 1, argv + 1);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "tflc: error: cannot write to standard output: %s\n", strerror(errno));
            if (rc == 0) rc = CLI_EXIT_BAD_INPUT;
        }
        return rc;
    }
    fprintf(stderr, "tflc: error: unknown command '%s' (see 'tflc --help')\n", argv[1]);
    return CLI_EXIT_USAGE;
}
