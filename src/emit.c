/*
 * emit.c - write a mapped record as one JSON object.
 *
 * The text is written straight from the token slots and the canonical
 * event into the output buffer: tokens in their fixed order, then the
 * leftover fields, every leftover value as a JSON string. Leftovers of a
 * known event come in the order of the event's fields in the Sysmon
 * schema, then any others in input order: exporters that sort or shuffle
 * keys (Winlogbeat writes EventData sorted by name, Wazuh and Logstash in
 * no fixed order) then give the same line as the event log itself.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "s2q/buf.h"
#include "s2q/fields.h"
#include "s2q/map.h"
#include "s2q/tables.h"
#include "s2q/value.h"

/* Separator and indentation before a member. */
static void put_sep(struct s2q_buf *b, bool first, bool pretty)
{
    if (!first) {
        s2q_buf_putc(b, ',');
    }
    if (pretty) {
        s2q_buf_put(b, "\n  ", 3);
    }
}

/* A key and its colon. */
static void put_key(struct s2q_buf *b, const char *key, bool pretty,
                    struct s2q_out *out)
{
    out->warnings[S2Q_WARN_UTF8] +=
        (unsigned)s2q_json_put_string(b, key, strlen(key));
    if (pretty) {
        s2q_buf_put(b, ": ", 2);
    } else {
        s2q_buf_putc(b, ':');
    }
}

/* A token's value: a JSON number or string. */
static void put_slot(struct s2q_buf *b, const struct s2q_slot *s,
                     struct s2q_out *out)
{
    if (s->is_number) {
        char num[S2Q_UINT_BUFSZ];

        s2q_buf_put(b, num, s2q_format_uint(s->num, num));
        return;
    }
    out->warnings[S2Q_WARN_UTF8] +=
        (unsigned)s2q_json_put_string(b, s->str, s->len);
}

/* A leftover value, always as a JSON string. */
static void put_leftover(struct s2q_buf *b, const struct s2q_field *f,
                         struct s2q_out *out)
{
    const struct s2q_value *v = &f->value;
    char text[S2Q_NUMBER_BUFSZ > S2Q_GUID_BUFSZ ? S2Q_NUMBER_BUFSZ
                                                 : S2Q_GUID_BUFSZ];
    size_t bad = 0;
    size_t n;

    switch (v->kind) {
    case S2Q_KIND_STRING:
        if (s2q_field_is_guid(f->id) &&
            s2q_guid_canon(v->str, v->len, text)) {
            s2q_json_put_string(b, text, S2Q_GUID_BUFSZ - 1);
        } else {
            bad = s2q_json_put_string(b, v->str, v->len);
        }
        break;
    case S2Q_KIND_NUMBER:
        n = s2q_format_number(v->num, text);
        s2q_json_put_string(b, text, n);
        break;
    case S2Q_KIND_BOOL:
        s2q_buf_puts(b, v->boolean ? "\"true\"" : "\"false\"");
        break;
    case S2Q_KIND_NESTED:
        out->scratch->len = 0;
        bad = s2q_json_put_node(out->scratch, v->node);
        s2q_json_put_string(b, out->scratch->data, out->scratch->len);
        break;
    case S2Q_KIND_ABSENT:
    case S2Q_KIND_NULL:
        s2q_buf_put(b, "\"\"", 2);
        break;
    }
    out->warnings[S2Q_WARN_UTF8] += (unsigned)bad;
}

/* One leftover member. */
static void put_member(struct s2q_buf *b, const struct s2q_field *f,
                       bool *first, bool pretty, struct s2q_out *out)
{
    put_sep(b, *first, pretty);
    *first = false;
    put_key(b, f->name, pretty, out);
    put_leftover(b, f, out);
}

/* The place of a leftover in the output: its field's position in the
 * event's schema layout, else after them all, in input order. */
static size_t leftover_rank(const struct s2q_event *ev, size_t i,
                            bool known_id)
{
    unsigned pos = known_id ? s2q_field_order(ev->event_id,
                                              ev->fields[i].id)
                            : S2Q_ORDER_NONE;

    return pos != S2Q_ORDER_NONE ? pos : S2Q_ORDER_NONE + i;
}

/* The leftovers: schema order first for a known event, then the rest in
 * input order. */
static void put_leftovers(struct s2q_buf *b, const struct s2q_event *ev,
                          struct s2q_out *out, bool *first, bool pretty)
{
    size_t n = 0;

    if (ev->nfields > out->norder_cap) {
        out->norder_cap = ev->nfields * 2;
        out->order = s2q_xrealloc(out->order,
                                  out->norder_cap * sizeof(*out->order));
    }
    for (size_t i = 0; i < ev->nfields; i++) {
        size_t rank;
        size_t j;

        if (!out->leftover[i]) {
            continue;
        }
        rank = leftover_rank(ev, i, out->known_id);
        /* insertion sort: fields mostly arrive in order already */
        for (j = n; j > 0 && leftover_rank(ev, out->order[j - 1],
                                           out->known_id) > rank;
             j--) {
            out->order[j] = out->order[j - 1];
        }
        out->order[j] = i;
        n++;
    }
    for (size_t k = 0; k < n; k++) {
        put_member(b, &ev->fields[out->order[k]], first, pretty, out);
    }
}

/* Every token's key as written in compact output, with the comma that
 * comes before it: ,"deviceType": */
static char key_text[S2Q_TOK_COUNT][32];
static size_t key_len[S2Q_TOK_COUNT];
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

/* Build key_text (run once). */
static void make_keys(void)
{
    for (int t = 0; t < S2Q_TOK_COUNT; t++) {
        key_len[t] = (size_t)snprintf(key_text[t], sizeof(key_text[t]),
                                      ",\"%s\":",
                                      s2q_token_name((enum s2q_token)t));
    }
}

/* A token's key: from the prepared text, or indented. */
static void put_token_key(struct s2q_buf *b, int t, bool first, bool pretty)
{
    if (!pretty) {
        s2q_buf_put(b, key_text[t] + first, key_len[t] - first);
        return;
    }
    put_sep(b, first, pretty);
    s2q_buf_put(b, key_text[t] + 1, key_len[t] - 1);
    s2q_buf_putc(b, ' ');
}

/* --fields: only the names asked for, in their order, when present. */
static void put_picks(struct s2q_buf *b, const struct s2q_event *ev,
                      struct s2q_out *out, const struct s2q_map_opts *o,
                      bool pretty)
{
    bool first = true;

    for (size_t i = 0; i < o->npicks; i++) {
        const struct s2q_pick *p = &o->picks[i];
        const struct s2q_field *f;

        if (p->token != S2Q_TOK_NONE) {
            if (out->tok[p->token].set) {
                put_token_key(b, p->token, first, pretty);
                first = false;
                put_slot(b, &out->tok[p->token], out);
            }
            continue;
        }
        f = s2q_event_find(ev, p->name);
        if (f != NULL && out->leftover[f - ev->fields]) {
            put_member(b, f, &first, pretty, out);
        }
    }
    if (pretty && !first) {
        s2q_buf_putc(b, '\n');
    }
}

void s2q_emit_record(struct s2q_buf *b, const struct s2q_event *ev,
                     struct s2q_out *out, const struct s2q_map_opts *o,
                     bool pretty)
{
    bool first = true;

    pthread_once(&keys_once, make_keys);
    if (o->npicks > 0) {
        s2q_buf_putc(b, '{');
        put_picks(b, ev, out, o, pretty);
        s2q_buf_put(b, "}\n", 2);
        return;
    }
    s2q_buf_putc(b, '{');
    for (int t = 0; t < S2Q_TOK_COUNT; t++) {
        if (!out->tok[t].set) {
            continue;
        }
        put_token_key(b, t, first, pretty);
        first = false;
        put_slot(b, &out->tok[t], out);
    }
    if (!o->mapped_only) {
        put_leftovers(b, ev, out, &first, pretty);
    }
    if (pretty && !first) {
        s2q_buf_putc(b, '\n');
    }
    s2q_buf_put(b, "}\n", 2);
}
