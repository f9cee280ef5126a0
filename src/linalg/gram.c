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
 * over the threads. Within a tile a panel of W columns x KC rows (16 KB at W = 8) stays in
 * L1 while the MR-row panels of the other operand stream from L2 (at most TILE x KC x 8
 * bytes = 768 KB).
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


#define KC 256   /* rows per block */
#define TILE 384 /* largest output tile edge: a multiple of both micro-tile heights (24, 12) */
#define TILE_MIN 96

/* ---- packing ---- */

/* Packs rows [k0, k0 + kc) of the w columns of panel `pnl` into dst as [kc][w]; columns
 * past p are zero. With shift, column j is packed as x - shift[j]. */
static void pack_panel(const double *x, int64_t ldx, const double *shift, int64_t k0, int64_t kc,
                       int64_t pnl, int64_t p, int w, double *dst) {
    for (int c = 0; c < w; c++) {
        int64_t j = pnl * w + c;
        if (j >= p) {
            for (int64_t k = 0; k < kc; k++) dst[k * w + c] = 0.0;
            continue;
        }
        const double *col = x + j * ldx + k0;
        if (shift) {
            double s = shift[j];
            for (int64_t k = 0; k < kc; k++) dst[k * w + c] = col[k] - s;
        } else {
            for (int64_t k = 0; k < kc; k++) dst[k * w + c] = col[k];
        }
    }
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

/* ---- one tile ---- */

/* Adds one block of kc rows to tile (i0, mi) x (j0, mj) of out (ld p), from the packed
 * panels (panel q at packed + q * pstride). Tile edges are multiples of the micro-tile
 * height, so a partial micro-tile occurs only at the last columns, where the panels past
 * the end read as zeros. On a diagonal tile, micro-tiles wholly below the diagonal are
 * skipped. */
static void tile_block(const gram_isa *isa, const double *packed, int64_t pstride, int64_t kc,
                       int64_t i0, int64_t mi, int64_t j0, int64_t mj, int diag, double *out,
                       int64_t p) {
    int w = isa->w, mr = 3 * w;
    double edge[24 * 8];
    for (int64_t jb = 0; jb < mj; jb += w) {
        const double *b = packed + ((j0 + jb) / w) * pstride;
        int64_t nc = CAUSA_MIN(w, mj - jb);
        for (int64_t ib = 0; ib < mi; ib += mr) {
            if (diag && ib > jb + w - 1) break; /* the rest of this column is below */
            const double *a = packed + ((i0 + ib) / w) * pstride;
            int64_t nr = CAUSA_MIN(mr, mi - ib);
            double *c = out + (i0 + ib) + (j0 + jb) * p;
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

static int gram_tiles(causa_ctx *ctx, const gram_isa *isa, const double *x, int64_t n, int64_t p,
                      int64_t ldx, const double *shift, double *out, int threads) {
    int rc = CAUSA_OK;
    int nthreads = threads > 0 ? threads : 1;
    int w = isa->w;
    /* Halve the tile until each thread has about eight to take (dynamic scheduling then
     * evens out the uneven diagonal and edge tiles). The tile size changes only which
     * entries are computed together, never an entry's summation order. */
    int64_t tile = TILE, nt, ntiles;
    for (;;) {
        nt = (p + tile - 1) / tile;
        ntiles = nt * (nt + 1) / 2;
        if (tile <= TILE_MIN || ntiles >= 8 * (int64_t)nthreads) break;
        tile /= 2;
    }
    if (nthreads > ntiles) nthreads = (int)ntiles;
    /* One packed block of all columns, shared by the threads: panel q at q * pstride, plus
     * two zero panels past the last (a partial micro-tile at the end reads up to two panels
     * past it), 64-byte aligned. Packed once per block of rows, so small tiles cost no
     * extra packing. */
    int64_t npanels = (p + w - 1) / w, pstride = (int64_t)KC * w;
    double *mem = NULL;
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&mem,
                             causa_i_mul_size((size_t)((npanels + 2) * pstride + 8), sizeof(double)),
                             "Gram packing buffer"));
    double *packed = (double *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
    memset(out, 0, causa_i_mul_size(causa_i_mul_size((size_t)p, (size_t)p), sizeof(double)));
#if CAUSA_OPENMP
#pragma omp parallel num_threads(nthreads)
#endif
    for (int64_t k0 = 0; k0 < n; k0 += KC) {
        /* Every thread runs this loop; the work-sharing loops inside end in barriers, so
         * a block is packed before it is used and used before the next overwrites it. */
        int64_t kc = CAUSA_MIN(KC, n - k0);
#if CAUSA_OPENMP
#pragma omp for schedule(static)
#endif
        for (int64_t q = 0; q < npanels; q++)
            pack_panel(x, ldx, shift, k0, kc, q, p, w, packed + q * pstride);
#if CAUSA_OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (int64_t t = 0; t < ntiles; t++) {
            int64_t bi, bj;
            tile_index(t, nt, &bi, &bj);
            int64_t i0 = bi * tile, j0 = bj * tile;
            tile_block(isa, packed, pstride, kc, i0, CAUSA_MIN(tile, p - i0), j0,
                       CAUSA_MIN(tile, p - j0), bi == bj, out, p);
        }
    }
done:
    causa_i_free(ctx, mem);
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

int causa_i_gram_with(causa_ctx *ctx, causa_gram_path path, const double *x, int64_t n, int64_t p,
                      int64_t ldx, const double *shift, double *out, int threads) {
    int rc = CAUSA_OK;
    if (p <= 0) return CAUSA_OK;
    if (n <= 0) {
        memset(out, 0, causa_i_mul_size(causa_i_mul_size((size_t)p, (size_t)p), sizeof(double)));
        return CAUSA_OK;
    }
    gram_isa isa;
    if (path != CAUSA_GRAM_BLAS && isa_for(path, &isa))
        CAUSA_TRY(gram_tiles(ctx, &isa, x, n, p, ldx, shift, out, threads));
    else
        CAUSA_TRY(gram_blas(ctx, x, n, p, ldx, shift, out, threads));
    /* Mirror the upper triangle into the lower one. */
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = j + 1; i < p; i++) out[i + j * p] = out[j + i * p];
done:
    return rc;
}

int causa_i_gram(causa_ctx *ctx, const double *x, int64_t n, int64_t p, int64_t ldx,
                 const double *shift, double *out, int threads) {
    return causa_i_gram_with(ctx, CAUSA_GRAM_AUTO, x, n, p, ldx, shift, out, threads);
}
