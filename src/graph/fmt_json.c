/*
 * fmt_json.c: causa's JSON graph format (schema in docs/FORMATS.md):
 *
 *   {"format": "causa-graph", "version": 1, "kind": "pag",
 *    "nodes": [{"name": "A", "latent": false, "selection": false}, ...],
 *    "edges": [{"from": "A", "to": "B", "mark_from": "circle", "mark_to": "arrow",
 *               "label": "0.9"}, ...]}
 *
 * Reading uses jansson (which allocates with malloc, outside the context's accounting, for
 * the parse tree only; the tree is freed before the call returns). Syntax errors carry
 * jansson's line and column; schema errors name the member, e.g.
 * "g.json: edges[2].mark_to: expected "tail", "arrow" or "circle", found "head"".
 * A node may also be given as a bare string; "mark_from" and "mark_to" default to tail and
 * arrow; unknown members are ignored (room for later versions).
 *
 * Writing builds the text directly (through the context's allocator), one node or edge per
 * line, directed edges written from tail to head.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "lex_i.h"

static const char *json_type_name(const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    default:
        return "null";
    }
}

static int schema_error(causa_ctx *ctx, const char *name, const char *where, const char *expected,
                        const json_t *found) {
    if (!found)
        return causa_i_error(ctx, CAUSA_EPARSE,
                             "%s: %s: expected %s, found nothing (the member "
                             "is missing)",
                             name, where, expected);
    if (json_is_string(found))
        return causa_i_error(ctx, CAUSA_EPARSE, "%s: %s: expected %s, found \"%.60s\"", name, where,
                             expected, json_string_value(found));
    return causa_i_error(ctx, CAUSA_EPARSE, "%s: %s: expected %s, found %s", name, where, expected,
                         json_type_name(found));
}

static int parse_mark(const json_t *v, int dflt) {
    if (!v) return dflt;
    if (!json_is_string(v)) return -1;
    const char *s = json_string_value(v);
    if (strcmp(s, "tail") == 0) return CAUSA_MARK_TAIL;
    if (strcmp(s, "arrow") == 0) return CAUSA_MARK_ARROW;
    if (strcmp(s, "circle") == 0) return CAUSA_MARK_CIRCLE;
    return -1;
}

static int get_bool(causa_ctx *ctx, const char *name, const json_t *obj, const char *key,
                    const char *where, int *out) {
    const json_t *v = json_object_get(obj, key);
    *out = 0;
    if (!v) return CAUSA_OK;
    if (!json_is_boolean(v)) {
        char w[96];
        snprintf(w, sizeof w, "%s.%s", where, key);
        return schema_error(ctx, name, w, "true or false", v);
    }
    *out = json_is_true(v);
    return CAUSA_OK;
}

/* The node named by an edge member, or an error. */
static int edge_node(causa_ctx *ctx, const char *name, const causa_graph *g, const json_t *e,
                     const char *key, size_t k, int64_t *v) {
    char where[64];
    snprintf(where, sizeof where, "edges[%zu].%s", k, key);
    const json_t *s = json_object_get(e, key);
    if (!json_is_string(s)) return schema_error(ctx, name, where, "a node name (a string)", s);
    *v = causa_graph_find(g, json_string_value(s));
    if (*v < 0)
        return causa_i_error(ctx, CAUSA_EPARSE,
                             "%s: %s: unknown node \"%.100s\" (not in \"nodes\")", name, where,
                             json_string_value(s));
    return CAUSA_OK;
}

int causa_i_read_json(causa_ctx *ctx, const char *name, const char *data, size_t len,
                      causa_graph **out) {
    *out = NULL;
    json_error_t err;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        /* jansson's texts read "'[' or '{' expected near 'x'", "unexpected token near ','"... */
        if (strstr(err.text, "out of memory") || strstr(err.text, "Out of memory"))
            return causa_i_error(ctx, CAUSA_ENOMEM, "%s: out of memory while parsing JSON", name);
        return causa_i_error(ctx, CAUSA_EPARSE, "%s:%d:%d: invalid JSON: %s", name,
                             err.line > 0 ? err.line : 1, err.column > 0 ? err.column : 1,
                             err.text);
    }
    int rc = CAUSA_OK;
    causa_graph *g = NULL;
    if (!json_is_object(root)) {
        rc = schema_error(ctx, name, "the top level",
                          "an object {\"format\": \"causa-graph\", ...}", root);
        goto done;
    }
    const json_t *fmt = json_object_get(root, "format");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "causa-graph") != 0) {
        rc = schema_error(ctx, name, "format", "\"causa-graph\"", fmt);
        goto done;
    }
    const json_t *ver = json_object_get(root, "version");
    if (ver && !(json_is_integer(ver) && json_integer_value(ver) == 1)) {
        rc = schema_error(ctx, name, "version", "1 (the version this causa reads)", ver);
        goto done;
    }
    int declared = -1;
    const json_t *kind = json_object_get(root, "kind");
    if (kind) {
        if (!json_is_string(kind) ||
            (declared = causa_graph_kind_from_name(json_string_value(kind))) < 0) {
            rc = schema_error(ctx, name, "kind",
                              "one of \"dag\", \"pdag\", \"cpdag\", \"mag\", \"pag\", \"admg\", "
                              "\"mixed\"",
                              kind);
            goto done;
        }
    }
    const json_t *nodes = json_object_get(root, "nodes");
    if (!json_is_array(nodes)) {
        rc = schema_error(ctx, name, "nodes", "an array of nodes", nodes);
        goto done;
    }
    const json_t *edges = json_object_get(root, "edges");
    if (edges && !json_is_array(edges)) {
        rc = schema_error(ctx, name, "edges", "an array of edges", edges);
        goto done;
    }
    CAUSA_TRY(causa_graph_new(ctx, 0, NULL, &g));
    for (size_t k = 0; k < json_array_size(nodes); k++) {
        const json_t *n = json_array_get(nodes, k);
        char where[64];
        snprintf(where, sizeof where, "nodes[%zu]", k);
        const json_t *nm = n;
        int latent = 0, selection = 0;
        if (json_is_object(n)) {
            nm = json_object_get(n, "name");
            CAUSA_TRY(get_bool(ctx, name, n, "latent", where, &latent));
            CAUSA_TRY(get_bool(ctx, name, n, "selection", where, &selection));
            snprintf(where, sizeof where, "nodes[%zu].name", k);
        }
        if (!json_is_string(nm) || json_string_length(nm) == 0) {
            rc = schema_error(ctx, name, where, "a non-empty node name", nm);
            goto done;
        }
        const char *s = json_string_value(nm);
        if (causa_graph_find(g, s) >= 0) {
            rc = causa_i_error(ctx, CAUSA_EPARSE, "%s: %s: the node name \"%.100s\" is given twice",
                               name, where, s);
            goto done;
        }
        int64_t v;
        CAUSA_TRY(causa_graph_add_node(ctx, g, s, &v));
        int flags = (latent ? CAUSA_NODE_LATENT : 0) | (selection ? CAUSA_NODE_SELECTION : 0);
        if (flags) CAUSA_TRY(causa_graph_set_node_flags(ctx, g, v, flags));
    }
    for (size_t k = 0; edges && k < json_array_size(edges); k++) {
        const json_t *e = json_array_get(edges, k);
        char where[64];
        snprintf(where, sizeof where, "edges[%zu]", k);
        if (!json_is_object(e)) {
            rc = schema_error(ctx, name, where, "an object {\"from\": ..., \"to\": ...}", e);
            goto done;
        }
        int64_t a, b;
        CAUSA_TRY(edge_node(ctx, name, g, e, "from", k, &a));
        CAUSA_TRY(edge_node(ctx, name, g, e, "to", k, &b));
        int ma = parse_mark(json_object_get(e, "mark_from"), CAUSA_MARK_TAIL);
        int mb = parse_mark(json_object_get(e, "mark_to"), CAUSA_MARK_ARROW);
        if (ma < 0 || mb < 0) {
            snprintf(where, sizeof where, "edges[%zu].%s", k, ma < 0 ? "mark_from" : "mark_to");
            rc = schema_error(ctx, name, where, "\"tail\", \"arrow\" or \"circle\"",
                              json_object_get(e, ma < 0 ? "mark_from" : "mark_to"));
            goto done;
        }
        char why[600];
        if (causa_i_gio_edge_problem(g, a, b, ma, mb, why, sizeof why)) {
            rc = causa_i_error(ctx, CAUSA_EPARSE, "%s: edges[%zu]: %s", name, k, why);
            goto done;
        }
        CAUSA_TRY(causa_graph_add_edge(ctx, g, a, b, ma, mb));
        const json_t *label = json_object_get(e, "label");
        if (label && !json_is_null(label)) {
            char num[64];
            const char *text;
            if (json_is_string(label)) {
                text = json_string_value(label);
            } else if (json_is_integer(label)) {
                snprintf(num, sizeof num, "%lld", (long long)json_integer_value(label));
                text = num;
            } else if (json_is_real(label)) {
                snprintf(num, sizeof num, "%.17g", json_real_value(label));
                text = num;
            } else {
                snprintf(where, sizeof where, "edges[%zu].label", k);
                rc = schema_error(ctx, name, where, "a string or a number", label);
                goto done;
            }
            if (text[0]) CAUSA_TRY(causa_graph_set_edge_label(ctx, g, a, b, text)); /* "" is none */
        }
    }
    CAUSA_TRY(causa_i_gio_finish(ctx, name, g, declared, 0, 0));
    *out = g;
    g = NULL;
done:
    causa_graph_free(g);
    json_decref(root);
    return rc;
}

/* ---- writing ---- */

/* Length of the valid UTF-8 sequence at s, or 0 if invalid. */
static size_t utf8_len(const unsigned char *s) {
    if (s[0] < 0x80) return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (s[0] >= 0xe0 && s[0] <= 0xef) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80) return 0;
        if (s[0] == 0xe0 && s[1] < 0xa0) return 0;
        if (s[0] == 0xed && s[1] >= 0xa0) return 0; /* surrogates */
        return 3;
    }
    if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80) return 0;
        if (s[0] == 0xf0 && s[1] < 0x90) return 0;
        if (s[0] == 0xf4 && s[1] >= 0x90) return 0;
        return 4;
    }
    return 0;
}

/* A JSON string; CAUSA_EINVAL if s is not UTF-8. */
static int put_string(causa_ctx *ctx, causa_i_buf *b, const char *s, const char *what) {
    int rc = causa_i_buf_append(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p && !rc;) {
        if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            rc = causa_i_buf_append(b, esc, 2);
            p++;
        } else if (*p < 0x20) {
            rc = *p == '\n'   ? causa_i_buf_append(b, "\\n", 2)
                 : *p == '\t' ? causa_i_buf_append(b, "\\t", 2)
                 : *p == '\r' ? causa_i_buf_append(b, "\\r", 2)
                              : causa_i_buf_printf(b, "\\u%04x", *p);
            p++;
        } else {
            size_t n = utf8_len(p);
            if (n == 0)
                return causa_i_error(ctx, CAUSA_EINVAL,
                                     "%s \"%.60s\" is not valid UTF-8, which JSON requires", what,
                                     s);
            rc = causa_i_buf_append(b, p, n);
            p += n;
        }
    }
    return rc ? rc : causa_i_buf_append(b, "\"", 1);
}

static const char *mark_word(int m) {
    return m == CAUSA_MARK_ARROW ? "arrow" : m == CAUSA_MARK_CIRCLE ? "circle" : "tail";
}

int causa_i_write_json(causa_ctx *ctx, const causa_graph *g, const causa_graph_io_options *opt,
                       causa_i_buf *b) {
    int rc = CAUSA_OK;
    int64_t p = causa_graph_nnodes(g), m = causa_graph_nedges(g);
    causa_edge *edges = NULL;
    if (m > 0)
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&edges, (size_t)m * sizeof *edges, "edge list"));
    causa_graph_edges(g, edges);
    CAUSA_TRY(causa_i_buf_printf(b,
                                 "{\n  \"format\": \"causa-graph\",\n  \"version\": 1,\n"
                                 "  \"kind\": \"%s\",\n  \"nodes\": [",
                                 causa_graph_kind_name(causa_graph_kind(g))));
    for (int64_t v = 0; v < p; v++) {
        int flags = causa_graph_node_flags(g, v);
        CAUSA_TRY(causa_i_buf_printf(b, "%s\n    {\"name\": ", v ? "," : ""));
        CAUSA_TRY(put_string(ctx, b, causa_graph_name(g, v), "node name"));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"latent\": %s, \"selection\": %s}",
                                     flags & CAUSA_NODE_LATENT ? "true" : "false",
                                     flags & CAUSA_NODE_SELECTION ? "true" : "false"));
    }
    CAUSA_TRY(causa_i_buf_printf(b, "%s],\n  \"edges\": [", p ? "\n  " : ""));
    for (int64_t k = 0; k < m; k++) {
        int64_t a = edges[k].a, c = edges[k].b;
        int ma = edges[k].mark_a, mc = edges[k].mark_b;
        if ((ma == CAUSA_MARK_ARROW && mc != CAUSA_MARK_ARROW) ||
            (ma == CAUSA_MARK_CIRCLE && mc == CAUSA_MARK_TAIL)) {
            int64_t t = a;
            a = c;
            c = t;
            int tm = ma;
            ma = mc;
            mc = tm;
        }
        CAUSA_TRY(causa_i_buf_printf(b, "%s\n    {\"from\": ", k ? "," : ""));
        CAUSA_TRY(put_string(ctx, b, causa_graph_name(g, a), "node name"));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"to\": "));
        CAUSA_TRY(put_string(ctx, b, causa_graph_name(g, c), "node name"));
        CAUSA_TRY(causa_i_buf_printf(b, ", \"mark_from\": \"%s\", \"mark_to\": \"%s\"",
                                     mark_word(ma), mark_word(mc)));
        int first_of_pair = k == 0 || edges[k - 1].a != edges[k].a || edges[k - 1].b != edges[k].b;
        const char *label = causa_graph_edge_label(g, edges[k].a, edges[k].b);
        if (opt->edge_labels && label && label[0] && first_of_pair) {
            CAUSA_TRY(causa_i_buf_printf(b, ", \"label\": "));
            CAUSA_TRY(put_string(ctx, b, label, "edge label"));
        }
        CAUSA_TRY(causa_i_buf_append(b, "}", 1));
    }
    CAUSA_TRY(causa_i_buf_printf(b, "%s]\n}\n", m ? "\n  " : ""));
done:
    causa_i_free(ctx, edges);
    return rc;
}
