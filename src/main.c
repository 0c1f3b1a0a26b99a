/*
 * main.c - the command line of sysmon2qql: options, then one run.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uuid/uuid.h>

#include "s2q/buf.h"
#include "s2q/diag.h"
#include "s2q/listing.h"
#include "s2q/run.h"
#include "s2q/shape.h"
#include "s2q/tables.h"
#include "s2q/value.h"
#include "outfile.h"

#ifndef S2Q_VERSION
#define S2Q_VERSION "0.0.0"
#endif

/* Namespace of eventId when no --customer-id is given: the version 5 UUID
 * of the URL "urn:sysmon2qql:eventId". */
#define DEFAULT_NAMESPACE "a61358e4-3c86-57f0-a606-4ac5330ac14c"

#define DEFAULT_MAX_RECORD (16u << 20)

/* Options that have no short form. */
enum {
    OPT_CUSTOMER_ID = 256,
    OPT_COLLECTOR_ID,
    OPT_COMPRESS,
    OPT_EVENT_ID,
    OPT_EVENT_SOURCE_ID,
    OPT_FIELDS,
    OPT_INPUT_FORMAT,
    OPT_LIST_MAPPINGS,
    OPT_MAPPED_ONLY,
    OPT_MAX_RECORD_SIZE,
    OPT_NO_PROGRESS,
    OPT_NON_SYSMON,
    OPT_OUTPUT_DIR,
    OPT_PRETTY,
    OPT_RECEIVED_TIME,
    OPT_REJECTS,
    OPT_STATS,
    OPT_STRICT
};

static const struct option long_opts[] = {
    /* name              has_arg            flag  val */
    { "collector-id",    required_argument, NULL, OPT_COLLECTOR_ID },
    { "compress",        no_argument,       NULL, OPT_COMPRESS },
    { "customer-id",     required_argument, NULL, OPT_CUSTOMER_ID },
    { "event-id",        required_argument, NULL, OPT_EVENT_ID },
    { "event-source-id", required_argument, NULL, OPT_EVENT_SOURCE_ID },
    { "fields",          required_argument, NULL, OPT_FIELDS },
    { "help",            no_argument,       NULL, 'h' },
    { "input-format",    required_argument, NULL, OPT_INPUT_FORMAT },
    { "jobs",            required_argument, NULL, 'j' },
    { "list-mappings",   no_argument,       NULL, OPT_LIST_MAPPINGS },
    { "mapped-only",     no_argument,       NULL, OPT_MAPPED_ONLY },
    { "max-record-size", required_argument, NULL, OPT_MAX_RECORD_SIZE },
    { "no-progress",     no_argument,       NULL, OPT_NO_PROGRESS },
    { "non-sysmon",      required_argument, NULL, OPT_NON_SYSMON },
    { "output",          required_argument, NULL, 'o' },
    { "output-dir",      required_argument, NULL, OPT_OUTPUT_DIR },
    { "pretty",          no_argument,       NULL, OPT_PRETTY },
    { "quiet",           no_argument,       NULL, 'q' },
    { "received-time",   required_argument, NULL, OPT_RECEIVED_TIME },
    { "rejects",         required_argument, NULL, OPT_REJECTS },
    { "stats",           optional_argument, NULL, OPT_STATS },
    { "strict",          no_argument,       NULL, OPT_STRICT },
    { "verbose",         no_argument,       NULL, 'v' },
    { "version",         no_argument,       NULL, 'V' },
    { NULL,              0,                 NULL, 0 },
};

static void usage(FILE *f)
{
    fputs(
"usage: sysmon2qql [OPTION]... [FILE]...\n"
"Normalize Microsoft Sysmon events exported as JSON into JSON lines keyed\n"
"by Qualys Context XDR QQL tokens. With no FILE, or when FILE is -, read\n"
"standard input. Gzip-compressed input is read as it is.\n"
"\n"
"Input:\n"
"      --input-format=SHAPE  read every record as SHAPE: auto (default: each\n"
"                            record is recognised), evtx, winlogbeat, flat,\n"
"                            wazuh or powershell\n"
"\n"
"Selection:\n"
"      --event-id=LIST       keep only these event IDs, e.g. 1,3,10-13 (the\n"
"                            others are skipped and counted)\n"
"      --fields=LIST         write only these tokens, or fields written\n"
"                            under their own names, in this order, e.g.\n"
"                            eventTime,processName,command,RuleName\n"
"\n"
"Output:\n"
"  -o, --output=FILE         write to FILE, which appears only when the run\n"
"                            completes (default: standard output); a FILE\n"
"                            ending in .gz is gzip-compressed\n"
"      --output-dir=DIR      write one file per input into DIR (created if\n"
"                            missing, in a folder that exists): its name\n"
"                            without .json, .jsonl, .ndjson or .gz, plus\n"
"                            .qql.jsonl, appearing when complete\n"
"      --compress            gzip-compress the output (.qql.jsonl.gz)\n"
"      --pretty              indent each object for reading\n"
"      --mapped-only         leave out fields no token takes\n"
"      --non-sysmon=MODE     records of other providers: skip (default),\n"
"                            pass (write them unmapped) or reject\n"
"\n"
"Internal tokens:\n"
"      --customer-id=UUID    write customerId; also the namespace of eventId\n"
"      --collector-id=UUID   write collectorId\n"
"      --event-source-id=UUID  write eventSourceId\n"
"      --received-time=now|TIME  write collectorReceivedTime\n"
"\n"
"Speed:\n"
"  -j, --jobs=N              convert with N worker threads (default 1); the\n"
"                            output is the same, in input order; with\n"
"                            --output-dir, convert N inputs at once\n"
"\n"
"Errors and accounting:\n"
"      --rejects=FILE        save each rejected record, verbatim, to FILE\n"
"                            (in base64 too when it is not UTF-8)\n"
"      --strict              stop at the first rejected record\n"
"      --max-record-size=N   reject records larger than N bytes (suffix K,\n"
"                            M or G; default 16M)\n"
"      --stats[=text|json]   print a summary on standard error\n"
"      --no-progress         never draw the progress line (drawn on a\n"
"                            terminal during runs longer than a second)\n"
"  -q, --quiet               show errors only\n"
"  -v, --verbose             also show the summary\n"
"\n"
"Information:\n"
"      --list-mappings       print the mapping tables (Markdown)\n"
"  -h, --help                show this help\n"
"  -V, --version             show the version\n"
"\n"
"Exit status: 0 every record written or skipped; 1 some records rejected;\n"
"2 usage error; 3 an input or the output failed (the highest wins).\n",
          f);
}

static int bad_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Report a usage error. @return the usage exit status. */
static int bad_usage(const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "%s", msg);
    fputs("Try 'sysmon2qql --help' for more information.\n", stderr);
    return S2Q_EXIT_USAGE;
}

/* Parse a size with an optional K, M or G suffix (powers of 1024). */
static bool parse_size(const char *s, size_t *out)
{
    uint64_t n;
    size_t len = strlen(s);
    unsigned shift = 0;

    if (len > 1) {
        switch (toupper((unsigned char)s[len - 1])) {
        case 'K':
            shift = 10;
            break;
        case 'M':
            shift = 20;
            break;
        case 'G':
            shift = 30;
            break;
        default:
            break;
        }
    }
    if (!s2q_parse_uint(s, shift > 0 ? len - 1 : len, UINT64_MAX >> 32,
                        &n) || n == 0) {
        return false;
    }
    *out = (size_t)(n << shift);
    return true;
}

/* Check a UUID option and keep it in canonical lower-case form. */
static bool parse_uuid(const char *s, char *canon, unsigned char *bin)
{
    uuid_t u;

    if (strlen(s) != 36 || uuid_parse(s, u) != 0) {
        return false;
    }
    uuid_unparse_lower(u, canon);
    if (bin != NULL) {
        memcpy(bin, u, 16);
    }
    return true;
}

/* collectorReceivedTime: "now" or a time with a zone. */
static bool parse_received(const char *s, char *out)
{
    int64_t ms;

    if (strcmp(s, "now") == 0) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    } else if (s2q_time_parse(s, strlen(s), false, &ms) != S2Q_TIME_OK) {
        return false;
    }
    s2q_time_format(ms, out);
    return true;
}

/* Storage for option values that outlive parsing. */
struct ids {
    char customer[37];
    char collector[37];
    char source[37];
    char received[S2Q_TIME_LEN + 1];
    unsigned char event_ids[65536 / 8];
    struct s2q_pick picks[256];
};

/*
 * Parse --event-id: IDs and ranges separated by commas ("1,3,10-13"),
 * each from 0 to 65535, added to the IDs of earlier --event-id options.
 * @return false when the list is malformed.
 */
static bool parse_event_ids(const char *arg, unsigned char *bits)
{
    const char *p = arg;

    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        const char *dash = memchr(p, '-', len);
        uint64_t lo, hi;

        if (dash != NULL) {
            if (!s2q_parse_uint(p, (size_t)(dash - p), 65535, &lo) ||
                !s2q_parse_uint(dash + 1, len - (size_t)(dash - p) - 1,
                                65535, &hi) || hi < lo) {
                return false;
            }
        } else if (!s2q_parse_uint(p, len, 65535, &lo)) {
            return false;
        } else {
            hi = lo;
        }
        for (uint64_t id = lo; id <= hi; id++) {
            bits[id / 8] |= (unsigned char)(1u << (id % 8));
        }
        if (comma == NULL) {
            return true;
        }
        p = comma + 1;
    }
}

/*
 * Parse --fields: names separated by commas; a token name is taken as the
 * token, any other name as an EventData field. arg is cut up in place:
 * the names point into it, so it must live as long as the run.
 * @return the number of names, or 0 when the list is malformed.
 */
static size_t parse_fields(char *arg, struct s2q_pick *picks, size_t max)
{
    size_t n = 0;

    for (char *p = arg; ; p++) {
        char *comma = strchr(p, ',');

        if (comma != NULL) {
            *comma = '\0';
        }
        if (*p == '\0' || n == max) {
            return 0;
        }
        for (size_t i = 0; i < n; i++) {
            if (strcmp(picks[i].name, p) == 0) {
                return 0;
            }
        }
        picks[n].name = p;
        picks[n].token = s2q_token_find(p);
        n++;
        if (comma == NULL) {
            return n;
        }
        p = comma;
    }
}

/* Handle one option that takes a value. @return 0 or an exit status. */
static int set_option(int c, const char *arg, struct s2q_run_opts *o,
                      struct ids *ids)
{
    uint64_t n;

    switch (c) {
    case OPT_COLLECTOR_ID:
        if (!parse_uuid(arg, ids->collector, NULL)) {
            return bad_usage("--collector-id: '%s' is not a UUID", arg);
        }
        o->map.collector_id = ids->collector;
        return 0;
    case OPT_CUSTOMER_ID:
        if (!parse_uuid(arg, ids->customer, o->map.namespace_uuid)) {
            return bad_usage("--customer-id: '%s' is not a UUID", arg);
        }
        o->map.customer_id = ids->customer;
        return 0;
    case OPT_EVENT_SOURCE_ID:
        if (!parse_uuid(arg, ids->source, NULL)) {
            return bad_usage("--event-source-id: '%s' is not a UUID", arg);
        }
        o->map.event_source_id = ids->source;
        return 0;
    case OPT_EVENT_ID:
        if (!parse_event_ids(arg, ids->event_ids)) {
            return bad_usage("--event-id: '%s' is not a list of event IDs "
                             "and ranges such as 1,3,10-13", arg);
        }
        o->event_ids = ids->event_ids;
        return 0;
    case OPT_FIELDS:
        o->map.npicks = parse_fields(s2q_xstrdup(arg), ids->picks, 256);
        if (o->map.npicks == 0) {
            return bad_usage("--fields: '%s' is not a list of distinct "
                             "names separated by commas", arg);
        }
        o->map.picks = ids->picks;
        return 0;
    case OPT_INPUT_FORMAT:
        o->forced = s2q_shape_find(arg);
        if (o->forced == S2Q_SHAPE_COUNT && strcmp(arg, "auto") != 0) {
            return bad_usage("--input-format: '%s' is not auto, evtx, "
                             "winlogbeat, flat, wazuh or powershell", arg);
        }
        return 0;
    case 'j':
        if (!s2q_parse_uint(arg, strlen(arg), 1024, &n) || n == 0) {
            return bad_usage("--jobs: '%s' is not a number from 1 to 1024",
                             arg);
        }
        o->jobs = (unsigned)n;
        return 0;
    case OPT_MAX_RECORD_SIZE:
        if (!parse_size(arg, &o->max_record)) {
            return bad_usage("--max-record-size: '%s' is not a size", arg);
        }
        return 0;
    case OPT_NON_SYSMON:
        if (strcmp(arg, "skip") == 0) {
            o->non_sysmon = S2Q_NON_SYSMON_SKIP;
        } else if (strcmp(arg, "pass") == 0) {
            o->non_sysmon = S2Q_NON_SYSMON_PASS;
        } else if (strcmp(arg, "reject") == 0) {
            o->non_sysmon = S2Q_NON_SYSMON_REJECT;
        } else {
            return bad_usage("--non-sysmon: '%s' is not skip, pass or "
                             "reject", arg);
        }
        return 0;
    case OPT_RECEIVED_TIME:
        if (!parse_received(arg, ids->received)) {
            return bad_usage("--received-time: '%s' is not 'now' or a time "
                             "with a zone", arg);
        }
        o->map.received_time = ids->received;
        return 0;
    case OPT_STATS:
        if (arg == NULL || strcmp(arg, "text") == 0) {
            o->stats = S2Q_STATS_TEXT;
        } else if (strcmp(arg, "json") == 0) {
            o->stats = S2Q_STATS_JSON;
        } else {
            return bad_usage("--stats: '%s' is not text or json", arg);
        }
        return 0;
    default:
        break;
    }
    return bad_usage("unknown option");
}

/* Flush what --help, --version or --list-mappings printed. @return the
 * exit status: 0, or 3 after a message when it could not be written. */
static int flushed(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0, "cannot write output: %s",
                 strerror(errno));
        return S2Q_EXIT_IO;
    }
    return S2Q_EXIT_OK;
}

/* An input and its output file in --output-dir. */
struct named {
    const char *input;
    char *output;          /* "" when the path would be too long */
};

static int by_output(const void *a, const void *b)
{
    return strcmp(((const struct named *)a)->output,
                  ((const struct named *)b)->output);
}

/*
 * No output file in --output-dir may be another input's (one would
 * replace the other), an input or the rejects file (as for -o).
 * @return 0, or 2 after a message.
 */
static int check_output_names(const struct s2q_run_opts *o,
                              char *const *inputs, size_t n)
{
    struct named *names = s2q_xcalloc(n, sizeof(*names));
    char path[PATH_MAX];
    int rc = 0;

    for (size_t i = 0; i < n; i++) {
        names[i].input = inputs[i];
        if (!s2q_output_name(o->output_dir, inputs[i], o->compress, path)) {
            path[0] = '\0';
        } else if (rc == 0 &&
                   s2q_outfile_check(path, o->rejects, inputs, n) != 0) {
            rc = S2Q_EXIT_USAGE;
        }
        names[i].output = s2q_xstrdup(path);
    }
    qsort(names, n, sizeof(*names), by_output);
    for (size_t i = 1; i < n && rc == 0; i++) {
        if (names[i].output[0] != '\0' &&
            strcmp(names[i - 1].output, names[i].output) == 0) {
            rc = bad_usage("--output-dir: '%s' and '%s' would both be "
                           "written to '%s'", names[i - 1].input,
                           names[i].input, names[i].output);
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(names[i].output);
    }
    free(names);
    return rc;
}

/* --output-dir needs a folder, named inputs and excludes -o. @return 0
 * or 2. */
static int check_output_dir(const struct s2q_run_opts *o,
                            char *const *inputs, size_t n)
{
    if (o->output_dir == NULL) {
        return 0;
    }
    if (o->output_dir[0] == '\0') {
        return bad_usage("--output-dir needs a folder name");
    }
    if (o->output != NULL) {
        return bad_usage("--output-dir and --output cannot be used "
                         "together");
    }
    if (n == 0) {
        return bad_usage("--output-dir needs input files");
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(inputs[i], "-") == 0) {
            return bad_usage("--output-dir needs input files, not "
                             "standard input");
        }
    }
    return check_output_names(o, inputs, n);
}

int main(int argc, char **argv)
{
    static struct ids ids;
    struct s2q_run_opts o;
    int verbosity = 1;
    int c;
    int rc;

    memset(&o, 0, sizeof(o));
    o.max_record = DEFAULT_MAX_RECORD;
    o.forced = S2Q_SHAPE_COUNT;
    parse_uuid(DEFAULT_NAMESPACE, ids.customer, o.map.namespace_uuid);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hVj:o:qv", long_opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return flushed();
        case 'V':
            printf("sysmon2qql %s\n", S2Q_VERSION);
            return flushed();
        case 'o':
            o.output = optarg;
            break;
        case 'q':
            verbosity = 0;
            break;
        case 'v':
            verbosity = 2;
            break;
        case OPT_LIST_MAPPINGS:
            s2q_list_mappings(stdout);
            return flushed();
        case OPT_NO_PROGRESS:
            o.no_progress = true;
            break;
        case OPT_OUTPUT_DIR:
            o.output_dir = optarg;
            break;
        case OPT_COMPRESS:
            o.compress = true;
            break;
        case OPT_MAPPED_ONLY:
            o.map.mapped_only = true;
            break;
        case OPT_PRETTY:
            o.pretty = true;
            break;
        case OPT_REJECTS:
            o.rejects = optarg;
            break;
        case OPT_STRICT:
            o.strict = true;
            break;
        case ':':
            return bad_usage("option '%s' needs a value", argv[optind - 1]);
        case '?':
            return bad_usage("unknown option '%s'", argv[optind - 1]);
        default:
            rc = set_option(c, optarg, &o, &ids);
            if (rc != 0) {
                return rc;
            }
            break;
        }
    }
    s2q_diag_set_verbosity(verbosity);
    rc = check_output_dir(&o, argv + optind, (size_t)(argc - optind));
    if (rc != 0) {
        return rc;
    }
    if (o.compress && o.output == NULL && o.output_dir == NULL &&
        isatty(STDOUT_FILENO)) {
        return bad_usage("--compress: refusing to write compressed data "
                         "to a terminal");
    }
    return s2q_run(&o, argv + optind, (size_t)(argc - optind));
}
