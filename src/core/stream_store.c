/*
 * stream_store.c: copying into memory with non-temporal stores.
 *
 * An ordinary store to a line that is not in the cache first reads the line from memory
 * (read for ownership), so writing a large output once moves every byte twice. Non-temporal
 * stores fill whole lines in write-combining buffers and send them to memory unread. On the
 * development VM one thread wrote 7.2 GB/s with ordinary 64-byte stores and 21-23 GB/s with
 * non-temporal ones (a 3.2 GB buffer; a one-off test, not committed). The SCM sampler
 * computes each slice of rows in a cache-resident scratch and streams it out with these.
 */
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define STREAM_X86 1
#else
#define STREAM_X86 0
#endif

#include "../internal.h"

#if STREAM_X86
__attribute__((target("avx512f"))) static void store_avx512(double *dst, const double *src, int64_t n) {
    int64_t i = 0;
    for (; i < n && ((uintptr_t)(dst + i) & 63); i++) dst[i] = src[i];
    for (; i + 8 <= n; i += 8) _mm512_stream_pd(dst + i, _mm512_loadu_pd(src + i));
    for (; i < n; i++) dst[i] = src[i];
}

/* SSE2 is part of x86-64. */
static void store_sse2(double *dst, const double *src, int64_t n) {
    int64_t i = 0;
    for (; i < n && ((uintptr_t)(dst + i) & 15); i++) dst[i] = src[i];
    for (; i + 2 <= n; i += 2) _mm_stream_pd(dst + i, _mm_loadu_pd(src + i));
    for (; i < n; i++) dst[i] = src[i];
}

#endif

int causa_i_stream_store_available(void) { return STREAM_X86; }

void causa_i_stream_store(double *dst, const double *src, int64_t n) {
#if STREAM_X86
    if (causa_i_cpu_avx512()) store_avx512(dst, src, n);
    else store_sse2(dst, src, n);
#else
    memcpy(dst, src, (size_t)n * sizeof *dst);
#endif
}

void causa_i_stream_store_sse2(double *dst, const double *src, int64_t n) {
#if STREAM_X86
    store_sse2(dst, src, n);
#else
    memcpy(dst, src, (size_t)n * sizeof *dst);
#endif
}

void causa_i_stream_store_fence(void) {
#if STREAM_X86
    _mm_sfence();
#endif
}
