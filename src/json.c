/*
 * json.c - the record parser (see json.h).
 *
 * A recursive descent over the text, which is never written to. Decoded
 * strings and the text of numbers go one after another into a single area
 * of the record's size, which is always enough: a string's decoded bytes
 * and its NUL never outnumber its encoded bytes and quotes, and a kept
 * number's NUL takes the place of the delimiter after it (AREA_SLACK
 * covers a number that ends the text). Nodes come from the arena in runs of
 * POOL_NODES.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "s2q/arena.h"
#include "s2q/json.h"

/* Nodes taken from the arena at a time. */
#define POOL_NODES 64

/* Bytes the string area has beyond the record's size. The copies of 8 and
 * 16 bytes at a time write past the end of a string, but only where the
 * record has as many bytes left: as a decoded string is never longer
 * than its text, they stay within the record's size; this is a margin. */
#define AREA_SLACK 16

/* Integers of up to this many digits convert to double exactly. */
#define EXACT_DIGITS 15

struct parser {
    const char *p;         /* next byte to read */
    const char *end;
    char *out;             /* where the next decoded string goes */
    cJSON *pool;           /* unused nodes */
    cJSON *pool_end;
    unsigned depth;
    struct s2q_json_error *err;
};

static bool fail(struct parser *ps, enum s2q_json_fault fault,
                 const char *at)
{
    ps->err->fault = at >= ps->end ? S2Q_JSON_TRUNCATED : fault;
    ps->err->at = at;
    return false;
}

static cJSON *new_node(struct parser *ps)
{
    cJSON *n;

    if (ps->pool == ps->pool_end) {
        ps->pool = s2q_arena_alloc(POOL_NODES * sizeof(cJSON));
        ps->pool_end = ps->pool + POOL_NODES;
    }
    n = ps->pool++;
    n->next = NULL;
    n->prev = NULL;
    n->child = NULL;
    n->type = cJSON_NULL;
    n->valuestring = NULL;
    n->valueint = 0;
    n->valuedouble = 0;
    n->string = NULL;
    return n;
}

static void skip_space(struct parser *ps)
{
    const char *p = ps->p;

    while (p < ps->end && (unsigned char)*p <= ' ') {
        p++;
    }
    ps->p = p;
}

/* ---- strings ---- */

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORD_COPY 1

#if defined(__SSE2__)
#include <emmintrin.h>
#define SSE2_COPY 1
#endif

/* Bytes of a word that are zero have their top bit set in the result;
 * the lowest set bit is exact (a borrow only disturbs higher bytes). */
static inline uint64_t zero_bytes(uint64_t w)
{
    return (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
}
#endif

/*
 * Copy string bytes from ps->p to *o up to the first quote or backslash
 * (or the end of the text), advancing both.
 */
static void copy_plain(struct parser *ps, char **o)
{
    const char *p = ps->p;
    char *q = *o;

#ifdef SSE2_COPY
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');

    while (ps->end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned hit = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote),
                         _mm_cmpeq_epi8(v, backslash)));

        _mm_storeu_si128((__m128i *)(void *)q, v);
        if (hit != 0) {
            unsigned k = (unsigned)__builtin_ctz(hit);

            ps->p = p + k;
            *o = q + k;
            return;
        }
        p += 16;
        q += 16;
    }
#endif
#ifdef WORD_COPY
    while (ps->end - p >= 8) {
        uint64_t w;
        uint64_t hit;

        memcpy(&w, p, 8);
        memcpy(q, &w, 8);
        hit = zero_bytes(w ^ 0x2222222222222222ull) |
              zero_bytes(w ^ 0x5C5C5C5C5C5C5C5Cull);
        if (hit != 0) {
            unsigned k = (unsigned)__builtin_ctzll(hit) >> 3;

            ps->p = p + k;
            *o = q + k;
            return;
        }
        p += 8;
        q += 8;
    }
#endif
    while (p < ps->end && *p != '"' && *p != '\\') {
        *q++ = *p++;
    }
    ps->p = p;
    *o = q;
}

/*
 * Does the decoded string s (n bytes) hold a NUL? Member names are short:
 * a word at a time, inline, is much cheaper here than a call of memchr.
 */
static bool has_nul(const char *s, size_t n)
{
#ifdef WORD_COPY
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;

        memcpy(&w, s, 8);
        if (zero_bytes(w) != 0) {
            return true;
        }
    }
#endif
    for (; n > 0; s++, n--) {
        if (*s == '\0') {
            return true;
        }
    }
    return false;
}

/* Four hex digits at p, or -1. */
static long hex4(const char *p)
{
    long v = 0;

    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)p[i];

        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= c - '0';
        } else if (c >= 'a' && c <= 'f') {
            v |= c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            v |= c - 'A' + 10;
        } else {
            return -1;
        }
    }
    return v;
}

/* Write code point cp (up to 0x10FFFF, surrogates included) as UTF-8. */
static char *put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/*
 * Decode the \u escape whose 'u' is at ps->p into *o. A surrogate pair
 * becomes one code point; a lone surrogate is kept as it is.
 */
static bool unicode_escape(struct parser *ps, char **o)
{
    const char *p = ps->p + 1;
    long hi;
    long lo;

    if (ps->end - p < 4) {
        return fail(ps, S2Q_JSON_TRUNCATED, ps->end);
    }
    if ((hi = hex4(p)) < 0) {
        return fail(ps, S2Q_JSON_SYNTAX, ps->p - 1);
    }
    p += 4;
    if (hi >= 0xD800 && hi <= 0xDBFF && ps->end - p >= 6 && p[0] == '\\' &&
        p[1] == 'u' && (lo = hex4(p + 2)) >= 0xDC00 && lo <= 0xDFFF) {
        *o = put_utf8(*o, 0x10000 + (((unsigned long)hi - 0xD800) << 10) +
                              ((unsigned long)lo - 0xDC00));
        p += 6;
    } else {
        *o = put_utf8(*o, (unsigned long)hi);
    }
    ps->p = p;
    return true;
}

/* What the escapes other than \\u stand for (0: not an escape). */
static const char unescaped[256] = {
    ['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b', ['f'] = '\f',
    ['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
};

/*
 * Read the string whose opening quote is at ps->p into the string area.
 * @return its text (NUL-terminated) and, in *len, its length, or NULL.
 */
static char *parse_string(struct parser *ps, size_t *len)
{
    char *start = ps->out;
    char *o = start;

    ps->p++;
    for (;;) {
        copy_plain(ps, &o);
        if (ps->p >= ps->end) {
            fail(ps, S2Q_JSON_TRUNCATED, ps->end);
            return NULL;
        }
        if (*ps->p == '"') {
            break;
        }
        if (ps->end - ps->p < 2) {
            fail(ps, S2Q_JSON_TRUNCATED, ps->end);
            return NULL;
        }
        ps->p++;
        if (*ps->p == 'u') {
            if (!unicode_escape(ps, &o)) {
                return NULL;
            }
        } else if (unescaped[(unsigned char)*ps->p] != 0) {
            *o++ = unescaped[(unsigned char)*ps->p++];
        } else {
            fail(ps, S2Q_JSON_SYNTAX, ps->p - 1);
            return NULL;
        }
    }
    ps->p++;
    *len = (size_t)(o - start);
    *o++ = '\0';
    ps->out = o;
    return start;
}

/* ---- numbers and literals ---- */

static bool is_digit(const struct parser *ps, const char *p)
{
    return p < ps->end && *p >= '0' && *p <= '9';
}

/* Move *p past one or more digits; fail when there are none. */
static bool skip_digits(struct parser *ps, const char **p)
{
    if (!is_digit(ps, *p)) {
        return fail(ps, S2Q_JSON_SYNTAX, *p);
    }
    while (is_digit(ps, *p)) {
        (*p)++;
    }
    return true;
}

static bool parse_number(struct parser *ps, cJSON *node)
{
    const char *start = ps->p;
    const char *p = start;
    uint64_t whole = 0;
    int digits = 0;
    bool exact = true;
    double d;

    if (*p == '-') {
        p++;
    }
    if (!is_digit(ps, p)) {
        return fail(ps, S2Q_JSON_SYNTAX, p);
    }
    if (*p == '0') {
        p++;
    } else {
        while (is_digit(ps, p)) {
            whole = whole * 10 + (uint64_t)(*p++ - '0');
            digits++;
        }
    }
    if (p < ps->end && *p == '.') {
        p++;
        if (!skip_digits(ps, &p)) {
            return false;
        }
        exact = false;
    }
    if (p < ps->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < ps->end && (*p == '+' || *p == '-')) {
            p++;
        }
        if (!skip_digits(ps, &p)) {
            return false;
        }
        exact = false;
    }
    if (exact && digits <= EXACT_DIGITS) {
        d = (double)whole;
        if (*start == '-') {
            d = -d;
        }
    } else {
        /* The text is kept, terminated, in the string area: it has room,
         * as a delimiter or the end of the text follows every number. */
        node->valuestring = ps->out;
        memcpy(ps->out, start, (size_t)(p - start));
        ps->out += p - start;
        *ps->out++ = '\0';
        d = strtod(node->valuestring, NULL);
    }
    node->type = cJSON_Number;
    node->valuedouble = d;
    if (d >= INT_MAX) {
        node->valueint = INT_MAX;
    } else if (d <= (double)INT_MIN) {
        node->valueint = INT_MIN;
    } else {
        node->valueint = (int)d;
    }
    ps->p = p;
    return true;
}

static bool literal(struct parser *ps, const char *word, size_t n)
{
    size_t left = (size_t)(ps->end - ps->p);

    if (memcmp(ps->p, word, left < n ? left : n) != 0) {
        return fail(ps, S2Q_JSON_SYNTAX, ps->p);
    }
    if (left < n) {
        return fail(ps, S2Q_JSON_TRUNCATED, ps->end);
    }
    ps->p += n;
    return true;
}

/* ---- values ---- */

static bool parse_value(struct parser *ps, cJSON *node);

/* Link item after *tail under node. */
static void append(cJSON *node, cJSON **tail, cJSON *item)
{
    if (*tail == NULL) {
        node->child = item;
    } else {
        (*tail)->next = item;
        item->prev = *tail;
    }
    *tail = item;
}

/* The members or elements of the object or array that opens at ps->p;
 * close is '}' or ']'. */
static bool parse_container(struct parser *ps, cJSON *node, char close)
{
    cJSON *tail = NULL;

    if (++ps->depth > S2Q_JSON_MAX_DEPTH) {
        return fail(ps, S2Q_JSON_TOO_DEEP, ps->p);
    }
    node->type = close == '}' ? cJSON_Object : cJSON_Array;
    ps->p++;
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        ps->depth--;
        return true;
    }
    for (;;) {
        cJSON *item = new_node(ps);

        if (close == '}') {
            size_t n;
            const char *name = ps->p;

            if (ps->p >= ps->end || *ps->p != '"') {
                return fail(ps, S2Q_JSON_SYNTAX, ps->p);
            }
            item->string = parse_string(ps, &n);
            if (item->string == NULL) {
                return false;
            }
            if (has_nul(item->string, n)) {
                return fail(ps, S2Q_JSON_NUL_NAME, name);
            }
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                return fail(ps, S2Q_JSON_SYNTAX, ps->p);
            }
            ps->p++;
            skip_space(ps);
        }
        if (!parse_value(ps, item)) {
            return false;
        }
        append(node, &tail, item);
        skip_space(ps);
        if (ps->p >= ps->end) {
            return fail(ps, S2Q_JSON_TRUNCATED, ps->end);
        }
        if (*ps->p == close) {
            break;
        }
        if (*ps->p != ',') {
            return fail(ps, S2Q_JSON_SYNTAX, ps->p);
        }
        ps->p++;
        skip_space(ps);
    }
    ps->p++;
    /* cJSON keeps the last element in the first one's prev. */
    node->child->prev = tail;
    ps->depth--;
    return true;
}

static bool parse_value(struct parser *ps, cJSON *node)
{
    size_t n;

    if (ps->p >= ps->end) {
        return fail(ps, S2Q_JSON_TRUNCATED, ps->end);
    }
    switch (*ps->p) {
    case '{':
        return parse_container(ps, node, '}');
    case '[':
        return parse_container(ps, node, ']');
    case '"':
        node->valuestring = parse_string(ps, &n);
        if (node->valuestring == NULL) {
            return false;
        }
        node->type = cJSON_String | S2Q_JSON_SIZED;
        node->valuedouble = (double)n;
        return true;
    case 't':
        node->type = cJSON_True;
        node->valueint = 1;
        return literal(ps, "true", 4);
    case 'f':
        node->type = cJSON_False;
        return literal(ps, "false", 5);
    case 'n':
        node->type = cJSON_NULL;
        return literal(ps, "null", 4);
    default:
        return parse_number(ps, node);
    }
}

cJSON *s2q_json_parse(const char *text, size_t len,
                      struct s2q_json_error *err)
{
    struct parser ps;
    cJSON *root;

    ps.p = text;
    ps.end = text + len;
    ps.out = s2q_arena_alloc(len + AREA_SLACK);
    ps.pool = NULL;
    ps.pool_end = NULL;
    ps.depth = 0;
    ps.err = err;
    root = new_node(&ps);
    skip_space(&ps);
    if (!parse_value(&ps, root)) {
        return NULL;
    }
    skip_space(&ps);
    if (ps.p != ps.end) {
        fail(&ps, S2Q_JSON_SYNTAX, ps.p);
        return NULL;
    }
    return root;
}
