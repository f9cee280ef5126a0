/*
 * test_csv.c: CSV input and output: delimiters, quoting, line ends, type inference, level
 * order, missing values, every malformed input (code and full message), write/read round
 * trips, memory, progress and interruption, out-of-memory sweeps, and the number parser
 * against strtod.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../src/data/dataset_i.h"
#include "harness.h"

/* Reads text (a C string) with options o (NULL: defaults); NULL after a failed CHECK. */
static causa_dataset *rd(const char *text, const causa_csv_options *o) {
    causa_dataset *ds = NULL;
    int rc = causa_csv_read_buffer(T, "t.csv", text, strlen(text), o, &ds);
    if (rc != CAUSA_OK) harness_fail(__FILE__, __LINE__, "read failed: %s", causa_errmsg(T));
    return ds;
}

/* Reads text that must fail; returns the code and checks that nothing was made. */
static int rd_err(const char *text, const causa_csv_options *o) {
    causa_dataset *ds = (causa_dataset *)&ds;
    int rc = causa_csv_read_buffer(T, "t.csv", text, strlen(text), o, &ds);
    CHECK(ds == NULL);
    if (rc == CAUSA_OK) causa_dataset_free(ds);
    return rc;
}

static int file_err(const char *name, const causa_csv_options *o) {
    causa_dataset *ds = (causa_dataset *)&ds;
    int rc = causa_csv_read(T, harness_data(name), o, &ds);
    CHECK(ds == NULL);
    return rc;
}

static double at(const causa_dataset *ds, int64_t i, int64_t j) {
    return causa_dataset_column(ds, j)[i];
}

/* ---- basics ---- */

TEST(csv_basic_header) {
    causa_dataset *ds = rd("x,y,z\n1,2.5,-3\n4e2,.5,+6\n", NULL);
    if (!ds) return;
    CHECK_INT(causa_dataset_nrow(ds), 2);
    CHECK_INT(causa_dataset_ncol(ds), 3);
    CHECK_STR(causa_dataset_name(ds, 2), "z");
    CHECK(at(ds, 0, 0) == 1 && at(ds, 1, 0) == 400);
    CHECK(at(ds, 0, 1) == 2.5 && at(ds, 1, 1) == 0.5);
    CHECK(at(ds, 0, 2) == -3 && at(ds, 1, 2) == 6);
    CHECK_INT(causa_dataset_dropped_rows(ds), 0);
    causa_dataset_free(ds);
}

TEST(csv_no_header) {
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.header = 0;
    causa_dataset *ds = rd("1,2\n3,4\n5,6", &o); /* no final line feed */
    if (!ds) return;
    CHECK_INT(causa_dataset_nrow(ds), 3);
    CHECK_STR(causa_dataset_name(ds, 0), "X1");
    CHECK_STR(causa_dataset_name(ds, 1), "X2");
    CHECK(at(ds, 2, 1) == 6);
    causa_dataset_free(ds);
}

TEST(csv_options_defaults_and_checks) {
    causa_csv_options o;
    causa_csv_options_init(&o);
    CHECK_INT(o.header, 1);
    CHECK_INT(o.delimiter, 0);
    CHECK_INT(o.data_type, CAUSA_DATA_MIXED);
    CHECK_INT(o.max_levels, 0);
    CHECK_INT(o.missing, CAUSA_MISSING_ERROR);
    CHECK(o.missing_marker == NULL);
    CHECK_INT(o.quote, '"');
    o.header = 2;
    CHECK_ERR(rd_err("a\n1\n", &o), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "header must be 0 or 1, got 2");
    causa_csv_options_init(&o);
    o.data_type = 7;
    CHECK_ERR(rd_err("a\n1\n", &o), CAUSA_EINVAL);
    causa_csv_options_init(&o);
    o.missing = 5;
    CHECK_ERR(rd_err("a\n1\n", &o), CAUSA_EINVAL);
    causa_csv_options_init(&o);
    o.max_levels = -1;
    CHECK_ERR(rd_err("a\n1\n", &o), CAUSA_EINVAL);
    causa_csv_options_init(&o);
    o.delimiter = '"';
    CHECK_ERR(rd_err("a\n1\n", &o), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "the delimiter and the quote character are both '\"'");
    causa_csv_options_init(&o);
    o.delimiter = '\n';
    CHECK_ERR(rd_err("a\n1\n", &o), CAUSA_EINVAL);
    causa_dataset *ds = NULL;
    CHECK_ERR(causa_csv_read_buffer(T, "t", "a\n1\n", 4, NULL, NULL), CAUSA_EMISUSE);
    CHECK_ERR(causa_csv_read_buffer(T, "t", NULL, 4, NULL, &ds), CAUSA_EINVAL);
    CHECK_ERR(causa_csv_read(T, "", NULL, &ds), CAUSA_EINVAL);
}

/* ---- delimiters ---- */

TEST(csv_detect_delimiters) {
    const char *texts[] = {"a,b,c\n1,2,3\n", "a\tb\tc\n1\t2\t3\n", "a;b;c\n1;2;3\n",
                           "a b  c\n1\t2 3\n", "  a   b c  \n 1 2   3\n",
                           /* commas inside quotes do not count */
                           "\"a,x\";b;c\n\"1,5\";2;3\n"};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        causa_dataset *ds = rd(texts[k], NULL);
        if (!ds) continue;
        CHECK_INT(causa_dataset_ncol(ds), 3);
        CHECK_STR(causa_dataset_name(ds, 1), "b");
        CHECK(at(ds, 0, 2) == 3);
        causa_dataset_free(ds);
    }
    /* European style: semicolons with decimal commas (which are text, not numbers). */
    causa_dataset *ds = rd("a;b\n1,5;2\n2,5;3\n", NULL);
    if (ds) {
        CHECK_INT(causa_dataset_ncol(ds), 2);
        CHECK_INT(causa_dataset_type(ds, 0), CAUSA_DISCRETE);
        CHECK_STR(causa_dataset_level(ds, 0, 0), "1,5");
        causa_dataset_free(ds);
    }
    /* One column. */
    ds = rd("value\n1.25\n2\n", NULL);
    if (ds) {
        CHECK_INT(causa_dataset_ncol(ds), 1);
        CHECK(at(ds, 1, 0) == 2);
        causa_dataset_free(ds);
    }
}

TEST(csv_given_delimiter) {
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.delimiter = '|';
    causa_dataset *ds = rd("a|b, c\n1|2\n", &o);
    if (ds) {
        CHECK_STR(causa_dataset_name(ds, 1), "b, c");
        CHECK(at(ds, 0, 1) == 2);
        causa_dataset_free(ds);
    }
    /* Tab given: tabs are no longer blanks, so empty fields between tabs are missing. */
    o.delimiter = '\t';
    CHECK_ERR(rd_err("a\tb\n1\t\n", &o), CAUSA_EDATA);
    CHECK_STR(causa_errmsg(T),
              "t.csv:2:3: missing value ('') in column 'b'; use --missing drop to drop such rows");
    /* Whitespace given: runs of blanks separate fields. */
    o.delimiter = ' ';
    ds = rd("a  b\t c\n\t1 2 3   \n", &o);
    if (ds) {
        CHECK_INT(causa_dataset_ncol(ds), 3);
        CHECK(at(ds, 0, 0) == 1 && at(ds, 0, 2) == 3);
        causa_dataset_free(ds);
    }
}

/* ---- quoting and line ends ---- */

TEST(csv_quoting_rfc4180) {
    causa_dataset *ds = rd("\"name\",\"comment\",value\n"
                           "\"Smith, J.\",\"said \"\"hi\"\"\",1.5\n"
                           "\"Doe\",\"line one\nline two\",\"2\"\n"
                           "plain, \"spaced\" ,3\n"
                           "a\"b,\"\"\"\",4\n",
                           NULL);
    if (!ds) return;
    CHECK_INT(causa_dataset_nrow(ds), 4);
    CHECK_STR(causa_dataset_name(ds, 0), "name");
    CHECK_INT(causa_dataset_type(ds, 0), CAUSA_DISCRETE);
    CHECK_STR(causa_dataset_level(ds, 0, 0), "Smith, J.");
    CHECK_STR(causa_dataset_level(ds, 0, 2), "plain");
    CHECK_STR(causa_dataset_level(ds, 0, 3), "a\"b"); /* a quote inside a field is a character */
    CHECK_STR(causa_dataset_level(ds, 1, 0), "said \"hi\"");
    CHECK_STR(causa_dataset_level(ds, 1, 1), "line one\nline two");
    CHECK_STR(causa_dataset_level(ds, 1, 2), "spaced");
    CHECK_STR(causa_dataset_level(ds, 1, 3), "\"");
    /* A quoted number is a number. */
    CHECK_INT(causa_dataset_type(ds, 2), CAUSA_CONTINUOUS);
    CHECK(at(ds, 1, 2) == 2);
    causa_dataset_free(ds);
    /* Quoting off: quotes are ordinary characters. */
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.quote = 0;
    ds = rd("a,b\n\"x,1\n\"y,2\n", &o);
    if (ds) {
        CHECK_STR(causa_dataset_level(ds, 0, 0), "\"x");
        causa_dataset_free(ds);
    }
}

TEST(csv_crlf_bom_blank_lines) {
    causa_dataset *ds = rd("\xEF\xBB\xBF"
                           "a,b\r\n\r\n1,2\r\n  \r\n3,4\r\n\r\n\n   \n",
                           NULL);
    if (!ds) return;
    CHECK_STR(causa_dataset_name(ds, 0), "a"); /* the BOM is not part of the name */
    CHECK_INT(causa_dataset_nrow(ds), 2);
    CHECK(at(ds, 1, 1) == 4);
    causa_dataset_free(ds);
    ds = rd("\n\n  a , b \n 1 , 2 \n", NULL); /* blank lines first, blanks around fields */
    if (!ds) return;
    CHECK_STR(causa_dataset_name(ds, 1), "b");
    CHECK(at(ds, 0, 1) == 2);
    causa_dataset_free(ds);
}

/* ---- types and levels ---- */

TEST(csv_mixed_inference) {
    causa_dataset *ds = NULL;
    CHECK_OK(causa_csv_read(T, harness_data("csv/mixed.csv"), NULL, &ds));
    if (!ds) return;
    CHECK_INT(causa_dataset_nrow(ds), 6);
    CHECK_INT(causa_dataset_type(ds, 0), CAUSA_CONTINUOUS); /* age */
    CHECK_INT(causa_dataset_type(ds, 1), CAUSA_DISCRETE);   /* sex */
    CHECK_INT(causa_dataset_type(ds, 2), CAUSA_CONTINUOUS); /* grade: integers, max_levels 0 */
    CHECK_INT(causa_dataset_type(ds, 4), CAUSA_DISCRETE);   /* smoker */
    CHECK_INT(causa_dataset_nlevels(ds, 1), 2);
    CHECK_STR(causa_dataset_level(ds, 1, 0), "female"); /* first appearance */
    CHECK_STR(causa_dataset_level(ds, 1, 1), "male");
    const double sex[6] = {0, 1, 0, 1, 0, 1};
    for (int i = 0; i < 6; i++) CHECK(at(ds, i, 1) == sex[i]);
    causa_dataset_free(ds);

    causa_csv_options o;
    causa_csv_options_init(&o);
    o.max_levels = 3;
    CHECK_OK(causa_csv_read(T, harness_data("csv/mixed.csv"), &o, &ds));
    if (!ds) return;
    CHECK_INT(causa_dataset_type(ds, 2), CAUSA_DISCRETE); /* 3 distinct integers */
    CHECK_STR(causa_dataset_level(ds, 2, 0), "1");
    CHECK_STR(causa_dataset_level(ds, 2, 2), "3");
    const double grade[6] = {1, 2, 0, 1, 2, 0};
    for (int i = 0; i < 6; i++) CHECK(at(ds, i, 2) == grade[i]);
    CHECK_INT(causa_dataset_type(ds, 0), CAUSA_CONTINUOUS); /* age: 6 distinct values */
    CHECK_INT(causa_dataset_type(ds, 3), CAUSA_CONTINUOUS); /* score: not integers */
    causa_dataset_free(ds);

    /* Integer-valued means by value: 1.0 and -0 count as integers, -0 and 0 are one level. */
    ds = rd("k\n1.0\n-0\n0\n-2\n", &o);
    if (ds) {
        CHECK_INT(causa_dataset_type(ds, 0), CAUSA_DISCRETE);
        CHECK_INT(causa_dataset_nlevels(ds, 0), 3);
        CHECK_STR(causa_dataset_level(ds, 0, 0), "-2");
        CHECK_STR(causa_dataset_level(ds, 0, 1), "0");
        CHECK(at(ds, 0, 0) == 2 && at(ds, 1, 0) == 1 && at(ds, 3, 0) == 0);
        causa_dataset_free(ds);
    }
}

TEST(csv_mixed_late_text_rescans) {
    /* Column b is numeric for three rows, then text: the earlier tokens become levels in
     * order of first appearance, even though they were interned after "x". */
    causa_dataset *ds = rd("a,b\n1,10\n2,2.5\n3,10\n4,x\n5,2.5\n6,y\n", NULL);
    if (!ds) return;
    CHECK_INT(causa_dataset_type(ds, 1), CAUSA_DISCRETE);
    CHECK_INT(causa_dataset_nlevels(ds, 1), 4);
    CHECK_STR(causa_dataset_level(ds, 1, 0), "10");
    CHECK_STR(causa_dataset_level(ds, 1, 1), "2.5");
    CHECK_STR(causa_dataset_level(ds, 1, 2), "x");
    CHECK_STR(causa_dataset_level(ds, 1, 3), "y");
    const double b[6] = {0, 1, 0, 2, 1, 3};
    for (int i = 0; i < 6; i++) CHECK(at(ds, i, 1) == b[i]);
    CHECK_INT(causa_dataset_type(ds, 0), CAUSA_CONTINUOUS);
    causa_dataset_free(ds);
}

TEST(csv_rescan_with_dropped_rows) {
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.missing = CAUSA_MISSING_DROP;
    /* Row 2 is dropped (a is NA) and its b token "7" is never a level; b turns text at
     * row 4, whose row index is the one row 2 would have had. */
    causa_dataset *ds = rd("a,b\n1,5\nNA,7\n3,6\n4,t\n,u\n6,5\n", &o);
    if (!ds) return;
    CHECK_INT(causa_dataset_nrow(ds), 4);
    CHECK_INT(causa_dataset_dropped_rows(ds), 2);
    CHECK_INT(causa_dataset_nlevels(ds, 1), 3);
    CHECK_STR(causa_dataset_level(ds, 1, 0), "5");
    CHECK_STR(causa_dataset_level(ds, 1, 1), "6");
    CHECK_STR(causa_dataset_level(ds, 1, 2), "t");
    const double a[4] = {1, 3, 4, 6}, b[4] = {0, 1, 2, 0};
    for (int i = 0; i < 4; i++) {
        CHECK(at(ds, i, 0) == a[i]);
        CHECK(at(ds, i, 1) == b[i]);
    }
    causa_column_summary s;
    CHECK_OK(causa_dataset_summary(T, ds, 0, &s));
    CHECK_INT(s.missing, 2);
    causa_dataset_free(ds);
}

TEST(csv_discrete_level_order) {
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.data_type = CAUSA_DATA_DISCRETE;
    /* All numbers: numeric order (10 after 9), ties ("1" and "1.0") by first appearance. */
    causa_dataset *ds = rd("n,t\n10,b\n9,a\n1.0,c\n1,a\n", &o);
    if (!ds) return;
    CHECK_INT(causa_dataset_nlevels(ds, 0), 4);
    CHECK_STR(causa_dataset_level(ds, 0, 0), "1.0");
    CHECK_STR(causa_dataset_level(ds, 0, 1), "1");
    CHECK_STR(causa_dataset_level(ds, 0, 2), "9");
    CHECK_STR(causa_dataset_level(ds, 0, 3), "10");
    const double n[4] = {3, 2, 0, 1};
    for (int i = 0; i < 4; i++) CHECK(at(ds, i, 0) == n[i]);
    /* Text: first appearance. */
    CHECK_STR(causa_dataset_level(ds, 1, 0), "b");
    CHECK_STR(causa_dataset_level(ds, 1, 1), "a");
    CHECK_STR(causa_dataset_level(ds, 1, 2), "c");
    causa_dataset_free(ds);
}

TEST(csv_continuous_rejects_text) {
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.data_type = CAUSA_DATA_CONTINUOUS;
    CHECK_ERR(file_err("csv/text.csv", &o), CAUSA_EPARSE);
    char want[512];
    snprintf(want, sizeof want,
             "%s:3:5: expected a number in column 'y' (data type continuous), found 'abc'",
             harness_data("csv/text.csv"));
    CHECK_STR(causa_errmsg(T), want);
    /* inf and nan are not numbers; 1e5x neither */
    CHECK_ERR(rd_err("a\ninf\n", &o), CAUSA_EPARSE);
    CHECK_STR(causa_errmsg(T),
              "t.csv:2:1: expected a number in column 'a' (data type continuous), found 'inf'");
    CHECK_ERR(rd_err("a\n1e5x\n", &o), CAUSA_EPARSE);
    CHECK_ERR(rd_err("a\n0x10\n", &o), CAUSA_EPARSE);
    CHECK_ERR(rd_err("a\n1 2\n", &o), CAUSA_EPARSE); /* inner blank: one field "1 2" */
    CHECK_STR(causa_errmsg(T),
              "t.csv:2:1: expected a number in column 'a' (data type continuous), found '1 2'");
}

/* ---- missing values ---- */

TEST(csv_missing_error_names_first) {
    CHECK_ERR(file_err("csv/missing.csv", NULL), CAUSA_EDATA);
    char want[512];
    snprintf(want, sizeof want,
             "%s:4:1: missing value ('NA') in column 'Raf'; use --missing drop to drop such rows",
             harness_data("csv/missing.csv"));
    CHECK_STR(causa_errmsg(T), want);
    const char *cases[][2] = {
        {"a,b\n1,NaN\n",
         "t.csv:2:3: missing value ('NaN') in column 'b'; use --missing drop to drop such rows"},
        {"a,b\n1, ? \n",
         "t.csv:2:4: missing value ('?') in column 'b'; use --missing drop to drop such rows"},
        {"a,b\n1,\n",
         "t.csv:2:3: missing value ('') in column 'b'; use --missing drop to drop such rows"},
        {"a,b\n,1\n",
         "t.csv:2:1: missing value ('') in column 'a'; use --missing drop to drop such rows"},
        {"a,b\nx,\"\"\n",
         "t.csv:2:3: missing value ('') in column 'b'; use --missing drop to drop such rows"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        CHECK_ERR(rd_err(cases[k][0], NULL), CAUSA_EDATA);
        CHECK_STR(causa_errmsg(T), cases[k][1]);
    }
    /* A quoted marker is a value. */
    causa_dataset *ds = rd("a\n\"NA\"\nb\n", NULL);
    if (ds) {
        CHECK_STR(causa_dataset_level(ds, 0, 0), "NA");
        causa_dataset_free(ds);
    }
}

TEST(csv_missing_drop_and_marker) {
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.missing = CAUSA_MISSING_DROP;
    causa_dataset *ds = NULL;
    CHECK_OK(causa_csv_read(T, harness_data("csv/missing.csv"), &o, &ds));
    if (!ds) return;
    CHECK_INT(causa_dataset_nrow(ds), 2);
    CHECK_INT(causa_dataset_dropped_rows(ds), 3);
    CHECK(at(ds, 1, 0) == 35.9 && at(ds, 1, 2) == 12.3);
    for (int j = 0; j < 3; j++) {
        causa_column_summary s;
        CHECK_OK(causa_dataset_summary(T, ds, j, &s));
        CHECK_INT(s.missing, 1);
    }
    causa_dataset_free(ds);
    /* A numeric marker (-999) must win over the number fast path. */
    o.missing_marker = "-999";
    ds = rd("a,b\n1,-999\n2,3\n-999,4\n-9990,5\n", &o);
    if (ds) {
        CHECK_INT(causa_dataset_nrow(ds), 2);
        CHECK(at(ds, 0, 0) == 2 && at(ds, 1, 0) == -9990);
        causa_dataset_free(ds);
    }
    o.missing_marker = ".";
    o.missing = CAUSA_MISSING_ERROR;
    CHECK_ERR(rd_err("a,b\n1,.\n", &o), CAUSA_EDATA);
    CHECK_STR(causa_errmsg(T),
              "t.csv:2:3: missing value ('.') in column 'b'; use --missing drop to drop such rows");
    /* Every row dropped. */
    o.missing = CAUSA_MISSING_DROP;
    CHECK_ERR(rd_err("a,b\n1,NA\nNA,2\n", &o), CAUSA_EDATA);
    CHECK_STR(causa_errmsg(T),
              "t.csv: all 2 data rows have missing values; no data is left after dropping them");
}

/* ---- malformed input: code and full message ---- */

typedef struct bad_case {
    const char *file;
    int code;
    const char *msg; /* after "path:" */
} bad_case;

TEST(csv_malformed_files) {
    static const bad_case cases[] = {
        {"csv/ragged.csv", CAUSA_EPARSE, "3:4: expected 3 fields, found 2"},
        {"csv/ragged_more.csv", CAUSA_EPARSE, "3:7: expected 3 fields, found 5"},
        {"csv/empty.csv", CAUSA_EPARSE, "1:1: the file is empty; expected a header line"},
        {"csv/header_only.csv", CAUSA_EPARSE,
         "2:1: expected data rows after the header line, found none"},
        {"csv/dup_names.csv", CAUSA_EPARSE, "1:5: duplicate column name 'a' (columns 1 and 3)"},
        {"csv/empty_name.csv", CAUSA_EPARSE, "1:3: empty name for column 2 in the header line"},
        {"csv/nul.csv", CAUSA_EPARSE, "3:3: NUL byte in the input (is this a binary file?)"},
        {"csv/bad_utf8.csv", CAUSA_EPARSE, "1:4: invalid UTF-8 in the name of column 2"},
        {"csv/unterminated.csv", CAUSA_EPARSE,
         "2:3: unterminated quoted field: no closing \" before the end of the input"},
        {"csv/overflow.csv", CAUSA_ERANGE, "3:3: 1e400 overflows a double (column 'b')"},
        {"csv/junk_after_quote.csv", CAUSA_EPARSE,
         "1:6: expected ',' or the end of the line after the closing quote, found 'x'"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        CHECK_ERR(file_err(cases[k].file, NULL), cases[k].code);
        char want[512];
        snprintf(want, sizeof want, "%s:%s", harness_data(cases[k].file), cases[k].msg);
        CHECK_STR(causa_errmsg(T), want);
    }
}

TEST(csv_malformed_buffers) {
    static const struct {
        const char *text;
        int code;
        const char *msg;
    } cases[] = {
        {"", CAUSA_EPARSE, "t.csv:1:1: the file is empty; expected a header line"},
        {"\n \n\r\n", CAUSA_EPARSE, "t.csv:4:1: the file is empty; expected a header line"},
        {"a,b", CAUSA_EPARSE, "t.csv:1:4: expected data rows after the header line, found none"},
        {"a,b\n\n\n", CAUSA_EPARSE,
         "t.csv:4:1: expected data rows after the header line, found none"},
        {"a,b\n1,2\n3,4,\n", CAUSA_EPARSE, "t.csv:3:5: expected 2 fields, found 3"},
        {"a,b,c\n1,2,3\n4\n", CAUSA_EPARSE, "t.csv:3:2: expected 3 fields, found 1"},
        {"a,b\n1,\"x\ny\n", CAUSA_EPARSE,
         "t.csv:2:3: unterminated quoted field: no closing \" before the end of the input"},
        {"a,b\n1,\"x\"\"\n", CAUSA_EPARSE,
         "t.csv:2:3: unterminated quoted field: no closing \" before the end of the input"},
        {"a,\"b\" c\n1,2\n", CAUSA_EPARSE,
         "t.csv:1:7: expected ',' or the end of the line after the closing quote, found 'c'"},
        {"a,b\n1,-1e309\n", CAUSA_ERANGE, "t.csv:2:3: -1e309 overflows a double (column 'b')"},
        {"a,b\n1,\"2e999\"\n", CAUSA_ERANGE, "t.csv:2:3: 2e999 overflows a double (column 'b')"},
        {"x,\"x\"\n1,2\n", CAUSA_EPARSE, "t.csv:1:3: duplicate column name 'x' (columns 1 and 2)"},
        {"a,\"\"\n1,2\n", CAUSA_EPARSE, "t.csv:1:3: empty name for column 2 in the header line"},
        {"a,b\n1,caf\xC3\n", CAUSA_EPARSE, "t.csv:2:6: invalid UTF-8 in a value of column 'b'"},
        {"a,\xC0\xAF\n1,2\n", CAUSA_EPARSE, "t.csv:1:3: invalid UTF-8 in the name of column 2"},
        {"a,\xED\xA0\x80\n1,2\n", CAUSA_EPARSE, "t.csv:1:3: invalid UTF-8 in the name of column 2"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        CHECK_ERR(rd_err(cases[k].text, NULL), cases[k].code);
        CHECK_STR(causa_errmsg(T), cases[k].msg);
    }
    /* NUL inside a buffer (strlen would stop at it). */
    causa_dataset *ds = NULL;
    CHECK_ERR(causa_csv_read_buffer(T, "t.csv", "a,b\n1,\0\n", 8, NULL, &ds), CAUSA_EPARSE);
    CHECK_STR(causa_errmsg(T), "t.csv:2:3: NUL byte in the input (is this a binary file?)");
    CHECK(ds == NULL);
    /* Long tokens are cut in messages. */
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.data_type = CAUSA_DATA_CONTINUOUS;
    CHECK_ERR(rd_err("a\nabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\n", &o),
              CAUSA_EPARSE);
    CHECK_STR(causa_errmsg(T), "t.csv:2:1: expected a number in column 'a' (data type continuous), "
                               "found 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn...'");
}

TEST(csv_io_errors) {
    causa_dataset *ds = (causa_dataset *)&ds;
    CHECK_ERR(causa_csv_read(T, "no/such/file.csv", NULL, &ds), CAUSA_EIO);
    CHECK_STR(causa_errmsg(T), "cannot open 'no/such/file.csv': No such file or directory");
    CHECK(ds == NULL);
    CHECK_ERR(causa_csv_read(T, harness_tmpdir(), NULL, &ds), CAUSA_EIO);
    CHECK_CONTAINS(causa_errmsg(T), "Is a directory");
}

TEST(csv_overflow_decided_on_the_whole_column) {
    /* In mixed mode "1e400" before a text token is a level, not an error... */
    causa_dataset *ds = rd("a,b\n1,1e400\n2,x\n", NULL);
    if (ds) {
        CHECK_INT(causa_dataset_type(ds, 1), CAUSA_DISCRETE);
        CHECK_STR(causa_dataset_level(ds, 1, 0), "1e400");
        causa_dataset_free(ds);
    }
    /* ... and in a column that stays numeric, the first overflow of the file is named. */
    CHECK_ERR(rd_err("a,b\n1,2\n3,1e400\n1e999,5\n", NULL), CAUSA_ERANGE);
    CHECK_STR(causa_errmsg(T), "t.csv:3:3: 1e400 overflows a double (column 'b')");
    CHECK_ERR(rd_err("a,b\n1,\"-1e400\"\n", NULL), CAUSA_ERANGE);
    CHECK_STR(causa_errmsg(T), "t.csv:2:3: -1e400 overflows a double (column 'b')");
}

TEST(csv_delimiter_that_looks_numeric) {
    /* A delimiter that could continue a number must split it. */
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.delimiter = '.';
    causa_dataset *ds = rd("a.b\n1.5\n-2.-3\n", &o);
    if (!ds) return;
    CHECK_INT(causa_dataset_ncol(ds), 2);
    CHECK(at(ds, 0, 0) == 1 && at(ds, 0, 1) == 5 && at(ds, 1, 1) == -3);
    causa_dataset_free(ds);
    o.delimiter = 'e';
    ds = rd("xey\n1e5\n", &o);
    if (!ds) return;
    CHECK(at(ds, 0, 0) == 1 && at(ds, 0, 1) == 5);
    causa_dataset_free(ds);
}

TEST(csv_underflow_is_not_an_error) {
    causa_dataset *ds = rd("a\n1e-400\n4.9e-324\n", NULL);
    if (!ds) return;
    CHECK(at(ds, 0, 0) == 0);
    CHECK(at(ds, 1, 0) > 0 && at(ds, 1, 0) < 1e-323);
    causa_dataset_free(ds);
}

/* ---- round trips ---- */

static double random_value(causa_rng *g, int kind) {
    switch (kind % 6) {
    case 0: return causa_rng_normal(g);
    case 1: return (double)(int64_t)(causa_rng_below(g, 2000000) - 1000000);
    case 2: return causa_rng_normal(g) * pow(10, (double)causa_rng_below(g, 600) - 300);
    case 3: { /* any finite bit pattern, subnormals included */
        double x;
        do {
            uint64_t b = causa_rng_u64(g);
            memcpy(&x, &b, sizeof x);
        } while (!isfinite(x));
        return x;
    }
    case 4: return round(causa_rng_normal(g) * 1000) / 1000;
    default: return causa_rng_uniform(g) * 1e-5;
    }
}

TEST(csv_write_read_round_trip_bits) {
    const int64_t n = 3000, p = 6;
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, n, p, &ds));
    causa_rng g;
    causa_rng_init(&g, 2385, 0);
    double *x = causa_dataset_data_mut(ds);
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < n; i++) x[j * n + i] = random_value(&g, (int)j);
    x[0] = -0.0;
    x[1] = 0x1p-1074;
    x[2] = 1.7976931348623157e308;
    char path[512];
    snprintf(path, sizeof path, "%s/round.csv", harness_tmpdir());
    CHECK_OK(causa_csv_write(T, ds, path));
    causa_dataset *back = NULL;
    CHECK_OK(causa_csv_read(T, path, NULL, &back));
    if (back) {
        CHECK_INT(causa_dataset_nrow(back), n);
        CHECK_INT(causa_dataset_ncol(back), p);
        CHECK_STR(causa_dataset_name(back, 5), "X6");
        CHECK(memcmp(causa_dataset_data(back), x, (size_t)(n * p) * sizeof(double)) == 0);
        causa_dataset_free(back);
    }
    causa_dataset_free(ds);
}

TEST(csv_write_read_round_trip_levels) {
    /* Names and levels that need quoting survive a round trip. */
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, 6, 3, &ds));
    CHECK_OK(causa_dataset_set_name(T, ds, 0, "a, \"quoted\" name"));
    CHECK_OK(causa_dataset_set_name(T, ds, 1, " padded "));
    double *x = causa_dataset_data_mut(ds);
    const char *lv[6] = {"NA", "x,y", "two\nlines", " lead", "say \"q\"", "?"};
    for (int i = 0; i < 6; i++) {
        x[i] = i;
        x[6 + i] = 0.25 * i;
        x[12 + i] = 5 - i;
    }
    CHECK_OK(causa_dataset_set_discrete(T, ds, 0, 6, lv));
    CHECK_OK(causa_dataset_set_discrete(T, ds, 2, 6, lv));
    char path[512];
    snprintf(path, sizeof path, "%s/levels.csv", harness_tmpdir());
    CHECK_OK(causa_csv_write(T, ds, path));
    causa_dataset *back = NULL;
    CHECK_OK(causa_csv_read(T, path, NULL, &back));
    if (back) {
        CHECK_STR(causa_dataset_name(back, 0), "a, \"quoted\" name");
        CHECK_STR(causa_dataset_name(back, 1), " padded ");
        CHECK_INT(causa_dataset_type(back, 0), CAUSA_DISCRETE);
        CHECK_INT(causa_dataset_type(back, 1), CAUSA_CONTINUOUS);
        for (int i = 0; i < 6; i++) {
            CHECK_STR(causa_dataset_level(back, 0, i), lv[i]);
            CHECK(at(back, i, 0) == i);
            CHECK(at(back, i, 1) == 0.25 * i);
            /* column 2 is read in order of appearance: lv[5], lv[4], ... */
            CHECK_STR(causa_dataset_level(back, 2, (int64_t)at(back, i, 2)), lv[5 - i]);
        }
        causa_dataset_free(back);
    }
    /* Standard output and an unwritable path. */
    CHECK_ERR(causa_csv_write(T, ds, "no/such/dir/x.csv"), CAUSA_EIO);
    CHECK_CONTAINS(causa_errmsg(T), "cannot create a temporary file beside 'no/such/dir/x.csv'");
    CHECK_ERR(causa_csv_write(T, NULL, path), CAUSA_EMISUSE);
    causa_dataset_free(ds);
}

TEST(csv_write_exact_text) {
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, 3, 2, &ds));
    double *x = causa_dataset_data_mut(ds);
    x[0] = 0.1, x[1] = -2, x[2] = 1e21, x[3] = 1.0 / 3, x[4] = 123456.5, x[5] = 5e-324;
    char path[512];
    snprintf(path, sizeof path, "%s/exact.csv", harness_tmpdir());
    CHECK_OK(causa_csv_write(T, ds, path));
    FILE *f = fopen(path, "rb");
    char text[256] = {0};
    if (f) {
        size_t r = fread(text, 1, sizeof text - 1, f);
        text[r] = '\0';
        fclose(f);
    }
    CHECK_STR(text, "X1,X2\n0.1,0.3333333333333333\n-2,123456.5\n1e+21,4.94065645841247e-324\n");
    causa_dataset_free(ds);
}

/* ---- memory, progress, interruption ---- */

static char *make_numeric_csv(int64_t n, int64_t p, size_t *len) {
    size_t cap = (size_t)(n + 1) * (size_t)p * 24 + 64, k = 0;
    char *t = malloc(cap);
    if (!t) return NULL;
    for (int64_t j = 0; j < p; j++)
        k += (size_t)snprintf(t + k, cap - k, "%sv%lld", j ? "," : "", (long long)j);
    t[k++] = '\n';
    causa_rng g;
    causa_rng_init(&g, 7, 1);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < p; j++)
            k += (size_t)snprintf(t + k, cap - k, "%.6g%c", causa_rng_normal(&g),
                                  j + 1 < p ? ',' : '\n');
    *len = k;
    return t;
}

TEST(csv_peak_memory_is_the_matrix) {
    const int64_t n = 20000, p = 20;
    size_t len;
    char *text = make_numeric_csv(n, p, &len);
    CHECK(text != NULL);
    if (!text) return;
    char path[512];
    snprintf(path, sizeof path, "%s/big.csv", harness_tmpdir());
    CHECK_OK(causa_write_file(T, path, text, len));
    free(text);
    causa_ctx *ctx = harness_ctx();
    causa_dataset *ds = NULL;
    CHECK_INT(causa_csv_read(ctx, path, NULL, &ds), CAUSA_OK);
    if (!ds) return;
    size_t matrix = (size_t)(n * p) * sizeof(double);
    CHECK(causa_ctx_peak_bytes(ctx) < matrix + matrix / 2);
    CHECK(causa_ctx_peak_bytes(ctx) < matrix + 65536); /* in fact: the matrix and a little */
    CHECK_INT(causa_dataset_nrow(ds), n);
    causa_dataset_free(ds);
}

static double last_done, last_total;
static int progress_calls;
static void on_progress(void *ud, const char *what, double done, double total) {
    (void)ud;
    CHECK_STR(what, "CSV bytes");
    CHECK(done >= last_done);
    last_done = done;
    last_total = total;
    progress_calls++;
}
static int stop_after(void *ud) { return progress_calls >= *(int *)ud; }

TEST(csv_progress_and_interrupt) {
    size_t len;
    char *text = make_numeric_csv(100000, 10, &len); /* about 10 MB */
    CHECK(text != NULL);
    if (!text) return;
    causa_ctx_set_progress(T, on_progress, NULL);
    causa_dataset *ds = NULL;
    CHECK_OK(causa_csv_read_buffer(T, "big", text, len, NULL, &ds));
    CHECK(progress_calls >= 2);
    CHECK(last_done == last_total && last_total == (double)len);
    causa_dataset_free(ds);
    progress_calls = 0;
    last_done = 0;
    int limit = 1;
    causa_ctx_set_interrupt(T, stop_after, &limit);
    CHECK_ERR(causa_csv_read_buffer(T, "big", text, len, NULL, &ds), CAUSA_EINTERRUPTED);
    CHECK(ds == NULL);
    causa_ctx_set_interrupt(T, NULL, NULL);
    causa_ctx_set_progress(T, NULL, NULL);
    free(text);
}

/* ---- out of memory ---- */

static const char oom_text[] = "id,group,score,flag,note\n"
                               "1,a,2.5,0,\"x \"\"q\"\"\"\n"
                               "2,b,NA,1,y\n"
                               "3,a,3.25,1,\"z,w\"\n"
                               "4,c,1e3,0,y\n"
                               "5,b,7,oops,v\n";

static int oom_read(causa_ctx *ctx, void *ud) {
    (void)ud;
    causa_csv_options o;
    causa_csv_options_init(&o);
    o.missing = CAUSA_MISSING_DROP;
    o.max_levels = 5;
    causa_dataset *ds = NULL;
    int rc = causa_csv_read_buffer(ctx, "oom", oom_text, sizeof oom_text - 1, &o, &ds);
    if (rc == CAUSA_OK) {
        /* flag turned text at the last row: the rescan ran */
        if (causa_dataset_type(ds, 3) != CAUSA_DISCRETE || causa_dataset_nlevels(ds, 3) != 3)
            rc = CAUSA_EINTERNAL;
        if (causa_dataset_type(ds, 0) != CAUSA_DISCRETE) rc = CAUSA_EINTERNAL; /* max_levels */
    }
    causa_dataset_free(ds);
    return rc;
}

TEST(csv_read_oom_sweep) {
    int n = harness_oom_sweep("csv read", oom_read, NULL);
    CHECK(n > 20);
}

static int oom_write(causa_ctx *ctx, void *ud) {
    causa_dataset *ds = NULL;
    int rc = causa_csv_read_buffer(ctx, "oom", oom_text, sizeof oom_text - 1, NULL, &ds);
    if (rc == CAUSA_EDATA) { /* the NA: read again dropping it */
        causa_csv_options o;
        causa_csv_options_init(&o);
        o.missing = CAUSA_MISSING_DROP;
        rc = causa_csv_read_buffer(ctx, "oom", oom_text, sizeof oom_text - 1, &o, &ds);
    }
    if (rc == CAUSA_OK) rc = causa_csv_write(ctx, ds, (const char *)ud);
    causa_dataset_free(ds);
    return rc;
}

TEST(csv_write_oom_sweep) {
    char path[512];
    snprintf(path, sizeof path, "%s/oom.csv", harness_tmpdir());
    int n = harness_oom_sweep("csv write", oom_write, path);
    CHECK(n > 20);
}

/* ---- the number parser ---- */

static void check_parse(const char *s, long *bad) {
    double want = strtod(s, NULL), got;
    const char *stop;
    int st = causa_i_parse_double(s, s + strlen(s), &got, &stop);
    if (st != CAUSA_I_NUM_OK || *stop != '\0' || memcmp(&want, &got, sizeof want) != 0) {
        if (++*bad <= 5)
            harness_fail(__FILE__, __LINE__, "'%s': got %.17g, strtod %.17g", s, got, want);
    }
}

TEST(parse_double_matches_strtod_million) {
    causa_rng g;
    causa_rng_init(&g, 42, 3);
    char buf[64];
    long bad = 0;
    /* 1,000,000 values: %.17g and %.6g of normals, of values over the whole exponent range,
     * and of arbitrary bit patterns. */
    for (int i = 0; i < 250000; i++) {
        double x = causa_rng_normal(&g);
        snprintf(buf, sizeof buf, "%.17g", x);
        check_parse(buf, &bad);
        snprintf(buf, sizeof buf, "%.6g", x);
        check_parse(buf, &bad);
        double y = random_value(&g, 2 + (i & 1));
        snprintf(buf, sizeof buf, "%.17g", y);
        check_parse(buf, &bad);
        snprintf(buf, sizeof buf, "%.6g", y);
        check_parse(buf, &bad);
    }
    CHECK_INT(bad, 0);
}

TEST(parse_double_hard_cases) {
    static const char *const ok[] = {
        "0",
        "-0",
        "+0.0",
        "1.",
        ".5",
        "-.5e-3",
        "00012.50",
        "1E5",
        "1e+5",
        "7e22",
        "7e23",
        "9007199254740993",
        "9007199254740992.5",
        "123456789012345678901234567890",
        "2.2250738585072011e-308",
        "2.2250738585072014e-308",
        "4.9406564584124654e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "1.7976931348623157e308",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        "1e-400",
        "0e99999999999999999999",
        "0.000000000000000000000000000000000000000000000000000000000000000000000000000001e78",
        ("3.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
         "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
         "1"),
    };
    long bad = 0;
    for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++) check_parse(ok[k], &bad);
    CHECK_INT(bad, 0);
    /* Not numbers, or numbers followed by something else. */
    static const struct {
        const char *s;
        int st;
        int len; /* length of the number prefix */
    } pre[] = {{"", 0, 0},     {".", 0, 0},   {"-", 0, 0},   {"e5", 0, 0},    {"inf", 0, 0},
               {"nan", 0, 0},  {"NaN", 0, 0}, {"1e", 1, 1},  {"1e+", 1, 1},   {"1.5x", 1, 3},
               {"0x10", 1, 1}, {"1,5", 1, 1}, {"--1", 0, 0}, {"1e400", 2, 5}, {"-1e400", 2, 6}};
    for (size_t k = 0; k < sizeof pre / sizeof pre[0]; k++) {
        double v;
        const char *stop, *s = pre[k].s;
        int st = causa_i_parse_double(s, s + strlen(s), &v, &stop);
        CHECK_INT(st, pre[k].st);
        CHECK_INT(stop - s, pre[k].len);
    }
    /* The parser never reads past `end`. */
    const char digits[4] = {'1', '2', '3', '4'};
    double v;
    const char *stop;
    CHECK_INT(causa_i_parse_double(digits, digits + 2, &v, &stop), CAUSA_I_NUM_OK);
    CHECK(v == 12 && stop == digits + 2);
}

/* The rule as specified: the first of %.15g, %.16g, %.17g that strtod reads back exactly. */
static int reference_format(char *buf, double x) {
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, 40, "%.*g", prec, x);
        double back = strtod(buf, NULL);
        if (memcmp(&back, &x, sizeof x) == 0) break;
    }
    return n;
}

TEST(format_double_matches_the_snprintf_rule) {
    /* causa_i_format_double prints 17 digits once and rounds them itself; it must give
     * exactly the text of the rule (integers below 2^53 excepted: plain digits). */
    causa_rng g;
    causa_rng_init(&g, 77, 2);
    char got[40], want[40];
    long bad = 0, halfway = 0;
    for (int i = 0; i < 400000; i++) {
        double x = random_value(&g, i % 4 == 1 ? 4 : i);
        if (i % 7 == 0) x = (double)(int64_t)(causa_rng_normal(&g) * 1e6) / 1e3; /* few digits */
        if (!isfinite(x) ||
            (fabs(x) < 9007199254740992.0 && x == floor(x) && !(x == 0 && signbit(x))))
            continue;
        causa_i_format_double(got, x);
        reference_format(want, x);
        char e[40];
        snprintf(e, sizeof e, "%.16e", fabs(x));
        halfway += e[16] == '5' && e[17] == '0';
        if (strcmp(got, want) != 0 && ++bad <= 5)
            harness_fail(__FILE__, __LINE__, "%.17g: got '%s', the rule gives '%s'", x, got, want);
    }
    CHECK_INT(bad, 0);
    CHECK(halfway > 100); /* the half-way fallback was exercised */
}

TEST(format_double_shortest) {
    char buf[40];
    static const struct {
        double x;
        const char *s;
    } cases[] = {{0.1, "0.1"},
                 {1.0 / 3, "0.3333333333333333"},
                 {2.0 / 3, "0.6666666666666666"},
                 {-0.0, "-0"},
                 {100, "100"},
                 {1e300, "1e+300"},
                 {123456789012345678.0, "1.2345678901234568e+17"},
                 {9007199254740991.0, "9007199254740991"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        causa_i_format_double(buf, cases[k].x);
        CHECK_STR(buf, cases[k].s);
    }
    causa_rng g;
    causa_rng_init(&g, 5, 5);
    for (int i = 0; i < 20000; i++) {
        double x = random_value(&g, i), y;
        int n = causa_i_format_double(buf, x);
        const char *stop;
        CHECK(causa_i_parse_double(buf, buf + n, &y, &stop) == CAUSA_I_NUM_OK);
        CHECK(memcmp(&x, &y, sizeof x) == 0);
    }
}
