/*
 * test_fci.c: FCI and RFCI.
 *
 *  - Exactness: with a d-separation oracle over a random DAG with latent confounders (the
 *    oracle answers for the observed nodes, in the full DAG), FCI returns exactly the PAG
 *    of the DAG's latent projection, causa_graph_mag_to_pag(causa_graph_latent_project()),
 *    on hundreds of graphs of up to 30 nodes. RFCI returns the same PAG whenever
 *    its skeleton is the true one, and otherwise a sound graph: every arrowhead and tail
 *    it shows is a true ancestral statement about the DAG (Colombo et al. 2012, section 3).
 *  - pcalg: fci() and rfci() with gaussCItest on linear-Gaussian data with latent columns,
 *    edge for edge (tests/data/fci/README.md).
 *  - causal-learn: its FCI expected outputs (tests/data/fci/README.md), compared with the
 *    differences documented there.
 *  - Determinism (threads 1 and 2, column permutations), knowledge, errors, out of memory.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/stats/stats_i.h"
#include "harness.h"
#include "util.h"

/* ---- a d-separation oracle over the observed nodes of a DAG with latent nodes ---- */

typedef struct latent_oracle {
    causa_ctx *ctx;
    causa_graph *dag;  /* the full DAG (a copy) */
    int64_t *obs;      /* observed node -> DAG node */
    int64_t nobs;
    int64_t fail_at;   /* > 0: queries with this many conditioning variables fail (CAUSA_EDATA) */
    int64_t fail_after; /* > 0: the queries after the first fail_after fail (one thread) */
    int64_t *count;     /* queries so far */
} latent_oracle;

static size_t lo_work_size(const void *state, int64_t max_cond) {
    const latent_oracle *o = state;
    (void)max_cond;
    return (size_t)(o->nobs + 1) * sizeof(int64_t);
}

static int lo_run(const void *state, void *work, int64_t max_cond, int64_t x, int64_t y, const int64_t *z,
                  int64_t nz, causa_citest_result *out) {
    const latent_oracle *o = state;
    int64_t *zz = work, ox = o->obs[x], oy = o->obs[y];
    (void)max_cond;
    if (o->fail_at > 0 && nz >= o->fail_at) return CAUSA_EDATA;
    if (o->fail_after > 0 && ++*o->count > o->fail_after) return CAUSA_EDATA;
    for (int64_t i = 0; i < nz; i++) zz[i] = o->obs[z[i]];
    int separated = 0, rc;
#if CAUSA_OPENMP
#pragma omp critical(test_fci_oracle)
#endif
    rc = causa_graph_separated(o->ctx, o->dag, &ox, 1, &oy, 1, zz, nz, &separated);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    out->pvalue = separated ? 1.0 : 0.0;
    out->statistic = separated ? 0.0 : 1.0;
    return CAUSA_OK;
}

static void lo_free(causa_ctx *ctx, void *state) {
    latent_oracle *o = state;
    if (!o) return;
    causa_graph_free(o->dag);
    causa_i_free(ctx, o->obs);
    causa_i_free(ctx, o->count);
    causa_i_free(ctx, o);
}

static const causa_i_citest_vt lo_vt = {"d-separation (observed)", lo_work_size, lo_run, lo_free, NULL};

/* The oracle over the nodes of dag not flagged LATENT, in the DAG's order. */
static int latent_oracle_new_failing(causa_ctx *ctx, const causa_graph *dag, int64_t fail_at,
                                     int64_t fail_after, causa_citest **out);
static int latent_oracle_new(causa_ctx *ctx, const causa_graph *dag, causa_citest **out) {
    return latent_oracle_new_failing(ctx, dag, 0, 0, out);
}
static int latent_oracle_new_failing(causa_ctx *ctx, const causa_graph *dag, int64_t fail_at,
                                     int64_t fail_after, causa_citest **out) {
    int64_t p = causa_graph_nnodes(dag), n = 0;
    latent_oracle *o = causa_i_calloc(ctx, 1, sizeof *o);
    if (!o) return CAUSA_ENOMEM;
    o->ctx = ctx;
    o->fail_at = fail_at;
    o->fail_after = fail_after;
    o->count = causa_i_calloc(ctx, 1, sizeof *o->count);
    o->obs = causa_i_malloc(ctx, (size_t)(p + 1) * sizeof *o->obs);
    const char **names = malloc((size_t)(p + 1) * sizeof *names);
    char **copy = NULL;
    int rc = o->obs && o->count && names ? causa_graph_copy(ctx, dag, &o->dag) : CAUSA_ENOMEM;
    if (!rc) {
        for (int64_t v = 0; v < p; v++)
            if (!(causa_graph_node_flags(dag, v) & CAUSA_NODE_LATENT)) {
                o->obs[n] = v;
                names[n++] = causa_graph_name(dag, v);
            }
        o->nobs = n;
        rc = causa_i_copy_names(ctx, n, names, &copy);
    }
    free(names);
    if (rc) {
        lo_free(ctx, o);
        return rc;
    }
    return causa_i_citest_wrap(ctx, &lo_vt, o, n, copy, 0.5, out);
}

/* ---- helpers ---- */

/* Same adjacencies (marks ignored)? */
static int same_skeleton(const causa_graph *x, const causa_graph *y) {
    if (causa_graph_nedges(x) != causa_graph_nedges(y)) return 0;
    int64_t m = causa_graph_nedges(x);
    causa_edge *e = malloc((size_t)(m + 1) * sizeof *e);
    causa_graph_edges(x, e);
    int same = 1;
    for (int64_t i = 0; i < m && same; i++) same = causa_graph_adjacent(y, e[i].a, e[i].b);
    free(e);
    return same;
}

/* A random DAG of p nodes with latent confounders: among the nodes with two or more
 * children, about one in two is flagged LATENT (and the first one always when `first`). */
static causa_graph *latent_dag(causa_ctx *ctx, int64_t p, double deg, uint64_t seed, int first) {
    causa_graph *dag = NULL;
    if (causa_graph_random_dag(ctx, p, deg, seed, &dag) != CAUSA_OK) return NULL;
    int64_t *ch = malloc((size_t)(p + 1) * sizeof *ch), nc, cand = 0;
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    for (int64_t v = 0; v < p; v++) {
        causa_graph_children(ctx, dag, v, ch, &nc);
        if (nc < 2) continue;
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        if ((first && cand == 0) || s % 2 == 0) causa_graph_set_node_flags(ctx, dag, v, CAUSA_NODE_LATENT);
        cand++;
    }
    free(ch);
    return dag;
}

/* The true PAG over the observed nodes. */
static causa_graph *true_pag(causa_ctx *ctx, const causa_graph *dag) {
    causa_graph *mag = NULL, *pag = NULL;
    if (causa_graph_latent_project(ctx, dag, 1, &mag) == CAUSA_OK) causa_graph_mag_to_pag(ctx, mag, &pag);
    causa_graph_free(mag);
    return pag;
}

/* Is a an ancestor of b in the DAG? */
static int is_ancestor(causa_ctx *ctx, const causa_graph *dag, int64_t a, int64_t b) {
    int64_t p = causa_graph_nnodes(dag), n = 0;
    int64_t *out = malloc((size_t)(p + 1) * sizeof *out);
    causa_graph_ancestors(ctx, dag, &b, 1, out, &n);
    int found = 0;
    for (int64_t i = 0; i < n && !found; i++) found = out[i] == a;
    free(out);
    return found;
}

/* Soundness of the marks of est (over the DAG's observed nodes): an arrowhead at v on
 * u *-> v claims v is not an ancestor of u, a tail at u on u --* v that u is an ancestor of
 * v (there are no selection variables). Returns the number of false claims. */
static int64_t unsound_marks(causa_ctx *ctx, const causa_graph *dag, const causa_graph *est) {
    int64_t p = causa_graph_nnodes(dag), nobs = 0, wrong = 0;
    int64_t *obs = malloc((size_t)(p + 1) * sizeof *obs);
    for (int64_t v = 0; v < p; v++)
        if (!(causa_graph_node_flags(dag, v) & CAUSA_NODE_LATENT)) obs[nobs++] = v;
    int64_t m = causa_graph_nedges(est);
    causa_edge *e = malloc((size_t)(m + 1) * sizeof *e);
    causa_graph_edges(est, e);
    for (int64_t i = 0; i < m; i++) {
        int64_t a = obs[e[i].a], b = obs[e[i].b];
        if (e[i].mark_b == CAUSA_MARK_ARROW && is_ancestor(ctx, dag, b, a)) wrong++;
        if (e[i].mark_a == CAUSA_MARK_ARROW && is_ancestor(ctx, dag, a, b)) wrong++;
        if (e[i].mark_a == CAUSA_MARK_TAIL && !is_ancestor(ctx, dag, a, b)) wrong++;
        if (e[i].mark_b == CAUSA_MARK_TAIL && !is_ancestor(ctx, dag, b, a)) wrong++;
    }
    free(e);
    free(obs);
    return wrong;
}

/* Does est keep every adjacency of truth, and every mark of truth that is not a circle?
 * (With knowledge, FCI may add marks, never lose the data's.) */
static int refines(const causa_graph *est, const causa_graph *truth) {
    int64_t m = causa_graph_nedges(truth);
    causa_edge *e = malloc((size_t)(m + 1) * sizeof *e);
    causa_graph_edges(truth, e);
    int ok = 1;
    for (int64_t i = 0; i < m && ok; i++) {
        int ma, mb;
        ok = causa_graph_edge(est, e[i].a, e[i].b, &ma, &mb) == 1 &&
             (e[i].mark_a == CAUSA_MARK_CIRCLE || ma == e[i].mark_a) &&
             (e[i].mark_b == CAUSA_MARK_CIRCLE || mb == e[i].mark_b);
    }
    free(e);
    return ok;
}

/* Pairs separated after the skeleton phase. */
static int64_t removed_late(const causa_discovery *r) {
    const causa_graph *g = causa_discovery_graph(r);
    int64_t n = 0, p = causa_graph_nnodes(g);
    for (int64_t a = 0; a < p; a++)
        for (int64_t b = a + 1; b < p; b++) {
            const char *s = causa_discovery_pair_stage(r, a, b);
            n += s && strcmp(s, "skeleton") != 0;
        }
    return n;
}

/* ---- exactness with the oracle ---- */

typedef struct sweep_stats {
    int64_t graphs, equal, sound_only, tests, pds_tests, removed_late, latent;
} sweep_stats;

/* Runs the algorithm on one latent DAG and checks it: FCI must return the true PAG; RFCI the
 * true PAG when its skeleton is the true one, else a sound supergraph. 0 on a failure. */
static int oracle_case(const causa_graph *dag, const causa_discover_options *opt, sweep_stats *st) {
    causa_citest *t = NULL;
    causa_discovery *r = NULL;
    causa_graph *truth = true_pag(T, dag);
    int ok = 0;
    if (!truth) {
        harness_fail(__FILE__, __LINE__, "true PAG: %s", causa_errmsg(T));
        return 0;
    }
    if (latent_oracle_new(T, dag, &t) != CAUSA_OK) goto done;
    if (causa_discover(T, t, opt, &r) != CAUSA_OK) {
        harness_fail(__FILE__, __LINE__, "causa_discover: %s", causa_errmsg(T));
        goto done;
    }
    const causa_graph *g = causa_discovery_graph(r);
    st->graphs++;
    st->tests += causa_discovery_ntests(r, -1) + causa_discovery_orientation_tests(r);
    st->pds_tests += causa_discovery_pds_ntests(r, -1);
    st->removed_late += removed_late(r);
    if (opt->algorithm == CAUSA_ALGO_FCI || same_skeleton(g, truth)) {
        ok = same_graph(g, truth) && causa_graph_kind(g) == CAUSA_KIND_PAG;
        st->equal += ok;
    } else {
        int64_t wrong = unsound_marks(T, dag, g), missing = 0;
        int64_t m = causa_graph_nedges(truth);
        causa_edge *e = malloc((size_t)(m + 1) * sizeof *e);
        causa_graph_edges(truth, e);
        for (int64_t i = 0; i < m; i++) missing += !causa_graph_adjacent(g, e[i].a, e[i].b);
        free(e);
        ok = wrong == 0 && missing == 0;
        st->sound_only += ok;
        if (!ok)
            harness_fail(__FILE__, __LINE__, "RFCI: %lld unsound marks, %lld true adjacencies missing",
                         (long long)wrong, (long long)missing);
    }
    if (!ok) {
        char a[16384], b[16384];
        harness_fail(__FILE__, __LINE__, "oracle %s (%lld observed):\n got  %s\n want %s",
                     causa_algorithm_name(opt->algorithm), (long long)causa_graph_nnodes(truth),
                     edge_text(g, a, sizeof a), edge_text(truth, b, sizeof b));
    }
done:
    causa_graph_free(truth);
    causa_discovery_free(r);
    causa_citest_free(t);
    return ok;
}

static void oracle_sweep(int64_t ngraphs, int64_t pmax, double maxdeg, const causa_discover_options *opt,
                         int threads, uint64_t seed0, sweep_stats *st) {
    causa_ctx_set_threads(T, threads);
    int64_t failures = 0;
    for (int64_t i = 0; i < ngraphs && failures < 3; i++) {
        int64_t p = 4 + (int64_t)((uint64_t)(i * 7919) % (uint64_t)(pmax - 3));
        double deg = 1.0 + (double)(i % 5) * (maxdeg - 1.0) / 4.0;
        causa_graph *dag = latent_dag(T, p, deg, seed0 + (uint64_t)i, 1);
        if (!dag) {
            harness_fail(__FILE__, __LINE__, "random DAG: %s", causa_errmsg(T));
            return;
        }
        for (int64_t v = 0; v < p; v++) st->latent += (causa_graph_node_flags(dag, v) & CAUSA_NODE_LATENT) != 0;
        if (!oracle_case(dag, opt, st)) failures++;
        causa_graph_free(dag);
    }
    CHECK_INT(failures, 0);
    causa_ctx_set_threads(T, 1);
}

/* DAGs whose skeleton phase keeps an edge that only a subset of Possible-D-SEP removes
 * (found by search: latent_dag(p, deg, seed, 0) with these arguments). */
static const struct {
    int64_t p;
    double deg;
    uint64_t seed;
} needs_pds[] = {{7, 2.0, 64130}, {12, 3.0, 5358}, {13, 3.5, 8615}, {12, 3.0, 16470}};

/* The smallest of them, by hand: X2 and X4 latent, X2 -> X3, X2 -> X6, X4 -> X1, X4 -> X5,
 * X5 -> X3, X6 -> X1, X7 -> X5, X7 -> X6. X1 and X3 are m-separated only by {X5, X6, X7}
 * (given X5 and X6, the path X1 <-> X5 <- X7 -> X6 <-> X3 is open), and X7 is adjacent to
 * neither: the skeleton phase cannot remove X1 - X3. */
static causa_graph *pds_example(causa_ctx *ctx) {
    causa_graph *dag = NULL;
    if (causa_graph_new(ctx, 7, NULL, &dag) != CAUSA_OK) return NULL;
    static const int64_t arcs[][2] = {{1, 2}, {1, 5}, {3, 0}, {3, 4}, {4, 2}, {5, 0}, {6, 4}, {6, 5}};
    for (size_t i = 0; i < sizeof arcs / sizeof arcs[0]; i++)
        causa_graph_add_edge(ctx, dag, arcs[i][0], arcs[i][1], CAUSA_MARK_TAIL, CAUSA_MARK_ARROW);
    causa_graph_set_node_flags(ctx, dag, 1, CAUSA_NODE_LATENT);
    causa_graph_set_node_flags(ctx, dag, 3, CAUSA_NODE_LATENT);
    return dag;
}

TEST(fci_oracle_textbook_example) {
    /* X1 -> X2 <- L -> X3 <- X4, L latent: X1 o-> X2 <-> X3 <-o X4 for both algorithms */
    const char *names[] = {"X1", "X2", "X3", "X4", "L"};
    causa_graph *dag = NULL;
    CHECK_OK(causa_graph_new(T, 5, names, &dag));
    CHECK_OK(causa_graph_add_edge(T, dag, 0, 1, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    CHECK_OK(causa_graph_add_edge(T, dag, 3, 2, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    CHECK_OK(causa_graph_add_edge(T, dag, 4, 1, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    CHECK_OK(causa_graph_add_edge(T, dag, 4, 2, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    CHECK_OK(causa_graph_set_node_flags(T, dag, 4, CAUSA_NODE_LATENT));
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    sweep_stats st = {0};
    for (int algo = CAUSA_ALGO_FCI; algo <= CAUSA_ALGO_RFCI; algo++) {
        opt.algorithm = algo;
        CHECK(oracle_case(dag, &opt, &st));
        causa_citest *t = NULL;
        causa_discovery *r = NULL;
        CHECK_OK(latent_oracle_new(T, dag, &t));
        CHECK_OK(causa_discover(T, t, &opt, &r));
        char buf[256];
        CHECK_STR(edge_text(causa_discovery_graph(r), buf, sizeof buf), "X1 o-> X2, X2 <-> X3, X3 <-o X4");
        CHECK_INT(causa_graph_kind(causa_discovery_graph(r)), CAUSA_KIND_PAG);
        CHECK_INT(causa_discovery_ntriples(r), 2);
        CHECK_INT(causa_discovery_ncolliders(r), 2);
        causa_pair_info info;
        CHECK_OK(causa_discovery_pair(r, 0, 3, &info));
        CHECK_INT(info.status, CAUSA_PAIR_SEPARATED);
        CHECK_STR(causa_discovery_pair_stage(r, 0, 3), "skeleton");
        CHECK(causa_discovery_pair_stage(r, 0, 1) == NULL); /* adjacent */
        CHECK(causa_discovery_pair_stage(r, 0, 0) == NULL);
        CHECK(causa_discovery_pair_stage(r, 0, 9) == NULL);
        causa_discovery_free(r);
        causa_citest_free(t);
    }
    causa_graph_free(dag);
}

TEST(fci_oracle_needs_possible_dsep) {
    causa_graph *dag = pds_example(T);
    causa_citest *t = NULL;
    CHECK_OK(latent_oracle_new(T, dag, &t));
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    opt.algorithm = CAUSA_ALGO_FCI;
    causa_discovery *r = NULL;
    /* FCI: the Possible-D-SEP stage removes X1 - X3 with {X5, X6, X7}; the true PAG */
    CHECK_OK(causa_discover(T, t, &opt, &r));
    char buf[512];
    CHECK_STR(edge_text(causa_discovery_graph(r), buf, sizeof buf),
              "X1 <-> X5, X1 <-- X6, X3 <-- X5, X3 <-> X6, X5 <-o X7, X6 <-o X7");
    causa_pair_info info;
    /* observed: X1 X3 X5 X6 X7 = 0 1 2 3 4 */
    CHECK_OK(causa_discovery_pair(r, 0, 1, &info));
    CHECK_INT(info.status, CAUSA_PAIR_SEPARATED);
    CHECK_INT(info.depth, 3);
    CHECK_INT(info.sepset_size, 3);
    CHECK(info.sepset && info.sepset[0] == 2 && info.sepset[1] == 3 && info.sepset[2] == 4);
    CHECK_STR(causa_discovery_pair_stage(r, 0, 1), "possible-dsep");
    CHECK(causa_discovery_pds_ntests(r, -1) > 0);
    CHECK_INT(causa_discovery_pds_ntests(r, -1), causa_discovery_pds_ntests(r, 1) + causa_discovery_pds_ntests(r, 2) +
                                                     causa_discovery_pds_ntests(r, 3));
    CHECK_INT(causa_discovery_pds_ntests(r, 0), 0);
    CHECK_INT(causa_discovery_pds_ntests(r, 99), 0);
    sweep_stats st = {0};
    CHECK(oracle_case(dag, &opt, &st));
    causa_discovery_free(r);
    r = NULL;
    /* without it (pcalg's doPdsep = FALSE) the edge stays */
    opt.possible_dsep = 0;
    CHECK_OK(causa_discover(T, t, &opt, &r));
    CHECK(causa_graph_adjacent(causa_discovery_graph(r), 0, 1));
    CHECK_INT(causa_discovery_pds_ntests(r, -1), 0);
    causa_discovery_free(r);
    r = NULL;
    /* paths of one edge: Possible-D-SEP(X) = adj(X), nothing to test; two edges reach X7 */
    opt.possible_dsep = 1;
    opt.max_path_length = 1;
    CHECK_OK(causa_discover(T, t, &opt, &r));
    CHECK(causa_graph_adjacent(causa_discovery_graph(r), 0, 1));
    CHECK_INT(causa_discovery_pds_ntests(r, -1), 0);
    causa_discovery_free(r);
    r = NULL;
    opt.max_path_length = 2;
    CHECK_OK(causa_discover(T, t, &opt, &r));
    CHECK(!causa_graph_adjacent(causa_discovery_graph(r), 0, 1));
    causa_discovery_free(r);
    r = NULL;
    /* RFCI keeps the edge (it makes no Possible-D-SEP tests) but its marks stay sound */
    opt.algorithm = CAUSA_ALGO_RFCI;
    opt.max_path_length = -1;
    CHECK_OK(causa_discover(T, t, &opt, &r));
    CHECK(causa_graph_adjacent(causa_discovery_graph(r), 0, 1));
    CHECK_INT(unsound_marks(T, dag, causa_discovery_graph(r)), 0);
    CHECK(oracle_case(dag, &opt, &st));
    CHECK_INT(st.sound_only, 1);
    causa_discovery_free(r);
    causa_citest_free(t);
    causa_graph_free(dag);
    /* the larger ones found by search */
    for (size_t i = 0; i < sizeof needs_pds / sizeof needs_pds[0]; i++) {
        dag = latent_dag(T, needs_pds[i].p, needs_pds[i].deg, needs_pds[i].seed, 0);
        sweep_stats s2 = {0};
        opt.algorithm = CAUSA_ALGO_FCI;
        CHECK(oracle_case(dag, &opt, &s2));
        CHECK(s2.removed_late > 0);
        opt.algorithm = CAUSA_ALGO_RFCI;
        CHECK(oracle_case(dag, &opt, &s2));
        CHECK_INT(s2.sound_only, 1);
        causa_graph_free(dag);
    }
}

TEST(fci_oracle_random_latent_dags) {
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    opt.algorithm = CAUSA_ALGO_FCI;
    sweep_stats st = {0};
    oracle_sweep(240, 20, 3.0, &opt, 1, 100, &st);
    oracle_sweep(60, 30, 2.5, &opt, 2, 5000, &st);
    CHECK_INT(st.equal, st.graphs);
    CHECK(st.latent > st.graphs); /* latent variables in most graphs */
    CHECK(st.pds_tests > 0);      /* and the Possible-D-SEP stage tested */
    /* the original (order-dependent) skeleton and the union separating sets too */
    opt.stable = 0;
    oracle_sweep(60, 20, 3.0, &opt, 1, 9000, &st);
    opt.stable = 1;
    opt.sepsets = CAUSA_SEPSETS_UNION;
    oracle_sweep(60, 20, 3.0, &opt, 2, 9500, &st);
    CHECK_INT(st.equal, st.graphs);
    printf("    fci oracle: %lld graphs, all equal to the true PAG; %lld latent nodes, %lld tests, "
           "%lld Possible-D-SEP tests\n",
           (long long)st.graphs, (long long)st.latent, (long long)st.tests, (long long)st.pds_tests);
}

TEST(rfci_oracle_random_latent_dags) {
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    opt.algorithm = CAUSA_ALGO_RFCI;
    sweep_stats st = {0};
    oracle_sweep(240, 20, 3.0, &opt, 1, 100, &st);
    oracle_sweep(60, 30, 2.5, &opt, 2, 5000, &st);
    CHECK_INT(st.equal + st.sound_only, st.graphs);
    CHECK(st.equal > st.graphs * 9 / 10);
    printf("    rfci oracle: %lld graphs, %lld equal to the true PAG, %lld with extra edges and "
           "sound marks\n",
           (long long)st.graphs, (long long)st.equal, (long long)st.sound_only);
}

/* ---- pcalg's fci() and rfci() on linear-Gaussian data with latent columns ---- */

/* Compares the graph with a pcalg edge file (as sets of lines); returns the number of
 * differing lines. */
static int64_t compare_edges(const causa_graph *g, const char *file, const char *what) {
    lines want = {0}, got = {0};
    int64_t diffs = 1;
    char label[512];
    snprintf(label, sizeof label, "%s, against %s", what, file);
    if (lines_read(file, &want)) {
        graph_edge_lines(g, &got);
        diffs = lines_compare(&want, &got, label);
    }
    lines_free(&want);
    lines_free(&got);
    return diffs;
}

/* Compares the separating sets of the non-adjacent pairs with pcalg's ("A B : S1 S2"),
 * line by line in pair order. */
static int64_t compare_sepsets(const causa_discovery *r, const char *file, const char *what) {
    lines want = {0}, got = {0};
    if (!lines_read(file, &want)) return 1;
    sepset_lines(r, &got);
    int64_t diffs = 0;
    for (int64_t k = 0; k < got.n; k++)
        if (k >= want.n || strcmp(got.v[k], want.v[k]) != 0) {
            if (!diffs)
                harness_fail(__FILE__, __LINE__, "%s: separating set \"%s\", pcalg \"%s\" (%s)", what, got.v[k],
                             k < want.n ? want.v[k] : "(none)", file);
            diffs++;
        }
    if (got.n != want.n) {
        harness_fail(__FILE__, __LINE__, "%s: %lld separated pairs, pcalg %lld", what, (long long)got.n,
                     (long long)want.n);
        diffs++;
    }
    lines_free(&want);
    lines_free(&got);
    return diffs;
}

static const struct pcalg_case {
    const char *csv, *drop, *tag, *alpha;
    int fci; /* 0: the RFCI files only */
} pcalg_cases[] = {
    {"pcalg/lg_p10_n500.csv", "X8 X9", "lg_p10_n500_latent_X8_X9", "0.01", 1},
    {"pcalg/lg_p10_n500.csv", "X8 X9", "lg_p10_n500_latent_X8_X9", "0.05", 1},
    {"pcalg/lg_p20_n1000.csv", "X3 X11 X12", "lg_p20_n1000_latent_X3_X11_X12", "0.01", 1},
    {"pcalg/lg_p20_n1000.csv", "X3 X11 X12", "lg_p20_n1000_latent_X3_X11_X12", "0.05", 1},
    {"pcalg/lg_p30_n2000.csv", "X27 X1 X7", "lg_p30_n2000_latent_X27_X1_X7", "0.01", 1},
    {"pcalg/lg_p30_n2000.csv", "X7", "lg_p30_n2000_latent_X7", "0.01", 0}, /* FCI: 17.6M tests */
    {"pcalg/lg_p50_n1000.csv", "X12 X48 X14 X9", "lg_p50_n1000_latent_X12_X48_X14_X9", "0.01", 1},
    {"fci/lg_p15_n200.csv", "X9", "lg_p15_n200_latent_X9", "0.01", 1},
    {"fci/lg_p15_n200.csv", "X9", "lg_p15_n200_latent_X9", "0.05", 1},
};

TEST(fci_pcalg_reference_outputs) {
    int64_t late[3] = {0, 0, 0};
    for (size_t c = 0; c < sizeof pcalg_cases / sizeof pcalg_cases[0]; c++) {
        const struct pcalg_case *k = &pcalg_cases[c];
        causa_dataset *ds = read_without(T, k->csv, k->drop, 0);
        if (!ds) return;
        causa_citest *test = NULL;
        CHECK_OK(causa_citest_new(T, ds, NULL, &test));
        /* pcalg's defaults: skel.method = "stable", doPdsep = TRUE, m.max = Inf, all ten rules,
         * conservative = maj.rule = FALSE; RFCI: the same skeleton */
        for (int v = k->fci ? 0 : 2; v < 3; v++) {
            causa_discover_options opt;
            causa_discover_options_init(&opt);
            opt.alpha = atof(k->alpha);
            opt.algorithm = v == 2 ? CAUSA_ALGO_RFCI : CAUSA_ALGO_FCI;
            opt.possible_dsep = v == 0;
            causa_discovery *r = NULL;
            CHECK_OK(causa_discover(T, test, &opt, &r));
            if (!r) continue;
            static const char *const kind[] = {"fci", "fci_nopdsep", "rfci"};
            char file[256], what[256];
            snprintf(file, sizeof file, "fci/%s.%s_a%s.edges", k->tag, kind[v], k->alpha);
            snprintf(what, sizeof what, "%s %s alpha %s", k->tag, kind[v], k->alpha);
            compare_edges(causa_discovery_graph(r), file, what);
            if (v != 1) {
                snprintf(file, sizeof file, "fci/%s.%s_a%s.sepsets", k->tag, kind[v], k->alpha);
                compare_sepsets(r, file, what);
            }
            late[v] += removed_late(r);
            causa_discovery_free(r);
        }
        causa_citest_free(test);
        causa_dataset_free(ds);
    }
    /* the stages that follow the skeleton did remove edges on these data */
    CHECK(late[0] >= 10);
    CHECK_INT(late[1], 0);
    CHECK(late[2] >= 3);
}

/* ---- causal-learn's expected outputs ---- */

TEST(fci_causal_learn_expected_outputs) {
    /* fci(data, test, 0.05) of causal-learn (depth -1, max_path_length -1) on its fixtures.
     * The differences are documented in tests/data/fci/README.md: causal-learn's
     * Possible-D-SEP is Tetrad's narrower one and skips single-node sets (so with
     * possible_dsep = 0 the skeletons agree), and its R4, R9 and R10 differ from Zhang's
     * (pcalg returns causa's graphs: linear_10 is checked against pcalg below). */
    static const struct {
        const char *data, *expected, *test;
        int discrete, pds;
        int64_t ndiff;
        const char *which;
    } cases[] = {
        {"causal-learn/data_linear_10.txt", "linear_10_fci_fisherz_0.05.txt", "fisher-z", 0, 1, 10,
         "X1-X9 X1-X20 X3-X10 X8-X9 X8-X14 X8-X19 X10-X12 X10-X16 X12-X15 X16-X20"},
        {"causal-learn/data_linear_10.txt", "linear_10_fci_fisherz_0.05.txt", "fisher-z", 0, 0, 3,
         "X8-X9 X8-X14 X8-X19"},
        {"fci/causal-learn/bnlearn_cancer.txt", "bnlearn_discrete_10000_cancer_fci_chisq_0.05.txt", "chi-square", 1, 1, 0, ""},
        {"fci/causal-learn/bnlearn_earthquake.txt", "bnlearn_discrete_10000_earthquake_fci_chisq_0.05.txt", "chi-square", 1, 1, 0, ""},
        {"fci/causal-learn/bnlearn_asia.txt", "bnlearn_discrete_10000_asia_fci_chisq_0.05.txt", "chi-square", 1, 1, 1, "X4-X6"},
        {"fci/causal-learn/bnlearn_survey.txt", "bnlearn_discrete_10000_survey_fci_chisq_0.05.txt", "chi-square", 1, 1, 3,
         "X3-X4 X4-X6 X5-X6"},
        {"fci/causal-learn/bnlearn_survey.txt", "bnlearn_discrete_10000_survey_fci_chisq_0.05.txt", "chi-square", 1, 0, 0, ""},
        {"fci/causal-learn/bnlearn_sachs.txt", "bnlearn_discrete_10000_sachs_fci_chisq_0.05.txt", "chi-square", 1, 1, 1,
         "X2-X4"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        causa_dataset *ds = read_without(T, cases[c].data, NULL, cases[c].discrete);
        if (!ds) return;
        causa_citest_options to;
        causa_citest_options_init(&to);
        to.name = cases[c].test;
        causa_discover_options opt;
        causa_discover_options_init(&opt);
        opt.algorithm = CAUSA_ALGO_FCI;
        opt.alpha = 0.05;
        opt.possible_dsep = cases[c].pds;
        causa_discovery *r = NULL;
        CHECK_OK(causa_discover_data(T, ds, &to, &opt, &r));
        if (r) {
            char which[512], path[256];
            snprintf(path, sizeof path, "fci/causal-learn/%s", cases[c].expected);
            int64_t d = endpoint_diffs(causa_discovery_graph(r), path, which, sizeof which);
            if (d != cases[c].ndiff || strcmp(which, cases[c].which) != 0)
                harness_fail(__FILE__, __LINE__, "%s (pds %d): %lld pairs differ (%s), expected %lld (%s)",
                             cases[c].expected, cases[c].pds, (long long)d, which, (long long)cases[c].ndiff,
                             cases[c].which);
            if (c < 2) { /* pcalg 2.7-12 on the same data: equal */
                snprintf(path, sizeof path, "fci/causal-learn/linear_10.pcalg_fci%s_a0.05.edges",
                         cases[c].pds ? "" : "_nopdsep");
                compare_edges(causa_discovery_graph(r), path, "causal-learn's linear_10 against pcalg");
            }
            causa_discovery_free(r);
        }
        causa_dataset_free(ds);
    }
}

/* ---- determinism: threads, column order ---- */

/* The JSON of a result with the times zeroed. */
static char *json_of(causa_discovery *r) {
    for (int ph = 0; ph < CAUSA_NPHASES; ph++) causa_discovery_set_seconds(r, ph, 0);
    char *js = NULL;
    size_t len;
    CHECK_OK(causa_discovery_json(T, r, 0, &js, &len));
    return js;
}

TEST(fci_threads_give_identical_results) {
    causa_dataset *ds = read_without(T, "pcalg/lg_p30_n2000.csv", "X27 X1 X7", 0);
    causa_dataset *ds2 = read_without(T, "fci/lg_p15_n200.csv", "X9", 0);
    if (!ds || !ds2) return;
    for (int c = 0; c < 4; c++) {
        causa_discover_options opt;
        causa_discover_options_init(&opt);
        opt.algorithm = c % 2 ? CAUSA_ALGO_RFCI : CAUSA_ALGO_FCI;
        opt.alpha = c < 2 ? 0.01 : 0.05;
        opt.stable = c != 2;
        char *js[2] = {NULL, NULL};
        for (int t = 0; t < 2; t++) {
            causa_ctx_set_threads(T, t + 1);
            causa_discovery *r = NULL;
            CHECK_OK(causa_discover_data(T, c < 2 ? ds : ds2, NULL, &opt, &r));
            if (r) js[t] = json_of(r);
            causa_discovery_free(r);
        }
        CHECK(js[0] && js[1] && strcmp(js[0], js[1]) == 0);
        causa_free(T, js[0]);
        causa_free(T, js[1]);
    }
    causa_ctx_set_threads(T, 1);
    causa_dataset_free(ds);
    causa_dataset_free(ds2);
}

/* The same data set with its columns in another order (a fixed shuffle). */
static causa_dataset *shuffled(causa_ctx *ctx, const causa_dataset *ds) {
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    double *x = malloc((size_t)(n * p + 1) * sizeof *x);
    const char **names = malloc((size_t)(p + 1) * sizeof *names);
    int64_t *perm = malloc((size_t)p * sizeof *perm);
    uint64_t s = 12345;
    for (int64_t j = 0; j < p; j++) perm[j] = j;
    for (int64_t j = p - 1; j > 0; j--) { /* Fisher-Yates with a fixed generator */
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        int64_t k = (int64_t)((s >> 33) % (uint64_t)(j + 1)), tmp = perm[j];
        perm[j] = perm[k];
        perm[k] = tmp;
    }
    for (int64_t j = 0; j < p; j++) {
        memcpy(x + j * n, causa_dataset_column(ds, perm[j]), (size_t)n * sizeof *x);
        names[j] = causa_dataset_name(ds, perm[j]);
    }
    free(perm);
    causa_matrix m = causa_matrix_colmajor(x, n, p);
    causa_dataset *out = NULL;
    CHECK_OK(causa_dataset_from_matrix(ctx, &m, names, &out));
    free(x);
    free(names);
    return out;
}

/* Same edges, separating sets, largest p-values (to 1e-10) and stages, matched by name. */
static int same_result_by_name(const causa_discovery *a, const causa_discovery *b) {
    const causa_graph *ga = causa_discovery_graph(a), *gb = causa_discovery_graph(b);
    int64_t p = causa_graph_nnodes(ga);
    if (causa_graph_nedges(ga) != causa_graph_nedges(gb)) return 0;
    for (int64_t i = 0; i < p; i++)
        for (int64_t j = i + 1; j < p; j++) {
            int64_t bi = causa_graph_find(gb, causa_graph_name(ga, i)), bj = causa_graph_find(gb, causa_graph_name(ga, j));
            int ma = 0, mb = 0, na = 0, nb = 0;
            int ea = causa_graph_edge(ga, i, j, &ma, &mb), eb = causa_graph_edge(gb, bi, bj, &na, &nb);
            if (ea != eb || ma != na || mb != nb) {
                printf("    edge %s-%s differs\n", causa_graph_name(ga, i), causa_graph_name(ga, j));
                return 0;
            }
            causa_pair_info x, y;
            causa_discovery_pair(a, i, j, &x);
            causa_discovery_pair(b, bi, bj, &y);
            if (x.status != y.status || x.sepset_size != y.sepset_size || x.depth != y.depth) {
                printf("    pair %s-%s differs\n", causa_graph_name(ga, i), causa_graph_name(ga, j));
                return 0;
            }
            /* the correlation matrix of permuted columns differs in its last bits */
            if (!(fabs(x.pmax - y.pmax) <= 1e-10 * fabs(x.pmax) || (isnan(x.pmax) && isnan(y.pmax)))) {
                printf("    pmax %s-%s: %.17g %.17g\n", causa_graph_name(ga, i), causa_graph_name(ga, j), x.pmax, y.pmax);
                return 0;
            }
            for (int64_t k = 0; k < x.sepset_size; k++) {
                int found = 0;
                for (int64_t l = 0; l < y.sepset_size && !found; l++)
                    found = strcmp(causa_graph_name(ga, x.sepset[k]), causa_graph_name(gb, y.sepset[l])) == 0;
                if (!found) return 0;
            }
            const char *sa = causa_discovery_pair_stage(a, i, j), *sb = causa_discovery_pair_stage(b, bi, bj);
            if ((sa == NULL) != (sb == NULL) || (sa && strcmp(sa, sb) != 0)) return 0;
        }
    return 1;
}

TEST(fci_column_order_does_not_matter) {
    const struct {
        const char *csv, *drop;
        double alpha;
    } cases[] = {{"pcalg/lg_p30_n2000.csv", "X27 X1 X7", 0.01},
                 {"pcalg/lg_p20_n1000.csv", "X3 X11 X12", 0.05},
                 {"fci/lg_p15_n200.csv", "X9", 0.05}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        causa_dataset *ds = read_without(T, cases[c].csv, cases[c].drop, 0);
        if (!ds) return;
        causa_dataset *sh = shuffled(T, ds);
        for (int algo = CAUSA_ALGO_FCI; algo <= CAUSA_ALGO_RFCI; algo++) {
            causa_discover_options opt;
            causa_discover_options_init(&opt);
            opt.algorithm = algo;
            opt.alpha = cases[c].alpha;
            causa_discovery *r1 = NULL, *r2 = NULL;
            CHECK_OK(causa_discover_data(T, ds, NULL, &opt, &r1));
            causa_ctx_set_threads(T, 2);
            CHECK_OK(causa_discover_data(T, sh, NULL, &opt, &r2));
            causa_ctx_set_threads(T, 1);
            if (r1 && r2 && !same_result_by_name(r1, r2))
                harness_fail(__FILE__, __LINE__, "%s %s: a column permutation changed the result", cases[c].csv,
                             causa_algorithm_name(algo));
            causa_discovery_free(r1);
            causa_discovery_free(r2);
        }
        causa_dataset_free(sh);
        causa_dataset_free(ds);
    }
}

/* ---- background knowledge ---- */

TEST(fci_knowledge_tiers_on_latent_dags) {
    /* Tiers from a causal order of the DAG: X --> Y forbidden whenever X comes later, so FCI
     * puts an arrowhead at every later endpoint. The result must keep every adjacency and
     * every non-circle mark of the true PAG, and every mark it adds must be true. */
    int64_t graphs = 0, added = 0;
    for (int64_t i = 0; i < 120; i++) {
        int64_t p = 5 + i % 12;
        causa_graph *dag = latent_dag(T, p, 1.5 + (double)(i % 4) * 0.5, 300 + (uint64_t)i, 1);
        causa_graph *truth = true_pag(T, dag);
        causa_citest *t = NULL;
        CHECK_OK(latent_oracle_new(T, dag, &t));
        int64_t *topo = malloc((size_t)p * sizeof *topo), nobs = causa_citest_nvars(t);
        const char **names = malloc((size_t)(nobs + 1) * sizeof *names);
        for (int64_t j = 0; j < nobs; j++) names[j] = causa_citest_var_name(t, j);
        causa_knowledge *k = NULL;
        CHECK_OK(causa_knowledge_new(T, nobs, names, &k));
        CHECK_OK(causa_graph_topological_order(T, dag, topo));
        int64_t tier = 0;
        for (int64_t j = 0; j < p; j++) {
            int64_t v = causa_knowledge_find(k, causa_graph_name(dag, topo[j]));
            if (v >= 0 && (i % 3 != 0 || j % 2 == 0)) /* some tiers hold two variables */
                tier++;
            if (v >= 0) CHECK_OK(causa_knowledge_set_tier(T, k, v, tier > 0 ? tier : 1));
        }
        for (int algo = CAUSA_ALGO_FCI; algo <= CAUSA_ALGO_RFCI; algo++) {
            causa_discover_options opt;
            causa_discover_options_init(&opt);
            opt.algorithm = algo;
            opt.knowledge = k;
            causa_discovery *r = NULL;
            CHECK_OK(causa_discover(T, t, &opt, &r));
            if (!r) continue;
            const causa_graph *g = causa_discovery_graph(r);
            CHECK_INT(unsound_marks(T, dag, g), 0);
            if (algo == CAUSA_ALGO_FCI) {
                if (!refines(g, truth)) {
                    char a[8192], b[8192];
                    harness_fail(__FILE__, __LINE__, "tiers lost a mark:\n got  %s\n want %s",
                                 edge_text(g, a, sizeof a), edge_text(truth, b, sizeof b));
                }
                added += !same_graph(g, truth);
                graphs++;
            }
            causa_discovery_free(r);
        }
        free(topo);
        free(names);
        causa_knowledge_free(k);
        causa_citest_free(t);
        causa_graph_free(truth);
        causa_graph_free(dag);
    }
    CHECK(added > 0); /* the tiers did orient something the data alone could not */
    printf("    tiers: %lld graphs, %lld more oriented than the PAG, every mark true\n", (long long)graphs,
           (long long)added);
}

TEST(fci_knowledge_required_forbidden_and_gaps) {
    /* X1 -> X2 <- L -> X3 <- X4 (L latent): PAG X1 o-> X2 <-> X3 <-o X4 */
    const char *names[] = {"X1", "X2", "X3", "X4", "L"};
    causa_graph *dag = NULL;
    CHECK_OK(causa_graph_new(T, 5, names, &dag));
    CHECK_OK(causa_graph_add_edge(T, dag, 0, 1, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    CHECK_OK(causa_graph_add_edge(T, dag, 3, 2, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    CHECK_OK(causa_graph_add_edge(T, dag, 4, 1, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    CHECK_OK(causa_graph_add_edge(T, dag, 4, 2, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    CHECK_OK(causa_graph_set_node_flags(T, dag, 4, CAUSA_NODE_LATENT));
    causa_citest *t = NULL;
    CHECK_OK(latent_oracle_new(T, dag, &t));
    const char *obs[] = {"X1", "X2", "X3", "X4"};
    static const char *const text =
        "/knowledge\nforbiddirect\nX2 X1\n\nrequiredirect\nX4 X3\n";
    causa_knowledge *k = NULL;
    CHECK_OK(causa_knowledge_read_buffer(T, "k.txt", text, strlen(text), 4, obs, &k));
    for (int algo = CAUSA_ALGO_FCI; algo <= CAUSA_ALGO_RFCI; algo++) {
        causa_discover_options opt;
        causa_discover_options_init(&opt);
        opt.algorithm = algo;
        opt.knowledge = k;
        causa_discovery *r = NULL;
        CHECK_OK(causa_discover(T, t, &opt, &r));
        char buf[256];
        /* X2 --> X1 forbidden: arrowhead at X2 (already there); required X4 --> X3 */
        CHECK_STR(edge_text(causa_discovery_graph(r), buf, sizeof buf), "X1 o-> X2, X2 <-> X3, X3 <-- X4");
        char *js = NULL;
        size_t len;
        CHECK_OK(causa_discovery_json(T, r, 6, &js, &len));
        CHECK_CONTAINS(js, "\"knowledge\": true");
        causa_free(T, js);
        causa_discovery_free(r);
    }
    causa_knowledge_free(k);
    /* X1 --> X2 forbidden (X1 is no cause of X2: arrowhead at X1), X2 - X3 a gap */
    static const char *const text2 =
        "/knowledge\nforbiddirect\nX1 X2\nX2 X3\nX3 X2\n";
    CHECK_OK(causa_knowledge_read_buffer(T, "k2.txt", text2, strlen(text2), 4, obs, &k));
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    opt.algorithm = CAUSA_ALGO_FCI;
    opt.knowledge = k;
    causa_discovery *r = NULL;
    CHECK_OK(causa_discover(T, t, &opt, &r));
    const causa_graph *g = causa_discovery_graph(r);
    CHECK(!causa_graph_adjacent(g, 1, 2));
    causa_pair_info info;
    CHECK_OK(causa_discovery_pair(r, 1, 2, &info));
    CHECK_INT(info.status, CAUSA_PAIR_FORBIDDEN);
    CHECK(causa_discovery_pair_stage(r, 1, 2) == NULL);
    int m1, m2;
    CHECK(causa_graph_edge(g, 0, 1, &m1, &m2) == 1 && m1 == CAUSA_MARK_ARROW);
    causa_discovery_free(r);
    causa_knowledge_free(k);
    /* knowledge naming a variable the data lacks */
    const char *more[] = {"X1", "X2", "X3", "X4", "Z"};
    CHECK_OK(causa_knowledge_new(T, 5, more, &k));
    CHECK_OK(causa_knowledge_forbid(T, k, 4, 0));
    opt.knowledge = k;
    CHECK_ERR(causa_discover(T, t, &opt, &r), CAUSA_ENOTFOUND);
    CHECK(r == NULL);
    causa_knowledge_free(k);
    causa_citest_free(t);
    causa_graph_free(dag);
}

/* ---- options, errors, interrupts, memory ---- */

TEST(fci_rejects_bad_options) {
    causa_graph *dag = pds_example(T);
    causa_citest *t = NULL;
    CHECK_OK(latent_oracle_new(T, dag, &t));
    causa_discover_options opt;
    causa_discovery *r = NULL;
    causa_discover_options_init(&opt);
    CHECK_INT(opt.possible_dsep, 1);
    CHECK_INT(opt.max_path_length, -1);
    opt.algorithm = CAUSA_ALGO_FCI;
    opt.colliders = CAUSA_COLLIDERS_CONSERVATIVE;
    CHECK_ERR(causa_discover(T, t, &opt, &r), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "colliders must be CAUSA_COLLIDERS_SEPSETS for fci");
    causa_discover_options_init(&opt);
    opt.algorithm = CAUSA_ALGO_RFCI;
    opt.conflicts = CAUSA_CONFLICT_OVERWRITE;
    CHECK_ERR(causa_discover(T, t, &opt, &r), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "conflicts must be CAUSA_CONFLICT_PRIORITY for rfci");
    causa_discover_options_init(&opt);
    opt.algorithm = CAUSA_ALGO_FCI;
    opt.order = CAUSA_ORDER_STRENGTH;
    CHECK_ERR(causa_discover(T, t, &opt, &r), CAUSA_EINVAL);
    causa_discover_options_init(&opt);
    opt.algorithm = CAUSA_ALGO_FCI;
    opt.max_path_length = 0;
    CHECK_ERR(causa_discover(T, t, &opt, &r), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "max_path_length must be >= 1, or -1 for no limit, got 0");
    opt.max_path_length = -2;
    CHECK_ERR(causa_discover(T, t, &opt, &r), CAUSA_EINVAL);
    opt.max_path_length = -1;
    opt.possible_dsep = 2;
    CHECK_ERR(causa_discover(T, t, &opt, &r), CAUSA_EINVAL);
    CHECK(r == NULL);
    /* PC ignores the FCI options */
    causa_discover_options_init(&opt);
    opt.max_path_length = 0;
    opt.possible_dsep = 7;
    CHECK_OK(causa_discover(T, t, &opt, &r));
    CHECK_INT(causa_discovery_pds_ntests(r, -1), 0);
    for (int64_t a = 0; a < 5; a++)
        for (int64_t b = a + 1; b < 5; b++) {
            const char *st = causa_discovery_pair_stage(r, a, b);
            CHECK(st == NULL || strcmp(st, "skeleton") == 0);
        }
    causa_discovery_free(r);
    CHECK_INT(causa_discovery_pds_ntests(NULL, -1), 0);
    CHECK(causa_discovery_pair_stage(NULL, 0, 1) == NULL);
    causa_citest_free(t);
    causa_graph_free(dag);
}

static int pds_started;
static void watch_progress(void *ud, const char *what, double done, double total) {
    (void)ud;
    (void)done;
    (void)total;
    if (strncmp(what, "Possible-D-SEP", 14) == 0) pds_started = 1;
}
static int stop_in_pds(void *ud) {
    int *calls = ud;
    return pds_started && ++*calls > 3;
}

TEST(fci_interrupt_in_possible_dsep) {
    causa_dataset *ds = read_without(T, "pcalg/lg_p30_n2000.csv", "X27 X1 X7", 0);
    if (!ds) return;
    causa_citest *test = NULL;
    CHECK_OK(causa_citest_new(T, ds, NULL, &test));
    for (int threads = 1; threads <= 2; threads++) {
        causa_ctx_set_threads(T, threads);
        int calls = 0;
        pds_started = 0;
        causa_ctx_set_progress(T, watch_progress, NULL);
        causa_ctx_set_interrupt(T, stop_in_pds, &calls);
        causa_discover_options opt;
        causa_discover_options_init(&opt);
        opt.algorithm = CAUSA_ALGO_FCI;
        causa_discovery *r = NULL;
        CHECK_ERR(causa_discover(T, test, &opt, &r), CAUSA_EINTERRUPTED);
        CHECK(r == NULL);
        CHECK(pds_started);
    }
    causa_ctx_set_interrupt(T, NULL, NULL);
    causa_ctx_set_progress(T, NULL, NULL);
    causa_ctx_set_threads(T, 1);
    causa_citest_free(test);
    causa_dataset_free(ds);
}

TEST(fci_test_failure_is_reported) {
    /* an oracle that fails on three conditioning variables: the skeleton of the example
     * never needs them, the Possible-D-SEP stage does ({X5, X6, X7}) */
    causa_graph *dag = pds_example(T);
    causa_citest *t = NULL;
    CHECK_OK(latent_oracle_new_failing(T, dag, 3, 0, &t));
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    opt.algorithm = CAUSA_ALGO_FCI;
    causa_discovery *r = NULL;
    for (int threads = 1; threads <= 2; threads++) {
        causa_ctx_set_threads(T, threads);
        CHECK_ERR(causa_discover(T, t, &opt, &r), CAUSA_EDATA);
        CHECK(r == NULL);
        CHECK_CONTAINS(causa_errmsg(T), "given 3 variables (Possible-D-SEP) failed: too few rows");
    }
    causa_ctx_set_threads(T, 1);
    opt.possible_dsep = 0;
    CHECK_OK(causa_discover(T, t, &opt, &r));
    causa_discovery_free(r);
    r = NULL;
    causa_citest_free(t);
    /* RFCI: the first test after the skeleton's fails */
    opt.algorithm = CAUSA_ALGO_RFCI;
    CHECK_OK(latent_oracle_new(T, dag, &t));
    CHECK_OK(causa_discover(T, t, &opt, &r));
    int64_t before = r ? causa_discovery_ntests(r, -1) : 0;
    CHECK(r && causa_discovery_orientation_tests(r) > 0);
    causa_discovery_free(r);
    r = NULL;
    causa_citest_free(t);
    CHECK_OK(latent_oracle_new_failing(T, dag, 0, before, &t));
    CHECK_ERR(causa_discover(T, t, &opt, &r), CAUSA_EDATA);
    CHECK_CONTAINS(causa_errmsg(T), "(RFCI) failed: too few rows");
    CHECK(r == NULL);
    causa_citest_free(t);
    causa_graph_free(dag);
}

typedef struct oom_case {
    const causa_dataset *ds;
    int algorithm;
    double alpha;
    const causa_graph *dag; /* or an oracle DAG */
} oom_case;

static int oom_run(causa_ctx *ctx, void *ud) {
    const oom_case *c = ud;
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    opt.algorithm = c->algorithm;
    opt.alpha = c->alpha;
    causa_discovery *r = NULL;
    int rc;
    if (c->dag) {
        causa_citest *t = NULL;
        rc = latent_oracle_new(ctx, c->dag, &t);
        if (rc == CAUSA_OK) rc = causa_discover(ctx, t, &opt, &r);
        causa_citest_free(t);
    } else {
        rc = causa_discover_data(ctx, c->ds, NULL, &opt, &r);
    }
    if (rc == CAUSA_OK) {
        char *js = NULL;
        size_t len;
        rc = causa_discovery_json(ctx, r, 6, &js, &len);
        causa_free(ctx, js);
    }
    causa_discovery_free(r);
    return rc;
}

TEST(fci_out_of_memory_sweep) {
    causa_dataset *ds = read_without(T, "pcalg/lg_p10_n500.csv", "X8 X9", 0);
    causa_dataset *ds2 = read_without(T, "fci/lg_p15_n200.csv", "X9", 0);
    causa_graph *dag = pds_example(T);
    if (!ds || !ds2 || !dag) return;
    /* FCI whose Possible-D-SEP stage removes edges; RFCI with a path check that removes an
     * edge (and the orientation that carries on after it); the oracle example */
    oom_case cases[] = {{ds, CAUSA_ALGO_FCI, 0.01, NULL}, {ds2, CAUSA_ALGO_RFCI, 0.05, NULL},
                        {ds2, CAUSA_ALGO_FCI, 0.05, NULL}, {NULL, CAUSA_ALGO_FCI, 0.5, dag},
                        {NULL, CAUSA_ALGO_RFCI, 0.5, dag}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK(harness_oom_sweep("causa_discover (FCI, RFCI)", oom_run, &cases[i]) > 10);
    causa_graph_free(dag);
    causa_dataset_free(ds);
    causa_dataset_free(ds2);
}

TEST(fci_json_and_report) {
    causa_dataset *ds = read_without(T, "fci/lg_p15_n200.csv", "X9", 0);
    if (!ds) return;
    for (int algo = CAUSA_ALGO_FCI; algo <= CAUSA_ALGO_RFCI; algo++) {
        causa_discover_options opt;
        causa_discover_options_init(&opt);
        opt.algorithm = algo;
        opt.alpha = 0.05;
        causa_discovery *r = NULL;
        CHECK_OK(causa_discover_data(T, ds, NULL, &opt, &r));
        if (!r) continue;
        char *js = json_of(r);
        CHECK_CONTAINS(js, "\"kind\": \"pag\"");
        CHECK_CONTAINS(js, "\"stage\": \"skeleton\"");
        if (algo == CAUSA_ALGO_FCI) {
            CHECK_CONTAINS(js, "\"algorithm\": \"fci\"");
            CHECK_CONTAINS(js, "\"possible_dsep\": true, \"max_path_length\": -1}");
            CHECK_CONTAINS(js, "\"possible_dsep\": {\"tests_by_size\": [0, ");
            CHECK(strstr(js, "\"rfci\"") == NULL);
        } else {
            CHECK_CONTAINS(js, "\"algorithm\": \"rfci\"");
            CHECK_CONTAINS(js, "\"stage\": \"rfci-path\"");
            CHECK_CONTAINS(js, "\"rfci\": {\"triples_checked\": ");
            CHECK_CONTAINS(js, "\"removed_by_paths\": 1, \"restarts\": 1}");
            CHECK(causa_discovery_orientation_tests(r) > 0);
        }
        CHECK_INT(causa_graph_kind(causa_discovery_graph(r)), CAUSA_KIND_PAG);
        CHECK(causa_discovery_seconds(r, CAUSA_PHASE_SKELETON) >= 0);
        causa_free(T, js);
        causa_discovery_free(r);
    }
    causa_dataset_free(ds);
}
