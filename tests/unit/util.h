/*
 * util.h: helpers shared by several test files (tests/unit/util.c). Include it after
 * harness.h. Each helper reports a failure through harness_fail, like a CHECK.
 *
 *   build(ctx, "A B C", "A --> B, B <-> C")   a graph from node names and glyph edges
 *   glyph_marks("o->", &ma, &mb)              the marks of an edge glyph
 *   graph_of(p, names, edges, ne)              a DAG from index pairs {a, b} (a --> b)
 *   edge_text(g, buf, size)                    "A --> B, B <-> C" in edge order
 *   CHECK_GRAPH(g, "A --> B, B <-> C")         edge_text(g) must equal the text
 *   same_graph(x, y)                           same nodes by index, same edges and marks
 *   cmp_str                                    qsort comparator for an array of char *
 *   endpoint_diffs(g, file, which, size)       g against causal-learn's endpoint matrix
 *   lines_read / lines_compare                 a reference file's lines, compared as a set
 *   graph_edge_lines, sepset_lines             a result as pcalg's lines
 */
#ifndef CAUSA_TEST_UTIL_H
#define CAUSA_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "causa.h"

/* ---- graphs from text ---- */

/* Marks of a glyph "-->", "<--", "---", "<->", "o->", "<-o", "o-o", "--o", "o--" (the
 * glyphs of causa_edge_type_name): 1 with *ma, *mb set, or 0 if s is not a glyph. */
int glyph_marks(const char *s, int *ma, int *mb);

/* Builds a graph from node names "A B C" (blank-separated) and edges "A --> B, B --- C"
 * (NAME GLYPH NAME, separated by commas or blanks; a pair given twice, once --> and once
 * <->, is a bow). NULL, after a harness failure, when the text is not such a graph. */
causa_graph *build(causa_ctx *ctx, const char *nodes, const char *edges);

/* A DAG over names (NULL: X1, X2, ...) with the edges edges[e][0] --> edges[e][1]. */
causa_graph *graph_of(int64_t p, const char *const *names, const int64_t (*edges)[2], int64_t ne);

/* ---- graphs as text, comparison ---- */

/* "A --> B, B --- C" over the graph's names in edge order (the format build() reads). */
char *edge_text(const causa_graph *g, char *out, size_t size);

#define CHECK_GRAPH(g, want)                                                                       \
    do {                                                                                           \
        char got_[4096];                                                                           \
        edge_text((g), got_, sizeof got_);                                                         \
        CHECK_STR(got_, (want));                                                                   \
    } while (0)

/* Same nodes (by index) and same edges with the same marks? */
int same_graph(const causa_graph *x, const causa_graph *y);

/* qsort comparator for an array of strings. */
int cmp_str(const void *a, const void *b);

/* ---- reference outputs ---- */

/* Reads causal-learn's endpoint matrix under tests/data (M[i][j] = mark at i: 0 none,
 * -1 tail, 1 arrow, 2 circle, over g's nodes in order) and returns the number of pairs
 * where g differs, naming them "A-B C-D" in `which`; -1 if the file cannot be read. */
int64_t endpoint_diffs(const causa_graph *g, const char *file, char *which, size_t size);

/* A CSV under tests/data (all columns discrete when `discrete`) without the columns named
 * in `drop` (blank-separated; NULL or "" keeps all). NULL after reporting a failure. */
causa_dataset *read_without(causa_ctx *ctx, const char *name, const char *drop, int discrete);

/* pcalg's line for a separated pair: "A B : S1 S2" ("A B : " for the empty set). */
void sepset_line(const causa_graph *g, int64_t a, int64_t b, const causa_pair_info *info, char *buf,
                 size_t size);

/* ---- lines of text: pcalg's reference files ---- */

typedef struct lines {
    char **v;
    int64_t n, cap;
} lines;
void lines_add(lines *l, const char *s); /* a copy of s */
void lines_free(lines *l);               /* and empties l */
/* Appends the lines of a file under tests/data (without line ends); 0, after a failure
 * report, if it cannot be read. */
int lines_read(const char *name, lines *out);
/* Compares two sets of lines (sorting both); reports the differences under `what`, with
 * the side each comes from, and returns their number. */
int64_t lines_compare(lines *want, lines *got, const char *what);

/* pcalg's line for an edge a - b with marks ma at a, mb at b: "A o-> B", A the one with
 * the smaller index. */
void pag_edge_line(const char *na, const char *nb, int ma, int mb, int64_t a, int64_t b, char *buf,
                   size_t size);
/* Every edge of g as pag_edge_line, in edge order. */
void graph_edge_lines(const causa_graph *g, lines *out);
/* sepset_line for every non-adjacent pair a < b of the result, in pair order. */
void sepset_lines(const causa_discovery *r, lines *out);

#endif
