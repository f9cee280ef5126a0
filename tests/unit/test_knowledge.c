/*
 * test_knowledge.c: background knowledge (required / forbidden edges, tiers), causal-cmd's
 * knowledge file format, and the effect of knowledge on PC's output (with the d-separation
 * oracle, so the expected graphs follow from the rules alone).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util.h"

static const char *const V[] = {"A", "B", "C", "D", "p44/42", "my var"};

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) {
        harness_fail(__FILE__, __LINE__, "cannot write %s", path);
        return;
    }
    fputs(text, f);
    fclose(f);
}

/* ---- the object ---- */

TEST(knowledge_rules_and_tiers) {
    causa_knowledge *k = NULL;
    CHECK_OK(causa_knowledge_new(T, 4, V, &k));
    CHECK_INT(causa_knowledge_nvars(k), 4);
    CHECK_INT(causa_knowledge_find(k, "C"), 2);
    CHECK_INT(causa_knowledge_find(k, "E"), -1);
    CHECK_STR(causa_knowledge_name(k, 3), "D");
    CHECK_OK(causa_knowledge_forbid(T, k, 0, 1));
    CHECK_OK(causa_knowledge_forbid(T, k, 0, 1)); /* repeating is harmless */
    CHECK_OK(causa_knowledge_require(T, k, 2, 3));
    CHECK(causa_knowledge_is_forbidden(k, 0, 1));
    CHECK(!causa_knowledge_is_forbidden(k, 1, 0));
    CHECK(causa_knowledge_is_required(k, 2, 3));
    CHECK(!causa_knowledge_is_required(k, 3, 2));
    /* contradictions are refused */
    CHECK_ERR(causa_knowledge_require(T, k, 0, 1), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "A --> B is forbidden, so it cannot be required");
    CHECK_ERR(causa_knowledge_forbid(T, k, 2, 3), CAUSA_EINVAL);
    CHECK_ERR(causa_knowledge_require(T, k, 3, 2), CAUSA_EINVAL);
    CHECK_ERR(causa_knowledge_forbid(T, k, 1, 1), CAUSA_EINVAL);
    CHECK_ERR(causa_knowledge_forbid(T, k, 0, 4), CAUSA_EINVAL);
    /* tiers: later never causes earlier; unknown tiers are unconstrained */
    CHECK_OK(causa_knowledge_set_tier(T, k, 0, 2));
    CHECK_OK(causa_knowledge_set_tier(T, k, 1, 1));
    CHECK(causa_knowledge_is_forbidden(k, 0, 1)); /* explicit, and by tiers */
    CHECK(!causa_knowledge_is_forbidden(k, 1, 0));
    CHECK(!causa_knowledge_is_forbidden(k, 3, 0));
    CHECK_INT(causa_knowledge_ntiers(k), 2);
    CHECK_INT(causa_knowledge_tier(k, 0), 2);
    /* D in tier 1 and C in tier 2 would forbid the required C --> D */
    CHECK_OK(causa_knowledge_set_tier(T, k, 3, 1));
    CHECK_ERR(causa_knowledge_set_tier(T, k, 2, 2), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "would forbid the required edge C --> D");
    CHECK_INT(causa_knowledge_tier(k, 2), 0);
    CHECK_OK(causa_knowledge_set_tier(T, k, 2, 1));
    CHECK_ERR(causa_knowledge_set_tier_forbidden_within(T, k, 1, 1), CAUSA_EINVAL);
    CHECK_OK(causa_knowledge_set_tier(T, k, 3, 0));
    CHECK_OK(causa_knowledge_set_tier_forbidden_within(T, k, 1, 1));
    CHECK(causa_knowledge_tier_forbidden_within(k, 1));
    CHECK(causa_knowledge_is_forbidden(k, 1, 2) && causa_knowledge_is_forbidden(k, 2, 1));
    CHECK_ERR(causa_knowledge_set_tier(T, k, 0, -1), CAUSA_EINVAL);
    CHECK_ERR(causa_knowledge_set_tier_forbidden_within(T, k, 0, 1), CAUSA_EINVAL);
    int64_t from[4], to[4];
    CHECK_INT(causa_knowledge_rules(k, CAUSA_KNOWLEDGE_FORBIDDEN, from, to), 1);
    CHECK(from[0] == 0 && to[0] == 1);
    CHECK_INT(causa_knowledge_rules(k, CAUSA_KNOWLEDGE_REQUIRED, NULL, NULL), 1);
    causa_knowledge_free(k);
    /* names */
    const char *dup[] = {"A", "A"};
    CHECK_ERR(causa_knowledge_new(T, 2, dup, &k), CAUSA_EINVAL);
    CHECK(k == NULL);
    CHECK_OK(causa_knowledge_new(T, 3, NULL, &k));
    CHECK_INT(causa_knowledge_find(k, "X3"), 2);
    causa_knowledge_free(k);
}

/* ---- the file format ---- */

static const char *const example =
    "/knowledge\n"
    "// causal-cmd's format; comment lines and blank lines are skipped\n"
    "addtemporal\n"
    "1 A B\n"
    "2* C p44/42\n"
    "\n"
    "forbiddirect\n"
    "D A\n"
    "\n"
    "requiredirect\n"
    "A \"my var\"\r\n";

TEST(knowledge_read_write_round_trip) {
    causa_knowledge *k = NULL, *back = NULL;
    CHECK_OK(causa_knowledge_read_buffer(T, "k.txt", example, strlen(example), 6, V, &k));
    if (!k) return;
    CHECK_INT(causa_knowledge_tier(k, 0), 1);
    CHECK_INT(causa_knowledge_tier(k, 1), 1);
    CHECK_INT(causa_knowledge_tier(k, 2), 2);
    CHECK_INT(causa_knowledge_tier(k, 4), 2);
    CHECK_INT(causa_knowledge_tier(k, 3), 0);
    CHECK(causa_knowledge_tier_forbidden_within(k, 2));
    CHECK(!causa_knowledge_tier_forbidden_within(k, 1));
    CHECK(causa_knowledge_is_forbidden(k, 2, 0));  /* tier 2 --> tier 1 */
    CHECK(causa_knowledge_is_forbidden(k, 2, 4));  /* within tier 2 */
    CHECK(!causa_knowledge_is_forbidden(k, 0, 1)); /* within tier 1: allowed */
    CHECK(causa_knowledge_is_forbidden(k, 3, 0));
    CHECK(causa_knowledge_is_required(k, 0, 5));
    char *text = NULL;
    size_t len = 0;
    CHECK_OK(causa_knowledge_write_buffer(T, k, &text, &len));
    CHECK_STR(text, "/knowledge\naddtemporal\n1 A B\n2* C p44/42\n\nforbiddirect\nD A\n\n"
                    "requiredirect\nA \"my var\"\n");
    char path[512];
    snprintf(path, sizeof path, "%s/k.txt", harness_tmpdir());
    CHECK_OK(causa_knowledge_write(T, k, path));
    CHECK_OK(causa_knowledge_read(T, path, 6, V, &back));
    char *text2 = NULL;
    CHECK_OK(causa_knowledge_write_buffer(T, back, &text2, &len));
    CHECK(text && text2 && strcmp(text, text2) == 0);
    for (int64_t a = 0; a < 6; a++)
        for (int64_t b = 0; b < 6; b++) {
            CHECK_INT(causa_knowledge_is_forbidden(back, a, b), causa_knowledge_is_forbidden(k, a, b));
            CHECK_INT(causa_knowledge_is_required(back, a, b), causa_knowledge_is_required(k, a, b));
        }
    causa_free(T, text);
    causa_free(T, text2);
    causa_knowledge_free(back);
    causa_knowledge_free(k);
    /* causal-cmd's own test file (knowledge_sim_data_continuous_20var_100case.txt): an
     * empty tier 3, empty sections, no final newline */
    const char *cc = "/knowledge\naddtemporal\n1 X14 X8 X9 \n2* X17 X7 \n3 \n\nforbiddirect\n\nrequiredirect\nX6 X20";
    const char *names[20];
    char buf[20][8];
    for (int j = 0; j < 20; j++) {
        snprintf(buf[j], sizeof buf[j], "X%d", j + 1);
        names[j] = buf[j];
    }
    CHECK_OK(causa_knowledge_read_buffer(T, "cc.txt", cc, strlen(cc), 20, names, &k));
    CHECK_INT(causa_knowledge_tier(k, 13), 1);
    CHECK_INT(causa_knowledge_tier(k, 6), 2);
    CHECK(causa_knowledge_is_required(k, 5, 19));
    CHECK(causa_knowledge_is_forbidden(k, 16, 6));
    causa_knowledge_free(k);
    /* empty input: no knowledge */
    CHECK_OK(causa_knowledge_read_buffer(T, "empty", "", 0, 2, NULL, &k));
    CHECK_INT(causa_knowledge_ntiers(k), 0);
    causa_knowledge_free(k);
}

TEST(knowledge_file_errors_have_positions) {
    static const struct {
        const char *text;
        int code;
        const char *msg;
    } cases[] = {
        {"/knowledge\naddtemporal\n1 A X9\n", CAUSA_ENOTFOUND, "k.txt:3:5: unknown variable 'X9'"},
        {"forbiddirect\nA B\nB Q\n", CAUSA_ENOTFOUND, "k.txt:3:3: unknown variable 'Q'"},
        {"requiredirect\n\"my var\" \"your var\"\n", CAUSA_ENOTFOUND, "k.txt:2:10: unknown variable 'your var'"},
        {"addtemporal\n0 A\n", CAUSA_EPARSE, "k.txt:2:1: expected a tier number 1, 2, ..."},
        {"addtemporal\nA B\n", CAUSA_EPARSE, "k.txt:2:1: expected a tier number"},
        {"forbiddirect\nA\n", CAUSA_EPARSE, "k.txt:2:2: expected a second variable name"},
        {"forbiddirect\nA B C\n", CAUSA_EPARSE, "k.txt:2:5: expected the end of the line"},
        {"A B\n", CAUSA_EPARSE, "k.txt:1:1: expected 'addtemporal', 'forbiddirect' or 'requiredirect'"},
        {"forbiddengroup\nA\nB\n", CAUSA_EPARSE, "k.txt:1:1: the section 'forbiddengroup'"},
        {"forbiddirect\nA B\nrequiredirect\nA B\n", CAUSA_EINVAL, "k.txt:4:1: A --> B is forbidden, so it cannot be required"},
        {"addtemporal\n1 A\n2 A\n", CAUSA_EINVAL, "k.txt:3:3: variable 'A' is already in tier 1"},
        {"requiredirect\nB A\naddtemporal\n1 A\n2 B\n", CAUSA_EINVAL, "k.txt:5:3: putting B in tier 2 would forbid the required edge B --> A"},
        {"addtemporal\n1 \"A\n", CAUSA_EPARSE, "k.txt:2:3: expected '\"' to close the string"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        causa_knowledge *k = NULL;
        int rc = causa_knowledge_read_buffer(T, "k.txt", cases[i].text, strlen(cases[i].text), 6, V, &k);
        if (rc != cases[i].code)
            harness_fail(__FILE__, __LINE__, "case %zu: code %d (%s), expected %d", i, rc, causa_errmsg(T),
                         cases[i].code);
        CHECK_CONTAINS(causa_errmsg(T), cases[i].msg);
        CHECK(k == NULL);
    }
    causa_knowledge *k = NULL;
    CHECK_ERR(causa_knowledge_read(T, "/nonexistent/k.txt", 6, V, &k), CAUSA_EIO);
    char path[512];
    snprintf(path, sizeof path, "%s/bad.txt", harness_tmpdir());
    write_text(path, "addtemporal\n1 A\n2 B nope\n");
    CHECK_ERR(causa_knowledge_read(T, path, 6, V, &k), CAUSA_ENOTFOUND);
    char want[600];
    snprintf(want, sizeof want, "%s:3:5: unknown variable 'nope'", path);
    CHECK_CONTAINS(causa_errmsg(T), want);
}

static int oom_read(causa_ctx *ctx, void *ud) {
    (void)ud;
    causa_knowledge *k = NULL;
    int rc = causa_knowledge_read_buffer(ctx, "k.txt", example, strlen(example), 6, V, &k);
    if (rc == CAUSA_OK) {
        char *text = NULL;
        size_t len;
        rc = causa_knowledge_write_buffer(ctx, k, &text, &len);
        causa_free(ctx, text);
    }
    causa_knowledge_free(k);
    return rc;
}

TEST(knowledge_out_of_memory_sweep) { CHECK(harness_oom_sweep("knowledge read/write", oom_read, NULL) > 5); }

/* ---- effects on PC (oracle over a true DAG) ---- */

/* Runs PC with the oracle of dag and the knowledge text; returns the result. */
static causa_discovery *pc_with(const causa_graph *dag, const char *knowledge) {
    int64_t p = causa_graph_nnodes(dag);
    const char *names[16];
    for (int64_t j = 0; j < p; j++) names[j] = causa_graph_name(dag, j);
    causa_knowledge *k = NULL;
    causa_citest *t = NULL;
    causa_discovery *r = NULL;
    if (causa_knowledge_read_buffer(T, "k", knowledge, strlen(knowledge), p, names, &k) != CAUSA_OK) {
        harness_fail(__FILE__, __LINE__, "knowledge: %s", causa_errmsg(T));
        return NULL;
    }
    CHECK_OK(causa_citest_oracle_new(T, dag, &t));
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    opt.knowledge = k;
    CHECK_OK(causa_discover(T, t, &opt, &r));
    causa_citest_free(t);
    causa_knowledge_free(k);
    return r;
}

static int marks(const causa_discovery *r, int64_t a, int64_t b, int ma, int mb) {
    int x = 0, y = 0;
    if (!causa_graph_edge(causa_discovery_graph(r), a, b, &x, &y)) x = y = 0;
    return x == ma && y == mb;
}

enum { T_ = CAUSA_MARK_TAIL, A_ = CAUSA_MARK_ARROW };

TEST(knowledge_effects_on_pc) {
    const char *n3[] = {"A", "B", "C"};
    const int64_t chain[][2] = {{0, 1}, {1, 2}};   /* A --> B --> C: CPDAG A --- B --- C */
    const int64_t collider[][2] = {{0, 2}, {1, 2}}; /* A --> C <-- B */
    causa_graph *g = graph_of(3, n3, chain, 2);
    causa_discovery *r;
    /* without knowledge: undirected */
    r = pc_with(g, "");
    CHECK(r && marks(r, 0, 1, T_, T_) && marks(r, 1, 2, T_, T_));
    causa_discovery_free(r);
    /* tiers orient the chain */
    r = pc_with(g, "addtemporal\n1 A\n2 B\n3 C\n");
    CHECK(r && marks(r, 0, 1, T_, A_) && marks(r, 1, 2, T_, A_));
    causa_discovery_free(r);
    /* a required direction, here against the truth's: B --> A; B --- C stays */
    r = pc_with(g, "requiredirect\nB A\n");
    CHECK(r && marks(r, 0, 1, A_, T_) && marks(r, 1, 2, T_, T_));
    causa_discovery_free(r);
    /* a forbidden direction orients the edge the other way, and Meek's R1 follows:
     * forbidding B --> A gives A --> B, then B --> C (A, C non-adjacent) */
    r = pc_with(g, "forbiddirect\nB A\n");
    CHECK(r && marks(r, 0, 1, T_, A_) && marks(r, 1, 2, T_, A_));
    causa_discovery_free(r);
    /* forbidden both ways: a gap, never tested, reported as such */
    r = pc_with(g, "forbiddirect\nA B\nB A\n");
    CHECK(r && marks(r, 0, 1, 0, 0) && marks(r, 1, 2, T_, T_));
    if (r) {
        causa_pair_info info;
        CHECK_OK(causa_discovery_pair(r, 0, 1, &info));
        CHECK_INT(info.status, CAUSA_PAIR_FORBIDDEN);
        CHECK(isnan(info.pmax));
        CHECK_INT(info.sepset_size, 0);
    }
    causa_discovery_free(r);
    /* a tier forbidden within does the same */
    r = pc_with(g, "addtemporal\n1* A B\n");
    CHECK(r && marks(r, 0, 1, 0, 0));
    causa_discovery_free(r);
    /* a required edge is kept although A and C are separated by B, and never tested */
    r = pc_with(g, "requiredirect\nA C\n");
    CHECK(r && marks(r, 0, 2, T_, A_));
    if (r) {
        causa_pair_info info;
        CHECK_OK(causa_discovery_pair(r, 0, 2, &info));
        CHECK_INT(info.status, CAUSA_PAIR_ADJACENT);
        CHECK(isnan(info.pmax));
    }
    causa_discovery_free(r);
    causa_graph_free(g);
    /* the collider A --> C <-- B: knowledge that forbids A --> C vetoes it; C --> A is
     * oriented by the knowledge and B --- C stays undirected */
    g = graph_of(3, n3, collider, 2);
    r = pc_with(g, "");
    CHECK(r && marks(r, 0, 2, T_, A_) && marks(r, 1, 2, T_, A_));
    causa_discovery_free(r);
    r = pc_with(g, "forbiddirect\nA C\n");
    CHECK(r && marks(r, 0, 2, A_, T_) && marks(r, 1, 2, T_, T_));
    causa_discovery_free(r);
    causa_graph_free(g);
}

TEST(knowledge_must_match_the_data) {
    const char *n3[] = {"A", "B", "C"};
    const int64_t chain[][2] = {{0, 1}, {1, 2}};
    causa_graph *g = graph_of(3, n3, chain, 2);
    const char *n4[] = {"A", "B", "C", "Z"};
    causa_knowledge *k = NULL;
    CHECK_OK(causa_knowledge_new(T, 4, n4, &k));
    causa_citest *t = NULL;
    CHECK_OK(causa_citest_oracle_new(T, g, &t));
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    opt.knowledge = k;
    causa_discovery *r = NULL;
    /* Z is in the knowledge but has no rule: fine */
    CHECK_OK(causa_discover(T, t, &opt, &r));
    causa_discovery_free(r);
    r = NULL;
    CHECK_OK(causa_knowledge_forbid(T, k, 3, 0));
    CHECK_ERR(causa_discover(T, t, &opt, &r), CAUSA_ENOTFOUND);
    CHECK_CONTAINS(causa_errmsg(T), "the knowledge mentions variable 'Z', which the data does not have");
    CHECK(r == NULL);
    causa_citest_free(t);
    causa_knowledge_free(k);
    causa_graph_free(g);
}
