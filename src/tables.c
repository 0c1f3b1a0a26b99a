/*
 * tables.c - the mapping tables: which EventData field feeds which QQL
 * token, per Sysmon event ID.
 *
 * Sources: the Qualys Context XDR "Microsoft Sysmon Data Mapping Guide"
 * (May 2022) for the token names, and the Sysmon manifest of schema 4.90 /
 * 4.91 for event names, task categories and fields.
 *
 * Every table is sorted by field name so that lookups can use bsearch().
 * When two fields of one event feed the same token, the rank column of the
 * default table decides (lower wins); a per-event row always beats a
 * default row. The ranks follow the row order of the mapping contract.
 */
#include <stdlib.h>
#include <string.h>

#include "s2q/map.h"
#include "s2q/tables.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const token_names[S2Q_TOK_COUNT] = {
    [S2Q_TOK_DEVICE_TYPE] = "deviceType",
    [S2Q_TOK_DEVICE_VENDOR] = "deviceVendor",
    [S2Q_TOK_DEVICE_MODEL] = "deviceModel",
    [S2Q_TOK_CUSTOMER_ID] = "customerId",
    [S2Q_TOK_COLLECTOR_ID] = "collectorId",
    [S2Q_TOK_EVENT_SOURCE_ID] = "eventSourceId",
    [S2Q_TOK_EVENT_ID] = "eventId",
    [S2Q_TOK_COLLECTOR_RECEIVED_TIME] = "collectorReceivedTime",
    [S2Q_TOK_DEVICE_EVENT_ID] = "deviceEventId",
    [S2Q_TOK_EVENT_NAME] = "eventName",
    [S2Q_TOK_ACTION] = "action",
    [S2Q_TOK_OUTCOME] = "outcome",
    [S2Q_TOK_EVENT_TIME] = "eventTime",
    [S2Q_TOK_DEVICE_SEVERITY] = "deviceSeverity",
    [S2Q_TOK_DEVICE_HOST] = "deviceHost",
    [S2Q_TOK_EVENT_TYPE] = "eventType",
    [S2Q_TOK_VERSION] = "version",
    [S2Q_TOK_BASE_EVENT_ID] = "baseEventId",
    [S2Q_TOK_PROCESS_ID] = "processId",
    [S2Q_TOK_PROCESS_NAME] = "processName",
    [S2Q_TOK_DESCRIPTION] = "description",
    [S2Q_TOK_FILE_NAME] = "fileName",
    [S2Q_TOK_COMMAND] = "command",
    [S2Q_TOK_SOURCE_USER] = "sourceUser",
    [S2Q_TOK_DESTINATION_USER] = "destinationUser",
    [S2Q_TOK_DESTINATION_USER_ID] = "destinationUserId",
    [S2Q_TOK_SESSION_ID] = "sessionId",
    [S2Q_TOK_CUSTOM_STRING6] = "customString6",
    [S2Q_TOK_MD5_HASH] = "md5Hash",
    [S2Q_TOK_SHA1_HASH] = "sha1Hash",
    [S2Q_TOK_SHA256_HASH] = "sha256Hash",
    [S2Q_TOK_IMPHASH] = "imphash",
    [S2Q_TOK_SOURCE_PROCESS] = "sourceProcess",
    [S2Q_TOK_DESTINATION_PROCESS] = "destinationProcess",
    [S2Q_TOK_CUSTOM_STRING7] = "customString7",
    [S2Q_TOK_FILE_PATH] = "filePath",
    [S2Q_TOK_FILE_CREATE_TIME] = "fileCreateTime",
    [S2Q_TOK_FILE_MODIFICATION_TIME] = "fileModificationTime",
    [S2Q_TOK_PROTOCOL] = "protocol",
    [S2Q_TOK_SOURCE_IPV4] = "sourceIpv4",
    [S2Q_TOK_SOURCE_IPV6] = "sourceIpv6",
    [S2Q_TOK_SOURCE_HOST] = "sourceHost",
    [S2Q_TOK_SOURCE_PORT] = "sourcePort",
    [S2Q_TOK_DESTINATION_IPV4] = "destinationIpv4",
    [S2Q_TOK_DESTINATION_IPV6] = "destinationIpv6",
    [S2Q_TOK_DESTINATION_HOST] = "destinationHost",
    [S2Q_TOK_DESTINATION_PORT] = "destinationPort",
    [S2Q_TOK_CUSTOM_STRING8] = "customString8",
    [S2Q_TOK_CUSTOM_STRING9] = "customString9",
    [S2Q_TOK_CUSTOM_STRING10] = "customString10",
    [S2Q_TOK_CUSTOM_STRING11] = "customString11",
    [S2Q_TOK_CUSTOM_STRING12] = "customString12",
    [S2Q_TOK_PERMISSION] = "permission",
    [S2Q_TOK_CUSTOM_STRING13] = "customString13",
    [S2Q_TOK_CUSTOM_STRING14] = "customString14",
    [S2Q_TOK_OBJECT] = "object",
    [S2Q_TOK_EVENT_SUB_TYPE] = "eventSubType",
    [S2Q_TOK_CUSTOM_STRING15] = "customString15",
    [S2Q_TOK_CUSTOM_STRING16] = "customString16",
    [S2Q_TOK_CUSTOM_STRING17] = "customString17",
    [S2Q_TOK_CUSTOM_STRING18] = "customString18",
    [S2Q_TOK_CUSTOM_STRING19] = "customString19",
    [S2Q_TOK_CUSTOM_STRING20] = "customString20",
    [S2Q_TOK_CUSTOM_STRING21] = "customString21",
    [S2Q_TOK_CUSTOM_STRING22] = "customString22",
    [S2Q_TOK_CUSTOM_STRING23] = "customString23",
    [S2Q_TOK_STATUS] = "status",
    [S2Q_TOK_MESSAGE] = "message",
    [S2Q_TOK_CUSTOM_STRING24] = "customString24",
    [S2Q_TOK_CUSTOM_STRING25] = "customString25",
};

/* Shorter names for the table rows below. */
#define TEXT S2Q_CONV_TEXT
#define UINT S2Q_CONV_UINT
#define PORT S2Q_CONV_PORT
#define HEX S2Q_CONV_HEX
#define HASHES S2Q_CONV_HASHES
#define IP S2Q_CONV_IP
#define TIME S2Q_CONV_TIME
#define CLIENT S2Q_CONV_CLIENTINFO
#define NONE S2Q_TOK_NONE

/*
 * The default table: applies to every event that has the field.
 * Sorted by field name; rank is the precedence when two fields of one
 * event feed the same token (the lower rank wins).
 */
static const struct s2q_default_row default_rows[] = {
    /* rank field                    conversion token, second token */
    { 57, { "Archived",                TEXT,   S2Q_TOK_CUSTOM_STRING25,
            NONE } },
    { 39, { "CallTrace",               TEXT,   S2Q_TOK_CUSTOM_STRING14,
            NONE } },
    { 59, { "ClientInfo",              CLIENT, S2Q_TOK_SOURCE_USER,
            NONE } },
    {  5, { "CommandLine",             TEXT,   S2Q_TOK_COMMAND, NONE } },
    { 43, { "Configuration",           TEXT,   S2Q_TOK_FILE_PATH, NONE } },
    { 12, { "ConfigurationFileHash",   HASHES, S2Q_TOK_NONE, NONE } },
    { 51, { "Consumer",                TEXT,   S2Q_TOK_CUSTOM_STRING21,
            NONE } },
    { 17, { "CreationUtcTime",         TIME,   S2Q_TOK_FILE_CREATE_TIME,
            NONE } },
    {  1, { "Description",             TEXT,   S2Q_TOK_DESCRIPTION, NONE } },
    { 50, { "Destination",             TEXT,   S2Q_TOK_DESTINATION_PROCESS,
            NONE } },
    { 24, { "DestinationHostname",     TEXT,   S2Q_TOK_DESTINATION_HOST,
            NONE } },
    { 23, { "DestinationIp",           IP,     S2Q_TOK_DESTINATION_IPV4,
            S2Q_TOK_DESTINATION_IPV6 } },
    { 25, { "DestinationPort",         PORT,   S2Q_TOK_DESTINATION_PORT,
            NONE } },
    { 37, { "Device",                  TEXT,   S2Q_TOK_CUSTOM_STRING13,
            NONE } },
    { 46, { "EventNamespace",          TEXT,   S2Q_TOK_CUSTOM_STRING17,
            NONE } },
    { 41, { "EventType",               TEXT,   S2Q_TOK_EVENT_SUB_TYPE,
            NONE } },
    { 52, { "Filter",                  TEXT,   S2Q_TOK_CUSTOM_STRING22,
            NONE } },
    { 38, { "GrantedAccess",           HEX,    S2Q_TOK_PERMISSION, NONE } },
    { 11, { "Hash",                    HASHES, S2Q_TOK_NONE, NONE } },
    { 10, { "Hashes",                  HASHES, S2Q_TOK_NONE, NONE } },
    {  3, { "Image",                   TEXT,   S2Q_TOK_PROCESS_NAME, NONE } },
    { 27, { "ImageLoaded",             TEXT,   S2Q_TOK_CUSTOM_STRING8,
            NONE } },
    {  9, { "IntegrityLevel",          TEXT,   S2Q_TOK_CUSTOM_STRING6,
            NONE } },
    { 56, { "IsExecutable",            TEXT,   S2Q_TOK_CUSTOM_STRING24,
            NONE } },
    {  7, { "LogonId",                 HEX,    S2Q_TOK_DESTINATION_USER_ID,
            NONE } },
    { 47, { "Name",                    TEXT,   S2Q_TOK_CUSTOM_STRING18,
            NONE } },
    { 42, { "NewName",                 TEXT,   S2Q_TOK_CUSTOM_STRING15,
            NONE } },
    { 45, { "Operation",               TEXT,   S2Q_TOK_ACTION, NONE } },
    {  4, { "OriginalFileName",        TEXT,   S2Q_TOK_FILE_NAME, NONE } },
    { 14, { "ParentCommandLine",       TEXT,   S2Q_TOK_CUSTOM_STRING7,
            NONE } },
    { 13, { "ParentImage",             TEXT,   S2Q_TOK_SOURCE_PROCESS,
            NONE } },
    { 15, { "ParentUser",              TEXT,   S2Q_TOK_SOURCE_USER, NONE } },
    { 44, { "PipeName",                TEXT,   S2Q_TOK_CUSTOM_STRING16,
            NONE } },
    { 18, { "PreviousCreationUtcTime", TIME,   S2Q_TOK_FILE_CREATE_TIME,
            NONE } },
    {  2, { "ProcessId",               UINT,   S2Q_TOK_PROCESS_ID, NONE } },
    { 19, { "Protocol",                TEXT,   S2Q_TOK_PROTOCOL, NONE } },
    { 48, { "Query",                   TEXT,   S2Q_TOK_CUSTOM_STRING19,
            NONE } },
    { 53, { "QueryName",               TEXT,   S2Q_TOK_CUSTOM_STRING23,
            NONE } },
    { 55, { "QueryResults",            TEXT,   S2Q_TOK_MESSAGE, NONE } },
    { 54, { "QueryStatus",             UINT,   S2Q_TOK_STATUS, NONE } },
    { 58, { "Session",                 UINT,   S2Q_TOK_SESSION_ID, NONE } },
    { 28, { "Signed",                  TEXT,   S2Q_TOK_CUSTOM_STRING9,
            NONE } },
    { 21, { "SourceHostname",          TEXT,   S2Q_TOK_SOURCE_HOST, NONE } },
    { 29, { "SourceImage",             TEXT,   S2Q_TOK_SOURCE_PROCESS,
            NONE } },
    { 20, { "SourceIp",                IP,     S2Q_TOK_SOURCE_IPV4,
            S2Q_TOK_SOURCE_IPV6 } },
    { 22, { "SourcePort",              PORT,   S2Q_TOK_SOURCE_PORT, NONE } },
    { 30, { "SourceProcessId",         UINT,   S2Q_TOK_PROCESS_ID, NONE } },
    { 35, { "SourceUser",              TEXT,   S2Q_TOK_SOURCE_USER, NONE } },
    { 32, { "StartAddress",            TEXT,   S2Q_TOK_CUSTOM_STRING10,
            NONE } },
    { 34, { "StartFunction",           TEXT,   S2Q_TOK_CUSTOM_STRING12,
            NONE } },
    { 33, { "StartModule",             TEXT,   S2Q_TOK_CUSTOM_STRING11,
            NONE } },
    { 26, { "State",                   TEXT,   S2Q_TOK_ACTION, NONE } },
    { 16, { "TargetFilename",          TEXT,   S2Q_TOK_FILE_PATH, NONE } },
    { 31, { "TargetImage",             TEXT,   S2Q_TOK_DESTINATION_PROCESS,
            NONE } },
    { 40, { "TargetObject",            TEXT,   S2Q_TOK_OBJECT, NONE } },
    { 36, { "TargetUser",              TEXT,   S2Q_TOK_DESTINATION_USER,
            NONE } },
    {  8, { "TerminalSessionId",       UINT,   S2Q_TOK_SESSION_ID, NONE } },
    { 49, { "Type",                    TEXT,   S2Q_TOK_CUSTOM_STRING20,
            NONE } },
    {  6, { "User",                    TEXT,   S2Q_TOK_SOURCE_USER, NONE } },
};

/* Event 1: the new process is the destination, and its account too. */
static const struct s2q_field_map event1_rows[] = {
    /* field   conversion token                 second token */
    { "Image", TEXT,      S2Q_TOK_PROCESS_NAME, S2Q_TOK_DESTINATION_PROCESS },
    { "User",  TEXT,      S2Q_TOK_DESTINATION_USER, NONE },
};

/* Event 2: CreationUtcTime is the new creation time the file was given. */
static const struct s2q_field_map event2_rows[] = {
    /* field             conversion token */
    { "CreationUtcTime", TIME,      S2Q_TOK_FILE_MODIFICATION_TIME, NONE },
};

#define ROWS(t) (t), ARRAY_SIZE(t)
#define NO_ROWS NULL, 0
#define OK S2Q_OUTCOME_SUCCESS
#define FAIL S2Q_OUTCOME_FAILURE
#define QSTAT S2Q_OUTCOME_QUERY_STATUS

/* Every event ID of the schema, sorted by ID. */
static const struct s2q_event_map event_maps[] = {
    { 1, "Process created", "Process Create (rule: ProcessCreate)",
      OK, false, ROWS(event1_rows) },
    { 2, "File creation time changed",
      "File creation time changed (rule: FileCreateTime)",
      OK, false, ROWS(event2_rows) },
    { 3, "Network connection",
      "Network connection detected (rule: NetworkConnect)",
      OK, false, NO_ROWS },
    { 4, "Sysmon service state changed", "Sysmon service state changed",
      OK, true, NO_ROWS },
    { 5, "Process terminated", "Process terminated (rule: ProcessTerminate)",
      OK, false, NO_ROWS },
    { 6, "Driver loaded", "Driver loaded (rule: DriverLoad)",
      OK, false, NO_ROWS },
    { 7, "Image loaded", "Image loaded (rule: ImageLoad)",
      OK, false, NO_ROWS },
    { 8, "Remote thread created",
      "CreateRemoteThread detected (rule: CreateRemoteThread)",
      OK, false, NO_ROWS },
    { 9, "Raw disk read", "RawAccessRead detected (rule: RawAccessRead)",
      OK, false, NO_ROWS },
    { 10, "Process accessed", "Process accessed (rule: ProcessAccess)",
      OK, false, NO_ROWS },
    { 11, "File created", "File created (rule: FileCreate)",
      OK, false, NO_ROWS },
    { 12, "Registry object created or deleted",
      "Registry object added or deleted (rule: RegistryEvent)",
      OK, false, NO_ROWS },
    { 13, "Registry value set", "Registry value set (rule: RegistryEvent)",
      OK, false, NO_ROWS },
    { 14, "Registry object renamed",
      "Registry object renamed (rule: RegistryEvent)",
      OK, false, NO_ROWS },
    { 15, "File stream created",
      "File stream created (rule: FileCreateStreamHash)",
      OK, false, NO_ROWS },
    { 16, "Sysmon configuration changed", "Sysmon config state changed",
      OK, true, NO_ROWS },
    { 17, "Pipe created", "Pipe Created (rule: PipeEvent)",
      OK, false, NO_ROWS },
    { 18, "Pipe connected", "Pipe Connected (rule: PipeEvent)",
      OK, false, NO_ROWS },
    { 19, "WMI filter activity",
      "WmiEventFilter activity detected (rule: WmiEvent)",
      OK, false, NO_ROWS },
    { 20, "WMI consumer activity",
      "WmiEventConsumer activity detected (rule: WmiEvent)",
      OK, false, NO_ROWS },
    { 21, "WMI consumer bound to filter",
      "WmiEventConsumerToFilter activity detected (rule: WmiEvent)",
      OK, false, NO_ROWS },
    { 22, "DNS query", "Dns query (rule: DnsQuery)",
      QSTAT, false, NO_ROWS },
    { 23, "File deleted and archived",
      "File Delete archived (rule: FileDelete)",
      OK, false, NO_ROWS },
    { 24, "Clipboard changed", "Clipboard changed (rule: ClipboardChange)",
      OK, false, NO_ROWS },
    { 25, "Process image tampered",
      "Process Tampering (rule: ProcessTampering)",
      OK, false, NO_ROWS },
    { 26, "File deletion logged",
      "File Delete logged (rule: FileDeleteDetected)",
      OK, false, NO_ROWS },
    { 27, "Executable file blocked",
      "File Block Executable (rule: FileBlockExecutable)",
      FAIL, false, NO_ROWS },
    { 28, "File shredding blocked",
      "File Block Shredding (rule: FileBlockShredding)",
      FAIL, false, NO_ROWS },
    { 29, "Executable file detected",
      "File Executable Detected (rule: FileExecutableDetected)",
      OK, false, NO_ROWS },
    { 255, "Sysmon error", "Error report",
      FAIL, true, NO_ROWS },
};

static const char *const conv_names[] = {
    [S2Q_CONV_TEXT] = "text",
    [S2Q_CONV_UINT] = "number",
    [S2Q_CONV_PORT] = "port",
    [S2Q_CONV_HEX] = "hex",
    [S2Q_CONV_HASHES] = "hashes",
    [S2Q_CONV_IP] = "ip",
    [S2Q_CONV_TIME] = "time",
    [S2Q_CONV_CLIENTINFO] = "clientinfo",
};

const char *s2q_token_name(enum s2q_token tok)
{
    if (tok >= S2Q_TOK_COUNT) {
        return NULL;
    }
    return token_names[tok];
}

enum s2q_token s2q_token_find(const char *name)
{
    for (int i = 0; i < S2Q_TOK_COUNT; i++) {
        if (strcmp(token_names[i], name) == 0) {
            return (enum s2q_token)i;
        }
    }
    return S2Q_TOK_NONE;
}

const char *s2q_conv_name(enum s2q_conv conv)
{
    return conv_names[conv];
}

const struct s2q_default_row *s2q_default_rows(size_t *n)
{
    *n = ARRAY_SIZE(default_rows);
    return default_rows;
}

const struct s2q_event_map *s2q_event_maps(size_t *n)
{
    *n = ARRAY_SIZE(event_maps);
    return event_maps;
}

/* bsearch comparator: an event ID against a table entry. */
static int cmp_event_id(const void *key, const void *elem)
{
    unsigned id = *(const unsigned *)key;
    const struct s2q_event_map *m = elem;

    return (id > m->id) - (id < m->id);
}

const struct s2q_event_map *s2q_event_map_find(unsigned id)
{
    return bsearch(&id, event_maps, ARRAY_SIZE(event_maps),
                   sizeof(event_maps[0]), cmp_event_id);
}

/* bsearch comparator: a field name against a per-event row. */
static int cmp_field_row(const void *key, const void *elem)
{
    const struct s2q_field_map *row = elem;

    return strcmp(key, row->field);
}

/* bsearch comparator: a field name against a default row. */
static int cmp_default_row(const void *key, const void *elem)
{
    const struct s2q_default_row *row = elem;

    return strcmp(key, row->map.field);
}

const struct s2q_field_map *s2q_event_row_find(const struct s2q_event_map *m,
                                               const char *field)
{
    if (m == NULL || m->nfields == 0) {
        return NULL;
    }
    return bsearch(field, m->fields, m->nfields, sizeof(m->fields[0]),
                   cmp_field_row);
}

const struct s2q_default_row *s2q_default_row_find(const char *field)
{
    return bsearch(field, default_rows, ARRAY_SIZE(default_rows),
                   sizeof(default_rows[0]), cmp_default_row);
}
