/*
 * sample.c: drawing rows from a model, observational or under interventions.
 *
 * Rows are cut into blocks of CAUSA_SCM_BLOCK. Within a block the nodes are visited in
 * topological order and each node's column of the block is computed at once: its noise is
 * drawn into the output column, then its mechanism's location is added (a linear node: an
 * axpy per parent over the block), so every inner loop runs over contiguous doubles that
 * are still in cache from the parents' turn. Node v of block k draws from its own stream
 * (seed, k * 2^28 + v): blocks are independent work items for OpenMP, results do not depend
 * on the thread count, and an intervention on one node leaves every other node's draws
 * unchanged (common random numbers between arms of an experiment).
 *
 * A large output (STREAM_MIN_BYTES and more) is not computed in place: each slice of rows is
 * computed in a per-thread scratch that stays in L2, and each node's column is copied out by
 * non-temporal stores as soon as it is final (core/stream_store.c). The output is then
 * written once, without being read into the cache first, and the parents' columns are
 * read from the scratch. The values are the same either way.
 */
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#if CAUSA_OPENMP
#include <omp.h>
#endif

#include "../data/dataset_i.h"
#include "scm_i.h"

/* ---- one block ---- */

/* A block is walked in slices of rows, each slice node by node: the slice's columns (rows x
 * nodes doubles) should stay in L2 until the children have read them. At 100 nodes a whole
 * block is 3.2 MB (more than this machine's 2 MB of L2), and the parents' columns came back
 * from L3; in slices of 1 024 rows one thread wrote 3.45-3.69 GB/s against 3.21-3.59 in
 * alternating runs (bench-sample, 4 million rows): a few per cent. A slice is a whole
 * number of the normal fill's chunks, so the draws are those of the whole block (the
 * values do not depend on the slicing). */
#define SLICE_BYTES ((int64_t)1 << 20)

/* Outputs at least this large are streamed (see the top): beyond any L2 and most L3s, so
 * a caller that reads a smaller output straight after still finds it in the cache. */
#define STREAM_MIN_BYTES ((int64_t)64 << 20)
/* ... unless a slice is too wide to stay in L2 anyway (at least 512 rows: beyond about 2 000
 * nodes), where the scratch would only add memory and a copy. */
#define STREAM_MAX_SLICE_BYTES ((int64_t)4 << 20)

typedef struct sample_ws {
    double *work;                /* B * work_per_row */
    double *buf;                 /* B: location, then scale */
    double *probs;               /* B * max levels */
    const double **cols;         /* p pointers */
    causa_i_dist_stream *noise;  /* p: each node's draws in the current block */
    int64_t slice;               /* rows per slice */
    double *scratch;             /* slice x p, column-major, when streaming (else NULL) */
} sample_ws;

static int64_t slice_rows(int64_t p) {
    int64_t r = SLICE_BYTES / ((int64_t)sizeof(double) * (p > 0 ? p : 1));
    r = r / CAUSA_I_FILL_CHUNK * CAUSA_I_FILL_CHUNK;
    return CAUSA_MIN(CAUSA_MAX(r, (int64_t)CAUSA_I_FILL_CHUNK), (int64_t)CAUSA_SCM_BLOCK);
}

/* Node v's column x of a slice of nr rows (its parents' columns in ws->cols). */
static void sample_node(const causa_scm *scm, const causa_i_plan *plan, int64_t v, int64_t nr,
                        double *x, sample_ws *ws) {
    const double **cols = ws->cols;
    int kind = plan ? plan->kind[v] : 0;
    if (kind == CAUSA_DO_SET) {
        double c = plan->value[v];
        for (int64_t i = 0; i < nr; i++) x[i] = c;
        return;
    }
    causa_i_dist_stream *noise = &ws->noise[v];
    if (kind == CAUSA_DO_DIST) {
        causa_i_dist_stream_fill(noise, x, nr);
        return;
    }
    const causa_i_mech *m = &scm->mech[v];
    if (scm->type[v] == CAUSA_DISCRETE) {
        int64_t K = scm->nlevels[v];
        causa_i_eval_probs(scm, v, cols, nr, ws->work, ws->probs);
        for (int64_t i = 0; i < nr; i++)
            x[i] = (double)causa_i_invert_level(ws->probs + i * K, K, causa_rng_uniform(&noise->rng));
        return;
    }
    /* Continuous: noise first, into the column (Gaussian noise by the eight-lane
     * fill of rng_fill.c). */
    causa_i_dist_stream_fill(noise, x, nr);
    if (m->kind != CAUSA_MECH_ROOT) {
        if (m->scaled) {
            causa_i_eval_scale(scm, v, cols, nr, ws->work, ws->buf);
            for (int64_t i = 0; i < nr; i++) x[i] *= ws->buf[i];
        }
        if (m->kind == CAUSA_MECH_LINEAR) {
            /* x += c + sum w u, straight into the column. */
            causa_i_eval_linear_add(scm, v, cols, nr, x);
        } else {
            causa_i_eval_location(scm, v, cols, nr, ws->work, ws->buf);
            for (int64_t i = 0; i < nr; i++) x[i] += ws->buf[i];
        }
    }
    if (kind == CAUSA_DO_SHIFT) {
        double d = plan->value[v];
        for (int64_t i = 0; i < nr; i++) x[i] += d;
    }
}

/* Rows [0, nr) of a slice (data points at its first row): in place, or, when the workspace
 * has a scratch, computed there and each column streamed to data once final. */
static void sample_slice(const causa_scm *scm, const causa_i_plan *plan, int64_t nr, double *data,
                         int64_t ld, sample_ws *ws) {
    for (int64_t t = 0; t < scm->p; t++) {
        int64_t v = scm->order[t];
        double *x = ws->scratch ? ws->scratch + v * ws->slice : data + v * ld;
        ws->cols[v] = x;
        sample_node(scm, plan, v, nr, x, ws);
        if (ws->scratch) causa_i_stream_store(data + v * ld, x, nr);
    }
}

static void sample_block(const causa_scm *scm, uint64_t seed, const causa_i_plan *plan,
                         int64_t block, int64_t nr, double *data, int64_t ld, sample_ws *ws) {
    /* Each node's stream for the block: its own, (seed, block, node). A discrete node draws
     * its uniforms from the stream's rng. */
    for (int64_t v = 0; v < scm->p; v++) {
        int kind = plan ? plan->kind[v] : 0;
        if (kind == CAUSA_DO_SET) continue;
        causa_rng rng;
        causa_rng_init(&rng, seed, causa_i_scm_stream(block, v));
        causa_i_dist_stream_begin(&ws->noise[v], kind == CAUSA_DO_DIST ? plan->dist[v] : &scm->mech[v].noise,
                                  &rng);
    }
    for (int64_t r = 0; r < nr; r += ws->slice)
        sample_slice(scm, plan, CAUSA_MIN(ws->slice, nr - r), data + r, ld, ws);
    if (ws->scratch) causa_i_stream_store_fence();
}

/* ---- the driver ---- */

static void ws_free(causa_ctx *ctx, sample_ws *ws, int nt) {
    if (!ws) return;
    for (int t = 0; t < nt; t++) {
        causa_i_free(ctx, ws[t].work);
        causa_i_free(ctx, ws[t].buf);
        causa_i_free(ctx, ws[t].probs);
        causa_i_free(ctx, (void *)ws[t].cols);
        causa_i_free(ctx, ws[t].noise);
        causa_i_free(ctx, ws[t].scratch);
    }
    causa_i_free(ctx, ws);
}

static int ws_alloc(causa_ctx *ctx, const causa_scm *scm, int nt, int stream, void **out) {
    int rc = CAUSA_OK;
    sample_ws *ws = NULL;
    *out = NULL;
    int64_t B = CAUSA_SCM_BLOCK, wpr = causa_i_scm_work_per_row(scm), K = 1;
    for (int64_t v = 0; v < scm->p; v++) K = CAUSA_MAX(K, scm->nlevels[v]);
    size_t pp = (size_t)(scm->p > 0 ? scm->p : 1);
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ws, (size_t)nt * sizeof *ws, "sampler workspaces"));
    for (int t = 0; t < nt; t++) {
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&ws[t].work, (size_t)(B * wpr) * sizeof(double), "a sampler workspace"));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&ws[t].buf, (size_t)B * sizeof(double), "a sampler workspace"));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&ws[t].probs, (size_t)(B * K) * sizeof(double), "a sampler workspace"));
        CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ws[t].cols, pp * sizeof(double *), "a sampler workspace"));
        CAUSA_TRY(causa_i_alloc0(ctx, (void **)&ws[t].noise, pp * sizeof *ws[t].noise, "a sampler workspace"));
        ws[t].slice = slice_rows(scm->p);
        if (stream)
            CAUSA_TRY(causa_i_alloc(ctx, (void **)&ws[t].scratch,
                                    causa_i_mul_size(causa_i_mul_size((size_t)ws[t].slice, pp), sizeof(double)),
                                    "a sampler's scratch"));
    }
    *out = ws;
    ws = NULL;
done:
    ws_free(ctx, ws, nt);
    return rc;
}

int causa_i_scm_threads(causa_ctx *ctx, int64_t nblocks) {
    int nt = causa_ctx_threads(ctx);
    if (nt < 1) nt = 1;
    if (nt > nblocks) nt = (int)(nblocks > 0 ? nblocks : 1);
#if !CAUSA_OPENMP
    nt = 1;
#endif
    return nt;
}

int causa_i_scm_sample_rows_with(causa_ctx *ctx, const causa_scm *scm, uint64_t seed,
                                 const causa_i_plan *plan, int64_t row0, int64_t nrows, double *data,
                                 int64_t ld, int stream) {
    int rc = causa_scm_check(ctx, scm);
    if (rc) return rc;
    const int64_t B = CAUSA_SCM_BLOCK;
    int64_t nblocks = (nrows + B - 1) / B, first = row0 / B;
    int nt = causa_i_scm_threads(ctx, nblocks);
    sample_ws *ws = NULL;
    if (stream < 0)
        stream = (double)nrows * (double)scm->p * (double)sizeof(double) >= (double)STREAM_MIN_BYTES &&
                 (double)slice_rows(scm->p) * (double)scm->p * (double)sizeof(double) <= (double)STREAM_MAX_SLICE_BYTES;
    stream = stream && causa_i_stream_store_available();
    CAUSA_TRY(ws_alloc(ctx, scm, nt, stream, (void **)&ws));
    /* Rounds of blocks between interrupt polls and progress reports. */
    int64_t round = (int64_t)nt * 16;
    for (int64_t k0 = 0; k0 < nblocks; k0 += round) {
        int64_t k1 = CAUSA_MIN(nblocks, k0 + round);
        CAUSA_TRY(causa_i_check_interrupt(ctx));
#if CAUSA_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
#endif
        for (int64_t k = k0; k < k1; k++) {
            int tid = 0;
#if CAUSA_OPENMP
            tid = omp_get_thread_num();
#endif
            int64_t r = k * B, nr = CAUSA_MIN(B, nrows - r);
            sample_block(scm, seed, plan, first + k, nr, data + r, ld, &ws[tid]);
        }
        causa_i_progress(ctx, "rows sampled", (double)(k1 * B < nrows ? k1 * B : nrows),
                         (double)nrows);
    }
done:
    ws_free(ctx, ws, nt);
    return rc;
}

int causa_i_scm_sample_rows(causa_ctx *ctx, const causa_scm *scm, uint64_t seed,
                            const causa_i_plan *plan, int64_t row0, int64_t nrows, double *data,
                            int64_t ld) {
    return causa_i_scm_sample_rows_with(ctx, scm, seed, plan, row0, nrows, data, ld, -1);
}

/* ---- the output data set ---- */

int causa_i_scm_dataset(causa_ctx *ctx, const causa_scm *scm, int64_t n, causa_dataset **out) {
    int rc = CAUSA_OK;
    causa_dataset *ds = NULL;
    *out = NULL;
    /* Not zeroed: the sampler writes every cell, and first touches the pages in parallel. */
    CAUSA_TRY(causa_i_dataset_alloc(ctx, n, scm->p, 0, &ds));
#ifdef MADV_HUGEPAGE
    {
        /* A large output is written once, by the sampler's threads: ask for huge pages
         * (where transparent huge pages are on "madvise") so first touches cost one fault
         * per 2 MiB instead of per 4 KiB. Advice only; any failure is harmless. */
        size_t bytes = (size_t)n * (size_t)scm->p * sizeof(double);
        const size_t huge = (size_t)2 << 20;
        if (bytes >= 4 * huge) {
            uintptr_t a = ((uintptr_t)ds->data + huge - 1) & ~(uintptr_t)(huge - 1);
            uintptr_t e = ((uintptr_t)ds->data + bytes) & ~(uintptr_t)(huge - 1);
            if (e > a) (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
        }
    }
#endif
    for (int64_t v = 0; v < scm->p; v++) {
        const char *name = causa_scm_name(scm, v);
        ds->names[v] = causa_i_strdup(ctx, name);
        if (!ds->names[v]) {
            rc = causa_i_nomem(ctx, "a column name", strlen(name) + 1);
            goto done;
        }
        if (scm->type[v] == CAUSA_DISCRETE) {
            char **lv = causa_i_levels_new(ctx, scm->nlevels[v], (const char *const *)scm->levels[v]);
            if (!lv) {
                rc = causa_i_nomem(ctx, "level names", (size_t)scm->nlevels[v] * sizeof(char *));
                goto done;
            }
            causa_i_dataset_take_levels(ds, v, scm->nlevels[v], lv);
        }
    }
    *out = ds;
    ds = NULL;
done:
    causa_dataset_free(ds);
    return rc;
}

int causa_scm_sample(causa_ctx *ctx, const causa_scm *scm, int64_t n,
                     const causa_scm_query_options *opt, causa_dataset **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_sample: out is NULL");
    *out = NULL;
    if (!scm) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_sample: the model is NULL");
    if (n < 0) return causa_i_error(ctx, CAUSA_EINVAL, "the number of rows must be >= 0, got %lld", (long long)n);
    int rc = causa_scm_check(ctx, scm);
    if (rc) return rc;
    causa_i_plan plan;
    causa_dataset *ds = NULL;
    rc = causa_i_plan_make(ctx, scm, opt ? opt->interventions : NULL, opt ? opt->ninterventions : 0,
                           &plan);
    if (rc) return rc;
    CAUSA_TRY(causa_i_scm_dataset(ctx, scm, n, &ds));
    CAUSA_TRY(causa_i_scm_sample_rows(ctx, scm, causa_i_scm_seed(ctx, opt), &plan, 0, n,
                                      causa_dataset_data_mut(ds), n));
    *out = ds;
    ds = NULL;
done:
    causa_dataset_free(ds);
    causa_i_plan_free(ctx, &plan);
    return rc;
}

int causa_scm_sample_into(causa_ctx *ctx, const causa_scm *scm, int64_t n,
                          const causa_scm_query_options *opt, double *out, int64_t ld) {
    if (!scm) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_scm_sample_into: the model is NULL");
    if (n < 0) return causa_i_error(ctx, CAUSA_EINVAL, "the number of rows must be >= 0, got %lld", (long long)n);
    if (ld < n) return causa_i_error(ctx, CAUSA_EINVAL, "ld (%lld) must be >= n (%lld)", (long long)ld, (long long)n);
    if (!out && n > 0 && scm->p > 0) return causa_i_error(ctx, CAUSA_EINVAL, "causa_scm_sample_into: out is NULL");
    int rc = causa_scm_check(ctx, scm);
    if (rc) return rc;
    causa_i_plan plan;
    rc = causa_i_plan_make(ctx, scm, opt ? opt->interventions : NULL, opt ? opt->ninterventions : 0,
                           &plan);
    if (rc) return rc;
    rc = causa_i_scm_sample_rows(ctx, scm, causa_i_scm_seed(ctx, opt), &plan, 0, n, out, ld);
    causa_i_plan_free(ctx, &plan);
    return rc;
}
