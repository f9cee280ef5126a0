/*
 * gram.c: X'X, the one dense product every Gaussian test and score starts from.
 *
 * Why not only BLAS: the correlation step is most of PC's time on large data, and the
 * OpenBLAS that Debian ships picks its kernels from a table of CPU models, falling back to
 * SSE2 ("Prescott") on processors newer than the table; the environment may also pin that
 * core type on purpose. A symmetric rank-k product is small enough to do well by hand: the
 * packed-panel scheme of Goto and van de Geijn (ACM TOMS 34(3), 2008) with one
 * register-blocked micro-kernel per vector width (AVX-512 and AVX2 with FMA), chosen at run
 * time. Without either, the BLAS path below is used.
 *
 * Determinism: every entry is one fused multiply-add chain over the rows in order
 * (k = 0, 1, ..., n-1), whatever the tile, thread count or vector width, so the result is
 * bit-identical across thread counts and between the AVX-512 and AVX2 kernels.
 *
 * Blocking: the rows go by in blocks of KC. Each block's columns are packed (and centred,
 * when a shift is given) into panels of W columns, [k][W] contiguous, by all threads
 * together; then the tiles of the output's upper triangle (at most TILE x TILE) are spread
 * over the threads, each keeping the same share from block to block (gram_plan). Within a
 * tile a panel of W columns x KC rows (32 KB at W = 8) stays in L1 while the MR-row panels
 * of the other operand stream from L2 (at most TILE x KC x 8 bytes = 1.5 MB). KC = 512
 * against 256: 3-5 % faster at p = 500, 1 000 and 3 000, on one thread and on two (each C
 * micro-tile is loaded and stored half as often); 1 024 was slower at p = 1 000, and
 * halving TILE with KC = 512 slower at p = 3 000.
 */
#include <cblas.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define GRAM_X86 1
#else
#define GRAM_X86 0
#endif

#include "linalg_i.h"
#if CAUSA_OPENMP
#include <omp.h>
#endif


#define KC CAUSA_I_GRAM_KC /* rows per block (linalg_i.h: the tests need it) */
#define TILE 384 /* largest output tile edge: a multiple of both micro-tile heights (24, 12) */
#define TILE_MIN 96

/* ---- packing ---- */

#if GRAM_X86
/* The packing of a full 8-column panel on AVX-512: eight rows of the eight columns are
 * loaded as eight vectors (one cache line of each column) and transposed in registers into
 * eight packed rows, where the scalar loop does 64 loads and 64 stores for the same; about
 * 1.5 times the bandwidth (10.7 GB/s against 7.2 on the development VM). With acc, the
 * packed values are summed per column in row order as they are stored (acc[c] starts at
 * zero): the same additions, in the same order, as the scalar code's second pass. */
__attribute__((target("avx512f"))) static void pack8_avx512(const double *const col[8], const double s[8],
                                                            int64_t kc, double *dst, double acc[8]) {
    const __m512d sv = _mm512_loadu_pd(s);
    const __m512i lo2 = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0), hi2 = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
    const __m512i lo4 = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0), hi4 = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
    __m512d sum = _mm512_setzero_pd();
    int64_t k = 0;
    for (; k + 8 <= kc; k += 8) {
        __m512d r0 = _mm512_loadu_pd(col[0] + k), r1 = _mm512_loadu_pd(col[1] + k);
        __m512d r2 = _mm512_loadu_pd(col[2] + k), r3 = _mm512_loadu_pd(col[3] + k);
        __m512d r4 = _mm512_loadu_pd(col[4] + k), r5 = _mm512_loadu_pd(col[5] + k);
        __m512d r6 = _mm512_loadu_pd(col[6] + k), r7 = _mm512_loadu_pd(col[7] + k);
        /* Pairs of columns, then quads, then the eight: row i of the block ends in v[i]. */
        __m512d t0 = _mm512_unpacklo_pd(r0, r1), t1 = _mm512_unpackhi_pd(r0, r1);
        __m512d t2 = _mm512_unpacklo_pd(r2, r3), t3 = _mm512_unpackhi_pd(r2, r3);
        __m512d t4 = _mm512_unpacklo_pd(r4, r5), t5 = _mm512_unpackhi_pd(r4, r5);
        __m512d t6 = _mm512_unpacklo_pd(r6, r7), t7 = _mm512_unpackhi_pd(r6, r7);
        __m512d u0 = _mm512_permutex2var_pd(t0, lo2, t2), u1 = _mm512_permutex2var_pd(t1, lo2, t3);
        __m512d u2 = _mm512_permutex2var_pd(t0, hi2, t2), u3 = _mm512_permutex2var_pd(t1, hi2, t3);
        __m512d u4 = _mm512_permutex2var_pd(t4, lo2, t6), u5 = _mm512_permutex2var_pd(t5, lo2, t7);
        __m512d u6 = _mm512_permutex2var_pd(t4, hi2, t6), u7 = _mm512_permutex2var_pd(t5, hi2, t7);
        __m512d v[8] = {_mm512_permutex2var_pd(u0, lo4, u4), _mm512_permutex2var_pd(u1, lo4, u5),
                        _mm512_permutex2var_pd(u2, lo4, u6), _mm512_permutex2var_pd(u3, lo4, u7),
                        _mm512_permutex2var_pd(u0, hi4, u4), _mm512_permutex2var_pd(u1, hi4, u5),
                        _mm512_permutex2var_pd(u2, hi4, u6), _mm512_permutex2var_pd(u3, hi4, u7)};
#pragma GCC unroll 8
        for (int i = 0; i < 8; i++) {
            __m512d d = _mm512_sub_pd(v[i], sv);
            _mm512_storeu_pd(dst + (k + i) * 8, d);
            sum = _mm512_add_pd(sum, d);
        }
    }
    for (; k < kc; k++) {
        __m512d d = _mm512_sub_pd(_mm512_set_pd(col[7][k], col[6][k], col[5][k], col[4][k], col[3][k],
                                                col[2][k], col[1][k], col[0][k]),
                                  sv);
        _mm512_storeu_pd(dst + k * 8, d);
        sum = _mm512_add_pd(sum, d);
    }
    if (acc) _mm512_storeu_pd(acc, sum);
}
#endif

/* Packs rows [k0, k0 + kc) of the w columns of panel `pnl` into dst as [kc][w]; columns
 * past p are zero. With shift, column j is packed as x - shift[j]. Row by row, reading the w
 * columns side by side: w sequential streams the prefetcher follows, and whole-line stores;
 * column by column (one stream, stores 8 w bytes apart) ran at half the bandwidth.
 *
 * For the one-pass centred product (sums not NULL): with set_shift, shift[j] is first set
 * to the mean of these kc rows of column j; and the packed values of each column are summed
 * (in row order) into sums[j]. */
static void pack_panel(const double *x, int64_t ldx, double *shift, int set_shift, double *sums,
                       int64_t k0, int64_t kc, int64_t pnl, int64_t p, int w, double *dst) {
    const double *col[8];
    double s[8], acc[8];
    int nc = (int)CAUSA_MIN((int64_t)w, p - pnl * w);
    for (int c = 0; c < nc; c++) {
        int64_t j = pnl * w + c;
        col[c] = x + j * ldx + k0;
        if (set_shift) {
            double t = 0.0;
            for (int64_t k = 0; k < kc; k++) t += col[c][k];
            shift[j] = t / (double)kc;
        }
        s[c] = shift ? shift[j] : 0.0;
        acc[c] = 0.0;
    }
#if GRAM_X86
    if (nc == 8 && w == 8) { /* W = 8 is the AVX-512 path's */
        pack8_avx512(col, s, kc, dst, sums ? acc : NULL);
        if (sums)
            for (int c = 0; c < 8; c++) sums[pnl * 8 + c] += acc[c];
        return;
    }
#endif
    if (nc == 4 && w == 4) {
        for (int64_t k = 0; k < kc; k++)
            for (int c = 0; c < 4; c++) dst[k * 4 + c] = col[c][k] - s[c];
    } else {
        for (int64_t k = 0; k < kc; k++)
            for (int c = 0; c < w; c++) dst[k * w + c] = c < nc ? col[c][k] - s[c] : 0.0;
    }
    if (!sums) return;
    /* Summed from the packed block, hot in L1 (a second pass is cheaper than keeping w
     * accumulators live through the copy, which stops it vectorising). */
    for (int64_t k = 0; k < kc; k++)
        for (int c = 0; c < nc; c++) acc[c] += dst[k * w + c];
    for (int c = 0; c < nc; c++) sums[pnl * w + c] += acc[c];
}

/* ---- micro-kernels: C[0:MR, 0:NR] += A' B over kc rows; A is `na` panels (stride
 * pstride) of [kc][W], B one panel [kc][W]; C column-major with leading dimension ldc ---- */

#if GRAM_X86
/* AVX-512: W = 8, MR = 24 (3 panels), NR = 8: 24 accumulators of 8 doubles. */
__attribute__((target("avx512f"))) static void kernel_avx512(const double *a, int64_t pstride,
                                                             const double *b, int64_t kc, double *c,
                                                             int64_t ldc) {
    __m512d acc[3][8];
#pragma GCC unroll 8
    for (int j = 0; j < 8; j++)
#pragma GCC unroll 3
        for (int r = 0; r < 3; r++) acc[r][j] = _mm512_loadu_pd(c + 8 * r + j * ldc);
    const double *a0 = a, *a1 = a + pstride, *a2 = a + 2 * pstride;
    for (int64_t k = 0; k < kc; k++) {
        /* A row of the three A panels is a cache line each, read once per row; asked for
         * 16 rows (about 200 cycles) ahead, into L1. Without it the kernel waited on them
         * more on two threads, where half of the panels were packed by the other core:
         * 2 % faster on two threads, 0.2 % on one (p = 500, medians of 41-61 paired runs;
         * 8 and 32 rows ahead about the same, 128 no gain). */
        _mm_prefetch((const char *)(a0 + 8 * (k + 16)), _MM_HINT_T0);
        _mm_prefetch((const char *)(a1 + 8 * (k + 16)), _MM_HINT_T0);
        _mm_prefetch((const char *)(a2 + 8 * (k + 16)), _MM_HINT_T0);
        __m512d x0 = _mm512_loadu_pd(a0 + 8 * k), x1 = _mm512_loadu_pd(a1 + 8 * k),
                x2 = _mm512_loadu_pd(a2 + 8 * k);
        const double *bk = b + 8 * k;
#pragma GCC unroll 8
        for (int j = 0; j < 8; j++) {
            __m512d y = _mm512_set1_pd(bk[j]);
            acc[0][j] = _mm512_fmadd_pd(x0, y, acc[0][j]);
            acc[1][j] = _mm512_fmadd_pd(x1, y, acc[1][j]);
            acc[2][j] = _mm512_fmadd_pd(x2, y, acc[2][j]);
        }
    }
#pragma GCC unroll 8
    for (int j = 0; j < 8; j++)
#pragma GCC unroll 3
        for (int r = 0; r < 3; r++) _mm512_storeu_pd(c + 8 * r + j * ldc, acc[r][j]);
}

/* AVX2 + FMA: W = 4, MR = 12 (3 panels), NR = 4: 12 accumulators of 4 doubles. */
__attribute__((target("avx2,fma"))) static void kernel_avx2(const double *a, int64_t pstride,
                                                            const double *b, int64_t kc, double *c,
                                                            int64_t ldc) {
    __m256d acc[3][4];
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++)
#pragma GCC unroll 3
        for (int r = 0; r < 3; r++) acc[r][j] = _mm256_loadu_pd(c + 4 * r + j * ldc);
    const double *a0 = a, *a1 = a + pstride, *a2 = a + 2 * pstride;
    for (int64_t k = 0; k < kc; k++) {
        __m256d x0 = _mm256_loadu_pd(a0 + 4 * k), x1 = _mm256_loadu_pd(a1 + 4 * k),
                x2 = _mm256_loadu_pd(a2 + 4 * k);
        const double *bk = b + 4 * k;
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++) {
            __m256d y = _mm256_broadcast_sd(bk + j);
            acc[0][j] = _mm256_fmadd_pd(x0, y, acc[0][j]);
            acc[1][j] = _mm256_fmadd_pd(x1, y, acc[1][j]);
            acc[2][j] = _mm256_fmadd_pd(x2, y, acc[2][j]);
        }
    }
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++)
#pragma GCC unroll 3
        for (int r = 0; r < 3; r++) _mm256_storeu_pd(c + 4 * r + j * ldc, acc[r][j]);
}
#endif

typedef void (*micro_kernel)(const double *, int64_t, const double *, int64_t, double *, int64_t);

/* The vector path in use: its kernel, panel width W and micro-tile height MR = 3 W. */
typedef struct {
    micro_kernel kernel;
    int w;
} gram_isa;

static int isa_for(causa_gram_path path, gram_isa *isa) {
#if GRAM_X86
    __builtin_cpu_init();
    int has512 = __builtin_cpu_supports("avx512f");
    int has2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if ((path == CAUSA_GRAM_AUTO || path == CAUSA_GRAM_AVX512) && has512) {
        *isa = (gram_isa){kernel_avx512, 8};
        return 1;
    }
    if ((path == CAUSA_GRAM_AUTO || path == CAUSA_GRAM_AVX2) && has2) {
        *isa = (gram_isa){kernel_avx2, 4};
        return 1;
    }
#else
    (void)path;
#endif
    (void)isa;
    return 0;
}

int causa_i_gram_path_available(causa_gram_path path) {
    gram_isa isa;
    if (path == CAUSA_GRAM_BLAS) return 1;
    return isa_for(path, &isa);
}

/* ---- one column panel of a tile ---- */

/* Adds one block of kc rows to rows [i0, i0 + mi) of the W columns starting at j (at most
 * p - j of them) of out (ld p), from the packed panels (panel q at packed + q * pstride).
 * Tile edges are multiples of the micro-tile height, so a partial micro-tile occurs only at
 * the last columns, where the panels past the end read as zeros. On a diagonal tile (diag,
 * with the panel jb columns into it), micro-tiles wholly below the diagonal are skipped. */
static void panel_block(const gram_isa *isa, const double *packed, int64_t pstride, int64_t kc,
                        int64_t i0, int64_t mi, int64_t j, int64_t jb, int diag, double *out,
                        int64_t p) {
    int w = isa->w, mr = 3 * w;
    double edge[24 * 8];
    const double *b = packed + (j / w) * pstride;
    int64_t nc = CAUSA_MIN(w, p - j);
    for (int64_t ib = 0; ib < mi; ib += mr) {
        if (diag && ib > jb + w - 1) break; /* the rest of this column is below */
        const double *a = packed + ((i0 + ib) / w) * pstride;
        int64_t nr = CAUSA_MIN(mr, mi - ib);
        double *c = out + (i0 + ib) + j * p;
        if (nr == mr && nc == w) {
            isa->kernel(a, pstride, b, kc, c, p);
            continue;
        }
        /* The last columns: through a full-size scratch tile. */
        memset(edge, 0, sizeof edge);
        for (int64_t jj = 0; jj < nc; jj++)
            for (int64_t ii = 0; ii < nr; ii++) edge[ii + jj * mr] = c[ii + jj * p];
        isa->kernel(a, pstride, b, kc, edge, mr);
        for (int64_t jj = 0; jj < nc; jj++)
            for (int64_t ii = 0; ii < nr; ii++) c[ii + jj * p] = edge[ii + jj * mr];
    }
}

/* Called by every thread of a parallel region: subtracts the centring correction
 * sums_i sums_j / n from out's upper triangle (sums not NULL) and mirrors it into the lower. */
static void finish_upper(double *out, int64_t p, const double *sums, int64_t n) {
    if (sums) {
#if CAUSA_OPENMP
#pragma omp for schedule(dynamic, 16)
#endif
        for (int64_t j = 0; j < p; j++)
            for (int64_t i = 0; i <= j; i++) out[i + j * p] -= sums[i] * sums[j] / (double)n;
    }
#if CAUSA_OPENMP
#pragma omp for schedule(dynamic, 16)
#endif
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = j + 1; i < p; i++) out[i + j * p] = out[j + i * p];
}

/* Tile t of the upper triangle (row-major over tile pairs bi <= bj). */
static void tile_index(int64_t t, int64_t nt, int64_t *bi, int64_t *bj) {
    int64_t i = 0, rem = t;
    while (rem >= nt - i) {
        rem -= nt - i;
        i++;
    }
    *bi = i;
    *bj = i + rem;
}

/* Adds one block of kc rows to tile (bi, bj) of edge `tile` (ld p). */
static void tile_block(const gram_isa *isa, const double *packed, int64_t pstride, int64_t kc,
                       int64_t bi, int64_t bj, int64_t tile, double *out, int64_t p) {
    int w = isa->w;
    int64_t i0 = bi * tile, j0 = bj * tile;
    int64_t mi = CAUSA_MIN(tile, p - i0), mj = CAUSA_MIN(tile, p - j0);
    for (int64_t jb = 0; jb < mj; jb += w)
        panel_block(isa, packed, pstride, kc, i0, mi, j0 + jb, jb, bi == bj, out, p);
}

/* ---- a block's work, shared by a team of threads ---- */

/* One task of a block: a tile of the current block (kind 0, tile index), a panel of the
 * next block to pack (kind 1, panel index), or one column panel of a diagonal tile (kind 2,
 * tile index and the panel's column offset in the tile). */
typedef struct {
    int64_t index, sub;
    int kind;
} gram_task;

/* How `team` threads share the blocks: the tile edge, the task list of a block, and each
 * member's home share of it, [home[t], home[t + 1]), by estimated cost. A member works
 * through its own share from the front and then takes what is left of the others' from the
 * back: the same member keeps the same output tiles block after block (they stay in its
 * cache, where handing each task to the next free thread moved them between the cores at
 * every block), and a member slowed by a busy machine is still covered. */
typedef struct {
    const gram_isa *isa;
    int64_t p, tile, nt, npanels, pstride, ntasks;
    int team;
    gram_task *task;
    int64_t *home;
} gram_plan;

/* A member's claim word, on a cache line of its own: the unclaimed tasks of its share, as
 * first << 32 | end. */
typedef struct {
    uint64_t range;
    char pad[64 - sizeof(uint64_t)];
} gram_claim;

/* The cost of a task in units of one output entry's block of multiply-adds: a panel's
 * packing (memory bound: 8 w bytes a row against 2 flops an entry a row) measured about as
 * long as 26 w entries' worth on the development machine (11 % of the time at p = 500). */
static double task_cost(const gram_plan *P, const gram_task *t) {
    int w = P->isa->w;
    int64_t bi, bj;
    if (t->kind == 1) return 26.0 * w;
    tile_index(t->index, P->nt, &bi, &bj);
    int64_t mi = CAUSA_MIN(P->tile, P->p - bi * P->tile), mj = CAUSA_MIN(P->tile, P->p - bj * P->tile);
    if (t->kind == 0) return (double)mi * (double)mj;
    int64_t mr = 3 * w, rows = CAUSA_MIN(mi, (t->sub + w + mr - 1) / mr * mr);
    return (double)rows * (double)CAUSA_MIN(w, mj - t->sub);
}

/* Cuts task[lo, hi) into `parts` runs of about equal cost: run m is [cut[m], cut[m + 1]). */
static void cost_cuts(const gram_plan *P, const gram_task *task, int64_t lo, int64_t hi, int parts, int64_t *cut) {
    double total = 0, acc = 0;
    for (int64_t t = lo; t < hi; t++) total += task_cost(P, &task[t]);
    int m = 1;
    cut[0] = lo;
    for (int64_t t = lo; t < hi && m < parts; t++) {
        acc += task_cost(P, &task[t]);
        while (m < parts && acc >= total * m / parts) cut[m++] = t + 1;
    }
    while (m <= parts) cut[m++] = hi;
}

static int plan_build(causa_ctx *ctx, const gram_isa *isa, int64_t p, int team, gram_plan *P) {
    int rc = CAUSA_OK;
    int64_t *cut = NULL;
    int w = isa->w;
    memset(P, 0, sizeof *P);
    P->isa = isa;
    P->p = p;
    P->team = team;
    /* Halve the tile until each member has about eight to take: the uneven diagonal and
     * edge tiles then even out. The tile size changes only which entries are computed
     * together, never an entry's summation order. */
    int64_t tile = TILE, nt, ntiles;
    for (;;) {
        nt = (p + tile - 1) / tile;
        ntiles = nt * (nt + 1) / 2;
        if (tile <= TILE_MIN || ntiles >= 8 * (int64_t)team) break;
        tile /= 2;
    }
    P->tile = tile;
    P->nt = nt;
    /* Packing reads the data from memory; at a few hundred columns that is a tenth of the
     * time (perf, p = 500: 12 % with the AVX-512 transpose, 24 % with the scalar loop),
     * and in a phase of its own it would not speed up with a second thread (memory bound).
     * So the packing of the next block is cut into tasks spread among the current block's
     * tiles: the loads of one thread overlap the other's arithmetic, and a block needs one
     * barrier. The two panels past the last are zeros (a partial micro-tile at the end
     * reads up to two panels past it). */
    P->npanels = (p + w - 1) / w;
    P->pstride = (int64_t)KC * w;
    int64_t ntasks = ntiles * ((tile + w - 1) / w) + P->npanels; /* at most */
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&P->task, causa_i_mul_size(2 * (size_t)ntasks, sizeof *P->task),
                            "Gram tasks"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&P->home, (size_t)(team + 1) * sizeof *P->home, "Gram shares"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&cut, 2 * (size_t)(team + 1) * sizeof *cut, "Gram shares"));
    /* The tasks in their order of preference: the off-diagonal tiles, with the packing
     * tasks spread evenly among them; then the diagonal tiles, cut into their column
     * panels (a few microseconds each). */
    int64_t k = 0, done_pk = 0, done_t = 0, noff = ntiles - nt;
    gram_task *all = P->task + ntasks; /* the second half of the allocation */
    for (int64_t t = 0; t < ntiles; t++) {
        int64_t bi, bj;
        tile_index(t, nt, &bi, &bj);
        if (bi == bj) continue;
        all[k++] = (gram_task){t, 0, 0};
        done_t++;
        int64_t upto = CAUSA_MIN(P->npanels, P->npanels * done_t / CAUSA_MAX(1, noff));
        for (; done_pk < upto; done_pk++) all[k++] = (gram_task){done_pk, 0, 1};
    }
    for (; done_pk < P->npanels; done_pk++) all[k++] = (gram_task){done_pk, 0, 1};
    int64_t nbig = k;
    for (int64_t bi = 0; bi < nt; bi++) {
        int64_t t = bi * nt - bi * (bi - 1) / 2; /* tile (bi, bi) in tile_index's order */
        for (int64_t jb = 0; jb < CAUSA_MIN(tile, p - bi * tile); jb += w) all[k++] = (gram_task){t, jb, 2};
    }
    P->ntasks = k;
    /* Member m's share: its part (by cost) of the large tasks, then its part of the small
     * ones, so that what others take from the back of a share is small: a share ending in
     * a whole tile kept the thief's partner waiting at the block's barrier. */
    cost_cuts(P, all, 0, nbig, team, cut);
    cost_cuts(P, all, nbig, k, team, cut + team + 1);
    int64_t at = 0;
    for (int m = 0; m < team; m++) {
        P->home[m] = at;
        for (int part = 0; part < 2; part++)
            for (int64_t t = cut[part * (team + 1) + m]; t < cut[part * (team + 1) + m + 1]; t++) P->task[at++] = all[t];
    }
    P->home[team] = at;
done:
    causa_i_free(ctx, cut);
    return rc;
}

static void plan_free(causa_ctx *ctx, gram_plan *P) {
    causa_i_free(ctx, P->task);
    causa_i_free(ctx, P->home);
}

/* Takes a task from a share: the first (owner) or the last (anyone else); -1 when empty. */
static int64_t claim(gram_claim *c, int owner) {
    uint64_t v = __atomic_load_n(&c->range, __ATOMIC_RELAXED);
    for (;;) {
        uint64_t first = v >> 32, end = v & 0xffffffffu;
        if (first >= end) return -1;
        uint64_t next = owner ? (first + 1) << 32 | end : first << 32 | (end - 1);
        if (__atomic_compare_exchange_n(&c->range, &v, next, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            return owner ? (int64_t)first : (int64_t)end - 1;
    }
}

/* Sets the team's claim words to the full home shares. */
static void reset_claims(const gram_plan *P, gram_claim *claims) {
    for (int m = 0; m < P->team; m++)
        __atomic_store_n(&claims[m].range, (uint64_t)P->home[m] << 32 | (uint64_t)P->home[m + 1], __ATOMIC_RELAXED);
}

static void run_task(const gram_plan *P, const gram_task *t, const double *packed, int64_t kc,
                     const double *x, int64_t ldx, double *shift, double *sums, int64_t k1, int64_t kc1,
                     double *next, double *c) {
    int64_t bi, bj, p = P->p;
    if (t->kind == 1) {
        if (kc1 > 0)
            pack_panel(x, ldx, shift, 0, sums, k1, kc1, t->index, p, P->isa->w, next + t->index * P->pstride);
        return;
    }
    tile_index(t->index, P->nt, &bi, &bj);
    if (t->kind == 0) {
        tile_block(P->isa, packed, P->pstride, kc, bi, bj, P->tile, c, p);
    } else {
        int64_t i0 = bi * P->tile;
        panel_block(P->isa, packed, P->pstride, kc, i0, CAUSA_MIN(P->tile, p - i0), i0 + t->sub, t->sub, 1, c, p);
    }
}

/* out (p x p, upper triangle; zeroed here) = X'X, with column j shifted by shift[j]; or,
 * with sums given, the shift is first set to the mean of the first block of rows and
 * sums[j] = the sum of x - shift[j] over all rows (see causa_i_gram_centred). Run by every
 * member of the plan's team, together inside one parallel region, `me` being this one's
 * number of the `here` that the runtime started; buf: the two packing buffers, claims: 2 team
 * claim words. */
static void gram_blocks(const gram_plan *P, const double *x, int64_t ldx, int64_t n, double *shift,
                        double *sums, double *out, double *const buf[2], gram_claim *claims, int me,
                        int here) {
    int team = P->team, w = P->isa->w;
    int64_t p = P->p;
    /* Zeroed by the members together: a fresh output's first touch (page faults) is then
     * not serial. */
    for (int64_t j = me; j < p; j += here) memset(out + j * p, 0, (size_t)p * sizeof(double));
    for (int64_t q = me; q < P->npanels; q += here)
        pack_panel(x, ldx, shift, sums != NULL, sums, 0, CAUSA_MIN(KC, n), q, p, w, buf[0] + q * P->pstride);
    /* Every member sets every claim word (the same values): a team that the runtime made
     * smaller than planned then takes the missing members' shares as well. */
    reset_claims(P, claims);
#if CAUSA_OPENMP
#pragma omp barrier
#endif
    for (int64_t k0 = 0, blk = 0; k0 < n; k0 += KC, blk++) {
        int64_t kc = CAUSA_MIN(KC, n - k0), k1 = k0 + KC, kc1 = CAUSA_MIN(KC, n - k1);
        const double *packed = buf[blk & 1];
        double *next = buf[(blk + 1) & 1];
        /* This block's claim words; the next block's (the other half, idle since the
         * barrier that ended the last block) are reset for it now. */
        gram_claim *cur = claims + (blk & 1) * team;
        reset_claims(P, claims + ((blk + 1) & 1) * team);
        for (int v = 0; v < team; v++) {
            int64_t t;
            while ((t = claim(&cur[(me + v) % team], v == 0)) >= 0)
                run_task(P, &P->task[t], packed, kc, x, ldx, shift, sums, k1, kc1, next, out);
        }
        /* After it nobody reads this block's panels, and the next block's are packed. */
#if CAUSA_OPENMP
#pragma omp barrier
#endif
    }
}

/* The packed path: out = the full symmetric product, centred when sums are given. */
static int gram_packed(causa_ctx *ctx, const gram_isa *isa, const double *x, int64_t n, int64_t p,
                       int64_t ldx, double *shift, double *sums, double *out, int threads) {
    int rc = CAUSA_OK;
    int team = threads > 0 ? threads : 1;
#if !CAUSA_OPENMP
    team = 1;
#endif
    /* No more threads than tiles at the smallest tile edge: small products start no team
     * that would only wait at the barriers. */
    int64_t most = (p + TILE_MIN - 1) / TILE_MIN;
    if (team > most * (most + 1) / 2) team = (int)(most * (most + 1) / 2);
    gram_plan P;
    double *mem = NULL;
    gram_claim *claims = NULL;
    CAUSA_TRY(plan_build(ctx, isa, p, team, &P));
    size_t bufsize = (size_t)((P.npanels + 2) * P.pstride);
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&mem, causa_i_mul_size(2 * bufsize + 8, sizeof(double)),
                            "Gram packing buffers"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&claims, causa_i_mul_size(2 * (size_t)team, sizeof *claims),
                            "Gram claims"));
    double *const buf[2] = {(double *)(((uintptr_t)mem + 63) & ~(uintptr_t)63),
                            (double *)(((uintptr_t)mem + 63) & ~(uintptr_t)63) + bufsize};
    /* Only the two panels past the last must read as zeros (packing writes the rest, and
     * the columns of a last partial panel as zeros): a zeroed allocation of both buffers was
     * a serial memset of 4 MB at p = 500. */
    for (int b = 0; b < 2; b++) memset(buf[b] + P.npanels * P.pstride, 0, 2 * (size_t)P.pstride * sizeof(double));
#if CAUSA_OPENMP
#pragma omp parallel num_threads(team)
#endif
    {
        int me = 0, here = 1;
#if CAUSA_OPENMP
        me = omp_get_thread_num();
        here = omp_get_num_threads();
#endif
        gram_blocks(&P, x, ldx, n, shift, sums, out, buf, claims, me, here);
        finish_upper(out, p, sums, n);
    }
done:
    plan_free(ctx, &P);
    causa_i_free(ctx, mem);
    causa_i_free(ctx, claims);
    return rc;
}

/* ---- the BLAS path (no usable vector extension, or asked for) ---- */

static int gram_blas(causa_ctx *ctx, const double *x, int64_t n, int64_t p, int64_t ldx,
                     const double *shift, double *out, int threads) {
    int rc = CAUSA_OK;
    double *xc = NULL;
    if (shift) {
        /* BLAS cannot centre on the fly: centre a copy (the cost the packed path avoids). */
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&xc,
                                causa_i_mul_size(causa_i_mul_size((size_t)n, (size_t)p), sizeof(double)),
                                "centred data"));
        for (int64_t j = 0; j < p; j++)
            for (int64_t i = 0; i < n; i++) xc[i + j * n] = x[i + j * ldx] - shift[j];
        x = xc;
        ldx = n;
    }
    int64_t nt = (p + 127) / 128;
    int64_t ntiles = nt * (nt + 1) / 2;
    int prev = causa_i_blas_threads_begin();
    (void)threads;
#if CAUSA_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
#endif
    for (int64_t t = 0; t < ntiles; t++) {
        int64_t bi, bj;
        tile_index(t, nt, &bi, &bj);
        int64_t i0 = bi * 128, j0 = bj * 128;
        int64_t mi = CAUSA_MIN(128, p - i0), mj = CAUSA_MIN(128, p - j0);
        if (bi == bj)
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)mi, (int)n, 1.0, x + i0 * ldx,
                        (int)ldx, 0.0, out + i0 + i0 * p, (int)p);
        else
            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)mi, (int)mj, (int)n, 1.0,
                        x + i0 * ldx, (int)ldx, x + j0 * ldx, (int)ldx, 0.0, out + i0 + j0 * p,
                        (int)p);
    }
    causa_i_blas_threads_end(prev);
done:
    causa_i_free(ctx, xc);
    return rc;
}

/* ---- entry points ---- */

/* Runs the chosen path: out = the full symmetric product, centred when sums are given
 * (then shift is chosen here, see causa_i_gram_centred). */
static int gram_run(causa_ctx *ctx, causa_gram_path path, const double *x, int64_t n, int64_t p,
                    int64_t ldx, double *shift, double *sums, double *out, int threads) {
    int rc = CAUSA_OK;
    gram_isa isa;
    if (path != CAUSA_GRAM_BLAS && isa_for(path, &isa))
        return gram_packed(ctx, &isa, x, n, p, ldx, shift, sums, out, threads);
    if (sums) {
        /* BLAS cannot sum while it packs: centre on the exact means, correction zero. */
        for (int64_t j = 0; j < p; j++) {
            double t = 0.0;
            for (int64_t i = 0; i < n; i++) t += x[i + j * ldx];
            shift[j] = t / (double)n;
            sums[j] = 0.0;
        }
    }
    CAUSA_TRY(gram_blas(ctx, x, n, p, ldx, shift, out, threads));
    (void)threads;
#if CAUSA_OPENMP
#pragma omp parallel num_threads(threads > 0 ? threads : 1)
#endif
    finish_upper(out, p, sums, n);
done:
    return rc;
}

int causa_i_gram_with(causa_ctx *ctx, causa_gram_path path, const double *x, int64_t n, int64_t p,
                      int64_t ldx, const double *shift, double *out, int threads) {
    if (p <= 0) return CAUSA_OK;
    if (n <= 0) {
        memset(out, 0, causa_i_mul_size(causa_i_mul_size((size_t)p, (size_t)p), sizeof(double)));
        return CAUSA_OK;
    }
    /* Not written when sums is NULL. */
    return gram_run(ctx, path, x, n, p, ldx, (double *)shift, NULL, out, threads);
}

int causa_i_gram(causa_ctx *ctx, const double *x, int64_t n, int64_t p, int64_t ldx,
                 const double *shift, double *out, int threads) {
    return causa_i_gram_with(ctx, CAUSA_GRAM_AUTO, x, n, p, ldx, shift, out, threads);
}

int causa_i_gram_centred_with(causa_ctx *ctx, causa_gram_path path, const double *x, int64_t n,
                              int64_t p, int64_t ldx, double *means, double *out, int threads) {
    int rc = CAUSA_OK;
    double *sums = NULL;
    if (p <= 0) return CAUSA_OK;
    if (n <= 0) return causa_i_error(ctx, CAUSA_EINVAL, "a centred cross-product needs rows");
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&sums, (size_t)p * sizeof *sums, "column sums"));
    CAUSA_TRY(gram_run(ctx, path, x, n, p, ldx, means, sums, out, threads));
    for (int64_t j = 0; j < p; j++) means[j] += sums[j] / (double)n;
done:
    causa_i_free(ctx, sums);
    return rc;
}

int causa_i_gram_centred(causa_ctx *ctx, const double *x, int64_t n, int64_t p, int64_t ldx,
                         double *means, double *out, int threads) {
    return causa_i_gram_centred_with(ctx, CAUSA_GRAM_AUTO, x, n, p, ldx, means, out, threads);
}
