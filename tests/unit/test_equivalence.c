/*
 * test_equivalence.c: random DAGs, CPDAGs, Meek's rules, DAG extensions, counting and
 * enumerating Markov equivalence classes.
 *
 * Besides fixed examples, the property tests check the algorithms against each other and
 * against brute force written here in the plainest way (every orientation of the
 * undirected edges, kept when acyclic with the DAG's v-structures), on thousands of random
 * DAGs. The bnlearn networks' CPDAGs are compared with causal-learn's dag2cpdag output
 * (tests/data/networks/README.md).
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "util.h"

/* ---- helpers ---- */

/* Dense 0/1 adjacency of a DAG: d[a * p + b] = 1 for a --> b. */
static unsigned char *dense_dag(const causa_graph *g) {
    int64_t p = causa_graph_nnodes(g);
    unsigned char *d = calloc((size_t)(p * p + 1), 1);
    for (int64_t v = 0; v < p; v++)
        for (int64_t k = 0; k < causa_graph_degree(g, v); k++) {
            int64_t w;
            int mv, mw;
            causa_graph_neighbor(g, v, k, &w, &mv, &mw);
            if (mv == CAUSA_MARK_TAIL && mw == CAUSA_MARK_ARROW) d[v * p + w] = 1;
        }
    return d;
}

/* The skeleton plus the v-structures of a DAG, as a PDAG (the input of Meek's rules). */
static causa_graph *pattern(const causa_graph *dag) {
    int64_t p = causa_graph_nnodes(dag);
    unsigned char *d = dense_dag(dag);
    unsigned char *keep = calloc((size_t)(p * p + 1), 1);
    for (int64_t b = 0; b < p; b++)
        for (int64_t a = 0; a < p; a++)
            for (int64_t c = a + 1; c < p; c++)
                if (d[a * p + b] && d[c * p + b] && !d[a * p + c] && !d[c * p + a])
                    keep[a * p + b] = keep[c * p + b] = 1;
    causa_graph *g = NULL;
    const char **names = malloc((size_t)p * sizeof *names);
    for (int64_t v = 0; v < p; v++) names[v] = causa_graph_name(dag, v);
    causa_graph_new(T, p, names, &g);
    free(names);
    for (int64_t a = 0; a < p; a++)
        for (int64_t b = a + 1; b < p; b++) {
            if (d[a * p + b])
                causa_graph_add_edge(T, g, a, b, CAUSA_MARK_TAIL, keep[a * p + b] ? CAUSA_MARK_ARROW : CAUSA_MARK_TAIL);
            else if (d[b * p + a])
                causa_graph_add_edge(T, g, a, b, keep[b * p + a] ? CAUSA_MARK_ARROW : CAUSA_MARK_TAIL, CAUSA_MARK_TAIL);
        }
    free(d);
    free(keep);
    return g;
}

/* Brute force: the number of DAGs with the CPDAG's skeleton and directed edges, acyclic,
 * whose v-structures are exactly those of `dag`. -1 if there are too many undirected
 * edges to try. */
static long brute_class_size(const causa_graph *cpdag, const causa_graph *dag) {
    int64_t p = causa_graph_nnodes(cpdag), m = causa_graph_nedges(cpdag);
    causa_edge *e = malloc((size_t)(m + 1) * sizeof *e);
    causa_graph_edges(cpdag, e);
    int und[64], nu = 0;
    for (int64_t i = 0; i < m; i++)
        if (e[i].mark_a == CAUSA_MARK_TAIL && e[i].mark_b == CAUSA_MARK_TAIL) {
            if (nu == 12) {
                free(e);
                return -1;
            }
            und[nu++] = (int)i;
        }
    unsigned char *ref = dense_dag(dag), *d = calloc((size_t)(p * p + 1), 1);
    int *indeg = malloc((size_t)(p + 1) * sizeof *indeg), *queue = malloc((size_t)(p + 1) * sizeof *queue);
    long count = 0;
    for (long mask = 0; mask < (1L << nu); mask++) {
        memset(d, 0, (size_t)(p * p));
        for (int64_t i = 0; i < m; i++) {
            int64_t a = e[i].a, b = e[i].b;
            if (e[i].mark_b == CAUSA_MARK_ARROW && e[i].mark_a == CAUSA_MARK_TAIL) d[a * p + b] = 1;
            else if (e[i].mark_a == CAUSA_MARK_ARROW) d[b * p + a] = 1;
        }
        for (int j = 0; j < nu; j++) {
            int64_t a = e[und[j]].a, b = e[und[j]].b;
            if (mask >> j & 1) d[a * p + b] = 1; else d[b * p + a] = 1;
        }
        int ok = 1;
        for (int64_t b = 0; b < p && ok; b++)
            for (int64_t a = 0; a < p && ok; a++)
                for (int64_t c = a + 1; c < p && ok; c++) {
                    int v1 = d[a * p + b] && d[c * p + b] && !d[a * p + c] && !d[c * p + a];
                    int v2 = ref[a * p + b] && ref[c * p + b] && !ref[a * p + c] && !ref[c * p + a];
                    ok = v1 == v2;
                }
        if (!ok) continue;
        int head = 0, tail = 0;
        for (int64_t v = 0; v < p; v++) {
            indeg[v] = 0;
            for (int64_t u = 0; u < p; u++) indeg[v] += d[u * p + v];
            if (!indeg[v]) queue[tail++] = (int)v;
        }
        while (head < tail) {
            int v = queue[head++];
            for (int64_t w = 0; w < p; w++)
                if (d[v * p + w] && --indeg[w] == 0) queue[tail++] = (int)w;
        }
        count += tail == p;
    }
    free(e);
    free(ref);
    free(d);
    free(indeg);
    free(queue);
    return count;
}

typedef struct visit_ctx {
    const causa_graph *cpdag;
    int64_t n, bad_kind, bad_cpdag;
    unsigned char *seen; /* hashes of visited DAGs, to catch duplicates */
    uint64_t *hashes;
    int64_t cap;
} visit_ctx;

static uint64_t graph_hash(const causa_graph *g) {
    int64_t m = causa_graph_nedges(g);
    causa_edge *e = malloc((size_t)(m + 1) * sizeof *e);
    causa_graph_edges(g, e);
    uint64_t h = 1469598103934665603ull;
    for (int64_t i = 0; i < m; i++) {
        uint64_t x = (uint64_t)e[i].a * 1000003u + (uint64_t)e[i].b * 31u + (uint64_t)e[i].mark_a;
        h = (h ^ x) * 1099511628211ull;
    }
    free(e);
    return h;
}

static int visit_check(void *ud, const causa_graph *dag) {
    visit_ctx *v = ud;
    if (causa_graph_kind(dag) != CAUSA_KIND_DAG) v->bad_kind++;
    causa_graph *c = NULL;
    if (causa_graph_cpdag(T, dag, &c) != CAUSA_OK || !same_graph(c, v->cpdag)) v->bad_cpdag++;
    causa_graph_free(c);
    if (v->n < v->cap) v->hashes[v->n] = graph_hash(dag);
    v->n++;
    return 0;
}

static int cmp_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* ---- random DAGs ---- */

TEST(random_dag_deterministic_and_acyclic) {
    causa_graph *g1 = NULL, *g2 = NULL, *g3 = NULL;
    CHECK_OK(causa_graph_random_dag(T, 50, 3.0, 7, &g1));
    CHECK_OK(causa_graph_random_dag(T, 50, 3.0, 7, &g2));
    CHECK_OK(causa_graph_random_dag(T, 50, 3.0, 8, &g3));
    CHECK(same_graph(g1, g2));
    CHECK(!same_graph(g1, g3));
    CHECK_INT(causa_graph_kind(g1), CAUSA_KIND_DAG);
    CHECK_STR(causa_graph_name(g1, 0), "X1");
    CHECK_STR(causa_graph_name(g1, 49), "X50");
    int64_t order[50];
    CHECK_OK(causa_graph_topological_order(T, g1, order));
    causa_graph_free(g1);
    causa_graph_free(g2);
    causa_graph_free(g3);
}

TEST(random_dag_degree_and_edge_cases) {
    /* The mean degree over many graphs is close to the asked one. */
    double total = 0;
    for (uint64_t s = 0; s < 200; s++) {
        causa_graph *g = NULL;
        CHECK_OK(causa_graph_random_dag(T, 30, 2.5, s, &g));
        total += 2.0 * (double)causa_graph_nedges(g) / 30.0;
        causa_graph_free(g);
    }
    CHECK_ABS(total / 200, 2.5, 0.1);
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_random_dag(T, 6, 5.0, 3, &g)); /* complete */
    CHECK_INT(causa_graph_nedges(g), 15);
    causa_graph_free(g);
    CHECK_OK(causa_graph_random_dag(T, 6, 0.0, 3, &g));
    CHECK_INT(causa_graph_nedges(g), 0);
    causa_graph_free(g);
    CHECK_OK(causa_graph_random_dag(T, 1, 0.0, 3, &g));
    CHECK_INT(causa_graph_nnodes(g), 1);
    causa_graph_free(g);
    CHECK_ERR(causa_graph_random_dag(T, 0, 1.0, 3, &g), CAUSA_EINVAL);
    CHECK(g == NULL);
    CHECK_ERR(causa_graph_random_dag(T, 10, 9.5, 3, &g), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "expected degree");
    CHECK_ERR(causa_graph_random_dag(T, 10, -1.0, 3, &g), CAUSA_EINVAL);
    CHECK_ERR(causa_graph_random_dag(T, 10, (double)NAN, 3, &g), CAUSA_EINVAL);
    CHECK_ERR(causa_graph_random_dag(T, 10, 1.0, 3, NULL), CAUSA_EMISUSE);
}

TEST(random_dag_large_sparse) {
    causa_graph *g = NULL;
    clock_t t0 = clock();
    CHECK_OK(causa_graph_random_dag(T, 100000, 4.0, 11, &g));
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* edges ~ Binomial(p (p - 1) / 2, q): mean 200000, sd ~ 447 */
    CHECK_ABS((double)causa_graph_nedges(g), 200000.0, 3000.0);
    CHECK(secs < 20.0);
    int64_t *order = malloc(100000 * sizeof *order);
    CHECK_OK(causa_graph_topological_order(T, g, order));
    free(order);
    causa_graph_free(g);
}

/* ---- CPDAG ---- */

TEST(cpdag_small_examples) {
    causa_graph *d = build(T, "A B C", "A --> B, B --> C"), *c = NULL;
    CHECK_OK(causa_graph_cpdag(T, d, &c));
    CHECK_GRAPH(c, "A --- B, B --- C");
    CHECK_INT(causa_graph_kind(c), CAUSA_KIND_CPDAG);
    causa_graph_free(d);
    causa_graph_free(c);
    /* a v-structure and what it compels downstream */
    d = build(T, "A B C D", "A --> C, B --> C, C --> D");
    CHECK_OK(causa_graph_cpdag(T, d, &c));
    CHECK_GRAPH(c, "A --> C, B --> C, C --> D");
    causa_graph_free(d);
    causa_graph_free(c);
    /* a shielded collider is reversible */
    d = build(T, "A B C", "A --> C, B --> C, A --> B");
    CHECK_OK(causa_graph_cpdag(T, d, &c));
    CHECK_GRAPH(c, "A --- B, A --- C, B --- C");
    causa_graph_free(d);
    causa_graph_free(c);
    /* the asia network's shape: x-ray and dyspnoea below a collider */
    d = build(T, "asia tub smoke lung bronc either xray dysp",
              "asia --> tub, smoke --> lung, smoke --> bronc, tub --> either, lung --> either, "
              "either --> xray, either --> dysp, bronc --> dysp");
    CHECK_OK(causa_graph_cpdag(T, d, &c));
    CHECK_GRAPH(c, "asia --- tub, tub --> either, smoke --- lung, smoke --- bronc, lung --> either, "
                   "bronc --> dysp, either --> xray, either --> dysp");
    CHECK_OK(causa_graph_set_kind(T, c, CAUSA_KIND_CPDAG));
    causa_graph_free(d);
    causa_graph_free(c);
}

TEST(cpdag_rejects_bad_input) {
    causa_graph *c = NULL, *d = build(T, "A B C", "A --> B, B --- C");
    CHECK_ERR(causa_graph_cpdag(T, d, &c), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "B --- C");
    CHECK(c == NULL);
    causa_graph_free(d);
    d = build(T, "A B C", "A --> B, B --> C, C --> A");
    CHECK_ERR(causa_graph_cpdag(T, d, &c), CAUSA_ECYCLE);
    CHECK_CONTAINS(causa_errmsg(T), "directed cycle");
    causa_graph_free(d);
    d = build(T, "A B", "A --> B, A <-> B");
    CHECK_ERR(causa_graph_cpdag(T, d, &c), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "bow");
    causa_graph_free(d);
    CHECK_ERR(causa_graph_cpdag(T, NULL, &c), CAUSA_EMISUSE);
    /* empty graphs are fine */
    d = build(T, "A", "");
    CHECK_OK(causa_graph_cpdag(T, d, &c));
    CHECK_INT(causa_graph_nedges(c), 0);
    causa_graph_free(c);
    causa_graph_free(d);
}

/* The property tests: for each random DAG, the CPDAG is a valid CPDAG, equals Meek's
 * closure of the pattern, is reproduced by every DAG of the class and by its extension,
 * and the count equals both the enumeration and brute force. */
static void check_class(const causa_graph *dag, int brute) {
    causa_graph *c = NULL, *pat = NULL, *ext = NULL, *c2 = NULL;
    CHECK_OK(causa_graph_cpdag(T, dag, &c));
    if (!c) return;
    causa_graph *copy = NULL;
    CHECK_OK(causa_graph_copy(T, c, &copy));
    CHECK_OK(causa_graph_set_kind(T, copy, CAUSA_KIND_CPDAG));
    causa_graph_free(copy);
    pat = pattern(dag);
    CHECK_OK(causa_graph_meek(T, pat));
    if (!same_graph(pat, c)) {
        char x[4096], y[4096];
        harness_fail(__FILE__, __LINE__, "Meek closure %s != CPDAG %s", edge_text(pat, x, sizeof x),
                     edge_text(c, y, sizeof y));
    }
    CHECK_INT(causa_graph_kind(pat), CAUSA_KIND_CPDAG);
    CHECK_OK(causa_graph_dag_extension(T, c, &ext));
    CHECK_OK(causa_graph_cpdag(T, ext, &c2));
    CHECK(c2 && same_graph(c2, c));
    double count = 0, lg = 0;
    CHECK_OK(causa_graph_count_dags(T, c, &count, &lg));
    CHECK_REL(lg, log10(count), 1e-12);
    if (brute) {
        long b = brute_class_size(c, dag);
        if (b >= 0) CHECK_REL(count, (double)b, 0);
    }
    if (count <= 3000) {
        visit_ctx v = {c, 0, 0, 0, NULL, NULL, 4000};
        v.hashes = malloc(4000 * sizeof *v.hashes);
        int64_t visited = -1;
        CHECK_OK(causa_graph_enumerate_dags(T, c, 0, visit_check, &v, &visited));
        CHECK_INT(visited, (int64_t)count);
        CHECK_INT(v.n, (int64_t)count);
        CHECK_INT(v.bad_kind, 0);
        CHECK_INT(v.bad_cpdag, 0);
        qsort(v.hashes, (size_t)v.n, sizeof *v.hashes, cmp_u64);
        int64_t dups = 0;
        for (int64_t i = 1; i < v.n; i++) dups += v.hashes[i] == v.hashes[i - 1];
        CHECK_INT(dups, 0);
        free(v.hashes);
    }
    causa_graph_free(c);
    causa_graph_free(c2);
    causa_graph_free(pat);
    causa_graph_free(ext);
}

TEST(equivalence_properties_random_small) {
    /* 3000 DAGs, p from 2 to 12, degrees from sparse to nearly complete */
    for (uint64_t s = 0; s < 3000; s++) {
        int64_t p = 2 + (int64_t)(s % 11);
        double deg = (double)(p - 1) * (double)((s / 11) % 10) / 9.0;
        causa_graph *d = NULL;
        CHECK_OK(causa_graph_random_dag(T, p, deg, 1000 + s, &d));
        check_class(d, p <= 9);
        causa_graph_free(d);
    }
}

TEST(equivalence_properties_random_larger) {
    for (uint64_t s = 0; s < 40; s++) {
        causa_graph *d = NULL;
        int64_t p = 20 + (int64_t)(s % 5) * 10;
        CHECK_OK(causa_graph_random_dag(T, p, 2.0 + (double)(s % 4), 77 + s, &d));
        check_class(d, 0);
        causa_graph_free(d);
    }
}

TEST(cpdag_large_graph) {
    causa_graph *d = NULL, *c = NULL;
    CHECK_OK(causa_graph_random_dag(T, 10000, 4.0, 2024, &d));
    clock_t t0 = clock();
    CHECK_OK(causa_graph_cpdag(T, d, &c));
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 10.0); /* about 0.01 s in an optimised build; generous for sanitizers */
    CHECK_INT(causa_graph_nedges(c), causa_graph_nedges(d));
    CHECK_OK(causa_graph_set_kind(T, c, CAUSA_KIND_CPDAG));
    double n = 0, lg = 0;
    CHECK_OK(causa_graph_count_dags(T, c, &n, &lg));
    CHECK(lg > 0 && isfinite(lg));
    causa_graph *e = NULL, *c2 = NULL;
    CHECK_OK(causa_graph_dag_extension(T, c, &e));
    CHECK_OK(causa_graph_cpdag(T, e, &c2));
    CHECK(c2 && same_graph(c, c2));
    causa_graph_free(e);
    causa_graph_free(c2);
    causa_graph_free(d);
    causa_graph_free(c);
}

/* ---- Meek ---- */

TEST(meek_rules_each) {
    /* R1: A --> B --- C, A and C non-adjacent */
    causa_graph *g = build(T, "A B C", "A --> B, B --- C");
    CHECK_OK(causa_graph_meek(T, g));
    CHECK_GRAPH(g, "A --> B, B --> C");
    causa_graph_free(g);
    /* R2: A --> B --> C, A --- C */
    g = build(T, "A B C", "A --> B, B --> C, A --- C");
    CHECK_OK(causa_graph_meek(T, g));
    CHECK_GRAPH(g, "A --> B, A --> C, B --> C");
    causa_graph_free(g);
    /* R3: A --- C --> B, A --- D --> B, A --- B, C and D non-adjacent */
    g = build(T, "A B C D", "A --- B, A --- C, A --- D, C --> B, D --> B");
    CHECK_OK(causa_graph_meek(T, g));
    CHECK_GRAPH(g, "A --> B, A --- C, A --- D, B <-- C, B <-- D");
    CHECK_INT(causa_graph_kind(g), CAUSA_KIND_CPDAG);
    causa_graph_free(g);
    /* R4 (background knowledge): A --- D --> C --> B, A --- B, A --- C, D and B
     * non-adjacent: A --> B. */
    g = build(T, "A B C D", "A --- B, A --- C, A --- D, D --> C, C --> B");
    CHECK_OK(causa_graph_meek(T, g));
    CHECK_GRAPH(g, "A --> B, A --- C, A --- D, B <-- C, C <-- D");
    CHECK_INT(causa_graph_kind(g), CAUSA_KIND_PDAG); /* a PDAG with background knowledge */
    causa_graph_free(g);
    /* nothing to do on a CPDAG */
    g = build(T, "A B C", "A --- B, B --- C");
    CHECK_OK(causa_graph_meek(T, g));
    CHECK_GRAPH(g, "A --- B, B --- C");
    CHECK_INT(causa_graph_kind(g), CAUSA_KIND_CPDAG);
    causa_graph_free(g);
}

TEST(meek_background_knowledge_chain) {
    /* Orienting the first edge of an undirected chain orients all of it (R1). */
    causa_graph *g = build(T, "A B C D E", "A --> B, B --- C, C --- D, D --- E");
    CHECK_OK(causa_graph_meek(T, g));
    CHECK_GRAPH(g, "A --> B, B --> C, C --> D, D --> E");
    CHECK_INT(causa_graph_kind(g), CAUSA_KIND_PDAG); /* a DAG, but not the CPDAG of its class */
    causa_graph_free(g);
    /* Orienting an edge of a complete undirected graph on 4 nodes, then closing. */
    g = build(T, "A B C D", "A --> B, A --- C, A --- D, B --- C, B --- D, C --- D");
    CHECK_OK(causa_graph_meek(T, g));
    CHECK_GRAPH(g, "A --> B, A --- C, A --- D, B --- C, B --- D, C --- D");
    causa_graph_free(g);
}

TEST(meek_errors_leave_input_unchanged) {
    /* A --> B <-- C with B --- D --- ... both ways: R1 from A wants B --> D, and D's other
     * parent E wants D --> B. */
    causa_graph *g = build(T, "A B C D E", "A --> B, B --- D, E --> D");
    CHECK_ERR(causa_graph_meek(T, g), CAUSA_ECYCLE);
    CHECK_CONTAINS(causa_errmsg(T), "both ways");
    CHECK_GRAPH(g, "A --> B, B --- D, D <-- E");
    causa_graph_free(g);
    g = build(T, "A B C", "A --> B, B --> C, C --> A");
    CHECK_ERR(causa_graph_meek(T, g), CAUSA_ECYCLE);
    CHECK_CONTAINS(causa_errmsg(T), "directed cycle");
    causa_graph_free(g);
    /* R2-forced orientations closing a cycle through background knowledge */
    g = build(T, "A B C", "A --> B, B --> C, C --- A");
    CHECK_OK(causa_graph_meek(T, g));
    CHECK_GRAPH(g, "A --> B, A --> C, B --> C");
    causa_graph_free(g);
    g = build(T, "A B", "A <-> B");
    CHECK_ERR(causa_graph_meek(T, g), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "A <-> B");
    causa_graph_free(g);
    CHECK_ERR(causa_graph_meek(T, NULL), CAUSA_EMISUSE);
}

/* ---- DAG extension ---- */

TEST(dag_extension_examples) {
    causa_graph *g = build(T, "A B C D", "A --- B, B --- C, C --- D, A --> D"), *e = NULL;
    /* Not chordal-consistent? A --> D --- C --- B --- A is a 4-cycle: no extension. */
    CHECK_ERR(causa_graph_dag_extension(T, g, &e), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "sink");
    CHECK(e == NULL);
    causa_graph_free(g);
    g = build(T, "A B C", "A --> B, B --- C");
    CHECK_OK(causa_graph_dag_extension(T, g, &e));
    CHECK_GRAPH(e, "A --> B, B --> C");
    CHECK_INT(causa_graph_kind(e), CAUSA_KIND_DAG);
    causa_graph_free(e);
    causa_graph_free(g);
    g = build(T, "A B C", "A --> B, B --> C, C --> A");
    CHECK_ERR(causa_graph_dag_extension(T, g, &e), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "directed cycle");
    causa_graph_free(g);
    /* the v-structure is kept and no new one is made */
    g = build(T, "A B C D", "A --> C, B --> C, C --- D");
    CHECK_OK(causa_graph_dag_extension(T, g, &e));
    CHECK_GRAPH(e, "A --> C, B --> C, C --> D");
    causa_graph_free(e);
    causa_graph_free(g);
}

/* ---- counting and enumeration ---- */

static causa_graph *undirected_chain(int n) {
    causa_graph *g = NULL;
    causa_graph_new(T, n, NULL, &g);
    for (int i = 1; i < n; i++) causa_graph_add_edge(T, g, i - 1, i, CAUSA_MARK_TAIL, CAUSA_MARK_TAIL);
    return g;
}

static causa_graph *complete_undirected(int n, int drop) {
    causa_graph *g = NULL;
    causa_graph_new(T, n, NULL, &g);
    int dropped = 0;
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++) {
            if (a == 0 && b <= drop) { /* drop edges 0-1 .. 0-drop (they share node 0) */
                dropped++;
                continue;
            }
            causa_graph_add_edge(T, g, a, b, CAUSA_MARK_TAIL, CAUSA_MARK_TAIL);
        }
    (void)dropped;
    return g;
}

static int count_visits(void *ud, const causa_graph *dag) {
    (void)dag;
    (*(int64_t *)ud)++;
    return 0;
}

TEST(count_known_classes) {
    double n, lg;
    for (int len = 2; len <= 30; len++) {
        causa_graph *g = undirected_chain(len);
        CHECK_OK(causa_graph_count_dags(T, g, &n, &lg));
        CHECK_REL(n, len, 0);
        causa_graph_free(g);
    }
    double fact = 1;
    for (int k = 1; k <= 9; k++) {
        fact *= k;
        causa_graph *g = complete_undirected(k, 0);
        CHECK_OK(causa_graph_count_dags(T, g, &n, &lg));
        CHECK_REL(n, fact, 0);
        int64_t visits = 0, visited = 0;
        if (k <= 7) {
            CHECK_OK(causa_graph_enumerate_dags(T, g, 0, count_visits, &visits, &visited));
            CHECK_INT(visits, (int64_t)fact);
            CHECK_INT(visited, (int64_t)fact);
        }
        causa_graph_free(g);
    }
    /* He, Jia & Yu (2015), Thm 3: K_n minus one edge has (2n - 3)(n - 2)! AMOs, minus two
     * edges at one vertex (n(n - 1) - 4)(n - 3)!. */
    for (int k = 4; k <= 9; k++) {
        double f2 = 1, f3 = 1;
        for (int i = 2; i <= k - 2; i++) f2 *= i;
        for (int i = 2; i <= k - 3; i++) f3 *= i;
        causa_graph *g = complete_undirected(k, 1);
        CHECK_OK(causa_graph_count_dags(T, g, &n, &lg));
        CHECK_REL(n, (2.0 * k - 3) * f2, 0);
        causa_graph_free(g);
        g = complete_undirected(k, 2);
        CHECK_OK(causa_graph_count_dags(T, g, &n, &lg));
        CHECK_REL(n, ((double)k * (k - 1) - 4) * f3, 0);
        causa_graph_free(g);
    }
    /* The example of the Clique-Picking authors' tests: 54 AMOs; with a separate edge, 108. */
    causa_graph *g = build(T, "a b c d e f g h i",
                           "a --- b, a --- c, b --- c, b --- d, b --- e, b --- f, c --- d, c --- e, "
                           "c --- f, d --- e, e --- f");
    CHECK_OK(causa_graph_count_dags(T, g, &n, &lg));
    CHECK_REL(n, 54, 0);
    CHECK_OK(causa_graph_add_edge(T, g, 7, 8, CAUSA_MARK_TAIL, CAUSA_MARK_TAIL));
    CHECK_OK(causa_graph_count_dags(T, g, &n, &lg));
    CHECK_REL(n, 108, 0);
    int64_t visits = 0;
    CHECK_OK(causa_graph_enumerate_dags(T, g, 0, count_visits, &visits, NULL));
    CHECK_INT(visits, 108);
    causa_graph_free(g);
    /* A DAG is its own class. */
    g = build(T, "A B C", "A --> B, C --> B");
    CHECK_OK(causa_graph_count_dags(T, g, &n, &lg));
    CHECK_REL(n, 1, 0);
    CHECK_ABS(lg, 0, 0);
    causa_graph_free(g);
}

TEST(count_huge_class_log10) {
    /* 200! overflows a double: count is +inf, log10 is exact enough. */
    causa_graph *g = complete_undirected(200, 0);
    double n = 0, lg = 0;
    CHECK_OK(causa_graph_count_dags(T, g, &n, &lg));
    CHECK(isinf(n));
    CHECK_REL(lg, 374.8968886400402, 1e-12); /* log10(200!) = lgamma(201) / ln 10 */
    causa_graph_free(g);
    /* 25! = 15511210043330985984000000 > 2^53, within the 64-bit mantissa's reach */
    g = complete_undirected(25, 0);
    CHECK_OK(causa_graph_count_dags(T, g, &n, &lg));
    CHECK_REL(n, 15511210043330985984000000.0, 1e-15);
    causa_graph_free(g);
    /* a long undirected chain of chordal pieces: no special case applies */
    g = undirected_chain(400);
    for (int i = 0; i + 2 < 400; i += 2) causa_graph_add_edge(T, g, i, i + 2, CAUSA_MARK_TAIL, CAUSA_MARK_TAIL);
    CHECK_OK(causa_graph_count_dags(T, g, &n, &lg));
    CHECK(n > 400 && lg > 2.6);
    causa_graph_free(g);
}

TEST(count_rejects_non_cpdag) {
    causa_graph *g = build(T, "A B C D", "A --- B, B --- C, C --- D, D --- A");
    double n = -1, lg = -1;
    CHECK_ERR(causa_graph_count_dags(T, g, &n, &lg), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "not chordal");
    causa_graph_free(g);
    g = build(T, "A B", "A o-> B");
    CHECK_ERR(causa_graph_count_dags(T, g, &n, &lg), CAUSA_EINVAL);
    causa_graph_free(g);
    CHECK_ERR(causa_graph_count_dags(T, NULL, &n, &lg), CAUSA_EMISUSE);
}

static int stop_at_three(void *ud, const causa_graph *dag) {
    (void)dag;
    return ++*(int64_t *)ud == 3;
}

TEST(enumerate_limits_and_stop) {
    causa_graph *g = complete_undirected(5, 0);
    int64_t visits = 0, visited = 0;
    CHECK_OK(causa_graph_enumerate_dags(T, g, 10, count_visits, &visits, &visited));
    CHECK_INT(visits, 10);
    CHECK_INT(visited, 10);
    visits = 0;
    CHECK_OK(causa_graph_enumerate_dags(T, g, 0, stop_at_three, &visits, &visited));
    CHECK_INT(visits, 3);
    CHECK_INT(visited, 3);
    CHECK_ERR(causa_graph_enumerate_dags(T, g, -1, count_visits, &visits, &visited), CAUSA_EINVAL);
    CHECK_ERR(causa_graph_enumerate_dags(T, g, 0, NULL, &visits, &visited), CAUSA_EMISUSE);
    causa_graph_free(g);
    /* a DAG: itself, once */
    g = build(T, "A B", "A --> B");
    visits = 0;
    CHECK_OK(causa_graph_enumerate_dags(T, g, 0, count_visits, &visits, &visited));
    CHECK_INT(visits, 1);
    causa_graph_free(g);
}

/* ---- bnlearn networks against causal-learn's dag2cpdag ---- */

static void check_network(const char *name) {
    char path[512], line[512];
    snprintf(path, sizeof path, "networks/%s.edges", name);
    FILE *f = fopen(harness_data(path), "r");
    CHECK(f != NULL);
    if (!f) return;
    causa_graph *d = NULL;
    CHECK_OK(causa_graph_new(T, 0, NULL, &d));
    while (fgets(line, sizeof line, f)) {
        char a[256], b[256];
        if (sscanf(line, "%255s %255s", a, b) != 2) continue;
        int64_t ia = causa_graph_find(d, a), ib = causa_graph_find(d, b);
        if (ia < 0) CHECK_OK(causa_graph_add_node(T, d, a, &ia));
        if (ib < 0) CHECK_OK(causa_graph_add_node(T, d, b, &ib));
        CHECK_OK(causa_graph_add_edge(T, d, ia, ib, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    }
    fclose(f);
    causa_graph *c = NULL;
    CHECK_OK(causa_graph_cpdag(T, d, &c));
    if (!c) {
        causa_graph_free(d);
        return;
    }
    /* our lines, in the reference format */
    int64_t m = causa_graph_nedges(c);
    causa_edge *e = malloc((size_t)(m + 1) * sizeof *e);
    char **got = malloc((size_t)(m + 1) * sizeof *got);
    causa_graph_edges(c, e);
    for (int64_t i = 0; i < m; i++) {
        const char *na = causa_graph_name(c, e[i].a), *nb = causa_graph_name(c, e[i].b);
        got[i] = malloc(600);
        if (e[i].mark_a == CAUSA_MARK_TAIL && e[i].mark_b == CAUSA_MARK_TAIL)
            snprintf(got[i], 600, "%s --- %s", strcmp(na, nb) < 0 ? na : nb, strcmp(na, nb) < 0 ? nb : na);
        else if (e[i].mark_b == CAUSA_MARK_ARROW)
            snprintf(got[i], 600, "%s --> %s", na, nb);
        else
            snprintf(got[i], 600, "%s --> %s", nb, na);
    }
    qsort(got, (size_t)m, sizeof *got, cmp_str);
    snprintf(path, sizeof path, "networks/%s.cpdag.edges", name);
    f = fopen(harness_data(path), "r");
    CHECK(f != NULL);
    int64_t n = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0]) continue;
        if (n < m) {
            if (strcmp(got[n], line) != 0)
                harness_fail(__FILE__, __LINE__, "%s: line %lld: causa \"%s\", causal-learn \"%s\"",
                             name, (long long)n + 1, got[n], line);
        }
        n++;
    }
    if (f) fclose(f);
    CHECK_INT(n, m);
    for (int64_t i = 0; i < m; i++) free(got[i]);
    free(got);
    free(e);
    causa_graph_free(c);
    causa_graph_free(d);
}

TEST(cpdag_bnlearn_networks_match_causal_learn) {
    check_network("asia");
    check_network("sachs");
    check_network("child");
    check_network("insurance");
    check_network("alarm");
}

/* ---- out of memory ---- */

static int oom_cpdag(causa_ctx *ctx, void *ud) {
    causa_graph *c = NULL;
    int rc = causa_graph_cpdag(ctx, ud, &c);
    causa_graph_free(c);
    return rc;
}
static int oom_count(causa_ctx *ctx, void *ud) {
    double n, lg;
    return causa_graph_count_dags(ctx, ud, &n, &lg);
}
static int oom_extension(causa_ctx *ctx, void *ud) {
    causa_graph *c = NULL;
    int rc = causa_graph_dag_extension(ctx, ud, &c);
    causa_graph_free(c);
    return rc;
}
static int oom_enumerate(causa_ctx *ctx, void *ud) {
    int64_t visits = 0;
    return causa_graph_enumerate_dags(ctx, ud, 20, count_visits, &visits, NULL);
}
static int oom_meek(causa_ctx *ctx, void *ud) {
    causa_graph *g = NULL;
    int rc = causa_graph_copy(ctx, ud, &g);
    if (rc == CAUSA_OK) rc = causa_graph_meek(ctx, g);
    causa_graph_free(g);
    return rc;
}
static int oom_random(causa_ctx *ctx, void *ud) {
    (void)ud;
    causa_graph *g = NULL;
    int rc = causa_graph_random_dag(ctx, 300, 3.0, 5, &g);
    causa_graph_free(g);
    return rc;
}

TEST(equivalence_oom_sweeps) {
    causa_graph *d = NULL, *c = NULL;
    CHECK_OK(causa_graph_random_dag(T, 40, 3.0, 99, &d));
    CHECK_OK(causa_graph_cpdag(T, d, &c));
    CHECK(harness_oom_sweep("cpdag", oom_cpdag, d) > 3);
    CHECK(harness_oom_sweep("count_dags", oom_count, c) > 3);
    CHECK(harness_oom_sweep("dag_extension", oom_extension, c) > 3);
    CHECK(harness_oom_sweep("enumerate_dags", oom_enumerate, c) > 3);
    causa_graph *pat = pattern(d);
    CHECK(harness_oom_sweep("meek", oom_meek, pat) > 3);
    CHECK(harness_oom_sweep("random_dag", oom_random, NULL) > 3);
    /* a class whose counting recurses through memoised subproblems */
    causa_graph *k = build(T, "a b c d e f g h i",
                           "a --- b, a --- c, b --- c, b --- d, b --- e, b --- f, c --- d, c --- e, "
                           "c --- f, d --- e, e --- f, g --- h, h --- i, f --- g, e --- g");
    CHECK(harness_oom_sweep("count_dags (cliques)", oom_count, k) > 3);
    causa_graph_free(k);
    causa_graph_free(pat);
    causa_graph_free(d);
    causa_graph_free(c);
}
