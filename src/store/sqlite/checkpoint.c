/* Checkpoints of the writer's WAL, off the writer.
 *
 * SQLite's own automatic checkpoint runs inside the COMMIT that brings the log to 1,000 pages:
 * on the writer, under its lock, so the group of that commit and every write queued behind it
 * waited for pages copied into the database file and that file's sync (tens to hundreds of
 * milliseconds on a large database: the slowest creates; docs/PERFORMANCE.md, "Create latency").
 * Here the writer's connection only reports the log's size after each commit (a WAL hook, which
 * replaces the automatic checkpoint), and a thread of its own with its own connection copies the
 * pages while the writer goes on committing: a PASSIVE checkpoint needs no writer lock.
 *
 * The thread copies the log each time it has grown by CKPT_PAGES. A log is begun again from its
 * start when a write transaction begins with every page of it copied: when the thread's pass
 * ended between two commits, which under a steady stream of commits it rarely does. So the log
 * may grow past 1,000 pages, and at CKPT_TAIL pages the writer copies what is left itself (a
 * pass of the thread's size at most, once every CKPT_TAIL pages instead of every 1,000). Durability
 * does not change: a commit is durable when its log is synced (synchronous=FULL), before and
 * after this; a log of CKPT_TAIL pages only takes longer to read back after a crash. */
#include "base/log.h"
#include "store/sqlite/sqlite_int.h"

#define CKPT_PAGES 1000 /* the thread copies the log each time it has grown by this much */
#define CKPT_TAIL 16000 /* the writer copies the rest at this size (64 MiB of 4 KiB pages) */
#define CKPT_PERIOD_MS 1000

static int64_t round_fn(void *ctx, bool woken)
{
    struct gd_sq_ckpt *c = ctx;
    if (woken) {
        int rc = sqlite3_wal_checkpoint_v2(c->conn.db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
            gd_log(GD_LOG_WARN, "checkpoint failed: %s", sqlite3_errmsg(c->conn.db));
        }
    }
    return GD_WORKER_IDLE;
}

/* After each commit of the writer, with the log's size in pages; under the writer's lock. */
static int on_commit(void *ctx, sqlite3 *db, const char *name, int pages)
{
    struct gd_sq_ckpt *c = ctx;
    if (strcmp(name, "main") != 0) {
        /* the search index's file, which the writer writes only in a bulk copy (its own
         * thread's connection checkpoints it as SQLite does by default, and the thread here
         * with every file of the connection) */
        if (pages >= CKPT_PAGES) {
            sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        }
        return SQLITE_OK;
    }
    if (pages < c->wake_at - CKPT_PAGES) {
        /* the log was begun again */
        c->wake_at = CKPT_PAGES;
        c->tail_at = CKPT_TAIL;
    }
    if (pages >= c->wake_at) {
        c->wake_at = pages + CKPT_PAGES;
        gd_worker_wake(&c->worker);
    }
    /* while the thread holds the checkpoint (BUSY) the next commit tries again; a try that
     * copied but saw readers keep the log from being begun again is repeated CKPT_PAGES later */
    if (pages >= c->tail_at &&
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) != SQLITE_BUSY) {
        c->tail_at = pages + CKPT_PAGES;
    }
    return SQLITE_OK;
}

int gd_sq__ckpt_start(struct gd_sq_ckpt *c, const char *path, sqlite3 *writer_db,
                      struct gd_err *err)
{
    memset(c, 0, sizeof(*c));
    c->wake_at = CKPT_PAGES;
    c->tail_at = CKPT_TAIL;
    int ret = gd_sq__conn_open(&c->conn, path, false, err);
    if (ret) {
        return ret;
    }
    if ((ret = gd_worker_start(&c->worker, "checkpoint", round_fn, c, CKPT_PERIOD_MS, err))) {
        gd_sq__conn_close(&c->conn);
        return ret;
    }
    sqlite3_wal_hook(writer_db, on_commit, c);
    return GD_OK;
}

void gd_sq__ckpt_stop(struct gd_sq_ckpt *c, sqlite3 *writer_db)
{
    sqlite3_wal_hook(writer_db, NULL, NULL);
    gd_worker_stop(&c->worker);
    gd_sq__conn_close(&c->conn);
}
