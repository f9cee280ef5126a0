/*
 * fmt_tetrad.c: the graph text of Tetrad and causal-cmd (GraphSaveLoadUtils in Tetrad):
 *
 *   Graph Nodes:
 *   A;B;(L);[S]
 *
 *   Graph Edges:
 *   1. A --> B
 *   2. B o-> C [no edge]:0.1000;[B o-> C]:0.9000;
 *
 * Nodes are separated by ';' (or ','), possibly over several lines, up to a blank line;
 * "(L)" is a latent node (NodeType.LATENT) and "[S]" a selection node (NodeType.SELECTION).
 * An edge line is an optional "N." then name, an endpoint pair of three characters
 * (left end '-' tail, '<' arrow, 'o' circle; then '-'; right end '-', '>' or 'o'), and name.
 * Whatever follows on the line (causal-cmd's bootstrap annotations, or properties such as
 * "dd nl") is kept as the edge's label and written back after the edge. Sections that Tetrad
 * writes after the edges ("Graph Attributes:", "Graph Node Attributes:", triples) are
 * skipped.
 *
 * Writing follows Tetrad: the node line, a blank line, numbered edges (directed edges from
 * tail to head), and a blank line at the end.
 */
#include <stdio.h>
#include <string.h>

#include "lex_i.h"

/* Words are runs of anything but blanks and the node separators. */
static int tetrad_word(unsigned char c) { return c > ' ' && c != ';' && c != ',' && c != 0x7f; }

static int skip_blank_lines(causa_i_lex *lx) {
    int rc = CAUSA_OK;
    while (lx->tok == CAUSA_I_TOK_NEWLINE) CAUSA_TRY(causa_i_lex_next(lx));
done:
    return rc;
}

/* "Graph Nodes:" / "Graph Edges:" as two words at the start of a line. */
static int at_header(causa_i_lex *lx, const char *second, int *yes) {
    *yes = 0;
    if (!causa_i_lex_is(lx, "Graph")) return CAUSA_OK;
    /* Look ahead in the input without consuming: the next word must be `second`. */
    const char *p = lx->p;
    while (p < lx->end && (*p == ' ' || *p == '\t')) p++;
    size_t n = strlen(second);
    if ((size_t)(lx->end - p) >= n && memcmp(p, second, n) == 0 &&
        (p + n == lx->end || p[n] == '\n' || p[n] == '\r' || p[n] == ' ' || p[n] == '\t'))
        *yes = 1;
    return CAUSA_OK;
}

static int parse_marks(const char *s, size_t n, int *ma, int *mb) {
    if (n != 3 || s[1] != '-') return 0;
    *ma = s[0] == '-'   ? CAUSA_MARK_TAIL
          : s[0] == '<' ? CAUSA_MARK_ARROW
          : s[0] == 'o' ? CAUSA_MARK_CIRCLE
                        : 0;
    *mb = s[2] == '-'   ? CAUSA_MARK_TAIL
          : s[2] == '>' ? CAUSA_MARK_ARROW
          : s[2] == 'o' ? CAUSA_MARK_CIRCLE
                        : 0;
    return *ma && *mb;
}

/* An edge line's node: an existing name. */
static int edge_node(causa_i_lex *lx, causa_graph *g, int64_t *v) {
    if (lx->tok != CAUSA_I_TOK_WORD) return causa_i_lex_expected(lx, "a node name");
    *v = causa_graph_find(g, lx->text.data);
    if (*v < 0)
        return causa_i_lex_error_at(lx, lx->tline, lx->tcol,
                                    "the edge names '%.100s', which is not listed under 'Graph "
                                    "Nodes:'",
                                    lx->text.data);
    return causa_i_lex_next(lx);
}

static int is_number_dot(const causa_i_lex *lx) {
    if (lx->tok != CAUSA_I_TOK_WORD || lx->tlen < 2 || lx->tstart[lx->tlen - 1] != '.') return 0;
    for (size_t i = 0; i + 1 < lx->tlen; i++)
        if (lx->tstart[i] < '0' || lx->tstart[i] > '9') return 0;
    return 1;
}

int causa_i_read_tetrad(causa_ctx *ctx, const char *name, const char *data, size_t len,
                        causa_graph **out) {
    *out = NULL;
    causa_i_lex lx;
    causa_i_lex_init(&lx, ctx, name, data, len, CAUSA_I_LEX_NEWLINES, tetrad_word, NULL);
    causa_graph *g = NULL;
    int rc = CAUSA_OK, yes;
    CAUSA_TRY(causa_graph_new(ctx, 0, NULL, &g));
    CAUSA_TRY(causa_i_lex_next(&lx));
    CAUSA_TRY(skip_blank_lines(&lx));
    CAUSA_TRY(at_header(&lx, "Nodes:", &yes));
    if (!yes) {
        rc = causa_i_lex_expected(&lx, "'Graph Nodes:' (Tetrad graph text; for an adjacency "
                                       "matrix name the format matrix and its convention)");
        goto done;
    }
    CAUSA_TRY(causa_i_lex_next(&lx)); /* Graph */
    CAUSA_TRY(causa_i_lex_next(&lx)); /* Nodes: */
    if (lx.tok != CAUSA_I_TOK_NEWLINE && lx.tok != CAUSA_I_TOK_EOF) {
        rc = causa_i_lex_expected(&lx, "end of line after 'Graph Nodes:'");
        goto done;
    }
    if (lx.tok == CAUSA_I_TOK_NEWLINE) CAUSA_TRY(causa_i_lex_next(&lx));
    /* Node lines, up to a blank line or the edge header. */
    for (;;) {
        if (lx.tok == CAUSA_I_TOK_NEWLINE || lx.tok == CAUSA_I_TOK_EOF) break;
        CAUSA_TRY(at_header(&lx, "Edges:", &yes));
        if (yes) break;
        while (lx.tok != CAUSA_I_TOK_NEWLINE && lx.tok != CAUSA_I_TOK_EOF) {
            if (causa_i_lex_is(&lx, ";") || causa_i_lex_is(&lx, ",")) {
                CAUSA_TRY(causa_i_lex_next(&lx));
                continue;
            }
            if (lx.tok != CAUSA_I_TOK_WORD) {
                rc = causa_i_lex_expected(&lx, "a node name");
                goto done;
            }
            char *s = lx.text.data;
            size_t n = lx.text.len;
            int flags = 0;
            if (n >= 2 && s[0] == '(' && s[n - 1] == ')')
                flags = CAUSA_NODE_LATENT;
            else if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
                flags = CAUSA_NODE_SELECTION;
            if (flags) {
                s[n - 1] = '\0';
                s++;
            }
            if (causa_graph_find(g, s) >= 0) {
                rc = causa_i_lex_error_at(&lx, lx.tline, lx.tcol,
                                          "the node '%.100s' is listed twice", s);
                goto done;
            }
            int64_t v;
            CAUSA_TRY(causa_i_gio_node(&lx, g, s, lx.tline, lx.tcol, &v));
            if (flags) CAUSA_TRY(causa_graph_set_node_flags(ctx, g, v, flags));
            CAUSA_TRY(causa_i_lex_next(&lx));
        }
        if (lx.tok == CAUSA_I_TOK_NEWLINE) CAUSA_TRY(causa_i_lex_next(&lx));
    }
    CAUSA_TRY(skip_blank_lines(&lx));
    CAUSA_TRY(at_header(&lx, "Edges:", &yes));
    if (!yes) {
        rc = causa_i_lex_expected(&lx, "'Graph Edges:'");
        goto done;
    }
    CAUSA_TRY(causa_i_lex_next(&lx));
    CAUSA_TRY(causa_i_lex_next(&lx));
    if (lx.tok != CAUSA_I_TOK_NEWLINE && lx.tok != CAUSA_I_TOK_EOF) {
        rc = causa_i_lex_expected(&lx, "end of line after 'Graph Edges:'");
        goto done;
    }
    /* Edge lines up to the end or to a section Tetrad writes after the edges. */
    for (;;) {
        CAUSA_TRY(skip_blank_lines(&lx));
        if (lx.tok == CAUSA_I_TOK_EOF) break;
        if (causa_i_lex_is(&lx, "Graph") || causa_i_lex_is(&lx, "Ambiguous") ||
            causa_i_lex_is(&lx, "Underline") || causa_i_lex_is(&lx, "Dotted"))
            break;
        int64_t line = lx.tline, col = lx.tcol;
        if (is_number_dot(&lx)) {
            CAUSA_TRY(causa_i_lex_next(&lx));
            line = lx.tline;
            col = lx.tcol;
        }
        int64_t a = -1, b = -1;
        CAUSA_TRY(edge_node(&lx, g, &a));
        int ma, mb;
        if (lx.tok != CAUSA_I_TOK_WORD || !parse_marks(lx.tstart, lx.tlen, &ma, &mb)) {
            rc = causa_i_lex_expected(&lx, "an edge such as -->, <--, <->, ---, o->, <-o, o-o, "
                                           "--o or o--");
            goto done;
        }
        CAUSA_TRY(causa_i_lex_next(&lx));
        if (lx.tok != CAUSA_I_TOK_WORD) {
            rc = causa_i_lex_expected(&lx, "a node name");
            goto done;
        }
        b = causa_graph_find(g, lx.text.data);
        if (b < 0) {
            rc = causa_i_lex_error_at(&lx, lx.tline, lx.tcol,
                                      "the edge names '%.100s', which is not listed under "
                                      "'Graph Nodes:'",
                                      lx.text.data);
            goto done;
        }
        /* The rest of the line (bootstrap annotations, properties) is the label. Read it from
         * the end of the second name, not through the tokenizer. */
        CAUSA_TRY(causa_i_lex_rest_of_line(&lx));
        CAUSA_TRY(causa_i_gio_edge(&lx, g, a, b, ma, mb, line, col));
        if (lx.text.len > 0) CAUSA_TRY(causa_graph_set_edge_label(ctx, g, a, b, lx.text.data));
        CAUSA_TRY(causa_i_lex_next(&lx));
        if (lx.tok != CAUSA_I_TOK_NEWLINE && lx.tok != CAUSA_I_TOK_EOF) {
            rc = causa_i_lex_expected(&lx, "end of line");
            goto done;
        }
    }
    CAUSA_TRY(causa_i_gio_finish(ctx, lx.name, g, -1, 0, 0));
    *out = g;
    g = NULL;
done:
    causa_graph_free(g);
    causa_i_lex_free(&lx);
    return rc;
}

/* ---- writing ---- */

static int check_name(causa_ctx *ctx, const char *s) {
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == ';' || *p == ',' || *p == 0x7f)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "the node name \"%.60s\" has a blank, ';', ',' or control "
                                 "character, which Tetrad graph text cannot hold",
                                 s);
    size_t n = strlen(s);
    if ((s[0] == '(' && s[n - 1] == ')') || (s[0] == '[' && s[n - 1] == ']'))
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "the node name \"%.60s\" would read back as a latent or selection "
                             "node in Tetrad graph text",
                             s);
    if (strcmp(s, "Graph") == 0 || strcmp(s, "Ambiguous") == 0 || strcmp(s, "Underline") == 0 ||
        strcmp(s, "Dotted") == 0)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "the node name \"%s\" would read back as a section header in Tetrad "
                             "graph text",
                             s);
    return CAUSA_OK;
}

int causa_i_write_tetrad(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                         causa_i_buf *b) {
    int rc = CAUSA_OK;
    int64_t p = causa_graph_nnodes(g), m = causa_graph_nedges(g);
    causa_edge *edges = NULL;
    if (m > 0)
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&edges, (size_t)m * sizeof *edges, "edge list"));
    causa_graph_edges(g, edges);
    CAUSA_TRY(causa_i_buf_printf(b, "Graph Nodes:\n"));
    for (int64_t v = 0; v < p; v++) {
        const char *s = causa_graph_name(g, v);
        CAUSA_TRY(check_name(ctx, s));
        int flags = causa_graph_node_flags(g, v);
        /* Tetrad has one node type: latent wins over selection. */
        if (flags & CAUSA_NODE_LATENT)
            CAUSA_TRY(causa_i_buf_printf(b, "%s(%s)", v ? ";" : "", s));
        else if (flags & CAUSA_NODE_SELECTION)
            CAUSA_TRY(causa_i_buf_printf(b, "%s[%s]", v ? ";" : "", s));
        else
            CAUSA_TRY(causa_i_buf_printf(b, "%s%s", v ? ";" : "", s));
    }
    CAUSA_TRY(causa_i_buf_printf(b, "\n\nGraph Edges:\n"));
    for (int64_t k = 0; k < m; k++) {
        int64_t a = edges[k].a, c = edges[k].b;
        int ma = edges[k].mark_a, mc = edges[k].mark_b;
        if ((ma == CAUSA_MARK_ARROW && mc != CAUSA_MARK_ARROW) ||
            (ma == CAUSA_MARK_CIRCLE && mc == CAUSA_MARK_TAIL)) {
            int64_t t = a;
            a = c;
            c = t;
            int tm = ma;
            ma = mc;
            mc = tm;
        }
        CAUSA_TRY(causa_i_buf_printf(b, "%lld. %s %s %s", (long long)k + 1, causa_graph_name(g, a),
                                     causa_i_gio_mark_symbol(ma, mc), causa_graph_name(g, c)));
        int first_of_pair = k == 0 || edges[k - 1].a != edges[k].a || edges[k - 1].b != edges[k].b;
        const char *label = causa_graph_edge_label(g, edges[k].a, edges[k].b);
        if (opt->edge_labels && label && first_of_pair && label[0]) {
            if (strchr(label, '\n') || strchr(label, '\r')) {
                rc = causa_i_error(ctx, CAUSA_EINVAL,
                                   "the label of the edge between %s and %s has a line break, "
                                   "which Tetrad graph text cannot hold",
                                   causa_graph_name(g, a), causa_graph_name(g, c));
                goto done;
            }
            CAUSA_TRY(causa_i_buf_printf(b, " %s", label));
        }
        CAUSA_TRY(causa_i_buf_append(b, "\n", 1));
    }
    CAUSA_TRY(causa_i_buf_append(b, "\n", 1));
done:
    causa_i_free(ctx, edges);
    return rc;
}
