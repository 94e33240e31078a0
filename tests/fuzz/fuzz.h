/* Shared by the fuzz targets (tests/fuzz/fuzz_*.c).
 *
 * Each target defines LLVMFuzzerTestOneInput. It is linked either with libFuzzer (clang,
 * -DTFLC_FUZZ=ON: `fuzz_<name> corpus/<name>`) or with replay_main.c (always built; ctest
 * replays the committed corpus through it, under ASan + UBSan in the sanitizer build).
 *
 * A target returns 0 for every input; it aborts (fuzz_bug) only when a property that must
 * hold for any input fails: e.g. a model that converted must verify, a rewritten model must
 * verify again. Crashes, sanitizer reports, leaks and timeouts are findings by themselves. */
#ifndef TFLC_TESTS_FUZZ_H
#define TFLC_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Prints "fuzz: property violated: <msg>" and aborts (a finding). */
void fuzz_bug(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Replay main (not libFuzzer): routes the CLI's messages (the stdout and stderr streams) to
 * /dev/null, keeping sanitizer reports on the real stderr; under libFuzzer run_fuzzers.sh
 * passes -close_fd_mask=3 instead. Also makes a sanitizer report in a forked reader child
 * fatal for the parent. Called by every LLVMFuzzerInitialize; idempotent. */
void fuzz_quiet(void);
extern int fuzz_replaying; /* set by replay_main.c */

/* Points the stdout and stderr streams at /dev/null, leaving descriptors 1 and 2 alone (where
 * sanitizer reports go). */
void fuzz_silence_stdio(void);

/* A private scratch folder for the process (created once, removed at exit). */
const char *fuzz_tmpdir(void);

/* Writes data to `path` (replacing it); aborts on I/O failure (not a finding about tflc). */
void fuzz_write_file(const char *path, const void *data, size_t size);

/* Removes every entry of `dir` (one level) so each input starts from a clean folder. */
void fuzz_clean_dir(const char *dir);

/* Converts the model file at `path` (any format tflc reads) with default options, and runs
 * `tflc inspect` on it. A conversion that succeeds must give a .tflite that verifies and
 * whose interpreter init does not call it invalid (properties). */
void fuzz_convert_and_check(const char *path);

#endif
