/*
 * causa.h: the public interface of libcausa, causal models at C speed.
 *
 * This header is the contract: anything not declared here (or in the causa/ headers it
 * includes, which are its sections) is private. Include only <causa.h>.
 *
 * Conventions
 *  - Every fallible function returns int: CAUSA_OK (0) or a CAUSA_E* code. The specific
 *    message is causa_errmsg(ctx). The library never prints, aborts or exits.
 *  - Objects are opaque: causa_X_new(ctx, ..., causa_X **out) creates (on failure *out is
 *    NULL), causa_X_free(x) frees (NULL is a no-op). Whoever creates frees.
 *  - Inputs are borrowed: the library keeps no pointer to caller memory after a call
 *    returns unless the function says so. Getters return borrowed pointers valid until the
 *    owner is freed or changed.
 *  - Options are plain structs filled with causa_X_options_init before fields are changed.
 *  - Counts and indices are int64_t, numbers double.
 *
 * Threading
 *  causa has no mutable global state. All state lives in a causa_ctx. Different contexts
 *  may be used at the same time from different threads. One context, and every object
 *  created with it, must be used by one thread at a time. causa may itself use up to
 *  causa_ctx_set_threads(ctx, n) worker threads inside a call (default 1 in the library;
 *  the CLI defaults to the number of cores). For a given build and BLAS, results are
 *  bit-identical for every thread count.
 */
#ifndef CAUSA_H
#define CAUSA_H

#ifdef __cplusplus
extern "C" {
#endif

/* Everything declared in the sections below is exported from libcausa.so; everything
 * else is built with hidden visibility. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif
#include "causa/core.h"
#include "causa/data.h"
#include "causa/graph.h"
#include "causa/stats.h"
#include "causa/discover.h"
#include "causa/scm.h"
#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif
