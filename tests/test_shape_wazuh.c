/*
 * test_shape_wazuh.c - the wazuh adapter: Wazuh agent JSON, alone or in a
 * full alert, with its lower-cased EventData names and its extra level of
 * backslash escaping, becomes the same canonical event as the evtx shape.
 *
 * Records are written with two stand-ins to keep them readable: ' is a
 * JSON quote and % is one backslash of JSON text. So the Wazuh value
 * 'C:%%%%Windows' is the JSON text "C:\\\\Windows", which decodes to
 * C:\\Windows and stands for C:\Windows.
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

/* Parse text into the fixture and read it as a Wazuh record.
 * @return s2q_wazuh_read's result. */
static int read_text(struct fixture *f, const char *text)
{
    cJSON_Delete(f->root);
    f->root = parse_standin(text, true);
    s2q_event_reset(&f->ev);
    f->ev.shape = S2Q_SHAPE_WAZUH;
    f->err[0] = '\0';
    return s2q_wazuh_read(f->root, &f->ev, f->err, sizeof(f->err));
}

/* EventData field i has this name and string value. */
static void assert_field(const struct s2q_event *ev, size_t i,
                         const char *name, const char *value)
{
    assert_true(i < ev->nfields);
    assert_string_equal(ev->fields[i].name, name);
    assert_text(&ev->fields[i].value, value);
}

/* Every System value of a record is absent, apart from the event ID. */
static void assert_system_absent(const struct s2q_event *ev)
{
    assert_int_equal(ev->provider.kind, S2Q_KIND_ABSENT);
    assert_int_equal(ev->version.kind, S2Q_KIND_ABSENT);
    assert_int_equal(ev->level.kind, S2Q_KIND_ABSENT);
    assert_int_equal(ev->channel.kind, S2Q_KIND_ABSENT);
    assert_int_equal(ev->computer.kind, S2Q_KIND_ABSENT);
    assert_int_equal(ev->record_id.kind, S2Q_KIND_ABSENT);
    assert_int_equal(ev->process_id.kind, S2Q_KIND_ABSENT);
    assert_int_equal(ev->user_id.kind, S2Q_KIND_ABSENT);
    assert_int_equal(ev->times[0].kind, S2Q_KIND_ABSENT);
}

/* A full alert (issue case 4): win under data, among Wazuh's own keys. */
static const char alert_13[] =
    "{'agent': {'id': '003', 'name': 'ws05'}, 'data': {'win': {'system': "
    "{'providerName': 'Microsoft-Windows-Sysmon', 'eventID': '13', "
    "'computer': 'ws05', 'systemTime': '2024-03-07T04:00:00.1234567Z', "
    "'eventRecordID': '9912', 'level': '4', 'channel': "
    "'Microsoft-Windows-Sysmon/Operational', 'processID': '2816'}, "
    "'eventdata': {'ruleName': 'technique_id=T1547.001,technique_name="
    "Registry Run Keys', 'eventType': 'SetValue', 'utcTime': "
    "'2024-03-07 04:00:00.123', 'processGuid': "
    "'{13131313-0000-0000-0000-000000000008}', 'processId': '6000', "
    "'image': 'C:%%%%Users%%%%frank%%%%AppData%%%%Local%%%%Temp%%%%"
    "inst.exe', 'targetObject': 'HKU%%%%S-1-5-21-1111111111-2222222222-"
    "3333333333-1001%%%%Software%%%%Microsoft%%%%Windows%%%%"
    "CurrentVersion%%%%Run%%%%Updater', 'details': 'C:%%%%Users%%%%"
    "frank%%%%AppData%%%%Roaming%%%%upd.exe', 'user': 'WS05%%%%frank'}}}, "
    "'location': 'EventChannel'}";

static void test_wazuh_read_full_alert(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_text(f, alert_13), 0);
    assert_int_equal(f->ev.event_id, 13);
    assert_text(&f->ev.provider, "Microsoft-Windows-Sysmon");
    assert_text(&f->ev.computer, "ws05");
    assert_text(&f->ev.record_id, "9912");
    assert_text(&f->ev.level, "4");
    assert_text(&f->ev.channel, "Microsoft-Windows-Sysmon/Operational");
    assert_text(&f->ev.process_id, "2816");
    assert_int_equal(f->ev.version.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.user_id.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.ntimes, 1);
    assert_text(&f->ev.times[0], "2024-03-07T04:00:00.1234567Z");
    assert_false(f->ev.utc_time_first);
    assert_false(f->ev.unnamed_values);
    assert_int_equal(f->ev.nfields, 9);
    assert_field(&f->ev, 0, "RuleName",
                 "technique_id=T1547.001,technique_name=Registry Run Keys");
    assert_field(&f->ev, 1, "EventType", "SetValue");
    assert_field(&f->ev, 2, "UtcTime", "2024-03-07 04:00:00.123");
    assert_field(&f->ev, 3, "ProcessGuid",
                 "{13131313-0000-0000-0000-000000000008}");
    assert_field(&f->ev, 4, "ProcessId", "6000");
    assert_field(&f->ev, 5, "Image",
                 "C:\\Users\\frank\\AppData\\Local\\Temp\\inst.exe");
    assert_field(&f->ev, 6, "TargetObject",
                 "HKU\\S-1-5-21-1111111111-2222222222-3333333333-1001"
                 "\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"
                 "\\Updater");
    assert_field(&f->ev, 7, "Details",
                 "C:\\Users\\frank\\AppData\\Roaming\\upd.exe");
    assert_field(&f->ev, 8, "User", "WS05\\frank");
}

/* Issue case 5: win at the top level, an empty ruleName, spaces. */
static void test_wazuh_read_top_level_win(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_text(f,
        "{'win': {'system': {'providerName': 'Microsoft-Windows-Sysmon', "
        "'eventID': '11', 'computer': 'ws06', 'systemTime': "
        "'2024-03-09T02:00:00.0000000Z', 'eventRecordID': '41', "
        "'channel': 'Microsoft-Windows-Sysmon/Operational'}, 'eventdata': "
        "{'ruleName': '', 'utcTime': '2024-03-09 02:00:00.000', "
        "'processGuid': '{15151515-0000-0000-0000-000000000010}', "
        "'processId': '2200', 'image': 'C:%%%%Program Files%%%%My App%%%%"
        "my app.exe', 'targetFilename': 'C:%%%%Users%%%%gina%%%%"
        "My Documents%%%%new file.txt', 'creationUtcTime': "
        "'2024-03-09 02:00:00.000', 'user': 'CORP%%%%gina'}}}"), 0);
    assert_int_equal(f->ev.event_id, 11);
    assert_text(&f->ev.computer, "ws06");
    assert_text(&f->ev.times[0], "2024-03-09T02:00:00.0000000Z");
    assert_int_equal(f->ev.level.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.process_id.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.nfields, 8);
    assert_field(&f->ev, 0, "RuleName", "");
    assert_field(&f->ev, 1, "UtcTime", "2024-03-09 02:00:00.000");
    assert_field(&f->ev, 2, "ProcessGuid",
                 "{15151515-0000-0000-0000-000000000010}");
    assert_field(&f->ev, 3, "ProcessId", "2200");
    assert_field(&f->ev, 4, "Image",
                 "C:\\Program Files\\My App\\my app.exe");
    assert_field(&f->ev, 5, "TargetFilename",
                 "C:\\Users\\gina\\My Documents\\new file.txt");
    assert_field(&f->ev, 6, "CreationUtcTime", "2024-03-09 02:00:00.000");
    assert_field(&f->ev, 7, "User", "CORP\\gina");
}

/* One Wazuh value (stand-in notation) and what it stands for. */
static const struct {
    const char *wazuh;
    const char *want;
} unescape_cases[] = {
    { "C:%%%%Windows", "C:\\Windows" },
    { "%%%%%%%%srv%%%%share", "\\\\srv\\share" },
    { "C:%%%%Users%%%%dave%%%%", "C:\\Users\\dave\\" },
    { "say %%%'hi%%%'", "say \"hi\"" },
    { "%%%'a %%%%%%%'b%%%%%%%' c%%%'", "\"a \\\"b\\\" c\"" },
    { "%%%'", "\"" },
    { "%%%%", "\\" },
    { "%%%%%%%%", "\\\\" },
    { "%%%%%%", "\\\\" },
    { "%%%%%%%'", "\\\"" },
    { "dir%%", "dir\\" },
    { "%%", "\\" },
    { "a%%nb", "a\nb" },
    { "%%t%%r%%x%%u0041%%/", "\t\r\\xA/" },
    { "%%ud83d%%ude00 %%u00e9", "\xf0\x9f\x98\x80 \xc3\xa9" },
    { "%%ud800 %%u0000 %%u12", "\\ud800 \\u0000 \\u12" },
    { "%%%%u00e9", "\\u00e9" },
    { "2&gt;&amp;1", "2>&1" },
    { "&lt;unknown process&gt;", "<unknown process>" },
    { "&quot;&apos;&#65;&#x42;&#X43;&#233;", "\"'ABC\xc3\xa9" },
    { "&amp;lt; &bogus; &#0; &#xD800; &#x110000; &# &;",
      "&lt; &bogus; &#0; &#xD800; &#x110000; &# &;" },
    { "a & b;", "a & b;" },
    { "%%%%n", "\\n" },
    { "C:%%%%Users%%%%Jos\xc3\xa9", "C:\\Users\\Jos\xc3\xa9" },
    { "tab%there", "tab\there" },
};

static void test_wazuh_unescapes_once(void **state)
{
    struct fixture *f = *state;
    char text[256];

    for (size_t i = 0; i < sizeof(unescape_cases) / sizeof(unescape_cases[0]);
         i++) {
        snprintf(text, sizeof(text),
                 "{'win': {'system': {'eventID': 1, 'computer': '%s'}, "
                 "'eventdata': {'commandLine': '%s'}}}",
                 unescape_cases[i].wazuh, unescape_cases[i].wazuh);
        assert_int_equal(read_text(f, text), 0);
        assert_text(&f->ev.computer, unescape_cases[i].want);
        assert_int_equal(f->ev.nfields, 1);
        assert_field(&f->ev, 0, "CommandLine", unescape_cases[i].want);
    }
}

/* Values without a backslash or an ampersand are not copied: they point
 * into the tree. */
static void test_wazuh_plain_values_point_into_tree(void **state)
{
    struct fixture *f = *state;
    const cJSON *sys;
    const cJSON *data;

    assert_int_equal(read_text(f,
        "{'win': {'system': {'eventID': '1', 'providerName': 'P', "
        "'systemTime': 'T'}, 'eventdata': {'Image': 'a %'quoted%' b', "
        "'user': ''}}}"), 0);
    sys = cJSON_GetObjectItem(cJSON_GetObjectItem(f->root, "win"),
                              "system");
    data = cJSON_GetObjectItem(cJSON_GetObjectItem(f->root, "win"),
                               "eventdata");
    assert_ptr_equal(f->ev.provider.str,
                     cJSON_GetObjectItem(sys, "providerName")->valuestring);
    assert_ptr_equal(f->ev.times[0].str,
                     cJSON_GetObjectItem(sys, "systemTime")->valuestring);
    assert_ptr_equal(f->ev.fields[0].value.str,
                     cJSON_GetObjectItem(data, "Image")->valuestring);
    assert_ptr_equal(f->ev.fields[0].name,
                     cJSON_GetObjectItem(data, "Image")->string);
    assert_field(&f->ev, 0, "Image", "a \"quoted\" b");
    assert_field(&f->ev, 1, "User", "");
}

/* Every System member is read, and unescaped like EventData. */
static void test_wazuh_reads_every_system_member(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_text(f,
        "{'win': {'system': {'providerName': 'Microsoft-Windows-Sysmon', "
        "'providerGuid': '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}', "
        "'eventID': '4', 'version': '3', 'level': '4', 'task': '4', "
        "'opcode': '0', 'keywords': '0x8000000000000000', 'systemTime': "
        "'2024-03-02T10:00:00.5000000Z', 'eventRecordID': '7', "
        "'processID': '2816', 'threadID': '3720', 'channel': "
        "'Microsoft-Windows-Sysmon/Operational', 'computer': "
        "'CORP%%%%ws01', 'securityUserID': 'S-1-5-18', 'severityValue': "
        "'INFORMATION', 'message': '%'Sysmon service state changed:%r%n"
        "State: Started%''}, 'eventdata': {'utcTime': "
        "'2024-03-02 10:00:00.499', 'state': 'Started', 'version': "
        "'15.15', 'schemaVersion': '4.90'}}}"), 0);
    assert_int_equal(f->ev.event_id, 4);
    assert_text(&f->ev.provider, "Microsoft-Windows-Sysmon");
    assert_text(&f->ev.version, "3");
    assert_text(&f->ev.level, "4");
    assert_text(&f->ev.channel, "Microsoft-Windows-Sysmon/Operational");
    assert_text(&f->ev.computer, "CORP\\ws01");
    assert_text(&f->ev.record_id, "7");
    assert_text(&f->ev.process_id, "2816");
    assert_text(&f->ev.user_id, "S-1-5-18");
    assert_text(&f->ev.times[0], "2024-03-02T10:00:00.5000000Z");
    assert_int_equal(f->ev.ntimes, 1);
    assert_false(f->ev.utc_time_first);
    assert_int_equal(f->ev.nfields, 4);
    assert_field(&f->ev, 0, "UtcTime", "2024-03-02 10:00:00.499");
    assert_field(&f->ev, 1, "State", "Started");
    assert_field(&f->ev, 2, "Version", "15.15");
    assert_field(&f->ev, 3, "SchemaVersion", "4.90");
}

/* Numbers, booleans, null and nested values are kept as they are. */
static void test_wazuh_keeps_non_string_values(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_text(f,
        "{'win': {'system': {'providerName': 5, 'eventID': 3, 'version': "
        "5, 'level': true, 'channel': null, 'computer': ['a%%%%b'], "
        "'eventRecordID': 9912, 'processID': {'pid': 1}, "
        "'securityUserID': false, 'systemTime': 1709272800}, "
        "'eventdata': {'processId': 4242, 'initiated': true, "
        "'ruleName': null, 'extra': {'path': 'C:%%%%x'}, "
        "'list': ['C:%%%%y']}}}"), 0);
    assert_int_equal(f->ev.event_id, 3);
    assert_int_equal(f->ev.provider.kind, S2Q_KIND_NUMBER);
    assert_true(f->ev.provider.num == 5);
    assert_int_equal(f->ev.version.kind, S2Q_KIND_NUMBER);
    assert_true(f->ev.version.num == 5);
    assert_int_equal(f->ev.level.kind, S2Q_KIND_BOOL);
    assert_true(f->ev.level.boolean);
    assert_int_equal(f->ev.channel.kind, S2Q_KIND_NULL);
    assert_int_equal(f->ev.computer.kind, S2Q_KIND_NESTED);
    assert_true(cJSON_IsArray(f->ev.computer.node));
    assert_int_equal(f->ev.record_id.kind, S2Q_KIND_NUMBER);
    assert_true(f->ev.record_id.num == 9912);
    assert_int_equal(f->ev.process_id.kind, S2Q_KIND_NESTED);
    assert_int_equal(f->ev.user_id.kind, S2Q_KIND_BOOL);
    assert_false(f->ev.user_id.boolean);
    assert_int_equal(f->ev.times[0].kind, S2Q_KIND_NUMBER);
    assert_int_equal(f->ev.nfields, 5);
    assert_string_equal(f->ev.fields[0].name, "ProcessId");
    assert_int_equal(f->ev.fields[0].value.kind, S2Q_KIND_NUMBER);
    assert_true(f->ev.fields[0].value.num == 4242);
    assert_string_equal(f->ev.fields[1].name, "Initiated");
    assert_int_equal(f->ev.fields[1].value.kind, S2Q_KIND_BOOL);
    assert_true(f->ev.fields[1].value.boolean);
    assert_string_equal(f->ev.fields[2].name, "RuleName");
    assert_int_equal(f->ev.fields[2].value.kind, S2Q_KIND_NULL);
    assert_string_equal(f->ev.fields[3].name, "Extra");
    assert_int_equal(f->ev.fields[3].value.kind, S2Q_KIND_NESTED);
    assert_true(cJSON_IsObject(f->ev.fields[3].value.node));
    assert_string_equal(f->ev.fields[4].name, "List");
    assert_int_equal(f->ev.fields[4].value.kind, S2Q_KIND_NESTED);
    assert_true(cJSON_IsArray(f->ev.fields[4].value.node));
}

/* A Wazuh EventData name and the name it stands for. */
static const struct {
    const char *wazuh;
    const char *want;
} name_cases[] = {
    { "commandLine", "CommandLine" },
    { "iD", "ID" },
    { "sourceProcessGUID", "SourceProcessGUID" },
    { "Image", "Image" },
    { "x", "X" },
    { "", "" },
    { "_private", "_private" },
    { "9lives", "9lives" },
    { "\xc3\xa9tat", "\xc3\xa9tat" },
};

static void test_wazuh_restores_name_case(void **state)
{
    struct fixture *f = *state;
    char text[256];

    for (size_t i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]);
         i++) {
        snprintf(text, sizeof(text),
                 "{'win': {'system': {'eventID': '1'}, 'eventdata': "
                 "{'%s': 'v'}}}", name_cases[i].wazuh);
        assert_int_equal(read_text(f, text), 0);
        assert_int_equal(f->ev.nfields, 1);
        assert_field(&f->ev, 0, name_cases[i].want, "v");
    }
}

/* After restoring the case, the first of two equal names counts. */
static void test_wazuh_first_duplicate_name_counts(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_text(f,
        "{'win': {'system': {'eventID': '1'}, 'eventdata': {'image': "
        "'first', 'Image': 'second', 'user': 'a', 'user': 'b'}}}"), 0);
    assert_int_equal(f->ev.nfields, 2);
    assert_field(&f->ev, 0, "Image", "first");
    assert_field(&f->ev, 1, "User", "a");
}

/* EventData that is missing, empty or not an object adds nothing. */
static void test_wazuh_odd_event_data(void **state)
{
    static const char *const records[] = {
        "{'win': {'system': {'eventID': '5'}}}",
        "{'win': {'system': {'eventID': '5'}, 'eventdata': {}}}",
        "{'win': {'system': {'eventID': '5'}, 'eventdata': 'image=x'}}",
        "{'win': {'system': {'eventID': '5'}, 'eventdata': ['x']}}",
        "{'win': {'system': {'eventID': '5'}, 'eventdata': null}}",
        "{'win': {'system': {'eventID': '5'}, 'EventData': {'a': 'b'}}}",
        ("{'data': {'win': {'system': {'eventID': '5'}}, "
         "'eventdata': {'a': 'b'}}}"),
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
        assert_int_equal(read_text(f, records[i]), 0);
        assert_int_equal(f->ev.event_id, 5);
        assert_int_equal(f->ev.nfields, 0);
        assert_system_absent(&f->ev);
        assert_false(f->ev.unnamed_values);
    }
}

/* The forms of eventID Wazuh and other tools write. */
static const struct {
    const char *id;
    unsigned want;
} event_id_cases[] = {
    { "'1'", 1 }, { "1", 1 }, { "'0013'", 13 }, { "255", 255 },
    { "'65535'", 65535 }, { "0", 0 }, { "3.0", 3 },
};

static void test_wazuh_event_id_forms(void **state)
{
    struct fixture *f = *state;
    char text[128];

    for (size_t i = 0; i < sizeof(event_id_cases) / sizeof(event_id_cases[0]);
         i++) {
        snprintf(text, sizeof(text), "{'win': {'system': {'eventID': %s}}}",
                 event_id_cases[i].id);
        assert_int_equal(read_text(f, text), 0);
        assert_int_equal(f->ev.event_id, event_id_cases[i].want);
    }
}

#define NO_ID "record has no EventID"
#define BAD_ID "EventID is not a whole number from 0 to 65535"

/* A missing or bad eventID rejects the record with a message. */
static const struct {
    const char *record;
    const char *err;
} bad_id_cases[] = {
    { "{'win': {'system': {}}}", NO_ID },
    { "{'win': {'system': {'EventID': '1'}}}", NO_ID },
    { "{'win': {'system': {'eventID': null}}}", NO_ID },
    { "{'win': {'system': {'eventID': ''}}}", NO_ID },
    { "{'win': {'system': {'eventID': '-'}}}", NO_ID },
    { "{'win': {'system': {'eventID': '  '}}}", NO_ID },
    { "{'win': {'system': {'eventID': 'abc'}}}", BAD_ID },
    { "{'win': {'system': {'eventID': '-1'}}}", BAD_ID },
    { "{'win': {'system': {'eventID': ' 1'}}}", BAD_ID },
    { "{'win': {'system': {'eventID': '0x1'}}}", BAD_ID },
    { "{'win': {'system': {'eventID': '65536'}}}", BAD_ID },
    { "{'win': {'system': {'eventID': 65536}}}", BAD_ID },
    { "{'win': {'system': {'eventID': -1}}}", BAD_ID },
    { "{'win': {'system': {'eventID': 1.5}}}", BAD_ID },
    { "{'win': {'system': {'eventID': true}}}", BAD_ID },
    { "{'win': {'system': {'eventID': ['1']}}}", BAD_ID },
    { "{'data': {'win': {'system': {'eventID': 'x'}}}}", BAD_ID },
    { "{'win': {'eventdata': {}}}", NO_ID },
};

static void test_wazuh_bad_event_id_is_an_error(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < sizeof(bad_id_cases) / sizeof(bad_id_cases[0]);
         i++) {
        assert_int_equal(read_text(f, bad_id_cases[i].record), -1);
        assert_string_equal(f->err, bad_id_cases[i].err);
    }
}

/* A top-level win wins over data.win; a top-level win without a system
 * object does not hide data.win. */
static void test_wazuh_which_win_is_read(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_text(f,
        "{'win': {'system': {'eventID': '1'}}, "
        "'data': {'win': {'system': {'eventID': '2'}}}}"), 0);
    assert_int_equal(f->ev.event_id, 1);
    assert_int_equal(read_text(f,
        "{'win': {'eventdata': {'a': 'b'}}, "
        "'data': {'win': {'system': {'eventID': '2'}, "
        "'eventdata': {'c': 'd'}}}}"), 0);
    assert_int_equal(f->ev.event_id, 2);
    assert_int_equal(f->ev.nfields, 1);
    assert_field(&f->ev, 0, "C", "d");
}

/* Records of this shape and look-alikes of the other shapes. */
static const struct {
    const char *record;
    bool want;
} match_cases[] = {
    { "{'win': {'system': {}}}", true },
    { "{'win': {'system': {'eventID': '1'}, 'eventdata': {}}}", true },
    { "{'data': {'win': {'system': {}}}}", true },
    { "{'agent': {}, 'data': {'win': {'system': {}}}, 'location': 'x'}",
      true },
    { "{'win': {'system': 'x'}}", false },
    { "{'win': {'system': ['x']}}", false },
    { "{'win': {'system': null}}", false },
    { "{'win': {}}", false },
    { "{'win': {'eventdata': {'image': 'x'}}}", false },
    { "{'win': 'x'}", false },
    { "{'data': {'win': {'eventdata': {}}}}", false },
    { "{'data': {'win': 'x'}}", false },
    { "{'data': 'x'}", false },
    { "{'data': {'system': {}}}", false },
    { "{'system': {}, 'eventdata': {}}", false },
    { "{'Win': {'system': {}}}", false },
    { "{'win': {'System': {}}}", false },
    { "{'Event': {'System': {'EventID': 1}}}", false },
    { "{'winlog': {'event_id': '1', 'provider_name': "
      "'Microsoft-Windows-Sysmon', 'event_data': {}}}", false },
    { "{'event_id': 1, 'source_name': 'Microsoft-Windows-Sysmon', "
      "'event_data': {}}", false },
    { "{'EventID': 1, 'SourceName': 'Microsoft-Windows-Sysmon'}", false },
    { "{'Id': 1, 'ProviderName': 'Microsoft-Windows-Sysmon', "
      "'Properties': []}", false },
    { "[{'win': {'system': {}}}]", false },
    { "'win'", false },
    { "{}", false },
};

static void test_wazuh_match(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]);
         i++) {
        cJSON *root = parse_standin(match_cases[i].record, true);

        assert_int_equal(s2q_wazuh_match(root), match_cases[i].want);
        cJSON_Delete(root);
    }
}

/* Two values hold the same thing. */
static void assert_same_value(const struct s2q_value *a,
                              const struct s2q_value *b)
{
    assert_int_equal(a->kind, b->kind);
    if (a->kind == S2Q_KIND_STRING) {
        assert_int_equal(a->len, b->len);
        assert_memory_equal(a->str, b->str, a->len);
    }
}

/* The same event 13 as an evtx record (values as strings, as XML
 * converters write them) and as Wazuh writes it. */
static const char evtx_13[] =
    "{'Event': {'System': {'Provider': {'#attributes': {'Name': "
    "'Microsoft-Windows-Sysmon', 'Guid': "
    "'{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'}}, 'EventID': '13', "
    "'Version': '2', 'Level': '4', 'Task': '13', 'Opcode': '0', "
    "'Keywords': '0x8000000000000000', 'TimeCreated': {'#attributes': "
    "{'SystemTime': '2024-03-07T04:00:00.1234567Z'}}, 'EventRecordID': "
    "'9912', 'Execution': {'#attributes': {'ProcessID': '2816', "
    "'ThreadID': '3720'}}, 'Channel': "
    "'Microsoft-Windows-Sysmon/Operational', 'Computer': 'ws05', "
    "'Security': {'#attributes': {'UserID': 'S-1-5-18'}}}, 'EventData': "
    "{'RuleName': 'technique_id=T1547.001', 'EventType': 'SetValue', "
    "'UtcTime': '2024-03-07 04:00:00.123', 'ProcessGuid': "
    "'{13131313-0000-0000-0000-000000000008}', 'ProcessId': '6000', "
    "'Image': 'C:%%Temp%%inst.exe', 'TargetObject': "
    "'HKU%%S-1-5-21-1%%Software%%Run%%Updater', 'Details': "
    "'%'C:%%upd.exe%' -q', 'User': 'WS05%%frank'}}}";

static const char wazuh_13[] =
    "{'win': {'system': {'providerName': 'Microsoft-Windows-Sysmon', "
    "'providerGuid': '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}', "
    "'eventID': '13', 'version': '2', 'level': '4', 'task': '13', "
    "'opcode': '0', 'keywords': '0x8000000000000000', 'systemTime': "
    "'2024-03-07T04:00:00.1234567Z', 'eventRecordID': '9912', "
    "'processID': '2816', 'threadID': '3720', 'channel': "
    "'Microsoft-Windows-Sysmon/Operational', 'computer': 'ws05', "
    "'securityUserID': 'S-1-5-18', 'severityValue': 'INFORMATION', "
    "'message': '%'Registry value set:%r%nRuleName: technique_id="
    "T1547.001%''}, 'eventdata': {'ruleName': 'technique_id=T1547.001', "
    "'eventType': 'SetValue', 'utcTime': '2024-03-07 04:00:00.123', "
    "'processGuid': '{13131313-0000-0000-0000-000000000008}', "
    "'processId': '6000', 'image': 'C:%%%%Temp%%%%inst.exe', "
    "'targetObject': 'HKU%%%%S-1-5-21-1%%%%Software%%%%Run%%%%Updater', "
    "'details': '%%%'C:%%%%upd.exe%%%' -q', 'user': 'WS05%%%%frank'}}}";

static void test_wazuh_same_event_as_evtx(void **state)
{
    struct fixture *f = *state;
    struct s2q_event evtx;
    cJSON *root = parse_standin(evtx_13, true);
    char err[256];

    s2q_event_init(&evtx);
    assert_int_equal(s2q_evtx_read(root, &evtx, err, sizeof(err)), 0);
    assert_int_equal(read_text(f, wazuh_13), 0);
    assert_int_equal(f->ev.event_id, evtx.event_id);
    assert_same_value(&f->ev.provider, &evtx.provider);
    assert_same_value(&f->ev.version, &evtx.version);
    assert_same_value(&f->ev.level, &evtx.level);
    assert_same_value(&f->ev.channel, &evtx.channel);
    assert_same_value(&f->ev.computer, &evtx.computer);
    assert_same_value(&f->ev.record_id, &evtx.record_id);
    assert_same_value(&f->ev.process_id, &evtx.process_id);
    assert_same_value(&f->ev.user_id, &evtx.user_id);
    assert_int_equal(f->ev.ntimes, evtx.ntimes);
    assert_same_value(&f->ev.times[0], &evtx.times[0]);
    assert_int_equal(f->ev.utc_time_first, evtx.utc_time_first);
    assert_int_equal(f->ev.nfields, 9);
    assert_int_equal(f->ev.nfields, evtx.nfields);
    for (size_t i = 0; i < evtx.nfields; i++) {
        assert_string_equal(f->ev.fields[i].name, evtx.fields[i].name);
        assert_same_value(&f->ev.fields[i].value, &evtx.fields[i].value);
    }
    assert_field(&f->ev, 7, "Details", "\"C:\\upd.exe\" -q");
    s2q_event_free(&evtx);
    cJSON_Delete(root);
}

/* The event's store keeps unescaped text valid over many records. */
static void test_wazuh_store_reused_across_records(void **state)
{
    struct fixture *f = *state;

    for (int i = 0; i < 300; i++) {
        assert_int_equal(read_text(f, alert_13), 0);
        assert_field(&f->ev, 8, "User", "WS05\\frank");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wazuh_read_full_alert, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wazuh_read_top_level_win,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_wazuh_unescapes_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_wazuh_plain_values_point_into_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_wazuh_reads_every_system_member, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wazuh_keeps_non_string_values,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_wazuh_restores_name_case,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_wazuh_first_duplicate_name_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wazuh_odd_event_data, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wazuh_event_id_forms, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_wazuh_bad_event_id_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wazuh_which_win_is_read,
                                        setup, teardown),
        cmocka_unit_test(test_wazuh_match),
        cmocka_unit_test_setup_teardown(test_wazuh_same_event_as_evtx,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_wazuh_store_reused_across_records, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
