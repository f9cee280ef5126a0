/*
 * bench_graph.c: graph algorithms at scale, each against a plain pass over the same graph.
 *
 *   (a) d-separation queries on a 100 000-node random DAG of expected degree 3: X, Y single
 *       nodes and Z five nodes, drawn at random; median over 101 queries (target < 10 ms);
 *   (b) DAG -> CPDAG on a 10 000-node DAG of average degree 4, median of 5 (target < 1 s),
 *       and on a 1 000-node DAG, where the peer also finishes;
 *   (c) counting the DAGs of that CPDAG's class, median of 5;
 *   (d) comparing two 100 000-node graphs (causa_graph_compare), median of 5.
 *
 * Baseline, measured in the same run on the same graph: a breadth-first search that reads
 * every adjacency entry once, from a compact CSR copy of the graph (built untimed through the
 * public API). The "passes" figure is the algorithm's time over that BFS time: how many
 * plain sweeps of the graph the algorithm costs. These algorithms chase pointers through
 * O(p + e) memory, so memory latency, not arithmetic, bounds them; the BFS is that bound in
 * practice.
 *
 * Peer (optional): with CAUSA_PEER_CAUSALLEARN=/path/to/causal-learn (a checkout holding the
 * causallearn/ package), (b) is also timed with causal-learn's dag2cpdag on the same DAG,
 * written to a temporary file and run by bench/peer_causallearn_cpdag.py under
 * CAUSA_PEER_TIMEOUT seconds (default 120; causal-learn's O(p^2)-memory implementation needs
 * ~30 min at p = 10 000), and its CPDAG is checked against causa's. Nothing here fetches or
 * builds a peer. PYTHON names the interpreter (default /usr/bin/python3).
 *
 * Output: one tab-separated row per case on stdout, as bench/run.sh expects (see row());
 * notes (medians of how many runs, class sizes, targets) on stderr.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "causa.h"

/* ---- timing ---- */

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

static void die(causa_ctx *ctx, const char *what, int rc) {
    fprintf(stderr, "bench_graph: %s failed: %s: %s\n", what, causa_strerror(rc),
            ctx ? causa_errmsg(ctx) : "");
    exit(1);
}
#define TRY(what, call)                                                                    \
    do {                                                                                   \
        int rc_ = (call);                                                                  \
        if (rc_ != CAUSA_OK) die(ctx, what, rc_);                                          \
    } while (0)

/* ---- the baseline: BFS over a CSR copy ---- */

typedef struct csr {
    int64_t p, nnz;
    int64_t *start; /* p + 1 */
    int64_t *adj;   /* nnz: every adjacency entry (both ends of each edge) */
    int64_t *queue;
    unsigned char *seen;
} csr;

static csr csr_of(const causa_graph *g) {
    csr c;
    c.p = causa_graph_nnodes(g);
    c.start = malloc((size_t)(c.p + 1) * sizeof *c.start);
    c.nnz = 0;
    for (int64_t v = 0; v < c.p; v++) {
        c.start[v] = c.nnz;
        c.nnz += causa_graph_degree(g, v);
    }
    c.start[c.p] = c.nnz;
    c.adj = malloc((size_t)(c.nnz ? c.nnz : 1) * sizeof *c.adj);
    for (int64_t v = 0; v < c.p; v++)
        for (int64_t k = 0; k < causa_graph_degree(g, v); k++)
            causa_graph_neighbor(g, v, k, &c.adj[c.start[v] + k], NULL, NULL);
    c.queue = malloc((size_t)(c.p ? c.p : 1) * sizeof *c.queue);
    c.seen = malloc((size_t)(c.p ? c.p : 1));
    if (!c.start || !c.adj || !c.queue || !c.seen) {
        fprintf(stderr, "bench_graph: out of memory\n");
        exit(1);
    }
    return c;
}

static void csr_free(csr *c) {
    free(c->start);
    free(c->adj);
    free(c->queue);
    free(c->seen);
}

/* One BFS from every not-yet-seen node (so the whole graph is swept, components and all);
 * returns the number of entries read, which the caller checks so nothing is optimised away. */
static int64_t bfs_all(csr *c) {
    memset(c->seen, 0, (size_t)c->p);
    int64_t read = 0;
    for (int64_t s = 0; s < c->p; s++) {
        if (c->seen[s]) continue;
        int64_t head = 0, tail = 0;
        c->queue[tail++] = s;
        c->seen[s] = 1;
        while (head < tail) {
            int64_t v = c->queue[head++];
            for (int64_t k = c->start[v]; k < c->start[v + 1]; k++) {
                int64_t w = c->adj[k];
                read++;
                if (!c->seen[w]) {
                    c->seen[w] = 1;
                    c->queue[tail++] = w;
                }
            }
        }
    }
    return read;
}

/* One timed sweep, checked. */
static double bfs_time(csr *c) {
    double t0 = now();
    int64_t n = bfs_all(c);
    double t = now() - t0;
    if (n != c->nnz) {
        fprintf(stderr, "bench_graph: BFS read %lld entries, expected %lld\n", (long long)n,
                (long long)c->nnz);
        exit(1);
    }
    return t;
}

/* ---- output ---- */

/* What a peer run gave: seconds (or -1) and the text for the peer column. */
typedef struct peer_result {
    double secs;       /* -1: no time to report */
    double at_least;   /* > 0: the peer was stopped after this many seconds */
    char name[160];
} peer_result;

/* One row of bench/run.sh's table, tab-separated on stdout:
 *   case  causa_s  peer  peer_s  ratio  throughput  limit
 * causa_s and peer_s are medians in seconds, ratio = peer_s / causa_s; throughput is
 * `units` per second of causa's time (edges of the graph, or queries); the limit column is
 * the plain-BFS baseline and how many such passes causa's time is. The note goes to
 * stderr. */
static void row(const char *name, double t_causa, double t_base, const peer_result *peer,
                double units, const char *unit, const char *note) {
    char peer_s[32] = "-", ratio[32] = "-";
    if (peer && peer->secs >= 0) {
        snprintf(peer_s, sizeof peer_s, "%.3g", peer->secs);
        snprintf(ratio, sizeof ratio, "%.3g", peer->secs / t_causa);
    } else if (peer && peer->at_least > 0) {
        snprintf(peer_s, sizeof peer_s, ">%.3g", peer->at_least);
        snprintf(ratio, sizeof ratio, ">%.3g", peer->at_least / t_causa);
    }
    printf("%s\t%.3g\t%s\t%s\t%s\t%.3g %s/s\tBFS pass %.3g s; %.3g passes\n", name,
           t_causa, peer ? peer->name : "-", peer_s, ratio, units / t_causa, unit, t_base,
           t_causa / t_base);
    fflush(stdout);
    fprintf(stderr, "bench-graph: %s: %s\n", name, note);
}

/* ---- the peer: causal-learn's dag2cpdag, when a checkout is named ---- */

/* Runs the peer on the DAG and checks its CPDAG against causa's; res->name says what
 * happened ("-" when no peer was named). */
static void peer_cpdag(causa_ctx *ctx, const causa_graph *dag, const causa_graph *cpdag,
                       peer_result *res) {
    res->secs = -1;
    res->at_least = 0;
    snprintf(res->name, sizeof res->name, "-");
    const char *cl = getenv("CAUSA_PEER_CAUSALLEARN");
    if (!cl || !*cl) return;
    const char *py = getenv("PYTHON") && *getenv("PYTHON") ? getenv("PYTHON") : "/usr/bin/python3";
    const char *to = getenv("CAUSA_PEER_TIMEOUT") ? getenv("CAUSA_PEER_TIMEOUT") : "120";
    char in[] = "/tmp/causa-bench-dag-XXXXXX";
    int fd = mkstemp(in);
    if (fd < 0) {
        snprintf(res->name, sizeof res->name, "causal-learn: cannot make a temporary file");
        return;
    }
    FILE *f = fdopen(fd, "w");
    int64_t p = causa_graph_nnodes(dag), m = causa_graph_nedges(dag);
    causa_edge *e = malloc((size_t)(m ? m : 1) * sizeof *e);
    causa_graph_edges(dag, e);
    fprintf(f, "%lld\n", (long long)p);
    for (int64_t i = 0; i < m; i++) {
        int64_t from = e[i].mark_b == CAUSA_MARK_ARROW ? e[i].a : e[i].b;
        int64_t to_ = e[i].mark_b == CAUSA_MARK_ARROW ? e[i].b : e[i].a;
        fprintf(f, "%lld %lld\n", (long long)from, (long long)to_);
    }
    fclose(f);
    free(e);
    char out[sizeof in + 8];
    snprintf(out, sizeof out, "%s.out", in);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "timeout %s env PYTHONPATH='%s' '%s' bench/peer_causallearn_cpdag.py %s %s",
             to, cl, py, in, out);
    FILE *pipe = popen(cmd, "r");
    double secs = -1;
    int status = -1;
    if (pipe) {
        if (fscanf(pipe, "%lf", &secs) != 1) secs = -1;
        status = pclose(pipe);
    }
    if (status != 0 || secs < 0) {
        if (status > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 124) {
            snprintf(res->name, sizeof res->name, "causal-learn dag2cpdag (stopped)");
            res->at_least = atof(to);
        } else {
            snprintf(res->name, sizeof res->name, "causal-learn dag2cpdag: failed");
        }
    } else {
        /* Read the peer's CPDAG back (lines "a b ma mb") and compare with causa's. */
        causa_graph *pc = NULL;
        TRY("causa_graph_new", causa_graph_new(ctx, p, NULL, &pc));
        FILE *r = fopen(out, "r");
        long long a, b;
        int ma, mb;
        while (r && fscanf(r, "%lld %lld %d %d", &a, &b, &ma, &mb) == 4)
            TRY("causa_graph_add_edge", causa_graph_add_edge(ctx, pc, a, b, ma, mb));
        if (r) fclose(r);
        causa_graph_metrics cm;
        TRY("causa_graph_compare", causa_graph_compare(ctx, pc, cpdag, &cm));
        res->secs = secs;
        snprintf(res->name, sizeof res->name, "causal-learn dag2cpdag (%s)",
                 cm.shd == 0 ? "same CPDAG" : "CPDAG DIFFERS");
        causa_graph_free(pc);
    }
    remove(in);
    remove(out);
}

/* ---- the cases ---- */

/* out[first..n-1]: random nodes out of p, distinct from each other and from out[0..first-1]. */
static void draw_distinct(causa_rng *r, int64_t p, int64_t *out, int first, int n) {
    for (int i = first; i < n; i++) {
        int again;
        do {
            out[i] = (int64_t)causa_rng_below(r, (uint64_t)p);
            again = 0;
            for (int j = 0; j < i; j++) again |= out[j] == out[i];
        } while (again);
    }
}

static void bench_dsep(causa_ctx *ctx) {
    const int64_t p = 100000;
    const int nq = 101;
    causa_graph *g = NULL;
    TRY("causa_graph_random_dag", causa_graph_random_dag(ctx, p, 3.0, 42, &g));
    int64_t e = causa_graph_nedges(g);
    causa_rng r;
    causa_rng_init(&r, 7, 0);
    double t[101];
    int nsep = 0;
    for (int q = 0; q < nq; q++) {
        int64_t pick[7];
        draw_distinct(&r, p, pick, 0, 7);
        int sep = 0;
        double t0 = now();
        TRY("causa_graph_separated",
            causa_graph_separated(ctx, g, &pick[0], 1, &pick[1], 1, &pick[2], 5, &sep));
        t[q] = now() - t0;
        nsep += sep;
    }
    double tq = median(t, nq);
    csr c = csr_of(g);
    for (int i = 0; i < 11; i++) t[i] = bfs_time(&c);
    double tb = median(t, 11);
    char name[128], note[192];
    snprintf(name, sizeof name, "d-separation query, p=%lld e=%lld |Z|=5", (long long)p,
             (long long)e);
    /* In an Erdos-Renyi DAG of expected degree d a node has about e^d ancestors and as many
     * descendants, so a query touches a small part of the graph; its worst case on any graph
     * is an O(p + e) sweep, which the BFS column measures. */
    snprintf(note, sizeof note, "median of %d random queries (%d separated); target < 10 ms",
             nq, nsep);
    row(name, tq, tb, NULL, 1.0, "queries", note);

    csr_free(&c);
    causa_graph_free(g);
}

static void bench_cpdag(causa_ctx *ctx, int64_t p, int reps, int count) {
    causa_graph *g = NULL, *cp = NULL;
    TRY("causa_graph_random_dag", causa_graph_random_dag(ctx, p, 4.0, 43, &g));
    int64_t e = causa_graph_nedges(g);
    /* The algorithm and the baseline alternate, so both see the same machine load. */
    csr c = csr_of(g);
    double t[9], tbs[9];
    for (int i = 0; i < reps; i++) {
        causa_graph_free(cp);
        cp = NULL;
        double t0 = now();
        TRY("causa_graph_cpdag", causa_graph_cpdag(ctx, g, &cp));
        t[i] = now() - t0;
        tbs[i] = bfs_time(&c);
    }
    double tc = median(t, reps), tb = median(tbs, reps);
    char name[128], note[192];
    peer_result peer;
    snprintf(name, sizeof name, "DAG -> CPDAG, p=%lld e=%lld", (long long)p, (long long)e);
    peer_cpdag(ctx, g, cp, &peer);
    int64_t undirected = 0;
    for (int64_t v = 0; v < p; v++)
        for (int64_t k = 0; k < causa_graph_degree(cp, v); k++) {
            int ma, mb;
            int64_t w;
            causa_graph_neighbor(cp, v, k, &w, &ma, &mb);
            undirected += w > v && ma == CAUSA_MARK_TAIL && mb == CAUSA_MARK_TAIL;
        }
    snprintf(note, sizeof note, "median of %d; %lld undirected edges%s", reps,
             (long long)undirected, p >= 10000 ? "; target < 1 s" : "");
    row(name, tc, tb, &peer, (double)e, "edges", note);
    if (count) {
        double n = 0, lg = 0;
        for (int i = 0; i < reps; i++) {
            double t0 = now();
            TRY("causa_graph_count_dags", causa_graph_count_dags(ctx, cp, &n, &lg));
            t[i] = now() - t0;
            tbs[i] = bfs_time(&c);
        }
        double tn = median(t, reps);
        tb = median(tbs, reps);
        snprintf(note, sizeof note, "median of %d; class size 10^%.4g", reps, lg);
        snprintf(name, sizeof name, "count DAGs of that CPDAG, p=%lld", (long long)p);
        row(name, tn, tb, NULL, (double)e, "edges", note);
    }
    csr_free(&c);
    causa_graph_free(g);
    causa_graph_free(cp);
}

static void bench_compare(causa_ctx *ctx) {
    const int64_t p = 100000;
    causa_graph *a = NULL, *b = NULL;
    TRY("causa_graph_random_dag", causa_graph_random_dag(ctx, p, 3.0, 44, &a));
    TRY("causa_graph_random_dag", causa_graph_random_dag(ctx, p, 3.0, 45, &b));
    int64_t e = causa_graph_nedges(a) + causa_graph_nedges(b);
    csr ca = csr_of(a), cb = csr_of(b);
    double t[5], tbs[5];
    causa_graph_metrics m;
    for (int i = 0; i < 5; i++) {
        double t0 = now();
        TRY("causa_graph_compare", causa_graph_compare(ctx, b, a, &m));
        t[i] = now() - t0;
        tbs[i] = bfs_time(&ca) + bfs_time(&cb); /* one pass over each graph */
    }
    double tc = median(t, 5), tb = median(tbs, 5);
    char name[128], note[96];
    snprintf(name, sizeof name, "compare two graphs, 2 x p=%lld, e=%lld in all", (long long)p,
             (long long)e);
    snprintf(note, sizeof note, "median of 5; shd %lld", (long long)m.shd);
    row(name, tc, tb, NULL, (double)e, "edges", note);
    csr_free(&ca);
    csr_free(&cb);
    causa_graph_free(a);
    causa_graph_free(b);
}

int main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(NULL, &ctx) != CAUSA_OK) die(NULL, "causa_ctx_new", CAUSA_ENOMEM);
    bench_dsep(ctx);
    bench_cpdag(ctx, 10000, 5, 1);
    bench_cpdag(ctx, 1000, 5, 0);
    bench_compare(ctx);
    causa_ctx_free(ctx);
    return 0;
}
