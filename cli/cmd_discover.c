/*
 * cmd_discover.c: `causa discover DATA` (PC and its variants) and `causa discover --stats
 * a.stats,b.stats` (PC on pooled summary statistics of several sites).
 *
 * Output: the graph as Tetrad-like text on standard output (or to -o FILE in the format of
 * its extension: .txt, .dot, .json, .svg...), the report (tests by depth, time of each
 * phase) on standard error unless --quiet; --json prints the whole result (graph,
 * separating sets, largest p-values, report) on standard output instead of the text.
 * With CAUSA_TEST_GOLDEN=1 in the environment (the golden-test runner sets it) times are
 * printed as 0 and p-values with 6 digits, so the output is reproducible.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmds.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int golden(void) {
    const char *g = getenv("CAUSA_TEST_GOLDEN");
    return g && strcmp(g, "1") == 0;
}

/* ---- reading a data set (shared with `causa stats`) ---- */

int cmd_read_data(causa_ctx *ctx, const char *verb, const cmd_data_opts *o, const char *path,
                  int data_type, causa_dataset **out, int *exit_code) {
    *out = NULL;
    *exit_code = CLI_OK;
    causa_csv_options csv;
    causa_csv_options_init(&csv);
    csv.header = !o->no_header;
    csv.data_type = data_type;
    if (o->delimiter) {
        static const struct {
            const char *name;
            char c;
        } names[] = {{"comma", ','}, {"tab", '\t'}, {"semicolon", ';'}, {"space", ' '}, {"whitespace", ' '}};
        int found = 0;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcmp(o->delimiter, names[i].name) == 0) csv.delimiter = names[i].c, found = 1;
        if (!found && strlen(o->delimiter) == 1) csv.delimiter = o->delimiter[0], found = 1;
        if (!found) {
            *exit_code = cli_usage_error(verb,
                                         "--delimiter expects one character or comma, tab, semicolon, "
                                         "whitespace; got '%s'",
                                         o->delimiter);
            return CAUSA_EINVAL;
        }
    }
    if (o->missing) {
        if (strcmp(o->missing, "error") == 0) csv.missing = CAUSA_MISSING_ERROR;
        else if (strcmp(o->missing, "drop") == 0) csv.missing = CAUSA_MISSING_DROP;
        else {
            *exit_code = cli_usage_error(verb, "--missing expects error or drop; got '%s'", o->missing);
            return CAUSA_EINVAL;
        }
    }
    csv.missing_marker = o->marker;
    const char *ext = cli_extension(path);
    int rc = strcmp(ext, "npy") == 0 ? causa_npy_read(ctx, path, out) : causa_csv_read(ctx, path, &csv, out);
    if (rc) *exit_code = cli_fail(ctx, rc);
    return rc;
}

/* ---- the report on standard error ---- */

static void put_seconds(FILE *f, const char *name, double s, int first) {
    fprintf(f, "%s%s ", first ? "" : ", ", name);
    if (isnan(s)) fprintf(f, "-");
    else fprintf(f, "%.3f", s);
}

/* What FCI and RFCI add: the tests after the skeleton and the pairs they separated. */
static void report_fci(FILE *f, const causa_discovery *r, const char *algo) {
    const causa_graph *g = causa_discovery_graph(r);
    int64_t p = causa_graph_nnodes(g), late = 0;
    for (int64_t a = 0; a < p; a++)
        for (int64_t b = a + 1; b < p; b++) {
            const char *s = causa_discovery_pair_stage(r, a, b);
            late += s && strcmp(s, "skeleton") != 0;
        }
    if (strcmp(algo, "FCI") == 0) {
        fprintf(f, "Possible-D-SEP tests by size:");
        int64_t n = causa_discovery_pds_ntests(r, -1);
        for (int64_t d = 1, seen = 0; seen < n; d++) {
            int64_t k = causa_discovery_pds_ntests(r, d);
            fprintf(f, "%s %lld: %lld", d > 1 ? "," : "", (long long)d, (long long)k);
            seen += k;
        }
        fprintf(f, " (%lld in all); edges removed: %lld\n", (long long)n, (long long)late);
    } else {
        fprintf(f, "edges removed by RFCI's triple and path checks: %lld\n", (long long)late);
    }
}

static void report(FILE *f, const causa_discovery *r, const char *algo, const char *test, double alpha,
                   int stable) {
    const causa_graph *g = causa_discovery_graph(r);
    fprintf(f, "%s (%s skeleton) with %s, alpha %g: %lld variables, %lld edges\n", algo,
            stable ? "stable" : "original", test, alpha, (long long)causa_graph_nnodes(g),
            (long long)causa_graph_nedges(g));
    fprintf(f, "tests by depth:");
    int64_t md = causa_discovery_max_depth(r);
    for (int64_t d = 0; d <= md; d++)
        fprintf(f, "%s %lld: %lld", d ? "," : "", (long long)d, (long long)causa_discovery_ntests(r, d));
    fprintf(f, " (%lld in all); orientation tests: %lld\n", (long long)causa_discovery_ntests(r, -1),
            (long long)causa_discovery_orientation_tests(r));
    fprintf(f, "unshielded triples: %lld, colliders: %lld, ambiguous: %lld, conflicts: %lld\n",
            (long long)causa_discovery_ntriples(r), (long long)causa_discovery_ncolliders(r),
            (long long)causa_discovery_nambiguous(r), (long long)causa_discovery_nconflicts(r));
    fprintf(f, "time (s): ");
    put_seconds(f, "load", causa_discovery_seconds(r, CAUSA_PHASE_LOAD), 1);
    put_seconds(f, "statistics", causa_discovery_seconds(r, CAUSA_PHASE_STATISTICS), 0);
    put_seconds(f, "skeleton", causa_discovery_seconds(r, CAUSA_PHASE_SKELETON), 0);
    put_seconds(f, "orientation", causa_discovery_seconds(r, CAUSA_PHASE_ORIENTATION), 0);
    fprintf(f, "\n");
    for (int64_t k = 0; k < causa_discovery_nambiguous(r); k++) {
        int64_t t[3];
        causa_discovery_ambiguous(r, k, t);
        fprintf(f, "%s<%s, %s, %s>", k ? ", " : "ambiguous triples: ", causa_graph_name(g, t[0]),
                causa_graph_name(g, t[1]), causa_graph_name(g, t[2]));
    }
    if (causa_discovery_nambiguous(r) > 0) fprintf(f, "\n");
    if (strcmp(algo, "FCI") == 0 || strcmp(algo, "RFCI") == 0) report_fci(f, r, algo);
    const char *note = causa_discovery_note(r);
    if (note && *note) fprintf(f, "note: %s\n", note);
}

/* ---- option values ---- */

static int pick(const char *verb, const char *opt, const char *value, const char *const *names,
                const int *values, int n, int *out) {
    for (int i = 0; i < n; i++)
        if (strcmp(value, names[i]) == 0) {
            *out = values[i];
            return CLI_OK;
        }
    char list[256] = "";
    for (int i = 0; i < n; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, names[i], sizeof list - strlen(list) - 1);
    }
    return cli_usage_error(verb, "--%s expects one of %s; got '%s'", opt, list, value);
}

/* ---- the verb ---- */

int cmd_discover(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("discover");
    cmd_data_opts d = {0};
    const char *algorithm = "pc", *test_name = "fisher-z", *knowledge = NULL, *stats = NULL;
    const char *conflict = NULL, *sepsets = NULL, *order = NULL;
    double alpha = 0.01;
    int depth = -1, stable_flag = 0, no_stable = 0, column_order = 0, no_pds = 0, max_path_length = -1;
    const cli_opt opts[] = {
        {"algorithm", 'a', OPT_STRING, &algorithm, "NAME",
         "pc (default), cpc (conservative), mpc (majority rule), maxp (max-P), fci or rfci"},
        {"test", 't', OPT_STRING, &test_name, "NAME",
         "CI test: fisher-z (default), chi-square, g-square, cg-lrt, kci, rcit"},
        {"alpha", 0, OPT_DOUBLE, &alpha, "X", "significance level in (0, 1) (default 0.01)"},
        {"depth", 'd', OPT_INT, &depth, "N", "largest conditioning set; -1 = no limit (default)"},
        {"stable", 0, OPT_FLAG, &stable_flag, NULL, "order-independent skeleton (the default)"},
        {"no-stable", 0, OPT_FLAG, &no_stable, NULL, "the original, order-dependent skeleton"},
        {"knowledge", 'k', OPT_STRING, &knowledge, "FILE",
         "background knowledge: causal-cmd's format (tiers, forbidden, required edges)"},
        {"stats", 0, OPT_STRING, &stats, "A,B,...",
         "instead of DATA: pool these sites' summary statistics (causa stats); Gaussian only"},
        {"conflict-rule", 0, OPT_STRING, &conflict, "RULE",
         "colliders in conflict: priority (default), overwrite (pcalg), bidirected"},
        {"sepsets", 0, OPT_STRING, &sepsets, "HOW",
         "separating set kept: first (default; pcalg) or union (causal-learn)"},
        {"collider-order", 0, OPT_STRING, &order, "HOW",
         "triples (default; maxp: strength), strength or separation"},
        {"no-pds", 0, OPT_FLAG, &no_pds, NULL,
         "fci: skip the Possible-D-SEP stage (pcalg's doPdsep = FALSE)"},
        {"max-path-length", 0, OPT_INT, &max_path_length, "N",
         "fci: longest path searched for Possible-D-SEP; -1 = no limit (default)"},
        {"column-order", 0, OPT_FLAG, &column_order, NULL,
         "order-dependent steps follow the columns, not the names' natural order"},
        {"no-header", 0, OPT_FLAG, &d.no_header, NULL, "the first line is data (columns X1..Xp)"},
        {"delimiter", 0, OPT_STRING, &d.delimiter, "C",
         "a character, or comma, tab, semicolon, whitespace (default: detected)"},
        {"missing", 0, OPT_STRING, &d.missing, "HOW", "rows with missing values: error (default) or drop"},
        {"missing-marker", 0, OPT_STRING, &d.marker, "TOK", "one more token that means a missing value"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = cli_parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) {
        printf("\nSummary statistics (--stats): each site runs 'causa stats DATA -o site.stats'\n"
               "and shares only n, the means and the covariance. Pooling assumes the sites sample\n"
               "the same distribution (same variables, same means and covariance) and the test\n"
               "assumes it is Gaussian (Fisher-z). The pooled result equals PC on the stacked data.\n");
        return CLI_OK;
    }
    if (rc) return rc;
    if ((npos == 1) == (stats != NULL))
        return cli_usage_error(verb->name, "expected one DATA file or --stats A,B,... (usage: causa %s [options] %s)",
                               verb->name, verb->args);
    if (stable_flag && no_stable) return cli_usage_error(verb->name, "--stable and --no-stable contradict each other");
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    opt.alpha = alpha;
    opt.depth = depth;
    opt.stable = !no_stable;
    opt.column_order = column_order;
    static const char *const algo_names[] = {"pc", "cpc", "mpc", "maxp", "fci", "rfci"};
    static const int algo_values[] = {0, 1, 2, 3, 4, 5};
    int algo;
    if ((rc = pick(verb->name, "algorithm", algorithm, algo_names, algo_values, 6, &algo))) return rc;
    if (algo >= 4) opt.algorithm = algo == 4 ? CAUSA_ALGO_FCI : CAUSA_ALGO_RFCI;
    else opt.colliders = algo; /* pc, cpc, mpc, maxp in CAUSA_COLLIDERS_* order */
    if ((no_pds || max_path_length != -1) && algo != 4)
        return cli_usage_error(verb->name, "--%s applies to --algorithm fci only",
                               no_pds ? "no-pds" : "max-path-length");
    if (max_path_length < -1 || max_path_length == 0)
        return cli_usage_error(verb->name, "--max-path-length must be >= 1, or -1 for no limit, got %d",
                               max_path_length);
    opt.possible_dsep = !no_pds;
    opt.max_path_length = max_path_length;
    if (conflict) {
        static const char *const n[] = {"priority", "overwrite", "bidirected", "1", "2", "3"};
        /* causal-cmd's --conflictRule numbers: 1 prioritize existing, 2 bidirected, 3 overwrite */
        static const int v[] = {CAUSA_CONFLICT_PRIORITY, CAUSA_CONFLICT_OVERWRITE, CAUSA_CONFLICT_BIDIRECTED,
                                CAUSA_CONFLICT_PRIORITY, CAUSA_CONFLICT_BIDIRECTED, CAUSA_CONFLICT_OVERWRITE};
        if ((rc = pick(verb->name, "conflict-rule", conflict, n, v, 6, &opt.conflicts))) return rc;
    }
    if (sepsets) {
        static const char *const n[] = {"first", "union"};
        static const int v[] = {CAUSA_SEPSETS_FIRST, CAUSA_SEPSETS_UNION};
        if ((rc = pick(verb->name, "sepsets", sepsets, n, v, 2, &opt.sepsets))) return rc;
    }
    if (order) {
        static const char *const n[] = {"triples", "strength", "separation"};
        static const int v[] = {CAUSA_ORDER_TRIPLES, CAUSA_ORDER_STRENGTH, CAUSA_ORDER_SEPARATION};
        if ((rc = pick(verb->name, "collider-order", order, n, v, 3, &opt.order))) return rc;
    }
    /* Numbers the library would also reject, caught here with the flag's name. */
    if (!(alpha > 0 && alpha < 1)) return cli_usage_error(verb->name, "--alpha must be in (0, 1), got %g", alpha);
    if (depth < -1) return cli_usage_error(verb->name, "--depth must be >= 0, or -1 for no limit, got %d", depth);
    causa_citest_options topt;
    causa_citest_options_init(&topt);
    topt.alpha = alpha;
    /* causal-cmd's names end in "-test" (fisher-z-test, chi-square-test, g-square-test) */
    char tname[64];
    snprintf(tname, sizeof tname, "%s", test_name);
    size_t tl = strlen(tname);
    if (tl > 5 && strcmp(tname + tl - 5, "-test") == 0) tname[tl - 5] = '\0';
    topt.name = tname;
    /* Fisher-z reads every column as a number; the contingency tests read codes; the others
     * (mixed-data tests) let the reader decide per column. */
    int data_type = CAUSA_DATA_MIXED;
    if (strcmp(tname, "fisher-z") == 0 || strcmp(tname, "fisherz") == 0) data_type = CAUSA_DATA_CONTINUOUS;
    else if (strcmp(tname, "g-square") == 0 || strcmp(tname, "chi-square") == 0) data_type = CAUSA_DATA_DISCRETE;
    if (stats && data_type != CAUSA_DATA_CONTINUOUS)
        return cli_usage_error(verb->name, "--stats works with the fisher-z test only (Gaussian statistics)");

    causa_ctx *ctx = cli_ctx(&common);
    int exit_code = CLI_OK;
    causa_dataset *ds = NULL;
    causa_suffstat **sites = NULL, *pooled = NULL;
    int64_t nsites = 0;
    causa_citest *test = NULL;
    causa_knowledge *kn = NULL;
    causa_discovery *r = NULL;
    const char **names = NULL;
    char *text = NULL, *list = NULL;
    size_t len = 0;
    double t_load = 0, t_stats = 0, t0 = now();

    if (stats) {
        /* --stats a.stats,b.stats: load each site, pool, prepare the Gaussian test */
        list = strdup(stats);
        size_t cap = 1;
        for (const char *c = stats; *c; c++) cap += *c == ',';
        sites = calloc(cap, sizeof *sites);
        if (!list || !sites) {
            fprintf(stderr, "causa: out of memory\n");
            exit_code = CLI_FAIL;
            goto done;
        }
        for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
            if (!*tok) continue;
            if ((rc = causa_suffstat_read(ctx, tok, &sites[nsites]))) {
                exit_code = cli_fail(ctx, rc);
                goto done;
            }
            nsites++;
        }
        if (nsites == 0) {
            exit_code = cli_usage_error(verb->name, "--stats needs at least one statistics file");
            goto done;
        }
        t_load = now() - t0;
        t0 = now();
        if (nsites > 1 && (rc = causa_suffstat_pool(ctx, (const causa_suffstat *const *)sites, nsites, &pooled))) {
            exit_code = cli_fail(ctx, rc);
            goto done;
        }
        if ((rc = causa_citest_from_suffstat(ctx, pooled ? pooled : sites[0], &topt, &test))) {
            exit_code = cli_fail(ctx, rc);
            goto done;
        }
        t_stats = now() - t0;
    } else {
        if (cmd_read_data(ctx, verb->name, &d, pos[0], data_type, &ds, &exit_code)) goto done;
        t_load = now() - t0;
        t0 = now();
        if ((rc = causa_citest_new(ctx, ds, &topt, &test))) {
            exit_code = cli_fail(ctx, rc);
            goto done;
        }
        t_stats = now() - t0;
        /* The test holds what discovery needs; the raw data can go. */
        causa_dataset_free(ds);
        ds = NULL;
    }
    int64_t p = causa_citest_nvars(test);
    if (knowledge) {
        names = malloc((size_t)(p > 0 ? p : 1) * sizeof *names);
        if (!names) {
            fprintf(stderr, "causa: out of memory\n");
            exit_code = CLI_FAIL;
            goto done;
        }
        for (int64_t j = 0; j < p; j++) names[j] = causa_citest_var_name(test, j);
        if ((rc = causa_knowledge_read(ctx, knowledge, p, names, &kn))) {
            exit_code = cli_fail(ctx, rc);
            goto done;
        }
        opt.knowledge = kn;
    }
    rc = causa_discover(ctx, test, &opt, &r);
    cli_progress_end();
    if (rc) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    causa_discovery_set_seconds(r, CAUSA_PHASE_LOAD, t_load);
    causa_discovery_set_seconds(r, CAUSA_PHASE_STATISTICS, t_stats);
    if (golden())
        for (int ph = 0; ph < CAUSA_NPHASES; ph++) causa_discovery_set_seconds(r, ph, 0);

    /* the graph to a file */
    if (common.output && strcmp(common.output, "-") != 0) {
        causa_graph_io_options io;
        causa_graph_io_options_init(&io);
        if (causa_graph_format_from_path(common.output) == CAUSA_FORMAT_AUTO) {
            exit_code = cli_usage_error(verb->name,
                                        "cannot tell the graph format from '%s'; use .txt, .dot, .json, .svg, .png or .pdf",
                                        common.output);
            goto done;
        }
        if ((rc = causa_graph_write(ctx, causa_discovery_graph(r), common.output, &io))) {
            exit_code = cli_fail(ctx, rc);
            goto done;
        }
    }
    /* standard output: the JSON result, or the graph as text when it went nowhere else */
    if (common.json) {
        if ((rc = causa_discovery_json(ctx, r, golden() ? 6 : 0, &text, &len))) {
            exit_code = cli_fail(ctx, rc);
            goto done;
        }
    } else if (!common.output || strcmp(common.output, "-") == 0) {
        if ((rc = causa_graph_write_buffer(ctx, causa_discovery_graph(r), CAUSA_FORMAT_TETRAD, NULL, &text, &len))) {
            exit_code = cli_fail(ctx, rc);
            goto done;
        }
    }
    if (text) {
        fwrite(text, 1, len, stdout);
        fflush(stdout);
    }
    if (!common.quiet) {
        static const char *const shown[] = {"PC", "CPC", "MPC", "max-P", "FCI", "RFCI"};
        report(stderr, r, shown[algo], causa_citest_name(test), alpha, opt.stable);
        if (stats) fprintf(stderr, "pooled %lld site%s: n = %lld\n", (long long)nsites, nsites == 1 ? "" : "s",
                           (long long)causa_suffstat_n(pooled ? pooled : sites[0]));
    }
done:
    causa_free(ctx, text);
    causa_discovery_free(r);
    causa_knowledge_free(kn);
    causa_citest_free(test);
    causa_dataset_free(ds);
    for (int64_t i = 0; i < nsites; i++) causa_suffstat_free(sites[i]);
    causa_suffstat_free(pooled);
    free(sites);
    free(list);
    free(names);
    causa_ctx_free(ctx);
    return exit_code;
}
