/*
 * matrix.c: constructors of strided matrix views.
 */
#include "../internal.h"

causa_matrix causa_matrix_colmajor(const double *data, int64_t nrow, int64_t ncol) {
    causa_matrix m = {data, nrow, ncol, 1, nrow};
    return m;
}

causa_matrix causa_matrix_rowmajor(const double *data, int64_t nrow, int64_t ncol) {
    causa_matrix m = {data, nrow, ncol, ncol, 1};
    return m;
}
