/* Gauges for operators, read across every shop: the deadline engine's backlog and the export
 * queue (both read indexes: deadlines by state and due time, exports by state), and the
 * writer's commit and lock-wait times. */
#include "store/sqlite/sqlite_int.h"

int gd_sq__ops_gauges(struct gd_store *s, int64_t now, struct gd_ops_gauges *out,
                      struct gd_err *err)
{
    static const char *const states[] = {"queued", "running", "done", "failed"};
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT count(*), min(due_at) FROM deadlines WHERE state = "
                               "'pending' AND due_at <= $1",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, now);
    if (sqlite3_step(st) != SQLITE_ROW) {
        return sq_fail(SQ(s), st, err);
    }
    out->deadlines_due = col_i64(st, 0);
    out->oldest_due_at = col_i64(st, 1);
    sq_done(st);

    st = sq_prep(SQ(s), "SELECT state, count(*) FROM exports GROUP BY state", err);
    if (!st) {
        return GD_EDB;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *state = (const char *)sqlite3_column_text(st, 0);
        for (int i = 0; i < 4; i++) {
            if (state && strcmp(state, states[i]) == 0) {
                out->exports[i] = col_i64(st, 1);
            }
        }
    }
    if (rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);

    st = sq_prep(SQ(s), "SELECT coalesce(min(created_at), 0) FROM exports WHERE state = 'queued'",
                 err);
    if (!st) {
        return GD_EDB;
    }
    if (sqlite3_step(st) != SQLITE_ROW) {
        return sq_fail(SQ(s), st, err);
    }
    out->oldest_queued_export_at = col_i64(st, 0);
    sq_done(st);
    gd_sq__writer_stats(out);
    return GD_OK;
}
