/* tflc/runtime.h - run .tflite models with no heap allocation (what MCU users include).
 *
 * The model buffer is borrowed (read-only, must outlive the interpreter, 16-byte alignment
 * recommended). The caller provides one arena; the interpreter, its tensors, per-op data,
 * activations and scratch all live inside it. Nothing here calls malloc.
 *
 *   size_t need;
 *   tflc_interp_arena_size_hosted(model, len, NULL, &need, &diag);  // host side, or read it
 *                                                                  // from `tflc run` output
 *   static uint8_t arena[NEED] __attribute__((aligned(64)));
 *   struct tflc_interp *it;
 *   if (tflc_interp_init(&it, model, len, arena, sizeof arena, NULL, &diag)) fail(diag.msg);
 *   memcpy(tflc_interp_input(it, 0)->data, x, tflc_interp_input(it, 0)->bytes);
 *   if (tflc_interp_invoke(it, &diag)) fail(diag.msg);
 *   const struct tflc_tensor *y = tflc_interp_output(it, 0);
 *   tflc_interp_free(it);
 *
 * Thread-safety: one interpreter must not be used from two threads at once; different
 * interpreters are independent.
 */
#ifndef TFLC_RUNTIME_H
#define TFLC_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tflc/status.h"
#include "tflc/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tflc_interp;

/* Arena alignment the interpreter assumes for exact size reporting (a less aligned arena
 * loses up to this many bytes to alignment). */
#define TFLC_ARENA_ALIGN 64

/* Integer arithmetic of quantized kernels. TFLite computes 8-bit results in two ways that
 * differ by one LSB on some elements (and the differences add up through deep models):
 *  - its reference kernels (what TFLite Micro runs): fixed-point requantization
 *    (MultiplyByQuantizedMultiplier, double rounding);
 *  - its default CPU interpreter (tf.lite.Interpreter, Google's WebAssembly runtime): the
 *    XNNPACK delegate takes every node it supports (conv, depthwise, fully connected, add,
 *    sub, mul, mean over H,W, quantize, leaky relu, elu, logistic, resize bilinear, ...) and
 *    computes in XNNPACK's way (float requantization, ties to even, its own add/convert
 *    recipes); the other nodes run TFLite's builtin kernels. Which nodes the delegate takes
 *    depends on types, shapes, constants and the whole model (if XNNPACK cannot build its
 *    runtime, no node runs there); tflc decides it at init as TFLite 2.11 does. */
enum tflc_arith {
    TFLC_ARITH_XNNPACK,    /* match TFLite's default CPU interpreter bit for bit (default) */
    TFLC_ARITH_REFERENCE,  /* match TFLite's reference kernels / TFLite Micro bit for bit */
    TFLC_ARITH_COUNT
};

/* Instruction sets of the optimized microkernels (src/kernels/<isa>/). Each implies the ones
 * before it in its family (AVX512VNNI > AVX512 > AVX2; NEON_DOT > NEON). REF runs the portable
 * reference kernels only (the spec every microkernel is tested against). */
enum tflc_isa {
    TFLC_ISA_AUTO,        /* the best this CPU supports (chosen once, at init) */
    TFLC_ISA_REF,
    TFLC_ISA_AVX2,        /* x86-64 AVX2 + FMA */
    TFLC_ISA_AVX512,      /* AVX-512 F/BW/DQ/VL */
    TFLC_ISA_AVX512VNNI,  /* + AVX-512 VNNI (int8 dot products) */
    TFLC_ISA_NEON,        /* AArch64 Advanced SIMD */
    TFLC_ISA_NEON_DOT,    /* + the dot-product extension (SDOT/UDOT) */
    TFLC_ISA_COUNT
};

/* Name of an ISA ("ref", "avx2", "avx512", "avx512vnni", "neon", "neondot", "auto"); and the
 * ISA for a name (false for an unknown one). */
TFLC_API const char *tflc_isa_name(enum tflc_isa isa);
TFLC_API bool tflc_isa_parse(const char *name, enum tflc_isa *isa);
/* True when this CPU (and OS) can run `isa`'s microkernels and this build has them. */
TFLC_API bool tflc_isa_supported(enum tflc_isa isa);

/* A scheduler that runs task(ud, i) for every i in [0, n) and returns when all are done
 * (tasks may run concurrently). The hosted layer's thread pool is one (tflc_threadpool_*). */
typedef void (*tflc_parallel_fn)(void *pool, int n, void (*task)(void *ud, int i), void *ud);

struct tflc_interp_options {
    int num_threads;      /* worker threads for hosted builds (1 = run on the caller) */
    bool use_reference;   /* true: portable reference kernels only (same as isa = TFLC_ISA_REF) */
    enum tflc_isa isa;    /* microkernels to use (default AUTO); an unsupported one fails init */
    /* Work splitting inside ops: kernels cut their work into tasks and hand them to
     * parallel_for(pool, ...). NULL = every task runs on the caller, in order. Hosted builds
     * get a pthreads pool from the hosted layer (see below). */
    tflc_parallel_fn parallel_for;
    void *pool;
    enum tflc_arith arithmetic; /* quantized arithmetic to match (default TFLC_ARITH_XNNPACK) */
    /* Optional per-op hook for profilers: called after each op with its index and the
     * elapsed time the hook measures itself (before/after pairs); NULL = none. */
    void (*op_hook)(void *ud, int op_index, bool after);
    void *op_hook_ud;
    /* Hosted sizing only (tflc_interp_arena_size_hosted): the largest arena it will try, so a
     * hostile model cannot make it allocate gigabytes. 0 = TFLC_HOSTED_MAX_ARENA. */
    size_t max_arena_bytes;
};

/* Default cap of tflc_interp_arena_size_hosted (1 GiB). */
#define TFLC_HOSTED_MAX_ARENA ((size_t)1 << 30)

/* Defaults: 1 thread, best kernels for this CPU, no hook. */
TFLC_API struct tflc_interp_options tflc_interp_options_default(void);

/* Verifies the model, prepares every op and plans memory inside `arena` (borrowed; must
 * outlive the interpreter). On success *out points into the arena.
 * Errors: INVALID_MODEL (malformed file, inconsistent shapes), UNSUPPORTED (op, version or
 * type combination without a kernel; the message names op, version and types),
 * ARENA_TOO_SMALL (the message says how many bytes are needed when known). */
TFLC_API enum tflc_status tflc_interp_init(struct tflc_interp **out, const void *model, size_t len,
                                           void *arena, size_t arena_size,
                                           const struct tflc_interp_options *opt,
                                           struct tflc_diag *diag);

/* Exact arena bytes init used (for a TFLC_ARENA_ALIGN-aligned arena). */
TFLC_API size_t tflc_interp_arena_used(const struct tflc_interp *it);

TFLC_API int tflc_interp_input_count(const struct tflc_interp *it);
TFLC_API int tflc_interp_output_count(const struct tflc_interp *it);
/* Borrowed views; write inputs through ->data (->bytes long). NULL for a bad index. */
TFLC_API struct tflc_tensor *tflc_interp_input(struct tflc_interp *it, int index);
TFLC_API const struct tflc_tensor *tflc_interp_output(const struct tflc_interp *it, int index);

/* Runs the model once. Errors only on data-dependent conditions (e.g. a gather index out of
 * range), reported in diag with the op index. */
TFLC_API enum tflc_status tflc_interp_invoke(struct tflc_interp *it, struct tflc_diag *diag);

/* Output i of operator `op` (borrowed view; its data is valid in the op hook's `after` call and
 * until a later operator reuses the memory), NULL for bad indices or an absent output. For
 * calibration and per-layer error reports. */
TFLC_API int tflc_interp_op_output_count(const struct tflc_interp *it, int op);
TFLC_API const struct tflc_tensor *tflc_interp_op_output(const struct tflc_interp *it, int op, int i);
/* The model's tensor index of that output (-1 when absent). */
TFLC_API int tflc_interp_op_output_index(const struct tflc_interp *it, int op, int i);

/* Puts every variable tensor (recurrent state) back to its initial value, as TFLite's
 * ResetVariableTensors does: int8 state to its zero point, everything else to 0. */
TFLC_API void tflc_interp_reset(struct tflc_interp *it);

/* Introspection for tools (profilers, inspect): operator count, and op i's builtin name. */
TFLC_API int tflc_interp_op_count(const struct tflc_interp *it);
TFLC_API const char *tflc_interp_op_name(const struct tflc_interp *it, int op_index);
/* Under TFLC_ARITH_XNNPACK: true when op i runs with XNNPACK's arithmetic (Google's runtime
 * delegates it); false for the nodes TFLite's builtin kernels run, and in REFERENCE mode.
 * tflc_interp_xnnpack_failure() says why no node does, when the delegate would fail for the
 * whole model (NULL otherwise). */
TFLC_API bool tflc_interp_op_xnnpack(const struct tflc_interp *it, int op_index);
TFLC_API const char *tflc_interp_xnnpack_failure(const struct tflc_interp *it);

/* The microkernel ISA this interpreter runs (never AUTO). */
TFLC_API enum tflc_isa tflc_interp_isa(const struct tflc_interp *it);

/* Releases nothing (all memory is the caller's arena) but marks the interpreter dead; NULL ok. */
TFLC_API void tflc_interp_free(struct tflc_interp *it);

/* ---- hosted convenience (allocates; not in MCU builds) ---- */

/* Exact arena size for this model and options: runs init in temporary heap memory of
 * growing size, up to opt->max_arena_bytes (default TFLC_HOSTED_MAX_ARENA). A model that needs
 * more is refused (OUT_OF_MEMORY) with a message naming the limit, and the largest tensor when
 * that alone is over it. */
TFLC_API enum tflc_status tflc_interp_arena_size_hosted(const void *model, size_t len,
                                                        const struct tflc_interp_options *opt,
                                                        size_t *bytes, struct tflc_diag *diag);

/* `bytes` of memory aligned for an arena (TFLC_ARENA_ALIGN), for tflc_interp_init's arena or a
 * model file's bytes; release with tflc_free_hosted (or free()). On Linux, blocks of 2 MiB or
 * more are 2 MiB aligned and marked for transparent huge pages (madvise(MADV_HUGEPAGE); with
 * THP in its usual "madvise" mode nothing else gets them), which saves the TLB misses of
 * streaming through tens of MiB of activations and weights: MobileNetV2 float32 runs ~5%
 * faster. NULL when out of memory. */
TFLC_API void *tflc_alloc_hosted(size_t bytes);
TFLC_API void tflc_free_hosted(void *arena);

/* Verifies a model (structure and semantics) without preparing it. Safe on any bytes. */
TFLC_API enum tflc_status tflc_model_verify_hosted(const void *model, size_t len, struct tflc_diag *diag);

/* Thread pool (pthreads) for opt.parallel_for / opt.pool:
 *
 *   struct tflc_threadpool *pool = NULL;
 *   if (tflc_interp_options_set_threads(&opt, 4, &pool, &diag)) fail(diag.msg);
 *   ... tflc_interp_init(..., &opt, ...), invoke as often as needed ...
 *   tflc_interp_free(it);
 *   tflc_threadpool_destroy(pool);   // after the last invoke that uses it
 *
 * A pool of N threads starts N - 1 workers; the thread calling parallel_for runs tasks too.
 * Idle workers spin briefly after a job (an inference is many back-to-back jobs), then sleep. */
struct tflc_threadpool;

/* New pool of num_threads threads in all (0 = one per online CPU; at most 256). 1 gives a
 * pool that runs every task on the caller. NULL when memory or threads cannot be had. */
TFLC_API struct tflc_threadpool *tflc_threadpool_create(int num_threads);
/* Stops and joins the workers and frees the pool; NULL ok. No parallel_for may be running. */
TFLC_API void tflc_threadpool_destroy(struct tflc_threadpool *pool);
/* Threads of the pool, the caller included (1 for NULL). */
TFLC_API int tflc_threadpool_threads(const struct tflc_threadpool *pool);
/* A tflc_parallel_fn: runs task(ud, i) once for every i in [0, n) on the pool's threads and
 * the caller, and returns when all are done (their writes are then visible to the caller).
 * `pool` is a struct tflc_threadpool * (NULL: all on the caller, in order). Calls from
 * different threads on one pool are serialized; a task must not call parallel_for on the pool
 * that runs it. */
TFLC_API void tflc_threadpool_parallel_for(void *pool, int n, void (*task)(void *ud, int i), void *ud);

/* Points opt at a new pool of num_threads threads (0 = one per online CPU): sets
 * opt->num_threads, opt->parallel_for and opt->pool, and gives the pool to *pool (owned by the
 * caller: tflc_threadpool_destroy after the interpreter's last invoke). num_threads == 1 sets
 * a serial opt and *pool = NULL. Errors: INVALID_ARGUMENT (num_threads < 0), OUT_OF_MEMORY
 * (the pool could not be created; opt is then left serial). */
TFLC_API enum tflc_status tflc_interp_options_set_threads(struct tflc_interp_options *opt, int num_threads,
                                                          struct tflc_threadpool **pool, struct tflc_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
