/*
 * orient.c: PC's orientation phase: knowledge, unshielded colliders, Meek's rules.
 *
 * 1. Knowledge first (as causal-learn's orient_by_background_knowledge): an edge A --- B
 *    becomes A --> B when B --> A is forbidden (explicitly or by tiers) or A --> B required.
 * 2. Each unshielded triple X --- Y --- Z (X, Z non-adjacent; X before Z in the canonical
 *    order) is classified by the collider rule:
 *     - SEPSETS: collider iff Y is not in the separating set of X and Z kept by the
 *       skeleton (empty for pairs removed at depth 0 and for knowledge gaps, as pcalg and
 *       causal-learn treat them).
 *     - CONSERVATIVE (Ramsey, Zhang & Spirtes 2006) and MAJORITY (Colombo & Maathuis 2014):
 *       X _||_ Z | S is tested for every S in the subsets of adj(X) and then of adj(Z) in the
 *       final skeleton, sizes 0..depth (all sizes without a depth limit; a set that is a
 *       subset of both lists is tested and counted twice, as pcalg's checkTriple does).
 *       Among the separating sets (p > alpha) Y is in none: collider; in all: non-collider;
 *       otherwise ambiguous (CPC), or the majority decides with exactly half ambiguous
 *       (MPC). No separating set at all: ambiguous (pcalg's version.unf[1] = 2; Tetrad).
 *     - MAXP (Ramsey 2016): same subsets; collider iff the largest p-value over the sets
 *       without Y exceeds the largest over the sets with Y (ties: non-collider, as
 *       causal-learn's maxp).
 *    The triples sharing the endpoints X, Z share these tests: the unit of work is the pair
 *    (X, Z), run in parallel over pairs with one test workspace per thread.
 * 3. Colliders are applied in the canonical triple order (Y, X, Z), or strongest first
 *    (ascending largest p-value of X, Z given a set containing Y: causal-learn's
 *    uc_priority = 3, and its maxp default), skipping those knowledge contradicts (X --> Y
 *    or Z --> Y forbidden, Y --> X or Y --> Z required). A collider meeting Y --> X or
 *    Y --> Z already oriented is a conflict, resolved by the conflict rule.
 * 4. Meek's rules via causa_graph_meek. Under the bidirected conflict rule the X <-> Y edges
 *    are shown to the rules as undirected and restored afterwards. If the rules cannot
 *    complete the orientation (a directed cycle from conflicting colliders), the graph is
 *    left as step 3 made it and the result carries a note: an answer, not a failure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if CAUSA_OPENMP
#include <omp.h>
#endif

#include "../linalg/linalg_i.h"
#include "discover_i.h"

typedef struct triple {
    int64_t x, y, z;    /* ranks, x < z */
    int64_t unit;       /* index of its (x, z) pair unit, or -1 */
    int64_t nwith, nwithout; /* separating sets with / without y */
    double pwith, pwithout;  /* largest p-values with / without y (-1: none tested) */
    int decision;       /* 1 collider, 2 non-collider, 3 ambiguous */
} triple;

enum { DEC_COLLIDER = 1, DEC_NONCOLLIDER = 2, DEC_AMBIGUOUS = 3 };

/* Final skeleton in rank space. */
typedef struct adjacency {
    int64_t *off;
    int64_t *nbr;
    int64_t p;
} adjacency;

static int64_t find_pos(const adjacency *A, int64_t v, int64_t w) {
    int64_t lo = A->off[v], hi = A->off[v + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (A->nbr[mid] < w) lo = mid + 1;
        else hi = mid;
    }
    return lo < A->off[v + 1] && A->nbr[lo] == w ? lo - A->off[v] : -1;
}

/* ---- tests for CPC, MPC, max-P and the strength order ---- */

typedef struct unit_ctx {
    const causa_citest *test;
    const causa_i_skeleton *sk;
    const adjacency *A;
    triple *tr;
    const int64_t *idx;   /* triples sorted by (x, z, y) */
    const int64_t *ustart; /* unit u covers idx[ustart[u] .. ustart[u + 1]) */
    int64_t cap;          /* largest subset size */
    double alpha;
    int stop;
} unit_ctx;

/* Tests X _||_ Z | S for every subset S of side's neighbours (sizes 0..cap), updating the
 * unit's triples. Returns a test's error code. */
static int unit_side(unit_ctx *U, causa_citest_work *w, int64_t u, int64_t side, int64_t *c,
                     int64_t *z, int64_t *ypos, int64_t *count) {
    const causa_i_skeleton *sk = U->sk;
    const triple *t0 = &U->tr[U->idx[U->ustart[u]]];
    int64_t x = t0->x, zz = t0->z, base = U->A->off[side], deg = U->A->off[side + 1] - base;
    int64_t nt = U->ustart[u + 1] - U->ustart[u];
    for (int64_t i = 0; i < nt; i++) ypos[i] = find_pos(U->A, side, U->tr[U->idx[U->ustart[u] + i]].y);
    int64_t kmax = CAUSA_MIN(deg, U->cap);
    for (int64_t k = 0; k <= kmax; k++) {
        causa_i_comb_first(c, k);
        do {
            for (int64_t i = 0; i < k; i++) z[i] = sk->order[U->A->nbr[base + c[i]]];
            causa_citest_result res;
            int rc = causa_citest_run(U->test, w, sk->order[x], sk->order[zz], z, k, &res);
            (*count)++;
            if (rc) return rc;
            int sep = res.pvalue > U->alpha;
            for (int64_t i = 0; i < nt; i++) {
                triple *t = &U->tr[U->idx[U->ustart[u] + i]];
                int in = 0;
                for (int64_t j = 0; j < k && !in; j++) in = c[j] == ypos[i];
                if (in) {
                    t->nwith += sep;
                    if (res.pvalue > t->pwith) t->pwith = res.pvalue;
                } else {
                    t->nwithout += sep;
                    if (res.pvalue > t->pwithout) t->pwithout = res.pvalue;
                }
            }
        } while (k > 0 && causa_i_comb_next(c, k, deg));
    }
    return CAUSA_OK;
}

static int run_units(causa_ctx *ctx, unit_ctx *U, int64_t nunits, int64_t maxdeg, int64_t maxunit,
                     int64_t *ntests) {
    int nthreads = causa_ctx_threads(ctx) > 0 ? causa_ctx_threads(ctx) : 1;
#if !CAUSA_OPENMP
    nthreads = 1;
#endif
    /* One thread for little work (a parallel region costs more than a few hundred tests). */
    double effort = 0;
    for (int64_t u = 0; u < nunits && effort < 1e6; u++) {
        const triple *t0 = &U->tr[U->idx[U->ustart[u]]];
        for (int side = 0; side < 2; side++) {
            int64_t v = side ? t0->z : t0->x, deg = U->A->off[v + 1] - U->A->off[v];
            effort += ldexp(1.0, (int)CAUSA_MIN(CAUSA_MIN(deg, U->cap), 40));
        }
    }
    if (effort < 2000.0) nthreads = 1;
    int rc = CAUSA_OK;
    causa_citest_work **work = NULL;
    int64_t *scratch = NULL;
    int *errs = NULL;
    int64_t *erru = NULL;
    int64_t per = 2 * (U->cap + 1) + maxunit + 1;
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&work, (size_t)nthreads * sizeof *work, "test workspaces"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&scratch, (size_t)nthreads * (size_t)per * sizeof *scratch,
                            "subsets"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&errs, (size_t)nthreads * sizeof *errs, "errors"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&erru, (size_t)nthreads * sizeof *erru, "errors"));
    for (int t = 0; t < nthreads; t++)
        CAUSA_TRY(causa_citest_work_new(ctx, U->test, CAUSA_MIN(U->cap, maxdeg), &work[t]));
    int blas = causa_i_blas_threads_begin();
    int64_t total = 0;
    const char *what = "CI tests of colliders";
#if CAUSA_OPENMP
#pragma omp parallel num_threads(nthreads) reduction(+ : total)
#endif
    {
#if CAUSA_OPENMP
        int tid = omp_get_thread_num();
#else
        int tid = 0;
#endif
        int64_t *c = scratch + (size_t)tid * (size_t)per, *z = c + U->cap + 1, *ypos = z + U->cap + 1;
#if CAUSA_OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (int64_t u = 0; u < nunits; u++) {
            if (__atomic_load_n(&U->stop, __ATOMIC_RELAXED)) continue;
            const triple *t0 = &U->tr[U->idx[U->ustart[u]]];
            int e = unit_side(U, work[tid], u, t0->x, c, z, ypos, &total);
            if (!e) e = unit_side(U, work[tid], u, t0->z, c, z, ypos, &total);
            if (e && (!errs[tid] || u < erru[tid])) {
                errs[tid] = e;
                erru[tid] = u;
            }
            if (e) __atomic_store_n(&U->stop, e, __ATOMIC_RELAXED);
            if (tid == 0) {
                if (causa_i_check_interrupt(ctx) != CAUSA_OK)
                    __atomic_store_n(&U->stop, CAUSA_EINTERRUPTED, __ATOMIC_RELAXED);
                causa_i_progress(ctx, what, (double)u, (double)nunits);
            }
        }
    }
    causa_i_blas_threads_end(blas);
    *ntests += total;
    int best = -1;
    for (int t = 0; t < nthreads; t++)
        if (errs[t] && (best < 0 || erru[t] < erru[best])) best = t;
    if (best >= 0) {
        const triple *t0 = &U->tr[U->idx[U->ustart[erru[best]]]];
        if (errs[best] == CAUSA_ENOMEM && causa_errcode(ctx) == CAUSA_ENOMEM) rc = CAUSA_ENOMEM;
        else
            rc = causa_i_error(ctx, errs[best], "the CI test of %s and %s while orienting failed: %s",
                               causa_citest_var_name(U->test, U->sk->order[t0->x]),
                               causa_citest_var_name(U->test, U->sk->order[t0->z]),
                               errs[best] == CAUSA_EDATA
                                   ? "too few rows for a conditioning set of this size"
                                   : causa_strerror(errs[best]));
    } else if (U->stop == CAUSA_EINTERRUPTED) {
        rc = causa_i_error(ctx, CAUSA_EINTERRUPTED, "interrupted by the caller");
    }
done:
    if (work)
        for (int t = 0; t < nthreads; t++) causa_citest_work_free(work[t]);
    causa_i_free(ctx, work);
    causa_i_free(ctx, scratch);
    causa_i_free(ctx, errs);
    causa_i_free(ctx, erru);
    return rc;
}

/* ---- sorting helpers ---- */

typedef struct keyed {
    int64_t a, b, c; /* sort keys */
    double s;
    int64_t i;
} keyed;

static int cmp_keyed(const void *p, const void *q) {
    const keyed *x = p, *y = q;
    if (x->a != y->a) return x->a < y->a ? -1 : 1;
    if (x->b != y->b) return x->b < y->b ? -1 : 1;
    if (x->c != y->c) return x->c < y->c ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int cmp_strength(const void *p, const void *q) {
    const keyed *x = p, *y = q;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* ---- applying colliders ---- */

static int set_marks(causa_ctx *ctx, causa_graph *g, int64_t a, int64_t b, int ma, int mb) {
    return causa_graph_set_marks(ctx, g, a, b, ma, mb);
}

/* a *-> y under the conflict rule; returns 1 if it met y --> a. */
static int orient_into(causa_ctx *ctx, causa_graph *g, int rule, int64_t a, int64_t y, int *rc) {
    int conflict = causa_graph_is_directed(g, y, a);
    if (rule == CAUSA_CONFLICT_BIDIRECTED) {
        if (causa_graph_is_undirected(g, a, y))
            *rc = set_marks(ctx, g, a, y, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW);
        else if (conflict)
            *rc = set_marks(ctx, g, a, y, CAUSA_MARK_ARROW, CAUSA_MARK_ARROW);
    } else {
        *rc = set_marks(ctx, g, a, y, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW);
    }
    return conflict;
}

/* ---- pcalg's relaxed rules, for conflicting colliders ----
 *
 * causa_graph_meek completes a consistent PDAG and refuses one whose collider orientations
 * contradict each other (they force a cycle, or orient an edge both ways): there is no
 * Markov equivalence class to complete. pcalg and causal-learn still return a graph there,
 * by applying Meek's rules greedily. When the strict closure refuses (and always when the
 * bidirected conflict rule left X <-> Y edges), causa applies the rules as pcalg's
 * udag2pdagRelaxed does with solve.confl = FALSE: sweeps of R1, then R2, then R3, each
 * over a snapshot of the edges taken at the start of the rule, in column-major order (by
 * the head's rank, then the tail's), orienting without re-checking, until a sweep changes
 * nothing. A bidirected edge counts as an adjacency that is neither directed nor undirected
 * (as in causal-learn).
 *
 * State: for each adjacency slot s = (x, k) of the rank-space lists, head[s] = 1 when the
 * edge x - nbr has an arrowhead at nbr. */

typedef struct relaxed {
    const adjacency *A;
    const unsigned char *state;
    int64_t *rev, *src;
    unsigned char *head;
    int64_t *list;
    const int64_t *amb; /* ambiguous triples (middle, min end, max end) in ranks, sorted */
    int64_t namb;
} relaxed;

static int cmp_triple3(const void *p, const void *q) {
    const int64_t *x = p, *y = q;
    for (int i = 0; i < 3; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

/* Is a - mid - c an ambiguous triple? Like pcalg, R1 and R3 do not act through them. */
static int r_ambiguous(const relaxed *R, int64_t a, int64_t mid, int64_t c) {
    if (R->namb == 0) return 0;
    int64_t key[3] = {mid, CAUSA_MIN(a, c), CAUSA_MAX(a, c)};
    return bsearch(key, R->amb, (size_t)R->namb, 3 * sizeof *key, cmp_triple3) != NULL;
}

static int r_dir(const relaxed *R, int64_t s) { return R->head[s] && !R->head[R->rev[s]]; }
static int r_und(const relaxed *R, int64_t s) { return !R->head[s] && !R->head[R->rev[s]]; }
static void r_orient(relaxed *R, int64_t s) { /* src(s) --> nbr(s) */
    R->head[s] = 1;
    R->head[R->rev[s]] = 0;
}
static int64_t r_slot(const relaxed *R, int64_t a, int64_t b) {
    int64_t k = find_pos(R->A, a, b);
    return k < 0 ? -1 : R->A->off[a] + k;
}

static void relaxed_sweeps(relaxed *R, int64_t p, unsigned char *old, int64_t nslots) {
    const adjacency *A = R->A;
    for (;;) {
        memcpy(old, R->head, (size_t)nslots);
        /* R1: a --> b --- c, a and c non-adjacent: b --> c */
        int64_t n = 0;
        for (int64_t b = 0; b < p; b++)
            for (int64_t s = A->off[b]; s < A->off[b + 1]; s++)
                if (r_dir(R, R->rev[s])) R->list[n++] = R->rev[s]; /* a --> b */
        for (int64_t i = 0; i < n; i++) {
            int64_t a = R->src[R->list[i]], b = A->nbr[R->list[i]];
            int64_t m = 0, *cs = R->list + n; /* room after the snapshot */
            for (int64_t s = A->off[b]; s < A->off[b + 1]; s++) {
                int64_t c = A->nbr[s];
                if (c != a && r_und(R, s) && !causa_i_pair_adjacent(R->state, R->A->p, a, c) && !r_ambiguous(R, a, b, c))
                    cs[m++] = s;
            }
            for (int64_t j = 0; j < m; j++) r_orient(R, cs[j]);
        }
        /* R2: a --> c --> b and a --- b: a --> b; R3: a --- c1 --> b, a --- c2 --> b, c1 and
         * c2 non-adjacent, a --- b: a --> b */
        for (int rule = 2; rule <= 3; rule++) {
            n = 0;
            for (int64_t b = 0; b < p; b++)
                for (int64_t s = A->off[b]; s < A->off[b + 1]; s++)
                    if (r_und(R, R->rev[s])) R->list[n++] = R->rev[s]; /* a --- b, slot (a, b) */
            for (int64_t i = 0; i < n; i++) {
                int64_t sab = R->list[i], a = R->src[sab], b = A->nbr[sab];
                int fire = 0;
                if (rule == 2) {
                    for (int64_t s = A->off[a]; s < A->off[a + 1] && !fire; s++) {
                        int64_t c = A->nbr[s], scb;
                        fire = c != b && r_dir(R, s) && (scb = r_slot(R, c, b)) >= 0 && r_dir(R, scb);
                    }
                } else {
                    int64_t m = 0, *cs = R->list + n;
                    for (int64_t s = A->off[a]; s < A->off[a + 1]; s++) {
                        int64_t c = A->nbr[s], scb;
                        if (c != b && r_und(R, s) && (scb = r_slot(R, c, b)) >= 0 && r_dir(R, scb))
                            cs[m++] = c;
                    }
                    for (int64_t j = 0; j < m && !fire; j++)
                        for (int64_t k = j + 1; k < m && !fire; k++)
                            fire = !causa_i_pair_adjacent(R->state, R->A->p, cs[j], cs[k]) && !r_ambiguous(R, cs[j], a, cs[k]);
                }
                if (fire) r_orient(R, sab);
            }
        }
        if (memcmp(old, R->head, (size_t)nslots) == 0) break;
    }
}

/* Applies the relaxed rules to g (whose adjacencies are A's) in place. */
static int relaxed_closure(causa_ctx *ctx, causa_graph *g, const causa_i_skeleton *sk,
                           const adjacency *A, const int64_t *amb, int64_t namb) {
    int64_t p = sk->p, nslots = A->off[p];
    size_t n = (size_t)(nslots > 0 ? nslots : 1);
    relaxed R = {A, sk->state, NULL, NULL, NULL, NULL, amb, namb};
    unsigned char *old = NULL;
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.rev, n * sizeof *R.rev, "relaxed rules"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.src, n * sizeof *R.src, "relaxed rules"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.head, n, "relaxed rules"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&old, n, "relaxed rules"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.list, 2 * n * sizeof *R.list, "relaxed rules"));
    for (int64_t x = 0; x < p; x++)
        for (int64_t s = A->off[x]; s < A->off[x + 1]; s++) {
            int64_t y = A->nbr[s];
            int mx, my;
            R.src[s] = x;
            R.rev[s] = r_slot(&R, y, x);
            causa_graph_edge(g, sk->order[x], sk->order[y], &mx, &my);
            R.head[s] = my == CAUSA_MARK_ARROW;
        }
    relaxed_sweeps(&R, p, old, nslots);
    for (int64_t x = 0; x < p; x++)
        for (int64_t s = A->off[x]; s < A->off[x + 1]; s++) {
            int64_t y = A->nbr[s];
            if (y < x) continue;
            CAUSA_TRY(set_marks(ctx, g, sk->order[x], sk->order[y],
                                R.head[R.rev[s]] ? CAUSA_MARK_ARROW : CAUSA_MARK_TAIL,
                                R.head[s] ? CAUSA_MARK_ARROW : CAUSA_MARK_TAIL));
        }
done:
    causa_i_free(ctx, R.rev);
    causa_i_free(ctx, R.src);
    causa_i_free(ctx, R.head);
    causa_i_free(ctx, R.list);
    causa_i_free(ctx, old);
    return rc;
}

/* ---- the phase ---- */

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Is the original index v in the separating set of the rank pair (a, b)? */
static int in_sepset(const causa_i_skeleton *sk, int64_t a, int64_t b, int64_t v) {
    if (sk->state[causa_i_pair_key(sk->p, a, b)] != CAUSA_I_PAIR_SEPK) return 0;
    const causa_i_seprec *rec = causa_i_skeleton_find(sk, a, b);
    if (!rec) return 0;
    return bsearch(&v, sk->pool + rec->off, (size_t)rec->len, sizeof v, cmp_i64) != NULL;
}

/* An edge of the skeleton as variables, a < b. */
typedef struct {
    int64_t a, b;
} var_pair;

static int cmp_var_pair(const void *x, const void *y) {
    const var_pair *u = x, *v = y;
    if (u->a != v->a) return (u->a > v->a) - (u->a < v->a);
    return (u->b > v->b) - (u->b < v->b);
}

/* The skeleton's edges as variable pairs, sorted. */
static int skeleton_edges(causa_ctx *ctx, const causa_i_skeleton *sk, var_pair **out, int64_t *n) {
    int rc = CAUSA_OK;
    int64_t p = sk->p, count = 0;
    int32_t *idx = NULL;
    var_pair *e = NULL;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&idx, (size_t)(p > 0 ? p : 1) * sizeof *idx, "skeleton edges"));
    for (int pass = 0; pass < 2; pass++) {
        count = 0;
        for (int64_t x = 0; x + 1 < p; x++) {
            int64_t k = causa_i_row_edges(sk->state, p, x, idx);
            for (int64_t i = 0; pass == 1 && i < k; i++) {
                int64_t va = sk->order[x], vb = sk->order[x + 1 + idx[i]];
                e[count + i] = va < vb ? (var_pair){va, vb} : (var_pair){vb, va};
            }
            count += k;
        }
        if (pass == 0)
            CAUSA_TRY(causa_i_alloc(ctx, (void **)&e, (size_t)(count > 0 ? count : 1) * sizeof *e, "skeleton edges"));
    }
    qsort(e, (size_t)count, sizeof *e, cmp_var_pair);
    *out = e;
    *n = count;
    e = NULL;
done:
    causa_i_free(ctx, idx);
    causa_i_free(ctx, e);
    return rc;
}

int causa_i_pc_orient(causa_ctx *ctx, const causa_citest *test, const causa_i_kview *kv,
                      causa_discovery *r) {
    causa_i_skeleton *sk = &r->sk;
    const causa_discover_options *opt = &r->opt;
    int64_t p = sk->p;
    int rc = CAUSA_OK;
    causa_graph *g = NULL;
    adjacency A = {NULL, NULL, p};
    triple *tr = NULL;
    keyed *keys = NULL;
    int64_t *idx = NULL, *ustart = NULL, *amb = NULL;
    int64_t ntr = 0, nunits = 0, nedges = 0;
    var_pair *edges = NULL;
    int order = opt->order;
    if (order == CAUSA_ORDER_AUTO)
        order = opt->colliders == CAUSA_COLLIDERS_MAXP ? CAUSA_ORDER_STRENGTH : CAUSA_ORDER_TRIPLES;
    r->order_used = order;

    /* 1. the skeleton as a graph, in the test's variable order: the edges read row by row
     * from the pair states (in rank space), mapped to variables and added in the order of
     * (a, b), a < b, as a look-up of every pair in that order would add them (which took
     * most of the orientation's time at p = 500: p^2 / 2 look-ups scattered by the ranks) */
    CAUSA_TRY(causa_graph_new(ctx, p, (const char *const *)r->names, &g));
    CAUSA_TRY(skeleton_edges(ctx, sk, &edges, &nedges));
    for (int64_t e = 0; e < nedges; e++)
        CAUSA_TRY(causa_graph_add_edge(ctx, g, edges[e].a, edges[e].b, CAUSA_MARK_TAIL, CAUSA_MARK_TAIL));
    /* 2. knowledge */
    if (kv && kv->k)
        for (int64_t a = 0; a < p; a++)
            for (int64_t k = 0; k < causa_graph_degree(g, a); k++) {
                int64_t b;
                int ma, mb;
                causa_graph_neighbor(g, a, k, &b, &ma, &mb);
                if (b < a) continue;
                if (causa_i_kview_forbidden(kv, b, a) || causa_i_kview_required(kv, a, b))
                    CAUSA_TRY(set_marks(ctx, g, a, b, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
                else if (causa_i_kview_forbidden(kv, a, b) || causa_i_kview_required(kv, b, a))
                    CAUSA_TRY(set_marks(ctx, g, a, b, CAUSA_MARK_ARROW, CAUSA_MARK_TAIL));
            }

    /* 3. rank-space adjacency of the final skeleton, and the unshielded triples in the
     * canonical order (y, x, z) */
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&A.off, (size_t)(p + 1) * sizeof *A.off, "adjacency"));
    int64_t total = 0, maxdeg = 0;
    for (int64_t x = 0; x < p; x++) {
        int64_t deg = causa_graph_degree(g, sk->order[x]);
        A.off[x] = total;
        total += deg;
        maxdeg = CAUSA_MAX(maxdeg, deg);
    }
    A.off[p] = total;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&A.nbr, (size_t)(total > 0 ? total : 1) * sizeof *A.nbr,
                            "adjacency"));
    for (int64_t x = 0; x < p; x++) {
        int64_t o = A.off[x], v = sk->order[x], deg = causa_graph_degree(g, v);
        for (int64_t k = 0; k < deg; k++) {
            int64_t w;
            causa_graph_neighbor(g, v, k, &w, NULL, NULL);
            A.nbr[o + k] = sk->rank[w];
        }
        qsort(A.nbr + o, (size_t)deg, sizeof *A.nbr, cmp_i64);
    }
    for (int pass = 0; pass < 2; pass++) {
        int64_t n = 0;
        for (int64_t y = 0; y < p; y++)
            for (int64_t i = A.off[y]; i < A.off[y + 1]; i++)
                for (int64_t j = i + 1; j < A.off[y + 1]; j++) {
                    int64_t x = A.nbr[i], z = A.nbr[j];
                    if (causa_i_pair_adjacent(sk->state, p, x, z)) continue;
                    if (pass == 1) tr[n] = (triple){x, y, z, -1, 0, 0, -1.0, -1.0, 0};
                    n++;
                }
        if (pass == 0) {
            ntr = n;
            CAUSA_TRY(causa_i_alloc(ctx, (void **)&tr, (size_t)(n > 0 ? n : 1) * sizeof *tr, "triples"));
        }
    }
    r->ntriples = ntr;

    /* 4. decisions */
    int rule = opt->colliders;
    int need_tests = rule != CAUSA_COLLIDERS_SEPSETS || order == CAUSA_ORDER_STRENGTH ||
                     order == CAUSA_ORDER_SEPARATION;
    if (rule == CAUSA_COLLIDERS_SEPSETS)
        for (int64_t t = 0; t < ntr; t++)
            tr[t].decision = in_sepset(sk, tr[t].x, tr[t].z, sk->order[tr[t].y]) ? DEC_NONCOLLIDER
                                                                                   : DEC_COLLIDER;
    if (need_tests && ntr > 0) {
        /* Units: the (x, z) pairs of the triples that need tests, triples sorted by (x, z, y). */
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&keys, (size_t)ntr * sizeof *keys, "triples"));
        int64_t m = 0;
        for (int64_t t = 0; t < ntr; t++) {
            if (rule == CAUSA_COLLIDERS_SEPSETS && tr[t].decision != DEC_COLLIDER) continue;
            keys[m++] = (keyed){tr[t].x, tr[t].z, tr[t].y, 0.0, t};
        }
        qsort(keys, (size_t)m, sizeof *keys, cmp_keyed);
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&idx, (size_t)(m > 0 ? m : 1) * sizeof *idx, "triples"));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&ustart, (size_t)(m + 1) * sizeof *ustart, "triples"));
        int64_t maxunit = 0;
        for (int64_t i = 0; i < m; i++) {
            idx[i] = keys[i].i;
            if (i == 0 || keys[i].a != keys[i - 1].a || keys[i].b != keys[i - 1].b) {
                if (nunits > 0) maxunit = CAUSA_MAX(maxunit, i - ustart[nunits - 1]);
                ustart[nunits++] = i;
            }
            tr[keys[i].i].unit = nunits - 1;
        }
        ustart[nunits] = m;
        if (nunits > 0) maxunit = CAUSA_MAX(maxunit, m - ustart[nunits - 1]);
        unit_ctx U = {test, sk, &A, tr, idx, ustart, opt->depth >= 0 ? CAUSA_MIN(opt->depth, maxdeg) : maxdeg,
                      opt->alpha, 0};
        if (nunits > 0) CAUSA_TRY(run_units(ctx, &U, nunits, maxdeg, maxunit, &r->orient_tests));
    }
    for (int64_t t = 0; t < ntr; t++) {
        triple *q = &tr[t];
        int64_t n = q->nwith + q->nwithout;
        switch (rule) {
        case CAUSA_COLLIDERS_CONSERVATIVE:
            q->decision = n == 0 ? DEC_AMBIGUOUS
                          : q->nwith == 0 ? DEC_COLLIDER
                          : q->nwithout == 0 ? DEC_NONCOLLIDER : DEC_AMBIGUOUS;
            break;
        case CAUSA_COLLIDERS_MAJORITY:
            q->decision = n == 0 ? DEC_AMBIGUOUS
                          : 2 * q->nwith < n ? DEC_COLLIDER
                          : 2 * q->nwith > n ? DEC_NONCOLLIDER : DEC_AMBIGUOUS;
            break;
        case CAUSA_COLLIDERS_MAXP:
            q->decision = q->pwithout > q->pwith ? DEC_COLLIDER : DEC_NONCOLLIDER;
            break;
        default: break;
        }
    }

    /* 5. the order of the colliders */
    int64_t ncol = 0, namb = 0;
    for (int64_t t = 0; t < ntr; t++) {
        ncol += tr[t].decision == DEC_COLLIDER;
        namb += tr[t].decision == DEC_AMBIGUOUS;
    }
    r->ncolliders = ncol;
    causa_i_free(ctx, keys);
    keys = NULL;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&keys, (size_t)(ncol > 0 ? ncol : 1) * sizeof *keys, "colliders"));
    int64_t m = 0;
    for (int64_t t = 0; t < ntr; t++)
        if (tr[t].decision == DEC_COLLIDER)
            keys[m++] = (keyed){0, 0, 0, order == CAUSA_ORDER_SEPARATION ? -tr[t].pwithout : tr[t].pwith, t};
    if (order == CAUSA_ORDER_STRENGTH || order == CAUSA_ORDER_SEPARATION)
        qsort(keys, (size_t)m, sizeof *keys, cmp_strength);

    /* 6. apply them */
    for (int64_t i = 0; i < m; i++) {
        const triple *q = &tr[keys[i].i];
        int64_t ox = sk->order[q->x], oy = sk->order[q->y], oz = sk->order[q->z];
        if (kv && kv->k &&
            (causa_i_kview_forbidden(kv, ox, oy) || causa_i_kview_forbidden(kv, oz, oy) ||
             causa_i_kview_required(kv, oy, ox) || causa_i_kview_required(kv, oy, oz)))
            continue;
        int conflict = causa_graph_is_directed(g, oy, ox) || causa_graph_is_directed(g, oy, oz);
        if (conflict) r->nconflicts++;
        if (conflict && opt->conflicts == CAUSA_CONFLICT_PRIORITY) continue;
        orient_into(ctx, g, opt->conflicts, ox, oy, &rc);
        if (rc) goto done;
        orient_into(ctx, g, opt->conflicts, oz, oy, &rc);
        if (rc) goto done;
    }

    /* ambiguous triples, as original indices with x < z, sorted */
    if (namb > 0) {
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&r->ambiguous, (size_t)namb * 3 * sizeof *r->ambiguous,
                                "ambiguous triples"));
        causa_i_free(ctx, keys);
        keys = NULL;
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&keys, (size_t)namb * sizeof *keys, "ambiguous triples"));
        int64_t k = 0;
        for (int64_t t = 0; t < ntr; t++)
            if (tr[t].decision == DEC_AMBIGUOUS) {
                int64_t a = sk->order[tr[t].x], b = sk->order[tr[t].z];
                keys[k] = (keyed){CAUSA_MIN(a, b), sk->order[tr[t].y], CAUSA_MAX(a, b), 0.0, k};
                k++;
            }
        qsort(keys, (size_t)namb, sizeof *keys, cmp_keyed);
        for (int64_t i = 0; i < namb; i++) {
            r->ambiguous[3 * i] = keys[i].a;
            r->ambiguous[3 * i + 1] = keys[i].b;
            r->ambiguous[3 * i + 2] = keys[i].c;
        }
        r->nambiguous = namb;
    }

    /* 7. Meek's rules: the strict closure when the orientations are consistent, pcalg's
     * relaxed rules when they are not (or when bidirected edges are present), and for CPC
     * and MPC with ambiguous triples (which pcalg's rules R1 and R3 do not act through;
     * with knowledge the strict closure and its rule R4 come first) */
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&amb, (size_t)(3 * namb + 3) * sizeof *amb, "ambiguous triples"));
    for (int64_t t = 0, k = 0; t < ntr; t++)
        if (tr[t].decision == DEC_AMBIGUOUS) {
            amb[3 * k] = tr[t].y;
            amb[3 * k + 1] = CAUSA_MIN(tr[t].x, tr[t].z);
            amb[3 * k + 2] = CAUSA_MAX(tr[t].x, tr[t].z);
            k++;
        }
    if (namb > 1) qsort(amb, (size_t)namb, 3 * sizeof *amb, cmp_triple3);
    int has_bidirected = 0;
    for (int64_t a = 0; a < p && !has_bidirected; a++)
        for (int64_t k = 0; k < causa_graph_degree(g, a) && !has_bidirected; k++) {
            int ma, mb;
            causa_graph_neighbor(g, a, k, NULL, &ma, &mb);
            has_bidirected = ma == CAUSA_MARK_ARROW && mb == CAUSA_MARK_ARROW;
        }
    int relaxed_first = has_bidirected || (namb > 0 && !(kv && kv->k));
    int mrc = relaxed_first ? CAUSA_EINVAL : causa_graph_meek(ctx, g);
    if (mrc == CAUSA_ENOMEM) {
        rc = mrc;
        goto done;
    }
    if (mrc != CAUSA_OK) {
        if (has_bidirected)
            snprintf(r->note, sizeof r->note,
                     "conflicting colliders made bidirected edges; Meek's rules were applied as "
                     "pcalg's relaxed rules");
        else if (relaxed_first)
            r->note[0] = '\0'; /* the usual path for ambiguous triples: nothing to report */
        else
            snprintf(r->note, sizeof r->note,
                     "the colliders conflict, so Meek's rules were applied as pcalg's relaxed "
                     "rules (the strict closure reported: %s)",
                     causa_errmsg(ctx));
        causa_clear_error(ctx);
        if (r->note[0]) causa_i_log(ctx, CAUSA_LOG_WARN, "%s", r->note);
        CAUSA_TRY(relaxed_closure(ctx, g, sk, &A, amb, namb));
        /* Declare the strictest kind the result has (a PDAG unless colliders conflicted). */
        for (int kind = CAUSA_KIND_CPDAG; kind >= CAUSA_KIND_PDAG; kind--) {
            int krc = has_bidirected ? CAUSA_EINVAL : causa_graph_set_kind(ctx, g, kind);
            if (krc == CAUSA_ENOMEM) {
                rc = krc;
                goto done;
            }
            if (krc == CAUSA_OK) break;
            causa_clear_error(ctx);
        }
    }
done:
    causa_i_free(ctx, edges);
    causa_i_free(ctx, A.off);
    causa_i_free(ctx, A.nbr);
    causa_i_free(ctx, tr);
    causa_i_free(ctx, keys);
    causa_i_free(ctx, idx);
    causa_i_free(ctx, ustart);
    causa_i_free(ctx, amb);
    if (rc) causa_graph_free(g);
    else r->graph = g;
    return rc;
}
