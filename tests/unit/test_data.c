/*
 * test_data.c: the data set object (creation, names, levels, views), per-column summaries,
 * the variance check, and the bundled data/sachs.csv against values computed independently.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../src/internal.h"
#include "harness.h"

TEST(dataset_new_defaults) {
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, 4, 3, &ds));
    CHECK_INT(causa_dataset_nrow(ds), 4);
    CHECK_INT(causa_dataset_ncol(ds), 3);
    CHECK_STR(causa_dataset_name(ds, 0), "X1");
    CHECK_STR(causa_dataset_name(ds, 2), "X3");
    CHECK(causa_dataset_name(ds, 3) == NULL);
    CHECK(causa_dataset_name(ds, -1) == NULL);
    CHECK_INT(causa_dataset_find(ds, "X2"), 1);
    CHECK_INT(causa_dataset_find(ds, "X9"), -1);
    CHECK_INT(causa_dataset_type(ds, 1), CAUSA_CONTINUOUS);
    CHECK_INT(causa_dataset_type(ds, 5), -1);
    CHECK_INT(causa_dataset_nlevels(ds, 1), 0);
    CHECK(causa_dataset_level(ds, 1, 0) == NULL);
    CHECK_INT(causa_dataset_dropped_rows(ds), 0);
    const double *x = causa_dataset_data(ds);
    for (int i = 0; i < 12; i++) CHECK(x[i] == 0.0);
    double *w = causa_dataset_data_mut(ds);
    w[1 * 4 + 2] = 2.385; /* row 2 of column 1 */
    CHECK(causa_dataset_column(ds, 1)[2] == 2.385);
    causa_matrix m = causa_dataset_matrix(ds);
    CHECK(causa_matrix_get(&m, 2, 1) == 2.385);
    CHECK_INT(m.nrow, 4);
    CHECK_INT(m.ncol, 3);
    causa_dataset_free(ds);
    causa_dataset_free(NULL);
}

TEST(dataset_new_errors) {
    causa_dataset *ds = (causa_dataset *)1;
    CHECK_ERR(causa_dataset_new(T, -1, 3, &ds), CAUSA_EINVAL);
    CHECK(ds == NULL);
    CHECK_CONTAINS(causa_errmsg(T), "out of range");
    CHECK_ERR(causa_dataset_new(T, INT64_MAX / 2, 4, &ds), CAUSA_EINVAL);
    CHECK_ERR(causa_dataset_new(T, (int64_t)1 << 32, (int64_t)1 << 30, &ds),
              CAUSA_ENOMEM); /* 2^65 bytes */
    CHECK(ds == NULL);
    CHECK_CONTAINS(causa_errmsg(T), "the data matrix");
    CHECK_ERR(causa_dataset_new(T, 1, 1, NULL), CAUSA_EMISUSE);
}

TEST(dataset_from_matrix_rowmajor_and_names) {
    const double v[6] = {1.5, 2.5, 3.5, 4.5, 5.5, 6.5}; /* 3 x 2, row-major */
    causa_matrix m = causa_matrix_rowmajor(v, 3, 2);
    const char *names[2] = {"height", "weight"};
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_from_matrix(T, &m, names, &ds));
    CHECK_STR(causa_dataset_name(ds, 1), "weight");
    const double *c0 = causa_dataset_column(ds, 0), *c1 = causa_dataset_column(ds, 1);
    CHECK(c0[0] == 1.5 && c0[1] == 3.5 && c0[2] == 5.5);
    CHECK(c1[0] == 2.5 && c1[1] == 4.5 && c1[2] == 6.5);
    causa_dataset_free(ds);
    CHECK_OK(causa_dataset_from_matrix(T, &m, NULL, &ds));
    CHECK_STR(causa_dataset_name(ds, 0), "X1");
    causa_dataset_free(ds);
}

TEST(dataset_from_matrix_errors) {
    const double v[4] = {1, (double)NAN, 3, 4};
    causa_matrix m = causa_matrix_colmajor(v, 2, 2);
    causa_dataset *ds = NULL;
    CHECK_ERR(causa_dataset_from_matrix(T, &m, NULL, &ds), CAUSA_EDATA);
    CHECK_STR(causa_errmsg(T), "row 2, column 1 of the matrix is NaN; data must be finite");
    CHECK(ds == NULL);
    const double ok[4] = {1, 2, 3, 4};
    m = causa_matrix_colmajor(ok, 2, 2);
    const char *dup[2] = {"a", "a"};
    CHECK_ERR(causa_dataset_from_matrix(T, &m, dup, &ds), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "column name 'a' is already used by column 1");
    const char *empty[2] = {"a", ""};
    CHECK_ERR(causa_dataset_from_matrix(T, &m, empty, &ds), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "the name of column 2 is empty");
    CHECK_ERR(causa_dataset_from_matrix(T, NULL, NULL, &ds), CAUSA_EINVAL);
    CHECK(ds == NULL);
}

TEST(dataset_set_name) {
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, 2, 3, &ds));
    CHECK_OK(causa_dataset_set_name(T, ds, 0, "age"));
    CHECK_STR(causa_dataset_name(ds, 0), "age");
    CHECK_INT(causa_dataset_find(ds, "age"), 0);
    CHECK_ERR(causa_dataset_set_name(T, ds, 1, "age"), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "column name 'age' is already used by column 1");
    CHECK_OK(causa_dataset_set_name(T, ds, 0, "age")); /* its own name again is fine */
    CHECK_ERR(causa_dataset_set_name(T, ds, 1, ""), CAUSA_EINVAL);
    CHECK_ERR(causa_dataset_set_name(T, ds, 1, "bad\xff"), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "the name of column 2 is not valid UTF-8");
    CHECK_ERR(causa_dataset_set_name(T, ds, 3, "x"), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "causa_dataset_set_name: column index 3 is out of range 0..2");
    CHECK_ERR(causa_dataset_set_name(T, NULL, 0, "x"), CAUSA_EMISUSE);
    causa_dataset_free(ds);
}

TEST(dataset_set_discrete) {
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, 4, 2, &ds));
    double *x = causa_dataset_data_mut(ds);
    x[0] = 0, x[1] = 2, x[2] = 1, x[3] = 2;
    const char *lv[3] = {"low", "mid", "high"};
    CHECK_OK(causa_dataset_set_discrete(T, ds, 0, 3, lv));
    CHECK_INT(causa_dataset_type(ds, 0), CAUSA_DISCRETE);
    CHECK_INT(causa_dataset_nlevels(ds, 0), 3);
    CHECK_STR(causa_dataset_level(ds, 0, 2), "high");
    CHECK(causa_dataset_level(ds, 0, 3) == NULL);
    /* Level names are copied. */
    char mine[8] = "low";
    const char *lv2[3] = {mine, "mid", "high"};
    CHECK_OK(causa_dataset_set_discrete(T, ds, 0, 3, lv2));
    mine[0] = 'X';
    CHECK_STR(causa_dataset_level(ds, 0, 0), "low");
    /* Codes must fit the levels. */
    CHECK_ERR(causa_dataset_set_discrete(T, ds, 0, 2, lv), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "row 2 of column 'X1' holds 2, not a code in 0..1");
    x[4] = 0.5;
    CHECK_ERR(causa_dataset_set_discrete(T, ds, 1, 3, lv), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "row 1 of column 'X2' holds 0.5, not a code in 0..2");
    x[4] = 0;
    const char *dup[2] = {"a", "a"};
    CHECK_ERR(causa_dataset_set_discrete(T, ds, 1, 2, dup), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "level name 'a' appears twice in column 'X2'");
    CHECK_ERR(causa_dataset_set_discrete(T, ds, 1, 0, lv), CAUSA_EINVAL);
    CHECK_ERR(causa_dataset_set_discrete(T, ds, 1, 2, NULL), CAUSA_EINVAL);
    CHECK_INT(causa_dataset_type(ds, 1), CAUSA_CONTINUOUS); /* unchanged after errors */
    causa_dataset_free(ds);
}

TEST(dataset_summary_and_variance) {
    const double v[10] = {2.385, 1.5, -4.25, 8, 0.125, /* column "a" */ 3, 3, 3, 3, 3};
    causa_matrix m = causa_matrix_colmajor(v, 5, 2);
    const char *names[2] = {"a", "age"};
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_from_matrix(T, &m, names, &ds));
    causa_column_summary s;
    CHECK_OK(causa_dataset_summary(T, ds, 0, &s));
    CHECK_INT(s.type, CAUSA_CONTINUOUS);
    CHECK(s.min == -4.25 && s.max == 8);
    double mean = (2.385 + 1.5 - 4.25 + 8 + 0.125) / 5, ss = 0;
    for (int i = 0; i < 5; i++) ss += (v[i] - mean) * (v[i] - mean);
    CHECK_REL(s.mean, mean, 1e-15);
    CHECK_REL(s.sd, sqrt(ss / 4), 1e-15);
    CHECK_INT(s.missing, 0);
    CHECK_OK(causa_dataset_check_variance(T, ds, 0, "Fisher-z"));
    CHECK_ERR(causa_dataset_check_variance(T, ds, 1, "Fisher-z"), CAUSA_EDATA);
    CHECK_STR(causa_errmsg(T), "variable 'age' (column 2) is constant; Fisher-z needs variance");
    CHECK_OK(causa_dataset_summary(T, ds, 1, &s));
    CHECK(s.sd == 0 && s.mean == 3);
    CHECK_ERR(causa_dataset_summary(T, ds, 2, &s), CAUSA_EINVAL);
    CHECK_ERR(causa_dataset_check_variance(T, ds, -1, "x"), CAUSA_EINVAL);
    causa_dataset_free(ds);
    /* One row: sd undefined, and no variance. */
    CHECK_OK(causa_dataset_new(T, 1, 1, &ds));
    CHECK_OK(causa_dataset_summary(T, ds, 0, &s));
    CHECK(isnan(s.sd));
    CHECK_ERR(causa_dataset_check_variance(T, ds, 0, "OLS"), CAUSA_EDATA);
    CHECK_STR(causa_errmsg(T), "variable 'X1' (column 1) has 1 row; OLS needs variance");
    causa_dataset_free(ds);
}

/* data/sachs.csv (copied from ../shared/data/sachs/sachs_cd3cd28.csv): the reference values
 * were computed with NumPy 1.24 (np.genfromtxt, then a.mean(0) and a.std(0, ddof=1)). */
static const char *const sachs_names[11] = {"Raf", "Mek", "Plcg", "PIP2", "PIP3", "Erk",
                                            "Akt", "PKA", "PKC",  "P38",  "Jnk"};
static const double sachs_mean[11] = {59.31447831184056,  30.02933177022274,  19.494841735052752,
                                      81.55392731535756,  30.458487690504104, 22.183481828839387,
                                      41.98166471277843,  567.0239742086752,  15.018968347010551,
                                      34.024349355216884, 38.4583939038687};
static const double sachs_sd[11] = {41.84454162682085,  27.44877446487124, 14.672888163888977,
                                    93.5141857968022,   34.20142448144523, 89.89183619890105,
                                    126.66029309809353, 427.7999005886913, 11.5919444311559,
                                    19.42190637246299,  43.09323738242671};
static const double sachs_min[11] = {1.61, 1, 1, 1.11, 1, 1, 1.7, 1.95, 1, 1.53, 1};
static const double sachs_max[11] = {552, 389, 167, 843, 764, 2571, 3555, 4491, 106, 170, 343};

TEST(sachs_bundled) {
    causa_dataset *ds = NULL;
    CHECK_OK(causa_csv_read(T, "data/sachs.csv", NULL, &ds));
    if (!ds) return;
    CHECK_INT(causa_dataset_nrow(ds), 853);
    CHECK_INT(causa_dataset_ncol(ds), 11);
    for (int j = 0; j < 11; j++) {
        CHECK_STR(causa_dataset_name(ds, j), sachs_names[j]);
        CHECK_INT(causa_dataset_type(ds, j), CAUSA_CONTINUOUS);
        causa_column_summary s;
        CHECK_OK(causa_dataset_summary(T, ds, j, &s));
        CHECK_REL(s.mean, sachs_mean[j], 1e-13);
        CHECK_REL(s.sd, sachs_sd[j], 1e-12);
        CHECK(s.min == sachs_min[j]);
        CHECK(s.max == sachs_max[j]);
        CHECK_INT(s.missing, 0);
    }
    /* First and last rows, exactly as in the file. */
    const double first[11] = {26.4, 13.2, 8.82, 18.3, 58.8, 6.61, 17, 414, 17, 44.9, 40};
    const double last[11] = {46.6, 15, 8.51, 120, 22.3, 6.1, 20, 478, 20.9, 36.8, 9.65};
    for (int j = 0; j < 11; j++) {
        CHECK(causa_dataset_column(ds, j)[0] == first[j]);
        CHECK(causa_dataset_column(ds, j)[852] == last[j]);
    }
    CHECK(causa_dataset_column(ds, 7)[100] == 583.0);
    causa_dataset_free(ds);
}
