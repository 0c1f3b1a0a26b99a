/*
 * value.c - parsers and formatters for the values found in Sysmon events
 * (see value.h for the contract of every exported function).
 */
#include "s2q/value.h"

#include <arpa/inet.h>
#include <string.h>

#define MS_PER_DAY 86400000LL

/* First and last millisecond of years 0001 to 9999. */
#define TIME_MIN_MS (-62135596800000LL)
#define TIME_MAX_MS 253402300799999LL

/* A read position inside a (pointer, length) input. */
struct cursor {
    const char *s;
    size_t len;
    size_t pos;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Value of a hex digit, or -1 when c is none. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static char to_lower(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return (char)(c - 'A' + 'a');
    }
    return c;
}

static char to_upper(char c)
{
    if (c >= 'a' && c <= 'z') {
        return (char)(c - 'a' + 'A');
    }
    return c;
}

/* True when s (len bytes) equals the NUL-terminated word, ignoring ASCII
 * case. An embedded NUL in s never matches. */
static bool equals_nocase(const char *s, size_t len, const char *word)
{
    size_t i;

    if (strlen(word) != len) {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (to_lower(s[i]) != word[i]) {
            return false;
        }
    }
    return true;
}

/* True when s (len bytes) equals the NUL-terminated word exactly. */
static bool equals_exact(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

bool s2q_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    uint64_t d;
    size_t i;

    if (len == 0) {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (!is_digit(s[i])) {
            return false;
        }
        d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            return false;
        }
        v = v * 10 + d;
    }
    if (v > max) {
        return false;
    }
    *out = v;
    return true;
}

bool s2q_double_to_uint(double d, uint64_t max, uint64_t *out)
{
    uint64_t v;

    /* NaN fails both comparisons; 2^64 is exact as a double. */
    if (!(d >= 0.0) || d >= 18446744073709551616.0) {
        return false;
    }
    v = (uint64_t)d;
    if ((double)v != d || v > max) {
        return false;
    }
    *out = v;
    return true;
}

void s2q_hex_from_uint(uint64_t v, char out[S2Q_HEX_BUFSZ])
{
    static const char digits[] = "0123456789abcdef";
    char tmp[16];
    size_t n = 0;
    size_t i;

    do {
        tmp[n++] = digits[v & 0xf];
        v >>= 4;
    } while (v != 0);
    out[0] = '0';
    out[1] = 'x';
    for (i = 0; i < n; i++) {
        out[2 + i] = tmp[n - 1 - i];
    }
    out[2 + n] = '\0';
}

bool s2q_hex_canon(const char *s, size_t len, char out[S2Q_HEX_BUFSZ])
{
    uint64_t v = 0;
    size_t i;
    size_t sig = 0;
    int h;

    if (len < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) {
        if (!s2q_parse_uint(s, len, UINT64_MAX, &v)) {
            return false;
        }
        s2q_hex_from_uint(v, out);
        return true;
    }
    if (len == 2) {
        return false;
    }
    for (i = 2; i < len; i++) {
        h = hex_value(s[i]);
        if (h < 0) {
            return false;
        }
        if (v != 0 || h != 0) {
            sig++;
        }
        if (sig > 16) {
            return false;
        }
        v = (v << 4) | (uint64_t)h;
    }
    s2q_hex_from_uint(v, out);
    return true;
}

/* ---- times ---- */

/* Days from 1970-01-01 to the given proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era;
    int64_t yoe;
    int64_t doy;
    int64_t doe;

    y -= m <= 2 ? 1 : 0;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The proleptic Gregorian date of a day count from 1970-01-01. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era;
    int64_t doe;
    int64_t yoe;
    int64_t doy;
    int64_t mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* True when the date exists in years 0001 to 9999. */
static bool date_valid(int64_t y, int m, int d)
{
    static const int mdays[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };
    int last;

    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) {
        return false;
    }
    last = mdays[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
    return d <= last;
}

/* Read exactly n (at most 9) decimal digits into *v. */
static bool take_digits(struct cursor *c, size_t n, int *v)
{
    size_t i;
    int acc = 0;

    if (c->len - c->pos < n) {
        return false;
    }
    for (i = 0; i < n; i++) {
        if (!is_digit(c->s[c->pos + i])) {
            return false;
        }
        acc = acc * 10 + (c->s[c->pos + i] - '0');
    }
    c->pos += n;
    *v = acc;
    return true;
}

/* Consume ch when it is the next byte. */
static bool take_char(struct cursor *c, char ch)
{
    if (c->pos < c->len && c->s[c->pos] == ch) {
        c->pos++;
        return true;
    }
    return false;
}

/* Read "YYYY-MM-DD" followed by ' ' or 'T'. */
static bool take_iso_date(struct cursor *c, int *y, int *m, int *d)
{
    return take_digits(c, 4, y) && take_char(c, '-')
           && take_digits(c, 2, m) && take_char(c, '-')
           && take_digits(c, 2, d)
           && (take_char(c, ' ') || take_char(c, 'T'));
}

/* Read "MM/DD/YYYY" followed by ' '. */
static bool take_us_date(struct cursor *c, int *y, int *m, int *d)
{
    return take_digits(c, 2, m) && take_char(c, '/')
           && take_digits(c, 2, d) && take_char(c, '/')
           && take_digits(c, 4, y) && take_char(c, ' ');
}

/* Read the date part of a time in either order and return the day count
 * of that date, which must exist. */
static bool take_date(struct cursor *c, int64_t *days)
{
    int y;
    int m;
    int d;
    size_t start = c->pos;

    if (!take_iso_date(c, &y, &m, &d)) {
        c->pos = start;
        if (!take_us_date(c, &y, &m, &d)) {
            return false;
        }
    }
    if (!date_valid(y, m, d)) {
        return false;
    }
    *days = days_from_civil(y, m, d);
    return true;
}

/* Read "HH:MM:SS" and an optional fraction of 1 to 9 digits, giving the
 * milliseconds into the day (extra fraction digits truncated). */
static bool take_clock(struct cursor *c, int64_t *ms)
{
    int h;
    int mi;
    int sec;
    int frac = 0;
    size_t n = 0;

    if (!(take_digits(c, 2, &h) && take_char(c, ':')
          && take_digits(c, 2, &mi) && take_char(c, ':')
          && take_digits(c, 2, &sec))) {
        return false;
    }
    if (h > 23 || mi > 59 || sec > 59) {
        return false;
    }
    if (take_char(c, '.')) {
        while (c->pos < c->len && is_digit(c->s[c->pos])) {
            if (n < 3) {
                frac = frac * 10 + (c->s[c->pos] - '0');
            }
            n++;
            c->pos++;
        }
        if (n == 0 || n > 9) {
            return false;
        }
    }
    for (; n < 3; n++) {
        frac *= 10;
    }
    *ms = ((int64_t)h * 3600 + mi * 60 + sec) * 1000 + frac;
    return true;
}

/* Read the zone that ends the text: nothing (*has_zone false), "Z", "z",
 * or a signed offset "HH:MM", "HHMM", "HH", giving the offset in ms. */
static bool take_zone(struct cursor *c, bool *has_zone, int64_t *off)
{
    int sign;
    int h;
    int mi = 0;

    *has_zone = c->pos < c->len;
    *off = 0;
    if (!*has_zone) {
        return true;
    }
    if (take_char(c, 'Z') || take_char(c, 'z')) {
        return c->pos == c->len;
    }
    if (take_char(c, '+')) {
        sign = 1;
    } else if (take_char(c, '-')) {
        sign = -1;
    } else {
        return false;
    }
    if (!take_digits(c, 2, &h)) {
        return false;
    }
    if (c->pos < c->len) {
        (void)take_char(c, ':');
        if (!take_digits(c, 2, &mi)) {
            return false;
        }
    }
    if (c->pos != c->len || h > 23 || mi > 59) {
        return false;
    }
    *off = sign * ((int64_t)h * 60 + mi) * 60000;
    return true;
}

/* Parse "/Date(MS)/", "/Date(MS+HHMM)/" or "/Date(MS-HHMM)/"; the offset
 * is only checked for form since MS is already UTC. */
static enum s2q_time_status parse_msdate(struct cursor *c, int64_t *ms)
{
    bool neg;
    size_t start;
    uint64_t mag;
    int off;

    c->pos = 6;
    neg = take_char(c, '-');
    start = c->pos;
    while (c->pos < c->len && is_digit(c->s[c->pos])) {
        c->pos++;
    }
    if (!s2q_parse_uint(c->s + start, c->pos - start,
                        neg ? (uint64_t)-TIME_MIN_MS
                            : (uint64_t)TIME_MAX_MS, &mag)) {
        return S2Q_TIME_BAD;
    }
    if ((take_char(c, '+') || take_char(c, '-'))
        && !take_digits(c, 4, &off)) {
        return S2Q_TIME_BAD;
    }
    if (!take_char(c, ')') || !take_char(c, '/') || c->pos != c->len) {
        return S2Q_TIME_BAD;
    }
    *ms = neg ? -(int64_t)mag : (int64_t)mag;
    return S2Q_TIME_OK;
}

enum s2q_time_status s2q_time_parse(const char *s, size_t len,
                                    bool zoneless_is_utc, int64_t *ms)
{
    struct cursor c;
    int64_t days;
    int64_t clock;
    int64_t off;
    int64_t v;
    bool has_zone;

    c.s = s;
    c.len = len;
    c.pos = 0;
    if (len >= 6 && memcmp(s, "/Date(", 6) == 0) {
        return parse_msdate(&c, ms);
    }
    if (!take_date(&c, &days) || !take_clock(&c, &clock)
        || !take_zone(&c, &has_zone, &off)) {
        return S2Q_TIME_BAD;
    }
    v = days * MS_PER_DAY + clock - off;
    if (v < TIME_MIN_MS || v > TIME_MAX_MS) {
        return S2Q_TIME_BAD;
    }
    if (!has_zone && !zoneless_is_utc) {
        return S2Q_TIME_LOCAL;
    }
    *ms = v;
    return S2Q_TIME_OK;
}

/* Write v as exactly width decimal digits (v must fit). */
static void put_digits(char *out, int64_t v, int width)
{
    int i;

    for (i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void s2q_time_format(int64_t ms, char out[S2Q_TIME_LEN + 1])
{
    int64_t days;
    int64_t rem;
    int64_t y;
    int m;
    int d;

    days = ms / MS_PER_DAY;
    rem = ms % MS_PER_DAY;
    if (rem < 0) {
        rem += MS_PER_DAY;
        days--;
    }
    civil_from_days(days, &y, &m, &d);
    memcpy(out, "0000-00-00T00:00:00.000Z", S2Q_TIME_LEN + 1);
    put_digits(out, y, 4);
    put_digits(out + 5, m, 2);
    put_digits(out + 8, d, 2);
    put_digits(out + 11, rem / 3600000, 2);
    put_digits(out + 14, rem / 60000 % 60, 2);
    put_digits(out + 17, rem / 1000 % 60, 2);
    put_digits(out + 20, rem % 1000, 3);
}

/* ---- hashes ---- */

/* Trim spaces and tabs from both ends of [*b, *e). */
static void trim_blanks(const char *s, size_t *b, size_t *e)
{
    while (*b < *e && is_blank(s[*b])) {
        (*b)++;
    }
    while (*e > *b && is_blank(s[*e - 1])) {
        (*e)--;
    }
}

/* True when s holds exactly want hex digits. */
static bool is_hex_run(const char *s, size_t len, size_t want)
{
    size_t i;

    if (len != want) {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (hex_value(s[i]) < 0) {
            return false;
        }
    }
    return true;
}

/* The hash algorithms, in the order of their slots. */
enum hash_alg {
    HASH_MD5,
    HASH_SHA1,
    HASH_SHA256,
    HASH_IMPHASH,
    HASH_NONE
};

/* Hex length of each algorithm. */
static const size_t hash_len[4] = { 32, 40, 64, 32 };

/* What s2q_hashes_parse learned so far about a value. */
struct hash_state {
    bool whole;     /* the value has no comma: bare hex allowed */
    bool seen[4];   /* algorithm already given (first one kept) */
    bool placed;    /* at least one hash stored */
};

/* Algorithm named by s, any case, or HASH_NONE. */
static enum hash_alg alg_by_name(const char *s, size_t len)
{
    static const char *const names[4] = { "md5", "sha1", "sha256",
                                          "imphash" };
    int i;

    for (i = 0; i < 4; i++) {
        if (equals_nocase(s, len, names[i])) {
            return (enum hash_alg)i;
        }
    }
    return HASH_NONE;
}

/* Algorithm of a bare hex string of this length, or HASH_NONE. */
static enum hash_alg alg_by_length(size_t len)
{
    switch (len) {
    case 32:
        return HASH_MD5;
    case 40:
        return HASH_SHA1;
    case 64:
        return HASH_SHA256;
    default:
        return HASH_NONE;
    }
}

/* Output buffer of an algorithm (NULL for HASH_NONE). */
static char *alg_slot(struct s2q_hashes *out, enum hash_alg alg)
{
    switch (alg) {
    case HASH_MD5:
        return out->md5;
    case HASH_SHA1:
        return out->sha1;
    case HASH_SHA256:
        return out->sha256;
    case HASH_IMPHASH:
        return out->imphash;
    case HASH_NONE:
        break;
    }
    return NULL;
}

/* Store hex (already checked) upper-cased into its slot unless all zero.
 * @return true when a hash was placed. */
static bool place_hash(struct s2q_hashes *out, enum hash_alg alg,
                       const char *hex, size_t len)
{
    char *slot = alg_slot(out, alg);
    bool zero = true;
    size_t i;

    for (i = 0; i < len; i++) {
        slot[i] = to_upper(hex[i]);
        zero = zero && hex[i] == '0';
    }
    slot[zero ? 0 : len] = '\0';
    return !zero;
}

/* Parse one trimmed, non-empty part [b, e) of a hash list: NAME=HEX, or
 * bare hex when the part is the whole value.
 * @return true when the part parsed. */
static bool hash_part(const char *s, size_t b, size_t e,
                      struct hash_state *st, struct s2q_hashes *out)
{
    const char *eq = memchr(s + b, '=', e - b);
    enum hash_alg alg;
    size_t hb = b;
    size_t nb = b;
    size_t ne;

    if (eq == NULL) {
        alg = st->whole ? alg_by_length(e - b) : HASH_NONE;
    } else {
        ne = (size_t)(eq - s);
        hb = ne + 1;
        trim_blanks(s, &nb, &ne);
        trim_blanks(s, &hb, &e);
        alg = alg_by_name(s + nb, ne - nb);
    }
    if (alg == HASH_NONE || st->seen[alg]
        || !is_hex_run(s + hb, e - hb, hash_len[alg])) {
        return false;
    }
    st->seen[alg] = true;
    if (place_hash(out, alg, s + hb, e - hb)) {
        st->placed = true;
    }
    return true;
}

bool s2q_hashes_parse(const char *s, size_t len, struct s2q_hashes *out)
{
    struct hash_state st;
    const char *comma;
    size_t b = 0;
    size_t e;

    memset(out, 0, sizeof *out);
    memset(&st, 0, sizeof st);
    out->complete = true;
    st.whole = memchr(s, ',', len) == NULL;
    for (;;) {
        comma = memchr(s + b, ',', len - b);
        e = comma == NULL ? len : (size_t)(comma - s);
        trim_blanks(s, &b, &e);
        if (b == e || !hash_part(s, b, e, &st, out)) {
            out->complete = false;
        }
        if (comma == NULL) {
            break;
        }
        b = (size_t)(comma - s) + 1;
    }
    return st.placed || out->complete;
}

/* ---- IP addresses ---- */

/* True when every byte may occur in an address: hex digits, ':', '.'. */
static bool ip_chars_ok(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (hex_value(s[i]) < 0 && s[i] != ':' && s[i] != '.') {
            return false;
        }
    }
    return true;
}

/* Write a 16-bit word in lower-case hex without leading zeros. */
static size_t put_word(char *out, unsigned w)
{
    static const char digits[] = "0123456789abcdef";
    size_t n = 0;
    int shift;

    for (shift = 12; shift >= 0; shift -= 4) {
        if ((w >> shift) != 0 || shift == 0) {
            out[n++] = digits[(w >> shift) & 0xf];
        }
    }
    return n;
}

/* Write an IPv6 address in RFC 5952 form: lower case, no leading zeros,
 * the first longest run of two or more zero words shortened to "::". */
static void format_ipv6(const unsigned char a[16], char out[S2Q_IP_BUFSZ])
{
    unsigned w[8];
    int best = -1;
    int best_len = 1;
    int i;
    int run;
    size_t n = 0;

    for (i = 0; i < 8; i++) {
        w[i] = ((unsigned)a[2 * i] << 8) | a[2 * i + 1];
    }
    i = 0;
    while (i < 8) {
        run = 0;
        while (i + run < 8 && w[i + run] == 0) {
            run++;
        }
        if (run > best_len) {
            best = i;
            best_len = run;
        }
        i += run > 0 ? run : 1;
    }
    for (i = 0; i < 8; i++) {
        if (i == best) {
            out[n++] = ':';
            out[n++] = ':';
            i += best_len - 1;
            continue;
        }
        if (i > 0 && i != best + best_len) {
            out[n++] = ':';
        }
        n += put_word(out + n, w[i]);
    }
    out[n] = '\0';
}

enum s2q_ip_kind s2q_ip_parse(const char *s, size_t len,
                              char out[S2Q_IP_BUFSZ])
{
    static const unsigned char mapped[12] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
    };
    char text[S2Q_IP_BUFSZ];
    unsigned char a[16];

    out[0] = '\0';
    if (len == 0 || len >= sizeof text || !ip_chars_ok(s, len)) {
        return S2Q_IP_NONE;
    }
    memcpy(text, s, len);
    text[len] = '\0';
    if (inet_pton(AF_INET, text, a) == 1) {
        return inet_ntop(AF_INET, a, out, S2Q_IP_BUFSZ) != NULL
                   ? S2Q_IP_V4 : S2Q_IP_NONE;
    }
    if (inet_pton(AF_INET6, text, a) != 1) {
        return S2Q_IP_NONE;
    }
    if (memcmp(a, mapped, sizeof mapped) == 0) {
        return inet_ntop(AF_INET, a + 12, out, S2Q_IP_BUFSZ) != NULL
                   ? S2Q_IP_V4 : S2Q_IP_NONE;
    }
    format_ipv6(a, out);
    return S2Q_IP_V6;
}

/* ---- GUIDs, SIDs, severities ---- */

bool s2q_guid_canon(const char *s, size_t len, char out[S2Q_GUID_BUFSZ])
{
    size_t i;
    char c;

    if (len == 38 && s[0] == '{' && s[37] == '}') {
        s++;
        len = 36;
    }
    if (len != 36) {
        return false;
    }
    for (i = 0; i < 36; i++) {
        c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') {
                return false;
            }
        } else if (hex_value(c) < 0) {
            return false;
        }
        out[i + 1] = to_lower(c);
    }
    out[0] = '{';
    out[37] = '}';
    out[38] = '\0';
    return true;
}

const char *s2q_sid_name(const char *s, size_t len)
{
    if (equals_exact(s, len, "S-1-5-18")) {
        return "SYSTEM";
    }
    if (equals_exact(s, len, "S-1-5-19")) {
        return "LOCAL SERVICE";
    }
    if (equals_exact(s, len, "S-1-5-20")) {
        return "NETWORK SERVICE";
    }
    return NULL;
}

/* Normalized severity names indexed by Windows level 0 to 5. */
static const char *const severity_by_level[6] = {
    "Informational", "Alert", "Error", "Warning", "Informational", "Debug"
};

const char *s2q_severity_name(const char *s, size_t len)
{
    static const struct {
        const char *name;
        int level;
    } names[] = {
        { "critical", 1 }, { "error", 2 }, { "warning", 3 },
        { "information", 4 }, { "informational", 4 }, { "info", 4 },
        { "verbose", 5 }, { "debug", 5 }
    };
    size_t i;

    if (len == 1 && s[0] >= '0' && s[0] <= '5') {
        return severity_by_level[s[0] - '0'];
    }
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (equals_nocase(s, len, names[i].name)) {
            return severity_by_level[names[i].level];
        }
    }
    return NULL;
}

const char *s2q_severity_number(double level)
{
    uint64_t v;

    if (!s2q_double_to_uint(level, 5, &v)) {
        return NULL;
    }
    return severity_by_level[v];
}

/* ---- ClientInfo ---- */

/* When a label starts at i (at the start or after a blank: letters, ':',
 * then a blank or the end), set its name length and return true. */
static bool label_at(const char *s, size_t len, size_t i, size_t *name_len)
{
    size_t j = i;

    if (i > 0 && !is_blank(s[i - 1])) {
        return false;
    }
    while (j < len && is_alpha(s[j])) {
        j++;
    }
    if (j == i || j >= len || s[j] != ':') {
        return false;
    }
    if (j + 1 < len && !is_blank(s[j + 1])) {
        return false;
    }
    *name_len = j - i;
    return true;
}

/* Position of the first label at or after from, or len when none. */
static size_t next_label(const char *s, size_t len, size_t from,
                         size_t *name_len)
{
    size_t i;

    for (i = from; i < len; i++) {
        if (label_at(s, len, i, name_len)) {
            return i;
        }
    }
    return len;
}

/* Store the value [b, e) of a recognised label unless it was seen before;
 * an empty or "-" value leaves the part NULL. */
static bool store_part(const char *s, size_t b, size_t e, bool *seen,
                       const char **part, size_t *part_len)
{
    if (*seen) {
        return false;
    }
    *seen = true;
    trim_blanks(s, &b, &e);
    if (b == e || (e - b == 1 && s[b] == '-')) {
        return true;
    }
    *part = s + b;
    *part_len = e - b;
    return true;
}

void s2q_clientinfo_parse(const char *s, size_t len,
                          struct s2q_clientinfo *out)
{
    bool seen[3] = { false, false, false };
    size_t name_len = 0;
    size_t next_len = 0;
    size_t pos;
    size_t lead = 0;
    size_t vb;
    size_t next;
    bool ok;

    memset(out, 0, sizeof *out);
    out->complete = true;
    pos = next_label(s, len, 0, &name_len);
    while (lead < pos && is_blank(s[lead])) {
        lead++;
    }
    if (lead != pos) {
        out->complete = false;
    }
    while (pos < len) {
        vb = pos + name_len + 1;
        next = next_label(s, len, vb, &next_len);
        if (equals_nocase(s + pos, name_len, "user")) {
            ok = store_part(s, vb, next, &seen[0], &out->user,
                            &out->user_len);
        } else if (equals_nocase(s + pos, name_len, "ip")) {
            ok = store_part(s, vb, next, &seen[1], &out->ip, &out->ip_len);
        } else if (equals_nocase(s + pos, name_len, "hostname")) {
            ok = store_part(s, vb, next, &seen[2], &out->hostname,
                            &out->hostname_len);
        } else {
            ok = false;
        }
        out->complete = out->complete && ok;
        pos = next;
        name_len = next_len;
    }
}
