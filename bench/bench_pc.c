/*
 * bench_pc.c: PC-stable with Fisher-z on linear-Gaussian data, by phase, and against pcalg.
 *
 * Data (generated here, seeded): an Erdos-Renyi DAG over a random order with expected
 * degree 2 (causa_graph_random_dag), each edge weight uniform on +-[0.5, 2], standard normal
 * noise, every column standardised. Cases p / n: 100 / 10 000, 500 / 20 000, 1 000 / 10 000,
 * and 10 000 / 10 000 when CAUSA_BENCH_BIG=1 (minutes, about 3 GB; on 2 threads only, the
 * configuration the issue sets a limit for). alpha = 0.01, no depth limit, causa's defaults
 * otherwise.
 *
 * Per case and thread count (1 and 2), the median over repeated runs (31 at p = 100 and
 * p = 500, 21 at 1 000, 1 at 10 000; the two thread counts alternate; this VM's speed moves
 * for seconds at a time, and fewer runs let one slow spell set a median) of:
 *   statistics   causa_citest_new: means, X'X of the centred data by the Gram kernel
 *                (src/linalg/gram.c: AVX-512/AVX2 packed micro-kernels), correlation;
 *                its rate is reported as GFLOP/s with a count of n p (p + 1) flops, the
 *                multiply-adds of the p (p + 1) / 2 distinct entries of X'X, 2 flops each
 *                (centring and scaling are O(n p) and not counted), next to the limit:
 *                one core's peak FMA rate, measured here with register-resident chains in
 *                the widest vector the processor has (times the thread count);
 *   skeleton and orientation, from the result's report; CI tests per second = skeleton tests
 *   / skeleton seconds. The row's time is statistics + skeleton + orientation (loading
 *   excluded on both sides); the 2-thread row gives its speed-up over 1 thread, and next to
 *   it the machine's own two-core capacity on the same job, measured in the same
 *   repetitions: two independent 1-thread runs started together (threads of this program,
 *   each with its own context), their throughput over the repetition's 1-thread run. On a
 *   shared VM that capacity moves from one spell to the next, and it bounds any two-thread
 *   speed-up; the row also gives the median of the repetitions' speed-up / capacity.
 *
 * Peer (optional): with CAUSA_PEER_PCALG set (to an R library folder holding pcalg, or to 1
 * for R's default library path), the same data go through bench/peer_pcalg_pc.R: pcalg's
 * cor() + pc(skel.method = "stable.fast", gaussCItest) at the same alpha, timed the same way
 * (its CSV loading reported separately), under CAUSA_PEER_TIMEOUT seconds (default 1800);
 * the row then also says whether the two skeletons are the same. The 10 000-variable case
 * runs the peer only with CAUSA_PEER_BIG=1. With CAUSA_BENCH_DATA_DIR=DIR the data are also
 * written there as pc_pP_nN.csv (for running a peer by hand). Nothing here fetches or
 * builds a peer.
 *
 * Output: one tab-separated row per case and thread count on stdout (bench/run.sh's
 * format); details on stderr.
 */
#include <math.h>
#include <pthread.h>
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

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The core's peak double-precision FMA rate, measured: 24 independent chains of vector
 * fused multiply-adds in registers (enough to cover the latency of two FMA ports), in the
 * widest vector the processor has; GFLOP/s counting 2 flops per lane. The physical limit the
 * correlation step's rate is compared with. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define PEAK_LOOP(T, SET1, FMA, W)                                                               \
    T acc[24];                                                                                   \
    for (int i = 0; i < 24; i++) acc[i] = SET1(1.0 + 1e-9 * i);                                 \
    T m = SET1(0.999999999), c = SET1(1e-9);                                                     \
    double t0 = now();                                                                           \
    for (long it = 0; it < iters; it++)                                                          \
        _Pragma("GCC unroll 24") for (int i = 0; i < 24; i++) acc[i] = FMA(acc[i], m, c);        \
    double t = now() - t0;                                                                       \
    T sum = acc[0];                                                                              \
    for (int i = 1; i < 24; i++) sum = FMA(acc[i], m, sum);                                      \
    double lanes[W];                                                                             \
    memcpy(lanes, &sum, sizeof lanes);                                                           \
    sink = lanes[0];                                                                             \
    return (double)iters * 24 * W * 2 / t * 1e-9;
static volatile double sink;
__attribute__((target("avx512f"))) static double peak512(long iters) {
    PEAK_LOOP(__m512d, _mm512_set1_pd, _mm512_fmadd_pd, 8)
}
__attribute__((target("avx2,fma"))) static double peak256(long iters) {
    PEAK_LOOP(__m256d, _mm256_set1_pd, _mm256_fmadd_pd, 4)
}
static double fma_peak_gflops(void) {
    __builtin_cpu_init();
    double best = 0;
    for (int r = 0; r < 5; r++) {
        double g = __builtin_cpu_supports("avx512f") ? peak512(20000000)
                   : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? peak256(20000000)
                                                                                     : 0;
        if (g > best) best = g;
    }
    return best;
}
#else
static double fma_peak_gflops(void) { return 0; }
#endif
static double peak_gflops;

static void die(causa_ctx *ctx, const char *what, int rc) {
    fprintf(stderr, "bench_pc: %s failed: %s: %s\n", what, causa_strerror(rc), ctx ? causa_errmsg(ctx) : "");
    exit(1);
}
#define TRY(what, call)                                                                    \
    do {                                                                                   \
        int rc_ = (call);                                                                  \
        if (rc_ != CAUSA_OK) die(ctx, what, rc_);                                          \
    } while (0)

/* ---- the generator ---- */

static causa_dataset *generate(causa_ctx *ctx, int64_t p, int64_t n, uint64_t seed, int64_t *true_edges) {
    causa_graph *dag = NULL;
    causa_dataset *ds = NULL;
    TRY("random DAG", causa_graph_random_dag(ctx, p, 2.0, seed, &dag));
    *true_edges = causa_graph_nedges(dag);
    int64_t *order = malloc((size_t)p * sizeof *order), *par = malloc((size_t)p * sizeof *par);
    if (!order || !par) die(NULL, "allocation", CAUSA_ENOMEM);
    TRY("topological order", causa_graph_topological_order(ctx, dag, order));
    TRY("data set", causa_dataset_new(ctx, n, p, &ds));
    double *x = causa_dataset_data_mut(ds);
    for (int64_t k = 0; k < p; k++) {
        int64_t v = order[k], np = 0;
        double *col = x + v * n;
        causa_rng rng;
        causa_rng_init(&rng, seed, (uint64_t)v + 1); /* one stream per variable */
        for (int64_t i = 0; i < n; i++) col[i] = causa_rng_normal(&rng);
        TRY("parents", causa_graph_parents(ctx, dag, v, par, &np));
        for (int64_t j = 0; j < np; j++) {
            double w = (0.5 + 1.5 * causa_rng_uniform(&rng)) * (causa_rng_uniform(&rng) < 0.5 ? -1.0 : 1.0);
            const double *pc = x + par[j] * n;
            for (int64_t i = 0; i < n; i++) col[i] += w * pc[i];
        }
    }
    for (int64_t v = 0; v < p; v++) {
        double *col = x + v * n, m = 0, s = 0;
        for (int64_t i = 0; i < n; i++) m += col[i];
        m /= (double)n;
        for (int64_t i = 0; i < n; i++) s += (col[i] - m) * (col[i] - m);
        s = sqrt(s / (double)(n - 1));
        for (int64_t i = 0; i < n; i++) col[i] = (col[i] - m) / s;
    }
    free(order);
    free(par);
    causa_graph_free(dag);
    return ds;
}

/* ---- one causa run ---- */

typedef struct run {
    double stats, skel, orient, tests;
    int64_t edges;
    size_t peak;
    unsigned char *skeleton; /* upper triangle, p (p - 1) / 2 bytes, from the last run */
} run;

static void run_causa(const causa_dataset *ds, int threads, double alpha, run *out, int keep_skeleton) {
    causa_ctx *ctx = NULL;
    causa_ctx_config cfg;
    causa_ctx_config_init(&cfg);
    cfg.threads = threads;
    if (causa_ctx_new(&cfg, &ctx) != CAUSA_OK) die(NULL, "context", CAUSA_ENOMEM);
    causa_citest_options to;
    causa_citest_options_init(&to);
    to.alpha = alpha;
    causa_citest *test = NULL;
    double t0 = now();
    TRY("statistics", causa_citest_new(ctx, ds, &to, &test));
    out->stats = now() - t0;
    causa_discover_options opt;
    causa_discover_options_init(&opt);
    opt.alpha = alpha;
    causa_discovery *r = NULL;
    TRY("PC", causa_discover(ctx, test, &opt, &r));
    out->skel = causa_discovery_seconds(r, CAUSA_PHASE_SKELETON);
    out->orient = causa_discovery_seconds(r, CAUSA_PHASE_ORIENTATION);
    out->tests = (double)causa_discovery_ntests(r, -1);
    const causa_graph *g = causa_discovery_graph(r);
    out->edges = causa_graph_nedges(g);
    if (keep_skeleton) {
        int64_t p = causa_graph_nnodes(g);
        out->skeleton = calloc((size_t)(p * (p - 1) / 2 + 1), 1);
        for (int64_t a = 0; a < p && out->skeleton; a++)
            for (int64_t k = 0; k < causa_graph_degree(g, a); k++) {
                int64_t b;
                causa_graph_neighbor(g, a, k, &b, NULL, NULL);
                if (b > a) out->skeleton[b * (b - 1) / 2 + a] = 1;
            }
    }
    causa_discovery_free(r);
    causa_citest_free(test);
    out->peak = causa_ctx_peak_bytes(ctx);
    causa_ctx_free(ctx);
}

/* ---- the peer ---- */

typedef struct peer {
    int ran;
    double load, cor, pc, tests;
    int64_t edges, differ;
} peer;

static void run_pcalg(const char *csv, int64_t p, double alpha, const unsigned char *skeleton, peer *out) {
    memset(out, 0, sizeof *out);
    const char *lib = getenv("CAUSA_PEER_PCALG");
    if (!lib || !*lib || !csv) return;
    const char *to = getenv("CAUSA_PEER_TIMEOUT") ? getenv("CAUSA_PEER_TIMEOUT") : "1800";
    char edges[4200], cmd[8192];
    snprintf(edges, sizeof edges, "%s.pcalg-edges", csv);
    snprintf(cmd, sizeof cmd, "%s%s%s timeout %s Rscript bench/peer_pcalg_pc.R '%s' %g '%s' 2>/dev/null",
             strcmp(lib, "1") ? "R_LIBS='" : "", strcmp(lib, "1") ? lib : "", strcmp(lib, "1") ? "'" : "", to,
             csv, alpha, edges);
    FILE *pipe = popen(cmd, "r");
    if (!pipe) return;
    long long ne = 0;
    double nt = 0;
    int got = fscanf(pipe, "%lf %lf %lf %lld %lf", &out->load, &out->cor, &out->pc, &ne, &nt);
    int status = pclose(pipe);
    if (got != 5 || status != 0) {
        fprintf(stderr, "bench_pc: pcalg did not finish on %s (timeout %s s?)\n", csv, to);
        return;
    }
    out->ran = 1;
    out->edges = ne;
    out->tests = nt;
    /* compare the skeletons */
    unsigned char *mine = calloc((size_t)(p * (p - 1) / 2 + 1), 1);
    FILE *f = fopen(edges, "r");
    long long a, b;
    while (mine && f && fscanf(f, "%lld %lld", &a, &b) == 2) {
        int64_t x = a - 1, y = b - 1;
        if (x > y) {
            int64_t t = x;
            x = y;
            y = t;
        }
        mine[y * (y - 1) / 2 + x] = 1;
    }
    if (f) fclose(f);
    remove(edges);
    for (int64_t k = 0; mine && skeleton && k < p * (p - 1) / 2; k++) out->differ += mine[k] != skeleton[k];
    free(mine);
}

/* ---- the machine's own two-core capacity ---- */

/* Two independent one-thread runs at once, started together: what two cores give when
 * nothing is shared but the machine (caches, memory, a hypervisor's neighbours). The best
 * a two-thread run of one job could do on the same machine at the same moment. */
typedef struct pair_job {
    const causa_dataset *ds;
    double alpha, seconds;
    pthread_barrier_t *start;
} pair_job;

static void *pair_worker(void *arg) {
    pair_job *j = arg;
    run one;
    memset(&one, 0, sizeof one);
    pthread_barrier_wait(j->start);
    run_causa(j->ds, 1, j->alpha, &one, 0);
    j->seconds = one.stats + one.skel + one.orient;
    return NULL;
}

/* Two one-thread runs at once, started together; returns their mean time. */
static double run_pair(const causa_dataset *ds, double alpha) {
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    pair_job jobs[2] = {{ds, alpha, 0, &start}, {ds, alpha, 0, &start}};
    pthread_t th;
    pthread_create(&th, NULL, pair_worker, &jobs[1]);
    pair_worker(&jobs[0]);
    pthread_join(th, NULL);
    pthread_barrier_destroy(&start);
    return 0.5 * (jobs[0].seconds + jobs[1].seconds);
}

/* ---- a case ---- */

static void bench_case(int64_t p, int64_t n, int reps, const char *dir, int peer_ok, int only_two) {
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(NULL, &ctx) != CAUSA_OK) die(NULL, "context", CAUSA_ENOMEM);
    double alpha = 0.01;
    int64_t true_edges = 0;
    double tg = now();
    causa_dataset *ds = generate(ctx, p, n, (uint64_t)(p * 1000003 + n), &true_edges);
    fprintf(stderr, "bench_pc: p = %lld, n = %lld: %lld true edges, data generated in %.2f s\n",
            (long long)p, (long long)n, (long long)true_edges, now() - tg);
    char csv[4096] = "";
    int tmpdir = 0;
    if (dir || peer_ok) {
        if (!dir) {
            char tmpl[] = "/tmp/causa-bench-pc-XXXXXX";
            if (!mkdtemp(tmpl)) die(NULL, "temporary folder", CAUSA_EIO);
            snprintf(csv, sizeof csv, "%s/pc_p%lld_n%lld.csv", tmpl, (long long)p, (long long)n);
            tmpdir = 1;
        } else {
            snprintf(csv, sizeof csv, "%s/pc_p%lld_n%lld.csv", dir, (long long)p, (long long)n);
        }
        TRY("writing the CSV", causa_csv_write(ctx, ds, csv));
    }
    double total[2] = {0, 0};
    run last[2];
    memset(last, 0, sizeof last);
    /* Each repetition makes a 1-thread run, a 2-thread run and a pair of 1-thread runs at
     * once (the machine's two-core capacity at that moment: 2 x the 1-thread time / the
     * pair's mean time), in an order that rotates from one repetition to the next, so slow
     * spells of a shared machine fall on all three alike. The speed-up is reported as the
     * ratio of the medians and as the median of each repetition's ratio, next to the median
     * capacity and the median of each repetition's speed-up / capacity. */
    double *tot[2], *st[2], *sk[2], *orr[2], *ratio = malloc((size_t)reps * sizeof *ratio);
    double *cap = malloc((size_t)reps * sizeof *cap), *share = malloc((size_t)reps * sizeof *share);
    for (int ti = 0; ti < 2; ti++) {
        tot[ti] = malloc((size_t)reps * sizeof *tot[ti]);
        st[ti] = malloc((size_t)reps * sizeof *st[ti]);
        sk[ti] = malloc((size_t)reps * sizeof *sk[ti]);
        orr[ti] = malloc((size_t)reps * sizeof *orr[ti]);
    }
    for (int r = 0; r < reps; r++) {
        double pair = 0;
        for (int k = 0; k < 3; k++) {
            int what = (k + r) % 3; /* 0 or 1: a run on what + 1 threads; 2: the pair */
            if (only_two && what != 1) continue;
            if (what == 2) {
                pair = run_pair(ds, alpha);
                continue;
            }
            int ti = what;
            run one;
            memset(&one, 0, sizeof one);
            run_causa(ds, ti + 1, alpha, &one, r == reps - 1 && (ti == 0 || only_two));
            tot[ti][r] = one.stats + one.skel + one.orient;
            st[ti][r] = one.stats;
            sk[ti][r] = one.skel;
            orr[ti][r] = one.orient;
            if (r == reps - 1) last[ti] = one;
            else free(one.skeleton);
        }
        if (!only_two) {
            ratio[r] = tot[0][r] / tot[1][r];
            cap[r] = 2.0 * tot[0][r] / pair;
            share[r] = ratio[r] / cap[r];
        }
    }
    double median_ratio = only_two ? 0 : median(ratio, reps);
    double median_cap = only_two ? 0 : median(cap, reps), median_share = only_two ? 0 : median(share, reps);
    for (int ti = only_two ? 1 : 0; ti < 2; ti++) {
        int threads = ti + 1;
        total[ti] = median(tot[ti], reps);
        double mst = median(st[ti], reps), msk = median(sk[ti], reps), mor = median(orr[ti], reps);
        double gflops = (double)n * (double)p * (double)(p + 1) / mst * 1e-9;
        double rate = last[ti].tests / msk;
        fprintf(stderr,
                "bench_pc: p = %lld, n = %lld, %d thread%s: statistics %.3f s (%.2f GFLOP/s), skeleton %.3f s "
                "(%.0f tests, %.3g tests/s), orientation %.3f s, %lld edges, peak %.0f MB\n",
                (long long)p, (long long)n, threads, threads > 1 ? "s" : "", mst, gflops, msk, last[ti].tests, rate,
                mor, (long long)last[ti].edges, (double)last[ti].peak / 1e6);
        char label[96], thr[192], note[512];
        snprintf(label, sizeof label, "pc p=%lld n=%lld %d thread%s", (long long)p, (long long)n, threads,
                 threads > 1 ? "s" : "");
        snprintf(thr, sizeof thr, "%.3g tests/s; corr %.1f GFLOP/s", rate, gflops);
        if (peak_gflops > 0)
            snprintf(thr + strlen(thr), sizeof thr - strlen(thr), " (%.0f%% of %d x %.0f FMA peak)",
                     100.0 * gflops / (peak_gflops * threads), threads, peak_gflops);
        if (ti == 0 || only_two) {
            peer pr;
            memset(&pr, 0, sizeof pr);
            if (peer_ok) run_pcalg(csv, p, alpha, last[ti].skeleton, &pr);
            snprintf(note, sizeof note, "stats %.3g + skeleton %.3g + orientation %.3g s", mst, msk, mor);
            if (pr.ran) {
                fprintf(stderr,
                        "bench_pc: pcalg: load %.2f s, cor %.2f s, pc %.2f s, %lld edges, %.0f tests; skeletons %s\n",
                        pr.load, pr.cor, pr.pc, (long long)pr.edges, pr.tests,
                        pr.differ ? "DIFFER" : "are the same");
                snprintf(note + strlen(note), sizeof note - strlen(note), "; %s skeleton as pcalg%s",
                         pr.differ ? "NOT the same" : "same", pr.differ ? "!" : "");
                printf("%s\t%.3g\tpcalg stable.fast\t%.3g\t%.3g\t%s\t%s\n", label, total[ti], pr.cor + pr.pc,
                       (pr.cor + pr.pc) / total[ti], thr, note);
            } else {
                printf("%s\t%.3g\t-\t-\t-\t%s\t%s\n", label, total[ti], thr, note);
            }
        } else {
            fprintf(stderr,
                    "bench_pc: p = %lld, n = %lld: two independent 1-thread runs at once gave %.2fx one "
                    "core's throughput (median over the %d repetitions); two threads reached a median %.0f %% "
                    "of that\n",
                    (long long)p, (long long)n, median_cap, reps, 100.0 * median_share);
            snprintf(note, sizeof note,
                     "%.2fx the speed of 1 thread (median of the %d runs' ratios %.2fx); two 1-thread runs "
                     "at once, in the same repetitions: %.2fx one core's throughput (speed-up / that: "
                     "median %.0f %%)",
                     total[0] / total[1], reps, median_ratio, median_cap, 100.0 * median_share);
            printf("%s\t%.3g\t-\t-\t-\t%s\t%s\n", label, total[1], thr, note);
        }
        fflush(stdout);
    }
    for (int ti = 0; ti < 2; ti++) {
        free(tot[ti]);
        free(st[ti]);
        free(sk[ti]);
        free(orr[ti]);
    }
    free(ratio);
    free(cap);
    free(share);
    free(last[0].skeleton);
    free(last[1].skeleton);
    if (tmpdir) {
        remove(csv);
        char *slash = strrchr(csv, '/');
        if (slash) *slash = '\0';
        rmdir(csv);
    }
    causa_dataset_free(ds);
    causa_ctx_free(ctx);
}

int main(void) {
    const char *dir = getenv("CAUSA_BENCH_DATA_DIR");
    if (dir && !*dir) dir = NULL;
    int use_peer = getenv("CAUSA_PEER_PCALG") && *getenv("CAUSA_PEER_PCALG");
    int big = getenv("CAUSA_BENCH_BIG") && strcmp(getenv("CAUSA_BENCH_BIG"), "1") == 0;
    int peer_big = getenv("CAUSA_PEER_BIG") && strcmp(getenv("CAUSA_PEER_BIG"), "1") == 0;
    peak_gflops = fma_peak_gflops();
    fprintf(stderr, "bench_pc: one core's FMA peak, measured: %.1f GFLOP/s\n", peak_gflops);
    if (!use_peer) fprintf(stderr, "bench_pc: no peer (set CAUSA_PEER_PCALG to an R library with pcalg, or 1)\n");
    bench_case(100, 10000, 31, dir, use_peer, 0);
    bench_case(500, 20000, 31, dir, use_peer, 0);
    bench_case(1000, 10000, 21, dir, use_peer, 0);
    if (big) bench_case(10000, 10000, 1, dir, use_peer && peer_big, 1); /* the case: 2 threads */
    else fprintf(stderr, "bench_pc: p = 10 000, n = 10 000 skipped (set CAUSA_BENCH_BIG=1; minutes, GBs)\n");
    return 0;
}
