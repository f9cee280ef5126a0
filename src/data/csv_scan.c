/*
 * csv_scan.c: the CSV tokenizer: fields with RFC 4180 quoting, record boundaries, blank
 * lines, record counting for the first pass, delimiter detection, and error positions.
 *
 * Records are non-blank lines; a quoted field may span lines. A quote opens a quoted field
 * only as the first non-blank character of a field; elsewhere it is an ordinary character.
 * The record counter and the field scanner follow the same rules, so the first pass counts
 * exactly the records that the second pass parses.
 */
#include <stdio.h>
#include <string.h>

#include "csv_i.h"

/* ---- messages ---- */

int causa_i_csv_error(const csv_reader *r, int code, const char *pos, const char *fmt, ...) {
    if (pos < r->base) pos = r->base;
    if (pos > r->end) pos = r->end;
    long long line = 1;
    const char *line_start = r->base;
    for (const char *p = r->base; p < pos;) {
        const char *nl = memchr(p, '\n', (size_t)(pos - p));
        if (!nl) break;
        line++;
        line_start = p = nl + 1;
    }
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return causa_i_error(r->ctx, code, "%s:%lld:%lld: %s", r->name, line,
                         (long long)(pos - line_start) + 1, msg);
}

const char *causa_i_csv_token_text(const csv_token *t, char *out) {
    size_t n = t->len, cut = 0;
    const char *nl = memchr(t->s, '\n', n);
    if (nl) {
        n = (size_t)(nl - t->s);
        cut = 1;
    }
    if (n > 40) {
        n = 40;
        /* back off to the start of a UTF-8 character */
        while (n > 0 && ((unsigned char)t->s[n] & 0xC0) == 0x80) n--;
        cut = 1;
    }
    memcpy(out, t->s, n);
    if (cut)
        memcpy(out + n, "...", 4);
    else
        out[n] = '\0';
    return out;
}

/* ---- lines and fields ---- */

const char *causa_i_csv_skip_blank_lines(const csv_reader *r, const char *p) {
    const char *end = r->end;
    while (p < end) {
        const char *q = p;
        while (q < end && csv_is_blank(r, *q)) q++;
        if (q < end && *q != '\n') return p;
        if (q == end) return end;
        p = q + 1;
    }
    return end;
}

/* A quoted field: p at the opening quote. */
static int scan_quoted(csv_reader *r, const char **cur, csv_token *tok) {
    const char *open = *cur, *p = open + 1, *end = r->end, *s = p;
    const char q = r->quote;
    int escaped = 0;
    const char *close;
    for (;;) {
        close = memchr(p, q, (size_t)(end - p));
        if (!close)
            return causa_i_csv_error(
                r, CAUSA_EPARSE, open,
                "unterminated quoted field: no closing %c before the end of the input", q);
        if (close + 1 < end && close[1] == q) { /* a doubled quote stands for one */
            escaped = 1;
            p = close + 2;
            continue;
        }
        break;
    }
    tok->pos = open;
    tok->quoted = 1;
    if (!escaped) {
        tok->s = s;
        tok->len = (size_t)(close - s);
    } else {
        r->scratch.len = 0;
        int rc = causa_i_buf_reserve(&r->scratch, (size_t)(close - s));
        if (rc) return rc;
        char *o = r->scratch.data;
        for (const char *c = s; c < close; c++) {
            *o++ = *c;
            if (*c == q) c++; /* skip the second of the pair */
        }
        tok->s = r->scratch.data;
        tok->len = (size_t)(o - r->scratch.data);
    }
    p = close + 1;
    if (r->ws) {
        if (p < end && *p != '\n' && !csv_is_blank(r, *p))
            return causa_i_csv_error(
                r, CAUSA_EPARSE, p,
                "expected a blank or the end of the line after the closing quote, found '%c'", *p);
    } else {
        while (p < end && csv_is_blank(r, *p)) p++;
        if (p < end && *p != '\n' && *p != r->delim)
            return causa_i_csv_error(
                r, CAUSA_EPARSE, p,
                "expected '%s' or the end of the line after the closing quote, found '%c'",
                r->delim == '\t' ? "\\t" : (char[2]){r->delim, 0}, *p);
    }
    *cur = p;
    return CAUSA_OK;
}

int causa_i_csv_scan_field(csv_reader *r, const char **cur, csv_token *tok) {
    const char *p = *cur, *end = r->end;
    while (p < end && csv_is_blank(r, *p)) p++;
    if (r->quote && p < end && *p == r->quote) {
        *cur = p;
        return scan_quoted(r, cur, tok);
    }
    tok->pos = p;
    tok->quoted = 0;
    const char *s = p;
    if (r->ws) {
        while (p < end && *p != '\n' && !csv_is_blank(r, *p)) p++;
        tok->s = s;
        tok->len = (size_t)(p - s);
        *cur = p;
        return CAUSA_OK;
    }
    const char d = r->delim;
    while (p < end && *p != d && *p != '\n') p++;
    const char *e = p;
    while (e > s && csv_is_blank(r, e[-1])) e--;
    tok->s = s;
    tok->len = (size_t)(e - s);
    *cur = p;
    return CAUSA_OK;
}

int causa_i_csv_next_field(const csv_reader *r, const char **cur) {
    const char *p = *cur, *end = r->end;
    if (!r->ws) {
        if (p < end && *p == r->delim) {
            *cur = p + 1;
            return 1;
        }
    } else {
        while (p < end && csv_is_blank(r, *p)) p++;
        if (p < end && *p != '\n') {
            *cur = p;
            return 1;
        }
    }
    *cur = p < end ? p + 1 : end; /* past the line feed */
    return 0;
}

/* ---- record counting ---- */

/* No quote character in the text: records are the non-blank lines. */
static int64_t count_plain(const csv_reader *r, const char *p) {
    const char *end = r->end;
    int64_t n = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *q = p;
        while (q < le && csv_is_blank(r, *q)) q++;
        n += q < le;
        p = nl ? nl + 1 : end;
    }
    return n;
}

int causa_i_csv_count_records(const csv_reader *r, const char *p, int64_t *count) {
    const char *end = r->end;
    *count = 0;
    if (!r->quote || !memchr(p, r->quote, (size_t)(end - p))) {
        *count = count_plain(r, p);
        return CAUSA_OK;
    }
    /* The same rules as causa_i_csv_scan_field, byte by byte: a quote opens a quoted field only at
     * a field's start (line start, after a delimiter, after blanks in whitespace mode). */
    const char q = r->quote, d = r->delim;
    const int ws = r->ws;
    int64_t n = 0;
    int nonblank = 0, field_start = 1;
    while (p < end) {
        char c = *p;
        if (c == q && field_start) {
            const char *open = p++;
            for (;;) {
                const char *close = memchr(p, q, (size_t)(end - p));
                if (!close)
                    return causa_i_csv_error(
                        r, CAUSA_EPARSE, open,
                        "unterminated quoted field: no closing %c before the end of the input", q);
                p = close + 1;
                if (p < end && *p == q) {
                    p++;
                    continue;
                }
                break;
            }
            nonblank = 1;
            field_start = 0;
            continue;
        }
        if (c == '\n') {
            n += nonblank;
            nonblank = 0;
            field_start = 1;
        } else if (csv_is_blank(r, c)) {
            if (ws) field_start = 1;
        } else if (!ws && c == d) {
            nonblank = 1;
            field_start = 1;
        } else {
            nonblank = 1;
            field_start = 0;
        }
        p++;
    }
    *count = n + nonblank;
    return CAUSA_OK;
}

/* ---- delimiter detection ---- */

#define SAMPLE_RECORDS 20

char causa_i_csv_detect_delimiter(const csv_reader *r) {
    static const char cand[3] = {',', '\t', ';'};
    int64_t counts[SAMPLE_RECORDS][4]; /* comma, tab, semicolon, blank-separated tokens */
    int nrec = 0;
    const char *p = r->base, *end = r->end;
    /* At most 20 records of at most 1 MiB altogether: enough to see a pattern. */
    const char *limit = end - p > (1 << 20) ? p + (1 << 20) : end;
    while (nrec < SAMPLE_RECORDS) {
        /* Blank lines are skipped as the parser does (a tab counts as blank here, since
         * the delimiter is not known yet). */
        while (p < limit) {
            const char *q = p;
            while (q < limit && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
            if (q < limit && *q != '\n') break;
            p = q < limit ? q + 1 : limit;
        }
        if (p >= limit) break;
        int64_t *c = counts[nrec];
        c[0] = c[1] = c[2] = c[3] = 0;
        int inq = 0, in_token = 0;
        for (; p < limit; p++) {
            char ch = *p;
            if (r->quote && ch == r->quote) inq = !inq;
            if (inq) continue;
            if (ch == '\n') {
                p++;
                break;
            }
            for (int k = 0; k < 3; k++) c[k] += ch == cand[k];
            int blank = ch == ' ' || ch == '\t' || ch == '\r';
            if (!blank && !in_token) c[3]++;
            in_token = !blank;
        }
        nrec++;
    }
    if (nrec == 0) return ',';
    /* A candidate is consistent when it appears in the first record, and as often in every
     * other sampled record; the most frequent consistent one wins, ties in the order comma,
     * tab, semicolon, then whitespace (which needs at least two tokens). */
    int consistent[4], best = -1;
    for (int k = 0; k < 4; k++) {
        consistent[k] = counts[0][k] > (k == 3);
        for (int i = 1; i < nrec; i++) consistent[k] &= counts[i][k] == counts[0][k];
    }
    for (int k = 0; k < 3; k++)
        if (consistent[k] && (best < 0 || counts[0][k] > counts[0][best])) best = k;
    if (best >= 0) return cand[best];
    if (consistent[3]) return ' ';
    /* Nothing consistent: the most frequent candidate of the first record (the parser will
     * then name the ragged record), else whitespace if it splits the first record. */
    for (int k = 0; k < 3; k++)
        if (counts[0][k] > 0 && (best < 0 || counts[0][k] > counts[0][best])) best = k;
    if (best >= 0) return cand[best];
    return counts[0][3] > 1 ? ' ' : ',';
}
