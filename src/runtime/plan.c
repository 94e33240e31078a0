/* Greedy memory planner (TFLM's GreedyMemoryPlanner idea, our code): every activation tensor
 * and every op's scratch buffer is an interval [first op, last op] x size. Buffers are placed
 * largest first, each at the lowest 64-byte aligned offset that overlaps no already-placed
 * buffer alive at the same time. The work arrays live in the arena head before anything is
 * placed there, so planning allocates nothing. */
#include <string.h>

#include "base/checked_math.h"
#include "runtime/interp.h"

#define PLAN_ALIGN 64

struct item {
    size_t size;
    size_t offset;
    int32_t first, last;
    int32_t id;        /* tensor index, or -(op + 1) for scratch */
    int32_t placed;
};

/* Placement order: larger first, then earlier first use, then tensor index (deterministic). */
static bool before(const struct item *a, const struct item *b) {
    if (a->size != b->size) return a->size > b->size;
    if (a->first != b->first) return a->first < b->first;
    return a->id < b->id;
}

struct span {
    size_t offset, size;
};

/* In-place heapsorts: libc's qsort may allocate, and the runtime never does. */
#define HEAPSORT(name, T, LESS)                                                  \
    static void name(T *v, size_t n) {                                           \
        for (size_t k = n; k-- > 0;) sift_##name(v, k, n);                       \
        for (size_t end = n; end-- > 1;) {                                       \
            T t = v[0]; v[0] = v[end]; v[end] = t;                               \
            sift_##name(v, 0, end);                                              \
        }                                                                        \
    }
#define SIFT(name, T, LESS)                                                      \
    static void sift_##name(T *v, size_t i, size_t n) {                          \
        for (;;) {                                                               \
            size_t l = 2 * i + 1, m = i;                                         \
            if (l < n && LESS(&v[m], &v[l])) m = l;                              \
            if (l + 1 < n && LESS(&v[m], &v[l + 1])) m = l + 1;                  \
            if (m == i) return;                                                  \
            T t = v[i]; v[i] = v[m]; v[m] = t;                                   \
            i = m;                                                               \
        }                                                                        \
    }
#define ITEM_LESS(a, b) before(a, b)
#define SPAN_LESS(a, b) ((a)->offset < (b)->offset)
SIFT(sort_items, struct item, ITEM_LESS)
HEAPSORT(sort_items, struct item, ITEM_LESS)
SIFT(sort_spans, struct span, SPAN_LESS)
HEAPSORT(sort_spans, struct span, SPAN_LESS)

enum tflc_status tflc_plan_memory(struct tflc_interp *it) {
    size_t n = 0;
    for (int32_t i = 0; i < it->ntensors; i++)
        if (it->trt[i].kind == TK_ACT && it->tensors[i].bytes) n++;
    for (int32_t k = 0; k < it->nops; k++)
        if (it->nodes[k].scratch_bytes) n++;
    size_t work;
    if (!tflc_mul_size(n, sizeof(struct item) + sizeof(struct span), &work) || work > it->cap - it->tail)
        return tflc_diag_set(it->diag, TFLC_STATUS_ARENA_TOO_SMALL, "arena too small to plan %zu buffers", n);
    if (work > it->head_peak) it->head_peak = work;
    struct item *items = (struct item *)(void *)it->base;
    struct span *live = (struct span *)(void *)(items + n);
    size_t m = 0;
    for (int32_t i = 0; i < it->ntensors; i++) {
        if (it->trt[i].kind != TK_ACT || !it->tensors[i].bytes) continue;
        items[m] = (struct item){tflc_align_up(it->tensors[i].bytes, PLAN_ALIGN), 0, it->trt[i].first, it->trt[i].last, i, 0};
        m++;
    }
    for (int32_t k = 0; k < it->nops; k++) {
        if (!it->nodes[k].scratch_bytes) continue;
        items[m] = (struct item){tflc_align_up(it->nodes[k].scratch_bytes, PLAN_ALIGN), 0, k, k, -(k + 1), 0};
        m++;
    }
    sort_items(items, m);
    size_t high = 0;
    for (size_t i = 0; i < m; i++) {
        size_t nl = 0;
        for (size_t j = 0; j < i; j++)
            if (items[j].first <= items[i].last && items[i].first <= items[j].last)
                live[nl++] = (struct span){items[j].offset, items[j].size};
        sort_spans(live, nl);
        size_t cur = 0;
        for (size_t j = 0; j < nl; j++) {
            const struct span *o = &live[j];
            if (o->offset >= cur && o->offset - cur >= items[i].size) break;
            if (o->offset + o->size > cur) cur = o->offset + o->size;
        }
        items[i].offset = cur;
        if (cur + items[i].size > high) high = cur + items[i].size;
    }
    if (high > it->cap - it->tail || work > it->cap - it->tail) {
        size_t need = (high > work ? high : work) + it->tail;
        return tflc_diag_set(it->diag, TFLC_STATUS_ARENA_TOO_SMALL, "arena of %zu bytes is too small: this model needs %zu",
                             it->cap, need);
    }
    /* Results go to the tensors and nodes (in the tail) before the head is reused. */
    for (size_t i = 0; i < m; i++) {
        if (items[i].id >= 0) it->trt[items[i].id].offset = items[i].offset;
        else it->nodes[-items[i].id - 1].scratch = it->base + items[i].offset;
    }
    it->head = high;
    return TFLC_STATUS_OK;
}
