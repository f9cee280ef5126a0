/*
 * cmd_graph.c: the `causa graph ...` verbs:
 *
 *   graph info G                  kind, nodes, edges by type, acyclicity, class size
 *   graph convert IN [-o OUT]     between formats (from the extensions, or --from / --to)
 *   graph dsep G --x A --y B [--given C,D]   d- (or m-) separation
 *   graph cpdag G [-o OUT]        the CPDAG of a DAG
 *   graph compare ESTIMATE TRUTH  SHDs, adjacency and arrowhead precision / recall / F1,
 *                                 the confusion of edge types
 *   graph draw G -o PICTURE       SVG, PNG or PDF through Graphviz
 *
 * A graph without -o goes to standard output as DOT (or --to FMT). Every verb takes --from
 * FMT to name the input format and --matrix CONV for adjacency matrices (docs/CLI.md).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

/* Options shared by the graph verbs. */
typedef struct graph_opts {
    const char *from, *to, *matrix, *matrix_out;
    int no_labels;
    const char *x, *y, *given;
} graph_opts;

#define OPT_FROM(o)                                                                                \
    {                                                                                              \
        "from", 0, OPT_STRING, &(o).from, "FMT",                                                   \
            "input format: dot, json, tetrad, bnlearn, dagitty, matrix, bif (default: from the "   \
            "extension, else the content)"                                                         \
    }
#define OPT_MATRIX(o)                                                                              \
    {                                                                                              \
        "matrix", 0, OPT_STRING, &(o).matrix, "CONV",                                              \
            "adjacency-matrix convention: pcalg-cpdag, pcalg-pag, causal-learn, lingam, from-to"   \
    }

static int usage(const cli_verb *verb, const char *what) {
    return cli_usage_error(verb->name, "expected %s (usage: causa %s [options] %s)", what,
                           verb->name, verb->args);
}

/* Resolves --from / --to and --matrix into io options; CLI_USAGE (printed) if unknown. */
static int io_options(const cli_verb *verb, const char *fmt, const char *matrix,
                      causa_graph_io_options *io, const char *which) {
    causa_graph_io_options_init(io);
    if (fmt) {
        int f = causa_graph_format_from_name(fmt);
        if (f < 0 || f == CAUSA_FORMAT_AUTO)
            return cli_usage_error(verb->name,
                                   "--%s expects dot, json, tetrad, bnlearn, dagitty, matrix, bif, "
                                   "svg, png or pdf; got '%s'",
                                   which, fmt);
        io->format = f;
    }
    if (matrix) {
        int c = causa_matrix_convention_from_name(matrix);
        if (c < 0)
            return cli_usage_error(
                verb->name,
                "--matrix expects pcalg-cpdag, pcalg-pag, causal-learn, lingam or "
                "from-to; got '%s'",
                matrix);
        io->matrix = c;
    }
    return CLI_OK;
}

static int read_graph(causa_ctx *ctx, const cli_verb *verb, const graph_opts *o, const char *path,
                      causa_graph **g) {
    causa_graph_io_options io;
    if (io_options(verb, o->from, o->matrix, &io, "from")) return CLI_USAGE;
    int rc = causa_graph_read(ctx, path, &io, g);
    if (rc) return cli_fail(ctx, rc);
    return CLI_OK;
}

/* Writes g to path (NULL or "-": standard output, DOT unless --to says otherwise). */
static int write_graph(causa_ctx *ctx, const cli_verb *verb, const graph_opts *o,
                       const causa_graph *g, const char *path, int default_format) {
    causa_graph_io_options io;
    if (io_options(verb, o->to, o->matrix_out ? o->matrix_out : o->matrix, &io, "to"))
        return CLI_USAGE;
    io.edge_labels = !o->no_labels;
    int rc;
    if (!path || strcmp(path, "-") == 0) {
        int f = io.format != CAUSA_FORMAT_AUTO ? io.format : default_format;
        char *text = NULL;
        size_t len = 0;
        rc = causa_graph_write_buffer(ctx, g, f, &io, &text, &len);
        if (rc == CAUSA_OK) rc = cli_write_text(ctx, "-", text, len);
        causa_free(ctx, text);
    } else {
        rc = causa_graph_write(ctx, g, path, &io);
    }
    if (rc) return cli_fail(ctx, rc);
    return CLI_OK;
}

/* Parses argv with the verb's options; returns -1 after --help. */
static int parse(const cli_verb *verb, int argc, char **argv, const cli_opt *opts,
                 cli_common *common, const char **pos, int maxpos, int *npos) {
    return cli_parse(verb, argc, argv, opts, common, pos, maxpos, npos);
}

static void json_print(json_t *root) {
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(root);
    if (!text) {
        fprintf(stderr, "causa: out of memory\n");
        return;
    }
    printf("%s\n", text);
    free(text);
}

static json_t *json_num(double x) {
    return isfinite(x) ? json_real(x == 0 ? 0.0 : x) : json_null();
}

/* ---- graph info ---- */

/* Counts edges by type: -->, ---, <->, o->, o-o, --o. */
enum { T_DIRECTED, T_UNDIRECTED, T_BIDIRECTED, T_PARTIAL, T_NONDIRECTED, T_TAILCIRCLE, T_N };
static const char *const type_names[T_N] = {"-->", "---", "<->", "o->", "o-o", "--o"};

static void count_types(const causa_graph *g, int64_t *counts) {
    for (int t = 0; t < T_N; t++) counts[t] = 0;
    int64_t p = causa_graph_nnodes(g);
    for (int64_t v = 0; v < p; v++)
        for (int64_t k = 0; k < causa_graph_degree(g, v); k++) {
            int64_t w;
            int mv, mw;
            causa_graph_neighbor(g, v, k, &w, &mv, &mw);
            if (w < v) continue;
            int lo = mv < mw ? mv : mw, hi = mv < mw ? mw : mv;
            if (lo == CAUSA_MARK_TAIL && hi == CAUSA_MARK_ARROW)
                counts[T_DIRECTED]++;
            else if (lo == CAUSA_MARK_TAIL && hi == CAUSA_MARK_TAIL)
                counts[T_UNDIRECTED]++;
            else if (lo == CAUSA_MARK_ARROW && hi == CAUSA_MARK_ARROW)
                counts[T_BIDIRECTED]++;
            else if (lo == CAUSA_MARK_ARROW && hi == CAUSA_MARK_CIRCLE)
                counts[T_PARTIAL]++;
            else if (lo == CAUSA_MARK_CIRCLE && hi == CAUSA_MARK_CIRCLE)
                counts[T_NONDIRECTED]++;
            else
                counts[T_TAILCIRCLE]++;
        }
}

/* Size of the Markov equivalence class (DAG or CPDAG): *have = 0 if it does not apply. */
static int class_size(causa_ctx *ctx, const causa_graph *g, int kind, int *have, double *count,
                      double *log10_count) {
    *have = 0;
    int rc = CAUSA_OK;
    if (kind == CAUSA_KIND_DAG) {
        causa_graph *cp = NULL;
        rc = causa_graph_cpdag(ctx, g, &cp);
        if (rc == CAUSA_OK) rc = causa_graph_count_dags(ctx, cp, count, log10_count);
        causa_graph_free(cp);
        if (rc == CAUSA_OK) *have = 1;
    } else if (kind == CAUSA_KIND_CPDAG) {
        rc = causa_graph_count_dags(ctx, g, count, log10_count);
        if (rc == CAUSA_OK) *have = 1;
    }
    return rc;
}

static void print_count(double count, double log10_count) {
    if (count < 1e15)
        printf("%.0f", count);
    else
        printf("about 10^%.2f", log10_count);
}

int cmd_graph_info(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("graph info");
    graph_opts o = {0};
    const cli_opt opts[] = {OPT_FROM(o), OPT_MATRIX(o), {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) return CLI_OK;
    if (rc) return rc;
    if (npos != 1) return usage(verb, "one graph file");
    causa_ctx *ctx = cli_ctx(&common);
    causa_graph *g = NULL;
    int64_t *cycle = NULL;
    int exit_code = read_graph(ctx, verb, &o, pos[0], &g);
    if (exit_code) goto done;
    int64_t p = causa_graph_nnodes(g);
    int kind = causa_graph_kind(g), inferred = CAUSA_KIND_MIXED;
    if ((rc = causa_graph_infer_kind(ctx, g, &inferred))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    int format =
        o.from ? causa_graph_format_from_name(o.from) : causa_graph_format_from_path(pos[0]);
    int declared =
        (format == CAUSA_FORMAT_JSON || format == CAUSA_FORMAT_DAGITTY) && kind != CAUSA_KIND_MIXED;
    int64_t latent = 0, selection = 0, counts[T_N];
    for (int64_t v = 0; v < p; v++) {
        latent += (causa_graph_node_flags(g, v) & CAUSA_NODE_LATENT) != 0;
        selection += (causa_graph_node_flags(g, v) & CAUSA_NODE_SELECTION) != 0;
    }
    count_types(g, counts);
    cycle = malloc((size_t)(p ? p : 1) * sizeof *cycle);
    if (!cycle) {
        fprintf(stderr, "causa: out of memory\n");
        exit_code = CLI_FAIL;
        goto done;
    }
    int64_t clen = 0;
    if ((rc = causa_graph_find_cycle(ctx, g, cycle, &clen))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    int have = 0;
    double count = 0, log10_count = 0;
    int ckind = kind != CAUSA_KIND_MIXED ? kind : inferred;
    if ((rc = class_size(ctx, g, ckind, &have, &count, &log10_count))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    if (common.json) {
        json_t *root = json_object(), *types = json_object();
        json_object_set_new(root, "file", json_string(pos[0]));
        json_object_set_new(root, "kind", json_string(causa_graph_kind_name(kind)));
        json_object_set_new(root, "kind_source", json_string(declared ? "declared" : "inferred"));
        json_object_set_new(root, "strictest_kind", json_string(causa_graph_kind_name(inferred)));
        json_object_set_new(root, "nodes", json_integer(p));
        json_object_set_new(root, "latent", json_integer(latent));
        json_object_set_new(root, "selection", json_integer(selection));
        json_object_set_new(root, "edges", json_integer(causa_graph_nedges(g)));
        for (int t = 0; t < T_N; t++)
            json_object_set_new(types, type_names[t], json_integer(counts[t]));
        json_object_set_new(root, "edge_types", types);
        json_object_set_new(root, "acyclic", json_boolean(clen == 0));
        if (clen) {
            json_t *cyc = json_array();
            for (int64_t i = 0; i < clen; i++)
                json_array_append_new(cyc, json_string(causa_graph_name(g, cycle[i])));
            json_object_set_new(root, "cycle", cyc);
        } else {
            json_object_set_new(root, "cycle", json_null());
        }
        json_object_set_new(root, "equivalence_class_size",
                            !have                        ? json_null()
                            : count < 9007199254740992.0 ? json_integer((json_int_t)count)
                                                         : json_num(count));
        json_object_set_new(root, "equivalence_class_log10",
                            have ? json_num(log10_count) : json_null());
        json_print(root);
        goto done;
    }
    printf("file: %s\n", pos[0]);
    printf("kind: %s (%s)\n", causa_graph_kind_name(kind), declared ? "declared" : "inferred");
    if (inferred != kind)
        printf("strictest kind its edges satisfy: %s\n", causa_graph_kind_name(inferred));
    printf("nodes: %lld", (long long)p);
    if (latent || selection)
        printf(" (%lld latent, %lld selection)", (long long)latent, (long long)selection);
    printf("\nedges: %lld\n", (long long)causa_graph_nedges(g));
    for (int t = 0; t < T_N; t++)
        if (counts[t]) printf("  %s %lld\n", type_names[t], (long long)counts[t]);
    if (clen == 0) {
        printf("acyclic: yes\n");
    } else {
        printf("acyclic: no (directed cycle");
        for (int64_t i = 0; i < clen; i++) printf(" %s ->", causa_graph_name(g, cycle[i]));
        printf(" %s)\n", causa_graph_name(g, cycle[0]));
    }
    printf("Markov equivalence class: ");
    if (have) {
        print_count(count, log10_count);
        printf(count == 1 ? " DAG\n" : " DAGs\n");
    } else {
        printf("n/a (defined here for a DAG or a CPDAG)\n");
    }
done:
    free(cycle);
    causa_graph_free(g);
    causa_ctx_free(ctx);
    return exit_code;
}

/* ---- graph convert ---- */

int cmd_graph_convert(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("graph convert");
    graph_opts o = {0};
    const cli_opt opts[] = {
        OPT_FROM(o),
        {"to", 0, OPT_STRING, &o.to, "FMT",
         "output format: dot, json, tetrad, bnlearn, dagitty, matrix, svg, png, pdf (default: "
         "from the extension of -o; DOT on standard output)"},
        OPT_MATRIX(o),
        {"matrix-out", 0, OPT_STRING, &o.matrix_out, "CONV",
         "convention of an output matrix when it differs from --matrix"},
        {"no-labels", 0, OPT_FLAG, &o.no_labels, NULL, "leave edge labels out"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) return CLI_OK;
    if (rc) return rc;
    if (npos != 1) return usage(verb, "one input graph file");
    if (common.json && !o.to) o.to = "json";
    causa_ctx *ctx = cli_ctx(&common);
    causa_graph *g = NULL;
    int exit_code = read_graph(ctx, verb, &o, pos[0], &g);
    if (exit_code == CLI_OK)
        exit_code = write_graph(ctx, verb, &o, g, common.output, CAUSA_FORMAT_DOT);
    causa_graph_free(g);
    causa_ctx_free(ctx);
    return exit_code;
}

/* ---- graph dsep ---- */

/* Parses a comma-separated list of node names into idx (capacity p); CLI_USAGE (printed)
 * for an unknown name. */
static int name_list(const cli_verb *verb, const causa_graph *g, const char *list, const char *opt,
                     int64_t *idx, int64_t *n) {
    *n = 0;
    if (!list) return CLI_OK;
    const char *s = list;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        while (len > 0 && s[0] == ' ') s++, len--;
        while (len > 0 && s[len - 1] == ' ') len--;
        if (len > 0) {
            char *name = malloc(len + 1);
            if (!name) {
                fprintf(stderr, "causa: out of memory\n");
                return CLI_FAIL;
            }
            memcpy(name, s, len);
            name[len] = '\0';
            int64_t v = causa_graph_find(g, name);
            if (v < 0) {
                const char *best = NULL;
                int bestd = 1 << 30;
                for (int64_t w = 0; w < causa_graph_nnodes(g); w++) {
                    int d = cli_edit_distance(name, causa_graph_name(g, w));
                    if (d < bestd) {
                        bestd = d;
                        best = causa_graph_name(g, w);
                    }
                }
                if (best && bestd <= 3)
                    cli_usage_error(verb->name, "unknown node '%s' in --%s; did you mean '%s'?",
                                    name, opt, best);
                else
                    cli_usage_error(verb->name, "unknown node '%s' in --%s", name, opt);
                free(name);
                return CLI_USAGE;
            }
            free(name);
            int dup = 0;
            for (int64_t i = 0; i < *n; i++) dup |= idx[i] == v;
            if (!dup) idx[(*n)++] = v;
        }
        if (!comma) break;
        s = comma + 1;
    }
    return CLI_OK;
}

static void print_set(const causa_graph *g, const int64_t *idx, int64_t n, int braces) {
    if (braces) printf("{");
    for (int64_t i = 0; i < n; i++) printf("%s%s", i ? ", " : "", causa_graph_name(g, idx[i]));
    if (braces) printf("}");
}

static json_t *json_set(const causa_graph *g, const int64_t *idx, int64_t n) {
    json_t *a = json_array();
    for (int64_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(causa_graph_name(g, idx[i])));
    return a;
}

int cmd_graph_dsep(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("graph dsep");
    graph_opts o = {0};
    const cli_opt opts[] = {
        {"x", 0, OPT_STRING, &o.x, "A[,B...]", "the first set of nodes (required)"},
        {"y", 0, OPT_STRING, &o.y, "C[,D...]", "the second set of nodes (required)"},
        {"given", 0, OPT_STRING, &o.given, "Z[,W...]", "the conditioning set (default: empty)"},
        OPT_FROM(o),
        OPT_MATRIX(o),
        {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) return CLI_OK;
    if (rc) return rc;
    if (npos != 1) return usage(verb, "one graph file");
    if (!o.x || !o.y)
        return cli_usage_error(verb->name, "--x and --y are required (the two sets to test)");
    causa_ctx *ctx = cli_ctx(&common);
    causa_graph *g = NULL;
    int64_t *x = NULL, *y = NULL, *z = NULL, nx = 0, ny = 0, nz = 0;
    int exit_code = read_graph(ctx, verb, &o, pos[0], &g);
    if (exit_code) goto done;
    int64_t p = causa_graph_nnodes(g);
    x = malloc((size_t)(p ? p : 1) * sizeof *x);
    y = malloc((size_t)(p ? p : 1) * sizeof *y);
    z = malloc((size_t)(p ? p : 1) * sizeof *z);
    if (!x || !y || !z) {
        fprintf(stderr, "causa: out of memory\n");
        exit_code = CLI_FAIL;
        goto done;
    }
    if ((exit_code = name_list(verb, g, o.x, "x", x, &nx))) goto done;
    if ((exit_code = name_list(verb, g, o.y, "y", y, &ny))) goto done;
    if ((exit_code = name_list(verb, g, o.given, "given", z, &nz))) goto done;
    if (nx == 0 || ny == 0) {
        exit_code = cli_usage_error(verb->name, "--%s names no node", nx == 0 ? "x" : "y");
        goto done;
    }
    int separated = 0;
    if ((rc = causa_graph_separated(ctx, g, x, nx, y, ny, z, nz, &separated))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    const char *letter = causa_graph_kind(g) == CAUSA_KIND_DAG ? "d" : "m";
    if (common.json) {
        json_t *root = json_object();
        json_object_set_new(root, "x", json_set(g, x, nx));
        json_object_set_new(root, "y", json_set(g, y, ny));
        json_object_set_new(root, "given", json_set(g, z, nz));
        json_object_set_new(root, "separated", json_boolean(separated));
        json_object_set_new(root, "criterion",
                            json_string(letter[0] == 'd' ? "d-separation" : "m-separation"));
        json_print(root);
        goto done;
    }
    print_set(g, x, nx, nx > 1);
    printf(" and ");
    print_set(g, y, ny, ny > 1);
    printf(" are %s-%s given ", letter, separated ? "separated" : "connected");
    print_set(g, z, nz, 1);
    printf("\n");
done:
    free(x);
    free(y);
    free(z);
    causa_graph_free(g);
    causa_ctx_free(ctx);
    return exit_code;
}

/* ---- graph cpdag ---- */

/* The verbs that read one graph, compute another and write it: cpdag, extend. */
typedef int (*graph_op)(causa_ctx *ctx, const causa_graph *in, causa_graph **out);

static int graph_transform(const char *name, graph_op op, const char *input, int argc, char **argv) {
    const cli_verb *verb = cli_find_verb(name);
    graph_opts o = {0};
    const cli_opt opts[] = {
        OPT_FROM(o),
        {"to", 0, OPT_STRING, &o.to, "FMT",
         "output format (default: from the extension of -o; DOT on standard output)"},
        OPT_MATRIX(o),
        {"matrix-out", 0, OPT_STRING, &o.matrix_out, "CONV",
         "convention of an output matrix when it differs from --matrix"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) return CLI_OK;
    if (rc) return rc;
    if (npos != 1) return usage(verb, input);
    if (common.json && !o.to) o.to = "json";
    causa_ctx *ctx = cli_ctx(&common);
    causa_graph *g = NULL, *result = NULL;
    int exit_code = read_graph(ctx, verb, &o, pos[0], &g);
    if (exit_code) goto done;
    if ((rc = op(ctx, g, &result))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    exit_code = write_graph(ctx, verb, &o, result, common.output, CAUSA_FORMAT_DOT);
done:
    causa_graph_free(result);
    causa_graph_free(g);
    causa_ctx_free(ctx);
    return exit_code;
}

int cmd_graph_cpdag(int argc, char **argv) {
    return graph_transform("graph cpdag", causa_graph_cpdag, "one DAG file", argc, argv);
}

int cmd_graph_extend(int argc, char **argv) {
    return graph_transform("graph extend", causa_graph_dag_extension, "one CPDAG or PDAG file", argc,
                           argv);
}

/* ---- graph compare ---- */

/* A rate in a column of width 11 ("-" when undefined); the last column is not padded. */
static void print_rate(double x, int last) {
    char buf[32];
    if (isnan(x))
        snprintf(buf, sizeof buf, "-");
    else
        snprintf(buf, sizeof buf, "%.6g", x == 0 ? 0.0 : x);
    printf(last ? "  %s" : "  %-9s", buf);
}

int cmd_graph_compare(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("graph compare");
    graph_opts o = {0};
    const cli_opt opts[] = {OPT_FROM(o), OPT_MATRIX(o), {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[2];
    int npos = 0;
    int rc = parse(verb, argc, argv, opts, &common, pos, 2, &npos);
    if (rc == -1) return CLI_OK;
    if (rc) return rc;
    if (npos != 2) return usage(verb, "two graph files, the estimate then the truth");
    causa_ctx *ctx = cli_ctx(&common);
    causa_graph *est = NULL, *truth = NULL;
    int exit_code = read_graph(ctx, verb, &o, pos[0], &est);
    if (exit_code == CLI_OK) exit_code = read_graph(ctx, verb, &o, pos[1], &truth);
    if (exit_code) goto done;
    causa_graph_metrics m;
    if ((rc = causa_graph_compare(ctx, est, truth, &m))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    /* Types that occur in either graph (plus "none"), for a compact confusion table. */
    int used[CAUSA_NETYPES] = {0};
    used[CAUSA_ETYPE_NONE] = 1;
    for (int e = 0; e < CAUSA_NETYPES; e++)
        for (int t = 0; t < CAUSA_NETYPES; t++)
            if (m.confusion[e][t] && (e != CAUSA_ETYPE_NONE || t != CAUSA_ETYPE_NONE))
                used[e] = used[t] = 1;
    if (common.json) {
        json_t *root = json_object(), *shd = json_object(), *adj = json_object(),
               *arr = json_object();
        json_object_set_new(root, "estimate", json_string(pos[0]));
        json_object_set_new(root, "truth", json_string(pos[1]));
        json_object_set_new(root, "nodes", json_integer(causa_graph_nnodes(truth)));
        json_object_set_new(shd, "causa", json_integer(m.shd));
        json_object_set_new(shd, "pcalg", json_integer(m.shd_pcalg));
        json_object_set_new(shd, "causal_learn", json_integer(m.shd_causallearn));
        json_object_set_new(root, "shd", shd);
        json_object_set_new(adj, "tp", json_integer(m.adj_tp));
        json_object_set_new(adj, "fp", json_integer(m.adj_fp));
        json_object_set_new(adj, "fn", json_integer(m.adj_fn));
        json_object_set_new(adj, "precision", json_num(m.adj_precision));
        json_object_set_new(adj, "recall", json_num(m.adj_recall));
        json_object_set_new(adj, "f1", json_num(m.adj_f1));
        json_object_set_new(root, "adjacency", adj);
        json_object_set_new(arr, "tp", json_integer(m.arrow_tp));
        json_object_set_new(arr, "fp", json_integer(m.arrow_fp));
        json_object_set_new(arr, "fn", json_integer(m.arrow_fn));
        json_object_set_new(arr, "precision", json_num(m.arrow_precision));
        json_object_set_new(arr, "recall", json_num(m.arrow_recall));
        json_object_set_new(arr, "f1", json_num(m.arrow_f1));
        json_object_set_new(root, "arrowhead", arr);
        /* confusion: estimate type -> truth type -> count, non-zero cells only */
        json_t *conf = json_object();
        for (int e = 0; e < CAUSA_NETYPES; e++) {
            json_t *row = json_object();
            for (int t = 0; t < CAUSA_NETYPES; t++)
                if (m.confusion[e][t])
                    json_object_set_new(row, causa_edge_type_name(t),
                                        json_integer(m.confusion[e][t]));
            if (json_object_size(row))
                json_object_set_new(conf, causa_edge_type_name(e), row);
            else
                json_decref(row);
        }
        json_object_set_new(root, "confusion", conf);
        json_print(root);
        goto done;
    }
    printf("estimate: %s (%lld edges)\n", pos[0], (long long)causa_graph_nedges(est));
    printf("truth:    %s (%lld edges, %lld nodes)\n\n", pos[1],
           (long long)causa_graph_nedges(truth), (long long)causa_graph_nnodes(truth));
    printf("SHD                 %6lld  pairs whose edge differs (presence or marks)\n",
           (long long)m.shd);
    printf("SHD (pcalg)         %6lld  insertions + deletions + flips, 1 each (pcalg::shd)\n",
           (long long)m.shd_pcalg);
    printf("SHD (causal-learn)  %6lld  pairs whose endpoints differ (causal-learn SHD)\n\n",
           (long long)m.shd_causallearn);
    printf("             TP      FP      FN  precision  recall     F1\n");
    printf("adjacency %5lld   %5lld   %5lld", (long long)m.adj_tp, (long long)m.adj_fp,
           (long long)m.adj_fn);
    print_rate(m.adj_precision, 0);
    print_rate(m.adj_recall, 0);
    print_rate(m.adj_f1, 1);
    printf("\narrowhead %5lld   %5lld   %5lld", (long long)m.arrow_tp, (long long)m.arrow_fp,
           (long long)m.arrow_fn);
    print_rate(m.arrow_precision, 0);
    print_rate(m.arrow_recall, 0);
    print_rate(m.arrow_f1, 1);
    printf("\n\nedge types per pair (rows: estimate, columns: truth):\n%-6s", "");
    for (int t = 0; t < CAUSA_NETYPES; t++)
        if (used[t]) printf("%6s", causa_edge_type_name(t));
    printf("\n");
    for (int e = 0; e < CAUSA_NETYPES; e++) {
        if (!used[e]) continue;
        printf("%-6s", causa_edge_type_name(e));
        for (int t = 0; t < CAUSA_NETYPES; t++)
            if (used[t]) printf("%6lld", (long long)m.confusion[e][t]);
        printf("\n");
    }
done:
    causa_graph_free(est);
    causa_graph_free(truth);
    causa_ctx_free(ctx);
    return exit_code;
}

/* ---- graph draw ---- */

int cmd_graph_draw(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("graph draw");
    graph_opts o = {0};
    const cli_opt opts[] = {
        OPT_FROM(o),
        {"to", 0, OPT_STRING, &o.to, "FMT", "svg, png or pdf (default: from the extension of -o)"},
        OPT_MATRIX(o),
        {"no-labels", 0, OPT_FLAG, &o.no_labels, NULL, "draw no edge labels"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) return CLI_OK;
    if (rc) return rc;
    if (npos != 1) return usage(verb, "one graph file");
    if (!common.output || strcmp(common.output, "-") == 0)
        return cli_usage_error(verb->name, "-o PICTURE is required (a .svg, .png or .pdf file)");
    int f = o.to ? causa_graph_format_from_name(o.to) : causa_graph_format_from_path(common.output);
    if (f != CAUSA_FORMAT_SVG && f != CAUSA_FORMAT_PNG && f != CAUSA_FORMAT_PDF)
        return cli_usage_error(verb->name, "draws SVG, PNG or PDF; '%s' is none of them (use --to)",
                               o.to ? o.to : common.output);
    causa_ctx *ctx = cli_ctx(&common);
    causa_graph *g = NULL;
    int exit_code = read_graph(ctx, verb, &o, pos[0], &g);
    if (exit_code == CLI_OK) {
        if (!o.to) o.to = causa_graph_format_name(f);
        exit_code = write_graph(ctx, verb, &o, g, common.output, f);
    }
    if (exit_code == CLI_OK && common.json) {
        json_t *root = json_object();
        json_object_set_new(root, "written", json_string(common.output));
        json_object_set_new(root, "format", json_string(causa_graph_format_name(f)));
        json_print(root);
    }
    causa_graph_free(g);
    causa_ctx_free(ctx);
    return exit_code;
}
