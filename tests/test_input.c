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

#include "s2q/arena.h"
#include "s2q/input.h"
#include "s2q/json.h"

/* The reader's first read fills its whole initial buffer of 512 KiB. */
#define FIRST_FILL ((size_t)512 * 1024)
#define MAX_WANT 8
#define DESC_SIZE 512

/* One record expected from the framer. */
struct want {
    enum s2q_frame frame;
    unsigned long line;   /* 0 ends a list */
    unsigned long col;
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

/*
 * Feeds a pipe from the before_block callback: before each read, the
 * next chunk of data is written (the pipe is empty then, so the read gets
 * exactly that chunk); once all is written, the write end is closed.
 */
struct feed {
    int wfd;
    const char *data;
    size_t len;
    size_t at;
    size_t chunk;
    size_t calls;
    size_t records;         /* records the test has received so far */
    size_t *seen;           /* records at each call, or NULL */
    size_t seen_cap;
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
    if (n > 0) {
        assert_int_equal(gzwrite(gz, data, (unsigned)n), (int)n);
    }
    assert_int_equal(gzclose(gz), Z_OK);
}

/* Append n bytes to the file at path as they are. */
static void append_raw(const char *path, const void *data, size_t n)
{
    int fd = open(path, O_WRONLY | O_APPEND);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
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

/* The whole file at path, malloc'd; its size in *len. */
static char *read_whole(const char *path, size_t *len)
{
    size_t n = file_size(path);
    char *data = malloc(n + 1);
    int fd = open(path, O_RDONLY);

    assert_non_null(data);
    assert_true(fd >= 0);
    assert_int_equal(read(fd, data, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
    *len = n;
    return data;
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
                     const struct want *w, size_t len)
{
    snprintf(out, DESC_SIZE, "%s #%zu: %s line %lu col %lu [%.*s]",
             name, i, frame_name(w->frame), w->line, w->col,
             (int)len, w->text == NULL ? "" : w->text);
}

/* Describe a record returned by the framer, as describe does. */
static void describe_rec(char *out, const char *name, size_t i,
                         const struct s2q_record *rec)
{
    struct want w;

    w.frame = rec->frame;
    w.line = rec->line;
    w.col = rec->col;
    w.text = rec->data;
    describe(out, name, i, &w, rec->len);
}

/*
 * Framing as sysmon2qql does with worker threads. Whole lines are taken
 * from the input (s2q_input_lines), ELSEWHERE_TAKES takes at a time as
 * batches in flight would be, and framed here line by line. From the
 * first line only the input's framer can read, the rest of what was
 * taken is given back (s2q_input_unread), and that many bytes of records
 * are then framed by the input before lines are taken again.
 */
#define ELSEWHERE_TAKES 3

struct elsewhere {
    struct s2q_input *in;   /* the input framed this way, or NULL */
    size_t max;             /* bytes of lines asked for in one take */
    size_t max_record;
    char *taken;            /* the lines taken, in a row */
    size_t len;
    size_t cap;
    struct s2q_record *recs; /* records framed from them */
    size_t nrecs;
    size_t next;
    size_t rcap;
    size_t serial;          /* bytes of records left to the input */
    size_t takes;           /* calls of s2q_input_lines that took lines */
    size_t given_back;      /* calls of s2q_input_unread */
};

static struct elsewhere elsewhere;

static void elsewhere_start(struct s2q_input *in, size_t max,
                            size_t max_record)
{
    memset(&elsewhere, 0, sizeof elsewhere);
    elsewhere.in = in;
    elsewhere.max = max;
    elsewhere.max_record = max_record;
}

static void elsewhere_stop(void)
{
    free(elsewhere.taken);
    free(elsewhere.recs);
    memset(&elsewhere, 0, sizeof elsewhere);
}

/* Is the line at p exactly one JSON value? */
static bool one_value(const char *p, size_t n)
{
    struct s2q_json_error err;
    bool whole = s2q_json_parse(p, n, &err) != NULL;

    s2q_arena_reset();
    return whole;
}

/* Take lines and frame them. @return false when none were taken. */
static bool elsewhere_take(struct elsewhere *e)
{
    struct s2q_lines l;
    unsigned long line = 0;
    unsigned long long offset = 0;
    const char *end;
    const char *ls;
    const char *nl;
    const char *s;
    const char *t;
    enum s2q_line_kind kind;
    size_t k;

    e->len = 0;
    e->nrecs = 0;
    e->next = 0;
    for (k = 0; k < ELSEWHERE_TAKES && s2q_input_lines(e->in, e->max, &l);
         k++) {
        assert_true(l.len > 0 && l.data[l.len - 1] == '\n');
        if (k == 0) {
            line = l.line;
            offset = l.offset;
        }
        if (e->len + l.len > e->cap) {
            e->cap = (e->len + l.len) * 2;
            e->taken = realloc(e->taken, e->cap);
            assert_non_null(e->taken);
        }
        memcpy(e->taken + e->len, l.data, l.len);
        e->len += l.len;
        e->takes++;
    }
    if (k == 0) {
        return false;
    }
    end = e->taken + e->len;
    for (ls = e->taken; ls < end; ls = nl + 1, line++) {
        nl = memchr(ls, '\n', (size_t)(end - ls));
        kind = s2q_line_kind(ls, nl, e->max_record, &s, &t);
        if (kind == S2Q_LINE_BLANK) {
            continue;
        }
        if (kind != S2Q_LINE_RECORD || !one_value(s, (size_t)(t - s))) {
            e->serial = (size_t)(end - ls);
            s2q_input_unread(e->in, ls, e->serial, line,
                             offset + (size_t)(ls - e->taken));
            e->given_back++;
            break;
        }
        if (e->nrecs == e->rcap) {
            e->rcap = e->rcap ? e->rcap * 2 : 64;
            e->recs = realloc(e->recs, e->rcap * sizeof *e->recs);
            assert_non_null(e->recs);
        }
        e->recs[e->nrecs++] = (struct s2q_record){
            .data = s, .len = (size_t)(t - s), .size = (size_t)(t - s),
            .line = line, .col = (unsigned long)(s - ls) + 1,
            .frame = S2Q_FRAME_OK };
    }
    return true;
}

/* The next record of in: from s2q_input_next, or framed elsewhere when
 * in is elsewhere.in. */
static enum s2q_next next_of(struct s2q_input *in, struct s2q_record *rec)
{
    struct elsewhere *e = &elsewhere;
    enum s2q_next r;

    if (e->in != in) {
        return s2q_input_next(in, rec);
    }
    for (;;) {
        if (e->next < e->nrecs) {
            *rec = e->recs[e->next++];
            return S2Q_NEXT_RECORD;
        }
        if (e->serial > 0 || !elsewhere_take(e)) {
            break;
        }
    }
    r = s2q_input_next(in, rec);
    if (r == S2Q_NEXT_RECORD) {
        e->serial = rec->size < e->serial ? e->serial - rec->size : 0;
    }
    return r;
}

/* Check that the next record of in is want (named name #i). */
static void expect_record(struct s2q_input *in, const char *name, size_t i,
                          const struct want *want)
{
    struct s2q_record rec;
    char wdesc[DESC_SIZE];
    char gdesc[DESC_SIZE];

    describe(wdesc, name, i, want, strlen(want->text));
    if (next_of(in, &rec) != S2Q_NEXT_RECORD) {
        snprintf(gdesc, sizeof gdesc, "%s #%zu: no record", name, i);
    } else {
        describe_rec(gdesc, name, i, &rec);
        if (rec.frame != S2Q_FRAME_OVERSIZE) {
            assert_int_equal(rec.size, rec.len);
        }
    }
    assert_string_equal(gdesc, wdesc);
}

/* Lines the framer offered to parse_line and it took. */
static size_t lines_taken;

/* A check_line that parses the line, as sysmon2qql -j 1 does. */
static bool parse_line(void *ctx, const char *p, size_t n)
{
    struct s2q_json_error err;
    bool whole = s2q_json_parse(p, n, &err) != NULL;

    (void)ctx;
    s2q_arena_reset();
    lines_taken += whole;
    return whole;
}

/*
 * Options with that record size limit; with lines, whole lines are
 * offered to parse_line first. Every framing check runs both ways: the
 * records must be the same.
 */
static struct s2q_input_opts opts_of(size_t max_record, bool lines)
{
    struct s2q_input_opts opts = { .max_record = max_record };

    if (lines) {
        opts.check_line = parse_line;
    }
    return opts;
}

/*
 * Ways of framing that must all give the same records: the framer alone,
 * with check_line (parse_line), and with lines framed elsewhere (struct
 * elsewhere) taken one at a time or up to 64 bytes at a time.
 */
enum way { WAY_SCAN, WAY_CHECK_LINE, WAY_ELSEWHERE_1, WAY_ELSEWHERE_64,
           WAYS };

/* Open path to be framed that way (elsewhere_stop when done). */
static struct s2q_input *open_way(const char *path, size_t max_record,
                                  enum way way)
{
    struct s2q_input_opts opts = opts_of(max_record,
                                         way == WAY_CHECK_LINE);
    struct s2q_input *in = s2q_input_open(path, &opts);

    assert_non_null(in);
    if (way == WAY_ELSEWHERE_1 || way == WAY_ELSEWHERE_64) {
        elsewhere_start(in, way == WAY_ELSEWHERE_1 ? 1 : 64, max_record);
    }
    return in;
}

/* Frame c->input and check every record against c->want. */
static void check_case(const struct frame_case *c)
{
    char *path = write_temp(c->input, strlen(c->input));

    for (int way = 0; way < WAYS; way++) {
        struct s2q_input *in = open_way(path, 1024 * 1024, way);
        struct s2q_record rec;
        char want[DESC_SIZE];
        char got[DESC_SIZE];
        size_t i;

        for (i = 0; i < MAX_WANT && c->want[i].line != 0; i++) {
            expect_record(in, c->name, i, &c->want[i]);
        }
        snprintf(want, sizeof want, "%s: end", c->name);
        snprintf(got, sizeof got, "%s: %s", c->name,
                 next_of(in, &rec) == S2Q_NEXT_END ? "end" : "more");
        assert_string_equal(got, want);
        assert_int_equal(next_of(in, &rec), S2Q_NEXT_END);
        assert_string_equal(s2q_input_error(in), "");
        elsewhere_stop();
        s2q_input_close(in);
    }
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

/* before_block callback: write the next chunk of a struct feed. */
static void feed_more(void *ctx)
{
    struct feed *f = ctx;
    size_t n = f->len - f->at < f->chunk ? f->len - f->at : f->chunk;

    if (f->seen != NULL) {
        assert_true(f->calls < f->seen_cap);
        f->seen[f->calls] = f->records;
    }
    f->calls++;
    if (n > 0) {
        assert_int_equal(write(f->wfd, f->data + f->at, n), (ssize_t)n);
        f->at += n;
    } else if (f->wfd >= 0) {
        assert_int_equal(close(f->wfd), 0);
        f->wfd = -1;
    }
}

/*
 * Open a pipe fed by f in chunks of chunk bytes (through /dev/fd, as a
 * path names it) with the record size limit max_record. Should the
 * reader fail to call before_block, its read would wait forever: an
 * alarm ends the test instead.
 */
static struct s2q_input *open_feed(struct feed *f, const char *data,
                                   size_t len, size_t chunk,
                                   size_t max_record)
{
    struct s2q_input_opts opts = {
        .max_record = max_record,
        .before_block = feed_more,
        .block_ctx = f
    };
    struct s2q_input *in;
    char path[32];
    int fds[2];

    assert_int_equal(pipe(fds), 0);
    memset(f, 0, sizeof *f);
    f->wfd = fds[1];
    f->data = data;
    f->len = len;
    f->chunk = chunk;
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    alarm(60);
    in = s2q_input_open(path, &opts);
    assert_non_null(in);
    assert_int_equal(close(fds[0]), 0);
    return in;
}

/* Close what open_feed opened. */
static void close_feed(struct feed *f, struct s2q_input *in)
{
    s2q_input_close(in);
    alarm(0);
    if (f->wfd >= 0) {
        assert_int_equal(close(f->wfd), 0);
    }
    free(f->seen);
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

/* Records of c that end within its first n bytes. */
static size_t records_within(const struct corpus *c, size_t n)
{
    size_t i = 0;

    while (i < c->n && c->start[i] + c->size[i] <= n) {
        i++;
    }
    return i;
}

/* Check that the next n records of in are records from..from+n-1 of c. */
static void expect_corpus(struct s2q_input *in, const struct corpus *c,
                          size_t from, size_t n)
{
    struct s2q_record rec;
    size_t i;

    for (i = from; i < from + n; i++) {
        assert_int_equal(next_of(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, S2Q_FRAME_OK);
        assert_int_equal(rec.line, c->line[i]);
        assert_int_equal(rec.col, 1);
        assert_int_equal(rec.len, c->size[i]);
        assert_int_equal(rec.size, c->size[i]);
        assert_memory_equal(rec.data, c->data + c->start[i], rec.len);
    }
}

/*
 * Read path and check that it frames into the first n records of c, then
 * returns want_end (twice) with the error text want_error.
 */
static void check_corpus(const char *path, const struct corpus *c,
                         size_t n, enum s2q_next want_end,
                         const char *want_error)
{
    for (int way = 0; way < WAYS; way++) {
        struct s2q_input *in = open_way(path, 1024 * 1024, way);
        struct s2q_record rec;

        expect_corpus(in, c, 0, n);
        assert_int_equal(next_of(in, &rec), want_end);
        assert_int_equal(next_of(in, &rec), want_end);
        assert_string_equal(s2q_input_error(in), want_error);
        elsewhere_stop();
        s2q_input_close(in);
    }
}

/* check_damaged with those options. */
static void check_damaged_once(const char *path, const struct corpus *c,
                               size_t decoded, const char *want_error,
                               struct s2q_input_opts opts)
{
    struct s2q_input *in = s2q_input_open(path, &opts);
    size_t n = records_within(c, decoded);
    struct s2q_record rec;
    size_t len;

    assert_non_null(in);
    expect_corpus(in, c, 0, n);
    if (n < c->n && decoded > c->start[n]) {
        len = decoded - c->start[n];
        while (strchr(" \t\r\n", c->data[c->start[n] + len - 1]) != NULL) {
            len--;
        }
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, S2Q_FRAME_CUT);
        assert_int_equal(rec.line, c->line[n]);
        assert_int_equal(rec.col, 1);
        assert_int_equal(rec.len, len);
        assert_memory_equal(rec.data, c->data + c->start[n], len);
    }
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_ERROR);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_ERROR);
    assert_string_equal(s2q_input_error(in), want_error);
    s2q_input_close(in);
}

/*
 * Read path, whose data is the first decoded bytes of c followed by a
 * fault: check the records complete in them, then the one they cut (if
 * any) as S2Q_FRAME_CUT without its trailing whitespace, then the error.
 */
static void check_damaged(const char *path, const struct corpus *c,
                          size_t decoded, const char *want_error)
{
    for (int lines = 0; lines < 2; lines++) {
        check_damaged_once(path, c, decoded, want_error,
                           opts_of(1024 * 1024, lines));
    }
}

/*
 * Bytes zlib's inflate decodes from the gzip member at the start of the
 * file at path before it stops (at the end of the data or at a fault).
 */
static size_t gz_decodable(const char *path)
{
    size_t len;
    char *data = read_whole(path, &len);
    unsigned char out[65536];
    size_t total = 0;
    z_stream z;
    int ret = Z_OK;

    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    while (ret == Z_OK) {
        z.next_out = out;
        z.avail_out = sizeof out;
        ret = inflate(&z, Z_NO_FLUSH);
        total += sizeof out - z.avail_out;
    }
    inflateEnd(&z);
    free(data);
    return total;
}

static void test_input_open_missing_file_sets_enoent(void **state)
{
    struct s2q_input_opts opts = { .max_record = 100 };

    (void)state;
    errno = 0;
    assert_null(s2q_input_open("/tmp/test_input_no_such_file/x", &opts));
    assert_int_equal(errno, ENOENT);
}

static void test_input_next_frames_json_lines(void **state)
{
    static const struct frame_case cases[] = {
        { "lf", "{\"a\":1}\n{\"b\":2}\n",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" } } },
        { "crlf", "{\"a\":1}\r\n{\"b\":2}\r\n",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" } } },
        { "blank lines, no final newline",
          "\n\n{\"a\":1}\n\r\n   \n\t{\"b\":2}",
          { { S2Q_FRAME_OK, 3, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 6, 2, "{\"b\":2}" } } },
        { "bom", "\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}\n",
          { { S2Q_FRAME_OK, 1, 4, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" } } },
        { "bom of concatenated files",
          "{\"a\":1}\n\xEF\xBB\xBF{\"b\":2}\n\xEF\xBB\xBF\xEF\xBB\xBF"
          "\n{\"c\":3}",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 4, "{\"b\":2}" },
            { S2Q_FRAME_OK, 4, 1, "{\"c\":3}" } } },
        { "several on one line", "{\"a\":1}{\"b\":2} \t{\"c\":{}}\n",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, 8, "{\"b\":2}" },
            { S2Q_FRAME_OK, 1, 17, "{\"c\":{}}" } } },
        { "empty object", "{}\n",
          { { S2Q_FRAME_OK, 1, 1, "{}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_frames_arrays(void **state)
{
    static const struct frame_case cases[] = {
        { "one line", "[{\"a\":1},{\"b\":2}]\n",
          { { S2Q_FRAME_OK, 1, 2, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, 10, "{\"b\":2}" } } },
        { "pretty",
          "[\n  {\n    \"a\": 1,\n    \"b\": [\n      2\n    ]\n  },\n"
          "  {\n    \"c\": \"}\"\n  }\n]\n",
          { { S2Q_FRAME_OK, 2, 3,
              "{\n    \"a\": 1,\n    \"b\": [\n      2\n    ]\n  }" },
            { S2Q_FRAME_OK, 8, 3, "{\n    \"c\": \"}\"\n  }" } } },
        { "array then lines",
          "[{\"a\":1},\r\n{\"b\":2}]\n{\"c\":3}\n{\"d\":4}\n",
          { { S2Q_FRAME_OK, 1, 2, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" },
            { S2Q_FRAME_OK, 3, 1, "{\"c\":3}" },
            { S2Q_FRAME_OK, 4, 1, "{\"d\":4}" } } },
        { "empty arrays", "[]\n[ \n]\n{\"a\":1}\n",
          { { S2Q_FRAME_OK, 4, 1, "{\"a\":1}" } } },
        { "lines of arrays", "[{\"a\":1}]\n[{\"b\":2},{\"c\":3}]\n",
          { { S2Q_FRAME_OK, 1, 2, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 2, "{\"b\":2}" },
            { S2Q_FRAME_OK, 2, 10, "{\"c\":3}" } } },
        { "extra commas and a bom", "[,{\"a\":1},,\xEF\xBB\xBF{\"b\":2},]",
          { { S2Q_FRAME_OK, 1, 3, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, 15, "{\"b\":2}" } } },
        { "array never closed", "[\n{\"a\":1},\n",
          { { S2Q_FRAME_OK, 2, 1, "{\"a\":1}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_frames_pretty_objects(void **state)
{
    static const struct frame_case cases[] = {
        { "concatenated",
          "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n{\n  \"c\": 2\n}\n",
          { { S2Q_FRAME_OK, 1, 1, "{\n  \"a\": {\n    \"b\": 1\n  }\n}" },
            { S2Q_FRAME_OK, 6, 1, "{\n  \"c\": 2\n}" } } },
        { "crlf", "{\r\n  \"a\": 1\r\n}\r\n\r\n{\r\n  \"b\": 2\r\n}",
          { { S2Q_FRAME_OK, 1, 1, "{\r\n  \"a\": 1\r\n}" },
            { S2Q_FRAME_OK, 5, 1, "{\r\n  \"b\": 2\r\n}" } } },
        { "indented brace stays nested", "{\"a\":\n  {\"b\":2}}\n",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":\n  {\"b\":2}}" } } },
        { "bracket in first column stays nested", "{\"a\":\n[1]}\n",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":\n[1]}" } } },
        { "closing brace in first column", "{\"a\":[\n1\n]\n}{\"b\":2}",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":[\n1\n]\n}" },
            { S2Q_FRAME_OK, 4, 2, "{\"b\":2}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_tracks_strings_and_escapes(void **state)
{
    static const struct frame_case cases[] = {
        { "escaped quote", "{\"a\":\"x\\\"}y\"}\n{\"b\":1}\n",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":\"x\\\"}y\"}" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":1}" } } },
        { "brackets in strings", "{\"}]{[\":\"]}[{\"}\n",
          { { S2Q_FRAME_OK, 1, 1, "{\"}]{[\":\"]}[{\"}" } } },
        { "escaped backslash before quote", "{\"a\":\"\\\\\"}\n[\"\\\\\"]",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":\"\\\\\"}" },
            { S2Q_FRAME_OK, 2, 2, "\"\\\\\"" } } },
        { "backslashes then escaped quote", "{\"a\":\"\\\\\\\"}\"}",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":\"\\\\\\\"}\"}" } } },
        { "unicode escape and raw cr", "{\"a\":\"\\u0022\r{\"}\n",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":\"\\u0022\r{\"}" } } },
        { "long string", "{\"a\":\"0123456789abcdef0123456789\\\"x\"}",
          { { S2Q_FRAME_OK, 1, 1,
              "{\"a\":\"0123456789abcdef0123456789\\\"x\"}" } } },
        { "bom and other 0xEF bytes in strings",
          "{\"\xEF\xBB\xBF\":\"\xEF\xBB\xBF\xEF\xBC\x9B\"}\n",
          { { S2Q_FRAME_OK, 1, 1,
              "{\"\xEF\xBB\xBF\":\"\xEF\xBB\xBF\xEF\xBC\x9B\"}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_frames_non_object_values(void **state)
{
    static const struct frame_case cases[] = {
        { "scalars on lines", "42\n\"str\"\ntrue\nnull\n-1.5e3\n",
          { { S2Q_FRAME_OK, 1, 1, "42" },
            { S2Q_FRAME_OK, 2, 1, "\"str\"" },
            { S2Q_FRAME_OK, 3, 1, "true" },
            { S2Q_FRAME_OK, 4, 1, "null" },
            { S2Q_FRAME_OK, 5, 1, "-1.5e3" } } },
        { "array elements", "[1, \"two\" ,null,[3,[4]],{\"a\":5}]",
          { { S2Q_FRAME_OK, 1, 2, "1" },
            { S2Q_FRAME_OK, 1, 5, "\"two\"" },
            { S2Q_FRAME_OK, 1, 12, "null" },
            { S2Q_FRAME_OK, 1, 17, "[3,[4]]" },
            { S2Q_FRAME_OK, 1, 25, "{\"a\":5}" } } },
        { "pretty array of scalars", "[\n  1,\n  true\n]\n",
          { { S2Q_FRAME_OK, 2, 3, "1" },
            { S2Q_FRAME_OK, 3, 3, "true" } } },
        { "scalar at end of input", "{\"a\":1}\nfalse",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 1, "false" } } },
        { "scalar before an object", "nul{\"a\":1}",
          { { S2Q_FRAME_OK, 1, 1, "nul" },
            { S2Q_FRAME_OK, 1, 4, "{\"a\":1}" } } },
        { "word then string", "xyz\"q\" \"r\\\"\"\n",
          { { S2Q_FRAME_OK, 1, 1, "xyz" },
            { S2Q_FRAME_OK, 1, 4, "\"q\"" },
            { S2Q_FRAME_OK, 1, 8, "\"r\\\"\"" } } },
        { "lone bom start byte", "\xEF{}\n\xEF\xBB",
          { { S2Q_FRAME_OK, 1, 1, "\xEF" },
            { S2Q_FRAME_OK, 1, 2, "{}" },
            { S2Q_FRAME_OK, 2, 1, "\xEF\xBB" } } },
        /* half the gzip magic: plain input */
        { "starts with 1f", "\x1f{\"a\":1}\n\x1f\x8b",
          { { S2Q_FRAME_OK, 1, 1, "\x1f" },
            { S2Q_FRAME_OK, 1, 2, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 1, "\x1f\x8b" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_frames_stray_closers_as_one_byte(void **state)
{
    static const struct frame_case cases[] = {
        { "closers outside arrays", "}\n{\"a\":1}\n]\n",
          { { S2Q_FRAME_OK, 1, 1, "}" },
            { S2Q_FRAME_OK, 2, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 3, 1, "]" } } },
        { "closer after array", "[{\"a\":1}]]",
          { { S2Q_FRAME_OK, 1, 2, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, 10, "]" } } },
        { "brace inside array", "[}]{}",
          { { S2Q_FRAME_OK, 1, 2, "}" },
            { S2Q_FRAME_OK, 1, 4, "{}" } } },
        { "closer after comma", "{\"a\":1},]",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, 9, "]" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_skips_stray_commas(void **state)
{
    /* a comma between top-level values carries no data: no record */
    static const struct frame_case cases[] = {
        { "comma after each object", "{\"a\":1},\n{\"b\":2},\n",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" } } },
        { "comma between objects, no newline", "{\"a\":1},{\"b\":2}",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":1}" },
            { S2Q_FRAME_OK, 1, 9, "{\"b\":2}" } } },
        { "leading and repeated commas", ",\r\n,, {\"a\":1} ,\t,\n",
          { { S2Q_FRAME_OK, 2, 4, "{\"a\":1}" } } },
        { "commas only", ",,, \n ,", { { S2Q_FRAME_OK, 0, 0, "" } } },
        { "between scalars", "1,\"b\",true",
          { { S2Q_FRAME_OK, 1, 1, "1" },
            { S2Q_FRAME_OK, 1, 3, "\"b\"" },
            { S2Q_FRAME_OK, 1, 7, "true" } } },
        { "after an array", "[{\"a\":1}],\n[{\"b\":2}],",
          { { S2Q_FRAME_OK, 1, 2, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 2, "{\"b\":2}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_cuts_unfinished_records(void **state)
{
    static const struct frame_case cases[] = {
        { "end inside object", "{\"a\":1}\n{\"b\":",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":1}" },
            { S2Q_FRAME_CUT, 2, 1, "{\"b\":" } } },
        { "end inside string", "{\"b\":\"abc",
          { { S2Q_FRAME_CUT, 1, 1, "{\"b\":\"abc" } } },
        { "end after backslash", "{\"b\":\"abc\\",
          { { S2Q_FRAME_CUT, 1, 1, "{\"b\":\"abc\\" } } },
        { "end after line break", "{\"a\":[1,\r\n",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":[1," } } },
        { "end inside string record", "\"abc",
          { { S2Q_FRAME_CUT, 1, 1, "\"abc" } } },
        { "raw lf in string", "{\"a\":\"abc\n{\"b\":2}\n",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":\"abc" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" } } },
        { "raw crlf in string", "{\"a\":\"abc\r\n  {\"b\":2}\n",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":\"abc" },
            { S2Q_FRAME_OK, 2, 3, "{\"b\":2}" } } },
        { "raw lf after backslash", "{\"a\":\"ab\\\n{\"b\":2}",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":\"ab\\" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" } } },
        { "raw lf in string record", "\"abc\n{\"b\":2}",
          { { S2Q_FRAME_CUT, 1, 1, "\"abc" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" } } },
        { "brace in first column", "{\"a\":1,\n{\"b\":2}\n",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":1," },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" } } },
        { "brace in first column after crlf", "{\"a\":{\r\n{\"b\":2}\r\n",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":{" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" } } },
        { "brace in first column in array", "[\n  {\"a\":1,\n{\"b\":2}\n]",
          { { S2Q_FRAME_CUT, 2, 3, "{\"a\":1," },
            { S2Q_FRAME_OK, 3, 1, "{\"b\":2}" } } },
        /*
         * Was cut before the grammar was taken into account: after ':'
         * a '{' is the value, so the record goes on; its ']' closes it
         * (the caller's JSON parser rejects the mismatch).
         */
        { "brace after a colon in array", "[\n  {\"a\":\n{\"b\":2}\n]",
          { { S2Q_FRAME_OK, 2, 3, "{\"a\":\n{\"b\":2}\n]" } } },
        { "end inside array element", "[{\"a\":1},{\"b\"",
          { { S2Q_FRAME_OK, 1, 2, "{\"a\":1}" },
            { S2Q_FRAME_CUT, 1, 10, "{\"b\"" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_resyncs_in_indented_arrays(void **state)
{
    static const struct frame_case cases[] = {
        /* json.dumps(list, indent=2), the second element cut short */
        { "indent 2, truncated element in the middle",
          "[\n  {\n    \"EventID\": 1\n  },\n  {\n    \"EventID\": 2,\n"
          "    \"Data\": {\n  {\n    \"EventID\": 3\n  }\n]\n",
          { { S2Q_FRAME_OK, 2, 3, "{\n    \"EventID\": 1\n  }" },
            { S2Q_FRAME_CUT, 5, 3,
              "{\n    \"EventID\": 2,\n    \"Data\": {" },
            { S2Q_FRAME_OK, 8, 3, "{\n    \"EventID\": 3\n  }" } } },
        /* PowerShell ConvertTo-Json: four spaces, CRLF */
        { "powershell, truncated element",
          "[\r\n    {\r\n        \"Id\":  1\r\n    },\r\n    {\r\n"
          "        \"Id\":  2,\r\n        \"Properties\":  [\r\n"
          "                           {\r\n"
          "                               \"Value\":  \"x\"\r\n"
          "                           }\r\n"
          "    {\r\n        \"Id\":  3\r\n    }\r\n]\r\n",
          { { S2Q_FRAME_OK, 2, 5, "{\r\n        \"Id\":  1\r\n    }" },
            { S2Q_FRAME_CUT, 5, 5,
              "{\r\n        \"Id\":  2,\r\n        \"Properties\":  [\r\n"
              "                           {\r\n"
              "                               \"Value\":  \"x\"\r\n"
              "                           }" },
            { S2Q_FRAME_OK, 11, 5,
              "{\r\n        \"Id\":  3\r\n    }" } } },
        /* json.dumps(list, indent=0): elements in the first column */
        { "indent 0, truncated element",
          "[\n{\n\"a\": 1,\n\"b\": [\n{\n\"c\": 2\n}\n]\n},\n{\n\"d\": 3,\n"
          "{\n\"e\": 4\n}\n]\n",
          { { S2Q_FRAME_OK, 2, 1,
              "{\n\"a\": 1,\n\"b\": [\n{\n\"c\": 2\n}\n]\n}" },
            { S2Q_FRAME_CUT, 10, 1, "{\n\"d\": 3," },
            { S2Q_FRAME_OK, 12, 1, "{\n\"e\": 4\n}" } } },
        /* a '{' at the element's column ends it; deeper ones do not */
        { "column of the element is the limit",
          "[\n  {\"a\": 1,\n   {\"b\": 2}},\n  {\"c\": 3,\n  {\"d\": 4}\n]",
          { { S2Q_FRAME_OK, 2, 3, "{\"a\": 1,\n   {\"b\": 2}}" },
            { S2Q_FRAME_CUT, 4, 3, "{\"c\": 3," },
            { S2Q_FRAME_OK, 5, 3, "{\"d\": 4}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_keeps_valid_values_in_first_column(void **state)
{
    static const struct frame_case cases[] = {
        /* json.dumps(obj, indent=0): values after '[' and ',' */
        { "indent 0 nested objects and arrays",
          "{\n\"a\": {\n\"b\": [\n{\n\"c\": 1\n},\n[\n2\n],\n{}\n]\n},\n"
          "\"d\": [\n[\n{\n\"e\": {}\n}\n]\n]\n}\n",
          { { S2Q_FRAME_OK, 1, 1,
              "{\n\"a\": {\n\"b\": [\n{\n\"c\": 1\n},\n[\n2\n],\n{}\n]\n},\n"
              "\"d\": [\n[\n{\n\"e\": {}\n}\n]\n]\n}" } } },
        { "indent 0 array of objects",
          "[\n{\n\"a\": 1\n},\n{\n\"b\": [\n{\n\"c\": 2\n}\n]\n}\n]\n",
          { { S2Q_FRAME_OK, 2, 1, "{\n\"a\": 1\n}" },
            { S2Q_FRAME_OK, 5, 1, "{\n\"b\": [\n{\n\"c\": 2\n}\n]\n}" } } },
        { "value after a colon and blank lines",
          "{\"a\" :  \r\n  \r\n\n{\"b\":2}}",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\" :  \r\n  \r\n\n{\"b\":2}}" } } },
        { "array after a comma in an array", "{\"a\":[1,\n[2]]}",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":[1,\n[2]]}" } } },
        { "indented record, deeper lines", "  {\"a\":\n {\"b\":\n  [1]}}",
          { { S2Q_FRAME_OK, 1, 3, "{\"a\":\n {\"b\":\n  [1]}}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_resyncs_after_truncated_lines(void **state)
{
    static const struct frame_case cases[] = {
        { "jsonl cut after a comma",
          "{\"a\":1,\"b\":2,\n{\"c\":3}\n",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":1,\"b\":2," },
            { S2Q_FRAME_OK, 2, 1, "{\"c\":3}" } } },
        /*
         * After ':' the grammar expects a value, so the next line's
         * object is taken as it: that one is legitimately swallowed
         * (there is no telling it apart from valid JSON); the line after
         * it starts a new record again.
         */
        { "jsonl cut after a colon",
          "{\"a\":1,\"b\":\n{\"c\":3}\n{\"d\":4}\n",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":1,\"b\":\n{\"c\":3}" },
            { S2Q_FRAME_OK, 3, 1, "{\"d\":4}" } } },
        { "jsonl cut inside a string",
          "{\"a\":\"tru\n{\"c\":3}\n",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":\"tru" },
            { S2Q_FRAME_OK, 2, 1, "{\"c\":3}" } } },
        /* A file cut inside a string, then another file: its '[' opens
         * an array again rather than being an element of the first. */
        { "array cut inside a string, then an array",
          "[{\"a\":\"tru\n[{\"b\":1},\n{\"c\":2}]\n",
          { { S2Q_FRAME_CUT, 1, 2, "{\"a\":\"tru" },
            { S2Q_FRAME_OK, 2, 2, "{\"b\":1}" },
            { S2Q_FRAME_OK, 3, 1, "{\"c\":2}" } } },
        { "array cut inside a string at the end of a line, then an array",
          "[{\"a\":1},\n{\"b\":\"x\\\n[{\"c\":2}]",
          { { S2Q_FRAME_OK, 1, 2, "{\"a\":1}" },
            { S2Q_FRAME_CUT, 2, 1, "{\"b\":\"x\\" },
            { S2Q_FRAME_OK, 3, 2, "{\"c\":2}" } } },
        { "jsonl cut after a value", "{\"a\":[1,{\"b\":2}]\r\n[{\"c\":3}]",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":[1,{\"b\":2}]" },
            { S2Q_FRAME_OK, 2, 2, "{\"c\":3}" } } },
        { "tab before the brace", "\t{\"a\":1,\n\t{\"b\":2}",
          { { S2Q_FRAME_CUT, 1, 2, "{\"a\":1," },
            { S2Q_FRAME_OK, 2, 2, "{\"b\":2}" } } },
        { "blank lines before the brace", "{\"a\":1,\n\n \t\r\n{\"b\":2}",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":1," },
            { S2Q_FRAME_OK, 4, 1, "{\"b\":2}" } } },
        { "brace past the record's column", "  {\"a\":1,\n   {\"b\":2}",
          { { S2Q_FRAME_CUT, 1, 3, "{\"a\":1,\n   {\"b\":2}" } } },
        /* After a cut and a whole line, the second '[' is an element of
         * the array the first opens. */
        { "cut, a whole line, then nested arrays",
          "{\"a\":\"tru\n{\"b\":1}\n[[1]]\n",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":\"tru" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":1}" },
            { S2Q_FRAME_OK, 3, 2, "[1]" } } },
        /* A file cut between two elements, then another file: its byte
         * order mark ends the first file's array. */
        { "array cut between elements, then a marked array",
          "[{\"a\":1},\n{\"b\":2}\n\xEF\xBB\xBF[{\"c\":3},\n{\"d\":4}]\n",
          { { S2Q_FRAME_OK, 1, 2, "{\"a\":1}" },
            { S2Q_FRAME_OK, 2, 1, "{\"b\":2}" },
            { S2Q_FRAME_OK, 3, 5, "{\"c\":3}" },
            { S2Q_FRAME_OK, 4, 1, "{\"d\":4}" } } },
        { "array of truncated file then array",
          "{\"a\":1}\n{\"b\":2,\n[{\"c\":3},{\"d\":4}]\n{\"e\":5}",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":1}" },
            { S2Q_FRAME_CUT, 2, 1, "{\"b\":2," },
            { S2Q_FRAME_OK, 3, 2, "{\"c\":3}" },
            { S2Q_FRAME_OK, 3, 10, "{\"d\":4}" },
            { S2Q_FRAME_OK, 4, 1, "{\"e\":5}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_input_next_resyncs_at_concatenated_files(void **state)
{
    static const struct frame_case cases[] = {
        /* two BOM+array files (cat a b), a cut after one of its lines */
        { "bom arrays, the first truncated",
          "\xEF\xBB\xBF[\r\n  {\r\n    \"a\": 1\r\n  },\r\n  {\r\n"
          "    \"b\": {\r\n      \"c\": 2,\r\n"
          "\xEF\xBB\xBF[\r\n  {\r\n    \"d\": 3\r\n  }\r\n]\r\n",
          { { S2Q_FRAME_OK, 2, 3, "{\r\n    \"a\": 1\r\n  }" },
            { S2Q_FRAME_CUT, 5, 3,
              "{\r\n    \"b\": {\r\n      \"c\": 2," },
            { S2Q_FRAME_OK, 9, 3, "{\r\n    \"d\": 3\r\n  }" } } },
        /* a byte order mark is never part of a value, even after ':' */
        { "bom arrays, the first cut mid-line after a colon",
          "\xEF\xBB\xBF[{\"a\":1},{\"b\":2,\"c\":"
          "\xEF\xBB\xBF[{\"d\":3}]\n",
          { { S2Q_FRAME_OK, 1, 5, "{\"a\":1}" },
            { S2Q_FRAME_CUT, 1, 13, "{\"b\":2,\"c\":" },
            { S2Q_FRAME_OK, 1, 28, "{\"d\":3}" } } },
        { "bom jsonl after a truncated record",
          "{\"a\":{\"b\":[1\n\xEF\xBB\xBF{\"c\":3}\n",
          { { S2Q_FRAME_CUT, 1, 1, "{\"a\":{\"b\":[1" },
            { S2Q_FRAME_OK, 2, 4, "{\"c\":3}" } } },
        /*
         * A '[' where an element of an array was: another file, most
         * likely, so the array is left and the '[' starts a new one; the
         * last ']' is then a stray closer.
         */
        { "bracket in an array leaves it",
          "[\n{\"a\":1,\n[\n{\"b\":2}\n]\n]\n",
          { { S2Q_FRAME_CUT, 2, 1, "{\"a\":1," },
            { S2Q_FRAME_OK, 4, 1, "{\"b\":2}" },
            { S2Q_FRAME_OK, 6, 1, "]" } } },
        { "other 0xEF bytes outside strings do not cut",
          "{\"a\":\xEF\xBB,\xEF}\n",
          { { S2Q_FRAME_OK, 1, 1, "{\"a\":\xEF\xBB,\xEF}" } } },
    };

    (void)state;
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

/*
 * An object nested in k arrays in a record, then "1,", and a '[' in the
 * first column of the next line; the caller frees the result.
 */
static char *make_deep_input(size_t k)
{
    char *data = malloc(k + 16);

    assert_non_null(data);
    memcpy(data, "{\"a\":", 5);
    memset(data + 5, '[', k);
    memcpy(data + 5 + k, "1,\n[2]\n", 8);
    return data;
}

static void test_input_next_tracks_container_kinds_1024_deep(void **state)
{
    struct s2q_input_opts opts = { .max_record = 1024 * 1024 };
    struct s2q_input *in;
    struct s2q_record rec;
    char *data;
    char *path;
    size_t k;

    (void)state;
    for (k = 1023; k <= 1024; k++) {
        data = make_deep_input(k);
        path = write_temp(data, strlen(data));
        in = s2q_input_open(path, &opts);
        assert_non_null(in);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, S2Q_FRAME_CUT);
        assert_int_equal(rec.line, 1);
        assert_int_equal(rec.col, 1);
        if (k == 1023) {
            /* level 1024 is known to be an array: "[2]" is a value */
            assert_int_equal(rec.len, strlen(data) - 1);
            assert_memory_equal(rec.data, data, rec.len);
        } else {
            /* level 1025 counts as an object: "[2]" starts a record */
            assert_int_equal(rec.len, 5 + k + 2);
            assert_memory_equal(rec.data, data, rec.len);
            assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
            assert_int_equal(rec.frame, S2Q_FRAME_OK);
            assert_int_equal(rec.line, 2);
            assert_int_equal(rec.col, 2);
            assert_int_equal(rec.len, 1);
            assert_memory_equal(rec.data, "2", 1);
        }
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
        s2q_input_close(in);
        drop_temp(path);
        free(data);
    }
}

static void test_input_next_frames_deep_records_whole(void **state)
{
    static const size_t depths[] = { 1, 2, 1024, 1025, 5000 };
    struct s2q_input_opts opts = { .max_record = 1024 * 1024 };
    struct s2q_input *in;
    struct s2q_record rec;
    char *data = malloc(2 * 5000 + 16);
    char *path;
    size_t len;
    size_t i;
    size_t d;

    (void)state;
    assert_non_null(data);
    for (i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        d = depths[i];
        memcpy(data, "{\"a\":", 5);
        memset(data + 5, '[', d - 1);
        memset(data + 5 + d - 1, ']', d - 1);
        len = 5 + 2 * (d - 1);
        memcpy(data + len, "1}\n{}", 5);
        path = write_temp(data, len + 5);
        in = s2q_input_open(path, &opts);
        assert_non_null(in);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, S2Q_FRAME_OK);
        assert_int_equal(rec.len, len + 2);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.line, 2);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
        s2q_input_close(in);
        drop_temp(path);
    }
    free(data);
}

static void test_input_next_ends_empty_and_blank_inputs(void **state)
{
    static const struct frame_case cases[] = {
        { "empty", "", { { S2Q_FRAME_OK, 0, 0, "" } } },
        { "whitespace", "  \n\t\r\n\n ", { { S2Q_FRAME_OK, 0, 0, "" } } },
        { "bom only", "\xEF\xBB\xBF", { { S2Q_FRAME_OK, 0, 0, "" } } },
        { "boms and blank lines", "\xEF\xBB\xBF\r\n\xEF\xBB\xBF\n",
          { { S2Q_FRAME_OK, 0, 0, "" } } },
        { "open bracket only", "[\n\n", { { S2Q_FRAME_OK, 0, 0, "" } } },
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
    struct s2q_input_opts opts = {
        .max_record = 100,
        .spill = log_spill,
        .spill_ctx = &log
    };
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
    assert_int_equal(rec.col, 1);
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
    assert_int_equal(rec.col, 1);
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
    struct s2q_input_opts opts = { .max_record = 1000 };
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
    assert_int_equal(rec.col, 1);
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
    struct s2q_input_opts opts = {
        .max_record = 10,
        .spill = log_spill,
        .spill_ctx = &log
    };
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

/*
 * Frame the len bytes of data, which start with pad bytes of padding on
 * line 1, with a 1000-byte limit: the records are want (columns on line 1
 * counted after the padding), then the end.
 */
static void check_padded(const char *name, const char *data, size_t len,
                         size_t pad, const struct want *want, size_t n)
{
    struct s2q_input_opts opts = { .max_record = 1000 };
    char *path = write_temp(data, len);
    struct s2q_input *in = s2q_input_open(path, &opts);
    struct s2q_record rec;
    struct want w;
    size_t i;

    assert_non_null(in);
    for (i = 0; i < n; i++) {
        w = want[i];
        if (w.line == 1) {
            w.col += pad;
        }
        expect_record(in, name, i, &w);
    }
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
    s2q_input_close(in);
    drop_temp(path);
}

static void test_input_next_frames_records_across_block_ends(void **state)
{
    /* every framing state meets the end of the first read somewhere */
    static const char tail[] =
        "\xEF\xBB\xBF{\"a\":\"x\\\\\\\"y\",\"b\":[1,{\"c\":\"]\"}]}\r\n"
        "{\"d\":0,\xEF\n"
        "{\"z\":1} {\"e\":\"f\\\\\",\n"
        " \t  {\"x\":[\n"
        "1]}\n"
        "[12,\"s\",{\"g\":\"h\n"
        "5}]\n"
        "true";
    /* col of line 1 is after the padding */
    static const struct want want[] = {
        { S2Q_FRAME_OK, 1, 4,
          "{\"a\":\"x\\\\\\\"y\",\"b\":[1,{\"c\":\"]\"}]}" },
        { S2Q_FRAME_CUT, 2, 1, "{\"d\":0,\xEF" },
        { S2Q_FRAME_OK, 3, 1, "{\"z\":1}" },
        { S2Q_FRAME_CUT, 3, 9, "{\"e\":\"f\\\\\"," },
        { S2Q_FRAME_OK, 4, 5, "{\"x\":[\n1]}" },
        { S2Q_FRAME_OK, 6, 2, "12" },
        { S2Q_FRAME_OK, 6, 5, "\"s\"" },
        { S2Q_FRAME_CUT, 6, 9, "{\"g\":\"h" },
        { S2Q_FRAME_OK, 7, 1, "5" },
        { S2Q_FRAME_OK, 7, 2, "}" },
        { S2Q_FRAME_OK, 8, 1, "true" },
    };
    char *data = malloc(FIRST_FILL + sizeof tail);
    char name[32];
    size_t shift;

    (void)state;
    assert_non_null(data);
    for (shift = 0; shift < sizeof tail; shift++) {
        memset(data, ' ', FIRST_FILL - shift);
        memcpy(data + FIRST_FILL - shift, tail, sizeof tail - 1);
        snprintf(name, sizeof name, "shift %zu", shift);
        check_padded(name, data, FIRST_FILL - shift + sizeof tail - 1,
                     FIRST_FILL - shift, want, sizeof want / sizeof want[0]);
    }
    free(data);
}

/*
 * Frame tail after FIRST_FILL - shift spaces with a 100-byte limit: an
 * oversize record of size bytes (the first of tail, spilled), then,
 * when second is true, {"b":2} on line 3.
 */
static void check_spilled_cut(const char *tail, size_t tlen, size_t shift,
                              size_t size, bool second)
{
    struct spill_log log;
    struct s2q_input_opts opts = {
        .max_record = 100,
        .spill = log_spill,
        .spill_ctx = &log
    };
    char *data = malloc(FIRST_FILL + tlen);
    struct s2q_input *in;
    struct s2q_record rec;
    char *path;

    assert_non_null(data);
    memset(&log, 0, sizeof log);
    memset(data, ' ', FIRST_FILL - shift);
    memcpy(data + FIRST_FILL - shift, tail, tlen);
    path = write_temp(data, FIRST_FILL - shift + tlen);
    in = s2q_input_open(path, &opts);
    assert_non_null(in);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(rec.frame, S2Q_FRAME_OVERSIZE);
    assert_int_equal(rec.size, size);
    assert_int_equal(rec.line, 1);
    assert_int_equal(rec.col, FIRST_FILL - shift + 1);
    assert_int_equal(log.len, size);
    assert_memory_equal(log.data, tail, size);
    assert_int_equal(log.firsts, 1);
    if (second) {
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, S2Q_FRAME_OK);
        assert_int_equal(rec.line, 3);
        assert_int_equal(rec.col, 1);
        assert_int_equal(rec.len, 7);
        assert_memory_equal(rec.data, "{\"b\":2}", 7);
    }
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
    s2q_input_close(in);
    drop_temp(path);
    free(log.data);
    free(data);
}

static void test_input_next_cuts_spilled_record_across_reads(void **state)
{
    /*
     * A record over the limit whose bytes are spilled while it is read,
     * then a '{' in the first column: after ',' it starts a new record,
     * after ':' it is the value. The grammar and the record's size must
     * not depend on where the reads split the input.
     */
    static const struct {
        const char *rest;       /* after {"a":" and 150 x */
        bool second;            /* {"b":2} is a record of its own */
    } cases[] = {
        { "\",  \r\n \n{\"b\":2}", true },
        { "\",\"c\":\n \n{\"b\":2}", false },
    };
    char tail[256];
    size_t tlen;
    size_t shift;
    size_t i;

    (void)state;
    memcpy(tail, "{\"a\":\"", 6);
    memset(tail + 6, 'x', 150);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tlen = 156 + strlen(cases[i].rest);
        memcpy(tail + 156, cases[i].rest, tlen - 156);
        for (shift = 1; shift <= tlen; shift++) {
            check_spilled_cut(tail, tlen, shift,
                              cases[i].second ? 6 + 150 + 2 : tlen,
                              cases[i].second);
        }
    }
}

/*
 * Records whose escapes, quotes and brackets fall at every offset of a
 * 64-byte block (the framer scans long records a block at a time): runs
 * of backslashes before quotes, brackets inside strings, nesting, and
 * every third record spread over several lines.
 */
static void test_input_next_frames_escapes_at_every_offset(void **state)
{
    /* As JSON text: \\\"}[{\\\"  \\\\  \\\"{  ]]}}  \u005c */
    static const char *const tails[] = {
        "\\\\\\\"}[{\\\\\\\"", "\\\\\\\\", "\\\\\\\"{", "]]}}", "\\u005c",
    };
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
    size_t cap = 4 * 1024 * 1024;
    char *data = malloc(cap);
    char pad[3 * 64 + 1];
    char braces[71];
    struct corpus c;
    char *path;
    size_t len = 0;
    unsigned long line = 1;

    (void)state;
    assert_non_null(data);
    for (size_t i = 0; i < sizeof pad; i++) {
        pad[i] = letters[i % 26];
    }
    memset(braces, '{', sizeof braces);
    memset(&c, 0, sizeof c);
    for (size_t n = 0; n < sizeof pad; n++) {
        for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
            bool pretty = (n + t) % 3 == 0;
            size_t start = len;
            int w = snprintf(data + len, cap - len,
                             "{\"k\":\"%.*s%s\",%s\"n\":[{\"x\":[1,{}]},"
                             "\"%.*s\\\\\"]%s}",
                             (int)n, pad, tails[t], pretty ? "\n  " : "",
                             (int)(n % sizeof braces), braces,
                             pretty ? "\n" : "");

            assert_true(w > 0 && (size_t)w < cap - len - 1);
            len += (size_t)w;
            corpus_add(&c, start, len - start, line);
            line += pretty ? 3 : 1;
            data[len++] = '\n';
        }
    }
    c.data = data;
    c.len = len;
    path = write_temp(c.data, c.len);
    check_corpus(path, &c, c.n, S2Q_NEXT_END, "");
    drop_temp(path);
    corpus_free(&c);
}

static void test_input_next_streams_large_input(void **state)
{
    struct corpus c;
    char *path;

    (void)state;
    corpus_make(&c, 3 * FIRST_FILL + 12345);
    path = write_temp(c.data, c.len);
    lines_taken = 0;
    check_corpus(path, &c, c.n, S2Q_NEXT_END, "");
    /* Six records in seven are one line each: all but those across the
     * ends of reads are taken whole; the pretty-printed ones never are. */
    assert_true(lines_taken > c.n * 6 / 7 - 10);
    assert_true(lines_taken <= c.n - c.n / 7);
    drop_temp(path);
    corpus_free(&c);
}

/*
 * Lines framed elsewhere give the same records as the framer alone over a
 * large input where one record in seven is pretty-printed (each a line
 * that is given back), with the size limit kept: a line over it is left
 * to the framer.
 */
static void test_input_lines_framed_elsewhere_alike(void **state)
{
    static const char limited[] =
        "{\"a\":1}\n{\"b\":\"12345\"}\n {\"c\":3}\n";
    static const size_t takes[] = { 1, 64, 4096, 1024 * 1024 };
    struct s2q_input_opts opts;
    struct corpus c;
    struct s2q_record rec;
    struct s2q_input *in;
    char *path;

    (void)state;
    corpus_make(&c, 2 * FIRST_FILL + 777);
    path = write_temp(c.data, c.len);
    for (size_t i = 0; i < sizeof takes / sizeof takes[0]; i++) {
        opts = opts_of(1024 * 1024, false);
        in = s2q_input_open(path, &opts);
        assert_non_null(in);
        elsewhere_start(in, takes[i], 1024 * 1024);
        expect_corpus(in, &c, 0, c.n);
        assert_int_equal(next_of(in, &rec), S2Q_NEXT_END);
        assert_true(elsewhere.takes > 0);
        /* One line at a time, the first line of a pretty-printed record
         * is never taken; with more, some are, and given back. */
        assert_true(i == 0 || elsewhere.given_back > 0);
        elsewhere_stop();
        s2q_input_close(in);
    }
    drop_temp(path);
    corpus_free(&c);

    path = write_temp(limited, sizeof limited - 1);
    for (int way = 0; way < WAYS; way++) {
        in = open_way(path, 10, way);
        assert_int_equal(next_of(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, S2Q_FRAME_OK);
        assert_int_equal(next_of(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, S2Q_FRAME_OVERSIZE);
        assert_int_equal(rec.line, 2);
        assert_int_equal(rec.size, 13);
        assert_int_equal(next_of(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, S2Q_FRAME_OK);
        assert_int_equal(rec.line, 3);
        assert_int_equal(rec.col, 2);
        assert_int_equal(next_of(in, &rec), S2Q_NEXT_END);
        elsewhere_stop();
        s2q_input_close(in);
    }
    drop_temp(path);
}

/* Lines are taken from a pipe only as they come: an empty pipe leaves
 * them to the framer, which tells before_block. */
static void test_input_lines_wait_for_no_pipe(void **state)
{
    static const char data[] = "{\"i\":0}\n{\"i\":1}\n";
    struct feed f;
    struct s2q_input *in;
    struct s2q_lines l;
    struct s2q_record rec;

    (void)state;
    in = open_feed(&f, data, sizeof data - 1, 8, 100);
    assert_false(s2q_input_lines(in, 100, &l));
    assert_int_equal(f.calls, 0);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(f.calls, 1);
    feed_more(&f);
    assert_true(s2q_input_lines(in, 100, &l));
    assert_int_equal(l.len, 8);
    assert_memory_equal(l.data, "{\"i\":1}\n", 8);
    assert_int_equal(l.line, 2);
    assert_int_equal(l.offset, 8);
    close_feed(&f, in);
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

static void test_input_next_reads_empty_gzip_members(void **state)
{
    static const char data[] = "{\"a\":1}\n{\"b\":2}";
    static const struct {
        size_t cuts[4];         /* member ends; the last is the length */
        size_t n;
    } cases[] = {
        { { 0 }, 1 },                   /* one empty member */
        { { 0, 15 }, 2 },               /* empty, then all */
        { { 3, 3, 15 }, 3 },            /* empty one inside a record */
        { { 15, 15, 15 }, 3 },          /* empty ones at the end */
    };
    struct s2q_input_opts opts = { .max_record = 100 };
    struct s2q_input *in;
    struct s2q_record rec;
    char *path;
    size_t at;
    size_t i;
    size_t j;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        path = temp_path();
        at = 0;
        for (j = 0; j < cases[i].n; j++) {
            write_gz(path, j == 0 ? "wb" : "ab", data + at,
                     cases[i].cuts[j] - at);
            at = cases[i].cuts[j];
        }
        in = s2q_input_open(path, &opts);
        assert_non_null(in);
        if (at > 0) {
            assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
            assert_int_equal(rec.len, 7);
            assert_memory_equal(rec.data, "{\"a\":1}", 7);
            assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
            assert_int_equal(rec.line, 2);
            assert_memory_equal(rec.data, "{\"b\":2}", 7);
        }
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
        assert_string_equal(s2q_input_error(in), "");
        assert_int_equal(s2q_input_offset(in), file_size(path));
        s2q_input_close(in);
        drop_temp(path);
    }
}

static void test_input_next_reports_truncated_gzip_after_records(void **st)
{
    /* where the file is cut, as a fraction of its size or from its end */
    static const struct {
        size_t num;
        size_t den;
        size_t less;
    } cuts[] = {
        { 1, 2, 0 }, { 1, 3, 0 }, { 2, 3, 0 }, { 3, 4, 0 },
        { 1, 1, 1 }, { 1, 1, 4 }, { 1, 1, 8 }, { 1, 1, 9 },
        { 0, 1, 0 }, { 0, 1, 0 },
    };
    struct corpus c;
    char *path;
    size_t full;
    size_t size;
    size_t decoded;
    size_t i;

    (void)st;
    corpus_make(&c, 3 * FIRST_FILL);
    for (i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        path = temp_path();
        write_gz(path, "wb", c.data, c.len);
        full = file_size(path);
        /* the last two: two bytes (the magic only), five (in the header) */
        size = cuts[i].num == 0 ? (i % 2 == 0 ? 2 : 5)
            : full * cuts[i].num / cuts[i].den - cuts[i].less;
        assert_int_equal(truncate(path, (off_t)size), 0);
        decoded = gz_decodable(path);
        /* a trailer cut short: all the data was there */
        assert_true(cuts[i].less == 0 || cuts[i].less > 8
                    || decoded == c.len);
        check_damaged(path, &c, decoded,
                      "gzip data ends before the end of its stream "
                      "(truncated file)");
        drop_temp(path);
    }
    corpus_free(&c);
}

static void test_input_next_cuts_last_scalar_at_gzip_fault(void **state)
{
    /* at a clean end "12345" is complete; at a fault it may not be */
    static const char data[] = "{\"a\":1}\n12345";
    struct s2q_input_opts opts = { .max_record = 100 };
    char *path = temp_path();
    struct s2q_input *in;
    struct s2q_record rec;

    (void)state;
    write_gz(path, "wb", data, sizeof data - 1);
    assert_int_equal(truncate(path, (off_t)(file_size(path) - 4)), 0);
    in = s2q_input_open(path, &opts);
    assert_non_null(in);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(rec.frame, S2Q_FRAME_OK);
    assert_int_equal(rec.len, 7);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(rec.frame, S2Q_FRAME_CUT);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.col, 1);
    assert_int_equal(rec.len, 5);
    assert_memory_equal(rec.data, "12345", 5);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_ERROR);
    assert_string_equal(s2q_input_error(in),
                        "gzip data ends before the end of its stream "
                        "(truncated file)");
    s2q_input_close(in);
    drop_temp(path);
}

static void test_input_next_reports_corrupt_gzip(void **state)
{
    static const struct {
        bool split;             /* member 1 ends inside a record */
        bool second;            /* damage the second member */
        long at;                /* byte to change; < 0: from the end */
        unsigned char set_bits;
        unsigned char flip_bits;
        bool first_decoded;     /* member 1's data comes before the fault */
        const char *error;
    } cases[] = {
        /* block type 3 in the second member's first block */
        { false, true, 10, 0x06, 0x00, true,
          "corrupt gzip data: invalid block type" },
        { true, true, 10, 0x06, 0x00, true,
          "corrupt gzip data: invalid block type" },
        /* compression method 9, reserved flags */
        { false, false, 2, 0x00, 0x01, false,
          "corrupt gzip data: unknown compression method" },
        { true, false, 3, 0xE0, 0x00, false,
          "corrupt gzip data: unknown header flags set" },
        /*
         * CRC and length in the trailer: every record came before them
         * (zlib's gzread lost the last block's worth of records here)
         */
        { false, false, -8, 0x00, 0xFF, true,
          "corrupt gzip data: incorrect data check" },
        { false, false, -1, 0x00, 0xFF, true,
          "corrupt gzip data: incorrect length check" },
        { true, false, -5, 0x00, 0x01, true,
          "corrupt gzip data: incorrect data check" },
    };
    struct corpus c;
    char *path;
    size_t first;
    size_t split;
    size_t i;

    (void)state;
    corpus_make(&c, 3 * FIRST_FILL / 2);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        split = cases[i].split ? c.start[c.n / 2] + 5 : c.len;
        path = temp_path();
        write_gz(path, "wb", c.data, split);
        first = file_size(path);
        write_gz(path, "ab", c.data + split, c.len - split);
        poke(path, cases[i].at < 0 ? first + (size_t)cases[i].at
             : (cases[i].second ? first : 0) + (size_t)cases[i].at,
             cases[i].set_bits, cases[i].flip_bits);
        check_damaged(path, &c, cases[i].first_decoded ? split : 0,
                      cases[i].error);
        drop_temp(path);
    }
    corpus_free(&c);
}

static void test_input_next_rejects_data_after_gzip_stream(void **state)
{
    static const struct {
        const char *data;
        size_t len;
        const char *error;
    } cases[] = {
        { "{\"c\":3}\n", 8,
          "unexpected data after the end of the gzip stream" },
        { "\x1f", 1, "unexpected data after the end of the gzip stream" },
        { "\x1f\x1f", 2,
          "unexpected data after the end of the gzip stream" },
        { "\0\0\0\0", 4, "unexpected data after the end of the gzip stream" },
        /* the magic of another member, then junk */
        { "\x1f\x8bxyz", 5, "corrupt gzip data: unknown compression method" },
    };
    static const char data[] = "{\"a\":1}\n{\"b\":2}";
    struct s2q_input_opts opts = { .max_record = 100 };
    struct s2q_input *in;
    struct s2q_record rec;
    char *path;
    size_t gz;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        path = temp_path();
        write_gz(path, "wb", data, sizeof data - 1);
        gz = file_size(path);
        append_raw(path, cases[i].data, cases[i].len);
        in = s2q_input_open(path, &opts);
        assert_non_null(in);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
        assert_memory_equal(rec.data, "{\"a\":1}", 7);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
        assert_int_equal(rec.frame, S2Q_FRAME_OK);
        assert_int_equal(rec.len, 7);
        assert_memory_equal(rec.data, "{\"b\":2}", 7);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_ERROR);
        assert_string_equal(s2q_input_error(in), cases[i].error);
        /* where the gzip stream ends, for data after it */
        if (i < 4) {
            assert_int_equal(s2q_input_offset(in), gz);
        } else {
            /* how far inflate reads into a bad header is zlib's business */
            assert_in_range(s2q_input_offset(in), gz + 2, gz + 5);
        }
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_ERROR);
        s2q_input_close(in);
        drop_temp(path);
    }
}

static void test_input_next_reports_read_error_on_directory(void **state)
{
    struct s2q_input_opts opts = { .max_record = 100 };
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
    assert_int_equal(s2q_input_offset(in), 0);
    s2q_input_close(in);
    assert_int_equal(rmdir(dir), 0);
}

static void test_input_open_reads_stdin_without_closing_it(void **state)
{
    static const char *const names[] = { "-", NULL };
    struct s2q_input_opts opts = { .max_record = 100 };
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
    struct s2q_input_opts opts = { .max_record = 1024 * 1024 };
    struct corpus c;
    char *plain;
    char *gz = temp_path();
    struct s2q_input *in;
    struct s2q_record rec;
    unsigned long long last;
    int pass;

    (void)state;
    corpus_make(&c, 2 * FIRST_FILL);
    plain = write_temp(c.data, c.len);
    write_gz(gz, "wb", c.data, c.len);
    for (pass = 0; pass < 2; pass++) {
        in = s2q_input_open(pass == 0 ? plain : gz, &opts);
        assert_non_null(in);
        assert_int_equal(s2q_input_offset(in), 0);
        last = 0;
        while (s2q_input_next(in, &rec) == S2Q_NEXT_RECORD) {
            assert_true(s2q_input_offset(in) >= last);
            last = s2q_input_offset(in);
            assert_true(last > 0);
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
    struct s2q_input_opts opts = { .max_record = 100 };
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

static void test_input_next_reads_gzip_from_pipe_in_chunks(void **state)
{
    /* one byte per read: the magic, member ends, everything is split */
    static const size_t chunks[] = { 1, 2, 7, 4096 };
    struct corpus c;
    struct feed f;
    struct s2q_input *in;
    struct s2q_record rec;
    char *path = temp_path();
    char *gz;
    size_t len;
    size_t i;

    (void)state;
    corpus_make(&c, 6000);
    write_gz(path, "wb", c.data, c.start[3] + 4);
    write_gz(path, "ab", "", 0);
    write_gz(path, "ab", c.data + c.start[3] + 4, c.len - c.start[3] - 4);
    gz = read_whole(path, &len);
    for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        in = open_feed(&f, gz, len, chunks[i], 1024 * 1024);
        expect_corpus(in, &c, 0, c.n);
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
        assert_string_equal(s2q_input_error(in), "");
        assert_int_equal(s2q_input_offset(in), len);
        /* a read per chunk, and the one that finds the end */
        assert_int_equal(f.calls, (len + chunks[i] - 1) / chunks[i] + 1);
        close_feed(&f, in);
    }
    free(gz);
    drop_temp(path);
    corpus_free(&c);
}

static void test_input_next_reads_plain_pipe_in_chunks(void **state)
{
    static const char data[] = "\x1f{\"a\":1}\n[{\"b\":\n2},\n3]\n";
    static const struct want want[] = {
        { S2Q_FRAME_OK, 1, 1, "\x1f" },
        { S2Q_FRAME_OK, 1, 2, "{\"a\":1}" },
        { S2Q_FRAME_OK, 2, 2, "{\"b\":\n2}" },
        { S2Q_FRAME_OK, 4, 1, "3" },
    };
    struct feed f;
    struct s2q_input *in;
    struct s2q_record rec;
    char name[32];
    size_t chunk;
    size_t i;

    (void)state;
    for (chunk = 1; chunk < sizeof data; chunk++) {
        in = open_feed(&f, data, sizeof data - 1, chunk, 100);
        snprintf(name, sizeof name, "chunk %zu", chunk);
        for (i = 0; i < sizeof want / sizeof want[0]; i++) {
            expect_record(in, name, i, &want[i]);
        }
        assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
        assert_int_equal(s2q_input_offset(in), sizeof data - 1);
        close_feed(&f, in);
    }
}

static void test_input_next_calls_before_block_after_records(void **state)
{
    static const char data[] =
        "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n{\"i\":3}\n";
    struct feed f;
    struct s2q_input *in;
    struct s2q_record rec;
    size_t i;

    (void)state;
    /* one record per chunk: each is returned before the next read */
    in = open_feed(&f, data, sizeof data - 1, 8, 100);
    f.seen_cap = 8;
    f.seen = calloc(f.seen_cap, sizeof *f.seen);
    assert_non_null(f.seen);
    while (s2q_input_next(in, &rec) == S2Q_NEXT_RECORD) {
        assert_int_equal(rec.line, f.records + 1);
        f.records++;
    }
    assert_int_equal(f.records, 4);
    assert_int_equal(f.calls, 5);
    for (i = 0; i < f.calls; i++) {
        assert_int_equal(f.seen[i], i);
    }
    close_feed(&f, in);
}

static void test_input_next_reads_waiting_bytes_without_before_block(
    void **state)
{
    static const char data[] = "{\"i\":0}\n{\"i\":1}\n";
    struct feed f;
    struct s2q_input *in;
    struct s2q_record rec;

    (void)state;
    /* every byte is in the pipe, and its end, before the first read */
    in = open_feed(&f, data, sizeof data - 1, sizeof data - 1, 100);
    feed_more(&f);
    feed_more(&f);
    assert_int_equal(f.calls, 2);
    while (s2q_input_next(in, &rec) == S2Q_NEXT_RECORD) {
        f.records++;
    }
    assert_int_equal(f.records, 2);
    assert_int_equal(f.calls, 2);
    close_feed(&f, in);
}

static void test_input_next_skips_before_block_for_files(void **state)
{
    struct feed f;
    struct s2q_input_opts opts = {
        .max_record = 100,
        .before_block = feed_more,
        .block_ctx = &f
    };
    char *path = write_temp("{\"a\":1}\n", 8);
    struct s2q_input *in;
    struct s2q_record rec;

    (void)state;
    memset(&f, 0, sizeof f);
    f.wfd = -1;
    in = s2q_input_open(path, &opts);
    assert_non_null(in);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_RECORD);
    assert_int_equal(s2q_input_next(in, &rec), S2Q_NEXT_END);
    assert_int_equal(f.calls, 0);
    s2q_input_close(in);
    drop_temp(path);
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
        cmocka_unit_test(test_input_next_frames_stray_closers_as_one_byte),
        cmocka_unit_test(test_input_next_skips_stray_commas),
        cmocka_unit_test(test_input_next_cuts_unfinished_records),
        cmocka_unit_test(test_input_next_resyncs_in_indented_arrays),
        cmocka_unit_test(test_input_next_keeps_valid_values_in_first_column),
        cmocka_unit_test(test_input_next_resyncs_after_truncated_lines),
        cmocka_unit_test(test_input_next_resyncs_at_concatenated_files),
        cmocka_unit_test(test_input_next_tracks_container_kinds_1024_deep),
        cmocka_unit_test(test_input_next_frames_deep_records_whole),
        cmocka_unit_test(test_input_next_ends_empty_and_blank_inputs),
        cmocka_unit_test(test_input_next_spills_oversize_record_in_order),
        cmocka_unit_test(test_input_next_drops_oversize_record_without_spill),
        cmocka_unit_test(test_input_next_oversize_limit_is_exclusive),
        cmocka_unit_test(test_input_next_frames_records_across_block_ends),
        cmocka_unit_test(test_input_next_cuts_spilled_record_across_reads),
        cmocka_unit_test(test_input_next_frames_escapes_at_every_offset),
        cmocka_unit_test(test_input_next_streams_large_input),
        cmocka_unit_test(test_input_lines_framed_elsewhere_alike),
        cmocka_unit_test(test_input_lines_wait_for_no_pipe),
        cmocka_unit_test(test_input_next_reads_gzip_single_member),
        cmocka_unit_test(test_input_next_reads_gzip_multi_member),
        cmocka_unit_test(test_input_next_reads_empty_gzip_members),
        cmocka_unit_test(test_input_next_reports_truncated_gzip_after_records),
        cmocka_unit_test(test_input_next_cuts_last_scalar_at_gzip_fault),
        cmocka_unit_test(test_input_next_reports_corrupt_gzip),
        cmocka_unit_test(test_input_next_rejects_data_after_gzip_stream),
        cmocka_unit_test(test_input_next_reports_read_error_on_directory),
        cmocka_unit_test(test_input_open_reads_stdin_without_closing_it),
        cmocka_unit_test(test_input_offset_counts_file_bytes),
        cmocka_unit_test(test_input_offset_counts_piped_bytes),
        cmocka_unit_test(test_input_next_reads_gzip_from_pipe_in_chunks),
        cmocka_unit_test(test_input_next_reads_plain_pipe_in_chunks),
        cmocka_unit_test(test_input_next_calls_before_block_after_records),
        cmocka_unit_test(
            test_input_next_reads_waiting_bytes_without_before_block),
        cmocka_unit_test(test_input_next_skips_before_block_for_files),
        cmocka_unit_test(test_input_close_accepts_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
