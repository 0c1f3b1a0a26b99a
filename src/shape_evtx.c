/*
 * shape_evtx.c - the evtx shape: JSON rendered from the event XML, as
 * evtx_dump -o json and similar converters write it:
 *
 *   {"Event": {"System": {"Provider": {"#attributes": {"Name": ...}},
 *                         "EventID": 1, "TimeCreated": {...}, ...},
 *              "EventData": {"Name": "value", ...}}}
 *
 * Attributes may sit under "#attributes", directly in the element object,
 * or as "@Name" keys. EventData may be a name/value object or a "Data"
 * array (or single object) of {"@Name" or "Name", "#text"} items.
 */
#include <stdio.h>
#include <string.h>

#include "s2q/json.h"
#include "shape_impl.h"

/*
 * Add one Data item ({"@Name": .., "#text": ..}) of an EventData array.
 * An unnamed item (classic, non-Sysmon events have them) is named
 * "Data" + its 1-based position, so that --non-sysmon=pass loses nothing.
 */
static int add_data_item(struct s2q_event *ev, const cJSON *item,
                         size_t index, char *err, size_t errlen)
{
    const cJSON *name = s2q_attribute(item, "Name");
    char unnamed[32];
    struct s2q_value v;
    int n;

    if (cJSON_IsObject(item)) {
        v = s2q_value_of(s2q_member(item, "#text"));
    } else {
        v = s2q_value_of(item);
        name = NULL;
    }
    if (cJSON_IsString(name)) {
        /* Names are C strings: one holding a NUL could not be kept. */
        if (s2q_json_string_length(name) != strlen(name->valuestring)) {
            snprintf(err, errlen, "the Name of EventData item %zu holds a "
                     "NUL character (\\u0000)", index + 1);
            return -1;
        }
        s2q_event_add(ev, name->valuestring, &v);
    } else {
        n = snprintf(unnamed, sizeof(unnamed), "Data%zu", index + 1);
        s2q_event_add(ev, s2q_event_strdup(ev, unnamed, (size_t)n), &v);
    }
    return 0;
}

/* Add the items of a "Data" member: an array of items or one item. */
static int add_data_items(struct s2q_event *ev, const cJSON *items,
                          char *err, size_t errlen)
{
    const cJSON *it;
    size_t i = 0;

    if (cJSON_IsObject(items)) {
        return add_data_item(ev, items, 0, err, errlen);
    }
    cJSON_ArrayForEach(it, items) {
        if (add_data_item(ev, it, i++, err, errlen) != 0) {
            return -1;
        }
    }
    return 0;
}

/*
 * Fill ev's fields from an EventData object in either layout, in input
 * order: a "Data" member that is an array or an object stands for its
 * items, every other member for itself.
 * @return 0, or -1 with err set when EventData is a value that is neither
 *         an object nor a placeholder (it would otherwise be lost) or an
 *         item's Name holds a NUL
 */
static int read_event_data(struct s2q_event *ev, const cJSON *data,
                           char *err, size_t errlen)
{
    const cJSON *it;
    struct s2q_value v = s2q_value_of(data);

    if (!cJSON_IsObject(data)) {
        if (!s2q_value_is_placeholder(&v)) {
            snprintf(err, errlen, "Event.EventData is not an object");
            return -1;
        }
        return 0;
    }
    cJSON_ArrayForEach(it, data) {
        if (it->string[0] == 'D' && strcmp(it->string, "Data") == 0 &&
            (cJSON_IsArray(it) || cJSON_IsObject(it))) {
            if (add_data_items(ev, it, err, errlen) != 0) {
                return -1;
            }
        } else if (it->string[0] != '#' ||
                   strcmp(it->string, "#attributes") != 0) {
            v = s2q_value_of(it);
            s2q_event_add(ev, it->string, &v);
        }
    }
    return 0;
}

bool s2q_evtx_match(const cJSON *root)
{
    return cJSON_IsObject(s2q_member(s2q_member(root, "Event"), "System"));
}

/* The System elements the adapter reads. */
enum sys_member {
    SYS_PROVIDER,
    SYS_EVENT_ID,
    SYS_VERSION,
    SYS_LEVEL,
    SYS_TIME_CREATED,
    SYS_RECORD_ID,
    SYS_EXECUTION,
    SYS_CHANNEL,
    SYS_COMPUTER,
    SYS_SECURITY,
    SYS_COUNT
};

static const char *const sys_names[SYS_COUNT] = {
    [SYS_PROVIDER] = "Provider",
    [SYS_EVENT_ID] = "EventID",
    [SYS_VERSION] = "Version",
    [SYS_LEVEL] = "Level",
    [SYS_TIME_CREATED] = "TimeCreated",
    [SYS_RECORD_ID] = "EventRecordID",
    [SYS_EXECUTION] = "Execution",
    [SYS_CHANNEL] = "Channel",
    [SYS_COMPUTER] = "Computer",
    [SYS_SECURITY] = "Security",
};

/*
 * Collect the System elements in one pass over its members (the first of
 * duplicate keys counts), rather than one search per element.
 */
static void collect_system(const cJSON *sys, const cJSON *found[SYS_COUNT])
{
    const cJSON *it;

    memset(found, 0, SYS_COUNT * sizeof(found[0]));
    cJSON_ArrayForEach(it, sys) {
        for (int k = 0; k < SYS_COUNT; k++) {
            if (it->string[0] == sys_names[k][0] &&
                strcmp(it->string, sys_names[k]) == 0) {
                if (found[k] == NULL) {
                    found[k] = it;
                }
                break;
            }
        }
    }
}

int s2q_evtx_read(const cJSON *root, struct s2q_event *ev, char *err,
                  size_t errlen)
{
    const cJSON *event = s2q_member(root, "Event");
    const cJSON *sys[SYS_COUNT];
    const cJSON *user;

    collect_system(s2q_member(event, "System"), sys);
    if (s2q_read_event_id(sys[SYS_EVENT_ID], ev, err, errlen) != 0) {
        return -1;
    }
    ev->provider = s2q_value_of(s2q_attribute(sys[SYS_PROVIDER], "Name"));
    ev->version = s2q_value_of(s2q_element_text(sys[SYS_VERSION]));
    ev->level = s2q_value_of(s2q_element_text(sys[SYS_LEVEL]));
    ev->channel = s2q_value_of(s2q_element_text(sys[SYS_CHANNEL]));
    ev->computer = s2q_value_of(s2q_element_text(sys[SYS_COMPUTER]));
    ev->record_id = s2q_value_of(s2q_element_text(sys[SYS_RECORD_ID]));
    ev->process_id = s2q_value_of(s2q_attribute(sys[SYS_EXECUTION],
                                                "ProcessID"));
    user = s2q_attribute(sys[SYS_SECURITY], "UserID");
    if (user == NULL) {
        user = s2q_attribute(sys[SYS_SECURITY], "UserId");
    }
    ev->user_id = s2q_value_of(user);
    ev->times[0] = s2q_value_of(s2q_attribute(sys[SYS_TIME_CREATED],
                                              "SystemTime"));
    ev->ntimes = 1;
    ev->utc_time_first = false;
    return read_event_data(ev, s2q_member(event, "EventData"), err, errlen);
}
