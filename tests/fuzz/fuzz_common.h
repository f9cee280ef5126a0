/*
 * fuzz_common.h: what every libFuzzer target here shares (included by one target's .c).
 *
 *   capped_alloc                   the context allocator of the targets: refuses blocks over
 *                                  256 MB, as an embedder with a budget would, so that a small
 *                                  input cannot make the fuzzer's malloc limit fire
 *   REQUIRE(cond)                  aborts (a crash for libFuzzer) naming file:line and cond
 *   REQUIRE(cond, fmt, ...)        the same, with a printf-style note
 */
#ifndef CAUSA_FUZZ_COMMON_H
#define CAUSA_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void *capped_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
    (void)ud;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    if (new_size > ((size_t)256 << 20)) return NULL;
    return realloc(ptr, new_size);
}

__attribute__((noreturn, format(printf, 4, 5))) static void fuzz_fail(const char *file, int line,
                                                                      const char *cond,
                                                                      const char *fmt, ...) {
    fprintf(stderr, "%s:%d: %s\n", file, line, cond);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

/* The "" before the note lets REQUIRE(cond) stand alone (an empty note). */
#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond, "" __VA_ARGS__);                         \
    } while (0)

#endif
