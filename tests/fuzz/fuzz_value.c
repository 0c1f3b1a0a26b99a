/*
 * fuzz_value.c - fuzz target: the value parsers on any text.
 *
 * The first byte picks the parser (whole numbers, hex, times, hashes, IP
 * addresses, GUIDs, SIDs, severities, ClientInfo, JSON numbers); the rest
 * is the value. Results must be well formed, and values that parse must
 * survive being written and parsed again.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s2q/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_value: %s\n", what);
    abort();
}

/* The text is exactly n bytes of characters from set. */
static void check_chars(const char *s, size_t n, const char *set)
{
    if (strlen(s) != n || strspn(s, set) != n) {
        fail(s);
    }
}

static void check_uint(const char *s, size_t n)
{
    char buf[S2Q_UINT_BUFSZ];
    uint64_t v;
    uint64_t again;

    if (s2q_parse_uint(s, n, UINT64_MAX, &v)) {
        size_t len = s2q_format_uint(v, buf);

        if (!s2q_parse_uint(buf, len, UINT64_MAX, &again) || again != v) {
            fail("whole number does not read back");
        }
    }
}

static void check_hex(const char *s, size_t n)
{
    char buf[S2Q_HEX_BUFSZ];
    char again[S2Q_HEX_BUFSZ];

    if (s2q_hex_canon(s, n, buf)) {
        if (strncmp(buf, "0x", 2) != 0) {
            fail("hex without 0x");
        }
        check_chars(buf + 2, strlen(buf + 2), "0123456789abcdef");
        if (!s2q_hex_canon(buf, strlen(buf), again) ||
            strcmp(buf, again) != 0) {
            fail("hex is not stable");
        }
    }
}

static void check_time(const char *s, size_t n)
{
    char buf[S2Q_TIME_LEN + 1];
    int64_t ms;
    int64_t again;

    if (s2q_time_parse(s, n, n % 2 == 0, &ms) == S2Q_TIME_OK) {
        s2q_time_format(ms, buf);
        if (strlen(buf) != S2Q_TIME_LEN ||
            s2q_time_parse(buf, S2Q_TIME_LEN, false, &again) !=
                S2Q_TIME_OK || again != ms) {
            fail("time does not read back");
        }
    }
}

static void check_hashes(const char *s, size_t n)
{
    struct s2q_hashes h;

    s2q_hashes_parse(s, n, &h);
    check_chars(h.md5, strlen(h.md5), "0123456789ABCDEF");
    check_chars(h.sha1, strlen(h.sha1), "0123456789ABCDEF");
    check_chars(h.sha256, strlen(h.sha256), "0123456789ABCDEF");
    check_chars(h.imphash, strlen(h.imphash), "0123456789ABCDEF");
    if ((h.md5[0] != '\0' && strlen(h.md5) != 32) ||
        (h.sha1[0] != '\0' && strlen(h.sha1) != 40) ||
        (h.sha256[0] != '\0' && strlen(h.sha256) != 64) ||
        (h.imphash[0] != '\0' && strlen(h.imphash) != 32)) {
        fail("hash of the wrong length");
    }
}

static void check_ip(const char *s, size_t n)
{
    char buf[S2Q_IP_BUFSZ];
    char again[S2Q_IP_BUFSZ];
    enum s2q_ip_kind kind = s2q_ip_parse(s, n, buf);

    if (kind != S2Q_IP_NONE &&
        (s2q_ip_parse(buf, strlen(buf), again) != kind ||
         strcmp(buf, again) != 0)) {
        fail("IP address is not stable");
    }
}

static void check_guid(const char *s, size_t n)
{
    char buf[S2Q_GUID_BUFSZ];

    if (s2q_guid_canon(s, n, buf)) {
        if (strlen(buf) != 38 || buf[0] != '{' || buf[37] != '}') {
            fail("GUID of the wrong form");
        }
    }
}

static void check_clientinfo(const char *s, size_t n)
{
    struct s2q_clientinfo ci;

    s2q_clientinfo_parse(s, n, &ci);
    if ((ci.user != NULL &&
         (ci.user < s || ci.user + ci.user_len > s + n)) ||
        (ci.hostname != NULL &&
         (ci.hostname < s || ci.hostname + ci.hostname_len > s + n)) ||
        (ci.ip != NULL && (ci.ip < s || ci.ip + ci.ip_len > s + n))) {
        fail("ClientInfo part outside the value");
    }
}

static void check_number(const char *s, size_t n)
{
    char buf[S2Q_NUMBER_BUFSZ];
    double d;
    uint64_t u;

    if (n < sizeof(d)) {
        return;
    }
    memcpy(&d, s, sizeof(d));
    if (s2q_format_number(d, buf) >= S2Q_NUMBER_BUFSZ) {
        fail("number text too long");
    }
    if (d == d && d > -1e300 && d < 1e300 && strtod(buf, NULL) != d) {
        fail("number does not read back");
    }
    (void)s2q_double_to_uint(d, UINT64_MAX, &u);
    (void)s2q_severity_number(d);
}

static void check_sid(const char *s, size_t n)
{
    (void)s2q_sid_name(s, n);
}

static void check_severity(const char *s, size_t n)
{
    (void)s2q_severity_name(s, n);
}

/* The parsers, in the order of the selector byte (see seeds.py). */
static void (*const checks[])(const char *s, size_t n) = {
    check_uint, check_hex, check_time, check_hashes, check_ip, check_guid,
    check_sid, check_severity, check_clientinfo, check_number,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;
    size_t n;

    if (size == 0) {
        return 0;
    }
    /* An exact-size copy, so that reading past the value is caught. */
    n = size - 1;
    s = malloc(n > 0 ? n : 1);
    if (s == NULL) {
        abort();
    }
    memcpy(s, data + 1, n);
    checks[data[0] % (sizeof(checks) / sizeof(checks[0]))](s, n);
    free(s);
    return 0;
}
