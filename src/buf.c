/*
 * buf.c - growable byte buffer, JSON string escaping with UTF-8 repair,
 * compact JSON writing of cJSON trees, number formatting and the
 * allocation wrappers that exit when memory runs out.
 */
#include "s2q/buf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "s2q/json.h"
#include "s2q/value.h"

/* Byte classes for the escaper. */
enum {
    BC_SAFE = 0,  /* printable ASCII copied as it is */
    BC_ESC = 1,   /* control character, '"' or '\\': escaped */
    BC_BAD = 2,   /* never starts a sequence: 80..C1, F5..FF */
    BC_L2 = 3,    /* C2..DF */
    BC_E0 = 4,    /* E0: second byte A0..BF */
    BC_L3 = 5,    /* E1..EC, EE, EF */
    BC_ED = 6,    /* ED: second byte 80..9F (no surrogates) */
    BC_F0 = 7,    /* F0: second byte 90..BF */
    BC_L4 = 8,    /* F1..F3 */
    BC_F4 = 9     /* F4: second byte 80..8F (no more than U+10FFFF) */
};

static const unsigned char byte_class[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 70 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 80 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 90 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* A0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* B0 */
    2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* C0 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* D0 */
    4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 5, 5, /* E0 */
    7, 8, 8, 8, 9, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2  /* F0 */
};

/* Length and allowed second-byte range of the sequence a lead starts. */
struct seq_rule {
    unsigned char len;
    unsigned char lo;
    unsigned char hi;
};

static const struct seq_rule seq_rules[10] = {
    [BC_L2] = { 2, 0x80, 0xBF },
    [BC_E0] = { 3, 0xA0, 0xBF },
    [BC_L3] = { 3, 0x80, 0xBF },
    [BC_ED] = { 3, 0x80, 0x9F },
    [BC_F0] = { 4, 0x90, 0xBF },
    [BC_L4] = { 4, 0x80, 0xBF },
    [BC_F4] = { 4, 0x80, 0x8F }
};

/* Result of seq_check when the input ends inside a valid prefix. */
#define SEQ_TRUNCATED 0
/* Result of seq_check when the lead does not start a valid sequence. */
#define SEQ_INVALID 1

/* Largest buffer: no object may be larger than PTRDIFF_MAX bytes. */
#define BUF_MAX ((size_t)PTRDIFF_MAX)

static const char hex_digits[] = "0123456789abcdef";

static const char oom_message[] = "sysmon2qql: out of memory\n";

/* Print the out-of-memory message and end the program with status 3. */
static void out_of_memory(void)
{
    fputs(oom_message, stderr);
    exit(3);
}

void *s2q_xrealloc(void *p, size_t n)
{
    void *q;

    q = realloc(p, n == 0 ? 1 : n);
    if (q == NULL) {
        out_of_memory();
    }
    return q;
}

void *s2q_xmalloc(size_t n)
{
    return s2q_xrealloc(NULL, n);
}

void *s2q_xcalloc(size_t nmemb, size_t size)
{
    void *p;

    if (nmemb == 0 || size == 0) {
        nmemb = 1;
        size = 1;
    }
    if (nmemb > SIZE_MAX / size) {
        out_of_memory();
    }
    p = calloc(nmemb, size);
    if (p == NULL) {
        out_of_memory();
    }
    return p;
}

char *s2q_xstrdup(const char *s)
{
    size_t n;
    char *d;

    n = strlen(s) + 1;
    d = s2q_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

void s2q_buf_init(struct s2q_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->terminal = false;
}

void s2q_buf_free(struct s2q_buf *b)
{
    free(b->data);
    s2q_buf_init(b);
}

void s2q_buf_reserve(struct s2q_buf *b, size_t n)
{
    size_t need;
    size_t cap;

    if (b->cap - b->len >= n) {
        return;
    }
    if (n > BUF_MAX - b->len) {
        out_of_memory();
    }
    need = b->len + n;
    cap = b->cap < 64 ? 64 : b->cap;
    while (cap < need) {
        cap = cap > BUF_MAX / 2 ? need : cap * 2;
    }
    b->data = s2q_xrealloc(b->data, cap);
    b->cap = cap;
}

void s2q_buf_put(struct s2q_buf *b, const char *p, size_t n)
{
    if (n == 0) {
        return;
    }
    s2q_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void s2q_buf_puts(struct s2q_buf *b, const char *s)
{
    s2q_buf_put(b, s, strlen(s));
}

void s2q_buf_putc(struct s2q_buf *b, char c)
{
    if (b->len == b->cap) {
        s2q_buf_reserve(b, 1);
    }
    b->data[b->len++] = c;
}

/* Room the escaped form of n input bytes may need, quotes included: at
 * most 6 bytes per input byte (\u00XX). */
static size_t escaped_size(size_t n)
{
    if (n > (SIZE_MAX - 2) / 6) {
        out_of_memory();
    }
    return 6 * n + 2;
}

/* Second character of the two-character escapes; 0 for \u00XX. */
static const char short_escape[0x60] = {
    ['"'] = '"', ['\\'] = '\\', ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
    ['\r'] = 'r', ['\t'] = 't'
};

/* Write the escape of a BC_ESC byte at o; return the end of what was
 * written. */
static char *put_escape(char *o, unsigned char c)
{
    *o++ = '\\';
    if (short_escape[c] != 0) {
        *o++ = short_escape[c];
        return o;
    }
    memcpy(o, "u00", 3);
    o[3] = hex_digits[c >> 4];
    o[4] = hex_digits[c & 0x0F];
    return o + 5;
}

/* Check the sequence a lead byte of class k starts at p, with avail bytes
 * left: return its length when valid, SEQ_INVALID when not, and
 * SEQ_TRUNCATED when the bytes present are a valid prefix cut short. */
static size_t seq_check(const unsigned char *p, size_t avail, unsigned k)
{
    const struct seq_rule *r;
    size_t j;

    r = &seq_rules[k];
    if (avail < 2) {
        return SEQ_TRUNCATED;
    }
    if (p[1] < r->lo || p[1] > r->hi) {
        return SEQ_INVALID;
    }
    for (j = 2; j < r->len; j++) {
        if (j >= avail) {
            return SEQ_TRUNCATED;
        }
        if ((p[j] & 0xC0) != 0x80) {
            return SEQ_INVALID;
        }
    }
    return r->len;
}

void s2q_buf_put_base64(struct s2q_buf *b, const void *p, size_t n)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = p;
    char quad[4];

    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)s[i] << 16;
        size_t k = n - i < 3 ? n - i : 3;

        if (k > 1) {
            v |= (unsigned long)s[i + 1] << 8;
        }
        if (k > 2) {
            v |= s[i + 2];
        }
        quad[0] = digits[v >> 18 & 63];
        quad[1] = digits[v >> 12 & 63];
        quad[2] = k > 1 ? digits[v >> 6 & 63] : '=';
        quad[3] = k > 2 ? digits[v & 63] : '=';
        s2q_buf_put(b, quad, 4);
    }
}

size_t s2q_utf8_length(const unsigned char *p, size_t n)
{
    unsigned k;
    size_t len;

    if (n == 0) {
        return 0;
    }
    if (p[0] < 0x80) {
        return 1;
    }
    k = byte_class[p[0]];
    if (k == BC_BAD) {
        return 0;
    }
    len = seq_check(p, n, k);
    return len <= SEQ_INVALID ? 0 : len;
}

/*
 * Length of the run of safe bytes at the start of s (at most n): sixteen
 * (with SSE2), then eight bytes at a time while none is below 0x20, a
 * quote, a backslash or non-ASCII, then byte by byte.
 */
static size_t safe_run(const unsigned char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t highs = 0x8080808080808080ULL;
    size_t i = 0;

#ifdef __SSE2__
    /* Sixteen at a time: as signed bytes, those below 0x20 and those of
     * 0x80 and above are both less than 0x20. */
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i bad = _mm_or_si128(
            _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                         _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
        unsigned m = (unsigned)_mm_movemask_epi8(bad);

        if (m != 0) {
            return i + (unsigned)__builtin_ctz(m);
        }
        i += 16;
    }
#endif
    while (i + 8 <= n) {
        uint64_t w;
        uint64_t quote;
        uint64_t slash;

        memcpy(&w, s + i, 8);
        quote = w ^ (ones * '"');
        slash = w ^ (ones * '\\');
        if (((w - ones * 0x20) | (quote - ones) | (slash - ones) | w) &
            highs) {
            break;
        }
        i += 8;
    }
    while (i < n && byte_class[s[i]] == BC_SAFE) {
        i++;
    }
    return i;
}

unsigned long s2q_utf8_decode(const unsigned char *p, size_t len)
{
    static const unsigned char lead_bits[5] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
    unsigned long cp = p[0] & lead_bits[len];

    for (size_t j = 1; j < len; j++) {
        cp = cp << 6 | (p[j] & 0x3F);
    }
    return cp;
}

bool s2q_terminal_acts_on(unsigned long cp)
{
    return cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C ||
           cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* Write cp (below U+10000) as a \uXXXX escape. */
static char *put_unicode_escape(char *o, unsigned long cp)
{
    *o++ = '\\';
    *o++ = 'u';
    for (int shift = 12; shift >= 0; shift -= 4) {
        *o++ = hex_digits[(cp >> shift) & 0x0F];
    }
    return o;
}

/*
 * Escape s (n bytes) into b, whose room the caller reserved (6 bytes per
 * input byte). When final is false, a valid sequence cut short by the end
 * of s is left unwritten so that the next piece can complete it; when
 * true, its lead is replaced. Adds the replacements to *replaced and
 * returns the number of bytes consumed.
 */
static size_t escape_span(struct s2q_buf *b, const unsigned char *s,
                          size_t n, bool final, size_t *replaced)
{
    char *o;
    size_t i;
    size_t start;
    size_t len;
    unsigned k;

    o = b->data + b->len;
    i = 0;
    while (i < n) {
        start = i;
        i += safe_run(s + i, n - i);
        if (b->terminal && i > start) {
            const unsigned char *del = memchr(s + start, 0x7F, i - start);

            if (del != NULL) {
                i = (size_t)(del - s);
            }
        }
        if (i > start) {
            memcpy(o, s + start, i - start);
            o += i - start;
            if (i == n) {
                break;
            }
        }
        if (b->terminal && s[i] == 0x7F) {
            o = put_unicode_escape(o, 0x7F);
            i++;
            continue;
        }
        k = byte_class[s[i]];
        if (k == BC_ESC) {
            o = put_escape(o, s[i]);
            i++;
            continue;
        }
        len = k == BC_BAD ? SEQ_INVALID : seq_check(s + i, n - i, k);
        if (len == SEQ_TRUNCATED && !final) {
            break;
        }
        if (len <= SEQ_INVALID) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            (*replaced)++;
            i++;
            continue;
        }
        if (b->terminal) {
            unsigned long cp = s2q_utf8_decode(s + i, len);

            if (s2q_terminal_acts_on(cp)) {
                o = put_unicode_escape(o, cp);
                i += len;
                continue;
            }
        }
        memcpy(o, s + i, len);
        o += len;
        i += len;
    }
    b->len = (size_t)(o - b->data);
    return i;
}

size_t s2q_json_put_string(struct s2q_buf *b, const char *s, size_t n)
{
    size_t replaced;

    replaced = 0;
    s2q_buf_reserve(b, escaped_size(n));
    b->data[b->len++] = '"';
    if (n > 0) {
        escape_span(b, (const unsigned char *)s, n, true, &replaced);
    }
    b->data[b->len++] = '"';
    return replaced;
}

void s2q_json_stream_begin(struct s2q_buf *b, struct s2q_json_stream *st)
{
    st->npending = 0;
    st->replaced = 0;
    s2q_buf_putc(b, '"');
}

/*
 * Resolve the held-back bytes of st with the start of the next piece s
 * (n > 0 bytes; room reserved by the caller). Returns how many bytes of s
 * were consumed; the bytes still held back, if any, stay in st.
 */
static size_t join_pending(struct s2q_buf *b, struct s2q_json_stream *st,
                           const unsigned char *s, size_t n)
{
    unsigned char tmp[8];
    size_t p;
    size_t m;
    size_t used;

    p = st->npending;
    m = n < 3 ? n : 3;
    memcpy(tmp, st->pending, p);
    memcpy(tmp + p, s, m);
    used = escape_span(b, tmp, p + m, false, &st->replaced);
    if (used == 0) {
        /* Still a valid prefix: only possible when all of s fitted. */
        memcpy(st->pending, tmp, p + m);
        st->npending = p + m;
        return m;
    }
    /* The held-back lead was resolved, and with it its held-back
     * continuation bytes, so used >= p. */
    st->npending = 0;
    return used - p;
}

void s2q_json_stream_put(struct s2q_buf *b, struct s2q_json_stream *st,
                         const char *s, size_t n)
{
    const unsigned char *u;
    size_t used;

    if (n == 0) {
        return;
    }
    u = (const unsigned char *)s;
    s2q_buf_reserve(b, escaped_size(n + st->npending));
    if (st->npending > 0) {
        used = join_pending(b, st, u, n);
        u += used;
        n -= used;
        if (n == 0) {
            return;
        }
    }
    used = escape_span(b, u, n, false, &st->replaced);
    memcpy(st->pending, u + used, n - used);
    st->npending = n - used;
}

size_t s2q_json_stream_end(struct s2q_buf *b, struct s2q_json_stream *st)
{
    s2q_buf_reserve(b, escaped_size(st->npending));
    if (st->npending > 0) {
        escape_span(b, st->pending, st->npending, true, &st->replaced);
        st->npending = 0;
    }
    b->data[b->len++] = '"';
    return st->replaced;
}

size_t s2q_format_uint(uint64_t v, char out[S2Q_UINT_BUFSZ])
{
    char digits[S2Q_UINT_BUFSZ];
    size_t n = 0;
    size_t len = 0;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) {
        out[len++] = digits[--n];
    }
    out[len] = '\0';
    return len;
}

size_t s2q_format_number(double d, char out[S2Q_NUMBER_BUFSZ])
{
    size_t len = 0;

    if (isnan(d)) {
        memcpy(out, "nan", 4);
        return 3;
    }
    if (d > -9007199254740992.0 && d < 9007199254740992.0
        && (double)(long long)d == d) {
        if (d < 0) {
            out[len++] = '-';
        }
        return len + s2q_format_uint((uint64_t)(d < 0 ? -d : d), out + len);
    }
    return (size_t)snprintf(out, S2Q_NUMBER_BUFSZ, "%.17g", d);
}

/* Write a cJSON number: non-finite ones as null. */
static void put_number(struct s2q_buf *b, double d)
{
    char text[S2Q_NUMBER_BUFSZ];
    size_t n;

    if (!isfinite(d)) {
        s2q_buf_put(b, "null", 4);
        return;
    }
    n = s2q_format_number(d, text);
    s2q_buf_put(b, text, n);
}

/* Write a C string as a JSON string (NULL as ""); return replacements. */
static size_t put_cstring(struct s2q_buf *b, const char *s)
{
    if (s == NULL) {
        return s2q_json_put_string(b, "", 0);
    }
    return s2q_json_put_string(b, s, strlen(s));
}

/* Write the members of an object or the elements of an array between the
 * brackets open and close; return replacements made. */
static size_t put_children(struct s2q_buf *b, const cJSON *node,
                           bool keyed, char open, char close)
{
    const cJSON *child;
    size_t replaced;

    replaced = 0;
    s2q_buf_putc(b, open);
    for (child = node->child; child != NULL; child = child->next) {
        if (child != node->child) {
            s2q_buf_putc(b, ',');
        }
        if (keyed) {
            replaced += put_cstring(b, child->string);
            s2q_buf_putc(b, ':');
        }
        replaced += s2q_json_put_node(b, child);
    }
    s2q_buf_putc(b, close);
    return replaced;
}

size_t s2q_json_put_node(struct s2q_buf *b, const cJSON *node)
{
    if (node == NULL) {
        s2q_buf_put(b, "null", 4);
        return 0;
    }
    switch (node->type & 0xFF) {
    case cJSON_False:
        s2q_buf_put(b, "false", 5);
        return 0;
    case cJSON_True:
        s2q_buf_put(b, "true", 4);
        return 0;
    case cJSON_Number:
        put_number(b, node->valuedouble);
        return 0;
    case cJSON_String:
        if (node->valuestring == NULL) {
            return put_cstring(b, NULL);
        }
        return s2q_json_put_string(b, node->valuestring,
                                   s2q_json_string_length(node));
    case cJSON_Array:
        return put_children(b, node, false, '[', ']');
    case cJSON_Object:
        return put_children(b, node, true, '{', '}');
    default:
        /* cJSON_NULL, and the invalid and raw kinds that parsing never
         * makes: null keeps the output valid JSON. */
        s2q_buf_put(b, "null", 4);
        return 0;
    }
}
