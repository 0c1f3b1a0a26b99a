/*
 * input.c - reading an input (file or standard input, plain or gzip) and
 * framing it into records without parsing the JSON.
 *
 * Bytes come through zlib, which passes plain data through and inflates
 * gzip members, into one buffer filled in large blocks. Records are
 * returned as pointers into that buffer. A record still open when the
 * held bytes run out is moved to the front before the next read; once it
 * is longer than the size limit its bytes go to the spill callback and
 * are dropped, so the buffer never grows past the limit plus a few
 * blocks, however long the input or the record.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "s2q/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "s2q/buf.h"

/* Free room wanted in the buffer before each read. */
#define BLOCK_SIZE ((size_t)256 * 1024)
/* Size of zlib's own input buffer. */
#define GZ_BUFFER_SIZE (128U * 1024U)
/* Most bytes asked for in one read. */
#define READ_MAX ((size_t)1024 * 1024)
/* Record size limit used when the options give none. */
#define DEFAULT_MAX_RECORD ((size_t)16 * 1024 * 1024)

/* What the framer is in the middle of. */
enum kind {
    KIND_NONE,      /* between records */
    KIND_NESTED,    /* an object, an array or a string */
    KIND_SCALAR,    /* a bare number, literal or other word */
    KIND_ONE        /* a stray closing bracket or comma: one byte */
};

/* Outcome of scanning part of a record. */
enum scan {
    SCAN_NEED,      /* the bytes held ran out: read more */
    SCAN_DONE,      /* the record is complete */
    SCAN_CUT,       /* the record ended before its value was complete */
    SCAN_GO         /* entered or left a string: scan on */
};

struct s2q_input {
    gzFile gz;
    char *buf;
    size_t cap;
    size_t limit;           /* largest capacity the buffer may need */
    size_t end;             /* bytes held in buf */
    size_t pos;             /* next byte to scan */
    size_t rec;             /* first byte held of the current record */
    enum kind kind;
    size_t depth;           /* open brackets of the current record */
    bool in_str;            /* the scan is inside a string */
    bool in_array;          /* inside a top-level array */
    bool spilling;          /* the current record is over the limit */
    bool eof;
    bool failed;            /* a read failed: report it when reached */
    unsigned long line;     /* line of the byte at pos */
    unsigned long rec_line; /* line where the current record starts */
    size_t spilled;         /* bytes of the current record already dropped */
    z_off_t upos;           /* bytes delivered by zlib so far */
    size_t max_record;
    s2q_spill_fn spill;
    void *spill_ctx;
    char err[200];
};

/* A scan in progress over the bytes held. */
struct cursor {
    const unsigned char *p;
    const unsigned char *e;
    const unsigned char *stop;  /* where the record's bytes end */
    size_t depth;
    unsigned long line;
    bool in_str;
};

/* Bytes that end a run of string content. */
static const unsigned char string_class[256] = {
    ['"'] = 1, ['\\'] = 1, ['\n'] = 1
};

/* Bytes that matter inside a record outside its strings. */
static const unsigned char nested_class[256] = {
    ['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['\n'] = 1
};

/* Bytes that end a bare scalar. */
static const unsigned char scalar_class[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [','] = 1, [']'] = 1,
    ['}'] = 1, ['['] = 1, ['{'] = 1, ['"'] = 1
};

/* Whitespace between records. */
static const unsigned char space_class[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1
};

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* The eight bytes at p as a little-endian number (one load on x86). */
static uint64_t load_le64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16
        | (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40
        | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/*
 * The high bit of the bytes of w that equal c. The lowest bit set marks
 * the first such byte exactly; bits above it may be false (a borrow),
 * which does not matter since only the first match is used.
 */
static uint64_t byte_mask(uint64_t w, unsigned char c)
{
    uint64_t v = w ^ (ONES * c);

    return (v - ONES) & ~v & HIGHS;
}

/* Index of the lowest byte whose high bit is set in m (m != 0). */
static unsigned first_byte(uint64_t m)
{
    uint64_t low = (m & (~m + 1)) >> 7;

    return (unsigned)((low * UINT64_C(0x0001020304050607)) >> 56);
}

/*
 * First quote, backslash or LF in [p, e), or e. Tests eight bytes at a
 * time, since string content is most of a Sysmon record.
 */
static const unsigned char *string_stop(const unsigned char *p,
                                        const unsigned char *e)
{
    uint64_t w;
    uint64_t m;

    while (e - p >= 8) {
        w = load_le64(p);
        m = byte_mask(w, '"') | byte_mask(w, '\\') | byte_mask(w, '\n');
        if (m != 0) {
            return p + first_byte(m);
        }
        p += 8;
    }
    while (p < e && !string_class[*p]) {
        p++;
    }
    return p;
}

/*
 * Scan string content up to its closing quote. A trailing backslash is
 * left unscanned until the byte it escapes is held. A raw LF cuts the
 * record; the next one starts after it.
 */
static enum scan scan_string(struct cursor *c)
{
    const unsigned char *p = c->p;

    for (;;) {
        p = string_stop(p, c->e);
        if (p == c->e || (*p == '\\' && c->e - p < 2)) {
            c->p = p;
            return SCAN_NEED;
        }
        if (*p == '"') {
            c->p = p + 1;
            c->stop = c->p;
            c->in_str = false;
            return c->depth == 0 ? SCAN_DONE : SCAN_GO;
        }
        if (*p == '\\' && p[1] != '\n') {
            p += 2;
            continue;
        }
        if (*p == '\\') {
            p++;
        }
        c->stop = p;
        c->p = p + 1;
        c->line++;
        return SCAN_CUT;
    }
}

/*
 * Scan a record outside its strings: count brackets and lines. A LF is
 * left unscanned until the byte after it is held, since a '{' there, in
 * the first column, starts a new record and cuts this one.
 */
static enum scan scan_outside(struct cursor *c)
{
    const unsigned char *p = c->p;
    const unsigned char *e = c->e;

    for (;;) {
        while (p < e && !nested_class[*p]) {
            p++;
        }
        if (p == e || (*p == '\n' && e - p < 2)) {
            c->p = p;
            return SCAN_NEED;
        }
        if (*p == '"') {
            c->p = p + 1;
            c->in_str = true;
            return SCAN_GO;
        }
        if (*p == '{' || *p == '[') {
            c->depth++;
        } else if (*p == '}' || *p == ']') {
            if (--c->depth == 0) {
                c->p = p + 1;
                c->stop = c->p;
                return SCAN_DONE;
            }
        } else {
            c->line++;
            if (p[1] == '{') {
                c->p = p + 1;
                c->stop = c->p;
                return SCAN_CUT;
            }
        }
        p++;
    }
}

/* Scan a bare scalar up to the first byte that cannot belong to it. */
static enum scan scan_scalar(struct cursor *c)
{
    const unsigned char *p = c->p;

    while (p < c->e && !scalar_class[*p]) {
        p++;
    }
    c->p = p;
    c->stop = p;
    return p == c->e ? SCAN_NEED : SCAN_DONE;
}

/*
 * Scan the current record from in->pos on, as far as the bytes held go.
 * On SCAN_DONE and SCAN_CUT, *stop is where its bytes end and in->pos
 * where the search for the next record resumes.
 */
static enum scan scan_record(struct s2q_input *in, size_t *stop)
{
    const unsigned char *b = (const unsigned char *)in->buf;
    struct cursor c;
    enum scan r;

    if (in->kind == KIND_ONE) {
        *stop = in->pos;
        return SCAN_DONE;
    }
    c.p = b + in->pos;
    c.e = b + in->end;
    c.stop = c.p;
    c.depth = in->depth;
    c.line = in->line;
    c.in_str = in->in_str;
    if (in->kind == KIND_SCALAR) {
        r = scan_scalar(&c);
    } else {
        do {
            r = c.in_str ? scan_string(&c) : scan_outside(&c);
        } while (r == SCAN_GO);
    }
    in->pos = (size_t)(c.p - b);
    in->depth = c.depth;
    in->line = c.line;
    in->in_str = c.in_str;
    *stop = (size_t)(c.stop - b);
    return r;
}

/* Note that a record starts at index at, and what kind of value it is. */
static void open_record(struct s2q_input *in, size_t at)
{
    unsigned char c = (unsigned char)in->buf[at];

    in->rec = at;
    in->rec_line = in->line;
    in->spilled = 0;
    in->spilling = false;
    in->depth = 0;
    in->in_str = false;
    in->pos = at + 1;
    if (c == '{' || c == '[') {
        in->kind = KIND_NESTED;
        in->depth = 1;
    } else if (c == '"') {
        in->kind = KIND_NESTED;
        in->in_str = true;
    } else if (c == '}' || c == ']' || c == ',') {
        in->kind = KIND_ONE;
    } else {
        in->kind = KIND_SCALAR;
    }
}

/*
 * Skip what lies between records - whitespace, byte order marks, and the
 * brackets and commas of a top-level array - and open the next record.
 * Returns false when the bytes held run out first (a possible byte order
 * mark is left unscanned until its three bytes are held).
 */
static bool start_record(struct s2q_input *in)
{
    const unsigned char *b = (const unsigned char *)in->buf;
    const unsigned char *p = b + in->pos;
    const unsigned char *e = b + in->end;
    unsigned long line = in->line;

    for (;;) {
        while (p < e && space_class[*p]) {
            line += *p == '\n';
            p++;
        }
        in->line = line;
        if (p == e || (*p == 0xEF && e - p < 3 && !in->eof)) {
            in->pos = (size_t)(p - b);
            return false;
        }
        if (*p == 0xEF && e - p >= 3 && p[1] == 0xBB && p[2] == 0xBF) {
            p += 3;
        } else if (in->in_array && (*p == ',' || *p == ']')) {
            in->in_array = *p == ',';
            p++;
        } else if (!in->in_array && *p == '[') {
            in->in_array = true;
            p++;
        } else {
            open_record(in, (size_t)(p - b));
            return true;
        }
    }
}

/* Hand n bytes of an oversize record to the spill callback. */
static void spill_bytes(struct s2q_input *in, const char *p, size_t n)
{
    if (n == 0) {
        return;
    }
    if (in->spill != NULL) {
        in->spill(in->spill_ctx, p, n, !in->spilling, in->rec_line);
    }
    in->spilling = true;
    in->spilled += n;
}

/*
 * Make room for a read: drop the scanned part of an oversize record (to
 * the spill callback) and what lies before the current record, move the
 * rest to the front, and grow the buffer when less than a block is free.
 */
static void make_room(struct s2q_input *in)
{
    size_t keep;
    size_t want;

    if (in->kind != KIND_NONE
        && (in->spilling || in->pos - in->rec > in->max_record)) {
        spill_bytes(in, in->buf + in->rec, in->pos - in->rec);
        in->rec = in->pos;
    }
    keep = in->kind != KIND_NONE ? in->rec : in->pos;
    if (keep > 0) {
        memmove(in->buf, in->buf + keep, in->end - keep);
        in->end -= keep;
        in->pos -= keep;
        in->rec = in->rec > keep ? in->rec - keep : 0;
    }
    if (in->cap - in->end < BLOCK_SIZE && in->cap < in->limit) {
        want = in->cap * 2;
        if (want < in->end + BLOCK_SIZE) {
            want = in->end + BLOCK_SIZE;
        }
        if (want > in->limit) {
            want = in->limit;
        }
        in->buf = s2q_xrealloc(in->buf, want);
        in->cap = want;
    }
}

/*
 * Keep zlib's message about a failed read, without the "<fd:N>: " that
 * it puts first, saying what kind of failure it was.
 */
static void set_read_error(struct s2q_input *in, int errnum, const char *msg)
{
    const char *m = strstr(msg, ">: ");

    if (strncmp(msg, "<fd:", 4) == 0 && m != NULL) {
        msg = m + 3;
    }
    if (errnum == Z_BUF_ERROR) {
        msg = "unexpected end of gzip data (truncated file)";
        snprintf(in->err, sizeof in->err, "%s", msg);
    } else if (errnum == Z_DATA_ERROR) {
        snprintf(in->err, sizeof in->err, "corrupt gzip data: %s", msg);
    } else if (errnum == Z_ERRNO) {
        snprintf(in->err, sizeof in->err, "read error: %s", msg);
    } else {
        snprintf(in->err, sizeof in->err, "%s", msg);
    }
}

/*
 * Read up to n bytes after those held. zlib drops the count of a read that
 * fails after delivering some bytes (a damaged gzip member after a good
 * one), so the count is taken from its position instead; the failure is
 * reported once these bytes have been framed. Returns 1 when bytes were
 * read, 0 at the end of the input, -1 after a failure.
 */
static int read_bytes(struct s2q_input *in, size_t n)
{
    int got = gzread(in->gz, in->buf + in->end, (unsigned)n);
    int errnum = Z_OK;
    const char *msg = gzerror(in->gz, &errnum);
    z_off_t at;

    if (got < 0) {
        at = gztell(in->gz);
        got = at > in->upos && at - in->upos <= (z_off_t)n
            ? (int)(at - in->upos) : 0;
    }
    if (errnum != Z_OK) {
        set_read_error(in, errnum, msg);
        in->failed = true;
    }
    in->end += (size_t)got;
    in->upos += got;
    if (got > 0) {
        return 1;
    }
    if (in->failed) {
        return -1;
    }
    in->eof = true;
    return 0;
}

/* Read more input after making room for it; see read_bytes. */
static int fill(struct s2q_input *in)
{
    size_t n;

    if (in->failed) {
        return -1;
    }
    make_room(in);
    n = in->cap - in->end;
    if (n > READ_MAX) {
        n = READ_MAX;
    }
    return read_bytes(in, n);
}

/*
 * Fill *rec with the current record, whose bytes end at index stop, and
 * get ready for the next one. An oversize record has its last bytes
 * spilled; a cut one loses the whitespace it ends with.
 */
static void finish(struct s2q_input *in, struct s2q_record *rec,
                   size_t stop, enum s2q_frame frame)
{
    size_t n;

    while (frame == S2Q_FRAME_CUT && stop > in->rec
           && space_class[(unsigned char)in->buf[stop - 1]]) {
        stop--;
    }
    n = stop - in->rec;
    rec->size = in->spilled + n;
    rec->line = in->rec_line;
    if (in->spilling || rec->size > in->max_record) {
        spill_bytes(in, in->buf + in->rec, n);
        rec->data = NULL;
        rec->len = 0;
        rec->frame = S2Q_FRAME_OVERSIZE;
    } else {
        rec->data = in->buf + in->rec;
        rec->len = n;
        rec->frame = frame;
    }
    in->kind = KIND_NONE;
    in->spilling = false;
    in->spilled = 0;
}

/* Largest buffer capacity a record size limit can need. */
static size_t capacity_limit(size_t max_record)
{
    if (max_record > SIZE_MAX / 2 - 2 * BLOCK_SIZE) {
        return SIZE_MAX / 2;
    }
    return max_record + 2 * BLOCK_SIZE;
}

struct s2q_input *s2q_input_open(const char *path,
                                 const struct s2q_input_opts *opts)
{
    struct s2q_input *in;
    gzFile gz;
    int fd;

    if (path == NULL || strcmp(path, "-") == 0) {
        fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        return NULL;
    }
    gz = gzdopen(fd, "rb");
    if (gz == NULL) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    gzbuffer(gz, GZ_BUFFER_SIZE);
    in = s2q_xcalloc(1, sizeof *in);
    in->gz = gz;
    in->line = 1;
    in->max_record = DEFAULT_MAX_RECORD;
    if (opts != NULL && opts->max_record > 0) {
        in->max_record = opts->max_record;
    }
    if (opts != NULL) {
        in->spill = opts->spill;
        in->spill_ctx = opts->spill_ctx;
    }
    in->limit = capacity_limit(in->max_record);
    in->cap = 2 * BLOCK_SIZE;
    in->buf = s2q_xmalloc(in->cap);
    return in;
}

enum s2q_next s2q_input_next(struct s2q_input *in, struct s2q_record *rec)
{
    size_t stop;
    enum scan r;

    for (;;) {
        if (in->kind != KIND_NONE || start_record(in)) {
            r = scan_record(in, &stop);
            if (r == SCAN_DONE || r == SCAN_CUT) {
                finish(in, rec, stop,
                       r == SCAN_CUT ? S2Q_FRAME_CUT : S2Q_FRAME_OK);
                return S2Q_NEXT_RECORD;
            }
            if (in->eof) {
                in->pos = in->end;
                finish(in, rec, in->end, in->kind == KIND_SCALAR
                       ? S2Q_FRAME_OK : S2Q_FRAME_CUT);
                return S2Q_NEXT_RECORD;
            }
        } else if (in->eof) {
            return S2Q_NEXT_END;
        }
        if (fill(in) < 0) {
            return S2Q_NEXT_ERROR;
        }
    }
}

const char *s2q_input_error(const struct s2q_input *in)
{
    return in->err;
}

unsigned long long s2q_input_offset(const struct s2q_input *in)
{
    z_off_t off = gzoffset(in->gz);

    /* not seekable (a pipe): the bytes zlib delivered are what is known */
    if (off < 0) {
        off = in->upos;
    }
    return (unsigned long long)off;
}

void s2q_input_close(struct s2q_input *in)
{
    if (in == NULL) {
        return;
    }
    gzclose(in->gz);
    free(in->buf);
    free(in);
}
