/* Gauges for operators, read across every shop: the deadline engine's backlog and the export
 * queue (both read indexes: deadlines by state and due time, exports by state), and the
 * commits and begins of this process with their times. */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

int gd_pg__ops_gauges(struct gd_store *s, int64_t now, struct gd_ops_gauges *out,
                      struct gd_err *err)
{
    static const char *const states[] = {"queued", "running", "done", "failed"};
    memset(out, 0, sizeof(*out));
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT count(*), min(due_at) FROM deadlines WHERE state = "
                                    "'pending' AND due_at <= $1",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, now);
    if (pg_step(st) != PG_ROW) {
        return pg_fail(PG(s), st, err);
    }
    out->deadlines_due = col_i64(st, 0);
    out->oldest_due_at = col_i64(st, 1);
    pg_done(st);

    st = pg_prep(PG(s), "SELECT state, count(*) FROM exports GROUP BY state", err);
    if (!st) {
        return GD_EDB;
    }
    int rc;
    while ((rc = pg_step(st)) == PG_ROW) {
        const char *state = col_text(st, 0);
        for (int i = 0; i < 4; i++) {
            if (state && strcmp(state, states[i]) == 0) {
                out->exports[i] = col_i64(st, 1);
            }
        }
    }
    if (rc != PG_DONE) {
        return pg_fail(PG(s), st, err);
    }
    pg_done(st);

    st = pg_prep(PG(s), "SELECT coalesce(min(created_at), 0) FROM exports WHERE state = 'queued'",
                 err);
    if (!st) {
        return GD_EDB;
    }
    if (pg_step(st) != PG_ROW) {
        return pg_fail(PG(s), st, err);
    }
    out->oldest_queued_export_at = col_i64(st, 0);
    pg_done(st);
    gd_pg__tx_stats(out);
    return GD_OK;
}
