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
                              of input, at a raw line break inside a string,
                              or where a new record starts at the beginning
                              of a line while this one was still open */
};

struct s2q_record {
    const char *data;      /* the record's bytes; valid until the next call
                              to s2q_input_next or s2q_input_close */
    size_t len;            /* bytes in data */
    size_t size;           /* full length of the record in the input */
    unsigned long line;    /* 1-based line where the value starts */
    enum s2q_frame frame;
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

struct s2q_input_opts {
    size_t max_record;     /* record size limit in bytes (> 0) */
    s2q_spill_fn spill;    /* may be NULL */
    void *spill_ctx;
};

struct s2q_input;

/**
 * Open path for reading ("-" or NULL: standard input, which is not closed
 * by s2q_input_close). gzip data (recognised by its magic bytes, not by
 * the name) is decompressed on the fly, concatenated members included.
 * @return the input, or NULL with errno set when the file cannot be
 * opened.
 */
struct s2q_input *s2q_input_open(const char *path,
                                 const struct s2q_input_opts *opts);

enum s2q_next {
    S2Q_NEXT_RECORD,       /* *rec holds the next record */
    S2Q_NEXT_END,          /* no more records */
    S2Q_NEXT_ERROR         /* a read error or a corrupt or truncated gzip
                              stream; s2q_input_error() says what. Records
                              before it have been returned. */
};

/** Return the next record of the input. */
enum s2q_next s2q_input_next(struct s2q_input *in, struct s2q_record *rec);

/** Text of the last error (e.g. "unexpected end of gzip data"), or "". */
const char *s2q_input_error(const struct s2q_input *in);

/** Bytes consumed from the underlying file so far (compressed bytes for
 * gzip input). */
unsigned long long s2q_input_offset(const struct s2q_input *in);

/** Close the input and free it. NULL is allowed. */
void s2q_input_close(struct s2q_input *in);

#endif /* S2Q_INPUT_H */
