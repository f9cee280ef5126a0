/*
 * mechanism.c: setting and reading the mechanism of a node. Every setter goes through
 * causa_scm_set_mechanism, which checks the description against the node's type and
 * inputs, copies it, and only then replaces the old mechanism (on error the model is
 * unchanged).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "basis_i.h"
#include "scm_i.h"

/* ---- names ---- */

static const char *const mech_names[] = {"none", "root", "linear", "poly",
                                         "spline", "mlp", "cpt", "logistic"};
static const char *const act_names[] = {"tanh", "relu", "sigmoid", "identity"};

const char *causa_mech_name(int kind) {
    if (kind < 0 || kind > CAUSA_MECH_LOGISTIC) return NULL;
    return mech_names[kind];
}

int causa_mech_from_name(const char *name) {
    if (!name) return -1;
    for (int k = 0; k <= CAUSA_MECH_LOGISTIC; k++)
        if (strcasecmp(name, mech_names[k]) == 0) return k;
    return -1;
}

const char *causa_activation_name(int act) {
    if (act < 0 || act > CAUSA_ACT_IDENTITY) return NULL;
    return act_names[act];
}

int causa_activation_from_name(const char *name) {
    if (!name) return -1;
    for (int k = 0; k <= CAUSA_ACT_IDENTITY; k++)
        if (strcasecmp(name, act_names[k]) == 0) return k;
    return -1;
}

void causa_mechanism_init(causa_mechanism *m) {
    memset(m, 0, sizeof *m);
    m->kind = CAUSA_MECH_NONE;
    m->noise = causa_dist_none();
    m->activation = CAUSA_ACT_TANH;
}

/* ---- checks ---- */

static int check_finite(causa_ctx *ctx, const causa_scm *scm, int64_t v, const char *what,
                        const double *x, int64_t n) {
    if (n > 0 && !x)
        return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': %s is NULL", causa_scm_name(scm, v),
                             what);
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': %s %lld is %g",
                                 causa_scm_name(scm, v), what, (long long)i + 1, x[i]);
    return CAUSA_OK;
}

static int need_count(causa_ctx *ctx, const causa_scm *scm, int64_t v, const char *family,
                      const char *what, int64_t want, int64_t got) {
    if (want == got) return CAUSA_OK;
    return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': %s needs %lld %s, got %lld",
                         causa_scm_name(scm, v), family, (long long)want, what, (long long)got);
}

/* Number of MLP weights for m inputs and the hidden layers; -1 on overflow. */
static int64_t mlp_nweights(int64_t m, int64_t nhidden, const int64_t *hidden) {
    int64_t in = m, total = 0;
    for (int64_t l = 0; l <= nhidden; l++) {
        int64_t o = l < nhidden ? hidden[l] : 1;
        if (o < 1 || o > 1 << 20 || in > 1 << 20) return -1;
        total += (in + 1) * o;
        if (total > (int64_t)1 << 40) return -1;
        in = o;
    }
    return total;
}

/* The checks of set_mechanism; on success *nrows holds the CPT row count. */
static int check_mechanism(causa_ctx *ctx, const causa_scm *scm, int64_t v,
                           const causa_mechanism *d, int64_t *nrows) {
    int rc = CAUSA_OK;
    const char *name = causa_scm_name(scm, v);
    int64_t np = 0;
    const int64_t *par = causa_scm_parents(scm, v, &np);
    int64_t m = causa_scm_ninputs(scm, v);
    int discrete = scm->type[v] == CAUSA_DISCRETE;
    int64_t K = scm->nlevels[v];
    const char *fam = causa_mech_name(d->kind);
    *nrows = 0;
    if (!fam || d->kind == CAUSA_MECH_NONE)
        return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': unknown mechanism kind %d", name,
                             d->kind);
    int cont_family = d->kind >= CAUSA_MECH_ROOT && d->kind <= CAUSA_MECH_MLP;
    if (discrete && cont_family && d->kind != CAUSA_MECH_ROOT)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "node '%s' is discrete: its mechanism must be a cpt or logistic, "
                             "not %s",
                             name, fam);
    if (!discrete && !cont_family)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "node '%s' is continuous: a %s mechanism needs a discrete node "
                             "(causa_scm_set_discrete)",
                             name, fam);
    if (d->kind == CAUSA_MECH_ROOT && np > 0)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "node '%s' has %lld parent%s: a root mechanism needs none", name,
                             (long long)np, np == 1 ? "" : "s");
    if (cont_family && !discrete) {
        rc = causa_dist_check(ctx, &d->noise);
        if (rc) return causa_i_scm_prefix_error(ctx, rc, "node '%s'", name);
        if (d->noise.kind == CAUSA_DIST_CATEGORICAL)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "node '%s' is continuous: its noise cannot be categorical", name);
        if (d->kind != CAUSA_MECH_ROOT && d->scaled) {
            if (!isfinite(d->scale_intercept))
                return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': the scale intercept is %g",
                                     name, d->scale_intercept);
            CAUSA_TRY(check_finite(ctx, scm, v, "scale coefficient", d->scale_coefs, m));
        }
    }
    switch (d->kind) {
    case CAUSA_MECH_ROOT:
        if (discrete) {
            if (d->noise.kind != CAUSA_DIST_CATEGORICAL)
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "node '%s' is discrete: a root needs a categorical "
                                     "distribution (or a cpt)",
                                     name);
            rc = causa_dist_check(ctx, &d->noise);
            if (rc) return causa_i_scm_prefix_error(ctx, rc, "node '%s'", name);
            CAUSA_TRY(need_count(ctx, scm, v, "a categorical root", "weights (one per level)", K,
                                 d->noise.nvalues));
        }
        break;
    case CAUSA_MECH_LINEAR:
        CAUSA_TRY(need_count(ctx, scm, v, "linear", "weights (one per input)", m, d->ncoefs));
        CAUSA_TRY(check_finite(ctx, scm, v, "weight", d->coefs, m));
        break;
    case CAUSA_MECH_POLY: {
        if (d->degree < 1 || d->degree > CAUSA_I_POLY_MAX_DEGREE)
            return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': polynomial degree must be in 1..%d, got %d",
                                 name, CAUSA_I_POLY_MAX_DEGREE, d->degree);
        int64_t nt = causa_poly_nterms(m, d->degree);
        if (nt < 0)
            return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': too many polynomial terms", name);
        CAUSA_TRY(need_count(ctx, scm, v, "poly", "weights (one per term)", nt, d->ncoefs));
        CAUSA_TRY(check_finite(ctx, scm, v, "weight", d->coefs, nt));
        break;
    }
    case CAUSA_MECH_SPLINE: {
        if (m > 0 && (!d->nknots || !d->knots))
            return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': a spline needs knots", name);
        int64_t nb = 0, off = 0;
        for (int64_t j = 0; j < m; j++) {
            char what[96];
            snprintf(what, sizeof what, "node '%.40s', spline of input %lld", name, (long long)j + 1);
            CAUSA_TRY(causa_i_spline_check(ctx, d->degree, d->knots + off, d->nknots[j], what));
            off += d->nknots[j];
            nb += causa_spline_nbasis(d->nknots[j], d->degree);
        }
        if (m == 0 && (d->degree < 0 || d->degree > CAUSA_I_SPLINE_MAX_DEGREE))
            return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': spline degree must be in 0..%d",
                                 name, CAUSA_I_SPLINE_MAX_DEGREE);
        CAUSA_TRY(need_count(ctx, scm, v, "spline", "coefficients", nb, d->ncoefs));
        CAUSA_TRY(check_finite(ctx, scm, v, "coefficient", d->coefs, nb));
        break;
    }
    case CAUSA_MECH_MLP: {
        if (d->nhidden < 0 || d->nhidden > 64 || (d->nhidden > 0 && !d->hidden))
            return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': bad number of hidden layers %lld",
                                 name, (long long)d->nhidden);
        if (!causa_activation_name(d->activation))
            return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': unknown activation %d", name,
                                 d->activation);
        int64_t nw = mlp_nweights(m, d->nhidden, d->hidden);
        if (nw < 0)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "node '%s': hidden layer sizes must be in 1..1048576", name);
        CAUSA_TRY(need_count(ctx, scm, v, "mlp", "weights", nw, d->ncoefs));
        CAUSA_TRY(check_finite(ctx, scm, v, "weight", d->coefs, nw));
        break;
    }
    case CAUSA_MECH_CPT: {
        int64_t rows = 1;
        for (int64_t k = 0; k < np; k++) {
            int64_t u = par[k];
            if (scm->type[u] != CAUSA_DISCRETE)
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "node '%s': a cpt needs discrete parents, '%s' is "
                                     "continuous (use logistic)",
                                     name, causa_scm_name(scm, u));
            rows *= scm->nlevels[u];
            if (rows > (int64_t)1 << 32)
                return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': the cpt is too large", name);
        }
        CAUSA_TRY(need_count(ctx, scm, v, "a cpt", "probabilities", rows * K, d->ncoefs));
        CAUSA_TRY(check_finite(ctx, scm, v, "probability", d->coefs, rows * K));
        for (int64_t r = 0; r < rows; r++) {
            double s = 0;
            for (int64_t k = 0; k < K; k++) {
                double x = d->coefs[r * K + k];
                if (x < 0)
                    return causa_i_error(ctx, CAUSA_EINVAL,
                                         "node '%s': cpt row %lld has a negative probability %g",
                                         name, (long long)r + 1, x);
                s += x;
            }
            if (!(s > 0))
                return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': cpt row %lld sums to 0", name,
                                     (long long)r + 1);
        }
        *nrows = rows;
        break;
    }
    case CAUSA_MECH_LOGISTIC:
        CAUSA_TRY(need_count(ctx, scm, v, "logistic", "coefficients (levels x (1 + inputs))",
                             K * (1 + m), d->ncoefs));
        CAUSA_TRY(check_finite(ctx, scm, v, "coefficient", d->coefs, K * (1 + m)));
        break;
    default:
        break;
    }
done:
    return rc;
}

/* ---- set and get ---- */

int causa_scm_set_mechanism(causa_ctx *ctx, causa_scm *scm, int64_t v, const causa_mechanism *d) {
    int rc = causa_i_scm_check_node(ctx, scm, v, "causa_scm_set_mechanism");
    if (rc) return rc;
    if (!d) return causa_i_error(ctx, CAUSA_EINVAL, "causa_scm_set_mechanism: the mechanism is NULL");
    int64_t nrows = 0;
    rc = check_mechanism(ctx, scm, v, d, &nrows);
    if (rc) return rc;
    int64_t m = causa_scm_ninputs(scm, v);
    /* Build the stored form in a temporary, then deep-copy it. */
    causa_i_mech t;
    memset(&t, 0, sizeof t);
    t.kind = d->kind;
    t.noise = causa_dist_none();
    int cont = d->kind >= CAUSA_MECH_ROOT && d->kind <= CAUSA_MECH_MLP;
    int discrete = scm->type[v] == CAUSA_DISCRETE;
    if (d->kind == CAUSA_MECH_ROOT && discrete) {
        /* A categorical root is stored as a one-row table. */
        t.kind = CAUSA_MECH_CPT;
        t.coefs = (double *)d->noise.values;
        t.ncoefs = d->noise.nvalues;
        t.nrows = 1;
    } else {
        t.intercept = d->kind == CAUSA_MECH_LINEAR || d->kind == CAUSA_MECH_POLY ||
                              d->kind == CAUSA_MECH_SPLINE
                          ? d->intercept
                          : 0.0;
        if (!isfinite(t.intercept))
            return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': the intercept is %g",
                                 causa_scm_name(scm, v), t.intercept);
        t.coefs = d->ncoefs > 0 ? (double *)d->coefs : NULL;
        t.ncoefs = d->ncoefs > 0 ? d->ncoefs : 0;
        if (d->kind == CAUSA_MECH_POLY || d->kind == CAUSA_MECH_SPLINE) t.degree = d->degree;
        if (d->kind == CAUSA_MECH_SPLINE && m > 0) {
            t.nknots = (int64_t *)d->nknots;
            t.knots = (double *)d->knots;
        }
        if (d->kind == CAUSA_MECH_MLP) {
            t.nhidden = d->nhidden;
            t.hidden = d->nhidden > 0 ? (int64_t *)d->hidden : NULL;
            t.activation = d->activation;
        }
        if (cont) {
            t.noise = d->noise;
            if (d->noise.kind == CAUSA_DIST_EMPIRICAL) t.noise_values = (double *)d->noise.values;
            if (d->kind != CAUSA_MECH_ROOT && d->scaled) {
                t.scaled = 1;
                t.scale_intercept = d->scale_intercept;
                t.scale_coefs = m > 0 ? (double *)d->scale_coefs : NULL;
            }
        }
        t.nrows = nrows;
    }
    causa_i_mech copy;
    rc = causa_i_mech_copy(ctx, &copy, &t, m);
    if (rc) {
        causa_i_mech_clear(ctx, &copy);
        return rc;
    }
    if (copy.kind == CAUSA_MECH_CPT) {
        /* Normalise the rows that do not already sum to 1 (to rounding): so a table read
         * back from a model file keeps its exact bits. */
        int64_t K = scm->nlevels[v];
        for (int64_t r = 0; r < copy.nrows; r++) {
            double s = 0;
            for (int64_t k = 0; k < K; k++) s += copy.coefs[r * K + k];
            if (fabs(s - 1.0) > 1e-12)
                for (int64_t k = 0; k < K; k++) copy.coefs[r * K + k] /= s;
        }
    }
    if (!cont || d->kind == CAUSA_MECH_ROOT) copy.scaled = 0;
    causa_i_mech_clear(scm->ctx, &scm->mech[v]);
    scm->mech[v] = copy;
    return CAUSA_OK;
}

int causa_scm_mechanism(const causa_scm *scm, int64_t v, causa_mechanism *out) {
    if (!out) return CAUSA_EINVAL;
    causa_mechanism_init(out);
    if (!scm || v < 0 || v >= scm->p) return CAUSA_EINVAL;
    const causa_i_mech *m = &scm->mech[v];
    out->kind = m->kind;
    out->intercept = m->intercept;
    out->coefs = m->coefs;
    out->ncoefs = m->ncoefs;
    out->degree = m->degree;
    out->nknots = m->nknots;
    out->knots = m->knots;
    out->nhidden = m->nhidden;
    out->hidden = m->hidden;
    out->activation = m->activation;
    out->noise = m->noise;
    out->scaled = m->scaled;
    out->scale_intercept = m->scale_intercept;
    out->scale_coefs = m->scale_coefs;
    return CAUSA_OK;
}

int causa_scm_mechanism_kind(const causa_scm *scm, int64_t v) {
    if (!scm || v < 0 || v >= scm->p) return -1;
    return scm->mech[v].kind;
}

/* ---- per-family setters ---- */

static causa_dist noise_or_none(const causa_dist *noise) {
    return noise ? *noise : causa_dist_none();
}

int causa_scm_set_root(causa_ctx *ctx, causa_scm *scm, int64_t v, const causa_dist *dist) {
    if (!dist) return causa_i_error(ctx, CAUSA_EINVAL, "causa_scm_set_root: the distribution is NULL");
    causa_mechanism m;
    causa_mechanism_init(&m);
    m.kind = CAUSA_MECH_ROOT;
    m.noise = *dist;
    return causa_scm_set_mechanism(ctx, scm, v, &m);
}

int causa_scm_set_linear(causa_ctx *ctx, causa_scm *scm, int64_t v, double intercept,
                         const double *weights, const causa_dist *noise) {
    causa_mechanism m;
    causa_mechanism_init(&m);
    m.kind = CAUSA_MECH_LINEAR;
    m.intercept = intercept;
    m.coefs = weights;
    m.ncoefs = causa_scm_ninputs(scm, v);
    m.noise = noise_or_none(noise);
    return causa_scm_set_mechanism(ctx, scm, v, &m);
}

int causa_scm_set_poly(causa_ctx *ctx, causa_scm *scm, int64_t v, int degree, double intercept,
                       const double *weights, const causa_dist *noise) {
    causa_mechanism m;
    causa_mechanism_init(&m);
    m.kind = CAUSA_MECH_POLY;
    m.degree = degree;
    m.intercept = intercept;
    m.coefs = weights;
    m.ncoefs = causa_poly_nterms(causa_scm_ninputs(scm, v), degree);
    m.noise = noise_or_none(noise);
    return causa_scm_set_mechanism(ctx, scm, v, &m);
}

int causa_scm_set_spline(causa_ctx *ctx, causa_scm *scm, int64_t v, int degree, double intercept,
                         const int64_t *nknots, const double *knots, const double *coefs,
                         const causa_dist *noise) {
    causa_mechanism m;
    causa_mechanism_init(&m);
    m.kind = CAUSA_MECH_SPLINE;
    m.degree = degree;
    m.intercept = intercept;
    m.nknots = nknots;
    m.knots = knots;
    m.coefs = coefs;
    int64_t in = causa_scm_ninputs(scm, v), nb = 0;
    for (int64_t j = 0; j < in && nknots; j++) {
        int64_t b = causa_spline_nbasis(nknots[j], degree);
        if (b < 0) {
            nb = -1;
            break;
        }
        nb += b;
    }
    m.ncoefs = nb;
    m.noise = noise_or_none(noise);
    if (nb < 0 || (in > 0 && !nknots)) {
        /* Let the full check name the problem. */
        m.ncoefs = 0;
    }
    return causa_scm_set_mechanism(ctx, scm, v, &m);
}

int causa_scm_set_mlp(causa_ctx *ctx, causa_scm *scm, int64_t v, int64_t nhidden,
                      const int64_t *hidden, int activation, const double *weights,
                      const causa_dist *noise) {
    causa_mechanism m;
    causa_mechanism_init(&m);
    m.kind = CAUSA_MECH_MLP;
    m.nhidden = nhidden;
    m.hidden = hidden;
    m.activation = activation;
    m.coefs = weights;
    m.ncoefs = (nhidden >= 0 && nhidden <= 64 && (nhidden == 0 || hidden))
                   ? mlp_nweights(causa_scm_ninputs(scm, v), nhidden, hidden)
                   : 0;
    if (m.ncoefs < 0) m.ncoefs = 0;
    m.noise = noise_or_none(noise);
    return causa_scm_set_mechanism(ctx, scm, v, &m);
}

int causa_scm_set_scale(causa_ctx *ctx, causa_scm *scm, int64_t v, double a, const double *b) {
    int rc = causa_i_scm_check_node(ctx, scm, v, "causa_scm_set_scale");
    if (rc) return rc;
    causa_i_mech *mm = &scm->mech[v];
    if (mm->kind < CAUSA_MECH_LINEAR || mm->kind > CAUSA_MECH_MLP)
        return causa_i_error(ctx, CAUSA_EMISUSE,
                             "node '%s': location-scale noise needs a linear, poly, spline or "
                             "mlp mechanism first",
                             causa_scm_name(scm, v));
    causa_mechanism d;
    causa_scm_mechanism(scm, v, &d);
    d.scaled = 1;
    d.scale_intercept = a;
    d.scale_coefs = b;
    return causa_scm_set_mechanism(ctx, scm, v, &d);
}

int causa_scm_set_cpt(causa_ctx *ctx, causa_scm *scm, int64_t v, const double *table) {
    int rc = causa_i_scm_check_node(ctx, scm, v, "causa_scm_set_cpt");
    if (rc) return rc;
    causa_mechanism m;
    causa_mechanism_init(&m);
    m.kind = CAUSA_MECH_CPT;
    m.coefs = table;
    int64_t rows = 1, np = 0;
    const int64_t *par = causa_scm_parents(scm, v, &np);
    for (int64_t k = 0; k < np; k++)
        rows *= scm->nlevels[par[k]] > 0 ? scm->nlevels[par[k]] : 1;
    m.ncoefs = rows * scm->nlevels[v];
    if (!table && m.ncoefs > 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': the table is NULL", causa_scm_name(scm, v));
    return causa_scm_set_mechanism(ctx, scm, v, &m);
}

int causa_scm_set_cpt_counts(causa_ctx *ctx, causa_scm *scm, int64_t v, const double *counts,
                             double alpha) {
    int rc = causa_i_scm_check_node(ctx, scm, v, "causa_scm_set_cpt_counts");
    if (rc) return rc;
    if (!(alpha >= 0) || !isfinite(alpha))
        return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': the Dirichlet prior alpha must be >= 0, got %g",
                             causa_scm_name(scm, v), alpha);
    if (scm->type[v] != CAUSA_DISCRETE)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "node '%s' is continuous: a cpt needs a discrete node "
                             "(causa_scm_set_discrete)",
                             causa_scm_name(scm, v));
    int64_t rows = 1, np = 0;
    const int64_t *par = causa_scm_parents(scm, v, &np);
    for (int64_t k = 0; k < np; k++) {
        if (scm->type[par[k]] != CAUSA_DISCRETE)
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "node '%s': a cpt needs discrete parents, '%s' is continuous "
                                 "(use logistic)",
                                 causa_scm_name(scm, v), causa_scm_name(scm, par[k]));
        rows *= scm->nlevels[par[k]];
    }
    int64_t n = rows * scm->nlevels[v];
    if (!counts) return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': the counts are NULL", causa_scm_name(scm, v));
    double *t = causa_i_malloc(ctx, (size_t)n * sizeof *t);
    if (!t) return causa_i_nomem(ctx, "a probability table", (size_t)n * sizeof *t);
    for (int64_t i = 0; i < n; i++) {
        if (!(counts[i] >= 0) || !isfinite(counts[i])) {
            causa_i_free(ctx, t);
            return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': count %lld is %g",
                                 causa_scm_name(scm, v), (long long)i + 1, counts[i]);
        }
        t[i] = counts[i] + alpha;
    }
    rc = causa_scm_set_cpt(ctx, scm, v, t);
    causa_i_free(ctx, t);
    return rc;
}

int causa_scm_set_logistic(causa_ctx *ctx, causa_scm *scm, int64_t v, const double *coefs) {
    int rc = causa_i_scm_check_node(ctx, scm, v, "causa_scm_set_logistic");
    if (rc) return rc;
    causa_mechanism m;
    causa_mechanism_init(&m);
    m.kind = CAUSA_MECH_LOGISTIC;
    m.coefs = coefs;
    m.ncoefs = scm->nlevels[v] * (1 + causa_scm_ninputs(scm, v));
    if (!coefs && m.ncoefs > 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': the coefficients are NULL",
                             causa_scm_name(scm, v));
    return causa_scm_set_mechanism(ctx, scm, v, &m);
}
