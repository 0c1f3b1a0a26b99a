/*
 * test_tables.c - the mapping tables are well formed: sorted for bsearch,
 * no duplicate fields, every token valid, ranks unique, every event ID of
 * the schema present with a name and an action.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "s2q/fields.h"
#include "s2q/layouts.h"
#include "s2q/tables.h"

/* A token name is lowerCamelCase ASCII. */
static bool valid_token_name(const char *s)
{
    if (s == NULL || !islower((unsigned char)s[0])) {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (!isalnum((unsigned char)*s)) {
            return false;
        }
    }
    return true;
}

/* A row's tokens exist (token2 may be none). */
static void check_row_tokens(const struct s2q_field_map *row)
{
    if (row->conv == S2Q_CONV_HASHES) {
        assert_int_equal(row->token, S2Q_TOK_NONE);
    } else {
        assert_true(row->token < S2Q_TOK_COUNT);
    }
    assert_true(row->token2 <= S2Q_TOK_NONE);
    if (row->conv == S2Q_CONV_IP) {
        assert_true(row->token2 < S2Q_TOK_COUNT);
    }
}

static void test_tables_token_names_are_valid_and_unique(void **state)
{
    (void)state;
    for (int i = 0; i < S2Q_TOK_COUNT; i++) {
        const char *name = s2q_token_name((enum s2q_token)i);

        assert_true(valid_token_name(name));
        assert_int_equal(s2q_token_find(name), i);
    }
    assert_null(s2q_token_name(S2Q_TOK_NONE));
    assert_int_equal(s2q_token_find("SourceUser"), S2Q_TOK_NONE);
}

static void test_tables_token_order_is_the_contract_order(void **state)
{
    (void)state;
    assert_string_equal(s2q_token_name(0), "deviceType");
    assert_string_equal(s2q_token_name(S2Q_TOK_EVENT_ID), "eventId");
    assert_int_equal(S2Q_TOK_DEVICE_EVENT_ID, 8);
    assert_true(S2Q_TOK_IMPHASH > S2Q_TOK_SHA256_HASH);
    assert_true(S2Q_TOK_PERMISSION > S2Q_TOK_CUSTOM_STRING12);
    assert_true(S2Q_TOK_PERMISSION < S2Q_TOK_CUSTOM_STRING13);
    assert_string_equal(s2q_token_name(S2Q_TOK_COUNT - 1), "customString25");
}

static void test_tables_default_rows_sorted_unique_ranked(void **state)
{
    size_t n;
    const struct s2q_default_row *rows = s2q_default_rows(&n);
    bool seen_rank[1000] = { false };

    (void)state;
    assert_true(n > 50);
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            assert_true(strcmp(rows[i - 1].map.field, rows[i].map.field) <
                        0);
        }
        assert_true(rows[i].rank > 0 && rows[i].rank <= n);
        assert_false(seen_rank[rows[i].rank]);
        seen_rank[rows[i].rank] = true;
        check_row_tokens(&rows[i].map);
        assert_ptr_equal(s2q_default_row_find(rows[i].map.field), &rows[i]);
    }
    assert_null(s2q_default_row_find("RuleName"));
    assert_null(s2q_default_row_find("image"));
}

static void test_tables_contract_ranks_hold(void **state)
{
    (void)state;
    /* User outranks ClientInfo for sourceUser; ProcessId is row 2. */
    assert_true(s2q_default_row_find("User")->rank <
                s2q_default_row_find("ClientInfo")->rank);
    assert_int_equal(s2q_default_row_find("Description")->rank, 1);
    assert_int_equal(s2q_default_row_find("ProcessId")->rank, 2);
    assert_true(s2q_default_row_find("ParentUser")->rank <
                s2q_default_row_find("SourceUser")->rank);
    assert_true(s2q_default_row_find("CreationUtcTime")->rank <
                s2q_default_row_find("PreviousCreationUtcTime")->rank);
}

static void test_tables_every_schema_event_has_a_table(void **state)
{
    size_t n;
    const struct s2q_event_map *maps = s2q_event_maps(&n);

    (void)state;
    assert_int_equal(n, 30);
    for (unsigned id = 1; id <= 29; id++) {
        const struct s2q_event_map *m = s2q_event_map_find(id);

        assert_non_null(m);
        assert_int_equal(m->id, id);
        assert_true(m->name[0] != '\0');
        assert_true(m->action[0] != '\0');
    }
    assert_non_null(s2q_event_map_find(255));
    assert_null(s2q_event_map_find(0));
    assert_null(s2q_event_map_find(30));
    assert_null(s2q_event_map_find(100));
    for (size_t i = 1; i < n; i++) {
        assert_true(maps[i - 1].id < maps[i].id);
    }
}

static void test_tables_event_rows_sorted_and_valid(void **state)
{
    size_t n;
    const struct s2q_event_map *maps = s2q_event_maps(&n);

    (void)state;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < maps[i].nfields; j++) {
            const struct s2q_field_map *row = &maps[i].fields[j];

            if (j > 0) {
                assert_true(strcmp(maps[i].fields[j - 1].field, row->field) <
                            0);
            }
            check_row_tokens(row);
            /* a per-event row only exists to differ from the default */
            assert_non_null(s2q_default_row_find(row->field));
            assert_ptr_equal(s2q_event_row_find(&maps[i], row->field), row);
        }
    }
}

static void test_tables_event_specifics(void **state)
{
    const struct s2q_event_map *m1 = s2q_event_map_find(1);
    const struct s2q_field_map *image = s2q_event_row_find(m1, "Image");

    (void)state;
    assert_int_equal(image->token, S2Q_TOK_PROCESS_NAME);
    assert_int_equal(image->token2, S2Q_TOK_DESTINATION_PROCESS);
    assert_int_equal(s2q_event_row_find(m1, "User")->token,
                     S2Q_TOK_DESTINATION_USER);
    assert_int_equal(
        s2q_event_row_find(s2q_event_map_find(2), "CreationUtcTime")->token,
        S2Q_TOK_FILE_MODIFICATION_TIME);
    assert_null(s2q_event_row_find(s2q_event_map_find(3), "Image"));
    assert_true(s2q_event_map_find(4)->self);
    assert_true(s2q_event_map_find(16)->self);
    assert_true(s2q_event_map_find(255)->self);
    assert_false(s2q_event_map_find(5)->self);
    assert_int_equal(s2q_event_map_find(27)->outcome, S2Q_OUTCOME_FAILURE);
    assert_int_equal(s2q_event_map_find(28)->outcome, S2Q_OUTCOME_FAILURE);
    assert_int_equal(s2q_event_map_find(255)->outcome, S2Q_OUTCOME_FAILURE);
    assert_int_equal(s2q_event_map_find(22)->outcome,
                     S2Q_OUTCOME_QUERY_STATUS);
    assert_int_equal(s2q_event_map_find(29)->outcome, S2Q_OUTCOME_SUCCESS);
    assert_string_equal(s2q_event_map_find(5)->action,
                        "Process terminated (rule: ProcessTerminate)");
    assert_string_equal(s2q_event_map_find(22)->action,
                        "Dns query (rule: DnsQuery)");
    assert_string_equal(s2q_event_map_find(16)->action,
                        "Sysmon config state changed");
}

static void test_fields_dictionary_knows_every_table_name(void **state)
{
    size_t n;
    const struct s2q_default_row *rows = s2q_default_rows(&n);
    const char *const *layout;

    (void)state;
    for (size_t i = 0; i < n; i++) {
        int id = s2q_field_id(rows[i].map.field);

        assert_true(id >= 0);
        assert_ptr_equal(s2q_field_default_row(id), &rows[i]);
    }
    assert_int_equal(s2q_field_id("NoSuchField"), S2Q_FIELD_NONE);
    assert_int_equal(s2q_field_id("image"), S2Q_FIELD_NONE);
    assert_int_equal(s2q_field_id(""), S2Q_FIELD_NONE);
    assert_null(s2q_field_default_row(s2q_field_id("RuleName")));
    assert_true(s2q_field_id("RuleName") >= 0);
    assert_true(s2q_field_id("SequenceNumber") >= 0);
    assert_true(s2q_field_is_guid(s2q_field_id("ProcessGuid")));
    assert_true(s2q_field_is_guid(s2q_field_id("SourceProcessGUID")));
    assert_false(s2q_field_is_guid(s2q_field_id("ProcessId")));
    assert_false(s2q_field_is_guid(S2Q_FIELD_NONE));
    layout = s2q_layout_newest(1, &n);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(s2q_field_order(1, s2q_field_id(layout[k])), k);
    }
    assert_int_equal(s2q_field_order(1, s2q_field_id("TargetObject")),
                     S2Q_ORDER_NONE);
    assert_int_equal(s2q_field_order(42, s2q_field_id("Image")),
                     S2Q_ORDER_NONE);
    assert_int_equal(s2q_field_order(255, s2q_field_id("ID")), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_token_names_are_valid_and_unique),
        cmocka_unit_test(test_tables_token_order_is_the_contract_order),
        cmocka_unit_test(test_tables_default_rows_sorted_unique_ranked),
        cmocka_unit_test(test_tables_contract_ranks_hold),
        cmocka_unit_test(test_tables_every_schema_event_has_a_table),
        cmocka_unit_test(test_tables_event_rows_sorted_and_valid),
        cmocka_unit_test(test_tables_event_specifics),
        cmocka_unit_test(test_fields_dictionary_knows_every_table_name),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
