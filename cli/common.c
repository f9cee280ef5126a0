/*
 * common.c: context set-up, error reporting and atomic output for the verbs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

causa_ctx *cli_ctx(const cli_common *common) {
    causa_ctx_config cfg;
    causa_ctx_config_init(&cfg);
    cfg.threads = common->threads; /* 0 = all cores, the CLI's default */
    cfg.seed = common->seed;
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(&cfg, &ctx) != CAUSA_OK) {
        fprintf(stderr, "causa: out of memory creating a context\n");
        exit(CLI_FAIL);
    }
    if (!common->quiet) causa_ctx_set_progress(ctx, cli_progress, NULL);
    return ctx;
}

int cli_exit_code(int rc) {
    switch (rc) {
    case CAUSA_OK: return CLI_OK;
    case CAUSA_ENOMEM:
    case CAUSA_EINTERNAL:
    case CAUSA_ENOCONV:
    case CAUSA_EINTERRUPTED:
    case CAUSA_EUNSUPPORTED: return CLI_FAIL;
    default: return CLI_USAGE; /* the input or the request was bad */
    }
}

int cli_fail(causa_ctx *ctx, int rc) {
    cli_progress_end();
    const char *msg = causa_errmsg(ctx);
    fprintf(stderr, "causa: %s\n", msg && *msg ? msg : causa_strerror(rc));
    return cli_exit_code(rc);
}

const char *cli_extension(const char *path) {
    if (!path) return "";
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

int cli_write_text(causa_ctx *ctx, const char *path, const char *text, size_t len) {
    if (!path || strcmp(path, "-") == 0) {
        fwrite(text, 1, len, stdout);
        return fflush(stdout) == 0 ? CAUSA_OK : CAUSA_EIO;
    }
    /* The library's atomic writer: temporary file beside the target, then rename. */
    return causa_write_file(ctx, path, text, len);
}
