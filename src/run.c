/*
 * run.c - the processing loop: inputs -> records -> canonical events ->
 * mapped records -> output, with every record accounted for.
 *
 * Each framed record is read (+1), then written, skipped (a provider other
 * than Sysmon) or rejected (reported on standard error and saved to the
 * rejects file): read = written + skipped + rejected, always.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "s2q/buf.h"
#include "s2q/diag.h"
#include "s2q/input.h"
#include "s2q/run.h"
#include "s2q/shape.h"

/* Flush the output buffer when it holds this much. */
#define OUT_FLUSH (1u << 20)

/* Show at most this many warning messages per run; count them all. */
#define MAX_WARNING_MESSAGES 100

/* Largest event ID, for the per-ID counts. */
#define MAX_EVENT_ID 65535

struct stats {
    unsigned long long read;
    unsigned long long written;
    unsigned long long skipped;
    unsigned long long rejected;
    unsigned long long unknown_ids;
    unsigned long long warnings[S2Q_WARN_COUNT];
    unsigned long long per_shape[S2Q_SHAPE_COUNT];
    unsigned long long *per_id;   /* MAX_EVENT_ID + 1 counters */
    unsigned long long bytes;
    double seconds;
};

struct run {
    const struct s2q_run_opts *o;
    int out_fd;
    struct s2q_buf out;
    int rej_fd;
    struct s2q_buf rej;
    struct s2q_json_stream spill;
    bool spilling;
    struct s2q_event ev;
    struct s2q_out mapped;
    struct stats st;
    int status;
    bool stop;              /* no further input is read */
    bool opened;            /* the output and rejects files are open */
    const char *file;       /* name of the current input for messages */
    unsigned long line;     /* line of the record being processed */
    unsigned long warnings_shown;
};

/* ---- the output file ---- */

/*
 * A regular output file is written under a temporary name in its folder
 * and takes its name only when the run completes; the temporary file is
 * removed if the run fails or a signal ends it. Anything else (a device,
 * a FIFO) is written directly. A symbolic link is followed: its target
 * is the file replaced.
 */
static char tmp_path[PATH_MAX];
static char final_path[PATH_MAX];
static volatile sig_atomic_t tmp_active;

/* On a signal that ends the run: remove the partial output, then die of
 * the signal as if it had not been caught. */
static void on_signal(int sig)
{
    if (tmp_active) {
        unlink(tmp_path);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Catch every signal whose default action ends the process, and let a
 * closed pipe be a write error (EPIPE) instead of a silent death. */
static void set_signals(void)
{
    static const int fatal[] = {
        SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
        SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGPOLL,
    };
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
        sigaction(fatal[i], &sa, NULL);
    }
    signal(SIGPIPE, SIG_IGN);
}

/*
 * Open the output. For a regular file (or a new one) that is a temporary
 * file beside the final one, with the final file's permissions when it
 * exists; for anything else the file itself.
 * @return the descriptor, or -1 with errno set
 */
static int open_output(const char *path)
{
    struct stat st;
    const char *slash;
    size_t dirlen;
    mode_t mask;
    int fd;

    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        return open(path, O_WRONLY | O_APPEND);
    }
    if (realpath(path, final_path) == NULL) {
        if (errno != ENOENT || strlen(path) >= sizeof(final_path)) {
            return -1;
        }
        strcpy(final_path, path);
    }
    slash = strrchr(final_path, '/');
    dirlen = slash != NULL ? (size_t)(slash - final_path + 1) : 0;
    if (snprintf(tmp_path, sizeof(tmp_path), "%.*s.%s.XXXXXX", (int)dirlen,
                 final_path, final_path + dirlen) >= (int)sizeof(tmp_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = mkstemp(tmp_path);
    if (fd < 0) {
        return -1;
    }
    tmp_active = 1;
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, stat(final_path, &st) == 0 ? st.st_mode & 07777
                                               : 0666 & ~mask) != 0) {
        return -1;
    }
    return fd;
}

/* Write all of a buffer to a descriptor. @return 0 or an errno value. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            return errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Write out the output buffer. A closed pipe stops the run quietly; any
 * other failure stops it with status 3. */
static void flush_output(struct run *r)
{
    int err;

    if (r->out.len == 0 || r->out_fd < 0) {
        r->out.len = 0;
        return;
    }
    err = write_all(r->out_fd, r->out.data, r->out.len);
    r->out.len = 0;
    if (err == EPIPE) {
        r->out_fd = -1;
        r->stop = true;
    } else if (err != 0) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot write output: %s",
                 strerror(err));
        r->out_fd = -1;
        r->stop = true;
        r->status = S2Q_EXIT_IO;
    }
}

/* ---- rejected records ---- */

/* Write out the rejects buffer; a failure is reported once, status 3. */
static void flush_rejects(struct run *r)
{
    int err;

    if (r->rej_fd < 0 || r->rej.len == 0) {
        r->rej.len = 0;
        return;
    }
    err = write_all(r->rej_fd, r->rej.data, r->rej.len);
    r->rej.len = 0;
    if (err != 0) {
        s2q_diag(S2Q_LEVEL_ERROR, r->o->rejects, 0,
                 "cannot write rejected records: %s", strerror(err));
        close(r->rej_fd);
        r->rej_fd = -1;
        r->status = S2Q_EXIT_IO;
    }
}

/* Start a rejects entry: everything before the record text. */
static void rejects_head(struct run *r, unsigned long line, const char *msg)
{
    char num[24];
    int n = snprintf(num, sizeof(num), "%lu", line);

    s2q_buf_puts(&r->rej, "{\"file\":");
    s2q_json_put_string(&r->rej, r->file, strlen(r->file));
    s2q_buf_puts(&r->rej, ",\"line\":");
    s2q_buf_put(&r->rej, num, (size_t)n);
    s2q_buf_puts(&r->rej, ",\"error\":");
    s2q_json_put_string(&r->rej, msg, strlen(msg));
    s2q_buf_puts(&r->rej, ",\"record\":");
}

/* Spill callback: stream an oversize record into the rejects file. */
static void spill_record(void *ctx, const char *p, size_t n, bool first,
                         unsigned long line)
{
    struct run *r = ctx;

    if (r->rej_fd < 0) {
        return;
    }
    if (first) {
        rejects_head(r, line, "record is larger than --max-record-size");
        s2q_json_stream_begin(&r->rej, &r->spill);
        r->spilling = true;
    }
    s2q_json_stream_put(&r->rej, &r->spill, p, n);
    if (r->rej.len >= OUT_FLUSH) {
        flush_rejects(r);
    }
}

/* Reject the current record: report it, save it, count it. */
static void reject(struct run *r, const struct s2q_record *rec,
                   const char *msg)
{
    s2q_diag(S2Q_LEVEL_ERROR, r->file, rec->line, "%s", msg);
    r->st.rejected++;
    if (r->status < S2Q_EXIT_REJECTS) {
        r->status = S2Q_EXIT_REJECTS;
    }
    if (r->spilling) {
        s2q_json_stream_end(&r->rej, &r->spill);
        s2q_buf_put(&r->rej, "}\n", 2);
        r->spilling = false;
    } else if (r->rej_fd >= 0) {
        rejects_head(r, rec->line, msg);
        s2q_json_put_string(&r->rej, rec->data, rec->len);
        s2q_buf_put(&r->rej, "}\n", 2);
    }
    flush_rejects(r);
    if (r->o->strict) {
        r->stop = true;
    }
}

/* ---- one record ---- */

/* Describe where cJSON stopped parsing, relative to the record start. */
static void json_error(const struct s2q_record *rec, const char *at,
                       char *msg, size_t n)
{
    unsigned long line = rec->line;
    const char *bol = rec->data;

    if (at == NULL || at < rec->data || at > rec->data + rec->len) {
        snprintf(msg, n, "invalid JSON");
        return;
    }
    for (const char *p = rec->data; p < at; p++) {
        if (*p == '\n') {
            line++;
            bol = p + 1;
        }
    }
    if (at == rec->data + rec->len) {
        snprintf(msg, n, "invalid JSON: unexpected end of record");
    } else {
        snprintf(msg, n, "invalid JSON at line %lu, column %zu", line,
                 (size_t)(at - bol) + 1);
    }
}

/* Show the warnings of a mapped record, up to the run's limit. */
static void show_warnings(struct run *r, const struct s2q_out *m)
{
    static const char *const what[S2Q_WARN_COUNT] = {
        [S2Q_WARN_TIME] = "is not a time in any accepted form",
        [S2Q_WARN_NUMBER] = "is not a whole number in range",
        [S2Q_WARN_HEX] = "is not a hex number",
        [S2Q_WARN_HASH] = "has a part that is not a known hash; kept whole",
        [S2Q_WARN_IP] = "is not an IP address",
        [S2Q_WARN_CLIENTINFO] = "has a part that was not understood; "
                                "kept whole",
        [S2Q_WARN_SEVERITY] = "is not a known severity; written as given",
        [S2Q_WARN_SYSTEM] = "is of the wrong type or form; left out",
        [S2Q_WARN_LAYOUT] = "has a number of values that matches no known "
                            "field layout; written as Data1 ... DataN",
        [S2Q_WARN_UTF8] = "record holds invalid UTF-8, written as U+FFFD",
        [S2Q_WARN_UNKNOWN_ID] = "is not in the mapping tables; mapped with "
                                "the default table",
    };

    for (size_t i = 0; i < m->nnotes; i++) {
        if (r->warnings_shown == MAX_WARNING_MESSAGES) {
            s2q_diag(S2Q_LEVEL_WARNING, NULL, 0,
                     "further warnings are counted but not shown "
                     "(see --stats)");
        }
        if (r->warnings_shown++ >= MAX_WARNING_MESSAGES) {
            return;
        }
        if (m->notes[i].kind == S2Q_WARN_UTF8) {
            s2q_diag(S2Q_LEVEL_WARNING, r->file, r->line, "%s",
                     what[S2Q_WARN_UTF8]);
        } else if (m->notes[i].kind == S2Q_WARN_UNKNOWN_ID) {
            s2q_diag(S2Q_LEVEL_WARNING, r->file, r->line,
                     "event ID %u %s", r->ev.event_id,
                     what[S2Q_WARN_UNKNOWN_ID]);
        } else {
            s2q_diag(S2Q_LEVEL_WARNING, r->file, r->line, "field '%s' %s",
                     m->notes[i].field, what[m->notes[i].kind]);
        }
    }
}

/* Map and write one canonical event; count it. */
static void write_event(struct run *r, bool sysmon)
{
    unsigned utf8;

    if (sysmon) {
        s2q_map_event(&r->ev, &r->o->map, &r->mapped);
    } else {
        s2q_map_foreign(&r->ev, &r->o->map, &r->mapped);
    }
    utf8 = r->mapped.warnings[S2Q_WARN_UTF8];
    s2q_emit_record(&r->out, &r->ev, &r->mapped, &r->o->map, r->o->pretty);
    if (r->mapped.warnings[S2Q_WARN_UTF8] > utf8 &&
        r->mapped.nnotes < S2Q_MAX_NOTES) {
        r->mapped.notes[r->mapped.nnotes].kind = S2Q_WARN_UTF8;
        r->mapped.notes[r->mapped.nnotes].field = NULL;
        r->mapped.nnotes++;
    }
    for (int w = 0; w < S2Q_WARN_COUNT; w++) {
        r->st.warnings[w] += r->mapped.warnings[w];
    }
    show_warnings(r, &r->mapped);
    if (!r->mapped.known_id && sysmon) {
        r->st.unknown_ids++;
    }
    r->st.written++;
    r->st.per_id[r->ev.event_id]++;
    r->st.per_shape[r->ev.shape]++;
    if (r->out.len >= OUT_FLUSH) {
        flush_output(r);
    }
}

/* Handle one framed record. */
static void process_record(struct run *r, const struct s2q_record *rec)
{
    const char *end = NULL;
    const char *provider;
    size_t plen;
    cJSON *root;
    char msg[256];
    bool sysmon;

    r->st.read++;
    r->line = rec->line;
    if (rec->frame == S2Q_FRAME_OVERSIZE) {
        snprintf(msg, sizeof(msg),
                 "record of %zu bytes is larger than --max-record-size "
                 "(%zu bytes)", rec->size, r->o->max_record);
        reject(r, rec, msg);
        return;
    }
    if (rec->frame == S2Q_FRAME_CUT) {
        reject(r, rec, "incomplete JSON value: the record is cut off");
        return;
    }
    root = cJSON_ParseWithLengthOpts(rec->data, rec->len, &end, false);
    if (root == NULL) {
        json_error(rec, cJSON_GetErrorPtr(), msg, sizeof(msg));
        reject(r, rec, msg);
        return;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        reject(r, rec, "not a JSON object");
        return;
    }
    s2q_event_reset(&r->ev);
    if (s2q_shape_read(root, r->o->forced, &r->ev, msg, sizeof(msg)) != 0) {
        cJSON_Delete(root);
        reject(r, rec, msg);
        return;
    }
    sysmon = s2q_map_is_sysmon(&r->ev, &provider, &plen);
    if (sysmon || r->o->non_sysmon == S2Q_NON_SYSMON_PASS) {
        write_event(r, sysmon);
    } else if (r->o->non_sysmon == S2Q_NON_SYSMON_SKIP) {
        r->st.skipped++;
    } else {
        snprintf(msg, sizeof(msg), "not a Sysmon event (provider '%.*s')",
                 plen > 100 ? 100 : (int)plen, provider ? provider : "");
        reject(r, rec, msg);
    }
    cJSON_Delete(root);
}

/* Read every record of one input. */
static void process_input(struct run *r, const char *path)
{
    struct s2q_input_opts io;
    struct s2q_input *in;
    struct s2q_record rec;
    enum s2q_next next;

    io.max_record = r->o->max_record;
    io.spill = spill_record;
    io.spill_ctx = r;
    r->file = path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;
    in = s2q_input_open(path, &io);
    if (in == NULL) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot open '%s': %s", r->file,
                 strerror(errno));
        r->status = S2Q_EXIT_IO;
        return;
    }
    while (!r->stop) {
        next = s2q_input_next(in, &rec);
        if (next != S2Q_NEXT_RECORD) {
            break;
        }
        process_record(r, &rec);
    }
    if (!r->stop && next == S2Q_NEXT_ERROR) {
        s2q_diag(S2Q_LEVEL_ERROR, r->file, 0, "%s", s2q_input_error(in));
        r->status = S2Q_EXIT_IO;
    }
    r->st.bytes += s2q_input_offset(in);
    s2q_input_close(in);
}

/* ---- the summary ---- */

/* The summary as readable text on standard error. */
static void stats_text(const struct stats *st)
{
    unsigned long long total = 0;
    char line[4096];
    size_t n = 0;

    for (int w = 0; w < S2Q_WARN_COUNT; w++) {
        total += st->warnings[w];
    }
    fprintf(stderr,
            "sysmon2qql: %llu records read, %llu written, %llu skipped "
            "(not Sysmon), %llu rejected\n",
            st->read, st->written, st->skipped, st->rejected);
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
    for (unsigned id = 0; id <= MAX_EVENT_ID; id++) {
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
static void stats_json(const struct stats *st)
{
    unsigned long long total = 0;
    const char *sep = "";

    for (int w = 0; w < S2Q_WARN_COUNT; w++) {
        total += st->warnings[w];
    }
    fprintf(stderr,
            "{\"read\":%llu,\"written\":%llu,\"skipped\":%llu,"
            "\"rejected\":%llu,\"unknown_event_ids\":%llu,"
            "\"warnings\":{\"total\":%llu",
            st->read, st->written, st->skipped, st->rejected,
            st->unknown_ids, total);
    for (int w = 0; w < S2Q_WARN_COUNT; w++) {
        fprintf(stderr, ",\"%s\":%llu", s2q_warn_name((enum s2q_warn)w),
                st->warnings[w]);
    }
    fprintf(stderr, "},\"event_ids\":{");
    for (unsigned id = 0; id <= MAX_EVENT_ID; id++) {
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

/* ---- the run ---- */

/* Seconds since an arbitrary start, for the summary. */
static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Is path an existing file that is also one of the inputs? */
static bool is_an_input(const char *path, char *const *inputs, size_t n)
{
    struct stat target, in;

    if (stat(path, &target) != 0 || !S_ISREG(target.st_mode)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &in) == 0 &&
            in.st_dev == target.st_dev && in.st_ino == target.st_ino) {
            return true;
        }
    }
    return false;
}

/*
 * The absolute path a file name stands for, links resolved, whether or
 * not the file exists yet (its folder must). @return false when unknown.
 */
static bool resolve_path(const char *path, char out[PATH_MAX])
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    size_t n;

    if (realpath(path, out) != NULL) {
        return true;
    }
    if (slash == path) {
        snprintf(dir, sizeof(dir), "/");
    } else {
        snprintf(dir, sizeof(dir), "%.*s",
                 slash != NULL ? (int)(slash - path) : 1,
                 slash != NULL ? path : ".");
    }
    if (realpath(dir, out) == NULL) {
        return false;
    }
    n = strlen(out);
    return snprintf(out + n, PATH_MAX - n, "/%s", base) < (int)(PATH_MAX - n);
}

/*
 * Refuse to write the output or the rejects over an input, or both into
 * one file: that would destroy data before it is read.
 * @return 0, or -1 after a message
 */
static int check_targets(const struct s2q_run_opts *o, char *const *inputs,
                         size_t n)
{
    const char *targets[2] = { o->output, o->rejects };
    char a[PATH_MAX], b[PATH_MAX];

    for (size_t i = 0; i < 2; i++) {
        if (targets[i] != NULL && strcmp(targets[i], "-") != 0 &&
            is_an_input(targets[i], inputs, n)) {
            s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                     "'%s' is also an input: refusing to overwrite it",
                     targets[i]);
            return -1;
        }
    }
    if (o->output != NULL && o->rejects != NULL &&
        strcmp(o->output, "-") != 0 &&
        (strcmp(o->output, o->rejects) == 0 ||
         (resolve_path(o->output, a) && resolve_path(o->rejects, b) &&
          strcmp(a, b) == 0))) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                 "the output and the rejects cannot share the file '%s'",
                 o->rejects);
        return -1;
    }
    return 0;
}

/* Open the output and rejects files. @return 0, or -1 after a message. */
static int open_files(struct run *r)
{
    r->out_fd = STDOUT_FILENO;
    r->rej_fd = -1;
    if (r->o->output != NULL && strcmp(r->o->output, "-") != 0) {
        r->out_fd = open_output(r->o->output);
        if (r->out_fd < 0) {
            s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot create '%s': %s",
                     r->o->output, strerror(errno));
            return -1;
        }
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
 * Close the output: a file written to a temporary name takes its real
 * name only when the run completed with status 0 or 1; otherwise it is
 * removed, and a message says that the output was not written.
 */
static void close_output(struct run *r, bool complete)
{
    bool to_file = r->o->output != NULL && strcmp(r->o->output, "-") != 0;

    if (!to_file) {
        return;
    }
    if (r->out_fd >= 0 && close(r->out_fd) != 0) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot write '%s': %s",
                 r->o->output, strerror(errno));
        r->status = S2Q_EXIT_IO;
    }
    if (!tmp_active) {
        return;
    }
    if (complete && r->status <= S2Q_EXIT_REJECTS) {
        if (rename(tmp_path, final_path) != 0) {
            s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot create '%s': %s",
                     r->o->output, strerror(errno));
            r->status = S2Q_EXIT_IO;
        }
    } else if (r->opened) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                 "'%s' was not written: the run did not complete",
                 r->o->output);
    }
    unlink(tmp_path);
    tmp_active = 0;
}

int s2q_run(const struct s2q_run_opts *o, char *const *inputs,
            size_t ninputs)
{
    struct run r;
    double start = now_seconds();
    bool stopped_strict;

    memset(&r, 0, sizeof(r));
    r.o = o;
    r.st.per_id = s2q_xcalloc(MAX_EVENT_ID + 1, sizeof(*r.st.per_id));
    s2q_buf_init(&r.out);
    s2q_buf_init(&r.rej);
    s2q_event_init(&r.ev);
    s2q_out_init(&r.mapped);
    if (check_targets(o, inputs, ninputs) != 0) {
        r.status = S2Q_EXIT_USAGE;
        goto out;
    }
    set_signals();
    if (open_files(&r) != 0) {
        r.status = S2Q_EXIT_IO;
        close_output(&r, false);
        goto out;
    }
    r.opened = true;
    for (size_t i = 0; (i < ninputs || (i == 0 && ninputs == 0)) && !r.stop;
         i++) {
        process_input(&r, ninputs == 0 ? NULL : inputs[i]);
    }
    flush_output(&r);
    flush_rejects(&r);
    stopped_strict = o->strict && r.st.rejected > 0;
    close_output(&r, !stopped_strict);
    if (r.rej_fd >= 0 && close(r.rej_fd) != 0) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot write '%s': %s",
                 o->rejects, strerror(errno));
        r.status = S2Q_EXIT_IO;
    }
    r.st.seconds = now_seconds() - start;
    if (o->stats == S2Q_STATS_JSON) {
        stats_json(&r.st);
    } else if (o->stats == S2Q_STATS_TEXT || s2q_diag_verbosity() >= 2) {
        stats_text(&r.st);
    }
out:
    free(r.st.per_id);
    s2q_buf_free(&r.out);
    s2q_buf_free(&r.rej);
    s2q_event_free(&r.ev);
    s2q_out_free(&r.mapped);
    return r.status;
}
