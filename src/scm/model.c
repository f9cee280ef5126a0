/*
 * model.c: the causa_scm object: creation from a DAG, copies, node types and levels,
 * getters. Mechanisms are set in mechanism.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../data/dataset_i.h"
#include "scm_i.h"

/* ---- helpers ---- */

int causa_i_scm_check_node(causa_ctx *ctx, const causa_scm *scm, int64_t v, const char *what) {
    if (!scm) return causa_i_error(ctx, CAUSA_EMISUSE, "%s: the model is NULL", what);
    if (v < 0 || v >= scm->p)
        return causa_i_error(ctx, CAUSA_EINVAL, "%s: node %lld is out of range (the model has %lld)",
                             what, (long long)v, (long long)scm->p);
    return CAUSA_OK;
}

int causa_i_scm_prefix_error(causa_ctx *ctx, int rc, const char *fmt, ...) {
    char prefix[256], msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s", causa_errmsg(ctx));
    return causa_i_error(ctx, rc, "%s: %.900s", prefix, msg);
}

void causa_i_mech_clear(causa_ctx *ctx, causa_i_mech *m) {
    causa_i_free(ctx, m->coefs);
    causa_i_free(ctx, m->nknots);
    causa_i_free(ctx, m->knots);
    causa_i_free(ctx, m->hidden);
    causa_i_free(ctx, m->noise_values);
    causa_i_free(ctx, m->scale_coefs);
    memset(m, 0, sizeof *m);
    m->noise = causa_dist_none();
}

static int dup_array(causa_ctx *ctx, void **dst, const void *src, size_t bytes) {
    *dst = NULL;
    if (!src) return CAUSA_OK;
    void *p = causa_i_malloc(ctx, bytes ? bytes : 1);
    if (!p) return causa_i_nomem(ctx, "mechanism parameters", bytes);
    if (bytes) memcpy(p, src, bytes);
    *dst = p;
    return CAUSA_OK;
}

/* Deep copy; m is the node's input count (sizes of the spline and scale arrays). On failure
 * dst holds what was copied so far: causa_i_mech_clear frees it. */
int causa_i_mech_copy(causa_ctx *ctx, causa_i_mech *dst, const causa_i_mech *src, int64_t m) {
    int rc = CAUSA_OK;
    *dst = *src;
    dst->coefs = NULL, dst->nknots = NULL, dst->knots = NULL, dst->hidden = NULL;
    dst->noise_values = NULL, dst->scale_coefs = NULL;
    dst->noise.values = NULL;
    CAUSA_TRY(dup_array(ctx, (void **)&dst->coefs, src->coefs,
                        (size_t)src->ncoefs * sizeof(double)));
    CAUSA_TRY(dup_array(ctx, (void **)&dst->hidden, src->hidden,
                        (size_t)src->nhidden * sizeof(int64_t)));
    if (src->noise_values) {
        CAUSA_TRY(dup_array(ctx, (void **)&dst->noise_values, src->noise_values,
                            (size_t)src->noise.nvalues * sizeof(double)));
        dst->noise.values = dst->noise_values;
    }
    if (src->nknots) {
        int64_t nk = 0;
        for (int64_t j = 0; j < m; j++) nk += src->nknots[j];
        CAUSA_TRY(dup_array(ctx, (void **)&dst->nknots, src->nknots, (size_t)m * sizeof(int64_t)));
        CAUSA_TRY(dup_array(ctx, (void **)&dst->knots, src->knots, (size_t)nk * sizeof(double)));
    }
    if (src->scale_coefs)
        CAUSA_TRY(dup_array(ctx, (void **)&dst->scale_coefs, src->scale_coefs,
                            (size_t)m * sizeof(double)));
done:
    return rc;
}

/* ---- creation ---- */

void causa_scm_free(causa_scm *scm) {
    if (!scm) return;
    causa_ctx *ctx = scm->ctx;
    if (scm->mech)
        for (int64_t v = 0; v < scm->p; v++) causa_i_mech_clear(ctx, &scm->mech[v]);
    if (scm->levels)
        for (int64_t v = 0; v < scm->p; v++) {
            if (!scm->levels[v]) continue;
            for (int64_t k = 0; k < scm->nlevels[v]; k++) causa_i_free(ctx, scm->levels[v][k]);
            causa_i_free(ctx, scm->levels[v]);
        }
    causa_i_free(ctx, scm->mech);
    causa_i_free(ctx, scm->levels);
    causa_i_free(ctx, scm->nlevels);
    causa_i_free(ctx, scm->type);
    causa_i_free(ctx, scm->order);
    causa_i_free(ctx, scm->par);
    causa_i_free(ctx, scm->par_off);
    causa_graph_free(scm->g);
    causa_i_free(ctx, scm);
}

int causa_scm_new(causa_ctx *ctx, const causa_graph *dag, causa_scm **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_new: out is NULL");
    *out = NULL;
    if (!dag) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_new: the graph is NULL");
    int rc = CAUSA_OK;
    causa_scm *scm = NULL;
    int64_t p = causa_graph_nnodes(dag);
    size_t pp = (size_t)(p > 0 ? p : 1);
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&scm, sizeof *scm, "a model"));
    scm->ctx = ctx;
    scm->p = p;
    CAUSA_TRY(causa_graph_copy(ctx, dag, &scm->g));
    {
        /* Only directed edges: say which edge is not. */
        int64_t ne = causa_graph_nedges(dag);
        causa_edge *edges = NULL;
        if (ne > 0) {
            CAUSA_TRY(causa_i_alloc(ctx, (void **)&edges, (size_t)ne * sizeof *edges, "edges"));
            causa_graph_edges(dag, edges);
            for (int64_t e = 0; e < ne; e++) {
                int ma = edges[e].mark_a, mb = edges[e].mark_b;
                int directed = (ma == CAUSA_MARK_TAIL && mb == CAUSA_MARK_ARROW) ||
                               (ma == CAUSA_MARK_ARROW && mb == CAUSA_MARK_TAIL);
                if (!directed) {
                    rc = causa_i_error(ctx, CAUSA_EINVAL,
                                       "a model needs a DAG: the edge between '%s' and '%s' is "
                                       "not directed",
                                       causa_graph_name(dag, edges[e].a),
                                       causa_graph_name(dag, edges[e].b));
                    break;
                }
            }
            causa_i_free(ctx, edges);
            if (rc) goto done;
        }
    }
    CAUSA_TRY(causa_graph_set_kind(ctx, scm->g, CAUSA_KIND_DAG));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&scm->order, pp * sizeof(int64_t), "a topological order"));
    CAUSA_TRY(causa_graph_topological_order(ctx, scm->g, scm->order));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&scm->par_off, (pp + 1) * sizeof(int64_t), "parents"));
    {
        int64_t total = 0;
        for (int64_t v = 0; v < p; v++) {
            int64_t deg = causa_graph_degree(scm->g, v), np = 0;
            for (int64_t k = 0; k < deg; k++) {
                int64_t w;
                int mv, mw;
                causa_graph_neighbor(scm->g, v, k, &w, &mv, &mw);
                if (mv == CAUSA_MARK_ARROW && mw == CAUSA_MARK_TAIL) np++;
            }
            scm->par_off[v + 1] = (total += np);
        }
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&scm->par,
                                (size_t)(total > 0 ? total : 1) * sizeof(int64_t), "parents"));
        for (int64_t v = 0; v < p; v++) {
            int64_t cnt = 0;
            CAUSA_TRY(causa_graph_parents(ctx, scm->g, v, scm->par + scm->par_off[v], &cnt));
        }
    }
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&scm->type, pp * sizeof(int), "node types"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&scm->nlevels, pp * sizeof(int64_t), "level counts"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&scm->levels, pp * sizeof(char **), "level names"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&scm->mech, pp * sizeof(causa_i_mech), "mechanisms"));
    for (int64_t v = 0; v < p; v++) scm->mech[v].noise = causa_dist_none();
    *out = scm;
    scm = NULL;
done:
    causa_scm_free(scm);
    return rc;
}

static int set_levels(causa_ctx *ctx, causa_scm *scm, int64_t v, int64_t k,
                      const char *const *names);

int causa_scm_copy(causa_ctx *ctx, const causa_scm *src, causa_scm **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_copy: out is NULL");
    *out = NULL;
    if (!src) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_copy: the model is NULL");
    int rc = CAUSA_OK;
    causa_scm *scm = NULL;
    CAUSA_TRY(causa_scm_new(ctx, src->g, &scm));
    for (int64_t v = 0; v < src->p; v++) {
        if (src->type[v] == CAUSA_DISCRETE)
            CAUSA_TRY(set_levels(ctx, scm, v, src->nlevels[v], (const char *const *)src->levels[v]));
    }
    for (int64_t v = 0; v < src->p; v++) {
        CAUSA_TRY(causa_i_mech_copy(ctx, &scm->mech[v], &src->mech[v], causa_scm_ninputs(src, v)));
    }
    *out = scm;
    scm = NULL;
done:
    causa_scm_free(scm);
    return rc;
}

/* ---- getters ---- */

const causa_graph *causa_scm_graph(const causa_scm *scm) { return scm ? scm->g : NULL; }
int64_t causa_scm_nnodes(const causa_scm *scm) { return scm ? scm->p : 0; }

const char *causa_scm_name(const causa_scm *scm, int64_t v) {
    return scm ? causa_graph_name(scm->g, v) : NULL;
}

int64_t causa_scm_find(const causa_scm *scm, const char *name) {
    return scm && name ? causa_graph_find(scm->g, name) : -1;
}

const int64_t *causa_scm_parents(const causa_scm *scm, int64_t v, int64_t *count) {
    if (!scm || v < 0 || v >= scm->p) {
        if (count) *count = 0;
        return NULL;
    }
    if (count) *count = scm->par_off[v + 1] - scm->par_off[v];
    return scm->par + scm->par_off[v];
}

const int64_t *causa_scm_order(const causa_scm *scm) { return scm ? scm->order : NULL; }

int64_t causa_scm_ninputs(const causa_scm *scm, int64_t v) {
    if (!scm || v < 0 || v >= scm->p) return -1;
    int64_t m = 0;
    for (int64_t k = scm->par_off[v]; k < scm->par_off[v + 1]; k++) {
        int64_t u = scm->par[k];
        m += scm->type[u] == CAUSA_DISCRETE ? scm->nlevels[u] - 1 : 1;
    }
    return m;
}

int causa_scm_type(const causa_scm *scm, int64_t v) {
    if (!scm || v < 0 || v >= scm->p) return -1;
    return scm->type[v];
}

int64_t causa_scm_nlevels(const causa_scm *scm, int64_t v) {
    if (!scm || v < 0 || v >= scm->p) return 0;
    return scm->nlevels[v];
}

const char *causa_scm_level(const causa_scm *scm, int64_t v, int64_t k) {
    if (!scm || v < 0 || v >= scm->p || k < 0 || k >= scm->nlevels[v]) return NULL;
    return scm->levels[v][k];
}

int64_t causa_scm_find_level(const causa_scm *scm, int64_t v, const char *level) {
    if (!scm || !level || v < 0 || v >= scm->p) return -1;
    for (int64_t k = 0; k < scm->nlevels[v]; k++)
        if (strcmp(scm->levels[v][k], level) == 0) return k;
    return -1;
}

/* ---- types ---- */

static void free_levels(causa_scm *scm, int64_t v) {
    if (!scm->levels[v]) return;
    for (int64_t k = 0; k < scm->nlevels[v]; k++) causa_i_free(scm->ctx, scm->levels[v][k]);
    causa_i_free(scm->ctx, scm->levels[v]);
    scm->levels[v] = NULL;
}

/* Whether any child of v has a mechanism. Returns the child or -1. */
static int64_t child_with_mechanism(const causa_scm *scm, int64_t v) {
    for (int64_t c = 0; c < scm->p; c++) {
        if (scm->mech[c].kind == CAUSA_MECH_NONE) continue;
        for (int64_t k = scm->par_off[c]; k < scm->par_off[c + 1]; k++)
            if (scm->par[k] == v) return c;
    }
    return -1;
}

static int set_levels(causa_ctx *ctx, causa_scm *scm, int64_t v, int64_t k,
                      const char *const *names) {
    int rc = CAUSA_OK;
    char **lv = NULL;
    int64_t made = 0;
    if (k < 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': a discrete node needs at least 1 level, got %lld",
                             causa_scm_name(scm, v), (long long)k);
    if (k > (int64_t)1 << 24)
        return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': %lld levels is too many",
                             causa_scm_name(scm, v), (long long)k);
    if (names) {
        for (int64_t i = 0; i < k; i++) {
            if (!names[i] || !names[i][0])
                return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': level %lld has an empty name",
                                     causa_scm_name(scm, v), (long long)i + 1);
            /* Names travel into JSON model files and CSV headers: UTF-8 only, as a data
             * set's levels (dataset.c). */
            if (causa_i_utf8_invalid_at(names[i], strlen(names[i])) >= 0)
                return causa_i_error(ctx, CAUSA_EINVAL, "node '%s': level %lld is not valid UTF-8",
                                     causa_scm_name(scm, v), (long long)i + 1);
            for (int64_t j = 0; j < i; j++)
                if (strcmp(names[i], names[j]) == 0)
                    return causa_i_error(ctx, CAUSA_EINVAL,
                                         "node '%s': the level '%s' is named twice",
                                         causa_scm_name(scm, v), names[i]);
        }
    }
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&lv, (size_t)k * sizeof *lv, "level names"));
    for (made = 0; made < k; made++) {
        char buf[32];
        const char *s = names ? names[made] : buf;
        if (!names) snprintf(buf, sizeof buf, "%lld", (long long)made);
        lv[made] = causa_i_strdup(ctx, s);
        if (!lv[made]) {
            rc = causa_i_nomem(ctx, "a level name", strlen(s) + 1);
            goto done;
        }
    }
    free_levels(scm, v);
    scm->levels[v] = lv;
    scm->nlevels[v] = k;
    scm->type[v] = CAUSA_DISCRETE;
    lv = NULL;
done:
    if (lv) {
        for (int64_t i = 0; i < made; i++) causa_i_free(ctx, lv[i]);
        causa_i_free(ctx, lv);
    }
    return rc;
}

int causa_scm_set_discrete(causa_ctx *ctx, causa_scm *scm, int64_t v, int64_t nlevels,
                           const char *const *levels) {
    int rc = causa_i_scm_check_node(ctx, scm, v, "causa_scm_set_discrete");
    if (rc) return rc;
    int64_t c = child_with_mechanism(scm, v);
    if (c >= 0)
        return causa_i_error(ctx, CAUSA_EMISUSE,
                             "node '%s': set its type before the mechanism of its child '%s'",
                             causa_scm_name(scm, v), causa_scm_name(scm, c));
    rc = set_levels(ctx, scm, v, nlevels, levels);
    if (rc) return rc;
    causa_i_mech_clear(scm->ctx, &scm->mech[v]);
    return CAUSA_OK;
}

int causa_scm_set_continuous(causa_ctx *ctx, causa_scm *scm, int64_t v) {
    int rc = causa_i_scm_check_node(ctx, scm, v, "causa_scm_set_continuous");
    if (rc) return rc;
    if (scm->type[v] == CAUSA_CONTINUOUS) return CAUSA_OK;
    int64_t c = child_with_mechanism(scm, v);
    if (c >= 0)
        return causa_i_error(ctx, CAUSA_EMISUSE,
                             "node '%s': set its type before the mechanism of its child '%s'",
                             causa_scm_name(scm, v), causa_scm_name(scm, c));
    free_levels(scm, v);
    scm->nlevels[v] = 0;
    scm->type[v] = CAUSA_CONTINUOUS;
    causa_i_mech_clear(scm->ctx, &scm->mech[v]);
    return CAUSA_OK;
}

int causa_scm_check(causa_ctx *ctx, const causa_scm *scm) {
    if (!scm) return causa_i_error(ctx, CAUSA_EMISUSE, "the model is NULL");
    for (int64_t v = 0; v < scm->p; v++)
        if (scm->mech[v].kind == CAUSA_MECH_NONE)
            return causa_i_error(ctx, CAUSA_EMISUSE, "node '%s' has no mechanism",
                                 causa_scm_name(scm, v));
    return CAUSA_OK;
}
