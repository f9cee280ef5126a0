/*
 * graph_i.h: the inside of causa_graph, shared by the files of src/graph (and by any
 * algorithm that wants to walk adjacency arrays without a function call per entry).
 *
 * Layout (memory O(p + e), never p x p):
 *  - per node a sorted array of packed 32-bit adjacency entries: the neighbour in the low
 *    28 bits, the mark at this node's end in bits 28-29 and the mark at the neighbour's end
 *    in bits 30-31 (marks are 1..3). Sorted by neighbour; the two entries of a bow are
 *    adjacent, the directed one first. Arrays grow by half their size;
 *  - names in one string pool (offsets per node) and one open-addressing hash table;
 *  - edge labels in a side hash map keyed by the pair (min, max), absent until the first
 *    label is set, so graphs without labels pay nothing.
 * Every array of the graph is allocated through the context that created it (g->ctx), so
 * causa_graph_free needs no context; errors go to the context of the call.
 */
#ifndef CAUSA_GRAPH_I_H
#define CAUSA_GRAPH_I_H

#include "../internal.h"

/* Nodes are limited by the 28 bits of a packed entry. */
#define CAUSA_I_GRAPH_MAX_NODES ((int64_t)0x0fffffff)

typedef uint32_t causa_i_adj;

static inline int64_t causa_i_adj_node(causa_i_adj e) { return (int64_t)(e & 0x0fffffffu); }
static inline int causa_i_adj_here(causa_i_adj e) { return (int)((e >> 28) & 3u); }
static inline int causa_i_adj_there(causa_i_adj e) { return (int)(e >> 30); }
static inline causa_i_adj causa_i_adj_make(int64_t w, int here, int there) {
    return (causa_i_adj)w | ((causa_i_adj)here << 28) | ((causa_i_adj)there << 30);
}

typedef struct causa_i_node {
    causa_i_adj *adj; /* sorted entries, deg of cap used */
    uint32_t deg, cap;
} causa_i_node;

struct causa_graph {
    causa_ctx *ctx; /* the creating context: owns every array below */
    int64_t p, pcap;
    int64_t nedges; /* a bow counts as two */
    int kind;
    causa_i_node *nodes;
    unsigned char *flags;
    /* names: node v's name is pool + name_off[v] */
    size_t *name_off;
    char *pool;
    size_t pool_len, pool_cap;
    int32_t *name_hash; /* open addressing, -1 = empty; hash_cap a power of two */
    size_t hash_cap;
    /* edge labels: keys (min << 32 | max), UINT64_MAX = empty; linear probing */
    uint64_t *label_keys;
    char **label_vals;
    size_t label_cap, label_count;
};

/* Declares a kind without checking it: for algorithms whose output is of that kind by
 * construction (a CPDAG from causa_graph_cpdag, a MAG from a latent projection). */
void causa_i_graph_set_kind_unchecked(causa_graph *g, int kind);

/* CAUSA_EINVAL naming `what` if v is not a node of g. */
int causa_i_graph_check_node(causa_ctx *ctx, const causa_graph *g, int64_t v, const char *what);

/* Index into g->nodes[a].adj of the first entry for neighbour b, or -1. */
int64_t causa_i_graph_find_entry(const causa_graph *g, int64_t a, int64_t b);

/* The three characters of an edge with mark ma at the left end and mb at the right end:
 * "-->", "<->", "o->", "---", "o-o", "<--"... out must hold 4 bytes. */
void causa_i_edge_glyph(int ma, int mb, char out[4]);
/* Appends "A --> B" (names of a and b, marks ma at a and mb at b) to buf. */
int causa_i_buf_edge(causa_i_buf *buf, const causa_graph *g, int64_t a, int64_t b, int ma,
                     int mb);

/* Is the edge entry a directed edge out of / into its node? */
static inline int causa_i_adj_is_out(causa_i_adj e) {
    return causa_i_adj_here(e) == CAUSA_MARK_TAIL && causa_i_adj_there(e) == CAUSA_MARK_ARROW;
}
static inline int causa_i_adj_is_in(causa_i_adj e) {
    return causa_i_adj_here(e) == CAUSA_MARK_ARROW && causa_i_adj_there(e) == CAUSA_MARK_TAIL;
}

/* ---- shared by kind.c, traverse.c, separation.c ---- */

/* Finds a directed cycle in the directed edges of g: *len = 0 if none, else its nodes in
 * order in cycle (capacity p). Temporaries come from ctx. */
int causa_i_graph_directed_cycle(causa_ctx *ctx, const causa_graph *g, int64_t *cycle,
                                 int64_t *len);
/* Records CAUSA_ECYCLE with the message "<prefix>directed cycle A -> B -> C -> A". */
int causa_i_graph_cycle_error(causa_ctx *ctx, const causa_graph *g, const char *prefix,
                              const int64_t *cycle, int64_t len);
/* Marks in mark[] (0/1, length p; cleared first) the ancestors of the nodes with
 * in_set[v] != 0 (themselves included), following directed edges backwards; stack is a
 * workspace of p entries. O(p + e). */
void causa_i_graph_ancestor_mark(const causa_graph *g, const unsigned char *in_set,
                                 unsigned char *mark, int64_t *stack);

#endif
