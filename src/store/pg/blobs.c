/* Stored bytes in PostgreSQL (store.h, "stored bytes"): a blob is a row of `blobs` and its
 * chunks of GD_BLOB_CHUNK bytes in `blob_chunks` (migration pg/0009), written in one
 * transaction of their own, so every node reads what any node stored and nobody sees half. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/log.h"
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

/* Gives the next piece of the blob's bytes: *n = 0 at the end. */
typedef int (*next_fn)(void *ctx, void *buf, size_t cap, size_t *n, struct gd_err *err);

struct memory {
    const char *data;
    size_t len, off;
};

static int memory_next(void *ctx, void *buf, size_t cap, size_t *n, struct gd_err *err)
{
    struct memory *m = ctx;
    (void)err;
    *n = m->len - m->off < cap ? m->len - m->off : cap;
    memcpy(buf, m->data + m->off, *n);
    m->off += *n;
    return GD_OK;
}

static int file_next(void *ctx, void *buf, size_t cap, size_t *n, struct gd_err *err)
{
    int fd = *(int *)ctx;
    size_t got = 0;
    while (got < cap) {
        ssize_t r = read(fd, (char *)buf + got, cap - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            return gd_err_set(err, GD_EIO, "cannot read the file to store: %s", strerror(errno));
        }
        if (r == 0) {
            break;
        }
        got += (size_t)r;
    }
    *n = got;
    return GD_OK;
}

/* The blob row first (ON CONFLICT: the same key is the same content, stored already or being
 * stored by another transaction, whose outcome the insert waits for), then its chunks, then
 * the size; one transaction. */
static int put(struct gd_pg *p, const char *folder, const char *key, next_fn next, void *ctx,
               struct gd_err *err)
{
    struct gd_pg_stmt *st;
    char *buf = NULL;
    int64_t size = 0;
    int ret;

    if (p->in_tx) {
        return gd_err_set(err, GD_EINVAL, "blob_put runs outside a write transaction");
    }
    if (!gd_pg__connected(p)) {
        return gd_pg__unreachable(p, err);
    }
    if ((ret = gd_pg__exec(p, "BEGIN ISOLATION LEVEL READ COMMITTED", err))) {
        return ret;
    }
    p->in_tx = true;
    st = pg_prep(p,
                 "INSERT INTO blobs (folder, key, size, created_at) VALUES ($1, $2, 0, $3) "
                 "ON CONFLICT DO NOTHING",
                 err);
    if (!st) {
        ret = GD_EDB;
        goto out;
    }
    bind_text(st, 1, folder);
    bind_text(st, 2, key);
    bind_i64(st, 3, gd_clock_now_ms());
    if ((ret = pg_exec(p, st, err)) || pg_changes(st) == 0) {
        goto out; /* stored already: the same content */
    }
    buf = malloc(GD_BLOB_CHUNK);
    for (int n = 0;; n++) {
        size_t len;
        if ((ret = next(ctx, buf, GD_BLOB_CHUNK, &len, err))) {
            goto out;
        }
        if (len == 0 && n > 0) {
            break;
        }
        if (!(st = pg_prep(p,
                           "INSERT INTO blob_chunks (folder, key, n, data) VALUES ($1, $2, "
                           "$3, $4)",
                           err))) {
            ret = GD_EDB;
            goto out;
        }
        bind_text(st, 1, folder);
        bind_text(st, 2, key);
        bind_i64(st, 3, n);
        gd_pg__bind_blob(st, 4, buf, len);
        if ((ret = pg_exec(p, st, err))) {
            goto out;
        }
        size += (int64_t)len;
        if (len < GD_BLOB_CHUNK) {
            break;
        }
    }
    if (!(st = pg_prep(p, "UPDATE blobs SET size = $3 WHERE folder = $1 AND key = $2", err))) {
        ret = GD_EDB;
        goto out;
    }
    bind_text(st, 1, folder);
    bind_text(st, 2, key);
    bind_i64(st, 3, size);
    ret = pg_exec(p, st, err);
out:
    free(buf);
    p->in_tx = false;
    if (ret) {
        if (PQstatus(p->conn) == CONNECTION_OK) {
            gd_pg__exec(p, "ROLLBACK", NULL);
        }
        return ret;
    }
    return gd_pg__exec(p, "COMMIT", err);
}

int gd_pg__blob_put(struct gd_store *s, const char *dir, const char *folder, const char *key,
                    const void *data, size_t len, struct gd_err *err)
{
    struct memory m = {data, len, 0};
    (void)dir;
    return put(PG(s), folder, key, memory_next, &m, err);
}

int gd_pg__blob_put_file(struct gd_store *s, const char *dir, const char *folder, const char *key,
                         const char *path, struct gd_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), ret;
    (void)dir;
    if (fd < 0) {
        return gd_err_set(err, GD_EIO, "cannot open '%s': %s", path, strerror(errno));
    }
    ret = put(PG(s), folder, key, file_next, &fd, err);
    close(fd);
    if (ret == GD_OK && unlink(path) != 0) {
        gd_log(GD_LOG_WARN, "cannot remove '%s': %s", path, strerror(errno));
    }
    return ret;
}

int gd_pg__blob_size(struct gd_store *s, const char *dir, const char *folder, const char *key,
                     int64_t *size, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT size FROM blobs WHERE folder = $1 AND "
                                    "key = $2",
                                    err);
    int rc;
    (void)dir;
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, folder);
    bind_text(st, 2, key);
    if ((rc = pg_step(st)) == PG_ROW) {
        *size = col_i64(st, 0);
        pg_done(st);
        return GD_OK;
    }
    if (rc != PG_DONE) {
        return pg_fail(PG(s), st, err);
    }
    pg_done(st);
    return gd_err_set(err, GD_ENOTFOUND, "no stored %s/%s", folder, key);
}

int gd_pg__blob_read(struct gd_store *s, const char *dir, const char *folder, const char *key,
                     int64_t offset, void *buf, size_t cap, size_t *n, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT substring(data FROM $4 FOR $5) FROM "
                                    "blob_chunks WHERE folder = $1 AND key = $2 AND "
                                    "n = $3",
                                    err);
    int rc;
    (void)dir;
    *n = 0;
    if (!st) {
        return GD_EDB;
    }
    st->binary = true; /* the bytes as they are, not twice as many hex digits */
    bind_text(st, 1, folder);
    bind_text(st, 2, key);
    bind_i64(st, 3, offset / GD_BLOB_CHUNK);
    bind_i64(st, 4, offset % GD_BLOB_CHUNK + 1);
    bind_i64(st, 5, (int64_t)(cap < GD_BLOB_CHUNK ? cap : GD_BLOB_CHUNK));
    if ((rc = pg_step(st)) == PG_ROW) {
        size_t len = (size_t)PQgetlength(st->res, st->row, 0);
        *n = len < cap ? len : cap;
        if (*n) {
            memcpy(buf, PQgetvalue(st->res, st->row, 0), *n);
        }
        pg_done(st);
        return GD_OK;
    }
    if (rc != PG_DONE) {
        return pg_fail(PG(s), st, err);
    }
    pg_done(st);
    return GD_OK; /* past the last chunk: the end */
}

int gd_pg__blob_delete(struct gd_store *s, const char *dir, const char *folder, const char *key,
                       struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s), "DELETE FROM blobs WHERE folder = $1 AND key = $2", err);
    (void)dir;
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, folder);
    bind_text(st, 2, key);
    return pg_exec(PG(s), st, err);
}
