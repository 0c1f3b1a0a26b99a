/*
 * layouts.h - the EventData field layouts of every Sysmon event in every
 * schema version (layouts.c): names for values given only by position,
 * and the order in which an event's fields are written.
 */
#ifndef S2Q_LAYOUTS_H
#define S2Q_LAYOUTS_H

#include <stddef.h>

/**
 * The EventData field names of Sysmon event id, in order, in the newest
 * schema version whose layout for that event has exactly n fields.
 * @return the n names, or NULL when no layout of the event has n fields
 *         (or the event ID is unknown)
 */
const char *const *s2q_layout_find(unsigned id, size_t n);

/**
 * The newest layout of event id (schema 4.90) and its length in *n.
 * @return the names, or NULL (and *n = 0) for an unknown event ID
 */
const char *const *s2q_layout_newest(unsigned id, size_t *n);

#endif /* S2Q_LAYOUTS_H */
