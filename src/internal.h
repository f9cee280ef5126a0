/*
 * internal.h: declarations shared between causa's source files and never exported.
 * Every name here is causa_i_* and has hidden visibility (the build passes
 * -fvisibility=hidden; only causa.h's declarations carry CAUSA_API visibility).
 */
#ifndef CAUSA_INTERNAL_H
#define CAUSA_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "causa.h"

#define CAUSA_UNUSED(x) ((void)(x))
#define CAUSA_MIN(a, b) ((a) < (b) ? (a) : (b))
#define CAUSA_MAX(a, b) ((a) > (b) ? (a) : (b))

#if defined(__GNUC__)
#define CAUSA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define CAUSA_LIKELY(x) __builtin_expect(!!(x), 1)
#define CAUSA_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define CAUSA_PRINTF(f, a)
#define CAUSA_LIKELY(x) (x)
#define CAUSA_UNLIKELY(x) (x)
#endif

/* Single-exit error handling: `int rc = CAUSA_OK; ... CAUSA_TRY(f(...)); ... done: cleanup;
 * return rc;`. CAUSA_TRY sets rc and jumps to done on failure. */
#define CAUSA_TRY(expr)                                                                    \
    do {                                                                                   \
        rc = (expr);                                                                       \
        if (CAUSA_UNLIKELY(rc != CAUSA_OK)) goto done;                                     \
    } while (0)

/* ---- context internals (ctx.c) ---- */
struct causa_ctx {
    causa_alloc_fn alloc;
    void *alloc_ud;
    size_t bytes_in_use, peak_bytes;
    int threads;
    uint64_t seed;
    int errcode;
    char errmsg[1024];
    causa_log_fn log;
    void *log_ud;
    int log_level;
    causa_progress_fn progress;
    void *progress_ud;
    causa_interrupt_fn interrupt;
    void *interrupt_ud;
};

/* Records an error on ctx (printf-style message) and returns code, so callers write
 * `return causa_i_error(ctx, CAUSA_EINVAL, "alpha must be in (0, 1), got %g", a);`. */
int causa_i_error(causa_ctx *ctx, int code, const char *fmt, ...) CAUSA_PRINTF(3, 4);
int causa_i_verror(causa_ctx *ctx, int code, const char *fmt, va_list ap);
/* Reports an allocation failure of `bytes` bytes for `what`. */
int causa_i_nomem(causa_ctx *ctx, const char *what, size_t bytes);
void causa_i_log(causa_ctx *ctx, int level, const char *fmt, ...) CAUSA_PRINTF(3, 4);
/* Calls the interrupt callback; returns CAUSA_EINTERRUPTED (with message) if it says stop. */
int causa_i_check_interrupt(causa_ctx *ctx);
void causa_i_progress(causa_ctx *ctx, const char *what, double done, double total);

/* Whether ctx allocates with the C library's malloc (no allocator hook given): then worker
 * threads may allocate without a lock. */
int causa_i_ctx_uses_malloc(const causa_ctx *ctx);

/* ---- memory (alloc.c) ----
 * All of causa's heap memory goes through the context's hook. These wrappers keep the
 * size in a 16-byte header so callers need not carry it, while the hook still receives
 * old sizes. They return NULL on failure without recording an error: the caller reports
 * it with causa_i_nomem, which knows what was being allocated. */
void *causa_i_malloc(causa_ctx *ctx, size_t size);
void *causa_i_calloc(causa_ctx *ctx, size_t count, size_t size);
void *causa_i_realloc(causa_ctx *ctx, void *ptr, size_t size);
void causa_i_free(causa_ctx *ctx, void *ptr);
char *causa_i_strdup(causa_ctx *ctx, const char *s);
char *causa_i_strndup(causa_ctx *ctx, const char *s, size_t n);
/* count * size, or SIZE_MAX when it overflows (so the allocation then fails cleanly). */
size_t causa_i_mul_size(size_t count, size_t size);

/* Allocates or reports: `CAUSA_TRY(causa_i_alloc(ctx, (void **)&p, n * sizeof *p, "counts"));` */
int causa_i_alloc(causa_ctx *ctx, void **out, size_t size, const char *what);
int causa_i_alloc0(causa_ctx *ctx, void **out, size_t size, const char *what);

/* ---- per-call arena (arena.c) ----
 * Temporaries of one call: allocate many, free all at once at `done:`. Blocks are 16-byte
 * aligned. The arena struct lives on the caller's stack. */
typedef struct causa_i_arena_block causa_i_arena_block;
typedef struct causa_i_arena {
    causa_ctx *ctx;
    causa_i_arena_block *head;
    size_t block_size;
} causa_i_arena;

void causa_i_arena_init(causa_i_arena *a, causa_ctx *ctx);
/* NULL (and an error recorded on ctx) when memory runs out. */
void *causa_i_arena_alloc(causa_i_arena *a, size_t size);
void *causa_i_arena_alloc0(causa_i_arena *a, size_t size);
char *causa_i_arena_strdup(causa_i_arena *a, const char *s);
void causa_i_arena_release(causa_i_arena *a);

/* ---- growable byte buffer (buf.c) ---- */
typedef struct causa_i_buf {
    causa_ctx *ctx;
    char *data;
    size_t len, cap;
} causa_i_buf;
void causa_i_buf_init(causa_i_buf *b, causa_ctx *ctx);
int causa_i_buf_reserve(causa_i_buf *b, size_t extra);
int causa_i_buf_append(causa_i_buf *b, const void *p, size_t n);
int causa_i_buf_printf(causa_i_buf *b, const char *fmt, ...) CAUSA_PRINTF(2, 3);
void causa_i_buf_free(causa_i_buf *b);

/* ---- atomic streamed output (core/file.c) ----
 * Like causa_write_file but in pieces, so large outputs need not be built in memory: a
 * temporary file beside path receives the pieces, then is flushed and renamed over path
 * on commit; abort (or a failed write) removes it. "-" streams to standard output. */
typedef struct causa_i_out {
    causa_ctx *ctx;
    const char *path;
    char *tmp; /* temporary file name (NULL for standard output) */
    int fd;
    int failed; /* a write failed: commit refuses */
} causa_i_out;
int causa_i_out_open(causa_ctx *ctx, const char *path, causa_i_out *o);
int causa_i_out_write(causa_i_out *o, const void *data, size_t len);
int causa_i_out_commit(causa_i_out *o);
void causa_i_out_abort(causa_i_out *o);

/* ---- the processor (core/cpu.c) ---- */
/* Whether the AVX-512 paths can run (F, DQ and VL; 0 off x86-64). Cheap enough to ask at
 * every call. */
int causa_i_cpu_avx512(void);
/* A per-thread scratch of `bytes` rounded up to whole cache lines plus one, so that the
 * scratches of different threads, laid end to end, never share a line. */
static inline size_t causa_i_line_padded(size_t bytes) { return (bytes + 63) / 64 * 64 + 64; }

/* ---- stores that bypass the caches (core/stream_store.c) ---- */
/* Whether this processor has them (x86-64: always; elsewhere: never, and the two functions
 * below must not be called). */
int causa_i_stream_store_available(void);
/* dst[0..n) = src[0..n) with non-temporal stores where dst is aligned for them (ordinary
 * stores for the unaligned ends): the lines go to memory without first being read into
 * the cache, which halves the memory traffic of writing a large output once. */
void causa_i_stream_store(double *dst, const double *src, int64_t n);
/* The same with 16-byte stores only (the path of x86-64 processors without AVX-512; for
 * tests). */
void causa_i_stream_store_sse2(double *dst, const double *src, int64_t n);
/* Orders the stream stores before whatever follows (call before others read dst). */
void causa_i_stream_store_fence(void);

/* ---- random (rng.c) ---- */
/* The ziggurat tables (ziggurat_tables.c, generated by tools/gen_ziggurat.py). */
extern const double causa_i_zig_x[257];
extern const double causa_i_zig_f[257];
extern const double causa_i_zig_xs[256]; /* x[i] * 2^-63, exact (the eight-lane fill) */
/* One output of splitmix64 (Steele, Lea & Flood 2014), the seeder of xoshiro states. */
static inline uint64_t causa_i_splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
/* One step of xoshiro256++ (Blackman & Vigna 2019): causa_rng_u64, inlined where a loop
 * draws many. */
static inline uint64_t causa_i_rng_next(causa_rng *rng) {
    uint64_t *s = rng->s;
    uint64_t result = ((s[0] + s[3]) << 23 | (s[0] + s[3]) >> 41) + s[0], t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s[3] << 45 | s[3] >> 19;
    return result;
}
/* n draws of mu + sd Z, Z standard normal, by eight interleaved streams seeded from one draw
 * of rng (rng_fill.c says exactly how): the same bits on every machine, faster than n
 * calls of causa_rng_normal but not equal to them. The portable entry skips the vector
 * code (for tests). */
void causa_i_rng_fill_normal(causa_rng *rng, double mu, double sd, double *out, int64_t n);
void causa_i_rng_fill_normal_portable(causa_rng *rng, double mu, double sd, double *out, int64_t n);
/* The same fill in pieces: seed (one draw of rng), then fill n1, n2, ... values; every piece
 * but the last a multiple of CAUSA_I_FILL_CHUNK long, the values are those of one
 * causa_i_rng_fill_normal of n1 + n2 + ... (a sampler walks a block in cache-sized slices). */
#define CAUSA_I_FILL_CHUNK 512
typedef struct causa_i_normal_lanes {
    uint64_t s[4][8]; /* the eight lanes' states, word-major (the vector layout) */
    causa_rng spill;  /* the stream that finishes rejected draws */
} causa_i_normal_lanes;
void causa_i_normal_lanes_seed(causa_i_normal_lanes *L, causa_rng *rng);
void causa_i_normal_lanes_fill(causa_i_normal_lanes *L, double mu, double sd, double *out, int64_t n);

#endif
