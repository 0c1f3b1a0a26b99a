/*
 * shape_wazuh.c - the wazuh shape: the JSON the Wazuh agent makes of a
 * Windows event (decoder windows_eventchannel), alone or inside a full
 * alert under "data":
 *
 *   {"win": {"system": {"providerName": .., "eventID": "1", ...},
 *            "eventdata": {"commandLine": .., "ruleName": .., ...}}}
 *   {"agent": {..}, "data": {"win": {..}}, "location": "EventChannel"}
 *
 * Wazuh lower-cases the first letter of every EventData name (restored
 * here: commandLine is CommandLine, iD is ID). It also renders the event
 * XML into a JSON string before it reads the values out of it, so every
 * value arrives escaped twice more than JSON needs: once as XML text
 * (&lt; &gt; &amp; &quot; &apos; &#N;) and once as a JSON string
 * (\\ \" \/ \b \f \n \r \t \uXXXX). The JSON text "C:\\\\Windows" thus
 * decodes to C:\\Windows and stands for C:\Windows, and "2&gt;&amp;1"
 * stands for 2>&1. Both levels are undone once, in the reverse order of
 * their making; a sequence that is no valid escape stays as it is.
 */
#include <ctype.h>
#include <string.h>

#include "shape_impl.h"

/* The "win" object whose "system" is an object: at the top level, else
 * under "data"; NULL when there is none. */
static const cJSON *find_win(const cJSON *root)
{
    const cJSON *win = s2q_member(root, "win");

    if (cJSON_IsObject(s2q_member(win, "system"))) {
        return win;
    }
    win = s2q_member(s2q_member(root, "data"), "win");
    if (cJSON_IsObject(s2q_member(win, "system"))) {
        return win;
    }
    return NULL;
}

/* Append code point cp (0 < cp <= 0x10FFFF, no surrogate) as UTF-8. */
static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Read exactly n hex digits. @return the value, or -1. */
static long hex_digits(const char *p, size_t n)
{
    long v = 0;

    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)p[i];

        if (!isxdigit(c)) {
            return -1;
        }
        v = v * 16 + (isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
    }
    return v;
}

/* A code point that may be written: not NUL (it would cut the value),
 * not a surrogate, at most U+10FFFF. */
static bool writable(long cp)
{
    return cp > 0 && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

/*
 * Decode the JSON escape at s[i] (s[i] is a backslash) into out.
 * @return the number of input bytes used, or 0 when it is no valid escape.
 */
static size_t json_escape(const char *s, size_t i, size_t len, char *out,
                          size_t *n)
{
    static const char from[] = "\\\"/bfnrt";
    static const char to[] = "\\\"/\b\f\n\r\t";
    const char *hit;
    long cp, lo;

    if (i + 1 >= len) {
        return 0;
    }
    hit = strchr(from, s[i + 1]);
    if (hit != NULL && s[i + 1] != '\0') {
        out[0] = to[hit - from];
        *n = 1;
        return 2;
    }
    if (s[i + 1] != 'u' || i + 6 > len ||
        (cp = hex_digits(s + i + 2, 4)) < 0) {
        return 0;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 12 <= len &&
        s[i + 6] == '\\' && s[i + 7] == 'u' &&
        (lo = hex_digits(s + i + 8, 4)) >= 0xDC00 && lo <= 0xDFFF) {
        *n = put_utf8(out, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
        return 12;
    }
    if (!writable(cp)) {
        return 0;
    }
    *n = put_utf8(out, (unsigned long)cp);
    return 6;
}

/*
 * Decode the XML entity at s[i] (s[i] is '&') into out.
 * @return the number of input bytes used, or 0 when it is no entity.
 */
static size_t xml_entity(const char *s, size_t i, size_t len, char *out,
                         size_t *n)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {
        { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
        { "&quot;", '"' }, { "&apos;", '\'' },
    };
    const char *semi = memchr(s + i, ';', len - i < 12 ? len - i : 12);
    size_t elen;
    long cp = 0;

    if (semi == NULL) {
        return 0;
    }
    elen = (size_t)(semi - (s + i)) + 1;
    for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
        if (elen == strlen(named[k].name) &&
            memcmp(s + i, named[k].name, elen) == 0) {
            out[0] = named[k].c;
            *n = 1;
            return elen;
        }
    }
    if (elen < 4 || s[i + 1] != '#') {
        return 0;
    }
    if (s[i + 2] == 'x' || s[i + 2] == 'X') {
        cp = elen > 4 ? hex_digits(s + i + 3, elen - 4) : -1;
    } else {
        for (size_t k = i + 2; k < i + elen - 1 && cp >= 0; k++) {
            cp = isdigit((unsigned char)s[k]) ? cp * 10 + (s[k] - '0') : -1;
        }
    }
    if (!writable(cp)) {
        return 0;
    }
    *n = put_utf8(out, (unsigned long)cp);
    return elen;
}

/*
 * Undo one level of escaping in place: JSON escapes when marker is '\\',
 * XML entities when it is '&'. Decoding never makes text longer.
 * @return the new length
 */
static size_t decode(char *s, size_t len, char marker)
{
    size_t i = 0;
    size_t j = 0;

    while (i < len) {
        char buf[4];
        size_t n = 0;
        size_t used = 0;

        if (s[i] == marker) {
            used = marker == '\\' ? json_escape(s, i, len, buf, &n)
                                  : xml_entity(s, i, len, buf, &n);
        }
        if (used == 0) {
            s[j++] = s[i++];
            continue;
        }
        memcpy(s + j, buf, n);
        j += n;
        i += used;
    }
    s[j] = '\0';
    return j;
}

/*
 * The value of an item with Wazuh's extra escaping undone once (see the
 * head of this file). Only a string holding a backslash or an ampersand
 * is copied (into the event's store); every other value points into the
 * tree as it is.
 */
static struct s2q_value unescaped(struct s2q_event *ev, const cJSON *item)
{
    struct s2q_value v = s2q_value_of(item);
    char *out;

    if (v.kind != S2Q_KIND_STRING || (memchr(v.str, '\\', v.len) == NULL &&
                                      memchr(v.str, '&', v.len) == NULL)) {
        return v;
    }
    out = s2q_event_strdup(ev, v.str, v.len);
    v.len = decode(out, v.len, '\\');
    v.len = decode(out, v.len, '&');
    v.str = out;
    return v;
}

/* Add every member of win.eventdata, its name's first letter upper-cased
 * and its value unescaped. */
static void read_event_data(struct s2q_event *ev, const cJSON *data)
{
    const cJSON *it;

    if (!cJSON_IsObject(data)) {
        return;
    }
    cJSON_ArrayForEach(it, data) {
        const char *name = it->string;
        struct s2q_value v;

        if (islower((unsigned char)name[0])) {
            char *copy = s2q_event_strdup(ev, name, strlen(name));

            copy[0] = (char)toupper((unsigned char)copy[0]);
            name = copy;
        }
        v = unescaped(ev, it);
        s2q_event_add(ev, name, &v);
    }
}

bool s2q_wazuh_match(const cJSON *root)
{
    return find_win(root) != NULL;
}

int s2q_wazuh_read(const cJSON *root, struct s2q_event *ev, char *err,
                   size_t errlen)
{
    const cJSON *win = find_win(root);
    const cJSON *sys = s2q_member(win, "system");

    if (s2q_read_event_id(s2q_member(sys, "eventID"), ev, err, errlen) !=
        0) {
        return -1;
    }
    ev->provider = unescaped(ev, s2q_member(sys, "providerName"));
    ev->version = unescaped(ev, s2q_member(sys, "version"));
    ev->level = unescaped(ev, s2q_member(sys, "level"));
    ev->channel = unescaped(ev, s2q_member(sys, "channel"));
    ev->computer = unescaped(ev, s2q_member(sys, "computer"));
    ev->record_id = unescaped(ev, s2q_member(sys, "eventRecordID"));
    ev->process_id = unescaped(ev, s2q_member(sys, "processID"));
    ev->user_id = unescaped(ev, s2q_member(sys, "securityUserID"));
    ev->times[0] = unescaped(ev, s2q_member(sys, "systemTime"));
    ev->ntimes = 1;
    ev->utc_time_first = false;
    read_event_data(ev, s2q_member(win, "eventdata"));
    return 0;
}
