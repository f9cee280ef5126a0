/*
 * possible_dsep.c: FCI's second adjacency stage, the tests given subsets of Possible-D-SEP.
 *
 * After the skeleton phase an edge X *-* Y may survive only because every set that
 * separates X and Y contains nodes that are not neighbours of X or of Y (an inducing path
 * through latent variables would keep it; a chain of colliders does not). Spirtes, Meek &
 * Richardson (1999) showed that such a set can be found inside Possible-D-SEP(X, Y).
 *
 *  1. Orient the skeleton's unshielded colliders (R0 from the separating sets, after the
 *     knowledge marks; fci.c).
 *  2. Possible-D-SEP(X): the nodes V != X with a path X = V0, V1, ..., Vk = V on which every
 *     inner node Vi is a collider (arrowheads at Vi from both sides) or the ends Vi-1, Vi+1
 *     are adjacent (a triangle). As in pcalg's qreach, the search runs over walks: a
 *     breadth-first search whose states are directed edges (Vi-1, Vi), each visited once, so
 *     the set may contain a few more nodes than the simple-path definition (a superset is
 *     still correct: it only adds tests). Path length (opt.max_path_length, edges from X;
 *     -1 = no limit) bounds the search, as Tetrad's and causal-learn's maxPathLength do.
 *     Computed once for every X from the graph of step 1 (pcalg), in parallel over X.
 *  3. For each edge X *-* Y, X before Y in the canonical order, not required by knowledge:
 *     with T = Possible-D-SEP(X) \ {Y} and N = adj(X) (the skeleton's adjacency, frozen for
 *     the whole stage), if T \ N is not empty, test X _||_ Y | S for S of size 1 in T \ N,
 *     then for S of size 2, 3, ..., |T| (at most opt.depth) in lexicographic order over T,
 *     skipping the S inside N (those were tested by the skeleton phase, which kept the
 *     edge); stop at the first p-value > alpha: the edge is removed and S is its separating
 *     set. If the edge survives, the same from Y's side with Possible-D-SEP(Y) \ {X}. These
 *     are pcalg's pdsep tests in pcalg's order (its sets are sorted too).
 *
 * Frozen adjacency (the "stable" form). pcalg walks the nodes in order and lets a removal
 * shrink the neighbour sets of later nodes; causa freezes N for the stage, so every pair
 * side is independent of the others and the stage runs in parallel (pass A: each node X
 * tests its pairs with later nodes; pass B: each node Y the pairs with earlier nodes that
 * pass A left), with the removals applied afterwards in the canonical pair order. The
 * result is the same as pcalg's: a set S inside the frozen N but not inside pcalg's current
 * neighbour set is a subset of the skeleton's final adjacency of X, so the skeleton phase
 * already tested X _||_ Y | S and kept the edge, and pcalg's repeat of that test finds the
 * same dependence. Only the number of tests differs (causa makes fewer).
 *
 * Parallelism and determinism as in skeleton.c: one CI-test workspace per thread, each unit
 * writes only its own slots and the largest p-values of its own pairs, errors are reported
 * for the lowest unit. The output does not depend on the number of threads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if CAUSA_OPENMP
#include <omp.h>
#endif

#include "../linalg/linalg_i.h"
#include "fci_i.h"

static int thread_id(void) {
#if CAUSA_OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

/* ---- Possible-D-SEP ---- */

typedef struct pds_ws {
    int64_t *vis;   /* per directed edge (entry): stamp of the search that queued it */
    int64_t *seen;  /* per node: stamp of the search that added it */
    int64_t *queue; /* entries */
    int64_t stamp;
} pds_ws;

/* Possible-D-SEP(x) in g: writes the nodes (ranks, ascending) to out when out is not NULL
 * and returns their number. */
static int64_t possible_dsep(const causa_i_mg *g, int64_t x, int64_t maxlen, pds_ws *w, int64_t *out) {
    int64_t st = ++w->stamp, head = 0, tail = 0, n = 0, depth = 1;
    w->seen[x] = st;
    for (int64_t k = g->off[x]; k < g->off[x + 1]; k++) {
        w->vis[k] = st;
        w->queue[tail++] = k;
        int64_t b = g->nbr[k];
        if (w->seen[b] != st) {
            w->seen[b] = st;
            if (out) out[n] = b;
            n++;
        }
    }
    int64_t level_end = tail;
    while (head < tail) {
        if (head == level_end) {
            depth++;
            level_end = tail;
        }
        if (maxlen >= 0 && depth >= maxlen) break; /* the next edges would be too far */
        int64_t k = w->queue[head++], a = g->src[k], b = g->nbr[k];
        int ab_arrow = g->mark[k] == CAUSA_MARK_ARROW; /* a *-> b */
        for (int64_t j = g->off[b]; j < g->off[b + 1]; j++) {
            int64_t c = g->nbr[j];
            if (c == a || w->vis[j] == st) continue;
            /* legal: b is a collider on <a, b, c>, or a and c are adjacent */
            if (!(ab_arrow && g->mark[g->rev[j]] == CAUSA_MARK_ARROW) && !causa_i_mg_adjacent(g, a, c))
                continue;
            w->vis[j] = st;
            w->queue[tail++] = j;
            if (w->seen[c] != st) {
                w->seen[c] = st;
                if (out) out[n] = c;
                n++;
            }
        }
    }
    return n;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* ---- the tests ---- */

typedef struct stage {
    causa_ctx *ctx;
    const causa_citest *test;
    causa_i_skeleton *sk;
    const causa_i_mg *g;      /* frozen adjacency and R0 marks */
    const int64_t *poff, *pds; /* Possible-D-SEP sets, CSR over ranks */
    int64_t cap;              /* largest conditioning set (depth limit) */
    double alpha;
    unsigned char *rm;        /* per entry of g: removed by this side */
    int32_t *sep;             /* per entry: the set found (ranks), at sepoff[entry] */
    int64_t *sepoff;
    int64_t *seplen;
    causa_citest_work **work;
    int64_t **counts;         /* per thread: tests by size, cap + 1 */
    int nthreads;
    int stop;
    int64_t done_units;
} stage;

typedef struct werr {
    int rc;
    int64_t unit, x, y, nz;
} werr;

static int stopped(stage *S) { return __atomic_load_n(&S->stop, __ATOMIC_RELAXED); }
static void set_stop(stage *S, int code) { __atomic_store_n(&S->stop, code, __ATOMIC_RELAXED); }

typedef struct scratch {
    int64_t *tf;          /* T = pds \ {y} */
    int64_t *c;           /* subset positions */
    int64_t *z;           /* conditioning set, original indices */
    unsigned char *inadj; /* per rank: in the frozen adjacency of the unit's node */
} scratch;

/* Tests one pair side: x tests its edge to y (entry k of x's list) given subsets of
 * Possible-D-SEP(x) \ {y}. Returns a test's error code. */
static int side(stage *S, causa_citest_work *w, scratch *s, int64_t x, int64_t k, int64_t *npairs,
                int64_t *maxsize, int64_t *errnz) {
    causa_i_skeleton *sk = S->sk;
    const causa_i_mg *g = S->g;
    int64_t y = g->nbr[k], nt = 0, ndiff = 0;
    for (int64_t i = S->poff[x]; i < S->poff[x + 1]; i++) {
        int64_t v = S->pds[i];
        if (v == y) continue;
        s->tf[nt++] = v;
        ndiff += !s->inadj[v];
    }
    if (ndiff == 0) return CAUSA_OK;
    (*npairs)++;
    if (nt > *maxsize) *maxsize = nt;
    int64_t ordmax = CAUSA_MIN(nt, S->cap);
    int64_t *cnt = S->counts[thread_id()];
    int64_t key = causa_i_pair_key(sk->p, x, y), ox = sk->order[x], oy = sk->order[y], iter = 0;
    for (int64_t ord = 1; ord <= ordmax; ord++) {
        causa_i_comb_first(s->c, ord);
        do {
            int inside = 1;
            for (int64_t i = 0; i < ord && inside; i++) inside = s->inadj[s->tf[s->c[i]]];
            if (inside) continue;
            for (int64_t i = 0; i < ord; i++) s->z[i] = sk->order[s->tf[s->c[i]]];
            causa_citest_result res;
            int rc = causa_citest_run(S->test, w, ox, oy, s->z, ord, &res);
            cnt[ord]++;
            if (rc) {
                *errnz = ord;
                return rc;
            }
            double *m = &sk->pmax[key];
            if (isnan(*m) || res.pvalue > *m) *m = res.pvalue;
            if (res.pvalue > S->alpha) {
                S->rm[k] = 1;
                S->seplen[k] = ord;
                for (int64_t i = 0; i < ord; i++) S->sep[S->sepoff[k] + i] = (int32_t)s->tf[s->c[i]];
                return CAUSA_OK;
            }
            if ((++iter & 1023) == 0 && stopped(S) == CAUSA_EINTERRUPTED) return CAUSA_OK;
        } while (causa_i_comb_next(s->c, ord, nt));
    }
    return CAUSA_OK;
}

static void note_error(werr *e, int rc, int64_t unit, int64_t x, int64_t y, int64_t nz) {
    if (e->rc && e->unit <= unit) return;
    *e = (werr){rc, unit, x, y, nz};
}

/* Pass 0: node x tests its pairs with later nodes; pass 1: with earlier nodes whose own
 * side left the edge. */
static void unit(stage *S, causa_citest_work *w, scratch *s, int64_t x, int pass, int64_t *npairs,
                 int64_t *maxsize, werr *e) {
    const causa_i_mg *g = S->g;
    causa_i_skeleton *sk = S->sk;
    for (int64_t k = g->off[x]; k < g->off[x + 1]; k++) s->inadj[g->nbr[k]] = 1;
    for (int64_t k = g->off[x]; k < g->off[x + 1] && !stopped(S); k++) {
        int64_t y = g->nbr[k];
        if (pass == 0 ? y < x : y > x) continue;
        if (sk->state[causa_i_pair_key(sk->p, x, y)] != CAUSA_I_PAIR_ADJ) continue; /* required */
        if (pass == 1 && S->rm[g->rev[k]]) continue;
        int64_t nz = 0;
        int rc = side(S, w, s, x, k, npairs, maxsize, &nz);
        if (rc) {
            note_error(e, rc, (int64_t)pass * g->p + x, x, y, nz);
            set_stop(S, rc);
            break;
        }
    }
    for (int64_t k = g->off[x]; k < g->off[x + 1]; k++) s->inadj[g->nbr[k]] = 0;
}

static int run_pass(stage *S, int pass, scratch *scr, werr *errs, int64_t *npairs, int64_t *maxsize,
                    int nthreads) {
    int64_t p = S->g->p, units = 2 * p, pairs = 0, msize = 0;
    const char *what = "Possible-D-SEP tests";
    (void)nthreads;
#if CAUSA_OPENMP
#pragma omp parallel num_threads(nthreads) reduction(+ : pairs) reduction(max : msize)
#endif
    {
        int tid = thread_id();
#if CAUSA_OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (int64_t x = 0; x < p; x++) {
            if (stopped(S)) continue;
            unit(S, S->work[tid], &scr[tid], x, pass, &pairs, &msize, &errs[tid]);
            __atomic_fetch_add(&S->done_units, 1, __ATOMIC_RELAXED);
            if (tid == 0) {
                if (causa_i_check_interrupt(S->ctx) != CAUSA_OK) set_stop(S, CAUSA_EINTERRUPTED);
                causa_i_progress(S->ctx, what, (double)__atomic_load_n(&S->done_units, __ATOMIC_RELAXED),
                                 (double)units);
            }
        }
    }
    *npairs += pairs;
    if (msize > *maxsize) *maxsize = msize;
    return S->stop;
}

/* C(n, k) as a double, for the work estimate. */
static double choose(int64_t n, int64_t k) {
    if (k < 0 || k > n) return 0;
    double c = 1;
    for (int64_t i = 1; i <= k; i++) c = c * (double)(n - k + i) / (double)i;
    return c;
}

int causa_i_fci_pds_stage(causa_ctx *ctx, const causa_citest *test, const causa_i_kview *kv,
                          causa_discovery *r) {
    causa_i_skeleton *sk = &r->sk;
    causa_i_fci_info *f = r->fci;
    int64_t p = sk->p;
    int rc = CAUSA_OK, blas = causa_i_blas_threads_begin();
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    stage S;
    memset(&S, 0, sizeof S);
    int nthreads = causa_ctx_threads(ctx) > 0 ? causa_ctx_threads(ctx) : 1;
#if !CAUSA_OPENMP
    nthreads = 1;
#endif
    causa_i_mg g;
    werr *errs = NULL;
    scratch *scr = NULL;
    int64_t *pds = NULL, *set = NULL;
    causa_i_progress(ctx, "Possible-D-SEP", 0, (double)p);

    /* 1. R0 on the skeleton */
    CAUSA_TRY(causa_i_fci_build_mg(ctx, &a, sk, &g));
    causa_i_fci_knowledge(kv, sk, &g);
    causa_i_fci_sepsets sepsets = {sk, kv};
    causa_i_pag_rules r0 = {causa_i_fci_collider, &sepsets, CAUSA_I_PAG_ALL, 0, CAUSA_I_PAG_SCHED_FCI};
    CAUSA_TRY(causa_i_pag_orient_colliders(ctx, &g, &r0));

    /* 2. Possible-D-SEP of every node: sizes, then the sets (two parallel passes) */
    int64_t *poff = causa_i_arena_alloc(&a, (size_t)(p + 1) * sizeof *poff);
    pds_ws *ws = causa_i_arena_alloc0(&a, (size_t)nthreads * sizeof *ws);
    if (!poff || !ws) goto nomem;
    for (int t = 0; t < nthreads; t++) {
        ws[t].vis = causa_i_arena_alloc0(&a, (size_t)(2 * g.m + 1) * sizeof *ws[t].vis);
        ws[t].seen = causa_i_arena_alloc0(&a, (size_t)(p + 1) * sizeof *ws[t].seen);
        ws[t].queue = causa_i_arena_alloc(&a, (size_t)(2 * g.m + 1) * sizeof *ws[t].queue);
        if (!ws[t].vis || !ws[t].seen || !ws[t].queue) goto nomem;
    }
    int64_t maxlen = r->opt.max_path_length;
    int nt_bfs = (double)p * (double)(2 * g.m + 1) < 2e5 ? 1 : nthreads;
    (void)nt_bfs;
#if CAUSA_OPENMP
#pragma omp parallel for num_threads(nt_bfs) schedule(dynamic, 16)
#endif
    for (int64_t x = 0; x < p; x++) poff[x + 1] = possible_dsep(&g, x, maxlen, &ws[thread_id()], NULL);
    poff[0] = 0;
    for (int64_t x = 0; x < p; x++) poff[x + 1] += poff[x];
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&pds, (size_t)(poff[p] > 0 ? poff[p] : 1) * sizeof *pds,
                            "Possible-D-SEP sets"));
#if CAUSA_OPENMP
#pragma omp parallel for num_threads(nt_bfs) schedule(dynamic, 16)
#endif
    for (int64_t x = 0; x < p; x++) {
        possible_dsep(&g, x, maxlen, &ws[thread_id()], pds + poff[x]);
        qsort(pds + poff[x], (size_t)(poff[x + 1] - poff[x]), sizeof *pds, cmp_i64);
    }
    CAUSA_TRY(causa_i_check_interrupt(ctx));

    /* 3. the tests */
    int64_t maxpds = 0, cap = r->opt.depth >= 0 ? r->opt.depth : INT64_MAX;
    double work = 0;
    for (int64_t x = 0; x < p; x++) {
        int64_t n = poff[x + 1] - poff[x];
        maxpds = CAUSA_MAX(maxpds, n);
        if (work < 1e6 && n > g.off[x + 1] - g.off[x])
            for (int64_t k = 1; k <= CAUSA_MIN(n - 1, cap) && work < 1e6; k++)
                work += choose(n - 1, k) * (double)(g.off[x + 1] - g.off[x]);
    }
    S.cap = CAUSA_MIN(cap, maxpds);
    int nt = work < 4000.0 ? 1 : nthreads;
    S.ctx = ctx;
    S.test = test;
    S.sk = sk;
    S.g = &g;
    S.poff = poff;
    S.pds = pds;
    S.alpha = r->opt.alpha;
    S.nthreads = nt;
    size_t nent = (size_t)(2 * g.m + 1);
    S.rm = causa_i_arena_alloc0(&a, nent);
    S.seplen = causa_i_arena_alloc0(&a, nent * sizeof *S.seplen);
    S.sepoff = causa_i_arena_alloc(&a, nent * sizeof *S.sepoff);
    S.work = causa_i_arena_alloc0(&a, (size_t)nt * sizeof *S.work);
    S.counts = causa_i_arena_alloc0(&a, (size_t)nt * sizeof *S.counts);
    errs = causa_i_arena_alloc0(&a, (size_t)nt * sizeof *errs);
    scr = causa_i_arena_alloc0(&a, (size_t)nt * sizeof *scr);
    if (!S.rm || !S.seplen || !S.sepoff || !S.work || !S.counts || !errs || !scr) goto nomem;
    int64_t total = 0;
    for (int64_t x = 0; x < p; x++)
        for (int64_t k = g.off[x]; k < g.off[x + 1]; k++) {
            S.sepoff[k] = total;
            total += CAUSA_MIN(poff[x + 1] - poff[x], S.cap);
        }
    S.sep = causa_i_arena_alloc(&a, (size_t)(total > 0 ? total : 1) * sizeof *S.sep);
    if (!S.sep) goto nomem;
    for (int t = 0; t < nt; t++) {
        S.counts[t] = causa_i_arena_alloc0(&a, (size_t)(S.cap + 2) * sizeof **S.counts);
        scr[t].tf = causa_i_arena_alloc(&a, (size_t)(maxpds + 1) * sizeof *scr[t].tf);
        scr[t].c = causa_i_arena_alloc(&a, (size_t)(S.cap + 2) * sizeof *scr[t].c);
        scr[t].z = causa_i_arena_alloc(&a, (size_t)(S.cap + 2) * sizeof *scr[t].z);
        scr[t].inadj = causa_i_arena_alloc0(&a, (size_t)p + 1);
        if (!S.counts[t] || !scr[t].tf || !scr[t].c || !scr[t].z || !scr[t].inadj) goto nomem;
    }
    for (int t = 0; t < nt; t++) CAUSA_TRY(causa_citest_work_new(ctx, test, S.cap, &S.work[t]));
    int64_t npairs = 0, maxsize = 0;
    int stop = run_pass(&S, 0, scr, errs, &npairs, &maxsize, nt);
    if (!stop) stop = run_pass(&S, 1, scr, errs, &npairs, &maxsize, nt);
    causa_i_progress(ctx, "Possible-D-SEP tests", (double)(2 * p), (double)(2 * p));
    /* the report: tests by size */
    int64_t levels = 0;
    for (int t = 0; t < nt; t++)
        for (int64_t d = 1; d <= S.cap; d++)
            if (S.counts[t][d]) levels = CAUSA_MAX(levels, d + 1);
    if (levels > 0) {
        CAUSA_TRY(causa_i_alloc0(ctx, (void **)&f->pds_ntests, (size_t)levels * sizeof *f->pds_ntests,
                                 "test counts"));
        f->pds_nlevels = levels;
        for (int t = 0; t < nt; t++)
            for (int64_t d = 1; d < levels; d++) f->pds_ntests[d] += S.counts[t][d];
    }
    f->pds_pairs = npairs;
    f->pds_max_size = maxsize;
    if (stop) {
        const werr *best = NULL;
        for (int t = 0; t < nt; t++)
            if (errs[t].rc && (!best || errs[t].unit < best->unit)) best = &errs[t];
        if (best) rc = causa_i_fci_test_error(ctx, test, sk, best->rc, best->x, best->y, best->nz,
                                              "(Possible-D-SEP)");
        else rc = causa_i_error(ctx, CAUSA_EINTERRUPTED, "interrupted by the caller");
        goto done;
    }

    /* 4. the removals, in the canonical pair order */
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&set, (size_t)(maxpds + 1) * sizeof *set, "separating set"));
    for (int64_t x = 0; x < p; x++)
        for (int64_t k = g.off[x]; k < g.off[x + 1]; k++) {
            int64_t y = g.nbr[k], t = g.rev[k];
            if (y < x || (!S.rm[k] && !S.rm[t])) continue;
            int64_t e = S.rm[k] ? k : t;
            for (int64_t i = 0; i < S.seplen[e]; i++) set[i] = S.sep[S.sepoff[e] + i];
            CAUSA_TRY(causa_i_fci_separate(ctx, r, x, y, set, S.seplen[e], CAUSA_I_STAGE_PDS, 0));
        }
    causa_i_fci_sort_records(r);
    goto done;
nomem:
    rc = causa_errcode(ctx) == CAUSA_ENOMEM ? CAUSA_ENOMEM : causa_i_nomem(ctx, "Possible-D-SEP stage", 0);
done:
    if (S.work)
        for (int t = 0; t < S.nthreads; t++) causa_citest_work_free(S.work[t]);
    causa_i_free(ctx, pds);
    causa_i_free(ctx, set);
    causa_i_arena_release(&a);
    causa_i_blas_threads_end(blas);
    if (rc == CAUSA_ENOMEM && causa_errcode(ctx) != CAUSA_ENOMEM)
        rc = causa_i_nomem(ctx, "Possible-D-SEP stage", 0);
    return rc;
}
