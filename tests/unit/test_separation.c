/*
 * test_separation.c: d- and m-separation, the reachable set and local Markov statements.
 *
 * The main check is a property test: on thousands of small random DAGs, ADMGs (with bows)
 * and ancestral graphs (with undirected edges), causa_graph_separated and
 * causa_graph_reachable agree with an oracle that enumerates every simple path and applies
 * the path-blocking definition directly (a non-collider blocks when in Z, a collider when
 * neither it nor a descendant is in Z). The random graphs are made here from causa_rng so
 * the test depends on nothing but the graph type.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../src/internal.h"
#include "harness.h"

enum { T_ = CAUSA_MARK_TAIL, A_ = CAUSA_MARK_ARROW, C_ = CAUSA_MARK_CIRCLE };
enum { GEN_DAG, GEN_ADMG, GEN_ANCESTRAL, GEN_ANCESTRAL_BIDIRECTED };
#define MAXP 8

/* ---- the oracle: its own edge lists, its own ancestor sets, simple paths ---- */

typedef struct oracle {
    int p;
    int deg[MAXP];
    int nbr[MAXP][4 * MAXP], mhere[MAXP][4 * MAXP], mthere[MAXP][4 * MAXP];
} oracle;

static void oracle_init(oracle *o, const causa_graph *g) {
    o->p = (int)causa_graph_nnodes(g);
    memset(o->deg, 0, sizeof o->deg);
    causa_edge e[4 * MAXP * MAXP];
    causa_graph_edges(g, e);
    for (int64_t k = 0; k < causa_graph_nedges(g); k++) {
        int a = (int)e[k].a, b = (int)e[k].b;
        o->nbr[a][o->deg[a]] = b;
        o->mhere[a][o->deg[a]] = e[k].mark_a;
        o->mthere[a][o->deg[a]++] = e[k].mark_b;
        o->nbr[b][o->deg[b]] = a;
        o->mhere[b][o->deg[b]] = e[k].mark_b;
        o->mthere[b][o->deg[b]++] = e[k].mark_a;
    }
}

/* an[v] = 1 if v is in Z or has a directed path into Z (fixed point over edges). */
static void oracle_an(const oracle *o, const unsigned char *inz, unsigned char *an) {
    for (int v = 0; v < o->p; v++) an[v] = inz[v];
    for (int changed = 1; changed;) {
        changed = 0;
        for (int v = 0; v < o->p; v++)
            for (int k = 0; k < o->deg[v]; k++)
                if (o->mhere[v][k] == T_ && o->mthere[v][k] == A_ && an[o->nbr[v][k]] && !an[v])
                    an[v] = 1, changed = 1;
    }
}

/* Extends the simple path ending at v (arrived with mark `in` at v; in = 0 at the start)
 * and marks in reach[] every node at the end of an m-connecting path. */
static void oracle_dfs(const oracle *o, int v, int in, unsigned onpath, const unsigned char *inz,
                       const unsigned char *an, unsigned char *reach) {
    for (int k = 0; k < o->deg[v]; k++) {
        int w = o->nbr[v][k];
        if (onpath & (1u << w)) continue;
        if (in) {
            int collider = in == A_ && o->mhere[v][k] == A_;
            if (collider ? !an[v] : inz[v]) continue;
        }
        reach[w] = 1;
        oracle_dfs(o, w, o->mthere[v][k], onpath | (1u << w), inz, an, reach);
    }
}

/* Every node m-connected to a node of X given Z (X and Z removed). */
static void oracle_reach(const oracle *o, const unsigned char *inx, const unsigned char *inz,
                         unsigned char *reach) {
    unsigned char an[MAXP];
    oracle_an(o, inz, an);
    memset(reach, 0, MAXP);
    for (int x = 0; x < o->p; x++)
        if (inx[x]) oracle_dfs(o, x, 0, 1u << x, inz, an, reach);
    for (int v = 0; v < o->p; v++)
        if (inx[v] || inz[v]) reach[v] = 0;
}

/* ---- random graphs ---- */

static int chance(causa_rng *r, double q) { return causa_rng_uniform(r) < q; }

/* DAG: forward edges over a random order. ADMG: plus independent bidirected edges (bows
 * appear). Ancestral: the first k nodes of the order form an undirected part that only
 * sends directed edges; bidirected edges join later nodes neither of which is an ancestor
 * of the other. */
static causa_graph *random_graph(causa_rng *r, int p, int type) {
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, p, NULL, &g));
    if (!g) return NULL;
    int64_t perm[MAXP];
    causa_rng_permutation(r, perm, p);
    double q = 0.15 + 0.5 * causa_rng_uniform(r);
    int k = type == GEN_ANCESTRAL ? (int)causa_rng_below(r, (uint64_t)p / 2 + 1) : 0;
    if (type == GEN_ANCESTRAL_BIDIRECTED) q = 0.1 + 0.3 * causa_rng_uniform(r);
    for (int i = 0; i < p; i++)
        for (int j = i + 1; j < p; j++) {
            if (!chance(r, q)) continue;
            if (j < k)
                CHECK_OK(causa_graph_add_edge(T, g, perm[i], perm[j], T_, T_));
            else
                CHECK_OK(causa_graph_add_edge(T, g, perm[i], perm[j], T_, A_));
        }
    if (type == GEN_ADMG) {
        double qb = 0.1 + 0.3 * causa_rng_uniform(r);
        for (int a = 0; a < p; a++)
            for (int b = a + 1; b < p; b++)
                if (chance(r, qb)) CHECK_OK(causa_graph_add_edge(T, g, a, b, A_, A_));
    } else if (type == GEN_ANCESTRAL || type == GEN_ANCESTRAL_BIDIRECTED) {
        oracle o;
        oracle_init(&o, g);
        double qb = type == GEN_ANCESTRAL ? 0.1 + 0.4 * causa_rng_uniform(r)
                                          : 0.5 + 0.4 * causa_rng_uniform(r);
        for (int i = k; i < p; i++)
            for (int j = i + 1; j < p; j++) {
                int64_t a = perm[i], b = perm[j];
                if (causa_graph_adjacent(g, a, b) || !chance(r, qb)) continue;
                unsigned char inz[MAXP] = {0}, an[MAXP];
                inz[b] = 1;
                oracle_an(&o, inz, an); /* a must not be an ancestor of b (nor b of a: order) */
                if (!an[a]) CHECK_OK(causa_graph_add_edge(T, g, a, b, A_, A_));
            }
    }
    return g;
}

/* ---- the property tests ---- */

static int64_t to_list(const unsigned char *in, int p, int64_t *out) {
    int64_t n = 0;
    for (int v = 0; v < p; v++)
        if (in[v]) out[n++] = v;
    return n;
}

static void describe(const causa_graph *g, char *buf, size_t size) {
    causa_edge e[4 * MAXP * MAXP];
    causa_graph_edges(g, e);
    size_t n = 0;
    buf[0] = '\0';
    for (int64_t k = 0; k < causa_graph_nedges(g) && n + 32 < size; k++) {
        char glyph[4] = {e[k].mark_a == A_ ? '<' : '-', '-', e[k].mark_b == A_ ? '>' : '-', 0};
        n += (size_t)snprintf(buf + n, size - n, "%s%s%s ", causa_graph_name(g, e[k].a), glyph,
                              causa_graph_name(g, e[k].b));
    }
}

/* Compares one graph on single pairs with random Z, and on random disjoint X, Y, Z. */
static int check_graph(causa_rng *r, const causa_graph *g) {
    oracle o;
    oracle_init(&o, g);
    int p = o.p, bad = 0;
    int64_t xs[MAXP], ys[MAXP], zs[MAXP];
    unsigned char reach[MAXP], want[MAXP];
    for (int trial = 0; trial < 24 && !bad; trial++) {
        /* Each node goes to X, Y, Z or nowhere; the first trials take single x and y. */
        unsigned char inx[MAXP] = {0}, iny[MAXP] = {0}, inz[MAXP] = {0};
        if (trial < 12) {
            int x = (int)causa_rng_below(r, (uint64_t)p), y = (int)causa_rng_below(r, (uint64_t)p - 1);
            if (y >= x) y++;
            inx[x] = iny[y] = 1;
            for (int v = 0; v < p; v++)
                if (v != x && v != y && chance(r, 0.4)) inz[v] = 1;
        } else {
            for (int v = 0; v < p; v++) {
                uint64_t u = causa_rng_below(r, 4);
                if (u == 0) inx[v] = 1;
                else if (u == 1) iny[v] = 1;
                else if (u == 2) inz[v] = 1;
            }
        }
        int64_t nx = to_list(inx, p, xs), ny = to_list(iny, p, ys), nz = to_list(inz, p, zs);
        oracle_reach(&o, inx, inz, want);
        int want_sep = 1;
        for (int v = 0; v < p; v++)
            if (iny[v] && want[v]) want_sep = 0;
        int sep = -1;
        CHECK_OK(causa_graph_separated(T, g, xs, nx, ys, ny, zs, nz, &sep));
        CHECK_OK(causa_graph_reachable(T, g, xs, nx, zs, nz, reach));
        if (sep != want_sep || memcmp(reach, want, (size_t)p) != 0) {
            char buf[512];
            describe(g, buf, sizeof buf);
            harness_fail(__FILE__, __LINE__, "graph %s X0=%lld Y0=%lld |Z|=%lld: separated %d, oracle %d",
                         buf, (long long)(nx ? xs[0] : -1), (long long)(ny ? ys[0] : -1),
                         (long long)nz, sep, want_sep);
            bad = 1;
        }
    }
    return bad;
}

static void property_run(int type, int ngraphs, uint64_t seed) {
    causa_rng r;
    causa_rng_init(&r, seed, 0);
    int failures = 0;
    for (int i = 0; i < ngraphs && failures < 3; i++) {
        int p = 2 + (int)causa_rng_below(&r, 6); /* 2..7 */
        causa_graph *g = random_graph(&r, p, type);
        if (!g) return;
        failures += check_graph(&r, g);
        causa_graph_free(g);
    }
}

TEST(separation_property_dag) { property_run(GEN_DAG, 3000, 11); }
TEST(separation_property_admg) { property_run(GEN_ADMG, 3000, 12); }
TEST(separation_property_ancestral) {
    property_run(GEN_ANCESTRAL, 2000, 13);
    property_run(GEN_ANCESTRAL_BIDIRECTED, 1000, 14);
}

/* A random DAG checks as a DAG, an ADMG checks as an ADMG, and every local Markov
 * statement of a DAG is a d-separation. */
TEST(separation_local_markov_random) {
    causa_rng r;
    causa_rng_init(&r, 21, 0);
    for (int i = 0; i < 500; i++) {
        int p = 2 + (int)causa_rng_below(&r, 6);
        causa_graph *g = random_graph(&r, p, GEN_DAG);
        if (!g) return;
        CHECK_OK(causa_graph_set_kind(T, g, CAUSA_KIND_DAG));
        for (int64_t v = 0; v < p; v++) {
            int64_t pa[MAXP], nd[MAXP], npa = -1, nnd = -1, rest[MAXP], nrest = 0;
            CHECK_OK(causa_graph_local_markov(T, g, v, pa, &npa, nd, &nnd));
            unsigned char ispa[MAXP] = {0};
            for (int64_t k = 0; k < npa; k++) ispa[pa[k]] = 1;
            for (int64_t k = 0; k < nnd; k++) {
                CHECK(nd[k] != v && !ispa[nd[k]]);
                if (k) CHECK(nd[k] > nd[k - 1]);
                rest[nrest++] = nd[k];
            }
            if (nrest == 0) continue;
            int sep = -1;
            CHECK_OK(causa_graph_separated(T, g, &v, 1, rest, nrest, pa, npa, &sep));
            CHECK_INT(sep, 1);
        }
        causa_graph_free(g);
        g = random_graph(&r, p, GEN_ADMG);
        if (!g) return;
        CHECK_OK(causa_graph_set_kind(T, g, CAUSA_KIND_ADMG));
        causa_graph_free(g);
    }
}

/* Anterior set of {a, b} (Richardson & Spirtes 2002, section 2): nodes with a path to a or
 * b whose edges are undirected or directed towards a or b. */
static int64_t anterior(const causa_graph *g, int64_t a, int64_t b, int64_t *out) {
    unsigned char in[MAXP] = {0};
    int64_t stack[MAXP], top = 0, n = 0;
    in[a] = in[b] = 1;
    stack[top++] = a;
    stack[top++] = b;
    while (top > 0) {
        int64_t v = stack[--top];
        for (int64_t k = 0; k < causa_graph_degree(g, v); k++) {
            int64_t w;
            int mv, mw;
            causa_graph_neighbor(g, v, k, &w, &mv, &mw);
            if (mw == T_ && (mv == T_ || mv == A_) && !in[w]) {
                in[w] = 1;
                stack[top++] = w;
            }
        }
    }
    for (int64_t v = 0; v < causa_graph_nnodes(g); v++)
        if (in[v]) out[n++] = v;
    return n;
}

/* The maximality check (inducing paths) agrees with its characterisation: an ancestral
 * graph is maximal iff every non-adjacent pair a, b is m-separated by the anterior set
 * ant({a, b}) \ {a, b} (Richardson & Spirtes 2002, Theorem 4.2 and section 3.7; with no
 * undirected edges the anterior set is An({a, b})). */
TEST(separation_mag_maximality_matches_msep) {
    causa_rng r;
    causa_rng_init(&r, 31, 0);
    int nonmax = 0, max = 0;
    for (int i = 0; i < 3000; i++) {
        int p = 3 + (int)causa_rng_below(&r, 5);
        causa_graph *g = random_graph(&r, p, i % 2 ? GEN_ANCESTRAL : GEN_ANCESTRAL_BIDIRECTED);
        if (!g) return;
        int maximal = 1;
        for (int64_t a = 0; a < p && maximal; a++)
            for (int64_t b = a + 1; b < p && maximal; b++) {
                if (causa_graph_adjacent(g, a, b)) continue;
                int64_t ab[2] = {a, b}, an[MAXP], nan_ = 0, z[MAXP], nz = 0;
                (void)ab;
                nan_ = anterior(g, a, b, an);
                for (int64_t k = 0; k < nan_; k++)
                    if (an[k] != a && an[k] != b) z[nz++] = an[k];
                int sep = -1;
                CHECK_OK(causa_graph_separated(T, g, &a, 1, &b, 1, z, nz, &sep));
                if (!sep) maximal = 0;
            }
        int rc = causa_graph_set_kind(T, g, CAUSA_KIND_MAG);
        if (maximal) {
            CHECK_OK(rc);
            max++;
        } else {
            CHECK_INT(rc, CAUSA_EINVAL);
            if (rc != CAUSA_EINVAL) {
                char buf[512];
                describe(g, buf, sizeof buf);
                harness_fail(__FILE__, __LINE__, "not maximal, not found: %s", buf);
            }
            CHECK_CONTAINS(causa_errmsg(T), "not maximal");
            nonmax++;
        }
        causa_graph_free(g);
    }
    if (nonmax < 30) harness_fail(__FILE__, __LINE__, "only %d non-maximal, %d maximal", nonmax, max);
    CHECK(max > 1000);
}

/* ---- hand-made cases ---- */

TEST(separation_textbook) {
    /* Pearl's sprinkler-like DAG: C -> S, C -> R, S -> W, R -> W, W -> L. */
    const char *names[] = {"C", "S", "R", "W", "L"};
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, 5, names, &g));
    CHECK_OK(causa_graph_add_edge(T, g, 0, 1, T_, A_));
    CHECK_OK(causa_graph_add_edge(T, g, 0, 2, T_, A_));
    CHECK_OK(causa_graph_add_edge(T, g, 1, 3, T_, A_));
    CHECK_OK(causa_graph_add_edge(T, g, 2, 3, T_, A_));
    CHECK_OK(causa_graph_add_edge(T, g, 3, 4, T_, A_));
    int64_t S = 1, R = 2, C = 0, W = 3, L = 4, z[2];
    int sep = -1;
    CHECK_OK(causa_graph_separated(T, g, &S, 1, &R, 1, NULL, 0, &sep));
    CHECK_INT(sep, 0);
    CHECK_OK(causa_graph_separated(T, g, &S, 1, &R, 1, &C, 1, &sep));
    CHECK_INT(sep, 1);
    z[0] = C;
    z[1] = L; /* conditioning on a descendant of the collider W opens it */
    CHECK_OK(causa_graph_separated(T, g, &S, 1, &R, 1, z, 2, &sep));
    CHECK_INT(sep, 0);
    CHECK_OK(causa_graph_separated(T, g, &C, 1, &L, 1, &W, 1, &sep));
    CHECK_INT(sep, 1);
    unsigned char reach[5];
    CHECK_OK(causa_graph_reachable(T, g, &S, 1, &C, 1, reach));
    CHECK(!reach[0] && !reach[1] && !reach[2] && reach[3] && reach[4]);
    /* Empty sets are separated from anything. */
    CHECK_OK(causa_graph_separated(T, g, &S, 1, NULL, 0, NULL, 0, &sep));
    CHECK_INT(sep, 1);

    /* Errors name the offending node. */
    z[0] = S;
    CHECK_ERR(causa_graph_separated(T, g, &S, 1, &R, 1, z, 1, &sep), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "node S is in both X and Z");
    CHECK_ERR(causa_graph_separated(T, g, &S, 1, &S, 1, NULL, 0, &sep), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "node S is in both X and Y");
    z[0] = 5;
    CHECK_ERR(causa_graph_separated(T, g, &S, 1, &R, 1, z, 1, &sep), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "Z[0] = 5 is not a node index in [0, 5)");
    CHECK_ERR(causa_graph_separated(T, g, &S, -1, &R, 1, z, 0, &sep), CAUSA_EINVAL);

    /* local Markov: W's parents S, R; its non-descendants other than parents: C. */
    int64_t pa[5], nd[5], npa, nnd;
    CHECK_OK(causa_graph_local_markov(T, g, W, pa, &npa, nd, &nnd));
    CHECK_INT(npa, 2);
    CHECK_INT(pa[0], S);
    CHECK_INT(pa[1], R);
    CHECK_INT(nnd, 1);
    CHECK_INT(nd[0], C);
    /* Circles are rejected by separation; non-DAGs by local Markov. */
    CHECK_OK(causa_graph_add_edge(T, g, 1, 4, C_, A_));
    CHECK_ERR(causa_graph_separated(T, g, &S, 1, &R, 1, &C, 1, &sep), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "not defined for circle marks: S o-> L");
    CHECK_ERR(causa_graph_local_markov(T, g, W, pa, &npa, nd, &nnd), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "S o-> L is not a directed edge");
    CHECK_OK(causa_graph_set_marks(T, g, 1, 4, T_, A_));
    CHECK_OK(causa_graph_add_edge(T, g, 4, 0, T_, A_));
    CHECK_ERR(causa_graph_local_markov(T, g, W, pa, &npa, nd, &nnd), CAUSA_ECYCLE);
    causa_graph_free(g);
}

TEST(separation_bow_and_mag) {
    /* A bow A -> B, A <-> B: conditioning on nothing, A and B are connected; in the ADMG
     * A <-> B <- C, A and C are separated marginally, connected given B. */
    const char *names[] = {"A", "B", "C", "D"};
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, 4, names, &g));
    CHECK_OK(causa_graph_add_edge(T, g, 0, 1, T_, A_));
    CHECK_OK(causa_graph_add_edge(T, g, 0, 1, A_, A_));
    CHECK_OK(causa_graph_add_edge(T, g, 2, 1, T_, A_));
    int64_t a = 0, b = 1, c = 2, d = 3;
    int sep = -1;
    CHECK_OK(causa_graph_separated(T, g, &a, 1, &c, 1, NULL, 0, &sep));
    CHECK_INT(sep, 1);
    CHECK_OK(causa_graph_separated(T, g, &a, 1, &c, 1, &b, 1, &sep));
    CHECK_INT(sep, 0);
    causa_graph_free(g);
    /* MAG: A --- B --> C <-> D: A and D separated marginally; given C connected; the
     * undirected edge is never a collider. */
    CHECK_OK(causa_graph_new(T, 4, names, &g));
    CHECK_OK(causa_graph_add_edge(T, g, 0, 1, T_, T_));
    CHECK_OK(causa_graph_add_edge(T, g, 1, 2, T_, A_));
    CHECK_OK(causa_graph_add_edge(T, g, 2, 3, A_, A_));
    CHECK_OK(causa_graph_set_kind(T, g, CAUSA_KIND_MAG));
    CHECK_OK(causa_graph_separated(T, g, &a, 1, &d, 1, NULL, 0, &sep));
    CHECK_INT(sep, 1);
    CHECK_OK(causa_graph_separated(T, g, &a, 1, &d, 1, &c, 1, &sep));
    CHECK_INT(sep, 0);
    CHECK_OK(causa_graph_separated(T, g, &a, 1, &c, 1, &b, 1, &sep));
    CHECK_INT(sep, 1);
    causa_graph_free(g);
}

/* ---- OOM ---- */

static int sep_job(causa_ctx *ctx, void *ud) {
    (void)ud;
    int rc = CAUSA_OK;
    causa_graph *g = NULL;
    int64_t p = 12, out[12], n, len;
    unsigned char reach[12];
    CAUSA_TRY(causa_graph_new(ctx, p, NULL, &g));
    for (int64_t v = 0; v + 2 < p; v++) {
        CAUSA_TRY(causa_graph_add_edge(ctx, g, v, v + 1, T_, A_));
        CAUSA_TRY(causa_graph_add_edge(ctx, g, v, v + 2, T_, A_));
    }
    CAUSA_TRY(causa_graph_add_edge(ctx, g, 0, p - 1, A_, A_));
    int64_t x = 0, y = 5, z[2] = {3, 9};
    int sep;
    CAUSA_TRY(causa_graph_separated(ctx, g, &x, 1, &y, 1, z, 2, &sep));
    CAUSA_TRY(causa_graph_reachable(ctx, g, &x, 1, z, 2, reach));
    CAUSA_TRY(causa_graph_ancestors(ctx, g, z, 2, out, &n));
    CAUSA_TRY(causa_graph_descendants(ctx, g, z, 2, out, &n));
    CAUSA_TRY(causa_graph_topological_order(ctx, g, out));
    CAUSA_TRY(causa_graph_find_cycle(ctx, g, out, &len));
    CAUSA_TRY(causa_graph_set_kind(ctx, g, CAUSA_KIND_ADMG));
    int kind;
    CAUSA_TRY(causa_graph_infer_kind(ctx, g, &kind));
    CAUSA_TRY(causa_graph_remove_edge(ctx, g, 0, p - 1));
    CAUSA_TRY(causa_graph_set_kind(ctx, g, CAUSA_KIND_DAG));
    int64_t pa[12], nd[12], npa, nnd;
    CAUSA_TRY(causa_graph_local_markov(ctx, g, 4, pa, &npa, nd, &nnd));
    /* The CPDAG and MAG checks allocate the most. */
    CAUSA_TRY(causa_graph_set_marks(ctx, g, 0, 1, T_, T_));
    if (causa_graph_set_kind(ctx, g, CAUSA_KIND_CPDAG) == CAUSA_ENOMEM) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    CAUSA_TRY(causa_graph_add_edge(ctx, g, 4, 7, A_, A_));
    CAUSA_TRY(causa_graph_set_marks(ctx, g, 0, 1, T_, A_));
    if (causa_graph_set_kind(ctx, g, CAUSA_KIND_MAG) == CAUSA_ENOMEM) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
done:
    causa_graph_free(g);
    return rc;
}

TEST(separation_oom_sweep) {
    int n = harness_oom_sweep("separation", sep_job, NULL);
    CHECK(n > 20);
}

/* ---- large ---- */

TEST(separation_large_sparse) {
    /* 100 000 nodes, two parents each among earlier nodes; a query with a large Z. */
    int64_t p = 100000;
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, p, NULL, &g));
    causa_rng r;
    causa_rng_init(&r, 5, 0);
    for (int64_t v = 1; v < p; v++) {
        int64_t u = (int64_t)causa_rng_below(&r, (uint64_t)v);
        CHECK_OK(causa_graph_add_edge(T, g, u, v, T_, A_));
        int64_t u2 = (int64_t)causa_rng_below(&r, (uint64_t)v);
        if (!causa_graph_adjacent(g, u2, v)) CHECK_OK(causa_graph_add_edge(T, g, u2, v, T_, A_));
    }
    CHECK_OK(causa_graph_set_kind(T, g, CAUSA_KIND_DAG));
    int64_t x = 10, y = p - 1, *z = malloc(1000 * sizeof *z);
    for (int i = 0; i < 1000; i++) z[i] = 20 + 97 * i;
    int sep = -1;
    CHECK_OK(causa_graph_separated(T, g, &x, 1, &y, 1, z, 1000, &sep));
    unsigned char *reach = malloc((size_t)p);
    CHECK_OK(causa_graph_reachable(T, g, &x, 1, z, 1000, reach));
    CHECK_INT(reach[y], !sep);
    CHECK_OK(causa_graph_separated(T, g, &x, 1, &y, 1, NULL, 0, &sep));
    /* Given its parents, a node is separated from an earlier non-parent non-descendant. */
    int64_t pa[4], npa, v = p / 2;
    CHECK_OK(causa_graph_parents(T, g, v, pa, &npa));
    int64_t w = 0;
    while (causa_graph_adjacent(g, w, v)) w++;
    CHECK_OK(causa_graph_separated(T, g, &v, 1, &w, 1, pa, npa, &sep));
    CHECK_INT(sep, 1);
    free(reach);
    free(z);
    causa_graph_free(g);
}
