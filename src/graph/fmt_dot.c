/*
 * fmt_dot.c: Graphviz DOT (https://graphviz.org/doc/info/lang.html).
 *
 * Reading follows the DOT grammar: [strict] (graph|digraph) [ID] { statements }, with node,
 * edge and attribute statements, "ID = ID" graph attributes, subgraphs (also as edge
 * operands: a -> {b c}), ports (ignored), edge chains a -> b -> c, quoted strings joined
 * with '+', HTML strings, comments and '#' lines. Attribute defaults (node [...],
 * edge [...]) apply to what follows in their subgraph, as in Graphviz.
 *
 * Meaning, as Graphviz draws it: an edge a -> b has the mark at b given by arrowhead and the
 * mark at a given by arrowtail, each shown only when dir says so (dir=forward, the default
 * of '->', shows the head; dir=back the tail; dir=both both; dir=none, the default of '--',
 * neither). A shown arrow shape ending in "dot" (odot, dot) is a circle, "none" or "tee" a
 * tail, an arrow (normal, vee, empty, inv...) an arrowhead; an end not shown is a tail.
 * So "a -> b" is a --> b, "a -- b" and "a -> b [dir=none]" are a --- b, and
 * "a -> b [dir=both, arrowtail=odot, arrowhead=normal]" is a o-> b.
 * A node with style=dashed (or class "latent") is latent; class "selection" marks a
 * selection node. An edge's label attribute is its label. Other attributes are ignored.
 *
 * Writing gives "digraph { ... }" with every node listed (so isolated nodes and the node
 * order survive), latent nodes dashed, selection nodes boxed, and marks drawn as above.
 */
#include <stdio.h>
#include <string.h>

#include "lex_i.h"

static int dot_word(unsigned char c) { return causa_i_lex_ident_char(c) || c == '.'; }
static const char *const dot_ops[] = {"->", "--", NULL};

enum { DIR_UNSET = -1, DIR_NONE = 0, DIR_FORWARD = 1, DIR_BACK = 2, DIR_BOTH = 3 };

/* Defaults in effect (node [...] and edge [...]); -1 = not set. */
typedef struct defaults {
    int latent, selection;
    int dir, head, tail; /* head/tail: a mark, or -1 */
} defaults;

typedef struct ivec {
    int64_t *v;
    size_t n, cap;
} ivec;

typedef struct parser {
    causa_i_lex lx;
    causa_ctx *ctx;
    causa_graph *g;
    int depth;
    ivec *collect; /* the node set of the subgraph being read, if any */
} parser;

static int ivec_push(causa_ctx *ctx, ivec *a, int64_t x) {
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 8;
        int64_t *v = causa_i_realloc(ctx, a->v, cap * sizeof *v);
        if (!v) return causa_i_nomem(ctx, "DOT node list", cap * sizeof *v);
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return CAUSA_OK;
}

static void ivec_free(causa_ctx *ctx, ivec *a) {
    causa_i_free(ctx, a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/* An ID: a word, or strings joined by '+'. On return the ID is in *out (from the arena) and
 * the lexer is past it. */
static int read_id(parser *ps, causa_i_arena *ar, char **out, const char *what) {
    causa_i_lex *lx = &ps->lx;
    if (lx->tok != CAUSA_I_TOK_WORD && lx->tok != CAUSA_I_TOK_STRING)
        return causa_i_lex_expected(lx, "%s", what);
    int rc = CAUSA_OK;
    causa_i_buf b;
    causa_i_buf_init(&b, ps->ctx);
    int was_string = lx->tok == CAUSA_I_TOK_STRING;
    CAUSA_TRY(causa_i_buf_append(&b, lx->text.data, lx->text.len));
    CAUSA_TRY(causa_i_lex_next(lx));
    while (was_string && causa_i_lex_is(lx, "+")) {
        CAUSA_TRY(causa_i_lex_next(lx));
        if (lx->tok != CAUSA_I_TOK_STRING) {
            rc = causa_i_lex_expected(lx, "a quoted string after '+'");
            goto done;
        }
        CAUSA_TRY(causa_i_buf_append(&b, lx->text.data, lx->text.len));
        CAUSA_TRY(causa_i_lex_next(lx));
    }
    *out = causa_i_arena_strdup(ar, b.data ? b.data : "");
    if (!*out) rc = CAUSA_ENOMEM;
done:
    causa_i_buf_free(&b);
    return rc;
}

static int is_keyword(const causa_i_lex *lx) {
    return lx->tok == CAUSA_I_TOK_WORD &&
           (causa_i_lex_is_nocase(lx, "node") || causa_i_lex_is_nocase(lx, "edge") ||
            causa_i_lex_is_nocase(lx, "graph") || causa_i_lex_is_nocase(lx, "digraph") ||
            causa_i_lex_is_nocase(lx, "subgraph") || causa_i_lex_is_nocase(lx, "strict"));
}

/* The mark an arrow shape draws, or -1. A shape name may carry modifiers ("o", "l", "r")
 * and chain several shapes ("invodot"): the last one, nearest the node, is the mark. */
static int arrow_mark(const char *s) {
    static const struct {
        const char *shape;
        int mark;
    } shapes[] = {
        {"normal", CAUSA_MARK_ARROW}, {"inv", CAUSA_MARK_ARROW},   {"vee", CAUSA_MARK_ARROW},
        {"crow", CAUSA_MARK_ARROW},   {"empty", CAUSA_MARK_ARROW}, {"open", CAUSA_MARK_ARROW},
        {"dot", CAUSA_MARK_CIRCLE},   {"none", CAUSA_MARK_TAIL},   {"tee", CAUSA_MARK_TAIL}};
    size_t n = strlen(s);
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        size_t m = strlen(shapes[i].shape);
        if (n >= m && strcmp(s + n - m, shapes[i].shape) == 0) return shapes[i].mark;
    }
    return -1;
}

static int has_word(const char *list, const char *word) {
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n) {
        int start = p == list || strchr(" ,\t", p[-1]);
        int end = p[n] == '\0' || strchr(" ,\t", p[n]);
        if (start && end) return 1;
    }
    return 0;
}

/* Attributes that matter for one statement. */
typedef struct attrs {
    int latent, selection; /* -1 = not given */
    int dir, head, tail;
    const char *label;
} attrs;

static void attrs_clear(attrs *a) {
    a->latent = a->selection = -1;
    a->dir = DIR_UNSET;
    a->head = a->tail = -1;
    a->label = NULL;
}

/* [ a = b, c = d; ... ] [ ... ] */
static int read_attr_lists(parser *ps, causa_i_arena *ar, attrs *out) {
    causa_i_lex *lx = &ps->lx;
    int rc = CAUSA_OK;
    while (causa_i_lex_is(lx, "[")) {
        CAUSA_TRY(causa_i_lex_next(lx));
        while (!causa_i_lex_is(lx, "]")) {
            char *key = NULL, *val = NULL;
            CAUSA_TRY(read_id(ps, ar, &key, "an attribute name or ']'"));
            int64_t vline, vcol;
            if (causa_i_lex_is(lx, "=")) {
                CAUSA_TRY(causa_i_lex_next(lx));
                vline = lx->tline;
                vcol = lx->tcol;
                CAUSA_TRY(read_id(ps, ar, &val, "an attribute value"));
            } else {
                vline = lx->tline;
                vcol = lx->tcol;
                val = causa_i_arena_strdup(ar, "true");
                if (!val) return CAUSA_ENOMEM;
            }
            if (strcmp(key, "style") == 0) {
                out->latent = has_word(val, "dashed");
            } else if (strcmp(key, "class") == 0) {
                out->selection = has_word(val, "selection");
                if (has_word(val, "latent")) out->latent = 1;
            } else if (strcmp(key, "label") == 0) {
                out->label = val;
            } else if (strcmp(key, "dir") == 0) {
                if (strcmp(val, "forward") == 0)
                    out->dir = DIR_FORWARD;
                else if (strcmp(val, "back") == 0)
                    out->dir = DIR_BACK;
                else if (strcmp(val, "both") == 0)
                    out->dir = DIR_BOTH;
                else if (strcmp(val, "none") == 0)
                    out->dir = DIR_NONE;
                else
                    return causa_i_lex_error_at(lx, vline, vcol,
                                                "expected dir=forward, back, both or none, "
                                                "found '%s'",
                                                val);
            } else if (strcmp(key, "arrowhead") == 0 || strcmp(key, "arrowtail") == 0) {
                int m = arrow_mark(val);
                if (m < 0)
                    return causa_i_lex_error_at(
                        lx, vline, vcol,
                        "expected an arrow shape causa reads as an edge mark (normal, vee, "
                        "empty, inv, odot, dot, none, tee), found '%s'",
                        val);
                if (key[5] == 'h')
                    out->head = m;
                else
                    out->tail = m;
            }
            if (causa_i_lex_is(lx, ",") || causa_i_lex_is(lx, ";")) CAUSA_TRY(causa_i_lex_next(lx));
        }
        CAUSA_TRY(causa_i_lex_next(lx));
    }
done:
    return rc;
}

/* A node named in a statement: created with the node defaults if new, and recorded in the
 * enclosing subgraph's node set. */
static int use_node(parser *ps, const defaults *d, const char *name, int64_t line, int64_t col,
                    int64_t *index) {
    int64_t before = causa_graph_nnodes(ps->g);
    int rc = causa_i_gio_node(&ps->lx, ps->g, name, line, col, index);
    if (rc) return rc;
    if (causa_graph_nnodes(ps->g) > before) {
        int flags =
            (d->latent > 0 ? CAUSA_NODE_LATENT : 0) | (d->selection > 0 ? CAUSA_NODE_SELECTION : 0);
        if (flags) CAUSA_TRY(causa_graph_set_node_flags(ps->ctx, ps->g, *index, flags));
    }
    if (ps->collect) CAUSA_TRY(ivec_push(ps->ctx, ps->collect, *index));
done:
    return rc;
}

static int read_stmt_list(parser *ps, causa_i_arena *ar, defaults *d);

/* subgraph [ID] { ... } or { ... }: its nodes go to *set. */
static int read_subgraph(parser *ps, causa_i_arena *ar, const defaults *outer, ivec *set) {
    causa_i_lex *lx = &ps->lx;
    int rc = CAUSA_OK;
    if (causa_i_lex_is_nocase(lx, "subgraph") && lx->tok == CAUSA_I_TOK_WORD) {
        CAUSA_TRY(causa_i_lex_next(lx));
        if (lx->tok == CAUSA_I_TOK_WORD || lx->tok == CAUSA_I_TOK_STRING) {
            char *ignored;
            CAUSA_TRY(read_id(ps, ar, &ignored, "a subgraph name"));
        }
    }
    int64_t line = lx->tline, col = lx->tcol;
    CAUSA_TRY(causa_i_lex_expect(lx, "{"));
    if (++ps->depth > 200)
        return causa_i_lex_error_at(lx, line, col, "subgraphs nested more than 200 deep");
    defaults inner = *outer; /* defaults set inside stay inside */
    ivec *saved = ps->collect;
    ps->collect = set;
    rc = read_stmt_list(ps, ar, &inner);
    ps->collect = saved;
    ps->depth--;
    if (rc) goto done;
    CAUSA_TRY(causa_i_lex_expect(lx, "}"));
    /* The subgraph's nodes belong to the enclosing subgraph too. */
    if (saved)
        for (size_t i = 0; i < set->n; i++) CAUSA_TRY(ivec_push(ps->ctx, saved, set->v[i]));
done:
    return rc;
}

static int starts_subgraph(const causa_i_lex *lx) {
    return causa_i_lex_is(lx, "{") ||
           (lx->tok == CAUSA_I_TOK_WORD && causa_i_lex_is_nocase(lx, "subgraph"));
}

/* An edge operand: a node ID (with an optional port) or a subgraph; its nodes go to set. */
static int read_operand(parser *ps, causa_i_arena *ar, const defaults *d, ivec *set) {
    causa_i_lex *lx = &ps->lx;
    if (starts_subgraph(lx)) return read_subgraph(ps, ar, d, set);
    if (is_keyword(lx)) return causa_i_lex_expected(lx, "a node name");
    int64_t line = lx->tline, col = lx->tcol;
    char *name;
    int rc = read_id(ps, ar, &name, "a node name");
    if (rc) return rc;
    /* Ports (a:n, a:p:ne) name a place on the node: nothing to do with the graph. */
    for (int k = 0; k < 2 && causa_i_lex_is(lx, ":"); k++) {
        char *port;
        if ((rc = causa_i_lex_next(lx))) return rc;
        if ((rc = read_id(ps, ar, &port, "a port name"))) return rc;
    }
    int64_t v;
    if ((rc = use_node(ps, d, name, line, col, &v))) return rc;
    return ivec_push(ps->ctx, set, v);
}

/* The marks of an edge from its operator and attributes. */
static void edge_marks(int op_directed, const defaults *d, const attrs *a, int *mark_a,
                       int *mark_b) {
    int dir = a->dir != DIR_UNSET   ? a->dir
              : d->dir != DIR_UNSET ? d->dir
              : op_directed         ? DIR_FORWARD
                                    : DIR_NONE;
    int head = a->head >= 0 ? a->head : d->head >= 0 ? d->head : CAUSA_MARK_ARROW;
    int tail = a->tail >= 0 ? a->tail : d->tail >= 0 ? d->tail : CAUSA_MARK_ARROW;
    *mark_b = (dir == DIR_FORWARD || dir == DIR_BOTH) ? head : CAUSA_MARK_TAIL;
    *mark_a = (dir == DIR_BACK || dir == DIR_BOTH) ? tail : CAUSA_MARK_TAIL;
}

static int read_edge_rest(parser *ps, causa_i_arena *ar, defaults *d, ivec *first, int64_t line,
                          int64_t col) {
    causa_i_lex *lx = &ps->lx;
    int rc = CAUSA_OK;
    enum { MAXCHAIN = 64 };
    ivec sets[MAXCHAIN];
    int ops[MAXCHAIN];
    int64_t lines[MAXCHAIN], cols[MAXCHAIN];
    size_t n = 0;
    memset(sets, 0, sizeof sets);
    while (causa_i_lex_is(lx, "->") || causa_i_lex_is(lx, "--")) {
        if (n == MAXCHAIN) {
            rc = causa_i_lex_error_at(lx, lx->tline, lx->tcol,
                                      "an edge chain longer than %d nodes; split it", MAXCHAIN);
            goto done;
        }
        ops[n] = causa_i_lex_is(lx, "->");
        lines[n] = lx->tline;
        cols[n] = lx->tcol;
        CAUSA_TRY(causa_i_lex_next(lx));
        n++;
        CAUSA_TRY(read_operand(ps, ar, d, &sets[n - 1]));
    }
    attrs a;
    attrs_clear(&a);
    CAUSA_TRY(read_attr_lists(ps, ar, &a));
    const ivec *left = first;
    for (size_t k = 0; k < n; k++) {
        int ma, mb;
        edge_marks(ops[k], d, &a, &ma, &mb);
        for (size_t i = 0; i < left->n; i++)
            for (size_t j = 0; j < sets[k].n; j++) {
                int64_t u = left->v[i], w = sets[k].v[j];
                CAUSA_TRY(causa_i_gio_edge(lx, ps->g, u, w, ma, mb, lines[k], cols[k]));
                if (a.label && a.label[0])
                    CAUSA_TRY(causa_graph_set_edge_label(ps->ctx, ps->g, u, w, a.label));
            }
        left = &sets[k];
    }
    (void)line;
    (void)col;
done:
    for (size_t k = 0; k < MAXCHAIN; k++) ivec_free(ps->ctx, &sets[k]);
    return rc;
}

static int read_stmt(parser *ps, causa_i_arena *ar, defaults *d) {
    causa_i_lex *lx = &ps->lx;
    int rc = CAUSA_OK;
    ivec first = {0};
    int64_t line = lx->tline, col = lx->tcol;
    if (lx->tok == CAUSA_I_TOK_WORD &&
        (causa_i_lex_is_nocase(lx, "node") || causa_i_lex_is_nocase(lx, "edge") ||
         causa_i_lex_is_nocase(lx, "graph"))) {
        int which = causa_i_lex_is_nocase(lx, "node")   ? 0
                    : causa_i_lex_is_nocase(lx, "edge") ? 1
                                                        : 2;
        CAUSA_TRY(causa_i_lex_next(lx));
        if (!causa_i_lex_is(lx, "[")) return causa_i_lex_expected(lx, "'['");
        attrs a;
        attrs_clear(&a);
        CAUSA_TRY(read_attr_lists(ps, ar, &a));
        if (which == 0) {
            if (a.latent >= 0) d->latent = a.latent;
            if (a.selection >= 0) d->selection = a.selection;
        } else if (which == 1) {
            if (a.dir != DIR_UNSET) d->dir = a.dir;
            if (a.head >= 0) d->head = a.head;
            if (a.tail >= 0) d->tail = a.tail;
        }
        return CAUSA_OK;
    }
    if (starts_subgraph(lx)) {
        CAUSA_TRY(read_subgraph(ps, ar, d, &first));
        if (causa_i_lex_is(lx, "->") || causa_i_lex_is(lx, "--"))
            CAUSA_TRY(read_edge_rest(ps, ar, d, &first, line, col));
        goto done;
    }
    if (is_keyword(lx)) {
        rc = causa_i_lex_expected(lx, "a statement (a node, an edge, or node/edge/graph "
                                      "attributes)");
        goto done;
    }
    char *name;
    CAUSA_TRY(read_id(ps, ar, &name, "a statement (a node, an edge, or attributes) or '}'"));
    if (causa_i_lex_is(lx, "=")) { /* a graph attribute: ignored */
        char *val;
        CAUSA_TRY(causa_i_lex_next(lx));
        CAUSA_TRY(read_id(ps, ar, &val, "an attribute value"));
        goto done;
    }
    for (int k = 0; k < 2 && causa_i_lex_is(lx, ":"); k++) {
        char *port;
        CAUSA_TRY(causa_i_lex_next(lx));
        CAUSA_TRY(read_id(ps, ar, &port, "a port name"));
    }
    if (causa_i_lex_is(lx, "->") || causa_i_lex_is(lx, "--")) {
        int64_t v;
        CAUSA_TRY(use_node(ps, d, name, line, col, &v));
        CAUSA_TRY(ivec_push(ps->ctx, &first, v));
        CAUSA_TRY(read_edge_rest(ps, ar, d, &first, line, col));
        goto done;
    }
    /* A node statement: its attributes apply to this node even if it exists. */
    attrs a;
    attrs_clear(&a);
    CAUSA_TRY(read_attr_lists(ps, ar, &a));
    int64_t v;
    CAUSA_TRY(use_node(ps, d, name, line, col, &v));
    if (a.latent >= 0 || a.selection >= 0) {
        int flags = causa_graph_node_flags(ps->g, v);
        if (a.latent >= 0)
            flags = a.latent ? flags | CAUSA_NODE_LATENT : flags & ~CAUSA_NODE_LATENT;
        if (a.selection >= 0)
            flags = a.selection ? flags | CAUSA_NODE_SELECTION : flags & ~CAUSA_NODE_SELECTION;
        CAUSA_TRY(causa_graph_set_node_flags(ps->ctx, ps->g, v, flags));
    }
done:
    ivec_free(ps->ctx, &first);
    return rc;
}

static int read_stmt_list(parser *ps, causa_i_arena *ar, defaults *d) {
    causa_i_lex *lx = &ps->lx;
    int rc = CAUSA_OK;
    while (!causa_i_lex_is(lx, "}")) {
        if (lx->tok == CAUSA_I_TOK_EOF) return causa_i_lex_expected(lx, "'}'");
        CAUSA_TRY(read_stmt(ps, ar, d));
        if (causa_i_lex_is(lx, ";")) CAUSA_TRY(causa_i_lex_next(lx));
    }
done:
    return rc;
}

int causa_i_read_dot(causa_ctx *ctx, const char *name, const char *data, size_t len,
                     causa_graph **out) {
    *out = NULL;
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.ctx = ctx;
    causa_i_lex_init(&ps.lx, ctx, name, data, len,
                     CAUSA_I_LEX_SLASH_COMMENTS | CAUSA_I_LEX_HASH_LINES | CAUSA_I_LEX_HTML |
                         CAUSA_I_LEX_SIGNED_NUMBERS | CAUSA_I_LEX_STRINGS,
                     dot_word, dot_ops);
    causa_i_lex *lx = &ps.lx;
    causa_i_arena ar;
    causa_i_arena_init(&ar, ctx);
    ar.block_size = 4096;
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_graph_new(ctx, 0, NULL, &ps.g));
    CAUSA_TRY(causa_i_lex_next(lx));
    if (lx->tok == CAUSA_I_TOK_WORD && causa_i_lex_is_nocase(lx, "strict"))
        CAUSA_TRY(causa_i_lex_next(lx));
    int directed;
    if (lx->tok == CAUSA_I_TOK_WORD && causa_i_lex_is_nocase(lx, "digraph"))
        directed = 1;
    else if (lx->tok == CAUSA_I_TOK_WORD && causa_i_lex_is_nocase(lx, "graph"))
        directed = 0;
    else {
        rc = causa_i_lex_expected(lx, "'digraph' or 'graph'");
        goto done;
    }
    CAUSA_TRY(causa_i_lex_next(lx));
    if (!causa_i_lex_is(lx, "{")) {
        char *gname;
        CAUSA_TRY(read_id(&ps, &ar, &gname, "a graph name or '{'"));
    }
    CAUSA_TRY(causa_i_lex_expect(lx, "{"));
    defaults d = {-1, -1, DIR_UNSET, -1, -1};
    (void)directed; /* the edge operator decides: '->' is directed, '--' is not */
    CAUSA_TRY(read_stmt_list(&ps, &ar, &d));
    CAUSA_TRY(causa_i_lex_expect(lx, "}"));
    if (lx->tok != CAUSA_I_TOK_EOF) {
        rc = causa_i_lex_expected(lx, "end of input (causa reads one graph per file)");
        goto done;
    }
    CAUSA_TRY(causa_i_gio_finish(ctx, lx->name, ps.g, -1, 0, 0));
    *out = ps.g;
    ps.g = NULL;
done:
    causa_graph_free(ps.g);
    causa_i_arena_release(&ar);
    causa_i_lex_free(lx);
    return rc;
}

/* ---- writing ---- */

static int is_plain_id(const char *s) {
    if (!s[0] || (s[0] >= '0' && s[0] <= '9')) return 0;
    for (const char *p = s; *p; p++)
        if (!causa_i_lex_ident_char((unsigned char)*p) || (unsigned char)*p >= 0x80) return 0;
    static const char *const kw[] = {"node", "edge", "graph", "digraph", "subgraph", "strict"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
        size_t n = strlen(kw[i]);
        if (strlen(s) == n) {
            size_t k = 0;
            while (k < n && (s[k] | 0x20) == kw[i][k]) k++;
            if (k == n) return 0;
        }
    }
    return 1;
}

/* A DOT ID: plain, or quoted with '"' and '\' escaped. */
static int put_id(causa_i_buf *b, const char *s) {
    if (is_plain_id(s)) return causa_i_buf_append(b, s, strlen(s));
    int rc = causa_i_buf_append(b, "\"", 1);
    for (const char *p = s; *p && !rc; p++) {
        if (*p == '"' || *p == '\\') rc = causa_i_buf_append(b, "\\", 1);
        if (!rc) rc = causa_i_buf_append(b, p, 1);
    }
    return rc ? rc : causa_i_buf_append(b, "\"", 1);
}

static const char *shape_of(int mark) {
    return mark == CAUSA_MARK_ARROW ? "normal" : mark == CAUSA_MARK_CIRCLE ? "odot" : "none";
}

int causa_i_write_dot(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                      causa_i_buf *b) {
    int rc = CAUSA_OK;
    int64_t p = causa_graph_nnodes(g), m = causa_graph_nedges(g);
    causa_edge *edges = NULL;
    if (m > 0)
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&edges, (size_t)m * sizeof *edges, "edge list"));
    causa_graph_edges(g, edges);
    CAUSA_TRY(causa_i_buf_printf(b, "digraph {\n"));
    if (causa_graph_kind(g) != CAUSA_KIND_MIXED)
        CAUSA_TRY(
            causa_i_buf_printf(b, "  // kind: %s\n", causa_graph_kind_name(causa_graph_kind(g))));
    for (int64_t v = 0; v < p; v++) {
        int flags = causa_graph_node_flags(g, v);
        CAUSA_TRY(causa_i_buf_append(b, "  ", 2));
        CAUSA_TRY(put_id(b, causa_graph_name(g, v)));
        if (flags & CAUSA_NODE_LATENT && flags & CAUSA_NODE_SELECTION)
            CAUSA_TRY(
                causa_i_buf_printf(b, " [style=dashed, shape=box, class=\"latent selection\"]"));
        else if (flags & CAUSA_NODE_LATENT)
            CAUSA_TRY(causa_i_buf_printf(b, " [style=dashed]"));
        else if (flags & CAUSA_NODE_SELECTION)
            CAUSA_TRY(causa_i_buf_printf(b, " [shape=box, class=\"selection\"]"));
        CAUSA_TRY(causa_i_buf_append(b, ";\n", 2));
    }
    for (int64_t k = 0; k < m; k++) {
        int64_t a = edges[k].a, c = edges[k].b;
        int ma = edges[k].mark_a, mc = edges[k].mark_b;
        /* Put an arrowhead at the head end when only one end has one. */
        if (ma == CAUSA_MARK_ARROW && mc != CAUSA_MARK_ARROW) {
            int64_t t = a;
            a = c;
            c = t;
            int tm = ma;
            ma = mc;
            mc = tm;
        } else if (ma == CAUSA_MARK_CIRCLE && mc == CAUSA_MARK_TAIL) {
            int64_t t = a;
            a = c;
            c = t;
            ma = CAUSA_MARK_TAIL;
            mc = CAUSA_MARK_CIRCLE;
        }
        CAUSA_TRY(causa_i_buf_append(b, "  ", 2));
        CAUSA_TRY(put_id(b, causa_graph_name(g, a)));
        CAUSA_TRY(causa_i_buf_append(b, " -> ", 4));
        CAUSA_TRY(put_id(b, causa_graph_name(g, c)));
        int nattr = 0;
        if (ma == CAUSA_MARK_TAIL && mc == CAUSA_MARK_ARROW) {
            /* the default drawing */
        } else if (ma == CAUSA_MARK_TAIL && mc == CAUSA_MARK_TAIL) {
            CAUSA_TRY(causa_i_buf_printf(b, " [dir=none"));
            nattr++;
        } else if (ma == CAUSA_MARK_TAIL) {
            CAUSA_TRY(causa_i_buf_printf(b, " [arrowhead=%s", shape_of(mc)));
            nattr++;
        } else {
            CAUSA_TRY(causa_i_buf_printf(b, " [dir=both, arrowtail=%s, arrowhead=%s", shape_of(ma),
                                         shape_of(mc)));
            nattr++;
        }
        /* A bow's label is written once, with its first (directed) edge. */
        int first_of_pair = k == 0 || edges[k - 1].a != edges[k].a || edges[k - 1].b != edges[k].b;
        const char *label = causa_graph_edge_label(g, edges[k].a, edges[k].b);
        if (opt->edge_labels && label && label[0] && first_of_pair) {
            CAUSA_TRY(causa_i_buf_printf(b, nattr ? ", label=" : " [label="));
            nattr++;
            /* A label is always quoted, even when it is a plain word. */
            CAUSA_TRY(causa_i_buf_append(b, "\"", 1));
            for (const char *s = label; *s; s++) {
                if (*s == '"' || *s == '\\') CAUSA_TRY(causa_i_buf_append(b, "\\", 1));
                CAUSA_TRY(causa_i_buf_append(b, s, 1));
            }
            CAUSA_TRY(causa_i_buf_append(b, "\"", 1));
        }
        if (nattr) CAUSA_TRY(causa_i_buf_append(b, "]", 1));
        CAUSA_TRY(causa_i_buf_append(b, ";\n", 2));
    }
    CAUSA_TRY(causa_i_buf_printf(b, "}\n"));
done:
    causa_i_free(ctx, edges);
    return rc;
}
