/* Time targets' rows (docs/targets.md): a shop's hours and policies per type, each work order's
 * targets, and the met/missed counts for statistics. */
#include "store/sqlite/sqlite_int.h"
#include "store/targets_sql.h"

#define DEFAULT_START (9 * 60)
#define DEFAULT_END (18 * 60)

int gd_sq__targets_get(struct gd_store *s, int64_t shop_id, struct gd_target_settings *out,
                       struct gd_err *err)
{
    sqlite3_stmt *st =
        sq_prep(SQ(s), "SELECT start_min, end_min FROM target_hours WHERE shop_id = $1", err);
    int rc;
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    memset(out, 0, sizeof(*out));
    out->start_min = DEFAULT_START;
    out->end_min = DEFAULT_END;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->start_min = (int)col_i64(st, 0);
        out->end_min = (int)col_i64(st, 1);
    } else if (rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);
    st = sq_prep(SQ(s),
                 "SELECT type, first_response_min, resolution_min, remind_before_min, "
                 "escalate_to_queue FROM target_policies WHERE shop_id = $1",
                 err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int type = gd_type_parse((const char *)sqlite3_column_text(st, 0));
        if (type < 0 || out->n >= GD_TARGET_POLICY_MAX) {
            continue; /* a type this version does not know */
        }
        out->policies[out->n++] =
            (struct gd_target_policy){type, (int)col_i64(st, 1), (int)col_i64(st, 2),
                                      (int)col_i64(st, 3), col_i64(st, 4) != 0};
    }
    if (rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);
    return GD_OK;
}

int gd_sq__targets_put(struct gd_store *s, int64_t shop_id, const struct gd_target_settings *in,
                       int64_t now, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "INSERT INTO target_hours (shop_id, start_min, end_min, "
                               "updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (shop_id) DO "
                               "UPDATE SET start_min = $2, end_min = $3, updated_at = $4",
                               err);
    int ret;
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, in->start_min);
    bind_i64(st, 3, in->end_min);
    bind_i64(st, 4, now);
    if ((ret = sq_exec(SQ(s), st, err))) {
        return ret;
    }
    if (!(st = sq_prep(SQ(s), "DELETE FROM target_policies WHERE shop_id = $1", err))) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    if ((ret = sq_exec(SQ(s), st, err))) {
        return ret;
    }
    for (int i = 0; i < in->n; i++) {
        const struct gd_target_policy *p = &in->policies[i];
        st = sq_prep(SQ(s),
                     "INSERT INTO target_policies (shop_id, type, first_response_min, "
                     "resolution_min, remind_before_min, escalate_to_queue) VALUES ($1, $2, $3, "
                     "$4, $5, $6)",
                     err);
        if (!st) {
            return GD_EDB;
        }
        bind_i64(st, 1, shop_id);
        bind_text(st, 2, gd_type_name(p->type));
        bind_i64(st, 3, p->first_response_min);
        bind_i64(st, 4, p->resolution_min);
        bind_i64(st, 5, p->remind_before_min);
        bind_i64(st, 6, p->escalate_to_queue);
        if ((ret = sq_exec(SQ(s), st, err))) {
            return ret;
        }
    }
    return GD_OK;
}

#define WO_TARGET_COLS                                                                         \
    "workorder_id, shop_id, start_min, end_min, tz_offset_min, first_response_min, "           \
    "resolution_min, remind_before_min, escalate_to_queue, fr_due, fr_at, fr_by, fr_outcome, " \
    "res_due, res_left_ms, res_outcome, paused_since, paused_ms, handler_id"

int gd_sq__wo_target_get(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                         struct gd_wo_target *out, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s),
                               "SELECT " WO_TARGET_COLS " FROM wo_targets WHERE shop_id = $1 "
                               "AND workorder_id = $2",
                               err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, workorder_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sq_done(st);
        return gd_err_set(err, GD_ENOTFOUND, "the work order has no targets");
    }
    if (rc != SQLITE_ROW) {
        return sq_fail(SQ(s), st, err);
    }
    *out = (struct gd_wo_target){
        .workorder_id = col_i64(st, 0),
        .shop_id = col_i64(st, 1),
        .start_min = (int)col_i64(st, 2),
        .end_min = (int)col_i64(st, 3),
        .tz_offset_min = (int)col_i64(st, 4),
        .policy = {-1, (int)col_i64(st, 5), (int)col_i64(st, 6), (int)col_i64(st, 7),
                   col_i64(st, 8) != 0},
        .fr_due = col_i64(st, 9),
        .fr_at = col_i64(st, 10),
        .fr_by = col_i64(st, 11),
        .fr_outcome = gd_target_outcome_parse((const char *)sqlite3_column_text(st, 12)),
        .res_due = col_i64(st, 13),
        .res_left_ms = col_i64(st, 14),
        .res_outcome = gd_target_outcome_parse((const char *)sqlite3_column_text(st, 15)),
        .paused_since = col_i64(st, 16),
        .paused_ms = col_i64(st, 17),
        .handler_id = col_i64(st, 18),
    };
    sq_done(st);
    return GD_OK;
}

int gd_sq__wo_target_put(struct gd_store *s, const struct gd_wo_target *t, struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(
        SQ(s),
        "INSERT INTO wo_targets (" WO_TARGET_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19) ON CONFLICT (workorder_id) DO UPDATE "
        "SET "
        "fr_due = $10, fr_at = $11, fr_by = $12, fr_outcome = $13, res_due = $14, "
        "res_left_ms = $15, res_outcome = $16, paused_since = $17, paused_ms = $18, handler_id = "
        "$19",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, t->workorder_id);
    bind_i64(st, 2, t->shop_id);
    bind_i64(st, 3, t->start_min);
    bind_i64(st, 4, t->end_min);
    bind_i64(st, 5, t->tz_offset_min);
    bind_i64(st, 6, t->policy.first_response_min);
    bind_i64(st, 7, t->policy.resolution_min);
    bind_i64(st, 8, t->policy.remind_before_min);
    bind_i64(st, 9, t->policy.escalate_to_queue);
    bind_i64(st, 10, t->fr_due);
    bind_i64(st, 11, t->fr_at);
    bind_i64(st, 12, t->fr_by);
    bind_text(st, 13, gd_target_outcome_name(t->fr_outcome));
    bind_i64(st, 14, t->res_due);
    bind_i64(st, 15, t->res_left_ms);
    bind_text(st, 16, gd_target_outcome_name(t->res_outcome));
    bind_i64(st, 17, t->paused_since);
    bind_i64(st, 18, t->paused_ms);
    bind_i64(st, 19, t->handler_id);
    return sq_exec(SQ(s), st, err);
}

int gd_sq__target_stats(struct gd_store *s, int64_t shop_id, int64_t from, int64_t to,
                        struct gd_arena *a, struct gd_target_count **out, int *n,
                        struct gd_err *err)
{
    sqlite3_stmt *st = sq_prep(SQ(s), GD_TARGET_STATS_SQL, err);
    int rc, cap = 0;
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, shop_id);
    bind_i64(st, 2, from);
    bind_i64(st, 3, to);
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            struct gd_target_count *grown;
            cap = cap ? cap * 2 : 16;
            grown = gd_arena_alloc(a, (size_t)cap * sizeof(*grown));
            if (*n) {
                memcpy(grown, *out, (size_t)*n * sizeof(*grown));
            }
            *out = grown;
        }
        (*out)[(*n)++] =
            (struct gd_target_count){gd_type_parse((const char *)sqlite3_column_text(st, 0)),
                                     col_i64(st, 1),
                                     col_i64(st, 2),
                                     col_i64(st, 3),
                                     col_i64(st, 4),
                                     col_i64(st, 5)};
    }
    if (rc != SQLITE_DONE) {
        return sq_fail(SQ(s), st, err);
    }
    sq_done(st);
    return GD_OK;
}
