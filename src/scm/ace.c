/*
 * ace.c: average causal effects by Monte Carlo with common random numbers.
 *
 * Both arms, do(T = a) and do(T = b), are sampled with the same seed. Because every node
 * of every block draws from its own stream, the two arms share every noise draw and differ
 * only through T: the paired differences Y_a - Y_b have far less variance than two
 * independent samples (zero for nodes T does not reach), and the standard error is the
 * standard deviation of the differences over sqrt(n). Rows are generated in chunks of
 * blocks so memory stays bounded for any n, and summed in row order (Welford), so the
 * result does not depend on the thread count.
 */
#include <math.h>
#include <string.h>

#include "scm_i.h"

void causa_ace_options_init(causa_ace_options *opt) {
    memset(opt, 0, sizeof *opt);
    opt->n = 100000;
    opt->outcome_level = -1;
    causa_scm_query_options_init(&opt->base);
}

typedef struct welford {
    double n, mean, m2;
} welford;

static inline void welford_add(welford *w, double x) {
    w->n += 1;
    double d = x - w->mean;
    w->mean += d / w->n;
    w->m2 += d * (x - w->mean);
}

static double welford_se(const welford *w) {
    if (w->n < 2) return (double)NAN;
    return sqrt(w->m2 / (w->n - 1) / w->n);
}

int causa_scm_ace(causa_ctx *ctx, const causa_scm *scm, int64_t treatment, double a, double b,
                  int64_t outcome, const causa_ace_options *opt, causa_ace_result *out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_ace: out is NULL");
    memset(out, 0, sizeof *out);
    int rc = causa_i_scm_check_node(ctx, scm, treatment, "causa_scm_ace (treatment)");
    if (rc) return rc;
    rc = causa_i_scm_check_node(ctx, scm, outcome, "causa_scm_ace (outcome)");
    if (rc) return rc;
    rc = causa_scm_check(ctx, scm);
    if (rc) return rc;
    causa_ace_options def;
    causa_ace_options_init(&def);
    if (!opt) opt = &def;
    if (treatment == outcome)
        return causa_i_error(ctx, CAUSA_EINVAL, "the treatment and the outcome are the same node '%s'",
                             causa_scm_name(scm, treatment));
    if (opt->n < 2)
        return causa_i_error(ctx, CAUSA_EINVAL, "the number of Monte-Carlo rows must be >= 2, got %lld",
                             (long long)opt->n);
    int ydisc = scm->type[outcome] == CAUSA_DISCRETE;
    if (opt->outcome_level >= 0 && (!ydisc || opt->outcome_level >= scm->nlevels[outcome]))
        return causa_i_error(ctx, CAUSA_EINVAL,
                             ydisc ? "outcome level %lld is out of range for '%s'"
                                   : "outcome level %lld given but '%s' is continuous",
                             (long long)opt->outcome_level, causa_scm_name(scm, outcome));
    if (opt->base.ninterventions < 0 || (opt->base.ninterventions > 0 && !opt->base.interventions))
        return causa_i_error(ctx, CAUSA_EINVAL, "bad list of base interventions");
    int64_t nb = opt->base.ninterventions;
    causa_intervention *iv = NULL;
    causa_i_plan pa, pb;
    memset(&pa, 0, sizeof pa);
    memset(&pb, 0, sizeof pb);
    double *ya = NULL, *yb = NULL;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&iv, (size_t)(nb + 1) * sizeof *iv, "interventions"));
    if (nb) memcpy(iv, opt->base.interventions, (size_t)nb * sizeof *iv);
    memset(&iv[nb], 0, sizeof iv[nb]);
    iv[nb].node = treatment;
    iv[nb].kind = CAUSA_DO_SET;
    iv[nb].dist = causa_dist_none();
    iv[nb].value = a;
    CAUSA_TRY(causa_i_plan_make(ctx, scm, iv, nb + 1, &pa));
    iv[nb].value = b;
    CAUSA_TRY(causa_i_plan_make(ctx, scm, iv, nb + 1, &pb));
    {
        uint64_t seed = causa_i_scm_seed(ctx, &opt->base);
        const int64_t B = CAUSA_SCM_BLOCK;
        int64_t p = scm->p, n = opt->n;
        /* Chunks of about 32 MiB per arm, at least one block per thread. */
        int64_t cb = ((int64_t)32 << 20) / (p * B * (int64_t)sizeof(double));
        cb = CAUSA_MAX(cb, (int64_t)causa_ctx_threads(ctx));
        cb = CAUSA_MAX(cb, 1);
        int64_t chunk = CAUSA_MIN(cb * B, ((n + B - 1) / B) * B);
        size_t bytes = causa_i_mul_size(causa_i_mul_size((size_t)chunk, (size_t)p), sizeof(double));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&ya, bytes, "Monte-Carlo rows"));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&yb, bytes, "Monte-Carlo rows"));
        welford wa = {0, 0, 0}, wb = {0, 0, 0}, wd = {0, 0, 0};
        for (int64_t r0 = 0; r0 < n; r0 += chunk) {
            int64_t nr = CAUSA_MIN(chunk, n - r0);
            CAUSA_TRY(causa_i_scm_sample_rows(ctx, scm, seed, &pa, r0, nr, ya, chunk));
            CAUSA_TRY(causa_i_scm_sample_rows(ctx, scm, seed, &pb, r0, nr, yb, chunk));
            const double *ca = ya + outcome * chunk, *cbv = yb + outcome * chunk;
            for (int64_t i = 0; i < nr; i++) {
                double xa = ca[i], xb = cbv[i];
                if (opt->outcome_level >= 0) {
                    xa = xa == (double)opt->outcome_level;
                    xb = xb == (double)opt->outcome_level;
                }
                welford_add(&wa, xa);
                welford_add(&wb, xb);
                welford_add(&wd, xa - xb);
            }
        }
        out->n = n;
        out->mean_a = wa.mean;
        out->mean_b = wb.mean;
        out->ace = wd.mean;
        out->se = welford_se(&wd);
        out->se_a = welford_se(&wa);
        out->se_b = welford_se(&wb);
    }
done:
    causa_i_free(ctx, iv);
    causa_i_free(ctx, ya);
    causa_i_free(ctx, yb);
    causa_i_plan_free(ctx, &pa);
    causa_i_plan_free(ctx, &pb);
    return rc;
}
