/*
 * csv_i.h: what the CSV reader's files share: the reader state, the field scanner
 * (csv_scan.c), the table of level names (csv_levels.c) and the input source
 * (csv_source.c). Private to src/data.
 */
#ifndef CAUSA_CSV_I_H
#define CAUSA_CSV_I_H

#include "dataset_i.h"

/* ---- reader state ---- */
typedef struct csv_reader {
    causa_ctx *ctx;
    const char *name;       /* file name for messages */
    const char *base, *end; /* the text, after any UTF-8 byte-order mark */
    char delim;             /* the delimiter; ' ' means runs of spaces and tabs */
    char quote;             /* the quote character; 0: no quoting */
    int ws;                 /* delim == ' ' */
    causa_i_buf scratch;    /* quoted fields with doubled quotes are unescaped here */
} csv_reader;

/* One field. s/len is its text (quotes removed), pos where it starts in the input. */
typedef struct csv_token {
    const char *s;
    size_t len;
    const char *pos;
    int quoted;
} csv_token;

/* Blanks are trimmed around fields and make up blank lines: spaces, carriage returns
 * (so CRLF line ends need no special case) and tabs unless tab is the delimiter. */
static inline int csv_is_blank(const csv_reader *r, char c) {
    return c == ' ' || c == '\r' || (c == '\t' && r->delim != '\t');
}

/* Records an error "name:line:column: message" (column in bytes, 1-based) for the input
 * position pos, and returns code. */
int causa_i_csv_error(const csv_reader *r, int code, const char *pos, const char *fmt, ...)
    CAUSA_PRINTF(4, 5);
/* Copies a token for a message: at most 40 bytes, cut at a character boundary and at the
 * first line break, with "..." when cut. out must hold 48 bytes. */
const char *causa_i_csv_token_text(const csv_token *t, char *out);

/* Start of the first line at or after p that is not blank (end when none). p must be at
 * the start of a line. */
const char *causa_i_csv_skip_blank_lines(const csv_reader *r, const char *p);
/* Scans the field starting at *cur into tok and leaves *cur after it: at a delimiter, a
 * line feed or the end (after trailing blanks), or in whitespace mode at the blank, line
 * feed or end that follows. Errors: an unterminated quote, text after a closing quote. */
int causa_i_csv_scan_field(csv_reader *r, const char **cur, csv_token *tok);
/* After a field: consumes the separator and returns 1 when another field of the same
 * record follows, or consumes the line feed (if any) and returns 0 at the record's end. */
int causa_i_csv_next_field(const csv_reader *r, const char **cur);
/* Counts the non-blank records from p (a line start) to the end, quotes respected. */
int causa_i_csv_count_records(const csv_reader *r, const char *p, int64_t *count);
/* Picks the delimiter from the first records (see docs/FORMATS.md, "CSV input"). */
char causa_i_csv_detect_delimiter(const csv_reader *r);

/* ---- level names of a discrete column (csv_levels.c) ----
 * An open-addressing hash table from token text to code. Codes are handed out in the order
 * tokens are first interned; each level remembers the earliest record it was seen in, and
 * causa_i_csv_levels_finish puts the final order right (numeric or first appearance). */
typedef struct csv_level {
    uint64_t hash;
    size_t off, len; /* text in the pool */
    int64_t first;   /* earliest record seen in */
} csv_level;

typedef struct csv_levels {
    causa_ctx *ctx;
    uint32_t *slot; /* cap slots: 0 empty, else level index + 1 */
    size_t cap;
    csv_level *lv;
    size_t n, lv_cap;
    causa_i_buf pool; /* the texts, each followed by a NUL */
} csv_levels;

void causa_i_csv_levels_init(csv_levels *t, causa_ctx *ctx);
void causa_i_csv_levels_free(csv_levels *t);
/* Code of the text s/len, adding it if new (*added = 1). `first` is the record index. */
int causa_i_csv_levels_intern(csv_levels *t, const char *s, size_t len, int64_t first,
                              int64_t *code, int *added);
/* Text of level k (NUL-terminated, in the pool). */
static inline const char *csv_levels_text(const csv_levels *t, size_t k) {
    return t->pool.data + t->lv[k].off;
}
/* Column j of ds holds codes of t in its first ds->n rows: drops the levels no row uses,
 * orders the rest (numerically when every level is a number, else by first appearance),
 * renumbers the column and hands the level names to ds. */
int causa_i_csv_levels_finish(csv_levels *t, causa_dataset *ds, int64_t j);
/* Makes numeric column j discrete when all its values are integers with at most
 * max_levels distinct values (levels in numeric order, named by the integers). */
int causa_i_csv_integer_levels(causa_ctx *ctx, causa_dataset *ds, int64_t j, int64_t max_levels);

/* ---- input source (csv_source.c) ----
 * The whole input in memory: a regular file is mapped (its pages are the page cache's, not
 * the heap's), anything else (a pipe, standard input) is read into a buffer. */
typedef struct csv_source {
    causa_ctx *ctx;
    const char *data;
    size_t len;
    void *map; /* the mapping, or NULL */
    char *buf; /* the buffer read, or NULL */
} csv_source;

int causa_i_csv_source_open(causa_ctx *ctx, const char *path, csv_source *src);
void causa_i_csv_source_close(csv_source *src);

#endif
