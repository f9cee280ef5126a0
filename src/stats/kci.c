/*
 * kci.c: the kernel-based conditional independence test ("kci"; Zhang, Peters, Janzing &
 * Schoelkopf 2011), as causal-learn's KCI with its defaults (Gaussian kernels, kernel
 * widths "empirical", gamma approximation of the null, no Gaussian-process widths).
 *
 * Columns are standardised (sample sd; a constant column becomes zeros). With K(v) the
 * Gaussian kernel matrix exp(-theta |v_i - v_j|^2 / 2) and H = I - 11'/n:
 *   - X _||_ Y (HSIC): Kx = H K(x) H, Ky = H K(y) H; statistic V = sum(Kx o Ky); null
 *     approximated by a gamma with mean tr(Kx) tr(Ky) / n and variance
 *     2 |Kx|_F^2 |Ky|_F^2 / n^2. Width (empirical): theta = 1 / w^2 with w = 0.8, 0.5, 0.3
 *     for n < 200, < 1200, otherwise.
 *   - X _||_ Y | Z: Kx = H K([x, z/2]) H, Ky = H K(y) H, Kz = H K(z) H,
 *     Rz = eps (Kz + eps I)^-1 (kernel ridge regression on Z, eps = kernel_epsilon, 1e-3
 *     as causal-learn), KxR = Rz Kx Rz, KyR = Rz Ky Rz, V = sum(KxR o KyR). The null is a
 *     weighted sum of chi-squares with weights the eigenvalues of (Ux o Uy)'(Ux o Uy), Ux
 *     the eigenvectors of KxR scaled by the square roots of their eigenvalues, keeping the
 *     eigenvalues above 1e-5 of the largest (likewise Uy); it is approximated by the gamma
 *     with the same mean and variance: mean = sum_i Kx~_ii Ky~_ii and variance
 *     2 sum_ij Kx~_ij^2 Ky~_ij^2, where Kx~ = Ux Ux' is the truncated KxR (the Hadamard
 *     identity (Ux o Uy)(Ux o Uy)' = Kx~ o Ky~ gives the same traces as causal-learn's
 *     products without forming them). Width (empirical): theta = 1 / (w^2 |Z|) with
 *     w = 1.2, 0.7, 0.4 for n < 200, < 1200, otherwise, for all three kernels.
 *   - kernel_width = CAUSA_KCI_WIDTH_MEDIAN: theta = 1 / (2 m^2), m the median of the
 *     non-zero distances between the first min(n, 1000) rows (causal-learn samples 1000
 *     rows at random; causa takes the first ones, so that results are reproducible).
 * Computation (causa's, not causal-learn's, with the same result up to ~1e-8): every centred
 * kernel matrix is replaced by a low-rank factor, H K H = G G', from a pivoted Cholesky
 * factorisation stopped when every residual variance is below 1e-12 (the kernel's
 * diagonal is 1). Then Rz = I - Gz (eps I + Gz'Gz)^-1 Gz' (Woodbury), KxR = Bx Bx' with
 * Bx = Rz Gx, V = |Bx' By|_F^2, and the eigenvalues of KxR are those of Bx'Bx (r x r).
 * The cost is O(n r^2) for ranks r (tens for one variable, hundreds for three or more)
 * instead of O(n^3): 40 times faster than causal-learn at n = 500, |Z| = 1. The rank can
 * reach n for high-dimensional Z, so the workspace is sized for it: about 6 n^2 doubles
 * per thread with conditioning (2 n^2 without), and data sets above kci_max_rows (default
 * 5000: 1.2 GB per workspace) are refused: use rcit there.
 * Effect: V / n. A constant X or Y gives p = 1.
 */
#include <math.h>
#include <string.h>

#include "../linalg/kernel_i.h"
#include "contingency_i.h"

#define KCI_THRESH 1e-5  /* eigenvalues of KxR, KyR kept: above this times the largest */
#define CHOL_TOL 1e-12   /* pivoted Cholesky: stop when every residual variance is below */
#define MEDIAN_ROWS 1000
#define TILE 128

typedef struct kci_state {
    int64_t n, p;
    double *std;
    unsigned char *zero;
    double *sd; /* sample sd of each column (the unconditional median rule uses raw data) */
    int width;
    double eps;
} kci_state;

typedef struct kci_layout {
    double *gx, *gy, *gz; /* n x n capacity: low-rank factors */
    double *m, *q, *pm;   /* n x n capacity (conditional only) */
    double *v;            /* n x (max_cond + 1) data of one kernel */
    double *dg, *col, *w; /* n */
    double *lwork;        /* syevr */
    int *iwork, *isuppz;
    double *dist;         /* median distances */
    int64_t *zs;
} kci_layout;

static size_t align16(size_t b) { return (b + 15) & ~(size_t)15; }

static int64_t median_rows(int64_t n) { return n < MEDIAN_ROWS ? n : MEDIAN_ROWS; }

static size_t kci_layout_of(const kci_state *s, int64_t k, void *work, kci_layout *l) {
    char *base = work;
    size_t off = 0;
    size_t n = (size_t)s->n, nn = causa_i_mul_size(n, n);
    size_t mr = (size_t)median_rows(s->n);
#define PLACE(field, count)                                                                \
    do {                                                                                   \
        if (work) l->field = (void *)(base + off);                                         \
        off += align16(causa_i_mul_size((size_t)(count), sizeof *l->field));               \
        if (off >= SIZE_MAX / 2) return SIZE_MAX;                                          \
    } while (0)
    PLACE(gx, nn);
    PLACE(gy, nn);
    PLACE(gz, k > 0 ? nn : 0);
    PLACE(m, k > 0 ? nn : 0);
    PLACE(q, k > 0 ? nn : 0);
    PLACE(pm, k > 0 ? nn : 0);
    PLACE(v, causa_i_mul_size(n, (size_t)k + 1));
    PLACE(dg, n);
    PLACE(col, n);
    PLACE(w, n);
    PLACE(lwork, k > 0 ? (size_t)causa_i_syevr_work_size(s->n) : 0);
    PLACE(iwork, k > 0 ? (size_t)causa_i_syevr_iwork_size(s->n) : 0);
    PLACE(isuppz, k > 0 ? 2 * n : 0);
    PLACE(dist, s->width == CAUSA_KCI_WIDTH_MEDIAN ? mr * (mr - 1) / 2 + 1 : 0);
    PLACE(zs, k);
#undef PLACE
    return off;
}

static size_t kci_work_size(const void *state, int64_t max_cond) {
    kci_layout l;
    return kci_layout_of(state, max_cond, NULL, &l);
}

/* theta of the median rule, 1 / (2 m^2) with m the median of the non-zero distances between
 * the first rows of v (n x d); 1 when all rows coincide. */
static double median_theta(const double *v, int64_t n, int64_t d, double *buf) {
    int64_t r = median_rows(n), m = 0;
    for (int64_t i = 0; i < r; i++)
        for (int64_t j = i + 1; j < r; j++) {
            double s = 0;
            for (int64_t c = 0; c < d; c++) {
                double e = v[i + c * n] - v[j + c * n];
                s += e * e;
            }
            if (s > 0) buf[m++] = s;
        }
    if (m == 0) return 1.0;
    double med = causa_i_median_sqrt(buf, m);
    return 1.0 / (2.0 * med * med);
}

/* The empirical widths of causal-learn (GaussianKernel.set_width_empirical_*). */
static double empirical_theta_hsic(int64_t n) {
    double w = n < 200 ? 0.8 : n < 1200 ? 0.5 : 0.3;
    return 1.0 / (w * w);
}
static double empirical_theta_kci(int64_t n, int64_t dz) {
    double w = n < 200 ? 1.2 : n < 1200 ? 0.7 : 0.4;
    return 1.0 / (w * w) / (double)dz;
}

/* G (n x r, returned r) with H K H = (H G)(H G)' up to residual variances below CHOL_TOL,
 * K = exp(-theta/2 |v_i - v_j|^2) for v (n x d): pivoted (incomplete) Cholesky, pivots by
 * largest residual variance (lowest index on ties), then the columns of G centred. */
static int64_t lowrank_kernel(const double *v, int64_t n, int64_t d, double theta, double *g,
                              const kci_layout *l) {
    double *dg = l->dg, *col = l->col;
    for (int64_t i = 0; i < n; i++) dg[i] = 1.0;
    int64_t r = 0;
    while (r < n) {
        int64_t j = 0;
        for (int64_t i = 1; i < n; i++)
            if (dg[i] > dg[j]) j = i;
        if (!(dg[j] > CHOL_TOL)) break;
        for (int64_t i = 0; i < n; i++) {
            double s = 0;
            for (int64_t c = 0; c < d; c++) {
                double e = v[i + c * n] - v[j + c * n];
                s += e * e;
            }
            col[i] = exp(-0.5 * theta * s);
        }
        /* col -= G[:, 0:r] G[j, 0:r]' */
        causa_i_gemv(0, n, r, -1.0, g, n, g + j, n, 1.0, col, 1);
        double piv = sqrt(dg[j]), *gr = g + r * n;
        for (int64_t i = 0; i < n; i++) {
            double e = dg[i] > 0 ? col[i] / piv : 0.0; /* pivoted rows are exact already */
            gr[i] = e;
            dg[i] -= e * e;
        }
        gr[j] = piv;
        dg[j] = 0;
        r++;
    }
    for (int64_t c = 0; c < r; c++) {
        double *gc = g + c * n, mean = 0;
        for (int64_t i = 0; i < n; i++) mean += gc[i];
        mean /= (double)n;
        for (int64_t i = 0; i < n; i++) gc[i] -= mean;
    }
    return r;
}

/* |A' B|_F^2 for A (n x ra), B (n x rb), one column of A at a time (buffer of rb). */
static double cross_frob2(const double *a, int64_t ra, const double *b, int64_t rb, int64_t n,
                          double *buf) {
    double sum = 0;
    for (int64_t c = 0; c < ra; c++) {
        causa_i_gemv(1, n, rb, 1.0, b, n, a + c * n, 1, 0.0, buf, 1);
        for (int64_t k = 0; k < rb; k++) sum += buf[k] * buf[k];
    }
    return sum;
}

/* Upper tail of the gamma with the given mean and variance at v. */
static double gamma_sf(double v, double mean, double var) {
    if (!(mean > 0) || !(var > 0)) return 1.0;
    double shape = mean * mean / var, scale = var / mean;
    return causa_chisq_sf(2.0 * v / scale, 2.0 * shape);
}

/* B (n x r) -> B Q_k (into out, n x k): Q_k the eigenvectors of B'B whose eigenvalues are
 * above KCI_THRESH times the largest, scaled by nothing (B Q_k Q_k' B' is the truncated
 * B B'). Returns k, or -1 when the eigen-decomposition failed. */
static int64_t truncate_factor(const double *b, int64_t n, int64_t r, double *out, const kci_layout *l) {
    if (r == 0) return 0;
    causa_i_syrk_t(r, n, 1.0, b, n, 0.0, l->m, r);
    if (causa_i_syevr(l->m, r, l->w, l->q, l->lwork, l->iwork, l->isuppz) != CAUSA_OK) return -1;
    double top = l->w[r - 1];
    int64_t first = r;
    if (top > 0)
        while (first > 0 && l->w[first - 1] > top * KCI_THRESH) first--;
    int64_t k = r - first;
    causa_i_gemm(0, 0, n, k, r, 1.0, b, n, l->q + first * r, r, 0.0, out, n);
    return k;
}

static int kci_run(const void *state, void *work, int64_t kmax, int64_t x, int64_t y,
                   const int64_t *z, int64_t nz, causa_citest_result *out) {
    const kci_state *s = state;
    kci_layout l;
    kci_layout_of(s, kmax, work, &l);
    int64_t n = s->n;
    /* Canonical order: X the lower index (the conditional statistic is not symmetric). */
    if (y < x) {
        int64_t t = x;
        x = y;
        y = t;
    }
    const double *X = s->std + x * n, *Y = s->std + y * n;
    if (s->zero[x] || s->zero[y]) {
        out->pvalue = 1.0;
        return CAUSA_OK;
    }
    if (nz > 0) memcpy(l.zs, z, (size_t)nz * sizeof *z);
    causa_i_sort_idx(l.zs, nz);
    int median = s->width == CAUSA_KCI_WIDTH_MEDIAN;
    double nn = (double)n;
    if (nz == 0) {
        /* causal-learn's KCI_UInd takes the median width of the raw (unstandardised) data:
         * distances scale by the column's sd. */
        double tx = median ? median_theta(X, n, 1, l.dist) / (s->sd[x] * s->sd[x]) : empirical_theta_hsic(n);
        double ty = median ? median_theta(Y, n, 1, l.dist) / (s->sd[y] * s->sd[y]) : empirical_theta_hsic(n);
        int64_t rx = lowrank_kernel(X, n, 1, tx, l.gx, &l);
        int64_t ry = lowrank_kernel(Y, n, 1, ty, l.gy, &l);
        double v = cross_frob2(l.gx, rx, l.gy, ry, n, l.col);
        double fx = cross_frob2(l.gx, rx, l.gx, rx, n, l.col);
        double fy = cross_frob2(l.gy, ry, l.gy, ry, n, l.col);
        double trx = 0, try_ = 0;
        for (int64_t k = 0; k < n * rx; k++) trx += l.gx[k] * l.gx[k];
        for (int64_t k = 0; k < n * ry; k++) try_ += l.gy[k] * l.gy[k];
        out->statistic = v;
        out->effect = v / nn;
        out->pvalue = gamma_sf(v, trx * try_ / nn, 2.0 * fx * fy / (nn * nn));
        return CAUSA_OK;
    }
    /* v = [x, z/2] for the kernel of X, then [x, z] (the Z block for the kernel of Z). */
    memcpy(l.v, X, (size_t)n * sizeof *X);
    for (int64_t k = 0; k < nz; k++) {
        const double *zc = s->std + l.zs[k] * n;
        double *o = l.v + (k + 1) * n;
        for (int64_t i = 0; i < n; i++) o[i] = 0.5 * zc[i];
    }
    double thx, thy, thz = 0;
    if (median) {
        thx = median_theta(l.v, n, nz + 1, l.dist);
        thy = median_theta(Y, n, 1, l.dist);
    } else {
        thx = thy = thz = empirical_theta_kci(n, nz);
    }
    int64_t rx = lowrank_kernel(l.v, n, nz + 1, thx, l.gx, &l);
    int64_t ry = lowrank_kernel(Y, n, 1, thy, l.gy, &l);
    for (int64_t k = 0; k < nz; k++)
        for (int64_t i = 0; i < n; i++) l.v[i + (k + 1) * n] *= 2.0;
    if (median) thz = median_theta(l.v + n, n, nz, l.dist);
    int64_t rz = lowrank_kernel(l.v + n, n, nz, thz, l.gz, &l);
    /* Rz = eps (Kz + eps I)^-1 = I - Gz M^-1 Gz' with M = eps I + Gz'Gz (Woodbury), so
     * KxR = Rz Kx Rz = Bx Bx' with Bx = Rz Gx = Gx - Gz M^-1 (Gz'Gx); likewise By. */
    causa_i_syrk_t(rz, n, 1.0, l.gz, n, 0.0, l.m, rz);
    for (int64_t i = 0; i < rz; i++) l.m[i + i * rz] += s->eps;
    if (causa_i_potrf_lower(l.m, rz) != 0) return CAUSA_ENOCONV;
    causa_i_gemm(1, 0, rz, rx, n, 1.0, l.gz, n, l.gx, n, 0.0, l.pm, rz);
    causa_i_potrs_lower(l.m, rz, l.pm, rx, rz);
    causa_i_gemm(0, 0, n, rx, rz, -1.0, l.gz, n, l.pm, rz, 1.0, l.gx, n);
    causa_i_gemm(1, 0, rz, ry, n, 1.0, l.gz, n, l.gy, n, 0.0, l.pm, rz);
    causa_i_potrs_lower(l.m, rz, l.pm, ry, rz);
    causa_i_gemm(0, 0, n, ry, rz, -1.0, l.gz, n, l.pm, rz, 1.0, l.gy, n);
    /* V = sum(KxR o KyR) = |Bx' By|_F^2. */
    double v = cross_frob2(l.gx, rx, l.gy, ry, n, l.col);
    /* Truncated spectra: Kx~ = Ux Ux' with Ux = Bx Q (into pm), Ky~ = Uy Uy' (into gz). */
    int64_t kx = truncate_factor(l.gx, n, rx, l.pm, &l);
    int64_t ky = truncate_factor(l.gy, n, ry, l.gz, &l);
    if (kx < 0 || ky < 0) return CAUSA_ENOCONV;
    double mean = 0, var = 0;
    for (int64_t i = 0; i < n; i++) {
        double a = 0, b = 0;
        for (int64_t c = 0; c < kx; c++) a += l.pm[i + c * n] * l.pm[i + c * n];
        for (int64_t c = 0; c < ky; c++) b += l.gz[i + c * n] * l.gz[i + c * n];
        mean += a * b;
    }
    /* sum_ij Kx~_ij^2 Ky~_ij^2 by tiles of rows (tiles in gx and gy, free now). */
    int64_t tile = CAUSA_MAX((int64_t)1, CAUSA_MIN((int64_t)TILE, n / 2));
    for (int64_t t0 = 0; t0 < n; t0 += tile) {
        int64_t m = CAUSA_MIN(tile, n - t0);
        causa_i_gemm(0, 1, m, n, kx, 1.0, l.pm + t0, n, l.pm, n, 0.0, l.gx, m);
        causa_i_gemm(0, 1, m, n, ky, 1.0, l.gz + t0, n, l.gz, n, 0.0, l.gy, m);
        for (int64_t k = 0; k < m * n; k++) {
            double a = l.gx[k] * l.gy[k];
            var += a * a;
        }
    }
    out->statistic = v;
    out->effect = v / nn;
    out->pvalue = gamma_sf(v, mean, 2.0 * var);
    return CAUSA_OK;
}

static void kci_free(causa_ctx *ctx, void *state) {
    kci_state *s = state;
    if (!s) return;
    causa_i_free(ctx, s->std);
    causa_i_free(ctx, s->zero);
    causa_i_free(ctx, s->sd);
    causa_i_free(ctx, s);
}

static const causa_i_citest_vt kci_vt = {"kci", kci_work_size, kci_run, kci_free, NULL};

int causa_i_kci_new(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *opt,
                    causa_citest **out) {
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    if (n > opt->kci_max_rows)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "the kci test needs O(n^2) memory and up to O(n^3) time per test: %lld "
                             "rows are above its limit of %lld (kci_max_rows); use the rcit test for "
                             "large data sets",
                             (long long)n, (long long)opt->kci_max_rows);
    if (n < 5) return causa_i_error(ctx, CAUSA_EDATA, "the kci test needs at least 5 rows, got %lld", (long long)n);
    kci_state *s = causa_i_calloc(ctx, 1, sizeof *s);
    if (!s) return causa_i_nomem(ctx, "KCI test", sizeof *s);
    s->n = n;
    s->p = p;
    s->width = opt->kernel_width;
    s->eps = opt->kernel_epsilon;
    char **names = NULL;
    int rc = causa_i_standardize(ctx, ds, &s->std, &s->zero);
    if (!rc) rc = causa_i_alloc(ctx, (void **)&s->sd, (size_t)p * sizeof *s->sd + 1, "column sds");
    for (int64_t j = 0; !rc && j < p; j++) {
        causa_column_summary sum;
        rc = causa_dataset_summary(ctx, ds, j, &sum);
        s->sd[j] = sum.sd > 0 ? sum.sd : 1.0;
    }
    if (!rc) rc = causa_i_dataset_names(ctx, ds, &names);
    if (rc) {
        kci_free(ctx, s);
        return rc;
    }
    return causa_i_citest_wrap(ctx, &kci_vt, s, p, names, opt->alpha, out);
}
