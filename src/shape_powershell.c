/*
 * shape_powershell.c - the powershell shape: EventLogRecord objects as
 * `Get-WinEvent ... | ConvertTo-Json` writes them, in Windows PowerShell
 * 5.1 and PowerShell 7:
 *
 *   {"Id": 1, "Version": 5, "Level": 4, "RecordId": 4711,
 *    "ProviderName": "Microsoft-Windows-Sysmon", "LogName": "...",
 *    "ProcessId": 2816, "MachineName": "ws08", "UserId": {"Value": ..},
 *    "TimeCreated": "/Date(1709272800250)/", "Message": "...",
 *    "Properties": [{"Value": "-"}, {"Value": "2024-03-01 ..."}, ...]}
 *
 * The EventData values have no names, only positions: they are named by
 * the Sysmon field layout of the event ID that has as many fields as the
 * record has values (layouts.c). Everything but the System members read
 * here (Message, TaskDisplayName, Keywords, ThreadId, Bookmark, ...) is
 * envelope.
 */
#include <stdio.h>

#include "s2q/map.h"
#include "shape_impl.h"

/* The SID of UserId: a string, or a SecurityIdentifier object whose
 * "Value" is the SID (absent when the object has none). */
static struct s2q_value user_sid(const cJSON *user)
{
    if (cJSON_IsObject(user)) {
        return s2q_value_of(s2q_member(user, "Value"));
    }
    return s2q_value_of(user);
}

/*
 * TimeCreated: "/Date(ms)/" (5.1) or ISO 8601 with an offset (7). A
 * DateTime that carries PowerShell's extra properties is written by 5.1
 * as {"value": "/Date(ms)/", "DisplayHint": .., "DateTime": ..}: the time
 * is its "value".
 */
static struct s2q_value time_created(const cJSON *t)
{
    if (cJSON_IsObject(t)) {
        return s2q_value_of(s2q_member(t, "value"));
    }
    return s2q_value_of(t);
}

/* The value of one Properties item: its "Value" member when it is an
 * object that has one, else the item itself as it is. */
static struct s2q_value property_value(const cJSON *item)
{
    const cJSON *v = s2q_member(item, "Value");

    return s2q_value_of(v != NULL ? v : item);
}

/*
 * The names for n positional values of a Sysmon event: the layout with n
 * fields, or the newest layout for the first values when there are more
 * than it has. *named says how many values the names cover (0 when none
 * do: the event ID is unknown or no layout fits).
 */
static const char *const *layout_names(unsigned id, size_t n, size_t *named)
{
    const char *const *names = s2q_layout_find(id, n);
    size_t newest;

    *named = 0;
    if (names != NULL) {
        *named = n;
        return names;
    }
    names = s2q_layout_newest(id, &newest);
    if (names != NULL && n > newest) {
        *named = newest;
        return names;
    }
    return NULL;
}

/*
 * Add the Properties values in order. Values a layout names get its
 * names; the others are "DataN", N counted from 1 over all values. A
 * record from another provider is all DataN and not flagged; a Sysmon
 * record with DataN values is flagged (mapping counts a warning).
 */
static void read_properties(struct s2q_event *ev, const cJSON *props)
{
    const char *const *names = NULL;
    size_t n = (size_t)cJSON_GetArraySize(props);
    size_t named = 0;
    size_t i = 0;
    const cJSON *it;
    const char *provider;
    size_t plen;

    if (!cJSON_IsArray(props)) {
        return;
    }
    if (s2q_map_is_sysmon(ev, &provider, &plen)) {
        names = layout_names(ev->event_id, n, &named);
        ev->unnamed_values = named < n;
    }
    cJSON_ArrayForEach(it, props) {
        struct s2q_value v = property_value(it);
        char data[32];
        int len;

        if (i < named) {
            s2q_event_add(ev, names[i], &v);
        } else {
            len = snprintf(data, sizeof(data), "Data%zu", i + 1);
            s2q_event_add(ev, s2q_event_strdup(ev, data, (size_t)len), &v);
        }
        i++;
    }
}

bool s2q_powershell_match(const cJSON *root)
{
    return cJSON_IsArray(s2q_member(root, "Properties")) &&
           s2q_member(root, "Id") != NULL &&
           s2q_member(root, "ProviderName") != NULL;
}

int s2q_powershell_read(const cJSON *root, struct s2q_event *ev, char *err,
                        size_t errlen)
{
    if (s2q_read_event_id(s2q_member(root, "Id"), ev, err, errlen) != 0) {
        return -1;
    }
    ev->provider = s2q_value_of(s2q_member(root, "ProviderName"));
    ev->version = s2q_value_of(s2q_member(root, "Version"));
    ev->level = s2q_value_of(s2q_member(root, "Level"));
    ev->channel = s2q_value_of(s2q_member(root, "LogName"));
    ev->computer = s2q_value_of(s2q_member(root, "MachineName"));
    ev->record_id = s2q_value_of(s2q_member(root, "RecordId"));
    ev->process_id = s2q_value_of(s2q_member(root, "ProcessId"));
    ev->user_id = user_sid(s2q_member(root, "UserId"));
    ev->times[0] = time_created(s2q_member(root, "TimeCreated"));
    ev->ntimes = 1;
    ev->utc_time_first = false;
    read_properties(ev, s2q_member(root, "Properties"));
    return 0;
}
