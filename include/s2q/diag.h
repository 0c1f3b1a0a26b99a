/*
 * diag.h - messages on standard error.
 *
 * Every message has the form
 *   sysmon2qql: FILE:LINE: LEVEL: MESSAGE
 * with "FILE:LINE: " left out when no record is concerned and "LEVEL: "
 * left out for plain notes (the summary).
 */
#ifndef S2Q_DIAG_H
#define S2Q_DIAG_H

enum s2q_level {
    S2Q_LEVEL_ERROR,
    S2Q_LEVEL_WARNING,
    S2Q_LEVEL_INFO      /* shown with -v */
};

/** How much to show: errors only (-q), also warnings (default), also
 * info (-v). */
void s2q_diag_set_verbosity(int verbosity);

/** The current verbosity: 0 quiet, 1 default, 2 and more verbose. */
int s2q_diag_verbosity(void);

/**
 * Print one message on standard error, unless its level is hidden.
 * file may be NULL (no location); line 0 means a whole file.
 */
void s2q_diag(enum s2q_level level, const char *file, unsigned long line,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * Draw a progress line on standard error, replacing the previous one in
 * place (the caller makes sure standard error is a terminal). A message
 * printed afterwards first erases it.
 */
void s2q_diag_progress(const char *text);

/** Erase the progress line, if one is shown. */
void s2q_diag_progress_end(void);

#endif /* S2Q_DIAG_H */
