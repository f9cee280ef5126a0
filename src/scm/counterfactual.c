/*
 * counterfactual.c: abduction and counterfactual rows (Pearl's three steps: abduction,
 * action, prediction).
 *
 * Abduction recovers each row's exogenous noise from its observed values:
 *  - a continuous root: N = x (the root's value is its noise);
 *  - a continuous child: N = (x - f(u)) / g(u), exact for additive (g = 1) and
 *    location-scale noise;
 *  - a discrete node drawn by inversion X = F^-1(U): the observed level k only says that U
 *    fell in [F(k-1), F(k)) under the observed parents' probabilities, so U is drawn from
 *    its posterior, uniform on that interval (the "response" consistent with the row).
 * Action replaces the mechanisms of intervened nodes; prediction recomputes, in
 * topological order, every node downstream of an intervention from its new parents and
 * its abducted noise. Nodes that no intervention reaches keep their observed values
 * bit for bit. The draws (posterior U, stochastic interventions) come from per-block,
 * per-node streams, so results do not depend on the thread count.
 */
#include <math.h>
#include <string.h>
#if CAUSA_OPENMP
#include <omp.h>
#endif

#include "scm_i.h"

typedef struct cf_ws {
    double *work, *buf, *probs;
    const double **cols;
} cf_ws;

static void ws_free(causa_ctx *ctx, cf_ws *ws, int nt) {
    if (!ws) return;
    for (int t = 0; t < nt; t++) {
        causa_i_free(ctx, ws[t].work);
        causa_i_free(ctx, ws[t].buf);
        causa_i_free(ctx, ws[t].probs);
        causa_i_free(ctx, (void *)ws[t].cols);
    }
    causa_i_free(ctx, ws);
}

static int ws_alloc(causa_ctx *ctx, const causa_scm *scm, int nt, cf_ws **out) {
    int rc = CAUSA_OK;
    cf_ws *ws = NULL;
    *out = NULL;
    int64_t B = CAUSA_SCM_BLOCK, wpr = causa_i_scm_work_per_row(scm), K = 1;
    for (int64_t v = 0; v < scm->p; v++) K = CAUSA_MAX(K, scm->nlevels[v]);
    size_t pp = (size_t)(scm->p > 0 ? scm->p : 1);
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ws, (size_t)nt * sizeof *ws, "workspaces"));
    for (int t = 0; t < nt; t++) {
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&ws[t].work, (size_t)(B * wpr) * sizeof(double), "a workspace"));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&ws[t].buf, (size_t)(2 * B) * sizeof(double), "a workspace"));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&ws[t].probs, (size_t)(B * K) * sizeof(double), "a workspace"));
        CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ws[t].cols, pp * sizeof(double *), "a workspace"));
    }
    *out = ws;
    ws = NULL;
done:
    ws_free(ctx, ws, nt);
    return rc;
}

/* The stream of a counterfactual's stochastic-intervention draws (distinct from the
 * abduction stream of the same node and block). */
static inline uint64_t action_stream(int64_t block, int64_t v) {
    return causa_i_scm_stream(block, v) | ((uint64_t)1 << 63);
}

/* Abducts the noise of one block. Returns the first row (0-based within the block) whose
 * observed level has probability 0, with its node in *bad_node; -1 if none. */
static int64_t abduct_block(const causa_scm *scm, uint64_t seed, int64_t block, int64_t nr,
                            const double *obs, double *noise, int64_t ld, cf_ws *ws,
                            int64_t *bad_node) {
    const double **cols = ws->cols;
    for (int64_t v = 0; v < scm->p; v++) cols[v] = obs + v * ld;
    int64_t bad = -1;
    for (int64_t t = 0; t < scm->p; t++) {
        int64_t v = scm->order[t];
        const double *x = obs + v * ld;
        double *e = noise + v * ld;
        const causa_i_mech *m = &scm->mech[v];
        if (scm->type[v] == CAUSA_DISCRETE) {
            int64_t K = scm->nlevels[v];
            causa_rng rng;
            causa_rng_init(&rng, seed, causa_i_scm_stream(block, v));
            causa_i_eval_probs(scm, v, cols, nr, ws->work, ws->probs);
            for (int64_t i = 0; i < nr; i++) {
                const double *pr = ws->probs + i * K;
                int64_t k = (int64_t)x[i];
                double total = 0, lo = 0;
                for (int64_t l = 0; l < K; l++) {
                    if (l < k) lo += pr[l];
                    total += pr[l];
                }
                double u = causa_rng_uniform(&rng);
                if (!(pr[k] > 0)) {
                    if (bad < 0 || i < bad) bad = i, *bad_node = v;
                    e[i] = 0;
                    continue;
                }
                /* U uniform on [F(k-1), F(k)). Rounding could put it just outside the
                 * interval as inversion sees it: then take the interval's midpoint. */
                double a = lo / total, w = pr[k] / total;
                double ui = a + w * u;
                if (causa_i_invert_level(pr, K, ui) != k) ui = a + 0.5 * w;
                e[i] = ui;
            }
            continue;
        }
        if (m->kind == CAUSA_MECH_ROOT) {
            memcpy(e, x, (size_t)nr * sizeof(double));
            continue;
        }
        double *f = ws->buf, *g = ws->buf + CAUSA_SCM_BLOCK;
        causa_i_eval_location(scm, v, cols, nr, ws->work, f);
        if (m->scaled) {
            causa_i_eval_scale(scm, v, cols, nr, ws->work, g);
            for (int64_t i = 0; i < nr; i++) e[i] = (x[i] - f[i]) / g[i];
        } else {
            for (int64_t i = 0; i < nr; i++) e[i] = x[i] - f[i];
        }
    }
    return bad;
}

/* Prediction for one block: out holds the observed values and is changed in place. */
static void predict_block(const causa_scm *scm, uint64_t seed, const causa_i_plan *plan,
                          int64_t block, int64_t nr, double *out, const double *noise, int64_t ld,
                          cf_ws *ws) {
    const double **cols = ws->cols;
    for (int64_t v = 0; v < scm->p; v++) cols[v] = out + v * ld;
    for (int64_t t = 0; t < scm->p; t++) {
        int64_t v = scm->order[t];
        if (!plan->affected[v]) continue;
        double *x = out + v * ld;
        const double *e = noise + v * ld;
        int kind = plan->kind[v];
        if (kind == CAUSA_DO_SET) {
            for (int64_t i = 0; i < nr; i++) x[i] = plan->value[v];
            continue;
        }
        if (kind == CAUSA_DO_DIST) {
            causa_rng rng;
            causa_rng_init(&rng, seed, action_stream(block, v));
            causa_i_dist_fill(plan->dist[v], &rng, x, nr);
            continue;
        }
        /* Downstream (or shifted): were the parents changed? */
        int parents_changed = 0;
        for (int64_t k = scm->par_off[v]; k < scm->par_off[v + 1]; k++)
            parents_changed |= plan->affected[scm->par[k]];
        const causa_i_mech *m = &scm->mech[v];
        if (parents_changed) {
            if (scm->type[v] == CAUSA_DISCRETE) {
                int64_t K = scm->nlevels[v];
                causa_i_eval_probs(scm, v, cols, nr, ws->work, ws->probs);
                for (int64_t i = 0; i < nr; i++)
                    x[i] = (double)causa_i_invert_level(ws->probs + i * K, K, e[i]);
            } else {
                double *f = ws->buf, *g = ws->buf + CAUSA_SCM_BLOCK;
                causa_i_eval_location(scm, v, cols, nr, ws->work, f);
                if (m->scaled) {
                    causa_i_eval_scale(scm, v, cols, nr, ws->work, g);
                    for (int64_t i = 0; i < nr; i++) x[i] = f[i] + g[i] * e[i];
                } else {
                    for (int64_t i = 0; i < nr; i++) x[i] = f[i] + e[i];
                }
            }
        }
        if (kind == CAUSA_DO_SHIFT)
            for (int64_t i = 0; i < nr; i++) x[i] += plan->value[v];
    }
}

/* Reads the observed rows into model columns (obs, n x p column-major), then abducts the
 * noise into noise (n x p). */
static int abduct(causa_ctx *ctx, const causa_scm *scm, const causa_dataset *observed,
                  uint64_t seed, double *obs, double *noise) {
    int rc = CAUSA_OK;
    int64_t n = causa_dataset_nrow(observed), B = CAUSA_SCM_BLOCK;
    int64_t nblocks = (n + B - 1) / B;
    int nt = causa_i_scm_threads(ctx, nblocks);
    causa_i_colmap cm;
    cf_ws *ws = NULL;
    int64_t *bad = NULL, *bad_node = NULL;
    memset(&cm, 0, sizeof cm);
    CAUSA_TRY(causa_i_colmap_make(ctx, scm, observed, NULL, &cm));
    for (int64_t v = 0; v < scm->p; v++)
        CAUSA_TRY(causa_i_colmap_fill(ctx, scm, observed, &cm, v, 0, n, obs + v * n));
    CAUSA_TRY(ws_alloc(ctx, scm, nt, &ws));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&bad, (size_t)(nblocks > 0 ? nblocks : 1) * sizeof *bad, "flags"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&bad_node, (size_t)(nblocks > 0 ? nblocks : 1) * sizeof *bad, "flags"));
    CAUSA_TRY(causa_i_check_interrupt(ctx));
#if CAUSA_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
#endif
    for (int64_t k = 0; k < nblocks; k++) {
        int tid = 0;
#if CAUSA_OPENMP
        tid = omp_get_thread_num();
#endif
        int64_t r = k * B, nr = CAUSA_MIN(B, n - r);
        bad[k] = abduct_block(scm, seed, k, nr, obs + r, noise + r, n, &ws[tid], &bad_node[k]);
    }
    for (int64_t k = 0; k < nblocks; k++)
        if (bad[k] >= 0) {
            int64_t row = k * B + bad[k], v = bad_node[k];
            rc = causa_i_error(ctx, CAUSA_EDATA,
                               "row %lld is impossible under the model: '%s' = '%s' has "
                               "probability 0 given its parents",
                               (long long)row + 1, causa_scm_name(scm, v),
                               causa_scm_level(scm, v, (int64_t)obs[v * n + row]));
            goto done;
        }
done:
    causa_i_colmap_free(ctx, &cm);
    ws_free(ctx, ws, nt);
    causa_i_free(ctx, bad);
    causa_i_free(ctx, bad_node);
    return rc;
}

static int check_args(causa_ctx *ctx, const causa_scm *scm, const causa_dataset *observed,
                      void *out, const char *fn) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "%s: out is NULL", fn);
    if (!scm || !observed)
        return causa_i_error(ctx, CAUSA_EMISUSE, "%s: the model or the data is NULL", fn);
    return causa_scm_check(ctx, scm);
}

int causa_scm_abduct(causa_ctx *ctx, const causa_scm *scm, const causa_dataset *observed,
                     const causa_scm_query_options *opt, causa_dataset **noise) {
    int rc = check_args(ctx, scm, observed, noise, "causa_scm_abduct");
    if (noise) *noise = NULL;
    if (rc) return rc;
    int64_t n = causa_dataset_nrow(observed);
    double *obs = NULL;
    causa_dataset *ds = NULL;
    CAUSA_TRY(causa_dataset_new(ctx, n, scm->p, &ds));
    for (int64_t v = 0; v < scm->p; v++)
        CAUSA_TRY(causa_dataset_set_name(ctx, ds, v, causa_scm_name(scm, v)));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&obs,
                            causa_i_mul_size(causa_i_mul_size((size_t)(n > 0 ? n : 1), (size_t)(scm->p > 0 ? scm->p : 1)), sizeof(double)),
                            "observed values"));
    CAUSA_TRY(abduct(ctx, scm, observed, causa_i_scm_seed(ctx, opt), obs, causa_dataset_data_mut(ds)));
    *noise = ds;
    ds = NULL;
done:
    causa_i_free(ctx, obs);
    causa_dataset_free(ds);
    return rc;
}

int causa_scm_counterfactual(causa_ctx *ctx, const causa_scm *scm, const causa_dataset *observed,
                             const causa_scm_query_options *opt, causa_dataset **out) {
    int rc = check_args(ctx, scm, observed, out, "causa_scm_counterfactual");
    if (out) *out = NULL;
    if (rc) return rc;
    int64_t n = causa_dataset_nrow(observed), B = CAUSA_SCM_BLOCK;
    int64_t nblocks = (n + B - 1) / B;
    double *noise = NULL;
    causa_dataset *ds = NULL;
    cf_ws *ws = NULL;
    uint64_t seed = causa_i_scm_seed(ctx, opt);
    int nt = causa_i_scm_threads(ctx, nblocks);
    causa_i_plan plan;
    rc = causa_i_plan_make(ctx, scm, opt ? opt->interventions : NULL, opt ? opt->ninterventions : 0,
                           &plan);
    if (rc) return rc;
    CAUSA_TRY(causa_i_scm_dataset(ctx, scm, n, &ds));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&noise,
                            causa_i_mul_size(causa_i_mul_size((size_t)(n > 0 ? n : 1), (size_t)(scm->p > 0 ? scm->p : 1)), sizeof(double)),
                            "abducted noise"));
    double *x = causa_dataset_data_mut(ds);
    CAUSA_TRY(abduct(ctx, scm, observed, seed, x, noise));
    CAUSA_TRY(ws_alloc(ctx, scm, nt, &ws));
#if CAUSA_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
#endif
    for (int64_t k = 0; k < nblocks; k++) {
        int tid = 0;
#if CAUSA_OPENMP
        tid = omp_get_thread_num();
#endif
        int64_t r = k * B, nr = CAUSA_MIN(B, n - r);
        predict_block(scm, seed, &plan, k, nr, x + r, noise + r, n, &ws[tid]);
    }
    *out = ds;
    ds = NULL;
done:
    ws_free(ctx, ws, nt);
    causa_i_free(ctx, noise);
    causa_dataset_free(ds);
    causa_i_plan_free(ctx, &plan);
    return rc;
}
