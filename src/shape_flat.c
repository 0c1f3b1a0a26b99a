/*
 * shape_flat.c - the flat shape: NXLog and OTRF Security-Datasets exports
 * and Sentinel-style rows, whose System fields sit at the top level:
 *
 *   {"EventID": 1, "SourceName": "Microsoft-Windows-Sysmon",
 *    "Hostname": "ws01", "RecordNumber": 7, "Severity": "INFO",
 *    "EventTime": "...", "Message": "...", "Image": "C:\\...", ...}
 *
 * EventData is the record's "EventData" object (or a string holding one
 * as JSON text), and then nothing else is; without such an object, every
 * top-level key that is neither a System field nor envelope (SPEC 3.1) is
 * EventData, in input order. Two keys collide with Sysmon field names:
 * EventType (envelope when it holds an NXLog value) and Version (the
 * System Version when it holds a whole number).
 */
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "s2q/json.h"
#include "s2q/value.h"
#include "shape_impl.h"

/* System fields with several names, each list in order of preference. */
static const char *const provider_keys[] = { "SourceName", "ProviderName",
                                             "Provider", NULL };
static const char *const computer_keys[] = { "Hostname", "Computer", NULL };
static const char *const record_keys[] = { "RecordNumber", "EventRecordId",
                                           NULL };
static const char *const process_keys[] = { "ProcessID",
                                            "ExecutionProcessID",
                                            "SystemProcessId", NULL };
static const char *const user_keys[] = { "UserID", "SystemUserId", NULL };
static const char *const level_keys[] = { "Level", "EventLevel", "Severity",
                                          NULL };

/* The System times, in the order mapping tries them (SPEC 3.2). */
static const char *const time_keys[S2Q_MAX_TIMES] = {
    "EventTime", "TimeCreated", "TimeGenerated", "@timestamp"
};

/* Top-level names that are never EventData ("Version" apart). */
static const char *const system_names[] = {
    "SourceName", "ProviderName", "Provider", "EventID", "Hostname",
    "Computer", "Channel", "RecordNumber", "EventRecordId", "ProcessID",
    "ExecutionProcessID", "SystemProcessId", "UserID", "SystemUserId",
    "Level", "EventLevel", "Severity", "EventTime", "TimeCreated",
    "TimeGenerated", "@timestamp", NULL
};

/* The envelope keys of SPEC 3.1: Beats', NXLog's and Logstash's,
 * Sentinel's, and the XML System elements that name no event property
 * (exact case). */
static const char *const envelope_names[] = {
    /* Beats */
    "agent", "ecs", "host", "event", "log", "message", "beat", "type",
    /* NXLog and Logstash */
    "EventTime", "EventReceivedTime", "SourceModuleName",
    "SourceModuleType", "Severity", "SeverityValue", "Opcode",
    "OpcodeValue", "Task", "Keywords", "Category", "Message",
    "ProviderGuid", "AccountName", "AccountType", "Domain", "ThreadID",
    "ExecutionThreadID", "ActivityID", "RelatedActivityID",
    "EventTypeOrignal", "@timestamp", "@version", "port", "tags",
    /* Sentinel */
    "TenantId", "SourceSystem", "_ResourceId", "MG", "ManagementGroupName",
    "EventOriginId", "RawEventData", "EventLevelName", "SystemThreadId",
    "TimeGenerated",
    /* XML System elements */
    "Correlation",
    NULL
};

/* The values NXLog writes in its own EventType key. */
static const char *const nxlog_event_types[] = {
    "INFO", "WARNING", "ERROR", "CRITICAL", "VERBOSE", "AUDIT_SUCCESS",
    "AUDIT_FAILURE", NULL
};

/* True when name is one of list (NULL-terminated), by exact case. */
static bool name_in(const char *name, const char *const *list)
{
    for (; *list != NULL; list++) {
        if (strcmp(name, *list) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * True when a Version value is a System Version: a JSON number whose
 * value is a non-negative integer (3, 3.0), or a string of ASCII digits.
 */
static bool is_whole_number(const cJSON *item)
{
    const char *s;
    uint64_t n;

    if (cJSON_IsNumber(item)) {
        /* Every finite double from 2^64 up is integral. */
        return s2q_double_to_uint(item->valuedouble, UINT64_MAX, &n) ||
               (item->valuedouble >= 18446744073709551616.0 &&
                item->valuedouble <= DBL_MAX);
    }
    if (!cJSON_IsString(item) || item->valuestring[0] == '\0') {
        return false;
    }
    for (s = item->valuestring; *s != '\0'; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return true;
}

/* True when an EventType value is one of NXLog's (so envelope). */
static bool is_nxlog_event_type(const cJSON *item)
{
    return cJSON_IsString(item) &&
           name_in(item->valuestring, nxlog_event_types);
}

/*
 * Whether a top-level member is EventData in a record without an
 * EventData object: it is the first member of its name (the first of
 * duplicate keys counts) and neither a System field nor envelope.
 */
static bool is_top_level_data(const cJSON *root, const cJSON *item)
{
    const char *name = item->string;

    if (name == NULL || s2q_member(root, name) != item) {
        return false;
    }
    if (strcmp(name, "Version") == 0) {
        return !is_whole_number(item);
    }
    if (strcmp(name, "EventType") == 0) {
        return !is_nxlog_event_type(item);
    }
    return !name_in(name, system_names) && !name_in(name, envelope_names);
}

/* The value of the first usable member among several names. */
static struct s2q_value first_of(const cJSON *root,
                                 const char *const *keys)
{
    return s2q_value_of(s2q_member_first(root, keys));
}

/* Fill the System fields (EventID apart) from the top level. */
static void read_system(const cJSON *root, struct s2q_event *ev)
{
    const cJSON *version = s2q_member(root, "Version");

    ev->provider = first_of(root, provider_keys);
    ev->computer = first_of(root, computer_keys);
    ev->channel = s2q_value_of(s2q_member(root, "Channel"));
    ev->record_id = first_of(root, record_keys);
    ev->process_id = first_of(root, process_keys);
    ev->user_id = first_of(root, user_keys);
    ev->level = first_of(root, level_keys);
    if (is_whole_number(version)) {
        ev->version = s2q_value_of(version);
    }
    for (size_t i = 0; i < S2Q_MAX_TIMES; i++) {
        ev->times[i] = s2q_value_of(s2q_member(root, time_keys[i]));
    }
    ev->ntimes = S2Q_MAX_TIMES;
    ev->utc_time_first = true;
}

/*
 * The record's EventData object: its "EventData" member when that is an
 * object, or the object a string member holds as JSON text (parsed into
 * the thread's arena, like the record). NULL when there is none.
 */
static const cJSON *event_data_object(const cJSON *root)
{
    const cJSON *data = s2q_member(root, "EventData");
    struct s2q_json_error err;
    cJSON *parsed;

    if (cJSON_IsObject(data)) {
        return data;
    }
    if (!cJSON_IsString(data)) {
        return NULL;
    }
    parsed = s2q_json_parse(data->valuestring, s2q_json_string_length(data),
                            &err);
    return cJSON_IsObject(parsed) ? parsed : NULL;
}

bool s2q_flat_match(const cJSON *root)
{
    static const char *const source_keys[] = { "SourceName", "ProviderName",
                                               "Provider", "Channel" };

    if (s2q_member(root, "EventID") == NULL) {
        return false;
    }
    for (size_t i = 0; i < sizeof(source_keys) / sizeof(source_keys[0]);
         i++) {
        if (s2q_member(root, source_keys[i]) != NULL) {
            return true;
        }
    }
    return false;
}

/*
 * Some NXLog rows carry an event's data only in the rendered Message
 * (seen for WMI events): when no EventData value but the registry-style
 * EventType was found, Message is kept as a field, so that nothing is
 * lost.
 */
static void keep_lone_message(const cJSON *root, struct s2q_event *ev)
{
    struct s2q_value msg = s2q_value_of(s2q_member(root, "Message"));

    for (size_t i = 0; i < ev->nfields; i++) {
        if (!s2q_value_is_placeholder(&ev->fields[i].value) &&
            strcmp(ev->fields[i].name, "EventType") != 0) {
            return;
        }
    }
    if (!s2q_value_is_placeholder(&msg)) {
        s2q_event_add(ev, "Message", &msg);
    }
}

int s2q_flat_read(const cJSON *root, struct s2q_event *ev, char *err,
                  size_t errlen)
{
    const cJSON *data;
    const cJSON *it;

    if (s2q_read_event_id(s2q_member(root, "EventID"), ev, err, errlen) !=
        0) {
        return -1;
    }
    read_system(root, ev);
    data = event_data_object(root);
    if (data != NULL) {
        s2q_add_object_fields(ev, data, false);
        return 0;
    }
    cJSON_ArrayForEach(it, root) {
        struct s2q_value v;

        if (is_top_level_data(root, it)) {
            v = s2q_value_of(it);
            s2q_event_add(ev, it->string, &v);
        }
    }
    keep_lone_message(root, ev);
    return 0;
}
