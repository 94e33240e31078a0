#!/bin/bash
# run_check.sh NN-name: runs ../shared/check/NN-name against this checkout with the oracle
# folder ../shared lacks on this machine supplied by tests/acceptance/oracle (an emulated
# shared folder of symlinks in $TMPDIR). See README.md.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=$(cd "$ROOT/../shared" && pwd)
E=${TMPDIR:-/tmp}/tflc-shared-emul
rm -rf "$E"; mkdir -p "$E"
for x in "$SHARED"/*; do ln -s "$x" "$E/$(basename "$x")"; done
# oracle/ is a real folder (of symlinks) so that paths like oracle/../spec resolve inside the
# emulation, as they do in a real ../shared.
if [ ! -e "$SHARED/oracle" ]; then
  mkdir -p "$E/oracle"
  for x in "$ROOT"/tests/acceptance/oracle/*; do ln -s "$x" "$E/oracle/$(basename "$x")"; done
fi
# check/ and check/lib are real folders (of symlinked files), so paths like lib/../../oracle
# resolve inside the emulation.
rm -f "$E/check"; mkdir -p "$E/check/lib"
for x in "$SHARED"/check/*; do [ "$(basename "$x")" = lib ] || ln -s "$x" "$E/check/$(basename "$x")"; done
for x in "$SHARED"/check/lib/*; do ln -s "$x" "$E/check/lib/$(basename "$x")"; done
cd "$ROOT"
exec bash "$E/check/$1"
