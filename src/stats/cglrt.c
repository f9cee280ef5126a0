/*
 * cglrt.c: the conditional-Gaussian likelihood-ratio test ("cg-lrt") for mixed continuous
 * and discrete data (Andrews, Ramsey & Cooper 2018, "Scoring Bayesian networks of mixed
 * variables"; the model behind Tetrad's conditional-Gaussian LRT).
 *
 * Model. For a set S of variables, the conditional-Gaussian (CG) model has a multinomial
 * over the configurations of the discrete variables of S and, within each configuration
 * (cell), a multivariate Gaussian of the continuous variables of S with the cell's own
 * mean and covariance. L(S) is its maximised log-likelihood (MLE covariances). For
 * X _||_ Y | Z the statistic is
 *     G = 2 [L(X, Y, Z) - L(Y, Z) - L(X, Z) + L(Z)],
 * symmetric in X and Y. Per cell d of the discrete part D of Z (the multinomial of D
 * cancels), with C the continuous part of Z:
 *   - X, Y continuous: G_d = -n_d log(1 - r_d^2), r_d the partial correlation of X and Y
 *     given C inside the cell: the LRT of the coefficient of X in the regression of Y on
 *     (C, X) fitted per cell. df_d = 1.
 *   - X discrete (r levels), Y continuous: the LRT of letting the regression of Y on C
 *     (intercept, slopes, variance) differ between the levels of X in the cell;
 *     df_d = (r_d - 1)(|C| + 2).
 *   - X, Y discrete (r, c levels): the G-square of the cell's X x Y table plus the change in
 *     the Gaussian log-likelihood of C between the partitions by (X, Y), X, Y and none;
 *     df_d = (r_d - 1)(c_d - 1)(1 + |C| + |C|(|C| + 1)/2). With C empty this is the
 *     G-square test, and then cg-lrt is exactly g-square (same df rule and small-sample
 *     rule). With C not empty the statistic is the CG likelihood ratio of Andrews et al.,
 *     which is only approximately chi-square under the null (the CG model is not closed
 *     under this conditioning): treat its p-values as approximate.
 * r_d and c_d count the levels that occur in cell d; G = sum_d G_d, df = sum_d df_d.
 *
 * Small cells. A Gaussian with k continuous variables needs more than k rows. Rows in
 * cells of the finest partition (the discrete variables among X, Y and Z) with fewer than
 * min_cell_rows rows (default k + 2, k = continuous variables in the query) are left out of
 * all four likelihoods, so they are always compared on the same rows. A covariance that is
 * still singular gets a ridge of 1e-9 and the result is flagged `singular`.
 *
 * All continuous. With no discrete variable in the query, G = -n log(1 - r^2) with r the
 * partial correlation from the correlation matrix computed once at preparation (as for
 * Fisher-z), df = 1: the Gaussian likelihood-ratio test.
 * Effect: sqrt(1 - exp(-G / n)), which is |r| in the all-continuous case.
 */
#include <math.h>
#include <string.h>

#include "../linalg/linalg_i.h"
#include "contingency_i.h"

typedef struct cg_state {
    int64_t n, p;
    causa_i_codes *codes;
    double *std;          /* n x p standardised columns */
    unsigned char *zero;  /* constant columns */
    double *corr;         /* p x p correlation (continuous columns), or NULL */
    causa_i_gsq_cfg gcfg; /* all-discrete queries */
    int64_t min_cell;     /* 0: automatic */
} cg_state;

/* Sufficient statistics of a group of rows over the continuous dimensions V. */
typedef struct cg_acc {
    double *count; /* one double, in the workspace */
    double *mean;  /* m */
    double *m2;   /* m x m scatter about the mean */
} cg_acc;

typedef struct cg_layout {
    int64_t *zs, *dv, *cv, *vcols;
    uint64_t *keys;
    causa_i_keyrow *a, *tmp;
    double *xm, *ym;
    double *accmem;  /* (3 + maxlev) accumulators of 1 + m + m^2 doubles */
    double *sub;     /* m x m */
    double *vec;     /* 2m */
    int64_t *idx;    /* m */
    int64_t *ytouch; /* maxlev */
    void *gsq;       /* the G-square workspace */
} cg_layout;

static size_t align16(size_t b) { return (b + 15) & ~(size_t)15; }

static size_t cg_layout_of(const cg_state *s, int64_t k, void *work, cg_layout *l) {
    char *base = work;
    size_t off = 0;
    int64_t m = k + 2, n = s->n, maxlev = s->codes->maxlev;
#define PLACE(field, count)                                                                \
    do {                                                                                   \
        if (work) l->field = (void *)(base + off);                                         \
        off += align16((size_t)(count) * sizeof *l->field);                                \
    } while (0)
    PLACE(zs, k);
    PLACE(dv, k);
    PLACE(cv, k);
    PLACE(vcols, m);
    PLACE(keys, n);
    PLACE(a, n);
    PLACE(tmp, n);
    PLACE(xm, maxlev);
    PLACE(ym, maxlev);
    PLACE(accmem, (3 + maxlev) * (1 + m + m * m));
    PLACE(sub, m * m);
    PLACE(vec, 2 * m);
    PLACE(idx, m);
    PLACE(ytouch, maxlev);
#undef PLACE
    if (work) l->gsq = base + off;
    off += align16(causa_i_gsq_work_size(s->codes, k));
    return off;
}

static size_t cg_work_size(const void *state, int64_t max_cond) {
    cg_layout l;
    return cg_layout_of(state, max_cond, NULL, &l);
}

static cg_acc acc_at(const cg_layout *l, int64_t i, int64_t m) {
    double *p = l->accmem + i * (1 + m + m * m);
    return (cg_acc){p, p + 1, p + 1 + m};
}

static void acc_clear(cg_acc *a, int64_t m) {
    *a->count = 0;
    memset(a->mean, 0, (size_t)m * sizeof(double));
    memset(a->m2, 0, (size_t)(m * m) * sizeof(double));
}

/* a += b (Chan et al.'s pairwise update of means and scatter). */
static void acc_merge(cg_acc *a, const cg_acc *b, int64_t m) {
    if (*b->count == 0) return;
    if (*a->count == 0) {
        *a->count = *b->count;
        memcpy(a->mean, b->mean, (size_t)m * sizeof(double));
        memcpy(a->m2, b->m2, (size_t)(m * m) * sizeof(double));
        return;
    }
    double na = *a->count, nb = *b->count, nn = na + nb, f = na * nb / nn;
    for (int64_t j = 0; j < m; j++)
        for (int64_t i = 0; i < m; i++)
            a->m2[i + j * m] += b->m2[i + j * m] + f * (b->mean[i] - a->mean[i]) * (b->mean[j] - a->mean[j]);
    for (int64_t i = 0; i < m; i++) a->mean[i] += (b->mean[i] - a->mean[i]) * nb / nn;
    *a->count = nn;
}

/* log det of the MLE covariance (scatter / count) over the dimensions 0..m-1 except skip1
 * and skip2 (-1: none). Sets *singular when a ridge was needed. */
static double logdet_sub(const cg_acc *a, int64_t m, int64_t skip1, int64_t skip2, double *sub,
                         int64_t *idx, int *singular) {
    int64_t k = 0;
    for (int64_t i = 0; i < m; i++)
        if (i != skip1 && i != skip2) idx[k++] = i;
    if (k == 0 || *a->count <= 0) return 0.0;
    for (double ridge = 0;; ridge = ridge == 0 ? 1e-9 : ridge * 100) {
        for (int64_t j = 0; j < k; j++)
            for (int64_t i = 0; i < k; i++)
                sub[i + j * k] = a->m2[idx[i] + idx[j] * m] / *a->count + (i == j ? ridge : 0);
        if (causa_i_chol_small(sub, k, 1e-12) == 0) {
            double ld = 0;
            for (int64_t i = 0; i < k; i++) ld += 2.0 * log(sub[i + i * k]);
            return ld;
        }
        *singular = 1;
        if (ridge > 1) return 0.0; /* cannot happen with standardised data; stay finite */
    }
}

/* Statistics of one run of sorted rows over the columns vcols[0..m). */
static void run_stats(const cg_state *s, const causa_i_keyrow *rows, int64_t cnt,
                      const int64_t *vcols, int64_t m, cg_acc *f) {
    int64_t n = s->n;
    *f->count = (double)cnt;
    for (int64_t j = 0; j < m; j++) {
        const double *col = s->std + vcols[j] * n;
        double sum = 0;
        for (int64_t i = 0; i < cnt; i++) sum += col[rows[i].row];
        f->mean[j] = sum / (double)cnt;
    }
    for (int64_t j = 0; j < m; j++) {
        const double *cj = s->std + vcols[j] * n;
        for (int64_t i = 0; i <= j; i++) {
            const double *ci = s->std + vcols[i] * n;
            double sum = 0, mi = f->mean[i], mj = f->mean[j];
            for (int64_t r = 0; r < cnt; r++) sum += (ci[rows[r].row] - mi) * (cj[rows[r].row] - mj);
            f->m2[i + j * m] = f->m2[j + i * m] = sum;
        }
    }
}

static void finish(causa_citest_result *out, double stat, double df, double nrows) {
    if (!(stat > 0)) stat = 0;
    out->statistic = stat;
    out->df = df;
    out->effect = nrows > 0 ? sqrt(1.0 - exp(-stat / nrows)) : 0.0;
    out->pvalue = df > 0 ? causa_chisq_sf(stat, df) : 1.0;
}

/* All continuous: partial correlation from the correlation matrix. Returns 0 when R_CC is
 * singular (the caller then takes the general path). */
static int cg_continuous(const cg_state *s, const cg_layout *l, int64_t x, int64_t y,
                         const int64_t *c, int64_t kc, causa_citest_result *out) {
    int64_t p = s->p;
    const double *R = s->corr;
    double *chol = l->sub, *a = l->vec, *b = l->vec + kc + 2;
    double r;
    if (kc == 0) {
        r = R[x + y * p];
    } else {
        for (int64_t j = 0; j < kc; j++)
            for (int64_t i = 0; i < kc; i++) chol[i + j * kc] = R[c[i] + c[j] * p];
        if (causa_i_chol_small(chol, kc, 1e-12) != 0) return 0;
        for (int64_t i = 0; i < kc; i++) {
            a[i] = R[c[i] + x * p];
            b[i] = R[c[i] + y * p];
        }
        causa_i_trsv_lower(chol, kc, a);
        causa_i_trsv_lower(chol, kc, b);
        double aa = 0, bb = 0, ab = 0;
        for (int64_t i = 0; i < kc; i++) {
            aa += a[i] * a[i];
            bb += b[i] * b[i];
            ab += a[i] * b[i];
        }
        double sxx = 1.0 - aa, syy = 1.0 - bb;
        if (!(sxx > 1e-12 && syy > 1e-12)) return 0;
        r = (R[x + y * p] - ab) / sqrt(sxx * syy);
    }
    if (r > 1) r = 1;
    if (r < -1) r = -1;
    double nn = (double)s->n;
    finish(out, fabs(r) >= 1 ? (double)INFINITY : -nn * log1p(-r * r), 1.0, nn);
    out->effect = fabs(r);
    return 1;
}

static int cg_run(const void *state, void *work, int64_t kmax, int64_t x, int64_t y,
                  const int64_t *z, int64_t nz, causa_citest_result *out) {
    const cg_state *s = state;
    const causa_i_codes *codes = s->codes;
    cg_layout l;
    cg_layout_of(s, kmax, work, &l);
    int64_t n = s->n;
    if (nz > 0) memcpy(l.zs, z, (size_t)nz * sizeof *z);
    causa_i_sort_idx(l.zs, nz);
    /* Canonical order: X the discrete one if only one is; with two, X the one with more
     * levels; otherwise the lower index. */
    int xd = codes->col[x] != NULL, yd = codes->col[y] != NULL;
    if ((!xd && yd) || (xd && yd && (codes->nlev[y] > codes->nlev[x] ||
                                    (codes->nlev[y] == codes->nlev[x] && y < x))) ||
        (!xd && !yd && y < x)) {
        int64_t t = x;
        x = y;
        y = t;
        int td = xd;
        xd = yd;
        yd = td;
    }
    int64_t nd = 0, nc = 0;
    for (int64_t k = 0; k < nz; k++) {
        if (codes->col[l.zs[k]]) l.dv[nd++] = l.zs[k];
        else if (!s->zero[l.zs[k]]) l.cv[nc++] = l.zs[k]; /* constant columns carry nothing */
    }
    /* A constant continuous X or Y is independent of everything. */
    if ((!xd && s->zero[x]) || (!yd && s->zero[y])) {
        finish(out, 0, 0, (double)n);
        return CAUSA_OK;
    }
    if (xd && yd && nc == 0) return causa_i_gsq_query(codes, &s->gcfg, l.gsq, kmax, x, y, l.dv, nd, out);
    if (!xd && !yd && nd == 0 && cg_continuous(s, &l, x, y, l.cv, nc, out)) return CAUSA_OK;

    /* General path. V = [C, X if continuous, Y if continuous]. */
    int64_t m = 0, ix = -1, iy = -1;
    for (int64_t k = 0; k < nc; k++) l.vcols[m++] = l.cv[k];
    if (!xd) {
        ix = m;
        l.vcols[m++] = x;
    }
    if (!yd) {
        iy = m;
        l.vcols[m++] = y;
    }
    uint64_t lx = xd ? (uint64_t)CAUSA_MAX(codes->nlev[x], 1) : 1;
    uint64_t ly = yd ? (uint64_t)CAUSA_MAX(codes->nlev[y], 1) : 1, cells = lx * ly;
    uint64_t drange = causa_i_config_keys(codes, l.dv, nd, (uint64_t)1 << 62, l.keys, l.a, l.tmp);
    if (drange > UINT64_MAX / cells) {
        drange = causa_i_densify_keys(l.keys, n, drange - 1, l.a, l.tmp);
        if (drange > UINT64_MAX / cells) return CAUSA_ERANGE;
    }
    const int32_t *xc = xd ? codes->col[x] : NULL, *yc = yd ? codes->col[y] : NULL;
    for (int64_t i = 0; i < n; i++) {
        l.a[i].key = l.keys[i] * cells + (xc ? (uint64_t)xc[i] * ly : 0) + (yc ? (uint64_t)yc[i] : 0);
        l.a[i].row = (uint64_t)i;
    }
    causa_i_keyrow *sr = causa_i_radix_sort(l.a, l.tmp, n, drange * cells - 1);
    int64_t min_cell = s->min_cell > 0 ? s->min_cell : m + 2;
    double g1 = 0;            /* G-square part: sum m log(m n_d / (n_x n_y)) */
    double g2 = 0;            /* Gaussian part */
    double df = 0, kept = 0;
    double cdim = (double)nc;
    double per = xd && yd ? 1 + cdim + cdim * (cdim + 1) / 2 : (xd ? cdim + 2 : 1);
    int singular = 0;
    cg_acc fin = acc_at(&l, 0, m), ax = acc_at(&l, 1, m), ad = acc_at(&l, 2, m);
    for (uint64_t j = 0; j < ly; j++) l.ym[j] = 0;
    for (uint64_t j = 0; j < lx; j++) l.xm[j] = 0;
    int64_t g0 = 0;
    while (g0 < n) {
        uint64_t dkey = sr[g0].key / cells;
        int64_t g1e = g0;
        while (g1e < n && sr[g1e].key / cells == dkey) g1e++;
        /* Pass 1: kept rows per level of X and Y in this cell of D. */
        double ndd = 0;
        int64_t rd = 0, cd = 0, nty = 0;
        for (int64_t r0 = g0; r0 < g1e;) {
            int64_t r1 = r0;
            while (r1 < g1e && sr[r1].key == sr[r0].key) r1++;
            if (r1 - r0 >= min_cell) {
                uint64_t cell = sr[r0].key % cells;
                uint64_t xl = cell / ly, yl = cell % ly;
                rd += l.xm[xl] == 0;
                if (l.ym[yl] == 0) {
                    cd++;
                    l.ytouch[nty++] = (int64_t)yl;
                }
                l.xm[xl] += (double)(r1 - r0);
                l.ym[yl] += (double)(r1 - r0);
                ndd += (double)(r1 - r0);
            }
            r0 = r1;
        }
        if (ndd > 0) {
            kept += ndd;
            df += (double)((xd ? rd : 2) - 1) * (double)((yd ? cd : 2) - 1) * per;
            for (int64_t t = 0; t < nty; t++) {
                cg_acc ay = acc_at(&l, 3 + l.ytouch[t], m);
                acc_clear(&ay, m);
            }
            acc_clear(&ad, m);
            acc_clear(&ax, m);
            uint64_t cur_x = UINT64_MAX;
            /* Pass 2: the finest cells, merged into X-, Y- and D-groups. */
            for (int64_t r0 = g0; r0 < g1e;) {
                int64_t r1 = r0;
                while (r1 < g1e && sr[r1].key == sr[r0].key) r1++;
                int64_t cnt = r1 - r0;
                if (cnt >= min_cell) {
                    uint64_t cell = sr[r0].key % cells;
                    uint64_t xl = cell / ly, yl = cell % ly;
                    double mm = (double)cnt;
                    if (xd && yd) g1 += mm * log(mm * ndd / (l.xm[xl] * l.ym[yl]));
                    if (m > 0) {
                        run_stats(s, sr + r0, cnt, l.vcols, m, &fin);
                        g2 -= mm * logdet_sub(&fin, m, -1, -1, l.sub, l.idx, &singular);
                        if (xl != cur_x) {
                            if (*ax.count > 0) {
                                g2 += *ax.count * logdet_sub(&ax, m, iy, -1, l.sub, l.idx, &singular);
                                acc_merge(&ad, &ax, m);
                            }
                            acc_clear(&ax, m);
                            cur_x = xl;
                        }
                        acc_merge(&ax, &fin, m);
                        cg_acc ay = acc_at(&l, 3 + (int64_t)yl, m);
                        acc_merge(&ay, &fin, m);
                    }
                }
                r0 = r1;
            }
            if (m > 0) {
                if (*ax.count > 0) {
                    g2 += *ax.count * logdet_sub(&ax, m, iy, -1, l.sub, l.idx, &singular);
                    acc_merge(&ad, &ax, m);
                }
                for (int64_t t = 0; t < nty; t++) {
                    cg_acc ay = acc_at(&l, 3 + l.ytouch[t], m);
                    g2 += *ay.count * logdet_sub(&ay, m, ix, -1, l.sub, l.idx, &singular);
                }
                g2 -= *ad.count * logdet_sub(&ad, m, ix, iy, l.sub, l.idx, &singular);
            }
        }
        /* Reset the margins touched by this cell of D. */
        for (int64_t r0 = g0; r0 < g1e; r0++) {
            uint64_t cell = sr[r0].key % cells;
            l.xm[cell / ly] = 0;
            l.ym[cell % ly] = 0;
        }
        g0 = g1e;
    }
    finish(out, 2.0 * g1 + g2, df, kept);
    out->singular = singular;
    return CAUSA_OK;
}

static void cg_free(causa_ctx *ctx, void *state) {
    cg_state *s = state;
    if (!s) return;
    causa_i_codes_free(ctx, s->codes);
    causa_i_free(ctx, s->std);
    causa_i_free(ctx, s->zero);
    causa_i_free(ctx, s->corr);
    causa_i_free(ctx, s);
}

static const causa_i_citest_vt cglrt_vt = {"cg-lrt", cg_work_size, cg_run, cg_free, NULL};

int causa_i_cglrt_new(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *opt,
                      causa_citest **out) {
    int rc = CAUSA_OK;
    char **names = NULL;
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    if (n < 4) return causa_i_error(ctx, CAUSA_EDATA, "cg-lrt needs at least 4 rows, got %lld", (long long)n);
    cg_state *s = causa_i_calloc(ctx, 1, sizeof *s);
    if (!s) return causa_i_nomem(ctx, "cg-lrt test", sizeof *s);
    s->n = n;
    s->p = p;
    s->gcfg.chisq = 0;
    s->gcfg.df_rule = opt->df_rule;
    s->gcfg.min_rows_per_df = opt->min_rows_per_df;
    s->min_cell = opt->min_cell_rows;
    CAUSA_TRY(causa_i_codes_new(ctx, ds, 0, "cg-lrt", &s->codes));
    CAUSA_TRY(causa_i_standardize(ctx, ds, &s->std, &s->zero));
    int64_t ncont = 0;
    for (int64_t j = 0; j < p; j++) ncont += causa_dataset_type(ds, j) != CAUSA_DISCRETE;
    if (ncont >= 2) {
        size_t bytes = causa_i_mul_size(causa_i_mul_size((size_t)p, (size_t)p), sizeof(double));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&s->corr, bytes, "correlation matrix"));
        CAUSA_TRY(causa_i_gram(ctx, s->std, n, p, n, NULL, s->corr, causa_ctx_threads(ctx)));
        for (int64_t k = 0; k < p * p; k++) s->corr[k] /= (double)(n - 1);
        for (int64_t j = 0; j < p; j++) s->corr[j + j * p] = 1.0;
    }
    CAUSA_TRY(causa_i_dataset_names(ctx, ds, &names));
done:
    if (rc) {
        cg_free(ctx, s);
        return rc;
    }
    return causa_i_citest_wrap(ctx, &cglrt_vt, s, p, names, opt->alpha, out);
}
