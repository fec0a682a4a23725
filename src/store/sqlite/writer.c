/* The writer: one connection per database and process through which every write transaction
 * goes, with group commit.
 *
 * SQLite has one writer at a time anyway. Funnelling writes through one connection keeps that
 * connection's page cache warm (a connection's cache is dropped whenever another connection
 * writes), and lets several transactions share one commit: the first transaction of a group
 * opens the outer transaction, the others are SAVEPOINTs in it; when one ends, if other threads are waiting to write, it hands the
 * connection on and waits; the last one in the group (no one waiting, or the group is full)
 * COMMITs, which syncs the log once for all of them, and wakes the others with the result.
 * Nobody is answered before the commit that holds their work is durable, and a failed commit
 * fails every member of its group. Each unit is counted for its shop's readers (viewgen.c).
 * The group that brings the search text waiting to be indexed to GD_SQ_SEARCH_BATCH pieces wakes
 * the thread that moves it into the index's own file once it has committed; a group deletes the
 * waiting rows that thread has moved before its COMMIT (search.c, search_mover.c). */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include "base/log.h"
#include "base/xalloc.h"
#include "store/sqlite/sqlite_int.h"

#define GROUP_MAX 64 /* a steady stream of writers still commits at least this often */
#define RESULTS 64   /* results of recent groups, by epoch */
#define WRITERS 16

/* The group's own statements, prepared once on the writer's connection: sqlite3_exec parsed
 * them again for every create (callgrind: about 17,000 instructions a create went to SQLite's
 * parser; docs/PERFORMANCE.md, "Create CPU: the search index's own file measured"). */
enum ctl { CTL_BEGIN, CTL_LOCK, CTL_SAVEPOINT, CTL_RELEASE, CTL_COMMIT, CTL_N };
static const char *const ctl_sql[CTL_N] = {
    [CTL_BEGIN] = "BEGIN",
    [CTL_LOCK] = "UPDATE main.schema_migrations SET name = name WHERE 0",
    [CTL_SAVEPOINT] = "SAVEPOINT tx",
    [CTL_RELEASE] = "RELEASE tx",
    [CTL_COMMIT] = "COMMIT",
};

struct gd_sq_writer {
    char *path;
    int refs;
    struct gd_sq_conn conn;
    pthread_mutex_t lock;              /* held by the thread whose transaction is open on conn */
    pthread_cond_t done;               /* a group has committed */
    atomic_int waiting;                /* threads blocked in begin */
    bool open;                         /* the outer transaction has begun and not yet ended */
    int members;                       /* transactions released into the open group */
    int64_t epoch;                     /* groups ended so far */
    int results[RESULTS];              /* GD_OK or GD_EDB of group number epoch % RESULTS */
    _Atomic int64_t search_waiting;    /* pieces of search text written since the last wake */
    int64_t forgot_moved, forgot_gone; /* the mover's marks deleted from the main file so far */
    struct gd_sq_viewgen viewgen;
    struct gd_sq_ckpt ckpt;   /* its WAL's checkpoints */
    struct gd_sq_mover mover; /* the search index's */
    sqlite3_stmt *ctl[CTL_N]; /* prepared on first use */
};

static pthread_mutex_t writers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct gd_sq_writer *writers[WRITERS];

/* For operators (ops_gauges): group commits and their time, waits for the writer and theirs. */
static _Atomic int64_t commits, commit_us, lock_waits, lock_wait_us;

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void gd_sq__writer_stats(struct gd_ops_gauges *out)
{
    out->commits = atomic_load(&commits);
    out->commit_seconds = (double)atomic_load(&commit_us) / 1e6;
    out->write_waits = atomic_load(&lock_waits);
    out->write_wait_seconds = (double)atomic_load(&lock_wait_us) / 1e6;
}

int gd_sq__writer_get(const char *path, struct gd_sq_writer **out, struct gd_err *err)
{
    struct gd_sq_writer *w = NULL;
    int free_slot = -1;
    int ret = GD_OK;

    pthread_mutex_lock(&writers_lock);
    for (int i = 0; i < WRITERS; i++) {
        if (writers[i] && strcmp(writers[i]->path, path) == 0) {
            w = writers[i];
            w->refs++;
            goto out;
        }
        if (!writers[i] && free_slot < 0) {
            free_slot = i;
        }
    }
    if (free_slot < 0) {
        ret = gd_err_set(err, GD_EDB, "too many databases open in one process");
        goto out;
    }
    w = xcalloc(1, sizeof(*w));
    ret = gd_sq__conn_open(&w->conn, path, false, err);
    if (!ret && (ret = gd_sq__viewgen_init(&w->viewgen, path, w->conn.db, err))) {
        gd_sq__conn_close(&w->conn);
    }
    if (!ret && (ret = gd_sq__ckpt_start(&w->ckpt, path, w->conn.db, err))) {
        gd_sq__viewgen_release(&w->viewgen);
        gd_sq__conn_close(&w->conn);
    }
    if (!ret && (ret = gd_sq__mover_start(&w->mover, path, err))) {
        gd_sq__ckpt_stop(&w->ckpt, w->conn.db);
        gd_sq__viewgen_release(&w->viewgen);
        gd_sq__conn_close(&w->conn);
    }
    if (ret) {
        free(w);
        w = NULL;
        goto out;
    }
    w->path = xstrdup(path);
    w->refs = 1;
    w->search_waiting = gd_sq__search_waiting(w->conn.db);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->done, NULL);
    writers[free_slot] = w;
out:
    pthread_mutex_unlock(&writers_lock);
    *out = w;
    return ret;
}

void gd_sq__writer_put(struct gd_sq_writer *w)
{
    if (!w) {
        return;
    }
    pthread_mutex_lock(&writers_lock);
    if (--w->refs == 0) {
        for (int i = 0; i < WRITERS; i++) {
            if (writers[i] == w) {
                writers[i] = NULL;
            }
        }
        gd_sq__mover_stop(&w->mover);
        for (int i = 0; i < CTL_N; i++) {
            sqlite3_finalize(w->ctl[i]);
        }
        gd_sq__ckpt_stop(&w->ckpt, w->conn.db);
        gd_sq__viewgen_release(&w->viewgen);
        gd_sq__conn_close(&w->conn);
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->done);
        free(w->path);
        free(w);
    }
    pthread_mutex_unlock(&writers_lock);
}

/* Runs one of the group's statements on the writer's connection; GD_EDB (logged) on failure. */
static int ctl(struct gd_sq_writer *w, enum ctl which, struct gd_err *err)
{
    sqlite3_stmt **st = &w->ctl[which];
    int rc = *st ? SQLITE_OK
                 : sqlite3_prepare_v3(w->conn.db, ctl_sql[which], -1, SQLITE_PREPARE_PERSISTENT, st,
                                      NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(*st);
        sqlite3_reset(*st);
    }
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        gd_log(GD_LOG_ERROR, "database error: %s (%s)", sqlite3_errmsg(w->conn.db), ctl_sql[which]);
        return gd_err_set(err, GD_EDB, "database error");
    }
    return GD_OK;
}

/* Ends the open group when no one is waiting to join it (or it is full): COMMIT, record the
 * result and wake the members. Returns false when the group stays open. Called with the lock. */
static bool settle(struct gd_sq_writer *w)
{
    if (atomic_load(&w->waiting) > 0 && w->members < GROUP_MAX) {
        return false;
    }
    int result = GD_OK;
    int64_t t0 = mono_us();
    /* what the mover has put in the index since (a failed delete is tried by the next group) */
    int64_t moved = atomic_load(&w->mover.moved), gone = atomic_load(&w->mover.gone);
    bool forget = w->open && (moved > w->forgot_moved || gone > w->forgot_gone) &&
                  gd_sq__search_forget(w->conn.db, moved, gone) == GD_OK;
    if (w->open) {
        gd_sq__viewgen_committing(&w->viewgen);
    }
    if (w->open && ctl(w, CTL_COMMIT, NULL)) {
        gd_log(GD_LOG_ERROR, "group commit failed members=%d", w->members);
        gd_sq__exec(w->conn.db, "ROLLBACK", NULL);
        result = GD_EDB;
    }
    if (w->open) {
        gd_sq__viewgen_committed(&w->viewgen);
        atomic_fetch_add(&commits, 1);
        atomic_fetch_add(&commit_us, mono_us() - t0);
    }
    if (forget && result == GD_OK) {
        w->forgot_moved = moved;
        w->forgot_gone = gone;
    }
    /* the count is this process's, and a rolled back piece stays counted: the mark only says
     * when a move is worth its segment; the move takes whatever is waiting */
    if (atomic_load(&w->search_waiting) >= GD_SQ_SEARCH_BATCH) {
        atomic_store(&w->search_waiting, 0);
        gd_worker_wake(&w->mover.worker);
    }
    w->open = false;
    w->members = 0;
    w->results[w->epoch % RESULTS] = result;
    w->epoch++;
    pthread_cond_broadcast(&w->done);
    return true;
}

struct gd_sq_viewgen *gd_sq__writer_viewgen(struct gd_sq_writer *w) { return &w->viewgen; }

void gd_sq__writer_piece_added(struct gd_sq_writer *w) { atomic_fetch_add(&w->search_waiting, 1); }

int gd_sq__writer_begin(struct gd_sq *q, int64_t shop_id, struct gd_err *err)
{
    struct gd_sq_writer *w = q->writer;

    atomic_fetch_add(&w->waiting, 1);
    int64_t t0 = mono_us();
    pthread_mutex_lock(&w->lock);
    atomic_fetch_add(&lock_waits, 1);
    atomic_fetch_add(&lock_wait_us, mono_us() - t0);
    atomic_fetch_sub(&w->waiting, 1);
    q->savepoint = w->open;
    if (!w->open) {
        /* the first of a group needs no savepoint (a large one is costly: every page it touches
         * is copied to the sub-journal); it undoes its work with a plain ROLLBACK. Not BEGIN
         * IMMEDIATE, which takes the write lock of every attached file, the search index's too
         * (held by its thread while FTS5 merges, search_mover.c): a statement that writes
         * nothing takes the main file's alone, as early */
        if (ctl(w, CTL_BEGIN, err) || ctl(w, CTL_LOCK, err)) {
            gd_sq__exec(w->conn.db, "ROLLBACK", NULL);
            pthread_mutex_unlock(&w->lock);
            return GD_EDB;
        }
        w->open = true;
    } else if (ctl(w, CTL_SAVEPOINT, err)) {
        /* this transaction never started; the group it would have joined still ends */
        settle(w);
        pthread_mutex_unlock(&w->lock);
        return GD_EDB;
    }
    q->db = w->conn.db;
    q->conn = &w->conn;
    q->view_slot = gd_sq__viewgen_slot(&w->viewgen, shop_id);
    q->view_rows = sqlite3_total_changes64(w->conn.db);
    gd_sq__viewgen_enter(&w->viewgen, q->view_slot);
    return GD_OK;
}

int gd_sq__writer_end(struct gd_sq *q, bool commit, struct gd_err *err)
{
    struct gd_sq_writer *w = q->writer;
    int ret = GD_OK;

    /* rows its statements changed (an INSERT, UPDATE or DELETE that changed nothing counts none):
     * a unit that wrote nothing moves no reader's number */
    bool changed = sqlite3_total_changes64(w->conn.db) != q->view_rows;
    q->db = q->own.db;
    q->conn = &q->own;
    if (commit && (!q->savepoint || ctl(w, CTL_RELEASE, err) == GD_OK)) {
        w->members++;
    } else {
        /* undo this transaction alone; the group's other work stays */
        if (q->savepoint) {
            gd_sq__exec(w->conn.db, "ROLLBACK TO tx", NULL);
            gd_sq__exec(w->conn.db, "RELEASE tx", NULL);
        } else {
            gd_sq__exec(w->conn.db, "ROLLBACK", NULL); /* first of its group: no one else in it */
            w->open = false;
        }
        ret = commit ? GD_EDB : GD_OK;
        commit = false;
    }
    int64_t mine = w->epoch;
    if (!settle(w)) {
        /* let the next writer in; our work is answered when its group commits */
        while (w->epoch == mine) {
            pthread_cond_wait(&w->done, &w->lock);
        }
    }
    if (commit && w->results[mine % RESULTS] != GD_OK) {
        ret = gd_err_set(err, GD_EDB, "database error");
    }
    gd_sq__viewgen_leave(&w->viewgen, q->view_slot, changed);
    pthread_mutex_unlock(&w->lock);
    return ret;
}
