/*
 * latent.c: latent projections of a DAG, and the PAG of a MAG.
 *
 * Nodes flagged CAUSA_NODE_LATENT are marginalised, nodes flagged CAUSA_NODE_SELECTION are
 * conditioned on (a node with both flags counts as a selection node); the others, O, are
 * kept in their order.
 *
 * MAG (Richardson & Spirtes 2002, "Ancestral graph Markov models", Ann. Statist. 30,
 * section 4.2.3): a, b in O are adjacent iff the DAG has an inducing path between them
 * relative to (L, S): every non-endpoint is a collider or in L, and every collider is an
 * ancestor of {a, b} u S. The mark at b is a tail iff b is an ancestor of {a} u S, else an
 * arrowhead (and symmetrically at a). The search for an inducing path is a breadth-first
 * search over (node, entered through an arrowhead?) states, so it runs over walks; a walk
 * obeying the rules contains a path obeying them (the unit tests check the two against
 * each other by enumerating simple paths). Cost O(|O|^2 (p + e)).
 *
 * ADMG (Verma & Pearl's latent projection; e.g. Evans 2016, "Graphs for margins of
 * Bayesian networks", Scand. J. Statist. 43): a --> b iff the DAG has a directed path
 * from a to b whose inner nodes are all latent; a <-> b iff some latent l has directed
 * paths to a and to b with latent inner nodes. Both may hold (a bow). Selection has no
 * ADMG projection: CAUSA_EINVAL. Cost O(p (p + e) + bidirected edges).
 *
 * PAG of a MAG: the skeleton with o-o edges, the MAG's unshielded colliders (R0), then
 * FCI's rules R1-R10 (pag_rules.c) with the MAG answering R4's collider question.
 */
#include <stdlib.h>
#include <string.h>

#include "equiv_i.h"
#include "graph_i.h"
#include "pag_rules.h"

/* Marks in `mark` (stamps) the ancestors of the nodes queued in stack[0..n-1]. */
static void ancestors(const causa_i_mg *g, int64_t *mark, int64_t stamp, int64_t *stack, int64_t n) {
    for (int64_t i = 0; i < n; i++) mark[stack[i]] = stamp;
    while (n > 0) {
        int64_t v = stack[--n];
        for (int64_t k = g->off[v]; k < g->off[v + 1]; k++)
            if (causa_i_mg_is_in(g, k) && mark[g->nbr[k]] != stamp) {
                mark[g->nbr[k]] = stamp;
                stack[n++] = g->nbr[k];
            }
    }
}

typedef struct proj {
    const causa_i_mg *g;
    const unsigned char *lat;       /* latent and not selection */
    const int64_t *an_a, *an_b;     /* An({a} u S) and An(b) as stamps */
    int64_t sa, sb;                 /* their stamps */
    int64_t *vis, *queue, stamp;    /* vis: 2 per node */
} proj;

/* Is there an inducing path between a and b? State (v, 0): v entered through an
 * arrowhead at v; (v, 1): through a tail at v. */
static int inducing(proj *s, int64_t a, int64_t b) {
    const causa_i_mg *g = s->g;
    int64_t st = ++s->stamp, head = 0, tail = 0;
    for (int64_t k = g->off[a]; k < g->off[a + 1]; k++) {
        int64_t w = g->nbr[k];
        if (w == b) return 1;
        int d = causa_i_mg_is_out(g, k) ? 0 : 1;
        if (s->vis[2 * w + d] != st) {
            s->vis[2 * w + d] = st;
            s->queue[tail++] = 2 * w + d;
        }
    }
    while (head < tail) {
        int64_t v = s->queue[head] / 2;
        int d = (int)(s->queue[head] % 2);
        head++;
        int in_a = s->an_a[v] == s->sa || s->an_b[v] == s->sb;
        for (int64_t k = g->off[v]; k < g->off[v + 1]; k++) {
            int64_t x = g->nbr[k];
            int out = causa_i_mg_is_out(g, k);
            int collider = !out && d == 0;
            if (collider ? !in_a : !s->lat[v]) continue;
            if (x == b) return 1;
            if (x == a) continue;
            int nd = out ? 0 : 1;
            if (s->vis[2 * x + nd] != st) {
                s->vis[2 * x + nd] = st;
                s->queue[tail++] = 2 * x + nd;
            }
        }
    }
    return 0;
}

typedef struct pedge {
    int64_t a, b; /* new indices, a < b */
    int ma, mb;
    int bidirected;
} pedge;

static int pedge_cmp(const void *x, const void *y) {
    const pedge *e = x, *f = y;
    if (e->a != f->a) return e->a < f->a ? -1 : 1;
    if (e->b != f->b) return e->b < f->b ? -1 : 1;
    return e->bidirected - f->bidirected;
}

int causa_graph_latent_project(causa_ctx *ctx, const causa_graph *dag, int to_mag,
                               causa_graph **out) {
    if (!ctx || !dag || !out)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_latent_project: NULL argument");
    *out = NULL;
    int rc = CAUSA_OK;
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    causa_graph *res = NULL;
    const char **names = NULL;
    pedge *edges = NULL;
    size_t nedges = 0, cap = 0;
    causa_i_mg g;
    CAUSA_TRY(causa_i_mg_from_graph(ctx, &a, dag, "causa_graph_latent_project", &g));
    CAUSA_TRY(causa_i_mg_check_pdag(ctx, dag, &g, 0, "causa_graph_latent_project"));
    CAUSA_TRY(causa_i_mg_acyclic(ctx, &a, dag, &g, "causa_graph_latent_project: the DAG has a ",
                                 NULL));
    int64_t p = g.p, nobs = 0, nsel = 0;
    int64_t *newid = causa_i_arena_alloc(&a, (size_t)(p + 1) * sizeof *newid);
    unsigned char *lat = causa_i_arena_alloc0(&a, (size_t)p + 1);
    int64_t *obs = causa_i_arena_alloc(&a, (size_t)(p + 1) * sizeof *obs);
    int64_t *stack = causa_i_arena_alloc(&a, (size_t)(p + 1) * sizeof *stack);
    if (!newid || !lat || !obs || !stack) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    for (int64_t v = 0; v < p; v++) {
        int f = causa_graph_node_flags(dag, v);
        newid[v] = -1;
        if (f & CAUSA_NODE_SELECTION)
            stack[nsel++] = v;
        else if (f & CAUSA_NODE_LATENT)
            lat[v] = 1;
        else {
            newid[v] = nobs;
            obs[nobs++] = v;
        }
    }
    if (!to_mag && nsel > 0) {
        rc = causa_i_error(ctx, CAUSA_EINVAL,
                           "causa_graph_latent_project: %s is a selection node, and an ADMG "
                           "cannot represent selection (project to a MAG: to_mag = 1)",
                           causa_graph_name(dag, stack[0]));
        goto done;
    }
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&names, (size_t)(nobs + 1) * sizeof *names, "node names"));
    for (int64_t i = 0; i < nobs; i++) names[i] = causa_graph_name(dag, obs[i]);

    if (to_mag) {
        int64_t *an_s = causa_i_arena_alloc0(&a, (size_t)(p + 1) * sizeof *an_s);
        int64_t *an_a = causa_i_arena_alloc0(&a, (size_t)(p + 1) * sizeof *an_a);
        int64_t *an_b = causa_i_arena_alloc0(&a, (size_t)(p + 1) * sizeof *an_b);
        proj s = {&g, lat, an_a, an_b, 0, 0, NULL, NULL, 0};
        s.vis = causa_i_arena_alloc0(&a, (size_t)(2 * p + 2) * sizeof *s.vis);
        s.queue = causa_i_arena_alloc(&a, (size_t)(2 * p + 2) * sizeof *s.queue);
        if (!an_s || !an_a || !an_b || !s.vis || !s.queue) {
            rc = CAUSA_ENOMEM;
            goto done;
        }
        ancestors(&g, an_s, 1, stack, nsel); /* An(S) */
        CAUSA_TRY(causa_graph_new(ctx, nobs, names, &res));
        int64_t stamp_b = 0;
        for (int64_t i = 0; i < nobs; i++) {
            int64_t va = obs[i];
            /* An({a} u S) */
            for (int64_t v = 0; v < p; v++) an_a[v] = an_s[v];
            stack[0] = va;
            ancestors(&g, an_a, 1, stack, 1);
            s.sa = 1;
            for (int64_t j = i + 1; j < nobs; j++) {
                int64_t vb = obs[j];
                stack[0] = vb;
                ancestors(&g, an_b, ++stamp_b, stack, 1);
                s.sb = stamp_b;
                if (!inducing(&s, va, vb)) continue;
                int mb = an_a[vb] == 1 ? CAUSA_MARK_TAIL : CAUSA_MARK_ARROW;
                int ma = (an_s[va] == 1 || an_b[va] == stamp_b) ? CAUSA_MARK_TAIL : CAUSA_MARK_ARROW;
                CAUSA_TRY(causa_graph_add_edge(ctx, res, i, j, ma, mb));
            }
            CAUSA_TRY(causa_i_check_interrupt(ctx));
        }
        causa_i_graph_set_kind_unchecked(res, CAUSA_KIND_MAG);
    } else {
        /* reach[v] == stamp: v seen in the current search */
        int64_t *reach = causa_i_arena_alloc0(&a, (size_t)(p + 1) * sizeof *reach);
        int64_t *hits = causa_i_arena_alloc(&a, (size_t)(p + 1) * sizeof *hits);
        if (!reach || !hits) {
            rc = CAUSA_ENOMEM;
            goto done;
        }
        int64_t stamp = 0;
        for (int64_t src = 0; src < p; src++) {
            if (newid[src] < 0 && !lat[src]) continue;
            /* observed nodes reached from src by directed paths with latent inner nodes */
            int64_t n = 0, nh = 0;
            reach[src] = ++stamp;
            stack[n++] = src;
            while (n > 0) {
                int64_t v = stack[--n];
                for (int64_t k = g.off[v]; k < g.off[v + 1]; k++) {
                    int64_t x = g.nbr[k];
                    if (!causa_i_mg_is_out(&g, k) || reach[x] == stamp) continue;
                    reach[x] = stamp;
                    if (lat[x])
                        stack[n++] = x;
                    else if (newid[x] >= 0)
                        hits[nh++] = newid[x];
                }
            }
            size_t need = nedges + (size_t)(newid[src] >= 0 ? nh : nh * (nh - 1) / 2);
            if (need > cap) {
                size_t ncap = CAUSA_MAX(need, cap + cap / 2 + 64);
                pedge *e = causa_i_realloc(ctx, edges, causa_i_mul_size(ncap, sizeof *e));
                if (!e) {
                    rc = causa_i_nomem(ctx, "projected edges", ncap * sizeof *e);
                    goto done;
                }
                edges = e;
                cap = ncap;
            }
            if (newid[src] >= 0) {
                int64_t s0 = newid[src];
                for (int64_t i = 0; i < nh; i++)
                    edges[nedges++] = s0 < hits[i]
                                          ? (pedge){s0, hits[i], CAUSA_MARK_TAIL, CAUSA_MARK_ARROW, 0}
                                          : (pedge){hits[i], s0, CAUSA_MARK_ARROW, CAUSA_MARK_TAIL, 0};
            } else {
                for (int64_t i = 0; i < nh; i++)
                    for (int64_t j = i + 1; j < nh; j++)
                        edges[nedges++] = (pedge){CAUSA_MIN(hits[i], hits[j]),
                                                  CAUSA_MAX(hits[i], hits[j]), CAUSA_MARK_ARROW,
                                                  CAUSA_MARK_ARROW, 1};
            }
        }
        if (nedges) qsort(edges, nedges, sizeof *edges, pedge_cmp);
        CAUSA_TRY(causa_graph_new(ctx, nobs, names, &res));
        for (size_t i = 0; i < nedges; i++) {
            if (i > 0 && pedge_cmp(&edges[i], &edges[i - 1]) == 0) continue; /* duplicate */
            CAUSA_TRY(causa_graph_add_edge(ctx, res, edges[i].a, edges[i].b, edges[i].ma,
                                           edges[i].mb));
        }
        causa_i_graph_set_kind_unchecked(res, CAUSA_KIND_ADMG);
    }
    *out = res;
    res = NULL;
done:
    causa_graph_free(res);
    causa_i_free(ctx, names);
    causa_i_free(ctx, edges);
    causa_i_arena_release(&a);
    return rc;
}

/* ---- MAG to PAG ---- */

/* The MAG as collider oracle: b is a collider iff both edges have arrowheads at b. */
static int mag_collider(void *ud, int64_t x, int64_t prev, int64_t b, int64_t y) {
    const causa_i_mg *m = ud;
    (void)x;
    int64_t k1 = causa_i_mg_find(m, prev, b), k2 = causa_i_mg_find(m, y, b);
    return m->mark[k1] == CAUSA_MARK_ARROW && m->mark[k2] == CAUSA_MARK_ARROW;
}

int causa_graph_mag_to_pag(causa_ctx *ctx, const causa_graph *mag, causa_graph **out) {
    if (!ctx || !mag || !out)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_mag_to_pag: NULL argument");
    *out = NULL;
    int rc = CAUSA_OK;
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    causa_graph *check = NULL;
    causa_i_mg m;
    CAUSA_TRY(causa_i_mg_from_graph(ctx, &a, mag, "causa_graph_mag_to_pag", &m));
    for (int64_t k = 0; k < 2 * m.m; k++)
        if (m.src[k] < m.nbr[k] && (m.mark[k] == CAUSA_MARK_CIRCLE || m.mark[m.rev[k]] == CAUSA_MARK_CIRCLE)) {
            char e[512];
            causa_i_mg_edge_text(mag, &m, k, e, sizeof e);
            rc = causa_i_error(ctx, CAUSA_EINVAL,
                               "causa_graph_mag_to_pag needs a MAG, but it has the edge %s", e);
            goto done;
        }
    if (causa_graph_kind(mag) != CAUSA_KIND_MAG) { /* not declared: check it on a copy */
        CAUSA_TRY(causa_graph_copy(ctx, mag, &check));
        CAUSA_TRY(causa_graph_set_kind(ctx, check, CAUSA_KIND_MAG));
    }
    causa_i_mg pag = m;
    pag.mark = causa_i_arena_alloc(&a, (size_t)(2 * m.m + 1));
    if (!pag.mark) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    memset(pag.mark, CAUSA_MARK_CIRCLE, (size_t)(2 * m.m));
    causa_i_pag_rules r = {mag_collider, &m, CAUSA_I_PAG_ALL, 0, CAUSA_I_PAG_SCHED_FCI};
    CAUSA_TRY(causa_i_pag_orient_colliders(ctx, &pag, &r));
    CAUSA_TRY(causa_i_pag_apply_rules(ctx, &a, &pag, &r));
    CAUSA_TRY(causa_i_mg_to_graph(ctx, mag, &pag, CAUSA_KIND_PAG, out));
done:
    causa_graph_free(check);
    causa_i_arena_release(&a);
    return rc;
}
