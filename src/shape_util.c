/*
 * shape_util.c - helpers the export-shape adapters share: finding members,
 * XML attributes rendered as JSON, EventIDs, Sysmon providers, EventData
 * objects.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "s2q/value.h"
#include "shape_impl.h"

const cJSON *s2q_member(const cJSON *obj, const char *key)
{
    if (!cJSON_IsObject(obj)) {
        return NULL;
    }
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const cJSON *s2q_member_first(const cJSON *obj, const char *const *keys)
{
    const cJSON *present = NULL;

    for (; *keys != NULL; keys++) {
        const cJSON *v = s2q_member(obj, *keys);
        struct s2q_value val;

        if (v == NULL) {
            continue;
        }
        val = s2q_value_of(v);
        if (!s2q_value_is_placeholder(&val)) {
            return v;
        }
        if (present == NULL) {
            present = v;
        }
    }
    return present;
}

const cJSON *s2q_attribute(const cJSON *elem, const char *name)
{
    const cJSON *v = s2q_member(s2q_member(elem, "#attributes"), name);
    char at[64];

    if (v != NULL) {
        return v;
    }
    v = s2q_member(elem, name);
    if (v != NULL) {
        return v;
    }
    if (snprintf(at, sizeof(at), "@%s", name) < (int)sizeof(at)) {
        v = s2q_member(elem, at);
    }
    return v;
}

const cJSON *s2q_element_text(const cJSON *elem)
{
    const cJSON *it;

    if (!cJSON_IsObject(elem)) {
        return elem;
    }
    if ((it = s2q_member(elem, "#text")) != NULL) {
        return it;
    }
    /* An element with only attributes (or nothing) has no text; any other
     * member makes it a value of the wrong form, which is reported. */
    cJSON_ArrayForEach(it, elem) {
        if (strcmp(it->string, "#attributes") != 0) {
            return elem;
        }
    }
    return NULL;
}

int s2q_read_event_id(const cJSON *item, struct s2q_event *ev, char *err,
                      size_t errlen)
{
    struct s2q_value v = s2q_value_of(s2q_element_text(item));
    uint64_t n;
    bool ok = false;

    if (s2q_value_is_placeholder(&v)) {
        snprintf(err, errlen, "record has no EventID");
        return -1;
    }
    if (v.kind == S2Q_KIND_NUMBER) {
        ok = s2q_double_to_uint(v.num, 65535, &n);
    } else if (v.kind == S2Q_KIND_STRING) {
        ok = s2q_parse_uint(v.str, v.len, 65535, &n);
    }
    if (!ok) {
        snprintf(err, errlen,
                 "EventID is not a whole number from 0 to 65535");
        return -1;
    }
    ev->event_id = (unsigned)n;
    return 0;
}

void s2q_add_object_fields(struct s2q_event *ev, const cJSON *obj,
                           bool restore_case)
{
    const cJSON *it;

    if (!cJSON_IsObject(obj)) {
        return;
    }
    cJSON_ArrayForEach(it, obj) {
        struct s2q_value v;
        const char *name = it->string;

        if (name[0] == '#' && strcmp(name, "#attributes") == 0) {
            continue;
        }
        if (restore_case && islower((unsigned char)name[0])) {
            char *copy = s2q_event_strdup(ev, name, strlen(name));

            copy[0] = (char)toupper((unsigned char)copy[0]);
            name = copy;
        }
        v = s2q_value_of(it);
        s2q_event_add(ev, name, &v);
    }
}
