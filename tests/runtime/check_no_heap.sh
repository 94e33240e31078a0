#!/bin/bash
# check_no_heap.sh libtflc_runtime.a: no object of the MCU runtime core (everything except the
# hosted layer: hosted.c, threadpool.c) may reference malloc/calloc/realloc/free or qsort
# (which allocates).
set -u
lib=$1
bad=$(nm -A "$lib" 2>/dev/null | grep -Ev '(hosted|threadpool)\.c\.o' | grep -E ' U (malloc|calloc|realloc|free|qsort|posix_memalign|aligned_alloc)$')
if [ -n "$bad" ]; then echo "heap use in the runtime core:"; echo "$bad"; exit 1; fi
n=$(nm -A "$lib" | grep -c '\.o:' )
echo "runtime core: no heap references ($n symbols checked)"
