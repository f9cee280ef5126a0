/*
 * cpdag.c: the CPDAG (essential graph) of a DAG.
 *
 * Chickering (1995), "A transformational characterization of equivalent Bayesian network
 * structures", UAI, Find-Compelled. Edges are ordered by their head y in topological
 * order and, among the edges into one y, by decreasing topological rank of the tail. Then
 * the lowest unlabelled edge x --> y is always the edge from y's last parent x, and one
 * step of the algorithm labels every edge into y:
 *   - for each compelled w --> x: if w is not a parent of y, every edge into y is
 *     compelled (done with y); otherwise w --> y is compelled;
 *   - if some parent z of y other than x is not a parent of x, x --> y and every
 *     unlabelled edge into y are compelled, otherwise they are all reversible.
 * So the nodes are visited once in topological order; each visit costs O(deg log deg)
 * adjacency tests, O(p + e log d) in all. Compelled edges keep their direction, reversible
 * ones become undirected.
 */
#include "equiv_i.h"
#include "graph_i.h"

enum { UNKNOWN = 0, COMPELLED = 1, REVERSIBLE = 2 };

int causa_graph_cpdag(causa_ctx *ctx, const causa_graph *dag, causa_graph **out) {
    if (!ctx || !dag || !out)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_cpdag: NULL argument");
    *out = NULL;
    int rc = CAUSA_OK;
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    causa_i_mg g;
    CAUSA_TRY(causa_i_mg_from_graph(ctx, &a, dag, "causa_graph_cpdag", &g));
    CAUSA_TRY(causa_i_mg_check_pdag(ctx, dag, &g, 0, "causa_graph_cpdag"));
    int64_t p = g.p;
    int64_t *topo = causa_i_arena_alloc(&a, (size_t)(p + 1) * sizeof *topo);
    int64_t *rank = causa_i_arena_alloc(&a, (size_t)(p + 1) * sizeof *rank);
    unsigned char *lab = causa_i_arena_alloc0(&a, (size_t)(2 * g.m + 1));
    if (!topo || !rank || !lab) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    CAUSA_TRY(causa_i_mg_acyclic(ctx, &a, dag, &g, "causa_graph_cpdag: the DAG has a ", topo));
    for (int64_t i = 0; i < p; i++) rank[topo[i]] = i;

    /* lab[k] labels entry k of y's list when it points to a parent of y. */
    for (int64_t i = 0; i < p; i++) {
        int64_t y = topo[i], x = -1, kx = -1;
        for (int64_t k = g.off[y]; k < g.off[y + 1]; k++)
            if (causa_i_mg_is_in(&g, k) && (x < 0 || rank[g.nbr[k]] > rank[x])) {
                x = g.nbr[k];
                kx = k;
            }
        if (x < 0) continue;
        int finished = 0;
        for (int64_t j = g.off[x]; j < g.off[x + 1] && !finished; j++) {
            if (!causa_i_mg_is_in(&g, j) || lab[j] != COMPELLED) continue;
            /* w --> x is compelled. w adjacent to y means w --> y (y --> w would close a
             * cycle w -> x -> y -> w). */
            int64_t kw = causa_i_mg_find(&g, y, g.nbr[j]);
            if (kw < 0) {
                for (int64_t k = g.off[y]; k < g.off[y + 1]; k++)
                    if (causa_i_mg_is_in(&g, k)) lab[k] = COMPELLED;
                finished = 1;
            } else {
                lab[kw] = COMPELLED;
            }
        }
        if (finished) continue;
        int other = 0; /* a parent z of y, z != x, that is not a parent of x */
        for (int64_t k = g.off[y]; k < g.off[y + 1] && !other; k++) {
            if (!causa_i_mg_is_in(&g, k) || g.nbr[k] == x) continue;
            int64_t kz = causa_i_mg_find(&g, x, g.nbr[k]);
            other = kz < 0 || !causa_i_mg_is_in(&g, kz);
        }
        unsigned char val = other ? COMPELLED : REVERSIBLE;
        lab[kx] = val;
        for (int64_t k = g.off[y]; k < g.off[y + 1]; k++)
            if (causa_i_mg_is_in(&g, k) && lab[k] == UNKNOWN) lab[k] = val;
    }
    for (int64_t k = 0; k < 2 * g.m; k++)
        if (lab[k] == REVERSIBLE) causa_i_mg_set(&g, k, CAUSA_MARK_TAIL, CAUSA_MARK_TAIL);
    CAUSA_TRY(causa_i_mg_to_graph(ctx, dag, &g, CAUSA_KIND_CPDAG, out));
done:
    causa_i_arena_release(&a);
    return rc;
}
