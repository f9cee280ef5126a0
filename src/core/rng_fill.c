/*
 * rng_fill.c: many normal draws at once, for the samplers' noise columns.
 *
 * causa_rng_normal is one sequential xoshiro256++ chain plus a ziggurat compare: 3-4 ns a
 * draw, even inlined, and most of the time of sampling a linear SCM (1.4-1.7 ns here). A column needs no single chain,
 * only a fixed, documented one, so this fill runs eight independent xoshiro256++ lanes side
 * by side (one AVX-512 register each state word) and does the ziggurat's first compare for
 * eight draws at once.
 *
 * The values are defined by the scheme, not by the code that computes them:
 *  - one draw of the caller's stream gives a key; the splitmix64 sequence from it seeds
 *    lane l (0..7) with its words 4 l + 1 .. 4 l + 4, and a ninth "spill" stream with the
 *    next four;
 *  - output i takes the next draw of lane i mod 8 (a partial last group draws all eight
 *    lanes and uses the first ones); when the ziggurat's first compare accepts it (about
 *    99 % of draws), the output is mu + sd z;
 *  - otherwise the draw is finished by the wedge and tail tests of causa_rng_normal with
 *    further bits from the spill stream, the failed draws taken in increasing i.
 * The rejected draws of the first compare restart from independent bits either way, so the
 * outputs are exactly standard normal (times sd, plus mu). The AVX-512 code and the
 * portable loop below follow the same scheme and give the same bits, on any machine.
 */
#include <math.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define FILL_X86 1
#else
#define FILL_X86 0
#endif

#include "../internal.h"

#define LANES 8
#define CHUNK CAUSA_I_FILL_CHUNK /* outputs between the passes that finish rejected draws */

typedef causa_i_normal_lanes lanes;

void causa_i_normal_lanes_seed(lanes *L, causa_rng *rng) {
    /* One splitmix64 sequence from the key, four consecutive words per lane: no two lanes
     * share a word. */
    uint64_t k = causa_rng_u64(rng);
    for (int l = 0; l <= LANES; l++) {
        uint64_t w[4];
        for (int i = 0; i < 4; i++) w[i] = causa_i_splitmix64(&k);
        if (!(w[0] | w[1] | w[2] | w[3])) w[0] = 1;
        for (int i = 0; i < 4; i++) {
            if (l < LANES) L->s[i][l] = w[i];
            else L->spill.s[i] = w[i];
        }
    }
}

/* The ziggurat after a failed first compare of `bits`: the steps of causa_rng_normal (rng.c)
 * from that point, with further bits from rng (causa_rng_u64, inlined). */
static double normal_finish(causa_rng *rng, uint64_t bits) {
    const double *x = causa_i_zig_x, *f = causa_i_zig_f;
    for (;;) {
        int i = (int)(bits & 0xff);
        double u = (double)(int64_t)(bits >> 11 << 11) * 0x1.0p-63;
        double z = u * x[i];
        if (fabs(z) < x[i + 1]) return z;
        if (i == 0) {
            double a, b;
            do {
                a = -log(((double)(causa_i_rng_next(rng) >> 11) + 0.5) * 0x1.0p-53) / x[1];
                b = -log(((double)(causa_i_rng_next(rng) >> 11) + 0.5) * 0x1.0p-53);
            } while (b + b < a * a);
            return u < 0 ? -(x[1] + a) : x[1] + a;
        }
        double y = f[i] + (double)(causa_i_rng_next(rng) >> 11) * 0x1.0p-53 * (f[i + 1] - f[i]);
        if (y < exp(-0.5 * z * z)) return z;
        bits = causa_i_rng_next(rng);
    }
}

/* Finishes the nfail rejected draws of a chunk, in increasing position. */
static void finish_rejected(lanes *L, double mu, double sd, double *out, const int32_t *pos,
                            const uint64_t *bits, int nfail) {
    for (int f = 0; f < nfail; f++) out[pos[f]] = mu + sd * normal_finish(&L->spill, bits[f]);
}

/* Portable: up to CHUNK outputs (m), the scheme's steps one lane at a time. */
static int chunk_portable(lanes *L, double mu, double sd, double *out, int64_t m, int32_t *pos,
                          uint64_t *fbits) {
    const double *zx = causa_i_zig_x;
    int nfail = 0;
    for (int64_t g = 0; g < m; g += LANES) {
        for (int l = 0; l < LANES; l++) {
            causa_rng lane = {{L->s[0][l], L->s[1][l], L->s[2][l], L->s[3][l]}};
            uint64_t b = causa_i_rng_next(&lane);
            for (int i = 0; i < 4; i++) L->s[i][l] = lane.s[i];
            if (g + l >= m) continue;
            int k = (int)(b & 0xff);
            double z = (double)(int64_t)(b >> 11 << 11) * 0x1.0p-63 * zx[k];
            if (CAUSA_LIKELY(fabs(z) < zx[k + 1])) {
                out[g + l] = mu + sd * z;
            } else {
                pos[nfail] = (int32_t)(g + l);
                fbits[nfail++] = b;
            }
        }
    }
    return nfail;
}

#if FILL_X86

/* AVX-512: the same steps, eight lanes per instruction; rejected draws go to (pos, fbits)
 * by compress stores. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static int chunk_avx512(lanes *L, double mu, double sd,
                                                                   double *out, int64_t m,
                                                                   int32_t *pos, uint64_t *fbits) {
    const double *zx = causa_i_zig_x;
    __m512i s0 = _mm512_loadu_si512(L->s[0]), s1 = _mm512_loadu_si512(L->s[1]),
            s2 = _mm512_loadu_si512(L->s[2]), s3 = _mm512_loadu_si512(L->s[3]);
    const __m512i low8 = _mm512_set1_epi64(0xff);
    const __m512d vmu = _mm512_set1_pd(mu), vsd = _mm512_set1_pd(sd), scale = _mm512_set1_pd(0x1.0p-63);
    const __m512i lane = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    const __m512d absmask = _mm512_castsi512_pd(_mm512_set1_epi64(0x7fffffffffffffffLL));
    int nfail = 0;
    for (int64_t g = 0; g < m; g += LANES) {
        __m512i b = _mm512_add_epi64(_mm512_rol_epi64(_mm512_add_epi64(s0, s3), 23), s0);
        __m512i t = _mm512_slli_epi64(s1, 17);
        s2 = _mm512_xor_si512(s2, s0);
        s3 = _mm512_xor_si512(s3, s1);
        s1 = _mm512_xor_si512(s1, s2);
        s0 = _mm512_xor_si512(s0, s3);
        s2 = _mm512_xor_si512(s2, t);
        s3 = _mm512_rol_epi64(s3, 45);
        __m512i k = _mm512_and_si512(b, low8);
        __m512d xk = _mm512_i64gather_pd(k, zx, 8), xk1 = _mm512_i64gather_pd(k, zx + 1, 8);
        /* (double)(int64_t)(b >> 11 << 11): the top 53 bits as a signed integer, exact. */
        __m512i top = _mm512_slli_epi64(_mm512_srli_epi64(b, 11), 11);
        __m512d z = _mm512_mul_pd(_mm512_mul_pd(_mm512_cvtepi64_pd(top), scale), xk);
        __mmask8 ok = _mm512_cmp_pd_mask(_mm512_and_pd(z, absmask), xk1, _CMP_LT_OQ);
        __m512d v = _mm512_add_pd(vmu, _mm512_mul_pd(vsd, z));
        int64_t left = m - g;
        __mmask8 valid = left >= LANES ? (__mmask8)0xff : (__mmask8)((1u << left) - 1);
        /* Rejected lanes are written too (overwritten by the finishing pass), and recorded
         * by compress stores without a branch: one in eight groups has a rejection, too
         * often to predict. */
        _mm512_mask_storeu_pd(out + g, valid, v);
        __mmask8 bad = (__mmask8)(~ok & valid);
        __m512i at = _mm512_add_epi64(lane, _mm512_set1_epi64(g));
        _mm512_mask_compressstoreu_epi64(fbits + nfail, bad, b);
        _mm256_mask_compressstoreu_epi32(pos + nfail, bad, _mm512_cvtepi64_epi32(at));
        nfail += __builtin_popcount(bad);
    }
    _mm512_storeu_si512(L->s[0], s0);
    _mm512_storeu_si512(L->s[1], s1);
    _mm512_storeu_si512(L->s[2], s2);
    _mm512_storeu_si512(L->s[3], s3);
    return nfail;
}
#endif

typedef int (*chunk_fn)(lanes *, double, double, double *, int64_t, int32_t *, uint64_t *);

static chunk_fn pick_chunk(void) {
#if FILL_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl"))
        return chunk_avx512;
#endif
    return chunk_portable;
}

static void fill_with(chunk_fn chunk, lanes *L, double mu, double sd, double *out, int64_t n) {
    int32_t pos[CHUNK];
    uint64_t fbits[CHUNK];
    for (int64_t c = 0; c < n; c += CHUNK) {
        int64_t m = CAUSA_MIN((int64_t)CHUNK, n - c);
        int nfail = chunk(L, mu, sd, out + c, m, pos, fbits);
        finish_rejected(L, mu, sd, out + c, pos, fbits, nfail);
    }
}

static chunk_fn the_chunk(void) {
    static chunk_fn chunk; /* a benign race: every thread stores the same pointer */
    chunk_fn c = __atomic_load_n(&chunk, __ATOMIC_RELAXED);
    if (!c) {
        c = pick_chunk();
        __atomic_store_n(&chunk, c, __ATOMIC_RELAXED);
    }
    return c;
}

void causa_i_normal_lanes_fill(lanes *L, double mu, double sd, double *out, int64_t n) {
    fill_with(the_chunk(), L, mu, sd, out, n);
}

void causa_i_rng_fill_normal(causa_rng *rng, double mu, double sd, double *out, int64_t n) {
    if (n <= 0) return;
    lanes L;
    causa_i_normal_lanes_seed(&L, rng);
    fill_with(the_chunk(), &L, mu, sd, out, n);
}

void causa_i_rng_fill_normal_portable(causa_rng *rng, double mu, double sd, double *out, int64_t n) {
    if (n <= 0) return;
    lanes L;
    causa_i_normal_lanes_seed(&L, rng);
    fill_with(chunk_portable, &L, mu, sd, out, n);
}
