/*
 * compare.c: an estimated graph against the true one: structural Hamming distances (causa's,
 * pcalg's and causal-learn's), adjacency and arrowhead precision / recall / F1, and the
 * confusion matrix of edge types. docs/ALGORITHMS.md ("Comparing graphs") states every
 * definition with the peers' code it was checked against; this comment is the short form.
 *
 * Nodes are matched by name, so the two graphs may list them in any order. Every unordered
 * pair {a, b} is classified once in each graph as one of the CAUSA_ETYPE_* types, oriented by
 * the truth's index order (a < b in the truth). A bow (a directed and a bidirected edge on one
 * pair) is classified by its directed edge, as causa_graph_edge reports it and as Tetrad's
 * ArrowConfusion reads it (Graph.getDirectedEdge), but still differs from a plain directed
 * edge for the SHDs that see bows (causa's and causal-learn's).
 *
 * Per pair, with E its state in the estimate and T in the truth:
 *   shd              1 if E != T (presence, marks or bow-ness differ);
 *   shd_causallearn  1 if causal-learn's endpoint pair (graph[i,j], graph[j,i]) differs. That
 *                    encoding is one-to-one with causa's pair states, so since causal-learn
 *                    0.1.3.4 (commit 1ea1183, April 2023) it equals shd; older releases added
 *                    1 per adjacency error and 1 per *reversed arrowhead* on shared adjacencies
 *                    only (so --- against --> cost 0). Kept as its own field so that the
 *                    number is named by the tool it reproduces.
 *   shd_pcalg        pcalg::shd (pcalg 2.7-12, R/pcalg.R): on 0/1 matrices m[x,y] = 1 iff
 *                    x -> y (x --- y: both 1) it deletes g1's extra adjacencies (1 each), adds
 *                    the missing ones as in g2 (1 each), then counts pairs whose two entries
 *                    still differ (1 each). So per pair: 1 if adjacent in one graph only, else
 *                    1 if the orientation class differs, where --> and <-- are the two
 *                    directed classes and every other edge (---, <->, o->, o-o, --o) is the
 *                    symmetric (1, 1) that pcalg's matrices give an undirected edge.
 *   adjacency        TP: adjacent in both; FP: in the estimate only; FN: in the truth only.
 *   arrowheads       per endpoint of a pair adjacent in either graph (Tetrad's ArrowConfusion
 *                    with truthAdj = false, "counting arrowheads maniacally"): an arrowhead at
 *                    that end in both graphs is a TP; in the estimate only (including where
 *                    the truth has no edge at all) an FP; in the truth only (including where
 *                    the estimate has no edge) an FN.
 *   confusion        [E type][T type] += 1, over every pair, NONE/NONE included, so the
 *                    matrix sums to p (p - 1) / 2 (the NONE/NONE cell is found by subtraction).
 * precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2 TP / (2 TP + FP + FN): each is
 * NaN when its denominator is 0, as Tetrad's Java division and causal-learn's NumPy division
 * (ArrowConfusion) give. F1 is written in counts, so it is 0, not NaN, when TP = 0 < FP + FN
 * (Tetrad's 2PR / (P + R) is 0/0 there). causal-learn's AdjacencyConfusion and ArrowConfusion
 * count as here, except that the latter sees no arrowhead on a bow.
 *
 * Cost: O(p + e_truth + e_estimate) time after the O(p) expected name matching, and
 * 13 bytes per node of workspace; no p x p matrix anywhere.
 */
#include <math.h>
#include <string.h>

#include "graph_i.h"

/* ---- edge types ---- */

static const char *const etype_names[CAUSA_NETYPES] = {"none", "-->", "<--", "---", "<->",
                                                       "o->",  "<-o", "o-o", "--o", "o--"};

const char *causa_edge_type_name(int etype) {
    if (etype < 0 || etype >= CAUSA_NETYPES) return NULL;
    return etype_names[etype];
}

/* Type of an edge with mark ma at a and mb at b (a before b in the truth), [ma][mb]. */
static const unsigned char etype_table[4][4] = {
    {0, 0, 0, 0},
    /* tail at a */ {0, CAUSA_ETYPE_UNDIRECTED, CAUSA_ETYPE_DIRECTED_AB, CAUSA_ETYPE_TAILCIRCLE_AB},
    /* arrow at a */ {0, CAUSA_ETYPE_DIRECTED_BA, CAUSA_ETYPE_BIDIRECTED, CAUSA_ETYPE_PARTIAL_BA},
    /* circle at a */ {0, CAUSA_ETYPE_TAILCIRCLE_BA, CAUSA_ETYPE_PARTIAL_AB, CAUSA_ETYPE_NONDIRECTED},
};

/* A pair's state: its type in the low 4 bits, and BOW when a bidirected edge rides along. */
enum { BOW = 16, TYPE_MASK = 15 };

static int arrow_at_a(int t) {
    return t == CAUSA_ETYPE_DIRECTED_BA || t == CAUSA_ETYPE_BIDIRECTED || t == CAUSA_ETYPE_PARTIAL_BA;
}
static int arrow_at_b(int t) {
    return t == CAUSA_ETYPE_DIRECTED_AB || t == CAUSA_ETYPE_BIDIRECTED || t == CAUSA_ETYPE_PARTIAL_AB;
}

/* pcalg's view of a pair, (m[a,b], m[b,a]) as one number: 0 none, 1 a -> b, 2 b -> a,
 * 3 both entries 1 (undirected, and anything else pcalg's 0/1 matrices cannot tell apart). */
static int pcalg_class(int t) {
    if (t == CAUSA_ETYPE_NONE) return 0;
    if (t == CAUSA_ETYPE_DIRECTED_AB) return 1;
    if (t == CAUSA_ETYPE_DIRECTED_BA) return 2;
    return 3;
}

static void count_endpoint(causa_graph_metrics *m, int est_arrow, int true_arrow) {
    if (est_arrow && true_arrow) m->arrow_tp++;
    else if (est_arrow) m->arrow_fp++;
    else if (true_arrow) m->arrow_fn++;
}

/* Adds one pair with state e in the estimate and t in the truth (not both NONE). */
static void count_pair(causa_graph_metrics *m, int e, int t) {
    int et = e & TYPE_MASK, tt = t & TYPE_MASK;
    m->confusion[et][tt]++;
    if (et != CAUSA_ETYPE_NONE && tt != CAUSA_ETYPE_NONE) m->adj_tp++;
    else if (et != CAUSA_ETYPE_NONE) m->adj_fp++;
    else m->adj_fn++;
    if (e != t) {
        m->shd++;
        m->shd_causallearn++; /* causal-learn's endpoint-pair encoding is one-to-one with e */
    }
    if (pcalg_class(et) != pcalg_class(tt)) m->shd_pcalg++;
    count_endpoint(m, arrow_at_a(et), arrow_at_a(tt));
    count_endpoint(m, arrow_at_b(et), arrow_at_b(tt));
}

/* num / den, NaN for 0 / 0 (what Tetrad's Java division gives; docs/ALGORITHMS.md). */
static double ratio(int64_t num, int64_t den) {
    return den == 0 ? (double)NAN : (double)num / (double)den;
}

static void finish_rates(int64_t tp, int64_t fp, int64_t fn, double *precision, double *recall,
                         double *f1) {
    *precision = ratio(tp, tp + fp);
    *recall = ratio(tp, tp + fn);
    *f1 = ratio(2 * tp, 2 * tp + fp + fn);
}

/* ---- name matching ---- */

/* Fills t2e (truth index -> estimate index) and e2t, or reports the first node that only one
 * graph has: the truth's nodes are checked first, in their order, then the estimate's. */
static int match_names(causa_ctx *ctx, const causa_graph *est, const causa_graph *truth,
                       int32_t *t2e, int32_t *e2t) {
    for (int64_t u = 0; u < truth->p; u++) {
        const char *name = causa_graph_name(truth, u);
        int64_t v = causa_graph_find(est, name);
        if (v < 0)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "node \"%s\" of the true graph is not in the estimate", name);
        t2e[u] = (int32_t)v;
        e2t[v] = (int32_t)u;
    }
    /* Every truth name was found and names are distinct, so the map is onto the estimate's
     * nodes exactly when the counts agree; otherwise name the first extra one. */
    for (int64_t v = 0; est->p != truth->p && v < est->p; v++) {
        const char *name = causa_graph_name(est, v);
        if (causa_graph_find(truth, name) < 0)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "node \"%s\" of the estimate is not in the true graph", name);
    }
    return CAUSA_OK;
}

/* ---- the comparison ---- */

int causa_graph_compare(causa_ctx *ctx, const causa_graph *estimate, const causa_graph *truth,
                        causa_graph_metrics *out) {
    if (!ctx || !estimate || !truth || !out)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_compare: NULL argument");
    int rc = CAUSA_OK;
    const int64_t p = truth->p;
    causa_graph_metrics m;
    memset(&m, 0, sizeof m);
    /* Workspace, one block: t2e, e2t, stamp (int32 each, p entries), state (bytes). stamp[w]
     * = u + 1 marks that the estimate has an edge between truth nodes u < w, whose state is
     * state[w]; it is reset to 0 once the pair is counted. */
    void *block = NULL;
    size_t n = (size_t)(p > 0 ? p : 1);
    CAUSA_TRY(causa_i_alloc(ctx, &block, causa_i_mul_size(n, 3 * sizeof(int32_t) + 1),
                            "graph comparison workspace"));
    int32_t *t2e = block, *e2t = t2e + n, *stamp = e2t + n;
    unsigned char *state = (unsigned char *)(stamp + n);
    memset(stamp, 0, n * sizeof *stamp);
    CAUSA_TRY(match_names(ctx, estimate, truth, t2e, e2t));

    for (int64_t u = 0; u < p; u++) {
        const causa_i_node *en = &estimate->nodes[t2e[u]];
        const causa_i_node *tn = &truth->nodes[u];
        const int32_t mark = (int32_t)(u + 1);
        /* 1. The estimate's edges from u to later truth nodes (a bow's directed entry comes
         *    first, so the type is taken from it and the second entry only adds BOW). */
        for (uint32_t k = 0; k < en->deg; k++) {
            causa_i_adj a = en->adj[k];
            int32_t w = e2t[causa_i_adj_node(a)];
            if (w <= u) continue;
            if (stamp[w] == mark) {
                state[w] |= BOW;
            } else {
                stamp[w] = mark;
                state[w] = etype_table[causa_i_adj_here(a)][causa_i_adj_there(a)];
            }
        }
        /* 2. The truth's edges from u to later nodes, each against the estimate's pair. */
        for (uint32_t k = 0; k < tn->deg; k++) {
            causa_i_adj a = tn->adj[k];
            int64_t w = causa_i_adj_node(a);
            if (w <= u) continue;
            int t = etype_table[causa_i_adj_here(a)][causa_i_adj_there(a)];
            if (k + 1 < tn->deg && causa_i_adj_node(tn->adj[k + 1]) == w) {
                t |= BOW;
                k++;
            }
            int e = CAUSA_ETYPE_NONE;
            if (stamp[w] == mark) {
                e = state[w];
                stamp[w] = 0;
            }
            count_pair(&m, e, t);
        }
        /* 3. What is left of pass 1: pairs adjacent in the estimate only. */
        for (uint32_t k = 0; k < en->deg; k++) {
            int32_t w = e2t[causa_i_adj_node(en->adj[k])];
            if (w <= u || stamp[w] != mark) continue;
            count_pair(&m, state[w], CAUSA_ETYPE_NONE);
            stamp[w] = 0;
        }
    }

    int64_t counted = 0;
    for (int i = 0; i < CAUSA_NETYPES; i++)
        for (int j = 0; j < CAUSA_NETYPES; j++) counted += m.confusion[i][j];
    m.confusion[CAUSA_ETYPE_NONE][CAUSA_ETYPE_NONE] = p * (p - 1) / 2 - counted;
    finish_rates(m.adj_tp, m.adj_fp, m.adj_fn, &m.adj_precision, &m.adj_recall, &m.adj_f1);
    finish_rates(m.arrow_tp, m.arrow_fp, m.arrow_fn, &m.arrow_precision, &m.arrow_recall,
                 &m.arrow_f1);
    *out = m;
done:
    causa_i_free(ctx, block);
    return rc;
}
