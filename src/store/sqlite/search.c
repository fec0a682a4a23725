/* A work order's search text in SQLite: its pieces written, replaced and appended, and indexed
 * in batches.
 *
 * A piece is first a plain row of wo_search_pending (schema sqlite/0023_search_pending.sql);
 * once GD_SQ_SEARCH_BATCH of them have gathered, the writer moves them all into the FTS5 table
 * wo_search_text in the transaction of the group that reached the mark (writer.c). FTS5 writes
 * each transaction's new text as a segment of its own and merges segments in proportion to the
 * pages written, however little a page holds, so a create that indexed its own few hundred bytes
 * paid a segment and several pages of merging in its COMMIT; a batch fills its pages. A search
 * reads both tables (filter.c): a piece is found from the commit that wrote it on. A piece keeps
 * its number (the pending table's sequence, above every indexed piece) when it is moved. */
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

int gd_sq__search_move(sqlite3 *db)
{
    /* a savepoint: a failed move leaves the group's own work to commit */
    if (gd_sq__exec(db,
                    "SAVEPOINT search_move; "
                    "INSERT INTO wo_search_text (rowid, body, shop, workorder_id) "
                    "SELECT id, body, char(1) || shop_id, workorder_id FROM wo_search_pending "
                    "ORDER BY id; "
                    "DELETE FROM wo_search_pending; "
                    "RELEASE search_move",
                    NULL)) {
        gd_log(GD_LOG_WARN, "cannot index the waiting search text: %s", sqlite3_errmsg(db));
        gd_sq__exec(db, "ROLLBACK TO search_move; RELEASE search_move", NULL);
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

/* Removes piece `piece` from whichever table holds it. */
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
    if (sqlite3_changes(SQ(s)->db) > 0) {
        return GD_OK;
    }
    st = sq_prep(SQ(s), "DELETE FROM wo_search_text WHERE rowid = $1", err);
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
