/* Hosted thread pool (pthreads): tflc_threadpool_parallel_for is a tflc_parallel_fn for the
 * interpreter options. Not part of the MCU runtime (src/runtime_sources.txt); it allocates.
 *
 * One job at a time. A job is (task, ud, n) in one of two slots, and a 64-bit state word
 * `claim` = generation << 32 | next index. Threads (workers and the caller) take an index by
 * compare-and-swap on `claim`, so an index is taken only while the word still carries the
 * generation the thread read the job under: a worker that wakes late, after its job was done
 * and the next one published, fails the CAS instead of running a stale task. The slot of
 * generation g is rewritten only for g + 2, after job g + 1 completed, and the slot fields are
 * stored with release / loaded with acquire, so a thread that read a rewritten slot also sees
 * the newer generation and its CAS fails. The caller returns once `remaining` (tasks not yet
 * finished) is zero; it never waits for idle workers to notice a job, so a descheduled worker
 * costs nothing.
 *
 * Workers poll `claim` for a while after each job (an inference is ~60 back-to-back
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

struct tflc_threadpool {
    int nthreads; /* including the caller */
    int nworkers; /* threads created (nthreads - 1) */
    pthread_t *workers;
    struct job jobs[2];        /* job of generation g is jobs[g & 1] */
    _Atomic uint64_t claim;    /* generation << 32 | next index to take */
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

/* Runs tasks of generation `gen` until none is left to take. */
static void work(struct tflc_threadpool *p, uint32_t gen) {
    struct job *j = &p->jobs[gen & 1];
    uint64_t c = atomic_load(&p->claim);
    for (;;) {
        if ((uint32_t)(c >> 32) != gen) return;
        task_fn task = atomic_load_explicit(&j->task, memory_order_acquire);
        void *ud = atomic_load_explicit(&j->ud, memory_order_acquire);
        int n = atomic_load_explicit(&j->n, memory_order_acquire);
        if ((int)(uint32_t)c >= n) return;
        if (!atomic_compare_exchange_weak(&p->claim, &c, c + 1)) continue; /* c reloaded */
        task(ud, (int)(uint32_t)c);
        if (atomic_fetch_sub(&p->remaining, 1) == 1 && atomic_load(&p->caller_sleeps)) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_signal(&p->done);
            pthread_mutex_unlock(&p->mu);
        }
        c = atomic_load(&p->claim);
    }
}

static void *worker_main(void *arg) {
    struct tflc_threadpool *p = arg;
    uint32_t seen = 0; /* generation 0 is no job; a worker that starts late still joins job 1 */
    for (;;) {
        uint32_t gen = (uint32_t)(atomic_load(&p->claim) >> 32);
        if (gen == seen && !atomic_load(&p->stop)) {
            int64_t t0 = now_ns();
            for (int k = 1;; k++) {
                poll_wait(k);
                gen = (uint32_t)(atomic_load_explicit(&p->claim, memory_order_relaxed) >> 32);
                if (gen != seen || atomic_load_explicit(&p->stop, memory_order_relaxed)) break;
                if ((k < SPIN_HOT ? k % 64 == 0 : true) && now_ns() - t0 > SPIN_NS) break;
            }
        }
        if (gen == seen && !atomic_load(&p->stop)) {
            pthread_mutex_lock(&p->mu);
            atomic_fetch_add(&p->sleepers, 1);
            while ((gen = (uint32_t)(atomic_load(&p->claim) >> 32)) == seen && !atomic_load(&p->stop))
                pthread_cond_wait(&p->wake, &p->mu);
            atomic_fetch_sub(&p->sleepers, 1);
            pthread_mutex_unlock(&p->mu);
        }
        if (atomic_load(&p->stop)) return NULL;
        seen = gen;
        work(p, gen);
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
    atomic_init(&p->claim, 0);
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
        if (!p->workers) goto fail_threads;
        for (; p->nworkers < num_threads - 1; p->nworkers++)
            if (pthread_create(&p->workers[p->nworkers], NULL, worker_main, p)) goto fail_threads;
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
    uint32_t gen = (uint32_t)(atomic_load(&p->claim) >> 32) + 1;
    struct job *j = &p->jobs[gen & 1];
    atomic_store_explicit(&j->task, task, memory_order_release);
    atomic_store_explicit(&j->ud, ud, memory_order_release);
    atomic_store_explicit(&j->n, n, memory_order_release);
    atomic_store(&p->remaining, n);
    atomic_store(&p->claim, (uint64_t)gen << 32);
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->mu);
    }
    work(p, gen);
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
