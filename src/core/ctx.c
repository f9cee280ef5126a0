/*
 * ctx.c: the context (errors, callbacks, threads, seed) and the status-code table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../internal.h"

/* ---- status codes ---- */

static const char *const status_text[CAUSA_NCODES] = {
    [CAUSA_OK] = "success",
    [CAUSA_ENOMEM] = "out of memory",
    [CAUSA_EINVAL] = "invalid argument",
    [CAUSA_EMISUSE] = "library used incorrectly",
    [CAUSA_EDATA] = "data unsuitable for this step",
    [CAUSA_ESINGULAR] = "singular matrix",
    [CAUSA_ENOCONV] = "no convergence within the iteration limit",
    [CAUSA_ECYCLE] = "graph has a cycle",
    [CAUSA_ENOTIDENT] = "effect not identifiable",
    [CAUSA_EIO] = "input/output error",
    [CAUSA_EPARSE] = "malformed input",
    [CAUSA_EINTERRUPTED] = "interrupted",
    [CAUSA_EINTERNAL] = "internal error (a bug in causa)",
    [CAUSA_EUNSUPPORTED] = "not supported or not available",
    [CAUSA_ENOTFOUND] = "no such item",
    [CAUSA_ERANGE] = "number out of range",
};

const char *causa_strerror(int code) {
    if (code < 0 || code >= CAUSA_NCODES || !status_text[code]) return "unknown error code";
    return status_text[code];
}

const char *causa_version(void) {
#define CAUSA_STR2(x) #x
#define CAUSA_STR(x) CAUSA_STR2(x)
    return CAUSA_STR(CAUSA_VERSION_MAJOR) "." CAUSA_STR(CAUSA_VERSION_MINOR) "." CAUSA_STR(
        CAUSA_VERSION_PATCH);
}

/* ---- creation ---- */

static void *default_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
    CAUSA_UNUSED(ud);
    CAUSA_UNUSED(old_size);
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, new_size);
}

int causa_i_ctx_uses_malloc(const causa_ctx *ctx) { return ctx->alloc == default_alloc; }

void causa_ctx_config_init(causa_ctx_config *cfg) {
    if (!cfg) return;
    memset(cfg, 0, sizeof *cfg);
    cfg->threads = 1;
    cfg->seed = 1;
}

int causa_ctx_new(const causa_ctx_config *cfg, causa_ctx **out) {
    if (!out) return CAUSA_EMISUSE;
    *out = NULL;
    causa_ctx_config defaults;
    if (!cfg) {
        causa_ctx_config_init(&defaults);
        cfg = &defaults;
    }
    if (cfg->threads < 0) return CAUSA_EINVAL;
    causa_alloc_fn alloc = cfg->alloc ? cfg->alloc : default_alloc;
    causa_ctx *ctx = alloc(cfg->alloc_ud, NULL, 0, sizeof *ctx);
    if (!ctx) return CAUSA_ENOMEM;
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = alloc;
    ctx->alloc_ud = cfg->alloc_ud;
    ctx->threads = cfg->threads == 0 ? causa_ncores() : cfg->threads;
    ctx->seed = cfg->seed;
    ctx->log_level = CAUSA_LOG_WARN;
    *out = ctx;
    return CAUSA_OK;
}

void causa_ctx_free(causa_ctx *ctx) {
    if (!ctx) return;
    ctx->alloc(ctx->alloc_ud, ctx, sizeof *ctx, 0);
}

/* ---- errors ---- */

const char *causa_errmsg(const causa_ctx *ctx) { return ctx ? ctx->errmsg : ""; }
int causa_errcode(const causa_ctx *ctx) { return ctx ? ctx->errcode : CAUSA_EMISUSE; }

void causa_clear_error(causa_ctx *ctx) {
    if (!ctx) return;
    ctx->errcode = CAUSA_OK;
    ctx->errmsg[0] = '\0';
}

int causa_i_verror(causa_ctx *ctx, int code, const char *fmt, va_list ap) {
    if (!ctx) return code;
    ctx->errcode = code;
    vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
    return code;
}

int causa_i_error(causa_ctx *ctx, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    causa_i_verror(ctx, code, fmt, ap);
    va_end(ap);
    return code;
}

int causa_i_nomem(causa_ctx *ctx, const char *what, size_t bytes) {
    return causa_i_error(ctx, CAUSA_ENOMEM, "out of memory allocating %zu bytes for %s", bytes,
                         what ? what : "an object");
}

/* ---- settings and callbacks ---- */

int causa_ncores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (int)n;
}

int causa_ctx_set_threads(causa_ctx *ctx, int threads) {
    if (!ctx) return CAUSA_EMISUSE;
    if (threads < 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "threads must be >= 0 (0 = all cores), got %d",
                             threads);
    ctx->threads = threads == 0 ? causa_ncores() : threads;
    return CAUSA_OK;
}

int causa_ctx_threads(const causa_ctx *ctx) { return ctx ? ctx->threads : 1; }
void causa_ctx_set_seed(causa_ctx *ctx, uint64_t seed) {
    if (ctx) ctx->seed = seed;
}
uint64_t causa_ctx_seed(const causa_ctx *ctx) { return ctx ? ctx->seed : 0; }

void causa_ctx_set_log(causa_ctx *ctx, causa_log_fn fn, void *ud, int max_level) {
    if (!ctx) return;
    ctx->log = fn;
    ctx->log_ud = ud;
    ctx->log_level = max_level;
}

void causa_ctx_set_progress(causa_ctx *ctx, causa_progress_fn fn, void *ud) {
    if (!ctx) return;
    ctx->progress = fn;
    ctx->progress_ud = ud;
}

void causa_ctx_set_interrupt(causa_ctx *ctx, causa_interrupt_fn fn, void *ud) {
    if (!ctx) return;
    ctx->interrupt = fn;
    ctx->interrupt_ud = ud;
}

size_t causa_ctx_bytes_in_use(const causa_ctx *ctx) { return ctx ? ctx->bytes_in_use : 0; }
size_t causa_ctx_peak_bytes(const causa_ctx *ctx) { return ctx ? ctx->peak_bytes : 0; }

void causa_i_log(causa_ctx *ctx, int level, const char *fmt, ...) {
    if (!ctx || !ctx->log || level > ctx->log_level) return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ctx->log(ctx->log_ud, level, line);
}

int causa_i_check_interrupt(causa_ctx *ctx) {
    if (ctx && ctx->interrupt && ctx->interrupt(ctx->interrupt_ud))
        return causa_i_error(ctx, CAUSA_EINTERRUPTED, "interrupted by the caller");
    return CAUSA_OK;
}

void causa_i_progress(causa_ctx *ctx, const char *what, double done, double total) {
    if (ctx && ctx->progress) ctx->progress(ctx->progress_ud, what, done, total);
}
