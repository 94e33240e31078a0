/* Hosted thread pool (pthreads): tflc_threadpool_parallel_for is a tflc_parallel_fn for the
 * interpreter options. Not part of the MCU runtime (src/runtime_sources.txt); it allocates.
 *
 * One job at a time. A job is (task, ud, n) in one of two slots; the tasks are split into one
 * contiguous range per thread (the caller is thread 0), and each thread's `lane` holds a 64-bit
 * state word generation << 32 | next index of its range. A thread runs its own range first and
 * then steals what is left of the others' (both by compare-and-swap on the lane), so task i of
 * every op goes to the same thread unless it falls behind: ops split their work the same way
 * from layer to layer (output rows), so a thread mostly reads what it wrote one op earlier, from
 * its own core's cache (with a shared counter the rows changed cores every op; MobileNetV2's
 * 112 x 112 float layers scaled 1.35-1.65x on 2 threads). An index is taken only while the lane
 * still carries the generation the thread read the job under: a worker that wakes late, after
 * its job was done and the next one published (which rewrites every lane), fails the CAS
 * instead of running a stale task. The slot of generation g is rewritten only for g + 2, after
 * job g + 1 completed, and the slot fields are stored with release / loaded with acquire, so a
 * thread that read a rewritten slot also sees the newer generation and its CAS fails. The
 * caller returns once `remaining` (tasks not yet finished) is zero; it never waits for idle
 * workers to notice a job, so a descheduled worker costs nothing (its range is stolen).
 *
 * Workers poll `gen` for a while after each job (an inference is ~60 back-to-back
 * parallel_for calls) and then sleep on a condition variable; the publisher signals only
 * when someone sleeps (seq_cst flag + counter, checked under the mutex on the sleeper side).
 * Polling turns from pause to sched_yield after a few microseconds: on a machine with more
 * runnable threads than cores, a poller that kept its core would starve the very thread it
 * waits for (measured: 16 small ADDs of a face detector took 3 ms instead of 0.07 ms). */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tflc/runtime.h"

#define MAX_THREADS 256
#define SPIN_NS     200000 /* how long an idle worker (or the waiting caller) polls before sleeping */
#define SPIN_HOT    256    /* polls with a pause before the poll loop starts yielding the CPU */

typedef void (*task_fn)(void *ud, int i);

struct job {
    _Atomic(task_fn) task;
    _Atomic(void *) ud;
    atomic_int n;
};

struct lane {
    _Alignas(64) _Atomic uint64_t claim; /* generation << 32 | next index of this thread's range */
};

struct worker_arg {
    struct tflc_threadpool *p;
    int self; /* lane index, 1..nworkers */
};

struct tflc_threadpool {
    int nthreads; /* including the caller */
    int nworkers; /* threads created (nthreads - 1) */
    pthread_t *workers;
    struct worker_arg *args;
    struct lane *lanes;        /* [nthreads]; lane 0 is the caller's */
    struct job jobs[2];        /* job of generation g is jobs[g & 1] */
    _Atomic uint32_t gen;      /* generation of the newest job (0: none yet) */
    atomic_int remaining;      /* tasks of the current job not finished */
    atomic_int sleepers;       /* workers in (or about to enter) cond_wait */
    atomic_bool caller_sleeps; /* the caller waits on `done` */
    atomic_bool stop;
    pthread_mutex_t mu;   /* guards the sleeps (not the job) */
    pthread_cond_t wake;  /* workers: a new job or stop */
    pthread_cond_t done;  /* caller: remaining reached 0 */
    pthread_mutex_t call; /* one parallel_for at a time */
};

static void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* One poll step: a pause for the first SPIN_HOT polls, then sched_yield, so that a thread
 * polling on an oversubscribed core hands it to a runnable thread of the pool (the caller, or
 * the worker holding the last task) instead of keeping it for the whole spin time. */
static void poll_wait(int k) {
    if (k < SPIN_HOT) relax();
    else sched_yield();
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* End of thread t's range of n tasks (its start is range_end(t - 1)). */
static int range_end(int n, int t, int threads) { return (int)((int64_t)n * (t + 1) / threads); }

/* Marks `done` tasks finished (one atomic per work() call, not per task: `remaining` is the
 * one line every thread writes), waking a sleeping caller when they were the last. */
static void finish(struct tflc_threadpool *p, int done) {
    if (done && atomic_fetch_sub(&p->remaining, done) == done && atomic_load(&p->caller_sleeps)) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_signal(&p->done);
        pthread_mutex_unlock(&p->mu);
    }
}

/* Runs tasks of generation `gen` from thread self's own range, then from the others', until
 * none is left to take. */
static void work(struct tflc_threadpool *p, uint32_t gen, int self) {
    struct job *j = &p->jobs[gen & 1];
    int done = 0;
    for (int k = 0; k < p->nthreads; k++) {
        const int v = (self + k) % p->nthreads;
        struct lane *l = &p->lanes[v];
        uint64_t c = atomic_load(&l->claim);
        for (;;) {
            if ((uint32_t)(c >> 32) != gen) { /* the job is over (a newer one rewrote the lanes) */
                finish(p, done);
                return;
            }
            task_fn task = atomic_load_explicit(&j->task, memory_order_acquire);
            void *ud = atomic_load_explicit(&j->ud, memory_order_acquire);
            int n = atomic_load_explicit(&j->n, memory_order_acquire);
            if ((int)(uint32_t)c >= range_end(n, v, p->nthreads)) break; /* lane v is empty */
            if (!atomic_compare_exchange_weak(&l->claim, &c, c + 1)) continue; /* c reloaded */
            task(ud, (int)(uint32_t)c);
            done++;
            c = atomic_load(&l->claim);
        }
    }
    finish(p, done);
}

static void *worker_main(void *arg) {
    struct tflc_threadpool *p = ((struct worker_arg *)arg)->p;
    const int self = ((struct worker_arg *)arg)->self;
    uint32_t seen = 0; /* generation 0 is no job; a worker that starts late still joins job 1 */
    for (;;) {
        uint32_t gen = atomic_load(&p->gen);
        if (gen == seen && !atomic_load(&p->stop)) {
            int64_t t0 = now_ns();
            for (int k = 1;; k++) {
                poll_wait(k);
                gen = atomic_load_explicit(&p->gen, memory_order_relaxed);
                if (gen != seen || atomic_load_explicit(&p->stop, memory_order_relaxed)) break;
                if ((k < SPIN_HOT ? k % 64 == 0 : true) && now_ns() - t0 > SPIN_NS) break;
            }
        }
        if (gen == seen && !atomic_load(&p->stop)) {
            pthread_mutex_lock(&p->mu);
            atomic_fetch_add(&p->sleepers, 1);
            while ((gen = atomic_load(&p->gen)) == seen && !atomic_load(&p->stop))
                pthread_cond_wait(&p->wake, &p->mu);
            atomic_fetch_sub(&p->sleepers, 1);
            pthread_mutex_unlock(&p->mu);
        }
        if (atomic_load(&p->stop)) return NULL;
        seen = gen;
        work(p, gen, self);
    }
}

struct tflc_threadpool *tflc_threadpool_create(int num_threads) {
    if (num_threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        num_threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
    }
    if (num_threads > MAX_THREADS) num_threads = MAX_THREADS;
    struct tflc_threadpool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->nthreads = num_threads;
    atomic_init(&p->gen, 0);
    p->lanes = aligned_alloc(64, sizeof *p->lanes * (size_t)num_threads);
    if (!p->lanes) {
        free(p);
        return NULL;
    }
    for (int t = 0; t < num_threads; t++) atomic_init(&p->lanes[t].claim, 0);
    atomic_init(&p->remaining, 0);
    atomic_init(&p->sleepers, 0);
    atomic_init(&p->caller_sleeps, false);
    atomic_init(&p->stop, false);
    for (int s = 0; s < 2; s++) {
        atomic_init(&p->jobs[s].task, NULL);
        atomic_init(&p->jobs[s].ud, NULL);
        atomic_init(&p->jobs[s].n, 0);
    }
    if (pthread_mutex_init(&p->mu, NULL)) goto fail_mu;
    if (pthread_mutex_init(&p->call, NULL)) goto fail_call;
    if (pthread_cond_init(&p->wake, NULL)) goto fail_wake;
    if (pthread_cond_init(&p->done, NULL)) goto fail_done;
    if (num_threads > 1) {
        p->workers = calloc((size_t)num_threads - 1, sizeof *p->workers);
        p->args = calloc((size_t)num_threads - 1, sizeof *p->args);
        if (!p->workers || !p->args) goto fail_threads;
        for (; p->nworkers < num_threads - 1; p->nworkers++) {
            p->args[p->nworkers] = (struct worker_arg){p, p->nworkers + 1};
            if (pthread_create(&p->workers[p->nworkers], NULL, worker_main, &p->args[p->nworkers])) goto fail_threads;
        }
    }
    return p;
fail_threads:
    tflc_threadpool_destroy(p);
    return NULL;
fail_done:
    pthread_cond_destroy(&p->wake);
fail_wake:
    pthread_mutex_destroy(&p->call);
fail_call:
    pthread_mutex_destroy(&p->mu);
fail_mu:
    free(p->lanes);
    free(p);
    return NULL;
}

void tflc_threadpool_destroy(struct tflc_threadpool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->stop, true);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nworkers; i++) pthread_join(p->workers[i], NULL);
    free(p->workers);
    free(p->args);
    free(p->lanes);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->call);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

int tflc_threadpool_threads(const struct tflc_threadpool *p) { return p ? p->nthreads : 1; }

void tflc_threadpool_parallel_for(void *pool, int n, void (*task)(void *ud, int i), void *ud) {
    struct tflc_threadpool *p = pool;
    if (n <= 0) return;
    if (!p || p->nworkers == 0 || n == 1) {
        for (int i = 0; i < n; i++) task(ud, i);
        return;
    }
    pthread_mutex_lock(&p->call);
    /* The previous job is complete (remaining == 0), so nobody can take from it; its slot
     * (generation - 1) is not the one written here. */
    uint32_t gen = atomic_load(&p->gen) + 1;
    struct job *j = &p->jobs[gen & 1];
    atomic_store_explicit(&j->task, task, memory_order_release);
    atomic_store_explicit(&j->ud, ud, memory_order_release);
    atomic_store_explicit(&j->n, n, memory_order_release);
    atomic_store(&p->remaining, n);
    for (int t = 0; t < p->nthreads; t++)
        atomic_store(&p->lanes[t].claim, (uint64_t)gen << 32 | (uint32_t)(t ? range_end(n, t - 1, p->nthreads) : 0));
    atomic_store(&p->gen, gen);
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->mu);
    }
    work(p, gen, 0);
    if (atomic_load(&p->remaining) != 0) {
        int64_t t0 = now_ns();
        for (int k = 1; atomic_load_explicit(&p->remaining, memory_order_acquire) != 0; k++) {
            poll_wait(k);
            if ((k < SPIN_HOT ? k % 64 == 0 : true) && now_ns() - t0 > SPIN_NS) break;
        }
        if (atomic_load(&p->remaining) != 0) {
            pthread_mutex_lock(&p->mu);
            atomic_store(&p->caller_sleeps, true);
            while (atomic_load(&p->remaining) != 0) pthread_cond_wait(&p->done, &p->mu);
            atomic_store(&p->caller_sleeps, false);
            pthread_mutex_unlock(&p->mu);
        }
    }
    pthread_mutex_unlock(&p->call);
}
