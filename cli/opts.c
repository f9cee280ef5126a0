/*
 * opts.c: option parsing for every verb. GNU-style long options (--name VALUE or
 * --name=VALUE), short options (-o FILE), "--" ends options. An unknown option is a usage
 * error that names the closest valid one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *kind_metavar(const cli_opt *o) {
    if (o->metavar) return o->metavar;
    switch (o->kind) {
    case OPT_INT: return "N";
    case OPT_DOUBLE: return "X";
    case OPT_U64: return "N";
    case OPT_STRING: return "VALUE";
    default: return NULL;
    }
}

static int common_opts(cli_common *c, cli_opt *out) {
    int n = 0;
    out[n++] = (cli_opt){"threads", 0, OPT_INT, &c->threads, "N",
                         "worker threads (default: all cores); results do not depend on it"};
    out[n++] = (cli_opt){"seed", 0, OPT_U64, &c->seed, "S", "seed of random streams (default 1)"};
    out[n++] = (cli_opt){"output", 'o', OPT_STRING, &c->output, "FILE",
                         "write the result to FILE (format from the extension)"};
    out[n++] = (cli_opt){"quiet", 'q', OPT_FLAG, &c->quiet, NULL, "no progress or notes on stderr"};
    out[n++] = (cli_opt){"json", 0, OPT_FLAG, &c->json, NULL, "machine-readable result on stdout"};
    out[n++] = (cli_opt){"help", 'h', OPT_FLAG, &c->help, NULL, "show this help"};
    return n;
}

int cli_edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 99;
    int row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int sub = prev + (a[i - 1] != b[j - 1]);
            int del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[lb];
}

int cli_usage_error(const char *verb, const char *fmt, ...) {
    fprintf(stderr, "causa%s%s: ", verb ? " " : "", verb ? verb : "");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_USAGE;
}

void cli_print_help(const cli_verb *verb, const cli_opt *opts, FILE *f) {
    cli_common dummy;
    cli_opt common[8];
    int nc = common_opts(&dummy, common);
    fprintf(f, "usage: causa %s [options]%s%s\n\n%s\n", verb->name, verb->args[0] ? " " : "",
            verb->args, verb->summary);
    for (int pass = 0; pass < 2; pass++) {
        const cli_opt *list = pass == 0 ? opts : common;
        if (pass == 0 && (!opts || !opts[0].name)) continue;
        fprintf(f, "\n%s:\n", pass == 0 ? "options" : "common options");
        for (int i = 0; list[i].name && (pass == 0 || i < nc); i++) {
            char left[64];
            const char *mv = kind_metavar(&list[i]);
            if (list[i].short_name)
                snprintf(left, sizeof left, "-%c, --%s%s%s", list[i].short_name, list[i].name,
                         mv ? " " : "", mv ? mv : "");
            else
                snprintf(left, sizeof left, "    --%s%s%s", list[i].name, mv ? " " : "",
                         mv ? mv : "");
            fprintf(f, "  %-28s %s\n", left, list[i].help);
        }
    }
}

static const cli_opt *find_long(const cli_opt *opts, const cli_opt *common, int nc, const char *name,
                                size_t len) {
    for (int i = 0; opts && opts[i].name; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0) return &opts[i];
    for (int i = 0; i < nc; i++)
        if (strlen(common[i].name) == len && strncmp(common[i].name, name, len) == 0)
            return &common[i];
    return NULL;
}

static const cli_opt *find_short(const cli_opt *opts, const cli_opt *common, int nc, char c) {
    for (int i = 0; opts && opts[i].name; i++)
        if (opts[i].short_name == c) return &opts[i];
    for (int i = 0; i < nc; i++)
        if (common[i].short_name == c) return &common[i];
    return NULL;
}

static const char *closest(const cli_opt *opts, const cli_opt *common, int nc, const char *name) {
    const char *best = NULL;
    int bestd = 1 << 30;
    for (int pass = 0; pass < 2; pass++) {
        const cli_opt *list = pass == 0 ? opts : common;
        for (int i = 0; list && list[i].name && (pass == 0 || i < nc); i++) {
            int d = cli_edit_distance(name, list[i].name);
            /* A prefix is a strong hint: "--thread" for "--threads". */
            if (strncmp(list[i].name, name, strlen(name)) == 0) d = d < 2 ? d : 1;
            if (d < bestd) {
                bestd = d;
                best = list[i].name;
            }
        }
    }
    return best;
}

static int set_value(const char *verb, const cli_opt *o, const char *v) {
    char *end = NULL;
    errno = 0;
    switch (o->kind) {
    case OPT_STRING: *(const char **)o->dest = v; return CLI_OK;
    case OPT_INT: {
        long x = strtol(v, &end, 10);
        if (!*v || *end || errno || x < -2147483647L || x > 2147483647L)
            return cli_usage_error(verb, "--%s expects an integer, got '%s'", o->name, v);
        *(int *)o->dest = (int)x;
        return CLI_OK;
    }
    case OPT_U64: {
        if (*v == '-') return cli_usage_error(verb, "--%s expects a non-negative integer, got '%s'", o->name, v);
        unsigned long long x = strtoull(v, &end, 10);
        if (!*v || *end || errno)
            return cli_usage_error(verb, "--%s expects a non-negative integer, got '%s'", o->name, v);
        *(uint64_t *)o->dest = (uint64_t)x;
        return CLI_OK;
    }
    case OPT_DOUBLE: {
        double x = strtod(v, &end);
        if (!*v || *end || errno)
            return cli_usage_error(verb, "--%s expects a number, got '%s'", o->name, v);
        *(double *)o->dest = x;
        return CLI_OK;
    }
    default: return CLI_OK;
    }
}

int cli_parse(const cli_verb *verb, int argc, char **argv, const cli_opt *opts, cli_common *c,
              const char **pos, int maxpos, int *npos) {
    memset(c, 0, sizeof *c);
    c->seed = 1;
    cli_opt common[8];
    int nc = common_opts(c, common);
    *npos = 0;
    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const cli_opt *o = NULL;
        const char *value = NULL;
        if (!only_pos && strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (!only_pos && a[0] == '-' && a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            o = find_long(opts, common, nc, name, len);
            if (!o) {
                char buf[128];
                snprintf(buf, sizeof buf, "%.*s", (int)(len < 100 ? len : 100), name);
                const char *best = closest(opts, common, nc, buf);
                cli_usage_error(verb->name, "unknown option '--%s'%s%s%s", buf,
                                best ? "; did you mean '--" : "", best ? best : "", best ? "'?" : "");
                fprintf(stderr, "run 'causa %s --help' for the options\n", verb->name);
                return CLI_USAGE;
            }
            if (eq) value = eq + 1;
        } else if (!only_pos && a[0] == '-' && a[1] && a[1] != '-' && !(a[1] >= '0' && a[1] <= '9')) {
            o = find_short(opts, common, nc, a[1]);
            if (!o) {
                cli_usage_error(verb->name, "unknown option '%s'", a);
                fprintf(stderr, "run 'causa %s --help' for the options\n", verb->name);
                return CLI_USAGE;
            }
            if (a[2]) value = a + 2;
        } else {
            if (*npos >= maxpos)
                return cli_usage_error(verb->name, "unexpected argument '%s' (usage: causa %s %s)", a,
                                       verb->name, verb->args);
            pos[(*npos)++] = a;
            continue;
        }
        if (o->kind == OPT_FLAG) {
            if (value) return cli_usage_error(verb->name, "--%s takes no value", o->name);
            *(int *)o->dest = 1;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc)
                return cli_usage_error(verb->name, "--%s needs a value (%s)", o->name, kind_metavar(o));
            value = argv[++i];
        }
        int rc = set_value(verb->name, o, value);
        if (rc) return rc;
    }
    if (c->help) {
        cli_print_help(verb, opts, stdout);
        return -1;
    }
    if (c->threads < 0) return cli_usage_error(verb->name, "--threads must be >= 0, got %d", c->threads);
    return CLI_OK;
}
