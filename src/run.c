/*
 * run.c - one run: inputs -> records -> batches -> output, with every
 * record accounted for.
 *
 * The main thread reads the inputs and frames their records. Records are
 * gathered in batches (work.h) that are processed either right away, on
 * the main thread (-j 1: records are processed in place in the read
 * buffer), or by worker threads (-j N: each batch holds a copy of its
 * records). The main thread then writes the batches in input order: their
 * output, their messages and their rejected records, and counts their
 * records: read = written + skipped + rejected, always, and the same for
 * every number of threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "s2q/arena.h"
#include "s2q/buf.h"
#include "s2q/diag.h"
#include "s2q/input.h"
#include "s2q/run.h"
#include "outfile.h"
#include "stats.h"
#include "work.h"

/* A batch is handed on when its records or its output reach this size. */
#define BATCH_BYTES (1u << 20)
#define BATCH_ITEMS 4096

/* Show at most this many warning messages per run; count them all. */
#define MAX_WARNING_MESSAGES 100
_Static_assert(MAX_WARNING_MESSAGES <= S2Q_BATCH_WARNINGS,
               "a batch keeps every warning message the run may show");

/* Batches in flight per worker thread. */
#define SLOTS_PER_THREAD 3

/* A batch on its way through the workers. */
struct slot {
    struct s2q_batch batch;
    bool done;                  /* processed, ready to be written */
};

/* The worker threads and the batches in flight, in a ring. */
struct pool {
    pthread_mutex_t lock;
    pthread_cond_t work;        /* a batch was queued, or quit */
    pthread_cond_t done;        /* a batch was processed */
    pthread_t *threads;
    size_t nthreads;
    struct slot *slots;
    size_t nslots;
    size_t head;                /* next batch to write */
    size_t next;                /* next batch a worker takes */
    size_t tail;                /* next batch to queue */
    bool filling;               /* the tail batch is being filled */
    bool quit;
    const struct s2q_run_opts *o;
};

struct run {
    const struct s2q_run_opts *o;
    int out_fd;
    const char *out_name;       /* the output file, or NULL: stdout */
    gzFile gz;                  /* the output compressed, or NULL */
    int rej_fd;
    struct s2q_json_stream spill;
    struct s2q_buf spill_buf;
    bool spilling;
    struct s2q_worker worker;   /* the main thread's, for -j 1 */
    struct s2q_batch batch;     /* the batch being filled, for -j 1 */
    struct pool *pool;          /* NULL for -j 1 */
    struct s2q_stats st;
    /* Whole lines are handed to the workers, which frame them (lines
     * batches), while the input is JSON Lines; see process_input. */
    bool lines_out;             /* lines batches handed out since the last
                                   settle */
    bool rewinding;             /* a lines batch stopped short: the lines
                                   after its last record go back to the
                                   input, with those of later batches */
    struct s2q_buf rewind;      /* those lines */
    unsigned long rewind_line;  /* where they start */
    unsigned long long rewind_offset;
    size_t serial;              /* bytes of records the input frames
                                   before lines are taken again */
    int status;
    bool stop;                  /* no further input is read */
    bool opened;                /* the output and rejects files are open */
    bool file_failed;           /* the current input could not be read */
    bool progress;              /* draw a progress line */
    double start;               /* when the run started (s) */
    double last_progress;       /* when the line was last drawn (s) */
    unsigned long long total;   /* bytes of all inputs, 0 when unknown */
    struct s2q_input *in;       /* the input being read */
    const char *file;           /* name of the current input */
    unsigned long warnings_shown;
};

/* ---- writing batches ---- */

/* Write to the compressed output. @return 0 or an errno value. */
static int write_gzip(struct run *r, const char *p, size_t n)
{
    int zerr;

    while (n > 0) {
        unsigned chunk = n > (1u << 30) ? 1u << 30 : (unsigned)n;
        int w = gzwrite(r->gz, p, chunk);

        if (w <= 0) {
            gzerror(r->gz, &zerr);
            return zerr == Z_ERRNO && errno != 0 ? errno : EIO;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/*
 * Write to the output; *done tells how many bytes got there (for
 * compressed output, 0 after a failure). @return 0 or an errno value
 * (output_failed says what follows).
 */
static int write_output(struct run *r, const char *p, size_t n,
                        size_t *done)
{
    int err;

    *done = n;
    if (r->out_fd < 0 || n == 0) {
        return 0;
    }
    if (r->gz != NULL) {
        err = write_gzip(r, p, n);
        if (err != 0) {
            *done = 0;
        }
        return err;
    }
    return s2q_write_counted(r->out_fd, p, n, done);
}

/* The output failed (err): a closed pipe stops the run quietly; any other
 * failure stops it with status 3. */
static void output_failed(struct run *r, int err)
{
    if (err != EPIPE) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot write output: %s",
                 strerror(err));
        r->status = S2Q_EXIT_IO;
    }
    r->out_fd = -1;
    r->stop = true;
}

/* Write to the rejects file; a failure is reported once, status 3. */
static void write_rejects(struct run *r, const char *p, size_t n)
{
    int err;

    if (r->rej_fd < 0 || n == 0) {
        return;
    }
    err = s2q_write_all(r->rej_fd, p, n);
    if (err != 0) {
        s2q_diag(S2Q_LEVEL_ERROR, r->o->rejects, 0,
                 "cannot write rejected records: %s", strerror(err));
        close(r->rej_fd);
        r->rej_fd = -1;
        r->status = S2Q_EXIT_IO;
    }
}

/* Print a batch's messages up to msg_end; warnings up to the run's
 * limit. */
static void print_messages(struct run *r, const struct s2q_batch *b,
                           size_t msg_end)
{
    size_t pos = 0;

    while (pos < msg_end) {
        enum s2q_level level = (enum s2q_level)b->msgs.data[pos];
        unsigned long line;
        const char *text;

        memcpy(&line, b->msgs.data + pos + 1, sizeof(line));
        text = b->msgs.data + pos + 1 + sizeof(line);
        pos += 1 + sizeof(line) + strlen(text) + 1;
        if (level == S2Q_LEVEL_WARNING) {
            if (r->warnings_shown == MAX_WARNING_MESSAGES) {
                s2q_diag(S2Q_LEVEL_WARNING, NULL, 0,
                         "further warnings are counted but not shown "
                         "(see --stats)");
            }
            if (r->warnings_shown++ >= MAX_WARNING_MESSAGES ||
                text[0] == '\0') {
                continue;
            }
        }
        s2q_diag(level, b->file, line, "%s", text);
    }
}

/* Seconds since an arbitrary start. */
static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A byte count for people: "12.3 MB". */
static void human_bytes(unsigned long long n, char *out, size_t size)
{
    if (n >= 1000000000ULL) {
        snprintf(out, size, "%.2f GB", (double)n / 1e9);
    } else {
        snprintf(out, size, "%.1f MB", (double)n / 1e6);
    }
}

/*
 * Redraw the progress line (bytes and records done, rate, and the time
 * left when the total size is known) after the first second of a run, at
 * most four times a second.
 */
static void show_progress(struct run *r)
{
    double now = now_seconds();
    double elapsed = now - r->start;
    unsigned long long done = r->st.bytes;
    char line[160], done_text[32], total_text[32];
    double rate;
    int n;

    if (!r->progress || elapsed < 1.0 || now - r->last_progress < 0.25) {
        return;
    }
    r->last_progress = now;
    if (r->in != NULL) {
        done += s2q_input_offset(r->in);
    }
    rate = (double)done / elapsed;
    human_bytes(done, done_text, sizeof(done_text));
    n = snprintf(line, sizeof(line), "sysmon2qql: %s", done_text);
    if (r->total > 0 && done <= r->total) {
        human_bytes(r->total, total_text, sizeof(total_text));
        n += snprintf(line + n, sizeof(line) - (size_t)n, " of %s",
                      total_text);
    }
    n += snprintf(line + n, sizeof(line) - (size_t)n,
                  ", %llu records, %.1f MB/s", r->st.read, rate / 1e6);
    if (r->total > done && rate > 0) {
        unsigned long left = (unsigned long)((double)(r->total - done) /
                                             rate);

        snprintf(line + n, sizeof(line) - (size_t)n, ", %lu:%02lu left",
                 left / 60, left % 60);
    }
    s2q_diag_progress(line);
}

/*
 * Write a processed batch: its messages, rejects and output, and count
 * its records. With --strict, only up to its first rejected record, and
 * the run stops there.
 */
static void write_items(struct run *r, struct s2q_batch *b)
{
    size_t n = b->nitems;
    const struct s2q_item *last;
    size_t done;
    int err;

    for (size_t i = 0; i < n && r->o->strict; i++) {
        if (b->items[i].fate == S2Q_FATE_REJECTED) {
            n = i + 1;
            r->stop = true;
        }
    }
    err = write_output(r, b->out.data, b->items[n - 1].out_end, &done);
    if (err != 0) {
        /* Account for the records up to the one being written when the
         * output failed, whatever the batch: as with any other batches. */
        n = 0;
        while (b->items[n].out_end <= done) {
            n++;
        }
        n++;
    }
    last = &b->items[n - 1];
    for (size_t i = 0; i < n; i++) {
        if (b->items[i].fate == S2Q_FATE_REJECTED &&
            r->status < S2Q_EXIT_REJECTS) {
            r->status = S2Q_EXIT_REJECTS;
        }
        s2q_stats_add(&r->st, &b->items[i]);
    }
    print_messages(r, b, last->msg_end);
    write_rejects(r, b->rej.data, last->rej_end);
    if (err != 0) {
        output_failed(r, err);
    }
    show_progress(r);
}

/*
 * Write a processed batch. Of a lines batch that stopped short, the lines
 * it did not frame are kept to give back to the input, and so are all of
 * every batch after it (only lines batches are in flight then).
 */
static void write_batch(struct run *r, struct s2q_batch *b)
{
    if (r->stop) {
        return;
    }
    if (r->rewinding) {
        s2q_buf_put(&r->rewind, b->data.data, b->data.len);
        return;
    }
    if (b->nitems > 0) {
        write_items(r, b);
    }
    if (b->lines && b->resume != SIZE_MAX && !r->stop) {
        r->rewinding = true;
        r->rewind_line = b->resume_line;
        r->rewind_offset = b->offset0 + b->resume;
        s2q_buf_put(&r->rewind, b->data.data + b->resume,
                    b->data.len - b->resume);
    }
}

/* ---- worker threads ---- */

/* A worker thread: process queued batches until told to quit. */
static void *worker_main(void *arg)
{
    struct pool *p = arg;
    struct s2q_worker w;

    s2q_worker_init(&w, p->o);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        struct slot *s;

        while (!p->quit && p->next == p->tail) {
            pthread_cond_wait(&p->work, &p->lock);
        }
        if (p->next == p->tail) {
            break;
        }
        s = &p->slots[p->next++ % p->nslots];
        pthread_mutex_unlock(&p->lock);
        s2q_work_batch(&w, &s->batch);
        pthread_mutex_lock(&p->lock);
        s->done = true;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    s2q_worker_free(&w);
    s2q_arena_release();
    return NULL;
}

/* Start n worker threads. @return the pool, or NULL after a message. */
static struct pool *pool_start(const struct s2q_run_opts *o, size_t n,
                               bool terminal)
{
    struct pool *p = s2q_xcalloc(1, sizeof(*p));

    p->o = o;
    p->nslots = n * SLOTS_PER_THREAD;
    p->slots = s2q_xcalloc(p->nslots, sizeof(*p->slots));
    for (size_t i = 0; i < p->nslots; i++) {
        s2q_batch_init(&p->slots[i].batch);
        p->slots[i].batch.out.terminal = terminal;
    }
    p->threads = s2q_xcalloc(n, sizeof(*p->threads));
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    for (; p->nthreads < n; p->nthreads++) {
        int err = pthread_create(&p->threads[p->nthreads], NULL,
                                 worker_main, p);

        if (err != 0) {
            s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                     "cannot start a worker thread: %s", strerror(err));
            break;
        }
    }
    return p;
}

/* Stop the workers (batches not yet written are dropped) and free. */
static void pool_stop(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    p->tail = p->next;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (size_t i = 0; i < p->nthreads; i++) {
        pthread_join(p->threads[i], NULL);
    }
    for (size_t i = 0; i < p->nslots; i++) {
        s2q_batch_free(&p->slots[i].batch);
    }
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    free(p->slots);
    free(p->threads);
    free(p);
}

/* Write the oldest batch in flight once processed (waiting when wait is
 * set). @return false when there was none to write. */
static bool write_oldest(struct run *r, bool wait)
{
    struct pool *p = r->pool;
    struct slot *s;

    pthread_mutex_lock(&p->lock);
    if (p->head == p->tail) {
        pthread_mutex_unlock(&p->lock);
        return false;
    }
    s = &p->slots[p->head % p->nslots];
    while (wait && !s->done) {
        pthread_cond_wait(&p->done, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    if (!s->done) {
        return false;
    }
    write_batch(r, &s->batch);
    pthread_mutex_lock(&p->lock);
    s->done = false;
    p->head++;
    pthread_mutex_unlock(&p->lock);
    return true;
}

/* The batch being filled: the ring's tail, emptied once it is free. */
static struct s2q_batch *tail_batch(struct run *r)
{
    struct pool *p = r->pool;
    struct s2q_batch *b = &p->slots[p->tail % p->nslots].batch;

    if (!p->filling) {
        while (p->tail - p->head == p->nslots) {
            write_oldest(r, true);
        }
        b = &p->slots[p->tail % p->nslots].batch;
        s2q_batch_clear(b, r->file);
        p->filling = true;
    }
    return b;
}

/* Queue the batch being filled for the workers, if it holds anything. */
static void queue_tail(struct run *r)
{
    struct pool *p = r->pool;
    struct s2q_batch *b = &p->slots[p->tail % p->nslots].batch;

    if (!p->filling || (b->nitems == 0 && !b->lines)) {
        return;
    }
    p->filling = false;
    if (p->nthreads == 0) {
        /* no thread could start: process it here */
        s2q_work_batch(&r->worker, b);
        write_batch(r, b);
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->tail++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->lock);
    while (write_oldest(r, false)) {
    }
}

/* ---- reading records ---- */

/*
 * Make everything read so far visible: the batch being filled is
 * processed and written (with workers: queued, then every batch in flight
 * is written). Done before anything the main thread writes itself (a
 * spilled record, a message about a file), and when the input pauses.
 */
static void settle(struct run *r)
{
    if (r->pool == NULL) {
        write_batch(r, &r->batch);
        s2q_batch_clear(&r->batch, r->file);
        return;
    }
    queue_tail(r);
    while (write_oldest(r, true)) {
    }
}

/* The input is about to wait for more bytes: let the output catch up. */
static void before_block(void *ctx)
{
    settle(ctx);
}

/* Spill callback: stream an oversize record into the rejects file, after
 * everything before it. */
static void spill_record(void *ctx, const char *p, size_t n, bool first,
                         unsigned long line)
{
    struct run *r = ctx;
    struct s2q_buf *b = &r->spill_buf;
    char num[24];

    if (r->rej_fd < 0) {
        return;
    }
    if (first) {
        settle(r);
        snprintf(num, sizeof(num), "%lu", line);
        s2q_buf_puts(b, "{\"file\":");
        s2q_json_put_string(b, r->file, strlen(r->file));
        s2q_buf_puts(b, ",\"line\":");
        s2q_buf_puts(b, num);
        s2q_buf_puts(b, ",\"error\":\"record is larger than "
                        "--max-record-size\",\"record\":");
        s2q_json_stream_begin(b, &r->spill);
        r->spilling = true;
    }
    s2q_json_stream_put(b, &r->spill, p, n);
    if (b->len >= BATCH_BYTES) {
        write_rejects(r, b->data, b->len);
        b->len = 0;
    }
}

/* Close the rejects entry of a spilled record. */
static void end_spill(struct run *r)
{
    struct s2q_buf *b = &r->spill_buf;

    s2q_json_stream_end(b, &r->spill);
    s2q_buf_put(b, "}\n", 2);
    write_rejects(r, b->data, b->len);
    b->len = 0;
    r->spilling = false;
}

/* Take one framed record: process it now (-j 1) or add it to the batch
 * for the workers. */
static void take_record(struct run *r, const struct s2q_record *rec)
{
    struct s2q_batch *b;
    struct s2q_item *it;
    bool spilled = r->spilling;

    if (spilled) {
        end_spill(r);
    }
    if (r->pool == NULL) {
        b = &r->batch;
        it = s2q_batch_add(b, rec, false);
        it->spilled = spilled;
        s2q_work_item(&r->worker, b, it, rec->data);
        if ((r->o->strict && it->fate == S2Q_FATE_REJECTED) ||
            b->out.len >= BATCH_BYTES || b->nitems >= BATCH_ITEMS) {
            settle(r);
        }
        return;
    }
    b = tail_batch(r);
    it = s2q_batch_add(b, rec, true);
    it->spilled = spilled;
    if (b->data.len >= BATCH_BYTES || b->nitems >= BATCH_ITEMS) {
        queue_tail(r);
    }
}

/* Bytes of lines to take next: what the batch being filled lacks. */
static size_t lines_wanted(const struct run *r)
{
    const struct pool *p = r->pool;
    const struct s2q_batch *b = &p->slots[p->tail % p->nslots].batch;

    if (!p->filling || !b->lines || b->data.len >= BATCH_BYTES) {
        return BATCH_BYTES;
    }
    return BATCH_BYTES - b->data.len;
}

/* Hand whole lines to the workers: add them to the lines batch being
 * filled. */
static void take_lines(struct run *r, const struct s2q_lines *l)
{
    struct s2q_batch *b = tail_batch(r);

    if (!b->lines && b->nitems > 0) {
        queue_tail(r);
        b = tail_batch(r);
    }
    if (!b->lines) {
        b->lines = true;
        b->line0 = l->line;
        b->offset0 = l->offset;
    }
    s2q_buf_put(&b->data, l->data, l->len);
    r->lines_out = true;
    /* While rewinding, the lines wait in the batch to be given back. */
    if (b->data.len >= BATCH_BYTES && !r->rewinding) {
        queue_tail(r);
    }
}

/* Give the lines that lines batches did not frame back to the input,
 * to be framed there; that many bytes of records (up to a batch) are
 * framed there before lines are taken again. */
static void give_back(struct run *r, struct s2q_input *in)
{
    settle(r);
    if (r->rewinding && !r->stop) {
        s2q_input_unread(in, r->rewind.data, r->rewind.len, r->rewind_line,
                         r->rewind_offset);
        r->serial = r->rewind.len < BATCH_BYTES ? r->rewind.len
                                                : BATCH_BYTES;
    }
    r->rewind.len = 0;
    r->rewinding = false;
    r->lines_out = false;
}

/*
 * Read every record of one input.
 *
 * With worker threads, the framing of JSON Lines is left to them too:
 * while the input is between records at the start of a line, whole lines
 * are taken as they are and handed out in lines batches. A worker frames
 * each line as the input's framer would (s2q_work_lines). From the first
 * line that is not one record - a record over several lines, a cut one,
 * an array - it frames the rest of its batch with a framer of its own
 * when that gives what the input's framer would. When it cannot tell,
 * the batch gives its lines from there on back to the input, with those
 * of every batch handed out after it, once it is written in turn. The
 * output is the same either way, only framed elsewhere. Records are
 * framed by the input only when no lines batch is out.
 */
static void process_input(struct run *r, const char *path)
{
    struct s2q_input_opts io;
    struct s2q_input *in;
    struct s2q_record rec;
    struct s2q_lines lines;
    enum s2q_next next = S2Q_NEXT_END;

    memset(&io, 0, sizeof(io));
    io.max_record = r->o->max_record;
    io.spill = spill_record;
    io.spill_ctx = r;
    io.before_block = before_block;
    io.block_ctx = r;
    if (r->pool == NULL) {
        /* Each JSON Lines line is parsed once, not scanned and then
         * parsed. */
        io.check_line = s2q_worker_parse_line;
        io.line_ctx = &r->worker;
    }
    settle(r);
    r->file = path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (r->pool == NULL) {
        s2q_batch_clear(&r->batch, r->file);
    } else {
        r->pool->filling = false;
    }
    in = s2q_input_open(path, &io);
    r->in = in;
    if (in == NULL) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot open '%s': %s", r->file,
                 strerror(errno));
        r->status = S2Q_EXIT_IO;
        r->file_failed = true;
        return;
    }
    r->serial = 0;
    while (!r->stop) {
        if (r->rewinding) {
            give_back(r, in);
            continue;
        }
        if (r->pool != NULL && r->serial == 0 &&
            s2q_input_lines(in, lines_wanted(r), &lines)) {
            take_lines(r, &lines);
            continue;
        }
        if (r->lines_out) {
            /* Every lines batch must have framed all its lines before the
             * input frames what follows them. */
            settle(r);
            r->lines_out = false;
            continue;
        }
        next = s2q_input_next(in, &rec);
        if (next != S2Q_NEXT_RECORD) {
            break;
        }
        r->serial = rec.size < r->serial ? r->serial - rec.size : 0;
        take_record(r, &rec);
    }
    settle(r);
    if (!r->stop && next == S2Q_NEXT_END && s2q_input_in_array(in)) {
        s2q_diag(S2Q_LEVEL_WARNING, r->file, 0,
                 "the input ends inside a top-level array (no closing "
                 "']'): it may be cut short");
    }
    if (!r->stop && next == S2Q_NEXT_ERROR) {
        s2q_diag(S2Q_LEVEL_ERROR, r->file, 0, "%s", s2q_input_error(in));
        r->status = S2Q_EXIT_IO;
        r->file_failed = true;
    }
    r->st.bytes += s2q_input_offset(in);
    r->in = NULL;
    s2q_input_close(in);
}

/* ---- the run ---- */

/* Is an output to be gzip-compressed: --compress, or a name in .gz? */
static bool compressed(const struct s2q_run_opts *o, const char *path)
{
    size_t n = path != NULL ? strlen(path) : 0;

    return o->compress || (n > 3 && strcmp(path + n - 3, ".gz") == 0);
}

/* Finish the compressed stream (it closes its descriptor). */
static void close_gzip(struct run *r)
{
    bool failed_before = r->out_fd < 0;   /* closed pipe or write error */
    int rc;

    if (r->gz == NULL) {
        return;
    }
    rc = gzclose(r->gz);
    r->gz = NULL;
    if (r->out_fd != STDOUT_FILENO) {
        r->out_fd = -1;
    }
    if (rc != Z_OK && !failed_before) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot write output: %s",
                 rc == Z_ERRNO ? strerror(errno) : "compression failed");
        r->status = S2Q_EXIT_IO;
    }
}

/*
 * Open an output: path, or standard output when path is NULL or "-".
 * @return 0, or -1 after a message.
 */
static int open_output(struct run *r, const char *path)
{
    bool to_file = path != NULL && strcmp(path, "-") != 0;

    r->out_name = to_file ? path : NULL;
    r->out_fd = STDOUT_FILENO;
    if (to_file) {
        r->out_fd = s2q_outfile_open(path);
        if (r->out_fd < 0) {
            s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot create '%s': %s",
                     path, strerror(errno));
            return -1;
        }
    }
    if (compressed(r->o, path)) {
        int fd = r->out_fd == STDOUT_FILENO ? dup(STDOUT_FILENO) : r->out_fd;

        r->gz = fd >= 0 ? gzdopen(fd, "wb6") : NULL;
        if (r->gz == NULL) {
            s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                     "cannot start the compressed output");
            return -1;
        }
    }
    return 0;
}

/* Open the rejects file, and the output unless each input has its own.
 * @return 0, or -1 after a message. */
static int open_files(struct run *r)
{
    r->out_fd = -1;
    r->rej_fd = -1;
    if (r->o->output_dir == NULL && open_output(r, r->o->output) != 0) {
        return -1;
    }
    if (r->o->output_dir != NULL && mkdir(r->o->output_dir, 0777) != 0 &&
        errno != EEXIST) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot create '%s': %s",
                 r->o->output_dir, strerror(errno));
        return -1;
    }
    if (r->o->rejects != NULL) {
        r->rej_fd = open(r->o->rejects, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (r->rej_fd < 0) {
            s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot create '%s': %s",
                     r->o->rejects, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/*
 * Close the output. A file written to a temporary name takes its real
 * name only with keep; otherwise it is removed, and a message says that
 * it was not written.
 */
static void close_output(struct run *r, bool keep)
{
    const char *name = r->out_name;

    close_gzip(r);
    r->out_name = NULL;
    if (name == NULL) {
        return;
    }
    if (r->out_fd >= 0 && close(r->out_fd) != 0) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot write '%s': %s", name,
                 strerror(errno));
        r->status = S2Q_EXIT_IO;
        keep = false;
    }
    r->out_fd = -1;
    if (!s2q_outfile_is_temporary()) {
        return;
    }
    if (s2q_outfile_commit(keep) != 0) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot create '%s': %s", name,
                 strerror(errno));
        r->status = S2Q_EXIT_IO;
    } else if (!keep && r->opened) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                 "'%s' was not written: %s did not complete", name,
                 r->o->output_dir != NULL ? "its input" : "the run");
    }
}

bool s2q_output_name(const char *dir, const char *input, bool compress,
                     char out[PATH_MAX])
{
    static const char *const endings[] = { ".gz", ".json", ".jsonl",
                                           ".ndjson" };
    const char *base = strrchr(input, '/');
    size_t n;
    bool cut = true;

    base = base != NULL ? base + 1 : input;
    n = strlen(base);
    while (cut) {
        cut = false;
        for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++) {
            size_t e = strlen(endings[i]);

            if (n > e && strncmp(base + n - e, endings[i], e) == 0) {
                n -= e;
                cut = true;
            }
        }
    }
    return snprintf(out, PATH_MAX, "%s/%.*s.qql.jsonl%s", dir, (int)n, base,
                    compress ? ".gz" : "") < PATH_MAX;
}

/* Convert one input into its own file in --output-dir. */
static void convert_to_dir(struct run *r, const char *input)
{
    char path[PATH_MAX];
    unsigned long long read = r->st.read;
    unsigned long long written = r->st.written;
    unsigned long long skipped = r->st.skipped;
    unsigned long long rejected = r->st.rejected;

    if (!s2q_output_name(r->o->output_dir, input, r->o->compress, path)) {
        s2q_diag(S2Q_LEVEL_ERROR, input, 0, "output name too long");
        r->status = S2Q_EXIT_IO;
        return;
    }
    if (open_output(r, path) != 0) {
        close_output(r, false);
        r->status = S2Q_EXIT_IO;
        return;
    }
    r->file_failed = false;
    process_input(r, input);
    close_output(r, !r->file_failed && !r->stop);
    s2q_diag(S2Q_LEVEL_INFO, input, 0,
             "%llu records read, %llu written, %llu skipped, %llu "
             "rejected; output '%s'%s", r->st.read - read,
             r->st.written - written, r->st.skipped - skipped,
             r->st.rejected - rejected, path,
             r->file_failed || r->stop ? " not written" : "");
}

/* Send a child's counts to its parent through a pipe. */
static void send_stats(int fd, const struct s2q_stats *st)
{
    s2q_write_all(fd, (const char *)st, sizeof(*st));
    s2q_write_all(fd, (const char *)st->per_id,
                  (S2Q_MAX_EVENT_ID + 1) * sizeof(*st->per_id));
}

/* Read exactly n bytes. @return false at an early end or an error. */
static bool read_all(int fd, void *p, size_t n)
{
    while (n > 0) {
        ssize_t got = read(fd, p, n);

        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return false;
        }
        p = (char *)p + got;
        n -= (size_t)got;
    }
    return true;
}

/* Take a child's counts from its pipe and add them to the run's. */
static bool receive_stats(int fd, struct s2q_stats *to)
{
    struct s2q_stats st;
    unsigned long long *per_id = s2q_xcalloc(S2Q_MAX_EVENT_ID + 1,
                                             sizeof(*per_id));
    bool ok = read_all(fd, &st, sizeof(st)) &&
              read_all(fd, per_id,
                       (S2Q_MAX_EVENT_ID + 1) * sizeof(*per_id));

    if (ok) {
        st.per_id = per_id;
        s2q_stats_merge(to, &st);
    }
    free(per_id);
    return ok;
}

/*
 * --output-dir with -j N: N processes convert the inputs at once, each
 * every N-th input, one thread each; their counts come back through pipes
 * and the highest exit status wins. @return false when no process could
 * be started (the caller then converts the inputs itself).
 */
static bool convert_files_at_once(struct run *r, char *const *inputs,
                                  size_t n)
{
    size_t nchild = r->o->jobs < n ? r->o->jobs : n;
    pid_t pids[S2Q_MAX_CHILDREN];
    int fds[S2Q_MAX_CHILDREN];
    size_t started = 0;

    nchild = nchild < S2Q_MAX_CHILDREN ? nchild : S2Q_MAX_CHILDREN;
    fflush(stderr);
    for (; started < nchild; started++) {
        int p[2];

        if (pipe(p) != 0) {
            break;
        }
        pids[started] = fork();
        if (pids[started] < 0) {
            close(p[0]);
            close(p[1]);
            break;
        }
        if (pids[started] == 0) {
            close(p[0]);
            s2q_outfile_children(NULL, 0);
            r->progress = false;
            for (size_t i = started; i < n && !r->stop; i += nchild) {
                convert_to_dir(r, inputs[i]);
            }
            send_stats(p[1], &r->st);
            _exit(r->status);
        }
        close(p[1]);
        fds[started] = p[0];
        s2q_outfile_children(pids, started + 1);
    }
    if (started < nchild) {
        /* Not every process could start: stop those that did, and let
         * the caller convert every input itself. */
        for (size_t k = 0; k < started; k++) {
            kill(pids[k], SIGTERM);
            close(fds[k]);
            while (waitpid(pids[k], NULL, 0) < 0 && errno == EINTR) {
            }
        }
        s2q_outfile_children(NULL, 0);
        return false;
    }
    for (size_t k = 0; k < started; k++) {
        int ws;
        bool ok = receive_stats(fds[k], &r->st);

        close(fds[k]);
        while (waitpid(pids[k], &ws, 0) < 0 && errno == EINTR) {
        }
        if (!ok || !WIFEXITED(ws)) {
            s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                     "a process converting files ended abnormally");
            r->status = S2Q_EXIT_IO;
        } else if (WEXITSTATUS(ws) > r->status) {
            r->status = WEXITSTATUS(ws);
        }
    }
    s2q_outfile_children(NULL, 0);
    return true;
}

/* Read every input, with workers when asked for. */
static void process_all(struct run *r, char *const *inputs, size_t n)
{
    if (r->o->output_dir != NULL && r->o->jobs > 1 && n > 1 &&
        convert_files_at_once(r, inputs, n)) {
        return;
    }
    if (r->o->jobs > 1) {
        r->pool = pool_start(r->o, r->o->jobs, r->batch.out.terminal);
    }
    for (size_t i = 0; (i < n || (i == 0 && n == 0)) && !r->stop; i++) {
        if (r->o->output_dir != NULL) {
            convert_to_dir(r, inputs[i]);
        } else {
            process_input(r, n == 0 ? NULL : inputs[i]);
        }
    }
    if (r->pool != NULL) {
        pool_stop(r->pool);
        r->pool = NULL;
    }
}

/* Close the files and print the summary. */
static void finish(struct run *r, double start)
{
    bool stopped_strict = r->o->strict && r->st.rejected > 0;

    close_output(r, !stopped_strict && r->status <= S2Q_EXIT_REJECTS);
    if (r->rej_fd >= 0 && close(r->rej_fd) != 0) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot write '%s': %s",
                 r->o->rejects, strerror(errno));
        r->status = S2Q_EXIT_IO;
    }
    s2q_diag_progress_end();
    r->st.seconds = now_seconds() - start;
    if (r->o->stats == S2Q_STATS_JSON) {
        s2q_stats_json(&r->st);
    } else if (r->o->stats == S2Q_STATS_TEXT || s2q_diag_verbosity() >= 2) {
        s2q_stats_text(&r->st);
    }
}

/*
 * Decide whether to draw a progress line (standard error is a terminal,
 * messages are shown, --no-progress is not given), and add up the sizes
 * of the inputs when they are all regular files.
 */
static void start_progress(struct run *r, char *const *inputs, size_t n)
{
    struct stat st;

    r->progress = !r->o->no_progress && isatty(STDERR_FILENO) &&
                  s2q_diag_verbosity() >= 1;
    for (size_t i = 0; i < n && r->progress; i++) {
        if (strcmp(inputs[i], "-") == 0 || stat(inputs[i], &st) != 0 ||
            !S_ISREG(st.st_mode)) {
            r->total = 0;
            return;
        }
        r->total += (unsigned long long)st.st_size;
    }
}

int s2q_run(const struct s2q_run_opts *o, char *const *inputs,
            size_t ninputs)
{
    struct run r;
    double start = now_seconds();

    memset(&r, 0, sizeof(r));
    r.o = o;
    r.file = "<stdin>";
    r.start = start;
    start_progress(&r, inputs, ninputs);
    s2q_stats_init(&r.st);
    s2q_buf_init(&r.spill_buf);
    s2q_buf_init(&r.rewind);
    s2q_batch_init(&r.batch);
    /* Output read on a terminal escapes what the terminal would act on. */
    r.batch.out.terminal = o->output == NULL && o->output_dir == NULL &&
                           !o->compress && isatty(STDOUT_FILENO);
    s2q_worker_init(&r.worker, o);
    if (s2q_outfile_check(o->output, o->rejects, inputs, ninputs) != 0 ||
        (o->output == NULL && o->output_dir == NULL &&
         s2q_outfile_check_stdout(o->rejects, inputs, ninputs) != 0)) {
        r.status = S2Q_EXIT_USAGE;
        goto out;
    }
    s2q_outfile_signals();
    s2q_arena_install();
    if (open_files(&r) != 0) {
        r.status = S2Q_EXIT_IO;
        close_output(&r, false);
        goto out;
    }
    r.opened = true;
    process_all(&r, inputs, ninputs);
    finish(&r, start);
out:
    s2q_stats_free(&r.st);
    s2q_buf_free(&r.spill_buf);
    s2q_buf_free(&r.rewind);
    s2q_batch_free(&r.batch);
    s2q_worker_free(&r.worker);
    s2q_arena_release();
    return r.status;
}
