/*
 * bench_simulate.c: the random-SCM simulator, in data sets per second.
 *
 * Cases (each the median of 5 runs of K data sets of 20 nodes x 1 000 rows, expected
 * degree 2, ER graph, linear mechanisms, Gaussian noise, standardised: the defaults of
 * `causa simulate`):
 *   (a) in memory (causa_simulate with no visitor: graph, model and data are made and
 *       dropped), 1 thread and 2 threads; target >= 10 000 data sets per second per core;
 *   (b) written to files (causa_simulate_write: data.csv or data.npy, graph.json,
 *       model.json per data set) under $TMPDIR (default /dev/shm when it exists, a tmpfs,
 *       else /tmp); CSV on 1 thread, .npy on 1 and 2 threads;
 *   (c) the nonlinear mix (mechanism mixed, noise mixed, 20% discrete nodes), in memory,
 *       1 thread, for reference.
 * Machine reference, measured in the same run: the CPU time to draw the 20 000 standard
 * normals of one data set's noise by calling causa_rng_normal (one stream per node) and
 * nothing else, as data sets per CPU-second. (The sampler draws its noise eight lanes at a
 * time through the same ziggurat, src/core/rng_fill.c, so it beats this reference; it is
 * the cost scale of the noise, not a hard floor.) Throughput
 * is given per wall second and per CPU-second of the process (all threads): on a shared,
 * busy machine the CPU-time figure is the per-core rate; wall-time scaling from 1 to 2
 * threads needs two idle cores.
 *
 * Output: one tab-separated row per case on stdout (bench/run.sh's format: case, causa
 * median s, peer, peer s, ratio, throughput, machine limit); notes on stderr. K defaults
 * to 2 000; CAUSA_BENCH_SCALE=0.1 makes quick runs.
 */
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "causa.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds of the whole process (all threads): throughput per core that a busy machine
 * does not distort as much as wall time. */
static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void die(causa_ctx *ctx, const char *what, int rc) {
    fprintf(stderr, "bench_simulate: %s failed: %s: %s\n", what, causa_strerror(rc), ctx ? causa_errmsg(ctx) : "");
    exit(1);
}

#define REPS 5

/* The noise floor: seconds to draw nodes x rows standard normals, one stream per node. */
static double noise_floor(int64_t nodes, int64_t rows, int64_t k) {
    double *x = malloc((size_t)rows * sizeof *x), t[REPS], sink = 0;
    for (int r = 0; r < REPS; r++) {
        double t0 = cpu_now();
        for (int64_t d = 0; d < k; d++)
            for (int64_t v = 0; v < nodes; v++) {
                causa_rng rng;
                causa_rng_init(&rng, (uint64_t)d, (uint64_t)v);
                for (int64_t i = 0; i < rows; i++) x[i] = causa_rng_normal(&rng);
                sink += x[rows - 1];
            }
        t[r] = (cpu_now() - t0) / (double)k;
    }
    free(x);
    if (sink == 12345.678) fprintf(stderr, " ");
    return median(t, REPS);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Median wall seconds per data set; *cpu: median CPU seconds per data set. */
static double run(causa_ctx *ctx, const causa_sim_options *o, const char *dir, double *cpu) {
    double t[REPS], c[REPS];
    for (int r = 0; r < REPS; r++) {
        double t0 = now(), c0 = cpu_now();
        int rc = dir ? causa_simulate_write(ctx, o, dir) : causa_simulate(ctx, o, NULL, NULL);
        t[r] = (now() - t0) / (double)o->datasets;
        c[r] = (cpu_now() - c0) / (double)o->datasets;
        if (rc) die(ctx, dir ? "causa_simulate_write" : "causa_simulate", rc);
        if (dir) nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    *cpu = median(c, REPS);
    return median(t, REPS);
}

static void row(const char *name, double secs, double cpu, int threads, double floor_s, const char *note) {
    printf("%s\t%.3g\t-\t-\t-\t%.0f data sets/s wall (%.0f /s/thread); %.0f /s per CPU-second\t"
           "ref.: 20k causa_rng_normal calls %.0f /s per CPU-second; %s\n",
           name, secs, 1.0 / secs, 1.0 / secs / threads, 1.0 / cpu, 1.0 / floor_s, note);
    fflush(stdout);
}

int main(void) {
    double scale = 1.0;
    const char *s = getenv("CAUSA_BENCH_SCALE");
    if (s && atof(s) > 0) scale = atof(s);
    int64_t K = (int64_t)(2000 * scale);
    if (K < 20) K = 20;
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(NULL, &ctx)) die(NULL, "causa_ctx_new", CAUSA_ENOMEM);
    causa_sim_options o;
    causa_sim_options_init(&o);
    o.nodes = 20;
    o.degree = 2;
    o.n = 1000;
    o.datasets = K;
    o.seed = 1;
    double floor_s = noise_floor(o.nodes, o.n, K / 4 > 10 ? K / 4 : 10);
    int cores = causa_ncores();
    fprintf(stderr, "bench_simulate: %lld data sets of 20 nodes x 1000 rows per run, median of %d; %d cores\n",
            (long long)K, REPS, cores);

    /* (a) in memory */
    causa_ctx_set_threads(ctx, 1);
    double c1, t1 = run(ctx, &o, NULL, &c1);
    char note[128];
    snprintf(note, sizeof note, "target >= 10000 /s/core");
    row("simulate 20x1000 linear, memory, 1 thread", t1, c1, 1, floor_s, note);
    double t2 = t1;
    if (cores >= 2) {
        causa_ctx_set_threads(ctx, 2);
        double c2;
        t2 = run(ctx, &o, NULL, &c2);
        snprintf(note, sizeof note, "2 threads: %.2fx 1 thread", t1 / t2);
        row("simulate 20x1000 linear, memory, 2 threads", t2, c2, 2, floor_s, note);
    }

    /* (b) files: CSV (shortest round-trip text of every double) and .npy */
    const char *tmp = getenv("TMPDIR");
    struct stat st;
    if (!tmp) tmp = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/causa-bench-sim-%ld", tmp, (long)getpid());
    o.datasets = K / 20 > 10 ? K / 20 : 10;
    causa_ctx_set_threads(ctx, 1);
    double cf1, f1 = run(ctx, &o, dir, &cf1);
    snprintf(note, sizeof note, "data.csv + graph.json + model.json under %s", tmp);
    row("simulate 20x1000 linear, csv files, 1 thread", f1, cf1, 1, floor_s, note);
    o.data_format = 1;
    o.datasets = K / 4 > 10 ? K / 4 : 10;
    double cn1, n1 = run(ctx, &o, dir, &cn1);
    snprintf(note, sizeof note, "data.npy + graph.json + model.json under %s", tmp);
    row("simulate 20x1000 linear, npy files, 1 thread", n1, cn1, 1, floor_s, note);
    if (cores >= 2) {
        causa_ctx_set_threads(ctx, 2);
        double cn2, n2 = run(ctx, &o, dir, &cn2);
        snprintf(note, sizeof note, "npy files under %s; 2 threads: %.2fx 1 thread", tmp, n1 / n2);
        row("simulate 20x1000 linear, npy files, 2 threads", n2, cn2, 2, floor_s, note);
    }
    o.data_format = 0;

    /* (c) the nonlinear mix */
    o.datasets = K / 4 > 10 ? K / 4 : 10;
    o.mechanism = CAUSA_SIM_MIXED;
    o.noise = CAUSA_SIM_NOISE_MIXED;
    o.discrete_fraction = 0.2;
    causa_ctx_set_threads(ctx, 1);
    double cm1, m1 = run(ctx, &o, NULL, &cm1);
    row("simulate 20x1000 mixed+20% discrete, memory, 1 thread", m1, cm1, 1, floor_s,
        "poly/mlp/linear, pilot-standardised");
    causa_ctx_free(ctx);
    return 0;
}
