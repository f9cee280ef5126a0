/*
 * random_extra.c: two more random DAG families for simulation studies, beside the
 * Erdos-Renyi DAG of random.c.
 *
 * Scale-free (Barabasi & Albert 1999, "Emergence of scaling in random networks", Science
 * 286:509, made acyclic the usual way of simulation studies such as NOTEARS, Zheng et al.
 * 2018): nodes arrive in a random causal order; each new node draws m earlier nodes as its
 * parents, each with probability proportional to (its degree + 1), without repetition.
 * m is d/2 rounded at random (floor or ceiling, with the fractional part as probability),
 * so the average degree is d up to the first few nodes, which have fewer predecessors to
 * choose from. Early nodes become hubs with many children: out-degrees follow a power law.
 * Sampling proportional to degree + 1 uses the list of edge endpoints (each node appears
 * once on arrival and once per edge), so each draw is O(1); duplicates are redrawn.
 *
 * Layered: the random causal order is cut into L layers of near-equal size (layer of the
 * i-th node in the order: floor(i L / p)); each pair of nodes in consecutive layers is an
 * edge, earlier layer --> later layer, with the probability q that gives expected degree d
 * (q = p d / 2 / number of such pairs). So every path is at most L - 1 edges long, as in
 * layered / "feed-forward" simulation designs.
 *
 * Both use stream 0 of (seed) for the causal order and stream 1 for the edges; the same
 * (seed, p, d[, L]) gives the same graph on any machine. Edges are sorted by (lo, hi)
 * before insertion so every insertion appends to both adjacency arrays: O(p + e log e).
 */
#include <math.h>
#include <stdlib.h>

#include "graph_i.h"

typedef struct dir_edge {
    int64_t tail, head;
} dir_edge;

static int cmp_pair(const void *a, const void *b) {
    const dir_edge *x = a, *y = b;
    int64_t xl = CAUSA_MIN(x->tail, x->head), yl = CAUSA_MIN(y->tail, y->head);
    if (xl != yl) return xl < yl ? -1 : 1;
    int64_t xh = CAUSA_MAX(x->tail, x->head), yh = CAUSA_MAX(y->tail, y->head);
    return (xh > yh) - (xh < yh);
}

/* Builds the DAG of p nodes X1..Xp from directed edges (which follow a causal order). */
static int build(causa_ctx *ctx, int64_t p, dir_edge *edges, size_t nedges, causa_graph **out) {
    int rc = CAUSA_OK;
    causa_graph *g = NULL;
    if (nedges > 1) qsort(edges, nedges, sizeof *edges, cmp_pair);
    CAUSA_TRY(causa_graph_new(ctx, p, NULL, &g));
    for (size_t i = 0; i < nedges; i++) {
        int64_t lo = CAUSA_MIN(edges[i].tail, edges[i].head), hi = CAUSA_MAX(edges[i].tail, edges[i].head);
        int lo_tail = edges[i].tail == lo;
        CAUSA_TRY(causa_graph_add_edge(ctx, g, lo, hi, lo_tail ? CAUSA_MARK_TAIL : CAUSA_MARK_ARROW,
                                       lo_tail ? CAUSA_MARK_ARROW : CAUSA_MARK_TAIL));
    }
    causa_i_graph_set_kind_unchecked(g, CAUSA_KIND_DAG); /* edges follow the order */
    *out = g;
    g = NULL;
done:
    causa_graph_free(g);
    return rc;
}

static int check_args(causa_ctx *ctx, const char *fn, int64_t p, double d, causa_graph **out) {
    if (!ctx || !out) return causa_i_error(ctx, CAUSA_EMISUSE, "%s: NULL argument", fn);
    *out = NULL;
    if (p < 1 || p > CAUSA_I_GRAPH_MAX_NODES)
        return causa_i_error(ctx, CAUSA_EINVAL, "%s: p must be in [1, %lld], got %lld", fn,
                             (long long)CAUSA_I_GRAPH_MAX_NODES, (long long)p);
    if (!(d >= 0) || !(d <= (double)(p - 1)))
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "%s: expected degree must be in [0, p - 1] = [0, %lld], got %g", fn,
                             (long long)(p - 1), d);
    return CAUSA_OK;
}

int causa_graph_random_scale_free(causa_ctx *ctx, int64_t p, double expected_degree,
                                  uint64_t seed, causa_graph **out) {
    int rc = check_args(ctx, "causa_graph_random_scale_free", p, expected_degree, out);
    if (rc) return rc;
    int64_t *perm = NULL, *urn = NULL, *picked = NULL;
    dir_edge *edges = NULL;
    size_t nedges = 0;
    double half = expected_degree / 2.0;
    int64_t mmax = (int64_t)ceil(half);
    /* Each node adds at most mmax edges: p * mmax bounds the edge count. */
    size_t cap = (size_t)p * (size_t)mmax + 1;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&perm, (size_t)p * sizeof *perm, "a causal order"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&edges, causa_i_mul_size(cap, sizeof *edges), "random edges"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&urn, causa_i_mul_size((size_t)p + 2 * cap, sizeof *urn),
                            "preferential-attachment urn"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&picked, (size_t)(mmax + 1) * sizeof *picked, "parents"));
    causa_rng rng;
    causa_rng_init(&rng, seed, 0);
    causa_rng_permutation(&rng, perm, p);
    causa_rng_init(&rng, seed, 1);
    size_t nurn = 0;
    for (int64_t t = 0; t < p; t++) {
        /* m = floor(d/2) or ceil(d/2), mean d/2; never more than the t nodes before. */
        int64_t m = (int64_t)floor(half);
        if (causa_rng_uniform(&rng) < half - floor(half)) m++;
        if (m > t) m = t;
        int64_t np = 0;
        if (m == t) {
            for (int64_t s = 0; s < t; s++) picked[np++] = s;
        } else {
            while (np < m) {
                int64_t s = urn[causa_rng_below(&rng, nurn)];
                int dup = 0;
                for (int64_t k = 0; k < np; k++) dup |= picked[k] == s;
                if (!dup) picked[np++] = s;
            }
        }
        for (int64_t k = 0; k < np; k++) {
            edges[nedges++] = (dir_edge){perm[picked[k]], perm[t]};
            urn[nurn++] = picked[k]; /* endpoints: degree weights */
            urn[nurn++] = t;
        }
        urn[nurn++] = t; /* the +1: every node can be drawn */
    }
    CAUSA_TRY(build(ctx, p, edges, nedges, out));
done:
    causa_i_free(ctx, perm);
    causa_i_free(ctx, urn);
    causa_i_free(ctx, picked);
    causa_i_free(ctx, edges);
    return rc;
}

int causa_graph_random_layered(causa_ctx *ctx, int64_t p, double expected_degree, int64_t layers,
                               uint64_t seed, causa_graph **out) {
    int rc = check_args(ctx, "causa_graph_random_layered", p, expected_degree, out);
    if (rc) return rc;
    if (layers == 0) layers = CAUSA_MAX(2, (int64_t)llround(sqrt((double)p)));
    if (layers < 1 || layers > p)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "causa_graph_random_layered: layers must be in [1, p] = [1, %lld] "
                             "(or 0: round(sqrt(p))), got %lld",
                             (long long)p, (long long)layers);
    int64_t *perm = NULL, *start = NULL;
    dir_edge *edges = NULL;
    size_t nedges = 0, cap = 0;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&perm, (size_t)p * sizeof *perm, "a causal order"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&start, (size_t)(layers + 1) * sizeof *start, "layers"));
    for (int64_t l = 0; l <= layers; l++) start[l] = (l * p + layers - 1) / layers; /* ceil(l p / L) */
    /* Node at position i is in layer floor(i L / p): the first i with i L >= l p starts l. */
    double pairs = 0.0;
    for (int64_t l = 0; l + 1 < layers; l++)
        pairs += (double)(start[l + 1] - start[l]) * (double)(start[l + 2] - start[l + 1]);
    double want = (double)p * expected_degree / 2.0;
    if (want > pairs + 1e-9) {
        rc = causa_i_error(ctx, CAUSA_EINVAL,
                           "causa_graph_random_layered: %lld layers over %lld nodes allow at most "
                           "%.0f edges (expected degree %.3g), asked for degree %g; use fewer layers",
                           (long long)layers, (long long)p, pairs, pairs > 0 ? 2.0 * pairs / (double)p : 0.0,
                           expected_degree);
        goto done;
    }
    double q = pairs > 0 ? want / pairs : 0.0;
    causa_rng rng;
    causa_rng_init(&rng, seed, 0);
    causa_rng_permutation(&rng, perm, p);
    causa_rng_init(&rng, seed, 1);
    if (q > 0) {
        cap = (size_t)(want + 4.0 * sqrt(want) + 16.0);
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&edges, cap * sizeof *edges, "random edges"));
        for (int64_t l = 0; l + 1 < layers; l++)
            for (int64_t a = start[l]; a < start[l + 1]; a++)
                for (int64_t b = start[l + 1]; b < start[l + 2]; b++) {
                    if (!(causa_rng_uniform(&rng) < q)) continue;
                    if (nedges == cap) {
                        size_t ncap = cap + cap / 2 + 16;
                        dir_edge *e = causa_i_realloc(ctx, edges, causa_i_mul_size(ncap, sizeof *e));
                        if (!e) {
                            rc = causa_i_nomem(ctx, "random edges", ncap * sizeof *e);
                            goto done;
                        }
                        edges = e;
                        cap = ncap;
                    }
                    edges[nedges++] = (dir_edge){perm[a], perm[b]};
                }
    }
    CAUSA_TRY(build(ctx, p, edges, nedges, out));
done:
    causa_i_free(ctx, perm);
    causa_i_free(ctx, start);
    causa_i_free(ctx, edges);
    return rc;
}
