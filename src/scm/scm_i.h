/*
 * scm_i.h: the inside of causa_scm, shared by the files of src/scm and never exported.
 *
 * A model holds a private copy of its DAG, the parents of every node in one CSR array
 * (ascending indices), a topological order, the type and levels of every node, and one
 * mechanism per node with every parameter array owned by the model (allocated through the
 * creating context, so causa_scm_free needs no context).
 *
 * Evaluation works on blocks of rows: `cols[v]` points at node v's values for the rows of
 * the block (codes for discrete nodes), and a mechanism reads its parents' columns from
 * there. Every evaluation routine writes into caller storage and allocates nothing, so the
 * samplers can run them inside OpenMP regions with one workspace per thread.
 */
#ifndef CAUSA_SCM_I_H
#define CAUSA_SCM_I_H

#include "../internal.h"

typedef struct causa_i_mech {
    int kind;
    double intercept;
    double *coefs;
    int64_t ncoefs;
    int degree;
    int64_t *nknots; /* SPLINE: m counts */
    double *knots;   /* SPLINE: sum of nknots */
    int64_t nhidden;
    int64_t *hidden;
    int activation;
    causa_dist noise;      /* noise.values points into noise_values (owned) */
    double *noise_values;
    int scaled;
    double scale_intercept;
    double *scale_coefs;   /* m, or NULL when m = 0 */
    /* derived at set time */
    int64_t nrows;         /* CPT: number of parent combinations */
} causa_i_mech;

struct causa_scm {
    causa_ctx *ctx; /* the creating context: owns every array below */
    causa_graph *g;
    int64_t p;
    int64_t *par_off; /* p + 1 offsets into par */
    int64_t *par;     /* parents, ascending per node */
    int64_t *order;   /* topological order (p) */
    int *type;        /* CAUSA_CONTINUOUS / CAUSA_DISCRETE */
    int64_t *nlevels; /* 0 for continuous */
    char ***levels;   /* per discrete node: nlevels strdup'ed names (NULL otherwise) */
    causa_i_mech *mech;
};

/* ---- model.c ---- */
/* CAUSA_EINVAL naming `what` if v is not a node. */
int causa_i_scm_check_node(causa_ctx *ctx, const causa_scm *scm, int64_t v, const char *what);
/* Re-records the last error on ctx with a prefix: "<prefix>: <message>"; returns rc. */
int causa_i_scm_prefix_error(causa_ctx *ctx, int rc, const char *fmt, ...) CAUSA_PRINTF(3, 4);
/* Frees the arrays of a mechanism and resets it to NONE. */
void causa_i_mech_clear(causa_ctx *ctx, causa_i_mech *m);
/* Copies a mechanism (deep) from src into dst (m: the node's input count). On failure dst
 * holds what was copied so far, for causa_i_mech_clear. */
int causa_i_mech_copy(causa_ctx *ctx, causa_i_mech *dst, const causa_i_mech *src, int64_t m);

/* ---- mechanism.c: evaluation over a block of rows ---- */
/* Doubles of workspace per row that causa_i_eval_* need for any node of the model. */
int64_t causa_i_scm_work_per_row(const causa_scm *scm);
/* The encoded inputs of v for nrows rows into u (nrows x m, column-major, leading dim
 * nrows), reading the parents' columns from cols. */
void causa_i_scm_encode(const causa_scm *scm, int64_t v, const double *const *cols,
                        int64_t nrows, double *u);
/* Continuous node v (not ROOT): the location f(u) into out. work: per-row workspace times
 * nrows. */
void causa_i_eval_location(const causa_scm *scm, int64_t v, const double *const *cols,
                           int64_t nrows, double *work, double *out);
/* LINEAR node v: out += c + sum_j w_j u_j (reading the parents' columns directly). */
void causa_i_eval_linear_add(const causa_scm *scm, int64_t v, const double *const *cols,
                             int64_t nrows, double *out);
/* Continuous node v with a location-scale mechanism: g(u) = exp(a + b.u) into out. */
void causa_i_eval_scale(const causa_scm *scm, int64_t v, const double *const *cols,
                        int64_t nrows, double *work, double *out);
/* Discrete node v: the level probabilities of each row, row-major (out[i * K + k]). */
void causa_i_eval_probs(const causa_scm *scm, int64_t v, const double *const *cols,
                        int64_t nrows, double *work, double *out);
/* Inversion of a discrete distribution: the level k with cum(k-1) <= u * total < cum(k)
 * among levels of positive probability. */
int64_t causa_i_invert_level(const double *prob, int64_t k, double u);

/* Matching a data set's columns to the nodes (eval.c). col[v]: the column of node v (-1
 * when not needed); remap[v]: for a discrete node read from a discrete column, the model
 * code of each of the column's levels (-1: the model has no such level). */
typedef struct causa_i_colmap {
    int64_t p;
    int64_t *col;
    int64_t **remap;
} causa_i_colmap;
/* Maps the nodes with need[v] != 0 (need NULL: all). Errors: CAUSA_ENOTFOUND for a missing
 * column, CAUSA_EDATA for a discrete column behind a continuous node. */
int causa_i_colmap_make(causa_ctx *ctx, const causa_scm *scm, const causa_dataset *ds,
                        const unsigned char *need, causa_i_colmap *cm);
void causa_i_colmap_free(causa_ctx *ctx, causa_i_colmap *cm);
/* Node v's values (model codes for a discrete node) of rows row0 .. row0 + nrows - 1 into
 * out. A discrete node read from a continuous column takes the level named as the number,
 * else the number as a code. CAUSA_EDATA naming the row for a value that is no level. */
int causa_i_colmap_fill(causa_ctx *ctx, const causa_scm *scm, const causa_dataset *ds,
                        const causa_i_colmap *cm, int64_t v, int64_t row0, int64_t nrows,
                        double *out);

/* ---- dist.c ---- */
/* Fills out[0..n-1] with draws of d from rng (CATEGORICAL: codes by inversion). */
void causa_i_dist_fill(const causa_dist *d, causa_rng *rng, double *out, int64_t n);
/* The same draws in pieces: begin takes the stream (rng is copied, not advanced); fills of
 * n1, n2, ... values, each but the last a multiple of CAUSA_I_FILL_CHUNK, give the values
 * of one causa_i_dist_fill of n1 + n2 + ... from that rng. */
typedef struct causa_i_dist_stream {
    const causa_dist *d;
    causa_rng rng;
    int started;
    causa_i_normal_lanes lanes; /* Gaussian */
} causa_i_dist_stream;
void causa_i_dist_stream_begin(causa_i_dist_stream *s, const causa_dist *d, causa_rng *rng);
void causa_i_dist_stream_fill(causa_i_dist_stream *s, double *out, int64_t n);
/* Deep-copies d's values into *values (owned); d_out->values points at it. */
int causa_i_dist_copy(causa_ctx *ctx, const causa_dist *d, causa_dist *d_out, double **values);

/* ---- intervene.c ---- */
/* Interventions resolved per node: kind 0 = none. */
typedef struct causa_i_plan {
    int *kind;           /* p entries */
    double *value;       /* p entries */
    const causa_dist **dist; /* p entries (borrowed from the caller's interventions) */
    unsigned char *affected; /* p: intervened on, or a descendant of one */
} causa_i_plan;
int causa_i_plan_make(causa_ctx *ctx, const causa_scm *scm, const causa_intervention *iv,
                      int64_t niv, causa_i_plan *plan);
void causa_i_plan_free(causa_ctx *ctx, causa_i_plan *plan);

/* ---- sample.c ---- */
/* The stream of node v's draws for block k. */
static inline uint64_t causa_i_scm_stream(int64_t block, int64_t v) {
    return ((uint64_t)block << 28) | (uint64_t)v;
}
/* Samples rows [row0, row0 + nrows) of a query (row0 a multiple of CAUSA_SCM_BLOCK) into
 * columns data + v * ld (ld >= nrows). Parallel over blocks with the context's threads. */
int causa_i_scm_sample_rows(causa_ctx *ctx, const causa_scm *scm, uint64_t seed,
                            const causa_i_plan *plan, int64_t row0, int64_t nrows, double *data,
                            int64_t ld);
/* The same, choosing how the output is written: stream 1 through a cache-resident scratch
 * and non-temporal stores, 0 in place, -1 by size (sample.c); the values are the same (for
 * tests and benchmarks). */
int causa_i_scm_sample_rows_with(causa_ctx *ctx, const causa_scm *scm, uint64_t seed,
                                 const causa_i_plan *plan, int64_t row0, int64_t nrows, double *data,
                                 int64_t ld, int stream);
/* A new data set of n rows for the model's nodes (names, levels), cells not initialised. */
int causa_i_scm_dataset(causa_ctx *ctx, const causa_scm *scm, int64_t n, causa_dataset **out);
/* Threads for nblocks work items (the context's count, at most nblocks, 1 without OpenMP). */
int causa_i_scm_threads(causa_ctx *ctx, int64_t nblocks);
/* Resolves opt->seed. */
uint64_t causa_i_scm_seed(causa_ctx *ctx, const causa_scm_query_options *opt);

/* ---- model_json.c / bif_model.c ---- */
int causa_i_scm_read_json(causa_ctx *ctx, const char *name, const char *data, size_t len,
                          causa_scm **out);
int causa_i_scm_read_bif(causa_ctx *ctx, const char *name, const char *data, size_t len,
                         causa_scm **out);

#endif
