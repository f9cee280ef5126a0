/*
 * meek.c: the mutable adjacency copy shared by the equivalence algorithms (equiv_i.h), and
 * Meek's orientation rules.
 *
 * Meek (1995), "Causal inference and causal explanation with background knowledge", UAI:
 * an undirected edge a --- b of a PDAG becomes a --> b when
 *   R1  some c --> a has c and b non-adjacent                 (else c -> a <- b is new)
 *   R2  some c has a --> c --> b                              (else a cycle)
 *   R3  two non-adjacent c, d have a --- c --> b, a --- d --> b (else c -> b <- d forces one)
 *   R4  some d, c have a --- d --> c --> b, a adjacent to c and d, b non-adjacent
 *                                                              (needed with background knowledge)
 * The closure is a worklist over undirected edges: an edge is (re)examined only when an
 * orientation near it could have made a rule apply, so the cost is about
 * sum over oriented edges of (deg^2 log deg) instead of repeated sweeps over all edges.
 * Which edges can a new orientation x --> y enable? R1, R2, R3 and the d --> b case of R4
 * involve an undirected edge at x or y; the d --> c case of R4 involves a --- b with a an
 * undirected neighbour of x and b a child of y. Those are exactly the edges queued.
 */
#include <stdio.h>
#include <string.h>

#include "equiv_i.h"
#include "graph_i.h"

/* ---- the adjacency copy ---- */

int64_t causa_i_mg_find(const causa_i_mg *mg, int64_t v, int64_t w) {
    int64_t lo = mg->off[v], hi = mg->off[v + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (mg->nbr[mid] < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < mg->off[v + 1] && mg->nbr[lo] == w ? lo : -1;
}

int causa_i_mg_from_graph(causa_ctx *ctx, causa_i_arena *a, const causa_graph *g,
                          const char *what, causa_i_mg *mg) {
    int64_t p = causa_graph_nnodes(g);
    memset(mg, 0, sizeof *mg);
    mg->p = p;
    mg->off = causa_i_arena_alloc(a, (size_t)(p + 1) * sizeof *mg->off);
    if (!mg->off) return CAUSA_ENOMEM;
    int64_t total = 0;
    for (int64_t v = 0; v < p; v++) {
        mg->off[v] = total;
        total += causa_graph_degree(g, v);
    }
    mg->off[p] = total;
    mg->m = total / 2;
    size_t n = (size_t)total;
    mg->nbr = causa_i_arena_alloc(a, n * sizeof *mg->nbr);
    mg->rev = causa_i_arena_alloc(a, n * sizeof *mg->rev);
    mg->src = causa_i_arena_alloc(a, n * sizeof *mg->src);
    mg->mark = causa_i_arena_alloc(a, n);
    if (!mg->nbr || !mg->rev || !mg->src || !mg->mark) return CAUSA_ENOMEM;
    for (int64_t v = 0; v < p; v++) {
        int64_t base = mg->off[v], deg = mg->off[v + 1] - base;
        for (int64_t k = 0; k < deg; k++) {
            int64_t w;
            int mv, mw;
            causa_graph_neighbor(g, v, k, &w, &mv, &mw);
            if (k > 0 && mg->nbr[base + k - 1] == w)
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "%s: %s and %s are joined by two edges (a bow); it needs "
                                     "one edge per pair",
                                     what, causa_graph_name(g, v), causa_graph_name(g, w));
            mg->nbr[base + k] = w;
            mg->src[base + k] = v;
            mg->mark[base + k] = (unsigned char)mw;
        }
    }
    for (int64_t k = 0; k < total; k++) {
        int64_t v = mg->src[k], w = mg->nbr[k];
        if (v < w) {
            int64_t j = causa_i_mg_find(mg, w, v);
            mg->rev[k] = j;
            mg->rev[j] = k;
        }
    }
    return CAUSA_OK;
}

void causa_i_mg_edge_text(const causa_graph *names, const causa_i_mg *mg, int64_t k, char *buf,
                          size_t size) {
    char glyph[4];
    causa_i_edge_glyph(causa_i_mg_here(mg, k), causa_i_mg_there(mg, k), glyph);
    snprintf(buf, size, "%s %s %s", causa_graph_name(names, mg->src[k]), glyph,
             causa_graph_name(names, mg->nbr[k]));
}

int causa_i_mg_check_pdag(causa_ctx *ctx, const causa_graph *g, const causa_i_mg *mg,
                          int undirected, const char *what) {
    for (int64_t k = 0; k < 2 * mg->m; k++) {
        if (mg->src[k] > mg->nbr[k]) continue;
        if (causa_i_mg_is_out(mg, k) || causa_i_mg_is_in(mg, k)) continue;
        if (undirected && causa_i_mg_is_undirected(mg, k)) continue;
        char e[512];
        causa_i_mg_edge_text(g, mg, k, e, sizeof e);
        return causa_i_error(ctx, CAUSA_EINVAL, "%s needs a %s, but it has the edge %s", what,
                             undirected ? "PDAG (directed and undirected edges only)" : "DAG",
                             e);
    }
    return CAUSA_OK;
}

int causa_i_mg_acyclic(causa_ctx *ctx, causa_i_arena *a, const causa_graph *names,
                       const causa_i_mg *mg, const char *prefix, int64_t *topo) {
    int64_t p = mg->p;
    int64_t *indeg = causa_i_arena_alloc(a, (size_t)(p + 1) * sizeof *indeg);
    int64_t *queue = topo ? topo : causa_i_arena_alloc(a, (size_t)(p + 1) * sizeof *queue);
    if (!indeg || !queue) return CAUSA_ENOMEM;
    for (int64_t v = 0; v < p; v++) {
        indeg[v] = 0;
        for (int64_t k = mg->off[v]; k < mg->off[v + 1]; k++) indeg[v] += causa_i_mg_is_in(mg, k);
    }
    int64_t head = 0, tail = 0;
    for (int64_t v = 0; v < p; v++)
        if (indeg[v] == 0) queue[tail++] = v;
    while (head < tail) {
        int64_t v = queue[head++];
        for (int64_t k = mg->off[v]; k < mg->off[v + 1]; k++)
            if (causa_i_mg_is_out(mg, k) && --indeg[mg->nbr[k]] == 0) queue[tail++] = mg->nbr[k];
    }
    if (tail == p) return CAUSA_OK;
    /* Every node left has a parent that is left too: walk parents until one repeats. */
    int64_t *seen = causa_i_arena_alloc(a, (size_t)p * sizeof *seen);
    int64_t *walk = causa_i_arena_alloc(a, (size_t)(p + 1) * sizeof *walk);
    if (!seen || !walk) return CAUSA_ENOMEM;
    for (int64_t v = 0; v < p; v++) seen[v] = -1;
    int64_t v = 0;
    while (indeg[v] == 0) v++;
    int64_t len = 0;
    while (seen[v] < 0) {
        seen[v] = len;
        walk[len++] = v;
        int64_t next = -1;
        for (int64_t k = mg->off[v]; k < mg->off[v + 1] && next < 0; k++)
            if (causa_i_mg_is_in(mg, k) && indeg[mg->nbr[k]] > 0) next = mg->nbr[k];
        v = next;
    }
    /* walk[seen[v]] .. walk[len - 1] is the cycle, each node a child of the next. */
    int64_t start = seen[v], clen = len - start;
    int64_t *cycle = causa_i_arena_alloc(a, (size_t)clen * sizeof *cycle);
    if (!cycle) return CAUSA_ENOMEM;
    for (int64_t i = 0; i < clen; i++) cycle[i] = walk[len - 1 - i];
    return causa_i_graph_cycle_error(ctx, names, prefix, cycle, clen);
}

int causa_i_mg_to_graph(causa_ctx *ctx, const causa_graph *like, const causa_i_mg *mg,
                        int kind, causa_graph **out) {
    int rc = CAUSA_OK;
    causa_graph *g = NULL;
    const char **names = NULL;
    int64_t p = mg->p;
    *out = NULL;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&names, (size_t)(p + 1) * sizeof *names, "node names"));
    for (int64_t v = 0; v < p; v++) names[v] = causa_graph_name(like, v);
    CAUSA_TRY(causa_graph_new(ctx, p, names, &g));
    for (int64_t v = 0; v < p; v++) {
        int f = causa_graph_node_flags(like, v);
        if (f) CAUSA_TRY(causa_graph_set_node_flags(ctx, g, v, f));
    }
    /* In (v, w) order every insertion lands at the end of both adjacency arrays. */
    for (int64_t k = 0; k < 2 * mg->m; k++)
        if (mg->src[k] < mg->nbr[k])
            CAUSA_TRY(causa_graph_add_edge(ctx, g, mg->src[k], mg->nbr[k],
                                           causa_i_mg_here(mg, k), causa_i_mg_there(mg, k)));
    causa_i_graph_set_kind_unchecked(g, kind);
    *out = g;
    g = NULL;
done:
    causa_graph_free(g);
    causa_i_free(ctx, names);
    return rc;
}

/* ---- Meek's rules ---- */

int causa_i_meek_init(causa_ctx *ctx, causa_i_arena *a, causa_i_mg *g, causa_i_meek *mk) {
    (void)ctx;
    memset(mk, 0, sizeof *mk);
    mk->g = g;
    int64_t maxdeg = 0;
    for (int64_t v = 0; v < g->p; v++) maxdeg = CAUSA_MAX(maxdeg, g->off[v + 1] - g->off[v]);
    mk->queue = causa_i_arena_alloc(a, (size_t)(g->m + 1) * sizeof *mk->queue);
    mk->inq = causa_i_arena_alloc0(a, (size_t)(2 * g->m + 1));
    mk->cand = causa_i_arena_alloc(a, (size_t)(maxdeg + 1) * sizeof *mk->cand);
    mk->trail = causa_i_arena_alloc(a, (size_t)(g->m + 1) * sizeof *mk->trail);
    if (!mk->queue || !mk->inq || !mk->cand || !mk->trail) return CAUSA_ENOMEM;
    mk->conflict = -1;
    return CAUSA_OK;
}

static void push(causa_i_meek *mk, int64_t k) {
    const causa_i_mg *g = mk->g;
    if (!causa_i_mg_is_undirected(g, k)) return;
    int64_t c = g->src[k] < g->nbr[k] ? k : g->rev[k];
    if (mk->inq[c]) return;
    mk->inq[c] = 1;
    mk->queue[(mk->qhead + mk->qlen) % (g->m + 1)] = c;
    mk->qlen++;
}

void causa_i_meek_orient(causa_i_meek *mk, int64_t k) {
    causa_i_mg_set(mk->g, k, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW);
    mk->trail[mk->ntrail++] = k;
}

void causa_i_meek_undo(causa_i_meek *mk, int64_t mark) {
    while (mk->ntrail > mark) {
        int64_t k = mk->trail[--mk->ntrail];
        causa_i_mg_set(mk->g, k, CAUSA_MARK_TAIL, CAUSA_MARK_TAIL);
    }
}

void causa_i_meek_touch(causa_i_meek *mk, int64_t k) {
    const causa_i_mg *g = mk->g;
    int64_t x = g->src[k], y = g->nbr[k];
    for (int64_t j = g->off[x]; j < g->off[x + 1]; j++) push(mk, j);
    for (int64_t j = g->off[y]; j < g->off[y + 1]; j++) push(mk, j);
    /* R4 with x --> y as d --> c: a --- x, y --> b, a --- b. */
    for (int64_t j = g->off[x]; j < g->off[x + 1]; j++) {
        if (!causa_i_mg_is_undirected(g, j)) continue;
        int64_t av = g->nbr[j];
        for (int64_t i = g->off[y]; i < g->off[y + 1]; i++) {
            if (!causa_i_mg_is_out(g, i) || g->nbr[i] == av) continue;
            int64_t e = causa_i_mg_find(g, av, g->nbr[i]);
            if (e >= 0) push(mk, e);
        }
    }
}

void causa_i_meek_touch_all(causa_i_meek *mk) {
    for (int64_t k = 0; k < 2 * mk->g->m; k++)
        if (mk->g->src[k] < mk->g->nbr[k]) push(mk, k);
}

/* Does some rule orient the undirected edge a --- b as a --> b? */
static int implies(causa_i_meek *mk, int64_t a, int64_t b) {
    const causa_i_mg *g = mk->g;
    int64_t ncand = 0;
    for (int64_t j = g->off[a]; j < g->off[a + 1]; j++) {
        int64_t c = g->nbr[j];
        if (c == b) continue;
        if (causa_i_mg_is_in(g, j)) { /* R1: c --> a --- b */
            if (!causa_i_mg_adjacent(g, c, b)) return 1;
        } else if (causa_i_mg_is_out(g, j)) { /* R2: a --> c --> b */
            if (causa_i_mg_directed(g, c, b)) return 1;
        } else if (causa_i_mg_is_undirected(g, j)) {
            if (causa_i_mg_directed(g, c, b)) mk->cand[ncand++] = c; /* a --- c --> b */
        }
    }
    /* R3: two non-adjacent c, d with a --- c --> b and a --- d --> b. */
    for (int64_t i = 0; i < ncand; i++)
        for (int64_t j = i + 1; j < ncand; j++)
            if (!causa_i_mg_adjacent(g, mk->cand[i], mk->cand[j])) return 1;
    /* R4: a --- d --> c --> b, a adjacent to c, d and b non-adjacent. */
    for (int64_t j = g->off[a]; j < g->off[a + 1]; j++) {
        if (!causa_i_mg_is_undirected(g, j)) continue;
        int64_t d = g->nbr[j];
        if (d == b || causa_i_mg_adjacent(g, d, b)) continue;
        for (int64_t i = g->off[d]; i < g->off[d + 1]; i++) {
            int64_t c = g->nbr[i];
            if (c != a && causa_i_mg_is_out(g, i) && causa_i_mg_directed(g, c, b) &&
                causa_i_mg_adjacent(g, a, c))
                return 1;
        }
    }
    return 0;
}

int causa_i_meek_close(causa_i_meek *mk) {
    causa_i_mg *g = mk->g;
    int64_t cap = g->m + 1;
    mk->conflict = -1;
    while (mk->qlen > 0) {
        int64_t k = mk->queue[mk->qhead];
        mk->qhead = (mk->qhead + 1) % cap;
        mk->qlen--;
        mk->inq[k] = 0;
        if (!causa_i_mg_is_undirected(g, k)) continue;
        int64_t v = g->src[k], w = g->nbr[k];
        int fwd = implies(mk, v, w), back = implies(mk, w, v);
        if (fwd && back) {
            mk->conflict = k;
            while (mk->qlen > 0) { /* leave the workspace clean for the next closure */
                mk->inq[mk->queue[mk->qhead]] = 0;
                mk->qhead = (mk->qhead + 1) % cap;
                mk->qlen--;
            }
            return 1;
        }
        if (fwd || back) {
            int64_t e = fwd ? k : g->rev[k];
            causa_i_meek_orient(mk, e);
            causa_i_meek_touch(mk, e);
        }
    }
    return 0;
}

/* ---- the public closure ---- */

int causa_graph_meek(causa_ctx *ctx, causa_graph *pdag) {
    if (!ctx || !pdag) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_meek: NULL argument");
    int rc = CAUSA_OK;
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    causa_i_mg g = {0};
    causa_i_meek mk = {0};
    int64_t applied = 0;
    int old_kind = causa_graph_kind(pdag);
    CAUSA_TRY(causa_i_mg_from_graph(ctx, &a, pdag, "causa_graph_meek", &g));
    CAUSA_TRY(causa_i_mg_check_pdag(ctx, pdag, &g, 1, "causa_graph_meek"));
    CAUSA_TRY(causa_i_mg_acyclic(ctx, &a, pdag, &g, "causa_graph_meek: the directed edges form a ",
                                 NULL));
    CAUSA_TRY(causa_i_meek_init(ctx, &a, &g, &mk));
    causa_i_meek_touch_all(&mk);
    if (causa_i_meek_close(&mk)) {
        char e[512];
        causa_i_mg_edge_text(pdag, &g, mk.conflict, e, sizeof e);
        rc = causa_i_error(ctx, CAUSA_ECYCLE,
                           "causa_graph_meek: Meek's rules orient %s both ways, so the directed "
                           "edges cannot be completed into a DAG of the class",
                           e);
        goto done;
    }
    CAUSA_TRY(causa_i_mg_acyclic(ctx, &a, pdag, &g,
                                 "causa_graph_meek: the orientations force a ", NULL));
    for (; applied < mk.ntrail; applied++) {
        int64_t k = mk.trail[applied];
        CAUSA_TRY(causa_graph_set_marks(ctx, pdag, g.src[k], g.nbr[k], CAUSA_MARK_TAIL,
                                        CAUSA_MARK_ARROW));
    }
    /* "CPDAG if it is one": the kind check decides. */
    rc = causa_graph_set_kind(ctx, pdag, CAUSA_KIND_CPDAG);
    if (rc == CAUSA_ENOMEM) goto done;
    if (rc != CAUSA_OK) {
        causa_clear_error(ctx);
        causa_i_graph_set_kind_unchecked(pdag, CAUSA_KIND_PDAG);
        rc = CAUSA_OK;
    }
done:
    if (rc != CAUSA_OK) { /* leave the input as it was */
        while (applied > 0) {
            int64_t k = mk.trail[--applied];
            causa_graph_set_marks(ctx, pdag, g.src[k], g.nbr[k], CAUSA_MARK_TAIL, CAUSA_MARK_TAIL);
        }
        causa_i_graph_set_kind_unchecked(pdag, old_kind);
    }
    causa_i_arena_release(&a);
    return rc;
}
