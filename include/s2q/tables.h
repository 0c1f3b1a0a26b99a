/*
 * tables.h - lookups into the mapping tables of tables.c.
 */
#ifndef S2Q_TABLES_H
#define S2Q_TABLES_H

#include <stddef.h>

#include "s2q/map.h"

/** A row of the default table with its precedence. */
struct s2q_default_row {
    unsigned rank;              /* lower wins when two fields feed a token */
    struct s2q_field_map map;
};

/** Name of a token as written in the output, or NULL when out of range. */
const char *s2q_token_name(enum s2q_token tok);

/** The token of that name, or S2Q_TOK_NONE. */
enum s2q_token s2q_token_find(const char *name);

/** Name of a conversion, as --list-mappings prints it. */
const char *s2q_conv_name(enum s2q_conv conv);

/** The default table (sorted by field name) and its length. */
const struct s2q_default_row *s2q_default_rows(size_t *n);

/** The per-event tables, sorted by ID, and their number. */
const struct s2q_event_map *s2q_event_maps(size_t *n);

/** The table of one event ID, or NULL for an ID the tables do not know. */
const struct s2q_event_map *s2q_event_map_find(unsigned id);

/** The row of a per-event table for a field, or NULL (m may be NULL). */
const struct s2q_field_map *s2q_event_row_find(const struct s2q_event_map *m,
                                               const char *field);

/** The default row for a field, or NULL. */
const struct s2q_default_row *s2q_default_row_find(const char *field);

#endif /* S2Q_TABLES_H */
