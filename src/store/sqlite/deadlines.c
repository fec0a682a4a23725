/* The timers of the deadline engine in SQLite. Taking due timers is a read of the first pending
 * run and a delete of that range inside the caller's write transaction: SQLite has one writer,
 * so no lease is needed (a server backend with several nodes would claim with FOR UPDATE SKIP
 * LOCKED). */
#include "store/sqlite/sqlite_int.h"

int gd_sq__deadline_insert(struct gd_store *s, const struct gd_deadline *d, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
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
    return sq_exec(SQ(s), st, err);
}

int gd_sq__deadline_cancel(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                           const char *kind, struct gd_err *err)
{
    /* by the work order's index: without it the planner would walk every pending timer along
     * the table's own order (state first), not knowing how many there are */
    sqlite3_stmt *st = sq_prep(SQ(s),
                               kind ? "UPDATE deadlines INDEXED BY deadlines_wo SET state = "
                                      "'cancelled' WHERE workorder_id = $1 AND shop_id = $2 AND "
                                      "state = 'pending' AND kind = $3"
                                    : "UPDATE deadlines INDEXED BY deadlines_wo SET state = "
                                      "'cancelled' WHERE workorder_id = $1 AND shop_id = $2 AND "
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
    return sq_exec(SQ(s), st, err);
}

/* One row (id, shop_id, workorder_id, kind, due_at, version) that a take returns. */
static void read_timer(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_deadline *d = row;
    d->id = col_i64(st, 0);
    d->shop_id = col_i64(st, 1);
    d->workorder_id = col_i64(st, 2);
    d->kind = col_str(a, st, 3);
    d->due_at = col_i64(st, 4);
    d->version = col_i64(st, 5);
}

int gd_sq__deadline_take(struct gd_store *s, const struct gd_deadline *d, struct gd_err *err)
{
    /* found by its place in the table's order (state, due_at, id), not by a third index */
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "DELETE FROM deadlines WHERE state = 'pending' AND due_at = $3 AND "
                               "id = $1 AND shop_id = $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, d->id);
    bind_i64(st, 2, d->shop_id);
    bind_i64(st, 3, d->due_at);
    int ret = sq_exec(SQ(s), st, err);
    if (ret == GD_OK && sqlite3_changes(SQ(s)->db) != 1) {
        return gd_err_set(err, GD_ESTALE, "timer already fired or cancelled");
    }
    return ret;
}

int gd_sq__deadline_next_due(struct gd_store *s, int64_t *out, struct gd_err *err)
{
    sqlite3_stmt *st =
        sq_prep(SQ(s), "SELECT min(due_at) FROM deadlines WHERE state = 'pending'", err);
    if (!st) {
        return GD_EDB;
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        return sq_fail(SQ(s), st, err);
    }
    *out = col_i64(st, 0);
    sq_done(st);
    return GD_OK;
}

int gd_sq__deadlines_take(struct gd_store *s, int64_t now, int max, struct gd_arena *a,
                          struct gd_deadline **out, int *count, struct gd_err *err)
{
    /* The table is in claim order (state, due_at, id: migration 0026), so the batch is the
     * first `max` pending rows due by `now`, read as a run, then deleted as one range up to the
     * last of them: a step along the table and one deadlines_wo entry per timer, where a
     * DELETE ... WHERE id IN (...) RETURNING looked each row up, deleted it from two indexes
     * and copied what it returned through a temporary table. */
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT id, shop_id, workorder_id, kind, due_at, version FROM "
                               "deadlines WHERE state = 'pending' AND due_at <= $1 ORDER BY "
                               "due_at, id LIMIT $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, now);
    bind_i64(st, 2, max);
    int ret = gd_sq__rows(SQ(s), st, a, sizeof(**out), read_timer, (void **)out, count, err);
    if (ret || *count == 0) {
        return ret;
    }
    const struct gd_deadline *last = &(*out)[*count - 1];
    st = sq_prep(SQ(s),
                 "DELETE FROM deadlines WHERE state = 'pending' AND (due_at, id) <= ($1, $2)", err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, last->due_at);
    bind_i64(st, 2, last->id);
    ret = sq_exec(SQ(s), st, err);
    /* the caller's write transaction holds SQLite's one writer: the run cannot have changed */
    if (!ret && sqlite3_changes(SQ(s)->db) != *count) {
        return gd_err_set(err, GD_EDB, "claimed %d timers but deleted %d", *count,
                          sqlite3_changes(SQ(s)->db));
    }
    return ret;
}

int gd_sq__workorder_mark_overdue(struct gd_store *s, const struct gd_workorder *wo,
                                  struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE workorders SET overdue = $3, updated_at = $4 WHERE id = $1 "
                               "AND shop_id = $2 AND version = $5",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, wo->id);
    bind_i64(st, 2, wo->shop_id);
    bind_i64(st, 3, wo->overdue);
    bind_i64(st, 4, wo->updated_at);
    bind_i64(st, 5, wo->version);
    int ret = sq_exec(SQ(s), st, err);
    if (!ret && sqlite3_changes(SQ(s)->db) != 1) {
        return gd_err_set(err, GD_ESTALE, "the work order was changed by someone else");
    }
    return ret;
}

#define MARK_ROW "(?, ?, ?, ?, ?)"
#define MARK_ROWS4 MARK_ROW ", " MARK_ROW ", " MARK_ROW ", " MARK_ROW
#define MARK_ROWS16 MARK_ROWS4 ", " MARK_ROWS4 ", " MARK_ROWS4 ", " MARK_ROWS4
#define MARK_ROWS32 MARK_ROWS16 ", " MARK_ROWS16
#define MARK_COLS 5

/* 32 marks in one statement: each work order found by its id (the values' rows outside, one
 * primary key look-up each), changed where its shop and version match. OR FAIL: a statement that
 * fails keeps the rows it changed, so SQLite writes no statement journal for it (about 900
 * instructions a mark); the caller rolls the transaction back on any error, as on GD_ESTALE. */
static int mark_32(struct gd_store *s, const struct gd_workorder *wos, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "UPDATE OR FAIL workorders SET overdue = v.column3, updated_at = "
                               "v.column4 FROM (VALUES " MARK_ROWS32 ") AS v WHERE workorders.id = "
                               "v.column1 AND workorders.shop_id = v.column2 AND "
                               "workorders.version = v.column5",
                               err);
    if (!st) {
        return GD_EDB;
    }
    for (int k = 0; k < 32; k++) {
        bind_i64(st, k * MARK_COLS + 1, wos[k].id);
        bind_i64(st, k * MARK_COLS + 2, wos[k].shop_id);
        bind_i64(st, k * MARK_COLS + 3, wos[k].overdue);
        bind_i64(st, k * MARK_COLS + 4, wos[k].updated_at);
        bind_i64(st, k * MARK_COLS + 5, wos[k].version);
    }
    int ret = sq_exec(SQ(s), st, err);
    if (!ret && sqlite3_changes(SQ(s)->db) != 32) {
        return gd_err_set(err, GD_ESTALE, "a work order was changed by someone else");
    }
    return ret;
}

int gd_sq__workorders_mark_overdue_many(struct gd_store *s, const struct gd_workorder *wos, int n,
                                        struct gd_err *err)
{
    /* 32 to a statement of bound values, the rest one by one: a statement's own cost (its
     * cursors and registers) once per 32 marks; JSON text to parse cost more than it saved */
    int ret = GD_OK, i = 0;
    for (; !ret && n - i >= 32; i += 32) {
        ret = mark_32(s, wos + i, err);
    }
    for (; !ret && i < n; i++) {
        ret = gd_sq__workorder_mark_overdue(s, &wos[i], err);
    }
    return ret;
}
