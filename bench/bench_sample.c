/*
 * bench_sample.c: sampling speed of a linear-Gaussian SCM against the machine's memory
 * bandwidth.
 *
 * The model: a random DAG of 100 nodes (causa_graph_random_dag, expected degree 3), every
 * node linear with weights of magnitude 0.3..0.8 and random sign, standard normal noise.
 * causa_scm_sample draws BENCH_ROWS rows (default 10 million: 8 GB of output) with 1 and
 * with 2 threads, each timing after one warm-up of a tenth of the rows, in two settings:
 *  - into a new data set each run (its pages first touched by the sampler, as in a one-off
 *    call: the kernel's zeroing of fresh pages is part of the time), median of BENCH_REPS
 *    runs (default 3);
 *  - with causa_scm_sample_into a buffer reused across runs (the steady state of a
 *    simulator, and the setting memcpy's bandwidth is measured in), in BENCH_ROUNDS rounds
 *    (default 5) of: memcpy's bandwidth (median of 3 copies), one thread, two threads (the
 *    two in alternating order). Each round gives the share of memcpy and the two-thread
 *    speed-up measured within it; their medians are reported next to the median times.
 *
 * The limit column is memcpy's bandwidth measured in the same run: bytes written per
 * second copying a 1 GiB buffer already touched (median of 5 at the start; for the reused
 * buffer, the median over the rounds). Throughput is rows x nodes per second and GB/s
 * written (10^9 bytes).
 *
 * Peer: DoWhy-GCM's gcm.draw_samples on the same model (a StructuralCausalModel with
 * linear additive-noise mechanisms set to the same weights and standard normal noise; see
 * peer_dowhy), when CAUSA_PEER_DOWHY names a DoWhy source tree (its folder holding dowhy/)
 * that imports with /usr/bin/python3; BENCH_PEER_ROWS rows (default 100000), median of 3,
 * time scaled linearly to BENCH_ROWS. DoWhy's time grows faster than linearly in the rows
 * (with pandas 1.5, copies inside its DataFrame dominate), so for BENCH_ROWS above
 * BENCH_PEER_ROWS the scaled time understates it.
 *
 * Output: one line per case on stdout, tab-separated, as bench/run.sh expects:
 *   case  causa_s  peer  peer_s  ratio  throughput  limit
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "causa.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of this process (all threads): on a busy machine wall time also counts the
 * waits for a core; the CPU time per thread does not. */
static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double last_cpu; /* median CPU seconds of the last timing */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t, int n) {
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

static long env_long(const char *name, long def) {
    const char *s = getenv(name);
    return s && *s ? strtol(s, NULL, 10) : def;
}

/* memcpy of a 1 GiB buffer already touched: the buffers are kept so the bandwidth can be
 * measured again next to each timing. */
typedef struct {
    char *a, *b;
    size_t bytes;
} memcpy_probe;

static int probe_init(memcpy_probe *m) {
    m->bytes = (size_t)1 << 30;
    m->a = malloc(m->bytes);
    m->b = malloc(m->bytes);
    if (!m->a || !m->b) return -1;
    memset(m->a, 1, m->bytes);
    memset(m->b, 2, m->bytes);
    return 0;
}

/* Bytes written per second, median of `copies` copies. */
static double probe_run(memcpy_probe *m, int copies) {
    double t[16];
    if (copies > 16) copies = 16;
    for (int r = 0; r < copies; r++) {
        double t0 = now();
        memcpy(m->b, m->a, m->bytes);
        t[r] = now() - t0;
        m->a[r] = m->b[m->bytes - 1 - (size_t)r]; /* keep the copy observable */
    }
    return (double)m->bytes / median(t, copies);
}

static void probe_free(memcpy_probe *m) {
    free(m->a);
    free(m->b);
}

static causa_scm *build_model(causa_ctx *ctx, int64_t p, double **weights_out) {
    causa_graph *g = NULL;
    causa_scm *scm = NULL;
    if (causa_graph_random_dag(ctx, p, 3.0, 2385, &g) || causa_scm_new(ctx, g, &scm)) {
        fprintf(stderr, "bench_sample: %s\n", causa_errmsg(ctx));
        exit(1);
    }
    causa_rng r;
    causa_rng_init(&r, 7, 0);
    causa_dist noise = causa_dist_gaussian(0, 1);
    double *all = calloc((size_t)(p * p), sizeof *all); /* all[v * p + u]: weight u -> v */
    for (int64_t v = 0; v < p; v++) {
        int64_t np = 0;
        const int64_t *par = causa_scm_parents(scm, v, &np);
        double w[256];
        for (int64_t k = 0; k < np && k < 256; k++) {
            double m = 0.3 + 0.5 * causa_rng_uniform(&r);
            w[k] = causa_rng_uniform(&r) < 0.5 ? -m : m;
            all[v * p + par[k]] = w[k];
        }
        int rc = np == 0 ? causa_scm_set_root(ctx, scm, v, &noise)
                         : causa_scm_set_linear(ctx, scm, v, 0.0, w, &noise);
        if (rc) {
            fprintf(stderr, "bench_sample: %s\n", causa_errmsg(ctx));
            exit(1);
        }
    }
    causa_graph_free(g);
    *weights_out = all;
    return scm;
}

static double time_sample(causa_ctx *ctx, const causa_scm *scm, int64_t n, int reps) {
    double t[16];
    if (reps > 16) reps = 16;
    causa_dataset *ds = NULL;
    /* warm-up */
    if (causa_scm_sample(ctx, scm, n / 10 > 0 ? n / 10 : 1, NULL, &ds)) {
        fprintf(stderr, "bench_sample: %s\n", causa_errmsg(ctx));
        exit(1);
    }
    causa_dataset_free(ds);
    double c[16];
    for (int r = 0; r < reps; r++) {
        double t0 = now(), c0 = cpu_now();
        if (causa_scm_sample(ctx, scm, n, NULL, &ds)) {
            fprintf(stderr, "bench_sample: %s\n", causa_errmsg(ctx));
            exit(1);
        }
        t[r] = now() - t0;
        c[r] = cpu_now() - c0;
        causa_dataset_free(ds);
        ds = NULL;
    }
    last_cpu = median(c, reps);
    return median(t, reps);
}

static double time_sample_into(causa_ctx *ctx, const causa_scm *scm, int64_t n, int reps,
                               double *buf) {
    double t[16];
    if (reps > 16) reps = 16;
    if (causa_scm_sample_into(ctx, scm, n / 10 > 0 ? n / 10 : 1, NULL, buf, n)) {
        fprintf(stderr, "bench_sample: %s\n", causa_errmsg(ctx));
        exit(1);
    }
    double c[16];
    for (int r = 0; r < reps; r++) {
        double t0 = now(), c0 = cpu_now();
        if (causa_scm_sample_into(ctx, scm, n, NULL, buf, n)) {
            fprintf(stderr, "bench_sample: %s\n", causa_errmsg(ctx));
            exit(1);
        }
        t[r] = now() - t0;
        c[r] = cpu_now() - c0;
    }
    last_cpu = median(c, reps);
    return median(t, reps);
}

/* DoWhy-GCM's draw_samples on the same model; seconds for `rows` rows, or -1.
 *
 * The script builds the SCM with upstream DoWhy-GCM's own classes: a root node is a
 * ScipyDistribution(norm, loc=0, scale=1); any other node an AdditiveNoiseModel of a
 * SklearnRegressionModel(LinearRegression) with that same noise. draw_samples refuses a model
 * whose nodes were not fitted (it checks the parents recorded by gcm.fit), so gcm.fit runs
 * first on 200 rows of stand-in data; then each LinearRegression's coef_ and intercept_ are
 * set to the true weights (the noise, with fixed parameters, is not refitted). Parents are
 * weighted in DoWhy's column order, get_ordered_predecessors: the names sorted as strings.
 * It prints the median of 3 timed draws (after one of 1000 rows), then a check of the last
 * draw against the model's analytic covariance (I-W)^-1 (I-W)^-T: the largest relative error
 * of a node's variance and the largest covariance error on the correlation scale. */
static double peer_dowhy(const char *tree, const double *w, int64_t p, long rows) {
    char script[] = "/tmp/causa-bench-dowhy-XXXXXX";
    int fd = mkstemp(script);
    if (fd < 0) return -1;
    FILE *f = fdopen(fd, "w");
    fprintf(f, "import sys, time\nsys.path.insert(0, %s%s%s)\n", "'", tree, "'");
    fprintf(f,
            "import warnings\nwarnings.filterwarnings('ignore')\n"
            "import numpy as np, networkx as nx, pandas as pd, scipy.stats\n"
            "from dowhy import gcm\n"
            "from sklearn.linear_model import LinearRegression\n"
            "gcm.config.disable_progress_bars()\n"
            "p = %lld\nW = np.array([", (long long)p);
    for (int64_t i = 0; i < p * p; i++) fprintf(f, "%s%.17g", i ? "," : "", w[i]);
    fprintf(f,
            "]).reshape(p, p)\n"
            "names = ['X%%d' %% (i + 1) for i in range(p)]\n"
            "g = nx.DiGraph()\ng.add_nodes_from(names)\n"
            "for v in range(p):\n"
            "    for u in range(p):\n"
            "        if W[v, u] != 0: g.add_edge(names[u], names[v])\n"
            "scm = gcm.StructuralCausalModel(g)\n"
            "def noise(): return gcm.ScipyDistribution(scipy.stats.norm, loc=0, scale=1)\n"
            "for name in names:\n"
            "    if not list(g.predecessors(name)):\n"
            "        scm.set_causal_mechanism(name, noise())\n"
            "    else:\n"
            "        scm.set_causal_mechanism(name, gcm.AdditiveNoiseModel(gcm.ml.SklearnRegressionModel(LinearRegression()), noise_model=noise()))\n"
            "gcm.fit(scm, pd.DataFrame(np.random.default_rng(0).standard_normal((200, p)), columns=names))\n"
            "for v, name in enumerate(names):\n"
            "    pa = sorted(g.predecessors(name))\n"
            "    if pa:\n"
            "        lr = scm.causal_mechanism(name).prediction_model.sklearn_model\n"
            "        lr.coef_ = W[v, [names.index(s) for s in pa]].copy(); lr.intercept_ = 0.0\n"
            "gcm.draw_samples(scm, 1000)\n"
            "t = []\n"
            "for r in range(3):\n"
            "    t0 = time.perf_counter(); d = gcm.draw_samples(scm, %ld); t.append(time.perf_counter() - t0)\n"
            "t.sort()\n"
            "A = np.linalg.inv(np.eye(p) - W); S = A @ A.T; sd = np.sqrt(np.diag(S))\n"
            "C = np.cov(d[names].to_numpy(), rowvar=False)\n"
            "print(t[1], np.max(np.abs(np.diag(C) / np.diag(S) - 1)), np.max(np.abs(C - S) / np.outer(sd, sd)))\n",
            rows);
    fclose(f);
    const char *py = getenv("PYTHON");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null", py && *py ? py : "/usr/bin/python3", script);
    FILE *pp = popen(cmd, "r");
    double secs = -1, var_err = -1, cov_err = -1;
    if (pp) {
        if (fscanf(pp, "%lf %lf %lf", &secs, &var_err, &cov_err) != 3) secs = -1;
        if (pclose(pp) != 0) secs = -1;
    }
    unlink(script);
    if (secs >= 0)
        fprintf(stderr,
                "bench_sample: DoWhy-GCM's %ld rows vs the model's analytic covariance: node variances "
                "within %.2g%%, covariances within %.2g (correlation scale)\n",
                rows, 100.0 * var_err, cov_err);
    return secs;
}

int main(void) {
    int64_t n = env_long("BENCH_ROWS", 10000000), p = 100;
    int reps = (int)env_long("BENCH_REPS", 3);
    if (reps < 1) reps = 1;
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(NULL, &ctx)) return 1;
    double *w = NULL;
    causa_scm *scm = build_model(ctx, p, &w);
    double bw = 0;
    {
        memcpy_probe m;
        if (probe_init(&m) == 0) bw = probe_run(&m, 5);
        probe_free(&m);
    }
    fprintf(stderr, "bench_sample: 100-node linear SCM (%lld edges), %lld rows; memcpy %.2f GB/s\n",
            (long long)causa_graph_nedges(causa_scm_graph(scm)), (long long)n, bw / 1e9);
    const char *tree = getenv("CAUSA_PEER_DOWHY");
    double peer = -1;
    long peer_rows = env_long("BENCH_PEER_ROWS", 100000);
    if (tree && *tree) {
        peer = peer_dowhy(tree, w, p, peer_rows);
        if (peer < 0) fprintf(stderr, "bench_sample: DoWhy at %s did not run; no peer column\n", tree);
        else fprintf(stderr, "bench_sample: DoWhy-GCM draw_samples: %.3f s for %ld rows\n", peer, peer_rows);
    } else {
        fprintf(stderr, "bench_sample: CAUSA_PEER_DOWHY not set; no DoWhy-GCM column\n");
    }
    double bytes = (double)n * (double)p * 8.0;
    /* A new data set per run: its pages first touched by the sampler. */
    double t1 = 0;
    for (int threads = 1; threads <= 2; threads++) {
        causa_ctx_set_threads(ctx, threads);
        double t = time_sample(ctx, scm, n, reps);
        if (threads == 1) t1 = t;
        char name[128], thr[192], lim[64], peer_s[32] = "-", ratio[32] = "-";
        snprintf(name, sizeof name, "sample linear p=100 n=%.3gM %d thread%s, new data set", (double)n / 1e6,
                 threads, threads > 1 ? "s" : "");
        snprintf(thr, sizeof thr, "%.3g Gcells/s, %.2f GB/s (%.0f%% of memcpy); per core by CPU time %.2f GB/s",
                 (double)n * (double)p / t / 1e9, bytes / t / 1e9, bw > 0 ? 100.0 * bytes / t / bw : 0.0,
                 bytes / (last_cpu > 0 ? last_cpu : t) / 1e9);
        if (threads == 2) {
            size_t l = strlen(thr);
            snprintf(thr + l, sizeof thr - l, ", x%.2f vs 1 thread", t1 / t);
        }
        snprintf(lim, sizeof lim, "memcpy %.2f GB/s", bw / 1e9);
        if (peer > 0) {
            double scaled = peer * (double)n / (double)peer_rows;
            snprintf(peer_s, sizeof peer_s, "%.4g", scaled);
            snprintf(ratio, sizeof ratio, "%.0f", scaled / t);
        }
        printf("%s\t%.4g\t%s\t%s\t%s\t%s\t%s\n", name, t, peer > 0 ? "dowhy-gcm draw_samples" : "-",
               peer_s, ratio, thr, lim);
        fflush(stdout);
    }
    /* A buffer reused across runs (as memcpy's is), in rounds: memcpy's bandwidth, one
     * thread and two threads, the order of the two alternating between rounds. This VM's
     * speed drifts by tens of per cent within a minute, so each round's share of memcpy and
     * two-thread speed-up are taken within the round, and their medians reported. */
    double *buf = malloc((size_t)bytes);
    memcpy_probe probe;
    if (!buf || probe_init(&probe)) {
        fprintf(stderr, "bench_sample: no memory for the reused buffer\n");
        free(buf);
        free(w);
        causa_scm_free(scm);
        causa_ctx_free(ctx);
        return 1;
    }
    memset(buf, 0, (size_t)bytes);
    int rounds = (int)env_long("BENCH_ROUNDS", 5);
    if (rounds < 1) rounds = 1;
    if (rounds > 16) rounds = 16;
    double tt[2][16], cc[2][16], share[16], speedup[16], bws[16];
    for (int r = 0; r < rounds; r++) {
        bws[r] = probe_run(&probe, 3);
        for (int k = 0; k < 2; k++) {
            int threads = (r + k) % 2 ? 2 : 1; /* 1, 2 in even rounds; 2, 1 in odd */
            causa_ctx_set_threads(ctx, threads);
            tt[threads - 1][r] = time_sample_into(ctx, scm, n, 1, buf);
            cc[threads - 1][r] = last_cpu;
        }
        share[r] = bytes / tt[0][r] / bws[r];
        speedup[r] = tt[0][r] / tt[1][r];
    }
    double share_med = median(share, rounds), speedup_med = median(speedup, rounds), bw_med = median(bws, rounds);
    for (int threads = 1; threads <= 2; threads++) {
        double t = median(tt[threads - 1], rounds), c = median(cc[threads - 1], rounds);
        char name[128], thr[320], lim[64];
        snprintf(name, sizeof name, "sample linear p=100 n=%.3gM %d thread%s, reused buffer", (double)n / 1e6,
                 threads, threads > 1 ? "s" : "");
        snprintf(thr, sizeof thr, "%.3g Gcells/s, %.2f GB/s (%.0f%% of memcpy); per core by CPU time %.2f GB/s",
                 (double)n * (double)p / t / 1e9, bytes / t / 1e9, 100.0 * bytes / t / bw_med, bytes / c / 1e9);
        size_t l = strlen(thr);
        if (threads == 1)
            snprintf(thr + l, sizeof thr - l, "; median of %d rounds' share of memcpy %.0f%%", rounds,
                     100.0 * share_med);
        else
            snprintf(thr + l, sizeof thr - l, ", x%.2f vs 1 thread (median of %d rounds' ratios x%.2f)",
                     median(tt[0], rounds) / t, rounds, speedup_med);
        snprintf(lim, sizeof lim, "memcpy %.2f GB/s", bw_med / 1e9);
        printf("%s\t%.4g\t-\t-\t-\t%s\t%s\n", name, t, thr, lim);
        fflush(stdout);
    }
    probe_free(&probe);
    free(buf);
    free(w);
    causa_scm_free(scm);
    causa_ctx_free(ctx);
    return 0;
}
