/*
 * fit_cv.c: fitting one candidate family, and k-fold cross-validation of it.
 *
 * Folds: a permutation of the rows from the random stream (seed, FOLDS + node); the row at
 * position i of the permutation goes to fold i mod k, so folds differ in size by at most
 * one and every candidate of a node is scored on the same folds. For each fold the
 * candidate is fitted on the other rows (its spline breakpoints, its input scales: all from
 * those rows only) and scored on the held-out rows; the per-row losses of all folds give
 * the CV error (their mean) and its standard error (their sd / sqrt(n)).
 */
#include <math.h>
#include <string.h>

#include "fit_i.h"
#include "scm_i.h"

int causa_i_fit_candidate(causa_ctx *ctx, int family, const causa_i_fit_data *d,
                          const causa_fit_options *opt, causa_i_fitted *out) {
    switch (family) {
    case CAUSA_FIT_LINEAR: return causa_i_fit_poly(ctx, 1, d->u, d->n, d->m, d->n, d->y, opt->ridge, out);
    case CAUSA_FIT_POLY2: return causa_i_fit_poly(ctx, 2, d->u, d->n, d->m, d->n, d->y, opt->ridge, out);
    case CAUSA_FIT_SPLINE:
        return causa_i_fit_spline(ctx, d->u, d->n, d->m, d->n, d->y, opt->spline_knots, opt->spline_ridge,
                                  out);
    case CAUSA_FIT_LOGISTIC:
        return causa_i_fit_logistic(ctx, d->u, d->n, d->m, d->n, d->y, d->K, opt->logistic_ridge,
                                    opt->max_iter, out);
    case CAUSA_FIT_CPT: return causa_i_fit_cpt(ctx, d->cfg, d->y, d->n, d->rows, d->K, opt->cpt_alpha, out);
    default: return causa_i_error(ctx, CAUSA_EINTERNAL, "no fitter for family %d", family);
    }
}

int causa_i_make_folds(causa_ctx *ctx, uint64_t seed, int64_t v, int64_t n, int64_t k,
                       int64_t *fold) {
    int64_t *perm = NULL;
    int rc = causa_i_alloc(ctx, (void **)&perm, (size_t)CAUSA_MAX(n, 1) * sizeof *perm, "a permutation");
    if (rc) return rc;
    causa_rng rng;
    causa_rng_init(&rng, seed, CAUSA_I_FIT_STREAM_FOLDS + (uint64_t)v);
    causa_rng_permutation(&rng, perm, n);
    for (int64_t i = 0; i < n; i++) fold[perm[i]] = i % k;
    causa_i_free(ctx, perm);
    return CAUSA_OK;
}

int causa_i_cross_validate(causa_ctx *ctx, int family, const causa_i_fit_data *d,
                           const causa_fit_options *opt, const int64_t *fold, int64_t k,
                           double *cv, double *se) {
    *cv = (double)NAN;
    *se = (double)NAN;
    int rc = CAUSA_OK;
    int64_t n = d->n, m = d->m, K = d->K;
    int discrete = family == CAUSA_FIT_LOGISTIC || family == CAUSA_FIT_CPT;
    double *utr = NULL, *ytr = NULL, *ute = NULL, *pred = NULL, *loss = NULL;
    int64_t *ctr = NULL, *cte = NULL;
    causa_i_fitted f = {0};
    size_t cols = (size_t)CAUSA_MAX(m, 1);
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&utr, causa_i_mul_size((size_t)n, cols * sizeof *utr), "training rows"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&ute, causa_i_mul_size((size_t)n, cols * sizeof *ute), "test rows"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&ytr, (size_t)n * sizeof *ytr, "training targets"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&loss, (size_t)n * sizeof *loss, "CV losses"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&pred,
                            causa_i_mul_size((size_t)n, (size_t)(discrete ? K : 1) * sizeof *pred),
                            "predictions"));
    if (d->cfg) {
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&ctr, (size_t)n * sizeof *ctr, "training combinations"));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&cte, (size_t)n * sizeof *cte, "test combinations"));
    }
    for (int64_t f_ = 0; f_ < k; f_++) {
        int64_t ntr = 0, nte = 0;
        for (int64_t i = 0; i < n; i++) ntr += fold[i] != f_;
        nte = n - ntr;
        if (nte == 0 || ntr == 0) continue;
        /* Split the rows: column-major blocks with leading dimensions ntr and nte. */
        int64_t a = 0, b = 0;
        for (int64_t i = 0; i < n; i++) {
            if (fold[i] != f_) {
                for (int64_t j = 0; j < m; j++) utr[a + j * ntr] = d->u[i + j * n];
                ytr[a] = d->y[i];
                if (ctr) ctr[a] = d->cfg[i];
                a++;
            } else {
                for (int64_t j = 0; j < m; j++) ute[b + j * nte] = d->u[i + j * n];
                if (cte) cte[b] = d->cfg[i];
                b++;
            }
        }
        causa_i_fit_data tr = {utr, ytr, ctr, ntr, m, K, d->rows};
        CAUSA_TRY(causa_i_fit_candidate(ctx, family, &tr, opt, &f));
        if (discrete) CAUSA_TRY(causa_i_predict_probs(ctx, &f, ute, nte, nte, cte, pred));
        else CAUSA_TRY(causa_i_predict_continuous(ctx, &f, ute, nte, nte, pred));
        causa_i_fitted_clear(ctx, &f);
        b = 0;
        for (int64_t i = 0; i < n; i++) {
            if (fold[i] != f_) continue;
            if (discrete) {
                double pr = pred[b * K + (int64_t)d->y[i]];
                loss[i] = -log(pr > 1e-15 ? pr : 1e-15);
            } else {
                double e = d->y[i] - pred[b];
                loss[i] = e * e;
            }
            b++;
        }
    }
    double mean = 0.0, ss = 0.0;
    for (int64_t i = 0; i < n; i++) mean += loss[i];
    mean /= (double)n;
    for (int64_t i = 0; i < n; i++) ss += (loss[i] - mean) * (loss[i] - mean);
    *cv = mean;
    *se = n > 1 ? sqrt(ss / (double)(n - 1) / (double)n) : (double)NAN;
done:
    causa_i_fitted_clear(ctx, &f);
    causa_i_free(ctx, utr);
    causa_i_free(ctx, ute);
    causa_i_free(ctx, ytr);
    causa_i_free(ctx, loss);
    causa_i_free(ctx, pred);
    causa_i_free(ctx, ctr);
    causa_i_free(ctx, cte);
    return rc;
}
