/*
 * event.h - the canonical event: what every export shape is turned into
 * before mapping.
 *
 * An adapter (shape.c) reads one parsed JSON record and fills the System
 * fields and the ordered EventData name/value pairs. Mapping (map.c) sees
 * only this structure and never knows which shape a record came from.
 * Values point into the parsed cJSON tree or into the event's own string
 * store; they stay valid until the tree is freed (for trees of the record
 * parser, json.h, the thread's next arena reset) or the event is reset.
 */
#ifndef S2Q_EVENT_H
#define S2Q_EVENT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

enum s2q_kind {
    S2Q_KIND_ABSENT = 0,   /* the field is not in the record */
    S2Q_KIND_NULL,         /* JSON null */
    S2Q_KIND_STRING,
    S2Q_KIND_NUMBER,
    S2Q_KIND_BOOL,
    S2Q_KIND_NESTED        /* a JSON object or array */
};

struct s2q_value {
    enum s2q_kind kind;
    const char *str;       /* S2Q_KIND_STRING: the text (NUL-terminated);
                              S2Q_KIND_NUMBER: the number as written in
                              the input when its value may not be exact
                              (json.h), else NULL */
    size_t len;            /* its length in bytes */
    double num;            /* S2Q_KIND_NUMBER */
    bool boolean;          /* S2Q_KIND_BOOL */
    const cJSON *node;     /* S2Q_KIND_NESTED: the object or array */
};

struct s2q_field {
    const char *name;      /* NUL-terminated */
    int id;                /* s2q_field_id(name): S2Q_FIELD_NONE when the
                              tables do not know the name */
    struct s2q_value value;
};

struct s2q_block;

/** Which shape a record was read as. */
enum s2q_shape {
    S2Q_SHAPE_EVTX,
    S2Q_SHAPE_WINLOGBEAT,
    S2Q_SHAPE_FLAT,
    S2Q_SHAPE_WAZUH,
    S2Q_SHAPE_POWERSHELL,
    S2Q_SHAPE_COUNT
};

/** Most candidate System times a shape can offer, in order of preference. */
#define S2Q_MAX_TIMES 4

struct s2q_event {
    enum s2q_shape shape;

    /* System fields; kind S2Q_KIND_ABSENT when the record lacks them. */
    struct s2q_value provider;    /* Provider Name */
    unsigned event_id;            /* EventID, always present */
    struct s2q_value version;
    struct s2q_value level;
    struct s2q_value channel;
    struct s2q_value computer;
    struct s2q_value record_id;   /* EventRecordID */
    struct s2q_value process_id;  /* Execution ProcessID */
    struct s2q_value user_id;     /* Security UserID (a SID) */

    /*
     * System times in order of preference; the first one that has a zone
     * and parses gives eventTime. When utc_time_first is set the event's
     * UtcTime is tried before them, else after them.
     */
    struct s2q_value times[S2Q_MAX_TIMES];
    size_t ntimes;
    bool utc_time_first;

    /* EventData, in input order; a name appears at most once. */
    struct s2q_field *fields;
    size_t nfields;
    size_t cap;

    /* Which known field ids the record has (duplicates are found by id). */
    unsigned long long seen[4];

    /* An index of the unknown field names (open addressing, slots hold
     * index + 1), used once a record has many of them, so that finding
     * duplicates stays linear in the number of fields. */
    size_t *index;
    size_t index_cap;        /* a power of two, or 0 */
    size_t nunknown;         /* fields whose id is S2Q_FIELD_NONE */
    bool indexed;            /* the index covers every unknown field */

    /*
     * Set by an adapter that had to name positional values without a
     * known layout (they are then "Data1" ... "DataN"): mapping counts a
     * warning.
     */
    bool unnamed_values;

    /* Text made by adapters (names, unescaped values): blocks that never
     * move, reused from record to record. */
    struct s2q_block *blocks;
    struct s2q_block *current;
};

/** Make an empty event. */
void s2q_event_init(struct s2q_event *ev);

/** Forget the record's values but keep the memory for the next one. */
void s2q_event_reset(struct s2q_event *ev);

/** Release the event's memory. */
void s2q_event_free(struct s2q_event *ev);

/**
 * Append an EventData pair unless a field of that name is already there
 * (the first of duplicate keys counts).
 * @return true when added.
 */
bool s2q_event_add(struct s2q_event *ev, const char *name,
                   const struct s2q_value *v);

/**
 * Copy n bytes into the event's own store and add a NUL. The copy stays
 * valid until the event is reset or freed.
 */
char *s2q_event_strdup(struct s2q_event *ev, const char *p, size_t n);

/** The EventData field of that name, or NULL. */
const struct s2q_field *s2q_event_find(const struct s2q_event *ev,
                                       const char *name);

/** The EventData field with that (known) field id, or NULL. */
const struct s2q_field *s2q_event_find_id(const struct s2q_event *ev,
                                          int id);

/** The value of a cJSON item, as the canonical event holds it. */
struct s2q_value s2q_value_of(const cJSON *item);

/**
 * True for the values that mean "no value": absent, JSON null, the empty
 * string, "-", and a string of only spaces.
 */
bool s2q_value_is_placeholder(const struct s2q_value *v);

#endif /* S2Q_EVENT_H */
