/*
 * discover_i.h: internals of src/discover shared between its files: the discovery result,
 * the skeleton phase (reused by FCI and RFCI), the orientation phase of PC, and helpers.
 *
 * Index spaces. The algorithms work in "rank" space: rank r is the r-th variable in the
 * canonical order (natural order of the names, or the column order on request), so every
 * order-dependent choice is the same for any column order of the input. The test, the
 * graph and the public getters use the test's own variable indices ("original" indices);
 * order[r] maps a rank to its original index and rank[v] back.
 *
 * Pairs. Per unordered pair of ranks a < b, key = a (2p - a - 1) / 2 + (b - a - 1) (row by
 * row, so the pairs of one node with the later ones are contiguous: a thread working on
 * node a writes its own stretch of memory, never a cache line another thread writes)
 * indexes two dense triangular arrays: a state byte and the largest p-value seen (9 bytes a
 * pair: 450 MB for p = 10 000). Separating sets of pairs removed at depth >= 1 (the only
 * non-empty ones) are kept sparsely, sorted by key.
 */
#ifndef CAUSA_DISCOVER_I_H
#define CAUSA_DISCOVER_I_H

#include <math.h>

#include "../internal.h"

/* Pair states. ADJACENT and REQUIRED are edges of the skeleton. */
enum {
    CAUSA_I_PAIR_ADJ = 0,      /* adjacent (still, or at the end) */
    CAUSA_I_PAIR_SEP0 = 1,     /* removed at depth 0: empty separating set */
    CAUSA_I_PAIR_SEPK = 2,     /* removed at depth >= 1: see the sparse records */
    CAUSA_I_PAIR_GAP = 3,      /* forbidden both ways by knowledge: never tested */
    CAUSA_I_PAIR_REQUIRED = 4  /* required by knowledge: adjacent, never tested */
};

static inline int64_t causa_i_pair_key(int64_t p, int64_t a, int64_t b) {
    if (a > b) {
        int64_t t = a;
        a = b;
        b = t;
    }
    return a * (2 * p - a - 1) / 2 + (b - a - 1);
}
static inline int causa_i_pair_adjacent(const unsigned char *state, int64_t p, int64_t a, int64_t b) {
    unsigned char s = state[causa_i_pair_key(p, a, b)];
    return s == CAUSA_I_PAIR_ADJ || s == CAUSA_I_PAIR_REQUIRED;
}

/* A separating set found at depth >= 1: members in pool[off .. off + len), original
 * indices, ascending. */
typedef struct causa_i_seprec {
    int64_t key;   /* pair key in rank space */
    int64_t depth; /* level that removed the pair */
    int64_t off, len;
} causa_i_seprec;

/* The skeleton phase's product (owned by the discovery result). */
typedef struct causa_i_skeleton {
    int64_t p;
    int64_t *order, *rank;   /* rank -> original index, original index -> rank */
    unsigned char *state;    /* p (p - 1) / 2 pair states */
    double *pmax;            /* p (p - 1) / 2 largest p-values (NaN: never tested) */
    causa_i_seprec *recs;    /* sorted by key */
    int64_t nrecs, caprecs;
    int64_t *pool;
    int64_t npool, cappool;
    int64_t *ntests;         /* tests per depth, [0, maxlevel] */
    int64_t nlevels;         /* entries of ntests */
    int64_t max_depth;       /* deepest level with tests, -1 if none */
    double seconds;
} causa_i_skeleton;

/* Knowledge seen from the test's variables: kmap[v] is v's index in the knowledge, or -1. */
typedef struct causa_i_kview {
    const causa_knowledge *k; /* NULL: no knowledge */
    int64_t *kmap;
} causa_i_kview;
int causa_i_kview_forbidden(const causa_i_kview *kv, int64_t from, int64_t to);
int causa_i_kview_required(const causa_i_kview *kv, int64_t from, int64_t to);

/* ---- the result ---- */
struct causa_discovery {
    causa_ctx *ctx;
    causa_discover_options opt; /* as run; knowledge pointer cleared, flag in has_knowledge */
    int has_knowledge;
    int order_used;             /* the collider order actually used (TRIPLES or STRENGTH) */
    char *test_name;
    char **names;               /* p variable names (the test's) */
    causa_graph *graph;
    causa_i_skeleton sk;
    int64_t orient_tests;
    int64_t ntriples, ncolliders, nconflicts;
    int64_t *ambiguous;         /* 3 x nambiguous original indices, sorted */
    int64_t nambiguous;
    double seconds[CAUSA_NPHASES];
    char note[512];
    struct causa_i_fci_info *fci; /* FCI and RFCI only (fci_i.h), else NULL */
};
typedef struct causa_i_fci_info causa_i_fci_info;
void causa_i_fci_info_free(causa_ctx *ctx, causa_i_fci_info *f);
/* The "possible_dsep" or "rfci" members of the JSON report (fci.c). */
int causa_i_fci_json_report(const causa_discovery *r, causa_i_buf *b);

/* Allocates an empty result for a test (names copied, times NaN). */
int causa_i_discovery_new(causa_ctx *ctx, const causa_citest *test, const causa_discover_options *opt,
                          causa_discovery **out);

/* ---- phases ---- */
/* The canonical order of the test's variables (natural name order, or identity). */
int causa_i_canonical_order(causa_ctx *ctx, const causa_citest *test, int column_order,
                            int64_t *order, int64_t *rank);
/* Natural comparison of names: digit runs compare as numbers ("X2" < "X10"); ties by bytes. */
int causa_i_natural_cmp(const char *a, const char *b);

/* Runs the skeleton phase into sk (sk->order, sk->rank filled by the caller; the rest is
 * allocated here). Knowledge: gaps are never tested, required pairs never tested nor
 * removed. */
int causa_i_skeleton_run(causa_ctx *ctx, const causa_citest *test, const causa_discover_options *opt,
                         const causa_i_kview *kv, causa_i_skeleton *sk);
void causa_i_skeleton_free(causa_ctx *ctx, causa_i_skeleton *sk);
/* The edges of row x of the pair states (pairs (x, x + 1 + i), i < p - x - 1): writes the
 * i of the adjacent pairs (ADJ or REQUIRED) to idx (room for p) in order and returns how
 * many. A word of states at a time. */
int64_t causa_i_row_edges(const unsigned char *state, int64_t p, int64_t x, int32_t *idx);
/* Adds each node's number of adjacent pairs to deg[node] (idx: scratch for p). */
void causa_i_pair_degrees(const unsigned char *state, int64_t p, int32_t *idx, int64_t *deg);
/* The separating-set record of a pair of ranks, or NULL (depth-0 or no removal). */
const causa_i_seprec *causa_i_skeleton_find(const causa_i_skeleton *sk, int64_t a, int64_t b);

/* PC's orientation phase: builds r->graph from r->sk and orients it. */
int causa_i_pc_orient(causa_ctx *ctx, const causa_citest *test, const causa_i_kview *kv,
                      causa_discovery *r);

/* Seconds on a monotonic clock. */
double causa_i_now(void);

/* ---- enumeration of k-subsets of {0..n-1} in lexicographic order ---- */
/* First subset: c = {0, 1, ..., k-1}. */
static inline void causa_i_comb_first(int64_t *c, int64_t k) {
    for (int64_t i = 0; i < k; i++) c[i] = i;
}
/* Next subset; returns 0 after the last one. */
static inline int causa_i_comb_next(int64_t *c, int64_t k, int64_t n) {
    int64_t i = k - 1;
    while (i >= 0 && c[i] == n - k + i) i--;
    if (i < 0) return 0;
    c[i]++;
    for (int64_t j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
    return 1;
}

#endif
