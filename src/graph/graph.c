/*
 * graph.c: storage of causa's one graph type: nodes, names, edges with a mark at each end,
 * node flags, edge labels, copying and iteration.
 *
 * The representation follows the adjacency-array ("CSR-like, but growable") layout used by
 * igraph and networkit rather than a p x p matrix, so that memory is O(p + e): each node
 * keeps a sorted array of packed 32-bit entries (neighbour, mark here, mark there); lookups
 * are binary searches, O(log deg). Inserting in increasing neighbour order (the usual way
 * graphs are built and read) appends at the end; an arbitrary insertion costs O(deg) for the
 * memmove, which is a few microseconds even at degree 10 000. See graph_i.h for the layout.
 *
 * Any change to the edges sets the declared kind back to MIXED: the kind promises that a
 * check passed, and the check was about the old edges.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "graph_i.h"

/* ---- kinds ---- */

static const char *const kind_names[] = {"mixed", "dag", "pdag", "cpdag", "mag", "pag", "admg"};

const char *causa_graph_kind_name(int kind) {
    if (kind < 0 || kind > CAUSA_KIND_ADMG) return NULL;
    return kind_names[kind];
}

int causa_graph_kind_from_name(const char *name) {
    if (!name) return -1;
    for (int k = 0; k <= CAUSA_KIND_ADMG; k++)
        if (strcasecmp(name, kind_names[k]) == 0) return k;
    return -1;
}

int causa_graph_kind(const causa_graph *g) { return g ? g->kind : CAUSA_KIND_MIXED; }

void causa_i_graph_set_kind_unchecked(causa_graph *g, int kind) { g->kind = kind; }

/* ---- small helpers ---- */

void causa_i_edge_glyph(int ma, int mb, char out[4]) {
    out[0] = ma == CAUSA_MARK_ARROW ? '<' : ma == CAUSA_MARK_CIRCLE ? 'o' : '-';
    out[1] = '-';
    out[2] = mb == CAUSA_MARK_ARROW ? '>' : mb == CAUSA_MARK_CIRCLE ? 'o' : '-';
    out[3] = '\0';
}

int causa_i_buf_edge(causa_i_buf *buf, const causa_graph *g, int64_t a, int64_t b, int ma,
                     int mb) {
    char glyph[4];
    causa_i_edge_glyph(ma, mb, glyph);
    return causa_i_buf_printf(buf, "%s %s %s", causa_graph_name(g, a), glyph,
                              causa_graph_name(g, b));
}

int causa_i_graph_check_node(causa_ctx *ctx, const causa_graph *g, int64_t v, const char *what) {
    if (v < 0 || v >= g->p)
        return causa_i_error(ctx, CAUSA_EINVAL, "%s must be a node index in [0, %lld), got %lld",
                             what, (long long)g->p, (long long)v);
    return CAUSA_OK;
}

static int check_mark(causa_ctx *ctx, int mark, const char *what) {
    if (mark < CAUSA_MARK_TAIL || mark > CAUSA_MARK_CIRCLE)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "%s must be CAUSA_MARK_TAIL (1), ARROW (2) or CIRCLE (3), got %d",
                             what, mark);
    return CAUSA_OK;
}

/* FNV-1a: names are short, and this is simple and good enough for open addressing. */
static uint64_t hash_str(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ^ (h >> 29);
}

static uint64_t hash_u64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

static const char *name_of(const causa_graph *g, int64_t v) { return g->pool + g->name_off[v]; }

/* ---- the name table ---- */

/* Slot holding `name`, or the empty slot where it would go. */
static size_t name_slot(const causa_graph *g, const int32_t *table, size_t cap, const char *name) {
    size_t mask = cap - 1, i = (size_t)hash_str(name) & mask;
    while (table[i] >= 0 && strcmp(name_of(g, table[i]), name) != 0) i = (i + 1) & mask;
    return i;
}

/* Rebuilds the name table with capacity cap for nodes 0..n-1. Duplicate names are
 * reported as the index of the second one in *dup (else -1). */
static int name_table_build(causa_ctx *ctx, causa_graph *g, size_t cap, int64_t n, int64_t *dup) {
    int32_t *t = causa_i_malloc(g->ctx, causa_i_mul_size(cap, sizeof *t));
    if (!t) return causa_i_nomem(ctx, "graph name table", causa_i_mul_size(cap, sizeof *t));
    memset(t, 0xff, cap * sizeof *t);
    *dup = -1;
    for (int64_t v = 0; v < n; v++) {
        size_t s = name_slot(g, t, cap, name_of(g, v));
        if (t[s] >= 0) {
            *dup = v;
            break;
        }
        t[s] = (int32_t)v;
    }
    causa_i_free(g->ctx, g->name_hash);
    g->name_hash = t;
    g->hash_cap = cap;
    return CAUSA_OK;
}

static size_t table_cap_for(int64_t n) {
    size_t cap = 16;
    while (cap < (size_t)n * 2 + 2) cap *= 2;
    return cap;
}

/* Makes room for `extra` more bytes in the name pool. */
static int pool_reserve(causa_ctx *ctx, causa_graph *g, size_t extra) {
    if (g->pool_len + extra <= g->pool_cap) return CAUSA_OK;
    size_t cap = g->pool_cap ? g->pool_cap : 64;
    while (cap < g->pool_len + extra) cap += cap / 2 + 16;
    char *np = causa_i_realloc(g->ctx, g->pool, cap);
    if (!np) return causa_i_nomem(ctx, "graph node names", cap);
    g->pool = np;
    g->pool_cap = cap;
    return CAUSA_OK;
}

/* Makes room for node arrays of `n` nodes. */
static int nodes_reserve(causa_ctx *ctx, causa_graph *g, int64_t n) {
    if (n <= g->pcap) return CAUSA_OK;
    int64_t cap = g->pcap ? g->pcap + g->pcap / 2 + 4 : n;
    if (cap < n) cap = n;
    causa_i_node *nd = causa_i_realloc(g->ctx, g->nodes, causa_i_mul_size((size_t)cap, sizeof *nd));
    if (!nd) return causa_i_nomem(ctx, "graph nodes", (size_t)cap * sizeof *nd);
    g->nodes = nd;
    unsigned char *fl = causa_i_realloc(g->ctx, g->flags, (size_t)cap);
    if (!fl) return causa_i_nomem(ctx, "graph node flags", (size_t)cap);
    g->flags = fl;
    size_t *off = causa_i_realloc(g->ctx, g->name_off, causa_i_mul_size((size_t)cap, sizeof *off));
    if (!off) return causa_i_nomem(ctx, "graph node names", (size_t)cap * sizeof *off);
    g->name_off = off;
    g->pcap = cap;
    return CAUSA_OK;
}

/* ---- creation ---- */

static int graph_alloc(causa_ctx *ctx, causa_graph **out) {
    causa_graph *g = causa_i_malloc(ctx, sizeof *g);
    if (!g) return causa_i_nomem(ctx, "graph", sizeof *g);
    memset(g, 0, sizeof *g);
    g->ctx = ctx;
    g->kind = CAUSA_KIND_MIXED;
    *out = g;
    return CAUSA_OK;
}

int causa_graph_new(causa_ctx *ctx, int64_t p, const char *const *names, causa_graph **out) {
    if (!ctx || !out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_new: NULL argument");
    *out = NULL;
    if (p < 0 || p > CAUSA_I_GRAPH_MAX_NODES)
        return causa_i_error(ctx, CAUSA_EINVAL, "number of nodes must be in [0, %lld], got %lld",
                             (long long)CAUSA_I_GRAPH_MAX_NODES, (long long)p);
    size_t total = 0;
    if (names) {
        for (int64_t v = 0; v < p; v++) {
            if (!names[v] || !names[v][0])
                return causa_i_error(ctx, CAUSA_EINVAL, "node %lld has %s name", (long long)v,
                                     names[v] ? "an empty" : "a NULL");
            total += strlen(names[v]) + 1;
        }
    } else {
        char tmp[32];
        for (int64_t v = 0; v < p; v++) total += (size_t)snprintf(tmp, sizeof tmp, "X%lld", (long long)v + 1) + 1;
    }
    int rc = CAUSA_OK;
    causa_graph *g = NULL;
    CAUSA_TRY(graph_alloc(ctx, &g));
    CAUSA_TRY(nodes_reserve(ctx, g, p > 0 ? p : 1));
    CAUSA_TRY(pool_reserve(ctx, g, total > 0 ? total : 1));
    for (int64_t v = 0; v < p; v++) {
        g->nodes[v] = (causa_i_node){NULL, 0, 0};
        g->flags[v] = 0;
        g->name_off[v] = g->pool_len;
        if (names) {
            size_t n = strlen(names[v]) + 1;
            memcpy(g->pool + g->pool_len, names[v], n);
            g->pool_len += n;
        } else {
            g->pool_len += (size_t)snprintf(g->pool + g->pool_len, g->pool_cap - g->pool_len,
                                            "X%lld", (long long)v + 1) + 1;
        }
    }
    g->p = p;
    int64_t dup;
    CAUSA_TRY(name_table_build(ctx, g, table_cap_for(p), p, &dup));
    if (dup >= 0) {
        rc = causa_i_error(ctx, CAUSA_EINVAL, "node name \"%s\" is given twice (node %lld)",
                           name_of(g, dup), (long long)dup);
        goto done;
    }
    *out = g;
    g = NULL;
done:
    causa_graph_free(g);
    return rc;
}

void causa_graph_free(causa_graph *g) {
    if (!g) return;
    causa_ctx *c = g->ctx;
    if (g->nodes)
        for (int64_t v = 0; v < g->p; v++) causa_i_free(c, g->nodes[v].adj);
    causa_i_free(c, g->nodes);
    causa_i_free(c, g->flags);
    causa_i_free(c, g->name_off);
    causa_i_free(c, g->pool);
    causa_i_free(c, g->name_hash);
    if (g->label_keys)
        for (size_t i = 0; i < g->label_cap; i++)
            if (g->label_keys[i] != UINT64_MAX) causa_i_free(c, g->label_vals[i]);
    causa_i_free(c, g->label_keys);
    causa_i_free(c, g->label_vals);
    causa_i_free(c, g);
}

int causa_graph_copy(causa_ctx *ctx, const causa_graph *g, causa_graph **out) {
    if (!ctx || !g || !out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_copy: NULL argument");
    *out = NULL;
    int rc = CAUSA_OK;
    causa_graph *c = NULL;
    CAUSA_TRY(graph_alloc(ctx, &c));
    CAUSA_TRY(nodes_reserve(ctx, c, g->p > 0 ? g->p : 1));
    for (int64_t v = 0; v < g->p; v++) c->nodes[v] = (causa_i_node){NULL, 0, 0};
    c->p = g->p; /* from here causa_graph_free(c) frees the adjacency arrays */
    CAUSA_TRY(pool_reserve(ctx, c, g->pool_len > 0 ? g->pool_len : 1));
    memcpy(c->pool, g->pool, g->pool_len);
    c->pool_len = g->pool_len;
    if (g->p > 0) {
        memcpy(c->flags, g->flags, (size_t)g->p);
        memcpy(c->name_off, g->name_off, (size_t)g->p * sizeof *c->name_off);
    }
    for (int64_t v = 0; v < g->p; v++) {
        uint32_t d = g->nodes[v].deg;
        if (d == 0) continue;
        causa_i_adj *a = causa_i_malloc(ctx, d * sizeof *a);
        if (!a) {
            rc = causa_i_nomem(ctx, "graph adjacency", d * sizeof *a);
            goto done;
        }
        memcpy(a, g->nodes[v].adj, d * sizeof *a);
        c->nodes[v] = (causa_i_node){a, d, d};
    }
    c->name_hash = causa_i_malloc(ctx, g->hash_cap * sizeof *c->name_hash);
    if (!c->name_hash) {
        rc = causa_i_nomem(ctx, "graph name table", g->hash_cap * sizeof *c->name_hash);
        goto done;
    }
    memcpy(c->name_hash, g->name_hash, g->hash_cap * sizeof *c->name_hash);
    c->hash_cap = g->hash_cap;
    if (g->label_count > 0) {
        c->label_keys = causa_i_malloc(ctx, g->label_cap * sizeof *c->label_keys);
        c->label_vals = causa_i_calloc(ctx, g->label_cap, sizeof *c->label_vals);
        if (!c->label_keys || !c->label_vals) {
            rc = causa_i_nomem(ctx, "graph edge labels", g->label_cap * sizeof(char *));
            goto done;
        }
        c->label_cap = g->label_cap;
        /* Empty keys first, so that a failure half way leaves a table free can walk. */
        memset(c->label_keys, 0xff, g->label_cap * sizeof *c->label_keys);
        for (size_t i = 0; i < g->label_cap; i++) {
            if (g->label_keys[i] == UINT64_MAX) continue;
            char *s = causa_i_strdup(ctx, g->label_vals[i]);
            if (!s) {
                rc = causa_i_nomem(ctx, "graph edge label", strlen(g->label_vals[i]) + 1);
                goto done;
            }
            c->label_keys[i] = g->label_keys[i];
            c->label_vals[i] = s;
            c->label_count++;
        }
    }
    c->nedges = g->nedges;
    c->kind = g->kind;
    *out = c;
    c = NULL;
done:
    causa_graph_free(c);
    return rc;
}

/* ---- nodes ---- */

int64_t causa_graph_nnodes(const causa_graph *g) { return g ? g->p : 0; }
int64_t causa_graph_nedges(const causa_graph *g) { return g ? g->nedges : 0; }

const char *causa_graph_name(const causa_graph *g, int64_t v) {
    if (!g || v < 0 || v >= g->p) return NULL;
    return name_of(g, v);
}

int64_t causa_graph_find(const causa_graph *g, const char *name) {
    if (!g || !name || g->hash_cap == 0) return -1;
    size_t s = name_slot(g, g->name_hash, g->hash_cap, name);
    return g->name_hash[s] >= 0 ? g->name_hash[s] : -1;
}

int causa_graph_add_node(causa_ctx *ctx, causa_graph *g, const char *name, int64_t *index) {
    if (!ctx || !g || !name) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_add_node: NULL argument");
    if (!name[0]) return causa_i_error(ctx, CAUSA_EINVAL, "a node name must not be empty");
    if (causa_graph_find(g, name) >= 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "a node named \"%s\" already exists (node %lld)",
                             name, (long long)causa_graph_find(g, name));
    if (g->p >= CAUSA_I_GRAPH_MAX_NODES)
        return causa_i_error(ctx, CAUSA_EINVAL, "a graph holds at most %lld nodes",
                             (long long)CAUSA_I_GRAPH_MAX_NODES);
    int rc = CAUSA_OK;
    size_t n = strlen(name) + 1;
    /* Reserve everything first, so a failure leaves the graph as it was. */
    CAUSA_TRY(nodes_reserve(ctx, g, g->p + 1));
    CAUSA_TRY(pool_reserve(ctx, g, n));
    int64_t v = g->p;
    g->nodes[v] = (causa_i_node){NULL, 0, 0};
    g->flags[v] = 0;
    g->name_off[v] = g->pool_len;
    memcpy(g->pool + g->pool_len, name, n);
    if ((size_t)(v + 1) * 2 + 2 > g->hash_cap) {
        int64_t dup;
        CAUSA_TRY(name_table_build(ctx, g, table_cap_for(v + 1), v + 1, &dup));
    } else {
        g->name_hash[name_slot(g, g->name_hash, g->hash_cap, name)] = (int32_t)v;
    }
    g->pool_len += n;
    g->p = v + 1;
    if (index) *index = v;
done:
    return rc;
}

int causa_graph_set_node_flags(causa_ctx *ctx, causa_graph *g, int64_t v, int flags) {
    if (!ctx || !g) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_set_node_flags: NULL argument");
    int rc = causa_i_graph_check_node(ctx, g, v, "node");
    if (rc) return rc;
    if (flags & ~(CAUSA_NODE_LATENT | CAUSA_NODE_SELECTION))
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "node flags must combine CAUSA_NODE_LATENT and CAUSA_NODE_SELECTION, got %d",
                             flags);
    g->flags[v] = (unsigned char)flags;
    return CAUSA_OK;
}

int causa_graph_node_flags(const causa_graph *g, int64_t v) {
    if (!g || v < 0 || v >= g->p) return 0;
    return g->flags[v];
}

/* ---- edges ---- */

int64_t causa_i_graph_find_entry(const causa_graph *g, int64_t a, int64_t b) {
    const causa_i_node *n = &g->nodes[a];
    size_t lo = 0, hi = n->deg;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (causa_i_adj_node(n->adj[mid]) < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n->deg && causa_i_adj_node(n->adj[lo]) == b ? (int64_t)lo : -1;
}

/* Number of entries for neighbour b starting at index i of a's array. */
static int entries_at(const causa_graph *g, int64_t a, int64_t i, int64_t b) {
    if (i < 0) return 0;
    const causa_i_node *n = &g->nodes[a];
    return (size_t)i + 1 < n->deg && causa_i_adj_node(n->adj[i + 1]) == b ? 2 : 1;
}

static int is_directed_marks(int ma, int mb) {
    return (ma == CAUSA_MARK_TAIL && mb == CAUSA_MARK_ARROW) ||
           (ma == CAUSA_MARK_ARROW && mb == CAUSA_MARK_TAIL);
}
static int is_bidirected_marks(int ma, int mb) {
    return ma == CAUSA_MARK_ARROW && mb == CAUSA_MARK_ARROW;
}

static int adj_reserve(causa_ctx *ctx, causa_graph *g, int64_t v) {
    causa_i_node *n = &g->nodes[v];
    if (n->deg < n->cap) return CAUSA_OK;
    uint32_t cap = n->cap < 2 ? 4 : n->cap + n->cap / 2;
    causa_i_adj *a = causa_i_realloc(g->ctx, n->adj, (size_t)cap * sizeof *a);
    if (!a) return causa_i_nomem(ctx, "graph adjacency", (size_t)cap * sizeof *a);
    n->adj = a;
    n->cap = cap;
    return CAUSA_OK;
}

/* Position at which an entry for neighbour w (bidirected or not) goes in v's array. */
static size_t insert_pos(const causa_graph *g, int64_t v, int64_t w, int bidirected) {
    const causa_i_node *n = &g->nodes[v];
    size_t lo = 0, hi = n->deg;
    /* Fast path: building in increasing order appends. */
    if (hi == 0 || causa_i_adj_node(n->adj[hi - 1]) < w) return hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (causa_i_adj_node(n->adj[mid]) < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* In a bow the directed entry comes first. */
    if (bidirected && lo < n->deg && causa_i_adj_node(n->adj[lo]) == w) lo++;
    return lo;
}

static void insert_entry(causa_graph *g, int64_t v, size_t pos, causa_i_adj e) {
    causa_i_node *n = &g->nodes[v];
    memmove(n->adj + pos + 1, n->adj + pos, (n->deg - pos) * sizeof *n->adj);
    n->adj[pos] = e;
    n->deg++;
}

static void remove_entries(causa_graph *g, int64_t v, size_t pos, size_t count) {
    causa_i_node *n = &g->nodes[v];
    memmove(n->adj + pos, n->adj + pos + count, (n->deg - pos - count) * sizeof *n->adj);
    n->deg -= (uint32_t)count;
}

static void label_remove(causa_graph *g, int64_t a, int64_t b);

int causa_graph_add_edge(causa_ctx *ctx, causa_graph *g, int64_t a, int64_t b, int mark_a,
                         int mark_b) {
    if (!ctx || !g) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_add_edge: NULL argument");
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_graph_check_node(ctx, g, a, "edge endpoint a"));
    CAUSA_TRY(causa_i_graph_check_node(ctx, g, b, "edge endpoint b"));
    if (a == b)
        return causa_i_error(ctx, CAUSA_EINVAL, "an edge needs two different nodes, got %s twice",
                             name_of(g, a));
    CAUSA_TRY(check_mark(ctx, mark_a, "mark_a"));
    CAUSA_TRY(check_mark(ctx, mark_b, "mark_b"));
    int64_t i = causa_i_graph_find_entry(g, a, b);
    if (i >= 0) {
        causa_i_adj e = g->nodes[a].adj[i];
        int ea = causa_i_adj_here(e), eb = causa_i_adj_there(e);
        int bow = entries_at(g, a, i, b) == 1 &&
                  ((is_directed_marks(ea, eb) && is_bidirected_marks(mark_a, mark_b)) ||
                   (is_bidirected_marks(ea, eb) && is_directed_marks(mark_a, mark_b)));
        if (!bow) {
            char have[4], want[4];
            causa_i_edge_glyph(ea, eb, have);
            causa_i_edge_glyph(mark_a, mark_b, want);
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "cannot add %s %s %s: the pair already has the edge %s %s %s "
                                 "(a pair carries one edge, or a directed and a bidirected "
                                 "edge together)",
                                 name_of(g, a), want, name_of(g, b), name_of(g, a), have,
                                 name_of(g, b));
        }
    }
    CAUSA_TRY(adj_reserve(ctx, g, a));
    CAUSA_TRY(adj_reserve(ctx, g, b));
    int bidir = is_bidirected_marks(mark_a, mark_b);
    insert_entry(g, a, insert_pos(g, a, b, bidir), causa_i_adj_make(b, mark_a, mark_b));
    insert_entry(g, b, insert_pos(g, b, a, bidir), causa_i_adj_make(a, mark_b, mark_a));
    g->nedges++;
    g->kind = CAUSA_KIND_MIXED;
done:
    return rc;
}

int causa_graph_remove_edge(causa_ctx *ctx, causa_graph *g, int64_t a, int64_t b) {
    if (!ctx || !g) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_remove_edge: NULL argument");
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_graph_check_node(ctx, g, a, "edge endpoint a"));
    CAUSA_TRY(causa_i_graph_check_node(ctx, g, b, "edge endpoint b"));
    int64_t i = a == b ? -1 : causa_i_graph_find_entry(g, a, b);
    if (i < 0)
        return causa_i_error(ctx, CAUSA_ENOTFOUND, "no edge between %s and %s", name_of(g, a),
                             name_of(g, b));
    int n = entries_at(g, a, i, b);
    remove_entries(g, a, (size_t)i, (size_t)n);
    remove_entries(g, b, (size_t)causa_i_graph_find_entry(g, b, a), (size_t)n);
    g->nedges -= n;
    label_remove(g, a, b);
    g->kind = CAUSA_KIND_MIXED;
done:
    return rc;
}

int causa_graph_set_marks(causa_ctx *ctx, causa_graph *g, int64_t a, int64_t b, int mark_a,
                          int mark_b) {
    if (!ctx || !g) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_set_marks: NULL argument");
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_graph_check_node(ctx, g, a, "edge endpoint a"));
    CAUSA_TRY(causa_i_graph_check_node(ctx, g, b, "edge endpoint b"));
    CAUSA_TRY(check_mark(ctx, mark_a, "mark_a"));
    CAUSA_TRY(check_mark(ctx, mark_b, "mark_b"));
    int64_t i = a == b ? -1 : causa_i_graph_find_entry(g, a, b);
    if (i < 0)
        return causa_i_error(ctx, CAUSA_ENOTFOUND, "no edge between %s and %s", name_of(g, a),
                             name_of(g, b));
    if (entries_at(g, a, i, b) == 2)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "%s and %s carry a bow (two edges); remove it before setting marks",
                             name_of(g, a), name_of(g, b));
    int64_t j = causa_i_graph_find_entry(g, b, a);
    g->nodes[a].adj[i] = causa_i_adj_make(b, mark_a, mark_b);
    g->nodes[b].adj[j] = causa_i_adj_make(a, mark_b, mark_a);
    g->kind = CAUSA_KIND_MIXED;
done:
    return rc;
}

int causa_graph_edge(const causa_graph *g, int64_t a, int64_t b, int *mark_a, int *mark_b) {
    if (!g || a < 0 || b < 0 || a >= g->p || b >= g->p || a == b) return 0;
    int64_t i = causa_i_graph_find_entry(g, a, b);
    if (i < 0) return 0;
    causa_i_adj e = g->nodes[a].adj[i];
    if (mark_a) *mark_a = causa_i_adj_here(e);
    if (mark_b) *mark_b = causa_i_adj_there(e);
    return entries_at(g, a, i, b);
}

int causa_graph_adjacent(const causa_graph *g, int64_t a, int64_t b) {
    return causa_graph_edge(g, a, b, NULL, NULL) > 0;
}

int causa_graph_is_directed(const causa_graph *g, int64_t a, int64_t b) {
    int ma, mb;
    return causa_graph_edge(g, a, b, &ma, &mb) > 0 && ma == CAUSA_MARK_TAIL &&
           mb == CAUSA_MARK_ARROW;
}

int causa_graph_is_undirected(const causa_graph *g, int64_t a, int64_t b) {
    int ma, mb;
    return causa_graph_edge(g, a, b, &ma, &mb) == 1 && ma == CAUSA_MARK_TAIL &&
           mb == CAUSA_MARK_TAIL;
}

int causa_graph_is_bidirected(const causa_graph *g, int64_t a, int64_t b) {
    int ma, mb;
    int n = causa_graph_edge(g, a, b, &ma, &mb);
    return n == 2 || (n == 1 && ma == CAUSA_MARK_ARROW && mb == CAUSA_MARK_ARROW);
}

int64_t causa_graph_degree(const causa_graph *g, int64_t v) {
    if (!g || v < 0 || v >= g->p) return 0;
    return g->nodes[v].deg;
}

void causa_graph_neighbor(const causa_graph *g, int64_t v, int64_t k, int64_t *w, int *mark_v,
                          int *mark_w) {
    if (!g || v < 0 || v >= g->p || k < 0 || k >= (int64_t)g->nodes[v].deg) {
        if (w) *w = -1;
        if (mark_v) *mark_v = 0;
        if (mark_w) *mark_w = 0;
        return;
    }
    causa_i_adj e = g->nodes[v].adj[k];
    if (w) *w = causa_i_adj_node(e);
    if (mark_v) *mark_v = causa_i_adj_here(e);
    if (mark_w) *mark_w = causa_i_adj_there(e);
}

void causa_graph_edges(const causa_graph *g, causa_edge *out) {
    if (!g || !out) return;
    int64_t k = 0;
    for (int64_t a = 0; a < g->p; a++) {
        const causa_i_node *n = &g->nodes[a];
        for (uint32_t i = 0; i < n->deg; i++) {
            int64_t b = causa_i_adj_node(n->adj[i]);
            if (b < a) continue;
            out[k++] = (causa_edge){a, b, causa_i_adj_here(n->adj[i]), causa_i_adj_there(n->adj[i])};
        }
    }
}

/* ---- edge labels ---- */

static uint64_t label_key(int64_t a, int64_t b) {
    int64_t lo = a < b ? a : b, hi = a < b ? b : a;
    return ((uint64_t)lo << 32) | (uint64_t)hi;
}

/* Slot of key, or the empty slot where it would go; the table must exist. */
static size_t label_slot(const uint64_t *keys, size_t cap, uint64_t key) {
    size_t mask = cap - 1, i = (size_t)hash_u64(key) & mask;
    while (keys[i] != UINT64_MAX && keys[i] != key) i = (i + 1) & mask;
    return i;
}

static int label_grow(causa_ctx *ctx, causa_graph *g) {
    size_t cap = g->label_cap ? 2 * g->label_cap : 16;
    uint64_t *keys = causa_i_malloc(g->ctx, cap * sizeof *keys);
    char **vals = causa_i_malloc(g->ctx, cap * sizeof *vals);
    if (!keys || !vals) {
        causa_i_free(g->ctx, keys);
        causa_i_free(g->ctx, vals);
        return causa_i_nomem(ctx, "graph edge labels", cap * (sizeof *keys + sizeof *vals));
    }
    memset(keys, 0xff, cap * sizeof *keys);
    for (size_t i = 0; i < g->label_cap; i++) {
        if (g->label_keys[i] == UINT64_MAX) continue;
        size_t s = label_slot(keys, cap, g->label_keys[i]);
        keys[s] = g->label_keys[i];
        vals[s] = g->label_vals[i];
    }
    causa_i_free(g->ctx, g->label_keys);
    causa_i_free(g->ctx, g->label_vals);
    g->label_keys = keys;
    g->label_vals = vals;
    g->label_cap = cap;
    return CAUSA_OK;
}

/* Deletion with backward shift keeps linear probing free of tombstones. */
static void label_remove(causa_graph *g, int64_t a, int64_t b) {
    if (g->label_count == 0) return;
    size_t mask = g->label_cap - 1, i = label_slot(g->label_keys, g->label_cap, label_key(a, b));
    if (g->label_keys[i] == UINT64_MAX) return;
    causa_i_free(g->ctx, g->label_vals[i]);
    g->label_count--;
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (g->label_keys[j] == UINT64_MAX) break;
        size_t home = (size_t)hash_u64(g->label_keys[j]) & mask;
        /* Move j back to i unless its home lies cyclically in (i, j]. */
        int stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!stays) {
            g->label_keys[i] = g->label_keys[j];
            g->label_vals[i] = g->label_vals[j];
            i = j;
        }
    }
    g->label_keys[i] = UINT64_MAX;
}

int causa_graph_set_edge_label(causa_ctx *ctx, causa_graph *g, int64_t a, int64_t b,
                               const char *label) {
    if (!ctx || !g) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_set_edge_label: NULL argument");
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_graph_check_node(ctx, g, a, "edge endpoint a"));
    CAUSA_TRY(causa_i_graph_check_node(ctx, g, b, "edge endpoint b"));
    if (!causa_graph_adjacent(g, a, b))
        return causa_i_error(ctx, CAUSA_ENOTFOUND, "no edge between %s and %s to label",
                             name_of(g, a), name_of(g, b));
    if (!label) {
        label_remove(g, a, b);
        return CAUSA_OK;
    }
    char *s = causa_i_strdup(g->ctx, label);
    if (!s) return causa_i_nomem(ctx, "edge label", strlen(label) + 1);
    if ((g->label_count + 1) * 2 > g->label_cap) {
        rc = label_grow(ctx, g);
        if (rc) {
            causa_i_free(g->ctx, s);
            return rc;
        }
    }
    uint64_t key = label_key(a, b);
    size_t i = label_slot(g->label_keys, g->label_cap, key);
    if (g->label_keys[i] == key) {
        causa_i_free(g->ctx, g->label_vals[i]);
    } else {
        g->label_keys[i] = key;
        g->label_count++;
    }
    g->label_vals[i] = s;
done:
    return rc;
}

const char *causa_graph_edge_label(const causa_graph *g, int64_t a, int64_t b) {
    if (!g || g->label_count == 0 || a < 0 || b < 0 || a >= g->p || b >= g->p || a == b)
        return NULL;
    size_t i = label_slot(g->label_keys, g->label_cap, label_key(a, b));
    return g->label_keys[i] == UINT64_MAX ? NULL : g->label_vals[i];
}
