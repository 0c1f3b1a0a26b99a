/*
 * shape_winlogbeat.c - the winlogbeat shape: documents written by
 * Winlogbeat 7/8 and Elastic Agent, which keep the System fields and the
 * EventData under a "winlog" object,
 *
 *   {"@timestamp": ..., "log": {"level": "information"},
 *    "winlog": {"provider_name": ..., "event_id": "1", "record_id": 12,
 *               "computer_name": ..., "channel": ..., "version": 5,
 *               "process": {"pid": ...}, "user": {"identifier": ...},
 *               "event_data": {"Image": ..., ...}}}
 *
 * and by Winlogbeat 6, which puts the same members at the top level under
 * other names (source_name, event_id, record_number, computer_name,
 * log_name, process_id, level, user.identifier, version, event_data).
 *
 * Everything else in the document (agent, ecs, host, event, log, message,
 * beat, @metadata, type, opcode, task, keywords, provider_guid, thread
 * ids, ...) is envelope and ignored. Winlogbeat already drops empty
 * EventData values and writes every value as a string: values are taken
 * as they are, in their JSON types.
 */
#include <stdio.h>

#include "shape_impl.h"

/*
 * Of a member and its fallback (either may be NULL), the member unless it
 * is absent or a placeholder while the fallback holds a value.
 */
static const cJSON *first_set(const cJSON *item, const cJSON *fallback)
{
    struct s2q_value v = s2q_value_of(item);

    if (!s2q_value_is_placeholder(&v) || fallback == NULL) {
        return item;
    }
    v = s2q_value_of(fallback);
    if (s2q_value_is_placeholder(&v) && item != NULL) {
        return item;
    }
    return fallback;
}

/*
 * Add the members of parent's "event_data" and then "user_data" objects
 * (an event has one or the other; UserData carries the values of some
 * non-Sysmon events, which --non-sysmon=pass must not lose). A member
 * that is absent or a placeholder holds nothing; any other non-object is
 * an error rather than values silently dropped.
 * @return 0, or -1 with a message in err
 */
static int read_data(const cJSON *parent, const char *prefix,
                     struct s2q_event *ev, char *err, size_t errlen)
{
    static const char *const names[] = { "event_data", "user_data" };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const cJSON *data = s2q_member(parent, names[i]);
        struct s2q_value v = s2q_value_of(data);

        if (cJSON_IsObject(data)) {
            s2q_add_object_fields(ev, data, false);
        } else if (!s2q_value_is_placeholder(&v)) {
            snprintf(err, errlen, "%s%s is not an object", prefix,
                     names[i]);
            return -1;
        }
    }
    return 0;
}

/* Read a Winlogbeat 7/8 or Elastic Agent document (winlog object). */
static int read_winlog(const cJSON *root, const cJSON *wl,
                       struct s2q_event *ev, char *err, size_t errlen)
{
    const cJSON *event = s2q_member(root, "event");
    const cJSON *id = first_set(s2q_member(wl, "event_id"),
                                s2q_member(event, "code"));

    if (s2q_read_event_id(id, ev, err, errlen) != 0) {
        return -1;
    }
    ev->provider = s2q_value_of(first_set(s2q_member(wl, "provider_name"),
                                          s2q_member(event, "provider")));
    ev->version = s2q_value_of(s2q_member(wl, "version"));
    ev->level = s2q_value_of(first_set(
        s2q_member(s2q_member(root, "log"), "level"),
        s2q_member(wl, "level")));
    ev->channel = s2q_value_of(s2q_member(wl, "channel"));
    ev->computer = s2q_value_of(s2q_member(wl, "computer_name"));
    ev->record_id = s2q_value_of(s2q_member(wl, "record_id"));
    ev->process_id = s2q_value_of(
        s2q_member(s2q_member(wl, "process"), "pid"));
    ev->user_id = s2q_value_of(
        s2q_member(s2q_member(wl, "user"), "identifier"));
    ev->times[0] = s2q_value_of(first_set(s2q_member(wl, "time_created"),
                                          s2q_member(root, "@timestamp")));
    ev->ntimes = 1;
    ev->utc_time_first = false;
    return read_data(wl, "winlog.", ev, err, errlen);
}

/* Read a Winlogbeat 6 document (System fields at the top level). */
static int read_legacy(const cJSON *root, struct s2q_event *ev, char *err,
                       size_t errlen)
{
    if (s2q_read_event_id(s2q_member(root, "event_id"), ev, err,
                          errlen) != 0) {
        return -1;
    }
    ev->provider = s2q_value_of(s2q_member(root, "source_name"));
    ev->version = s2q_value_of(s2q_member(root, "version"));
    ev->level = s2q_value_of(s2q_member(root, "level"));
    ev->channel = s2q_value_of(s2q_member(root, "log_name"));
    ev->computer = s2q_value_of(s2q_member(root, "computer_name"));
    ev->record_id = s2q_value_of(s2q_member(root, "record_number"));
    ev->process_id = s2q_value_of(s2q_member(root, "process_id"));
    ev->user_id = s2q_value_of(
        s2q_member(s2q_member(root, "user"), "identifier"));
    ev->times[0] = s2q_value_of(first_set(s2q_member(root, "time_created"),
                                          s2q_member(root, "@timestamp")));
    ev->ntimes = 1;
    ev->utc_time_first = false;
    return read_data(root, "", ev, err, errlen);
}

bool s2q_winlogbeat_match(const cJSON *root)
{
    if (cJSON_IsObject(s2q_member(root, "winlog"))) {
        return true;
    }
    return cJSON_IsObject(s2q_member(root, "event_data")) &&
           s2q_member(root, "event_id") != NULL;
}

int s2q_winlogbeat_read(const cJSON *root, struct s2q_event *ev, char *err,
                        size_t errlen)
{
    const cJSON *wl = s2q_member(root, "winlog");

    if (cJSON_IsObject(wl)) {
        return read_winlog(root, wl, ev, err, errlen);
    }
    return read_legacy(root, ev, err, errlen);
}
