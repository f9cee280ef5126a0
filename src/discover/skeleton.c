/*
 * skeleton.c: the adjacency phase shared by PC, FCI and RFCI ("fast adjacency search").
 *
 * Start from the complete graph over p variables, less the gaps knowledge imposes. At level
 * d = 0, 1, 2, ... remove the edge X --- Y when X _||_ Y | S for some S of d neighbours of
 * X other than Y, or of Y other than X (Spirtes, Glymour & Scheines 2000, the PC
 * algorithm's first part). The level loop ends when no node has d + 1 other neighbours, or
 * at the depth limit.
 *
 * Stable variant (Colombo & Maathuis 2014, "Order-independent constraint-based causal
 * structure learning", JMLR 15): neighbour sets are frozen at the start of a level and the
 * level's removals are applied at its end, so the skeleton does not depend on the order of
 * the variables. The pair {X, Y} (X before Y in the canonical order) is tested first with
 * subsets of adj(X) \ {Y}, then, if still present, with subsets of adj(Y) \ {X}, each in
 * lexicographic order of the (rank-sorted) neighbour list: exactly pcalg's order, so the
 * first separating set found is pcalg's (up to the variable order, see discover_i.h).
 *
 * Work units and caching. A level runs as two passes over the nodes, each node a unit of
 * work: pass A, node X tests its pairs with later nodes Y using subsets of adj(X); pass B,
 * node Y tests, with subsets of adj(Y), its pairs with earlier nodes X that pass A left in
 * place. Within a unit the subsets S of adj(X) are the outer loop and the pairs the inner
 * one, so consecutive queries share X and S: the Fisher-z workspace keeps the Cholesky
 * factor of R_SS and L^-1 R_SX, and each further pair costs one triangular solve. A pair's
 * own subsets are still met in its lexicographic order (the subsets of adj(X) not containing
 * Y, in lexicographic order, are exactly the lexicographic subsets of adj(X) \ {Y}), so the
 * first separating set is unchanged, and the number of tests equals pcalg's.
 *
 * Parallelism without locks. Units of a pass run under OpenMP (dynamic schedule), each
 * thread with its own test workspace. A unit writes only its own slots (one per adjacency
 * entry of its node: removed?, separating set) and the largest-p-value entries of its own
 * pairs, which no other unit of the pass touches; pass B reads pass A's slots after the
 * barrier between them. The removals are applied after the level in a fixed order. So the
 * result is bit-identical for any thread count. Depth 0 needs no neighbour sets: its units
 * are the nodes X testing X, Y for every later Y, applied at once.
 *
 * The original variant (stable = 0) removes an edge as soon as a test separates it and
 * uses the current neighbour sets, so it is inherently sequential: its levels d >= 1 run on
 * one thread in the canonical order (level 0 is the same in both variants).
 *
 * Union separating sets (CAUSA_SEPSETS_UNION): every subset of the level is tested for
 * every pair, from both sides, and the union of the separating sets is kept: causal-learn's
 * stable skeleton, whose collider rule then asks whether Y is in any separating set of the
 * level. The masks are bit sets over the tester's neighbour list.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if CAUSA_OPENMP
#include <omp.h>
#endif

#include "../linalg/linalg_i.h"
#include "../stats/stats_i.h"
#include "discover_i.h"

/* What the workers share during one pass. */
typedef struct level {
    causa_ctx *ctx;
    const causa_citest *test;
    const causa_discover_options *opt;
    causa_i_skeleton *sk;
    int64_t p, d;
    double alpha;
    int uni;                /* union separating sets */
    /* frozen adjacency of the level (ranks, ascending) */
    int64_t *off;           /* p + 1 */
    int32_t *nbr;           /* off[p] entries */
    int64_t *rev;           /* slot of the reverse entry */
    int64_t *todo;          /* p: the units of a pass with tests to run */
    /* per slot: removed? and the separating set (first: d ranks; union: bit mask) */
    unsigned char *rm;
    int32_t *sep;           /* first: d per slot */
    uint64_t *mask;         /* union: words per slot, at moff[x] + k * mwords[x] */
    int64_t *moff;
    /* workers */
    causa_citest_work **work;
    int nthreads;
    int stop;               /* set (atomically) on error or interrupt */
    int64_t done_units;
} level;

/* The first error of a thread, kept to report the one of the lowest unit deterministically. */
typedef struct werr {
    int rc;
    int64_t unit, x, y, nz;
} werr;

/* ---- small helpers ---- */

/* Relaxed atomics (GCC/Clang builtins): flags and counters read by other threads. */
static int stopped(level *L) { return __atomic_load_n(&L->stop, __ATOMIC_RELAXED); }
static void set_stop(level *L, int code) { __atomic_store_n(&L->stop, code, __ATOMIC_RELAXED); }

/* Thread 0 (the caller's thread) polls the interrupt callback and reports progress. */
static void poll_master(level *L, int tid, int64_t units, const char *what) {
    if (tid != 0) return;
    if (causa_i_check_interrupt(L->ctx) != CAUSA_OK) set_stop(L, CAUSA_EINTERRUPTED);
    int64_t done = __atomic_load_n(&L->done_units, __ATOMIC_RELAXED);
    causa_i_progress(L->ctx, what, (double)done, (double)units);
}

static void unit_done(level *L) { __atomic_fetch_add(&L->done_units, 1, __ATOMIC_RELAXED); }

static void note_error(werr *e, int rc, int64_t unit, int64_t x, int64_t y, int64_t nz) {
    if (e->rc && e->unit <= unit) return;
    e->rc = rc;
    e->unit = unit;
    e->x = x;
    e->y = y;
    e->nz = nz;
}

static int thread_id(void) {
#if CAUSA_OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

/* Reports the error of the lowest unit among the threads' errors. */
static int report_errors(causa_ctx *ctx, const causa_citest *test, const causa_i_skeleton *sk,
                         const werr *errs, int n, int stop) {
    const werr *best = NULL;
    for (int t = 0; t < n; t++)
        if (errs[t].rc && (!best || errs[t].unit < best->unit)) best = &errs[t];
    if (best) {
        if (best->rc == CAUSA_ENOMEM && causa_errcode(ctx) == CAUSA_ENOMEM) return best->rc;
        const char *why = best->rc == CAUSA_EDATA
                              ? "too few rows for a conditioning set of this size (Fisher-z needs "
                                "n - |S| - 3 > 0)"
                              : causa_strerror(best->rc);
        return causa_i_error(ctx, best->rc, "the CI test of %s and %s given %lld variable%s failed: %s",
                             causa_citest_var_name(test, sk->order[best->x]),
                             causa_citest_var_name(test, sk->order[best->y]), (long long)best->nz,
                             best->nz == 1 ? "" : "s", why);
    }
    if (stop == CAUSA_EINTERRUPTED) return causa_i_error(ctx, CAUSA_EINTERRUPTED, "interrupted by the caller");
    return CAUSA_OK;
}

static inline void update_pmax(causa_i_skeleton *sk, int64_t a, int64_t b, double pv) {
    double *m = &sk->pmax[causa_i_pair_key(sk->p, a, b)];
    if (isnan(*m) || pv > *m) *m = pv;
}

/* Adds a record of a separating set (ranks in `set`, translated to original indices and
 * sorted). */
static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int add_record(causa_ctx *ctx, causa_i_skeleton *sk, int64_t key, int64_t depth,
                      const int64_t *set, int64_t n) {
    if (sk->nrecs == sk->caprecs) {
        int64_t nc = sk->caprecs ? 2 * sk->caprecs : 64;
        causa_i_seprec *r = causa_i_realloc(ctx, sk->recs, (size_t)nc * sizeof *r);
        if (!r) return causa_i_nomem(ctx, "separating sets", (size_t)nc * sizeof *r);
        sk->recs = r;
        sk->caprecs = nc;
    }
    if (sk->npool + n > sk->cappool) {
        int64_t nc = CAUSA_MAX(sk->npool + n, sk->cappool ? 2 * sk->cappool : 256);
        int64_t *q = causa_i_realloc(ctx, sk->pool, (size_t)nc * sizeof *q);
        if (!q) return causa_i_nomem(ctx, "separating sets", (size_t)nc * sizeof *q);
        sk->pool = q;
        sk->cappool = nc;
    }
    int64_t *dst = sk->pool + sk->npool;
    for (int64_t i = 0; i < n; i++) dst[i] = sk->order[set[i]];
    if (n > 1) qsort(dst, (size_t)n, sizeof *dst, cmp_i64);
    sk->recs[sk->nrecs++] = (causa_i_seprec){key, depth, sk->npool, n};
    sk->npool += n;
    return CAUSA_OK;
}

/* Threads worth starting for about `work` CI tests: a parallel region costs tens of
 * microseconds (much more on a busy machine), a Fisher-z test about a hundred nanoseconds
 * at depth >= 1. At p = 500 the levels from depth 3 on have 500-4000 tests; running them on
 * two threads made the skeleton about 5 % faster on two threads than the earlier cut at
 * 4000. The result does not depend on it. */
static int threads_for(const level *L, double work) {
    return work < 500.0 ? 1 : L->nthreads;
}

/* The stride, in elements of `size` bytes, between the threads' scratch arrays of n
 * elements: whole cache lines plus one, so no two threads ever write to the same line.
 * Packed end to end (the subset arrays of depth 1 are 32 bytes), both threads wrote one
 * line for every subset they tried, and at depth 1 each test took half as long again on
 * two threads as on one. */
static size_t per_thread(int64_t n, size_t size) { return causa_i_line_padded((size_t)n * size) / size; }

/* C(n, k) as a double (an estimate of work; overflow is harmless). */
static double choose(int64_t n, int64_t k) {
    if (k < 0 || k > n) return 0;
    double c = 1;
    for (int64_t i = 1; i <= k; i++) c = c * (double)(n - k + i) / (double)i;
    return c;
}

/* ---- depth 0 ---- */

/* Tests the pairs (x, y > x) and writes their largest p-values: depth 0 is the first to
 * write pmax, and writes all of it (NaN for a pair it does not test: a gap or a required
 * pair, or every pair after a stop), which saves a pass over p^2 / 2 doubles before it. */
static void depth0_unit(level *L, causa_citest_work *w, int64_t x, int skip, int64_t *count, werr *e) {
    causa_i_skeleton *sk = L->sk;
    int64_t ox = sk->order[x];
    for (int64_t y = x + 1; y < L->p; y++) {
        int64_t key = causa_i_pair_key(sk->p, x, y);
        if (skip || sk->state[key] != CAUSA_I_PAIR_ADJ) {
            sk->pmax[key] = (double)NAN;
            continue;
        }
        causa_citest_result res;
        int rc = causa_citest_run(L->test, w, ox, sk->order[y], NULL, 0, &res);
        (*count)++;
        if (rc) {
            note_error(e, rc, x, x, y, 0);
            set_stop(L, rc);
            sk->pmax[key] = (double)NAN;
            skip = 1;
            continue;
        }
        sk->pmax[key] = res.pvalue;
        if (res.pvalue > L->alpha) sk->state[key] = CAUSA_I_PAIR_SEP0;
    }
}

static int run_depth0(level *L, werr *errs, int64_t *ntests) {
    int64_t total = 0;
    const char *what = "CI tests of depth 0";
    causa_i_progress(L->ctx, what, 0, (double)L->p);
    int nt = threads_for(L, 0.5 * (double)L->p * (double)(L->p - 1));
    (void)nt;
#if CAUSA_OPENMP
#pragma omp parallel num_threads(nt) reduction(+ : total)
#endif
    {
        int tid = thread_id();
        causa_citest_work *w = L->work[tid];
#if CAUSA_OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (int64_t x = 0; x < L->p; x++) {
            int skip = stopped(L) != 0;
            depth0_unit(L, w, x, skip, &total, &errs[tid]);
            if (skip) continue;
            unit_done(L);
            poll_master(L, tid, L->p, what);
        }
    }
    *ntests = total;
    causa_i_progress(L->ctx, what, (double)L->p, (double)L->p);
    return L->stop;
}

/* ---- depth >= 1, stable ---- */

/* The statistic above which a test of a pair cannot change anything, given smin, the
 * smallest statistic of the pair's earlier tests whose p-values were computed: every such
 * test left the pair in place (p <= alpha) and in pmax (p <= pmax), and a larger statistic
 * gives a smaller p-value (Fisher-z), so neither a removal nor a new maximum can come of
 * it. The margin (1e-9, relative and absolute) is far above the rounding of the p-value,
 * so the skipped p-values are exactly those that would have changed nothing. The first
 * test of a pair in a unit (smin infinite) is always computed. About 40 % of a one-thread
 * skeleton's time at p = 500 went to erfc, log1p and atanh. */
static double skip_above(double smin) { return smin * (1.0 + 1e-9) + 1e-9; }

/* Tests of one unit: node x with subsets of its frozen neighbours, against the pairs of the
 * slots marked in `active` (k-th neighbour). Pass A: pairs with later nodes; pass B: with
 * earlier nodes not removed in pass A. smin[k]: see skip_above (first separating sets
 * only: with union sets a pair stays active after a p-value above alpha). */
static void stable_unit(level *L, causa_citest_work *w, int64_t x, int pass, int64_t *c,
                        int64_t *z, unsigned char *active, double *smin, int64_t *count, werr *e) {
    causa_i_skeleton *sk = L->sk;
    int64_t d = L->d, base = L->off[x], deg = L->off[x + 1] - base;
    if (deg - 1 < d) return;
    int64_t nact = 0;
    for (int64_t k = 0; k < deg; k++) {
        int64_t y = L->nbr[base + k];
        int a = pass == 0 ? y > x : y < x;
        if (a && sk->state[causa_i_pair_key(sk->p, x, y)] == CAUSA_I_PAIR_REQUIRED) a = 0;
        if (a && pass == 1 && !L->uni && L->rm[L->rev[base + k]]) a = 0;
        active[k] = (unsigned char)a;
        smin[k] = INFINITY;
        nact += a;
    }
    if (nact == 0) return;
    int64_t ox = sk->order[x];
    causa_i_comb_first(c, d);
    int64_t iter = 0;
    do {
        /* Z in canonical order: the neighbour list is rank-sorted and c ascending. */
        for (int64_t i = 0; i < d; i++) z[i] = sk->order[L->nbr[base + c[i]]];
        int64_t ci = 0;
        for (int64_t k = 0; k < deg; k++) {
            while (ci < d && c[ci] < k) ci++;
            if (!active[k] || (ci < d && c[ci] == k)) continue;
            int64_t y = L->nbr[base + k];
            causa_citest_result res;
            int rc = causa_i_citest_run_bounded(L->test, w, ox, sk->order[y], z, d,
                                                L->uni ? (double)INFINITY : skip_above(smin[k]), &res);
            (*count)++;
            if (rc) {
                note_error(e, rc, (int64_t)pass * L->p + x, x, y, d);
                set_stop(L, rc);
                return;
            }
            if (res.pvalue < 0) continue; /* could change nothing (skip_above) */
            if (res.statistic < smin[k]) smin[k] = res.statistic;
            update_pmax(sk, x, y, res.pvalue);
            if (res.pvalue > L->alpha) {
                int64_t slot = base + k;
                L->rm[slot] = 1;
                if (L->uni) {
                    uint64_t *m = L->mask + L->moff[x] + k * ((deg + 63) / 64);
                    for (int64_t i = 0; i < d; i++) m[c[i] / 64] |= (uint64_t)1 << (c[i] % 64);
                } else {
                    for (int64_t i = 0; i < d; i++) L->sep[slot * d + i] = L->nbr[base + c[i]];
                    active[k] = 0;
                    if (--nact == 0) return;
                }
            }
        }
        /* Long units: let a stop request through now and then (interrupts only). */
        if ((++iter & 1023) == 0 && stopped(L) == CAUSA_EINTERRUPTED) return;
    } while (causa_i_comb_next(c, d, deg));
}

static int run_pass(level *L, int pass, werr *errs, int64_t *ntests, int64_t *scratch,
                    unsigned char *active_all, double *smin_all, int64_t maxdeg) {
    int64_t total = 0;
    char what[64];
    snprintf(what, sizeof what, "CI tests of depth %lld", (long long)L->d);
    int64_t units = 2 * L->p, base_done = pass * L->p;
    /* Only the units with something to test are handed out: a node with d + 1 neighbours,
     * one of them on this pass's side (the lists are sorted). Past depth 2 most nodes have
     * none, and each unit handed out costs the threads an atomic on one shared counter. */
    double work = 0;
    int64_t ntodo = 0;
    for (int64_t x = 0; x < L->p; x++) {
        int64_t lo = L->off[x], deg = L->off[x + 1] - lo;
        if (deg - 1 < L->d) continue;
        if (pass == 0 ? L->nbr[lo + deg - 1] < x : L->nbr[lo] > x) continue;
        L->todo[ntodo++] = x;
        work += choose(deg, L->d) * (double)deg;
    }
    L->done_units = base_done + (L->p - ntodo);
    int nt = threads_for(L, work);
    (void)nt;
#if CAUSA_OPENMP
#pragma omp parallel num_threads(nt) reduction(+ : total)
#endif
    {
        int tid = thread_id();
        causa_citest_work *w = L->work[tid];
        int64_t *c = scratch + (size_t)tid * per_thread(2 * L->d + 2, sizeof *scratch);
        int64_t *z = c + L->d + 1;
        unsigned char *active = active_all + (size_t)tid * per_thread(maxdeg + 1, 1);
        double *smin = smin_all + (size_t)tid * per_thread(maxdeg + 1, sizeof *smin_all);
#if CAUSA_OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (int64_t k = 0; k < ntodo; k++) {
            if (stopped(L)) continue;
            stable_unit(L, w, L->todo[k], pass, c, z, active, smin, &total, &errs[tid]);
            unit_done(L);
            poll_master(L, tid, units, what);
        }
    }
    *ntests += total;
    return L->stop;
}

/* Row x of the pair states (pairs (x, x + 1 + i), i < p - x - 1): writes to idx the i where
 * the state is an edge (ADJ = 0 or REQUIRED = 4, the only states with (s & 3) == 0), in
 * order, and returns how many. Eight states at a
 * time: each byte's low two bits are or-ed into its bit 0, so a word gives one bit per edge
 * (exactly: nothing carries between bytes), read off by counting trailing zeros. After
 * depth 0 few pairs are edges (3 % at p = 500); a scan that returned at each edge and
 * started over after it took 1 ns a state (at 3 % edges), this one a quarter of that. */
_Static_assert((CAUSA_I_PAIR_ADJ & 3) == 0 && (CAUSA_I_PAIR_REQUIRED & 3) == 0 &&
                   (CAUSA_I_PAIR_SEP0 & 3) != 0 && (CAUSA_I_PAIR_SEPK & 3) != 0 &&
                   (CAUSA_I_PAIR_GAP & 3) != 0,
               "causa_i_row_edges tells edges by the low two bits of a pair state");
int64_t causa_i_row_edges(const unsigned char *state, int64_t p, int64_t x, int32_t *idx) {
    if (x + 1 >= p) return 0;
    const unsigned char *row = state + causa_i_pair_key(p, x, x + 1);
    int64_t n = 0, i = 0, len = p - x - 1;
    for (; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, row + i, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        v = __builtin_bswap64(v); /* byte k of the row in bits 8k.. as on little-endian */
#endif
        uint64_t m = v & 0x0303030303030303ULL;
        uint64_t z = ~(m | m >> 1) & 0x0101010101010101ULL; /* bit 8k: byte k is an edge */
        for (; z; z &= z - 1) idx[n++] = (int32_t)(i + (__builtin_ctzll(z) >> 3));
    }
    for (; i < len; i++)
        if ((row[i] & 3) == 0) idx[n++] = (int32_t)i;
    return n;
}

void causa_i_pair_degrees(const unsigned char *state, int64_t p, int32_t *idx, int64_t *deg) {
    for (int64_t x = 0; x + 1 < p; x++) {
        int64_t ne = causa_i_row_edges(state, p, x, idx);
        deg[x] += ne;
        for (int64_t e = 0; e < ne; e++) deg[x + 1 + idx[e]]++;
    }
}

/* Builds the frozen adjacency of the level from the pair states. */
static int build_adjacency(level *L, int64_t *maxdeg) {
    causa_ctx *ctx = L->ctx;
    causa_i_skeleton *sk = L->sk;
    int64_t p = L->p, total = 0;
    *maxdeg = 0;
    /* One pass over the pair states in key order (row x holds the pairs (x, y > x)
     * contiguously) counts the degrees, a second fills the lists: adding pair (x, y) to
     * both ends while x ascends, then y ascends, leaves every list sorted, and gives each
     * slot its mirror (rev) at once. O(p^2 / 2) sequential bytes: the pair-by-pair lookup
     * this replaces strided through the state array and dominated at p = 10 000. */
    int64_t *pos = causa_i_calloc(ctx, (size_t)(p > 0 ? p : 1), sizeof *pos);
    int32_t *idx = causa_i_malloc(ctx, (size_t)(p > 0 ? p : 1) * sizeof *idx);
    if (!pos || !idx) {
        causa_i_free(ctx, pos);
        causa_i_free(ctx, idx);
        return causa_i_nomem(ctx, "adjacency lists", (size_t)p * 12);
    }
    causa_i_pair_degrees(sk->state, p, idx, pos);
    for (int64_t x = 0; x < p; x++) {
        L->off[x] = total;
        total += pos[x];
        *maxdeg = CAUSA_MAX(*maxdeg, pos[x]);
        pos[x] = 0;
    }
    L->off[p] = total;
    causa_i_free(ctx, L->nbr);
    causa_i_free(ctx, L->rev);
    L->nbr = causa_i_malloc(ctx, (size_t)(total > 0 ? total : 1) * sizeof *L->nbr);
    L->rev = causa_i_malloc(ctx, (size_t)(total > 0 ? total : 1) * sizeof *L->rev);
    if (!L->nbr || !L->rev) {
        causa_i_free(ctx, pos);
        causa_i_free(ctx, idx);
        return causa_i_nomem(ctx, "adjacency lists", (size_t)total * 12);
    }
    for (int64_t x = 0; x < p; x++) {
        int64_t ne = causa_i_row_edges(sk->state, p, x, idx);
        for (int64_t e = 0; e < ne; e++) {
            int64_t y = x + 1 + idx[e];
            int64_t s = L->off[x] + pos[x]++, t = L->off[y] + pos[y]++;
            L->nbr[s] = (int32_t)y;
            L->nbr[t] = (int32_t)x;
            L->rev[s] = t;
            L->rev[t] = s;
        }
    }
    causa_i_free(ctx, pos);
    causa_i_free(ctx, idx);
    return CAUSA_OK;
}

/* The next level's lists from this level's (after a stable level, whose lists stay
 * intact): the same lists less the pairs whose state is no longer an edge. O(slots), where
 * build_adjacency scans all p^2 / 2 pair states: at p = 500 that scan was 70 us a level on
 * one thread, a twentieth of a two-thread level past depth 2. Order and mirrors as
 * build_adjacency leaves them. */
static int filter_adjacency(level *L, int64_t *maxdeg) {
    causa_ctx *ctx = L->ctx;
    causa_i_skeleton *sk = L->sk;
    int64_t p = L->p, slots = L->off[p], total = 0;
    int64_t *idx = causa_i_malloc(ctx, (size_t)(slots > 0 ? slots : 1) * sizeof *idx);
    int64_t *off = causa_i_malloc(ctx, (size_t)(p + 1) * sizeof *off);
    int32_t *nbr = NULL;
    int64_t *rev = NULL;
    if (!idx || !off) goto nomem;
    *maxdeg = 0;
    for (int64_t x = 0; x < p; x++) {
        off[x] = total;
        for (int64_t s = L->off[x]; s < L->off[x + 1]; s++)
            idx[s] = (sk->state[causa_i_pair_key(p, x, L->nbr[s])] & 3) == 0 ? total++ : -1;
        *maxdeg = CAUSA_MAX(*maxdeg, total - off[x]);
    }
    off[p] = total;
    nbr = causa_i_malloc(ctx, (size_t)(total > 0 ? total : 1) * sizeof *nbr);
    rev = causa_i_malloc(ctx, (size_t)(total > 0 ? total : 1) * sizeof *rev);
    if (!nbr || !rev) goto nomem;
    for (int64_t s = 0; s < slots; s++)
        if (idx[s] >= 0) {
            nbr[idx[s]] = L->nbr[s];
            rev[idx[s]] = idx[L->rev[s]];
        }
    memcpy(L->off, off, (size_t)(p + 1) * sizeof *off);
    causa_i_free(ctx, L->nbr);
    causa_i_free(ctx, L->rev);
    L->nbr = nbr;
    L->rev = rev;
    causa_i_free(ctx, idx);
    causa_i_free(ctx, off);
    return CAUSA_OK;
nomem:
    causa_i_free(ctx, idx);
    causa_i_free(ctx, off);
    causa_i_free(ctx, nbr);
    causa_i_free(ctx, rev);
    return causa_i_nomem(ctx, "adjacency lists", (size_t)slots * 12);
}

/* Applies a stable level's removals in the canonical pair order. */
static int apply_level(level *L) {
    causa_i_skeleton *sk = L->sk;
    int64_t d = L->d;
    int64_t *set = causa_i_malloc(L->ctx, (size_t)(L->p + 1) * sizeof *set);
    if (!set) return causa_i_nomem(L->ctx, "separating set", (size_t)L->p * sizeof *set);
    int rc = CAUSA_OK;
    for (int64_t x = 0; x < L->p && !rc; x++) {
        int64_t base = L->off[x], deg = L->off[x + 1] - base;
        for (int64_t k = 0; k < deg; k++) {
            int64_t y = L->nbr[base + k];
            if (y < x) continue;
            int64_t s = base + k, t = L->rev[s];
            if (!L->rm[s] && !L->rm[t]) continue;
            int64_t n = 0;
            if (L->uni) {
                /* Union of both sides' masks, as ranks; sorted after translation. */
                int64_t ydeg = L->off[y + 1] - L->off[y];
                const uint64_t *mx = L->mask + L->moff[x] + k * ((deg + 63) / 64);
                const uint64_t *my = L->mask + L->moff[y] + (t - L->off[y]) * ((ydeg + 63) / 64);
                for (int64_t i = 0; i < deg; i++)
                    if (mx[i / 64] >> (i % 64) & 1) set[n++] = L->nbr[base + i];
                for (int64_t i = 0; i < ydeg; i++)
                    if (my[i / 64] >> (i % 64) & 1) {
                        int64_t v = L->nbr[L->off[y] + i], dup = 0;
                        for (int64_t j = 0; j < n && !dup; j++) dup = set[j] == v;
                        if (!dup) set[n++] = v;
                    }
            } else {
                const int32_t *src = L->sep + (L->rm[s] ? s : t) * d;
                for (int64_t i = 0; i < d; i++) set[n++] = src[i];
            }
            int64_t key = causa_i_pair_key(sk->p, x, y);
            sk->state[key] = CAUSA_I_PAIR_SEPK;
            rc = add_record(L->ctx, sk, key, d, set, n);
            if (rc) break;
        }
    }
    causa_i_free(L->ctx, set);
    return rc;
}

/* ---- depth >= 1, original (sequential) ---- */

static int run_original_level(level *L, werr *e, int64_t *ntests) {
    causa_ctx *ctx = L->ctx;
    causa_i_skeleton *sk = L->sk;
    int64_t p = L->p, d = L->d;
    int rc = CAUSA_OK;
    /* Current adjacency: copy the frozen lists with a live degree per node. */
    int64_t *deg = causa_i_malloc(ctx, (size_t)(p + 1) * sizeof *deg);
    int64_t *nb = causa_i_malloc(ctx, (size_t)(p + 1) * sizeof *nb);
    int64_t *c = causa_i_malloc(ctx, (size_t)(d + 1) * sizeof *c);
    int64_t *z = causa_i_malloc(ctx, (size_t)(d + 1) * sizeof *z);
    int64_t *set = causa_i_malloc(ctx, (size_t)(d + 1) * sizeof *set);
    if (!deg || !nb || !c || !z || !set) {
        rc = causa_i_nomem(ctx, "skeleton workspace", (size_t)p * 16);
        goto done;
    }
    for (int64_t x = 0; x < p; x++) deg[x] = L->off[x + 1] - L->off[x];
    char what[64];
    snprintf(what, sizeof what, "CI tests of depth %lld", (long long)d);
    causa_citest_work *w = L->work[0];
    for (int64_t x = 0; x < p && !rc; x++) {
        if ((rc = causa_i_check_interrupt(ctx))) break;
        causa_i_progress(ctx, what, (double)x, (double)p);
        int32_t *ax = L->nbr + L->off[x];
        /* Walk x's current neighbours; removals shift the list, so track by value. */
        for (int64_t k = 0; k < deg[x] && !rc; k++) {
            int64_t y = ax[k];
            if (sk->state[causa_i_pair_key(sk->p, x, y)] == CAUSA_I_PAIR_REQUIRED) continue;
            int64_t n = 0;
            for (int64_t i = 0; i < deg[x]; i++)
                if (ax[i] != y) nb[n++] = ax[i];
            if (n < d) continue;
            int removed = 0;
            causa_i_comb_first(c, d);
            do {
                for (int64_t i = 0; i < d; i++) z[i] = sk->order[nb[c[i]]];
                causa_citest_result res;
                int trc = causa_citest_run(L->test, w, sk->order[x], sk->order[y], z, d, &res);
                (*ntests)++;
                if (trc) {
                    note_error(e, trc, x, x, y, d);
                    goto done; /* reported by the caller with the test's details */
                }
                update_pmax(sk, x, y, res.pvalue);
                if (res.pvalue > L->alpha) {
                    for (int64_t i = 0; i < d; i++) set[i] = nb[c[i]];
                    removed = 1;
                    break;
                }
            } while (causa_i_comb_next(c, d, n));
            if (!removed) continue;
            int64_t key = causa_i_pair_key(sk->p, x, y);
            sk->state[key] = CAUSA_I_PAIR_SEPK;
            if ((rc = add_record(ctx, sk, key, d, set, d))) break;
            /* Remove y from adj(x) and x from adj(y) at once. */
            memmove(ax + k, ax + k + 1, (size_t)(deg[x] - k - 1) * sizeof *ax);
            deg[x]--;
            k--;
            int32_t *ay = L->nbr + L->off[y];
            for (int64_t i = 0; i < deg[y]; i++)
                if (ay[i] == x) {
                    memmove(ay + i, ay + i + 1, (size_t)(deg[y] - i - 1) * sizeof *ay);
                    deg[y]--;
                    break;
                }
        }
    }
done:
    causa_i_free(ctx, deg);
    causa_i_free(ctx, nb);
    causa_i_free(ctx, c);
    causa_i_free(ctx, z);
    causa_i_free(ctx, set);
    return rc;
}

/* ---- the driver ---- */

static int free_work(level *L) {
    if (L->work)
        for (int t = 0; t < L->nthreads; t++) causa_citest_work_free(L->work[t]);
    return CAUSA_OK;
}

static int make_work(level *L, int64_t max_cond) {
    free_work(L);
    for (int t = 0; t < L->nthreads; t++) {
        L->work[t] = NULL;
        int rc = causa_citest_work_new(L->ctx, L->test, max_cond, &L->work[t]);
        if (rc) return rc;
    }
    return CAUSA_OK;
}

static int cmp_rec(const void *a, const void *b) {
    int64_t x = ((const causa_i_seprec *)a)->key, y = ((const causa_i_seprec *)b)->key;
    return (x > y) - (x < y);
}

const causa_i_seprec *causa_i_skeleton_find(const causa_i_skeleton *sk, int64_t a, int64_t b) {
    int64_t key = causa_i_pair_key(sk->p, a, b), lo = 0, hi = sk->nrecs;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (sk->recs[mid].key < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < sk->nrecs && sk->recs[lo].key == key ? &sk->recs[lo] : NULL;
}

void causa_i_skeleton_free(causa_ctx *ctx, causa_i_skeleton *sk) {
    causa_i_free(ctx, sk->order);
    causa_i_free(ctx, sk->rank);
    causa_i_free(ctx, sk->state);
    causa_i_free(ctx, sk->pmax);
    causa_i_free(ctx, sk->recs);
    causa_i_free(ctx, sk->pool);
    causa_i_free(ctx, sk->ntests);
    memset(sk, 0, sizeof *sk);
}

static int count_level(causa_ctx *ctx, causa_i_skeleton *sk, int64_t d, int64_t n) {
    if (d >= sk->nlevels) {
        int64_t *t = causa_i_realloc(ctx, sk->ntests, (size_t)(d + 1) * sizeof *t);
        if (!t) return causa_i_nomem(ctx, "test counts", (size_t)(d + 1) * sizeof *t);
        for (int64_t i = sk->nlevels; i <= d; i++) t[i] = 0;
        sk->ntests = t;
        sk->nlevels = d + 1;
    }
    sk->ntests[d] += n;
    if (n > 0) sk->max_depth = CAUSA_MAX(sk->max_depth, d);
    return CAUSA_OK;
}

int causa_i_skeleton_run(causa_ctx *ctx, const causa_citest *test, const causa_discover_options *opt,
                         const causa_i_kview *kv, causa_i_skeleton *sk) {
    double t0 = causa_i_now();
    int64_t p = sk->p;
    int rc = CAUSA_OK, blas = causa_i_blas_threads_begin();
    level L;
    memset(&L, 0, sizeof L);
    L.ctx = ctx;
    L.test = test;
    L.opt = opt;
    L.sk = sk;
    L.p = p;
    L.alpha = opt->alpha;
    L.uni = opt->sepsets == CAUSA_SEPSETS_UNION;
    L.nthreads = causa_ctx_threads(ctx) > 0 ? causa_ctx_threads(ctx) : 1;
#if !CAUSA_OPENMP
    L.nthreads = 1;
#endif
    werr *errs = NULL;
    int64_t *scratch = NULL;
    unsigned char *active = NULL;
    double *smin = NULL;
    size_t npairs = p > 1 ? (size_t)p * (size_t)(p - 1) / 2 : 1;
    sk->max_depth = -1;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&sk->state, npairs, "pair states"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&sk->pmax, causa_i_mul_size(npairs, sizeof(double)),
                            "largest p-values"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&L.work, (size_t)L.nthreads * sizeof *L.work, "test workspaces"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&errs, (size_t)L.nthreads * sizeof *errs, "errors"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&L.off, (size_t)(p + 1) * sizeof *L.off, "adjacency"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&L.todo, (size_t)(p + 1) * sizeof *L.todo, "work units"));
    sk->pmax[0] = (double)NAN; /* the rest: depth 0 (depth0_unit) */
    memset(sk->state, CAUSA_I_PAIR_ADJ, npairs);
    /* Knowledge: gaps (forbidden both ways) and required pairs. */
    if (kv && kv->k)
        for (int64_t b = 1; b < p; b++)
            for (int64_t a = 0; a < b; a++) {
                int64_t oa = sk->order[a], ob = sk->order[b];
                unsigned char *s = &sk->state[causa_i_pair_key(p, a, b)];
                if (causa_i_kview_required(kv, oa, ob) || causa_i_kview_required(kv, ob, oa))
                    *s = CAUSA_I_PAIR_REQUIRED;
                else if (causa_i_kview_forbidden(kv, oa, ob) && causa_i_kview_forbidden(kv, ob, oa))
                    *s = CAUSA_I_PAIR_GAP;
            }
    CAUSA_TRY(count_level(ctx, sk, 0, 0));
    /* Level 0. */
    if (p >= 2) {
        CAUSA_TRY(make_work(&L, 0));
        int stop = run_depth0(&L, errs, &sk->ntests[0]);
        if (sk->ntests[0] > 0) sk->max_depth = 0;
        if (stop) {
            rc = report_errors(ctx, test, sk, errs, L.nthreads, stop);
            if (!rc) rc = stop;
            goto done;
        }
    }
    /* Levels 1, 2, ... */
    for (int64_t d = 1; p >= 3 && (opt->depth < 0 || d <= opt->depth); d++) {
        int64_t maxdeg = 0;
        CAUSA_TRY(causa_i_check_interrupt(ctx));
        /* After depth 0 or an original level (which edits the lists in place), from the
         * pair states; after a stable level, from its lists. */
        if (d == 1 || !opt->stable) CAUSA_TRY(build_adjacency(&L, &maxdeg));
        else CAUSA_TRY(filter_adjacency(&L, &maxdeg));
        /* Is there a testable pair with d other neighbours on one side? */
        int any = 0;
        for (int64_t x = 0; x < p && !any; x++) {
            int64_t deg = L.off[x + 1] - L.off[x];
            if (deg - 1 < d) continue;
            for (int64_t s = L.off[x]; s < L.off[x + 1] && !any; s++)
                any = sk->state[causa_i_pair_key(p, x, L.nbr[s])] == CAUSA_I_PAIR_ADJ;
        }
        if (!any) break;
        L.d = d;
        CAUSA_TRY(count_level(ctx, sk, d, 0));
        CAUSA_TRY(make_work(&L, d));
        memset(errs, 0, (size_t)L.nthreads * sizeof *errs);
        if (!opt->stable) {
            int64_t n = 0;
            rc = run_original_level(&L, &errs[0], &n);
            if (rc) goto done;
            CAUSA_TRY(count_level(ctx, sk, d, n));
            if (errs[0].rc) {
                rc = report_errors(ctx, test, sk, errs, 1, 0);
                goto done;
            }
            continue;
        }
        int64_t slots = L.off[p];
        causa_i_free(ctx, L.rm);
        causa_i_free(ctx, L.sep);
        causa_i_free(ctx, L.mask);
        causa_i_free(ctx, L.moff);
        L.rm = NULL;
        L.sep = NULL;
        L.mask = NULL;
        L.moff = NULL;
        CAUSA_TRY(causa_i_alloc0(ctx, (void **)&L.rm, (size_t)(slots > 0 ? slots : 1), "removals"));
        if (L.uni) {
            CAUSA_TRY(causa_i_alloc(ctx, (void **)&L.moff, (size_t)(p + 1) * sizeof *L.moff, "masks"));
            int64_t words = 0;
            for (int64_t x = 0; x < p; x++) {
                int64_t deg = L.off[x + 1] - L.off[x];
                L.moff[x] = words;
                words += deg * ((deg + 63) / 64);
            }
            L.moff[p] = words;
            CAUSA_TRY(causa_i_alloc0(ctx, (void **)&L.mask,
                                     causa_i_mul_size((size_t)(words > 0 ? words : 1), sizeof *L.mask),
                                     "separating-set masks"));
        } else {
            CAUSA_TRY(causa_i_alloc(ctx, (void **)&L.sep,
                                    causa_i_mul_size((size_t)(slots > 0 ? slots : 1) * (size_t)d, sizeof *L.sep),
                                    "separating sets"));
        }
        causa_i_free(ctx, scratch);
        causa_i_free(ctx, active);
        causa_i_free(ctx, smin);
        scratch = NULL;
        active = NULL;
        smin = NULL;
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&scratch,
                                (size_t)L.nthreads * per_thread(2 * d + 2, sizeof *scratch) * sizeof *scratch,
                                "subsets"));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&active, (size_t)L.nthreads * per_thread(maxdeg + 1, 1),
                                "active pairs"));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&smin,
                                (size_t)L.nthreads * per_thread(maxdeg + 1, sizeof *smin) * sizeof *smin,
                                "smallest statistics"));
        int64_t n = 0;
        L.stop = 0;
        int stop = run_pass(&L, 0, errs, &n, scratch, active, smin, maxdeg);
        if (!stop) stop = run_pass(&L, 1, errs, &n, scratch, active, smin, maxdeg);
        CAUSA_TRY(count_level(ctx, sk, d, n));
        char what[64];
        snprintf(what, sizeof what, "CI tests of depth %lld", (long long)d);
        causa_i_progress(ctx, what, (double)(2 * p), (double)(2 * p));
        if (stop) {
            rc = report_errors(ctx, test, sk, errs, L.nthreads, stop);
            if (!rc) rc = stop;
            goto done;
        }
        CAUSA_TRY(apply_level(&L));
    }
    if (sk->nrecs > 1) qsort(sk->recs, (size_t)sk->nrecs, sizeof *sk->recs, cmp_rec);
done:
    causa_i_blas_threads_end(blas);
    free_work(&L);
    causa_i_free(ctx, L.work);
    causa_i_free(ctx, L.off);
    causa_i_free(ctx, L.todo);
    causa_i_free(ctx, L.nbr);
    causa_i_free(ctx, L.rev);
    causa_i_free(ctx, L.rm);
    causa_i_free(ctx, L.sep);
    causa_i_free(ctx, L.mask);
    causa_i_free(ctx, L.moff);
    causa_i_free(ctx, errs);
    causa_i_free(ctx, scratch);
    causa_i_free(ctx, active);
    causa_i_free(ctx, smin);
    sk->seconds = causa_i_now() - t0;
    return rc;
}
