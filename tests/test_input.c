/*
 * test_input.c - unit tests for the input reader and record framer.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "s2q/input.h"

/* The reader's first read fills its whole initial buffer of 512 KiB. */
#define FIRST_FILL ((size_t)512 * 1024)
#define MAX_WANT 8
#define DESC_SIZE 512

/* One record expected from the framer. */
struct want {
    enum s2q_frame frame;
    unsigned long line;   /* 0 ends a list */
    const char *text;
};

/* An input and the records it frames into, then S2Q_NEXT_END. */
struct frame_case {
    const char *name;
    const char *input;
    struct want want[MAX_WANT];
};

/* Everything a spill callback received. */
struct spill_log {
    unsigned long line;     /* line given with the last call */
    char *data;
    size_t len;
    size_t cap;
    size_t calls;
    size_t firsts;          /* calls with first == true */
    bool first_call_first;  /* the first call had first == true */
};

/* A generated input and where its records are. */
struct corpus {
    char *data;
    size_t len;
    size_t n;
    size_t *start;
    size_t *size;
    unsigned long *line;
};

/* Write n bytes to a new temporary file; return its malloc'd path. */
static char *write_temp(const void *data, size_t n)
{
    char *path = strdup("/tmp/test_input_XXXXXX");
    int fd;

    assert_non_null(path);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
    return path;
}

/* Append n bytes to path as one gzip member (mode "wb" or "ab"). */
static void write_gz(const char *path, const char *mode, const char *data,
                     size_t n)
{
    gzFile gz = gzopen(path, mode);

    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, data, (unsigned)n), (int)n);
    assert_int_equal(gzclose(gz), Z_OK);
}

/* A new temporary path for a gzip file (the file exists, empty). */
static char *temp_path(void)
{
    return write_temp("", 0);
}

/* Remove the temporary file and free its path. */
static void drop_temp(char *path)
{
    assert_int_equal(unlink(path), 0);
    free(path);
}

/* Size of the file at path. */
static size_t file_size(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return (size_t)st.st_size;
}

/* Change one byte of the file at path: set some bits, flip others. */
static void poke(const char *path, size_t at, unsigned char set_bits,
                 unsigned char flip_bits)
{
    int fd = open(path, O_RDWR);
    unsigned char c;

    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &c, 1, (off_t)at), 1);
    c = (unsigned char)((c | set_bits) ^ flip_bits);
    assert_int_equal(pwrite(fd, &c, 1, (off_t)at), 1);
    assert_int_equal(close(fd), 0);
}

/* Name of a frame, for messages. */
static const char *frame_name(enum s2q_frame f)
{
    switch (f) {
    case S2Q_FRAME_OK:
        return "OK";
    case S2Q_FRAME_OVERSIZE:
        return "OVERSIZE";
    case S2Q_FRAME_CUT:
        return "CUT";
    }
    return "?";
}

/* Describe one record in out, so a mismatch names the case. */
static void describe(char *out, const char *name, size_t i,
                     enum s2q_frame frame, unsigned long line,
                     const char *text, size_t len)
{
    snprintf(out, DESC_SIZE, "%s #%zu: %s line %lu [%.*s]", name, i,
             frame_name(frame), line, (int)len, text == NULL ? "" : text);
}

/* Frame c->input and check every record against c->want. */
static void check_case(const struct frame_case *c)
{
    struct s2q_input_opts opts = { 1024 * 1024, NULL, NULL };
    char *path = write_temp(c->input, strlen(c->input));
    struct s2q_input *in = s2q_input_open(path, &opts);
    struct s2q_record rec;
    char want[DESC_SIZE];
    char got[DESC_SIZE];
    size_t i;

    assert_non_null(in);
    for (i = 0; i < MAX_WANT && c->want[i].line != 0; i++) {
        describe(want, c->name, i, c->want[i].frame, c->want[i].line,
                 c->want[i].text, strlen(c->want[i].text));
        if (s2q_input_next(in, &rec) != S2Q_NEXT_RECORD) {
            snprintf(got, sizeof got, "%s #%zu: no record", c->name, i);
        } else {
            describe(got, c->name, i, rec.frame, rec.line, rec.data,
                     rec.len);
            assert_int_equal(rec.size, rec.len);
        }
        assert_string_equal(got, want);
    }
    snprintf(want, sizeof want, "%s: end", c->name);
    snprintf(got, sizeof got, "%s: %s", c->name,
             s2q_input_next(in, &rec) == S2Q_NEXT_END ? "end" : "more");
    assert_string_equal(got, want);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
    assert_string_equal(s2q_input_error(in), "");
    s2q_input_close(in);
    drop_temp(path);
}

/* Check every case of a table. */
static void check_cases(const struct frame_case *cases, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        check_case(&cases[i]);
    }
}

/* Spill callback: append the bytes to a struct spill_log. */
static void log_spill(void *ctx, const char *p, size_t n, bool first,
                      unsigned long line)
{
    struct spill_log *log = ctx;

    log->line = line;
    if (log->calls == 0) {
        log->first_call_first = first;
    }
    log->calls++;
    log->firsts += first;
    if (log->len + n > log->cap) {
        log->cap = (log->len + n) * 2;
        log->data = realloc(log->data, log->cap);
        assert_non_null(log->data);
    }
    memcpy(log->data + log->len, p, n);
    log->len += n;
}

/* Append a record to a corpus being built. */
static void corpus_add(struct corpus *c, size_t start, size_t size,
                       unsigned long line)
{
    c->start = realloc(c->start, (c->n + 1) * sizeof *c->start);
    c->size = realloc(c->size, (c->n + 1) * sizeof *c->size);
    c->line = realloc(c->line, (c->n + 1) * sizeof *c->line);
    assert_non_null(c->start);
    assert_non_null(c->size);
    assert_non_null(c->line);
    c->start[c->n] = start;
    c->size[c->n] = size;
    c->line[c->n] = line;
    c->n++;
}

/*
 * Build about target bytes of records of varied length: JSON lines with
 * LF or CRLF, some pretty-printed over several lines, strings holding
 * escapes and brackets.
 */
static void corpus_make(struct corpus *c, size_t target)
{
    unsigned long line = 1;
    size_t cap = target + 4096;
    size_t i;
    size_t at;
    int n;

    memset(c, 0, sizeof *c);
    c->data = malloc(cap);
    assert_non_null(c->data);
    for (i = 0; c->len < target; i++) {
        at = c->len;
        if (i % 7 == 3) {
            n = snprintf(c->data + at, cap - at,
                         "{\n  \"i\": %zu,\n  \"a\": [\n    \"}\\\"]\"\n"
                         "  ]\n}", i);
        } else {
            n = snprintf(c->data + at, cap - at,
                         "{\"i\":%zu,\"p\":\"C:\\\\x\\\"{[%*s\"}", i,
                         (int)(i * 37 % 1500), "");
        }
        assert_true(n > 0 && (size_t)n < cap - at);
        if (i % 7 != 3) {
            memset(c->data + at + n - 2 - i * 37 % 1500, 'y',
                   i * 37 % 1500);
        }
        corpus_add(c, at, (size_t)n, line);
        line += i % 7 == 3 ? 6 : 1;
        c->len = at + (size_t)n;
        memcpy(c->data + c->len, i % 2 ? "\r\n" : "\n", 2);
        c->len += i % 2 ? 2 : 1;
    }
}

/* Free what corpus_make allocated. */
static void corpus_free(struct corpus *c)
{
    free(c->data);
    free(c->start);
    free(c->size);
    free(c->line);
}

/*
 * Read path and check that it frames into the first n records of c, then
 * returns want_end (twice) with the error text want_error.
 */
static void check_corpus(const char *path, const struct corpus *c,
                         size_t n, enum s2q_next want_end,
                         const char *want_error)
{
    struct s2q_input_opts opts = { 1024 * 1024, NULL, NULL };
    struct s2q_input *in = s2q_input_open(path, &opts);
    struct s2q_record rec;
    size_t i;

    assert_non_null(in);
    for (i = 0; i < n; i++) {
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, S2Q_FRAME_OK);
        assert_int_equal(rec.line, c->line[i]);
        assert_int_equal(rec.len, c->size[i]);
        assert_int_equal(rec.size, c->size[i]);
        assert_memory_equal(rec.data, c->data + c->start[i], rec.len);
    }
    assert_int_equal(s2q_input_next(in, &rec), want_end);
    assert_int_equal(s2q_input_next(in, &rec), want_end);
    assert_string_equal(s2q_input_error(in), want_error);
    s2q_input_close(in);
}

/* Bytes zlib delivers from path before it stops (at the end or a fault). */
static size_t gz_delivered(const char *path)
{
    gzFile gz = gzopen(path, "rb");
    char buf[65536];
    size_t total = 0;
    int n;

    assert_non_null(gz);
    n = gzread(gz, buf, sizeof buf);
    while (n > 0) {
        total += (size_t)n;
        n = gzread(gz, buf, sizeof buf);
    }
    gzclose(gz);
    return total;
}

/* Records of c that end within its first n bytes. */
static size_t records_within(const struct corpus *c, size_t n)
{
    size_t i = 0;

    while (i < c->n && c->start[i] + c->size[i] <= n) {
        i++;
    }
    return i;
}

static void test_input_open_missing_file_sets_enoent(void **state)
{
    struct s2q_input_opts opts = { 100, NULL, NULL };

    (void)state;
    errno = 0;
    assert_null(s2q_input_open("/tmp/test_input_no_such_file/x", &opts));
    assert_int_equal(errno, ENOENT);
}

static void test_input_next_frames_json_lines(void **state)
{
    static const struct frame_case cases[] = {
        { "lf", "{\"a\":1}\n{\"b\":2}\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" } } },
        { "crlf", "{\"a\":1}\r\n{\"b\":2}\r\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" } } },
        { "blank lines, no final newline",
          "\n\n{\"a\":1}\n\r\n   \n\t{\"b\":2}",
          { { S2Q_FRAME_OK, 3, "{\"a\":1}" },
            { S2Q_FRAME_OK, 6, "{\"b\":2}" } } },
        { "bom", "\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" } } },
        { "bom of concatenated files",
          "{\"a\":1}\n\xEF\xBB\xBF{\"b\":2}\n\xEF\xBB\xBF\xEF\xBB\xBF"
          "\n{\"c\":3}",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" },
            { S2Q_FRAME_OK, 4, "{\"c\":3}" } } },
        { "several on one line", "{\"a\":1}{\"b\":2} \t{\"c\":{}}\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, "{\"b\":2}" },
            { S2Q_FRAME_OK, 1, "{\"c\":{}}" } } },
        { "empty object", "{}\n",
          { { S2Q_FRAME_OK, 1, "{}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_frames_arrays(void **state)
{
    static const struct frame_case cases[] = {
        { "one line", "[{\"a\":1},{\"b\":2}]\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, "{\"b\":2}" } } },
        { "pretty",
          "[\n  {\n    \"a\": 1,\n    \"b\": [\n      2\n    ]\n  },\n"
          "  {\n    \"c\": \"}\"\n  }\n]\n",
          { { S2Q_FRAME_OK, 2,
              "{\n    \"a\": 1,\n    \"b\": [\n      2\n    ]\n  }" },
            { S2Q_FRAME_OK, 8, "{\n    \"c\": \"}\"\n  }" } } },
        { "array then lines",
          "[{\"a\":1},\r\n{\"b\":2}]\n{\"c\":3}\n{\"d\":4}\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" },
            { S2Q_FRAME_OK, 3, "{\"c\":3}" },
            { S2Q_FRAME_OK, 4, "{\"d\":4}" } } },
        { "empty arrays", "[]\n[ \n]\n{\"a\":1}\n",
          { { S2Q_FRAME_OK, 4, "{\"a\":1}" } } },
        { "lines of arrays", "[{\"a\":1}]\n[{\"b\":2},{\"c\":3}]\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" },
            { S2Q_FRAME_OK, 2, "{\"c\":3}" } } },
        { "extra commas and a bom", "[,{\"a\":1},,\xEF\xBB\xBF{\"b\":2},]",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, "{\"b\":2}" } } },
        { "array never closed", "[\n{\"a\":1},\n",
          { { S2Q_FRAME_OK, 2, "{\"a\":1}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_frames_pretty_objects(void **state)
{
    static const struct frame_case cases[] = {
        { "concatenated",
          "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n{\n  \"c\": 2\n}\n",
          { { S2Q_FRAME_OK, 1, "{\n  \"a\": {\n    \"b\": 1\n  }\n}" },
            { S2Q_FRAME_OK, 6, "{\n  \"c\": 2\n}" } } },
        { "crlf", "{\r\n  \"a\": 1\r\n}\r\n\r\n{\r\n  \"b\": 2\r\n}",
          { { S2Q_FRAME_OK, 1, "{\r\n  \"a\": 1\r\n}" },
            { S2Q_FRAME_OK, 5, "{\r\n  \"b\": 2\r\n}" } } },
        { "indented brace stays nested", "{\"a\":\n  {\"b\":2}}\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":\n  {\"b\":2}}" } } },
        { "bracket in first column stays nested", "{\"a\":\n[1]}\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":\n[1]}" } } },
        { "closing brace in first column", "{\"a\":[\n1\n]\n}{\"b\":2}",
          { { S2Q_FRAME_OK, 1, "{\"a\":[\n1\n]\n}" },
            { S2Q_FRAME_OK, 4, "{\"b\":2}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_tracks_strings_and_escapes(void **state)
{
    static const struct frame_case cases[] = {
        { "escaped quote", "{\"a\":\"x\\\"}y\"}\n{\"b\":1}\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":\"x\\\"}y\"}" },
            { S2Q_FRAME_OK, 2, "{\"b\":1}" } } },
        { "brackets in strings", "{\"}]{[\":\"]}[{\"}\n",
          { { S2Q_FRAME_OK, 1, "{\"}]{[\":\"]}[{\"}" } } },
        { "escaped backslash before quote", "{\"a\":\"\\\\\"}\n[\"\\\\\"]",
          { { S2Q_FRAME_OK, 1, "{\"a\":\"\\\\\"}" },
            { S2Q_FRAME_OK, 2, "\"\\\\\"" } } },
        { "backslashes then escaped quote", "{\"a\":\"\\\\\\\"}\"}",
          { { S2Q_FRAME_OK, 1, "{\"a\":\"\\\\\\\"}\"}" } } },
        { "unicode escape and raw cr", "{\"a\":\"\\u0022\r{\"}\n",
          { { S2Q_FRAME_OK, 1, "{\"a\":\"\\u0022\r{\"}" } } },
        { "long string", "{\"a\":\"0123456789abcdef0123456789\\\"x\"}",
          { { S2Q_FRAME_OK, 1,
              "{\"a\":\"0123456789abcdef0123456789\\\"x\"}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_frames_non_object_values(void **state)
{
    static const struct frame_case cases[] = {
        { "scalars on lines", "42\n\"str\"\ntrue\nnull\n-1.5e3\n",
          { { S2Q_FRAME_OK, 1, "42" },
            { S2Q_FRAME_OK, 2, "\"str\"" },
            { S2Q_FRAME_OK, 3, "true" },
            { S2Q_FRAME_OK, 4, "null" },
            { S2Q_FRAME_OK, 5, "-1.5e3" } } },
        { "array elements", "[1, \"two\" ,null,[3,[4]],{\"a\":5}]",
          { { S2Q_FRAME_OK, 1, "1" },
            { S2Q_FRAME_OK, 1, "\"two\"" },
            { S2Q_FRAME_OK, 1, "null" },
            { S2Q_FRAME_OK, 1, "[3,[4]]" },
            { S2Q_FRAME_OK, 1, "{\"a\":5}" } } },
        { "pretty array of scalars", "[\n  1,\n  true\n]\n",
          { { S2Q_FRAME_OK, 2, "1" },
            { S2Q_FRAME_OK, 3, "true" } } },
        { "scalar at end of input", "{\"a\":1}\nfalse",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, "false" } } },
        { "scalar before an object", "nul{\"a\":1}",
          { { S2Q_FRAME_OK, 1, "nul" },
            { S2Q_FRAME_OK, 1, "{\"a\":1}" } } },
        { "word then string", "xyz\"q\" \"r\\\"\"\n",
          { { S2Q_FRAME_OK, 1, "xyz" },
            { S2Q_FRAME_OK, 1, "\"q\"" },
            { S2Q_FRAME_OK, 1, "\"r\\\"\"" } } },
        { "lone bom start byte", "\xEF{}\n\xEF\xBB",
          { { S2Q_FRAME_OK, 1, "\xEF" },
            { S2Q_FRAME_OK, 1, "{}" },
            { S2Q_FRAME_OK, 2, "\xEF\xBB" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_frames_stray_bytes_as_one_byte(void **state)
{
    static const struct frame_case cases[] = {
        { "closers outside arrays", "}\n{\"a\":1}\n]\n",
          { { S2Q_FRAME_OK, 1, "}" },
            { S2Q_FRAME_OK, 2, "{\"a\":1}" },
            { S2Q_FRAME_OK, 3, "]" } } },
        { "comma between objects", "{\"a\":1},\n{\"b\":2}",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, "," },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" } } },
        { "closer after array", "[{\"a\":1}]]",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, "]" } } },
        { "brace inside array", "[}]{}",
          { { S2Q_FRAME_OK, 1, "}" },
            { S2Q_FRAME_OK, 1, "{}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_cuts_unfinished_records(void **state)
{
    static const struct frame_case cases[] = {
        { "end inside object", "{\"a\":1}\n{\"b\":",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_CUT, 2, "{\"b\":" } } },
        { "end inside string", "{\"b\":\"abc",
          { { S2Q_FRAME_CUT, 1, "{\"b\":\"abc" } } },
        { "end after backslash", "{\"b\":\"abc\\",
          { { S2Q_FRAME_CUT, 1, "{\"b\":\"abc\\" } } },
        { "end after line break", "{\"a\":[1,\r\n",
          { { S2Q_FRAME_CUT, 1, "{\"a\":[1," } } },
        { "end inside string record", "\"abc",
          { { S2Q_FRAME_CUT, 1, "\"abc" } } },
        { "raw lf in string", "{\"a\":\"abc\n{\"b\":2}\n",
          { { S2Q_FRAME_CUT, 1, "{\"a\":\"abc" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" } } },
        { "raw crlf in string", "{\"a\":\"abc\r\n  {\"b\":2}\n",
          { { S2Q_FRAME_CUT, 1, "{\"a\":\"abc" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" } } },
        { "raw lf after backslash", "{\"a\":\"ab\\\n{\"b\":2}",
          { { S2Q_FRAME_CUT, 1, "{\"a\":\"ab\\" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" } } },
        { "raw lf in string record", "\"abc\n{\"b\":2}",
          { { S2Q_FRAME_CUT, 1, "\"abc" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" } } },
        { "brace in first column", "{\"a\":1,\n{\"b\":2}\n",
          { { S2Q_FRAME_CUT, 1, "{\"a\":1," },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" } } },
        { "brace in first column after crlf", "{\"a\":{\r\n{\"b\":2}\r\n",
          { { S2Q_FRAME_CUT, 1, "{\"a\":{" },
            { S2Q_FRAME_OK, 2, "{\"b\":2}" } } },
        { "brace in first column in array", "[\n  {\"a\":\n{\"b\":2}\n]",
          { { S2Q_FRAME_CUT, 2, "{\"a\":" },
            { S2Q_FRAME_OK, 3, "{\"b\":2}" } } },
        { "end inside array element", "[{\"a\":1},{\"b\"",
          { { S2Q_FRAME_OK, 1, "{\"a\":1}" },
            { S2Q_FRAME_CUT, 1, "{\"b\"" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_ends_empty_and_blank_inputs(void **state)
{
    static const struct frame_case cases[] = {
        { "empty", "", { { S2Q_FRAME_OK, 0, "" } } },
        { "whitespace", "  \n\t\r\n\n ", { { S2Q_FRAME_OK, 0, "" } } },
        { "bom only", "\xEF\xBB\xBF", { { S2Q_FRAME_OK, 0, "" } } },
        { "boms and blank lines", "\xEF\xBB\xBF\r\n\xEF\xBB\xBF\n",
          { { S2Q_FRAME_OK, 0, "" } } },
        { "open bracket only", "[\n\n", { { S2Q_FRAME_OK, 0, "" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

/* Build the input of the spill test: a 1 MB record between two small. */
static char *make_spill_input(size_t items, size_t *len)
{
    static const char head[] = "{\"first\":1}\n{\"big\":[";
    static const char item[] = "\n  \"xxxxxxxxxxxxxxxxxxxxxxxxxxx\",";
    static const char tail[] = "\n  \"end\"\n]}\r\n{\"after\":2}\n";
    char *data;
    char *p;
    size_t i;

    *len = sizeof head - 1 + items * (sizeof item - 1) + sizeof tail - 1;
    data = malloc(*len);
    assert_non_null(data);
    memcpy(data, head, sizeof head - 1);
    p = data + sizeof head - 1;
    for (i = 0; i < items; i++) {
        memcpy(p, item, sizeof item - 1);
        p += sizeof item - 1;
    }
    memcpy(p, tail, sizeof tail - 1);
    return data;
}

static void test_input_next_spills_oversize_record_in_order(void **state)
{
    size_t items = 1024 * 1024 / 31;
    struct spill_log log = { 0, NULL, 0, 0, 0, 0, false };
    struct s2q_input_opts opts = { 100, log_spill, &log };
    size_t len;
    char *data = make_spill_input(items, &len);
    size_t big = len - 12 - 14;   /* less the first record and the last */
    char *path = write_temp(data, len);
    struct s2q_input *in = s2q_input_open(path, &opts);
    struct s2q_record rec;

    (void)state;
    assert_non_null(in);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(rec.frame, S2Q_FRAME_OK);
    assert_int_equal(log.calls, 0);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(rec.frame, S2Q_FRAME_OVERSIZE);
    assert_null(rec.data);
    assert_int_equal(rec.len, 0);
    assert_int_equal(rec.size, big);
    assert_int_equal(rec.line, 2);
    assert_int_equal(log.len, big);
    assert_memory_equal(log.data, data + 12, big);
    /* two full reads of 512 KiB, then the rest */
    assert_int_equal(log.calls, 3);
    assert_int_equal(log.firsts, 1);
    assert_true(log.first_call_first);
    assert_int_equal(log.line, 2);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(rec.frame, S2Q_FRAME_OK);
    assert_int_equal(rec.line, 2 + items + 3);
    assert_int_equal(rec.len, 11);
    assert_memory_equal(rec.data, "{\"after\":2}", 11);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
    s2q_input_close(in);
    drop_temp(path);
    free(data);
    free(log.data);
}

static void test_input_next_drops_oversize_record_without_spill(void **state)
{
    size_t big = 3 * FIRST_FILL;
    size_t len = big + 20;
    struct s2q_input_opts opts = { 1000, NULL, NULL };
    char *data = malloc(len);
    char *path;
    struct s2q_input *in;
    struct s2q_record rec;

    (void)state;
    assert_non_null(data);
    memset(data, 'x', big);
    memcpy(data, "\"", 1);
    memcpy(data + big - 1, "\"\n{\"b\":2}\n", 10);
    path = write_temp(data, big + 9);
    in = s2q_input_open(path, &opts);
    assert_non_null(in);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(rec.frame, S2Q_FRAME_OVERSIZE);
    assert_int_equal(rec.size, big);
    assert_int_equal(rec.line, 1);
    assert_null(rec.data);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(rec.frame, S2Q_FRAME_OK);
    assert_int_equal(rec.line, 2);
    assert_memory_equal(rec.data, "{\"b\":2}", 7);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
    s2q_input_close(in);
    drop_temp(path);
    free(data);
}

static void test_input_next_oversize_limit_is_exclusive(void **state)
{
    static const struct {
        const char *input;
        enum s2q_frame frame;
        size_t size;
        size_t spill_calls;
    } cases[] = {
        { "{\"a\":1234}", S2Q_FRAME_OK, 10, 0 },
        { "{\"a\":12345}", S2Q_FRAME_OVERSIZE, 11, 1 },
        { "1234567890", S2Q_FRAME_OK, 10, 0 },
        { "12345678901", S2Q_FRAME_OVERSIZE, 11, 1 },
        { "\"12345678\"", S2Q_FRAME_OK, 10, 0 },
        { "{\"a\":\"12345678", S2Q_FRAME_OVERSIZE, 14, 1 },
        { "{\"a\":\"1234\n", S2Q_FRAME_CUT, 10, 0 },
    };
    struct spill_log log;
    struct s2q_input_opts opts = { 10, log_spill, &log };
    struct s2q_input *in;
    struct s2q_record rec;
    char *path;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(&log, 0, sizeof log);
        path = write_temp(cases[i].input, strlen(cases[i].input));
        in = s2q_input_open(path, &opts);
        assert_non_null(in);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, cases[i].frame);
        assert_int_equal(rec.size, cases[i].size);
        assert_int_equal(log.calls, cases[i].spill_calls);
        if (cases[i].spill_calls > 0) {
            assert_true(log.first_call_first);
            assert_int_equal(log.len, cases[i].size);
            assert_memory_equal(log.data, cases[i].input, log.len);
        } else {
            assert_int_equal(rec.len, cases[i].size);
            assert_memory_equal(rec.data, cases[i].input, rec.len);
        }
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
        s2q_input_close(in);
        drop_temp(path);
        free(log.data);
    }
}

static void test_input_next_frames_records_across_block_ends(void **state)
{
    /* every framing state meets the end of the first read somewhere */
    static const char tail[] =
        "\xEF\xBB\xBF{\"a\":\"x\\\\\\\"y\",\"b\":[1,{\"c\":\"]\"}]}\r\n"
        "{\"d\":\n{\"e\":\"f\\\\\"}\n[12,\"s\",{\"g\":\"h\n5}]\ntrue";
    static const struct want want[] = {
        { S2Q_FRAME_OK, 1, "{\"a\":\"x\\\\\\\"y\",\"b\":[1,{\"c\":\"]\"}]}" },
        { S2Q_FRAME_CUT, 2, "{\"d\":" },
        { S2Q_FRAME_OK, 3, "{\"e\":\"f\\\\\"}" },
        { S2Q_FRAME_OK, 4, "12" },
        { S2Q_FRAME_OK, 4, "\"s\"" },
        { S2Q_FRAME_CUT, 4, "{\"g\":\"h" },
        { S2Q_FRAME_OK, 5, "5" },
        { S2Q_FRAME_OK, 5, "}" },
        { S2Q_FRAME_OK, 6, "true" },
    };
    struct s2q_input_opts opts = { 1000, NULL, NULL };
    size_t len = FIRST_FILL + sizeof tail;
    char *data = malloc(len);
    char name[32];
    char wdesc[DESC_SIZE];
    char gdesc[DESC_SIZE];
    struct s2q_input *in;
    struct s2q_record rec;
    char *path;
    size_t shift;
    size_t i;

    (void)state;
    assert_non_null(data);
    for (shift = 0; shift < sizeof tail; shift++) {
        memset(data, ' ', FIRST_FILL - shift);
        memcpy(data + FIRST_FILL - shift, tail, sizeof tail - 1);
        path = write_temp(data, FIRST_FILL - shift + sizeof tail - 1);
        in = s2q_input_open(path, &opts);
        assert_non_null(in);
        snprintf(name, sizeof name, "shift %zu", shift);
        for (i = 0; i < sizeof want / sizeof want[0]; i++) {
            assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
            describe(wdesc, name, i, want[i].frame, want[i].line,
                     want[i].text, strlen(want[i].text));
            describe(gdesc, name, i, rec.frame, rec.line, rec.data,
                     rec.len);
            assert_string_equal(gdesc, wdesc);
        }
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
        s2q_input_close(in);
        drop_temp(path);
    }
    free(data);
}

static void test_input_next_streams_large_input(void **state)
{
    struct corpus c;
    char *path;

    (void)state;
    corpus_make(&c, 3 * FIRST_FILL + 12345);
    path = write_temp(c.data, c.len);
    check_corpus(path, &c, c.n, S2Q_NEXT_END, "");
    drop_temp(path);
    corpus_free(&c);
}

static void test_input_next_reads_gzip_single_member(void **state)
{
    struct corpus c;
    char *path = temp_path();

    (void)state;
    corpus_make(&c, 2 * FIRST_FILL);
    write_gz(path, "wb", c.data, c.len);
    check_corpus(path, &c, c.n, S2Q_NEXT_END, "");
    drop_temp(path);
    corpus_free(&c);
}

static void test_input_next_reads_gzip_multi_member(void **state)
{
    struct corpus c;
    char *path = temp_path();
    size_t half;

    (void)state;
    corpus_make(&c, 2 * FIRST_FILL);
    half = c.start[c.n / 2] + 3;   /* members split inside a record */
    write_gz(path, "wb", c.data, half);
    write_gz(path, "ab", c.data + half, c.len - half);
    check_corpus(path, &c, c.n, S2Q_NEXT_END, "");
    drop_temp(path);
    corpus_free(&c);
}

static void test_input_next_reports_truncated_gzip_after_records(void **st)
{
    struct corpus c;
    char *path = temp_path();
    size_t n;

    (void)st;
    corpus_make(&c, 3 * FIRST_FILL);
    write_gz(path, "wb", c.data, c.len);
    assert_int_equal(truncate(path, (off_t)(file_size(path) / 2)), 0);
    n = records_within(&c, gz_delivered(path));
    assert_true(n > 0 && n < c.n);
    check_corpus(path, &c, n, S2Q_NEXT_ERROR,
                 "unexpected end of gzip data (truncated file)");
    drop_temp(path);
    corpus_free(&c);
}

static void test_input_next_reports_corrupt_gzip(void **state)
{
    static const struct {
        size_t size;            /* bytes of records in each member */
        bool second;            /* damage the second member */
        long at;                /* byte to change; < 0: from the end */
        unsigned char set_bits;
        unsigned char flip_bits;
        bool records;           /* the first member's records come first */
        const char *error;
    } cases[] = {
        /* block type 3 in the second member's first block */
        { 3 * FIRST_FILL / 2, true, 10, 0x06, 0x00, true,
          "corrupt gzip data: invalid block type" },
        /* compression method 9 */
        { FIRST_FILL / 4, false, 2, 0x00, 0x01, false,
          "corrupt gzip data: unknown compression method" },
        /* CRC and length in the trailer */
        { FIRST_FILL / 4, false, -8, 0x00, 0xFF, false,
          "corrupt gzip data: incorrect data check" },
        { FIRST_FILL / 4, false, -1, 0x00, 0xFF, false,
          "corrupt gzip data: incorrect length check" },
    };
    struct corpus c;
    char *path;
    size_t first;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        corpus_make(&c, cases[i].size);
        path = temp_path();
        write_gz(path, "wb", c.data, c.len);
        first = file_size(path);
        if (cases[i].second) {
            write_gz(path, "ab", c.data, c.len);
        }
        poke(path, cases[i].at < 0 ? first + (size_t)cases[i].at
             : (cases[i].second ? first : 0) + (size_t)cases[i].at,
             cases[i].set_bits, cases[i].flip_bits);
        check_corpus(path, &c, cases[i].records ? c.n : 0, S2Q_NEXT_ERROR,
                     cases[i].error);
        drop_temp(path);
        corpus_free(&c);
    }
}

static void test_input_next_reports_read_error_on_directory(void **state)
{
    struct s2q_input_opts opts = { 100, NULL, NULL };
    char dir[] = "/tmp/test_input_dir_XXXXXX";
    struct s2q_input *in;
    struct s2q_record rec;

    (void)state;
    assert_non_null(mkdtemp(dir));
    in = s2q_input_open(dir, &opts);
    assert_non_null(in);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_ERROR);
    assert_string_equal(s2q_input_error(in), "read error: Is a directory");
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_ERROR);
    s2q_input_close(in);
    assert_int_equal(rmdir(dir), 0);
}

static void test_input_open_reads_stdin_without_closing_it(void **state)
{
    static const char *const names[] = { "-", NULL };
    struct s2q_input_opts opts = { 100, NULL, NULL };
    char *path = write_temp("{\"a\":1}\n", 8);
    int saved = dup(STDIN_FILENO);
    int fd = open(path, O_RDONLY);
    struct s2q_input *in;
    struct s2q_record rec;
    size_t i;

    (void)state;
    assert_true(saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    for (i = 0; i < 2; i++) {
        assert_int_equal(lseek(STDIN_FILENO, 0, SEEK_SET), 0);
        in = s2q_input_open(names[i], &opts);
        assert_non_null(in);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.len, 7);
        assert_memory_equal(rec.data, "{\"a\":1}", 7);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
        s2q_input_close(in);
        assert_int_not_equal(fcntl(STDIN_FILENO, F_GETFD), -1);
    }
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    close(fd);
    drop_temp(path);
}

static void test_input_offset_counts_file_bytes(void **state)
{
    struct s2q_input_opts opts = { 1024 * 1024, NULL, NULL };
    struct corpus c;
    char *plain;
    char *gz = temp_path();
    struct s2q_input *in;
    struct s2q_record rec;
    int pass;

    (void)state;
    corpus_make(&c, 2 * FIRST_FILL);
    plain = write_temp(c.data, c.len);
    write_gz(gz, "wb", c.data, c.len);
    for (pass = 0; pass < 2; pass++) {
        in = s2q_input_open(pass == 0 ? plain : gz, &opts);
        assert_non_null(in);
        assert_int_equal(s2q_input_offset(in), 0);
        while (s2q_input_next(in, &rec) == S2Q_NEXT_RECORD) {
            assert_true(s2q_input_offset(in) > 0);
        }
        assert_int_equal(s2q_input_offset(in),
                         file_size(pass == 0 ? plain : gz));
        s2q_input_close(in);
    }
    drop_temp(plain);
    drop_temp(gz);
    corpus_free(&c);
}

static void test_input_offset_counts_piped_bytes(void **state)
{
    static const char data[] = "{\"a\":1}\n{\"b\":2}\n";
    struct s2q_input_opts opts = { 100, NULL, NULL };
    int saved = dup(STDIN_FILENO);
    int fds[2];
    struct s2q_input *in;
    struct s2q_record rec;

    (void)state;
    assert_true(saved >= 0);
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], data, sizeof data - 1),
                     (ssize_t)(sizeof data - 1));
    assert_int_equal(close(fds[1]), 0);
    assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
    in = s2q_input_open("-", &opts);
    assert_non_null(in);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(rec.line, 1);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(rec.line, 2);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
    assert_int_equal(s2q_input_offset(in), sizeof data - 1);
    s2q_input_close(in);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    close(fds[0]);
}

static void test_input_close_accepts_null(void **state)
{
    (void)state;
    s2q_input_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_input_open_missing_file_sets_enoent),
        cmocka_unit_test(test_input_next_frames_json_lines),
        cmocka_unit_test(test_input_next_frames_arrays),
        cmocka_unit_test(test_input_next_frames_pretty_objects),
        cmocka_unit_test(test_input_next_tracks_strings_and_escapes),
        cmocka_unit_test(test_input_next_frames_non_object_values),
        cmocka_unit_test(test_input_next_frames_stray_bytes_as_one_byte),
        cmocka_unit_test(test_input_next_cuts_unfinished_records),
        cmocka_unit_test(test_input_next_ends_empty_and_blank_inputs),
        cmocka_unit_test(test_input_next_spills_oversize_record_in_order),
        cmocka_unit_test(test_input_next_drops_oversize_record_without_spill),
        cmocka_unit_test(test_input_next_oversize_limit_is_exclusive),
        cmocka_unit_test(test_input_next_frames_records_across_block_ends),
        cmocka_unit_test(test_input_next_streams_large_input),
        cmocka_unit_test(test_input_next_reads_gzip_single_member),
        cmocka_unit_test(test_input_next_reads_gzip_multi_member),
        cmocka_unit_test(test_input_next_reports_truncated_gzip_after_records),
        cmocka_unit_test(test_input_next_reports_corrupt_gzip),
        cmocka_unit_test(test_input_next_reports_read_error_on_directory),
        cmocka_unit_test(test_input_open_reads_stdin_without_closing_it),
        cmocka_unit_test(test_input_offset_counts_file_bytes),
        cmocka_unit_test(test_input_offset_counts_piped_bytes),
        cmocka_unit_test(test_input_close_accepts_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
