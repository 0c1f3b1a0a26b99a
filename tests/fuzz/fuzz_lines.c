/*
 * fuzz_lines.c - fuzz target: the framing of JSON Lines by worker threads
 * must give the records the framer alone gives.
 *
 * The input is framed twice: by s2q_input_next alone, and as sysmon2qql
 * does with worker threads - whole lines taken with s2q_input_lines,
 * framed and processed by s2q_work_lines in batches of up to three
 * takes, and, from the first line it cannot frame, given back with
 * s2q_input_unread to be framed by s2q_input_next. Both must give the
 * same records: the same bytes, line, column, frame and size, in the same
 * order. The first byte picks the bytes asked for in one take (1, 64,
 * 4096 or 1 MiB), a small --max-record-size, and how many bytes of
 * records the framer takes after lines are given back. The rest is the
 * input. Any difference aborts.
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
#include "s2q/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Takes of lines in one batch, as batches in flight would hold. */
#define TAKES 3

/* A record as framed, its bytes copied. */
struct framed {
    enum s2q_frame frame;
    unsigned long line;
    unsigned long col;
    size_t size;
    size_t len;
    size_t off;             /* its bytes in struct list.bytes */
};

struct list {
    struct framed *recs;
    size_t n;
    size_t cap;
    char *bytes;
    size_t len;
    size_t bcap;
};

static void list_add(struct list *l, enum s2q_frame frame,
                     unsigned long line, unsigned long col, size_t size,
                     const char *p, size_t len)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->recs = realloc(l->recs, l->cap * sizeof(*l->recs));
    }
    if (l->len + len > l->bcap) {
        l->bcap = (l->len + len) * 2;
        l->bytes = realloc(l->bytes, l->bcap);
    }
    if (l->recs == NULL || (l->bcap > 0 && l->bytes == NULL)) {
        abort();
    }
    l->recs[l->n++] = (struct framed){ frame, line, col, size, len, l->len };
    if (len > 0) {
        memcpy(l->bytes + l->len, p, len);
    }
    l->len += len;
}

static void list_add_record(struct list *l, const struct s2q_record *rec)
{
    list_add(l, rec->frame, rec->line, rec->col, rec->size, rec->data,
             rec->len);
}

static void list_free(struct list *l)
{
    free(l->recs);
    free(l->bytes);
}

/* An input over the bytes, through a memory file. */
static struct s2q_input *open_bytes(const uint8_t *data, size_t size,
                                    size_t max_record)
{
    struct s2q_input_opts io;
    struct s2q_input *in;
    char path[64];
    int fd = memfd_create("fuzz_lines", 0);

    if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
        abort();
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    memset(&io, 0, sizeof(io));
    io.max_record = max_record;
    in = s2q_input_open(path, &io);
    close(fd);
    if (in == NULL) {
        abort();
    }
    return in;
}

/* Frame with lines taken, max bytes a take, as sysmon2qql -j N does. */
static void frame_lines(struct s2q_input *in, struct s2q_worker *w,
                        size_t max, size_t serial_after, struct list *out)
{
    struct s2q_batch b;
    struct s2q_lines l;
    struct s2q_record rec;
    size_t serial = 0;
    size_t k;

    s2q_batch_init(&b);
    for (;;) {
        s2q_batch_clear(&b, "fuzz");
        for (k = 0; serial == 0 && k < TAKES &&
             s2q_input_lines(in, max, &l); k++) {
            if (k == 0) {
                b.lines = true;
                b.line0 = l.line;
                b.offset0 = l.offset;
            }
            s2q_buf_put(&b.data, l.data, l.len);
        }
        if (k > 0) {
            s2q_work_lines(w, &b);
            for (size_t i = 0; i < b.nitems; i++) {
                const struct s2q_item *it = &b.items[i];

                list_add(out, it->frame, it->line, it->col, it->size,
                         b.data.data + it->off, it->len);
            }
            if (b.resume != SIZE_MAX) {
                s2q_input_unread(in, b.data.data + b.resume,
                                 b.data.len - b.resume, b.resume_line,
                                 b.offset0 + b.resume);
                serial = serial_after;
            }
            continue;
        }
        if (s2q_input_next(in, &rec) != S2Q_NEXT_RECORD) {
            break;
        }
        serial = rec.size < serial ? serial - rec.size : 0;
        list_add_record(out, &rec);
    }
    s2q_batch_free(&b);
}

static void differ(const char *what, size_t i)
{
    fprintf(stderr, "fuzz_lines: record %zu: %s differs\n", i, what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t takes[] = { 1, 64, 4096, 1u << 20 };
    static struct s2q_run_opts o;
    static struct s2q_worker w;
    static bool ready;
    struct s2q_input *in;
    struct s2q_record rec;
    struct list plain = { 0 };
    struct list lines = { 0 };
    unsigned char pick;

    if (size == 0) {
        return 0;
    }
    if (!ready) {
        s2q_arena_install();
        s2q_worker_init(&w, &o);
        ready = true;
    }
    pick = data[0];
    o.max_record = pick & 4 ? 300 : 1u << 20;
    o.non_sysmon = S2Q_NON_SYSMON_PASS;

    in = open_bytes(data + 1, size - 1, o.max_record);
    while (s2q_input_next(in, &rec) == S2Q_NEXT_RECORD) {
        list_add_record(&plain, &rec);
    }
    s2q_input_close(in);

    in = open_bytes(data + 1, size - 1, o.max_record);
    frame_lines(in, &w, takes[pick & 3], pick & 8 ? 1 : 1u << 20, &lines);
    s2q_input_close(in);

    if (plain.n != lines.n) {
        fprintf(stderr, "fuzz_lines: %zu records, %zu with lines taken\n",
                plain.n, lines.n);
        abort();
    }
    for (size_t i = 0; i < plain.n; i++) {
        const struct framed *a = &plain.recs[i];
        const struct framed *b = &lines.recs[i];

        if (a->frame != b->frame) {
            differ("frame", i);
        }
        if (a->line != b->line) {
            differ("line", i);
        }
        if (a->col != b->col) {
            differ("column", i);
        }
        if (a->size != b->size) {
            differ("size", i);
        }
        if (a->len != b->len || (a->len > 0 &&
            memcmp(plain.bytes + a->off, lines.bytes + b->off, a->len))) {
            differ("text", i);
        }
    }
    list_free(&plain);
    list_free(&lines);
    s2q_arena_release();
    return 0;
}
