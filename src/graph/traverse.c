/*
 * traverse.c: walks over a graph's directed part: parents, children, undirected
 * neighbours, spouses, adjacent nodes, ancestors and descendants of a set, a topological
 * order and a directed cycle.
 *
 * Everything is one pass over adjacency arrays (O(p + e)), except the topological order,
 * which is Kahn's algorithm (Kahn 1962) with a binary heap of ready nodes so that among the
 * nodes ready at any step the one with the smallest index comes first: the order is then
 * the lexicographically smallest one, a canonical choice that does not depend on how the
 * graph was built (O(e + p log p)). Cycles are found without recursion (so 100 000-node
 * paths cannot overflow the stack): Kahn's algorithm with a plain queue removes every node
 * not on or below a cycle, and a walk from the smallest node left along its smallest
 * remaining parent must close a cycle. The cycle is reported from its smallest node, so the
 * message for a given graph is always the same.
 */
#include <string.h>

#include "graph_i.h"

/* ---- neighbour lists ---- */

enum { SEL_PARENTS, SEL_CHILDREN, SEL_NEIGHBORS, SEL_SPOUSES, SEL_ADJACENT };

static int select_entries(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out,
                          int64_t *count, int sel, const char *fn) {
    if (!ctx || !g || !out || !count) return causa_i_error(ctx, CAUSA_EMISUSE, "%s: NULL argument", fn);
    int rc = causa_i_graph_check_node(ctx, g, v, "node");
    if (rc) return rc;
    const causa_i_node *n = &g->nodes[v];
    int64_t k = 0, last = -1;
    for (uint32_t i = 0; i < n->deg; i++) {
        causa_i_adj e = n->adj[i];
        int mh = causa_i_adj_here(e), mt = causa_i_adj_there(e);
        int64_t w = causa_i_adj_node(e);
        int take;
        switch (sel) {
        case SEL_PARENTS: take = mh == CAUSA_MARK_ARROW && mt == CAUSA_MARK_TAIL; break;
        case SEL_CHILDREN: take = mh == CAUSA_MARK_TAIL && mt == CAUSA_MARK_ARROW; break;
        case SEL_NEIGHBORS: take = mh == CAUSA_MARK_TAIL && mt == CAUSA_MARK_TAIL; break;
        case SEL_SPOUSES: take = mh == CAUSA_MARK_ARROW && mt == CAUSA_MARK_ARROW; break;
        default: take = w != last; break; /* the two entries of a bow name one node */
        }
        if (take) out[k++] = w;
        last = w;
    }
    *count = k;
    return CAUSA_OK;
}

int causa_graph_parents(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out, int64_t *count) {
    return select_entries(ctx, g, v, out, count, SEL_PARENTS, "causa_graph_parents");
}
int causa_graph_children(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out, int64_t *count) {
    return select_entries(ctx, g, v, out, count, SEL_CHILDREN, "causa_graph_children");
}
int causa_graph_neighbors(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out, int64_t *count) {
    return select_entries(ctx, g, v, out, count, SEL_NEIGHBORS, "causa_graph_neighbors");
}
int causa_graph_spouses(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out, int64_t *count) {
    return select_entries(ctx, g, v, out, count, SEL_SPOUSES, "causa_graph_spouses");
}
int causa_graph_adjacents(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out, int64_t *count) {
    return select_entries(ctx, g, v, out, count, SEL_ADJACENT, "causa_graph_adjacents");
}

/* ---- ancestors and descendants ---- */

/* Marks everything reachable from the marked nodes along directed edges, backwards
 * (parents) when up is set, else forwards (children). mark[] holds the seeds on entry. */
static void directed_closure(const causa_graph *g, unsigned char *mark, int64_t *stack, int up) {
    int64_t top = 0;
    for (int64_t v = 0; v < g->p; v++)
        if (mark[v]) stack[top++] = v;
    while (top > 0) {
        int64_t v = stack[--top];
        const causa_i_node *n = &g->nodes[v];
        for (uint32_t i = 0; i < n->deg; i++) {
            causa_i_adj e = n->adj[i];
            if (!(up ? causa_i_adj_is_in(e) : causa_i_adj_is_out(e))) continue;
            int64_t w = causa_i_adj_node(e);
            if (!mark[w]) {
                mark[w] = 1;
                stack[top++] = w;
            }
        }
    }
}

void causa_i_graph_ancestor_mark(const causa_graph *g, const unsigned char *in_set,
                                 unsigned char *mark, int64_t *stack) {
    for (int64_t v = 0; v < g->p; v++) mark[v] = in_set[v] ? 1 : 0;
    directed_closure(g, mark, stack, 1);
}

static int closure_of_set(causa_ctx *ctx, const causa_graph *g, const int64_t *set, int64_t n,
                          int64_t *out, int64_t *count, int up, const char *fn) {
    if (!ctx || !g || !out || !count || (n > 0 && !set))
        return causa_i_error(ctx, CAUSA_EMISUSE, "%s: NULL argument", fn);
    if (n < 0) return causa_i_error(ctx, CAUSA_EINVAL, "set size must be >= 0, got %lld", (long long)n);
    for (int64_t i = 0; i < n; i++) {
        int rc = causa_i_graph_check_node(ctx, g, set[i], "set member");
        if (rc) return rc;
    }
    int rc = CAUSA_OK;
    causa_i_arena ar;
    causa_i_arena_init(&ar, ctx);
    size_t p = (size_t)g->p;
    unsigned char *mark = causa_i_arena_alloc0(&ar, p);
    int64_t *stack = causa_i_arena_alloc(&ar, p * sizeof *stack);
    if (!mark || !stack) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    for (int64_t i = 0; i < n; i++) mark[set[i]] = 1;
    directed_closure(g, mark, stack, up);
    int64_t k = 0;
    for (int64_t v = 0; v < g->p; v++)
        if (mark[v]) out[k++] = v;
    *count = k;
done:
    causa_i_arena_release(&ar);
    return rc;
}

int causa_graph_ancestors(causa_ctx *ctx, const causa_graph *g, const int64_t *set, int64_t n,
                          int64_t *out, int64_t *count) {
    return closure_of_set(ctx, g, set, n, out, count, 1, "causa_graph_ancestors");
}

int causa_graph_descendants(causa_ctx *ctx, const causa_graph *g, const int64_t *set, int64_t n,
                            int64_t *out, int64_t *count) {
    return closure_of_set(ctx, g, set, n, out, count, 0, "causa_graph_descendants");
}

/* ---- cycles ---- */

int causa_i_graph_directed_cycle(causa_ctx *ctx, const causa_graph *g, int64_t *cycle,
                                 int64_t *len) {
    int rc = CAUSA_OK;
    causa_i_arena ar;
    causa_i_arena_init(&ar, ctx);
    size_t p = (size_t)g->p;
    uint32_t *indeg = causa_i_arena_alloc0(&ar, p * sizeof *indeg + 1);
    int32_t *queue = causa_i_arena_alloc(&ar, p * sizeof *queue + 1);
    if (!indeg || !queue) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    *len = 0;
    /* Kahn's algorithm with a plain queue (sequential, cache friendly) decides whether there
     * is a cycle: the nodes it cannot remove are exactly those on or below a cycle. */
    for (int64_t v = 0; v < g->p; v++)
        for (uint32_t i = 0; i < g->nodes[v].deg; i++)
            if (causa_i_adj_is_in(g->nodes[v].adj[i])) indeg[v]++;
    int64_t head = 0, tail = 0;
    for (int64_t v = 0; v < g->p; v++)
        if (indeg[v] == 0) queue[tail++] = (int32_t)v;
    while (head < tail) {
        const causa_i_node *n = &g->nodes[queue[head++]];
        for (uint32_t i = 0; i < n->deg; i++)
            if (causa_i_adj_is_out(n->adj[i]) && --indeg[causa_i_adj_node(n->adj[i])] == 0)
                queue[tail++] = (int32_t)causa_i_adj_node(n->adj[i]);
    }
    if (tail == g->p) goto done;
    /* Every node left has a parent left (its in-degree never reached 0), so walking from the
     * smallest one to its smallest remaining parent, again and again, must repeat a node;
     * the stretch between the repeats is a cycle, walked backwards. pos[] reuses queue. */
    int32_t *pos = queue;
    for (int64_t v = 0; v < g->p; v++) pos[v] = -1;
    int64_t v = 0, k = 0;
    while (indeg[v] == 0) v++;
    while (pos[v] < 0) {
        pos[v] = (int32_t)k;
        cycle[k++] = v;
        const causa_i_node *n = &g->nodes[v];
        int64_t next = -1;
        for (uint32_t i = 0; i < n->deg && next < 0; i++)
            if (causa_i_adj_is_in(n->adj[i]) && indeg[causa_i_adj_node(n->adj[i])] > 0)
                next = causa_i_adj_node(n->adj[i]);
        v = next;
    }
    /* cycle[pos[v] .. k-1] runs against the edges: reverse it, then start at its smallest. */
    int64_t first = pos[v], m = k - first, start = 0;
    for (int64_t i = 0; i < m / 2; i++) {
        int64_t t = cycle[first + i];
        cycle[first + i] = cycle[k - 1 - i];
        cycle[k - 1 - i] = t;
    }
    for (int64_t i = 1; i < m; i++)
        if (cycle[first + i] < cycle[first + start]) start = i;
    /* Rotate into place: queue is free again as scratch. */
    for (int64_t i = 0; i < m; i++) queue[i] = (int32_t)cycle[first + (start + i) % m];
    for (int64_t i = 0; i < m; i++) cycle[i] = queue[i];
    *len = m;
done:
    causa_i_arena_release(&ar);
    return rc;
}

int causa_i_graph_cycle_error(causa_ctx *ctx, const causa_graph *g, const char *prefix,
                              const int64_t *cycle, int64_t len) {
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = causa_i_buf_printf(&b, "%sdirected cycle ", prefix ? prefix : "");
    /* Long cycles are shortened in the message: the first 20 nodes name it well enough. */
    for (int64_t i = 0; rc == CAUSA_OK && i < len && i < 20; i++)
        rc = causa_i_buf_printf(&b, "%s -> ", causa_graph_name(g, cycle[i]));
    if (rc == CAUSA_OK && len > 20) rc = causa_i_buf_printf(&b, "... (%lld nodes) -> ", (long long)len);
    if (rc == CAUSA_OK) rc = causa_i_buf_printf(&b, "%s", causa_graph_name(g, cycle[0]));
    if (rc == CAUSA_OK) rc = causa_i_error(ctx, CAUSA_ECYCLE, "%s", b.data);
    causa_i_buf_free(&b);
    return rc;
}

int causa_graph_find_cycle(causa_ctx *ctx, const causa_graph *g, int64_t *out, int64_t *len) {
    if (!ctx || !g || !out || !len)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_find_cycle: NULL argument");
    return causa_i_graph_directed_cycle(ctx, g, out, len);
}

/* ---- topological order ---- */

static void heap_push(int32_t *h, int64_t *n, int32_t v) {
    int64_t i = (*n)++;
    while (i > 0 && h[(i - 1) / 2] > v) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static int32_t heap_pop(int32_t *h, int64_t *n) {
    int32_t top = h[0], last = h[--*n];
    int64_t i = 0;
    for (;;) {
        int64_t c = 2 * i + 1;
        if (c >= *n) break;
        if (c + 1 < *n && h[c + 1] < h[c]) c++;
        if (h[c] >= last) break;
        h[i] = h[c];
        i = c;
    }
    if (*n > 0) h[i] = last;
    return top;
}

int causa_graph_topological_order(causa_ctx *ctx, const causa_graph *g, int64_t *out) {
    if (!ctx || !g || !out)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_topological_order: NULL argument");
    int rc = CAUSA_OK;
    causa_i_arena ar;
    causa_i_arena_init(&ar, ctx);
    size_t p = (size_t)g->p;
    uint32_t *indeg = causa_i_arena_alloc0(&ar, p * sizeof *indeg);
    int32_t *heap = causa_i_arena_alloc(&ar, p * sizeof *heap + 1);
    if (!indeg || !heap) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    for (int64_t v = 0; v < g->p; v++)
        for (uint32_t i = 0; i < g->nodes[v].deg; i++)
            if (causa_i_adj_is_in(g->nodes[v].adj[i])) indeg[v]++;
    int64_t nh = 0, k = 0;
    for (int64_t v = 0; v < g->p; v++)
        if (indeg[v] == 0) heap[nh++] = (int32_t)v; /* ascending: already a heap */
    while (nh > 0) {
        int64_t v = heap_pop(heap, &nh);
        out[k++] = v;
        const causa_i_node *n = &g->nodes[v];
        for (uint32_t i = 0; i < n->deg; i++) {
            causa_i_adj e = n->adj[i];
            if (causa_i_adj_is_out(e) && --indeg[causa_i_adj_node(e)] == 0)
                heap_push(heap, &nh, (int32_t)causa_i_adj_node(e));
        }
    }
    if (k < g->p) {
        /* Some nodes never became ready: they lie on or after a cycle; name one. */
        int64_t len = 0;
        CAUSA_TRY(causa_i_graph_directed_cycle(ctx, g, out, &len));
        if (len == 0) {
            rc = causa_i_error(ctx, CAUSA_EINTERNAL, "topological order stalled without a cycle");
            goto done;
        }
        rc = causa_i_graph_cycle_error(ctx, g, "no topological order: ", out, len);
    }
done:
    causa_i_arena_release(&ar);
    return rc;
}
