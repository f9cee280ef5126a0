/*
 * causa/data.h: data sets (n rows by p named columns), CSV and NumPy .npy input/output.
 * Included by <causa.h>; do not include it directly.
 */
#ifndef CAUSA_DATA_H
#define CAUSA_DATA_H

#include <stdint.h>

/* ---- data sets ----------------------------------------------------------------------------
 * n rows by p named columns, stored column-major in one block of doubles. A column is
 * continuous (any finite double) or discrete: then its values are integer codes 0..L-1
 * stored exactly as doubles, with L level names. */
typedef struct causa_dataset causa_dataset;

enum { CAUSA_CONTINUOUS = 0, CAUSA_DISCRETE = 1 };

/* Creates an n x p data set of continuous columns named X1..Xp, filled with zeros. */
int causa_dataset_new(causa_ctx *ctx, int64_t n, int64_t p, causa_dataset **out);
/* Creates a continuous data set by copying a matrix view; names may be NULL (X1..Xp) or p
 * distinct non-empty strings. */
int causa_dataset_from_matrix(causa_ctx *ctx, const causa_matrix *m, const char *const *names,
                              causa_dataset **out);
void causa_dataset_free(causa_dataset *ds);

int64_t causa_dataset_nrow(const causa_dataset *ds);
int64_t causa_dataset_ncol(const causa_dataset *ds);
/* Column name; borrowed. NULL if j is out of range. */
const char *causa_dataset_name(const causa_dataset *ds, int64_t j);
/* Index of the column named `name`, or -1. */
int64_t causa_dataset_find(const causa_dataset *ds, const char *name);
/* CAUSA_CONTINUOUS or CAUSA_DISCRETE (-1 if j is out of range). */
int causa_dataset_type(const causa_dataset *ds, int64_t j);
/* Number of levels of a discrete column (0 for a continuous one). */
int64_t causa_dataset_nlevels(const causa_dataset *ds, int64_t j);
/* Name of level k of discrete column j; borrowed. NULL if out of range. */
const char *causa_dataset_level(const causa_dataset *ds, int64_t j, int64_t k);
/* Column j: n doubles, contiguous; borrowed. Column j starts at causa_dataset_data(ds) + j*n. */
const double *causa_dataset_column(const causa_dataset *ds, int64_t j);
/* The whole n x p column-major block; borrowed (the writable form is for filling a data set
 * made with causa_dataset_new). */
const double *causa_dataset_data(const causa_dataset *ds);
double *causa_dataset_data_mut(causa_dataset *ds);
/* A column-major view of the whole data set. */
causa_matrix causa_dataset_matrix(const causa_dataset *ds);
/* Renames column j (name must be non-empty and unused). */
int causa_dataset_set_name(causa_ctx *ctx, causa_dataset *ds, int64_t j, const char *name);
/* Makes column j discrete with the given level names (codes already in the column must lie
 * in 0..nlevels-1 and be integers). */
int causa_dataset_set_discrete(causa_ctx *ctx, causa_dataset *ds, int64_t j, int64_t nlevels,
                               const char *const *levels);

/* Per-column summary, as `causa data info` shows it. */
typedef struct causa_column_summary {
    int type;          /* CAUSA_CONTINUOUS or CAUSA_DISCRETE */
    int64_t nlevels;   /* discrete: number of levels */
    int64_t missing;   /* missing values seen when the file was read (after any drop) */
    double min, max;   /* over the column (codes for discrete columns) */
    double mean, sd;   /* mean and sample standard deviation (n - 1) */
} causa_column_summary;
int causa_dataset_summary(causa_ctx *ctx, const causa_dataset *ds, int64_t j,
                          causa_column_summary *out);
/* Rows dropped for missing values when the data set was read (0 otherwise). */
int64_t causa_dataset_dropped_rows(const causa_dataset *ds);
/* Checks that column j varies; otherwise CAUSA_EDATA naming the column and `step`
 * ("variable 'age' (column 3) is constant; Fisher-z needs variance"). */
int causa_dataset_check_variance(causa_ctx *ctx, const causa_dataset *ds, int64_t j,
                                 const char *step);

/* ---- CSV ----------------------------------------------------------------------------------- */
enum { CAUSA_DATA_MIXED = 0, CAUSA_DATA_CONTINUOUS = 1, CAUSA_DATA_DISCRETE = 2 };
enum { CAUSA_MISSING_ERROR = 0, CAUSA_MISSING_DROP = 1 };

typedef struct causa_csv_options {
    int header;               /* 1 (default): first line holds names; 0: names X1..Xp */
    char delimiter;           /* 0 (default): detect among ',', '\t', ';' and whitespace;
                                 ' ' means runs of spaces/tabs */
    int data_type;            /* CAUSA_DATA_MIXED (default), _CONTINUOUS or _DISCRETE */
    int64_t max_levels;       /* mixed: an integer-valued column with at most this many
                                 distinct values becomes discrete; 0 (default): never */
    int missing;              /* CAUSA_MISSING_ERROR (default) or CAUSA_MISSING_DROP */
    const char *missing_marker; /* an extra token meaning missing (besides "", NA, NaN, ?) */
    char quote;               /* quote character; default '"' */
} causa_csv_options;

void causa_csv_options_init(causa_csv_options *opt);

/* Reads a CSV file ("-" = standard input). Malformed input gives CAUSA_EPARSE with
 * "file:line:column: what was expected" in causa_errmsg. Continuous values must be finite
 * doubles; a value that overflows gives CAUSA_ERANGE. A regular file is memory-mapped and
 * parsed in place, so the heap holds about the final matrix alone; standard input is read
 * into a buffer first. */
int causa_csv_read(causa_ctx *ctx, const char *path, const causa_csv_options *opt,
                   causa_dataset **out);
/* Same, from a memory buffer; `name` is used in messages. */
int causa_csv_read_buffer(causa_ctx *ctx, const char *name, const char *data, size_t len,
                          const causa_csv_options *opt, causa_dataset **out);
/* Writes a data set as CSV (comma, header, level names for discrete columns). Numbers are
 * written with the fewest digits that read back to the same double. Atomic: a temporary
 * file renamed over path ("-" = standard output). */
int causa_csv_write(causa_ctx *ctx, const causa_dataset *ds, const char *path);

/* ---- NumPy .npy ----------------------------------------------------------------------------
 * The fast lossless path: float64, 2-D, C or Fortran order, little or big endian on read;
 * written as little-endian Fortran order (no copy). Names are X1..Xp on read. */
int causa_npy_read(causa_ctx *ctx, const char *path, causa_dataset **out);
int causa_npy_write(causa_ctx *ctx, const causa_dataset *ds, const char *path);

#endif
