/*
 * cmd_stats.c: `causa stats DATA -o site.stats`: the summary statistics of a continuous
 * data set (n, means, covariance; lossless text), so that a site can share them instead of
 * its data, for `causa discover --stats a.stats,b.stats`.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

int cmd_stats(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("stats");
    cmd_data_opts d = {0};
    const cli_opt opts[] = {
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
        printf("\nThe file holds n, the names, the means and the covariance (n - 1 denominator),\n"
               "written with 17 significant digits so nothing is lost. No row of the data is in it.\n");
        return CLI_OK;
    }
    if (rc) return rc;
    if (npos != 1)
        return cli_usage_error(verb->name, "expected one DATA file (usage: causa %s [options] %s)", verb->name,
                               verb->args);
    if (!common.output) return cli_usage_error(verb->name, "-o FILE is required (the statistics file to write)");
    causa_ctx *ctx = cli_ctx(&common);
    causa_dataset *ds = NULL;
    causa_suffstat *s = NULL;
    int exit_code = CLI_OK;
    if (cmd_read_data(ctx, verb->name, &d, pos[0], CAUSA_DATA_CONTINUOUS, &ds, &exit_code)) goto done;
    if ((rc = causa_suffstat_new(ctx, ds, &s)) || (rc = causa_suffstat_write(ctx, s, common.output))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    if (common.json)
        printf("{\"n\": %lld, \"p\": %lld, \"output\": \"%s\"}\n", (long long)causa_suffstat_n(s),
               (long long)causa_suffstat_p(s), strcmp(common.output, "-") == 0 ? "-" : common.output);
    else if (!common.quiet && strcmp(common.output, "-") != 0)
        fprintf(stderr, "wrote %s: n = %lld rows, p = %lld variables (means and covariance only)\n",
                common.output, (long long)causa_suffstat_n(s), (long long)causa_suffstat_p(s));
done:
    causa_suffstat_free(s);
    causa_dataset_free(ds);
    causa_ctx_free(ctx);
    return exit_code;
}
