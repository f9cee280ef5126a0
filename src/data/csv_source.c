/*
 * csv_source.c: brings a whole input file into memory for the two-pass CSV reader.
 *
 * A regular file is mapped read-only: its pages belong to the page cache, so reading a
 * file costs no heap beyond the final matrix, and the first pass (counting records) and the
 * second (parsing) both run at memory speed. Pipes, standard input ("-") and files that
 * cannot be mapped are read into a buffer from the context's allocator instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_i.h"

/* Files up to this size are mapped with MAP_POPULATE (all pages at once, which is much
 * faster than a fault per page); larger ones are faulted in as the passes go, so a file
 * larger than memory does not have to fit. */
#define POPULATE_LIMIT ((size_t)2 << 30)

static int read_fd(causa_ctx *ctx, int fd, const char *path, size_t hint, csv_source *src) {
    size_t cap = hint ? hint + 1 : 1 << 16, len = 0;
    char *buf = causa_i_malloc(ctx, cap);
    if (!buf) return causa_i_nomem(ctx, "the input text", cap);
    for (;;) {
        if (len == cap) {
            size_t ncap = cap < ((size_t)1 << 30) ? cap * 2 : cap + ((size_t)1 << 30);
            char *nb = causa_i_realloc(ctx, buf, ncap);
            if (!nb) {
                causa_i_free(ctx, buf);
                return causa_i_nomem(ctx, "the input text", ncap);
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            causa_i_free(ctx, buf);
            return causa_i_error(ctx, CAUSA_EIO, "cannot read '%s': %s", path, strerror(e));
        }
        if (r == 0) break;
        len += (size_t)r;
        if (len % (64u << 20) < (size_t)r) { /* every 64 MiB or so */
            int rc = causa_i_check_interrupt(ctx);
            if (rc) {
                causa_i_free(ctx, buf);
                return rc;
            }
        }
    }
    src->buf = buf;
    src->data = buf;
    src->len = len;
    return CAUSA_OK;
}

int causa_i_csv_source_open(causa_ctx *ctx, const char *path, csv_source *src) {
    memset(src, 0, sizeof *src);
    src->ctx = ctx;
    src->data = "";
    if (strcmp(path, "-") == 0) return read_fd(ctx, STDIN_FILENO, "standard input", 0, src);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return causa_i_error(ctx, CAUSA_EIO, "cannot open '%s': %s", path, strerror(errno));
    int rc = CAUSA_OK;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = causa_i_error(ctx, CAUSA_EIO, "cannot read '%s': %s", path, strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = causa_i_error(ctx, CAUSA_EIO, "cannot read '%s': %s", path, strerror(EISDIR));
        goto done;
    }
    if (S_ISREG(st.st_mode)) {
        if (st.st_size == 0) goto done; /* empty: data "" */
        size_t size = (size_t)st.st_size;
        int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
        if (size <= POPULATE_LIMIT) flags |= MAP_POPULATE;
#endif
        void *map = mmap(NULL, size, PROT_READ, flags, fd, 0);
        if (map != MAP_FAILED) {
#ifdef MADV_SEQUENTIAL
            if (size > POPULATE_LIMIT) madvise(map, size, MADV_SEQUENTIAL);
#endif
            src->map = map;
            src->data = map;
            src->len = size;
            goto done;
        }
        rc = read_fd(ctx, fd, path, size, src);
        goto done;
    }
    rc = read_fd(ctx, fd, path, 0, src);
done:
    close(fd);
    return rc;
}

void causa_i_csv_source_close(csv_source *src) {
    if (src->map) munmap(src->map, src->len);
    causa_i_free(src->ctx, src->buf);
    src->map = NULL;
    src->buf = NULL;
}
