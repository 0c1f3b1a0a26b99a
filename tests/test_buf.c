/*
 * test_buf.c - tests for the byte buffer, the JSON string escaper and its
 * stream form, the cJSON writer, s2q_format_number and the allocation
 * wrappers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "s2q/buf.h"
#include "s2q/value.h"

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer aborts on an impossible allocation unless told to let
 * malloc fail; the out-of-memory tests need malloc to fail. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

/* An escaper case: input bytes, expected output bytes (quotes included)
 * and the expected number of replacements. */
struct str_case {
    const char *in;
    size_t in_len;
    const char *out;
    size_t out_len;
    size_t replaced;
};

#define STR_CASE(in, out, r) { in, sizeof(in) - 1, out, sizeof(out) - 1, r }

#define FFFD "\xEF\xBF\xBD"

/* Check that b holds exactly the n bytes of exp. */
static void assert_buf_equal(const struct s2q_buf *b, const char *exp,
                             size_t n)
{
    assert_int_equal(b->len, n);
    assert_true(b->cap >= b->len);
    if (n > 0) {
        assert_memory_equal(b->data, exp, n);
    }
}

/* Run every case of a table through s2q_json_put_string. */
static void check_put_string_cases(const struct str_case *cases, size_t n)
{
    struct s2q_buf b;
    size_t i;
    size_t r;

    for (i = 0; i < n; i++) {
        s2q_buf_init(&b);
        r = s2q_json_put_string(&b, cases[i].in, cases[i].in_len);
        assert_int_equal(r, cases[i].replaced);
        assert_buf_equal(&b, cases[i].out, cases[i].out_len);
        s2q_buf_free(&b);
    }
}

/* Feed s to the stream escaper one byte per piece; return replacements. */
static size_t stream_bytewise(struct s2q_buf *b, const char *s, size_t n)
{
    struct s2q_json_stream st;
    size_t i;

    s2q_json_stream_begin(b, &st);
    for (i = 0; i < n; i++) {
        s2q_json_stream_put(b, &st, s + i, 1);
    }
    return s2q_json_stream_end(b, &st);
}

/* Run every case of a table through the stream escaper, byte by byte. */
static void check_stream_cases(const struct str_case *cases, size_t n)
{
    struct s2q_buf b;
    size_t i;
    size_t r;

    for (i = 0; i < n; i++) {
        s2q_buf_init(&b);
        r = stream_bytewise(&b, cases[i].in, cases[i].in_len);
        assert_int_equal(r, cases[i].replaced);
        assert_buf_equal(&b, cases[i].out, cases[i].out_len);
        s2q_buf_free(&b);
    }
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. Written
 * independently of buf.c: decode, then check the code point's range. */
static size_t ref_sequence(const unsigned char *s, size_t n)
{
    static const unsigned long min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    unsigned long cp;
    size_t len;
    size_t j;

    if (s[0] >= 0xC0 && s[0] < 0xE0) {
        len = 2;
        cp = s[0] & 0x1Fu;
    } else if (s[0] >= 0xE0 && s[0] < 0xF0) {
        len = 3;
        cp = s[0] & 0x0Fu;
    } else if (s[0] >= 0xF0 && s[0] < 0xF8) {
        len = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (len > n) {
        return 0;
    }
    for (j = 1; j < len; j++) {
        if ((s[j] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[j] & 0x3Fu);
    }
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

/* Reference escaper: write the JSON string of s into out (room for
 * 6 * n + 2 bytes); return its length and set *replaced. */
static size_t ref_escape(const unsigned char *s, size_t n, char *out,
                         size_t *replaced)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;
    size_t o;
    size_t len;

    o = 0;
    *replaced = 0;
    out[o++] = '"';
    for (i = 0; i < n; i += len) {
        len = 1;
        if (s[i] == '"' || s[i] == '\\') {
            out[o++] = '\\';
            out[o++] = (char)s[i];
        } else if (s[i] < 0x20) {
            const char *named = strchr("b\bf\fn\nr\rt\t", s[i]);
            if (s[i] != 0 && named != NULL) {
                out[o++] = '\\';
                out[o++] = named[-1];
            } else {
                memcpy(out + o, "\\u00", 4);
                out[o + 4] = hex[s[i] >> 4];
                out[o + 5] = hex[s[i] & 15];
                o += 6;
            }
        } else if (s[i] < 0x80) {
            out[o++] = (char)s[i];
        } else {
            len = ref_sequence(s + i, n - i);
            if (len > 0) {
                memcpy(out + o, s + i, len);
                o += len;
            } else {
                len = 1;
                memcpy(out + o, FFFD, 3);
                o += 3;
                (*replaced)++;
            }
        }
    }
    out[o++] = '"';
    return o;
}

/* Small deterministic pseudo-random generator (xorshift32). */
static uint32_t next_random(uint32_t *state)
{
    uint32_t x;

    x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* Fill s with n bytes rich in UTF-8 edge cases: boundary lead bytes,
 * continuation bytes, escapes and plain ASCII. */
static void random_text(uint32_t *state, unsigned char *s, size_t n)
{
    static const unsigned char pool[] = {
        'a', 'Z', ' ', '"', '\\', 0x00, 0x08, 0x1B, 0x1F, 0x7F,
        0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
        0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4,
        0xF5, 0xF8, 0xFE, 0xFF
    };
    size_t i;
    uint32_t r;

    for (i = 0; i < n; i++) {
        r = next_random(state);
        if (r % 8 < 3) {
            s[i] = (unsigned char)(0x80 + (r >> 8) % 0x40);
        } else if (r % 8 < 7) {
            s[i] = pool[(r >> 8) % sizeof(pool)];
        } else {
            s[i] = (unsigned char)(r >> 8);
        }
    }
}

static void test_buf_init_owns_no_memory(void **state)
{
    struct s2q_buf b;

    (void)state;
    memset(&b, 0x55, sizeof(b));
    s2q_buf_init(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    s2q_buf_free(&b);
    assert_null(b.data);
}

static void test_buf_put_appends_bytes(void **state)
{
    struct s2q_buf b;

    (void)state;
    s2q_buf_init(&b);
    s2q_buf_put(&b, NULL, 0);
    assert_int_equal(b.len, 0);
    s2q_buf_put(&b, "ab\0c", 4);
    s2q_buf_puts(&b, "de");
    s2q_buf_puts(&b, "");
    s2q_buf_putc(&b, 'f');
    s2q_buf_putc(&b, '\0');
    s2q_buf_putc(&b, '\xFF');
    assert_buf_equal(&b, "ab\0cdef\0\xFF", 9);
    s2q_buf_free(&b);
}

static void test_buf_put_base64_follows_rfc4648(void **state)
{
    /* The test vectors of RFC 4648, section 10, and bytes of every
     * value. */
    static const char *const vectors[][2] = {
        { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
        { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
        { "foobar", "Zm9vYmFy" }, { "\xff\xfe\x00", "//4A" },
    };
    struct s2q_buf b;

    (void)state;
    s2q_buf_init(&b);
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        size_t n = i == 7 ? 3 : strlen(vectors[i][0]);

        b.len = 0;
        s2q_buf_put_base64(&b, vectors[i][0], n);
        assert_buf_equal(&b, vectors[i][1], strlen(vectors[i][1]));
    }
    s2q_buf_free(&b);
}

static void test_buf_reserve_grows_geometrically(void **state)
{
    struct s2q_buf b;
    size_t i;
    size_t growths;
    size_t cap;

    (void)state;
    s2q_buf_init(&b);
    s2q_buf_reserve(&b, 0);
    s2q_buf_reserve(&b, 100);
    assert_true(b.cap >= 100);
    assert_int_equal(b.len, 0);
    cap = b.cap;
    s2q_buf_reserve(&b, cap);
    assert_int_equal(b.cap, cap);
    growths = 0;
    for (i = 0; i < 1000000; i++) {
        s2q_buf_putc(&b, (char)('a' + i % 26));
        if (b.cap != cap) {
            growths++;
            cap = b.cap;
        }
    }
    assert_true(growths <= 20);
    assert_int_equal(b.len, 1000000);
    assert_int_equal(b.data[0], 'a');
    assert_int_equal(b.data[999999], 'a' + 999999 % 26);
    s2q_buf_free(&b);
}

static void test_buf_free_resets_for_reuse(void **state)
{
    struct s2q_buf b;

    (void)state;
    s2q_buf_init(&b);
    s2q_buf_puts(&b, "first");
    s2q_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    s2q_buf_puts(&b, "second");
    assert_buf_equal(&b, "second", 6);
    s2q_buf_free(&b);
    s2q_buf_free(&b);
    assert_null(b.data);
}

static void test_json_put_string_escapes_ascii(void **state)
{
    static const struct str_case cases[] = {
        STR_CASE("", "\"\"", 0),
        STR_CASE("abc", "\"abc\"", 0),
        STR_CASE(" !#~", "\" !#~\"", 0),
        STR_CASE("a\"b", "\"a\\\"b\"", 0),
        STR_CASE("a\\b", "\"a\\\\b\"", 0),
        STR_CASE("\"\\\"", "\"\\\"\\\\\\\"\"", 0),
        STR_CASE("/path/x", "\"/path/x\"", 0),
        STR_CASE("\x7F", "\"\x7F\"", 0),
        STR_CASE("a\0b", "\"a\\u0000b\"", 0),
        STR_CASE("\0", "\"\\u0000\"", 0),
        STR_CASE("C:\\Windows\\cmd.exe /c \"x\"\r\n",
                 "\"C:\\\\Windows\\\\cmd.exe /c \\\"x\\\"\\r\\n\"", 0),
    };

    (void)state;
    check_put_string_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_json_put_string_escapes_every_control_char(void **state)
{
    static const char *const expected[32] = {
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005",
        "\\u0006", "\\u0007", "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r",
        "\\u000e", "\\u000f", "\\u0010", "\\u0011", "\\u0012", "\\u0013",
        "\\u0014", "\\u0015", "\\u0016", "\\u0017", "\\u0018", "\\u0019",
        "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f"
    };
    struct s2q_buf b;
    char c;
    char want[16];
    size_t n;
    int i;

    (void)state;
    for (i = 0; i < 32; i++) {
        c = (char)i;
        n = strlen(expected[i]);
        want[0] = '"';
        memcpy(want + 1, expected[i], n);
        want[n + 1] = '"';
        s2q_buf_init(&b);
        assert_int_equal(s2q_json_put_string(&b, &c, 1), 0);
        assert_buf_equal(&b, want, n + 2);
        s2q_buf_free(&b);
    }
}

static const struct str_case valid_utf8_cases[] = {
    STR_CASE("\xC3\xA9", "\"\xC3\xA9\"", 0),
    STR_CASE("\xE2\x82\xAC", "\"\xE2\x82\xAC\"", 0),
    STR_CASE("\xF0\x9F\x98\x80", "\"\xF0\x9F\x98\x80\"", 0),
    STR_CASE("\xF4\x8F\xBF\xBF", "\"\xF4\x8F\xBF\xBF\"", 0),
    STR_CASE("\xC2\x80", "\"\xC2\x80\"", 0),
    STR_CASE("\xDF\xBF", "\"\xDF\xBF\"", 0),
    STR_CASE("\xE0\xA0\x80", "\"\xE0\xA0\x80\"", 0),
    STR_CASE("\xED\x9F\xBF", "\"\xED\x9F\xBF\"", 0),
    STR_CASE("\xEE\x80\x80", "\"\xEE\x80\x80\"", 0),
    STR_CASE("\xEF\xBF\xBF", "\"\xEF\xBF\xBF\"", 0),
    STR_CASE("\xEF\xBB\xBF", "\"\xEF\xBB\xBF\"", 0),
    STR_CASE("\xF0\x90\x80\x80", "\"\xF0\x90\x80\x80\"", 0),
    STR_CASE("\xF3\xBF\xBF\xBF", "\"\xF3\xBF\xBF\xBF\"", 0),
    STR_CASE("\xE2\x80\xA8\xE2\x80\xA9", "\"\xE2\x80\xA8\xE2\x80\xA9\"", 0),
    STR_CASE("caf\xC3\xA9 \xE2\x82\xAC" "5\n\xF0\x9F\x98\x80",
             "\"caf\xC3\xA9 \xE2\x82\xAC" "5\\n\xF0\x9F\x98\x80\"", 0),
};

static const struct str_case invalid_utf8_cases[] = {
    STR_CASE("\x80", "\"" FFFD "\"", 1),
    STR_CASE("\xBF", "\"" FFFD "\"", 1),
    STR_CASE("\x80\xBF\x80", "\"" FFFD FFFD FFFD "\"", 3),
    STR_CASE("\xC0\x80", "\"" FFFD FFFD "\"", 2),
    STR_CASE("\xC1\xBF", "\"" FFFD FFFD "\"", 2),
    STR_CASE("\xC0", "\"" FFFD "\"", 1),
    STR_CASE("\xE0\x80\x80", "\"" FFFD FFFD FFFD "\"", 3),
    STR_CASE("\xE0\x9F\xBF", "\"" FFFD FFFD FFFD "\"", 3),
    STR_CASE("\xED\xA0\x80", "\"" FFFD FFFD FFFD "\"", 3),
    STR_CASE("\xED\xBF\xBF", "\"" FFFD FFFD FFFD "\"", 3),
    STR_CASE("\xF0\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"", 4),
    STR_CASE("\xF0\x8F\xBF\xBF", "\"" FFFD FFFD FFFD FFFD "\"", 4),
    STR_CASE("\xF4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"", 4),
    STR_CASE("\xF5\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"", 4),
    STR_CASE("\xF8\xFC\xFE\xFF", "\"" FFFD FFFD FFFD FFFD "\"", 4),
    STR_CASE("\xC3", "\"" FFFD "\"", 1),
    STR_CASE("\xE2\x82", "\"" FFFD FFFD "\"", 2),
    STR_CASE("\xF0\x9F\x98", "\"" FFFD FFFD FFFD "\"", 3),
    STR_CASE("\xE2" "A", "\"" FFFD "A\"", 1),
    STR_CASE("\xE2\x82" "A", "\"" FFFD FFFD "A\"", 2),
    STR_CASE("\xF0\x9F\x98" "A", "\"" FFFD FFFD FFFD "A\"", 3),
    STR_CASE("\xC3\xC3\xA9", "\"" FFFD "\xC3\xA9\"", 1),
    STR_CASE("\x80\xE2\x82\xAC", "\"" FFFD "\xE2\x82\xAC\"", 1),
    STR_CASE("\xF0\xF0\x9F\x98\x80", "\"" FFFD "\xF0\x9F\x98\x80\"", 1),
    STR_CASE("a\xFF" "b", "\"a" FFFD "b\"", 1),
    STR_CASE("\xC3\"", "\"" FFFD "\\\"\"", 1),
    STR_CASE("\xE2\n", "\"" FFFD "\\n\"", 1),
    STR_CASE("\xF4\x8F\xBF", "\"" FFFD FFFD FFFD "\"", 3),
    STR_CASE("\xED\xA0\x80\xED\xB0\x80",
             "\"" FFFD FFFD FFFD FFFD FFFD FFFD "\"", 6),
};

static void test_json_put_string_copies_valid_utf8(void **state)
{
    (void)state;
    check_put_string_cases(valid_utf8_cases,
                           sizeof(valid_utf8_cases)
                           / sizeof(valid_utf8_cases[0]));
}

static void test_json_put_string_replaces_invalid_utf8(void **state)
{
    (void)state;
    check_put_string_cases(invalid_utf8_cases,
                           sizeof(invalid_utf8_cases)
                           / sizeof(invalid_utf8_cases[0]));
}

static void test_json_put_string_appends_after_content(void **state)
{
    struct s2q_buf b;

    (void)state;
    s2q_buf_init(&b);
    s2q_buf_puts(&b, "{\"k\":");
    assert_int_equal(s2q_json_put_string(&b, "v\xFF", 2), 1);
    s2q_buf_putc(&b, ',');
    assert_int_equal(s2q_json_put_string(&b, "", 0), 0);
    s2q_buf_putc(&b, '}');
    assert_buf_equal(&b, "{\"k\":\"v" FFFD "\",\"\"}", 15);
    s2q_buf_free(&b);
}

static void test_json_put_string_handles_long_runs(void **state)
{
    struct s2q_buf b;
    char *s;
    size_t n;
    size_t i;

    (void)state;
    n = 300000;
    s = malloc(n);
    assert_non_null(s);
    memset(s, 'x', n);
    s[n - 1] = '\x01';
    s[n / 2] = '\xE9';
    s2q_buf_init(&b);
    assert_int_equal(s2q_json_put_string(&b, s, n), 1);
    assert_int_equal(b.len, n + 2 + 2 + 5);
    assert_int_equal(b.data[0], '"');
    for (i = 1; i <= n / 2; i++) {
        assert_int_equal(b.data[i], 'x');
    }
    assert_memory_equal(b.data + n / 2 + 1, FFFD, 3);
    assert_memory_equal(b.data + b.len - 8, "x\\u0001\"", 8);
    s2q_buf_free(&b);
    free(s);
}

static void test_json_put_string_matches_reference(void **state)
{
    uint32_t seed;
    unsigned char s[300];
    char want[6 * sizeof(s) + 2];
    struct s2q_buf b;
    size_t want_len;
    size_t want_r;
    size_t n;
    int round;

    (void)state;
    seed = 12345;
    for (round = 0; round < 20000; round++) {
        n = next_random(&seed) % sizeof(s);
        random_text(&seed, s, n);
        want_len = ref_escape(s, n, want, &want_r);
        s2q_buf_init(&b);
        assert_int_equal(s2q_json_put_string(&b, (const char *)s, n),
                         want_r);
        assert_buf_equal(&b, want, want_len);
        s2q_buf_free(&b);
    }
}

/* Input that mixes valid sequences of each length, invalid bytes of each
 * kind, escapes and a truncated tail. */
static const char tricky[] =
    "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\x80\xC3"
    "\xE2\x82\xF0\x9F\x98\"\n\x01\xED\xA0\x80\xF4\x90\xE0\x9F\xFF"
    "z\xC2\x80\xE2\x82";

static const char tricky_escaped[] =
    "\"a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF" FFFD FFFD
    FFFD FFFD FFFD FFFD FFFD "\\\"\\n\\u0001" FFFD FFFD FFFD FFFD FFFD
    FFFD FFFD FFFD "z\xC2\x80" FFFD FFFD "\"";

static void test_json_put_string_escapes_tricky_input(void **state)
{
    struct s2q_buf b;

    (void)state;
    s2q_buf_init(&b);
    assert_int_equal(s2q_json_put_string(&b, tricky, sizeof(tricky) - 1),
                     17);
    assert_buf_equal(&b, tricky_escaped, sizeof(tricky_escaped) - 1);
    s2q_buf_free(&b);
}

/* Escape tricky through the stream in three pieces cut at i and j. */
static void check_tricky_split(size_t i, size_t j)
{
    struct s2q_json_stream st;
    struct s2q_buf b;
    size_t n;

    n = sizeof(tricky) - 1;
    s2q_buf_init(&b);
    s2q_json_stream_begin(&b, &st);
    s2q_json_stream_put(&b, &st, tricky, i);
    s2q_json_stream_put(&b, &st, tricky + i, j - i);
    s2q_json_stream_put(&b, &st, tricky + j, n - j);
    assert_int_equal(s2q_json_stream_end(&b, &st), 17);
    assert_buf_equal(&b, tricky_escaped, sizeof(tricky_escaped) - 1);
    s2q_buf_free(&b);
}

static void test_json_stream_matches_put_string_at_every_split(void **state)
{
    size_t n;
    size_t i;
    size_t j;

    (void)state;
    n = sizeof(tricky) - 1;
    for (i = 0; i <= n; i++) {
        for (j = i; j <= n; j++) {
            check_tricky_split(i, j);
        }
    }
}

static void test_json_stream_matches_put_string_bytewise(void **state)
{
    struct s2q_buf b;

    (void)state;
    check_stream_cases(valid_utf8_cases,
                       sizeof(valid_utf8_cases)
                       / sizeof(valid_utf8_cases[0]));
    check_stream_cases(invalid_utf8_cases,
                       sizeof(invalid_utf8_cases)
                       / sizeof(invalid_utf8_cases[0]));
    s2q_buf_init(&b);
    assert_int_equal(stream_bytewise(&b, tricky, sizeof(tricky) - 1), 17);
    assert_buf_equal(&b, tricky_escaped, sizeof(tricky_escaped) - 1);
    s2q_buf_free(&b);
}

static void test_json_stream_end_replaces_truncated_tail(void **state)
{
    static const struct str_case cases[] = {
        STR_CASE("\xC3", "\"" FFFD "\"", 1),
        STR_CASE("\xE2\x82", "\"" FFFD FFFD "\"", 2),
        STR_CASE("\xF0\x9F\x98", "\"" FFFD FFFD FFFD "\"", 3),
        STR_CASE("ok\xF4", "\"ok" FFFD "\"", 1),
    };
    struct s2q_json_stream st;
    struct s2q_buf b;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s2q_buf_init(&b);
        s2q_json_stream_begin(&b, &st);
        s2q_json_stream_put(&b, &st, cases[i].in, cases[i].in_len);
        assert_int_equal(s2q_json_stream_end(&b, &st), cases[i].replaced);
        assert_buf_equal(&b, cases[i].out, cases[i].out_len);
        s2q_buf_free(&b);
    }
}

static void test_json_stream_writes_empty_string(void **state)
{
    struct s2q_json_stream st;
    struct s2q_buf b;

    (void)state;
    s2q_buf_init(&b);
    s2q_buf_putc(&b, '[');
    s2q_json_stream_begin(&b, &st);
    s2q_json_stream_put(&b, &st, "", 0);
    s2q_json_stream_put(&b, &st, NULL, 0);
    assert_int_equal(s2q_json_stream_end(&b, &st), 0);
    s2q_buf_putc(&b, ']');
    assert_buf_equal(&b, "[\"\"]", 4);
    s2q_buf_free(&b);
}

static void test_json_stream_resets_between_strings(void **state)
{
    struct s2q_json_stream st;
    struct s2q_buf b;

    (void)state;
    s2q_buf_init(&b);
    s2q_json_stream_begin(&b, &st);
    s2q_json_stream_put(&b, &st, "\xFF\xE2", 2);
    assert_int_equal(s2q_json_stream_end(&b, &st), 2);
    s2q_buf_putc(&b, ',');
    s2q_json_stream_begin(&b, &st);
    s2q_json_stream_put(&b, &st, "\x82\xAC", 2);
    assert_int_equal(s2q_json_stream_end(&b, &st), 2);
    assert_buf_equal(&b, "\"" FFFD FFFD "\",\"" FFFD FFFD "\"", 17);
    s2q_buf_free(&b);
}

/* Escape s through the stream in random pieces of 0 to 6 bytes. */
static size_t stream_random_pieces(struct s2q_buf *b, uint32_t *seed,
                                   const unsigned char *s, size_t n)
{
    struct s2q_json_stream st;
    size_t i;
    size_t k;

    s2q_json_stream_begin(b, &st);
    for (i = 0; i < n; i += k) {
        k = next_random(seed) % 7;
        if (k > n - i) {
            k = n - i;
        }
        s2q_json_stream_put(b, &st, (const char *)s + i, k);
    }
    return s2q_json_stream_end(b, &st);
}

static void test_json_stream_matches_reference(void **state)
{
    uint32_t seed;
    unsigned char s[200];
    char want[6 * sizeof(s) + 2];
    struct s2q_buf b;
    size_t want_len;
    size_t want_r;
    size_t n;
    int round;

    (void)state;
    seed = 777;
    for (round = 0; round < 20000; round++) {
        n = next_random(&seed) % sizeof(s);
        random_text(&seed, s, n);
        want_len = ref_escape(s, n, want, &want_r);
        s2q_buf_init(&b);
        assert_int_equal(stream_random_pieces(&b, &seed, s, n), want_r);
        assert_buf_equal(&b, want, want_len);
        s2q_buf_free(&b);
    }
}

/* A cJSON writer case: JSON text to parse and the expected output. */
struct node_case {
    const char *json;
    const char *out;
    size_t replaced;
};

static void test_json_put_node_writes_compact_json(void **state)
{
    static const struct node_case cases[] = {
        { "null", "null", 0 },
        { "true", "true", 0 },
        { "false", "false", 0 },
        { "0", "0", 0 },
        { "-0", "0", 0 },
        { "3.0", "3", 0 },
        { "-42", "-42", 0 },
        { "1.5", "1.5", 0 },
        { "0.1", "0.10000000000000001", 0 },
        { "1e300", "1.0000000000000001e+300", 0 },
        { "9007199254740993", "9007199254740992", 0 },
        { "1e999", "null", 0 },
        { "-1e999", "null", 0 },
        { "\"a\\u00e9\\n\\/\"", "\"a\xC3\xA9\\n/\"", 0 },
        { "\"\\u2028\\ud83d\\ude00\"", "\"\xE2\x80\xA8\xF0\x9F\x98\x80\"", 0 },
        { "\"\\u001B\\t\"", "\"\\u001b\\t\"", 0 },
        { "[]", "[]", 0 },
        { "{}", "{}", 0 },
        { " [ [ ] , { } , [ [ 1 ] ] ] ", "[[],{},[[1]]]", 0 },
        { " { \"a\" : [ 1 , 2 , { \"b\" : null } ] , \"c\" : \"d\" } ",
          "{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}", 0 },
        { "{\"z\":1,\"a\":2,\"z\":3}", "{\"z\":1,\"a\":2,\"z\":3}", 0 },
        { "{\"q\\\"k\":\"v\\\\\"}", "{\"q\\\"k\":\"v\\\\\"}", 0 },
        { "[1e999,-1e999,2,true]", "[null,null,2,true]", 0 },
        { "{\"\xFF\":[\"\xC0\xAF\",\"ok\"]}",
          "{\"" FFFD "\":[\"" FFFD FFFD "\",\"ok\"]}", 3 },
    };
    struct s2q_buf b;
    cJSON *node;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        node = cJSON_Parse(cases[i].json);
        assert_non_null(node);
        s2q_buf_init(&b);
        assert_int_equal(s2q_json_put_node(&b, node), cases[i].replaced);
        assert_buf_equal(&b, cases[i].out, strlen(cases[i].out));
        s2q_buf_free(&b);
        cJSON_Delete(node);
    }
}

/* For a terminal, the characters it acts on are escaped; their
 * neighbours are not. */
static void test_json_put_string_escapes_for_a_terminal(void **state)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "a\x7f" "b", "\"a\\u007fb\"" },
        { "\xc2\x80\xc2\x9f\xc2\xa0", "\"\\u0080\\u009f\xc2\xa0\"" },
        { "\xd8\x9c", "\"\\u061c\"" },
        { "\xe2\x80\x8d\xe2\x80\x8e\xe2\x80\x8f\xe2\x80\x90",
          "\"\xe2\x80\x8d\\u200e\\u200f\xe2\x80\x90\"" },
        { "\xe2\x80\xa7\xe2\x80\xa8\xe2\x80\xae\xe2\x80\xaf",
          "\"\xe2\x80\xa7\\u2028\\u202e\xe2\x80\xaf\"" },
        { "\xe2\x81\xa5\xe2\x81\xa6\xe2\x81\xa9\xe2\x81\xaa",
          "\"\xe2\x81\xa5\\u2066\\u2069\xe2\x81\xaa\"" },
        { "\x1b[2J\xf0\x9f\x98\x80", "\"\\u001b[2J\xf0\x9f\x98\x80\"" },
    };
    struct s2q_buf b;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s2q_buf_init(&b);
        b.terminal = true;
        assert_int_equal(s2q_json_put_string(&b, cases[i].in,
                                             strlen(cases[i].in)), 0);
        assert_buf_equal(&b, cases[i].out, strlen(cases[i].out));
        s2q_buf_free(&b);
        /* Without the flag only C0 controls are escaped. */
        s2q_buf_init(&b);
        s2q_json_put_string(&b, "\x7f\xe2\x80\xae", 4);
        assert_buf_equal(&b, "\"\x7f\xe2\x80\xae\"", 6);
        s2q_buf_free(&b);
    }
}

static void test_json_put_node_writes_built_values(void **state)
{
    struct s2q_buf b;
    cJSON *root;
    cJSON no_key;
    static const char want[] = "{\"nan\":null,\"inf\":null,\"raw\":null,"
                               "\"big\":1e+20,\"\":\"\"}";

    (void)state;
    root = cJSON_CreateObject();
    assert_non_null(root);
    cJSON_AddItemToObject(root, "nan", cJSON_CreateNumber(NAN));
    cJSON_AddItemToObject(root, "inf", cJSON_CreateNumber(INFINITY));
    cJSON_AddItemToObject(root, "raw", cJSON_CreateRaw("{bad"));
    cJSON_AddItemToObject(root, "big", cJSON_CreateNumber(1e20));
    memset(&no_key, 0, sizeof(no_key));
    no_key.type = cJSON_String;
    cJSON_AddItemReferenceToArray(root, &no_key);
    s2q_buf_init(&b);
    assert_int_equal(s2q_json_put_node(&b, root), 0);
    assert_buf_equal(&b, want, sizeof(want) - 1);
    s2q_buf_free(&b);
    s2q_json_put_node(&b, NULL);
    assert_buf_equal(&b, "null", 4);
    s2q_buf_free(&b);
    cJSON_Delete(root);
}

static void test_json_put_node_writes_deep_nesting(void **state)
{
    struct s2q_buf b;
    cJSON *node;
    char *text;
    size_t depth;

    (void)state;
    depth = 1000;
    text = malloc(2 * depth + 1);
    assert_non_null(text);
    memset(text, '[', depth);
    memset(text + depth, ']', depth);
    text[2 * depth] = '\0';
    node = cJSON_Parse(text);
    assert_non_null(node);
    s2q_buf_init(&b);
    assert_int_equal(s2q_json_put_node(&b, node), 0);
    assert_buf_equal(&b, text, 2 * depth);
    s2q_buf_free(&b);
    cJSON_Delete(node);
    free(text);
}

/* A s2q_format_number case. */
struct number_case {
    double d;
    const char *out;
};

static void test_format_number_writes_exact_text(void **state)
{
    static const struct number_case cases[] = {
        { 0.0, "0" },
        { -0.0, "0" },
        { 1.0, "1" },
        { 3.0, "3" },
        { -42.0, "-42" },
        { 4242.0, "4242" },
        { 9007199254740991.0, "9007199254740991" },
        { -9007199254740991.0, "-9007199254740991" },
        { 9007199254740992.0, "9007199254740992" },
        { -9007199254740992.0, "-9007199254740992" },
        { 1.5, "1.5" },
        { -0.5, "-0.5" },
        { 0.1, "0.10000000000000001" },
        { 4503599627370495.5, "4503599627370495.5" },
        { 1e20, "1e+20" },
        { 1e300, "1.0000000000000001e+300" },
        { 5e-324, "4.9406564584124654e-324" },
        { -1.7976931348623157e308, "-1.7976931348623157e+308" },
        { INFINITY, "inf" },
        { -INFINITY, "-inf" },
        { NAN, "nan" },
        { -NAN, "nan" },
    };
    char out[S2Q_NUMBER_BUFSZ];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(out, 'X', sizeof(out));
        assert_int_equal(s2q_format_number(cases[i].d, out),
                         strlen(cases[i].out));
        assert_string_equal(out, cases[i].out);
    }
}

static void test_xalloc_returns_usable_memory(void **state)
{
    unsigned char *p;
    char *s;
    size_t i;

    (void)state;
    p = s2q_xrealloc(NULL, 0);
    assert_non_null(p);
    p = s2q_xrealloc(p, 4);
    memcpy(p, "abcd", 4);
    p = s2q_xrealloc(p, 0);
    assert_non_null(p);
    free(p);
    p = s2q_xmalloc(0);
    assert_non_null(p);
    free(p);
    p = s2q_xcalloc(0, 0);
    assert_non_null(p);
    free(p);
    p = s2q_xcalloc(100, 3);
    for (i = 0; i < 300; i++) {
        assert_int_equal(p[i], 0);
    }
    free(p);
    s = s2q_xstrdup("h\xC3\xA9llo");
    assert_string_equal(s, "h\xC3\xA9llo");
    free(s);
    s = s2q_xstrdup("");
    assert_string_equal(s, "");
    free(s);
}

/* Read fd to its end into msg (size cap); return the length read. */
static size_t read_all(int fd, char *msg, size_t cap)
{
    size_t len;
    ssize_t n;

    len = 0;
    for (;;) {
        n = read(fd, msg + len, cap - len);
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
    }
    return len;
}

/* A block that a failing s2q_xrealloc keeps; held here so that leak
 * checkers see it reachable when the child exits. */
static void *volatile oom_block;

/* Ask for memory that cannot be had in the way numbered which (sizes
 * kept below SIZE_MAX / 2 where they reach malloc, which valgrind would
 * otherwise flag as negative). */
static void allocate_too_much(int which)
{
    struct s2q_buf b;

    s2q_buf_init(&b);
    switch (which) {
    case 0:
        s2q_xmalloc(SIZE_MAX / 2);
        break;
    case 1:
        oom_block = s2q_xmalloc(16);
        s2q_xrealloc(oom_block, SIZE_MAX / 4);
        break;
    case 2:
        s2q_xcalloc(SIZE_MAX / 2, 3);
        break;
    case 3:
        s2q_xcalloc(SIZE_MAX / 16, 1);
        break;
    case 4:
        s2q_buf_reserve(&b, SIZE_MAX);
        break;
    case 5:
        s2q_buf_putc(&b, 'x');
        s2q_buf_reserve(&b, SIZE_MAX / 4);
        break;
    default:
        /* Too long to escape: fails before reading s. */
        s2q_json_put_string(&b, "", SIZE_MAX / 6 + 1);
        break;
    }
}

/* Run allocate_too_much(which) in a child process; check that it prints
 * the out-of-memory message and exits with status 3. Lines starting with
 * "==" before the message are AddressSanitizer's own warnings. */
static void check_oom_exit(int which)
{
    char msg[1024];
    const char *p;
    int fds[2];
    int status;
    pid_t pid;
    size_t n;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        allocate_too_much(which);
        _exit(0);
    }
    close(fds[1]);
    n = read_all(fds[0], msg, sizeof(msg) - 1);
    close(fds[0]);
    msg[n] = '\0';
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 3);
    p = msg;
    while (strncmp(p, "==", 2) == 0 && strchr(p, '\n') != NULL) {
        p = strchr(p, '\n') + 1;
    }
    assert_string_equal(p, "sysmon2qql: out of memory\n");
}

static void test_xalloc_exits_3_when_memory_runs_out(void **state)
{
    int which;

    (void)state;
    for (which = 0; which < 7; which++) {
        check_oom_exit(which);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_init_owns_no_memory),
        cmocka_unit_test(test_buf_put_appends_bytes),
        cmocka_unit_test(test_buf_put_base64_follows_rfc4648),
        cmocka_unit_test(test_buf_reserve_grows_geometrically),
        cmocka_unit_test(test_buf_free_resets_for_reuse),
        cmocka_unit_test(test_json_put_string_escapes_ascii),
        cmocka_unit_test(test_json_put_string_escapes_every_control_char),
        cmocka_unit_test(test_json_put_string_copies_valid_utf8),
        cmocka_unit_test(test_json_put_string_replaces_invalid_utf8),
        cmocka_unit_test(test_json_put_string_appends_after_content),
        cmocka_unit_test(test_json_put_string_handles_long_runs),
        cmocka_unit_test(test_json_put_string_matches_reference),
        cmocka_unit_test(test_json_put_string_escapes_tricky_input),
        cmocka_unit_test(test_json_stream_matches_put_string_at_every_split),
        cmocka_unit_test(test_json_stream_matches_put_string_bytewise),
        cmocka_unit_test(test_json_stream_end_replaces_truncated_tail),
        cmocka_unit_test(test_json_stream_writes_empty_string),
        cmocka_unit_test(test_json_stream_resets_between_strings),
        cmocka_unit_test(test_json_stream_matches_reference),
        cmocka_unit_test(test_json_put_node_writes_compact_json),
        cmocka_unit_test(test_json_put_string_escapes_for_a_terminal),
        cmocka_unit_test(test_json_put_node_writes_built_values),
        cmocka_unit_test(test_json_put_node_writes_deep_nesting),
        cmocka_unit_test(test_format_number_writes_exact_text),
        cmocka_unit_test(test_xalloc_returns_usable_memory),
        cmocka_unit_test(test_xalloc_exits_3_when_memory_runs_out),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
