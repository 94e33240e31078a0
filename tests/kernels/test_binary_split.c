/* The work split of the two-input elementwise ops (binary_util.h): tflc_binary_run_range over
 * any cut of the output into consecutive ranges visits every output element exactly once with
 * the same a and b element offsets as the serial broadcast walk (tflc_bcast_run), for random
 * broadcast shapes of rank 0..5 and random cut points, including cuts inside rows. */
#include "kernels/ref/binary_util.h"
#include "test.h"

#define MAXE 20000

struct rec {
    uint64_t *out; /* per output element: (a offset + 1) << 32 | (b offset + 1); 0 = not visited */
    int twice;     /* elements visited more than once */
};

static void row(void *ud, size_t o, size_t ia, size_t ib, size_t n, size_t da, size_t db) {
    struct rec *r = ud;
    for (size_t i = 0; i < n; i++) {
        if (r->out[o + i]) r->twice++;
        r->out[o + i] = (uint64_t)(ia + i * da + 1) << 32 | (ib + i * db + 1);
    }
}

static void rand_shapes(struct tflc_tensor *a, struct tflc_tensor *b, struct tflc_tensor *y) {
    for (;;) {
        int r = tflc_test_rand_range(0, 5);
        y->rank = r;
        size_t n = 1;
        for (int i = 0; i < r; i++) {
            y->dims[i] = tflc_test_rand_range(1, 9);
            n *= (size_t)y->dims[i];
        }
        if (n > MAXE) continue;
        a->rank = tflc_test_rand_range(0, r);
        b->rank = tflc_test_rand_range(0, r);
        if (tflc_test_rand_range(0, 1))
            a->rank = r; /* one of them has the output's rank */
        else
            b->rank = r;
        for (int i = 0; i < a->rank; i++) {
            int32_t d = y->dims[r - a->rank + i];
            a->dims[i] = tflc_test_rand_range(0, 2) ? d : 1;
        }
        for (int i = 0; i < b->rank; i++) {
            int32_t d = y->dims[r - b->rank + i];
            b->dims[i] = tflc_test_rand_range(0, 2) ? d : 1;
        }
        /* The output must be the broadcast of a and b: stretch a dim of a where neither has it. */
        for (int i = 0; i < r; i++) {
            int ia = i - (r - a->rank), ib = i - (r - b->rank);
            bool has = (ia >= 0 && a->dims[ia] == y->dims[i]) || (ib >= 0 && b->dims[ib] == y->dims[i]);
            if (has) continue;
            if (ia >= 0)
                a->dims[ia] = y->dims[i];
            else
                b->dims[ib] = y->dims[i];
        }
        return;
    }
}

TFLC_TEST(ranges_match_serial_walk) {
    static uint64_t want[MAXE], got[MAXE];
    for (int iter = 0; iter < 3000; iter++) {
        struct tflc_tensor a, b, y;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        memset(&y, 0, sizeof y);
        rand_shapes(&a, &b, &y);
        int rank;
        int32_t shape[TFLC_MAX_DIMS];
        TFLC_REQUIRE(tflc_broadcast_shape(&a, &b, &rank, shape));
        TFLC_REQUIRE(rank == y.rank);
        for (int i = 0; i < rank; i++) TFLC_REQUIRE(shape[i] == y.dims[i]);
        struct tflc_bcast bc;
        tflc_bcast_init(&bc, &a, &b, &y);
        size_t total = tflc_numel(&y);
        memset(want, 0, total * sizeof want[0]);
        memset(got, 0, total * sizeof got[0]);
        struct rec rw = {want, 0}, rg = {got, 0};
        tflc_bcast_run(&bc, row, &rw);
        /* Random cuts, some of them empty ranges. */
        size_t at = 0;
        while (at < total) {
            size_t len = (size_t)tflc_test_rand_range(0, (int)(total < 50 ? total : total / 3 + 1));
            size_t end = at + len > total ? total : at + len;
            tflc_binary_run_range(&bc, row, &rg, at, end);
            at = end;
        }
        TFLC_EXPECT_EQ_INT(rw.twice, 0);
        TFLC_EXPECT_EQ_INT(rg.twice, 0);
        size_t bad = 0;
        for (size_t i = 0; i < total; i++) bad += !want[i] || got[i] != want[i];
        TFLC_EXPECT_MSG(bad == 0, "iteration %d: %zu of %zu elements differ (rank %d)", iter, bad, total, rank);
        if (bad) return;
    }
}

/* tflc_binary_task's chunks tile [0, total): the last one is clipped, later ones are empty. */
TFLC_TEST(tasks_tile_the_output) {
    static uint64_t got[MAXE];
    struct tflc_tensor a = {0}, b = {0}, y = {0};
    a.rank = b.rank = y.rank = 2;
    a.dims[0] = y.dims[0] = 97;
    a.dims[1] = b.dims[1] = y.dims[1] = 131;
    b.dims[0] = 1;
    struct tflc_bcast bc;
    tflc_bcast_init(&bc, &a, &b, &y);
    size_t total = 97 * 131;
    memset(got, 0, sizeof got);
    struct rec rg = {got, 0};
    struct tflc_binary_par p = {&bc, row, &rg, total, 3200};
    for (int t = 0; t < 6; t++) tflc_binary_task(&p, t); /* 5 cover it, the 6th is past the end */
    TFLC_EXPECT_EQ_INT(rg.twice, 0);
    size_t missing = 0;
    for (size_t i = 0; i < total; i++) missing += !got[i];
    TFLC_EXPECT_EQ_INT(missing, 0);
    TFLC_EXPECT_EQ_INT(got[total - 1], ((uint64_t)(total - 1 + 1) << 32) | (130 + 1));
}

TFLC_TEST_MAIN()
