/*
 * cli.h: what the verbs of the causa command share: option parsing with the common
 * options, error reporting and exit codes, the progress bar, atomic output.
 * The CLI uses nothing but causa.h (and jansson for --json output).
 */
#ifndef CAUSA_CLI_H
#define CAUSA_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "causa.h"

/* Exit codes: 0 success; 1 a failure of the run (memory, a bug, no convergence); 2 bad
 * usage or bad input (unknown option, malformed file, unsuitable data). */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Kinds of option value. */
enum { OPT_FLAG, OPT_STRING, OPT_INT, OPT_DOUBLE, OPT_U64 };

typedef struct cli_opt {
    const char *name;    /* long name without "--" */
    char short_name;     /* 0 if none */
    int kind;
    void *dest;          /* int* for FLAG and INT, const char** for STRING, double*, uint64_t* */
    const char *metavar; /* e.g. "FILE"; NULL for flags */
    const char *help;
} cli_opt;

/* Options every verb takes. */
typedef struct cli_common {
    int threads;       /* 0 = all cores */
    uint64_t seed;
    const char *output; /* -o FILE, format from the extension */
    int quiet;
    int json;
    int help;
} cli_common;

typedef struct cli_verb {
    const char *name;    /* "data info" */
    const char *args;    /* "FILE" */
    const char *summary; /* one line */
    int (*run)(int argc, char **argv);
} cli_verb;

/* The verb table (main.c). */
extern const cli_verb cli_verbs[];
extern const size_t cli_nverbs;

/* Parses argv (argv[0] is the verb name) against opts plus the common options. Positional
 * arguments are collected in pos (at most maxpos). Prints a usage error suggesting the
 * closest valid option and returns CLI_USAGE on a bad option; returns -1 after printing
 * help for --help; CLI_OK otherwise. `verb` names the verb for messages and help. */
int cli_parse(const cli_verb *verb, int argc, char **argv, const cli_opt *opts, cli_common *common,
              const char **pos, int maxpos, int *npos);
/* Prints the help of a verb (usage, summary, its options and the common ones). */
void cli_print_help(const cli_verb *verb, const cli_opt *opts, FILE *f);
/* Looks up the verb entry by name (for help and parse messages). */
const cli_verb *cli_find_verb(const char *name);

/* Creates a context configured from the common options (threads, seed, progress bar). */
causa_ctx *cli_ctx(const cli_common *common);
/* Prints "causa: <message>" for a failed call and returns the exit code for rc. */
int cli_fail(causa_ctx *ctx, int rc);
/* Prints "causa <verb>: <message>" (printf style) and returns CLI_USAGE. */
int cli_usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Exit code for a status code. */
int cli_exit_code(int rc);

/* Writes text atomically to path ("-" or NULL = stdout): temporary file, then rename. */
int cli_write_text(causa_ctx *ctx, const char *path, const char *text, size_t len);
/* Lower-case extension of path without the dot ("" if none). */
const char *cli_extension(const char *path);

/* Progress bar on stderr: shown only when stderr is a terminal, not --quiet, and the work
 * has run for about a second. */
void cli_progress(void *ud, const char *what, double done, double total);
void cli_progress_end(void);

/* Levenshtein distance (for "did you mean"). */
int cli_edit_distance(const char *a, const char *b);

#endif
