/*
 * diag.c - messages on standard error.
 */
#include <stdarg.h>
#include <stdio.h>

#include "s2q/diag.h"

static int verbosity = 1;

void s2q_diag_set_verbosity(int v)
{
    verbosity = v;
}

int s2q_diag_verbosity(void)
{
    return verbosity;
}

void s2q_diag(enum s2q_level level, const char *file, unsigned long line,
              const char *fmt, ...)
{
    static const char *const names[] = { "error: ", "warning: ", "" };
    char msg[1024];
    va_list ap;

    if ((level == S2Q_LEVEL_WARNING && verbosity < 1) ||
        (level == S2Q_LEVEL_INFO && verbosity < 2)) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (file != NULL && line > 0) {
        fprintf(stderr, "sysmon2qql: %s:%lu: %s%s\n", file, line,
                names[level], msg);
    } else if (file != NULL) {
        fprintf(stderr, "sysmon2qql: %s: %s%s\n", file, names[level], msg);
    } else {
        fprintf(stderr, "sysmon2qql: %s%s\n", names[level], msg);
    }
}
