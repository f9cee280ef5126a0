/*
 * dataset.c: the data set object: n rows by p named columns in one column-major block of
 * doubles; discrete columns hold integer codes with level names. Creation, getters and
 * the setters that keep its invariants (unique non-empty names, codes within the levels).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dataset_i.h"

/* ---- creation and destruction ---- */

/* Asks for transparent huge pages on a large block, as NumPy does for its arrays: with
 * 4 KiB pages, first touching an 80 MB matrix costs about 20,000 page faults, three times
 * the time of the copy into it. The advice covers the page-aligned inside of the block;
 * where it does not apply (memory from a custom allocator, no THP) it is ignored. */
static void advise_huge_pages(void *block, size_t bytes) {
#if defined(MADV_HUGEPAGE)
    if (bytes < ((size_t)4 << 20)) return;
    uintptr_t start = ((uintptr_t)block + 4095) & ~(uintptr_t)4095;
    uintptr_t stop = ((uintptr_t)block + bytes) & ~(uintptr_t)4095;
    if (stop > start) madvise((void *)start, stop - start, MADV_HUGEPAGE);
#else
    CAUSA_UNUSED(block);
    CAUSA_UNUSED(bytes);
#endif
}

int causa_i_dataset_alloc(causa_ctx *ctx, int64_t n, int64_t p, int zero, causa_dataset **out) {
    *out = NULL;
    int rc = CAUSA_OK;
    causa_dataset *ds = NULL;
    if (n < 0 || p < 0 || (p > 0 && n > INT64_MAX / p))
        return causa_i_error(ctx, CAUSA_EINVAL, "data set size %lld x %lld is out of range",
                             (long long)n, (long long)p);
    size_t cells = causa_i_mul_size((size_t)n, (size_t)p);
    size_t bytes = causa_i_mul_size(cells, sizeof(double));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ds, sizeof *ds, "a data set"));
    ds->ctx = ctx;
    ds->n = n; /* p is set once the per-column arrays exist: free walks them */
    /* One byte at least, so an empty data set still has a block to point at. */
    ds->data =
        zero ? causa_i_calloc(ctx, 1, bytes ? bytes : 1) : causa_i_malloc(ctx, bytes ? bytes : 1);
    if (!ds->data) {
        rc = causa_i_nomem(ctx, "the data matrix", bytes);
        goto done;
    }
    if (!zero) advise_huge_pages(ds->data, bytes); /* calloc has touched it already */
    /* Per-column arrays; with n = 0 the matrix is empty whatever p, so p needs its own
     * overflow check (causa_i_mul_size gives SIZE_MAX, which no allocation satisfies). */
    size_t pp = (size_t)p ? (size_t)p : 1;
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ds->names, causa_i_mul_size(pp, sizeof *ds->names),
                             "column names"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ds->type, causa_i_mul_size(pp, sizeof *ds->type),
                             "column types"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ds->nlevels, causa_i_mul_size(pp, sizeof *ds->nlevels),
                             "level counts"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ds->levels, causa_i_mul_size(pp, sizeof *ds->levels),
                             "level tables"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ds->missing, causa_i_mul_size(pp, sizeof *ds->missing),
                             "missing counts"));
    ds->p = p;
    *out = ds;
    ds = NULL;
done:
    causa_dataset_free(ds);
    return rc;
}

int causa_i_dataset_default_names(causa_ctx *ctx, causa_dataset *ds) {
    for (int64_t j = 0; j < ds->p; j++) {
        if (ds->names[j]) continue;
        char name[32];
        snprintf(name, sizeof name, "X%lld", (long long)(j + 1));
        ds->names[j] = causa_i_strdup(ctx, name);
        if (!ds->names[j]) return causa_i_nomem(ctx, "a column name", strlen(name) + 1);
    }
    return CAUSA_OK;
}

void causa_dataset_free(causa_dataset *ds) {
    if (!ds) return;
    causa_ctx *ctx = ds->ctx;
    for (int64_t j = 0; j < ds->p; j++) {
        if (ds->names) causa_i_free(ctx, ds->names[j]);
        if (ds->levels) causa_i_free(ctx, ds->levels[j]);
    }
    causa_i_free(ctx, ds->names);
    causa_i_free(ctx, ds->levels);
    causa_i_free(ctx, ds->type);
    causa_i_free(ctx, ds->nlevels);
    causa_i_free(ctx, ds->missing);
    causa_i_free(ctx, ds->data);
    causa_i_free(ctx, ds);
}

int causa_dataset_new(causa_ctx *ctx, int64_t n, int64_t p, causa_dataset **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_dataset_new: out is NULL");
    *out = NULL;
    causa_dataset *ds = NULL;
    int rc = causa_i_dataset_alloc(ctx, n, p, 1, &ds);
    if (rc == CAUSA_OK) rc = causa_i_dataset_default_names(ctx, ds);
    if (rc != CAUSA_OK) {
        causa_dataset_free(ds);
        return rc;
    }
    *out = ds;
    return CAUSA_OK;
}

/* The checks of causa_dataset_set_name, shared with from_matrix. */
static int check_name(causa_ctx *ctx, const causa_dataset *ds, int64_t j, const char *name) {
    if (!name || !*name)
        return causa_i_error(ctx, CAUSA_EINVAL, "the name of column %lld is empty",
                             (long long)(j + 1));
    if (causa_i_utf8_invalid_at(name, strlen(name)) >= 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "the name of column %lld is not valid UTF-8",
                             (long long)(j + 1));
    for (int64_t k = 0; k < ds->p; k++)
        if (k != j && ds->names[k] && strcmp(ds->names[k], name) == 0)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "column name '%s' is already used by column %lld", name,
                                 (long long)(k + 1));
    return CAUSA_OK;
}

int causa_dataset_from_matrix(causa_ctx *ctx, const causa_matrix *m, const char *const *names,
                              causa_dataset **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_dataset_from_matrix: out is NULL");
    *out = NULL;
    if (!m || (!m->data && m->nrow > 0 && m->ncol > 0))
        return causa_i_error(ctx, CAUSA_EINVAL, "the matrix view is NULL");
    if (m->nrow < 0 || m->ncol < 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "matrix size %lld x %lld is negative",
                             (long long)m->nrow, (long long)m->ncol);
    int rc = CAUSA_OK;
    causa_dataset *ds = NULL;
    CAUSA_TRY(causa_i_dataset_alloc(ctx, m->nrow, m->ncol, 0, &ds));
    for (int64_t j = 0; j < m->ncol; j++) {
        double *col = ds->data + j * m->nrow;
        for (int64_t i = 0; i < m->nrow; i++) {
            double v = causa_matrix_get(m, i, j);
            if (!isfinite(v)) {
                rc = causa_i_error(ctx, CAUSA_EDATA,
                                   "row %lld, column %lld of the matrix is %s; data must be finite",
                                   (long long)(i + 1), (long long)(j + 1),
                                   isnan(v) ? "NaN" : "infinite");
                goto done;
            }
            col[i] = v;
        }
    }
    if (names) {
        for (int64_t j = 0; j < m->ncol; j++) {
            CAUSA_TRY(check_name(ctx, ds, j, names[j]));
            ds->names[j] = causa_i_strdup(ctx, names[j]);
            if (!ds->names[j]) {
                rc = causa_i_nomem(ctx, "a column name", strlen(names[j]) + 1);
                goto done;
            }
        }
    }
    CAUSA_TRY(causa_i_dataset_default_names(ctx, ds));
    *out = ds;
    ds = NULL;
done:
    causa_dataset_free(ds);
    return rc;
}

int causa_i_dataset_shrink_rows(causa_dataset *ds, int64_t n) {
    if (n >= ds->n) return CAUSA_OK;
    /* Column j moves from j * old to j * n; going left to right never overwrites a column
     * that is still to be moved, since j * n <= j * old. */
    for (int64_t j = 1; j < ds->p; j++)
        memmove(ds->data + j * n, ds->data + j * ds->n, (size_t)n * sizeof(double));
    ds->n = n;
    size_t bytes = (size_t)n * (size_t)ds->p * sizeof(double);
    /* A shrinking realloc does not fail with the C library's allocator; a custom one that
     * refuses is reported like any failed allocation (the block stays valid either way). */
    double *d = causa_i_realloc(ds->ctx, ds->data, bytes ? bytes : 1);
    if (!d) return causa_i_nomem(ds->ctx, "the data matrix", bytes);
    ds->data = d;
    return CAUSA_OK;
}

/* ---- levels ---- */

char **causa_i_levels_new(causa_ctx *ctx, int64_t k, const char *const *names) {
    size_t bytes = (size_t)k * sizeof(char *);
    for (int64_t i = 0; i < k; i++) bytes += strlen(names[i]) + 1;
    char **lv = causa_i_malloc(ctx, bytes ? bytes : 1);
    if (!lv) return NULL;
    char *s = (char *)(lv + k);
    for (int64_t i = 0; i < k; i++) {
        size_t len = strlen(names[i]) + 1;
        memcpy(s, names[i], len);
        lv[i] = s;
        s += len;
    }
    return lv;
}

void causa_i_dataset_take_levels(causa_dataset *ds, int64_t j, int64_t k, char **levels) {
    causa_i_free(ds->ctx, ds->levels[j]);
    ds->levels[j] = levels;
    ds->nlevels[j] = k;
    ds->type[j] = CAUSA_DISCRETE;
}

/* ---- getters ---- */

int64_t causa_dataset_nrow(const causa_dataset *ds) { return ds ? ds->n : 0; }
int64_t causa_dataset_ncol(const causa_dataset *ds) { return ds ? ds->p : 0; }

const char *causa_dataset_name(const causa_dataset *ds, int64_t j) {
    return ds && j >= 0 && j < ds->p ? ds->names[j] : NULL;
}

int64_t causa_dataset_find(const causa_dataset *ds, const char *name) {
    if (!ds || !name) return -1;
    for (int64_t j = 0; j < ds->p; j++)
        if (strcmp(ds->names[j], name) == 0) return j;
    return -1;
}

int causa_dataset_type(const causa_dataset *ds, int64_t j) {
    return ds && j >= 0 && j < ds->p ? ds->type[j] : -1;
}

int64_t causa_dataset_nlevels(const causa_dataset *ds, int64_t j) {
    return ds && j >= 0 && j < ds->p ? ds->nlevels[j] : 0;
}

const char *causa_dataset_level(const causa_dataset *ds, int64_t j, int64_t k) {
    if (!ds || j < 0 || j >= ds->p || k < 0 || k >= ds->nlevels[j]) return NULL;
    return ds->levels[j][k];
}

const double *causa_dataset_column(const causa_dataset *ds, int64_t j) {
    return ds && j >= 0 && j < ds->p ? ds->data + j * ds->n : NULL;
}

const double *causa_dataset_data(const causa_dataset *ds) { return ds ? ds->data : NULL; }
double *causa_dataset_data_mut(causa_dataset *ds) { return ds ? ds->data : NULL; }

causa_matrix causa_dataset_matrix(const causa_dataset *ds) {
    if (!ds) return causa_matrix_colmajor(NULL, 0, 0);
    return causa_matrix_colmajor(ds->data, ds->n, ds->p);
}

int64_t causa_dataset_dropped_rows(const causa_dataset *ds) { return ds ? ds->dropped : 0; }

/* ---- setters ---- */

static int check_column(causa_ctx *ctx, const causa_dataset *ds, int64_t j, const char *fn) {
    if (!ds) return causa_i_error(ctx, CAUSA_EMISUSE, "%s: the data set is NULL", fn);
    if (j < 0 || j >= ds->p)
        return causa_i_error(ctx, CAUSA_EINVAL, "%s: column index %lld is out of range 0..%lld", fn,
                             (long long)j, (long long)ds->p - 1);
    return CAUSA_OK;
}

int causa_dataset_set_name(causa_ctx *ctx, causa_dataset *ds, int64_t j, const char *name) {
    int rc = check_column(ctx, ds, j, "causa_dataset_set_name");
    if (rc) return rc;
    if ((rc = check_name(ctx, ds, j, name))) return rc;
    char *copy = causa_i_strdup(ctx, name);
    if (!copy) return causa_i_nomem(ctx, "a column name", strlen(name) + 1);
    causa_i_free(ctx, ds->names[j]);
    ds->names[j] = copy;
    return CAUSA_OK;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int causa_dataset_set_discrete(causa_ctx *ctx, causa_dataset *ds, int64_t j, int64_t nlevels,
                               const char *const *levels) {
    int rc = check_column(ctx, ds, j, "causa_dataset_set_discrete");
    if (rc) return rc;
    if (nlevels < 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "nlevels must be >= 1, got %lld",
                             (long long)nlevels);
    if (!levels) return causa_i_error(ctx, CAUSA_EINVAL, "the level names are NULL");
    for (int64_t k = 0; k < nlevels; k++) {
        if (!levels[k] || !*levels[k])
            return causa_i_error(ctx, CAUSA_EINVAL, "level %lld of column '%s' has an empty name",
                                 (long long)k, ds->names[j]);
        if (causa_i_utf8_invalid_at(levels[k], strlen(levels[k])) >= 0)
            return causa_i_error(ctx, CAUSA_EINVAL, "level %lld of column '%s' is not valid UTF-8",
                                 (long long)k, ds->names[j]);
    }
    /* Distinct names: sort a copy of the pointers and compare neighbours. */
    const char **sorted = causa_i_malloc(ctx, (size_t)nlevels * sizeof *sorted);
    if (!sorted) return causa_i_nomem(ctx, "level names", (size_t)nlevels * sizeof *sorted);
    memcpy(sorted, levels, (size_t)nlevels * sizeof *sorted);
    qsort(sorted, (size_t)nlevels, sizeof *sorted, cmp_str);
    for (int64_t k = 1; k < nlevels; k++)
        if (strcmp(sorted[k - 1], sorted[k]) == 0) {
            rc = causa_i_error(ctx, CAUSA_EINVAL, "level name '%s' appears twice in column '%s'",
                               sorted[k], ds->names[j]);
            break;
        }
    causa_i_free(ctx, sorted);
    if (rc) return rc;
    const double *col = ds->data + j * ds->n;
    for (int64_t i = 0; i < ds->n; i++) {
        double v = col[i];
        if (!(v >= 0 && v < (double)nlevels && v == floor(v)))
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "row %lld of column '%s' holds %.17g, not a code in 0..%lld",
                                 (long long)(i + 1), ds->names[j], v, (long long)nlevels - 1);
    }
    char **lv = causa_i_levels_new(ctx, nlevels, levels);
    if (!lv) return causa_i_nomem(ctx, "level names", (size_t)nlevels * sizeof(char *));
    causa_i_dataset_take_levels(ds, j, nlevels, lv);
    return CAUSA_OK;
}
