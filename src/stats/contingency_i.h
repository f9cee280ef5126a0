/*
 * contingency_i.h: discrete codes and configuration keys shared by the discrete and mixed
 * CI tests (gsquare.c, cglrt.c), and the declarations of the tests' constructors that
 * citest.c dispatches to.
 *
 * A test prepares the codes of its discrete columns once: each column recoded to the
 * levels that actually occur (0..L-1 in increasing order of the original code, as
 * causal-learn's np.unique recoding does), as 32-bit integers for fast counting. A query
 * then turns each row's configuration of the conditioning variables into one integer key
 * (mixed radix), or, when the product of the numbers of levels does not fit, into the rank
 * of the configuration among those that occur (exact, by radix sort), so memory is O(n)
 * whatever the product of levels.
 */
#ifndef CAUSA_STATS_CONTINGENCY_I_H
#define CAUSA_STATS_CONTINGENCY_I_H

#include "stats_i.h"

typedef struct causa_i_codes {
    int64_t n, p;
    int32_t **col;  /* p columns of n codes; NULL for a continuous column */
    int64_t *nlev;  /* levels that occur (0 for a continuous column) */
    int64_t maxlev; /* largest nlev */
} causa_i_codes;

/* Recodes the discrete columns of ds. With all_discrete, a continuous column is an error:
 * CAUSA_EDATA naming the column and `test`. */
int causa_i_codes_new(causa_ctx *ctx, const causa_dataset *ds, int all_discrete, const char *test,
                      causa_i_codes **out);
void causa_i_codes_free(causa_ctx *ctx, causa_i_codes *c);

/* A key and a row, sorted together. */
typedef struct causa_i_keyrow {
    uint64_t key;
    uint64_t row;
} causa_i_keyrow;

/* Sorts a[0..n) by key (stable LSD radix sort, 11 bits a pass over the bits of maxkey);
 * tmp holds n more. Returns a or tmp, whichever holds the result. */
causa_i_keyrow *causa_i_radix_sort(causa_i_keyrow *a, causa_i_keyrow *tmp, int64_t n,
                                   uint64_t maxkey);

/* keys[i] = the configuration of the discrete columns cols[0..m) in row i, as an integer
 * below the returned range, which is at most `limit` (limit >= n). Mixed radix while the
 * product of levels stays below limit; otherwise the configurations seen so far are
 * replaced by their ranks (at most n of them) and the product continues from there. a and
 * tmp (n each) are scratch. m = 0 gives key 0 and range 1. */
uint64_t causa_i_config_keys(const causa_i_codes *c, const int64_t *cols, int64_t m, uint64_t limit,
                             uint64_t *keys, causa_i_keyrow *a, causa_i_keyrow *tmp);
/* Replaces keys[0..n) by their ranks among the distinct keys; returns the number of
 * distinct keys. a and tmp (n each) are scratch. */
uint64_t causa_i_densify_keys(uint64_t *keys, int64_t n, uint64_t maxkey, causa_i_keyrow *a,
                              causa_i_keyrow *tmp);

/* Sorts idx[0..n) ascending (insertion sort: conditioning sets are short). */
void causa_i_sort_idx(int64_t *idx, int64_t n);
/* A 64-bit hash of a query (x, y, z[0..nz)) and a salt, for random streams. */
uint64_t causa_i_query_hash(int64_t x, int64_t y, const int64_t *z, int64_t nz, uint64_t salt);

/* ---- the G-square / chi-square core, shared with cg-lrt's all-discrete case ---- */
typedef struct causa_i_gsq_cfg {
    int chisq;              /* 1: Pearson's chi-square; 0: G-square */
    int df_rule;            /* CAUSA_DF_ADJUSTED or CAUSA_DF_CLASSIC */
    double min_rows_per_df; /* 0: off */
} causa_i_gsq_cfg;
size_t causa_i_gsq_work_size(const causa_i_codes *c, int64_t max_cond);
/* x, y and z[0..nz) discrete columns (z in any order: it is sorted into the workspace). */
int causa_i_gsq_query(const causa_i_codes *c, const causa_i_gsq_cfg *cfg, void *work,
                      int64_t max_cond, int64_t x, int64_t y, const int64_t *z, int64_t nz,
                      causa_citest_result *out);

/* ---- constructors (citest.c dispatches by name) ---- */
int causa_i_gsquare_new(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *opt,
                        int chisq, causa_citest **out);
int causa_i_cglrt_new(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *opt,
                      causa_citest **out);
int causa_i_kci_new(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *opt,
                    causa_citest **out);
int causa_i_rcit_new(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *opt,
                     int rcot, causa_citest **out);

/* Upper tail at x of sum_i w_i chi2_1 (w_i > 0, k of them) by CAUSA_RCIT_NULL_LPB4 (with
 * the HBE fallback) or CAUSA_RCIT_NULL_HBE (rcit.c). */
double causa_i_wchisq_sf(const double *w, int64_t k, double x, int method);

/* Copies the column names of ds (for causa_i_citest_wrap). */
int causa_i_dataset_names(causa_ctx *ctx, const causa_dataset *ds, char ***out);

/* Standardised copy of every column of ds (mean 0, sample sd 1; a constant column becomes
 * all zeros and sd_zero[j] = 1), n x p column-major; used by cg-lrt, KCI and RCIT. */
int causa_i_standardize(causa_ctx *ctx, const causa_dataset *ds, double **out, unsigned char **sd_zero);

#endif
