/*
 * stats_i.h: internals of src/stats shared between its files: the sufficient-statistics
 * struct and the vtable every CI test implements.
 */
#ifndef CAUSA_STATS_I_H
#define CAUSA_STATS_I_H

#include "../internal.h"

struct causa_suffstat {
    causa_ctx *ctx;
    int64_t n, p;
    char **names;
    double *means; /* p */
    double *cov;   /* p x p, column-major, n - 1 denominator */
    double *corr;  /* p x p */
};

/* Computes corr from cov (corr may be cov: in place); CAUSA_EDATA naming the first variable
 * with zero variance. */
int causa_i_suffstat_finish(causa_ctx *ctx, causa_suffstat *s);
/* causa_suffstat_new without the covariance: corr only (cov NULL), one p x p array. */
int causa_i_suffstat_corr_only(causa_ctx *ctx, const causa_dataset *ds, causa_suffstat **out);

/* The interface of one CI test. `state` is built by the test's constructor and read-only
 * afterwards; `work` is per thread. */
typedef struct causa_i_citest_vt {
    const char *name;
    /* Bytes of per-thread workspace for queries with up to max_cond conditioning variables. */
    size_t (*work_size)(const void *state, int64_t max_cond);
    int (*run)(const void *state, void *work, int64_t max_cond, int64_t x, int64_t y,
               const int64_t *z, int64_t nz, causa_citest_result *out);
    void (*free_state)(causa_ctx *ctx, void *state);
    /* Optional, for tests whose p-value is a decreasing function of the statistic alone
     * (Fisher-z): as run, but when the statistic exceeds skip_above the p-value is not
     * computed and out->pvalue is -1. NULL for the others. */
    int (*run_bounded)(const void *state, void *work, int64_t max_cond, int64_t x, int64_t y,
                       const int64_t *z, int64_t nz, double skip_above, causa_citest_result *out);
} causa_i_citest_vt;

struct causa_citest {
    causa_ctx *ctx;
    const causa_i_citest_vt *vt;
    void *state;
    int64_t p;
    char **names; /* borrowed from the state's owner or copied; freed with the test */
    double alpha;
};

/* causa_citest_run through the test's run_bounded when it has one (else the plain run, the
 * p-value always computed): the skeleton skips the p-values that cannot matter. */
int causa_i_citest_run_bounded(const causa_citest *t, causa_citest_work *w, int64_t x, int64_t y,
                               const int64_t *z, int64_t nz, double skip_above,
                               causa_citest_result *out);

/* Makes the test object around a built state (takes ownership of state and names). */
int causa_i_citest_wrap(causa_ctx *ctx, const causa_i_citest_vt *vt, void *state, int64_t p,
                        char **names, double alpha, causa_citest **out);
/* Copies p names (or makes X1..Xp when names is NULL). */
int causa_i_copy_names(causa_ctx *ctx, int64_t p, const char *const *names, char ***out);
void causa_i_free_names(causa_ctx *ctx, int64_t p, char **names);

/* The median of the square roots of m > 0 non-negative values (median.c): selection, with
 * the root taken of the one or two middle values only. buf is reordered. */
double causa_i_median_sqrt(double *buf, int64_t m);

/* Fisher-z over a correlation matrix (fisherz.c). Takes ownership of nothing: copies corr. */
int causa_i_fisherz_new(causa_ctx *ctx, int64_t p, int64_t n, const double *corr,
                        const char *const *names, double alpha, causa_citest **out);
/* The same, taking over *corr (a p x p array from causa_i_malloc) instead of copying it:
 * *corr is consumed (set to NULL; freed on failure) whatever the outcome. */
int causa_i_fisherz_new_take(causa_ctx *ctx, int64_t p, int64_t n, double **corr,
                             const char *const *names, double alpha, causa_citest **out);

#endif
