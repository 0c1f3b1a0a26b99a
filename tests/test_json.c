/*
 * test_json.c - the record parser: the same trees as cJSON_Parse on valid
 * JSON, the leniencies json.h lists, exact string bytes (NULs and
 * surrogates included), numbers, and where and why it rejects text.
 */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "s2q/arena.h"
#include "s2q/json.h"

static int setup(void **state)
{
    (void)state;
    s2q_arena_install();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    s2q_arena_release();
    return 0;
}

static cJSON *parse(const char *text, struct s2q_json_error *err)
{
    return s2q_json_parse(text, strlen(text), err);
}

/* text parses to a string node of exactly these n bytes. */
static void assert_string_bytes(const char *text, const char *want,
                                size_t n)
{
    struct s2q_json_error err;
    cJSON *node = parse(text, &err);

    assert_non_null(node);
    assert_true(cJSON_IsString(node));
    assert_int_equal(s2q_json_string_length(node), n);
    assert_memory_equal(node->valuestring, want, n);
    assert_int_equal(node->valuestring[n], '\0');
}

/* text is rejected with that fault at that offset. */
static void assert_fault(const char *text, size_t len,
                         enum s2q_json_fault fault, size_t at)
{
    struct s2q_json_error err;

    err.at = NULL;
    assert_null(s2q_json_parse(text, len, &err));
    assert_int_equal(err.fault, fault);
    assert_int_equal(err.at - text, at);
}

/* Two trees are alike node by node, in order (cJSON_Compare looks members
 * up by name, which duplicate names defeat). */
static void assert_same_tree(const cJSON *a, const cJSON *b)
{
    assert_int_equal(a->type & 0xFF, b->type & 0xFF);
    if (a->string != NULL || b->string != NULL) {
        assert_non_null(a->string);
        assert_non_null(b->string);
        assert_string_equal(a->string, b->string);
    }
    if (cJSON_IsString(a)) {
        assert_string_equal(a->valuestring, b->valuestring);
    }
    if (cJSON_IsNumber(a)) {
        assert_memory_equal(&a->valuedouble, &b->valuedouble,
                            sizeof(double));
        assert_int_equal(a->valueint, b->valueint);
    }
    a = a->child;
    b = b->child;
    while (a != NULL && b != NULL) {
        assert_same_tree(a, b);
        a = a->next;
        b = b->next;
    }
    assert_null(a);
    assert_null(b);
}

static void test_json_parse_builds_the_trees_cjson_builds(void **state)
{
    static const char *const texts[] = {
        "{}", "[]", "0", "-0", "1", "-1", "\"\"", "true", "false", "null",
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
        "[1,[2,[3,[4,{}]]],\"x\",{\"y\":[]}]",
        "{\"a\":1,\"a\":2,\"a\":{\"a\":3}}",
        " \t\r\n{ \"k\" :\n\t[ 1 , 2 ] }\r\n",
        "{\"path\":\"C:\\\\Windows\\\\System32\\\\svchost.exe\","
        "\"cmd\":\"\\\"C:\\\\x y\\\\z.exe\\\" -k \\\"a b\\\"\"}",
        "{\"u\":\"\\u00e9\\u4e2d\\ud83d\\ude00\\u0041\",\"s\":\"\\/\"}",
        "{\"esc\":\"\\b\\f\\n\\r\\t\\\"\\\\\"}",
        "[123456789012345,-123456789012345,1234567890123456789,"
        "1.5,-2.25e-3,1E3,6.02e+23,0.1,1e-320,2147483647,2147483648,"
        "-2147483648,-2147483649,9007199254740993]",
        "{\"Event\":{\"System\":{\"EventID\":1,\"Level\":4},"
        "\"EventData\":{\"Data\":[{\"@Name\":\"Image\",\"#text\":"
        "\"C:\\\\a.exe\"}]}}}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct s2q_json_error err;
        cJSON *ours = parse(texts[i], &err);
        cJSON *theirs = cJSON_Parse(texts[i]);
        char *a;
        char *b;

        assert_non_null(theirs);
        assert_non_null(ours);
        a = cJSON_PrintUnformatted(ours);
        b = cJSON_PrintUnformatted(theirs);
        assert_string_equal(a, b);
        assert_same_tree(ours, theirs);
        cJSON_free(a);
        cJSON_free(b);
        cJSON_Delete(theirs);
    }
}

static void test_json_parse_links_children_as_cjson_does(void **state)
{
    struct s2q_json_error err;
    cJSON *root = parse("{\"a\":1,\"b\":2,\"c\":3}", &err);
    const cJSON *a;
    const cJSON *c;

    (void)state;
    assert_non_null(root);
    a = root->child;
    c = cJSON_GetObjectItemCaseSensitive(root, "c");
    assert_string_equal(a->string, "a");
    assert_ptr_equal(a->prev, c);
    assert_null(c->next);
    assert_ptr_equal(c->prev->prev, a);
    assert_int_equal(cJSON_GetArraySize(root), 3);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(root, "b")->valueint,
                     2);
}

static void test_json_parse_keeps_nul_characters_in_values(void **state)
{
    struct s2q_json_error err;
    static const char raw[] = "\"a\0b\"";
    cJSON *node;

    (void)state;
    assert_string_bytes("\"a\\u0000b\"", "a\0b", 3);
    assert_string_bytes("\"\\u0000\"", "\0", 1);
    node = s2q_json_parse(raw, sizeof(raw) - 1, &err);
    assert_non_null(node);
    assert_int_equal(s2q_json_string_length(node), 3);
    assert_memory_equal(node->valuestring, "a\0b", 3);
}

static void test_json_parse_decodes_escapes_and_surrogates(void **state)
{
    (void)state;
    assert_string_bytes("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
                        "\"\\/\b\f\n\r\t", 8);
    assert_string_bytes("\"\\u0041\\u00E9\\u20ac\"",
                        "A\xC3\xA9\xE2\x82\xAC", 6);
    /* A pair is one code point; an unpaired half keeps its code point. */
    assert_string_bytes("\"\\uD83D\\uDE00\"", "\xF0\x9F\x98\x80", 4);
    assert_string_bytes("\"\\uDBFF\\uDFFF\"", "\xF4\x8F\xBF\xBF", 4);
    assert_string_bytes("\"\\uD800\"", "\xED\xA0\x80", 3);
    assert_string_bytes("\"\\uDC00x\"", "\xED\xB0\x80x", 4);
    assert_string_bytes("\"\\uD800\\u0041\"", "\xED\xA0\x80" "A", 4);
    assert_string_bytes("\"\\uD800\\uD800\"", "\xED\xA0\x80\xED\xA0\x80",
                        6);
    assert_string_bytes("\"\\uDE00\\uD83D\"", "\xED\xB8\x80\xED\xA0\xBD",
                        6);
    /* Control bytes and invalid UTF-8 are kept as they are. */
    assert_string_bytes("\"a\tb\x01\x1f\xff\"", "a\tb\x01\x1f\xff", 6);
}

/* Quotes and escapes at every offset of the copies of 16 and 8 bytes at a
 * time. */
static void test_json_parse_strings_across_word_boundaries(void **state)
{
    char text[80];
    char want[80] = "";

    (void)state;
    for (size_t at = 0; at < 40; at++) {
        for (size_t len = at; len < 56; len++) {
            size_t t = 0;
            size_t w = 0;

            text[t++] = '"';
            for (size_t i = 0; i < len; i++) {
                if (i == at) {
                    text[t++] = '\\';
                    text[t++] = i % 2 ? '"' : '\\';
                    want[w++] = i % 2 ? '"' : '\\';
                } else {
                    text[t++] = (char)('a' + i % 26);
                    want[w++] = (char)('a' + i % 26);
                }
            }
            text[t++] = '"';
            text[t] = '\0';
            assert_string_bytes(text, want, w);
        }
    }
}

static void test_json_parse_converts_numbers(void **state)
{
    static const struct {
        const char *text;
        double value;
        int valueint;
    } cases[] = {
        { "0", 0, 0 },
        { "-0", 0, 0 },
        { "7", 7, 7 },
        { "123456789012345", 123456789012345.0, INT_MAX },
        { "-123456789012345", -123456789012345.0, INT_MIN },
        { "18446744073709551615", 18446744073709551615.0, INT_MAX },
        { "0.5", 0.5, 0 },
        { "-2.5", -2.5, -2 },
        { "1e3", 1000, 1000 },
        { "25E-1", 2.5, 2 },
        { "1.25e+2", 125, 125 },
    };
    struct s2q_json_error err;
    cJSON *node;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        node = parse(cases[i].text, &err);
        assert_non_null(node);
        assert_true(cJSON_IsNumber(node));
        assert_true(node->valuedouble == cases[i].value);
        assert_int_equal(node->valueint, cases[i].valueint);
        /* Only numbers a double may not hold exactly keep their text. */
        if (strlen(cases[i].text) > 16 || strpbrk(cases[i].text, ".eE")) {
            assert_string_equal(node->valuestring, cases[i].text);
        } else {
            assert_null(node->valuestring);
        }
    }
    node = parse("-0", &err);
    assert_true(signbit(node->valuedouble));
    node = parse("1e999", &err);
    assert_true(isinf(node->valuedouble));
    assert_string_equal(node->valuestring, "1e999");
    /* Numbers ending the text, and one after another in an array. */
    node = parse("[1e1,-2.2,1234567890123456,4.5]", &err);
    assert_non_null(node);
    assert_string_equal(node->child->valuestring, "1e1");
    assert_string_equal(node->child->next->valuestring, "-2.2");
    assert_string_equal(node->child->next->next->valuestring,
                        "1234567890123456");
    assert_string_equal(node->child->prev->valuestring, "4.5");
}

static void test_json_parse_accepts_any_control_byte_as_space(void **state)
{
    static const char text[] = "\x01{\x0c\"a\"\x00:\x1f" "1 }\x7f";
    struct s2q_json_error err;
    cJSON *root;

    (void)state;
    /* 0x7F is not white space. */
    assert_fault(text, sizeof(text) - 1, S2Q_JSON_SYNTAX,
                 sizeof(text) - 2);
    root = s2q_json_parse(text, sizeof(text) - 2, &err);
    assert_non_null(root);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(root, "a")->valueint,
                     1);
}

static void test_json_parse_reports_where_text_stops_being_json(
    void **state)
{
    static const struct {
        const char *text;
        enum s2q_json_fault fault;
        size_t at;
    } cases[] = {
        { "", S2Q_JSON_TRUNCATED, 0 },
        { "   ", S2Q_JSON_TRUNCATED, 3 },
        { "{", S2Q_JSON_TRUNCATED, 1 },
        { "{\"a\"", S2Q_JSON_TRUNCATED, 4 },
        { "{\"a\":", S2Q_JSON_TRUNCATED, 5 },
        { "{\"a\":1", S2Q_JSON_TRUNCATED, 6 },
        { "{\"a\":\"xy", S2Q_JSON_TRUNCATED, 8 },
        { "\"ab\\", S2Q_JSON_TRUNCATED, 4 },
        { "\"\\u12", S2Q_JSON_TRUNCATED, 5 },
        { "tr", S2Q_JSON_TRUNCATED, 2 },
        { "-", S2Q_JSON_TRUNCATED, 1 },
        { "[1,", S2Q_JSON_TRUNCATED, 3 },
        { "{\"a\":1,}", S2Q_JSON_SYNTAX, 7 },
        { "{\"a\" 1}", S2Q_JSON_SYNTAX, 5 },
        { "{a:1}", S2Q_JSON_SYNTAX, 1 },
        { "[1 2]", S2Q_JSON_SYNTAX, 3 },
        { "[1,]", S2Q_JSON_SYNTAX, 3 },
        { "01", S2Q_JSON_SYNTAX, 1 },
        { "1.", S2Q_JSON_TRUNCATED, 2 },
        { "1.e5", S2Q_JSON_SYNTAX, 2 },
        { "1e", S2Q_JSON_TRUNCATED, 2 },
        { "+1", S2Q_JSON_SYNTAX, 0 },
        { ".5", S2Q_JSON_SYNTAX, 0 },
        { "trux", S2Q_JSON_SYNTAX, 0 },
        { "nul", S2Q_JSON_TRUNCATED, 3 },
        { "NULL", S2Q_JSON_SYNTAX, 0 },
        { "\"a\\x\"", S2Q_JSON_SYNTAX, 2 },
        { "\"\\u12G4\"", S2Q_JSON_SYNTAX, 1 },
        { "{} x", S2Q_JSON_SYNTAX, 3 },
        { "{}{}", S2Q_JSON_SYNTAX, 2 },
        { "{\"a\":1}}", S2Q_JSON_SYNTAX, 7 },
        { "{\"a\\u0000b\":1}", S2Q_JSON_NUL_NAME, 1 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_fault(cases[i].text, strlen(cases[i].text), cases[i].fault,
                     cases[i].at);
    }
}

/* Text of depth levels: [[[...1...]]]. */
static char *nested(size_t depth)
{
    char *text = malloc(2 * depth + 2);

    assert_non_null(text);
    memset(text, '[', depth);
    text[depth] = '1';
    memset(text + depth + 1, ']', depth);
    text[2 * depth + 1] = '\0';
    return text;
}

static void test_json_parse_limits_nesting(void **state)
{
    struct s2q_json_error err;
    char *ok = nested(S2Q_JSON_MAX_DEPTH);
    char *deep = nested(S2Q_JSON_MAX_DEPTH + 1);
    char *deeper = nested(300000);

    (void)state;
    assert_non_null(parse(ok, &err));
    assert_fault(deep, strlen(deep), S2Q_JSON_TOO_DEEP, S2Q_JSON_MAX_DEPTH);
    assert_fault(deeper, strlen(deeper), S2Q_JSON_TOO_DEEP,
                 S2Q_JSON_MAX_DEPTH);
    free(ok);
    free(deep);
    free(deeper);
}

/* Parsing reads only the bytes it is given: no terminating NUL needed. */
static void test_json_parse_reads_only_len_bytes(void **state)
{
    static const char *const texts[] = {
        "{\"a\":\"bcdefghijklmnopq\"}", "[1,2,3]", "123456", "true",
        "\"abcdefghijklmnopqrstuvwxyz\"",
    };
    struct s2q_json_error err;

    (void)state;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        size_t n = strlen(texts[i]);
        char *copy = malloc(n);

        assert_non_null(copy);
        memcpy(copy, texts[i], n);
        assert_non_null(s2q_json_parse(copy, n, &err));
        for (size_t k = 0; k < n; k++) {
            cJSON *part = s2q_json_parse(copy, k, &err);

            /* A prefix of a number is a number; of anything else, cut. */
            if (part == NULL) {
                assert_int_equal(err.fault, S2Q_JSON_TRUNCATED);
            } else {
                assert_true(cJSON_IsNumber(part));
            }
        }
        free(copy);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_parse_builds_the_trees_cjson_builds),
        cmocka_unit_test(test_json_parse_links_children_as_cjson_does),
        cmocka_unit_test(test_json_parse_keeps_nul_characters_in_values),
        cmocka_unit_test(test_json_parse_decodes_escapes_and_surrogates),
        cmocka_unit_test(test_json_parse_strings_across_word_boundaries),
        cmocka_unit_test(test_json_parse_converts_numbers),
        cmocka_unit_test(test_json_parse_accepts_any_control_byte_as_space),
        cmocka_unit_test(test_json_parse_reports_where_text_stops_being_json),
        cmocka_unit_test(test_json_parse_limits_nesting),
        cmocka_unit_test(test_json_parse_reads_only_len_bytes),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
