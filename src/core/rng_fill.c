/*
 * rng_fill.c: many normal draws at once, for the samplers' noise columns.
 *
 * causa_rng_normal is one sequential xoshiro256++ chain plus a ziggurat compare: 3-4 ns a
 * draw, even inlined, which would be most of the time of sampling a linear SCM. A column
 * needs no single chain, only a fixed, documented one, so this fill runs eight independent
 * xoshiro256++ lanes side by side (one AVX-512 register each state word) and does the
 * ziggurat's first compare for eight draws at once: 1.05-1.15 ns a normal on one core of
 * the development VM, the wedge and tail tests of the 1.5 % rejected draws included
 * (1.3 ns before the loop lost its compress stores and the finishing pass its
 * exp-dependent branch; 20 000 fills of 1 024 in L1, a one-off program).
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

/* What a chunk leaves for the finishing pass: every draw's bits, and per group of eight
 * outputs a byte whose bit l says that output 8 g + l was rejected by the first compare. */
_Static_assert(CHUNK == 64 * LANES, "a chunk's groups are the bits of one uint64_t");
typedef struct {
    uint64_t bits[CHUNK];
    uint8_t bad[CHUNK / LANES];
} chunk_marks;

/* Finishes a chunk's rejected draws in increasing position; bit g of groups is set when
 * group g has one (so the scan takes one branch per such group, not one per group).
 *
 * The steps are normal_finish's, reordered for speed, not changed. A rejected draw's wedge
 * test compares a fresh uniform with exp(-z^2 / 2), and about half of them fail, so the
 * branch on it is mispredicted half the time; taken straight after exp, every
 * misprediction also waited out exp's latency (about 90 cycles a rejected draw in all).
 * exp(-z^2 / 2) depends only on the draw's own bits, so it is computed first, for all the
 * chunk's rejected draws in a loop without branches (the calls overlap); the pass through
 * the spill stream, which must go in order, then only compares. */
static void finish_rejected(lanes *L, double mu, double sd, double *out, uint64_t groups,
                            const chunk_marks *mk) {
    const double *x = causa_i_zig_x, *f = causa_i_zig_f;
    int32_t pos[CHUNK];
    double z[CHUNK], e[CHUNK];
    int n = 0;
    for (; groups; groups &= groups - 1) {
        int g = __builtin_ctzll(groups);
        for (unsigned b = mk->bad[g]; b; b &= b - 1) {
            int32_t i = g * LANES + __builtin_ctz(b);
            uint64_t bits = mk->bits[i];
            pos[n] = i;
            z[n++] = (double)(int64_t)(bits >> 11 << 11) * 0x1.0p-63 * x[bits & 0xff];
        }
    }
    for (int j = 0; j < n; j++) e[j] = exp(-0.5 * z[j] * z[j]);
    causa_rng spill = L->spill;
    for (int j = 0; j < n; j++) {
        uint64_t bits = mk->bits[pos[j]];
        int i = (int)(bits & 0xff);
        double r;
        if (i == 0) {
            r = normal_finish(&spill, bits); /* the tail */
        } else {
            double y = f[i] + (double)(causa_i_rng_next(&spill) >> 11) * 0x1.0p-53 * (f[i + 1] - f[i]);
            r = y < e[j] ? z[j] : normal_finish(&spill, causa_i_rng_next(&spill));
        }
        out[pos[j]] = mu + sd * r;
    }
    L->spill = spill;
}

/* Portable: up to CHUNK outputs (m), the scheme's steps one lane at a time. Returns the
 * groups with a rejected draw, one bit each. */
static uint64_t chunk_portable(lanes *L, double mu, double sd, double *out, int64_t m, chunk_marks *mk) {
    const double *zx = causa_i_zig_x;
    uint64_t groups = 0;
    for (int64_t g = 0; g < m; g += LANES) {
        unsigned bad = 0;
        for (int l = 0; l < LANES; l++) {
            causa_rng lane = {{L->s[0][l], L->s[1][l], L->s[2][l], L->s[3][l]}};
            uint64_t b = causa_i_rng_next(&lane);
            for (int i = 0; i < 4; i++) L->s[i][l] = lane.s[i];
            if (g + l >= m) continue;
            int k = (int)(b & 0xff);
            double z = (double)(int64_t)(b >> 11 << 11) * causa_i_zig_xs[k];
            mk->bits[g + l] = b;
            if (CAUSA_LIKELY(fabs(z) < zx[k + 1])) out[g + l] = mu + sd * z;
            else bad |= 1u << l;
        }
        mk->bad[g / LANES] = (uint8_t)bad;
        groups |= (uint64_t)(bad != 0) << (g / LANES);
    }
    return groups;
}

#if FILL_X86

/* AVX-512: the same steps, eight lanes per instruction. The loop is bound by the two
 * 512-bit vector ports, so it spends none of their slots on bookkeeping: the bits of every
 * draw go out by a plain store and the rejected lanes by one mask byte per group, and
 * the finishing pass finds them from those (a compress store of the rejected bits and their
 * positions cost about six of the loop's ~44 vector uops). With unit set (mu = 0, sd = 1,
 * the usual noise) the affine step is skipped: mu + sd z is then z itself, bit for bit (z
 * is never -0: a zero integer converts to +0). */
__attribute__((target("avx512f,avx512dq,avx512vl"), always_inline)) static inline uint64_t
chunk_avx512_body(lanes *L, double mu, double sd, double *out, int64_t m, chunk_marks *mk,
                  const int unit) {
    const double *zx1 = causa_i_zig_x + 1;
    __m512i s0 = _mm512_loadu_si512(L->s[0]), s1 = _mm512_loadu_si512(L->s[1]),
            s2 = _mm512_loadu_si512(L->s[2]), s3 = _mm512_loadu_si512(L->s[3]);
    const __m512i low8 = _mm512_set1_epi64(0xff), top53 = _mm512_set1_epi64(~(int64_t)0x7ff);
    const __m512d vmu = _mm512_set1_pd(mu), vsd = _mm512_set1_pd(sd);
    const __m512d absmask = _mm512_castsi512_pd(_mm512_set1_epi64(0x7fffffffffffffffLL));
    uint64_t groups = 0;
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
        __m512d xk = _mm512_i64gather_pd(k, causa_i_zig_xs, 8), xk1 = _mm512_i64gather_pd(k, zx1, 8);
        /* (double)(int64_t)(b >> 11 << 11) * 2^-63 * x[k] in one multiply: xs[k] = x[k] 2^-63
         * exactly, so a * xs[k] and (a 2^-63) x[k] round the same real number. */
        __m512d z = _mm512_mul_pd(_mm512_cvtepi64_pd(_mm512_and_si512(b, top53)), xk);
        __mmask8 ok = _mm512_cmp_pd_mask(_mm512_and_pd(z, absmask), xk1, _CMP_LT_OQ);
        __m512d v = unit ? z : _mm512_add_pd(vmu, _mm512_mul_pd(vsd, z));
        /* Rejected lanes are written too, and overwritten by the finishing pass. */
        unsigned bad;
        if (CAUSA_LIKELY(m - g >= LANES)) {
            _mm512_storeu_pd(out + g, v);
            _mm512_storeu_si512(mk->bits + g, b);
            bad = (unsigned)(uint8_t)~ok;
        } else {
            __mmask8 valid = (__mmask8)((1u << (m - g)) - 1);
            _mm512_mask_storeu_pd(out + g, valid, v);
            _mm512_mask_storeu_epi64(mk->bits + g, valid, b);
            bad = (unsigned)(uint8_t)(~ok & valid);
        }
        mk->bad[g / LANES] = (uint8_t)bad;
        groups |= (uint64_t)(bad != 0) << (g / LANES);
    }
    _mm512_storeu_si512(L->s[0], s0);
    _mm512_storeu_si512(L->s[1], s1);
    _mm512_storeu_si512(L->s[2], s2);
    _mm512_storeu_si512(L->s[3], s3);
    return groups;
}

__attribute__((target("avx512f,avx512dq,avx512vl"))) static uint64_t
chunk_avx512(lanes *L, double mu, double sd, double *out, int64_t m, chunk_marks *mk) {
    if (mu == 0.0 && sd == 1.0) return chunk_avx512_body(L, mu, sd, out, m, mk, 1);
    return chunk_avx512_body(L, mu, sd, out, m, mk, 0);
}
#endif

typedef uint64_t (*chunk_fn)(lanes *, double, double, double *, int64_t, chunk_marks *);

static chunk_fn the_chunk(void) {
#if FILL_X86
    if (causa_i_cpu_avx512()) return chunk_avx512;
#endif
    return chunk_portable;
}

static void fill_with(chunk_fn chunk, lanes *L, double mu, double sd, double *out, int64_t n) {
    chunk_marks mk;
    for (int64_t c = 0; c < n; c += CHUNK) {
        int64_t m = CAUSA_MIN((int64_t)CHUNK, n - c);
        uint64_t groups = chunk(L, mu, sd, out + c, m, &mk);
        if (groups) finish_rejected(L, mu, sd, out + c, groups, &mk);
    }
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
