/*
 * eval.c: evaluating mechanisms over a block of rows, and matching a data set's columns
 * to a model's nodes (for predictions, inputs, abduction and counterfactuals).
 *
 * Evaluation is column-at-a-time: a linear node is an axpy per parent over the block, a
 * polynomial a walk over its terms (basis.c), an MLP one axpy per weight, so inner loops
 * run over contiguous rows and vectorise. Nothing here allocates: callers hand in a
 * workspace of causa_i_scm_work_per_row(scm) doubles per row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../linalg/linalg_i.h"
#include "basis_i.h"
#include "scm_i.h"

/* ---- workspace ---- */

int64_t causa_i_scm_work_per_row(const causa_scm *scm) {
    int64_t best = 1;
    for (int64_t v = 0; v < scm->p; v++) {
        const causa_i_mech *m = &scm->mech[v];
        int64_t need = causa_scm_ninputs(scm, v);
        switch (m->kind) {
        case CAUSA_MECH_POLY:
            need += m->degree;
            break;
        case CAUSA_MECH_MLP: {
            int64_t w = 1;
            for (int64_t l = 0; l < m->nhidden; l++) w = CAUSA_MAX(w, m->hidden[l]);
            need += 2 * w;
            break;
        }
        case CAUSA_MECH_LOGISTIC:
            need += scm->nlevels[v];
            break;
        default:
            break;
        }
        best = CAUSA_MAX(best, need);
    }
    return best;
}

/* ---- inputs ---- */

void causa_i_scm_encode(const causa_scm *scm, int64_t v, const double *const *cols,
                        int64_t nrows, double *u) {
    int64_t j = 0;
    for (int64_t k = scm->par_off[v]; k < scm->par_off[v + 1]; k++) {
        int64_t w = scm->par[k];
        const double *x = cols[w];
        if (scm->type[w] == CAUSA_DISCRETE) {
            int64_t L = scm->nlevels[w];
            for (int64_t l = 1; l < L; l++, j++) {
                double *col = u + j * nrows;
                double code = (double)l;
                for (int64_t i = 0; i < nrows; i++) col[i] = x[i] == code ? 1.0 : 0.0;
            }
        } else {
            memcpy(u + j * nrows, x, (size_t)nrows * sizeof(double));
            j++;
        }
    }
}

/* out += sum_j w_j u_j over the parents of v, reading the parents' columns directly (the
 * encoded inputs of a discrete parent are indicators: one weight per non-reference level).
 * Runs of continuous parents go to causa_i_axpy_chain, which adds them in the same order. */
static void add_linear(const causa_scm *scm, int64_t v, const double *w, const double *const *cols,
                       int64_t nrows, double *out) {
    enum { RUN = 16 };
    const double *run_x[RUN];
    double run_w[RUN];
    int nrun = 0;
    int64_t j = 0;
    for (int64_t k = scm->par_off[v]; k < scm->par_off[v + 1]; k++) {
        int64_t p = scm->par[k];
        const double *x = cols[p];
        if (scm->type[p] == CAUSA_DISCRETE) {
            causa_i_axpy_chain(nrows, nrun, run_w, run_x, out);
            nrun = 0;
            const double *wl = w + j - 1; /* weight of level l is wl[l], l >= 1 */
            for (int64_t i = 0; i < nrows; i++) {
                int64_t c = (int64_t)x[i];
                if (c > 0) out[i] += wl[c];
            }
            j += scm->nlevels[p] - 1;
        } else {
            if (nrun == RUN) {
                causa_i_axpy_chain(nrows, nrun, run_w, run_x, out);
                nrun = 0;
            }
            run_x[nrun] = x;
            run_w[nrun++] = w[j++];
        }
    }
    causa_i_axpy_chain(nrows, nrun, run_w, run_x, out);
}

/* ---- continuous mechanisms ---- */

void causa_i_eval_linear_add(const causa_scm *scm, int64_t v, const double *const *cols,
                             int64_t nrows, double *out) {
    const causa_i_mech *m = &scm->mech[v];
    double c = m->intercept;
    if (c != 0.0)
        for (int64_t i = 0; i < nrows; i++) out[i] += c;
    add_linear(scm, v, m->coefs, cols, nrows, out);
}

typedef struct poly_acc {
    const double *w;
    double *out;
} poly_acc;

static void emit_poly(void *ud, int64_t term, const double *col, int64_t nrows) {
    poly_acc *a = ud;
    double w = a->w[term];
    if (w == 0.0) return;
    for (int64_t i = 0; i < nrows; i++) a->out[i] += w * col[i];
}

static inline double activate(int act, double x) {
    switch (act) {
    case CAUSA_ACT_TANH:
        return tanh(x);
    case CAUSA_ACT_RELU:
        return x > 0 ? x : 0.0;
    case CAUSA_ACT_SIGMOID:
        return 1.0 / (1.0 + exp(-x));
    default:
        return x;
    }
}

static void eval_mlp(const causa_i_mech *m, const double *u, int64_t ninputs, int64_t nrows,
                     double *buf, double *out) {
    const double *w = m->coefs;
    const double *in = u;
    int64_t nin = ninputs;
    int64_t width = 1;
    for (int64_t l = 0; l < m->nhidden; l++) width = CAUSA_MAX(width, m->hidden[l]);
    double *bufs[2] = {buf, buf + width * nrows};
    for (int64_t l = 0; l <= m->nhidden; l++) {
        int64_t nout = l < m->nhidden ? m->hidden[l] : 1;
        double *o = l < m->nhidden ? bufs[l & 1] : out;
        const double *bias = w + nout * nin;
        for (int64_t q = 0; q < nout; q++) {
            double *oc = o + q * nrows;
            const double *wq = w + q * nin;
            for (int64_t i = 0; i < nrows; i++) oc[i] = bias[q];
            for (int64_t r = 0; r < nin; r++) {
                double a = wq[r];
                const double *ic = in + r * nrows;
                for (int64_t i = 0; i < nrows; i++) oc[i] += a * ic[i];
            }
            if (l < m->nhidden)
                for (int64_t i = 0; i < nrows; i++) oc[i] = activate(m->activation, oc[i]);
        }
        w += (nin + 1) * nout;
        in = o;
        nin = nout;
    }
}

void causa_i_eval_location(const causa_scm *scm, int64_t v, const double *const *cols,
                           int64_t nrows, double *work, double *out) {
    const causa_i_mech *m = &scm->mech[v];
    int64_t nin = causa_scm_ninputs(scm, v);
    switch (m->kind) {
    case CAUSA_MECH_LINEAR:
        for (int64_t i = 0; i < nrows; i++) out[i] = m->intercept;
        add_linear(scm, v, m->coefs, cols, nrows, out);
        break;
    case CAUSA_MECH_POLY: {
        causa_i_scm_encode(scm, v, cols, nrows, work);
        for (int64_t i = 0; i < nrows; i++) out[i] = m->intercept;
        poly_acc acc = {m->coefs, out};
        causa_i_poly_walk(work, nrows, nrows, nin, m->degree, work + nin * nrows, emit_poly, &acc);
        break;
    }
    case CAUSA_MECH_SPLINE: {
        causa_i_scm_encode(scm, v, cols, nrows, work);
        for (int64_t i = 0; i < nrows; i++) out[i] = m->intercept;
        int64_t koff = 0, coff = 0;
        for (int64_t j = 0; j < nin; j++) {
            const double *t = m->knots + koff, *c = m->coefs + coff;
            int64_t K = m->nknots[j];
            const double *x = work + j * nrows;
            for (int64_t i = 0; i < nrows; i++) {
                double vals[CAUSA_I_SPLINE_MAX_DEGREE + 1];
                int64_t first = causa_i_spline_eval(t, K, m->degree, x[i], vals);
                double s = 0;
                for (int r = 0; r <= m->degree; r++) s += c[first + r] * vals[r];
                out[i] += s;
            }
            koff += K;
            coff += causa_spline_nbasis(K, m->degree);
        }
        break;
    }
    case CAUSA_MECH_MLP:
        causa_i_scm_encode(scm, v, cols, nrows, work);
        eval_mlp(m, work, nin, nrows, work + nin * nrows, out);
        break;
    default: /* ROOT: no location */
        for (int64_t i = 0; i < nrows; i++) out[i] = 0.0;
        break;
    }
}

void causa_i_eval_scale(const causa_scm *scm, int64_t v, const double *const *cols,
                        int64_t nrows, double *work, double *out) {
    const causa_i_mech *m = &scm->mech[v];
    (void)work;
    for (int64_t i = 0; i < nrows; i++) out[i] = m->scale_intercept;
    if (m->scale_coefs) add_linear(scm, v, m->scale_coefs, cols, nrows, out);
    for (int64_t i = 0; i < nrows; i++) out[i] = exp(out[i]);
}

/* ---- discrete mechanisms ---- */

void causa_i_eval_probs(const causa_scm *scm, int64_t v, const double *const *cols,
                        int64_t nrows, double *work, double *out) {
    const causa_i_mech *m = &scm->mech[v];
    int64_t K = scm->nlevels[v];
    if (m->kind == CAUSA_MECH_CPT) {
        const int64_t *par = scm->par + scm->par_off[v];
        int64_t np = scm->par_off[v + 1] - scm->par_off[v];
        for (int64_t i = 0; i < nrows; i++) {
            int64_t r = 0;
            for (int64_t k = 0; k < np; k++) r = r * scm->nlevels[par[k]] + (int64_t)cols[par[k]][i];
            memcpy(out + i * K, m->coefs + r * K, (size_t)K * sizeof(double));
        }
        return;
    }
    /* Multinomial logistic: logits column by column, then a stable softmax per row. */
    int64_t nin = causa_scm_ninputs(scm, v);
    double *logit = work; /* nrows x K */
    for (int64_t k = 0; k < K; k++) {
        const double *ck = m->coefs + k * (1 + nin);
        double *lk = logit + k * nrows;
        for (int64_t i = 0; i < nrows; i++) lk[i] = ck[0];
        add_linear(scm, v, ck + 1, cols, nrows, lk);
    }
    for (int64_t i = 0; i < nrows; i++) {
        double mx = -(double)INFINITY, s = 0;
        for (int64_t k = 0; k < K; k++) mx = CAUSA_MAX(mx, logit[k * nrows + i]);
        for (int64_t k = 0; k < K; k++) s += out[i * K + k] = exp(logit[k * nrows + i] - mx);
        for (int64_t k = 0; k < K; k++) out[i * K + k] /= s;
    }
}

int64_t causa_i_invert_level(const double *prob, int64_t k, double u) {
    double total = 0;
    for (int64_t i = 0; i < k; i++) total += prob[i];
    double t = u * total, acc = 0;
    int64_t last = 0;
    for (int64_t i = 0; i < k; i++) {
        if (prob[i] <= 0) continue;
        acc += prob[i];
        last = i;
        if (t < acc) return i;
    }
    return last;
}

/* ---- data sets ---- */

void causa_i_colmap_free(causa_ctx *ctx, causa_i_colmap *cm) {
    if (cm->remap)
        for (int64_t v = 0; v < cm->p; v++) causa_i_free(ctx, cm->remap[v]);
    causa_i_free(ctx, cm->remap);
    causa_i_free(ctx, cm->col);
    memset(cm, 0, sizeof *cm);
}

/* The model code of the value x of a continuous column for discrete node v: the level whose
 * name is the number's shortest text, else x itself as a code; -1 if neither. */
static int64_t code_of_number(const causa_scm *scm, int64_t v, double x) {
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) break;
    }
    int64_t k = causa_scm_find_level(scm, v, buf);
    if (k >= 0) return k;
    if (x >= 0 && x < (double)scm->nlevels[v] && x == floor(x)) return (int64_t)x;
    return -1;
}

int causa_i_colmap_make(causa_ctx *ctx, const causa_scm *scm, const causa_dataset *ds,
                        const unsigned char *need, causa_i_colmap *cm) {
    int rc = CAUSA_OK;
    memset(cm, 0, sizeof *cm);
    cm->p = scm->p;
    size_t pp = (size_t)(scm->p > 0 ? scm->p : 1);
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&cm->col, pp * sizeof(int64_t), "a column map"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&cm->remap, pp * sizeof(int64_t *), "a level map"));
    for (int64_t v = 0; v < scm->p; v++) {
        cm->col[v] = -1;
        if (need && !need[v]) continue;
        const char *name = causa_scm_name(scm, v);
        int64_t j = causa_dataset_find(ds, name);
        if (j < 0) {
            rc = causa_i_error(ctx, CAUSA_ENOTFOUND, "the data have no column '%s' (a node of the model)",
                               name);
            goto done;
        }
        cm->col[v] = j;
        int dtype = causa_dataset_type(ds, j);
        if (scm->type[v] == CAUSA_CONTINUOUS) {
            if (dtype == CAUSA_DISCRETE) {
                rc = causa_i_error(ctx, CAUSA_EDATA,
                                   "column '%s' is discrete (text levels) but the model's node is "
                                   "continuous",
                                   name);
                goto done;
            }
            continue;
        }
        if (dtype == CAUSA_DISCRETE) {
            int64_t L = causa_dataset_nlevels(ds, j);
            int64_t *map = NULL;
            CAUSA_TRY(causa_i_alloc(ctx, (void **)&map, (size_t)(L > 0 ? L : 1) * sizeof *map, "a level map"));
            cm->remap[v] = map;
            /* -1 for a level the model lacks: an error only if a row uses it. */
            for (int64_t l = 0; l < L; l++)
                map[l] = causa_scm_find_level(scm, v, causa_dataset_level(ds, j, l));
        }
    }
done:
    if (rc) causa_i_colmap_free(ctx, cm);
    return rc;
}

int causa_i_colmap_fill(causa_ctx *ctx, const causa_scm *scm, const causa_dataset *ds,
                        const causa_i_colmap *cm, int64_t v, int64_t row0, int64_t nrows,
                        double *out) {
    const double *x = causa_dataset_column(ds, cm->col[v]) + row0;
    if (scm->type[v] == CAUSA_CONTINUOUS) {
        memcpy(out, x, (size_t)nrows * sizeof(double));
        return CAUSA_OK;
    }
    const int64_t *map = cm->remap[v];
    for (int64_t i = 0; i < nrows; i++) {
        int64_t c;
        if (map) {
            c = map[(int64_t)x[i]];
            if (c < 0) {
                int64_t l = (int64_t)x[i];
                const char *lv = causa_dataset_level(ds, cm->col[v], l);
                return causa_i_error(ctx, CAUSA_EDATA,
                                     "row %lld: '%s' is not a level of '%s' (the model's levels "
                                     "are %s%s)",
                                     (long long)(row0 + i + 1), lv ? lv : "?",
                                     causa_scm_name(scm, v), scm->levels[v][0],
                                     scm->nlevels[v] > 1 ? ", ..." : "");
            }
        } else {
            c = code_of_number(scm, v, x[i]);
            if (c < 0)
                return causa_i_error(ctx, CAUSA_EDATA,
                                     "row %lld: %.17g is neither a level name nor a code of '%s'",
                                     (long long)(row0 + i + 1), x[i], causa_scm_name(scm, v));
        }
        out[i] = (double)c;
    }
    return CAUSA_OK;
}

/* ---- public helpers ---- */

/* Fills the parents' columns of v from data into cols (a block of p pointers into buf). */
static int load_parents(causa_ctx *ctx, const causa_scm *scm, int64_t v, const causa_dataset *data,
                        causa_i_colmap *cm, double **bufp, const double ***colsp) {
    int rc = CAUSA_OK;
    int64_t n = causa_dataset_nrow(data), np = 0;
    const int64_t *par = causa_scm_parents(scm, v, &np);
    unsigned char *need = NULL;
    memset(cm, 0, sizeof *cm);
    double *buf = NULL;
    const double **cols = NULL;
    size_t pp = (size_t)(scm->p > 0 ? scm->p : 1);
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&need, pp, "flags"));
    for (int64_t k = 0; k < np; k++) need[par[k]] = 1;
    CAUSA_TRY(causa_i_colmap_make(ctx, scm, data, need, cm));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&cols, pp * sizeof *cols, "columns"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&buf,
                            causa_i_mul_size((size_t)(np > 0 ? np : 1), causa_i_mul_size((size_t)(n > 0 ? n : 1), sizeof(double))),
                            "parent columns"));
    for (int64_t k = 0; k < np; k++) {
        CAUSA_TRY(causa_i_colmap_fill(ctx, scm, data, cm, par[k], 0, n, buf + k * n));
        cols[par[k]] = buf + k * n;
    }
done:
    causa_i_free(ctx, need);
    *bufp = buf;
    *colsp = cols;
    return rc;
}

int causa_scm_inputs(causa_ctx *ctx, const causa_scm *scm, int64_t v, const causa_dataset *data,
                     double *out) {
    int rc = causa_i_scm_check_node(ctx, scm, v, "causa_scm_inputs");
    if (rc) return rc;
    if (!data || !out) return causa_i_error(ctx, CAUSA_EINVAL, "causa_scm_inputs: NULL argument");
    causa_i_colmap cm;
    double *buf = NULL;
    const double **cols = NULL;
    rc = load_parents(ctx, scm, v, data, &cm, &buf, &cols);
    if (!rc) causa_i_scm_encode(scm, v, cols, causa_dataset_nrow(data), out);
    causa_i_colmap_free(ctx, &cm);
    causa_i_free(ctx, buf);
    causa_i_free(ctx, (void *)cols);
    return rc;
}

int causa_scm_predict(causa_ctx *ctx, const causa_scm *scm, int64_t v, const causa_dataset *data,
                      double *out) {
    int rc = causa_i_scm_check_node(ctx, scm, v, "causa_scm_predict");
    if (rc) return rc;
    if (!data || !out) return causa_i_error(ctx, CAUSA_EINVAL, "causa_scm_predict: NULL argument");
    if (scm->mech[v].kind == CAUSA_MECH_NONE)
        return causa_i_error(ctx, CAUSA_EMISUSE, "node '%s' has no mechanism", causa_scm_name(scm, v));
    causa_i_colmap cm;
    double *buf = NULL, *work = NULL;
    const double **cols = NULL, **bcols = NULL;
    int64_t n = causa_dataset_nrow(data);
    rc = load_parents(ctx, scm, v, data, &cm, &buf, &cols);
    if (rc) goto done;
    {
        /* In blocks, so the workspace stays small. */
        int64_t B = CAUSA_SCM_BLOCK, wpr = causa_i_scm_work_per_row(scm);
        int64_t np = 0, K = scm->nlevels[v];
        const int64_t *par = causa_scm_parents(scm, v, &np);
        size_t pp = (size_t)(scm->p > 0 ? scm->p : 1);
        rc = causa_i_alloc(ctx, (void **)&work,
                           causa_i_mul_size((size_t)(B * (wpr + K)), sizeof(double)), "workspace");
        if (rc) goto done;
        rc = causa_i_alloc0(ctx, (void **)&bcols, pp * sizeof *bcols, "columns");
        if (rc) goto done;
        const causa_i_mech *m = &scm->mech[v];
        double *probs = work + B * wpr;
        for (int64_t r0 = 0; r0 < n; r0 += B) {
            int64_t nr = CAUSA_MIN(B, n - r0);
            for (int64_t k = 0; k < np; k++) bcols[par[k]] = cols[par[k]] + r0;
            if (scm->type[v] == CAUSA_DISCRETE) {
                causa_i_eval_probs(scm, v, bcols, nr, work, probs);
                for (int64_t i = 0; i < nr; i++)
                    for (int64_t k = 0; k < K; k++) out[k * n + r0 + i] = probs[i * K + k];
            } else if (m->kind == CAUSA_MECH_ROOT) {
                double mean;
                causa_dist_moments(&m->noise, &mean, NULL);
                for (int64_t i = 0; i < nr; i++) out[r0 + i] = mean;
            } else {
                causa_i_eval_location(scm, v, bcols, nr, work, out + r0);
            }
        }
    }
done:
    causa_i_colmap_free(ctx, &cm);
    causa_i_free(ctx, buf);
    causa_i_free(ctx, work);
    causa_i_free(ctx, (void *)cols);
    causa_i_free(ctx, (void *)bcols);
    return rc;
}
