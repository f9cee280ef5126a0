/*
 * fmt_matrix.c: adjacency matrices as text, in a named convention (never guessed):
 *
 *   pcalg-cpdag   pcalg's amat.cpdag: m[a,b] = 0, m[b,a] = 1 is a --> b; both 1 is a --- b.
 *   pcalg-pag     pcalg's amat.pag: m[a,b] is the mark at b on the edge a *-* b: 0 no edge,
 *                 1 circle, 2 arrowhead, 3 tail.
 *   causal-learn  G.graph: m[a,b] is the mark at a: -1 tail, 1 arrowhead, 2 circle (so
 *                 m[a,b] = -1, m[b,a] = 1 is a --> b); a directed edge a --> b together with
 *                 a <-> b is m[a,b] = 4, m[b,a] = 5 (TAIL_AND_ARROW, ARROW_AND_ARROW).
 *   lingam        B: m[b,a] != 0 is a --> b (row = effect, column = cause).
 *   from-to       m[a,b] != 0 is a --> b (networkx, gCastle, igraph).
 * For lingam and from-to, a value other than 1 is kept as the edge's label (a coefficient),
 * and written back from it.
 *
 * Layout: rows of cells separated by commas (CSV, with "..." quoting) or, when the first
 * line has no comma, by blanks (R's write.table, numpy.savetxt). The first row holds the
 * names unless all its cells are numbers (then the nodes are X1..Xp). When the first header
 * cell is empty, or rows have one cell more than the header, each row starts with its
 * node's name, which must match the header. Writing gives CSV with row names:
 *   ,A,B,C
 *   A,0,1,0
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex_i.h"

typedef struct cell {
    const char *text; /* in the arena, NUL-terminated */
    int64_t line, col;
    int quoted;
} cell;

typedef struct row {
    cell *cells;
    size_t n;
} row;

static int is_number(const char *s, double *x) {
    if (!*s) return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end != '\0' || end == s) return 0;
    if (x) *x = v;
    return 1;
}

/* Splits the text into rows of cells. */
static int split(causa_i_lex *lx, causa_i_arena *ar, row **rows_out, size_t *nrows_out) {
    causa_ctx *ctx = lx->ctx;
    int rc = CAUSA_OK;
    /* The delimiter: a comma if the first non-blank line has one. */
    int comma = 0;
    {
        const char *p = lx->p;
        while (p < lx->end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
        int inq = 0;
        for (; p < lx->end && (inq || *p != '\n'); p++) {
            if (*p == '"') inq = !inq;
            if (!inq && *p == ',') {
                comma = 1;
                break;
            }
        }
    }
    row *rows = NULL;
    size_t nrows = 0, caprows = 0;
    cell *cells = NULL;
    size_t ncells = 0, capcells = 0;
    causa_i_buf t;
    causa_i_buf_init(&t, ctx);
    for (;;) {
        /* one line */
        int c = causa_i_lex_peekc(lx);
        if (c < 0) break;
        ncells = 0;
        int blank_line = 1;
        {
            const char *p = lx->p;
            while (p < lx->end && *p != '\n') {
                if (*p != ' ' && *p != '\t' && *p != '\r') {
                    blank_line = 0;
                    break;
                }
                p++;
            }
        }
        if (blank_line) {
            while (causa_i_lex_peekc(lx) >= 0 && causa_i_lex_peekc(lx) != '\n')
                causa_i_lex_advance(lx);
            causa_i_lex_advance(lx);
            continue;
        }
        for (;;) {
            if (!comma)
                while (causa_i_lex_peekc(lx) == ' ' || causa_i_lex_peekc(lx) == '\t' ||
                       causa_i_lex_peekc(lx) == '\r')
                    causa_i_lex_advance(lx);
            else
                while (causa_i_lex_peekc(lx) == ' ' || causa_i_lex_peekc(lx) == '\t')
                    causa_i_lex_advance(lx);
            c = causa_i_lex_peekc(lx);
            if (!comma && (c < 0 || c == '\n')) break;
            int64_t line = lx->line, col = lx->col;
            t.len = 0;
            CAUSA_TRY(causa_i_buf_append(&t, "", 0));
            int quoted = c == '"';
            if (quoted) {
                causa_i_lex_advance(lx);
                for (;;) {
                    int d = causa_i_lex_peekc(lx);
                    if (d < 0) {
                        rc = causa_i_lex_error_at(lx, line, col,
                                                  "expected '\"' to close the quoted cell that "
                                                  "starts here, found end of input");
                        goto done;
                    }
                    if (d == 0) {
                        rc =
                            causa_i_lex_error_at(lx, lx->line, lx->col,
                                                 "expected a character of the cell, found '\\x00'");
                        goto done;
                    }
                    causa_i_lex_advance(lx);
                    if (d == '"') {
                        if (causa_i_lex_peekc(lx) != '"') break;
                        causa_i_lex_advance(lx);
                    }
                    char ch = (char)d;
                    CAUSA_TRY(causa_i_buf_append(&t, &ch, 1));
                }
                while (causa_i_lex_peekc(lx) == ' ' || causa_i_lex_peekc(lx) == '\t' ||
                       causa_i_lex_peekc(lx) == '\r')
                    causa_i_lex_advance(lx);
            } else {
                for (;;) {
                    int d = causa_i_lex_peekc(lx);
                    if (d < 0 || d == '\n' || (comma && d == ',') ||
                        (!comma && (d == ' ' || d == '\t' || d == '\r')))
                        break;
                    if (d == '"' || d == 0) {
                        rc = causa_i_lex_error_at(lx, lx->line, lx->col,
                                                  d ? "expected a cell, found '\"' inside an "
                                                      "unquoted cell"
                                                    : "expected a character of the cell, found "
                                                      "'\\x00'");
                        goto done;
                    }
                    char ch = (char)d;
                    CAUSA_TRY(causa_i_buf_append(&t, &ch, 1));
                    causa_i_lex_advance(lx);
                }
                while (t.len > 0 && (t.data[t.len - 1] == ' ' || t.data[t.len - 1] == '\t' ||
                                     t.data[t.len - 1] == '\r'))
                    t.data[--t.len] = '\0';
            }
            if (ncells == capcells) {
                size_t cap = capcells ? 2 * capcells : 16;
                cell *cc = causa_i_realloc(ctx, cells, cap * sizeof *cc);
                if (!cc) {
                    rc = causa_i_nomem(ctx, "matrix cells", cap * sizeof *cc);
                    goto done;
                }
                cells = cc;
                capcells = cap;
            }
            char *text = causa_i_arena_alloc(ar, t.len + 1);
            if (!text) {
                rc = CAUSA_ENOMEM;
                goto done;
            }
            memcpy(text, t.data, t.len + 1);
            cells[ncells++] = (cell){text, line, col, quoted};
            c = causa_i_lex_peekc(lx);
            if (comma) {
                if (c == ',') {
                    causa_i_lex_advance(lx);
                    continue;
                }
                if (c < 0 || c == '\n') break;
                rc = causa_i_lex_error_at(lx, lx->line, lx->col,
                                          "expected ',' or end of line "
                                          "after a quoted cell, found '%c'",
                                          c);
                goto done;
            }
        }
        if (causa_i_lex_peekc(lx) == '\n') causa_i_lex_advance(lx);
        if (nrows == caprows) {
            size_t cap = caprows ? 2 * caprows : 16;
            row *rr = causa_i_realloc(ctx, rows, cap * sizeof *rr);
            if (!rr) {
                rc = causa_i_nomem(ctx, "matrix rows", cap * sizeof *rr);
                goto done;
            }
            rows = rr;
            caprows = cap;
        }
        cell *copy = causa_i_arena_alloc(ar, (ncells ? ncells : 1) * sizeof *copy);
        if (!copy) {
            rc = CAUSA_ENOMEM;
            goto done;
        }
        memcpy(copy, cells, ncells * sizeof *copy);
        rows[nrows++] = (row){copy, ncells};
    }
    *rows_out = rows;
    *nrows_out = nrows;
    rows = NULL;
done:
    causa_i_free(ctx, rows);
    causa_i_free(ctx, cells);
    causa_i_buf_free(&t);
    return rc;
}

static const char *conv_name(int convention) { return causa_matrix_convention_name(convention); }

/* The codes a convention allows, as text for messages. */
static int code_ok(int convention, double x) {
    switch (convention) {
    case CAUSA_MATRIX_PCALG_CPDAG:
        return x == 0 || x == 1;
    case CAUSA_MATRIX_PCALG_PAG:
        return x == 0 || x == 1 || x == 2 || x == 3;
    case CAUSA_MATRIX_CAUSAL_LEARN:
        return x == 0 || x == -1 || x == 1 || x == 2 || x == 4 || x == 5;
    default:
        return isfinite(x);
    }
}

static const char *codes_text(int convention) {
    switch (convention) {
    case CAUSA_MATRIX_PCALG_CPDAG:
        return "0 or 1";
    case CAUSA_MATRIX_PCALG_PAG:
        return "0, 1, 2 or 3";
    case CAUSA_MATRIX_CAUSAL_LEARN:
        return "0, -1, 1, 2, 4 or 5";
    default:
        return "a finite number";
    }
}

/* pcalg-pag code -> mark */
static int pag_mark(int code) {
    return code == 1 ? CAUSA_MARK_CIRCLE : code == 2 ? CAUSA_MARK_ARROW : CAUSA_MARK_TAIL;
}
/* causal-learn code -> mark */
static int cl_mark(int code) {
    return code == -1 ? CAUSA_MARK_TAIL : code == 1 ? CAUSA_MARK_ARROW : CAUSA_MARK_CIRCLE;
}

int causa_i_read_matrix(causa_ctx *ctx, const char *name, const char *data, size_t len,
                        int convention, causa_graph **out) {
    *out = NULL;
    if (convention < CAUSA_MATRIX_PCALG_CPDAG || convention > CAUSA_MATRIX_FROM_TO)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "adjacency matrices need --matrix "
                             "pcalg-cpdag|pcalg-pag|causal-learn|lingam|from-to");
    causa_i_lex lx;
    causa_i_lex_init(&lx, ctx, name, data, len, 0, NULL, NULL);
    causa_i_arena ar;
    causa_i_arena_init(&ar, ctx);
    row *rows = NULL;
    size_t nrows = 0;
    double *m = NULL;
    const char **names = NULL;
    causa_graph *g = NULL;
    int rc = CAUSA_OK;
    CAUSA_TRY(split(&lx, &ar, &rows, &nrows));
    if (nrows == 0) { /* an empty text is the empty graph */
        CAUSA_TRY(causa_graph_new(ctx, 0, NULL, &g));
        CAUSA_TRY(causa_i_gio_finish(ctx, lx.name, g, -1, 0, 0));
        *out = g;
        g = NULL;
        goto done;
    }
    /* A header unless every cell of the first row is an unquoted number. */
    int header = 0;
    for (size_t j = 0; j < rows[0].n; j++)
        if (rows[0].cells[j].quoted || !is_number(rows[0].cells[j].text, NULL)) header = 1;
    size_t first = header ? 1 : 0;
    size_t p;
    int rownames = 0, hoff = 0; /* rows start with a name; the header with an empty cell */
    if (header) {
        hoff = rows[0].n > 0 && rows[0].cells[0].text[0] == '\0' && !rows[0].cells[0].quoted;
        if (rows[0].n > 0 && rows[0].cells[0].text[0] == '\0') hoff = 1;
        p = rows[0].n - (size_t)hoff;
        /* R's write.table: no empty corner cell, but every row starts with its name */
        rownames = hoff || (nrows > 1 && rows[1].n == rows[0].n + 1 && rows[1].n > 0 &&
                            (rows[1].cells[0].quoted || !is_number(rows[1].cells[0].text, NULL)));
    } else {
        p = rows[0].n;
    }
    if (nrows - first != p) {
        const row *r = nrows > first + p ? &rows[first + p] : &rows[nrows - 1];
        if (nrows - first > p)
            rc = causa_i_lex_error_at(&lx, r->cells[0].line, r->cells[0].col,
                                      "expected end of input after %zu rows (one per node), "
                                      "found another row",
                                      p);
        else
            rc = causa_i_lex_error_at(&lx, lx.line, lx.col,
                                      "expected %zu rows (one per node), found end of input after "
                                      "%zu",
                                      p, nrows - first);
        goto done;
    }
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&names, (p ? p : 1) * sizeof *names, "node names"));
    for (size_t j = 0; j < p; j++) {
        if (header) {
            const cell *c = &rows[0].cells[j + (size_t)hoff];
            if (!c->text[0]) {
                rc = causa_i_lex_error_at(&lx, c->line, c->col,
                                          "expected a node name, found an empty cell");
                goto done;
            }
            names[j] = c->text;
        } else {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "X%zu", j + 1);
            names[j] = causa_i_arena_strdup(&ar, tmp);
            if (!names[j]) {
                rc = CAUSA_ENOMEM;
                goto done;
            }
        }
    }
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&m, (p > 0 ? p * p : 1) * sizeof *m, "adjacency matrix"));
    for (size_t i = 0; i < p; i++) {
        const row *r = &rows[first + i];
        size_t want = p + (size_t)rownames;
        if (r->n != want) {
            const cell *c = r->n > want ? &r->cells[want] : &r->cells[r->n - 1];
            rc = causa_i_lex_error_at(&lx, c->line, c->col,
                                      "expected %zu cells in row %zu (%s), found %zu", want, i + 1,
                                      rownames ? "a name and one per node" : "one per node", r->n);
            goto done;
        }
        if (rownames && strcmp(r->cells[0].text, names[i]) != 0) {
            rc = causa_i_lex_error_at(&lx, r->cells[0].line, r->cells[0].col,
                                      "expected the row name '%.60s' (rows follow the header's "
                                      "order), found '%.60s'",
                                      names[i], r->cells[0].text);
            goto done;
        }
        for (size_t j = 0; j < p; j++) {
            const cell *c = &r->cells[j + (size_t)rownames];
            double x;
            if (!is_number(c->text, &x) || !code_ok(convention, x)) {
                rc = causa_i_lex_error_at(&lx, c->line, c->col,
                                          "expected %s (%s convention) in row %s, column %s, "
                                          "found '%.40s'",
                                          codes_text(convention), conv_name(convention), names[i],
                                          names[j], c->text);
                goto done;
            }
            if (i == j && x != 0) {
                rc = causa_i_lex_error_at(&lx, c->line, c->col,
                                          "expected 0 on the diagonal (row %s, column %s), "
                                          "found '%.40s'",
                                          names[i], names[j], c->text);
                goto done;
            }
            m[i * p + j] = x;
        }
    }
    rc = causa_graph_new(ctx, (int64_t)p, names, &g);
    if (rc == CAUSA_EINVAL) { /* a name given twice: find it for the message */
        for (size_t j = 1; j < p; j++)
            for (size_t k = 0; k < j; k++)
                if (strcmp(names[j], names[k]) == 0) {
                    const cell *c = &rows[0].cells[j + (size_t)hoff];
                    rc = causa_i_lex_error_at(&lx, c->line, c->col,
                                              "the node name '%.100s' is given twice", names[j]);
                    goto done;
                }
    }
    if (rc) goto done;
    for (size_t i = 0; i < p; i++)
        for (size_t j = i + 1; j < p; j++) {
            double x = m[i * p + j], y = m[j * p + i]; /* [i,j] and [j,i] */
            const cell *ci = &rows[first + i].cells[j + (size_t)rownames];
            const cell *cj = &rows[first + j].cells[i + (size_t)rownames];
            int ma = 0, mb = 0, bow = 0; /* marks at i and j */
            const char *label = NULL;
            switch (convention) {
            case CAUSA_MATRIX_PCALG_CPDAG:
                if (x == 0 && y == 1)
                    ma = CAUSA_MARK_TAIL, mb = CAUSA_MARK_ARROW;
                else if (x == 1 && y == 0)
                    ma = CAUSA_MARK_ARROW, mb = CAUSA_MARK_TAIL;
                else if (x == 1 && y == 1)
                    ma = mb = CAUSA_MARK_TAIL;
                break;
            case CAUSA_MATRIX_PCALG_PAG:
                if ((x == 0) != (y == 0)) goto inconsistent;
                if (x != 0) ma = pag_mark((int)y), mb = pag_mark((int)x);
                break;
            case CAUSA_MATRIX_CAUSAL_LEARN:
                if ((x == 0) != (y == 0)) goto inconsistent;
                if (x == 4 || x == 5 || y == 4 || y == 5) {
                    if (x == 4 && y == 5)
                        ma = CAUSA_MARK_TAIL, mb = CAUSA_MARK_ARROW;
                    else if (x == 5 && y == 4)
                        ma = CAUSA_MARK_ARROW, mb = CAUSA_MARK_TAIL;
                    else
                        goto inconsistent;
                    bow = 1;
                } else if (x != 0) {
                    ma = cl_mark((int)x), mb = cl_mark((int)y);
                }
                break;
            default: {
                /* lingam: [j,i] != 0 is i --> j; from-to: [i,j] != 0 is i --> j */
                double ij = convention == CAUSA_MATRIX_LINGAM ? y : x;
                double ji = convention == CAUSA_MATRIX_LINGAM ? x : y;
                if (ij != 0 && ji != 0) {
                    rc = causa_i_lex_error_at(
                        &lx, ci->line, ci->col,
                        "row %s, column %s and row %s, column %s are both non-zero: a 2-cycle "
                        "between %s and %s, which a causa graph cannot hold",
                        names[i], names[j], names[j], names[i], names[i], names[j]);
                    goto done;
                }
                const cell *src = convention == CAUSA_MATRIX_LINGAM ? cj : ci;
                if (ij != 0) {
                    ma = CAUSA_MARK_TAIL, mb = CAUSA_MARK_ARROW;
                    label = ij != 1 ? src->text : NULL;
                } else if (ji != 0) {
                    src = convention == CAUSA_MATRIX_LINGAM ? ci : cj;
                    ma = CAUSA_MARK_ARROW, mb = CAUSA_MARK_TAIL;
                    label = ji != 1 ? src->text : NULL;
                }
                break;
            }
            }
            if (ma == 0) continue;
            CAUSA_TRY(causa_graph_add_edge(ctx, g, (int64_t)i, (int64_t)j, ma, mb));
            if (bow)
                CAUSA_TRY(causa_graph_add_edge(ctx, g, (int64_t)i, (int64_t)j, CAUSA_MARK_ARROW,
                                               CAUSA_MARK_ARROW));
            if (label) CAUSA_TRY(causa_graph_set_edge_label(ctx, g, (int64_t)i, (int64_t)j, label));
            continue;
        inconsistent:
            rc = causa_i_lex_error_at(&lx, ci->line, ci->col,
                                      "row %s, column %s is '%s' but row %s, column %s is '%s': "
                                      "not an edge in the %s convention",
                                      names[i], names[j], ci->text, names[j], names[i], cj->text,
                                      conv_name(convention));
            goto done;
        }
    CAUSA_TRY(causa_i_gio_finish(ctx, lx.name, g, -1, 0, 0));
    *out = g;
    g = NULL;
done:
    causa_graph_free(g);
    causa_i_free(ctx, m);
    causa_i_free(ctx, names);
    causa_i_free(ctx, rows);
    causa_i_arena_release(&ar);
    causa_i_lex_free(&lx);
    return rc;
}

/* ---- writing ---- */

static int put_cell(causa_i_buf *b, const char *s) {
    int quote = !s[0] || strpbrk(s, ",\"\n\r") || s[0] == ' ' || s[0] == '\t' ||
                s[strlen(s) - 1] == ' ' || s[strlen(s) - 1] == '\t' || is_number(s, NULL);
    if (!quote) return causa_i_buf_append(b, s, strlen(s));
    int rc = causa_i_buf_append(b, "\"", 1);
    for (const char *p = s; *p && !rc; p++) {
        if (*p == '"') rc = causa_i_buf_append(b, "\"", 1);
        if (!rc) rc = causa_i_buf_append(b, p, 1);
    }
    return rc ? rc : causa_i_buf_append(b, "\"", 1);
}

int causa_i_write_matrix(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                         causa_i_buf *b) {
    int conv = opt->matrix;
    if (conv < CAUSA_MATRIX_PCALG_CPDAG || conv > CAUSA_MATRIX_FROM_TO)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "adjacency matrices need --matrix "
                             "pcalg-cpdag|pcalg-pag|causal-learn|lingam|from-to");
    int64_t p = causa_graph_nnodes(g), m = causa_graph_nedges(g);
    int rc = CAUSA_OK;
    causa_edge *edges = NULL;
    const char **cells = NULL; /* p x p cell texts (NULL = "0") */
    char *codes = NULL;        /* small integer codes, as text, 4 bytes each */
    if (m > 0)
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&edges, (size_t)m * sizeof *edges, "edge list"));
    causa_graph_edges(g, edges);
    size_t pp = (size_t)p * (size_t)p;
    if (p > 0 && pp / (size_t)p != (size_t)p) {
        rc = causa_i_nomem(ctx, "adjacency matrix", SIZE_MAX);
        goto done;
    }
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&cells, causa_i_mul_size(pp ? pp : 1, sizeof *cells),
                             "adjacency matrix"));
    CAUSA_TRY(
        causa_i_alloc0(ctx, (void **)&codes, causa_i_mul_size(pp ? pp : 1, 4), "adjacency matrix"));
#define SET(i, j, text)                                                                            \
    do {                                                                                           \
        size_t at_ = (size_t)(i) * (size_t)p + (size_t)(j);                                        \
        snprintf(codes + 4 * at_, 4, "%s", (text));                                                \
        cells[at_] = codes + 4 * at_;                                                              \
    } while (0)
    for (int64_t k = 0; k < m; k++) {
        int64_t a = edges[k].a, c = edges[k].b;
        int ma = edges[k].mark_a, mc = edges[k].mark_b;
        char text[300];
        causa_i_gio_edge_text(g, a, c, ma, mc, text, sizeof text);
        int bow = k + 1 < m && edges[k + 1].a == a && edges[k + 1].b == c;
        if (bow && conv != CAUSA_MATRIX_CAUSAL_LEARN) {
            rc = causa_i_error(ctx, CAUSA_EINVAL,
                               "the pair %s, %s has a directed and a bidirected edge, which the "
                               "%s convention cannot hold",
                               causa_graph_name(g, a), causa_graph_name(g, c), conv_name(conv));
            goto done;
        }
        int directed_ac = ma == CAUSA_MARK_TAIL && mc == CAUSA_MARK_ARROW;
        int directed_ca = ma == CAUSA_MARK_ARROW && mc == CAUSA_MARK_TAIL;
        switch (conv) {
        case CAUSA_MATRIX_PCALG_CPDAG:
            if (directed_ac)
                SET(c, a, "1");
            else if (directed_ca)
                SET(a, c, "1");
            else if (ma == CAUSA_MARK_TAIL && mc == CAUSA_MARK_TAIL) {
                SET(a, c, "1");
                SET(c, a, "1");
            } else {
                rc = causa_i_error(ctx, CAUSA_EINVAL,
                                   "the pcalg-cpdag convention holds --> and --- edges only, "
                                   "not %s (use pcalg-pag or causal-learn)",
                                   text);
                goto done;
            }
            break;
        case CAUSA_MATRIX_PCALG_PAG: {
            static const char *const code[4] = {"0", "3", "2", "1"}; /* by mark */
            SET(a, c, code[mc]);
            SET(c, a, code[ma]);
            break;
        }
        case CAUSA_MATRIX_CAUSAL_LEARN: {
            static const char *const code[4] = {"0", "-1", "1", "2"};
            if (bow) {
                /* edges[k] is the directed one (it sorts first), edges[k + 1] the <-> */
                SET(a, c, directed_ac ? "4" : "5");
                SET(c, a, directed_ac ? "5" : "4");
                k++;
            } else {
                SET(a, c, code[ma]);
                SET(c, a, code[mc]);
            }
            break;
        }
        default: {
            if (!directed_ac && !directed_ca) {
                rc = causa_i_error(ctx, CAUSA_EINVAL,
                                   "the %s convention holds directed edges only, not %s",
                                   conv_name(conv), text);
                goto done;
            }
            int64_t from = directed_ac ? a : c, to = directed_ac ? c : a;
            const char *label = causa_graph_edge_label(g, a, c);
            double x;
            const char *val = "1";
            if (label && is_number(label, &x) && x != 0 && x != 1 && isfinite(x) &&
                !strchr(" \t\r\n\f\v", label[0]))
                val = label;
            size_t at = conv == CAUSA_MATRIX_LINGAM ? (size_t)to * (size_t)p + (size_t)from
                                                    : (size_t)from * (size_t)p + (size_t)to;
            cells[at] = val;
            break;
        }
        }
    }
#undef SET
    CAUSA_TRY(causa_i_buf_append(b, "", 0));
    for (int64_t j = 0; j < p; j++) {
        CAUSA_TRY(causa_i_buf_append(b, ",", 1));
        CAUSA_TRY(put_cell(b, causa_graph_name(g, j)));
    }
    CAUSA_TRY(causa_i_buf_append(b, "\n", 1));
    for (int64_t i = 0; i < p; i++) {
        CAUSA_TRY(put_cell(b, causa_graph_name(g, i)));
        for (int64_t j = 0; j < p; j++) {
            const char *s = cells[(size_t)i * (size_t)p + (size_t)j];
            CAUSA_TRY(causa_i_buf_append(b, ",", 1));
            CAUSA_TRY(causa_i_buf_append(b, s ? s : "0", strlen(s ? s : "0")));
        }
        CAUSA_TRY(causa_i_buf_append(b, "\n", 1));
    }
done:
    causa_i_free(ctx, edges);
    causa_i_free(ctx, cells);
    causa_i_free(ctx, codes);
    return rc;
}
