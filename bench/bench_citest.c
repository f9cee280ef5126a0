/*
 * bench_citest.c: conditional-independence tests per second.
 *
 *   g-square   n = 10 000 rows of 12 discrete variables (2-4 levels, a random network),
 *              |Z| = 0, 1, 2, 3;
 *   rcit       n = 10 000 and 100 000 rows of 6 continuous variables (nonlinear links),
 *              |Z| = 1 and 2;
 *   kci        n = 500 rows of the same kind, |Z| = 0, 1, 2;
 *   cg-lrt     n = 10 000 mixed rows (no peer), |Z| = 2.
 * Each case runs a fixed list of random queries (x, y, Z) through one prepared test and one
 * workspace, BLAS on one thread (as causa's algorithms run tests); the time of one test is the
 * median over repeated passes of the list divided by its length.
 *
 * Peer (optional): with CAUSA_PEER_CAUSALLEARN=/path/to/causal-learn (a checkout holding the
 * causallearn/ package), the same data and queries go to causal-learn's CIT through
 * bench/peer_causallearn_cit.py (its dependencies, such as momentchi2 for rcit, may be put on
 * the path with CAUSA_PEER_PYTHONPATH), each case under CAUSA_PEER_TIMEOUT seconds (default
 * 300), with its p-value cache emptied before every query. The rows then also report how far
 * causal-learn's p-values are from causa's (g-square and kci compute the same thing; rcit
 * draws other random features, so only its calibration is comparable). Nothing here fetches
 * or builds a peer.
 *
 * Output: one tab-separated row per case on stdout, as bench/run.sh expects; notes on stderr.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "causa.h"
#include "../src/linalg/linalg_i.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(causa_ctx *ctx, const char *what, int rc) {
    fprintf(stderr, "bench_citest: %s failed: %s: %s\n", what, causa_strerror(rc), ctx ? causa_errmsg(ctx) : "");
    exit(1);
}
#define TRY(what, call)                                                                    \
    do {                                                                                   \
        int rc_ = (call);                                                                  \
        if (rc_ != CAUSA_OK) die(ctx, what, rc_);                                          \
    } while (0)

/* ---- data ---- */

static const char *const LEVELS[] = {"0", "1", "2", "3", "4", "5", "6", "7"};

/* Discrete: each variable depends on up to two earlier ones (random conditional tables). */
static causa_dataset *discrete_data(causa_ctx *ctx, int64_t n, int64_t p) {
    causa_dataset *ds = NULL;
    TRY("causa_dataset_new", causa_dataset_new(ctx, n, p, &ds));
    double *v = causa_dataset_data_mut(ds);
    causa_rng r;
    causa_rng_init(&r, 2024, 0);
    int64_t lev[64], par[64][2];
    double tab[64][64][4];
    for (int64_t j = 0; j < p; j++) {
        lev[j] = 2 + (int64_t)causa_rng_below(&r, 3);
        par[j][0] = j > 0 ? (int64_t)causa_rng_below(&r, (uint64_t)j) : -1;
        par[j][1] = j > 1 ? (int64_t)causa_rng_below(&r, (uint64_t)j) : -1;
        for (int c = 0; c < 64; c++)
            for (int k = 0; k < 4; k++) tab[j][c][k] = 0.2 + causa_rng_uniform(&r) * (k < lev[j]);
    }
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < p; j++) {
            int64_t c = 0;
            for (int q = 0; q < 2; q++)
                if (par[j][q] >= 0) c = c * 4 + (int64_t)v[i + par[j][q] * n];
            double w[4];
            for (int k = 0; k < 4; k++) w[k] = k < lev[j] ? tab[j][c % 64][k] : 0;
            v[i + j * n] = (double)causa_rng_categorical(&r, w, 4);
        }
    for (int64_t j = 0; j < p; j++) TRY("causa_dataset_set_discrete", causa_dataset_set_discrete(ctx, ds, j, lev[j], LEVELS));
    return ds;
}

/* Continuous, nonlinear: Z1, Z2 roots; X, Y, W, U depend on them nonlinearly. */
static causa_dataset *nonlinear_data(causa_ctx *ctx, int64_t n, uint64_t seed) {
    causa_dataset *ds = NULL;
    TRY("causa_dataset_new", causa_dataset_new(ctx, n, 6, &ds));
    double *v = causa_dataset_data_mut(ds);
    causa_rng r;
    causa_rng_init(&r, seed, 0);
    for (int64_t i = 0; i < n; i++) {
        double z1 = causa_rng_normal(&r), z2 = causa_rng_uniform(&r) * 4 - 2;
        double x = tanh(1.5 * z1) + 0.3 * z2 + 0.4 * causa_rng_normal(&r);
        double y = exp(-0.5 * z1 * z1) + 0.2 * z2 * z2 + 0.4 * causa_rng_normal(&r);
        double w = sin(x) + 0.5 * y + 0.4 * causa_rng_normal(&r);
        double u = causa_rng_laplace(&r, 1.0);
        double row[6] = {z1, z2, x, y, w, u};
        for (int j = 0; j < 6; j++) v[i + j * n] = row[j];
    }
    return ds;
}

/* Mixed: D (3 levels), C, X (3 levels), Y continuous, E (2 levels), F continuous. */
static causa_dataset *mixed_data(causa_ctx *ctx, int64_t n) {
    causa_dataset *ds = NULL;
    TRY("causa_dataset_new", causa_dataset_new(ctx, n, 6, &ds));
    double *v = causa_dataset_data_mut(ds);
    causa_rng r;
    causa_rng_init(&r, 77, 0);
    for (int64_t i = 0; i < n; i++) {
        int64_t d = (int64_t)causa_rng_below(&r, 3);
        double c = 0.8 * (double)d + causa_rng_normal(&r);
        double wx[3] = {1, exp(0.7 * c), exp(-0.5 * c)};
        double x = (double)causa_rng_categorical(&r, wx, 3);
        double y = 0.5 * c + 0.3 * x + causa_rng_normal(&r);
        double e = causa_rng_uniform(&r) < 1 / (1 + exp(-y)) ? 1 : 0;
        double f = 0.4 * y - 0.6 * e + causa_rng_normal(&r);
        double row[6] = {(double)d, c, x, y, e, f};
        for (int j = 0; j < 6; j++) v[i + j * n] = row[j];
    }
    TRY("discrete", causa_dataset_set_discrete(ctx, ds, 0, 3, LEVELS));
    TRY("discrete", causa_dataset_set_discrete(ctx, ds, 2, 3, LEVELS));
    TRY("discrete", causa_dataset_set_discrete(ctx, ds, 4, 2, LEVELS));
    return ds;
}

/* ---- queries ---- */
#define MAXQ 64
typedef struct query {
    int64_t x, y, nz, z[3];
} query;

static int make_queries(int64_t p, int64_t nz, int nq, query *q, uint64_t seed) {
    causa_rng r;
    causa_rng_init(&r, seed, (uint64_t)nz);
    int64_t perm[64];
    for (int k = 0; k < nq; k++) {
        causa_rng_permutation(&r, perm, p);
        q[k].x = perm[0];
        q[k].y = perm[1];
        q[k].nz = nz;
        for (int64_t j = 0; j < nz; j++) q[k].z[j] = perm[2 + j];
    }
    return nq;
}

/* ---- the peer ---- */
typedef struct peer_result {
    char name[96];
    double secs; /* one test, or -1 */
    double pv[MAXQ];
    int npv;
} peer_result;

static void write_data(const causa_dataset *ds, const char *path) {
    FILE *f = fopen(path, "w");
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    for (int64_t j = 0; j < p; j++) fprintf(f, "%s%s", causa_dataset_name(ds, j), j + 1 < p ? " " : "\n");
    const double *v = causa_dataset_data(ds);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < p; j++) fprintf(f, "%.17g%s", v[i + j * n], j + 1 < p ? " " : "\n");
    fclose(f);
}

static void peer_run(const char *data, const query *q, int nq, const char *method, double budget,
                     peer_result *res) {
    res->secs = -1;
    res->npv = 0;
    snprintf(res->name, sizeof res->name, "-");
    const char *cl = getenv("CAUSA_PEER_CAUSALLEARN");
    if (!cl || !*cl || !data) return;
    const char *extra = getenv("CAUSA_PEER_PYTHONPATH") ? getenv("CAUSA_PEER_PYTHONPATH") : "";
    const char *py = getenv("PYTHON") && *getenv("PYTHON") ? getenv("PYTHON") : "/usr/bin/python3";
    const char *to = getenv("CAUSA_PEER_TIMEOUT") ? getenv("CAUSA_PEER_TIMEOUT") : "300";
    char qpath[] = "/tmp/causa-bench-cit-q-XXXXXX";
    int fd = mkstemp(qpath);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    for (int k = 0; k < nq; k++) {
        fprintf(f, "%lld %lld", (long long)q[k].x, (long long)q[k].y);
        for (int64_t j = 0; j < q[k].nz; j++) fprintf(f, " %lld", (long long)q[k].z[j]);
        fprintf(f, "\n");
    }
    fclose(f);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "timeout %s env OPENBLAS_NUM_THREADS=1 PYTHONPATH='%s:%s' '%s' bench/peer_causallearn_cit.py %s %s %s %g",
             to, cl, extra, py, data, qpath, method, budget);
    FILE *pipe = popen(cmd, "r");
    char line[1 << 14];
    int status = -1;
    if (pipe) {
        if (fgets(line, sizeof line, pipe)) {
            char *s = line, *end;
            res->secs = strtod(s, &end);
            if (end == s) res->secs = -1;
            s = end;
            while (res->npv < MAXQ) {
                double v = strtod(s, &end);
                if (end == s) break;
                res->pv[res->npv++] = v;
                s = end;
            }
        }
        status = pclose(pipe);
    }
    if (status != 0 || res->secs < 0) {
        res->secs = -1;
        snprintf(res->name, sizeof res->name, "causal-learn %s: failed or stopped", method);
    } else {
        snprintf(res->name, sizeof res->name, "causal-learn %s", method);
    }
    remove(qpath);
}

/* ---- one case ---- */
static void run_case(causa_ctx *ctx, const char *label, const causa_dataset *ds, const char *test,
                     int64_t nz, int nq, double budget, const char *data_path, const char *peer_method,
                     int compare_p) {
    causa_citest_options o;
    causa_citest_options_init(&o);
    o.name = test;
    causa_citest *t = NULL;
    causa_citest_work *w = NULL;
    TRY("causa_citest_new", causa_citest_new(ctx, ds, &o, &t));
    TRY("causa_citest_work_new", causa_citest_work_new(ctx, t, 3, &w));
    query q[MAXQ];
    make_queries(causa_dataset_ncol(ds), nz, nq, q, 11);
    double pv[MAXQ], times[1000];
    int reps = 0;
    double start = now();
    int blas = causa_i_blas_threads_begin();
    while (reps < 3 || (now() - start < budget && reps < 1000)) {
        double t0 = now();
        for (int k = 0; k < nq; k++) {
            causa_citest_result res;
            TRY("causa_citest_run", causa_citest_run(t, w, q[k].x, q[k].y, q[k].z, q[k].nz, &res));
            pv[k] = res.pvalue;
        }
        times[reps++] = (now() - t0) / nq;
    }
    causa_i_blas_threads_end(blas);
    qsort(times, (size_t)reps, sizeof *times, cmp_double);
    double med = times[reps / 2];
    peer_result peer;
    peer_run(peer_method ? data_path : NULL, q, nq, peer_method ? peer_method : "", budget, &peer);
    char peer_s[32] = "-", ratio[32] = "-", note[160] = "-";
    if (peer.secs > 0) {
        snprintf(peer_s, sizeof peer_s, "%.3g", peer.secs);
        snprintf(ratio, sizeof ratio, "%.3g", peer.secs / med);
        if (compare_p && peer.npv > 0) {
            double worst = 0;
            for (int k = 0; k < peer.npv && k < nq; k++) {
                double d = fabs(pv[k] - peer.pv[k]);
                if (peer.pv[k] > 1e-12) d /= peer.pv[k];
                if (d > worst) worst = d;
            }
            snprintf(note, sizeof note, "p-values within %.1e of the peer's", worst);
        }
    }
    printf("%s\t%.3g\t%s\t%s\t%s\t%.3g tests/s\t%s\n", label, med, peer.name, peer_s, ratio, 1.0 / med, note);
    fflush(stdout);
    fprintf(stderr, "bench-citest: %s: median of %d passes over %d queries\n", label, reps, nq);
    causa_citest_work_free(w);
    causa_citest_free(t);
}

int main(void) {
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(NULL, &ctx) != CAUSA_OK) return 1;
    int peer = getenv("CAUSA_PEER_CAUSALLEARN") && *getenv("CAUSA_PEER_CAUSALLEARN");
    char label[96];

    causa_dataset *disc = discrete_data(ctx, 10000, 12);
    char dpath[] = "/tmp/causa-bench-cit-d-XXXXXX";
    if (peer) {
        close(mkstemp(dpath));
        write_data(disc, dpath);
    }
    for (int64_t nz = 0; nz <= 3; nz++) {
        snprintf(label, sizeof label, "g-square n=10000 |Z|=%lld", (long long)nz);
        run_case(ctx, label, disc, "g-square", nz, 64, 1.0, dpath, "gsq", 1);
    }
    if (peer) remove(dpath);

    causa_dataset *big = nonlinear_data(ctx, 100000, 5);
    causa_dataset *mid = NULL;
    {
        causa_matrix m = causa_dataset_matrix(big);
        m.nrow = 10000;
        TRY("causa_dataset_from_matrix", causa_dataset_from_matrix(ctx, &m, NULL, &mid));
    }
    char cpath[] = "/tmp/causa-bench-cit-c-XXXXXX";
    if (peer) {
        close(mkstemp(cpath));
        write_data(mid, cpath);
    }
    for (int64_t nz = 1; nz <= 2; nz++) {
        snprintf(label, sizeof label, "rcit n=10000 |Z|=%lld", (long long)nz);
        run_case(ctx, label, mid, "rcit", nz, 8, 2.0, cpath, "rcit", 0);
    }
    if (peer) remove(cpath);
    char bpath[] = "/tmp/causa-bench-cit-b-XXXXXX";
    if (peer) {
        close(mkstemp(bpath));
        write_data(big, bpath);
    }
    for (int64_t nz = 1; nz <= 2; nz++) {
        snprintf(label, sizeof label, "rcit n=100000 |Z|=%lld", (long long)nz);
        run_case(ctx, label, big, "rcit", nz, 4, 3.0, bpath, "rcit", 0);
    }
    if (peer) remove(bpath);

    causa_dataset *small = nonlinear_data(ctx, 500, 6);
    char kpath[] = "/tmp/causa-bench-cit-k-XXXXXX";
    if (peer) {
        close(mkstemp(kpath));
        write_data(small, kpath);
    }
    for (int64_t nz = 0; nz <= 2; nz++) {
        snprintf(label, sizeof label, "kci n=500 |Z|=%lld", (long long)nz);
        run_case(ctx, label, small, "kci", nz, 6, 2.0, kpath, "kci", 1);
    }
    if (peer) remove(kpath);

    causa_dataset *mixed = mixed_data(ctx, 10000);
    run_case(ctx, "cg-lrt n=10000 |Z|=2 (mixed)", mixed, "cg-lrt", 2, 32, 1.0, NULL, NULL, 0);

    causa_dataset_free(disc);
    causa_dataset_free(big);
    causa_dataset_free(mid);
    causa_dataset_free(small);
    causa_dataset_free(mixed);
    causa_ctx_free(ctx);
    return 0;
}
