/*
 * pag_rules.c: FCI's orientation rules.
 *
 * Zhang (2008), "On the completeness of orientation rules for causal discovery in the
 * presence of latent confounders and selection bias", Artificial Intelligence 172:
 * 1873-1896. Notation: * is any mark; "α *-> β" has an arrowhead at β.
 *   R0  α *-* β *-* γ, α and γ non-adjacent, β a collider by the oracle: α *-> β <-* γ.
 *   R1  α *-> β o-* γ, α, γ non-adjacent                   : β --> γ.
 *   R2  α --> β *-> γ or α *-> β --> γ, and α *-o γ         : α *-> γ.
 *   R3  α *-> β <-* γ, α *-o θ o-* γ, α, γ non-adjacent, θ *-o β : θ *-> β.
 *   R4  a discriminating path <θ, ..., α, β, γ> for β, β o-* γ: by the oracle,
 *       collider: α <-> β <-> γ; otherwise β --> γ.
 *   R5  α o-o β and an uncovered circle path <α, γ, ..., θ, β> with α, θ and β, γ
 *       non-adjacent: α --- β and every edge of the path becomes ---.
 *   R6  α --- β o-* γ                                       : β --* γ.
 *   R7  α --o β o-* γ, α, γ non-adjacent                    : β --* γ.
 *   R8  α --> β --> γ or α --o β --> γ, and α o-> γ         : α --> γ.
 *   R9  α o-> γ and an uncovered potentially directed path <α, β, θ, ..., γ> with β, γ
 *       non-adjacent                                         : α --> γ.
 *   R10 α o-> γ, β --> γ <-- θ, uncovered p.d. paths from α to β and from α to θ whose
 *       second nodes μ, ω are distinct and non-adjacent      : α --> γ.
 * A path is potentially directed (p.d.) from its first node when no edge on it has an
 * arrowhead towards the start or a tail towards the end; uncovered when every three
 * consecutive nodes have non-adjacent ends.
 *
 * Order. With an oracle the rules never conflict and any order gives the same PAG. On data
 * the separating sets may contradict each other (say A *-> B o-o C <-* D, A, C and B, D
 * non-adjacent: R1 makes B --> C from A's side and C --> B from D's), and then the order
 * decides. Zhang leaves it open; the engine follows pcalg 2.7-12's order:
 *  - each rule is one sweep over the pairs (x, y) of its first edge with y outer and x
 *    inner, both ascending (R's column-major which(.., arr.ind = TRUE)), reading the marks
 *    as they are when a pair comes up, except R1's α *-> β: pcalg lists those edges when the
 *    sweep begins, so an arrowhead R1 adds is used from its next sweep on;
 *  - CAUSA_I_PAG_SCHED_FCI (pcalg's udag2pag, FCI): rounds of R1, R2, R3, R4 until a round
 *    changes no mark, then rounds of R5, R6, R7, then rounds of R8, R9, R10, never going
 *    back (Zhang's order: his proofs for R5-R10 assume a graph closed under R1-R4);
 *  - CAUSA_I_PAG_SCHED_RFCI (pcalg's udag2apag, RFCI): rounds of R1 to R10.
 * The path rules search exactly (every simple path; pcalg's breadth-first searches mark
 * nodes visited and so can miss an uncovered path through a node reached first by a
 * covered one): R9 and R10 only ask whether a path exists; R5 orients the shortest
 * (lexicographically smallest among the shortest), the path pcalg's search finds when it
 * finds one. tests/data/fci/README.md, "Conflicting separating sets", has the comparison.
 */
#include <string.h>

#include "pag_rules.h"

enum { TAIL = CAUSA_MARK_TAIL, ARROW = CAUSA_MARK_ARROW, CIRCLE = CAUSA_MARK_CIRCLE };

typedef struct ws {
    causa_i_mg *g;
    causa_i_pag_rules *r;
    int64_t *path, *iter, *queue, *cand, *vis;
    int64_t visit_stamp;
    unsigned char *onpath;
    unsigned char *snap;  /* 2m: the marks when R1's sweep began */
    unsigned char *round; /* 2m: the marks when the round began */
} ws;

/* Sets the mark of entry k (the mark at nbr[k]), counting changes. */
static void put(ws *w, int64_t k, int mark) {
    if (w->g->mark[k] != mark) {
        w->g->mark[k] = (unsigned char)mark;
        w->r->changes++;
    }
}

/* Sets the mark at v of the edge u - v. */
static void set_at(ws *w, int64_t u, int64_t v, int mark) {
    put(w, causa_i_mg_find(w->g, u, v), mark);
}

/* Entry k is o-o. */
static int circle_circle(const causa_i_mg *g, int64_t k) {
    return g->mark[k] == CIRCLE && g->mark[g->rev[k]] == CIRCLE;
}

/* Entry k (from its node x to y) is p.d. from x: no arrowhead at x, no tail at y. */
static int pd_edge(const causa_i_mg *g, int64_t k) {
    return g->mark[g->rev[k]] != ARROW && g->mark[k] != TAIL;
}

/* ---- R0 ---- */

int causa_i_pag_orient_colliders(causa_ctx *ctx, causa_i_mg *g, causa_i_pag_rules *r) {
    (void)ctx;
    for (int64_t b = 0; b < g->p; b++)
        for (int64_t i = g->off[b]; i < g->off[b + 1]; i++)
            for (int64_t j = i + 1; j < g->off[b + 1]; j++) {
                int64_t x = g->nbr[i], y = g->nbr[j];
                if (causa_i_mg_adjacent(g, x, y) || !r->collider(r->ud, x, x, b, y)) continue;
                for (int64_t k = 0; k < 2; k++) {
                    int64_t e = g->rev[k ? j : i]; /* entry of x (or y) pointing at b */
                    if (g->mark[e] != ARROW) {
                        g->mark[e] = ARROW;
                        r->changes++;
                    }
                }
            }
    return CAUSA_OK;
}

/* ---- R1-R4 ---- */

static void rule1(ws *w) {
    causa_i_mg *g = w->g;
    memcpy(w->snap, g->mark, (size_t)(2 * g->m));
    for (int64_t b = 0; b < g->p; b++)
        for (int64_t i = g->off[b]; i < g->off[b + 1]; i++) {
            if (w->snap[g->rev[i]] != ARROW) continue; /* α *-> β when the sweep began */
            int64_t a = g->nbr[i];
            for (int64_t j = g->off[b]; j < g->off[b + 1]; j++) {
                int64_t c = g->nbr[j];
                if (c == a || g->mark[g->rev[j]] != CIRCLE || causa_i_mg_adjacent(g, a, c))
                    continue;
                put(w, g->rev[j], TAIL); /* β --> γ */
                put(w, j, ARROW);
            }
        }
}

static void rule2(ws *w) {
    causa_i_mg *g = w->g;
    for (int64_t c = 0; c < g->p; c++)
        for (int64_t i = g->off[c]; i < g->off[c + 1]; i++) {
            int64_t a = g->nbr[i], k = g->rev[i]; /* k: α's entry, its mark is at γ */
            if (g->mark[k] != CIRCLE) continue;   /* α *-o γ */
            for (int64_t j = g->off[a]; j < g->off[a + 1]; j++) {
                int64_t b = g->nbr[j];
                if (b == c || g->mark[j] != ARROW) continue; /* α *-> β */
                int64_t kb = causa_i_mg_find(g, b, c);
                if (kb < 0 || g->mark[kb] != ARROW) continue; /* β *-> γ */
                if (g->mark[g->rev[j]] == TAIL || g->mark[g->rev[kb]] == TAIL) {
                    put(w, k, ARROW);
                    break;
                }
            }
        }
}

static void rule3(ws *w) {
    causa_i_mg *g = w->g;
    for (int64_t t = 0; t < g->p; t++)
        for (int64_t k = g->off[t]; k < g->off[t + 1]; k++) {
            if (g->mark[k] != CIRCLE) continue; /* θ *-o β */
            int64_t b = g->nbr[k], nc = 0;
            for (int64_t j = g->off[t]; j < g->off[t + 1]; j++) {
                int64_t a = g->nbr[j];
                if (a == b || g->mark[g->rev[j]] != CIRCLE) continue; /* α *-o θ */
                int64_t kb = causa_i_mg_find(g, a, b);
                if (kb >= 0 && g->mark[kb] == ARROW) w->cand[nc++] = a; /* α *-> β */
            }
            int found = 0;
            for (int64_t i = 0; i < nc && !found; i++)
                for (int64_t j = i + 1; j < nc && !found; j++)
                    found = !causa_i_mg_adjacent(g, w->cand[i], w->cand[j]);
            if (found) put(w, k, ARROW);
        }
}

/* A discriminating path <θ, ..., α, β, γ> for β: breadth-first back from α through nodes
 * that are colliders on the path and parents of γ (pcalg's minDiscrPath). Returns θ or -1.
 * Walks suffice: where a node repeats, cutting the loop keeps it a collider and a parent
 * of γ. */
static int64_t discriminating(ws *w, int64_t a, int64_t b, int64_t c) {
    causa_i_mg *g = w->g;
    int64_t stamp = ++w->visit_stamp, head = 0, tail = 0;
    w->vis[a] = w->vis[b] = w->vis[c] = stamp;
    w->queue[tail++] = a;
    while (head < tail) {
        int64_t x = w->queue[head++];
        for (int64_t j = g->off[x]; j < g->off[x + 1]; j++) {
            int64_t d = g->nbr[j];
            if (w->vis[d] == stamp || g->mark[g->rev[j]] != ARROW) continue; /* d *-> x */
            int64_t kd = causa_i_mg_find(g, d, c);
            if (kd < 0) return d;
            if (g->mark[j] == ARROW && g->mark[kd] == ARROW && g->mark[g->rev[kd]] == TAIL) {
                w->vis[d] = stamp; /* d <-> x and d --> γ: d may sit inside the path */
                w->queue[tail++] = d;
            }
        }
    }
    return -1;
}

static void rule4(ws *w) {
    causa_i_mg *g = w->g;
    for (int64_t c = 0; c < g->p; c++)
        for (int64_t kb = g->off[c]; kb < g->off[c + 1]; kb++) {
            int64_t b = g->nbr[kb];
            for (int64_t ka = g->off[c]; ka < g->off[c + 1]; ka++) {
                if (g->mark[kb] != CIRCLE) break; /* β o-* γ (re-read: may have changed) */
                int64_t a = g->nbr[ka];
                if (a == b || g->mark[g->rev[ka]] != ARROW || g->mark[ka] != TAIL)
                    continue; /* α --> γ */
                int64_t kab = causa_i_mg_find(g, a, b);
                if (kab < 0 || g->mark[g->rev[kab]] != ARROW) continue; /* α <-* β */
                int64_t t = discriminating(w, a, b, c);
                if (t < 0) continue;
                if (w->r->collider(w->r->ud, t, a, b, c)) {
                    set_at(w, a, b, ARROW);
                    set_at(w, c, b, ARROW);
                    set_at(w, b, c, ARROW);
                } else {
                    set_at(w, c, b, TAIL);
                    set_at(w, b, c, ARROW);
                }
            }
        }
}

/* ---- path searches ---- */

enum { PATH_PD, PATH_CIRCLE };

/* Is there an uncovered path <s0, s1, ..., target> (s0 - s1 given, s1 != target) of at
 * most maxn nodes, not through `avoid` (-1: none), whose edges are all p.d. from the start
 * (PATH_PD) or all o-o (PATH_CIRCLE) and whose node before target is not adjacent to
 * `guard` (-1: no such condition)? Depth-first over simple paths, neighbours ascending, so
 * the path found is the lexicographically smallest of those of the fewest nodes when maxn
 * is raised one at a time. Its nodes are left in w->path[0 .. *len - 1]. */
static int path_search(ws *w, int kind, int64_t s0, int64_t s1, int64_t target, int64_t avoid,
                       int64_t guard, int64_t maxn, int64_t *len) {
    causa_i_mg *g = w->g;
    int64_t depth = 2, found = 0;
    w->path[0] = s0;
    w->path[1] = s1;
    w->onpath[s0] = w->onpath[s1] = 1;
    if (avoid >= 0) w->onpath[avoid] = 1;
    w->iter[1] = g->off[s1];
    while (depth >= 2 && !found) {
        int64_t cur = w->path[depth - 1], prev = w->path[depth - 2];
        if (w->iter[depth - 1] == g->off[cur + 1]) {
            w->onpath[cur] = 0;
            depth--;
            continue;
        }
        int64_t k = w->iter[depth - 1]++, x = g->nbr[k];
        if (w->onpath[x]) continue;
        if (kind == PATH_PD ? !pd_edge(g, k) : !circle_circle(g, k)) continue;
        if (causa_i_mg_adjacent(g, prev, x)) continue; /* uncovered */
        if (x == target) {
            if (guard >= 0 && causa_i_mg_adjacent(g, cur, guard)) continue;
            w->path[depth++] = x;
            found = 1;
            break;
        }
        if (depth + 1 >= maxn) continue; /* no room left for the target */
        w->onpath[x] = 1;
        w->path[depth] = x;
        w->iter[depth] = g->off[x];
        depth++;
    }
    for (int64_t i = 0; i < depth; i++) w->onpath[w->path[i]] = 0;
    if (avoid >= 0) w->onpath[avoid] = 0;
    *len = depth;
    return (int)found;
}

/* Is there an uncovered p.d. path <a, b, ..., target>? (R9, R10: only existence matters.) */
static int pd_path(ws *w, int64_t a, int64_t b, int64_t target) {
    int64_t len;
    return path_search(w, PATH_PD, a, b, target, -1, -1, w->g->p + 1, &len);
}

/* ---- R5-R7 ---- */

/* For α o-o β: the o-o neighbours γ of α not adjacent to β (outer) and θ of β not adjacent
 * to α (inner), ascending, as pcalg's R5; the first pair joined by an uncovered circle path
 * <α, γ, ..., θ, β> (the shortest) makes that path and α - β undirected. One search per γ
 * first (any θ), so that the searches per θ and per length run only where R5 fires. */
static void rule5(ws *w) {
    causa_i_mg *g = w->g;
    for (int64_t b = 0; b < g->p; b++)
        for (int64_t k = g->off[b]; k < g->off[b + 1]; k++) {
            int64_t a = g->nbr[k], len = 0;
            if (!circle_circle(g, k)) continue; /* α o-o β */
            int found = 0;
            for (int64_t jc = g->off[a]; jc < g->off[a + 1] && !found; jc++) {
                int64_t c = g->nbr[jc];
                if (c == b || !circle_circle(g, jc) || causa_i_mg_adjacent(g, c, b)) continue;
                if (!path_search(w, PATH_CIRCLE, a, c, b, -1, a, g->p + 1, &len)) continue;
                for (int64_t jd = g->off[b]; jd < g->off[b + 1] && !found; jd++) {
                    int64_t d = g->nbr[jd], most;
                    if (d == a || !circle_circle(g, jd) || causa_i_mg_adjacent(g, d, a) ||
                        !path_search(w, PATH_CIRCLE, a, c, d, b, b, g->p + 1, &most))
                        continue;
                    for (int64_t n = 3; n <= most && !found; n++) /* the shortest */
                        found = path_search(w, PATH_CIRCLE, a, c, d, b, b, n, &len);
                }
            }
            if (!found) continue;
            w->path[len++] = b; /* <α, γ, ..., θ, β> */
            causa_i_mg_set(g, k, TAIL, TAIL);
            for (int64_t i = 0; i + 1 < len; i++)
                causa_i_mg_set(g, causa_i_mg_find(g, w->path[i], w->path[i + 1]), TAIL, TAIL);
            w->r->changes += 2 * len; /* all were circles */
        }
}

/* R6 and R7: for β o-* γ (γ outer, β inner), the circle at β becomes a tail when β has an
 * undirected edge (R6) or an edge α --o β with α, γ non-adjacent (R7). */
static void rule6(ws *w) {
    causa_i_mg *g = w->g;
    for (int64_t c = 0; c < g->p; c++)
        for (int64_t i = g->off[c]; i < g->off[c + 1]; i++) {
            int64_t b = g->nbr[i];
            if (g->mark[i] != CIRCLE) continue; /* β o-* γ */
            for (int64_t j = g->off[b]; j < g->off[b + 1]; j++)
                if (causa_i_mg_is_undirected(g, j)) { /* α --- β */
                    put(w, i, TAIL);
                    break;
                }
        }
}

static void rule7(ws *w) {
    causa_i_mg *g = w->g;
    for (int64_t c = 0; c < g->p; c++)
        for (int64_t i = g->off[c]; i < g->off[c + 1]; i++) {
            int64_t b = g->nbr[i];
            if (g->mark[i] != CIRCLE) continue; /* β o-* γ */
            for (int64_t j = g->off[b]; j < g->off[b + 1]; j++) {
                int64_t a = g->nbr[j];
                if (a == c || g->mark[j] != TAIL || g->mark[g->rev[j]] != CIRCLE ||
                    causa_i_mg_adjacent(g, a, c))
                    continue; /* α --o β, α and γ non-adjacent */
                put(w, i, TAIL);
                break;
            }
        }
}

/* ---- R8-R10: for α o-> γ (γ outer, α inner), the circle at α becomes a tail ---- */

/* Entry i of γ's list points at α, and α o-> γ. */
static int circle_arrow(const causa_i_mg *g, int64_t i) {
    return g->mark[i] == CIRCLE && g->mark[g->rev[i]] == ARROW;
}

static void rule8(ws *w) {
    causa_i_mg *g = w->g;
    for (int64_t c = 0; c < g->p; c++)
        for (int64_t i = g->off[c]; i < g->off[c + 1]; i++) {
            int64_t a = g->nbr[i];
            if (!circle_arrow(g, i)) continue; /* α o-> γ */
            for (int64_t j = g->off[a]; j < g->off[a + 1]; j++) {
                int64_t b = g->nbr[j]; /* α --> β or α --o β, and β --> γ */
                if (b == c || g->mark[g->rev[j]] != TAIL || g->mark[j] == TAIL) continue;
                int64_t kb = causa_i_mg_find(g, b, c);
                if (kb >= 0 && causa_i_mg_is_out(g, kb)) {
                    put(w, i, TAIL);
                    break;
                }
            }
        }
}

static void rule9(ws *w) {
    causa_i_mg *g = w->g;
    for (int64_t c = 0; c < g->p; c++)
        for (int64_t i = g->off[c]; i < g->off[c + 1]; i++) {
            int64_t a = g->nbr[i];
            if (!circle_arrow(g, i)) continue; /* α o-> γ */
            for (int64_t j = g->off[a]; j < g->off[a + 1]; j++) {
                int64_t b = g->nbr[j]; /* an uncovered p.d. path <α, β, θ, ..., γ> */
                if (b == c || !pd_edge(g, j) || causa_i_mg_adjacent(g, b, c)) continue;
                if (pd_path(w, a, b, c)) {
                    put(w, i, TAIL);
                    break;
                }
            }
        }
}

static void rule10(ws *w) {
    causa_i_mg *g = w->g;
    for (int64_t c = 0; c < g->p; c++)
        for (int64_t i = g->off[c]; i < g->off[c + 1]; i++) {
            int64_t a = g->nbr[i];
            if (!circle_arrow(g, i)) continue; /* α o-> γ */
            int done = 0;
            /* parents β, θ of γ reached from α by uncovered p.d. paths starting at distinct
             * non-adjacent μ, ω */
            for (int64_t ib = g->off[c]; ib < g->off[c + 1] && !done; ib++) {
                int64_t b = g->nbr[ib];
                if (b == a || !causa_i_mg_is_in(g, ib)) continue; /* β --> γ */
                for (int64_t it = ib + 1; it < g->off[c + 1] && !done; it++) {
                    int64_t t = g->nbr[it];
                    if (t == a || !causa_i_mg_is_in(g, it)) continue; /* θ --> γ */
                    /* first nodes towards β in cand[0..nb), towards θ in cand[nb..nc) */
                    int64_t nb = 0, nc = 0;
                    for (int pass = 0; pass < 2; pass++) {
                        int64_t goal = pass ? t : b;
                        for (int64_t j = g->off[a]; j < g->off[a + 1]; j++) {
                            int64_t mu = g->nbr[j];
                            if (mu == c || !pd_edge(g, j)) continue;
                            if (mu == goal || pd_path(w, a, mu, goal)) w->cand[nc++] = mu;
                        }
                        if (!pass) nb = nc;
                    }
                    for (int64_t x = 0; x < nb && !done; x++)
                        for (int64_t y = nb; y < nc && !done; y++)
                            done = w->cand[x] != w->cand[y] &&
                                   !causa_i_mg_adjacent(g, w->cand[x], w->cand[y]);
                }
            }
            if (done) put(w, i, TAIL);
        }
}

/* ---- the schedule ---- */

/* Starts a round: remembers the marks. */
static void round_begin(ws *w) { memcpy(w->round, w->g->mark, (size_t)(2 * w->g->m)); }
/* Did the round change a mark? (pcalg compares the matrices) */
static int round_changed(const ws *w) {
    return memcmp(w->round, w->g->mark, (size_t)(2 * w->g->m)) != 0;
}

int causa_i_pag_apply_rules(causa_ctx *ctx, causa_i_arena *a, causa_i_mg *g, causa_i_pag_rules *r) {
    int rc = CAUSA_OK;
    int64_t p = g->p, maxdeg = 0;
    for (int64_t v = 0; v < p; v++) maxdeg = CAUSA_MAX(maxdeg, g->off[v + 1] - g->off[v]);
    ws w = {g, r, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    size_t nm = (size_t)(2 * g->m + 1);
    w.path = causa_i_arena_alloc(a, (size_t)(p + 2) * sizeof *w.path);
    w.iter = causa_i_arena_alloc(a, (size_t)(p + 2) * sizeof *w.iter);
    w.queue = causa_i_arena_alloc(a, (size_t)(p + 2) * sizeof *w.queue);
    w.cand = causa_i_arena_alloc(a, (size_t)(2 * maxdeg + 2) * sizeof *w.cand);
    w.vis = causa_i_arena_alloc0(a, (size_t)(p + 2) * sizeof *w.vis);
    w.onpath = causa_i_arena_alloc0(a, (size_t)p + 2);
    w.snap = causa_i_arena_alloc(a, nm);
    w.round = causa_i_arena_alloc(a, nm);
    if (!w.path || !w.iter || !w.queue || !w.cand || !w.vis || !w.onpath || !w.snap || !w.round)
        return CAUSA_ENOMEM;
    int all = r->schedule == CAUSA_I_PAG_SCHED_RFCI;
    do { /* R1-R4 (RFCI: R1-R10) */
        CAUSA_TRY(causa_i_check_interrupt(ctx));
        round_begin(&w);
        rule1(&w);
        rule2(&w);
        rule3(&w);
        rule4(&w);
        if (all && (r->groups & CAUSA_I_PAG_R567)) {
            rule5(&w);
            rule6(&w);
            rule7(&w);
        }
        if (all && (r->groups & CAUSA_I_PAG_R8910)) {
            rule8(&w);
            rule9(&w);
            rule10(&w);
        }
    } while (round_changed(&w));
    if (!all && (r->groups & CAUSA_I_PAG_R567)) do {
            CAUSA_TRY(causa_i_check_interrupt(ctx));
            round_begin(&w);
            rule5(&w);
            rule6(&w);
            rule7(&w);
        } while (round_changed(&w));
    if (!all && (r->groups & CAUSA_I_PAG_R8910)) do {
            CAUSA_TRY(causa_i_check_interrupt(ctx));
            round_begin(&w);
            rule8(&w);
            rule9(&w);
            rule10(&w);
        } while (round_changed(&w));
done:
    return rc;
}
