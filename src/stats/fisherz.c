/*
 * fisherz.c: Fisher's z test of zero partial correlation for Gaussian data.
 *
 * The correlation matrix R is computed once (suffstat.c, BLAS). For X, Y given Z the
 * partial correlation comes from the (k+2) x (k+2) submatrix: with L the Cholesky factor
 * of R_ZZ, a = L^-1 R_Zx and b = L^-1 R_Zy,
 *     r = (R_xy - a.b) / sqrt((1 - a.a) (1 - b.b)),
 * which is O(k^3 / 3) for the factor and O(k^2) per pair. The workspace keeps the last
 * factor and the last a: PC tests many pairs with the same Z and the same X in a row, and
 * then only b costs anything. When R_ZZ is singular (pivot below 1e-12 of the diagonal),
 * r comes from the Moore-Penrose pseudo-inverse P of the whole submatrix,
 * r = -P_xy / sqrt(P_xx P_yy), and the result is flagged.
 * Statistic: sqrt(n - k - 3) |atanh r|, two-sided normal p-value, as in pcalg's
 * gaussCItest and causal-learn's FisherZ.
 */
#include <math.h>
#include <string.h>

#include "../linalg/linalg_i.h"
#include "stats_i.h"

typedef struct fisherz {
    int64_t p, n;
    double *corr; /* p x p column-major copy */
} fisherz;

/* Workspace layout, sized for k = max_cond:
 *   header | zkey[k] | chol[k*k] | a[k] | b[k] | sub[(k+2)^2] | eig[k+2] | lwork[3(k+2)] */
typedef struct fz_work {
    int64_t nkey;    /* size of the cached conditioning set; -1 = nothing cached */
    int64_t ax;      /* x whose a = L^-1 R_Zx is cached; -1 = none */
    int chol_ok;     /* 1 if the cached factor is valid (R_ZZ not singular) */
} fz_work;

static size_t fz_work_size(const void *state, int64_t k) {
    (void)state;
    size_t d = (size_t)k, m = d + 2;
    return sizeof(fz_work) + sizeof(int64_t) * d +
           sizeof(double) * (d * d + 2 * d + m * m + m + 3 * m + 8);
}

static int64_t *fz_key(void *w) { return (int64_t *)((char *)w + sizeof(fz_work)); }
static double *fz_dbl(void *w, int64_t k) { return (double *)(fz_key(w) + k); }

static double corr_at(const fisherz *f, int64_t i, int64_t j) { return f->corr[i + j * f->p]; }

/* Partial correlation by pseudo-inverse of the (k+2) submatrix over (x, y, z). */
static double pinv_partial(const fisherz *f, double *sub, double *eig, double *lwork, int64_t x,
                           int64_t y, const int64_t *z, int64_t nz) {
    int64_t m = nz + 2;
    int64_t idx[2] = {x, y};
    for (int64_t j = 0; j < m; j++)
        for (int64_t i = 0; i < m; i++) {
            int64_t a = i < 2 ? idx[i] : z[i - 2], b = j < 2 ? idx[j] : z[j - 2];
            sub[i + j * m] = corr_at(f, a, b);
        }
    if (causa_i_syev(sub, m, eig, lwork) != CAUSA_OK) return NAN;
    /* P = V diag(1/lambda) V' over eigenvalues above the rank tolerance (as MASS::ginv). */
    double tol = 1e-12 * fmax(fabs(eig[m - 1]), 1e-300) * (double)m;
    double pxx = 0, pyy = 0, pxy = 0;
    for (int64_t e = 0; e < m; e++) {
        if (eig[e] <= tol) continue;
        double vx = sub[0 + e * m], vy = sub[1 + e * m];
        pxx += vx * vx / eig[e];
        pyy += vy * vy / eig[e];
        pxy += vx * vy / eig[e];
    }
    if (!(pxx > 0 && pyy > 0)) return 0.0;
    return -pxy / sqrt(pxx * pyy);
}

/* With skip_above: a statistic above it leaves the p-value uncomputed (-1); the p-value,
 * 2 (1 - Phi(statistic)), decreases with the statistic alone, so the caller can tell from
 * a statistic that a p-value cannot matter. */
static int fz_run_bounded(const void *state, void *work, int64_t kmax, int64_t x, int64_t y,
                          const int64_t *z, int64_t nz, double skip_above, causa_citest_result *out) {
    const fisherz *f = state;
    fz_work *w = work;
    int64_t *key = fz_key(work);
    double *chol = fz_dbl(work, kmax), *a = chol + kmax * kmax, *b = a + kmax;
    double *sub = b + kmax, *eig = sub + (kmax + 2) * (kmax + 2), *lwork = eig + kmax + 2;
    double r;
    out->singular = 0;
    if (nz == 0) {
        r = corr_at(f, x, y);
    } else {
        /* Reuse the factor when Z is the cached set (same order: callers enumerate subsets
         * in a fixed order). The header fields start at zero, so a fresh workspace has
         * nkey = 0, which never matches nz > 0. */
        int same = w->nkey == nz && memcmp(key, z, (size_t)nz * sizeof *z) == 0;
        if (!same) {
            for (int64_t j = 0; j < nz; j++)
                for (int64_t i = 0; i < nz; i++) chol[i + j * nz] = corr_at(f, z[i], z[j]);
            w->chol_ok = causa_i_chol_small(chol, nz, 1e-12) == 0;
            memcpy(key, z, (size_t)nz * sizeof *z);
            w->nkey = nz;
            w->ax = -1;
        }
        if (w->chol_ok) {
            if (w->ax != x + 1) {
                for (int64_t i = 0; i < nz; i++) a[i] = corr_at(f, z[i], x);
                causa_i_trsv_lower(chol, nz, a);
                w->ax = x + 1;
            }
            for (int64_t i = 0; i < nz; i++) b[i] = corr_at(f, z[i], y);
            causa_i_trsv_lower(chol, nz, b);
            double aa = 0, bb = 0, ab = 0;
            for (int64_t i = 0; i < nz; i++) {
                aa += a[i] * a[i];
                bb += b[i] * b[i];
                ab += a[i] * b[i];
            }
            double sxx = 1.0 - aa, syy = 1.0 - bb;
            if (sxx > 1e-12 && syy > 1e-12) {
                r = (corr_at(f, x, y) - ab) / sqrt(sxx * syy);
            } else {
                /* X or Y is (nearly) a linear function of Z. */
                r = pinv_partial(f, sub, eig, lwork, x, y, z, nz);
                out->singular = 1;
            }
        } else {
            r = pinv_partial(f, sub, eig, lwork, x, y, z, nz);
            out->singular = 1;
        }
    }
    if (isnan(r)) return CAUSA_ENOCONV;
    if (r > 1.0) r = 1.0;
    if (r < -1.0) r = -1.0;
    double dof = (double)(f->n - nz - 3);
    if (dof <= 0) return CAUSA_EDATA;
    out->effect = r;
    out->df = 0;
    if (fabs(r) >= 1.0) {
        out->statistic = INFINITY;
        out->pvalue = 0.0;
    } else {
        out->statistic = sqrt(dof) * fabs(atanh(r));
        out->pvalue = out->statistic > skip_above ? -1.0 : 2.0 * causa_normal_sf(out->statistic);
    }
    return CAUSA_OK;
}

static int fz_run(const void *state, void *work, int64_t kmax, int64_t x, int64_t y,
                  const int64_t *z, int64_t nz, causa_citest_result *out) {
    return fz_run_bounded(state, work, kmax, x, y, z, nz, INFINITY, out);
}

static void fz_free(causa_ctx *ctx, void *state) {
    fisherz *f = state;
    if (!f) return;
    causa_i_free(ctx, f->corr);
    causa_i_free(ctx, f);
}

static const causa_i_citest_vt fisherz_vt = {"fisher-z", fz_work_size, fz_run, fz_free, fz_run_bounded};

/* Builds the test over corr: copied, or (own != NULL) taken from *own, which is consumed
 * (set to NULL) whatever the outcome. */
static int fisherz_make(causa_ctx *ctx, int64_t p, int64_t n, const double *corr, double **own,
                        const char *const *names, double alpha, causa_citest **out) {
    double *taken = NULL;
    if (own) {
        taken = *own;
        *own = NULL;
    }
    if (n < 4) {
        causa_i_free(ctx, taken);
        return causa_i_error(ctx, CAUSA_EDATA, "Fisher-z needs at least 4 rows, got %lld", (long long)n);
    }
    fisherz *f = causa_i_calloc(ctx, 1, sizeof *f);
    if (!f) {
        causa_i_free(ctx, taken);
        return causa_i_nomem(ctx, "Fisher-z test", sizeof *f);
    }
    f->p = p;
    f->n = n;
    size_t bytes = causa_i_mul_size(causa_i_mul_size((size_t)p, (size_t)p), sizeof(double));
    f->corr = own ? taken : causa_i_malloc(ctx, bytes);
    char **copy = NULL;
    int rc = f->corr ? causa_i_copy_names(ctx, p, names, &copy) : causa_i_nomem(ctx, "correlation", bytes);
    if (rc) {
        fz_free(ctx, f);
        return rc;
    }
    if (!own) memcpy(f->corr, corr, bytes);
    return causa_i_citest_wrap(ctx, &fisherz_vt, f, p, copy, alpha, out);
}

int causa_i_fisherz_new(causa_ctx *ctx, int64_t p, int64_t n, const double *corr,
                        const char *const *names, double alpha, causa_citest **out) {
    return fisherz_make(ctx, p, n, corr, NULL, names, alpha, out);
}

int causa_i_fisherz_new_take(causa_ctx *ctx, int64_t p, int64_t n, double **corr,
                             const char *const *names, double alpha, causa_citest **out) {
    return fisherz_make(ctx, p, n, NULL, corr, names, alpha, out);
}
