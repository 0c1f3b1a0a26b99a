/*
 * fields.h - every EventData field name the tables know, as a small
 * integer, with what the tables say about it.
 *
 * A record's field names are looked up once, when the record is read;
 * from then on mapping and writing use the number: no string comparison
 * per table row.
 */
#ifndef S2Q_FIELDS_H
#define S2Q_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s2q/tables.h"

/** The id of a name the tables do not know. */
#define S2Q_FIELD_NONE (-1)

/** Most field ids there can be. */
#define S2Q_MAX_FIELDS 256

/** Position of a field that is not in an event's schema layout. */
#define S2Q_ORDER_NONE 0xFFFFu

/**
 * The id of a field name (any name in the mapping tables or in a Sysmon
 * schema layout), or S2Q_FIELD_NONE. Thread-safe; builds the dictionary
 * on first use.
 */
int s2q_field_id(const char *name);

/** The FNV-1a hash of a NUL-terminated name (for hash tables of names). */
uint32_t s2q_name_hash(const char *name);

/** The default-table row of a field id, or NULL. */
const struct s2q_default_row *s2q_field_default_row(int id);

/** Is the field a GUID field (written braced and in lower case)? */
bool s2q_field_is_guid(int id);

/**
 * The position of a field in the newest schema layout of an event, or
 * S2Q_ORDER_NONE when the event has no such field (or is unknown).
 */
unsigned s2q_field_order(unsigned event_id, int id);

#endif /* S2Q_FIELDS_H */
