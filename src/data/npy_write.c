/*
 * npy_write.c: writes a data set as a NumPy .npy file, format 1.0: little-endian float64
 * ('<f8'), Fortran order, which is the data set's own layout, so the matrix is written as
 * it lies in memory with no copy. The header is padded with spaces to a multiple of 64
 * bytes (numpy aligns the data that way). Discrete columns are written as their codes.
 * The file appears atomically (a temporary file renamed over the target).
 */
#include <stdio.h>
#include <string.h>

#include "dataset_i.h"

int causa_npy_write(causa_ctx *ctx, const causa_dataset *ds, const char *path) {
    if (!ds) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_npy_write: the data set is NULL");
    char head[128];
    int len = snprintf(head + 10, sizeof head - 10,
                       "{'descr': '<f8', 'fortran_order': True, 'shape': (%lld, %lld), }",
                       (long long)ds->n, (long long)ds->p);
    /* Pad so that the data starts at a multiple of 64 bytes; the header ends with '\n'. */
    int total = (10 + len + 1 + 63) / 64 * 64;
    memset(head + 10 + len, ' ', (size_t)(total - 10 - len - 1));
    head[total - 1] = '\n';
    int hlen = total - 10;
    memcpy(head, "\x93NUMPY\x01\x00", 8);
    head[8] = (char)(hlen & 0xFF);
    head[9] = (char)(hlen >> 8);

    causa_i_out out;
    int rc = causa_i_out_open(ctx, path, &out);
    if (rc) return rc;
    CAUSA_TRY(causa_i_out_write(&out, head, (size_t)total));
    size_t cells = (size_t)ds->n * (size_t)ds->p;
    static const uint16_t one = 1;
    if (*(const unsigned char *)&one == 1) {
        CAUSA_TRY(causa_i_out_write(&out, ds->data, cells * sizeof(double)));
    } else {
        /* A big-endian machine: swap bytes through a small buffer. */
        unsigned char buf[4096];
        for (size_t e = 0; e < cells;) {
            size_t m = 0;
            for (; e < cells && m + 8 <= sizeof buf; e++, m += 8) {
                const unsigned char *s = (const unsigned char *)(ds->data + e);
                for (int k = 0; k < 8; k++) buf[m + (size_t)k] = s[7 - k];
            }
            CAUSA_TRY(causa_i_out_write(&out, buf, m));
        }
    }
    rc = causa_i_out_commit(&out);
done:
    if (rc) causa_i_out_abort(&out);
    return rc;
}
