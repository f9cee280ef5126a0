/*
 * causa/core.h: the context, status codes, allocator hook, callbacks, random streams and
 * matrix views. Included by <causa.h>; do not include it directly.
 */
#ifndef CAUSA_CORE_H
#define CAUSA_CORE_H

#include <stddef.h>
#include <stdint.h>

/* ---- status codes ----------------------------------------------------------------------
 * Every fallible function returns one of these. Numbers are never reused: a retired code
 * stays here as a comment. causa_strerror(code) gives the static text, causa_errmsg(ctx)
 * the specific message of the last failure on a context. */
enum {
    CAUSA_OK = 0,
    CAUSA_ENOMEM = 1,        /* an allocation failed */
    CAUSA_EINVAL = 2,        /* an argument is out of range (the message names it) */
    CAUSA_EMISUSE = 3,       /* the API was used incorrectly (NULL handle, wrong order) */
    CAUSA_EDATA = 4,         /* the data cannot serve this step (constant column, NaN...) */
    CAUSA_ESINGULAR = 5,     /* a matrix is singular where it must not be */
    CAUSA_ENOCONV = 6,       /* an iteration did not converge within its limit */
    CAUSA_ECYCLE = 7,        /* a graph has a cycle where it must be acyclic */
    CAUSA_ENOTIDENT = 8,     /* a causal effect is not identifiable */
    CAUSA_EIO = 9,           /* a file could not be opened, read or written */
    CAUSA_EPARSE = 10,       /* input text is malformed (file:line:column in the message) */
    CAUSA_EINTERRUPTED = 11, /* the interrupt callback asked to stop */
    CAUSA_EINTERNAL = 12,    /* a bug in causa: please report it */
    CAUSA_EUNSUPPORTED = 13, /* a feature or external tool is not available */
    CAUSA_ENOTFOUND = 14,    /* a named item (variable, node, level) does not exist */
    CAUSA_ERANGE = 15        /* a number is out of the representable range */
};
/* One past the largest code in use; tests iterate over [0, CAUSA_NCODES). */
#define CAUSA_NCODES 16

/* Static English text for a status code; never NULL ("unknown error code" if unknown). */
const char *causa_strerror(int code);

/* ---- version --------------------------------------------------------------------------- */
#define CAUSA_VERSION_MAJOR 0
#define CAUSA_VERSION_MINOR 1
#define CAUSA_VERSION_PATCH 0
#define CAUSA_VERSION_NUMBER (CAUSA_VERSION_MAJOR * 10000 + CAUSA_VERSION_MINOR * 100 + CAUSA_VERSION_PATCH)
/* The version as "MAJOR.MINOR.PATCH"; static storage. */
const char *causa_version(void);

/* ---- context ----------------------------------------------------------------------------
 * A causa_ctx holds everything mutable that the library needs: the last error, the
 * allocator hook, the worker-thread count, the seed, and the log / progress / interrupt
 * callbacks. It is the first argument of every fallible call. */
typedef struct causa_ctx causa_ctx;

/* Allocator hook, Lua style: ptr == NULL allocates new_size bytes; new_size == 0 frees
 * ptr (old_size is its size) and returns NULL; otherwise resizes. The hook must return
 * memory aligned for any C type, or NULL on failure (never abort). ud is passed back. */
typedef void *(*causa_alloc_fn)(void *ud, void *ptr, size_t old_size, size_t new_size);

/* Log levels for causa_log_fn. */
enum { CAUSA_LOG_ERROR = 0, CAUSA_LOG_WARN = 1, CAUSA_LOG_INFO = 2, CAUSA_LOG_DEBUG = 3 };
/* Receives one line of log text (no trailing newline). Default: silent. */
typedef void (*causa_log_fn)(void *ud, int level, const char *msg);
/* Receives progress of a long call: done out of total units of work named by `what`
 * ("CSV bytes", "CI tests of depth 2"...). Called from the calling thread only, at most a
 * few hundred times a second. */
typedef void (*causa_progress_fn)(void *ud, const char *what, double done, double total);
/* Polled between units of work; a non-zero return stops the call with CAUSA_EINTERRUPTED. */
typedef int (*causa_interrupt_fn)(void *ud);

/* Options for causa_ctx_new; fill with causa_ctx_config_init, then change fields. */
typedef struct causa_ctx_config {
    causa_alloc_fn alloc; /* NULL: the C library's malloc/realloc/free */
    void *alloc_ud;
    int threads;          /* worker threads inside a call; default 1 */
    uint64_t seed;        /* default seed of random streams; default 1 */
} causa_ctx_config;

void causa_ctx_config_init(causa_ctx_config *cfg);

/* Creates a context. cfg may be NULL for the defaults. On failure *out is NULL and the
 * code is returned (there is no context to hold a message). */
int causa_ctx_new(const causa_ctx_config *cfg, causa_ctx **out);
/* Frees a context; NULL is a no-op. Every object created with it must be freed first. */
void causa_ctx_free(causa_ctx *ctx);

/* The message of the last failure on ctx ("" if none): it names what failed and why, with
 * file:line:column for input errors. Owned by ctx, valid until the next call on it. */
const char *causa_errmsg(const causa_ctx *ctx);
/* The code of the last failure on ctx (CAUSA_OK if none). */
int causa_errcode(const causa_ctx *ctx);
/* Forgets the last failure. */
void causa_clear_error(causa_ctx *ctx);

/* Worker threads used inside calls (>= 1). 0 means all cores. Results never depend on it. */
int causa_ctx_set_threads(causa_ctx *ctx, int threads);
int causa_ctx_threads(const causa_ctx *ctx);
void causa_ctx_set_seed(causa_ctx *ctx, uint64_t seed);
uint64_t causa_ctx_seed(const causa_ctx *ctx);
void causa_ctx_set_log(causa_ctx *ctx, causa_log_fn fn, void *ud, int max_level);
void causa_ctx_set_progress(causa_ctx *ctx, causa_progress_fn fn, void *ud);
void causa_ctx_set_interrupt(causa_ctx *ctx, causa_interrupt_fn fn, void *ud);
/* Bytes currently allocated through ctx by causa (for leak checks and memory reports). */
size_t causa_ctx_bytes_in_use(const causa_ctx *ctx);
/* Largest value of causa_ctx_bytes_in_use seen since the context was made. */
size_t causa_ctx_peak_bytes(const causa_ctx *ctx);
/* Number of cores available to this process (>= 1). */
int causa_ncores(void);

/* Frees a buffer the library returned (strings, arrays) through ctx's allocator. NULL is a
 * no-op. */
void causa_free(causa_ctx *ctx, void *ptr);

/* Writes len bytes to path atomically: a temporary file beside path, flushed, then renamed
 * over it, so path is never half-written. "-" writes to standard output. */
int causa_write_file(causa_ctx *ctx, const char *path, const void *data, size_t len);

/* ---- random streams ---------------------------------------------------------------------
 * A stream is keyed on (seed, stream id): work item k of a parallel loop draws from stream
 * k, so results never depend on how items are spread over threads. The generator is
 * xoshiro256++ seeded through splitmix64 of (seed, id). The struct is plain so a stream can
 * live on the stack; treat its fields as private. */
typedef struct causa_rng {
    uint64_t s[4];
} causa_rng;

void causa_rng_init(causa_rng *rng, uint64_t seed, uint64_t stream);
uint64_t causa_rng_u64(causa_rng *rng);
/* Uniform on [0, 1) with 53 random bits. */
double causa_rng_uniform(causa_rng *rng);
/* Uniform integer on [0, n), unbiased (Lemire's method); n >= 1. */
uint64_t causa_rng_below(causa_rng *rng, uint64_t n);
/* Standard normal (ziggurat). */
double causa_rng_normal(causa_rng *rng);
/* Laplace with location 0 and scale b > 0. */
double causa_rng_laplace(causa_rng *rng, double b);
/* Student-t with nu > 0 degrees of freedom. */
double causa_rng_student_t(causa_rng *rng, double nu);
/* Gamma with shape a > 0 and scale 1 (Marsaglia-Tsang). */
double causa_rng_gamma(causa_rng *rng, double shape);
/* Chi-square with k > 0 degrees of freedom. */
double causa_rng_chisq(causa_rng *rng, double k);
/* Index i in [0, k) drawn with probability prob[i] / sum(prob); prob[i] >= 0, sum > 0. */
int64_t causa_rng_categorical(causa_rng *rng, const double *prob, int64_t k);
/* Writes a uniformly random permutation of 0..n-1 into perm (Fisher-Yates). */
void causa_rng_permutation(causa_rng *rng, int64_t *perm, int64_t n);

/* ---- matrix views -----------------------------------------------------------------------
 * A borrowed, strided view of doubles: element (i, j) is data[i * rs + j * cs]. NumPy
 * arrays in C order (rs = ncol, cs = 1), Fortran order (rs = 1, cs = nrow) and sub-blocks
 * pass without copying. A view never owns its data. */
typedef struct causa_matrix {
    const double *data;
    int64_t nrow, ncol;
    int64_t rs, cs; /* row and column stride, in elements */
} causa_matrix;

/* A column-major view of an nrow x ncol block. */
causa_matrix causa_matrix_colmajor(const double *data, int64_t nrow, int64_t ncol);
/* A row-major view of an nrow x ncol block. */
causa_matrix causa_matrix_rowmajor(const double *data, int64_t nrow, int64_t ncol);
static inline double causa_matrix_get(const causa_matrix *m, int64_t i, int64_t j) {
    return m->data[i * m->rs + j * m->cs];
}

#endif
