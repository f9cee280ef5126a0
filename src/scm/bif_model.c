/*
 * bif_model.c: a BIF network (bnlearn repository, pgmpy, GeNIe) as a model: every variable
 * a discrete node with its states as levels, every probability block its CPT.
 *
 * The structure (nodes in the order of their variable blocks, edges from the probability
 * blocks, acyclicity) comes from the graph module's BIF reader; this file reads the file a
 * second time with the same tokenizer for the states and the tables. A block
 *
 *   probability ( either | lung, tub ) {
 *     (yes, yes) 1.0, 0.0;
 *     default 0.5, 0.5;
 *   }
 *
 * gives one row per combination of the parents' states; "table p1, ..., pn;" gives the whole
 * table at once: for a root its K probabilities; with parents (as pgmpy reads it), the K x R
 * matrix with the child's state varying slowest and, within, the parents' states with the
 * last parent varying fastest; "default" fills the rows not listed. The parents of a block
 * may come in any order: rows are moved to causa's order (ascending node index, first
 * parent slowest). Rows are normalised; a row whose sum is off 1 by more than 1e-3 is an
 * error, as is a negative, missing or unknown entry (path:line:column).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../graph/lex_i.h"
#include "scm_i.h"

/* The BIF word class of the structure reader (fmt_bif.c): state names such as "<5",
 * "12+", ">=7.5" and "Asy/Patch" occur in the bnlearn files. */
static int bif_word(unsigned char c) { return c > ' ' && c != 0x7f && !strchr("{}()[]|,;\"", c); }

static int is_name(const causa_i_lex *lx) {
    return lx->tok == CAUSA_I_TOK_WORD || lx->tok == CAUSA_I_TOK_STRING;
}

typedef struct bif {
    causa_ctx *ctx;
    causa_i_lex lx;
    causa_scm *scm;
    causa_i_arena arena;
} bif;

static int skip_block(causa_i_lex *lx) {
    int rc = CAUSA_OK, depth = 1;
    while (depth > 0) {
        if (lx->tok == CAUSA_I_TOK_EOF) return causa_i_lex_expected(lx, "'}'");
        if (causa_i_lex_is(lx, "{")) depth++;
        if (causa_i_lex_is(lx, "}")) depth--;
        CAUSA_TRY(causa_i_lex_next(lx));
    }
done:
    return rc;
}

static int skip_property(causa_i_lex *lx) {
    int rc = CAUSA_OK;
    while (!causa_i_lex_is(lx, ";")) {
        if (lx->tok == CAUSA_I_TOK_EOF) return causa_i_lex_expected(lx, "';'");
        CAUSA_TRY(causa_i_lex_next(lx));
    }
    CAUSA_TRY(causa_i_lex_next(lx));
done:
    return rc;
}

/* variable NAME { type discrete [ k ] { s1, ..., sk }; ... } (the structure reader checked
 * the syntax already). */
static int read_variable(bif *b) {
    int rc = CAUSA_OK;
    causa_i_lex *lx = &b->lx;
    CAUSA_TRY(causa_i_lex_next(lx));
    int64_t v = causa_scm_find(b->scm, lx->text.data);
    if (v < 0) return causa_i_lex_expected(lx, "a variable name");
    CAUSA_TRY(causa_i_lex_next(lx));
    CAUSA_TRY(causa_i_lex_expect(lx, "{"));
    while (!causa_i_lex_is(lx, "}")) {
        if (lx->tok == CAUSA_I_TOK_EOF) return causa_i_lex_expected(lx, "'}'");
        if (!causa_i_lex_is(lx, "type")) {
            CAUSA_TRY(skip_property(lx));
            continue;
        }
        while (!causa_i_lex_is(lx, "{")) {
            if (lx->tok == CAUSA_I_TOK_EOF) return causa_i_lex_expected(lx, "'{'");
            CAUSA_TRY(causa_i_lex_next(lx));
        }
        CAUSA_TRY(causa_i_lex_next(lx));
        int64_t n = 0, cap = 8;
        const char **names = causa_i_arena_alloc(&b->arena, (size_t)cap * sizeof *names);
        if (!names) return causa_errcode(b->ctx);
        int64_t line = lx->tline, col = lx->tcol;
        for (;;) {
            if (!is_name(lx)) return causa_i_lex_expected(lx, "a state name");
            if (n == cap) {
                const char **bigger = causa_i_arena_alloc(&b->arena, (size_t)cap * 2 * sizeof *names);
                if (!bigger) return causa_errcode(b->ctx);
                memcpy(bigger, names, (size_t)cap * sizeof *names);
                names = bigger, cap *= 2;
            }
            names[n] = causa_i_arena_strdup(&b->arena, lx->text.data);
            if (!names[n]) return causa_errcode(b->ctx);
            n++;
            CAUSA_TRY(causa_i_lex_next(lx));
            if (causa_i_lex_is(lx, "}")) break;
            CAUSA_TRY(causa_i_lex_expect(lx, ","));
        }
        CAUSA_TRY(causa_i_lex_next(lx));
        rc = causa_scm_set_discrete(b->ctx, b->scm, v, n, names);
        if (rc == CAUSA_ENOMEM) return rc;
        if (rc) {
            char msg[1024];
            strncpy(msg, causa_errmsg(b->ctx), sizeof msg - 1);
            msg[sizeof msg - 1] = 0;
            return causa_i_lex_error_at(lx, line, col, "%s", msg);
        }
        CAUSA_TRY(causa_i_lex_expect(lx, ";"));
    }
    CAUSA_TRY(causa_i_lex_next(lx));
done:
    return rc;
}

/* Reads "p1, ..., pn ;" (n numbers) into x. */
static int read_numbers(bif *b, int64_t n, double *x, const char *what) {
    int rc = CAUSA_OK;
    causa_i_lex *lx = &b->lx;
    for (int64_t i = 0; i < n; i++) {
        if (i) {
            if (causa_i_lex_is(lx, ";"))
                return causa_i_lex_expected(lx, "%lld numbers for %s, only %lld given; another "
                                            "number", (long long)n, what, (long long)i);
            CAUSA_TRY(causa_i_lex_expect(lx, ","));
        }
        char *end = NULL;
        double val = lx->tok == CAUSA_I_TOK_WORD ? strtod(lx->text.data, &end) : 0;
        if (lx->tok != CAUSA_I_TOK_WORD || *end || !isfinite(val))
            return causa_i_lex_expected(lx, "a probability (a number)");
        if (val < 0)
            return causa_i_lex_error_at(lx, lx->tline, lx->tcol, "a negative probability %s",
                                        lx->text.data);
        x[i] = val;
        CAUSA_TRY(causa_i_lex_next(lx));
    }
    if (causa_i_lex_is(lx, ","))
        return causa_i_lex_error_at(lx, lx->tline, lx->tcol,
                                    "more than %lld numbers for %s", (long long)n, what);
    CAUSA_TRY(causa_i_lex_expect(lx, ";"));
done:
    return rc;
}

/* Code of a state name of node v at the current token, or an error. */
static int state_code(bif *b, int64_t v, int64_t *code) {
    causa_i_lex *lx = &b->lx;
    if (!is_name(lx)) return causa_i_lex_expected(lx, "a state of '%s'", causa_scm_name(b->scm, v));
    *code = causa_scm_find_level(b->scm, v, lx->text.data);
    if (*code < 0)
        return causa_i_lex_error_at(lx, lx->tline, lx->tcol, "'%.100s' is not a state of '%s'",
                                    lx->text.data, causa_scm_name(b->scm, v));
    return causa_i_lex_next(lx);
}

static int read_probability(bif *b) {
    int rc = CAUSA_OK;
    causa_i_lex *lx = &b->lx;
    causa_scm *scm = b->scm;
    CAUSA_TRY(causa_i_lex_next(lx));
    CAUSA_TRY(causa_i_lex_expect(lx, "("));
    int64_t c = causa_scm_find(scm, lx->text.data);
    int64_t bline = lx->tline, bcol = lx->tcol;
    if (c < 0) return causa_i_lex_expected(lx, "a variable name");
    CAUSA_TRY(causa_i_lex_next(lx));
    int64_t np = 0;
    const int64_t *par = causa_scm_parents(scm, c, &np);
    /* pos[i]: the model position of the block's i-th parent. */
    int64_t *pos = causa_i_arena_alloc(&b->arena, (size_t)(np + 1) * sizeof *pos);
    int64_t *codes = causa_i_arena_alloc(&b->arena, (size_t)(np + 1) * sizeof *codes);
    if (!pos || !codes) return causa_errcode(b->ctx);
    int64_t nb = 0;
    if (causa_i_lex_is(lx, "|")) {
        do {
            CAUSA_TRY(causa_i_lex_next(lx));
            int64_t u = causa_scm_find(scm, lx->text.data);
            int64_t k = 0;
            while (k < np && par[k] != u) k++;
            if (u < 0 || k == np || nb >= np) return causa_i_lex_expected(lx, "a parent name");
            pos[nb++] = k;
            CAUSA_TRY(causa_i_lex_next(lx));
        } while (causa_i_lex_is(lx, ","));
    }
    CAUSA_TRY(causa_i_lex_expect(lx, ")"));
    CAUSA_TRY(causa_i_lex_expect(lx, "{"));
    int64_t K = causa_scm_nlevels(scm, c), rows = 1;
    for (int64_t k = 0; k < np; k++) rows *= causa_scm_nlevels(scm, par[k]);
    double *table = causa_i_arena_alloc(&b->arena, (size_t)(rows * K) * sizeof *table);
    unsigned char *given = causa_i_arena_alloc0(&b->arena, (size_t)rows);
    double *deflt = NULL;
    if (!table || !given) return causa_errcode(b->ctx);
    char what[160];
    snprintf(what, sizeof what, "the %lld states of '%.100s'", (long long)K, causa_scm_name(scm, c));
    while (!causa_i_lex_is(lx, "}")) {
        if (lx->tok == CAUSA_I_TOK_EOF) return causa_i_lex_expected(lx, "'}'");
        if (causa_i_lex_is(lx, "(")) {
            int64_t line = lx->tline, col = lx->tcol;
            CAUSA_TRY(causa_i_lex_next(lx));
            for (int64_t i = 0; i < nb; i++) {
                if (i) CAUSA_TRY(causa_i_lex_expect(lx, ","));
                int64_t s = 0;
                CAUSA_TRY(state_code(b, par[pos[i]], &s));
                codes[pos[i]] = s;
            }
            CAUSA_TRY(causa_i_lex_expect(lx, ")"));
            int64_t r = 0;
            for (int64_t k = 0; k < np; k++) r = r * causa_scm_nlevels(scm, par[k]) + codes[k];
            if (given[r])
                return causa_i_lex_error_at(lx, line, col, "a second entry for the same parent states");
            given[r] = 1;
            CAUSA_TRY(read_numbers(b, K, table + r * K, what));
        } else if (causa_i_lex_is(lx, "table")) {
            CAUSA_TRY(causa_i_lex_next(lx));
            double *all = causa_i_arena_alloc(&b->arena, (size_t)(rows * K) * sizeof *all);
            if (!all) return causa_errcode(b->ctx);
            char w2[200];
            snprintf(w2, sizeof w2, "the table of '%.100s' (%lld entries)", causa_scm_name(scm, c),
                     (long long)(rows * K));
            CAUSA_TRY(read_numbers(b, rows * K, all, w2));
            /* all[k * rows + rb]: rb over the block's parents, the last fastest. */
            for (int64_t rb = 0; rb < rows; rb++) {
                int64_t t = rb;
                for (int64_t i = nb - 1; i >= 0; i--) {
                    int64_t L = causa_scm_nlevels(scm, par[pos[i]]);
                    codes[pos[i]] = t % L;
                    t /= L;
                }
                int64_t r = 0;
                for (int64_t k = 0; k < np; k++) r = r * causa_scm_nlevels(scm, par[k]) + codes[k];
                for (int64_t k = 0; k < K; k++) table[r * K + k] = all[k * rows + rb];
                given[r] = 1;
            }
        } else if (causa_i_lex_is(lx, "default")) {
            CAUSA_TRY(causa_i_lex_next(lx));
            deflt = causa_i_arena_alloc(&b->arena, (size_t)K * sizeof *deflt);
            if (!deflt) return causa_errcode(b->ctx);
            CAUSA_TRY(read_numbers(b, K, deflt, what));
        } else if (causa_i_lex_is(lx, "property")) {
            CAUSA_TRY(skip_property(lx));
        } else {
            return causa_i_lex_expected(lx, "'(', 'table', 'default', 'property' or '}'");
        }
    }
    CAUSA_TRY(causa_i_lex_next(lx));
    for (int64_t r = 0; r < rows; r++) {
        if (!given[r]) {
            if (!deflt) {
                causa_i_buf s;
                causa_i_buf_init(&s, b->ctx);
                int64_t t = r;
                for (int64_t k = np - 1; k >= 0; k--) {
                    int64_t L = causa_scm_nlevels(scm, par[k]);
                    codes[k] = t % L;
                    t /= L;
                }
                for (int64_t k = 0; k < np; k++)
                    causa_i_buf_printf(&s, "%s%s = %s", k ? ", " : "", causa_scm_name(scm, par[k]),
                                       causa_scm_level(scm, par[k], codes[k]));
                rc = causa_i_lex_error_at(lx, bline, bcol,
                                          "the probability block of '%s' has no entry for %s",
                                          causa_scm_name(scm, c), s.data ? s.data : "the table");
                causa_i_buf_free(&s);
                return rc;
            }
            memcpy(table + r * K, deflt, (size_t)K * sizeof *table);
        }
        double sum = 0;
        for (int64_t k = 0; k < K; k++) sum += table[r * K + k];
        if (!(fabs(sum - 1.0) <= 1e-3))
            return causa_i_lex_error_at(lx, bline, bcol,
                                        "a row of the probability block of '%s' sums to %.6g, "
                                        "not 1",
                                        causa_scm_name(scm, c), sum);
    }
    rc = causa_scm_set_cpt(b->ctx, scm, c, table);
    if (rc) {
        char msg[1024];
        strncpy(msg, causa_errmsg(b->ctx), sizeof msg - 1);
        msg[sizeof msg - 1] = 0;
        rc = rc == CAUSA_ENOMEM ? rc : causa_i_lex_error_at(lx, bline, bcol, "%s", msg);
    }
done:
    return rc;
}

int causa_i_scm_read_bif(causa_ctx *ctx, const char *name, const char *data, size_t len,
                         causa_scm **out) {
    *out = NULL;
    causa_graph *g = NULL;
    causa_graph_io_options opt;
    causa_graph_io_options_init(&opt);
    opt.format = CAUSA_FORMAT_BIF;
    int rc = causa_graph_read_buffer(ctx, name, data, len, &opt, &g);
    if (rc) return rc;
    bif b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    causa_i_arena_init(&b.arena, ctx);
    causa_i_lex_init(&b.lx, ctx, name, data, len, CAUSA_I_LEX_SLASH_COMMENTS | CAUSA_I_LEX_STRINGS,
                     bif_word, NULL);
    causa_i_lex *lx = &b.lx;
    CAUSA_TRY(causa_scm_new(ctx, g, &b.scm));
    CAUSA_TRY(causa_i_lex_next(lx));
    if (causa_i_lex_is(lx, "network")) {
        while (!causa_i_lex_is(lx, "{")) {
            if (lx->tok == CAUSA_I_TOK_EOF) {
                rc = causa_i_lex_expected(lx, "'{'");
                goto done;
            }
            CAUSA_TRY(causa_i_lex_next(lx));
        }
        CAUSA_TRY(causa_i_lex_next(lx));
        CAUSA_TRY(skip_block(lx));
    }
    while (lx->tok != CAUSA_I_TOK_EOF) {
        if (causa_i_lex_is(lx, "variable")) {
            CAUSA_TRY(read_variable(&b));
        } else if (causa_i_lex_is(lx, "probability")) {
            CAUSA_TRY(read_probability(&b));
        } else {
            rc = causa_i_lex_expected(lx, "'variable' or 'probability'");
            goto done;
        }
    }
    for (int64_t v = 0; v < causa_scm_nnodes(b.scm); v++)
        if (causa_scm_mechanism_kind(b.scm, v) == CAUSA_MECH_NONE) {
            rc = causa_i_error(ctx, CAUSA_EPARSE, "%s: the variable '%s' has no probability block",
                               name, causa_scm_name(b.scm, v));
            goto done;
        }
    *out = b.scm;
    b.scm = NULL;
done:
    causa_scm_free(b.scm);
    causa_graph_free(g);
    causa_i_lex_free(lx);
    causa_i_arena_release(&b.arena);
    return rc;
}
