/*
 * test_compare.c: causa_graph_compare. Hand-computed cases for every metric (the
 * arithmetic is in the comments), identities (equal graphs, swapping the roles, permuting
 * the estimate's node order), errors, an O(p^2) restatement of the definitions on random
 * graphs with every mark and bows, an out-of-memory sweep, and the peers' own values from
 * tests/data/compare/peers.txt (pcalg::shd and causal-learn's SHD; see the README there).
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../src/internal.h"
#include "harness.h"
#include "util.h"

enum { TL = CAUSA_MARK_TAIL, AR = CAUSA_MARK_ARROW, CI = CAUSA_MARK_CIRCLE };

static causa_graph_metrics cmp(const causa_graph *est, const causa_graph *truth) {
    causa_graph_metrics m;
    memset(&m, 0xff, sizeof m);
    CHECK_OK(causa_graph_compare(T, est, truth, &m));
    return m;
}

static int64_t confusion_sum(const causa_graph_metrics *m) {
    int64_t s = 0;
    for (int i = 0; i < CAUSA_NETYPES; i++)
        for (int j = 0; j < CAUSA_NETYPES; j++) s += m->confusion[i][j];
    return s;
}

/* Every field equal (NaN equal to NaN). */
static int same_metrics(const causa_graph_metrics *x, const causa_graph_metrics *y) {
    const double dx[] = {x->adj_precision, x->adj_recall, x->adj_f1,
                         x->arrow_precision, x->arrow_recall, x->arrow_f1};
    const double dy[] = {y->adj_precision, y->adj_recall, y->adj_f1,
                         y->arrow_precision, y->arrow_recall, y->arrow_f1};
    for (int i = 0; i < 6; i++)
        if (!(dx[i] == dy[i] || (isnan(dx[i]) && isnan(dy[i])))) return 0;
    return x->shd == y->shd && x->shd_pcalg == y->shd_pcalg &&
           x->shd_causallearn == y->shd_causallearn && x->adj_tp == y->adj_tp &&
           x->adj_fp == y->adj_fp && x->adj_fn == y->adj_fn && x->arrow_tp == y->arrow_tp &&
           x->arrow_fp == y->arrow_fp && x->arrow_fn == y->arrow_fn &&
           memcmp(x->confusion, y->confusion, sizeof x->confusion) == 0;
}

TEST(compare_edge_type_names) {
    CHECK_STR(causa_edge_type_name(CAUSA_ETYPE_NONE), "none");
    CHECK_STR(causa_edge_type_name(CAUSA_ETYPE_DIRECTED_AB), "-->");
    CHECK_STR(causa_edge_type_name(CAUSA_ETYPE_DIRECTED_BA), "<--");
    CHECK_STR(causa_edge_type_name(CAUSA_ETYPE_UNDIRECTED), "---");
    CHECK_STR(causa_edge_type_name(CAUSA_ETYPE_BIDIRECTED), "<->");
    CHECK_STR(causa_edge_type_name(CAUSA_ETYPE_PARTIAL_AB), "o->");
    CHECK_STR(causa_edge_type_name(CAUSA_ETYPE_PARTIAL_BA), "<-o");
    CHECK_STR(causa_edge_type_name(CAUSA_ETYPE_NONDIRECTED), "o-o");
    CHECK_STR(causa_edge_type_name(CAUSA_ETYPE_TAILCIRCLE_AB), "--o");
    CHECK_STR(causa_edge_type_name(CAUSA_ETYPE_TAILCIRCLE_BA), "o--");
    CHECK(causa_edge_type_name(CAUSA_NETYPES) == NULL);
    CHECK(causa_edge_type_name(-1) == NULL);
}

TEST(compare_cpdags_by_hand) {
    /* Pair by pair (truth order A B C D E):
     *   A,C  truth A --> C, estimate A --> C: same; adjacency TP; arrowhead at C: TP.
     *   B,C  truth B --> C, estimate B <-- C: shd 1, pcalg 1 (the two directed classes);
     *        adjacency TP; arrowhead at C: FN, at B: FP.
     *   C,D  truth C --> D, estimate C --- D: shd 1, pcalg 1 (directed vs symmetric);
     *        adjacency TP; arrowhead at D: FN.
     *   D,E  truth D --- E, estimate none: shd 1, pcalg 1; adjacency FN.
     *   B,E  truth none, estimate B --- E: shd 1, pcalg 1; adjacency FP.
     * shd = pcalg = causal-learn = 4. Adjacency TP 3, FP 1, FN 1: precision 3/4, recall
     * 3/4, F1 = 2*3 / (2*3 + 1 + 1) = 0.75. Arrowheads TP 1, FP 1, FN 2: precision 1/2,
     * recall 1/3, F1 = 2 / (2 + 1 + 2) = 0.4. Confusion: 5 pairs above, the other
     * 10 - 5 = 5 pairs none/none. */
    causa_graph *t = build(T, "A B C D E", "A --> C, B --> C, C --> D, D --- E");
    causa_graph *e = build(T, "A B C D E", "A --> C, C --> B, C --- D, B --- E");
    causa_graph_metrics m = cmp(e, t);
    CHECK_INT(m.shd, 4);
    CHECK_INT(m.shd_pcalg, 4);
    CHECK_INT(m.shd_causallearn, 4);
    CHECK_INT(m.adj_tp, 3);
    CHECK_INT(m.adj_fp, 1);
    CHECK_INT(m.adj_fn, 1);
    CHECK_REL(m.adj_precision, 0.75, 1e-15);
    CHECK_REL(m.adj_recall, 0.75, 1e-15);
    CHECK_REL(m.adj_f1, 0.75, 1e-15);
    CHECK_INT(m.arrow_tp, 1);
    CHECK_INT(m.arrow_fp, 1);
    CHECK_INT(m.arrow_fn, 2);
    CHECK_REL(m.arrow_precision, 0.5, 1e-15);
    CHECK_REL(m.arrow_recall, 1.0 / 3.0, 1e-15);
    CHECK_REL(m.arrow_f1, 0.4, 1e-15);
    CHECK_INT(m.confusion[CAUSA_ETYPE_DIRECTED_AB][CAUSA_ETYPE_DIRECTED_AB], 1);
    CHECK_INT(m.confusion[CAUSA_ETYPE_DIRECTED_BA][CAUSA_ETYPE_DIRECTED_AB], 1);
    CHECK_INT(m.confusion[CAUSA_ETYPE_UNDIRECTED][CAUSA_ETYPE_DIRECTED_AB], 1);
    CHECK_INT(m.confusion[CAUSA_ETYPE_NONE][CAUSA_ETYPE_UNDIRECTED], 1);
    CHECK_INT(m.confusion[CAUSA_ETYPE_UNDIRECTED][CAUSA_ETYPE_NONE], 1);
    CHECK_INT(m.confusion[CAUSA_ETYPE_NONE][CAUSA_ETYPE_NONE], 5);
    CHECK_INT(confusion_sum(&m), 10);
    causa_graph_free(t);
    causa_graph_free(e);
}

TEST(compare_marks_and_bows_by_hand) {
    /* Pair by pair (truth order A B C D):
     *   A,B  truth A <-> B, estimate A --- B: shd 1; pcalg 0 (both are the symmetric class
     *        of pcalg's 0/1 matrices); arrowheads at A and at B: 2 FN.
     *   B,C  truth B o-> C, estimate B --> C: shd 1; pcalg 1 (symmetric vs directed);
     *        arrowhead at C: TP.
     *   C,D  truth C --- D, estimate C o-o D: shd 1, pcalg 0, no arrowheads.
     *   A,D  truth A --> D, estimate the bow A --> D + A <-> D: shd 1 and causal-learn 1
     *        (a bow is its own state); pcalg 0 and arrowheads from the directed edge only
     *        (Tetrad's getDirectedEdge): at D a TP, at A nothing.
     *   A,C and B,D: no edge in either.
     * shd = causal-learn = 4, pcalg = 1. Adjacency TP 4, FP 0, FN 0: 1, 1, 1. Arrowheads
     * TP 2, FP 0, FN 2: precision 1, recall 1/2, F1 = 4 / (4 + 0 + 2) = 2/3. */
    causa_graph *t = build(T, "A B C D", "A <-> B, B o-> C, C --- D, A --> D");
    causa_graph *e = build(T, "A B C D", "A --- B, B --> C, C o-o D, A --> D, A <-> D");
    causa_graph_metrics m = cmp(e, t);
    CHECK_INT(m.shd, 4);
    CHECK_INT(m.shd_causallearn, 4);
    CHECK_INT(m.shd_pcalg, 1);
    CHECK_INT(m.adj_tp, 4);
    CHECK_INT(m.adj_fp, 0);
    CHECK_INT(m.adj_fn, 0);
    CHECK_REL(m.adj_precision, 1.0, 0);
    CHECK_REL(m.adj_recall, 1.0, 0);
    CHECK_REL(m.adj_f1, 1.0, 0);
    CHECK_INT(m.arrow_tp, 2);
    CHECK_INT(m.arrow_fp, 0);
    CHECK_INT(m.arrow_fn, 2);
    CHECK_REL(m.arrow_precision, 1.0, 0);
    CHECK_REL(m.arrow_recall, 0.5, 0);
    CHECK_REL(m.arrow_f1, 2.0 / 3.0, 1e-15);
    CHECK_INT(m.confusion[CAUSA_ETYPE_UNDIRECTED][CAUSA_ETYPE_BIDIRECTED], 1);
    CHECK_INT(m.confusion[CAUSA_ETYPE_DIRECTED_AB][CAUSA_ETYPE_PARTIAL_AB], 1);
    CHECK_INT(m.confusion[CAUSA_ETYPE_NONDIRECTED][CAUSA_ETYPE_UNDIRECTED], 1);
    CHECK_INT(m.confusion[CAUSA_ETYPE_DIRECTED_AB][CAUSA_ETYPE_DIRECTED_AB], 1);
    CHECK_INT(m.confusion[CAUSA_ETYPE_NONE][CAUSA_ETYPE_NONE], 2);
    CHECK_INT(confusion_sum(&m), 6);
    causa_graph_free(t);
    causa_graph_free(e);
}

TEST(compare_every_type_oriented_by_truth_order) {
    /* Truth order is A B; the estimate lists B first, so its edge B o-- A must still be
     * read in the truth's orientation: A --o B. Each glyph lands in its own cell. */
    const char *glyphs[] = {"-->", "<--", "---", "<->", "o->", "<-o", "o-o", "--o", "o--"};
    const int types[] = {CAUSA_ETYPE_DIRECTED_AB, CAUSA_ETYPE_DIRECTED_BA,
                         CAUSA_ETYPE_UNDIRECTED,  CAUSA_ETYPE_BIDIRECTED,
                         CAUSA_ETYPE_PARTIAL_AB,  CAUSA_ETYPE_PARTIAL_BA,
                         CAUSA_ETYPE_NONDIRECTED, CAUSA_ETYPE_TAILCIRCLE_AB,
                         CAUSA_ETYPE_TAILCIRCLE_BA};
    for (int i = 0; i < 9; i++) {
        char spec[32], rev[32];
        snprintf(spec, sizeof spec, "A %s B", glyphs[i]);
        int ma, mb;
        glyph_marks(glyphs[i], &ma, &mb);
        /* the same edge written from B's side */
        snprintf(rev, sizeof rev, "B %c-%c A", mb == TL ? '-' : mb == AR ? '<' : 'o',
                 ma == TL ? '-' : ma == AR ? '>' : 'o');
        causa_graph *t = build(T, "A B", spec);
        causa_graph *e = build(T, "B A", rev);
        causa_graph_metrics m = cmp(e, t);
        CHECK_INT(m.shd, 0);
        CHECK_INT(m.confusion[types[i]][types[i]], 1);
        CHECK_INT(confusion_sum(&m), 1);
        /* Against an empty estimate every arrowhead of the truth is a false negative. */
        causa_graph *z = build(T, "A B", "");
        m = cmp(z, t);
        CHECK_INT(m.confusion[CAUSA_ETYPE_NONE][types[i]], 1);
        CHECK_INT(m.arrow_fn, (ma == AR) + (mb == AR));
        CHECK_INT(m.shd_pcalg, 1);
        causa_graph_free(t);
        causa_graph_free(e);
        causa_graph_free(z);
    }
}

TEST(compare_zero_division_and_extremes) {
    /* Estimate A --> B against an empty truth: adjacency FP 1 so precision 0/1 = 0, recall
     * 0/0 = NaN, F1 = 0/(0 + 1 + 0) = 0; the arrowhead at B is an FP although the truth has
     * no edge there (Tetrad counts it too): arrow precision 0, recall NaN, F1 0. */
    causa_graph *t = build(T, "A B C", "");
    causa_graph *e = build(T, "A B C", "A --> B");
    causa_graph_metrics m = cmp(e, t);
    CHECK_INT(m.adj_fp, 1);
    CHECK_INT(m.arrow_fp, 1);
    CHECK_REL(m.adj_precision, 0.0, 0);
    CHECK(isnan(m.adj_recall));
    CHECK_REL(m.adj_f1, 0.0, 0);
    CHECK_REL(m.arrow_precision, 0.0, 0);
    CHECK(isnan(m.arrow_recall));
    CHECK_REL(m.arrow_f1, 0.0, 0);
    /* Two empty graphs: every count 0, every rate 0/0 = NaN, 3 none/none pairs. */
    m = cmp(t, t);
    CHECK_INT(m.shd, 0);
    CHECK(isnan(m.adj_precision) && isnan(m.adj_recall) && isnan(m.adj_f1));
    CHECK(isnan(m.arrow_precision) && isnan(m.arrow_recall) && isnan(m.arrow_f1));
    CHECK_INT(m.confusion[0][0], 3);
    /* No arrowheads anywhere but adjacencies right: arrow rates NaN, adjacency rates 1. */
    causa_graph *u = build(T, "A B C", "A --- B, B --- C");
    m = cmp(u, u);
    CHECK_REL(m.adj_f1, 1.0, 0);
    CHECK(isnan(m.arrow_f1));
    /* TP = 0 with FP and FN both > 0: F1 is 0 (Tetrad's 2PR/(P+R) would be 0/0). */
    causa_graph *v = build(T, "A B C", "A --- C");
    m = cmp(v, u);
    CHECK_INT(m.adj_tp, 0);
    CHECK_REL(m.adj_f1, 0.0, 0);
    CHECK_INT(m.shd, 3);
    /* Graphs without nodes. */
    causa_graph *n0 = build(T, "", "");
    m = cmp(n0, n0);
    CHECK_INT(m.shd, 0);
    CHECK_INT(confusion_sum(&m), 0);
    causa_graph_free(t);
    causa_graph_free(e);
    causa_graph_free(u);
    causa_graph_free(v);
    causa_graph_free(n0);
}

TEST(compare_errors) {
    causa_graph *t = build(T, "A B C", "A --> B");
    causa_graph *e = build(T, "A B D", "A --> B");
    causa_graph *f = build(T, "C A B Z", "");
    causa_graph *g = build(T, "A B", "");
    causa_graph_metrics m;
    m.shd = 77;
    CHECK_ERR(causa_graph_compare(T, e, t, &m), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "node \"C\" of the true graph is not in the estimate");
    CHECK_INT(m.shd, 77); /* untouched on failure */
    CHECK_ERR(causa_graph_compare(T, f, t, &m), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "node \"Z\" of the estimate is not in the true graph");
    CHECK_ERR(causa_graph_compare(T, g, t, &m), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "node \"C\" of the true graph");
    CHECK_ERR(causa_graph_compare(T, t, g, &m), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "node \"C\" of the estimate");
    CHECK_ERR(causa_graph_compare(T, NULL, t, &m), CAUSA_EMISUSE);
    CHECK_ERR(causa_graph_compare(T, t, t, NULL), CAUSA_EMISUSE);
    causa_graph_free(t);
    causa_graph_free(e);
    causa_graph_free(f);
    causa_graph_free(g);
}

/* ---- random graphs with every mark and bows ---- */

/* p nodes named N<perm[v]> (so two graphs can share names in different orders); each pair
 * gets an edge with probability prob, of a random type, and a directed edge becomes a bow
 * with probability 1/4. Same seed, same edges by name. */
static causa_graph *random_marked(int64_t p, double prob, uint64_t seed, const int64_t *perm) {
    char **names = calloc((size_t)p, sizeof *names);
    int64_t *pos = malloc((size_t)p * sizeof *pos); /* name id -> index in this graph */
    if (!names || !pos) abort();
    for (int64_t v = 0; v < p; v++) {
        names[v] = malloc(24);
        if (!names[v]) abort();
        snprintf(names[v], 24, "N%lld", (long long)(perm ? perm[v] : v));
        pos[perm ? perm[v] : v] = v;
    }
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, p, (const char *const *)names, &g));
    causa_rng r;
    causa_rng_init(&r, seed, 7);
    for (int64_t a = 0; g && a < p; a++)
        for (int64_t b = a + 1; b < p; b++) {
            if (causa_rng_uniform(&r) >= prob) continue;
            int ma = 1 + (int)causa_rng_below(&r, 3), mb = 1 + (int)causa_rng_below(&r, 3);
            int bow = causa_rng_below(&r, 4) == 0;
            CHECK_OK(causa_graph_add_edge(T, g, pos[a], pos[b], ma, mb));
            if (bow && ((ma == TL && mb == AR) || (ma == AR && mb == TL)))
                CHECK_OK(causa_graph_add_edge(T, g, pos[a], pos[b], AR, AR));
        }
    for (int64_t v = 0; v < p; v++) free(names[v]);
    free(names);
    free(pos);
    return g;
}

/* The definitions, restated pair by pair over all p (p - 1) / 2 pairs through the public
 * API only: a slow, independent check of causa_graph_compare. */
static int pair_type(const causa_graph *g, int64_t a, int64_t b, int *bow) {
    int ma = 0, mb = 0;
    int n = causa_graph_edge(g, a, b, &ma, &mb);
    *bow = n == 2;
    if (n == 0) return CAUSA_ETYPE_NONE;
    static const int tab[4][4] = {
        {0, 0, 0, 0},
        {0, CAUSA_ETYPE_UNDIRECTED, CAUSA_ETYPE_DIRECTED_AB, CAUSA_ETYPE_TAILCIRCLE_AB},
        {0, CAUSA_ETYPE_DIRECTED_BA, CAUSA_ETYPE_BIDIRECTED, CAUSA_ETYPE_PARTIAL_BA},
        {0, CAUSA_ETYPE_TAILCIRCLE_BA, CAUSA_ETYPE_PARTIAL_AB, CAUSA_ETYPE_NONDIRECTED}};
    return tab[ma][mb];
}

static causa_graph_metrics slow_compare(const causa_graph *est, const causa_graph *truth) {
    causa_graph_metrics m;
    memset(&m, 0, sizeof m);
    int64_t p = causa_graph_nnodes(truth);
    for (int64_t a = 0; a < p; a++) {
        int64_t ea = causa_graph_find(est, causa_graph_name(truth, a));
        for (int64_t b = a + 1; b < p; b++) {
            int64_t eb = causa_graph_find(est, causa_graph_name(truth, b));
            int tbow, ebow;
            int tt = pair_type(truth, a, b, &tbow), et = pair_type(est, ea, eb, &ebow);
            m.confusion[et][tt]++;
            int tadj = tt != CAUSA_ETYPE_NONE, eadj = et != CAUSA_ETYPE_NONE;
            m.adj_tp += tadj && eadj;
            m.adj_fp += eadj && !tadj;
            m.adj_fn += tadj && !eadj;
            m.shd += tt != et || tbow != ebow;
            m.shd_causallearn += tt != et || tbow != ebow;
            /* pcalg: adjacency differs, or the 0/1 matrix entries of the pair differ */
            int ta = tt == CAUSA_ETYPE_NONE ? 0 : tt == CAUSA_ETYPE_DIRECTED_BA ? 0 : 1;
            int tb = tt == CAUSA_ETYPE_NONE ? 0 : tt == CAUSA_ETYPE_DIRECTED_AB ? 0 : 1;
            int xa = et == CAUSA_ETYPE_NONE ? 0 : et == CAUSA_ETYPE_DIRECTED_BA ? 0 : 1;
            int xb = et == CAUSA_ETYPE_NONE ? 0 : et == CAUSA_ETYPE_DIRECTED_AB ? 0 : 1;
            m.shd_pcalg += tadj != eadj || ta != xa || tb != xb;
            /* arrowheads at a, then at b, from the (directed part of the) edge's marks */
            int tm[2] = {0, 0}, em[2] = {0, 0};
            if (tadj) causa_graph_edge(truth, a, b, &tm[0], &tm[1]);
            if (eadj) causa_graph_edge(est, ea, eb, &em[0], &em[1]);
            for (int k = 0; k < 2; k++) {
                m.arrow_tp += em[k] == AR && tm[k] == AR;
                m.arrow_fp += em[k] == AR && tm[k] != AR;
                m.arrow_fn += em[k] != AR && tm[k] == AR;
            }
        }
    }
    return m;
}

TEST(compare_matches_pairwise_definitions_on_random_graphs) {
    for (int rep = 0; rep < 6; rep++) {
        int64_t p = 40 + 37 * rep;
        int64_t *perm = malloc((size_t)p * sizeof *perm);
        causa_rng r;
        causa_rng_init(&r, 99, (uint64_t)rep);
        causa_rng_permutation(&r, perm, p);
        double prob = rep == 0 ? 0.5 : 3.0 / (double)p;
        causa_graph *t = random_marked(p, prob, 1000 + (uint64_t)rep, NULL);
        causa_graph *e = random_marked(p, prob, 2000 + (uint64_t)rep, perm);
        causa_graph_metrics m = cmp(e, t), s = slow_compare(e, t);
        CHECK_INT(m.shd, s.shd);
        CHECK_INT(m.shd_pcalg, s.shd_pcalg);
        CHECK_INT(m.shd_causallearn, s.shd_causallearn);
        CHECK_INT(m.adj_tp, s.adj_tp);
        CHECK_INT(m.adj_fp, s.adj_fp);
        CHECK_INT(m.adj_fn, s.adj_fn);
        CHECK_INT(m.arrow_tp, s.arrow_tp);
        CHECK_INT(m.arrow_fp, s.arrow_fp);
        CHECK_INT(m.arrow_fn, s.arrow_fn);
        CHECK(memcmp(m.confusion, s.confusion, sizeof m.confusion) == 0);
        CHECK_INT(confusion_sum(&m), p * (p - 1) / 2);
        CHECK_REL(m.adj_precision, (double)s.adj_tp / (double)(s.adj_tp + s.adj_fp), 1e-15);
        CHECK_REL(m.arrow_recall, (double)s.arrow_tp / (double)(s.arrow_tp + s.arrow_fn),
                  1e-15);

        /* Swapping the roles: the SHDs stay, FP and FN trade places (the confusion matrix
         * is transposed too, up to orientation: see the next test). */
        causa_graph_metrics w = cmp(t, e);
        CHECK_INT(w.shd, m.shd);
        CHECK_INT(w.shd_pcalg, m.shd_pcalg);
        CHECK_INT(w.shd_causallearn, m.shd_causallearn);
        CHECK_INT(w.adj_tp, m.adj_tp);
        CHECK_INT(w.adj_fp, m.adj_fn);
        CHECK_INT(w.adj_fn, m.adj_fp);
        CHECK_INT(w.arrow_tp, m.arrow_tp);
        CHECK_INT(w.arrow_fp, m.arrow_fn);
        CHECK_INT(w.arrow_fn, m.arrow_fp);
        CHECK_REL(w.adj_f1, m.adj_f1, 1e-15);
        CHECK_REL(w.arrow_f1, m.arrow_f1, 1e-15);

        /* The estimate's node order does not matter: the same edges by name in index
         * order give identical metrics. */
        causa_graph *e3 = random_marked(p, prob, 2000 + (uint64_t)rep, NULL);
        /* e3 has names N0.. in order and the edges of e by name (same seed, same draws) */
        causa_graph_metrics o = cmp(e3, t);
        CHECK(same_metrics(&o, &m));
        /* Identical graphs: zero distances, perfect rates (where defined). */
        causa_graph_metrics z = cmp(t, t);
        CHECK_INT(z.shd + z.shd_pcalg + z.shd_causallearn, 0);
        CHECK_INT(z.adj_fp + z.adj_fn + z.arrow_fp + z.arrow_fn, 0);
        CHECK_REL(z.adj_f1, 1.0, 0);
        CHECK_REL(z.arrow_f1, 1.0, 0);
        int64_t off = 0;
        for (int i = 0; i < CAUSA_NETYPES; i++)
            for (int j = 0; j < CAUSA_NETYPES; j++)
                if (i != j) off += z.confusion[i][j];
        CHECK_INT(off, 0);
        free(perm);
        causa_graph_free(t);
        causa_graph_free(e);
        causa_graph_free(e3);
    }
}

TEST(compare_confusion_transposes_when_roles_swap) {
    /* Same node order in both, so swapping estimate and truth transposes the matrix. */
    causa_graph *t = random_marked(60, 0.1, 5, NULL);
    causa_graph *e = random_marked(60, 0.1, 6, NULL);
    causa_graph_metrics m = cmp(e, t), w = cmp(t, e);
    for (int i = 0; i < CAUSA_NETYPES; i++)
        for (int j = 0; j < CAUSA_NETYPES; j++) CHECK_INT(w.confusion[i][j], m.confusion[j][i]);
    causa_graph_free(t);
    causa_graph_free(e);
}

/* ---- out of memory ---- */

static int oom_job(causa_ctx *ctx, void *ud) {
    (void)ud;
    const char *nm[] = {"A", "B", "C", "D"};
    const char *nm2[] = {"D", "C", "B", "A"};
    causa_graph *t = NULL, *e = NULL;
    causa_graph_metrics m;
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_graph_new(ctx, 4, nm, &t));
    CAUSA_TRY(causa_graph_new(ctx, 4, nm2, &e));
    CAUSA_TRY(causa_graph_add_edge(ctx, t, 0, 1, TL, AR));
    CAUSA_TRY(causa_graph_add_edge(ctx, e, 3, 2, TL, TL));
    CAUSA_TRY(causa_graph_compare(ctx, e, t, &m));
    if (m.shd != 1) rc = CAUSA_EINTERNAL;
done:
    causa_graph_free(t);
    causa_graph_free(e);
    return rc;
}

TEST(compare_oom_sweep) {
    CHECK(harness_oom_sweep("causa_graph_compare", oom_job, NULL) > 2);
}

/* ---- the peers' values (tests/data/compare/peers.txt, README.md there) ---- */

typedef struct peer_case {
    char name[64];
    char nodes[1024], est_nodes[1024];
    char truth[8192], est[8192];
    long shd_pcalg, shd_cl;
    long adj[3], arrows[3]; /* causal-learn's TP, FP, FN; arrows[0] = -1 if not given */
} peer_case;

static void append_edge(char *dst, size_t cap, const char *line) {
    size_t n = strlen(dst);
    snprintf(dst + n, cap - n, "%s%s", n ? ", " : "", line);
}

TEST(compare_peer_values) {
    FILE *f = fopen(harness_data("compare/peers.txt"), "r");
    CHECK(f != NULL);
    if (!f) return;
    char line[1200];
    peer_case *c = calloc(1, sizeof *c);
    int ncases = 0, narrow = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0') continue;
        if (strncmp(line, "case ", 5) == 0) {
            memset(c, 0, sizeof *c);
            snprintf(c->name, sizeof c->name, "%.63s", line + 5);
            c->shd_pcalg = c->shd_cl = -1;
            c->adj[0] = c->arrows[0] = -1;
        } else if (strncmp(line, "nodes ", 6) == 0) {
            snprintf(c->nodes, sizeof c->nodes, "%.1023s", line + 6);
        } else if (strncmp(line, "estimate_nodes ", 15) == 0) {
            snprintf(c->est_nodes, sizeof c->est_nodes, "%.1023s", line + 15);
        } else if (strncmp(line, "truth ", 6) == 0) {
            append_edge(c->truth, sizeof c->truth, line + 6);
        } else if (strncmp(line, "estimate ", 9) == 0) {
            append_edge(c->est, sizeof c->est, line + 9);
        } else if (sscanf(line, "shd_pcalg %ld", &c->shd_pcalg) == 1 ||
                   sscanf(line, "shd_causallearn %ld", &c->shd_cl) == 1 ||
                   sscanf(line, "adjacency_causallearn %ld %ld %ld", &c->adj[0], &c->adj[1],
                          &c->adj[2]) == 3 ||
                   sscanf(line, "arrowheads_causallearn %ld %ld %ld", &c->arrows[0],
                          &c->arrows[1], &c->arrows[2]) == 3) {
        } else if (strcmp(line, "end") == 0) {
            causa_graph *t = build(T, c->nodes, c->truth);
            causa_graph *e = build(T, c->est_nodes, c->est);
            causa_graph_metrics m = cmp(e, t);
            if (m.shd_pcalg != c->shd_pcalg || m.shd_causallearn != c->shd_cl)
                harness_fail(__FILE__, __LINE__,
                             "peer case %s: shd_pcalg %lld (pcalg %ld), shd_causallearn %lld "
                             "(causal-learn %ld)",
                             c->name, (long long)m.shd_pcalg, c->shd_pcalg,
                             (long long)m.shd_causallearn, c->shd_cl);
            /* causal-learn's AdjacencyConfusion and ArrowConfusion (the latter only on cases
             * without bows, which it reads as arrowless: see the README) */
            if (m.adj_tp != c->adj[0] || m.adj_fp != c->adj[1] || m.adj_fn != c->adj[2])
                harness_fail(__FILE__, __LINE__,
                             "peer case %s: adjacency TP/FP/FN %lld %lld %lld, causal-learn "
                             "%ld %ld %ld",
                             c->name, (long long)m.adj_tp, (long long)m.adj_fp,
                             (long long)m.adj_fn, c->adj[0], c->adj[1], c->adj[2]);
            if (c->arrows[0] >= 0 && (m.arrow_tp != c->arrows[0] ||
                                      m.arrow_fp != c->arrows[1] || m.arrow_fn != c->arrows[2]))
                harness_fail(__FILE__, __LINE__,
                             "peer case %s: arrowhead TP/FP/FN %lld %lld %lld, causal-learn "
                             "%ld %ld %ld",
                             c->name, (long long)m.arrow_tp, (long long)m.arrow_fp,
                             (long long)m.arrow_fn, c->arrows[0], c->arrows[1], c->arrows[2]);
            narrow += c->arrows[0] >= 0;
            /* pcalg's shd is symmetric in its arguments; so is ours */
            causa_graph_metrics w = cmp(t, e);
            CHECK_INT(w.shd_pcalg, c->shd_pcalg);
            causa_graph_free(t);
            causa_graph_free(e);
            ncases++;
        } else {
            harness_fail(__FILE__, __LINE__, "peers.txt: unexpected line \"%s\"", line);
        }
    }
    fclose(f);
    free(c);
    CHECK(ncases >= 20);
    CHECK(narrow >= 10);
}
