/*
 * lex.c: the tokenizer shared by the text graph formats (DOT, DAGitty, Tetrad, bnlearn,
 * BIF, and the character layer of the CSV matrices).
 *
 * A format chooses which bytes make words (a class function), which multi-byte operators
 * exist ("->", "<->", "@-@"...), and a few options (line ends as tokens, comment styles).
 * Every other byte is a one-byte operator token, so a parser always sees the offending
 * byte in its "found ..." message. The lexer tracks line and column (1-based, in bytes) of
 * each token for the message "path:line:column: expected X, found Y".
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lex_i.h"

void causa_i_lex_init(causa_i_lex *lx, causa_ctx *ctx, const char *name, const char *data,
                      size_t len, int flags, causa_i_lex_class word, const char *const *ops) {
    memset(lx, 0, sizeof *lx);
    lx->ctx = ctx;
    lx->name = name ? name : "<input>";
    lx->p = data ? data : "";
    lx->end = lx->p + (data ? len : 0);
    lx->line = lx->col = 1;
    lx->flags = flags;
    lx->word = word ? word : causa_i_lex_ident_char;
    lx->ops = ops;
    lx->tok = CAUSA_I_TOK_EOF;
    lx->tline = lx->tcol = 1;
    causa_i_buf_init(&lx->text, ctx);
}

void causa_i_lex_free(causa_i_lex *lx) { causa_i_buf_free(&lx->text); }

int causa_i_lex_ident_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

int causa_i_lex_peekc(const causa_i_lex *lx) {
    return lx->p < lx->end ? (unsigned char)*lx->p : -1;
}

void causa_i_lex_advance(causa_i_lex *lx) {
    if (lx->p >= lx->end) return;
    if (*lx->p == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->p++;
}

static int peek_at(const causa_i_lex *lx, size_t k) {
    return lx->p + k < lx->end ? (unsigned char)lx->p[k] : -1;
}

/* ---- messages ---- */

static int verror_at(causa_i_lex *lx, int64_t line, int64_t col, const char *fmt, va_list ap) {
    char msg[768];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return causa_i_error(lx->ctx, CAUSA_EPARSE, "%s:%lld:%lld: %s", lx->name, (long long)line,
                         (long long)col, msg);
}

int causa_i_lex_error_at(causa_i_lex *lx, int64_t line, int64_t col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = verror_at(lx, line, col, fmt, ap);
    va_end(ap);
    return rc;
}

/* Appends s (at most n bytes) to out, showing unprintable bytes as \xNN. */
static void quote_into(char *out, size_t size, const char *s, size_t n) {
    size_t o = strlen(out);
    for (size_t i = 0; i < n && o + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    out[o < size ? o : size - 1] = '\0';
}

void causa_i_lex_describe(const causa_i_lex *lx, char *out, size_t size) {
    if (size == 0) return;
    out[0] = '\0';
    const size_t show = 40;
    switch (lx->tok) {
    case CAUSA_I_TOK_EOF:
        snprintf(out, size, "end of input");
        return;
    case CAUSA_I_TOK_NEWLINE:
        snprintf(out, size, "end of line");
        return;
    case CAUSA_I_TOK_STRING:
        snprintf(out, size, "string \"");
        quote_into(out, size, lx->text.data ? lx->text.data : "", CAUSA_MIN(lx->text.len, show));
        if (strlen(out) + 5 < size) strcat(out, lx->text.len > show ? "...\"" : "\"");
        return;
    default:
        snprintf(out, size, "'");
        quote_into(out, size, lx->tstart, CAUSA_MIN(lx->tlen, show));
        if (strlen(out) + 5 < size) strcat(out, lx->tlen > show ? "...'" : "'");
        return;
    }
}

int causa_i_lex_expected(causa_i_lex *lx, const char *what, ...) {
    char w[512], found[128];
    va_list ap;
    va_start(ap, what);
    vsnprintf(w, sizeof w, what, ap);
    va_end(ap);
    causa_i_lex_describe(lx, found, sizeof found);
    return causa_i_lex_error_at(lx, lx->tline, lx->tcol, "expected %s, found %s", w, found);
}

/* ---- tokens ---- */

static int is_blank(int c, int newlines) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || (c == '\n' && !newlines);
}

/* Skips blanks and comments. */
static int skip(causa_i_lex *lx) {
    int newlines = lx->flags & CAUSA_I_LEX_NEWLINES;
    for (;;) {
        int c = causa_i_lex_peekc(lx);
        if (c < 0) return CAUSA_OK;
        if (is_blank(c, newlines)) {
            causa_i_lex_advance(lx);
            continue;
        }
        if ((lx->flags & CAUSA_I_LEX_HASH_LINES) && c == '#' && lx->col == 1) {
            while (causa_i_lex_peekc(lx) >= 0 && causa_i_lex_peekc(lx) != '\n')
                causa_i_lex_advance(lx);
            continue;
        }
        if ((lx->flags & CAUSA_I_LEX_SLASH_COMMENTS) && c == '/' && peek_at(lx, 1) == '/') {
            while (causa_i_lex_peekc(lx) >= 0 && causa_i_lex_peekc(lx) != '\n')
                causa_i_lex_advance(lx);
            continue;
        }
        if ((lx->flags & CAUSA_I_LEX_SLASH_COMMENTS) && c == '/' && peek_at(lx, 1) == '*') {
            int64_t line = lx->line, col = lx->col;
            causa_i_lex_advance(lx);
            causa_i_lex_advance(lx);
            for (;;) {
                if (causa_i_lex_peekc(lx) < 0)
                    return causa_i_lex_error_at(lx, line, col,
                                                "expected '*/' to close the comment that starts "
                                                "here, found end of input");
                if (causa_i_lex_peekc(lx) == '*' && peek_at(lx, 1) == '/') {
                    causa_i_lex_advance(lx);
                    causa_i_lex_advance(lx);
                    break;
                }
                causa_i_lex_advance(lx);
            }
            continue;
        }
        return CAUSA_OK;
    }
}

static int set_text(causa_i_lex *lx, const char *s, size_t n) {
    lx->text.len = 0;
    if (lx->text.data) lx->text.data[0] = '\0';
    return causa_i_buf_append(&lx->text, s, n);
}

/* A double-quoted string: \" and \\ are escapes, backslash-newline continues the line, any
 * other backslash is kept as written (Graphviz keeps "\n" for its label renderer). */
static int lex_string(causa_i_lex *lx) {
    int rc = set_text(lx, "", 0);
    if (rc) return rc;
    causa_i_lex_advance(lx); /* the opening quote */
    for (;;) {
        int c = causa_i_lex_peekc(lx);
        if (c < 0)
            return causa_i_lex_error_at(lx, lx->tline, lx->tcol,
                                        "expected '\"' to close the string that starts here, "
                                        "found end of input");
        if (c == '"') {
            causa_i_lex_advance(lx);
            break;
        }
        if (c == 0)
            return causa_i_lex_error_at(lx, lx->line, lx->col,
                                        "expected a character of the string, found '\\x00'");
        if (c == '\\') {
            int d = peek_at(lx, 1);
            if (d == '"' || d == '\\') {
                causa_i_lex_advance(lx);
                causa_i_lex_advance(lx);
                char ch = (char)d;
                if ((rc = causa_i_buf_append(&lx->text, &ch, 1))) return rc;
                continue;
            }
            if (d == '\n' || d == '\r') {
                causa_i_lex_advance(lx);
                while (causa_i_lex_peekc(lx) == '\r') causa_i_lex_advance(lx);
                if (causa_i_lex_peekc(lx) == '\n') causa_i_lex_advance(lx);
                continue;
            }
        }
        char ch = (char)c;
        if ((rc = causa_i_buf_append(&lx->text, &ch, 1))) return rc;
        causa_i_lex_advance(lx);
    }
    lx->tok = CAUSA_I_TOK_STRING;
    lx->tlen = (size_t)(lx->p - lx->tstart);
    return CAUSA_OK;
}

/* DOT's HTML strings: <...> with nested angle brackets; the text is kept without the outer
 * brackets. */
static int lex_html(causa_i_lex *lx) {
    int depth = 0;
    const char *start = lx->p + 1;
    for (;;) {
        int c = causa_i_lex_peekc(lx);
        if (c < 0)
            return causa_i_lex_error_at(lx, lx->tline, lx->tcol,
                                        "expected '>' to close the HTML string that starts "
                                        "here, found end of input");
        if (c == 0)
            return causa_i_lex_error_at(lx, lx->line, lx->col,
                                        "expected a character of the HTML string, found '\\x00'");
        if (c == '<') depth++;
        if (c == '>' && --depth == 0) break;
        causa_i_lex_advance(lx);
    }
    int rc = set_text(lx, start, (size_t)(lx->p - start));
    causa_i_lex_advance(lx);
    lx->tok = CAUSA_I_TOK_STRING;
    lx->tlen = (size_t)(lx->p - lx->tstart);
    return rc;
}

int causa_i_lex_next(causa_i_lex *lx) {
    int rc = skip(lx);
    if (rc) return rc;
    lx->tstart = lx->p;
    lx->tline = lx->line;
    lx->tcol = lx->col;
    lx->tlen = 0;
    int c = causa_i_lex_peekc(lx);
    if (c < 0) {
        lx->tok = CAUSA_I_TOK_EOF;
        return set_text(lx, "", 0);
    }
    if (c == '\n') {
        causa_i_lex_advance(lx);
        lx->tok = CAUSA_I_TOK_NEWLINE;
        lx->tlen = 1;
        return set_text(lx, "\n", 1);
    }
    if (c == '"' && (lx->flags & CAUSA_I_LEX_STRINGS)) return lex_string(lx);
    if (c == '<' && (lx->flags & CAUSA_I_LEX_HTML)) return lex_html(lx);
    /* Operators first, so "--" is not read as two '-' (nor "-1" in "a--1" as a number). */
    for (size_t k = 0; lx->ops && lx->ops[k]; k++) {
        size_t n = strlen(lx->ops[k]);
        if ((size_t)(lx->end - lx->p) >= n && memcmp(lx->p, lx->ops[k], n) == 0) {
            for (size_t i = 0; i < n; i++) causa_i_lex_advance(lx);
            lx->tok = CAUSA_I_TOK_OP;
            lx->tlen = n;
            return set_text(lx, lx->tstart, n);
        }
    }
    int signed_number = 0;
    if ((lx->flags & CAUSA_I_LEX_SIGNED_NUMBERS) && c == '-') {
        int d = peek_at(lx, 1);
        signed_number =
            (d >= '0' && d <= '9') || (d == '.' && peek_at(lx, 2) >= '0' && peek_at(lx, 2) <= '9');
    }
    if (signed_number || lx->word((unsigned char)c)) {
        causa_i_lex_advance(lx);
        while (causa_i_lex_peekc(lx) >= 0 && lx->word((unsigned char)causa_i_lex_peekc(lx)))
            causa_i_lex_advance(lx);
        lx->tok = CAUSA_I_TOK_WORD;
        lx->tlen = (size_t)(lx->p - lx->tstart);
        return set_text(lx, lx->tstart, lx->tlen);
    }
    causa_i_lex_advance(lx);
    lx->tok = CAUSA_I_TOK_OP;
    lx->tlen = 1;
    return set_text(lx, lx->tstart, 1);
}

int causa_i_lex_is(const causa_i_lex *lx, const char *text) {
    if (lx->tok != CAUSA_I_TOK_OP && lx->tok != CAUSA_I_TOK_WORD) return 0;
    size_t n = strlen(text);
    return lx->tlen == n && memcmp(lx->tstart, text, n) == 0;
}

int causa_i_lex_is_nocase(const causa_i_lex *lx, const char *text) {
    if (lx->tok != CAUSA_I_TOK_OP && lx->tok != CAUSA_I_TOK_WORD) return 0;
    size_t n = strlen(text);
    if (lx->tlen != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)lx->tstart[i]) != tolower((unsigned char)text[i])) return 0;
    return 1;
}

int causa_i_lex_expect(causa_i_lex *lx, const char *text) {
    if (!causa_i_lex_is(lx, text)) return causa_i_lex_expected(lx, "'%s'", text);
    return causa_i_lex_next(lx);
}

int causa_i_lex_rest_of_line(causa_i_lex *lx) {
    while (causa_i_lex_peekc(lx) == ' ' || causa_i_lex_peekc(lx) == '\t') causa_i_lex_advance(lx);
    const char *start = lx->p;
    while (causa_i_lex_peekc(lx) >= 0 && causa_i_lex_peekc(lx) != '\n') {
        if (causa_i_lex_peekc(lx) == 0)
            return causa_i_lex_error_at(lx, lx->line, lx->col, "expected text, found '\\x00'");
        causa_i_lex_advance(lx);
    }
    const char *stop = lx->p;
    while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r')) stop--;
    return set_text(lx, start, (size_t)(stop - start));
}
