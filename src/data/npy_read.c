/*
 * npy_read.c: reads NumPy .npy files (format versions 1.0, 2.0 and 3.0) holding a 1-D or
 * 2-D array of numbers, into a continuous data set named X1..Xp.
 *
 * The format (numpy.lib.format): the magic "\x93NUMPY", major and minor version bytes, the
 * header length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), then the header:
 * a Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }, padded
 * with spaces and ended by a line feed, then the raw array. Accepted element types: f8 and
 * f4 (floats), i1..i8, u1..u8 (integers) and b1 (bool), little or big endian; all become
 * doubles (integers beyond 2^53 round). A Fortran-order f8 file in this machine's byte
 * order is read straight into the data set with read() (one copy, no mapping); anything
 * else is mapped and converted, a C-order file transposed in cache-sized blocks.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_i.h"

typedef struct npy_header {
    char kind;   /* 'f', 'i', 'u' or 'b' */
    int size;    /* bytes per element */
    int swap;    /* the file's byte order differs from this machine's */
    int fortran; /* column-major */
    int ndim;
    int64_t shape[2];
    int seen; /* bit mask of the keys read: 1 descr, 2 fortran_order, 4 shape */
} npy_header;

typedef struct npy_text {
    const char *name;
    const char *p, *end;
    causa_ctx *ctx;
} npy_text;

static int bad(npy_text *t, const char *what) {
    return causa_i_error(t->ctx, CAUSA_EPARSE, "%s: malformed .npy header: %s", t->name, what);
}

static void skip_space(npy_text *t) {
    while (t->p < t->end && (*t->p == ' ' || *t->p == '\t' || *t->p == '\n' || *t->p == '\r'))
        t->p++;
}

static int expect(npy_text *t, char c, const char *what) {
    skip_space(t);
    if (t->p >= t->end || *t->p != c) return bad(t, what);
    t->p++;
    return CAUSA_OK;
}

/* A Python string literal in single or double quotes, without escapes (numpy writes none). */
static int read_string(npy_text *t, const char **s, size_t *len) {
    skip_space(t);
    if (t->p >= t->end || (*t->p != '\'' && *t->p != '"'))
        return bad(t, "expected a quoted string");
    char q = *t->p++;
    const char *e = memchr(t->p, q, (size_t)(t->end - t->p));
    if (!e) return bad(t, "unterminated string");
    *s = t->p;
    *len = (size_t)(e - t->p);
    t->p = e + 1;
    return CAUSA_OK;
}

static int read_int(npy_text *t, int64_t *v) {
    skip_space(t);
    if (t->p >= t->end || *t->p < '0' || *t->p > '9')
        return bad(t, "expected a non-negative integer in 'shape'");
    int64_t x = 0;
    while (t->p < t->end && *t->p >= '0' && *t->p <= '9') {
        if (x > (INT64_MAX - 9) / 10) return bad(t, "a dimension in 'shape' is too large");
        x = x * 10 + (*t->p++ - '0');
    }
    if (t->p < t->end && *t->p == 'L') t->p++; /* Python 2 wrote long integers as 5L */
    *v = x;
    return CAUSA_OK;
}

static int parse_descr(npy_text *t, npy_header *h, const char *s, size_t len) {
    static const uint16_t one = 1;
    const int little = *(const unsigned char *)&one == 1;
    if (len < 3) return bad(t, "'descr' is not a simple type such as '<f8'");
    char order = s[0], kind = s[1];
    int size = 0;
    for (size_t i = 2; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || size > 100)
            return bad(t, "'descr' is not a simple type such as '<f8'");
        size = size * 10 + (s[i] - '0');
    }
    int ok = (kind == 'f' && (size == 4 || size == 8)) ||
             ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) ||
             (kind == 'b' && size == 1);
    if (!ok || !strchr("<>|=", order) || order == '\0')
        return causa_i_error(
            t->ctx, CAUSA_EPARSE,
            "%s: unsupported .npy element type '%.*s' (expected float64 '<f8' or '>f8', "
            "or another float, integer or bool type)",
            t->name, (int)(len < 20 ? len : 20), s);
    if (order == '|' && size != 1) return bad(t, "byte order '|' for a multi-byte type");
    h->kind = kind;
    h->size = size;
    h->swap = size > 1 && ((order == '<' && !little) || (order == '>' && little));
    return CAUSA_OK;
}

static int parse_header(npy_text *t, npy_header *h) {
    int rc;
    memset(h, 0, sizeof *h);
    if ((rc = expect(t, '{', "expected '{'"))) return rc;
    for (;;) {
        skip_space(t);
        if (t->p < t->end && *t->p == '}') {
            t->p++;
            break;
        }
        const char *key;
        size_t klen;
        if ((rc = read_string(t, &key, &klen))) return rc;
        if ((rc = expect(t, ':', "expected ':' after a key"))) return rc;
        skip_space(t);
        if (klen == 5 && memcmp(key, "descr", 5) == 0) {
            const char *s;
            size_t len;
            if ((rc = read_string(t, &s, &len))) return rc;
            if ((rc = parse_descr(t, h, s, len))) return rc;
            h->seen |= 1;
        } else if (klen == 13 && memcmp(key, "fortran_order", 13) == 0) {
            if (t->end - t->p >= 4 && memcmp(t->p, "True", 4) == 0) {
                h->fortran = 1;
                t->p += 4;
            } else if (t->end - t->p >= 5 && memcmp(t->p, "False", 5) == 0) {
                h->fortran = 0;
                t->p += 5;
            } else
                return bad(t, "'fortran_order' must be True or False");
            h->seen |= 2;
        } else if (klen == 5 && memcmp(key, "shape", 5) == 0) {
            if ((rc = expect(t, '(', "'shape' must be a tuple"))) return rc;
            h->ndim = 0;
            for (;;) {
                skip_space(t);
                if (t->p < t->end && *t->p == ')') {
                    t->p++;
                    break;
                }
                if (h->ndim == 2)
                    return causa_i_error(
                        t->ctx, CAUSA_EPARSE,
                        "%s: the array has more than 2 dimensions; expected a matrix", t->name);
                if ((rc = read_int(t, &h->shape[h->ndim++]))) return rc;
                skip_space(t);
                if (t->p < t->end && *t->p == ',')
                    t->p++;
                else if (t->p >= t->end || *t->p != ')')
                    return bad(t, "expected ',' or ')' in 'shape'");
            }
            h->seen |= 4;
        } else {
            return causa_i_error(t->ctx, CAUSA_EPARSE,
                                 "%s: malformed .npy header: unexpected key '%.*s'", t->name,
                                 (int)(klen < 40 ? klen : 40), key);
        }
        skip_space(t);
        if (t->p < t->end && *t->p == ',')
            t->p++;
        else if (t->p >= t->end || *t->p != '}')
            return bad(t, "expected ',' or '}' after a value");
    }
    skip_space(t);
    if (t->p != t->end) return bad(t, "text after the closing '}'");
    if (h->seen != 7) return bad(t, "'descr', 'fortran_order' and 'shape' are all required");
    if (h->ndim == 0)
        return causa_i_error(t->ctx, CAUSA_EPARSE,
                             "%s: the array is a scalar (shape ()); expected a matrix", t->name);
    return CAUSA_OK;
}

/* Element e of the raw data as a double. */
static inline double load(const unsigned char *raw, const npy_header *h, size_t e) {
    unsigned char b[8];
    const unsigned char *s = raw + e * (size_t)h->size;
    if (h->swap)
        for (int k = 0; k < h->size; k++) b[k] = s[h->size - 1 - k];
    else
        memcpy(b, s, (size_t)h->size);
    switch (h->kind) {
    case 'f':
        if (h->size == 8) {
            double d;
            memcpy(&d, b, 8);
            return d;
        } else {
            float f;
            memcpy(&f, b, 4);
            return (double)f;
        }
    case 'i':
        switch (h->size) {
        case 1: return (double)(int8_t)b[0];
        case 2: {
            int16_t v;
            memcpy(&v, b, 2);
            return (double)v;
        }
        case 4: {
            int32_t v;
            memcpy(&v, b, 4);
            return (double)v;
        }
        default: {
            int64_t v;
            memcpy(&v, b, 8);
            return (double)v;
        }
        }
    case 'u':
        switch (h->size) {
        case 1: return (double)b[0];
        case 2: {
            uint16_t v;
            memcpy(&v, b, 2);
            return (double)v;
        }
        case 4: {
            uint32_t v;
            memcpy(&v, b, 4);
            return (double)v;
        }
        default: {
            uint64_t v;
            memcpy(&v, b, 8);
            return (double)v;
        }
        }
    default: return b[0] ? 1.0 : 0.0;
    }
}

/* The magic string, version and header of the first len bytes at u (all of the file, or at
 * least its header): fills h and *start_data, the offset of the array data. */
static int read_preamble(causa_ctx *ctx, const char *name, const unsigned char *u, size_t len,
                         npy_header *h, size_t *start_data) {
    if (len < 10 || memcmp(u, "\x93NUMPY", 6) != 0)
        return causa_i_error(ctx, CAUSA_EPARSE,
                             "%s: not a NumPy .npy file (no \\x93NUMPY magic string)", name);
    int major = u[6], minor = u[7];
    size_t hlen, start;
    if (major == 1) {
        hlen = (size_t)u[8] | (size_t)u[9] << 8;
        start = 10;
    } else if (major == 2 || major == 3) {
        if (len < 12)
            return causa_i_error(ctx, CAUSA_EPARSE, "%s: .npy file truncated in its header", name);
        hlen = (size_t)u[8] | (size_t)u[9] << 8 | (size_t)u[10] << 16 | (size_t)u[11] << 24;
        start = 12;
    } else {
        return causa_i_error(ctx, CAUSA_EPARSE,
                             "%s: unsupported .npy format version %d.%d (expected 1.0, 2.0 or 3.0)",
                             name, major, minor);
    }
    if (hlen > len - start)
        return causa_i_error(
            ctx, CAUSA_EPARSE,
            "%s: .npy file truncated in its header (%zu header bytes announced, %zu present)", name,
            hlen, len - start);
    npy_text t = {name, (const char *)u + start, (const char *)u + start + hlen, ctx};
    *start_data = start + hlen;
    return parse_header(&t, h);
}

/* Rows, columns and bytes of array data that the header announces; have = bytes present. */
static int check_size(causa_ctx *ctx, const char *name, const npy_header *h, size_t have,
                      int64_t *n, int64_t *p) {
    *n = h->shape[0];
    *p = h->ndim == 2 ? h->shape[1] : 1;
    /* An empty array is no data set; and with a row count of 0 nothing would bound the
     * column count by the file's size. */
    if (*n == 0 || *p == 0)
        return causa_i_error(ctx, CAUSA_EDATA,
                             "%s: the array is empty (shape (%lld, %lld)); a data set needs rows "
                             "and columns",
                             name, (long long)*n, (long long)*p);
    size_t cells =
        (*p > 0 && *n > INT64_MAX / *p) ? SIZE_MAX : causa_i_mul_size((size_t)*n, (size_t)*p);
    size_t need = causa_i_mul_size(cells, (size_t)h->size);
    if (need != have)
        return causa_i_error(
            ctx, CAUSA_EPARSE,
            "%s: expected %zu bytes of array data for shape (%lld, %lld), found %zu", name, need,
            (long long)*n, (long long)*p, have);
    return CAUSA_OK;
}

/* Index of the first value in x[from, to) that is NaN or infinite (exponent bits all
 * ones), or SIZE_MAX. Branch-free over blocks of 1024, so the common all-finite case runs
 * at memory speed. */
static size_t first_non_finite(const double *x, size_t from, size_t to) {
    const uint64_t exp_mask = 0x7FF0000000000000ull;
    for (size_t e = from; e < to; e += 1024) {
        size_t stop = to - e > 1024 ? e + 1024 : to;
        uint64_t bad = 0;
        for (size_t k = e; k < stop; k++) {
            uint64_t b;
            memcpy(&b, x + k, sizeof b);
            bad |= (~b & exp_mask) == 0;
        }
        if (bad)
            for (size_t k = e; k < stop; k++)
                if (!isfinite(x[k])) return k;
    }
    return SIZE_MAX;
}

/* Values in [from, to) must be finite (column-major indices). */
static int check_finite(causa_ctx *ctx, const char *name, const npy_header *h,
                        const causa_dataset *ds, size_t from, size_t to) {
    if (h->kind != 'f') return CAUSA_OK;
    size_t e = first_non_finite(ds->data, from, to);
    if (e == SIZE_MAX) return CAUSA_OK;
    return causa_i_error(ctx, CAUSA_EDATA, "%s: row %lld, column %lld is %s; data must be finite",
                         name, (long long)(e % (size_t)ds->n) + 1,
                         (long long)(e / (size_t)ds->n) + 1,
                         isnan(ds->data[e]) ? "NaN" : "infinite");
}

/* Values must be finite; then the data set gets its names X1..Xp. */
static int finish(causa_ctx *ctx, const char *name, const npy_header *h, causa_dataset *ds) {
    int rc = check_finite(ctx, name, h, ds, 0, (size_t)ds->n * (size_t)ds->p);
    return rc ? rc : causa_i_dataset_default_names(ctx, ds);
}

/* The file's order is the data set's column-major one, and its elements are doubles of
 * this machine's byte order: the data can be copied (or read) in one piece. */
static int is_direct(const npy_header *h) {
    return h->kind == 'f' && h->size == 8 && !h->swap &&
           (h->fortran || h->ndim == 1 || h->shape[0] == 1 || h->shape[1] == 1);
}

int causa_i_npy_read_buffer(causa_ctx *ctx, const char *name, const void *data, size_t len,
                            causa_dataset **out) {
    *out = NULL;
    const unsigned char *u = data;
    npy_header h;
    size_t start;
    int64_t n, p;
    int rc = read_preamble(ctx, name, u, len, &h, &start);
    if (rc) return rc;
    if ((rc = check_size(ctx, name, &h, len - start, &n, &p))) return rc;
    causa_dataset *ds = NULL;
    if ((rc = causa_i_dataset_alloc(ctx, n, p, 0, &ds))) return rc;
    const unsigned char *raw = u + start;
    double *x = ds->data;
    size_t cells = (size_t)n * (size_t)p;
    if (is_direct(&h)) {
        memcpy(x, raw, cells * 8);
    } else if (h.fortran || p == 1 || n == 1) { /* column-major already, other types */
        for (size_t e = 0; e < cells; e++) x[e] = load(raw, &h, e);
    } else {
        /* C order: transposed in 8-row blocks (one cache line of each output column). */
        for (int64_t i0 = 0; i0 < n; i0 += 8) {
            int64_t i1 = i0 + 8 < n ? i0 + 8 : n;
            for (int64_t j = 0; j < p; j++)
                for (int64_t i = i0; i < i1; i++) x[j * n + i] = load(raw, &h, (size_t)(i * p + j));
        }
    }
    if ((rc = finish(ctx, name, &h, ds))) {
        causa_dataset_free(ds);
        return rc;
    }
    *out = ds;
    return CAUSA_OK;
}

/* ---- from a file ---- */

static int read_at(causa_ctx *ctx, int fd, const char *path, void *buf, size_t len, off_t off) {
    char *b = buf;
    while (len > 0) {
        ssize_t r = pread(fd, b, len, off);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0)
            return causa_i_error(ctx, CAUSA_EIO, "cannot read '%s': %s", path, strerror(errno));
        if (r == 0) return causa_i_error(ctx, CAUSA_EIO, "cannot read '%s': the file shrank", path);
        b += r;
        len -= (size_t)r;
        off += r;
    }
    return CAUSA_OK;
}

/* A regular file holding doubles in column-major order: read() them straight into the data
 * set (one copy, as numpy.load does). *handled = 0 when the file needs the general path. */
static int read_direct(causa_ctx *ctx, const char *path, causa_dataset **out, int *handled) {
    *handled = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return CAUSA_OK; /* the general path reports it */
    int rc = CAUSA_OK;
    unsigned char *head = NULL;
    causa_dataset *ds = NULL;
    struct stat st;
    unsigned char pre[12];
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 12) goto done;
    if (read_at(ctx, fd, path, pre, sizeof pre, 0)) {
        causa_clear_error(ctx); /* the general path reports it */
        goto done;
    }
    size_t hlen = pre[6] == 1 ? ((size_t)pre[8] | (size_t)pre[9] << 8) + 10
                              : ((size_t)pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 |
                                 (size_t)pre[11] << 24) +
                                    12;
    if (memcmp(pre, "\x93NUMPY", 6) != 0 || hlen > (size_t)st.st_size || hlen > (1u << 20))
        goto done; /* the general path names what is wrong */
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&head, hlen, "the .npy header"));
    CAUSA_TRY(read_at(ctx, fd, path, head, hlen, 0));
    npy_header h;
    size_t start;
    if (read_preamble(ctx, path, head, hlen, &h, &start) || !is_direct(&h)) {
        causa_clear_error(ctx);
        goto done;
    }
    *handled = 1;
    int64_t n, p;
    CAUSA_TRY(check_size(ctx, path, &h, (size_t)st.st_size - start, &n, &p));
    CAUSA_TRY(causa_i_dataset_alloc(ctx, n, p, 0, &ds));
    /* In 1 MiB pieces, each checked for finite values while it is still in cache. */
    size_t cells = (size_t)n * (size_t)p, piece = ((size_t)1 << 20) / 8;
    for (size_t e = 0; e < cells; e += piece) {
        size_t m = cells - e < piece ? cells - e : piece;
        CAUSA_TRY(read_at(ctx, fd, path, ds->data + e, m * 8, (off_t)(start + e * 8)));
        CAUSA_TRY(check_finite(ctx, path, &h, ds, e, e + m));
    }
    CAUSA_TRY(causa_i_dataset_default_names(ctx, ds));
    *out = ds;
    ds = NULL;
done:
    causa_dataset_free(ds);
    causa_i_free(ctx, head);
    close(fd);
    return rc;
}

int causa_npy_read(causa_ctx *ctx, const char *path, causa_dataset **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_npy_read: out is NULL");
    *out = NULL;
    if (!path || !*path) return causa_i_error(ctx, CAUSA_EINVAL, "the input path is empty");
    int rc, handled = 0;
    if (strcmp(path, "-") != 0) {
        rc = read_direct(ctx, path, out, &handled);
        if (handled || rc) return rc;
    }
    csv_source src;
    rc = causa_i_csv_source_open(ctx, path, &src);
    if (rc) return rc;
    rc = causa_i_npy_read_buffer(ctx, strcmp(path, "-") == 0 ? "<stdin>" : path, src.data, src.len,
                                 out);
    causa_i_csv_source_close(&src);
    return rc;
}
