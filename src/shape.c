/*
 * shape.c - export shapes: each adapter turns one shape of record into the
 * canonical event, so that mapping never needs to know where a record
 * came from.
 *
 * evtx: JSON rendered from the event XML, as evtx_dump -o json and similar
 * converters write it:
 *   {"Event": {"System": {"Provider": {"#attributes": {"Name": ...}},
 *                         "EventID": 1, "TimeCreated": {...}, ...},
 *              "EventData": {"Name": "value", ...}}}
 * Attributes may sit under "#attributes", directly in the element object,
 * or as "@Name" keys. EventData may be a name/value object or a "Data"
 * array (or single object) of {"@Name" or "Name", "#text"} items.
 */
#include <stdio.h>
#include <string.h>

#include "s2q/shape.h"
#include "s2q/value.h"

static const char *const shape_names[S2Q_SHAPE_COUNT] = {
    [S2Q_SHAPE_EVTX] = "evtx",
    [S2Q_SHAPE_WINLOGBEAT] = "winlogbeat",
    [S2Q_SHAPE_FLAT] = "flat",
    [S2Q_SHAPE_WAZUH] = "wazuh",
    [S2Q_SHAPE_POWERSHELL] = "powershell",
};

const char *s2q_shape_name(enum s2q_shape shape)
{
    if (shape >= S2Q_SHAPE_COUNT) {
        return "auto";
    }
    return shape_names[shape];
}

/* Member of an object by exact key (the first of duplicates), or NULL. */
static const cJSON *member(const cJSON *obj, const char *key)
{
    if (!cJSON_IsObject(obj)) {
        return NULL;
    }
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/*
 * An XML attribute of an element rendered as JSON: under "#attributes",
 * directly in the element's object, or as an "@name" key.
 */
static const cJSON *attribute(const cJSON *elem, const char *name)
{
    const cJSON *v = member(member(elem, "#attributes"), name);
    char at[64];

    if (v != NULL) {
        return v;
    }
    v = member(elem, name);
    if (v != NULL) {
        return v;
    }
    if (snprintf(at, sizeof(at), "@%s", name) < (int)sizeof(at)) {
        v = member(elem, at);
    }
    return v;
}

/*
 * The text of an element: the value itself when it is a scalar, or its
 * "#text" member when the element also carries attributes.
 */
static const cJSON *element_text(const cJSON *elem)
{
    if (cJSON_IsObject(elem)) {
        return member(elem, "#text");
    }
    return elem;
}

/*
 * Read an EventID given as a number, a string of digits, or an element
 * object with "#text". @return 0, or -1 with err set.
 */
static int read_event_id(const cJSON *item, unsigned *id, char *err,
                         size_t errlen)
{
    struct s2q_value v = s2q_value_of(element_text(item));
    uint64_t n;
    bool ok = false;

    if (s2q_value_is_placeholder(&v)) {
        snprintf(err, errlen, "record has no EventID");
        return -1;
    }
    if (v.kind == S2Q_KIND_NUMBER) {
        ok = s2q_double_to_uint(v.num, 65535, &n);
    } else if (v.kind == S2Q_KIND_STRING) {
        ok = s2q_parse_uint(v.str, v.len, 65535, &n);
    }
    if (!ok) {
        snprintf(err, errlen,
                 "EventID is not a whole number from 0 to 65535");
        return -1;
    }
    *id = (unsigned)n;
    return 0;
}

/*
 * Add one Data item ({"@Name": .., "#text": ..}) of an EventData array.
 * An unnamed item (classic, non-Sysmon events have them) is named
 * "Data" + its 1-based position, so that --non-sysmon=pass loses nothing.
 */
static void add_data_item(struct s2q_event *ev, const cJSON *item,
                          size_t index)
{
    char unnamed[32];
    int n;

    const cJSON *name = attribute(item, "Name");
    struct s2q_value v;

    if (cJSON_IsObject(item)) {
        v = s2q_value_of(member(item, "#text"));
    } else {
        v = s2q_value_of(item);
        name = NULL;
    }
    if (cJSON_IsString(name)) {
        s2q_event_add(ev, name->valuestring, &v);
    } else {
        n = snprintf(unnamed, sizeof(unnamed), "Data%zu", index + 1);
        s2q_event_add(ev, s2q_event_strdup(ev, unnamed, (size_t)n), &v);
    }
}

/* Fill ev's fields from an EventData object in either layout. */
static void read_event_data(struct s2q_event *ev, const cJSON *data)
{
    const cJSON *items = member(data, "Data");
    const cJSON *it;
    size_t i = 0;

    if (items != NULL && (cJSON_IsArray(items) || cJSON_IsObject(items))) {
        if (cJSON_IsObject(items)) {
            add_data_item(ev, items, 0);
            return;
        }
        cJSON_ArrayForEach(it, items) {
            add_data_item(ev, it, i++);
        }
        return;
    }
    if (!cJSON_IsObject(data)) {
        return;
    }
    cJSON_ArrayForEach(it, data) {
        struct s2q_value v;

        if (strcmp(it->string, "#attributes") == 0) {
            continue;
        }
        v = s2q_value_of(it);
        s2q_event_add(ev, it->string, &v);
    }
}

/* The evtx adapter. */
static int read_evtx(const cJSON *event, struct s2q_event *ev, char *err,
                     size_t errlen)
{
    const cJSON *sys = member(event, "System");
    const cJSON *security = member(sys, "Security");
    const cJSON *user = attribute(security, "UserID");

    ev->shape = S2Q_SHAPE_EVTX;
    if (read_event_id(member(sys, "EventID"), &ev->event_id, err,
                      errlen) != 0) {
        return -1;
    }
    ev->provider = s2q_value_of(attribute(member(sys, "Provider"), "Name"));
    ev->version = s2q_value_of(element_text(member(sys, "Version")));
    ev->level = s2q_value_of(element_text(member(sys, "Level")));
    ev->channel = s2q_value_of(element_text(member(sys, "Channel")));
    ev->computer = s2q_value_of(element_text(member(sys, "Computer")));
    ev->record_id = s2q_value_of(element_text(member(sys,
                                                     "EventRecordID")));
    ev->process_id = s2q_value_of(attribute(member(sys, "Execution"),
                                            "ProcessID"));
    if (user == NULL) {
        user = attribute(security, "UserId");
    }
    ev->user_id = s2q_value_of(user);
    ev->times[0] = s2q_value_of(attribute(member(sys, "TimeCreated"),
                                          "SystemTime"));
    ev->ntimes = 1;
    ev->utc_time_first = false;
    read_event_data(ev, member(event, "EventData"));
    return 0;
}

int s2q_shape_read(const cJSON *root, enum s2q_shape forced,
                   struct s2q_event *ev, char *err, size_t errlen)
{
    const cJSON *event = member(root, "Event");
    bool evtx = cJSON_IsObject(member(event, "System"));

    if ((forced == S2Q_SHAPE_COUNT || forced == S2Q_SHAPE_EVTX) && evtx) {
        return read_evtx(event, ev, err, errlen);
    }
    if (forced != S2Q_SHAPE_COUNT) {
        snprintf(err, errlen, "record is not in the %s shape",
                 s2q_shape_name(forced));
    } else {
        snprintf(err, errlen,
                 "record matches no known export shape (tried: evtx)");
    }
    return -1;
}
