/*
 * oracle.c: the d-separation oracle CI test. Given the true graph, "X _||_ Y | Z" is answered
 * exactly by d-separation (m-separation for ADMGs and MAGs), so a constraint-based algorithm
 * run with this test must return exactly the equivalence class of the truth: the standard
 * way to test PC and FCI without sampling noise (Spirtes, Glymour & Scheines 2000, ch. 5).
 *
 * Queries go through causa_graph_separated, which allocates its O(p) workspace from a
 * context and may record an error on it. A context is used by one thread at a time, so the
 * queries are serialised with a lock held by the test (an OpenMP lock, not a named critical
 * section, which would add an exported symbol): the oracle is for tests of algorithms on
 * graphs of tens of nodes, where that costs nothing that matters.
 */
#include <string.h>
#if CAUSA_OPENMP
#include <omp.h>
#endif

#include "stats_i.h"

typedef struct oracle {
    causa_ctx *ctx;  /* the context the separation search allocates from */
    causa_graph *g;  /* our copy of the truth */
#if CAUSA_OPENMP
    omp_lock_t lock; /* serialises the queries (they share ctx) */
    int has_lock;
#endif
} oracle;

static size_t oracle_work_size(const void *state, int64_t max_cond) {
    (void)state;
    (void)max_cond;
    return 16; /* unused, but a workspace must be allocatable */
}

static int oracle_run(const void *state, void *work, int64_t max_cond, int64_t x, int64_t y,
                      const int64_t *z, int64_t nz, causa_citest_result *out) {
    (void)work;
    (void)max_cond;
    const oracle *o = state;
    int separated = 0, rc;
#if CAUSA_OPENMP
    omp_lock_t *lock = (omp_lock_t *)&o->lock; /* the state is const to queries but for this */
    omp_set_lock(lock);
#endif
    rc = causa_graph_separated(o->ctx, o->g, &x, 1, &y, 1, z, nz, &separated);
#if CAUSA_OPENMP
    omp_unset_lock(lock);
#endif
    if (rc) return rc;
    out->pvalue = separated ? 1.0 : 0.0;
    out->statistic = separated ? 0.0 : 1.0;
    out->effect = 0.0;
    out->df = 0.0;
    out->singular = 0;
    return CAUSA_OK;
}

static void oracle_free(causa_ctx *ctx, void *state) {
    oracle *o = state;
    if (!o) return;
#if CAUSA_OPENMP
    if (o->has_lock) omp_destroy_lock(&o->lock);
#endif
    causa_graph_free(o->g);
    causa_i_free(ctx, o);
}

static const causa_i_citest_vt oracle_vt = {"d-separation", oracle_work_size, oracle_run,
                                            oracle_free, NULL};

int causa_citest_oracle_new(causa_ctx *ctx, const causa_graph *g, causa_citest **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (!g) return causa_i_error(ctx, CAUSA_EMISUSE, "graph is NULL");
    int64_t p = causa_graph_nnodes(g);
    for (int64_t v = 0; v < p; v++)
        for (int64_t k = 0; k < causa_graph_degree(g, v); k++) {
            int64_t w;
            int mv, mw;
            causa_graph_neighbor(g, v, k, &w, &mv, &mw);
            if (mv == CAUSA_MARK_CIRCLE || mw == CAUSA_MARK_CIRCLE)
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "the oracle needs a graph without circle marks, but %s and "
                                     "%s are joined by an edge with a circle",
                                     causa_graph_name(g, v), causa_graph_name(g, w));
        }
    oracle *o = causa_i_calloc(ctx, 1, sizeof *o);
    if (!o) return causa_i_nomem(ctx, "d-separation oracle", sizeof *o);
    o->ctx = ctx;
#if CAUSA_OPENMP
    omp_init_lock(&o->lock);
    o->has_lock = 1;
#endif
    int rc = causa_graph_copy(ctx, g, &o->g);
    char **names = NULL;
    if (rc == CAUSA_OK) {
        const char **v = causa_i_malloc(ctx, (size_t)(p > 0 ? p : 1) * sizeof *v);
        if (!v) rc = causa_i_nomem(ctx, "variable names", (size_t)p * sizeof *v);
        else {
            for (int64_t j = 0; j < p; j++) v[j] = causa_graph_name(g, j);
            rc = causa_i_copy_names(ctx, p, v, &names);
            causa_i_free(ctx, v);
        }
    }
    if (rc) {
        oracle_free(ctx, o);
        return rc;
    }
    /* alpha is irrelevant to a 0/1 p-value; any value in (0, 1) gives the same answers. */
    return causa_i_citest_wrap(ctx, &oracle_vt, o, p, names, 0.5, out);
}
