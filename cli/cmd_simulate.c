/*
 * cmd_simulate.c: `causa simulate ... -o DIR`: random SCMs and their data, or (--var)
 * vector-autoregressive time series, one folder per data set:
 *
 *   causa simulate --nodes P --degree D --graph er|scale-free|layered
 *                  --mechanism linear|poly|mlp|mixed --noise gaussian|laplace|uniform|mixed
 *                  --discrete-fraction F -n N --datasets K --seed S -o DIR
 *       DIR/dataset_0001/{data.csv (or .npy), graph.json (or .txt, .dot), model.json}
 *   causa simulate --var --lags L [--lag-degree D] -n T --nodes P ... -o DIR
 *       DIR/dataset_0001/{data.csv, graph.json (full time graph), summary.csv, coefs.csv}
 *
 * Data sets are made in parallel (--threads); the same --seed gives the same files byte
 * for byte for any thread count.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

static int pick(const char *verb, const char *opt, const char *value, int (*from_name)(const char *),
                const char *choices, int *out) {
    int v = from_name(value);
    if (v < 0) return cli_usage_error(verb, "--%s expects one of %s; got '%s'", opt, choices, value);
    *out = v;
    return CLI_OK;
}

static int graph_format_from(const char *name) {
    if (strcmp(name, "json") == 0) return CAUSA_FORMAT_JSON;
    if (strcmp(name, "txt") == 0 || strcmp(name, "tetrad") == 0) return CAUSA_FORMAT_TETRAD;
    if (strcmp(name, "dot") == 0) return CAUSA_FORMAT_DOT;
    if (strcmp(name, "bnlearn") == 0 || strcmp(name, "bn") == 0) return CAUSA_FORMAT_BNLEARN;
    if (strcmp(name, "dagitty") == 0) return CAUSA_FORMAT_DAGITTY;
    return -1;
}

int cmd_simulate(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("simulate");
    const char *graph = "er", *mechanism = "linear", *noise = "gaussian", *format = "csv", *gformat = "json";
    int nodes = -1, layers = 0, max_levels = 3, n = 1000, datasets = 1, raw = 0, var = 0, lags = 1,
        burn_in = 200, hidden = 8;
    double degree = -1, fraction = 0, lag_degree = 1, radius = 0.9;
    double wlo = -1, whi = -1, nlo = 0.5, nhi = 1.0;
    const cli_opt opts[] = {
        {"nodes", 'p', OPT_INT, &nodes, "P", "variables per data set (default 20; --var: 5)"},
        {"degree", 'd', OPT_DOUBLE, &degree, "D", "expected degree of the DAG (default 2; --var: 1)"},
        {"graph", 0, OPT_STRING, &graph, "KIND", "er (default), scale-free or layered"},
        {"layers", 0, OPT_INT, &layers, "L", "layered: number of layers (default round(sqrt(P)))"},
        {"mechanism", 'm', OPT_STRING, &mechanism, "KIND", "linear (default), poly, mlp or mixed"},
        {"noise", 0, OPT_STRING, &noise, "KIND", "gaussian (default), laplace, uniform or mixed"},
        {"discrete-fraction", 0, OPT_DOUBLE, &fraction, "F", "share of discrete nodes in [0, 1] (default 0)"},
        {"max-levels", 0, OPT_INT, &max_levels, "K", "discrete nodes get 2..K levels (default 3)"},
        {"rows", 'n', OPT_INT, &n, "N", "rows per data set (default 1000; --var: time steps)"},
        {"datasets", 'k', OPT_INT, &datasets, "K", "data sets (default 1)"},
        {"format", 0, OPT_STRING, &format, "FMT", "data files: csv (default) or npy"},
        {"graph-format", 0, OPT_STRING, &gformat, "FMT", "graph files: json (default), txt, dot, bnlearn, dagitty"},
        {"weight-low", 0, OPT_DOUBLE, &wlo, "X", "smallest |weight| (default 0.5; --var: 0.2)"},
        {"weight-high", 0, OPT_DOUBLE, &whi, "X", "largest |weight| (default 2; --var: 0.8)"},
        {"noise-low", 0, OPT_DOUBLE, &nlo, "X", "smallest noise sd (default 0.5)"},
        {"noise-high", 0, OPT_DOUBLE, &nhi, "X", "largest noise sd (default 1)"},
        {"mlp-hidden", 0, OPT_INT, &hidden, "H", "hidden units of mlp mechanisms (default 8)"},
        {"raw", 0, OPT_FLAG, &raw, NULL, "keep raw weights (default: standardise every variable)"},
        {"var", 0, OPT_FLAG, &var, NULL, "vector-autoregressive time series instead of SCM data"},
        {"lags", 0, OPT_INT, &lags, "L", "--var: number of lags (default 1)"},
        {"lag-degree", 0, OPT_DOUBLE, &lag_degree, "D", "--var: lagged parents per variable and lag (default 1)"},
        {"burn-in", 0, OPT_INT, &burn_in, "B", "--var: steps dropped at the start (default 200)"},
        {"max-radius", 0, OPT_DOUBLE, &radius, "R", "--var: largest spectral radius, in (0, 1) (default 0.9)"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = cli_parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) {
        printf("\nEach data set k draws everything from streams of (--seed, k): the same seed gives the\n"
               "same files byte for byte on any machine and for any --threads. Variables are\n"
               "standardised as they are generated (mean 0, sd 1; --raw keeps raw weights). Discrete\n"
               "nodes get random probability tables (all parents discrete) or multinomial logistic\n"
               "mechanisms. --var: X_t = B0 X_t + sum_l B_l X_{t-l} + e_t, B0 acyclic, the lag\n"
               "matrices scaled so that the process is stable (spectral radius <= --max-radius).\n");
        return CLI_OK;
    }
    if (rc) return rc;
    if (npos != 0) return cli_usage_error(verb->name, "unexpected argument '%s' (the output is -o DIR)", pos[0]);
    if (!common.output || strcmp(common.output, "-") == 0)
        return cli_usage_error(verb->name, "-o DIR is required (the folder to write the data sets into)");
    int data_format = 0;
    if (strcmp(format, "csv") == 0) data_format = 0;
    else if (strcmp(format, "npy") == 0) data_format = 1;
    else return cli_usage_error(verb->name, "--format expects csv or npy; got '%s'", format);
    if (n < 1) return cli_usage_error(verb->name, "-n must be >= 1, got %d", n);
    if (datasets < 1) return cli_usage_error(verb->name, "--datasets must be >= 1, got %d", datasets);
    int noise_kind = CAUSA_SIM_NOISE_GAUSSIAN;
    if ((rc = pick(verb->name, "noise", noise, causa_sim_noise_from_name, "gaussian, laplace, uniform, mixed",
                   &noise_kind)))
        return rc;

    causa_ctx *ctx = cli_ctx(&common);
    int exit_code = CLI_OK;
    if (var) {
        causa_var_options o;
        causa_var_options_init(&o);
        if (nodes >= 0) o.nodes = nodes;
        if (degree >= 0) o.degree = degree;
        if (wlo >= 0) o.weight_low = wlo;
        if (whi >= 0) o.weight_high = whi;
        o.noise_low = nlo;
        o.noise_high = nhi;
        o.lags = lags;
        o.lag_degree = lag_degree;
        o.burn_in = burn_in;
        o.max_radius = radius;
        o.noise = noise_kind;
        o.n = n;
        o.datasets = datasets;
        o.seed = common.seed;
        o.data_format = data_format;
        rc = causa_var_write(ctx, &o, common.output);
        cli_progress_end();
        if (rc) {
            exit_code = cli_fail(ctx, rc);
            goto done;
        }
        if (common.json)
            printf("{\"kind\": \"var\", \"datasets\": %d, \"nodes\": %lld, \"lags\": %d, \"steps\": %d, \"seed\": %llu}\n",
                   datasets, (long long)o.nodes, lags, n, (unsigned long long)common.seed);
        else if (!common.quiet)
            fprintf(stderr, "wrote %d VAR series of %d steps x %lld variables (%d lag%s) to %s/dataset_*\n", datasets, n,
                    (long long)o.nodes, lags, lags == 1 ? "" : "s", common.output);
        goto done;
    }
    causa_sim_options o;
    causa_sim_options_init(&o);
    if ((exit_code = pick(verb->name, "graph", graph, causa_sim_graph_from_name, "er, scale-free, layered", &o.graph)) ||
        (exit_code = pick(verb->name, "mechanism", mechanism, causa_sim_mechanism_from_name, "linear, poly, mlp, mixed",
                          &o.mechanism)))
        goto done;
    if ((o.graph_format = graph_format_from(gformat)) < 0) {
        exit_code = cli_usage_error(verb->name, "--graph-format expects json, txt, dot, bnlearn or dagitty; got '%s'",
                                    gformat);
        goto done;
    }
    if (nodes >= 0) o.nodes = nodes;
    if (degree >= 0) o.degree = degree;
    if (wlo >= 0) o.weight_low = wlo;
    if (whi >= 0) o.weight_high = whi;
    o.noise_low = nlo;
    o.noise_high = nhi;
    o.layers = layers;
    o.noise = noise_kind;
    o.discrete_fraction = fraction;
    o.max_levels = max_levels;
    o.n = n;
    o.datasets = datasets;
    o.seed = common.seed;
    o.mlp_hidden = hidden;
    o.standardize = !raw;
    o.data_format = data_format;
    rc = causa_simulate_write(ctx, &o, common.output);
    cli_progress_end();
    if (rc) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    if (common.json)
        printf("{\"kind\": \"scm\", \"datasets\": %d, \"nodes\": %lld, \"rows\": %d, \"seed\": %llu}\n", datasets,
               (long long)o.nodes, n, (unsigned long long)common.seed);
    else if (!common.quiet)
        fprintf(stderr, "wrote %d data set%s of %d rows x %lld variables (%s graph, %s mechanisms) to %s/dataset_*\n",
                datasets, datasets == 1 ? "" : "s", n, (long long)o.nodes, causa_sim_graph_name(o.graph),
                causa_sim_mechanism_name(o.mechanism), common.output);
done:
    causa_ctx_free(ctx);
    return exit_code;
}
