/*
 * main.c: `causa <verb> [options]`: the verb table and dispatch. Each verb lives in a
 * cmd_*.c file of its own; verbs of two words ("data info") are matched on both.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

const cli_verb cli_verbs[] = {
    {"data info", "FILE", "Describe a data set: n, p and per column type, levels, min, max, mean, missing.",
     cmd_data_info},
    {"graph info", "G", "Describe a graph: kind, nodes, edges by type, acyclicity, equivalence class size.",
     cmd_graph_info},
    {"graph convert", "IN -o OUT", "Convert a graph between DOT, JSON, Tetrad, bnlearn, DAGitty, matrices, BIF.",
     cmd_graph_convert},
    {"graph dsep", "G --x A --y B", "Test d-separation (m-separation) of two node sets given a third.",
     cmd_graph_dsep},
    {"graph cpdag", "G", "The CPDAG (Markov equivalence class) of a DAG.", cmd_graph_cpdag},
    {"graph extend", "G", "A DAG in the class of a CPDAG or PDAG (Dor-Tarsi extension).", cmd_graph_extend},
    {"graph compare", "ESTIMATE TRUTH", "Compare a graph with the truth: SHD, precision, recall, F1.",
     cmd_graph_compare},
    {"graph draw", "G -o PICTURE", "Draw a graph as SVG, PNG or PDF with Graphviz.", cmd_graph_draw},
    {"discover", "DATA", "Learn a causal graph from data: PC, CPC, MPC, max-P, FCI, RFCI (--stats: pooled sites).",
     cmd_discover},
    {"stats", "DATA -o FILE", "Write a data set's summary statistics (n, means, covariance) for pooling.",
     cmd_stats},
    {"sample", "MODEL -n N", "Draw rows from a causal model (JSON or BIF), observational or under do()/shift/do-dist.",
     cmd_sample},
    {"counterfactual", "MODEL --observed FILE", "Counterfactual rows: abduct each row's noise, intervene, predict.",
     cmd_counterfactual},
    {"ace", "MODEL --treatment T --outcome Y", "Average causal effect E[Y|do(T=b)] - E[Y|do(T=a)] with its Monte-Carlo error.",
     cmd_ace},
    {"fit", "DATA --graph G", "Fit a causal model to data over a DAG: one mechanism per node, chosen by cross-validation.",
     cmd_fit},
    {"simulate", "-o DIR", "Random causal models and their data (or VAR time series), many data sets at once.",
     cmd_simulate},
};
const size_t cli_nverbs = sizeof cli_verbs / sizeof cli_verbs[0];

const cli_verb *cli_find_verb(const char *name) {
    for (size_t i = 0; i < cli_nverbs; i++)
        if (strcmp(cli_verbs[i].name, name) == 0) return &cli_verbs[i];
    return NULL;
}

static void print_help(FILE *f) {
    fprintf(f, "causa %s: causal models at C speed\n\n", causa_version());
    fprintf(f, "usage: causa <verb> [options] [arguments]\n\nverbs:\n");
    for (size_t i = 0; i < cli_nverbs; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s %s", cli_verbs[i].name, cli_verbs[i].args);
        fprintf(f, "  %-32s %s\n", left, cli_verbs[i].summary);
    }
    fprintf(f, "\nRun 'causa <verb> --help' for a verb's options. Exit status: 0 success,\n"
               "1 failure of the run, 2 bad usage or bad input.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_help(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_help(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("causa %s\n", causa_version());
        return CLI_OK;
    }
    /* Longest match first: "data info" before a one-word verb "data". */
    const cli_verb *best = NULL;
    int words = 0;
    for (size_t i = 0; i < cli_nverbs; i++) {
        const char *name = cli_verbs[i].name, *sp = strchr(name, ' ');
        if (sp) {
            size_t l1 = (size_t)(sp - name);
            if (argc >= 3 && strlen(argv[1]) == l1 && strncmp(argv[1], name, l1) == 0 &&
                strcmp(argv[2], sp + 1) == 0) {
                best = &cli_verbs[i];
                words = 2;
                break;
            }
        } else if (strcmp(argv[1], name) == 0 && !best) {
            best = &cli_verbs[i];
            words = 1;
        }
    }
    if (!best) {
        /* Suggest the closest verb (or the verbs of a group such as "data"). */
        char given[128];
        snprintf(given, sizeof given, "%s%s%s", argv[1], argc >= 3 && argv[2][0] != '-' ? " " : "",
                 argc >= 3 && argv[2][0] != '-' ? argv[2] : "");
        const char *closest = NULL;
        int bestd = 1 << 30;
        for (size_t i = 0; i < cli_nverbs; i++) {
            int d = cli_edit_distance(given, cli_verbs[i].name);
            if (d < bestd) {
                bestd = d;
                closest = cli_verbs[i].name;
            }
        }
        fprintf(stderr, "causa: unknown verb '%s'", given);
        if (closest) fprintf(stderr, "; did you mean 'causa %s'?", closest);
        fprintf(stderr, "\nrun 'causa --help' for the list of verbs\n");
        return CLI_USAGE;
    }
    /* The verb sees argv[0] = its own name, then its arguments. */
    return best->run(argc - words, argv + words);
}
