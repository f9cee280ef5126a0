/*
 * harness.c: the one test runner. Runs every registered unit test (each with a fresh,
 * leak-checked context), then every golden CLI case in tests/golden, and ends with the
 * line "N passed, N failed". Exit status 0 only if none failed.
 *
 *   run-tests [--build DIR] [--verbose] [--update-golden golden] [FILTER...]
 * With --update-golden, the golden cases matching the filters (all without filters) get
 * their expected output rewritten from what they print now; review with git diff.
 *
 * A golden case is a folder tests/golden/<case>/ holding `cmd` (a shell script run in that
 * folder with the built causa first on PATH) and `expected` (its stdout and stderr, then a
 * line "exit: N"). Output is normalised before comparison: trailing spaces are dropped and
 * the absolute path of the case folder is replaced by ".".
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

causa_ctx *T;

typedef struct test_case {
    const char *name, *file;
    void (*fn)(void);
} test_case;

static test_case *tests;
static size_t ntests, captests;
static int current_failures;
static const char *current_name;
static int verbose;
static char tmpdir_path[PATH_MAX];

void harness_register(const char *name, void (*fn)(void), const char *file) {
    if (ntests == captests) {
        captests = captests ? 2 * captests : 256;
        tests = realloc(tests, captests * sizeof *tests);
        if (!tests) abort();
    }
    tests[ntests++] = (test_case){name, file, fn};
}

void harness_fail(const char *file, int line, const char *fmt, ...) {
    current_failures++;
    if (current_failures > 20) return; /* one broken loop should not flood the log */
    fprintf(stderr, "FAIL %s (%s:%d): ", current_name, file, line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int harness_rel_ok(double got, double want, double rtol) {
    if (isnan(want)) return isnan(got);
    if (isinf(want)) return got == want;
    return fabs(got - want) <= rtol * fabs(want) || got == want;
}

/* ---- counting, failing allocator ---- */

typedef struct counting {
    size_t bytes;
    long allocs;  /* allocations made so far */
    long fail_at; /* fail the fail_at-th allocation (0 = never) */
} counting;

static void *counting_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
    counting *c = ud;
    if (new_size == 0) {
        if (ptr) c->bytes -= old_size;
        free(ptr);
        return NULL;
    }
    c->allocs++;
    if (c->fail_at && c->allocs == c->fail_at) return NULL;
    void *p = realloc(ptr, new_size);
    if (p) c->bytes = c->bytes - (ptr ? old_size : 0) + new_size;
    return p;
}

#define MAX_EXTRA 16
static causa_ctx *extra_ctx[MAX_EXTRA];
static counting extra_count[MAX_EXTRA];
static int nextra;

causa_ctx *harness_ctx(void) {
    if (nextra == MAX_EXTRA) {
        harness_fail(__FILE__, __LINE__, "too many harness contexts in one test");
        return T;
    }
    counting *c = &extra_count[nextra];
    *c = (counting){0, 0, 0};
    causa_ctx_config cfg;
    causa_ctx_config_init(&cfg);
    cfg.alloc = counting_alloc;
    cfg.alloc_ud = c;
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(&cfg, &ctx) != CAUSA_OK) abort();
    extra_ctx[nextra++] = ctx;
    return ctx;
}

int harness_oom_sweep(const char *what, int (*fn)(causa_ctx *, void *), void *ud) {
    for (long k = 1; k < 1000000; k++) {
        counting c = {0, 0, k};
        causa_ctx_config cfg;
        causa_ctx_config_init(&cfg);
        cfg.alloc = counting_alloc;
        cfg.alloc_ud = &c;
        causa_ctx *ctx = NULL;
        int rc = causa_ctx_new(&cfg, &ctx);
        if (rc == CAUSA_ENOMEM) continue; /* the context itself was the k-th allocation */
        rc = fn(ctx, ud);
        long made = c.allocs;
        causa_ctx_free(ctx);
        if (c.bytes != 0) {
            harness_fail(__FILE__, __LINE__, "%s: %zu bytes leaked when allocation %ld failed",
                         what, c.bytes, k);
            return -1;
        }
        if (rc == CAUSA_OK) {
            if (made >= k) {
                harness_fail(__FILE__, __LINE__,
                             "%s: returned OK although allocation %ld failed", what, k);
                return -1;
            }
            return (int)(k - 1);
        }
        if (rc != CAUSA_ENOMEM) {
            harness_fail(__FILE__, __LINE__, "%s: returned %s, not ENOMEM, at allocation %ld",
                         what, causa_strerror(rc), k);
            return -1;
        }
    }
    harness_fail(__FILE__, __LINE__, "%s: oom sweep did not finish", what);
    return -1;
}

/* ---- files ---- */

static char data_dir[PATH_MAX] = "tests/data";

const char *harness_data(const char *name) {
    static char path[PATH_MAX * 2];
    snprintf(path, sizeof path, "%s/%s", data_dir, name);
    return path;
}

const char *harness_tmpdir(void) {
    if (!tmpdir_path[0]) {
        snprintf(tmpdir_path, sizeof tmpdir_path, "%s/causa-test-XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(tmpdir_path)) {
            harness_fail(__FILE__, __LINE__, "mkdtemp: %s", strerror(errno));
            tmpdir_path[0] = '\0';
            return "/tmp";
        }
    }
    return tmpdir_path;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* ---- unit tests ---- */

static int matches(const char *name, int nfilter, char **filter) {
    if (nfilter == 0) return 1;
    for (int i = 0; i < nfilter; i++)
        if (strstr(name, filter[i])) return 1;
    return 0;
}

static int run_unit(const test_case *t) {
    counting c = {0, 0, 0};
    causa_ctx_config cfg;
    causa_ctx_config_init(&cfg);
    cfg.alloc = counting_alloc;
    cfg.alloc_ud = &c;
    if (causa_ctx_new(&cfg, &T) != CAUSA_OK) abort();
    current_name = t->name;
    current_failures = 0;
    nextra = 0;
    t->fn();
    causa_ctx_free(T);
    T = NULL;
    if (c.bytes != 0)
        harness_fail(t->file, 0, "leak: %zu bytes still allocated at the end of the test",
                     c.bytes);
    for (int i = 0; i < nextra; i++) {
        causa_ctx_free(extra_ctx[i]);
        if (extra_count[i].bytes != 0)
            harness_fail(t->file, 0, "leak: %zu bytes still allocated in harness context %d",
                         extra_count[i].bytes, i);
    }
    if (tmpdir_path[0]) {
        nftw(tmpdir_path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        tmpdir_path[0] = '\0';
    }
    if (verbose && current_failures == 0) fprintf(stderr, "ok   %s\n", t->name);
    return current_failures == 0;
}

/* ---- golden CLI cases ---- */

static char *read_all(FILE *f, size_t *len) {
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) abort();
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) abort();
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t len;
    char *s = read_all(f, &len);
    fclose(f);
    return s;
}

/* Drops trailing blanks on every line and replaces every occurrence of `dir` by ".". */
static char *normalise(const char *s, const char *dir) {
    size_t dl = strlen(dir), n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    if (!out) abort();
    for (const char *p = s; *p;) {
        if (dl && strncmp(p, dir, dl) == 0) {
            *o++ = '.';
            p += dl;
            continue;
        }
        if (*p == '\n') {
            while (o > out && (o[-1] == ' ' || o[-1] == '\t' || o[-1] == '\r')) o--;
        }
        *o++ = *p++;
    }
    while (o > out && (o[-1] == ' ' || o[-1] == '\t')) o--;
    *o = '\0';
    return out;
}

static int run_golden(const char *root, const char *name, const char *bindir, int update) {
    char dir[PATH_MAX], path[PATH_MAX + 64], cmd[PATH_MAX * 3];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    char absdir[PATH_MAX];
    if (!realpath(dir, absdir)) return 0;
    snprintf(path, sizeof path, "%s/cmd", absdir);
    if (access(path, R_OK) != 0) return -1; /* not a case */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && PATH='%s':\"$PATH\" CAUSA_TEST_GOLDEN=1 sh ./cmd 2>&1 </dev/null; "
             "echo \"exit: $?\"",
             absdir, bindir);
    current_name = name;
    current_failures = 0;
    FILE *p = popen(cmd, "r");
    if (!p) {
        harness_fail(path, 0, "cannot run: %s", strerror(errno));
        return 0;
    }
    size_t len;
    char *raw = read_all(p, &len);
    pclose(p);
    char *got = normalise(raw, absdir);
    free(raw);
    snprintf(path, sizeof path, "%s/expected", absdir);
    int ok = 1;
    if (update) {
        FILE *f = fopen(path, "wb");
        if (!f || fputs(got, f) < 0) ok = 0;
        if (f) fclose(f);
        fprintf(stderr, "updated %s\n", path);
    } else {
        char *want = slurp(path);
        if (!want) {
            harness_fail(path, 0, "missing expected output (run make golden-update)");
            ok = 0;
        } else {
            char *w = normalise(want, absdir);
            if (strcmp(w, got) != 0) {
                fprintf(stderr, "FAIL golden %s\n--- expected\n%s\n--- got\n%s\n---\n", name, w,
                        got);
                ok = 0;
            }
            free(w);
            free(want);
        }
    }
    free(got);
    if (ok && verbose) fprintf(stderr, "ok   golden %s\n", name);
    return ok && current_failures == 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    const char *build = "build";
    const char *update = NULL;
    char *filter[64];
    int nfilter = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--build") == 0 && i + 1 < argc) build = argv[++i];
        else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) verbose = 1;
        else if (strcmp(argv[i], "--update-golden") == 0 && i + 1 < argc) update = argv[++i];
        else if (nfilter < 64) filter[nfilter++] = argv[i];
    }
    const char *dd = getenv("CAUSA_TEST_DATA");
    if (dd) snprintf(data_dir, sizeof data_dir, "%s", dd);

    int passed = 0, failed = 0;
    if (!update) {
        for (size_t i = 0; i < ntests; i++) {
            if (!matches(tests[i].name, nfilter, filter)) continue;
            if (run_unit(&tests[i])) passed++;
            else failed++;
        }
    }
    char bindir[PATH_MAX];
    if (!realpath(build, bindir)) snprintf(bindir, sizeof bindir, "%s", build);
    DIR *d = opendir("tests/golden");
    if (d) {
        char *names[4096];
        int nnames = 0;
        struct dirent *e;
        while ((e = readdir(d)) && nnames < 4096)
            if (e->d_name[0] != '.') names[nnames++] = strdup(e->d_name);
        closedir(d);
        qsort(names, (size_t)nnames, sizeof *names, cmp_str);
        for (int i = 0; i < nnames; i++) {
            if (matches(names[i], nfilter, filter)) {
                int r = run_golden("tests/golden", names[i], bindir, update != NULL);
                if (r > 0) passed++;
                else if (r == 0) failed++;
            }
            free(names[i]);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    free(tests);
    return failed ? 1 : 0;
}
