/*
 * fci_i.h: internals shared by FCI (fci.c), its Possible-D-SEP stage (possible_dsep.c) and
 * RFCI (rfci.c).
 *
 * Both algorithms start from the skeleton phase of skeleton.c (r->sk, rank space, see
 * discover_i.h) and end with FCI's orientation rules of src/graph/pag_rules.c, run on a
 * causa_i_mg built in RANK space, so every order-dependent step (which rule fires first on
 * data, which separating set a later stage finds first) follows the canonical variable
 * order and the output does not depend on the column order.
 *
 * Edges removed after the skeleton phase (by Possible-D-SEP tests, or by RFCI's extra
 * tests) become ordinary separated pairs of r->sk (state CAUSA_I_PAIR_SEPK with a record)
 * and are also listed, with the stage that removed them, in the FCI information of the
 * result.
 */
#ifndef CAUSA_DISCOVER_FCI_I_H
#define CAUSA_DISCOVER_FCI_I_H

#include "../graph/pag_rules.h"
#include "discover_i.h"

/* The stage that removed a pair after the skeleton phase. */
enum {
    CAUSA_I_STAGE_PDS = 1,     /* FCI: a subset of Possible-D-SEP separated the pair */
    CAUSA_I_STAGE_TRIPLE = 2,  /* RFCI: a check of an unshielded triple (Algorithm 4.4) */
    CAUSA_I_STAGE_PATH = 3     /* RFCI: a check of a discriminating path (Algorithm 4.5) */
};

typedef struct causa_i_removal {
    int64_t key;   /* pair key in rank space */
    int stage;     /* CAUSA_I_STAGE_* */
} causa_i_removal;

/* What FCI and RFCI add to a discovery result (r->fci). */
struct causa_i_fci_info {
    int64_t *pds_ntests;        /* FCI: Possible-D-SEP tests by conditioning-set size */
    int64_t pds_nlevels;        /* entries of pds_ntests */
    int64_t pds_pairs;          /* pair sides whose Possible-D-SEP gave something to test */
    int64_t pds_max_size;       /* largest |Possible-D-SEP(X) \ {Y}| tested */
    int64_t extra_tests;        /* RFCI: tests of the triple and path checks */
    int64_t triples_checked;    /* RFCI: unshielded triples checked */
    int64_t paths_checked;      /* RFCI: discriminating paths checked */
    int64_t restarts;           /* RFCI: orientation restarts after a path check removed an edge */
    causa_i_removal *removed;   /* sorted by key once the run is over */
    int64_t nremoved, capremoved;
    double pds_seconds;         /* FCI: wall time of the Possible-D-SEP stage (in skeleton time) */
};

int causa_i_fci_info_new(causa_ctx *ctx, causa_discovery *r);
/* The stage that removed the pair of ranks (a, b) after the skeleton phase, or 0. */
int causa_i_fci_stage(const causa_discovery *r, int64_t a, int64_t b);
/* "possible-dsep", "rfci-triple", "rfci-path", or "skeleton" for 0. */
const char *causa_i_fci_stage_name(int stage);

/* ---- separating sets ---- */
/* Is the rank v in the separating set of the rank pair (a, b)? (0 for pairs removed at
 * depth 0 and for knowledge gaps: their separating set is empty.) */
int causa_i_fci_in_sepset(const causa_i_skeleton *sk, int64_t a, int64_t b, int64_t v);
/* The separating set of the rank pair (a, b) as ranks, ascending, into out (capacity p);
 * returns the count. */
int64_t causa_i_fci_sepset_ranks(const causa_i_skeleton *sk, int64_t a, int64_t b, int64_t *out);
/* Separates the adjacent rank pair (a, b) by the set of ranks set[0..n): state SEPK with a
 * record at depth n (kept sorted by key when `sorted`, else appended: call
 * causa_i_fci_sort_records before the next lookup), and notes the stage. */
int causa_i_fci_separate(causa_ctx *ctx, causa_discovery *r, int64_t a, int64_t b,
                         const int64_t *set, int64_t n, int stage, int sorted);
void causa_i_fci_sort_records(causa_discovery *r);

/* ---- the partial ancestral graph in rank space ---- */
/* The current skeleton of r->sk as a causa_i_mg over ranks (neighbours ascending), every
 * mark a circle. Memory from the arena. */
int causa_i_fci_build_mg(causa_ctx *ctx, causa_i_arena *a, const causa_i_skeleton *sk,
                         causa_i_mg *g);
/* Knowledge on the PAG (Tetrad's and causal-learn's fciOrientbk, with Tetrad's marks):
 * X --> Y forbidden (explicitly or by tiers) puts an arrowhead at X (Y *-> X: X is not an
 * ancestor of Y); X --> Y required makes X --> Y. Returns the number of marks set. */
int64_t causa_i_fci_knowledge(const causa_i_kview *kv, const causa_i_skeleton *sk, causa_i_mg *g);

/* The collider oracle of FCI: b is a collider on <x, ..., prev, b, y> iff b is not in the
 * separating set of x and y. During R0 (prev == x) a collider whose arrowhead at b
 * knowledge contradicts (b --> x or b --> y required) is refused. */
typedef struct causa_i_fci_sepsets {
    const causa_i_skeleton *sk;
    const causa_i_kview *kv;
} causa_i_fci_sepsets;
int causa_i_fci_collider(void *ud, int64_t x, int64_t prev, int64_t b, int64_t y);

/* R0 alone: the colliders of fci_collider, counted into *ncolliders. */
int causa_i_fci_r0(causa_ctx *ctx, causa_i_mg *g, causa_i_fci_sepsets *s, int64_t *ncolliders);
/* R0 then R1-R10 on g (marks as they are: circles, knowledge) with the collider oracle fn. */
int causa_i_fci_rules(causa_ctx *ctx, causa_i_arena *a, causa_i_mg *g, causa_i_collider_fn fn,
                      void *ud, int64_t *ncolliders);

/* Writes r->graph (the test's variable order) from g and declares it a PAG; when the marks
 * are not a valid PAG (possible on data: conflicting rules), the kind stays MIXED and
 * r->note says why. Also counts the unshielded triples into r->ntriples. */
int causa_i_fci_output(causa_ctx *ctx, causa_discovery *r, const causa_i_mg *g);

/* ---- stages ---- */
/* FCI's Possible-D-SEP stage (possible_dsep.c): R0 on the skeleton, Possible-D-SEP(X) of
 * every X, and the tests of every remaining edge given subsets of them. */
int causa_i_fci_pds_stage(causa_ctx *ctx, const causa_citest *test, const causa_i_kview *kv,
                          causa_discovery *r);
/* FCI after the skeleton (fci.c): the Possible-D-SEP stage unless opt.possible_dsep = 0,
 * then o-o, knowledge, R0 and R1-R10 into r->graph. */
int causa_i_fci_orient(causa_ctx *ctx, const causa_citest *test, const causa_i_kview *kv,
                       causa_discovery *r);
/* RFCI after the skeleton (rfci.c). */
int causa_i_rfci_orient(causa_ctx *ctx, const causa_citest *test, const causa_i_kview *kv,
                        causa_discovery *r);

/* The options FCI and RFCI add or restrict (the common ones are checked by pc.c). */
int causa_i_fci_check_options(causa_ctx *ctx, const causa_discover_options *o);

/* Reports a failed CI test of the rank pair (x, y) given nz variables like the skeleton
 * phase does, unless the failure is a recorded out-of-memory. */
int causa_i_fci_test_error(causa_ctx *ctx, const causa_citest *test, const causa_i_skeleton *sk,
                           int rc, int64_t x, int64_t y, int64_t nz, const char *when);

#endif
