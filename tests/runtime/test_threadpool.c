/* The hosted thread pool (src/runtime/threadpool.c): every index runs exactly once per call,
 * over many rounds, for n below, at and above the thread count; the caller sees all writes
 * when parallel_for returns; two pools driven from two threads at once stay independent; a
 * pool whose workers fell asleep wakes up; tflc_interp_options_set_threads sets the options. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "test.h"
#include "tflc/runtime.h"

#define MAXN 4096

struct counts {
    atomic_int hits[MAXN]; /* times index i ran */
    int plain[MAXN];       /* non-atomic write by the task: visible to the caller after return */
    atomic_int threads_seen;
    int round;
};

static void count_task(void *ud, int i) {
    struct counts *c = ud;
    atomic_fetch_add_explicit(&c->hits[i], 1, memory_order_relaxed);
    c->plain[i] = c->round * 7 + i;
}

/* Runs `rounds` parallel_for calls of sizes drawn from `sizes` on `pool`; returns failures. */
static int check_rounds(struct tflc_threadpool *pool, struct counts *c, int rounds, uint64_t seed) {
    static const int sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 64, 100, 257, 1000, MAXN};
    int bad = 0;
    for (int r = 0; r < rounds; r++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int n = sizes[(seed >> 33) % (sizeof sizes / sizeof sizes[0])];
        for (int i = 0; i < n + 1 && i < MAXN; i++) atomic_store(&c->hits[i], 0);
        c->round = r;
        tflc_threadpool_parallel_for(pool, n, count_task, c);
        for (int i = 0; i < n; i++) {
            int h = atomic_load(&c->hits[i]);
            if (h != 1 || c->plain[i] != r * 7 + i) {
                if (bad++ < 5)
                    fprintf(stderr, "round %d n %d: index %d ran %d times (plain %d)\n", r, n, i, h, c->plain[i]);
            }
        }
        if (n < MAXN && atomic_load(&c->hits[n]) != 0) bad++;
    }
    return bad;
}

TFLC_TEST(every_index_once_many_rounds) {
    static struct counts c;
    for (int t = 1; t <= 5; t++) {
        struct tflc_threadpool *pool = tflc_threadpool_create(t);
        TFLC_REQUIRE(pool);
        TFLC_EXPECT_EQ_INT(tflc_threadpool_threads(pool), t);
        TFLC_EXPECT_EQ_INT(check_rounds(pool, &c, 3000, (uint64_t)t), 0);
        tflc_threadpool_destroy(pool);
    }
}

TFLC_TEST(zero_and_null) {
    static struct counts c;
    struct tflc_threadpool *pool = tflc_threadpool_create(3);
    TFLC_REQUIRE(pool);
    atomic_store(&c.hits[0], 0);
    tflc_threadpool_parallel_for(pool, 0, count_task, &c); /* nothing runs */
    TFLC_EXPECT_EQ_INT(atomic_load(&c.hits[0]), 0);
    tflc_threadpool_destroy(pool);
    /* A NULL pool runs everything on the caller, in order. */
    TFLC_EXPECT_EQ_INT(check_rounds(NULL, &c, 50, 9), 0);
    TFLC_EXPECT_EQ_INT(tflc_threadpool_threads(NULL), 1);
    tflc_threadpool_destroy(NULL);
    /* 0 = one per CPU */
    pool = tflc_threadpool_create(0);
    TFLC_REQUIRE(pool);
    TFLC_EXPECT(tflc_threadpool_threads(pool) >= 1);
    TFLC_EXPECT_EQ_INT(check_rounds(pool, &c, 200, 3), 0);
    tflc_threadpool_destroy(pool);
}

/* The tasks really run on more than one thread when they are long enough. */
static pthread_t task_threads[64];
static atomic_int ntask_threads;
static void who_task(void *ud, int i) {
    (void)ud;
    pthread_t me = pthread_self();
    struct timespec ts = {0, 2000000}; /* 2 ms: long enough that the workers wake and help */
    nanosleep(&ts, NULL);
    task_threads[i] = me;
    atomic_fetch_add(&ntask_threads, 1);
}

TFLC_TEST(work_is_shared) {
    struct tflc_threadpool *pool = tflc_threadpool_create(3);
    TFLC_REQUIRE(pool);
    atomic_store(&ntask_threads, 0);
    tflc_threadpool_parallel_for(pool, 12, who_task, NULL);
    TFLC_EXPECT_EQ_INT(atomic_load(&ntask_threads), 12);
    int distinct = 0;
    for (int i = 0; i < 12; i++) {
        int seen = 0;
        for (int k = 0; k < i; k++) seen |= pthread_equal(task_threads[i], task_threads[k]);
        distinct += !seen;
    }
    TFLC_EXPECT_MSG(distinct >= 2, "12 sleeping tasks ran on %d thread(s) of a 3-thread pool", distinct);
    tflc_threadpool_destroy(pool);
}

/* Workers that went to sleep (past the spin time) wake up for the next job. */
TFLC_TEST(wakes_after_sleep) {
    static struct counts c;
    struct tflc_threadpool *pool = tflc_threadpool_create(4);
    TFLC_REQUIRE(pool);
    for (int k = 0; k < 5; k++) {
        struct timespec ts = {0, 3000000}; /* 3 ms > the 0.2 ms spin */
        nanosleep(&ts, NULL);
        TFLC_EXPECT_EQ_INT(check_rounds(pool, &c, 20, (uint64_t)k + 100), 0);
    }
    tflc_threadpool_destroy(pool);
}

struct driver {
    struct tflc_threadpool *pool;
    struct counts c;
    uint64_t seed;
    int bad;
};

static void *drive(void *arg) {
    struct driver *d = arg;
    d->bad = check_rounds(d->pool, &d->c, 2000, d->seed);
    return NULL;
}

/* Two pools, each driven by its own thread at the same time. */
TFLC_TEST(two_pools_concurrently) {
    static struct driver d[2];
    d[0].pool = tflc_threadpool_create(2);
    d[1].pool = tflc_threadpool_create(3);
    TFLC_REQUIRE(d[0].pool && d[1].pool);
    pthread_t th[2];
    for (int k = 0; k < 2; k++) {
        d[k].seed = 77 + (uint64_t)k;
        TFLC_REQUIRE(pthread_create(&th[k], NULL, drive, &d[k]) == 0);
    }
    for (int k = 0; k < 2; k++) pthread_join(th[k], NULL);
    TFLC_EXPECT_EQ_INT(d[0].bad, 0);
    TFLC_EXPECT_EQ_INT(d[1].bad, 0);
    for (int k = 0; k < 2; k++) tflc_threadpool_destroy(d[k].pool);
}

/* One pool called from two threads at once: the calls are serialized, each still exact. */
TFLC_TEST(one_pool_two_callers) {
    static struct driver d[2];
    struct tflc_threadpool *pool = tflc_threadpool_create(3);
    TFLC_REQUIRE(pool);
    pthread_t th[2];
    for (int k = 0; k < 2; k++) {
        d[k].pool = pool;
        d[k].seed = 5 + (uint64_t)k;
        TFLC_REQUIRE(pthread_create(&th[k], NULL, drive, &d[k]) == 0);
    }
    for (int k = 0; k < 2; k++) pthread_join(th[k], NULL);
    TFLC_EXPECT_EQ_INT(d[0].bad, 0);
    TFLC_EXPECT_EQ_INT(d[1].bad, 0);
    tflc_threadpool_destroy(pool);
}

TFLC_TEST(options_set_threads) {
    struct tflc_interp_options opt = tflc_interp_options_default();
    struct tflc_threadpool *pool = (struct tflc_threadpool *)&opt; /* overwritten */
    struct tflc_diag d;
    TFLC_EXPECT_EQ_INT(tflc_interp_options_set_threads(&opt, 1, &pool, &d), TFLC_STATUS_OK);
    TFLC_EXPECT(pool == NULL && opt.num_threads == 1 && opt.parallel_for == NULL && opt.pool == NULL);
    TFLC_EXPECT_EQ_INT(tflc_interp_options_set_threads(&opt, 3, &pool, &d), TFLC_STATUS_OK);
    TFLC_REQUIRE(pool);
    TFLC_EXPECT(opt.num_threads == 3 && opt.parallel_for == tflc_threadpool_parallel_for && opt.pool == pool);
    tflc_threadpool_destroy(pool);
    TFLC_EXPECT_EQ_INT(tflc_interp_options_set_threads(&opt, -2, &pool, &d), TFLC_STATUS_INVALID_ARGUMENT);
    TFLC_EXPECT(pool == NULL && opt.num_threads == 1 && opt.parallel_for == NULL);
    TFLC_EXPECT_STR_CONTAINS(d.msg, "-2 threads");
}

TFLC_TEST_MAIN()
