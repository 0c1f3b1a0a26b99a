/*
 * input.h - reading an input (file or standard input, plain or gzip) and
 * framing it into records.
 *
 * A record is one top-level JSON value. The framer accepts, without being
 * told: JSON Lines; a top-level array of values (streamed element by
 * element, never held whole); concatenated or pretty-printed values over
 * several lines; any mix of these; blank lines; a UTF-8 byte order mark;
 * CRLF line ends. It does not parse JSON: it finds where each value starts
 * and ends, tracking strings, escapes and bracket depth, and counts lines
 * so that every record carries the line where it starts.
 *
 * Commas between top-level values are skipped like whitespace, inside a
 * top-level array or not (they carry no data).
 *
 * Resynchronisation. While a record is open (inside a bracket, outside
 * its strings), a line whose first non-blank character (after spaces and
 * tabs) is '{' or '[' at a column <= the column where the record began
 * starts a new record - unless the JSON grammar expects a value there:
 * the record's previous significant character is ':' or '[', or it is
 * ',' and the innermost open container is an array (so that JSON
 * pretty-printed with indent=0 is never cut). A UTF-8 byte order mark
 * outside a string always starts a new record (it is never part of a
 * value; it marks the start of another file). The open record is then
 * returned as S2Q_FRAME_CUT and the new one starts at that character.
 * A cut at a '[' or a byte order mark also leaves a top-level array being
 * read, so that the '[' of a second file starts array mode again; a cut
 * at a '{' stays in it (the next element). Likewise, after any cut record
 * (a raw line break inside a string, say), and after a byte order mark
 * between two values, a '[' where the next value starts opens a new
 * top-level array rather than being an element (the values of that
 * array are then its elements).
 */
#ifndef S2Q_INPUT_H
#define S2Q_INPUT_H

#include <stdbool.h>
#include <stddef.h>

/** How a record was framed. */
enum s2q_frame {
    S2Q_FRAME_OK,          /* a complete value (syntax not yet checked) */
    S2Q_FRAME_OVERSIZE,    /* longer than the record size limit: data is
                              NULL, size holds its full length */
    S2Q_FRAME_CUT          /* ended before its value was complete: at the end
                              of input (or where a read error or damaged
                              gzip data ended it), at a raw line break
                              inside a string, or where a new record starts
                              while this one was still open (see
                              "Resynchronisation" above) */
};

struct s2q_record {
    const char *data;      /* the record's bytes; valid until the next call
                              to s2q_input_next or s2q_input_close */
    size_t len;            /* bytes in data */
    size_t size;           /* full length of the record in the input */
    unsigned long line;    /* 1-based line where the value starts */
    enum s2q_frame frame;
    unsigned long col;     /* 1-based column, in bytes, of the record's
                              first byte on that line (a byte order mark
                              before it counts 3) */
};

/**
 * Called with the bytes of a record that exceeds the size limit, in order
 * and all of them (including the bytes read before the limit was
 * crossed), so that the caller can save it without holding it in memory.
 * first is true for the first call of a record; line is the line where
 * the record starts. The record itself is then returned by s2q_input_next
 * with frame S2Q_FRAME_OVERSIZE.
 */
typedef void (*s2q_spill_fn)(void *ctx, const char *p, size_t n,
                             bool first, unsigned long line);

/**
 * Called right before a read(2) that would wait: when the input is a
 * pipe, a socket or a terminal (never for a regular file) and no bytes
 * are waiting to be read, once every record complete in the bytes
 * already read has been returned. It lets the caller flush its output
 * while the input pauses (tail -f log | sysmon2qql), and only then: a
 * pipe that keeps up is read on without a pause.
 */
typedef void (*s2q_block_fn)(void *ctx);

/**
 * Offered a line as a whole record, before the framer scans it: a record
 * that opens with '{' outside a top-level array, when its line ends
 * (before any blanks) with '}' and is held whole, within the size limit.
 * Return true only when the n bytes at p are exactly one complete JSON
 * value: the framer then returns them as the record without scanning
 * them, which is the record its scan would have found. On false it scans
 * as usual. This lets a caller that parses records anyway skip the scan
 * of JSON Lines input.
 */
typedef bool (*s2q_line_fn)(void *ctx, const char *p, size_t n);

/* Options. Set every field (zero-initialise the struct, then fill in). */
struct s2q_input_opts {
    size_t max_record;     /* record size limit in bytes (> 0) */
    s2q_spill_fn spill;    /* may be NULL */
    void *spill_ctx;
    s2q_block_fn before_block; /* may be NULL */
    void *block_ctx;       /* passed to before_block */
    s2q_line_fn check_line; /* may be NULL */
    void *line_ctx;        /* passed to check_line */
};

struct s2q_input;

/**
 * Open path for reading ("-" or NULL: standard input, which is not closed
 * by s2q_input_close). gzip data (recognised by its magic bytes 1f 8b at
 * the start of the input, not by the name) is decompressed on the fly,
 * concatenated members included; anything else is read as it is.
 * @return the input, or NULL with errno set when the file cannot be
 * opened.
 */
struct s2q_input *s2q_input_open(const char *path,
                                 const struct s2q_input_opts *opts);

enum s2q_next {
    S2Q_NEXT_RECORD,       /* *rec holds the next record */
    S2Q_NEXT_END,          /* no more records */
    S2Q_NEXT_ERROR         /* a read error, or gzip data that is corrupt,
                              truncated or followed by data that is not
                              another gzip member; s2q_input_error() says
                              what. Every record complete before the fault
                              has been returned first, then the one it cut
                              (S2Q_FRAME_CUT), if any. Further calls return
                              S2Q_NEXT_ERROR again. */
};

/** Return the next record of the input. */
enum s2q_next s2q_input_next(struct s2q_input *in, struct s2q_record *rec);

/*
 * Framing JSON Lines elsewhere. Between records, outside a top-level
 * array, the framer reads each line on its own: a line is either blank
 * (blanks, commas and byte order marks only), or one record, or
 * something only a scan can frame (see s2q_line_kind). So a caller may
 * take whole lines (s2q_input_lines), frame them itself - in other
 * threads, say - and give back, from the first line it cannot frame, the
 * rest of what it took (s2q_input_unread), which s2q_input_next then
 * frames as it would have.
 */

/** How the framer reads a line met between records (s2q_line_kind). */
enum s2q_line_kind {
    S2Q_LINE_BLANK,         /* nothing: blanks, commas, byte order marks */
    S2Q_LINE_RECORD,        /* one record, if it is one JSON value */
    S2Q_LINE_OTHER          /* anything else: only a scan can tell */
};

/**
 * Read the line at p, which ends at e (its LF excluded), as the framer
 * does between records outside a top-level array. S2Q_LINE_RECORD: after
 * blanks, commas and byte order marks, the line opens with '{' and ends,
 * before blanks, with '}', within max_record bytes; those bytes, from
 * *start to *end, are the record exactly when they are one complete JSON
 * value (the caller parses them to know; when they are not, the line is
 * of kind S2Q_LINE_OTHER after all).
 */
enum s2q_line_kind s2q_line_kind(const char *p, const char *e,
                                 size_t max_record, const char **start,
                                 const char **end);

/** Whole lines taken by s2q_input_lines. */
struct s2q_lines {
    const char *data;       /* valid until the next call on the input */
    size_t len;             /* ends with a LF */
    unsigned long line;     /* line number of the first */
    unsigned long long offset; /* stream offset of data[0] (of the
                                  decompressed stream for gzip input) */
};

/**
 * Take the next whole lines held, about max bytes of them (at least
 * one line), when the framer is between records outside a top-level
 * array, the rest of the current line is blank and the first line is not
 * of kind S2Q_LINE_OTHER. Reads more first if no whole line is held,
 * when that does not wait (a pipe has PAUSE_MS to offer bytes) and does
 * not call before_block. The caller frames the lines itself (see above).
 * @return false when no lines are taken: go on with s2q_input_next.
 */
bool s2q_input_lines(struct s2q_input *in, size_t max,
                     struct s2q_lines *out);

/**
 * An input over the n bytes at data (not copied: they must outlive it),
 * the whole of it, as the rest of a stream from a line start: line is its
 * number and offset its stream offset. It frames as the framer would
 * from there, between records outside a top-level array (a state that
 * does not depend on what came before). Records over max_record are
 * returned as S2Q_FRAME_OVERSIZE (nothing is spilled).
 */
struct s2q_input *s2q_input_open_bytes(const char *data, size_t n,
                                       unsigned long line,
                                       unsigned long long offset,
                                       size_t max_record);

/**
 * After S2Q_NEXT_END: did the input end between records, outside a
 * top-level array, with no record still open at its end? Then what
 * follows it in the stream is framed as from a fresh start.
 */
bool s2q_input_ends_clean(const struct s2q_input *in);

/**
 * Give back the last n bytes taken with s2q_input_lines, from the start
 * of a line: line is its line number and offset its stream offset. They
 * are framed again, by s2q_input_next, before anything that follows.
 * Only bytes taken since the last call of s2q_input_next may be given
 * back, and they must be the last ones taken.
 */
void s2q_input_unread(struct s2q_input *in, const char *p, size_t n,
                      unsigned long line, unsigned long long offset);

/**
 * Text of the error, or "": "read error: <strerror>", "corrupt gzip data:
 * <zlib message>", "gzip data ends before the end of its stream
 * (truncated file)", "unexpected data after the end of the gzip stream"
 * or "out of memory inflating gzip data".
 */
const char *s2q_input_error(const struct s2q_input *in);

/**
 * Bytes taken from the underlying file or pipe so far: the bytes read for
 * plain input, the compressed bytes consumed by the decompressor for gzip
 * input (so, after data that follows the gzip stream, where it begins).
 */
unsigned long long s2q_input_offset(const struct s2q_input *in);

/** After S2Q_NEXT_END: is a top-level array still open (its closing ']'
 * never came)? */
bool s2q_input_in_array(const struct s2q_input *in);

/** Close the input and free it. NULL is allowed. */
void s2q_input_close(struct s2q_input *in);

#endif /* S2Q_INPUT_H */
