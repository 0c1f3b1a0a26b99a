/*
 * event.c - the canonical event's storage and value helpers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "s2q/buf.h"
#include "s2q/event.h"
#include "s2q/fields.h"
#include "s2q/json.h"

/* A block of the event's string store. */
struct s2q_block {
    struct s2q_block *next;
    size_t used;
    size_t size;
    char data[];
};

#define BLOCK_SIZE 4096

/* Up to this many fields, names are compared one by one. */
#define LINEAR_FIELDS 16

void s2q_event_init(struct s2q_event *ev)
{
    memset(ev, 0, sizeof(*ev));
}

void s2q_event_reset(struct s2q_event *ev)
{
    struct s2q_field *fields = ev->fields;
    size_t cap = ev->cap;
    struct s2q_block *blocks = ev->blocks;
    size_t *index = ev->index;
    size_t index_cap = ev->index_cap;

    for (struct s2q_block *b = blocks; b != NULL; b = b->next) {
        b->used = 0;
    }
    memset(ev, 0, sizeof(*ev));
    ev->fields = fields;
    ev->cap = cap;
    ev->blocks = blocks;
    ev->current = blocks;
    ev->index = index;
    ev->index_cap = index_cap;
}

void s2q_event_free(struct s2q_event *ev)
{
    struct s2q_block *b = ev->blocks;

    while (b != NULL) {
        struct s2q_block *next = b->next;

        free(b);
        b = next;
    }
    free(ev->fields);
    free(ev->index);
    memset(ev, 0, sizeof(*ev));
}

char *s2q_event_strdup(struct s2q_event *ev, const char *p, size_t n)
{
    struct s2q_block *b = ev->current;
    char *dst;

    /* Use the next block with room, or add one large enough. */
    while (b != NULL && b->size - b->used < n + 1) {
        b = b->next;
    }
    if (b == NULL) {
        size_t size = n + 1 > BLOCK_SIZE ? n + 1 : BLOCK_SIZE;

        b = s2q_xmalloc(sizeof(*b) + size);
        b->used = 0;
        b->size = size;
        b->next = ev->blocks;
        ev->blocks = b;
    }
    ev->current = b;
    dst = b->data + b->used;
    memcpy(dst, p, n);
    dst[n] = '\0';
    b->used += n + 1;
    return dst;
}

/* The index slot of an unknown name: the slot holding it, or the empty
 * slot where it would go. */
static size_t *index_slot(const struct s2q_event *ev, const char *name)
{
    size_t mask = ev->index_cap - 1;
    size_t i = s2q_name_hash(name) & mask;

    while (ev->index[i] != 0 &&
           strcmp(ev->fields[ev->index[i] - 1].name, name) != 0) {
        i = (i + 1) & mask;
    }
    return &ev->index[i];
}

/* Rebuild the index of the unknown names, kept under half full. */
static void index_build(struct s2q_event *ev)
{
    size_t want = 64;

    while (want < 2 * ev->nunknown) {
        want *= 2;
    }
    if (want > ev->index_cap) {
        free(ev->index);
        ev->index = s2q_xmalloc(want * sizeof(*ev->index));
        ev->index_cap = want;
    }
    memset(ev->index, 0, ev->index_cap * sizeof(*ev->index));
    for (size_t i = 0; i < ev->nfields; i++) {
        if (ev->fields[i].id == S2Q_FIELD_NONE) {
            *index_slot(ev, ev->fields[i].name) = i + 1;
        }
    }
    ev->indexed = true;
}

const struct s2q_field *s2q_event_find_id(const struct s2q_event *ev,
                                          int id)
{
    if (id < 0 || !(ev->seen[id / 64] & (1ULL << (id % 64)))) {
        return NULL;
    }
    for (size_t i = 0; i < ev->nfields; i++) {
        if (ev->fields[i].id == id) {
            return &ev->fields[i];
        }
    }
    return NULL;
}

/* The field of an unknown name, or NULL. */
static const struct s2q_field *find_unknown(const struct s2q_event *ev,
                                            const char *name)
{
    size_t slot;

    if (ev->indexed) {
        slot = *index_slot(ev, name);
        return slot != 0 ? &ev->fields[slot - 1] : NULL;
    }
    for (size_t i = 0; i < ev->nfields; i++) {
        if (ev->fields[i].id == S2Q_FIELD_NONE &&
            strcmp(ev->fields[i].name, name) == 0) {
            return &ev->fields[i];
        }
    }
    return NULL;
}

const struct s2q_field *s2q_event_find(const struct s2q_event *ev,
                                       const char *name)
{
    int id = s2q_field_id(name);

    return id >= 0 ? s2q_event_find_id(ev, id) : find_unknown(ev, name);
}

bool s2q_event_add(struct s2q_event *ev, const char *name,
                   const struct s2q_value *v)
{
    int id = s2q_field_id(name);
    struct s2q_field *f;

    if (id >= 0) {
        if (ev->seen[id / 64] & (1ULL << (id % 64))) {
            return false;
        }
        ev->seen[id / 64] |= 1ULL << (id % 64);
    } else if (find_unknown(ev, name) != NULL) {
        return false;
    }
    if (ev->nfields == ev->cap) {
        ev->cap = ev->cap ? ev->cap * 2 : 32;
        ev->fields = s2q_xrealloc(ev->fields,
                                  ev->cap * sizeof(ev->fields[0]));
    }
    f = &ev->fields[ev->nfields++];
    f->name = name;
    f->id = id;
    f->value = *v;
    if (id >= 0) {
        return true;
    }
    ev->nunknown++;
    if (ev->indexed && 2 * ev->nunknown <= ev->index_cap) {
        *index_slot(ev, name) = ev->nfields;
    } else if (ev->nunknown > LINEAR_FIELDS) {
        index_build(ev);
    }
    return true;
}

struct s2q_value s2q_value_of(const cJSON *item)
{
    struct s2q_value v;

    memset(&v, 0, sizeof(v));
    if (item == NULL) {
        v.kind = S2Q_KIND_ABSENT;
    } else if (cJSON_IsString(item)) {
        v.kind = S2Q_KIND_STRING;
        v.str = item->valuestring;
        v.len = s2q_json_string_length(item);
    } else if (cJSON_IsNumber(item)) {
        v.kind = S2Q_KIND_NUMBER;
        v.num = item->valuedouble;
        if (item->valuestring != NULL) {
            v.str = item->valuestring;
            v.len = strlen(item->valuestring);
        }
    } else if (cJSON_IsBool(item)) {
        v.kind = S2Q_KIND_BOOL;
        v.boolean = cJSON_IsTrue(item);
    } else if (cJSON_IsNull(item)) {
        v.kind = S2Q_KIND_NULL;
    } else if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
        v.kind = S2Q_KIND_NESTED;
        v.node = item;
    } else {
        v.kind = S2Q_KIND_ABSENT;
    }
    return v;
}

bool s2q_value_is_placeholder(const struct s2q_value *v)
{
    switch (v->kind) {
    case S2Q_KIND_ABSENT:
    case S2Q_KIND_NULL:
        return true;
    case S2Q_KIND_STRING:
        if (v->len == 1 && v->str[0] == '-') {
            return true;
        }
        for (size_t i = 0; i < v->len; i++) {
            if (v->str[i] != ' ') {
                return false;
            }
        }
        return true;
    case S2Q_KIND_NUMBER:
    case S2Q_KIND_BOOL:
    case S2Q_KIND_NESTED:
        return false;
    }
    return false;
}
