#!/bin/sh
# op_cases_replay.sh OP_CASES FUZZ_INTERP_REPLAY: every single-op model tests/kernels/op_cases
# writes, through load + prepare + invoke twice (reference and selected kernels, random
# inputs). Cheap everywhere; in the sanitizer build it puts every kernel under ASan + UBSan
# without Google's runtime (op_cases_vs_google compares the numbers in the plain build).
set -e
T=$(mktemp -d "${TMPDIR:-/tmp}/tflc-opcases-san.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$1" "$T" > /dev/null
exec "$2" "$T"
