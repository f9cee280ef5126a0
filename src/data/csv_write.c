/*
 * csv_write.c: writes a data set as CSV: comma-separated, a header line, LF line ends,
 * numbers in the fewest digits that read back to the same double (the shortest of %.15g,
 * %.16g and %.17g that round-trips), discrete columns as their level names.
 *
 * A field is quoted when the reader would otherwise see something else: when it holds a
 * comma, a quote or a line break, starts or ends with a blank (the reader trims blanks),
 * equals a missing marker (NA, NaN, ?; the reader takes a quoted marker as a value), or
 * starts like a UTF-8 byte-order mark (which the reader skips at the start of a file).
 * The text is built in 1 MiB pieces and streamed to a temporary file that is renamed over
 * the target at the end, so memory stays small and the file is never half-written.
 */
#include <math.h>
#include <string.h>

#include "dataset_i.h"

#define CHUNK ((size_t)1 << 20)

static int needs_quotes(const char *s) {
    size_t n = strlen(s);
    if (n == 0) return 1;
    if (strcmp(s, "NA") == 0 || strcmp(s, "NaN") == 0 || strcmp(s, "?") == 0) return 1;
    if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t') return 1;
    if (strncmp(s, "\xEF\xBB\xBF", 3) == 0) return 1; /* would pass for a byte-order mark */
    return strpbrk(s, ",\"\n\r") != NULL;
}

static int put_text(causa_i_buf *b, const char *s) {
    if (!needs_quotes(s)) return causa_i_buf_append(b, s, strlen(s));
    int rc = causa_i_buf_append(b, "\"", 1);
    for (const char *q; !rc && (q = strchr(s, '"')); s = q + 1)
        rc = causa_i_buf_append(b, s, (size_t)(q - s + 1)) || causa_i_buf_append(b, "\"", 1);
    if (!rc) rc = causa_i_buf_append(b, s, strlen(s));
    if (!rc) rc = causa_i_buf_append(b, "\"", 1);
    return rc ? CAUSA_ENOMEM : CAUSA_OK;
}

static int put_value(causa_i_buf *b, const causa_dataset *ds, int64_t j, double v) {
    if (ds->type[j] == CAUSA_DISCRETE && v >= 0 && v < (double)ds->nlevels[j] && v == floor(v))
        return put_text(b, ds->levels[j][(int64_t)v]);
    char num[40];
    int n;
    if (isnan(v))
        n = (int)strlen(strcpy(num, "NA"));
    else if (isinf(v))
        n = (int)strlen(strcpy(num, v > 0 ? "Inf" : "-Inf"));
    else
        n = causa_i_format_double(num, v);
    return causa_i_buf_append(b, num, (size_t)n);
}

int causa_i_csv_format(causa_ctx *ctx, const causa_dataset *ds, causa_i_out *out, causa_i_buf *b) {
    int rc = CAUSA_OK;
    for (int64_t j = 0; j < ds->p; j++) {
        if (j) CAUSA_TRY(causa_i_buf_append(b, ",", 1));
        CAUSA_TRY(put_text(b, ds->names[j]));
    }
    CAUSA_TRY(causa_i_buf_append(b, "\n", 1));
    for (int64_t i = 0; i < ds->n; i++) {
        for (int64_t j = 0; j < ds->p; j++) {
            if (j) CAUSA_TRY(causa_i_buf_append(b, ",", 1));
            CAUSA_TRY(put_value(b, ds, j, ds->data[j * ds->n + i]));
        }
        CAUSA_TRY(causa_i_buf_append(b, "\n", 1));
        if (out && b->len >= CHUNK) {
            CAUSA_TRY(causa_i_out_write(out, b->data, b->len));
            b->len = 0;
            causa_i_progress(ctx, "CSV rows written", (double)(i + 1), (double)ds->n);
            CAUSA_TRY(causa_i_check_interrupt(ctx));
        }
    }
    if (out) {
        CAUSA_TRY(causa_i_out_write(out, b->data, b->len));
        b->len = 0;
    }
done:
    return rc;
}

int causa_csv_write(causa_ctx *ctx, const causa_dataset *ds, const char *path) {
    if (!ds) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_csv_write: the data set is NULL");
    causa_i_out out;
    int rc = causa_i_out_open(ctx, path, &out);
    if (rc) return rc;
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    CAUSA_TRY(causa_i_buf_reserve(&b, CHUNK + 4096));
    CAUSA_TRY(causa_i_csv_format(ctx, ds, &out, &b));
    rc = causa_i_out_commit(&out);
done:
    if (rc) causa_i_out_abort(&out);
    causa_i_buf_free(&b);
    return rc;
}
