/*
 * cpu.c: which vector paths this processor can run.
 */
#include "../internal.h"

int causa_i_cpu_avx512(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    /* libgcc reads the processor's features before main; the init makes sure of it (a
     * check of a flag once done), so asking costs a few instructions. */
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}
