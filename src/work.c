/*
 * work.c - processing batches of records (see work.h): every record is
 * written, skipped or rejected, and its outcome noted for the count.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s2q/arena.h"
#include "s2q/json.h"
#include "s2q/shape.h"
#include "work.h"

void s2q_batch_init(struct s2q_batch *b)
{
    memset(b, 0, sizeof(*b));
    s2q_buf_init(&b->data);
    s2q_buf_init(&b->out);
    s2q_buf_init(&b->rej);
    s2q_buf_init(&b->msgs);
}

void s2q_batch_free(struct s2q_batch *b)
{
    s2q_buf_free(&b->data);
    s2q_buf_free(&b->out);
    s2q_buf_free(&b->rej);
    s2q_buf_free(&b->msgs);
    free(b->items);
    memset(b, 0, sizeof(*b));
}

void s2q_batch_clear(struct s2q_batch *b, const char *file)
{
    b->file = file;
    b->data.len = 0;
    b->out.len = 0;
    b->rej.len = 0;
    b->msgs.len = 0;
    b->nitems = 0;
    b->nwarnings = 0;
    b->lines = false;
    b->resume = SIZE_MAX;
}

struct s2q_item *s2q_batch_add(struct s2q_batch *b,
                               const struct s2q_record *rec, bool copy)
{
    struct s2q_item *it;

    if (b->nitems == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->items = s2q_xrealloc(b->items, b->cap * sizeof(*b->items));
    }
    it = &b->items[b->nitems++];
    memset(it, 0, sizeof(*it));
    it->off = b->data.len;
    it->len = rec->len;
    it->size = rec->size;
    it->line = rec->line;
    it->col = rec->col;
    it->frame = rec->frame;
    if (copy && rec->len > 0) {
        s2q_buf_put(&b->data, rec->data, rec->len);
    }
    return it;
}

void s2q_batch_message(struct s2q_batch *b, enum s2q_level level,
                       unsigned long line, const char *text)
{
    char head[1 + sizeof(line)];

    head[0] = (char)level;
    memcpy(head + 1, &line, sizeof(line));
    s2q_buf_put(&b->msgs, head, sizeof(head));
    s2q_buf_put(&b->msgs, text, strlen(text) + 1);
}

void s2q_worker_init(struct s2q_worker *w, const struct s2q_run_opts *o)
{
    w->o = o;
    w->parsed = NULL;
    s2q_event_init(&w->ev);
    s2q_out_init(&w->mapped);
}

bool s2q_worker_parse_line(void *w, const char *p, size_t n)
{
    struct s2q_worker *worker = w;
    struct s2q_json_error err;

    worker->parsed = s2q_json_parse(p, n, &err);
    if (worker->parsed == NULL) {
        s2q_arena_reset();
        return false;
    }
    return true;
}

void s2q_worker_free(struct s2q_worker *w)
{
    s2q_event_free(&w->ev);
    s2q_out_free(&w->mapped);
}

/* ---- rejects ---- */

/*
 * A rejects-file entry: {"file", "line", "error", "record"}, and
 * "record_base64" when the record is not valid UTF-8: "record" then has
 * U+FFFD for the bytes that are not, and only the base64 keeps them.
 */
static void put_reject(struct s2q_batch *b, const struct s2q_item *it,
                       const char *data, const char *msg)
{
    char num[24];
    int n = snprintf(num, sizeof(num), "%lu", it->line);

    s2q_buf_puts(&b->rej, "{\"file\":");
    s2q_json_put_string(&b->rej, b->file, strlen(b->file));
    s2q_buf_puts(&b->rej, ",\"line\":");
    s2q_buf_put(&b->rej, num, (size_t)n);
    s2q_buf_puts(&b->rej, ",\"error\":");
    s2q_json_put_string(&b->rej, msg, strlen(msg));
    s2q_buf_puts(&b->rej, ",\"record\":");
    if (s2q_json_put_string(&b->rej, data, it->len) > 0) {
        s2q_buf_puts(&b->rej, ",\"record_base64\":\"");
        s2q_buf_put_base64(&b->rej, data, it->len);
        s2q_buf_putc(&b->rej, '"');
    }
    s2q_buf_put(&b->rej, "}\n", 2);
}

/* Reject a record: its message, its rejects entry, its outcome. */
static void reject(struct s2q_worker *w, struct s2q_batch *b,
                   struct s2q_item *it, const char *data, const char *msg)
{
    s2q_batch_message(b, S2Q_LEVEL_ERROR, it->line, msg);
    if (w->o->rejects != NULL && !it->spilled) {
        put_reject(b, it, data, msg);
    }
    it->fate = S2Q_FATE_REJECTED;
}

/* ---- reading a record ---- */

/* Describe where the parser stopped, as a line and a column of the
 * input (the record starts at it->line, it->col). */
static void json_error(const struct s2q_item *it, const char *data,
                       const struct s2q_json_error *err, char *msg, size_t n)
{
    unsigned long line = it->line;
    size_t col = it->col;
    const char *what = "invalid JSON";

    switch (err->fault) {
    case S2Q_JSON_TOO_DEEP:
        snprintf(msg, n, "JSON nested deeper than %d levels",
                 S2Q_JSON_MAX_DEPTH);
        return;
    case S2Q_JSON_TRUNCATED:
        snprintf(msg, n, "invalid JSON: unexpected end of record");
        return;
    case S2Q_JSON_NUL_NAME:
        what = "member name holds a NUL character (\\u0000)";
        break;
    case S2Q_JSON_SYNTAX:
        break;
    }
    for (const char *p = data; p < err->at; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    snprintf(msg, n, "%s at line %lu, column %zu", what, line, col);
}

/*
 * Parse a record and read it into w->ev. @return the tree, or NULL after
 * rejecting the record.
 */
static cJSON *read_item(struct s2q_worker *w, struct s2q_batch *b,
                        struct s2q_item *it, const char *data)
{
    struct s2q_json_error err;
    cJSON *root = w->parsed;
    char msg[256];

    w->parsed = NULL;
    if (it->frame == S2Q_FRAME_OVERSIZE) {
        snprintf(msg, sizeof(msg),
                 "record of %zu bytes is larger than --max-record-size "
                 "(%zu bytes)", it->size, w->o->max_record);
        reject(w, b, it, data, msg);
        return NULL;
    }
    if (it->frame == S2Q_FRAME_CUT) {
        reject(w, b, it, data,
               "incomplete JSON value: the record is cut off");
        return NULL;
    }
    if (root == NULL) {
        root = s2q_json_parse(data, it->len, &err);
    }
    if (root == NULL) {
        json_error(it, data, &err, msg, sizeof(msg));
        reject(w, b, it, data, msg);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        reject(w, b, it, data, "not a JSON object");
        return NULL;
    }
    s2q_event_reset(&w->ev);
    if (s2q_shape_read(root, w->o->forced, &w->ev, msg, sizeof(msg)) != 0) {
        reject(w, b, it, data, msg);
        return NULL;
    }
    return root;
}

/* ---- writing a record ---- */

/* The messages of a record's warnings (kept up to the batch's limit). */
static void warning_messages(struct s2q_batch *b, const struct s2q_item *it,
                             const struct s2q_out *m, unsigned event_id)
{
    static const char *const what[S2Q_WARN_COUNT] = {
        [S2Q_WARN_TIME] = "is not a time in any accepted form",
        [S2Q_WARN_NUMBER] = "is not a whole number in range",
        [S2Q_WARN_HEX] = "is not a hex number",
        [S2Q_WARN_HASH] = "has a part that is not a known hash; kept whole",
        [S2Q_WARN_IP] = "is not an IP address",
        [S2Q_WARN_CLIENTINFO] = "has a part that was not understood; "
                                "kept whole",
        [S2Q_WARN_SEVERITY] = "is not a known severity; written as given",
        [S2Q_WARN_SYSTEM] = "is of the wrong type or form; left out",
        [S2Q_WARN_LAYOUT] = "has values that no known field layout names; "
                            "they are written as DataN",
        [S2Q_WARN_UTF8] = "record holds invalid UTF-8, written as U+FFFD",
        [S2Q_WARN_UNKNOWN_ID] = "is not in the mapping tables; mapped with "
                                "the default table",
    };
    char text[512];

    for (size_t i = 0; i < m->nnotes; i++) {
        enum s2q_warn kind = m->notes[i].kind;

        if (b->nwarnings >= S2Q_BATCH_WARNINGS) {
            /* Where the first warning dropped was: an empty text. */
            if (b->nwarnings == S2Q_BATCH_WARNINGS) {
                s2q_batch_message(b, S2Q_LEVEL_WARNING, it->line, "");
                b->nwarnings++;
            }
            return;
        }
        if (kind == S2Q_WARN_UTF8) {
            snprintf(text, sizeof(text), "%s", what[kind]);
        } else if (kind == S2Q_WARN_UNKNOWN_ID) {
            snprintf(text, sizeof(text), "event ID %u %s", event_id,
                     what[kind]);
        } else {
            snprintf(text, sizeof(text), "field '%.200s' %s",
                     m->notes[i].field, what[kind]);
        }
        s2q_batch_message(b, S2Q_LEVEL_WARNING, it->line, text);
        b->nwarnings++;
    }
}

/* Map and write the canonical event of an item. */
static void write_item(struct s2q_worker *w, struct s2q_batch *b,
                       struct s2q_item *it, bool sysmon)
{
    struct s2q_out *m = &w->mapped;
    unsigned utf8;

    if (sysmon) {
        s2q_map_event(&w->ev, &w->o->map, m);
    } else {
        s2q_map_foreign(&w->ev, &w->o->map, m);
    }
    utf8 = m->warnings[S2Q_WARN_UTF8];
    s2q_emit_record(&b->out, &w->ev, m, &w->o->map, w->o->pretty);
    if (m->warnings[S2Q_WARN_UTF8] > utf8 && m->nnotes < S2Q_MAX_NOTES) {
        m->notes[m->nnotes].kind = S2Q_WARN_UTF8;
        m->notes[m->nnotes].field = NULL;
        m->nnotes++;
    }
    for (int k = 0; k < S2Q_WARN_COUNT; k++) {
        it->warnings[k] = (unsigned short)(m->warnings[k] > 0xFFFF
                                               ? 0xFFFF : m->warnings[k]);
    }
    warning_messages(b, it, m, w->ev.event_id);
    it->fate = S2Q_FATE_WRITTEN;
    it->event_id = w->ev.event_id;
    it->shape = w->ev.shape;
    it->unknown_id = sysmon && !m->known_id;
}

/* Does --event-id keep this event ID (all are kept without it)? */
static bool wanted(const struct s2q_run_opts *o, unsigned id)
{
    return o->event_ids == NULL ||
           (o->event_ids[id / 8] & (1u << (id % 8))) != 0;
}

void s2q_work_item(struct s2q_worker *w, struct s2q_batch *b,
                   struct s2q_item *it, const char *data)
{
    const char *provider;
    size_t plen;
    char msg[256];
    bool sysmon;

    if (read_item(w, b, it, data) != NULL) {
        sysmon = s2q_map_is_sysmon(&w->ev, &provider, &plen);
        it->event_id = w->ev.event_id;
        if ((sysmon || w->o->non_sysmon == S2Q_NON_SYSMON_PASS) &&
            !wanted(w->o, w->ev.event_id)) {
            it->fate = S2Q_FATE_FILTERED;
        } else if (sysmon || w->o->non_sysmon == S2Q_NON_SYSMON_PASS) {
            write_item(w, b, it, sysmon);
        } else if (w->o->non_sysmon == S2Q_NON_SYSMON_SKIP) {
            it->fate = S2Q_FATE_SKIPPED;
        } else {
            snprintf(msg, sizeof(msg),
                     "not a Sysmon event (provider '%.*s')",
                     plen > 100 ? 100 : (int)plen,
                     provider != NULL ? provider : "");
            reject(w, b, it, data, msg);
        }
    }
    it->out_end = b->out.len;
    it->rej_end = b->rej.len;
    it->msg_end = b->msgs.len;
    /* Every tree of the record lives in the thread's arena. */
    s2q_arena_reset();
}

/*
 * Frame the rest of a lines batch, from data offset at (line line on), as
 * the input's framer would, and process its records. @return false,
 * leaving the batch as it was, when that framing may depend on what
 * follows the batch (a record or a top-level array still open at its end)
 * or a record is over the size limit (it must be spilled in order).
 */
static bool frame_rest(struct s2q_worker *w, struct s2q_batch *b, size_t at,
                       unsigned long line)
{
    struct s2q_input *in;
    struct s2q_record rec;
    struct s2q_item *it;
    size_t first = b->nitems;
    bool ok = true;

    in = s2q_input_open_bytes(b->data.data + at, b->data.len - at, line,
                              b->offset0 + at, w->o->max_record);
    while (s2q_input_next(in, &rec) == S2Q_NEXT_RECORD) {
        if (rec.frame == S2Q_FRAME_OVERSIZE) {
            ok = false;
            break;
        }
        it = s2q_batch_add(b, &rec, false);
        it->off = (size_t)(rec.data - b->data.data);
    }
    ok = ok && s2q_input_ends_clean(in);
    s2q_input_close(in);
    if (!ok) {
        b->nitems = first;
        return false;
    }
    for (size_t i = first; i < b->nitems; i++) {
        s2q_work_item(w, b, &b->items[i], b->data.data + b->items[i].off);
    }
    return true;
}

void s2q_work_lines(struct s2q_worker *w, struct s2q_batch *b)
{
    const char *d = b->data.data;
    const char *e = d + b->data.len;
    const char *ls = d;
    const char *nl;
    const char *s;
    const char *t;
    unsigned long line = b->line0;
    enum s2q_line_kind kind;
    struct s2q_record rec;
    struct s2q_item *it;

    b->resume = SIZE_MAX;
    for (; ls < e; ls = nl + 1, line++) {
        nl = memchr(ls, '\n', (size_t)(e - ls));
        if (nl == NULL) {
            nl = e;
        }
        kind = s2q_line_kind(ls, nl, w->o->max_record, &s, &t);
        if (kind == S2Q_LINE_BLANK) {
            continue;
        }
        if (kind != S2Q_LINE_RECORD ||
            !s2q_worker_parse_line(w, s, (size_t)(t - s))) {
            if (frame_rest(w, b, (size_t)(ls - d), line)) {
                return;
            }
            b->resume = (size_t)(ls - d);
            b->resume_line = line;
            return;
        }
        rec.data = s;
        rec.len = (size_t)(t - s);
        rec.size = rec.len;
        rec.line = line;
        rec.col = (unsigned long)(s - ls) + 1;
        rec.frame = S2Q_FRAME_OK;
        it = s2q_batch_add(b, &rec, false);
        it->off = (size_t)(s - d);
        s2q_work_item(w, b, it, s);
    }
}

void s2q_work_batch(struct s2q_worker *w, struct s2q_batch *b)
{
    if (b->lines) {
        s2q_work_lines(w, b);
        return;
    }
    for (size_t i = 0; i < b->nitems; i++) {
        struct s2q_item *it = &b->items[i];

        s2q_work_item(w, b, it, b->data.data + it->off);
    }
}
