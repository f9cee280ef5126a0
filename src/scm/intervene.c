/*
 * intervene.c: interventions: checking them against a model, resolving them into a
 * per-node plan (which nodes are set, shifted or redrawn, and which are downstream of an
 * intervention), and parsing the "X=1,Z=yes" and "X=normal(0,1),S=categorical(no=1,yes=3)"
 * texts of the CLI and Python.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scm_i.h"

void causa_scm_query_options_init(causa_scm_query_options *opt) {
    memset(opt, 0, sizeof *opt);
}

uint64_t causa_i_scm_seed(causa_ctx *ctx, const causa_scm_query_options *opt) {
    return opt && opt->seed ? opt->seed : causa_ctx_seed(ctx);
}

void causa_i_plan_free(causa_ctx *ctx, causa_i_plan *plan) {
    causa_i_free(ctx, plan->kind);
    causa_i_free(ctx, plan->value);
    causa_i_free(ctx, (void *)plan->dist);
    causa_i_free(ctx, plan->affected);
    memset(plan, 0, sizeof *plan);
}

int causa_i_plan_make(causa_ctx *ctx, const causa_scm *scm, const causa_intervention *iv,
                      int64_t niv, causa_i_plan *plan) {
    int rc = CAUSA_OK;
    memset(plan, 0, sizeof *plan);
    size_t pp = (size_t)(scm->p > 0 ? scm->p : 1);
    if (niv < 0 || (niv > 0 && !iv))
        return causa_i_error(ctx, CAUSA_EINVAL, "bad list of interventions (%lld, %s)",
                             (long long)niv, iv ? "non-NULL" : "NULL");
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&plan->kind, pp * sizeof(int), "an intervention plan"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&plan->value, pp * sizeof(double), "an intervention plan"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&plan->dist, pp * sizeof(causa_dist *), "an intervention plan"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&plan->affected, pp, "an intervention plan"));
    for (int64_t i = 0; i < niv; i++) {
        int64_t v = iv[i].node;
        if (v < 0 || v >= scm->p) {
            rc = causa_i_error(ctx, CAUSA_EINVAL, "intervention %lld: node %lld is out of range",
                               (long long)i + 1, (long long)v);
            goto done;
        }
        const char *name = causa_scm_name(scm, v);
        if (plan->kind[v]) {
            rc = causa_i_error(ctx, CAUSA_EINVAL, "'%s' is intervened on twice", name);
            goto done;
        }
        int discrete = scm->type[v] == CAUSA_DISCRETE;
        double x = iv[i].value;
        switch (iv[i].kind) {
        case CAUSA_DO_SET:
            if (!isfinite(x)) {
                rc = causa_i_error(ctx, CAUSA_EINVAL, "do(%s = %g): the value must be finite", name, x);
                goto done;
            }
            if (discrete && !(x >= 0 && x < (double)scm->nlevels[v] && x == floor(x))) {
                rc = causa_i_error(ctx, CAUSA_EINVAL,
                                   "do(%s = %g): a discrete node takes a level code in 0..%lld",
                                   name, x, (long long)scm->nlevels[v] - 1);
                goto done;
            }
            break;
        case CAUSA_DO_SHIFT:
            if (discrete) {
                rc = causa_i_error(ctx, CAUSA_EINVAL, "'%s' is discrete: it cannot be shifted", name);
                goto done;
            }
            if (!isfinite(x)) {
                rc = causa_i_error(ctx, CAUSA_EINVAL, "shift of '%s' by %g: must be finite", name, x);
                goto done;
            }
            break;
        case CAUSA_DO_DIST:
            rc = causa_dist_check(ctx, &iv[i].dist);
            if (rc) {
                rc = causa_i_scm_prefix_error(ctx, rc, "intervention on '%s'", name);
                goto done;
            }
            if (discrete != (iv[i].dist.kind == CAUSA_DIST_CATEGORICAL)) {
                rc = causa_i_error(ctx, CAUSA_EINVAL,
                                   discrete ? "intervention on '%s': a discrete node is drawn from "
                                              "a categorical distribution"
                                            : "intervention on '%s': a continuous node cannot be "
                                              "drawn from a categorical distribution",
                                   name);
                goto done;
            }
            if (discrete && iv[i].dist.nvalues != scm->nlevels[v]) {
                rc = causa_i_error(ctx, CAUSA_EINVAL,
                                   "intervention on '%s': %lld weights for %lld levels", name,
                                   (long long)iv[i].dist.nvalues, (long long)scm->nlevels[v]);
                goto done;
            }
            plan->dist[v] = &iv[i].dist;
            break;
        default:
            rc = causa_i_error(ctx, CAUSA_EINVAL, "intervention on '%s': unknown kind %d", name,
                               iv[i].kind);
            goto done;
        }
        plan->kind[v] = iv[i].kind;
        plan->value[v] = x;
    }
    /* Downstream of an intervention, in topological order. */
    for (int64_t t = 0; t < scm->p; t++) {
        int64_t v = scm->order[t];
        unsigned char a = plan->kind[v] != 0;
        for (int64_t k = scm->par_off[v]; k < scm->par_off[v + 1] && !a; k++)
            a = plan->affected[scm->par[k]];
        plan->affected[v] = a;
    }
done:
    if (rc) causa_i_plan_free(ctx, plan);
    return rc;
}

/* ---- parsing ---- */

static void trim(const char **s, const char **e) {
    while (*s < *e && (**s == ' ' || **s == '\t')) (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t')) (*e)--;
}

int causa_scm_parse_interventions(causa_ctx *ctx, const causa_scm *scm, const char *text,
                                  int kind, causa_intervention *out, int64_t cap,
                                  int64_t *count) {
    if (!scm || !text || !count || (cap > 0 && !out))
        return causa_i_error(ctx, CAUSA_EINVAL, "causa_scm_parse_interventions: NULL argument");
    if (kind != CAUSA_DO_SET && kind != CAUSA_DO_SHIFT)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "causa_scm_parse_interventions: kind must be CAUSA_DO_SET or "
                             "CAUSA_DO_SHIFT (stochastic interventions: "
                             "causa_scm_parse_dist_interventions)");
    const char *what = kind == CAUSA_DO_SET ? "do" : "shift";
    int64_t n0 = *count, n = *count;
    const char *s = text;
    int rc = CAUSA_OK;
    char name[512], val[512];
    for (;;) {
        const char *e = strchr(s, ',');
        if (!e) e = s + strlen(s);
        const char *a = s, *b = e;
        trim(&a, &b);
        const char *eq = memchr(a, '=', (size_t)(b - a));
        if (!eq) {
            rc = causa_i_error(ctx, CAUSA_EINVAL, "%s: expected NAME=VALUE, got '%.*s'", what,
                               (int)CAUSA_MIN(b - a, 200), a);
            goto fail;
        }
        const char *na = a, *nb = eq, *va = eq + 1, *vb = b;
        trim(&na, &nb);
        trim(&va, &vb);
        if (nb == na || vb == va || (size_t)(nb - na) >= sizeof name || (size_t)(vb - va) >= sizeof val) {
            rc = causa_i_error(ctx, CAUSA_EINVAL, "%s: expected NAME=VALUE, got '%.*s'", what,
                               (int)CAUSA_MIN(b - a, 200), a);
            goto fail;
        }
        memcpy(name, na, (size_t)(nb - na));
        name[nb - na] = 0;
        memcpy(val, va, (size_t)(vb - va));
        val[vb - va] = 0;
        int64_t v = causa_scm_find(scm, name);
        if (v < 0) {
            rc = causa_i_error(ctx, CAUSA_ENOTFOUND, "%s: unknown variable '%s'", what, name);
            goto fail;
        }
        for (int64_t i = 0; i < n; i++)
            if (out[i].node == v) {
                rc = causa_i_error(ctx, CAUSA_EINVAL, "%s: '%s' is named twice", what, name);
                goto fail;
            }
        double x = 0;
        if (scm->type[v] == CAUSA_DISCRETE) {
            if (kind == CAUSA_DO_SHIFT) {
                rc = causa_i_error(ctx, CAUSA_EINVAL, "shift: '%s' is discrete: it cannot be shifted",
                                   name);
                goto fail;
            }
            int64_t k = causa_scm_find_level(scm, v, val);
            if (k < 0) {
                char *end;
                errno = 0;
                long long c = strtoll(val, &end, 10);
                if (!*end && !errno && c >= 0 && c < scm->nlevels[v]) k = c;
            }
            if (k < 0) {
                /* List the levels (shortened) in the message. */
                causa_i_buf b2;
                causa_i_buf_init(&b2, ctx);
                for (int64_t l = 0; l < scm->nlevels[v] && b2.len < 300; l++)
                    causa_i_buf_printf(&b2, "%s%s", l ? ", " : "", scm->levels[v][l]);
                rc = causa_i_error(ctx, CAUSA_ENOTFOUND, "%s: variable '%s' has no level '%s' (levels: %s%s)",
                                   what, name, val, b2.data ? b2.data : "",
                                   b2.len >= 300 ? ", ..." : "");
                causa_i_buf_free(&b2);
                goto fail;
            }
            x = (double)k;
        } else {
            char *end;
            errno = 0;
            x = strtod(val, &end);
            if (*end || !isfinite(x) || errno == ERANGE) {
                rc = causa_i_error(ctx, CAUSA_EINVAL, "%s: the value of '%s' must be a finite number, got '%s'",
                                   what, name, val);
                goto fail;
            }
        }
        if (n >= cap) {
            rc = causa_i_error(ctx, CAUSA_EINVAL, "%s: more than %lld interventions", what, (long long)cap);
            goto fail;
        }
        memset(&out[n], 0, sizeof out[n]);
        out[n].node = v;
        out[n].kind = kind;
        out[n].value = x;
        out[n].dist = causa_dist_none();
        n++;
        if (!*e) break;
        s = e + 1;
    }
    *count = n;
    return CAUSA_OK;
fail:
    *count = n0;
    return rc;
}

/* ---- parsing stochastic interventions ----
 * "X=normal(3,2),S=categorical(no=0.2,yes=0.8)": items split at the commas outside
 * parentheses; each is NAME=FAMILY(ARGS). The messages quote the item as written. */

/* The level names of v, comma-separated and shortened, into buf (no allocation, so the
 * message survives an allocator that fails). */
static void level_list(const causa_scm *scm, int64_t v, char *buf, size_t size) {
    size_t len = 0;
    buf[0] = 0;
    for (int64_t l = 0; l < scm->nlevels[v]; l++) {
        int w = snprintf(buf + len, size - len, "%s%s", l ? ", " : "", scm->levels[v][l]);
        if (w < 0 || (size_t)w >= size - len || len + (size_t)w > 240) {
            snprintf(buf + len, size - len, "%s", ", ...");
            return;
        }
        len += (size_t)w;
    }
}

/* A finite number filling [a, b), or 0. */
static int parse_number(const char *a, const char *b, double *x) {
    char tmp[128];
    if (b <= a || (size_t)(b - a) >= sizeof tmp) return 0;
    memcpy(tmp, a, (size_t)(b - a));
    tmp[b - a] = 0;
    char *end;
    errno = 0;
    *x = strtod(tmp, &end);
    return *end == 0 && isfinite(*x) && errno != ERANGE;
}

#define DD_MAXARGS 256

/* Parses the DIST of one item (between fa and fb, already trimmed) for node v into *d; a
 * categorical's weights go to w (room for at least nlevels(v) doubles, or NULL when there is
 * none). `item` / `ilen` is the whole item, for the messages. */
static int parse_one_dist(causa_ctx *ctx, const causa_scm *scm, int64_t v, const char *fa,
                          const char *fb, const char *item, int ilen, double *w, int64_t wroom,
                          causa_dist *d) {
    static const char *const expected =
        "expected normal(MEAN,SD), uniform(LOW,HIGH), laplace(LOC,SCALE), student-t(DF) or "
        "student-t(DF,LOC,SCALE), or for a discrete node categorical(LEVEL=WEIGHT,...)";
    const char *name = causa_scm_name(scm, v);
    int discrete = scm->type[v] == CAUSA_DISCRETE;
    const char *open = memchr(fa, '(', (size_t)(fb - fa));
    if (!open)
        return causa_i_error(ctx, CAUSA_EINVAL, "do-dist: '%.*s': %s", ilen, item, expected);
    if (fb[-1] != ')') {
        const char *close = memchr(open, ')', (size_t)(fb - open));
        if (close)
            return causa_i_error(ctx, CAUSA_EINVAL, "do-dist: '%.*s': unexpected '%.*s' after ')'",
                                 ilen, item, (int)CAUSA_MIN(fb - close - 1, 60), close + 1);
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "do-dist: '%.*s': expected ')' at the end of the distribution",
                             ilen, item);
    }
    const char *na = fa, *nb = open;
    trim(&na, &nb);
    char family[32];
    int kind = -1;
    if (nb > na && (size_t)(nb - na) < sizeof family) {
        memcpy(family, na, (size_t)(nb - na));
        family[nb - na] = 0;
        kind = causa_dist_from_name(family);
    }
    if (kind <= CAUSA_DIST_NONE || kind == CAUSA_DIST_EMPIRICAL)
        return causa_i_error(ctx, CAUSA_EINVAL, "do-dist: '%.*s': unknown distribution '%.*s'; %s",
                             ilen, item, (int)CAUSA_MIN(nb - na, 40), na, expected);
    /* The arguments: split at the commas between the parentheses. */
    const char *arg_a[DD_MAXARGS], *arg_b[DD_MAXARGS];
    int nargs = 0;
    const char *s = open + 1, *end = fb - 1;
    if (memchr(s, '(', (size_t)(end - s)) || memchr(s, ')', (size_t)(end - s)))
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "do-dist: '%.*s': expected numbers between the parentheses, found "
                             "another parenthesis",
                             ilen, item);
    const char *ta = s, *tb = end;
    trim(&ta, &tb);
    if (tb > ta) {
        for (;;) {
            const char *c = memchr(s, ',', (size_t)(end - s));
            const char *e = c ? c : end;
            if (nargs == DD_MAXARGS)
                return causa_i_error(ctx, CAUSA_EINVAL, "do-dist: '%.*s': more than %d arguments",
                                     ilen, item, DD_MAXARGS);
            arg_a[nargs] = s, arg_b[nargs] = e;
            trim(&arg_a[nargs], &arg_b[nargs]);
            if (arg_b[nargs] == arg_a[nargs])
                return causa_i_error(ctx, CAUSA_EINVAL, "do-dist: '%.*s': empty argument %d",
                                     ilen, item, nargs + 1);
            nargs++;
            if (!c) break;
            s = c + 1;
        }
    }
    const char *fam = family; /* as written: "normal", "gaussian", "t"... */
    if (discrete && kind != CAUSA_DIST_CATEGORICAL) {
        char levels[320];
        level_list(scm, v, levels, sizeof levels);
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "do-dist: '%.*s': '%s' is discrete: it takes "
                             "categorical(LEVEL=WEIGHT,...) (levels: %s)",
                             ilen, item, name, levels);
    }
    if (!discrete && kind == CAUSA_DIST_CATEGORICAL)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "do-dist: '%.*s': '%s' is continuous: categorical is for discrete "
                             "nodes (use normal, uniform, laplace or student-t)",
                             ilen, item, name);
    if (kind != CAUSA_DIST_CATEGORICAL) {
        double x[3] = {0, 0, 0};
        int want = kind == CAUSA_DIST_STUDENT_T ? (nargs == 1 ? 1 : 3) : 2;
        if (nargs != want) {
            if (kind == CAUSA_DIST_STUDENT_T)
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "do-dist: '%.*s': expected %s(DF) or %s(DF,LOC,SCALE), got "
                                     "%d arguments", ilen, item, fam, fam, nargs);
            const char *form = kind == CAUSA_DIST_GAUSSIAN  ? "MEAN,SD"
                               : kind == CAUSA_DIST_UNIFORM ? "LOW,HIGH"
                                                            : "LOC,SCALE";
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "do-dist: '%.*s': expected %s(%s), got %d argument%s", ilen,
                                 item, fam, form, nargs, nargs == 1 ? "" : "s");
        }
        for (int i = 0; i < nargs; i++)
            if (!parse_number(arg_a[i], arg_b[i], &x[i]))
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "do-dist: '%.*s': argument %d of %s must be a finite number, "
                                     "got '%.*s'",
                                     ilen, item, i + 1, fam,
                                     (int)CAUSA_MIN(arg_b[i] - arg_a[i], 60), arg_a[i]);
        switch (kind) {
        case CAUSA_DIST_GAUSSIAN:
            if (!(x[1] > 0))
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "do-dist: '%.*s': the standard deviation SD must be > 0, "
                                     "got %g", ilen, item, x[1]);
            *d = causa_dist_gaussian(x[0], x[1]);
            break;
        case CAUSA_DIST_LAPLACE:
            if (!(x[1] > 0))
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "do-dist: '%.*s': the scale must be > 0, got %g", ilen,
                                     item, x[1]);
            *d = causa_dist_laplace(x[0], x[1]);
            break;
        case CAUSA_DIST_UNIFORM:
            if (!(x[0] < x[1]))
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "do-dist: '%.*s': uniform needs LOW < HIGH, got %g and %g",
                                     ilen, item, x[0], x[1]);
            *d = causa_dist_uniform(x[0], x[1]);
            break;
        default: /* Student-t: df first, as scipy.stats.t(df, loc, scale) */
            if (!(x[0] > 0))
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "do-dist: '%.*s': the degrees of freedom DF must be > 0, "
                                     "got %g", ilen, item, x[0]);
            if (nargs == 1) x[2] = 1;
            if (!(x[2] > 0))
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "do-dist: '%.*s': the scale must be > 0, got %g", ilen,
                                     item, x[2]);
            *d = causa_dist_student_t(x[1], x[2], x[0]);
            break;
        }
        return CAUSA_OK;
    }
    /* Categorical: LEVEL=WEIGHT pairs (unlisted levels weigh 0), or one weight per level in
     * level order. */
    int64_t K = scm->nlevels[v];
    char levels[320];
    if (!w || wroom < K)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "do-dist: '%.*s': no room for the %lld weights (the weights "
                             "buffer holds %lld more)",
                             ilen, item, (long long)K, (long long)(wroom > 0 ? wroom : 0));
    if (nargs == 0) {
        level_list(scm, v, levels, sizeof levels);
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "do-dist: '%.*s': categorical needs weights, e.g. "
                             "categorical(%s=1) (levels: %s)",
                             ilen, item, scm->levels[v][0], levels);
    }
    int named = memchr(arg_a[0], '=', (size_t)(arg_b[0] - arg_a[0])) != NULL;
    for (int64_t k = 0; k < K; k++) w[k] = 0;
    if (!named && nargs != K) {
        level_list(scm, v, levels, sizeof levels);
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "do-dist: '%.*s': categorical takes one weight per level of '%s' "
                             "(%lld: %s), or LEVEL=WEIGHT pairs; got %d weights",
                             ilen, item, name, (long long)K, levels, nargs);
    }
    unsigned char seen[DD_MAXARGS];
    int64_t seen_k[DD_MAXARGS];
    memset(seen, 0, sizeof seen);
    for (int i = 0; i < nargs; i++) {
        const char *a = arg_a[i], *b = arg_b[i];
        const char *eq = memchr(a, '=', (size_t)(b - a));
        if ((eq != NULL) != named)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "do-dist: '%.*s': give every weight as LEVEL=WEIGHT, or none "
                                 "(one weight per level, in level order)",
                                 ilen, item);
        int64_t k = i;
        const char *va = a, *vb = b;
        if (named) {
            const char *la = a, *lb = eq;
            trim(&la, &lb);
            va = eq + 1;
            trim(&va, &vb);
            char lev[256];
            k = -1;
            if (lb > la && (size_t)(lb - la) < sizeof lev) {
                memcpy(lev, la, (size_t)(lb - la));
                lev[lb - la] = 0;
                k = causa_scm_find_level(scm, v, lev);
                if (k < 0) {
                    char *e2;
                    errno = 0;
                    long long c = strtoll(lev, &e2, 10);
                    if (!*e2 && !errno && c >= 0 && c < K) k = c;
                }
            }
            if (k < 0) {
                level_list(scm, v, levels, sizeof levels);
                return causa_i_error(ctx, CAUSA_ENOTFOUND,
                                     "do-dist: '%.*s': variable '%s' has no level '%.*s' "
                                     "(levels: %s)",
                                     ilen, item, name, (int)CAUSA_MIN(lb - la, 60), la, levels);
            }
            for (int j = 0; j < i; j++)
                if (seen[j] && seen_k[j] == k)
                    return causa_i_error(ctx, CAUSA_EINVAL,
                                         "do-dist: '%.*s': level '%s' is given twice", ilen,
                                         item, scm->levels[v][k]);
            seen[i] = 1;
            seen_k[i] = k;
        }
        double x;
        if (!parse_number(va, vb, &x) || x < 0)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "do-dist: '%.*s': the weight of level '%s' must be a finite "
                                 "number >= 0, got '%.*s'",
                                 ilen, item, scm->levels[v][k], (int)CAUSA_MIN(vb - va, 60), va);
        w[k] = x;
    }
    double total = 0;
    for (int64_t k = 0; k < K; k++) total += w[k];
    if (!(total > 0) || !isfinite(total))
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "do-dist: '%.*s': the weights must have a positive finite sum",
                             ilen, item);
    *d = causa_dist_categorical(w, K);
    return CAUSA_OK;
}

int causa_scm_parse_dist_interventions(causa_ctx *ctx, const causa_scm *scm, const char *text,
                                       causa_intervention *out, int64_t cap, int64_t *count,
                                       double *weights, int64_t wcap, int64_t *nweights) {
    if (!scm || !text || !count || (cap > 0 && !out) || (wcap > 0 && (!weights || !nweights)) ||
        wcap < 0)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "causa_scm_parse_dist_interventions: NULL argument or negative "
                             "capacity");
    int64_t n0 = *count, n = *count;
    int64_t nw0 = nweights ? *nweights : 0, nw = nw0;
    if (n0 < 0 || nw0 < 0 || nw0 > wcap)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "causa_scm_parse_dist_interventions: bad counts (%lld, %lld)",
                             (long long)n0, (long long)nw0);
    const char *s = text;
    int rc = CAUSA_OK;
    for (;;) {
        /* The item ends at the first comma outside parentheses. */
        const char *e = s;
        int depth = 0;
        for (; *e && !(*e == ',' && depth == 0); e++) {
            if (*e == '(') depth++;
            else if (*e == ')' && depth > 0) depth--;
        }
        const char *a = s, *b = e;
        trim(&a, &b);
        int ilen = (int)CAUSA_MIN(b - a, 200);
        const char *eq = memchr(a, '=', (size_t)(b - a));
        const char *na = a, *nb = eq ? eq : a, *fa = eq ? eq + 1 : b, *fb = b;
        trim(&na, &nb);
        trim(&fa, &fb);
        char name[512];
        if (!eq || nb == na || fb == fa || (size_t)(nb - na) >= sizeof name) {
            rc = causa_i_error(ctx, CAUSA_EINVAL,
                               "do-dist: expected NAME=DIST such as X=normal(0,1), got '%.*s'",
                               ilen, a);
            goto fail;
        }
        memcpy(name, na, (size_t)(nb - na));
        name[nb - na] = 0;
        int64_t v = causa_scm_find(scm, name);
        if (v < 0) {
            rc = causa_i_error(ctx, CAUSA_ENOTFOUND, "do-dist: unknown variable '%s'", name);
            goto fail;
        }
        for (int64_t i = 0; i < n; i++)
            if (out[i].node == v) {
                rc = causa_i_error(ctx, CAUSA_EINVAL,
                                   "do-dist: '%s' is named twice (one intervention per node)",
                                   name);
                goto fail;
            }
        if (n >= cap) {
            rc = causa_i_error(ctx, CAUSA_EINVAL, "do-dist: more than %lld interventions",
                               (long long)cap);
            goto fail;
        }
        causa_dist d;
        rc = parse_one_dist(ctx, scm, v, fa, fb, a, ilen, weights ? weights + nw : NULL,
                            wcap - nw, &d);
        if (rc) goto fail;
        memset(&out[n], 0, sizeof out[n]);
        out[n].node = v;
        out[n].kind = CAUSA_DO_DIST;
        out[n].value = 0;
        out[n].dist = d;
        if (d.kind == CAUSA_DIST_CATEGORICAL) nw += d.nvalues;
        n++;
        if (!*e) break;
        s = e + 1;
    }
    *count = n;
    if (nweights) *nweights = nw;
    return CAUSA_OK;
fail:
    *count = n0;
    if (nweights) *nweights = nw0;
    return rc;
}
