/*
 * fuzz_record.c - fuzz target: bytes as an input file, through the whole
 * record path - the framer (gzip included), the record parser, every
 * shape adapter, the mapping and the writer - as one run of sysmon2qql
 * with -j 1 does it.
 *
 * The first byte picks the options: --pretty, --non-sysmon=pass, saving
 * rejected records, a forced --input-format, a small --max-record-size,
 * and whether the framer offers whole lines to the parser first. The
 * rest is the input. Every record must end up written, skipped, filtered
 * or rejected, and everything written must be JSON objects in valid
 * UTF-8; anything else aborts.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../src/work.h"
#include "s2q/arena.h"
#include "s2q/buf.h"
#include "s2q/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop the run: the fuzzer reports the input. */
static void fail(const char *what, const char *p, size_t n)
{
    fprintf(stderr, "fuzz_record: %s: %.*s\n", what,
            n > 400 ? 400 : (int)n, p);
    abort();
}

/*
 * [p, p + n) holds JSON objects, each followed by a line feed, in valid
 * UTF-8 (cJSON, a parser other than the product's, checks the JSON).
 */
static void check_objects(const char *p, size_t n)
{
    const char *end;

    if (n == 0) {
        return;
    }
    end = p + n;

    for (size_t i = 0; i < n;) {
        size_t k = s2q_utf8_length((const unsigned char *)p + i, n - i);

        if (k == 0) {
            fail("output is not valid UTF-8", p, n);
        }
        i += k;
    }
    while (p < end) {
        const char *stop = NULL;
        cJSON *obj = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &stop,
                                               false);

        if (!cJSON_IsObject(obj) || stop == NULL || stop >= end ||
            *stop != '\n') {
            fail("output is not one JSON object per record", p,
                 (size_t)(end - p));
        }
        cJSON_Delete(obj);
        p = stop + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct s2q_run_opts o;
    static struct s2q_worker w;
    static bool ready;
    struct s2q_input_opts io;
    struct s2q_input *in;
    struct s2q_record rec;
    struct s2q_batch b;
    unsigned char pick;
    char path[64];
    int fd;

    if (size == 0) {
        return 0;
    }
    if (!ready) {
        s2q_arena_install();
        s2q_worker_init(&w, &o);
        ready = true;
    }
    pick = data[0];
    o.pretty = pick & 1;
    o.non_sysmon = pick & 2 ? S2Q_NON_SYSMON_PASS : S2Q_NON_SYSMON_REJECT;
    o.rejects = pick & 4 ? "rejects" : NULL;
    o.forced = (enum s2q_shape)((pick >> 3 & 7) % (S2Q_SHAPE_COUNT + 1));
    o.max_record = pick & 0x40 ? 300 : 1u << 20;

    fd = memfd_create("fuzz_record", 0);
    if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
        abort();
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    memset(&io, 0, sizeof(io));
    io.max_record = o.max_record;
    if (pick & 0x80) {
        io.check_line = s2q_worker_parse_line;
        io.line_ctx = &w;
    }
    in = s2q_input_open(path, &io);
    close(fd);
    if (in == NULL) {
        abort();
    }
    s2q_batch_init(&b);
    s2q_batch_clear(&b, "fuzz");
    while (s2q_input_next(in, &rec) == S2Q_NEXT_RECORD) {
        struct s2q_item *it = s2q_batch_add(&b, &rec, false);

        /* sysmon2qql saves an oversize record as the framer spills it. */
        it->spilled = rec.frame == S2Q_FRAME_OVERSIZE;
        s2q_work_item(&w, &b, it, rec.data);
        if (it->fate == S2Q_FATE_WRITTEN) {
            if (b.out.len == 0) {
                fail("a written record wrote nothing", rec.data, rec.len);
            }
        } else if (b.out.len != 0) {
            fail("a record not written wrote output", rec.data, rec.len);
        }
        if (it->fate == S2Q_FATE_REJECTED && b.msgs.len == 0) {
            fail("a record was rejected without a message", rec.data,
                 rec.len);
        }
        check_objects(b.out.data, b.out.len);
        check_objects(b.rej.data, b.rej.len);
        s2q_batch_clear(&b, "fuzz");
    }
    s2q_input_close(in);
    s2q_batch_free(&b);
    s2q_arena_release();
    return 0;
}
