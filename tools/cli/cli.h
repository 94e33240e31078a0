/* Shared helpers of the tflc command-line tool. Error style everywhere:
 *   tflc: error: FILE: what is wrong        (exit 1: bad input)
 *   tflc: error: usage ...                  (exit 2: bad usage) */
#ifndef TFLC_CLI_H
#define TFLC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tflc/status.h"

#define CLI_EXIT_BAD_INPUT 1
#define CLI_EXIT_USAGE 2

/* Largest file any subcommand reads into memory. */
#define CLI_MAX_FILE_BYTES ((size_t)4 << 30)

struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] = subcommand name */
    const char *summary;
};

/* Prints "tflc: error: <file>: <msg>" (file may be NULL) and returns CLI_EXIT_BAD_INPUT. */
int cli_fail(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "tflc: error: <msg>" plus a usage hint and returns CLI_EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads a whole file (malloc'd, 64-byte aligned, freed with free()). On failure prints the
 * error and returns NULL. */
void *cli_read_file(const char *path, size_t *len);

/* Writes `data` to `path` atomically: temporary file in the same folder, fsync, rename.
 * On any failure the target is untouched, the temporary removed, an error printed, false.
 * A temporary file is also removed when SIGINT, SIGTERM or SIGHUP ends the process. */
bool cli_write_atomic(const char *path, const void *data, size_t len);

/* Several files that appear together or not at all (as far as rename() allows): cli_stage()
 * writes each to a synced temporary file next to its path (printing the error and returning
 * false on failure); cli_commit() renames them all into place (on a failure the rest are
 * removed, an error printed, false); cli_discard() removes what is still staged. */
struct cli_staged {
    const char *path;  /* borrowed */
    char *tmp;         /* owned; NULL once committed or discarded */
};
bool cli_stage(struct cli_staged *s, const char *path, const void *data, size_t len);
bool cli_commit(struct cli_staged *s, int n);
void cli_discard(struct cli_staged *s, int n);

/* True when both paths name the same existing file. */
bool cli_same_file(const char *a, const char *b);

/* Verifies a .tflite held in memory, printing "tflc: error: FILE: ..." on failure. */
bool cli_verify_tflite(const char *path, const void *buf, size_t len);

/* Subcommands (tools/cli/cmd_<name>.c). */
int cmd_inspect(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_eval(int argc, char **argv);

/* tflc inspect on a Keras file (tools/cli/inspect_keras.c). */
int cli_inspect_keras(const char *path, bool json);

#endif
