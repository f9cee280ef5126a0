/*
 * fuzz_scm.c: libFuzzer target for the SCM model readers and the intervention parsers.
 *
 * The first byte chooses what the rest is:
 *   even: a model file (JSON model or BIF network) for causa_scm_read_buffer. A failed
 *         read must give EPARSE, EINVAL, ECYCLE, ENOTFOUND or ENOMEM with a message and no
 *         model. A model that reads must write, read back, and write again to the same
 *         text (the file round-trips bit for bit), and sample a few rows (or say that a
 *         node has no mechanism: null in the file).
 *   odd:  intervention text against a fixed model with continuous and discrete nodes,
 *         parsed as --do-dist (byte 1 mod 4), --do (3 mod 4) or --shift (otherwise). A
 *         failure must give EINVAL or ENOTFOUND with a message and leave the counts as they
 *         were; what parses must sample.
 *
 * Seeds: tests/fuzz/corpus/scm.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causa.h"
#include "fuzz_common.h"

/* The fixed model of the intervention mode: X (continuous root), S (discrete, 3 levels,
 * logistic on X), Y (linear on X and S, dummy-coded), Z (linear on Y, Laplace noise). */
static const char fixed_model[] =
    "{\"format\": \"causa-scm\", \"version\": 1, \"nodes\": ["
    "{\"name\": \"X\", \"type\": \"continuous\", \"parents\": [], \"mechanism\": {\"kind\": "
    "\"root\", \"distribution\": {\"dist\": \"gaussian\", \"loc\": 0, \"scale\": 1}}},"
    "{\"name\": \"S\", \"type\": \"discrete\", \"levels\": [\"lo\", \"mid\", \"hi\"], "
    "\"parents\": [\"X\"], \"mechanism\": {\"kind\": \"logistic\", \"coefs\": [[0, 0], "
    "[0.5, 1], [-0.5, 2]]}},"
    "{\"name\": \"Y\", \"type\": \"continuous\", \"parents\": [\"X\", \"S\"], \"mechanism\": "
    "{\"kind\": \"linear\", \"intercept\": 1, \"weights\": [2, 0.5, -0.5], \"noise\": {\"dist\": "
    "\"gaussian\", \"loc\": 0, \"scale\": 0.5}}},"
    "{\"name\": \"Z\", \"type\": \"continuous\", \"parents\": [\"Y\"], \"mechanism\": {\"kind\": "
    "\"linear\", \"intercept\": 0, \"weights\": [-1], \"noise\": {\"dist\": \"laplace\", "
    "\"loc\": 0, \"scale\": 1}}}]}";

static int read_error_ok(int rc) {
    return rc == CAUSA_EPARSE || rc == CAUSA_EINVAL || rc == CAUSA_ECYCLE || rc == CAUSA_ENOTFOUND ||
           rc == CAUSA_ENOMEM;
}

static void fuzz_model(causa_ctx *ctx, const char *text, size_t len) {
    causa_scm *scm = NULL;
    int rc = causa_scm_read_buffer(ctx, "fuzz", text, len, &scm);
    if (rc) {
        REQUIRE(read_error_ok(rc), "read returned %d: %s", rc, causa_errmsg(ctx));
        REQUIRE(scm == NULL, "a failed read left a model");
        REQUIRE(causa_errmsg(ctx)[0] != '\0', "a failed read left no message (code %d)", rc);
        return;
    }
    char *once = NULL, *twice = NULL;
    size_t n1 = 0, n2 = 0;
    causa_scm *back = NULL;
    rc = causa_scm_write_buffer(ctx, scm, &once, &n1);
    if (rc == CAUSA_ENOMEM) goto done;
    REQUIRE(rc == CAUSA_OK, "a model that reads does not write: %s", causa_errmsg(ctx));
    rc = causa_scm_read_buffer(ctx, "written", once, n1, &back);
    if (rc == CAUSA_ENOMEM) goto done;
    REQUIRE(rc == CAUSA_OK, "the written model does not read back: %s\n%.*s", causa_errmsg(ctx),
            (int)(n1 < 2000 ? n1 : 2000), once);
    rc = causa_scm_write_buffer(ctx, back, &twice, &n2);
    if (rc == CAUSA_ENOMEM) goto done;
    REQUIRE(rc == CAUSA_OK && n1 == n2 && memcmp(once, twice, n1) == 0,
            "the model file does not round-trip");
    if (causa_scm_nnodes(scm) <= 64) {
        causa_dataset *ds = NULL;
        rc = causa_scm_sample(ctx, scm, 5, NULL, &ds);
        /* EMISUSE: a node whose mechanism is null in the file ("no mechanism"). */
        REQUIRE(rc == CAUSA_OK || rc == CAUSA_ENOMEM || rc == CAUSA_EMISUSE,
                "sampling a model that reads failed: %s", causa_errmsg(ctx));
        causa_dataset_free(ds);
    }
done:
    causa_free(ctx, once);
    causa_free(ctx, twice);
    causa_scm_free(back);
    causa_scm_free(scm);
}

static void fuzz_interventions(causa_ctx *ctx, int mode, const char *text) {
    causa_scm *scm = NULL;
    int rc = causa_scm_read_buffer(ctx, "fixed", fixed_model, sizeof fixed_model - 1, &scm);
    REQUIRE(rc == CAUSA_OK, "the fixed model does not read: %s", causa_errmsg(ctx));
    causa_intervention iv[8];
    double weights[16];
    int64_t n = 1, nw = 2;
    /* A slot already used, so that "left the counts as they were" means something. */
    memset(iv, 0, sizeof iv);
    iv[0].node = 3;
    iv[0].kind = CAUSA_DO_SHIFT;
    iv[0].value = 1.0;
    if (mode == 1)
        rc = causa_scm_parse_dist_interventions(ctx, scm, text, iv, 8, &n, weights, 16, &nw);
    else
        rc = causa_scm_parse_interventions(ctx, scm, text, mode == 3 ? CAUSA_DO_SET : CAUSA_DO_SHIFT,
                                           iv, 8, &n);
    if (rc) {
        REQUIRE(rc == CAUSA_EINVAL || rc == CAUSA_ENOTFOUND, "parse returned %d: %s", rc,
                causa_errmsg(ctx));
        REQUIRE(n == 1 && nw == 2, "a failed parse changed the counts (%lld, %lld)", (long long)n,
                (long long)nw);
        REQUIRE(causa_errmsg(ctx)[0] != '\0', "a failed parse left no message");
    } else {
        REQUIRE(n >= 1 && n <= 8, "count %lld", (long long)n);
        causa_scm_query_options q;
        causa_scm_query_options_init(&q);
        q.interventions = iv;
        q.ninterventions = n;
        causa_dataset *ds = NULL;
        rc = causa_scm_sample(ctx, scm, 10, &q, &ds);
        /* Shifting a discrete node parses (the parser does not know) but the query refuses. */
        REQUIRE(rc == CAUSA_OK || rc == CAUSA_EINVAL, "sampling under parsed interventions: %s",
                causa_errmsg(ctx));
        causa_dataset_free(ds);
    }
    causa_scm_free(scm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    causa_ctx_config cfg;
    causa_ctx_config_init(&cfg);
    cfg.alloc = capped_alloc;
    causa_ctx *ctx = NULL;
    if (causa_ctx_new(&cfg, &ctx) != CAUSA_OK) return 0;
    int mode = data[0] % 4;
    if (mode % 2 == 0) {
        fuzz_model(ctx, (const char *)data + 1, size - 1);
    } else {
        /* The parsers take a NUL-terminated string. */
        char *text = malloc(size);
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
        fuzz_interventions(ctx, mode, text);
        free(text);
    }
    causa_ctx_free(ctx);
    return 0;
}
