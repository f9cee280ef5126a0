/*
 * basis.c: the feature maps of polynomial and spline mechanisms, shared by evaluation and
 * by the design helpers that fitting uses, so a fitted coefficient always multiplies the
 * same feature the sampler computes.
 *
 * Polynomials: every monomial of total degree 1..d in m inputs. Terms are ordered by
 * degree, and within a degree by their nondecreasing index tuples in lexicographic order.
 * A depth-first walk over tuples (extending a prefix by an index >= its last) visits the
 * tuples of each length in exactly that order, so a walk that keeps the running product of
 * the prefix gives every term with one multiplication and a per-degree counter gives its
 * position.
 *
 * Splines: clamped B-splines (de Boor 1978; the recurrences of Piegl & Tiller, "The NURBS
 * Book", algorithms A2.1 and A2.2). The knot vector is the breakpoints t_0 < ... < t_{K-1}
 * with both ends repeated degree + 1 times, giving K + degree - 1 basis functions that sum
 * to 1 on [t_0, t_{K-1}]. Beyond the ends each basis function continues as its tangent at
 * the end, so a spline is linear outside the data range instead of collapsing to 0.
 */
#include <math.h>
#include <string.h>

#include "scm_i.h"
#include "basis_i.h"

/* ---- polynomial terms ---- */

int64_t causa_poly_nterms(int64_t m, int degree) {
    if (m < 0 || degree < 1) return -1;
    /* C(m + d, d) - 1, computed incrementally: C(m + k, k) = C(m + k - 1, k - 1) (m + k) / k. */
    double c = 1;
    for (int k = 1; k <= degree; k++) {
        c = c * (double)(m + k) / k;
        if (c > 2147483648.0) return -1;
    }
    return (int64_t)llround(c) - 1;
}

/* The depth-first walk: at depth `len` the prefix product is prod[len - 1] (nrows values);
 * extends with every index j >= first. */
typedef struct poly_walk {
    const double *u; /* nrows x m, column-major with leading dimension ldu */
    int64_t ldu, nrows, m;
    int degree;
    double *prod;      /* degree columns of nrows */
    int64_t *off, *cnt;/* per degree: first term index, terms seen */
    void (*emit)(void *ud, int64_t term, const double *col, int64_t nrows);
    void *ud;
} poly_walk;

static void walk(poly_walk *w, int len, int64_t first) {
    for (int64_t j = first; j < w->m; j++) {
        const double *uj = w->u + j * w->ldu;
        double *col = w->prod + (int64_t)len * w->nrows;
        if (len == 0) {
            memcpy(col, uj, (size_t)w->nrows * sizeof(double));
        } else {
            const double *prev = w->prod + (int64_t)(len - 1) * w->nrows;
            for (int64_t i = 0; i < w->nrows; i++) col[i] = prev[i] * uj[i];
        }
        int64_t term = w->off[len] + w->cnt[len]++;
        w->emit(w->ud, term, col, w->nrows);
        if (len + 1 < w->degree) walk(w, len + 1, j);
    }
}

void causa_i_poly_walk(const double *u, int64_t ldu, int64_t nrows, int64_t m, int degree,
                       double *prod, void (*emit)(void *, int64_t, const double *, int64_t),
                       void *ud) {
    int64_t off[CAUSA_I_POLY_MAX_DEGREE + 1], cnt[CAUSA_I_POLY_MAX_DEGREE + 1];
    off[0] = 0;
    for (int k = 1; k <= degree; k++) {
        /* terms of degree k: C(m + k - 1, k) */
        int64_t nk = causa_poly_nterms(m, k) - (k > 1 ? causa_poly_nterms(m, k - 1) : 0);
        off[k] = off[k - 1] + nk;
        cnt[k - 1] = 0;
    }
    poly_walk w = {u, ldu, nrows, m, degree, prod, off, cnt, emit, ud};
    if (m > 0) walk(&w, 0, 0);
}

typedef struct design_ud {
    double *out;
} design_ud;

static void emit_design(void *ud, int64_t term, const double *col, int64_t nrows) {
    design_ud *d = ud;
    memcpy(d->out + term * nrows, col, (size_t)nrows * sizeof(double));
}

int causa_poly_design(causa_ctx *ctx, const causa_matrix *u, int degree, double *out) {
    if (!u || !out) return causa_i_error(ctx, CAUSA_EINVAL, "causa_poly_design: NULL argument");
    if (degree < 1 || degree > CAUSA_I_POLY_MAX_DEGREE)
        return causa_i_error(ctx, CAUSA_EINVAL, "polynomial degree must be in 1..%d, got %d",
                             CAUSA_I_POLY_MAX_DEGREE, degree);
    int64_t n = u->nrow, m = u->ncol;
    if (n < 0 || m < 0) return causa_i_error(ctx, CAUSA_EINVAL, "causa_poly_design: bad matrix size");
    if (causa_poly_nterms(m, degree) < 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "a polynomial of degree %d in %lld inputs has too many terms",
                             degree, (long long)m);
    /* A contiguous copy of the inputs plus the prefix products. */
    size_t cells = causa_i_mul_size((size_t)n, (size_t)(m + degree));
    double *work = causa_i_malloc(ctx, causa_i_mul_size(cells ? cells : 1, sizeof(double)));
    if (!work) return causa_i_nomem(ctx, "polynomial features", cells * sizeof(double));
    for (int64_t j = 0; j < m; j++)
        for (int64_t i = 0; i < n; i++) work[j * n + i] = causa_matrix_get(u, i, j);
    design_ud d = {out};
    causa_i_poly_walk(work, n, n, m, degree, work + m * n, emit_design, &d);
    causa_i_free(ctx, work);
    return CAUSA_OK;
}

/* ---- B-splines ---- */

int64_t causa_spline_nbasis(int64_t nknots, int degree) {
    if (nknots < 2 || degree < 0) return -1;
    return nknots + degree - 1;
}

/* Knot T[i] of the clamped knot vector (length K + 2d) over the breakpoints t[0..K-1]. */
static inline double knot(const double *t, int64_t K, int d, int64_t i) {
    if (i <= d) return t[0];
    if (i >= K + d - 1) return t[K - 1];
    return t[i - d];
}

/* The span s (d <= s <= K + d - 2) with T[s] <= x < T[s + 1], x clamped into [t0, tK-1]. */
static int64_t find_span(const double *t, int64_t K, int d, double x) {
    if (x >= t[K - 2]) return K - 2 + d;
    if (x <= t[0]) return d;
    int64_t lo = 0, hi = K - 2; /* t[lo] <= x < t[hi] ... binary search the breakpoint */
    while (hi - lo > 1) {
        int64_t mid = (lo + hi) / 2;
        if (t[mid] <= x) lo = mid;
        else hi = mid;
    }
    return lo + d;
}

/* The deg + 1 basis functions of degree deg that are nonzero on span s, at x: N[0..deg]
 * belong to basis indices s - deg .. s (Piegl & Tiller A2.2). */
static void basis_funs(const double *t, int64_t K, int d, int64_t s, int deg, double x, double *N) {
    double left[CAUSA_I_SPLINE_MAX_DEGREE + 1], right[CAUSA_I_SPLINE_MAX_DEGREE + 1];
    N[0] = 1.0;
    for (int j = 1; j <= deg; j++) {
        left[j] = x - knot(t, K, d, s + 1 - j);
        right[j] = knot(t, K, d, s + j) - x;
        double saved = 0.0;
        for (int r = 0; r < j; r++) {
            double den = right[r + 1] + left[j - r];
            double temp = den != 0 ? N[r] / den : 0.0;
            N[r] = saved + right[r + 1] * temp;
            saved = left[j - r] * temp;
        }
        N[j] = saved;
    }
}

/* Derivatives of the d + 1 degree-d functions nonzero on span s, at x. */
static void basis_ders(const double *t, int64_t K, int d, int64_t s, double x, double *D) {
    double N[CAUSA_I_SPLINE_MAX_DEGREE + 1];
    if (d == 0) {
        D[0] = 0;
        return;
    }
    basis_funs(t, K, d, s, d - 1, x, N); /* indices s - d + 1 .. s */
    for (int r = 0; r <= d; r++) {
        int64_t i = s - d + r;
        double a = r >= 1 ? N[r - 1] : 0.0;   /* N_{i, d-1} */
        double b = r <= d - 1 ? N[r] : 0.0;   /* N_{i+1, d-1} */
        double den1 = knot(t, K, d, i + d) - knot(t, K, d, i);
        double den2 = knot(t, K, d, i + d + 1) - knot(t, K, d, i + 1);
        D[r] = d * ((den1 > 0 ? a / den1 : 0.0) - (den2 > 0 ? b / den2 : 0.0));
    }
}

int64_t causa_i_spline_eval(const double *t, int64_t K, int d, double x, double *vals) {
    int64_t s;
    if (x < t[0] || x > t[K - 1]) {
        /* Tangent continuation beyond the end. */
        double e = x < t[0] ? t[0] : t[K - 1];
        double D[CAUSA_I_SPLINE_MAX_DEGREE + 1];
        s = find_span(t, K, d, e);
        basis_funs(t, K, d, s, d, e, vals);
        basis_ders(t, K, d, s, e, D);
        for (int r = 0; r <= d; r++) vals[r] += D[r] * (x - e);
    } else {
        s = find_span(t, K, d, x);
        basis_funs(t, K, d, s, d, x, vals);
    }
    return s - d;
}

int causa_spline_design(causa_ctx *ctx, const double *x, int64_t n, int degree,
                        const double *knots, int64_t nknots, double *out) {
    if ((!x && n > 0) || !knots || !out)
        return causa_i_error(ctx, CAUSA_EINVAL, "causa_spline_design: NULL argument");
    if (n < 0) return causa_i_error(ctx, CAUSA_EINVAL, "causa_spline_design: n < 0");
    int rc = causa_i_spline_check(ctx, degree, knots, nknots, "causa_spline_design");
    if (rc) return rc;
    int64_t nb = causa_spline_nbasis(nknots, degree);
    memset(out, 0, causa_i_mul_size((size_t)n, (size_t)nb) * sizeof(double));
    for (int64_t i = 0; i < n; i++) {
        double vals[CAUSA_I_SPLINE_MAX_DEGREE + 1];
        if (!isfinite(x[i]))
            return causa_i_error(ctx, CAUSA_EINVAL, "causa_spline_design: x[%lld] is %g",
                                 (long long)i, x[i]);
        int64_t first = causa_i_spline_eval(knots, nknots, degree, x[i], vals);
        for (int r = 0; r <= degree; r++) out[(first + r) * n + i] = vals[r];
    }
    return CAUSA_OK;
}

int causa_i_spline_check(causa_ctx *ctx, int degree, const double *knots, int64_t nknots,
                         const char *what) {
    if (degree < 0 || degree > CAUSA_I_SPLINE_MAX_DEGREE)
        return causa_i_error(ctx, CAUSA_EINVAL, "%s: spline degree must be in 0..%d, got %d", what,
                             CAUSA_I_SPLINE_MAX_DEGREE, degree);
    if (nknots < 2)
        return causa_i_error(ctx, CAUSA_EINVAL, "%s: a spline needs at least 2 knots, got %lld",
                             what, (long long)nknots);
    for (int64_t k = 0; k < nknots; k++) {
        if (!isfinite(knots[k]))
            return causa_i_error(ctx, CAUSA_EINVAL, "%s: knot %lld is %g", what, (long long)k + 1,
                                 knots[k]);
        if (k > 0 && !(knots[k] > knots[k - 1]))
            return causa_i_error(ctx, CAUSA_EINVAL,
                                 "%s: knots must increase strictly (knot %lld is %.17g, after %.17g)",
                                 what, (long long)k + 1, knots[k], knots[k - 1]);
    }
    return CAUSA_OK;
}
