/*
 * fuzz_json.c - fuzz target: the record parser on any bytes.
 *
 * Whatever it accepts must write back (s2q_json_put_node) as JSON that
 * parses to the same tree; and where cJSON's own parser also accepts the
 * whole text, both trees must be the same.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s2q/arena.h"
#include "s2q/buf.h"
#include "s2q/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_json: %s\n", what);
    abort();
}

/*
 * Are a and b the same tree, node by node? With written, b is a written
 * back: a number that is not finite was written as null.
 */
static bool same_tree(const cJSON *a, const cJSON *b, bool written)
{
    if (written && cJSON_IsNumber(a) && !isfinite(a->valuedouble)) {
        return cJSON_IsNull(b);
    }
    if ((a->type & 0xFF) != (b->type & 0xFF)) {
        return false;
    }
    if ((a->string == NULL) != (b->string == NULL) ||
        (a->string != NULL && strcmp(a->string, b->string) != 0)) {
        return false;
    }
    if (cJSON_IsString(a) &&
        (s2q_json_string_length(a) != s2q_json_string_length(b) ||
         memcmp(a->valuestring, b->valuestring,
                s2q_json_string_length(a)) != 0)) {
        return false;
    }
    if (cJSON_IsNumber(a) && (a->valuedouble != b->valuedouble ||
                              a->valueint != b->valueint)) {
        return false;
    }
    for (a = a->child, b = b->child; a != NULL && b != NULL;
         a = a->next, b = b->next) {
        if (!same_tree(a, b, written)) {
            return false;
        }
    }
    return a == NULL && b == NULL;
}

/* Does any string of the tree hold a NUL (which cJSON would cut)? */
static bool holds_nul(const cJSON *node)
{
    if (cJSON_IsString(node) &&
        s2q_json_string_length(node) != strlen(node->valuestring)) {
        return true;
    }
    for (node = node->child; node != NULL; node = node->next) {
        if (holds_nul(node)) {
            return true;
        }
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    const char *text = (const char *)data;
    struct s2q_json_error err;
    struct s2q_buf out;
    cJSON *ours;

    if (!ready) {
        s2q_arena_install();
        ready = true;
    }
    ours = s2q_json_parse(text, size, &err);
    if (ours == NULL) {
        if (err.at < text || err.at > text + size) {
            fail("error position outside the text");
        }
        s2q_arena_release();
        return 0;
    }
    s2q_buf_init(&out);
    /* Invalid UTF-8 is written as U+FFFD: only exact text compares. */
    if (s2q_json_put_node(&out, ours) == 0) {
        cJSON *again = s2q_json_parse(out.data, out.len, &err);

        if (again == NULL || !same_tree(ours, again, true)) {
            fail("written tree does not read back the same");
        }
    }
    s2q_buf_free(&out);
    if (!holds_nul(ours)) {
        const char *end = NULL;
        cJSON *theirs = cJSON_ParseWithLengthOpts(text, size, &end, false);

        while (theirs != NULL && end < text + size &&
               (unsigned char)*end <= ' ') {
            end++;
        }
        if (theirs != NULL && end == text + size &&
            !same_tree(ours, theirs, false)) {
            fail("cJSON reads the same text differently");
        }
    }
    s2q_arena_release();
    return 0;
}
