/*
 * cmd_fit.c: `causa fit DATA --graph G [--mechanism auto|linear|poly2|spline|logistic|cpt]
 * [--folds K] -o model.json`: fits one mechanism per node of a DAG to data and prints the
 * per-node table (family, R-squared or log-loss, noise sd, CV error, the CV error of every
 * candidate, the HSIC p-value of the residual check); --json prints it as JSON instead.
 * The model goes to -o (a model file, docs/FORMATS.md); without -o only the table is shown.
 *
 * Data: CSV (columns of text become discrete; with --max-levels K, integer columns with at
 * most K distinct values too) or .npy (continuous). With CAUSA_TEST_GOLDEN=1 in the
 * environment the JSON numbers have 6 significant digits, as the table's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

static int golden(void) {
    const char *g = getenv("CAUSA_TEST_GOLDEN");
    return g && strcmp(g, "1") == 0;
}

static int read_data(causa_ctx *ctx, const char *verb, const cmd_data_opts *o, int max_levels,
                     const char *path, causa_dataset **out) {
    *out = NULL;
    causa_csv_options csv;
    causa_csv_options_init(&csv);
    csv.header = !o->no_header;
    csv.data_type = CAUSA_DATA_MIXED;
    csv.max_levels = max_levels;
    if (o->delimiter) {
        static const struct {
            const char *name;
            char c;
        } names[] = {{"comma", ','}, {"tab", '\t'}, {"semicolon", ';'}, {"space", ' '}, {"whitespace", ' '}};
        int found = 0;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcmp(o->delimiter, names[i].name) == 0) csv.delimiter = names[i].c, found = 1;
        if (!found && strlen(o->delimiter) == 1) csv.delimiter = o->delimiter[0], found = 1;
        if (!found)
            return cli_usage_error(verb, "--delimiter expects one character or comma, tab, semicolon, whitespace; got '%s'",
                                   o->delimiter);
    }
    if (o->missing) {
        if (strcmp(o->missing, "error") == 0) csv.missing = CAUSA_MISSING_ERROR;
        else if (strcmp(o->missing, "drop") == 0) csv.missing = CAUSA_MISSING_DROP;
        else return cli_usage_error(verb, "--missing expects error or drop; got '%s'", o->missing);
    }
    csv.missing_marker = o->marker;
    int rc = strcmp(cli_extension(path), "npy") == 0 ? causa_npy_read(ctx, path, out)
                                                     : causa_csv_read(ctx, path, &csv, out);
    return rc ? cli_fail(ctx, rc) : CLI_OK;
}

int cmd_fit(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("fit");
    cmd_data_opts d = {0};
    const char *graph = NULL, *mechanism = "auto", *noise = "gaussian";
    int folds = 5, max_levels = 0, knots = 7, check_rows = 1000;
    double ridge = 0.0, spline_ridge = 1e-4, logistic_ridge = 1e-3, alpha = 1.0;
    const cli_opt opts[] = {
        {"graph", 'g', OPT_STRING, &graph, "G", "the DAG (any graph format; its nodes are the data's columns)"},
        {"mechanism", 'm', OPT_STRING, &mechanism, "NAME",
         "auto (default: by cross-validation), linear, poly2, spline, logistic or cpt"},
        {"folds", 'k', OPT_INT, &folds, "K", "k-fold cross-validation (default 5; 0: none, forced families only)"},
        {"noise", 0, OPT_STRING, &noise, "KIND", "noise of continuous nodes: gaussian (default) or empirical"},
        {"ridge", 0, OPT_DOUBLE, &ridge, "X", "ridge penalty of linear and poly2 (default 0: least squares)"},
        {"spline-ridge", 0, OPT_DOUBLE, &spline_ridge, "X", "spline penalty, times n (default 1e-4)"},
        {"spline-knots", 0, OPT_INT, &knots, "K", "spline breakpoints per input, at quantiles (default 7)"},
        {"logistic-ridge", 0, OPT_DOUBLE, &logistic_ridge, "X", "logistic penalty on weights (default 1e-3)"},
        {"alpha", 0, OPT_DOUBLE, &alpha, "X", "Dirichlet prior of probability tables (default 1)"},
        {"check-rows", 0, OPT_INT, &check_rows, "N", "rows of the HSIC residual check (default 1000; 0: none)"},
        {"max-levels", 0, OPT_INT, &max_levels, "K",
         "integer columns with at most K distinct values are discrete (default 0: only text columns)"},
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
        printf("\nFamilies: a continuous child is linear, poly2 (squares and interactions) or spline\n"
               "(additive cubic B-splines); a discrete child logistic (multinomial) or cpt (counts with a\n"
               "Dirichlet prior; all parents discrete). Roots: Gaussian (or empirical) and categorical.\n"
               "auto scores the candidates of each node by k-fold CV (MSE, or log-loss for discrete nodes)\n"
               "and keeps the one with the fewest coefficients within one standard error of the best.\n"
               "HSIC p: residual vs parents; small values say the residuals still depend on the parents.\n");
        return CLI_OK;
    }
    if (rc) return rc;
    if (npos != 1)
        return cli_usage_error(verb->name, "expected one DATA file (usage: causa %s [options] %s)", verb->name,
                               verb->args);
    if (!graph) return cli_usage_error(verb->name, "--graph G is required (the DAG to fit)");
    causa_fit_options o;
    causa_fit_options_init(&o);
    o.family = causa_fit_family_from_name(mechanism);
    if (o.family < 0 || o.family == CAUSA_FIT_ROOT)
        return cli_usage_error(verb->name, "--mechanism expects auto, linear, poly2, spline, logistic or cpt; got '%s'",
                               mechanism);
    if (strcmp(noise, "gaussian") == 0) o.noise = CAUSA_FIT_NOISE_GAUSSIAN;
    else if (strcmp(noise, "empirical") == 0) o.noise = CAUSA_FIT_NOISE_EMPIRICAL;
    else return cli_usage_error(verb->name, "--noise expects gaussian or empirical; got '%s'", noise);
    if (folds == 1 || folds < 0)
        return cli_usage_error(verb->name, "--folds must be >= 2, or 0 for no cross-validation; got %d", folds);
    if (folds == 0 && o.family == CAUSA_FIT_AUTO)
        return cli_usage_error(verb->name, "--mechanism auto chooses by cross-validation: --folds must be >= 2");
    if (max_levels < 0) return cli_usage_error(verb->name, "--max-levels must be >= 0, got %d", max_levels);
    o.folds = folds;
    o.ridge = ridge;
    o.spline_ridge = spline_ridge;
    o.spline_knots = knots;
    o.logistic_ridge = logistic_ridge;
    o.cpt_alpha = alpha;
    o.check_rows = check_rows;
    o.seed = common.seed;

    causa_ctx *ctx = cli_ctx(&common);
    causa_dataset *ds = NULL;
    causa_graph *g = NULL;
    causa_scm *scm = NULL;
    causa_fit_report *r = NULL;
    char *text = NULL;
    size_t len = 0;
    int exit_code = read_data(ctx, verb->name, &d, max_levels, pos[0], &ds);
    if (exit_code) goto done;
    if ((rc = causa_graph_read(ctx, graph, NULL, &g))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    rc = causa_scm_fit(ctx, ds, g, &o, &scm, &r);
    cli_progress_end();
    if (rc) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    if (common.output && (rc = causa_scm_write(ctx, scm, common.output))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    if ((rc = causa_fit_report_text(ctx, r, common.json, common.json && golden() ? 6 : 0, &text, &len))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    /* The table goes to stdout, unless the model itself does. */
    FILE *out = common.output && strcmp(common.output, "-") == 0 ? stderr : stdout;
    if (!common.quiet || out == stdout) fwrite(text, 1, len, out);
    if (!common.quiet && !common.json && !common.output)
        fprintf(stderr, "(no -o FILE: the model was not written)\n");
    fflush(stdout);
done:
    causa_free(ctx, text);
    causa_fit_report_free(r);
    causa_scm_free(scm);
    causa_graph_free(g);
    causa_dataset_free(ds);
    causa_ctx_free(ctx);
    return exit_code;
}
