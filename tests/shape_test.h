/*
 * shape_test.h - what the adapter tests share: a fixture holding a parsed
 * record and its canonical event, and checks on values.
 *
 * Records in the tests are written with stand-ins so that they stay
 * readable: ' for " and, when asked for, % for \.
 */
#ifndef S2Q_SHAPE_TEST_H
#define S2Q_SHAPE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../src/shape_impl.h"
#include "s2q/arena.h"
#include "s2q/json.h"

struct fixture {
    cJSON *root;
    struct s2q_event ev;
    char err[256];
};

static inline int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    /* As in the product: every tree, parsed or built, is in the arena. */
    s2q_arena_install();
    s2q_event_init(&f->ev);
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    struct fixture *f = *state;

    s2q_event_free(&f->ev);
    s2q_arena_release();
    free(f);
    return 0;
}

/*
 * Parse a record written with stand-ins, as the product does; it must be
 * valid JSON. The tree lives in the thread's arena until teardown.
 */
static inline cJSON *parse_standin(const char *text, bool percent)
{
    size_t len = strlen(text);
    char *json = malloc(len + 1);
    struct s2q_json_error err;
    cJSON *root;

    assert_non_null(json);
    s2q_arena_install();
    for (size_t i = 0; i <= len; i++) {
        json[i] = text[i] == '\'' ? '"'
                  : percent && text[i] == '%' ? '\\' : text[i];
    }
    root = s2q_json_parse(json, len, &err);
    free(json);
    assert_non_null(root);
    return root;
}

/* The value is a string of exactly these bytes. */
static inline void assert_text(const struct s2q_value *v, const char *want)
{
    assert_int_equal(v->kind, S2Q_KIND_STRING);
    assert_int_equal(v->len, strlen(want));
    assert_memory_equal(v->str, want, v->len);
}

/* The value is this JSON number. */
static inline void assert_number(const struct s2q_value *v, double want)
{
    assert_int_equal(v->kind, S2Q_KIND_NUMBER);
    assert_true(v->num == want);
}

#endif /* S2Q_SHAPE_TEST_H */
