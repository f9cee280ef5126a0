/*
 * fuzz_npy.c: libFuzzer target for the .npy reader (from memory). A successful read must
 * give a finite, summarisable data set of the announced shape; a failed one a message and
 * no object.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/data/dataset_i.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    causa_ctx_config cfg;
    causa_ctx_config_init(&cfg);
    cfg.alloc = capped_alloc;
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(&cfg, &ctx) != CAUSA_OK) return 0;
    causa_dataset *ds = (causa_dataset *)&ds;
    int rc = causa_i_npy_read_buffer(ctx, "fuzz.npy", data, size, &ds);
    if (rc != CAUSA_OK) {
        REQUIRE(ds == NULL);
        REQUIRE(rc == CAUSA_EPARSE || rc == CAUSA_EDATA || rc == CAUSA_ENOMEM ||
                rc == CAUSA_EINVAL);
        REQUIRE(*causa_errmsg(ctx));
    } else {
        int64_t n = causa_dataset_nrow(ds), p = causa_dataset_ncol(ds);
        REQUIRE(n >= 0 && p >= 0);
        const double *x = causa_dataset_data(ds);
        for (int64_t k = 0; k < n * p; k++) REQUIRE(isfinite(x[k]));
        for (int64_t j = 0; j < p; j++) {
            causa_column_summary s;
            REQUIRE(causa_dataset_summary(ctx, ds, j, &s) == CAUSA_OK);
        }
        causa_i_buf b;
        causa_i_buf_init(&b, ctx);
        rc = causa_i_csv_format(ctx, ds, NULL, &b);
        REQUIRE(rc == CAUSA_OK || rc == CAUSA_ENOMEM);
        causa_i_buf_free(&b);
        causa_dataset_free(ds);
    }
    REQUIRE(causa_ctx_bytes_in_use(ctx) == 0);
    causa_ctx_free(ctx);
    return 0;
}
