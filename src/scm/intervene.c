/*
 * intervene.c: interventions: checking them against a model, resolving them into a
 * per-node plan (which nodes are set, shifted or redrawn, and which are downstream of an
 * intervention), and parsing the "X=1,Z=yes" text of the CLI and Python.
 */
#include <errno.h>
#include <math.h>
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
                             "CAUSA_DO_SHIFT");
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
