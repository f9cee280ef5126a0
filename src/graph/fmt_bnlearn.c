/*
 * fmt_bnlearn.c: bnlearn's model strings (modelstring(), model2network()):
 *
 *   [A][B|A][C|A:B]
 *
 * One bracket per node, "[node]" or "[node|parent1:parent2...]", in any order; blanks and
 * line breaks between brackets are allowed, and blanks around names are dropped. A name may
 * hold any character but '[', ']', '|', ':' and line breaks. The format holds DAGs only, so
 * a reader checks acyclicity and a writer refuses any edge that is not directed.
 */
#include <stdio.h>
#include <string.h>

#include "lex_i.h"

/* Reads a name up to one of the stop bytes; blanks around it dropped. */
static int read_name(causa_i_lex *lx, char *buf, size_t size, int64_t *line, int64_t *col,
                     size_t *n) {
    while (causa_i_lex_peekc(lx) == ' ' || causa_i_lex_peekc(lx) == '\t' ||
           causa_i_lex_peekc(lx) == '\r')
        causa_i_lex_advance(lx);
    *line = lx->line;
    *col = lx->col;
    *n = 0;
    for (;;) {
        int c = causa_i_lex_peekc(lx);
        if (c <= 0 || c == '[' || c == ']' || c == '|' || c == ':' || c == '\n') break;
        if (*n + 1 >= size)
            return causa_i_lex_error_at(lx, *line, *col, "a node name longer than %zu bytes",
                                        size - 1);
        buf[(*n)++] = (char)c;
        causa_i_lex_advance(lx);
    }
    while (*n > 0 && (buf[*n - 1] == ' ' || buf[*n - 1] == '\t' || buf[*n - 1] == '\r')) (*n)--;
    buf[*n] = '\0';
    return CAUSA_OK;
}

/* "expected X, found Y" at the current byte. */
static int expected_here(causa_i_lex *lx, const char *what) {
    int c = causa_i_lex_peekc(lx);
    if (c < 0)
        return causa_i_lex_error_at(lx, lx->line, lx->col, "expected %s, found end of input", what);
    if (c == '\n')
        return causa_i_lex_error_at(lx, lx->line, lx->col, "expected %s, found end of line", what);
    if (c < 0x20 || c == 0x7f)
        return causa_i_lex_error_at(lx, lx->line, lx->col, "expected %s, found '\\x%02x'", what, c);
    return causa_i_lex_error_at(lx, lx->line, lx->col, "expected %s, found '%c'", what, c);
}

static void skip_blanks(causa_i_lex *lx) {
    for (int c; (c = causa_i_lex_peekc(lx)) == ' ' || c == '\t' || c == '\r' || c == '\n';)
        causa_i_lex_advance(lx);
}

typedef struct pending {
    int64_t child;
    size_t name_off; /* parent name in the arena text */
    int64_t line, col;
} pending;

int causa_i_read_bnlearn(causa_ctx *ctx, const char *name, const char *data, size_t len,
                         causa_graph **out) {
    *out = NULL;
    causa_i_lex lx;
    causa_i_lex_init(&lx, ctx, name, data, len, 0, NULL, NULL);
    causa_graph *g = NULL;
    causa_i_buf names; /* parent names, NUL-separated */
    causa_i_buf_init(&names, ctx);
    pending *pend = NULL;
    size_t npend = 0, cappend = 0;
    char *buf = NULL;
    size_t bufsize = len + 1 < 4096 ? 4096 : len + 1;
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&buf, bufsize, "model string name"));
    CAUSA_TRY(causa_graph_new(ctx, 0, NULL, &g));
    skip_blanks(&lx); /* an empty text is the empty graph */
    while (causa_i_lex_peekc(&lx) >= 0) {
        if (causa_i_lex_peekc(&lx) != '[') {
            rc = expected_here(&lx, "'[' (a model string such as [A][B|A])");
            goto done;
        }
        causa_i_lex_advance(&lx);
        int64_t line, col;
        size_t n;
        CAUSA_TRY(read_name(&lx, buf, bufsize, &line, &col, &n));
        if (n == 0) {
            rc = expected_here(&lx, "a node name");
            goto done;
        }
        if (causa_graph_find(g, buf) >= 0) {
            rc =
                causa_i_lex_error_at(&lx, line, col, "the node '%.100s' has a second bracket", buf);
            goto done;
        }
        int64_t child;
        CAUSA_TRY(causa_i_gio_node(&lx, g, buf, line, col, &child));
        if (causa_i_lex_peekc(&lx) == '|') {
            do {
                causa_i_lex_advance(&lx);
                CAUSA_TRY(read_name(&lx, buf, bufsize, &line, &col, &n));
                if (n == 0) {
                    rc = expected_here(&lx, "a parent name");
                    goto done;
                }
                if (npend == cappend) {
                    size_t cap = cappend ? 2 * cappend : 16;
                    pending *pp = causa_i_realloc(ctx, pend, cap * sizeof *pp);
                    if (!pp) {
                        rc = causa_i_nomem(ctx, "model string parents", cap * sizeof *pp);
                        goto done;
                    }
                    pend = pp;
                    cappend = cap;
                }
                pend[npend++] = (pending){child, names.len, line, col};
                CAUSA_TRY(causa_i_buf_append(&names, buf, n + 1));
            } while (causa_i_lex_peekc(&lx) == ':');
        }
        if (causa_i_lex_peekc(&lx) != ']') {
            rc = expected_here(&lx, causa_i_lex_peekc(&lx) == '[' ? "']' before the next '['"
                                                                  : "':', '|' or ']'");
            goto done;
        }
        causa_i_lex_advance(&lx);
        skip_blanks(&lx);
    }
    /* Parents may be named before their own bracket, so edges come once all nodes are known. */
    for (size_t k = 0; k < npend; k++) {
        const char *pname = names.data + pend[k].name_off;
        int64_t parent = causa_graph_find(g, pname);
        if (parent < 0) {
            rc = causa_i_lex_error_at(&lx, pend[k].line, pend[k].col,
                                      "the parent '%.100s' has no bracket [%.100s] of its own",
                                      pname, pname);
            goto done;
        }
        CAUSA_TRY(causa_i_gio_edge(&lx, g, parent, pend[k].child, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW,
                                   pend[k].line, pend[k].col));
    }
    CAUSA_TRY(causa_i_gio_finish(ctx, lx.name, g, CAUSA_KIND_DAG, 0, 0));
    *out = g;
    g = NULL;
done:
    causa_graph_free(g);
    causa_i_free(ctx, buf);
    causa_i_free(ctx, pend);
    causa_i_buf_free(&names);
    causa_i_lex_free(&lx);
    return rc;
}

int causa_i_write_bnlearn(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                          causa_i_buf *b) {
    (void)opt;
    int64_t p = causa_graph_nnodes(g);
    int rc = CAUSA_OK;
    int64_t *cycle = NULL;
    for (int64_t v = 0; v < p; v++) {
        const char *s = causa_graph_name(g, v);
        /* What read_name would not give back: a stop byte, or a blank it trims at either
         * end (space, tab, carriage return). */
        size_t len = strlen(s);
        if (strpbrk(s, "[]|:\n") || (len > 0 && (strchr(" \t\r", s[0]) || strchr(" \t\r", s[len - 1]))))
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "the node name \"%.60s\" has a character a bnlearn model string "
                                 "cannot hold ('[', ']', '|', ':', a line break, or a space, tab or "
                                 "carriage return at either end)",
                                 s);
        for (int64_t k = 0; k < causa_graph_degree(g, v); k++) {
            int64_t w;
            int mv, mw;
            causa_graph_neighbor(g, v, k, &w, &mv, &mw);
            if (!((mv == CAUSA_MARK_TAIL && mw == CAUSA_MARK_ARROW) ||
                  (mv == CAUSA_MARK_ARROW && mw == CAUSA_MARK_TAIL))) {
                char text[256];
                causa_i_gio_edge_text(g, v, w, mv, mw, text, sizeof text);
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "a bnlearn model string holds DAGs only, and %s is not a "
                                     "directed edge",
                                     text);
            }
        }
    }
    int64_t len = 0;
    if (p > 0) {
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&cycle, (size_t)p * sizeof *cycle, "cycle"));
        CAUSA_TRY(causa_graph_find_cycle(ctx, g, cycle, &len));
    }
    if (len > 0) {
        causa_i_buf t;
        causa_i_buf_init(&t, ctx);
        for (int64_t i = 0; i < len && rc == CAUSA_OK; i++)
            rc = causa_i_buf_printf(&t, "%s -> ", causa_graph_name(g, cycle[i]));
        if (rc == CAUSA_OK) rc = causa_i_buf_printf(&t, "%s", causa_graph_name(g, cycle[0]));
        if (rc == CAUSA_OK)
            rc = causa_i_error(ctx, CAUSA_ECYCLE,
                               "a bnlearn model string holds DAGs only, and the graph has the "
                               "directed cycle %s",
                               t.data);
        causa_i_buf_free(&t);
        goto done;
    }
    for (int64_t v = 0; v < p; v++) {
        CAUSA_TRY(causa_i_buf_printf(b, "[%s", causa_graph_name(g, v)));
        int first = 1;
        for (int64_t k = 0; k < causa_graph_degree(g, v); k++) {
            int64_t w;
            int mv, mw;
            causa_graph_neighbor(g, v, k, &w, &mv, &mw);
            if (mv != CAUSA_MARK_ARROW) continue;
            CAUSA_TRY(causa_i_buf_printf(b, "%s%s", first ? "|" : ":", causa_graph_name(g, w)));
            first = 0;
        }
        CAUSA_TRY(causa_i_buf_append(b, "]", 1));
    }
    CAUSA_TRY(causa_i_buf_append(b, "\n", 1));
done:
    causa_i_free(ctx, cycle);
    return rc;
}
