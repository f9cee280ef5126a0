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
 * consecutive nodes have non-adjacent ends. R1-R4 are run to closure before R5-R10,
 * whose soundness Zhang proves on graphs closed under R1-R4.
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
} ws;

static void set_at(ws *w, int64_t u, int64_t v, int mark) {
    int64_t k = causa_i_mg_find(w->g, u, v);
    if (w->g->mark[k] != mark) {
        w->g->mark[k] = (unsigned char)mark;
        w->r->changes++;
    }
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

static int64_t rule1(ws *w) {
    causa_i_mg *g = w->g;
    int64_t n = 0;
    for (int64_t b = 0; b < g->p; b++)
        for (int64_t i = g->off[b]; i < g->off[b + 1]; i++) {
            if (g->mark[g->rev[i]] != ARROW) continue; /* α *-> β */
            int64_t a = g->nbr[i];
            for (int64_t j = g->off[b]; j < g->off[b + 1]; j++) {
                int64_t c = g->nbr[j];
                if (c == a || g->mark[g->rev[j]] != CIRCLE || causa_i_mg_adjacent(g, a, c)) continue;
                causa_i_mg_set(g, j, TAIL, ARROW); /* β --> γ */
                n++;
            }
        }
    return n;
}

static int64_t rule2(ws *w) {
    causa_i_mg *g = w->g;
    int64_t n = 0;
    for (int64_t a = 0; a < g->p; a++)
        for (int64_t k = g->off[a]; k < g->off[a + 1]; k++) {
            if (g->mark[k] != CIRCLE) continue; /* α *-o γ */
            int64_t c = g->nbr[k];
            for (int64_t j = g->off[a]; j < g->off[a + 1]; j++) {
                int64_t b = g->nbr[j];
                if (b == c || g->mark[j] != ARROW) continue; /* α *-> β */
                int64_t kb = causa_i_mg_find(g, b, c);
                if (kb < 0 || g->mark[kb] != ARROW) continue; /* β *-> γ */
                if (g->mark[g->rev[j]] == TAIL || g->mark[g->rev[kb]] == TAIL) {
                    g->mark[k] = ARROW;
                    n++;
                    break;
                }
            }
        }
    return n;
}

static int64_t rule3(ws *w) {
    causa_i_mg *g = w->g;
    int64_t n = 0;
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
            if (found) {
                g->mark[k] = ARROW;
                n++;
            }
        }
    return n;
}

/* A discriminating path <θ, ..., α, β, γ> for β: breadth-first back from α through nodes
 * that are colliders on the path and parents of γ. Returns θ or -1. Walks suffice: where
 * a node repeats, cutting the loop keeps it a collider and a parent of γ. */
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

static int64_t rule4(ws *w) {
    causa_i_mg *g = w->g;
    int64_t n = 0;
    for (int64_t c = 0; c < g->p; c++)
        for (int64_t kb = g->off[c]; kb < g->off[c + 1]; kb++) {
            int64_t b = g->nbr[kb];
            for (int64_t ka = g->off[c]; ka < g->off[c + 1]; ka++) {
                if (g->mark[kb] != CIRCLE) break; /* β o-* γ (re-read: may have changed) */
                int64_t a = g->nbr[ka];
                if (a == b || g->mark[g->rev[ka]] != ARROW || g->mark[ka] != TAIL) continue; /* α --> γ */
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
                n++;
            }
        }
    return n;
}

/* ---- path searches ---- */

enum { PATH_PD, PATH_CIRCLE };

/* Is there an uncovered path <s0, s1, ..., target> (s0 - s1 given, s1 != target) whose
 * edges are all p.d. from the start (PATH_PD) or all o-o (PATH_CIRCLE)? With PATH_CIRCLE
 * the node before target must also be non-adjacent to s0 (R5). Depth-first over simple
 * paths; the nodes of the path found are left in w->path[0 .. *len - 1]. */
static int path_search(ws *w, int kind, int64_t s0, int64_t s1, int64_t target, int64_t *len) {
    causa_i_mg *g = w->g;
    int64_t depth = 2, found = 0;
    w->path[0] = s0;
    w->path[1] = s1;
    w->onpath[s0] = w->onpath[s1] = 1;
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
        if (kind == PATH_PD) {
            if (g->mark[g->rev[k]] == ARROW || g->mark[k] == TAIL) continue;
        } else if (g->mark[k] != CIRCLE || g->mark[g->rev[k]] != CIRCLE) {
            continue;
        }
        if (causa_i_mg_adjacent(g, prev, x)) continue; /* uncovered */
        if (x == target) {
            if (kind == PATH_CIRCLE && causa_i_mg_adjacent(g, cur, s0)) continue;
            w->path[depth++] = x;
            found = 1;
            break;
        }
        w->onpath[x] = 1;
        w->path[depth] = x;
        w->iter[depth] = g->off[x];
        depth++;
    }
    for (int64_t i = 0; i < depth; i++) w->onpath[w->path[i]] = 0;
    *len = depth;
    return (int)found;
}

/* ---- R5-R7 ---- */

static int64_t rule5(ws *w) {
    causa_i_mg *g = w->g;
    int64_t n = 0;
    for (int64_t a = 0; a < g->p; a++)
        for (int64_t k = g->off[a]; k < g->off[a + 1]; k++) {
            int64_t b = g->nbr[k];
            if (g->mark[k] != CIRCLE || g->mark[g->rev[k]] != CIRCLE) continue; /* α o-o β */
            for (int64_t j = g->off[a]; j < g->off[a + 1]; j++) {
                int64_t c = g->nbr[j], len;
                if (c == b || g->mark[j] != CIRCLE || g->mark[g->rev[j]] != CIRCLE ||
                    causa_i_mg_adjacent(g, c, b))
                    continue;
                if (!path_search(w, PATH_CIRCLE, a, c, b, &len)) continue;
                causa_i_mg_set(g, k, TAIL, TAIL);
                for (int64_t i = 0; i + 1 < len; i++)
                    causa_i_mg_set(g, causa_i_mg_find(g, w->path[i], w->path[i + 1]), TAIL, TAIL);
                n++;
                break;
            }
        }
    return n;
}

static int64_t rule67(ws *w) {
    causa_i_mg *g = w->g;
    int64_t n = 0;
    for (int64_t b = 0; b < g->p; b++)
        for (int64_t i = g->off[b]; i < g->off[b + 1]; i++) {
            int ma = g->mark[i], mb = g->mark[g->rev[i]]; /* marks at α and at β */
            int r6 = ma == TAIL && mb == TAIL;   /* α --- β */
            int r7 = ma == TAIL && mb == CIRCLE; /* α --o β */
            if (!r6 && !r7) continue;
            int64_t a = g->nbr[i];
            for (int64_t j = g->off[b]; j < g->off[b + 1]; j++) {
                int64_t c = g->nbr[j];
                if (c == a || g->mark[g->rev[j]] != CIRCLE) continue; /* β o-* γ */
                if (r7 && causa_i_mg_adjacent(g, a, c)) continue;
                g->mark[g->rev[j]] = TAIL;
                n++;
            }
        }
    return n;
}

/* ---- R8-R10 ---- */

static int64_t rule8910(ws *w) {
    causa_i_mg *g = w->g;
    int64_t n = 0;
    for (int64_t a = 0; a < g->p; a++)
        for (int64_t k = g->off[a]; k < g->off[a + 1]; k++) {
            if (g->mark[k] != ARROW || g->mark[g->rev[k]] != CIRCLE) continue; /* α o-> γ */
            int64_t c = g->nbr[k];
            int done = 0;
            /* R8: α --> β --> γ or α --o β --> γ */
            for (int64_t j = g->off[a]; j < g->off[a + 1] && !done; j++) {
                int64_t b = g->nbr[j];
                if (b == c || g->mark[g->rev[j]] != TAIL || g->mark[j] == TAIL) continue;
                int64_t kb = causa_i_mg_find(g, b, c);
                done = kb >= 0 && g->mark[kb] == ARROW && g->mark[g->rev[kb]] == TAIL;
            }
            /* R9: an uncovered p.d. path <α, β, θ, ..., γ>, β and γ non-adjacent */
            for (int64_t j = g->off[a]; j < g->off[a + 1] && !done; j++) {
                int64_t b = g->nbr[j], len;
                if (b == c || g->mark[g->rev[j]] == ARROW || g->mark[j] == TAIL ||
                    causa_i_mg_adjacent(g, b, c))
                    continue;
                done = path_search(w, PATH_PD, a, b, c, &len);
            }
            /* R10: parents β, θ of γ reached from α by uncovered p.d. paths starting at
             * distinct non-adjacent μ, ω. */
            for (int64_t i = g->off[c]; i < g->off[c + 1] && !done; i++) {
                int64_t b = g->nbr[i];
                if (b == a || !causa_i_mg_is_in(g, i)) continue; /* β --> γ */
                for (int64_t i2 = i + 1; i2 < g->off[c + 1] && !done; i2++) {
                    int64_t t = g->nbr[i2];
                    if (t == a || !causa_i_mg_is_in(g, i2)) continue; /* θ --> γ */
                    /* first nodes towards β in cand[0..nb), towards θ in cand[nb..nc) */
                    int64_t nb = 0, nc = 0;
                    for (int pass = 0; pass < 2; pass++) {
                        int64_t goal = pass ? t : b;
                        for (int64_t j = g->off[a]; j < g->off[a + 1]; j++) {
                            int64_t mu = g->nbr[j], len;
                            if (g->mark[g->rev[j]] == ARROW || g->mark[j] == TAIL) continue;
                            if (mu == goal || (mu != c && path_search(w, PATH_PD, a, mu, goal, &len)))
                                w->cand[nc++] = mu;
                        }
                        if (!pass) nb = nc;
                    }
                    for (int64_t x = 0; x < nb && !done; x++)
                        for (int64_t y = nb; y < nc && !done; y++)
                            done = w->cand[x] != w->cand[y] &&
                                   !causa_i_mg_adjacent(g, w->cand[x], w->cand[y]);
                }
            }
            if (done) {
                g->mark[g->rev[k]] = TAIL;
                n++;
            }
        }
    return n;
}

int causa_i_pag_apply_rules(causa_ctx *ctx, causa_i_arena *a, causa_i_mg *g,
                            causa_i_pag_rules *r) {
    int rc = CAUSA_OK;
    int64_t p = g->p, maxdeg = 0;
    for (int64_t v = 0; v < p; v++) maxdeg = CAUSA_MAX(maxdeg, g->off[v + 1] - g->off[v]);
    ws w = {g, r, NULL, NULL, NULL, NULL, NULL, 0, NULL};
    w.path = causa_i_arena_alloc(a, (size_t)(p + 2) * sizeof *w.path);
    w.iter = causa_i_arena_alloc(a, (size_t)(p + 2) * sizeof *w.iter);
    w.queue = causa_i_arena_alloc(a, (size_t)(p + 2) * sizeof *w.queue);
    w.cand = causa_i_arena_alloc(a, (size_t)(2 * maxdeg + 2) * sizeof *w.cand);
    w.vis = causa_i_arena_alloc0(a, (size_t)(p + 2) * sizeof *w.vis);
    w.onpath = causa_i_arena_alloc0(a, (size_t)p + 2);
    if (!w.path || !w.iter || !w.queue || !w.cand || !w.vis || !w.onpath) return CAUSA_ENOMEM;
    for (;;) {
        int64_t n;
        do {
            CAUSA_TRY(causa_i_check_interrupt(ctx));
            n = rule1(&w) + rule2(&w) + rule3(&w) + rule4(&w);
            r->changes += n;
        } while (n > 0);
        n = 0;
        if (r->groups & CAUSA_I_PAG_R567) n += rule5(&w) + rule67(&w);
        if (r->groups & CAUSA_I_PAG_R8910) n += rule8910(&w);
        r->changes += n;
        if (n == 0) break;
    }
done:
    return rc;
}
