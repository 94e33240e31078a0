/* Bump arena (see arena.h). */
#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

#include "base/checked_math.h"

struct tflc_arena_chunk {
    struct tflc_arena_chunk *next;
    size_t size, off;
    _Alignas(64) unsigned char data[];
};

#define CHUNK_MIN ((size_t)1 << 20)

void tflc_arena_init(struct tflc_arena *a, size_t limit, struct tflc_diag *diag) {
    memset(a, 0, sizeof *a);
    a->limit = limit ? limit : ((size_t)4 << 30);
    a->diag = diag;
}

void tflc_arena_free(struct tflc_arena *a) {
    if (!a) return;
    struct tflc_arena_chunk *c = a->head;
    while (c) {
        struct tflc_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
    a->used = 0;
}

void *tflc_arena_alloc(struct tflc_arena *a, size_t n, const char *what) {
    size_t align = n >= 4096 ? 64 : 16;
    size_t need;
    if (!tflc_add_size(n, align, &need) || a->used > a->limit || need > a->limit - a->used) {
        a->failed = 1;
        tflc_diag_set(a->diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory: %s asked for %zu bytes (limit %zu)",
                      what ? what : "an object", n, a->limit);
        return NULL;
    }
    struct tflc_arena_chunk *c = a->head;
    size_t off = c ? tflc_align_up(c->off, align) : 0;
    if (!c || off + n > c->size) {
        size_t sz = n + 64 > CHUNK_MIN ? n + 64 : CHUNK_MIN;
        c = malloc(sizeof *c + sz);
        if (!c) {
            a->failed = 1;
            tflc_diag_set(a->diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory: %s asked for %zu bytes", what ? what : "an object", n);
            return NULL;
        }
        c->size = sz;
        c->off = 0;
        /* A big one-off allocation goes behind the current chunk so the chunk keeps serving. */
        if (a->head && n + 64 > CHUNK_MIN) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
        off = 0;
    }
    void *p = c->data + off;
    c->off = off + n;
    a->used += n + align;
    memset(p, 0, n);
    return p;
}

void *tflc_arena_array(struct tflc_arena *a, size_t n, size_t size, const char *what) {
    size_t total;
    if (!tflc_mul_size(n, size, &total)) {
        a->failed = 1;
        tflc_diag_set(a->diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory: %s asked for %zu x %zu bytes", what ? what : "an array", n, size);
        return NULL;
    }
    return tflc_arena_alloc(a, total ? total : 1, what);
}

char *tflc_arena_strndup(struct tflc_arena *a, const char *s, size_t n) {
    char *d = tflc_arena_alloc(a, n + 1, "a string");
    if (d && n) memcpy(d, s, n);
    return d;
}

char *tflc_arena_strdup(struct tflc_arena *a, const char *s) { return tflc_arena_strndup(a, s ? s : "", s ? strlen(s) : 0); }

void *tflc_arena_memdup(struct tflc_arena *a, const void *p, size_t n, const char *what) {
    void *d = tflc_arena_alloc(a, n ? n : 1, what);
    if (d && n) memcpy(d, p, n);
    return d;
}
