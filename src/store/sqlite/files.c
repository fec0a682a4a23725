/* Stored bytes with SQLite (store.h, "stored bytes"): files under the data directory,
 * <dir>/<folder>/<key[0..1]>/<key[2..]>. The process that owns the database file owns these
 * too, so no other node needs to read them. Each is written to a temporary name, synced and
 * renamed: a reader never sees half of one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/log.h"
#include "store/sqlite/sqlite_int.h"

static int path_of(const char *dir, const char *folder, const char *key, char *out, size_t cap,
                   struct gd_err *err)
{
    if (strlen(key) < 3 || strchr(key, '/') || key[0] == '.') {
        return gd_err_set(err, GD_EINVAL, "'%s' is not a stored file's key", key);
    }
    if ((size_t)snprintf(out, cap, "%s/%s/%.2s/%s", dir ? dir : "data", folder, key, key + 2) >=
        cap) {
        return gd_err_set(err, GD_EINVAL, "the data directory's name is too long");
    }
    return GD_OK;
}

static int mkdir_one(const char *d, struct gd_err *err)
{
    if (mkdir(d, 0750) && errno != EEXIST) {
        gd_log(GD_LOG_ERROR, "cannot create directory '%s': %s", d, strerror(errno));
        return gd_err_set(err, GD_EIO, "cannot store the file");
    }
    return GD_OK;
}

/* Creates <dir>, <dir>/<folder> and <dir>/<folder>/<key[0..1]>. */
static int make_dirs(const char *dir, const char *folder, const char *key, struct gd_err *err)
{
    char d[1024];
    int ret;
    dir = dir ? dir : "data";
    snprintf(d, sizeof(d), "%s/%s", dir, folder);
    if ((ret = mkdir_one(dir, err)) || (ret = mkdir_one(d, err))) {
        return ret;
    }
    snprintf(d, sizeof(d), "%s/%s/%.2s", dir, folder, key);
    return mkdir_one(d, err);
}

int gd_sq__blob_put(struct gd_store *s, const char *dir, const char *folder, const char *key,
                    const void *data, size_t size, struct gd_err *err)
{
    struct stat st;
    char path[1024], tmp[1100];
    int fd = -1, ret;
    size_t done = 0;

    (void)s;
    if ((ret = path_of(dir, folder, key, path, sizeof(path), err)) ||
        (ret = make_dirs(dir, folder, key, err))) {
        return ret;
    }
    if (stat(path, &st) == 0) {
        return GD_OK; /* the same content is already stored */
    }
    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        gd_log(GD_LOG_ERROR, "cannot create '%s': %s", tmp, strerror(errno));
        return gd_err_set(err, GD_EIO, "cannot store the file");
    }
    while (done < size) {
        ssize_t w = write(fd, (const char *)data + done, size - done);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            gd_log(GD_LOG_ERROR, "cannot write '%s': %s", tmp, strerror(errno));
            ret = gd_err_set(err, GD_EIO, "cannot store the file");
            goto out;
        }
        done += (size_t)w;
    }
    if (fsync(fd) || rename(tmp, path)) {
        gd_log(GD_LOG_ERROR, "cannot store '%s': %s", path, strerror(errno));
        ret = gd_err_set(err, GD_EIO, "cannot store the file");
    }
out:
    close(fd);
    if (ret) {
        unlink(tmp);
    }
    return ret;
}

int gd_sq__blob_put_file(struct gd_store *s, const char *dir, const char *folder, const char *key,
                         const char *from, struct gd_err *err)
{
    char path[1024];
    int ret;

    (void)s;
    if ((ret = path_of(dir, folder, key, path, sizeof(path), err)) ||
        (ret = make_dirs(dir, folder, key, err))) {
        return ret;
    }
    if (rename(from, path) != 0) {
        gd_log(GD_LOG_ERROR, "cannot move '%s' to '%s': %s", from, path, strerror(errno));
        unlink(from);
        return gd_err_set(err, GD_EIO, "cannot store the file");
    }
    return GD_OK;
}

int gd_sq__blob_size(struct gd_store *s, const char *dir, const char *folder, const char *key,
                     int64_t *size, struct gd_err *err)
{
    char path[1024];
    struct stat st;
    int ret;

    (void)s;
    if ((ret = path_of(dir, folder, key, path, sizeof(path), err))) {
        return ret;
    }
    if (stat(path, &st) != 0) {
        return gd_err_set(err, GD_ENOTFOUND, "no stored %s/%s", folder, key);
    }
    *size = (int64_t)st.st_size;
    return GD_OK;
}

int gd_sq__blob_read(struct gd_store *s, const char *dir, const char *folder, const char *key,
                     int64_t offset, void *buf, size_t cap, size_t *n, struct gd_err *err)
{
    char path[1024];
    ssize_t got;
    int fd, ret;

    (void)s;
    *n = 0;
    if ((ret = path_of(dir, folder, key, path, sizeof(path), err))) {
        return ret;
    }
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        return gd_err_set(err, errno == ENOENT ? GD_ENOTFOUND : GD_EIO, "cannot read %s/%s: %s",
                          folder, key, strerror(errno));
    }
    do {
        got = pread(fd, buf, cap < GD_BLOB_CHUNK ? cap : GD_BLOB_CHUNK, (off_t)offset);
    } while (got < 0 && errno == EINTR);
    close(fd);
    if (got < 0) {
        return gd_err_set(err, GD_EIO, "cannot read %s/%s: %s", folder, key, strerror(errno));
    }
    *n = (size_t)got;
    return GD_OK;
}

int gd_sq__blob_delete(struct gd_store *s, const char *dir, const char *folder, const char *key,
                       struct gd_err *err)
{
    char path[1024];
    int ret;

    (void)s;
    if ((ret = path_of(dir, folder, key, path, sizeof(path), err))) {
        return ret;
    }
    if (unlink(path) != 0 && errno != ENOENT) {
        gd_log(GD_LOG_WARN, "cannot remove '%s': %s", path, strerror(errno));
        return gd_err_set(err, GD_EIO, "cannot remove %s/%s", folder, key);
    }
    return GD_OK;
}
