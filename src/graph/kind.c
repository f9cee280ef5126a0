/*
 * kind.c: checks that a graph is a valid DAG, PDAG, CPDAG, MAG, ADMG or PAG, with messages
 * that say what is wrong, and infers the strictest kind a graph satisfies.
 *
 *  DAG    only directed edges, no directed cycle.
 *  PDAG   directed and undirected edges, no directed cycle (Meek 1995).
 *  CPDAG  Andersson, Madigan & Perlman (1997), Theorem 4.1: a graph is the essential graph
 *         (CPDAG) of a Markov equivalence class of DAGs iff (i) it is a chain graph (no
 *         partially directed cycle), (ii) its chain components (connected components of
 *         the undirected edges) are chordal, (iii) a --> b --- c never occurs as an
 *         induced subgraph, (iv) every arrow a --> b is strongly protected: it occurs in
 *         one of the four induced configurations
 *           (a) c --> a --> b, c and b not adjacent;
 *           (b) a --> b <-- c, a and c not adjacent;
 *           (c) a --> c --> b and a --> b;
 *           (d) a --- c1 --> b, a --- c2 --> b, a --> b, c1 and c2 not adjacent.
 *         Chordality is tested with maximum cardinality search and the perfect-elimination
 *         test of Tarjan & Yannakakis (1984).
 *  MAG    Richardson & Spirtes (2002), section 3: directed, undirected and bidirected edges,
 *         one per pair; ancestral: no directed cycle, no almost directed cycle (a <-> b
 *         with a an ancestor of b), no arrowhead at an endpoint of an undirected edge;
 *         maximal: no inducing path between non-adjacent nodes (Zhang 2008, section 2).
 *         An inducing path is a path whose inner nodes are all colliders and ancestors of
 *         an endpoint, i.e. a *-> v1 <-> ... <-> vk <-* b inside An({a, b}); it exists iff
 *         a and b are m-connected given An({a, b}) \ {a, b} (R&S 2002, Theorem 4.2;
 *         test_graph_core.c checks that equivalence on random ancestral graphs). Only pairs
 *         that reach a common district (bidirected component) through arrowheads can have
 *         one, so those are the only pairs searched.
 *  ADMG   directed and bidirected edges (bows allowed), no directed cycle.
 *  PAG    any marks, one edge per pair, no directed cycle (only that is checked).
 */
#include <stdio.h>
#include <string.h>

#include "graph_i.h"

enum { E_DIRECTED, E_UNDIRECTED, E_BIDIRECTED, E_OTHER };

static int edge_type(int ma, int mb) {
    if ((ma == CAUSA_MARK_TAIL && mb == CAUSA_MARK_ARROW) ||
        (ma == CAUSA_MARK_ARROW && mb == CAUSA_MARK_TAIL))
        return E_DIRECTED;
    if (ma == CAUSA_MARK_TAIL && mb == CAUSA_MARK_TAIL) return E_UNDIRECTED;
    if (ma == CAUSA_MARK_ARROW && mb == CAUSA_MARK_ARROW) return E_BIDIRECTED;
    return E_OTHER;
}

static const char *kind_upper(int kind) {
    static const char *const n[] = {"mixed graph", "DAG", "PDAG", "CPDAG", "MAG", "PAG", "ADMG"};
    return n[kind];
}

/* Records CAUSA_EINVAL with "<text with one %s for the edge>" filled in by "A --> B". */
static int edge_error(causa_ctx *ctx, const causa_graph *g, int64_t a, int64_t b, int ma, int mb,
                      const char *before, const char *after) {
    char glyph[4];
    causa_i_edge_glyph(ma, mb, glyph);
    return causa_i_error(ctx, CAUSA_EINVAL, "%s%s %s %s%s", before, causa_graph_name(g, a), glyph,
                         causa_graph_name(g, b), after);
}

/* Every edge must be of a type the kind allows; only ADMGs and mixed graphs carry bows. */
static int check_marks(causa_ctx *ctx, const causa_graph *g, int kind) {
    for (int64_t a = 0; a < g->p; a++) {
        const causa_i_node *n = &g->nodes[a];
        for (uint32_t i = 0; i < n->deg; i++) {
            causa_i_adj e = n->adj[i];
            int64_t b = causa_i_adj_node(e);
            if (b < a) continue;
            int ma = causa_i_adj_here(e), mb = causa_i_adj_there(e);
            int t = edge_type(ma, mb);
            if (i + 1 < n->deg && causa_i_adj_node(n->adj[i + 1]) == b &&
                kind != CAUSA_KIND_ADMG) {
                char buf[64];
                snprintf(buf, sizeof buf, " (with %s <-> %s); a %s carries one edge per pair",
                         causa_graph_name(g, a), causa_graph_name(g, b), kind_upper(kind));
                return edge_error(ctx, g, a, b, ma, mb, "bow ", buf);
            }
            int ok;
            switch (kind) {
            case CAUSA_KIND_DAG: ok = t == E_DIRECTED; break;
            case CAUSA_KIND_PDAG:
            case CAUSA_KIND_CPDAG: ok = t == E_DIRECTED || t == E_UNDIRECTED; break;
            case CAUSA_KIND_MAG: ok = t != E_OTHER; break;
            case CAUSA_KIND_ADMG: ok = t == E_DIRECTED || t == E_BIDIRECTED; break;
            default: ok = 1; break;
            }
            if (ok) continue;
            if (kind == CAUSA_KIND_MAG) return edge_error(ctx, g, a, b, ma, mb, "circle mark on ", " in a MAG");
            const char *allowed = kind == CAUSA_KIND_DAG    ? " (only -->)"
                                  : kind == CAUSA_KIND_ADMG ? " (only --> and <->)"
                                                            : " (only --> and ---)";
            char buf[96];
            snprintf(buf, sizeof buf, " cannot appear in a %s%s", kind_upper(kind), allowed);
            return edge_error(ctx, g, a, b, ma, mb, "edge ", buf);
        }
    }
    return CAUSA_OK;
}

static int check_acyclic(causa_ctx *ctx, const causa_graph *g, causa_i_arena *ar) {
    int64_t *cycle = causa_i_arena_alloc(ar, (size_t)g->p * sizeof *cycle + 1);
    if (!cycle) return CAUSA_ENOMEM;
    int64_t len = 0;
    int rc = causa_i_graph_directed_cycle(ctx, g, cycle, &len);
    if (rc) return rc;
    if (len > 0) return causa_i_graph_cycle_error(ctx, g, "", cycle, len);
    return CAUSA_OK;
}

/* Is there an edge a --- b (binary search)? */
static int undirected_between(const causa_graph *g, int64_t a, int64_t b) {
    return causa_graph_is_undirected(g, a, b);
}

/* ---- CPDAG ---- */

/* Connected components of the undirected edges: comp[v] in 0..ncomp-1. */
static int64_t undirected_components(const causa_graph *g, int64_t *comp, int64_t *stack) {
    for (int64_t v = 0; v < g->p; v++) comp[v] = -1;
    int64_t nc = 0;
    for (int64_t s = 0; s < g->p; s++) {
        if (comp[s] >= 0) continue;
        int64_t top = 0;
        stack[top++] = s;
        comp[s] = nc;
        while (top > 0) {
            int64_t v = stack[--top];
            for (uint32_t i = 0; i < g->nodes[v].deg; i++) {
                causa_i_adj e = g->nodes[v].adj[i];
                if (causa_i_adj_here(e) != CAUSA_MARK_TAIL || causa_i_adj_there(e) != CAUSA_MARK_TAIL)
                    continue;
                int64_t w = causa_i_adj_node(e);
                if (comp[w] < 0) {
                    comp[w] = nc;
                    stack[top++] = w;
                }
            }
        }
        nc++;
    }
    return nc;
}

/* Appends the undirected path from s to t (both in one component) as " --- X --- Y",
 * s excluded and t included. seen[] marks nodes already searched (components on a cycle of
 * components are distinct, so nothing is searched twice); prev and queue are workspaces. */
static int append_undirected_path(causa_i_buf *b, const causa_graph *g, int64_t s, int64_t t,
                                  unsigned char *seen, int64_t *prev, int64_t *queue,
                                  int64_t *steps) {
    if (s == t) return CAUSA_OK;
    int64_t head = 0, tail = 0;
    queue[tail++] = s;
    seen[s] = 1;
    prev[s] = -1;
    while (head < tail && !seen[t]) {
        int64_t v = queue[head++];
        for (uint32_t i = 0; i < g->nodes[v].deg; i++) {
            causa_i_adj e = g->nodes[v].adj[i];
            if (causa_i_adj_here(e) != CAUSA_MARK_TAIL || causa_i_adj_there(e) != CAUSA_MARK_TAIL)
                continue;
            int64_t w = causa_i_adj_node(e);
            if (seen[w]) continue;
            seen[w] = 1;
            prev[w] = v;
            queue[tail++] = w;
        }
    }
    /* Walk back from t, then write forwards. */
    int64_t n = 0;
    for (int64_t v = t; v != s; v = prev[v]) queue[n++] = v;
    int rc = CAUSA_OK;
    for (int64_t i = n - 1; rc == CAUSA_OK && i >= 0; i--, (*steps)++)
        if (*steps < 24) rc = causa_i_buf_printf(b, " --- %s", causa_graph_name(g, queue[i]));
    return rc;
}

/* (i): a chain graph has no directed edge inside a chain component and no directed cycle
 * among components. Reports a partially directed cycle. */
static int check_chain_graph(causa_ctx *ctx, const causa_graph *g, causa_i_arena *ar,
                             const int64_t *comp, int64_t nc) {
    size_t p = (size_t)g->p;
    int rc = CAUSA_OK;
    /* Component graph in CSR form, each edge remembering the node edge u --> v it came from. */
    int64_t *off = causa_i_arena_alloc0(ar, ((size_t)nc + 1) * sizeof *off);
    if (!off) return CAUSA_ENOMEM;
    int64_t nd = 0, in_a = -1, in_b = -1;
    for (int64_t u = 0; u < g->p; u++)
        for (uint32_t i = 0; i < g->nodes[u].deg; i++) {
            causa_i_adj e = g->nodes[u].adj[i];
            if (!causa_i_adj_is_out(e)) continue;
            int64_t v = causa_i_adj_node(e);
            if (comp[u] == comp[v]) {
                if (in_a < 0) in_a = u, in_b = v;
                continue;
            }
            off[comp[u] + 1]++;
            nd++;
        }
    unsigned char *seen = causa_i_arena_alloc0(ar, p);
    int64_t *prev = causa_i_arena_alloc(ar, p * sizeof *prev + 1);
    int64_t *queue = causa_i_arena_alloc(ar, p * sizeof *queue + 1);
    if (!seen || !prev || !queue) return CAUSA_ENOMEM;
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int64_t steps = 0;
    if (in_a >= 0) {
        /* a --> b with a --- ... --- b: the cycle a -> b --- ... --- a. */
        rc = causa_i_buf_printf(&b, "partially directed cycle %s -> %s", causa_graph_name(g, in_a),
                                causa_graph_name(g, in_b));
        if (rc == CAUSA_OK) rc = append_undirected_path(&b, g, in_b, in_a, seen, prev, queue, &steps);
        goto report;
    }
    for (int64_t c = 0; c < nc; c++) off[c + 1] += off[c];
    int64_t *to = causa_i_arena_alloc(ar, (size_t)nd * sizeof *to + 1);
    int64_t *src = causa_i_arena_alloc(ar, (size_t)nd * sizeof *src + 1);
    int64_t *dst = causa_i_arena_alloc(ar, (size_t)nd * sizeof *dst + 1);
    int64_t *fill = causa_i_arena_alloc(ar, (size_t)nc * sizeof *fill + 1);
    if (!to || !src || !dst || !fill) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    memcpy(fill, off, (size_t)nc * sizeof *fill);
    for (int64_t u = 0; u < g->p; u++)
        for (uint32_t i = 0; i < g->nodes[u].deg; i++) {
            causa_i_adj e = g->nodes[u].adj[i];
            if (!causa_i_adj_is_out(e) || comp[u] == comp[causa_i_adj_node(e)]) continue;
            int64_t v = causa_i_adj_node(e), k = fill[comp[u]]++;
            to[k] = comp[v];
            src[k] = u;
            dst[k] = v;
        }
    /* Iterative DFS over components; on a back edge, the cycle is the path's edges. */
    unsigned char *colour = causa_i_arena_alloc0(ar, (size_t)nc + 1);
    int64_t *next = causa_i_arena_alloc(ar, (size_t)nc * sizeof *next + 1);
    int64_t *path = causa_i_arena_alloc(ar, (size_t)nc * sizeof *path + 1);
    int64_t *via = causa_i_arena_alloc(ar, ((size_t)nc + 1) * sizeof *via); /* edge into path[i] */
    if (!colour || !next || !path || !via) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    for (int64_t s = 0; s < nc; s++) {
        if (colour[s]) continue;
        int64_t top = 0;
        path[top++] = s;
        colour[s] = 1;
        next[s] = off[s];
        while (top > 0) {
            int64_t c = path[top - 1], k = -1;
            while (next[c] < off[c + 1]) {
                int64_t j = next[c]++;
                if (colour[to[j]] != 2) {
                    k = j;
                    break;
                }
            }
            if (k < 0) {
                colour[c] = 2;
                top--;
                continue;
            }
            int64_t d = to[k];
            if (colour[d] == 0) {
                colour[d] = 1;
                next[d] = off[d];
                via[top] = k;
                path[top++] = d;
                continue;
            }
            /* A cycle of components d = path[i] -> ... -> path[top-1] -> d. Its node edges
             * are via[i+1..top-1] and k; between the head of one and the tail of the next
             * lies an undirected path inside a component. */
            int64_t i = top - 1;
            while (path[i] != d) i--;
            via[top] = k;
            int64_t m = top - i, *E = via + i + 1;
            rc = causa_i_buf_printf(&b, "partially directed cycle %s", causa_graph_name(g, src[E[0]]));
            for (int64_t t = 0; rc == CAUSA_OK && t < m; t++) {
                if (steps++ < 24) rc = causa_i_buf_printf(&b, " -> %s", causa_graph_name(g, dst[E[t]]));
                if (rc == CAUSA_OK)
                    rc = append_undirected_path(&b, g, dst[E[t]], src[E[(t + 1) % m]], seen, prev,
                                                queue, &steps);
            }
            goto report;
        }
    }
    goto done;
report:
    if (rc == CAUSA_OK) {
        if (steps >= 24) rc = causa_i_buf_printf(&b, " ... (%lld steps)", (long long)steps);
        if (rc == CAUSA_OK) rc = causa_i_error(ctx, CAUSA_EINVAL, "%s", b.data);
    }
done:
    causa_i_buf_free(&b);
    return rc;
}

/* Writes "{A, B, C}" (the nodes of component c, at most 12 named) after `before`. */
static int component_error(causa_ctx *ctx, const causa_graph *g, const int64_t *comp, int64_t c,
                           const char *before, const char *after) {
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = causa_i_buf_printf(&b, "%s{", before);
    int64_t n = 0;
    for (int64_t v = 0; rc == CAUSA_OK && v < g->p; v++) {
        if (comp[v] != c) continue;
        if (n < 12) rc = causa_i_buf_printf(&b, "%s%s", n ? ", " : "", causa_graph_name(g, v));
        n++;
    }
    if (rc == CAUSA_OK && n > 12) rc = causa_i_buf_printf(&b, ", ... (%lld nodes)", (long long)n);
    if (rc == CAUSA_OK) rc = causa_i_buf_printf(&b, "}%s", after);
    if (rc == CAUSA_OK) rc = causa_i_error(ctx, CAUSA_EINVAL, "%s", b.data);
    causa_i_buf_free(&b);
    return rc;
}

/* (ii): chordality of the undirected part by maximum cardinality search (Tarjan &
 * Yannakakis 1984): visit nodes by the number of visited undirected neighbours (buckets,
 * linear time); the graph is chordal iff for every node w, its neighbours visited before
 * it, other than the last visited one u, are all adjacent to u. */
static int check_chordal(causa_ctx *ctx, const causa_graph *g, causa_i_arena *ar,
                         const int64_t *comp) {
    size_t p = (size_t)g->p;
    int64_t *weight = causa_i_arena_alloc0(ar, p * sizeof *weight + 1);
    int64_t *order = causa_i_arena_alloc(ar, p * sizeof *order + 1); /* visit position or -1 */
    int64_t *head = causa_i_arena_alloc(ar, (p + 1) * sizeof *head);
    int64_t *nxt = causa_i_arena_alloc(ar, p * sizeof *nxt + 1);
    int64_t *prv = causa_i_arena_alloc(ar, p * sizeof *prv + 1);
    int64_t *visit = causa_i_arena_alloc(ar, p * sizeof *visit + 1);
    if (!weight || !order || !head || !nxt || !prv || !visit) return CAUSA_ENOMEM;
    for (size_t i = 0; i <= p; i++) head[i] = -1;
    /* All nodes in bucket 0, smallest index at the head. */
    for (int64_t v = g->p - 1; v >= 0; v--) {
        order[v] = -1;
        nxt[v] = head[0];
        prv[v] = -1;
        if (head[0] >= 0) prv[head[0]] = v;
        head[0] = v;
    }
    int64_t top = 0;
    for (int64_t k = 0; k < g->p; k++) {
        while (top > 0 && head[top] < 0) top--;
        int64_t v = head[top];
        head[top] = nxt[v];
        if (nxt[v] >= 0) prv[nxt[v]] = -1;
        order[v] = k;
        visit[k] = v;
        for (uint32_t i = 0; i < g->nodes[v].deg; i++) {
            causa_i_adj e = g->nodes[v].adj[i];
            if (causa_i_adj_here(e) != CAUSA_MARK_TAIL || causa_i_adj_there(e) != CAUSA_MARK_TAIL)
                continue;
            int64_t w = causa_i_adj_node(e);
            if (order[w] >= 0) continue;
            /* Move w up one bucket. */
            if (prv[w] >= 0)
                nxt[prv[w]] = nxt[w];
            else
                head[weight[w]] = nxt[w];
            if (nxt[w] >= 0) prv[nxt[w]] = prv[w];
            weight[w]++;
            prv[w] = -1;
            nxt[w] = head[weight[w]];
            if (nxt[w] >= 0) prv[nxt[w]] = w;
            head[weight[w]] = w;
            if (weight[w] > top) top = weight[w];
        }
    }
    for (int64_t k = 0; k < g->p; k++) {
        int64_t w = visit[k], u = -1;
        const causa_i_node *n = &g->nodes[w];
        for (uint32_t i = 0; i < n->deg; i++) {
            causa_i_adj e = n->adj[i];
            if (causa_i_adj_here(e) != CAUSA_MARK_TAIL || causa_i_adj_there(e) != CAUSA_MARK_TAIL)
                continue;
            int64_t x = causa_i_adj_node(e);
            if (order[x] < k && (u < 0 || order[x] > order[u])) u = x;
        }
        if (u < 0) continue;
        for (uint32_t i = 0; i < n->deg; i++) {
            causa_i_adj e = n->adj[i];
            if (causa_i_adj_here(e) != CAUSA_MARK_TAIL || causa_i_adj_there(e) != CAUSA_MARK_TAIL)
                continue;
            int64_t x = causa_i_adj_node(e);
            if (x != u && order[x] < k && !undirected_between(g, x, u))
                return component_error(ctx, g, comp, comp[w], "undirected component ",
                                       " is not chordal");
        }
    }
    return CAUSA_OK;
}

/* (iii) and (iv). */
static int check_protected(causa_ctx *ctx, const causa_graph *g) {
    for (int64_t b = 0; b < g->p; b++) {
        const causa_i_node *nb = &g->nodes[b];
        for (uint32_t i = 0; i < nb->deg; i++) {
            causa_i_adj ea = nb->adj[i];
            if (!causa_i_adj_is_in(ea)) continue;
            int64_t a = causa_i_adj_node(ea);
            /* (iii) a --> b --- c needs a and c adjacent. */
            for (uint32_t j = 0; j < nb->deg; j++) {
                causa_i_adj ec = nb->adj[j];
                if (causa_i_adj_here(ec) != CAUSA_MARK_TAIL || causa_i_adj_there(ec) != CAUSA_MARK_TAIL)
                    continue;
                int64_t c = causa_i_adj_node(ec);
                if (!causa_graph_adjacent(g, a, c))
                    return causa_i_error(ctx, CAUSA_EINVAL,
                                         "induced subgraph %s --> %s --- %s (%s and %s not "
                                         "adjacent) cannot occur in a CPDAG",
                                         causa_graph_name(g, a), causa_graph_name(g, b),
                                         causa_graph_name(g, c), causa_graph_name(g, a),
                                         causa_graph_name(g, c));
            }
            /* (iv) strong protection of a --> b. */
            int ok = 0;
            const causa_i_node *na = &g->nodes[a];
            for (uint32_t j = 0; !ok && j < na->deg; j++) { /* (a) c --> a, c !~ b */
                causa_i_adj e = na->adj[j];
                if (causa_i_adj_is_in(e) && !causa_graph_adjacent(g, causa_i_adj_node(e), b)) ok = 1;
            }
            for (uint32_t j = 0; !ok && j < nb->deg; j++) { /* (b) c --> b, c != a, c !~ a */
                causa_i_adj e = nb->adj[j];
                int64_t c = causa_i_adj_node(e);
                if (causa_i_adj_is_in(e) && c != a && !causa_graph_adjacent(g, c, a)) ok = 1;
            }
            for (uint32_t j = 0; !ok && j < na->deg; j++) { /* (c) a --> c --> b */
                causa_i_adj e = na->adj[j];
                if (causa_i_adj_is_out(e) && causa_graph_is_directed(g, causa_i_adj_node(e), b)) ok = 1;
            }
            /* (d) two non-adjacent c1, c2 with a --- c and c --> b. */
            for (uint32_t j = 0; !ok && j < na->deg; j++) {
                causa_i_adj e1 = na->adj[j];
                int64_t c1 = causa_i_adj_node(e1);
                if (causa_i_adj_here(e1) != CAUSA_MARK_TAIL || causa_i_adj_there(e1) != CAUSA_MARK_TAIL ||
                    !causa_graph_is_directed(g, c1, b))
                    continue;
                for (uint32_t k = j + 1; !ok && k < na->deg; k++) {
                    causa_i_adj e2 = na->adj[k];
                    int64_t c2 = causa_i_adj_node(e2);
                    if (causa_i_adj_here(e2) == CAUSA_MARK_TAIL && causa_i_adj_there(e2) == CAUSA_MARK_TAIL &&
                        causa_graph_is_directed(g, c2, b) && !causa_graph_adjacent(g, c1, c2))
                        ok = 1;
                }
            }
            if (!ok)
                return causa_i_error(ctx, CAUSA_EINVAL, "edge %s --> %s is not strongly protected",
                                     causa_graph_name(g, a), causa_graph_name(g, b));
        }
    }
    return CAUSA_OK;
}

static int check_cpdag(causa_ctx *ctx, const causa_graph *g, causa_i_arena *ar) {
    size_t p = (size_t)g->p;
    int64_t *comp = causa_i_arena_alloc(ar, p * sizeof *comp + 1);
    int64_t *stack = causa_i_arena_alloc(ar, p * sizeof *stack + 1);
    if (!comp || !stack) return CAUSA_ENOMEM;
    int64_t nc = undirected_components(g, comp, stack);
    int rc = check_chain_graph(ctx, g, ar, comp, nc);
    if (rc == CAUSA_OK) rc = check_chordal(ctx, g, ar, comp);
    if (rc == CAUSA_OK) rc = check_protected(ctx, g);
    return rc;
}

/* ---- MAG ---- */

static int check_ancestral(causa_ctx *ctx, const causa_graph *g, causa_i_arena *ar) {
    /* An undirected edge meets no arrowhead at either end. */
    for (int64_t a = 0; a < g->p; a++) {
        const causa_i_node *n = &g->nodes[a];
        int64_t und = -1, arrow = -1;
        for (uint32_t i = 0; i < n->deg; i++) {
            causa_i_adj e = n->adj[i];
            if (causa_i_adj_here(e) == CAUSA_MARK_TAIL && causa_i_adj_there(e) == CAUSA_MARK_TAIL && und < 0)
                und = i;
            if (causa_i_adj_here(e) == CAUSA_MARK_ARROW && arrow < 0) arrow = i;
        }
        if (und >= 0 && arrow >= 0) {
            causa_i_adj eu = n->adj[und], ea = n->adj[arrow];
            char glyph[4];
            causa_i_edge_glyph(causa_i_adj_there(ea), causa_i_adj_here(ea), glyph);
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "undirected edge %s --- %s meets an arrowhead at %s (%s %s %s); "
                                 "in a MAG the endpoints of undirected edges have no parents or "
                                 "spouses",
                                 causa_graph_name(g, a), causa_graph_name(g, causa_i_adj_node(eu)),
                                 causa_graph_name(g, a), causa_graph_name(g, causa_i_adj_node(ea)),
                                 glyph, causa_graph_name(g, a));
        }
    }
    /* No almost directed cycle: for each node with spouses, its descendants (BFS with
     * parent pointers, to name the path) must not include a spouse. */
    size_t p = (size_t)g->p;
    int64_t *stamp = causa_i_arena_alloc(ar, p * sizeof *stamp + 1);
    int64_t *prev = causa_i_arena_alloc(ar, p * sizeof *prev + 1);
    int64_t *queue = causa_i_arena_alloc(ar, p * sizeof *queue + 1);
    if (!stamp || !prev || !queue) return CAUSA_ENOMEM;
    for (int64_t v = 0; v < g->p; v++) stamp[v] = -1;
    for (int64_t a = 0; a < g->p; a++) {
        const causa_i_node *n = &g->nodes[a];
        int has_spouse = 0;
        for (uint32_t i = 0; i < n->deg && !has_spouse; i++)
            has_spouse = causa_i_adj_here(n->adj[i]) == CAUSA_MARK_ARROW &&
                         causa_i_adj_there(n->adj[i]) == CAUSA_MARK_ARROW;
        if (!has_spouse) continue;
        int64_t head = 0, tail = 0;
        queue[tail++] = a;
        stamp[a] = a;
        prev[a] = -1;
        while (head < tail) {
            int64_t v = queue[head++];
            for (uint32_t i = 0; i < g->nodes[v].deg; i++) {
                causa_i_adj e = g->nodes[v].adj[i];
                if (!causa_i_adj_is_out(e)) continue;
                int64_t w = causa_i_adj_node(e);
                if (stamp[w] == a) continue;
                stamp[w] = a;
                prev[w] = v;
                queue[tail++] = w;
            }
        }
        for (uint32_t i = 0; i < n->deg; i++) {
            causa_i_adj e = n->adj[i];
            int64_t b = causa_i_adj_node(e);
            if (causa_i_adj_here(e) != CAUSA_MARK_ARROW || causa_i_adj_there(e) != CAUSA_MARK_ARROW ||
                stamp[b] != a)
                continue;
            causa_i_buf buf;
            causa_i_buf_init(&buf, ctx);
            int64_t len = 0;
            for (int64_t v = b; v >= 0; v = prev[v]) queue[len++] = v;
            int rc = causa_i_buf_printf(&buf, "almost directed cycle %s", causa_graph_name(g, a));
            for (int64_t k = len - 2; rc == CAUSA_OK && k >= 0; k--)
                rc = causa_i_buf_printf(&buf, " -> %s", causa_graph_name(g, queue[k]));
            if (rc == CAUSA_OK) rc = causa_i_buf_printf(&buf, " <-> %s", causa_graph_name(g, a));
            if (rc == CAUSA_OK) rc = causa_i_error(ctx, CAUSA_EINVAL, "%s", buf.data);
            causa_i_buf_free(&buf);
            return rc;
        }
    }
    return CAUSA_OK;
}

/* Searches for an inducing path a *-> v1 <-> ... <-> vk <-* b with every vi in An({a, b})
 * (anc[v] == stamp). Returns the length of the path written to path (a first), or 0. */
static int64_t inducing_path(const causa_graph *g, int64_t a, int64_t b, const int64_t *anc,
                             int64_t stamp, int64_t *seen, int64_t *prev, int64_t *queue,
                             int64_t *path) {
    int64_t head = 0, tail = 0, end = -1;
    const causa_i_node *na = &g->nodes[a];
    for (uint32_t i = 0; i < na->deg; i++) {
        causa_i_adj e = na->adj[i];
        int64_t v = causa_i_adj_node(e);
        if (causa_i_adj_there(e) != CAUSA_MARK_ARROW || v == b || anc[v] != stamp || seen[v] == stamp)
            continue;
        seen[v] = stamp;
        prev[v] = a;
        queue[tail++] = v;
    }
    while (head < tail && end < 0) {
        int64_t v = queue[head++];
        const causa_i_node *n = &g->nodes[v];
        for (uint32_t i = 0; i < n->deg; i++) {
            causa_i_adj e = n->adj[i];
            if (causa_i_adj_here(e) != CAUSA_MARK_ARROW) continue; /* v must stay a collider */
            int64_t w = causa_i_adj_node(e);
            if (w == b) {
                end = v;
                break;
            }
            if (w == a || causa_i_adj_there(e) != CAUSA_MARK_ARROW || anc[w] != stamp || seen[w] == stamp)
                continue;
            seen[w] = stamp;
            prev[w] = v;
            queue[tail++] = w;
        }
    }
    if (end < 0) return 0;
    int64_t len = 0;
    path[len++] = b;
    for (int64_t v = end; v != a; v = prev[v]) path[len++] = v;
    path[len++] = a;
    for (int64_t i = 0; i < len / 2; i++) {
        int64_t t = path[i];
        path[i] = path[len - 1 - i];
        path[len - 1 - i] = t;
    }
    return len;
}

static int check_maximal(causa_ctx *ctx, const causa_graph *g, causa_i_arena *ar) {
    size_t p = (size_t)g->p;
    int64_t *dist = causa_i_arena_alloc(ar, p * sizeof *dist + 1);   /* district of each node */
    int64_t *doff = causa_i_arena_alloc0(ar, (p + 1) * sizeof *doff); /* members, CSR */
    int64_t *dmem = causa_i_arena_alloc(ar, p * sizeof *dmem + 1);
    int64_t *dstamp = causa_i_arena_alloc(ar, p * sizeof *dstamp + 1);
    int64_t *cstamp = causa_i_arena_alloc(ar, p * sizeof *cstamp + 1);
    int64_t *cand = causa_i_arena_alloc(ar, p * sizeof *cand + 1);
    int64_t *anc = causa_i_arena_alloc(ar, p * sizeof *anc + 1);
    int64_t *seen = causa_i_arena_alloc(ar, p * sizeof *seen + 1);
    int64_t *prev = causa_i_arena_alloc(ar, p * sizeof *prev + 1);
    int64_t *queue = causa_i_arena_alloc(ar, p * sizeof *queue + 1);
    int64_t *path = causa_i_arena_alloc(ar, (p + 1) * sizeof *path);
    if (!dist || !doff || !dmem || !dstamp || !cstamp || !cand || !anc || !seen || !prev || !queue || !path)
        return CAUSA_ENOMEM;
    /* Districts: components of the bidirected edges. */
    for (int64_t v = 0; v < g->p; v++) dist[v] = -1;
    int64_t nd = 0;
    for (int64_t s = 0; s < g->p; s++) {
        if (dist[s] >= 0) continue;
        int64_t top = 0;
        queue[top++] = s;
        dist[s] = nd;
        while (top > 0) {
            int64_t v = queue[--top];
            for (uint32_t i = 0; i < g->nodes[v].deg; i++) {
                causa_i_adj e = g->nodes[v].adj[i];
                int64_t w = causa_i_adj_node(e);
                if (causa_i_adj_here(e) == CAUSA_MARK_ARROW && causa_i_adj_there(e) == CAUSA_MARK_ARROW &&
                    dist[w] < 0) {
                    dist[w] = nd;
                    queue[top++] = w;
                }
            }
        }
        nd++;
    }
    for (int64_t v = 0; v < g->p; v++) doff[dist[v] + 1]++;
    for (int64_t d = 0; d < nd; d++) doff[d + 1] += doff[d];
    for (int64_t v = 0; v < g->p; v++) dmem[doff[dist[v]]++] = v;
    for (int64_t d = nd; d > 0; d--) doff[d] = doff[d - 1];
    doff[0] = 0;
    for (int64_t v = 0; v < g->p; v++) dstamp[v] = cstamp[v] = anc[v] = seen[v] = -1;
    int64_t query = 0;
    for (int64_t a = 0; a < g->p; a++) {
        /* Candidates b > a: non-adjacent, with an arrowhead into a district a reaches with an
         * arrowhead. */
        int64_t nc = 0;
        const causa_i_node *na = &g->nodes[a];
        for (uint32_t i = 0; i < na->deg; i++) {
            causa_i_adj e = na->adj[i];
            if (causa_i_adj_there(e) != CAUSA_MARK_ARROW) continue;
            int64_t d = dist[causa_i_adj_node(e)];
            if (dstamp[d] == a) continue;
            dstamp[d] = a;
            for (int64_t k = doff[d]; k < doff[d + 1]; k++) {
                const causa_i_node *nv = &g->nodes[dmem[k]];
                for (uint32_t j = 0; j < nv->deg; j++) {
                    causa_i_adj f = nv->adj[j];
                    int64_t b = causa_i_adj_node(f);
                    if (causa_i_adj_here(f) != CAUSA_MARK_ARROW || b <= a || cstamp[b] == a) continue;
                    cstamp[b] = a;
                    if (!causa_graph_adjacent(g, a, b)) cand[nc++] = b;
                }
            }
        }
        for (int64_t k = 0; k < nc; k++) {
            int64_t b = cand[k];
            query++;
            /* An({a, b}) stamped with this query's number. */
            int64_t top = 0;
            queue[top++] = a;
            queue[top++] = b;
            anc[a] = anc[b] = query;
            while (top > 0) {
                int64_t v = queue[--top];
                for (uint32_t i = 0; i < g->nodes[v].deg; i++) {
                    causa_i_adj e = g->nodes[v].adj[i];
                    int64_t w = causa_i_adj_node(e);
                    if (causa_i_adj_is_in(e) && anc[w] != query) {
                        anc[w] = query;
                        queue[top++] = w;
                    }
                }
            }
            int64_t len = inducing_path(g, a, b, anc, query, seen, prev, queue, path);
            if (len == 0) continue;
            causa_i_buf buf;
            causa_i_buf_init(&buf, ctx);
            int rc = causa_i_buf_printf(&buf,
                                        "not maximal: %s and %s are not adjacent but joined by "
                                        "the inducing path %s",
                                        causa_graph_name(g, a), causa_graph_name(g, b),
                                        causa_graph_name(g, a));
            for (int64_t i = 0; rc == CAUSA_OK && i + 1 < len; i++) {
                int ma = 0, mb = 0;
                causa_graph_edge(g, path[i], path[i + 1], &ma, &mb);
                char glyph[4];
                causa_i_edge_glyph(ma, mb, glyph);
                rc = causa_i_buf_printf(&buf, " %s %s", glyph, causa_graph_name(g, path[i + 1]));
            }
            if (rc == CAUSA_OK) rc = causa_i_error(ctx, CAUSA_EINVAL, "%s", buf.data);
            causa_i_buf_free(&buf);
            return rc;
        }
    }
    return CAUSA_OK;
}

/* ---- entry points ---- */

static int check_kind(causa_ctx *ctx, const causa_graph *g, int kind) {
    if (kind == CAUSA_KIND_MIXED) return CAUSA_OK;
    int rc = check_marks(ctx, g, kind);
    if (rc) return rc;
    causa_i_arena ar;
    causa_i_arena_init(&ar, ctx);
    CAUSA_TRY(check_acyclic(ctx, g, &ar));
    if (kind == CAUSA_KIND_CPDAG) CAUSA_TRY(check_cpdag(ctx, g, &ar));
    if (kind == CAUSA_KIND_MAG) {
        CAUSA_TRY(check_ancestral(ctx, g, &ar));
        CAUSA_TRY(check_maximal(ctx, g, &ar));
    }
done:
    causa_i_arena_release(&ar);
    return rc;
}

int causa_graph_set_kind(causa_ctx *ctx, causa_graph *g, int kind) {
    if (!ctx || !g) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_set_kind: NULL argument");
    if (kind < CAUSA_KIND_MIXED || kind > CAUSA_KIND_ADMG)
        return causa_i_error(ctx, CAUSA_EINVAL, "unknown graph kind %d", kind);
    int rc = check_kind(ctx, g, kind);
    if (rc == CAUSA_EINVAL || rc == CAUSA_ECYCLE) {
        /* Say which kind the graph failed to be, in front of the reason. */
        char msg[sizeof ctx->errmsg];
        snprintf(msg, sizeof msg, "%s", ctx->errmsg);
        causa_i_error(ctx, rc, "not a valid %s: %s", kind_upper(kind), msg);
    }
    if (rc == CAUSA_OK) g->kind = kind;
    return rc;
}

int causa_graph_infer_kind(causa_ctx *ctx, const causa_graph *g, int *kind) {
    if (!ctx || !g || !kind) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_infer_kind: NULL argument");
    /* Which edge types occur decides which kinds are worth checking. */
    int has[4] = {0, 0, 0, 0}, bow = 0;
    for (int64_t a = 0; a < g->p; a++) {
        const causa_i_node *n = &g->nodes[a];
        for (uint32_t i = 0; i < n->deg; i++) {
            has[edge_type(causa_i_adj_here(n->adj[i]), causa_i_adj_there(n->adj[i]))] = 1;
            if (i + 1 < n->deg && causa_i_adj_node(n->adj[i]) == causa_i_adj_node(n->adj[i + 1])) bow = 1;
        }
    }
    static const int order[] = {CAUSA_KIND_DAG, CAUSA_KIND_CPDAG, CAUSA_KIND_PDAG, CAUSA_KIND_MAG,
                                CAUSA_KIND_ADMG, CAUSA_KIND_PAG};
    /* Failed checks must not leave their messages behind. */
    int saved_code = ctx->errcode;
    char saved[sizeof ctx->errmsg];
    memcpy(saved, ctx->errmsg, sizeof saved);
    *kind = CAUSA_KIND_MIXED;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int k = order[i];
        int possible;
        switch (k) {
        case CAUSA_KIND_DAG: possible = !has[E_UNDIRECTED] && !has[E_BIDIRECTED] && !has[E_OTHER]; break;
        case CAUSA_KIND_CPDAG:
        case CAUSA_KIND_PDAG: possible = !has[E_BIDIRECTED] && !has[E_OTHER] && !bow; break;
        case CAUSA_KIND_MAG: possible = !has[E_OTHER] && !bow; break;
        case CAUSA_KIND_ADMG: possible = !has[E_UNDIRECTED] && !has[E_OTHER]; break;
        default: possible = !bow; break;
        }
        if (!possible) continue;
        int rc = check_kind(ctx, g, k);
        if (rc == CAUSA_OK) {
            *kind = k;
            break;
        }
        if (rc != CAUSA_EINVAL && rc != CAUSA_ECYCLE) return rc;
    }
    ctx->errcode = saved_code;
    memcpy(ctx->errmsg, saved, sizeof saved);
    return CAUSA_OK;
}
