/*
 * knowledge.c: background knowledge (forbidden and required directed edges, temporal tiers)
 * and causal-cmd's / Tetrad's knowledge file format.
 *
 * Rules are kept as two sorted arrays of keys from * p + to, so a query is a binary search
 * and an object with a handful of rules costs almost nothing; tiers are one integer per
 * variable plus a flag per tier. The object is always consistent: every mutation that would
 * make a pair both required and forbidden (or require both directions) is refused, so the
 * algorithms never meet contradictory knowledge.
 *
 * The file reader follows Tetrad's loadKnowledge (sections "addtemporal", "forbiddirect",
 * "requiredirect"; tier lines "N name..." with "N*" forbidding edges within the tier) with
 * two deliberate differences: a name that is not one of the variables is an error with its
 * position (Tetrad adds it as a new variable, so a typo silently does nothing), and
 * "requiredirect A B" after "forbiddirect A B" is a contradiction (Tetrad lets the later
 * line win).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../graph/lex_i.h"
#include "discover_i.h"

struct causa_knowledge {
    causa_ctx *ctx;
    int64_t p;
    char **names;
    int64_t *by_name; /* indices sorted by name, for causa_knowledge_find */
    int64_t *forbidden, *required; /* sorted keys from * p + to */
    int64_t nforbidden, nrequired, capforbidden, caprequired;
    int64_t *tier;    /* p entries, 0 = none */
    unsigned char *within; /* within[t] for t in [0, captier) */
    int64_t captier;
};

/* ---- construction ---- */

static int cmp_name_ctx_sort(const void *a, const void *b, void *arg) {
    char **names = arg;
    return strcmp(names[*(const int64_t *)a], names[*(const int64_t *)b]);
}

/* A tiny merge sort (qsort has no context argument in C11). */
static void sort_by_name(int64_t *v, int64_t *tmp, int64_t n, char **names) {
    if (n < 2) return;
    int64_t h = n / 2;
    sort_by_name(v, tmp, h, names);
    sort_by_name(v + h, tmp, n - h, names);
    int64_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        tmp[o++] = cmp_name_ctx_sort(&v[i], &v[j], names) <= 0 ? v[i++] : v[j++];
    while (i < h) tmp[o++] = v[i++];
    while (j < n) tmp[o++] = v[j++];
    memcpy(v, tmp, (size_t)n * sizeof *v);
}

void causa_knowledge_free(causa_knowledge *k) {
    if (!k) return;
    causa_ctx *ctx = k->ctx;
    if (k->names)
        for (int64_t j = 0; j < k->p; j++) causa_i_free(ctx, k->names[j]);
    causa_i_free(ctx, k->names);
    causa_i_free(ctx, k->by_name);
    causa_i_free(ctx, k->forbidden);
    causa_i_free(ctx, k->required);
    causa_i_free(ctx, k->tier);
    causa_i_free(ctx, k->within);
    causa_i_free(ctx, k);
}

int causa_knowledge_new(causa_ctx *ctx, int64_t p, const char *const *names, causa_knowledge **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (p < 0) return causa_i_error(ctx, CAUSA_EINVAL, "p must be >= 0, got %lld", (long long)p);
    if (p > (int64_t)1 << 31)
        return causa_i_error(ctx, CAUSA_EINVAL, "knowledge supports at most 2^31 variables, got %lld",
                             (long long)p);
    int rc = CAUSA_OK;
    int64_t *tmp = NULL;
    causa_knowledge *k = causa_i_calloc(ctx, 1, sizeof *k);
    if (!k) return causa_i_nomem(ctx, "knowledge", sizeof *k);
    k->ctx = ctx;
    size_t n = (size_t)(p > 0 ? p : 1);
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&k->names, n * sizeof *k->names, "knowledge names"));
    k->p = p;
    for (int64_t j = 0; j < p; j++) {
        char buf[32];
        const char *s = names ? names[j] : buf;
        if (!names) snprintf(buf, sizeof buf, "X%lld", (long long)(j + 1));
        if (!s || !*s) {
            rc = causa_i_error(ctx, CAUSA_EINVAL, "name of variable %lld is empty", (long long)(j + 1));
            goto done;
        }
        k->names[j] = causa_i_strdup(ctx, s);
        if (!k->names[j]) {
            rc = causa_i_nomem(ctx, "knowledge names", strlen(s) + 1);
            goto done;
        }
    }
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&k->by_name, n * sizeof *k->by_name, "knowledge names"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&tmp, n * sizeof *tmp, "knowledge names"));
    for (int64_t j = 0; j < p; j++) k->by_name[j] = j;
    sort_by_name(k->by_name, tmp, p, k->names);
    for (int64_t j = 1; j < p; j++)
        if (strcmp(k->names[k->by_name[j - 1]], k->names[k->by_name[j]]) == 0) {
            rc = causa_i_error(ctx, CAUSA_EINVAL, "variable name '%s' appears twice",
                               k->names[k->by_name[j]]);
            goto done;
        }
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&k->tier, n * sizeof *k->tier, "tiers"));
done:
    causa_i_free(ctx, tmp);
    if (rc) {
        causa_knowledge_free(k);
        return rc;
    }
    *out = k;
    return CAUSA_OK;
}

/* ---- queries ---- */

int64_t causa_knowledge_nvars(const causa_knowledge *k) { return k ? k->p : 0; }

const char *causa_knowledge_name(const causa_knowledge *k, int64_t v) {
    return k && v >= 0 && v < k->p ? k->names[v] : NULL;
}

int64_t causa_knowledge_find(const causa_knowledge *k, const char *name) {
    if (!k || !name) return -1;
    int64_t lo = 0, hi = k->p;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int c = strcmp(k->names[k->by_name[mid]], name);
        if (c == 0) return k->by_name[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}

/* Position of key in a sorted array (or where it would go); *found = 1 if present. */
static int64_t key_search(const int64_t *a, int64_t n, int64_t key, int *found) {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (a[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    *found = lo < n && a[lo] == key;
    return lo;
}

static int in_range(const causa_knowledge *k, int64_t v) { return k && v >= 0 && v < k->p; }

static int explicit_forbidden(const causa_knowledge *k, int64_t from, int64_t to) {
    int found;
    key_search(k->forbidden, k->nforbidden, from * k->p + to, &found);
    return found;
}

static int tier_forbidden(const causa_knowledge *k, int64_t from, int64_t to) {
    int64_t tf = k->tier[from], tt = k->tier[to];
    if (tf == 0 || tt == 0) return 0;
    if (tf > tt) return 1;
    return tf == tt && tf < k->captier && k->within[tf];
}

int causa_knowledge_is_forbidden(const causa_knowledge *k, int64_t from, int64_t to) {
    if (!in_range(k, from) || !in_range(k, to) || from == to) return 0;
    return explicit_forbidden(k, from, to) || tier_forbidden(k, from, to);
}

int causa_knowledge_is_required(const causa_knowledge *k, int64_t from, int64_t to) {
    if (!in_range(k, from) || !in_range(k, to) || from == to) return 0;
    int found;
    key_search(k->required, k->nrequired, from * k->p + to, &found);
    return found;
}

int64_t causa_knowledge_tier(const causa_knowledge *k, int64_t v) { return in_range(k, v) ? k->tier[v] : 0; }

int64_t causa_knowledge_ntiers(const causa_knowledge *k) {
    if (!k) return 0;
    int64_t m = 0;
    for (int64_t v = 0; v < k->p; v++) m = CAUSA_MAX(m, k->tier[v]);
    for (int64_t t = 1; t < k->captier; t++)
        if (k->within[t]) m = CAUSA_MAX(m, t);
    return m;
}

int causa_knowledge_tier_forbidden_within(const causa_knowledge *k, int64_t tier) {
    return k && tier >= 1 && tier < k->captier ? k->within[tier] : 0;
}

int64_t causa_knowledge_rules(const causa_knowledge *k, int which, int64_t *from, int64_t *to) {
    if (!k) return 0;
    const int64_t *a = which == CAUSA_KNOWLEDGE_REQUIRED ? k->required : k->forbidden;
    int64_t n = which == CAUSA_KNOWLEDGE_REQUIRED ? k->nrequired
                : which == CAUSA_KNOWLEDGE_FORBIDDEN ? k->nforbidden : 0;
    for (int64_t i = 0; i < n; i++) {
        if (from) from[i] = a[i] / k->p;
        if (to) to[i] = a[i] % k->p;
    }
    return n;
}

/* ---- mutation ---- */

static int check_var(causa_ctx *ctx, const causa_knowledge *k, int64_t v, const char *what) {
    if (!k) return causa_i_error(ctx, CAUSA_EMISUSE, "knowledge is NULL");
    if (v < 0 || v >= k->p)
        return causa_i_error(ctx, CAUSA_EINVAL, "%s must be a variable index in [0, %lld), got %lld",
                             what, (long long)k->p, (long long)v);
    return CAUSA_OK;
}

static int insert_key(causa_ctx *ctx, int64_t **a, int64_t *n, int64_t *cap, int64_t key) {
    int found;
    int64_t pos = key_search(*a, *n, key, &found);
    if (found) return CAUSA_OK;
    if (*n == *cap) {
        int64_t nc = *cap ? 2 * *cap : 8;
        int64_t *na = causa_i_realloc(ctx, *a, (size_t)nc * sizeof *na);
        if (!na) return causa_i_nomem(ctx, "knowledge rules", (size_t)nc * sizeof *na);
        *a = na;
        *cap = nc;
    }
    memmove(*a + pos + 1, *a + pos, (size_t)(*n - pos) * sizeof **a);
    (*a)[pos] = key;
    (*n)++;
    return CAUSA_OK;
}

int causa_knowledge_forbid(causa_ctx *ctx, causa_knowledge *k, int64_t from, int64_t to) {
    int rc = check_var(ctx, k, from, "from");
    if (!rc) rc = check_var(ctx, k, to, "to");
    if (rc) return rc;
    if (from == to) return causa_i_error(ctx, CAUSA_EINVAL, "cannot forbid the self loop %s --> %s",
                                         k->names[from], k->names[to]);
    if (causa_knowledge_is_required(k, from, to))
        return causa_i_error(ctx, CAUSA_EINVAL, "%s --> %s is required, so it cannot be forbidden",
                             k->names[from], k->names[to]);
    return insert_key(ctx, &k->forbidden, &k->nforbidden, &k->capforbidden, from * k->p + to);
}

int causa_knowledge_require(causa_ctx *ctx, causa_knowledge *k, int64_t from, int64_t to) {
    int rc = check_var(ctx, k, from, "from");
    if (!rc) rc = check_var(ctx, k, to, "to");
    if (rc) return rc;
    if (from == to) return causa_i_error(ctx, CAUSA_EINVAL, "cannot require the self loop %s --> %s",
                                         k->names[from], k->names[to]);
    if (explicit_forbidden(k, from, to))
        return causa_i_error(ctx, CAUSA_EINVAL, "%s --> %s is forbidden, so it cannot be required",
                             k->names[from], k->names[to]);
    if (tier_forbidden(k, from, to))
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "%s --> %s is forbidden by the tiers (%s in tier %lld, %s in tier "
                             "%lld%s), so it cannot be required",
                             k->names[from], k->names[to], k->names[from], (long long)k->tier[from],
                             k->names[to], (long long)k->tier[to],
                             k->tier[from] == k->tier[to] ? ", edges within it forbidden" : "");
    if (causa_knowledge_is_required(k, to, from))
        return causa_i_error(ctx, CAUSA_EINVAL, "%s --> %s is required, so %s --> %s cannot be",
                             k->names[to], k->names[from], k->names[from], k->names[to]);
    return insert_key(ctx, &k->required, &k->nrequired, &k->caprequired, from * k->p + to);
}

/* The first required edge that the tiers (as they are now) forbid, or -1. */
static int64_t tier_conflict(const causa_knowledge *k) {
    for (int64_t i = 0; i < k->nrequired; i++)
        if (tier_forbidden(k, k->required[i] / k->p, k->required[i] % k->p)) return i;
    return -1;
}

static int grow_tiers(causa_ctx *ctx, causa_knowledge *k, int64_t tier) {
    if (tier < k->captier) return CAUSA_OK;
    int64_t nc = CAUSA_MAX(tier + 1, 2 * k->captier);
    unsigned char *w = causa_i_realloc(ctx, k->within, (size_t)nc);
    if (!w) return causa_i_nomem(ctx, "tiers", (size_t)nc);
    memset(w + k->captier, 0, (size_t)(nc - k->captier));
    k->within = w;
    k->captier = nc;
    return CAUSA_OK;
}

int causa_knowledge_set_tier(causa_ctx *ctx, causa_knowledge *k, int64_t v, int64_t tier) {
    int rc = check_var(ctx, k, v, "variable");
    if (rc) return rc;
    if (tier < 0 || tier > ((int64_t)1 << 40))
        return causa_i_error(ctx, CAUSA_EINVAL, "tier must be >= 1 (or 0 for none), got %lld",
                             (long long)tier);
    if ((rc = grow_tiers(ctx, k, tier))) return rc;
    int64_t old = k->tier[v];
    k->tier[v] = tier;
    int64_t bad = tier_conflict(k);
    if (bad >= 0) {
        k->tier[v] = old;
        int64_t a = k->required[bad] / k->p, b = k->required[bad] % k->p;
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "putting %s in tier %lld would forbid the required edge %s --> %s",
                             k->names[v], (long long)tier, k->names[a], k->names[b]);
    }
    return CAUSA_OK;
}

int causa_knowledge_set_tier_forbidden_within(causa_ctx *ctx, causa_knowledge *k, int64_t tier,
                                              int forbidden) {
    if (!k) return causa_i_error(ctx, CAUSA_EMISUSE, "knowledge is NULL");
    if (tier < 1 || tier > ((int64_t)1 << 40))
        return causa_i_error(ctx, CAUSA_EINVAL, "tier must be >= 1, got %lld", (long long)tier);
    int rc = grow_tiers(ctx, k, tier);
    if (rc) return rc;
    unsigned char old = k->within[tier];
    k->within[tier] = forbidden != 0;
    int64_t bad = tier_conflict(k);
    if (bad >= 0) {
        k->within[tier] = old;
        int64_t a = k->required[bad] / k->p, b = k->required[bad] % k->p;
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "forbidding edges within tier %lld would forbid the required edge "
                             "%s --> %s",
                             (long long)tier, k->names[a], k->names[b]);
    }
    return CAUSA_OK;
}

/* ---- the knowledge view used by the algorithms ---- */

int causa_i_kview_forbidden(const causa_i_kview *kv, int64_t from, int64_t to) {
    if (!kv || !kv->k) return 0;
    int64_t a = kv->kmap[from], b = kv->kmap[to];
    return a >= 0 && b >= 0 && causa_knowledge_is_forbidden(kv->k, a, b);
}

int causa_i_kview_required(const causa_i_kview *kv, int64_t from, int64_t to) {
    if (!kv || !kv->k) return 0;
    int64_t a = kv->kmap[from], b = kv->kmap[to];
    return a >= 0 && b >= 0 && causa_knowledge_is_required(kv->k, a, b);
}

/* ---- writing ---- */

/* A name as a token: bare if it has no blank, quote or control byte, else double-quoted
 * (with \" and \\ escaped, as the reader's lexer unescapes them). */
static int put_name(causa_i_buf *b, const char *s) {
    int bare = *s != '\0';
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == '"' || *c == '\\' || *c == 0x7f) bare = 0;
    if (bare && (s[0] == '/' || s[0] == '#')) bare = 0; /* would read as a comment */
    if (bare) return causa_i_buf_append(b, s, strlen(s));
    int rc = causa_i_buf_append(b, "\"", 1);
    for (const char *c = s; !rc && *c; c++) {
        if (*c == '"' || *c == '\\') rc = causa_i_buf_append(b, "\\", 1);
        if (!rc) rc = causa_i_buf_append(b, c, 1);
    }
    return rc ? rc : causa_i_buf_append(b, "\"", 1);
}

static int write_rules(causa_i_buf *b, const causa_knowledge *k, const int64_t *a, int64_t n) {
    int rc = CAUSA_OK;
    for (int64_t i = 0; i < n && !rc; i++) {
        rc = put_name(b, k->names[a[i] / k->p]);
        if (!rc) rc = causa_i_buf_append(b, " ", 1);
        if (!rc) rc = put_name(b, k->names[a[i] % k->p]);
        if (!rc) rc = causa_i_buf_append(b, "\n", 1);
    }
    return rc;
}

int causa_knowledge_write_buffer(causa_ctx *ctx, const causa_knowledge *k, char **out, size_t *len) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (len) *len = 0;
    if (!k) return causa_i_error(ctx, CAUSA_EMISUSE, "knowledge is NULL");
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_buf_printf(&b, "/knowledge\naddtemporal\n"));
    int64_t nt = causa_knowledge_ntiers(k);
    for (int64_t t = 1; t <= nt; t++) {
        CAUSA_TRY(causa_i_buf_printf(&b, "%lld%s", (long long)t,
                                     causa_knowledge_tier_forbidden_within(k, t) ? "*" : ""));
        for (int64_t v = 0; v < k->p; v++)
            if (k->tier[v] == t) {
                CAUSA_TRY(causa_i_buf_append(&b, " ", 1));
                CAUSA_TRY(put_name(&b, k->names[v]));
            }
        CAUSA_TRY(causa_i_buf_append(&b, "\n", 1));
    }
    CAUSA_TRY(causa_i_buf_printf(&b, "\nforbiddirect\n"));
    CAUSA_TRY(write_rules(&b, k, k->forbidden, k->nforbidden));
    CAUSA_TRY(causa_i_buf_printf(&b, "\nrequiredirect\n"));
    CAUSA_TRY(write_rules(&b, k, k->required, k->nrequired));
    *out = b.data;
    if (len) *len = b.len;
    b.data = NULL;
done:
    causa_i_buf_free(&b);
    return rc;
}

int causa_knowledge_write(causa_ctx *ctx, const causa_knowledge *k, const char *path) {
    if (!path) return causa_i_error(ctx, CAUSA_EMISUSE, "path is NULL");
    char *text = NULL;
    size_t len = 0;
    int rc = causa_knowledge_write_buffer(ctx, k, &text, &len);
    if (!rc) rc = causa_write_file(ctx, path, text, len);
    causa_i_free(ctx, text);
    return rc;
}

/* ---- reading ---- */

/* Names are runs of any printable non-blank bytes (so "p44/42" and "X1.5" are one token);
 * quotes start strings. */
static int name_char(unsigned char c) { return c > ' ' && c != '"' && c != 0x7f; }

enum { SEC_NONE, SEC_TEMPORAL, SEC_FORBID, SEC_REQUIRE };

/* Reads a variable name token; CAUSA_ENOTFOUND with the position if unknown. */
static int read_var(causa_i_lex *lx, const causa_knowledge *k, int64_t *v) {
    if (lx->tok != CAUSA_I_TOK_WORD && lx->tok != CAUSA_I_TOK_STRING)
        return causa_i_lex_expected(lx, "a variable name");
    const char *name = lx->text.data ? lx->text.data : "";
    *v = causa_knowledge_find(k, name);
    if (*v < 0)
        return causa_i_error(lx->ctx, CAUSA_ENOTFOUND,
                             "%s:%lld:%lld: unknown variable '%s' (the data has no column of that "
                             "name)",
                             lx->name, (long long)lx->tline, (long long)lx->tcol, name);
    return causa_i_lex_next(lx);
}

/* Re-reports the error of a refused rule with the position of the line it came from. */
static int at_line(causa_i_lex *lx, int rc, int64_t line, int64_t col) {
    if (rc == CAUSA_OK || rc == CAUSA_ENOMEM) return rc;
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", causa_errmsg(lx->ctx));
    return causa_i_error(lx->ctx, rc, "%s:%lld:%lld: %s", lx->name, (long long)line,
                         (long long)col, msg);
}

/* Parses a tier number token "N" or "N*". */
static int parse_tier(causa_i_lex *lx, int64_t *tier, int *within) {
    const char *s = lx->text.data ? lx->text.data : "";
    size_t n = strlen(s);
    *within = n > 0 && s[n - 1] == '*';
    if (*within) n--;
    int64_t t = 0;
    int ok = lx->tok == CAUSA_I_TOK_WORD && n > 0 && n < 12;
    for (size_t i = 0; ok && i < n; i++) {
        if (s[i] < '0' || s[i] > '9') ok = 0;
        else t = 10 * t + (s[i] - '0');
    }
    if (!ok || t < 1)
        return causa_i_lex_expected(lx, "a tier number 1, 2, ... (optionally followed by '*')");
    *tier = t;
    return CAUSA_OK;
}

static int parse(causa_i_lex *lx, causa_knowledge *k) {
    int rc = CAUSA_OK, section = SEC_NONE, first = 1;
    /* tier lines seen: to reject a variable placed in two tiers */
    CAUSA_TRY(causa_i_lex_next(lx));
    for (;;) {
        if (lx->tok == CAUSA_I_TOK_EOF) break;
        if (lx->tok == CAUSA_I_TOK_NEWLINE) {
            CAUSA_TRY(causa_i_lex_next(lx));
            continue;
        }
        const char *t = lx->text.data ? lx->text.data : "";
        int64_t line = lx->tline, col = lx->tcol;
        if (lx->tok == CAUSA_I_TOK_WORD && (t[0] == '#' || (t[0] == '/' && t[1] == '/'))) {
            CAUSA_TRY(causa_i_lex_rest_of_line(lx));
            CAUSA_TRY(causa_i_lex_next(lx));
            continue;
        }
        int header = 0;
        if (first && causa_i_lex_is_nocase(lx, "/knowledge")) header = 1;
        first = 0;
        if (!header) {
            if (causa_i_lex_is_nocase(lx, "addtemporal")) section = SEC_TEMPORAL, header = 1;
            else if (causa_i_lex_is_nocase(lx, "forbiddirect")) section = SEC_FORBID, header = 1;
            else if (causa_i_lex_is_nocase(lx, "requiredirect")) section = SEC_REQUIRE, header = 1;
            else if (causa_i_lex_is_nocase(lx, "forbiddengroup") || causa_i_lex_is_nocase(lx, "requiredgroup")) {
                rc = causa_i_lex_error_at(lx, line, col,
                                          "the section '%s' (Tetrad's knowledge groups) is not "
                                          "supported; list the edges under 'forbiddirect' or "
                                          "'requiredirect' instead",
                                          t);
                goto done;
            }
        }
        if (header) {
            CAUSA_TRY(causa_i_lex_next(lx));
            if (lx->tok != CAUSA_I_TOK_NEWLINE && lx->tok != CAUSA_I_TOK_EOF) {
                rc = causa_i_lex_expected(lx, "the end of the line after '%s'", t);
                goto done;
            }
            continue;
        }
        switch (section) {
        case SEC_NONE:
            rc = causa_i_lex_expected(lx, "'addtemporal', 'forbiddirect' or 'requiredirect'");
            goto done;
        case SEC_TEMPORAL: {
            int64_t tier = 0;
            int within = 0;
            CAUSA_TRY(parse_tier(lx, &tier, &within));
            CAUSA_TRY(causa_i_lex_next(lx));
            if (within) CAUSA_TRY(at_line(lx, causa_knowledge_set_tier_forbidden_within(lx->ctx, k, tier, 1), line, col));
            else CAUSA_TRY(grow_tiers(lx->ctx, k, tier));
            while (lx->tok != CAUSA_I_TOK_NEWLINE && lx->tok != CAUSA_I_TOK_EOF) {
                int64_t vline = lx->tline, vcol = lx->tcol, v;
                CAUSA_TRY(read_var(lx, k, &v));
                if (k->tier[v] != 0 && k->tier[v] != tier) {
                    rc = causa_i_error(lx->ctx, CAUSA_EINVAL,
                                       "%s:%lld:%lld: variable '%s' is already in tier %lld; a "
                                       "variable belongs to one tier",
                                       lx->name, (long long)vline, (long long)vcol, k->names[v],
                                       (long long)k->tier[v]);
                    goto done;
                }
                CAUSA_TRY(at_line(lx, causa_knowledge_set_tier(lx->ctx, k, v, tier), vline, vcol));
            }
            break;
        }
        case SEC_FORBID:
        case SEC_REQUIRE: {
            int64_t a, b;
            CAUSA_TRY(read_var(lx, k, &a));
            if (lx->tok == CAUSA_I_TOK_NEWLINE || lx->tok == CAUSA_I_TOK_EOF) {
                rc = causa_i_lex_expected(lx, "a second variable name (lines here are 'FROM TO')");
                goto done;
            }
            CAUSA_TRY(read_var(lx, k, &b));
            if (lx->tok != CAUSA_I_TOK_NEWLINE && lx->tok != CAUSA_I_TOK_EOF) {
                rc = causa_i_lex_expected(lx, "the end of the line (lines here are 'FROM TO')");
                goto done;
            }
            if (section == SEC_FORBID) CAUSA_TRY(at_line(lx, causa_knowledge_forbid(lx->ctx, k, a, b), line, col));
            else CAUSA_TRY(at_line(lx, causa_knowledge_require(lx->ctx, k, a, b), line, col));
            break;
        }
        }
    }
done:
    return rc;
}

int causa_knowledge_read_buffer(causa_ctx *ctx, const char *name, const char *data, size_t len,
                                int64_t p, const char *const *names, causa_knowledge **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (!data && len) return causa_i_error(ctx, CAUSA_EMISUSE, "data is NULL");
    causa_knowledge *k = NULL;
    int rc = causa_knowledge_new(ctx, p, names, &k);
    if (rc) return rc;
    /* A UTF-8 byte order mark is not part of the first token. */
    if (data && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) data += 3, len -= 3;
    causa_i_lex lx;
    causa_i_lex_init(&lx, ctx, name, data, len, CAUSA_I_LEX_NEWLINES | CAUSA_I_LEX_STRINGS, name_char, NULL);
    rc = parse(&lx, k);
    causa_i_lex_free(&lx);
    if (rc) {
        causa_knowledge_free(k);
        return rc;
    }
    *out = k;
    return CAUSA_OK;
}

int causa_knowledge_read(causa_ctx *ctx, const char *path, int64_t p, const char *const *names,
                         causa_knowledge **out) {
    if (!out) return causa_i_error(ctx, CAUSA_EMISUSE, "out is NULL");
    *out = NULL;
    if (!path) return causa_i_error(ctx, CAUSA_EMISUSE, "path is NULL");
    char *data = NULL;
    size_t len = 0;
    int rc = causa_i_gio_slurp(ctx, path, &data, &len);
    if (rc) return rc;
    rc = causa_knowledge_read_buffer(ctx, path, data, len, p, names, out);
    causa_i_free(ctx, data);
    return rc;
}
