/*
 * axpy.c: y += a_1 x_1 + ... + a_k x_k, the inner loop of every linear node an SCM samples.
 *
 * The terms are added one after another, each as a rounded product and a rounded sum
 * (y = (y + a_1 x_1) + a_2 x_2 ...), never a fused multiply-add: a sample must have the same
 * bits on every machine, and the portable loop (which the compiler vectorises with SSE2, or
 * not at all) computes exactly that. The AVX-512 loop does the same arithmetic eight rows at
 * a time and keeps y in a register across up to four terms, so y is loaded and stored once
 * per four parents instead of once per parent. Against one SSE2 axpy per parent, sampling
 * the 100-node model of bench-sample with the slice in L2 went from 1.67-1.69 to 1.30-1.48
 * ns a value (see docs/BENCHMARKS.md).
 */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define AXPY_X86 1
#else
#define AXPY_X86 0
#endif

#include "linalg_i.h"

#define TERMS 4 /* terms per pass over y */

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("tree-vectorize", "vect-cost-model=dynamic")))
#endif
static void chain_portable(int64_t n, int64_t k, const double *a, const double *const *x, double *y) {
    for (int64_t j = 0; j < k; j++) {
        const double aj = a[j], *xj = x[j];
        for (int64_t i = 0; i < n; i++) y[i] += aj * xj[i];
    }
}

#if AXPY_X86
/* t terms (a constant after inlining) over all n rows. The multiply and the add stay two
 * instructions: intrinsics are not contracted under ISO C's default (-ffp-contract=off), and
 * the target does not include FMA. */
__attribute__((target("avx512f"), always_inline)) static inline void
terms_avx512(int64_t n, const double *a, const double *const *x, double *y, const int t) {
    __m512d c[TERMS];
    const double *s[TERMS];
    for (int j = 0; j < t; j++) {
        c[j] = _mm512_set1_pd(a[j]);
        s[j] = x[j];
    }
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d v = _mm512_loadu_pd(y + i);
        for (int j = 0; j < t; j++) v = _mm512_add_pd(v, _mm512_mul_pd(c[j], _mm512_loadu_pd(s[j] + i)));
        _mm512_storeu_pd(y + i, v);
    }
    if (i < n) {
        __mmask8 m = (__mmask8)((1u << (n - i)) - 1);
        __m512d v = _mm512_maskz_loadu_pd(m, y + i);
        for (int j = 0; j < t; j++)
            v = _mm512_add_pd(v, _mm512_mul_pd(c[j], _mm512_maskz_loadu_pd(m, s[j] + i)));
        _mm512_mask_storeu_pd(y + i, m, v);
    }
}

__attribute__((target("avx512f"))) static void chain_avx512(int64_t n, int64_t k, const double *a,
                                                          const double *const *x, double *y) {
    int64_t j = 0;
    for (; j + TERMS <= k; j += TERMS) terms_avx512(n, a + j, x + j, y, TERMS);
    switch (k - j) {
    case 3: terms_avx512(n, a + j, x + j, y, 3); break;
    case 2: terms_avx512(n, a + j, x + j, y, 2); break;
    case 1: terms_avx512(n, a + j, x + j, y, 1); break;
    default: break;
    }
}
#endif

void causa_i_axpy_chain(int64_t n, int64_t k, const double *a, const double *const *x, double *y) {
    if (n <= 0 || k <= 0) return;
#if AXPY_X86
    if (causa_i_cpu_avx512()) {
        chain_avx512(n, k, a, x, y);
        return;
    }
#endif
    chain_portable(n, k, a, x, y);
}

void causa_i_axpy_chain_portable(int64_t n, int64_t k, const double *a, const double *const *x,
                                 double *y) {
    chain_portable(n, k, a, x, y);
}
