/* A work order's search text in SQLite: its pieces written, replaced and appended, and indexed
 * in batches.
 *
 * A piece is first a plain row of wo_search_pending (schema sqlite/0023_search_pending.sql),
 * written by the transaction that adds it; once GD_SQ_SEARCH_BATCH of them have gathered, a
 * thread moves them into the FTS5 table wo_search_text, which lives in a file of its own
 * (sqlite/0025_search_file.sql, search_mover.c), and the writer then deletes the moved rows. FTS5
 * writes each transaction's new text as a segment of its own and merges segments in proportion
 * to the pages written, however little a page holds, so a create that indexed its own few
 * hundred bytes paid a segment and several pages of merging in its COMMIT; a batch fills its
 * pages, and its merges hold the index file's lock, not the writer's. A search reads both tables
 * (filter.c): a piece is found from the commit that wrote it on. A piece keeps its number (the
 * pending table's sequence, above every indexed piece) when it is moved. A replaced piece is
 * deleted where it waits and named in wo_search_gone, which a search leaves out of the index and
 * the thread deletes from it. */
#include "base/log.h"
#include "store/sqlite/sqlite_int.h"

int64_t gd_sq__search_waiting(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int64_t n = 0;

    /* before the migrations have run the table may not exist yet: nothing waits then */
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM wo_search_pending", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

int gd_sq__search_forget(sqlite3 *db, int64_t moved, int64_t gone)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SAVEPOINT search_forget; "
             "DELETE FROM wo_search_pending WHERE id <= %lld; "
             "DELETE FROM wo_search_gone WHERE id <= %lld; "
             "RELEASE search_forget",
             (long long)moved, (long long)gone);
    /* a savepoint: a failed delete leaves the group's own work to commit (and the rows to the
     * next group: a search reads a piece in both tables once) */
    if (gd_sq__exec(db, sql, NULL)) {
        gd_log(GD_LOG_WARN, "cannot forget the indexed search text: %s", sqlite3_errmsg(db));
        gd_sq__exec(db, "ROLLBACK TO search_forget; RELEASE search_forget", NULL);
        return GD_EDB;
    }
    return GD_OK;
}

/* A piece with its shop's id beside it (a search reads only its shop's pieces); its number. */
static int insert_piece(struct gd_store *s, int64_t shop_id, int64_t workorder_id, const char *text,
                        int64_t *piece, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO wo_search_pending (workorder_id, shop_id, body) "
                               "VALUES ($1, $2, $3)",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, shop_id);
    bind_text(st, 3, text);
    int ret = sq_exec(SQ(s), st, err);
    if (!ret) {
        *piece = sqlite3_last_insert_rowid(SQ(s)->db);
        gd_sq__writer_piece_added(SQ(s)->writer);
    }
    return ret;
}

/* Removes piece `piece`: deleted if it waits, named gone for the index (which the writer does not
 * write: the piece may be there already, or be moved there by a move that read it before). */
static int delete_piece(struct gd_store *s, int64_t piece, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s), "DELETE FROM wo_search_pending WHERE id = $1", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, piece);
    if (sq_exec(SQ(s), st, err)) {
        return GD_EDB;
    }
    st = sq_prep(SQ(s), "INSERT INTO wo_search_gone (piece) VALUES ($1)", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, piece);
    return sq_exec(SQ(s), st, err);
}

/* The work order's own fields are one piece (wo_search_base says which); a new text for them
 * replaces that piece alone, the appended pieces stay. */
int gd_sq__search_set(struct gd_store *s, int64_t shop_id, int64_t workorder_id, const char *text,
                      struct gd_err *err)
{
    /* the shop's work order, or nothing: a piece is the shop's by the work order */
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT w.id, b.piece FROM workorders w LEFT JOIN "
                               "wo_search_base b ON b.workorder_id = w.id WHERE w.id = $1 "
                               "AND w.shop_id = $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, shop_id);
    int rc = sqlite3_step(st);
    int64_t old = rc == SQLITE_ROW ? col_i64(st, 1) : 0, piece = 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);
    if (rc == SQLITE_DONE) {
        return gd_err_set(err, GD_ENOTFOUND, "no work order %lld", (long long)workorder_id);
    }
    if ((old && delete_piece(s, old, err)) ||
        insert_piece(s, shop_id, workorder_id, text, &piece, err)) {
        return GD_EDB;
    }
    st = sq_prep(SQ(s),
                 "INSERT INTO wo_search_base (workorder_id, piece) VALUES ($1, $2) "
                 "ON CONFLICT (workorder_id) DO UPDATE SET piece = excluded.piece",
                 err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, piece);
    return sq_exec(SQ(s), st, err);
}

/* One more piece: only its own text is written, and only for the shop's work order. */
int gd_sq__search_append(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                         const char *text, struct gd_err *err)
{
    sqlite3_stmt *st =
        sq_prep(SQ(s), "SELECT 1 FROM workorders WHERE id = $1 AND shop_id = $2", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, shop_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);
    if (rc == SQLITE_DONE) {
        return gd_err_set(err, GD_ENOTFOUND, "no work order %lld", (long long)workorder_id);
    }
    int64_t piece;
    return insert_piece(s, shop_id, workorder_id, text, &piece, err);
}
