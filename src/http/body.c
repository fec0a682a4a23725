/* Request bodies as they arrive. A JSON body is kept in memory (it is small: the route's limit);
 * an upload or an import (GD_R_BIG_BODY, GD_R_CSV_BODY) is written to an unlinked temporary file under the data
 * directory and mapped when complete, so a large upload costs page cache, not the heap. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/log.h"
#include "http/req.h"

static int spool_open(const char *dir)
{
    mkdir(dir, 0700); /* the data directory may not exist yet (it is made on first use) */
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) { /* a file system without O_TMPFILE: create, then unlink at once */
        char path[1024];
        snprintf(path, sizeof(path), "%s/.upload-XXXXXX", dir);
        fd = mkostemp(path, O_CLOEXEC);
        if (fd >= 0) {
            unlink(path);
        }
    }
    return fd;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

bool gd_http__body_add(struct gd_req *r, const char *data, size_t n)
{
    if (!(r->route && (r->route->flags & (GD_R_BIG_BODY | GD_R_CSV_BODY)))) {
        gd_strbuf_add(&r->body, data, n);
        return true;
    }
    if (r->spool_fd < 0) {
        r->spool_fd = spool_open(gd_server_data_dir(r->srv));
        if (r->spool_fd < 0) {
            gd_log(GD_LOG_ERROR, "cannot create an upload file in '%s': %s",
                   gd_server_data_dir(r->srv), strerror(errno));
            return false;
        }
    }
    if (!write_all(r->spool_fd, data, n)) {
        gd_log(GD_LOG_ERROR, "cannot write an upload file: %s", strerror(errno));
        return false;
    }
    r->body.len += n;
    return true;
}

bool gd_http__body_finish(struct gd_req *r)
{
    if (r->spool_fd < 0 || r->body.len == 0) {
        return true;
    }
    /* one NUL after the data, so readers that expect a terminated buffer stay inside the map */
    if (!write_all(r->spool_fd, "", 1)) {
        return false;
    }
    void *p = mmap(NULL, r->body.len + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE, r->spool_fd, 0);
    if (p == MAP_FAILED) {
        gd_log(GD_LOG_ERROR, "cannot map an upload file: %s", strerror(errno));
        return false;
    }
    r->body.buf = p;
    r->body_mapped = true;
    return true;
}

void gd_http__body_release(struct gd_req *r)
{
    if (r->body_mapped) {
        munmap(r->body.buf, r->body.len + 1);
        r->body.buf = NULL;
        r->body.len = 0;
    }
    if (r->spool_fd >= 0) {
        close(r->spool_fd);
        r->spool_fd = -1;
    }
    gd_strbuf_release(&r->body);
}
