/*
 * result.c: the discovery result: construction, getters, and its JSON rendering.
 *
 * The pair arrays are in rank space (discover_i.h); getters translate the caller's variable
 * indices. JSON is written with causa_i_buf in one pass (no DOM: a p = 1000 run has half a
 * million non-adjacent pairs). Layout (documented in docs/ALGORITHMS.md, "PC"):
 *   {"algorithm", "test", "options": {...}, "nodes": [...], "kind",
 *    "edges": [{"x", "y", "type", "pmax"}],
 *    "separated": [{"x", "y", "depth", "sepset": [...], "pmax"} or {"x", "y", "forbidden": true}],
 *    "ambiguous_triples": [[x, y, z]],
 *    "report": {"tests_by_depth": [...], "tests", "orientation_tests", "max_depth",
 *               "unshielded_triples", "colliders", "conflicts",
 *               "seconds": {"load", "statistics", "skeleton", "orientation"}, "note"}}
 * Pairs are listed by (x, y) in the variables' order, x before y.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover_i.h"

int causa_i_discovery_new(causa_ctx *ctx, const causa_citest *test, const causa_discover_options *opt,
                          causa_discovery **out) {
    *out = NULL;
    causa_discovery *r = causa_i_calloc(ctx, 1, sizeof *r);
    if (!r) return causa_i_nomem(ctx, "discovery result", sizeof *r);
    r->ctx = ctx;
    r->opt = *opt;
    r->has_knowledge = opt->knowledge != NULL;
    r->opt.knowledge = NULL;
    for (int i = 0; i < CAUSA_NPHASES; i++) r->seconds[i] = (double)NAN;
    int64_t p = causa_citest_nvars(test);
    r->sk.p = p;
    int rc = CAUSA_OK;
    const char *tn = causa_citest_name(test);
    r->test_name = causa_i_strdup(ctx, tn ? tn : "");
    if (!r->test_name) {
        rc = causa_i_nomem(ctx, "test name", 16);
        goto done;
    }
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&r->names, (size_t)(p > 0 ? p : 1) * sizeof *r->names, "names"));
    for (int64_t j = 0; j < p; j++) {
        r->names[j] = causa_i_strdup(ctx, causa_citest_var_name(test, j));
        if (!r->names[j]) {
            rc = causa_i_nomem(ctx, "names", 16);
            goto done;
        }
    }
done:
    if (rc) {
        causa_discovery_free(r);
        return rc;
    }
    *out = r;
    return CAUSA_OK;
}

void causa_discovery_free(causa_discovery *r) {
    if (!r) return;
    causa_ctx *ctx = r->ctx;
    if (r->names)
        for (int64_t j = 0; j < r->sk.p; j++) causa_i_free(ctx, r->names[j]);
    causa_i_free(ctx, r->names);
    causa_i_free(ctx, r->test_name);
    causa_graph_free(r->graph);
    causa_i_skeleton_free(ctx, &r->sk);
    causa_i_free(ctx, r->ambiguous);
    causa_i_fci_info_free(ctx, r->fci);
    causa_i_free(ctx, r);
}

const causa_graph *causa_discovery_graph(const causa_discovery *r) { return r ? r->graph : NULL; }

int causa_discovery_copy_graph(causa_ctx *ctx, const causa_discovery *r, causa_graph **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (!r || !r->graph) return causa_i_error(ctx, CAUSA_EMISUSE, "discovery result is NULL");
    return causa_graph_copy(ctx, r->graph, out);
}

int causa_discovery_pair(const causa_discovery *r, int64_t a, int64_t b, causa_pair_info *out) {
    if (!r || !out) return CAUSA_EMISUSE;
    int64_t p = r->sk.p;
    if (a < 0 || a >= p || b < 0 || b >= p || a == b)
        return causa_i_error(r->ctx, CAUSA_EINVAL,
                             "pair (%lld, %lld) is not two distinct variable indices in [0, %lld)",
                             (long long)a, (long long)b, (long long)p);
    int64_t ra = r->sk.rank[a], rb = r->sk.rank[b], key = causa_i_pair_key(p, ra, rb);
    memset(out, 0, sizeof *out);
    out->depth = -1;
    out->pmax = r->sk.pmax[key];
    switch (r->sk.state[key]) {
    case CAUSA_I_PAIR_SEP0:
        out->status = CAUSA_PAIR_SEPARATED;
        out->depth = 0;
        break;
    case CAUSA_I_PAIR_SEPK: {
        const causa_i_seprec *rec = causa_i_skeleton_find(&r->sk, ra, rb);
        out->status = CAUSA_PAIR_SEPARATED;
        if (rec) {
            out->depth = rec->depth;
            out->sepset = rec->len ? r->sk.pool + rec->off : NULL;
            out->sepset_size = rec->len;
        }
        break;
    }
    case CAUSA_I_PAIR_GAP: out->status = CAUSA_PAIR_FORBIDDEN; break;
    default: out->status = CAUSA_PAIR_ADJACENT; break;
    }
    return CAUSA_OK;
}

int64_t causa_discovery_max_depth(const causa_discovery *r) { return r ? r->sk.max_depth : -1; }

int64_t causa_discovery_ntests(const causa_discovery *r, int64_t depth) {
    if (!r) return 0;
    if (depth < 0) {
        int64_t s = 0;
        for (int64_t d = 0; d < r->sk.nlevels; d++) s += r->sk.ntests[d];
        return s;
    }
    return depth < r->sk.nlevels ? r->sk.ntests[depth] : 0;
}

int64_t causa_discovery_orientation_tests(const causa_discovery *r) { return r ? r->orient_tests : 0; }

double causa_discovery_seconds(const causa_discovery *r, int phase) {
    return r && phase >= 0 && phase < CAUSA_NPHASES ? r->seconds[phase] : (double)NAN;
}

void causa_discovery_set_seconds(causa_discovery *r, int phase, double seconds) {
    if (r && phase >= 0 && phase < CAUSA_NPHASES) r->seconds[phase] = seconds;
}

int64_t causa_discovery_ntriples(const causa_discovery *r) { return r ? r->ntriples : 0; }
int64_t causa_discovery_ncolliders(const causa_discovery *r) { return r ? r->ncolliders : 0; }
int64_t causa_discovery_nambiguous(const causa_discovery *r) { return r ? r->nambiguous : 0; }
int64_t causa_discovery_nconflicts(const causa_discovery *r) { return r ? r->nconflicts : 0; }
const char *causa_discovery_note(const causa_discovery *r) { return r ? r->note : ""; }

int causa_discovery_ambiguous(const causa_discovery *r, int64_t k, int64_t triple[3]) {
    if (!r || !triple) return CAUSA_EMISUSE;
    if (k < 0 || k >= r->nambiguous)
        return causa_i_error(r->ctx, CAUSA_EINVAL, "ambiguous triple %lld out of range [0, %lld)",
                             (long long)k, (long long)r->nambiguous);
    memcpy(triple, r->ambiguous + 3 * k, 3 * sizeof *triple);
    return CAUSA_OK;
}

/* ---- JSON ---- */

static int put_str(causa_i_buf *b, const char *s) {
    int rc = causa_i_buf_append(b, "\"", 1);
    for (const unsigned char *c = (const unsigned char *)s; !rc && *c; c++) {
        if (*c == '"' || *c == '\\') rc = causa_i_buf_printf(b, "\\%c", *c);
        else if (*c < 0x20) rc = causa_i_buf_printf(b, "\\u%04x", *c);
        else rc = causa_i_buf_append(b, c, 1);
    }
    return rc ? rc : causa_i_buf_append(b, "\"", 1);
}

/* digits 17 means lossless: the shortest of %.15g, %.16g, %.17g that reads back exactly. */
static int put_num(causa_i_buf *b, double v, int digits) {
    if (isnan(v) || isinf(v)) return causa_i_buf_append(b, "null", 4);
    if (v == 0) v = 0; /* no "-0" */
    char s[40];
    if (digits < 17) {
        snprintf(s, sizeof s, "%.*g", digits, v);
    } else {
        for (int d = 15; d <= 17; d++) {
            snprintf(s, sizeof s, "%.*g", d, v);
            if (strtod(s, NULL) == v) break;
        }
    }
    return causa_i_buf_append(b, s, strlen(s));
}

static int put_seconds(causa_i_buf *b, double v) {
    if (isnan(v) || isinf(v)) return causa_i_buf_append(b, "null", 4);
    return causa_i_buf_printf(b, "%.6f", v);
}

int causa_discovery_json(causa_ctx *ctx, const causa_discovery *r, int digits, char **out,
                         size_t *len) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (len) *len = 0;
    if (!r) return causa_i_error(ctx, CAUSA_EMISUSE, "discovery result is NULL");
    if (digits < 0 || digits > 17)
        return causa_i_error(ctx, CAUSA_EINVAL, "digits must be in [0, 17], got %d", digits);
    if (digits == 0) digits = 17;
    const causa_discover_options *o = &r->opt;
    const causa_graph *g = r->graph;
    int64_t p = r->sk.p;
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_buf_printf(&b, "{\n  \"algorithm\": \"%s\",\n  \"test\": ", causa_algorithm_name(o->algorithm)));
    CAUSA_TRY(put_str(&b, r->test_name));
    CAUSA_TRY(causa_i_buf_printf(&b, ",\n  \"options\": {\"alpha\": "));
    CAUSA_TRY(put_num(&b, o->alpha, 17));
    CAUSA_TRY(causa_i_buf_printf(
        &b,
        ", \"depth\": %lld, \"stable\": %s, \"sepsets\": \"%s\", \"colliders\": \"%s\", "
        "\"conflicts\": \"%s\", \"order\": \"%s\", \"column_order\": %s, \"knowledge\": %s",
        (long long)o->depth, o->stable ? "true" : "false", causa_sepsets_name(o->sepsets),
        causa_colliders_name(o->colliders), causa_conflict_name(o->conflicts),
        r->order_used == CAUSA_ORDER_STRENGTH     ? "strength"
        : r->order_used == CAUSA_ORDER_SEPARATION ? "separation"
                                                  : "triples",
        o->column_order ? "true" : "false", r->has_knowledge ? "true" : "false"));
    if (o->algorithm == CAUSA_ALGO_FCI) /* FCI's own options */
        CAUSA_TRY(causa_i_buf_printf(&b, ", \"possible_dsep\": %s, \"max_path_length\": %lld",
                                     o->possible_dsep ? "true" : "false", (long long)o->max_path_length));
    CAUSA_TRY(causa_i_buf_printf(&b, "},\n"));
    CAUSA_TRY(causa_i_buf_printf(&b, "  \"nodes\": ["));
    for (int64_t j = 0; j < p; j++) {
        if (j) CAUSA_TRY(causa_i_buf_append(&b, ", ", 2));
        CAUSA_TRY(put_str(&b, r->names[j]));
    }
    CAUSA_TRY(causa_i_buf_printf(&b, "],\n  \"kind\": \"%s\",\n  \"edges\": [",
                                 causa_graph_kind_name(causa_graph_kind(g))));
    int first = 1;
    for (int64_t a = 0; a < p; a++)
        for (int64_t k = 0; k < causa_graph_degree(g, a); k++) {
            int64_t w;
            int ma, mw;
            causa_graph_neighbor(g, a, k, &w, &ma, &mw);
            if (w < a) continue;
            char glyph[4] = {ma == CAUSA_MARK_ARROW ? '<' : ma == CAUSA_MARK_CIRCLE ? 'o' : '-', '-',
                             mw == CAUSA_MARK_ARROW ? '>' : mw == CAUSA_MARK_CIRCLE ? 'o' : '-', 0};
            CAUSA_TRY(causa_i_buf_printf(&b, "%s\n    {\"x\": ", first ? "" : ","));
            first = 0;
            CAUSA_TRY(put_str(&b, r->names[a]));
            CAUSA_TRY(causa_i_buf_printf(&b, ", \"y\": "));
            CAUSA_TRY(put_str(&b, r->names[w]));
            CAUSA_TRY(causa_i_buf_printf(&b, ", \"type\": \"%s\", \"pmax\": ", glyph));
            CAUSA_TRY(put_num(&b, r->sk.pmax[causa_i_pair_key(p, r->sk.rank[a], r->sk.rank[w])], digits));
            CAUSA_TRY(causa_i_buf_append(&b, "}", 1));
        }
    CAUSA_TRY(causa_i_buf_printf(&b, "%s],\n  \"separated\": [", first ? "" : "\n  "));
    first = 1;
    for (int64_t a = 0; a < p; a++)
        for (int64_t c = a + 1; c < p; c++) {
            causa_pair_info info;
            causa_discovery_pair(r, a, c, &info);
            if (info.status == CAUSA_PAIR_ADJACENT) continue;
            CAUSA_TRY(causa_i_buf_printf(&b, "%s\n    {\"x\": ", first ? "" : ","));
            first = 0;
            CAUSA_TRY(put_str(&b, r->names[a]));
            CAUSA_TRY(causa_i_buf_printf(&b, ", \"y\": "));
            CAUSA_TRY(put_str(&b, r->names[c]));
            if (info.status == CAUSA_PAIR_FORBIDDEN) {
                CAUSA_TRY(causa_i_buf_printf(&b, ", \"forbidden\": true}"));
                continue;
            }
            CAUSA_TRY(causa_i_buf_printf(&b, ", \"depth\": %lld, \"sepset\": [", (long long)info.depth));
            for (int64_t i = 0; i < info.sepset_size; i++) {
                if (i) CAUSA_TRY(causa_i_buf_append(&b, ", ", 2));
                CAUSA_TRY(put_str(&b, r->names[info.sepset[i]]));
            }
            CAUSA_TRY(causa_i_buf_printf(&b, "], \"pmax\": "));
            CAUSA_TRY(put_num(&b, info.pmax, digits));
            if (r->fci)
                CAUSA_TRY(causa_i_buf_printf(&b, ", \"stage\": \"%s\"", causa_discovery_pair_stage(r, a, c)));
            CAUSA_TRY(causa_i_buf_append(&b, "}", 1));
        }
    CAUSA_TRY(causa_i_buf_printf(&b, "%s],\n  \"ambiguous_triples\": [", first ? "" : "\n  "));
    for (int64_t i = 0; i < r->nambiguous; i++) {
        CAUSA_TRY(causa_i_buf_printf(&b, "%s[", i ? ", " : ""));
        for (int j = 0; j < 3; j++) {
            if (j) CAUSA_TRY(causa_i_buf_append(&b, ", ", 2));
            CAUSA_TRY(put_str(&b, r->names[r->ambiguous[3 * i + j]]));
        }
        CAUSA_TRY(causa_i_buf_append(&b, "]", 1));
    }
    CAUSA_TRY(causa_i_buf_printf(&b, "],\n  \"report\": {\n    \"tests_by_depth\": ["));
    int64_t levels = r->sk.max_depth + 1;
    for (int64_t d = 0; d < levels; d++)
        CAUSA_TRY(causa_i_buf_printf(&b, "%s%lld", d ? ", " : "", (long long)r->sk.ntests[d]));
    CAUSA_TRY(causa_i_buf_printf(
        &b,
        "],\n    \"tests\": %lld,\n    \"orientation_tests\": %lld,\n    \"max_depth\": %lld,\n"
        "    \"unshielded_triples\": %lld,\n    \"colliders\": %lld,\n    \"ambiguous\": %lld,\n"
        "    \"conflicts\": %lld,\n    \"seconds\": {\"load\": ",
        (long long)causa_discovery_ntests(r, -1), (long long)r->orient_tests,
        (long long)r->sk.max_depth, (long long)r->ntriples, (long long)r->ncolliders,
        (long long)r->nambiguous, (long long)r->nconflicts));
    CAUSA_TRY(put_seconds(&b, r->seconds[CAUSA_PHASE_LOAD]));
    CAUSA_TRY(causa_i_buf_printf(&b, ", \"statistics\": "));
    CAUSA_TRY(put_seconds(&b, r->seconds[CAUSA_PHASE_STATISTICS]));
    CAUSA_TRY(causa_i_buf_printf(&b, ", \"skeleton\": "));
    CAUSA_TRY(put_seconds(&b, r->seconds[CAUSA_PHASE_SKELETON]));
    CAUSA_TRY(causa_i_buf_printf(&b, ", \"orientation\": "));
    CAUSA_TRY(put_seconds(&b, r->seconds[CAUSA_PHASE_ORIENTATION]));
    CAUSA_TRY(causa_i_buf_printf(&b, "},\n"));
    if (r->fci) CAUSA_TRY(causa_i_fci_json_report(r, &b));
    CAUSA_TRY(causa_i_buf_printf(&b, "    \"note\": "));
    CAUSA_TRY(put_str(&b, r->note));
    CAUSA_TRY(causa_i_buf_printf(&b, "\n  }\n}\n"));
    *out = b.data;
    if (len) *len = b.len;
    b.data = NULL;
done:
    causa_i_buf_free(&b);
    return rc;
}
