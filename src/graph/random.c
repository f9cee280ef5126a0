/*
 * random.c: random DAGs.
 *
 * Erdos-Renyi over a random causal order: a uniformly random permutation gives the order,
 * and each of the p (p - 1) / 2 pairs earlier --> later is an edge with probability
 * q = d / (p - 1), so a node has d neighbours on average. The pairs are not visited one by
 * one: the gap to the next chosen pair is geometric, drawn as floor(log(1 - r) / log(1 - q))
 * (Batagelj & Brandes 2005, "Efficient generation of large random networks", Phys. Rev. E
 * 71, 036113, algorithm G(n, p)), so the cost is O(p + e), not O(p^2), and the edges
 * are put in (lo, hi) order by two counting sorts: 100 000 nodes of degree 4 take about
 * 0.1 s, most of it building the graph. Two random streams of (seed, stream id) serve the order
 * (stream 0) and the edges (stream 1), so a (seed, p, d) triple always gives one graph.
 */
#include <math.h>

#include "graph_i.h"

typedef struct pair {
    int64_t lo, hi; /* node indices, lo < hi */
    int lo_is_tail;
} pair;

/* Stable counting sort of n pairs by the key (hi if by_hi, else lo), from src to dst;
 * count has p + 1 entries. */
static void counting_sort(const pair *src, pair *dst, size_t n, int64_t p, int64_t *count,
                          int by_hi) {
    for (int64_t v = 0; v <= p; v++) count[v] = 0;
    for (size_t i = 0; i < n; i++) count[(by_hi ? src[i].hi : src[i].lo) + 1]++;
    for (int64_t v = 0; v < p; v++) count[v + 1] += count[v];
    for (size_t i = 0; i < n; i++) dst[count[by_hi ? src[i].hi : src[i].lo]++] = src[i];
}

int causa_graph_random_dag(causa_ctx *ctx, int64_t p, double expected_degree, uint64_t seed,
                           causa_graph **out) {
    if (!ctx || !out)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_random_dag: NULL argument");
    *out = NULL;
    if (p < 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "causa_graph_random_dag: p must be >= 1, got %lld",
                             (long long)p);
    if (!(expected_degree >= 0) || !(expected_degree <= (double)(p - 1)))
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "causa_graph_random_dag: expected degree must be in [0, p - 1] = "
                             "[0, %lld], got %g",
                             (long long)(p - 1), expected_degree);
    int rc = CAUSA_OK;
    causa_graph *g = NULL;
    int64_t *perm = NULL;
    pair *edges = NULL, *tmp = NULL;
    size_t nedges = 0, cap = 0;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&perm, (size_t)(p + 1) * sizeof *perm, "a causal order"));
    causa_rng rng;
    causa_rng_init(&rng, seed, 0);
    causa_rng_permutation(&rng, perm, p);

    double q = p > 1 ? expected_degree / (double)(p - 1) : 0.0;
    if (q > 0) {
        double want = (double)p * expected_degree / 2.0;
        cap = (size_t)(want + 4.0 * sqrt(want) + 16.0);
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&edges, cap * sizeof *edges, "random edges"));
        causa_rng_init(&rng, seed, 1);
        double lq = q < 1.0 ? log1p(-q) : 0.0;
        /* Pairs (w, v), w < v, are numbered row by row; v is the later position. */
        int64_t v = 1, w = -1;
        while (v < p) {
            double skip = 0.0;
            if (q < 1.0) skip = floor(log1p(-causa_rng_uniform(&rng)) / lq);
            /* A gap past every remaining pair ends the loop; clamp before converting. */
            double room = (double)p * (double)p;
            w += 1 + (int64_t)(skip < room ? skip : room);
            while (w >= v && v < p) {
                w -= v;
                v++;
            }
            if (v < p) {
                if (nedges == cap) {
                    size_t ncap = cap + cap / 2 + 16;
                    pair *e = causa_i_realloc(ctx, edges, causa_i_mul_size(ncap, sizeof *e));
                    if (!e) {
                        rc = causa_i_nomem(ctx, "random edges", ncap * sizeof *e);
                        goto done;
                    }
                    edges = e;
                    cap = ncap;
                }
                int64_t tail = perm[w], head = perm[v];
                edges[nedges++] = (pair){CAUSA_MIN(tail, head), CAUSA_MAX(tail, head), tail < head};
            }
        }
        /* Sorted by (lo, hi), each insertion lands at the end of both adjacency arrays. Two
         * stable counting sorts (by hi, then by lo) keep this O(p + e). perm is free now. */
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&tmp, (nedges + 1) * sizeof *tmp, "random edges"));
        counting_sort(edges, tmp, nedges, p, perm, 1);
        counting_sort(tmp, edges, nedges, p, perm, 0);
    }
    CAUSA_TRY(causa_graph_new(ctx, p, NULL, &g));
    for (size_t i = 0; i < nedges; i++) {
        int ml = edges[i].lo_is_tail ? CAUSA_MARK_TAIL : CAUSA_MARK_ARROW;
        int mh = edges[i].lo_is_tail ? CAUSA_MARK_ARROW : CAUSA_MARK_TAIL;
        CAUSA_TRY(causa_graph_add_edge(ctx, g, edges[i].lo, edges[i].hi, ml, mh));
    }
    causa_i_graph_set_kind_unchecked(g, CAUSA_KIND_DAG); /* edges follow the order */
    *out = g;
    g = NULL;
done:
    causa_graph_free(g);
    causa_i_free(ctx, perm);
    causa_i_free(ctx, edges);
    causa_i_free(ctx, tmp);
    return rc;
}
