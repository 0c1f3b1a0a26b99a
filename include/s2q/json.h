/*
 * json.h - the record parser: JSON text to a cJSON tree, in the calling
 * thread's arena.
 *
 * cJSON's own parser makes one allocation per value and per string and
 * converts every number with strtod. This one reads a record in a single
 * pass, takes its nodes and strings from the thread's arena (arena.h), and
 * builds the same cJSON structures, so the shape adapters read them with
 * cJSON's accessors. A tree lives until the thread's next
 * s2q_arena_reset(); it must not be given to cJSON_Delete.
 *
 * The grammar is RFC 8259's, with the leniencies real exports need:
 *  - every byte up to 0x20 counts as white space between tokens;
 *  - control bytes inside strings are kept as they are;
 *  - a \u escape of a lone UTF-16 surrogate is kept as the three bytes
 *    of its code point (not valid UTF-8: the writer replaces them with
 *    U+FFFD and counts the warning);
 *  - \u0000 and raw NUL bytes are kept: a string's length is stored in
 *    its node (s2q_json_string_length), so nothing is cut at a NUL.
 * A number that a double may not hold exactly (more than 15 digits, a
 * fraction or an exponent) has its text as written in valuestring, so
 * that a whole number of any size can still be read exactly; other
 * numbers have none.
 * A member name may not hold a NUL: names are C strings in cJSON.
 */
#ifndef S2Q_JSON_H
#define S2Q_JSON_H

#include <stddef.h>
#include <string.h>

#include <cjson/cJSON.h>

/** Deepest nesting of arrays and objects a record may have. */
#define S2Q_JSON_MAX_DEPTH 1000

/**
 * Set in the type of the string nodes this parser makes: the string's
 * length in bytes is in valuedouble.
 */
#define S2Q_JSON_SIZED (1 << 12)

enum s2q_json_fault {
    S2Q_JSON_SYNTAX,       /* not JSON at err->at */
    S2Q_JSON_TRUNCATED,    /* the text ends inside a value */
    S2Q_JSON_TOO_DEEP,     /* nested deeper than S2Q_JSON_MAX_DEPTH */
    S2Q_JSON_NUL_NAME      /* a member name holds a NUL character */
};

struct s2q_json_error {
    enum s2q_json_fault fault;
    const char *at;        /* where in the text the fault was found */
};

/**
 * Parse text[0, len) as one JSON value, with nothing but white space
 * after it.
 * @return the root node, or NULL with *err filled in.
 */
cJSON *s2q_json_parse(const char *text, size_t len,
                      struct s2q_json_error *err);

/**
 * The length in bytes of a string node's value (which may hold NULs); 0
 * for a node without one.
 */
static inline size_t s2q_json_string_length(const cJSON *node)
{
    if (node->valuestring == NULL) {
        return 0;
    }
    if (node->type & S2Q_JSON_SIZED) {
        return (size_t)node->valuedouble;
    }
    return strlen(node->valuestring);
}

#endif /* S2Q_JSON_H */
