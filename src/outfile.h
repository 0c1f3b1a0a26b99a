/*
 * outfile.h - the output file of a run (private to run.c and outfile.c).
 */
#ifndef S2Q_OUTFILE_H
#define S2Q_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Most processes converting files at once. */
#define S2Q_MAX_CHILDREN 64

/**
 * Catch every signal whose default action ends the process (removing the
 * temporary output file before dying of it), and ignore SIGPIPE so that a
 * closed pipe is a write error (EPIPE).
 */
void s2q_outfile_signals(void);

/**
 * Open the output FILE. A regular file (or a new one) is written under a
 * temporary name beside it, with the permissions of the file it replaces;
 * a device or a FIFO is written directly; a link is followed.
 * @return the descriptor, or -1 with errno set
 */
int s2q_outfile_open(const char *path);

/** The processes a signal that ends this one is passed on to (replaces
 * any earlier list; n = 0 clears it). */
void s2q_outfile_children(const pid_t *pids, size_t n);

/** Is the output being written under a temporary name? */
bool s2q_outfile_is_temporary(void);

/**
 * End the temporary output: with keep, rename it to its final name;
 * without, remove it. @return 0, or -1 with errno set when the rename
 * failed.
 */
int s2q_outfile_commit(bool keep);

/**
 * Refuse an output or rejects file that is one of the inputs, or one file
 * for both. @return 0, or -1 after a message on standard error
 */
int s2q_outfile_check(const char *output, const char *rejects,
                      char *const *inputs, size_t n);

/**
 * Refuse standard output when it is a file that is also an input (output
 * appended to an input, say: sysmon2qql x.json >> x.json), or the
 * rejects file (NULL: none).
 * @return 0, or -1 after a message on standard error
 */
int s2q_outfile_check_stdout(const char *rejects, char *const *inputs,
                             size_t n);

/** s2q_write_all, telling in *done how many bytes were written (all of
 * them, or those before the failure). */
int s2q_write_counted(int fd, const char *p, size_t n, size_t *done);

/** Write all of a buffer to a descriptor. @return 0 or an errno value. */
int s2q_write_all(int fd, const char *p, size_t n);

#endif /* S2Q_OUTFILE_H */
