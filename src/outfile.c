/*
 * outfile.c - the output file: written under a temporary name and renamed
 * when the run completes, never over an input, removed when a signal ends
 * the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "s2q/diag.h"
#include "outfile.h"

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

/* Processes converting files for this one: a signal is passed on. */
static pid_t children[S2Q_MAX_CHILDREN];
static volatile sig_atomic_t nchildren;

/* On a signal that ends the run: remove the partial output, then die of
 * the signal as if it had not been caught. */
static void on_signal(int sig)
{
    if (tmp_active) {
        unlink(tmp_path);
    }
    for (sig_atomic_t i = 0; i < nchildren; i++) {
        kill(children[i], sig);
    }
    /* Wait for them to clean up and end, so that none is left behind. */
    for (sig_atomic_t i = 0; i < nchildren; i++) {
        while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR) {
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Catch every signal whose default action ends the process, and let a
 * closed pipe be a write error (EPIPE) instead of a silent death. */
void s2q_outfile_signals(void)
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
int s2q_outfile_open(const char *path)
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

int s2q_write_counted(int fd, const char *p, size_t n, size_t *done)
{
    *done = 0;
    while (*done < n) {
        ssize_t w = write(fd, p + *done, n - *done);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            return errno;
        }
        *done += (size_t)w;
    }
    return 0;
}

int s2q_write_all(int fd, const char *p, size_t n)
{
    size_t done;

    return s2q_write_counted(fd, p, n, &done);
}

/* Are a and b the same file? */
static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/*
 * Is the regular file target also one of the inputs? Standard input is
 * one when it is named ("-") or when there are no inputs.
 * @return the input's name, or NULL
 */
static const char *input_is(const struct stat *target, char *const *inputs,
                            size_t n)
{
    struct stat in;
    bool stdin_read = n == 0;

    if (!S_ISREG(target->st_mode)) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(inputs[i], "-") == 0) {
            stdin_read = true;
        } else if (stat(inputs[i], &in) == 0 && same_file(&in, target)) {
            return inputs[i];
        }
    }
    if (stdin_read && fstat(STDIN_FILENO, &in) == 0 &&
        same_file(&in, target)) {
        return "standard input";
    }
    return NULL;
}

/* Is path an existing file that is also one of the inputs? */
static const char *input_at(const char *path, char *const *inputs, size_t n)
{
    struct stat target;

    return stat(path, &target) == 0 ? input_is(&target, inputs, n) : NULL;
}

int s2q_outfile_check_stdout(const char *rejects, char *const *inputs,
                             size_t n)
{
    struct stat out, rej;
    const char *input;

    if (fstat(STDOUT_FILENO, &out) != 0) {
        return 0;
    }
    input = input_is(&out, inputs, n);
    if (input != NULL) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                 "standard output is also an input (%s): refusing to "
                 "write to it", input);
        return -1;
    }
    if (rejects != NULL && S_ISREG(out.st_mode) && stat(rejects, &rej) == 0 &&
        same_file(&out, &rej)) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                 "the output and the rejects cannot share the file '%s'",
                 rejects);
        return -1;
    }
    return 0;
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
int s2q_outfile_check(const char *output, const char *rejects,
                      char *const *inputs, size_t n)
{
    const char *targets[2] = { output, rejects };
    char a[PATH_MAX], b[PATH_MAX];

    const char *input;

    for (size_t i = 0; i < 2; i++) {
        if (targets[i] == NULL || strcmp(targets[i], "-") == 0) {
            continue;
        }
        input = input_at(targets[i], inputs, n);
        if (input != NULL && strcmp(input, targets[i]) == 0) {
            s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                     "'%s' is also an input: refusing to overwrite it",
                     targets[i]);
            return -1;
        }
        if (input != NULL) {
            s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                     "'%s' is also an input (%s): refusing to overwrite it",
                     targets[i], input);
            return -1;
        }
    }
    if (output != NULL && rejects != NULL &&
        strcmp(output, "-") != 0 &&
        (strcmp(output, rejects) == 0 ||
         (resolve_path(output, a) && resolve_path(rejects, b) &&
          strcmp(a, b) == 0))) {
        s2q_diag(S2Q_LEVEL_ERROR, NULL, 0,
                 "the output and the rejects cannot share the file '%s'",
                 rejects);
        return -1;
    }
    return 0;
}

void s2q_outfile_children(const pid_t *pids, size_t n)
{
    nchildren = 0;
    for (size_t i = 0; i < n && i < S2Q_MAX_CHILDREN; i++) {
        children[i] = pids[i];
    }
    nchildren = (sig_atomic_t)(n < S2Q_MAX_CHILDREN ? n : S2Q_MAX_CHILDREN);
}

bool s2q_outfile_is_temporary(void)
{
    return tmp_active != 0;
}

int s2q_outfile_commit(bool keep)
{
    int rc = 0;

    if (!tmp_active) {
        return 0;
    }
    if (keep && rename(tmp_path, final_path) != 0) {
        rc = -1;
    }
    unlink(tmp_path);
    tmp_active = 0;
    return rc;
}
