/*
 * input.c - reading an input (file or standard input, plain or gzip) and
 * framing it into records without parsing the JSON.
 *
 * Bytes are read with read(2) straight into one buffer, filled in large
 * blocks; gzip input (magic 1f 8b at the very start) is read into a
 * second buffer and inflated into the first. Records are returned as
 * pointers into that buffer. A record still open when the held bytes run
 * out is moved to the front before the next read; once it is longer than
 * the size limit its bytes go to the spill callback and are dropped, so
 * the buffer never grows past the limit plus a few blocks, however long
 * the input or the record.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memrchr */
#endif

#include "s2q/input.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "s2q/buf.h"

/* Free room wanted in the buffer before each read. */
#define BLOCK_SIZE ((size_t)256 * 1024)
/* Size of the buffer of compressed bytes. */
#define GZ_BUFFER_SIZE ((size_t)256 * 1024)
/* Most bytes asked for in one read. */
#define READ_MAX ((size_t)1024 * 1024)
/* A pipe that has been empty this long has paused (see s2q_block_fn). */
#define PAUSE_MS 10
/* Record size limit used when the options give none. */
#define DEFAULT_MAX_RECORD ((size_t)16 * 1024 * 1024)
/* Bracket levels whose kind (object or array) is tracked. */
#define KIND_LEVELS 1024
#define KIND_WORDS (KIND_LEVELS / 64)

/* What the framer is in the middle of. */
enum kind {
    KIND_NONE,      /* between records */
    KIND_NESTED,    /* an object, an array or a string */
    KIND_SCALAR,    /* a bare number, literal or other word */
    KIND_ONE        /* a stray closing bracket: one byte */
};

/* Outcome of scanning part of a record. */
enum scan {
    SCAN_NEED,      /* the bytes held ran out: read more */
    SCAN_DONE,      /* the record is complete */
    SCAN_CUT,       /* the record ended before its value was complete */
    SCAN_GO,        /* entered or left a string: scan on */
    SCAN_BYTES      /* a block the byte scan must take (scan_block) */
};

/* How the bytes of the input are to be taken. */
enum mode {
    MODE_UNKNOWN,   /* nothing read yet */
    MODE_PLAIN,     /* as they are */
    MODE_GZIP       /* inflated */
};

struct s2q_input {
    int fd;
    enum mode mode;
    bool may_block;         /* a pipe, socket or terminal */
    bool raw_eof;           /* read(2) returned 0 */
    bool member_end;        /* inflate finished a gzip member */
    bool z_ready;           /* z needs inflateEnd */
    z_stream z;
    unsigned char *zbuf;    /* compressed bytes */
    size_t zcap;
    unsigned long long raw; /* bytes read from fd */
    char *buf;
    size_t cap;
    size_t limit;           /* largest capacity the buffer may need */
    size_t end;             /* bytes held in buf */
    size_t pos;             /* next byte to scan */
    size_t rec;             /* first byte held of the current record */
    enum kind kind;
    size_t depth;           /* open brackets of the current record */
    uint64_t kinds[KIND_WORDS]; /* bit set: that level is an array */
    bool in_str;            /* the scan is inside a string */
    bool lead;              /* the scan is in the blanks opening a line */
    bool in_array;          /* inside a top-level array */
    bool after_cut;         /* the last record was cut, or a byte order
                               mark came since: a '[' next opens a new
                               top-level array (another file). Only read
                               inside a top-level array: outside one, a
                               '[' opens an array anyway, so the state
                               between records outside an array is the
                               same whatever came before */
    bool spilling;          /* the current record is over the limit */
    bool eof;               /* no more bytes will come */
    bool failed;            /* a read or gzip fault: report it at the end */
    bool borrowed;          /* buf is the caller's (s2q_input_open_bytes) */
    bool open_at_end;       /* a record was still open at the end */
    unsigned long pauses;   /* calls of before_block so far */
    unsigned char last_sig; /* last non-blank byte of the spilled bytes */
    unsigned long line;     /* line of the byte at pos */
    unsigned long rec_line; /* line where the current record starts */
    unsigned long rec_col;  /* column where the current record starts */
    unsigned long long base;       /* stream offset of buf[0] */
    unsigned long long line_start; /* stream offset where the line starts */
    size_t spilled;         /* bytes of the current record already dropped */
    size_t max_record;
    s2q_spill_fn spill;
    void *spill_ctx;
    s2q_block_fn before_block;
    void *block_ctx;
    s2q_line_fn check_line;
    void *line_ctx;
    char err[200];
};

/* A scan in progress over the bytes held. */
struct cursor {
    struct s2q_input *in;
    const unsigned char *b;     /* in->buf */
    const unsigned char *p;
    const unsigned char *e;
    const unsigned char *stop;  /* where the record's bytes end */
    const unsigned char *ls;    /* where the line starts, once known */
    unsigned long rec_col;
    size_t depth;
    unsigned long line;
    bool in_str;
    bool lead;
    bool leave_array;           /* cut by '[' or a byte order mark */
};

/* Bytes that end a run of string content. */
static const unsigned char string_class[256] = {
    ['"'] = 1, ['\\'] = 1, ['\n'] = 1
};

/* Bytes that matter inside a record outside its strings. */
static const unsigned char nested_class[256] = {
    ['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['\n'] = 1,
    [0xEF] = 1
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

/* True when the three bytes at p are a UTF-8 byte order mark. */
static bool is_bom(const unsigned char *p)
{
    return p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
}

/* Stream offset of the byte at p of the buffer a cursor scans. */
static unsigned long long offset_of(const struct cursor *c,
                                    const unsigned char *p)
{
    return c->in->base + (unsigned long long)(p - c->b);
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
        c->ls = c->p;
        return SCAN_CUT;
    }
}

/* Note one more open bracket, and whether it opens an array. */
static void push_level(struct cursor *c, bool array)
{
    size_t i;
    uint64_t bit;

    c->depth++;
    if (c->depth <= KIND_LEVELS) {
        i = c->depth - 1;
        bit = UINT64_C(1) << (i % 64);
        c->in->kinds[i / 64] = array ? c->in->kinds[i / 64] | bit
            : c->in->kinds[i / 64] & ~bit;
    }
}

/*
 * True when the JSON grammar expects a value at p, the first non-blank
 * byte of a line: the previous significant byte of the record is ':' or
 * '[', or ',' inside an array (levels past the tracked ones count as
 * objects). Outside strings, what precedes p back to that byte is
 * whitespace; when it reaches back past the bytes held (spilled), the
 * last significant byte spilled stands in.
 */
static bool value_expected(const struct cursor *c, const unsigned char *p)
{
    const unsigned char *lo = c->b + c->in->rec;
    unsigned char prev;
    size_t i;

    while (p > lo && space_class[p[-1]]) {
        p--;
    }
    prev = p > lo ? p[-1] : c->in->last_sig;
    if (prev == ':' || prev == '[') {
        return true;
    }
    if (prev != ',' || c->depth > KIND_LEVELS) {
        return false;
    }
    i = c->depth - 1;
    return (c->in->kinds[i / 64] >> (i % 64) & 1) != 0;
}

/*
 * The first non-blank byte p of a line is '{' or '[' at a column <= the
 * record's: cut the record there, unless a value is expected.
 */
static enum scan line_starts_record(struct cursor *c, const unsigned char *p)
{
    if (value_expected(c, p)) {
        return SCAN_GO;
    }
    c->stop = p;
    c->leave_array = *p == '[';
    return SCAN_CUT;
}

/*
 * At the LF p inside an open record: count the line and skip the blanks
 * that open the next one, as far as the record's column, to see whether
 * a new record starts there. When the bytes held run out in those
 * blanks, the scan resumes in them (scan_lead).
 */
static enum scan new_line(struct cursor *c, const unsigned char *p)
{
    const unsigned char *ls = p + 1;
    const unsigned char *lim = c->e;

    if ((size_t)(c->e - ls) > c->rec_col) {
        lim = ls + c->rec_col;
    }
    c->line++;
    c->ls = ls;
    p = ls;
    while (p < lim && (*p == ' ' || *p == '\t')) {
        p++;
    }
    c->p = p;
    if (p < lim) {
        return *p == '{' || *p == '[' ? line_starts_record(c, p) : SCAN_GO;
    }
    if (p == c->e && (size_t)(c->e - ls) < c->rec_col) {
        c->lead = true;
        return SCAN_NEED;
    }
    return SCAN_GO;
}

/*
 * Resume new_line in the blanks that open a line, whose start may no
 * longer be held: columns are counted from stream offsets.
 */
static enum scan scan_lead(struct cursor *c)
{
    const unsigned char *p = c->p;
    unsigned long long col = offset_of(c, p) - c->in->line_start + 1;

    while (p < c->e && (*p == ' ' || *p == '\t') && col <= c->rec_col) {
        p++;
        col++;
    }
    c->p = p;
    if (col <= c->rec_col && p == c->e) {
        return SCAN_NEED;
    }
    c->lead = false;
    if (col > c->rec_col || (*p != '{' && *p != '[')) {
        return SCAN_GO;
    }
    return line_starts_record(c, p);
}

/*
 * At a 0xEF byte outside strings: cut the record at a byte order mark
 * (never part of a value; the start of another file). A possible mark
 * is left unscanned until its three bytes are held.
 */
static enum scan scan_bom(struct cursor *c, const unsigned char *p)
{
    c->p = p;
    if (c->e - p < 3) {
        return SCAN_NEED;
    }
    if (!is_bom(p)) {
        c->p = p + 1;
        return SCAN_GO;
    }
    c->stop = p;
    c->leave_array = true;
    return SCAN_CUT;
}

/* Scan a record outside its strings: count brackets and lines. */
static enum scan scan_outside(struct cursor *c)
{
    const unsigned char *p = c->p;
    const unsigned char *e = c->e;
    enum scan r;

    for (;;) {
        while (p < e && !nested_class[*p]) {
            p++;
        }
        if (p == e) {
            c->p = p;
            return SCAN_NEED;
        }
        if (*p == '"') {
            c->p = p + 1;
            c->in_str = true;
            return SCAN_GO;
        }
        if (*p == '{' || *p == '[') {
            push_level(c, *p == '[');
        } else if (*p == '}' || *p == ']') {
            if (--c->depth == 0) {
                c->p = p + 1;
                c->stop = c->p;
                return SCAN_DONE;
            }
        } else {
            r = *p == '\n' ? new_line(c, p) : scan_bom(c, p);
            if (r != SCAN_GO) {
                return r;
            }
            p = c->p;
            continue;
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

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define BLOCK_SCAN 1

/* Bytes a block scan covers. */
#define BLOCK 64

/* Bit i set for each byte i of the 64 in v that equals c. */
static uint64_t block_mask(const __m128i v[4], unsigned char c)
{
    __m128i want = _mm_set1_epi8((char)c);
    uint64_t m = 0;

    for (int i = 0; i < 4; i++) {
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v[i], want))
             << (16 * i);
    }
    return m;
}

/* Bit i set when an odd number of the bits 0..i of x are set. */
static uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/*
 * Scan the 64 bytes at c->p at once, inside an open bracket: find the
 * quotes that are not escaped, hence which bytes are inside strings, and
 * walk only the brackets outside them. A block holding a line feed or a
 * 0xEF byte, a backslash outside a string, or an escape that runs past
 * its end is left to the byte scan (SCAN_BYTES, nothing consumed), as
 * those need its rules.
 */
static enum scan scan_block(struct cursor *c)
{
    const unsigned char *p = c->p;
    __m128i v[4];
    __m128i folded[4];
    uint64_t bs;
    uint64_t quote;
    uint64_t open;
    uint64_t close;
    uint64_t escaped = 0;
    uint64_t in;
    uint64_t br;

    for (int i = 0; i < 4; i++) {
        v[i] = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        /* '[' and ']' differ from '{' and '}' only in bit 0x20. */
        folded[i] = _mm_or_si128(v[i], _mm_set1_epi8(0x20));
    }
    if ((block_mask(v, '\n') | block_mask(v, 0xEF)) != 0) {
        return SCAN_BYTES;
    }
    bs = block_mask(v, '\\');
    quote = block_mask(v, '"');
    open = block_mask(folded, '{');
    close = block_mask(folded, '}');
    for (uint64_t b = bs; b != 0; b &= ~(UINT64_C(3) << __builtin_ctzll(b))) {
        if (__builtin_ctzll(b) == BLOCK - 1) {
            return SCAN_BYTES;
        }
        escaped |= UINT64_C(2) << __builtin_ctzll(b);
    }
    /* in: the bytes inside strings, opening quotes included. */
    in = prefix_xor(quote & ~escaped);
    if (c->in_str) {
        in = ~in;
    }
    if ((bs & ~in) != 0) {
        return SCAN_BYTES;
    }
    for (br = (open | close) & ~in; br != 0; br &= br - 1) {
        unsigned k = (unsigned)__builtin_ctzll(br);

        if (open >> k & 1) {
            push_level(c, p[k] == '[');
        } else if (--c->depth == 0) {
            c->p = p + k + 1;
            c->stop = c->p;
            c->in_str = false;
            return SCAN_DONE;
        }
    }
    c->in_str = in >> (BLOCK - 1) & 1;
    c->p = p + BLOCK;
    return SCAN_GO;
}
#endif

/* Scan a nested record (object, array or string) as far as it goes. */
static enum scan scan_nested(struct cursor *c)
{
    enum scan r = SCAN_GO;

    if (c->lead) {
        r = scan_lead(c);
    }
    while (r == SCAN_GO) {
#ifdef BLOCK_SCAN
        if (c->depth > 0 && c->e - c->p >= BLOCK) {
            const unsigned char *end = c->p + BLOCK;

            r = scan_block(c);
            /* A block left to the byte scan: scan at least past it. */
            if (r == SCAN_BYTES) {
                do {
                    r = c->in_str ? scan_string(c) : scan_outside(c);
                } while (r == SCAN_GO && c->p < end);
            }
            continue;
        }
#endif
        r = c->in_str ? scan_string(c) : scan_outside(c);
    }
    return r;
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
    c.in = in;
    c.b = b;
    c.p = b + in->pos;
    c.e = b + in->end;
    c.stop = c.p;
    c.ls = NULL;
    c.rec_col = in->rec_col;
    c.depth = in->depth;
    c.line = in->line;
    c.in_str = in->in_str;
    c.lead = in->lead;
    c.leave_array = false;
    r = in->kind == KIND_SCALAR ? scan_scalar(&c) : scan_nested(&c);
    in->pos = (size_t)(c.p - b);
    in->depth = c.depth;
    in->line = c.line;
    in->in_str = c.in_str;
    in->lead = c.lead;
    if (c.ls != NULL) {
        in->line_start = in->base + (size_t)(c.ls - b);
    }
    if (c.leave_array) {
        in->in_array = false;
    }
    *stop = (size_t)(c.stop - b);
    return r;
}

/* Note that a record starts at index at, and what kind of value it is. */
static void open_record(struct s2q_input *in, size_t at)
{
    unsigned char c = (unsigned char)in->buf[at];
    unsigned long long col = in->base + at - in->line_start + 1;

    in->rec = at;
    in->after_cut = false;
    in->rec_line = in->line;
    in->rec_col = col > ULONG_MAX ? ULONG_MAX : (unsigned long)col;
    in->spilled = 0;
    in->spilling = false;
    in->depth = 0;
    in->in_str = false;
    in->lead = false;
    in->last_sig = c;
    in->pos = at + 1;
    if (c == '{' || c == '[') {
        in->kind = KIND_NESTED;
        in->depth = 1;
        in->kinds[0] = c == '[';
    } else if (c == '"') {
        in->kind = KIND_NESTED;
        in->in_str = true;
    } else if (c == '}' || c == ']') {
        in->kind = KIND_ONE;
    } else {
        in->kind = KIND_SCALAR;
    }
}

/*
 * Skip what lies between records - whitespace, byte order marks, commas,
 * and the brackets of a top-level array - and open the next record.
 * Returns false when the bytes held run out first (a possible byte order
 * mark is left unscanned until its three bytes are held).
 */
static bool start_record(struct s2q_input *in)
{
    const unsigned char *b = (const unsigned char *)in->buf;
    const unsigned char *p = b + in->pos;
    const unsigned char *e = b + in->end;

    for (;;) {
        while (p < e && space_class[*p]) {
            if (*p == '\n') {
                in->line++;
                in->line_start = in->base + (size_t)(p + 1 - b);
            }
            p++;
        }
        if (p == e || (*p == 0xEF && e - p < 3 && !in->eof)) {
            in->pos = (size_t)(p - b);
            return false;
        }
        if (*p == 0xEF && e - p >= 3 && is_bom(p)) {
            /* another file begins: its '[' opens an array of its own */
            p += 3;
            in->after_cut = true;
        } else if (*p == ',') {
            p++;
        } else if (in->in_array && *p == ']') {
            in->in_array = false;
            p++;
        } else if (*p == '[' && (!in->in_array || in->after_cut)) {
            in->in_array = true;
            in->after_cut = false;
            p++;
        } else {
            open_record(in, (size_t)(p - b));
            return true;
        }
    }
}

/*
 * Hand n bytes of an oversize record to the spill callback, keeping their
 * last significant byte for value_expected.
 */
static void spill_bytes(struct s2q_input *in, const char *p, size_t n)
{
    size_t i = n;

    if (n == 0) {
        return;
    }
    while (i > 0 && space_class[(unsigned char)p[i - 1]]) {
        i--;
    }
    if (i > 0) {
        in->last_sig = (unsigned char)p[i - 1];
    }
    if (in->spill != NULL) {
        in->spill(in->spill_ctx, p, n, !in->spilling, in->rec_line);
    }
    in->spilling = true;
    in->spilled += n;
}

/*
 * Once the scanned part of the current record is over the limit, drop it
 * to the spill callback, less the whitespace it ends with (up to a block
 * of it): if the record turns out to be cut there, that whitespace is not
 * part of it.
 */
static void spill_scanned(struct s2q_input *in)
{
    size_t at = in->pos;

    while (at > in->rec && in->pos - at < BLOCK_SIZE
           && space_class[(unsigned char)in->buf[at - 1]]) {
        at--;
    }
    if (in->spilling || at - in->rec > in->max_record) {
        spill_bytes(in, in->buf + in->rec, at - in->rec);
        in->rec = at;
    }
}

/*
 * Make room for a read: drop the scanned part of an oversize record and
 * what lies before the current record, move the rest to the front, and
 * grow the buffer when less than a block is free.
 */
static void make_room(struct s2q_input *in)
{
    size_t keep;
    size_t want;

    if (in->kind != KIND_NONE) {
        spill_scanned(in);
    }
    keep = in->kind != KIND_NONE ? in->rec : in->pos;
    if (keep > 0) {
        memmove(in->buf, in->buf + keep, in->end - keep);
        in->base += keep;
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

/* Note a fault, reported once the bytes before it have been framed. */
static void fail(struct s2q_input *in, const char *what, const char *detail)
{
    snprintf(in->err, sizeof in->err, "%s%s", what, detail);
    in->failed = true;
}

/* True when, within ms milliseconds, a read of fd would not wait:
 * bytes, the end or an error are there to be read. */
static bool fd_ready(int fd, int ms)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    int n;

    do {
        n = poll(&pfd, 1, ms);
    } while (n < 0 && errno == EINTR);
    return n > 0;
}

/*
 * read(2) up to n bytes into dst, again when interrupted. Before a read
 * that would wait for data, the caller is told (before_block). Returns
 * the bytes read; 0 at the end of the input or after a failure.
 */
static size_t read_raw(struct s2q_input *in, void *dst, size_t n)
{
    ssize_t got;

    if (in->raw_eof || in->failed) {
        return 0;
    }
    if (in->may_block && in->before_block != NULL &&
        !fd_ready(in->fd, PAUSE_MS)) {
        in->pauses++;
        in->before_block(in->block_ctx);
    }
    do {
        got = read(in->fd, dst, n);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
        fail(in, "read error: ", strerror(errno));
        return 0;
    }
    if (got == 0) {
        in->raw_eof = true;
    }
    in->raw += (unsigned long long)got;
    return (size_t)got;
}

/* Read compressed bytes when none are left. False at their end. */
static bool refill(struct s2q_input *in)
{
    size_t got;

    if (in->z.avail_in > 0) {
        return true;
    }
    got = read_raw(in, in->zbuf, in->zcap);
    in->z.next_in = in->zbuf;
    in->z.avail_in = (uInt)got;
    return got > 0;
}

/*
 * After the end of a gzip member: true when another member follows
 * (inflate is then reset for it), false at the end of the input or, with
 * an error, before data that is not a gzip member.
 */
static bool next_member(struct s2q_input *in)
{
    size_t got;

    if (!refill(in)) {
        return false;
    }
    if (in->z.avail_in == 1 && in->z.next_in[0] == 0x1F) {
        in->zbuf[0] = 0x1F;
        got = read_raw(in, in->zbuf + 1, in->zcap - 1);
        in->z.next_in = in->zbuf;
        in->z.avail_in = (uInt)(1 + got);
    }
    if (in->z.avail_in < 2 || in->z.next_in[0] != 0x1F
        || in->z.next_in[1] != 0x8B) {
        if (!in->failed) {
            fail(in, "unexpected data after the end of the gzip stream", "");
        }
        return false;
    }
    inflateReset(&in->z);
    in->member_end = false;
    return true;
}

/*
 * Inflate up to n bytes into dst, reading compressed bytes as needed.
 * Returns the bytes inflated; 0 at the end of the gzip stream or at a
 * fault. A fault after some bytes is noted and those bytes returned.
 */
static size_t read_gzip(struct s2q_input *in, unsigned char *dst, size_t n)
{
    size_t out;
    int ret;

    for (;;) {
        if (in->member_end && !next_member(in)) {
            return 0;
        }
        in->z.next_out = dst;
        in->z.avail_out = (uInt)n;
        ret = inflate(&in->z, Z_NO_FLUSH);
        out = n - in->z.avail_out;
        if (ret == Z_STREAM_END) {
            in->member_end = true;
        } else if (ret == Z_MEM_ERROR) {
            fail(in, "out of memory inflating gzip data", "");
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            fail(in, "corrupt gzip data: ",
                 in->z.msg != NULL ? in->z.msg : "unknown fault");
        }
        if (out > 0 || in->failed) {
            return out;
        }
        if (!in->member_end && !refill(in)) {
            if (!in->failed) {
                fail(in, "gzip data ends before the end of its stream "
                     "(truncated file)", "");
            }
            return 0;
        }
    }
}

/*
 * First read: n bytes at most into the empty buffer. Input that starts
 * with the gzip magic is moved to the compressed buffer and inflated;
 * anything else stays where it is, read as it is from then on.
 */
static size_t read_first(struct s2q_input *in, size_t n)
{
    unsigned char *b = (unsigned char *)in->buf;
    size_t got = read_raw(in, b, n);
    size_t more = 1;

    while (got == 1 && b[0] == 0x1F && more > 0) {
        more = read_raw(in, b + 1, n - 1);
        got += more;
    }
    if (got >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) ||
                     (b[0] == 0xFE && b[1] == 0xFF))) {
        fail(in, "the input is UTF-16 text (as Windows PowerShell 5.1 "
             "writes files); convert it to UTF-8 first, e.g. with "
             "iconv -f UTF-16 -t UTF-8", "");
        return 0;
    }
    if (got < 2 || b[0] != 0x1F || b[1] != 0x8B) {
        in->mode = MODE_PLAIN;
        return got;
    }
    in->mode = MODE_GZIP;
    in->zcap = got > GZ_BUFFER_SIZE ? got : GZ_BUFFER_SIZE;
    in->zbuf = s2q_xmalloc(in->zcap);
    memcpy(in->zbuf, b, got);
    in->z.next_in = in->zbuf;
    in->z.avail_in = (uInt)got;
    if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK) {
        fail(in, "out of memory inflating gzip data", "");
        return 0;
    }
    in->z_ready = true;
    return read_gzip(in, b, n);
}

/*
 * Read more input after making room for it. Sets eof when no more bytes
 * will come: at the end, or at a fault once the bytes before it are held.
 */
static void fill(struct s2q_input *in)
{
    unsigned char *dst;
    size_t n;
    size_t got;

    if (in->failed) {
        in->eof = true;
        return;
    }
    make_room(in);
    dst = (unsigned char *)in->buf + in->end;
    n = in->cap - in->end;
    if (n > READ_MAX) {
        n = READ_MAX;
    }
    if (in->mode == MODE_GZIP) {
        got = read_gzip(in, dst, n);
    } else if (in->mode == MODE_PLAIN) {
        got = read_raw(in, dst, n);
    } else {
        got = read_first(in, n);
    }
    in->end += got;
    if (got == 0) {
        in->eof = true;
    }
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
    in->after_cut = frame == S2Q_FRAME_CUT;
    rec->size = in->spilled + n;
    rec->line = in->rec_line;
    rec->col = in->rec_col;
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

/* True when reading fd may wait for data: a pipe, socket or terminal. */
static bool fd_may_block(int fd)
{
    struct stat st;

    if (fstat(fd, &st) != 0) {
        return true;
    }
    return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)
        || S_ISCHR(st.st_mode);
}

struct s2q_input *s2q_input_open(const char *path,
                                 const struct s2q_input_opts *opts)
{
    struct s2q_input *in;
    int fd;

    if (path == NULL || strcmp(path, "-") == 0) {
        fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        return NULL;
    }
    in = s2q_xcalloc(1, sizeof *in);
    in->fd = fd;
    in->may_block = fd_may_block(fd);
    in->line = 1;
    in->max_record = DEFAULT_MAX_RECORD;
    if (opts != NULL && opts->max_record > 0) {
        in->max_record = opts->max_record;
    }
    if (opts != NULL) {
        in->spill = opts->spill;
        in->spill_ctx = opts->spill_ctx;
        in->before_block = opts->before_block;
        in->block_ctx = opts->block_ctx;
        in->check_line = opts->check_line;
        in->line_ctx = opts->line_ctx;
    }
    in->limit = capacity_limit(in->max_record);
    in->cap = 2 * BLOCK_SIZE;
    in->buf = s2q_xmalloc(in->cap);
    return in;
}

/*
 * Where the record that opens with '{' at s ends when it is the rest of
 * its line (which ends at e, before its LF): before the blanks the line
 * ends with, if '}' is there and the record is within max_record bytes.
 * NULL otherwise.
 */
static const char *line_record_end(const char *s, const char *e,
                                   size_t max_record)
{
    const char *t = e;

    while (t > s && space_class[(unsigned char)t[-1]]) {
        t--;
    }
    if (t - s < 2 || t[-1] != '}' || (size_t)(t - s) > max_record) {
        return NULL;
    }
    return t;
}

enum s2q_line_kind s2q_line_kind(const char *p, const char *e,
                                 size_t max_record, const char **start,
                                 const char **end)
{
    const unsigned char *u = (const unsigned char *)p;
    const unsigned char *ue = (const unsigned char *)e;

    for (;;) {
        while (u < ue && (space_class[*u] || *u == ',')) {
            u++;
        }
        if (u == ue) {
            return S2Q_LINE_BLANK;
        }
        if (ue - u < 3 || !is_bom(u)) {
            break;
        }
        u += 3;
    }
    if (*u != '{') {
        return S2Q_LINE_OTHER;
    }
    *start = (const char *)u;
    *end = line_record_end(*start, e, max_record);
    return *end != NULL ? S2Q_LINE_RECORD : S2Q_LINE_OTHER;
}

/*
 * Offer the line of the record just opened to check_line (see
 * s2q_line_fn) and, when it takes it, make it the record.
 */
static bool line_record(struct s2q_input *in, struct s2q_record *rec)
{
    const char *s = in->buf + in->rec;
    const char *e = in->buf + in->end;
    const char *t;

    if (in->check_line == NULL || in->in_array || *s != '{') {
        return false;
    }
    t = memchr(s, '\n', (size_t)(e - s));
    if (t == NULL && !in->eof) {
        return false;
    }
    t = line_record_end(s, t != NULL ? t : e, in->max_record);
    if (t == NULL || !in->check_line(in->line_ctx, s, (size_t)(t - s))) {
        return false;
    }
    finish(in, rec, (size_t)(t - in->buf), S2Q_FRAME_OK);
    in->pos = (size_t)(t - in->buf);
    return true;
}

/*
 * For s2q_input_lines: read more when that cannot wait for a pipe (which
 * is given PAUSE_MS), the bytes held after pos are not yet longer than
 * any record, and the read does not pause the input (a pause calls
 * before_block, whose caller must be back in control before lines are
 * taken again). @return whether bytes may have been added.
 */
static bool lines_fill(struct s2q_input *in)
{
    unsigned long pauses = in->pauses;

    if (in->eof || in->failed || in->end - in->pos > in->max_record ||
        (in->may_block && !fd_ready(in->fd, PAUSE_MS))) {
        return false;
    }
    fill(in);
    return in->pauses == pauses;
}

/* Number of LF bytes in the n bytes at p. */
static unsigned long count_lines(const char *p, size_t n)
{
    const char *e = p + n;
    unsigned long lines = 0;

    while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        lines++;
        p++;
    }
    return lines;
}

bool s2q_input_lines(struct s2q_input *in, size_t max,
                     struct s2q_lines *out)
{
    const char *b;
    const char *p;
    const char *e;
    const char *nl;
    const char *last;
    const char *s;
    const char *t;
    size_t span;

    if (in->kind != KIND_NONE || in->in_array) {
        return false;
    }
    for (;;) {
        b = in->buf;
        p = b + in->pos;
        e = b + in->end;
        nl = memchr(p, '\n', (size_t)(e - p));
        if (nl == NULL) {
            if (!lines_fill(in)) {
                return false;
            }
            continue;
        }
        if (in->base + in->pos != in->line_start) {
            /* the rest of a line a record was framed from */
            if (s2q_line_kind(p, nl, in->max_record, &s, &t)
                != S2Q_LINE_BLANK) {
                return false;
            }
            in->pos = (size_t)(nl + 1 - b);
            in->line++;
            in->line_start = in->base + in->pos;
            continue;
        }
        if (s2q_line_kind(p, nl, in->max_record, &s, &t) == S2Q_LINE_OTHER) {
            return false;
        }
        span = (size_t)(e - p) < max ? (size_t)(e - p) : max;
        last = span > 0 ? memrchr(p, '\n', span) : NULL;
        if (last == NULL || last < nl) {
            last = nl;
        }
        out->data = p;
        out->len = (size_t)(last + 1 - p);
        out->line = in->line;
        out->offset = in->base + in->pos;
        in->line += count_lines(p, out->len);
        in->pos += out->len;
        in->line_start = in->base + in->pos;
        return true;
    }
}

struct s2q_input *s2q_input_open_bytes(const char *data, size_t n,
                                       unsigned long line,
                                       unsigned long long offset,
                                       size_t max_record)
{
    struct s2q_input *in = s2q_xcalloc(1, sizeof *in);

    in->fd = -1;
    in->mode = MODE_PLAIN;
    in->raw_eof = true;
    in->eof = true;
    in->borrowed = true;
    /* Only read: nothing is read into it, moved in it or spilled. */
    in->buf = (char *)(uintptr_t)data;
    in->cap = n;
    in->end = n;
    in->limit = n;
    in->line = line;
    in->line_start = offset;
    in->base = offset;
    in->max_record = max_record > 0 ? max_record : DEFAULT_MAX_RECORD;
    return in;
}

bool s2q_input_in_array(const struct s2q_input *in)
{
    return in->in_array;
}

bool s2q_input_ends_clean(const struct s2q_input *in)
{
    return !in->open_at_end && in->kind == KIND_NONE && !in->in_array;
}

void s2q_input_unread(struct s2q_input *in, const char *p, size_t n,
                      unsigned long line, unsigned long long offset)
{
    size_t held = in->end - in->pos;
    size_t want;

    if (n == 0) {
        return;
    }
    if (in->pos < n) {
        want = n + held + BLOCK_SIZE;
        if (in->cap < want) {
            in->buf = s2q_xrealloc(in->buf, want);
            in->cap = want;
        }
        memmove(in->buf + n, in->buf + in->pos, held);
        in->end = n + held;
        in->pos = n;
    }
    in->pos -= n;
    memcpy(in->buf + in->pos, p, n);
    in->base = offset - in->pos;
    in->line = line;
    in->line_start = offset;
}

enum s2q_next s2q_input_next(struct s2q_input *in, struct s2q_record *rec)
{
    size_t stop;
    enum scan r;
    bool open;

    for (;;) {
        open = in->kind != KIND_NONE;
        if (!open && start_record(in)) {
            if (line_record(in, rec)) {
                return S2Q_NEXT_RECORD;
            }
            open = true;
        }
        if (open) {
            r = scan_record(in, &stop);
            if (r == SCAN_DONE || r == SCAN_CUT) {
                finish(in, rec, stop,
                       r == SCAN_CUT ? S2Q_FRAME_CUT : S2Q_FRAME_OK);
                return S2Q_NEXT_RECORD;
            }
            if (in->eof) {
                in->open_at_end = true;
                in->pos = in->end;
                finish(in, rec, in->end,
                       in->kind == KIND_SCALAR && !in->failed
                       ? S2Q_FRAME_OK : S2Q_FRAME_CUT);
                return S2Q_NEXT_RECORD;
            }
        } else if (in->eof) {
            return in->failed ? S2Q_NEXT_ERROR : S2Q_NEXT_END;
        }
        fill(in);
    }
}

const char *s2q_input_error(const struct s2q_input *in)
{
    return in->err;
}

unsigned long long s2q_input_offset(const struct s2q_input *in)
{
    if (in->mode == MODE_GZIP) {
        return in->raw - in->z.avail_in;
    }
    return in->raw;
}

void s2q_input_close(struct s2q_input *in)
{
    if (in == NULL) {
        return;
    }
    if (in->z_ready) {
        inflateEnd(&in->z);
    }
    if (in->fd >= 0) {
        close(in->fd);
    }
    free(in->zbuf);
    if (!in->borrowed) {
        free(in->buf);
    }
    free(in);
}
