/*
 * buf.h - a growable byte buffer and the JSON text writers built on it.
 *
 * The output of a run is written into one reusable buffer: strings are
 * escaped straight into it, never through an intermediate tree.
 */
#ifndef S2Q_BUF_H
#define S2Q_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct s2q_buf {
    char *data;   /* not NUL-terminated */
    size_t len;
    size_t cap;
    bool terminal; /* JSON strings written to it will be shown on a
                      terminal: escape what a terminal acts on (see
                      s2q_json_put_string) */
};

/** Make an empty buffer; it owns no memory until the first write. */
void s2q_buf_init(struct s2q_buf *b);

/** Release the buffer's memory and make it empty. */
void s2q_buf_free(struct s2q_buf *b);

/** Make room for at least n more bytes (exits the program when memory runs
 * out, see s2q_xrealloc). */
void s2q_buf_reserve(struct s2q_buf *b, size_t n);

/** Append n bytes. */
void s2q_buf_put(struct s2q_buf *b, const char *p, size_t n);

/** Append a NUL-terminated string. */
void s2q_buf_puts(struct s2q_buf *b, const char *s);

/** Append one byte. */
void s2q_buf_putc(struct s2q_buf *b, char c);

/**
 * Append s (n bytes) as a JSON string with its quotes. '"' and '\' are
 * escaped; control characters below 0x20 as \b \f \n \r \t or \u00XX.
 * Valid UTF-8 is copied as it is (including U+007F, U+2028, U+2029);
 * every byte that does not start a valid UTF-8 sequence (stray
 * continuation bytes, overlong forms, surrogates, values above U+10FFFF,
 * truncated sequences) is replaced by U+FFFD, one per invalid byte.
 * When b->terminal is set, the characters a terminal acts on although
 * JSON may carry them raw (s2q_terminal_acts_on) are written as \uXXXX
 * escapes. The JSON value is the same either way.
 * @return the number of replacements made.
 */
size_t s2q_json_put_string(struct s2q_buf *b, const char *s, size_t n);

/** Append the n bytes at p in base64 (RFC 4648, with padding). */
void s2q_buf_put_base64(struct s2q_buf *b, const void *p, size_t n);

/**
 * Length of the valid UTF-8 sequence that starts at p (1 for an ASCII
 * byte), looking at no more than n bytes; 0 when the bytes there are not
 * valid UTF-8 (the rules of s2q_json_put_string).
 */
size_t s2q_utf8_length(const unsigned char *p, size_t n);

/** The code point of the valid UTF-8 sequence of len bytes at p (len as
 * s2q_utf8_length gives it). */
unsigned long s2q_utf8_decode(const unsigned char *p, size_t len);

/**
 * Does a terminal act on this character, although it is text to JSON?
 * DEL, the C1 controls U+0080-U+009F, the line and paragraph separators
 * U+2028 and U+2029, and the marks, embeddings, overrides and isolates
 * that reorder bidirectional text (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069).
 */
bool s2q_terminal_acts_on(unsigned long cp);

/** Incremental form of s2q_json_put_string for text that arrives in
 * pieces: UTF-8 sequences split across pieces are joined. */
struct s2q_json_stream {
    unsigned char pending[4];
    size_t npending;
    size_t replaced;  /* running count of replacements */
};

/** Start a string: writes the opening quote and resets st. */
void s2q_json_stream_begin(struct s2q_buf *b, struct s2q_json_stream *st);

/** Escape the next n bytes of the string. */
void s2q_json_stream_put(struct s2q_buf *b, struct s2q_json_stream *st,
                         const char *s, size_t n);

/** Finish: flushes an incomplete trailing sequence (as U+FFFD per byte)
 * and writes the closing quote. @return st->replaced. */
size_t s2q_json_stream_end(struct s2q_buf *b, struct s2q_json_stream *st);

/**
 * Append the compact JSON text of a cJSON value (no spaces), keys and
 * members in their order. Numbers are written as s2q_format_number writes
 * them, except that non-finite numbers are written null. Strings go
 * through s2q_json_put_string.
 * @return the number of invalid UTF-8 replacements made.
 */
size_t s2q_json_put_node(struct s2q_buf *b, const cJSON *node);

/** Allocation that never returns NULL: on failure it prints
 * "sysmon2qql: out of memory" on standard error and exits with status 3. */
void *s2q_xrealloc(void *p, size_t n);
void *s2q_xmalloc(size_t n);
void *s2q_xcalloc(size_t nmemb, size_t size);
char *s2q_xstrdup(const char *s);

#endif /* S2Q_BUF_H */
