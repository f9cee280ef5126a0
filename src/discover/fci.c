/*
 * fci.c: FCI (Spirtes, Meek & Richardson 1999; Spirtes, Glymour & Scheines 2000, ch. 6;
 * orientation rules of Zhang 2008) after the skeleton phase, and what FCI and RFCI share.
 *
 *  1. Skeleton: skeleton.c (stable by default), with its separating sets and largest
 *     p-values (run by causa_discover before this file is called).
 *  2. Possible-D-SEP stage (possible_dsep.c; skipped with opt.possible_dsep = 0, pcalg's
 *     doPdsep = FALSE): R0 on the skeleton, Possible-D-SEP(X) for every X, and for every
 *     remaining edge X *-* Y tests of X _||_ Y given subsets of Possible-D-SEP(X) \ {Y},
 *     then of Possible-D-SEP(Y) \ {X}; separated pairs are removed with their sets.
 *  3. Every edge is made o-o again; knowledge marks (Tetrad's fciOrientbk: X --> Y
 *     forbidden puts an arrowhead at X, required X --> Y makes X --> Y); R0 (an unshielded
 *     triple X *-* B *-* Y is a collider iff B is not in sepset(X, Y); knowledge vetoes a
 *     collider whose arrowhead at B contradicts a required edge out of B); then R1-R10 by
 *     the rules engine of src/graph/pag_rules.c, with R4's collider question answered from
 *     the separating sets in the same way.
 *
 * Everything runs in rank space (fci_i.h), so the output depends on the variable names, not
 * on the column order, and the parallel test stages (skeleton, Possible-D-SEP) give the same
 * result for any thread count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fci_i.h"

/* ---- the FCI information of a result ---- */

int causa_i_fci_info_new(causa_ctx *ctx, causa_discovery *r) {
    if (r->fci) return CAUSA_OK;
    r->fci = causa_i_calloc(ctx, 1, sizeof *r->fci);
    if (!r->fci) return causa_i_nomem(ctx, "FCI report", sizeof *r->fci);
    return CAUSA_OK;
}

void causa_i_fci_info_free(causa_ctx *ctx, struct causa_i_fci_info *f) {
    if (!f) return;
    causa_i_free(ctx, f->pds_ntests);
    causa_i_free(ctx, f->removed);
    causa_i_free(ctx, f);
}

static int cmp_removal(const void *a, const void *b) {
    int64_t x = ((const causa_i_removal *)a)->key, y = ((const causa_i_removal *)b)->key;
    return (x > y) - (x < y);
}

int causa_i_fci_stage(const causa_discovery *r, int64_t a, int64_t b) {
    if (!r->fci || r->fci->nremoved == 0) return 0;
    causa_i_removal key = {causa_i_pair_key(r->sk.p, a, b), 0};
    const causa_i_removal *f =
        bsearch(&key, r->fci->removed, (size_t)r->fci->nremoved, sizeof key, cmp_removal);
    return f ? f->stage : 0;
}

const char *causa_i_fci_stage_name(int stage) {
    switch (stage) {
    case CAUSA_I_STAGE_PDS: return "possible-dsep";
    case CAUSA_I_STAGE_TRIPLE: return "rfci-triple";
    case CAUSA_I_STAGE_PATH: return "rfci-path";
    default: return "skeleton";
    }
}

/* ---- separating sets ---- */

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int causa_i_fci_in_sepset(const causa_i_skeleton *sk, int64_t a, int64_t b, int64_t v) {
    if (sk->state[causa_i_pair_key(sk->p, a, b)] != CAUSA_I_PAIR_SEPK) return 0;
    const causa_i_seprec *rec = causa_i_skeleton_find(sk, a, b);
    if (!rec) return 0;
    int64_t ov = sk->order[v];
    return bsearch(&ov, sk->pool + rec->off, (size_t)rec->len, sizeof ov, cmp_i64) != NULL;
}

int64_t causa_i_fci_sepset_ranks(const causa_i_skeleton *sk, int64_t a, int64_t b, int64_t *out) {
    if (sk->state[causa_i_pair_key(sk->p, a, b)] != CAUSA_I_PAIR_SEPK) return 0;
    const causa_i_seprec *rec = causa_i_skeleton_find(sk, a, b);
    if (!rec) return 0;
    for (int64_t i = 0; i < rec->len; i++) out[i] = sk->rank[sk->pool[rec->off + i]];
    qsort(out, (size_t)rec->len, sizeof *out, cmp_i64);
    return rec->len;
}

static int cmp_rec(const void *a, const void *b) {
    int64_t x = ((const causa_i_seprec *)a)->key, y = ((const causa_i_seprec *)b)->key;
    return (x > y) - (x < y);
}

void causa_i_fci_sort_records(causa_discovery *r) {
    causa_i_skeleton *sk = &r->sk;
    if (sk->nrecs > 1) qsort(sk->recs, (size_t)sk->nrecs, sizeof *sk->recs, cmp_rec);
    causa_i_fci_info *f = r->fci;
    if (f && f->nremoved > 1) qsort(f->removed, (size_t)f->nremoved, sizeof *f->removed, cmp_removal);
}

int causa_i_fci_separate(causa_ctx *ctx, causa_discovery *r, int64_t a, int64_t b,
                         const int64_t *set, int64_t n, int stage, int sorted) {
    causa_i_skeleton *sk = &r->sk;
    causa_i_fci_info *f = r->fci;
    int64_t key = causa_i_pair_key(sk->p, a, b);
    if (sk->nrecs == sk->caprecs) {
        int64_t nc = sk->caprecs ? 2 * sk->caprecs : 64;
        causa_i_seprec *q = causa_i_realloc(ctx, sk->recs, (size_t)nc * sizeof *q);
        if (!q) return causa_i_nomem(ctx, "separating sets", (size_t)nc * sizeof *q);
        sk->recs = q;
        sk->caprecs = nc;
    }
    if (sk->npool + n > sk->cappool) {
        int64_t nc = CAUSA_MAX(sk->npool + n, sk->cappool ? 2 * sk->cappool : 256);
        int64_t *q = causa_i_realloc(ctx, sk->pool, (size_t)nc * sizeof *q);
        if (!q) return causa_i_nomem(ctx, "separating sets", (size_t)nc * sizeof *q);
        sk->pool = q;
        sk->cappool = nc;
    }
    if (f->nremoved == f->capremoved) {
        int64_t nc = f->capremoved ? 2 * f->capremoved : 32;
        causa_i_removal *q = causa_i_realloc(ctx, f->removed, (size_t)nc * sizeof *q);
        if (!q) return causa_i_nomem(ctx, "removed pairs", (size_t)nc * sizeof *q);
        f->removed = q;
        f->capremoved = nc;
    }
    int64_t *dst = sk->pool + sk->npool;
    for (int64_t i = 0; i < n; i++) dst[i] = sk->order[set[i]];
    qsort(dst, (size_t)n, sizeof *dst, cmp_i64);
    causa_i_seprec rec = {key, n, sk->npool, n};
    sk->npool += n;
    causa_i_removal rm = {key, stage};
    if (sorted) {
        /* insert in place: the lists stay sorted for the lookups that follow */
        int64_t i = sk->nrecs;
        while (i > 0 && sk->recs[i - 1].key > key) i--;
        memmove(sk->recs + i + 1, sk->recs + i, (size_t)(sk->nrecs - i) * sizeof *sk->recs);
        sk->recs[i] = rec;
        int64_t j = f->nremoved;
        while (j > 0 && f->removed[j - 1].key > key) j--;
        memmove(f->removed + j + 1, f->removed + j, (size_t)(f->nremoved - j) * sizeof *f->removed);
        f->removed[j] = rm;
    } else {
        sk->recs[sk->nrecs] = rec;
        f->removed[f->nremoved] = rm;
    }
    sk->nrecs++;
    f->nremoved++;
    sk->state[key] = CAUSA_I_PAIR_SEPK;
    return CAUSA_OK;
}

/* ---- the PAG in rank space ---- */

int causa_i_fci_build_mg(causa_ctx *ctx, causa_i_arena *a, const causa_i_skeleton *sk,
                         causa_i_mg *g) {
    (void)ctx; /* the arena reports failures */
    int64_t p = sk->p, m2 = 0;
    memset(g, 0, sizeof *g);
    g->p = p;
    g->off = causa_i_arena_alloc(a, (size_t)(p + 1) * sizeof *g->off);
    int64_t *pos = causa_i_arena_alloc0(a, (size_t)(p + 1) * sizeof *pos);
    int32_t *idx = causa_i_arena_alloc(a, (size_t)(p > 0 ? p : 1) * sizeof *idx);
    if (!g->off || !pos || !idx) return CAUSA_ENOMEM;
    /* One pass over the pair states row by row (row x: the pairs (x, y > x), contiguous)
     * counts the degrees, a second fills the lists: adding (x, y) to both ends while x,
     * then y, ascends leaves every list sorted and gives each entry its mirror at once. The
     * look-up of all p^2 ordered pairs this replaces strided through the state array for
     * y < x. */
    causa_i_pair_degrees(sk->state, p, idx, pos);
    for (int64_t x = 0; x < p; x++) {
        g->off[x] = m2;
        m2 += pos[x];
        pos[x] = 0;
    }
    g->off[p] = m2;
    g->m = m2 / 2;
    size_t n = (size_t)(m2 > 0 ? m2 : 1);
    g->nbr = causa_i_arena_alloc(a, n * sizeof *g->nbr);
    g->rev = causa_i_arena_alloc(a, n * sizeof *g->rev);
    g->src = causa_i_arena_alloc(a, n * sizeof *g->src);
    g->mark = causa_i_arena_alloc(a, n);
    if (!g->nbr || !g->rev || !g->src || !g->mark) return CAUSA_ENOMEM;
    for (int64_t x = 0; x + 1 < p; x++) {
        int64_t ne = causa_i_row_edges(sk->state, p, x, idx);
        for (int64_t e = 0; e < ne; e++) {
            int64_t y = x + 1 + idx[e];
            int64_t s = g->off[x] + pos[x]++, t = g->off[y] + pos[y]++;
            g->nbr[s] = y;
            g->src[s] = x;
            g->nbr[t] = x;
            g->src[t] = y;
            g->rev[s] = t;
            g->rev[t] = s;
        }
    }
    memset(g->mark, CAUSA_MARK_CIRCLE, (size_t)m2);
    return CAUSA_OK;
}

int64_t causa_i_fci_knowledge(const causa_i_kview *kv, const causa_i_skeleton *sk, causa_i_mg *g) {
    if (!kv || !kv->k) return 0;
    int64_t n = 0;
    for (int64_t x = 0; x < g->p; x++)
        for (int64_t k = g->off[x]; k < g->off[x + 1]; k++) {
            int64_t y = g->nbr[k], ox = sk->order[x], oy = sk->order[y];
            /* entry k: x's list, mark[k] at y, mark[rev[k]] at x */
            if (causa_i_kview_required(kv, ox, oy)) { /* x --> y */
                causa_i_mg_set(g, k, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW);
                n++;
            }
            if (causa_i_kview_forbidden(kv, ox, oy)) { /* x is not a cause of y: y *-> x */
                g->mark[g->rev[k]] = CAUSA_MARK_ARROW;
                n++;
            }
        }
    return n;
}

int causa_i_fci_collider(void *ud, int64_t x, int64_t prev, int64_t b, int64_t y) {
    const causa_i_fci_sepsets *s = ud;
    if (prev == x && s->kv && s->kv->k) {
        int64_t ob = s->sk->order[b];
        if (causa_i_kview_required(s->kv, ob, s->sk->order[x]) ||
            causa_i_kview_required(s->kv, ob, s->sk->order[y]))
            return 0;
    }
    return !causa_i_fci_in_sepset(s->sk, x, y, b);
}

/* Counts R0's colliders: wraps the oracle while R0 runs. */
typedef struct counting {
    causa_i_collider_fn fn;
    void *ud;
    int64_t n;
} counting;

static int count_collider(void *ud, int64_t x, int64_t prev, int64_t b, int64_t y) {
    counting *c = ud;
    int v = c->fn(c->ud, x, prev, b, y);
    c->n += v;
    return v;
}

int causa_i_fci_r0(causa_ctx *ctx, causa_i_mg *g, causa_i_fci_sepsets *s, int64_t *ncolliders) {
    counting c = {causa_i_fci_collider, s, 0};
    causa_i_pag_rules rules = {count_collider, &c, CAUSA_I_PAG_ALL, 0, CAUSA_I_PAG_SCHED_FCI};
    int rc = causa_i_pag_orient_colliders(ctx, g, &rules);
    if (ncolliders) *ncolliders = c.n;
    return rc;
}

int causa_i_fci_rules(causa_ctx *ctx, causa_i_arena *a, causa_i_mg *g, causa_i_collider_fn fn,
                      void *ud, int64_t *ncolliders) {
    counting c = {fn, ud, 0};
    causa_i_pag_rules rules = {count_collider, &c, CAUSA_I_PAG_ALL, 0, CAUSA_I_PAG_SCHED_FCI};
    int rc = causa_i_pag_orient_colliders(ctx, g, &rules);
    if (rc) return rc;
    if (ncolliders) *ncolliders = c.n;
    rules.collider = fn;
    rules.ud = ud;
    rc = causa_i_pag_apply_rules(ctx, a, g, &rules);
    if (rc == CAUSA_ENOMEM && causa_errcode(ctx) != CAUSA_ENOMEM)
        rc = causa_i_nomem(ctx, "orientation rules", 0);
    return rc;
}

int causa_i_fci_output(causa_ctx *ctx, causa_discovery *r, const causa_i_mg *g) {
    const causa_i_skeleton *sk = &r->sk;
    int64_t p = sk->p;
    causa_graph *out = NULL;
    int rc = causa_graph_new(ctx, p, (const char *const *)r->names, &out);
    if (rc) return rc;
    int64_t ntr = 0;
    for (int64_t x = 0; x < p && !rc; x++)
        for (int64_t k = g->off[x]; k < g->off[x + 1] && !rc; k++) {
            int64_t y = g->nbr[k];
            for (int64_t j = k + 1; j < g->off[x + 1]; j++)
                ntr += !causa_i_mg_adjacent(g, y, g->nbr[j]);
            if (y < x) continue;
            rc = causa_graph_add_edge(ctx, out, sk->order[x], sk->order[y], g->mark[g->rev[k]], g->mark[k]);
        }
    r->ntriples = ntr;
    if (rc) {
        causa_graph_free(out);
        return rc;
    }
    int krc = causa_graph_set_kind(ctx, out, CAUSA_KIND_PAG);
    if (krc == CAUSA_ENOMEM) {
        causa_graph_free(out);
        return krc;
    }
    if (krc != CAUSA_OK) {
        snprintf(r->note, sizeof r->note,
                 "the orientation rules left marks that are not a valid PAG (%s); the graph is "
                 "returned as a mixed graph",
                 causa_errmsg(ctx));
        causa_clear_error(ctx);
        causa_i_log(ctx, CAUSA_LOG_WARN, "%s", r->note);
    }
    r->graph = out;
    return CAUSA_OK;
}

int causa_i_fci_test_error(causa_ctx *ctx, const causa_citest *test, const causa_i_skeleton *sk,
                           int rc, int64_t x, int64_t y, int64_t nz, const char *when) {
    if (rc == CAUSA_ENOMEM && causa_errcode(ctx) == CAUSA_ENOMEM) return rc;
    if (rc == CAUSA_EINTERRUPTED) return causa_i_error(ctx, rc, "interrupted by the caller");
    const char *why = rc == CAUSA_EDATA ? "too few rows for a conditioning set of this size (Fisher-z "
                                          "needs n - |S| - 3 > 0)"
                                        : causa_strerror(rc);
    return causa_i_error(ctx, rc, "the CI test of %s and %s given %lld variable%s %s failed: %s",
                         causa_citest_var_name(test, sk->order[x]), causa_citest_var_name(test, sk->order[y]),
                         (long long)nz, nz == 1 ? "" : "s", when, why);
}

/* ---- options and getters ---- */

int causa_i_fci_check_options(causa_ctx *ctx, const causa_discover_options *o) {
    const char *a = causa_algorithm_name(o->algorithm);
    if (o->colliders != CAUSA_COLLIDERS_SEPSETS)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "colliders must be CAUSA_COLLIDERS_SEPSETS for %s (conservative, "
                             "majority and max-P collider rules are PC's), got %d",
                             a, o->colliders);
    if (o->conflicts != CAUSA_CONFLICT_PRIORITY)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "conflicts must be CAUSA_CONFLICT_PRIORITY for %s (its colliders only "
                             "add arrowheads, they never conflict), got %d",
                             a, o->conflicts);
    if (o->order != CAUSA_ORDER_AUTO && o->order != CAUSA_ORDER_TRIPLES)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "order must be CAUSA_ORDER_AUTO or _TRIPLES for %s, got %d", a, o->order);
    if (o->possible_dsep != 0 && o->possible_dsep != 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "possible_dsep must be 0 or 1, got %d", o->possible_dsep);
    if (o->max_path_length < -1 || o->max_path_length == 0)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "max_path_length must be >= 1, or -1 for no limit, got %lld",
                             (long long)o->max_path_length);
    return CAUSA_OK;
}

int64_t causa_discovery_pds_ntests(const causa_discovery *r, int64_t size) {
    if (!r || !r->fci || !r->fci->pds_ntests) return 0;
    const causa_i_fci_info *f = r->fci;
    if (size < 0) {
        int64_t s = 0;
        for (int64_t d = 0; d < f->pds_nlevels; d++) s += f->pds_ntests[d];
        return s;
    }
    return size < f->pds_nlevels ? f->pds_ntests[size] : 0;
}

const char *causa_discovery_pair_stage(const causa_discovery *r, int64_t a, int64_t b) {
    if (!r || a < 0 || b < 0 || a >= r->sk.p || b >= r->sk.p || a == b) return NULL;
    int64_t ra = r->sk.rank[a], rb = r->sk.rank[b];
    int s = r->sk.state[causa_i_pair_key(r->sk.p, ra, rb)];
    if (s != CAUSA_I_PAIR_SEP0 && s != CAUSA_I_PAIR_SEPK) return NULL;
    return causa_i_fci_stage_name(causa_i_fci_stage(r, ra, rb));
}

int causa_i_fci_json_report(const causa_discovery *r, causa_i_buf *b) {
    const causa_i_fci_info *f = r->fci;
    int64_t by[4] = {0, 0, 0, 0};
    for (int64_t i = 0; i < f->nremoved; i++) by[f->removed[i].stage & 3]++;
    int rc;
    if (r->opt.algorithm == CAUSA_ALGO_FCI) {
        rc = causa_i_buf_printf(b, "    \"possible_dsep\": {\"tests_by_size\": [");
        for (int64_t d = 0; d < f->pds_nlevels && !rc; d++)
            rc = causa_i_buf_printf(b, "%s%lld", d ? ", " : "", (long long)f->pds_ntests[d]);
        if (rc) return rc;
        return causa_i_buf_printf(b,
                                  "], \"tests\": %lld, \"pairs_tested\": %lld, \"largest_set\": %lld, "
                                  "\"removed\": %lld},\n",
                                  (long long)causa_discovery_pds_ntests(r, -1), (long long)f->pds_pairs,
                                  (long long)f->pds_max_size, (long long)by[CAUSA_I_STAGE_PDS]);
    }
    return causa_i_buf_printf(b,
                              "    \"rfci\": {\"triples_checked\": %lld, \"paths_checked\": %lld, "
                              "\"removed_by_triples\": %lld, \"removed_by_paths\": %lld, \"restarts\": %lld},\n",
                              (long long)f->triples_checked, (long long)f->paths_checked,
                              (long long)by[CAUSA_I_STAGE_TRIPLE], (long long)by[CAUSA_I_STAGE_PATH],
                              (long long)f->restarts);
}

/* ---- FCI ---- */

int causa_i_fci_orient(causa_ctx *ctx, const causa_citest *test, const causa_i_kview *kv,
                       causa_discovery *r) {
    int rc = CAUSA_OK;
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    CAUSA_TRY(causa_i_fci_info_new(ctx, r));
    if (r->opt.possible_dsep) {
        double t0 = causa_i_now();
        CAUSA_TRY(causa_i_fci_pds_stage(ctx, test, kv, r));
        r->fci->pds_seconds = causa_i_now() - t0;
    }
    causa_i_mg g;
    rc = causa_i_fci_build_mg(ctx, &a, &r->sk, &g);
    if (rc) goto done;
    causa_i_fci_knowledge(kv, &r->sk, &g);
    causa_i_fci_sepsets s = {&r->sk, kv};
    CAUSA_TRY(causa_i_fci_rules(ctx, &a, &g, causa_i_fci_collider, &s, &r->ncolliders));
    CAUSA_TRY(causa_i_fci_output(ctx, r, &g));
done:
    if (rc == CAUSA_ENOMEM && causa_errcode(ctx) != CAUSA_ENOMEM)
        rc = causa_i_nomem(ctx, "FCI orientation", 0);
    causa_i_arena_release(&a);
    return rc;
}
