/*
 * test_shape_powershell.c - the powershell adapter: `Get-WinEvent |
 * ConvertTo-Json` objects from Windows PowerShell 5.1 and PowerShell 7,
 * whose EventData values have only positions, become the same canonical
 * event as the evtx shape, named by the Sysmon layout of their count.
 *
 * Records are written with two stand-ins to keep them readable: ' is a
 * JSON quote and % is one backslash of JSON text ('C:%%Windows' is the
 * JSON text "C:\\Windows", the value C:\Windows).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "s2q/value.h"
#include "../src/shape_impl.h"
#include "shape_test.h"

/* Read the fixture's tree as a PowerShell record.
 * @return s2q_powershell_read's result. */
static int read_root(struct fixture *f)
{
    s2q_event_reset(&f->ev);
    f->ev.shape = S2Q_SHAPE_POWERSHELL;
    f->err[0] = '\0';
    return s2q_powershell_read(f->root, &f->ev, f->err, sizeof(f->err));
}

/* Parse text into the fixture and read it. */
static int read_text(struct fixture *f, const char *text)
{
    cJSON_Delete(f->root);
    f->root = parse_standin(text, true);
    return read_root(f);
}

/* The field of that name, which must be there. */
static const struct s2q_value *field(const struct s2q_event *ev,
                                     const char *name)
{
    const struct s2q_field *fld = s2q_event_find(ev, name);

    assert_non_null(fld);
    return &fld->value;
}

/* The event's field names joined by single spaces into buf. */
static const char *names_of(const struct s2q_event *ev, char *buf,
                            size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < ev->nfields; i++) {
        size_t len = strlen(ev->fields[i].name);

        assert_true(used + len + 2 <= size);
        if (i > 0) {
            buf[used++] = ' ';
        }
        memcpy(buf + used, ev->fields[i].name, len + 1);
        used += len;
    }
    return buf;
}

/* Issue case 7: Windows PowerShell 5.1, event 1, schema 4.90. */
static const char ps51_event1[] =
    "{'Id': 1, 'Version': 5, 'Qualifiers': null, 'Level': 4, 'Task': 1, "
    "'Opcode': 0, 'Keywords': -9223372036854775808, 'RecordId': 4711, "
    "'ProviderName': 'Microsoft-Windows-Sysmon', 'ProviderId': "
    "'5770385f-c22a-43e0-bf4c-06f5698ffbd9', 'LogName': "
    "'Microsoft-Windows-Sysmon/Operational', 'ProcessId': 2816, "
    "'ThreadId': 3720, 'MachineName': 'ws08.example.test', 'UserId': "
    "{'BinaryLength': 12, 'AccountDomainSid': null, 'Value': 'S-1-5-18'}, "
    "'TimeCreated': '/Date(1709272800250)/', 'ActivityId': null, "
    "'RelatedActivityId': null, 'ContainerLog': "
    "'Microsoft-Windows-Sysmon/Operational', 'MatchedQueryIds': [], "
    "'Bookmark': {}, 'LevelDisplayName': 'Information', "
    "'OpcodeDisplayName': 'Info', 'TaskDisplayName': 'Process Create "
    "(rule: ProcessCreate)', 'KeywordsDisplayNames': [], 'Message': "
    "'Process Create:%r%nRuleName: -%r%n...', 'Properties': ["
    "{'Value': '-'}, {'Value': '2024-03-01 06:00:00.249'}, "
    "{'Value': '{eeeeeeee-0000-0000-0000-000000000005}'}, "
    "{'Value': 1234}, "
    "{'Value': 'C:%%Windows%%System32%%WindowsPowerShell%%v1.0%%"
    "powershell.exe'}, "
    "{'Value': '10.0.19041.546 (WinBuild.160101.0800)'}, "
    "{'Value': 'Windows PowerShell'}, "
    "{'Value': 'Microsoft\xc2\xae Windows\xc2\xae Operating System'}, "
    "{'Value': 'Microsoft Corporation'}, {'Value': 'PowerShell.EXE'}, "
    "{'Value': 'powershell.exe -NoP -enc SQBFAFgAIAAoACIAaABpACIAKQA= "
    "%'a %%%'quoted%%%' arg%'%tTAB'}, "
    "{'Value': 'C:%%Users%%dave%%'}, {'Value': 'CORP%%dave'}, "
    "{'Value': '{eeeeeeee-1111-0000-0000-000000000005}'}, "
    "{'Value': 1824298}, {'Value': 1}, {'Value': 'Medium'}, "
    "{'Value': 'SHA256=ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"
    "ABCDEF0123456789'}, "
    "{'Value': '{eeeeeeee-2222-0000-0000-000000000005}'}, "
    "{'Value': 4388}, {'Value': 'C:%%Windows%%explorer.exe'}, "
    "{'Value': 'C:%%Windows%%Explorer.EXE'}, {'Value': 'CORP%%dave'}]}";

static const char event1_names[] =
    "RuleName UtcTime ProcessGuid ProcessId Image FileVersion Description "
    "Product Company OriginalFileName CommandLine CurrentDirectory User "
    "LogonGuid LogonId TerminalSessionId IntegrityLevel Hashes "
    "ParentProcessGuid ParentProcessId ParentImage ParentCommandLine "
    "ParentUser";

static void test_powershell_read_windows_powershell_5_1(void **state)
{
    struct fixture *f = *state;
    char buf[1024];

    assert_int_equal(read_text(f, ps51_event1), 0);
    assert_int_equal(f->ev.event_id, 1);
    assert_text(&f->ev.provider, "Microsoft-Windows-Sysmon");
    assert_number(&f->ev.version, 5);
    assert_number(&f->ev.level, 4);
    assert_text(&f->ev.channel, "Microsoft-Windows-Sysmon/Operational");
    assert_text(&f->ev.computer, "ws08.example.test");
    assert_number(&f->ev.record_id, 4711);
    assert_number(&f->ev.process_id, 2816);
    assert_text(&f->ev.user_id, "S-1-5-18");
    assert_int_equal(f->ev.ntimes, 1);
    assert_text(&f->ev.times[0], "/Date(1709272800250)/");
    assert_false(f->ev.utc_time_first);
    assert_false(f->ev.unnamed_values);
    assert_int_equal(f->ev.nfields, 23);
    assert_string_equal(names_of(&f->ev, buf, sizeof(buf)), event1_names);
    assert_text(field(&f->ev, "RuleName"), "-");
    assert_text(field(&f->ev, "ProcessGuid"),
                "{eeeeeeee-0000-0000-0000-000000000005}");
    assert_number(field(&f->ev, "ProcessId"), 1234);
    assert_text(field(&f->ev, "Image"),
                "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\"
                "powershell.exe");
    assert_text(field(&f->ev, "Product"),
                "Microsoft\xc2\xae Windows\xc2\xae Operating System");
    assert_text(field(&f->ev, "OriginalFileName"), "PowerShell.EXE");
    assert_text(field(&f->ev, "CommandLine"),
                "powershell.exe -NoP -enc SQBFAFgAIAAoACIAaABpACIAKQA= "
                "\"a \\\"quoted\\\" arg\"\tTAB");
    assert_text(field(&f->ev, "CurrentDirectory"), "C:\\Users\\dave\\");
    assert_text(field(&f->ev, "User"), "CORP\\dave");
    assert_number(field(&f->ev, "LogonId"), 1824298);
    assert_number(field(&f->ev, "TerminalSessionId"), 1);
    assert_text(field(&f->ev, "IntegrityLevel"), "Medium");
    assert_number(field(&f->ev, "ParentProcessId"), 4388);
    assert_text(field(&f->ev, "ParentImage"), "C:\\Windows\\explorer.exe");
    assert_text(field(&f->ev, "ParentCommandLine"),
                "C:\\Windows\\Explorer.EXE");
    assert_text(field(&f->ev, "ParentUser"), "CORP\\dave");
}

/* PowerShell 7: ISO time with an offset, UserId as a string, GUIDs
 * unbraced, items as bare values. */
static void test_powershell_read_powershell_7(void **state)
{
    struct fixture *f = *state;
    char buf[256];

    assert_int_equal(read_text(f,
        "{'Id': 5, 'Version': 3, 'Level': 4, 'RecordId': 4712, "
        "'ProviderName': 'Microsoft-Windows-Sysmon', 'LogName': "
        "'Microsoft-Windows-Sysmon/Operational', 'ProcessId': 2816, "
        "'MachineName': 'ws08', 'UserId': 'S-1-5-18', 'TimeCreated': "
        "'2024-03-01T07:00:00.2500001+01:00', 'LevelDisplayName': "
        "'Information', 'Properties': ['-', '2024-03-01 06:00:00.249', "
        "'EEEEEEEE-0000-0000-0000-000000000005', 1234, "
        "'C:%%Windows%%notepad.exe', 'CORP%%dave']}"), 0);
    assert_int_equal(f->ev.event_id, 5);
    assert_number(&f->ev.version, 3);
    assert_text(&f->ev.user_id, "S-1-5-18");
    assert_text(&f->ev.times[0], "2024-03-01T07:00:00.2500001+01:00");
    assert_text(&f->ev.computer, "ws08");
    assert_false(f->ev.unnamed_values);
    assert_string_equal(names_of(&f->ev, buf, sizeof(buf)),
                        "RuleName UtcTime ProcessGuid ProcessId Image User");
    assert_text(field(&f->ev, "ProcessGuid"),
                "EEEEEEEE-0000-0000-0000-000000000005");
    assert_number(field(&f->ev, "ProcessId"), 1234);
    assert_text(field(&f->ev, "Image"), "C:\\Windows\\notepad.exe");
    assert_text(field(&f->ev, "User"), "CORP\\dave");
}

/* Make a record of event id with n values "v1" ... "vn". */
static cJSON *record_of(const char *provider, unsigned id, size_t n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *props = cJSON_CreateArray();
    char value[32];

    cJSON_AddNumberToObject(root, "Id", id);
    cJSON_AddStringToObject(root, "ProviderName", provider);
    for (size_t i = 0; i < n; i++) {
        cJSON *item = cJSON_CreateObject();

        snprintf(value, sizeof(value), "v%zu", i + 1);
        cJSON_AddStringToObject(item, "Value", value);
        cJSON_AddItemToArray(props, item);
    }
    cJSON_AddItemToObject(root, "Properties", props);
    return root;
}

/* Sysmon records by their number of values: the names they get and
 * whether some are unnamed. */
static const struct {
    unsigned id;
    size_t n;
    const char *names;
    bool unnamed;
} count_cases[] = {
    { 1, 23, event1_names, false },
    { 1, 22,
      "RuleName UtcTime ProcessGuid ProcessId Image FileVersion "
      "Description Product Company OriginalFileName CommandLine "
      "CurrentDirectory User LogonGuid LogonId TerminalSessionId "
      "IntegrityLevel Hashes ParentProcessGuid ParentProcessId "
      "ParentImage ParentCommandLine", false },
    { 1, 20,
      "UtcTime ProcessGuid ProcessId Image FileVersion Description "
      "Product Company CommandLine CurrentDirectory User LogonGuid "
      "LogonId TerminalSessionId IntegrityLevel Hashes "
      "ParentProcessGuid ParentProcessId ParentImage ParentCommandLine",
      false },
    { 1, 17,
      "SequenceNumber UtcTime ProcessGuid ProcessId Image CommandLine "
      "CurrentDirectory User LogonGuid LogonId TerminalSessionId "
      "IntegrityLevel Hashes ParentProcessGuid ParentProcessId "
      "ParentImage ParentCommandLine", false },
    { 1, 25,
      "RuleName UtcTime ProcessGuid ProcessId Image FileVersion "
      "Description Product Company OriginalFileName CommandLine "
      "CurrentDirectory User LogonGuid LogonId TerminalSessionId "
      "IntegrityLevel Hashes ParentProcessGuid ParentProcessId "
      "ParentImage ParentCommandLine ParentUser Data24 Data25", true },
    { 1, 24,
      "RuleName UtcTime ProcessGuid ProcessId Image FileVersion "
      "Description Product Company OriginalFileName CommandLine "
      "CurrentDirectory User LogonGuid LogonId TerminalSessionId "
      "IntegrityLevel Hashes ParentProcessGuid ParentProcessId "
      "ParentImage ParentCommandLine ParentUser Data24", true },
    { 1, 18,
      "Data1 Data2 Data3 Data4 Data5 Data6 Data7 Data8 Data9 Data10 "
      "Data11 Data12 Data13 Data14 Data15 Data16 Data17 Data18", true },
    { 1, 1, "Data1", true },
    { 1, 0, "", false },
    { 4, 2, "UtcTime State", false },
    { 4, 4, "UtcTime State Version SchemaVersion", false },
    { 4, 3, "Data1 Data2 Data3", true },
    { 10, 11,
      "RuleName UtcTime SourceProcessGUID SourceProcessId SourceThreadId "
      "SourceImage TargetProcessGUID TargetProcessId TargetImage "
      "GrantedAccess CallTrace", false },
    { 16, 3, "UtcTime Configuration ConfigurationFileHash", false },
    { 16, 4, "UtcTime Configuration ConfigurationFileHash Data4", true },
    { 16, 2, "Data1 Data2", true },
    { 22, 8,
      "RuleName UtcTime ProcessGuid ProcessId QueryName QueryStatus "
      "QueryResults Image", false },
    { 255, 3, "UtcTime ID Description", false },
    { 30, 3, "Data1 Data2 Data3", true },
    { 0, 2, "Data1 Data2", true },
    { 4688, 1, "Data1", true },
};

static void test_powershell_names_by_value_count(void **state)
{
    struct fixture *f = *state;
    char buf[1024];
    char value[32];

    for (size_t i = 0; i < sizeof(count_cases) / sizeof(count_cases[0]);
         i++) {
        cJSON_Delete(f->root);
        f->root = record_of("Microsoft-Windows-Sysmon", count_cases[i].id,
                            count_cases[i].n);
        assert_int_equal(read_root(f), 0);
        assert_int_equal(f->ev.nfields, count_cases[i].n);
        assert_string_equal(names_of(&f->ev, buf, sizeof(buf)),
                            count_cases[i].names);
        assert_int_equal(f->ev.unnamed_values, count_cases[i].unnamed);
        for (size_t k = 0; k < f->ev.nfields; k++) {
            snprintf(value, sizeof(value), "v%zu", k + 1);
            assert_text(&f->ev.fields[k].value, value);
        }
    }
}

/* Providers: only Sysmon's records are named by the Sysmon layouts. */
static const struct {
    const char *provider;
    const char *names;
} provider_cases[] = {
    { "Microsoft-Windows-Sysmon", "UtcTime State" },
    { "microsoft-windows-sysmon", "UtcTime State" },
    { "Linux-Sysmon", "UtcTime State" },
    { "Microsoft-Windows-Security-Auditing", "Data1 Data2" },
    { "Microsoft-Windows-Sysmon ", "Data1 Data2" },
    { "", "Data1 Data2" },
};

static void test_powershell_other_providers_get_data_n(void **state)
{
    struct fixture *f = *state;
    char buf[256];

    for (size_t i = 0; i < sizeof(provider_cases) / sizeof(provider_cases[0]);
         i++) {
        cJSON_Delete(f->root);
        f->root = record_of(provider_cases[i].provider, 4, 2);
        assert_int_equal(read_root(f), 0);
        assert_string_equal(names_of(&f->ev, buf, sizeof(buf)),
                            provider_cases[i].names);
        assert_false(f->ev.unnamed_values);
    }
    assert_int_equal(read_text(f,
        "{'Id': 4688, 'ProviderName': null, 'Properties': "
        "[{'Value': 'S-1-5-18'}, {'Value': 'WS08$'}, {'Value': 999}]}"), 0);
    assert_string_equal(names_of(&f->ev, buf, sizeof(buf)),
                        "Data1 Data2 Data3");
    assert_false(f->ev.unnamed_values);
    assert_number(field(&f->ev, "Data3"), 999);
    assert_int_equal(read_text(f,
        "{'Id': 1, 'ProviderName': 7, 'Properties': ['a']}"), 0);
    assert_string_equal(names_of(&f->ev, buf, sizeof(buf)), "Data1");
    assert_false(f->ev.unnamed_values);
}

/* Every form an item takes keeps its value as it is. */
static void test_powershell_property_item_forms(void **state)
{
    struct fixture *f = *state;
    const struct s2q_value *v;

    assert_int_equal(read_text(f,
        "{'Id': 11, 'ProviderName': 'Microsoft-Windows-Sysmon', "
        "'Properties': [{'Value': null}, {'Value': ''}, "
        "{'Value': {'Guid': 'x'}}, 2200, true, "
        "{'Guid': 'eeeeeeee-0000-0000-0000-000000000005'}, "
        "['C:%%a.txt'], 'System.Diagnostics.Eventing.Reader.EventProperty'"
        "]}"), 0);
    assert_int_equal(f->ev.nfields, 8);
    assert_false(f->ev.unnamed_values);
    assert_int_equal(field(&f->ev, "RuleName")->kind, S2Q_KIND_NULL);
    assert_text(field(&f->ev, "UtcTime"), "");
    v = field(&f->ev, "ProcessGuid");
    assert_int_equal(v->kind, S2Q_KIND_NESTED);
    assert_string_equal(cJSON_GetObjectItem(v->node, "Guid")->valuestring,
                        "x");
    assert_number(field(&f->ev, "ProcessId"), 2200);
    v = field(&f->ev, "Image");
    assert_int_equal(v->kind, S2Q_KIND_BOOL);
    assert_true(v->boolean);
    v = field(&f->ev, "TargetFilename");
    assert_int_equal(v->kind, S2Q_KIND_NESTED);
    assert_true(cJSON_IsObject(v->node));
    assert_non_null(cJSON_GetObjectItem(v->node, "Guid"));
    v = field(&f->ev, "CreationUtcTime");
    assert_int_equal(v->kind, S2Q_KIND_NESTED);
    assert_true(cJSON_IsArray(v->node));
    assert_text(field(&f->ev, "User"),
                "System.Diagnostics.Eventing.Reader.EventProperty");
}

/* Hex-typed fields arrive as decimal numbers and stay numbers; GUIDs in
 * either spelling stay as they are. */
static void test_powershell_keeps_hex_fields_as_numbers(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_text(f,
        "{'Id': 10, 'ProviderName': 'Microsoft-Windows-Sysmon', "
        "'Properties': [{'Value': '-'}, {'Value': '2024-03-01 06:00:01.000'}"
        ", {'Value': 'EEEEEEEE-3333-0000-0000-000000000005'}, "
        "{'Value': 700}, {'Value': 701}, {'Value': 'C:%%a.exe'}, "
        "{'Value': '{eeeeeeee-4444-0000-0000-000000000005}'}, "
        "{'Value': 640}, {'Value': 'C:%%Windows%%system32%%lsass.exe'}, "
        "{'Value': 2097151}, {'Value': 'C:%%Windows%%SYSTEM32%%ntdll.dll"
        "+9d4c4'}, {'Value': 'CORP%%dave'}, "
        "{'Value': 'NT AUTHORITY%%SYSTEM'}]}"), 0);
    assert_int_equal(f->ev.nfields, 13);
    assert_number(field(&f->ev, "GrantedAccess"), 2097151);
    assert_text(field(&f->ev, "SourceProcessGUID"),
                "EEEEEEEE-3333-0000-0000-000000000005");
    assert_text(field(&f->ev, "TargetProcessGUID"),
                "{eeeeeeee-4444-0000-0000-000000000005}");
    assert_text(field(&f->ev, "TargetUser"), "NT AUTHORITY\\SYSTEM");
}

/* TimeCreated as each PowerShell writes it, kept as given. */
static void test_powershell_time_created_forms(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_text(f,
        "{'Id': 1, 'ProviderName': 'P', 'Properties': [], 'TimeCreated': "
        "{'value': '/Date(1709272800250)/', 'DisplayHint': 2, 'DateTime': "
        "'Friday, March 1, 2024 7:00:00 AM'}}"), 0);
    assert_text(&f->ev.times[0], "/Date(1709272800250)/");
    assert_int_equal(read_text(f,
        "{'Id': 1, 'ProviderName': 'P', 'Properties': [], 'TimeCreated': "
        "{'DateTime': 'Friday, March 1, 2024 7:00:00 AM'}}"), 0);
    assert_int_equal(f->ev.times[0].kind, S2Q_KIND_ABSENT);
    assert_int_equal(read_text(f,
        "{'Id': 1, 'ProviderName': 'P', 'Properties': [], "
        "'TimeCreated': null}"), 0);
    assert_int_equal(f->ev.times[0].kind, S2Q_KIND_NULL);
    assert_int_equal(read_text(f,
        "{'Id': 1, 'ProviderName': 'P', 'Properties': []}"), 0);
    assert_int_equal(f->ev.times[0].kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.ntimes, 1);
    assert_int_equal(read_text(f,
        "{'Id': 1, 'ProviderName': 'P', 'Properties': [], "
        "'TimeCreated': 1709272800250}"), 0);
    assert_number(&f->ev.times[0], 1709272800250.0);
    assert_int_equal(read_text(f,
        "{'Id': 1, 'ProviderName': 'P', 'Properties': [], "
        "'TimeCreated': '%/Date(1709272800250)%/'}"), 0);
    assert_text(&f->ev.times[0], "/Date(1709272800250)/");
}

/* UserId: a SID string, or a SecurityIdentifier object with Value. */
static const struct {
    const char *user;
    enum s2q_kind kind;
    const char *sid;
} user_cases[] = {
    { "'S-1-5-18'", S2Q_KIND_STRING, "S-1-5-18" },
    { "{'BinaryLength': 28, 'AccountDomainSid': {'Value': 'S-1-5-21-1'}, "
      "'Value': 'S-1-5-21-1-1001'}", S2Q_KIND_STRING, "S-1-5-21-1-1001" },
    { "{'BinaryLength': 12}", S2Q_KIND_ABSENT, NULL },
    { "{'Value': null}", S2Q_KIND_NULL, NULL },
    { "{'value': 'S-1-5-18'}", S2Q_KIND_ABSENT, NULL },
    { "null", S2Q_KIND_NULL, NULL },
    { "18", S2Q_KIND_NUMBER, NULL },
    { "['S-1-5-18']", S2Q_KIND_NESTED, NULL },
};

static void test_powershell_user_id_forms(void **state)
{
    struct fixture *f = *state;
    char text[256];

    for (size_t i = 0; i < sizeof(user_cases) / sizeof(user_cases[0]);
         i++) {
        snprintf(text, sizeof(text),
                 "{'Id': 4, 'ProviderName': 'P', 'Properties': [], "
                 "'UserId': %s}", user_cases[i].user);
        assert_int_equal(read_text(f, text), 0);
        assert_int_equal(f->ev.user_id.kind, user_cases[i].kind);
        if (user_cases[i].sid != NULL) {
            assert_text(&f->ev.user_id, user_cases[i].sid);
        }
    }
}

/* Odd types of System members are kept as they are; absent ones stay
 * absent. */
static void test_powershell_odd_system_members(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_text(f,
        "{'Id': '3', 'ProviderName': ['x'], 'Version': '5', 'Level': "
        "'Information', 'LogName': null, 'MachineName': 8, 'RecordId': "
        "'4711', 'ProcessId': true, 'Properties': []}"), 0);
    assert_int_equal(f->ev.event_id, 3);
    assert_int_equal(f->ev.provider.kind, S2Q_KIND_NESTED);
    assert_text(&f->ev.version, "5");
    assert_text(&f->ev.level, "Information");
    assert_int_equal(f->ev.channel.kind, S2Q_KIND_NULL);
    assert_number(&f->ev.computer, 8);
    assert_text(&f->ev.record_id, "4711");
    assert_int_equal(f->ev.process_id.kind, S2Q_KIND_BOOL);
    assert_int_equal(f->ev.nfields, 0);
    assert_false(f->ev.unnamed_values);
    assert_int_equal(read_text(f,
        "{'Id': 3, 'ProviderName': 'Microsoft-Windows-Sysmon', "
        "'Properties': []}"), 0);
    assert_int_equal(f->ev.version.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.level.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.channel.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.computer.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.record_id.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.process_id.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.user_id.kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.times[0].kind, S2Q_KIND_ABSENT);
    assert_int_equal(f->ev.nfields, 0);
}

#define NO_ID "record has no EventID"
#define BAD_ID "EventID is not a whole number from 0 to 65535"

/* Id values: good ones give the event ID, bad ones an error. */
static const struct {
    const char *id;
    int ret;
    unsigned event_id;
    const char *err;
} id_cases[] = {
    { "1", 0, 1, "" },
    { "'22'", 0, 22, "" },
    { "255.0", 0, 255, "" },
    { "65535", 0, 65535, "" },
    { "null", -1, 0, NO_ID },
    { "''", -1, 0, NO_ID },
    { "'-'", -1, 0, NO_ID },
    { "'x'", -1, 0, BAD_ID },
    { "-1", -1, 0, BAD_ID },
    { "65536", -1, 0, BAD_ID },
    { "1.5", -1, 0, BAD_ID },
    { "true", -1, 0, BAD_ID },
    { "[1]", -1, 0, BAD_ID },
};

static void test_powershell_event_id(void **state)
{
    struct fixture *f = *state;
    char text[128];

    for (size_t i = 0; i < sizeof(id_cases) / sizeof(id_cases[0]); i++) {
        snprintf(text, sizeof(text),
                 "{'Id': %s, 'ProviderName': 'P', 'Properties': []}",
                 id_cases[i].id);
        assert_int_equal(read_text(f, text), id_cases[i].ret);
        assert_string_equal(f->err, id_cases[i].err);
        if (id_cases[i].ret == 0) {
            assert_int_equal(f->ev.event_id, id_cases[i].event_id);
        }
    }
    assert_int_equal(read_text(f, "{'ProviderName': 'P', 'Properties': []}"),
                     -1);
    assert_string_equal(f->err, NO_ID);
}

/* Records of this shape and look-alikes of the other shapes. */
static const struct {
    const char *record;
    bool want;
} match_cases[] = {
    { "{'Id': 1, 'ProviderName': 'Microsoft-Windows-Sysmon', "
      "'Properties': []}", true },
    { "{'Id': null, 'ProviderName': null, 'Properties': [1]}", true },
    { "{'Properties': [], 'ProviderName': 'P', 'Id': '1', "
      "'Message': 'm'}", true },
    { "{'Id': 1, 'ProviderName': 'P', 'Properties': {}}", false },
    { "{'Id': 1, 'ProviderName': 'P', 'Properties': 'a'}", false },
    { "{'Id': 1, 'ProviderName': 'P', 'Properties': null}", false },
    { "{'Id': 1, 'ProviderName': 'P'}", false },
    { "{'ProviderName': 'P', 'Properties': []}", false },
    { "{'Id': 1, 'Properties': []}", false },
    { "{'id': 1, 'providerName': 'P', 'properties': []}", false },
    { "{'EventID': 1, 'ProviderName': 'Microsoft-Windows-Sysmon', "
      "'Properties': []}", false },
    { "{'EventID': 1, 'ProviderName': 'Microsoft-Windows-Sysmon', "
      "'Channel': 'Microsoft-Windows-Sysmon/Operational'}", false },
    { "{'Event': {'System': {'EventID': 1}, 'EventData': {}}}", false },
    { "{'winlog': {'event_id': 1, 'provider_name': 'P', "
      "'event_data': {}}}", false },
    { "{'win': {'system': {'eventID': '1', 'providerName': 'P'}}}", false },
    { "{'data': {'Id': 1, 'ProviderName': 'P', 'Properties': []}}", false },
    { "[{'Id': 1, 'ProviderName': 'P', 'Properties': []}]", false },
    { "{}", false },
};

static void test_powershell_match(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]);
         i++) {
        cJSON *root = parse_standin(match_cases[i].record, true);

        assert_int_equal(s2q_powershell_match(root), match_cases[i].want);
        cJSON_Delete(root);
    }
}

/* Issue case 7's event as evtx_dump writes it: typed numbers, LogonId
 * as hex text. */
static const char evtx_event1[] =
    "{'Event': {'System': {'Provider': {'#attributes': {'Name': "
    "'Microsoft-Windows-Sysmon'}}, 'EventID': 1, 'Version': 5, "
    "'Level': 4, 'Task': 1, 'TimeCreated': {'#attributes': "
    "{'SystemTime': '2024-03-01T06:00:00.250312Z'}}, 'EventRecordID': "
    "4711, 'Execution': {'#attributes': {'ProcessID': 2816, 'ThreadID': "
    "3720}}, 'Channel': 'Microsoft-Windows-Sysmon/Operational', "
    "'Computer': 'ws08.example.test', 'Security': {'#attributes': "
    "{'UserID': 'S-1-5-18'}}}, 'EventData': {'RuleName': '-', "
    "'UtcTime': '2024-03-01 06:00:00.249', 'ProcessGuid': "
    "'{eeeeeeee-0000-0000-0000-000000000005}', 'ProcessId': 1234, "
    "'Image': 'C:%%Windows%%System32%%WindowsPowerShell%%v1.0%%"
    "powershell.exe', 'FileVersion': '10.0.19041.546 "
    "(WinBuild.160101.0800)', 'Description': 'Windows PowerShell', "
    "'Product': 'Microsoft\xc2\xae Windows\xc2\xae Operating System', "
    "'Company': 'Microsoft Corporation', 'OriginalFileName': "
    "'PowerShell.EXE', 'CommandLine': 'powershell.exe -NoP -enc "
    "SQBFAFgAIAAoACIAaABpACIAKQA= %'a %%%'quoted%%%' arg%'%tTAB', "
    "'CurrentDirectory': 'C:%%Users%%dave%%', 'User': 'CORP%%dave', "
    "'LogonGuid': '{eeeeeeee-1111-0000-0000-000000000005}', 'LogonId': "
    "'0x1bd62a', 'TerminalSessionId': 1, 'IntegrityLevel': 'Medium', "
    "'Hashes': 'SHA256=ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"
    "ABCDEF0123456789', 'ParentProcessGuid': "
    "'{eeeeeeee-2222-0000-0000-000000000005}', 'ParentProcessId': 4388, "
    "'ParentImage': 'C:%%Windows%%explorer.exe', 'ParentCommandLine': "
    "'C:%%Windows%%Explorer.EXE', 'ParentUser': 'CORP%%dave'}}}";

/* A value as mapping will see it: numbers as their digits, LogonId in
 * the canonical hex form. */
static const char *canonical_text(const char *name,
                                  const struct s2q_value *v, char *buf)
{
    char hex[S2Q_HEX_BUFSZ];
    const char *text = v->str;
    size_t len = v->len;

    if (v->kind == S2Q_KIND_NUMBER) {
        len = s2q_format_number(v->num, buf);
        text = buf;
    } else {
        assert_int_equal(v->kind, S2Q_KIND_STRING);
    }
    if (strcmp(name, "LogonId") == 0) {
        assert_true(s2q_hex_canon(text, len, hex));
        memcpy(buf, hex, strlen(hex) + 1);
        return buf;
    }
    if (text != buf) {
        memcpy(buf, text, len + 1);
    }
    return buf;
}

/* The time a System time value stands for, in ms since 1970. */
static int64_t time_ms(const struct s2q_value *v)
{
    int64_t ms = 0;

    assert_int_equal(v->kind, S2Q_KIND_STRING);
    assert_int_equal(s2q_time_parse(v->str, v->len, false, &ms),
                     S2Q_TIME_OK);
    return ms;
}

static void test_powershell_same_event_as_evtx(void **state)
{
    struct fixture *f = *state;
    struct s2q_event evtx;
    cJSON *root = parse_standin(evtx_event1, true);
    char err[256];
    char a[256];
    char b[256];

    s2q_event_init(&evtx);
    assert_int_equal(s2q_evtx_read(root, &evtx, err, sizeof(err)), 0);
    assert_int_equal(read_text(f, ps51_event1), 0);
    assert_int_equal(f->ev.event_id, evtx.event_id);
    assert_string_equal(f->ev.provider.str, evtx.provider.str);
    assert_string_equal(f->ev.channel.str, evtx.channel.str);
    assert_string_equal(f->ev.computer.str, evtx.computer.str);
    assert_string_equal(f->ev.user_id.str, evtx.user_id.str);
    assert_true(f->ev.version.num == evtx.version.num);
    assert_true(f->ev.level.num == evtx.level.num);
    assert_true(f->ev.record_id.num == evtx.record_id.num);
    assert_true(f->ev.process_id.num == evtx.process_id.num);
    assert_true(time_ms(&f->ev.times[0]) == time_ms(&evtx.times[0]));
    assert_int_equal(f->ev.utc_time_first, evtx.utc_time_first);
    assert_int_equal(f->ev.nfields, evtx.nfields);
    for (size_t i = 0; i < evtx.nfields; i++) {
        const char *name = evtx.fields[i].name;

        assert_string_equal(f->ev.fields[i].name, name);
        assert_string_equal(canonical_text(name, &f->ev.fields[i].value, a),
                            canonical_text(name, &evtx.fields[i].value, b));
    }
    s2q_event_free(&evtx);
    cJSON_Delete(root);
}

/* DataN names live in the event's store, reused record after record. */
static void test_powershell_store_reused_across_records(void **state)
{
    struct fixture *f = *state;

    for (int i = 0; i < 200; i++) {
        cJSON_Delete(f->root);
        f->root = record_of("Microsoft-Windows-Sysmon", 1, 40);
        assert_int_equal(read_root(f), 0);
        assert_string_equal(f->ev.fields[23].name, "Data24");
        assert_string_equal(f->ev.fields[39].name, "Data40");
        assert_text(&f->ev.fields[39].value, "v40");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_powershell_read_windows_powershell_5_1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_powershell_read_powershell_7,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_powershell_names_by_value_count, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_powershell_other_providers_get_data_n, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_powershell_property_item_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_powershell_keeps_hex_fields_as_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_powershell_time_created_forms,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_powershell_user_id_forms,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_powershell_odd_system_members,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_powershell_event_id, setup,
                                        teardown),
        cmocka_unit_test(test_powershell_match),
        cmocka_unit_test_setup_teardown(test_powershell_same_event_as_evtx,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_powershell_store_reused_across_records, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
