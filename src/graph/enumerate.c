/*
 * enumerate.c: every DAG of the Markov equivalence class of a CPDAG.
 *
 * Branch on an undirected edge: orient it one way, close under Meek's rules R1-R4, recurse;
 * then the other way. The two branches share no DAG, so nothing is listed twice, and Meek's
 * rules are complete for a CPDAG with added orientations (Meek 1995): every edge left
 * undirected after the closure can still go either way, so every branch ends in at least
 * one DAG and the work is polynomial per DAG listed (output-polynomial). The search is an
 * explicit stack (no recursion, whatever the number of undirected edges) and undoes
 * orientations from a trail instead of copying the graph. For a PDAG that is not a CPDAG
 * a branch may still dead-end; each leaf is checked (acyclic, no unshielded collider that
 * the PDAG lacks) so only its consistent extensions are listed.
 */
#include "equiv_i.h"
#include "graph_i.h"

typedef struct frame {
    int64_t at;   /* index into the list of originally undirected edges */
    int64_t mark; /* trail length before this branch */
    int state;    /* 0: next try forward, 1: next try backward, 2: exhausted */
} frame;

/* Is the fully oriented mg a DAG without new unshielded colliders? */
static int leaf_ok(const causa_i_mg *g, const int64_t *und, int64_t nund, int64_t *indeg,
                   int64_t *queue) {
    for (int64_t i = 0; i < nund; i++) {
        int64_t k = und[i];
        if (!causa_i_mg_is_out(g, k)) k = g->rev[k];
        int64_t a = g->src[k], b = g->nbr[k]; /* a --> b, undirected in the PDAG */
        for (int64_t j = g->off[b]; j < g->off[b + 1]; j++)
            if (g->nbr[j] != a && causa_i_mg_is_in(g, j) && !causa_i_mg_adjacent(g, a, g->nbr[j]))
                return 0;
    }
    for (int64_t v = 0; v < g->p; v++) {
        indeg[v] = 0;
        for (int64_t k = g->off[v]; k < g->off[v + 1]; k++) indeg[v] += causa_i_mg_is_in(g, k);
    }
    int64_t head = 0, tail = 0;
    for (int64_t v = 0; v < g->p; v++)
        if (indeg[v] == 0) queue[tail++] = v;
    while (head < tail) {
        int64_t v = queue[head++];
        for (int64_t k = g->off[v]; k < g->off[v + 1]; k++)
            if (causa_i_mg_is_out(g, k) && --indeg[g->nbr[k]] == 0) queue[tail++] = g->nbr[k];
    }
    return tail == g->p;
}

int causa_graph_enumerate_dags(causa_ctx *ctx, const causa_graph *cpdag, int64_t max,
                               causa_graph_visit_fn fn, void *ud, int64_t *visited) {
    if (!ctx || !cpdag || !fn)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_enumerate_dags: NULL argument");
    if (visited) *visited = 0;
    if (max < 0)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "causa_graph_enumerate_dags: max must be >= 0 (0 = no limit), got %lld",
                             (long long)max);
    int rc = CAUSA_OK;
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    causa_graph *dag = NULL;
    int64_t count = 0;
    causa_i_mg g;
    causa_i_meek mk;
    CAUSA_TRY(causa_i_mg_from_graph(ctx, &a, cpdag, "causa_graph_enumerate_dags", &g));
    CAUSA_TRY(causa_i_mg_check_pdag(ctx, cpdag, &g, 1, "causa_graph_enumerate_dags"));
    CAUSA_TRY(causa_i_mg_acyclic(ctx, &a, cpdag, &g,
                                 "causa_graph_enumerate_dags: the CPDAG has a ", NULL));
    CAUSA_TRY(causa_i_meek_init(ctx, &a, &g, &mk));
    causa_i_meek_touch_all(&mk);
    if (causa_i_meek_close(&mk)) goto done; /* an inconsistent PDAG: its class is empty */

    int64_t *und = causa_i_arena_alloc(&a, (size_t)(g.m + 1) * sizeof *und);
    frame *stack = causa_i_arena_alloc(&a, (size_t)(g.m + 1) * sizeof *stack);
    int64_t *indeg = causa_i_arena_alloc(&a, (size_t)(g.p + 1) * sizeof *indeg);
    int64_t *queue = causa_i_arena_alloc(&a, (size_t)(g.p + 1) * sizeof *queue);
    if (!und || !stack || !indeg || !queue) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    int64_t nund = 0;
    for (int64_t k = 0; k < 2 * g.m; k++)
        if (g.src[k] < g.nbr[k] && causa_i_mg_is_undirected(&g, k)) und[nund++] = k;
    CAUSA_TRY(causa_i_mg_to_graph(ctx, cpdag, &g, CAUSA_KIND_PDAG, &dag));

    /* The first undirected edge at or after position `from`, or nund. */
#define NEXT_UNDIRECTED(from, out)                                                        \
    do {                                                                                  \
        int64_t i_ = (from);                                                              \
        while (i_ < nund && !causa_i_mg_is_undirected(&g, und[i_])) i_++;                 \
        (out) = i_;                                                                       \
    } while (0)

    int64_t depth = 0, first;
    NEXT_UNDIRECTED(0, first);
    int at_leaf = first == nund; /* a DAG already */
    if (!at_leaf) stack[depth++] = (frame){first, mk.ntrail, 0};
    for (;;) {
        if (at_leaf) {
            at_leaf = 0;
            if (leaf_ok(&g, und, nund, indeg, queue)) {
                for (int64_t i = 0; i < nund; i++) {
                    int64_t k = und[i];
                    CAUSA_TRY(causa_graph_set_marks(ctx, dag, g.src[k], g.nbr[k],
                                                    causa_i_mg_here(&g, k),
                                                    causa_i_mg_there(&g, k)));
                }
                causa_i_graph_set_kind_unchecked(dag, CAUSA_KIND_DAG);
                count++;
                if (fn(ud, dag) != 0 || (max > 0 && count >= max)) break;
                CAUSA_TRY(causa_i_check_interrupt(ctx));
            }
        }
        if (depth == 0) break;
        frame *fr = &stack[depth - 1];
        if (fr->state == 2) {
            causa_i_meek_undo(&mk, fr->mark);
            depth--;
            continue;
        }
        causa_i_meek_undo(&mk, fr->mark);
        int64_t e = und[fr->at];
        if (fr->state == 1) e = g.rev[e];
        fr->state++;
        causa_i_meek_orient(&mk, e);
        causa_i_meek_touch(&mk, e);
        if (causa_i_meek_close(&mk)) continue; /* dead end: try the next state */
        int64_t next;
        NEXT_UNDIRECTED(fr->at + 1, next);
        if (next == nund)
            at_leaf = 1;
        else
            stack[depth++] = (frame){next, mk.ntrail, 0};
    }
#undef NEXT_UNDIRECTED
done:
    if (visited) *visited = count;
    causa_graph_free(dag);
    causa_i_arena_release(&a);
    return rc;
}
