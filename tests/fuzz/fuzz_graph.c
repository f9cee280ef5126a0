/*
 * fuzz_graph.c: libFuzzer target for the graph readers and writers. The first byte chooses
 * the format (and, for matrices, the convention); the rest is parsed with
 * causa_graph_read_buffer. A failed read must give CAUSA_EPARSE (or ENOMEM, or EINVAL for a
 * matrix, ECYCLE never: a reader reports cycles as EPARSE), a message, and no graph. A
 * successful read is written back in every text format; a write may refuse what a format
 * cannot hold (EINVAL, ECYCLE), but what it writes must read back to the same graph, up to
 * what that format keeps (names, flags, marks, labels, kind).
 *
 * Seeds: tests/fuzz/corpus/graph (the first byte of each names its format, see pick()).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causa.h"
#include "fuzz_common.h"

/* Format and matrix convention of a selector byte. */
static void pick(uint8_t b, int *format, int *matrix) {
    static const int formats[12] = {CAUSA_FORMAT_DOT,     CAUSA_FORMAT_JSON,    CAUSA_FORMAT_TETRAD,
                                    CAUSA_FORMAT_BNLEARN, CAUSA_FORMAT_DAGITTY, CAUSA_FORMAT_BIF,
                                    CAUSA_FORMAT_MATRIX,  CAUSA_FORMAT_MATRIX,  CAUSA_FORMAT_MATRIX,
                                    CAUSA_FORMAT_MATRIX,  CAUSA_FORMAT_MATRIX,  CAUSA_FORMAT_AUTO};
    *format = formats[b % 12];
    *matrix = b % 12 >= 6 && b % 12 <= 10 ? (int)(b % 12) - 5 : CAUSA_MATRIX_NONE;
}

static int is_clean_number(const char *s) {
    if (!s || !*s || strchr(" \t\r\n\f\v", s[0])) return 0;
    char *end;
    double x = strtod(s, &end);
    return *end == '\0' && x != 0 && x != 1 && isfinite(x);
}

/* The label a format gives back for label l ("" for none). */
static const char *kept_label(int format, int matrix, const char *l, char *buf, size_t size) {
    if (!l) return "";
    switch (format) {
    case CAUSA_FORMAT_DOT:
    case CAUSA_FORMAT_JSON:
    case CAUSA_FORMAT_DAGITTY:
        return l;
    case CAUSA_FORMAT_TETRAD: {
        /* the rest of the line, trimmed */
        while (*l == ' ' || *l == '\t') l++;
        size_t n = strlen(l);
        while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r')) n--;
        if (n >= size) n = size - 1;
        memcpy(buf, l, n);
        buf[n] = '\0';
        return buf;
    }
    case CAUSA_FORMAT_MATRIX:
        if (matrix == CAUSA_MATRIX_LINGAM || matrix == CAUSA_MATRIX_FROM_TO)
            return is_clean_number(l) ? l : "";
        return "";
    default:
        return "";
    }
}

static void check_same(const causa_graph *a, const causa_graph *b, int format, int matrix,
                       const char *text) {
    int64_t p = causa_graph_nnodes(a);
    const char *fname = causa_graph_format_name(format);
    REQUIRE(p == causa_graph_nnodes(b), "%s: %lld nodes, then %lld\n%s", fname, (long long)p,
            (long long)causa_graph_nnodes(b), text);
    for (int64_t v = 0; v < p; v++) {
        REQUIRE(strcmp(causa_graph_name(a, v), causa_graph_name(b, v)) == 0, "%s: node %lld\n%s",
                fname, (long long)v, text);
        int fa = causa_graph_node_flags(a, v), fb = causa_graph_node_flags(b, v);
        if (format == CAUSA_FORMAT_TETRAD && (fa & CAUSA_NODE_LATENT)) fa = CAUSA_NODE_LATENT;
        if (format == CAUSA_FORMAT_BNLEARN || format == CAUSA_FORMAT_MATRIX) fa = 0;
        REQUIRE(fa == fb, "%s: flags of %s: %d, then %d\n%s", fname, causa_graph_name(a, v), fa, fb,
                text);
    }
    int64_t m = causa_graph_nedges(a);
    REQUIRE(m == causa_graph_nedges(b), "%s: %lld edges, then %lld\n%s", fname, (long long)m,
            (long long)causa_graph_nedges(b), text);
    causa_edge *ea = malloc((size_t)(m + 1) * sizeof *ea),
               *eb = malloc((size_t)(m + 1) * sizeof *eb);
    REQUIRE(ea && eb, "out of memory");
    causa_graph_edges(a, ea);
    causa_graph_edges(b, eb);
    for (int64_t k = 0; k < m; k++) {
        REQUIRE(ea[k].a == eb[k].a && ea[k].b == eb[k].b && ea[k].mark_a == eb[k].mark_a &&
                    ea[k].mark_b == eb[k].mark_b,
                "%s: edge %lld differs\n%s", fname, (long long)k, text);
        char buf[4096];
        const char *la = kept_label(format, matrix, causa_graph_edge_label(a, ea[k].a, ea[k].b),
                                    buf, sizeof buf);
        const char *lb = causa_graph_edge_label(b, eb[k].a, eb[k].b);
        REQUIRE(strcmp(la, lb ? lb : "") == 0, "%s: label \"%s\", then \"%s\"\n%s", fname, la,
                lb ? lb : "(none)", text);
    }
    free(ea);
    free(eb);
    if (format == CAUSA_FORMAT_JSON)
        REQUIRE(causa_graph_kind(a) == causa_graph_kind(b), "json: kind %d, then %d\n%s",
                causa_graph_kind(a), causa_graph_kind(b), text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 100000) return 0;
    causa_ctx_config cfg;
    causa_ctx_config_init(&cfg);
    cfg.alloc = capped_alloc;
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(&cfg, &ctx) != CAUSA_OK) return 0;
    int format, matrix;
    pick(data[0], &format, &matrix);
    causa_graph_io_options o;
    causa_graph_io_options_init(&o);
    o.format = format;
    o.matrix = matrix;
    causa_graph *g = (causa_graph *)&g;
    int rc = causa_graph_read_buffer(ctx, "fuzz", (const char *)data + 1, size - 1, &o, &g);
    if (rc != CAUSA_OK) {
        REQUIRE(g == NULL, "graph left after a failed read");
        REQUIRE(rc == CAUSA_EPARSE || rc == CAUSA_ENOMEM ||
                    (rc == CAUSA_EINVAL && format == CAUSA_FORMAT_MATRIX),
                "read returned %s: %s", causa_strerror(rc), causa_errmsg(ctx));
        REQUIRE(*causa_errmsg(ctx), "no message");
        causa_ctx_free(ctx);
        return 0;
    }
    /* every text format, and every matrix convention */
    static const int outs[][2] = {{CAUSA_FORMAT_DOT, 0},
                                  {CAUSA_FORMAT_JSON, 0},
                                  {CAUSA_FORMAT_TETRAD, 0},
                                  {CAUSA_FORMAT_BNLEARN, 0},
                                  {CAUSA_FORMAT_DAGITTY, 0},
                                  {CAUSA_FORMAT_MATRIX, CAUSA_MATRIX_PCALG_CPDAG},
                                  {CAUSA_FORMAT_MATRIX, CAUSA_MATRIX_PCALG_PAG},
                                  {CAUSA_FORMAT_MATRIX, CAUSA_MATRIX_CAUSAL_LEARN},
                                  {CAUSA_FORMAT_MATRIX, CAUSA_MATRIX_LINGAM},
                                  {CAUSA_FORMAT_MATRIX, CAUSA_MATRIX_FROM_TO}};
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
        causa_graph_io_options w;
        causa_graph_io_options_init(&w);
        w.format = outs[i][0];
        w.matrix = outs[i][1];
        char *text = NULL;
        size_t len = 0;
        rc = causa_graph_write_buffer(ctx, g, w.format, &w, &text, &len);
        if (rc != CAUSA_OK) {
            REQUIRE(text == NULL, "text left after a failed write");
            REQUIRE(rc == CAUSA_EINVAL || rc == CAUSA_ECYCLE || rc == CAUSA_ENOMEM,
                    "%s: write returned %s: %s", causa_graph_format_name(w.format),
                    causa_strerror(rc), causa_errmsg(ctx));
            continue;
        }
        REQUIRE(strlen(text) == len, "length");
        causa_graph *h = NULL;
        rc = causa_graph_read_buffer(ctx, "again", text, len, &w, &h);
        if (rc == CAUSA_ENOMEM) {
            causa_free(ctx, text);
            continue;
        }
        REQUIRE(rc == CAUSA_OK, "%s (%s): reading back failed: %s\n%s",
                causa_graph_format_name(w.format), causa_matrix_convention_name(w.matrix),
                causa_errmsg(ctx), text);
        check_same(g, h, w.format, w.matrix, text);
        causa_graph_free(h);
        causa_free(ctx, text);
    }
    causa_graph_free(g);
    causa_ctx_free(ctx);
    return 0;
}
