/*
 * model_json.c: the model file (docs/FORMATS.md, "SCM model file"):
 *
 *   {"format": "causa-scm", "version": 1,
 *    "nodes": [
 *      {"name": "Z", "type": "continuous", "parents": [],
 *       "mechanism": {"kind": "root", "distribution": {"dist": "gaussian", "loc": 0, "scale": 1}}},
 *      {"name": "S", "type": "discrete", "levels": ["no", "yes"], "parents": ["Z"],
 *       "mechanism": {"kind": "logistic", "coefs": [[0, 0], [-1, 2]]}},
 *      ...]}
 *
 * Nodes come in index order and list their parents in that order too, so every weight
 * array lines up with the inputs as causa_scm.h defines them. Numbers are written with the
 * fewest digits that read back to the same double (causa_i_format_double), so a written
 * model reads back bit for bit. Reading uses jansson (its parse tree is allocated with
 * malloc outside the context's accounting and freed before the call returns); schema
 * errors name the member ("m.json: nodes[2].mechanism.weights: expected an array of 3
 * numbers, found an array of 2"), invalid models the node (through the setters' checks).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../data/dataset_i.h"
#include "../graph/lex_i.h"
#include "scm_i.h"

/* ---- writing ---- */

static int put_str(causa_i_buf *b, const char *s) {
    int rc = causa_i_buf_append(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; !rc && *p; p++) {
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            rc = causa_i_buf_append(b, e, 2);
        } else if (*p < 0x20) {
            rc = causa_i_buf_printf(b, "\\u%04x", *p);
        } else {
            rc = causa_i_buf_append(b, p, 1);
        }
    }
    return rc ? rc : causa_i_buf_append(b, "\"", 1);
}

static int put_num(causa_i_buf *b, double x) {
    char num[40];
    int n = causa_i_format_double(num, x);
    return causa_i_buf_append(b, num, (size_t)n);
}

static int put_nums(causa_i_buf *b, const double *x, int64_t n) {
    int rc = causa_i_buf_append(b, "[", 1);
    for (int64_t i = 0; !rc && i < n; i++) {
        if (i) rc = causa_i_buf_append(b, ", ", 2);
        if (!rc) rc = put_num(b, x[i]);
    }
    return rc ? rc : causa_i_buf_append(b, "]", 1);
}

/* Rows of `cols` numbers. */
static int put_rows(causa_i_buf *b, const double *x, int64_t rows, int64_t cols, const char *indent) {
    int rc = causa_i_buf_append(b, "[", 1);
    for (int64_t r = 0; !rc && r < rows; r++) {
        rc = causa_i_buf_printf(b, "%s\n%s", r ? "," : "", indent);
        if (!rc) rc = put_nums(b, x + r * cols, cols);
    }
    return rc ? rc : causa_i_buf_append(b, "]", 1);
}

static int put_dist(causa_i_buf *b, const causa_dist *d) {
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_buf_printf(b, "{\"dist\": \"%s\"", causa_dist_name(d->kind)));
    switch (d->kind) {
    case CAUSA_DIST_GAUSSIAN:
    case CAUSA_DIST_LAPLACE:
    case CAUSA_DIST_STUDENT_T:
        CAUSA_TRY(causa_i_buf_printf(b, ", \"loc\": "));
        CAUSA_TRY(put_num(b, d->loc));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"scale\": "));
        CAUSA_TRY(put_num(b, d->scale));
        if (d->kind == CAUSA_DIST_STUDENT_T) {
            CAUSA_TRY(causa_i_buf_printf(b, ", \"df\": "));
            CAUSA_TRY(put_num(b, d->df));
        }
        break;
    case CAUSA_DIST_UNIFORM:
        CAUSA_TRY(causa_i_buf_printf(b, ", \"low\": "));
        CAUSA_TRY(put_num(b, d->low));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"high\": "));
        CAUSA_TRY(put_num(b, d->high));
        break;
    case CAUSA_DIST_EMPIRICAL:
    case CAUSA_DIST_CATEGORICAL:
        CAUSA_TRY(causa_i_buf_printf(b, ", \"values\": "));
        CAUSA_TRY(put_nums(b, d->values, d->nvalues));
        break;
    default:
        break;
    }
    CAUSA_TRY(causa_i_buf_append(b, "}", 1));
done:
    return rc;
}

static int put_mechanism(causa_i_buf *b, const causa_scm *scm, int64_t v) {
    int rc = CAUSA_OK;
    const causa_i_mech *m = &scm->mech[v];
    int64_t nin = causa_scm_ninputs(scm, v), K = scm->nlevels[v];
    const char *ind = "\n      ";
    CAUSA_TRY(causa_i_buf_printf(b, "{\"kind\": \"%s\"", causa_mech_name(m->kind)));
    switch (m->kind) {
    case CAUSA_MECH_ROOT:
        CAUSA_TRY(causa_i_buf_printf(b, ",%s\"distribution\": ", ind));
        CAUSA_TRY(put_dist(b, &m->noise));
        break;
    case CAUSA_MECH_LINEAR:
    case CAUSA_MECH_POLY:
        if (m->kind == CAUSA_MECH_POLY) CAUSA_TRY(causa_i_buf_printf(b, ", \"degree\": %d", m->degree));
        CAUSA_TRY(causa_i_buf_printf(b, ",%s\"intercept\": ", ind));
        CAUSA_TRY(put_num(b, m->intercept));
        CAUSA_TRY(causa_i_buf_printf(b, ",%s\"weights\": ", ind));
        CAUSA_TRY(put_nums(b, m->coefs, m->ncoefs));
        break;
    case CAUSA_MECH_SPLINE: {
        CAUSA_TRY(causa_i_buf_printf(b, ", \"degree\": %d", m->degree));
        CAUSA_TRY(causa_i_buf_printf(b, ",%s\"intercept\": ", ind));
        CAUSA_TRY(put_num(b, m->intercept));
        CAUSA_TRY(causa_i_buf_printf(b, ",%s\"knots\": [", ind));
        int64_t off = 0;
        for (int64_t j = 0; j < nin; j++) {
            if (j) CAUSA_TRY(causa_i_buf_append(b, ", ", 2));
            CAUSA_TRY(put_nums(b, m->knots + off, m->nknots[j]));
            off += m->nknots[j];
        }
        CAUSA_TRY(causa_i_buf_printf(b, "],%s\"coefs\": [", ind));
        off = 0;
        for (int64_t j = 0; j < nin; j++) {
            int64_t nb = causa_spline_nbasis(m->nknots[j], m->degree);
            if (j) CAUSA_TRY(causa_i_buf_append(b, ", ", 2));
            CAUSA_TRY(put_nums(b, m->coefs + off, nb));
            off += nb;
        }
        CAUSA_TRY(causa_i_buf_append(b, "]", 1));
        break;
    }
    case CAUSA_MECH_MLP:
        CAUSA_TRY(causa_i_buf_printf(b, ", \"activation\": \"%s\", \"hidden\": [",
                                     causa_activation_name(m->activation)));
        for (int64_t l = 0; l < m->nhidden; l++)
            CAUSA_TRY(causa_i_buf_printf(b, "%s%lld", l ? ", " : "", (long long)m->hidden[l]));
        CAUSA_TRY(causa_i_buf_printf(b, "],%s\"weights\": ", ind));
        CAUSA_TRY(put_nums(b, m->coefs, m->ncoefs));
        break;
    case CAUSA_MECH_CPT:
        CAUSA_TRY(causa_i_buf_printf(b, ",%s\"table\": ", ind));
        CAUSA_TRY(put_rows(b, m->coefs, m->nrows, K, "        "));
        break;
    case CAUSA_MECH_LOGISTIC:
        CAUSA_TRY(causa_i_buf_printf(b, ",%s\"coefs\": ", ind));
        CAUSA_TRY(put_rows(b, m->coefs, K, 1 + nin, "        "));
        break;
    default:
        break;
    }
    if (m->kind >= CAUSA_MECH_LINEAR && m->kind <= CAUSA_MECH_MLP) {
        CAUSA_TRY(causa_i_buf_printf(b, ",%s\"noise\": ", ind));
        CAUSA_TRY(put_dist(b, &m->noise));
        if (m->scaled) {
            CAUSA_TRY(causa_i_buf_printf(b, ",%s\"scale\": {\"intercept\": ", ind));
            CAUSA_TRY(put_num(b, m->scale_intercept));
            CAUSA_TRY(causa_i_buf_printf(b, ", \"weights\": "));
            CAUSA_TRY(put_nums(b, m->scale_coefs, nin));
            CAUSA_TRY(causa_i_buf_append(b, "}", 1));
        }
    }
    CAUSA_TRY(causa_i_buf_append(b, "}", 1));
done:
    return rc;
}

static int format_model(causa_ctx *ctx, const causa_scm *scm, causa_i_buf *b) {
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_buf_printf(b, "{\"format\": \"causa-scm\", \"version\": 1,\n \"nodes\": ["));
    for (int64_t v = 0; v < scm->p; v++) {
        CAUSA_TRY(causa_i_buf_printf(b, "%s\n  {\"name\": ", v ? "," : ""));
        CAUSA_TRY(put_str(b, causa_scm_name(scm, v)));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"type\": \"%s\"",
                                     scm->type[v] == CAUSA_DISCRETE ? "discrete" : "continuous"));
        if (scm->type[v] == CAUSA_DISCRETE) {
            CAUSA_TRY(causa_i_buf_printf(b, ", \"levels\": ["));
            for (int64_t k = 0; k < scm->nlevels[v]; k++) {
                if (k) CAUSA_TRY(causa_i_buf_append(b, ", ", 2));
                CAUSA_TRY(put_str(b, scm->levels[v][k]));
            }
            CAUSA_TRY(causa_i_buf_append(b, "]", 1));
        }
        CAUSA_TRY(causa_i_buf_printf(b, ", \"parents\": ["));
        for (int64_t k = scm->par_off[v]; k < scm->par_off[v + 1]; k++) {
            if (k > scm->par_off[v]) CAUSA_TRY(causa_i_buf_append(b, ", ", 2));
            CAUSA_TRY(put_str(b, causa_scm_name(scm, scm->par[k])));
        }
        CAUSA_TRY(causa_i_buf_printf(b, "],\n   \"mechanism\": "));
        if (scm->mech[v].kind == CAUSA_MECH_NONE)
            CAUSA_TRY(causa_i_buf_printf(b, "null"));
        else
            CAUSA_TRY(put_mechanism(b, scm, v));
        CAUSA_TRY(causa_i_buf_append(b, "}", 1));
    }
    CAUSA_TRY(causa_i_buf_printf(b, "\n]}\n"));
done:
    (void)ctx;
    return rc;
}

int causa_scm_write_buffer(causa_ctx *ctx, const causa_scm *scm, char **out, size_t *len) {
    if (!out || !scm) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_write_buffer: NULL argument");
    *out = NULL;
    if (len) *len = 0;
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = format_model(ctx, scm, &b);
    if (!rc) rc = causa_i_buf_append(&b, "", 0); /* a terminating NUL */
    if (rc) {
        causa_i_buf_free(&b);
        return rc;
    }
    *out = b.data;
    if (len) *len = b.len;
    return CAUSA_OK;
}

int causa_scm_write(causa_ctx *ctx, const causa_scm *scm, const char *path) {
    if (!path) return causa_i_error(ctx, CAUSA_EINVAL, "causa_scm_write: the path is NULL");
    char *text = NULL;
    size_t len = 0;
    int rc = causa_scm_write_buffer(ctx, scm, &text, &len);
    if (!rc) rc = causa_write_file(ctx, path, text, len);
    causa_i_free(ctx, text);
    return rc;
}

/* ---- reading ---- */

static const char *jtype(const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

typedef struct reader {
    causa_ctx *ctx;
    const char *name;
    causa_i_arena *arena;
    char where[160];
} reader;

static int schema(reader *r, const char *member, const char *expected, const json_t *found) {
    if (!found)
        return causa_i_error(r->ctx, CAUSA_EPARSE, "%s: %s%s%s: expected %s, found nothing (the member is missing)",
                             r->name, r->where, *r->where && *member ? "." : "", member, expected);
    if (json_is_string(found))
        return causa_i_error(r->ctx, CAUSA_EPARSE, "%s: %s%s%s: expected %s, found \"%.60s\"", r->name,
                             r->where, *r->where && *member ? "." : "", member, expected,
                             json_string_value(found));
    if (json_is_array(found))
        return causa_i_error(r->ctx, CAUSA_EPARSE, "%s: %s%s%s: expected %s, found an array of %zu",
                             r->name, r->where, *r->where && *member ? "." : "", member, expected,
                             json_array_size(found));
    return causa_i_error(r->ctx, CAUSA_EPARSE, "%s: %s%s%s: expected %s, found %s", r->name,
                         r->where, *r->where && *member ? "." : "", member, expected, jtype(found));
}

static int get_number(reader *r, const json_t *obj, const char *key, double *out) {
    const json_t *v = json_object_get(obj, key);
    if (!json_is_number(v)) return schema(r, key, "a number", v);
    *out = json_number_value(v);
    return CAUSA_OK;
}

/* An array of n numbers (n < 0: any length, written to *count) into arena memory. */
static int get_numbers(reader *r, const json_t *a, const char *key, int64_t n, double **out,
                       int64_t *count) {
    char expected[64];
    if (n >= 0) snprintf(expected, sizeof expected, "an array of %lld numbers", (long long)n);
    else snprintf(expected, sizeof expected, "an array of numbers");
    if (!json_is_array(a) || (n >= 0 && (int64_t)json_array_size(a) != n))
        return schema(r, key, expected, a);
    size_t len = json_array_size(a);
    double *x = causa_i_arena_alloc(r->arena, (len ? len : 1) * sizeof *x);
    if (!x) return causa_errcode(r->ctx);
    for (size_t i = 0; i < len; i++) {
        const json_t *e = json_array_get(a, i);
        if (!json_is_number(e)) {
            char m[64];
            snprintf(m, sizeof m, "%s[%zu]", key, i);
            return schema(r, m, "a number", e);
        }
        x[i] = json_number_value(e);
    }
    *out = x;
    if (count) *count = (int64_t)len;
    return CAUSA_OK;
}

/* rows x cols numbers given as an array of rows. */
static int get_matrix(reader *r, const json_t *a, const char *key, int64_t rows, int64_t cols,
                      double **out) {
    char expected[96];
    snprintf(expected, sizeof expected, "an array of %lld rows", (long long)rows);
    if (!json_is_array(a) || (int64_t)json_array_size(a) != rows) return schema(r, key, expected, a);
    double *x = causa_i_arena_alloc(r->arena, (size_t)(rows * cols > 0 ? rows * cols : 1) * sizeof *x);
    if (!x) return causa_errcode(r->ctx);
    for (int64_t i = 0; i < rows; i++) {
        char m[64];
        snprintf(m, sizeof m, "%s[%lld]", key, (long long)i);
        double *row;
        int rc = get_numbers(r, json_array_get(a, (size_t)i), m, cols, &row, NULL);
        if (rc) return rc;
        memcpy(x + i * cols, row, (size_t)cols * sizeof *x);
    }
    *out = x;
    return CAUSA_OK;
}

static int get_dist(reader *r, const json_t *d, const char *key, causa_dist *out) {
    int rc = CAUSA_OK;
    if (!json_is_object(d)) return schema(r, key, "a distribution object {\"dist\": ...}", d);
    const json_t *k = json_object_get(d, "dist");
    int kind = json_is_string(k) ? causa_dist_from_name(json_string_value(k)) : -1;
    char m[64];
    snprintf(m, sizeof m, "%s.dist", key);
    if (kind < 0)
        return schema(r, m, "\"none\", \"gaussian\", \"uniform\", \"laplace\", \"student-t\", \"empirical\" or \"categorical\"", k);
    *out = causa_dist_none();
    out->kind = kind;
    size_t saved = strlen(r->where);
    snprintf(r->where + saved, sizeof r->where - saved, "%s%s", saved ? "." : "", key);
    switch (kind) {
    case CAUSA_DIST_GAUSSIAN:
    case CAUSA_DIST_LAPLACE:
    case CAUSA_DIST_STUDENT_T:
        CAUSA_TRY(get_number(r, d, "loc", &out->loc));
        CAUSA_TRY(get_number(r, d, "scale", &out->scale));
        if (kind == CAUSA_DIST_STUDENT_T) CAUSA_TRY(get_number(r, d, "df", &out->df));
        break;
    case CAUSA_DIST_UNIFORM:
        CAUSA_TRY(get_number(r, d, "low", &out->low));
        CAUSA_TRY(get_number(r, d, "high", &out->high));
        break;
    case CAUSA_DIST_EMPIRICAL:
    case CAUSA_DIST_CATEGORICAL: {
        double *x;
        CAUSA_TRY(get_numbers(r, json_object_get(d, "values"), "values", -1, &x, &out->nvalues));
        out->values = x;
        break;
    }
    default:
        break;
    }
done:
    r->where[saved] = 0;
    return rc;
}

/* The mechanism of node v from its JSON object; sets it on the model. */
static int read_mechanism(reader *r, causa_scm *scm, int64_t v, const json_t *mo) {
    int rc = CAUSA_OK;
    causa_ctx *ctx = r->ctx;
    if (!json_is_object(mo)) return schema(r, "mechanism", "an object {\"kind\": ...}", mo);
    size_t saved = strlen(r->where);
    snprintf(r->where + saved, sizeof r->where - saved, ".mechanism");
    const json_t *k = json_object_get(mo, "kind");
    int kind = json_is_string(k) ? causa_mech_from_name(json_string_value(k)) : -1;
    if (kind <= 0) {
        rc = schema(r, "kind", "\"root\", \"linear\", \"poly\", \"spline\", \"mlp\", \"cpt\" or \"logistic\"", k);
        goto done;
    }
    int64_t nin = causa_scm_ninputs(scm, v), K = scm->nlevels[v];
    causa_mechanism m;
    causa_mechanism_init(&m);
    m.kind = kind;
    double *x = NULL;
    switch (kind) {
    case CAUSA_MECH_ROOT:
        CAUSA_TRY(get_dist(r, json_object_get(mo, "distribution"), "distribution", &m.noise));
        break;
    case CAUSA_MECH_LINEAR:
    case CAUSA_MECH_POLY: {
        if (kind == CAUSA_MECH_POLY) {
            const json_t *dg = json_object_get(mo, "degree");
            if (!json_is_integer(dg) || json_integer_value(dg) < 1 || json_integer_value(dg) > 10) {
                rc = schema(r, "degree", "an integer in 1..10", dg);
                goto done;
            }
            m.degree = (int)json_integer_value(dg);
        }
        CAUSA_TRY(get_number(r, mo, "intercept", &m.intercept));
        int64_t want = kind == CAUSA_MECH_LINEAR ? nin : causa_poly_nterms(nin, m.degree);
        CAUSA_TRY(get_numbers(r, json_object_get(mo, "weights"), "weights", want, &x, NULL));
        m.coefs = x;
        m.ncoefs = want;
        break;
    }
    case CAUSA_MECH_SPLINE: {
        const json_t *dg = json_object_get(mo, "degree");
        if (!json_is_integer(dg) || json_integer_value(dg) < 0 || json_integer_value(dg) > 5) {
            rc = schema(r, "degree", "an integer in 0..5", dg);
            goto done;
        }
        m.degree = (int)json_integer_value(dg);
        CAUSA_TRY(get_number(r, mo, "intercept", &m.intercept));
        const json_t *kn = json_object_get(mo, "knots"), *co = json_object_get(mo, "coefs");
        char expected[64];
        snprintf(expected, sizeof expected, "an array of %lld knot arrays (one per input)", (long long)nin);
        if (!json_is_array(kn) || (int64_t)json_array_size(kn) != nin) {
            rc = schema(r, "knots", expected, kn);
            goto done;
        }
        snprintf(expected, sizeof expected, "an array of %lld coefficient arrays", (long long)nin);
        if (!json_is_array(co) || (int64_t)json_array_size(co) != nin) {
            rc = schema(r, "coefs", expected, co);
            goto done;
        }
        int64_t *nk = causa_i_arena_alloc(r->arena, (size_t)(nin > 0 ? nin : 1) * sizeof *nk);
        if (!nk) {
            rc = causa_errcode(ctx);
            goto done;
        }
        int64_t tk = 0, tc = 0;
        for (int64_t j = 0; j < nin; j++) {
            nk[j] = (int64_t)(json_is_array(json_array_get(kn, (size_t)j)) ? json_array_size(json_array_get(kn, (size_t)j)) : 0);
            tk += nk[j];
            tc += nk[j] >= 2 ? causa_spline_nbasis(nk[j], m.degree) : 0;
        }
        double *knots = causa_i_arena_alloc(r->arena, (size_t)(tk > 0 ? tk : 1) * sizeof(double));
        double *coefs = causa_i_arena_alloc(r->arena, (size_t)(tc > 0 ? tc : 1) * sizeof(double));
        if (!knots || !coefs) {
            rc = causa_errcode(ctx);
            goto done;
        }
        int64_t ok = 0, oc = 0;
        for (int64_t j = 0; j < nin; j++) {
            char mk[48];
            snprintf(mk, sizeof mk, "knots[%lld]", (long long)j);
            CAUSA_TRY(get_numbers(r, json_array_get(kn, (size_t)j), mk, -1, &x, NULL));
            if (nk[j] < 2) {
                rc = schema(r, mk, "an array of at least 2 knots", json_array_get(kn, (size_t)j));
                goto done;
            }
            memcpy(knots + ok, x, (size_t)nk[j] * sizeof(double));
            ok += nk[j];
            int64_t nb = causa_spline_nbasis(nk[j], m.degree);
            snprintf(mk, sizeof mk, "coefs[%lld]", (long long)j);
            CAUSA_TRY(get_numbers(r, json_array_get(co, (size_t)j), mk, nb, &x, NULL));
            memcpy(coefs + oc, x, (size_t)nb * sizeof(double));
            oc += nb;
        }
        m.nknots = nk;
        m.knots = knots;
        m.coefs = coefs;
        m.ncoefs = tc;
        break;
    }
    case CAUSA_MECH_MLP: {
        const json_t *ac = json_object_get(mo, "activation");
        m.activation = json_is_string(ac) ? causa_activation_from_name(json_string_value(ac)) : -1;
        if (m.activation < 0) {
            rc = schema(r, "activation", "\"tanh\", \"relu\", \"sigmoid\" or \"identity\"", ac);
            goto done;
        }
        const json_t *hd = json_object_get(mo, "hidden");
        if (!json_is_array(hd) || json_array_size(hd) > 64) {
            rc = schema(r, "hidden", "an array of layer sizes", hd);
            goto done;
        }
        int64_t nh = (int64_t)json_array_size(hd);
        int64_t *h = causa_i_arena_alloc(r->arena, (size_t)(nh > 0 ? nh : 1) * sizeof *h);
        if (!h) {
            rc = causa_errcode(ctx);
            goto done;
        }
        int64_t in = nin, nw = 0;
        for (int64_t l = 0; l < nh; l++) {
            const json_t *e = json_array_get(hd, (size_t)l);
            if (!json_is_integer(e) || json_integer_value(e) < 1 || json_integer_value(e) > 1 << 20) {
                char mk[48];
                snprintf(mk, sizeof mk, "hidden[%lld]", (long long)l);
                rc = schema(r, mk, "a layer size in 1..1048576", e);
                goto done;
            }
            h[l] = (int64_t)json_integer_value(e);
            nw += (in + 1) * h[l];
            in = h[l];
        }
        nw += in + 1;
        m.nhidden = nh;
        m.hidden = h;
        CAUSA_TRY(get_numbers(r, json_object_get(mo, "weights"), "weights", nw, &x, NULL));
        m.coefs = x;
        m.ncoefs = nw;
        break;
    }
    case CAUSA_MECH_CPT: {
        if (scm->type[v] != CAUSA_DISCRETE) break; /* the setter says why */
        int64_t rows = 1, np = 0;
        const int64_t *par = causa_scm_parents(scm, v, &np);
        for (int64_t i = 0; i < np; i++) rows *= scm->nlevels[par[i]] > 0 ? scm->nlevels[par[i]] : 1;
        CAUSA_TRY(get_matrix(r, json_object_get(mo, "table"), "table", rows, K, &x));
        m.coefs = x;
        m.ncoefs = rows * K;
        break;
    }
    case CAUSA_MECH_LOGISTIC:
        if (scm->type[v] != CAUSA_DISCRETE) break;
        CAUSA_TRY(get_matrix(r, json_object_get(mo, "coefs"), "coefs", K, 1 + nin, &x));
        m.coefs = x;
        m.ncoefs = K * (1 + nin);
        break;
    default:
        break;
    }
    if (kind >= CAUSA_MECH_LINEAR && kind <= CAUSA_MECH_MLP) {
        CAUSA_TRY(get_dist(r, json_object_get(mo, "noise"), "noise", &m.noise));
        const json_t *sc = json_object_get(mo, "scale");
        if (sc) {
            if (!json_is_object(sc)) {
                rc = schema(r, "scale", "an object {\"intercept\": a, \"weights\": [...]}", sc);
                goto done;
            }
            m.scaled = 1;
            size_t s2 = strlen(r->where);
            snprintf(r->where + s2, sizeof r->where - s2, ".scale");
            rc = get_number(r, sc, "intercept", &m.scale_intercept);
            if (!rc) rc = get_numbers(r, json_object_get(sc, "weights"), "weights", nin, &x, NULL);
            r->where[s2] = 0;
            if (rc) goto done;
            m.scale_coefs = x;
        }
    }
    rc = causa_scm_set_mechanism(ctx, scm, v, &m);
    if (rc) rc = causa_i_scm_prefix_error(ctx, rc, "%s", r->name);
done:
    r->where[saved] = 0;
    return rc;
}

int causa_i_scm_read_json(causa_ctx *ctx, const char *name, const char *data, size_t len,
                          causa_scm **out) {
    *out = NULL;
    json_error_t err;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        if (strstr(err.text, "out of memory") || strstr(err.text, "Out of memory"))
            return causa_i_error(ctx, CAUSA_ENOMEM, "%s: out of memory while parsing JSON", name);
        return causa_i_error(ctx, CAUSA_EPARSE, "%s:%d:%d: invalid JSON: %s", name,
                             err.line > 0 ? err.line : 1, err.column > 0 ? err.column : 1, err.text);
    }
    int rc = CAUSA_OK;
    causa_i_arena arena;
    causa_i_arena_init(&arena, ctx);
    reader r = {ctx, name, &arena, ""};
    causa_graph *g = NULL;
    causa_scm *scm = NULL;
    if (!json_is_object(root)) {
        rc = schema(&r, "the top level", "an object {\"format\": \"causa-scm\", ...}", root);
        goto done;
    }
    const json_t *fmt = json_object_get(root, "format");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "causa-scm") != 0) {
        rc = schema(&r, "format", "\"causa-scm\"", fmt);
        goto done;
    }
    const json_t *ver = json_object_get(root, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) != 1) {
        rc = schema(&r, "version", "1 (the version this causa reads)", ver);
        goto done;
    }
    const json_t *nodes = json_object_get(root, "nodes");
    if (!json_is_array(nodes)) {
        rc = schema(&r, "nodes", "an array of nodes", nodes);
        goto done;
    }
    size_t p = json_array_size(nodes);
    CAUSA_TRY(causa_graph_new(ctx, 0, NULL, &g));
    for (size_t i = 0; i < p; i++) {
        const json_t *nd = json_array_get(nodes, i);
        snprintf(r.where, sizeof r.where, "nodes[%zu]", i);
        if (!json_is_object(nd)) {
            rc = schema(&r, "", "a node object {\"name\": ...}", nd);
            goto done;
        }
        const json_t *nm = json_object_get(nd, "name");
        if (!json_is_string(nm) || !*json_string_value(nm)) {
            rc = schema(&r, "name", "a non-empty string", nm);
            goto done;
        }
        if (causa_graph_find(g, json_string_value(nm)) >= 0) {
            rc = causa_i_error(ctx, CAUSA_EPARSE, "%s: nodes[%zu]: the node '%s' appears twice", name,
                               i, json_string_value(nm));
            goto done;
        }
        CAUSA_TRY(causa_graph_add_node(ctx, g, json_string_value(nm), NULL));
    }
    for (size_t i = 0; i < p; i++) {
        const json_t *nd = json_array_get(nodes, i);
        snprintf(r.where, sizeof r.where, "nodes[%zu] ('%.60s')", i, causa_graph_name(g, (int64_t)i));
        const json_t *pa = json_object_get(nd, "parents");
        if (!json_is_array(pa)) {
            rc = schema(&r, "parents", "an array of node names", pa);
            goto done;
        }
        int64_t prev = -1;
        for (size_t k = 0; k < json_array_size(pa); k++) {
            const json_t *e = json_array_get(pa, k);
            char mk[48];
            snprintf(mk, sizeof mk, "parents[%zu]", k);
            int64_t u = json_is_string(e) ? causa_graph_find(g, json_string_value(e)) : -1;
            if (u < 0) {
                rc = json_is_string(e)
                         ? causa_i_error(ctx, CAUSA_EPARSE, "%s: %s.%s: unknown node '%.100s'", name,
                                         r.where, mk, json_string_value(e))
                         : schema(&r, mk, "a node name", e);
                goto done;
            }
            if (u <= prev || u == (int64_t)i) {
                rc = causa_i_error(ctx, CAUSA_EPARSE,
                                   "%s: %s.%s: parents must be listed once each, in the order of "
                                   "\"nodes\" ('%s' is out of order or repeated)",
                                   name, r.where, mk, json_string_value(e));
                goto done;
            }
            prev = u;
            CAUSA_TRY(causa_graph_add_edge(ctx, g, u, (int64_t)i, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
        }
    }
    rc = causa_scm_new(ctx, g, &scm);
    if (rc) {
        rc = causa_i_scm_prefix_error(ctx, rc, "%s", name);
        goto done;
    }
    for (size_t i = 0; i < p; i++) {
        const json_t *nd = json_array_get(nodes, i);
        snprintf(r.where, sizeof r.where, "nodes[%zu] ('%.60s')", i, causa_graph_name(g, (int64_t)i));
        const json_t *ty = json_object_get(nd, "type");
        const char *t = json_is_string(ty) ? json_string_value(ty) : "";
        if (strcmp(t, "discrete") == 0) {
            const json_t *lv = json_object_get(nd, "levels");
            if (!json_is_array(lv) || json_array_size(lv) < 1) {
                rc = schema(&r, "levels", "an array of level names", lv);
                goto done;
            }
            size_t k = json_array_size(lv);
            const char **names = causa_i_arena_alloc(&arena, k * sizeof *names);
            if (!names) {
                rc = causa_errcode(ctx);
                goto done;
            }
            for (size_t l = 0; l < k; l++) {
                const json_t *e = json_array_get(lv, l);
                if (!json_is_string(e)) {
                    char mk[48];
                    snprintf(mk, sizeof mk, "levels[%zu]", l);
                    rc = schema(&r, mk, "a level name (a string)", e);
                    goto done;
                }
                names[l] = json_string_value(e);
            }
            rc = causa_scm_set_discrete(ctx, scm, (int64_t)i, (int64_t)k, names);
            if (rc) {
                rc = causa_i_scm_prefix_error(ctx, rc, "%s", name);
                goto done;
            }
        } else if (strcmp(t, "continuous") != 0) {
            rc = schema(&r, "type", "\"continuous\" or \"discrete\"", ty);
            goto done;
        }
    }
    for (size_t i = 0; i < p; i++) {
        const json_t *nd = json_array_get(nodes, i);
        snprintf(r.where, sizeof r.where, "nodes[%zu] ('%.60s')", i, causa_graph_name(g, (int64_t)i));
        /* Every member known (a misspelt "mechanism" would otherwise leave the node unset
         * without a word), and "mechanism" present: null for a node without one. */
        const char *key;
        const json_t *val;
        json_object_foreach((json_t *)nd, key, val) {
            static const char *const known[] = {"name", "type", "levels", "parents", "mechanism"};
            size_t k = 0;
            while (k < sizeof known / sizeof known[0] && strcmp(key, known[k]) != 0) k++;
            if (k == sizeof known / sizeof known[0]) {
                rc = causa_i_error(ctx, CAUSA_EPARSE,
                                   "%s: %s: unknown member '%.60s' (a node has name, type, levels, "
                                   "parents and mechanism)",
                                   name, r.where, key);
                goto done;
            }
        }
        const json_t *mo = json_object_get(nd, "mechanism");
        if (!mo) {
            rc = causa_i_error(ctx, CAUSA_EPARSE,
                               "%s: %s: missing member 'mechanism' (null for a node without one)",
                               name, r.where);
            goto done;
        }
        if (json_is_null(mo)) continue; /* an unset node: queries will say so */
        CAUSA_TRY(read_mechanism(&r, scm, (int64_t)i, mo));
    }
    *out = scm;
    scm = NULL;
done:
    causa_scm_free(scm);
    causa_graph_free(g);
    causa_i_arena_release(&arena);
    json_decref(root);
    return rc;
}

/* ---- entry points ---- */

/* Whether the text is JSON: its first non-blank byte is '{'. */
static int looks_like_json(const char *data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        if (i + 3 <= len && (unsigned char)data[i] == 0xef && (unsigned char)data[i + 1] == 0xbb &&
            (unsigned char)data[i + 2] == 0xbf) {
            i += 2;
            continue;
        }
        return c == '{';
    }
    return 0;
}

int causa_scm_read_buffer(causa_ctx *ctx, const char *name, const char *data, size_t len,
                          causa_scm **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_read_buffer: out is NULL");
    *out = NULL;
    if (!data && len) return causa_i_error(ctx, CAUSA_EINVAL, "causa_scm_read_buffer: data is NULL");
    if (!name) name = "<input>";
    if (looks_like_json(data, len)) return causa_i_scm_read_json(ctx, name, data, len, out);
    return causa_i_scm_read_bif(ctx, name, data ? data : "", len, out);
}

int causa_scm_read(causa_ctx *ctx, const char *path, causa_scm **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_read: out is NULL");
    *out = NULL;
    if (!path) return causa_i_error(ctx, CAUSA_EINVAL, "causa_scm_read: the path is NULL");
    char *data = NULL;
    size_t len = 0;
    int rc = causa_i_gio_slurp(ctx, path, &data, &len);
    if (rc) return rc;
    rc = causa_scm_read_buffer(ctx, strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, out);
    causa_i_free(ctx, data);
    return rc;
}
