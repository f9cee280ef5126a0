/*
 * pc.c: the discovery entry points: options, their validation, the canonical variable
 * order, knowledge matched to the test's variables by name, and the PC pipeline
 * (skeleton.c, then orient.c).
 *
 * The canonical order. PC has order-dependent steps even in its stable form (which
 * separating set is found first, which collider wins a conflict), and the original
 * skeleton is order-dependent throughout. Following the column order would make the
 * output depend on how a file lists its variables; causa instead follows the natural order
 * of the names (digit runs compared as numbers, so X2 < X10, then bytes), which is the
 * column order for the usual X1..Xp files and the same for any permutation of the columns.
 * column_order = 1 restores the column order (as pcalg and causal-learn behave).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fci_i.h"

double causa_i_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void causa_discover_options_init(causa_discover_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->algorithm = CAUSA_ALGO_PC;
    opt->alpha = 0.01;
    opt->depth = -1;
    opt->stable = 1;
    opt->sepsets = CAUSA_SEPSETS_FIRST;
    opt->colliders = CAUSA_COLLIDERS_SEPSETS;
    opt->conflicts = CAUSA_CONFLICT_PRIORITY;
    opt->order = CAUSA_ORDER_AUTO;
    opt->column_order = 0;
    opt->knowledge = NULL;
    opt->possible_dsep = 1;
    opt->max_path_length = -1;
}

static const char *const algo_names[] = {"pc", "fci", "rfci"};
static const char *const collider_names[] = {"sepsets", "conservative", "majority", "maxp"};
static const char *const conflict_names[] = {"priority", "overwrite", "bidirected"};
static const char *const sepset_names[] = {"first", "union"};

const char *causa_algorithm_name(int a) { return a >= 0 && a <= 2 ? algo_names[a] : NULL; }
const char *causa_colliders_name(int c) { return c >= 0 && c <= 3 ? collider_names[c] : NULL; }
const char *causa_conflict_name(int c) { return c >= 0 && c <= 2 ? conflict_names[c] : NULL; }
const char *causa_sepsets_name(int s) { return s >= 0 && s <= 1 ? sepset_names[s] : NULL; }

static int check_options(causa_ctx *ctx, const causa_discover_options *o) {
    if (o->algorithm < CAUSA_ALGO_PC || o->algorithm > CAUSA_ALGO_RFCI)
        return causa_i_error(ctx, CAUSA_EINVAL, "algorithm must be CAUSA_ALGO_PC, _FCI or _RFCI, got %d",
                             o->algorithm);
    if (!(o->alpha > 0 && o->alpha < 1))
        return causa_i_error(ctx, CAUSA_EINVAL, "alpha must be in (0, 1), got %g", o->alpha);
    if (o->depth < -1)
        return causa_i_error(ctx, CAUSA_EINVAL, "depth must be >= 0, or -1 for no limit, got %lld",
                             (long long)o->depth);
    if (o->stable != 0 && o->stable != 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "stable must be 0 or 1, got %d", o->stable);
    if (o->sepsets != CAUSA_SEPSETS_FIRST && o->sepsets != CAUSA_SEPSETS_UNION)
        return causa_i_error(ctx, CAUSA_EINVAL, "sepsets must be CAUSA_SEPSETS_FIRST or _UNION, got %d",
                             o->sepsets);
    if (o->sepsets == CAUSA_SEPSETS_UNION && !o->stable)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "union separating sets need the stable skeleton (the original one "
                             "removes an edge at its first separating set)");
    if (o->colliders < CAUSA_COLLIDERS_SEPSETS || o->colliders > CAUSA_COLLIDERS_MAXP)
        return causa_i_error(ctx, CAUSA_EINVAL, "colliders must be one of CAUSA_COLLIDERS_*, got %d",
                             o->colliders);
    if (o->conflicts < CAUSA_CONFLICT_PRIORITY || o->conflicts > CAUSA_CONFLICT_BIDIRECTED)
        return causa_i_error(ctx, CAUSA_EINVAL, "conflicts must be one of CAUSA_CONFLICT_*, got %d",
                             o->conflicts);
    if (o->order < CAUSA_ORDER_AUTO || o->order > CAUSA_ORDER_SEPARATION)
        return causa_i_error(ctx, CAUSA_EINVAL, "order must be one of CAUSA_ORDER_*, got %d", o->order);
    if (o->column_order != 0 && o->column_order != 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "column_order must be 0 or 1, got %d", o->column_order);
    return o->algorithm == CAUSA_ALGO_PC ? CAUSA_OK : causa_i_fci_check_options(ctx, o);
}

/* ---- the canonical order ---- */

int causa_i_natural_cmp(const char *a, const char *b) {
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p && *q) {
        if (isdigit(*p) && isdigit(*q)) {
            while (*p == '0' && isdigit(p[1])) p++;
            while (*q == '0' && isdigit(q[1])) q++;
            size_t lp = 0, lq = 0;
            while (isdigit(p[lp])) lp++;
            while (isdigit(q[lq])) lq++;
            if (lp != lq) return lp < lq ? -1 : 1;
            int c = memcmp(p, q, lp);
            if (c) return c < 0 ? -1 : 1;
            p += lp;
            q += lq;
            continue;
        }
        if (*p != *q) return *p < *q ? -1 : 1;
        p++;
        q++;
    }
    if (*p || *q) return *p ? 1 : -1;
    int c = strcmp(a, b); /* "X01" and "X1": still a total order */
    return (c > 0) - (c < 0);
}

typedef struct named {
    const char *name;
    int64_t index;
} named;

static int cmp_named(const void *x, const void *y) {
    const named *a = x, *b = y;
    int c = causa_i_natural_cmp(a->name, b->name);
    if (c) return c;
    return (a->index > b->index) - (a->index < b->index);
}

int causa_i_canonical_order(causa_ctx *ctx, const causa_citest *test, int column_order,
                            int64_t *order, int64_t *rank) {
    int64_t p = causa_citest_nvars(test);
    if (column_order) {
        for (int64_t v = 0; v < p; v++) order[v] = rank[v] = v;
        return CAUSA_OK;
    }
    named *v = causa_i_malloc(ctx, (size_t)(p > 0 ? p : 1) * sizeof *v);
    if (!v) return causa_i_nomem(ctx, "variable order", (size_t)p * sizeof *v);
    for (int64_t j = 0; j < p; j++) v[j] = (named){causa_citest_var_name(test, j), j};
    qsort(v, (size_t)p, sizeof *v, cmp_named);
    for (int64_t r = 0; r < p; r++) {
        order[r] = v[r].index;
        rank[v[r].index] = r;
    }
    causa_i_free(ctx, v);
    return CAUSA_OK;
}

/* ---- knowledge matched by name ---- */

static int make_kview(causa_ctx *ctx, const causa_citest *test, const causa_knowledge *k,
                      causa_i_kview *kv) {
    kv->k = NULL;
    kv->kmap = NULL;
    if (!k) return CAUSA_OK;
    int64_t p = causa_citest_nvars(test), kp = causa_knowledge_nvars(k);
    /* Every variable the knowledge says something about must be in the data. */
    unsigned char *used = causa_i_calloc(ctx, (size_t)(kp > 0 ? kp : 1), 1);
    if (!used) return causa_i_nomem(ctx, "knowledge", (size_t)kp);
    for (int64_t v = 0; v < kp; v++) used[v] = causa_knowledge_tier(k, v) > 0;
    for (int which = CAUSA_KNOWLEDGE_FORBIDDEN; which <= CAUSA_KNOWLEDGE_REQUIRED; which++) {
        int64_t n = causa_knowledge_rules(k, which, NULL, NULL);
        int64_t *f = causa_i_malloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *f);
        int64_t *t = causa_i_malloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *t);
        if (!f || !t) {
            causa_i_free(ctx, f);
            causa_i_free(ctx, t);
            causa_i_free(ctx, used);
            return causa_i_nomem(ctx, "knowledge", (size_t)n * 16);
        }
        causa_knowledge_rules(k, which, f, t);
        for (int64_t i = 0; i < n; i++) used[f[i]] = used[t[i]] = 1;
        causa_i_free(ctx, f);
        causa_i_free(ctx, t);
    }
    int rc = CAUSA_OK;
    kv->kmap = causa_i_malloc(ctx, (size_t)(p > 0 ? p : 1) * sizeof *kv->kmap);
    if (!kv->kmap) rc = causa_i_nomem(ctx, "knowledge map", (size_t)p * sizeof *kv->kmap);
    for (int64_t j = 0; j < p && !rc; j++) {
        kv->kmap[j] = causa_knowledge_find(k, causa_citest_var_name(test, j));
        if (kv->kmap[j] >= 0) used[kv->kmap[j]] = 0; /* present in the data */
    }
    for (int64_t v = 0; v < kp && !rc; v++)
        if (used[v])
            rc = causa_i_error(ctx, CAUSA_ENOTFOUND,
                               "the knowledge mentions variable '%s', which the data does not have",
                               causa_knowledge_name(k, v));
    causa_i_free(ctx, used);
    if (rc) {
        causa_i_free(ctx, kv->kmap);
        kv->kmap = NULL;
        return rc;
    }
    kv->k = k;
    return CAUSA_OK;
}

/* ---- entry points ---- */

int causa_discover(causa_ctx *ctx, const causa_citest *test, const causa_discover_options *opt,
                   causa_discovery **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (!test) return causa_i_error(ctx, CAUSA_EMISUSE, "CI test is NULL");
    causa_discover_options defaults;
    if (!opt) {
        causa_discover_options_init(&defaults);
        opt = &defaults;
    }
    int rc = check_options(ctx, opt);
    if (rc) return rc;
    /* FCI and RFCI plug in here: the same result, canonical order, knowledge view and
     * skeleton (causa_i_skeleton_run, whose separating sets causa_i_skeleton_find returns),
     * then their own orientation filling r->graph instead of causa_i_pc_orient. */
    causa_discovery *r = NULL;
    causa_i_kview kv = {NULL, NULL};
    CAUSA_TRY(causa_i_discovery_new(ctx, test, opt, &r));
    CAUSA_TRY(make_kview(ctx, test, opt->knowledge, &kv));
    int64_t p = r->sk.p;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&r->sk.order, (size_t)(p > 0 ? p : 1) * sizeof(int64_t), "variable order"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&r->sk.rank, (size_t)(p > 0 ? p : 1) * sizeof(int64_t), "variable order"));
    CAUSA_TRY(causa_i_canonical_order(ctx, test, opt->column_order, r->sk.order, r->sk.rank));
    CAUSA_TRY(causa_i_skeleton_run(ctx, test, opt, &kv, &r->sk));
    r->seconds[CAUSA_PHASE_SKELETON] = r->sk.seconds;
    double t0 = causa_i_now();
    if (opt->algorithm == CAUSA_ALGO_FCI) CAUSA_TRY(causa_i_fci_orient(ctx, test, &kv, r));
    else if (opt->algorithm == CAUSA_ALGO_RFCI) CAUSA_TRY(causa_i_rfci_orient(ctx, test, &kv, r));
    else CAUSA_TRY(causa_i_pc_orient(ctx, test, &kv, r));
    r->seconds[CAUSA_PHASE_ORIENTATION] = causa_i_now() - t0;
    if (r->fci) { /* FCI's Possible-D-SEP stage is adjacency search: skeleton time */
        r->seconds[CAUSA_PHASE_SKELETON] += r->fci->pds_seconds;
        r->seconds[CAUSA_PHASE_ORIENTATION] -= r->fci->pds_seconds;
    }
done:
    causa_i_free(ctx, kv.kmap);
    if (rc) {
        causa_discovery_free(r);
        return rc;
    }
    *out = r;
    return CAUSA_OK;
}

int causa_discover_data(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *topt,
                        const causa_discover_options *opt, causa_discovery **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (!ds) return causa_i_error(ctx, CAUSA_EMISUSE, "data set is NULL");
    causa_discover_options defaults;
    if (!opt) {
        causa_discover_options_init(&defaults);
        opt = &defaults;
    }
    int rc = check_options(ctx, opt);
    if (rc) return rc;
    causa_citest_options to;
    if (topt) to = *topt;
    else causa_citest_options_init(&to);
    to.alpha = opt->alpha;
    double t0 = causa_i_now();
    causa_citest *test = NULL;
    rc = causa_citest_new(ctx, ds, &to, &test);
    if (rc) return rc;
    double stats = causa_i_now() - t0;
    rc = causa_discover(ctx, test, opt, out);
    causa_citest_free(test);
    if (rc == CAUSA_OK) (*out)->seconds[CAUSA_PHASE_STATISTICS] = stats;
    return rc;
}
