/*
 * rng.c: seeded random streams and the distributions causa samples from.
 *
 * Generator: xoshiro256++ (Blackman & Vigna 2019), 256 bits of state, period 2^256 - 1.
 * A stream is keyed on (seed, stream id): the state is filled by splitmix64 from a key
 * that mixes both, so streams of nearby ids are unrelated. Parallel loops give work item
 * k its own stream k, which is what makes results independent of the thread count.
 */
#include <math.h>

#include "../internal.h"

void causa_rng_init(causa_rng *rng, uint64_t seed, uint64_t stream) {
    /* Hash the seed and the stream separately before combining, so (seed, stream) and
     * (seed + 1, stream - 1) do not collide. */
    uint64_t a = seed, b = stream ^ 0x6a09e667f3bcc909ull;
    uint64_t key = causa_i_splitmix64(&a) ^ (causa_i_splitmix64(&b) * 0x9e3779b97f4a7c15ull);
    for (int i = 0; i < 4; i++) rng->s[i] = causa_i_splitmix64(&key);
    if (!(rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3])) rng->s[0] = 1; /* never all zero */
}

uint64_t causa_rng_u64(causa_rng *rng) { return causa_i_rng_next(rng); }

double causa_rng_uniform(causa_rng *rng) {
    return (double)(causa_rng_u64(rng) >> 11) * 0x1.0p-53;
}

/* Uniform on (0, 1): never 0, for logarithms. */
static double uniform_pos(causa_rng *rng) {
    return ((double)(causa_rng_u64(rng) >> 11) + 0.5) * 0x1.0p-53;
}

uint64_t causa_rng_below(causa_rng *rng, uint64_t n) {
    /* Lemire (2019), "Fast random integer generation in an interval": multiply-shift with
     * rejection of the few low products that would bias the result. */
    if (n <= 1) return 0;
    unsigned __int128 m = (unsigned __int128)causa_rng_u64(rng) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = -n % n;
        while (low < threshold) {
            m = (unsigned __int128)causa_rng_u64(rng) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* ---- normal: 256-layer ziggurat ----
 * One 64-bit draw gives the layer (low 8 bits) and a signed uniform (top 53 bits). About
 * 99% of draws return after one multiply and one compare; the rest test the wedge under
 * the curve or sample the tail beyond r by Marsaglia's exponential method. */
double causa_rng_normal(causa_rng *rng) {
    const double *x = causa_i_zig_x, *f = causa_i_zig_f;
    for (;;) {
        uint64_t bits = causa_rng_u64(rng);
        int i = (int)(bits & 0xff);
        double u = (double)(int64_t)(bits >> 11 << 11) * 0x1.0p-63; /* in [-1, 1) */
        double z = u * x[i];
        if (fabs(z) < x[i + 1]) return z;
        if (i == 0) {
            /* Tail: |Z| > r given that it is. */
            double a, b;
            do {
                a = -log(uniform_pos(rng)) / x[1];
                b = -log(uniform_pos(rng));
            } while (b + b < a * a);
            return u < 0 ? -(x[1] + a) : x[1] + a;
        }
        /* Wedge between the layer's rectangle and the curve. */
        double y = f[i] + causa_rng_uniform(rng) * (f[i + 1] - f[i]);
        if (y < exp(-0.5 * z * z)) return z;
    }
}

double causa_rng_laplace(causa_rng *rng, double b) {
    double u = uniform_pos(rng) - 0.5;
    return u < 0 ? b * log(1.0 + 2.0 * u) : -b * log(1.0 - 2.0 * u);
}

double causa_rng_gamma(causa_rng *rng, double shape) {
    /* Marsaglia & Tsang (2000), "A simple method for generating gamma variables"; for
     * shape < 1, draw with shape + 1 and scale by U^(1/shape). */
    if (shape < 1.0) {
        double g = causa_rng_gamma(rng, shape + 1.0);
        return g * pow(uniform_pos(rng), 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double z, v;
        do {
            z = causa_rng_normal(rng);
            v = 1.0 + c * z;
        } while (v <= 0.0);
        v = v * v * v;
        double u = uniform_pos(rng);
        if (u < 1.0 - 0.0331 * z * z * z * z) return d * v;
        if (log(u) < 0.5 * z * z + d * (1.0 - v + log(v))) return d * v;
    }
}

double causa_rng_chisq(causa_rng *rng, double k) { return 2.0 * causa_rng_gamma(rng, 0.5 * k); }

double causa_rng_student_t(causa_rng *rng, double nu) {
    double z = causa_rng_normal(rng);
    return z / sqrt(causa_rng_chisq(rng, nu) / nu);
}

int64_t causa_rng_categorical(causa_rng *rng, const double *prob, int64_t k) {
    double total = 0.0;
    for (int64_t i = 0; i < k; i++) total += prob[i];
    double t = causa_rng_uniform(rng) * total, acc = 0.0;
    int64_t last = 0;
    for (int64_t i = 0; i < k; i++) {
        if (prob[i] <= 0.0) continue;
        acc += prob[i];
        last = i;
        if (t < acc) return i;
    }
    return last; /* rounding left t at the very top: the last positive category */
}

void causa_rng_permutation(causa_rng *rng, int64_t *perm, int64_t n) {
    for (int64_t i = 0; i < n; i++) perm[i] = i;
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)causa_rng_below(rng, (uint64_t)i + 1);
        int64_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}
