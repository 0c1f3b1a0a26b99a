/*
 * layouts.c - the EventData field layouts of every Sysmon event in every
 * schema version, for exports that give the values only by position
 * (Get-WinEvent's Properties).
 *
 * Where the data comes from: the project's schema notes,
 * SYSMON-SCHEMA.md. Its "Field lists" section gives the fields of each
 * event in schema 4.90 (from two independent `sysmon -s` dumps that
 * agree), in order; its "Field history" section, derived from Microsoft's
 * SysmonCommon manifest.xml by diffing successive schemas, says in which
 * schema version each field and each event appeared. Below, every event
 * has one table: its 4.90 fields in order, each with the version that
 * added it to that event, plus the leading SequenceNumber that schema 2.0
 * had in each of its events (1-8 and 255) and 3.10 removed. The layout of
 * an event in version v is the fields present in v, in the 4.90 order
 * (the one order change, 12/13/14 in 3.3, changes no count).
 *
 * Versions are integers that sort in schema order: 2.0 is 200, 3.10 is
 * 310, 3.2 is 320, 4.21 is 421, 4.80/4.81 is 481, 4.90 is 490.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "s2q/layouts.h"

/* One field of an event: present from version since until (but not in)
 * version removed; removed is 0 for a field still present. */
struct field_def {
    const char *name;
    unsigned since;
    unsigned removed;
};

/* Every schema version in which some event or field changed, oldest
 * first (4.70 changed nothing). */
static const unsigned versions[] = {
    200, 310, 320, 330, 340, 400, 410, 421, 430, 431,
    440, 450, 460, 481, 482, 483, 490
};

static const struct field_def ev1[] = {
    { "SequenceNumber", 200, 310 },
    { "RuleName", 410, 0 },
    { "UtcTime", 200, 0 },
    { "ProcessGuid", 200, 0 },
    { "ProcessId", 200, 0 },
    { "Image", 200, 0 },
    { "FileVersion", 400, 0 },
    { "Description", 400, 0 },
    { "Product", 400, 0 },
    { "Company", 400, 0 },
    { "OriginalFileName", 421, 0 },
    { "CommandLine", 200, 0 },
    { "CurrentDirectory", 200, 0 },
    { "User", 200, 0 },
    { "LogonGuid", 200, 0 },
    { "LogonId", 200, 0 },
    { "TerminalSessionId", 200, 0 },
    { "IntegrityLevel", 200, 0 },
    { "Hashes", 200, 0 },
    { "ParentProcessGuid", 200, 0 },
    { "ParentProcessId", 200, 0 },
    { "ParentImage", 200, 0 },
    { "ParentCommandLine", 200, 0 },
    { "ParentUser", 481, 0 },
};

static const struct field_def ev2[] = {
    { "SequenceNumber", 200, 310 },
    { "RuleName", 410, 0 },
    { "UtcTime", 200, 0 },
    { "ProcessGuid", 200, 0 },
    { "ProcessId", 200, 0 },
    { "Image", 200, 0 },
    { "TargetFilename", 200, 0 },
    { "CreationUtcTime", 200, 0 },
    { "PreviousCreationUtcTime", 200, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev3[] = {
    { "SequenceNumber", 200, 310 },
    { "RuleName", 410, 0 },
    { "UtcTime", 200, 0 },
    { "ProcessGuid", 200, 0 },
    { "ProcessId", 200, 0 },
    { "Image", 200, 0 },
    { "User", 200, 0 },
    { "Protocol", 200, 0 },
    { "Initiated", 200, 0 },
    { "SourceIsIpv6", 200, 0 },
    { "SourceIp", 200, 0 },
    { "SourceHostname", 200, 0 },
    { "SourcePort", 200, 0 },
    { "SourcePortName", 200, 0 },
    { "DestinationIsIpv6", 200, 0 },
    { "DestinationIp", 200, 0 },
    { "DestinationHostname", 200, 0 },
    { "DestinationPort", 200, 0 },
    { "DestinationPortName", 200, 0 },
};

static const struct field_def ev4[] = {
    { "SequenceNumber", 200, 310 },
    { "UtcTime", 310, 0 },
    { "State", 200, 0 },
    { "Version", 320, 0 },
    { "SchemaVersion", 320, 0 },
};

static const struct field_def ev5[] = {
    { "SequenceNumber", 200, 310 },
    { "RuleName", 410, 0 },
    { "UtcTime", 200, 0 },
    { "ProcessGuid", 200, 0 },
    { "ProcessId", 200, 0 },
    { "Image", 200, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev6[] = {
    { "SequenceNumber", 200, 310 },
    { "RuleName", 410, 0 },
    { "UtcTime", 200, 0 },
    { "ImageLoaded", 200, 0 },
    { "Hashes", 200, 0 },
    { "Signed", 200, 0 },
    { "Signature", 200, 0 },
    { "SignatureStatus", 320, 0 },
};

static const struct field_def ev7[] = {
    { "SequenceNumber", 200, 310 },
    { "RuleName", 410, 0 },
    { "UtcTime", 200, 0 },
    { "ProcessGuid", 200, 0 },
    { "ProcessId", 200, 0 },
    { "Image", 200, 0 },
    { "ImageLoaded", 200, 0 },
    { "FileVersion", 400, 0 },
    { "Description", 400, 0 },
    { "Product", 400, 0 },
    { "Company", 400, 0 },
    { "OriginalFileName", 421, 0 },
    { "Hashes", 200, 0 },
    { "Signed", 200, 0 },
    { "Signature", 200, 0 },
    { "SignatureStatus", 320, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev8[] = {
    { "SequenceNumber", 200, 310 },
    { "RuleName", 410, 0 },
    { "UtcTime", 200, 0 },
    { "SourceProcessGuid", 200, 0 },
    { "SourceProcessId", 200, 0 },
    { "SourceImage", 200, 0 },
    { "TargetProcessGuid", 200, 0 },
    { "TargetProcessId", 200, 0 },
    { "TargetImage", 200, 0 },
    { "NewThreadId", 200, 0 },
    { "StartAddress", 310, 0 },
    { "StartModule", 310, 0 },
    { "StartFunction", 310, 0 },
    { "SourceUser", 481, 0 },
    { "TargetUser", 481, 0 },
};

static const struct field_def ev9[] = {
    { "RuleName", 410, 0 },
    { "UtcTime", 310, 0 },
    { "ProcessGuid", 310, 0 },
    { "ProcessId", 310, 0 },
    { "Image", 310, 0 },
    { "Device", 310, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev10[] = {
    { "RuleName", 410, 0 },
    { "UtcTime", 310, 0 },
    { "SourceProcessGUID", 310, 0 },
    { "SourceProcessId", 310, 0 },
    { "SourceThreadId", 310, 0 },
    { "SourceImage", 310, 0 },
    { "TargetProcessGUID", 310, 0 },
    { "TargetProcessId", 310, 0 },
    { "TargetImage", 310, 0 },
    { "GrantedAccess", 310, 0 },
    { "CallTrace", 310, 0 },
    { "SourceUser", 481, 0 },
    { "TargetUser", 481, 0 },
};

static const struct field_def ev11[] = {
    { "RuleName", 410, 0 },
    { "UtcTime", 320, 0 },
    { "ProcessGuid", 320, 0 },
    { "ProcessId", 320, 0 },
    { "Image", 320, 0 },
    { "TargetFilename", 320, 0 },
    { "CreationUtcTime", 320, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev12[] = {
    { "RuleName", 410, 0 },
    { "EventType", 320, 0 },
    { "UtcTime", 320, 0 },
    { "ProcessGuid", 320, 0 },
    { "ProcessId", 320, 0 },
    { "Image", 320, 0 },
    { "TargetObject", 320, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev13[] = {
    { "RuleName", 410, 0 },
    { "EventType", 320, 0 },
    { "UtcTime", 320, 0 },
    { "ProcessGuid", 320, 0 },
    { "ProcessId", 320, 0 },
    { "Image", 320, 0 },
    { "TargetObject", 320, 0 },
    { "Details", 320, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev14[] = {
    { "RuleName", 410, 0 },
    { "EventType", 320, 0 },
    { "UtcTime", 320, 0 },
    { "ProcessGuid", 320, 0 },
    { "ProcessId", 320, 0 },
    { "Image", 320, 0 },
    { "TargetObject", 320, 0 },
    { "NewName", 320, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev15[] = {
    { "RuleName", 410, 0 },
    { "UtcTime", 320, 0 },
    { "ProcessGuid", 320, 0 },
    { "ProcessId", 320, 0 },
    { "Image", 320, 0 },
    { "TargetFilename", 320, 0 },
    { "CreationUtcTime", 320, 0 },
    { "Hash", 320, 0 },
    { "Contents", 431, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev16[] = {
    { "UtcTime", 320, 0 },
    { "Configuration", 320, 0 },
    { "ConfigurationFileHash", 320, 0 },
};

/* Events 17 and 18 share their fields. */
static const struct field_def ev17[] = {
    { "RuleName", 410, 0 },
    { "EventType", 421, 0 },
    { "UtcTime", 330, 0 },
    { "ProcessGuid", 330, 0 },
    { "ProcessId", 330, 0 },
    { "PipeName", 330, 0 },
    { "Image", 330, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev19[] = {
    { "RuleName", 410, 0 },
    { "EventType", 340, 0 },
    { "UtcTime", 340, 0 },
    { "Operation", 340, 0 },
    { "User", 340, 0 },
    { "EventNamespace", 340, 0 },
    { "Name", 340, 0 },
    { "Query", 340, 0 },
};

static const struct field_def ev20[] = {
    { "RuleName", 410, 0 },
    { "EventType", 340, 0 },
    { "UtcTime", 340, 0 },
    { "Operation", 340, 0 },
    { "User", 340, 0 },
    { "Name", 340, 0 },
    { "Type", 340, 0 },
    { "Destination", 340, 0 },
};

static const struct field_def ev21[] = {
    { "RuleName", 410, 0 },
    { "EventType", 340, 0 },
    { "UtcTime", 340, 0 },
    { "Operation", 340, 0 },
    { "User", 340, 0 },
    { "Consumer", 340, 0 },
    { "Filter", 340, 0 },
};

static const struct field_def ev22[] = {
    { "RuleName", 421, 0 },
    { "UtcTime", 421, 0 },
    { "ProcessGuid", 421, 0 },
    { "ProcessId", 421, 0 },
    { "QueryName", 421, 0 },
    { "QueryStatus", 421, 0 },
    { "QueryResults", 421, 0 },
    { "Image", 421, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev23[] = {
    { "RuleName", 430, 0 },
    { "UtcTime", 430, 0 },
    { "ProcessGuid", 430, 0 },
    { "ProcessId", 430, 0 },
    { "User", 430, 0 },
    { "Image", 430, 0 },
    { "TargetFilename", 430, 0 },
    { "Hashes", 430, 0 },
    { "IsExecutable", 430, 0 },
    { "Archived", 430, 0 },
};

static const struct field_def ev24[] = {
    { "RuleName", 440, 0 },
    { "UtcTime", 440, 0 },
    { "ProcessGuid", 440, 0 },
    { "ProcessId", 440, 0 },
    { "Image", 440, 0 },
    { "Session", 440, 0 },
    { "ClientInfo", 440, 0 },
    { "Hashes", 440, 0 },
    { "Archived", 440, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev25[] = {
    { "RuleName", 450, 0 },
    { "UtcTime", 450, 0 },
    { "ProcessGuid", 450, 0 },
    { "ProcessId", 450, 0 },
    { "Image", 450, 0 },
    { "Type", 450, 0 },
    { "User", 481, 0 },
};

static const struct field_def ev26[] = {
    { "RuleName", 460, 0 },
    { "UtcTime", 460, 0 },
    { "ProcessGuid", 460, 0 },
    { "ProcessId", 460, 0 },
    { "User", 460, 0 },
    { "Image", 460, 0 },
    { "TargetFilename", 460, 0 },
    { "Hashes", 460, 0 },
    { "IsExecutable", 460, 0 },
};

static const struct field_def ev27[] = {
    { "RuleName", 482, 0 },
    { "UtcTime", 482, 0 },
    { "ProcessGuid", 482, 0 },
    { "ProcessId", 482, 0 },
    { "User", 482, 0 },
    { "Image", 482, 0 },
    { "TargetFilename", 482, 0 },
    { "Hashes", 482, 0 },
};

static const struct field_def ev28[] = {
    { "RuleName", 483, 0 },
    { "UtcTime", 483, 0 },
    { "ProcessGuid", 483, 0 },
    { "ProcessId", 483, 0 },
    { "User", 483, 0 },
    { "Image", 483, 0 },
    { "TargetFilename", 483, 0 },
    { "Hashes", 483, 0 },
    { "IsExecutable", 483, 0 },
};

static const struct field_def ev29[] = {
    { "RuleName", 490, 0 },
    { "UtcTime", 490, 0 },
    { "ProcessGuid", 490, 0 },
    { "ProcessId", 490, 0 },
    { "User", 490, 0 },
    { "Image", 490, 0 },
    { "TargetFilename", 490, 0 },
    { "Hashes", 490, 0 },
};

static const struct field_def ev255[] = {
    { "SequenceNumber", 200, 310 },
    { "UtcTime", 310, 0 },
    { "ID", 200, 0 },
    { "Description", 200, 0 },
};

struct event_def {
    unsigned id;
    const struct field_def *fields;
    size_t nfields;
};

#define EVENT(id, table) { id, table, sizeof(table) / sizeof(table[0]) }

static const struct event_def events[] = {
    EVENT(1, ev1), EVENT(2, ev2), EVENT(3, ev3), EVENT(4, ev4),
    EVENT(5, ev5), EVENT(6, ev6), EVENT(7, ev7), EVENT(8, ev8),
    EVENT(9, ev9), EVENT(10, ev10), EVENT(11, ev11), EVENT(12, ev12),
    EVENT(13, ev13), EVENT(14, ev14), EVENT(15, ev15), EVENT(16, ev16),
    EVENT(17, ev17), EVENT(18, ev17), EVENT(19, ev19), EVENT(20, ev20),
    EVENT(21, ev21), EVENT(22, ev22), EVENT(23, ev23), EVENT(24, ev24),
    EVENT(25, ev25), EVENT(26, ev26), EVENT(27, ev27), EVENT(28, ev28),
    EVENT(29, ev29), EVENT(255, ev255),
};

#define NVERSIONS (sizeof(versions) / sizeof(versions[0]))
#define NEVENTS (sizeof(events) / sizeof(events[0]))

/*
 * The layouts, built once from the tables above: each event's distinct
 * layouts, oldest first, with their names in one shared pool. The tables
 * make 85 layouts of 759 names in all; the sizes leave room to grow.
 */
#define MAX_LAYOUTS 128
#define POOL_SIZE 1024

struct layout {
    size_t n;
    const char *const *names;
};

static const char *pool[POOL_SIZE];
static size_t pool_used;
static struct layout layouts[MAX_LAYOUTS];
static size_t nlayouts;
static size_t first_layout[NEVENTS];
static size_t layout_count[NEVENTS];
static pthread_once_t built = PTHREAD_ONCE_INIT;

/* Is the field part of its event in schema version v? */
static bool present_in(const struct field_def *f, unsigned v)
{
    return f->since <= v && (f->removed == 0 || v < f->removed);
}

/* Is the layout just written at names (n long) the same as the event's
 * previous one? Then version v changed nothing for this event. */
static bool same_as_last(size_t e, const char *const *names, size_t n)
{
    const struct layout *last;

    if (layout_count[e] == 0) {
        return false;
    }
    last = &layouts[first_layout[e] + layout_count[e] - 1];
    if (last->n != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (last->names[i] != names[i]) {
            return false;
        }
    }
    return true;
}

/*
 * Add the layout of event e in version v, unless the event does not
 * exist yet, the layout equals the previous version's, or the storage is
 * full (the tests check that every event's newest layout is there).
 */
static void add_layout(size_t e, unsigned v)
{
    const struct event_def *ev = &events[e];
    const char **names = pool + pool_used;
    size_t n = 0;

    if (pool_used + ev->nfields > POOL_SIZE || nlayouts == MAX_LAYOUTS) {
        return;
    }
    for (size_t i = 0; i < ev->nfields; i++) {
        if (present_in(&ev->fields[i], v)) {
            names[n++] = ev->fields[i].name;
        }
    }
    if (n == 0 || same_as_last(e, names, n)) {
        return;
    }
    pool_used += n;
    layouts[nlayouts].n = n;
    layouts[nlayouts].names = names;
    nlayouts++;
    layout_count[e]++;
}

/* Build every event's layouts, version by version (run once). */
static void build_layouts(void)
{
    for (size_t e = 0; e < NEVENTS; e++) {
        first_layout[e] = nlayouts;
        layout_count[e] = 0;
        for (size_t k = 0; k < NVERSIONS; k++) {
            add_layout(e, versions[k]);
        }
    }
}

/* Index of event id in events[], or NEVENTS when unknown; builds the
 * layouts on first use. */
static size_t event_index(unsigned id)
{
    pthread_once(&built, build_layouts);
    for (size_t e = 0; e < NEVENTS; e++) {
        if (events[e].id == id) {
            return e;
        }
    }
    return NEVENTS;
}

const char *const *s2q_layout_find(unsigned id, size_t n)
{
    size_t e = event_index(id);

    if (e == NEVENTS) {
        return NULL;
    }
    for (size_t k = layout_count[e]; k > 0; k--) {
        const struct layout *l = &layouts[first_layout[e] + k - 1];

        if (l->n == n) {
            return l->names;
        }
    }
    return NULL;
}

const char *const *s2q_layout_newest(unsigned id, size_t *n)
{
    size_t e = event_index(id);
    const struct layout *l;

    if (e == NEVENTS || layout_count[e] == 0) {
        *n = 0;
        return NULL;
    }
    l = &layouts[first_layout[e] + layout_count[e] - 1];
    *n = l->n;
    return l->names;
}
