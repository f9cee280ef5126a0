/*
 * test_npy.c: NumPy .npy input and output: fixtures written by NumPy (tests/data/npy,
 * made by make_fixtures.py) in C and Fortran order, both byte orders, other element types
 * and format versions; write/read round trips; malformed headers; out-of-memory sweeps.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../src/data/dataset_i.h"
#include "harness.h"

/* The fixtures hold a[i, j] = 10 * (i + 1) + j + 0.5, 3 x 4. */
static void check_fixture(const char *name, double offset) {
    causa_dataset *ds = NULL;
    int rc = causa_npy_read(T, harness_data(name), &ds);
    if (rc != CAUSA_OK) {
        harness_fail(__FILE__, __LINE__, "%s: %s", name, causa_errmsg(T));
        return;
    }
    CHECK_INT(causa_dataset_nrow(ds), 3);
    CHECK_INT(causa_dataset_ncol(ds), 4);
    CHECK_STR(causa_dataset_name(ds, 3), "X4");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) {
            double want = 10 * (i + 1) + j + offset;
            if (causa_dataset_column(ds, j)[i] != want)
                harness_fail(__FILE__, __LINE__, "%s: [%d,%d] = %g, expected %g", name, i, j,
                             causa_dataset_column(ds, j)[i], want);
        }
    causa_dataset_free(ds);
}

TEST(npy_read_numpy_fixtures) {
    check_fixture("npy/c_f8.npy", 0.5);
    check_fixture("npy/fortran_f8.npy", 0.5);
    check_fixture("npy/c_big_f8.npy", 0.5);
    check_fixture("npy/fortran_big_f8.npy", 0.5);
    check_fixture("npy/c_f4.npy", 0.5);
    check_fixture("npy/c_i8.npy", 0.0);
    check_fixture("npy/v2_f8.npy", 0.5);
    check_fixture("npy/v3_f8.npy", 0.5);
    causa_dataset *ds = NULL;
    CHECK_OK(causa_npy_read(T, harness_data("npy/vector_f8.npy"), &ds)); /* 1-D: one column */
    if (ds) {
        CHECK_INT(causa_dataset_nrow(ds), 3);
        CHECK_INT(causa_dataset_ncol(ds), 1);
        CHECK(causa_dataset_column(ds, 0)[2] == 30.5);
        causa_dataset_free(ds);
    }
}

TEST(npy_read_errors) {
    static const struct {
        const char *file;
        int code;
        const char *msg;
    } cases[] = {
        {"npy/nan_f8.npy", CAUSA_EDATA, "row 1, column 2 is NaN; data must be finite"},
        {"npy/three_d.npy", CAUSA_EPARSE,
         "the array has more than 2 dimensions; expected a matrix"},
        {"npy/complex.npy", CAUSA_EPARSE,
         "unsupported .npy element type '<c16' (expected float64 '<f8' or '>f8', or another float, "
         "integer or bool type)"},
        {"csv/mixed.csv", CAUSA_EPARSE, "not a NumPy .npy file (no \\x93NUMPY magic string)"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        causa_dataset *ds = (causa_dataset *)&ds;
        CHECK_ERR(causa_npy_read(T, harness_data(cases[k].file), &ds), cases[k].code);
        CHECK(ds == NULL);
        char want[512];
        snprintf(want, sizeof want, "%s: %s", harness_data(cases[k].file), cases[k].msg);
        CHECK_STR(causa_errmsg(T), want);
    }
    causa_dataset *ds = NULL;
    CHECK_ERR(causa_npy_read(T, "no/such.npy", &ds), CAUSA_EIO);
    CHECK_STR(causa_errmsg(T), "cannot open 'no/such.npy': No such file or directory");
}

/* A v1.0 file with the given header text (padding added) and `data` bytes of payload. */
static size_t make_npy(unsigned char *out, const char *dict, size_t data, int major) {
    size_t start = major == 1 ? 10 : 12, len = strlen(dict);
    size_t total = (start + len + 1 + 63) / 64 * 64, hlen = total - start;
    memcpy(out, "\x93NUMPY", 6);
    out[6] = (unsigned char)major;
    out[7] = 0;
    out[8] = (unsigned char)(hlen & 0xFF);
    out[9] = (unsigned char)(hlen >> 8);
    if (major != 1) out[10] = out[11] = 0;
    memcpy(out + start, dict, len);
    memset(out + start + len, ' ', hlen - len - 1);
    out[total - 1] = '\n';
    for (size_t k = 0; k < data; k++) out[total + k] = (unsigned char)(k % 7 == 0 ? 0 : 0x3F);
    return total + data;
}

TEST(npy_malformed_headers) {
    static const struct {
        const char *dict;
        size_t data;
        const char *msg;
    } cases[] = {
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", 31,
         "m.npy: expected 32 bytes of array data for shape (2, 2), found 31"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", 40,
         "m.npy: expected 32 bytes of array data for shape (2, 2), found 40"},
        {"{'descr': '<f8', 'shape': (2, 2), }", 32,
         "m.npy: malformed .npy header: 'descr', 'fortran_order' and 'shape' are all required"},
        {"{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2, 2), }", 32,
         "m.npy: malformed .npy header: 'fortran_order' must be True or False"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'extra': 1}", 32,
         "m.npy: malformed .npy header: unexpected key 'extra'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, -2), }", 32,
         "m.npy: malformed .npy header: expected a non-negative integer in 'shape'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 8,
         "m.npy: the array is a scalar (shape ()); expected a matrix"},
        {"{'descr': '<U8', 'fortran_order': False, 'shape': (2, 2), }", 32,
         "m.npy: unsupported .npy element type '<U8' (expected float64 '<f8' or '>f8', or another "
         "float, integer or bool type)"},
        {"['descr', '<f8']", 0, "m.npy: malformed .npy header: expected '{'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2) } x", 32,
         "m.npy: malformed .npy header: text after the closing '}'"},
        {"{'descr: '<f8'}", 0, "m.npy: malformed .npy header: expected ':' after a key"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 2), }", 0,
         "m.npy: malformed .npy header: a dimension in 'shape' is too large"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", 0,
         "m.npy: expected 18446744073709551615 bytes of array data for shape (4611686018427387904, "
         "4), found 0"},
    };
    unsigned char buf[512];
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t len = make_npy(buf, cases[k].dict, cases[k].data, 1);
        causa_dataset *ds = (causa_dataset *)&ds;
        int rc = causa_i_npy_read_buffer(T, "m.npy", buf, len, &ds);
        CHECK_INT(rc, CAUSA_EPARSE);
        CHECK(ds == NULL);
        CHECK_STR(causa_errmsg(T), cases[k].msg);
    }
    /* Empty arrays (found by fuzzing: (0, 7777777777777777774) has no data at all). */
    causa_dataset *ds = NULL;
    size_t len = make_npy(
        buf, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 7777777777777777774), }", 0, 1);
    CHECK_ERR(causa_i_npy_read_buffer(T, "m.npy", buf, len, &ds), CAUSA_EDATA);
    CHECK_STR(causa_errmsg(T), "m.npy: the array is empty (shape (0, 7777777777777777774)); a data "
                               "set needs rows and columns");
    len = make_npy(buf, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 0), }", 0, 1);
    CHECK_ERR(causa_i_npy_read_buffer(T, "m.npy", buf, len, &ds), CAUSA_EDATA);
    CHECK_ERR(causa_dataset_new(T, 0, INT64_MAX, &ds), CAUSA_ENOMEM);
    CHECK(ds == NULL);
    len = make_npy(buf, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", 8, 1);
    buf[6] = 4;
    CHECK_ERR(causa_i_npy_read_buffer(T, "m.npy", buf, len, &ds), CAUSA_EPARSE);
    CHECK_STR(causa_errmsg(T),
              "m.npy: unsupported .npy format version 4.0 (expected 1.0, 2.0 or 3.0)");
    buf[6] = 1;
    buf[9] = 0x7F; /* header longer than the file */
    CHECK_ERR(causa_i_npy_read_buffer(T, "m.npy", buf, len, &ds), CAUSA_EPARSE);
    CHECK_CONTAINS(causa_errmsg(T), "m.npy: .npy file truncated in its header");
    CHECK_ERR(causa_i_npy_read_buffer(T, "m.npy", buf, 5, &ds), CAUSA_EPARSE);
    /* Well-formed variants: version 2.0, double quotes, no trailing comma, Python 2 longs. */
    len =
        make_npy(buf, "{\"descr\": \"<f8\", \"fortran_order\": True, \"shape\": (2L, 1L)}", 16, 2);
    CHECK_OK(causa_i_npy_read_buffer(T, "m.npy", buf, len, &ds));
    if (ds) {
        CHECK_INT(causa_dataset_nrow(ds), 2);
        causa_dataset_free(ds);
    }
    len = make_npy(buf, "{'descr': '|b1', 'fortran_order': False, 'shape': (2, 3), }", 6, 1);
    CHECK_OK(causa_i_npy_read_buffer(T, "m.npy", buf, len, &ds));
    if (ds) {
        CHECK(causa_dataset_column(ds, 0)[0] == 0 && causa_dataset_column(ds, 1)[0] == 1);
        causa_dataset_free(ds);
    }
}

TEST(npy_direct_read_errors) {
    /* Fortran-order doubles are read from the file in place: the same checks apply. */
    unsigned char buf[512];
    char path[512];
    snprintf(path, sizeof path, "%s/short.npy", harness_tmpdir());
    size_t len = make_npy(buf, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", 24, 1);
    CHECK_OK(causa_write_file(T, path, buf, len));
    causa_dataset *ds = (causa_dataset *)&ds;
    CHECK_ERR(causa_npy_read(T, path, &ds), CAUSA_EPARSE);
    CHECK(ds == NULL);
    char want[700];
    snprintf(want, sizeof want, "%s: expected 32 bytes of array data for shape (2, 2), found 24",
             path);
    CHECK_STR(causa_errmsg(T), want);
    len = make_npy(buf, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 1), }", 16, 1);
    const double inf = (double)INFINITY;
    memcpy(buf + len - 8, &inf, 8);
    CHECK_OK(causa_write_file(T, path, buf, len));
    CHECK_ERR(causa_npy_read(T, path, &ds), CAUSA_EDATA);
    snprintf(want, sizeof want, "%s: row 2, column 1 is infinite; data must be finite", path);
    CHECK_STR(causa_errmsg(T), want);
    CHECK(ds == NULL);
}

TEST(npy_write_read_round_trip) {
    const int64_t n = 257, p = 5;
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, n, p, &ds));
    double *x = causa_dataset_data_mut(ds);
    causa_rng g;
    causa_rng_init(&g, 11, 0);
    for (int64_t k = 0; k < n * p; k++) x[k] = causa_rng_normal(&g) * 1e3;
    char path[512];
    snprintf(path, sizeof path, "%s/m.npy", harness_tmpdir());
    CHECK_OK(causa_npy_write(T, ds, path));
    /* Header: version 1.0, 64-byte aligned, '<f8', Fortran order. */
    FILE *f = fopen(path, "rb");
    unsigned char head[128];
    CHECK(f && fread(head, 1, sizeof head, f) == sizeof head);
    if (f) fclose(f);
    CHECK(memcmp(head, "\x93NUMPY\x01\x00", 8) == 0);
    size_t hlen = (size_t)head[8] | (size_t)head[9] << 8;
    CHECK((10 + hlen) % 64 == 0);
    CHECK(head[10 + hlen - 1] == '\n');
    CHECK(memcmp(head + 10, "{'descr': '<f8', 'fortran_order': True, 'shape': (257, 5), }", 60) ==
          0);
    causa_dataset *back = NULL;
    CHECK_OK(causa_npy_read(T, path, &back));
    if (back) {
        CHECK_INT(causa_dataset_nrow(back), n);
        CHECK_INT(causa_dataset_ncol(back), p);
        CHECK(memcmp(causa_dataset_data(back), x, (size_t)(n * p) * sizeof(double)) == 0);
        causa_dataset_free(back);
    }
    CHECK_ERR(causa_npy_write(T, ds, "no/such/dir/m.npy"), CAUSA_EIO);
    causa_dataset_free(ds);
}

TEST(npy_read_both_orders_written_by_numpy_match_csv) {
    /* The C- and Fortran-order fixtures give the same data set, cell for cell. */
    causa_dataset *a = NULL, *b = NULL;
    CHECK_OK(causa_npy_read(T, harness_data("npy/c_f8.npy"), &a));
    CHECK_OK(causa_npy_read(T, harness_data("npy/fortran_big_f8.npy"), &b));
    if (a && b)
        CHECK(memcmp(causa_dataset_data(a), causa_dataset_data(b), 12 * sizeof(double)) == 0);
    causa_dataset_free(a);
    causa_dataset_free(b);
}

typedef struct npy_blob {
    unsigned char *data;
    size_t len;
} npy_blob;

static int oom_npy(causa_ctx *ctx, void *ud) {
    npy_blob *b = ud;
    causa_dataset *ds = NULL;
    int rc = causa_i_npy_read_buffer(ctx, "oom.npy", b->data, b->len, &ds);
    causa_dataset_free(ds);
    return rc;
}

static int oom_npy_file(causa_ctx *ctx, void *ud) {
    /* C order goes through the mapped buffer, Fortran order is read in place. */
    causa_dataset *ds = NULL, *f = NULL;
    int rc = causa_npy_read(ctx, harness_data("npy/c_f8.npy"), &ds);
    if (rc == CAUSA_OK) rc = causa_npy_read(ctx, harness_data("npy/fortran_f8.npy"), &f);
    if (rc == CAUSA_OK) rc = causa_npy_write(ctx, ds, (const char *)ud);
    causa_dataset_free(ds);
    causa_dataset_free(f);
    return rc;
}

TEST(npy_oom_sweep) {
    unsigned char buf[512];
    npy_blob b = {
        buf, make_npy(buf, "{'descr': '>i4', 'fortran_order': False, 'shape': (3, 2), }", 24, 1)};
    CHECK(harness_oom_sweep("npy read", oom_npy, &b) > 5);
    char path[512];
    snprintf(path, sizeof path, "%s/oom.npy", harness_tmpdir());
    CHECK(harness_oom_sweep("npy read+write", oom_npy_file, path) > 5);
}
