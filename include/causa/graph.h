/*
 * causa/graph.h: one graph type for DAGs, PDAGs, CPDAGs, MAGs, PAGs and ADMGs; their
 * algorithms (traversal, separation, Markov equivalence, latent projection, comparison)
 * and file formats. Included by <causa.h>; do not include it directly.
 */
#ifndef CAUSA_GRAPH_H
#define CAUSA_GRAPH_H

#include <stdint.h>

/* ---- the type -------------------------------------------------------------------------------
 * p named nodes (indices 0..p-1); for each adjacent pair the mark at each end. So
 * A --> B is (TAIL at A, ARROW at B); A --- B (TAIL, TAIL); A <-> B (ARROW, ARROW);
 * A o-> B (CIRCLE, ARROW); A o-o B (CIRCLE, CIRCLE). A pair carries at most one edge,
 * except that an ADMG may carry a "bow": a directed edge and a bidirected edge together.
 * Storage is a sorted adjacency array per node: memory grows with p + edges, never p^2. */
typedef struct causa_graph causa_graph;

enum { CAUSA_MARK_TAIL = 1, CAUSA_MARK_ARROW = 2, CAUSA_MARK_CIRCLE = 3 };
/* Node flags. */
enum { CAUSA_NODE_LATENT = 1, CAUSA_NODE_SELECTION = 2 };
/* Graph kinds, from strictest meaning; MIXED makes no promise. */
enum {
    CAUSA_KIND_MIXED = 0, /* any marks; no validity promise */
    CAUSA_KIND_DAG = 1,   /* directed, acyclic */
    CAUSA_KIND_PDAG = 2,  /* directed and undirected edges, no directed cycle */
    CAUSA_KIND_CPDAG = 3, /* the completed PDAG of a Markov equivalence class of DAGs */
    CAUSA_KIND_MAG = 4,   /* maximal ancestral graph (tails, arrows; no circles) */
    CAUSA_KIND_PAG = 5,   /* partial ancestral graph (circles allowed) */
    CAUSA_KIND_ADMG = 6   /* acyclic directed mixed graph (directed + bidirected) */
};
/* "dag", "pdag", "cpdag", "mag", "pag", "admg", "mixed"; NULL for an unknown kind. */
const char *causa_graph_kind_name(int kind);
/* Kind for a name (case-insensitive), or -1. */
int causa_graph_kind_from_name(const char *name);

/* One edge: marks at a's end and at b's end. Edge lists are sorted by (a, b) with a < b. */
typedef struct causa_edge {
    int64_t a, b;
    int mark_a, mark_b;
} causa_edge;

/* A graph of p nodes and no edges. names: NULL (X1..Xp) or p distinct non-empty strings
 * (copied). Kind starts as MIXED. */
int causa_graph_new(causa_ctx *ctx, int64_t p, const char *const *names, causa_graph **out);
int causa_graph_copy(causa_ctx *ctx, const causa_graph *g, causa_graph **out);
void causa_graph_free(causa_graph *g);

int64_t causa_graph_nnodes(const causa_graph *g);
int64_t causa_graph_nedges(const causa_graph *g);
/* Node name (borrowed) or NULL if out of range. */
const char *causa_graph_name(const causa_graph *g, int64_t v);
/* Index of the node named `name`, or -1. O(1) expected (hash). */
int64_t causa_graph_find(const causa_graph *g, const char *name);
/* Appends a node; its index is written to *index (may be NULL). Name must be new. */
int causa_graph_add_node(causa_ctx *ctx, causa_graph *g, const char *name, int64_t *index);
int causa_graph_set_node_flags(causa_ctx *ctx, causa_graph *g, int64_t v, int flags);
int causa_graph_node_flags(const causa_graph *g, int64_t v);

/* Adds an edge between a and b (a != b) with mark_a at a and mark_b at b. Adding a second
 * edge to a pair is CAUSA_EINVAL unless the two form a bow (one directed, one bidirected). */
int causa_graph_add_edge(causa_ctx *ctx, causa_graph *g, int64_t a, int64_t b, int mark_a,
                         int mark_b);
/* Removes every edge between a and b; CAUSA_ENOTFOUND if there is none. */
int causa_graph_remove_edge(causa_ctx *ctx, causa_graph *g, int64_t a, int64_t b);
/* Replaces the marks of the (single) edge between a and b; CAUSA_ENOTFOUND if none. */
int causa_graph_set_marks(causa_ctx *ctx, causa_graph *g, int64_t a, int64_t b, int mark_a,
                          int mark_b);
/* Number of edges between a and b (0, 1, or 2 for a bow). When >= 1, writes the marks of
 * the first (for a bow: the directed edge) to *mark_a, *mark_b (either may be NULL). */
int causa_graph_edge(const causa_graph *g, int64_t a, int64_t b, int *mark_a, int *mark_b);
/* Convenience tests. */
int causa_graph_adjacent(const causa_graph *g, int64_t a, int64_t b);
int causa_graph_is_directed(const causa_graph *g, int64_t a, int64_t b);   /* a --> b */
int causa_graph_is_undirected(const causa_graph *g, int64_t a, int64_t b); /* a --- b */
int causa_graph_is_bidirected(const causa_graph *g, int64_t a, int64_t b); /* a <-> b */
/* Number of adjacency entries of v (a bow counts twice). */
int64_t causa_graph_degree(const causa_graph *g, int64_t v);
/* k-th adjacency entry of v (k < degree, sorted by neighbour): the neighbour and the marks
 * at v's end and at the neighbour's end. */
void causa_graph_neighbor(const causa_graph *g, int64_t v, int64_t k, int64_t *w, int *mark_v,
                          int *mark_w);
/* Writes every edge (nedges entries, sorted, a < b) to out. */
void causa_graph_edges(const causa_graph *g, causa_edge *out);

/* An optional text label per edge (a bootstrap frequency, a coefficient), copied. NULL
 * removes it. The label of a pair without an edge is CAUSA_ENOTFOUND. */
int causa_graph_set_edge_label(causa_ctx *ctx, causa_graph *g, int64_t a, int64_t b,
                               const char *label);
/* Borrowed label, or NULL. */
const char *causa_graph_edge_label(const causa_graph *g, int64_t a, int64_t b);

/* The declared kind (what the graph was checked to be, or read as). Any change to the edges
 * (add_edge, remove_edge, set_marks) sets it back to MIXED; adding nodes, flags or labels
 * keeps it. */
int causa_graph_kind(const causa_graph *g);
/* Checks that g is a valid graph of `kind` and, if so, declares it. Otherwise returns
 * CAUSA_ECYCLE (naming the cycle: "directed cycle A -> B -> C -> A") or CAUSA_EINVAL
 * saying what is wrong ("undirected component {A, B, C, D} is not chordal", "almost
 * directed cycle A -> B <-> A", "circle mark on A o-> B in a MAG"...). */
int causa_graph_set_kind(causa_ctx *ctx, causa_graph *g, int kind);
/* The strictest kind g satisfies, in the order DAG, CPDAG, PDAG, MAG, ADMG, PAG, MIXED
 * (a PAG is only checked for marks and the absence of directed cycles). */
int causa_graph_infer_kind(causa_ctx *ctx, const causa_graph *g, int *kind);

/* ---- traversal ---------------------------------------------------------------------------
 * Node sets are arrays of indices; outputs go to caller arrays of capacity nnodes, sorted
 * ascending, with the count in *count. */
int causa_graph_parents(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out, int64_t *count);
int causa_graph_children(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out, int64_t *count);
/* Undirected neighbours (v --- w). */
int causa_graph_neighbors(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out, int64_t *count);
/* Spouses (v <-> w). */
int causa_graph_spouses(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out, int64_t *count);
/* Every node adjacent to v. */
int causa_graph_adjacents(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *out, int64_t *count);
/* Ancestors / descendants of a set along directed edges, the set itself included. */
int causa_graph_ancestors(causa_ctx *ctx, const causa_graph *g, const int64_t *set, int64_t n,
                          int64_t *out, int64_t *count);
int causa_graph_descendants(causa_ctx *ctx, const causa_graph *g, const int64_t *set, int64_t n,
                            int64_t *out, int64_t *count);
/* A topological order of the directed part (out: nnodes entries). Kahn's algorithm taking,
 * among the nodes ready at each step, the smallest index first: the lexicographically
 * smallest order, independent of how the graph was built. CAUSA_ECYCLE with the cycle in
 * the message if there is a directed cycle. O(e + p log p). */
int causa_graph_topological_order(causa_ctx *ctx, const causa_graph *g, int64_t *out);
/* Finds a directed cycle: *len = 0 if none, else the cycle's nodes in order in out
 * (capacity nnodes), starting at its smallest index. O(p + e). */
int causa_graph_find_cycle(causa_ctx *ctx, const causa_graph *g, int64_t *out, int64_t *len);

/* ---- separation ----------------------------------------------------------------------------
 * d-separation in DAGs and m-separation in ADMGs and MAGs (tails and arrowheads; circles
 * are CAUSA_EINVAL): are X and Y separated given Z? A reachability search (Bayes ball),
 * O(p + e) per query. X, Y, Z must be disjoint. */
int causa_graph_separated(causa_ctx *ctx, const causa_graph *g, const int64_t *x, int64_t nx,
                          const int64_t *y, int64_t ny, const int64_t *z, int64_t nz,
                          int *separated);
/* Every node m-connected to X given Z (the "reachable" set), as a 0/1 array of nnodes; the
 * nodes of X and Z are 0. Y of causa_graph_separated is separated iff none of it is 1. */
int causa_graph_reachable(causa_ctx *ctx, const causa_graph *g, const int64_t *x, int64_t nx,
                          const int64_t *z, int64_t nz, unsigned char *out);
/* The local Markov statement of node v in a DAG: v is independent of its non-descendants
 * (other than its parents) given its parents. Writes the parents and those non-descendants. */
int causa_graph_local_markov(causa_ctx *ctx, const causa_graph *g, int64_t v, int64_t *parents,
                             int64_t *nparents, int64_t *nondesc, int64_t *nnondesc);

/* ---- Markov equivalence --------------------------------------------------------------------- */
/* The CPDAG (essential graph) of a DAG (Chickering 1995's edge labelling). O(p + e log e). */
int causa_graph_cpdag(causa_ctx *ctx, const causa_graph *dag, causa_graph **out);
/* Closes a PDAG in place under Meek's rules R1-R4 (R4 matters only with background
 * knowledge). Directed edges already present are kept. CAUSA_ECYCLE if the orientations
 * cannot be completed without a cycle. Sets the kind to PDAG (CPDAG if it is one). */
int causa_graph_meek(causa_ctx *ctx, causa_graph *pdag);
/* A DAG in the class of a CPDAG or PDAG (Dor & Tarsi 1992); CAUSA_EINVAL naming the reason
 * if none exists. */
int causa_graph_dag_extension(causa_ctx *ctx, const causa_graph *pdag, causa_graph **out);
/* Number of DAGs in the Markov equivalence class of a CPDAG, in polynomial time
 * (Wienoebst, Bannach & Liskiewicz 2021). Exact up to 2^53; *log10_count is always given. */
int causa_graph_count_dags(causa_ctx *ctx, const causa_graph *cpdag, double *count,
                           double *log10_count);
/* Calls fn for every DAG of the class of a CPDAG (at most `max`; 0 = no limit). fn returns
 * non-zero to stop. The DAG passed to fn is borrowed for the call only. */
typedef int (*causa_graph_visit_fn)(void *ud, const causa_graph *dag);
int causa_graph_enumerate_dags(causa_ctx *ctx, const causa_graph *cpdag, int64_t max,
                               causa_graph_visit_fn fn, void *ud, int64_t *visited);

/* ---- latent variables ------------------------------------------------------------------------ */
/* Latent projection of a DAG over the nodes not flagged LATENT (and conditioning on those
 * flagged SELECTION): to_mag = 1 gives the MAG (Richardson & Spirtes 2002), 0 the ADMG
 * (Verma-Pearl projection, bows allowed). Output nodes keep their order and names. */
int causa_graph_latent_project(causa_ctx *ctx, const causa_graph *dag, int to_mag,
                               causa_graph **out);
/* The PAG of a MAG's Markov equivalence class (FCI's rules R0-R10, Zhang 2008, read off the
 * MAG), so FCI can be tested exactly. */
int causa_graph_mag_to_pag(causa_ctx *ctx, const causa_graph *mag, causa_graph **out);

/* ---- comparison ------------------------------------------------------------------------------
 * Estimate against truth over the same node names (matched by name, any order). */
enum {
    CAUSA_ETYPE_NONE = 0, /* no edge */
    CAUSA_ETYPE_DIRECTED_AB, /* a --> b (a < b in the truth's order) */
    CAUSA_ETYPE_DIRECTED_BA, /* a <-- b */
    CAUSA_ETYPE_UNDIRECTED,  /* a --- b */
    CAUSA_ETYPE_BIDIRECTED,  /* a <-> b */
    CAUSA_ETYPE_PARTIAL_AB,  /* a o-> b */
    CAUSA_ETYPE_PARTIAL_BA,  /* a <-o b */
    CAUSA_ETYPE_NONDIRECTED, /* a o-o b */
    CAUSA_ETYPE_TAILCIRCLE_AB, /* a --o b */
    CAUSA_ETYPE_TAILCIRCLE_BA, /* a o-- b */
    CAUSA_NETYPES
};
typedef struct causa_graph_metrics {
    int64_t shd;            /* causa's SHD: pairs whose edge (presence or marks) differ */
    int64_t shd_pcalg;      /* pcalg::shd: insertions + deletions + flips, 1 each */
    int64_t shd_causallearn;/* causal-learn SHD: adjacency errors + mark errors on shared adjacencies */
    int64_t adj_tp, adj_fp, adj_fn;
    double adj_precision, adj_recall, adj_f1;
    int64_t arrow_tp, arrow_fp, arrow_fn;
    double arrow_precision, arrow_recall, arrow_f1;
    int64_t confusion[CAUSA_NETYPES][CAUSA_NETYPES]; /* [estimate type][true type], per pair */
} causa_graph_metrics;
int causa_graph_compare(causa_ctx *ctx, const causa_graph *estimate, const causa_graph *truth,
                        causa_graph_metrics *out);
/* "none", "-->", "<--", "---", "<->", "o->", "<-o", "o-o", "--o", "o--". */
const char *causa_edge_type_name(int etype);

/* ---- random graphs ---------------------------------------------------------------------------- */
/* A random DAG: Erdos-Renyi over a random causal order with the given expected degree
 * (average number of neighbours); names X1..Xp. Same (seed, p, degree) gives the same graph. */
int causa_graph_random_dag(causa_ctx *ctx, int64_t p, double expected_degree, uint64_t seed,
                           causa_graph **out);
/* A random scale-free DAG (Barabasi-Albert preferential attachment over a random causal
 * order): each new node takes about d/2 earlier nodes as parents, each drawn with
 * probability proportional to its degree + 1, so the average degree is about d and early
 * nodes become hubs. Names X1..Xp; same (seed, p, d) gives the same graph. O(p d + e log e). */
int causa_graph_random_scale_free(causa_ctx *ctx, int64_t p, double expected_degree,
                                  uint64_t seed, causa_graph **out);
/* A random layered DAG: a random causal order cut into `layers` near-equal layers (0:
 * round(sqrt(p)), at least 2); edges only from one layer to the next, each pair with the
 * probability that gives expected degree d. CAUSA_EINVAL if the layers cannot hold that
 * many edges. Names X1..Xp; same (seed, p, d, layers) gives the same graph. O(p + pairs). */
int causa_graph_random_layered(causa_ctx *ctx, int64_t p, double expected_degree, int64_t layers,
                               uint64_t seed, causa_graph **out);

/* ---- formats ----------------------------------------------------------------------------------
 * Every format, its syntax and what it keeps is described in docs/FORMATS.md ("Graph formats").
 * Readers parse the whole input before returning (no graph on failure); writers build the
 * whole text, then write it atomically. */
enum {
    CAUSA_FORMAT_AUTO = 0, /* from the file extension (read: also from the content) */
    CAUSA_FORMAT_DOT,      /* .dot .gv */
    CAUSA_FORMAT_JSON,     /* .json (docs/FORMATS.md) */
    CAUSA_FORMAT_TETRAD,   /* .txt Tetrad graph text */
    CAUSA_FORMAT_BNLEARN,  /* .bn .model .bnlearn: model string [A][B|A][C|A:B] (DAGs) */
    CAUSA_FORMAT_DAGITTY,  /* .dagitty */
    CAUSA_FORMAT_MATRIX,   /* .csv adjacency matrix; the convention must be named */
    CAUSA_FORMAT_BIF,      /* .bif (structure only; read only) */
    CAUSA_FORMAT_SVG,      /* pictures: written through Graphviz */
    CAUSA_FORMAT_PNG,
    CAUSA_FORMAT_PDF
};
/* Adjacency-matrix conventions, always named, never guessed. */
enum {
    CAUSA_MATRIX_NONE = 0,
    CAUSA_MATRIX_PCALG_CPDAG,  /* pcalg amat.cpdag: m[a][b] = 1 and m[b][a] = 0 means b --> a */
    CAUSA_MATRIX_PCALG_PAG,    /* pcalg amat.pag: m[a][b] = mark at b: 0 none, 1 circle, 2 arrow, 3 tail */
    CAUSA_MATRIX_CAUSAL_LEARN, /* causal-learn G.graph: m[a][b] = mark at a: -1 tail, 1 arrow,
                                  2 circle (m[a][b] = -1, m[b][a] = 1 means a --> b); a bow
                                  a --> b + a <-> b is m[a][b] = 4, m[b][a] = 5 */
    CAUSA_MATRIX_LINGAM,       /* lingam B: m[b][a] != 0 means a --> b (row = effect) */
    CAUSA_MATRIX_FROM_TO       /* networkx / gCastle: m[a][b] != 0 means a --> b */
};
/* "pcalg-cpdag", "pcalg-pag", "causal-learn", "lingam", "from-to" (case-insensitive); -1 for
 * an unknown name. The name of a convention is NULL if it is out of range ("none" for 0). */
int causa_matrix_convention_from_name(const char *name);
const char *causa_matrix_convention_name(int convention);
/* Format names: "auto", "dot", "json", "tetrad", "bnlearn", "dagitty", "matrix", "bif", "svg",
 * "png", "pdf" (NULL if out of range). From a name (case-insensitive; the extensions "gv",
 * "txt", "bn", "model", "csv" are accepted too): the format, or -1 if unknown. */
const char *causa_graph_format_name(int format);
int causa_graph_format_from_name(const char *name);

typedef struct causa_graph_io_options {
    int format;          /* CAUSA_FORMAT_*; AUTO by default */
    int matrix;          /* CAUSA_MATRIX_*; required for FORMAT_MATRIX */
    int edge_labels;     /* write edge labels (DOT, pictures, JSON, Tetrad, DAGitty); default 1 */
} causa_graph_io_options;
void causa_graph_io_options_init(causa_graph_io_options *opt);
/* The format for a file name's extension (CAUSA_FORMAT_AUTO if unknown). */
int causa_graph_format_from_path(const char *path);

/* Reads a graph ("-" = standard input). The format is opt->format, else the extension of the
 * path (the name, for a buffer), else the content. Errors: CAUSA_EPARSE with
 * "path:line:column: expected X, found Y" (JSON schema errors name the member instead);
 * CAUSA_EIO; CAUSA_EINVAL for a matrix without a convention; CAUSA_EUNSUPPORTED for a
 * picture. The kind is inferred (causa_graph_infer_kind) unless the format states it
 * (DAGitty's type, JSON's "kind"; bnlearn and BIF hold DAGs), and a stated kind is checked.
 * read_buffer's data need not be NUL-terminated; name (may be NULL) is used in messages. */
int causa_graph_read(causa_ctx *ctx, const char *path, const causa_graph_io_options *opt,
                     causa_graph **out);
int causa_graph_read_buffer(causa_ctx *ctx, const char *name, const char *data, size_t len,
                            const causa_graph_io_options *opt, causa_graph **out);
/* Writes a graph atomically (temporary file, then rename); "-" is standard output (text
 * formats). The format is opt->format, else the extension. Pictures go through Graphviz's
 * `dot`; if it is missing: CAUSA_EUNSUPPORTED saying so. A format that cannot hold the
 * graph is CAUSA_EINVAL (CAUSA_ECYCLE for a cycle in a bnlearn model string) naming what;
 * BIF is CAUSA_EUNSUPPORTED (it needs probability tables). */
int causa_graph_write(causa_ctx *ctx, const causa_graph *g, const char *path,
                      const causa_graph_io_options *opt);
/* The text of g in a text format (format AUTO: opt->format), NUL-terminated, with its
 * length in *len (may be NULL); *out is freed with causa_free (NULL on failure). */
int causa_graph_write_buffer(causa_ctx *ctx, const causa_graph *g, int format,
                             const causa_graph_io_options *opt, char **out, size_t *len);

#endif
