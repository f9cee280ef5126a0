/*
 * draw.c: pictures (SVG, PNG, PDF) through Graphviz's `dot`.
 *
 * The graph is written as DOT (fmt_dot.c: PAG marks as odot / normal / none arrow shapes
 * with dir=both, latent nodes dashed, labels unless opt->edge_labels is 0) to a temporary
 * file beside the target; `dot -T<format> -o <temporary picture> <temporary DOT>` runs as a
 * child process (fork and execvp, no shell, its output captured); on success the picture is
 * renamed over the target, so a target is never half-written. Both temporaries are removed
 * in every case.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lex_i.h"

/* Writes all of data to fd. */
static int write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Runs argv (argv[0] looked up on PATH). *exec_errno is the errno of a failed execvp (0 if
 * the program ran); *status its wait status; its stderr and stdout (at most size - 1 bytes)
 * go to msg. */
static int run(causa_ctx *ctx, char *const argv[], int *exec_errno, int *status, char *msg,
               size_t size) {
    int errpipe[2], outpipe[2];
    *exec_errno = 0;
    *status = 0;
    msg[0] = '\0';
    if (pipe(errpipe) != 0)
        return causa_i_error(ctx, CAUSA_EIO, "cannot create a pipe: %s", strerror(errno));
    if (pipe(outpipe) != 0) {
        close(errpipe[0]);
        close(errpipe[1]);
        return causa_i_error(ctx, CAUSA_EIO, "cannot create a pipe: %s", strerror(errno));
    }
    /* The exec-error pipe closes on a successful exec, so the parent reads 0 bytes then. */
    fcntl(errpipe[1], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(errpipe[0]);
        close(errpipe[1]);
        close(outpipe[0]);
        close(outpipe[1]);
        return causa_i_error(ctx, CAUSA_EIO, "cannot start a process: %s", strerror(e));
    }
    if (pid == 0) {
        /* child: stdout and stderr to the message pipe, stdin from /dev/null */
        close(errpipe[0]);
        close(outpipe[0]);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(outpipe[1], 1);
        dup2(outpipe[1], 2);
        execvp(argv[0], argv);
        int e = errno;
        ssize_t ignored = write(errpipe[1], &e, sizeof e);
        (void)ignored;
        _exit(127);
    }
    close(errpipe[1]);
    close(outpipe[1]);
    size_t n = 0;
    char chunk[512];
    for (;;) {
        ssize_t r = read(outpipe[0], chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        for (ssize_t i = 0; i < r && n + 1 < size; i++) msg[n++] = chunk[i];
    }
    msg[n] = '\0';
    close(outpipe[0]);
    int e = 0;
    ssize_t r;
    do {
        r = read(errpipe[0], &e, sizeof e);
    } while (r < 0 && errno == EINTR);
    close(errpipe[0]);
    if (r == (ssize_t)sizeof e) *exec_errno = e;
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR)
            return causa_i_error(ctx, CAUSA_EIO, "cannot wait for Graphviz: %s", strerror(errno));
    }
    return CAUSA_OK;
}

int causa_i_draw(causa_ctx *ctx, const causa_graph *g, const char *path, int format,
                 const causa_graph_io_options *opt) {
    const char *type = format == CAUSA_FORMAT_SVG   ? "svg"
                       : format == CAUSA_FORMAT_PNG ? "png"
                                                    : "pdf";
    if (strcmp(path, "-") == 0)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "a %s picture goes to a file, not to standard output", type);
    int rc = CAUSA_OK;
    causa_i_buf b;
    causa_i_buf_init(&b, ctx);
    size_t n = strlen(path) + 32;
    char *dotfile = NULL, *picfile = NULL;
    int dotfd = -1, picfd = -1;
    CAUSA_TRY(causa_i_write_dot(ctx, g, opt, &b));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&dotfile, n, "temporary file name"));
    dotfile[0] = '\0';
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&picfile, n, "temporary file name"));
    picfile[0] = '\0';
    snprintf(dotfile, n, "%s.dot.XXXXXX", path);
    dotfd = mkstemp(dotfile);
    if (dotfd < 0) {
        dotfile[0] = '\0';
        rc = causa_i_error(ctx, CAUSA_EIO, "cannot create a temporary file beside '%s': %s", path,
                           strerror(errno));
        goto done;
    }
    snprintf(picfile, n, "%s.tmp.XXXXXX", path);
    picfd = mkstemp(picfile);
    if (picfd < 0) {
        picfile[0] = '\0';
        rc = causa_i_error(ctx, CAUSA_EIO, "cannot create a temporary file beside '%s': %s", path,
                           strerror(errno));
        goto done;
    }
    close(picfd);
    picfd = -1;
    if (write_all(dotfd, b.data, b.len) != 0 || close(dotfd) != 0) {
        dotfd = -1;
        rc = causa_i_error(ctx, CAUSA_EIO, "cannot write '%s': %s", dotfile, strerror(errno));
        goto done;
    }
    dotfd = -1;
    char targ[8], oarg[4] = "-o";
    snprintf(targ, sizeof targ, "-T%s", type);
    char prog[] = "dot";
    char *argv[] = {prog, targ, oarg, picfile, dotfile, NULL};
    int exec_errno, status;
    char msg[512];
    CAUSA_TRY(run(ctx, argv, &exec_errno, &status, msg, sizeof msg));
    if (exec_errno == ENOENT) {
        rc = causa_i_error(ctx, CAUSA_EUNSUPPORTED,
                           "Graphviz 'dot' was not found on PATH; install the Debian package "
                           "graphviz");
        goto done;
    }
    if (exec_errno) {
        rc = causa_i_error(ctx, CAUSA_EUNSUPPORTED, "cannot run Graphviz 'dot': %s",
                           strerror(exec_errno));
        goto done;
    }
    /* the first line of what dot said, for the message */
    char *nl = strchr(msg, '\n');
    if (nl) *nl = '\0';
    if (WIFSIGNALED(status)) {
        rc = causa_i_error(ctx, CAUSA_EIO, "Graphviz 'dot -T%s' was killed by signal %d%s%s", type,
                           WTERMSIG(status), msg[0] ? ": " : "", msg);
        goto done;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        rc = causa_i_error(ctx, CAUSA_EIO, "Graphviz 'dot -T%s' failed with exit status %d%s%s",
                           type, WIFEXITED(status) ? WEXITSTATUS(status) : -1, msg[0] ? ": " : "",
                           msg);
        goto done;
    }
    mode_t mask = umask(0);
    umask(mask);
    chmod(picfile, 0666 & ~mask);
    if (rename(picfile, path) != 0) {
        rc = causa_i_error(ctx, CAUSA_EIO, "cannot rename the picture to '%s': %s", path,
                           strerror(errno));
        goto done;
    }
    picfile[0] = '\0'; /* renamed: nothing to remove */
done:
    if (dotfd >= 0) close(dotfd);
    if (dotfile && dotfile[0]) unlink(dotfile);
    if (picfile && picfile[0]) unlink(picfile);
    causa_i_free(ctx, dotfile);
    causa_i_free(ctx, picfile);
    causa_i_buf_free(&b);
    return rc;
}
