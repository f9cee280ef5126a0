/*
 * causa/discover.h: structure discovery from data (PC and its variants; FCI and RFCI reuse
 * the same entry point, options and result), background knowledge, and the discovery
 * result. Included by <causa.h>; do not include it directly.
 */
#ifndef CAUSA_DISCOVER_H
#define CAUSA_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

/* ---- background knowledge ------------------------------------------------------------------
 * What the analyst knows before looking at the data, over a fixed list of named variables:
 *  - forbidden directed edges A --> B (the edge may still appear as B --> A);
 *  - required directed edges A --> B (the adjacency is never removed, and it is oriented so);
 *  - temporal tiers 1, 2, ...: a variable of a later tier never causes one of an earlier
 *    tier (B --> A is forbidden when tier(B) > tier(A); variables without a tier are
 *    unconstrained), and a tier flagged "forbidden within" forbids every edge inside it.
 * A pair forbidden both ways (explicitly or by tiers) is a gap: discovery never tests it and
 * leaves it non-adjacent.
 *
 * File format: causal-cmd's / Tetrad's knowledge file, e.g.
 *     /knowledge
 *     addtemporal
 *     1 X1 X2
 *     2* X3 X4          (the * forbids edges within tier 2)
 *
 *     forbiddirect
 *     X4 X1
 *
 *     requiredirect
 *     X1 X3
 * Sections may come in any order and may be empty; blank lines and lines starting with
 * "//" or "#" are skipped; names are separated by blanks and may be double-quoted. Every name
 * must be one of the variables the knowledge is made for: an unknown name is
 * CAUSA_ENOTFOUND with "file:line:column: unknown variable 'X'", never ignored. Tetrad's
 * forbiddengroup / requiredgroup sections are not supported (CAUSA_EPARSE saying so). */
typedef struct causa_knowledge causa_knowledge;

/* Empty knowledge over p variables. names: NULL (X1..Xp) or p distinct non-empty strings
 * (copied). */
int causa_knowledge_new(causa_ctx *ctx, int64_t p, const char *const *names, causa_knowledge **out);
void causa_knowledge_free(causa_knowledge *k);
/* Reads a knowledge file ("-" = standard input) for the p variables `names` (normally the
 * data set's column names). Errors: CAUSA_EIO; CAUSA_EPARSE with path:line:column and what
 * was expected; CAUSA_ENOTFOUND for an unknown variable (path:line:column); CAUSA_EINVAL
 * for contradictions (a pair both required and forbidden, a variable in two tiers). */
int causa_knowledge_read(causa_ctx *ctx, const char *path, int64_t p, const char *const *names,
                         causa_knowledge **out);
/* Same, from memory; `name` is used in messages. */
int causa_knowledge_read_buffer(causa_ctx *ctx, const char *name, const char *data, size_t len,
                                int64_t p, const char *const *names, causa_knowledge **out);
/* Writes the knowledge in the same format (atomically; "-" = standard output): every tier
 * 1..ntiers in order (empty ones as a bare number), then the explicit forbidden and required
 * edges sorted by (from, to) index. Reading the text back gives equal knowledge. */
int causa_knowledge_write(causa_ctx *ctx, const causa_knowledge *k, const char *path);
/* The text of the file; *out is freed with causa_free. */
int causa_knowledge_write_buffer(causa_ctx *ctx, const causa_knowledge *k, char **out, size_t *len);

int64_t causa_knowledge_nvars(const causa_knowledge *k);
/* Variable name (borrowed), or NULL if v is out of range. */
const char *causa_knowledge_name(const causa_knowledge *k, int64_t v);
/* Index of the variable named `name`, or -1. */
int64_t causa_knowledge_find(const causa_knowledge *k, const char *name);

/* Forbids / requires the directed edge from --> to. Requiring a forbidden edge or forbidding
 * a required one (explicitly, or by tiers already set) is CAUSA_EINVAL, as is requiring both
 * directions of a pair. Repeating a rule is harmless. */
int causa_knowledge_forbid(causa_ctx *ctx, causa_knowledge *k, int64_t from, int64_t to);
int causa_knowledge_require(causa_ctx *ctx, causa_knowledge *k, int64_t from, int64_t to);
/* Puts variable v in tier `tier` (>= 1), or takes it out of any tier (tier = 0). CAUSA_EINVAL
 * if that would forbid a required edge. */
int causa_knowledge_set_tier(causa_ctx *ctx, causa_knowledge *k, int64_t v, int64_t tier);
/* Forbids (forbidden = 1) or allows (0) edges between variables of tier `tier` (>= 1). */
int causa_knowledge_set_tier_forbidden_within(causa_ctx *ctx, causa_knowledge *k, int64_t tier,
                                              int forbidden);
/* Tier of v (0 = none), the largest tier in use (0 = none), and a tier's flag. */
int64_t causa_knowledge_tier(const causa_knowledge *k, int64_t v);
int64_t causa_knowledge_ntiers(const causa_knowledge *k);
int causa_knowledge_tier_forbidden_within(const causa_knowledge *k, int64_t tier);

/* Is from --> to forbidden (explicitly or by tiers)? Is it required? 0 or 1; 0 for indices
 * out of range. O(log rules). Thread-safe (read-only). */
int causa_knowledge_is_forbidden(const causa_knowledge *k, int64_t from, int64_t to);
int causa_knowledge_is_required(const causa_knowledge *k, int64_t from, int64_t to);

enum { CAUSA_KNOWLEDGE_FORBIDDEN = 1, CAUSA_KNOWLEDGE_REQUIRED = 2 };
/* The explicit rules of one kind (not those implied by tiers), sorted by (from, to): writes
 * them to from[] and to[] when those are non-NULL (capacity: the count) and returns the
 * count. */
int64_t causa_knowledge_rules(const causa_knowledge *k, int which, int64_t *from, int64_t *to);

/* ---- discovery -----------------------------------------------------------------------------
 * causa_discover runs a constraint-based search with a prepared CI test (causa/stats.h):
 *
 *  1. Skeleton: start from the complete graph (minus knowledge gaps) and, for conditioning
 *     sets of size d = 0, 1, 2, ... (up to `depth`), remove X --- Y when some set S of d
 *     neighbours of X (or of Y) gives p-value > alpha for X _||_ Y | S. Required edges are
 *     never tested. "Stable" (default; Colombo & Maathuis 2014, pcalg's skel.method =
 *     "stable") freezes the neighbour sets at the start of each level and applies the
 *     level's removals at its end, so the skeleton does not depend on the variable order,
 *     and the tests of a level run in parallel. The original variant (stable = 0) removes at
 *     once and runs its levels of d >= 1 on one thread.
 *  2. Orientation of each unshielded triple X --- Y --- Z (X, Z non-adjacent), by
 *     `colliders`: SEPSETS (Y not in the separating set of X, Z: collider), CONSERVATIVE
 *     (CPC, Ramsey, Zhang & Spirtes 2006), MAJORITY (MPC, Colombo & Maathuis 2014) or MAXP
 *     (Ramsey 2016). Conflicting colliders are resolved by `conflicts`. Knowledge orients
 *     required and forbidden edges first and vetoes colliders that contradict it.
 *  3. Meek's rules R1-R4 (causa_graph_meek) complete the orientation. When conflicting
 *     colliders make that impossible (a forced cycle, an edge forced both ways), when the
 *     bidirected conflict rule left X <-> Y edges, and for CPC/MPC with ambiguous triples,
 *     the rules are applied as pcalg's udag2pdagRelaxed does (greedy sweeps of R1-R3 that
 *     do not act through ambiguous triples), and the result's note says so for conflicts.
 * docs/ALGORITHMS.md ("PC") states each rule exactly, with the differences from pcalg,
 * causal-learn and Tetrad.
 *
 * Determinism: every order-dependent step (the original skeleton, the choice of the first
 * separating set, the order in which colliders are applied) follows the natural order of
 * the variable NAMES (X2 before X10), not the column order, unless column_order = 1. So a
 * stable run gives the same graph, separating sets and p-values for any column order of
 * the input, and every run gives the same result for any thread count. */

/* Algorithms. FCI and RFCI share the skeleton phase and this result type (their graph is a
 * PAG; see "FCI and RFCI" at the end of this header). */
enum { CAUSA_ALGO_PC = 0, CAUSA_ALGO_FCI = 1, CAUSA_ALGO_RFCI = 2 };
/* Rule deciding whether an unshielded triple X --- Y --- Z is a collider X --> Y <-- Z. */
enum {
    CAUSA_COLLIDERS_SEPSETS = 0,      /* Y not in sepset(X, Z) (PC) */
    CAUSA_COLLIDERS_CONSERVATIVE = 1, /* CPC: test X, Z given every subset of adj(X) and of
                                         adj(Z); collider if Y is in none of the separating
                                         sets found, non-collider if in all, else (or if none
                                         is found) ambiguous */
    CAUSA_COLLIDERS_MAJORITY = 2,     /* MPC: same tests; collider if Y is in fewer than half
                                         of the separating sets, non-collider if in more,
                                         ambiguous at exactly half or if none is found */
    CAUSA_COLLIDERS_MAXP = 3          /* max-P: the subset with the largest p-value decides:
                                         collider if it does not contain Y */
};
/* What to do when a collider X --> Y <-- Z meets an edge already oriented Y --> X or
 * Y --> Z (by an earlier collider or by knowledge). */
enum {
    CAUSA_CONFLICT_PRIORITY = 0,  /* keep what is there and skip the new collider (default;
                                     causal-learn's uc_priority = 2, Tetrad's "prioritize
                                     existing colliders") */
    CAUSA_CONFLICT_OVERWRITE = 1, /* the later collider wins (pcalg solve.confl = FALSE,
                                     causal-learn uc_priority = 0) */
    CAUSA_CONFLICT_BIDIRECTED = 2 /* make the edge X <-> Y (causal-learn uc_priority = 1);
                                     the output is then not a PDAG */
};
/* Which separating set the skeleton keeps for a removed pair. */
enum {
    CAUSA_SEPSETS_FIRST = 0, /* the first set found, in the enumeration order: subsets of
                                adj(X) before adj(Y), each in lexicographic order (pcalg,
                                Tetrad); the pair's tests stop there */
    CAUSA_SEPSETS_UNION = 1  /* every subset of the level is tested and the union of all
                                separating sets is kept (causal-learn's stable skeleton) */
};
/* Order in which colliders are applied (it matters only with conflicts). */
enum {
    CAUSA_ORDER_AUTO = 0,     /* STRENGTH for MAXP, TRIPLES otherwise */
    CAUSA_ORDER_TRIPLES = 1,  /* by (Y, X, Z) in the canonical variable order */
    CAUSA_ORDER_STRENGTH = 2, /* strongest first: ascending largest p-value of X _||_ Z given
                                 a subset of adj(X) or adj(Z) that contains Y (causal-learn's
                                 uc_priority = 3); costs extra tests for non-MAXP rules */
    CAUSA_ORDER_SEPARATION = 3 /* best separated first: descending largest p-value of X _||_ Z
                                 given a subset of adj(X) or adj(Z) without Y (causal-learn's
                                 uc_priority = 4); extra tests as for STRENGTH */
};

typedef struct causa_discover_options {
    int algorithm;     /* CAUSA_ALGO_PC (default) */
    double alpha;      /* significance level in (0, 1); default 0.01. Independent: p > alpha */
    int64_t depth;     /* largest conditioning set; -1 (default) = no limit. It also bounds
                          the subsets of CPC, MPC and max-P */
    int stable;        /* 1 (default): order-independent skeleton; 0: original PC */
    int sepsets;       /* CAUSA_SEPSETS_FIRST (default) or _UNION */
    int colliders;     /* CAUSA_COLLIDERS_SEPSETS (default), _CONSERVATIVE, _MAJORITY, _MAXP */
    int conflicts;     /* CAUSA_CONFLICT_PRIORITY (default), _OVERWRITE, _BIDIRECTED */
    int order;         /* CAUSA_ORDER_AUTO (default), _TRIPLES, _STRENGTH, _SEPARATION */
    int column_order;  /* 0 (default): order-dependent steps follow the natural order of the
                          names; 1: they follow the column order (as pcalg and causal-learn) */
    const causa_knowledge *knowledge; /* NULL (default) or knowledge whose variables are
                          matched to the test's by name (each must exist: CAUSA_ENOTFOUND);
                          borrowed for the call */
    /* ---- FCI and RFCI (ignored by PC) ---- */
    int possible_dsep;       /* FCI: 1 (default) runs the Possible-D-SEP stage; 0 skips it
                                (pcalg's doPdsep = FALSE). Ignored by RFCI */
    int64_t max_path_length; /* FCI: longest path, in edges from X, that the search for
                                Possible-D-SEP(X) follows; -1 (default) = no limit */
} causa_discover_options;
void causa_discover_options_init(causa_discover_options *opt);

/* The result of a search: the graph, per pair how it ended, and a report. */
typedef struct causa_discovery causa_discovery;

/* Runs the search with a prepared test (its variables are the graph's nodes, in the test's
 * order). Uses up to causa_ctx_threads(ctx) threads, one CI-test workspace each; the result
 * is bit-identical for any thread count. Errors: CAUSA_EINVAL for bad options (named);
 * CAUSA_ENOTFOUND for knowledge naming a variable the test lacks; a test's failure
 * (CAUSA_EDATA: too few rows for the conditioning set...); CAUSA_EINTERRUPTED; CAUSA_ENOMEM.
 * Polls the interrupt callback and reports progress ("CI tests of depth d") between units
 * of work. The statistics time of the report is left unmeasured (NaN): the test was made by
 * the caller, who may record it with causa_discovery_set_seconds. Time: about
 * sum over levels of (tests x cost of one test); memory O(p^2) bytes (9 per pair: a state
 * byte and the largest p-value) plus O(edges x depth). */
int causa_discover(causa_ctx *ctx, const causa_citest *test, const causa_discover_options *opt,
                   causa_discovery **out);
/* Prepares the test on a data set (topt: NULL for Fisher-z, or the test's options; its
 * alpha is replaced by opt's), timing it as the statistics phase, then runs causa_discover. */
int causa_discover_data(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *topt,
                        const causa_discover_options *opt, causa_discovery **out);
void causa_discovery_free(causa_discovery *r);

/* The estimated graph: kind CPDAG or PDAG for PC (MIXED when conflicting colliders left a
 * directed cycle or bidirected edges: see causa_discovery_note). Nodes are the test's
 * variables in its order. Borrowed. */
const causa_graph *causa_discovery_graph(const causa_discovery *r);
/* A copy of the graph, owned by the caller (free with causa_graph_free). */
int causa_discovery_copy_graph(causa_ctx *ctx, const causa_discovery *r, causa_graph **out);

/* How a pair of variables ended. */
enum {
    CAUSA_PAIR_ADJACENT = 0, /* no test separated them (or the edge is required) */
    CAUSA_PAIR_SEPARATED = 1, /* removed by a test: sepset holds the separating set */
    CAUSA_PAIR_FORBIDDEN = 2 /* a gap from knowledge: never tested, empty separating set */
};
typedef struct causa_pair_info {
    int status;            /* CAUSA_PAIR_* */
    int64_t depth;         /* SEPARATED: the level (conditioning-set size) that removed the
                              pair; otherwise -1 */
    const int64_t *sepset; /* SEPARATED: the separating set, ascending variable indices
                              (borrowed; NULL when empty) */
    int64_t sepset_size;
    double pmax;           /* largest p-value of any skeleton test of the pair; NaN if the
                              pair was never tested (required edge, knowledge gap) */
} causa_pair_info;
/* Fills *out for the pair (a, b), a != b (either order). CAUSA_EINVAL if out of range. */
int causa_discovery_pair(const causa_discovery *r, int64_t a, int64_t b, causa_pair_info *out);

/* ---- the report ---- */
/* Deepest level of the skeleton that ran tests (-1 if none). */
int64_t causa_discovery_max_depth(const causa_discovery *r);
/* Skeleton tests with conditioning sets of size `depth`; depth = -1: all skeleton tests. */
int64_t causa_discovery_ntests(const causa_discovery *r, int64_t depth);
/* Tests made while orienting (CPC, MPC, max-P, strength order). */
int64_t causa_discovery_orientation_tests(const causa_discovery *r);
/* Phases of the report's wall times. */
enum {
    CAUSA_PHASE_LOAD = 0,        /* reading the input: measured by the caller */
    CAUSA_PHASE_STATISTICS = 1,  /* preparing the test (correlation matrix...) */
    CAUSA_PHASE_SKELETON = 2,
    CAUSA_PHASE_ORIENTATION = 3, /* colliders, knowledge and Meek's rules */
    CAUSA_NPHASES = 4
};
/* Seconds of wall time of a phase; NaN if not measured. */
double causa_discovery_seconds(const causa_discovery *r, int phase);
/* Records the time of a phase measured by the caller (loading, or statistics made before
 * causa_discover); also lets a caller zero the times for reproducible output. */
void causa_discovery_set_seconds(causa_discovery *r, int phase, double seconds);
/* Unshielded triples: counted, collider, and ambiguous (CPC/MPC; not oriented as colliders). */
int64_t causa_discovery_ntriples(const causa_discovery *r);
int64_t causa_discovery_ncolliders(const causa_discovery *r);
int64_t causa_discovery_nambiguous(const causa_discovery *r);
/* The k-th ambiguous triple (x, y, z), x < z by variable index, sorted. */
int causa_discovery_ambiguous(const causa_discovery *r, int64_t k, int64_t triple[3]);
/* Colliders skipped or changed by the conflict rule. */
int64_t causa_discovery_nconflicts(const causa_discovery *r);
/* A note on a non-fatal problem ("the colliders conflict, so Meek's rules were applied as
 * pcalg's relaxed rules ..."), or "" if none. Borrowed. */
const char *causa_discovery_note(const causa_discovery *r);

/* The whole result as JSON (docs/ALGORITHMS.md "PC", section "JSON"): options, nodes,
 * edges with their largest p-value, every non-adjacent pair with its separating set, depth
 * and largest p-value, ambiguous triples and the report. p-values are written with `digits`
 * significant digits (0: 17, lossless); times with microsecond resolution. *out is freed
 * with causa_free. Size: about 60 bytes per non-adjacent pair. */
int causa_discovery_json(causa_ctx *ctx, const causa_discovery *r, int digits, char **out,
                         size_t *len);

/* Names used in JSON and by the CLI: "pc", "fci", "rfci"; "sepsets", "conservative",
 * "majority", "maxp"; "priority", "overwrite", "bidirected"; "first", "union"; NULL if out
 * of range. */
const char *causa_algorithm_name(int algorithm);
const char *causa_colliders_name(int colliders);
const char *causa_conflict_name(int conflicts);
const char *causa_sepsets_name(int sepsets);

/* ---- FCI and RFCI ----------------------------------------------------------------------------
 * CAUSA_ALGO_FCI (Spirtes, Meek & Richardson 1999; rules R0-R10 of Zhang 2008) and
 * CAUSA_ALGO_RFCI (Colombo, Maathuis, Kalisch & Richardson 2012) return a PAG (kind PAG;
 * MIXED with a note if conflicting orientations on data leave marks that are not a valid
 * PAG). FCI: the skeleton above, then (unless possible_dsep = 0) tests of each remaining
 * edge X *-* Y given subsets of Possible-D-SEP(X) and of Possible-D-SEP(Y), in parallel and
 * deterministic like the skeleton; then R0 from the separating sets and R1-R10. RFCI: the
 * skeleton, then its extra tests of the unshielded triples and of the discriminating paths
 * (counted as orientation tests), then R0-R10. Knowledge: gaps and required edges as in
 * the skeleton; before R0, X --> Y forbidden (explicitly or by tiers) puts an arrowhead at
 * X and X --> Y required makes X --> Y (Tetrad's fciOrientbk). The options colliders,
 * conflicts and order must keep their defaults. Pairs separated after the skeleton phase
 * are reported by causa_discovery_pair like the others (depth = the size of their set).
 * docs/ALGORITHMS.md ("FCI and RFCI") states every step and the differences from pcalg,
 * causal-learn and Tetrad. */
/* Tests of FCI's Possible-D-SEP stage with conditioning sets of size `size` (>= 1); -1: all
 * of them. 0 for PC, RFCI, or FCI with possible_dsep = 0. */
int64_t causa_discovery_pds_ntests(const causa_discovery *r, int64_t size);
/* The stage that separated the pair (a, b): "skeleton", "possible-dsep" (FCI),
 * "rfci-triple" or "rfci-path" (RFCI's checks of unshielded triples and of discriminating
 * paths); NULL if the pair is adjacent, a knowledge gap, or out of range. Static string. */
const char *causa_discovery_pair_stage(const causa_discovery *r, int64_t a, int64_t b);

#endif
