/*
 * test_shape_flat.c - the flat adapter: NXLog, OTRF and Sentinel-style
 * rows, the System field aliases, envelope keys, the EventType and
 * Version collisions, EventData objects given as objects or as JSON text,
 * and records of other shapes that must not match.
 *
 * Records are written with single quotes for readability; parse_standin()
 * turns every ' into " before handing the text to cJSON (so \\' in C is an
 * escaped quote inside a JSON string).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../src/shape_impl.h"
#include "shape_test.h"

/* An expected value: kind, text (strings, or compact JSON for nested
 * values) and number (numbers, and 0/1 for booleans). */
struct want {
    const char *name;
    enum s2q_kind kind;
    const char *text;
    double num;
};

#define STR(n, t) { (n), S2Q_KIND_STRING, (t), 0 }
#define NUM(n, x) { (n), S2Q_KIND_NUMBER, NULL, (x) }
#define BOOLV(n, b) { (n), S2Q_KIND_BOOL, NULL, (b) }
#define NUL(n) { (n), S2Q_KIND_NULL, NULL, 0 }
#define NEST(n, t) { (n), S2Q_KIND_NESTED, (t), 0 }
#define ABS(n) { (n), S2Q_KIND_ABSENT, NULL, 0 }

/* Most EventData fields a table row expects (plus a NULL sentinel). */
#define MAXF 8

/* Read a record with the flat adapter. @return s2q_flat_read's. */
static int read_flat(struct fixture *f, const char *text)
{
    cJSON_Delete(f->root);
    f->root = parse_standin(text, false);
    s2q_event_reset(&f->ev);
    f->ev.shape = S2Q_SHAPE_FLAT;
    f->err[0] = '\0';
    return s2q_flat_read(f->root, &f->ev, f->err, sizeof(f->err));
}

/* Whether the flat adapter takes a record. */
static bool match_text(const char *text)
{
    cJSON *root = parse_standin(text, false);
    bool m = s2q_flat_match(root);

    cJSON_Delete(root);
    return m;
}

/* Check one value against what is expected of it. */
static void check_value(const struct s2q_value *v, enum s2q_kind kind,
                        const char *text, double num)
{
    char *json;

    assert_int_equal(v->kind, kind);
    switch (v->kind) {
    case S2Q_KIND_STRING:
        assert_non_null(v->str);
        assert_string_equal(v->str, text);
        assert_int_equal(v->len, strlen(text));
        break;
    case S2Q_KIND_NUMBER:
        assert_true(v->num == num);
        break;
    case S2Q_KIND_BOOL:
        assert_int_equal(v->boolean, num != 0);
        break;
    case S2Q_KIND_NESTED:
        json = cJSON_PrintUnformatted(v->node);
        assert_non_null(json);
        assert_string_equal(json, text);
        cJSON_free(json);
        break;
    case S2Q_KIND_ABSENT:
    case S2Q_KIND_NULL:
        break;
    }
}

/* Check a System value. */
static void check_sys(const struct s2q_value *v, const struct want *w)
{
    check_value(v, w->kind, w->text, w->num);
}

/* Check that the EventData is exactly w (up to a NULL name), in order. */
static void check_fields(const struct s2q_event *ev, const struct want *w)
{
    size_t n = 0;

    while (w[n].name != NULL) {
        n++;
    }
    assert_int_equal(ev->nfields, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(ev->fields[i].name, w[i].name);
        check_value(&ev->fields[i].value, w[i].kind, w[i].text, w[i].num);
    }
}

/* Check the four candidate times and that UtcTime is tried first. */
static void check_times(const struct s2q_event *ev, const struct want *w)
{
    assert_int_equal(ev->ntimes, 4);
    assert_true(ev->utc_time_first);
    for (size_t i = 0; i < 4; i++) {
        check_sys(&ev->times[i], &w[i]);
    }
}

static void test_flat_match_accepts_event_id_with_a_source_key(
    void **state)
{
    static const char *const records[] = {
        "{'EventID':1,'SourceName':'Microsoft-Windows-Sysmon'}",
        "{'ProviderName':'Microsoft-Windows-Sysmon','EventID':'1'}",
        "{'EventID':1,'Provider':'Microsoft-Windows-Sysmon'}",
        "{'Channel':'Microsoft-Windows-Sysmon/Operational','EventID':1}",
        "{'EventID':null,'SourceName':'S'}",
        "{'EventID':1,'Channel':null}",
        "{'EventID':{'#text':'1'},'Provider':{'Name':'P'}}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
        assert_true(match_text(records[i]));
    }
}

static void test_flat_match_rejects_other_shapes(void **state)
{
    static const char *const records[] = {
        "{'Event':{'System':{'EventID':1,'Channel':'C','Provider':"
        "{'#attributes':{'Name':'Microsoft-Windows-Sysmon'}}},"
        "'EventData':{'Image':'x'}}}",
        "{'@timestamp':'2024-01-01T00:00:00Z','winlog':{'event_id':'1',"
        "'provider_name':'Microsoft-Windows-Sysmon','channel':'C',"
        "'event_data':{'Image':'x'}}}",
        "{'event_id':1,'source_name':'Microsoft-Windows-Sysmon',"
        "'log_name':'C','event_data':{'Image':'x'}}",
        "{'win':{'system':{'eventID':'1','providerName':"
        "'Microsoft-Windows-Sysmon','channel':'C'},'eventdata':{}}}",
        "{'data':{'win':{'system':{'eventID':'1','providerName':'P'}}}}",
        "{'Id':1,'ProviderName':'Microsoft-Windows-Sysmon','Properties':"
        "[{'Value':'-'}]}",
        "{'Source':'Microsoft-Windows-Sysmon','EventID':3,'Computer':"
        "'ws09','EventData':'<DataItem type=\\'x\\'></DataItem>'}",
        "{'EventID':1}",
        "{'EventID':1,'Computer':'c','Hostname':'h','Level':4}",
        "{'SourceName':'S','Channel':'C'}",
        "{'eventID':1,'SourceName':'S'}",
        "{'EventId':1,'Channel':'C'}",
        "{'EventID':1,'sourcename':'S','channel':'C','provider':'P'}",
        "{'event':{'EventID':1,'SourceName':'S'}}",
        "[{'EventID':1,'SourceName':'S'}]",
        "'EventID'",
        "{}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
        assert_false(match_text(records[i]));
    }
    assert_false(s2q_flat_match(NULL));
}

/* Issue 1: an NXLog Sysmon event 29 with its envelope. */
static const char issue_29[] =
    "{'EventID': 29, 'SourceName': 'Microsoft-Windows-Sysmon', "
    "'Channel': 'Microsoft-Windows-Sysmon/Operational', 'Hostname': "
    "'ws02', 'RecordNumber': 31337, 'EventTime': '2024-03-02 03:00:00',"
    " 'Severity': 'INFO', 'SeverityValue': 2, 'Category': 'File "
    "Executable Detected (rule: FileExecutableDetected)', 'Keywords': "
    "-9223372036854775808, 'Message': 'File Executable Detected:\\r\\n"
    "RuleName: -\\r\\n...', 'RuleName': '-', 'UtcTime': '2024-03-02 "
    "08:00:00.000', 'ProcessGuid': "
    "'{bbbbbbbb-0000-0000-0000-000000000002}', 'ProcessId': '7356', "
    "'User': 'WS02\\\\carol', 'Image': 'C:\\\\Program Files (x86)\\\\"
    "Microsoft\\\\Edge\\\\Application\\\\msedge.exe', 'TargetFilename': "
    "'C:\\\\Users\\\\carol\\\\Downloads\\\\setup.tmp', 'Hashes': "
    "'SHA1=D48757B74EFF02255F74614F35AA27ABBE3F72C7,"
    "MD5=32365E3E64D28CC94756AC9A09B67F06,"
    "SHA256=09043C51719D4BF6405C9A7A292BB9BB3BCC782F639B708DDCC4EEDB5E5C"
    "9CE9,IMPHASH=1F2627FC453DC35031A9502372BD3549'}";

static void test_flat_read_issue_nxlog_sysmon_29(void **state)
{
    struct fixture *f = *state;
    static const struct want times[] = {
        STR("EventTime", "2024-03-02 03:00:00"), ABS("TimeCreated"),
        ABS("TimeGenerated"), ABS("@timestamp"),
    };
    static const struct want fields[] = {
        STR("RuleName", "-"), STR("UtcTime", "2024-03-02 08:00:00.000"),
        STR("ProcessGuid", "{bbbbbbbb-0000-0000-0000-000000000002}"),
        STR("ProcessId", "7356"), STR("User", "WS02\\carol"),
        STR("Image", "C:\\Program Files (x86)\\Microsoft\\Edge\\"
                     "Application\\msedge.exe"),
        STR("TargetFilename", "C:\\Users\\carol\\Downloads\\setup.tmp"),
        STR("Hashes", "SHA1=D48757B74EFF02255F74614F35AA27ABBE3F72C7,"
                      "MD5=32365E3E64D28CC94756AC9A09B67F06,"
                      "SHA256=09043C51719D4BF6405C9A7A292BB9BB3BCC782F639B"
                      "708DDCC4EEDB5E5C9CE9,"
                      "IMPHASH=1F2627FC453DC35031A9502372BD3549"),
        { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };

    assert_int_equal(read_flat(f, issue_29), 0);
    assert_int_equal(f->ev.shape, S2Q_SHAPE_FLAT);
    assert_int_equal(f->ev.event_id, 29);
    check_value(&f->ev.provider, S2Q_KIND_STRING,
                "Microsoft-Windows-Sysmon", 0);
    check_value(&f->ev.channel, S2Q_KIND_STRING,
                "Microsoft-Windows-Sysmon/Operational", 0);
    check_value(&f->ev.computer, S2Q_KIND_STRING, "ws02", 0);
    check_value(&f->ev.record_id, S2Q_KIND_NUMBER, NULL, 31337);
    check_value(&f->ev.level, S2Q_KIND_STRING, "INFO", 0);
    check_value(&f->ev.version, S2Q_KIND_ABSENT, NULL, 0);
    check_value(&f->ev.process_id, S2Q_KIND_ABSENT, NULL, 0);
    check_value(&f->ev.user_id, S2Q_KIND_ABSENT, NULL, 0);
    check_times(&f->ev, times);
    check_fields(&f->ev, fields);
}

static void test_flat_read_issue_non_sysmon_4688(void **state)
{
    struct fixture *f = *state;
    static const struct want fields[] = {
        STR("NewProcessName", "C:\\Windows\\System32\\cmd.exe"),
        { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };

    assert_int_equal(read_flat(f,
        "{'EventID': 4688, 'SourceName': "
        "'Microsoft-Windows-Security-Auditing', 'Channel': 'Security', "
        "'Hostname': 'dc01', 'RecordNumber': 5, 'NewProcessName': "
        "'C:\\\\Windows\\\\System32\\\\cmd.exe'}"), 0);
    assert_int_equal(f->ev.event_id, 4688);
    check_value(&f->ev.provider, S2Q_KIND_STRING,
                "Microsoft-Windows-Security-Auditing", 0);
    check_value(&f->ev.channel, S2Q_KIND_STRING, "Security", 0);
    check_value(&f->ev.computer, S2Q_KIND_STRING, "dc01", 0);
    check_value(&f->ev.record_id, S2Q_KIND_NUMBER, NULL, 5);
    check_value(&f->ev.level, S2Q_KIND_ABSENT, NULL, 0);
    check_fields(&f->ev, fields);
}

static void test_flat_read_nxlog_record_with_every_envelope_key(
    void **state)
{
    struct fixture *f = *state;
    static const struct want times[] = {
        STR("EventTime", "2024-05-06 07:08:09"), ABS("TimeCreated"),
        ABS("TimeGenerated"), STR("@timestamp", "2024-05-06T11:08:10.5Z"),
    };
    static const struct want fields[] = {
        STR("ProcessId", "640"), STR("ProcessGuid", "{aaaa}"),
        STR("UtcTime", "-"), STR("RuleName", "-"),
        STR("Image", "C:\\a.exe"),
        STR("TargetObject", "HKLM\\Soft"), STR("Details", "DWORD (0x1)"),
        { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };

    assert_int_equal(read_flat(f,
        "{'SourceModuleType':'im_msvistalog','Version':2,'Message':'m',"
        "'AccountType':'User','tags':['t'],'Domain':'NT AUTHORITY',"
        "'Opcode':'Info','UserID':'S-1-5-18','SourceName':"
        "'Microsoft-Windows-Sysmon','Hostname':'ws05.example.test',"
        "'ThreadID':12,'EventType':'INFO','RecordNumber':77,"
        "'SeverityValue':2,'SourceModuleName':'eventlog','Keywords':-1,"
        "'Severity':'INFO','OpcodeValue':0,'AccountName':'SYSTEM','host':"
        "'collector','EventID':13,'ProcessId':'640','port':5000,"
        "'@version':'1','ProcessGuid':'{aaaa}','Category':'Registry value "
        "set (rule: RegistryEvent)','EventReceivedTime':'2024-05-06 "
        "07:08:10','Task':13,'UtcTime':'-','EventTime':'2024-05-06 "
        "07:08:09','Channel':'Microsoft-Windows-Sysmon/Operational',"
        "'@timestamp':'2024-05-06T11:08:10.5Z','EventTypeOrignal':'INFO',"
        "'ProviderGuid':'{5770}','ExecutionProcessID':3252,'RuleName':'-',"
        "'Image':'C:\\\\a.exe','ExecutionThreadID':1,'ActivityID':'{b}',"
        "'RelatedActivityID':'{c}','type':'nx','TargetObject':"
        "'HKLM\\\\Soft','Details':'DWORD (0x1)'}"), 0);
    assert_int_equal(f->ev.event_id, 13);
    check_value(&f->ev.version, S2Q_KIND_NUMBER, NULL, 2);
    check_value(&f->ev.computer, S2Q_KIND_STRING, "ws05.example.test", 0);
    check_value(&f->ev.record_id, S2Q_KIND_NUMBER, NULL, 77);
    check_value(&f->ev.process_id, S2Q_KIND_NUMBER, NULL, 3252);
    check_value(&f->ev.user_id, S2Q_KIND_STRING, "S-1-5-18", 0);
    check_value(&f->ev.level, S2Q_KIND_STRING, "INFO", 0);
    check_times(&f->ev, times);
    /* UtcTime "-" stays a (placeholder) field: mapping skips it. */
    check_fields(&f->ev, fields);
}

static void test_flat_read_each_envelope_key_is_dropped(void **state)
{
    struct fixture *f = *state;
    static const char *const names[] = {
        "agent", "ecs", "host", "event", "log", "message", "beat", "type",
        "EventTime", "EventReceivedTime", "SourceModuleName",
        "SourceModuleType", "Severity", "SeverityValue", "Opcode",
        "OpcodeValue", "Task", "Keywords", "Category", "Message",
        "ProviderGuid", "AccountName", "AccountType", "Domain", "ThreadID",
        "ExecutionThreadID", "ActivityID", "RelatedActivityID",
        "EventTypeOrignal", "@timestamp", "@version", "port", "tags",
        "TenantId", "SourceSystem", "_ResourceId", "MG",
        "ManagementGroupName", "EventOriginId", "RawEventData",
        "EventLevelName", "SystemThreadId", "TimeGenerated",
    };
    static const struct want fields[] = {
        STR("Image", "i"), { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };
    char text[256];

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(text, sizeof(text),
                 "{'EventID':1,'SourceName':'S','%s':{'x':1},"
                 "'Image':'i'}", names[i]);
        assert_int_equal(read_flat(f, text), 0);
        check_fields(&f->ev, fields);
    }
}

static void test_flat_read_system_names_are_never_event_data(void **state)
{
    struct fixture *f = *state;
    static const char *const names[] = {
        "SourceName", "ProviderName", "Provider", "Hostname", "Computer",
        "Channel", "RecordNumber", "EventRecordId", "ProcessID",
        "ExecutionProcessID", "SystemProcessId", "UserID", "SystemUserId",
        "Level", "EventLevel", "Severity", "EventTime", "TimeCreated",
        "TimeGenerated", "@timestamp",
    };
    static const struct want fields[] = {
        STR("Image", "i"), { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };
    char text[256];

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        /* Placeholders and odd types too: the name decides. */
        snprintf(text, sizeof(text),
                 "{'EventID':1,'Channel':'C','%s':'-','Image':'i'}",
                 names[i]);
        assert_int_equal(read_flat(f, text), 0);
        check_fields(&f->ev, fields);
        snprintf(text, sizeof(text),
                 "{'EventID':1,'Channel':'C','%s':[1],'Image':'i'}",
                 names[i]);
        assert_int_equal(read_flat(f, text), 0);
        check_fields(&f->ev, fields);
    }
}

static void test_flat_read_variant_without_source_name(void **state)
{
    struct fixture *f = *state;
    static const struct want times[] = {
        ABS("EventTime"), STR("TimeCreated", "2021-04-05 02:17:17.852"),
        ABS("TimeGenerated"), ABS("@timestamp"),
    };
    static const struct want fields[] = {
        STR("UtcTime", "2021-04-05 06:17:17.851"),
        STR("ProcessGuid", "{11111111-2222-3333-4444-555555555555}"),
        STR("Image", "C:\\windows\\Explorer.EXE"), STR("RuleName", "-"),
        STR("Details", "Binary Data"), STR("ProcessId", "4548"),
        STR("EventType", "SetValue"), STR("TargetObject", "HKU\\x"),
        { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };

    assert_int_equal(read_flat(f,
        "{'TimeCreated': '2021-04-05 02:17:17.852', 'UtcTime': '2021-04-05 "
        "06:17:17.851', 'ProcessGuid': "
        "'{11111111-2222-3333-4444-555555555555}', 'Image': "
        "'C:\\\\windows\\\\Explorer.EXE', 'EventID': 13, 'Channel': "
        "'Microsoft-Windows-Sysmon/Operational', 'Task': '13', 'RuleName': "
        "'-', 'Message': 'Registry value set:\\r\\nRuleName: -', "
        "'Hostname': 'WORKSTATION9', 'Details': 'Binary Data', "
        "'ProcessId': '4548', 'EventType': 'SetValue', 'TargetObject': "
        "'HKU\\\\x'}"), 0);
    assert_int_equal(f->ev.event_id, 13);
    check_value(&f->ev.provider, S2Q_KIND_ABSENT, NULL, 0);
    check_value(&f->ev.channel, S2Q_KIND_STRING,
                "Microsoft-Windows-Sysmon/Operational", 0);
    check_value(&f->ev.computer, S2Q_KIND_STRING, "WORKSTATION9", 0);
    check_value(&f->ev.record_id, S2Q_KIND_ABSENT, NULL, 0);
    check_value(&f->ev.level, S2Q_KIND_ABSENT, NULL, 0);
    check_value(&f->ev.version, S2Q_KIND_ABSENT, NULL, 0);
    check_times(&f->ev, times);
    check_fields(&f->ev, fields);
}

/* The Sentinel WindowsEvent-style System fields both row tests share. */
static void check_sentinel_system(const struct s2q_event *ev)
{
    static const struct want times[] = {
        ABS("EventTime"), ABS("TimeCreated"),
        STR("TimeGenerated", "2024-06-01T10:00:00.123Z"), ABS("@timestamp"),
    };

    assert_int_equal(ev->event_id, 1);
    check_value(&ev->provider, S2Q_KIND_STRING, "Microsoft-Windows-Sysmon",
                0);
    check_value(&ev->channel, S2Q_KIND_STRING,
                "Microsoft-Windows-Sysmon/Operational", 0);
    check_value(&ev->computer, S2Q_KIND_STRING, "ws07.example.test", 0);
    check_value(&ev->level, S2Q_KIND_NUMBER, NULL, 4);
    check_value(&ev->record_id, S2Q_KIND_NUMBER, NULL, 9001);
    check_value(&ev->process_id, S2Q_KIND_NUMBER, NULL, 2816);
    check_value(&ev->user_id, S2Q_KIND_STRING, "S-1-5-18", 0);
    check_value(&ev->version, S2Q_KIND_ABSENT, NULL, 0);
    check_times(ev, times);
}

static void test_flat_read_sentinel_row_with_event_data_object(
    void **state)
{
    struct fixture *f = *state;
    static const struct want fields[] = {
        STR("RuleName", "-"), STR("UtcTime", "2024-06-01 10:00:00.120"),
        NUM("ProcessId", 4242), STR("Image", "C:\\w.exe"),
        NUL("ParentUser"), { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };

    assert_int_equal(read_flat(f,
        "{'TenantId':'t','TimeGenerated':'2024-06-01T10:00:00.123Z',"
        "'Computer':'ws07.example.test','EventID':1,'Channel':"
        "'Microsoft-Windows-Sysmon/Operational','Provider':"
        "'Microsoft-Windows-Sysmon','EventLevel':4,'EventLevelName':"
        "'Information','EventRecordId':9001,'SystemProcessId':2816,"
        "'SystemUserId':'S-1-5-18','SystemThreadId':3,'Type':"
        "'WindowsEvent','Version':'15.15','EventType':'SetValue',"
        "'Image':'C:\\\\top.exe','EventData':{'RuleName':'-','UtcTime':"
        "'2024-06-01 10:00:00.120','ProcessId':4242,'Image':"
        "'C:\\\\w.exe','ParentUser':null},'_ResourceId':'r'}"), 0);
    check_sentinel_system(&f->ev);
    check_fields(&f->ev, fields);
}

static void test_flat_read_sentinel_row_with_event_data_text(void **state)
{
    struct fixture *f = *state;
    static const struct want fields[] = {
        STR("RuleName", "-"), STR("UtcTime", "2024-06-01 10:00:00.120"),
        NUM("ProcessId", 4242), STR("Image", "C:\\w.exe"),
        NEST("Extra", "[1,{\"a\":true}]"),
        { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };

    assert_int_equal(read_flat(f,
        "{'TenantId':'t','TimeGenerated':'2024-06-01T10:00:00.123Z',"
        "'Computer':'ws07.example.test','EventID':1,'Channel':"
        "'Microsoft-Windows-Sysmon/Operational','Provider':"
        "'Microsoft-Windows-Sysmon','EventLevel':4,'EventRecordId':9001,"
        "'SystemProcessId':2816,'SystemUserId':'S-1-5-18','Version':"
        "'x','EventData':' {\\'RuleName\\':\\'-\\',\\'UtcTime\\':"
        "\\'2024-06-01 10:00:00.120\\',\\'ProcessId\\':4242,\\'Image\\':"
        "\\'C:\\\\\\\\w.exe\\',\\'Extra\\':[1,{\\'a\\':true}]} '}"), 0);
    check_sentinel_system(&f->ev);
    check_fields(&f->ev, fields);
}

static void test_flat_read_event_data_text_not_an_object_is_kept(
    void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *data;     /* the EventData member, as JSON */
        struct want field;    /* the field it becomes */
    } cases[] = {
        { "'<DataItem a=\\'1\\'/>'", STR("EventData", "<DataItem a='1'/>") },
        { "'[1,2]'", STR("EventData", "[1,2]") },
        { "'3'", STR("EventData", "3") },
        { "'{\\'a\\':1} junk'", STR("EventData", "{'a':1} junk") },
        { "'{\\'a\\':1'", STR("EventData", "{'a':1") },
        { "''", STR("EventData", "") },
        { "'null'", STR("EventData", "null") },
        { "null", NUL("EventData") },
        { "7", NUM("EventData", 7) },
        { "false", BOOLV("EventData", 0) },
        { "['x']", NEST("EventData", "[\"x\"]") },
    };
    char text[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct want fields[] = {
            STR("Image", "i"), cases[i].field, STR("Future", "f"),
            { NULL, S2Q_KIND_ABSENT, NULL, 0 },
        };
        char quoted[64];

        /* The expected text holds ' where the record held \". */
        if (fields[1].kind == S2Q_KIND_STRING) {
            snprintf(quoted, sizeof(quoted), "%s", fields[1].text);
            for (char *p = quoted; *p != '\0'; p++) {
                *p = *p == '\'' ? '"' : *p;
            }
            fields[1].text = quoted;
        }
        snprintf(text, sizeof(text),
                 "{'EventID':1,'SourceName':'S','Image':'i','EventData':%s,"
                 "'Message':'m','Future':'f'}", cases[i].data);
        assert_int_equal(read_flat(f, text), 0);
        check_fields(&f->ev, fields);
    }
}

/* Where a System alias lands in the event. */
#define SYS(m) offsetof(struct s2q_event, m)

/* The System value at that offset of the event. */
static const struct s2q_value *sys_at(const struct s2q_event *ev,
                                      size_t offset)
{
    return (const struct s2q_value *)(const void *)((const char *)ev +
                                                    offset);
}

static void test_flat_read_aliases_in_order(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *members;
        size_t field;
        struct want value;
    } cases[] = {
        { "'Provider':'c','ProviderName':'b','SourceName':'a'",
          SYS(provider), STR("", "a") },
        { "'Provider':'c','ProviderName':'b'", SYS(provider), STR("", "b") },
        { "'Provider':'c'", SYS(provider), STR("", "c") },
        { "'Computer':'b','Hostname':'a'", SYS(computer), STR("", "a") },
        { "'Computer':'b'", SYS(computer), STR("", "b") },
        { "'EventRecordId':2,'RecordNumber':1", SYS(record_id),
          NUM("", 1) },
        { "'EventRecordId':2", SYS(record_id), NUM("", 2) },
        { "'SystemProcessId':3,'ExecutionProcessID':2,'ProcessID':1",
          SYS(process_id), NUM("", 1) },
        { "'SystemProcessId':3,'ExecutionProcessID':2", SYS(process_id),
          NUM("", 2) },
        { "'SystemProcessId':3", SYS(process_id), NUM("", 3) },
        { "'SystemUserId':'b','UserID':'a'", SYS(user_id), STR("", "a") },
        { "'SystemUserId':'b'", SYS(user_id), STR("", "b") },
        { "'Severity':'ERROR','EventLevel':2,'Level':'4'", SYS(level),
          STR("", "4") },
        { "'Severity':'ERROR','EventLevel':2", SYS(level), NUM("", 2) },
        { "'Severity':'ERROR'", SYS(level), STR("", "ERROR") },
        { "'ProcessId':'9'", SYS(process_id), ABS("") },
        { "'UserId':'S-1'", SYS(user_id), ABS("") },
        { "'level':4", SYS(level), ABS("") },
    };
    char text[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(text, sizeof(text), "{%s,'EventID':1,'Channel':'C'}",
                 cases[i].members);
        assert_int_equal(read_flat(f, text), 0);
        check_sys(sys_at(&f->ev, cases[i].field), &cases[i].value);
    }
}

static void test_flat_read_aliases_skip_placeholders(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *members;
        size_t field;
        struct want value;
    } cases[] = {
        { "'SourceName':'-','ProviderName':'','Provider':'c'",
          SYS(provider), STR("", "c") },
        { "'SourceName':null,'ProviderName':'b'", SYS(provider),
          STR("", "b") },
        { "'Hostname':'   ','Computer':'b'", SYS(computer), STR("", "b") },
        { "'RecordNumber':'','EventRecordId':2", SYS(record_id),
          NUM("", 2) },
        { "'ProcessID':'-','ExecutionProcessID':null,'SystemProcessId':3",
          SYS(process_id), NUM("", 3) },
        { "'UserID':null,'SystemUserId':'S-1-5-18'", SYS(user_id),
          STR("", "S-1-5-18") },
        { "'Level':'','EventLevel':null,'Severity':'WARNING'", SYS(level),
          STR("", "WARNING") },
        { "'Level':0,'Severity':'ERROR'", SYS(level), NUM("", 0) },
        { "'Level':false,'Severity':'ERROR'", SYS(level), BOOLV("", 0) },
        /* Only placeholders: the first one present is kept. */
        { "'Computer':'','Hostname':'-'", SYS(computer), STR("", "-") },
        { "'EventLevel':null,'Severity':' '", SYS(level), NUL("") },
    };
    char text[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(text, sizeof(text), "{%s,'EventID':1,'Channel':'C'}",
                 cases[i].members);
        assert_int_equal(read_flat(f, text), 0);
        check_sys(sys_at(&f->ev, cases[i].field), &cases[i].value);
        assert_int_equal(f->ev.nfields, 0);
    }
}

static void test_flat_read_event_type_collision(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *value;
        struct want field;    /* name NULL: envelope, no field */
    } cases[] = {
        { "'INFO'", { NULL, S2Q_KIND_ABSENT, NULL, 0 } },
        { "'WARNING'", { NULL, S2Q_KIND_ABSENT, NULL, 0 } },
        { "'ERROR'", { NULL, S2Q_KIND_ABSENT, NULL, 0 } },
        { "'CRITICAL'", { NULL, S2Q_KIND_ABSENT, NULL, 0 } },
        { "'VERBOSE'", { NULL, S2Q_KIND_ABSENT, NULL, 0 } },
        { "'AUDIT_SUCCESS'", { NULL, S2Q_KIND_ABSENT, NULL, 0 } },
        { "'AUDIT_FAILURE'", { NULL, S2Q_KIND_ABSENT, NULL, 0 } },
        { "'SetValue'", STR("EventType", "SetValue") },
        { "'CreateKey'", STR("EventType", "CreateKey") },
        { "'info'", STR("EventType", "info") },
        { "'INFO '", STR("EventType", "INFO ") },
        { "'DEBUG'", STR("EventType", "DEBUG") },
        { "'AUDIT SUCCESS'", STR("EventType", "AUDIT SUCCESS") },
        { "4", NUM("EventType", 4) },
        { "null", NUL("EventType") },
        { "['INFO']", NEST("EventType", "[\"INFO\"]") },
    };
    char text[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct want fields[] = {
            cases[i].field, { NULL, S2Q_KIND_ABSENT, NULL, 0 },
        };

        snprintf(text, sizeof(text),
                 "{'EventID':12,'SourceName':'S','EventType':%s}",
                 cases[i].value);
        assert_int_equal(read_flat(f, text), 0);
        check_fields(&f->ev, fields);
    }
}

/* Version values: whole numbers are the System Version. */
static const struct {
    const char *value;
    bool system;          /* the System Version, else EventData */
    struct want v;
} version_cases[] = {
    { "3", true, NUM("Version", 3) },
    { "3.0", true, NUM("Version", 3) },
    { "0", true, NUM("Version", 0) },
    { "-0", true, NUM("Version", 0) },
    { "1e300", true, NUM("Version", 1e300) },
    { "'5'", true, STR("Version", "5") },
    { "'007'", true, STR("Version", "007") },
    { "'15.15'", false, STR("Version", "15.15") },
    { "3.5", false, NUM("Version", 3.5) },
    { "-1", false, NUM("Version", -1) },
    { "1e400", false, NUM("Version", HUGE_VAL) },
    { "'-1'", false, STR("Version", "-1") },
    { "'+3'", false, STR("Version", "+3") },
    { "' 3'", false, STR("Version", " 3") },
    { "'3a'", false, STR("Version", "3a") },
    { "''", false, STR("Version", "") },
    { "true", false, BOOLV("Version", 1) },
    { "null", false, NUL("Version") },
    { "{'v':3}", false, NEST("Version", "{\"v\":3}") },
};

static void test_flat_read_version_collision(void **state)
{
    struct fixture *f = *state;
    size_t n = sizeof(version_cases) / sizeof(version_cases[0]);
    char text[256];

    for (size_t i = 0; i < n; i++) {
        const struct want data[] = {
            version_cases[i].v, { NULL, S2Q_KIND_ABSENT, NULL, 0 },
        };
        const struct want *sys = version_cases[i].system ? data : &data[1];

        snprintf(text, sizeof(text),
                 "{'EventID':4,'SourceName':'S','Version':%s}",
                 version_cases[i].value);
        assert_int_equal(read_flat(f, text), 0);
        check_sys(&f->ev.version, sys);
        check_fields(&f->ev, version_cases[i].system ? &data[1] : data);
        /* In a row with an EventData object, a non-whole one is envelope. */
        snprintf(text, sizeof(text),
                 "{'EventID':4,'Provider':'P','Version':%s,'EventData':"
                 "{'State':'Started'}}", version_cases[i].value);
        assert_int_equal(read_flat(f, text), 0);
        check_sys(&f->ev.version, sys);
        assert_int_equal(f->ev.nfields, 1);
        assert_string_equal(f->ev.fields[0].name, "State");
    }
}

static void test_flat_read_unknown_top_level_keys_kept_in_order(
    void **state)
{
    struct fixture *f = *state;
    static const struct want fields[] = {
        STR("FutureField", "x"), NEST("Nested", "{\"a\":[1,2]}"),
        STR("ProcessId", "12"), BOOLV("Flag", 1), NUM("Count", -2.5),
        STR("hostname", "lower"), STR("Type", "T"), NUL("Empty"),
        { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };

    assert_int_equal(read_flat(f,
        "{'FutureField':'x','EventID':1,'Nested':{'a':[1,2]},'Task':1,"
        "'ProcessId':'12','ProcessID':99,'Flag':true,'type':'t','Count':"
        "-2.5,'hostname':'lower','Hostname':'h','Type':'T','message':'m',"
        "'Empty':null,'Provider':'P'}"), 0);
    check_value(&f->ev.process_id, S2Q_KIND_NUMBER, NULL, 99);
    check_value(&f->ev.computer, S2Q_KIND_STRING, "h", 0);
    check_fields(&f->ev, fields);
}

static void test_flat_read_duplicate_keys_first_counts(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *record;
        struct want version;
        struct want fields[MAXF];
    } cases[] = {
        { "{'EventID':4,'Channel':'C','Version':3,'Version':'15.15'}",
          NUM("", 3), { { NULL, S2Q_KIND_ABSENT, NULL, 0 } } },
        { "{'EventID':4,'Channel':'C','Version':'15.15','Version':3}",
          ABS(""), { STR("Version", "15.15") } },
        { "{'EventID':1,'Channel':'C','EventType':'INFO','EventType':'X'}",
          ABS(""), { { NULL, S2Q_KIND_ABSENT, NULL, 0 } } },
        { "{'EventID':1,'Channel':'C','EventType':'X','EventType':'INFO'}",
          ABS(""), { STR("EventType", "X") } },
        { "{'EventID':1,'Channel':'C','Image':'a','Image':'b'}",
          ABS(""), { STR("Image", "a") } },
        { "{'EventID':1,'Channel':'C','EventData':'x','EventData':{'a':1}}",
          ABS(""), { STR("EventData", "x") } },
        { "{'EventID':1,'Channel':'C','EventData':{'a':1,'a':2},"
          "'EventData':'x','Image':'i'}",
          ABS(""), { NUM("a", 1) } },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(read_flat(f, cases[i].record), 0);
        check_sys(&f->ev.version, &cases[i].version);
        check_fields(&f->ev, cases[i].fields);
    }
}

static void test_flat_read_times_in_preference_order(void **state)
{
    struct fixture *f = *state;
    static const struct want times[] = {
        STR("EventTime", "e"), NUM("TimeCreated", 5),
        STR("TimeGenerated", "g"), NUL("@timestamp"),
    };

    assert_int_equal(read_flat(f,
        "{'@timestamp':null,'TimeGenerated':'g','TimeCreated':5,"
        "'EventTime':'e','EventID':1,'Channel':'C'}"), 0);
    check_times(&f->ev, times);
    assert_int_equal(f->ev.nfields, 0);
}

static void test_flat_read_system_fields_keep_their_types(void **state)
{
    struct fixture *f = *state;
    static const struct want sys[] = {
        NUM("SourceName", 5), NEST("Hostname", "{\"a\":1}"),
        BOOLV("Channel", 1), STR("RecordNumber", "abc"),
        NEST("ProcessID", "[]"), NUM("UserID", 18), STR("Level", "Loud"),
        STR("Version", "12"),
    };

    assert_int_equal(read_flat(f,
        "{'EventID':'7','SourceName':5,'Hostname':{'a':1},'Channel':true,"
        "'RecordNumber':'abc','ProcessID':[],'UserID':18,'Level':'Loud',"
        "'Version':'12'}"), 0);
    assert_int_equal(f->ev.event_id, 7);
    check_sys(&f->ev.provider, &sys[0]);
    check_sys(&f->ev.computer, &sys[1]);
    check_sys(&f->ev.channel, &sys[2]);
    check_sys(&f->ev.record_id, &sys[3]);
    check_sys(&f->ev.process_id, &sys[4]);
    check_sys(&f->ev.user_id, &sys[5]);
    check_sys(&f->ev.level, &sys[6]);
    check_sys(&f->ev.version, &sys[7]);
    assert_int_equal(f->ev.nfields, 0);
}

static void test_flat_read_event_id_forms(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *id;       /* EventID member as JSON, NULL: missing */
        int rc;
        unsigned value;
        const char *err;
    } cases[] = {
        { "1", 0, 1, "" },
        { "'22'", 0, 22, "" },
        { "{'#text':'255'}", 0, 255, "" },
        { "0", 0, 0, "" },
        { "65535", 0, 65535, "" },
        { "3.0", 0, 3, "" },
        { NULL, -1, 0, "record has no EventID" },
        { "null", -1, 0, "record has no EventID" },
        { "'-'", -1, 0, "record has no EventID" },
        { "''", -1, 0, "record has no EventID" },
        { "'  '", -1, 0, "record has no EventID" },
        { "65536", -1, 0, "EventID is not a whole number from 0 to 65535" },
        { "-1", -1, 0, "EventID is not a whole number from 0 to 65535" },
        { "1.5", -1, 0, "EventID is not a whole number from 0 to 65535" },
        { "'abc'", -1, 0, "EventID is not a whole number from 0 to 65535" },
        { "'1 '", -1, 0, "EventID is not a whole number from 0 to 65535" },
        { "true", -1, 0, "EventID is not a whole number from 0 to 65535" },
        { "[1]", -1, 0, "EventID is not a whole number from 0 to 65535" },
    };
    char text[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (cases[i].id == NULL) {
            snprintf(text, sizeof(text), "{'SourceName':'S','Image':'i'}");
        } else {
            snprintf(text, sizeof(text),
                     "{'SourceName':'S','EventID':%s,'Image':'i'}",
                     cases[i].id);
        }
        assert_int_equal(read_flat(f, text), cases[i].rc);
        assert_string_equal(f->err, cases[i].err);
        assert_int_equal(f->ev.event_id, cases[i].value);
    }
}

static void test_flat_read_event_data_object_wins_over_top_level(
    void **state)
{
    struct fixture *f = *state;
    static const struct want fields[] = {
        STR("Image", "inner"), NEST("Data", "[{\"@Name\":\"x\"}]"),
        { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };

    assert_int_equal(read_flat(f,
        "{'EventID':1,'SourceName':'S','Image':'outer','CommandLine':'c',"
        "'EventType':'SetValue','EventData':{'#attributes':{'n':1},"
        "'Image':'inner','Data':[{'@Name':'x'}]},'Future':'f'}"), 0);
    check_fields(&f->ev, fields);
    assert_int_equal(read_flat(f,
        "{'EventID':1,'SourceName':'S','Image':'outer','EventData':{}}"),
        0);
    assert_int_equal(f->ev.nfields, 0);
    assert_int_equal(read_flat(f,
        "{'EventID':1,'SourceName':'S','Image':'outer','EventData':'{}'}"),
        0);
    assert_int_equal(f->ev.nfields, 0);
}

static void test_flat_read_reuses_event_between_records(void **state)
{
    struct fixture *f = *state;
    static const struct want fields[] = {
        STR("Image", "b"), { NULL, S2Q_KIND_ABSENT, NULL, 0 },
    };

    for (int i = 0; i < 3; i++) {
        assert_int_equal(read_flat(f,
            "{'EventID':1,'Provider':'P','EventData':'{\\'Image\\':"
            "\\'a\\',\\'User\\':\\'u\\'}'}"), 0);
        assert_int_equal(f->ev.nfields, 2);
        assert_string_equal(f->ev.fields[1].value.str, "u");
        assert_int_equal(read_flat(f,
            "{'EventID':2,'Provider':'P','Image':'b'}"), 0);
        check_fields(&f->ev, fields);
    }
}

/* A row whose data is only in its rendered Message keeps the Message. */
static void test_flat_message_kept_when_it_is_all_the_data(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_flat(f,
        "{'EventID': 20, 'SourceName': 'Microsoft-Windows-Sysmon', "
        "'EventType': 'WmiConsumerEvent', 'Severity': 'INFO', "
        "'Message': 'WmiEventConsumer activity detected:\\r\\n"
        "Operation: Created'}"), 0);
    assert_int_equal(f->ev.nfields, 2);
    assert_string_equal(f->ev.fields[1].name, "Message");
    assert_text(&f->ev.fields[1].value,
                "WmiEventConsumer activity detected:\r\nOperation: Created");
    assert_int_equal(read_flat(f,
        "{'EventID': 20, 'SourceName': 'Microsoft-Windows-Sysmon', "
        "'EventType': 'WmiConsumerEvent', 'Operation': 'Created', "
        "'Message': 'WmiEventConsumer activity detected'}"), 0);
    assert_int_equal(f->ev.nfields, 2);
    assert_null(s2q_event_find(&f->ev, "Message"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flat_match_accepts_event_id_with_a_source_key),
        cmocka_unit_test(test_flat_match_rejects_other_shapes),
        cmocka_unit_test_setup_teardown(
            test_flat_read_issue_nxlog_sysmon_29, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_issue_non_sysmon_4688, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_nxlog_record_with_every_envelope_key, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_each_envelope_key_is_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_system_names_are_never_event_data, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_variant_without_source_name, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_sentinel_row_with_event_data_object, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_sentinel_row_with_event_data_text, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_event_data_text_not_an_object_is_kept, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_aliases_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_aliases_skip_placeholders, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_event_type_collision, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_version_collision, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_unknown_top_level_keys_kept_in_order, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_duplicate_keys_first_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_times_in_preference_order, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_system_fields_keep_their_types, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_event_id_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_event_data_object_wins_over_top_level, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_read_reuses_event_between_records, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flat_message_kept_when_it_is_all_the_data, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
