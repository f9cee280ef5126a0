/*
 * citest.c: the conditional-independence test interface: construction by name, per-thread
 * workspaces, argument checks, and dispatch to each test's vtable.
 */
#include <math.h>
#include <string.h>

#include "contingency_i.h"
#include "stats_i.h"

struct causa_citest_work {
    causa_ctx *ctx;
    const causa_citest *test;
    int64_t max_cond;
    void *mem; /* the test's workspace */
};

void causa_citest_options_init(causa_citest_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->name = "fisher-z";
    opt->alpha = 0.01;
    opt->df_rule = CAUSA_DF_ADJUSTED;
    opt->min_rows_per_df = 0;
    opt->min_cell_rows = 0;
    opt->kernel_width = CAUSA_KCI_WIDTH_EMPIRICAL;
    opt->kernel_epsilon = 1e-3;
    opt->kci_max_rows = 5000;
    opt->num_features = 5;
    opt->num_features_z = 100;
    opt->rcit_null = CAUSA_RCIT_NULL_LPB4;
    opt->seed = 0;
}

static int check_options(causa_ctx *ctx, const causa_citest_options *opt) {
    if (!(opt->alpha > 0 && opt->alpha < 1))
        return causa_i_error(ctx, CAUSA_EINVAL, "alpha must be in (0, 1), got %g", opt->alpha);
    if (opt->df_rule != CAUSA_DF_ADJUSTED && opt->df_rule != CAUSA_DF_CLASSIC)
        return causa_i_error(ctx, CAUSA_EINVAL, "df_rule must be CAUSA_DF_ADJUSTED or CAUSA_DF_CLASSIC, got %d",
                             opt->df_rule);
    if (!(opt->min_rows_per_df >= 0) || !isfinite(opt->min_rows_per_df))
        return causa_i_error(ctx, CAUSA_EINVAL, "min_rows_per_df must be >= 0, got %g", opt->min_rows_per_df);
    if (opt->min_cell_rows < 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "min_cell_rows must be >= 0, got %lld",
                             (long long)opt->min_cell_rows);
    if (opt->kernel_width != CAUSA_KCI_WIDTH_EMPIRICAL && opt->kernel_width != CAUSA_KCI_WIDTH_MEDIAN)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "kernel_width must be CAUSA_KCI_WIDTH_EMPIRICAL or CAUSA_KCI_WIDTH_MEDIAN, got %d",
                             opt->kernel_width);
    if (!(opt->kernel_epsilon > 0) || !isfinite(opt->kernel_epsilon))
        return causa_i_error(ctx, CAUSA_EINVAL, "kernel_epsilon must be > 0, got %g", opt->kernel_epsilon);
    if (opt->kci_max_rows < 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "kci_max_rows must be >= 1, got %lld",
                             (long long)opt->kci_max_rows);
    if (opt->num_features < 1 || opt->num_features > 50) /* the null needs a nf^2 x nf^2 matrix */
        return causa_i_error(ctx, CAUSA_EINVAL, "num_features must be in [1, 50], got %lld",
                             (long long)opt->num_features);
    if (opt->num_features_z < 1 || opt->num_features_z > 2000)
        return causa_i_error(ctx, CAUSA_EINVAL, "num_features_z must be in [1, 2000], got %lld",
                             (long long)opt->num_features_z);
    if (opt->rcit_null != CAUSA_RCIT_NULL_LPB4 && opt->rcit_null != CAUSA_RCIT_NULL_HBE)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "rcit_null must be CAUSA_RCIT_NULL_LPB4 or CAUSA_RCIT_NULL_HBE, got %d",
                             opt->rcit_null);
    return CAUSA_OK;
}

int causa_i_citest_wrap(causa_ctx *ctx, const causa_i_citest_vt *vt, void *state, int64_t p,
                        char **names, double alpha, causa_citest **out) {
    causa_citest *t = causa_i_calloc(ctx, 1, sizeof *t);
    if (!t) {
        vt->free_state(ctx, state);
        causa_i_free_names(ctx, p, names);
        return causa_i_nomem(ctx, "CI test", sizeof *t);
    }
    t->ctx = ctx;
    t->vt = vt;
    t->state = state;
    t->p = p;
    t->names = names;
    t->alpha = alpha;
    *out = t;
    return CAUSA_OK;
}

int causa_citest_new(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *opt,
                     causa_citest **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (!ds) return causa_i_error(ctx, CAUSA_EMISUSE, "data set is NULL");
    causa_citest_options defaults;
    if (!opt) {
        causa_citest_options_init(&defaults);
        opt = &defaults;
    }
    int rc = check_options(ctx, opt);
    if (rc) return rc;
    const char *name = opt->name ? opt->name : "fisher-z";
    if (strcmp(name, "fisher-z") == 0 || strcmp(name, "fisherz") == 0) {
        /* The correlation only, computed in the covariance's array and handed to the test:
         * one p x p array at the peak instead of three (800 MB, not 2.4 GB, at p = 10 000). */
        causa_suffstat *s;
        rc = causa_i_suffstat_corr_only(ctx, ds, &s);
        if (rc) return rc;
        rc = causa_i_fisherz_new_take(ctx, s->p, s->n, &s->corr, (const char *const *)s->names, opt->alpha, out);
        causa_suffstat_free(s);
        return rc;
    }
    if (strcmp(name, "g-square") == 0 || strcmp(name, "gsq") == 0 || strcmp(name, "g2") == 0)
        return causa_i_gsquare_new(ctx, ds, opt, 0, out);
    if (strcmp(name, "chi-square") == 0 || strcmp(name, "chisq") == 0)
        return causa_i_gsquare_new(ctx, ds, opt, 1, out);
    if (strcmp(name, "cg-lrt") == 0 || strcmp(name, "cg-lr") == 0)
        return causa_i_cglrt_new(ctx, ds, opt, out);
    if (strcmp(name, "kci") == 0) return causa_i_kci_new(ctx, ds, opt, out);
    if (strcmp(name, "rcit") == 0) return causa_i_rcit_new(ctx, ds, opt, 0, out);
    if (strcmp(name, "rcot") == 0) return causa_i_rcit_new(ctx, ds, opt, 1, out);
    return causa_i_error(ctx, CAUSA_EINVAL,
                         "unknown CI test '%s' (known: fisher-z, g-square, chi-square, cg-lrt, kci, "
                         "rcit, rcot)",
                         name);
}

int causa_citest_from_suffstat(causa_ctx *ctx, const causa_suffstat *s,
                               const causa_citest_options *opt, causa_citest **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (!s) return causa_i_error(ctx, CAUSA_EMISUSE, "statistics are NULL");
    causa_citest_options defaults;
    if (!opt) {
        causa_citest_options_init(&defaults);
        opt = &defaults;
    }
    int rc = check_options(ctx, opt);
    if (rc) return rc;
    const char *name = opt->name ? opt->name : "fisher-z";
    if (strcmp(name, "fisher-z") != 0 && strcmp(name, "fisherz") != 0)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "summary statistics support only the fisher-z test, not '%s'", name);
    return causa_i_fisherz_new(ctx, s->p, s->n, s->corr, (const char *const *)s->names, opt->alpha, out);
}

void causa_citest_free(causa_citest *t) {
    if (!t) return;
    causa_ctx *ctx = t->ctx;
    t->vt->free_state(ctx, t->state);
    causa_i_free_names(ctx, t->p, t->names);
    causa_i_free(ctx, t);
}

const char *causa_citest_name(const causa_citest *t) { return t ? t->vt->name : NULL; }
int64_t causa_citest_nvars(const causa_citest *t) { return t ? t->p : 0; }
const char *causa_citest_var_name(const causa_citest *t, int64_t j) {
    return t && j >= 0 && j < t->p ? t->names[j] : NULL;
}

int causa_citest_work_new(causa_ctx *ctx, const causa_citest *t, int64_t max_cond,
                          causa_citest_work **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (!t) return causa_i_error(ctx, CAUSA_EMISUSE, "test is NULL");
    if (max_cond < 0 || max_cond > t->p)
        return causa_i_error(ctx, CAUSA_EINVAL, "max_cond must be in [0, %lld], got %lld",
                             (long long)t->p, (long long)max_cond);
    causa_citest_work *w = causa_i_calloc(ctx, 1, sizeof *w);
    if (!w) return causa_i_nomem(ctx, "CI test workspace", sizeof *w);
    /* Rounded up to whole cache lines plus one: the workspaces of different threads are
     * written at every test and must not share a line. */
    size_t bytes = causa_i_line_padded(t->vt->work_size(t->state, max_cond));
    w->mem = causa_i_calloc(ctx, 1, bytes);
    if (!w->mem) {
        causa_i_free(ctx, w);
        return causa_i_nomem(ctx, "CI test workspace", bytes);
    }
    w->ctx = ctx;
    w->test = t;
    w->max_cond = max_cond;
    *out = w;
    return CAUSA_OK;
}

void causa_citest_work_free(causa_citest_work *w) {
    if (!w) return;
    causa_i_free(w->ctx, w->mem);
    causa_i_free(w->ctx, w);
}

/* Queries run in worker threads, so errors cannot be written to the context (one thread
 * at a time): argument problems are returned as codes only; the caller checks arguments
 * it builds itself. */
static int check_query(const causa_citest *t, const causa_citest_work *w, int64_t x, int64_t y,
                       const int64_t *z, int64_t nz, const causa_citest_result *out) {
    if (!t || !w || !out || w->test != t) return CAUSA_EMISUSE;
    if (x < 0 || x >= t->p || y < 0 || y >= t->p || x == y || nz < 0 || nz > w->max_cond)
        return CAUSA_EINVAL;
    for (int64_t k = 0; k < nz; k++)
        if (z[k] < 0 || z[k] >= t->p || z[k] == x || z[k] == y) return CAUSA_EINVAL;
    return CAUSA_OK;
}

int causa_citest_run(const causa_citest *t, causa_citest_work *w, int64_t x, int64_t y,
                     const int64_t *z, int64_t nz, causa_citest_result *out) {
    return causa_i_citest_run_bounded(t, w, x, y, z, nz, (double)INFINITY, out);
}

int causa_i_citest_run_bounded(const causa_citest *t, causa_citest_work *w, int64_t x, int64_t y,
                               const int64_t *z, int64_t nz, double skip_above,
                               causa_citest_result *out) {
    int rc = check_query(t, w, x, y, z, nz, out);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    if (!t->vt->run_bounded) return t->vt->run(t->state, w->mem, w->max_cond, x, y, z, nz, out);
    return t->vt->run_bounded(t->state, w->mem, w->max_cond, x, y, z, nz, skip_above, out);
}
