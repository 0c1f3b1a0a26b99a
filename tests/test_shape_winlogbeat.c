/*
 * test_shape_winlogbeat.c - the winlogbeat adapter: Winlogbeat 7/8 and
 * Elastic Agent documents (winlog object) and Winlogbeat 6 documents
 * (top-level event_data and event_id) end in the canonical event the evtx
 * adapter gives for the same event.
 *
 * Records are written with ' for JSON's quote so that they stay readable;
 * read_record turns every ' into " before parsing.
 */
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

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* An expected EventData pair whose value is a string. */
struct pair {
    const char *name;
    const char *value;
};

/*
 * Parse a record, check that it is in the winlogbeat shape and read it
 * into f->ev as shape.c would. @return the reader's status.
 */
static int read_record(struct fixture *f, const char *text)
{
    cJSON_Delete(f->root);
    f->root = parse_standin(text, false);
    assert_true(s2q_winlogbeat_match(f->root));
    s2q_event_reset(&f->ev);
    f->ev.shape = S2Q_SHAPE_WINLOGBEAT;
    f->err[0] = '\0';
    return s2q_winlogbeat_read(f->root, &f->ev, f->err, sizeof(f->err));
}

/* Check that the event holds exactly these string fields, in order. */
static void assert_fields(const struct s2q_event *ev,
                          const struct pair *want, size_t n)
{
    assert_int_equal(ev->nfields, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(ev->fields[i].name, want[i].name);
        assert_text(&ev->fields[i].value, want[i].value);
    }
}

/* Check that two values are the same (kind and content). */
static void assert_same_value(const struct s2q_value *a,
                              const struct s2q_value *b)
{
    assert_int_equal(a->kind, b->kind);
    if (a->kind == S2Q_KIND_STRING) {
        assert_string_equal(a->str, b->str);
        assert_int_equal(a->len, b->len);
    } else if (a->kind == S2Q_KIND_NUMBER) {
        assert_true(a->num == b->num);
    }
}

/* Issue case 1: a Sysmon 23 from Winlogbeat 8, times from @timestamp. */
static const char issue_23[] =
    "{'@timestamp':'2024-03-01T10:00:00.123Z','event':{'code':'23',"
    "'provider':'Microsoft-Windows-Sysmon'},'log':{'level':'information'},"
    "'host':{'name':'ws01'},'winlog':{'channel':"
    "'Microsoft-Windows-Sysmon/Operational','provider_name':"
    "'Microsoft-Windows-Sysmon','event_id':'23','computer_name':"
    "'ws01.corp.example.test','record_id':5521,'version':5,"
    "'process':{'pid':2816,'thread':{'id':3720}},"
    "'user':{'identifier':'S-1-5-18'},'event_data':{'RuleName':'-',"
    "'UtcTime':'2024-03-01 10:00:00.123','ProcessGuid':"
    "'{11111111-2222-3333-4444-555555555555}','ProcessId':'4242',"
    "'User':'CORP\\\\alice','Image':'C:\\\\Windows\\\\System32\\\\cmd.exe',"
    "'TargetFilename':"
    "'C:\\\\Users\\\\alice\\\\AppData\\\\Local\\\\Temp\\\\drop.ps1',"
    "'Hashes':'SHA256=AAAA0000000000000000000000000000000000000000"
    "00000000000000000001',"
    "'IsExecutable':'false','Archived':'true'}}}";

/* The same event as evtx_dump -o json would write it. */
static const char issue_23_evtx[] =
    "{'Event':{'System':{'Provider':{'#attributes':{'Name':"
    "'Microsoft-Windows-Sysmon','Guid':'{5770385f}'}},'EventID':23,"
    "'Version':5,'Level':4,'Task':23,'TimeCreated':{'#attributes':"
    "{'SystemTime':'2024-03-01T10:00:00.123Z'}},'EventRecordID':5521,"
    "'Execution':{'#attributes':{'ProcessID':2816,'ThreadID':3720}},"
    "'Channel':'Microsoft-Windows-Sysmon/Operational','Computer':"
    "'ws01.corp.example.test','Security':{'#attributes':"
    "{'UserID':'S-1-5-18'}}},'EventData':{'RuleName':'-',"
    "'UtcTime':'2024-03-01 10:00:00.123','ProcessGuid':"
    "'{11111111-2222-3333-4444-555555555555}','ProcessId':'4242',"
    "'User':'CORP\\\\alice','Image':'C:\\\\Windows\\\\System32\\\\cmd.exe',"
    "'TargetFilename':"
    "'C:\\\\Users\\\\alice\\\\AppData\\\\Local\\\\Temp\\\\drop.ps1',"
    "'Hashes':'SHA256=AAAA0000000000000000000000000000000000000000"
    "00000000000000000001',"
    "'IsExecutable':'false','Archived':'true'}}}";

static void test_winlogbeat_match_recognises_its_layouts(void **state)
{
    static const struct {
        const char *json;
        bool match;
    } cases[] = {
        { "{'winlog':{}}", true },
        { "{'winlog':{'event_id':'1'},'event_data':5}", true },
        { "{'event_data':{},'event_id':1}", true },
        { "{'event_data':{'A':'b'},'event_id':null}", true },
        { "{'winlog':'x','event_data':{},'event_id':3}", true },
        { "{'winlog':null}", false },
        { "{'winlog':'x'}", false },
        { "{'winlog':[{}]}", false },
        { "{'event_data':{}}", false },
        { "{'event_id':1}", false },
        { "{'event_data':'{}','event_id':1}", false },
        { "{'event_data':[],'event_id':1}", false },
        { "{'event_data':null,'event_id':1}", false },
        { "{'Winlog':{}}", false },
        { "{'EventData':{},'EventID':1}", false },
        { "{'Event':{'System':{'EventID':1}}}", false },
        { "{'EventID':1,'SourceName':'Microsoft-Windows-Sysmon'}", false },
        { "{'win':{'system':{'eventID':'1'},'eventdata':{}}}", false },
        { "{'data':{'win':{'system':{'eventID':'1'}}}}", false },
        { "{'Id':1,'ProviderName':'x','Properties':[]}", false },
        { "{}", false },
        { "[{'winlog':{}}]", false },
        { "'winlog'", false },
    };

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        cJSON *root = parse_standin(cases[i].json, false);

        assert_int_equal(s2q_winlogbeat_match(root), cases[i].match);
        cJSON_Delete(root);
    }
    assert_false(s2q_winlogbeat_match(NULL));
}

static void test_winlogbeat_issue_file_delete_archived(void **state)
{
    static const struct pair data[] = {
        { "RuleName", "-" },
        { "UtcTime", "2024-03-01 10:00:00.123" },
        { "ProcessGuid", "{11111111-2222-3333-4444-555555555555}" },
        { "ProcessId", "4242" },
        { "User", "CORP\\alice" },
        { "Image", "C:\\Windows\\System32\\cmd.exe" },
        { "TargetFilename",
          "C:\\Users\\alice\\AppData\\Local\\Temp\\drop.ps1" },
        { "Hashes", "SHA256=AAAA0000000000000000000000000000000000000000"
                    "00000000000000000001" },
        { "IsExecutable", "false" },
        { "Archived", "true" },
    };
    struct fixture *f = *state;

    assert_int_equal(read_record(f, issue_23), 0);
    assert_int_equal(f->ev.shape, S2Q_SHAPE_WINLOGBEAT);
    assert_int_equal(f->ev.event_id, 23);
    assert_text(&f->ev.provider, "Microsoft-Windows-Sysmon");
    assert_number(&f->ev.version, 5);
    assert_text(&f->ev.level, "information");
    assert_text(&f->ev.channel, "Microsoft-Windows-Sysmon/Operational");
    assert_text(&f->ev.computer, "ws01.corp.example.test");
    assert_number(&f->ev.record_id, 5521);
    assert_number(&f->ev.process_id, 2816);
    assert_text(&f->ev.user_id, "S-1-5-18");
    assert_int_equal(f->ev.ntimes, 1);
    assert_text(&f->ev.times[0], "2024-03-01T10:00:00.123Z");
    assert_false(f->ev.utc_time_first);
    assert_false(f->ev.unnamed_values);
    assert_fields(&f->ev, data, COUNT(data));
}

static void test_winlogbeat_issue_file_delete_logged(void **state)
{
    static const struct pair data[] = {
        { "UtcTime", "2024-03-01 10:00:02.000" },
        { "ProcessGuid", "{aaaaaaaa-0000-0000-0000-000000000001}" },
        { "ProcessId", "900" },
        { "User", "CORP\\bob" },
        { "Image", "C:\\Tools\\cleaner.exe" },
        { "TargetFilename", "C:\\Temp\\payload.dll" },
        { "Hashes", "SHA1=1111111111111111111111111111111111111111,SHA256="
                    "2222222222222222222222222222222222222222222222222222"
                    "222222222222" },
        { "IsExecutable", "true" },
    };
    struct fixture *f = *state;

    assert_int_equal(read_record(f,
        "{'winlog':{'event_id':'26','provider_name':"
        "'Microsoft-Windows-Sysmon','channel':"
        "'Microsoft-Windows-Sysmon/Operational','computer_name':'ws02',"
        "'record_id':77,'event_data':{'UtcTime':'2024-03-01 10:00:02.000',"
        "'ProcessGuid':'{aaaaaaaa-0000-0000-0000-000000000001}',"
        "'ProcessId':'900','User':'CORP\\\\bob','Image':"
        "'C:\\\\Tools\\\\cleaner.exe','TargetFilename':"
        "'C:\\\\Temp\\\\payload.dll','Hashes':"
        "'SHA1=1111111111111111111111111111111111111111,SHA256="
        "2222222222222222222222222222222222222222222222222222222222222222',"
        "'IsExecutable':'true'}},'@timestamp':'2024-03-01T10:00:02.000Z'}"),
        0);
    assert_int_equal(f->ev.event_id, 26);
    assert_text(&f->ev.provider, "Microsoft-Windows-Sysmon");
    assert_text(&f->ev.channel, "Microsoft-Windows-Sysmon/Operational");
    assert_text(&f->ev.computer, "ws02");
    assert_number(&f->ev.record_id, 77);
    assert_int_equal(f->ev.version.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.level.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.process_id.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.user_id.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.ntimes, 1);
    assert_text(&f->ev.times[0], "2024-03-01T10:00:02.000Z");
    assert_false(f->ev.utc_time_first);
    assert_fields(&f->ev, data, COUNT(data));
}

static void test_winlogbeat_issue_numeric_event_id(void **state)
{
    static const struct pair data[] = {
        { "UtcTime", "2024-03-04 07:00:00.000" },
        { "ProcessGuid", "{dddddddd-0000-0000-0000-000000000004}" },
        { "ProcessId", "3100" },
        { "Image", "C:\\Program Files\\Vendor Agent\\Agent\\agenthost.exe" },
        { "CommandLine", "C:\\Program Files\\Vendor Agent\\Agent\\"
                         "agenthost.exe -Embedding" },
        { "User", "NT AUTHORITY\\SYSTEM" },
        { "ParentImage", "C:\\Windows\\System32\\svchost.exe" },
        { "Hashes", "IMPHASH=ABCDEFABCDEFABCDEFABCDEFABCDEFAB" },
    };
    struct fixture *f = *state;

    assert_int_equal(read_record(f,
        "{'winlog':{'event_id':1,'provider_name':'Microsoft-Windows-Sysmon',"
        "'channel':'Microsoft-Windows-Sysmon/Operational','computer_name':"
        "'ws03','record_id':12,'event_data':{'UtcTime':"
        "'2024-03-04 07:00:00.000','ProcessGuid':"
        "'{dddddddd-0000-0000-0000-000000000004}','ProcessId':'3100',"
        "'Image':'C:\\\\Program Files\\\\Vendor Agent\\\\Agent\\\\"
        "agenthost.exe','CommandLine':'C:\\\\Program Files\\\\Vendor Agent"
        "\\\\Agent\\\\agenthost.exe -Embedding','User':"
        "'NT AUTHORITY\\\\SYSTEM','ParentImage':"
        "'C:\\\\Windows\\\\System32\\\\svchost.exe','Hashes':"
        "'IMPHASH=ABCDEFABCDEFABCDEFABCDEFABCDEFAB'}},"
        "'@timestamp':'2024-03-04T07:00:00.000Z'}"), 0);
    assert_int_equal(f->ev.event_id, 1);
    assert_text(&f->ev.computer, "ws03");
    assert_number(&f->ev.record_id, 12);
    assert_text(&f->ev.times[0], "2024-03-04T07:00:00.000Z");
    assert_fields(&f->ev, data, COUNT(data));
}

static void test_winlogbeat_same_event_as_evtx(void **state)
{
    struct fixture *f = *state;
    cJSON *evtx = parse_standin(issue_23_evtx, false);
    struct s2q_event ev;

    s2q_event_init(&ev);
    ev.shape = S2Q_SHAPE_EVTX;
    assert_int_equal(s2q_evtx_read(evtx, &ev, f->err, sizeof(f->err)), 0);
    assert_int_equal(read_record(f, issue_23), 0);
    assert_int_equal(f->ev.event_id, ev.event_id);
    assert_same_value(&f->ev.provider, &ev.provider);
    assert_same_value(&f->ev.version, &ev.version);
    assert_same_value(&f->ev.channel, &ev.channel);
    assert_same_value(&f->ev.computer, &ev.computer);
    assert_same_value(&f->ev.record_id, &ev.record_id);
    assert_same_value(&f->ev.process_id, &ev.process_id);
    assert_same_value(&f->ev.user_id, &ev.user_id);
    assert_int_equal(f->ev.ntimes, ev.ntimes);
    assert_same_value(&f->ev.times[0], &ev.times[0]);
    assert_int_equal(f->ev.utc_time_first, ev.utc_time_first);
    /* Level 4 and "information" are both Informational (SPEC 3.6). */
    assert_number(&ev.level, 4);
    assert_text(&f->ev.level, "information");
    assert_int_equal(f->ev.nfields, ev.nfields);
    for (size_t i = 0; i < ev.nfields; i++) {
        assert_string_equal(f->ev.fields[i].name, ev.fields[i].name);
        assert_same_value(&f->ev.fields[i].value, &ev.fields[i].value);
    }
    s2q_event_free(&ev);
    cJSON_Delete(evtx);
}

static void test_winlogbeat_legacy_layout(void **state)
{
    static const struct pair data[] = {
        { "UtcTime", "2019-05-18 20:19:19.099" },
        { "SourceProcessGUID", "{0a0b0c0d-0000-0000-0000-000000000001}" },
        { "SourceProcessId", "748" },
        { "TargetImage", "C:\\Windows\\System32\\svchost.exe" },
        { "GrantedAccess", "0x1000" },
    };
    struct fixture *f = *state;

    assert_int_equal(read_record(f,
        "{'@timestamp':'2019-05-18T20:19:19.105Z','@metadata':{'beat':"
        "'winlogbeat','version':'6.7.0'},'level':'Information',"
        "'event_data':{'UtcTime':'2019-05-18 20:19:19.099',"
        "'SourceProcessGUID':'{0a0b0c0d-0000-0000-0000-000000000001}',"
        "'SourceProcessId':'748','TargetImage':"
        "'C:\\\\Windows\\\\System32\\\\svchost.exe','GrantedAccess':"
        "'0x1000'},'computer_name':'hr01.example.test','host':{'name':"
        "'collector'},'process_id':2440,'version':3,'record_number':"
        "'2187865','opcode':'Info','log_name':"
        "'Microsoft-Windows-Sysmon/Operational','task':'Process accessed',"
        "'provider_guid':'{5770385f}','user':{'identifier':'S-1-5-18',"
        "'name':'SYSTEM'},'event_id':10,'thread_id':3144,'type':"
        "'wineventlog','source_name':'Microsoft-Windows-Sysmon','beat':"
        "{'name':'collector'},'message':'Process accessed:'}"), 0);
    assert_int_equal(f->ev.event_id, 10);
    assert_text(&f->ev.provider, "Microsoft-Windows-Sysmon");
    assert_number(&f->ev.version, 3);
    assert_text(&f->ev.level, "Information");
    assert_text(&f->ev.channel, "Microsoft-Windows-Sysmon/Operational");
    assert_text(&f->ev.computer, "hr01.example.test");
    assert_text(&f->ev.record_id, "2187865");
    assert_number(&f->ev.process_id, 2440);
    assert_text(&f->ev.user_id, "S-1-5-18");
    assert_int_equal(f->ev.ntimes, 1);
    assert_text(&f->ev.times[0], "2019-05-18T20:19:19.105Z");
    assert_false(f->ev.utc_time_first);
    assert_fields(&f->ev, data, COUNT(data));
}

static void test_winlogbeat_legacy_when_winlog_is_no_object(void **state)
{
    static const struct pair data[] = { { "Image", "a.exe" } };
    struct fixture *f = *state;

    assert_int_equal(read_record(f,
        "{'winlog':'x','event_id':'3','source_name':'Linux-Sysmon',"
        "'event_data':{'Image':'a.exe'}}"), 0);
    assert_int_equal(f->ev.event_id, 3);
    assert_text(&f->ev.provider, "Linux-Sysmon");
    assert_fields(&f->ev, data, COUNT(data));
}

static void test_winlogbeat_system_time_choice(void **state)
{
    static const struct {
        const char *json;
        const char *want;   /* times[0] as text, NULL when not a string */
        enum s2q_kind kind;
    } cases[] = {
        { "{'@timestamp':'T2','winlog':{'event_id':1,'time_created':'T1'}}",
          "T1", S2Q_KIND_STRING },
        { "{'winlog':{'event_id':1},'@timestamp':'T2'}", "T2",
          S2Q_KIND_STRING },
        { "{'@timestamp':'T2','winlog':{'event_id':1,'time_created':''}}",
          "T2", S2Q_KIND_STRING },
        { "{'@timestamp':'T2','winlog':{'event_id':1,'time_created':'-'}}",
          "T2", S2Q_KIND_STRING },
        { "{'@timestamp':'T2','winlog':{'event_id':1,'time_created':null}}",
          "T2", S2Q_KIND_STRING },
        /* a present time is kept, zone or not: mapping judges it */
        { "{'@timestamp':'T2','winlog':{'event_id':1,'time_created':"
          "'2024-03-01 10:00:00'}}", "2024-03-01 10:00:00", S2Q_KIND_STRING },
        { "{'@timestamp':'T2','winlog':{'event_id':1,'time_created':7}}",
          NULL, S2Q_KIND_NUMBER },
        { "{'winlog':{'event_id':1,'time_created':null}}", NULL,
          S2Q_KIND_NULL },
        { "{'winlog':{'event_id':1},'@timestamp':''}", "", S2Q_KIND_STRING },
        { "{'winlog':{'event_id':1}}", NULL, S2Q_KIND_ABSENT },
        { "{'winlog':{'event_id':1},'time_created':'T0'}", NULL,
          S2Q_KIND_ABSENT },
        { "{'event_id':1,'event_data':{},'time_created':'T1',"
          "'@timestamp':'T2'}", "T1", S2Q_KIND_STRING },
        { "{'event_id':1,'event_data':{},'@timestamp':'T2'}", "T2",
          S2Q_KIND_STRING },
        { "{'event_id':1,'event_data':{},'time_created':' ',"
          "'@timestamp':'T2'}", "T2", S2Q_KIND_STRING },
        { "{'event_id':1,'event_data':{},'TimeCreated':'T0'}", NULL,
          S2Q_KIND_ABSENT },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < COUNT(cases); i++) {
        assert_int_equal(read_record(f, cases[i].json), 0);
        assert_int_equal(f->ev.ntimes, 1);
        assert_false(f->ev.utc_time_first);
        if (cases[i].want != NULL) {
            assert_text(&f->ev.times[0], cases[i].want);
        } else {
            assert_int_equal(f->ev.times[0].kind, cases[i].kind);
        }
    }
}

static void test_winlogbeat_event_id_forms(void **state)
{
    static const struct {
        const char *json;
        int rc;
        unsigned want;
        const char *err;
    } cases[] = {
        { "{'winlog':{'event_id':'23'}}", 0, 23, "" },
        { "{'winlog':{'event_id':23}}", 0, 23, "" },
        { "{'winlog':{'event_id':0}}", 0, 0, "" },
        { "{'winlog':{'event_id':'65535'}}", 0, 65535, "" },
        { "{'winlog':{'event_id':'4'},'event':{'code':'5'}}", 0, 4, "" },
        { "{'winlog':{},'event':{'code':'5'}}", 0, 5, "" },
        { "{'winlog':{},'event':{'code':6}}", 0, 6, "" },
        { "{'winlog':{'event_id':null},'event':{'code':'7'}}", 0, 7, "" },
        { "{'winlog':{'event_id':''},'event':{'code':'8'}}", 0, 8, "" },
        { "{'event_id':'9','event_data':{}}", 0, 9, "" },
        { "{'event_id':10,'event_data':{},'event':{'code':'11'}}", 0, 10,
          "" },
        { "{'winlog':{}}", -1, 0, "record has no EventID" },
        { "{'winlog':{'event_id':null}}", -1, 0, "record has no EventID" },
        { "{'winlog':{'event_id':'-'},'event':{'code':''}}", -1, 0,
          "record has no EventID" },
        { "{'winlog':{},'event':'5'}", -1, 0, "record has no EventID" },
        { "{'winlog':{},'event_id':5}", -1, 0, "record has no EventID" },
        { "{'event_id':null,'event_data':{}}", -1, 0,
          "record has no EventID" },
        { "{'event_id':'','event_data':{},'event':{'code':'1'}}", -1, 0,
          "record has no EventID" },
        { "{'winlog':{'event_id':'65536'}}", -1, 0,
          "EventID is not a whole number from 0 to 65535" },
        { "{'winlog':{'event_id':-1}}", -1, 0,
          "EventID is not a whole number from 0 to 65535" },
        { "{'winlog':{'event_id':1.5}}", -1, 0,
          "EventID is not a whole number from 0 to 65535" },
        { "{'winlog':{'event_id':'1a'},'event':{'code':'1'}}", -1, 0,
          "EventID is not a whole number from 0 to 65535" },
        { "{'winlog':{'event_id':true}}", -1, 0,
          "EventID is not a whole number from 0 to 65535" },
        { "{'winlog':{'event_id':[1]}}", -1, 0,
          "EventID is not a whole number from 0 to 65535" },
        { "{'event_id':'x','event_data':{}}", -1, 0,
          "EventID is not a whole number from 0 to 65535" },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < COUNT(cases); i++) {
        assert_int_equal(read_record(f, cases[i].json), cases[i].rc);
        assert_string_equal(f->err, cases[i].err);
        if (cases[i].rc == 0) {
            assert_int_equal(f->ev.event_id, cases[i].want);
        }
    }
}

static void test_winlogbeat_system_values_keep_their_type(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_record(f,
        "{'winlog':{'event_id':'1','record_id':'77','version':'5',"
        "'process':{'pid':'2816'},'user':{'identifier':null},"
        "'computer_name':7,'channel':{'a':1},'provider_name':true}}"), 0);
    assert_text(&f->ev.record_id, "77");
    assert_text(&f->ev.version, "5");
    assert_text(&f->ev.process_id, "2816");
    assert_int_equal(f->ev.user_id.kind, S2Q_KIND_NULL);
    assert_number(&f->ev.computer, 7);
    assert_int_equal(f->ev.channel.kind, S2Q_KIND_NESTED);
    assert_int_equal(f->ev.provider.kind, S2Q_KIND_BOOL);
    assert_true(f->ev.provider.boolean);

    assert_int_equal(read_record(f,
        "{'winlog':{'event_id':'1','record_id':5521.0,'version':0,"
        "'process':{'pid':0}}}"), 0);
    assert_number(&f->ev.record_id, 5521);
    assert_number(&f->ev.version, 0);
    assert_number(&f->ev.process_id, 0);

    assert_int_equal(read_record(f,
        "{'event_id':1,'event_data':{},'record_number':12,"
        "'process_id':'40','version':'3','level':4}"), 0);
    assert_number(&f->ev.record_id, 12);
    assert_text(&f->ev.process_id, "40");
    assert_text(&f->ev.version, "3");
    assert_number(&f->ev.level, 4);
}

static void test_winlogbeat_missing_or_odd_members(void **state)
{
    static const char *const records[] = {
        "{'winlog':{'event_id':1}}",
        "{'winlog':{'event_id':1,'process':5,'user':'S-1-5-18'},"
        "'log':'information','event':'x'}",
        "{'winlog':{'event_id':1,'process':[{'pid':1}],"
        "'user':{'name':'SYSTEM'}},'log':{'file':'x'}}",
        "{'event_id':1,'event_data':{},'user':'S-1-5-18'}",
        "{'event_id':1,'event_data':{},'user':{'name':'SYSTEM'}}",
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < COUNT(records); i++) {
        assert_int_equal(read_record(f, records[i]), 0);
        assert_int_equal(f->ev.event_id, 1);
        assert_int_equal(f->ev.provider.kind, S2Q_KIND_ABSENT);
        assert_int_equal(f->ev.version.kind, S2Q_KIND_ABSENT);
        assert_int_equal(f->ev.level.kind, S2Q_KIND_ABSENT);
        assert_int_equal(f->ev.channel.kind, S2Q_KIND_ABSENT);
        assert_int_equal(f->ev.computer.kind, S2Q_KIND_ABSENT);
        assert_int_equal(f->ev.record_id.kind, S2Q_KIND_ABSENT);
        assert_int_equal(f->ev.process_id.kind, S2Q_KIND_ABSENT);
        assert_int_equal(f->ev.user_id.kind, S2Q_KIND_ABSENT);
        assert_int_equal(f->ev.ntimes, 1);
        assert_int_equal(f->ev.times[0].kind, S2Q_KIND_ABSENT);
        assert_int_equal(f->ev.nfields, 0);
    }
}

static void test_winlogbeat_provider_fallback(void **state)
{
    static const struct {
        const char *json;
        const char *want;   /* NULL: absent */
    } cases[] = {
        { "{'winlog':{'event_id':1,'provider_name':'A'},"
          "'event':{'provider':'B'}}", "A" },
        { "{'winlog':{'event_id':1},'event':{'provider':'B'}}", "B" },
        { "{'winlog':{'event_id':1,'provider_name':'-'},"
          "'event':{'provider':'B'}}", "B" },
        { "{'winlog':{'event_id':1,'provider_name':''},"
          "'event':{'provider':null}}", "" },
        { "{'winlog':{'event_id':1},'event':{'provider':'-'}}", "-" },
        { "{'winlog':{'event_id':1},'event':{'code':'1'}}", NULL },
        { "{'winlog':{'event_id':1},'provider_name':'C',"
          "'source_name':'D'}", NULL },
        { "{'event_id':1,'event_data':{},'source_name':'D',"
          "'event':{'provider':'B'}}", "D" },
        { "{'event_id':1,'event_data':{},'event':{'provider':'B'}}", NULL },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < COUNT(cases); i++) {
        assert_int_equal(read_record(f, cases[i].json), 0);
        if (cases[i].want != NULL) {
            assert_text(&f->ev.provider, cases[i].want);
        } else {
            assert_int_equal(f->ev.provider.kind, S2Q_KIND_ABSENT);
        }
    }
}

static void test_winlogbeat_level_fallback(void **state)
{
    static const struct {
        const char *json;
        const char *want;   /* NULL: absent */
    } cases[] = {
        { "{'log':{'level':'information'},'winlog':{'event_id':1,"
          "'level':'Warning'}}", "information" },
        { "{'winlog':{'event_id':1,'level':'Warning'}}", "Warning" },
        { "{'log':{'level':''},'winlog':{'event_id':1,'level':'error'}}",
          "error" },
        { "{'log':'x','winlog':{'event_id':1,'level':'error'}}", "error" },
        { "{'log':{'level':'verbose'},'winlog':{'event_id':1}}", "verbose" },
        { "{'level':'Information','winlog':{'event_id':1}}", NULL },
        { "{'event_id':1,'event_data':{},'log':{'level':'error'}}", NULL },
        { "{'event_id':1,'event_data':{},'level':'Warning'}", "Warning" },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < COUNT(cases); i++) {
        assert_int_equal(read_record(f, cases[i].json), 0);
        if (cases[i].want != NULL) {
            assert_text(&f->ev.level, cases[i].want);
        } else {
            assert_int_equal(f->ev.level.kind, S2Q_KIND_ABSENT);
        }
    }
}

static void test_winlogbeat_envelope_is_ignored(void **state)
{
    static const struct pair data[] = { { "Image", "b.exe" } };
    struct fixture *f = *state;

    assert_int_equal(read_record(f,
        "{'agent':{'name':'ws01','type':'winlogbeat'},'ecs':{'version':"
        "'8.0.0'},'host':{'name':'ws01','hostname':'ws01'},'event':{'kind':"
        "'event','created':'2024-01-01T00:00:00Z','code':'9'},'message':"
        "'text','user':{'identifier':'S-1-5-21-1','name':'bob'},"
        "'process':{'pid':1},'computer_name':'top','Image':'top.exe',"
        "'event_data':{'Image':'top.exe'},'winlog':{'event_id':'5',"
        "'api':'wineventlog','opcode':'Info','task':'Process terminated',"
        "'keywords':['k'],'provider_guid':'{5770385f}','process':{'pid':"
        "12,'thread':{'id':13}},'user':{'identifier':'S-1-5-18','name':"
        "'SYSTEM','domain':'NT AUTHORITY','type':'User'},'activity_id':"
        "'{1}','event_data':{'Image':'b.exe'}}}"), 0);
    assert_int_equal(f->ev.event_id, 5);
    assert_int_equal(f->ev.computer.kind, S2Q_KIND_ABSENT);
    assert_number(&f->ev.process_id, 12);
    assert_text(&f->ev.user_id, "S-1-5-18");
    assert_fields(&f->ev, data, COUNT(data));
}

static void test_winlogbeat_event_data_keeps_types_and_order(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_record(f,
        "{'winlog':{'event_id':3,'event_data':{'Initiated':true,"
        "'SourcePort':49152,'DestinationHostname':null,'Image':'first',"
        "'Extra':{'a':[1,2]},'Image':'second','List':[],'RuleName':''}}}"),
        0);
    assert_int_equal(f->ev.nfields, 7);
    assert_string_equal(f->ev.fields[0].name, "Initiated");
    assert_int_equal(f->ev.fields[0].value.kind, S2Q_KIND_BOOL);
    assert_true(f->ev.fields[0].value.boolean);
    assert_string_equal(f->ev.fields[1].name, "SourcePort");
    assert_number(&f->ev.fields[1].value, 49152);
    assert_string_equal(f->ev.fields[2].name, "DestinationHostname");
    assert_int_equal(f->ev.fields[2].value.kind, S2Q_KIND_NULL);
    assert_string_equal(f->ev.fields[3].name, "Image");
    assert_text(&f->ev.fields[3].value, "first");
    assert_string_equal(f->ev.fields[4].name, "Extra");
    assert_int_equal(f->ev.fields[4].value.kind, S2Q_KIND_NESTED);
    assert_true(cJSON_IsObject(f->ev.fields[4].value.node));
    assert_string_equal(f->ev.fields[5].name, "List");
    assert_int_equal(f->ev.fields[5].value.kind, S2Q_KIND_NESTED);
    assert_string_equal(f->ev.fields[6].name, "RuleName");
    assert_text(&f->ev.fields[6].value, "");
}

static void test_winlogbeat_user_data_is_kept(void **state)
{
    static const struct pair only_user[] = {
        { "xml_name", "LogFileCleared" },
        { "SubjectUserSid", "S-1-5-21-1" },
        { "SubjectUserName", "alice" },
    };
    static const struct pair both[] = {
        { "Param1", "a" },
        { "Param2", "b" },
        { "Param3", "c" },
    };
    struct fixture *f = *state;

    assert_int_equal(read_record(f,
        "{'winlog':{'event_id':'1102','provider_name':"
        "'Microsoft-Windows-Eventlog','channel':'Security','user_data':"
        "{'xml_name':'LogFileCleared','SubjectUserSid':'S-1-5-21-1',"
        "'SubjectUserName':'alice'}}}"), 0);
    assert_int_equal(f->ev.event_id, 1102);
    assert_fields(&f->ev, only_user, COUNT(only_user));

    assert_int_equal(read_record(f,
        "{'winlog':{'event_id':'1','event_data':{'Param1':'a',"
        "'Param2':'b'},'user_data':{'Param2':'x','Param3':'c'}}}"), 0);
    assert_fields(&f->ev, both, COUNT(both));

    assert_int_equal(read_record(f,
        "{'event_id':104,'source_name':'Microsoft-Windows-Eventlog',"
        "'event_data':{},'user_data':{'Param1':'a','Param2':'b',"
        "'Param3':'c'}}"), 0);
    assert_fields(&f->ev, both, COUNT(both));
}

static void test_winlogbeat_malformed_data_objects(void **state)
{
    static const struct {
        const char *json;
        int rc;
        const char *err;
    } cases[] = {
        { "{'winlog':{'event_id':1,'event_data':null}}", 0, "" },
        { "{'winlog':{'event_id':1,'event_data':''}}", 0, "" },
        { "{'winlog':{'event_id':1,'event_data':'-'}}", 0, "" },
        { "{'winlog':{'event_id':1,'event_data':{}}}", 0, "" },
        { "{'winlog':{'event_id':1,'user_data':null}}", 0, "" },
        { "{'winlog':{'event_id':1,'event_data':'Image=a'}}", -1,
          "winlog.event_data is not an object" },
        { "{'winlog':{'event_id':1,'event_data':[{'Image':'a'}]}}", -1,
          "winlog.event_data is not an object" },
        { "{'winlog':{'event_id':1,'event_data':5}}", -1,
          "winlog.event_data is not an object" },
        { "{'winlog':{'event_id':1,'event_data':false}}", -1,
          "winlog.event_data is not an object" },
        { "{'winlog':{'event_id':1,'user_data':'x'}}", -1,
          "winlog.user_data is not an object" },
        { "{'winlog':{'event_id':1,'event_data':{},'user_data':[]}}", -1,
          "winlog.user_data is not an object" },
        { "{'event_id':1,'event_data':{},'user_data':5}", -1,
          "user_data is not an object" },
        { "{'event_id':1,'event_data':{},'user_data':''}", 0, "" },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < COUNT(cases); i++) {
        assert_int_equal(read_record(f, cases[i].json), cases[i].rc);
        assert_string_equal(f->err, cases[i].err);
        if (cases[i].rc == 0) {
            assert_int_equal(f->ev.nfields, 0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_winlogbeat_match_recognises_its_layouts),
        cmocka_unit_test_setup_teardown(
            test_winlogbeat_issue_file_delete_archived, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_winlogbeat_issue_file_delete_logged, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_winlogbeat_issue_numeric_event_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_winlogbeat_same_event_as_evtx,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_winlogbeat_legacy_layout,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_winlogbeat_legacy_when_winlog_is_no_object, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_winlogbeat_system_time_choice,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_winlogbeat_event_id_forms,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_winlogbeat_system_values_keep_their_type, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_winlogbeat_missing_or_odd_members, setup, teardown),
        cmocka_unit_test_setup_teardown(test_winlogbeat_provider_fallback,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_winlogbeat_level_fallback,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_winlogbeat_envelope_is_ignored,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_winlogbeat_event_data_keeps_types_and_order, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_winlogbeat_user_data_is_kept,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_winlogbeat_malformed_data_objects, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
