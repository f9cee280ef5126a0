/*
 * equiv_i.h: private helpers of the Markov-equivalence and latent-variable files
 * (cpdag.c, meek.c, extension.c, count.c, enumerate.c, latent.c, pag_rules.c).
 *
 * These algorithms change edge marks many times and test adjacency in their inner loops,
 * so they first copy the graph into a `causa_i_mg`: a compressed adjacency array (CSR)
 * whose entries know their reverse entry, with one mutable mark per entry. Everything is
 * allocated from the caller's per-call arena, so a failure anywhere frees all of it at the
 * caller's single exit.
 */
#ifndef CAUSA_GRAPH_EQUIV_I_H
#define CAUSA_GRAPH_EQUIV_I_H

#include "../internal.h"

/* ---- a mutable copy of a graph's adjacency ----
 * The neighbours of v are nbr[off[v]] .. nbr[off[v + 1] - 1], ascending. Entry k belongs to
 * node src[k] and points to nbr[k]; rev[k] is the entry of the same edge in nbr[k]'s list.
 * mark[k] is the mark at the NEIGHBOUR's end of entry k, so the mark at src[k]'s end is
 * mark[rev[k]]. A pair carries one edge (bows are refused when reading). */
typedef struct causa_i_mg {
    int64_t p, m; /* nodes, edges */
    int64_t *off; /* p + 1 */
    int64_t *nbr, *rev, *src; /* 2m each */
    unsigned char *mark; /* 2m */
} causa_i_mg;

/* Reads g. `what` names the calling function in messages ("causa_graph_cpdag"). Refuses
 * bows (CAUSA_EINVAL). O(p + e log d). */
int causa_i_mg_from_graph(causa_ctx *ctx, causa_i_arena *a, const causa_graph *g,
                          const char *what, causa_i_mg *mg);
/* Entry of the edge v - w in v's list, or -1. O(log deg v). */
int64_t causa_i_mg_find(const causa_i_mg *mg, int64_t v, int64_t w);
static inline int causa_i_mg_adjacent(const causa_i_mg *mg, int64_t v, int64_t w) {
    return causa_i_mg_find(mg, v, w) >= 0;
}
/* Marks of entry k: at its own node and at its neighbour. */
static inline int causa_i_mg_here(const causa_i_mg *mg, int64_t k) { return mg->mark[mg->rev[k]]; }
static inline int causa_i_mg_there(const causa_i_mg *mg, int64_t k) { return mg->mark[k]; }
static inline void causa_i_mg_set(causa_i_mg *mg, int64_t k, int mark_here, int mark_there) {
    mg->mark[k] = (unsigned char)mark_there;
    mg->mark[mg->rev[k]] = (unsigned char)mark_here;
}
/* Entry k is src[k] --> nbr[k] / src[k] <-- nbr[k] / src[k] --- nbr[k]. */
static inline int causa_i_mg_is_out(const causa_i_mg *mg, int64_t k) {
    return mg->mark[k] == CAUSA_MARK_ARROW && mg->mark[mg->rev[k]] == CAUSA_MARK_TAIL;
}
static inline int causa_i_mg_is_in(const causa_i_mg *mg, int64_t k) {
    return mg->mark[k] == CAUSA_MARK_TAIL && mg->mark[mg->rev[k]] == CAUSA_MARK_ARROW;
}
static inline int causa_i_mg_is_undirected(const causa_i_mg *mg, int64_t k) {
    return mg->mark[k] == CAUSA_MARK_TAIL && mg->mark[mg->rev[k]] == CAUSA_MARK_TAIL;
}
/* Is v --> w an edge? */
static inline int causa_i_mg_directed(const causa_i_mg *mg, int64_t v, int64_t w) {
    int64_t k = causa_i_mg_find(mg, v, w);
    return k >= 0 && causa_i_mg_is_out(mg, k);
}

/* CAUSA_EINVAL naming the first edge that is neither directed nor undirected: the input
 * of `what` must be a DAG (undirected = 0) or a PDAG (undirected = 1). */
int causa_i_mg_check_pdag(causa_ctx *ctx, const causa_graph *g, const causa_i_mg *mg,
                          int undirected, const char *what);
/* CAUSA_ECYCLE naming a directed cycle of mg's directed edges (prefixed by `prefix`), or
 * CAUSA_OK if there is none. topo (may be NULL, else p entries) receives a topological
 * order of the directed part when there is no cycle. O(p + e). */
int causa_i_mg_acyclic(causa_ctx *ctx, causa_i_arena *a, const causa_graph *names,
                       const causa_i_mg *mg, const char *prefix, int64_t *topo);
/* A new graph with the nodes (names and flags) of `like` and the edges of mg, declared of
 * `kind` without a check (the caller guarantees it). */
int causa_i_mg_to_graph(causa_ctx *ctx, const causa_graph *like, const causa_i_mg *mg,
                        int kind, causa_graph **out);
/* "A --> B" for entry k into buf (size >= 8). */
void causa_i_mg_edge_text(const causa_graph *names, const causa_i_mg *mg, int64_t k, char *buf,
                          size_t size);

/* ---- Meek's rules (meek.c) ----
 * A worklist closure over the undirected edges of a PDAG held in a causa_i_mg. The
 * workspace is made once and reused (enumerate.c runs the closure at every branch). */
typedef struct causa_i_meek {
    causa_i_mg *g;
    int64_t *queue;        /* ring of canonical undirected entries (src < nbr) */
    int64_t qhead, qlen;   /* ring of capacity g->m + 1 */
    unsigned char *inq;    /* per entry */
    int64_t *cand;         /* scratch for rule 3: max degree entries */
    int64_t *trail;        /* entries oriented by the closure, in order (src --> nbr) */
    int64_t ntrail;
    int64_t conflict;      /* on CAUSA_ECYCLE from a conflict: the entry, else -1 */
} causa_i_meek;

int causa_i_meek_init(causa_ctx *ctx, causa_i_arena *a, causa_i_mg *g, causa_i_meek *mk);
/* Orients entry k as src --> nbr and records it on the trail (no closure). */
void causa_i_meek_orient(causa_i_meek *mk, int64_t k);
/* Makes the trail entries from `mark` on undirected again and shortens the trail. */
void causa_i_meek_undo(causa_i_meek *mk, int64_t mark);
/* Queues the undirected edges that an orientation of entry k may let a rule orient. */
void causa_i_meek_touch(causa_i_meek *mk, int64_t k);
/* Queues every undirected edge. */
void causa_i_meek_touch_all(causa_i_meek *mk);
/* Runs R1-R4 until no queued edge changes. Returns 1 if two rules want an edge both
 * ways (mk->conflict names it), else 0. Does not check for directed cycles. */
int causa_i_meek_close(causa_i_meek *mk);

/* ---- Dor & Tarsi (extension.c) ----
 * Orients every undirected edge of mg so that no new unshielded collider and no directed
 * cycle appears, by removing sinks one at a time. Returns CAUSA_OK or CAUSA_ENOMEM; *ok is
 * 1 when it succeeded, 0 when the PDAG has no such extension (mg is then partly oriented
 * and *stuck, if not NULL, is one of the nodes that could not be removed). */
int causa_i_dor_tarsi(causa_ctx *ctx, causa_i_arena *a, causa_i_mg *mg, int *ok,
                      int64_t *stuck);

#endif
