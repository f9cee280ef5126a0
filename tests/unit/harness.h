/*
 * harness.h: causa's C test harness.
 *
 *   TEST(name) { ... }            registers a test (any file in tests/unit)
 *   CHECK(cond)                   fails the test, printing file:line and the condition
 *   CHECK_OK(call)                call must return CAUSA_OK (prints causa_errmsg(T) if not)
 *   CHECK_ERR(call, code)         call must return code
 *   CHECK_REL(got, want, rtol)    |got - want| <= rtol * |want| (NaN and Inf matched exactly)
 *   CHECK_ABS(got, want, atol)    |got - want| <= atol
 *   CHECK_INT(got, want)          integers equal
 *   CHECK_STR(got, want)          strings equal
 *   CHECK_CONTAINS(s, sub)        s contains sub
 *
 * Every test gets a fresh context T whose allocator counts bytes: memory still allocated
 * through T when the test returns fails the test (leak check). harness_oom_sweep runs a
 * function under an allocator that fails the k-th allocation, for k = 1, 2, ... until it
 * succeeds; each failing run must return CAUSA_ENOMEM and leak nothing.
 */
#ifndef CAUSA_HARNESS_H
#define CAUSA_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "causa.h"

extern causa_ctx *T;

void harness_register(const char *name, void (*fn)(void), const char *file);
void harness_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int harness_rel_ok(double got, double want, double rtol);
/* Path of a file under tests/data (static buffer). */
const char *harness_data(const char *name);
/* A fresh temporary directory for this test (removed after the test). */
const char *harness_tmpdir(void);
/* Runs fn(ctx, ud) with the k-th allocation failing, k = 1.. until fn returns CAUSA_OK.
 * Failing runs must return CAUSA_ENOMEM and leave no allocation behind. Returns the number
 * of allocations of the successful run (so the caller can check that the sweep did work). */
int harness_oom_sweep(const char *what, int (*fn)(causa_ctx *ctx, void *ud), void *ud);
/* A context with the counting allocator (freed and leak-checked at the end of the test). */
causa_ctx *harness_ctx(void);

#define TEST(name)                                                                         \
    static void test_##name(void);                                                         \
    __attribute__((constructor)) static void register_##name(void) {                       \
        harness_register(#name, test_##name, __FILE__);                                    \
    }                                                                                      \
    static void test_##name(void)

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) harness_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                 \
    } while (0)
#define CHECK_OK(call)                                                                     \
    do {                                                                                   \
        int rc_ = (call);                                                                  \
        if (rc_ != CAUSA_OK)                                                               \
            harness_fail(__FILE__, __LINE__, "%s returned %d (%s): %s", #call, rc_,        \
                         causa_strerror(rc_), causa_errmsg(T));                            \
    } while (0)
#define CHECK_ERR(call, code)                                                              \
    do {                                                                                   \
        int rc_ = (call);                                                                  \
        if (rc_ != (code))                                                                 \
            harness_fail(__FILE__, __LINE__, "%s returned %d (%s), expected %s", #call,    \
                         rc_, causa_strerror(rc_), #code);                                 \
    } while (0)
#define CHECK_REL(got, want, rtol)                                                         \
    do {                                                                                   \
        double g_ = (got), w_ = (want);                                                    \
        if (!harness_rel_ok(g_, w_, (rtol)))                                               \
            harness_fail(__FILE__, __LINE__, "%s = %.17g, expected %.17g (rtol %g)", #got, \
                         g_, w_, (double)(rtol));                                          \
    } while (0)
#define CHECK_ABS(got, want, atol)                                                         \
    do {                                                                                   \
        double g_ = (got), w_ = (want);                                                    \
        if (!(fabs(g_ - w_) <= (atol)))                                                    \
            harness_fail(__FILE__, __LINE__, "%s = %.17g, expected %.17g (atol %g)", #got, \
                         g_, w_, (double)(atol));                                          \
    } while (0)
#define CHECK_INT(got, want)                                                               \
    do {                                                                                   \
        long long g_ = (long long)(got), w_ = (long long)(want);                           \
        if (g_ != w_)                                                                      \
            harness_fail(__FILE__, __LINE__, "%s = %lld, expected %lld", #got, g_, w_);    \
    } while (0)
#define CHECK_STR(got, want)                                                               \
    do {                                                                                   \
        const char *g_ = (got), *w_ = (want);                                              \
        if (!g_ || strcmp(g_, w_) != 0)                                                    \
            harness_fail(__FILE__, __LINE__, "%s = \"%s\", expected \"%s\"", #got,         \
                         g_ ? g_ : "(null)", w_);                                          \
    } while (0)
#define CHECK_CONTAINS(s, sub)                                                             \
    do {                                                                                   \
        const char *s_ = (s), *sub_ = (sub);                                               \
        if (!s_ || !strstr(s_, sub_))                                                      \
            harness_fail(__FILE__, __LINE__, "%s = \"%s\" does not contain \"%s\"", #s,    \
                         s_ ? s_ : "(null)", sub_);                                        \
    } while (0)

#endif
