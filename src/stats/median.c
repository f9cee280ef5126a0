/*
 * median.c: medians by selection, for the kernel widths of KCI and RCIT (the median
 * heuristic over pairwise distances).
 */
#include <math.h>

#include "stats_i.h"

/* The k-th smallest of a[0..m) (Hoare's quickselect; a is reordered). */
static double select_kth(double *a, int64_t m, int64_t k) {
    int64_t lo = 0, hi = m - 1;
    while (lo < hi) {
        double pivot = a[lo + (hi - lo) / 2];
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return a[k];
    }
    return a[k];
}

double causa_i_median_sqrt(double *buf, int64_t m) {
    double hi = sqrt(select_kth(buf, m, m / 2)), med = hi;
    if (m % 2 == 0) {
        /* After selection the lower half holds the m/2 smallest: the other middle value is
         * their maximum. */
        double lo = buf[0];
        for (int64_t i = 1; i < m / 2; i++)
            if (buf[i] > lo) lo = buf[i];
        med = 0.5 * (sqrt(lo) + hi);
    }
    return med;
}
