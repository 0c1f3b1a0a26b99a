/*
 * test_layouts.c - the Sysmon field layouts by schema version: the newest
 * layout of every event is SYSMON-SCHEMA.md's 4.90 field list, and older
 * exports are named by the layout of their version, chosen by the number
 * of values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../src/shape_impl.h"

/* The names of a layout joined by single spaces into buf. */
static const char *joined(const char *const *names, size_t n, char *buf,
                          size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);

        assert_true(used + len + 2 <= size);
        if (i > 0) {
            buf[used++] = ' ';
        }
        memcpy(buf + used, names[i], len + 1);
        used += len;
    }
    return buf;
}

/* SYSMON-SCHEMA.md, "Field lists" (schema 4.90), and the "# fields"
 * column of its summary table. */
static const struct {
    unsigned id;
    size_t n;
    const char *fields;
} newest_cases[] = {
    { 1, 23,
      "RuleName UtcTime ProcessGuid ProcessId Image FileVersion "
      "Description Product Company OriginalFileName CommandLine "
      "CurrentDirectory User LogonGuid LogonId TerminalSessionId "
      "IntegrityLevel Hashes ParentProcessGuid ParentProcessId "
      "ParentImage ParentCommandLine ParentUser" },
    { 2, 9,
      "RuleName UtcTime ProcessGuid ProcessId Image TargetFilename "
      "CreationUtcTime PreviousCreationUtcTime User" },
    { 3, 18,
      "RuleName UtcTime ProcessGuid ProcessId Image User Protocol "
      "Initiated SourceIsIpv6 SourceIp SourceHostname SourcePort "
      "SourcePortName DestinationIsIpv6 DestinationIp "
      "DestinationHostname DestinationPort DestinationPortName" },
    { 4, 4,
      "UtcTime State Version SchemaVersion" },
    { 5, 6,
      "RuleName UtcTime ProcessGuid ProcessId Image User" },
    { 6, 7,
      "RuleName UtcTime ImageLoaded Hashes Signed Signature "
      "SignatureStatus" },
    { 7, 16,
      "RuleName UtcTime ProcessGuid ProcessId Image ImageLoaded "
      "FileVersion Description Product Company OriginalFileName "
      "Hashes Signed Signature SignatureStatus User" },
    { 8, 14,
      "RuleName UtcTime SourceProcessGuid SourceProcessId "
      "SourceImage TargetProcessGuid TargetProcessId TargetImage "
      "NewThreadId StartAddress StartModule StartFunction "
      "SourceUser TargetUser" },
    { 9, 7,
      "RuleName UtcTime ProcessGuid ProcessId Image Device User" },
    { 10, 13,
      "RuleName UtcTime SourceProcessGUID SourceProcessId "
      "SourceThreadId SourceImage TargetProcessGUID TargetProcessId "
      "TargetImage GrantedAccess CallTrace SourceUser TargetUser" },
    { 11, 8,
      "RuleName UtcTime ProcessGuid ProcessId Image TargetFilename "
      "CreationUtcTime User" },
    { 12, 8,
      "RuleName EventType UtcTime ProcessGuid ProcessId Image "
      "TargetObject User" },
    { 13, 9,
      "RuleName EventType UtcTime ProcessGuid ProcessId Image "
      "TargetObject Details User" },
    { 14, 9,
      "RuleName EventType UtcTime ProcessGuid ProcessId Image "
      "TargetObject NewName User" },
    { 15, 10,
      "RuleName UtcTime ProcessGuid ProcessId Image TargetFilename "
      "CreationUtcTime Hash Contents User" },
    { 16, 3,
      "UtcTime Configuration ConfigurationFileHash" },
    { 17, 8,
      "RuleName EventType UtcTime ProcessGuid ProcessId PipeName "
      "Image User" },
    { 18, 8,
      "RuleName EventType UtcTime ProcessGuid ProcessId PipeName "
      "Image User" },
    { 19, 8,
      "RuleName EventType UtcTime Operation User EventNamespace "
      "Name Query" },
    { 20, 8,
      "RuleName EventType UtcTime Operation User Name Type "
      "Destination" },
    { 21, 7,
      "RuleName EventType UtcTime Operation User Consumer Filter" },
    { 22, 9,
      "RuleName UtcTime ProcessGuid ProcessId QueryName QueryStatus "
      "QueryResults Image User" },
    { 23, 10,
      "RuleName UtcTime ProcessGuid ProcessId User Image "
      "TargetFilename Hashes IsExecutable Archived" },
    { 24, 10,
      "RuleName UtcTime ProcessGuid ProcessId Image Session "
      "ClientInfo Hashes Archived User" },
    { 25, 7,
      "RuleName UtcTime ProcessGuid ProcessId Image Type User" },
    { 26, 9,
      "RuleName UtcTime ProcessGuid ProcessId User Image "
      "TargetFilename Hashes IsExecutable" },
    { 27, 8,
      "RuleName UtcTime ProcessGuid ProcessId User Image "
      "TargetFilename Hashes" },
    { 28, 9,
      "RuleName UtcTime ProcessGuid ProcessId User Image "
      "TargetFilename Hashes IsExecutable" },
    { 29, 8,
      "RuleName UtcTime ProcessGuid ProcessId User Image "
      "TargetFilename Hashes" },
    { 255, 3,
      "UtcTime ID Description" },
};

static void test_layouts_newest_is_the_4_90_field_list(void **state)
{
    char buf[1024];

    (void)state;
    for (size_t i = 0; i < sizeof(newest_cases) / sizeof(newest_cases[0]);
         i++) {
        const char *const *names;
        size_t n = 99;

        names = s2q_layout_newest(newest_cases[i].id, &n);
        assert_non_null(names);
        assert_int_equal(n, newest_cases[i].n);
        assert_string_equal(joined(names, n, buf, sizeof(buf)),
                            newest_cases[i].fields);
    }
}

static void test_layouts_find_newest_count_gives_newest(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(newest_cases) / sizeof(newest_cases[0]);
         i++) {
        size_t n = 0;
        const char *const *newest = s2q_layout_newest(newest_cases[i].id,
                                                      &n);

        assert_ptr_equal(s2q_layout_find(newest_cases[i].id, n), newest);
        assert_ptr_equal(s2q_layout_find(newest_cases[i].id, n), newest);
    }
}

/*
 * Older schema versions. When several versions have the same count, the
 * newest of them wins: event 3 with 18 values is 4.90, not 2.0
 * (SequenceNumber + 17); event 4 with 2 is 3.10, not 2.0.
 */
static const struct {
    unsigned id;
    size_t n;
    const char *fields;
} older_cases[] = {
    /* 1: 4.21-4.80, no ParentUser */
    { 1, 22,
      "RuleName UtcTime ProcessGuid ProcessId Image FileVersion "
      "Description Product Company OriginalFileName CommandLine "
      "CurrentDirectory User LogonGuid LogonId TerminalSessionId "
      "IntegrityLevel Hashes ParentProcessGuid ParentProcessId "
      "ParentImage ParentCommandLine" },
    /* 1: 4.1, no OriginalFileName */
    { 1, 21,
      "RuleName UtcTime ProcessGuid ProcessId Image FileVersion "
      "Description Product Company CommandLine CurrentDirectory User "
      "LogonGuid LogonId TerminalSessionId IntegrityLevel Hashes "
      "ParentProcessGuid ParentProcessId ParentImage "
      "ParentCommandLine" },
    /* 1: 4.0, no RuleName */
    { 1, 20,
      "UtcTime ProcessGuid ProcessId Image FileVersion Description "
      "Product Company CommandLine CurrentDirectory User LogonGuid "
      "LogonId TerminalSessionId IntegrityLevel Hashes "
      "ParentProcessGuid ParentProcessId ParentImage "
      "ParentCommandLine" },
    /* 1: 3.10-3.4 */
    { 1, 16,
      "UtcTime ProcessGuid ProcessId Image CommandLine "
      "CurrentDirectory User LogonGuid LogonId TerminalSessionId "
      "IntegrityLevel Hashes ParentProcessGuid ParentProcessId "
      "ParentImage ParentCommandLine" },
    /* 1: 2.0 */
    { 1, 17,
      "SequenceNumber UtcTime ProcessGuid ProcessId Image CommandLine "
      "CurrentDirectory User LogonGuid LogonId TerminalSessionId "
      "IntegrityLevel Hashes ParentProcessGuid ParentProcessId "
      "ParentImage ParentCommandLine" },
    /* 2: 4.1-4.80 wins over 2.0's SequenceNumber layout of 8 */
    { 2, 8,
      "RuleName UtcTime ProcessGuid ProcessId Image TargetFilename "
      "CreationUtcTime PreviousCreationUtcTime" },
    { 2, 7,
      "UtcTime ProcessGuid ProcessId Image TargetFilename "
      "CreationUtcTime PreviousCreationUtcTime" },
    /* 3: 4.90 wins over 2.0 (18 too) */
    { 3, 18,
      "RuleName UtcTime ProcessGuid ProcessId Image User Protocol "
      "Initiated SourceIsIpv6 SourceIp SourceHostname SourcePort "
      "SourcePortName DestinationIsIpv6 DestinationIp "
      "DestinationHostname DestinationPort DestinationPortName" },
    { 3, 17,
      "UtcTime ProcessGuid ProcessId Image User Protocol Initiated "
      "SourceIsIpv6 SourceIp SourceHostname SourcePort SourcePortName "
      "DestinationIsIpv6 DestinationIp DestinationHostname "
      "DestinationPort DestinationPortName" },
    /* 4: 3.10 wins over 2.0 (SequenceNumber State) */
    { 4, 2, "UtcTime State" },
    /* 5: 4.1-4.80 */
    { 5, 5, "RuleName UtcTime ProcessGuid ProcessId Image" },
    { 5, 4, "UtcTime ProcessGuid ProcessId Image" },
    /* 6: 3.2-4.0 wins over 2.0 */
    { 6, 6, "UtcTime ImageLoaded Hashes Signed Signature SignatureStatus" },
    { 6, 5, "UtcTime ImageLoaded Hashes Signed Signature" },
    /* 7: 4.21-4.80, 4.1, 4.0, 3.2-3.4, 3.10 */
    { 7, 15,
      "RuleName UtcTime ProcessGuid ProcessId Image ImageLoaded "
      "FileVersion Description Product Company OriginalFileName "
      "Hashes Signed Signature SignatureStatus" },
    { 7, 14,
      "RuleName UtcTime ProcessGuid ProcessId Image ImageLoaded "
      "FileVersion Description Product Company Hashes Signed "
      "Signature SignatureStatus" },
    { 7, 13,
      "UtcTime ProcessGuid ProcessId Image ImageLoaded FileVersion "
      "Description Product Company Hashes Signed Signature "
      "SignatureStatus" },
    { 7, 9,
      "UtcTime ProcessGuid ProcessId Image ImageLoaded Hashes Signed "
      "Signature SignatureStatus" },
    { 7, 8,
      "UtcTime ProcessGuid ProcessId Image ImageLoaded Hashes Signed "
      "Signature" },
    /* 8: 4.1-4.80, 3.10-4.0, 2.0 */
    { 8, 12,
      "RuleName UtcTime SourceProcessGuid SourceProcessId SourceImage "
      "TargetProcessGuid TargetProcessId TargetImage NewThreadId "
      "StartAddress StartModule StartFunction" },
    { 8, 11,
      "UtcTime SourceProcessGuid SourceProcessId SourceImage "
      "TargetProcessGuid TargetProcessId TargetImage NewThreadId "
      "StartAddress StartModule StartFunction" },
    { 8, 9,
      "SequenceNumber UtcTime SourceProcessGuid SourceProcessId "
      "SourceImage TargetProcessGuid TargetProcessId TargetImage "
      "NewThreadId" },
    /* 9: 3.10-4.0 */
    { 9, 5, "UtcTime ProcessGuid ProcessId Image Device" },
    /* 10: 4.1-4.80, no SourceUser/TargetUser; 3.10-4.0 */
    { 10, 11,
      "RuleName UtcTime SourceProcessGUID SourceProcessId "
      "SourceThreadId SourceImage TargetProcessGUID TargetProcessId "
      "TargetImage GrantedAccess CallTrace" },
    { 10, 10,
      "UtcTime SourceProcessGUID SourceProcessId SourceThreadId "
      "SourceImage TargetProcessGUID TargetProcessId TargetImage "
      "GrantedAccess CallTrace" },
    /* 11: 3.2-4.0 */
    { 11, 6,
      "UtcTime ProcessGuid ProcessId Image TargetFilename "
      "CreationUtcTime" },
    /* 12-14: 3.2-4.0, in the 3.3+ order */
    { 12, 6, "EventType UtcTime ProcessGuid ProcessId Image TargetObject" },
    { 13, 8,
      "RuleName EventType UtcTime ProcessGuid ProcessId Image "
      "TargetObject Details" },
    { 14, 7,
      "EventType UtcTime ProcessGuid ProcessId Image TargetObject "
      "NewName" },
    /* 15: 4.31-4.80, 4.1-4.30, 3.2-4.0 */
    { 15, 9,
      "RuleName UtcTime ProcessGuid ProcessId Image TargetFilename "
      "CreationUtcTime Hash Contents" },
    { 15, 8,
      "RuleName UtcTime ProcessGuid ProcessId Image TargetFilename "
      "CreationUtcTime Hash" },
    { 15, 7,
      "UtcTime ProcessGuid ProcessId Image TargetFilename "
      "CreationUtcTime Hash" },
    /* 17/18: 4.21-4.80, 4.1, 3.3-4.0 */
    { 17, 7,
      "RuleName EventType UtcTime ProcessGuid ProcessId PipeName Image" },
    { 18, 6, "RuleName UtcTime ProcessGuid ProcessId PipeName Image" },
    { 18, 5, "UtcTime ProcessGuid ProcessId PipeName Image" },
    /* 19-21: 3.4-4.0 */
    { 19, 7, "EventType UtcTime Operation User EventNamespace Name Query" },
    { 20, 7, "EventType UtcTime Operation User Name Type Destination" },
    { 21, 6, "EventType UtcTime Operation User Consumer Filter" },
    /* 22, 24, 25: before 4.81, no User */
    { 22, 8,
      "RuleName UtcTime ProcessGuid ProcessId QueryName QueryStatus "
      "QueryResults Image" },
    { 24, 9,
      "RuleName UtcTime ProcessGuid ProcessId Image Session ClientInfo "
      "Hashes Archived" },
    { 25, 6, "RuleName UtcTime ProcessGuid ProcessId Image Type" },
    /* 255: 3.10 wins over 2.0 (SequenceNumber ID Description) */
    { 255, 3, "UtcTime ID Description" },
};

static void test_layouts_find_older_versions(void **state)
{
    char buf[1024];

    (void)state;
    for (size_t i = 0; i < sizeof(older_cases) / sizeof(older_cases[0]);
         i++) {
        const char *const *names = s2q_layout_find(older_cases[i].id,
                                                   older_cases[i].n);

        assert_non_null(names);
        assert_string_equal(joined(names, older_cases[i].n, buf,
                                   sizeof(buf)),
                            older_cases[i].fields);
    }
}

/* Counts no version of the event ever had. */
static const struct {
    unsigned id;
    size_t n;
} impossible_cases[] = {
    { 1, 0 }, { 1, 1 }, { 1, 15 }, { 1, 18 }, { 1, 19 }, { 1, 24 },
    { 1, 100 }, { 3, 16 }, { 3, 19 }, { 4, 1 }, { 4, 3 }, { 4, 5 },
    { 8, 10 }, { 8, 13 }, { 8, 15 }, { 10, 12 }, { 10, 14 }, { 16, 2 },
    { 16, 4 }, { 22, 7 }, { 23, 9 }, { 23, 11 }, { 27, 9 }, { 29, 7 },
    { 255, 2 }, { 255, 4 }, { 255, SIZE_MAX },
};

static void test_layouts_find_impossible_count_is_null(void **state)
{
    (void)state;
    for (size_t i = 0;
         i < sizeof(impossible_cases) / sizeof(impossible_cases[0]); i++) {
        assert_null(s2q_layout_find(impossible_cases[i].id,
                                    impossible_cases[i].n));
    }
}

static const unsigned unknown_ids[] = {
    0, 30, 31, 100, 254, 256, 4688, 65535, 4294967295u
};

static void test_layouts_unknown_event_is_null(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(unknown_ids) / sizeof(unknown_ids[0]);
         i++) {
        size_t n = 7;

        assert_null(s2q_layout_find(unknown_ids[i], 3));
        assert_null(s2q_layout_find(unknown_ids[i], 0));
        assert_null(s2q_layout_newest(unknown_ids[i], &n));
        assert_int_equal(n, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts_newest_is_the_4_90_field_list),
        cmocka_unit_test(test_layouts_find_newest_count_gives_newest),
        cmocka_unit_test(test_layouts_find_older_versions),
        cmocka_unit_test(test_layouts_find_impossible_count_is_null),
        cmocka_unit_test(test_layouts_unknown_event_is_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
