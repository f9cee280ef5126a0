/*
 * dist.c: the distributions of roots, noise terms and stochastic interventions: the
 * constructors, names, checks, moments, and the block filler the samplers use.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "scm_i.h"

/* ---- constructors ---- */

causa_dist causa_dist_none(void) {
    causa_dist d;
    memset(&d, 0, sizeof d);
    d.kind = CAUSA_DIST_NONE;
    return d;
}

causa_dist causa_dist_gaussian(double mean, double sd) {
    causa_dist d = causa_dist_none();
    d.kind = CAUSA_DIST_GAUSSIAN;
    d.loc = mean;
    d.scale = sd;
    return d;
}

causa_dist causa_dist_uniform(double low, double high) {
    causa_dist d = causa_dist_none();
    d.kind = CAUSA_DIST_UNIFORM;
    d.low = low;
    d.high = high;
    return d;
}

causa_dist causa_dist_laplace(double loc, double scale) {
    causa_dist d = causa_dist_none();
    d.kind = CAUSA_DIST_LAPLACE;
    d.loc = loc;
    d.scale = scale;
    return d;
}

causa_dist causa_dist_student_t(double loc, double scale, double df) {
    causa_dist d = causa_dist_none();
    d.kind = CAUSA_DIST_STUDENT_T;
    d.loc = loc;
    d.scale = scale;
    d.df = df;
    return d;
}

causa_dist causa_dist_empirical(const double *values, int64_t n) {
    causa_dist d = causa_dist_none();
    d.kind = CAUSA_DIST_EMPIRICAL;
    d.values = values;
    d.nvalues = n;
    return d;
}

causa_dist causa_dist_categorical(const double *weights, int64_t k) {
    causa_dist d = causa_dist_none();
    d.kind = CAUSA_DIST_CATEGORICAL;
    d.values = weights;
    d.nvalues = k;
    return d;
}

/* ---- names ---- */

static const char *const dist_names[] = {"none",      "gaussian",  "uniform",    "laplace",
                                         "student-t", "empirical", "categorical"};

const char *causa_dist_name(int kind) {
    if (kind < 0 || kind > CAUSA_DIST_CATEGORICAL) return NULL;
    return dist_names[kind];
}

int causa_dist_from_name(const char *name) {
    if (!name) return -1;
    for (int k = 0; k <= CAUSA_DIST_CATEGORICAL; k++)
        if (strcasecmp(name, dist_names[k]) == 0) return k;
    if (strcasecmp(name, "normal") == 0) return CAUSA_DIST_GAUSSIAN;
    if (strcasecmp(name, "t") == 0 || strcasecmp(name, "student_t") == 0)
        return CAUSA_DIST_STUDENT_T;
    return -1;
}

/* ---- checks and moments ---- */

int causa_dist_check(causa_ctx *ctx, const causa_dist *d) {
    if (!d) return causa_i_error(ctx, CAUSA_EINVAL, "the distribution is NULL");
    switch (d->kind) {
    case CAUSA_DIST_NONE:
        return CAUSA_OK;
    case CAUSA_DIST_GAUSSIAN:
    case CAUSA_DIST_LAPLACE:
    case CAUSA_DIST_STUDENT_T:
        if (!isfinite(d->loc))
            return causa_i_error(ctx, CAUSA_EINVAL, "%s distribution: loc must be finite, got %g",
                                 dist_names[d->kind], d->loc);
        if (!(d->scale > 0) || !isfinite(d->scale))
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "%s distribution: scale must be positive and finite, got %g",
                                 dist_names[d->kind], d->scale);
        if (d->kind == CAUSA_DIST_STUDENT_T && (!(d->df > 0) || !isfinite(d->df)))
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "student-t distribution: df must be positive and finite, got %g",
                                 d->df);
        return CAUSA_OK;
    case CAUSA_DIST_UNIFORM:
        if (!isfinite(d->low) || !isfinite(d->high) || !(d->low < d->high))
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "uniform distribution: need finite low < high, got [%g, %g)",
                                 d->low, d->high);
        return CAUSA_OK;
    case CAUSA_DIST_EMPIRICAL:
    case CAUSA_DIST_CATEGORICAL: {
        const char *nm = dist_names[d->kind];
        if (d->nvalues < 1 || !d->values)
            return causa_i_error(ctx, CAUSA_EINVAL, "%s distribution: needs at least one value",
                                 nm);
        double total = 0;
        for (int64_t i = 0; i < d->nvalues; i++) {
            double x = d->values[i];
            if (!isfinite(x))
                return causa_i_error(ctx, CAUSA_EINVAL, "%s distribution: value %lld is %g",
                                     nm, (long long)i + 1, x);
            if (d->kind == CAUSA_DIST_CATEGORICAL && x < 0)
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "categorical distribution: weight %lld is negative (%g)",
                                     (long long)i + 1, x);
            total += x;
        }
        if (d->kind == CAUSA_DIST_CATEGORICAL && !(total > 0 && isfinite(total)))
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "categorical distribution: the weights must have a positive "
                                 "finite sum");
        return CAUSA_OK;
    }
    default:
        return causa_i_error(ctx, CAUSA_EINVAL, "unknown distribution kind %d", d->kind);
    }
}

void causa_dist_moments(const causa_dist *d, double *mean, double *var) {
    double m = (double)NAN, v = (double)NAN;
    switch (d->kind) {
    case CAUSA_DIST_NONE:
        m = 0, v = 0;
        break;
    case CAUSA_DIST_GAUSSIAN:
        m = d->loc, v = d->scale * d->scale;
        break;
    case CAUSA_DIST_LAPLACE:
        m = d->loc, v = 2 * d->scale * d->scale;
        break;
    case CAUSA_DIST_STUDENT_T:
        m = d->df > 1 ? d->loc : (double)NAN;
        v = d->df > 2 ? d->scale * d->scale * d->df / (d->df - 2) : (double)INFINITY;
        break;
    case CAUSA_DIST_UNIFORM:
        m = 0.5 * (d->low + d->high);
        v = (d->high - d->low) * (d->high - d->low) / 12.0;
        break;
    case CAUSA_DIST_EMPIRICAL:
    case CAUSA_DIST_CATEGORICAL: {
        /* Categorical: the moments of the code. */
        double s0 = 0, s1 = 0, s2 = 0;
        for (int64_t i = 0; i < d->nvalues; i++) {
            double w = d->kind == CAUSA_DIST_EMPIRICAL ? 1.0 : d->values[i];
            double x = d->kind == CAUSA_DIST_EMPIRICAL ? d->values[i] : (double)i;
            s0 += w, s1 += w * x;
        }
        m = s0 > 0 ? s1 / s0 : (double)NAN;
        for (int64_t i = 0; i < d->nvalues; i++) {
            double w = d->kind == CAUSA_DIST_EMPIRICAL ? 1.0 : d->values[i];
            double x = d->kind == CAUSA_DIST_EMPIRICAL ? d->values[i] : (double)i;
            s2 += w * (x - m) * (x - m);
        }
        v = s0 > 0 ? s2 / s0 : (double)NAN;
        break;
    }
    default:
        break;
    }
    if (mean) *mean = m;
    if (var) *var = v;
}

/* ---- internals ---- */

int causa_i_dist_copy(causa_ctx *ctx, const causa_dist *d, causa_dist *d_out, double **values) {
    *d_out = *d;
    *values = NULL;
    d_out->values = NULL;
    if (d->kind == CAUSA_DIST_EMPIRICAL || d->kind == CAUSA_DIST_CATEGORICAL) {
        size_t bytes = causa_i_mul_size((size_t)d->nvalues, sizeof(double));
        double *v = causa_i_malloc(ctx, bytes);
        if (!v) return causa_i_nomem(ctx, "distribution values", bytes);
        memcpy(v, d->values, bytes);
        *values = v;
        d_out->values = v;
    } else {
        d_out->nvalues = 0;
    }
    return CAUSA_OK;
}

/* Uniform on (0, 1), never 0 or 1: for the quantile transforms. */
static inline double unif_open(causa_rng *rng) {
    return ((double)(causa_rng_u64(rng) >> 11) + 0.5) * 0x1.0p-53;
}

static void fill_sequential(const causa_dist *d, causa_rng *rng, double *out, int64_t n);

void causa_i_dist_fill(const causa_dist *d, causa_rng *rng, double *out, int64_t n) {
    causa_i_dist_stream s;
    causa_i_dist_stream_begin(&s, d, rng);
    causa_i_dist_stream_fill(&s, out, n);
    *rng = s.rng; /* the caller's stream moves on as far as the draws took it */
}

void causa_i_dist_stream_begin(causa_i_dist_stream *s, const causa_dist *d, causa_rng *rng) {
    s->d = d;
    s->started = 0;
    s->rng = *rng;
}

void causa_i_dist_stream_fill(causa_i_dist_stream *s, double *out, int64_t n) {
    if (s->d->kind != CAUSA_DIST_GAUSSIAN) {
        fill_sequential(s->d, &s->rng, out, n);
        return;
    }
    if (n <= 0) return;
    if (!s->started) { /* seeded at the first value, as causa_i_rng_fill_normal does */
        causa_i_normal_lanes_seed(&s->lanes, &s->rng);
        s->started = 1;
    }
    causa_i_normal_lanes_fill(&s->lanes, s->d->loc, s->d->scale, out, n);
}

/* The distributions drawn one value at a time from rng (none: zeros). */
static void fill_sequential(const causa_dist *d, causa_rng *rng, double *out, int64_t n) {
    switch (d->kind) {
    case CAUSA_DIST_UNIFORM: {
        double lo = d->low, w = d->high - d->low;
        for (int64_t i = 0; i < n; i++) out[i] = lo + w * causa_rng_uniform(rng);
        break;
    }
    case CAUSA_DIST_LAPLACE:
        for (int64_t i = 0; i < n; i++) out[i] = d->loc + causa_rng_laplace(rng, d->scale);
        break;
    case CAUSA_DIST_STUDENT_T:
        for (int64_t i = 0; i < n; i++)
            out[i] = d->loc + d->scale * causa_rng_student_t(rng, d->df);
        break;
    case CAUSA_DIST_EMPIRICAL:
        for (int64_t i = 0; i < n; i++)
            out[i] = d->values[causa_rng_below(rng, (uint64_t)d->nvalues)];
        break;
    case CAUSA_DIST_CATEGORICAL:
        for (int64_t i = 0; i < n; i++)
            out[i] = (double)causa_i_invert_level(d->values, d->nvalues, unif_open(rng));
        break;
    default:
        for (int64_t i = 0; i < n; i++) out[i] = 0.0;
        break;
    }
}
