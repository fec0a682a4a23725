/* Retention in SQLite: what the janitor pass (service/retention.c) removes, a bounded batch per
 * call so one pass never holds the writer long. Found by the indexes of migration 0005. */
#include "store/sqlite/sqlite_int.h"

/* Runs a DELETE bound to ($1 = time, $2 = limit) and counts the rows it removed. */
static int delete_batch(struct gd_store *s, const char *sql, int64_t at, int limit, int *removed,
                        struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s), sql, err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, at);
    bind_i64(st, 2, limit);
    if (sq_exec(SQ(s), st, err)) {
        return GD_EDB;
    }
    *removed = sqlite3_changes(SQ(s)->db);
    return GD_OK;
}

int gd_sq__sessions_expire(struct gd_store *s, int64_t now, int limit, int *removed,
                           struct gd_err *err)
{
    return delete_batch(s,
                        "DELETE FROM sessions WHERE digest IN (SELECT digest FROM sessions "
                        "WHERE expires_at <= $1 LIMIT $2)",
                        now, limit, removed, err);
}

int gd_sq__idem_expire(struct gd_store *s, int64_t before, int limit, int *removed,
                       struct gd_err *err)
{
    return delete_batch(s,
                        "DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency "
                        "WHERE created_at < $1 LIMIT $2)",
                        before, limit, removed, err);
}

int gd_sq__timers_expire(struct gd_store *s, int64_t before, int limit, int *removed,
                         struct gd_err *err)
{
    return delete_batch(s,
                        "DELETE FROM deadlines WHERE (state, due_at, id) IN (SELECT state, "
                        "due_at, id FROM deadlines WHERE state IN ('fired', 'cancelled') AND "
                        "due_at < $1 LIMIT $2)", /* by the table's key (0026): no index on id */
                        before, limit, removed, err);
}

static void read_unlinked(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_attachment *t = row;
    memset(t, 0, sizeof(*t));
    t->id = col_i64(st, 0);
    t->sha256 = col_str(a, st, 1);
    t->created_at = col_i64(st, 2);
    t->shop_id = col_i64(st, 3);
}

int gd_sq__attachments_unlinked(struct gd_store *s, int64_t before, int limit, struct gd_arena *a,
                                struct gd_attachment **out, int *count, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT id, sha256, created_at, shop_id FROM attachments "
                               "WHERE workorder_id IS NULL AND created_at < $1 "
                               "ORDER BY created_at LIMIT $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, before);
    bind_i64(st, 2, limit);
    return gd_sq__rows(SQ(s), st, a, sizeof(**out), read_unlinked, (void **)out, count, err);
}

int gd_sq__attachment_delete_unlinked(struct gd_store *s, int64_t shop_id, int64_t id,
                                      const char *sha256, bool *content_used, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "DELETE FROM attachments WHERE id = $1 AND shop_id = $2 "
                               "AND workorder_id IS NULL",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    if (sq_exec(SQ(s), st, err)) {
        return GD_EDB;
    }
    if (sqlite3_changes(SQ(s)->db) != 1) {
        return GD_ENOTFOUND; /* linked meanwhile: it stays */
    }
    st = sq_prep(SQ(s), "SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = $1)", err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, sha256);
    if (sqlite3_step(st) != SQLITE_ROW) {
        return sq_fail(SQ(s), st, err);
    }
    *content_used = col_i64(st, 0) != 0;
    sq_done(st);
    return GD_OK;
}
