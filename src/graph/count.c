/*
 * count.c: the number of DAGs in the Markov equivalence class of a CPDAG.
 *
 * The class size is the product, over the chain components (connected components of the
 * undirected edges, each chordal), of the number of acyclic moral orientations (AMOs) of
 * that component. AMOs are counted by Clique-Picking: Wienoebst, Bannach & Liskiewicz
 * (2021), "Polynomial-time algorithms for counting and sampling Markov equivalent DAGs",
 * AAAI (journal version JMLR 24, 2023). For a connected chordal graph G with clique tree T
 * rooted at some clique,
 *
 *     #AMO(G) = sum over maximal cliques C of  phi(C, FP(C)) * product over H in C_G(C) of #AMO(H)
 *
 *  - every AMO has exactly one maximal clique that comes first in its topological order
 *    ("picking" that clique); the AMOs that start with C factor into the orders of C and
 *    the AMOs of the subproblems C_G(C): the undirected components left once C is
 *    oriented outwards and the consequences are propagated;
 *  - an order of C may also be the start of an AMO that is counted at another clique: the
 *    orders of C that begin with a minimal separator shared with a clique nearer the root
 *    are counted there. FP(C) lists the sizes of those separators (walking up the rooted
 *    clique tree, keeping the separators contained in C, strictly shrinking), and
 *    phi(C, FP) counts the orders of C that start with none of them, by inclusion-exclusion:
 *    with 0 = f_0 < f_1 < ... < f_l the sizes, phi_j = (|C| - f_j)! - sum_{k > j}
 *    (f_k - f_j)! phi_k, and phi = phi_0.
 * The clique tree comes from a maximum cardinality search (MCS; Blair & Peyton 1993; a new
 * clique starts when a vertex's visited neighbours are not the last clique). The
 * subproblems C_G(C) come from an MCS that visits C first: each time it picks a vertex that
 * is not yet in a subproblem, the not-yet-assigned vertices of maximum cardinality form a
 * set whose connected components are subproblems (the authors' MCS variant of the
 * LBFS-based construction of the paper). Subproblems are memoised by vertex set, so each
 * induced subgraph is counted once. Trees (n AMOs) and complete graphs (n!) are answered
 * directly. Numbers are kept as a 64-bit-mantissa float with a separate 64-bit exponent:
 * exact up to 2^64, and never overflowing, so log10 of the count is always available.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "equiv_i.h"
#include "graph_i.h"

/* ---- numbers: m * 2^e, 0.5 <= m < 1 (or m = 0) ---- */

typedef struct xnum {
    long double m;
    int64_t e;
} xnum;

static xnum xn_make(long double m, int64_t e) {
    if (m == 0) return (xnum){0, 0};
    int k;
    m = frexpl(m, &k);
    return (xnum){m, e + k};
}
static xnum xn_int(int64_t v) { return xn_make((long double)v, 0); }
static xnum xn_mul(xnum a, xnum b) { return xn_make(a.m * b.m, a.e + b.e); }
static xnum xn_add(xnum a, xnum b) {
    if (a.m == 0) return b;
    if (b.m == 0) return a;
    if (a.e < b.e) {
        xnum t = a;
        a = b;
        b = t;
    }
    int64_t d = a.e - b.e;
    if (d > 100) return a;
    return xn_make(a.m + ldexpl(b.m, (int)-d), a.e);
}
static xnum xn_sub(xnum a, xnum b) { return xn_add(a, (xnum){-b.m, b.e}); }

/* ---- memo of vertex sets ---- */

typedef struct memo_entry {
    uint64_t hash;
    int64_t n;
    const int64_t *verts; /* sorted node ids, arena memory */
    xnum value;
    int done;
} memo_entry;

typedef struct counter {
    causa_ctx *ctx;
    causa_i_arena *arena;
    const causa_graph *names;
    int64_t p;
    const int64_t *uoff, *unbr; /* undirected adjacency, sorted */
    int64_t *loc, *inset, stamp;
    xnum *fact; /* 0..p */
    memo_entry *memo;
    int64_t nmemo, capmemo;
    int64_t *table; /* memo indices, -1 = empty */
    int64_t tcap;   /* power of two */
} counter;

static uint64_t set_hash(const int64_t *v, int64_t n) {
    uint64_t h = 0x6a09e667f3bcc909ull ^ (uint64_t)n;
    for (int64_t i = 0; i < n; i++) {
        h = (h ^ (uint64_t)v[i]) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    return h;
}

static int table_grow(counter *c) {
    int64_t ncap = c->tcap ? 2 * c->tcap : 64;
    int64_t *t = causa_i_malloc(c->ctx, (size_t)ncap * sizeof *t);
    if (!t) return causa_i_nomem(c->ctx, "subproblem table", (size_t)ncap * sizeof *t);
    for (int64_t i = 0; i < ncap; i++) t[i] = -1;
    for (int64_t id = 0; id < c->nmemo; id++) {
        uint64_t s = c->memo[id].hash & (uint64_t)(ncap - 1);
        while (t[s] >= 0) s = (s + 1) & (uint64_t)(ncap - 1);
        t[s] = id;
    }
    causa_i_free(c->ctx, c->table);
    c->table = t;
    c->tcap = ncap;
    return CAUSA_OK;
}

/* The memo id of the sorted vertex set v[0..n-1], added if new. */
static int memo_get(counter *c, const int64_t *v, int64_t n, int64_t *id) {
    int rc = CAUSA_OK;
    if (2 * (c->nmemo + 1) > c->tcap) CAUSA_TRY(table_grow(c));
    uint64_t h = set_hash(v, n);
    uint64_t s = h & (uint64_t)(c->tcap - 1);
    for (; c->table[s] >= 0; s = (s + 1) & (uint64_t)(c->tcap - 1)) {
        const memo_entry *e = &c->memo[c->table[s]];
        if (e->hash == h && e->n == n && memcmp(e->verts, v, (size_t)n * sizeof *v) == 0) {
            *id = c->table[s];
            return CAUSA_OK;
        }
    }
    if (c->nmemo == c->capmemo) {
        int64_t ncap = c->capmemo ? 2 * c->capmemo : 64;
        memo_entry *m = causa_i_realloc(c->ctx, c->memo, (size_t)ncap * sizeof *m);
        if (!m) return causa_i_nomem(c->ctx, "subproblems", (size_t)ncap * sizeof *m);
        c->memo = m;
        c->capmemo = ncap;
    }
    int64_t *copy = causa_i_arena_alloc(c->arena, (size_t)n * sizeof *copy);
    if (!copy) return CAUSA_ENOMEM;
    memcpy(copy, v, (size_t)n * sizeof *v);
    c->memo[c->nmemo] = (memo_entry){h, n, copy, {0, 0}, 0};
    c->table[s] = c->nmemo;
    *id = c->nmemo++;
done:
    return rc;
}

/* ---- one connected chordal graph (a memo entry) ---- */

/* Per-call workspace over the n local vertices. */
typedef struct frame {
    int64_t n, m2; /* vertices, adjacency entries (2 * edges) */
    int64_t *off, *adj;
    int64_t *order, *pos, *card, *head, *tail, *nxt, *prv;
    unsigned char *flag;
    int64_t *gmark, *queue, *group, *comp;
    int64_t *cl_off, *cl_v, *parent, *sep, *clique_of, *imark, *fp, *subs;
    xnum *phi;
    int64_t ncl;
} frame;

static void b_front(frame *f, int64_t b, int64_t v) {
    f->prv[v] = -1;
    f->nxt[v] = f->head[b];
    if (f->head[b] >= 0)
        f->prv[f->head[b]] = v;
    else
        f->tail[b] = v;
    f->head[b] = v;
}
static void b_back(frame *f, int64_t b, int64_t v) {
    f->nxt[v] = -1;
    f->prv[v] = f->tail[b];
    if (f->tail[b] >= 0)
        f->nxt[f->tail[b]] = v;
    else
        f->head[b] = v;
    f->tail[b] = v;
}
static void b_remove(frame *f, int64_t b, int64_t v) {
    if (f->prv[v] >= 0)
        f->nxt[f->prv[v]] = f->nxt[v];
    else
        f->head[b] = f->nxt[v];
    if (f->nxt[v] >= 0)
        f->prv[f->nxt[v]] = f->prv[v];
    else
        f->tail[b] = f->prv[v];
}

static int cmp_i64(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Splits the group f->group[0..ng-1] into connected components and records each as a
 * subproblem (memo id appended to f->subs). */
static int emit_group(counter *c, frame *f, const int64_t *verts, int64_t ng, int64_t *nsubs,
                      int64_t stamp) {
    int rc = CAUSA_OK;
    for (int64_t i = 0; i < ng; i++) f->gmark[f->group[i]] = stamp;
    for (int64_t i = 0; i < ng; i++) {
        int64_t s = f->group[i];
        if (f->gmark[s] != stamp) continue;
        int64_t nq = 0, head = 0;
        f->queue[nq++] = s;
        f->gmark[s] = -stamp;
        while (head < nq) {
            int64_t v = f->queue[head++];
            for (int64_t k = f->off[v]; k < f->off[v + 1]; k++)
                if (f->gmark[f->adj[k]] == stamp) {
                    f->gmark[f->adj[k]] = -stamp;
                    f->queue[nq++] = f->adj[k];
                }
        }
        /* local indices are in the order of the (sorted) global ids */
        qsort(f->queue, (size_t)nq, sizeof *f->queue, cmp_i64);
        for (int64_t j = 0; j < nq; j++) f->comp[j] = verts[f->queue[j]];
        int64_t id;
        CAUSA_TRY(memo_get(c, f->comp, nq, &id));
        f->subs[(*nsubs)++] = id;
    }
done:
    return rc;
}

/* Maximum cardinality search visiting K[0..nk-1] first. The order goes to f->order. With
 * c != NULL, the subproblems C_G(K) are appended to f->subs. */
static int mcs(counter *c, frame *f, const int64_t *verts, const int64_t *K, int64_t nk,
               int64_t *nsubs) {
    int rc = CAUSA_OK;
    int64_t n = f->n, kpos = 0, maxc = 0, groups = 0;
    for (int64_t b = 0; b <= n; b++) f->head[b] = f->tail[b] = -1;
    for (int64_t v = 0; v < n; v++) {
        f->flag[v] = 0;
        f->gmark[v] = 0;
    }
    for (int64_t i = 0; i < nk; i++) f->flag[K[i]] = 1;
    for (int64_t v = 0; v < n; v++) {
        f->card[v] = 0;
        if (f->flag[v])
            b_back(f, 0, v);
        else
            b_front(f, 0, v);
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t v = kpos < nk ? K[kpos++] : f->head[maxc];
        if (!f->flag[v] && c) {
            int64_t ng = 0;
            for (int64_t x = f->head[maxc]; x >= 0 && !f->flag[x]; x = f->nxt[x]) {
                f->flag[x] = 1;
                f->group[ng++] = x;
            }
            CAUSA_TRY(emit_group(c, f, verts, ng, nsubs, ++groups));
        }
        f->flag[v] = 1;
        b_remove(f, f->card[v], v);
        f->card[v] = -1;
        f->order[i] = v;
        f->pos[v] = i;
        for (int64_t k = f->off[v]; k < f->off[v + 1]; k++) {
            int64_t w = f->adj[k];
            if (f->card[w] < 0) continue;
            b_remove(f, f->card[w], w);
            f->card[w]++;
            if (f->flag[w])
                b_back(f, f->card[w], w);
            else
                b_front(f, f->card[w], w);
        }
        maxc++;
        while (maxc >= 0 && f->head[maxc] < 0) maxc--;
        if (maxc < 0) maxc = 0;
    }
done:
    return rc;
}

static int local_adjacent(const frame *f, int64_t u, int64_t w) {
    int64_t lo = f->off[u], hi = f->off[u + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (f->adj[mid] < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->off[u + 1] && f->adj[lo] == w;
}

/* Is the MCS order a reverse perfect elimination order? (Tarjan & Yannakakis 1984: the
 * visited neighbours of each vertex, minus the last visited one, are neighbours of it.)
 * Returns a vertex where it fails, or -1. */
static int64_t peo_violation(const frame *f) {
    for (int64_t i = 0; i < f->n; i++) {
        int64_t v = f->order[i], last = -1;
        for (int64_t k = f->off[v]; k < f->off[v + 1]; k++)
            if (f->pos[f->adj[k]] < i && (last < 0 || f->pos[f->adj[k]] > f->pos[last]))
                last = f->adj[k];
        if (last < 0) continue;
        for (int64_t k = f->off[v]; k < f->off[v + 1]; k++) {
            int64_t w = f->adj[k];
            if (w != last && f->pos[w] < i && !local_adjacent(f, last, w)) return v;
        }
    }
    return -1;
}

/* Maximal cliques and a clique tree from the MCS order in f->order (Blair & Peyton). */
static void clique_tree(frame *f) {
    int64_t n = f->n, fill = 0, cur = -1, cur_size = 0;
    for (int64_t v = 0; v < n; v++) f->imark[v] = -1; /* imark: last clique holding v */
    for (int64_t i = 0; i < n; i++) {
        int64_t x = f->order[i], s = 0, last = -1;
        int same = cur >= 0;
        for (int64_t k = f->off[x]; k < f->off[x + 1]; k++) {
            int64_t u = f->adj[k];
            if (f->pos[u] >= i) continue;
            s++;
            if (f->imark[u] != cur) same = 0;
            if (last < 0 || f->pos[u] > f->pos[last]) last = u;
        }
        if (s != cur_size) same = 0;
        if (!same) {
            cur = f->ncl++;
            f->cl_off[cur] = fill;
            f->parent[cur] = last >= 0 ? f->clique_of[last] : -1;
            f->sep[cur] = s;
            for (int64_t k = f->off[x]; k < f->off[x + 1]; k++) {
                int64_t u = f->adj[k];
                if (f->pos[u] < i) {
                    f->cl_v[fill++] = u;
                    f->imark[u] = cur;
                }
            }
            cur_size = s;
        }
        f->cl_v[fill++] = x;
        f->imark[x] = cur;
        cur_size++;
        f->clique_of[x] = cur;
    }
    f->cl_off[f->ncl] = fill;
}

/* phi(C, FP(C)) for clique ci of the rooted clique tree. */
static xnum clique_phi(const counter *c, frame *f, int64_t ci) {
    for (int64_t k = f->cl_off[ci]; k < f->cl_off[ci + 1]; k++) f->imark[f->cl_v[k]] = ci;
    int64_t nfp = 0, ip = -1, succ = -1;
    for (int64_t cur = ci; f->parent[cur] >= 0;) {
        cur = f->parent[cur];
        int64_t iv = 0;
        for (int64_t k = f->cl_off[cur]; k < f->cl_off[cur + 1]; k++) iv += f->imark[f->cl_v[k]] == ci;
        if (succ >= 0) ip = f->sep[succ]; /* |K[cur] ∩ K[succ]|, succ a child of cur */
        succ = cur;
        if (iv == 0) break;
        if (iv >= ip && (nfp == 0 || iv < f->fp[nfp - 1])) f->fp[nfp++] = iv;
    }
    /* sizes ascending with 0 first: f_0 = 0, then fp reversed */
    int64_t l = nfp + 1, size = f->cl_off[ci + 1] - f->cl_off[ci];
    int64_t *sz = f->fp + nfp; /* room after the list */
    sz[0] = 0;
    for (int64_t j = 0; j < nfp; j++) sz[j + 1] = f->fp[nfp - 1 - j];
    for (int64_t j = l - 1; j >= 0; j--) {
        xnum v = c->fact[size - sz[j]];
        for (int64_t k = j + 1; k < l; k++)
            v = xn_sub(v, xn_mul(c->fact[sz[k] - sz[j]], f->phi[k]));
        f->phi[j] = v;
    }
    return f->phi[0];
}

static int count_set(counter *c, int64_t id, int check);

static int count_set(counter *c, int64_t id, int check) {
    int rc = CAUSA_OK;
    void *block = NULL;
    CAUSA_TRY(causa_i_check_interrupt(c->ctx));
    int64_t n = c->memo[id].n;
    const int64_t *verts = c->memo[id].verts;
    xnum result;
    if (n <= 2) {
        result = xn_int(n);
        goto store;
    }
    c->stamp++;
    for (int64_t i = 0; i < n; i++) {
        c->inset[verts[i]] = c->stamp;
        c->loc[verts[i]] = i;
    }
    int64_t m2 = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t k = c->uoff[verts[i]]; k < c->uoff[verts[i] + 1]; k++)
            m2 += c->inset[c->unbr[k]] == c->stamp;
    if (m2 == 2 * (n - 1)) { /* a tree: one AMO per source */
        result = xn_int(n);
        goto store;
    }
    if (m2 == n * (n - 1)) { /* complete: every order */
        result = c->fact[n];
        goto store;
    }
    /* One block for the workspace. */
    frame f = {0};
    f.n = n;
    f.m2 = m2;
    size_t words = (size_t)(n + 1) + (size_t)m2 + 13 * (size_t)(n + 1) + 2 * (size_t)(n + 1) +
                   (size_t)(n + m2 / 2 + 1) + 4 * (size_t)(n + 1) + 2 * (size_t)(n + 2);
    size_t bytes = words * sizeof(int64_t) + (size_t)(n + 2) * sizeof(xnum) + (size_t)n + 16;
    block = causa_i_malloc(c->ctx, bytes);
    if (!block) {
        rc = causa_i_nomem(c->ctx, "a clique-picking workspace", bytes);
        goto done;
    }
    xnum *xp = block;
    f.phi = xp;
    int64_t *w = (int64_t *)(xp + n + 2);
    f.off = w, w += n + 1;
    f.adj = w, w += m2;
    f.order = w, w += n + 1;
    f.pos = w, w += n + 1;
    f.card = w, w += n + 1;
    f.head = w, w += n + 1;
    f.tail = w, w += n + 1;
    f.nxt = w, w += n + 1;
    f.prv = w, w += n + 1;
    f.gmark = w, w += n + 1;
    f.queue = w, w += n + 1;
    f.group = w, w += n + 1;
    f.comp = w, w += n + 1;
    f.subs = w, w += n + 1;
    f.clique_of = w, w += n + 1;
    f.parent = w, w += n + 1;
    f.sep = w, w += n + 1;
    f.cl_v = w, w += n + m2 / 2 + 1;
    f.cl_off = w, w += n + 1;
    f.imark = w, w += n + 1;
    f.fp = w, w += 2 * (n + 2); /* fp list, then the ascending sizes */
    f.flag = (unsigned char *)w;
    /* local adjacency: verts sorted, so local ids follow global ids and stay sorted */
    int64_t fill = 0;
    for (int64_t i = 0; i < n; i++) {
        f.off[i] = fill;
        for (int64_t k = c->uoff[verts[i]]; k < c->uoff[verts[i] + 1]; k++)
            if (c->inset[c->unbr[k]] == c->stamp) f.adj[fill++] = c->loc[c->unbr[k]];
    }
    f.off[n] = fill;

    int64_t dummy = 0;
    CAUSA_TRY(mcs(NULL, &f, verts, NULL, 0, &dummy));
    if (check) {
        int64_t bad = peo_violation(&f);
        if (bad >= 0) {
            rc = causa_i_error(c->ctx, CAUSA_EINVAL,
                               "causa_graph_count_dags: the undirected component containing %s "
                               "is not chordal, so the graph is not a CPDAG",
                               causa_graph_name(c->names, verts[bad]));
            goto done;
        }
    }
    clique_tree(&f);
    /* clique_tree used imark for its own purpose; phi marks with clique ids from 0 up */
    for (int64_t v = 0; v < n; v++) f.imark[v] = -1;
    result = (xnum){0, 0};
    for (int64_t ci = 0; ci < f.ncl; ci++) {
        xnum phi = clique_phi(c, &f, ci);
        int64_t nsubs = 0;
        CAUSA_TRY(mcs(c, &f, verts, f.cl_v + f.cl_off[ci], f.cl_off[ci + 1] - f.cl_off[ci], &nsubs));
        xnum prod = xn_int(1);
        for (int64_t s = 0; s < nsubs; s++) {
            int64_t sid = f.subs[s];
            if (!c->memo[sid].done) CAUSA_TRY(count_set(c, sid, 0));
            prod = xn_mul(prod, c->memo[sid].value);
        }
        result = xn_add(result, xn_mul(phi, prod));
    }
store:
    c->memo[id].value = result;
    c->memo[id].done = 1;
done:
    causa_i_free(c->ctx, block);
    return rc;
}

int causa_graph_count_dags(causa_ctx *ctx, const causa_graph *cpdag, double *count,
                           double *log10_count) {
    if (!ctx || !cpdag)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_count_dags: NULL argument");
    int rc = CAUSA_OK;
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    counter c = {0};
    causa_i_mg g;
    CAUSA_TRY(causa_i_mg_from_graph(ctx, &a, cpdag, "causa_graph_count_dags", &g));
    CAUSA_TRY(causa_i_mg_check_pdag(ctx, cpdag, &g, 1, "causa_graph_count_dags"));
    CAUSA_TRY(causa_i_mg_acyclic(ctx, &a, cpdag, &g, "causa_graph_count_dags: the CPDAG has a ",
                                 NULL));
    int64_t p = g.p;
    c.ctx = ctx;
    c.arena = &a;
    c.names = cpdag;
    c.p = p;
    int64_t *uoff = causa_i_arena_alloc(&a, (size_t)(p + 1) * sizeof *uoff);
    int64_t *unbr = causa_i_arena_alloc(&a, (size_t)(2 * g.m + 1) * sizeof *unbr);
    c.loc = causa_i_arena_alloc(&a, (size_t)(p + 1) * sizeof *c.loc);
    c.inset = causa_i_arena_alloc0(&a, (size_t)(p + 1) * sizeof *c.inset);
    c.fact = causa_i_arena_alloc(&a, (size_t)(p + 2) * sizeof *c.fact);
    int64_t *comp = causa_i_arena_alloc(&a, (size_t)(p + 1) * sizeof *comp);
    unsigned char *seen = causa_i_arena_alloc0(&a, (size_t)p + 1);
    if (!uoff || !unbr || !c.loc || !c.inset || !c.fact || !comp || !seen) {
        rc = CAUSA_ENOMEM;
        goto done;
    }
    int64_t fill = 0;
    for (int64_t v = 0; v < p; v++) {
        uoff[v] = fill;
        for (int64_t k = g.off[v]; k < g.off[v + 1]; k++)
            if (causa_i_mg_is_undirected(&g, k)) unbr[fill++] = g.nbr[k];
    }
    uoff[p] = fill;
    c.uoff = uoff;
    c.unbr = unbr;
    c.fact[0] = xn_int(1);
    for (int64_t i = 1; i <= p; i++) c.fact[i] = xn_mul(c.fact[i - 1], xn_int(i));

    xnum total = xn_int(1);
    for (int64_t s = 0; s < p; s++) {
        if (seen[s] || uoff[s + 1] == uoff[s]) continue;
        int64_t n = 0, head = 0;
        comp[n++] = s;
        seen[s] = 1;
        while (head < n) {
            int64_t v = comp[head++];
            for (int64_t k = uoff[v]; k < uoff[v + 1]; k++)
                if (!seen[unbr[k]]) {
                    seen[unbr[k]] = 1;
                    comp[n++] = unbr[k];
                }
        }
        qsort(comp, (size_t)n, sizeof *comp, cmp_i64);
        int64_t id;
        CAUSA_TRY(memo_get(&c, comp, n, &id));
        if (!c.memo[id].done) CAUSA_TRY(count_set(&c, id, 1));
        total = xn_mul(total, c.memo[id].value);
    }
    if (count) {
        long double v = ldexpl(total.m, (int)CAUSA_MAX(CAUSA_MIN(total.e, 20000), -20000));
        *count = v > (long double)1.7976931348623157e308 ? HUGE_VAL : (double)v;
    }
    if (log10_count) /* directly while the value fits, so a count of 1 gives exactly 0 */
        *log10_count = total.e < 16000
                           ? (double)log10l(ldexpl(total.m, (int)total.e))
                           : (double)(log10l(total.m) + (long double)total.e * 0.30102999566398119521L);
done:
    causa_i_free(ctx, c.memo);
    causa_i_free(ctx, c.table);
    causa_i_arena_release(&a);
    return rc;
}
