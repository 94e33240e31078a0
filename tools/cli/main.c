/* tflc: Keras -> TFLite converter, quantizer and runtime. Subcommand table. */
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
    if (argc < 2) return help(stderr);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) return help(stdout);
    if (strcmp(argv[1], "--version") == 0) { printf("tflc %s\n", TFLC_VERSION_STRING); return 0; }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[1], cmds[i].name) == 0) return cmds[i].run(argc - 1, argv + 1);
    fprintf(stderr, "tflc: error: unknown command '%s'\n", argv[1]);
    help(stderr);
    return CLI_EXIT_USAGE;
}
