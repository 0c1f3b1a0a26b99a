/*
 * diag.c - messages on standard error.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "s2q/buf.h"
#include "s2q/diag.h"

static int verbosity = 1;

/* A progress line is on the terminal, to be erased before a message. */
static bool progress_shown;

void s2q_diag_set_verbosity(int v)
{
    verbosity = v;
}

int s2q_diag_verbosity(void)
{
    return verbosity;
}

/*
 * Copy a message with everything a terminal would act on escaped:
 * control characters and invalid bytes as \xNN, other characters a
 * terminal acts on (s2q_terminal_acts_on) as \uNNNN. Values from records
 * reach messages, and a crafted value must not rewrite the reader's
 * screen or forge a line.
 */
static void make_safe(const char *in, char *out, size_t size)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t n = strlen(in);
    size_t j = 0;

    for (size_t i = 0; i < n && j + 12 < size;) {
        size_t len = s2q_utf8_length(p + i, n - i);

        if (len == 0 || (len == 1 && (p[i] < 0x20 || p[i] == 0x7F))) {
            j += (size_t)snprintf(out + j, size - j, "\\x%02x", p[i]);
            i++;
        } else if (len > 1 &&
                   s2q_terminal_acts_on(s2q_utf8_decode(p + i, len))) {
            j += (size_t)snprintf(out + j, size - j, "\\u%04lx",
                                  s2q_utf8_decode(p + i, len));
            i += len;
        } else {
            memcpy(out + j, p + i, len);
            j += len;
            i += len;
        }
    }
    out[j] = '\0';
}

void s2q_diag(enum s2q_level level, const char *file, unsigned long line,
              const char *fmt, ...)
{
    static const char *const names[] = { "error: ", "warning: ", "" };
    char raw[1024];
    char msg[4096];
    char where[1024];
    va_list ap;

    if ((level == S2Q_LEVEL_WARNING && verbosity < 1) ||
        (level == S2Q_LEVEL_INFO && verbosity < 2)) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    s2q_diag_progress_end();
    make_safe(raw, msg, sizeof(msg));
    if (file != NULL) {
        make_safe(file, where, sizeof(where));
    }
    if (file != NULL && line > 0) {
        fprintf(stderr, "sysmon2qql: %s:%lu: %s%s\n", where, line,
                names[level], msg);
    } else if (file != NULL) {
        fprintf(stderr, "sysmon2qql: %s: %s%s\n", where, names[level], msg);
    } else {
        fprintf(stderr, "sysmon2qql: %s%s\n", names[level], msg);
    }
}

void s2q_diag_progress(const char *text)
{
    fprintf(stderr, "\r\033[K%s", text);
    fflush(stderr);
    progress_shown = true;
}

void s2q_diag_progress_end(void)
{
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        progress_shown = false;
    }
}
