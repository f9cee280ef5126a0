/*
 * simulate_i.h: what the random-SCM simulator (simulate.c), its parallel driver and
 * writers (simulate_run.c) and the VAR simulator (var.c) share. Never exported.
 */
#ifndef CAUSA_SCM_SIMULATE_I_H
#define CAUSA_SCM_SIMULATE_I_H

#include "../internal.h"

/* Stream ids under a data set's seed (the graph generators use streams 0 and 1). */
#define CAUSA_I_SIM_STREAM_DISCRETE 2u
#define CAUSA_I_SIM_STREAM_NODE 16u              /* + v: node v's mechanism */
#define CAUSA_I_SIM_STREAM_PILOT (UINT64_C(1) << 32) /* + v: node v's pilot draws */

/* The two seeds of data set k of a run with seed `seed`: one for the graph and the
 * parameters, one for the rows. */
void causa_i_sim_seeds(uint64_t seed, int64_t k, uint64_t *model_seed, uint64_t *row_seed);

/* A noise distribution of kind CAUSA_SIM_NOISE_GAUSSIAN / _LAPLACE / _UNIFORM with mean 0
 * and standard deviation sd. */
causa_dist causa_i_sim_noise(int kind, double sd);
/* A weight with |w| uniform in [lo, hi] and a random sign. */
double causa_i_sim_weight(causa_rng *rng, double lo, double hi);

/* Runs job(ud, wctx, k) for k = 0..count-1 over up to causa_ctx_threads(ctx) threads, each
 * thread with a worker context of its own that allocates through ctx's allocator (under a
 * lock, so any hook is safe) and has one thread. The first failure (lowest k) is copied to
 * ctx as "<what> k+1: message". Interrupt and progress are polled from the calling thread. */
int causa_i_sim_parallel(causa_ctx *ctx, int64_t count, const char *what,
                         int (*job)(void *ud, causa_ctx *wctx, int64_t k), void *ud);

/* Creates directory path (one level) unless it exists as a directory. */
int causa_i_sim_mkdir(causa_ctx *ctx, const char *path);
/* "dir/dataset_0001" for k = 0 into buf (cap bytes); CAUSA_EINVAL if it does not fit. */
int causa_i_sim_dataset_dir(causa_ctx *ctx, const char *dir, int64_t k, char *buf, size_t cap);

#endif
