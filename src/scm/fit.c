/*
 * fit.c: causa_scm_fit, fitting a structural causal model to data over a given DAG, and
 * its per-node report (docs/ALGORITHMS.md, "Fitting SCMs"; the families and the choice
 * rule are described in include/causa/scm.h, "fit").
 *
 * Steps: the data's columns and the graph's nodes are matched by name (both ways); the
 * graph must be a DAG; a model over the graph is made and every discrete column declares
 * its node discrete with the column's levels (before any mechanism, since a discrete
 * parent's levels define its children's inputs). Then node by node: the encoded inputs
 * come from the model (causa_scm_inputs), the candidates of the node are scored by k-fold
 * cross-validation on one set of folds, the kept family is refitted on every row, and its
 * coefficients go into the model through the setters. The fitted models' own evaluation is
 * never duplicated here: the candidates only need to predict held-out rows.
 *
 * Choosing (family AUTO): among the candidates, the smallest CV error e* with standard
 * error s*; the kept candidate is the one with the fewest free parameters whose CV error
 * is at most e* + s* (the "one-standard-error rule", Hastie, Tibshirani & Friedman, The
 * Elements of Statistical Learning, 2nd ed., section 7.10), so a richer family must beat a
 * simpler one by more than the noise of the CV estimate.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fit_i.h"
#include "scm_i.h"

struct causa_fit_report {
    causa_ctx *ctx;
    int64_t p, n;
    int family;    /* requested */
    int64_t folds;
    int noise;
    int64_t check_rows;
    char **names;
    int *type;
    int64_t *nlevels;
    char **parents; /* "A, B" per node */
    causa_fit_node *nodes;
};

static const char *const family_names[CAUSA_FIT_NFAMILIES] = {"auto", "linear", "poly2", "spline",
                                                              "logistic", "cpt", "root"};

const char *causa_fit_family_name(int family) {
    return family >= 0 && family < CAUSA_FIT_NFAMILIES ? family_names[family] : NULL;
}

int causa_fit_family_from_name(const char *name) {
    if (!name) return -1;
    for (int i = 0; i < CAUSA_FIT_NFAMILIES; i++)
        if (strcasecmp(name, family_names[i]) == 0) return i;
    if (strcasecmp(name, "poly") == 0) return CAUSA_FIT_POLY2;
    return -1;
}

void causa_fit_options_init(causa_fit_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->family = CAUSA_FIT_AUTO;
    opt->folds = 5;
    opt->noise = CAUSA_FIT_NOISE_GAUSSIAN;
    opt->ridge = 0.0;
    opt->spline_ridge = 1e-4;
    opt->spline_knots = 7;
    opt->logistic_ridge = 1e-3;
    opt->cpt_alpha = 1.0;
    opt->max_iter = 100;
    opt->check_rows = 1000;
    opt->seed = 0;
}

static int check_options(causa_ctx *ctx, const causa_fit_options *o) {
    if (o->family < CAUSA_FIT_AUTO || o->family > CAUSA_FIT_CPT)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "fit: family must be auto, linear, poly2, spline, logistic or cpt (got %d)",
                             o->family);
    if (o->folds == 1 || o->folds < 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "fit: folds must be >= 2, or 0 for no cross-validation; got %lld",
                             (long long)o->folds);
    if (o->folds == 0 && o->family == CAUSA_FIT_AUTO)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "fit: family auto chooses by cross-validation: folds must be >= 2");
    if (o->noise != CAUSA_FIT_NOISE_GAUSSIAN && o->noise != CAUSA_FIT_NOISE_EMPIRICAL)
        return causa_i_error(ctx, CAUSA_EINVAL, "fit: noise must be gaussian (0) or empirical (1), got %d",
                             o->noise);
    if (!(o->ridge >= 0) || !isfinite(o->ridge))
        return causa_i_error(ctx, CAUSA_EINVAL, "fit: ridge must be >= 0, got %g", o->ridge);
    if (!(o->spline_ridge > 0) || !isfinite(o->spline_ridge))
        return causa_i_error(ctx, CAUSA_EINVAL, "fit: spline_ridge must be > 0, got %g", o->spline_ridge);
    if (o->spline_knots < 2 || o->spline_knots > 200)
        return causa_i_error(ctx, CAUSA_EINVAL, "fit: spline_knots must be in [2, 200], got %lld",
                             (long long)o->spline_knots);
    if (!(o->logistic_ridge >= 0) || !isfinite(o->logistic_ridge))
        return causa_i_error(ctx, CAUSA_EINVAL, "fit: logistic_ridge must be >= 0, got %g", o->logistic_ridge);
    if (!(o->cpt_alpha >= 0) || !isfinite(o->cpt_alpha))
        return causa_i_error(ctx, CAUSA_EINVAL, "fit: cpt_alpha must be >= 0, got %g", o->cpt_alpha);
    if (o->max_iter < 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "fit: max_iter must be >= 1, got %lld", (long long)o->max_iter);
    if (o->check_rows < 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "fit: check_rows must be >= 0, got %lld",
                             (long long)o->check_rows);
    return CAUSA_OK;
}

/* ---- the report ---- */

void causa_fit_report_free(causa_fit_report *r) {
    if (!r) return;
    causa_ctx *ctx = r->ctx;
    for (int64_t v = 0; v < r->p; v++) {
        if (r->names) causa_i_free(ctx, r->names[v]);
        if (r->parents) causa_i_free(ctx, r->parents[v]);
    }
    causa_i_free(ctx, r->names);
    causa_i_free(ctx, r->parents);
    causa_i_free(ctx, r->type);
    causa_i_free(ctx, r->nlevels);
    causa_i_free(ctx, r->nodes);
    causa_i_free(ctx, r);
}

int64_t causa_fit_report_nnodes(const causa_fit_report *r) { return r ? r->p : 0; }

int causa_fit_report_node(const causa_fit_report *r, int64_t v, causa_fit_node *out) {
    if (!r || !out) return CAUSA_EMISUSE;
    if (v < 0 || v >= r->p) return CAUSA_EINVAL;
    *out = r->nodes[v];
    return CAUSA_OK;
}

static int report_new(causa_ctx *ctx, const causa_scm *scm, int64_t n, const causa_fit_options *o,
                      causa_fit_report **out) {
    int rc = CAUSA_OK;
    int64_t p = causa_scm_nnodes(scm);
    causa_fit_report *r = NULL;
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&r, sizeof *r, "a fit report"));
    r->ctx = ctx;
    r->n = n;
    r->family = o->family;
    r->folds = o->folds;
    r->noise = o->noise;
    r->check_rows = o->check_rows;
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&r->names, (size_t)CAUSA_MAX(p, 1) * sizeof *r->names, "a fit report"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&r->parents, (size_t)CAUSA_MAX(p, 1) * sizeof *r->parents,
                             "a fit report"));
    r->p = p; /* from here on causa_fit_report_free frees the names set so far */
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&r->type, (size_t)CAUSA_MAX(p, 1) * sizeof *r->type, "a fit report"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&r->nlevels, (size_t)CAUSA_MAX(p, 1) * sizeof *r->nlevels,
                             "a fit report"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&r->nodes, (size_t)CAUSA_MAX(p, 1) * sizeof *r->nodes, "a fit report"));
    for (int64_t v = 0; v < p; v++) {
        if (!(r->names[v] = causa_i_strdup(ctx, causa_scm_name(scm, v)))) {
            rc = causa_i_nomem(ctx, "a fit report", 16);
            goto done;
        }
        int64_t np = 0;
        const int64_t *pa = causa_scm_parents(scm, v, &np);
        b.len = 0;
        for (int64_t k = 0; k < np; k++)
            CAUSA_TRY(causa_i_buf_printf(&b, "%s%s", k ? ", " : "", causa_scm_name(scm, pa[k])));
        CAUSA_TRY(causa_i_buf_append(&b, "", 1));
        if (!(r->parents[v] = causa_i_strdup(ctx, b.data))) {
            rc = causa_i_nomem(ctx, "a fit report", b.len);
            goto done;
        }
        r->type[v] = causa_scm_type(scm, v);
        r->nlevels[v] = causa_scm_nlevels(scm, v);
        causa_fit_node *nd = &r->nodes[v];
        nd->family = CAUSA_FIT_AUTO;
        nd->r2 = nd->logloss = nd->noise_sd = nd->cv_error = nd->cv_se = (double)NAN;
        nd->check_stat = nd->check_pvalue = (double)NAN;
        for (int f = 0; f < CAUSA_FIT_NFAMILIES; f++) nd->cv[f] = (double)NAN;
    }
    *out = r;
    r = NULL;
done:
    causa_i_buf_free(&b);
    causa_fit_report_free(r);
    return rc;
}

/* A number for the text table: "-" for NaN. */
static void num(char *buf, size_t cap, double x, int digits) {
    if (isnan(x)) snprintf(buf, cap, "-");
    else snprintf(buf, cap, "%.*g", digits, fabs(x) < 1e-300 ? 0.0 : x);
}

static int json_string(causa_i_buf *b, const char *s) {
    int rc = causa_i_buf_append(b, "\"", 1);
    for (const unsigned char *c = (const unsigned char *)s; !rc && *c; c++) {
        if (*c == '"' || *c == '\\') rc = causa_i_buf_printf(b, "\\%c", *c);
        else if (*c < 0x20) rc = causa_i_buf_printf(b, "\\u%04x", *c);
        else rc = causa_i_buf_append(b, c, 1);
    }
    return rc ? rc : causa_i_buf_append(b, "\"", 1);
}

static int json_num(causa_i_buf *b, double x, int digits) {
    if (!isfinite(x)) return causa_i_buf_printf(b, "null");
    return causa_i_buf_printf(b, "%.*g", digits, x == 0.0 ? 0.0 : x);
}

static int report_json(const causa_fit_report *r, causa_i_buf *b, int digits) {
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_buf_printf(b, "{\n  \"nodes\": %lld,\n  \"rows\": %lld,\n  \"family\": \"%s\",\n"
                                    "  \"folds\": %lld,\n  \"noise\": \"%s\",\n",
                                 (long long)r->p, (long long)r->n, family_names[r->family],
                                 (long long)r->folds, r->noise ? "empirical" : "gaussian"));
    CAUSA_TRY(causa_i_buf_printf(b, "  \"cv_loss\": {\"continuous\": \"mse\", \"discrete\": \"log-loss\"},\n"
                                    "  \"selection\": \"one-standard-error\",\n"
                                    "  \"check\": \"hsic-gamma\",\n  \"fits\": [\n"));
    for (int64_t v = 0; v < r->p; v++) {
        const causa_fit_node *nd = &r->nodes[v];
        CAUSA_TRY(causa_i_buf_printf(b, "    {\"name\": "));
        CAUSA_TRY(json_string(b, r->names[v]));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"type\": \"%s\"", r->type[v] == CAUSA_DISCRETE ? "discrete" : "continuous"));
        if (r->type[v] == CAUSA_DISCRETE) CAUSA_TRY(causa_i_buf_printf(b, ", \"levels\": %lld", (long long)r->nlevels[v]));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"parents\": "));
        CAUSA_TRY(json_string(b, r->parents[v]));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"family\": \"%s\", \"mechanism\": \"%s\", \"inputs\": %lld, \"coefs\": %lld",
                                     family_names[nd->family], causa_mech_name(nd->mechanism),
                                     (long long)nd->ninputs, (long long)nd->ncoefs));
        CAUSA_TRY(causa_i_buf_printf(b, ",\n     \"r2\": "));
        CAUSA_TRY(json_num(b, nd->r2, digits));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"logloss\": "));
        CAUSA_TRY(json_num(b, nd->logloss, digits));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"noise_sd\": "));
        CAUSA_TRY(json_num(b, nd->noise_sd, digits));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"cv_error\": "));
        CAUSA_TRY(json_num(b, nd->cv_error, digits));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"cv_se\": "));
        CAUSA_TRY(json_num(b, nd->cv_se, digits));
        CAUSA_TRY(causa_i_buf_printf(b, ",\n     \"cv\": {"));
        int first = 1;
        for (int f = CAUSA_FIT_LINEAR; f <= CAUSA_FIT_CPT; f++) {
            if (isnan(nd->cv[f])) continue;
            CAUSA_TRY(causa_i_buf_printf(b, "%s\"%s\": ", first ? "" : ", ", family_names[f]));
            CAUSA_TRY(json_num(b, nd->cv[f], digits));
            first = 0;
        }
        CAUSA_TRY(causa_i_buf_printf(b, "}, \"check_stat\": "));
        CAUSA_TRY(json_num(b, nd->check_stat, digits));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"check_pvalue\": "));
        CAUSA_TRY(json_num(b, nd->check_pvalue, digits));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"check_rows\": %lld}%s\n", (long long)nd->check_rows,
                                     v + 1 < r->p ? "," : ""));
    }
    CAUSA_TRY(causa_i_buf_printf(b, "  ]\n}\n"));
done:
    return rc;
}

#define NCOLS 10

static int report_table(const causa_fit_report *r, causa_i_buf *b, int digits) {
    int rc = CAUSA_OK;
    static const char *const head[NCOLS] = {"node",   "type",     "parents",     "family",     "coefs",
                                            "R2/log-loss", "noise sd", "CV error (se)", "CV by candidate",
                                            "HSIC p"};
    char cell[NCOLS][512];
    size_t w[NCOLS];
    for (int c = 0; c < NCOLS; c++) w[c] = strlen(head[c]);
    /* Two passes: widths, then the lines. */
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            for (int c = 0; c < NCOLS; c++)
                CAUSA_TRY(causa_i_buf_printf(b, "%-*s%s", c + 1 < NCOLS ? (int)w[c] : 0, head[c],
                                             c + 1 < NCOLS ? "  " : "\n"));
        }
        for (int64_t v = 0; v < r->p; v++) {
            const causa_fit_node *nd = &r->nodes[v];
            char a[64], s[64];
            snprintf(cell[0], sizeof cell[0], "%s", r->names[v]);
            if (r->type[v] == CAUSA_DISCRETE) snprintf(cell[1], sizeof cell[1], "discrete(%lld)", (long long)r->nlevels[v]);
            else snprintf(cell[1], sizeof cell[1], "continuous");
            snprintf(cell[2], sizeof cell[2], "%s", r->parents[v][0] ? r->parents[v] : "-");
            const char *fam = family_names[nd->family];
            if (nd->family == CAUSA_FIT_ROOT) fam = r->noise ? "empirical" : "gaussian";
            snprintf(cell[3], sizeof cell[3], "%s", fam);
            snprintf(cell[4], sizeof cell[4], "%lld", (long long)nd->ncoefs);
            if (!isnan(nd->r2)) {
                num(a, sizeof a, nd->r2, digits);
                snprintf(cell[5], sizeof cell[5], "R2 %s", a);
            } else if (!isnan(nd->logloss)) {
                num(a, sizeof a, nd->logloss, digits);
                snprintf(cell[5], sizeof cell[5], "LL %s", a);
            } else {
                snprintf(cell[5], sizeof cell[5], "-");
            }
            num(cell[6], sizeof cell[6], nd->noise_sd, digits);
            if (!isnan(nd->cv_error)) {
                num(a, sizeof a, nd->cv_error, digits);
                num(s, sizeof s, nd->cv_se, 2);
                snprintf(cell[7], sizeof cell[7], "%s (%s)", a, s);
            } else {
                snprintf(cell[7], sizeof cell[7], "-");
            }
            cell[8][0] = '\0';
            size_t len = 0;
            for (int f = CAUSA_FIT_LINEAR; f <= CAUSA_FIT_CPT; f++) {
                if (isnan(nd->cv[f])) continue;
                num(a, sizeof a, nd->cv[f], digits);
                int k = snprintf(cell[8] + len, sizeof cell[8] - len, "%s%s %s%s", len ? ", " : "",
                                 family_names[f], a, f == nd->family ? "*" : "");
                if (k > 0 && (size_t)k < sizeof cell[8] - len) len += (size_t)k;
            }
            if (!len) snprintf(cell[8], sizeof cell[8], "-");
            num(cell[9], sizeof cell[9], nd->check_pvalue, 3);
            if (pass == 0) {
                for (int c = 0; c < NCOLS; c++) w[c] = CAUSA_MAX(w[c], strlen(cell[c]));
            } else {
                for (int c = 0; c < NCOLS; c++)
                    CAUSA_TRY(causa_i_buf_printf(b, "%-*s%s", c + 1 < NCOLS ? (int)w[c] : 0, cell[c],
                                                 c + 1 < NCOLS ? "  " : "\n"));
            }
        }
    }
    if (r->folds >= 2)
        CAUSA_TRY(causa_i_buf_printf(b, "CV: %lld-fold, mean squared error (continuous) or log-loss in nats "
                                        "(discrete); * marks the kept family%s.\n",
                                     (long long)r->folds,
                                     r->family == CAUSA_FIT_AUTO
                                         ? " (fewest coefficients within one standard error of the best)"
                                         : ""));
    else
        CAUSA_TRY(causa_i_buf_printf(b, "CV: none (--folds 0).\n"));
    if (r->check_rows > 0)
        CAUSA_TRY(causa_i_buf_printf(b, "HSIC p: residual vs parents, Gaussian kernels, gamma approximation, "
                                        "at most %lld rows; small p: the residuals depend on the parents "
                                        "(misfit or non-additive noise).\n",
                                     (long long)r->check_rows));
done:
    return rc;
}

int causa_fit_report_text(causa_ctx *ctx, const causa_fit_report *r, int json, int digits,
                          char **out, size_t *len) {
    if (!ctx || !r || !out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_fit_report_text: NULL argument");
    *out = NULL;
    if (len) *len = 0;
    if (digits <= 0) digits = json ? 17 : 6;
    if (digits > 17) digits = 17;
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = json ? report_json(r, &b, digits) : report_table(r, &b, digits);
    if (!rc) rc = causa_i_buf_append(&b, "", 1);
    if (rc) {
        causa_i_buf_free(&b);
        return rc;
    }
    *out = b.data;
    if (len) *len = b.len - 1;
    return CAUSA_OK;
}

/* ---- checks of the graph against the data ---- */

static int match_names(causa_ctx *ctx, const causa_dataset *data, const causa_graph *dag, int64_t *col) {
    int64_t p = causa_graph_nnodes(dag), q = causa_dataset_ncol(data);
    for (int64_t v = 0; v < p; v++) {
        col[v] = causa_dataset_find(data, causa_graph_name(dag, v));
        if (col[v] < 0)
            return causa_i_error(ctx, CAUSA_ENOTFOUND,
                                 "fit: node '%s' of the graph is not a column of the data (the graph and "
                                 "the data must have the same variables)",
                                 causa_graph_name(dag, v));
    }
    for (int64_t j = 0; j < q; j++)
        if (causa_graph_find(dag, causa_dataset_name(data, j)) < 0)
            return causa_i_error(ctx, CAUSA_ENOTFOUND,
                                 "fit: column '%s' of the data is not a node of the graph (the graph and "
                                 "the data must have the same variables)",
                                 causa_dataset_name(data, j));
    return CAUSA_OK;
}

static int check_dag(causa_ctx *ctx, const causa_graph *dag) {
    int rc = CAUSA_OK;
    int64_t p = causa_graph_nnodes(dag), ne = causa_graph_nedges(dag), len = 0;
    causa_edge *e = NULL;
    int64_t *cyc = NULL;
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&e, (size_t)CAUSA_MAX(ne, 1) * sizeof *e, "edges"));
    causa_graph_edges(dag, e);
    for (int64_t i = 0; i < ne; i++) {
        int fwd = e[i].mark_a == CAUSA_MARK_TAIL && e[i].mark_b == CAUSA_MARK_ARROW;
        int back = e[i].mark_a == CAUSA_MARK_ARROW && e[i].mark_b == CAUSA_MARK_TAIL;
        if (!fwd && !back) {
            static const char glyph[4] = {'?', '-', '>', 'o'};
            char g[4] = {e[i].mark_a == CAUSA_MARK_ARROW ? '<' : glyph[e[i].mark_a & 3], '-',
                         glyph[e[i].mark_b & 3], 0};
            rc = causa_i_error(ctx, CAUSA_EINVAL,
                               "fit: the edge %s %s %s is not directed; fitting needs a DAG",
                               causa_graph_name(dag, e[i].a), g, causa_graph_name(dag, e[i].b));
            goto done;
        }
    }
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&cyc, (size_t)CAUSA_MAX(p, 1) * sizeof *cyc, "a cycle"));
    CAUSA_TRY(causa_graph_find_cycle(ctx, dag, cyc, &len));
    if (len > 0) {
        for (int64_t i = 0; i < len; i++) CAUSA_TRY(causa_i_buf_printf(&b, "%s -> ", causa_graph_name(dag, cyc[i])));
        CAUSA_TRY(causa_i_buf_printf(&b, "%s", causa_graph_name(dag, cyc[0])));
        rc = causa_i_error(ctx, CAUSA_ECYCLE, "fit: the graph has a directed cycle %s; fitting needs a DAG",
                           b.data);
        goto done;
    }
done:
    causa_i_free(ctx, e);
    causa_i_free(ctx, cyc);
    causa_i_buf_free(&b);
    return rc;
}

/* ---- one node ---- */

typedef struct node_ws {
    double *u;      /* n x m inputs */
    double *r;      /* n residuals / predictions */
    double *prob;   /* n x K probabilities */
    int64_t *cfg;   /* n parent combinations */
    int64_t *fold;  /* n folds */
} node_ws;

static void ws_free(causa_ctx *ctx, node_ws *w) {
    causa_i_free(ctx, w->u);
    causa_i_free(ctx, w->r);
    causa_i_free(ctx, w->prob);
    causa_i_free(ctx, w->cfg);
    causa_i_free(ctx, w->fold);
    memset(w, 0, sizeof *w);
}

/* The candidates of a node (by the rules in scm.h); returns their number. */
static int candidates(int requested, int discrete, int cpt_ok, int *out) {
    int c = 0;
    if (!discrete) {
        switch (requested) {
        case CAUSA_FIT_AUTO:
            out[c++] = CAUSA_FIT_LINEAR;
            out[c++] = CAUSA_FIT_POLY2;
            out[c++] = CAUSA_FIT_SPLINE;
            break;
        case CAUSA_FIT_POLY2: out[c++] = CAUSA_FIT_POLY2; break;
        case CAUSA_FIT_SPLINE: out[c++] = CAUSA_FIT_SPLINE; break;
        default: out[c++] = CAUSA_FIT_LINEAR; break;
        }
    } else if (requested == CAUSA_FIT_AUTO) {
        /* A table first: when both fit as well with as many parameters, keep the table. */
        if (cpt_ok) out[c++] = CAUSA_FIT_CPT;
        out[c++] = CAUSA_FIT_LOGISTIC;
    } else if (requested == CAUSA_FIT_LOGISTIC || !cpt_ok) {
        out[c++] = CAUSA_FIT_LOGISTIC;
    } else {
        out[c++] = CAUSA_FIT_CPT;
    }
    return c;
}

static int fit_node(causa_ctx *ctx, causa_scm *scm, const causa_dataset *data, int64_t v, int64_t col,
                    const causa_fit_options *o, uint64_t seed, causa_fit_node *nd) {
    int rc = CAUSA_OK;
    int64_t n = causa_dataset_nrow(data);
    int64_t m = causa_scm_ninputs(scm, v), np = 0;
    const int64_t *pa = causa_scm_parents(scm, v, &np);
    const double *y = causa_dataset_column(data, col);
    int discrete = causa_scm_type(scm, v) == CAUSA_DISCRETE;
    int64_t K = causa_scm_nlevels(scm, v);
    node_ws w = {0};
    causa_i_fitted f = {0};
    nd->nparents = np;
    nd->ninputs = m;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&w.u, causa_i_mul_size((size_t)n, (size_t)CAUSA_MAX(m, 1) * sizeof *w.u),
                            "the inputs of a node"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&w.r, (size_t)n * sizeof *w.r, "residuals"));
    if (m > 0) CAUSA_TRY(causa_scm_inputs(ctx, scm, v, data, w.u));

    /* ---- roots ---- */
    if (np == 0 && !discrete) {
        double mean = 0.0, ss = 0.0;
        for (int64_t i = 0; i < n; i++) mean += y[i];
        mean /= (double)n;
        for (int64_t i = 0; i < n; i++) ss += (y[i] - mean) * (y[i] - mean);
        double sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
        causa_dist d = sd > 0 && o->noise == CAUSA_FIT_NOISE_GAUSSIAN ? causa_dist_gaussian(mean, sd)
                                                                      : causa_dist_empirical(y, n);
        CAUSA_TRY(causa_scm_set_root(ctx, scm, v, &d));
        nd->family = CAUSA_FIT_ROOT;
        nd->mechanism = CAUSA_MECH_ROOT;
        nd->ncoefs = d.kind == CAUSA_DIST_GAUSSIAN ? 2 : 0;
        nd->noise_sd = sd;
        goto done;
    }

    /* ---- discrete nodes: parent combinations when every parent is discrete ---- */
    int cpt_ok = 0;
    int64_t rows = 1;
    if (discrete) {
        cpt_ok = 1;
        for (int64_t k = 0; k < np; k++) {
            if (causa_scm_type(scm, pa[k]) != CAUSA_DISCRETE) {
                cpt_ok = 0;
                break;
            }
            rows *= causa_scm_nlevels(scm, pa[k]);
            if (rows > CAUSA_I_FIT_MAX_CPT_ROWS) {
                cpt_ok = 0;
                break;
            }
        }
        if (cpt_ok) {
            CAUSA_TRY(causa_i_alloc(ctx, (void **)&w.cfg, (size_t)n * sizeof *w.cfg, "parent combinations"));
            for (int64_t i = 0; i < n; i++) w.cfg[i] = 0;
            for (int64_t k = 0; k < np; k++) {
                const double *pc = causa_dataset_column(data, causa_dataset_find(data, causa_scm_name(scm, pa[k])));
                int64_t L = causa_scm_nlevels(scm, pa[k]);
                for (int64_t i = 0; i < n; i++) w.cfg[i] = w.cfg[i] * L + (int64_t)pc[i];
            }
        }
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&w.prob, causa_i_mul_size((size_t)n, (size_t)K * sizeof *w.prob),
                                "probabilities"));
    }
    causa_i_fit_data fd = {w.u, y, w.cfg, n, m, K, rows};

    /* ---- a discrete root: a one-row table ---- */
    if (np == 0) {
        CAUSA_TRY(causa_i_fit_cpt(ctx, w.cfg, y, n, 1, K, o->cpt_alpha, &f));
        CAUSA_TRY(causa_scm_set_cpt(ctx, scm, v, f.coefs));
        double ll = 0.0;
        for (int64_t i = 0; i < n; i++) ll -= log(fmax(f.coefs[(int64_t)y[i]], 1e-300));
        nd->family = CAUSA_FIT_CPT;
        nd->mechanism = CAUSA_MECH_CPT;
        nd->ncoefs = K - 1;
        nd->logloss = ll / (double)n;
        goto done;
    }

    /* ---- candidates, scored on one set of folds ---- */
    int cand[4];
    int nc = candidates(o->family, discrete, cpt_ok, cand);
    if (o->family == CAUSA_FIT_AUTO && !discrete) {
        /* AUTO drops what the rows cannot support: a candidate needs fewer coefficients
         * than the training rows of a fold (and poly2 at most 20 000 terms). */
        int64_t rows_fit = o->folds >= 2 ? n - (n + o->folds - 1) / o->folds : n;
        int64_t t2 = causa_poly_nterms(m, 2);
        int64_t ts = m * causa_spline_nbasis(o->spline_knots, CAUSA_I_FIT_SPLINE_DEGREE);
        int kept = 0;
        for (int c = 0; c < nc; c++) {
            if (cand[c] == CAUSA_FIT_POLY2 && (t2 < 0 || t2 > 20000 || t2 + 1 >= rows_fit)) continue;
            if (cand[c] == CAUSA_FIT_SPLINE && ts + 1 >= rows_fit) continue;
            cand[kept++] = cand[c];
        }
        nc = kept;
    }
    int64_t k = CAUSA_MIN(o->folds, n);
    int keep = cand[0];
    if (k >= 2) {
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&w.fold, (size_t)n * sizeof *w.fold, "folds"));
        CAUSA_TRY(causa_i_make_folds(ctx, seed, v, n, k, w.fold));
        double se[4], best = (double)INFINITY, best_se = 0.0;
        int64_t cost[4];
        for (int c = 0; c < nc; c++) {
            CAUSA_TRY(causa_i_cross_validate(ctx, cand[c], &fd, o, w.fold, k, &nd->cv[cand[c]], &se[c]));
            /* The complexity order: free parameters of the candidate on all rows. */
            switch (cand[c]) {
            case CAUSA_FIT_LINEAR: cost[c] = 1 + m; break;
            case CAUSA_FIT_POLY2: cost[c] = 1 + causa_poly_nterms(m, 2); break;
            case CAUSA_FIT_SPLINE: cost[c] = 1 + m * causa_spline_nbasis(o->spline_knots, CAUSA_I_FIT_SPLINE_DEGREE); break;
            case CAUSA_FIT_LOGISTIC: cost[c] = (K - 1) * (1 + m); break;
            default: cost[c] = rows * (K - 1); break;
            }
            if (nd->cv[cand[c]] < best) {
                best = nd->cv[cand[c]];
                best_se = se[c];
            }
        }
        /* One-standard-error rule; ties in cost go to the earlier (simpler) family. */
        int64_t best_cost = INT64_MAX;
        for (int c = 0; c < nc; c++)
            if (nd->cv[cand[c]] <= best + (isnan(best_se) ? 0.0 : best_se) && cost[c] < best_cost) {
                best_cost = cost[c];
                keep = cand[c];
            }
        for (int c = 0; c < nc; c++)
            if (cand[c] == keep) {
                nd->cv_error = nd->cv[keep];
                nd->cv_se = se[c];
            }
    }

    /* ---- the kept family on every row ---- */
    CAUSA_TRY(causa_i_fit_candidate(ctx, keep, &fd, o, &f));
    nd->family = keep;
    if (discrete) {
        CAUSA_TRY(causa_i_predict_probs(ctx, &f, w.u, n, n, w.cfg, w.prob));
        double ll = 0.0;
        for (int64_t i = 0; i < n; i++) ll -= log(fmax(w.prob[i * K + (int64_t)y[i]], 1e-300));
        nd->logloss = ll / (double)n;
        nd->ncoefs = f.nparams;
        if (keep == CAUSA_FIT_CPT) {
            CAUSA_TRY(causa_scm_set_cpt(ctx, scm, v, f.coefs));
            nd->mechanism = CAUSA_MECH_CPT;
        } else {
            CAUSA_TRY(causa_scm_set_logistic(ctx, scm, v, f.coefs));
            nd->mechanism = CAUSA_MECH_LOGISTIC;
        }
        goto done;
    }
    CAUSA_TRY(causa_i_predict_continuous(ctx, &f, w.u, n, n, w.r));
    double mean = 0.0, tss = 0.0, rss = 0.0;
    for (int64_t i = 0; i < n; i++) mean += y[i];
    mean /= (double)n;
    for (int64_t i = 0; i < n; i++) {
        w.r[i] = y[i] - w.r[i];
        rss += w.r[i] * w.r[i];
        tss += (y[i] - mean) * (y[i] - mean);
    }
    int64_t df = n - (f.nparams > 0 ? f.nparams : 1);
    double sd = sqrt(rss / (double)(df >= 1 ? df : n));
    nd->noise_sd = sd;
    nd->r2 = tss > 0 ? 1.0 - rss / tss : (double)NAN;
    nd->ncoefs = f.family == CAUSA_FIT_SPLINE ? f.ncoefs + 1 : f.nparams;
    causa_dist noise = o->noise == CAUSA_FIT_NOISE_EMPIRICAL ? causa_dist_empirical(w.r, n)
                       : sd > 0                              ? causa_dist_gaussian(0.0, sd)
                                                             : causa_dist_none();
    switch (keep) {
    case CAUSA_FIT_LINEAR:
        CAUSA_TRY(causa_scm_set_linear(ctx, scm, v, f.intercept, f.coefs, &noise));
        nd->mechanism = CAUSA_MECH_LINEAR;
        break;
    case CAUSA_FIT_POLY2:
        CAUSA_TRY(causa_scm_set_poly(ctx, scm, v, 2, f.intercept, f.coefs, &noise));
        nd->mechanism = CAUSA_MECH_POLY;
        break;
    default:
        CAUSA_TRY(causa_scm_set_spline(ctx, scm, v, CAUSA_I_FIT_SPLINE_DEGREE, f.intercept, f.nknots, f.knots,
                                       f.coefs, &noise));
        nd->mechanism = CAUSA_MECH_SPLINE;
        break;
    }
    if (o->check_rows > 0)
        CAUSA_TRY(causa_i_hsic_check(ctx, w.r, w.u, n, m, n, o->check_rows, seed, v, &nd->check_stat,
                                     &nd->check_pvalue, &nd->check_rows));
done:
    causa_i_fitted_clear(ctx, &f);
    ws_free(ctx, &w);
    return rc;
}

/* ---- the entry point ---- */

int causa_scm_fit(causa_ctx *ctx, const causa_dataset *data, const causa_graph *dag,
                  const causa_fit_options *opt, causa_scm **out, causa_fit_report **report) {
    if (!ctx || !data || !dag || !out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_fit: NULL argument");
    *out = NULL;
    if (report) *report = NULL;
    causa_fit_options o;
    if (opt) o = *opt;
    else causa_fit_options_init(&o);
    int rc = check_options(ctx, &o);
    if (rc) return rc;
    int64_t p = causa_graph_nnodes(dag), n = causa_dataset_nrow(data);
    int64_t *col = NULL;
    causa_scm *scm = NULL;
    causa_fit_report *r = NULL;
    uint64_t seed = o.seed ? o.seed : causa_ctx_seed(ctx);
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&col, (size_t)CAUSA_MAX(p, 1) * sizeof *col, "column indices"));
    CAUSA_TRY(match_names(ctx, data, dag, col));
    CAUSA_TRY(check_dag(ctx, dag));
    if (n < 2) {
        rc = causa_i_error(ctx, CAUSA_EDATA, "fit: the data has %lld row%s; fitting needs at least 2",
                           (long long)n, n == 1 ? "" : "s");
        goto done;
    }
    CAUSA_TRY(causa_scm_new(ctx, dag, &scm));
    for (int64_t v = 0; v < p; v++) {
        if (causa_dataset_type(data, col[v]) != CAUSA_DISCRETE) continue;
        int64_t L = causa_dataset_nlevels(data, col[v]);
        if (L < 2) {
            rc = causa_i_error(ctx, CAUSA_EDATA,
                               "fit: column '%s' is discrete with %lld level%s; a discrete node needs at least 2",
                               causa_dataset_name(data, col[v]), (long long)L, L == 1 ? "" : "s");
            goto done;
        }
        const char *lv[256];
        const char **levels = lv;
        if (L > 256) {
            CAUSA_TRY(causa_i_alloc(ctx, (void **)&levels, (size_t)L * sizeof *levels, "level names"));
        }
        for (int64_t k = 0; k < L; k++) levels[k] = causa_dataset_level(data, col[v], k);
        rc = causa_scm_set_discrete(ctx, scm, v, L, levels);
        if (levels != lv) causa_i_free(ctx, (void *)levels);
        if (rc) goto done;
    }
    CAUSA_TRY(report_new(ctx, scm, n, &o, &r));
    for (int64_t v = 0; v < p; v++) {
        CAUSA_TRY(causa_i_check_interrupt(ctx));
        CAUSA_TRY(fit_node(ctx, scm, data, v, col[v], &o, seed, &r->nodes[v]));
        causa_i_progress(ctx, "nodes fitted", (double)(v + 1), (double)p);
    }
    *out = scm;
    scm = NULL;
    if (report) {
        *report = r;
        r = NULL;
    }
done:
    causa_i_free(ctx, col);
    causa_scm_free(scm);
    causa_fit_report_free(r);
    return rc;
}
