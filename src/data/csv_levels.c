/*
 * csv_levels.c: level names of discrete columns while a CSV file is read, and the final
 * ordering of levels.
 *
 * Each discrete column has an open-addressing hash table (linear probing, FNV-1a hashes,
 * load factor at most 1/2) from token text to code. Texts live in one pool per column, so
 * a column with few levels costs a few small allocations however many rows it has.
 *
 * Level order (docs/FORMATS.md): when every level of a column is a number, levels are
 * sorted by value (ties by first appearance); otherwise they keep the order in which they
 * first appear in the file. Levels that only occur in dropped rows are removed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_i.h"

void causa_i_csv_levels_init(csv_levels *t, causa_ctx *ctx) {
    memset(t, 0, sizeof *t);
    t->ctx = ctx;
    causa_i_buf_init(&t->pool, ctx);
}

void causa_i_csv_levels_free(csv_levels *t) {
    causa_i_free(t->ctx, t->slot);
    causa_i_free(t->ctx, t->lv);
    causa_i_buf_free(&t->pool);
    t->slot = NULL;
    t->lv = NULL;
    t->n = t->cap = t->lv_cap = 0;
}

static uint64_t fnv1a(const char *s, size_t len) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static int grow_slots(csv_levels *t) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    uint32_t *slot = causa_i_calloc(t->ctx, cap, sizeof *slot);
    if (!slot) return causa_i_nomem(t->ctx, "a table of level names", cap * sizeof *slot);
    for (size_t k = 0; k < t->n; k++) {
        size_t h = (size_t)t->lv[k].hash & (cap - 1);
        while (slot[h]) h = (h + 1) & (cap - 1);
        slot[h] = (uint32_t)(k + 1);
    }
    causa_i_free(t->ctx, t->slot);
    t->slot = slot;
    t->cap = cap;
    return CAUSA_OK;
}

int causa_i_csv_levels_intern(csv_levels *t, const char *s, size_t len, int64_t first,
                              int64_t *code, int *added) {
    *added = 0;
    uint64_t h = fnv1a(s, len);
    if (t->cap) {
        size_t k = (size_t)h & (t->cap - 1);
        for (uint32_t e; (e = t->slot[k]); k = (k + 1) & (t->cap - 1)) {
            csv_level *l = &t->lv[e - 1];
            if (l->hash == h && l->len == len && memcmp(t->pool.data + l->off, s, len) == 0) {
                if (first < l->first) l->first = first;
                *code = (int64_t)(e - 1);
                return CAUSA_OK;
            }
        }
    }
    if (t->n >= UINT32_MAX - 1)
        return causa_i_error(t->ctx, CAUSA_EDATA, "a column has more than %u distinct values",
                             UINT32_MAX - 2);
    int rc;
    if (2 * (t->n + 1) > t->cap && (rc = grow_slots(t))) return rc;
    if (t->n == t->lv_cap) {
        size_t cap = t->lv_cap ? t->lv_cap * 2 : 8;
        csv_level *lv = causa_i_realloc(t->ctx, t->lv, cap * sizeof *lv);
        if (!lv) return causa_i_nomem(t->ctx, "a table of level names", cap * sizeof *lv);
        t->lv = lv;
        t->lv_cap = cap;
    }
    size_t off = t->pool.len;
    if ((rc = causa_i_buf_reserve(&t->pool, len + 1))) return rc;
    memcpy(t->pool.data + off, s, len);
    t->pool.data[off + len] = '\0';
    t->pool.len += len + 1;
    t->lv[t->n] = (csv_level){h, off, len, first};
    size_t k = (size_t)h & (t->cap - 1);
    while (t->slot[k]) k = (k + 1) & (t->cap - 1);
    t->slot[k] = (uint32_t)(t->n + 1);
    *code = (int64_t)t->n++;
    *added = 1;
    return CAUSA_OK;
}

/* ---- final order ---- */

typedef struct order_item {
    double value; /* numeric value of the level (when all are numbers) */
    int64_t first, old;
} order_item;

static int by_value(const void *a, const void *b) {
    const order_item *x = a, *y = b;
    if (x->value != y->value) return x->value < y->value ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

static int by_first(const void *a, const void *b) {
    const order_item *x = a, *y = b;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    return (x->old > y->old) - (x->old < y->old);
}

int causa_i_csv_levels_finish(csv_levels *t, causa_dataset *ds, int64_t j) {
    causa_ctx *ctx = t->ctx;
    int rc = CAUSA_OK;
    int64_t *used = NULL, *recode = NULL;
    order_item *items = NULL;
    const char **names = NULL;
    double *col = ds->data + j * ds->n;
    size_t L = t->n ? t->n : 1;
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&used, L * sizeof *used, "level counts"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&recode, L * sizeof *recode, "level codes"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&items, L * sizeof *items, "level order"));
    for (int64_t i = 0; i < ds->n; i++) used[(int64_t)col[i]]++;
    size_t k = 0;
    int numeric = 1;
    for (size_t c = 0; c < t->n; c++) {
        if (!used[c]) continue;
        const char *s = csv_levels_text(t, c), *stop;
        double v = 0;
        if (numeric && !(causa_i_parse_double(s, s + t->lv[c].len, &v, &stop) == CAUSA_I_NUM_OK &&
                         stop == s + t->lv[c].len))
            numeric = 0;
        items[k++] = (order_item){v, t->lv[c].first, (int64_t)c};
    }
    qsort(items, k, sizeof *items, numeric ? by_value : by_first);
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&names, (k ? k : 1) * sizeof *names, "level names"));
    for (size_t r = 0; r < k; r++) {
        recode[items[r].old] = (int64_t)r;
        names[r] = csv_levels_text(t, (size_t)items[r].old);
    }
    for (int64_t i = 0; i < ds->n; i++) col[i] = (double)recode[(int64_t)col[i]];
    char **block = causa_i_levels_new(ctx, (int64_t)k, names);
    if (!block) {
        rc = causa_i_nomem(ctx, "level names", t->pool.len + k * sizeof(char *));
        goto done;
    }
    causa_i_dataset_take_levels(ds, j, (int64_t)k, block);
done:
    causa_i_free(ctx, names);
    causa_i_free(ctx, items);
    causa_i_free(ctx, recode);
    causa_i_free(ctx, used);
    return rc;
}

/* ---- integer columns with few values ---- */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int causa_i_csv_integer_levels(causa_ctx *ctx, causa_dataset *ds, int64_t j, int64_t max_levels) {
    double *col = ds->data + j * ds->n;
    int64_t n = ds->n;
    for (int64_t i = 0; i < n; i++)
        if (!(col[i] == floor(col[i]) && fabs(col[i]) < 9007199254740992.0)) return CAUSA_OK;
    /* Distinct values in a small hash set, given up as soon as there are too many. */
    int64_t limit = max_levels < n ? max_levels : n;
    size_t cap = 16;
    while (cap < 2 * (size_t)(limit + 1)) cap *= 2;
    int rc = CAUSA_OK;
    double *set = NULL, *vals = NULL;
    unsigned char *full = NULL;
    char **block = NULL;
    const char **names = NULL;
    char *text = NULL;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&set, cap * sizeof *set, "distinct values"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&full, cap, "distinct values"));
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = col[i] == 0 ? 0.0 : col[i]; /* -0 and 0 are one level */
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits);
        size_t h = (size_t)((bits * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
        while (full[h] && set[h] != v) h = (h + 1) & (cap - 1);
        if (full[h]) continue;
        if (++k > limit) goto done; /* too many: the column stays continuous */
        full[h] = 1;
        set[h] = v;
    }
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&vals, (size_t)(k ? k : 1) * sizeof *vals, "levels"));
    for (size_t h = 0, m = 0; h < cap; h++)
        if (full[h]) vals[m++] = set[h];
    qsort(vals, (size_t)k, sizeof *vals, cmp_double);
    /* Names: the integers, at most 17 characters each. */
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&text, (size_t)(k ? k : 1) * 24, "level names"));
    CAUSA_TRY(
        causa_i_alloc(ctx, (void **)&names, (size_t)(k ? k : 1) * sizeof *names, "level names"));
    for (int64_t c = 0; c < k; c++) {
        snprintf(text + 24 * c, 24, "%lld", (long long)vals[c]);
        names[c] = text + 24 * c;
    }
    block = causa_i_levels_new(ctx, k, names);
    if (!block) {
        rc = causa_i_nomem(ctx, "level names", (size_t)k * 32);
        goto done;
    }
    for (int64_t i = 0; i < n; i++) {
        double v = col[i];
        int64_t lo = 0, hi = k - 1;
        while (lo < hi) { /* first value >= v; v is present */
            int64_t mid = lo + (hi - lo) / 2;
            if (vals[mid] < v)
                lo = mid + 1;
            else
                hi = mid;
        }
        col[i] = (double)lo;
    }
    causa_i_dataset_take_levels(ds, j, k, block);
done:
    causa_i_free(ctx, names);
    causa_i_free(ctx, text);
    causa_i_free(ctx, vals);
    causa_i_free(ctx, full);
    causa_i_free(ctx, set);
    return rc;
}
