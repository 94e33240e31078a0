/* Tiny test framework: TFLC_TEST(name) { ... } with TFLC_EXPECT_* checks; main() from
 * TFLC_TEST_MAIN() runs every registered test and exits non-zero on any failure.
 * Seeds: TFLC_TEST_SEED env (default: fixed 12345) so failures are reproducible; the seed is
 * printed on failure. Shared data: tflc_test_shared() returns the ../shared folder or NULL;
 * with TFLC_REQUIRE_SHARED=1 (set by CI) a missing folder is a failure, not a skip. */
#ifndef TFLC_TEST_H
#define TFLC_TEST_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef void (*tflc_test_fn)(void);
struct tflc_test_case { const char *name; tflc_test_fn fn; };

#define TFLC_MAX_TESTS 512
static struct tflc_test_case tflc_tests_[TFLC_MAX_TESTS];
static int tflc_ntests_;
static int tflc_failures_;
static int tflc_cur_failed_;
static uint64_t tflc_seed_ = 12345;

#define TFLC_TEST(name)                                                           \
    static void test_##name(void);                                                \
    __attribute__((constructor)) static void reg_##name(void) {                   \
        if (tflc_ntests_ < TFLC_MAX_TESTS)                                        \
            tflc_tests_[tflc_ntests_++] = (struct tflc_test_case){#name, test_##name}; \
    }                                                                             \
    static void test_##name(void)

#define TFLC_FAIL_(...)                                                           \
    do {                                                                          \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                           \
        fprintf(stderr, __VA_ARGS__);                                             \
        fprintf(stderr, " (seed %llu)\n", (unsigned long long)tflc_seed_);        \
        tflc_cur_failed_ = 1;                                                     \
    } while (0)

#define TFLC_EXPECT(cond)                                                         \
    do { if (!(cond)) TFLC_FAIL_("expected %s", #cond); } while (0)
#define TFLC_EXPECT_MSG(cond, ...)                                                \
    do { if (!(cond)) TFLC_FAIL_(__VA_ARGS__); } while (0)
#define TFLC_EXPECT_EQ_INT(a, b)                                                  \
    do {                                                                          \
        long long a_ = (long long)(a), b_ = (long long)(b);                       \
        if (a_ != b_) TFLC_FAIL_("%s == %lld, expected %s == %lld", #a, a_, #b, b_); \
    } while (0)
#define TFLC_EXPECT_NEAR(a, b, tol)                                               \
    do {                                                                          \
        double a_ = (double)(a), b_ = (double)(b);                                \
        if (!(fabs(a_ - b_) <= (tol))) TFLC_FAIL_("%s = %.9g, expected %.9g (tol %g)", #a, a_, b_, (double)(tol)); \
    } while (0)
#define TFLC_EXPECT_STR_CONTAINS(hay, needle)                                     \
    do {                                                                          \
        const char *h_ = (hay), *n_ = (needle);                                   \
        if (!h_ || !strstr(h_, n_)) TFLC_FAIL_("'%s' does not contain '%s'", h_ ? h_ : "(null)", n_); \
    } while (0)
/* Stop the current test (after a failure that makes the rest meaningless). */
#define TFLC_REQUIRE(cond)                                                        \
    do { if (!(cond)) { TFLC_FAIL_("required %s", #cond); return; } } while (0)

/* xorshift64* PRNG seeded from TFLC_TEST_SEED. */
static inline uint64_t tflc_test_rand(void) {
    tflc_seed_ ^= tflc_seed_ >> 12;
    tflc_seed_ ^= tflc_seed_ << 25;
    tflc_seed_ ^= tflc_seed_ >> 27;
    return tflc_seed_ * 2685821657736338717ull;
}
static inline int tflc_test_rand_range(int lo, int hi) { /* inclusive */
    return lo + (int)(tflc_test_rand() % (uint64_t)(hi - lo + 1));
}
static inline float tflc_test_rand_f32(float lo, float hi) {
    return lo + (hi - lo) * (float)((tflc_test_rand() >> 11) * (1.0 / 9007199254740992.0));
}

/* ../shared folder or NULL (then tests needing it skip, unless TFLC_REQUIRE_SHARED=1). */
static inline const char *tflc_test_shared(void) {
    const char *p = getenv("TFLC_SHARED");
    struct stat st;
    if (p && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) return p;
    const char *req = getenv("TFLC_REQUIRE_SHARED");
    if (req && strcmp(req, "1") == 0) {
        fprintf(stderr, "TFLC_REQUIRE_SHARED=1 but the shared folder '%s' is missing\n", p ? p : "(unset)");
        tflc_cur_failed_ = 1;
    } else {
        fprintf(stderr, "skipping: shared data folder not found\n");
    }
    return NULL;
}

/* Whole file into malloc'd memory (64-byte aligned) or NULL. */
static inline void *tflc_test_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *p = NULL;
    if (n < 0 || posix_memalign(&p, 64, (size_t)n + 1) != 0) { fclose(f); return NULL; }
    if (fread(p, 1, (size_t)n, f) != (size_t)n) { free(p); fclose(f); return NULL; }
    fclose(f);
    *len = (size_t)n;
    return p;
}

#define TFLC_TEST_MAIN()                                                          \
    int main(int argc, char **argv) {                                             \
        const char *s = getenv("TFLC_TEST_SEED");                                 \
        if (s) tflc_seed_ = strtoull(s, NULL, 10);                                \
        if (!tflc_seed_) tflc_seed_ = 1;                                          \
        for (int i = 0; i < tflc_ntests_; i++) {                                  \
            if (argc > 1 && !strstr(tflc_tests_[i].name, argv[1])) continue;      \
            tflc_cur_failed_ = 0;                                                 \
            tflc_tests_[i].fn();                                                  \
            printf("%s %s\n", tflc_cur_failed_ ? "FAIL" : "ok  ", tflc_tests_[i].name); \
            tflc_failures_ += tflc_cur_failed_;                                   \
        }                                                                         \
        printf("%d/%d passed\n", tflc_ntests_ - tflc_failures_, tflc_ntests_);    \
        return tflc_failures_ ? 1 : 0;                                            \
    }

#endif
