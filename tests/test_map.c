/*
 * test_map.c - mapping and writing: precedence, conversions, leftovers,
 * System and derived tokens, eventId, and the JSON text written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <uuid/uuid.h>

#include "s2q/buf.h"
#include "s2q/map.h"
#include "s2q/shape.h"
#include "s2q/uuid5.h"

struct fixture {
    struct s2q_map_opts opts;
    struct s2q_event ev;
    struct s2q_out out;
    struct s2q_buf buf;
    cJSON *root;
    cJSON *result;
    char *line;
};

static int setup(void **state)
{
    static struct fixture f;

    memset(&f, 0, sizeof(f));
    uuid_parse("a61358e4-3c86-57f0-a606-4ac5330ac14c",
               f.opts.namespace_uuid);
    s2q_event_init(&f.ev);
    s2q_out_init(&f.out);
    s2q_buf_init(&f.buf);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    cJSON_Delete(f->root);
    cJSON_Delete(f->result);
    free(f->line);
    s2q_event_free(&f->ev);
    s2q_out_free(&f->out);
    s2q_buf_free(&f->buf);
    return 0;
}

/*
 * Map an evtx record made of a System object for event id (Sysmon, host
 * ws01, record 7, Execution ProcessID 2816, UserID S-1-5-18, the System
 * extras given) and an EventData object; keep the output line and its
 * parse.
 */
static const char *map_record(struct fixture *f, unsigned id,
                              const char *system_extra,
                              const char *event_data)
{
    char text[8192];

    snprintf(text, sizeof(text),
             "{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":"
             "{\"Name\":\"Microsoft-Windows-Sysmon\"}},\"EventID\":%u,"
             "\"EventRecordID\":7,\"Computer\":\"ws01\",\"Channel\":"
             "\"Microsoft-Windows-Sysmon/Operational\",\"Execution\":"
             "{\"#attributes\":{\"ProcessID\":2816}},\"Security\":"
             "{\"#attributes\":{\"UserID\":\"S-1-5-18\"}}%s%s},"
             "\"EventData\":%s}}",
             id, system_extra[0] ? "," : "", system_extra, event_data);
    cJSON_Delete(f->root);
    cJSON_Delete(f->result);
    free(f->line);
    f->root = cJSON_Parse(text);
    assert_non_null(f->root);
    s2q_event_reset(&f->ev);
    assert_int_equal(s2q_shape_read(f->root, S2Q_SHAPE_COUNT, &f->ev,
                                    text, sizeof(text)), 0);
    s2q_map_event(&f->ev, &f->opts, &f->out);
    f->buf.len = 0;
    s2q_emit_record(&f->buf, &f->ev, &f->out, &f->opts, false);
    f->line = strndup(f->buf.data, f->buf.len);
    f->result = cJSON_Parse(f->line);
    assert_non_null(f->result);
    return f->line;
}

/* The output's value of key as text ("<absent>" when missing; numbers as
 * "#<digits>" so that types are checked too). */
static const char *got(struct fixture *f, const char *key)
{
    static char num[64];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->result, key);

    if (v == NULL) {
        return "<absent>";
    }
    if (cJSON_IsNumber(v)) {
        snprintf(num, sizeof(num), "#%.0f", v->valuedouble);
        return num;
    }
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static void test_map_constant_system_and_derived_tokens(void **state)
{
    struct fixture *f = *state;

    map_record(f, 5,
               "\"Version\":3,\"Level\":4,\"TimeCreated\":{\"#attributes\":"
               "{\"SystemTime\":\"2022-03-28T06:31:40.4959999Z\"}}",
               "{\"ProcessId\":\"1524\"}");
    assert_string_equal(got(f, "deviceType"), "Application");
    assert_string_equal(got(f, "deviceVendor"), "Microsoft");
    assert_string_equal(got(f, "deviceModel"), "Sysmon");
    assert_string_equal(got(f, "deviceEventId"), "Microsoft-Windows-Sysmon:5");
    assert_string_equal(got(f, "eventName"), "Process terminated");
    assert_string_equal(got(f, "outcome"), "Success");
    assert_string_equal(got(f, "eventTime"), "2022-03-28T06:31:40.495Z");
    assert_string_equal(got(f, "deviceSeverity"), "Informational");
    assert_string_equal(got(f, "deviceHost"), "ws01");
    assert_string_equal(got(f, "version"), "#3");
    assert_string_equal(got(f, "baseEventId"), "#7");
    assert_string_equal(got(f, "processId"), "#1524");
    /* not Sysmon's own event: the System SID is nobody's */
    assert_string_equal(got(f, "sourceUser"), "<absent>");
}

static void test_map_key_order_is_fixed(void **state)
{
    struct fixture *f = *state;
    const char *line = map_record(f, 3, "",
        "{\"DestinationPort\":\"443\",\"Zeta\":\"z\",\"Image\":\"a.exe\","
        "\"Alpha\":\"a\",\"SourceIp\":\"10.0.0.1\"}");

    assert_true(strstr(line, "\"processName\":\"a.exe\",\"sourceIpv4\":"
                             "\"10.0.0.1\",\"destinationPort\":443,"
                             "\"Zeta\":\"z\",\"Alpha\":\"a\"}\n") != NULL);
    assert_int_equal(strncmp(line, "{\"deviceType\":\"Application\","
                                   "\"deviceVendor\":\"Microsoft\","
                                   "\"deviceModel\":\"Sysmon\",\"eventId\":",
                             strlen("{\"deviceType\":\"Application\","
                                    "\"deviceVendor\":\"Microsoft\","
                                    "\"deviceModel\":\"Sysmon\","
                                    "\"eventId\":")), 0);
}

static void test_map_own_events_take_system_actor(void **state)
{
    struct fixture *f = *state;

    map_record(f, 4, "", "{\"State\":\"Started\",\"Version\":\"15.15\"}");
    assert_string_equal(got(f, "processId"), "#2816");
    assert_string_equal(got(f, "sourceUser"), "SYSTEM");
    assert_string_equal(got(f, "action"), "Started");
    assert_string_equal(got(f, "Version"), "15.15");
    map_record(f, 255, "\"Level\":2", "{\"ID\":\"6\",\"Description\":\"d\"}");
    assert_string_equal(got(f, "outcome"), "Failure");
    assert_string_equal(got(f, "deviceSeverity"), "Error");
    assert_string_equal(got(f, "description"), "d");
    assert_string_equal(got(f, "ID"), "6");
    assert_string_equal(got(f, "action"), "Error report");
    map_record(f, 16, "", "{\"State\":\"-\"}");
    assert_string_equal(got(f, "action"), "Sysmon config state changed");
}

static void test_map_well_known_and_other_sids(void **state)
{
    struct fixture *f = *state;
    char text[4096];

    /* a record whose SID is not well known keeps it as given */
    snprintf(text, sizeof(text),
             "{\"Event\":{\"System\":{\"Provider\":{\"Name\":"
             "\"Microsoft-Windows-Sysmon\"},\"EventID\":16,\"Security\":"
             "{\"UserID\":\"S-1-5-21-1-2-3-500\"}},\"EventData\":{}}}");
    cJSON_Delete(f->root);
    f->root = cJSON_Parse(text);
    s2q_event_reset(&f->ev);
    assert_int_equal(s2q_shape_read(f->root, S2Q_SHAPE_COUNT, &f->ev, text,
                                    sizeof(text)), 0);
    s2q_map_event(&f->ev, &f->opts, &f->out);
    assert_true(f->out.tok[S2Q_TOK_SOURCE_USER].set);
    assert_memory_equal(f->out.tok[S2Q_TOK_SOURCE_USER].str,
                        "S-1-5-21-1-2-3-500", 18);
    assert_false(f->out.tok[S2Q_TOK_PROCESS_ID].set);
}

static void test_map_event1_child_and_parent(void **state)
{
    struct fixture *f = *state;

    map_record(f, 1, "",
               "{\"Image\":\"C:\\\\child.exe\",\"User\":\"CORP\\\\kid\","
               "\"ParentImage\":\"C:\\\\parent.exe\",\"ParentUser\":"
               "\"CORP\\\\mom\",\"LogonId\":\"0x000000000003e7a1\","
               "\"TerminalSessionId\":\"1\",\"IntegrityLevel\":\"High\","
               "\"ParentCommandLine\":\"p.exe -x\",\"OriginalFileName\":"
               "\"c.exe\",\"Description\":\"Child\"}");
    assert_string_equal(got(f, "processName"), "C:\\child.exe");
    assert_string_equal(got(f, "destinationProcess"), "C:\\child.exe");
    assert_string_equal(got(f, "destinationUser"), "CORP\\kid");
    assert_string_equal(got(f, "sourceUser"), "CORP\\mom");
    assert_string_equal(got(f, "sourceProcess"), "C:\\parent.exe");
    assert_string_equal(got(f, "destinationUserId"), "0x3e7a1");
    assert_string_equal(got(f, "sessionId"), "#1");
    assert_string_equal(got(f, "customString6"), "High");
    assert_string_equal(got(f, "customString7"), "p.exe -x");
    assert_string_equal(got(f, "fileName"), "c.exe");
    assert_string_equal(got(f, "description"), "Child");
    assert_string_equal(got(f, "Image"), "<absent>");
    assert_string_equal(got(f, "User"), "<absent>");
}

static void test_map_event2_times(void **state)
{
    struct fixture *f = *state;

    map_record(f, 2, "",
               "{\"CreationUtcTime\":\"2020-01-02 03:04:05.678\","
               "\"PreviousCreationUtcTime\":\"2019-12-31 23:59:59.9999\"}");
    assert_string_equal(got(f, "fileModificationTime"),
                        "2020-01-02T03:04:05.678Z");
    assert_string_equal(got(f, "fileCreateTime"), "2019-12-31T23:59:59.999Z");
}

static void test_map_unparseable_values_stay_leftovers(void **state)
{
    struct fixture *f = *state;

    map_record(f, 3, "",
               "{\"SourcePort\":\"http\",\"DestinationPort\":\"70000\","
               "\"SourceIp\":\"10.0.0.300\",\"DestinationIp\":"
               "\"fe80::1%12\",\"ProcessId\":\"-5\",\"LogonId\":\"0xZZ\","
               "\"CreationUtcTime\":\"yesterday\"}");
    assert_string_equal(got(f, "SourcePort"), "http");
    assert_string_equal(got(f, "DestinationPort"), "70000");
    assert_string_equal(got(f, "SourceIp"), "10.0.0.300");
    assert_string_equal(got(f, "DestinationIp"), "fe80::1%12");
    assert_string_equal(got(f, "ProcessId"), "-5");
    assert_string_equal(got(f, "LogonId"), "0xZZ");
    assert_string_equal(got(f, "CreationUtcTime"), "yesterday");
    assert_string_equal(got(f, "sourcePort"), "<absent>");
    assert_string_equal(got(f, "sourceIpv4"), "<absent>");
    assert_int_equal(f->out.warnings[S2Q_WARN_NUMBER], 3);
    assert_int_equal(f->out.warnings[S2Q_WARN_IP], 2);
    assert_int_equal(f->out.warnings[S2Q_WARN_HEX], 1);
    assert_int_equal(f->out.warnings[S2Q_WARN_TIME], 1);
}

static void test_map_addresses_by_parsing_not_flags(void **state)
{
    struct fixture *f = *state;

    map_record(f, 3, "",
               "{\"SourceIsIpv6\":\"true\",\"SourceIp\":"
               "\"::ffff:10.1.2.3\",\"DestinationIsIpv6\":\"false\","
               "\"DestinationIp\":\"fe80:0:0:0:8c8:2ebd:44ad:c2ce\"}");
    assert_string_equal(got(f, "sourceIpv4"), "10.1.2.3");
    assert_string_equal(got(f, "sourceIpv6"), "<absent>");
    assert_string_equal(got(f, "destinationIpv6"), "fe80::8c8:2ebd:44ad:c2ce");
    assert_string_equal(got(f, "SourceIsIpv6"), "true");
}

static void test_map_hashes_partial_keeps_raw(void **state)
{
    struct fixture *f = *state;

    map_record(f, 7, "",
               "{\"Hashes\":\"sha256=ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01"
               "ab01ab01ab01ab01ab01ab01,CRC32=1234ABCD\"}");
    assert_string_equal(got(f, "sha256Hash"),
                        "AB01AB01AB01AB01AB01AB01AB01AB01AB01AB01AB01AB01"
                        "AB01AB01AB01AB01");
    assert_string_equal(got(f, "Hashes"),
                        "sha256=ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01"
                        "ab01ab01ab01ab01ab01ab01,CRC32=1234ABCD");
    assert_int_equal(f->out.warnings[S2Q_WARN_HASH], 1);
    map_record(f, 1, "",
               "{\"Hashes\":\"MD5=0123456789ABCDEF0123456789ABCDEF\"}");
    assert_string_equal(got(f, "md5Hash"), "0123456789ABCDEF0123456789ABCDEF");
    assert_string_equal(got(f, "Hashes"), "<absent>");
    map_record(f, 1, "", "{\"Hashes\":\"-\"}");
    assert_string_equal(got(f, "Hashes"), "<absent>");
    assert_int_equal(f->out.warnings[S2Q_WARN_HASH], 0);
}

static void test_map_clientinfo_and_user_precedence(void **state)
{
    struct fixture *f = *state;

    map_record(f, 24, "",
               "{\"User\":\"CORP\\\\alice\",\"Session\":\"2\",\"ClientInfo\":"
               "\"user: CORP\\\\bob ip: 192.0.2.44 hostname: WS-BOB\"}");
    /* User outranks the ClientInfo user: ClientInfo is kept whole too */
    assert_string_equal(got(f, "sourceUser"), "CORP\\alice");
    assert_string_equal(got(f, "sourceHost"), "WS-BOB");
    assert_string_equal(got(f, "sourceIpv4"), "192.0.2.44");
    assert_string_equal(got(f, "sessionId"), "#2");
    assert_string_equal(got(f, "ClientInfo"),
                        "user: CORP\\bob ip: 192.0.2.44 hostname: WS-BOB");
    assert_int_equal(f->out.warnings[S2Q_WARN_CLIENTINFO], 0);
    map_record(f, 24, "", "{\"ClientInfo\":\"user: CORP\\\\bob\"}");
    assert_string_equal(got(f, "sourceUser"), "CORP\\bob");
    assert_string_equal(got(f, "ClientInfo"), "<absent>");
}

static void test_map_event_time_sources(void **state)
{
    struct fixture *f = *state;

    /* a zone-less System time is local: UtcTime is used instead */
    map_record(f, 1,
               "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":"
               "\"2024-01-01 10:00:00\"}}",
               "{\"UtcTime\":\"2024-01-01 09:00:00.123\"}");
    assert_string_equal(got(f, "eventTime"), "2024-01-01T09:00:00.123Z");
    assert_string_equal(got(f, "UtcTime"), "2024-01-01 09:00:00.123");
    assert_int_equal(f->out.warnings[S2Q_WARN_TIME], 0);
    /* an offset is converted */
    map_record(f, 1,
               "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":"
               "\"2024-01-01T01:30:00.5+02:00\"}}",
               "{\"UtcTime\":\"2024-01-01 09:00:00.123\"}");
    assert_string_equal(got(f, "eventTime"), "2023-12-31T23:30:00.500Z");
    /* nothing usable: no eventTime, both counted */
    map_record(f, 1,
               "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"soon\"}}",
               "{\"UtcTime\":\"later\"}");
    assert_string_equal(got(f, "eventTime"), "<absent>");
    assert_int_equal(f->out.warnings[S2Q_WARN_TIME], 2);
}

static void test_map_severity_forms(void **state)
{
    static const struct {
        const char *level;
        const char *want;
        unsigned warnings;
    } cases[] = {
        { "1", "Alert", 0 },          { "2", "Error", 0 },
        { "3", "Warning", 0 },        { "0", "Informational", 0 },
        { "5", "Debug", 0 },          { "\"4\"", "Informational", 0 },
        { "\"INFO\"", "Informational", 0 },
        { "\"critical\"", "Alert", 0 },
        { "\"Verbose\"", "Debug", 0 }, { "\"loud\"", "loud", 1 },
        { "9", "9", 1 },              { "\"-\"", "<absent>", 0 },
        { "[4]", "<absent>", 0 },     { "{\"x\":1}", "<absent>", 0 },
    };
    struct fixture *f = *state;
    char extra[64];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(extra, sizeof(extra), "\"Level\":%s", cases[i].level);
        map_record(f, 1, extra, "{}");
        assert_string_equal(got(f, "deviceSeverity"), cases[i].want);
        assert_int_equal(f->out.warnings[S2Q_WARN_SEVERITY],
                         cases[i].warnings);
    }
}

static void test_map_unknown_event_id(void **state)
{
    struct fixture *f = *state;

    map_record(f, 42, "", "{\"Image\":\"x.exe\",\"NewField\":\"n\"}");
    assert_false(f->out.known_id);
    assert_string_equal(got(f, "eventName"), "Sysmon event 42");
    assert_string_equal(got(f, "action"), "<absent>");
    assert_string_equal(got(f, "outcome"), "Success");
    assert_string_equal(got(f, "processName"), "x.exe");
    assert_string_equal(got(f, "NewField"), "n");
    assert_string_equal(got(f, "deviceEventId"), "Microsoft-Windows-Sysmon:42");
    assert_int_equal(f->out.warnings[S2Q_WARN_UNKNOWN_ID], 1);
}

static void test_map_dns_outcome(void **state)
{
    struct fixture *f = *state;

    map_record(f, 22, "", "{\"QueryStatus\":\"0\",\"QueryName\":\"a\"}");
    assert_string_equal(got(f, "outcome"), "Success");
    assert_string_equal(got(f, "status"), "#0");
    assert_string_equal(got(f, "customString23"), "a");
    map_record(f, 22, "", "{\"QueryStatus\":\"9003\"}");
    assert_string_equal(got(f, "outcome"), "Failure");
    assert_string_equal(got(f, "status"), "#9003");
    map_record(f, 27, "", "{}");
    assert_string_equal(got(f, "outcome"), "Failure");
    map_record(f, 28, "", "{}");
    assert_string_equal(got(f, "outcome"), "Failure");
}

static void test_map_leftover_value_forms(void **state)
{
    struct fixture *f = *state;

    map_record(f, 10, "",
               "{\"SourceProcessGUID\":"
               "\"ABCDEF01-2345-6789-ABCD-EF0123456789\","
               "\"TargetProcessGUID\":\"not-a-guid\",\"Big\":1e300,"
               "\"Neg\":-0,\"Frac\":0.5,\"Flag\":false,\"Obj\":{\"a\":[1,"
               "\"x\",null,true]},\"GrantedAccess\":\"0x1FFFFF\","
               "\"SourceProcessId\":4}");
    assert_string_equal(got(f, "SourceProcessGUID"),
                        "{abcdef01-2345-6789-abcd-ef0123456789}");
    assert_string_equal(got(f, "TargetProcessGUID"), "not-a-guid");
    assert_string_equal(got(f, "Big"), "1.0000000000000001e+300");
    assert_string_equal(got(f, "Neg"), "0");
    assert_string_equal(got(f, "Frac"), "0.5");
    assert_string_equal(got(f, "Flag"), "false");
    assert_string_equal(got(f, "Obj"), "{\"a\":[1,\"x\",null,true]}");
    assert_string_equal(got(f, "permission"), "0x1fffff");
    assert_string_equal(got(f, "processId"), "#4");
}

static void test_map_mapped_only_and_pretty(void **state)
{
    struct fixture *f = *state;

    f->opts.mapped_only = true;
    map_record(f, 5, "", "{\"Image\":\"a\",\"RuleName\":\"r\"}");
    assert_string_equal(got(f, "RuleName"), "<absent>");
    assert_string_equal(got(f, "processName"), "a");
    f->opts.mapped_only = false;
    f->buf.len = 0;
    s2q_emit_record(&f->buf, &f->ev, &f->out, &f->opts, true);
    assert_true(f->buf.len > 4);
    assert_memory_equal(f->buf.data, "{\n  \"deviceType\": \"Application\",\n",
                        strlen("{\n  \"deviceType\": \"Application\",\n"));
    assert_memory_equal(f->buf.data + f->buf.len - 18,
                        "\"RuleName\": \"r\"\n}\n", 18);
}

static void test_map_event_id_is_stable_and_namespaced(void **state)
{
    struct fixture *f = *state;
    char first[64];

    map_record(f, 5, "", "{\"UtcTime\":\"2022-03-28 06:31:40.494\"}");
    snprintf(first, sizeof(first), "%s", got(f, "eventId"));
    map_record(f, 5, "", "{\"UtcTime\":\"2022-03-28T06:31:40.494Z\"}");
    assert_string_equal(got(f, "eventId"), first);
    map_record(f, 5, "", "{\"UtcTime\":\"2022-03-28 06:31:40.495\"}");
    assert_string_not_equal(got(f, "eventId"), first);
    uuid_parse("d656b196-edb7-45e6-8485-3748a740d002",
               f->opts.namespace_uuid);
    f->opts.customer_id = "d656b196-edb7-45e6-8485-3748a740d002";
    map_record(f, 5, "", "{\"UtcTime\":\"2022-03-28 06:31:40.494\"}");
    assert_string_not_equal(got(f, "eventId"), first);
    assert_string_equal(got(f, "customerId"),
                        "d656b196-edb7-45e6-8485-3748a740d002");
}

static void test_map_provider_from_channel_and_linux(void **state)
{
    struct fixture *f = *state;
    const char *provider;
    size_t n;
    char text[1024];

    snprintf(text, sizeof(text),
             "{\"Event\":{\"System\":{\"EventID\":1,\"Channel\":"
             "\"Linux-Sysmon/Operational\"},\"EventData\":{\"LogonId\":\"0\","
             "\"User\":\"root\"}}}");
    cJSON_Delete(f->root);
    f->root = cJSON_Parse(text);
    s2q_event_reset(&f->ev);
    assert_int_equal(s2q_shape_read(f->root, S2Q_SHAPE_COUNT, &f->ev, text,
                                    sizeof(text)), 0);
    assert_true(s2q_map_is_sysmon(&f->ev, &provider, &n));
    assert_string_equal(provider, "Linux-Sysmon");
    s2q_map_event(&f->ev, &f->opts, &f->out);
    assert_memory_equal(f->out.tok[S2Q_TOK_DEVICE_EVENT_ID].str,
                        "Linux-Sysmon:1", 14);
    assert_memory_equal(f->out.tok[S2Q_TOK_DESTINATION_USER_ID].str, "0x0",
                        3);
}

static void test_map_foreign_records(void **state)
{
    struct fixture *f = *state;
    const char *provider;
    size_t n;
    char text[1024];

    snprintf(text, sizeof(text),
             "{\"Event\":{\"System\":{\"Provider\":{\"Name\":"
             "\"Microsoft-Windows-Security-Auditing\"},\"EventID\":4688,"
             "\"Computer\":\"dc1\",\"Execution\":{\"ProcessID\":4},"
             "\"Security\":{\"UserID\":\"S-1-5-18\"}},\"EventData\":"
             "{\"NewProcessName\":\"x.exe\",\"Image\":\"y\"}}}");
    cJSON_Delete(f->root);
    f->root = cJSON_Parse(text);
    s2q_event_reset(&f->ev);
    assert_int_equal(s2q_shape_read(f->root, S2Q_SHAPE_COUNT, &f->ev, text,
                                    sizeof(text)), 0);
    assert_false(s2q_map_is_sysmon(&f->ev, &provider, &n));
    s2q_map_foreign(&f->ev, &f->opts, &f->out);
    f->buf.len = 0;
    s2q_emit_record(&f->buf, &f->ev, &f->out, &f->opts, false);
    s2q_buf_putc(&f->buf, '\0');
    assert_non_null(strstr(f->buf.data,
                           "\"deviceEventId\":"
                           "\"Microsoft-Windows-Security-Auditing:4688\","
                           "\"deviceHost\":\"dc1\",\"NewProcessName\":"
                           "\"x.exe\",\"Image\":\"y\"}"));
    assert_null(strstr(f->buf.data, "deviceType"));
    assert_null(strstr(f->buf.data, "processId"));
    assert_null(strstr(f->buf.data, "eventName"));
    assert_non_null(strstr(f->buf.data, "\"eventId\":"));
}

static void test_map_invalid_utf8_is_replaced_and_counted(void **state)
{
    struct fixture *f = *state;
    struct s2q_field fld;
    struct s2q_field *saved;
    size_t nsaved;

    map_record(f, 1, "", "{\"Image\":\"ok\"}");
    saved = f->ev.fields;
    nsaved = f->ev.nfields;
    /* cJSON keeps invalid bytes as they are: put one in by hand */
    fld.name = "Bad\xff";
    fld.id = -1;
    fld.value.kind = S2Q_KIND_STRING;
    fld.value.str = "a\xc3(";
    fld.value.len = 3;
    f->ev.fields = &fld;
    f->ev.nfields = 1;
    s2q_map_event(&f->ev, &f->opts, &f->out);
    f->buf.len = 0;
    s2q_emit_record(&f->buf, &f->ev, &f->out, &f->opts, false);
    s2q_buf_putc(&f->buf, '\0');
    assert_non_null(strstr(f->buf.data,
                           "\"Bad\xef\xbf\xbd\":\"a\xef\xbf\xbd(\"}"));
    assert_int_equal(f->out.warnings[S2Q_WARN_UTF8], 2);
    f->ev.fields = saved;
    f->ev.nfields = nsaved;
}

static void test_uuid5_matches_libuuid(void **state)
{
    static const char *const names[] = {
        "", "a", "win10-security\nMicrosoft-Windows-Sysmon/Operational\n"
        "Microsoft-Windows-Sysmon:5\n10470\n2022-03-28T06:31:40.494Z",
        "0123456789012345678901234567890123456789012345678901234",
        "01234567890123456789012345678901234567890123456789012345",
        "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80 long name "
        "0123456789012345678901234567890123456789012345678901234567890",
    };
    static const char *const spaces[] = {
        "a61358e4-3c86-57f0-a606-4ac5330ac14c",
        "d656b196-edb7-45e6-8485-3748a740d002",
    };
    char got[S2Q_UUID_LEN + 1];
    char want[S2Q_UUID_LEN + 1];

    (void)state;
    for (size_t k = 0; k < 2; k++) {
        uuid_t ns;
        struct s2q_uuid5 *u;

        uuid_parse(spaces[k], ns);
        u = s2q_uuid5_new(ns);
        assert_true(s2q_uuid5_has_namespace(u, ns));
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            uuid_t id;

            uuid_generate_sha1(id, ns, names[i], strlen(names[i]));
            uuid_unparse_lower(id, want);
            s2q_uuid5_make(u, names[i], strlen(names[i]), got);
            assert_string_equal(got, want);
        }
        s2q_uuid5_free(u);
    }
    /* every name length up to five SHA-1 blocks, across block ends */
    {
        uuid_t ns;
        uuid_t id;
        struct s2q_uuid5 *u;
        char name[320];

        for (size_t i = 0; i < sizeof(name); i++) {
            name[i] = (char)(i * 131 + 7);
        }
        uuid_parse(spaces[1], ns);
        u = s2q_uuid5_new(ns);
        for (size_t n = 0; n <= sizeof(name); n++) {
            uuid_generate_sha1(id, ns, name, n);
            uuid_unparse_lower(id, want);
            s2q_uuid5_make(u, name, n, got);
            assert_string_equal(got, want);
        }
        s2q_uuid5_free(u);
    }
    /* the example of the mapping contract */
    {
        uuid_t ns;
        struct s2q_uuid5 *u;

        uuid_parse(spaces[0], ns);
        u = s2q_uuid5_new(ns);
        s2q_uuid5_make(u, names[2], strlen(names[2]), got);
        assert_string_equal(got, "238404b5-6bc5-5c66-b5c1-fc59db0a8c09");
        s2q_uuid5_free(u);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_map_constant_system_and_derived_tokens),
        T(test_map_key_order_is_fixed),
        T(test_map_own_events_take_system_actor),
        T(test_map_well_known_and_other_sids),
        T(test_map_event1_child_and_parent),
        T(test_map_event2_times),
        T(test_map_unparseable_values_stay_leftovers),
        T(test_map_addresses_by_parsing_not_flags),
        T(test_map_hashes_partial_keeps_raw),
        T(test_map_clientinfo_and_user_precedence),
        T(test_map_event_time_sources),
        T(test_map_severity_forms),
        T(test_map_unknown_event_id),
        T(test_map_dns_outcome),
        T(test_map_leftover_value_forms),
        T(test_map_mapped_only_and_pretty),
        T(test_map_event_id_is_stable_and_namespaced),
        T(test_map_provider_from_channel_and_linux),
        T(test_map_foreign_records),
        T(test_map_invalid_utf8_is_replaced_and_counted),
        cmocka_unit_test(test_uuid5_matches_libuuid),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
