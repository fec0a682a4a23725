/* The search index's own file and the thread that moves waiting search text into it.
 *
 * FTS5 merges its segments in bursts: about one move of a batch in ten carried 25-45 ms of
 * merging (165 ms on a loaded machine), and while the move ran in the writer's transaction every
 * create queued behind it waited (docs/PERFORMANCE.md, "Create latency: the search index in a
 * file of its own"). So the index, wo_search_text, lives in a database file of its own beside
 * the main one (path GD_SQ_SEARCH_SUFFIX, attached as `search` to every connection, db.c), and
 * only this thread writes it, through its own connection and in its own transactions: FTS5's
 * merges hold that file's lock, never the writer's. The waiting pieces stay in the main file
 * (wo_search_pending, written by the transaction that adds them), so nothing waits on the thread
 * to be durable or to be found.
 *
 * A move copies the waiting rows and the removals out of one snapshot of the main file, then in
 * one transaction of the index file indexes the pieces numbered above search_moved.upto, deletes
 * from the index the pieces named gone, and sets upto to the highest waiting number it saw. Only
 * after that commit does the writer delete the moved rows and the applied removals from the main
 * file (writer.c, gd_sq__search_forget), so a piece is always in one table or both, never in
 * neither: a search reads both in one statement, which takes the main file's snapshot before the
 * index file's (SQLite begins a statement's read transactions in the order of the attached
 * schemas), so a piece gone from the waiting rows is in the index it reads. A crash between the
 * two commits leaves pieces in both, which a search counts once; upto keeps them from being
 * indexed twice, and the thread's first round after a start hands them to the writer to delete.
 * Pieces are numbered by an AUTOINCREMENT sequence and written by one writer at a time, so a row
 * the move's snapshot did not see has a number above every one it saw, and the writer's delete
 * up to `moved` touches none of them. */
#include "base/log.h"
#include "store/sqlite/sqlite_int.h"

#define MOVER_PERIOD_MS 5000 /* how often it looks for another process's waiting pieces */

/* The pieces and removals the next move would take (0 when the tables are not there yet). */
static int64_t waiting(struct gd_sq_mover *m)
{
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    if (sqlite3_prepare_v2(m->conn.db,
                           "SELECT (SELECT count(*) FROM wo_search_pending WHERE id > (SELECT "
                           "upto FROM search.search_moved)) + (SELECT count(*) FROM "
                           "wo_search_gone)",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

/* One move; publishes what the writer may forget. Two transactions: the first copies what waits
 * out of the main file's snapshot into the connection's temporary tables, the second indexes it.
 * FTS5's merging then holds no snapshot of the main file, which would keep the writer from
 * beginning its log again (checkpoint.c). */
static int move(struct gd_sq_mover *m)
{
    sqlite3 *db = m->conn.db;
    sqlite3_stmt *st = NULL;
    if (gd_sq__exec(db,
                    "CREATE TEMP TABLE IF NOT EXISTS move_pieces (id INTEGER PRIMARY KEY, "
                    "workorder_id, shop_id, body); "
                    "CREATE TEMP TABLE IF NOT EXISTS move_gone (id INTEGER PRIMARY KEY, piece); "
                    "DELETE FROM temp.move_pieces; DELETE FROM temp.move_gone; "
                    "BEGIN; "
                    "INSERT INTO temp.move_pieces SELECT id, workorder_id, shop_id, body FROM "
                    "main.wo_search_pending WHERE id > (SELECT upto FROM search.search_moved); "
                    "INSERT INTO temp.move_gone SELECT id, piece FROM main.wo_search_gone; "
                    "COMMIT; "
                    /* a deferred BEGIN: the INSERT takes the index file's write lock (an
                     * IMMEDIATE one would take the main file's too), under which upto is read:
                     * another process's move may have indexed some of the pieces since */
                    "BEGIN; "
                    "INSERT INTO search.wo_search_text (rowid, body, shop, workorder_id) "
                    "SELECT id, body, char(1) || shop_id, workorder_id FROM temp.move_pieces "
                    "WHERE id > (SELECT upto FROM search.search_moved) ORDER BY id; "
                    "DELETE FROM search.wo_search_text WHERE rowid IN (SELECT piece FROM "
                    "temp.move_gone); "
                    "UPDATE search.search_moved SET upto = max(upto, (SELECT coalesce(max(id), 0) "
                    "FROM temp.move_pieces))",
                    NULL) ||
        sqlite3_prepare_v2(db,
                           "SELECT upto, (SELECT coalesce(max(id), 0) FROM temp.move_gone) FROM "
                           "search.search_moved",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        gd_log(GD_LOG_WARN, "cannot index the waiting search text: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        if (!sqlite3_get_autocommit(db)) {
            gd_sq__exec(db, "ROLLBACK", NULL);
        }
        return GD_EDB;
    }
    int64_t moved = sqlite3_column_int64(st, 0), gone = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    if (gd_sq__exec(db, "COMMIT", NULL)) {
        gd_log(GD_LOG_WARN, "cannot commit the search index: %s", sqlite3_errmsg(db));
        gd_sq__exec(db, "ROLLBACK", NULL);
        return GD_EDB;
    }
    atomic_store(&m->moved, moved);
    atomic_store(&m->gone, gone);
    return GD_OK;
}

/* After a start: the pieces a crash left in both files (the index's commit made, the writer's
 * delete not), for the writer to delete. False when the table is not there yet (a database not
 * migrated to 0025). */
static bool recover(struct gd_sq_mover *m)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(m->conn.db, "SELECT upto FROM search.search_moved", -1, &st,
                                 NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW;
    if (ok) {
        atomic_store(&m->moved, sqlite3_column_int64(st, 0));
    }
    sqlite3_finalize(st);
    return ok;
}

static int64_t round_fn(void *ctx, bool woken)
{
    struct gd_sq_mover *m = ctx;
    if (!m->started && !(m->started = recover(m))) {
        return GD_WORKER_IDLE;
    }
    /* woken: this process's writer counted a batch; otherwise a batch of another process's */
    if (woken || waiting(m) >= GD_SQ_SEARCH_BATCH) {
        move(m);
    }
    return GD_WORKER_IDLE;
}

int gd_sq__search_file_check(sqlite3 *db, struct gd_err *err)
{
    if (sqlite3_table_column_metadata(db, "search", "search_moved", "upto", NULL, NULL, NULL, NULL,
                                      NULL) == SQLITE_OK) {
        /* New pieces are numbered above upto. A main file restored from a backup taken before its
         * index file's (architecture.md: the main one first) would number them at or below it,
         * and the thread would take them as indexed and the writer delete them unindexed. */
        return gd_sq__exec(db,
                           "UPDATE main.sqlite_sequence SET seq = (SELECT upto FROM "
                           "search.search_moved) WHERE name = 'wo_search_pending' AND seq < "
                           "(SELECT upto FROM search.search_moved)",
                           err);
    }
    gd_log(GD_LOG_ERROR,
           "the search index file (%s) is missing or empty: a new one is made; "
           "work orders' text indexed before is not found until edited again",
           sqlite3_db_filename(db, "search"));
    /* as sqlite/0025_search_file.sql makes it; the pieces still waiting are all moved */
    return gd_sq__exec(db,
                       "CREATE VIRTUAL TABLE IF NOT EXISTS search.wo_search_text USING fts5(body, "
                       "shop, workorder_id UNINDEXED, tokenize = 'gd_bigram'); "
                       "CREATE TABLE search.search_moved (upto INTEGER NOT NULL); "
                       "INSERT INTO search.search_moved VALUES (0)",
                       err);
}

int gd_sq__mover_start(struct gd_sq_mover *m, const char *path, struct gd_err *err)
{
    memset(m, 0, sizeof(*m));
    int ret = gd_sq__conn_open(&m->conn, path, false, err);
    if (ret) {
        return ret;
    }
    if ((ret = gd_worker_start(&m->worker, "search index", round_fn, m, MOVER_PERIOD_MS, err))) {
        gd_sq__conn_close(&m->conn);
        return ret;
    }
    return GD_OK;
}

void gd_sq__mover_stop(struct gd_sq_mover *m)
{
    gd_worker_stop(&m->worker);
    gd_sq__conn_close(&m->conn);
}
