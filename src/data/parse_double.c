/*
 * parse_double.c: decimal text to double, correctly rounded and bit-identical to strtod,
 * but several times faster on the numbers that CSV files hold; and the shortest
 * round-tripping text of a double for output.
 *
 * Three paths, fastest first:
 *  1. Clinger's fast path (W. D. Clinger, "How to Read Floating Point Numbers Accurately",
 *     PLDI 1990): when the decimal significand w fits in 53 bits and |exponent| <= 22, both
 *     w and 10^|e| are exact doubles, so one IEEE multiply or divide gives the correctly
 *     rounded result.
 *  2. Eisel-Lemire (D. Lemire, "Number Parsing at a Gigabyte per Second", Software: Practice
 *     and Experience 51(8), 2021): w (up to 19 digits) times a 128-bit approximation of 5^q;
 *     the high bits decide the rounding except in rare cases that the algorithm detects, and
 *     we then fall back. Subnormal and overflowing results also fall back.
 *  3. strtod_l in the C locale, for everything else (more than 19 significant digits,
 *     subnormals, overflow, the rare ambiguous cases), so the result is always strtod's.
 */
#define _GNU_SOURCE /* strtod_l, newlocale, uselocale */
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_i.h"

/* ---- the C locale for strtod and snprintf ----
 * strtod and printf follow LC_NUMERIC, which a host program (a GUI, an R or Python session)
 * may have set to a locale with a decimal comma. A C locale object is made once and never
 * changed afterwards, so sharing it between threads is safe. */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void make_c_locale(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }
static locale_t get_c_locale(void) {
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

/* ---- 64 x 64 -> 128-bit product ---- */
static inline void mul128(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
#if defined(__SIZEOF_INT128__)
    __extension__ unsigned __int128 r = (unsigned __int128)a * b;
    *hi = (uint64_t)(r >> 64);
    *lo = (uint64_t)r;
#else
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *lo = (mid << 32) | (uint32_t)p00;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}

static inline int clz64(uint64_t x) {
#if defined(__GNUC__)
    return __builtin_clzll(x);
#else
    int n = 0;
    while (!(x & (1ull << 63))) {
        x <<= 1;
        n++;
    }
    return n;
#endif
}

/* ---- Eisel-Lemire ----
 * w != 0 with at most 19 digits, exact (not truncated); q in [-342, 308]. Returns 1 and the
 * double in *out, or 0 when the fast computation cannot decide (the caller falls back). The
 * steps and constants follow fast_float's compute_float (decimal_to_binary.h), whose
 * authors give the proofs; here every doubtful branch gives up instead of recovering. */
static int eisel_lemire(uint64_t w, int64_t q, int neg, double *out) {
    int lz = clz64(w);
    w <<= lz;
    const uint64_t *t = causa_i_pow5_128 + 2 * (q + 342);
    uint64_t hi, lo;
    mul128(w, t[0], &hi, &lo);
    /* 55 bits of precision are needed (52 + implicit bit + rounding bit + one spare); if
     * the bits below them are all ones, the truncated table entry may matter: add the
     * product with the low half. */
    const uint64_t mask = UINT64_MAX >> 55;
    if ((hi & mask) == mask) {
        uint64_t hi2, lo2;
        mul128(w, t[1], &hi2, &lo2);
        lo += hi2;
        if (hi2 > lo) hi++;
    }
    /* Outside [-27, 55] the table entry is inexact; a low word of all ones means the error
     * could reach the rounding bit. Extremely rare: let strtod decide. */
    if (lo == UINT64_MAX && !(q >= -27 && q <= 55)) return 0;
    int upperbit = (int)(hi >> 63);
    int shift = upperbit + 64 - 52 - 3;
    uint64_t mantissa = hi >> shift;
    /* floor(q * log2(10)) via 217706 / 2^16; the shift of a negative value is arithmetic
     * with every compiler we support (GCC and Clang document it). */
    int64_t power2 = ((217706 * q) >> 16) + 63 + upperbit - lz + 1023;
    if (power2 <= 0) return 0; /* subnormal */
    /* Exactly halfway between two doubles: round to even. Only possible for small q. */
    if (lo <= 1 && q >= -4 && q <= 23 && (mantissa & 3) == 1 && (mantissa << shift) == hi)
        mantissa &= ~(uint64_t)1;
    mantissa += mantissa & 1;
    mantissa >>= 1;
    if (mantissa >= ((uint64_t)2 << 52)) {
        mantissa = (uint64_t)1 << 52;
        power2++;
    }
    mantissa &= ~((uint64_t)1 << 52);
    if (power2 >= 0x7FF) return 0; /* overflow: strtod reports it */
    uint64_t bits = mantissa | ((uint64_t)power2 << 52) | ((uint64_t)(neg != 0) << 63);
    memcpy(out, &bits, sizeof bits);
    return 1;
}

/* ---- digits, eight at a time ----
 * On a little-endian machine the 8 bytes at p, loaded as one word, have the first character
 * in the lowest byte. Subtracting '0' from every byte and adding 0x46 flags (high bit) every
 * byte that is not a digit; borrows and carries only travel towards later characters, so
 * the lowest flagged byte is exactly the first non-digit. The k digits before it are then
 * moved to the top of the word (leading zeros below) and converted with three
 * multiplications (D. Lemire, "Fast number parsing", and the fast_float library). */
static const uint64_t pow10_u64[9] = {1,      10,      100,      1000,     10000,
                                      100000, 1000000, 10000000, 100000000};

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
#define CAUSA_SWAR 1
static inline uint64_t eight_digits(uint64_t val) {
    const uint64_t mask = 0x000000FF000000FFull;
    const uint64_t mul1 = 0x000F424000000064ull; /* 100 + (1000000 << 32) */
    const uint64_t mul2 = 0x0000271000000001ull; /* 1 + (10000 << 32) */
    val = (val * 10) + (val >> 8);
    return (((val & mask) * mul1) + (((val >> 16) & mask) * mul2)) >> 32;
}
#endif

/* Reads the run of digits at p into *w (w = w * 10^k + digits; it wraps beyond 19 digits,
 * which the caller detects) and returns the end of the run. */
static inline const char *read_digits(const char *p, const char *end, uint64_t *w) {
#ifdef CAUSA_SWAR
    while (end - p >= 8) {
        uint64_t v, x;
        memcpy(&v, p, sizeof v);
        x = v - 0x3030303030303030ull;
        uint64_t flags = (x | (v + 0x4646464646464646ull)) & 0x8080808080808080ull;
        int k = flags ? __builtin_ctzll(flags) >> 3 : 8;
        if (k == 0) return p;
        *w = *w * pow10_u64[k] + eight_digits(k == 8 ? x : x << (64 - 8 * k));
        p += k;
        if (k < 8) return p;
    }
#endif
    uint64_t acc = *w;
    while (p < end && (unsigned)(*p - '0') < 10) acc = acc * 10 + (unsigned)(*p++ - '0');
    *w = acc;
    return p;
}

/* ---- parsing ---- */

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* strtod_l on a bounded, NUL-terminated rewrite of the number [s, e). The text is not
 * NUL-terminated (it may be a memory-mapped file) and may be arbitrarily long, so the
 * number is rewritten as D e X with D its first 780 significant digits plus a final '1'
 * when any later digit is non-zero. That is exact: deciding the rounding of a double needs
 * at most 767 significant digits, and digits beyond those only matter through whether any
 * of them is non-zero (the "sticky" digit). */
#define KEEP_DIGITS 780
static int slow_path(const char *s, const char *e, double *out) {
    char buf[KEEP_DIGITS + 40];
    int k = 0, kept = 0, started = 0, sticky = 0;
    int64_t scale = 0; /* value = D * 10^scale */
    const char *p = s;
    if (*p == '-' || *p == '+') {
        if (*p == '-') buf[k++] = '-';
        p++;
    }
    int frac = 0;
    for (; p < e; p++) {
        char c = *p;
        if (c == '.') {
            frac = 1;
            continue;
        }
        if (c == 'e' || c == 'E') break;
        if (!started && c == '0') {
            scale -= frac; /* a leading zero after the point shifts the value */
            continue;
        }
        started = 1;
        if (kept < KEEP_DIGITS) {
            buf[k++] = c;
            kept++;
            scale -= frac;
        } else {
            scale += !frac; /* a dropped integer digit multiplies by ten */
            sticky |= c != '0';
        }
    }
    if (sticky) {
        buf[k++] = '1';
        scale--;
    }
    if (p < e) { /* the exponent: its digits were checked by the caller */
        p++;
        int eneg = 0;
        if (*p == '-' || *p == '+') eneg = *p++ == '-';
        int64_t x = 0;
        for (; p < e; p++)
            if (x < 100000000000000LL) x = x * 10 + (*p - '0');
        scale += eneg ? -x : x;
    }
    /* |D| < 10^782, so beyond +-100000 the result is 0 or infinite whatever the digits. */
    if (scale > 100000) scale = 100000;
    if (scale < -100000) scale = -100000;
    snprintf(buf + k, sizeof buf - (size_t)k, "e%d", (int)scale);
    locale_t loc = get_c_locale();
    double v = loc ? strtod_l(buf, NULL, loc) : strtod(buf, NULL);
    *out = v;
    /* strtod sets ERANGE for underflow too; only an infinite result is an overflow. */
    if (v == HUGE_VAL || v == -HUGE_VAL) return CAUSA_I_NUM_OVERFLOW;
    return CAUSA_I_NUM_OK;
}

int causa_i_parse_double(const char *s, const char *end, double *out, const char **stop) {
    const char *p = s;
    int neg = 0;
    *stop = s;
    if (p < end && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
    }
    /* All digits go into w (it may wrap when there are more than 19; that case is caught
     * below), which keeps the loops free of per-digit bookkeeping. */
    uint64_t w = 0;
    const char *int_start = p;
    p = read_digits(p, end, &w);
    int64_t nint = p - int_start, nfrac = 0;
    if (p < end && *p == '.') {
        const char *frac_start = p + 1, *f = read_digits(frac_start, end, &w);
        nfrac = f - frac_start;
        /* "1." is a number, "." is not. */
        if (nint + nfrac > 0) p = f;
    }
    if (nint + nfrac == 0) return CAUSA_I_NUM_NONE;
    int64_t exp10 = -nfrac; /* value = digits * 10^exp10 (before the explicit exponent) */
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char *x = p + 1;
        int eneg = 0;
        if (x < end && (*x == '-' || *x == '+')) {
            eneg = *x == '-';
            x++;
        }
        if (x < end && (unsigned)(*x - '0') < 10) {
            int64_t e = 0;
            while (x < end && (unsigned)(*x - '0') < 10) {
                if (e < 100000000000000LL) e = e * 10 + (*x - '0'); /* saturates */
                x++;
            }
            exp10 += eneg ? -e : e;
            p = x;
        }
        /* else "1e" or "1e+": the number ends before the 'e', as with strtod */
    }
    *stop = p;
    int exact = 1; /* w holds every digit */
    if (nint + nfrac > 19) {
        /* Leading zeros do not count: 0.000...0001 has one significant digit. */
        int64_t lead = 0;
        for (const char *q = int_start; q < p && (*q == '0' || *q == '.'); q++) lead += *q == '0';
        if (nint + nfrac - lead > 19) exact = 0;
    }
    if (exact) {
        if (w == 0) { /* every digit was zero */
            *out = neg ? -0.0 : 0.0;
            return CAUSA_I_NUM_OK;
        }
        if (w <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
            double v = (double)w;
            v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
            *out = neg ? -v : v;
            return CAUSA_I_NUM_OK;
        }
        if (exp10 >= -342 && exp10 <= 308 && eisel_lemire(w, exp10, neg, out))
            return CAUSA_I_NUM_OK;
    }
    return slow_path(s, p, out);
}

/* ---- formatting ----
 * The shortest of %.15g, %.16g and %.17g that reads back exactly. Rather than calling
 * snprintf up to three times, the 17 significant digits are printed once (%.16e) and
 * rounded to 16 and 15 digits here. That gives what %.15g / %.16g would print, because the
 * 17-digit string D is within half a unit of its last digit from x: unless D's dropped
 * digits are exactly half-way ("50" for 15 digits, "5" for 16), x and D lie on the same
 * side of every rounding boundary. In the half-way case snprintf decides. */

/* Writes the P significant digits d (d[0] is the digit of 10^X) as %.Pg does: fixed
 * notation when -4 <= X < P, else d.ddde+XX; trailing zeros and a bare point removed. */
static int write_g(char *buf, int neg, const char *d, int P, int X) {
    int k = 0, nd = P;
    if (neg) buf[k++] = '-';
    while (nd > 1 && d[nd - 1] == '0') nd--;
    if (X < -4 || X >= P) {
        buf[k++] = d[0];
        if (nd > 1) buf[k++] = '.';
        for (int i = 1; i < nd; i++) buf[k++] = d[i];
        buf[k++] = 'e';
        buf[k++] = X < 0 ? '-' : '+';
        int ax = X < 0 ? -X : X;
        if (ax >= 100) buf[k++] = (char)('0' + ax / 100);
        buf[k++] = (char)('0' + ax / 10 % 10);
        buf[k++] = (char)('0' + ax % 10);
    } else if (X >= 0) {
        for (int i = 0; i <= X; i++) buf[k++] = d[i];
        if (nd > X + 1) buf[k++] = '.';
        for (int i = X + 1; i < nd; i++) buf[k++] = d[i];
    } else {
        buf[k++] = '0';
        buf[k++] = '.';
        for (int i = 0; i < -X - 1; i++) buf[k++] = '0';
        for (int i = 0; i < nd; i++) buf[k++] = d[i];
    }
    buf[k] = '\0';
    return k;
}

/* d (17 digits) rounded to P digits into r; *X is adjusted when the rounding carries out
 * (9.99... to 10.0...). Returns 0 when the dropped digits are exactly half-way. */
static int round_digits(const char *d, int P, char *r, int *X) {
    int tail = P == 15 ? (d[15] - '0') * 10 + (d[16] - '0') : d[16] - '0';
    int half = P == 15 ? 50 : 5;
    if (tail == half) return 0;
    memcpy(r, d, (size_t)P);
    if (tail > half) {
        int i = P - 1;
        while (i >= 0 && r[i] == '9') r[i--] = '0';
        if (i >= 0)
            r[i]++;
        else {
            r[0] = '1'; /* all nines: 10^(X+1) */
            ++*X;
        }
    }
    return 1;
}

static int reads_back(const char *buf, int n, double x) {
    double back;
    const char *stop;
    return causa_i_parse_double(buf, buf + n, &back, &stop) == CAUSA_I_NUM_OK && stop == buf + n &&
           memcmp(&back, &x, sizeof x) == 0;
}

int causa_i_format_double(char *buf, double x) {
    /* Integers below 2^53 print exactly as themselves, which is what %.17g would give
     * (%.15g too below 1e15); printing them by hand is much faster than snprintf. */
    if (x > -9007199254740992.0 && x < 9007199254740992.0 && x == (double)(int64_t)x &&
        !(x == 0 && signbit(x))) { /* the range test first: the cast is undefined outside it */
        int64_t v = (int64_t)x;
        char tmp[24];
        int n = 0, k = 0;
        uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        do {
            tmp[n++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0) buf[k++] = '-';
        while (n) buf[k++] = tmp[--n];
        buf[k] = '\0';
        /* %.15g switches to exponent form from 1e15 on; %.17g from 1e17. Both read back
         * exactly, and the plain digits are the clearer choice. */
        return k;
    }
    locale_t loc = get_c_locale(), old = loc ? uselocale(loc) : (locale_t)0;
    char e[40], d[17];
    snprintf(e, sizeof e, "%.16e", x); /* [-]d.dddddddddddddddde[+-]XX */
    int neg = e[0] == '-';
    const char *q = e + neg;
    d[0] = q[0];
    memcpy(d + 1, q + 2, 16);
    int X = atoi(q + 19), n = 0;
    for (int prec = 15; prec <= 16; prec++) {
        char r[17];
        int RX = X;
        if (round_digits(d, prec, r, &RX))
            n = write_g(buf, neg, r, prec, RX);
        else
            n = snprintf(buf, 32, "%.*g", prec, x);
        if (reads_back(buf, n, x)) goto done;
    }
    n = write_g(buf, neg, d, 17, X);
done:
    if (loc) uselocale(old);
    return n;
}
