/*
 * gsquare.c: the G-square (likelihood-ratio) and Pearson chi-square tests of conditional
 * independence for discrete data.
 *
 * For X _||_ Y | Z the rows are split into the strata of Z (the configurations of Z that
 * occur) and each stratum s gives an |X| x |Y| table of counts O with margins n_x., n_.y
 * and total n_s; E = n_x. n_.y / n_s. Then
 *     G^2   = 2 sum O log(O / E)        over the cells with O > 0,
 *     X^2   = sum (O - E)^2 / E         over the cells with E > 0,
 * summed over the strata, exactly as causal-learn's chisq/gsq and pcalg's gSquareDis.
 *
 * Degrees of freedom (opt->df_rule):
 *   CAUSA_DF_ADJUSTED (default): sum over the occupied strata of (r_s - 1)(c_s - 1), r_s and
 *     c_s the numbers of levels of X and Y that occur in stratum s: rows and columns with a
 *     zero margin are structural zeros and carry no freedom. This is causal-learn's rule
 *     (and bnlearn's x2-adf / mi-adf); strata that do not occur count nothing.
 *   CAUSA_DF_CLASSIC: (|X| - 1)(|Y| - 1) prod |Z| (pcalg's gSquareDis without adaptDF,
 *     bnlearn's x2 / mi), with |.| the number of levels that occur in the whole column.
 * When the degrees of freedom are 0 (no stratum has two levels of both X and Y) the
 * p-value is 1, as in causal-learn. Small samples (opt->min_rows_per_df = m > 0): when
 * n < m * the classic df the p-value is 1 ("too few rows to test": pcalg's n.min = 10 df).
 *
 * Counting: codes are recoded once to the levels that occur (contingency.c). A query maps
 * each row to cell (key of Z, x, y). When the table over all configurations of Z is small
 * (at most max(2n, 65536) cells) the cells are counted directly into the workspace;
 * otherwise the cell keys are radix-sorted and the occupied cells read off as runs, so
 * memory stays O(n) however many levels Z has. The keys of the last Z are kept in the
 * workspace, since PC tests many pairs with the same conditioning set.
 */
#include <math.h>
#include <string.h>

#include "contingency_i.h"

/* ---- workspace: header | zcache[k] | zsort[k] | zkeys[n] | a[n] | tmp[n] | counts[cap] |
 * xm[maxlev] | ym[maxlev] */
typedef struct gsq_work {
    int cached;      /* zcache/zkeys hold the keys of a conditioning set */
    int64_t ncached; /* its size */
    uint64_t zrange; /* keys of the cached set are below this */
} gsq_work;

static size_t align16(size_t b) { return (b + 15) & ~(size_t)15; }

static int64_t dense_cap(const causa_i_codes *c) { return CAUSA_MAX(2 * c->n, (int64_t)65536); }

typedef struct gsq_layout {
    int64_t *zcache, *zsort;
    uint64_t *zkeys;
    causa_i_keyrow *a, *tmp;
    uint32_t *counts;
    double *xm, *ym;
} gsq_layout;

static size_t layout(const causa_i_codes *c, int64_t k, void *work, gsq_layout *l) {
    size_t off = align16(sizeof(gsq_work));
    char *base = work;
#define PLACE(field, count)                                                                \
    do {                                                                                   \
        if (l) l->field = (void *)(base + off);                                            \
        off += align16((size_t)(count) * sizeof *l->field);                                \
    } while (0)
    PLACE(zcache, k);
    PLACE(zsort, k);
    PLACE(zkeys, c->n);
    PLACE(a, c->n);
    PLACE(tmp, c->n);
    PLACE(counts, dense_cap(c));
    PLACE(xm, c->maxlev);
    PLACE(ym, c->maxlev);
#undef PLACE
    return off;
}

size_t causa_i_gsq_work_size(const causa_i_codes *c, int64_t max_cond) {
    return layout(c, max_cond, NULL, &(gsq_layout){0});
}

/* Accumulates one stratum's statistic from its margins and cells. */
typedef struct gsq_acc {
    double stat, dfa;
} gsq_acc;

static void dense_strata(const causa_i_codes *c, const causa_i_gsq_cfg *cfg, const gsq_layout *l,
                         uint64_t zrange, int64_t lx, int64_t ly, gsq_acc *acc) {
    (void)c;
    int64_t cells = lx * ly;
    for (uint64_t s = 0; s < zrange; s++) {
        const uint32_t *t = l->counts + s * (uint64_t)cells;
        for (int64_t j = 0; j < ly; j++) l->ym[j] = 0;
        double ns = 0;
        int64_t r = 0, cc = 0;
        for (int64_t i = 0; i < lx; i++) {
            double sum = 0;
            for (int64_t j = 0; j < ly; j++) {
                double v = (double)t[i * ly + j];
                sum += v;
                l->ym[j] += v;
            }
            l->xm[i] = sum;
            ns += sum;
            r += sum > 0;
        }
        if (ns == 0) continue;
        for (int64_t j = 0; j < ly; j++) cc += l->ym[j] > 0;
        acc->dfa += (double)((r - 1) * (cc - 1));
        for (int64_t i = 0; i < lx; i++) {
            if (l->xm[i] == 0) continue;
            for (int64_t j = 0; j < ly; j++) {
                if (l->ym[j] == 0) continue;
                double o = (double)t[i * ly + j], e = l->xm[i] * l->ym[j] / ns;
                if (cfg->chisq) acc->stat += (o - e) * (o - e) / e;
                else if (o > 0) acc->stat += 2.0 * o * log(o * ns / (l->xm[i] * l->ym[j]));
            }
        }
    }
}

/* Runs of sorted cell keys, compressed in place to (key, count). */
static void sorted_strata(const causa_i_gsq_cfg *cfg, const gsq_layout *l, causa_i_keyrow *runs,
                          int64_t nruns, int64_t lx, int64_t ly, gsq_acc *acc) {
    uint64_t cells = (uint64_t)(lx * ly);
    int64_t s0 = 0;
    while (s0 < nruns) {
        uint64_t stratum = runs[s0].key / cells;
        int64_t s1 = s0;
        while (s1 < nruns && runs[s1].key / cells == stratum) s1++;
        double ns = 0;
        int64_t r = 0, cc = 0;
        for (int64_t k = s0; k < s1; k++) {
            uint64_t cell = runs[k].key % cells;
            int64_t x = (int64_t)(cell / (uint64_t)ly), y = (int64_t)(cell % (uint64_t)ly);
            double o = (double)runs[k].row;
            r += l->xm[x] == 0;
            cc += l->ym[y] == 0;
            l->xm[x] += o;
            l->ym[y] += o;
            ns += o;
        }
        acc->dfa += (double)((r - 1) * (cc - 1));
        double sum_e = 0;
        for (int64_t k = s0; k < s1; k++) {
            uint64_t cell = runs[k].key % cells;
            int64_t x = (int64_t)(cell / (uint64_t)ly), y = (int64_t)(cell % (uint64_t)ly);
            double o = (double)runs[k].row, e = l->xm[x] * l->ym[y] / ns;
            if (cfg->chisq) {
                acc->stat += (o - e) * (o - e) / e;
                sum_e += e;
            } else {
                acc->stat += 2.0 * o * log(o * ns / (l->xm[x] * l->ym[y]));
            }
        }
        /* Cells with O = 0 < E contribute E each: n_s minus the E of the occupied cells. */
        if (cfg->chisq && ns - sum_e > 0) acc->stat += ns - sum_e;
        for (int64_t k = s0; k < s1; k++) {
            uint64_t cell = runs[k].key % cells;
            l->xm[cell / (uint64_t)ly] = 0;
            l->ym[cell % (uint64_t)ly] = 0;
        }
        s0 = s1;
    }
}

int causa_i_gsq_query(const causa_i_codes *c, const causa_i_gsq_cfg *cfg, void *work,
                      int64_t max_cond, int64_t x, int64_t y, const int64_t *z, int64_t nz,
                      causa_citest_result *out) {
    gsq_work *w = work;
    gsq_layout l;
    layout(c, max_cond, work, &l);
    int64_t n = c->n;
    const int32_t *xc = c->col[x], *yc = c->col[y];
    if (!xc || !yc) return CAUSA_EDATA;
    int64_t lx = CAUSA_MAX(c->nlev[x], 1), ly = CAUSA_MAX(c->nlev[y], 1);
    uint64_t cells = (uint64_t)(lx * ly);
    if (nz > 0) memcpy(l.zsort, z, (size_t)nz * sizeof *z);
    causa_i_sort_idx(l.zsort, nz);
    double dfc = (double)((lx - 1) * (ly - 1));
    for (int64_t k = 0; k < nz; k++) {
        if (!c->col[l.zsort[k]]) return CAUSA_EDATA;
        dfc *= (double)CAUSA_MAX(c->nlev[l.zsort[k]], 1);
    }
    /* Keys of Z, from the cache when the set is the same as last time. */
    if (!(w->cached && w->ncached == nz && memcmp(l.zcache, l.zsort, (size_t)nz * sizeof *z) == 0)) {
        w->cached = 0;
        if (nz > 0) w->zrange = causa_i_config_keys(c, l.zsort, nz, (uint64_t)1 << 62, l.zkeys, l.a, l.tmp);
        else w->zrange = 1;
        memcpy(l.zcache, l.zsort, (size_t)nz * sizeof *z);
        w->ncached = nz;
        w->cached = 1;
    }
    gsq_acc acc = {0, 0};
    uint64_t cap = (uint64_t)dense_cap(c);
    if (w->zrange <= cap / cells) {
        uint64_t total = w->zrange * cells;
        memset(l.counts, 0, (size_t)total * sizeof *l.counts);
        if (nz == 0) {
            for (int64_t i = 0; i < n; i++) l.counts[xc[i] * ly + yc[i]]++;
        } else {
            const uint64_t *zk = l.zkeys;
            for (int64_t i = 0; i < n; i++) l.counts[zk[i] * cells + (uint64_t)(xc[i] * ly + yc[i])]++;
        }
        dense_strata(c, cfg, &l, w->zrange, lx, ly, &acc);
    } else {
        if (w->zrange > UINT64_MAX / cells) {
            w->zrange = causa_i_densify_keys(l.zkeys, n, w->zrange - 1, l.a, l.tmp);
            if (w->zrange > UINT64_MAX / cells) return CAUSA_ERANGE;
        }
        for (int64_t i = 0; i < n; i++) {
            l.a[i].key = l.zkeys[i] * cells + (uint64_t)(xc[i] * ly + yc[i]);
            l.a[i].row = 0;
        }
        causa_i_keyrow *s = causa_i_radix_sort(l.a, l.tmp, n, w->zrange * cells - 1);
        int64_t nruns = 0;
        for (int64_t i = 0; i < n; i++) {
            if (nruns > 0 && s[nruns - 1].key == s[i].key) {
                s[nruns - 1].row++;
            } else {
                s[nruns].key = s[i].key;
                s[nruns].row = 1;
                nruns++;
            }
        }
        for (int64_t j = 0; j < lx; j++) l.xm[j] = 0;
        for (int64_t j = 0; j < ly; j++) l.ym[j] = 0;
        sorted_strata(cfg, &l, s, nruns, lx, ly, &acc);
    }
    double df = cfg->df_rule == CAUSA_DF_CLASSIC ? dfc : acc.dfa;
    if (acc.stat < 0) acc.stat = 0; /* rounding in sums of terms of both signs */
    out->statistic = acc.stat;
    out->df = df;
    out->effect = cfg->chisq ? acc.stat / (double)n : acc.stat / (2.0 * (double)n);
    if (df <= 0 || (cfg->min_rows_per_df > 0 && (double)n < cfg->min_rows_per_df * dfc))
        out->pvalue = 1.0;
    else
        out->pvalue = causa_chisq_sf(acc.stat, df);
    return CAUSA_OK;
}

/* ---- the test object ---- */
typedef struct gsq_state {
    causa_i_gsq_cfg cfg;
    causa_i_codes *codes;
} gsq_state;

static size_t gsq_work_size(const void *state, int64_t max_cond) {
    const gsq_state *g = state;
    return causa_i_gsq_work_size(g->codes, max_cond);
}

static int gsq_run(const void *state, void *work, int64_t max_cond, int64_t x, int64_t y,
                   const int64_t *z, int64_t nz, causa_citest_result *out) {
    const gsq_state *g = state;
    return causa_i_gsq_query(g->codes, &g->cfg, work, max_cond, x, y, z, nz, out);
}

static void gsq_free(causa_ctx *ctx, void *state) {
    gsq_state *g = state;
    if (!g) return;
    causa_i_codes_free(ctx, g->codes);
    causa_i_free(ctx, g);
}

static const causa_i_citest_vt gsquare_vt = {"g-square", gsq_work_size, gsq_run, gsq_free, NULL};
static const causa_i_citest_vt chisquare_vt = {"chi-square", gsq_work_size, gsq_run, gsq_free, NULL};

int causa_i_gsquare_new(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *opt,
                        int chisq, causa_citest **out) {
    gsq_state *g = causa_i_calloc(ctx, 1, sizeof *g);
    if (!g) return causa_i_nomem(ctx, "G-square test", sizeof *g);
    g->cfg.chisq = chisq;
    g->cfg.df_rule = opt->df_rule;
    g->cfg.min_rows_per_df = opt->min_rows_per_df;
    int64_t p = causa_dataset_ncol(ds);
    char **names = NULL;
    int rc = causa_i_codes_new(ctx, ds, 1, chisq ? "chi-square" : "g-square", &g->codes);
    if (!rc) rc = causa_i_dataset_names(ctx, ds, &names);
    if (rc) {
        gsq_free(ctx, g);
        return rc;
    }
    return causa_i_citest_wrap(ctx, chisq ? &chisquare_vt : &gsquare_vt, g, p, names, opt->alpha, out);
}
