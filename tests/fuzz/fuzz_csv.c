/*
 * fuzz_csv.c: libFuzzer target for the CSV reader. Each input is read under several option
 * sets; when a read succeeds, the data set's invariants are checked, it is summarised, and
 * it is written back as CSV text and read again: read back with every column discrete, each
 * cell must give the same text (names and levels survive quoting); read back as numbers,
 * continuous columns must be bit-identical. Any mismatch aborts (a crash for libFuzzer).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/data/dataset_i.h"
#include "fuzz_common.h"

static void check_invariants(causa_ctx *ctx, const causa_dataset *ds) {
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    REQUIRE(n > 0 && p > 0);
    for (int64_t j = 0; j < p; j++) {
        const char *name = causa_dataset_name(ds, j);
        REQUIRE(name && *name);
        REQUIRE(causa_i_utf8_invalid_at(name, strlen(name)) < 0);
        REQUIRE(causa_dataset_find(ds, name) == j);
        const double *x = causa_dataset_column(ds, j);
        int64_t L = causa_dataset_nlevels(ds, j);
        if (causa_dataset_type(ds, j) == CAUSA_DISCRETE) {
            REQUIRE(L >= 1);
            unsigned char *used = calloc((size_t)L, 1);
            REQUIRE(used);
            for (int64_t i = 0; i < n; i++) {
                REQUIRE(x[i] >= 0 && x[i] < (double)L && x[i] == floor(x[i]));
                used[(int64_t)x[i]] = 1;
            }
            for (int64_t k = 0; k < L; k++) {
                const char *lv = causa_dataset_level(ds, j, k);
                REQUIRE(used[k] && lv && *lv); /* no unused or empty levels */
                REQUIRE(causa_i_utf8_invalid_at(lv, strlen(lv)) < 0);
            }
            free(used);
        } else {
            REQUIRE(L == 0);
            for (int64_t i = 0; i < n; i++) REQUIRE(isfinite(x[i]));
        }
        causa_column_summary s;
        REQUIRE(causa_dataset_summary(ctx, ds, j, &s) == CAUSA_OK);
        REQUIRE(s.min <= s.max);
        int rc = causa_dataset_check_variance(ctx, ds, j, "fuzzing");
        REQUIRE(rc == CAUSA_OK || rc == CAUSA_EDATA);
    }
}

static void round_trip(causa_ctx *ctx, const causa_dataset *ds) {
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = causa_i_csv_format(ctx, ds, NULL, &b);
    if (rc != CAUSA_OK) {
        REQUIRE(rc == CAUSA_ENOMEM);
        causa_i_buf_free(&b);
        return;
    }
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.delimiter = ',';
    o.data_type = CAUSA_DATA_DISCRETE;
    causa_dataset *back = NULL;
    rc = causa_csv_read_buffer(ctx, "back", b.data, b.len, &o, &back);
    if (rc != CAUSA_OK) {
        fprintf(stderr, "fuzz_csv: reading the written text failed: %s\n%.*s\n", causa_errmsg(ctx),
                (int)(b.len < 2000 ? b.len : 2000), b.data);
        abort();
    }
    int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
    REQUIRE(causa_dataset_nrow(back) == n && causa_dataset_ncol(back) == p);
    int all_continuous = 1;
    for (int64_t j = 0; j < p; j++) {
        REQUIRE(strcmp(causa_dataset_name(ds, j), causa_dataset_name(back, j)) == 0);
        int disc = causa_dataset_type(ds, j) == CAUSA_DISCRETE;
        all_continuous &= !disc;
        for (int64_t i = 0; i < n; i++) {
            const char *got =
                causa_dataset_level(back, j, (int64_t)causa_dataset_column(back, j)[i]);
            char num[64];
            const char *want;
            if (disc)
                want = causa_dataset_level(ds, j, (int64_t)causa_dataset_column(ds, j)[i]);
            else {
                causa_i_format_double(num, causa_dataset_column(ds, j)[i]);
                want = num;
            }
            if (strcmp(got, want) != 0) {
                fprintf(stderr, "fuzz_csv: cell (%lld, %lld) was '%s', read back '%s'\n",
                        (long long)i, (long long)j, want, got);
                abort();
            }
        }
    }
    causa_dataset_free(back);
    if (all_continuous) {
        o.data_type = CAUSA_DATA_CONTINUOUS;
        rc = causa_csv_read_buffer(ctx, "back", b.data, b.len, &o, &back);
        REQUIRE(rc == CAUSA_OK);
        REQUIRE(memcmp(causa_dataset_data(back), causa_dataset_data(ds),
                       (size_t)(n * p) * sizeof(double)) == 0);
        causa_dataset_free(back);
    }
    causa_i_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    causa_ctx_config cfg;
    causa_ctx_config_init(&cfg);
    cfg.alloc = capped_alloc;
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(&cfg, &ctx) != CAUSA_OK) return 0;
    for (int set = 0; set < 5; set++) {
        causa_csv_options o;
        causa_csv_options_init(&o);
        switch (set) {
        case 1: o.header = 0, o.missing = CAUSA_MISSING_DROP, o.max_levels = 4; break;
        case 2: o.data_type = CAUSA_DATA_DISCRETE, o.delimiter = ';'; break;
        case 3: o.delimiter = ' ', o.missing_marker = "-9", o.missing = CAUSA_MISSING_DROP; break;
        case 4: o.data_type = CAUSA_DATA_CONTINUOUS, o.quote = '\''; break;
        default: break;
        }
        causa_dataset *ds = (causa_dataset *)&ds;
        int rc = causa_csv_read_buffer(ctx, "fuzz", (const char *)data, size, &o, &ds);
        if (rc != CAUSA_OK) {
            REQUIRE(ds == NULL);
            REQUIRE(rc == CAUSA_EPARSE || rc == CAUSA_EDATA || rc == CAUSA_ERANGE ||
                    rc == CAUSA_ENOMEM);
            REQUIRE(*causa_errmsg(ctx));
            continue;
        }
        check_invariants(ctx, ds);
        round_trip(ctx, ds);
        causa_dataset_free(ds);
    }
    REQUIRE(causa_ctx_bytes_in_use(ctx) == 0);
    causa_ctx_free(ctx);
    return 0;
}
