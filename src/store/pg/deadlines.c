/* The timers of the deadline engine in PostgreSQL. Taking due timers is one DELETE ... RETURNING
 * inside the caller's transaction that locks the batch it claims with FOR UPDATE SKIP LOCKED:
 * several schedulers (threads or nodes) take disjoint batches instead of waiting on each other,
 * and a rollback returns the batch to pending. */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

int gd_pg__deadline_insert(struct gd_store *s, const struct gd_deadline *d, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO deadlines (id, shop_id, workorder_id, kind, "
                                    "due_at, version) VALUES ($1, $2, $3, $4, $5, $6)",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, d->id);
    bind_i64(st, 2, d->shop_id);
    bind_i64(st, 3, d->workorder_id);
    bind_text(st, 4, d->kind);
    bind_i64(st, 5, d->due_at);
    bind_i64(st, 6, d->version);
    return pg_exec(PG(s), st, err);
}

int gd_pg__deadline_cancel(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                           const char *kind, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    kind ? "UPDATE deadlines SET state = 'cancelled' WHERE "
                                           "workorder_id = $1 AND shop_id = $2 AND "
                                           "state = 'pending' AND kind = $3"
                                         : "UPDATE deadlines SET state = 'cancelled' WHERE "
                                           "workorder_id = $1 AND shop_id = $2 AND "
                                           "state = 'pending'",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, shop_id);
    if (kind) {
        bind_text(st, 3, kind);
    }
    return pg_exec(PG(s), st, err);
}

/* One row (id, shop_id, workorder_id, kind, due_at, version) that a take returns. */
static void read_timer(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_deadline *d = row;
    d->id = col_i64(st, 0);
    d->shop_id = col_i64(st, 1);
    d->workorder_id = col_i64(st, 2);
    d->kind = col_str(a, st, 3);
    d->due_at = col_i64(st, 4);
    d->version = col_i64(st, 5);
}

int gd_pg__deadline_take(struct gd_store *s, const struct gd_deadline *d, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "DELETE FROM deadlines WHERE id = $1 AND shop_id = $2 AND "
                                    "state = 'pending'",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, d->id);
    bind_i64(st, 2, d->shop_id);
    int ret = pg_exec(PG(s), st, err);
    if (ret == GD_OK && pg_changes(st) != 1) {
        return gd_err_set(err, GD_ESTALE, "timer already fired or cancelled");
    }
    return ret;
}

int gd_pg__deadline_next_due(struct gd_store *s, int64_t *out, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "SELECT min(due_at) FROM deadlines WHERE state = 'pending'", err);
    if (!st) {
        return GD_EDB;
    }
    int rc = pg_step(st);
    if (rc != PG_ROW) {
        return pg_fail(PG(s), st, err);
    }
    *out = col_i64(st, 0);
    pg_done(st);
    return GD_OK;
}

int gd_pg__deadlines_take(struct gd_store *s, int64_t now, int max, struct gd_arena *a,
                          struct gd_deadline **out, int *count, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "DELETE FROM deadlines WHERE id IN (SELECT id FROM deadlines WHERE state = 'pending' AND "
        "due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id, shop_id, "
        "workorder_id, kind, due_at, version",
        err);

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, now);
    bind_i64(st, 2, max);
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_timer, (void **)out, count, err);
}

int gd_pg__workorder_mark_overdue(struct gd_store *s, const struct gd_workorder *wo,
                                  struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "UPDATE workorders SET overdue = $3, updated_at = $4 WHERE "
                                    "id = $1 AND shop_id = $2 AND version = $5",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, wo->id);
    bind_i64(st, 2, wo->shop_id);
    bind_i64(st, 3, wo->overdue);
    bind_i64(st, 4, wo->updated_at);
    bind_i64(st, 5, wo->version);
    int ret = pg_exec(PG(s), st, err);
    if (!ret && pg_changes(st) != 1) {
        return gd_err_set(err, GD_ESTALE, "the work order was changed by someone else");
    }
    return ret;
}

int gd_pg__workorders_mark_overdue_many(struct gd_store *s, const struct gd_workorder *wos, int n,
                                        struct gd_err *err)
{
    enum { C_ID, C_SHOP, C_OVERDUE, C_UPDATED, C_VERSION, C_COUNT };
    struct gd_pg_cols cols;

    if (n <= 0) {
        return GD_OK;
    }
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                "UPDATE workorders w SET overdue = u.overdue, updated_at = u.updated_at FROM "
                "unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS "
                "u(id, shop_id, overdue, updated_at, version) WHERE w.id = u.id AND w.shop_id = "
                "u.shop_id AND w.version = u.version",
                err);
    if (!st) {
        return GD_EDB;
    }
    gd_pg__cols_open(&cols, C_COUNT);
    for (int i = 0; i < n; i++) {
        gd_pg__array_i64(&cols.col[C_ID], wos[i].id);
        gd_pg__array_i64(&cols.col[C_SHOP], wos[i].shop_id);
        gd_pg__array_i64(&cols.col[C_OVERDUE], wos[i].overdue);
        gd_pg__array_i64(&cols.col[C_UPDATED], wos[i].updated_at);
        gd_pg__array_i64(&cols.col[C_VERSION], wos[i].version);
    }
    int ret = gd_pg__cols_run(PG(s), st, &cols, err);
    if (!ret && pg_changes(st) != n) {
        return gd_err_set(err, GD_ESTALE, "a work order was changed by someone else");
    }
    return ret;
}
