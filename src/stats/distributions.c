/*
 * distributions.c: upper-tail probabilities for test statistics.
 *
 * The chi-square upper tail is the regularised upper incomplete gamma function
 * Q(df/2, x/2). It is computed from its power series when x < a + 1 and from its
 * continued fraction (modified Lentz) otherwise (Abramowitz & Stegun 6.5.29 and 6.5.31),
 * so that tiny p-values come out without 1 - P cancellation. Written here rather than
 * taken from a library because the candidates in Debian (GSL, Rmath) are GPL.
 */
#include <float.h>
#include <math.h>

#include "../internal.h"

double causa_normal_sf(double z) { return 0.5 * erfc(z / sqrt(2.0)); }

/* log of the prefactor x^a e^-x / Gamma(a). */
static double log_prefactor(double a, double x) { return a * log(x) - x - lgamma(a); }

/* P(a, x) by the series sum x^n / (a (a+1) ... (a+n)). */
static double gamma_p_series(double a, double x) {
    double term = 1.0 / a, sum = term;
    for (int n = 1; n < 10000; n++) {
        term *= x / (a + n);
        sum += term;
        if (fabs(term) < fabs(sum) * 1e-17) break;
    }
    return sum * exp(log_prefactor(a, x));
}

/* Q(a, x) by the continued fraction 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- ...))). */
static double gamma_q_cf(double a, double x) {
    const double tiny = 1e-300;
    double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
    for (int i = 1; i < 10000; i++) {
        double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (fabs(d) < tiny) d = tiny;
        c = b + an / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1.0) < 1e-16) break;
    }
    return h * exp(log_prefactor(a, x));
}

double causa_chisq_sf(double x, double df) {
    if (isnan(x) || isnan(df) || df <= 0) return NAN;
    if (x <= 0) return 1.0;
    if (isinf(x)) return 0.0;
    double a = 0.5 * df, h = 0.5 * x;
    if (h < a + 1.0) return 1.0 - gamma_p_series(a, h);
    return gamma_q_cf(a, h);
}
