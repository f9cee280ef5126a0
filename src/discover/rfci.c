/*
 * rfci.c: RFCI, "Really Fast Causal Inference" (Colombo, Maathuis, Kalisch & Richardson
 * 2012, "Learning high-dimensional directed acyclic graphs with latent and selection
 * variables", Ann. Statist. 40: 294-321), after the skeleton phase.
 *
 * RFCI skips FCI's Possible-D-SEP tests. Instead it makes a few tests that make its
 * orientations sound (an arrowhead means "not an ancestor", a tail "an ancestor", in the
 * true graph), at the price of a skeleton that may keep some edges FCI would remove.
 *
 * Algorithm 4.4, the unshielded triples. A queue holds the unshielded triples <X, Y, Z>
 * of the skeleton (X before Z), in the canonical order (Y, X, Z) (pcalg's order). For each
 * triple still unshielded when it comes up, with S = sepset(X, Z) \ {Y} non-empty, test
 * X _||_ Y | S and then Z _||_ Y | S. When one is independent, say X and Y, the edge X - Y
 * is removed with the first subset of S, by size then lexicographically, that separates
 * them (a minimal separating set inside S), and every triple <min(X, Y), M, max(X, Y)>
 * with M adjacent to both joins the queue. (pcalg's rfci.vStruc never checks the triples
 * that join the queue, orienting them unchecked; causa checks them, as Algorithm 4.4 says.)
 * Triples with an empty S are not tested: the skeleton already found X, Y and Z, Y
 * dependent given the empty set. Pairs required by knowledge are never tested.
 *
 * Orientation. Every remaining unshielded triple has passed its checks, so R0 orients
 * X *-> Y <-* Z exactly when Y is not in sepset(X, Z) (fci.c's collider oracle, with the
 * knowledge marks first). Then R1-R10 by the rules engine (src/graph/pag_rules.c) in
 * pcalg's udag2apag order (rounds of R1 to R10), except that R4 is RFCI's (Algorithm 4.5):
 * before R4 uses a discriminating path <T, ..., A, B, C> for B (the shortest, found as
 * pcalg's minDiscrPath does), each pair of consecutive nodes U, V on it is tested given the
 * subsets (by size, lexicographic) of sepset(T, C) \ {U, V}, as pcalg's checkEdges does.
 * Dependence everywhere: R4 orients from sepset(T, C) as in FCI. An independence: the
 * engine is answered at once and its run is discarded from there: the marks go back to
 * what they were when R4 asked (a snapshot), the edge U - V is removed with that set, the
 * triples <min(U, V), M, max(U, V)> are checked as above and those that pass are oriented
 * as colliders when M is not in the new separating set (pcalg's rfci.vStruc inside
 * checkEdges), and the rules carry on from those marks with a new round (pcalg's udag2apag
 * first finishes the round it was in: the same unless the separating sets also conflict
 * there). Path tests already made for the same (T, C, U, V) are not repeated.
 *
 * Everything after the skeleton runs on one thread in the canonical order: the result does
 * not depend on the thread count or on the column order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fci_i.h"

typedef struct triple {
    int64_t x, y, z; /* ranks, x < z */
} triple;

/* A checked path edge: (theta, c) give the separating set, (u, v) the edge. */
typedef struct checked {
    int64_t t, c, u, v;
} checked;

typedef struct rfci {
    causa_ctx *ctx;
    const causa_citest *test;
    const causa_i_kview *kv;
    causa_discovery *r;
    causa_i_skeleton *sk;
    causa_citest_work *work;
    double alpha;
    int64_t p;
    /* the canonical adjacency of the skeleton after the skeleton phase (entries whose pair
     * is no longer adjacent are skipped) */
    int64_t *off, *nbr;
    /* the triple queue */
    triple *q;
    int64_t qhead, qlen, qcap;
    /* scratch */
    int64_t *sep, *sub, *c, *z;
    /* path checks already made */
    checked *done;
    int64_t ndone, capdone;
    /* while the rules run */
    const causa_i_mg *g;
    int64_t *path, *queue, *parent, *vis, stamp;
    int aborted;  /* a path check found an independence (or failed): the marks go back to
                     R->snap, taken when the question was asked */
    unsigned char *snap;
    /* the triples that passed their checks since `collect` was set */
    int collect;
    triple *passed;
    int64_t npassed, cappassed;
    int rc;       /* error from inside the rules */
    int64_t ru, rv, rn; /* the removal found: edge (ru, rv), set in rset[0..rn) */
    int64_t *rset;
} rfci;

static int cmp_checked(const checked *a, const checked *b) {
    if (a->t != b->t) return a->t < b->t ? -1 : 1;
    if (a->c != b->c) return a->c < b->c ? -1 : 1;
    if (a->u != b->u) return a->u < b->u ? -1 : 1;
    return (a->v > b->v) - (a->v < b->v);
}

static int64_t find_checked(const rfci *R, const checked *k, int *found) {
    int64_t lo = 0, hi = R->ndone;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (cmp_checked(&R->done[mid], k) < 0) lo = mid + 1;
        else hi = mid;
    }
    *found = lo < R->ndone && cmp_checked(&R->done[lo], k) == 0;
    return lo;
}

static int add_checked(rfci *R, const checked *k) {
    int found;
    int64_t i = find_checked(R, k, &found);
    if (found) return CAUSA_OK;
    if (R->ndone == R->capdone) {
        int64_t nc = R->capdone ? 2 * R->capdone : 64;
        checked *d = causa_i_realloc(R->ctx, R->done, (size_t)nc * sizeof *d);
        if (!d) return causa_i_nomem(R->ctx, "RFCI path checks", (size_t)nc * sizeof *d);
        R->done = d;
        R->capdone = nc;
    }
    memmove(R->done + i + 1, R->done + i, (size_t)(R->ndone - i) * sizeof *R->done);
    R->done[i] = *k;
    R->ndone++;
    return CAUSA_OK;
}

static int push_triple(rfci *R, int64_t x, int64_t y, int64_t z) {
    if (R->qlen == R->qcap) {
        int64_t nc = R->qcap ? 2 * R->qcap : 64;
        triple *t = causa_i_realloc(R->ctx, R->q, (size_t)nc * sizeof *t);
        if (!t) return causa_i_nomem(R->ctx, "RFCI triples", (size_t)nc * sizeof *t);
        R->q = t;
        R->qcap = nc;
    }
    R->q[R->qlen++] = (triple){CAUSA_MIN(x, z), y, CAUSA_MAX(x, z)};
    return CAUSA_OK;
}

static int adjacent(const rfci *R, int64_t a, int64_t b) {
    return causa_i_pair_adjacent(R->sk->state, R->p, a, b);
}

/* One test; counts it, records the largest p-value of the pair, reports errors. Sets *indep. */
static int test(rfci *R, int64_t x, int64_t y, const int64_t *set, int64_t n, int *indep) {
    for (int64_t i = 0; i < n; i++) R->z[i] = R->sk->order[set[i]];
    causa_citest_result res;
    int rc = causa_citest_run(R->test, R->work, R->sk->order[x], R->sk->order[y], R->z, n, &res);
    R->r->orient_tests++;
    if (rc) return causa_i_fci_test_error(R->ctx, R->test, R->sk, rc, x, y, n, "(RFCI)");
    double *m = &R->sk->pmax[causa_i_pair_key(R->p, x, y)];
    if (isnan(*m) || res.pvalue > *m) *m = res.pvalue;
    *indep = res.pvalue > R->alpha;
    return CAUSA_OK;
}

/* The first subset of set[0..n) (by size 1, 2, ..., n, each lexicographic) given which x
 * and y are independent: written to out, its size to *found (0: none). */
static int minimal_set(rfci *R, int64_t x, int64_t y, const int64_t *set, int64_t n, int64_t *out,
                       int64_t *found) {
    *found = 0;
    for (int64_t k = 1; k <= n; k++) {
        causa_i_comb_first(R->c, k);
        do {
            for (int64_t i = 0; i < k; i++) out[i] = set[R->c[i]];
            int indep = 0;
            int rc = test(R, x, y, out, k, &indep);
            if (rc) return rc;
            if (indep) {
                *found = k;
                return CAUSA_OK;
            }
        } while (causa_i_comb_next(R->c, k, n));
        int rc = causa_i_check_interrupt(R->ctx);
        if (rc) return rc;
    }
    return CAUSA_OK;
}

/* Removes the edge a - b with set[0..n) and queues the triples it unshields. */
static int remove_edge(rfci *R, int64_t a, int64_t b, const int64_t *set, int64_t n, int stage) {
    int rc = causa_i_fci_separate(R->ctx, R->r, a, b, set, n, stage, 1);
    if (rc) return rc;
    int64_t lo = CAUSA_MIN(a, b), hi = CAUSA_MAX(a, b);
    for (int64_t k = R->off[lo]; k < R->off[lo + 1]; k++) {
        int64_t m = R->nbr[k];
        if (m != hi && adjacent(R, lo, m) && adjacent(R, m, hi)) {
            rc = push_triple(R, lo, m, hi);
            if (rc) return rc;
        }
    }
    return CAUSA_OK;
}

static int note_passed(rfci *R, const triple *t) {
    if (!R->collect) return CAUSA_OK;
    if (R->npassed == R->cappassed) {
        int64_t nc = R->cappassed ? 2 * R->cappassed : 16;
        triple *q = causa_i_realloc(R->ctx, R->passed, (size_t)nc * sizeof *q);
        if (!q) return causa_i_nomem(R->ctx, "RFCI triples", (size_t)nc * sizeof *q);
        R->passed = q;
        R->cappassed = nc;
    }
    R->passed[R->npassed++] = *t;
    return CAUSA_OK;
}

/* Algorithm 4.4 over the queue. */
static int check_triples(rfci *R) {
    causa_i_fci_info *f = R->r->fci;
    while (R->qhead < R->qlen) {
        triple t = R->q[R->qhead++];
        if (!adjacent(R, t.x, t.y) || !adjacent(R, t.y, t.z) || adjacent(R, t.x, t.z)) continue;
        int64_t n = causa_i_fci_sepset_ranks(R->sk, t.x, t.z, R->sep), m = 0;
        for (int64_t i = 0; i < n; i++)
            if (R->sep[i] != t.y) R->sep[m++] = R->sep[i];
        f->triples_checked++;
        if (m == 0) {
            int rc = note_passed(R, &t);
            if (rc) return rc;
            continue;
        }
        if ((f->triples_checked & 63) == 0) {
            int rc = causa_i_check_interrupt(R->ctx);
            if (rc) return rc;
            causa_i_progress(R->ctx, "RFCI triple checks", (double)R->qhead, (double)R->qlen);
        }
        const int64_t ends[2] = {t.x, t.z};
        for (int e = 0; e < 2; e++) {
            int64_t v = ends[e];
            if (R->sk->state[causa_i_pair_key(R->p, v, t.y)] != CAUSA_I_PAIR_ADJ) continue; /* required */
            int indep = 0;
            int rc = test(R, v, t.y, R->sep, m, &indep);
            if (rc) return rc;
            if (!indep) continue;
            int64_t k = 0;
            if ((rc = minimal_set(R, v, t.y, R->sep, m, R->sub, &k))) return rc;
            if (k == 0) { /* cannot happen: the whole set separates; keep it */
                memcpy(R->sub, R->sep, (size_t)m * sizeof *R->sub);
                k = m;
            }
            if ((rc = remove_edge(R, v, t.y, R->sub, k, CAUSA_I_STAGE_TRIPLE))) return rc;
        }
        if (adjacent(R, t.x, t.y) && adjacent(R, t.y, t.z)) {
            int rc = note_passed(R, &t);
            if (rc) return rc;
        }
    }
    return CAUSA_OK;
}

/* ---- the rules, with RFCI's R4 ---- */

/* pcalg's minDiscrPath: the shortest discriminating path <t, ..., a, b, c> for b,
 * breadth-first back from a through colliders that are parents of c. Writes t, ..., a to
 * R->path and returns their number, or 0. */
static int64_t discr_path(rfci *R, int64_t a, int64_t b, int64_t c) {
    const causa_i_mg *g = R->g;
    int64_t st = ++R->stamp, head = 0, tail = 0;
    R->vis[a] = R->vis[b] = R->vis[c] = st;
    for (int64_t k = g->off[a]; k < g->off[a + 1]; k++) {
        int64_t d = g->nbr[k];
        if (R->vis[d] != st && g->mark[g->rev[k]] == CAUSA_MARK_ARROW) { /* d *-> a */
            R->queue[tail] = d;
            R->parent[tail++] = -1;
        }
    }
    while (head < tail) {
        int64_t i = head++, d = R->queue[i];
        if (!causa_i_mg_adjacent(g, d, c)) {
            int64_t n = 0;
            for (int64_t j = i; j >= 0; j = R->parent[j]) R->path[n++] = R->queue[j];
            R->path[n++] = a;
            return n;
        }
        int64_t pred = R->parent[i] < 0 ? a : R->queue[R->parent[i]];
        int64_t kc = causa_i_mg_find(g, d, c), kp = causa_i_mg_find(g, pred, d);
        if (R->vis[d] == st || g->mark[kc] != CAUSA_MARK_ARROW || g->mark[g->rev[kc]] != CAUSA_MARK_TAIL ||
            g->mark[kp] != CAUSA_MARK_ARROW)
            continue; /* d must be a collider on the path and a parent of c */
        R->vis[d] = st;
        for (int64_t k = g->off[d]; k < g->off[d + 1]; k++) {
            int64_t e = g->nbr[k];
            if (R->vis[e] != st && g->mark[g->rev[k]] == CAUSA_MARK_ARROW) { /* e *-> d */
                R->queue[tail] = e;
                R->parent[tail++] = i;
            }
        }
    }
    return 0;
}

/* Algorithm 4.5 on the path R->path[0..n) followed by b, c: returns 1 if an edge was found
 * independent (R->ru, R->rv, R->rset, R->rn set), 0 if not, or -1 on error (R->rc). */
static int check_path(rfci *R, int64_t n, int64_t b, int64_t c) {
    int64_t t = R->path[0];
    R->path[n] = b;
    R->path[n + 1] = c;
    int64_t ns = causa_i_fci_sepset_ranks(R->sk, t, c, R->sep);
    if (ns == 0) return 0;
    R->r->fci->paths_checked++;
    for (int64_t i = 0; i + 1 < n + 2; i++) {
        int64_t u = R->path[i], v = R->path[i + 1];
        checked key = {t, c, u, v};
        int found;
        find_checked(R, &key, &found);
        if (found) continue;
        int64_t m = 0;
        for (int64_t j = 0; j < ns; j++)
            if (R->sep[j] != u && R->sep[j] != v) R->sub[m++] = R->sep[j];
        if (m > 0 && R->sk->state[causa_i_pair_key(R->p, u, v)] == CAUSA_I_PAIR_ADJ) {
            int64_t k = 0;
            int rc = minimal_set(R, u, v, R->sub, m, R->rset, &k);
            if (rc) {
                R->rc = rc;
                return -1;
            }
            if (k > 0) {
                R->ru = u;
                R->rv = v;
                R->rn = k;
                return 1;
            }
        }
        int rc = add_checked(R, &key);
        if (rc) {
            R->rc = rc;
            return -1;
        }
    }
    return 0;
}

static int rfci_collider(void *ud, int64_t x, int64_t prev, int64_t b, int64_t y) {
    rfci *R = ud;
    causa_i_fci_sepsets s = {R->sk, R->kv};
    if (prev == x) return causa_i_fci_collider(&s, x, prev, b, y); /* R0 */
    if (R->aborted) return 0; /* this run will be discarded */
    int64_t n = discr_path(R, prev, b, y);
    if (n == 0) return causa_i_fci_collider(&s, x, prev, b, y); /* not expected */
    int v = check_path(R, n, b, y);
    if (v != 0) {
        memcpy(R->snap, R->g->mark, (size_t)(2 * R->g->m));
        R->aborted = 1;
        return 0;
    }
    return causa_i_fci_collider(&s, R->path[0], prev, b, y);
}

int causa_i_rfci_orient(causa_ctx *ctx, const causa_citest *test, const causa_i_kview *kv,
                        causa_discovery *r) {
    causa_i_skeleton *sk = &r->sk;
    int64_t p = sk->p;
    int rc = CAUSA_OK;
    rfci R;
    memset(&R, 0, sizeof R);
    R.ctx = ctx;
    R.test = test;
    R.kv = kv;
    R.r = r;
    R.sk = sk;
    R.alpha = r->opt.alpha;
    R.p = p;
    size_t np = (size_t)(p + 2);
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    CAUSA_TRY(causa_i_fci_info_new(ctx, r));
    CAUSA_TRY(causa_citest_work_new(ctx, test, p > 2 ? p - 2 : 0, &R.work));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.off, np * sizeof *R.off, "RFCI adjacency"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.sep, np * sizeof *R.sep, "RFCI sets"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.sub, np * sizeof *R.sub, "RFCI sets"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.c, np * sizeof *R.c, "RFCI sets"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.z, np * sizeof *R.z, "RFCI sets"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.rset, np * sizeof *R.rset, "RFCI sets"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.path, np * sizeof *R.path, "RFCI paths"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&R.vis, np * sizeof *R.vis, "RFCI paths"));
    /* the skeleton's adjacency, canonical order */
    int64_t total = 0;
    for (int64_t x = 0; x < p; x++) {
        R.off[x] = total;
        for (int64_t y = 0; y < p; y++) total += y != x && adjacent(&R, x, y);
    }
    R.off[p] = total;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.nbr, (size_t)(total > 0 ? total : 1) * sizeof *R.nbr,
                            "RFCI adjacency"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.queue, (size_t)(total + 1) * sizeof *R.queue, "RFCI paths"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&R.parent, (size_t)(total + 1) * sizeof *R.parent, "RFCI paths"));
    for (int64_t x = 0, k = 0; x < p; x++)
        for (int64_t y = 0; y < p; y++)
            if (y != x && adjacent(&R, x, y)) R.nbr[k++] = y;

    /* Algorithm 4.4: the unshielded triples in the order (y, x, z) */
    for (int64_t y = 0; y < p; y++)
        for (int64_t i = R.off[y]; i < R.off[y + 1]; i++)
            for (int64_t j = i + 1; j < R.off[y + 1]; j++)
                if (!adjacent(&R, R.nbr[i], R.nbr[j])) CAUSA_TRY(push_triple(&R, R.nbr[i], y, R.nbr[j]));
    CAUSA_TRY(check_triples(&R));

    /* o-o, knowledge, R0, then the rules with Algorithm 4.5. After a path check removed an
     * edge, the marks go back to what they were when R4 asked, the edge goes, the triples
     * it unshields are checked and those that pass oriented (pcalg's rfci.vStruc inside
     * checkEdges), and the rules carry on from there. */
    causa_i_mg g;
    CAUSA_TRY(causa_i_fci_build_mg(ctx, &a, sk, &g));
    causa_i_fci_knowledge(kv, sk, &g);
    causa_i_fci_sepsets s = {sk, kv};
    CAUSA_TRY(causa_i_fci_r0(ctx, &g, &s, &r->ncolliders));
    R.collect = 1;
    for (;;) {
        R.g = &g;
        R.aborted = 0;
        R.rc = CAUSA_OK;
        R.snap = causa_i_arena_alloc(&a, (size_t)(2 * g.m + 1));
        if (!R.snap) {
            rc = CAUSA_ENOMEM;
            goto done;
        }
        causa_i_pag_rules rules = {rfci_collider, &R, CAUSA_I_PAG_ALL, 0, CAUSA_I_PAG_SCHED_RFCI};
        rc = causa_i_pag_apply_rules(ctx, &a, &g, &rules);
        R.g = NULL;
        if (!rc) rc = R.rc;
        if (rc) goto done;
        if (!R.aborted) break;
        memcpy(g.mark, R.snap, (size_t)(2 * g.m));
        r->fci->restarts++;
        R.npassed = 0;
        CAUSA_TRY(remove_edge(&R, R.ru, R.rv, R.rset, R.rn, CAUSA_I_STAGE_PATH));
        CAUSA_TRY(check_triples(&R));
        causa_i_mg h;
        CAUSA_TRY(causa_i_fci_build_mg(ctx, &a, sk, &h));
        for (int64_t k = 0; k < 2 * h.m; k++) h.mark[k] = g.mark[causa_i_mg_find(&g, h.src[k], h.nbr[k])];
        for (int64_t i = 0; i < R.npassed; i++) {
            triple t = R.passed[i];
            if (!adjacent(&R, t.x, t.y) || !adjacent(&R, t.y, t.z) || adjacent(&R, t.x, t.z) ||
                !causa_i_fci_collider(&s, t.x, t.x, t.y, t.z))
                continue;
            h.mark[causa_i_mg_find(&h, t.x, t.y)] = CAUSA_MARK_ARROW;
            h.mark[causa_i_mg_find(&h, t.z, t.y)] = CAUSA_MARK_ARROW;
            r->ncolliders++;
        }
        g = h;
    }
    CAUSA_TRY(causa_i_fci_output(ctx, r, &g));
done:
    if (rc == CAUSA_ENOMEM && causa_errcode(ctx) != CAUSA_ENOMEM) rc = causa_i_nomem(ctx, "RFCI", 0);
    causa_i_arena_release(&a);
    causa_citest_work_free(R.work);
    causa_i_free(ctx, R.off);
    causa_i_free(ctx, R.nbr);
    causa_i_free(ctx, R.q);
    causa_i_free(ctx, R.sep);
    causa_i_free(ctx, R.sub);
    causa_i_free(ctx, R.c);
    causa_i_free(ctx, R.z);
    causa_i_free(ctx, R.rset);
    causa_i_free(ctx, R.path);
    causa_i_free(ctx, R.vis);
    causa_i_free(ctx, R.queue);
    causa_i_free(ctx, R.parent);
    causa_i_free(ctx, R.done);
    causa_i_free(ctx, R.passed);
    return rc;
}
