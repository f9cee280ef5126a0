/*
 * util.c: helpers shared by several test files (declared in util.h).
 */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ---- graphs from text ---- */

int glyph_marks(const char *s, int *ma, int *mb) {
    static const char left[] = "-<o", right[] = "->o";
    static const int mark[3] = {CAUSA_MARK_TAIL, CAUSA_MARK_ARROW, CAUSA_MARK_CIRCLE};
    const char *a, *b;
    if (strlen(s) != 3 || s[1] != '-' || !(a = strchr(left, s[0])) || !(b = strchr(right, s[2])))
        return 0;
    *ma = mark[a - left];
    *mb = mark[b - right];
    return 1;
}

causa_graph *build(causa_ctx *ctx, const char *nodes, const char *edges) {
    enum { MAXN = 256, MAXT = 768 };
    char buf[4096], *names[MAXN];
    int p = 0;
    snprintf(buf, sizeof buf, "%s", nodes);
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
        if (p == MAXN) {
            harness_fail(__FILE__, __LINE__, "test graph: more than %d nodes", MAXN);
            return NULL;
        }
        names[p++] = t;
    }
    causa_graph *g = NULL;
    if (causa_graph_new(ctx, p, (const char *const *)names, &g) != CAUSA_OK) {
        harness_fail(__FILE__, __LINE__, "test graph nodes \"%s\": %s", nodes, causa_errmsg(ctx));
        return NULL;
    }
    char ebuf[4096], *tok[MAXT];
    int nt = 0;
    snprintf(ebuf, sizeof ebuf, "%s", edges);
    for (char *t = strtok(ebuf, " ,"); t; t = strtok(NULL, " ,")) {
        if (nt == MAXT) {
            harness_fail(__FILE__, __LINE__, "test graph: more than %d edges", MAXT / 3);
            causa_graph_free(g);
            return NULL;
        }
        tok[nt++] = t;
    }
    if (nt % 3 != 0) {
        harness_fail(__FILE__, __LINE__, "test graph edges \"%s\": not NAME GLYPH NAME triples",
                     edges);
        causa_graph_free(g);
        return NULL;
    }
    for (int i = 0; i + 2 < nt; i += 3) {
        int64_t a = causa_graph_find(g, tok[i]), b = causa_graph_find(g, tok[i + 2]);
        const char *gl = tok[i + 1];
        int ma = 0, mb = 0;
        if (a < 0 || b < 0 || !glyph_marks(gl, &ma, &mb) ||
            causa_graph_add_edge(ctx, g, a, b, ma, mb) != CAUSA_OK) {
            harness_fail(__FILE__, __LINE__, "bad test graph edge %s %s %s", tok[i], gl,
                         tok[i + 2]);
            causa_graph_free(g);
            return NULL;
        }
    }
    return g;
}

causa_graph *graph_of(int64_t p, const char *const *names, const int64_t (*edges)[2], int64_t ne) {
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, p, names, &g));
    for (int64_t e = 0; e < ne; e++)
        CHECK_OK(causa_graph_add_edge(T, g, edges[e][0], edges[e][1], CAUSA_MARK_TAIL,
                                      CAUSA_MARK_ARROW));
    return g;
}

/* ---- graphs as text, comparison ---- */

char *edge_text(const causa_graph *g, char *out, size_t size) {
    int64_t m = causa_graph_nedges(g);
    causa_edge *e = malloc((size_t)(m + 1) * sizeof *e);
    causa_graph_edges(g, e);
    size_t len = 0;
    out[0] = '\0';
    for (int64_t i = 0; i < m && len < size; i++) {
        static const char l[] = " -<o", r[] = " ->o";
        len += (size_t)snprintf(out + len, size - len, "%s%s %c-%c %s", i ? ", " : "",
                                causa_graph_name(g, e[i].a), l[e[i].mark_a], r[e[i].mark_b],
                                causa_graph_name(g, e[i].b));
    }
    free(e);
    return out;
}

int same_graph(const causa_graph *x, const causa_graph *y) {
    if (causa_graph_nnodes(x) != causa_graph_nnodes(y) ||
        causa_graph_nedges(x) != causa_graph_nedges(y))
        return 0;
    int64_t m = causa_graph_nedges(x);
    causa_edge *e = malloc((size_t)(m + 1) * sizeof *e), *f = malloc((size_t)(m + 1) * sizeof *f);
    causa_graph_edges(x, e);
    causa_graph_edges(y, f);
    int same = 1;
    for (int64_t i = 0; i < m && same; i++)
        same = e[i].a == f[i].a && e[i].b == f[i].b && e[i].mark_a == f[i].mark_a &&
               e[i].mark_b == f[i].mark_b;
    free(e);
    free(f);
    return same;
}

int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* ---- reference outputs ---- */

int64_t endpoint_diffs(const causa_graph *g, const char *file, char *which, size_t size) {
    int64_t p = causa_graph_nnodes(g), diffs = 0;
    int *m = malloc((size_t)(p * p) * sizeof *m);
    FILE *f = fopen(harness_data(file), "r");
    if (!f || !m) {
        harness_fail(__FILE__, __LINE__, "cannot read %s", file);
        if (f) fclose(f);
        free(m);
        return -1;
    }
    for (int64_t i = 0; i < p * p; i++)
        if (fscanf(f, "%d", &m[i]) != 1) {
            harness_fail(__FILE__, __LINE__, "%s: expected %lld numbers", file, (long long)(p * p));
            break;
        }
    fclose(f);
    which[0] = '\0';
    size_t len = 0;
    for (int64_t i = 0; i < p; i++)
        for (int64_t j = i + 1; j < p; j++) {
            int mi = 0, mj = 0;
            if (causa_graph_edge(g, i, j, &mi, &mj)) {
                static const int conv[4] = {0, -1, 1, 2};
                mi = conv[mi];
                mj = conv[mj];
            }
            if (mi != m[i * p + j] || mj != m[j * p + i]) {
                diffs++;
                if (len < size)
                    len += (size_t)snprintf(which + len, size - len, "%s%s-%s", len ? " " : "",
                                            causa_graph_name(g, i), causa_graph_name(g, j));
            }
        }
    free(m);
    return diffs;
}

/* Reads a CSV under tests/data and drops the columns named in `drop` (blank-separated). */
causa_dataset *read_without(causa_ctx *ctx, const char *name, const char *drop, int discrete) {
    causa_csv_options o;
    causa_csv_options_init(&o);
    if (discrete) o.data_type = CAUSA_DATA_DISCRETE;
    causa_dataset *ds = NULL, *out = NULL;
    if (causa_csv_read(ctx, harness_data(name), &o, &ds) != CAUSA_OK) {
        harness_fail(__FILE__, __LINE__, "reading %s: %s", name, causa_errmsg(ctx));
        return NULL;
    }
    if (!drop || !*drop) return ds;
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds), k = 0;
    int64_t *keep = malloc((size_t)p * sizeof *keep);
    for (int64_t j = 0; j < p; j++) {
        char pat[80];
        snprintf(pat, sizeof pat, " %s ", causa_dataset_name(ds, j));
        char list[256];
        snprintf(list, sizeof list, " %s ", drop);
        if (!strstr(list, pat)) keep[k++] = j;
    }
    double *x = malloc((size_t)(n * k + 1) * sizeof *x);
    const char **names = malloc((size_t)(k + 1) * sizeof *names);
    for (int64_t i = 0; i < k; i++) {
        memcpy(x + i * n, causa_dataset_column(ds, keep[i]), (size_t)n * sizeof *x);
        names[i] = causa_dataset_name(ds, keep[i]);
    }
    causa_matrix view = causa_matrix_colmajor(x, n, k);
    if (causa_dataset_from_matrix(ctx, &view, names, &out) != CAUSA_OK)
        harness_fail(__FILE__, __LINE__, "dropping columns of %s: %s", name, causa_errmsg(ctx));
    free(x);
    free(names);
    free(keep);
    causa_dataset_free(ds);
    return out;
}

/* pcalg's line for a separated pair: "A B : S1 S2" ("A B : " for the empty set). */
void sepset_line(const causa_graph *g, int64_t a, int64_t b, const causa_pair_info *info, char *buf,
                 size_t size) {
    size_t len = (size_t)snprintf(buf, size, "%s %s :", causa_graph_name(g, a), causa_graph_name(g, b));
    for (int64_t i = 0; i < info->sepset_size && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, " %s", causa_graph_name(g, info->sepset[i]));
    if (info->sepset_size == 0 && len < size) snprintf(buf + len, size - len, " ");
}

/* ---- lines of text: pcalg's reference files ---- */

void lines_add(lines *l, const char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
    }
    l->v[l->n++] = strdup(s);
}

void lines_free(lines *l) {
    for (int64_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

int lines_read(const char *name, lines *out) {
    FILE *f = fopen(harness_data(name), "r");
    if (!f) {
        harness_fail(__FILE__, __LINE__, "cannot read %s", name);
        return 0;
    }
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        lines_add(out, line);
    }
    fclose(f);
    return 1;
}

int64_t lines_compare(lines *want, lines *got, const char *what) {
    qsort(want->v, (size_t)want->n, sizeof *want->v, cmp_str);
    qsort(got->v, (size_t)got->n, sizeof *got->v, cmp_str);
    int64_t diffs = 0;
    char msg[4096] = "";
    size_t len = 0;
    for (int64_t i = 0, j = 0; i < want->n || j < got->n;) {
        int c = i == want->n ? 1 : j == got->n ? -1 : strcmp(want->v[i], got->v[j]);
        if (c == 0) {
            i++;
            j++;
            continue;
        }
        diffs++;
        if (len < sizeof msg)
            len += (size_t)snprintf(msg + len, sizeof msg - len, "\n   %s %s",
                                    c < 0 ? "pcalg:" : "causa:", c < 0 ? want->v[i] : got->v[j]);
        if (c < 0)
            i++;
        else
            j++;
    }
    if (diffs)
        harness_fail(__FILE__, __LINE__, "%s: %lld lines differ:%s", what, (long long)diffs, msg);
    return diffs;
}

void pag_edge_line(const char *na, const char *nb, int ma, int mb, int64_t a, int64_t b, char *buf,
                   size_t size) {
    static const char l[] = " -<o", r[] = " ->o"; /* CAUSA_MARK_TAIL 1, ARROW 2, CIRCLE 3 */
    if (a < b)
        snprintf(buf, size, "%s %c-%c %s", na, l[ma], r[mb], nb);
    else
        snprintf(buf, size, "%s %c-%c %s", nb, l[mb], r[ma], na);
}

void graph_edge_lines(const causa_graph *g, lines *out) {
    int64_t m = causa_graph_nedges(g);
    causa_edge *e = malloc((size_t)(m + 1) * sizeof *e);
    causa_graph_edges(g, e);
    for (int64_t i = 0; i < m; i++) {
        char buf[256];
        pag_edge_line(causa_graph_name(g, e[i].a), causa_graph_name(g, e[i].b), e[i].mark_a,
                      e[i].mark_b, e[i].a, e[i].b, buf, sizeof buf);
        lines_add(out, buf);
    }
    free(e);
}

void sepset_lines(const causa_discovery *r, lines *out) {
    const causa_graph *g = causa_discovery_graph(r);
    int64_t p = causa_graph_nnodes(g);
    for (int64_t a = 0; a < p; a++)
        for (int64_t b = a + 1; b < p; b++) {
            causa_pair_info info;
            causa_discovery_pair(r, a, b, &info);
            if (info.status == CAUSA_PAIR_ADJACENT) continue;
            char buf[1024];
            sepset_line(g, a, b, &info, buf, sizeof buf);
            lines_add(out, buf);
        }
}
