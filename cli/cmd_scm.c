/*
 * cmd_scm.c: the query verbs of structural causal models. MODEL is a model file
 * (docs/FORMATS.md, "SCM model file") or a BIF network, read directly.
 *
 *   causa sample MODEL -n N [--do X=1,Z=0] [--shift X=0.5] [--do-dist X=normal(3,2)]
 *                [-o out.csv|out.npy]
 *   causa counterfactual MODEL --observed rows.csv --do X=1 [--shift ...] [--do-dist ...]
 *                [-o cf.csv]
 *   causa ace MODEL --treatment T --outcome Y --from 0 --to 1 [-n N] [--json]
 *
 * --do-dist text is parsed by the library (causa_scm_parse_dist_interventions), so the CLI
 * and Python take the same syntax.
 *
 * Everything random is keyed on --seed: the same seed gives the same output for any
 * --threads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

/* Reads MODEL; on failure prints the error and returns the exit code (else CLI_OK). */
static int read_model(causa_ctx *ctx, const char *path, causa_scm **scm) {
    int rc = causa_scm_read(ctx, path, scm);
    return rc ? cli_fail(ctx, rc) : CLI_OK;
}

/* Parses --do, --shift and --do-dist into iv (one block: the interventions, then the
 * categorical weights they point to; freed with free(*iv)) and points the query q at them,
 * with the --seed; returns the exit code. */
static int parse_interventions(causa_ctx *ctx, const causa_scm *scm, const char *dos,
                               const char *shifts, const char *dists, uint64_t seed,
                               causa_intervention **iv, causa_scm_query_options *q) {
    int64_t *n = &q->ninterventions;
    q->seed = seed;
    q->interventions = NULL;
    *iv = NULL;
    *n = 0;
    int64_t cap = 3; /* each text has at most (commas + 1) items */
    for (const char *s = dos; s && *s; s++) cap += *s == ',';
    for (const char *s = shifts; s && *s; s++) cap += *s == ',';
    for (const char *s = dists; s && *s; s++) cap += *s == ',';
    int64_t wcap = 0; /* one weight per level of each discrete node suffices */
    for (int64_t v = 0; v < causa_scm_nnodes(scm); v++) wcap += causa_scm_nlevels(scm, v);
    size_t head = (size_t)cap * sizeof **iv;
    *iv = calloc(1, head + (size_t)(wcap > 0 ? wcap : 1) * sizeof(double));
    if (!*iv) {
        fprintf(stderr, "causa: out of memory\n");
        return CLI_FAIL;
    }
    double *weights = (double *)(void *)((char *)*iv + head);
    int64_t nweights = 0;
    int rc = CAUSA_OK;
    if (dos) rc = causa_scm_parse_interventions(ctx, scm, dos, CAUSA_DO_SET, *iv, cap, n);
    if (!rc && shifts) rc = causa_scm_parse_interventions(ctx, scm, shifts, CAUSA_DO_SHIFT, *iv, cap, n);
    if (!rc && dists)
        rc = causa_scm_parse_dist_interventions(ctx, scm, dists, *iv, cap, n, weights, wcap,
                                                &nweights);
    q->interventions = *iv;
    return rc ? cli_fail(ctx, rc) : CLI_OK;
}

/* Writes a data set as .npy (by extension) or CSV ("-" or no -o: CSV on stdout). */
static int write_data(causa_ctx *ctx, const causa_dataset *ds, const char *path) {
    if (!path) path = "-";
    const char *ext = cli_extension(path);
    int rc = strcmp(ext, "npy") == 0 ? causa_npy_write(ctx, ds, path) : causa_csv_write(ctx, ds, path);
    return rc ? cli_fail(ctx, rc) : CLI_OK;
}

/* The --do-dist syntax, printed by each verb's --help. */
static const char dist_help[] =
    "--do-dist X=DIST,... draws X from DIST, independently of its parents (commas inside\n"
    "the parentheses belong to DIST). DIST is one of\n"
    "  normal(MEAN,SD)  uniform(LOW,HIGH)  laplace(LOC,SCALE)  student-t(DF)\n"
    "  student-t(DF,LOC,SCALE)  for a continuous node, and for a discrete node\n"
    "  categorical(LEVEL=W,...) (weights by level name, unlisted levels 0) or\n"
    "  categorical(W1,...,WK) (one weight per level, in level order).\n"
    "Example: --do-dist \"X=normal(3,2),S=categorical(no=0.2,yes=0.8)\" (quote it for the\n"
    "shell). A node takes one intervention: --do, --shift or --do-dist.\n";

static void json_string(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

/* ---- sample ---- */

int cmd_sample(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("sample");
    uint64_t n = 0;
    int have_n = 0;
    const char *dos = NULL, *shifts = NULL, *dists = NULL;
    const char *nstr = NULL;
    const cli_opt opts[] = {
        {"rows", 'n', OPT_STRING, &nstr, "N", "number of rows to draw (required)"},
        {"do", 0, OPT_STRING, &dos, "X=V,...", "hard interventions do(X = V); discrete nodes take a level name"},
        {"shift", 0, OPT_STRING, &shifts, "X=D,...", "shift interventions X := X + D (continuous nodes)"},
        {"do-dist", 0, OPT_STRING, &dists, "X=DIST,...",
         "stochastic interventions: X drawn from DIST, e.g. normal(3,2) (see below)"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = cli_parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) {
        printf("\nWrites one column per node (CSV: discrete nodes as level names; .npy: codes).\n"
               "The same --seed gives the same rows for any --threads.\n\n%s", dist_help);
        return CLI_OK;
    }
    if (rc) return rc;
    if (npos != 1)
        return cli_usage_error(verb->name, "expected one MODEL (a model file or a .bif network)");
    if (nstr) {
        char *end;
        unsigned long long x = strtoull(nstr, &end, 10);
        if (!*nstr || *end || *nstr == '-' || x > (1ull << 40))
            return cli_usage_error(verb->name, "-n expects a number of rows, got '%s'", nstr);
        n = x;
        have_n = 1;
    }
    if (!have_n) return cli_usage_error(verb->name, "-n N is required (the number of rows)");
    causa_ctx *ctx = cli_ctx(&common);
    causa_scm *scm = NULL;
    causa_dataset *ds = NULL;
    causa_intervention *iv = NULL;
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    int exit_code = read_model(ctx, pos[0], &scm);
    if (exit_code) goto done;
    exit_code = parse_interventions(ctx, scm, dos, shifts, dists, common.seed, &iv, &q);
    if (exit_code) goto done;
    if ((rc = causa_scm_sample(ctx, scm, (int64_t)n, &q, &ds))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    cli_progress_end();
    exit_code = write_data(ctx, ds, common.output);
    if (exit_code) goto done;
    if (common.json) {
        printf("{\"rows\": %llu, \"nodes\": %lld, \"interventions\": %lld, \"seed\": %llu, \"output\": ",
               (unsigned long long)n, (long long)causa_scm_nnodes(scm), (long long)q.ninterventions,
               (unsigned long long)common.seed);
        json_string(stdout, common.output ? common.output : "-");
        printf("}\n");
    } else if (!common.quiet && common.output && strcmp(common.output, "-") != 0) {
        fprintf(stderr, "wrote %s: %llu rows x %lld nodes%s\n", common.output, (unsigned long long)n,
                (long long)causa_scm_nnodes(scm), q.ninterventions ? " (interventional)" : "");
    }
done:
    free(iv);
    causa_dataset_free(ds);
    causa_scm_free(scm);
    causa_ctx_free(ctx);
    return exit_code;
}

/* ---- counterfactual ---- */

int cmd_counterfactual(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("counterfactual");
    const char *dos = NULL, *shifts = NULL, *dists = NULL, *observed = NULL;
    const cli_opt opts[] = {
        {"observed", 0, OPT_STRING, &observed, "FILE", "the observed rows (CSV with a header, or .npy)"},
        {"do", 0, OPT_STRING, &dos, "X=V,...", "hard interventions do(X = V); discrete nodes take a level name"},
        {"shift", 0, OPT_STRING, &shifts, "X=D,...", "shift interventions X := X + D"},
        {"do-dist", 0, OPT_STRING, &dists, "X=DIST,...",
         "stochastic interventions: X drawn afresh for every row from DIST (see below)"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = cli_parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) {
        printf("\nFor each observed row: abduct its noise, apply the interventions, recompute the\n"
               "nodes downstream. Columns are matched by name; discrete ones by level name.\n"
               "Discrete nodes draw their noise from its posterior (keyed on --seed).\n"
               "Under --do-dist every row gets a fresh draw of X (keyed on --seed), independent\n"
               "of the row's own noise; the nodes downstream keep their abducted noise.\n\n%s",
               dist_help);
        return CLI_OK;
    }
    if (rc) return rc;
    if (npos != 1)
        return cli_usage_error(verb->name, "expected one MODEL (a model file or a .bif network)");
    if (!observed) return cli_usage_error(verb->name, "--observed FILE is required");
    if (!dos && !shifts && !dists)
        return cli_usage_error(verb->name, "give the intervention: --do X=V, --shift X=D and/or "
                                           "--do-dist X=DIST");
    causa_ctx *ctx = cli_ctx(&common);
    causa_scm *scm = NULL;
    causa_dataset *obs = NULL, *cf = NULL;
    causa_intervention *iv = NULL;
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    int exit_code = read_model(ctx, pos[0], &scm);
    if (exit_code) goto done;
    exit_code = parse_interventions(ctx, scm, dos, shifts, dists, common.seed, &iv, &q);
    if (exit_code) goto done;
    if (strcmp(cli_extension(observed), "npy") == 0) {
        rc = causa_npy_read(ctx, observed, &obs);
    } else {
        causa_csv_options csv;
        causa_csv_options_init(&csv);
        rc = causa_csv_read(ctx, observed, &csv, &obs);
    }
    if (rc) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    if ((rc = causa_scm_counterfactual(ctx, scm, obs, &q, &cf))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    exit_code = write_data(ctx, cf, common.output);
    if (!exit_code && !common.quiet && common.output && strcmp(common.output, "-") != 0)
        fprintf(stderr, "wrote %s: %lld counterfactual rows\n", common.output,
                (long long)causa_dataset_nrow(cf));
done:
    free(iv);
    causa_dataset_free(obs);
    causa_dataset_free(cf);
    causa_scm_free(scm);
    causa_ctx_free(ctx);
    return exit_code;
}

/* ---- ace ---- */

/* A treatment value: a number for a continuous node; a level name or code for a discrete one. */
static int treatment_value(causa_ctx *ctx, const causa_scm *scm, int64_t t, const char *text,
                           double *out) {
    (void)ctx;
    if (causa_scm_type(scm, t) == CAUSA_DISCRETE) {
        int64_t k = causa_scm_find_level(scm, t, text);
        if (k < 0) {
            char *end;
            long long c = strtoll(text, &end, 10);
            if (*text && !*end && c >= 0 && c < causa_scm_nlevels(scm, t)) k = c;
        }
        if (k < 0) {
            fprintf(stderr, "causa: variable '%s' has no level '%s' (levels:", causa_scm_name(scm, t), text);
            for (int64_t l = 0; l < causa_scm_nlevels(scm, t); l++)
                fprintf(stderr, "%s %s", l ? "," : "", causa_scm_level(scm, t, l));
            fprintf(stderr, ")\n");
            return CLI_USAGE;
        }
        *out = (double)k;
        return CLI_OK;
    }
    char *end;
    double x = strtod(text, &end);
    if (!*text || *end || !isfinite(x)) {
        fprintf(stderr, "causa: the value of '%s' must be a finite number, got '%s'\n",
                causa_scm_name(scm, t), text);
        return CLI_USAGE;
    }
    *out = x;
    return CLI_OK;
}

static int64_t find_node(const causa_scm *scm, const char *name, const char *what) {
    int64_t v = causa_scm_find(scm, name);
    if (v < 0) fprintf(stderr, "causa: unknown variable '%s' (--%s)\n", name, what);
    return v;
}

int cmd_ace(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("ace");
    const char *treat = NULL, *outcome = NULL, *from = NULL, *to = NULL, *level = NULL;
    const char *dos = NULL, *shifts = NULL, *dists = NULL, *nstr = NULL;
    const cli_opt opts[] = {
        {"treatment", 0, OPT_STRING, &treat, "T", "the treatment node (required)"},
        {"outcome", 0, OPT_STRING, &outcome, "Y", "the outcome node (required)"},
        {"from", 0, OPT_STRING, &from, "A", "the reference value of T (a level name for a discrete T)"},
        {"to", 0, OPT_STRING, &to, "B", "the treated value of T: ACE = E[Y|do(T=B)] - E[Y|do(T=A)]"},
        {"rows", 'n', OPT_STRING, &nstr, "N", "Monte-Carlo rows per arm (default 100000)"},
        {"level", 0, OPT_STRING, &level, "L", "discrete Y: the effect on P(Y = L) (default: on the codes)"},
        {"do", 0, OPT_STRING, &dos, "X=V,...", "other hard interventions held in both arms"},
        {"shift", 0, OPT_STRING, &shifts, "X=D,...", "shift interventions held in both arms"},
        {"do-dist", 0, OPT_STRING, &dists, "X=DIST,...",
         "stochastic interventions held in both arms (see below)"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = cli_parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) {
        printf("\nBoth arms share the seed and so every noise draw (common random numbers), the\n"
               "draws of --do-dist included; the standard error is that of the mean paired\n"
               "difference.\n\n%s", dist_help);
        return CLI_OK;
    }
    if (rc) return rc;
    if (npos != 1)
        return cli_usage_error(verb->name, "expected one MODEL (a model file or a .bif network)");
    if (!treat || !outcome) return cli_usage_error(verb->name, "--treatment T and --outcome Y are required");
    if (!from || !to) return cli_usage_error(verb->name, "--from A and --to B are required (the two values of T)");
    int64_t n = 100000;
    if (nstr) {
        char *end;
        long long x = strtoll(nstr, &end, 10);
        if (!*nstr || *end || x < 2 || x > (1ll << 40))
            return cli_usage_error(verb->name, "-n expects a number of rows >= 2, got '%s'", nstr);
        n = x;
    }
    causa_ctx *ctx = cli_ctx(&common);
    causa_scm *scm = NULL;
    causa_intervention *iv = NULL;
    int exit_code = read_model(ctx, pos[0], &scm);
    if (exit_code) goto done;
    int64_t t = find_node(scm, treat, "treatment"), y = t >= 0 ? find_node(scm, outcome, "outcome") : -1;
    if (t < 0 || y < 0) {
        exit_code = CLI_USAGE;
        goto done;
    }
    double a = 0, b = 0;
    if ((exit_code = treatment_value(ctx, scm, t, to, &a)) ||
        (exit_code = treatment_value(ctx, scm, t, from, &b)))
        goto done;
    causa_ace_options o;
    causa_ace_options_init(&o);
    o.n = n;
    if (level) {
        if (causa_scm_type(scm, y) != CAUSA_DISCRETE) {
            exit_code = cli_usage_error(verb->name, "--level needs a discrete outcome; '%s' is continuous", outcome);
            goto done;
        }
        double lv;
        if ((exit_code = treatment_value(ctx, scm, y, level, &lv))) goto done;
        o.outcome_level = (int64_t)lv;
    }
    exit_code = parse_interventions(ctx, scm, dos, shifts, dists, common.seed, &iv, &o.base);
    if (exit_code) goto done;
    causa_ace_result res;
    if ((rc = causa_scm_ace(ctx, scm, t, a, b, y, &o, &res))) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    cli_progress_end();
    if (common.json) {
        printf("{\"treatment\": ");
        json_string(stdout, treat);
        printf(", \"outcome\": ");
        json_string(stdout, outcome);
        printf(", \"from\": ");
        json_string(stdout, from);
        printf(", \"to\": ");
        json_string(stdout, to);
        if (level) {
            printf(", \"level\": ");
            json_string(stdout, level);
        }
        printf(", \"n\": %lld, \"ace\": %.17g, \"se\": %.17g, \"mean_to\": %.17g, \"mean_from\": %.17g, "
               "\"se_to\": %.17g, \"se_from\": %.17g}\n",
               (long long)res.n, res.ace, res.se, res.mean_a, res.mean_b, res.se_a, res.se_b);
    } else {
        char ylab[256];
        if (level) snprintf(ylab, sizeof ylab, "P(%s = %s", outcome, level);
        else snprintf(ylab, sizeof ylab, "E[%s", outcome);
        const char *close = level ? ")" : "]";
        printf("ACE of %s on %s: %s | do(%s = %s)%s - %s | do(%s = %s)%s = %.6g\n", treat, outcome, ylab,
               treat, to, close, ylab, treat, from, close, res.ace);
        printf("Monte-Carlo standard error: %.3g (n = %lld rows per arm, common random numbers)\n",
               res.se, (long long)res.n);
        printf("%s | do(%s = %s)%s = %.6g (se %.3g)\n", ylab, treat, to, close, res.mean_a, res.se_a);
        printf("%s | do(%s = %s)%s = %.6g (se %.3g)\n", ylab, treat, from, close, res.mean_b, res.se_b);
    }
done:
    free(iv);
    causa_scm_free(scm);
    causa_ctx_free(ctx);
    return exit_code;
}
