/*
 * alloc.c: every heap allocation of causa goes through the context's hook.
 *
 * The hook has Lua's shape (it is told the old size), so an embedder can account for
 * memory without headers of its own. To spare every caller from carrying sizes, these
 * wrappers keep the size in a 16-byte header in front of each block; 16 keeps the
 * payload aligned for any type, including SSE loads.
 */
#include <string.h>

#include "../internal.h"

#define HEADER 16u

size_t causa_i_mul_size(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) return SIZE_MAX;
    return count * size;
}

static void account(causa_ctx *ctx, size_t freed, size_t added) {
    ctx->bytes_in_use = ctx->bytes_in_use - freed + added;
    if (ctx->bytes_in_use > ctx->peak_bytes) ctx->peak_bytes = ctx->bytes_in_use;
}

void *causa_i_malloc(causa_ctx *ctx, size_t size) {
    if (size > SIZE_MAX - HEADER) return NULL;
    unsigned char *p = ctx->alloc(ctx->alloc_ud, NULL, 0, size + HEADER);
    if (!p) return NULL;
    memcpy(p, &size, sizeof size);
    account(ctx, 0, size);
    return p + HEADER;
}

void *causa_i_calloc(causa_ctx *ctx, size_t count, size_t size) {
    size_t total = causa_i_mul_size(count, size);
    void *p = causa_i_malloc(ctx, total);
    if (p) memset(p, 0, total);
    return p;
}

void *causa_i_realloc(causa_ctx *ctx, void *ptr, size_t size) {
    if (!ptr) return causa_i_malloc(ctx, size);
    if (size > SIZE_MAX - HEADER) return NULL;
    unsigned char *base = (unsigned char *)ptr - HEADER;
    size_t old;
    memcpy(&old, base, sizeof old);
    unsigned char *p = ctx->alloc(ctx->alloc_ud, base, old + HEADER, size + HEADER);
    if (!p) return NULL; /* the old block is still valid, as with realloc */
    memcpy(p, &size, sizeof size);
    account(ctx, old, size);
    return p + HEADER;
}

void causa_i_free(causa_ctx *ctx, void *ptr) {
    if (!ptr) return;
    unsigned char *base = (unsigned char *)ptr - HEADER;
    size_t old;
    memcpy(&old, base, sizeof old);
    ctx->alloc(ctx->alloc_ud, base, old + HEADER, 0);
    account(ctx, old, 0);
}

char *causa_i_strndup(causa_ctx *ctx, const char *s, size_t n) {
    char *d = causa_i_malloc(ctx, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *causa_i_strdup(causa_ctx *ctx, const char *s) { return causa_i_strndup(ctx, s, strlen(s)); }

int causa_i_alloc(causa_ctx *ctx, void **out, size_t size, const char *what) {
    *out = causa_i_malloc(ctx, size);
    return *out ? CAUSA_OK : causa_i_nomem(ctx, what, size);
}

int causa_i_alloc0(causa_ctx *ctx, void **out, size_t size, const char *what) {
    *out = causa_i_calloc(ctx, 1, size);
    return *out ? CAUSA_OK : causa_i_nomem(ctx, what, size);
}

void causa_free(causa_ctx *ctx, void *ptr) {
    if (ctx) causa_i_free(ctx, ptr);
}
