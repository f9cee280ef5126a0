/*
 * extension.c: a DAG in the class of a PDAG (a "consistent extension").
 *
 * Dor & Tarsi (1992), "A simple algorithm to construct a consistent extension of a
 * partially oriented graph", Technical Report R-185, UCLA Cognitive Systems Laboratory.
 * Repeatedly take a node x that
 *   (a) is a sink: no directed edge leaves it, and
 *   (b) every undirected neighbour y of x is adjacent to all other neighbours of x,
 * orient its undirected edges into x and remove it. If at some point no node qualifies,
 * the PDAG has no extension (an extension keeps every directed edge and unshielded
 * collider, adds none, and has no directed cycle). Dor and Tarsi show that any qualifying
 * node may be taken, so no backtracking is needed. Whether a node qualifies changes only
 * when a neighbour is removed, so a queue re-examines just those: each node is checked at
 * most deg + 1 times at O(deg^2 log deg) a check.
 */
#include <stdio.h>
#include <string.h>

#include "equiv_i.h"
#include "graph_i.h"

/* Can x be removed now? */
static int sink_ok(const causa_i_mg *g, const unsigned char *removed, int64_t x) {
    for (int64_t k = g->off[x]; k < g->off[x + 1]; k++)
        if (!removed[g->nbr[k]] && causa_i_mg_is_out(g, k)) return 0;
    for (int64_t k = g->off[x]; k < g->off[x + 1]; k++) {
        int64_t y = g->nbr[k];
        if (removed[y] || !causa_i_mg_is_undirected(g, k)) continue;
        for (int64_t j = g->off[x]; j < g->off[x + 1]; j++) {
            int64_t z = g->nbr[j];
            if (z != y && !removed[z] && !causa_i_mg_adjacent(g, y, z)) return 0;
        }
    }
    return 1;
}

int causa_i_dor_tarsi(causa_ctx *ctx, causa_i_arena *a, causa_i_mg *g, int *ok,
                      int64_t *stuck) {
    (void)ctx;
    int64_t p = g->p;
    unsigned char *removed = causa_i_arena_alloc0(a, (size_t)p + 1);
    unsigned char *inq = causa_i_arena_alloc0(a, (size_t)p + 1);
    int64_t *queue = causa_i_arena_alloc(a, (size_t)(p + 1) * sizeof *queue);
    if (!removed || !inq || !queue) return CAUSA_ENOMEM;
    int64_t head = 0, len = 0, left = p, cap = p + 1;
    for (int64_t v = 0; v < p; v++) {
        queue[len++] = v;
        inq[v] = 1;
    }
    while (len > 0) {
        int64_t x = queue[head];
        head = (head + 1) % cap;
        len--;
        inq[x] = 0;
        if (removed[x] || !sink_ok(g, removed, x)) continue;
        for (int64_t k = g->off[x]; k < g->off[x + 1]; k++)
            if (!removed[g->nbr[k]] && causa_i_mg_is_undirected(g, k))
                causa_i_mg_set(g, k, CAUSA_MARK_ARROW, CAUSA_MARK_TAIL); /* nbr --> x */
        removed[x] = 1;
        left--;
        for (int64_t k = g->off[x]; k < g->off[x + 1]; k++) {
            int64_t w = g->nbr[k];
            if (!removed[w] && !inq[w]) {
                inq[w] = 1;
                queue[(head + len) % cap] = w;
                len++;
            }
        }
    }
    *ok = left == 0;
    if (stuck) {
        *stuck = -1;
        for (int64_t v = 0; v < p && *stuck < 0; v++)
            if (!removed[v]) *stuck = v;
    }
    return CAUSA_OK;
}

int causa_graph_dag_extension(causa_ctx *ctx, const causa_graph *pdag, causa_graph **out) {
    if (!ctx || !pdag || !out)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_dag_extension: NULL argument");
    *out = NULL;
    int rc = CAUSA_OK;
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    causa_i_mg g;
    CAUSA_TRY(causa_i_mg_from_graph(ctx, &a, pdag, "causa_graph_dag_extension", &g));
    CAUSA_TRY(causa_i_mg_check_pdag(ctx, pdag, &g, 1, "causa_graph_dag_extension"));
    rc = causa_i_mg_acyclic(ctx, &a, pdag, &g,
                            "causa_graph_dag_extension: no DAG extends the PDAG: its directed "
                            "edges form a ",
                            NULL);
    if (rc == CAUSA_ECYCLE) { /* documented as CAUSA_EINVAL: re-file the message */
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", causa_errmsg(ctx));
        rc = causa_i_error(ctx, CAUSA_EINVAL, "%s", msg);
    }
    if (rc != CAUSA_OK) goto done;
    int ok;
    int64_t stuck;
    CAUSA_TRY(causa_i_dor_tarsi(ctx, &a, &g, &ok, &stuck));
    if (!ok) {
        rc = causa_i_error(ctx, CAUSA_EINVAL,
                           "causa_graph_dag_extension: no DAG extends the PDAG without a new "
                           "unshielded collider or a directed cycle (Dor-Tarsi: no remaining "
                           "node, e.g. %s, can be made a sink)",
                           causa_graph_name(pdag, stuck));
        goto done;
    }
    CAUSA_TRY(causa_i_mg_to_graph(ctx, pdag, &g, CAUSA_KIND_DAG, out));
done:
    causa_i_arena_release(&a);
    return rc;
}
