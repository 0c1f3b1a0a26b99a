/*
 * stats.c - the counts of a run and the summary printed from them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s2q/buf.h"
#include "s2q/shape.h"
#include "stats.h"

void s2q_stats_init(struct s2q_stats *st)
{
    memset(st, 0, sizeof(*st));
    st->per_id = s2q_xcalloc(S2Q_MAX_EVENT_ID + 1, sizeof(*st->per_id));
}

void s2q_stats_free(struct s2q_stats *st)
{
    free(st->per_id);
    memset(st, 0, sizeof(*st));
}

void s2q_stats_merge(struct s2q_stats *to, const struct s2q_stats *from)
{
    to->read += from->read;
    to->written += from->written;
    to->skipped += from->skipped;
    to->filtered += from->filtered;
    to->rejected += from->rejected;
    to->unknown_ids += from->unknown_ids;
    to->bytes += from->bytes;
    for (int w = 0; w < S2Q_WARN_COUNT; w++) {
        to->warnings[w] += from->warnings[w];
    }
    for (int s = 0; s < S2Q_SHAPE_COUNT; s++) {
        to->per_shape[s] += from->per_shape[s];
    }
    for (unsigned id = 0; id <= S2Q_MAX_EVENT_ID; id++) {
        to->per_id[id] += from->per_id[id];
    }
}

void s2q_stats_add(struct s2q_stats *st, const struct s2q_item *it)
{
    st->read++;
    switch (it->fate) {
    case S2Q_FATE_WRITTEN:
        st->written++;
        st->per_id[it->event_id]++;
        st->per_shape[it->shape]++;
        st->unknown_ids += it->unknown_id;
        for (int w = 0; w < S2Q_WARN_COUNT; w++) {
            st->warnings[w] += it->warnings[w];
        }
        break;
    case S2Q_FATE_SKIPPED:
        st->skipped++;
        break;
    case S2Q_FATE_FILTERED:
        st->skipped++;
        st->filtered++;
        break;
    case S2Q_FATE_REJECTED:
        st->rejected++;
        break;
    }
}

/* The summary as readable text on standard error. */
void s2q_stats_text(const struct s2q_stats *st)
{
    unsigned long long total = 0;
    char line[4096];
    size_t n = 0;

    for (int w = 0; w < S2Q_WARN_COUNT; w++) {
        total += st->warnings[w];
    }
    fprintf(stderr,
            "sysmon2qql: %llu records read, %llu written, %llu skipped "
            "(%llu not Sysmon, %llu filtered out), %llu rejected\n",
            st->read, st->written, st->skipped,
            st->skipped - st->filtered, st->filtered, st->rejected);
    fprintf(stderr,
            "sysmon2qql: %llu unknown event IDs, %llu warnings, %llu bytes "
            "in %.3f s\n",
            st->unknown_ids, total, st->bytes, st->seconds);
    for (int w = 0; w < S2Q_WARN_COUNT && total > 0; w++) {
        if (st->warnings[w] > 0) {
            fprintf(stderr, "sysmon2qql:   warnings %-17s %llu\n",
                    s2q_warn_name((enum s2q_warn)w), st->warnings[w]);
        }
    }
    for (unsigned id = 0; id <= S2Q_MAX_EVENT_ID; id++) {
        if (st->per_id[id] == 0) {
            continue;
        }
        if (n > sizeof(line) - 64) {
            fprintf(stderr, "sysmon2qql: per event ID:%s\n", line);
            n = 0;
        }
        n += (size_t)snprintf(line + n, sizeof(line) - n, " %u:%llu", id,
                              st->per_id[id]);
    }
    if (n > 0) {
        fprintf(stderr, "sysmon2qql: per event ID:%s\n", line);
    }
}

/* The summary as one JSON object on standard error. */
void s2q_stats_json(const struct s2q_stats *st)
{
    unsigned long long total = 0;
    const char *sep = "";

    for (int w = 0; w < S2Q_WARN_COUNT; w++) {
        total += st->warnings[w];
    }
    fprintf(stderr,
            "{\"read\":%llu,\"written\":%llu,\"skipped\":%llu,"
            "\"filtered\":%llu,\"rejected\":%llu,"
            "\"unknown_event_ids\":%llu,\"warnings\":{\"total\":%llu",
            st->read, st->written, st->skipped, st->filtered, st->rejected,
            st->unknown_ids, total);
    for (int w = 0; w < S2Q_WARN_COUNT; w++) {
        fprintf(stderr, ",\"%s\":%llu", s2q_warn_name((enum s2q_warn)w),
                st->warnings[w]);
    }
    fprintf(stderr, "},\"event_ids\":{");
    for (unsigned id = 0; id <= S2Q_MAX_EVENT_ID; id++) {
        if (st->per_id[id] > 0) {
            fprintf(stderr, "%s\"%u\":%llu", sep, id, st->per_id[id]);
            sep = ",";
        }
    }
    fprintf(stderr, "},\"shapes\":{");
    sep = "";
    for (int s = 0; s < S2Q_SHAPE_COUNT; s++) {
        fprintf(stderr, "%s\"%s\":%llu", sep,
                s2q_shape_name((enum s2q_shape)s), st->per_shape[s]);
        sep = ",";
    }
    fprintf(stderr, "},\"bytes\":%llu,\"seconds\":%.3f}\n", st->bytes,
            st->seconds);
}

