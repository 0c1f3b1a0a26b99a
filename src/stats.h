/*
 * stats.h - the counts of a run (private to run.c and stats.c).
 */
#ifndef S2Q_STATS_H
#define S2Q_STATS_H

#include "s2q/map.h"
#include "s2q/event.h"
#include "work.h"

/* Largest event ID, for the per-ID counts. */
#define S2Q_MAX_EVENT_ID 65535

struct s2q_stats {
    unsigned long long read;
    unsigned long long written;
    unsigned long long skipped;     /* not Sysmon, or filtered out */
    unsigned long long filtered;    /* left out by --event-id */
    unsigned long long rejected;
    unsigned long long unknown_ids;
    unsigned long long warnings[S2Q_WARN_COUNT];
    unsigned long long per_shape[S2Q_SHAPE_COUNT];
    unsigned long long *per_id;   /* S2Q_MAX_EVENT_ID + 1 counters */
    unsigned long long bytes;
    double seconds;
};

void s2q_stats_init(struct s2q_stats *st);
void s2q_stats_free(struct s2q_stats *st);

/** Add the counts of from to to. */
void s2q_stats_merge(struct s2q_stats *to, const struct s2q_stats *from);

/** Count one record by its fate. */
void s2q_stats_add(struct s2q_stats *st, const struct s2q_item *it);

/** The summary as readable text on standard error. */
void s2q_stats_text(const struct s2q_stats *st);

/** The summary as one JSON object on standard error. */
void s2q_stats_json(const struct s2q_stats *st);

#endif /* S2Q_STATS_H */
