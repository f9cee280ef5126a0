/*
 * lex_i.h: what the graph formats share, never exported.
 *
 *  - A small tokenizer (lex.c) that every text format uses, so that every reader reports
 *    errors the same way: "path:line:column: expected X, found Y", with line and column
 *    (1-based, columns in bytes) of the offending token.
 *  - Helpers that readers use to build a graph with positioned errors (io.c).
 *  - The entry points of each format (fmt_*.c, draw.c), dispatched by io.c.
 *
 * Readers see the input as (data, len): it need not be NUL-terminated and may contain any
 * byte; a NUL byte is reported like any other unexpected character.
 */
#ifndef CAUSA_GRAPH_LEX_I_H
#define CAUSA_GRAPH_LEX_I_H

#include "../internal.h"

/* ---- tokens ---- */
enum {
    CAUSA_I_TOK_EOF = 0,
    CAUSA_I_TOK_WORD,   /* a run of the format's word characters */
    CAUSA_I_TOK_STRING, /* a double-quoted string; text holds it unescaped */
    CAUSA_I_TOK_OP,     /* one of the format's operators, or any other single byte */
    CAUSA_I_TOK_NEWLINE /* a line end (only with CAUSA_I_LEX_NEWLINES) */
};

/* Options of a lexer. */
enum {
    CAUSA_I_LEX_NEWLINES = 1,        /* report line ends as tokens (else they are blanks) */
    CAUSA_I_LEX_SLASH_COMMENTS = 2,  /* C and C++ comments */
    CAUSA_I_LEX_HASH_LINES = 4,      /* a line whose first byte is '#' is a comment (DOT) */
    CAUSA_I_LEX_HTML = 8,            /* <...> with nested brackets is a string (DOT) */
    CAUSA_I_LEX_SIGNED_NUMBERS = 16, /* '-' before a digit or '.' starts a word (DOT) */
    CAUSA_I_LEX_STRINGS = 32         /* "..." is a string (else '"' is an ordinary byte) */
};

/* Which bytes make words, per format. */
typedef int (*causa_i_lex_class)(unsigned char c);

typedef struct causa_i_lex {
    causa_ctx *ctx;
    const char *name; /* file name for messages */
    const char *p, *end;
    int64_t line, col; /* position of p */
    int flags;
    causa_i_lex_class word;
    const char *const *ops; /* multi-byte operators, NULL-terminated, longest first */
    /* the current token */
    int tok;
    const char *tstart; /* its raw bytes in the input */
    size_t tlen;
    int64_t tline, tcol;
    causa_i_buf text; /* its text, NUL-terminated (strings unescaped) */
} causa_i_lex;

/* name may be NULL ("<input>"). Nothing is allocated until the first token. */
void causa_i_lex_init(causa_i_lex *lx, causa_ctx *ctx, const char *name, const char *data,
                      size_t len, int flags, causa_i_lex_class word, const char *const *ops);
void causa_i_lex_free(causa_i_lex *lx);
/* Reads the next token. CAUSA_EPARSE for an unterminated string or comment, ENOMEM. */
int causa_i_lex_next(causa_i_lex *lx);
/* Whether the current token is an operator or word with exactly this text. */
int causa_i_lex_is(const causa_i_lex *lx, const char *text);
/* Same, ignoring ASCII case (keywords). */
int causa_i_lex_is_nocase(const causa_i_lex *lx, const char *text);
/* If the current token is `text`, reads the next one and returns OK; otherwise the error
 * "expected 'text', found ...". */
int causa_i_lex_expect(causa_i_lex *lx, const char *text);
/* The error "name:line:col: expected <what>, found <current token>" (CAUSA_EPARSE), at the
 * current token. */
int causa_i_lex_expected(causa_i_lex *lx, const char *what, ...) CAUSA_PRINTF(2, 3);
/* "name:line:col: <message>" (CAUSA_EPARSE) at a given position. */
int causa_i_lex_error_at(causa_i_lex *lx, int64_t line, int64_t col, const char *fmt, ...)
    CAUSA_PRINTF(4, 5);
/* A short description of the current token for messages ("'->'", "end of input"...),
 * written to out (NUL-terminated, at most size bytes). */
void causa_i_lex_describe(const causa_i_lex *lx, char *out, size_t size);
/* The raw rest of the current line from the current position (not from the token),
 * without leading and trailing blanks; the position moves to the line end (the next
 * token is the NEWLINE). The text goes to lx->text; a NUL byte in it is an error. */
int causa_i_lex_rest_of_line(causa_i_lex *lx);

/* Character-level access, for formats with their own cell syntax (CSV). */
int causa_i_lex_peekc(const causa_i_lex *lx); /* -1 at the end */
void causa_i_lex_advance(causa_i_lex *lx);    /* one byte, tracking line and column */

/* Word classes shared by several formats. */
int causa_i_lex_ident_char(unsigned char c); /* [A-Za-z0-9_] and bytes >= 0x80 */

/* ---- building a graph while parsing (io.c) ---- */
/* Index of the node `name`, added if new. */
int causa_i_gio_node(causa_i_lex *lx, causa_graph *g, const char *name, int64_t line, int64_t col,
                     int64_t *index);
/* Whether the edge a *-* b may be added to g: 0 if so, else 1 with the reason in why (a self
 * loop, or a second edge between a pair other than a directed + bidirected bow). */
int causa_i_gio_edge_problem(const causa_graph *g, int64_t a, int64_t b, int mark_a, int mark_b,
                             char *why, size_t size);
/* Adds the edge a *-* b with positioned errors: a self loop, or a second edge between a pair
 * (other than a directed + bidirected bow) is "name:line:col: ...". */
int causa_i_gio_edge(causa_i_lex *lx, causa_graph *g, int64_t a, int64_t b, int mark_a, int mark_b,
                     int64_t line, int64_t col);
/* Sets the kind of a graph just read: `declared` (>= 0, as the file states it; line 0 when
 * the file gives no position) or, with declared < 0, the strictest kind it satisfies. */
int causa_i_gio_finish(causa_ctx *ctx, const char *name, causa_graph *g, int declared, int64_t line,
                       int64_t col);
/* The text of an edge "A --> B" for messages (name order a, b), into out. */
void causa_i_gio_edge_text(const causa_graph *g, int64_t a, int64_t b, int mark_a, int mark_b,
                           char *out, size_t size);
/* Edge marks as Tetrad-style symbols: "-->", "<->", "o-o"... (static). */
const char *causa_i_gio_mark_symbol(int mark_a, int mark_b);
/* Reads a whole file ("-" = standard input) into memory from ctx's allocator. */
int causa_i_gio_slurp(causa_ctx *ctx, const char *path, char **data, size_t *len);

/* ---- the formats (fmt_*.c, draw.c) ---- */
int causa_i_read_dot(causa_ctx *ctx, const char *name, const char *data, size_t len,
                     causa_graph **out);
int causa_i_write_dot(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                      causa_i_buf *b);
int causa_i_read_json(causa_ctx *ctx, const char *name, const char *data, size_t len,
                      causa_graph **out);
int causa_i_write_json(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                       causa_i_buf *b);
int causa_i_read_tetrad(causa_ctx *ctx, const char *name, const char *data, size_t len,
                        causa_graph **out);
int causa_i_write_tetrad(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                         causa_i_buf *b);
int causa_i_read_bnlearn(causa_ctx *ctx, const char *name, const char *data, size_t len,
                         causa_graph **out);
int causa_i_write_bnlearn(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                          causa_i_buf *b);
int causa_i_read_dagitty(causa_ctx *ctx, const char *name, const char *data, size_t len,
                         causa_graph **out);
int causa_i_write_dagitty(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                          causa_i_buf *b);
int causa_i_read_matrix(causa_ctx *ctx, const char *name, const char *data, size_t len,
                        int convention, causa_graph **out);
int causa_i_write_matrix(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                         causa_i_buf *b);
int causa_i_read_bif(causa_ctx *ctx, const char *name, const char *data, size_t len,
                     causa_graph **out);
/* Pictures through Graphviz's dot (draw.c). */
int causa_i_draw(causa_ctx *ctx, const causa_graph *g, const char *path, int format,
                 const causa_graph_io_options *opt);

#endif
