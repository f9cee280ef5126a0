/*
 * fmt_bif.c: the structure of a Bayesian network in BIF (the Interchange Format of the
 * bnlearn repository, also written by pgmpy and GeNIe):
 *
 *   network unknown {
 *   }
 *   variable asia {
 *     type discrete [ 2 ] { yes, no };
 *   }
 *   probability ( either | lung, tub ) {
 *     (yes, yes) 1.0, 0.0;
 *     ...
 *   }
 *
 * Nodes are the variables, in the order of their blocks; "probability ( X | A, B )" gives
 * the edges A --> X and B --> X. The tables are tokenized and skipped (reading them is the
 * model reader's job); properties are skipped. The graph must be a DAG. Writing BIF needs
 * probability tables, which a graph does not have: io.c refuses it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex_i.h"

/* Words are runs of anything but blanks and the punctuation of the format: state names such
 * as "<5", "12+", ">=7.5" and "Asy/Patch" occur (child.bif). */
static int bif_word(unsigned char c) { return c > ' ' && c != 0x7f && !strchr("{}()[]|,;\"", c); }

/* A name: a word or a quoted string. */
static int is_name(const causa_i_lex *lx) {
    return lx->tok == CAUSA_I_TOK_WORD || lx->tok == CAUSA_I_TOK_STRING;
}

/* Skips tokens up to and including the '}' that closes the block whose '{' was just read. */
static int skip_block(causa_i_lex *lx, int64_t line, int64_t col) {
    int rc = CAUSA_OK;
    int depth = 1;
    while (depth > 0) {
        if (lx->tok == CAUSA_I_TOK_EOF)
            return causa_i_lex_error_at(lx, lx->tline, lx->tcol,
                                        "expected '}' to close the block opened at line %lld, "
                                        "column %lld, found end of input",
                                        (long long)line, (long long)col);
        if (causa_i_lex_is(lx, "{")) depth++;
        if (causa_i_lex_is(lx, "}")) depth--;
        CAUSA_TRY(causa_i_lex_next(lx));
    }
done:
    return rc;
}

/* property ... ; */
static int skip_property(causa_i_lex *lx) {
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_lex_next(lx));
    while (!causa_i_lex_is(lx, ";")) {
        if (lx->tok == CAUSA_I_TOK_EOF || causa_i_lex_is(lx, "}"))
            return causa_i_lex_expected(lx, "';' to end the property");
        CAUSA_TRY(causa_i_lex_next(lx));
    }
    CAUSA_TRY(causa_i_lex_next(lx));
done:
    return rc;
}

/* variable NAME { type discrete [ k ] { s1, ..., sk }; property ...; } */
static int read_variable(causa_i_lex *lx, causa_graph *g) {
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_lex_next(lx));
    if (!is_name(lx)) return causa_i_lex_expected(lx, "a variable name");
    int64_t line = lx->tline, col = lx->tcol, v;
    if (causa_graph_find(g, lx->text.data) >= 0)
        return causa_i_lex_error_at(lx, line, col, "the variable '%.100s' is declared twice",
                                    lx->text.data);
    CAUSA_TRY(causa_i_gio_node(lx, g, lx->text.data, line, col, &v));
    CAUSA_TRY(causa_i_lex_next(lx));
    CAUSA_TRY(causa_i_lex_expect(lx, "{"));
    int typed = 0;
    while (!causa_i_lex_is(lx, "}")) {
        if (causa_i_lex_is(lx, "property")) {
            CAUSA_TRY(skip_property(lx));
            continue;
        }
        if (!causa_i_lex_is(lx, "type") || typed)
            return causa_i_lex_expected(lx,
                                        typed ? "'property' or '}'" : "'type', 'property' or '}'");
        typed = 1;
        CAUSA_TRY(causa_i_lex_next(lx));
        if (!causa_i_lex_is(lx, "discrete"))
            return causa_i_lex_expected(lx, "'discrete' (causa reads discrete networks)");
        CAUSA_TRY(causa_i_lex_next(lx));
        CAUSA_TRY(causa_i_lex_expect(lx, "["));
        int64_t kline = lx->tline, kcol = lx->tcol;
        long long k = 0;
        if (lx->tok == CAUSA_I_TOK_WORD) {
            char *end;
            k = strtoll(lx->text.data, &end, 10);
            if (*end || k < 1) k = 0;
        }
        if (k < 1) return causa_i_lex_expected(lx, "the number of states (a positive integer)");
        CAUSA_TRY(causa_i_lex_next(lx));
        CAUSA_TRY(causa_i_lex_expect(lx, "]"));
        CAUSA_TRY(causa_i_lex_expect(lx, "{"));
        long long n = 0;
        for (;;) {
            if (!is_name(lx)) return causa_i_lex_expected(lx, "a state name");
            n++;
            CAUSA_TRY(causa_i_lex_next(lx));
            if (causa_i_lex_is(lx, "}")) break;
            CAUSA_TRY(causa_i_lex_expect(lx, ","));
        }
        CAUSA_TRY(causa_i_lex_next(lx));
        if (n != k)
            return causa_i_lex_error_at(lx, kline, kcol,
                                        "the variable '%s' declares %lld states but lists %lld",
                                        causa_graph_name(g, v), k, n);
        CAUSA_TRY(causa_i_lex_expect(lx, ";"));
    }
    CAUSA_TRY(causa_i_lex_next(lx));
done:
    return rc;
}

/* probability ( X | A, B ) { ... } */
static int read_probability(causa_i_lex *lx, causa_graph *g, unsigned char *seen) {
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_lex_next(lx));
    CAUSA_TRY(causa_i_lex_expect(lx, "("));
    if (!is_name(lx)) return causa_i_lex_expected(lx, "a variable name");
    int64_t child = causa_graph_find(g, lx->text.data);
    if (child < 0)
        return causa_i_lex_error_at(lx, lx->tline, lx->tcol,
                                    "the probability block names '%.100s', which has no "
                                    "variable block before it",
                                    lx->text.data);
    if (seen[child])
        return causa_i_lex_error_at(lx, lx->tline, lx->tcol,
                                    "a second probability block for '%.100s'", lx->text.data);
    seen[child] = 1;
    CAUSA_TRY(causa_i_lex_next(lx));
    if (causa_i_lex_is(lx, "|")) {
        do {
            CAUSA_TRY(causa_i_lex_next(lx));
            if (!is_name(lx)) return causa_i_lex_expected(lx, "a parent name");
            int64_t line = lx->tline, col = lx->tcol;
            int64_t parent = causa_graph_find(g, lx->text.data);
            if (parent < 0)
                return causa_i_lex_error_at(lx, line, col,
                                            "the parent '%.100s' has no variable block before "
                                            "it",
                                            lx->text.data);
            CAUSA_TRY(causa_i_gio_edge(lx, g, parent, child, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW,
                                       line, col));
            CAUSA_TRY(causa_i_lex_next(lx));
        } while (causa_i_lex_is(lx, ","));
    }
    CAUSA_TRY(causa_i_lex_expect(lx, ")"));
    int64_t line = lx->tline, col = lx->tcol;
    CAUSA_TRY(causa_i_lex_expect(lx, "{"));
    CAUSA_TRY(skip_block(lx, line, col));
done:
    return rc;
}

int causa_i_read_bif(causa_ctx *ctx, const char *name, const char *data, size_t len,
                     causa_graph **out) {
    *out = NULL;
    causa_i_lex lx;
    causa_i_lex_init(&lx, ctx, name, data, len, CAUSA_I_LEX_SLASH_COMMENTS | CAUSA_I_LEX_STRINGS,
                     bif_word, NULL);
    causa_graph *g = NULL;
    unsigned char *seen = NULL;
    size_t seen_cap = 0;
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_graph_new(ctx, 0, NULL, &g));
    CAUSA_TRY(causa_i_lex_next(&lx));
    if (causa_i_lex_is(&lx, "network")) {
        CAUSA_TRY(causa_i_lex_next(&lx));
        if (is_name(&lx)) CAUSA_TRY(causa_i_lex_next(&lx));
        int64_t line = lx.tline, col = lx.tcol;
        CAUSA_TRY(causa_i_lex_expect(&lx, "{"));
        CAUSA_TRY(skip_block(&lx, line, col));
    }
    while (lx.tok != CAUSA_I_TOK_EOF) {
        if (causa_i_lex_is(&lx, "variable")) {
            CAUSA_TRY(read_variable(&lx, g));
        } else if (causa_i_lex_is(&lx, "probability")) {
            size_t p = (size_t)causa_graph_nnodes(g);
            if (p > seen_cap) {
                size_t cap = p * 2;
                unsigned char *s = causa_i_realloc(ctx, seen, cap);
                if (!s) {
                    rc = causa_i_nomem(ctx, "BIF blocks", cap);
                    goto done;
                }
                memset(s + seen_cap, 0, cap - seen_cap);
                seen = s;
                seen_cap = cap;
            }
            CAUSA_TRY(read_probability(&lx, g, seen));
        } else {
            rc = causa_i_lex_expected(&lx, "'variable' or 'probability'");
            goto done;
        }
    }
    CAUSA_TRY(causa_i_gio_finish(ctx, lx.name, g, CAUSA_KIND_DAG, 0, 0));
    *out = g;
    g = NULL;
done:
    causa_graph_free(g);
    causa_i_free(ctx, seen);
    causa_i_lex_free(&lx);
    return rc;
}
