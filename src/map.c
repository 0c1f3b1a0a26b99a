/*
 * map.c - apply the mapping tables to a canonical event.
 *
 * For one event: every EventData field that a table knows is converted
 * into its token(s), the event's own table first, then the default table
 * by rank; then the derived tokens (eventName, action, outcome) and the
 * System tokens fill what is still free. A field whose value could not be
 * placed whole stays a leftover, written under its own name.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "s2q/buf.h"
#include "s2q/fields.h"
#include "s2q/map.h"
#include "s2q/tables.h"
#include "s2q/uuid5.h"
#include "s2q/value.h"

static const char *const warn_names[S2Q_WARN_COUNT] = {
    [S2Q_WARN_TIME] = "time",
    [S2Q_WARN_NUMBER] = "number",
    [S2Q_WARN_HEX] = "hex",
    [S2Q_WARN_HASH] = "hash",
    [S2Q_WARN_IP] = "ip",
    [S2Q_WARN_CLIENTINFO] = "clientinfo",
    [S2Q_WARN_SEVERITY] = "severity",
    [S2Q_WARN_SYSTEM] = "system",
    [S2Q_WARN_LAYOUT] = "layout",
    [S2Q_WARN_UTF8] = "utf8",
    [S2Q_WARN_UNKNOWN_ID] = "unknown-event-id",
};

/* Ids of the fields mapping reads by name, looked up once. */
static struct {
    int utc_time;
    int query_status;
} known;

static pthread_once_t known_once = PTHREAD_ONCE_INIT;

/* Look up the ids of the fields above (run once). */
static void find_known(void)
{
    known.utc_time = s2q_field_id("UtcTime");
    known.query_status = s2q_field_id("QueryStatus");
}

const char *s2q_warn_name(enum s2q_warn w)
{
    return warn_names[w];
}

void s2q_out_init(struct s2q_out *out)
{
    pthread_once(&known_once, find_known);
    memset(out, 0, sizeof(*out));
    out->scratch = s2q_xmalloc(sizeof(*out->scratch));
    s2q_buf_init(out->scratch);
}

void s2q_out_free(struct s2q_out *out)
{
    free(out->leftover);
    free(out->order);
    s2q_uuid5_free(out->uuid5);
    free(out->devid);
    if (out->scratch != NULL) {
        s2q_buf_free(out->scratch);
        free(out->scratch);
    }
    memset(out, 0, sizeof(*out));
}

/* Clear the result for a new event with nfields EventData fields. */
static void out_reset(struct s2q_out *out, size_t nfields)
{
    for (int i = 0; i < S2Q_TOK_COUNT; i++) {
        out->tok[i].set = false;
    }
    if (nfields > out->nleftover_cap) {
        out->nleftover_cap = nfields * 2;
        out->leftover = s2q_xrealloc(out->leftover, out->nleftover_cap);
    }
    if (nfields > 0) {
        memset(out->leftover, 0, nfields);
    }
    memset(out->warnings, 0, sizeof(out->warnings));
    out->nnotes = 0;
    out->known_id = false;
}

/* Count a warning about a field, and keep a note of it for messages. */
static void warn(struct s2q_out *out, enum s2q_warn kind, const char *field)
{
    out->warnings[kind]++;
    if (out->nnotes < S2Q_MAX_NOTES) {
        out->notes[out->nnotes].kind = kind;
        out->notes[out->nnotes].field = field;
        out->nnotes++;
    }
}

/* ---- setting tokens ---- */

/* Claim a token's slot; NULL when an earlier source already set it. */
static struct s2q_slot *claim(struct s2q_out *out, enum s2q_token tok)
{
    struct s2q_slot *s = &out->tok[tok];

    if (s->set) {
        return NULL;
    }
    s->set = true;
    s->is_number = false;
    return s;
}

/* Set a token to text that outlives the mapped record. */
static bool set_str(struct s2q_out *out, enum s2q_token tok, const char *p,
                    size_t n)
{
    struct s2q_slot *s = claim(out, tok);

    if (s == NULL) {
        return false;
    }
    s->str = p;
    s->len = n;
    return true;
}

/* Set a token to a copy of short text (at most sizeof(buf) - 1 bytes). */
static bool set_copy(struct s2q_out *out, enum s2q_token tok, const char *p)
{
    struct s2q_slot *s = claim(out, tok);
    size_t n = strlen(p);

    if (s == NULL) {
        return false;
    }
    memcpy(s->buf, p, n + 1);
    s->str = s->buf;
    s->len = n;
    return true;
}

/* Set a token to a JSON number. */
static bool set_num(struct s2q_out *out, enum s2q_token tok, uint64_t n)
{
    struct s2q_slot *s = claim(out, tok);

    if (s == NULL) {
        return false;
    }
    s->is_number = true;
    s->num = n;
    return true;
}

/*
 * Set a token from a value as text: strings as given, numbers and
 * booleans as their text. Nested values are no text.
 */
static bool set_text(struct s2q_out *out, enum s2q_token tok,
                     const struct s2q_value *v)
{
    struct s2q_slot *s;

    switch (v->kind) {
    case S2Q_KIND_STRING:
        return set_str(out, tok, v->str, v->len);
    case S2Q_KIND_NUMBER:
        s = claim(out, tok);
        if (s == NULL) {
            return false;
        }
        s->len = s2q_format_number(v->num, s->buf);
        s->str = s->buf;
        return true;
    case S2Q_KIND_BOOL:
        return set_copy(out, tok, v->boolean ? "true" : "false");
    case S2Q_KIND_ABSENT:
    case S2Q_KIND_NULL:
    case S2Q_KIND_NESTED:
        return false;
    }
    return false;
}

/*
 * Does the text of a number that reads as 0 have a digit other than 0
 * before its exponent (1e-400, too small for a double)?
 */
static bool underflows(const struct s2q_value *v)
{
    if (v->num != 0 || v->str == NULL) {
        return false;
    }
    for (size_t i = 0; i < v->len && v->str[i] != 'e' && v->str[i] != 'E';
         i++) {
        if (v->str[i] >= '1' && v->str[i] <= '9') {
            return true;
        }
    }
    return false;
}

/*
 * Read an unsigned integer given as a JSON number or a digit string. A
 * number whose text is known is read from it, exactly at any size; else
 * its value must be whole (1e3, 7.0), and not a fraction too small to
 * hold (1e-400).
 */
static bool value_uint(const struct s2q_value *v, uint64_t max,
                       uint64_t *n)
{
    if (v->kind == S2Q_KIND_NUMBER) {
        if (v->str != NULL && s2q_parse_uint(v->str, v->len, max, n)) {
            return true;
        }
        return !underflows(v) && s2q_double_to_uint(v->num, max, n);
    }
    if (v->kind == S2Q_KIND_STRING) {
        return s2q_parse_uint(v->str, v->len, max, n);
    }
    return false;
}

/* ---- conversions of EventData fields ---- */

/* True for the fields whose name says that a zone-less time is UTC. */
static bool names_utc(const char *field)
{
    size_t n = strlen(field);

    return n >= 7 && strcmp(field + n - 7, "UtcTime") == 0;
}

/* Place the hashes of a hash list. @return true when placed whole. */
static bool conv_hashes(struct s2q_out *out, const struct s2q_field *f)
{
    struct s2q_hashes h;
    bool whole;

    if (f->value.kind != S2Q_KIND_STRING) {
        warn(out, S2Q_WARN_HASH, f->name);
        return false;
    }
    s2q_hashes_parse(f->value.str, f->value.len, &h);
    whole = h.complete;
    if (!whole) {
        warn(out, S2Q_WARN_HASH, f->name);
    }
    if (h.md5[0] != '\0' && !set_copy(out, S2Q_TOK_MD5_HASH, h.md5)) {
        whole = false;
    }
    if (h.sha1[0] != '\0' && !set_copy(out, S2Q_TOK_SHA1_HASH, h.sha1)) {
        whole = false;
    }
    if (h.sha256[0] != '\0' &&
        !set_copy(out, S2Q_TOK_SHA256_HASH, h.sha256)) {
        whole = false;
    }
    if (h.imphash[0] != '\0' &&
        !set_copy(out, S2Q_TOK_IMPHASH, h.imphash)) {
        whole = false;
    }
    return whole;
}

/*
 * Place an address in the IPv4 or the IPv6 token of a row.
 * *parsed tells whether the text was an address at all.
 */
static bool place_ip(struct s2q_out *out, const char *p, size_t n,
                     enum s2q_token v4, enum s2q_token v6, bool *parsed)
{
    char text[S2Q_IP_BUFSZ];

    *parsed = true;
    switch (s2q_ip_parse(p, n, text)) {
    case S2Q_IP_V4:
        return set_copy(out, v4, text);
    case S2Q_IP_V6:
        return set_copy(out, v6, text);
    case S2Q_IP_NONE:
        break;
    }
    *parsed = false;
    return false;
}

/* Place the parts of a ClientInfo value. @return true when placed whole. */
static bool conv_clientinfo(struct s2q_out *out, const struct s2q_field *f)
{
    struct s2q_clientinfo ci;
    bool whole;
    bool parsed;

    if (f->value.kind != S2Q_KIND_STRING) {
        warn(out, S2Q_WARN_CLIENTINFO, f->name);
        return false;
    }
    s2q_clientinfo_parse(f->value.str, f->value.len, &ci);
    whole = ci.complete;
    if (ci.ip != NULL &&
        !place_ip(out, ci.ip, ci.ip_len, S2Q_TOK_SOURCE_IPV4,
                  S2Q_TOK_SOURCE_IPV6, &parsed)) {
        whole = false;
        if (!parsed) {
            ci.complete = false;
        }
    }
    if (!ci.complete) {
        warn(out, S2Q_WARN_CLIENTINFO, f->name);
    }
    if (ci.user != NULL &&
        !set_str(out, S2Q_TOK_SOURCE_USER, ci.user, ci.user_len)) {
        whole = false;
    }
    if (ci.hostname != NULL &&
        !set_str(out, S2Q_TOK_SOURCE_HOST, ci.hostname, ci.hostname_len)) {
        whole = false;
    }
    return whole;
}

/* Convert a time field into its token. */
static bool conv_time(struct s2q_out *out, const struct s2q_field *f,
                      enum s2q_token tok)
{
    int64_t ms;
    char text[S2Q_TIME_LEN + 1];

    if (f->value.kind != S2Q_KIND_STRING ||
        s2q_time_parse(f->value.str, f->value.len, names_utc(f->name),
                       &ms) != S2Q_TIME_OK) {
        warn(out, S2Q_WARN_TIME, f->name);
        return false;
    }
    s2q_time_format(ms, text);
    return set_copy(out, tok, text);
}

/* Convert a hex field into its canonical form. */
static bool conv_hex(struct s2q_out *out, const struct s2q_field *f,
                     enum s2q_token tok)
{
    char text[S2Q_HEX_BUFSZ];
    uint64_t n;
    bool ok = false;

    if (f->value.kind == S2Q_KIND_STRING) {
        ok = s2q_hex_canon(f->value.str, f->value.len, text);
    } else if (f->value.kind == S2Q_KIND_NUMBER &&
               s2q_double_to_uint(f->value.num, S2Q_MAX_SAFE_INT, &n)) {
        s2q_hex_from_uint(n, text);
        ok = true;
    }
    if (!ok) {
        warn(out, S2Q_WARN_HEX, f->name);
        return false;
    }
    return set_copy(out, tok, text);
}

/*
 * Apply one table row to its field.
 * @return true when the value was placed whole (it is then no leftover).
 */
static bool apply_row(struct s2q_out *out, const struct s2q_field_map *row,
                      const struct s2q_field *f)
{
    uint64_t n;
    bool ok;
    bool parsed = false;

    switch (row->conv) {
    case S2Q_CONV_TEXT:
        ok = set_text(out, row->token, &f->value);
        if (row->token2 != S2Q_TOK_NONE) {
            ok = set_text(out, row->token2, &f->value) && ok;
        }
        return ok;
    case S2Q_CONV_UINT:
    case S2Q_CONV_PORT:
        if (!value_uint(&f->value, row->conv == S2Q_CONV_PORT
                                       ? 65535 : S2Q_MAX_SAFE_INT, &n)) {
            warn(out, S2Q_WARN_NUMBER, f->name);
            return false;
        }
        return set_num(out, row->token, n);
    case S2Q_CONV_HEX:
        return conv_hex(out, f, row->token);
    case S2Q_CONV_HASHES:
        return conv_hashes(out, f);
    case S2Q_CONV_IP:
        ok = f->value.kind == S2Q_KIND_STRING &&
             place_ip(out, f->value.str, f->value.len, row->token,
                      row->token2, &parsed);
        if (f->value.kind != S2Q_KIND_STRING || !parsed) {
            warn(out, S2Q_WARN_IP, f->name);
        }
        return ok;
    case S2Q_CONV_TIME:
        return conv_time(out, f, row->token);
    case S2Q_CONV_CLIENTINFO:
        return conv_clientinfo(out, f);
    }
    return false;
}

/* A field matched by a table row, waiting to be applied in rank order. */
struct hit {
    unsigned rank;
    size_t field;
    const struct s2q_field_map *row;
};

/*
 * Map the EventData fields: find each field's row (the event's own table
 * first, then the default table), apply the rows in precedence order, and
 * mark every non-placeholder value that was not placed whole as leftover.
 */
static void map_fields(const struct s2q_event *ev,
                       const struct s2q_event_map *em, struct s2q_out *out)
{
    struct hit stack_hits[64];
    struct hit *hits = stack_hits;
    size_t nhits = 0;

    if (ev->nfields > 64) {
        hits = s2q_xmalloc(ev->nfields * sizeof(*hits));
    }
    for (size_t i = 0; i < ev->nfields; i++) {
        const struct s2q_field *f = &ev->fields[i];
        const struct s2q_field_map *row;
        const struct s2q_default_row *drow;
        struct hit h;
        size_t j;

        if (s2q_value_is_placeholder(&f->value)) {
            continue;
        }
        if (f->id == S2Q_FIELD_NONE) {
            out->leftover[i] = true;
            continue;
        }
        row = em != NULL && em->nfields > 0 ? s2q_event_row_find(em, f->name)
                                            : NULL;
        drow = row == NULL ? s2q_field_default_row(f->id) : NULL;
        if (row == NULL && drow == NULL) {
            out->leftover[i] = true;
            continue;
        }
        h.field = i;
        h.row = row != NULL ? row : &drow->map;
        h.rank = row != NULL ? (unsigned)(row - em->fields)
                             : 1000 + drow->rank;
        /* insertion sort by rank: the lists are short */
        for (j = nhits; j > 0 && hits[j - 1].rank > h.rank; j--) {
            hits[j] = hits[j - 1];
        }
        hits[j] = h;
        nhits++;
    }
    for (size_t k = 0; k < nhits; k++) {
        const struct s2q_field *f = &ev->fields[hits[k].field];

        if (!apply_row(out, hits[k].row, f)) {
            out->leftover[hits[k].field] = true;
        }
    }
    if (hits != stack_hits) {
        free(hits);
    }
}

/* ---- System and derived tokens ---- */

/*
 * The time of the event: the first System time that has a zone and
 * parses, or the event's UtcTime, in the order the shape asks for.
 */
static void map_event_time(const struct s2q_event *ev, const char *utc,
                           struct s2q_out *out)
{
    char text[S2Q_TIME_LEN + 1];
    int64_t ms;

    if (ev->utc_time_first && utc != NULL) {
        set_copy(out, S2Q_TOK_EVENT_TIME, utc);
        return;
    }
    for (size_t i = 0; i < ev->ntimes; i++) {
        const struct s2q_value *t = &ev->times[i];
        enum s2q_time_status st;

        if (s2q_value_is_placeholder(t)) {
            continue;
        }
        st = t->kind == S2Q_KIND_STRING
                 ? s2q_time_parse(t->str, t->len, false, &ms)
                 : S2Q_TIME_BAD;
        if (st == S2Q_TIME_OK) {
            s2q_time_format(ms, text);
            set_copy(out, S2Q_TOK_EVENT_TIME, text);
            return;
        }
        if (st == S2Q_TIME_BAD) {
            warn(out, S2Q_WARN_TIME, "SystemTime");
        }
    }
    if (utc != NULL) {
        set_copy(out, S2Q_TOK_EVENT_TIME, utc);
    }
}

/* deviceSeverity from the System Level. */
static void map_severity(const struct s2q_value *level,
                         struct s2q_out *out)
{
    const char *name = NULL;

    if (s2q_value_is_placeholder(level)) {
        return;
    }
    if (level->kind == S2Q_KIND_NESTED) {
        warn(out, S2Q_WARN_SYSTEM, "Level");
        return;
    }
    if (level->kind == S2Q_KIND_NUMBER) {
        name = s2q_severity_number(level->num);
    } else if (level->kind == S2Q_KIND_STRING) {
        name = s2q_severity_name(level->str, level->len);
    }
    if (name != NULL) {
        set_str(out, S2Q_TOK_DEVICE_SEVERITY, name, strlen(name));
        return;
    }
    warn(out, S2Q_WARN_SEVERITY, "Level");
    set_text(out, S2Q_TOK_DEVICE_SEVERITY, level);
}

/* A System number (Version, EventRecordID, ProcessID) into a token. */
static void map_system_uint(const struct s2q_value *v, enum s2q_token tok,
                            const char *field, struct s2q_out *out)
{
    uint64_t n;

    if (s2q_value_is_placeholder(v)) {
        return;
    }
    if (!value_uint(v, S2Q_MAX_SAFE_INT, &n)) {
        warn(out, S2Q_WARN_SYSTEM, field);
        return;
    }
    set_num(out, tok, n);
}

/* A System text (Computer, Channel) into a token. */
static void map_system_text(const struct s2q_value *v, enum s2q_token tok,
                            const char *field, struct s2q_out *out)
{
    if (s2q_value_is_placeholder(v)) {
        return;
    }
    if (!set_text(out, tok, v) && v->kind == S2Q_KIND_NESTED) {
        warn(out, S2Q_WARN_SYSTEM, field);
    }
}

/* sourceUser from the System SID (Sysmon's own events only). */
static void map_system_user(const struct s2q_value *sid, struct s2q_out *out)
{
    const char *name;

    if (s2q_value_is_placeholder(sid)) {
        return;
    }
    if (sid->kind == S2Q_KIND_STRING) {
        name = s2q_sid_name(sid->str, sid->len);
        if (name != NULL) {
            set_str(out, S2Q_TOK_SOURCE_USER, name, strlen(name));
            return;
        }
    }
    map_system_text(sid, S2Q_TOK_SOURCE_USER, "UserID", out);
}

/* deviceEventId: "<provider>:<event ID>". */
static void map_device_event_id(const char *provider, size_t plen,
                                unsigned id, struct s2q_out *out)
{
    size_t need = plen + 1 + S2Q_UINT_BUFSZ;
    size_t n;

    if (need > out->devid_cap) {
        out->devid_cap = need * 2;
        out->devid = s2q_xrealloc(out->devid, out->devid_cap);
    }
    memcpy(out->devid, provider, plen);
    out->devid[plen] = ':';
    n = s2q_format_uint(id, out->devid + plen + 1);
    set_str(out, S2Q_TOK_DEVICE_EVENT_ID, out->devid, plen + 1 + n);
}

/*
 * The event's UtcTime in the output form, written into text; NULL when it
 * is absent or unparseable (counted as a warning).
 */
static const char *utc_time(const struct s2q_event *ev, struct s2q_out *out,
                            char text[S2Q_TIME_LEN + 1])
{
    const struct s2q_field *f = s2q_event_find_id(ev, known.utc_time);
    int64_t ms;

    if (f == NULL || s2q_value_is_placeholder(&f->value)) {
        return NULL;
    }
    if (f->value.kind == S2Q_KIND_STRING &&
        s2q_time_parse(f->value.str, f->value.len, true, &ms) ==
            S2Q_TIME_OK) {
        s2q_time_format(ms, text);
        return text;
    }
    warn(out, S2Q_WARN_TIME, "UtcTime");
    return NULL;
}

/* Append a token's text (or nothing when unset) and a newline. */
static void put_line(struct s2q_buf *b, const struct s2q_slot *s)
{
    if (s->set && s->is_number) {
        char num[S2Q_UINT_BUFSZ];

        s2q_buf_put(b, num, s2q_format_uint(s->num, num));
    } else if (s->set) {
        s2q_buf_put(b, s->str, s->len);
    }
}

/*
 * eventId: a version 5 UUID over the fields that identify the event, so
 * that converting it twice, or from two export shapes, gives one id.
 */
static void map_event_id(const struct s2q_map_opts *o, const char *utc,
                         struct s2q_out *out)
{
    static const enum s2q_token parts[] = {
        S2Q_TOK_DEVICE_HOST, S2Q_TOK_EVENT_TYPE, S2Q_TOK_DEVICE_EVENT_ID,
        S2Q_TOK_BASE_EVENT_ID,
    };
    struct s2q_buf *b = out->scratch;
    struct s2q_slot *s;

    b->len = 0;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        put_line(b, &out->tok[parts[i]]);
        s2q_buf_putc(b, '\n');
    }
    if (utc != NULL) {
        s2q_buf_put(b, utc, S2Q_TIME_LEN);
    }
    if (!s2q_uuid5_has_namespace(out->uuid5, o->namespace_uuid)) {
        s2q_uuid5_free(out->uuid5);
        out->uuid5 = s2q_uuid5_new(o->namespace_uuid);
    }
    s = claim(out, S2Q_TOK_EVENT_ID);
    if (s != NULL) {
        s2q_uuid5_make(out->uuid5, b->data, b->len, s->buf);
        s->str = s->buf;
        s->len = S2Q_UUID_LEN;
    }
}

/* The internal tokens asked for on the command line. */
static void map_internal(const struct s2q_map_opts *o, struct s2q_out *out)
{
    if (o->customer_id != NULL) {
        set_copy(out, S2Q_TOK_CUSTOMER_ID, o->customer_id);
    }
    if (o->collector_id != NULL) {
        set_copy(out, S2Q_TOK_COLLECTOR_ID, o->collector_id);
    }
    if (o->event_source_id != NULL) {
        set_copy(out, S2Q_TOK_EVENT_SOURCE_ID, o->event_source_id);
    }
    if (o->received_time != NULL) {
        set_copy(out, S2Q_TOK_COLLECTOR_RECEIVED_TIME, o->received_time);
    }
}

/* The System tokens every record gets. */
static void map_system(const struct s2q_event *ev, struct s2q_out *out)
{
    map_severity(&ev->level, out);
    map_system_text(&ev->computer, S2Q_TOK_DEVICE_HOST, "Computer", out);
    map_system_text(&ev->channel, S2Q_TOK_EVENT_TYPE, "Channel", out);
    map_system_uint(&ev->version, S2Q_TOK_VERSION, "Version", out);
    map_system_uint(&ev->record_id, S2Q_TOK_BASE_EVENT_ID,
                    "EventRecordID", out);
}

/* The names Sysmon's providers and channels go by. */
static const struct {
    const char *provider;
    const char *channel;
} sysmon_sources[] = {
    { "Microsoft-Windows-Sysmon", "Microsoft-Windows-Sysmon/Operational" },
    { "Linux-Sysmon", "Linux-Sysmon/Operational" },
};

/* Case-insensitive comparison of a value's text with a name. */
static bool text_is(const struct s2q_value *v, const char *name)
{
    return v->kind == S2Q_KIND_STRING && v->len == strlen(name) &&
           strncasecmp(v->str, name, v->len) == 0;
}

bool s2q_map_is_sysmon(const struct s2q_event *ev, const char **provider,
                       size_t *provider_len)
{
    bool named = !s2q_value_is_placeholder(&ev->provider);
    size_t n = sizeof(sysmon_sources) / sizeof(sysmon_sources[0]);

    for (size_t i = 0; i < n; i++) {
        if ((named && text_is(&ev->provider, sysmon_sources[i].provider)) ||
            (!named && text_is(&ev->channel, sysmon_sources[i].channel))) {
            *provider = sysmon_sources[i].provider;
            *provider_len = strlen(*provider);
            return true;
        }
    }
    *provider = NULL;
    *provider_len = 0;
    if (named && ev->provider.kind == S2Q_KIND_STRING) {
        *provider = ev->provider.str;
        *provider_len = ev->provider.len;
    }
    return false;
}

/* outcome of a known event. */
static const char *outcome_of(const struct s2q_event *ev,
                              const struct s2q_event_map *em)
{
    const struct s2q_field *f;
    uint64_t n;

    if (em == NULL) {
        return "Success";
    }
    switch (em->outcome) {
    case S2Q_OUTCOME_SUCCESS:
        return "Success";
    case S2Q_OUTCOME_FAILURE:
        return "Failure";
    case S2Q_OUTCOME_QUERY_STATUS:
        f = s2q_event_find_id(ev, known.query_status);
        if (f == NULL || s2q_value_is_placeholder(&f->value) ||
            (value_uint(&f->value, S2Q_MAX_SAFE_INT, &n) && n == 0)) {
            return "Success";
        }
        return "Failure";
    }
    return "Success";
}

void s2q_map_event(const struct s2q_event *ev, const struct s2q_map_opts *o,
                   struct s2q_out *out)
{
    const struct s2q_event_map *em = s2q_event_map_find(ev->event_id);
    const char *provider;
    size_t plen;
    char utc_text[S2Q_TIME_LEN + 1];
    const char *utc;

    out_reset(out, ev->nfields);
    out->known_id = em != NULL;
    if (em == NULL) {
        warn(out, S2Q_WARN_UNKNOWN_ID, "EventID");
    }
    if (ev->unnamed_values) {
        warn(out, S2Q_WARN_LAYOUT, "Properties");
    }
    set_str(out, S2Q_TOK_DEVICE_TYPE, "Application", 11);
    set_str(out, S2Q_TOK_DEVICE_VENDOR, "Microsoft", 9);
    set_str(out, S2Q_TOK_DEVICE_MODEL, "Sysmon", 6);
    map_internal(o, out);
    map_fields(ev, em, out);

    s2q_map_is_sysmon(ev, &provider, &plen);
    if (provider != NULL) {
        map_device_event_id(provider, plen, ev->event_id, out);
    }
    if (em != NULL) {
        set_str(out, S2Q_TOK_EVENT_NAME, em->name, strlen(em->name));
        set_str(out, S2Q_TOK_ACTION, em->action, strlen(em->action));
    } else {
        struct s2q_slot *s = claim(out, S2Q_TOK_EVENT_NAME);

        if (s != NULL) {
            s->len = (size_t)snprintf(s->buf, sizeof(s->buf),
                                      "Sysmon event %u", ev->event_id);
            s->str = s->buf;
        }
    }
    set_copy(out, S2Q_TOK_OUTCOME, outcome_of(ev, em));

    utc = utc_time(ev, out, utc_text);
    map_event_time(ev, utc, out);
    map_system(ev, out);
    if (em != NULL && em->self) {
        map_system_uint(&ev->process_id, S2Q_TOK_PROCESS_ID, "ProcessID",
                        out);
        map_system_user(&ev->user_id, out);
    }
    map_event_id(o, utc, out);
}

void s2q_map_foreign(const struct s2q_event *ev, const struct s2q_map_opts *o,
                     struct s2q_out *out)
{
    const char *provider;
    size_t plen;
    char utc_text[S2Q_TIME_LEN + 1];
    const char *utc;

    out_reset(out, ev->nfields);
    map_internal(o, out);
    for (size_t i = 0; i < ev->nfields; i++) {
        out->leftover[i] = !s2q_value_is_placeholder(&ev->fields[i].value);
    }
    s2q_map_is_sysmon(ev, &provider, &plen);
    if (provider != NULL) {
        map_device_event_id(provider, plen, ev->event_id, out);
    }
    utc = utc_time(ev, out, utc_text);
    map_event_time(ev, utc, out);
    map_system(ev, out);
    map_event_id(o, utc, out);
}
