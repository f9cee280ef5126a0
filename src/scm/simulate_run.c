/*
 * simulate_run.c: the parallel driver of the simulators (many data sets at once) and the
 * writers of simulation runs to directories.
 *
 * Data sets are independent work items handed out to OpenMP threads one at a time (an
 * atomic counter: small data sets take microseconds, so dynamic hand-out balances well).
 * A context serves one thread at a time, so every thread gets a worker context of its own
 * whose allocator forwards to the caller's hook under a mutex: whatever hook the caller
 * installed is never entered by two threads at once, and every byte is still accounted to
 * the caller's allocator. Each data set depends only on (seed, k), never on which thread
 * made it, so the files of a run are byte-identical for any thread count.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#if CAUSA_OPENMP
#include <omp.h>
#endif

#include "scm_i.h"
#include "simulate_i.h"

/* ---- worker contexts ---- */

typedef struct shared_alloc {
    causa_alloc_fn fn;
    void *ud;
    pthread_mutex_t lock;
} shared_alloc;

static void *locked_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
    shared_alloc *s = ud;
    pthread_mutex_lock(&s->lock);
    void *r = s->fn(s->ud, ptr, old_size, new_size);
    pthread_mutex_unlock(&s->lock);
    return r;
}

/* Records the failure of work item k on ctx, "<what> k+1: <message of wctx>". */
static int item_error(causa_ctx *ctx, int rc, const char *what, int64_t k, const char *msg) {
    char copy[sizeof ctx->errmsg];
    snprintf(copy, sizeof copy, "%s", msg && *msg ? msg : causa_strerror(rc));
    return causa_i_error(ctx, rc, "%s %lld: %s", what, (long long)(k + 1), copy);
}

int causa_i_sim_parallel(causa_ctx *ctx, int64_t count, const char *what,
                         int (*job)(void *ud, causa_ctx *wctx, int64_t k), void *ud) {
    int nt = causa_ctx_threads(ctx);
    if (nt < 1) nt = 1;
    if (nt > count) nt = (int)(count > 0 ? count : 1);
#if !CAUSA_OPENMP
    nt = 1;
#endif
    int rc = CAUSA_OK;
    if (nt == 1) {
        /* One thread: the caller's context itself, no lock. */
        for (int64_t k = 0; k < count; k++) {
            if ((rc = causa_i_check_interrupt(ctx))) return rc;
            rc = job(ud, ctx, k);
            if (rc) return item_error(ctx, rc, what, k, causa_errmsg(ctx));
            causa_i_progress(ctx, "data sets", (double)(k + 1), (double)count);
        }
        return CAUSA_OK;
    }
    shared_alloc sa = {ctx->alloc, ctx->alloc_ud, PTHREAD_MUTEX_INITIALIZER};
    causa_ctx *w[256] = {0};
    if (nt > 256) nt = 256;
    for (int t = 0; t < nt; t++) {
        causa_ctx_config cfg;
        causa_ctx_config_init(&cfg);
        /* A hook may not be thread-safe: serialise it. malloc is, and a lock around every
         * allocation of many small data sets costs two threads most of their speed-up. */
        if (!causa_i_ctx_uses_malloc(ctx)) {
            cfg.alloc = locked_alloc;
            cfg.alloc_ud = &sa;
        }
        cfg.threads = 1;
        cfg.seed = ctx->seed;
        if (causa_ctx_new(&cfg, &w[t]) != CAUSA_OK) {
            rc = causa_i_nomem(ctx, "worker contexts", sizeof(causa_ctx));
            goto done;
        }
    }
    int64_t next = 0, finished = 0, bad_k = INT64_MAX;
    int stop = 0, bad_rc = CAUSA_OK, interrupted = 0;
    char bad_msg[sizeof ctx->errmsg] = "";
#if CAUSA_OPENMP
#pragma omp parallel num_threads(nt)
#endif
    {
        int tid = 0;
#if CAUSA_OPENMP
        tid = omp_get_thread_num();
#endif
        for (;;) {
            int s;
            int64_t k;
#if CAUSA_OPENMP
#pragma omp atomic read
#endif
            s = stop;
            if (s) break;
#if CAUSA_OPENMP
#pragma omp atomic capture
#endif
            k = next++;
            if (k >= count) break;
            int r = job(ud, w[tid], k);
            if (r) {
                /* The allocator's mutex serves here too (a named OpenMP critical section
                 * would export a symbol from the library). */
                pthread_mutex_lock(&sa.lock);
                if (k < bad_k) {
                    bad_k = k;
                    bad_rc = r;
                    snprintf(bad_msg, sizeof bad_msg, "%s", causa_errmsg(w[tid]));
                }
                pthread_mutex_unlock(&sa.lock);
#if CAUSA_OPENMP
#pragma omp atomic write
#endif
                stop = 1;
            }
            int64_t f;
#if CAUSA_OPENMP
#pragma omp atomic capture
#endif
            f = ++finished;
            if (tid == 0) {
                /* Callbacks only from the calling thread. */
                if (causa_i_check_interrupt(ctx)) {
                    interrupted = 1;
#if CAUSA_OPENMP
#pragma omp atomic write
#endif
                    stop = 1;
                }
                causa_i_progress(ctx, "data sets", (double)f, (double)count);
            }
        }
    }
    if (bad_rc) rc = item_error(ctx, bad_rc, what, bad_k, bad_msg);
    else if (interrupted) rc = CAUSA_EINTERRUPTED; /* the message is on ctx already */
done:
    for (int t = 0; t < nt; t++) causa_ctx_free(w[t]);
    pthread_mutex_destroy(&sa.lock);
    return rc;
}

/* ---- directories ---- */

int causa_i_sim_mkdir(causa_ctx *ctx, const char *path) {
    if (mkdir(path, 0777) == 0) return CAUSA_OK;
    int e = errno;
    struct stat st;
    if (e == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return CAUSA_OK;
    return causa_i_error(ctx, CAUSA_EIO, "cannot create directory %s: %s", path,
                         e == EEXIST ? "a file of that name exists" : strerror(e));
}

int causa_i_sim_dataset_dir(causa_ctx *ctx, const char *dir, int64_t k, char *buf, size_t cap) {
    int len = snprintf(buf, cap, "%s/dataset_%04lld", dir, (long long)(k + 1));
    if (len < 0 || (size_t)len + 16 >= cap)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: the output path '%s' is too long", dir);
    return CAUSA_OK;
}

/* ---- random SCMs ---- */

typedef struct visit_job {
    const causa_sim_options *o;
    causa_sim_visit_fn fn;
    void *ud;
} visit_job;

static int visit_one(void *ud, causa_ctx *wctx, int64_t k) {
    visit_job *j = ud;
    causa_dataset *ds = NULL;
    causa_graph *g = NULL;
    causa_scm *scm = NULL;
    int rc = causa_simulate_one(wctx, j->o, k, &ds, &g, &scm);
    if (!rc && j->fn) rc = j->fn(j->ud, wctx, k, ds, g, scm);
    causa_dataset_free(ds);
    causa_graph_free(g);
    causa_scm_free(scm);
    return rc;
}

int causa_simulate(causa_ctx *ctx, const causa_sim_options *opt, causa_sim_visit_fn fn, void *ud) {
    if (!ctx || !opt) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_simulate: NULL argument");
    int rc = causa_sim_options_check(ctx, opt);
    if (rc) return rc;
    causa_sim_options o = *opt;
    if (!o.seed) o.seed = causa_ctx_seed(ctx); /* resolved once: workers have their own contexts */
    visit_job j = {&o, fn, ud};
    return causa_i_sim_parallel(ctx, o.datasets, "data set", visit_one, &j);
}

static const char *graph_ext(int format) {
    switch (format) {
    case CAUSA_FORMAT_JSON: return "json";
    case CAUSA_FORMAT_TETRAD: return "txt";
    case CAUSA_FORMAT_DOT: return "dot";
    case CAUSA_FORMAT_BNLEARN: return "bn";
    case CAUSA_FORMAT_DAGITTY: return "dagitty";
    default: return NULL;
    }
}

typedef struct write_job {
    const causa_sim_options *o;
    const char *dir;
} write_job;

static int write_one(void *ud, causa_ctx *wctx, int64_t k) {
    write_job *j = ud;
    causa_dataset *ds = NULL;
    causa_graph *g = NULL;
    causa_scm *scm = NULL;
    char sub[4096], path[4200];
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_sim_dataset_dir(wctx, j->dir, k, sub, sizeof sub));
    CAUSA_TRY(causa_simulate_one(wctx, j->o, k, &ds, &g, &scm));
    CAUSA_TRY(causa_i_sim_mkdir(wctx, sub));
    snprintf(path, sizeof path, "%s/data.%s", sub, j->o->data_format ? "npy" : "csv");
    CAUSA_TRY(j->o->data_format ? causa_npy_write(wctx, ds, path) : causa_csv_write(wctx, ds, path));
    causa_graph_io_options io;
    causa_graph_io_options_init(&io);
    io.format = j->o->graph_format;
    snprintf(path, sizeof path, "%s/graph.%s", sub, graph_ext(j->o->graph_format));
    CAUSA_TRY(causa_graph_write(wctx, g, path, &io));
    snprintf(path, sizeof path, "%s/model.json", sub);
    CAUSA_TRY(causa_scm_write(wctx, scm, path));
done:
    causa_dataset_free(ds);
    causa_graph_free(g);
    causa_scm_free(scm);
    return rc;
}

int causa_simulate_write(causa_ctx *ctx, const causa_sim_options *opt, const char *dir) {
    if (!ctx || !opt || !dir) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_simulate_write: NULL argument");
    int rc = causa_sim_options_check(ctx, opt);
    if (rc) return rc;
    if (!graph_ext(opt->graph_format))
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "simulate: the graph format must be json, tetrad, dot, bnlearn or dagitty");
    if (!*dir) return causa_i_error(ctx, CAUSA_EINVAL, "simulate: empty output directory name");
    rc = causa_i_sim_mkdir(ctx, dir);
    if (rc) return rc;
    causa_sim_options o = *opt;
    if (!o.seed) o.seed = causa_ctx_seed(ctx);
    write_job j = {&o, dir};
    return causa_i_sim_parallel(ctx, o.datasets, "data set", write_one, &j);
}
