/*
 * fmt_dagitty.c: DAGitty's graph syntax (dagitty.net; the grammar of its GraphDotParser):
 *
 *   dag { A -> B ; B <-> C ; A [latent] ; X [exposure, pos="1,2"] }
 *
 * The graph type is dag, pdag, mag, pag (or graph / digraph, which state nothing).
 * Statements are separated by blanks or ';'. Edges: "->" "<-" "--" "<->" and, with '@' for a
 * circle, "@->" "<-@" "@-@" "@--" "--@"; chains "a -> b -> c" and groups "a -> {b c}".
 * Node attributes: latent (a latent node), selected (a selection node); exposure, outcome,
 * adjusted and pos are accepted and ignored. An edge's label attribute is its label.
 * "name = value" statements (bb="...") are ignored.
 *
 * The type is the kind: a dag is a DAG, or an ADMG when it has bidirected edges (DAGitty
 * draws latent confounders so); a pdag is a CPDAG when it is one, else a PDAG; mag and pag
 * are MAG and PAG. A graph that is not of its stated type is an error. Writing picks the type
 * from the graph's kind (a graph of no kind is written as "graph").
 */
#include <stdio.h>
#include <string.h>

#include "lex_i.h"

static int dagitty_word(unsigned char c) { return causa_i_lex_ident_char(c) || c == '.'; }
static const char *const dagitty_ops[] = {"@->", "<-@", "<->", "@-@", "@--",
                                          "--@", "->",  "<-",  "--",  NULL};

typedef struct parser {
    causa_i_lex lx;
    causa_ctx *ctx;
    causa_graph *g;
} parser;

typedef struct nodeset {
    int64_t *v;
    size_t n, cap;
} nodeset;

static int set_push(causa_ctx *ctx, nodeset *s, int64_t x) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        int64_t *v = causa_i_realloc(ctx, s->v, cap * sizeof *v);
        if (!v) return causa_i_nomem(ctx, "DAGitty node group", cap * sizeof *v);
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return CAUSA_OK;
}

/* An ID (word or strings joined by '+') into buf. */
static int read_id(parser *ps, causa_i_buf *buf, const char *what) {
    causa_i_lex *lx = &ps->lx;
    if (lx->tok != CAUSA_I_TOK_WORD && lx->tok != CAUSA_I_TOK_STRING)
        return causa_i_lex_expected(lx, "%s", what);
    int was_string = lx->tok == CAUSA_I_TOK_STRING;
    buf->len = 0;
    int rc = causa_i_buf_append(buf, lx->text.data, lx->text.len);
    if (!rc) rc = causa_i_lex_next(lx);
    while (!rc && was_string && causa_i_lex_is(lx, "+")) {
        rc = causa_i_lex_next(lx);
        if (!rc && lx->tok != CAUSA_I_TOK_STRING)
            return causa_i_lex_expected(lx, "a quoted string after '+'");
        if (!rc) rc = causa_i_buf_append(buf, lx->text.data, lx->text.len);
        if (!rc) rc = causa_i_lex_next(lx);
    }
    return rc;
}

/* Marks of an edge operator (at its left and right operand). */
static int op_marks(const causa_i_lex *lx, int *ml, int *mr) {
    static const struct {
        const char *op;
        int l, r;
    } ops[] = {
        {"->", CAUSA_MARK_TAIL, CAUSA_MARK_ARROW},     {"<-", CAUSA_MARK_ARROW, CAUSA_MARK_TAIL},
        {"--", CAUSA_MARK_TAIL, CAUSA_MARK_TAIL},      {"<->", CAUSA_MARK_ARROW, CAUSA_MARK_ARROW},
        {"@->", CAUSA_MARK_CIRCLE, CAUSA_MARK_ARROW},  {"<-@", CAUSA_MARK_ARROW, CAUSA_MARK_CIRCLE},
        {"@-@", CAUSA_MARK_CIRCLE, CAUSA_MARK_CIRCLE}, {"@--", CAUSA_MARK_CIRCLE, CAUSA_MARK_TAIL},
        {"--@", CAUSA_MARK_TAIL, CAUSA_MARK_CIRCLE}};
    if (lx->tok != CAUSA_I_TOK_OP) return 0;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (causa_i_lex_is(lx, ops[i].op)) {
            *ml = ops[i].l;
            *mr = ops[i].r;
            return 1;
        }
    return 0;
}

typedef struct attrs {
    int latent, selected;
    char *label; /* owned */
} attrs;

/* [ k (= v)? (, | ;)? ... ] */
static int read_attrs(parser *ps, causa_i_buf *tmp, attrs *a) {
    causa_i_lex *lx = &ps->lx;
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_lex_next(lx)); /* [ */
    while (!causa_i_lex_is(lx, "]")) {
        CAUSA_TRY(read_id(ps, tmp, "an attribute or ']'"));
        char key[32];
        snprintf(key, sizeof key, "%s", tmp->data);
        int is_key = strlen(tmp->data) < sizeof key;
        if (causa_i_lex_is(lx, "=")) {
            CAUSA_TRY(causa_i_lex_next(lx));
            CAUSA_TRY(read_id(ps, tmp, "an attribute value"));
            if (is_key && strcmp(key, "label") == 0) {
                causa_i_free(ps->ctx, a->label);
                a->label = causa_i_strdup(ps->ctx, tmp->data);
                if (!a->label) return causa_i_nomem(ps->ctx, "edge label", tmp->len + 1);
            }
        } else if (is_key && strcmp(key, "latent") == 0) {
            a->latent = 1;
        } else if (is_key && strcmp(key, "selected") == 0) {
            a->selected = 1;
        }
        if (causa_i_lex_is(lx, ",") || causa_i_lex_is(lx, ";")) CAUSA_TRY(causa_i_lex_next(lx));
    }
    CAUSA_TRY(causa_i_lex_next(lx));
done:
    return rc;
}

/* An operand: a node, or a group { a b c } of nodes. */
static int read_operand(parser *ps, causa_i_buf *tmp, nodeset *set) {
    causa_i_lex *lx = &ps->lx;
    int rc = CAUSA_OK;
    int64_t v;
    if (causa_i_lex_is(lx, "{")) {
        CAUSA_TRY(causa_i_lex_next(lx));
        while (!causa_i_lex_is(lx, "}")) {
            if (causa_i_lex_is(lx, ";") || causa_i_lex_is(lx, ",")) {
                CAUSA_TRY(causa_i_lex_next(lx));
                continue;
            }
            int64_t line = lx->tline, col = lx->tcol;
            CAUSA_TRY(read_id(ps, tmp, "a node name or '}'"));
            CAUSA_TRY(causa_i_gio_node(lx, ps->g, tmp->data, line, col, &v));
            CAUSA_TRY(set_push(ps->ctx, set, v));
        }
        return causa_i_lex_next(lx);
    }
    int64_t line = lx->tline, col = lx->tcol;
    CAUSA_TRY(read_id(ps, tmp, "a node name"));
    CAUSA_TRY(causa_i_gio_node(lx, ps->g, tmp->data, line, col, &v));
    CAUSA_TRY(set_push(ps->ctx, set, v));
done:
    return rc;
}

static int read_statement(parser *ps, causa_i_buf *tmp) {
    causa_i_lex *lx = &ps->lx;
    int rc = CAUSA_OK;
    enum { MAXCHAIN = 64 };
    nodeset sets[MAXCHAIN + 1];
    int ml[MAXCHAIN], mr[MAXCHAIN];
    int64_t lines[MAXCHAIN], cols[MAXCHAIN];
    size_t n = 0;
    attrs a = {0, 0, NULL};
    memset(sets, 0, sizeof sets);
    /* "name = value": a graph option (bb="..."), ignored. */
    if (lx->tok == CAUSA_I_TOK_WORD || lx->tok == CAUSA_I_TOK_STRING) {
        const char *q = lx->p;
        while (q < lx->end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')) q++;
        if (q < lx->end && *q == '=') {
            CAUSA_TRY(read_id(ps, tmp, "an option name"));
            CAUSA_TRY(causa_i_lex_next(lx));
            CAUSA_TRY(read_id(ps, tmp, "an option value"));
            goto done;
        }
    }
    CAUSA_TRY(read_operand(ps, tmp, &sets[0]));
    int l, r;
    while (op_marks(lx, &l, &r)) {
        if (n == MAXCHAIN) {
            rc = causa_i_lex_error_at(lx, lx->tline, lx->tcol,
                                      "an edge chain longer than %d nodes; split it", MAXCHAIN);
            goto done;
        }
        ml[n] = l;
        mr[n] = r;
        lines[n] = lx->tline;
        cols[n] = lx->tcol;
        CAUSA_TRY(causa_i_lex_next(lx));
        n++;
        CAUSA_TRY(read_operand(ps, tmp, &sets[n]));
    }
    if (causa_i_lex_is(lx, "[")) CAUSA_TRY(read_attrs(ps, tmp, &a));
    if (n == 0) { /* node statement */
        for (size_t i = 0; i < sets[0].n; i++) {
            int flags = causa_graph_node_flags(ps->g, sets[0].v[i]);
            if (a.latent) flags |= CAUSA_NODE_LATENT;
            if (a.selected) flags |= CAUSA_NODE_SELECTION;
            CAUSA_TRY(causa_graph_set_node_flags(ps->ctx, ps->g, sets[0].v[i], flags));
        }
    }
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < sets[k].n; i++)
            for (size_t j = 0; j < sets[k + 1].n; j++) {
                int64_t u = sets[k].v[i], w = sets[k + 1].v[j];
                CAUSA_TRY(causa_i_gio_edge(lx, ps->g, u, w, ml[k], mr[k], lines[k], cols[k]));
                if (a.label && a.label[0])
                    CAUSA_TRY(causa_graph_set_edge_label(ps->ctx, ps->g, u, w, a.label));
            }
done:
    for (size_t k = 0; k <= MAXCHAIN; k++) causa_i_free(ps->ctx, sets[k].v);
    causa_i_free(ps->ctx, a.label);
    return rc;
}

static int has_marks(const causa_graph *g, int ma, int mb) {
    int64_t p = causa_graph_nnodes(g);
    for (int64_t v = 0; v < p; v++)
        for (int64_t k = 0; k < causa_graph_degree(g, v); k++) {
            int mv, mw;
            causa_graph_neighbor(g, v, k, NULL, &mv, &mw);
            if (mv == ma && mw == mb) return 1;
        }
    return 0;
}

int causa_i_read_dagitty(causa_ctx *ctx, const char *name, const char *data, size_t len,
                         causa_graph **out) {
    *out = NULL;
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.ctx = ctx;
    causa_i_lex *lx = &ps.lx;
    causa_i_lex_init(lx, ctx, name, data, len,
                     CAUSA_I_LEX_SLASH_COMMENTS | CAUSA_I_LEX_SIGNED_NUMBERS | CAUSA_I_LEX_STRINGS,
                     dagitty_word, dagitty_ops);
    causa_i_buf tmp;
    causa_i_buf_init(&tmp, ctx);
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_graph_new(ctx, 0, NULL, &ps.g));
    CAUSA_TRY(causa_i_lex_next(lx));
    if (lx->tok == CAUSA_I_TOK_WORD && causa_i_lex_is_nocase(lx, "strict"))
        CAUSA_TRY(causa_i_lex_next(lx));
    int64_t tline = lx->tline, tcol = lx->tcol;
    int type;
    if (lx->tok != CAUSA_I_TOK_WORD)
        type = -2;
    else if (causa_i_lex_is_nocase(lx, "dag"))
        type = CAUSA_KIND_DAG;
    else if (causa_i_lex_is_nocase(lx, "pdag"))
        type = CAUSA_KIND_PDAG;
    else if (causa_i_lex_is_nocase(lx, "mag"))
        type = CAUSA_KIND_MAG;
    else if (causa_i_lex_is_nocase(lx, "pag"))
        type = CAUSA_KIND_PAG;
    else if (causa_i_lex_is_nocase(lx, "graph") || causa_i_lex_is_nocase(lx, "digraph"))
        type = -1;
    else
        type = -2;
    if (type == -2) {
        rc = causa_i_lex_expected(lx, "a graph type (dag, pdag, mag, pag, graph)");
        goto done;
    }
    CAUSA_TRY(causa_i_lex_next(lx));
    if (!causa_i_lex_is(lx, "{")) CAUSA_TRY(read_id(&ps, &tmp, "a graph name or '{'"));
    CAUSA_TRY(causa_i_lex_expect(lx, "{"));
    for (;;) {
        while (causa_i_lex_is(lx, ";")) CAUSA_TRY(causa_i_lex_next(lx));
        if (causa_i_lex_is(lx, "}")) break;
        if (lx->tok == CAUSA_I_TOK_EOF) {
            rc = causa_i_lex_expected(lx, "'}'");
            goto done;
        }
        CAUSA_TRY(read_statement(&ps, &tmp));
    }
    CAUSA_TRY(causa_i_lex_next(lx));
    if (lx->tok != CAUSA_I_TOK_EOF) {
        rc = causa_i_lex_expected(lx, "end of input");
        goto done;
    }
    if (type == CAUSA_KIND_DAG && has_marks(ps.g, CAUSA_MARK_ARROW, CAUSA_MARK_ARROW))
        type = CAUSA_KIND_ADMG;
    if (type == CAUSA_KIND_PDAG) {
        rc = causa_graph_set_kind(ctx, ps.g, CAUSA_KIND_CPDAG);
        if (rc == CAUSA_ENOMEM) goto done;
        if (rc == CAUSA_OK) type = CAUSA_KIND_CPDAG;
        causa_clear_error(ctx);
        rc = CAUSA_OK;
    }
    CAUSA_TRY(causa_i_gio_finish(ctx, lx->name, ps.g, type, tline, tcol));
    *out = ps.g;
    ps.g = NULL;
done:
    causa_graph_free(ps.g);
    causa_i_buf_free(&tmp);
    causa_i_lex_free(lx);
    return rc;
}

/* ---- writing ---- */

static int is_bareword(const char *s) {
    if (!s[0]) return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '.'))
            return 0;
    return 1;
}

static int put_id(causa_ctx *ctx, causa_i_buf *b, const char *s, const char *what) {
    if (is_bareword(s)) return causa_i_buf_append(b, s, strlen(s));
    int rc = causa_i_buf_append(b, "\"", 1);
    for (const char *p = s; *p && !rc; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "the %s \"%.60s\" has a control character, which DAGitty "
                                 "syntax cannot hold",
                                 what, s);
        if (*p == '"' || *p == '\\') rc = causa_i_buf_append(b, "\\", 1);
        if (!rc) rc = causa_i_buf_append(b, p, 1);
    }
    return rc ? rc : causa_i_buf_append(b, "\"", 1);
}

static const char *dagitty_op(int ma, int mb) {
    static const char *const op[4][4] = {
        {"", "", "", ""},
        {"", "--", "->", "--@"},
        {"", "<-", "<->", "<-@"},
        {"", "@--", "@->", "@-@"},
    };
    return op[ma][mb];
}

int causa_i_write_dagitty(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                          causa_i_buf *b) {
    int rc = CAUSA_OK;
    int64_t p = causa_graph_nnodes(g), m = causa_graph_nedges(g);
    causa_edge *edges = NULL;
    int kind = causa_graph_kind(g);
    if (kind == CAUSA_KIND_MIXED) CAUSA_TRY(causa_graph_infer_kind(ctx, g, &kind));
    const char *type = kind == CAUSA_KIND_DAG || kind == CAUSA_KIND_ADMG     ? "dag"
                       : kind == CAUSA_KIND_PDAG || kind == CAUSA_KIND_CPDAG ? "pdag"
                       : kind == CAUSA_KIND_MAG                              ? "mag"
                       : kind == CAUSA_KIND_PAG                              ? "pag"
                                                                             : "graph";
    if (m > 0)
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&edges, (size_t)m * sizeof *edges, "edge list"));
    causa_graph_edges(g, edges);
    CAUSA_TRY(causa_i_buf_printf(b, "%s {\n", type));
    for (int64_t v = 0; v < p; v++) {
        int flags = causa_graph_node_flags(g, v);
        CAUSA_TRY(put_id(ctx, b, causa_graph_name(g, v), "node name"));
        if ((flags & CAUSA_NODE_LATENT) && (flags & CAUSA_NODE_SELECTION))
            CAUSA_TRY(causa_i_buf_printf(b, " [latent,selected]"));
        else if (flags & CAUSA_NODE_LATENT)
            CAUSA_TRY(causa_i_buf_printf(b, " [latent]"));
        else if (flags & CAUSA_NODE_SELECTION)
            CAUSA_TRY(causa_i_buf_printf(b, " [selected]"));
        CAUSA_TRY(causa_i_buf_append(b, "\n", 1));
    }
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
        CAUSA_TRY(put_id(ctx, b, causa_graph_name(g, a), "node name"));
        CAUSA_TRY(causa_i_buf_printf(b, " %s ", dagitty_op(ma, mc)));
        CAUSA_TRY(put_id(ctx, b, causa_graph_name(g, c), "node name"));
        int first_of_pair = k == 0 || edges[k - 1].a != edges[k].a || edges[k - 1].b != edges[k].b;
        const char *label = causa_graph_edge_label(g, edges[k].a, edges[k].b);
        if (opt->edge_labels && label && label[0] && first_of_pair) {
            CAUSA_TRY(causa_i_buf_printf(b, " [label="));
            /* always quoted: a label is text, whatever it looks like */
            CAUSA_TRY(causa_i_buf_append(b, "\"", 1));
            for (const char *s = label; *s; s++) {
                if ((unsigned char)*s < 0x20 || *s == 0x7f) {
                    rc = causa_i_error(ctx, CAUSA_EINVAL,
                                       "the label of the edge between %s and %s has a control "
                                       "character, which DAGitty syntax cannot hold",
                                       causa_graph_name(g, a), causa_graph_name(g, c));
                    goto done;
                }
                if (*s == '"' || *s == '\\') CAUSA_TRY(causa_i_buf_append(b, "\\", 1));
                CAUSA_TRY(causa_i_buf_append(b, s, 1));
            }
            CAUSA_TRY(causa_i_buf_printf(b, "\"]"));
        }
        CAUSA_TRY(causa_i_buf_append(b, "\n", 1));
    }
    CAUSA_TRY(causa_i_buf_printf(b, "}\n"));
done:
    causa_i_free(ctx, edges);
    return rc;
}
