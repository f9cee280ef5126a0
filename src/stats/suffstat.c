/*
 * suffstat.c: n, means and covariance of continuous data, computed once (the covariance
 * by the Gram kernel of src/linalg/gram.c) and shared by every Gaussian test and score; pooling across sites; a
 * lossless text file so sites can exchange statistics instead of data.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../linalg/linalg_i.h"
#include "stats_i.h"

int causa_i_copy_names(causa_ctx *ctx, int64_t p, const char *const *names, char ***out) {
    char **v = causa_i_calloc(ctx, (size_t)p, sizeof *v);
    if (!v) return causa_i_nomem(ctx, "variable names", (size_t)p * sizeof *v);
    for (int64_t j = 0; j < p; j++) {
        char tmp[32];
        if (!names) snprintf(tmp, sizeof tmp, "X%lld", (long long)(j + 1));
        v[j] = causa_i_strdup(ctx, names ? names[j] : tmp);
        if (!v[j]) {
            causa_i_free_names(ctx, j, v);
            return causa_i_nomem(ctx, "variable names", 32);
        }
    }
    *out = v;
    return CAUSA_OK;
}

void causa_i_free_names(causa_ctx *ctx, int64_t p, char **names) {
    if (!names) return;
    for (int64_t j = 0; j < p; j++) causa_i_free(ctx, names[j]);
    causa_i_free(ctx, names);
}

void causa_suffstat_free(causa_suffstat *s) {
    if (!s) return;
    causa_ctx *ctx = s->ctx;
    causa_i_free_names(ctx, s->p, s->names);
    causa_i_free(ctx, s->means);
    causa_i_free(ctx, s->cov);
    causa_i_free(ctx, s->corr);
    causa_i_free(ctx, s);
}

/* An empty statistics object of p variables with its arrays allocated (with corr_only, no
 * separate correlation array: the covariance's is converted in place). */
static int suffstat_alloc(causa_ctx *ctx, int64_t p, const char *const *names, int corr_only,
                          causa_suffstat **out) {
    int rc = CAUSA_OK;
    causa_suffstat *s = causa_i_calloc(ctx, 1, sizeof *s);
    if (!s) return causa_i_nomem(ctx, "summary statistics", sizeof *s);
    s->ctx = ctx;
    s->p = p;
    size_t pp = causa_i_mul_size((size_t)p, (size_t)p);
    CAUSA_TRY(causa_i_copy_names(ctx, p, names, &s->names));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&s->means, (size_t)p * sizeof(double), "means"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&s->cov, causa_i_mul_size(pp, sizeof(double)), "covariance"));
    if (!corr_only)
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&s->corr, causa_i_mul_size(pp, sizeof(double)), "correlation"));
done:
    if (rc) {
        causa_suffstat_free(s);
        s = NULL;
    }
    *out = s;
    return rc;
}

/* Threads for a pass over a p x p matrix: one below 256 x 256 (half a megabyte, tens of
 * microseconds), where starting the process's first worker thread could cost more than the
 * pass: on the development VM the first parallel region stalled 15-30 ms in about one run
 * in three, which was all of the statistics' time on the bundled Sachs data. */
static int pass_threads(causa_ctx *ctx, int64_t p) {
    int threads = causa_ctx_threads(ctx);
    return p < 256 || threads < 1 ? 1 : threads;
}

int causa_i_suffstat_finish(causa_ctx *ctx, causa_suffstat *s) {
    int64_t p = s->p;
    for (int64_t j = 0; j < p; j++) {
        double v = s->cov[j + j * p];
        if (!(v > 0) || !isfinite(v))
            return causa_i_error(ctx, CAUSA_EDATA,
                                 "variable '%s' (column %lld) is constant; a Gaussian test needs "
                                 "variance",
                                 s->names[j], (long long)(j + 1));
    }
    /* The standard deviations once (the quotient below is the same as with sqrt() in the
     * loop, p^2 square roots fewer); columns in parallel, each entry computed the same way
     * on any thread. corr may be cov itself: each entry is read before it is written. */
    double *sd = causa_i_malloc(ctx, (size_t)p * sizeof *sd);
    if (!sd) return causa_i_nomem(ctx, "standard deviations", (size_t)p * sizeof *sd);
    for (int64_t j = 0; j < p; j++) sd[j] = sqrt(s->cov[j + j * p]);
    int threads = pass_threads(ctx, p);
    (void)threads;
#if CAUSA_OPENMP
#pragma omp parallel for schedule(static) num_threads(threads)
#endif
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < p; i++)
            s->corr[i + j * p] = i == j ? 1.0 : s->cov[i + j * p] / (sd[i] * sd[j]);
    causa_i_free(ctx, sd);
    return CAUSA_OK;
}

/* From data; with corr_only, the correlation overwrites the covariance in place (corr set,
 * cov NULL): what a Fisher-z test needs, in one p x p array instead of three. */
static int suffstat_from_data(causa_ctx *ctx, const causa_dataset *ds, int corr_only,
                              causa_suffstat **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (!ds) return causa_i_error(ctx, CAUSA_EMISUSE, "data set is NULL");
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    if (n < 2) return causa_i_error(ctx, CAUSA_EDATA, "need at least 2 rows, got %lld", (long long)n);
    for (int64_t j = 0; j < p; j++)
        if (causa_dataset_type(ds, j) != CAUSA_CONTINUOUS)
            return causa_i_error(ctx, CAUSA_EDATA,
                                 "variable '%s' (column %lld) is discrete; covariance statistics "
                                 "need continuous columns",
                                 causa_dataset_name(ds, j), (long long)(j + 1));
    int rc = CAUSA_OK;
    causa_suffstat *s = NULL;
    const char **names = NULL;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&names, (size_t)p * sizeof *names, "names"));
    for (int64_t j = 0; j < p; j++) names[j] = causa_dataset_name(ds, j);
    CAUSA_TRY(suffstat_alloc(ctx, p, names, corr_only, &s));
    s->n = n;
    /* X'X of centred data avoids the cancellation of X'X - n m m'; the Gram kernel centres
     * each block as it packs it and finds the means on the way, so the data are read once
     * and not copied. */
    const double *x = causa_dataset_data(ds);
    int threads = causa_ctx_threads(ctx);
    CAUSA_TRY(causa_i_gram_centred(ctx, x, n, p, n, s->means, s->cov, threads));
    double scale = 1.0 / (double)(n - 1);
    int nt = pass_threads(ctx, p);
    (void)nt;
#if CAUSA_OPENMP
#pragma omp parallel for schedule(static) num_threads(nt)
#endif
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < p; i++) s->cov[i + j * p] *= scale;
    if (corr_only) s->corr = s->cov; /* finish converts in place */
    rc = causa_i_suffstat_finish(ctx, s);
    if (corr_only) s->cov = NULL;
done:
    causa_i_free(ctx, names);
    if (rc) {
        causa_suffstat_free(s);
        s = NULL;
    }
    *out = s;
    return rc;
}

int causa_suffstat_new(causa_ctx *ctx, const causa_dataset *ds, causa_suffstat **out) {
    return suffstat_from_data(ctx, ds, 0, out);
}

int causa_i_suffstat_corr_only(causa_ctx *ctx, const causa_dataset *ds, causa_suffstat **out) {
    return suffstat_from_data(ctx, ds, 1, out);
}

int causa_suffstat_from_moments(causa_ctx *ctx, int64_t p, const char *const *names, int64_t n,
                                const double *means, const double *cov, causa_suffstat **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (p < 1) return causa_i_error(ctx, CAUSA_EINVAL, "p must be >= 1, got %lld", (long long)p);
    if (n < 2) return causa_i_error(ctx, CAUSA_EINVAL, "n must be >= 2, got %lld", (long long)n);
    if (!means || !cov) return causa_i_error(ctx, CAUSA_EMISUSE, "means or covariance is NULL");
    causa_suffstat *s;
    int rc = suffstat_alloc(ctx, p, names, 0, &s);
    if (rc) return rc;
    s->n = n;
    memcpy(s->means, means, (size_t)p * sizeof(double));
    memcpy(s->cov, cov, (size_t)p * (size_t)p * sizeof(double));
    for (int64_t i = 0; i < p; i++)
        for (int64_t j = 0; j < i; j++)
            if (fabs(cov[i + j * p] - cov[j + i * p]) > 1e-12 * (fabs(cov[i + j * p]) + 1e-300)) {
                causa_suffstat_free(s);
                return causa_i_error(ctx, CAUSA_EINVAL, "covariance is not symmetric at (%lld, %lld)",
                                     (long long)(i + 1), (long long)(j + 1));
            }
    rc = causa_i_suffstat_finish(ctx, s);
    if (rc) {
        causa_suffstat_free(s);
        return rc;
    }
    *out = s;
    return CAUSA_OK;
}

int causa_suffstat_pool(causa_ctx *ctx, const causa_suffstat *const *sites, int64_t nsites,
                        causa_suffstat **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (nsites < 1 || !sites || !sites[0])
        return causa_i_error(ctx, CAUSA_EINVAL, "need at least one site's statistics");
    const causa_suffstat *first = sites[0];
    int64_t p = first->p;
    int rc = CAUSA_OK;
    causa_suffstat *s = NULL;
    int64_t *map = NULL; /* map[k * p + j] = index in site k of the first site's variable j */
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&map, causa_i_mul_size((size_t)(nsites * p), sizeof *map),
                            "site variable map"));
    for (int64_t k = 0; k < nsites; k++) {
        if (!sites[k]) CAUSA_TRY(causa_i_error(ctx, CAUSA_EMISUSE, "site %lld is NULL", (long long)k + 1));
        if (sites[k]->p != p)
            CAUSA_TRY(causa_i_error(ctx, CAUSA_EINVAL, "site %lld has %lld variables, site 1 has %lld",
                                    (long long)k + 1, (long long)sites[k]->p, (long long)p));
        for (int64_t j = 0; j < p; j++) {
            int64_t found = -1;
            for (int64_t i = 0; i < p && found < 0; i++)
                if (strcmp(sites[k]->names[i], first->names[j]) == 0) found = i;
            if (found < 0)
                CAUSA_TRY(causa_i_error(ctx, CAUSA_EINVAL, "site %lld has no variable '%s'",
                                        (long long)k + 1, first->names[j]));
            map[k * p + j] = found;
        }
    }
    CAUSA_TRY(suffstat_alloc(ctx, p, (const char *const *)first->names, 0, &s));
    int64_t total = 0;
    for (int64_t k = 0; k < nsites; k++) total += sites[k]->n;
    s->n = total;
    for (int64_t j = 0; j < p; j++) {
        double m = 0;
        for (int64_t k = 0; k < nsites; k++) m += (double)sites[k]->n * sites[k]->means[map[k * p + j]];
        s->means[j] = m / (double)total;
    }
    /* Scatter of the union: within-site scatter plus between-site spread of the means. */
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < p; i++) {
            double sc = 0;
            for (int64_t k = 0; k < nsites; k++) {
                const causa_suffstat *t = sites[k];
                int64_t a = map[k * p + i], b = map[k * p + j];
                sc += (double)(t->n - 1) * t->cov[a + b * p] +
                      (double)t->n * (t->means[a] - s->means[i]) * (t->means[b] - s->means[j]);
            }
            s->cov[i + j * p] = sc / (double)(total - 1);
        }
    CAUSA_TRY(causa_i_suffstat_finish(ctx, s));
done:
    causa_i_free(ctx, map);
    if (rc) {
        causa_suffstat_free(s);
        s = NULL;
    }
    *out = s;
    return rc;
}

int64_t causa_suffstat_n(const causa_suffstat *s) { return s ? s->n : 0; }
int64_t causa_suffstat_p(const causa_suffstat *s) { return s ? s->p : 0; }
const char *causa_suffstat_name(const causa_suffstat *s, int64_t j) {
    return s && j >= 0 && j < s->p ? s->names[j] : NULL;
}
const double *causa_suffstat_means(const causa_suffstat *s) { return s ? s->means : NULL; }
const double *causa_suffstat_cov(const causa_suffstat *s) { return s ? s->cov : NULL; }
const double *causa_suffstat_corr(const causa_suffstat *s) { return s ? s->corr : NULL; }

/* ---- the text file ----
 *   causa-suffstat 1
 *   n <TAB> 853
 *   p <TAB> 11
 *   names <TAB> Raf <TAB> Mek ...
 *   means <TAB> m1 <TAB> ...
 *   cov <TAB> c11 <TAB> c12 ...      (p lines, one row each)
 * Numbers are written with %.17g so they read back to the same doubles. */
int causa_suffstat_write(causa_ctx *ctx, const causa_suffstat *s, const char *path) {
    if (!s || !path) return causa_i_error(ctx, CAUSA_EMISUSE, "statistics or path is NULL");
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_buf_printf(&b, "causa-suffstat 1\nn\t%lld\np\t%lld\nnames", (long long)s->n,
                                 (long long)s->p));
    for (int64_t j = 0; j < s->p; j++) CAUSA_TRY(causa_i_buf_printf(&b, "\t%s", s->names[j]));
    CAUSA_TRY(causa_i_buf_printf(&b, "\nmeans"));
    for (int64_t j = 0; j < s->p; j++) CAUSA_TRY(causa_i_buf_printf(&b, "\t%.17g", s->means[j]));
    for (int64_t i = 0; i < s->p; i++) {
        CAUSA_TRY(causa_i_buf_printf(&b, "\ncov"));
        for (int64_t j = 0; j < s->p; j++)
            CAUSA_TRY(causa_i_buf_printf(&b, "\t%.17g", s->cov[i + j * s->p]));
    }
    CAUSA_TRY(causa_i_buf_printf(&b, "\n"));
    CAUSA_TRY(causa_write_file(ctx, path, b.data, b.len));
done:
    causa_i_buf_free(&b);
    return rc;
}

/* Reader state: the text, a cursor, the line number and the line's start. */
typedef struct reader {
    causa_ctx *ctx;
    const char *path, *p, *end, *line_start;
    int64_t line;
} reader;

static int rerr(reader *r, const char *at, const char *what) {
    return causa_i_error(r->ctx, CAUSA_EPARSE, "%s:%lld:%lld: expected %s", r->path,
                         (long long)r->line, (long long)(at - r->line_start + 1), what);
}

/* Reads the next tab-separated field of the current line into [*fs, *fe). */
static int next_field(reader *r, const char **fs, const char **fe) {
    if (r->p >= r->end || *r->p == '\n') return 0;
    if (*r->p == '\t') r->p++;
    *fs = r->p;
    while (r->p < r->end && *r->p != '\t' && *r->p != '\n') r->p++;
    *fe = r->p;
    return 1;
}

static int expect_key(reader *r, const char *key) {
    const char *fs, *fe;
    if (!next_field(r, &fs, &fe) || (size_t)(fe - fs) != strlen(key) || memcmp(fs, key, strlen(key)))
        return rerr(r, r->p, key);
    return CAUSA_OK;
}

static int end_line(reader *r) {
    if (r->p < r->end && *r->p != '\n') return rerr(r, r->p, "end of line");
    if (r->p < r->end) r->p++;
    r->line++;
    r->line_start = r->p;
    return CAUSA_OK;
}

static int read_number(reader *r, double *v) {
    const char *fs, *fe;
    if (!next_field(r, &fs, &fe)) return rerr(r, r->p, "a number");
    char buf[64];
    size_t len = (size_t)(fe - fs);
    if (len == 0 || len >= sizeof buf) return rerr(r, fs, "a number");
    memcpy(buf, fs, len);
    buf[len] = '\0';
    char *e;
    errno = 0;
    *v = strtod(buf, &e);
    if (*e || errno || !isfinite(*v)) return rerr(r, fs, "a finite number");
    return CAUSA_OK;
}

static int read_count(reader *r, const char *key, int64_t *v) {
    int rc = expect_key(r, key);
    if (rc) return rc;
    double d;
    const char *at = r->p + 1;
    rc = read_number(r, &d);
    if (rc) return rc;
    if (d < 1 || d != floor(d) || d > 1e15) return rerr(r, at, "a positive integer");
    *v = (int64_t)d;
    return end_line(r);
}

int causa_suffstat_read(causa_ctx *ctx, const char *path, causa_suffstat **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return causa_i_error(ctx, CAUSA_EIO, "cannot open '%s': %s", path, strerror(errno));
    causa_i_buf text;
    causa_i_buf_init(&text, ctx);
    int rc = CAUSA_OK;
    causa_suffstat *s = NULL;
    char **names = NULL;
    int64_t n = 0, p = 0;
    double *means = NULL, *cov = NULL;
    reader r;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) CAUSA_TRY(causa_i_buf_append(&text, chunk, got));
    if (ferror(f)) CAUSA_TRY(causa_i_error(ctx, CAUSA_EIO, "cannot read '%s'", path));
    r = (reader){ctx, path, text.data ? text.data : "", NULL, NULL, 1};
    r.end = r.p + text.len;
    r.line_start = r.p;
    const char *magic = "causa-suffstat 1";
    if (text.len < strlen(magic) || memcmp(r.p, magic, strlen(magic)) != 0)
        CAUSA_TRY(rerr(&r, r.p, "'causa-suffstat 1' (a causa statistics file)"));
    r.p += strlen(magic);
    CAUSA_TRY(end_line(&r));
    CAUSA_TRY(read_count(&r, "n", &n));
    CAUSA_TRY(read_count(&r, "p", &p));
    if (p > 100000) CAUSA_TRY(rerr(&r, r.p, "at most 100000 variables"));
    if (n < 2) CAUSA_TRY(causa_i_error(ctx, CAUSA_EDATA, "%s: n must be at least 2", path));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&names, (size_t)p * sizeof *names, "names"));
    CAUSA_TRY(expect_key(&r, "names"));
    for (int64_t j = 0; j < p; j++) {
        const char *fs, *fe;
        if (!next_field(&r, &fs, &fe) || fe == fs) CAUSA_TRY(rerr(&r, r.p, "a variable name"));
        names[j] = causa_i_strndup(ctx, fs, (size_t)(fe - fs));
        if (!names[j]) CAUSA_TRY(causa_i_nomem(ctx, "names", (size_t)(fe - fs)));
    }
    CAUSA_TRY(end_line(&r));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&means, (size_t)p * sizeof *means, "means"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&cov, (size_t)(p * p) * sizeof *cov, "covariance"));
    CAUSA_TRY(expect_key(&r, "means"));
    for (int64_t j = 0; j < p; j++) CAUSA_TRY(read_number(&r, &means[j]));
    CAUSA_TRY(end_line(&r));
    for (int64_t i = 0; i < p; i++) {
        CAUSA_TRY(expect_key(&r, "cov"));
        for (int64_t j = 0; j < p; j++) CAUSA_TRY(read_number(&r, &cov[i + j * p]));
        CAUSA_TRY(end_line(&r));
    }
    CAUSA_TRY(causa_suffstat_from_moments(ctx, p, (const char *const *)names, n, means, cov, &s));
done:
    fclose(f);
    causa_i_buf_free(&text);
    if (names) causa_i_free_names(ctx, p, names);
    causa_i_free(ctx, means);
    causa_i_free(ctx, cov);
    *out = s;
    return rc;
}
