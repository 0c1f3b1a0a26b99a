/*
 * map.h - the mapping from a canonical Sysmon event to QQL tokens.
 *
 * The tables (tables.c) say which EventData field feeds which token and
 * how its value is converted; map.c applies them to one event and fills a
 * struct s2q_out, from which emit.c writes the JSON line.
 */
#ifndef S2Q_MAP_H
#define S2Q_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s2q/event.h"

/* Every token, in the order tokens are written. */
enum s2q_token {
    S2Q_TOK_DEVICE_TYPE,
    S2Q_TOK_DEVICE_VENDOR,
    S2Q_TOK_DEVICE_MODEL,
    S2Q_TOK_CUSTOMER_ID,
    S2Q_TOK_COLLECTOR_ID,
    S2Q_TOK_EVENT_SOURCE_ID,
    S2Q_TOK_EVENT_ID,
    S2Q_TOK_COLLECTOR_RECEIVED_TIME,
    S2Q_TOK_DEVICE_EVENT_ID,
    S2Q_TOK_EVENT_NAME,
    S2Q_TOK_ACTION,
    S2Q_TOK_OUTCOME,
    S2Q_TOK_EVENT_TIME,
    S2Q_TOK_DEVICE_SEVERITY,
    S2Q_TOK_DEVICE_HOST,
    S2Q_TOK_EVENT_TYPE,
    S2Q_TOK_VERSION,
    S2Q_TOK_BASE_EVENT_ID,
    S2Q_TOK_PROCESS_ID,
    S2Q_TOK_PROCESS_NAME,
    S2Q_TOK_DESCRIPTION,
    S2Q_TOK_FILE_NAME,
    S2Q_TOK_COMMAND,
    S2Q_TOK_SOURCE_USER,
    S2Q_TOK_DESTINATION_USER,
    S2Q_TOK_DESTINATION_USER_ID,
    S2Q_TOK_SESSION_ID,
    S2Q_TOK_CUSTOM_STRING6,
    S2Q_TOK_MD5_HASH,
    S2Q_TOK_SHA1_HASH,
    S2Q_TOK_SHA256_HASH,
    S2Q_TOK_IMPHASH,
    S2Q_TOK_SOURCE_PROCESS,
    S2Q_TOK_DESTINATION_PROCESS,
    S2Q_TOK_CUSTOM_STRING7,
    S2Q_TOK_FILE_PATH,
    S2Q_TOK_FILE_CREATE_TIME,
    S2Q_TOK_FILE_MODIFICATION_TIME,
    S2Q_TOK_PROTOCOL,
    S2Q_TOK_SOURCE_IPV4,
    S2Q_TOK_SOURCE_IPV6,
    S2Q_TOK_SOURCE_HOST,
    S2Q_TOK_SOURCE_PORT,
    S2Q_TOK_DESTINATION_IPV4,
    S2Q_TOK_DESTINATION_IPV6,
    S2Q_TOK_DESTINATION_HOST,
    S2Q_TOK_DESTINATION_PORT,
    S2Q_TOK_CUSTOM_STRING8,
    S2Q_TOK_CUSTOM_STRING9,
    S2Q_TOK_CUSTOM_STRING10,
    S2Q_TOK_CUSTOM_STRING11,
    S2Q_TOK_CUSTOM_STRING12,
    S2Q_TOK_PERMISSION,
    S2Q_TOK_CUSTOM_STRING13,
    S2Q_TOK_CUSTOM_STRING14,
    S2Q_TOK_OBJECT,
    S2Q_TOK_EVENT_SUB_TYPE,
    S2Q_TOK_CUSTOM_STRING15,
    S2Q_TOK_CUSTOM_STRING16,
    S2Q_TOK_CUSTOM_STRING17,
    S2Q_TOK_CUSTOM_STRING18,
    S2Q_TOK_CUSTOM_STRING19,
    S2Q_TOK_CUSTOM_STRING20,
    S2Q_TOK_CUSTOM_STRING21,
    S2Q_TOK_CUSTOM_STRING22,
    S2Q_TOK_CUSTOM_STRING23,
    S2Q_TOK_STATUS,
    S2Q_TOK_MESSAGE,
    S2Q_TOK_CUSTOM_STRING24,
    S2Q_TOK_CUSTOM_STRING25,
    S2Q_TOK_COUNT,
    S2Q_TOK_NONE = S2Q_TOK_COUNT
};

/** How a field's value becomes a token value. */
enum s2q_conv {
    S2Q_CONV_TEXT,        /* as given */
    S2Q_CONV_UINT,        /* unsigned integer, written as a JSON number */
    S2Q_CONV_PORT,        /* unsigned integer 0-65535 */
    S2Q_CONV_HEX,         /* canonical hex text */
    S2Q_CONV_HASHES,      /* split into the four hash tokens */
    S2Q_CONV_IP,          /* token (IPv4) or token2 (IPv6) */
    S2Q_CONV_TIME,        /* ISO 8601 UTC with milliseconds */
    S2Q_CONV_CLIENTINFO   /* sourceUser, sourceHost and the source IP */
};

/** One row of a mapping table. */
struct s2q_field_map {
    const char *field;    /* EventData field name (exact, case-sensitive) */
    enum s2q_conv conv;
    enum s2q_token token;
    enum s2q_token token2; /* a second token, or S2Q_TOK_NONE */
};

enum s2q_outcome_rule {
    S2Q_OUTCOME_SUCCESS,
    S2Q_OUTCOME_FAILURE,
    S2Q_OUTCOME_QUERY_STATUS  /* Failure when QueryStatus is not 0 */
};

/** What the tables know about one event ID. */
struct s2q_event_map {
    unsigned id;
    const char *name;        /* eventName */
    const char *action;      /* the task category as Windows renders it */
    enum s2q_outcome_rule outcome;
    bool self;               /* Sysmon's own event (4, 16, 255): the System
                                ProcessID and UserID are its actor */
    const struct s2q_field_map *fields;  /* rows that differ from the
                                            default table */
    size_t nfields;
};

/** Kinds of warning counted per record. */
enum s2q_warn {
    S2Q_WARN_TIME,        /* a time that is in no accepted form */
    S2Q_WARN_NUMBER,      /* a number field that is not a number */
    S2Q_WARN_HEX,         /* a hex field that is not hex */
    S2Q_WARN_HASH,        /* a hash list with a part that did not parse */
    S2Q_WARN_IP,          /* an address field that is not an address */
    S2Q_WARN_CLIENTINFO,  /* ClientInfo with a part that was not placed */
    S2Q_WARN_SEVERITY,    /* a Level that is no known severity */
    S2Q_WARN_SYSTEM,      /* a System field of the wrong type or form */
    S2Q_WARN_LAYOUT,      /* positional values with no known field names */
    S2Q_WARN_UTF8,        /* invalid UTF-8 replaced by U+FFFD */
    S2Q_WARN_UNKNOWN_ID,  /* an event ID the tables do not know */
    S2Q_WARN_COUNT
};

/** Short name of a warning kind ("time", "number", ...). */
const char *s2q_warn_name(enum s2q_warn w);

/** What to do with a record from a provider other than Sysmon. */
enum s2q_non_sysmon {
    S2Q_NON_SYSMON_SKIP,
    S2Q_NON_SYSMON_PASS,
    S2Q_NON_SYSMON_REJECT
};

/** A name asked for with --fields: a token, or else a field's name. */
struct s2q_pick {
    const char *name;
    enum s2q_token token;          /* S2Q_TOK_NONE: a leftover field */
};

/** Settings that hold for every record of a run. */
struct s2q_map_opts {
    bool mapped_only;              /* drop leftovers */
    const struct s2q_pick *picks;  /* --fields: write only these, in this
                                      order (NULL: everything) */
    size_t npicks;
    const char *customer_id;       /* canonical lower-case UUIDs or NULL */
    const char *collector_id;
    const char *event_source_id;
    const char *received_time;     /* formatted time, or NULL */
    unsigned char namespace_uuid[16];  /* for the eventId UUID */
};

/** One token's value in a mapped record. */
struct s2q_slot {
    bool set;
    bool is_number;        /* write num as a JSON number */
    uint64_t num;
    const char *str;       /* the text (may point into buf) */
    size_t len;
    char buf[72];          /* room for converted values */
};

struct s2q_uuid5;

/** A warning about one record, for the message on standard error. */
struct s2q_note {
    enum s2q_warn kind;
    const char *field;     /* the field concerned (a static or event name) */
};

/** Most warnings kept per record for messages (all are counted). */
#define S2Q_MAX_NOTES 8

/** A mapped record: the tokens and which fields are leftovers. */
struct s2q_out {
    struct s2q_slot tok[S2Q_TOK_COUNT];
    bool *leftover;        /* per EventData field: write it as a leftover */
    size_t nleftover_cap;
    size_t *order;         /* the leftovers in the order they are written */
    size_t norder_cap;
    bool known_id;         /* the tables know the event ID */
    unsigned warnings[S2Q_WARN_COUNT];
    struct s2q_note notes[S2Q_MAX_NOTES];
    size_t nnotes;
    char *devid;           /* text of deviceEventId */
    size_t devid_cap;
    struct s2q_buf *scratch;  /* for nested leftovers while emitting */
    struct s2q_uuid5 *uuid5;  /* makes eventId */
};

/** Make an empty result. */
void s2q_out_init(struct s2q_out *out);

/** Release its memory. */
void s2q_out_free(struct s2q_out *out);

/**
 * Is the event from Sysmon? Sets *provider to the provider name that
 * deviceEventId uses (derived from the channel when the record names no
 * provider), or NULL when the record names none.
 */
bool s2q_map_is_sysmon(const struct s2q_event *ev, const char **provider,
                       size_t *provider_len);

/**
 * Map a Sysmon event: fill out with every token and mark the leftovers.
 * Never fails: what cannot be mapped is kept as a leftover.
 */
void s2q_map_event(const struct s2q_event *ev, const struct s2q_map_opts *o,
                   struct s2q_out *out);

/**
 * Map a record from another provider for --non-sysmon=pass: eventId,
 * internal tokens, System tokens except processId and sourceUser, and
 * every field as a leftover; no Sysmon device tokens, eventName, action
 * or outcome.
 */
void s2q_map_foreign(const struct s2q_event *ev, const struct s2q_map_opts *o,
                     struct s2q_out *out);

/**
 * Write the mapped record as one JSON object followed by a newline,
 * indented when pretty is set. Invalid UTF-8 replaced on the way is
 * counted in out->warnings[S2Q_WARN_UTF8].
 */
struct s2q_buf;
void s2q_emit_record(struct s2q_buf *b, const struct s2q_event *ev,
                     struct s2q_out *out, const struct s2q_map_opts *o,
                     bool pretty);

#endif /* S2Q_MAP_H */
