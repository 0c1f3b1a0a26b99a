/*
 * shape_impl.h - what the export-shape adapters share (private to the
 * shape_*.c files).
 *
 * Each adapter has a test that says whether a parsed record is in its
 * shape, and a reader that fills the canonical event from it. shape.c
 * tries the tests in a fixed order and calls the first reader that fits.
 */
#ifndef S2Q_SHAPE_IMPL_H
#define S2Q_SHAPE_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "s2q/event.h"
#include "s2q/layouts.h"

/* ---- helpers (shape_util.c) ---- */

/** Member of an object by exact key (the first of duplicates), or NULL
 * when obj is no object or lacks the key. */
const cJSON *s2q_member(const cJSON *obj, const char *key);

/**
 * The first member of obj, among keys (a NULL-terminated list), that is
 * present and is not a placeholder; else the first one present; else NULL.
 */
const cJSON *s2q_member_first(const cJSON *obj, const char *const *keys);

/**
 * An XML attribute of an element rendered as JSON: under "#attributes",
 * directly in the element's object, or as an "@name" key.
 */
const cJSON *s2q_attribute(const cJSON *elem, const char *name);

/**
 * The text of an element: the value itself when it is a scalar, or its
 * "#text" member when it is an object; NULL for an object with nothing
 * but "#attributes", and the object itself (a value of the wrong form)
 * when it has other members.
 */
const cJSON *s2q_element_text(const cJSON *elem);

/**
 * Read an EventID given as a number, a string of digits, or an element
 * object with "#text" into ev->event_id.
 * @return 0, or -1 with a message in err
 */
int s2q_read_event_id(const cJSON *item, struct s2q_event *ev, char *err,
                      size_t errlen);

/**
 * Add every member of an EventData object to ev, in order; with
 * restore_case, the first letter of each name is upper-cased (Wazuh
 * lower-cases it). Members named "#attributes" are skipped.
 */
void s2q_add_object_fields(struct s2q_event *ev, const cJSON *obj,
                           bool restore_case);

/* ---- the adapters (shape_<name>.c) ---- */

bool s2q_evtx_match(const cJSON *root);
int s2q_evtx_read(const cJSON *root, struct s2q_event *ev, char *err,
                  size_t errlen);

bool s2q_winlogbeat_match(const cJSON *root);
int s2q_winlogbeat_read(const cJSON *root, struct s2q_event *ev, char *err,
                        size_t errlen);

bool s2q_wazuh_match(const cJSON *root);
int s2q_wazuh_read(const cJSON *root, struct s2q_event *ev, char *err,
                   size_t errlen);

bool s2q_powershell_match(const cJSON *root);
int s2q_powershell_read(const cJSON *root, struct s2q_event *ev, char *err,
                        size_t errlen);

bool s2q_flat_match(const cJSON *root);
int s2q_flat_read(const cJSON *root, struct s2q_event *ev, char *err,
                  size_t errlen);

#endif /* S2Q_SHAPE_IMPL_H */
