/*
 * cmd_data.c: `causa data info FILE`: reads a data set (.npy by extension, CSV otherwise)
 * and describes it: rows, columns, rows dropped for missing values, and per column its
 * type, number of levels, min, max, mean, sd and missing count; as a text table or, with
 * --json, as one JSON object.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

/* Level names listed per discrete column in the text output. */
#define MAX_LEVELS_SHOWN 20

typedef struct data_opts {
    int no_header;
    const char *delimiter, *data_type, *missing, *marker;
    int max_levels;
} data_opts;

/* ---- options ---- */

static int parse_delimiter(const char *verb, const char *s, char *out) {
    static const struct {
        const char *name;
        char c;
    } names[] = {{"comma", ','},     {"tab", '\t'},  {"\\t", '\t'},
                 {"semicolon", ';'}, {"space", ' '}, {"whitespace", ' '}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].c;
            return CLI_OK;
        }
    if (strlen(s) == 1 && s[0] != '\n' && s[0] != '\r') {
        *out = s[0];
        return CLI_OK;
    }
    return cli_usage_error(verb,
                           "--delimiter expects one character or comma, tab, semicolon, space, "
                           "whitespace; got '%s'",
                           s);
}

/* Fills CSV options from the command line; CLI_USAGE (message printed) when one is bad. */
static int csv_options(const char *verb, const data_opts *o, causa_csv_options *csv) {
    causa_csv_options_init(csv);
    csv->header = !o->no_header;
    if (o->delimiter && parse_delimiter(verb, o->delimiter, &csv->delimiter)) return CLI_USAGE;
    if (o->data_type) {
        if (strcmp(o->data_type, "mixed") == 0)
            csv->data_type = CAUSA_DATA_MIXED;
        else if (strcmp(o->data_type, "continuous") == 0)
            csv->data_type = CAUSA_DATA_CONTINUOUS;
        else if (strcmp(o->data_type, "discrete") == 0)
            csv->data_type = CAUSA_DATA_DISCRETE;
        else
            return cli_usage_error(
                verb, "--data-type expects continuous, discrete or mixed; got '%s'", o->data_type);
    }
    if (o->missing) {
        if (strcmp(o->missing, "error") == 0)
            csv->missing = CAUSA_MISSING_ERROR;
        else if (strcmp(o->missing, "drop") == 0)
            csv->missing = CAUSA_MISSING_DROP;
        else
            return cli_usage_error(verb, "--missing expects error or drop; got '%s'", o->missing);
    }
    if (o->max_levels < 0)
        return cli_usage_error(verb, "--max-levels must be >= 0, got %d", o->max_levels);
    csv->max_levels = o->max_levels;
    csv->missing_marker = o->marker;
    return CLI_OK;
}

/* ---- text output ---- */

static void fmt_num(char *buf, size_t size, double x) {
    if (isnan(x))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.6g", x == 0 ? 0.0 : x); /* no "-0" */
}

/* A level name as is, or in double quotes (with \" \\ \n \r \t escapes) when it holds a
 * comma, a quote, a backslash, a control character, or starts or ends with a space, so a
 * list of levels reads unambiguously. */
static void put_level(FILE *f, const char *s) {
    size_t n = strlen(s);
    int quote = n == 0 || s[0] == ' ' || s[n - 1] == ' ';
    for (const char *c = s; *c && !quote; c++)
        quote = *c == ',' || *c == '"' || *c == '\\' || (unsigned char)*c < 0x20;
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *c = s; *c; c++) {
        switch (*c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if ((unsigned char)*c < 0x20)
                fprintf(f, "\\x%02x", (unsigned char)*c);
            else
                fputc(*c, f);
        }
    }
    fputc('"', f);
}

enum { NCOLS = 8 };

static void text_report(FILE *f, const char *path, const causa_dataset *ds,
                        const causa_column_summary *sum) {
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    fprintf(f, "file: %s\nrows: %lld\ncolumns: %lld\n", path, (long long)n, (long long)p);
    if (causa_dataset_dropped_rows(ds) > 0)
        fprintf(f, "dropped rows: %lld\n", (long long)causa_dataset_dropped_rows(ds));
    static const char *const head[NCOLS] = {"column", "type", "levels", "min",
                                            "max",    "mean", "sd",     "missing"};
    /* Cells are formatted once to size the columns, then again to print. */
    int width[NCOLS];
    for (int c = 0; c < NCOLS; c++) width[c] = (int)strlen(head[c]);
    char cell[NCOLS][64];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            fputc('\n', f);
            for (int c = 0; c < NCOLS; c++)
                fprintf(f, c < 2 ? "%-*s%s" : "%*s%s", width[c], head[c],
                        c + 1 < NCOLS ? "  " : "\n");
        }
        for (int64_t j = 0; j < p; j++) {
            const causa_column_summary *s = &sum[j];
            int disc = s->type == CAUSA_DISCRETE;
            snprintf(cell[1], 64, "%s", disc ? "discrete" : "continuous");
            if (disc)
                snprintf(cell[2], 64, "%lld", (long long)s->nlevels);
            else
                snprintf(cell[2], 64, "-");
            /* Codes of a discrete column have no meaningful mean: its levels are listed. */
            fmt_num(cell[3], 64, disc ? (double)NAN : s->min);
            fmt_num(cell[4], 64, disc ? (double)NAN : s->max);
            fmt_num(cell[5], 64, disc ? (double)NAN : s->mean);
            fmt_num(cell[6], 64, disc ? (double)NAN : s->sd);
            snprintf(cell[7], 64, "%lld", (long long)s->missing);
            const char *name = causa_dataset_name(ds, j);
            if (pass == 0) {
                int w = (int)strlen(name);
                if (w > width[0]) width[0] = w;
                for (int c = 1; c < NCOLS; c++)
                    if ((int)strlen(cell[c]) > width[c]) width[c] = (int)strlen(cell[c]);
            } else {
                fprintf(f, "%-*s  ", width[0], name);
                for (int c = 1; c < NCOLS; c++)
                    fprintf(f, c < 2 ? "%-*s%s" : "%*s%s", width[c], cell[c],
                            c + 1 < NCOLS ? "  " : "\n");
            }
        }
    }
    int any = 0;
    for (int64_t j = 0; j < p; j++) {
        if (sum[j].type != CAUSA_DISCRETE) continue;
        if (!any) fprintf(f, "\nlevels:\n");
        any = 1;
        fprintf(f, "  %s:", causa_dataset_name(ds, j));
        int64_t k = sum[j].nlevels, shown = k < MAX_LEVELS_SHOWN ? k : MAX_LEVELS_SHOWN;
        for (int64_t l = 0; l < shown; l++) {
            fputs(l ? ", " : " ", f);
            put_level(f, causa_dataset_level(ds, j, l));
        }
        if (shown < k) fprintf(f, ", ... (%lld more)", (long long)(k - shown));
        fputc('\n', f);
    }
}

/* ---- JSON output ---- */

static json_t *json_num(double x) {
    return isfinite(x) ? json_real(x == 0 ? 0.0 : x) : json_null();
}

static char *json_report(const char *path, const causa_dataset *ds,
                         const causa_column_summary *sum) {
    int64_t p = causa_dataset_ncol(ds);
    json_t *root = json_object(), *vars = json_array();
    if (!root || !vars) {
        json_decref(root);
        json_decref(vars);
        return NULL;
    }
    json_object_set_new(root, "file", json_string(path));
    json_object_set_new(root, "rows", json_integer(causa_dataset_nrow(ds)));
    json_object_set_new(root, "columns", json_integer(p));
    json_object_set_new(root, "dropped_rows", json_integer(causa_dataset_dropped_rows(ds)));
    for (int64_t j = 0; j < p; j++) {
        const causa_column_summary *s = &sum[j];
        json_t *v = json_object();
        json_object_set_new(v, "name", json_string(causa_dataset_name(ds, j)));
        json_object_set_new(v, "type",
                            json_string(s->type == CAUSA_DISCRETE ? "discrete" : "continuous"));
        if (s->type == CAUSA_DISCRETE) {
            json_t *lv = json_array();
            for (int64_t l = 0; l < s->nlevels; l++)
                json_array_append_new(lv, json_string(causa_dataset_level(ds, j, l)));
            json_object_set_new(v, "levels", lv);
        }
        json_object_set_new(v, "nlevels", json_integer(s->nlevels));
        json_object_set_new(v, "min", json_num(s->min));
        json_object_set_new(v, "max", json_num(s->max));
        json_object_set_new(v, "mean", json_num(s->mean));
        json_object_set_new(v, "sd", json_num(s->sd));
        json_object_set_new(v, "missing", json_integer(s->missing));
        json_array_append_new(vars, v);
    }
    json_object_set_new(root, "variables", vars);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(root);
    return text;
}

/* ---- the verb ---- */

int cmd_data_info(int argc, char **argv) {
    const cli_verb *verb = cli_find_verb("data info");
    data_opts o = {0};
    const cli_opt opts[] = {
        {"no-header", 0, OPT_FLAG, &o.no_header, NULL,
         "the first line is data (columns are named X1..Xp)"},
        {"delimiter", 0, OPT_STRING, &o.delimiter, "C",
         "a character, or comma, tab, semicolon, whitespace (default: detected)"},
        {"data-type", 0, OPT_STRING, &o.data_type, "TYPE",
         "continuous, discrete or mixed (default; columns with text are discrete)"},
        {"max-levels", 0, OPT_INT, &o.max_levels, "N",
         "mixed: integer columns with at most N distinct values are discrete"},
        {"missing", 0, OPT_STRING, &o.missing, "HOW",
         "rows with missing values (empty, NA, NaN, ?): error (default) or drop"},
        {"missing-marker", 0, OPT_STRING, &o.marker, "TOK",
         "one more token that means a missing value"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    cli_common common;
    const char *pos[1];
    int npos = 0;
    int rc = cli_parse(verb, argc, argv, opts, &common, pos, 1, &npos);
    if (rc == -1) return CLI_OK; /* --help */
    if (rc) return rc;
    if (npos != 1)
        return cli_usage_error(verb->name, "expected one FILE (usage: causa %s [options] %s)",
                               verb->name, verb->args);
    causa_csv_options csv;
    if (csv_options(verb->name, &o, &csv)) return CLI_USAGE;

    const char *path = pos[0];
    causa_ctx *ctx = cli_ctx(&common);
    causa_dataset *ds = NULL;
    causa_column_summary *sum = NULL;
    char *text = NULL;
    size_t len = 0;
    int exit_code = CLI_OK;
    if (strcmp(cli_extension(path), "npy") == 0)
        rc = causa_npy_read(ctx, path, &ds);
    else
        rc = causa_csv_read(ctx, path, &csv, &ds);
    cli_progress_end();
    if (rc) {
        exit_code = cli_fail(ctx, rc);
        goto done;
    }
    int64_t p = causa_dataset_ncol(ds);
    sum = calloc((size_t)(p ? p : 1), sizeof *sum);
    if (!sum) {
        fprintf(stderr, "causa: out of memory\n");
        exit_code = CLI_FAIL;
        goto done;
    }
    for (int64_t j = 0; j < p; j++)
        if ((rc = causa_dataset_summary(ctx, ds, j, &sum[j]))) {
            exit_code = cli_fail(ctx, rc);
            goto done;
        }
    if (common.json) {
        char *js = json_report(path, ds, sum);
        if (js) {
            len = strlen(js);
            text = malloc(len + 2);
            if (text) {
                memcpy(text, js, len);
                text[len++] = '\n';
                text[len] = '\0';
            }
            free(js);
        }
    } else {
        FILE *f = open_memstream(&text, &len);
        if (f) {
            text_report(f, path, ds, sum);
            if (fclose(f) != 0) {
                free(text);
                text = NULL;
            }
        }
    }
    if (!text) {
        fprintf(stderr, "causa: out of memory formatting the report\n");
        exit_code = CLI_FAIL;
        goto done;
    }
    if ((rc = cli_write_text(ctx, common.output, text, len))) exit_code = cli_fail(ctx, rc);
done:
    free(text);
    free(sum);
    causa_dataset_free(ds);
    causa_ctx_free(ctx);
    return exit_code;
}
