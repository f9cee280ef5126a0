/*
 * rcit.c: the randomized conditional independence test RCIT and its variant RCoT (Strobl,
 * Zhang & Visweswaran 2019, "Approximate kernel-based conditional independence tests for
 * fast non-parametric causal discovery"), following the RCIT R package's defaults.
 *
 * Columns are standardised once. For X _||_ Y | Z (Z without constant columns):
 *   1. Kernel widths: sigma = the median of the non-zero Euclidean distances between the
 *      first min(n, 500) rows of each block (x; y, or for RCIT the block (y, z); z); 1 when
 *      all distances are 0. (The R package's median includes zero distances; causal-learn's
 *      port leaves them out, as here.)
 *   2. Random Fourier features of the Gaussian kernel: f(v) = sqrt(2) cos(w'v + b),
 *      w ~ N(0, I / sigma^2), b ~ U(0, 2 pi); num_features (5) for X and for Y,
 *      num_features_z (100) for Z; each feature standardised (sample sd).
 *   3. With C the sample covariances of the features, the residual cross-covariance
 *      C_xy.z = C_xy - C_xz (C_zz + 1e-10 I)^-1 C_zy and the statistic n |C_xy.z|_F^2.
 *   4. Null: a weighted sum of chi-squares (1 df each) with weights the positive eigenvalues
 *      of the covariance of the products of the residual features (res_x = f_x minus its
 *      ridge-regression fit on f_z, likewise res_y), approximated by the Lindsay-Pilla-Basak
 *      method with 4 moments (a mixture of 4 gammas with a common shape matching the first
 *      8 moments; Lindsay, Pilla & Basak 2000), falling back to Hall-Buckley-Eagleson
 *      (a chi-square matching 3 moments) when fewer than 4 weights are positive or the
 *      moment equations have no valid solution, as the R package does; or HBE throughout
 *      (rcit_null). With Z empty (or all constant) the test is RIT: the same with C_xy.
 * RCIT (name "rcit") adds Z to Y's block (y, z), as the R package's RCIT and causal-learn's
 * default; RCoT ("rcot") uses y alone.
 *
 * Random streams: the features of a query come from the stream keyed on (seed, a hash of
 * the query as (min(x, y), max(x, y), sorted Z)), seed = opt->seed or the context's seed,
 * so a query's p-value is the same on every thread, in every run, and for (y, x).
 * Cost: O(n (F^2 + d F)) with F = 2 num_features + num_features_z features; memory n F
 * doubles per workspace (88 MB at n = 100 000 with the defaults).
 */
#include <math.h>
#include <string.h>

#include "../linalg/kernel_i.h"
#include "../linalg/linalg_i.h"
#include "contingency_i.h"

#define MEDIAN_ROWS 500
#define CHUNK 512

typedef struct rcit_state {
    int64_t n, p;
    double *std;
    unsigned char *zero;
    double *sigma1; /* the median width of each column alone */
    int64_t nf, nfz;
    int null_method;
    int rcot;
    uint64_t seed;
} rcit_state;

typedef struct rcit_layout {
    int64_t *zs, *zc, *cols;
    double *f;     /* n x (2 nf + nfz): f_x | f_y | f_z */
    double *g;     /* gram, F x F */
    double *w, *b; /* feature weights and offsets */
    double *dist;  /* median distances */
    double *rows;  /* the first rows of a block, row-major */
    double *czz;   /* nfz x nfz */
    double *sol;   /* nfz x 2 nf */
    double *prod;  /* CHUNK x nf^2 */
    double *cov;   /* nf^2 x nf^2 */
    double *eig, *ework;
} rcit_layout;

static size_t align16(size_t b) { return (b + 15) & ~(size_t)15; }

static size_t rcit_layout_of(const rcit_state *s, int64_t k, void *work, rcit_layout *l) {
    char *base = work;
    size_t off = 0;
    size_t n = (size_t)s->n, nf = (size_t)s->nf, nfz = (size_t)s->nfz, F = 2 * nf + nfz;
    size_t mr = (size_t)(s->n < MEDIAN_ROWS ? s->n : MEDIAN_ROWS), q = nf * nf;
    size_t wcount = CAUSA_MAX(nfz * (size_t)k, nf * ((size_t)k + 1));
#define PLACE(field, count)                                                                \
    do {                                                                                   \
        if (work) l->field = (void *)(base + off);                                         \
        off += align16(causa_i_mul_size((size_t)(count), sizeof *l->field));               \
        if (off >= SIZE_MAX / 2) return SIZE_MAX;                                          \
    } while (0)
    PLACE(zs, k);
    PLACE(zc, k);
    PLACE(cols, k + 1);
    PLACE(f, causa_i_mul_size(n, F));
    PLACE(g, F * F);
    PLACE(w, wcount + 1);
    PLACE(b, CAUSA_MAX(nf, nfz));
    PLACE(dist, mr * (mr - 1) / 2 + 1);
    PLACE(rows, mr * ((size_t)k + 1));
    PLACE(czz, nfz * nfz);
    PLACE(sol, nfz * 2 * nf);
    PLACE(prod, CHUNK * q);
    PLACE(cov, q * q);
    PLACE(eig, q);
    PLACE(ework, causa_i_syev_work_size((int64_t)q));
#undef PLACE
    return off;
}

static size_t rcit_work_size(const void *state, int64_t max_cond) {
    rcit_layout l;
    return rcit_layout_of(state, max_cond, NULL, &l);
}

/* ---- weighted sums of chi-squares ---- */

/* Upper tail by Hall-Buckley-Eagleson: a chi-square with nu = 8 k2^3 / k3^2 degrees of
 * freedom matched to the first three cumulants. */
static double hbe_sf(const double *lam, int64_t k, double x) {
    double s1 = 0, s2 = 0, s3 = 0;
    for (int64_t i = 0; i < k; i++) {
        s1 += lam[i];
        s2 += lam[i] * lam[i];
        s3 += lam[i] * lam[i] * lam[i];
    }
    double k1 = s1, k2 = 2 * s2, k3 = 8 * s3;
    if (!(k2 > 0) || !(k3 > 0)) return x > k1 ? 0.0 : 1.0;
    double nu = 8 * k2 * k2 * k2 / (k3 * k3);
    double t = (x - k1) / sqrt(k2) * sqrt(2 * nu) + nu;
    return t <= 0 ? 1.0 : causa_chisq_sf(t, nu);
}

/* Determinant of a small matrix by Gaussian elimination with partial pivoting. */
static double small_det(double *a, int m) {
    double det = 1;
    for (int c = 0; c < m; c++) {
        int piv = c;
        for (int r = c + 1; r < m; r++)
            if (fabs(a[r * m + c]) > fabs(a[piv * m + c])) piv = r;
        if (a[piv * m + c] == 0) return 0;
        if (piv != c) {
            for (int j = 0; j < m; j++) {
                double t = a[c * m + j];
                a[c * m + j] = a[piv * m + j];
                a[piv * m + j] = t;
            }
            det = -det;
        }
        det *= a[c * m + c];
        for (int r = c + 1; r < m; r++) {
            double f = a[r * m + c] / a[c * m + c];
            for (int j = c; j < m; j++) a[r * m + j] -= f * a[c * m + j];
        }
    }
    return det;
}

/* The moments of the mixing distribution after dividing out a gamma kernel of shape
 * 1 / lambda: mt_r = m_r / prod_{q=1}^{r-1} (1 + q lambda), mt_0 = 1. */
static void mixing_moments(const double *m, double lambda, double *mt, int upto) {
    double prod = 1;
    mt[0] = 1;
    for (int r = 1; r <= upto; r++) {
        if (r >= 2) prod *= 1 + (r - 1) * lambda;
        mt[r] = m[r] / prod;
    }
}

/* det of the (i+1) x (i+1) Hankel matrix of the mixing moments at lambda. */
static double hankel_det(const double *m, double lambda, int i) {
    double mt[9], a[25];
    mixing_moments(m, lambda, mt, 2 * i);
    for (int r = 0; r <= i; r++)
        for (int c = 0; c <= i; c++) a[r * (i + 1) + c] = mt[r + c];
    return small_det(a, i + 1);
}

/* Upper tail by Lindsay-Pilla-Basak with p = 4; returns 0 when the method has no valid
 * solution (the caller falls back to HBE). */
static int lpb4_sf(const double *lam_in, int64_t k, double x_in, double *sf) {
    enum { P = 4 };
    if (k < P) return 0;
    double s = 0;
    for (int64_t i = 0; i < k; i++) s += lam_in[i];
    if (!(s > 0)) return 0;
    double x = x_in / s; /* scale so that the mean is 1: the method is scale-equivariant */
    /* Cumulants kappa_r = 2^(r-1) (r-1)! sum l^r, r = 1..2P, and raw moments. */
    double kappa[2 * P + 1], m[2 * P + 1];
    for (int r = 1; r <= 2 * P; r++) {
        double sum = 0;
        for (int64_t i = 0; i < k; i++) sum += pow(lam_in[i] / s, r);
        double f = 1;
        for (int q = 2; q < r; q++) f *= q;
        kappa[r] = ldexp(f, r - 1) * sum;
    }
    m[0] = 1;
    for (int r = 1; r <= 2 * P; r++) {
        double sum = 0, binom = 1; /* C(r-1, j-1) */
        for (int j = 1; j <= r; j++) {
            sum += binom * kappa[j] * m[r - j];
            binom = binom * (double)(r - j) / (double)j;
        }
        m[r] = sum;
    }
    /* lambda_1 from the 2 x 2 Hankel, then lambda_i, i = 2..P, the root of the
     * (i+1) x (i+1) Hankel determinant in (0, lambda_{i-1}) by bisection. */
    double lambda = m[2] / (m[1] * m[1]) - 1;
    if (!(lambda > 0)) return 0;
    for (int i = 2; i <= P; i++) {
        double lo = 0, hi = lambda, flo = hankel_det(m, lo, i), fhi = hankel_det(m, hi, i);
        if (!isfinite(flo) || !isfinite(fhi) || (flo > 0) == (fhi > 0)) return 0;
        for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
            double mid = 0.5 * (lo + hi), fm = hankel_det(m, mid, i);
            if (fm == 0) {
                lo = hi = mid;
                break;
            }
            if ((fm > 0) == (flo > 0)) {
                lo = mid;
                flo = fm;
            } else {
                hi = mid;
            }
        }
        lambda = 0.5 * (lo + hi);
        if (!(lambda > 0)) return 0;
    }
    /* The P-point mixing distribution: Golub-Welsch from the Cholesky factor of the
     * (P+1) x (P+1) Hankel matrix (its last pivot is 0 at the root). */
    double mt[2 * P + 1], h[(P + 1) * (P + 1)], r[(P + 1) * (P + 1)];
    mixing_moments(m, lambda, mt, 2 * P);
    for (int i = 0; i <= P; i++)
        for (int j = 0; j <= P; j++) h[i * (P + 1) + j] = mt[i + j];
    memset(r, 0, sizeof r);
    for (int i = 0; i < P; i++) {
        double d = h[i * (P + 1) + i];
        for (int q = 0; q < i; q++) d -= r[q * (P + 1) + i] * r[q * (P + 1) + i];
        if (!(d > 0)) return 0;
        r[i * (P + 1) + i] = sqrt(d);
        for (int j = i + 1; j <= P; j++) {
            double e = h[i * (P + 1) + j];
            for (int q = 0; q < i; q++) e -= r[q * (P + 1) + i] * r[q * (P + 1) + j];
            r[i * (P + 1) + j] = e / r[i * (P + 1) + i];
        }
    }
    double jac[P * P], ev[P], ew[3 * P];
    memset(jac, 0, sizeof jac);
    for (int j = 0; j < P; j++) {
        double a = r[j * (P + 1) + j + 1] / r[j * (P + 1) + j];
        if (j > 0) a -= r[(j - 1) * (P + 1) + j] / r[(j - 1) * (P + 1) + j - 1];
        jac[j + j * P] = a;
        if (j + 1 < P) {
            double d = h[(j + 1) * (P + 1) + j + 1];
            for (int q = 0; q <= j; q++) d -= r[q * (P + 1) + j + 1] * r[q * (P + 1) + j + 1];
            double bj = sqrt(fmax(d, 0)) / r[j * (P + 1) + j];
            jac[j + 1 + j * P] = jac[j + (j + 1) * P] = bj;
        }
    }
    if (causa_i_syev(jac, P, ev, ew) != CAUSA_OK) return 0;
    double shape = 1.0 / lambda, tail = 0, wsum = 0;
    for (int i = 0; i < P; i++) {
        double mu = ev[i], wt = jac[0 + i * P] * jac[0 + i * P];
        if (!(mu > 0) || !(wt >= 0)) return 0;
        wsum += wt;
        tail += wt * causa_chisq_sf(2.0 * x / (mu * lambda), 2.0 * shape);
    }
    if (!(fabs(wsum - 1) < 1e-6) || !isfinite(tail)) return 0;
    *sf = tail < 0 ? 0 : tail > 1 ? 1 : tail;
    return 1;
}

double causa_i_wchisq_sf(const double *w, int64_t k, double x, int method) {
    double p;
    if (method == CAUSA_RCIT_NULL_LPB4 && lpb4_sf(w, k, x, &p)) return p;
    return hbe_sf(w, k, x);
}

/* ---- features ---- */

/* Median of the non-zero distances between the first min(n, 500) rows of the block of
 * columns (squared distances are selected; the root is taken of the one or two middle
 * values only); 1 when all are zero. */
static double median_sigma(const double *std, int64_t n, const int64_t *cols, int64_t d,
                           double *rows, double *buf) {
    int64_t r = n < MEDIAN_ROWS ? n : MEDIAN_ROWS, m = 0;
    for (int64_t c = 0; c < d; c++) /* the first r rows, row-major */
        for (int64_t i = 0; i < r; i++) rows[i * d + c] = std[cols[c] * n + i];
    for (int64_t i = 0; i < r; i++) {
        const double *a = rows + i * d;
        for (int64_t j = i + 1; j < r; j++) {
            const double *b = rows + j * d;
            double sum = 0;
            for (int64_t c = 0; c < d; c++) sum += (a[c] - b[c]) * (a[c] - b[c]);
            buf[m] = sum;
            m += sum > 0;
        }
    }
    if (m == 0) return 1.0;
    double med = causa_i_median_sqrt(buf, m);
    return med > 0 ? med : 1.0;
}

/* cos(t) for |t| < 2^40, to about 1e-16 absolute, the same on every machine (libm's cos
 * may differ between versions and is the bulk of the feature cost): t = k pi + r with
 * |r| <= pi/2 (Cody-Waite reduction in three parts), cos t = (-1)^k cos r, and cos r by its
 * Taylor series to r^22 (truncation below 2e-17 on [-pi/2, pi/2]). Branch-free, so loops
 * over it vectorise. */
static inline double rff_cos(double t) {
    const double magic = 6755399441055744.0; /* 1.5 * 2^52: adding it rounds to an integer */
    const double p1 = 3.1415926218032837, p2 = 3.1786509424591713e-08,
                 p3 = 1.2246467864107189e-16; /* pi = p1 + p2 + p3, p1 and p2 with 27 bits */
    double s = t * 0.31830988618379067 + magic;
    uint64_t bits;
    memcpy(&bits, &s, sizeof bits);
    double k = s - magic;
    double r = ((t - k * p1) - k * p2) - k * p3, r2 = r * r;
    /* cos r = 1 - r^2 (1/2! - r^2 (1/4! - r^2 (1/6! - ...))) */
    double c = 1.0 / 1124000727777607680000.0; /* 1/22! */
    c = c * r2 - 1.0 / 2432902008176640000.0;   /* 1/20! */
    c = c * r2 + 1.0 / 6402373705728000.0;      /* 1/18! */
    c = c * r2 - 1.0 / 20922789888000.0;        /* 1/16! */
    c = c * r2 + 1.0 / 87178291200.0;           /* 1/14! */
    c = c * r2 - 1.0 / 479001600.0;             /* 1/12! */
    c = c * r2 + 1.0 / 3628800.0;               /* 1/10! */
    c = c * r2 - 1.0 / 40320.0;                 /* 1/8! */
    c = c * r2 + 1.0 / 720.0;                   /* 1/6! */
    c = c * r2 - 1.0 / 24.0;                    /* 1/4! */
    c = c * r2 + 0.5;                           /* 1/2! */
    c = 1.0 - c * r2;
    uint64_t cb;
    memcpy(&cb, &c, sizeof cb);
    cb ^= bits << 63; /* the parity of k is the low bit of s's mantissa */
    memcpy(&c, &cb, sizeof c);
    return c;
}

/* o[i] = sqrt(2) cos(o[i]); vectorised (GCC's -O2 cost model leaves this loop scalar). */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
static void rff_cos_all(double *o, int64_t n) {
    for (int64_t i = 0; i < n; i++) o[i] = M_SQRT2 * rff_cos(o[i]);
}

/* nfeat standardised random Fourier features of the columns cols[0..d) into out (n x nfeat). */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
static void features(const rcit_state *s, const int64_t *cols, int64_t d, int64_t nfeat,
                     causa_rng *rng, const rcit_layout *l, double *out) {
    int64_t n = s->n;
    double sigma = d == 1 ? s->sigma1[cols[0]] : median_sigma(s->std, n, cols, d, l->rows, l->dist);
    for (int64_t f = 0; f < nfeat; f++)
        for (int64_t c = 0; c < d; c++) l->w[f + c * nfeat] = causa_rng_normal(rng) / sigma;
    for (int64_t f = 0; f < nfeat; f++) l->b[f] = 2.0 * M_PI * causa_rng_uniform(rng);
    for (int64_t f = 0; f < nfeat; f++) {
        double *o = out + f * n;
        const double *col = s->std + cols[0] * n;
        double w0 = l->w[f];
        for (int64_t i = 0; i < n; i++) o[i] = w0 * col[i] + l->b[f];
        for (int64_t c = 1; c < d; c++) {
            const double *cc = s->std + cols[c] * n;
            double wc = l->w[f + c * nfeat];
            for (int64_t i = 0; i < n; i++) o[i] += wc * cc[i];
        }
        rff_cos_all(o, n);
        double sum = 0;
        for (int64_t i = 0; i < n; i++) sum += o[i];
        double mean = sum / (double)n, ss = 0;
        for (int64_t i = 0; i < n; i++) {
            o[i] -= mean;
            ss += o[i] * o[i];
        }
        double sd = sqrt(ss / (double)(n - 1));
        if (sd > 0)
            for (int64_t i = 0; i < n; i++) o[i] /= sd;
    }
}

/* The null covariance: (1/n) sum_t p_t p_t' with p_t = res_x[t, :] (x) res_y[t, :]; then
 * the p-value of sta. */
static double null_pvalue(const rcit_state *s, const rcit_layout *l, const double *rx,
                          const double *ry, double sta) {
    int64_t n = s->n, nf = s->nf, q = nf * nf;
    memset(l->cov, 0, (size_t)(q * q) * sizeof(double));
    for (int64_t t0 = 0; t0 < n; t0 += CHUNK) {
        int64_t m = CAUSA_MIN(CHUNK, n - t0);
        for (int64_t j = 0; j < nf; j++)
            for (int64_t i = 0; i < nf; i++) {
                double *o = l->prod + (i + j * nf) * CHUNK;
                const double *a = rx + i * n + t0, *b = ry + j * n + t0;
                for (int64_t t = 0; t < m; t++) o[t] = a[t] * b[t];
            }
        causa_i_syrk_t(q, m, 1.0 / (double)n, l->prod, CHUNK, 1.0, l->cov, q);
    }
    if (causa_i_syev(l->cov, q, l->eig, l->ework) != CAUSA_OK) return (double)NAN;
    int64_t k = 0;
    for (int64_t i = 0; i < q; i++)
        if (l->eig[i] > 0) l->eig[k++] = l->eig[i];
    if (k == 0) return 1.0;
    double p = causa_i_wchisq_sf(l->eig, k, sta, s->null_method);
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

static int rcit_run(const void *state, void *work, int64_t kmax, int64_t x, int64_t y,
                    const int64_t *z, int64_t nz, causa_citest_result *out) {
    const rcit_state *s = state;
    rcit_layout l;
    rcit_layout_of(s, kmax, work, &l);
    int64_t n = s->n, nf = s->nf, nfz = s->nfz;
    if (y < x) {
        int64_t t = x;
        x = y;
        y = t;
    }
    if (s->zero[x] || s->zero[y]) {
        out->pvalue = 1.0;
        return CAUSA_OK;
    }
    if (nz > 0) memcpy(l.zs, z, (size_t)nz * sizeof *z);
    causa_i_sort_idx(l.zs, nz);
    int64_t d = 0;
    for (int64_t k = 0; k < nz; k++)
        if (!s->zero[l.zs[k]]) l.zc[d++] = l.zs[k];
    causa_rng rng;
    causa_rng_init(&rng, s->seed, causa_i_query_hash(x, y, l.zc, d, s->rcot ? 2 : 1));
    double *fx = l.f, *fy = l.f + n * nf, *fz = l.f + 2 * n * nf;
    double nn = (double)n;
    if (d == 0) { /* RIT */
        features(s, &x, 1, nf, &rng, &l, fx);
        features(s, &y, 1, nf, &rng, &l, fy);
        causa_i_gemm(1, 0, nf, nf, n, 1.0 / (nn - 1), fx, n, fy, n, 0.0, l.g, nf);
        double sta = 0;
        for (int64_t k = 0; k < nf * nf; k++) sta += l.g[k] * l.g[k];
        sta *= nn;
        out->statistic = sta;
        out->effect = sqrt(sta / nn);
        out->pvalue = null_pvalue(s, &l, fx, fy, sta);
        return isnan(out->pvalue) ? CAUSA_ENOCONV : CAUSA_OK;
    }
    /* Features of Z, X, and Y (RCIT: the block (y, z)), in that order from the stream. */
    features(s, l.zc, d, nfz, &rng, &l, fz);
    features(s, &x, 1, nf, &rng, &l, fx);
    l.cols[0] = y;
    memcpy(l.cols + 1, l.zc, (size_t)d * sizeof *l.zc);
    features(s, l.cols, s->rcot ? 1 : d + 1, nf, &rng, &l, fy);
    /* All covariances at once: G = F'F / (n - 1), F = [f_x f_y f_z]. */
    int64_t F = 2 * nf + nfz;
    causa_i_syrk_t(F, n, 1.0 / (nn - 1), l.f, n, 0.0, l.g, F);
    for (int64_t j = 0; j < nfz; j++)
        for (int64_t i = 0; i < nfz; i++)
            l.czz[i + j * nfz] = l.g[(2 * nf + i) + (2 * nf + j) * F] + (i == j ? 1e-10 : 0);
    for (int64_t j = 0; j < 2 * nf; j++)
        for (int64_t i = 0; i < nfz; i++) l.sol[i + j * nfz] = l.g[(2 * nf + i) + j * F];
    if (causa_i_potrf_lower(l.czz, nfz) != 0) return CAUSA_ENOCONV;
    causa_i_potrs_lower(l.czz, nfz, l.sol, 2 * nf, nfz); /* sol = Czz^-1 [Czx Czy] */
    /* C_xy.z = C_xy - C_xz Czz^-1 C_zy. */
    double sta = 0;
    for (int64_t j = 0; j < nf; j++)
        for (int64_t i = 0; i < nf; i++) {
            double c = l.g[i + (nf + j) * F];
            for (int64_t k = 0; k < nfz; k++) c -= l.g[i + (2 * nf + k) * F] * l.sol[k + (nf + j) * nfz];
            sta += c * c;
        }
    sta *= nn;
    /* Residuals in place: [f_x f_y] -= f_z sol. */
    causa_i_gemm(0, 0, n, 2 * nf, nfz, -1.0, fz, n, l.sol, nfz, 1.0, l.f, n);
    out->statistic = sta;
    out->effect = sqrt(sta / nn);
    out->pvalue = null_pvalue(s, &l, fx, fy, sta);
    return isnan(out->pvalue) ? CAUSA_ENOCONV : CAUSA_OK;
}

static void rcit_free(causa_ctx *ctx, void *state) {
    rcit_state *s = state;
    if (!s) return;
    causa_i_free(ctx, s->std);
    causa_i_free(ctx, s->zero);
    causa_i_free(ctx, s->sigma1);
    causa_i_free(ctx, s);
}

static const causa_i_citest_vt rcit_vt = {"rcit", rcit_work_size, rcit_run, rcit_free, NULL};
static const causa_i_citest_vt rcot_vt = {"rcot", rcit_work_size, rcit_run, rcit_free, NULL};

int causa_i_rcit_new(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *opt,
                     int rcot, causa_citest **out) {
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    const char *name = rcot ? "rcot" : "rcit";
    if (n < 10) return causa_i_error(ctx, CAUSA_EDATA, "the %s test needs at least 10 rows, got %lld", name, (long long)n);
    rcit_state *s = causa_i_calloc(ctx, 1, sizeof *s);
    if (!s) return causa_i_nomem(ctx, "RCIT test", sizeof *s);
    s->n = n;
    s->p = p;
    s->nf = opt->num_features;
    s->nfz = opt->num_features_z;
    s->null_method = opt->rcit_null;
    s->rcot = rcot;
    s->seed = opt->seed ? opt->seed : causa_ctx_seed(ctx);
    char **names = NULL;
    double *buf = NULL, *rows = NULL;
    int64_t r = n < MEDIAN_ROWS ? n : MEDIAN_ROWS;
    int rc = causa_i_standardize(ctx, ds, &s->std, &s->zero);
    if (!rc) rc = causa_i_alloc(ctx, (void **)&s->sigma1, (size_t)p * sizeof *s->sigma1 + 1, "kernel widths");
    if (!rc) rc = causa_i_alloc(ctx, (void **)&buf, (size_t)(r * (r - 1) / 2 + 1) * sizeof *buf, "distances");
    if (!rc) rc = causa_i_alloc(ctx, (void **)&rows, (size_t)r * sizeof *rows, "distances");
    for (int64_t j = 0; !rc && j < p; j++) s->sigma1[j] = median_sigma(s->std, n, &j, 1, rows, buf);
    causa_i_free(ctx, buf);
    causa_i_free(ctx, rows);
    if (!rc) rc = causa_i_dataset_names(ctx, ds, &names);
    if (rc) {
        rcit_free(ctx, s);
        return rc;
    }
    return causa_i_citest_wrap(ctx, rcot ? &rcot_vt : &rcit_vt, s, p, names, opt->alpha, out);
}
