/*
 * buf.c: a growable byte buffer for building text (messages, file contents) before it
 * is written in one piece.
 */
#include <stdio.h>
#include <string.h>

#include "../internal.h"

void causa_i_buf_init(causa_i_buf *b, causa_ctx *ctx) {
    b->ctx = ctx;
    b->data = NULL;
    b->len = b->cap = 0;
}

int causa_i_buf_reserve(causa_i_buf *b, size_t extra) {
    if (extra > SIZE_MAX - b->len - 1) return causa_i_nomem(b->ctx, "text buffer", SIZE_MAX);
    size_t need = b->len + extra + 1; /* room for a terminating NUL */
    if (need <= b->cap) return CAUSA_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *d = causa_i_realloc(b->ctx, b->data, cap);
    if (!d) return causa_i_nomem(b->ctx, "text buffer", cap);
    b->data = d;
    b->cap = cap;
    return CAUSA_OK;
}

int causa_i_buf_append(causa_i_buf *b, const void *p, size_t n) {
    int rc = causa_i_buf_reserve(b, n);
    if (rc) return rc;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return CAUSA_OK;
}

int causa_i_buf_printf(causa_i_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return causa_i_error(b->ctx, CAUSA_EINTERNAL, "formatting failed");
    if ((size_t)n < sizeof small) return causa_i_buf_append(b, small, (size_t)n);
    int rc = causa_i_buf_reserve(b, (size_t)n);
    if (rc) return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return CAUSA_OK;
}

void causa_i_buf_free(causa_i_buf *b) {
    causa_i_free(b->ctx, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
