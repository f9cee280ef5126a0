/*
 * test_graph_core.c: the graph type (storage, names, marks, bows, labels, flags, copying,
 * iteration), its kind checks and their messages, and traversal on hand-made graphs.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../src/internal.h"
#include "harness.h"

enum { T_ = CAUSA_MARK_TAIL, A_ = CAUSA_MARK_ARROW, C_ = CAUSA_MARK_CIRCLE };

/* Builds a graph from names ("A B C") and edges ("A-->B B<->C C---D Do->E": no spaces inside
 * space: each edge is NAME GLYPH NAME with a three-character glyph). Names must avoid the
 * characters - < > and lower-case o. */
static causa_graph *build(const char *names, const char *edges) {
    const char *nm[64];
    char buf[512];
    snprintf(buf, sizeof buf, "%s", names);
    int p = 0;
    for (char *s = strtok(buf, " "); s; s = strtok(NULL, " ")) nm[p++] = s;
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, p, nm, &g));
    if (!g) return NULL;
    char eb[1024];
    snprintf(eb, sizeof eb, "%s", edges);
    for (char *s = strtok(eb, " "); s; s = strtok(NULL, " ")) {
        char *q = s + 1;
        while (q[0] && !(strchr("-<o", q[0]) && q[1] == '-' && q[2] && strchr("->o", q[2]))) q++;
        CHECK(q[0] != '\0');
        char a[32], b[32];
        snprintf(a, sizeof a, "%.*s", (int)(q - s), s);
        snprintf(b, sizeof b, "%s", q + 3);
        int ma = q[0] == '<' ? A_ : q[0] == 'o' ? C_ : T_;
        int mb = q[2] == '>' ? A_ : q[2] == 'o' ? C_ : T_;
        int64_t ia = causa_graph_find(g, a), ib = causa_graph_find(g, b);
        CHECK(ia >= 0 && ib >= 0);
        CHECK_OK(causa_graph_add_edge(T, g, ia, ib, ma, mb));
    }
    return g;
}

/* set_kind must fail with code and a message containing want; the kind stays MIXED. */
static void expect_kind_error(const char *names, const char *edges, int kind, int code,
                              const char *want) {
    causa_graph *g = build(names, edges);
    if (!g) return;
    int rc = causa_graph_set_kind(T, g, kind);
    if (rc != code || !strstr(causa_errmsg(T), want))
        harness_fail(__FILE__, __LINE__, "%s as %s: got %d \"%s\", expected %d with \"%s\"",
                     edges, causa_graph_kind_name(kind), rc, causa_errmsg(T), code, want);
    CHECK_INT(causa_graph_kind(g), CAUSA_KIND_MIXED);
    causa_graph_free(g);
}

static void expect_kind_ok(const char *names, const char *edges, int kind) {
    causa_graph *g = build(names, edges);
    if (!g) return;
    int rc = causa_graph_set_kind(T, g, kind);
    if (rc != CAUSA_OK)
        harness_fail(__FILE__, __LINE__, "%s as %s: %s", edges, causa_graph_kind_name(kind),
                     causa_errmsg(T));
    CHECK_INT(causa_graph_kind(g), kind);
    causa_graph_free(g);
}

static int inferred(const char *names, const char *edges) {
    causa_graph *g = build(names, edges);
    int k = -1;
    if (!g) return k;
    causa_clear_error(T);
    CHECK_OK(causa_graph_infer_kind(T, g, &k));
    CHECK_STR(causa_errmsg(T), ""); /* failed checks leave no message */
    causa_graph_free(g);
    return k;
}

TEST(graph_new_names_find) {
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, 12, NULL, &g));
    CHECK_INT(causa_graph_nnodes(g), 12);
    CHECK_INT(causa_graph_nedges(g), 0);
    CHECK_STR(causa_graph_name(g, 0), "X1");
    CHECK_STR(causa_graph_name(g, 11), "X12");
    CHECK(causa_graph_name(g, 12) == NULL);
    CHECK(causa_graph_name(g, -1) == NULL);
    CHECK_INT(causa_graph_find(g, "X7"), 6);
    CHECK_INT(causa_graph_find(g, "X13"), -1);
    CHECK_INT(causa_graph_kind(g), CAUSA_KIND_MIXED);
    int64_t idx = -5;
    CHECK_OK(causa_graph_add_node(T, g, "age", &idx));
    CHECK_INT(idx, 12);
    CHECK_INT(causa_graph_find(g, "age"), 12);
    CHECK_ERR(causa_graph_add_node(T, g, "X3", NULL), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "\"X3\" already exists");
    CHECK_ERR(causa_graph_add_node(T, g, "", NULL), CAUSA_EINVAL);
    /* Many nodes: the name table grows and every name stays findable. */
    char nm[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(nm, sizeof nm, "node_%d", i);
        CHECK_OK(causa_graph_add_node(T, g, nm, NULL));
    }
    CHECK_INT(causa_graph_nnodes(g), 1013);
    for (int i = 0; i < 1000; i += 37) {
        snprintf(nm, sizeof nm, "node_%d", i);
        CHECK_INT(causa_graph_find(g, nm), 13 + i);
        CHECK_STR(causa_graph_name(g, 13 + i), nm);
    }
    CHECK_STR(causa_graph_name(g, 12), "age");
    causa_graph_free(g);

    const char *names[] = {"a", "b", "a"};
    CHECK_ERR(causa_graph_new(T, 3, names, &g), CAUSA_EINVAL);
    CHECK(g == NULL);
    CHECK_CONTAINS(causa_errmsg(T), "\"a\" is given twice");
    const char *names2[] = {"a", ""};
    CHECK_ERR(causa_graph_new(T, 2, names2, &g), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "node 1 has an empty name");
    CHECK_ERR(causa_graph_new(T, -1, NULL, &g), CAUSA_EINVAL);
    CHECK_OK(causa_graph_new(T, 0, NULL, &g));
    CHECK_INT(causa_graph_nnodes(g), 0);
    CHECK_OK(causa_graph_add_node(T, g, "only", NULL));
    CHECK_INT(causa_graph_find(g, "only"), 0);
    causa_graph_free(g);
    causa_graph_free(NULL);
}

TEST(graph_edges_marks_sorted) {
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, 6, NULL, &g));
    /* Out of order, to exercise insertion in the middle of adjacency arrays. */
    CHECK_OK(causa_graph_add_edge(T, g, 3, 0, T_, A_)); /* X4 --> X1 */
    CHECK_OK(causa_graph_add_edge(T, g, 0, 5, A_, A_)); /* X1 <-> X6 */
    CHECK_OK(causa_graph_add_edge(T, g, 0, 1, T_, T_)); /* X1 --- X2 */
    CHECK_OK(causa_graph_add_edge(T, g, 2, 0, C_, A_)); /* X3 o-> X1 */
    CHECK_INT(causa_graph_nedges(g), 4);
    CHECK_INT(causa_graph_degree(g, 0), 4);
    int64_t w;
    int mv, mw;
    int64_t want[] = {1, 2, 3, 5};
    int wantv[] = {T_, A_, A_, A_}, wantw[] = {T_, C_, T_, A_};
    for (int k = 0; k < 4; k++) {
        causa_graph_neighbor(g, 0, k, &w, &mv, &mw);
        CHECK_INT(w, want[k]);
        CHECK_INT(mv, wantv[k]);
        CHECK_INT(mw, wantw[k]);
    }
    causa_graph_neighbor(g, 0, 4, &w, &mv, &mw);
    CHECK_INT(w, -1);
    CHECK(causa_graph_is_directed(g, 3, 0));
    CHECK(!causa_graph_is_directed(g, 0, 3));
    CHECK(causa_graph_is_undirected(g, 1, 0));
    CHECK(causa_graph_is_bidirected(g, 5, 0));
    CHECK(causa_graph_adjacent(g, 0, 2));
    CHECK(!causa_graph_adjacent(g, 1, 2));
    CHECK(!causa_graph_adjacent(g, 1, 1));
    CHECK_INT(causa_graph_edge(g, 0, 2, &mv, &mw), 1);
    CHECK_INT(mv, A_);
    CHECK_INT(mw, C_);
    causa_edge e[4];
    causa_graph_edges(g, e);
    CHECK_INT(e[0].a, 0);
    CHECK_INT(e[0].b, 1);
    CHECK_INT(e[1].a, 0);
    CHECK_INT(e[1].b, 2);
    CHECK_INT(e[1].mark_a, A_);
    CHECK_INT(e[1].mark_b, C_);
    CHECK_INT(e[2].b, 3);
    CHECK_INT(e[2].mark_a, A_);
    CHECK_INT(e[2].mark_b, T_);
    CHECK_INT(e[3].b, 5);

    /* Errors name what is wrong and leave the graph unchanged. */
    CHECK_ERR(causa_graph_add_edge(T, g, 0, 1, T_, A_), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "X1 --> X2");
    CHECK_CONTAINS(causa_errmsg(T), "already has the edge X1 --- X2");
    CHECK_ERR(causa_graph_add_edge(T, g, 0, 0, T_, A_), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "two different nodes");
    CHECK_ERR(causa_graph_add_edge(T, g, 0, 6, T_, A_), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "edge endpoint b must be a node index in [0, 6), got 6");
    CHECK_ERR(causa_graph_add_edge(T, g, 0, 4, 0, A_), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "mark_a");
    CHECK_ERR(causa_graph_add_edge(T, g, 0, 4, T_, 4), CAUSA_EINVAL);
    CHECK_INT(causa_graph_nedges(g), 4);

    /* set_marks, remove_edge */
    CHECK_OK(causa_graph_set_marks(T, g, 1, 0, T_, A_)); /* now X2 --> X1 */
    CHECK(causa_graph_is_directed(g, 1, 0));
    CHECK_ERR(causa_graph_set_marks(T, g, 1, 2, T_, A_), CAUSA_ENOTFOUND);
    CHECK_CONTAINS(causa_errmsg(T), "no edge between X2 and X3");
    CHECK_OK(causa_graph_remove_edge(T, g, 2, 0));
    CHECK(!causa_graph_adjacent(g, 0, 2));
    CHECK_INT(causa_graph_nedges(g), 3);
    CHECK_INT(causa_graph_degree(g, 0), 3);
    CHECK_INT(causa_graph_degree(g, 2), 0);
    CHECK_ERR(causa_graph_remove_edge(T, g, 2, 0), CAUSA_ENOTFOUND);
    CHECK_ERR(causa_graph_remove_edge(T, g, 2, 2), CAUSA_ENOTFOUND);
    causa_graph_free(g);
}

TEST(graph_bows) {
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, 3, NULL, &g));
    CHECK_OK(causa_graph_add_edge(T, g, 0, 1, A_, A_)); /* bidirected first */
    CHECK_OK(causa_graph_add_edge(T, g, 0, 1, T_, A_)); /* then directed: a bow */
    CHECK_INT(causa_graph_nedges(g), 2);
    CHECK_INT(causa_graph_degree(g, 0), 2);
    CHECK_INT(causa_graph_degree(g, 1), 2);
    int ma, mb;
    CHECK_INT(causa_graph_edge(g, 0, 1, &ma, &mb), 2);
    CHECK_INT(ma, T_); /* the directed edge comes first */
    CHECK_INT(mb, A_);
    CHECK_INT(causa_graph_edge(g, 1, 0, &ma, &mb), 2);
    CHECK_INT(ma, A_);
    CHECK_INT(mb, T_);
    CHECK(causa_graph_is_directed(g, 0, 1));
    CHECK(causa_graph_is_bidirected(g, 0, 1));
    int64_t w;
    causa_graph_neighbor(g, 1, 1, &w, &ma, &mb);
    CHECK_INT(w, 0);
    CHECK_INT(ma, A_);
    CHECK_INT(mb, A_);
    causa_edge e[2];
    causa_graph_edges(g, e);
    CHECK(e[0].mark_a == T_ && e[0].mark_b == A_);
    CHECK(e[1].mark_a == A_ && e[1].mark_b == A_);
    /* A third edge, or a second directed one, is refused. */
    CHECK_ERR(causa_graph_add_edge(T, g, 1, 0, T_, A_), CAUSA_EINVAL);
    CHECK_ERR(causa_graph_set_marks(T, g, 0, 1, T_, T_), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "bow");
    CHECK_OK(causa_graph_add_edge(T, g, 1, 2, T_, A_));
    CHECK_ERR(causa_graph_add_edge(T, g, 2, 1, T_, A_), CAUSA_EINVAL);
    CHECK_ERR(causa_graph_add_edge(T, g, 1, 2, T_, T_), CAUSA_EINVAL);
    CHECK_ERR(causa_graph_add_edge(T, g, 1, 2, C_, A_), CAUSA_EINVAL);
    CHECK_OK(causa_graph_add_edge(T, g, 2, 1, A_, A_)); /* bow, directed added first */
    CHECK_INT(causa_graph_edge(g, 2, 1, &ma, &mb), 2);
    CHECK_INT(ma, A_);
    CHECK_INT(mb, T_);
    /* Removing a bow removes both edges. */
    CHECK_OK(causa_graph_remove_edge(T, g, 1, 0));
    CHECK_INT(causa_graph_nedges(g), 2);
    CHECK_INT(causa_graph_degree(g, 0), 0);
    CHECK_INT(causa_graph_degree(g, 1), 2);
    causa_graph_free(g);
}

TEST(graph_labels_flags_copy) {
    causa_graph *g = NULL, *c = NULL;
    CHECK_OK(causa_graph_new(T, 40, NULL, &g));
    for (int i = 0; i + 1 < 40; i++) CHECK_OK(causa_graph_add_edge(T, g, i, i + 1, T_, A_));
    CHECK(causa_graph_edge_label(g, 0, 1) == NULL);
    CHECK_ERR(causa_graph_set_edge_label(T, g, 0, 2, "x"), CAUSA_ENOTFOUND);
    CHECK_CONTAINS(causa_errmsg(T), "no edge between X1 and X3");
    char lab[32];
    for (int i = 0; i + 1 < 40; i++) {
        snprintf(lab, sizeof lab, "%.2f", i / 100.0);
        CHECK_OK(causa_graph_set_edge_label(T, g, i + 1, i, lab)); /* either order */
    }
    CHECK_STR(causa_graph_edge_label(g, 5, 6), "0.05");
    CHECK_STR(causa_graph_edge_label(g, 6, 5), "0.05");
    CHECK_OK(causa_graph_set_edge_label(T, g, 5, 6, "replaced"));
    CHECK_STR(causa_graph_edge_label(g, 5, 6), "replaced");
    /* Removing labels (and edges) keeps every other label findable. */
    for (int i = 0; i + 1 < 40; i += 3) CHECK_OK(causa_graph_set_edge_label(T, g, i, i + 1, NULL));
    CHECK_OK(causa_graph_remove_edge(T, g, 10, 11));
    CHECK(causa_graph_edge_label(g, 10, 11) == NULL);
    for (int i = 0; i + 1 < 40; i++) {
        if (i % 3 == 0 || i == 10) {
            CHECK(causa_graph_edge_label(g, i, i + 1) == NULL);
        } else if (i != 5) {
            snprintf(lab, sizeof lab, "%.2f", i / 100.0);
            CHECK_STR(causa_graph_edge_label(g, i, i + 1), lab);
        }
    }
    CHECK_OK(causa_graph_set_node_flags(T, g, 3, CAUSA_NODE_LATENT));
    CHECK_OK(causa_graph_set_node_flags(T, g, 4, CAUSA_NODE_LATENT | CAUSA_NODE_SELECTION));
    CHECK_ERR(causa_graph_set_node_flags(T, g, 4, 8), CAUSA_EINVAL);
    CHECK_ERR(causa_graph_set_node_flags(T, g, 40, 1), CAUSA_EINVAL);
    CHECK_INT(causa_graph_node_flags(g, 3), CAUSA_NODE_LATENT);
    CHECK_INT(causa_graph_node_flags(g, 4), 3);
    CHECK_INT(causa_graph_node_flags(g, 5), 0);
    CHECK_OK(causa_graph_set_kind(T, g, CAUSA_KIND_DAG));

    CHECK_OK(causa_graph_copy(T, g, &c));
    CHECK_INT(causa_graph_nnodes(c), 40);
    CHECK_INT(causa_graph_nedges(c), causa_graph_nedges(g));
    CHECK_INT(causa_graph_kind(c), CAUSA_KIND_DAG);
    CHECK_INT(causa_graph_node_flags(c, 4), 3);
    CHECK_STR(causa_graph_edge_label(c, 5, 6), "replaced");
    CHECK_STR(causa_graph_edge_label(c, 7, 8), "0.07");
    CHECK_INT(causa_graph_find(c, "X40"), 39);
    /* The copy is independent, and can grow. */
    CHECK_OK(causa_graph_add_edge(T, c, 0, 39, T_, A_));
    CHECK_OK(causa_graph_add_node(T, c, "new", NULL));
    CHECK(!causa_graph_adjacent(g, 0, 39));
    CHECK_INT(causa_graph_nnodes(g), 40);
    /* Changing edges takes back the declared kind. */
    CHECK_INT(causa_graph_kind(c), CAUSA_KIND_MIXED);
    causa_graph_free(c);
    causa_graph_free(g);
}

TEST(graph_kind_names) {
    CHECK_STR(causa_graph_kind_name(CAUSA_KIND_DAG), "dag");
    CHECK_STR(causa_graph_kind_name(CAUSA_KIND_CPDAG), "cpdag");
    CHECK_STR(causa_graph_kind_name(CAUSA_KIND_MIXED), "mixed");
    CHECK_STR(causa_graph_kind_name(CAUSA_KIND_ADMG), "admg");
    CHECK(causa_graph_kind_name(7) == NULL);
    CHECK(causa_graph_kind_name(-1) == NULL);
    for (int k = 0; k <= CAUSA_KIND_ADMG; k++)
        CHECK_INT(causa_graph_kind_from_name(causa_graph_kind_name(k)), k);
    CHECK_INT(causa_graph_kind_from_name("PAG"), CAUSA_KIND_PAG);
    CHECK_INT(causa_graph_kind_from_name("Mag"), CAUSA_KIND_MAG);
    CHECK_INT(causa_graph_kind_from_name("tree"), -1);
    CHECK_INT(causa_graph_kind_from_name(NULL), -1);
}

/* ---- OOM sweeps ---- */

static int build_job(causa_ctx *ctx, void *ud) {
    (void)ud;
    causa_graph *g = NULL, *c = NULL;
    int rc = CAUSA_OK;
    const char *names[] = {"a", "b", "c", "d", "e"};
    CAUSA_TRY(causa_graph_new(ctx, 5, names, &g));
    for (int i = 0; i < 30; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "n%d", i);
        CAUSA_TRY(causa_graph_add_node(ctx, g, nm, NULL));
    }
    for (int i = 0; i < 34; i++) CAUSA_TRY(causa_graph_add_edge(ctx, g, i, i + 1, T_, A_));
    for (int i = 0; i < 30; i++) CAUSA_TRY(causa_graph_add_edge(ctx, g, 0, i + 2, T_, A_));
    CAUSA_TRY(causa_graph_add_edge(ctx, g, 0, 1, A_, A_));
    for (int i = 0; i < 20; i++) CAUSA_TRY(causa_graph_set_edge_label(ctx, g, i, i + 1, "lbl"));
    CAUSA_TRY(causa_graph_copy(ctx, g, &c));
    if (causa_graph_nedges(c) != 65 || strcmp(causa_graph_edge_label(c, 3, 4), "lbl") != 0)
        rc = causa_i_error(ctx, CAUSA_EINTERNAL, "copy differs");
done:
    causa_graph_free(c);
    causa_graph_free(g);
    return rc;
}

TEST(graph_oom_sweep_build) {
    int n = harness_oom_sweep("graph build", build_job, NULL);
    CHECK(n > 20);
}

/* ---- large graphs ---- */

TEST(graph_large_sparse) {
    /* 100 000 nodes with two edges each: cheap in memory (no p x p table). */
    causa_graph *g = NULL;
    int64_t p = 100000;
    CHECK_OK(causa_graph_new(T, p, NULL, &g));
    causa_rng r;
    causa_rng_init(&r, 7, 0);
    for (int64_t v = 1; v < p; v++) {
        CHECK_OK(causa_graph_add_edge(T, g, (int64_t)causa_rng_below(&r, (uint64_t)v), v, T_, A_));
        int64_t u = (int64_t)causa_rng_below(&r, (uint64_t)v);
        if (!causa_graph_adjacent(g, u, v)) CHECK_OK(causa_graph_add_edge(T, g, u, v, T_, A_));
    }
    CHECK(causa_graph_nedges(g) > 190000);
    CHECK(causa_ctx_bytes_in_use(T) < (size_t)20 * 1000 * 1000);
    CHECK_INT(causa_graph_find(g, "X99999"), 99998);
    causa_graph_free(g);
}

/* ---- kinds ---- */

TEST(graph_kind_dag) {
    expect_kind_ok("A B C D", "A-->B B-->C A-->C D-->A", CAUSA_KIND_DAG);
    expect_kind_error("A B C", "A-->B B-->C C-->A", CAUSA_KIND_DAG, CAUSA_ECYCLE,
                      "not a valid DAG: directed cycle A -> B -> C -> A");
    /* The cycle is named from its smallest node, whatever the insertion order. */
    expect_kind_error("A B C D", "D-->C C-->B B-->D A-->B", CAUSA_KIND_DAG, CAUSA_ECYCLE,
                      "directed cycle B -> D -> C -> B");
    expect_kind_error("A B C", "A-->B B---C", CAUSA_KIND_DAG, CAUSA_EINVAL,
                      "edge B --- C cannot appear in a DAG (only -->)");
    expect_kind_error("A B", "A-->B A<->B", CAUSA_KIND_DAG, CAUSA_EINVAL,
                      "bow A --> B (with A <-> B); a DAG carries one edge per pair");
    causa_graph *g = build("A B", "A-->B");
    CHECK_ERR(causa_graph_set_kind(T, g, 9), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "unknown graph kind 9");
    CHECK_OK(causa_graph_set_kind(T, g, CAUSA_KIND_MIXED));
    causa_graph_free(g);
}

TEST(graph_kind_pdag_cpdag) {
    expect_kind_ok("A B C", "A-->B B---C", CAUSA_KIND_PDAG);
    expect_kind_error("A B C", "A-->B B-->C C-->A", CAUSA_KIND_PDAG, CAUSA_ECYCLE,
                      "not a valid PDAG: directed cycle A -> B -> C -> A");
    expect_kind_error("A B C", "A-->B B<->C", CAUSA_KIND_PDAG, CAUSA_EINVAL,
                      "edge B <-> C cannot appear in a PDAG (only --> and ---)");
    /* Valid CPDAGs: a v-structure with a compelled descendant; a chordal undirected part. */
    expect_kind_ok("A B C D", "A-->C B-->C C-->D", CAUSA_KIND_CPDAG);
    expect_kind_ok("A B C", "A---B B---C", CAUSA_KIND_CPDAG);
    expect_kind_ok("A B C D", "A---B B---C C---D D---A A---C", CAUSA_KIND_CPDAG);
    expect_kind_error("A B C D", "A---B B---C C---D D---A", CAUSA_KIND_CPDAG, CAUSA_EINVAL,
                      "not a valid CPDAG: undirected component {A, B, C, D} is not chordal");
    expect_kind_error("A B C D E", "E-->A A---B B---C C---D D---A E-->B E-->C E-->D",
                      CAUSA_KIND_CPDAG, CAUSA_EINVAL, "undirected component {A, B, C, D} is not chordal");
    expect_kind_error("A B", "A-->B", CAUSA_KIND_CPDAG, CAUSA_EINVAL,
                      "edge A --> B is not strongly protected");
    expect_kind_error("A B C", "A-->B B---C", CAUSA_KIND_CPDAG, CAUSA_EINVAL,
                      "induced subgraph A --> B --- C (A and C not adjacent) cannot occur in a CPDAG");
    expect_kind_error("A B C", "A-->B B---C C---A", CAUSA_KIND_CPDAG, CAUSA_EINVAL,
                      "partially directed cycle A -> B --- C --- A");
    expect_kind_error("A B C D", "A-->B B---C C-->D D---A", CAUSA_KIND_CPDAG, CAUSA_EINVAL,
                      "partially directed cycle A -> B --- C -> D --- A");
    /* (c) and (d) protect arrows too. */
    expect_kind_ok("A B C D", "A-->C C-->B A-->B D-->C", CAUSA_KIND_CPDAG);
    expect_kind_ok("A B C D", "A---C A---D C-->B D-->B A-->B", CAUSA_KIND_CPDAG);
}

TEST(graph_kind_mag_admg_pag) {
    expect_kind_ok("A B C D", "A-->B B<->C D-->C", CAUSA_KIND_MAG);
    expect_kind_ok("A B C D", "A---B B-->C C<->D", CAUSA_KIND_MAG);
    expect_kind_error("A B C", "A-->C C-->B A<->B", CAUSA_KIND_MAG, CAUSA_EINVAL,
                      "not a valid MAG: almost directed cycle A -> C -> B <-> A");
    expect_kind_error("A B", "Ao->B", CAUSA_KIND_MAG, CAUSA_EINVAL, "circle mark on A o-> B in a MAG");
    expect_kind_error("A B C", "A---B C-->A", CAUSA_KIND_MAG, CAUSA_EINVAL,
                      "undirected edge A --- B meets an arrowhead at A (C --> A)");
    expect_kind_error("A B C", "A---B C<->B", CAUSA_KIND_MAG, CAUSA_EINVAL,
                      "undirected edge B --- A meets an arrowhead at B (C <-> B)");
    expect_kind_error("A B", "A-->B A<->B", CAUSA_KIND_MAG, CAUSA_EINVAL, "a MAG carries one edge per pair");
    expect_kind_error("A B C", "A-->B B-->C C-->A", CAUSA_KIND_MAG, CAUSA_ECYCLE, "directed cycle");
    /* Richardson & Spirtes (2002)'s ancestral graph that is not maximal: A and D are not
     * adjacent, yet no set separates them. */
    expect_kind_error("A B C D", "A<->B B<->C C<->D B-->D C-->A", CAUSA_KIND_MAG, CAUSA_EINVAL,
                      "not maximal: A and D are not adjacent but joined by the inducing path "
                      "A <-> B <-> C <-> D");
    expect_kind_ok("A B C D", "A<->B B<->C C<->D B-->D C-->A A<->D", CAUSA_KIND_MAG);

    expect_kind_ok("A B C", "A-->B A<->B B-->C C<->A", CAUSA_KIND_ADMG);
    expect_kind_ok("A B C D", "A<->B B<->C C<->D B-->D C-->A", CAUSA_KIND_ADMG);
    expect_kind_error("A B C", "A-->B B---C", CAUSA_KIND_ADMG, CAUSA_EINVAL,
                      "edge B --- C cannot appear in a ADMG (only --> and <->)");
    expect_kind_error("A B C", "A-->B B-->C C-->A A<->C", CAUSA_KIND_ADMG, CAUSA_ECYCLE,
                      "directed cycle A -> B -> C -> A");

    expect_kind_ok("A B C D", "Ao->B Bo-oC C---D D-->A A--oC", CAUSA_KIND_PAG);
    expect_kind_error("A B C D", "A-->B B-->C C-->A Co-oD", CAUSA_KIND_PAG, CAUSA_ECYCLE,
                      "not a valid PAG: directed cycle A -> B -> C -> A");
    expect_kind_error("A B", "A-->B A<->B", CAUSA_KIND_PAG, CAUSA_EINVAL, "one edge per pair");
    expect_kind_ok("A B", "A-->B A<->B", CAUSA_KIND_MIXED);
}

TEST(graph_infer_kind) {
    CHECK_INT(inferred("A B C", "A-->B B-->C"), CAUSA_KIND_DAG);
    CHECK_INT(inferred("A B C", ""), CAUSA_KIND_DAG);
    CHECK_INT(inferred("A B C", "A---B B---C"), CAUSA_KIND_CPDAG);
    CHECK_INT(inferred("A B C D", "A-->C B-->C C-->D"), CAUSA_KIND_DAG);
    CHECK_INT(inferred("A B C D", "A-->C B-->C C---D"), CAUSA_KIND_PDAG);
        CHECK_INT(inferred("A B C", "A-->B B<->C"), CAUSA_KIND_MAG);
    CHECK_INT(inferred("A B C", "A---B B-->C"), CAUSA_KIND_PDAG);
    CHECK_INT(inferred("A B C D", "A<->B B<->C C<->D B-->D C-->A"), CAUSA_KIND_ADMG);
    CHECK_INT(inferred("A B C", "A-->B A<->B"), CAUSA_KIND_ADMG);
    CHECK_INT(inferred("A B C", "Ao->B B-->C"), CAUSA_KIND_PAG);
        CHECK_INT(inferred("A B C D", "A-->B B-->C C-->A Co-oD"), CAUSA_KIND_MIXED);
    CHECK_INT(inferred("A B C", "A<->B A-->B Bo->C"), CAUSA_KIND_MIXED);
    /* infer_kind keeps an earlier message. */
    causa_graph *g = build("A B", "Ao->B");
    CHECK_ERR(causa_graph_set_kind(T, g, CAUSA_KIND_DAG), CAUSA_EINVAL);
    int k = -1;
    CHECK_OK(causa_graph_infer_kind(T, g, &k));
    CHECK_INT(k, CAUSA_KIND_PAG);
    CHECK_CONTAINS(causa_errmsg(T), "not a valid DAG");
    causa_graph_free(g);
}

/* ---- traversal ---- */

static void check_list(const int64_t *got, int64_t n, const char *want, const causa_graph *g,
                       int line) {
    char buf[256] = "";
    for (int64_t i = 0; i < n; i++) {
        if (i) strcat(buf, " ");
        strcat(buf, causa_graph_name(g, got[i]));
    }
    if (strcmp(buf, want) != 0) harness_fail(__FILE__, line, "got \"%s\", expected \"%s\"", buf, want);
}
#define CHECK_LIST(got, n, want) check_list(got, n, want, g, __LINE__)

TEST(graph_traverse_neighbourhoods) {
    causa_graph *g = build("A B C D E F G", "E-->C A-->C C-->D C<->F C---G B-->C B<->C D<->A");
    int64_t out[7], n = -1;
    CHECK_OK(causa_graph_parents(T, g, 2, out, &n));
    CHECK_LIST(out, n, "A B E");
    CHECK_OK(causa_graph_children(T, g, 2, out, &n));
    CHECK_LIST(out, n, "D");
    CHECK_OK(causa_graph_neighbors(T, g, 2, out, &n));
    CHECK_LIST(out, n, "G");
    CHECK_OK(causa_graph_spouses(T, g, 2, out, &n));
    CHECK_LIST(out, n, "B F");
    CHECK_OK(causa_graph_adjacents(T, g, 2, out, &n));
    CHECK_LIST(out, n, "A B D E F G"); /* the bow with B gives B once */
    CHECK_OK(causa_graph_spouses(T, g, 0, out, &n));
    CHECK_LIST(out, n, "D");
    CHECK_ERR(causa_graph_parents(T, g, 7, out, &n), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "node must be a node index in [0, 7), got 7");
    causa_graph_free(g);
}

TEST(graph_traverse_ancestors_order_cycle) {
    /* X1..X8: X4 --> X2, X5 --> X1, X3 --> X1, X2 --> X6, X6 --> X7, X8 <-> X7 */
    causa_graph *g = build("X1 X2 X3 X4 X5 X6 X7 X8", "X4-->X2 X5-->X1 X3-->X1 X2-->X6 X6-->X7 X8<->X7 X1---X8");
    int64_t out[8], n = -1, set[2];
    set[0] = 6;
    CHECK_OK(causa_graph_ancestors(T, g, set, 1, out, &n));
    CHECK_LIST(out, n, "X2 X4 X6 X7");
    set[1] = 0;
    CHECK_OK(causa_graph_ancestors(T, g, set, 2, out, &n));
    CHECK_LIST(out, n, "X1 X2 X3 X4 X5 X6 X7");
    set[0] = 3;
    CHECK_OK(causa_graph_descendants(T, g, set, 1, out, &n));
    CHECK_LIST(out, n, "X2 X4 X6 X7");
    CHECK_OK(causa_graph_descendants(T, g, set, 0, out, &n));
    CHECK_INT(n, 0);
    set[0] = 8;
    CHECK_ERR(causa_graph_descendants(T, g, set, 1, out, &n), CAUSA_EINVAL);
    /* Among ready nodes the smallest index goes first. */
    CHECK_OK(causa_graph_topological_order(T, g, out));
    CHECK_LIST(out, 8, "X3 X4 X2 X5 X1 X6 X7 X8");
    int64_t len = -1;
    CHECK_OK(causa_graph_find_cycle(T, g, out, &len));
    CHECK_INT(len, 0);
    CHECK_OK(causa_graph_add_edge(T, g, 6, 3, T_, A_)); /* X7 --> X4 closes X4 X2 X6 X7 */
    CHECK_OK(causa_graph_find_cycle(T, g, out, &len));
    CHECK_LIST(out, len, "X2 X6 X7 X4");
    CHECK_ERR(causa_graph_topological_order(T, g, out), CAUSA_ECYCLE);
    CHECK_CONTAINS(causa_errmsg(T), "no topological order: directed cycle X2 -> X6 -> X7 -> X4 -> X2");
    causa_graph_free(g);
}

/* ---- kinds on random graphs: a DAG is always a DAG, its undirected skeleton rarely ---- */

TEST(graph_kind_large_dag_linear) {
    /* A long path (deep DFS) and a wide DAG check without recursion. */
    int64_t p = 200000;
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, p, NULL, &g));
    for (int64_t v = 0; v + 1 < p; v++) CHECK_OK(causa_graph_add_edge(T, g, v, v + 1, T_, A_));
    CHECK_OK(causa_graph_set_kind(T, g, CAUSA_KIND_DAG));
    int64_t *order = malloc((size_t)p * sizeof *order);
    CHECK_OK(causa_graph_topological_order(T, g, order));
    CHECK_INT(order[p - 1], p - 1);
    CHECK_OK(causa_graph_add_edge(T, g, p - 1, 0, T_, A_));
    CHECK_ERR(causa_graph_set_kind(T, g, CAUSA_KIND_DAG), CAUSA_ECYCLE);
    CHECK_CONTAINS(causa_errmsg(T), "X1 -> X2 -> X3");
    CHECK_CONTAINS(causa_errmsg(T), "(200000 nodes) -> X1");
    free(order);
    causa_graph_free(g);
}

/* ---- the CPDAG check against brute force ----
 * For a skeleton on at most 5 nodes, every orientation that is acyclic is a DAG; DAGs with
 * the same v-structures form a Markov equivalence class (Verma & Pearl 1990), and the
 * class's CPDAG directs exactly the edges all its members orient alike. A mixed graph on the
 * skeleton must pass the CPDAG check iff it is one of those CPDAGs. */

#define BP 5
typedef struct skel {
    int p, ne, ea[BP * BP], eb[BP * BP];
    int adj[BP][BP];
} skel;

static int orient_acyclic(const skel *s, unsigned mask) {
    int indeg[BP] = {0}, done = 0, removed[BP] = {0};
    for (int k = 0; k < s->ne; k++) indeg[mask >> k & 1 ? s->ea[k] : s->eb[k]]++;
    for (int round = 0; round < s->p; round++)
        for (int v = 0; v < s->p; v++) {
            if (removed[v] || indeg[v]) continue;
            removed[v] = 1;
            done++;
            for (int k = 0; k < s->ne; k++) {
                int from = mask >> k & 1 ? s->eb[k] : s->ea[k], to = mask >> k & 1 ? s->ea[k] : s->eb[k];
                if (from == v) indeg[to]--;
            }
        }
    return done == s->p;
}

/* v-structures a -> c <- b (a < b not adjacent) as bits of a 128-bit signature. */
static void vstructures(const skel *s, unsigned mask, uint64_t sig[2]) {
    int parent[BP][BP] = {{0}};
    sig[0] = sig[1] = 0;
    for (int k = 0; k < s->ne; k++) {
        int from = mask >> k & 1 ? s->eb[k] : s->ea[k], to = mask >> k & 1 ? s->ea[k] : s->eb[k];
        parent[to][from] = 1;
    }
    for (int c = 0; c < s->p; c++)
        for (int a = 0; a < s->p; a++)
            for (int b = a + 1; b < s->p; b++)
                if (parent[c][a] && parent[c][b] && !s->adj[a][b]) {
                    int bit = (a * BP + b) * BP + c;
                    sig[bit / 64] |= 1ull << (bit % 64);
                }
}

TEST(graph_kind_cpdag_brute_force) {
    causa_rng r;
    causa_rng_init(&r, 77, 0);
    int valid = 0, invalid = 0;
    for (int iter = 0; iter < 400; iter++) {
        skel s;
        memset(&s, 0, sizeof s);
        s.p = 2 + (int)causa_rng_below(&r, BP - 1);
        double q = 0.3 + 0.6 * causa_rng_uniform(&r);
        for (int a = 0; a < s.p; a++)
            for (int b = a + 1; b < s.p; b++)
                if (causa_rng_uniform(&r) < q) {
                    s.ea[s.ne] = a;
                    s.eb[s.ne++] = b;
                    s.adj[a][b] = s.adj[b][a] = 1;
                }
        /* Classes: signature -> which orientations of each edge occur. */
        static uint64_t sigs[1024][2];
        static unsigned seen0[1024], seen1[1024];
        int ncls = 0;
        for (unsigned mask = 0; mask < 1u << s.ne; mask++) {
            if (!orient_acyclic(&s, mask)) continue;
            uint64_t sig[2];
            vstructures(&s, mask, sig);
            int c = 0;
            while (c < ncls && (sigs[c][0] != sig[0] || sigs[c][1] != sig[1])) c++;
            if (c == ncls) {
                sigs[c][0] = sig[0];
                sigs[c][1] = sig[1];
                seen0[c] = seen1[c] = 0;
                ncls++;
            }
            seen0[c] |= ~mask & ((1u << s.ne) - 1);
            seen1[c] |= mask;
        }
        /* Candidates: each class's CPDAG (valid) and a few random markings (mostly not). */
        for (int t = 0; t < 4; t++) {
            unsigned dir = 0, rev = 0; /* per edge: directed? reversed (b -> a)? */
            if (t == 0) {
                int c = (int)causa_rng_below(&r, (uint64_t)ncls);
                for (int k = 0; k < s.ne; k++) {
                    int both = (seen0[c] >> k & 1) && (seen1[c] >> k & 1);
                    if (!both) dir |= 1u << k;
                    if (!both && (seen1[c] >> k & 1)) rev |= 1u << k;
                }
            } else {
                for (int k = 0; k < s.ne; k++) {
                    uint64_t u = causa_rng_below(&r, 3);
                    if (u) dir |= 1u << k;
                    if (u == 2) rev |= 1u << k;
                }
            }
            int want = 0;
            for (int c = 0; c < ncls && !want; c++) {
                int same = 1;
                for (int k = 0; k < s.ne && same; k++) {
                    int both = (seen0[c] >> k & 1) && (seen1[c] >> k & 1);
                    if (both != !(dir >> k & 1)) same = 0;
                    else if (!both && (int)(seen1[c] >> k & 1) != (int)(rev >> k & 1)) same = 0;
                }
                want = same;
            }
            causa_graph *g = NULL;
            CHECK_OK(causa_graph_new(T, s.p, NULL, &g));
            if (!g) return;
            for (int k = 0; k < s.ne; k++) {
                int a = s.ea[k], b = s.eb[k];
                if (!(dir >> k & 1)) CHECK_OK(causa_graph_add_edge(T, g, a, b, T_, T_));
                else if (rev >> k & 1) CHECK_OK(causa_graph_add_edge(T, g, b, a, T_, A_));
                else CHECK_OK(causa_graph_add_edge(T, g, a, b, T_, A_));
            }
            int rc = causa_graph_set_kind(T, g, CAUSA_KIND_CPDAG);
            if ((rc == CAUSA_OK) != want) {
                char desc[256] = "";
                for (int k = 0; k < s.ne; k++) {
                    char e[32];
                    snprintf(e, sizeof e, "%d%s%d ", s.ea[k] + 1,
                             !(dir >> k & 1) ? "---" : rev >> k & 1 ? "<--" : "-->", s.eb[k] + 1);
                    strcat(desc, e);
                }
                harness_fail(__FILE__, __LINE__, "%s: check says %s (%s), brute force says %s",
                             desc, rc ? "no" : "yes", causa_errmsg(T), want ? "yes" : "no");
            }
            if (rc != CAUSA_OK && rc != CAUSA_EINVAL && rc != CAUSA_ECYCLE) CHECK_OK(rc);
            want ? valid++ : invalid++;
            causa_graph_free(g);
        }
    }
    CHECK(valid > 300);
    CHECK(invalid > 300);
}

/* ---- OOM on the error paths of the kind checks ---- */

/* Edges "a?b" on nodes 0..4: '>' (or '-') a --> b, '=' a --- b, '<' a <-> b. */
static int kind_errors_job(causa_ctx *ctx, void *ud) {
    (void)ud;
    static const struct { const char *edges; int kind; } cases[] = {
        {"0>2 1>2 2>3 3>4", CAUSA_KIND_CPDAG},       /* valid */
        {"0=1 1=2 2=3 3=0", CAUSA_KIND_CPDAG},       /* not chordal */
        {"0>1 1=2 2>3 3=0", CAUSA_KIND_CPDAG},       /* partially directed cycle */
        {"0>1", CAUSA_KIND_CPDAG},                   /* not protected */
        {"0>1 1>2 2>0", CAUSA_KIND_DAG},             /* cycle */
        {"0>2 2>1 0<1", CAUSA_KIND_MAG},             /* almost directed cycle */
        {"0<1 1<2 2<3 1>3 2>0", CAUSA_KIND_MAG},     /* not maximal */
        {"0>1 1<2 2<3", CAUSA_KIND_MAG},             /* valid */
    };
    int rc = CAUSA_OK;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        causa_graph *g = NULL;
        CAUSA_TRY(causa_graph_new(ctx, 5, NULL, &g));
        for (const char *s = cases[c].edges; *s; s += s[3] ? 4 : 3) {
            int a = s[0] - '0', b = s[2] - '0';
            int ma = s[1] == '<' ? A_ : T_, mb = s[1] == '=' ? T_ : A_;
            rc = causa_graph_add_edge(ctx, g, a, b, ma, mb);
            if (rc) break;
        }
        if (rc == CAUSA_OK) {
            rc = causa_graph_set_kind(ctx, g, cases[c].kind);
            int k;
            if (rc == CAUSA_EINVAL || rc == CAUSA_ECYCLE) rc = CAUSA_OK;
            if (rc == CAUSA_OK) rc = causa_graph_infer_kind(ctx, g, &k);
        }
        causa_graph_free(g);
        if (rc) goto done;
    }
done:
    return rc;
}

TEST(graph_oom_sweep_kind_checks) {
    int n = harness_oom_sweep("kind checks", kind_errors_job, NULL);
    CHECK(n > 30);
}
