/*
 * bench_csv.c: data input speed. Generates numeric CSV files of standard normals in
 * $TMPDIR (200,000 rows x 50 columns, once printed with %.6g and once with %.17g), and a
 * .npy file of the same matrix, then times, median of 5 runs each after one warm-up:
 *   - causa_csv_read, against pandas.read_csv (when `import pandas` works);
 *   - causa_npy_read, against numpy.load (when `import numpy` works);
 *   - the machine limit: read() of the whole file into a buffer (what `cat >/dev/null`
 *     does), with the file in the page cache.
 * Also reports causa's throughput in CPU time (the process's own, which a busy machine
 * inflates much less than wall time) and its peak heap (causa_ctx_peak_bytes) relative to
 * the final matrix.
 *
 * Output: one line per case on stdout, tab-separated, as bench/run.sh expects:
 *   case  causa_s  peer  peer_s  ratio  throughput  limit
 * ratio is peer_s / causa_s (above 1: causa is faster). Notes go to stderr.
 * Environment: PYTHON (default /usr/bin/python3), BENCH_ROWS, BENCH_COLS, BENCH_REPS.
 */
#include <fcntl.h>
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

/* CPU time of this process: on a busy machine, wall time also counts the waits for a core. */
static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

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

/* ---- inputs ---- */

static int write_csv(const char *path, long n, long p, const char *fmt, causa_dataset **out) {
    causa_ctx *ctx = NULL;
    causa_ctx_new(NULL, &ctx);
    causa_dataset *ds = NULL;
    if (causa_dataset_new(ctx, n, p, &ds)) return -1;
    double *x = causa_dataset_data_mut(ds);
    causa_rng g;
    causa_rng_init(&g, 2385, 0);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    for (long j = 0; j < p; j++) fprintf(f, "%sV%ld", j ? "," : "", j + 1);
    fputc('\n', f);
    char cell[64];
    for (long i = 0; i < n; i++)
        for (long j = 0; j < p; j++) {
            double v = causa_rng_normal(&g);
            snprintf(cell, sizeof cell, fmt, v);
            x[j * n + i] = strtod(cell, NULL); /* the value as printed */
            fputs(cell, f);
            fputc(j + 1 < p ? ',' : '\n', f);
        }
    if (fclose(f) != 0) return -1;
    *out = ds; /* freed with its context at exit: the benchmark ends right after */
    return 0;
}

static double file_mb(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    return (double)size / 1e6;
}

/* ---- timings ---- */

/* read() of the whole file into a buffer that is already mapped. */
static double time_plain_read(const char *path, int reps) {
    size_t size = (size_t)(file_mb(path) * 1e6) + 1;
    char *buf = malloc(size);
    if (!buf) return -1;
    memset(buf, 0, size);
    double t[16];
    for (int r = -1; r < reps; r++) {
        double t0 = now();
        int fd = open(path, O_RDONLY);
        size_t got = 0;
        ssize_t k;
        while ((k = read(fd, buf + got, size - got)) > 0) got += (size_t)k;
        close(fd);
        if (r >= 0) t[r] = now() - t0;
    }
    free(buf);
    return median(t, reps);
}

typedef struct causa_timing {
    double seconds, cpu_seconds;
    double peak_ratio; /* peak heap / final matrix bytes */
    int ok;
} causa_timing;

static causa_timing time_causa(const char *path, int npy, int reps, const causa_dataset *want) {
    causa_timing out = {0, 0, 0, 0};
    double t[16], c[16];
    for (int r = -1; r < reps; r++) {
        causa_ctx *ctx = NULL;
        causa_ctx_new(NULL, &ctx);
        causa_dataset *ds = NULL;
        double t0 = now(), c0 = cpu_now();
        int rc = npy ? causa_npy_read(ctx, path, &ds) : causa_csv_read(ctx, path, NULL, &ds);
        double dt = now() - t0, dc = cpu_now() - c0;
        if (rc) {
            fprintf(stderr, "bench-csv: %s\n", causa_errmsg(ctx));
            causa_ctx_free(ctx);
            return out;
        }
        size_t matrix =
            (size_t)causa_dataset_nrow(ds) * (size_t)causa_dataset_ncol(ds) * sizeof(double);
        if (r == 0) {
            out.peak_ratio = (double)causa_ctx_peak_bytes(ctx) / (double)matrix;
            if (memcmp(causa_dataset_data(ds), causa_dataset_data(want), matrix) != 0)
                fprintf(stderr, "bench-csv: %s: values differ from strtod's\n", path);
        }
        if (r >= 0) {
            t[r] = dt;
            c[r] = dc;
        }
        causa_dataset_free(ds);
        causa_ctx_free(ctx);
    }
    out.seconds = median(t, reps);
    out.cpu_seconds = median(c, reps);
    out.ok = 1;
    return out;
}

/* Median seconds of `call` (a Python expression on `path`) in a Python process, or -1. */
static double time_python(const char *python, const char *module, const char *call,
                          const char *path, int reps) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "'%s' -c \"import sys, time, statistics\n"
             "import %s\n"
             "path = sys.argv[1]\n"
             "%s\n"
             "ts = []\n"
             "for r in range(%d):\n"
             "    t0 = time.perf_counter(); x = %s; ts.append(time.perf_counter() - t0); del x\n"
             "print(statistics.median(ts))\" '%s' 2>/dev/null",
             python, module, call, reps, call, path);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    double s = -1;
    if (fscanf(p, "%lf", &s) != 1) s = -1;
    pclose(p);
    return s;
}

static int have_module(const char *python, const char *module) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' -c 'import %s' >/dev/null 2>&1", python, module);
    return system(cmd) == 0;
}

static void row(const char *name, causa_timing c, const char *peer, double peer_s, double mb,
                double limit_mbs) {
    double causa_s = c.seconds;
    char ratio[32] = "-", peer_t[32] = "-";
    if (peer_s > 0) {
        snprintf(ratio, sizeof ratio, "%.2f", peer_s / causa_s);
        snprintf(peer_t, sizeof peer_t, "%.3f", peer_s);
    }
    printf("%s\t%.3f\t%s\t%s\t%s\t%.0f MB/s (CPU time: %.0f MB/s), peak heap %.2fx matrix\t"
           "read() %.0f MB/s\n",
           name, causa_s, peer_s > 0 ? peer : "(none)", peer_t, ratio, mb / causa_s,
           mb / c.cpu_seconds, c.peak_ratio, limit_mbs);
    fflush(stdout);
}

int main(void) {
    long n = env_long("BENCH_ROWS", 200000), p = env_long("BENCH_COLS", 50);
    int reps = (int)env_long("BENCH_REPS", 5);
    if (reps < 1 || reps > 15) reps = 5;
    const char *python =
        getenv("PYTHON") && *getenv("PYTHON") ? getenv("PYTHON") : "/usr/bin/python3";
    const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    int pandas = have_module(python, "pandas"), numpy = have_module(python, "numpy");
    if (!pandas)
        fprintf(stderr, "bench-csv: pandas not importable by %s: no peer for CSV\n", python);
    static const char *const fmts[2] = {"%.6g", "%.17g"};
    for (int k = 0; k < 2; k++) {
        char path[1024], name[128];
        snprintf(path, sizeof path, "%s/causa-bench-%d-%ld.csv", tmp, (int)getpid(), (long)k);
        causa_dataset *want = NULL;
        if (write_csv(path, n, p, fmts[k], &want)) {
            fprintf(stderr, "bench-csv: cannot write %s\n", path);
            return 1;
        }
        double mb = file_mb(path);
        double limit = mb / time_plain_read(path, reps);
        causa_timing c = time_causa(path, 0, reps, want);
        double peer =
            pandas ? time_python(python, "pandas", "pandas.read_csv(path)", path, reps) : -1;
        snprintf(name, sizeof name, "csv read %ldx%ld %s (%.0f MB)", n, p, fmts[k], mb);
        if (c.ok) row(name, c, "pandas.read_csv", peer, mb, limit);
        if (k == 1) {
            /* The same matrix as .npy: the lossless fast path. */
            char npath[1024];
            snprintf(npath, sizeof npath, "%s/causa-bench-%d.npy", tmp, (int)getpid());
            causa_ctx *ctx = NULL;
            causa_ctx_new(NULL, &ctx);
            if (causa_npy_write(ctx, want, npath) == CAUSA_OK) {
                double nmb = file_mb(npath);
                double nlimit = nmb / time_plain_read(npath, reps);
                causa_timing nc = time_causa(npath, 1, reps, want);
                double np =
                    numpy ? time_python(python, "numpy", "numpy.load(path)", npath, reps) : -1;
                snprintf(name, sizeof name, "npy read %ldx%ld (%.0f MB)", n, p, nmb);
                if (nc.ok) row(name, nc, "numpy.load", np, nmb, nlimit);
            }
            causa_ctx_free(ctx);
            unlink(npath);
        }
        unlink(path);
    }
    return 0;
}
