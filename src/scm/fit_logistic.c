/*
 * fit_logistic.c: the candidates of causa_scm_fit for discrete nodes: multinomial logistic
 * regression by Newton's method, and probability tables from counts.
 *
 * LOGISTIC. P(X = k | u) = exp(eta_k) / sum_l exp(eta_l), eta_k = c_k + w_k.u, level 0 the
 * reference (c_0 = 0, w_0 = 0), as the model's LOGISTIC mechanism reads it. The penalised
 * log-likelihood
 *     l(b) = sum_i log p_i(y_i) - 1/2 sum_{k >= 1} (lambda sum_j s_j^2 w_kj^2 + lambda_0 c_k^2)
 * (s_j: input j's standard deviation, so the penalty is a ridge on standardised weights;
 * lambda_0 = 1e-6 lambda keeps the intercept of a level absent from the rows finite) is
 * concave; Newton's method (IRLS) maximises it with the exact Hessian
 *     -d2 l / d b_ka d b_lb = sum_i p_ik (delta_kl - p_il) x_ia x_ib (+ penalty),
 * x_i = (1, u_i), solved by Cholesky (LAPACK dposv; a Levenberg shift when the Hessian is
 * singular, as with lambda = 0 and a constant input), halving the step until the objective
 * does not fall. With lambda = 0 this is the maximum-likelihood fit of statsmodels' MNLogit
 * (tests/unit/test_fit.c checks the numbers). Stops when a step changes no coefficient by
 * more than 1e-10 (relative) or the objective by less than 1e-14 (relative).
 *
 * CPT. Row r of the table (parents' level combination r) is (counts_r + alpha) / (n_r + K
 * alpha): the posterior mean under a symmetric Dirichlet(alpha) prior; alpha = 1 is
 * Laplace's rule. An empty row with alpha = 0 is uniform.
 */
#include <math.h>
#include <string.h>

#include "../linalg/lstsq_i.h"
#include "fit_i.h"
#include "scm_i.h"

/* Level probabilities of row i under coefficient rows beta ((K - 1) x d, level k's row at
 * beta + (k - 1) d); x_i read from u. Returns log p(y) when y >= 0. */
static double row_probs(const double *beta, int64_t K, int64_t d, const double *u, int64_t ldu,
                        int64_t i, double *p) {
    double mx = 0.0; /* level 0: eta = 0 */
    p[0] = 0.0;
    for (int64_t k = 1; k < K; k++) {
        const double *b = beta + (k - 1) * d;
        double eta = b[0];
        for (int64_t j = 1; j < d; j++) eta += b[j] * u[i + (j - 1) * ldu];
        p[k] = eta;
        if (eta > mx) mx = eta;
    }
    double s = 0.0;
    for (int64_t k = 0; k < K; k++) {
        p[k] = exp(p[k] - mx);
        s += p[k];
    }
    for (int64_t k = 0; k < K; k++) p[k] /= s;
    return -mx - log(s); /* log of level 0's probability; callers shift by eta_y */
}

/* Penalised log-likelihood of beta. */
static double objective(const double *beta, int64_t K, int64_t d, const double *u, int64_t ldu,
                        const double *y, int64_t n, const double *pen, double *p) {
    double ll = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double l0 = row_probs(beta, K, d, u, ldu, i, p);
        int64_t yi = (int64_t)y[i];
        double eta = 0.0;
        if (yi > 0) {
            const double *b = beta + (yi - 1) * d;
            eta = b[0];
            for (int64_t j = 1; j < d; j++) eta += b[j] * u[i + (j - 1) * ldu];
        }
        ll += l0 + eta;
    }
    for (int64_t k = 1; k < K; k++)
        for (int64_t j = 0; j < d; j++) {
            double b = beta[(k - 1) * d + j];
            ll -= 0.5 * pen[j] * b * b;
        }
    return ll;
}

int causa_i_fit_logistic(causa_ctx *ctx, const double *u, int64_t n, int64_t m, int64_t ldu,
                         const double *y, int64_t K, double lambda, int64_t max_iter,
                         causa_i_fitted *out) {
    memset(out, 0, sizeof *out);
    int rc = CAUSA_OK;
    int64_t d = m + 1, D = (K - 1) * d;
    double *beta = NULL, *trial = NULL, *grad = NULL, *hess = NULL, *h2 = NULL, *p = NULL,
           *pen = NULL, *x = NULL;
    out->family = CAUSA_FIT_LOGISTIC;
    out->m = m;
    out->K = K;
    out->nparams = D;
    if (K < 2) return causa_i_error(ctx, CAUSA_EINTERNAL, "logistic fit with %lld levels", (long long)K);
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&beta, (size_t)D * sizeof *beta, "logistic coefficients"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&trial, (size_t)D * sizeof *trial, "logistic coefficients"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&grad, (size_t)D * sizeof *grad, "a gradient"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&hess, causa_i_mul_size((size_t)D, (size_t)D * sizeof *hess),
                            "a Hessian"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&h2, causa_i_mul_size((size_t)D, (size_t)D * sizeof *h2),
                            "a Hessian"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&p, (size_t)K * sizeof *p, "probabilities"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&pen, (size_t)d * sizeof *pen, "penalties"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&x, (size_t)d * sizeof *x, "a row"));
    pen[0] = 1e-6 * lambda;
    for (int64_t j = 1; j < d; j++) {
        const double *col = u + (j - 1) * ldu;
        double mean = 0.0, ss = 0.0;
        for (int64_t i = 0; i < n; i++) mean += col[i];
        mean = n > 0 ? mean / (double)n : 0.0;
        for (int64_t i = 0; i < n; i++) ss += (col[i] - mean) * (col[i] - mean);
        double var = n > 0 ? ss / (double)n : 0.0;
        pen[j] = lambda * (var > 0 ? var : 1.0);
    }
    double obj = objective(beta, K, d, u, ldu, y, n, pen, p);
    int64_t it = 0;
    int converged = 0;
    for (it = 0; it < max_iter && !converged; it++) {
        if ((rc = causa_i_check_interrupt(ctx))) goto done;
        /* Gradient and Hessian (lower triangle) of the negative objective. */
        memset(grad, 0, (size_t)D * sizeof *grad);
        memset(hess, 0, (size_t)D * (size_t)D * sizeof *hess);
        for (int64_t i = 0; i < n; i++) {
            row_probs(beta, K, d, u, ldu, i, p);
            x[0] = 1.0;
            for (int64_t j = 1; j < d; j++) x[j] = u[i + (j - 1) * ldu];
            int64_t yi = (int64_t)y[i];
            for (int64_t k = 1; k < K; k++) {
                double r = (yi == k ? 1.0 : 0.0) - p[k];
                for (int64_t a = 0; a < d; a++) grad[(k - 1) * d + a] += r * x[a];
                for (int64_t l = 1; l <= k; l++) {
                    double w = p[k] * ((k == l ? 1.0 : 0.0) - p[l]);
                    if (w == 0.0) continue;
                    double *blk = hess + ((l - 1) * d) * D + (k - 1) * d; /* rows of k, columns of l */
                    for (int64_t b = 0; b < d; b++) {
                        double wb = w * x[b];
                        double *col = blk + b * D;
                        for (int64_t a = 0; a < d; a++) col[a] += wb * x[a];
                    }
                }
            }
        }
        for (int64_t k = 1; k < K; k++)
            for (int64_t a = 0; a < d; a++) {
                int64_t q = (k - 1) * d + a;
                grad[q] -= pen[a] * beta[q];
                hess[q + q * D] += pen[a];
            }
        /* Newton direction: hess * delta = grad (Levenberg shift if not positive definite). */
        double dmax = 0.0;
        for (int64_t q = 0; q < D; q++) dmax = fmax(dmax, hess[q + q * D]);
        double shift = 0.0;
        for (int attempt = 0;; attempt++) {
            memcpy(h2, hess, (size_t)D * (size_t)D * sizeof *h2);
            memcpy(trial, grad, (size_t)D * sizeof *trial);
            for (int64_t q = 0; q < D; q++) h2[q + q * D] += shift;
            int s = causa_i_posv(h2, D, trial, D, 1);
            if (s == CAUSA_OK) break;
            if (attempt == 12) {
                rc = causa_i_error(ctx, CAUSA_ESINGULAR,
                                   "logistic regression: the Hessian stays singular");
                goto done;
            }
            shift = shift == 0.0 ? 1e-10 * (dmax > 0 ? dmax : 1.0) : shift * 100.0;
        }
        /* trial holds delta; halve the step until the objective does not fall. */
        double step = 1.0, newobj = obj;
        int accepted = 0;
        for (int h = 0; h < 40; h++) {
            for (int64_t q = 0; q < D; q++) h2[q] = beta[q] + step * trial[q];
            newobj = objective(h2, K, d, u, ldu, y, n, pen, p);
            if (newobj >= obj - 1e-13 * fabs(obj)) {
                accepted = 1;
                break;
            }
            step *= 0.5;
        }
        if (!accepted) {
            converged = 1; /* no ascent left at double precision */
            break;
        }
        double change = 0.0, size = 0.0;
        for (int64_t q = 0; q < D; q++) {
            change = fmax(change, fabs(step * trial[q]));
            size = fmax(size, fabs(h2[q]));
        }
        memcpy(beta, h2, (size_t)D * sizeof *beta);
        double gain = newobj - obj;
        obj = newobj;
        if (change <= 1e-10 * (1.0 + size) || gain <= 1e-14 * (1.0 + fabs(obj))) converged = 1;
    }
    out->iterations = it;
    if (!converged)
        causa_i_log(ctx, CAUSA_LOG_WARN,
                    "logistic regression: no convergence in %lld Newton steps (separable data? "
                    "raise the ridge penalty)",
                    (long long)max_iter);
    out->ncoefs = K * d;
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&out->coefs, (size_t)(K * d) * sizeof *out->coefs,
                             "logistic coefficients"));
    memcpy(out->coefs + d, beta, (size_t)D * sizeof *beta);
done:
    causa_i_free(ctx, beta);
    causa_i_free(ctx, trial);
    causa_i_free(ctx, grad);
    causa_i_free(ctx, hess);
    causa_i_free(ctx, h2);
    causa_i_free(ctx, p);
    causa_i_free(ctx, pen);
    causa_i_free(ctx, x);
    if (rc) causa_i_fitted_clear(ctx, out);
    return rc;
}

int causa_i_fit_cpt(causa_ctx *ctx, const int64_t *cfg, const double *y, int64_t n, int64_t rows,
                    int64_t K, double alpha, causa_i_fitted *out) {
    memset(out, 0, sizeof *out);
    out->family = CAUSA_FIT_CPT;
    out->K = K;
    out->rows = rows;
    out->ncoefs = rows * K;
    out->nparams = rows * (K - 1);
    int rc = causa_i_alloc0(ctx, (void **)&out->coefs,
                            causa_i_mul_size((size_t)rows, (size_t)K * sizeof *out->coefs),
                            "a probability table");
    if (rc) return rc;
    double *t = out->coefs;
    for (int64_t i = 0; i < n; i++) t[cfg[i] * K + (int64_t)y[i]] += 1.0;
    for (int64_t r = 0; r < rows; r++) {
        double *row = t + r * K, s = 0.0;
        for (int64_t k = 0; k < K; k++) s += row[k] + alpha;
        for (int64_t k = 0; k < K; k++) row[k] = s > 0 ? (row[k] + alpha) / s : 1.0 / (double)K;
    }
    return CAUSA_OK;
}

int causa_i_predict_probs(causa_ctx *ctx, const causa_i_fitted *f, const double *u, int64_t n,
                          int64_t ldu, const int64_t *cfg, double *out) {
    int64_t K = f->K;
    if (f->family == CAUSA_FIT_CPT) {
        for (int64_t i = 0; i < n; i++) memcpy(out + i * K, f->coefs + cfg[i] * K, (size_t)K * sizeof *out);
        return CAUSA_OK;
    }
    if (f->family != CAUSA_FIT_LOGISTIC)
        return causa_i_error(ctx, CAUSA_EINTERNAL, "predicting probabilities of a continuous fit");
    int64_t d = f->m + 1;
    for (int64_t i = 0; i < n; i++) row_probs(f->coefs + d, K, d, u, ldu, i, out + i * K);
    return CAUSA_OK;
}
