/*
 * contingency.c: discrete codes, configuration keys and the radix sort behind the discrete
 * and mixed CI tests (see contingency_i.h), and the standardised data copy of the kernel
 * tests.
 */
#include <math.h>
#include <string.h>

#include "contingency_i.h"

void causa_i_codes_free(causa_ctx *ctx, causa_i_codes *c) {
    if (!c) return;
    if (c->col)
        for (int64_t j = 0; j < c->p; j++) causa_i_free(ctx, c->col[j]);
    causa_i_free(ctx, c->col);
    causa_i_free(ctx, c->nlev);
    causa_i_free(ctx, c);
}

int causa_i_codes_new(causa_ctx *ctx, const causa_dataset *ds, int all_discrete, const char *test,
                      causa_i_codes **out) {
    int rc = CAUSA_OK;
    int64_t *map = NULL;
    *out = NULL;
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    if (n < 1)
        return causa_i_error(ctx, CAUSA_EDATA, "the %s test needs at least one row", test);
    if (n > INT32_MAX)
        return causa_i_error(ctx, CAUSA_EDATA, "the %s test takes at most %d rows, got %lld", test,
                             INT32_MAX, (long long)n);
    if (all_discrete)
        for (int64_t j = 0; j < p; j++)
            if (causa_dataset_type(ds, j) != CAUSA_DISCRETE)
                return causa_i_error(ctx, CAUSA_EDATA,
                                     "variable '%s' (column %lld) is continuous; the %s test needs "
                                     "discrete columns (discretise it, or use cg-lrt for mixed data)",
                                     causa_dataset_name(ds, j), (long long)(j + 1), test);
    causa_i_codes *c = causa_i_calloc(ctx, 1, sizeof *c);
    if (!c) return causa_i_nomem(ctx, "discrete codes", sizeof *c);
    c->n = n;
    c->p = p;
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&c->col, (size_t)p * sizeof *c->col, "discrete codes"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&c->nlev, (size_t)p * sizeof *c->nlev, "discrete codes"));
    int64_t maxdecl = 1;
    for (int64_t j = 0; j < p; j++)
        if (causa_dataset_type(ds, j) == CAUSA_DISCRETE)
            maxdecl = CAUSA_MAX(maxdecl, causa_dataset_nlevels(ds, j));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&map, causa_i_mul_size((size_t)maxdecl, sizeof *map),
                            "level map"));
    for (int64_t j = 0; j < p; j++) {
        if (causa_dataset_type(ds, j) != CAUSA_DISCRETE) continue;
        int64_t decl = causa_dataset_nlevels(ds, j);
        const double *v = causa_dataset_column(ds, j);
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&c->col[j], (size_t)n * sizeof(int32_t), "discrete codes"));
        for (int64_t k = 0; k < decl; k++) map[k] = 0;
        for (int64_t i = 0; i < n; i++) {
            int64_t code = (int64_t)v[i];
            if (!(v[i] >= 0) || code >= decl || (double)code != v[i]) {
                rc = causa_i_error(ctx, CAUSA_EDATA,
                                   "variable '%s' (column %lld), row %lld: %g is not a level code",
                                   causa_dataset_name(ds, j), (long long)(j + 1), (long long)(i + 1), v[i]);
                goto done;
            }
            map[code] = 1;
        }
        int64_t used = 0;
        for (int64_t k = 0; k < decl; k++) map[k] = map[k] ? used++ : -1;
        for (int64_t i = 0; i < n; i++) c->col[j][i] = (int32_t)map[(int64_t)v[i]];
        c->nlev[j] = used;
        c->maxlev = CAUSA_MAX(c->maxlev, used);
    }
    if (c->maxlev < 1) c->maxlev = 1;
done:
    causa_i_free(ctx, map);
    if (rc) {
        causa_i_codes_free(ctx, c);
        return rc;
    }
    *out = c;
    return CAUSA_OK;
}

#define RADIX_BITS 11
#define RADIX_SIZE (1 << RADIX_BITS)

causa_i_keyrow *causa_i_radix_sort(causa_i_keyrow *a, causa_i_keyrow *tmp, int64_t n,
                                   uint64_t maxkey) {
    int bits = maxkey ? 64 - __builtin_clzll(maxkey) : 0;
    int64_t count[RADIX_SIZE];
    for (int shift = 0; shift < bits; shift += RADIX_BITS) {
        memset(count, 0, sizeof count);
        for (int64_t i = 0; i < n; i++) count[(a[i].key >> shift) & (RADIX_SIZE - 1)]++;
        int64_t sum = 0;
        for (int d = 0; d < RADIX_SIZE; d++) {
            int64_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (int64_t i = 0; i < n; i++) tmp[count[(a[i].key >> shift) & (RADIX_SIZE - 1)]++] = a[i];
        causa_i_keyrow *t = a;
        a = tmp;
        tmp = t;
    }
    return a;
}

uint64_t causa_i_densify_keys(uint64_t *keys, int64_t n, uint64_t maxkey, causa_i_keyrow *a,
                              causa_i_keyrow *tmp) {
    if (n <= 0) return 0;
    for (int64_t i = 0; i < n; i++) {
        a[i].key = keys[i];
        a[i].row = (uint64_t)i;
    }
    causa_i_keyrow *s = causa_i_radix_sort(a, tmp, n, maxkey);
    uint64_t rank = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i > 0 && s[i].key != s[i - 1].key) rank++;
        keys[s[i].row] = rank;
    }
    return rank + 1;
}

uint64_t causa_i_config_keys(const causa_i_codes *c, const int64_t *cols, int64_t m, uint64_t limit,
                             uint64_t *keys, causa_i_keyrow *a, causa_i_keyrow *tmp) {
    int64_t n = c->n;
    if (m == 0) {
        memset(keys, 0, (size_t)n * sizeof *keys);
        return 1;
    }
    uint64_t range = 1;
    for (int64_t k = 0; k < m; k++) {
        uint64_t L = (uint64_t)CAUSA_MAX(c->nlev[cols[k]], 1);
        const int32_t *cc = c->col[cols[k]];
        if (k > 0 && range > limit / L) range = causa_i_densify_keys(keys, n, range - 1, a, tmp);
        if (k == 0) {
            for (int64_t i = 0; i < n; i++) keys[i] = (uint64_t)cc[i];
        } else {
            for (int64_t i = 0; i < n; i++) keys[i] = keys[i] * L + (uint64_t)cc[i];
        }
        range *= L;
    }
    return range;
}

void causa_i_sort_idx(int64_t *idx, int64_t n) {
    for (int64_t i = 1; i < n; i++) {
        int64_t v = idx[i], j = i;
        while (j > 0 && idx[j - 1] > v) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
}

static uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t causa_i_query_hash(int64_t x, int64_t y, const int64_t *z, int64_t nz, uint64_t salt) {
    uint64_t h = mix64(salt + 0x9e3779b97f4a7c15ull);
    h = mix64(h ^ (uint64_t)x);
    h = mix64(h ^ ((uint64_t)y + 0x632be59bd9b4e019ull));
    h = mix64(h ^ ((uint64_t)nz + 0x8cb92ba72f3d8dd7ull));
    for (int64_t k = 0; k < nz; k++) h = mix64(h ^ ((uint64_t)z[k] + 0x9e3779b97f4a7c15ull * (uint64_t)(k + 1)));
    return h;
}

int causa_i_standardize(causa_ctx *ctx, const causa_dataset *ds, double **out, unsigned char **sd_zero) {
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    double *x = causa_i_malloc(ctx, causa_i_mul_size(causa_i_mul_size((size_t)n, (size_t)p), sizeof *x));
    unsigned char *zero = causa_i_calloc(ctx, (size_t)(p > 0 ? p : 1), 1);
    if (!x || !zero) {
        causa_i_free(ctx, x);
        causa_i_free(ctx, zero);
        return causa_i_nomem(ctx, "standardised data", (size_t)n * (size_t)p * sizeof *x);
    }
    for (int64_t j = 0; j < p; j++) {
        const double *v = causa_dataset_column(ds, j);
        double *o = x + j * n;
        int64_t first_diff = 1;
        while (first_diff < n && v[first_diff] == v[0]) first_diff++;
        if (first_diff >= n) { /* constant (not just nearly: rounding must not invent variance) */
            memset(o, 0, (size_t)n * sizeof *o);
            zero[j] = 1;
            continue;
        }
        double mean = 0;
        for (int64_t i = 0; i < n; i++) mean += v[i];
        mean /= (double)n;
        double ss = 0;
        for (int64_t i = 0; i < n; i++) ss += (v[i] - mean) * (v[i] - mean);
        double sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
        if (!(sd > 0) || !isfinite(sd)) {
            memset(o, 0, (size_t)n * sizeof *o);
            zero[j] = 1;
            continue;
        }
        for (int64_t i = 0; i < n; i++) o[i] = (v[i] - mean) / sd;
    }
    *out = x;
    *sd_zero = zero;
    return CAUSA_OK;
}

int causa_i_dataset_names(causa_ctx *ctx, const causa_dataset *ds, char ***out) {
    int64_t p = causa_dataset_ncol(ds);
    char **v = causa_i_calloc(ctx, (size_t)(p > 0 ? p : 1), sizeof *v);
    if (!v) return causa_i_nomem(ctx, "variable names", (size_t)p * sizeof *v);
    for (int64_t j = 0; j < p; j++) {
        v[j] = causa_i_strdup(ctx, causa_dataset_name(ds, j));
        if (!v[j]) {
            causa_i_free_names(ctx, j, v);
            return causa_i_nomem(ctx, "variable names", 32);
        }
    }
    *out = v;
    return CAUSA_OK;
}
