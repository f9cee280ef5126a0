/*
 * file.c: atomic file output. A result file is either absent, or the previous version,
 * or complete: never half-written. We write a temporary file beside the target (same
 * directory, so rename is atomic on POSIX file systems), flush it to disk, then rename.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../internal.h"

int causa_write_file(causa_ctx *ctx, const char *path, const void *data, size_t len) {
    if (!path || !*path) return causa_i_error(ctx, CAUSA_EINVAL, "output path is empty");
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return causa_i_error(ctx, CAUSA_EIO, "cannot write to standard output: %s",
                                 strerror(errno));
        return CAUSA_OK;
    }
    size_t n = strlen(path);
    char *tmp = causa_i_malloc(ctx, n + 32);
    if (!tmp) return causa_i_nomem(ctx, "temporary file name", n + 32);
    snprintf(tmp, n + 32, "%s.tmp.XXXXXX", path);
    int rc = CAUSA_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = causa_i_error(ctx, CAUSA_EIO, "cannot create a temporary file beside '%s': %s", path,
                           strerror(errno));
        goto done;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR) continue;
            rc = causa_i_error(ctx, CAUSA_EIO, "cannot write '%s': %s", path, strerror(errno));
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    /* Files get the usual permissions (mkstemp makes them 0600). */
    if (rc == CAUSA_OK) {
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (rc == CAUSA_OK && fsync(fd) != 0 && errno != EINVAL)
        rc = causa_i_error(ctx, CAUSA_EIO, "cannot flush '%s': %s", path, strerror(errno));
    if (close(fd) != 0 && rc == CAUSA_OK)
        rc = causa_i_error(ctx, CAUSA_EIO, "cannot close '%s': %s", path, strerror(errno));
    if (rc == CAUSA_OK && rename(tmp, path) != 0)
        rc = causa_i_error(ctx, CAUSA_EIO, "cannot rename the temporary file to '%s': %s", path,
                           strerror(errno));
    if (rc != CAUSA_OK) unlink(tmp);
done:
    causa_i_free(ctx, tmp);
    return rc;
}
