/*
 * separation.c: d-separation in DAGs and m-separation in ADMGs (bows included) and MAGs,
 * by a reachability search in linear time (the "Bayes ball" of Shachter 1998; Koller &
 * Friedman 2009, Algorithm 3.1 "Reachable"), extended from directed edges to any edges with
 * tails and arrowheads as in Richardson (2003) and Richardson & Spirtes (2002).
 *
 * A path between X and Y is m-connecting given Z when every inner node that is a collider
 * (arrowheads at it from both sides of the path) is an ancestor of Z (itself in Z or with a
 * descendant in Z), and every other inner node is outside Z. Whether a node may be passed
 * depends only on the mark of the edge we arrived by (arrowhead or tail at the node) and
 * the mark of the edge we leave by, so the search runs over states (node, arrived with an
 * arrowhead?): 2p states, each expanding its adjacency array once, so O(p + e) per query
 * after An(Z) is marked once (also O(p + e)). The search follows walks, not paths; a walk
 * satisfying the condition above contains a path that does (the collider condition is
 * closed under ancestors), so the answers agree with the path definition; the property
 * tests in test_separation.c compare with a brute-force enumeration of simple paths.
 *
 * Undirected edges (MAGs, PDAGs) have tails at both ends, so they never make a collider.
 * Circle marks have no separation semantics here and are rejected.
 */
#include <string.h>

#include "graph_i.h"

enum { IN_X = 1, IN_Y = 2, IN_Z = 4 };

typedef struct sep_work {
    causa_i_arena ar;
    unsigned char *tag;   /* IN_X | IN_Y | IN_Z */
    unsigned char *anz;   /* An(Z) */
    unsigned char *state; /* bit 0: visited arriving by a tail, bit 1: by an arrowhead */
    int32_t *stack;       /* 2p states */
} sep_work;

static int check_set(causa_ctx *ctx, const causa_graph *g, const int64_t *s, int64_t n,
                     const char *name, unsigned char *tag, int bit) {
    static const char *const set_names[] = {"", "X", "Y", "", "Z"};
    if (n < 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "size of %s must be >= 0, got %lld", name, (long long)n);
    if (n > 0 && !s) return causa_i_error(ctx, CAUSA_EMISUSE, "%s is NULL but its size is %lld", name, (long long)n);
    for (int64_t i = 0; i < n; i++) {
        int64_t v = s[i];
        if (v < 0 || v >= g->p)
            return causa_i_error(ctx, CAUSA_EINVAL, "%s[%lld] = %lld is not a node index in [0, %lld)",
                                 name, (long long)i, (long long)v, (long long)g->p);
        int other = tag[v] & ~bit;
        if (other)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "node %s is in both %s and %s; the sets must be disjoint",
                                 causa_graph_name(g, v), set_names[other & IN_X ? IN_X : other & IN_Y ? IN_Y : IN_Z],
                                 name);
        tag[v] |= (unsigned char)bit;
    }
    return CAUSA_OK;
}

/* Kinds whose check guarantees no circle marks. */
static int circle_free_kind(int kind) {
    return kind == CAUSA_KIND_DAG || kind == CAUSA_KIND_PDAG || kind == CAUSA_KIND_CPDAG ||
           kind == CAUSA_KIND_MAG || kind == CAUSA_KIND_ADMG;
}

static int check_no_circles(causa_ctx *ctx, const causa_graph *g) {
    if (circle_free_kind(g->kind)) return CAUSA_OK;
    for (int64_t a = 0; a < g->p; a++) {
        const causa_i_node *n = &g->nodes[a];
        for (uint32_t i = 0; i < n->deg; i++) {
            causa_i_adj e = n->adj[i];
            if (causa_i_adj_here(e) != CAUSA_MARK_CIRCLE && causa_i_adj_there(e) != CAUSA_MARK_CIRCLE)
                continue;
            char glyph[4];
            causa_i_edge_glyph(causa_i_adj_here(e), causa_i_adj_there(e), glyph);
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "m-separation is not defined for circle marks: %s %s %s",
                                 causa_graph_name(g, a), glyph,
                                 causa_graph_name(g, causa_i_adj_node(e)));
        }
    }
    return CAUSA_OK;
}

/* Validates the arguments and sets up the workspace with tags and An(Z). */
static int sep_prepare(causa_ctx *ctx, const causa_graph *g, const int64_t *x, int64_t nx,
                       const int64_t *y, int64_t ny, const int64_t *z, int64_t nz, sep_work *w) {
    int rc = check_no_circles(ctx, g);
    if (rc) return rc;
    size_t p = (size_t)g->p;
    w->tag = causa_i_arena_alloc0(&w->ar, p + 1);
    w->anz = causa_i_arena_alloc0(&w->ar, p + 1);
    w->state = causa_i_arena_alloc0(&w->ar, p + 1);
    w->stack = causa_i_arena_alloc(&w->ar, 2 * p * sizeof *w->stack + 1);
    if (!w->tag || !w->anz || !w->state || !w->stack) return CAUSA_ENOMEM;
    if ((rc = check_set(ctx, g, x, nx, "X", w->tag, IN_X))) return rc;
    if ((rc = check_set(ctx, g, y, ny, "Y", w->tag, IN_Y))) return rc;
    if ((rc = check_set(ctx, g, z, nz, "Z", w->tag, IN_Z))) return rc;
    /* An(Z): backwards along directed edges from Z. */
    int64_t top = 0;
    for (int64_t i = 0; i < nz; i++)
        if (!w->anz[z[i]]) {
            w->anz[z[i]] = 1;
            w->stack[top++] = (int32_t)z[i];
        }
    while (top > 0) {
        const causa_i_node *n = &g->nodes[w->stack[--top]];
        for (uint32_t i = 0; i < n->deg; i++) {
            causa_i_adj e = n->adj[i];
            int64_t u = causa_i_adj_node(e);
            if (causa_i_adj_is_in(e) && !w->anz[u]) {
                w->anz[u] = 1;
                w->stack[top++] = (int32_t)u;
            }
        }
    }
    return CAUSA_OK;
}

/* The search. From each x in X every edge may be taken; a state (v, arrowhead at v?) lets
 * us leave v by an edge whose mark at v is m when: v is a collider (arrived by an
 * arrowhead and m is an arrowhead) and v is in An(Z), or v is not a collider and not in Z.
 * reach[v] is set for every node reached. Returns 1 as soon as a node of Y is reached when
 * stop_at_y, else 0. */
static int search(const causa_graph *g, const int64_t *x, int64_t nx, sep_work *w,
                  unsigned char *reach, int stop_at_y) {
    int32_t *stack = w->stack;
    int64_t top = 0;
    for (int64_t i = 0; i < nx; i++) {
        const causa_i_node *n = &g->nodes[x[i]];
        for (uint32_t k = 0; k < n->deg; k++) {
            causa_i_adj e = n->adj[k];
            int64_t u = causa_i_adj_node(e);
            unsigned bit = causa_i_adj_there(e) == CAUSA_MARK_ARROW ? 2u : 1u;
            if (w->state[u] & bit) continue;
            w->state[u] |= (unsigned char)bit;
            stack[top++] = (int32_t)(2 * u + (bit == 2u));
        }
    }
    while (top > 0) {
        int32_t s = stack[--top];
        int64_t v = s >> 1;
        int in_arrow = s & 1;
        unsigned char t = w->tag[v];
        if (t & IN_Y && stop_at_y) return 1;
        if (reach) reach[v] = 1;
        int pass_collider = w->anz[v], pass_other = !(t & IN_Z);
        if (!pass_other && !(in_arrow && pass_collider)) continue; /* nothing leaves */
        const causa_i_node *n = &g->nodes[v];
        for (uint32_t k = 0; k < n->deg; k++) {
            causa_i_adj e = n->adj[k];
            int collider = in_arrow && causa_i_adj_here(e) == CAUSA_MARK_ARROW;
            if (collider ? !pass_collider : !pass_other) continue;
            int64_t u = causa_i_adj_node(e);
            unsigned bit = causa_i_adj_there(e) == CAUSA_MARK_ARROW ? 2u : 1u;
            if (w->state[u] & bit) continue;
            w->state[u] |= (unsigned char)bit;
            stack[top++] = (int32_t)(2 * u + (bit == 2u));
        }
    }
    return 0;
}

int causa_graph_separated(causa_ctx *ctx, const causa_graph *g, const int64_t *x, int64_t nx,
                          const int64_t *y, int64_t ny, const int64_t *z, int64_t nz,
                          int *separated) {
    if (!ctx || !g || !separated)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_separated: NULL argument");
    sep_work w;
    causa_i_arena_init(&w.ar, ctx);
    int rc = sep_prepare(ctx, g, x, nx, y, ny, z, nz, &w);
    if (rc == CAUSA_OK) *separated = !search(g, x, nx, &w, NULL, 1);
    causa_i_arena_release(&w.ar);
    return rc;
}

int causa_graph_reachable(causa_ctx *ctx, const causa_graph *g, const int64_t *x, int64_t nx,
                          const int64_t *z, int64_t nz, unsigned char *out) {
    if (!ctx || !g || !out)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_reachable: NULL argument");
    sep_work w;
    causa_i_arena_init(&w.ar, ctx);
    int rc = sep_prepare(ctx, g, x, nx, NULL, 0, z, nz, &w);
    if (rc == CAUSA_OK) {
        memset(out, 0, (size_t)g->p);
        search(g, x, nx, &w, out, 0);
        for (int64_t v = 0; v < g->p; v++)
            if (w.tag[v] & (IN_X | IN_Z)) out[v] = 0;
    }
    causa_i_arena_release(&w.ar);
    return rc;
}

int causa_graph_local_markov(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *parents,
                             int64_t *nparents, int64_t *nondesc, int64_t *nnondesc) {
    if (!ctx || !g || !parents || !nparents || !nondesc || !nnondesc)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_local_markov: NULL argument");
    int rc = causa_i_graph_check_node(ctx, g, v, "node");
    if (rc) return rc;
    causa_i_arena ar;
    causa_i_arena_init(&ar, ctx);
    size_t p = (size_t)g->p;
    if (g->kind != CAUSA_KIND_DAG) {
        /* The statement is about DAGs: every edge directed and no directed cycle. */
        for (int64_t a = 0; a < g->p; a++)
            for (uint32_t i = 0; i < g->nodes[a].deg; i++) {
                causa_i_adj e = g->nodes[a].adj[i];
                if (causa_i_adj_is_in(e) || causa_i_adj_is_out(e)) continue;
                char glyph[4];
                causa_i_edge_glyph(causa_i_adj_here(e), causa_i_adj_there(e), glyph);
                rc = causa_i_error(ctx, CAUSA_EINVAL,
                                   "the local Markov property needs a DAG, but %s %s %s is not a "
                                   "directed edge",
                                   causa_graph_name(g, a), glyph,
                                   causa_graph_name(g, causa_i_adj_node(e)));
                goto done;
            }
        int64_t *cycle = causa_i_arena_alloc(&ar, p * sizeof *cycle + 1), len = 0;
        if (!cycle) {
            rc = CAUSA_ENOMEM;
            goto done;
        }
        CAUSA_TRY(causa_i_graph_directed_cycle(ctx, g, cycle, &len));
        if (len > 0) {
            rc = causa_i_graph_cycle_error(ctx, g, "the local Markov property needs a DAG: ", cycle, len);
            goto done;
        }
    }
    unsigned char *mark = causa_i_arena_alloc0(&ar, p + 1);
    int64_t *stack = causa_i_arena_alloc(&ar, p * sizeof *stack + 1);
    if (!mark || !stack) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    /* mark: 1 descendant (v included), 2 parent */
    int64_t top = 0;
    mark[v] = 1;
    stack[top++] = v;
    while (top > 0) {
        const causa_i_node *n = &g->nodes[stack[--top]];
        for (uint32_t i = 0; i < n->deg; i++) {
            int64_t u = causa_i_adj_node(n->adj[i]);
            if (causa_i_adj_is_out(n->adj[i]) && !mark[u]) {
                mark[u] = 1;
                stack[top++] = u;
            }
        }
    }
    int64_t np = 0, nn = 0;
    const causa_i_node *nv = &g->nodes[v];
    for (uint32_t i = 0; i < nv->deg; i++)
        if (causa_i_adj_is_in(nv->adj[i])) {
            int64_t u = causa_i_adj_node(nv->adj[i]);
            parents[np++] = u;
            mark[u] = 2;
        }
    for (int64_t u = 0; u < g->p; u++)
        if (!mark[u]) nondesc[nn++] = u;
    *nparents = np;
    *nnondesc = nn;
done:
    causa_i_arena_release(&ar);
    return rc;
}
