/*
 * io.c: reading and writing graphs: the format from the options, the file extension or
 * (when reading) the content; the matrix conventions; and the helpers that every reader
 * uses to build a graph with positioned errors.
 *
 * Readers parse the whole input before they return, so a failed read returns no graph.
 * Writers build the whole text in memory and hand it to causa_write_file, which writes a
 * temporary file and renames it: a result file is never half-written.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lex_i.h"

/* ---- names ---- */

static const char *const format_names[] = {"auto",   "dot", "json", "tetrad", "bnlearn", "dagitty",
                                           "matrix", "bif", "svg",  "png",    "pdf"};

const char *causa_graph_format_name(int format) {
    if (format < CAUSA_FORMAT_AUTO || format > CAUSA_FORMAT_PDF) return NULL;
    return format_names[format];
}

int causa_graph_format_from_name(const char *name) {
    if (!name) return -1;
    for (int f = 0; f <= CAUSA_FORMAT_PDF; f++)
        if (strcasecmp(name, format_names[f]) == 0) return f;
    /* Common aliases: the extensions. */
    static const struct {
        const char *alias;
        int format;
    } aliases[] = {{"gv", CAUSA_FORMAT_DOT},        {"graphviz", CAUSA_FORMAT_DOT},
                   {"txt", CAUSA_FORMAT_TETRAD},    {"bn", CAUSA_FORMAT_BNLEARN},
                   {"model", CAUSA_FORMAT_BNLEARN}, {"csv", CAUSA_FORMAT_MATRIX}};
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(name, aliases[i].alias) == 0) return aliases[i].format;
    return -1;
}

static const char *const convention_names[] = {"none",         "pcalg-cpdag", "pcalg-pag",
                                               "causal-learn", "lingam",      "from-to"};

int causa_matrix_convention_from_name(const char *name) {
    if (!name) return -1;
    for (int c = CAUSA_MATRIX_PCALG_CPDAG; c <= CAUSA_MATRIX_FROM_TO; c++)
        if (strcasecmp(name, convention_names[c]) == 0) return c;
    return -1;
}

const char *causa_matrix_convention_name(int convention) {
    if (convention < CAUSA_MATRIX_NONE || convention > CAUSA_MATRIX_FROM_TO) return NULL;
    return convention_names[convention];
}

void causa_graph_io_options_init(causa_graph_io_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->format = CAUSA_FORMAT_AUTO;
    opt->matrix = CAUSA_MATRIX_NONE;
    opt->edge_labels = 1;
}

int causa_graph_format_from_path(const char *path) {
    if (!path) return CAUSA_FORMAT_AUTO;
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot || dot[1] == '\0') return CAUSA_FORMAT_AUTO;
    static const struct {
        const char *ext;
        int format;
    } table[] = {{"dot", CAUSA_FORMAT_DOT},         {"gv", CAUSA_FORMAT_DOT},
                 {"json", CAUSA_FORMAT_JSON},       {"txt", CAUSA_FORMAT_TETRAD},
                 {"bn", CAUSA_FORMAT_BNLEARN},      {"model", CAUSA_FORMAT_BNLEARN},
                 {"bnlearn", CAUSA_FORMAT_BNLEARN}, {"dagitty", CAUSA_FORMAT_DAGITTY},
                 {"csv", CAUSA_FORMAT_MATRIX},      {"bif", CAUSA_FORMAT_BIF},
                 {"svg", CAUSA_FORMAT_SVG},         {"png", CAUSA_FORMAT_PNG},
                 {"pdf", CAUSA_FORMAT_PDF}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcasecmp(dot + 1, table[i].ext) == 0) return table[i].format;
    return CAUSA_FORMAT_AUTO;
}

/* ---- content sniffing ---- */

/* The first word of the text after blanks and comments (lower case), into w. */
static void first_word(const char *data, size_t len, char *w, size_t size, char *first) {
    size_t i = 0;
    *first = '\0';
    w[0] = '\0';
    for (;;) {
        while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                           data[i] == '\n' || data[i] == '\f'))
            i++;
        if (i + 1 < len && data[i] == '/' && data[i + 1] == '/') {
            while (i < len && data[i] != '\n') i++;
            continue;
        }
        if (i + 1 < len && data[i] == '/' && data[i + 1] == '*') {
            i += 2;
            while (i + 1 < len && !(data[i] == '*' && data[i + 1] == '/')) i++;
            i += 2;
            continue;
        }
        break;
    }
    if (i >= len) return;
    *first = data[i];
    size_t n = 0;
    while (i < len && n + 1 < size &&
           ((data[i] >= 'a' && data[i] <= 'z') || (data[i] >= 'A' && data[i] <= 'Z') ||
            data[i] == ' ' || data[i] == ':')) {
        char c = data[i++];
        w[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    w[n] = '\0';
}

static int starts_with_word(const char *w, const char *word) {
    size_t n = strlen(word);
    return strncmp(w, word, n) == 0 && (w[n] == '\0' || w[n] == ' ' || w[n] == '{');
}

/* The format a text looks like, or AUTO. */
static int sniff(const char *data, size_t len) {
    char w[64], first;
    first_word(data, len, w, sizeof w, &first);
    if (strlen(w) >= 12 && memcmp(w, "graph nodes:", 12) == 0) return CAUSA_FORMAT_TETRAD;
    if (starts_with_word(w, "strict") || starts_with_word(w, "digraph")) return CAUSA_FORMAT_DOT;
    if (starts_with_word(w, "graph")) return CAUSA_FORMAT_DOT;
    if (starts_with_word(w, "dag") || starts_with_word(w, "pdag") || starts_with_word(w, "mag") ||
        starts_with_word(w, "pag"))
        return CAUSA_FORMAT_DAGITTY;
    if (starts_with_word(w, "network") || starts_with_word(w, "variable")) return CAUSA_FORMAT_BIF;
    if (first == '{') return CAUSA_FORMAT_JSON;
    if (first == '[') return CAUSA_FORMAT_BNLEARN;
    return CAUSA_FORMAT_AUTO;
}

/* ---- reading ---- */

int causa_i_gio_slurp(causa_ctx *ctx, const char *path, char **data, size_t *len) {
    *data = NULL;
    *len = 0;
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) return causa_i_error(ctx, CAUSA_EIO, "cannot open '%s': %s", path, strerror(errno));
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = CAUSA_OK;
    for (;;) {
        CAUSA_TRY(causa_i_buf_reserve(&b, 65536));
        size_t n = fread(b.data + b.len, 1, 65536, f);
        b.len += n;
        b.data[b.len] = '\0';
        if (n < 65536) {
            if (ferror(f)) {
                rc = causa_i_error(ctx, CAUSA_EIO, "cannot read '%s': %s", path, strerror(errno));
                goto done;
            }
            break;
        }
    }
    if (!b.data) CAUSA_TRY(causa_i_buf_append(&b, "", 0));
    *data = b.data;
    *len = b.len;
    b.data = NULL;
done:
    if (!is_stdin) fclose(f);
    causa_i_buf_free(&b);
    return rc;
}

static int read_as(causa_ctx *ctx, const char *name, const char *data, size_t len, int format,
                   int matrix, causa_graph **out) {
    switch (format) {
    case CAUSA_FORMAT_DOT:
        return causa_i_read_dot(ctx, name, data, len, out);
    case CAUSA_FORMAT_JSON:
        return causa_i_read_json(ctx, name, data, len, out);
    case CAUSA_FORMAT_TETRAD:
        return causa_i_read_tetrad(ctx, name, data, len, out);
    case CAUSA_FORMAT_BNLEARN:
        return causa_i_read_bnlearn(ctx, name, data, len, out);
    case CAUSA_FORMAT_DAGITTY:
        return causa_i_read_dagitty(ctx, name, data, len, out);
    case CAUSA_FORMAT_MATRIX:
        return causa_i_read_matrix(ctx, name, data, len, matrix, out);
    case CAUSA_FORMAT_BIF:
        return causa_i_read_bif(ctx, name, data, len, out);
    case CAUSA_FORMAT_SVG:
    case CAUSA_FORMAT_PNG:
    case CAUSA_FORMAT_PDF:
        return causa_i_error(ctx, CAUSA_EUNSUPPORTED,
                             "%s: %s is a picture format; causa writes pictures but cannot read "
                             "them",
                             name, causa_graph_format_name(format));
    default:
        return causa_i_error(ctx, CAUSA_EINVAL, "unknown graph format %d", format);
    }
}

int causa_graph_read_buffer(causa_ctx *ctx, const char *name, const char *data, size_t len,
                            const causa_graph_io_options *opt, causa_graph **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_read_buffer: out is NULL");
    *out = NULL;
    if (!ctx || (!data && len > 0))
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_read_buffer: NULL argument");
    causa_graph_io_options defaults;
    if (!opt) {
        causa_graph_io_options_init(&defaults);
        opt = &defaults;
    }
    if (!name) name = "<buffer>";
    int format = opt->format;
    if (format < CAUSA_FORMAT_AUTO || format > CAUSA_FORMAT_PDF)
        return causa_i_error(ctx, CAUSA_EINVAL, "unknown graph format %d", format);
    if (format == CAUSA_FORMAT_AUTO) format = causa_graph_format_from_path(name);
    if (format == CAUSA_FORMAT_AUTO) format = sniff(data, len);
    if (format == CAUSA_FORMAT_AUTO)
        return causa_i_error(ctx, CAUSA_EPARSE,
                             "%s: cannot tell the graph format from the name or the content; "
                             "name it (dot, json, tetrad, bnlearn, dagitty, matrix, bif)",
                             name);
    return read_as(ctx, name, data ? data : "", len, format, opt->matrix, out);
}

int causa_graph_read(causa_ctx *ctx, const char *path, const causa_graph_io_options *opt,
                     causa_graph **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_read: out is NULL");
    *out = NULL;
    if (!ctx || !path) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_read: NULL argument");
    char *data = NULL;
    size_t len = 0;
    int rc = causa_i_gio_slurp(ctx, path, &data, &len);
    if (rc) return rc;
    rc = causa_graph_read_buffer(ctx, strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, opt,
                                 out);
    causa_i_free(ctx, data);
    return rc;
}

/* ---- writing ---- */

static int write_text(causa_ctx *ctx, const causa_graph *g, int format,
                      const causa_graph_io_options *opt, causa_i_buf *b) {
    switch (format) {
    case CAUSA_FORMAT_DOT:
        return causa_i_write_dot(ctx, g, opt, b);
    case CAUSA_FORMAT_JSON:
        return causa_i_write_json(ctx, g, opt, b);
    case CAUSA_FORMAT_TETRAD:
        return causa_i_write_tetrad(ctx, g, opt, b);
    case CAUSA_FORMAT_BNLEARN:
        return causa_i_write_bnlearn(ctx, g, opt, b);
    case CAUSA_FORMAT_DAGITTY:
        return causa_i_write_dagitty(ctx, g, opt, b);
    case CAUSA_FORMAT_MATRIX:
        return causa_i_write_matrix(ctx, g, opt, b);
    case CAUSA_FORMAT_BIF:
        return causa_i_error(ctx, CAUSA_EUNSUPPORTED,
                             "writing BIF needs probability tables (an SCM); use causa's model "
                             "file");
    case CAUSA_FORMAT_SVG:
    case CAUSA_FORMAT_PNG:
    case CAUSA_FORMAT_PDF:
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "%s is a picture format: write it to a file with causa_graph_write",
                             causa_graph_format_name(format));
    default:
        return causa_i_error(ctx, CAUSA_EINVAL, "unknown graph format %d", format);
    }
}

int causa_graph_write_buffer(causa_ctx *ctx, const causa_graph *g, int format,
                             const causa_graph_io_options *opt, char **out, size_t *len) {
    if (out) *out = NULL;
    if (len) *len = 0;
    if (!ctx || !g || !out)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_write_buffer: NULL argument");
    causa_graph_io_options defaults;
    if (!opt) {
        causa_graph_io_options_init(&defaults);
        opt = &defaults;
    }
    if (format == CAUSA_FORMAT_AUTO) format = opt->format;
    if (format == CAUSA_FORMAT_AUTO)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "causa_graph_write_buffer needs a format (there is no file name to "
                             "tell it from)");
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = write_text(ctx, g, format, opt, &b);
    if (rc == CAUSA_OK && !b.data) rc = causa_i_buf_append(&b, "", 0);
    if (rc) {
        causa_i_buf_free(&b);
        return rc;
    }
    *out = b.data;
    if (len) *len = b.len;
    return CAUSA_OK;
}

int causa_graph_write(causa_ctx *ctx, const causa_graph *g, const char *path,
                      const causa_graph_io_options *opt) {
    if (!ctx || !g || !path)
        return causa_i_error(ctx, CAUSA_EMISUSE, "causa_graph_write: NULL argument");
    causa_graph_io_options defaults;
    if (!opt) {
        causa_graph_io_options_init(&defaults);
        opt = &defaults;
    }
    int format = opt->format;
    if (format < CAUSA_FORMAT_AUTO || format > CAUSA_FORMAT_PDF)
        return causa_i_error(ctx, CAUSA_EINVAL, "unknown graph format %d", format);
    if (format == CAUSA_FORMAT_AUTO) format = causa_graph_format_from_path(path);
    if (format == CAUSA_FORMAT_AUTO)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "cannot tell the graph format from the name '%s'; use an extension "
                             "(.dot .gv .json .txt .bn .dagitty .csv .svg .png .pdf) or name "
                             "the format",
                             path);
    if (format == CAUSA_FORMAT_SVG || format == CAUSA_FORMAT_PNG || format == CAUSA_FORMAT_PDF)
        return causa_i_draw(ctx, g, path, format, opt);
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = write_text(ctx, g, format, opt, &b);
    if (rc == CAUSA_OK) rc = causa_write_file(ctx, path, b.data ? b.data : "", b.len);
    causa_i_buf_free(&b);
    return rc;
}

/* ---- helpers for the readers ---- */

const char *causa_i_gio_mark_symbol(int mark_a, int mark_b) {
    static const char *const sym[4][4] = {
        {"???", "???", "???", "???"},
        {"???", "---", "-->", "--o"},
        {"???", "<--", "<->", "<-o"},
        {"???", "o--", "o->", "o-o"},
    };
    if (mark_a < 1 || mark_a > 3 || mark_b < 1 || mark_b > 3) return "???";
    return sym[mark_a][mark_b];
}

void causa_i_gio_edge_text(const causa_graph *g, int64_t a, int64_t b, int mark_a, int mark_b,
                           char *out, size_t size) {
    snprintf(out, size, "%s %s %s", causa_graph_name(g, a), causa_i_gio_mark_symbol(mark_a, mark_b),
             causa_graph_name(g, b));
}

int causa_i_gio_node(causa_i_lex *lx, causa_graph *g, const char *name, int64_t line, int64_t col,
                     int64_t *index) {
    if (!name[0]) return causa_i_lex_error_at(lx, line, col, "a node name must not be empty");
    int64_t v = causa_graph_find(g, name);
    if (v < 0) {
        int rc = causa_graph_add_node(lx->ctx, g, name, &v);
        if (rc == CAUSA_ENOMEM) return rc;
        if (rc) return causa_i_lex_error_at(lx, line, col, "%s", causa_errmsg(lx->ctx));
    }
    *index = v;
    return CAUSA_OK;
}

static int is_directed(int ma, int mb) {
    return (ma == CAUSA_MARK_TAIL && mb == CAUSA_MARK_ARROW) ||
           (ma == CAUSA_MARK_ARROW && mb == CAUSA_MARK_TAIL);
}

int causa_i_gio_edge_problem(const causa_graph *g, int64_t a, int64_t b, int mark_a, int mark_b,
                             char *why, size_t size) {
    char text[256], have[256];
    if (a == b) {
        causa_i_gio_edge_text(g, a, b, mark_a, mark_b, text, sizeof text);
        snprintf(why, size, "the edge %s joins a node to itself", text);
        return 1;
    }
    int xa, xb;
    int n = causa_graph_edge(g, a, b, &xa, &xb);
    if (n == 0) return 0;
    int bow = n == 1 &&
              ((is_directed(xa, xb) && mark_a == CAUSA_MARK_ARROW && mark_b == CAUSA_MARK_ARROW) ||
               (is_directed(mark_a, mark_b) && xa == CAUSA_MARK_ARROW && xb == CAUSA_MARK_ARROW));
    if (bow) return 0;
    causa_i_gio_edge_text(g, a, b, mark_a, mark_b, text, sizeof text);
    causa_i_gio_edge_text(g, a, b, xa, xb, have, sizeof have);
    snprintf(why, size,
             "the edge %s repeats a pair that already has the edge %s (a pair carries one edge, "
             "or a directed and a bidirected edge together)",
             text, have);
    return 1;
}

int causa_i_gio_edge(causa_i_lex *lx, causa_graph *g, int64_t a, int64_t b, int mark_a, int mark_b,
                     int64_t line, int64_t col) {
    char why[600];
    if (causa_i_gio_edge_problem(g, a, b, mark_a, mark_b, why, sizeof why))
        return causa_i_lex_error_at(lx, line, col, "%s", why);
    int rc = causa_graph_add_edge(lx->ctx, g, a, b, mark_a, mark_b);
    if (rc == CAUSA_ENOMEM) return rc;
    if (rc) return causa_i_lex_error_at(lx, line, col, "%s", causa_errmsg(lx->ctx));
    return CAUSA_OK;
}

int causa_i_gio_finish(causa_ctx *ctx, const char *name, causa_graph *g, int declared, int64_t line,
                       int64_t col) {
    int rc;
    if (declared < 0) {
        int kind = CAUSA_KIND_MIXED;
        rc = causa_graph_infer_kind(ctx, g, &kind);
        if (rc) return rc;
        if (kind == CAUSA_KIND_MIXED) return CAUSA_OK;
        rc = causa_graph_set_kind(ctx, g, kind);
        /* The inferred kind passed its own check; a failure here is memory (or a bug). */
        return rc;
    }
    if (declared == CAUSA_KIND_MIXED) return CAUSA_OK;
    rc = causa_graph_set_kind(ctx, g, declared);
    if (rc == CAUSA_OK || rc == CAUSA_ENOMEM) return rc;
    char why[700];
    snprintf(why, sizeof why, "%s", causa_errmsg(ctx));
    if (line > 0)
        return causa_i_error(ctx, CAUSA_EPARSE, "%s:%lld:%lld: the graph is declared a %s, but: %s",
                             name, (long long)line, (long long)col, causa_graph_kind_name(declared),
                             why);
    return causa_i_error(ctx, CAUSA_EPARSE, "%s: the graph is declared a %s, but: %s", name,
                         causa_graph_kind_name(declared), why);
}
