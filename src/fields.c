/*
 * fields.c - the dictionary of known EventData field names (fields.h).
 *
 * Built once from the tables themselves: the default table, the per-event
 * tables, every event's schema layouts, and the GUID fields. Names are
 * found through a small open-addressing hash table.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "s2q/fields.h"
#include "s2q/layouts.h"

/* Hash table slots: a power of two, at least twice the names. */
#define NSLOTS 1024

/* Event IDs with a layout are below this. */
#define MAX_EVENT 256

static const char *names[S2Q_MAX_FIELDS];
static int nnames;
static short slots[NSLOTS];            /* id + 1, or 0 when empty */
static const struct s2q_default_row *default_rows[S2Q_MAX_FIELDS];
static bool guid[S2Q_MAX_FIELDS];
static unsigned short order[MAX_EVENT][S2Q_MAX_FIELDS];
static pthread_once_t built = PTHREAD_ONCE_INIT;

/* Fields that hold a GUID. */
static const char *const guid_fields[] = {
    "LogonGuid", "ParentProcessGuid", "ProcessGuid", "SourceProcessGUID",
    "SourceProcessGuid", "TargetProcessGUID", "TargetProcessGuid",
};

uint32_t s2q_name_hash(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s != '\0'; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h;
}

/* The slot that holds name, or the empty slot where it would go. */
static short *slot_of(const char *name)
{
    uint32_t i = s2q_name_hash(name) & (NSLOTS - 1);

    while (slots[i] != 0 && strcmp(names[slots[i] - 1], name) != 0) {
        i = (i + 1) & (NSLOTS - 1);
    }
    return &slots[i];
}

/* Add a name to the dictionary (once). @return its id. */
static int add_name(const char *name)
{
    short *s = slot_of(name);

    if (*s == 0 && nnames < S2Q_MAX_FIELDS && 2 * nnames < NSLOTS) {
        names[nnames] = name;
        *s = (short)(++nnames);
    }
    return *s - 1;
}

/* Every name of every layout of an event, and its newest order. */
static void add_event(unsigned id)
{
    const char *const *layout;
    size_t n;

    for (n = 1; n < 64; n++) {
        layout = s2q_layout_find(id, n);
        for (size_t k = 0; layout != NULL && k < n; k++) {
            add_name(layout[k]);
        }
    }
    layout = s2q_layout_newest(id, &n);
    for (size_t k = 0; layout != NULL && k < n; k++) {
        order[id][add_name(layout[k])] = (unsigned short)k;
    }
}

/* Build the dictionary from the tables (run once). */
static void build(void)
{
    size_t n;
    const struct s2q_default_row *rows = s2q_default_rows(&n);
    const struct s2q_event_map *maps;

    memset(order, 0xFF, sizeof(order));
    for (size_t i = 0; i < n; i++) {
        default_rows[add_name(rows[i].map.field)] = &rows[i];
    }
    maps = s2q_event_maps(&n);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < maps[i].nfields; j++) {
            add_name(maps[i].fields[j].field);
        }
        add_event(maps[i].id);
    }
    for (size_t i = 0; i < sizeof(guid_fields) / sizeof(guid_fields[0]);
         i++) {
        guid[add_name(guid_fields[i])] = true;
    }
}

int s2q_field_id(const char *name)
{
    pthread_once(&built, build);
    return *slot_of(name) - 1;
}

const struct s2q_default_row *s2q_field_default_row(int id)
{
    return id >= 0 ? default_rows[id] : NULL;
}

bool s2q_field_is_guid(int id)
{
    return id >= 0 && guid[id];
}

unsigned s2q_field_order(unsigned event_id, int id)
{
    if (id < 0 || event_id >= MAX_EVENT) {
        return S2Q_ORDER_NONE;
    }
    return order[event_id][id];
}
