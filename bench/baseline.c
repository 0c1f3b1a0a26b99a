/*
 * baseline.c - the "cJSON parse+print" baseline of the benchmark.
 *
 * Reads JSON lines on standard input, parses each line with cJSON and
 * prints it back unformatted, one object per line, on standard output.
 * It does no mapping at all: it is the cost of the JSON library alone,
 * which sysmon2qql must beat.  With --parse-only it only parses (and
 * frees) each line and prints the number of records at the end.
 *
 * Input is read in 1 MiB blocks and split with memchr; output goes
 * through a 1 MiB buffer flushed with write(2).  Blank lines are skipped;
 * a line that is not valid JSON stops the run with status 1.
 *
 *   baseline [--parse-only] < events.jsonl > out.jsonl
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK_SIZE ((size_t)1 << 20)
#define OUT_SIZE ((size_t)1 << 20)

struct baseline {
    int parse_only;
    unsigned long long line_no;
    unsigned long long records;
    char *in;
    size_t in_cap;
    size_t in_len;
    char *out;
    size_t out_len;
};

/* Print a message and exit with status 1: the run cannot go on. */
static void die(const char *what, unsigned long long line_no)
{
    if (line_no > 0) {
        fprintf(stderr, "baseline: line %llu: %s\n", line_no, what);
    } else {
        fprintf(stderr, "baseline: %s\n", what);
    }
    exit(1);
}

/* Write all of data to standard output, going on after short writes. */
static void write_all(const char *data, size_t len)
{
    ssize_t n;

    while (len > 0) {
        n = write(STDOUT_FILENO, data, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            die(strerror(errno), 0);
        }
        data += n;
        len -= (size_t)n;
    }
}

/* Flush the output buffer. */
static void out_flush(struct baseline *b)
{
    write_all(b->out, b->out_len);
    b->out_len = 0;
}

/* Append data to the output buffer, flushing it when full; a piece larger
 * than the buffer is written straight through. */
static void out_append(struct baseline *b, const char *data, size_t len)
{
    if (len > OUT_SIZE - b->out_len) {
        out_flush(b);
    }
    if (len >= OUT_SIZE) {
        write_all(data, len);
        return;
    }
    memcpy(b->out + b->out_len, data, len);
    b->out_len += len;
}

/* Parse one line, print it back (unless parse-only) and free it. */
static void handle_line(struct baseline *b, const char *line, size_t len)
{
    cJSON *root;
    char *text;

    b->line_no++;
    if (len > 0 && line[len - 1] == '\r') {
        len--;
    }
    if (len == 0) {
        return;
    }
    root = cJSON_ParseWithLength(line, len);
    if (root == NULL) {
        die("invalid JSON", b->line_no);
    }
    b->records++;
    if (!b->parse_only) {
        text = cJSON_PrintUnformatted(root);
        if (text == NULL) {
            die("out of memory", b->line_no);
        }
        out_append(b, text, strlen(text));
        out_append(b, "\n", 1);
        cJSON_free(text);
    }
    cJSON_Delete(root);
}

/* Handle every complete line in the input buffer and move the partial
 * last line, if any, to the front. */
static void handle_block(struct baseline *b)
{
    char *start;
    char *end;
    char *nl;

    start = b->in;
    end = b->in + b->in_len;
    nl = memchr(start, '\n', (size_t)(end - start));
    while (nl != NULL) {
        handle_line(b, start, (size_t)(nl - start));
        start = nl + 1;
        nl = memchr(start, '\n', (size_t)(end - start));
    }
    b->in_len = (size_t)(end - start);
    memmove(b->in, start, b->in_len);
}

/* Make room for one more block after the pending partial line. */
static void reserve_block(struct baseline *b)
{
    char *grown;

    if (b->in_cap - b->in_len >= BLOCK_SIZE) {
        return;
    }
    grown = realloc(b->in, b->in_cap * 2);
    if (grown == NULL) {
        die("out of memory", 0);
    }
    b->in = grown;
    b->in_cap *= 2;
}

/* Read standard input to the end, handling each line. */
static void run(struct baseline *b)
{
    ssize_t n;

    for (;;) {
        reserve_block(b);
        n = read(STDIN_FILENO, b->in + b->in_len, BLOCK_SIZE);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            die(strerror(errno), 0);
        }
        if (n == 0) {
            break;
        }
        b->in_len += (size_t)n;
        handle_block(b);
    }
    if (b->in_len > 0) {
        handle_line(b, b->in, b->in_len);
    }
    out_flush(b);
}

/* Parse the one option, then copy or count standard input. */
int main(int argc, char **argv)
{
    struct baseline b;
    char count[32];
    int n;

    memset(&b, 0, sizeof b);
    if (argc == 2 && strcmp(argv[1], "--parse-only") == 0) {
        b.parse_only = 1;
    } else if (argc != 1) {
        fputs("usage: baseline [--parse-only] < IN.jsonl > OUT.jsonl\n",
              stderr);
        return 2;
    }
    b.in_cap = 2 * BLOCK_SIZE;
    b.in = malloc(b.in_cap);
    b.out = malloc(OUT_SIZE);
    if (b.in == NULL || b.out == NULL) {
        die("out of memory", 0);
    }
    run(&b);
    if (b.parse_only) {
        n = snprintf(count, sizeof count, "%llu\n", b.records);
        write_all(count, (size_t)n);
    }
    free(b.in);
    free(b.out);
    return 0;
}
