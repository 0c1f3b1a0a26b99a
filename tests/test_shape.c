/*
 * test_shape.c - shape recognition and the evtx adapter: every layout of
 * System and EventData that evtx-to-JSON converters write ends in the
 * same canonical event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "s2q/shape.h"

struct fixture {
    cJSON *root;
    struct s2q_event ev;
    char err[256];
};

static int setup(void **state)
{
    static struct fixture f;

    memset(&f, 0, sizeof(f));
    s2q_event_init(&f.ev);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    cJSON_Delete(f->root);
    s2q_event_free(&f->ev);
    return 0;
}

/* Parse text and read it as an evtx record. @return s2q_shape_read's. */
static int read_json(struct fixture *f, const char *text)
{
    cJSON_Delete(f->root);
    f->root = cJSON_Parse(text);
    assert_non_null(f->root);
    s2q_event_reset(&f->ev);
    f->err[0] = '\0';
    return s2q_shape_read(f->root, S2Q_SHAPE_COUNT, &f->ev, f->err,
                          sizeof(f->err));
}

/* The EventData value of a field as text, or NULL when absent. */
static const char *data_text(const struct s2q_event *ev, const char *name)
{
    const struct s2q_field *fld = s2q_event_find(ev, name);

    if (fld == NULL || fld->value.kind != S2Q_KIND_STRING) {
        return NULL;
    }
    return fld->value.str;
}

static void test_shape_evtx_reads_system_fields(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_json(f,
        "{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":"
        "\"Microsoft-Windows-Sysmon\",\"Guid\":\"{5770}\"}},\"EventID\":5,"
        "\"Version\":3,\"Level\":4,\"TimeCreated\":{\"#attributes\":"
        "{\"SystemTime\":\"2022-03-28T06:31:40.4952351Z\"}},"
        "\"EventRecordID\":10470,\"Execution\":{\"#attributes\":"
        "{\"ProcessID\":2816,\"ThreadID\":3720}},\"Channel\":"
        "\"Microsoft-Windows-Sysmon/Operational\",\"Computer\":\"win10\","
        "\"Security\":{\"#attributes\":{\"UserID\":\"S-1-5-18\"}}},"
        "\"EventData\":{\"RuleName\":\"-\",\"ProcessId\":\"1524\"}}}"), 0);
    assert_int_equal(f->ev.shape, S2Q_SHAPE_EVTX);
    assert_int_equal(f->ev.event_id, 5);
    assert_string_equal(f->ev.provider.str, "Microsoft-Windows-Sysmon");
    assert_int_equal(f->ev.version.kind, S2Q_KIND_NUMBER);
    assert_true(f->ev.version.num == 3);
    assert_true(f->ev.level.num == 4);
    assert_string_equal(f->ev.times[0].str, "2022-03-28T06:31:40.4952351Z");
    assert_int_equal(f->ev.ntimes, 1);
    assert_false(f->ev.utc_time_first);
    assert_true(f->ev.record_id.num == 10470);
    assert_true(f->ev.process_id.num == 2816);
    assert_string_equal(f->ev.channel.str,
                        "Microsoft-Windows-Sysmon/Operational");
    assert_string_equal(f->ev.computer.str, "win10");
    assert_string_equal(f->ev.user_id.str, "S-1-5-18");
    assert_int_equal(f->ev.nfields, 2);
    assert_string_equal(f->ev.fields[0].name, "RuleName");
    assert_string_equal(f->ev.fields[1].name, "ProcessId");
    assert_string_equal(data_text(&f->ev, "ProcessId"), "1524");
}

static void test_shape_evtx_attributes_without_wrapper(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_json(f,
        "{\"Event\":{\"System\":{\"Provider\":{\"Name\":\"Linux-Sysmon\"},"
        "\"EventID\":\"3\",\"TimeCreated\":{\"SystemTime\":\"t\"},"
        "\"Execution\":{\"@ProcessID\":\"12\"},"
        "\"Security\":{\"UserId\":\"0\"}}}}"), 0);
    assert_string_equal(f->ev.provider.str, "Linux-Sysmon");
    assert_int_equal(f->ev.event_id, 3);
    assert_string_equal(f->ev.times[0].str, "t");
    assert_string_equal(f->ev.process_id.str, "12");
    assert_string_equal(f->ev.user_id.str, "0");
    assert_int_equal(f->ev.nfields, 0);
    assert_int_equal(f->ev.channel.kind, S2Q_KIND_ABSENT);
}

static void test_shape_evtx_event_id_forms(void **state)
{
    static const struct {
        const char *id;
        int rc;
        unsigned want;
    } cases[] = {
        { "7", 0, 7 },
        { "\"13\"", 0, 13 },
        { "{\"#attributes\":{\"Qualifiers\":\"\"},\"#text\":255}", 0, 255 },
        { "{\"#text\":\"22\"}", 0, 22 },
        { "65535", 0, 65535 },
        { "0", 0, 0 },
        { "65536", -1, 0 },
        { "-1", -1, 0 },
        { "1.5", -1, 0 },
        { "\"1a\"", -1, 0 },
        { "\" 1\"", -1, 0 },
        { "null", -1, 0 },
        { "\"-\"", -1, 0 },
        { "true", -1, 0 },
        { "[1]", -1, 0 },
    };
    struct fixture *f = *state;
    char text[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(text, sizeof(text),
                 "{\"Event\":{\"System\":{\"EventID\":%s}}}", cases[i].id);
        assert_int_equal(read_json(f, text), cases[i].rc);
        if (cases[i].rc == 0) {
            assert_int_equal(f->ev.event_id, cases[i].want);
        } else {
            assert_true(strstr(f->err, "EventID") != NULL);
        }
    }
    assert_int_equal(read_json(f, "{\"Event\":{\"System\":{}}}"), -1);
    assert_string_equal(f->err, "record has no EventID");
}

static void test_shape_evtx_data_array(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_json(f,
        "{\"Event\":{\"System\":{\"EventID\":1},\"EventData\":{\"Data\":["
        "{\"@Name\":\"RuleName\",\"#text\":\"-\"},"
        "{\"@Name\":\"ProcessId\",\"#text\":42},"
        "{\"Name\":\"Image\",\"#text\":\"C:\\\\a.exe\"},"
        "{\"@Name\":\"User\"},"
        "{\"@Name\":\"ProcessId\",\"#text\":\"99\"},"
        "\"loose\"]}}}"), 0);
    assert_int_equal(f->ev.nfields, 5);
    assert_string_equal(f->ev.fields[0].name, "RuleName");
    assert_string_equal(f->ev.fields[1].name, "ProcessId");
    assert_int_equal(f->ev.fields[1].value.kind, S2Q_KIND_NUMBER);
    assert_true(f->ev.fields[1].value.num == 42);
    assert_string_equal(data_text(&f->ev, "Image"), "C:\\a.exe");
    assert_string_equal(f->ev.fields[3].name, "User");
    assert_int_equal(f->ev.fields[3].value.kind, S2Q_KIND_ABSENT);
    /* unnamed items are named by position, counted over all items */
    assert_string_equal(f->ev.fields[4].name, "Data6");
    assert_string_equal(data_text(&f->ev, "Data6"), "loose");
}

static void test_shape_evtx_members_beside_data_are_kept(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_json(f,
        "{\"Event\":{\"System\":{\"EventID\":1},\"EventData\":{"
        "\"Before\":\"b\",\"Data\":[{\"@Name\":\"Image\",\"#text\":\"i\"}],"
        "\"CommandLine\":\"c\",\"Image\":\"dup\"}}}"), 0);
    assert_int_equal(f->ev.nfields, 3);
    assert_string_equal(f->ev.fields[0].name, "Before");
    assert_string_equal(f->ev.fields[1].name, "Image");
    assert_string_equal(data_text(&f->ev, "Image"), "i");
    assert_string_equal(f->ev.fields[2].name, "CommandLine");
}

static void test_shape_evtx_single_data_object(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_json(f,
        "{\"Event\":{\"System\":{\"EventID\":255},\"EventData\":{\"Data\":"
        "{\"@Name\":\"ID\",\"#text\":\"2\"}}}}"), 0);
    assert_int_equal(f->ev.nfields, 1);
    assert_string_equal(data_text(&f->ev, "ID"), "2");
}

static void test_shape_evtx_first_duplicate_key_counts(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_json(f,
        "{\"Event\":{\"System\":{\"EventID\":1},\"EventData\":{"
        "\"Image\":\"first\",\"User\":null,\"Image\":\"second\","
        "\"#attributes\":{\"x\":1},\"Nested\":{\"a\":[1,2]}}}}"), 0);
    assert_int_equal(f->ev.nfields, 3);
    assert_string_equal(data_text(&f->ev, "Image"), "first");
    assert_int_equal(f->ev.fields[1].value.kind, S2Q_KIND_NULL);
    assert_int_equal(f->ev.fields[2].value.kind, S2Q_KIND_NESTED);
}

static void test_shape_evtx_missing_or_odd_event_data(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_json(f,
        "{\"Event\":{\"System\":{\"EventID\":1},\"EventData\":null}}"), 0);
    assert_int_equal(f->ev.nfields, 0);
    assert_int_equal(read_json(f,
        "{\"Event\":{\"System\":{\"EventID\":1},\"EventData\":\"x\"}}"), -1);
    assert_string_equal(f->err, "Event.EventData is not an object");
    assert_int_equal(read_json(f,
        "{\"Event\":{\"System\":{\"EventID\":1},\"EventData\":\"\"}}"), 0);
    assert_int_equal(f->ev.nfields, 0);
}

static void test_shape_unknown_shape_is_refused(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_json(f, "{\"foo\":1}"), -1);
    assert_string_equal(f->err,
                        "record matches no known export shape (tried: "
                        "evtx, winlogbeat, wazuh, powershell, flat)");
    assert_int_equal(read_json(f, "{\"Event\":{\"System\":5}}"), -1);
    assert_int_equal(read_json(f, "{\"System\":{\"EventID\":1}}"), -1);
}

static void test_shape_forced_shape_is_the_only_one_tried(void **state)
{
    struct fixture *f = *state;
    const char *evtx = "{\"Event\":{\"System\":{\"EventID\":1}}}";

    cJSON_Delete(f->root);
    f->root = cJSON_Parse(evtx);
    s2q_event_reset(&f->ev);
    assert_int_equal(s2q_shape_read(f->root, S2Q_SHAPE_FLAT, &f->ev, f->err,
                                    sizeof(f->err)), -1);
    assert_string_equal(f->err, "record is not in the flat shape");
    s2q_event_reset(&f->ev);
    assert_int_equal(s2q_shape_read(f->root, S2Q_SHAPE_EVTX, &f->ev, f->err,
                                    sizeof(f->err)), 0);
    assert_int_equal(f->ev.shape, S2Q_SHAPE_EVTX);
    assert_int_equal(s2q_shape_find("wazuh"), S2Q_SHAPE_WAZUH);
    assert_int_equal(s2q_shape_find("auto"), S2Q_SHAPE_COUNT);
    assert_int_equal(s2q_shape_find("EVTX"), S2Q_SHAPE_COUNT);
    assert_string_equal(s2q_shape_name(S2Q_SHAPE_POWERSHELL), "powershell");
    assert_string_equal(s2q_shape_name(S2Q_SHAPE_COUNT), "auto");
}

static void test_shape_value_placeholders(void **state)
{
    static const struct {
        const char *json;
        bool placeholder;
    } cases[] = {
        { "null", true }, { "\"\"", true }, { "\"-\"", true },
        { "\"   \"", true }, { "\"--\"", false }, { "\" - \"", false },
        { "\"\\t\"", false }, { "0", false }, { "false", false },
        { "[]", false }, { "{}", false }, { "\"a\"", false },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cJSON *item = cJSON_Parse(cases[i].json);
        struct s2q_value v = s2q_value_of(item);

        assert_int_equal(s2q_value_is_placeholder(&v), cases[i].placeholder);
        cJSON_Delete(item);
    }
    {
        struct s2q_value absent = s2q_value_of(NULL);

        assert_int_equal(absent.kind, S2Q_KIND_ABSENT);
        assert_true(s2q_value_is_placeholder(&absent));
    }
}

static void test_shape_event_many_fields_keep_first_duplicate(void **state)
{
    struct fixture *f = *state;
    static char names[300][8];
    struct s2q_value v;

    s2q_event_reset(&f->ev);
    memset(&v, 0, sizeof(v));
    v.kind = S2Q_KIND_NUMBER;
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 300; i++) {
            snprintf(names[i], sizeof(names[i]), "F%d", i);
            v.num = round * 1000 + i;
            assert_int_equal(s2q_event_add(&f->ev, names[i], &v),
                             round == 0);
        }
    }
    assert_int_equal(f->ev.nfields, 300);
    for (int i = 0; i < 300; i++) {
        const struct s2q_field *fld = s2q_event_find(&f->ev, names[i]);

        assert_non_null(fld);
        assert_ptr_equal(fld, &f->ev.fields[i]);
        assert_true(fld->value.num == i);
    }
    assert_null(s2q_event_find(&f->ev, "F300"));
    s2q_event_reset(&f->ev);
    assert_null(s2q_event_find(&f->ev, "F1"));
    assert_true(s2q_event_add(&f->ev, names[1], &v));
    assert_non_null(s2q_event_find(&f->ev, "F1"));
}

static void test_shape_event_store_survives_many_copies(void **state)
{
    struct fixture *f = *state;
    char big[10000];
    char *copies[50];

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    for (int round = 0; round < 3; round++) {
        s2q_event_reset(&f->ev);
        for (int i = 0; i < 50; i++) {
            copies[i] = s2q_event_strdup(&f->ev, big, (size_t)(i * 97));
        }
        for (int i = 0; i < 50; i++) {
            assert_int_equal(strlen(copies[i]), (size_t)(i * 97));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shape_evtx_reads_system_fields,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_shape_evtx_attributes_without_wrapper, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shape_evtx_event_id_forms,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_shape_evtx_data_array, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_shape_evtx_members_beside_data_are_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shape_evtx_single_data_object,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_shape_evtx_first_duplicate_key_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_shape_evtx_missing_or_odd_event_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shape_unknown_shape_is_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_shape_forced_shape_is_the_only_one_tried, setup, teardown),
        cmocka_unit_test(test_shape_value_placeholders),
        cmocka_unit_test_setup_teardown(
            test_shape_event_many_fields_keep_first_duplicate, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_shape_event_store_survives_many_copies, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
