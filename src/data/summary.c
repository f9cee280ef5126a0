/*
 * summary.c: per-column summaries (min, max, mean, sample sd) and the variance check that
 * methods run before they divide by a column's spread.
 *
 * The mean and sd take two passes (mean first, then the sum of squared deviations), which
 * avoids the cancellation of the one-pass sum-of-squares formula on columns with a large
 * mean and a small spread.
 */
#include <math.h>

#include "dataset_i.h"

int causa_dataset_summary(causa_ctx *ctx, const causa_dataset *ds, int64_t j,
                          causa_column_summary *out) {
    if (!ds || !out)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_dataset_summary: NULL argument");
    if (j < 0 || j >= ds->p)
        return causa_i_error(ctx, CAUSA_EINVAL, "column index %lld is out of range 0..%lld",
                             (long long)j, (long long)ds->p - 1);
    const double *x = ds->data + j * ds->n;
    int64_t n = ds->n;
    out->type = ds->type[j];
    out->nlevels = ds->nlevels[j];
    out->missing = ds->missing[j];
    if (n == 0) {
        out->min = out->max = out->mean = out->sd = (double)NAN;
        return CAUSA_OK;
    }
    double lo = x[0], hi = x[0], sum = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = x[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        sum += v;
    }
    double mean = sum / (double)n, ss = 0;
    for (int64_t i = 0; i < n; i++) {
        double d = x[i] - mean;
        ss += d * d;
    }
    out->min = lo;
    out->max = hi;
    out->mean = mean;
    /* The sample sd is undefined for a single row. */
    out->sd = n > 1 ? sqrt(ss / (double)(n - 1)) : (double)NAN;
    return CAUSA_OK;
}

int causa_dataset_check_variance(causa_ctx *ctx, const causa_dataset *ds, int64_t j,
                                 const char *step) {
    if (!ds)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_dataset_check_variance: NULL data set");
    if (j < 0 || j >= ds->p)
        return causa_i_error(ctx, CAUSA_EINVAL, "column index %lld is out of range 0..%lld",
                             (long long)j, (long long)ds->p - 1);
    const char *what = step && *step ? step : "this step";
    const double *x = ds->data + j * ds->n;
    if (ds->n < 2)
        return causa_i_error(
            ctx, CAUSA_EDATA, "variable '%s' (column %lld) has %lld row%s; %s needs variance",
            ds->names[j], (long long)(j + 1), (long long)ds->n, ds->n == 1 ? "" : "s", what);
    for (int64_t i = 1; i < ds->n; i++)
        if (x[i] != x[0]) return CAUSA_OK;
    return causa_i_error(ctx, CAUSA_EDATA,
                         "variable '%s' (column %lld) is constant; %s needs variance", ds->names[j],
                         (long long)(j + 1), what);
}
