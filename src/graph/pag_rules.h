/*
 * pag_rules.h: FCI's orientation rules R0-R10 (Zhang 2008) on a causa_i_mg, for
 * causa_graph_mag_to_pag today and FCI / RFCI later.
 *
 * The rules need to know, for some triples, whether the middle node is a collider: R0 for
 * an unshielded triple x *-* b *-* y, R4 for the end of a discriminating path
 * <x, ..., prev, b, y>. That knowledge comes from a "collider oracle":
 *  - FCI answers from separating sets: b is a collider iff b is not in sepset(x, y);
 *  - causa_graph_mag_to_pag answers from the MAG: iff both edges at b have arrowheads there.
 * Everything else the rules read from the marks of the graph being oriented.
 *
 * Usage (FCI): fill a causa_i_mg with the skeleton, every mark CAUSA_MARK_CIRCLE; call
 * causa_i_pag_orient_colliders (R0), then causa_i_pag_apply_rules (R1-R10).
 */
#ifndef CAUSA_GRAPH_PAG_RULES_H
#define CAUSA_GRAPH_PAG_RULES_H

#include "equiv_i.h"

/* Is b a collider on the path that ends prev *-* b *-* y and starts at x, where x and y
 * are not adjacent? R0 asks for the triple x *-* b *-* y (then prev == x); R4 for a
 * discriminating path <x, ..., prev, b, y> for b. Returns 1 (collider) or 0. */
typedef int (*causa_i_collider_fn)(void *ud, int64_t x, int64_t prev, int64_t b, int64_t y);

/* Rule groups beyond R1-R4 (which always run). */
enum {
    CAUSA_I_PAG_R567 = 1,  /* R5-R7: tails that come from selection bias */
    CAUSA_I_PAG_R8910 = 2, /* R8-R10: the tails that complete arrowheads (Zhang 2008) */
    CAUSA_I_PAG_ALL = 3
};

/* The order in which the rules run (pag_rules.c): pcalg's udag2pag, or its udag2apag. */
enum {
    CAUSA_I_PAG_SCHED_FCI = 0, /* rounds of R1-R4 to closure, then of R5-R7, then of R8-R10 */
    CAUSA_I_PAG_SCHED_RFCI = 1 /* rounds of R1-R10 to closure */
};

typedef struct causa_i_pag_rules {
    causa_i_collider_fn collider;
    void *ud;
    unsigned groups; /* CAUSA_I_PAG_* */
    int64_t changes; /* out: marks changed so far */
    int schedule;    /* CAUSA_I_PAG_SCHED_* (0: FCI) */
} causa_i_pag_rules;

/* R0: every unshielded triple x *-* b *-* y that the oracle calls a collider becomes
 * x *-> b <-* y. O(sum of deg^2 log deg). */
int causa_i_pag_orient_colliders(causa_ctx *ctx, causa_i_mg *pag, causa_i_pag_rules *r);
/* R1-R10 in the order of r->schedule (pcalg's: see pag_rules.c), until no mark changes.
 * The path rules (R4, R5, R9, R10) search paths depth-first (R4 breadth-first); their cost
 * grows with the number of uncovered paths, as in every FCI implementation. Temporaries
 * come from the arena. */
int causa_i_pag_apply_rules(causa_ctx *ctx, causa_i_arena *a, causa_i_mg *pag,
                            causa_i_pag_rules *r);

#endif
