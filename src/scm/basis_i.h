/*
 * basis_i.h: the feature maps of polynomial and spline mechanisms (basis.c), shared by
 * evaluation (eval.c) and the public design helpers. Never exported.
 */
#ifndef CAUSA_SCM_BASIS_I_H
#define CAUSA_SCM_BASIS_I_H

#include "scm_i.h"

#define CAUSA_I_POLY_MAX_DEGREE 10
#define CAUSA_I_SPLINE_MAX_DEGREE 5

/* Walks the terms of a polynomial of the given degree in the m columns of u (leading
 * dimension ldu, nrows rows), calling emit(ud, term index, column of the term's values,
 * nrows) once per term. prod: degree * nrows doubles of workspace. */
void causa_i_poly_walk(const double *u, int64_t ldu, int64_t nrows, int64_t m, int degree,
                       double *prod, void (*emit)(void *, int64_t, const double *, int64_t),
                       void *ud);
/* The degree + 1 basis functions nonzero at x (with tangent continuation beyond the ends)
 * into vals; returns the index of the first. */
int64_t causa_i_spline_eval(const double *knots, int64_t nknots, int degree, double x,
                            double *vals);
/* Checks a degree and a breakpoint list (CAUSA_EINVAL naming `what`). */
int causa_i_spline_check(causa_ctx *ctx, int degree, const double *knots, int64_t nknots,
                         const char *what);

#endif
