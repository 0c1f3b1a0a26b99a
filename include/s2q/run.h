/*
 * run.h - one run of the program: read every input, map every record,
 * write the output, report and count.
 */
#ifndef S2Q_RUN_H
#define S2Q_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "s2q/event.h"
#include "s2q/map.h"

/* Exit statuses. */
enum s2q_status {
    S2Q_EXIT_OK = 0,        /* every record written or deliberately skipped */
    S2Q_EXIT_REJECTS = 1,   /* some records rejected */
    S2Q_EXIT_USAGE = 2,     /* usage error */
    S2Q_EXIT_IO = 3         /* an input or the output failed */
};

enum s2q_stats_mode {
    S2Q_STATS_NONE,
    S2Q_STATS_TEXT,
    S2Q_STATS_JSON
};

struct s2q_run_opts {
    const char *output;           /* NULL: standard output */
    const char *output_dir;       /* one output file per input, or NULL */
    const char *rejects;          /* NULL: no rejects file */
    bool pretty;
    bool compress;                /* gzip the output (also for -o X.gz) */
    bool strict;
    bool no_progress;             /* never draw the progress line */
    enum s2q_stats_mode stats;
    size_t max_record;
    enum s2q_non_sysmon non_sysmon;
    enum s2q_shape forced;        /* S2Q_SHAPE_COUNT: recognise */
    unsigned jobs;                /* worker threads; 0 or 1: none */
    const unsigned char *event_ids; /* --event-id: a bit per event ID to
                                       keep (65536 bits), or NULL: all */
    struct s2q_map_opts map;
};

/**
 * The output file of an input in --output-dir dir: the input's name
 * without its .json, .jsonl, .ndjson and .gz endings, plus .qql.jsonl (and
 * .gz when compressed). @return false when the path is too long.
 */
bool s2q_output_name(const char *dir, const char *input, bool compress,
                     char out[PATH_MAX]);

/**
 * Process the inputs (standard input when there are none) and write the
 * output. Messages go to standard error.
 * @return the exit status (enum s2q_status)
 */
int s2q_run(const struct s2q_run_opts *o, char *const *inputs,
            size_t ninputs);

#endif /* S2Q_RUN_H */
