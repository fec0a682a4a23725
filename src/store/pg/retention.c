/* Retention in PostgreSQL: what the janitor pass (service/retention.c) removes, a bounded batch per
 * call so one pass never holds the writer long. Found by the indexes of migration pg/0005. */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

/* Runs a DELETE bound to ($1 = time, $2 = limit) and counts the rows it removed. */
static int delete_batch(struct gd_store *s, const char *sql, int64_t at, int limit, int *removed,
                        struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s), sql, err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, at);
    bind_i64(st, 2, limit);
    if (pg_exec(PG(s), st, err)) {
        return GD_EDB;
    }
    *removed = (int)pg_changes(st);
    return GD_OK;
}

int gd_pg__sessions_expire(struct gd_store *s, int64_t now, int limit, int *removed,
                           struct gd_err *err)
{
    return delete_batch(s,
                        "DELETE FROM sessions WHERE digest IN (SELECT digest FROM sessions "
                        "WHERE expires_at <= $1 LIMIT $2)",
                        now, limit, removed, err);
}

int gd_pg__idem_expire(struct gd_store *s, int64_t before, int limit, int *removed,
                       struct gd_err *err)
{
    return delete_batch(s,
                        "DELETE FROM idempotency WHERE ctid IN (SELECT ctid FROM idempotency "
                        "WHERE created_at < $1 LIMIT $2)",
                        before, limit, removed, err);
}

int gd_pg__timers_expire(struct gd_store *s, int64_t before, int limit, int *removed,
                         struct gd_err *err)
{
    return delete_batch(s,
                        "DELETE FROM deadlines WHERE id IN (SELECT id FROM deadlines WHERE "
                        "state IN ('fired', 'cancelled') AND due_at < $1 LIMIT $2)",
                        before, limit, removed, err);
}

static void read_unlinked(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_attachment *t = row;
    memset(t, 0, sizeof(*t));
    t->id = col_i64(st, 0);
    t->sha256 = col_str(a, st, 1);
    t->created_at = col_i64(st, 2);
    t->shop_id = col_i64(st, 3);
}

int gd_pg__attachments_unlinked(struct gd_store *s, int64_t before, int limit, struct gd_arena *a,
                                struct gd_attachment **out, int *count, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT id, sha256, created_at, shop_id FROM attachments "
                                    "WHERE workorder_id IS NULL AND created_at < $1 "
                                    "ORDER BY created_at LIMIT $2",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, before);
    bind_i64(st, 2, limit);
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_unlinked, (void **)out, count, err);
}

int gd_pg__attachment_delete_unlinked(struct gd_store *s, int64_t shop_id, int64_t id,
                                      const char *sha256, bool *content_used, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "DELETE FROM attachments WHERE id = $1 AND shop_id = $2 "
                                    "AND workorder_id IS NULL",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, shop_id);
    if (pg_exec(PG(s), st, err)) {
        return GD_EDB;
    }
    if (pg_changes(st) != 1) {
        return GD_ENOTFOUND; /* linked meanwhile: it stays */
    }
    st = pg_prep(PG(s), "SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = $1)", err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, sha256);
    if (pg_step(st) != PG_ROW) {
        return pg_fail(PG(s), st, err);
    }
    *content_used = col_i64(st, 0) != 0;
    pg_done(st);
    return GD_OK;
}
