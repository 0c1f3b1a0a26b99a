/*
 * test_value.c - unit tests for src/value.c.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "s2q/value.h"

/* A string literal as a (pointer, length) pair; keeps embedded NULs. */
#define IN(x) x, sizeof(x) - 1

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* First and last millisecond of years 0001 to 9999. */
#define MIN_MS (-62135596800000LL)
#define MAX_MS 253402300799999LL

/* Sample hashes of the empty input, lower case and upper case. */
#define MD5_L "d41d8cd98f00b204e9800998ecf8427e"
#define MD5_U "D41D8CD98F00B204E9800998ECF8427E"
#define SHA1_L "da39a3ee5e6b4b0d3255bfef95601890afd80709"
#define SHA1_U "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"
#define SHA256_L \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA256_U \
    "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
#define IMP_L "f34d5f2d4577ed6d9ceec516c1f5a744"
#define IMP_U "F34D5F2D4577ED6D9CEEC516C1F5A744"
#define ZERO32 "00000000000000000000000000000000"
#define ZERO40 "0000000000000000000000000000000000000000"

/* An input given as (pointer, length). */
struct text_case {
    const char *in;
    size_t len;
};

/* ---- s2q_parse_uint ---- */

static void test_parse_uint_accepts_digits(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        uint64_t max;
        uint64_t want;
    } cases[] = {
        { IN("0"), UINT64_MAX, 0 },
        { IN("7"), UINT64_MAX, 7 },
        { IN("007"), UINT64_MAX, 7 },
        { IN("65535"), 65535, 65535 },
        { IN("9007199254740991"), S2Q_MAX_SAFE_INT, S2Q_MAX_SAFE_INT },
        { IN("18446744073709551615"), UINT64_MAX, UINT64_MAX },
        { IN("000000000000000000000018446744073709551615"), UINT64_MAX,
          UINT64_MAX },
    };
    uint64_t v;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        v = 12345;
        assert_true(s2q_parse_uint(cases[i].in, cases[i].len, cases[i].max,
                                   &v));
        assert_int_equal(v, cases[i].want);
    }
}

static void test_parse_uint_rejects_malformed_and_too_large(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        uint64_t max;
    } cases[] = {
        { IN(""), UINT64_MAX },
        { IN("+1"), UINT64_MAX },
        { IN("-1"), UINT64_MAX },
        { IN(" 1"), UINT64_MAX },
        { IN("1 "), UINT64_MAX },
        { IN("1.0"), UINT64_MAX },
        { IN("1e3"), UINT64_MAX },
        { IN("0x10"), UINT64_MAX },
        { IN("1\0002"), UINT64_MAX },
        { IN("1\0"), UINT64_MAX },
        { IN("65536"), 65535 },
        { IN("1"), 0 },
        { IN("9007199254740992"), S2Q_MAX_SAFE_INT },
        { IN("18446744073709551616"), UINT64_MAX },
        { IN("18446744073709551620"), UINT64_MAX },
        { IN("99999999999999999999"), UINT64_MAX },
        { IN("184467440737095516150"), UINT64_MAX },
    };
    uint64_t v;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        v = 12345;
        assert_false(s2q_parse_uint(cases[i].in, cases[i].len,
                                    cases[i].max, &v));
        assert_int_equal(v, 12345);
    }
}

/* ---- s2q_double_to_uint ---- */

static void test_double_to_uint_accepts_integral_values(void **state)
{
    static const struct {
        double in;
        uint64_t max;
        uint64_t want;
    } cases[] = {
        { 3.0, UINT64_MAX, 3 },
        { 0.0, UINT64_MAX, 0 },
        { -0.0, UINT64_MAX, 0 },
        { 5.0, 5, 5 },
        { 9007199254740991.0, S2Q_MAX_SAFE_INT, S2Q_MAX_SAFE_INT },
        { 1e19, UINT64_MAX, 10000000000000000000ULL },
        { 18446744073709549568.0, UINT64_MAX, 18446744073709549568ULL },
    };
    uint64_t v;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        v = 12345;
        assert_true(s2q_double_to_uint(cases[i].in, cases[i].max, &v));
        assert_int_equal(v, cases[i].want);
    }
}

static void test_double_to_uint_rejects_fractions_negatives_and_nan(
    void **state)
{
    static const struct {
        double in;
        uint64_t max;
    } cases[] = {
        { 3.5, UINT64_MAX },
        { 0.5, UINT64_MAX },
        { 1e-300, UINT64_MAX },
        { -1.0, UINT64_MAX },
        { -0.5, UINT64_MAX },
        { 6.0, 5 },
        { 9007199254740992.0, S2Q_MAX_SAFE_INT },
        { 18446744073709551616.0, UINT64_MAX },
        { 1e300, UINT64_MAX },
        { NAN, UINT64_MAX },
        { INFINITY, UINT64_MAX },
        { -INFINITY, UINT64_MAX },
    };
    uint64_t v;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        v = 12345;
        assert_false(s2q_double_to_uint(cases[i].in, cases[i].max, &v));
        assert_int_equal(v, 12345);
    }
}

/* ---- hex ---- */

static void test_hex_from_uint_writes_canonical_form(void **state)
{
    static const struct {
        uint64_t in;
        const char *want;
    } cases[] = {
        { 0, "0x0" },
        { 1, "0x1" },
        { 0x10, "0x10" },
        { 0x7e2aa, "0x7e2aa" },
        { 0x1fffff, "0x1fffff" },
        { 0xdeadbeef, "0xdeadbeef" },
        { 0x8000000000000000ULL, "0x8000000000000000" },
        { UINT64_MAX, "0xffffffffffffffff" },
    };
    char out[S2Q_HEX_BUFSZ];
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        s2q_hex_from_uint(cases[i].in, out);
        assert_string_equal(out, cases[i].want);
    }
}

static void test_hex_canon_accepts_hex_and_decimal(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
        { IN("0x000000000007e2aa"), "0x7e2aa" },
        { IN("0x7e2aa"), "0x7e2aa" },
        { IN("0x0"), "0x0" },
        { IN("0x0000"), "0x0" },
        { IN("0X1FFFFF"), "0x1fffff" },
        { IN("0x1FfFfF"), "0x1fffff" },
        { IN("0x10"), "0x10" },
        { IN("0xffffffffffffffff"), "0xffffffffffffffff" },
        { IN("0x0000ffffffffffffffff"), "0xffffffffffffffff" },
        { IN("0x00000000000000000000001"), "0x1" },
        { IN("1234"), "0x4d2" },
        { IN("0"), "0x0" },
        { IN("00012"), "0xc" },
        { IN("18446744073709551615"), "0xffffffffffffffff" },
    };
    char out[S2Q_HEX_BUFSZ];
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        memset(out, 'q', sizeof out);
        assert_true(s2q_hex_canon(cases[i].in, cases[i].len, out));
        assert_string_equal(out, cases[i].want);
    }
}

static void test_hex_canon_rejects_malformed(void **state)
{
    static const struct text_case cases[] = {
        { IN("") },
        { IN("0x") },
        { IN("0X") },
        { IN("0xg1") },
        { IN("0x1g") },
        { IN("0x-1") },
        { IN("0x 1") },
        { IN(" 0x1") },
        { IN("0x1 ") },
        { IN("0x1\0") },
        { IN("x1") },
        { IN("00x1") },
        { IN("-1") },
        { IN("+1") },
        { IN("1.5") },
        { IN("1a") },
        { IN("0x10000000000000000") },
        { IN("0x00012345678901234567") },
        { IN("18446744073709551616") },
    };
    char out[S2Q_HEX_BUFSZ];
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        assert_false(s2q_hex_canon(cases[i].in, cases[i].len, out));
    }
}

/* ---- times ---- */

/* Parse a time expected to be OK and compare its formatted form. */
static void check_time_ok(const char *in, size_t len, bool utc,
                          const char *want)
{
    char out[S2Q_TIME_LEN + 1];
    int64_t ms = 0;

    assert_int_equal(s2q_time_parse(in, len, utc, &ms), S2Q_TIME_OK);
    s2q_time_format(ms, out);
    assert_string_equal(out, want);
}

static void test_time_parse_accepts_every_form(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        bool utc;
        const char *want;
    } cases[] = {
        { IN("2022-03-22 22:01:17.969"), true, "2022-03-22T22:01:17.969Z" },
        { IN("2022-03-22T22:01:17.969"), true, "2022-03-22T22:01:17.969Z" },
        { IN("03/22/2022 22:01:17.969"), true, "2022-03-22T22:01:17.969Z" },
        { IN("03/22/2022 22:01:17"), true, "2022-03-22T22:01:17.000Z" },
        { IN("2022-03-22 22:01:17"), true, "2022-03-22T22:01:17.000Z" },
        { IN("2022-03-22T22:01:17Z"), false, "2022-03-22T22:01:17.000Z" },
        { IN("2022-03-22T22:01:17.969Z"), false,
          "2022-03-22T22:01:17.969Z" },
        { IN("2022-03-22T22:01:17.969z"), false,
          "2022-03-22T22:01:17.969Z" },
        { IN("2022-03-22 22:01:17.969Z"), false,
          "2022-03-22T22:01:17.969Z" },
        { IN("03/22/2022 22:01:17.969Z"), false,
          "2022-03-22T22:01:17.969Z" },
        { IN("2022-03-22T22:01:17.969Z"), true, "2022-03-22T22:01:17.969Z" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        check_time_ok(cases[i].in, cases[i].len, cases[i].utc,
                      cases[i].want);
    }
}

static void test_time_parse_truncates_fraction(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
        { IN("2022-03-22T22:01:17.9Z"), "2022-03-22T22:01:17.900Z" },
        { IN("2022-03-22T22:01:17.96Z"), "2022-03-22T22:01:17.960Z" },
        { IN("2022-03-22T22:01:17.0Z"), "2022-03-22T22:01:17.000Z" },
        { IN("2022-03-22T22:01:17.9699Z"), "2022-03-22T22:01:17.969Z" },
        { IN("2022-03-22T22:01:17.9699999Z"), "2022-03-22T22:01:17.969Z" },
        { IN("2022-03-22T22:01:17.999999999Z"),
          "2022-03-22T22:01:17.999Z" },
        { IN("2022-12-31T23:59:59.9999999Z"), "2022-12-31T23:59:59.999Z" },
        { IN("2022-03-22 22:01:17.0019999"), "2022-03-22T22:01:17.001Z" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        check_time_ok(cases[i].in, cases[i].len, true, cases[i].want);
    }
}

static void test_time_parse_offset_converts_to_utc(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
        { IN("2022-03-22T22:01:17.969+02:00"), "2022-03-22T20:01:17.969Z" },
        { IN("2022-03-22T22:01:17.969+0200"), "2022-03-22T20:01:17.969Z" },
        { IN("2022-03-22T22:01:17.969+02"), "2022-03-22T20:01:17.969Z" },
        { IN("2022-03-22T22:01:17.969-05:30"), "2022-03-23T03:31:17.969Z" },
        { IN("2022-03-22T22:01:17.969-0530"), "2022-03-23T03:31:17.969Z" },
        { IN("2022-03-22T22:01:17.969-05"), "2022-03-23T03:01:17.969Z" },
        { IN("2022-03-22T22:01:17+00:00"), "2022-03-22T22:01:17.000Z" },
        { IN("2022-03-22T22:01:17-00:00"), "2022-03-22T22:01:17.000Z" },
        { IN("2022-03-22 22:01:17.969+01:00"), "2022-03-22T21:01:17.969Z" },
        { IN("03/22/2022 22:01:17.969+01:00"), "2022-03-22T21:01:17.969Z" },
        { IN("2022-03-22T00:30:00+01:00"), "2022-03-21T23:30:00.000Z" },
        { IN("2022-03-01T00:30:00+01:00"), "2022-02-28T23:30:00.000Z" },
        { IN("2024-03-01T00:30:00+01:00"), "2024-02-29T23:30:00.000Z" },
        { IN("2021-12-31T23:30:00-01:00"), "2022-01-01T00:30:00.000Z" },
        { IN("2022-01-01T00:15:00+00:30"), "2021-12-31T23:45:00.000Z" },
        { IN("2022-03-22T12:00:00+23:59"), "2022-03-21T12:01:00.000Z" },
        { IN("2022-03-22T12:00:00-23:59"), "2022-03-23T11:59:00.000Z" },
        { IN("2022-03-22T05:00:00+14:00"), "2022-03-21T15:00:00.000Z" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        check_time_ok(cases[i].in, cases[i].len, false, cases[i].want);
    }
}

static void test_time_parse_handles_calendar_edges(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        int64_t want;
    } cases[] = {
        { IN("1970-01-01 00:00:00"), 0 },
        { IN("1970-01-01 00:00:00.001"), 1 },
        { IN("1969-12-31 23:59:59.999"), -1 },
        { IN("1969-07-20 20:17:40"), -14182940000LL },
        { IN("1900-03-01 00:00:00"), -2203891200000LL },
        { IN("2000-02-29 00:00:00"), 951782400000LL },
        { IN("2022-03-28 06:31:40.495"), 1648449100495LL },
        { IN("0001-01-01 00:00:00"), MIN_MS },
        { IN("0001-01-01T01:00:00+01:00"), MIN_MS },
        { IN("9999-12-31 23:59:59.999"), MAX_MS },
        { IN("9999-12-31T22:59:59.999-01:00"), MAX_MS },
        { IN("12/31/9999 23:59:59.999"), MAX_MS },
        { IN("01/01/0001 00:00:00"), MIN_MS },
    };
    int64_t ms;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        ms = 0;
        assert_int_equal(s2q_time_parse(cases[i].in, cases[i].len, true,
                                        &ms), S2Q_TIME_OK);
        assert_int_equal(ms, cases[i].want);
    }
}

static void test_time_parse_accepts_leap_days(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
        { IN("2000-02-29 12:00:00"), "2000-02-29T12:00:00.000Z" },
        { IN("2024-02-29 00:00:00"), "2024-02-29T00:00:00.000Z" },
        { IN("1600-02-29 00:00:00"), "1600-02-29T00:00:00.000Z" },
        { IN("0004-02-29 00:00:00"), "0004-02-29T00:00:00.000Z" },
        { IN("02/29/2000 00:00:00"), "2000-02-29T00:00:00.000Z" },
        { IN("2023-02-28 23:59:59"), "2023-02-28T23:59:59.000Z" },
        { IN("2022-12-31 23:59:59"), "2022-12-31T23:59:59.000Z" },
        { IN("2022-04-30 00:00:00"), "2022-04-30T00:00:00.000Z" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        check_time_ok(cases[i].in, cases[i].len, true, cases[i].want);
    }
}

static void test_time_parse_ms_date_forms(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        int64_t want;
    } cases[] = {
        { IN("/Date(1648449100495)/"), 1648449100495LL },
        { IN("/Date(1648449100495+0200)/"), 1648449100495LL },
        { IN("/Date(1648449100495-0500)/"), 1648449100495LL },
        { IN("/Date(0)/"), 0 },
        { IN("/Date(-0)/"), 0 },
        { IN("/Date(-1)/"), -1 },
        { IN("/Date(-14182940000)/"), -14182940000LL },
        { IN("/Date(-14182940000+0100)/"), -14182940000LL },
        { IN("/Date(-62135596800000)/"), MIN_MS },
        { IN("/Date(253402300799999)/"), MAX_MS },
        { IN("/Date(000123)/"), 123 },
    };
    int64_t ms;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        ms = 7;
        assert_int_equal(s2q_time_parse(cases[i].in, cases[i].len, false,
                                        &ms), S2Q_TIME_OK);
        assert_int_equal(ms, cases[i].want);
    }
}

/* Check that every input is S2Q_TIME_BAD either way and leaves *ms. */
static void check_time_bad(const struct text_case *cases, size_t n)
{
    int64_t ms;
    size_t i;

    for (i = 0; i < n; i++) {
        ms = 7;
        assert_int_equal(s2q_time_parse(cases[i].in, cases[i].len, true,
                                        &ms), S2Q_TIME_BAD);
        assert_int_equal(s2q_time_parse(cases[i].in, cases[i].len, false,
                                        &ms), S2Q_TIME_BAD);
        assert_int_equal(ms, 7);
    }
}

static void test_time_parse_rejects_malformed(void **state)
{
    static const struct text_case cases[] = {
        { IN("") },
        { IN("now") },
        { IN("2022-03-22") },
        { IN("2022-03-22 22:01") },
        { IN("2022-03-22 22:01Z") },
        { IN("2022-03-22 22:01:1") },
        { IN("2022-03-22 22:01:17.") },
        { IN("2022-03-22 22:01:17.Z") },
        { IN("2022-03-22 22:01:17.1234567890") },
        { IN("2022-03-22 22:01:17.1234567890Z") },
        { IN("2022-03-22 22:01:17.969 ") },
        { IN(" 2022-03-22 22:01:17.969") },
        { IN("2022-03-22 22:01:17.969x") },
        { IN("2022-03-22 22:01:17\0") },
        { IN("2022-03-22 22:01:17.96\0009") },
        { IN("2022-03-22\00022:01:17") },
        { IN("2022-03-22t22:01:17Z") },
        { IN("2022-03-22_22:01:17") },
        { IN("2022-03-2222:01:17") },
        { IN("2022-3-22 22:01:17") },
        { IN("2022-03-2 22:01:17") },
        { IN("22-03-2022 22:01:17") },
        { IN("2022/03/22 22:01:17") },
        { IN("3/22/2022 22:01:17") },
        { IN("03/22/2022T22:01:17") },
        { IN("03-22-2022 22:01:17") },
        { IN("+2022-03-22 22:01:17") },
        { IN("10000-01-01 00:00:00") },
        { IN("2022-03-22 2:01:17") },
        { IN("2022-03-22 22:1:17") },
        { IN("2022-03-22 22:01:17:00") },
        { IN("2022-03-22 22-01-17") },
    };

    (void)state;
    check_time_bad(cases, COUNT(cases));
}

static void test_time_parse_rejects_bad_zone(void **state)
{
    static const struct text_case cases[] = {
        { IN("2022-03-22 22:01:17.969Zjunk") },
        { IN("2022-03-22 22:01:17.969ZZ") },
        { IN("2022-03-22 22:01:17.969 Z") },
        { IN("2022-03-22 22:01:17.969+01:00x") },
        { IN("2022-03-22T22:01:17+1") },
        { IN("2022-03-22T22:01:17+1:00") },
        { IN("2022-03-22T22:01:17+01:0") },
        { IN("2022-03-22T22:01:17+01:") },
        { IN("2022-03-22T22:01:17+010") },
        { IN("2022-03-22T22:01:17+01000") },
        { IN("2022-03-22T22:01:17+01-00") },
        { IN("2022-03-22T22:01:17+24:00") },
        { IN("2022-03-22T22:01:17+01:60") },
        { IN("2022-03-22T22:01:17+") },
        { IN("2022-03-22T22:01:17 +01:00") },
        { IN("2022-03-22T22:01:17UTC") },
        { IN("2022-03-22T22:01:17+01:00\0") },
    };

    (void)state;
    check_time_bad(cases, COUNT(cases));
}

static void test_time_parse_rejects_bad_ms_date(void **state)
{
    static const struct text_case cases[] = {
        { IN("/Date(1)") },
        { IN("/Date(1)/x") },
        { IN("/date(1)/") },
        { IN("/Date()/") },
        { IN("/Date(-)/") },
        { IN("/Date(+5)/") },
        { IN("/Date(1.5)/") },
        { IN("/Date( 1)/") },
        { IN("/Date(1+02)/") },
        { IN("/Date(1+02000)/") },
        { IN("/Date(1+02:00)/") },
        { IN("/Date(1+)/") },
        { IN("/Date(1\0)/") },
        { IN("/Date(") },
        { IN("/Date(253402300800000)/") },
        { IN("/Date(-62135596800001)/") },
        { IN("/Date(99999999999999999999999)/") },
    };

    (void)state;
    check_time_bad(cases, COUNT(cases));
}

static void test_time_parse_rejects_impossible_dates(void **state)
{
    static const struct text_case cases[] = {
        { IN("1900-02-29 00:00:00") },
        { IN("2100-02-29 00:00:00") },
        { IN("2023-02-29 00:00:00") },
        { IN("2022-02-30 00:00:00") },
        { IN("2022-04-31 00:00:00") },
        { IN("2022-06-31 00:00:00") },
        { IN("2022-09-31 00:00:00") },
        { IN("2022-11-31 00:00:00") },
        { IN("2022-01-32 00:00:00") },
        { IN("2022-01-00 00:00:00") },
        { IN("2022-00-10 00:00:00") },
        { IN("2022-13-01 00:00:00") },
        { IN("0000-12-31 23:59:59") },
        { IN("0000-01-01 00:00:00Z") },
        { IN("02/29/1900 00:00:00") },
        { IN("13/01/2022 00:00:00") },
        { IN("2022-03-22 24:00:00") },
        { IN("2022-03-22 23:60:00") },
        { IN("2022-03-22 23:59:60") },
        { IN("0001-01-01T00:30:00+01:00") },
        { IN("0001-01-01T00:00:00.000+00:01") },
        { IN("9999-12-31T23:30:00-01:00") },
        { IN("9999-12-31T23:59:59.999-00:01") },
    };

    (void)state;
    check_time_bad(cases, COUNT(cases));
}

static void test_time_parse_zoneless_is_local_unless_utc(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        int64_t utc_ms;
    } cases[] = {
        { IN("2022-03-28 06:31:40.495"), 1648449100495LL },
        { IN("2022-03-28T06:31:40.495"), 1648449100495LL },
        { IN("03/28/2022 06:31:40.495"), 1648449100495LL },
        { IN("2022-03-28T06:31:40.4950000"), 1648449100495LL },
        { IN("1970-01-01 00:00:00"), 0 },
    };
    int64_t ms;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        ms = 7;
        assert_int_equal(s2q_time_parse(cases[i].in, cases[i].len, false,
                                        &ms), S2Q_TIME_LOCAL);
        assert_int_equal(ms, 7);
        assert_int_equal(s2q_time_parse(cases[i].in, cases[i].len, true,
                                        &ms), S2Q_TIME_OK);
        assert_int_equal(ms, cases[i].utc_ms);
    }
}

static void test_time_format_writes_iso_utc(void **state)
{
    static const struct {
        int64_t in;
        const char *want;
    } cases[] = {
        { 0, "1970-01-01T00:00:00.000Z" },
        { 1, "1970-01-01T00:00:00.001Z" },
        { -1, "1969-12-31T23:59:59.999Z" },
        { -86400000LL, "1969-12-31T00:00:00.000Z" },
        { -86400001LL, "1969-12-30T23:59:59.999Z" },
        { -14182940000LL, "1969-07-20T20:17:40.000Z" },
        { -2203891200000LL, "1900-03-01T00:00:00.000Z" },
        { 951782400000LL, "2000-02-29T00:00:00.000Z" },
        { 1648449100495LL, "2022-03-28T06:31:40.495Z" },
        { MIN_MS, "0001-01-01T00:00:00.000Z" },
        { MAX_MS, "9999-12-31T23:59:59.999Z" },
    };
    char out[S2Q_TIME_LEN + 1];
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        memset(out, 'q', sizeof out);
        s2q_time_format(cases[i].in, out);
        assert_string_equal(out, cases[i].want);
        assert_int_equal(strlen(out), S2Q_TIME_LEN);
    }
}

static void test_time_format_round_trips_whole_range(void **state)
{
    char out[S2Q_TIME_LEN + 1];
    int64_t ms;
    int64_t back;

    (void)state;
    for (ms = MIN_MS; ms <= MAX_MS; ms += 86400000LL * 13 + 3600007LL) {
        s2q_time_format(ms, out);
        back = 0;
        assert_int_equal(s2q_time_parse(out, S2Q_TIME_LEN, false, &back),
                         S2Q_TIME_OK);
        assert_int_equal(back, ms);
    }
    s2q_time_format(MAX_MS, out);
    assert_int_equal(s2q_time_parse(out, S2Q_TIME_LEN, false, &back),
                     S2Q_TIME_OK);
    assert_int_equal(back, MAX_MS);
}

/* ---- hashes ---- */

/* One s2q_hashes_parse case and its expected result. */
struct hash_case {
    const char *in;
    size_t len;
    const char *md5;
    const char *sha1;
    const char *sha256;
    const char *imphash;
    bool complete;
    bool ret;
};

/* Run a table of hash cases. */
static void check_hash_cases(const struct hash_case *cases, size_t n)
{
    struct s2q_hashes h;
    size_t i;

    for (i = 0; i < n; i++) {
        memset(&h, 'q', sizeof h);
        assert_int_equal(s2q_hashes_parse(cases[i].in, cases[i].len, &h),
                         cases[i].ret);
        assert_string_equal(h.md5, cases[i].md5);
        assert_string_equal(h.sha1, cases[i].sha1);
        assert_string_equal(h.sha256, cases[i].sha256);
        assert_string_equal(h.imphash, cases[i].imphash);
        assert_int_equal(h.complete, cases[i].complete);
    }
}

static void test_hashes_parse_splits_named_pairs(void **state)
{
    static const struct hash_case cases[] = {
        { IN("SHA1=" SHA1_U ",MD5=" MD5_U ",SHA256=" SHA256_U
             ",IMPHASH=" IMP_U),
          MD5_U, SHA1_U, SHA256_U, IMP_U, true, true },
        { IN("md5=" MD5_L ",sha256=" SHA256_L),
          MD5_U, "", SHA256_U, "", true, true },
        { IN("Sha1=" SHA1_L), "", SHA1_U, "", "", true, true },
        { IN("ImpHash=" IMP_L), "", "", "", IMP_U, true, true },
        { IN(" MD5 = " MD5_L " ,\tSHA1\t=\t" SHA1_L "\t"),
          MD5_U, SHA1_U, "", "", true, true },
        { IN("IMPHASH=" IMP_L ",SHA256=" SHA256_L ",MD5=" MD5_L),
          MD5_U, "", SHA256_U, IMP_U, true, true },
    };

    (void)state;
    check_hash_cases(cases, COUNT(cases));
}

static void test_hashes_parse_classifies_bare_hex(void **state)
{
    static const struct hash_case cases[] = {
        { IN(MD5_L), MD5_U, "", "", "", true, true },
        { IN(SHA1_L), "", SHA1_U, "", "", true, true },
        { IN(SHA256_L), "", "", SHA256_U, "", true, true },
        { IN(" \t" SHA256_U "\t "), "", "", SHA256_U, "", true, true },
        { IN(MD5_L "0"), "", "", "", "", false, false },
        { IN("0123456789abcdef0123456789abcdeg"), "", "", "", "", false,
          false },
        { IN("MD5=" MD5_L "," SHA1_L), MD5_U, "", "", "", false, true },
        { IN(SHA1_L ",MD5=" MD5_L), MD5_U, "", "", "", false, true },
    };

    (void)state;
    check_hash_cases(cases, COUNT(cases));
}

static void test_hashes_parse_skips_all_zero_hex(void **state)
{
    static const struct hash_case cases[] = {
        { IN("IMPHASH=" ZERO32), "", "", "", "", true, true },
        { IN("MD5=" ZERO32 ",SHA256=" SHA256_L),
          "", "", SHA256_U, "", true, true },
        { IN(ZERO40), "", "", "", "", true, true },
        { IN("SHA1=" SHA1_L ",IMPHASH=" ZERO32),
          "", SHA1_U, "", "", true, true },
        { IN("MD5=" ZERO32 ",MD5=" MD5_L), "", "", "", "", false, false },
        { IN("MD5=0000"), "", "", "", "", false, false },
    };

    (void)state;
    check_hash_cases(cases, COUNT(cases));
}

static void test_hashes_parse_flags_bad_parts(void **state)
{
    static const struct hash_case cases[] = {
        { IN("MD5=" MD5_L ",FOO=abc"), MD5_U, "", "", "", false, true },
        { IN("MD5=" MD5_L ",SHA512=" SHA256_L), MD5_U, "", "", "",
          false, true },
        { IN("MD5=abc"), "", "", "", "", false, false },
        { IN("MD5=" SHA1_L), "", "", "", "", false, false },
        { IN("IMPHASH=" SHA256_L ",SHA1=" SHA1_L), "", SHA1_U, "", "",
          false, true },
        { IN("MD5=" MD5_L "0"), "", "", "", "", false, false },
        { IN("SHA1=" SHA1_L ",MD5=" MD5_L ",MD5=" IMP_L),
          MD5_U, SHA1_U, "", "", false, true },
        { IN("MD5=" MD5_L ",,SHA1=" SHA1_L), MD5_U, SHA1_U, "", "",
          false, true },
        { IN("MD5=" MD5_L ","), MD5_U, "", "", "", false, true },
        { IN(",MD5=" MD5_L), MD5_U, "", "", "", false, true },
        { IN("MD5=" MD5_L ", \t,SHA1=" SHA1_L), MD5_U, SHA1_U, "", "",
          false, true },
        { IN(""), "", "", "", "", false, false },
        { IN(" "), "", "", "", "", false, false },
        { IN(","), "", "", "", "", false, false },
        { IN("MD5="), "", "", "", "", false, false },
        { IN("=" MD5_L), "", "", "", "", false, false },
        { IN("MD5:" MD5_L), "", "", "", "", false, false },
        { IN("MD5=" MD5_L "=" ), "", "", "", "", false, false },
        { IN("MD 5=" MD5_L), "", "", "", "", false, false },
        { IN("MD5=d41d8cd98f00b204 e9800998ecf8427e"), "", "", "", "",
          false, false },
        { IN("MD5=d41d8cd98f00b204\000e9800998ecf8427"), "", "", "", "",
          false, false },
        { IN("MD5\0=" MD5_L), "", "", "", "", false, false },
        { IN("SHA256=" "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
             "a495991b7852b855"), "", "", "", "", false, false },
    };

    (void)state;
    check_hash_cases(cases, COUNT(cases));
}

/* ---- IP addresses ---- */

/* One s2q_ip_parse case and its expected result. */
struct ip_case {
    const char *in;
    size_t len;
    enum s2q_ip_kind kind;
    const char *want;
};

/* Run a table of IP cases; a NONE result must leave out empty. */
static void check_ip_cases(const struct ip_case *cases, size_t n)
{
    char out[S2Q_IP_BUFSZ];
    size_t i;

    for (i = 0; i < n; i++) {
        memset(out, 'q', sizeof out);
        assert_int_equal(s2q_ip_parse(cases[i].in, cases[i].len, out),
                         cases[i].kind);
        assert_string_equal(out, cases[i].want);
    }
}

static void test_ip_parse_accepts_ipv4(void **state)
{
    static const struct ip_case cases[] = {
        { IN("10.1.2.3"), S2Q_IP_V4, "10.1.2.3" },
        { IN("0.0.0.0"), S2Q_IP_V4, "0.0.0.0" },
        { IN("255.255.255.255"), S2Q_IP_V4, "255.255.255.255" },
        { IN("127.0.0.1"), S2Q_IP_V4, "127.0.0.1" },
    };

    (void)state;
    check_ip_cases(cases, COUNT(cases));
}

static void test_ip_parse_compresses_ipv6(void **state)
{
    static const struct ip_case cases[] = {
        { IN("::"), S2Q_IP_V6, "::" },
        { IN("::1"), S2Q_IP_V6, "::1" },
        { IN("0:0:0:0:0:0:0:1"), S2Q_IP_V6, "::1" },
        { IN("0:0:0:0:0:0:0:0"), S2Q_IP_V6, "::" },
        { IN("fe80:0:0:0:8c8:2ebd:44ad:c2ce"), S2Q_IP_V6,
          "fe80::8c8:2ebd:44ad:c2ce" },
        { IN("FE80::08C8:2EBD:44AD:C2CE"), S2Q_IP_V6,
          "fe80::8c8:2ebd:44ad:c2ce" },
        { IN("2001:db8:0:1:1:1:1:1"), S2Q_IP_V6, "2001:db8:0:1:1:1:1:1" },
        { IN("2001:0:0:1:0:0:0:1"), S2Q_IP_V6, "2001:0:0:1::1" },
        { IN("2001:db8:0:0:1:0:0:1"), S2Q_IP_V6, "2001:db8::1:0:0:1" },
        { IN("2001:0db8:0000:0000:0000:0000:0000:0001"), S2Q_IP_V6,
          "2001:db8::1" },
        { IN("1:0:0:0:0:0:0:0"), S2Q_IP_V6, "1::" },
        { IN("1:2:3:4:5:6:7:0"), S2Q_IP_V6, "1:2:3:4:5:6:7:0" },
        { IN("0:1:2:3:4:5:6:7"), S2Q_IP_V6, "0:1:2:3:4:5:6:7" },
        { IN("0:1:0:0:1:0:0:0"), S2Q_IP_V6, "0:1:0:0:1::" },
        { IN("1:0:0:2:0:0:0:3"), S2Q_IP_V6, "1:0:0:2::3" },
        { IN("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), S2Q_IP_V6,
          "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
        { IN("::10.1.2.3"), S2Q_IP_V6, "::a01:203" },
        { IN("::2:3"), S2Q_IP_V6, "::2:3" },
        { IN("64:ff9b::10.1.2.3"), S2Q_IP_V6, "64:ff9b::a01:203" },
        { IN("::ffff:0:10.1.2.3"), S2Q_IP_V6, "::ffff:0:a01:203" },
        { IN("0000:0000:0000:0000:0000:0000:255.255.255.255"), S2Q_IP_V6,
          "::ffff:ffff" },
    };

    (void)state;
    check_ip_cases(cases, COUNT(cases));
}

static void test_ip_parse_maps_ipv4_mapped_to_ipv4(void **state)
{
    static const struct ip_case cases[] = {
        { IN("::ffff:10.1.2.3"), S2Q_IP_V4, "10.1.2.3" },
        { IN("::FFFF:10.1.2.3"), S2Q_IP_V4, "10.1.2.3" },
        { IN("::FFFF:0a01:0203"), S2Q_IP_V4, "10.1.2.3" },
        { IN("0:0:0:0:0:ffff:a01:203"), S2Q_IP_V4, "10.1.2.3" },
        { IN("0000:0000:0000:0000:0000:ffff:0a01:0203"), S2Q_IP_V4,
          "10.1.2.3" },
        { IN("::ffff:0.0.0.0"), S2Q_IP_V4, "0.0.0.0" },
    };

    (void)state;
    check_ip_cases(cases, COUNT(cases));
}

static void test_ip_parse_rejects_non_addresses(void **state)
{
    static const struct ip_case cases[] = {
        { IN(""), S2Q_IP_NONE, "" },
        { IN("-"), S2Q_IP_NONE, "" },
        { IN("localhost"), S2Q_IP_NONE, "" },
        { IN("256.1.1.1"), S2Q_IP_NONE, "" },
        { IN("1.2.3"), S2Q_IP_NONE, "" },
        { IN("1.2.3.4.5"), S2Q_IP_NONE, "" },
        { IN("01.2.3.4"), S2Q_IP_NONE, "" },
        { IN("1.2.3.4."), S2Q_IP_NONE, "" },
        { IN("0x1.2.3.4"), S2Q_IP_NONE, "" },
        { IN("16909060"), S2Q_IP_NONE, "" },
        { IN(" 10.1.2.3"), S2Q_IP_NONE, "" },
        { IN("10.1.2.3 "), S2Q_IP_NONE, "" },
        { IN("10.1.2.3\0"), S2Q_IP_NONE, "" },
        { IN("10.1\0.2.3"), S2Q_IP_NONE, "" },
        { IN("10.1.2.3%eth0"), S2Q_IP_NONE, "" },
        { IN("fe80::1%12"), S2Q_IP_NONE, "" },
        { IN("[::1]"), S2Q_IP_NONE, "" },
        { IN("10.1.2.3:80"), S2Q_IP_NONE, "" },
        { IN("1::2::3"), S2Q_IP_NONE, "" },
        { IN("12345::"), S2Q_IP_NONE, "" },
        { IN(":::"), S2Q_IP_NONE, "" },
        { IN("1:2:3:4:5:6:7"), S2Q_IP_NONE, "" },
        { IN("1:2:3:4:5:6:7:8:9"), S2Q_IP_NONE, "" },
        { IN("::ffff:1.2.3.256"), S2Q_IP_NONE, "" },
        { IN("::g"), S2Q_IP_NONE, "" },
        { IN("00000:0000:0000:0000:0000:0000:255.255.255.255"),
          S2Q_IP_NONE, "" },
        { IN("0000:0000:0000:0000:0000:0000:0000:0000:0000:0000"),
          S2Q_IP_NONE, "" },
    };

    (void)state;
    check_ip_cases(cases, COUNT(cases));
}

/* ---- GUIDs ---- */

static void test_guid_canon_accepts_braced_and_bare(void **state)
{
    static const struct text_case cases[] = {
        { IN("{3F8E4C2A-1B2D-4E5F-8A9B-0C1D2E3F4A5B}") },
        { IN("3F8E4C2A-1B2D-4E5F-8A9B-0C1D2E3F4A5B") },
        { IN("3f8e4c2a-1b2d-4e5f-8a9b-0c1d2e3f4a5b") },
        { IN("{3f8E4c2A-1b2D-4e5F-8a9B-0c1D2e3F4a5B}") },
    };
    char out[S2Q_GUID_BUFSZ];
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        memset(out, 'q', sizeof out);
        assert_true(s2q_guid_canon(cases[i].in, cases[i].len, out));
        assert_string_equal(out, "{3f8e4c2a-1b2d-4e5f-8a9b-0c1d2e3f4a5b}");
    }
}

static void test_guid_canon_rejects_malformed(void **state)
{
    static const struct text_case cases[] = {
        { IN("") },
        { IN("{}") },
        { IN("{3F8E4C2A-1B2D-4E5F-8A9B-0C1D2E3F4A5B") },
        { IN("3F8E4C2A-1B2D-4E5F-8A9B-0C1D2E3F4A5B}") },
        { IN("(3F8E4C2A-1B2D-4E5F-8A9B-0C1D2E3F4A5B)") },
        { IN("3F8E4C2A-1B2D-4E5F-8A9B-0C1D2E3F4A5") },
        { IN("3F8E4C2A-1B2D-4E5F-8A9B-0C1D2E3F4A5B0") },
        { IN("3F8E4C2A1B2D4E5F8A9B0C1D2E3F4A5B") },
        { IN("3F8E4C2A-1B2D-4E5F-8A9B0-C1D2E3F4A5B") },
        { IN("3F8E4C2-A1B2D-4E5F-8A9B-0C1D2E3F4A5B") },
        { IN("3F8E4C2G-1B2D-4E5F-8A9B-0C1D2E3F4A5B") },
        { IN("3F8E4C2A_1B2D-4E5F-8A9B-0C1D2E3F4A5B") },
        { IN("3F8E4C2A-1B2D-4E5F-8A9B-0C1D2E3F4A5\0") },
        { IN("{3F8E4C2A-1B2D-4E5F-8A9B-0C1D2E3F4A5B}}") },
        { IN(" 3F8E4C2A-1B2D-4E5F-8A9B-0C1D2E3F4A5B") },
    };
    char out[S2Q_GUID_BUFSZ];
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        assert_false(s2q_guid_canon(cases[i].in, cases[i].len, out));
    }
}

/* ---- SIDs ---- */

static void test_sid_name_maps_well_known_sids_only(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
        { IN("S-1-5-18"), "SYSTEM" },
        { IN("S-1-5-19"), "LOCAL SERVICE" },
        { IN("S-1-5-20"), "NETWORK SERVICE" },
        { IN("s-1-5-18"), NULL },
        { IN("S-1-5-18 "), NULL },
        { IN("S-1-5-180"), NULL },
        { IN("S-1-5-1"), NULL },
        { IN("S-1-5-18\0"), NULL },
        { IN("S-1-5-21-1-2-3-500"), NULL },
        { IN(""), NULL },
    };
    const char *got;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        got = s2q_sid_name(cases[i].in, cases[i].len);
        if (cases[i].want == NULL) {
            assert_null(got);
        } else {
            assert_non_null(got);
            assert_string_equal(got, cases[i].want);
        }
    }
}

/* ---- severity ---- */

static void test_severity_name_maps_levels_and_names(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
        { IN("0"), "Informational" },
        { IN("1"), "Alert" },
        { IN("2"), "Error" },
        { IN("3"), "Warning" },
        { IN("4"), "Informational" },
        { IN("5"), "Debug" },
        { IN("critical"), "Alert" },
        { IN("CRITICAL"), "Alert" },
        { IN("error"), "Error" },
        { IN("ERROR"), "Error" },
        { IN("Warning"), "Warning" },
        { IN("WARNING"), "Warning" },
        { IN("information"), "Informational" },
        { IN("Informational"), "Informational" },
        { IN("INFO"), "Informational" },
        { IN("info"), "Informational" },
        { IN("Verbose"), "Debug" },
        { IN("DEBUG"), "Debug" },
        { IN("debug"), "Debug" },
    };
    const char *got;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        got = s2q_severity_name(cases[i].in, cases[i].len);
        assert_non_null(got);
        assert_string_equal(got, cases[i].want);
    }
}

static void test_severity_name_rejects_other_text(void **state)
{
    static const struct text_case cases[] = {
        { IN("") },
        { IN("6") },
        { IN("-1") },
        { IN("04") },
        { IN(" 4") },
        { IN("4 ") },
        { IN("4.0") },
        { IN("10") },
        { IN("warn") },
        { IN("err") },
        { IN("crit") },
        { IN("informationa") },
        { IN("debugx") },
        { IN(" info") },
        { IN("info\0") },
        { IN("AUDIT_SUCCESS") },
    };
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        assert_null(s2q_severity_name(cases[i].in, cases[i].len));
    }
}

static void test_severity_number_maps_integral_levels(void **state)
{
    static const struct {
        double in;
        const char *want;
    } cases[] = {
        { 0.0, "Informational" },
        { -0.0, "Informational" },
        { 1.0, "Alert" },
        { 2.0, "Error" },
        { 3.0, "Warning" },
        { 4.0, "Informational" },
        { 5.0, "Debug" },
        { 6.0, NULL },
        { -1.0, NULL },
        { 2.5, NULL },
        { 4.000001, NULL },
        { 1e300, NULL },
        { NAN, NULL },
        { INFINITY, NULL },
        { -INFINITY, NULL },
    };
    const char *got;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(cases); i++) {
        got = s2q_severity_number(cases[i].in);
        if (cases[i].want == NULL) {
            assert_null(got);
        } else {
            assert_non_null(got);
            assert_string_equal(got, cases[i].want);
        }
    }
}

/* ---- ClientInfo ---- */

/* One s2q_clientinfo_parse case; NULL parts are expected absent. */
struct ci_case {
    const char *in;
    size_t len;
    const char *user;
    const char *hostname;
    const char *ip;
    bool complete;
};

/* Check that one part points into the input and holds want. */
static void check_ci_part(const char *in, size_t len, const char *want,
                          const char *got, size_t got_len)
{
    if (want == NULL) {
        assert_null(got);
        assert_int_equal(got_len, 0);
        return;
    }
    assert_non_null(got);
    assert_true(got >= in && got + got_len <= in + len);
    assert_int_equal(got_len, strlen(want));
    assert_memory_equal(got, want, got_len);
}

/* Run a table of ClientInfo cases. */
static void check_ci_cases(const struct ci_case *cases, size_t n)
{
    struct s2q_clientinfo ci;
    size_t i;

    for (i = 0; i < n; i++) {
        memset(&ci, 0x5a, sizeof ci);
        s2q_clientinfo_parse(cases[i].in, cases[i].len, &ci);
        check_ci_part(cases[i].in, cases[i].len, cases[i].user, ci.user,
                      ci.user_len);
        check_ci_part(cases[i].in, cases[i].len, cases[i].hostname,
                      ci.hostname, ci.hostname_len);
        check_ci_part(cases[i].in, cases[i].len, cases[i].ip, ci.ip,
                      ci.ip_len);
        assert_int_equal(ci.complete, cases[i].complete);
    }
}

static void test_clientinfo_parse_splits_labels(void **state)
{
    static const struct ci_case cases[] = {
        { IN("user: CORP\\alice"), "CORP\\alice", NULL, NULL, true },
        { IN("user: CORP\\alice ip: 10.0.0.5 hostname: WS01"),
          "CORP\\alice", "WS01", "10.0.0.5", true },
        { IN("user: CORP\\John Smith hostname: WS01"),
          "CORP\\John Smith", "WS01", NULL, true },
        { IN("hostname: WS01 ip: fe80::1 user: CORP\\bob"),
          "CORP\\bob", "WS01", "fe80::1", true },
        { IN("USER: a IP: 1.2.3.4 HostName: h"), "a", "h", "1.2.3.4",
          true },
        { IN("user:\tCORP\\alice\tip:\t10.0.0.5\t"), "CORP\\alice", NULL,
          "10.0.0.5", true },
        { IN("  user:   CORP\\alice   hostname:  WS01  "), "CORP\\alice",
          "WS01", NULL, true },
        { IN("user: http://x ip: 1.2.3.4"), "http://x", NULL, "1.2.3.4",
          true },
        { IN("user: CORP\\a b:c"), "CORP\\a b:c", NULL, NULL, true },
        { IN("user: CORP\\a:b"), "CORP\\a:b", NULL, NULL, true },
        { IN("ip: not an ip"), NULL, NULL, "not an ip", true },
    };

    (void)state;
    check_ci_cases(cases, COUNT(cases));
}

static void test_clientinfo_parse_empty_values_are_absent(void **state)
{
    static const struct ci_case cases[] = {
        { IN("user: - ip: - hostname: -"), NULL, NULL, NULL, true },
        { IN("user:  ip: 1.2.3.4"), NULL, NULL, "1.2.3.4", true },
        { IN("user:"), NULL, NULL, NULL, true },
        { IN("user: ip: hostname:"), NULL, NULL, NULL, true },
        { IN("user: -- hostname: -"), "--", NULL, NULL, true },
        { IN(""), NULL, NULL, NULL, true },
        { IN(" \t "), NULL, NULL, NULL, true },
    };

    (void)state;
    check_ci_cases(cases, COUNT(cases));
}

static void test_clientinfo_parse_flags_unrecognised_text(void **state)
{
    static const struct ci_case cases[] = {
        { IN("junk user: a"), "a", NULL, NULL, false },
        { IN("user: a session: 2"), "a", NULL, NULL, false },
        { IN("session: 2 user: a"), "a", NULL, NULL, false },
        { IN("user: a user: b"), "a", NULL, NULL, false },
        { IN("user: - user: b"), NULL, NULL, NULL, false },
        { IN("ip: 1.2.3.4 IP: 5.6.7.8"), NULL, NULL, "1.2.3.4", false },
        { IN("user: a b: c"), "a", NULL, NULL, false },
        { IN("user: x note:"), "x", NULL, NULL, false },
        { IN("user:a"), NULL, NULL, NULL, false },
        { IN("CORP\\alice"), NULL, NULL, NULL, false },
        { IN("x:user: a"), NULL, NULL, NULL, false },
        { IN("user2: a"), NULL, NULL, NULL, false },
    };

    (void)state;
    check_ci_cases(cases, COUNT(cases));
}

static void test_clientinfo_parse_keeps_embedded_nul(void **state)
{
    static const char in[] = "user: a\0b ip: 1\0";
    struct s2q_clientinfo ci;

    (void)state;
    s2q_clientinfo_parse(in, sizeof in - 1, &ci);
    assert_true(ci.complete);
    assert_ptr_equal(ci.user, in + 6);
    assert_int_equal(ci.user_len, 3);
    assert_memory_equal(ci.user, "a\0b", 3);
    assert_ptr_equal(ci.ip, in + 14);
    assert_int_equal(ci.ip_len, 2);
    assert_memory_equal(ci.ip, "1\0", 2);
    assert_null(ci.hostname);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_uint_accepts_digits),
        cmocka_unit_test(test_parse_uint_rejects_malformed_and_too_large),
        cmocka_unit_test(test_double_to_uint_accepts_integral_values),
        cmocka_unit_test(
            test_double_to_uint_rejects_fractions_negatives_and_nan),
        cmocka_unit_test(test_hex_from_uint_writes_canonical_form),
        cmocka_unit_test(test_hex_canon_accepts_hex_and_decimal),
        cmocka_unit_test(test_hex_canon_rejects_malformed),
        cmocka_unit_test(test_time_parse_accepts_every_form),
        cmocka_unit_test(test_time_parse_truncates_fraction),
        cmocka_unit_test(test_time_parse_offset_converts_to_utc),
        cmocka_unit_test(test_time_parse_handles_calendar_edges),
        cmocka_unit_test(test_time_parse_accepts_leap_days),
        cmocka_unit_test(test_time_parse_ms_date_forms),
        cmocka_unit_test(test_time_parse_rejects_malformed),
        cmocka_unit_test(test_time_parse_rejects_bad_zone),
        cmocka_unit_test(test_time_parse_rejects_bad_ms_date),
        cmocka_unit_test(test_time_parse_rejects_impossible_dates),
        cmocka_unit_test(test_time_parse_zoneless_is_local_unless_utc),
        cmocka_unit_test(test_time_format_writes_iso_utc),
        cmocka_unit_test(test_time_format_round_trips_whole_range),
        cmocka_unit_test(test_hashes_parse_splits_named_pairs),
        cmocka_unit_test(test_hashes_parse_classifies_bare_hex),
        cmocka_unit_test(test_hashes_parse_skips_all_zero_hex),
        cmocka_unit_test(test_hashes_parse_flags_bad_parts),
        cmocka_unit_test(test_ip_parse_accepts_ipv4),
        cmocka_unit_test(test_ip_parse_compresses_ipv6),
        cmocka_unit_test(test_ip_parse_maps_ipv4_mapped_to_ipv4),
        cmocka_unit_test(test_ip_parse_rejects_non_addresses),
        cmocka_unit_test(test_guid_canon_accepts_braced_and_bare),
        cmocka_unit_test(test_guid_canon_rejects_malformed),
        cmocka_unit_test(test_sid_name_maps_well_known_sids_only),
        cmocka_unit_test(test_severity_name_maps_levels_and_names),
        cmocka_unit_test(test_severity_name_rejects_other_text),
        cmocka_unit_test(test_severity_number_maps_integral_levels),
        cmocka_unit_test(test_clientinfo_parse_splits_labels),
        cmocka_unit_test(test_clientinfo_parse_empty_values_are_absent),
        cmocka_unit_test(test_clientinfo_parse_flags_unrecognised_text),
        cmocka_unit_test(test_clientinfo_parse_keeps_embedded_nul),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
