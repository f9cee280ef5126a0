/*
 * file.c: atomic file output. A result file is either absent, or the previous version, or
 * complete: never half-written. Output goes to a temporary file beside the target (same
 * directory, so rename is atomic on POSIX file systems), is flushed to disk, then renamed
 * over the target; on any failure the temporary file is removed and the target untouched.
 * causa_i_out_* write in pieces (a large CSV need not exist twice in memory, a .npy file is
 * a header plus the matrix as it lies); causa_write_file writes one buffer through them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../internal.h"

int causa_i_out_open(causa_ctx *ctx, const char *path, causa_i_out *o) {
    memset(o, 0, sizeof *o);
    o->ctx = ctx;
    o->path = path;
    o->fd = -1;
    if (!path || !*path) return causa_i_error(ctx, CAUSA_EINVAL, "output path is empty");
    if (strcmp(path, "-") == 0) {
        fflush(stdout); /* what the caller printed through stdio comes first */
        o->fd = STDOUT_FILENO;
        return CAUSA_OK;
    }
    size_t n = strlen(path) + 32;
    o->tmp = causa_i_malloc(ctx, n);
    if (!o->tmp) return causa_i_nomem(ctx, "temporary file name", n);
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0) {
        int e = errno;
        causa_i_free(ctx, o->tmp);
        o->tmp = NULL;
        return causa_i_error(ctx, CAUSA_EIO, "cannot create a temporary file beside '%s': %s", path,
                             strerror(e));
    }
    return CAUSA_OK;
}

int causa_i_out_write(causa_i_out *o, const void *data, size_t len) {
    if (o->failed) return CAUSA_EIO;
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(o->fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            o->failed = 1;
            if (!o->tmp)
                return causa_i_error(o->ctx, CAUSA_EIO, "cannot write to standard output: %s",
                                     strerror(errno));
            return causa_i_error(o->ctx, CAUSA_EIO, "cannot write '%s': %s", o->path,
                                 strerror(errno));
        }
        p += w;
        len -= (size_t)w;
    }
    return CAUSA_OK;
}

void causa_i_out_abort(causa_i_out *o) {
    if (o->tmp) {
        if (o->fd >= 0) close(o->fd);
        unlink(o->tmp);
        causa_i_free(o->ctx, o->tmp);
    }
    o->tmp = NULL;
    o->fd = -1;
}

int causa_i_out_commit(causa_i_out *o) {
    if (o->failed) {
        causa_i_out_abort(o);
        return CAUSA_EIO;
    }
    if (!o->tmp) { /* standard output: nothing to rename */
        o->fd = -1;
        return CAUSA_OK;
    }
    int rc = CAUSA_OK;
    /* Files get the usual permissions (mkstemp makes them 0600). */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(o->fd, 0666 & ~mask);
    if (fsync(o->fd) != 0 && errno != EINVAL)
        rc = causa_i_error(o->ctx, CAUSA_EIO, "cannot flush '%s': %s", o->path, strerror(errno));
    if (close(o->fd) != 0 && rc == CAUSA_OK)
        rc = causa_i_error(o->ctx, CAUSA_EIO, "cannot close '%s': %s", o->path, strerror(errno));
    o->fd = -1;
    if (rc == CAUSA_OK && rename(o->tmp, o->path) != 0)
        rc = causa_i_error(o->ctx, CAUSA_EIO, "cannot rename the temporary file to '%s': %s",
                           o->path, strerror(errno));
    if (rc != CAUSA_OK) unlink(o->tmp);
    causa_i_free(o->ctx, o->tmp);
    o->tmp = NULL;
    return rc;
}

int causa_write_file(causa_ctx *ctx, const char *path, const void *data, size_t len) {
    causa_i_out o;
    int rc = causa_i_out_open(ctx, path, &o);
    if (rc) return rc;
    rc = causa_i_out_write(&o, data, len);
    if (rc) {
        causa_i_out_abort(&o);
        return rc;
    }
    return causa_i_out_commit(&o);
}
