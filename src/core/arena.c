/*
 * arena.c: a per-call arena. A call takes many small temporaries from it and releases
 * them all at once at its single exit, so no path can leak one. Blocks come from the
 * context's allocator; a request larger than the block size gets a block of its own.
 */
#include <string.h>

#include "../internal.h"

struct causa_i_arena_block {
    causa_i_arena_block *next;
    size_t used, cap;
    /* payload follows, 16-byte aligned */
};

#define BLOCK_HEADER ((sizeof(causa_i_arena_block) + 15u) & ~(size_t)15u)

void causa_i_arena_init(causa_i_arena *a, causa_ctx *ctx) {
    a->ctx = ctx;
    a->head = NULL;
    a->block_size = 64 * 1024;
}

void *causa_i_arena_alloc(causa_i_arena *a, size_t size) {
    size = (size + 15u) & ~(size_t)15u;
    if (size == 0) size = 16;
    causa_i_arena_block *b = a->head;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > a->block_size ? size : a->block_size;
        if (cap > SIZE_MAX - BLOCK_HEADER) {
            causa_i_nomem(a->ctx, "arena block", cap);
            return NULL;
        }
        b = causa_i_malloc(a->ctx, BLOCK_HEADER + cap);
        if (!b) {
            causa_i_nomem(a->ctx, "arena block", BLOCK_HEADER + cap);
            return NULL;
        }
        b->used = 0;
        b->cap = cap;
        /* A big one-off block goes behind the head, so the head's free space stays usable. */
        if (a->head && size > a->block_size) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (unsigned char *)b + BLOCK_HEADER + b->used;
    b->used += size;
    return p;
}

void *causa_i_arena_alloc0(causa_i_arena *a, size_t size) {
    void *p = causa_i_arena_alloc(a, size);
    if (p) memset(p, 0, size);
    return p;
}

char *causa_i_arena_strdup(causa_i_arena *a, const char *s) {
    size_t n = strlen(s) + 1;
    char *d = causa_i_arena_alloc(a, n);
    if (d) memcpy(d, s, n);
    return d;
}

void causa_i_arena_release(causa_i_arena *a) {
    causa_i_arena_block *b = a->head;
    while (b) {
        causa_i_arena_block *next = b->next;
        causa_i_free(a->ctx, b);
        b = next;
    }
    a->head = NULL;
}
