/*
 * csv_read.c: reads a CSV file into a data set in two passes over the text in memory.
 *
 *  1. Count the records (memchr for line feeds when the text has no quote character, a
 *     quote-aware scan otherwise), then allocate exactly n x p doubles, column-major.
 *  2. Parse every field directly into its place. A column starts numeric: its fields go
 *     through the number parser with no copy. In mixed mode, the first non-numeric token
 *     makes the column discrete; later tokens are interned in the column's table of level
 *     names, and the numbers before that point are re-read from the text in one extra
 *     pass at the end (only when some column changed, and only up to the last change).
 *
 * Peak heap is the matrix plus the level tables of discrete columns: no token copies, no
 * per-column growing arrays. The rules (delimiter detection, quoting, missing values, type
 * inference, level order) are documented in docs/FORMATS.md, "CSV input".
 */
#include <string.h>

#include "csv_i.h"

enum { KIND_NUMERIC = 0, KIND_DISCRETE = 1 };

typedef struct csv_job {
    csv_reader r;
    const causa_csv_options *opt;
    causa_dataset *ds;
    int64_t p, n0;          /* columns; data records counted in pass 1 */
    int64_t nrows;          /* rows kept in pass 2 */
    const char *data_start; /* first data record */
    unsigned char *kind;    /* per column: KIND_NUMERIC or KIND_DISCRETE */
    csv_levels **lev;       /* per column: level table of a discrete column */
    int64_t *conv_rec;      /* per column: record where it turned discrete, or -1 */
    int64_t *conv_row;      /* ... and the row index (kept rows) at that point */
    int64_t last_conv_rec;  /* largest conv_rec, -1 when no column changed */
    const char *marker;     /* the extra missing marker, or NULL */
    size_t marker_len;
    int marker_is_number; /* the marker would pass for a number: check it first */
    int fast;             /* numbers may take the fast path (see read_text) */
    const char **ovf_pos; /* per column: first number that overflowed, or NULL */
    size_t *ovf_len;
} csv_job;

/* ---- options ---- */

void causa_csv_options_init(causa_csv_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->header = 1;
    opt->data_type = CAUSA_DATA_MIXED;
    opt->missing = CAUSA_MISSING_ERROR;
    opt->quote = '"';
}

static int check_options(causa_ctx *ctx, const causa_csv_options *o) {
    if (o->header != 0 && o->header != 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "header must be 0 or 1, got %d", o->header);
    if (o->data_type < CAUSA_DATA_MIXED || o->data_type > CAUSA_DATA_DISCRETE)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "data_type must be CAUSA_DATA_MIXED, _CONTINUOUS or _DISCRETE, got %d",
                             o->data_type);
    if (o->missing != CAUSA_MISSING_ERROR && o->missing != CAUSA_MISSING_DROP)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "missing must be CAUSA_MISSING_ERROR or _DROP, got %d", o->missing);
    if (o->max_levels < 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "max_levels must be >= 0, got %lld",
                             (long long)o->max_levels);
    if (o->delimiter == '\n' || o->delimiter == '\r')
        return causa_i_error(ctx, CAUSA_EINVAL, "the delimiter cannot be a line break");
    if (o->quote == '\n' || o->quote == '\r' || o->quote == ' ' || o->quote == '\t')
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "the quote character cannot be a blank or a line break");
    if (o->quote && o->delimiter == o->quote)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "the delimiter and the quote character are both '%c'", o->quote);
    return CAUSA_OK;
}

/* ---- tokens ---- */

/* Missing: an empty field (quoted or not), or an unquoted NA, NaN, ? or the extra marker.
 * A quoted marker is a value, so that a level named "NA" can be written and read back. */
static int is_missing(const csv_job *jb, const csv_token *t) {
    const char *s = t->s;
    if (t->len == 0) return 1;
    if (t->quoted) return 0;
    switch (t->len) {
    case 1:
        if (s[0] == '?') return 1;
        break;
    case 2:
        if (s[0] == 'N' && s[1] == 'A') return 1;
        break;
    case 3:
        if (s[0] == 'N' && s[1] == 'a' && s[2] == 'N') return 1;
        break;
    default: break;
    }
    return jb->marker && t->len == jb->marker_len && memcmp(s, jb->marker, t->len) == 0;
}

static int overflow_error(csv_job *jb, const csv_token *t, int64_t j) {
    char text[48];
    return causa_i_csv_error(&jb->r, CAUSA_ERANGE, t->pos, "%s overflows a double (column '%s')",
                             causa_i_csv_token_text(t, text), jb->ds->names[j]);
}

/* A number too large for a double. In continuous mode that is an error at once; in mixed
 * mode only if the column stays numeric (a text token later makes it discrete, and then
 * "1e400" is just a level), so the first one is remembered and judged at the end. */
static int overflow(csv_job *jb, const csv_token *t, int64_t j) {
    if (jb->opt->data_type == CAUSA_DATA_CONTINUOUS) return overflow_error(jb, t, j);
    if (!jb->ovf_pos[j]) {
        jb->ovf_pos[j] = t->pos;
        jb->ovf_len[j] = t->len;
    }
    return CAUSA_OK;
}

static int make_discrete(csv_job *jb, int64_t j) {
    csv_levels *t = causa_i_malloc(jb->r.ctx, sizeof *t);
    if (!t) return causa_i_nomem(jb->r.ctx, "a table of level names", sizeof *t);
    causa_i_csv_levels_init(t, jb->r.ctx);
    jb->lev[j] = t;
    jb->kind[j] = KIND_DISCRETE;
    return CAUSA_OK;
}

static int intern(csv_job *jb, const csv_token *t, int64_t j, int64_t rec, double *dst) {
    int64_t code;
    int added;
    int rc = causa_i_csv_levels_intern(jb->lev[j], t->s, t->len, rec, &code, &added);
    if (rc) return rc;
    if (added) {
        int64_t bad = causa_i_utf8_invalid_at(t->s, t->len);
        if (bad >= 0)
            return causa_i_csv_error(&jb->r, CAUSA_EPARSE,
                                     t->s == jb->r.scratch.data ? t->pos : t->s + bad,
                                     "invalid UTF-8 in a value of column '%s'", jb->ds->names[j]);
    }
    *dst = (double)code;
    return CAUSA_OK;
}

/* A field that did not take the numeric fast path (quoted, missing, text, or a number
 * followed by something): decides what it is and stores it at dst. */
static int take_token(csv_job *jb, const csv_token *t, int64_t j, int64_t rec, int64_t row,
                      double *dst, int *row_missing) {
    char text[48];
    if (is_missing(jb, t)) {
        if (jb->opt->missing == CAUSA_MISSING_ERROR)
            return causa_i_csv_error(
                &jb->r, CAUSA_EDATA, t->pos,
                "missing value ('%s') in column '%s'; use --missing drop to drop such rows",
                causa_i_csv_token_text(t, text), jb->ds->names[j]);
        jb->ds->missing[j]++;
        *row_missing = 1;
        return CAUSA_OK;
    }
    if (jb->kind[j] == KIND_NUMERIC) {
        double v;
        const char *stop;
        int st = causa_i_parse_double(t->s, t->s + t->len, &v, &stop);
        if (st != CAUSA_I_NUM_NONE && stop == t->s + t->len) {
            *dst = v;
            return st == CAUSA_I_NUM_OVERFLOW ? overflow(jb, t, j) : CAUSA_OK;
        }
        if (jb->opt->data_type == CAUSA_DATA_CONTINUOUS)
            return causa_i_csv_error(
                &jb->r, CAUSA_EPARSE, t->pos,
                "expected a number in column '%s' (data type continuous), found '%s'",
                jb->ds->names[j], causa_i_csv_token_text(t, text));
        int rc = make_discrete(jb, j);
        if (rc) return rc;
        jb->conv_rec[j] = rec;
        jb->conv_row[j] = row;
        if (rec > jb->last_conv_rec) jb->last_conv_rec = rec;
    }
    return intern(jb, t, j, rec, dst);
}

/* A record has fields beyond the p-th: count them all for the message. cur is at the
 * start of the first extra field, which the message points at. */
static int too_many_fields(csv_job *jb, const char *cur) {
    const char *first = cur;
    int64_t found = jb->p;
    csv_token t;
    int more;
    do {
        int rc = causa_i_csv_scan_field(&jb->r, &cur, &t);
        if (rc) return rc;
        found++;
        more = causa_i_csv_next_field(&jb->r, &cur);
    } while (more);
    while (first < jb->r.end && csv_is_blank(&jb->r, *first)) first++;
    return causa_i_csv_error(&jb->r, CAUSA_EPARSE, first, "expected %lld fields, found %lld",
                             (long long)jb->p, (long long)found);
}

/* ---- header ---- */

static int read_header(csv_job *jb) {
    csv_reader *r = &jb->r;
    const char *cur = causa_i_csv_skip_blank_lines(r, r->base);
    if (cur >= r->end)
        return causa_i_csv_error(r, CAUSA_EPARSE, r->end, "the file is empty; expected %s",
                                 jb->opt->header ? "a header line" : "data rows");
    const char *first = cur;
    csv_token t;
    int64_t p = 0;
    int more, rc;
    do {
        if ((rc = causa_i_csv_scan_field(r, &cur, &t))) return rc;
        p++;
        more = causa_i_csv_next_field(r, &cur);
    } while (more);
    jb->p = p;
    jb->data_start = jb->opt->header ? cur : first;
    return CAUSA_OK;
}

static int read_names(csv_job *jb) {
    csv_reader *r = &jb->r;
    causa_dataset *ds = jb->ds;
    if (!jb->opt->header) return causa_i_dataset_default_names(r->ctx, ds);
    csv_levels seen;
    causa_i_csv_levels_init(&seen, r->ctx);
    const char *cur = causa_i_csv_skip_blank_lines(r, r->base);
    int rc = CAUSA_OK;
    char text[48];
    for (int64_t j = 0; j < jb->p; j++) {
        csv_token t;
        CAUSA_TRY(causa_i_csv_scan_field(r, &cur, &t));
        causa_i_csv_next_field(r, &cur);
        if (t.len == 0) {
            rc = causa_i_csv_error(r, CAUSA_EPARSE, t.pos,
                                   "empty name for column %lld in the header line",
                                   (long long)(j + 1));
            goto done;
        }
        int64_t bad = causa_i_utf8_invalid_at(t.s, t.len);
        if (bad >= 0) {
            rc = causa_i_csv_error(r, CAUSA_EPARSE, t.s == r->scratch.data ? t.pos : t.s + bad,
                                   "invalid UTF-8 in the name of column %lld", (long long)(j + 1));
            goto done;
        }
        int64_t code;
        int added;
        CAUSA_TRY(causa_i_csv_levels_intern(&seen, t.s, t.len, j, &code, &added));
        if (!added) {
            rc = causa_i_csv_error(
                r, CAUSA_EPARSE, t.pos, "duplicate column name '%s' (columns %lld and %lld)",
                causa_i_csv_token_text(&t, text), (long long)(code + 1), (long long)(j + 1));
            goto done;
        }
        ds->names[j] = causa_i_strndup(r->ctx, t.s, t.len);
        if (!ds->names[j]) {
            rc = causa_i_nomem(r->ctx, "a column name", t.len + 1);
            goto done;
        }
    }
done:
    causa_i_csv_levels_free(&seen);
    return rc;
}

/* ---- pass 2 ---- */

#define PROGRESS_STEP ((size_t)4 << 20)

static int parse_records(csv_job *jb) {
    csv_reader *r = &jb->r;
    const char *cur = jb->data_start, *const end = r->end;
    const int64_t p = jb->p, n0 = jb->n0;
    const char d = r->delim;
    const int ws = r->ws;
    double *const data = jb->ds->data;
    const double total = (double)(end - r->base);
    size_t next_report = (size_t)(cur - r->base) + PROGRESS_STEP;
    int64_t rec = 0, row = 0;
    int rc;
    for (;;) {
        if (cur < end && (*cur == '\n' || csv_is_blank(r, *cur)))
            cur = causa_i_csv_skip_blank_lines(r, cur);
        if (cur >= end) break;
        if (rec >= n0)
            return causa_i_error(r->ctx, CAUSA_EINTERNAL, "%s: more records than counted", r->name);
        if ((size_t)(cur - r->base) >= next_report) {
            causa_i_progress(r->ctx, "CSV bytes", (double)(cur - r->base), total);
            if ((rc = causa_i_check_interrupt(r->ctx))) return rc;
            next_report += PROGRESS_STEP;
        }
        int row_missing = 0;
        for (int64_t j = 0; j < p; j++) {
            double *dst = data + j * n0 + row;
            if (jb->kind[j] == KIND_NUMERIC && jb->fast) {
                /* Fast path: a bare number followed by its terminator. */
                const char *q = cur, *stop;
                while (q < end && csv_is_blank(r, *q)) q++;
                double v;
                int st = causa_i_parse_double(q, end, &v, &stop);
                if (st != CAUSA_I_NUM_NONE) {
                    const char *t = stop;
                    int ok;
                    if (!ws) {
                        while (t < end && csv_is_blank(r, *t)) t++;
                        ok = t == end || *t == d || *t == '\n';
                    } else {
                        ok = t == end || *t == '\n' || csv_is_blank(r, *t);
                    }
                    if (ok && CAUSA_UNLIKELY(jb->marker_is_number) &&
                        (size_t)(stop - q) == jb->marker_len &&
                        memcmp(q, jb->marker, jb->marker_len) == 0)
                        ok = 0;
                    if (CAUSA_LIKELY(ok)) {
                        if (CAUSA_UNLIKELY(st == CAUSA_I_NUM_OVERFLOW)) {
                            csv_token tok = {q, (size_t)(stop - q), q, 0};
                            if ((rc = overflow(jb, &tok, j))) return rc;
                        }
                        *dst = v;
                        cur = t;
                        goto separator;
                    }
                }
            }
            {
                csv_token tok;
                if ((rc = causa_i_csv_scan_field(r, &cur, &tok))) return rc;
                if ((rc = take_token(jb, &tok, j, rec, row, dst, &row_missing))) return rc;
            }
        separator:;
            const char *field_end = cur;
            int more = causa_i_csv_next_field(r, &cur);
            if (j + 1 < p && !more)
                return causa_i_csv_error(r, CAUSA_EPARSE, field_end,
                                         "expected %lld fields, found %lld", (long long)p,
                                         (long long)(j + 1));
            if (j + 1 == p && more) return too_many_fields(jb, cur);
        }
        if (row_missing)
            jb->ds->dropped++;
        else
            row++;
        rec++;
    }
    causa_i_progress(r->ctx, "CSV bytes", total, total);
    jb->nrows = row;
    return CAUSA_OK;
}

/* Columns that turned discrete part-way: intern the tokens of the records before the
 * change, and write their codes over the numbers stored for those rows. */
static int rescan(csv_job *jb) {
    csv_reader *r = &jb->r;
    const char *cur = jb->data_start;
    const int64_t n0 = jb->n0;
    int64_t row = 0;
    int rc;
    for (int64_t rec = 0; rec < jb->last_conv_rec; rec++) {
        cur = causa_i_csv_skip_blank_lines(r, cur);
        int row_missing = 0;
        for (int64_t j = 0; j < jb->p; j++) {
            csv_token t;
            if ((rc = causa_i_csv_scan_field(r, &cur, &t))) return rc;
            causa_i_csv_next_field(r, &cur);
            if (is_missing(jb, &t)) {
                row_missing = 1;
                continue;
            }
            if (jb->conv_rec[j] <= rec) continue; /* numeric-only or already codes */
            double code, *dst = jb->ds->data + j * n0 + row;
            if ((rc = intern(jb, &t, j, rec, &code))) return rc;
            /* A dropped record's row index is reused by the next kept record, which may
             * already hold a code from pass 2: only rows before the change are written. */
            if (row < jb->conv_row[j]) *dst = code;
        }
        row += !row_missing;
    }
    return CAUSA_OK;
}

static int finish(csv_job *jb) {
    causa_dataset *ds = jb->ds;
    causa_ctx *ctx = jb->r.ctx;
    int rc;
    /* The first overflow (in file order) of a column that stayed numeric. */
    int64_t first = -1;
    for (int64_t j = 0; j < jb->p; j++)
        if (jb->kind[j] == KIND_NUMERIC && jb->ovf_pos[j] &&
            (first < 0 || jb->ovf_pos[j] < jb->ovf_pos[first]))
            first = j;
    if (first >= 0) {
        const char *pos = jb->ovf_pos[first];
        /* The token's text starts after its quote, if it had one. */
        const char *text = jb->r.quote && *pos == jb->r.quote ? pos + 1 : pos;
        csv_token t = {text, jb->ovf_len[first], pos, 0};
        return overflow_error(jb, &t, first);
    }
    if (jb->nrows == 0)
        return causa_i_error(
            ctx, CAUSA_EDATA,
            "%s: all %lld data rows have missing values; no data is left after dropping them",
            jb->r.name, (long long)ds->dropped);
    if ((rc = causa_i_dataset_shrink_rows(ds, jb->nrows))) return rc;
    for (int64_t j = 0; j < jb->p; j++) {
        if (jb->kind[j] == KIND_DISCRETE)
            rc = causa_i_csv_levels_finish(jb->lev[j], ds, j);
        else if (jb->opt->data_type == CAUSA_DATA_MIXED && jb->opt->max_levels > 0)
            rc = causa_i_csv_integer_levels(ctx, ds, j, jb->opt->max_levels);
        if (rc) return rc;
    }
    return CAUSA_OK;
}

/* ---- entry points ---- */

static int read_text(causa_ctx *ctx, const char *name, const char *text, size_t len,
                     const causa_csv_options *opt, causa_dataset **out) {
    causa_csv_options defaults;
    if (!opt) {
        causa_csv_options_init(&defaults);
        opt = &defaults;
    }
    int rc = check_options(ctx, opt);
    if (rc) return rc;
    csv_job jb;
    memset(&jb, 0, sizeof jb);
    jb.opt = opt;
    jb.last_conv_rec = -1;
    csv_reader *r = &jb.r;
    r->ctx = ctx;
    r->name = name;
    r->base = text;
    r->end = text + len;
    r->quote = opt->quote;
    causa_i_buf_init(&r->scratch, ctx);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) r->base += 3; /* UTF-8 BOM */
    const char *nul = memchr(r->base, '\0', (size_t)(r->end - r->base));
    if (nul) {
        rc = causa_i_csv_error(r, CAUSA_EPARSE, nul,
                               "NUL byte in the input (is this a binary file?)");
        goto done;
    }
    r->delim = opt->delimiter ? opt->delimiter : causa_i_csv_detect_delimiter(r);
    r->ws = r->delim == ' ';
    /* The fast path reads a number up to the first character that cannot continue it; a
     * delimiter or quote that could continue one (a digit, '.', '+', '-', 'e') must be seen
     * by the field scanner first. */
    jb.fast =
        !strchr("0123456789+-.eE", r->delim) && !(r->quote && strchr("0123456789+-.eE", r->quote));
    if (opt->missing_marker && *opt->missing_marker) {
        const char *stop;
        double v;
        jb.marker = opt->missing_marker;
        jb.marker_len = strlen(opt->missing_marker);
        jb.marker_is_number = causa_i_parse_double(jb.marker, jb.marker + jb.marker_len, &v,
                                                   &stop) != CAUSA_I_NUM_NONE;
    }
    CAUSA_TRY(read_header(&jb));
    CAUSA_TRY(causa_i_csv_count_records(r, jb.data_start, &jb.n0));
    if (jb.n0 == 0) {
        rc = causa_i_csv_error(r, CAUSA_EPARSE, r->end,
                               "expected data rows after the header line, found none");
        goto done;
    }
    CAUSA_TRY(causa_i_dataset_alloc(ctx, jb.n0, jb.p, 0, &jb.ds));
    CAUSA_TRY(read_names(&jb));
    size_t p = (size_t)jb.p;
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&jb.kind, p, "column kinds"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&jb.lev, p * sizeof *jb.lev, "level tables"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&jb.conv_rec, p * sizeof *jb.conv_rec, "column changes"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&jb.conv_row, p * sizeof *jb.conv_row, "column changes"));
    CAUSA_TRY(
        causa_i_alloc0(ctx, (void **)&jb.ovf_pos, p * sizeof *jb.ovf_pos, "column overflows"));
    CAUSA_TRY(
        causa_i_alloc0(ctx, (void **)&jb.ovf_len, p * sizeof *jb.ovf_len, "column overflows"));
    for (size_t j = 0; j < p; j++) jb.conv_rec[j] = jb.conv_row[j] = -1;
    if (opt->data_type == CAUSA_DATA_DISCRETE)
        for (size_t j = 0; j < p; j++) CAUSA_TRY(make_discrete(&jb, (int64_t)j));
    CAUSA_TRY(parse_records(&jb));
    if (jb.last_conv_rec > 0) CAUSA_TRY(rescan(&jb));
    CAUSA_TRY(finish(&jb));
    *out = jb.ds;
    jb.ds = NULL;
done:
    if (jb.lev)
        for (int64_t j = 0; j < jb.p; j++)
            if (jb.lev[j]) {
                causa_i_csv_levels_free(jb.lev[j]);
                causa_i_free(ctx, jb.lev[j]);
            }
    causa_i_free(ctx, jb.lev);
    causa_i_free(ctx, jb.kind);
    causa_i_free(ctx, jb.conv_rec);
    causa_i_free(ctx, jb.conv_row);
    causa_i_free(ctx, jb.ovf_pos);
    causa_i_free(ctx, jb.ovf_len);
    causa_i_buf_free(&r->scratch);
    causa_dataset_free(jb.ds);
    return rc;
}

int causa_csv_read_buffer(causa_ctx *ctx, const char *name, const char *data, size_t len,
                          const causa_csv_options *opt, causa_dataset **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_csv_read_buffer: out is NULL");
    *out = NULL;
    if (!data && len > 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "causa_csv_read_buffer: data is NULL");
    return read_text(ctx, name && *name ? name : "<buffer>", data ? data : "", len, opt, out);
}

int causa_csv_read(causa_ctx *ctx, const char *path, const causa_csv_options *opt,
                   causa_dataset **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_csv_read: out is NULL");
    *out = NULL;
    if (!path || !*path) return causa_i_error(ctx, CAUSA_EINVAL, "the input path is empty");
    csv_source src;
    int rc = causa_i_csv_source_open(ctx, path, &src);
    if (rc) return rc;
    rc = read_text(ctx, strcmp(path, "-") == 0 ? "<stdin>" : path, src.data, src.len, opt, out);
    causa_i_csv_source_close(&src);
    return rc;
}
