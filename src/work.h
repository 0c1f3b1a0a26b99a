/*
 * work.h - turning a batch of framed records into output (private to
 * run.c and work.c).
 *
 * The records of an input are gathered in batches. A batch is processed
 * on its own, by the main thread or by a worker thread: every record is
 * parsed, read into the canonical event, mapped and written into the
 * batch's output text; messages and rejected records go into the batch's
 * own buffers, and every record's outcome is noted. Batches are then
 * written in input order by the main thread, which alone touches files,
 * standard error and the run's counts. So output, messages and counts
 * are the same whatever the number of threads.
 */
#ifndef S2Q_WORK_H
#define S2Q_WORK_H

#include <stdbool.h>
#include <stddef.h>

#include "s2q/buf.h"
#include "s2q/diag.h"
#include "s2q/event.h"
#include "s2q/input.h"
#include "s2q/map.h"
#include "s2q/run.h"

/* What became of a record. */
enum s2q_fate {
    S2Q_FATE_WRITTEN,
    S2Q_FATE_SKIPPED,        /* not Sysmon, --non-sysmon=skip */
    S2Q_FATE_FILTERED,       /* an event ID that --event-id leaves out */
    S2Q_FATE_REJECTED
};

/* Most warning messages a batch keeps (the run shows no more in all).
 * Where the next one would have been, an empty warning marks the place,
 * so that the run can tell, whatever the batches, after which message
 * its limit was passed. */
#define S2Q_BATCH_WARNINGS 100

/* One record of a batch: where its bytes are, and what became of it. */
struct s2q_item {
    size_t off;              /* its bytes: batch data + off, len bytes */
    size_t len;
    size_t size;             /* its full length in the input */
    unsigned long line;
    unsigned long col;
    enum s2q_frame frame;
    bool spilled;            /* oversize, already saved by the spill */

    /* results */
    enum s2q_fate fate;
    unsigned event_id;
    enum s2q_shape shape;
    bool unknown_id;
    unsigned short warnings[S2Q_WARN_COUNT];
    size_t out_end;          /* batch output, rejects and messages up to */
    size_t rej_end;          /* and including this record */
    size_t msg_end;
};

/* A batch of records of one input, and its results. */
struct s2q_batch {
    const char *file;        /* the input's name for messages */
    struct s2q_buf data;     /* the records' bytes (when copied), or the
                                whole lines of a lines batch */
    struct s2q_item *items;
    size_t nitems;
    size_t cap;

    /* A lines batch holds whole lines taken with s2q_input_lines, which
     * s2q_work_lines frames into items itself. */
    bool lines;
    unsigned long line0;     /* line number of data[0] */
    unsigned long long offset0; /* stream offset of data[0] */
    size_t resume;           /* data from here on was not framed: the
                                offset of the first line that only the
                                input's framer can read, or SIZE_MAX */
    unsigned long resume_line;

    struct s2q_buf out;      /* output lines */
    struct s2q_buf rej;      /* rejects file lines */
    struct s2q_buf msgs;     /* messages: level byte, line, text, NUL */
    size_t nwarnings;        /* warning messages in msgs, with the mark */
};

/* What a thread needs to process batches: reused from batch to batch. */
struct s2q_worker {
    const struct s2q_run_opts *o;
    struct s2q_event ev;
    struct s2q_out mapped;
    /* The tree of the next item when it was parsed while framing (in the
     * thread's arena); the item then is not parsed again. */
    cJSON *parsed;
};

void s2q_batch_init(struct s2q_batch *b);
void s2q_batch_free(struct s2q_batch *b);

/** Empty the batch for new records (keeps its memory). */
void s2q_batch_clear(struct s2q_batch *b, const char *file);

/**
 * Add a framed record. With copy, its bytes are copied into the batch;
 * without, they stay where rec->data points and must be processed before
 * the input is read further.
 * @return the new item
 */
struct s2q_item *s2q_batch_add(struct s2q_batch *b,
                               const struct s2q_record *rec, bool copy);

void s2q_worker_init(struct s2q_worker *w, const struct s2q_run_opts *o);
void s2q_worker_free(struct s2q_worker *w);

/**
 * The framer's check_line (input.h) for a worker w processing records as
 * they are framed (-j 1): parse the line into w->parsed, so that
 * s2q_work_item need not parse it again. @return whether it is exactly
 * one JSON value.
 */
bool s2q_worker_parse_line(void *w, const char *p, size_t n);

/**
 * Process one item of a batch (its bytes at data) and note its results.
 * Thread-safe for distinct workers and batches.
 */
void s2q_work_item(struct s2q_worker *w, struct s2q_batch *b,
                   struct s2q_item *it, const char *data);

/**
 * Process a batch: every item of a batch of framed records whose bytes
 * were copied into it, or the lines of a lines batch (s2q_work_lines).
 */
void s2q_work_batch(struct s2q_worker *w, struct s2q_batch *b);

/**
 * Frame the lines of a lines batch as the input's framer would, each into
 * an item, and process them. From the first line that is not one record
 * (see s2q_line_kind), the rest of the batch is framed by a framer of its
 * own (s2q_input_open_bytes) when that framer ends clean, with no record
 * over the size limit.
 * Otherwise the batch stops there: b->resume is that line's offset, and
 * b->resume_line its line number.
 */
void s2q_work_lines(struct s2q_worker *w, struct s2q_batch *b);

/** Append a message for the main thread to print (level, line, text). */
void s2q_batch_message(struct s2q_batch *b, enum s2q_level level,
                       unsigned long line, const char *text);

#endif /* S2Q_WORK_H */
